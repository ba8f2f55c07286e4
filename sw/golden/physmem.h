/* SPDX-License-Identifier: MIT */
/*
 * Physical memory (the DRAM behind the L1): size chosen at run time, stored
 * sparsely in chunks allocated on first write, so a large address width
 * costs nothing until it is used.  Unwritten memory reads as zero.
 */
#ifndef MMU_PHYSMEM_H
#define MMU_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

#define PHYSMEM_CHUNK_SHIFT 16

struct physmem {
	uint64_t bytes;
	size_t nchunks;
	uint8_t **chunk;
};

int physmem_init(struct physmem *pm, uint64_t bytes);
void physmem_free(struct physmem *pm);
/* Callers check the range against pm->bytes first. */
void physmem_read(const struct physmem *pm, uint64_t pa, void *buf, size_t len);
int physmem_write(struct physmem *pm, uint64_t pa, const void *buf, size_t len);
/* Chunks allocated so far (for memory-use reports). */
size_t physmem_chunks_used(const struct physmem *pm);

static inline int physmem_in_range(const struct physmem *pm, uint64_t pa,
				   uint64_t len)
{
	return pa < pm->bytes && len <= pm->bytes - pa;
}

#endif
