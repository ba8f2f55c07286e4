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

/* The DRAM model's figures an edge may change, and where each goes. */
static const struct {
	unsigned xfer, what;
} slot[RTL_EV_FIGURES] = {
	{ MMU_EV_FILL, MMU_EV_BURSTS }, { MMU_EV_FILL, MMU_EV_ADDR },
	{ MMU_EV_FILL, MMU_EV_DATA }, { MMU_EV_WB, MMU_EV_BURSTS },
	{ MMU_EV_WB, MMU_EV_ADDR }, { MMU_EV_WB, MMU_EV_DATA },
	{ MMU_EV_WB, MMU_EV_RESP },
};

static void figures(const struct axi_dram *d, uint64_t *v)
{
	v[0] = d->reads;
	v[1] = d->held_ar;
	v[2] = d->held_r;
	v[3] = d->writes;
	v[4] = d->held_aw;
	v[5] = d->held_w;
	v[6] = d->held_b;
}

void rtl_events_edge(struct rtl *r)
{
	struct rtl_ev_seen *s = &r->ev_seen;
	uint64_t now[RTL_EV_FIGURES];

	figures(&r->dram, now);
	if (!memcmp(now, s->v, sizeof(now)))
		return;
	if (now[0] != s->v[0] || now[1] != s->v[1])  /* AR: whose read */
		s->rd_phase = walker_busy(r) ? MMU_EV_WALK : MMU_EV_OTHER;
	if (now[3] != s->v[3])                        /* AW: its fill's */
		s->wr_phase = s->rd_phase;
	for (unsigned i = 0; i < RTL_EV_FIGURES; i++) {
		unsigned ph = slot[i].xfer == MMU_EV_FILL ? s->rd_phase
							  : s->wr_phase;
		uint32_t *a = &r->ev->axi[ph][slot[i].xfer][slot[i].what];
		uint64_t sum = *a + (now[i] - s->v[i]);

		*a = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
	}
	memcpy(s->v, now, sizeof(now));
}

unsigned rtl_events(struct machine *m, struct mmu_events *ev)
{
	struct rtl *r = to_rtl(m);

	if (r->ext)
		return 0;  /* the AXI slave is outside (SystemC): not seen here */
	r->ev = ev;
	figures(&r->dram, r->ev_seen.v);
	return MMU_EV_AXI | (r->opts.backpressure_pct ? MMU_EV_AXI_STALLS : 0);
}
