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
		span >>= 1;
		if (bits & (1u << node)) {
			lo += span;
			node = 2 * node + 2;
		} else {
			node = 2 * node + 1;
		}
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

#endif
