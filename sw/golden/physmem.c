/* SPDX-License-Identifier: MIT */
#include "physmem.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (1ull << PHYSMEM_CHUNK_SHIFT)

int physmem_init(struct physmem *pm, uint64_t bytes)
{
	pm->bytes = bytes;
	pm->nchunks = (size_t)((bytes + CHUNK_BYTES - 1) >> PHYSMEM_CHUNK_SHIFT);
	pm->chunk = calloc(pm->nchunks, sizeof(*pm->chunk));
	pm->port = NULL;
	if (!pm->chunk)
		pm->nchunks = 0;
	return pm->chunk ? 0 : -1;
}

void physmem_init_port(struct physmem *pm, uint64_t bytes,
		       const struct physmem_port *port)
{
	pm->bytes = bytes;
	pm->nchunks = 0;
	pm->chunk = NULL;
	pm->port = port;
}

void physmem_free(struct physmem *pm)
{
	for (size_t i = 0; pm->chunk && i < pm->nchunks; i++)
		free(pm->chunk[i]);
	free(pm->chunk);
	pm->chunk = NULL;
	pm->nchunks = 0;
}

void physmem_read(const struct physmem *pm, uint64_t pa, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (pm->port) {
		if (pm->port->read(pm->port->ctx, pa, buf, len))
			memset(buf, 0, len);
		return;
	}
	while (len) {
		size_t ci = (size_t)(pa >> PHYSMEM_CHUNK_SHIFT);
		size_t off = (size_t)(pa & (CHUNK_BYTES - 1));
		size_t n = CHUNK_BYTES - off;

		if (n > len)
			n = len;
		if (pm->chunk[ci])
			memcpy(out, pm->chunk[ci] + off, n);
		else
			memset(out, 0, n);
		out += n;
		pa += n;
		len -= n;
	}
}

int physmem_write(struct physmem *pm, uint64_t pa, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	if (pm->port)
		return pm->port->write(pm->port->ctx, pa, buf, len);
	while (len) {
		size_t ci = (size_t)(pa >> PHYSMEM_CHUNK_SHIFT);
		size_t off = (size_t)(pa & (CHUNK_BYTES - 1));
		size_t n = CHUNK_BYTES - off;

		if (n > len)
			n = len;
		if (!pm->chunk[ci]) {
			pm->chunk[ci] = calloc(1, CHUNK_BYTES);
			if (!pm->chunk[ci])
				return -1;
		}
		memcpy(pm->chunk[ci] + off, in, n);
		in += n;
		pa += n;
		len -= n;
	}
	return 0;
}

uint8_t *physmem_chunk(struct physmem *pm, uint64_t pa, uint64_t *base)
{
	size_t ci = (size_t)(pa >> PHYSMEM_CHUNK_SHIFT);

	if (pm->port || ci >= pm->nchunks)
		return NULL;
	if (!pm->chunk[ci])
		pm->chunk[ci] = calloc(1, CHUNK_BYTES);
	*base = (uint64_t)ci << PHYSMEM_CHUNK_SHIFT;
	return pm->chunk[ci];
}

size_t physmem_chunks_used(const struct physmem *pm)
{
	size_t n = 0;

	for (size_t i = 0; i < pm->nchunks; i++)
		n += pm->chunk[i] != NULL;
	return n;
}

void physmem_peek(const struct physmem *pm, uint64_t pa, void *buf, size_t len)
{
	if (pm->port) {
		if (pm->port->peek(pm->port->ctx, pa, buf, len))
			memset(buf, 0, len);
		return;
	}
	physmem_read(pm, pa, buf, len);
}
