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

struct l1 {
	unsigned sets, ways, line;
	unsigned off_bits, idx_bits;
	uint64_t *tag;     /* [set * ways + way] */
	uint8_t *valid;
	uint8_t *dirty;
	uint8_t *data;     /* [(set * ways + way) * line] */
	uint32_t *plru;    /* [set] */
	struct physmem *mem;
	struct mmu_counters *cnt;
	struct mmu_events *ev;  /* fills recorded here (NULL: none) */
	uint8_t ev_level;       /* the walk level of the entry being read */
};

int l1_init(struct l1 *c, const struct mmu_config *cfg, struct physmem *mem,
	    struct mmu_counters *cnt);
void l1_free(struct l1 *c);

/*
 * Make the line holding pa resident (filling it, after writing back a dirty
 * victim, on a miss), mark it most recently used and return a pointer to the
 * byte at pa.  *hit tells whether it was resident.  Returns NULL only when
 * the host runs out of memory.
 */
uint8_t *l1_line_for(struct l1 *c, uint64_t pa, bool *hit, bool make_dirty);

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

#endif
