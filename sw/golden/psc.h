/* SPDX-License-Identifier: MIT */
/*
 * Paging-structure caches: one small fully associative cache per non-leaf
 * level L (x86: PML4E = 4, PDPTE = 3, PDE = 2).  An entry for level L is
 * tagged with the VPN bits that select entries at levels >= L and a PCID, and
 * holds the address of the level L-1 table plus the permissions combined so
 * far, so a walk that hits can start at level L-1 (SDM Vol. 3A 4.10.3).
 * Replacement: a matching entry is overwritten, else the lowest invalid
 * slot, else the slot under a round-robin pointer, which then advances.
 */
#ifndef MMU_PSC_H
#define MMU_PSC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/machine.h"

struct psc_entry {
	bool valid;
	uint64_t tag;     /* vpn >> ((level - 1) * index_bits) */
	uint16_t pcid;
	uint64_t next;    /* physical address of the next-level table */
	bool rw, us, xd;  /* combined over levels top..L */
};

struct psc {
	unsigned n;       /* entries; 0 = this cache is absent */
	unsigned rr;      /* round-robin pointer */
	struct psc_entry *e;
	struct mmu_events *ev;  /* fills recorded here (NULL: none) */
	unsigned level;         /* of this cache, for the events */
};

int psc_init(struct psc *p, unsigned entries);
void psc_free(struct psc *p);
int psc_lookup(const struct psc *p, uint64_t tag, uint16_t pcid);
void psc_fill(struct psc *p, const struct psc_entry *ne);
void psc_flush_all(struct psc *p);
void psc_flush_pcid(struct psc *p, uint16_t pcid);
void psc_flush_tag(struct psc *p, uint64_t tag, uint16_t pcid);

#endif
