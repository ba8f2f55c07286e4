/* SPDX-License-Identifier: MIT */
/* The RTL back end's debug path: mmu_top's debug port (docs/rtl.md) as
 * machine_ops.tlb_slot/.line_slot, and the FSM names of cycle logs. */
#include "rtl_int.h"

#include <string.h>

static const char *const top_states[] = { "SRun", "SWalk", "SFill", "SReplay", "SCtl",
					  "SRelook" };
static const char *const ptw_states[] = { "WIdle", "WRead", "WCompare", "WFill",
					  "WWrite", "WWriteCmp", "WDone", "WCheck" };
static const char *const l1_states[] = { "FIdle", "FVictim", "FRead", "FSwap", "FWrite",
					 "FCheck", "FScan", "FScanTag", "FDone", "FInval", "FClear" };

static const char *state_name(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : "?";
}

void rtl_fsm_names(uint16_t fsm, const char **top, const char **ptw,
		   const char **l1)
{
	*top = state_name(top_states, sizeof(top_states) / sizeof(*top_states), fsm & 0xf);
	*ptw = state_name(ptw_states, sizeof(ptw_states) / sizeof(*ptw_states),
			  (fsm >> 4) & 0xf);
	*l1 = state_name(l1_states, sizeof(l1_states) / sizeof(*l1_states),
			 (fsm >> 8) & 0xf);
}

void rtl_set_fsm_log(struct machine *m, struct rtl_fsm_log *log)
{
	if (rtl_is_rtl(m))
		to_rtl(m)->fsm_log = log;
}

/* One debug command while idle: the port is driven for one cycle, the MMU
 * executes the registered command in the next and a read answers after
 * it: two edges.  Uses the open cycle of a response like a control
 * operation. */
static int debug_cmd(struct rtl *r, const struct rtl_dbg_in *cmd,
		     struct rtl_dbg_out *out)
{
	static const struct rtl_dbg_in idle = { 0 };
	struct rtl_dbg_in in = *cmd;
	unsigned guard = 0;
	int rc;

	if (r->broken)
		return MMU_EBACKEND;
	for (;;) {  /* ctl_ready_o: the MMU is idle */
		settle(r);
		if (r->out.ctl_ready)
			break;
		if ((rc = edge(r)))
			return rc;
		if (++guard > RTL_HANG_CYCLES)
			return MERR(r, MMU_EBACKEND, "RTL never idle for a debug command");
	}
	/* The command is registered at this edge... */
	in.valid = 1;
	r->v->debug(r->h, &in, out);
	r->in.dirty |= RTL_IN_REQ;  /* the shim re-evaluates the inputs */
	rc = edge(r);
	r->v->debug(r->h, &idle, out);
	r->in.dirty |= RTL_IN_REQ;
	/* ...executed in the next cycle (a write lands, a read reads the
	 * RAMs), and a read's answer is on the outputs after that edge. */
	if (!rc)
		rc = edge(r);
	if (!rc)
		r->v->debug(r->h, NULL, out);
	return rc;
}

int rtl_tlb_slot(struct machine *m, unsigned set, unsigned way,
			struct mmu_tlb_slot *e, bool write)
{
	struct rtl *r = to_rtl(m);
	struct rtl_dbg_in in = { .set = (uint16_t)set, .way = (uint8_t)way };
	struct rtl_dbg_out out;
	int rc;

	if (write) {
		in.op = RTL_DBG_TLB_WR;
		in.a = e->vpn | (uint64_t)e->pkey << RTL_DBG_TLB_PKEY;
		in.b = e->ppn | (uint64_t)e->pcid << RTL_DBG_TLB_PCID |
		       (uint64_t)(e->level & 3) << RTL_DBG_TLB_LEVEL |
		       (uint64_t)e->dirty << RTL_DBG_TLB_D |
		       (uint64_t)e->xd << RTL_DBG_TLB_XD |
		       (uint64_t)e->us << RTL_DBG_TLB_US |
		       (uint64_t)e->rw << RTL_DBG_TLB_RW |
		       (uint64_t)e->global << RTL_DBG_TLB_G |
		       (uint64_t)e->valid << RTL_DBG_TLB_VALID;
		return debug_cmd(r, &in, &out);
	}
	in.op = RTL_DBG_TLB_RD;
	if ((rc = debug_cmd(r, &in, &out)))
		return rc;
	e->vpn = out.a & ((1ull << RTL_DBG_TLB_PKEY) - 1);
	e->pkey = (uint8_t)(out.a >> RTL_DBG_TLB_PKEY);
	e->ppn = out.b & ((1ull << RTL_DBG_TLB_PCID) - 1);
	e->pcid = (uint16_t)((out.b >> RTL_DBG_TLB_PCID) & CR3_PCID_MASK);
	e->level = (uint8_t)((out.b >> RTL_DBG_TLB_LEVEL) & 3);
	if (!e->level)
		e->level = 1;  /* a never-written slot */
	e->dirty = (out.b >> RTL_DBG_TLB_D) & 1;
	e->xd = (out.b >> RTL_DBG_TLB_XD) & 1;
	e->us = (out.b >> RTL_DBG_TLB_US) & 1;
	e->rw = (out.b >> RTL_DBG_TLB_RW) & 1;
	e->global = (out.b >> RTL_DBG_TLB_G) & 1;
	e->valid = (out.b >> RTL_DBG_TLB_VALID) & 1;
	return 0;
}

int rtl_line_slot(struct machine *m, unsigned set, unsigned way,
			 struct mmu_line_slot *l, bool write)
{
	struct rtl *r = to_rtl(m);
	const unsigned line = (unsigned)m->cfg.l1_line;
	const unsigned wb = line < 8 ? line : 8;
	struct rtl_dbg_in in = { .set = (uint16_t)set, .way = (uint8_t)way };
	struct rtl_dbg_out out;
	const uint64_t status = (1ull << RTL_DBG_L1_VALID) | (1ull << RTL_DBG_L1_DIRTY);
	int rc = 0;

	if (!write)
		memset(l, 0, sizeof(*l));
	for (unsigned w = 0; w < line / wb && !rc; w++) {
		in.word = (uint8_t)w;
		in.op = write ? RTL_DBG_L1_WORD_WR : RTL_DBG_L1_RD;
		in.a = 0;
		for (unsigned i = 0; write && i < wb; i++)
			in.a |= (uint64_t)l->data[w * wb + i] << (8 * i);
		rc = debug_cmd(r, &in, &out);
		for (unsigned i = 0; !write && !rc && i < wb; i++)
			l->data[w * wb + i] = (uint8_t)(out.b >> (8 * i));
		if (!write && !rc && w == 0) {
			l->tag = out.a & ~status;
			l->valid = (out.a >> RTL_DBG_L1_VALID) & 1;
			l->dirty = (out.a >> RTL_DBG_L1_DIRTY) & 1;
		}
	}
	if (write && !rc) {
		in.op = RTL_DBG_L1_TAG_WR;
		in.a = l->tag;
		in.b = (uint64_t)l->valid << RTL_DBG_L1_VALID |
		       (uint64_t)l->dirty << RTL_DBG_L1_DIRTY;
		rc = debug_cmd(r, &in, &out);
	}
	return rc;
}

