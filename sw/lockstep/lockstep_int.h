/* SPDX-License-Identifier: MIT */
/* Inside the lockstep comparator: its state, shared by lockstep.c (the
 * comparisons), resync.c (carry-on mode) and report.c (the reports). */
#ifndef MMU_LOCKSTEP_INT_H
#define MMU_LOCKSTEP_INT_H

#include "lockstep.h"

#define MEM_CHUNK (64u * 1024u)  /* whole-memory check granule */

struct hook {
	lockstep_hook_fn fn;
	void *ctx;
};

struct lockstep {
	struct machine base;
	struct machine *ref, *dut;
	struct lockstep_stats st;
	uint64_t counters_every;
	uint64_t counters_due;  /* the next multiple of counters_every */
	bool carry_on;   /* lockstep_set_continue() */
	bool stopped;
	struct lockstep_mismatch mm;  /* the one being recorded */
	struct lockstep_mismatch kept[LOCKSTEP_KEEP_REPORTS];
	struct mmu_counters skew;     /* DUT minus reference at the last resync */
	struct hook hook[LOCKSTEP_MAX_HOOKS];
	unsigned nhooks;
};

static inline struct lockstep *to_ls(struct machine *m)
{
	return (struct lockstep *)m;
}

/* Carry-on mode, after a mismatch: the DUT made the reference's again
 * (resync.c).  Returns 0, or MMU_EBACKEND (message in ls->base.err) after
 * stopping the run. */
int lockstep_resync(struct lockstep *ls);

/* The refusal of a call after the run stopped (lockstep.c). */
int lockstep_refused(struct lockstep *ls);

/* The debug path on both machines (slots.c). */
int lockstep_tlb_slot(struct machine *m, unsigned set, unsigned way,
		      struct mmu_tlb_slot *e, bool write);
int lockstep_line_slot(struct machine *m, unsigned set, unsigned way,
		       struct mmu_line_slot *l, bool write);

/* True when two register sets differ (lockstep.c). */
bool lockstep_regs_differ(const struct mmu_regs *a, const struct mmu_regs *b);

/* "access 1200 (call 1234)" and friends; a compared value as text (a
 * return code in decimal, anything else in hex) (report.c). */
const char *lockstep_where(const struct lockstep_mismatch *mm, char *buf,
			   size_t len);
const char *lockstep_value_str(const struct lockstep_mismatch *mm, uint64_t v,
			       char *buf, size_t len);

#endif
