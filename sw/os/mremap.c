/* SPDX-License-Identifier: MIT */
/*
 * mremap: shrink, grow in place, move (MREMAP_MAYMOVE), to a fixed address
 * (MREMAP_FIXED), leaving the old range mapped and empty
 * (MREMAP_DONTUNMAP), with Linux's checks in Linux's order (sys_mremap,
 * mremap_to, vma_to_resize, move_vma).  A move carries the page-table
 * entries over: no page is copied, and the area keeps its file offset (so
 * a moved anonymous area merges with neighbours only as Linux's would).
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <sys/mman.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* Move the entries of [from, from + len) to [to, to + len).  The tables of
 * the destination are made first, so that no allocation (and no reclaim)
 * happens between reading an entry and moving it. */
static int move_ptes(struct os *os, struct mm *mm, uint64_t from, uint64_t to,
		     uint64_t len)
{
	uint64_t epa, nepa;
	pte_t e;
	int rc;

	for (uint64_t off = 0; off < len; off += PG_SIZE)
		if (k_pt_leaf(os, mm, from + off, false, &epa) == 0 &&
		    (rc = k_pt_leaf(os, mm, to + off, true, &nepa)))
			return rc;
	for (uint64_t off = 0; off < len; off += PG_SIZE) {
		rc = k_pt_leaf(os, mm, from + off, false, &epa);
		if (rc == -ENOENT)
			continue;
		if (!rc)
			rc = k_pte_read(os, epa, &e);
		if (!rc && e)
			rc = k_pt_leaf(os, mm, to + off, false, &nepa);
		if (rc || !e)
			continue;
		if (pte_has_frame(e)) {
			uint64_t pfn = pte_pfn(os, e);

			rc = k_rmap_add(os, pfn, mm, to + off);
			if (rc)
				return rc;
			k_rmap_del(os, pfn, mm, from + off);
		}
		rc = k_pte_set(os, nepa, e);
		if (!rc)
			rc = k_pte_write(os, mm, from + off, epa, e, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* move_vma(): a copy of the area at to, the entries moved, the old range
 * unmapped (or left empty with MREMAP_DONTUNMAP). */
static int64_t move_vma(struct os *os, struct mm *mm, uint64_t addr,
			uint64_t old_len, uint64_t new_len, uint64_t to,
			int flags)
{
	struct vma *v = k_vma_at(mm, addr), nv;
	size_t i;
	int rc;

	if (mm->nv >= MAX_MAP_COUNT - 3)
		return -ENOMEM;
	nv = *v;
	nv.start = to;
	nv.end = to + new_len;
	nv.pgoff = vma_index(v, addr);
	if ((nv.flags & VM_MERGEABLE) &&
	    (rc = k_ksm_unmerge_range(os, mm, addr, addr + old_len)))
		return rc;
	rc = k_vma_insert(os, mm, &nv);
	if (!rc)
		rc = move_ptes(os, mm, addr, to, old_len);
	if (rc)
		return rc;
	i = k_vma_find(mm, to);
	k_vma_merge_around(os, mm, i);
	if (flags & MREMAP_DONTUNMAP) {
		/* the old range stays, empty and unlocked */
		i = k_vma_find(mm, addr);
		rc = k_vma_set_flags(os, mm, &i, addr, addr + old_len,
				     mm->v[i].flags & ~VM_LOCKED_MASK, mm->v[i].pkey);
	} else if (old_len) {
		rc = k_do_munmap(os, mm, addr, addr + old_len);
	}
	if (!rc && (nv.flags & VM_LOCKED_MASK) == VM_LOCKED)
		k_populate_range(os, mm, to, to + new_len, K_POP_MAP);
	return rc ? rc : (int64_t)to;
}

/* vma_to_resize(): the area at addr may become new_len long. */
static int resize_ok(struct os *os, struct mm *mm, uint64_t addr,
		     uint64_t old_len, uint64_t new_len, int flags)
{
	struct vma *v = k_vma_at(mm, addr);

	if (!v)
		return -EFAULT;
	if (!old_len && !(v->flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL; /* no duplicating a private mapping */
	(void)flags;
	if (old_len > v->end - addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;
	if (vma_index(v, addr) + (new_len >> PG_SHIFT) < vma_index(v, addr))
		return -EINVAL;
	if (!k_mlock_future_ok(os, mm, v->flags, new_len - old_len))
		return -EAGAIN;
	return 0;
}

static int map_type(const struct vma *v)
{
	if (v->flags & VM_MAYSHARE)
		return MAP_SHARED;
	return v->ino ? MAP_PRIVATE : MAP_PRIVATE | MAP_ANONYMOUS;
}

/* mremap_to(): MREMAP_FIXED or MREMAP_DONTUNMAP. */
static int64_t mremap_to(struct os *os, struct mm *mm, uint64_t addr,
			 uint64_t old_len, uint64_t new_addr, uint64_t new_len,
			 int flags)
{
	int64_t a;
	int rc;

	if (new_addr & ~PG_MASK)
		return -EINVAL;
	if (new_len > os->task_size || new_addr > os->task_size - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* overlapping */
	if (mm->nv + 2 >= MAX_MAP_COUNT - 3)
		return -ENOMEM;
	if ((flags & MREMAP_FIXED) &&
	    (rc = k_do_munmap(os, mm, new_addr, new_addr + new_len)))
		return rc;
	if (old_len > new_len) {
		rc = k_do_munmap(os, mm, addr + new_len, addr + old_len);
		if (rc)
			return rc;
		old_len = new_len;
	}
	if ((rc = resize_ok(os, mm, addr, old_len, new_len, flags)))
		return rc;
	a = k_get_unmapped_area(os, mm, new_addr, new_len,
				map_type(k_vma_at(mm, addr)) |
				((flags & MREMAP_FIXED) ? MAP_FIXED : 0));
	if (a < 0)
		return a;
	return move_vma(os, mm, addr, old_len, new_len, (uint64_t)a, flags);
}

/* Grow the area ending at addr + old_len in place when nothing is in the
 * way (vma_expandable): 1 done, 0 not possible, < 0 error. */
static int grow_in_place(struct os *os, struct mm *mm, uint64_t addr,
			 uint64_t old_len, uint64_t new_len)
{
	size_t i = k_vma_find(mm, addr);
	struct vma *v = &mm->v[i];
	uint64_t end = addr + new_len, old_end = v->end;

	if (old_len != v->end - addr || end < v->end || end > os->task_size)
		return 0;
	if (i + 1 < mm->nv && mm->v[i + 1].start < end)
		return 0;
	v->end = end;
	i = k_vma_merge_around(os, mm, i);
	if ((mm->v[i].flags & VM_LOCKED_MASK) == VM_LOCKED)
		k_populate_range(os, mm, old_end, end, K_POP_MAP);
	return 1;
}

int64_t os_mremap(struct os *os, uint64_t addr, uint64_t old_len,
		  uint64_t new_len, int flags, uint64_t new_addr)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	int64_t a;
	int rc;

	if (!mm)
		return -ESRCH;
	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PG_MASK)
		return -EINVAL;
	old_len = PG_ALIGN(old_len);
	new_len = PG_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (!k_vma_at(mm, addr))
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(os, mm, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {
		if (old_len > new_len &&
		    (rc = k_do_munmap(os, mm, addr + new_len, addr + old_len)))
			return rc;
		return (int64_t)addr;
	}
	if ((rc = resize_ok(os, mm, addr, old_len, new_len, flags)))
		return rc;
	rc = grow_in_place(os, mm, addr, old_len, new_len);
	if (rc)
		return rc < 0 ? rc : (int64_t)addr;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	a = k_get_unmapped_area(os, mm, 0, new_len, map_type(k_vma_at(mm, addr)));
	if (a < 0)
		return a;
	return move_vma(os, mm, addr, old_len, new_len, (uint64_t)a, flags);
}
