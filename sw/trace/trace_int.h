/* SPDX-License-Identifier: MIT */
/* Internal declarations of the trace library (sw/trace). */
#ifndef MMU_TRACE_INT_H
#define MMU_TRACE_INT_H

#include "trace.h"

#include <stdarg.h>
#include <stdio.h>

/* snprintf into err (which may be NULL); returns -1 for `return` chains. */
int k_trace_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* End of user space for a configuration, as the OS computes TASK_SIZE. */
uint64_t k_trace_task_size(const struct mmu_config *cfg);

/* pmap.c: 64-bit keys (any but ~0) to 64-bit values. */
struct k_pmap {
	uint64_t *key;  /* key + 1; 0: an empty slot */
	uint64_t *val;
	size_t cap, n;  /* slots (a power of two), keys */
};
/* The value of key (0 when just created); NULL when absent and !create,
 * or when out of memory (*nomem set). */
uint64_t *k_pmap_get(struct k_pmap *m, uint64_t key, bool create,
		     bool *nomem);
void k_pmap_free(struct k_pmap *m);
uint64_t k_mix64(uint64_t x);

/* shrink.c: the first failure's signature and mismatch into st (check:
 * what failed when it is no mismatch). */
void trace_note_failure(struct trace_stats *st,
			const struct lockstep_mismatch *mm, const char *check);

#endif
