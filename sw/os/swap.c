/* SPDX-License-Identifier: MIT */
/*
 * The swap area: swap_bytes / 4 KiB slots held in host memory (page-sized
 * buffers allocated when a slot is written).  A slot's count is the number
 * of swap entries naming it (in PTEs, or in a shared-memory object's page
 * map).  While more than one entry names a slot, the first fault that
 * reads it keeps the frame in the swap cache so that the others find it
 * and the page stays shared, as on Linux; the cache lets go when the last
 * entry is gone.
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int k_swap_init(struct os *os)
{
	os->nslots = os->o.swap_bytes >> PG_SHIFT;
	if (!os->nslots)
		return 0;
	os->slots = k_calloc(os, os->nslots, sizeof(*os->slots),
			     "the slot table of the swap area");
	if (!os->slots) {
		os->nslots = 0;
		return -ENOMEM;
	}
	return 0;
}

void k_swap_fini(struct os *os)
{
	for (uint64_t i = 0; os->slots && i < os->nslots; i++)
		free(os->slots[i].data);
	free(os->slots);
}

int k_slot_alloc(struct os *os, uint64_t *slot)
{
	for (uint64_t k = 0; k < os->nslots; k++) {
		uint64_t i = (os->slot_hint + k) % os->nslots;
		struct swap_slot *s = &os->slots[i];

		if (s->ref == 0 && !s->cache) {
			s->ref = 1;
			os->nslots_used++;
			os->slot_hint = i + 1;
			*slot = i;
			return 0;
		}
	}
	return -ENOSPC;
}

void k_slot_get(struct os *os, uint64_t slot)
{
	os->slots[slot].ref++;
}

void k_slot_put(struct os *os, uint64_t slot)
{
	struct swap_slot *s = &os->slots[slot];

	if (--s->ref)
		return;
	if (s->cache) {
		uint64_t pfn = s->cache - 1;

		s->cache = 0;
		os->fr[pfn].swap_slot = 0;
		k_frame_put(os, pfn);
	}
	free(s->data);
	s->data = NULL;
	os->nslots_used--;
}

int k_slot_write(struct os *os, uint64_t slot, uint64_t pfn)
{
	struct swap_slot *s = &os->slots[slot];

	if (!s->data) {
		s->data = malloc(PG_SIZE);
		if (!s->data)
			return os_fail(os, -ENOMEM, "host out of memory");
	}
	os->st.swap_outs++;
	return os_mchk(os, machine_phys_read(os->m, pfn_pa(pfn), s->data,
					     PG_SIZE), "writing a page to swap");
}

int k_slot_read(struct os *os, uint64_t slot, uint64_t pfn)
{
	struct swap_slot *s = &os->slots[slot];

	os->st.swap_ins++;
	if (!s->data)
		return k_frame_zero(os, pfn);
	return os_mchk(os, machine_phys_write(os->m, pfn_pa(pfn), s->data,
					      PG_SIZE), "reading swap");
}

int k_swap_in(struct os *os, uint64_t slot, uint64_t *pfn, bool *major)
{
	struct swap_slot *s = &os->slots[slot];
	int rc;

	if (s->cache) {
		*pfn = s->cache - 1;
		k_frame_get(os, *pfn);
		*major = false;
		os->st.swap_cache_hits++;
	} else {
		rc = k_frame_alloc(os, FK_ANON, pfn);
		if (rc)
			return rc;
		s = &os->slots[slot];
		rc = k_slot_read(os, slot, *pfn);
		if (rc) {
			k_frame_put(os, *pfn);
			return rc;
		}
		*major = true;
		if (s->ref > 1) {
			/* Others still name the slot: keep the page. */
			s->cache = *pfn + 1;
			os->fr[*pfn].swap_slot = slot + 1;
			k_frame_get(os, *pfn);
		}
	}
	k_slot_put(os, slot);
	return 0;
}
