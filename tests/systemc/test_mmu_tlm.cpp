// SPDX-License-Identifier: MIT
// Self-checking SystemC tests of the MMU's TLM-2.0 component
// (sim/systemc/mmu_tlm.h): the extension, error responses, timing
// annotation, debug transport, DMI and its invalidation, the lockstep back
// end, and configurations refused at elaboration.  A SystemC kernel
// elaborates once per process, so each case runs in a child process of its
// own; every check prints a line, and the exit status is non-zero when any
// failed.
#include "../../sim/systemc/mem_target.h"
#include "../../sim/systemc/mmu_tlm.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>

extern "C" {
#include "../../sw/machine/pagetable.h"
}

using namespace sc_core;
using namespace mmu_sc;

static int failures;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		bool ok_ = (cond);                                            \
		std::printf("  %s ", ok_ ? "ok  " : "FAIL");                  \
		std::printf(__VA_ARGS__);                                     \
		std::printf("%s\n", ok_ ? "" : "   [" #cond "]");            \
		failures += !ok_;                                             \
	} while (0)

// Page-table frames and the mapping the cases use (x86: four levels).
static const uint64_t ROOT = 0x1000, VA = 0x400000, PA = 0x10000;

// A CPU stand-in: two initiator sockets and a thread running the case.
struct tb : sc_module {
	tlm_utils::simple_initiator_socket<tb> cpu, ctl;
	mmu_tlm mmu;
	mem_target ram;
	std::function<void(tb &)> body;
	unsigned inval = 0;
	uint64_t inval_lo = 0, inval_hi = 0;

	SC_HAS_PROCESS(tb);
	tb(sc_module_name n, const mmu_tlm_params &p, uint64_t ram_bytes,
	   std::function<void(tb &)> b)
		: sc_module(n), cpu("cpu"), ctl("ctl"), mmu("mmu", p),
		  ram("ram", ram_bytes), body(std::move(b))
	{
		cpu.bind(mmu.cpu);
		ctl.bind(mmu.ctl);
		mmu.mem.bind(ram.socket);
		cpu.register_invalidate_direct_mem_ptr(this, &tb::invalidate);
		SC_THREAD(run);
	}
	void invalidate(sc_dt::uint64 lo, sc_dt::uint64 hi)
	{
		inval++;
		inval_lo = lo;
		inval_hi = hi;
	}
	void run()
	{
		body(*this);
		sc_stop();
	}

	tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr,
					void *data, unsigned len, mmu_ext *x,
					sc_time *delay = nullptr)
	{
		tlm::tlm_generic_payload t;
		sc_time d = SC_ZERO_TIME;

		init_payload(t, cmd, addr, data, len);
		if (x)
			t.set_extension(x);
		cpu->b_transport(t, d);
		if (x)
			t.clear_extension(x);
		if (delay)
			*delay = d;
		return t.get_response_status();
	}
	// A control operation; the response status.
	tlm::tlm_response_status control(mmu_ctl_ext &x, sc_time *delay = nullptr)
	{
		tlm::tlm_generic_payload t;
		sc_time d = SC_ZERO_TIME;

		t.set_command(tlm::TLM_WRITE_COMMAND);
		t.set_data_length(0);
		t.set_extension(&x);
		ctl->b_transport(t, d);
		t.clear_extension(&x);
		if (delay)
			*delay = d;
		return t.get_response_status();
	}
	tlm::tlm_response_status ctl_op(mmu_ctl_op op, uint64_t value, uint64_t addr = 0)
	{
		mmu_ctl_ext x;

		x.ctl.op = op;
		x.ctl.value = value;
		x.ctl.addr = addr;
		return control(x);
	}
	mmu_counters counters()
	{
		mmu_ctl_ext x;

		x.what = mmu_ctl_ext::kind::counters;
		control(x);
		return x.counters;
	}
	void phys_write(uint64_t pa, uint64_t v)
	{
		mmu_ext x;

		x.phys = true;
		access(tlm::TLM_WRITE_COMMAND, pa, &v, 8, &x);
	}
	// VA -> PA at level 1, rights `flags` (P added), tables at ROOT.. .
	void map(uint64_t va, uint64_t pa, pte_t flags)
	{
		const mmu_config &c = mmu.config();
		uint64_t table = ROOT;

		for (unsigned l = (unsigned)c.levels; l > 1; l--) {
			uint64_t next = ROOT + (c.levels - l + 1) * 0x1000;

			phys_write(table + pt_index(&c, va, l) * c.pte_bytes,
				   pt_make(&c, next, PTE_P | PTE_RW | PTE_US));
			table = next;
		}
		phys_write(table + pt_index(&c, va, 1) * c.pte_bytes,
			   pt_make(&c, pa, flags | PTE_P));
	}
	void setup()
	{
		map(VA, PA, PTE_RW | PTE_US);
		ctl_op(MMU_CTL_WRITE_CR3, ROOT);
	}
};

static mmu_tlm_params x86(backend_kind k = backend_kind::golden)
{
	mmu_tlm_params p;

	p.config = "x86";
	p.backend = k;
	p.mem_bytes = 1ull << 20;
	p.clock = sc_time(2, SC_NS);
	return p;
}

static void run_tb(const mmu_tlm_params &p, uint64_t ram_bytes,
		   std::function<void(tb &)> body)
{
	tb t("tb", p, ram_bytes, std::move(body));

	sc_start();
}

// ---- cases --------------------------------------------------------------------

static void case_extension(backend_kind k)
{
	run_tb(x86(k), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t v = 0x1122334455667788ull, r = 0;

		t.setup();
		x.user = true;
		CHECK(t.access(tlm::TLM_WRITE_COMMAND, VA + 8, &v, 8, &x) ==
			      tlm::TLM_OK_RESPONSE && x.rc == MMU_OK,
		      "user store through the cpu socket answers TLM_OK_RESPONSE");
		CHECK(x.out.status == MMU_ST_OK && x.out.pa == PA + 8,
		      "extension: status OK, pa %#llx", (unsigned long long)x.out.pa);
		CHECK(!x.out.tlb_hit && x.out.walked && x.out.walk_reads == 4 &&
			      x.out.page_level == 1,
		      "extension: TLB miss, walk of %u reads, 4 KiB leaf",
		      (unsigned)x.out.walk_reads);
		CHECK(x.out.n_ad == 4 && (x.out.ad[3].value >> PTE_BIT_D & 1) &&
			      x.out.ad[3].pa == ROOT + 0x3000 + 8 * pt_index(&t.mmu.config(), VA, 1),
		      "extension: %u A/D writes, the last sets D in the leaf",
		      (unsigned)x.out.n_ad);
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA + 8, &r, 8, &x) ==
			      tlm::TLM_OK_RESPONSE && r == v,
		      "user load reads back %#llx", (unsigned long long)r);
		CHECK(x.out.tlb_hit && x.out.l1_hit && !x.out.walked,
		      "extension: the load hits in the TLB and the L1");
		x.fetch = true;
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA, &r, 4, &x) ==
			      tlm::TLM_OK_RESPONSE && x.out.status == MMU_ST_OK,
		      "fetch (mmu_ext::fetch) of an executable page");
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA + 8, &r, 8, nullptr) ==
			      tlm::TLM_OK_RESPONSE && r == v,
		      "no extension: a supervisor load");
		mmu_counters c = t.counters();
		CHECK(c.accesses == 4 && c.tlb_misses == 1 && c.walks == 1,
		      "counters through the ctl socket: %llu accesses, %llu miss",
		      (unsigned long long)c.accesses,
		      (unsigned long long)c.tlb_misses);
		mmu_ctl_ext rx;
		rx.what = mmu_ctl_ext::kind::regs;
		CHECK(t.control(rx) == tlm::TLM_OK_RESPONSE && rx.regs.cr3 == ROOT,
		      "registers through the ctl socket: CR3 %#llx",
		      (unsigned long long)rx.regs.cr3);
	});
}

static void case_errors(backend_kind k)
{
	run_tb(x86(k), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t r = 0;
		uint8_t be = 0xff;

		t.setup();
		x.user = true;
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA + 0x1000, &r, 8, &x) ==
			      tlm::TLM_GENERIC_ERROR_RESPONSE,
		      "#PF (not present) is TLM_GENERIC_ERROR_RESPONSE");
		CHECK(x.out.status == MMU_ST_PAGE_FAULT &&
			      x.out.error_code == PFEC_US &&
			      x.out.cr2 == VA + 0x1000,
		      "#PF extension: error code U, CR2 %#llx",
		      (unsigned long long)x.out.cr2);
		CHECK(t.access(tlm::TLM_READ_COMMAND, 0x0000800000000000ull, &r, 8,
			       &x) == tlm::TLM_GENERIC_ERROR_RESPONSE &&
			      x.out.status == MMU_ST_GP_FAULT,
		      "non-canonical address: error response, status #GP");
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA, &r, 3, &x) ==
			      tlm::TLM_BURST_ERROR_RESPONSE,
		      "3-byte access: TLM_BURST_ERROR_RESPONSE");
		{
			tlm::tlm_generic_payload p;
			sc_time d;

			init_payload(p, tlm::TLM_READ_COMMAND, VA, &r, 1);
			p.set_byte_enable_ptr(&be);
			p.set_byte_enable_length(1);
			t.cpu->b_transport(p, d);
			CHECK(p.get_response_status() ==
				      tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
			      "byte enables: TLM_BYTE_ENABLE_ERROR_RESPONSE");
		}
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA + 1, &r, 2, &x) ==
			      tlm::TLM_GENERIC_ERROR_RESPONSE && x.rc == MMU_EINVAL &&
			      !x.err.empty(),
		      "misaligned access: error response, rc MMU_EINVAL (%s)",
		      x.err.c_str());
		t.map(VA + 0x2000, 1ull << 21, PTE_RW | PTE_US);  // past 1 MiB
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA + 0x2000, &r, 8, &x) ==
			      tlm::TLM_ADDRESS_ERROR_RESPONSE &&
			      x.out.status == MMU_ST_BUS_ERROR,
		      "a page outside memory: TLM_ADDRESS_ERROR_RESPONSE, bus error");
		mmu_ext px;
		px.phys = true;
		CHECK(t.access(tlm::TLM_READ_COMMAND, 1ull << 20, &r, 8, &px) ==
			      tlm::TLM_ADDRESS_ERROR_RESPONSE && px.rc == MMU_ERANGE,
		      "physical read past memory: TLM_ADDRESS_ERROR_RESPONSE");
		CHECK(t.ctl_op(MMU_CTL_WRITE_CR4, 1ull << 40) ==
			      tlm::TLM_GENERIC_ERROR_RESPONSE,
		      "CR4 with a reserved bit: #GP, an error response");
		mmu_ctl_ext gx;
		gx.ctl.op = MMU_CTL_INVPCID;
		gx.ctl.type = 7;
		CHECK(t.control(gx) == tlm::TLM_GENERIC_ERROR_RESPONSE &&
			      gx.res == MMU_CTL_GP && gx.rc == MMU_OK,
		      "INVPCID type 7: res MMU_CTL_GP in the extension");
		tlm::tlm_generic_payload p;
		sc_time d;
		p.set_command(tlm::TLM_WRITE_COMMAND);
		t.ctl->b_transport(p, d);
		CHECK(p.get_response_status() == tlm::TLM_COMMAND_ERROR_RESPONSE,
		      "ctl socket without mmu_ctl_ext: TLM_COMMAND_ERROR_RESPONSE");
	});
}

static void case_timing()
{
	run_tb(x86(), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t r = 0;
		sc_time d;
		const sc_time clk(2, SC_NS), mem(10, SC_NS);

		t.setup();
		uint64_t before = t.ram.reads + t.ram.writes;
		t.access(tlm::TLM_READ_COMMAND, VA, &r, 8, &x, &d);
		uint64_t xfers = t.ram.reads + t.ram.writes - before;
		sc_time want = clk * (double)(1 + x.out.walk_reads + x.out.n_ad) +
			       mem * (double)xfers;
		CHECK(d == want && x.cycles == 1u + x.out.walk_reads + x.out.n_ad,
		      "miss: delay %s = %llu cycles of 2 ns + %llu memory "
		      "transactions of 10 ns",
		      d.to_string().c_str(), (unsigned long long)x.cycles,
		      (unsigned long long)xfers);
		t.access(tlm::TLM_READ_COMMAND, VA, &r, 8, &x, &d);
		CHECK(d == clk && x.cycles == 1,
		      "TLB and L1 hit: delay %s, one cycle", d.to_string().c_str());
		sc_time before_t = sc_time_stamp();
		CHECK(before_t == SC_ZERO_TIME,
		      "loosely timed: the target annotates, it does not wait");
		mmu_ctl_ext cx;
		cx.ctl.op = MMU_CTL_INVLPG;
		cx.ctl.addr = VA;
		t.control(cx, &d);
		CHECK(d == clk, "control operation: one cycle (%s)",
		      d.to_string().c_str());
	});
}

// Lockstep is a real check: memory changed behind the MMU's back (the RTL
// reads the platform's memory, the golden reference its own copy) is a
// mismatch, reported as a failed transaction.
static void case_lockstep_catches()
{
	run_tb(x86(backend_kind::lockstep), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t v = 0x1111111111111111ull, other = 0x2222222222222222ull, r = 0;

		t.setup();
		t.access(tlm::TLM_WRITE_COMMAND, VA, &v, 8, &x);
		t.ctl_op(MMU_CTL_FLUSH_ALL, 0);  // both write back and drop the line
		CHECK(t.ram.load(PA, &other, 8), "the memory target changed at %#llx",
		      (unsigned long long)PA);
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA, &r, 8, &x) ==
			      tlm::TLM_GENERIC_ERROR_RESPONSE &&
			      x.rc == MMU_EBACKEND &&
			      x.err.find("rdata") != std::string::npos,
		      "the load is a lockstep mismatch: %s", x.err.c_str());
		CHECK(t.access(tlm::TLM_READ_COMMAND, VA, &r, 8, &x) ==
			      tlm::TLM_GENERIC_ERROR_RESPONSE && x.rc == MMU_EBACKEND,
		      "and every later transaction fails");
	});
}

// The RTL lives in simulated time: the target first waits the delay it is
// given, then the access takes the RTL's cycles of the 2 ns clock.
static void case_timing_rtl()
{
	run_tb(x86(backend_kind::rtl), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t r = 0;
		const sc_time clk(2, SC_NS), given(5, SC_NS);

		t.setup();
		for (int hit = 0; hit < 2; hit++) {
			tlm::tlm_generic_payload p;
			sc_time d = given, t0 = sc_time_stamp(), spent;

			init_payload(p, tlm::TLM_READ_COMMAND, VA, &r, 8);
			p.set_extension(&x);
			t.cpu->b_transport(p, d);
			p.clear_extension(&x);
			spent = sc_time_stamp() - t0;
			CHECK(d == SC_ZERO_TIME && x.cycles == x.out.cycles &&
				      spent >= given + clk * (double)(x.cycles - 1) &&
				      spent <= given + clk * (double)(x.cycles + 2),
			      "%s: the 5 ns given waited, then %llu RTL cycles "
			      "(to within the clock's phase): %s of simulated "
			      "time, delay returned %s",
			      hit ? "TLB and L1 hit" : "miss",
			      (unsigned long long)x.cycles, spent.to_string().c_str(),
			      d.to_string().c_str());
		}
		CHECK(x.cycles == 1, "a hit answers in one cycle (%llu)",
		      (unsigned long long)x.cycles);
	});
}

static void case_debug()
{
	run_tb(x86(), 1ull << 20, [](tb &t) {
		mmu_ext x;
		uint64_t v = 0xfeedfacecafef00dull, r = 0;
		unsigned char buf[16];

		t.setup();
		t.access(tlm::TLM_WRITE_COMMAND, VA + 0x10, &v, 8, &x);
		mmu_counters c0 = t.counters();
		uint64_t mem0 = t.ram.reads + t.ram.writes;
		tlm::tlm_generic_payload p;
		init_payload(p, tlm::TLM_READ_COMMAND, VA + 0x10, buf, 8);
		p.set_extension(&x);
		unsigned n = t.cpu->transport_dbg(p);
		p.clear_extension(&x);
		std::memcpy(&r, buf, 8);
		CHECK(n == 8 && r == v,
		      "transport_dbg reads the store still dirty in the L1 (%#llx)",
		      (unsigned long long)r);
		CHECK(x.out.status == MMU_ST_OK && x.out.pa == PA + 0x10 &&
			      x.out.page_level == 1,
		      "transport_dbg translates: pa %#llx, level %u",
		      (unsigned long long)x.out.pa, (unsigned)x.out.page_level);
		mmu_counters c1 = t.counters();
		CHECK(!std::memcmp(&c0, &c1, sizeof(c0)) &&
			      t.ram.reads + t.ram.writes == mem0,
		      "transport_dbg: no counter changed, no memory transaction");
		p.set_address(VA + 0x5000);
		CHECK(t.cpu->transport_dbg(p) == 0, "unmapped address: 0 bytes");
		p.set_address(VA + 0xff8);
		p.set_data_length(16);
		p.set_streaming_width(16);
		CHECK(t.cpu->transport_dbg(p) == 8, "stops at the end of the page");
		p.set_command(tlm::TLM_WRITE_COMMAND);
		p.set_address(VA);
		CHECK(t.cpu->transport_dbg(p) == 0, "debug writes are refused");
	});
}

static bool dmi_get(tb &t, uint64_t va, tlm::tlm_dmi &d)
{
	tlm::tlm_generic_payload p;

	p.set_command(tlm::TLM_READ_COMMAND);
	p.set_address(va);
	return t.cpu->get_direct_mem_ptr(p, d);
}

static void case_dmi()
{
	run_tb(x86(), 1ull << 20, [](tb &t) {
		tlm::tlm_dmi d;
		mmu_ext x;
		uint64_t v = 0x0123456789abcdefull, r = 0;
		unsigned n;

		t.setup();
		CHECK(!dmi_get(t, VA, d), "no DMI before the walker set A");
		t.access(tlm::TLM_WRITE_COMMAND, VA + 0x20, &v, 8, &x);
		CHECK(!dmi_get(t, VA, d), "no DMI while a line of the page is dirty");
		t.ctl_op(MMU_CTL_CLEAN_ALL, 0);
		CHECK(dmi_get(t, VA + 4, d) && d.is_read_allowed() &&
			      !d.is_write_allowed() && d.get_start_address() == VA &&
			      d.get_end_address() == VA + 0xfff,
		      "DMI granted read-only for the page [%#llx, %#llx]",
		      (unsigned long long)d.get_start_address(),
		      (unsigned long long)d.get_end_address());
		std::memcpy(&r, d.get_dmi_ptr() + 0x20, 8);
		CHECK(r == v, "the DMI pointer reads the stored value");
		static const struct {
			const char *what;
			mmu_ctl_op op;
		} ops[] = {
			{ "INVLPG", MMU_CTL_INVLPG },
			{ "INVPCID", MMU_CTL_INVPCID },
			{ "a CR3 write", MMU_CTL_WRITE_CR3 },
		};
		for (const auto &o : ops) {
			dmi_get(t, VA, d);
			n = t.inval;
			mmu_ctl_ext cx;
			cx.ctl.op = o.op;
			cx.ctl.addr = VA;
			cx.ctl.type = 2;
			cx.ctl.value = ROOT;
			t.control(cx);
			CHECK(t.inval == n + 1 && t.inval_lo <= VA && t.inval_hi >= VA + 0xfff,
			      "%s invalidates the DMI range", o.what);
		}
		t.access(tlm::TLM_READ_COMMAND, VA, &r, 8, &x);
		CHECK(dmi_get(t, VA, d), "granted again after a walk");
		n = t.inval;
		t.access(tlm::TLM_WRITE_COMMAND, VA + 0x100, &v, 8, &x);
		CHECK(t.inval == n + 1, "a store to the page invalidates it");
		t.ctl_op(MMU_CTL_CLEAN_ALL, 0);
		dmi_get(t, VA, d);
		n = t.inval;
		t.map(VA + 0x3000, PA + 0x3000, PTE_RW);  // a page-table write
		CHECK(t.inval == n + 1, "a page-table write invalidates it");
		x.user = true;
		tlm::tlm_generic_payload p;
		p.set_command(tlm::TLM_READ_COMMAND);
		p.set_address(VA + 0x3000);
		p.set_extension(&x);
		t.access(tlm::TLM_READ_COMMAND, VA + 0x3000, &r, 8, nullptr);
		CHECK(!t.cpu->get_direct_mem_ptr(p, d),
		      "no DMI for a user request to a supervisor page");
		p.clear_extension(&x);
	});
}

// Elaboration must stop with a message naming the problem.
static void expect_refused(const char *what, const mmu_tlm_params &p,
			   uint64_t ram_bytes, const char *want)
{
	std::string msg = "(elaborated)";

	try {
		run_tb(p, ram_bytes, [](tb &) {});
	} catch (const sc_report &r) {
		msg = r.what();
	}
	CHECK(msg.find("refused at elaboration") != std::string::npos &&
		      msg.find(want) != std::string::npos,
	      "%s: refused at elaboration (\"%s\" in the message)", what, want);
	if (msg.find(want) == std::string::npos)
		std::printf("       message: %s\n", msg.c_str());
}

static void case_refused(int which)
{
	mmu_tlm_params p = x86();

	switch (which) {
	case 0:
		p.config = "nosuch";
		expect_refused("unknown configuration", p, 1ull << 20, "nosuch");
		break;
	case 1:
		expect_refused("memory target smaller than the MMU's memory", p,
			       1ull << 19, "must cover");
		break;
	case 2:
		p.clock = SC_ZERO_TIME;
		expect_refused("zero clock period", p, 1ull << 20, "clock period");
		break;
	case 3:
		p.mem_bytes = 12345;
		expect_refused("memory size not a page multiple", p, 1ull << 20,
			       "multiple of the page");
		break;
	case 4: {
		mmu_config c;
		char err[256];

		mmu_config_load("x86", &c, err, sizeof(err));
		c.tlb_ways = 2;
		p.cfg = c;
		p.backend = backend_kind::rtl;
		expect_refused("RTL built for another TLB", p, 1ull << 20,
			       "was built with tlb_ways");
		break;
	}
	case 5:
		p.config = "csapp";
		p.backend = backend_kind::lockstep;
		p.fst_path = "x.fst";
		p.clock_src = new sc_clock("clk3", sc_time(3, SC_NS));
		expect_refused("a clock of another period", p, 1ull << 20,
			       "period of 3 ns");
		break;
	}
}

// ---- the driver: one child process per case ------------------------------------

struct test_case {
	const char *name;
	std::function<void()> run;
};

int sc_main(int, char **)
{
	const test_case cases[] = {
		{ "extension (golden)", [] { case_extension(backend_kind::golden); } },
		{ "extension (lockstep)", [] { case_extension(backend_kind::lockstep); } },
		{ "extension (rtl)", [] { case_extension(backend_kind::rtl); } },
		{ "error responses (golden)", [] { case_errors(backend_kind::golden); } },
		{ "error responses (lockstep)", [] { case_errors(backend_kind::lockstep); } },
		{ "timing annotation (golden)", case_timing },
		{ "timing (rtl)", case_timing_rtl },
		{ "lockstep catches a difference", case_lockstep_catches },
		{ "transport_dbg", case_debug },
		{ "DMI and its invalidation", case_dmi },
		{ "refused: unknown configuration", [] { case_refused(0); } },
		{ "refused: small memory target", [] { case_refused(1); } },
		{ "refused: zero clock", [] { case_refused(2); } },
		{ "refused: memory size", [] { case_refused(3); } },
		{ "refused: RTL of another configuration", [] { case_refused(4); } },
		{ "refused: clock period", [] { case_refused(5); } },
	};
	unsigned passed = 0, n = 0;

	sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", SC_DO_NOTHING);
	sc_report_handler::set_actions(SC_ERROR, SC_THROW);  // the cases catch it
	for (const test_case &c : cases) {
		int st = 0;
		pid_t pid;

		n++;
		std::printf("== %s\n", c.name);
		std::fflush(stdout);
		pid = fork();
		if (pid == 0) {
			sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
			c.run();
			std::fflush(stdout);
			_exit(failures ? 1 : 0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			std::printf("  FAIL %s (child %s %d)\n", c.name,
				    pid > 0 && WIFSIGNALED(st) ? "signal" : "exit",
				    pid > 0 && WIFSIGNALED(st) ? WTERMSIG(st)
							       : WEXITSTATUS(st));
			continue;
		}
		passed++;
	}
	std::printf("test_mmu_tlm: %u of %u cases passed\n", passed, n);
	return passed == n ? 0 : 1;
}
