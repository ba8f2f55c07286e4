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

/*
 * Memory held elsewhere (a SystemC platform's memory target, sim/systemc):
 * with a port, reads and writes go to its functions instead of the chunks.
 * read and write are the bus transfers (line fills, write-backs); peek is
 * the side-effect-free read of mem_peek.  Each returns 0, or -1 when the
 * transfer failed (a read then yields zeros); the port's owner keeps the
 * reason.
 */
struct physmem_port {
	void *ctx;
	int (*read)(void *ctx, uint64_t pa, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t pa, const void *buf, size_t len);
	int (*peek)(void *ctx, uint64_t pa, void *buf, size_t len);
};

struct physmem {
	uint64_t bytes;
	size_t nchunks;
	uint8_t **chunk;
	const struct physmem_port *port;  /* NULL: the chunks */
};

int physmem_init(struct physmem *pm, uint64_t bytes);
/* Memory of `bytes` behind port (which must outlive pm). */
void physmem_init_port(struct physmem *pm, uint64_t bytes,
		       const struct physmem_port *port);
void physmem_free(struct physmem *pm);
/* Callers check the range against pm->bytes first. */
void physmem_read(const struct physmem *pm, uint64_t pa, void *buf, size_t len);
int physmem_write(struct physmem *pm, uint64_t pa, const void *buf, size_t len);
/* As physmem_read, but through the port's side-effect-free path. */
void physmem_peek(const struct physmem *pm, uint64_t pa, void *buf, size_t len);
/* The chunk holding pa, allocated (zeroed) if need be, and its first
 * address in *base: a host pointer to 2^PHYSMEM_CHUNK_SHIFT bytes (for
 * direct memory access).  NULL when out of host memory or with a port. */
uint8_t *physmem_chunk(struct physmem *pm, uint64_t pa, uint64_t *base);
/* Chunks allocated so far (for memory-use reports). */
size_t physmem_chunks_used(const struct physmem *pm);

static inline int physmem_in_range(const struct physmem *pm, uint64_t pa,
				   uint64_t len)
{
	return pa < pm->bytes && len <= pm->bytes - pa;
}

#endif
