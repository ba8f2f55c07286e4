/* SPDX-License-Identifier: MIT */
/*
 * Failure shrinking (regress.h): ddmin over a stream's calls.  A candidate
 * (a subset of the calls, in order) "fails the same way" when its replay
 * stops at a lockstep mismatch of the same field.  The algorithm splits
 * the current calls into n chunks, keeps a chunk alone or its complement
 * when that still fails, and doubles n when neither does, until n reaches
 * the number of calls: the result is 1-minimal (no single call can be
 * taken out).
 */
#include "regress.h"

#include <stdlib.h>
#include <string.h>

struct ddmin {
	const struct regress_seed_opts *o;
	uint64_t seed;
	const struct regress_stream *s;
	const char *field;
	bool final;
	bool *keep;        /* scratch: the candidate as a mask over s */
	unsigned replays;
	char *err;
	size_t errlen;
};

/* Does the candidate (indices cur[0..n)) fail the same way?  1 yes, 0 no,
 * negative: the machine could not be opened. */
static int same_failure(struct ddmin *d, const size_t *cur, size_t n)
{
	char field[48] = "";
	int rc;

	memset(d->keep, 0, d->s->n * sizeof(bool));
	for (size_t i = 0; i < n; i++)
		d->keep[cur[i]] = true;
	d->replays++;
	rc = regress_replay(d->o, d->seed, d->s, d->keep, d->final, field,
			    sizeof(field), d->err, d->errlen);
	if (rc < 0)
		return rc;
	return rc == 1 && !strcmp(field, d->field);
}

/* Chunk k of n over len items: [*lo, *hi). */
static void chunk(size_t len, size_t n, size_t k, size_t *lo, size_t *hi)
{
	*lo = len * k / n;
	*hi = len * (k + 1) / n;
}

/* One round at granularity *n: 1 and cur/len reduced when a chunk or a
 * complement still fails, 0 when neither does, negative on error. */
static int round_at(struct ddmin *d, size_t *cur, size_t *len, size_t *n,
		    size_t *tmp)
{
	for (int complement = 0; complement < 2; complement++)
		for (size_t k = 0; k < *n; k++) {
			size_t lo, hi, m = 0;
			int rc;

			chunk(*len, *n, k, &lo, &hi);
			for (size_t i = 0; i < *len; i++)
				if ((i >= lo && i < hi) != complement)
					tmp[m++] = cur[i];
			if (!m || m == *len)
				continue;
			rc = same_failure(d, tmp, m);
			if (rc < 0)
				return rc;
			if (rc) {
				memcpy(cur, tmp, m * sizeof(*cur));
				*len = m;
				*n = complement ? (*n > 2 ? *n - 1 : 2) : 2;
				return 1;
			}
		}
	return 0;
}

static int ddmin_run(struct ddmin *d, size_t *cur, size_t *len, size_t *tmp)
{
	size_t n = 2;
	int rc = same_failure(d, cur, *len);

	if (rc <= 0)
		return rc < 0 ? rc : REGRESS_ECHECK;
	while (*len >= 2) {
		rc = round_at(d, cur, len, &n, tmp);
		if (rc < 0)
			return rc;
		if (!rc) {
			if (n >= *len)
				break;
			n = n * 2 < *len ? n * 2 : *len;
		}
	}
	return 0;
}

int regress_shrink(const struct regress_seed_opts *o, uint64_t seed,
		   const struct regress_stream *s, const char *field,
		   bool final, bool *keep, unsigned *replays, char *err,
		   size_t errlen)
{
	struct ddmin d = { .o = o, .seed = seed, .s = s, .field = field,
			   .final = final, .err = err, .errlen = errlen };
	size_t *cur = malloc((s->n + 1) * sizeof(*cur));
	size_t *tmp = malloc((s->n + 1) * sizeof(*tmp));
	size_t len = s->n;
	int rc = MMU_ENOMEM;

	d.keep = malloc(s->n + 1);
	if (cur && tmp && d.keep) {
		for (size_t i = 0; i < len; i++)
			cur[i] = i;
		rc = ddmin_run(&d, cur, &len, tmp);
		if (rc == REGRESS_ECHECK)
			mmu_errf(err, errlen, rc, "the stream's replay does not "
				 "fail with a mismatch of %s", field);
		memset(keep, 0, s->n * sizeof(bool));
		for (size_t i = 0; !rc && i < len; i++)
			keep[cur[i]] = true;
	} else {
		mmu_errf(err, errlen, rc, "out of host memory");
	}
	*replays = d.replays;
	free(cur);
	free(tmp);
	free(d.keep);
	return rc;
}
