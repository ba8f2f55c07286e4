/* SPDX-License-Identifier: MIT */
/*
 * Page tables in the machine's memory, written through the coherent
 * physical path (machine_pte_read/write), with the entry encoding of
 * sw/machine/pagetable.h.  Intermediate entries grant P|R/W|U/S: the rights
 * of a page are decided by its leaf alone, as on Linux.
 */
#include "os_int.h"

#include <errno.h>

#define SWP_SHIFT 12
#define SWP_MASK ((1ull << 40) - 1)

static unsigned nlevels(struct os *os)
{
	return (unsigned)os->m->cfg.levels;
}

static unsigned ents(struct os *os)
{
	return 1u << os->m->cfg.index_bits;
}

/* Bytes of address space one entry at `level` covers. */
static uint64_t span(struct os *os, unsigned level)
{
	return mmu_level_page_size(&os->m->cfg, level);
}

int k_pte_read(struct os *os, uint64_t epa, pte_t *e)
{
	return os_mchk(os, machine_pte_read(os->m, epa, e), "reading a PTE");
}

static int pte_store(struct os *os, uint64_t epa, pte_t e)
{
	return os_mchk(os, machine_pte_write(os->m, epa, e), "writing a PTE");
}

int k_pte_set(struct os *os, uint64_t epa, pte_t e)
{
	return pte_store(os, epa, e);
}

int k_pte_write(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
	      pte_t old, pte_t val)
{
	int rc = pte_store(os, epa, val);

	/* Only a present entry can be in the TLB (a walk that faults caches
	 * nothing). */
	if (!rc && (old & PTE_P) && old != val)
		rc = k_tlb_flush_page(os, mm, va);
	return rc;
}

static int new_table(struct os *os, uint64_t *pfn)
{
	int rc = k_frame_alloc(os, FK_PT, pfn);

	if (!rc)
		rc = k_frame_zero(os, *pfn);
	if (rc && rc != -ENOMEM)
		k_frame_put(os, *pfn);
	return rc;
}

int k_pt_leaf(struct os *os, struct mm *mm, uint64_t va, bool alloc,
	    uint64_t *epa)
{
	const struct mmu_config *c = &os->m->cfg;
	uint64_t table = pfn_pa(mm->root);
	int rc;

	for (unsigned l = nlevels(os); l > 1; l--) {
		uint64_t ea = table + pt_index(c, va, l) * 8;
		pte_t e;

		rc = k_pte_read(os, ea, &e);
		if (rc)
			return rc;
		if (!(e & PTE_P)) {
			uint64_t t;

			if (!alloc)
				return -ENOENT;
			rc = new_table(os, &t);
			if (rc)
				return rc;
			/* Reclaim may have run while allocating: the entry
			 * is still empty (k_reclaim never adds tables). */
			e = pt_make(c, pfn_pa(t), PTE_P | PTE_RW | PTE_US);
			rc = pte_store(os, ea, e);
			if (rc)
				return rc;
		}
		table = pt_frame(c, e);
	}
	*epa = table + pt_index(c, va, 1) * 8;
	return 0;
}

static int read_table(struct os *os, uint64_t pa, pte_t *buf)
{
	uint8_t raw[PG_SIZE];
	int rc = machine_phys_read(os->m, pa, raw, PG_SIZE);

	if (rc)
		return os_mchk(os, rc, "reading a page table");
	for (unsigned i = 0; i < PG_SIZE / 8; i++) {
		pte_t v = 0;

		for (int b = 7; b >= 0; b--)
			v = (v << 8) | raw[i * 8 + (unsigned)b];
		buf[i] = v;
	}
	return 0;
}

struct range_walk {
	struct mm *mm;
	uint64_t start, end;
	pt_visit_fn fn;
	void *ctx;
};

static int walk_level(struct os *os, struct range_walk *w, unsigned level,
		      uint64_t table, uint64_t base)
{
	const struct mmu_config *c = &os->m->cfg;
	pte_t buf[PG_SIZE / 8];
	uint64_t sp = span(os, level);
	int rc = read_table(os, table, buf);

	if (rc)
		return rc;
	for (unsigned i = 0; i < ents(os); i++) {
		uint64_t cb = base + i * sp;

		if (cb + sp <= w->start || cb >= w->end || !buf[i])
			continue;
		if (level > 1) {
			if (!(buf[i] & PTE_P))
				continue;
			rc = walk_level(os, w, level - 1, pt_frame(c, buf[i]),
					cb);
		} else {
			pte_t e;

			/* Re-read: the callback before may have changed it
			 * (k_reclaim while allocating). */
			rc = k_pte_read(os, table + i * 8, &e);
			if (!rc && e)
				rc = w->fn(os, w->mm, cb, table + i * 8, e,
					   w->ctx);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int k_pt_range(struct os *os, struct mm *mm, uint64_t start, uint64_t end,
	     pt_visit_fn fn, void *ctx)
{
	struct range_walk w = { mm, start, end, fn, ctx };

	if (start >= end)
		return 0;
	return walk_level(os, &w, nlevels(os), pfn_pa(mm->root), 0);
}

/* Free a table and everything below it (leaves must be empty). */
static int free_tree(struct os *os, unsigned level, uint64_t table)
{
	const struct mmu_config *c = &os->m->cfg;

	if (level > 1) {
		pte_t buf[PG_SIZE / 8];
		int rc = read_table(os, table, buf);

		if (rc)
			return rc;
		for (unsigned i = 0; i < ents(os); i++) {
			if (!(buf[i] & PTE_P))
				continue;
			rc = free_tree(os, level - 1, pt_frame(c, buf[i]));
			if (rc)
				return rc;
		}
	}
	k_frame_put(os, table >> PG_SHIFT);
	return 0;
}

static bool table_empty(struct os *os, unsigned level, uint64_t table,
			int *rc)
{
	pte_t buf[PG_SIZE / 8];

	*rc = read_table(os, table, buf);
	if (*rc)
		return false;
	for (unsigned i = 0; i < ents(os); i++) {
		if (!buf[i])
			continue;
		if (level == 1 || !(buf[i] & PTE_P))
			return false;
		if (!table_empty(os, level - 1, pt_frame(&os->m->cfg, buf[i]),
				 rc))
			return false;
	}
	return true;
}

struct prune {
	struct mm *mm;
	uint64_t start, end, lo, hi;
	bool freed;
};

static int prune_level(struct os *os, struct prune *p, unsigned level,
		       uint64_t table, uint64_t base)
{
	const struct mmu_config *c = &os->m->cfg;
	uint64_t sp = span(os, level);
	int rc;

	for (unsigned i = 0; i < ents(os); i++) {
		uint64_t cb = base + i * sp, ea = table + i * 8;
		pte_t e;

		if (cb + sp <= p->start || cb >= p->end)
			continue;
		rc = k_pte_read(os, ea, &e);
		if (rc)
			return rc;
		if (!(e & PTE_P))
			continue;
		if (cb >= p->lo && cb + sp <= p->hi) {
			/* Only unmapped space below: the tables go. */
			if (!table_empty(os, level - 1, pt_frame(c, e), &rc)) {
				if (rc)
					return rc;
				continue;
			}
			rc = pte_store(os, ea, 0);
			if (!rc)
				rc = free_tree(os, level - 1, pt_frame(c, e));
			p->freed = true;
		} else if (level > 2) {
			rc = prune_level(os, p, level - 1, pt_frame(c, e), cb);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int k_pt_prune(struct os *os, struct mm *mm, uint64_t start, uint64_t end,
	     uint64_t lo, uint64_t hi)
{
	struct prune p = { mm, start, end, lo, hi, false };
	int rc = prune_level(os, &p, nlevels(os), pfn_pa(mm->root), 0);

	/* A freed table may sit in the paging-structure caches: one
	 * invalidation of the mm drops them (INVLPG and INVPCID type 0 clear
	 * every PSC entry of the PCID). */
	if (!rc && p.freed)
		rc = k_tlb_flush_page(os, mm, start);
	return rc;
}

int k_pt_free_all(struct os *os, struct mm *mm)
{
	int rc = free_tree(os, nlevels(os), pfn_pa(mm->root));

	mm->root = 0;
	return rc;
}

pte_t k_pte_for(struct os *os, uint64_t pfn, const struct vma *v,
		bool writable)
{
	pte_t e = pt_make(&os->m->cfg, pfn_pa(pfn), 0);

	if (!(v->flags & VM_ACCESS_FLAGS))
		return e | PTE_SW_PROTNONE;
	e |= PTE_P | PTE_US;
	if (writable && (v->flags & VM_WRITE))
		e |= PTE_RW;
	if (!(v->flags & VM_EXEC))
		e |= PTE_XD;
	/* The VMA's protection key (bits 62..59), as Linux's pte_mkpkey. */
	return os->pku ? pte_with_pkey(e, v->pkey) : e;
}

pte_t k_pte_swp(struct os *os, uint64_t slot)
{
	(void)os;
	return ((slot & SWP_MASK) << SWP_SHIFT) | PTE_SW_SWAP;
}

uint64_t k_pte_swp_slot(struct os *os, pte_t e)
{
	(void)os;
	return (e >> SWP_SHIFT) & SWP_MASK;
}

int k_pte_get(struct os *os, struct mm *mm, uint64_t va, pte_t *e)
{
	uint64_t epa;
	int rc = k_pt_leaf(os, mm, va, false, &epa);

	*e = 0;
	if (rc == -ENOENT)
		return 0;
	return rc ? rc : k_pte_read(os, epa, e);
}
