// SPDX-License-Identifier: MIT
// The thinnest C++ layer: one Verilated configuration behind the C table
// struct vshim_ops.  Compiled once per configuration with vshim_cfg.h (made
// by sim/sim.mk) defining VSHIM_TOP (the Verilated class), VSHIM_NAME (the
// table's symbol), VSHIM_CONFIG and VSHIM_GFLAGS, and VSHIM_TRACE /
// VSHIM_COVERAGE when the model was built with --trace-fst / --coverage.
#include "vshim_cfg.h"
#include "rtl_ports.h"

#include <verilated.h>
#include <type_traits>
#if VSHIM_TRACE
#include <verilated_fst_c.h>
#endif
#if VSHIM_COVERAGE
#include <verilated_cov.h>
#endif

#define VSHIM_STR2(x) #x
#define VSHIM_STR(x) VSHIM_STR2(x)
#define VSHIM_HDR(x) VSHIM_STR(x.h)
#define VSHIM_CAT2(a, b) a##b
#define VSHIM_CAT(a, b) VSHIM_CAT2(a, b)
#include VSHIM_HDR(VSHIM_TOP)
#include VSHIM_HDR(VSHIM_CAT(VSHIM_TOP, ___024root))

typedef VSHIM_CAT(VSHIM_TOP, ___024root) vshim_root;

// Verilator 5.006's region functions (weak: absent elsewhere, see fast_edge).
void VSHIM_CAT(VSHIM_TOP, ___024root___eval_ico)(vshim_root *) __attribute__((weak));
void VSHIM_CAT(VSHIM_TOP, ___024root___eval_nba)(vshim_root *) __attribute__((weak));

namespace {

struct shim {
	VerilatedContext ctx;
	VSHIM_TOP *top;
	bool ready;  // evaluated once through eval() (initialisation done)
#if VSHIM_TRACE
	VerilatedFstC *fst;
#endif
};

// read_outputs and write_inputs run every cycle: inlined into tick.
#define VSHIM_INLINE inline __attribute__((always_inline))

// Outputs, by group: the handshake and valid bits every time, a payload
// only while its valid bit is set (the glue and the AXI slave read a payload
// only then), so that a quiet cycle copies a dozen bytes.
VSHIM_INLINE void read_outputs(const VSHIM_TOP *t, struct rtl_out *out)
{
	out->req_ready = t->req_ready_o;
	out->rsp_valid = t->rsp_valid_o;
	out->ad_valid = t->ad_valid_o;
	out->ctl_ready = t->ctl_ready_o;
	out->ctl_done = t->ctl_done_o;
	out->ctl_gp = t->ctl_gp_o;
	out->awvalid = t->m_axi_awvalid_o;
	out->wvalid = t->m_axi_wvalid_o;
	out->bready = t->m_axi_bready_o;
	out->arvalid = t->m_axi_arvalid_o;
	out->rready = t->m_axi_rready_o;
	if (VL_UNLIKELY(out->rsp_valid)) {
		out->rsp_status = t->rsp_status_o;
		out->rsp_rdata = t->rsp_rdata_o;
		out->rsp_pa = t->rsp_pa_o;
		out->rsp_ec = t->rsp_ec_o;
		out->rsp_tlb_hit = t->rsp_tlb_hit_o;
		out->rsp_walked = t->rsp_walked_o;
		out->rsp_l1_hit = t->rsp_l1_hit_o;
		out->rsp_walk_reads = t->rsp_walk_reads_o;
		out->rsp_psc_level = t->rsp_psc_level_o;
		out->rsp_page_level = t->rsp_page_level_o;
	}
	if (VL_UNLIKELY(out->ad_valid)) {
		out->ad_pa = t->ad_pa_o;
		out->ad_value = t->ad_value_o;
	}
	if (out->awvalid) {
		out->awaddr = t->m_axi_awaddr_o;
		out->awlen = t->m_axi_awlen_o;
		out->awsize = t->m_axi_awsize_o;
		out->awburst = t->m_axi_awburst_o;
		out->awid = t->m_axi_awid_o;
	}
	if (out->wvalid) {
		out->wdata = t->m_axi_wdata_o;
		out->wstrb = t->m_axi_wstrb_o;
		out->wlast = t->m_axi_wlast_o;
	}
	if (out->arvalid) {
		out->araddr = t->m_axi_araddr_o;
		out->arlen = t->m_axi_arlen_o;
		out->arsize = t->m_axi_arsize_o;
		out->arburst = t->m_axi_arburst_o;
		out->arid = t->m_axi_arid_o;
	}
}

// Inputs, by group: only the groups the glue wrote since the last copy
// (in->dirty, RTL_IN_*; the glue clears it after each call).
VSHIM_INLINE void write_inputs(VSHIM_TOP *t, const struct rtl_in *in)
{
	if (in->dirty & RTL_IN_REQ) {
		t->rst_ni = in->rst_ni;
		t->req_valid_i = in->req_valid;
		t->req_va_i = in->req_va;
		t->req_op_i = in->req_op;
		t->req_size_i = in->req_size;
		t->req_user_i = in->req_user;
		t->req_phys_i = in->req_phys;
		t->req_wdata_i = in->req_wdata;
	}
	if (VL_UNLIKELY(in->dirty & RTL_IN_CTL)) {
		t->ctl_valid_i = in->ctl_valid;
		t->ctl_op_i = in->ctl_op;
		t->ctl_value_i = in->ctl_value;
		t->ctl_addr_i = in->ctl_addr;
		t->ctl_type_i = in->ctl_type;
		t->ctl_pcid_i = in->ctl_pcid;
	}
	if (in->dirty & RTL_IN_AXI) {
		t->m_axi_awready_i = in->awready;
		t->m_axi_wready_i = in->wready;
		t->m_axi_bvalid_i = in->bvalid;
		t->m_axi_bresp_i = in->bresp;
		t->m_axi_bid_i = in->bid;
		t->m_axi_arready_i = in->arready;
		t->m_axi_rvalid_i = in->rvalid;
		t->m_axi_rdata_i = in->rdata;
		t->m_axi_rresp_i = in->rresp;
		t->m_axi_rlast_i = in->rlast;
		t->m_axi_rid_i = in->rid;
	}
}

// A rising edge needs the model to have seen the clock low.  Verilator
// 5.006 keeps the clock's previous value in __Vtrigrprev__TOP__clk_i and
// evaluates every input-driven process at each eval(), so an evaluation
// with the clock low only to arm the trigger would compute the whole
// input-driven logic twice per cycle.  Where the model has that member,
// setting it to 0 arms the edge: one eval() then settles the new inputs
// and clocks, which is what eval(low) + eval(high) with unchanged inputs
// does (the design has no negative-edge logic).  Other Verilator versions
// (no such member) take the two evaluations.
template <typename R>
auto arm_edge(R *r, int) -> decltype((void)(r->__Vtrigrprev__TOP__clk_i = 0), true)
{
	r->__Vtrigrprev__TOP__clk_i = 0;
	return true;
}
template <typename R>
bool arm_edge(R *, long)
{
	return false;
}

// The rising edge without Verilator's scheduler.  In 5.006 an eval() with
// the edge armed runs the input-driven region once (ico: its only trigger
// is "first iteration"), then the clocked region once (nba: its only
// trigger is the clock's rising edge; the act region is empty), then finds
// no trigger and stops; eval_step() around it only adds the first-call
// initialisation, the trace activity flag and the end-of-eval message
// queue (empty without threads).  Where the model has exactly that shape
// (one ico and one nba trigger, the region functions present), running
// the two regions directly is the same evaluation without the loops and
// trigger vectors.  With ico false the input-driven region is skipped: no
// input changed since the last evaluation, which left every process it
// holds settled (the nba region recomputes the combinational logic that
// reads registers).  Not used before the first eval() nor while tracing.
template <typename R>
auto fast_edge(R *r, bool ico, int)
	-> decltype((void)r->__VicoTriggered, (void)r->__VnbaTriggered,
		    (void)(r->__Vtrigrprev__TOP__clk_i = 0), true)
{
	static_assert(std::is_same<R, vshim_root>::value, "root type");
	typedef decltype(r->__VicoTriggered) ico_t;
	typedef decltype(r->__VnbaTriggered) nba_t;

	if (!std::is_same<ico_t, VlTriggerVec<1>>::value ||
	    !std::is_same<nba_t, VlTriggerVec<1>>::value ||
	    !&VSHIM_CAT(VSHIM_TOP, ___024root___eval_ico) ||
	    !&VSHIM_CAT(VSHIM_TOP, ___024root___eval_nba))
		return false;
	if (ico) {
		r->__VicoTriggered.at(0) = true;
		VSHIM_CAT(VSHIM_TOP, ___024root___eval_ico)(r);
		r->__VicoTriggered.at(0) = false;
	}
	r->clk_i = 1;
	r->__Vtrigrprev__TOP__clk_i = 1;
	r->__VnbaTriggered.at(0) = true;
	VSHIM_CAT(VSHIM_TOP, ___024root___eval_nba)(r);
	r->__VnbaTriggered.at(0) = false;
	return true;
}
template <typename R>
bool fast_edge(R *, bool, long)
{
	return false;
}

void *create()
{
	shim *s = new shim;

	s->ctx.fatalOnError(false);  // $error is counted, not fatal
#if VSHIM_TRACE
	s->ctx.traceEverOn(true);
	s->fst = nullptr;
#endif
	s->top = new VSHIM_TOP(&s->ctx, "mmu");
	s->top->clk_i = 0;
	s->ready = false;
	return s;
}

void destroy(void *h)
{
	shim *s = static_cast<shim *>(h);

#if VSHIM_TRACE
	if (s->fst) {
		s->fst->close();
		delete s->fst;
	}
#endif
	s->top->final();
	delete s->top;
	delete s;
}

void eval(void *h, const struct rtl_in *in, struct rtl_out *out)
{
	shim *s = static_cast<shim *>(h);
	VSHIM_TOP *t = s->top;

	t->clk_i = 0;
	write_inputs(t, in);
	t->eval();
	s->ready = true;
	read_outputs(t, out);
}

void tick(void *h, const struct rtl_in *in, struct rtl_out *out)
{
	shim *s = static_cast<shim *>(h);
	VSHIM_TOP *t = s->top;
	bool fresh = in && in->dirty;  // inputs changed since the last eval

	if (fresh)
		write_inputs(t, in);
#if VSHIM_TRACE
	if (s->fst)
		goto slow;
#endif
	if (VL_LIKELY(s->ready) && fast_edge(t->rootp, fresh, 0))
		goto done;
#if VSHIM_TRACE
slow:
#endif
	if (!arm_edge(t->rootp, 0)) {
		t->clk_i = 0;
		t->eval();
	}
	t->clk_i = 1;
	t->eval();
	s->ready = true;
done:
	read_outputs(t, out);
	t->clk_i = 0;
}

void arch(void *h, struct rtl_arch *a)
{
	VSHIM_TOP *t = static_cast<shim *>(h)->top;

	a->cr0 = t->cr0_o;
	a->cr2 = t->cr2_o;
	a->cr3 = t->cr3_o;
	a->cr4 = t->cr4_o;
	a->efer = t->efer_o;
	a->ac = t->ac_o;
	a->pkru = t->pkru_o;
}

void counters(void *h, struct rtl_cnt *c)
{
	VSHIM_TOP *t = static_cast<shim *>(h)->top;

#define VSHIM_CNT(name) c->name = t->cnt_##name##_o;
	RTL_COUNTERS(VSHIM_CNT)
#undef VSHIM_CNT
}

int errors(void *h)
{
	return static_cast<shim *>(h)->ctx.errorCount();
}

int trace_open(void *h, const char *path)
{
#if VSHIM_TRACE
	shim *s = static_cast<shim *>(h);

	if (s->fst)
		return -1;
	s->fst = new VerilatedFstC;
	s->top->trace(s->fst, 99);
	s->fst->open(path);
	if (!s->fst->isOpen()) {
		delete s->fst;
		s->fst = nullptr;
		return -1;
	}
	return 0;
#else
	(void)h;
	(void)path;
	return -1;
#endif
}

void trace_dump(void *h, uint64_t time)
{
#if VSHIM_TRACE
	shim *s = static_cast<shim *>(h);

	if (s->fst)
		s->fst->dump(time);
#else
	(void)h;
	(void)time;
#endif
}

void trace_close(void *h)
{
#if VSHIM_TRACE
	shim *s = static_cast<shim *>(h);

	if (s->fst) {
		s->fst->close();
		delete s->fst;
		s->fst = nullptr;
	}
#else
	(void)h;
#endif
}

void coverage_write(void *h, const char *path)
{
#if VSHIM_COVERAGE
	static_cast<shim *>(h)->ctx.coveragep()->write(path);
#else
	(void)h;
	(void)path;
#endif
}

void debug(void *h, const struct rtl_dbg_in *in, struct rtl_dbg_out *out)
{
	VSHIM_TOP *t = static_cast<shim *>(h)->top;

	if (in) {
		t->dbg_valid_i = in->valid;
		t->dbg_op_i = in->op;
		t->dbg_set_i = in->set;
		t->dbg_way_i = in->way;
		t->dbg_word_i = in->word;
		t->dbg_a_i = in->a;
		t->dbg_b_i = in->b;
	}
	out->a = t->dbg_a_o;
	out->b = t->dbg_b_o;
	out->fsm = t->dbg_fsm_o;
}

}  // namespace

extern "C" const struct vshim_ops VSHIM_NAME = {
	VSHIM_CONFIG, VSHIM_STR(VSHIM_TOP), VSHIM_GFLAGS, VSHIM_TRACE, VSHIM_COVERAGE,
	create, destroy, eval, tick, arch, counters, errors,
	trace_open, trace_dump, trace_close, coverage_write, debug,
};
