/* SPDX-License-Identifier: MIT */
#include "l1.h"
#include "plru.h"

#include <stdlib.h>
#include <string.h>

int l1_init(struct l1 *c, const struct mmu_config *cfg, struct physmem *mem,
	    struct mmu_counters *cnt)
{
	size_t n;

	memset(c, 0, sizeof(*c));
	c->sets = (unsigned)cfg->l1_sets;
	c->ways = (unsigned)cfg->l1_ways;
	c->line = (unsigned)cfg->l1_line;
	c->off_bits = cfg->l1_offset_bits;
	c->idx_bits = cfg->l1_index_bits;
	c->mem = mem;
	c->cnt = cnt;
	n = (size_t)c->sets * c->ways;
	c->tag = calloc(n, sizeof(*c->tag));
	c->valid = calloc(n, 1);
	c->dirty = calloc(n, 1);
	c->data = calloc(n, c->line);
	c->plru = calloc(c->sets, sizeof(*c->plru));
	if (!c->tag || !c->valid || !c->dirty || !c->data || !c->plru) {
		l1_free(c);
		return -1;
	}
	return 0;
}

void l1_free(struct l1 *c)
{
	free(c->tag);
	free(c->valid);
	free(c->dirty);
	free(c->data);
	free(c->plru);
	memset(c, 0, sizeof(*c));
}

static uint64_t line_pa(const struct l1 *c, unsigned set, uint64_t tag)
{
	return ((tag << c->idx_bits) | set) << c->off_bits;
}

/* Write a dirty line back to memory and mark it clean. */
static int writeback(struct l1 *c, unsigned set, unsigned way)
{
	size_t i = (size_t)set * c->ways + way;

	if (!c->valid[i] || !c->dirty[i])
		return 0;
	if (physmem_write(c->mem, line_pa(c, set, c->tag[i]),
			  c->data + i * c->line, c->line))
		return -1;
	c->dirty[i] = 0;
	c->cnt->writebacks++;
	return 0;
}

static int find_way(const struct l1 *c, unsigned set, uint64_t tag)
{
	size_t base = (size_t)set * c->ways;

	for (unsigned w = 0; w < c->ways; w++)
		if (c->valid[base + w] && c->tag[base + w] == tag)
			return (int)w;
	return -1;
}

/* Replacement: the lowest invalid way, else the PLRU victim. */
static unsigned choose_victim(const struct l1 *c, unsigned set)
{
	size_t base = (size_t)set * c->ways;

	for (unsigned w = 0; w < c->ways; w++)
		if (!c->valid[base + w])
			return w;
	return plru_victim(c->plru[set], c->ways);
}

uint8_t *l1_line_for(struct l1 *c, uint64_t pa, bool *hit, bool make_dirty)
{
	unsigned set = l1_set_of(c, pa);
	uint64_t tag = l1_tag_of(c, pa);
	int way = find_way(c, set, tag);
	size_t i;

	*hit = way >= 0;
	if (way < 0) {
		way = (int)choose_victim(c, set);
		i = (size_t)set * c->ways + (unsigned)way;
		if (c->ev)
			mmu_events_fill(c->ev->l1, &c->ev->n_l1, MMU_EV_MAX_FILLS,
					(unsigned)way, !c->valid[i] ? MMU_EV_FREE :
					c->dirty[i] ? MMU_EV_DIRTY : MMU_EV_CLEAN,
					c->ev_level);
		if (writeback(c, set, (unsigned)way))
			return NULL;
		physmem_read(c->mem, line_pa(c, set, tag),
			     c->data + i * c->line, c->line);
		c->tag[i] = tag;
		c->valid[i] = 1;
		c->dirty[i] = 0;
		c->cnt->line_fills++;
	}
	i = (size_t)set * c->ways + (unsigned)way;
	if (make_dirty)
		c->dirty[i] = 1;
	c->plru[set] = plru_touch(c->plru[set], c->ways, (unsigned)way);
	return c->data + i * c->line + (pa & (c->line - 1));
}

int l1_clean_line(struct l1 *c, uint64_t pa)
{
	unsigned set = l1_set_of(c, pa);
	int way = find_way(c, set, l1_tag_of(c, pa));

	return way < 0 ? 0 : writeback(c, set, (unsigned)way);
}

void l1_inval_line(struct l1 *c, uint64_t pa)
{
	unsigned set = l1_set_of(c, pa);
	int way = find_way(c, set, l1_tag_of(c, pa));

	if (way >= 0)
		c->valid[(size_t)set * c->ways + (unsigned)way] = 0;
}

int l1_clean_all(struct l1 *c)
{
	for (unsigned s = 0; s < c->sets; s++)
		for (unsigned w = 0; w < c->ways; w++)
			if (writeback(c, s, w))
				return -1;
	return 0;
}

void l1_inval_all(struct l1 *c)
{
	memset(c->valid, 0, (size_t)c->sets * c->ways);
	memset(c->dirty, 0, (size_t)c->sets * c->ways);
}
