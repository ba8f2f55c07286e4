// SPDX-License-Identifier: MIT
// The MMU as a TLM-2.0 component: see mmu_tlm.h and docs/systemc.md.
#include "mmu_tlm.h"

#include "axi_bridge.h"
#include "rtl_sc.h"

#include <cstring>

extern "C" {
#include "../../sw/golden/golden.h"
#include "../../sw/lockstep/lockstep.h"
#include "../../sw/machine/pagetable.h"
#include "../rtl_machine.h"
}

namespace mmu_sc {

using namespace sc_core;

// ---- extensions ---------------------------------------------------------

tlm::tlm_extension_base *mmu_ext::clone() const
{
	return new mmu_ext(*this);
}

void mmu_ext::copy_from(const tlm::tlm_extension_base &e)
{
	*this = static_cast<const mmu_ext &>(e);
}

tlm::tlm_extension_base *mmu_ctl_ext::clone() const
{
	return new mmu_ctl_ext(*this);
}

void mmu_ctl_ext::copy_from(const tlm::tlm_extension_base &e)
{
	*this = static_cast<const mmu_ctl_ext &>(e);
}

// ---- parameters ------------------------------------------------------------

void init_payload(tlm::tlm_generic_payload &t, tlm::tlm_command cmd,
		  uint64_t addr, void *data, size_t len)
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

const char *backend_name(backend_kind k)
{
	return k == backend_kind::golden ? "golden" :
	       k == backend_kind::rtl ? "rtl" : "lockstep";
}

std::string check_params(const mmu_tlm_params &p, mmu_config *cfg)
{
	char err[MMU_CFG_ERR_MAX];
	uint64_t mem;

	if (p.cfg) {
		*cfg = *p.cfg;
		if (mmu_config_validate(cfg, err, sizeof(err)))
			return err;
	} else if (mmu_config_load(p.config.c_str(), cfg, err, sizeof(err))) {
		return err;
	}
	if (p.clock <= SC_ZERO_TIME)
		return "clock period must be greater than zero";
	if (p.clock_src && p.clock_src->period() != p.clock)
		return "the clock given has a period of " +
		       p.clock_src->period().to_string() + ", not " +
		       p.clock.to_string();
	if (p.backend != backend_kind::golden) {
		const rtl_sc_model *m = rtl_sc_find(cfg->name);

		if (!m)
			return std::string("no SystemC RTL model for configuration '") +
			       cfg->name + "' (built: " + rtl_sc_list() + ")";
		if (rtl_check_config(rtl_sc_ops(m), cfg, err, sizeof(err)))
			return err;
		if (!p.fst_path.empty() && !m->traced)
			return std::string("RTL model ") + m->model +
			       " was built without tracing";
	} else if (!p.fst_path.empty()) {
		return "fst_path: the golden model has no waveform";
	}
	mem = p.mem_bytes ? p.mem_bytes : cfg->mem_bytes;
	if (mem & ((1ull << cfg->page_shift) - 1) ||
	    (cfg->pa_bits < 64 && mem > (1ull << cfg->pa_bits)))
		return "memory size " + std::to_string(mem) +
		       ": must be a multiple of the page and fit in the "
		       "configuration's physical-address bits";
	return "";
}

// ---- life cycle ----------------------------------------------------------------

mmu_tlm::mmu_tlm(sc_module_name name, const mmu_tlm_params &p)
	: sc_module(name), cpu("cpu"), ctl("ctl"), mem("mem"), p_(p)
{
	cpu.register_b_transport(this, &mmu_tlm::b_transport);
	cpu.register_transport_dbg(this, &mmu_tlm::transport_dbg);
	cpu.register_get_direct_mem_ptr(this, &mmu_tlm::get_direct_mem_ptr);
	ctl.register_b_transport(this, &mmu_tlm::ctl_transport);
	mem.register_invalidate_direct_mem_ptr(this, &mmu_tlm::mem_invalidate);
	port_.ctx = this;
	port_.read = port_read;
	port_.write = port_write;
	port_.peek = port_peek;

	// The RTL is elaborated with the module: its configuration is known
	// now (a bad one is reported at the end of elaboration).
	mmu_config c;
	if (p.backend != backend_kind::golden && check_params(p, &c).empty()) {
		const sc_clock *clk = p.clock_src;
		unsigned bus = c.l1_line < 8 ? (unsigned)c.l1_line : 8;

		model_ = rtl_sc_find(c.name);
		if (!clk)
			clk = own_clock_ = new sc_clock("clk", p.clock);
		dut_ = model_->create("rtl");
		bridge_ = new axi_bridge("axi", *dut_, bus, p.clock,
					 [this](tlm::tlm_command cmd, uint64_t a,
						uint8_t *d, size_t n, sc_time &t) {
						 return mem_xfer(cmd, a, d, n, false, &t);
					 });
		drive_ = new rtl_sc_drive{dut_, clk};
	}
}

mmu_tlm::~mmu_tlm()
{
	close();
	delete static_cast<rtl_sc_drive *>(drive_);
	delete bridge_;
	delete dut_;
	delete own_clock_;
}

void mmu_tlm::close()
{
	machine_destroy(m_);
	m_ = nullptr;
	golden_ = nullptr;
	dmi_.clear();
}

// The memory target must answer the whole of physical memory.
int mmu_tlm::probe_memory(std::string *err)
{
	uint64_t bytes = p_.mem_bytes ? p_.mem_bytes : cfg_.mem_bytes;
	uint8_t probe;

	if (mem_xfer(tlm::TLM_READ_COMMAND, 0, &probe, 1, true) ||
	    mem_xfer(tlm::TLM_READ_COMMAND, bytes - 1, &probe, 1, true)) {
		*err = "the memory target bound to " + std::string(mem.name()) +
		       " must cover [0, " + std::to_string(bytes) +
		       ") (the MMU's physical memory): " + mem_err_;
		mem_err_.clear();
		return MMU_EINVAL;
	}
	return 0;
}

// The RTL's back end is opened in the first transaction (its reset takes
// clock cycles, which only a thread can wait for).
bool mmu_tlm::ready()
{
	if (!m_ && clocked() && open_err_.empty() && open(&open_err_))
		m_ = nullptr;
	return m_ != nullptr;
}

int mmu_tlm::open(std::string *err)
{
	uint64_t bytes = p_.mem_bytes ? p_.mem_bytes : cfg_.mem_bytes;
	char e[256] = "";
	machine *ref = nullptr, *dut = nullptr;
	int rc;

	if ((rc = probe_memory(err)))
		return rc;
	if (p_.backend == backend_kind::golden) {
		rc = golden_create_port(&cfg_, bytes, &port_, &m_, e, sizeof(e));
		golden_ = m_;
	} else {
		rc = rtl_create_on(&cfg_, bytes, nullptr, rtl_sc_ops(model_), drive_,
				   &port_, p_.backend == backend_kind::rtl ? &m_ : &dut,
				   e, sizeof(e));
		if (!rc && p_.backend == backend_kind::lockstep)
			rc = golden_create(&cfg_, bytes, &ref, e, sizeof(e));
		if (!rc && p_.backend == backend_kind::lockstep) {
			rc = lockstep_create(ref, dut, &m_, e, sizeof(e));
			ref = dut = nullptr;  // owned by the lockstep machine now
		}
		machine_destroy(ref);
		machine_destroy(dut);
		if (!rc && p_.backend == backend_kind::lockstep)
			golden_ = lockstep_ref(m_);
	}
	if (rc) {
		m_ = golden_ = nullptr;
		*err = e;
	}
	return rc;
}

void mmu_tlm::end_of_elaboration()
{
	std::string why = check_params(p_, &cfg_);

	if (why.empty())
		clocked() ? probe_memory(&why) : open(&why);
	if (!why.empty())
		SC_REPORT_ERROR(name(), ("refused at elaboration: " + why).c_str());
}

void mmu_tlm::start_of_simulation()
{
	if (dut_ && !p_.fst_path.empty() && dut_->trace_open(p_.fst_path.c_str()))
		SC_REPORT_ERROR(name(), ("cannot write the FST " + p_.fst_path).c_str());
}

int mmu_tlm::reset(const mmu_tlm_params &p, std::string *err)
{
	mmu_config c;
	std::string why = check_params(p, &c);

	if (!why.empty()) {
		*err = why;
		return MMU_EINVAL;
	}
	if ((p.backend != backend_kind::golden) != clocked() ||
	    (clocked() && (strcmp(c.name, cfg_.name) || p.clock != p_.clock))) {
		*err = "reset: the RTL was elaborated for configuration " +
		       std::string(cfg_.name) + " and this back end";
		return MMU_EINVAL;
	}
	close();
	dmi_drop_all();
	p_ = p;
	cfg_ = c;
	mem_err_.clear();
	open_err_.clear();
	return clocked() ? probe_memory(err) : open(err);
}

// ---- the memory side ------------------------------------------------------------

int mmu_tlm::mem_xfer(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len,
		      bool debug, sc_time *bus_delay)
{
	tlm::tlm_generic_payload t;

	init_payload(t, cmd, pa, buf, len);
	if (debug) {
		if (mem->transport_dbg(t) == len)
			return 0;
		t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
	} else {
		mem->b_transport(t, bus_delay ? *bus_delay : mem_delay_);
		if (t.is_response_ok())
			return 0;
	}
	if (mem_err_.empty() && !bus_delay)
		mem_err_ = "memory target answered " + t.get_response_string() +
			   " to a " + (debug ? "debug " : "") +
			   (cmd == tlm::TLM_READ_COMMAND ? "read" : "write") +
			   " of " + std::to_string(len) + " bytes at " +
			   std::to_string(pa);
	return -1;
}

int mmu_tlm::port_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	return static_cast<mmu_tlm *>(ctx)->mem_xfer(tlm::TLM_READ_COMMAND, pa,
						     buf, len, false);
}

int mmu_tlm::port_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	// TLM data pointers are not const; the target only reads a write's data.
	return static_cast<mmu_tlm *>(ctx)->mem_xfer(tlm::TLM_WRITE_COMMAND, pa,
						     const_cast<void *>(buf), len,
						     false);
}

int mmu_tlm::port_peek(void *ctx, uint64_t pa, void *buf, size_t len)
{
	return static_cast<mmu_tlm *>(ctx)->mem_xfer(tlm::TLM_READ_COMMAND, pa,
						     buf, len, true);
}

void mmu_tlm::mem_invalidate(sc_dt::uint64, sc_dt::uint64)
{
	dmi_drop_all();  // the memory behind our grants may have moved
}

// ---- the CPU side ----------------------------------------------------------------

static tlm::tlm_response_status status_response(mmu_status s)
{
	switch (s) {
	case MMU_ST_OK:
		return tlm::TLM_OK_RESPONSE;
	case MMU_ST_BUS_ERROR:
		return tlm::TLM_ADDRESS_ERROR_RESPONSE;
	default:  // #PF, #GP: the extension says which
		return tlm::TLM_GENERIC_ERROR_RESPONSE;
	}
}

// A failed call: the message into the extension, an error response.
static void fail(tlm::tlm_generic_payload &t, mmu_ext *x, int rc,
		 const std::string &msg)
{
	t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
	if (x) {
		x->rc = rc;
		x->err = msg;
	}
}

void mmu_tlm::b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
	mmu_ext *x = t.get_extension<mmu_ext>();

	n_trans_++;
	if (x) {
		x->rc = MMU_OK;
		x->err.clear();
		x->out = mmu_outcome{};
		x->cycles = 0;
	}
	if (t.get_command() == tlm::TLM_IGNORE_COMMAND) {
		t.set_response_status(tlm::TLM_OK_RESPONSE);
		return;
	}
	if (t.get_byte_enable_ptr()) {
		t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
		return;
	}
	if (t.get_streaming_width() < t.get_data_length()) {
		t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
		return;
	}
	if (clocked()) {  // the RTL lives in simulated time: catch up first
		wait(delay);
		delay = SC_ZERO_TIME;
	}
	if (!ready() || !mem_err_.empty())
		return fail(t, x, MMU_EBACKEND,
			    m_ ? mem_err_ : "the MMU has no back end: " + open_err_);
	mem_delay_ = SC_ZERO_TIME;
	if (x && x->phys)
		phys(t, x, delay);
	else
		access(t, x, delay);
	if (bridge_ && bridge_->error() && mem_err_.empty())
		mem_err_ = bridge_->error();
	if (!mem_err_.empty())  // a line fill or write-back failed
		fail(t, x, MMU_EBACKEND, mem_err_);
}

void mmu_tlm::access(tlm::tlm_generic_payload &t, mmu_ext *x, sc_time &delay)
{
	unsigned len = t.get_data_length();
	mmu_outcome o;
	mmu_req r{};
	uint64_t cycles;
	int rc;

	if (len != 1 && len != 2 && len != 4 && len != 8) {
		t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
		return;
	}
	r.va = t.get_address();
	r.size = len;
	r.user = x && x->user;
	if (t.is_write()) {
		r.op = MMU_STORE;
		std::memcpy(&r.wdata, t.get_data_ptr(), len);  // little-endian host
	} else {
		r.op = x && x->fetch ? MMU_FETCH : MMU_LOAD;
	}
	rc = machine_access(m_, &r, &o);
	if (rc)
		return fail(t, x, rc, m_->err);
	if (o.status == MMU_ST_OK && r.op != MMU_STORE)
		std::memcpy(t.get_data_ptr(), &o.rdata, len);
	if (o.status == MMU_ST_OK && r.op == MMU_STORE)
		dmi_drop(o.pa, o.pa + len - 1);
	if (o.n_ad)
		dmi_drop_all();  // the walker wrote page-table entries
	cycles = o.cycles;  // the RTL's: they passed in simulated time
	if (!clocked()) {
		cycles = 1 + (uint64_t)o.walk_reads * p_.walk_read_cycles +
			 (uint64_t)o.n_ad * p_.ad_write_cycles;
		delay += p_.clock * (double)cycles + mem_delay_;
	}
	t.set_response_status(status_response(o.status));
	if (x) {
		x->out = o;
		x->cycles = cycles;
	}
}

void mmu_tlm::phys(tlm::tlm_generic_payload &t, mmu_ext *x, sc_time &delay)
{
	uint64_t pa = t.get_address(), len = t.get_data_length();
	uint64_t lines = len ? ((pa + len - 1) / cfg_.l1_line - pa / cfg_.l1_line + 1) : 0;
	int rc;

	if (t.is_read()) {
		rc = machine_phys_read(m_, pa, t.get_data_ptr(), len);
	} else {
		rc = machine_phys_write(m_, pa, t.get_data_ptr(), len);
		dmi_drop_all();  // page tables may have changed
	}
	if (rc == MMU_ERANGE) {
		t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
		if (x) {
			x->rc = rc;
			x->err = m_->err;
		}
		return;
	}
	if (rc)
		return fail(t, x, rc, m_->err);
	if (!clocked())
		delay += p_.clock * (double)lines + mem_delay_;
	if (x)
		x->cycles = lines;
	t.set_response_status(tlm::TLM_OK_RESPONSE);
}

// ---- debug transport: no side effects ----------------------------------------

// Memory as the L1 sees it: resident lines of the golden model, else the
// memory target (debug transport).  Without a golden model (RTL alone) the
// memory target only: dirty lines in the RTL's L1 are not seen.
int mmu_tlm::peek_coherent(uint64_t pa, uint8_t *buf, size_t len)
{
	const uint64_t line = cfg_.l1_line;

	if (!physmem_in_range_bytes(pa, len))
		return -1;
	while (len) {
		uint64_t off = pa & (line - 1), n = line - off;
		mmu_pa_fields f;
		golden_line l{};
		bool found = false;

		if (n > len)
			n = len;
		mmu_split_pa(&cfg_, pa, &f);
		for (unsigned w = 0; golden_ && w < cfg_.l1_ways && !found; w++)
			found = !golden_l1_line(golden_, (unsigned)f.ci, w, &l) &&
				l.valid && l.tag == f.ct;
		if (found)
			std::memcpy(buf, l.data + off, n);
		else if (mem_xfer(tlm::TLM_READ_COMMAND, pa, buf, n, true))
			return -1;
		buf += n;
		pa += n;
		len -= n;
	}
	return 0;
}

bool mmu_tlm::physmem_in_range_bytes(uint64_t pa, uint64_t len) const
{
	uint64_t bytes = m_ ? m_->mem_bytes : 0;

	return pa < bytes && len <= bytes - pa;
}

// The page walk without the walker: present bits and PS only, through
// coherent peeks.  *rights: bit PTE_BIT_US / PTE_BIT_A set when every
// level has it.  False when va has no translation.
bool mmu_tlm::dbg_translate(uint64_t va, uint64_t *pa, uint64_t *page_bytes,
			    pte_t *rights)
{
	mmu_regs regs;
	uint64_t table;
	pte_t all = ~(pte_t)0;

	m_->ops->regs(m_, &regs);
	table = pt_frame(&cfg_, regs.cr3);
	for (unsigned level = (unsigned)cfg_.levels; level >= 1; level--) {
		uint8_t b[8] = {0};
		pte_t e = 0;
		bool large;

		if (peek_coherent(table + pt_index(&cfg_, va, level) * cfg_.pte_bytes,
				  b, cfg_.pte_bytes))
			return false;
		for (unsigned i = (unsigned)cfg_.pte_bytes; i-- > 0;)
			e = (e << 8) | b[i];
		if (!(e >> PTE_BIT_P & 1))
			return false;
		all &= e;
		large = (level == 2 && cfg_.page_2m) || (level == 3 && cfg_.page_1g);
		if (level == 1 || (large && (e >> PTE_BIT_PS & 1))) {
			*page_bytes = mmu_level_page_size(&cfg_, level);
			*pa = (pt_frame(&cfg_, e) & ~(*page_bytes - 1)) |
			      (va & (*page_bytes - 1));
			*rights = all;
			return *pa < m_->mem_bytes;
		}
		table = pt_frame(&cfg_, e);
	}
	return false;
}

unsigned int mmu_tlm::transport_dbg(tlm::tlm_generic_payload &t)
{
	mmu_ext *x = t.get_extension<mmu_ext>();
	uint64_t addr = t.get_address(), pa = addr, page = ~0ull;
	uint64_t len = t.get_data_length();
	pte_t rights;

	if (!m_ || !t.is_read())
		return 0;  // debug writes could break coherence: refused
	if (!(x && x->phys)) {
		bool ok = dbg_translate(addr, &pa, &page, &rights);

		if (x) {
			x->out = mmu_outcome{};
			x->out.status = ok ? MMU_ST_OK : MMU_ST_PAGE_FAULT;
			x->out.pa = ok ? pa : 0;
			x->out.page_level = 0;
			for (unsigned l = 1; ok && l <= cfg_.levels; l++)
				if (mmu_level_page_size(&cfg_, l) == page)
					x->out.page_level = (uint8_t)l;
		}
		if (!ok)
			return 0;
		if (len > page - (pa & (page - 1)))
			len = page - (pa & (page - 1));  // up to the page's end
	}
	if (peek_coherent(pa, t.get_data_ptr(), len))
		return 0;
	return (unsigned)len;
}

// ---- DMI ------------------------------------------------------------------

bool mmu_tlm::get_direct_mem_ptr(tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi)
{
	mmu_ext *x = t.get_extension<mmu_ext>();
	const uint64_t granule = 1ull << cfg_.page_shift;
	uint64_t va = t.get_address(), pa, page, va0, pa0;
	bool user = x && x->user;
	tlm::tlm_generic_payload q;
	tlm::tlm_dmi md;
	mmu_regs regs;
	pte_t rights;

	// The CPU's view of an address range: read only (a write must set D and
	// reach the L1), granted for one base page whose translation exists,
	// whose A bits are set at every level (a read would not change them),
	// that the requester may read, and whose lines are clean in the L1.
	dmi.allow_none();
	dmi.set_start_address(va & ~(granule - 1));
	dmi.set_end_address(va | (granule - 1));
	if (!m_ || !golden_ || (x && (x->phys || x->fetch)) || !mem_err_.empty() ||
	    !dbg_translate(va, &pa, &page, &rights))
		return false;
	m_->ops->regs(m_, &regs);
	if (!(rights >> PTE_BIT_A & 1) ||
	    (user && !(rights >> PTE_BIT_US & 1)) ||
	    (!user && (rights >> PTE_BIT_US & 1) && (regs.cr4 & CR4_SMAP) && !regs.ac))
		return false;
	va0 = va & ~(granule - 1);
	pa0 = pa & ~(granule - 1);
	for (uint64_t a = pa0; a < pa0 + granule; a += cfg_.l1_line) {
		mmu_pa_fields f;
		golden_line l{};

		mmu_split_pa(&cfg_, a, &f);
		for (unsigned w = 0; w < cfg_.l1_ways; w++)
			if (!golden_l1_line(golden_, (unsigned)f.ci, w, &l) &&
			    l.valid && l.dirty && l.tag == f.ct)
				return false;
	}
	q.set_command(tlm::TLM_READ_COMMAND);
	q.set_address(pa0);
	if (!mem->get_direct_mem_ptr(q, md) || !md.is_read_allowed() ||
	    md.get_start_address() > pa0 ||
	    md.get_end_address() < pa0 + granule - 1)
		return false;
	dmi.set_dmi_ptr(md.get_dmi_ptr() + (pa0 - md.get_start_address()));
	dmi.allow_read();
	dmi.set_read_latency(p_.clock + md.get_read_latency());
	dmi_.push_back({va0, pa0, granule});
	n_dmi_++;
	return true;
}

// Stores change memory the CPU may read directly: drop grants of that page.
void mmu_tlm::dmi_drop(uint64_t pa_lo, uint64_t pa_hi)
{
	for (size_t i = 0; i < dmi_.size();) {
		const dmi_grant &g = dmi_[i];

		if (pa_hi >= g.pa && pa_lo < g.pa + g.bytes) {
			cpu->invalidate_direct_mem_ptr(g.va, g.va + g.bytes - 1);
			n_dmi_inval_++;
			dmi_.erase(dmi_.begin() + (long)i);
		} else {
			i++;
		}
	}
}

// Translations changed (INVLPG, INVPCID, CR writes, page-table writes).
void mmu_tlm::dmi_drop_all()
{
	if (dmi_.empty())
		return;
	dmi_.clear();
	cpu->invalidate_direct_mem_ptr(0, ~0ull);
	n_dmi_inval_++;
}

// ---- control ----------------------------------------------------------------

void mmu_tlm::ctl_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
	mmu_ctl_ext *x = t.get_extension<mmu_ctl_ext>();
	int rc = 0;

	n_trans_++;
	if (!x) {
		t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
		return;
	}
	x->rc = MMU_OK;
	x->err.clear();
	if (clocked()) {
		wait(delay);
		delay = SC_ZERO_TIME;
	}
	if (!ready() || !mem_err_.empty()) {
		x->rc = MMU_EBACKEND;
		x->err = m_ ? mem_err_ : "the MMU has no back end: " + open_err_;
		t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
		return;
	}
	mem_delay_ = SC_ZERO_TIME;
	switch (x->what) {
	case mmu_ctl_ext::kind::regs:
		m_->ops->regs(m_, &x->regs);
		break;
	case mmu_ctl_ext::kind::counters:
		m_->ops->counters(m_, &x->counters);
		break;
	case mmu_ctl_ext::kind::control:
		rc = machine_ctl(m_, &x->ctl, &x->res);
		if (x->ctl.op <= MMU_CTL_INVPCID)
			dmi_drop_all();  // translations or rights may change
		break;
	}
	if (rc || !mem_err_.empty()) {
		x->rc = rc ? rc : MMU_EBACKEND;
		x->err = rc ? m_->err : mem_err_;
		t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
		return;
	}
	if (!clocked())
		delay += p_.clock + mem_delay_;
	t.set_response_status(x->what == mmu_ctl_ext::kind::control &&
					      x->res == MMU_CTL_GP
				      ? tlm::TLM_GENERIC_ERROR_RESPONSE
				      : tlm::TLM_OK_RESPONSE);
}

}  // namespace mmu_sc
