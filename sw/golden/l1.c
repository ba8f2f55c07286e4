/* SPDX-License-Identifier: MIT */
#include "l1.h"

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
	while ((1u << c->ways_bits) < c->ways)
		c->ways_bits++;
	c->mem = mem;
	c->cnt = cnt;
	n = (size_t)c->sets * c->ways;
	c->tag = calloc(n, sizeof(*c->tag));
	c->all_ways = c->ways == 32 ? ~0u : (1u << c->ways) - 1;
	c->valid = calloc(c->sets, sizeof(*c->valid));
	c->dirty = calloc(c->sets, sizeof(*c->dirty));
	c->data = calloc(n, c->line);
	c->plru = calloc(c->sets, sizeof(*c->plru));
	if (!c->tag || !c->valid || !c->dirty || !c->data || !c->plru) {
		l1_free(c);
		return -1;
	}
	plru_masks_init(&c->pm, c->ways);
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

	if (!l1_bit(c->valid, set, way) || !l1_bit(c->dirty, set, way))
		return 0;
	if (physmem_write(c->mem, line_pa(c, set, c->tag[i]),
			  c->data + i * c->line, c->line))
		return -1;
	l1_put_bit(c->dirty, set, way, false);
	c->cnt->writebacks++;
	return 0;
}

/* Replacement: the lowest invalid way, else the PLRU victim. */
static unsigned choose_victim(const struct l1 *c, unsigned set)
{
	uint32_t invalid = ~c->valid[set] & c->all_ways;

	if (invalid)
		return (unsigned)__builtin_ctz(invalid);
	return plru_victim(c->plru[set], c->ways);
}

uint8_t *l1_line_miss(struct l1 *c, uint64_t pa, bool make_dirty)
{
	unsigned set = l1_set_of(c, pa);
	uint64_t tag = l1_tag_of(c, pa);
	unsigned way = choose_victim(c, set);
	size_t i = (size_t)set * c->ways + way;

	if (c->ev)
		mmu_events_fill(c->ev->l1, &c->ev->n_l1, MMU_EV_MAX_FILLS, way,
				!l1_bit(c->valid, set, way) ? MMU_EV_FREE :
				l1_bit(c->dirty, set, way) ? MMU_EV_DIRTY :
				MMU_EV_CLEAN, c->ev_level);
	if (writeback(c, set, way))
		return NULL;
	physmem_read(c->mem, line_pa(c, set, tag), c->data + i * c->line,
		     c->line);
	c->tag[i] = tag;
	l1_put_bit(c->valid, set, way, true);
	l1_put_bit(c->dirty, set, way, make_dirty);
	c->cnt->line_fills++;
	c->plru[set] = plru_touch_fast(&c->pm, c->plru[set], way);
	return c->data + i * c->line + (pa & (c->line - 1));
}

int l1_clean_line(struct l1 *c, uint64_t pa)
{
	unsigned set = l1_set_of(c, pa);
	int way = l1_find_way(c, set, l1_tag_of(c, pa));

	return way < 0 ? 0 : writeback(c, set, (unsigned)way);
}

void l1_inval_line(struct l1 *c, uint64_t pa)
{
	unsigned set = l1_set_of(c, pa);
	int way = l1_find_way(c, set, l1_tag_of(c, pa));

	if (way >= 0)
		l1_put_bit(c->valid, set, (unsigned)way, false);
}

int l1_clean_all(struct l1 *c)
{
	for (unsigned s = 0; s < c->sets; s++)
		for (unsigned w = 0; c->dirty[s] && w < c->ways; w++)
			if (writeback(c, s, w))
				return -1;
	return 0;
}

void l1_inval_all(struct l1 *c)
{
	memset(c->valid, 0, c->sets * sizeof(*c->valid));
	memset(c->dirty, 0, c->sets * sizeof(*c->dirty));
}
