/* SPDX-License-Identifier: MIT */
/*
 * A small open-addressing hash map from u64 to u64 (linear probing with
 * backward-shift deletion, so there are no tombstones): the page cache's
 * index -> page map and the KSM stable tree's hash -> frame map.
 */
#include "os_int.h"

#include <stdlib.h>

static size_t slot_of(const struct hmap *h, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (h->cap - 1);
}

static int grow(struct hmap *h)
{
	struct hmap n = { .cap = h->cap ? h->cap * 2 : 16 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	n.used = calloc(n.cap, 1);
	if (!n.keys || !n.vals || !n.used) {
		k_hmap_free(&n);
		return -1;
	}
	for (size_t i = 0; i < h->cap; i++)
		if (h->used[i])
			k_hmap_put(&n, h->keys[i], h->vals[i]);
	k_hmap_free(h);
	*h = n;
	return 0;
}

int k_hmap_put(struct hmap *h, uint64_t key, uint64_t val)
{
	size_t i;

	if ((h->n + 1) * 4 > h->cap * 3 && grow(h))
		return -1;
	for (i = slot_of(h, key); h->used[i]; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key) {
			h->vals[i] = val;
			return 0;
		}
	}
	h->used[i] = 1;
	h->keys[i] = key;
	h->vals[i] = val;
	h->n++;
	return 0;
}

static bool find(const struct hmap *h, uint64_t key, size_t *at)
{
	if (!h->cap)
		return false;
	for (size_t i = slot_of(h, key); h->used[i];
	     i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key) {
			*at = i;
			return true;
		}
	}
	return false;
}

bool k_hmap_get(const struct hmap *h, uint64_t key, uint64_t *val)
{
	size_t i;

	if (!find(h, key, &i))
		return false;
	if (val)
		*val = h->vals[i];
	return true;
}

bool k_hmap_del(struct hmap *h, uint64_t key)
{
	size_t i, j, mask = h->cap - 1;

	if (!find(h, key, &i))
		return false;
	h->used[i] = 0;
	h->n--;
	/* Shift later members of the probe run back into the hole. */
	for (j = (i + 1) & mask; h->used[j]; j = (j + 1) & mask) {
		size_t home = slot_of(h, h->keys[j]);
		bool movable = i <= j ? (home <= i || home > j)
				      : (home <= i && home > j);

		if (movable) {
			h->keys[i] = h->keys[j];
			h->vals[i] = h->vals[j];
			h->used[i] = 1;
			h->used[j] = 0;
			i = j;
		}
	}
	return true;
}

bool k_hmap_next(const struct hmap *h, size_t *i, uint64_t *key, uint64_t *val)
{
	for (; *i < h->cap; (*i)++) {
		if (h->used[*i]) {
			*key = h->keys[*i];
			*val = h->vals[*i];
			(*i)++;
			return true;
		}
	}
	return false;
}

void k_hmap_free(struct hmap *h)
{
	free(h->keys);
	free(h->vals);
	free(h->used);
	*h = (struct hmap){ 0 };
}
