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
#include "vports.h"

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
	vports_arch(static_cast<shim *>(h)->top, a);
}

void counters(void *h, struct rtl_cnt *c)
{
	vports_counters(static_cast<shim *>(h)->top, c);
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
	vports_debug(static_cast<shim *>(h)->top, in, out);
}

}  // namespace

extern "C" const struct vshim_ops VSHIM_NAME = {
	VSHIM_CONFIG, VSHIM_STR(VSHIM_TOP), VSHIM_GFLAGS, VSHIM_TRACE, VSHIM_COVERAGE,
	create, destroy, eval, tick, arch, counters, errors,
	trace_open, trace_dump, trace_close, coverage_write, debug,
};
