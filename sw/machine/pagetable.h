/* SPDX-License-Identifier: MIT */
/*
 * Building and inspecting page tables in a machine's physical memory through
 * its coherent physical path.  Used by the OS, the regression generator and
 * the tests, so the entry encoding lives in one place.
 */
#ifndef MMU_PAGETABLE_H
#define MMU_PAGETABLE_H

#include "machine.h"

/* Supplies the physical address of a zeroed table (or 0 when out of
 * frames). */
typedef uint64_t (*pt_alloc_fn)(void *ctx);

/* An entry (or CR3 value) whose frame field points at pa. */
pte_t pt_make(const struct mmu_config *cfg, uint64_t pa, pte_t flags);
/* The physical address held in an entry's frame field. */
uint64_t pt_frame(const struct mmu_config *cfg, pte_t e);
/* The table index va selects at level (1 = PT). */
uint64_t pt_index(const struct mmu_config *cfg, uint64_t va, unsigned level);
/* Bytes of one table (2^index_bits entries). */
uint64_t pt_table_bytes(const struct mmu_config *cfg);
/* Zero a table through the coherent path. */
int pt_zero_table(struct machine *m, uint64_t pa);

/*
 * Map va -> pa with a leaf at `level` (1 = base page; 2/3 large, PS added).
 * Missing intermediate tables come from alloc and get table_flags | P.
 * Returns 0, MMU_ENOMEM when alloc fails, or a machine error.
 */
int pt_map(struct machine *m, uint64_t root, uint64_t va, uint64_t pa,
	   unsigned level, pte_t leaf_flags, pte_t table_flags,
	   pt_alloc_fn alloc, void *ctx);

/*
 * Physical address of the entry at `level` used to translate va; MMU_EINVAL
 * when a table above that level is not present.
 */
int pt_entry_addr(struct machine *m, uint64_t root, uint64_t va,
		  unsigned level, uint64_t *ea);

#endif
