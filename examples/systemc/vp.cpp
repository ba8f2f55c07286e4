// SPDX-License-Identifier: MIT
// A virtual platform to copy: a traffic-generator CPU replays a valgrind
// lackey trace through the MMU (the RTL, the golden model, or both in
// lockstep) into a memory target, prints its statistics and, with the RTL,
// writes an FST of the RTL inside.
//
//   vp [--trace FILE] [--config NAME] [--backend rtl|golden|lockstep]
//      [--max N] [--clock-ns N] [--mem-ns N] [--fst FILE]
//
// The platform is three modules and two bindings (sc_main below):
//   traffic_gen cpu -> mmu_tlm mmu -> mem_target ram
// The traffic generator is a cpu_port: the project's OS (sw/os) runs in its
// SC_THREAD on top of the machine interface that cpu_port makes of the
// MMU's sockets, and the trace replay library (sw/trace) issues the trace's
// loads, stores and fetches through that OS, so page faults, demand paging
// and copy-on-write happen as they would on a CPU.  docs/systemc.md.
#include "../../sim/systemc/cpu_port.h"
#include "../../sim/systemc/mem_target.h"
#include "../../sim/systemc/mmu_tlm.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "../../sw/os/os.h"
#include "../../sw/trace/trace.h"
}

using namespace sc_core;

namespace {

struct traffic_gen : mmu_sc::cpu_port {
	const struct trace *t;
	struct trace_stats st{};
	bool ok = false;
	std::string err;

	SC_HAS_PROCESS(traffic_gen);
	traffic_gen(sc_module_name n, const struct trace *tr) : cpu_port(n), t(tr)
	{
		SC_THREAD(replay);
	}

	void replay()
	{
		machine *m = as_machine();
		trace_layout_opts lo{};
		trace_replay_opts ro{};
		struct trace_layout lay{};
		os_opts oo{};
		struct os *os = nullptr;
		char e[512] = "";

		if (trace_layout(t, &m->cfg, &lo, &lay, e, sizeof(e)) == 0) {
			oo.swap_bytes = (2 * lay.touched_pages + 64) << m->cfg.page_shift;
			oo.mmap_min_addr = lay.min_addr;
			if (os_create(m, &oo, &os, e, sizeof(e)) == 0 &&
			    trace_replay(os, t, &lay, &ro, &st, e, sizeof(e)) == 0) {
				ok = st.ok;
				if (!ok)
					err = st.fail;
			}
			if (os)
				os_destroy(os);
			trace_layout_free(&lay);
		}
		if (!ok && err.empty())
			err = e;
		qk.sync();  // the time the MMU annotated
		sc_stop();
	}
};

int usage(FILE *f)
{
	std::fprintf(f, "usage: vp [--trace FILE] [--config NAME] "
			"[--backend rtl|golden|lockstep]\n"
			"          [--max N] [--clock-ns N] [--mem-ns N] [--fst FILE]\n");
	return f == stdout ? 0 : 2;
}

}  // namespace

int sc_main(int argc, char **argv)
{
	std::string path = "tests/traces/ls-usr-bin.lackey.gz", fst;
	mmu_sc::mmu_tlm_params p;
	unsigned long long max = 20000, clock_ns = 1, mem_ns = 20;
	trace_parse_opts po{};
	trace_diags d{};
	struct trace *t = nullptr;

	p.backend = mmu_sc::backend_kind::rtl;
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : nullptr;

		if (a == "-h" || a == "--help")
			return usage(stdout);
		if (!v || a.compare(0, 2, "--")) {
			std::fprintf(stderr, "vp: %s '%s'\n",
				     a.compare(0, 2, "--") ? "unknown argument"
							   : "a value is missing after",
				     a.c_str());
			return usage(stderr);
		}
		i++;
		if (a == "--trace") {
			path = v;
		} else if (a == "--config") {
			p.config = v;
		} else if (a == "--fst") {
			fst = v;
		} else if (a == "--backend") {
			std::string b = v;

			if (b == "rtl")
				p.backend = mmu_sc::backend_kind::rtl;
			else if (b == "golden")
				p.backend = mmu_sc::backend_kind::golden;
			else if (b == "lockstep")
				p.backend = mmu_sc::backend_kind::lockstep;
			else
				return std::fprintf(stderr, "vp: unknown back end '%s'\n", v), 2;
		} else if (a == "--max" || a == "--clock-ns" || a == "--mem-ns") {
			char *end;
			unsigned long long n = std::strtoull(v, &end, 0);

			if (*end || !n || n > 1000000000ull)
				return std::fprintf(stderr, "vp: bad %s '%s'\n", a.c_str(), v), 2;
			(a == "--max" ? max : a == "--clock-ns" ? clock_ns : mem_ns) = n;
		} else {
			std::fprintf(stderr, "vp: unknown option '%s'\n", a.c_str());
			return usage(stderr);
		}
	}
	po.max_records = max;
	if (trace_load(path.c_str(), &po, &t, &d)) {
		for (unsigned i = 0; i < d.count && i < TRACE_MAX_DIAGS; i++)
			std::fprintf(stderr, "vp: %s\n", d.msg[i]);
		return 2;
	}
	p.clock = sc_time((double)clock_ns, SC_NS);
	p.fst_path = fst;

	// ---- the platform ----
	mmu_config cfg;
	std::string why = mmu_sc::check_params(p, &cfg);
	if (!why.empty()) {
		std::fprintf(stderr, "vp: %s\n", why.c_str());
		trace_free(t);
		return 2;
	}
	tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(1, SC_US));
	traffic_gen cpu("cpu", t);
	mmu_sc::mmu_tlm mmu("mmu", p);
	mmu_sc::mem_target ram("ram", cfg.mem_bytes, sc_time((double)mem_ns, SC_NS));
	cpu.bind(mmu);
	mmu.mem.bind(ram.socket);
	sc_start();

	// ---- what happened ----
	const struct trace_stats &s = cpu.st;
	const mmu_counters &c = s.c;
	std::printf("vp: %s, %llu pieces of %s (%s back end, %llu ns clock)\n",
		    cfg.name, (unsigned long long)s.pieces, t->name,
		    mmu_sc::backend_name(p.backend), clock_ns);
	std::printf("  trace      %llu loads, %llu stores, %llu fetches; %llu pages "
		    "touched, %llu data words checked\n",
		    (unsigned long long)s.loads, (unsigned long long)s.stores,
		    (unsigned long long)s.fetches, (unsigned long long)s.touched_pages,
		    (unsigned long long)s.data_checked);
	std::printf("  os         %llu minor faults, %llu zero fills, %llu page "
		    "tables\n",
		    (unsigned long long)s.os.minor_faults,
		    (unsigned long long)s.os.zero_fills,
		    (unsigned long long)s.table_frames);
	std::printf("  mmu        %llu accesses, TLB %.1f%% hits, %llu walks "
		    "(%llu entry reads), L1 %.1f%% hits, %llu fills, %llu "
		    "write-backs, %llu #PF\n",
		    (unsigned long long)c.accesses,
		    c.accesses ? 100.0 * (double)c.tlb_hits / (double)c.accesses : 0.0,
		    (unsigned long long)c.walks, (unsigned long long)c.walk_reads,
		    c.l1_hits + c.l1_misses
			    ? 100.0 * (double)c.l1_hits / (double)(c.l1_hits + c.l1_misses)
			    : 0.0,
		    (unsigned long long)c.line_fills, (unsigned long long)c.writebacks,
		    (unsigned long long)c.page_faults);
	std::printf("  sockets    %llu transactions, %llu DMI grants\n",
		    (unsigned long long)mmu.transactions(),
		    (unsigned long long)mmu.dmi_granted());
	std::printf("  memory     %llu reads (%llu bytes), %llu writes (%llu bytes)\n",
		    (unsigned long long)ram.reads, (unsigned long long)ram.bytes_read,
		    (unsigned long long)ram.writes,
		    (unsigned long long)ram.bytes_written);
	std::printf("  time       %s simulated", sc_time_stamp().to_string().c_str());
	if (c.cycles)
		std::printf(", %llu RTL cycles", (unsigned long long)c.cycles);
	std::printf("%s%s\n", fst.empty() ? "" : "; waveform ", fst.c_str());
	std::printf("vp: %s%s\n", cpu.ok ? "every check held" : "FAILED: ",
		    cpu.ok ? "" : cpu.err.c_str());
	trace_free(t);
	return cpu.ok ? 0 : 1;
}
