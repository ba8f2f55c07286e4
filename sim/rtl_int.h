/* SPDX-License-Identifier: MIT */
/* Internals of the RTL back end shared by sim/rtl_machine.c (requests,
 * control, the clock) and sim/rtl_debug.c (the debug port). */
#ifndef SIM_RTL_INT_H
#define SIM_RTL_INT_H

#include "rtl_machine.h"

#include "axi_dram.h"
#include "rtl_ports.h"

/* Cycles without progress after which the RTL is declared hung. */
#define RTL_HANG_CYCLES 1000000u
#define RESET_CYCLES 2
#define RTL_EV_FIGURES 7  /* the DRAM model's figures events follow */

struct rtl {
	struct machine base;  /* first: a struct machine * is a struct rtl * */
	const struct vshim_ops *v;
	void *h;
	struct rtl_in in;
	struct rtl_out out;
	struct axi_dram dram;
	const struct physmem_port *ext; /* the AXI slave is outside (SystemC):
					 * no DRAM model; mem_peek through it */
	struct rtl_opts opts;
	uint64_t cycle;       /* rising edges, reset included */
	uint64_t cycle0;      /* the first cycle after reset */
	bool open;            /* the slave's outputs are driven for this cycle */
	bool settled;         /* the model evaluated this cycle's inputs with
			       * the clock low (r->out is theirs) */
	bool comb_stale;      /* ctl_valid changed since the last evaluation:
			       * r->out.req_ready, the one output that depends
			       * on an input, is out of date */
	bool rsp_cycle;       /* we are in a response's cycle: state it
			       * updates (counters, CR2) lands at its end */
	bool broken;          /* an assertion or protocol check failed */
	uint64_t phys_lines;
	/* waveforms */
	bool tracing;
	char *trace_path;     /* whole-run trace (window 0) */
	char *seg[2];         /* rolling segments (window > 0) */
	unsigned seg_cur;
	bool seg_prev;        /* the other segment holds a complete window */
	bool dumped;          /* a window went to trace_path (a mismatch) */
	uint64_t seg_start;
	/* FSM states per cycle (rtl_fsm_log) */
	struct rtl_fsm_log *fsm_log;
	/* events (rtl_events.c): where they go, and the DRAM's figures
	 * already counted */
	struct mmu_events *ev;
	struct rtl_ev_seen {
		uint64_t v[RTL_EV_FIGURES];  /* bursts and stalls counted */
		unsigned rd_phase, wr_phase;  /* of the last read and write */
	} ev_seen;
};

/* A stream of accesses (rtl_access_stream): accepted, answered so far, and
 * the acceptance cycle of those in flight (at most RTL_STREAM_DEPTH - 1:
 * stage L and stage 1 of mmu_top). */
#define RTL_STREAM_DEPTH 4u
struct rtl_stream {
	size_t issued, done;
	uint64_t first;     /* the cycle the first one was accepted in */
	uint64_t progress;  /* the last cycle that accepted or answered */
	uint64_t acc_cycle[RTL_STREAM_DEPTH];
};

static inline struct rtl *to_rtl(struct machine *m)
{
	return (struct rtl *)m;
}

#define MERR(r, code, ...) mmu_errf((r)->base.err, sizeof((r)->base.err), code, __VA_ARGS__)

/* Evaluate this cycle's inputs with the clock low. */
void settle(struct rtl *r);
/* The rising edge that ends the current cycle (0 or MMU_EBACKEND). */
int edge(struct rtl *r);

/* Events (rtl_events.c): machine_ops.events, and what an edge adds. */
unsigned rtl_events(struct machine *m, struct mmu_events *ev);
void rtl_events_edge(struct rtl *r);

/* The models (rtl_models.c): the model of configuration `name`, with trace
 * support when `traced`, else the one without; failing that, any model of
 * it (NULL if none).  rtl_models() and rtl_check_config() are public. */
const struct vshim_ops *rtl_find_model(const char *name, bool traced);

/* The debug path (rtl_debug.c): machine_ops.tlb_slot and .line_slot. */
int rtl_tlb_slot(struct machine *m, unsigned set, unsigned way,
		 struct mmu_tlb_slot *e, bool write);
int rtl_line_slot(struct machine *m, unsigned set, unsigned way,
		  struct mmu_line_slot *l, bool write);

#endif
