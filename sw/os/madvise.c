/* SPDX-License-Identifier: MIT */
/*
 * madvise and msync, with Linux's argument checks and its walk over the
 * areas of the range: each area gets the advice; a hole makes the call
 * return ENOMEM at the end (after the areas around it were done).
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <sys/mman.h>

#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif

static bool advice_valid(int a)
{
	switch (a) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
	case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	default:
		return false;
	}
}

/* The flag an advice sets or clears (0: none). */
static bool advice_flags(int a, vm_flags_t *set, vm_flags_t *clear)
{
	*set = *clear = 0;
	switch (a) {
	case MADV_NORMAL:
		*clear = VM_SEQ_READ | VM_RAND_READ;
		return true;
	case MADV_RANDOM:
		*set = VM_RAND_READ;
		*clear = VM_SEQ_READ;
		return true;
	case MADV_SEQUENTIAL:
		*set = VM_SEQ_READ;
		*clear = VM_RAND_READ;
		return true;
	case MADV_DONTFORK:
		*set = VM_DONTCOPY;
		return true;
	case MADV_DOFORK:
		*clear = VM_DONTCOPY;
		return true;
	case MADV_MERGEABLE:
		*set = VM_MERGEABLE;
		return true;
	case MADV_UNMERGEABLE:
		*clear = VM_MERGEABLE;
		return true;
	case MADV_WIPEONFORK:
		*set = VM_WIPEONFORK;
		return true;
	case MADV_DONTDUMP:
		*set = VM_DONTDUMP;
		return true;
	case MADV_DODUMP:
		*clear = VM_DONTDUMP;
		return true;
	case MADV_HUGEPAGE:
		*set = VM_HUGEPAGE;
		*clear = VM_NOHUGEPAGE;
		return true;
	case MADV_NOHUGEPAGE:
		*set = VM_NOHUGEPAGE;
		*clear = VM_HUGEPAGE;
		return true;
	case MADV_KEEPONFORK:
		*clear = VM_WIPEONFORK;
		return true;
	default:
		return false;
	}
}

static int set_flags(struct os *os, struct mm *mm, uint64_t start,
		     uint64_t end, vm_flags_t flags)
{
	size_t i = k_vma_find(mm, start);
	int rc;

	if (mm->v[i].flags == flags)
		return 0;
	rc = k_vma_isolate(os, mm, &i, start, end);
	if (rc)
		return rc;
	mm->v[i].flags = flags;
	k_vma_merge_around(os, mm, i);
	return 0;
}

static int willneed(struct os *os, struct mm *mm, const struct vma *v,
		    uint64_t start, uint64_t end);
static int pageout(struct os *os, struct mm *mm, uint64_t start,
		   uint64_t end);

/*
 * MADV_FREE (madvise_free_pte_range): a page in swap is freed at once; an
 * anonymous page this mapping alone uses (not in the swap cache, not KSM,
 * not the zero page) is made clean and old and marked lazy-free: the data
 * stays until reclaim, which drops the page if it was not written again
 * (a store sets D) and keeps it otherwise.
 */
static int lazyfree_one(struct os *os, struct mm *mm, uint64_t va,
			uint64_t epa, pte_t e, void *ctx)
{
	struct frame *f;

	(void)ctx;
	if (pte_is_swap(e)) {
		k_slot_put(os, k_pte_swp_slot(os, e));
		return k_pte_set(os, epa, 0);
	}
	if (!(e & PTE_P))
		return 0;
	f = &os->fr[pte_pfn(os, e)];
	if (f->kind != FK_ANON || f->nmap != 1 || f->ref != 1)
		return 0;
	f->lazyfree = true;
	if (!(e & (PTE_D | PTE_A)))
		return 0;
	return k_pte_write(os, mm, va, epa, e, e & ~(PTE_D | PTE_A));
}

/* One area [start, end) inside the VMA at start. */
static int advise(struct os *os, struct mm *mm, uint64_t start, uint64_t end,
		  int a)
{
	struct vma *v = k_vma_at(mm, start);
	vm_flags_t set, clear;
	int rc;

	if (advice_flags(a, &set, &clear)) {
		vm_flags_t f = (v->flags | set) & ~clear;

		if (a == MADV_MERGEABLE && (v->flags & VM_MAYSHARE))
			return 0; /* ksm_madvise leaves shared areas alone */
		if (a == MADV_WIPEONFORK && (v->ino || (v->flags & VM_SHARED)))
			return -EINVAL; /* private anonymous memory only */
		if (a == MADV_UNMERGEABLE && (v->flags & VM_MERGEABLE)) {
			rc = k_ksm_unmerge_range(os, mm, start, end);
			if (rc)
				return rc;
		}
		return set_flags(os, mm, start, end, f);
	}
	switch (a) {
	case MADV_FREE:
		if (v->ino || (v->flags & VM_LOCKED))
			return -EINVAL;
		return k_pt_range(os, mm, start, end, lazyfree_one, NULL);
	case MADV_DONTNEED:
		if (v->flags & VM_LOCKED)
			return -EINVAL;
		return k_zap_range(os, mm, v, start, end);
	case MADV_DONTNEED_LOCKED:
		return k_zap_range(os, mm, v, start, end);
	case MADV_REMOVE:
		/* madvise_remove(): a hole punched in the file or shared
		 * memory; only through a shared mapping that may write. */
		if (v->flags & VM_LOCKED)
			return -EINVAL;
		if (!v->ino)
			return -EINVAL;
		if ((v->flags & (VM_SHARED | VM_MAYWRITE)) !=
		    (VM_SHARED | VM_MAYWRITE))
			return -EACCES;
		return k_pc_punch(os, v->ino, vma_index(v, start) << PG_SHIFT,
				  end - start);
	case MADV_WILLNEED:
		return willneed(os, mm, v, start, end);
	case MADV_PAGEOUT:
		if (v->flags & VM_LOCKED)
			return -EINVAL; /* can_madv_lru_vma() */
		return pageout(os, mm, start, end);
	case MADV_COLD:
		return (v->flags & VM_LOCKED) ? -EINVAL : 0;
	case MADV_POPULATE_READ:
		return k_populate_range(os, mm, start, end, K_POP_READ);
	case MADV_POPULATE_WRITE:
		return k_populate_range(os, mm, start, end, K_POP_WRITE);
	default:
		return 0; /* valid, no effect on this model */
	}
}

struct swapra {
	int rc;
};

/* Anonymous pages in swap are read into the swap cache. */
static int swapin_one(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		      pte_t e, void *ctx)
{
	uint64_t slot, pfn;
	int rc;

	(void)mm, (void)va, (void)epa, (void)ctx;
	if (!pte_is_swap(e))
		return 0;
	slot = k_pte_swp_slot(os, e);
	if (os->slots[slot].cache)
		return 0;
	rc = k_frame_alloc(os, FK_ANON, &pfn);
	if (rc)
		return rc == -ENOMEM ? 1 : rc; /* best effort: stop */
	rc = k_slot_read(os, slot, pfn);
	if (rc) {
		k_frame_put(os, pfn);
		return rc;
	}
	os->slots[slot].cache = pfn + 1;
	os->fr[pfn].swap_slot = slot + 1;
	return 0;
}

static int willneed(struct os *os, struct mm *mm, const struct vma *v,
		    uint64_t start, uint64_t end)
{
	int rc;

	if (!v->ino) {
		rc = k_pt_range(os, mm, start, end, swapin_one, NULL);
		return rc > 0 ? 0 : rc;
	}
	/* Read ahead into the page cache (within the file). */
	for (uint64_t va = start; va < end; va += PG_SIZE) {
		uint64_t idx = vma_index(v, va), pfn;
		bool major;

		if (idx >= PG_ALIGN(v->ino->size) >> PG_SHIFT)
			break;
		rc = k_pc_get(os, v->ino, idx, &pfn, &major);
		if (rc == -ENOMEM)
			return 0;
		if (rc)
			return rc;
	}
	return 0;
}

static int pageout_one(struct os *os, struct mm *mm, uint64_t va,
		       uint64_t epa, pte_t e, void *ctx)
{
	uint64_t pfn;
	int rc;

	(void)mm, (void)va, (void)epa, (void)ctx;
	if (!(e & PTE_P))
		return 0;
	pfn = pte_pfn(os, e);
	/* Only pages this mapping alone uses (Linux skips shared ones). */
	if (os->fr[pfn].nmap != 1)
		return 0;
	rc = k_evict_frame(os, pfn);
	return rc < 0 ? rc : 0;
}

static int pageout(struct os *os, struct mm *mm, uint64_t start,
		   uint64_t end)
{
	return k_pt_range(os, mm, start, end, pageout_one, NULL);
}

int os_madvise(struct os *os, uint64_t start, uint64_t len, int advice)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	uint64_t end, alen;
	int unmapped = 0;

	if (!mm)
		return -ESRCH;
	if (!advice_valid(advice))
		return -EINVAL;
	if (start & ~PG_MASK)
		return -EINVAL;
	alen = PG_ALIGN(len);
	if (len && !alen)
		return -EINVAL;
	end = start + alen;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	while (start < end) {
		size_t i = k_vma_find(mm, start);
		uint64_t tmp;
		int rc;

		if (i == mm->nv)
			return -ENOMEM;
		if (start < mm->v[i].start) {
			unmapped = -ENOMEM;
			start = mm->v[i].start;
			if (start >= end)
				break;
		}
		tmp = mm->v[i].end < end ? mm->v[i].end : end;
		rc = advise(os, mm, start, tmp, advice);
		if (rc)
			return rc;
		start = tmp;
	}
	return unmapped;
}

int os_msync(struct os *os, uint64_t start, uint64_t len, int flags)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	uint64_t end;
	int unmapped = 0;

	if (!mm)
		return -ESRCH;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PG_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = PG_ALIGN(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	for (;;) {
		size_t i = k_vma_find(mm, start);
		struct vma *v;
		uint64_t tmp;
		int rc;

		if (i == mm->nv)
			return -ENOMEM;
		v = &mm->v[i];
		if (start < v->start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = v->start;
			if (start >= end)
				return -ENOMEM;
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->flags & VM_LOCKED))
			return -EBUSY;
		tmp = v->end < end ? v->end : end;
		if (v->ino && !v->ino->shmem && (v->flags & VM_SHARED)) {
			/* MS_SYNC writes back; MS_ASYNC only records the
			 * dirty pages (Linux writes them back later). */
			rc = k_pc_sync_range(os, v->ino, vma_index(v, start),
					   vma_index(v, tmp) - 1,
					   (flags & MS_SYNC) != 0);
			if (rc)
				return rc;
		}
		start = v->end;
		if (start >= end)
			return unmapped;
	}
}
