/* SPDX-License-Identifier: MIT */
#include "psc.h"

#include <stdlib.h>
#include <string.h>

int psc_init(struct psc *p, unsigned entries)
{
	memset(p, 0, sizeof(*p));
	if (!entries)
		return 0;
	p->e = calloc(entries, sizeof(*p->e));
	if (!p->e)
		return -1;
	p->n = entries;
	return 0;
}

void psc_free(struct psc *p)
{
	free(p->e);
	memset(p, 0, sizeof(*p));
}

int psc_lookup(const struct psc *p, uint64_t tag, uint16_t pcid)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->e[i].valid && p->e[i].tag == tag && p->e[i].pcid == pcid)
			return (int)i;
	return -1;
}

void psc_fill(struct psc *p, const struct psc_entry *ne)
{
	int slot;
	unsigned victim = MMU_EV_MATCH;

	if (!p->n)
		return;
	slot = psc_lookup(p, ne->tag, ne->pcid);
	if (slot < 0)
		victim = MMU_EV_FREE;
	for (unsigned i = 0; i < p->n && slot < 0; i++)
		if (!p->e[i].valid)
			slot = (int)i;
	if (slot < 0) {
		victim = MMU_EV_CLEAN;
		slot = (int)p->rr;
		if (++p->rr == p->n)
			p->rr = 0;
	}
	if (p->ev)
		mmu_events_fill(p->ev->psc, &p->ev->n_psc, MMU_MAX_LEVELS,
				(unsigned)slot, victim, p->level);
	p->e[slot] = *ne;
	p->e[slot].valid = true;
}

void psc_flush_all(struct psc *p)
{
	for (unsigned i = 0; i < p->n; i++)
		p->e[i].valid = false;
}

void psc_flush_pcid(struct psc *p, uint16_t pcid)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->e[i].pcid == pcid)
			p->e[i].valid = false;
}

void psc_flush_tag(struct psc *p, uint64_t tag, uint16_t pcid)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->e[i].tag == tag && p->e[i].pcid == pcid)
			p->e[i].valid = false;
}
