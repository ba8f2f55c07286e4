// SPDX-License-Identifier: MIT
// The `systemc` back end of the machine interface: see sc_backend.h.
#include "sc_backend.h"

#include "cpu_port.h"
#include "mem_target.h"
#include "rtl_sc.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <functional>
#include <vector>

extern "C" {
#include "../../sw/backend/backend.h"
}

// Programs that use this back end have their own main(); libsystemc's main
// (which calls sc_main) is never run, but the library refers to sc_main.
// A program with a real sc_main (a SystemC test or example) overrides this.
int sc_main(int, char **) __attribute__((weak));
int sc_main(int, char **)
{
	return 1;
}

namespace {

using namespace sc_core;
using namespace mmu_sc;

// One platform: a CPU stand-in, the MMU, a memory target.  Machine calls
// come from outside the simulation: run() hands them to the thread and
// runs the kernel until the thread pauses again.
struct platform : cpu_port {
	mmu_tlm mmu;
	mem_target ram;
	sc_event kick;
	std::function<void()> job;  // the transaction to send
	bool busy = false;          // a machine is open on it

	SC_HAS_PROCESS(platform);
	platform(sc_module_name n, const mmu_tlm_params &p, uint64_t bytes)
		: cpu_port(n), mmu("mmu", p), ram("ram", bytes)
	{
		bind(mmu);
		mmu.mem.bind(ram.socket);
		SC_THREAD(thread);
	}
	void thread()
	{
		qk.reset();
		for (;;) {
			sc_pause();
			wait(kick);
			if (job)
				job();
			job = nullptr;
		}
	}
	int run(const std::function<void()> &f, char *err, size_t errlen) override
	{
		job = f;
		kick.notify(SC_ZERO_TIME);
		try {
			sc_start();
		} catch (const std::exception &e) {
			snprintf(err, errlen, "SystemC: %s", e.what());
			return MMU_EBACKEND;
		}
		if (job) {
			snprintf(err, errlen, "SystemC: the transaction did not complete");
			return MMU_EBACKEND;
		}
		return 0;
	}
	void release() override
	{
		busy = false;
	}
};

// Golden platforms take any configuration; RTL platforms are elaborated
// with one model each, SC_BACKEND_MAX per built configuration, all on one
// clock.  They live until the process exits, never destroyed: SystemC
// objects outlive static destruction badly (the Verilated models' global
// context is gone by then).
std::vector<platform *> pool;
sc_clock *pool_clock;
char pool_err[256];
const sc_time PERIOD(1, SC_NS);

// The pool is elaborated once, at the first open.
int elaborate(char *err, size_t errlen)
{
	if (!pool.empty())
		return 0;
	if (pool_err[0]) {
		snprintf(err, errlen, "%s", pool_err);
		return MMU_EBACKEND;
	}
	setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
	sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", SC_DO_NOTHING);
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
	sc_report_handler::set_actions(SC_ERROR, SC_THROW);
	try {
		tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(1, SC_US));
		pool_clock = new sc_clock("clk", PERIOD);
		std::vector<const rtl_sc_model *> kinds{nullptr};  // golden first

		for (size_t i = 0; rtl_sc_models[i]; i++)
			kinds.push_back(rtl_sc_models[i]);
		for (const rtl_sc_model *rm : kinds) {
			mmu_tlm_params p;
			mmu_config c;
			char e[256];

			p.config = rm ? rm->config : "x86";
			p.backend = rm ? backend_kind::lockstep : backend_kind::golden;
			p.clock = PERIOD;
			p.clock_src = pool_clock;
			if (mmu_config_load(p.config.c_str(), &c, e, sizeof(e)))
				throw std::runtime_error(e);
			for (unsigned i = 0; i < SC_BACKEND_MAX; i++) {
				std::string name = "platform_" +
					std::string(rm ? p.config : "golden") +
					std::to_string(i);

				pool.push_back(new platform(name.c_str(), p, c.mem_bytes));
			}
		}
		sc_start(SC_ZERO_TIME);  // elaborate, start the threads
	} catch (const std::exception &e) {
		snprintf(pool_err, sizeof(pool_err), "SystemC platform: %s", e.what());
		snprintf(err, errlen, "%s", pool_err);
		return MMU_EBACKEND;
	}
	return 0;
}

int sc_open(backend_kind kind, const mmu_config *cfg, uint64_t mem_bytes,
	    machine **out, char *err, size_t errlen)
{
	mmu_tlm_params p;
	platform *pl = nullptr;
	std::string why;
	machine *m;
	int rc;

	p.cfg = *cfg;
	p.backend = kind;
	if (!mem_bytes)
		mem_bytes = cfg->mem_bytes;
	p.mem_bytes = mem_bytes;
	p.clock = PERIOD;
	why = check_params(p, &*p.cfg);
	if (!why.empty()) {
		snprintf(err, errlen, "%s", why.c_str());
		return MMU_EINVAL;
	}
	p.cfg = *cfg;
	p.clock = PERIOD;
	if ((rc = elaborate(err, errlen)))
		return rc;
	p.clock_src = pool_clock;
	for (platform *q : pool)
		if (!q->busy && !pl &&
		    (kind == backend_kind::golden
			     ? q->mmu.params().backend == backend_kind::golden
			     : q->mmu.params().backend != backend_kind::golden &&
				       !strcmp(q->mmu.config().name, cfg->name)))
			pl = q;
	if (!pl) {
		snprintf(err, errlen, "systemc: at most %d machines of "
			 "configuration %s open at once", SC_BACKEND_MAX, cfg->name);
		return MMU_EINVAL;
	}
	if (!pl->ram.clear(mem_bytes)) {
		snprintf(err, errlen, "out of host memory");
		return MMU_ENOMEM;
	}
	if ((rc = pl->mmu.reset(p, &why))) {
		snprintf(err, errlen, "%s", why.c_str());
		return rc;
	}
	m = pl->as_machine();
	pl->busy = true;
	if (kind != backend_kind::golden) {  // the RTL's reset, in the thread
		mmu_regs r;

		m->ops->regs(m, &r);
		if (m->err[0]) {
			snprintf(err, errlen, "%s", m->err);
			machine_destroy(m);
			return MMU_EBACKEND;
		}
	}
	*out = m;
	return 0;
}

// The back-end options describe the RTL's AXI DRAM model: the memory
// target has its own latency, so they are not used here.
int open_lockstep(const mmu_config *cfg, uint64_t mem_bytes, const backend_opts *,
		  machine **out, char *err, size_t errlen)
{
	return sc_open(backend_kind::lockstep, cfg, mem_bytes, out, err, errlen);
}

int open_golden(const mmu_config *cfg, uint64_t mem_bytes, const backend_opts *,
		machine **out, char *err, size_t errlen)
{
	return sc_open(backend_kind::golden, cfg, mem_bytes, out, err, errlen);
}

int open_rtl(const mmu_config *cfg, uint64_t mem_bytes, const backend_opts *,
	     machine **out, char *err, size_t errlen)
{
	return sc_open(backend_kind::rtl, cfg, mem_bytes, out, err, errlen);
}

}  // namespace

extern "C" int systemc_backend_register(void)
{
	static const backend_dut checked = { "systemc", open_lockstep, nullptr };
	static const backend_dut golden = { "systemc-golden", open_golden, nullptr };
	static const backend_dut rtl = { "systemc-rtl", open_rtl, nullptr };

	return backend_register_dut(&golden) || backend_register_dut(&rtl) ||
	       backend_register_dut(&checked);
}
