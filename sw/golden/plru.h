/* SPDX-License-Identifier: MIT */
/*
 * Tree pseudo-LRU, the replacement policy of both the TLB and the L1, in the
 * model and in the RTL (rtl/plru_tree.v implements the same bit layout).
 *
 * For W ways (a power of two) a set keeps W-1 bits: node 0 is the root and
 * node n has children 2n+1 (left, lower ways) and 2n+2 (right).  A bit of 0
 * sends the victim search left, 1 sends it right.  Touching way w sets every
 * node on w's path to point away from w.  With one way there are no bits.
 */
#ifndef MMU_PLRU_H
#define MMU_PLRU_H

#include <stdint.h>

static inline unsigned plru_victim(uint32_t bits, unsigned ways)
{
	unsigned node = 0, lo = 0, span = ways;

	while (span > 1) {
		unsigned right = (bits >> node) & 1;  /* without a branch on it */

		span >>= 1;
		lo += span & -right;
		node = 2 * node + 1 + right;
	}
	return lo;
}

static inline uint32_t plru_touch(uint32_t bits, unsigned ways, unsigned way)
{
	unsigned node = 0, lo = 0, span = ways;

	while (span > 1) {
		span >>= 1;
		if (way < lo + span) {          /* w is left: point right */
			bits |= 1u << node;
			node = 2 * node + 1;
		} else {                        /* w is right: point left */
			bits &= ~(1u << node);
			lo += span;
			node = 2 * node + 2;
		}
	}
	return bits;
}

/*
 * A touch of way w sets the nodes on w's path to fixed values and leaves the
 * others alone, so it is (bits & keep[w]) | set[w]: the same update as
 * plru_touch, without its loop, for the hit paths.  keep and set come from
 * plru_touch itself (ways <= PLRU_MAX_WAYS).
 */
#define PLRU_MAX_WAYS 32
struct plru_masks {
	uint32_t keep[PLRU_MAX_WAYS], set[PLRU_MAX_WAYS];
};

static inline void plru_masks_init(struct plru_masks *pm, unsigned ways)
{
	for (unsigned w = 0; w < ways; w++) {
		pm->keep[w] = plru_touch(~0u, ways, w);
		pm->set[w] = plru_touch(0, ways, w);
	}
}

static inline uint32_t plru_touch_fast(const struct plru_masks *pm,
				       uint32_t bits, unsigned way)
{
	return (bits & pm->keep[way]) | pm->set[way];
}

#endif
