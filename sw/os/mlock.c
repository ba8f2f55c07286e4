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
	uint64_t epa, pfn;
	pte_t e = 0;
	int rc = k_pt_leaf(os, mm, va, false, &epa);

	if (!rc)
		rc = k_pte_read(os, epa, &e);
	else if (rc == -ENOENT)
		rc = 0;
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
