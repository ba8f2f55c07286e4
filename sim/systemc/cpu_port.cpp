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

void sc_regs(machine *m, mmu_regs *r);

int sc_access(machine *m, const mmu_req *r, mmu_outcome *o)
{
	cpu_port *p = plat(m);
	mmu_ext x;
	uint64_t data = r->wdata;
	int rc;

	*o = mmu_outcome{};
	x.user = r->user;
	x.fetch = r->op == MMU_FETCH;
	rc = p->run([&] {
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
	cpu_port *p = plat(m);
	int rc = p->run([&] {
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
	cpu_port *p = plat(m);
	mmu_ext x;
	int rc;

	x.phys = true;
	if (len > UINT32_MAX) {
		snprintf(m->err, sizeof(m->err), "physical access of %zu bytes", len);
		return MMU_EINVAL;
	}
	rc = p->run([&] {
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

const machine_ops sc_ops = {
	"systemc", sc_access, sc_ctl, sc_phys_read, sc_phys_write, sc_mem_peek,
	sc_regs, sc_counters, sc_destroy,
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
