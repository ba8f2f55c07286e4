/* SPDX-License-Identifier: MIT */
/* Internals shared by the golden model's files. */
#ifndef MMU_GOLDEN_INT_H
#define MMU_GOLDEN_INT_H

#include "golden.h"
#include "l1.h"
#include "physmem.h"
#include "psc.h"
#include "tlb.h"

struct golden {
	struct machine base;     /* first: a struct machine * is a struct golden * */
	struct physmem mem;
	struct l1 l1;
	struct tlb tlb;
	struct psc psc[MMU_MAX_LEVELS + 1];  /* [level], levels 2..levels */
	struct mmu_regs regs;
	struct mmu_counters cnt;
	uint64_t ppn_mask;
};

static inline struct golden *to_golden(struct machine *m)
{
	return (struct golden *)m;
}

static inline uint16_t golden_pcid(const struct golden *g)
{
	return (g->regs.cr4 & CR4_PCIDE) ? (uint16_t)(g->regs.cr3 & CR3_PCID_MASK)
					 : 0;
}

/* The physical address held in an entry's (or CR3's) frame field. */
static inline uint64_t golden_frame_pa(const struct golden *g, uint64_t entry)
{
	return ((entry >> PTE_FRAME_SHIFT) & g->ppn_mask) << g->base.cfg.page_shift;
}

bool golden_canonical(const struct mmu_config *cfg, uint64_t va);

/*
 * Permission check of SDM Vol. 3A 4.6 on the combined rights of a
 * translation (rw, us, xd, pkey of t): returns 0 when the access may
 * proceed, else the protection fault's error code (P, the access bits and
 * PK when the protection key forbids it, SDM 4.7).
 */
uint32_t golden_prot_fault(const struct mmu_regs *r, enum mmu_op op, bool user,
			   const struct golden_tlb_entry *t);

/* The error-code bits that describe the access itself (W, U, I). */
uint32_t golden_access_pfec(const struct mmu_regs *r, enum mmu_op op,
			    bool user);

/*
 * Walk the page tables for va.  On success fills *te (not yet inserted in
 * the TLB) and returns MMU_ST_OK; otherwise the fault is in *out.  A walk
 * also sets A/D bits and fills the paging-structure caches.
 */
enum mmu_status golden_walk(struct golden *g, uint64_t va, enum mmu_op op,
			    bool user, struct mmu_outcome *out,
			    struct golden_tlb_entry *te);

#endif
