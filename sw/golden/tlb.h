/* SPDX-License-Identifier: MIT */
/*
 * The TLB model: set-associative, indexed by the low VPN bits of the base
 * page, tagged with the full VPN and a 12-bit PCID, tree-PLRU replacement
 * (lowest invalid way first).  A large page is cached as the base-page
 * pieces that are used ("splintering", which the SDM allows), each entry
 * remembering the leaf level so that INVLPG drops every piece of the page.
 *
 * An entry holds what the SDM says a TLB entry holds: the PPN, the
 * logical-AND of R/W and U/S, the logical-OR of XD over all levels, the
 * leaf's D and G.
 */
#ifndef MMU_TLB_H
#define MMU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "golden.h"
#include "plru.h"

struct tlb {
	unsigned sets, ways, index_bits;
	struct golden_tlb_entry *e;  /* [set * ways + way] */
	uint32_t *plru;
	struct mmu_events *ev;       /* fills recorded here (NULL: none) */
	struct plru_masks pm;        /* the touch of each way */
};

int tlb_init(struct tlb *t, const struct mmu_config *cfg);
void tlb_free(struct tlb *t);

/* Way of the entry translating vpn for pcid (or global), else -1.  The
 * lowest matching way wins. */
static inline int tlb_lookup(const struct tlb *t, uint64_t vpn, uint16_t pcid)
{
	unsigned set = (unsigned)vpn & (t->sets - 1);
	const struct golden_tlb_entry *e = &t->e[(size_t)set * t->ways];

	for (unsigned w = 0; w < t->ways; w++)
		if (e[w].vpn == vpn && e[w].valid &&
		    (e[w].global || e[w].pcid == pcid))
			return (int)w;
	return -1;
}

static inline struct golden_tlb_entry *tlb_entry(struct tlb *t, uint64_t vpn,
						 unsigned way)
{
	unsigned set = (unsigned)vpn & (t->sets - 1);

	return &t->e[(size_t)set * t->ways + way];
}

static inline void tlb_touch(struct tlb *t, uint64_t vpn, unsigned way)
{
	unsigned set = (unsigned)vpn & (t->sets - 1);

	t->plru[set] = plru_touch_fast(&t->pm, t->plru[set], way);
}

/* Insert (overwriting the matching entry if there is one: `way`, what
 * tlb_lookup answers for ne's VPN and PCID, or -1) and touch. */
void tlb_fill(struct tlb *t, const struct golden_tlb_entry *ne, int way);

/* Invalidation; each returns how many entries it dropped. */
unsigned tlb_flush_all(struct tlb *t);
unsigned tlb_flush_nonglobal(struct tlb *t);
unsigned tlb_flush_pcid(struct tlb *t, uint16_t pcid);  /* non-global */
/* Entries for the page holding vpn: for pcid, plus global ones if asked. */
unsigned tlb_flush_page(struct tlb *t, uint64_t vpn, uint16_t pcid,
			bool with_global);

#endif
