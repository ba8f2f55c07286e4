// SPDX-License-Identifier: MIT
// The machine interface on the MMU's sockets: see cpu_port.h.
#include "cpu_port.h"

#include <cstdio>

namespace mmu_sc {

using namespace sc_core;

namespace {

struct scm {
	machine base;  // first: a machine * is an scm *
	cpu_port *p;
};

cpu_port *plat(machine *m)
{
	return reinterpret_cast<scm *>(m)->p;
}

void set_err(machine *m, int rc, const std::string &msg)
{
	if (rc)
		snprintf(m->err, sizeof(m->err), "%s", msg.c_str());
}

void sc_regs(machine *m, mmu_regs *r);

// One transaction with extension x from the port's thread; x.rc back.
template <typename X>
int transact(machine *m, bool ctl, tlm::tlm_command cmd, uint64_t addr,
	     void *data, size_t len, X &x)
{
	cpu_port *p = plat(m);
	int rc = p->run([&] {
		tlm::tlm_generic_payload t;

		init_payload(t, cmd, addr, data, len);
		t.set_extension(&x);
		p->send(ctl ? p->ctl : p->cpu, t);
		t.clear_extension(&x);
	}, m->err, sizeof(m->err));

	if (rc)
		return rc;
	set_err(m, x.rc, x.err);
	return x.rc;
}

int sc_access(machine *m, const mmu_req *r, mmu_outcome *o)
{
	mmu_ext x;
	uint64_t data = r->wdata;
	int rc;

	*o = mmu_outcome{};
	if (r->size > sizeof(data)) {
		snprintf(m->err, sizeof(m->err), "access of %u bytes", r->size);
		return MMU_EINVAL;
	}
	x.user = r->user;
	x.fetch = r->op == MMU_FETCH;
	rc = transact(m, false, r->op == MMU_STORE ? tlm::TLM_WRITE_COMMAND
						   : tlm::TLM_READ_COMMAND,
		      r->va, &data, r->size, x);
	*o = x.out;
	return rc;
}

int sc_ctl_ext(machine *m, mmu_ctl_ext &x)
{
	return transact(m, true, tlm::TLM_WRITE_COMMAND, 0, nullptr, 0, x);
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
	mmu_ext x;

	x.phys = true;
	if (len > UINT32_MAX) {
		snprintf(m->err, sizeof(m->err), "physical access of %zu bytes", len);
		return MMU_EINVAL;
	}
	return transact(m, false, cmd, pa, buf, len, x);
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
	machine *in = plat(m)->mmu().inner();
	mmu_regs r;
	int rc;

	if (!in) {  // the RTL's back end opens at the first transaction
		sc_regs(m, &r);
		in = plat(m)->mmu().inner();
	}
	if (!in)
		return MMU_EBACKEND;
	rc = in->ops->mem_peek(in, pa, buf, len);

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
	if (m)
		plat(m)->release();
}

// The debug path (TLB entries and L1 lines read and written directly) has
// no transaction on the sockets: not offered; nor are events (the AXI
// slave is the platform's).
const machine_ops sc_ops = {
	"systemc", sc_access, sc_ctl, sc_phys_read, sc_phys_write, sc_mem_peek,
	sc_regs, sc_counters, sc_destroy, nullptr, nullptr, nullptr,
};

}  // namespace

cpu_port::cpu_port(sc_module_name name) : sc_module(name), cpu("cpu"), ctl("ctl")
{
	cpu.register_invalidate_direct_mem_ptr(this, &cpu_port::dmi_gone);
}

cpu_port::~cpu_port()
{
	delete reinterpret_cast<scm *>(m_);
}

void cpu_port::bind(mmu_tlm &mmu)
{
	mmu_ = &mmu;
	cpu.bind(mmu.cpu);
	ctl.bind(mmu.ctl);
}

machine *cpu_port::as_machine()
{
	if (!m_) {
		scm *s = new scm{};

		s->p = this;
		m_ = &s->base;
	}
	m_->ops = &sc_ops;
	m_->cfg = mmu_->config();
	m_->mem_bytes = mmu_->params().mem_bytes ? mmu_->params().mem_bytes
						 : mmu_->config().mem_bytes;
	m_->err[0] = 0;
	return m_;
}

void cpu_port::send(tlm_utils::simple_initiator_socket<cpu_port> &s,
		    tlm::tlm_generic_payload &t)
{
	sc_time d = qk.get_local_time();

	s->b_transport(t, d);
	qk.set(d);
	if (qk.need_sync())
		qk.sync();
}

int cpu_port::run(const std::function<void()> &f, char *, size_t)
{
	f();
	return 0;
}

}  // namespace mmu_sc
