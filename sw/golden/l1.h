/* SPDX-License-Identifier: MIT */
/*
 * The L1 data cache model: physically tagged, write-back, write-allocate,
 * set-associative with tree-PLRU replacement (first invalid way first).
 * Because configurations are validated so that index and offset lie in the
 * page offset, the set index of a virtual and of its physical address are the
 * same: VIPT without aliases, so the model simply indexes with the PA.
 */
#ifndef MMU_L1_H
#define MMU_L1_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/machine.h"
#include "physmem.h"
#include "plru.h"

struct l1 {
	unsigned sets, ways, line;
	unsigned off_bits, idx_bits;
	unsigned ways_bits;  /* log2(ways) */
	uint32_t all_ways; /* a bit per way */
	uint64_t *tag;     /* [set * ways + way] */
	uint32_t *valid;   /* [set]: bit w for way w */
	uint32_t *dirty;   /* [set]: bit w for way w */
	uint8_t *data;     /* [(set * ways + way) * line] */
	uint32_t *plru;    /* [set] */
	struct physmem *mem;
	struct mmu_counters *cnt;
	struct mmu_events *ev;  /* fills recorded here (NULL: none) */
	uint8_t ev_level;       /* the walk level of the entry being read */
	struct plru_masks pm;  /* the touch of each way */
};

int l1_init(struct l1 *c, const struct mmu_config *cfg, struct physmem *mem,
	    struct mmu_counters *cnt);
void l1_free(struct l1 *c);

/* l1_line_for's miss: fill the line holding pa (in the lowest invalid way,
 * else the PLRU victim, written back first if dirty). */
uint8_t *l1_line_miss(struct l1 *c, uint64_t pa, bool make_dirty);

/* Maintenance by physical line address, and of the whole cache. */
int l1_clean_line(struct l1 *c, uint64_t pa);
void l1_inval_line(struct l1 *c, uint64_t pa);
int l1_clean_all(struct l1 *c);
void l1_inval_all(struct l1 *c);

static inline unsigned l1_set_of(const struct l1 *c, uint64_t pa)
{
	return (unsigned)(pa >> c->off_bits) & (c->sets - 1);
}

static inline uint64_t l1_tag_of(const struct l1 *c, uint64_t pa)
{
	return pa >> (c->off_bits + c->idx_bits);
}

/* Bit `way` of a per-set mask (valid, dirty), read and written. */
static inline bool l1_bit(const uint32_t *mask, unsigned set, unsigned way)
{
	return (mask[set] >> way) & 1;
}

static inline void l1_put_bit(uint32_t *mask, unsigned set, unsigned way,
			      bool on)
{
	mask[set] = (mask[set] & ~(1u << way)) | ((uint32_t)on << way);
}

/* The lowest valid way of `set` holding tag, else -1.  Every way is
 * compared, without a branch on which one hits (the host mispredicts
 * those, the loop it predicts). */
static inline int l1_find_way(const struct l1 *c, unsigned set, uint64_t tag)
{
	const uint64_t *t = &c->tag[(size_t)set << c->ways_bits];
	uint32_t match = 0;

	for (unsigned w = 0; w < c->ways; w++)
		match |= (uint32_t)(t[w] == tag) << w;
	match &= c->valid[set];
	return match ? __builtin_ctz(match) : -1;
}

/*
 * Make the line holding pa resident (filling it, after writing back a dirty
 * victim, on a miss), mark it most recently used and return a pointer to the
 * byte at pa.  *hit tells whether it was resident.  Returns NULL only when
 * the host runs out of memory.
 */
static inline uint8_t *l1_line_for(struct l1 *c, uint64_t pa, bool *hit,
				   bool make_dirty)
{
	unsigned set = l1_set_of(c, pa);
	uint64_t tag = l1_tag_of(c, pa);
	int way = l1_find_way(c, set, tag);
	size_t i;

	*hit = way >= 0;
	if (way < 0)
		return l1_line_miss(c, pa, make_dirty);
	i = ((size_t)set << c->ways_bits) + (unsigned)way;
	if (make_dirty)
		c->dirty[set] |= 1u << way;
	c->plru[set] = plru_touch_fast(&c->pm, c->plru[set], (unsigned)way);
	return c->data + (i << c->off_bits) + (pa & (c->line - 1));
}

#endif
