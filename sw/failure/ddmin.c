/* SPDX-License-Identifier: MIT */
/*
 * The one shrinker (failure.h): ddmin over a list of items and a
 * predicate.  The seed's machine calls (sw/regress), a scenario's
 * statements and lines (sw/scenario) and a trace's records (sw/trace) are
 * all shrunk here; only the predicate differs.
 */
#include "failure.h"
#include "machine/machine.h"

#include <stdlib.h>
#include <string.h>

struct ddmin {
	size_t n;
	failure_test_fn fails;
	void *ctx;
	bool *mask;       /* scratch: the candidate as a mask over the items */
	unsigned max_tests;
	struct failure_ddmin_stats *st;
};

/* Does the candidate (indices cur[0..len)) fail the same way?  1 yes, 0
 * no, negative: an error. */
static int test(struct ddmin *d, const size_t *cur, size_t len)
{
	memset(d->mask, 0, d->n * sizeof(bool));
	for (size_t i = 0; i < len; i++)
		d->mask[cur[i]] = true;
	d->st->tests++;
	return d->fails(d->ctx, d->mask);
}

static bool spent(const struct ddmin *d)
{
	return d->max_tests && d->st->tests >= d->max_tests;
}

/* Chunk k of n over len items: [*lo, *hi). */
static void chunk(size_t len, size_t n, size_t k, size_t *lo, size_t *hi)
{
	*lo = len * k / n;
	*hi = len * (k + 1) / n;
}

/* One round at granularity *k: 1 and cur/len reduced when a chunk or a
 * complement still fails, 0 when neither does (or the budget is spent),
 * negative on error. */
static int round_at(struct ddmin *d, size_t *cur, size_t *len, size_t *k,
		    size_t *tmp)
{
	for (int complement = 0; complement < 2; complement++)
		for (size_t c = 0; c < *k && !spent(d); c++) {
			size_t lo, hi, m = 0;
			int rc;

			chunk(*len, *k, c, &lo, &hi);
			for (size_t i = 0; i < *len; i++)
				if ((i >= lo && i < hi) != complement)
					tmp[m++] = cur[i];
			if (!m || m == *len)
				continue;
			rc = test(d, tmp, m);
			if (rc < 0)
				return rc;
			if (rc) {
				memcpy(cur, tmp, m * sizeof(*cur));
				*len = m;
				*k = complement ? (*k > 2 ? *k - 1 : 2) : 2;
				return 1;
			}
		}
	return 0;
}

static int run(struct ddmin *d, size_t *cur, size_t *len, size_t *tmp)
{
	size_t k = 2;
	int rc = test(d, cur, *len);

	if (rc <= 0)
		return rc < 0 ? rc : FAILURE_ENOTFAIL;
	while (*len >= 2) {
		rc = round_at(d, cur, len, &k, tmp);
		if (rc < 0)
			return rc;
		if (spent(d))
			return 0;
		if (!rc) {
			if (k >= *len)
				break;
			k = k * 2 < *len ? k * 2 : *len;
		}
	}
	d->st->minimal = true;
	return 0;
}

int failure_ddmin(size_t n, failure_test_fn fails, void *ctx, bool *keep,
		  unsigned max_tests, struct failure_ddmin_stats *st)
{
	struct ddmin d = { .n = n, .fails = fails, .ctx = ctx,
			   .max_tests = max_tests, .st = st };
	size_t *cur = malloc((n + 1) * sizeof(*cur));
	size_t *tmp = malloc((n + 1) * sizeof(*tmp));
	size_t len = 0;
	int rc = MMU_ENOMEM;

	memset(st, 0, sizeof(*st));
	d.mask = malloc(n + 1);
	if (cur && tmp && d.mask) {
		for (size_t i = 0; i < n; i++)
			if (keep[i])
				cur[len++] = i;
		rc = run(&d, cur, &len, tmp);
		if (!rc) {
			memset(keep, 0, n * sizeof(bool));
			for (size_t i = 0; i < len; i++)
				keep[cur[i]] = true;
		}
	}
	free(cur);
	free(tmp);
	free(d.mask);
	return rc;
}

/* ---- texts as lines ------------------------------------------------------ */

int failure_lines_split(const char *text, size_t len, struct failure_lines *fl)
{
	size_t cap = 1;

	memset(fl, 0, sizeof(*fl));
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	fl->line = calloc(cap, sizeof(*fl->line));
	fl->len = calloc(cap, sizeof(*fl->len));
	fl->buf = malloc(len + cap + 1);
	if (!fl->line || !fl->len || !fl->buf) {
		failure_lines_free(fl);
		return MMU_ENOMEM;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		fl->line[fl->n] = text + i;
		fl->len[fl->n++] = n;
		i += n + 1;
	}
	return 0;
}

size_t failure_lines_join(struct failure_lines *fl, const bool *keep)
{
	size_t n = 0;

	for (size_t i = 0; i < fl->n; i++)
		if (!keep || keep[i]) {
			memcpy(fl->buf + n, fl->line[i], fl->len[i]);
			n += fl->len[i];
			fl->buf[n++] = '\n';
		}
	fl->buf[n] = 0;
	return n;
}

void failure_lines_free(struct failure_lines *fl)
{
	free(fl->line);
	free(fl->len);
	free(fl->buf);
	memset(fl, 0, sizeof(*fl));
}
