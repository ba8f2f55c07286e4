/* SPDX-License-Identifier: MIT */
/*
 * Kernel same-page merging, on demand (os_ksm_scan).
 *
 * Every present anonymous page of a VM_MERGEABLE private area is hashed
 * (content read through the coherent path).  A page equal to a KSM frame
 * (stable table: hash -> frame, contents compared byte for byte) is
 * remapped to it read-only and its own frame released.  Two equal ordinary
 * pages met in the same scan (unstable table) are merged by promoting the
 * first: its mappings are write-protected and it becomes a KSM frame.  A
 * later write to a KSM frame always copies (COW), never reuses it in place.
 * Pages in the swap cache and the zero page are left alone.
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct scan {
	struct hmap unstable;  /* hash -> pfn of an ordinary page */
	int merged;
	uint8_t a[PG_SIZE], b[PG_SIZE];
};

static uint64_t hash_page(const uint8_t *p)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < PG_SIZE; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

void k_ksm_forget(struct os *os, uint64_t pfn)
{
	uint64_t v;

	if (k_hmap_get(&os->ksm, os->fr[pfn].ksm_hash, &v) && v == pfn)
		k_hmap_del(&os->ksm, os->fr[pfn].ksm_hash);
}

static int read_page(struct os *os, uint64_t pfn, uint8_t *buf)
{
	return os_mchk(os, machine_phys_read(os->m, pfn_pa(pfn), buf, PG_SIZE),
		       "KSM read");
}

/* Write-protect every mapping of pfn (it is about to be shared). */
static int wrprotect_all(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];

	for (uint32_t i = 0; i < f->nmap; i++) {
		struct rmap_ent r = f->maps[i];
		uint64_t epa;
		pte_t e;
		int rc = k_pt_leaf(os, r.mm, r.va, false, &epa);

		if (!rc)
			rc = k_pte_read(os, epa, &e);
		if (!rc && (e & PTE_RW))
			rc = k_pte_write(os, r.mm, r.va, epa, e,
				       (e & ~(PTE_RW | PTE_D)) | PTE_SW_COW);
		if (rc)
			return rc;
	}
	return 0;
}

/* Point the PTE at va to KSM frame k instead of its own frame. */
static int remap(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		 pte_t e, uint64_t k)
{
	uint64_t old = pte_pfn(os, e);
	pte_t n = pt_make(&os->m->cfg, pfn_pa(k), 0) |
		  (e & (PTE_P | PTE_US | PTE_XD | PTE_A | PTE_PKEY_MASK)) |
		  PTE_SW_COW;
	int rc = k_rmap_add(os, k, mm, va);

	if (rc)
		return rc;
	k_frame_get(os, k);
	rc = k_pte_write(os, mm, va, epa, e, n);
	k_rmap_del(os, old, mm, va);
	k_frame_put(os, old);
	os->st.ksm_merges++;
	return rc;
}

static int promote(struct os *os, uint64_t pfn, uint64_t h)
{
	int rc = wrprotect_all(os, pfn);

	if (rc)
		return rc;
	os->fr[pfn].kind = FK_KSM;
	os->fr[pfn].ksm_hash = h;
	if (k_hmap_put(&os->ksm, h, pfn))
		return os_fail(os, -ENOMEM, "host out of memory");
	return 0;
}

static int scan_one(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		    pte_t e, void *ctx)
{
	struct scan *s = ctx;
	uint64_t pfn, k, h;
	int rc;

	if (!(e & PTE_P))
		return 0;
	pfn = pte_pfn(os, e);
	if (os->fr[pfn].kind != FK_ANON || os->fr[pfn].swap_slot)
		return 0;
	rc = read_page(os, pfn, s->a);
	if (rc)
		return rc;
	h = hash_page(s->a);
	if (k_hmap_get(&os->ksm, h, &k) && k != pfn) {
		rc = read_page(os, k, s->b);
		if (rc || memcmp(s->a, s->b, PG_SIZE))
			return rc;
		s->merged++;
		return remap(os, mm, va, epa, e, k);
	}
	if (k_hmap_get(&s->unstable, h, &k) && k != pfn &&
	    os->fr[k].kind == FK_ANON && !os->fr[k].swap_slot) {
		rc = read_page(os, k, s->b);
		if (rc || memcmp(s->a, s->b, PG_SIZE))
			return rc;
		k_hmap_del(&s->unstable, h);
		rc = promote(os, k, h);
		if (rc)
			return rc;
		s->merged++;
		return remap(os, mm, va, epa, e, k);
	}
	if (k_hmap_put(&s->unstable, h, pfn))
		return os_fail(os, -ENOMEM, "host out of memory");
	return 0;
}

int os_ksm_scan(struct os *os)
{
	struct scan *s = calloc(1, sizeof(*s));
	int rc = 0, merged;

	if (!s)
		return -ENOMEM;
	for (int p = 0; p < os->nprocs && !rc; p++) {
		struct mm *mm = os->procs[p]->mm;

		for (size_t i = 0; i < mm->nv && !rc; i++) {
			const struct vma *v = &mm->v[i];

			if (!(v->flags & VM_MERGEABLE) ||
			    (v->flags & VM_MAYSHARE))
				continue;
			rc = k_pt_range(os, mm, v->start, v->end, scan_one, s);
		}
	}
	merged = s->merged;
	k_hmap_free(&s->unstable);
	free(s);
	return rc ? rc : merged;
}

struct unmerge {
	struct vma *v;
};

static int unmerge_one(struct os *os, struct mm *mm, uint64_t va,
		       uint64_t epa, pte_t e, void *ctx)
{
	struct unmerge *u = ctx;
	int rc;

	if (!(e & PTE_P) || os->fr[pte_pfn(os, e)].kind != FK_KSM)
		return 0;
	rc = k_cow_break(os, mm, u->v, va, epa, e);
	if (rc == FR_OOM)
		return -ENOMEM;
	return rc;
}

int k_ksm_unmerge_range(struct os *os, struct mm *mm, uint64_t start,
		      uint64_t end)
{
	for (size_t i = k_vma_find(mm, start); i < mm->nv && mm->v[i].start < end;
	     i++) {
		struct unmerge u = { &mm->v[i] };
		uint64_t s = start > mm->v[i].start ? start : mm->v[i].start;
		uint64_t e = end < mm->v[i].end ? end : mm->v[i].end;
		int rc = k_pt_range(os, mm, s, e, unmerge_one, &u);

		if (rc)
			return rc;
	}
	return 0;
}
