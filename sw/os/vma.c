/* SPDX-License-Identifier: MIT */
/*
 * The VMA set of an mm: a sorted array of disjoint [start, end) areas.
 *
 * Merging follows Linux's vma_merge: two areas merge when they touch,
 * have the same flags and backing object, map the same open file
 * description (vm_file: two open()s of one file do not merge), their file
 * offsets continue
 * each other (anonymous areas too: their pgoff is start >> 12), and their
 * anon_vma identities are compatible (equal, or one has none yet).
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t k_vma_find(const struct mm *mm, uint64_t addr)
{
	size_t lo = 0, hi = mm->nv;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mm->v[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vma *k_vma_at(struct mm *mm, uint64_t addr)
{
	size_t i = k_vma_find(mm, addr);

	if (i < mm->nv && mm->v[i].start <= addr)
		return &mm->v[i];
	return NULL;
}

static int reserve(struct os *os, struct mm *mm)
{
	if (mm->nv < mm->cap)
		return 0;
	size_t cap = mm->cap ? mm->cap * 2 : 16;
	struct vma *n = realloc(mm->v, cap * sizeof(*n));

	if (!n)
		return os_fail(os, -ENOMEM, "host out of memory");
	mm->v = n;
	mm->cap = cap;
	return 0;
}

/* Callers make room first (munmap, or a free range they checked): an
 * empty, wrapped or overlapping area is a kernel bug, refused with
 * -EUCLEAN (the consistency-violation value of os_check) so the set stays
 * sorted and disjoint. */
int k_vma_insert(struct os *os, struct mm *mm, const struct vma *v)
{
	size_t i = k_vma_find(mm, v->start);
	int rc;

	if (v->start >= v->end || v->end > os->task_size ||
	    (v->start | v->end) & ~PG_MASK)
		return os_fail(os, -EUCLEAN, "internal: inserting a bad vma "
			       "[%#llx, %#llx)", (unsigned long long)v->start,
			       (unsigned long long)v->end);
	if (i < mm->nv && mm->v[i].start < v->end)
		return os_fail(os, -EUCLEAN, "internal: vma [%#llx, %#llx) "
			       "overlaps [%#llx, %#llx)",
			       (unsigned long long)v->start,
			       (unsigned long long)v->end,
			       (unsigned long long)mm->v[i].start,
			       (unsigned long long)mm->v[i].end);
	rc = reserve(os, mm);
	if (rc)
		return rc;
	memmove(&mm->v[i + 1], &mm->v[i], (mm->nv - i) * sizeof(*v));
	mm->v[i] = *v;
	mm->nv++;
	if (v->ino)
		k_inode_get(v->ino);
	return 0;
}

void k_vma_release(struct os *os, struct vma *v)
{
	if (v->ino)
		k_inode_put(os, v->ino);
	v->ino = NULL;
}

void k_vma_remove(struct mm *mm, size_t i)
{
	memmove(&mm->v[i], &mm->v[i + 1], (mm->nv - i - 1) * sizeof(mm->v[0]));
	mm->nv--;
}

int k_vma_split(struct os *os, struct mm *mm, size_t i, uint64_t addr)
{
	struct vma hi;
	int rc = reserve(os, mm);

	if (rc)
		return rc;
	hi = mm->v[i];
	hi.start = addr;
	hi.pgoff = vma_index(&mm->v[i], addr);
	mm->v[i].end = addr;
	memmove(&mm->v[i + 2], &mm->v[i + 1],
		(mm->nv - i - 1) * sizeof(mm->v[0]));
	mm->v[i + 1] = hi;
	mm->nv++;
	if (hi.ino)
		k_inode_get(hi.ino);
	return 0;
}

int k_vma_isolate(struct os *os, struct mm *mm, size_t *pi, uint64_t start,
		  uint64_t end)
{
	int rc;

	if (mm->v[*pi].start < start) {
		rc = k_vma_split(os, mm, *pi, start);
		if (rc)
			return rc;
		(*pi)++;
	}
	if (mm->v[*pi].end > end)
		return k_vma_split(os, mm, *pi, end);
	return 0;
}

bool k_vma_can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->flags != b->flags || a->ino != b->ino ||
	    a->pkey != b->pkey || a->file_id != b->file_id)
		return false;
	if (a->pgoff + ((a->end - a->start) >> PG_SHIFT) != b->pgoff)
		return false;
	return !a->anon_id || !b->anon_id || a->anon_id == b->anon_id;
}

/* v[i] absorbs v[i + 1]. */
static void merge_next(struct os *os, struct mm *mm, size_t i)
{
	struct vma *a = &mm->v[i], *b = &mm->v[i + 1];

	a->end = b->end;
	if (!a->anon_id)
		a->anon_id = b->anon_id;
	k_vma_release(os, b);
	k_vma_remove(mm, i + 1);
}

size_t k_vma_merge_around(struct os *os, struct mm *mm, size_t i)
{
	bool prev = i > 0 && k_vma_can_merge(&mm->v[i - 1], &mm->v[i]);
	bool next = i + 1 < mm->nv && k_vma_can_merge(&mm->v[i], &mm->v[i + 1]);

	/* All three only if the outer two could merge with each other
	 * (their anon_vmas are compatible); otherwise prev wins. */
	if (prev && next) {
		const struct vma *a = &mm->v[i - 1], *c = &mm->v[i + 1];

		if (a->anon_id && c->anon_id && a->anon_id != c->anon_id)
			next = false;
	}
	if (next)
		merge_next(os, mm, i);
	if (prev) {
		merge_next(os, mm, i - 1);
		i--;
	}
	return i;
}

/* Linux's anon_vma_compatible(): neighbours that differ at most in their
 * access rights may share an anon_vma. */
static bool anon_compatible(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->ino == b->ino &&
	       a->file_id == b->file_id &&
	       !((a->flags ^ b->flags) & ~VM_ACCESS_FLAGS) &&
	       b->pgoff == a->pgoff + ((a->end - a->start) >> PG_SHIFT);
}

void k_vma_anon_prepare(struct os *os, struct mm *mm, struct vma *v)
{
	size_t i = (size_t)(v - mm->v);

	if (v->anon_id)
		return;
	/* find_mergeable_anon_vma(): reuse a neighbour's (next first). */
	if (i + 1 < mm->nv && mm->v[i + 1].anon_id &&
	    anon_compatible(v, &mm->v[i + 1]))
		v->anon_id = mm->v[i + 1].anon_id;
	else if (i > 0 && mm->v[i - 1].anon_id &&
		 anon_compatible(&mm->v[i - 1], v))
		v->anon_id = mm->v[i - 1].anon_id;
	else
		v->anon_id = k_anon_id_new(os);
}

uint64_t k_vma_start_gap(const struct vma *v)
{
	if ((v->flags & VM_GROWSDOWN) && v->start > STACK_GUARD_GAP)
		return v->start - STACK_GUARD_GAP;
	return (v->flags & VM_GROWSDOWN) ? 0 : v->start;
}

uint64_t k_anon_id_new(struct os *os)
{
	return ++os->next_anon_id;
}
