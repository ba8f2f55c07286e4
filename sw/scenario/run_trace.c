/* SPDX-License-Identifier: MIT */
/*
 * The machine made visible from a scenario: `tlb` (the TLB's valid
 * entries), `walk ADDR` (each level's entry for an address of the current
 * process, as the walker would read it now) and, with --trace, what every
 * access did: TLB hit or miss, the walk's entries, the fault and what the
 * kernel did about it, the signal and why, the L1.  Lines go after the
 * step's line (rn->extra).  Entries are read with course_peek (the L1 line
 * through the debug path, else memory), which changes no state.
 */
#include "run_int.h"
#include "course/course.h"
#include "os/os.h"

#include <inttypes.h>
#include <signal.h>
#include <string.h>

static void put_walk(struct runner *rn, const struct course_walk_step *w,
		     unsigned n, const char *indent)
{
	const struct mmu_config *c = &rn->m->cfg;

	for (unsigned i = 0; i < n; i++) {
		uint64_t e = w[i].raw;

		sb_printf(&rn->extra, "%slevel %u: entry %#" PRIx64 " at pa %#" PRIx64
			  " (index %#" PRIx64 ", %s)", indent, w[i].level, e, w[i].ea,
			  w[i].index, w[i].l1_hit ? "in the L1" : "in memory");
		if (!(e & PTE_P)) {
			sb_printf(&rn->extra, " not present\n");
			continue;
		}
		sb_printf(&rn->extra, " -> %s %#" PRIx64 "%s%s%s%s%s%s\n",
			  w[i].leaf ? "frame" : "table",
			  (uint64_t)((e >> PTE_FRAME_SHIFT) & ((1ull << c->ppn_bits) - 1)) << c->page_shift,
			  e & PTE_RW ? " rw" : " ro", e & PTE_US ? " user" : " kernel",
			  e & PTE_A ? " A" : "", e & PTE_D ? " D" : "",
			  (e & PTE_PS) && w[i].level > 1 ? " PS" : "",
			  c->pte_bytes == 8 && (e & PTE_XD) ? " XD" : "");
	}
}

enum sr run_walk(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	struct course_walk_step w[MMU_MAX_LEVELS];
	unsigned n = course_walk_now(rn->m, v[0], w);

	(void)st, (void)r;
	if (!n) {
		sb_put(&rn->line, " = cannot read the tables", 25);
		return SR_LINE;
	}
	sb_printf(&rn->line, " = %u level(s)", n);
	put_walk(rn, w, n, "    ");
	return SR_LINE;
}

enum sr run_tlb(struct runner *rn, const struct scn_stmt *st,
		const uint64_t *v, struct res *r)
{
	const struct mmu_config *c = &rn->m->cfg;
	unsigned valid = 0;

	(void)st, (void)v, (void)r;
	for (unsigned s = 0; s < c->tlb_sets; s++)
		for (unsigned w = 0; w < c->tlb_ways; w++) {
			struct mmu_tlb_slot e;

			if (machine_tlb_read(rn->m, s, w, &e)) {
				sb_printf(&rn->line, " = %s", rn->m->err);
				return SR_LINE;
			}
			if (!e.valid)
				continue;
			valid++;
			sb_printf(&rn->extra, "    set %u way %u: va %#" PRIx64 " -> pa %#"
				  PRIx64 " pcid %u%s%s%s%s%s%s\n", s, w,
				  e.vpn << c->page_shift, e.ppn << c->page_shift, e.pcid,
				  e.rw ? " rw" : " ro", e.us ? " user" : " kernel",
				  e.xd ? " XD" : "", e.global ? " G" : "",
				  e.dirty ? " D" : "", e.level > 1 ? " (large page)" : "");
		}
	sb_printf(&rn->line, " = %u valid entr%s of %" PRIu64, valid,
		  valid == 1 ? "y" : "ies", c->tlb_sets * c->tlb_ways);
	return SR_LINE;
}

/* ---- --trace ----------------------------------------------------------- */

static void trace_access(struct runner *rn, const struct mmu_req *q,
			 const struct mmu_outcome *o)
{
	char ec[48];

	sb_printf(&rn->extra, "    trace: %s %s %#" PRIx64 ": TLB %s",
		  q->user ? "user" : "kernel", mmu_op_str(q->op), q->va,
		  o->tlb_hit ? "hit" : "miss");
	if (o->walked) {
		struct course_walk_step w[MMU_MAX_LEVELS];
		unsigned n = course_walk_now(rn->m, q->va, w), skip = 0;

		sb_printf(&rn->extra, ", walk of %u read(s)", o->walk_reads);
		if (o->psc_level) {
			sb_printf(&rn->extra, " (the paging-structure cache of level %u "
				  "hit: the walk starts at level %u)", o->psc_level,
				  o->psc_level - 1u);
			while (skip < n && w[skip].level >= o->psc_level)
				skip++;
		}
		sb_put(&rn->extra, "\n", 1);
		put_walk(rn, w + skip, n - skip, "      ");
		for (unsigned i = 0; i < o->n_ad && i < MMU_MAX_LEVELS; i++)
			sb_printf(&rn->extra, "      A/D set: [%#" PRIx64 "] = %#" PRIx64 "\n",
				  o->ad[i].pa, o->ad[i].value);
		sb_put(&rn->extra, "     ", 5);
	}
	switch (o->status) {
	case MMU_ST_OK:
		sb_printf(&rn->extra, " -> pa %#" PRIx64 ", L1 %s\n", o->pa,
			  o->l1_hit ? "hit" : "miss");
		break;
	case MMU_ST_PAGE_FAULT:
		sb_printf(&rn->extra, " -> #PF error code %s (%s), CR2 %#" PRIx64 "\n",
			  mmu_pfec_str(o->error_code, ec, sizeof(ec)),
			  o->error_code & PFEC_RSVD ? "reserved bit" :
			  o->error_code & PFEC_P ? "protection" : "not present", o->cr2);
		break;
	case MMU_ST_GP_FAULT:
		sb_printf(&rn->extra, " -> #GP (not canonical)\n");
		break;
	case MMU_ST_BUS_ERROR:
		sb_printf(&rn->extra, " -> bus error\n");
		break;
	}
}

/* What the fault handler did, from the statistics it moved. */
static void trace_fault(struct runner *rn, const struct os_trace_ev *ev)
{
	static const struct { size_t off; const char *what; } acts[] = {
		{ offsetof(struct os_stats, zero_fills), "zero-filled a new page" },
		{ offsetof(struct os_stats, zero_page_maps), "mapped the shared zero page (read-only)" },
		{ offsetof(struct os_stats, cow_copies), "copy-on-write: copied the page" },
		{ offsetof(struct os_stats, cow_reuses), "copy-on-write: sole owner, made the page writable in place" },
		{ offsetof(struct os_stats, file_reads), "read the page from the file" },
		{ offsetof(struct os_stats, swap_ins), "swapped the page in" },
		{ offsetof(struct os_stats, swap_cache_hits), "found the page in the swap cache" },
		{ offsetof(struct os_stats, stack_expansions), "grew the stack" },
		{ offsetof(struct os_stats, ksm_unmerges), "broke a KSM merge (copied)" },
		{ offsetof(struct os_stats, swap_outs), "swapped pages out to make room" },
		{ offsetof(struct os_stats, file_pages_dropped), "dropped clean file pages to make room" },
	};
	const char *b = (const char *)ev->before, *a = (const char *)ev->after;
	bool any = false;

	sb_put(&rn->extra, "    trace: kernel:", 18);
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		uint64_t x, y;

		memcpy(&x, b + acts[i].off, sizeof(x));
		memcpy(&y, a + acts[i].off, sizeof(y));
		if (y != x) {
			sb_printf(&rn->extra, "%s %s", any ? ";" : "", acts[i].what);
			if (y - x > 1)
				sb_printf(&rn->extra, " (x%" PRIu64 ")", y - x);
			any = true;
		}
	}
	if (!any && !strncmp(ev->verdict, "resolved", 8))
		sb_put(&rn->extra, " no new page (the entry was fixed in place)", 43);
	sb_printf(&rn->extra, "%s %s\n", any || !strncmp(ev->verdict, "resolved", 8) ?
		  ";" : "", ev->verdict);
}

static const char *sig_why(const struct os_siginfo *si)
{
	if (si->signo == SIGSEGV)
		return si->code == SEGV_MAPERR ? "no mapping at the address" :
		       si->code == SEGV_ACCERR ? "the mapping does not allow this access" :
		       si->code == SEGV_PKUERR ? "its protection key forbids it (PKRU)" :
		       "a non-canonical address (#GP)";
	if (si->signo == SIGBUS)
		return "no page behind the mapping (past the end of the file)";
	return "out of memory and swap";
}

void rn_trace_event(void *ctx, const struct os_trace_ev *ev)
{
	struct runner *rn = ctx;

	switch (ev->kind) {
	case OS_TR_ACCESS:
		trace_access(rn, ev->req, ev->out);
		break;
	case OS_TR_FAULT:
		trace_fault(rn, ev);
		break;
	case OS_TR_SIGNAL:
		sb_printf(&rn->extra, "    trace: signal %s at %#" PRIx64 ": %s\n",
			  ev->sig->signo == SIGSEGV ? "SIGSEGV" :
			  ev->sig->signo == SIGBUS ? "SIGBUS" : "SIGKILL",
			  ev->sig->addr, sig_why(ev->sig));
		break;
	}
}
