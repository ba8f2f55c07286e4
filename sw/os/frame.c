/* SPDX-License-Identifier: MIT */
/*
 * Physical frames: a table with one entry per frame of the machine's
 * memory, a free list, reference counts and reverse maps.
 *
 * A user frame's reference count is the number of PTEs that map it, plus
 * one when it is in the page cache, plus one when it is in the swap cache.
 * The reverse map lists those PTEs as (mm, va) so that k_reclaim, KSM and
 * dirty tracking can reach every mapping of a frame.  The zero page is
 * counted but not reverse-mapped (it is never evicted).
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int take_reserved(struct os *os, enum frame_kind kind, uint64_t *pfn)
{
	if (!os->nfree)
		return os_fail(os, -ENOMEM, "os: memory too small");
	*pfn = os->freel[--os->nfree];
	os->fr[*pfn].kind = (uint8_t)kind;
	os->fr[*pfn].ref = 1;
	return 0;
}

int k_frame_init(struct os *os)
{
	uint64_t junk;
	int rc;

	os->nframes = os->m->mem_bytes >> PG_SHIFT;
	if (os->nframes < 8)
		return os_fail(os, -EINVAL, "os: %llu frames: too few",
			       (unsigned long long)os->nframes);
	os->fr = k_calloc(os, os->nframes, sizeof(*os->fr),
			  "the frame table of physical memory");
	if (os->fr)
		os->freel = k_calloc(os, os->nframes, sizeof(*os->freel),
				     "the free-frame list");
	if (!os->fr || !os->freel)
		return -ENOMEM;
	/* Pushed from the top so that allocation goes upwards from 0. */
	for (uint64_t i = os->nframes; i-- > 0;)
		os->freel[os->nfree++] = i;
	/* Frame 0 stays unused: a zero physical address means "none" to the
	 * page-table builder. */
	rc = take_reserved(os, FK_KERNEL, &junk);
	if (!rc)
		rc = take_reserved(os, FK_ZERO, &os->zero_pfn);
	if (!rc)
		rc = take_reserved(os, FK_KERNEL, &os->idle_root);
	if (!rc)
		rc = k_frame_zero(os, os->zero_pfn);
	if (!rc)
		rc = k_frame_zero(os, os->idle_root);
	return rc;
}

void k_frame_fini(struct os *os)
{
	if (os->fr)
		for (uint64_t i = 0; i < os->nframes; i++)
			free(os->fr[i].maps);
	free(os->fr);
	free(os->freel);
}

static int take_free(struct os *os, enum frame_kind kind, uint64_t *pfn)
{
	struct frame *f;

	*pfn = os->freel[--os->nfree];
	f = &os->fr[*pfn];
	*f = (struct frame){ .kind = (uint8_t)kind, .ref = 1,
			     .maps = f->maps, .mcap = f->mcap };
	return 0;
}

int k_frame_alloc(struct os *os, enum frame_kind kind, uint64_t *pfn)
{
	if (!os->nfree && !os->in_reclaim) {
		int64_t n = k_reclaim(os, 1);

		if (n < 0)
			return (int)n;
	}
	if (!os->nfree) {
		os->st.oom_events++;
		return os_fail(os, -ENOMEM, "out of memory: all %llu frames in use "
			       "and %llu/%llu swap slots used",
			       (unsigned long long)os->nframes,
			       (unsigned long long)os->nslots_used,
			       (unsigned long long)os->nslots);
	}
	return take_free(os, kind, pfn);
}

void k_frame_get(struct os *os, uint64_t pfn)
{
	os->fr[pfn].ref++;
}

static void frame_free(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];

	if (f->kind == FK_KSM)
		k_ksm_forget(os, pfn);
	f->kind = FK_FREE;
	f->nmap = 0;
	f->ino = NULL;
	f->swap_slot = 0;
	f->dirty = false;
	os->freel[os->nfree++] = pfn;
}

void k_frame_put(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];

	if (f->kind == FK_ZERO || f->kind == FK_KERNEL) {
		f->ref--;
		return;
	}
	if (--f->ref == 0)
		frame_free(os, pfn);
}

int k_frame_zero(struct os *os, uint64_t pfn)
{
	static const uint8_t zero[PG_SIZE];

	return os_mchk(os, machine_phys_write(os->m, pfn_pa(pfn), zero,
					      PG_SIZE), "zeroing a frame");
}

int k_frame_copy(struct os *os, uint64_t dst, uint64_t src)
{
	uint8_t buf[PG_SIZE];
	int rc = machine_phys_read(os->m, pfn_pa(src), buf, PG_SIZE);

	if (!rc)
		rc = machine_phys_write(os->m, pfn_pa(dst), buf, PG_SIZE);
	return os_mchk(os, rc, "copying a frame");
}

int k_rmap_add(struct os *os, uint64_t pfn, struct mm *mm, uint64_t va)
{
	struct frame *f = &os->fr[pfn];

	if (f->kind == FK_ZERO)
		return 0;
	if (f->nmap == f->mcap) {
		uint32_t cap = f->mcap ? f->mcap * 2 : 2;
		struct rmap_ent *n = realloc(f->maps, cap * sizeof(*n));

		if (!n)
			return os_fail(os, -ENOMEM, "host out of memory");
		f->maps = n;
		f->mcap = cap;
	}
	f->maps[f->nmap++] = (struct rmap_ent){ mm, va };
	return 0;
}

void k_rmap_del(struct os *os, uint64_t pfn, struct mm *mm, uint64_t va)
{
	struct frame *f = &os->fr[pfn];

	for (uint32_t i = 0; i < f->nmap; i++) {
		if (f->maps[i].mm == mm && f->maps[i].va == va) {
			f->maps[i] = f->maps[--f->nmap];
			return;
		}
	}
}

int k_rmap_test_clear(struct os *os, uint64_t pfn, pte_t test, pte_t clear,
		      bool *hit)
{
	struct frame *f = &os->fr[pfn];
	int rc;

	*hit = false;
	for (uint32_t i = 0; i < f->nmap && (clear || !*hit); i++) {
		struct rmap_ent r = f->maps[i];
		uint64_t epa;
		pte_t e;

		rc = k_pt_leaf(os, r.mm, r.va, false, &epa);
		if (!rc)
			rc = k_pte_read(os, epa, &e);
		if (rc)
			return rc;
		if ((e & test) != test)
			continue;
		*hit = true;
		if (clear) {
			rc = k_pte_write(os, r.mm, r.va, epa, e, e & ~clear);
			if (rc)
				return rc;
		}
	}
	return 0;
}
