/* SPDX-License-Identifier: MIT */
/* Inside the lockstep comparator: its state, shared by lockstep.c (the
 * comparisons), resync.c (carry-on mode) and report.c (the reports and
 * the text of calls and answers in them). */
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

/* The call being compared, kept as arguments so that the request is only
 * formatted when there is something to report. */
struct ls_call {
	enum lockstep_call kind;
	const struct mmu_req *req;
	const struct mmu_ctl *ctl;
	uint64_t pa;
	size_t len;
	bool final_check;  /* a mem_peek issued by lockstep_check_memory() */
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

/* The text of a call and of the answers, for a mismatch's report
 * (report.c): the request; an outcome (a DUT's out-of-range n_ad shown
 * clamped and spelled out); registers; a return code with the machine's
 * message; up to 16 bytes around byte off of a buffer read at pa; every
 * counter. */
void lockstep_format_request(const struct ls_call *c, char *buf, size_t len);
void lockstep_format_outcome(const struct mmu_outcome *o, char *buf,
			     size_t len);
void lockstep_format_regs(const struct mmu_regs *r, char *buf, size_t len);
void lockstep_format_rc(struct machine *m, int rc, char *buf, size_t len);
void lockstep_format_bytes(const uint8_t *b, size_t len, size_t off,
			   uint64_t pa, char *buf, size_t blen);
void lockstep_format_counters(const struct mmu_counters *c, char *buf,
			      size_t len);

#endif
