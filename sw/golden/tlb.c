/* SPDX-License-Identifier: MIT */
#include "tlb.h"

#include <stdlib.h>
#include <string.h>

int tlb_init(struct tlb *t, const struct mmu_config *cfg)
{
	memset(t, 0, sizeof(*t));
	t->sets = (unsigned)cfg->tlb_sets;
	t->ways = (unsigned)cfg->tlb_ways;
	t->index_bits = cfg->index_bits;
	t->e = calloc((size_t)t->sets * t->ways, sizeof(*t->e));
	t->plru = calloc(t->sets, sizeof(*t->plru));
	if (!t->e || !t->plru) {
		tlb_free(t);
		return -1;
	}
	plru_masks_init(&t->pm, t->ways);
	return 0;
}

void tlb_free(struct tlb *t)
{
	free(t->e);
	free(t->plru);
	memset(t, 0, sizeof(*t));
}

void tlb_fill(struct tlb *t, const struct golden_tlb_entry *ne, int way)
{
	unsigned set = (unsigned)ne->vpn & (t->sets - 1);
	struct golden_tlb_entry *e = &t->e[(size_t)set * t->ways];
	unsigned victim = MMU_EV_MATCH;

	if (way < 0) {
		victim = MMU_EV_FREE;
		for (unsigned w = 0; w < t->ways && way < 0; w++)
			if (!e[w].valid)
				way = (int)w;
		if (way < 0) {
			victim = MMU_EV_CLEAN;
			way = (int)plru_victim(t->plru[set], t->ways);
		}
	}
	if (t->ev)
		mmu_events_fill(&t->ev->tlb, &t->ev->n_tlb, 1, (unsigned)way,
				victim, 1);
	e[way] = *ne;
	e[way].valid = true;
	tlb_touch(t, ne->vpn, (unsigned)way);
}

static unsigned drop_if(struct tlb *t, bool (*pred)(const struct golden_tlb_entry *,
						       const void *),
			const void *arg)
{
	size_t n = (size_t)t->sets * t->ways;
	unsigned dropped = 0;

	for (size_t i = 0; i < n; i++)
		if (t->e[i].valid && pred(&t->e[i], arg)) {
			t->e[i].valid = false;
			dropped++;
		}
	return dropped;
}

static bool any(const struct golden_tlb_entry *e, const void *arg)
{
	(void)e;
	(void)arg;
	return true;
}

static bool nonglobal(const struct golden_tlb_entry *e, const void *arg)
{
	(void)arg;
	return !e->global;
}

static bool nonglobal_of_pcid(const struct golden_tlb_entry *e, const void *arg)
{
	return !e->global && e->pcid == *(const uint16_t *)arg;
}

struct page_match {
	uint64_t vpn;
	uint16_t pcid;
	bool with_global;
	unsigned index_bits;
};

/* Same page at the entry's own page size: a splinter of a 2 MiB page matches
 * any address inside that 2 MiB. */
static bool same_page(const struct golden_tlb_entry *e, const void *arg)
{
	const struct page_match *m = arg;
	unsigned shift = (e->level - 1u) * m->index_bits;

	if ((e->vpn >> shift) != (m->vpn >> shift))
		return false;
	return e->global ? m->with_global : e->pcid == m->pcid;
}

unsigned tlb_flush_all(struct tlb *t)
{
	return drop_if(t, any, NULL);
}

unsigned tlb_flush_nonglobal(struct tlb *t)
{
	return drop_if(t, nonglobal, NULL);
}

unsigned tlb_flush_pcid(struct tlb *t, uint16_t pcid)
{
	return drop_if(t, nonglobal_of_pcid, &pcid);
}

unsigned tlb_flush_page(struct tlb *t, uint64_t vpn, uint16_t pcid,
			bool with_global)
{
	struct page_match m = { vpn, pcid, with_global, t->index_bits };

	return drop_if(t, same_page, &m);
}
