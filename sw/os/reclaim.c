/* SPDX-License-Identifier: MIT */
/*
 * Page k_reclaim: the clock (second-chance) algorithm over physical frames.
 *
 * The hand sweeps the frame table.  A user frame whose PTEs show the
 * accessed bit gets a second chance: A is cleared in every PTE mapping it
 * (each followed by INVLPG / INVPCID, or the TLB would keep using the entry
 * without the walker setting A again) and the hand moves on.  A frame found
 * with A clear everywhere is evicted:
 *   - anonymous (and KSM) pages are written to a swap slot and every PTE
 *     mapping them becomes a swap entry; a swap-cache page is already in
 *     its slot and is just dropped; a MADV_FREE page not written since is
 *     dropped (its PTEs cleared: it reads as zero again), and so is a page
 *     of a MAP_DROPPABLE area, written or not;
 *   - page-cache pages of files are unmapped (their PTEs cleared: the next
 *     access faults them back from the cache or the file), written back if
 *     dirty, and dropped;
 *   - shared-memory pages go to swap, their object keeping the slot.
 * Pinned frames (in use by the fault handler), frames mapped in a locked
 * area (mlock) and kernel frames are skipped.
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>

/* Clear A in every PTE of pfn; true when one had it set. */
static int test_clear_young(struct os *os, uint64_t pfn, bool *young)
{
	return k_rmap_test_clear(os, pfn, PTE_P | PTE_A, PTE_A, young);
}

/* Does a PTE mapping pfn have D set? */
static int any_dirty(struct os *os, uint64_t pfn, bool *dirty)
{
	return k_rmap_test_clear(os, pfn, PTE_D, 0, dirty);
}

/* Is pfn mapped in an area with one of these flags? */
static bool mapped_with(struct os *os, uint64_t pfn, vm_flags_t flags)
{
	const struct frame *f = &os->fr[pfn];

	for (uint32_t i = 0; i < f->nmap; i++) {
		const struct vma *v = k_vma_at(f->maps[i].mm, f->maps[i].va);

		if (v && (v->flags & flags))
			return true;
	}
	return false;
}

static bool droppable(struct os *os, uint64_t pfn)
{
	return mapped_with(os, pfn, VM_DROPPABLE);
}

static int evict_anon(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];
	uint64_t slot;
	bool dirty;
	int rc;

	if (f->lazyfree || (f->kind == FK_ANON && droppable(os, pfn))) {
		/* MADV_FREE: dropped unless written since (then it is an
		 * ordinary page again); MAP_DROPPABLE: dropped anyway. */
		rc = any_dirty(os, pfn, &dirty);
		if (rc)
			return rc;
		if (!dirty || droppable(os, pfn)) {
			rc = k_unmap_frame(os, pfn, 0, NULL);
			return rc ? rc : 1;
		}
		f->lazyfree = false;
	}
	if (f->swap_slot) {
		/* In the swap cache: mapped read-only since it was read, so
		 * the slot still holds its content. */
		slot = f->swap_slot - 1;
		rc = k_unmap_frame(os, pfn, k_pte_swp(os, slot), NULL);
		if (rc)
			return rc;
		os->slots[slot].cache = 0;
		os->fr[pfn].swap_slot = 0;
		k_frame_put(os, pfn);
		return 1;
	}
	if (k_slot_alloc(os, &slot))
		return 0; /* swap full: not evictable */
	rc = k_slot_write(os, slot, pfn);
	if (!rc)
		rc = k_unmap_frame(os, pfn, k_pte_swp(os, slot), NULL);
	k_slot_put(os, slot); /* the allocation's own count */
	return rc ? rc : 1;
}

static int evict_file(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];
	struct inode *ino = f->ino;
	uint64_t slot = 0;
	bool dirty = false;
	int rc;

	if (ino->shmem && k_slot_alloc(os, &slot))
		return 0;
	rc = k_unmap_frame(os, pfn, 0, &dirty);
	if (rc)
		return rc;
	if (dirty)
		os->fr[pfn].dirty = true;
	if (ino->shmem) {
		rc = k_slot_write(os, slot, pfn);
		if (rc)
			return rc;
		if (k_hmap_put(&ino->pages, os->fr[pfn].index, (slot << 1) | 1))
			return os_fail(os, -ENOMEM, "host out of memory");
		os->fr[pfn].ino = NULL;
		k_frame_put(os, pfn);
		return 1;
	}
	if (os->fr[pfn].dirty) {
		rc = k_pc_writeback_page(os, pfn);
		if (rc)
			return rc;
	} else {
		os->st.file_pages_dropped++;
	}
	k_pc_remove(os, pfn);
	return 1;
}

int k_evict_frame(struct os *os, uint64_t pfn)
{
	struct frame *f = &os->fr[pfn];

	if (!frame_is_user(f) || f->pin)
		return 0;
	if (mapped_with(os, pfn, VM_LOCKED))
		return 0; /* mlocked: never reclaimed */
	if (f->kind == FK_FILE)
		return evict_file(os, pfn);
	return evict_anon(os, pfn);
}

int64_t k_reclaim(struct os *os, uint64_t n)
{
	uint64_t freed = 0, scanned = 0, limit = 3 * os->nframes;
	int rc = 0;

	if (os->in_reclaim)
		return 0;
	os->in_reclaim = true;
	while (freed < n && scanned++ < limit) {
		uint64_t pfn = os->clock_hand;
		uint64_t before = os->nfree;
		bool young;

		os->clock_hand = (pfn + 1) % os->nframes;
		if (!frame_is_user(&os->fr[pfn]) || os->fr[pfn].pin)
			continue;
		rc = test_clear_young(os, pfn, &young);
		if (rc)
			break;
		if (young) {
			os->st.second_chances++;
			continue;
		}
		rc = k_evict_frame(os, pfn);
		if (rc < 0)
			break;
		rc = 0;
		freed += os->nfree > before ? os->nfree - before : 0;
	}
	os->in_reclaim = false;
	return rc ? rc : (int64_t)freed;
}

int64_t os_reclaim(struct os *os, uint64_t n)
{
	return k_reclaim(os, n);
}
