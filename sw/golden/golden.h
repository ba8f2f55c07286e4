/* SPDX-License-Identifier: MIT */
/*
 * The golden model: a C model of the MMU hardware (walker, TLB, paging-
 * structure caches, VIPT L1, physical memory) that is exact down to the
 * replacement order, and the first back end of the machine interface.
 * docs/semantics.md states every rule it implements.
 */
#ifndef MMU_GOLDEN_H
#define MMU_GOLDEN_H

#include "machine/machine.h"

/*
 * Create a golden-model machine for cfg with mem_bytes of physical memory
 * (0: the configuration's mem_bytes).  Memory is allocated sparsely, in
 * chunks, on first write.  Returns 0 and *out, or a negative MMU_E* code
 * with a message in err.
 */
int golden_create(const struct mmu_config *cfg, uint64_t mem_bytes,
		  struct machine **out, char *err, size_t errlen);

/*
 * The same with physical memory held behind port (sw/golden/physmem.h):
 * line fills and write-backs become port reads and writes, mem_peek a port
 * peek.  port (NULL: golden_create) must outlive the machine.
 */
struct physmem_port;
int golden_create_port(const struct mmu_config *cfg, uint64_t mem_bytes,
		       const struct physmem_port *port, struct machine **out,
		       char *err, size_t errlen);

/* Introspection for tests and teaching tools (golden back end only). */
struct golden_tlb_entry {
	bool valid;
	uint64_t vpn;    /* VPN of the 4 KiB-granule (base page) translated */
	uint64_t ppn;    /* PPN of that base page */
	uint16_t pcid;
	uint8_t level;   /* leaf level: 1 base page, 2/3 large page */
	uint8_t pkey;    /* the leaf's bits 62..59, whatever CR4.PKE */
	bool global, rw, us, xd, dirty;
};
int golden_tlb_entry(struct machine *m, unsigned set, unsigned way,
		     struct golden_tlb_entry *e);

struct golden_line {
	bool valid, dirty;
	uint64_t tag;
	const uint8_t *data;  /* l1_line bytes */
};
int golden_l1_line(struct machine *m, unsigned set, unsigned way,
		   struct golden_line *l);

#endif
