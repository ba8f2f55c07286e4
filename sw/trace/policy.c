/* SPDX-License-Identifier: MIT */
/*
 * Page replacement on a page-reference string: FIFO, LRU, CLOCK (second
 * chance) and Belady's OPT, counting page faults (cold misses included) for
 * a number of frames.  These are the yardsticks the OS's clock, measured
 * through the MMU, is compared with.
 *
 * The string lives in an unlinked temporary file (4 bytes per reference)
 * and every policy reads it in blocks: memory follows the distinct pages
 * and the frames, never the length of the trace.
 *
 *   FIFO   a queue of the resident pages; the oldest goes.
 *   LRU    the resident pages in a list by last use; a hit moves its page
 *          to the front, a miss evicts the back.
 *   CLOCK  frames in a circle with a reference bit each, set when the page
 *          is loaded and on every hit; on a miss the hand clears set bits
 *          until it finds a clear one, whose page goes; free frames are
 *          used first (as the OS uses free frames before reclaiming).
 *   OPT    the page whose next use is farthest away (or never) goes.  The
 *          future is the string itself: a backward pass writes each
 *          reference's next use to a second temporary file (4 bytes per
 *          reference), the forward pass keeps the resident pages in a
 *          max-heap on next use.
 */
#include "trace_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 16384u        /* references read or written at a time */
#define NEVER UINT32_MAX    /* next use of a page that is not used again */

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
	if (r->fd > 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
}

/* An unlinked temporary file in $TMPDIR (or /tmp): gone when closed. */
static int scratch_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/mmutrace-refs-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n <= 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int trace_refs_read(const struct trace_refs *r, size_t from, uint32_t *ids,
		    size_t n)
{
	size_t len = n * sizeof(*ids), got = 0;

	if (from > r->n || n > r->n - from)
		return -1;
	while (got < len) {
		ssize_t k = pread(r->fd, (char *)ids + got, len - got,
				  (off_t)(from * sizeof(*ids) + got));

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* Building: pages numbered densely in order of first use. */
struct builder {
	struct trace_refs *r;
	struct k_pmap ids;  /* page -> id */
	size_t cap;         /* of r->page */
	uint32_t buf[BLOCK];
	size_t nbuf;
	uint64_t last;      /* page of the last reference (collapsing) */
	const struct trace_layout *lay;
	unsigned shift;
	bool nomem, io;
};

static int flush(struct builder *b)
{
	if (b->nbuf && pwrite_all(b->r->fd, b->buf, b->nbuf * sizeof(b->buf[0]),
				  (b->r->n - b->nbuf) * sizeof(b->buf[0])))
		b->io = true;
	b->nbuf = 0;
	return b->io ? 1 : 0;
}

static int add_page(struct builder *b, uint64_t pg)
{
	struct trace_refs *r = b->r;
	uint64_t *id;

	if (r->n && pg == b->last)
		return 0;
	if (r->n >= NEVER - 1) {
		b->io = true; /* more than 2^32 - 2 references: refused */
		return 1;
	}
	id = k_pmap_get(&b->ids, pg, true, &b->nomem);
	if (!id)
		return 1;
	if (!*id) {
		if (r->distinct == b->cap) {
			size_t cap = b->cap ? 2 * b->cap : 1024;
			uint64_t *np = realloc(r->page, cap * sizeof(*np));

			if (!np) {
				b->nomem = true;
				return 1;
			}
			r->page = np;
			b->cap = cap;
		}
		r->page[r->distinct++] = pg;
		*id = r->distinct; /* id + 1 */
	}
	b->last = pg;
	b->buf[b->nbuf++] = (uint32_t)(*id - 1);
	r->n++;
	return b->nbuf == BLOCK ? flush(b) : 0;
}

static int build_begin(struct builder *b, struct trace_refs *r)
{
	memset(r, 0, sizeof(*r));
	b->r = r;
	r->fd = scratch_file();
	return r->fd < 0 ? -1 : 0;
}

static int build_end(struct builder *b, int rc)
{
	if (!rc)
		rc = flush(b);
	k_pmap_free(&b->ids);
	if (rc || b->nomem || b->io) {
		trace_refs_free(b->r);
		return -1;
	}
	return 0;
}

int trace_refs_from(const uint64_t *pages, size_t n, struct trace_refs *r)
{
	struct builder *b = calloc(1, sizeof(*b));
	int rc = 0;

	if (!b || build_begin(b, r)) {
		free(b);
		return -1;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_page(b, pages[i]);
	rc = build_end(b, rc);
	free(b);
	return rc;
}

static int build_piece(void *ctx, const struct trace_ref *x, uint64_t i)
{
	struct builder *b = ctx;
	const struct trace_layout *lay = b->lay;

	(void)i;
	if (x->op == TRACE_FLUSH)
		return 0;
	if (lay && (x->addr < lay->min_addr || x->addr >= lay->max_addr ||
		    lay->max_addr - x->addr < x->size))
		return 0;
	return add_page(b, x->addr >> b->shift);
}

int trace_refs_build(const struct trace *t, const struct trace_layout *lay,
		     unsigned page_shift, struct trace_refs *r)
{
	struct builder *b = calloc(1, sizeof(*b));
	int rc;

	if (!b || build_begin(b, r)) {
		free(b);
		return -1;
	}
	b->lay = lay;
	b->shift = page_shift;
	rc = trace_each(t, build_piece, b, NULL, 0);
	rc = build_end(b, rc);
	free(b);
	return rc;
}

/* ---- reading the string in blocks --------------------------------------------- */

struct reader {
	const struct trace_refs *r;
	uint32_t buf[BLOCK];
	size_t at, len, next;  /* buf holds [next - len, next); at: in buf */
	bool err;
};

/* The next id; false at the end or on an I/O error (err). */
static bool next_id(struct reader *d, uint32_t *id)
{
	if (d->at == d->len) {
		size_t n = d->r->n - d->next < BLOCK ? d->r->n - d->next : BLOCK;

		if (!n)
			return false;
		if (trace_refs_read(d->r, d->next, d->buf, n)) {
			d->err = true;
			return false;
		}
		d->next += n;
		d->len = n;
		d->at = 0;
	}
	*id = d->buf[d->at++];
	return true;
}

static struct reader *reader_new(const struct trace_refs *r)
{
	struct reader *d = calloc(1, sizeof(*d));

	if (d)
		d->r = r;
	return d;
}

/* ---- the policies ------------------------------------------------------------ */

static int fifo(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	uint32_t *q = malloc(frames * sizeof(*q)), id;
	uint8_t *in = calloc(r->distinct ? r->distinct : 1, 1);
	struct reader *d = reader_new(r);
	size_t head = 0, len = 0;
	int rc = -1;

	if (!q || !in || !d)
		goto out;
	while (next_id(d, &id)) {
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
	rc = d->err ? -1 : 0;
out:
	free(q);
	free(in);
	free(d);
	return rc;
}

/* The resident pages in a doubly linked list, most recently used first. */
static int lru(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	size_t dn = r->distinct ? r->distinct : 1, used = 0;
	uint32_t *prev = malloc(dn * sizeof(*prev)), id;
	uint32_t *next = malloc(dn * sizeof(*next));
	uint8_t *in = calloc(dn, 1);
	struct reader *d = reader_new(r);
	uint32_t head = NEVER, tail = NEVER;
	int rc = -1;

	if (!prev || !next || !in || !d)
		goto out;
	while (next_id(d, &id)) {
		if (in[id]) {
			if (head == id)
				continue;
			/* unlink */
			next[prev[id]] = next[id];
			if (next[id] != NEVER)
				prev[next[id]] = prev[id];
			else
				tail = prev[id];
		} else {
			(*faults)++;
			if (used == frames) {
				uint32_t v = tail;

				tail = prev[v];
				if (tail != NEVER)
					next[tail] = NEVER;
				else
					head = NEVER;
				in[v] = 0;
				used--;
			}
			in[id] = 1;
			used++;
		}
		prev[id] = NEVER;
		next[id] = head;
		if (head != NEVER)
			prev[head] = id;
		head = id;
		if (tail == NEVER)
			tail = id;
	}
	rc = d->err ? -1 : 0;
out:
	free(prev);
	free(next);
	free(in);
	free(d);
	return rc;
}

static int clock_pol(const struct trace_refs *r, size_t frames,
		     uint64_t *faults)
{
	uint32_t *frame = malloc(frames * sizeof(*frame)), id;
	uint8_t *ref = calloc(frames, 1);
	int64_t *slot = malloc((r->distinct ? r->distinct : 1) * sizeof(*slot));
	struct reader *d = reader_new(r);
	size_t used = 0, hand = 0;
	int rc = -1;

	if (!frame || !ref || !slot || !d)
		goto out;
	for (size_t k = 0; k < r->distinct; k++)
		slot[k] = -1;
	while (next_id(d, &id)) {
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
	rc = d->err ? -1 : 0;
out:
	free(frame);
	free(ref);
	free(slot);
	free(d);
	return rc;
}

/* Each reference's next use (NEVER: none), written backwards block by
 * block into a scratch file: seen[] holds, per page, the first use after
 * the part already done. */
static int next_uses(const struct trace_refs *r, int fd)
{
	size_t dn = r->distinct ? r->distinct : 1, end = r->n;
	uint32_t *seen = malloc(dn * sizeof(*seen));
	uint32_t *ids = malloc(BLOCK * sizeof(*ids));
	uint32_t *nx = malloc(BLOCK * sizeof(*nx));
	int rc = -1;

	if (!seen || !ids || !nx)
		goto out;
	for (size_t k = 0; k < dn; k++)
		seen[k] = NEVER;
	while (end) {
		size_t n = end < BLOCK ? end : BLOCK, from = end - n;

		if (trace_refs_read(r, from, ids, n))
			goto out;
		for (size_t i = n; i-- > 0;) {
			nx[i] = seen[ids[i]];
			seen[ids[i]] = (uint32_t)(from + i);
		}
		if (pwrite_all(fd, nx, n * sizeof(*nx), from * sizeof(*nx)))
			goto out;
		end = from;
	}
	rc = 0;
out:
	free(seen);
	free(ids);
	free(nx);
	return rc;
}

/* A max-heap of the resident pages on their next use; pos[id] is a page's
 * place in it. */
struct heap {
	uint32_t *h, *key, *pos;
	size_t n;
};

static bool above(const struct heap *q, size_t a, size_t b)
{
	return q->key[q->h[a]] > q->key[q->h[b]];
}

static void swap_at(struct heap *q, size_t a, size_t b)
{
	uint32_t t = q->h[a];

	q->h[a] = q->h[b];
	q->h[b] = t;
	q->pos[q->h[a]] = (uint32_t)a;
	q->pos[q->h[b]] = (uint32_t)b;
}

static void sift_up(struct heap *q, size_t i)
{
	for (; i > 0 && above(q, i, (i - 1) / 2); i = (i - 1) / 2)
		swap_at(q, i, (i - 1) / 2);
}

static void sift_down(struct heap *q, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= q->n)
			return;
		if (c + 1 < q->n && above(q, c + 1, c))
			c++;
		if (!above(q, c, i))
			return;
		swap_at(q, i, c);
		i = c;
	}
}

static int opt(const struct trace_refs *r, size_t frames, uint64_t *faults)
{
	size_t dn = r->distinct ? r->distinct : 1;
	struct heap q = { .h = malloc((frames < dn ? frames : dn) * sizeof(*q.h)),
			  .key = malloc(dn * sizeof(*q.key)),
			  .pos = malloc(dn * sizeof(*q.pos)) };
	struct trace_refs nr = { .n = r->n, .fd = scratch_file() };
	struct reader *d = reader_new(r), *dn_next = reader_new(&nr);
	uint32_t id, nu;
	int rc = -1;

	if (!q.h || !q.key || !q.pos || !d || !dn_next || nr.fd < 0 ||
	    next_uses(r, nr.fd))
		goto out;
	for (size_t k = 0; k < dn; k++)
		q.pos[k] = NEVER;
	while (next_id(d, &id) && next_id(dn_next, &nu)) {
		if (q.pos[id] == NEVER) {
			(*faults)++;
			if (q.n == frames) {
				uint32_t v = q.h[0];

				if (--q.n) {
					q.h[0] = q.h[q.n];
					q.pos[q.h[0]] = 0;
					sift_down(&q, 0);
				}
				q.pos[v] = NEVER;
			}
			q.h[q.n] = id;
			q.pos[id] = (uint32_t)q.n++;
		}
		/* its next use only moves later: up the max-heap */
		q.key[id] = nu;
		sift_up(&q, q.pos[id]);
	}
	rc = d->err || dn_next->err ? -1 : 0;
out:
	free(q.h);
	free(q.key);
	free(q.pos);
	free(d);
	free(dn_next);
	if (nr.fd >= 0)
		close(nr.fd);
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
