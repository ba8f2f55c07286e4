/* SPDX-License-Identifier: MIT */
/*
 * A trace's replay as the tools run it, its failure as the one report, and
 * failure shrinking over its records (trace.h): the one shrinker,
 * failure_ddmin (sw/failure), over the lines of the trace; every
 * candidate parsed and replayed in-process on a fresh machine and OS.
 */
#include "trace_int.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_TESTS 4000
#define MIN_USER_FRAMES 16

int trace_std_opts(const struct trace *t, const struct mmu_config *cfg,
		   unsigned mem_pct, uint64_t seed, struct trace_run_opts *o,
		   char *err, size_t errlen)
{
	struct trace_layout lay;

	if (trace_layout(t, cfg, NULL, &lay, err, errlen))
		return -1;
	o->cfg = cfg;
	o->user_frames = lay.touched_pages * mem_pct / 100;
	if (o->user_frames < MIN_USER_FRAMES)
		o->user_frames = MIN_USER_FRAMES;
	trace_layout_free(&lay);
	o->bo.seed = seed;
	o->replay.fork_at = t->n / 2;
	o->replay.code_file = true;
	o->replay.seed = seed;
	return 0;
}

void trace_note_failure(struct trace_stats *st,
			const struct lockstep_mismatch *mm, const char *check)
{
	if (mm) {
		st->mm = *mm;
		st->fail_mismatch = true;
	}
	failure_sig(mm, "trace", check, st->fail_sig, sizeof(st->fail_sig));
}

void trace_failure(const struct trace *t, const struct trace_stats *st,
		   struct failure *f)
{
	const char *file = t->path ? t->path : t->name;

	memset(f, 0, sizeof(*f));
	f->kind = "trace";
	if (st->fail_line)
		snprintf(f->where, sizeof(f->where), "%s:%u", file,
			 st->fail_line);
	else
		snprintf(f->where, sizeof(f->where), "%s", file);
	f->step = st->fail_piece;
	f->mm = st->fail_mismatch ? &st->mm : NULL;
	snprintf(f->what, sizeof(f->what), "%s", st->fail);
}

/* ---- shrinking --------------------------------------------------------------- */

struct shrink {
	const char *origin;
	struct trace_parse_opts po;
	struct trace_run_opts ro;   /* the caller's, without wave or progress */
	unsigned mem_pct;
	uint64_t seed;
	const char *sig;
	struct failure_lines fl;    /* the trace's lines */
	struct trace_stats st;      /* of the last run */
	uint64_t records;           /* of the last parse */
	char *err;
	size_t errlen;
};

/* 1: the lines with keep[i] replay with the same failure; 0: not (or they
 * do not parse, or cannot be laid out or replayed: not the same way). */
static int still_fails(void *ctx, const bool *keep)
{
	struct shrink *x = ctx;
	size_t n = failure_lines_join(&x->fl, keep);
	struct trace_run_opts o = x->ro;
	struct trace_diags d;
	struct trace *t;
	int rc;

	if (trace_parse(x->fl.buf, n, x->origin, &x->po, &t, &d))
		return 0;
	x->records = t->records;
	if (!t->records) {
		trace_free(t);
		return 0;
	}
	rc = trace_std_opts(t, x->ro.cfg, x->mem_pct, x->seed, &o, x->err,
			    x->errlen);
	if (!rc)
		rc = trace_run(t, &o, &x->st, x->err, x->errlen);
	trace_free(t);
	if (rc)
		return 0;
	return !x->st.ok && !strcmp(x->st.fail_sig, x->sig);
}

/* Blank lines are no candidates. */
static bool blank(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++, n--;
	return !n;
}

static int shrink_lines(struct shrink *x, unsigned max_tests, char **out,
			struct trace_shrink_result *res)
{
	size_t nl = x->fl.n;
	bool *keep = malloc(nl + 1);
	int rc;

	if (!keep)
		return MMU_ENOMEM;
	for (size_t i = 0; i < nl; i++)
		keep[i] = !blank(x->fl.line[i], x->fl.len[i]);
	rc = still_fails(x, keep);
	res->records_before = x->records;
	res->piece_before = x->st.fail_piece;
	if (rc <= 0) {
		free(keep);
		return FAILURE_ENOTFAIL;
	}
	rc = failure_ddmin(nl, still_fails, x, keep, max_tests, &res->st);
	if (!rc && still_fails(x, keep) == 1) {
		res->records_after = x->records;
		res->piece_after = x->st.fail_piece;
	}
	if (!rc) {
		failure_lines_join(&x->fl, keep);
		*out = strdup(x->fl.buf);
		if (!*out)
			rc = MMU_ENOMEM;
	}
	free(keep);
	return rc;
}

int trace_shrink(const char *text, size_t len, const char *origin,
		 const struct trace_parse_opts *po,
		 const struct trace_run_opts *o, unsigned mem_pct,
		 uint64_t seed, const char *sig, unsigned max_tests,
		 char **out, struct trace_shrink_result *res, char *err,
		 size_t errlen)
{
	struct shrink x = { .origin = origin, .ro = *o, .mem_pct = mem_pct,
			    .seed = seed, .sig = sig, .err = err,
			    .errlen = errlen };
	int rc;

	memset(res, 0, sizeof(*res));
	*out = NULL;
	if (po)
		x.po = *po;
	x.ro.bo.trace_path = NULL;
	x.ro.replay.progress.fn = NULL;
	if (!failure_lines_split(text, len, &x.fl))
		rc = shrink_lines(&x, max_tests ? max_tests : DEFAULT_TESTS,
				  out, res);
	else
		rc = MMU_ENOMEM;
	if (rc == MMU_ENOMEM)
		snprintf(err, errlen, "out of host memory");
	else if (rc == FAILURE_ENOTFAIL)
		snprintf(err, errlen, "the trace does not fail with '%s' when "
			 "replayed again", sig);
	failure_lines_free(&x.fl);
	return rc;
}
