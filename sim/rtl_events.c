/* SPDX-License-Identifier: MIT */
/*
 * The RTL back end's events (machine.h, struct mmu_events): the AXI bursts
 * of each call and the cycles the DRAM model's back-pressure held them,
 * as the slave saw them at each clock edge.  A read burst is the walk's
 * when the walker is busy at its AR handshake (mmu_top's dbg_fsm_o); a
 * write burst takes the phase of the last read, since a dirty victim is
 * written back after the fill that evicted it (docs/rtl.md).  Only while
 * events are asked for does an edge look at them.
 */
#include "rtl_int.h"

#include <string.h>

#define FSM_TOP_SWALK 1u  /* mmu_top's state_e: SRun, SWalk, ... */
#define FSM_PTW_WIDLE 0u  /* ptw's WIdle */

static bool walker_busy(struct rtl *r)
{
	struct rtl_dbg_out d;

	r->v->debug(r->h, NULL, &d);
	return (d.fsm & 0xf) == FSM_TOP_SWALK || ((d.fsm >> 4) & 0xf) != FSM_PTW_WIDLE;
}

static uint32_t add(uint32_t a, uint64_t b)
{
	return a + b < a ? UINT32_MAX : (uint32_t)(a + b);
}

void rtl_events_edge(struct rtl *r)
{
	const struct axi_dram *d = &r->dram;
	struct rtl_ev_seen *s = &r->ev_seen;
	uint32_t (*rd)[MMU_EV_NAXI], (*wr)[MMU_EV_NAXI];

	if (d->reads == s->reads && d->writes == s->writes &&
	    d->held_ar == s->ar && d->held_r == s->r && d->held_aw == s->aw &&
	    d->held_w == s->w && d->held_b == s->b)
		return;
	if (d->reads != s->reads || d->held_ar != s->ar)
		s->rd_phase = walker_busy(r) ? MMU_EV_WALK : MMU_EV_OTHER;
	if (d->writes != s->writes)
		s->wr_phase = s->rd_phase;
	rd = r->ev->axi[s->rd_phase];
	wr = r->ev->axi[s->wr_phase];
	rd[MMU_EV_FILL][MMU_EV_BURSTS] = add(rd[MMU_EV_FILL][MMU_EV_BURSTS],
					     d->reads - s->reads);
	rd[MMU_EV_FILL][MMU_EV_ADDR] = add(rd[MMU_EV_FILL][MMU_EV_ADDR],
					   d->held_ar - s->ar);
	rd[MMU_EV_FILL][MMU_EV_DATA] = add(rd[MMU_EV_FILL][MMU_EV_DATA],
					   d->held_r - s->r);
	wr[MMU_EV_WB][MMU_EV_BURSTS] = add(wr[MMU_EV_WB][MMU_EV_BURSTS],
					   d->writes - s->writes);
	wr[MMU_EV_WB][MMU_EV_ADDR] = add(wr[MMU_EV_WB][MMU_EV_ADDR],
					 d->held_aw - s->aw);
	wr[MMU_EV_WB][MMU_EV_DATA] = add(wr[MMU_EV_WB][MMU_EV_DATA],
					 d->held_w - s->w);
	wr[MMU_EV_WB][MMU_EV_RESP] = add(wr[MMU_EV_WB][MMU_EV_RESP],
					 d->held_b - s->b);
	s->reads = d->reads;
	s->writes = d->writes;
	s->ar = d->held_ar;
	s->r = d->held_r;
	s->aw = d->held_aw;
	s->w = d->held_w;
	s->b = d->held_b;
}

unsigned rtl_events(struct machine *m, struct mmu_events *ev)
{
	struct rtl *r = to_rtl(m);
	const struct axi_dram *d = &r->dram;

	if (r->ext)
		return 0;  /* the AXI slave is outside (SystemC): not seen here */
	r->ev = ev;
	r->ev_seen = (struct rtl_ev_seen){
		.reads = d->reads, .writes = d->writes, .ar = d->held_ar,
		.r = d->held_r, .aw = d->held_aw, .w = d->held_w,
		.b = d->held_b, .rd_phase = r->ev_seen.rd_phase,
		.wr_phase = r->ev_seen.wr_phase };
	return MMU_EV_AXI | (r->opts.backpressure_pct ? MMU_EV_AXI_STALLS : 0);
}
