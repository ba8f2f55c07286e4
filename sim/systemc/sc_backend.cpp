// SPDX-License-Identifier: MIT
// The `systemc` back end of the machine interface: see sc_backend.h.
#include "sc_backend.h"

#include "mem_target.h"
#include "mmu_tlm.h"
#include "rtl_sc.h"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <functional>
#include <vector>

extern "C" {
#include "../../sw/lockstep/backend.h"
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

// One platform: a CPU stand-in, the MMU, a memory target.
struct platform : sc_module {
	tlm_utils::simple_initiator_socket<platform> cpu, ctl;
	mmu_tlm mmu;
	mem_target ram;
	tlm_utils::tlm_quantumkeeper qk;
	sc_event kick;
	std::function<void()> job;  // the transaction to send
	bool busy = false;          // a machine is open on it

	SC_HAS_PROCESS(platform);
	platform(sc_module_name n, const mmu_tlm_params &p, uint64_t bytes)
		: sc_module(n), cpu("cpu"), ctl("ctl"), mmu("mmu", p),
		  ram("ram", bytes)
	{
		cpu.bind(mmu.cpu);
		ctl.bind(mmu.ctl);
		mmu.mem.bind(ram.socket);
		cpu.register_invalidate_direct_mem_ptr(this, &platform::dmi_gone);
		SC_THREAD(run);
	}
	void dmi_gone(sc_dt::uint64, sc_dt::uint64) {}  // this CPU takes no DMI
	void run()
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
	// Send a transaction from the thread, with the annotated delay kept
	// by the quantum keeper.
	tlm::tlm_response_status send(tlm_utils::simple_initiator_socket<platform> &s,
				      tlm::tlm_generic_payload &t)
	{
		sc_time d = qk.get_local_time();

		s->b_transport(t, d);
		qk.set(d);
		if (qk.need_sync())
			qk.sync();
		return t.get_response_status();
	}
	// Run f in the platform's thread (from outside the simulation).
	int call(std::function<void()> f, char *err, size_t errlen)
	{
		job = std::move(f);
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

struct scm {
	machine base;  // first: a machine * is an scm *
	platform *p;
};

platform *plat(machine *m)
{
	return reinterpret_cast<scm *>(m)->p;
}

void set_err(machine *m, int rc, const std::string &msg)
{
	if (rc)
		snprintf(m->err, sizeof(m->err), "%s", msg.c_str());
}

void payload(tlm::tlm_generic_payload &t, tlm::tlm_command cmd, uint64_t addr,
	     void *data, size_t len)
{
	t.set_command(cmd);
	t.set_address(addr);
	t.set_data_ptr(static_cast<unsigned char *>(data));
	t.set_data_length((unsigned)len);
	t.set_streaming_width((unsigned)len);
	t.set_byte_enable_ptr(nullptr);
	t.set_dmi_allowed(false);
	t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

int sc_access(machine *m, const mmu_req *r, mmu_outcome *o)
{
	platform *p = plat(m);
	mmu_ext x;
	uint64_t data = r->wdata;
	int rc;

	*o = mmu_outcome{};
	x.user = r->user;
	x.fetch = r->op == MMU_FETCH;
	rc = p->call([&] {
		tlm::tlm_generic_payload t;

		payload(t, r->op == MMU_STORE ? tlm::TLM_WRITE_COMMAND
					      : tlm::TLM_READ_COMMAND,
			r->va, &data, r->size);
		t.set_extension(&x);
		if (t.get_data_length() > 8)
			x.rc = MMU_EINVAL, x.err = "access larger than 8 bytes";
		else
			p->send(p->cpu, t);
		t.clear_extension(&x);
	}, m->err, sizeof(m->err));
	if (rc)
		return rc;
	*o = x.out;
	set_err(m, x.rc, x.err);
	return x.rc;
}

int sc_ctl_ext(machine *m, mmu_ctl_ext &x)
{
	platform *p = plat(m);
	int rc = p->call([&] {
		tlm::tlm_generic_payload t;

		payload(t, tlm::TLM_WRITE_COMMAND, 0, nullptr, 0);
		t.set_extension(&x);
		p->send(p->ctl, t);
		t.clear_extension(&x);
	}, m->err, sizeof(m->err));

	if (rc)
		return rc;
	set_err(m, x.rc, x.err);
	return x.rc;
}

int sc_ctl(machine *m, const mmu_ctl *c, mmu_ctl_result *res)
{
	mmu_ctl_ext x;
	int rc;

	x.ctl = *c;
	rc = sc_ctl_ext(m, x);
	*res = x.res;
	return rc;
}

int sc_phys(machine *m, tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len)
{
	platform *p = plat(m);
	mmu_ext x;
	int rc;

	x.phys = true;
	if (len > UINT32_MAX) {
		snprintf(m->err, sizeof(m->err), "physical access of %zu bytes", len);
		return MMU_EINVAL;
	}
	rc = p->call([&] {
		tlm::tlm_generic_payload t;

		payload(t, cmd, pa, buf, len);
		t.set_extension(&x);
		p->send(p->cpu, t);
		t.clear_extension(&x);
	}, m->err, sizeof(m->err));
	if (rc)
		return rc;
	set_err(m, x.rc, x.err);
	return x.rc;
}

int sc_phys_read(machine *m, uint64_t pa, void *buf, size_t len)
{
	return sc_phys(m, tlm::TLM_READ_COMMAND, pa, buf, len);
}

int sc_phys_write(machine *m, uint64_t pa, const void *buf, size_t len)
{
	// TLM data pointers are not const; a write's data is only read.
	return sc_phys(m, tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf), len);
}

// Memory as the memory target holds it: the back end's own side-effect-
// free peek (debug transport into the memory target; in lockstep, both
// memories compared).
int sc_mem_peek(machine *m, uint64_t pa, void *buf, size_t len)
{
	machine *in = plat(m)->mmu.inner();
	int rc = in->ops->mem_peek(in, pa, buf, len);

	set_err(m, rc, in->err);
	return rc;
}

void sc_regs(machine *m, mmu_regs *r)
{
	mmu_ctl_ext x;

	x.what = mmu_ctl_ext::kind::regs;
	*r = mmu_regs{};
	if (!sc_ctl_ext(m, x))
		*r = x.regs;
}

void sc_counters(machine *m, mmu_counters *c)
{
	mmu_ctl_ext x;

	x.what = mmu_ctl_ext::kind::counters;
	*c = mmu_counters{};
	if (!sc_ctl_ext(m, x))
		*c = x.counters;
}

void sc_destroy(machine *m)
{
	if (!m)
		return;
	plat(m)->busy = false;
	delete reinterpret_cast<scm *>(m);
}

const machine_ops sc_ops = {
	"systemc", sc_access, sc_ctl, sc_phys_read, sc_phys_write, sc_mem_peek,
	sc_regs, sc_counters, sc_destroy,
};

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
	scm *m;
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
	m = new (std::nothrow) scm{};
	if (!m) {
		snprintf(err, errlen, "out of host memory");
		return MMU_ENOMEM;
	}
	m->base.ops = &sc_ops;
	m->base.cfg = pl->mmu.config();
	m->base.mem_bytes = mem_bytes;
	m->p = pl;
	pl->busy = true;
	if (kind != backend_kind::golden) {  // the RTL's reset, in the thread
		mmu_regs r;

		sc_regs(&m->base, &r);
		if (m->base.err[0]) {
			snprintf(err, errlen, "%s", m->base.err);
			sc_destroy(&m->base);
			return MMU_EBACKEND;
		}
	}
	*out = &m->base;
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
