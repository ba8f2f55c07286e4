/* SPDX-License-Identifier: MIT */
/*
 * Internals of the generator (regress.h): its state, shared by gen.c (page
 * tables, the steps that change them, the run), ctl.c (control changes)
 * and access.c (accesses and what CHECKED checks).
 */
#ifndef MMU_REGRESS_INT_H
#define MMU_REGRESS_INT_H

#include "regress.h"

#define MAX_PAGES 96
#define MAX_PCIDS 4   /* the PCIDs the generator switches between */

struct page {
	uint64_t va, pa;
	unsigned level;   /* 1: base page, 2, 3: large */
	pte_t flags;      /* leaf permission flags */
	bool mapped;
};

struct regress_gen {
	struct machine *m;
	const struct mmu_config *cfg;
	struct regress_gen_opts o;
	struct regress_rng rng;
	bool check, hostile;
	uint64_t root, next_table, table_end;
	uint64_t data_pa, data_bytes;
	uint8_t *shadow;   /* CHECKED: what the data region must hold */
	struct page page[MAX_PAGES];
	unsigned npages;
	uint16_t pcids_used;
	struct regress_stats st;
	char fail[512];
};

static inline uint64_t rnd(struct regress_gen *g)
{
	return regress_rng_next(&g->rng);
}

static inline unsigned pick(struct regress_gen *g, unsigned n)
{
	return (unsigned)regress_rng_below(&g->rng, n);
}

static inline uint64_t va_mask(const struct mmu_config *c)
{
	/* the lower canonical half */
	return (1ull << (c->va_bits - (c->canonical == MMU_CANON_SIGN))) - 1;
}

/* CHECKED may map 1 GiB pages: the configuration has them and the data
 * region lies in one aligned GiB (the page's frame, access.c keeps its
 * accesses in the region or past memory). */
static inline bool gen_giant_ok(const struct regress_gen *g)
{
	const struct mmu_config *c = g->cfg;
	uint64_t sz;

	if (!c->page_1g || c->levels < 3)
		return false;
	sz = mmu_level_page_size(c, 3);
	return (g->data_pa & ~(sz - 1)) ==
	       ((g->data_pa + g->data_bytes - 1) & ~(sz - 1));
}

/* A line of the log (when there is one). */
void gen_log(struct regress_gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Every control op goes through here so the log shows each one.  CHECKED:
 * MMU_EGP when the op raised #GP, like machine_write_cr(). */
int gen_ctl(struct regress_gen *g, enum mmu_ctl_op op, uint64_t value,
	    uint64_t addr, unsigned type, uint16_t pcid);

/* ctl.c: one control change (a register, a PCID, an invalidation, or
 * CHECKED: an operation that must raise #GP); g->fail says why not 0. */
int gen_control_change(struct regress_gen *g);

/* access.c: one access (CHECKED: and its check); CHECKED's end check. */
int gen_access(struct regress_gen *g);
/* CHECKED, after a page is mapped again (D clear): a load then a store at
 * one address of its first base page (of the data region for 1 GiB), the
 * store through the clean TLB entry the load left (a re-walk sets D). */
int gen_access_rmw(struct regress_gen *g, const struct page *p);
int gen_final_check(struct regress_gen *g);

#endif
