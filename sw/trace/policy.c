/* SPDX-License-Identifier: MIT */
/*
 * Page replacement on a page-reference string: FIFO, LRU, CLOCK (second
 * chance) and Belady's OPT, counting page faults (cold misses included) for
 * a number of frames.  These are the yardsticks the OS's clock, measured
 * through the MMU, is compared with.
 *
 *   FIFO   a queue of the resident pages; the oldest goes.
 *   LRU    the page unused for longest goes.  Counted with stack
 *          distances: a reference hits with F frames iff fewer than F
 *          distinct pages were referenced since the previous reference to
 *          the same page (a Fenwick tree over time counts them).
 *   CLOCK  frames in a circle with a reference bit each, set when the page
 *          is loaded and on every hit; on a miss the hand clears set bits
 *          until it finds a clear one, whose page goes; free frames are
 *          used first (as the OS uses free frames before reclaiming).
 *   OPT    the page whose next use is farthest away (or never) goes: a
 *          max-heap on next use with lazy deletion.
 */
#include "trace_int.h"

#include <stdlib.h>
#include <string.h>

const char *trace_policy_str(enum trace_policy p)
{
	switch (p) {
	case TRACE_POL_FIFO: return "FIFO";
	case TRACE_POL_LRU: return "LRU";
	case TRACE_POL_CLOCK: return "CLOCK";
	case TRACE_POL_OPT: return "OPT";
	}
	return "?";
}

void trace_refs_free(struct trace_refs *r)
{
	free(r->page);
	free(r->id);
	memset(r, 0, sizeof(*r));
}

struct pid_pair {
	uint64_t page;
	size_t pos;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pid_pair *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Dense ids: sort (page, position) pairs, number the distinct pages. */
static int number_pages(struct trace_refs *r)
{
	struct pid_pair *p = malloc((r->n ? r->n : 1) * sizeof(*p));

	r->id = malloc((r->n ? r->n : 1) * sizeof(*r->id));
	if (!p || !r->id) {
		free(p);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		p[i] = (struct pid_pair){ r->page[i], i };
	qsort(p, r->n, sizeof(*p), cmp_pair);
	r->distinct = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (i && p[i].page != p[i - 1].page)
			r->distinct++;
		r->id[p[i].pos] = (uint32_t)r->distinct;
	}
	if (r->n)
		r->distinct++;
	free(p);
	return 0;
}

int trace_refs_from(const uint64_t *pages, size_t n, struct trace_refs *r)
{
	memset(r, 0, sizeof(*r));
	r->page = malloc((n ? n : 1) * sizeof(*r->page));
	if (!r->page)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!r->n || r->page[r->n - 1] != pages[i])
			r->page[r->n++] = pages[i];
	if (r->n > UINT32_MAX || number_pages(r)) {
		trace_refs_free(r);
		return -1;
	}
	return 0;
}

int trace_refs_build(const struct trace *t, const struct trace_layout *lay,
		     unsigned page_shift, struct trace_refs *r)
{
	memset(r, 0, sizeof(*r));
	r->page = malloc((t->n ? t->n : 1) * sizeof(*r->page));
	if (!r->page)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct trace_ref *x = &t->ref[i];
		uint64_t pg = x->addr >> page_shift;

		if (x->op == TRACE_FLUSH)
			continue;
		if (lay && (x->addr < lay->min_addr || x->addr >= lay->max_addr ||
			    lay->max_addr - x->addr < x->size))
			continue;
		if (!r->n || r->page[r->n - 1] != pg)
			r->page[r->n++] = pg;
	}
	if (r->n > UINT32_MAX || number_pages(r)) {
		trace_refs_free(r);
		return -1;
	}
	return 0;
}

/* ---- the policies ------------------------------------------------------------ */

static int fifo(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	uint32_t *q = malloc(frames * sizeof(*q));
	uint8_t *in = calloc(r->distinct ? r->distinct : 1, 1);
	size_t head = 0, len = 0;

	if (!q || !in)
		goto nomem;
	for (size_t i = 0; i < r->n; i++) {
		uint32_t id = r->id[i];

		if (in[id])
			continue;
		(*faults)++;
		if (len == frames) {
			in[q[head]] = 0;
			q[head] = id;
			head = (head + 1) % frames;
		} else {
			q[(head + len++) % frames] = id;
		}
		in[id] = 1;
	}
	free(q);
	free(in);
	return 0;
nomem:
	free(q);
	free(in);
	return -1;
}

/* Fenwick tree over positions 1..n. */
static void bit_add(int32_t *t, size_t n, size_t i, int32_t v)
{
	for (; i <= n; i += i & (~i + 1))
		t[i] += v;
}

static int64_t bit_sum(const int32_t *t, size_t i)
{
	int64_t s = 0;

	for (; i > 0; i -= i & (~i + 1))
		s += t[i];
	return s;
}

static int lru(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	int32_t *bit = calloc(r->n + 1, sizeof(*bit));
	size_t *last = malloc((r->distinct ? r->distinct : 1) * sizeof(*last));

	if (!bit || !last) {
		free(bit);
		free(last);
		return -1;
	}
	for (size_t k = 0; k < r->distinct; k++)
		last[k] = 0; /* positions are 1-based; 0 = never */
	for (size_t i = 0; i < r->n; i++) {
		uint32_t id = r->id[i];
		size_t pos = i + 1, prev = last[id];

		if (!prev) {
			(*faults)++;
		} else {
			/* distinct pages referenced strictly between */
			int64_t between = bit_sum(bit, pos - 1) - bit_sum(bit, prev);

			if ((uint64_t)between >= frames)
				(*faults)++;
			bit_add(bit, r->n, prev, -1);
		}
		bit_add(bit, r->n, pos, 1);
		last[id] = pos;
	}
	free(bit);
	free(last);
	return 0;
}

static int clock_pol(const struct trace_refs *r, size_t frames,
		     uint64_t *faults)
{
	uint32_t *frame = malloc(frames * sizeof(*frame));
	uint8_t *ref = calloc(frames, 1);
	int64_t *slot = malloc((r->distinct ? r->distinct : 1) * sizeof(*slot));
	size_t used = 0, hand = 0;

	if (!frame || !ref || !slot) {
		free(frame);
		free(ref);
		free(slot);
		return -1;
	}
	for (size_t k = 0; k < r->distinct; k++)
		slot[k] = -1;
	for (size_t i = 0; i < r->n; i++) {
		uint32_t id = r->id[i];
		size_t f;

		if (slot[id] >= 0) {
			ref[slot[id]] = 1;
			continue;
		}
		(*faults)++;
		if (used < frames) {
			f = used++;
		} else {
			while (ref[hand]) {
				ref[hand] = 0;
				hand = (hand + 1) % frames;
			}
			f = hand;
			slot[frame[f]] = -1;
			hand = (hand + 1) % frames;
		}
		frame[f] = id;
		ref[f] = 1;
		slot[id] = (int64_t)f;
	}
	free(frame);
	free(ref);
	free(slot);
	return 0;
}

struct hent {
	size_t key;   /* next use (r->n: never) */
	uint32_t id;
};

static void heap_push(struct hent *h, size_t *n, struct hent e)
{
	size_t i = (*n)++;

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (h[p].key >= e.key)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = e;
}

static struct hent heap_pop(struct hent *h, size_t *n)
{
	struct hent top = h[0], e = h[--(*n)];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].key > h[c].key)
			c++;
		if (e.key >= h[c].key)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = e;
	return top;
}

static int opt(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	size_t d = r->distinct ? r->distinct : 1, hn = 0, nres = 0;
	size_t *next = malloc((r->n ? r->n : 1) * sizeof(*next));
	size_t *seen = malloc(d * sizeof(*seen));
	size_t *cur = malloc(d * sizeof(*cur));
	uint8_t *res = calloc(d, 1);
	struct hent *h = malloc((r->n ? r->n : 1) * sizeof(*h));
	int rc = -1;

	if (!next || !seen || !cur || !res || !h)
		goto out;
	for (size_t k = 0; k < d; k++)
		seen[k] = r->n;
	for (size_t i = r->n; i-- > 0;) {
		next[i] = seen[r->id[i]];
		seen[r->id[i]] = i;
	}
	for (size_t i = 0; i < r->n; i++) {
		uint32_t id = r->id[i];

		if (!res[id]) {
			(*faults)++;
			if (nres == frames) {
				for (;;) {
					struct hent e = heap_pop(h, &hn);

					if (res[e.id] && cur[e.id] == e.key) {
						res[e.id] = 0;
						nres--;
						break;
					}
				}
			}
			res[id] = 1;
			nres++;
		}
		/* every reference pushes one entry: hn <= n */
		cur[id] = next[i];
		heap_push(h, &hn, (struct hent){ next[i], id });
	}
	rc = 0;
out:
	free(next);
	free(seen);
	free(cur);
	free(res);
	free(h);
	return rc;
}

int trace_policy_faults(const struct trace_refs *r, enum trace_policy p,
			size_t frames, uint64_t *faults)
{
	*faults = 0;
	if (!frames)
		return -1;
	switch (p) {
	case TRACE_POL_FIFO: return fifo(r, frames, faults);
	case TRACE_POL_LRU: return lru(r, frames, faults);
	case TRACE_POL_CLOCK: return clock_pol(r, frames, faults);
	case TRACE_POL_OPT: return opt(r, frames, faults);
	}
	return -1;
}
