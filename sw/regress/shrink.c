/* SPDX-License-Identifier: MIT */
/*
 * Failure shrinking of a seed (regress.h): the recorded calls through the
 * one shrinker, failure_ddmin (sw/failure).  A candidate (a subset of the
 * calls, in order) "fails the same way" when its replay stops at a
 * lockstep mismatch of the same field.
 */
#include "regress.h"
#include "failure/failure.h"

#include <string.h>

struct same {
	const struct regress_seed_opts *o;
	uint64_t seed;
	const struct regress_stream *s;
	const char *field;
	bool final;
	char *err;
	size_t errlen;
};

/* 1 when the replay of the calls with keep[i] stops at a mismatch of the
 * same field, 0 when not, negative: the machine could not be opened. */
static int same_failure(void *ctx, const bool *keep)
{
	struct same *d = ctx;
	char field[48] = "";
	int rc = regress_replay(d->o, d->seed, d->s, keep, d->final, field,
				sizeof(field), d->err, d->errlen);

	if (rc < 0)
		return rc;
	return rc == 1 && !strcmp(field, d->field);
}

int regress_shrink(const struct regress_seed_opts *o, uint64_t seed,
		   const struct regress_stream *s, const char *field,
		   bool final, bool *keep, unsigned *replays, char *err,
		   size_t errlen)
{
	struct same d = { .o = o, .seed = seed, .s = s, .field = field,
			  .final = final, .err = err, .errlen = errlen };
	struct failure_ddmin_stats st;
	int rc;

	for (size_t i = 0; i < s->n; i++)
		keep[i] = true;
	rc = failure_ddmin(s->n, same_failure, &d, keep, 0, &st);
	*replays = st.tests;
	if (rc == FAILURE_ENOTFAIL) {
		rc = REGRESS_ECHECK;
		mmu_errf(err, errlen, rc, "the stream's replay does not fail "
			 "with a mismatch of %s", field);
	} else if (rc == MMU_ENOMEM) {
		mmu_errf(err, errlen, rc, "out of host memory");
	}
	return rc;
}
