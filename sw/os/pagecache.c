/* SPDX-License-Identifier: MIT */
/*
 * The page cache: one frame per (inode, page index), shared by every
 * mapping of the file and by pread/pwrite, so a MAP_SHARED store is seen at
 * once everywhere (the frame is the same; the OS reads it through the
 * coherent physical path).
 *
 * Dirty tracking uses the hardware: a store through a shared mapping sets D
 * in its PTE.  D bits are harvested into the frame's dirty flag (and
 * cleared, with TLB invalidation) on msync, fsync, munmap, exit and
 * k_reclaim; dirty frames are then written to the host file.  Only the bytes
 * below the end of the file are written, and the rest of a page that
 * straddles EOF is zeroed at each write-back (ext4's rule): what a mapping
 * stores past EOF in the last page never reaches the file, and reads as 0
 * once the page was written back.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool k_pc_lookup(struct inode *ino, uint64_t index, uint64_t *pfn)
{
	uint64_t v;

	if (!k_hmap_get(&ino->pages, index, &v) || (v & 1))
		return false;
	*pfn = v >> 1;
	return true;
}

static int read_page(struct os *os, struct inode *ino, uint64_t index,
		     uint64_t pfn)
{
	uint8_t buf[PG_SIZE];
	uint64_t off = index << PG_SHIFT;
	ssize_t n = 0;

	memset(buf, 0, sizeof(buf));
	if (off < ino->size) {
		size_t want = ino->size - off < PG_SIZE ? ino->size - off
							 : PG_SIZE;

		if (ino->rfd < 0)
			return os_fail(os, -EACCES, "%s: not readable",
				       ino->path);
		n = pread(ino->rfd, buf, want, (off_t)off);
		if (n < 0)
			return os_fail(os, -EIO, "%s: read: %s", ino->path,
				       strerror(errno));
	}
	os->st.file_reads++;
	return os_mchk(os, machine_phys_write(os->m, pfn_pa(pfn), buf, PG_SIZE),
		       "filling a page-cache page");
}

static int add_page(struct os *os, struct inode *ino, uint64_t index,
		    uint64_t pfn)
{
	os->fr[pfn].ino = ino;
	os->fr[pfn].index = index;
	if (k_hmap_put(&ino->pages, index, pfn << 1))
		return os_fail(os, -ENOMEM, "host out of memory");
	return 0;
}

int k_pc_get(struct os *os, struct inode *ino, uint64_t index, uint64_t *pfn,
	   bool *major)
{
	uint64_t v;
	int rc;

	*major = false;
	if (k_hmap_get(&ino->pages, index, &v) && !(v & 1)) {
		*pfn = v >> 1;
		return 0;
	}
	rc = k_frame_alloc(os, FK_FILE, pfn);
	if (rc)
		return rc;
	if (k_hmap_get(&ino->pages, index, &v) && (v & 1)) {
		/* Shared memory that went to swap. */
		uint64_t slot = v >> 1;

		rc = k_slot_read(os, slot, *pfn);
		if (!rc)
			k_slot_put(os, slot);
		*major = true;
	} else if (ino->shmem) {
		rc = k_frame_zero(os, *pfn);
	} else {
		rc = read_page(os, ino, index, *pfn);
		*major = true;
	}
	if (!rc)
		rc = add_page(os, ino, index, *pfn);
	if (rc) {
		os->fr[*pfn].ino = NULL;
		k_frame_put(os, *pfn);
	}
	return rc;
}

int k_pc_harvest_dirty(struct os *os, uint64_t pfn)
{
	bool hit;
	int rc = k_rmap_test_clear(os, pfn, PTE_D, PTE_D, &hit);

	if (hit)
		os->fr[pfn].dirty = true;
	return rc;
}

/* Zero [from, to) inside one cached page, if it is resident. */
static int zero_in_page(struct os *os, struct inode *ino, uint64_t from,
			uint64_t to)
{
	static const uint8_t zero[PG_SIZE];
	uint64_t pfn;

	if (to <= from || !k_pc_lookup(ino, from >> PG_SHIFT, &pfn))
		return 0;
	return os_mchk(os, machine_phys_write(os->m, pfn_pa(pfn) +
					      (from & ~PG_MASK), zero, to - from),
		       "zeroing a punched range");
}

int k_pc_writeback_page(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];
	struct inode *ino = f->ino;
	uint64_t off = f->index << PG_SHIFT;
	uint8_t buf[PG_SIZE];
	size_t n;
	int rc;

	if (!f->dirty || ino->shmem)
		return 0;
	f->dirty = false;
	if (off >= ino->size)
		return 0; /* wholly past EOF: never written */
	n = ino->size - off < PG_SIZE ? (size_t)(ino->size - off) : PG_SIZE;
	rc = machine_phys_read(os->m, pfn_pa(pfn), buf, PG_SIZE);
	if (rc)
		return os_mchk(os, rc, "reading a dirty page");
	if (ino->wfd < 0)
		return os_fail(os, -EIO, "%s: dirty but not writable",
			       ino->path);
	if (pwrite(ino->wfd, buf, n, (off_t)off) != (ssize_t)n)
		return os_fail(os, -EIO, "%s: write-back: %s", ino->path,
			       strerror(errno));
	os->st.file_writebacks++;
	/* The page straddles EOF: its tail is zeroed in memory on every
	 * write-back, as ext4 does (ext4_bio_write_folio), so what a mapping
	 * stored there reads as 0 afterwards. */
	if (n < PG_SIZE)
		return zero_in_page(os, ino, off + n, off + PG_SIZE);
	return 0;
}

/* Indices of ino's resident pages in [first, last], sorted. */
static int collect(struct inode *ino, uint64_t first, uint64_t last,
		   uint64_t **out, size_t *n)
{
	size_t it = 0, k = 0;
	uint64_t key, val;
	uint64_t *v = malloc((ino->pages.n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	while (k_hmap_next(&ino->pages, &it, &key, &val))
		if (key >= first && key <= last)
			v[k++] = key;
	/* Sorted so that write-back goes in file order. */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	*n = k;
	return 0;
}

int k_pc_sync_range(struct os *os, struct inode *ino, uint64_t first,
		  uint64_t last, bool write)
{
	uint64_t *idx, pfn;
	size_t n;
	int rc = collect(ino, first, last, &idx, &n);

	if (rc)
		return os_fail(os, rc, "host out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		if (!k_pc_lookup(ino, idx[i], &pfn))
			continue;
		rc = k_pc_harvest_dirty(os, pfn);
		if (!rc && write)
			rc = k_pc_writeback_page(os, pfn);
	}
	free(idx);
	return rc;
}

void k_pc_remove(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];

	k_hmap_del(&f->ino->pages, f->index);
	f->ino = NULL;
	f->dirty = false;
	k_frame_put(os, pfn);
}

int k_pc_release_inode(struct os *os, struct inode *ino)
{
	uint64_t *idx, v;
	size_t n;
	int rc = collect(ino, 0, UINT64_MAX, &idx, &n), rc2;

	if (rc)
		return os_fail(os, rc, "host out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!k_hmap_get(&ino->pages, idx[i], &v))
			continue;
		if (v & 1) {
			k_hmap_del(&ino->pages, idx[i]);
			k_slot_put(os, v >> 1);
			continue;
		}
		/* Written back even on an earlier error, so data is kept. */
		rc2 = k_pc_writeback_page(os, v >> 1);
		rc = rc ? rc : rc2;
		k_pc_remove(os, v >> 1);
	}
	free(idx);
	return rc;
}

int k_unmap_frame(struct os *os, uint64_t pfn, pte_t repl, bool *dirty)
{
	struct frame *f = &os->fr[pfn];
	uint32_t n = f->nmap;
	struct rmap_ent *maps;
	int rc = 0;

	if (!n)
		return 0;
	maps = malloc(n * sizeof(*maps));
	if (!maps)
		return os_fail(os, -ENOMEM, "host out of memory");
	for (uint32_t i = 0; i < n; i++)
		maps[i] = f->maps[i];
	/* Keep the frame alive while its last PTEs go. */
	k_frame_get(os, pfn);
	for (uint32_t i = 0; i < n && !rc; i++) {
		uint64_t epa;
		pte_t e;

		rc = k_pt_leaf(os, maps[i].mm, maps[i].va, false, &epa);
		if (!rc)
			rc = k_pte_read(os, epa, &e);
		if (rc)
			break;
		if (dirty && (e & PTE_D))
			*dirty = true;
		if (pte_is_swap(repl))
			k_slot_get(os, k_pte_swp_slot(os, repl));
		rc = k_pte_write(os, maps[i].mm, maps[i].va, epa, e, repl);
		k_rmap_del(os, pfn, maps[i].mm, maps[i].va);
		k_frame_put(os, pfn);
	}
	k_frame_put(os, pfn);
	free(maps);
	return rc;
}

/* Zero [from, end of page) of a cached page: bytes past EOF read as 0. */
static int zero_tail(struct os *os, struct inode *ino, uint64_t from)
{
	static const uint8_t zero[PG_SIZE];
	uint64_t pfn, in = from & ~PG_MASK;

	if (!in || !k_pc_lookup(ino, from >> PG_SHIFT, &pfn))
		return 0;
	return os_mchk(os, machine_phys_write(os->m, pfn_pa(pfn) + in, zero,
					      PG_SIZE - in),
		       "zeroing past EOF");
}

int k_pc_extend(struct os *os, struct inode *ino, uint64_t newsize)
{
	int rc = 0;

	if (newsize > ino->size)
		rc = zero_tail(os, ino, ino->size);
	return rc;
}

/* Every mapping of pages >= first is zapped, private copies included (as
 * Linux's truncate: an access there then raises SIGBUS). */
static int zap_mappings_from(struct os *os, struct inode *ino, uint64_t first)
{
	for (int p = 0; p < os->nprocs; p++) {
		struct mm *mm = os->procs[p]->mm;

		for (size_t i = 0; i < mm->nv; i++) {
			struct vma *v = &mm->v[i];
			uint64_t pages = (v->end - v->start) >> PG_SHIFT;
			uint64_t from;
			int rc;

			if (v->ino != ino || v->pgoff + pages <= first)
				continue;
			from = first > v->pgoff
				       ? v->start + ((first - v->pgoff) << PG_SHIFT)
				       : v->start;
			rc = k_zap_range(os, mm, v, from, v->end);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int k_pc_truncate(struct os *os, struct inode *ino, uint64_t newsize)
{
	uint64_t first = PG_ALIGN(newsize) >> PG_SHIFT, *idx, pfn;
	size_t n;
	int rc = zap_mappings_from(os, ino, first);

	if (rc)
		return rc;
	rc = collect(ino, first, UINT64_MAX, &idx, &n);
	if (rc)
		return os_fail(os, rc, "host out of memory");
	for (size_t i = 0; i < n; i++)
		if (k_pc_lookup(ino, idx[i], &pfn))
			k_pc_remove(os, pfn); /* discarded, not written */
	free(idx);
	return zero_tail(os, ino, newsize);
}

int k_pc_punch(struct os *os, struct inode *ino, uint64_t off, uint64_t len)
{
	uint64_t end = off + len, first = PG_ALIGN(off) >> PG_SHIFT;
	uint64_t last = end >> PG_SHIFT, *idx, v; /* whole pages [first, last) */
	size_t n;
	int rc;

	if (!ino->shmem) {
		/* A regular file: nothing at or past EOF (ext4_punch_hole). */
		if (off >= ino->size)
			return 0;
		if (end > ino->size)
			end = ino->size;
		last = end >> PG_SHIFT;
		if (end == ino->size)
			last = PG_ALIGN(end) >> PG_SHIFT;
	}
	/* Partial pages at the edges are zeroed in place. */
	if (first > last) /* inside one page */
		return zero_in_page(os, ino, off, end);
	rc = zero_in_page(os, ino, off, first << PG_SHIFT);
	if (!rc && last << PG_SHIFT < end)
		rc = zero_in_page(os, ino, last << PG_SHIFT, end);
	if (rc)
		return rc;
	/* Whole pages leave the cache: their mappings are unmapped (private
	 * copies stay, as Linux's truncate_pagecache_range), nothing is
	 * written back. */
	if (last > first && (rc = collect(ino, first, last - 1, &idx, &n)))
		return os_fail(os, rc, "host out of memory");
	for (size_t i = 0; last > first && i < n && !rc; i++) {
		if (!k_hmap_get(&ino->pages, idx[i], &v))
			continue;
		if (v & 1) { /* shared memory in swap */
			k_hmap_del(&ino->pages, idx[i]);
			k_slot_put(os, v >> 1);
			continue;
		}
		rc = k_unmap_frame(os, v >> 1, 0, NULL);
		if (!rc)
			k_pc_remove(os, v >> 1);
	}
	if (last > first)
		free(idx);
	if (rc || ino->shmem || ino->wfd < 0)
		return rc;
	if (fallocate(ino->wfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)(end - off)))
		return os_fail(os, -EIO, "%s: punching a hole: %s", ino->path,
			       strerror(errno));
	return 0;
}
