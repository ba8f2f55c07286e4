/* SPDX-License-Identifier: MIT */
/*
 * Residency and locking: mincore, and mlock/munlock/mlockall/munlockall
 * with RLIMIT_MEMLOCK, with Linux's argument checks in Linux's order.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

/* ---- mincore -------------------------------------------------------------- */

/* One page of v at va: 1 when resident (mincore_pte_range). */
static int resident(struct os *os, struct mm *mm, const struct vma *v,
		    uint64_t va, uint8_t *out)
{
	uint64_t pfn;
	pte_t e;
	int rc = k_pte_get(os, mm, va, &e);

	if (rc)
		return rc;
	if (pte_has_frame(e)) {
		*out = 1;
	} else if (pte_is_swap(e)) {
		/* in swap: resident only while in the swap cache */
		*out = os->slots[k_pte_swp_slot(os, e)].cache != 0;
	} else {
		/* nothing mapped: a file page counts when it is cached */
		*out = v->ino && k_pc_lookup(v->ino, vma_index(v, va), &pfn);
	}
	return 0;
}

int os_mincore(struct os *os, uint64_t start, uint64_t len, uint8_t *vec)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	uint64_t pages, end;

	if (!mm)
		return -ESRCH;
	if (start & ~PG_MASK)
		return -EINVAL;
	if (start > os->task_size + PG_SIZE || len > os->task_size + PG_SIZE - start)
		return -ENOMEM; /* !access_ok */
	pages = PG_ALIGN(len) >> PG_SHIFT;
	end = start + (pages << PG_SHIFT);
	for (uint64_t va = start; va < end; va += PG_SIZE) {
		struct vma *v = k_vma_at(mm, va);
		int rc;

		if (!v)
			return -ENOMEM; /* a hole: what was filled stays */
		rc = resident(os, mm, v, va, &vec[(va - start) >> PG_SHIFT]);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- mlock -------------------------------------------------------------------- */

#define MEMLOCK_DEFAULT (8ull << 20) /* RLIMIT_MEMLOCK, Linux 5.16+ */

uint64_t k_memlock_limit(const struct os *os)
{
	if (!os->o.memlock_rlimit)
		return MEMLOCK_DEFAULT;
	return os->o.memlock_rlimit == OS_RLIM_ZERO ? 0 : os->o.memlock_rlimit;
}

/* Linux's mm->locked_vm, in bytes: what VM_LOCKED areas cover. */
uint64_t k_locked_vm(const struct mm *mm)
{
	uint64_t n = 0;

	for (size_t i = 0; i < mm->nv; i++)
		if (mm->v[i].flags & VM_LOCKED)
			n += mm->v[i].end - mm->v[i].start;
	return n;
}

/* Locked bytes of mm inside [start, end). */
static uint64_t locked_in(const struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t n = 0;

	for (size_t i = k_vma_find(mm, start); i < mm->nv && mm->v[i].start < end; i++) {
		const struct vma *v = &mm->v[i];

		if (v->flags & VM_LOCKED)
			n += (v->end < end ? v->end : end) - (v->start > start ? v->start : start);
	}
	return n;
}

/* mlock_fixup(): droppable areas are never locked. */
static int lock_fixup(struct os *os, struct mm *mm, size_t *i, uint64_t start,
		      uint64_t end, vm_flags_t nf)
{
	if (nf == mm->v[*i].flags || (mm->v[*i].flags & VM_DROPPABLE))
		return 0;
	return k_vma_set_flags(os, mm, i, start, end, nf, mm->v[*i].pkey);
}

/* apply_vma_lock_flags(): every area of [start, end), no holes. */
static int apply_lock(struct os *os, struct mm *mm, uint64_t start,
		      uint64_t end, vm_flags_t flags)
{
	size_t i = k_vma_find(mm, start);
	uint64_t tmp, nstart = start;
	int rc;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (i == mm->nv || mm->v[i].start > start)
		return -ENOMEM;
	tmp = mm->v[i].start;
	for (; i < mm->nv && mm->v[i].start < end; i++) {
		vm_flags_t nf = (mm->v[i].flags & ~VM_LOCKED_MASK) | flags;

		if (mm->v[i].start != tmp)
			return -ENOMEM;
		tmp = mm->v[i].end < end ? mm->v[i].end : end;
		rc = lock_fixup(os, mm, &i, nstart, tmp, nf);
		if (rc)
			return rc;
		tmp = mm->v[i].end < end ? mm->v[i].end : end;
		nstart = tmp;
	}
	return tmp < end ? -ENOMEM : 0;
}

/* Fault in the locked areas of [start, end) (__mm_populate). */
static int populate_locked(struct os *os, struct mm *mm, uint64_t start,
			   uint64_t end)
{
	for (size_t i = k_vma_find(mm, start); i < mm->nv && mm->v[i].start < end; i++) {
		const struct vma *v = &mm->v[i];
		int rc;

		if ((v->flags & (VM_LOCKED | VM_LOCKONFAULT)) != VM_LOCKED ||
		    !(v->flags & VM_ACCESS_FLAGS))
			continue;
		rc = k_populate_range(os, mm, v->start > start ? v->start : start,
				      v->end < end ? v->end : end, K_POP_MAP);
		if (rc)
			return rc == -ENOMEM ? -EAGAIN : rc;
	}
	return 0;
}

int os_mlock(struct os *os, uint64_t start, uint64_t len)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	uint64_t limit = k_memlock_limit(os), locked;
	int rc;

	if (!mm)
		return -ESRCH;
	if (!limit)
		return -EPERM; /* can_do_mlock(): no CAP_IPC_LOCK */
	len = PG_ALIGN(len + (start & ~PG_MASK));
	start &= PG_MASK;
	locked = len + k_locked_vm(mm);
	if (locked > limit)
		locked -= locked_in(mm, start, start + len);
	if (locked > limit)
		return -ENOMEM;
	rc = apply_lock(os, mm, start, start + len, VM_LOCKED);
	return rc ? rc : populate_locked(os, mm, start, start + len);
}

int os_munlock(struct os *os, uint64_t start, uint64_t len)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;

	if (!mm)
		return -ESRCH;
	len = PG_ALIGN(len + (start & ~PG_MASK));
	start &= PG_MASK;
	return apply_lock(os, mm, start, start + len, 0);
}

/* apply_mlockall_flags() */
static int apply_all(struct os *os, struct mm *mm, int flags)
{
	vm_flags_t to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return 0;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (size_t i = 0; i < mm->nv; i++) {
		int rc = lock_fixup(os, mm, &i, mm->v[i].start, mm->v[i].end,
				    (mm->v[i].flags & ~VM_LOCKED_MASK) | to_add);

		if (rc)
			return rc;
	}
	return 0;
}

int os_mlockall(struct os *os, int flags)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	uint64_t total = 0;
	int rc;

	if (!mm)
		return -ESRCH;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!k_memlock_limit(os))
		return -EPERM;
	for (size_t i = 0; i < mm->nv; i++)
		total += mm->v[i].end - mm->v[i].start;
	if ((flags & MCL_CURRENT) && total > k_memlock_limit(os))
		return -ENOMEM; /* total_vm over the limit */
	rc = apply_all(os, mm, flags);
	if (!rc && (flags & MCL_CURRENT))
		populate_locked(os, mm, 0, os->task_size); /* best effort */
	return rc;
}

int os_munlockall(struct os *os)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;

	if (!mm)
		return -ESRCH;
	return apply_all(os, mm, 0);
}

/* mlock_future_ok(): may mm lock len more bytes (MAP_LOCKED, MCL_FUTURE)? */
bool k_mlock_future_ok(const struct os *os, const struct mm *mm,
		       vm_flags_t flags, uint64_t len)
{
	if (!(flags & VM_LOCKED))
		return true;
	return k_locked_vm(mm) + len <= k_memlock_limit(os);
}
