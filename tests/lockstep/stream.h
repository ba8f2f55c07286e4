/* SPDX-License-Identifier: MIT */
/*
 * A seeded random stream of machine calls for the lockstep tests: random
 * page tables, then loads/stores/fetches (user and supervisor, all sizes),
 * control writes and invalidations, PTE rewrites, cache maintenance,
 * coherent physical reads and writes and DRAM peeks.  It checks nothing
 * itself: lockstep compares.  The last page of memory is never touched, so
 * a corruption placed there shows only in the final memory check.
 */
#ifndef TESTS_STREAM_H
#define TESTS_STREAM_H

#include "../../sw/machine/machine.h"

#define STREAM_PAGES 32

struct stream {
	struct machine *m;
	const struct mmu_config *cfg;
	uint64_t rng;
	uint64_t root, next_table, tables_end, data_pa, data_bytes;
	uint64_t va[STREAM_PAGES], pa[STREAM_PAGES];
	unsigned npages;
	/* calls the stream itself made (page-table helpers not included) */
	uint64_t accesses, ctls, phys_reads, phys_writes, peeks, faults;
};

/* Lay out memory, build tables, load CR3.  Returns 0 or the first error. */
int stream_setup(struct stream *s, struct machine *m, uint64_t seed);
/* Run `steps` random calls; stops at and returns the first error. */
int stream_run(struct stream *s, uint64_t steps);

#endif
