/* SPDX-License-Identifier: MIT */
/* Page-table builder for tests: writes tables through the machine's
 * coherent physical path, allocating table frames from a bump pointer. */
#ifndef TESTS_PTB_H
#define TESTS_PTB_H

#include "../../sw/golden/golden.h"

struct ptb {
	struct machine *m;
	uint64_t next;  /* next free physical address for a table */
	uint64_t root;  /* physical address of the top-level table */
};

/* Fresh tables starting at first_pa; sets CR3 to the root (PCID 0). */
void ptb_init(struct ptb *p, struct machine *m, uint64_t first_pa);
/* An entry value pointing at frame pa. */
pte_t ptb_entry(const struct machine *m, uint64_t pa, pte_t flags);
/* Map va -> pa with a leaf at `level` (1: base page); intermediate entries
 * get table_flags (plus P), the leaf leaf_flags (plus P, and PS if level>1). */
void ptb_map(struct ptb *p, uint64_t va, uint64_t pa, unsigned level,
	     pte_t leaf_flags, pte_t table_flags);
/* Physical address of the entry at `level` used for va (tables must exist
 * down to that level). */
uint64_t ptb_entry_addr(struct ptb *p, uint64_t va, unsigned level);
pte_t ptb_read(struct ptb *p, uint64_t va, unsigned level);
void ptb_write(struct ptb *p, uint64_t va, unsigned level, pte_t v);

/* Convenience accesses; assert that the call itself succeeded. */
struct mmu_outcome acc(struct machine *m, enum mmu_op op, uint64_t va,
		       unsigned size, bool user, uint64_t wdata);
void ctl(struct machine *m, enum mmu_ctl_op op, uint64_t value);
struct machine *new_machine(const char *cfg_name, uint64_t mem_bytes);

#endif
