/* SPDX-License-Identifier: MIT */
/*
 * A map from 64-bit keys (page numbers, table ranges) to 64-bit values:
 * open addressing with linear probing, at most half full.  Its memory
 * follows the distinct keys, never the length of a trace.
 */
#include "trace_int.h"

#include <stdlib.h>
#include <string.h>

uint64_t k_mix64(uint64_t x)
{
	/* splitmix64's finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static size_t home(const struct k_pmap *m, uint64_t stored)
{
	return (size_t)k_mix64(stored) & (m->cap - 1);
}

static int grow(struct k_pmap *m)
{
	struct k_pmap g = { .cap = m->cap ? m->cap * 2 : 1024, .n = m->n };

	g.key = calloc(g.cap, sizeof(*g.key));
	g.val = calloc(g.cap, sizeof(*g.val));
	if (!g.key || !g.val) {
		free(g.key);
		free(g.val);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t h;

		if (!m->key[i])
			continue;
		for (h = home(&g, m->key[i]); g.key[h]; h = (h + 1) & (g.cap - 1))
			;
		g.key[h] = m->key[i];
		g.val[h] = m->val[i];
	}
	free(m->key);
	free(m->val);
	*m = g;
	return 0;
}

uint64_t *k_pmap_get(struct k_pmap *m, uint64_t key, bool create,
		     bool *nomem)
{
	size_t h;

	if (m->cap)
		for (h = home(m, key + 1); m->key[h]; h = (h + 1) & (m->cap - 1))
			if (m->key[h] == key + 1)
				return &m->val[h];
	if (!create)
		return NULL;
	if ((m->n + 1) * 2 > m->cap && grow(m)) {
		*nomem = true;
		return NULL;
	}
	for (h = home(m, key + 1); m->key[h]; h = (h + 1) & (m->cap - 1))
		;
	m->key[h] = key + 1;
	m->val[h] = 0;
	m->n++;
	return &m->val[h];
}

void k_pmap_free(struct k_pmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
