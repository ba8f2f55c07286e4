/* SPDX-License-Identifier: MIT */
/* Internals shared by the golden model's files. */
#ifndef MMU_GOLDEN_INT_H
#define MMU_GOLDEN_INT_H

#include "golden.h"
#include "l1.h"
#include "physmem.h"
#include "psc.h"
#include "tlb.h"

#include <string.h>

/*
 * The permission rules (SDM Vol. 3A 4.6, and 4.6.2 for protection keys)
 * for one kind of access (op, user) under the control registers as they
 * are: computed from the rules in walk.c whenever CR0, CR4, EFER, RFLAGS.AC
 * or PKRU changes, so that an access looks its answer up.
 */
struct golden_perm {
	uint8_t allow;     /* bit GOLDEN_RIGHTS(rw, us, xd): the rights allow it */
	uint16_t pk_deny;  /* bit k: key k forbids it on a user page */
	uint32_t pfec;     /* the error-code bits of the access (W, U, I) */
};

#define GOLDEN_RIGHTS(rw, us, xd) \
	((unsigned)(rw) | (unsigned)(us) << 1 | (unsigned)(xd) << 2)

struct golden {
	struct machine base;     /* first: a struct machine * is a struct golden * */
	struct physmem mem;
	struct l1 l1;
	struct tlb tlb;
	struct psc psc[MMU_MAX_LEVELS + 1];  /* [level], levels 2..levels */
	struct mmu_regs regs;
	struct mmu_counters cnt;
	uint64_t ppn_mask;
	uint64_t vpn_mask;
	struct golden_perm perm[MMU_FETCH + 1][2];  /* [op][user] */
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

/* va is canonical: the bits above the linear-address width copy its top
 * bit (sign) or are 0 (zero), i.e. va extended from va_bits (at most 57,
 * config.c) is va. */
static inline bool golden_canonical(const struct mmu_config *cfg, uint64_t va)
{
	unsigned s = 64 - (unsigned)cfg->va_bits;
	uint64_t low = va << s;

	if (cfg->canonical == MMU_CANON_ZERO)
		return low >> s == va;
	return (uint64_t)((int64_t)low >> s) == va;
}

/* The VPN of va: its base-page number within the linear-address width. */
static inline uint64_t golden_vpn(const struct golden *g, uint64_t va)
{
	return (va >> g->base.cfg.page_shift) & g->vpn_mask;
}

/* The little-endian value of `size` (1, 2, 4 or 8) bytes at p, and its
 * store: the byte order of the modelled memory, whatever the host's. */
static inline uint64_t golden_load_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	switch (size) {
	case 1: return p[0];
	case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
	case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
	case 8: memcpy(&v, p, 8); return v;
	}
#endif
	for (unsigned i = size; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static inline void golden_store_le(uint8_t *p, uint64_t v, unsigned size)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	switch (size) {
	case 1: p[0] = (uint8_t)v; return;
	case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); return; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); return; }
	case 8: memcpy(p, &v, 8); return;
	}
#endif
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute g->perm from g->regs (walk.c); after every change of the
 * registers the rules read. */
void golden_perm_update(struct golden *g);

/*
 * Permission check of SDM Vol. 3A 4.6 on the combined rights of a
 * translation (rw, us, xd, pkey of t): returns 0 when the access may
 * proceed, else the protection fault's error code (P, the access bits and
 * PK when the protection key forbids it, SDM 4.7).
 */
static inline uint32_t golden_prot_fault(const struct golden *g, enum mmu_op op,
					 bool user,
					 const struct golden_tlb_entry *t)
{
	const struct golden_perm *p = &g->perm[op][user];
	bool pk = t->us && ((p->pk_deny >> t->pkey) & 1);

	if (!pk && ((p->allow >> GOLDEN_RIGHTS(t->rw, t->us, t->xd)) & 1))
		return 0;
	return p->pfec | PFEC_P | (pk ? PFEC_PK : 0);
}

/*
 * Walk the page tables for va.  On success fills *te (not yet inserted in
 * the TLB) and returns MMU_ST_OK; otherwise the fault is in *out.  A walk
 * also sets A/D bits and fills the paging-structure caches.
 */
enum mmu_status golden_walk(struct golden *g, uint64_t va, enum mmu_op op,
			    bool user, struct mmu_outcome *out,
			    struct golden_tlb_entry *te);

#endif
