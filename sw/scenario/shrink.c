/* SPDX-License-Identifier: MIT */
/*
 * A scenario's failure as the one report, and failure shrinking over its
 * lines (scenario.h): the one shrinker, failure_ddmin (sw/failure), first
 * over the top-level statements, then over single lines; every candidate
 * parsed and run in-process on a fresh machine and OS.
 */
#include "scn_int.h"
#include "scenario.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_TESTS 4000

void scn_failure(const struct scn_program *p, const struct scn_result *r,
		 struct failure *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = "scenario";
	if (r->fail_line)
		snprintf(f->where, sizeof(f->where), "%s:%u", p->origin,
			 r->fail_line);
	else
		snprintf(f->where, sizeof(f->where), "%s (the end-of-run "
			 "lockstep check)", p->origin);
	f->step = r->fail_step;
	f->mm = r->fail_mismatch ? &r->mm : NULL;
	if (r->limit[0] && !r->fail_text[0])
		snprintf(f->what, sizeof(f->what), "%s", r->limit);
	else
		snprintf(f->what, sizeof(f->what), "%s", r->fail_text);
}

/* ---- the lines ------------------------------------------------------------ */

enum lclass { L_DROP, L_KEEP, L_ITEM };  /* blank/comment, always, shrinkable */

struct shrink {
	const char *origin;
	const struct scn_run_opts *o;
	struct scn_run_opts ro;    /* o, quiet, no wave, output discarded */
	struct scn_limits lim;     /* tightened */
	const char *sig;
	struct failure_lines fl;   /* the text's lines */
	size_t nl;
	enum lclass *cls;
	long *stmt;                /* top-level statement a line belongs to */
	bool *on;                  /* scratch: the candidate's lines */
	bool *mask;                /* scratch: ... with the lines kept always */
	bool pass_lines;           /* second pass: items are lines */
	struct scn_result r;       /* of the last run */
	unsigned stmts;            /* top-level statements of the last parse */
	char *err;
	size_t errlen;
};

static bool blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i == n || s[i] == '#';
}

static bool is_option(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return n - i > 7 && !strncmp(s + i, "option", 6) &&
	       (s[i + 6] == ' ' || s[i + 6] == '\t');
}

static int split_lines(struct shrink *x, const char *text, size_t len)
{
	if (failure_lines_split(text, len, &x->fl))
		return -1;
	x->nl = x->fl.n;
	x->cls = calloc(x->nl + 1, sizeof(*x->cls));
	x->stmt = calloc(x->nl + 1, sizeof(*x->stmt));
	x->on = calloc(x->nl + 1, sizeof(*x->on));
	x->mask = calloc(x->nl + 1, sizeof(*x->mask));
	return x->cls && x->stmt && x->on && x->mask ? 0 : -1;
}

/* Each line's class and top-level statement: a statement owns its line
 * and those up to the next statement (its block, blank lines). */
static void classify(struct shrink *x, const struct scn_program *p)
{
	size_t k = 0;

	for (size_t i = 0; i < x->nl; i++) {
		while (k < p->top.n && p->top.v[k]->line <= i + 1)
			k++;
		x->stmt[i] = (long)k - 1;
		if (blank_or_comment(x->fl.line[i], x->fl.len[i]))
			x->cls[i] = L_DROP;
		else if (k == 0 || is_option(x->fl.line[i], x->fl.len[i]))
			x->cls[i] = L_KEEP;
		else
			x->cls[i] = L_ITEM;
	}
}

static size_t build_text(struct shrink *x)
{
	for (size_t i = 0; i < x->nl; i++)
		x->mask[i] = x->cls[i] == L_KEEP ||
			     (x->cls[i] == L_ITEM && x->on[i]);
	return failure_lines_join(&x->fl, x->mask);
}

/* Parse and run the lines that are on: 1 when it fails with the
 * signature, 0 when not (or it does not parse), -1 when it could not
 * run. */
static int run_text(struct shrink *x)
{
	size_t n = build_text(x);
	struct scn_program *p;
	struct scn_diags d;
	int rc;

	if (scn_parse_with(x->fl.buf, n, x->origin, &x->lim, &p, &d))
		return 0;
	x->stmts = p->top.n;
	rc = scn_run(p, &x->ro, &x->r, x->err, x->errlen);
	scn_program_free(p);
	if (rc)
		return -1;
	return x->r.failed && !strcmp(x->r.fail_sig, x->sig);
}

static int still_fails(void *ctx, const bool *keep)
{
	struct shrink *x = ctx;

	for (size_t i = 0; i < x->nl; i++)
		x->on[i] = x->pass_lines ? keep[i] :
			   x->stmt[i] >= 0 && keep[x->stmt[i]];
	return run_text(x);
}

static unsigned count_items(const struct shrink *x)
{
	unsigned n = 0;

	for (size_t i = 0; i < x->nl; i++)
		n += x->cls[i] != L_DROP;
	return n;
}

static uint64_t at_most(uint64_t limit, uint64_t v)
{
	return v < limit ? v : limit;
}

/* The original run: its steps and time bound every candidate's. */
static int first_run(struct shrink *x, struct scn_shrink_result *res)
{
	struct timespec t0, t1;
	uint64_t ms;
	int rc;

	for (size_t i = 0; i < x->nl; i++)
		x->on[i] = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run_text(x);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc <= 0)
		return rc < 0 ? -1 : FAILURE_ENOTFAIL;
	ms = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
	     (uint64_t)(t1.tv_nsec / 1000000) - (uint64_t)(t0.tv_nsec / 1000000);
	res->steps_before = x->r.fail_step;
	x->lim.max_steps = at_most(x->lim.max_steps,
				   10 * ((uint64_t)x->r.steps + 100) + 1000);
	x->lim.max_ms = at_most(x->lim.max_ms, 10 * ms + 2000);
	return 0;
}

static int shrink_passes(struct shrink *x, const struct scn_program *p,
			 unsigned max_tests, struct scn_shrink_result *res)
{
	struct failure_ddmin_stats st;
	size_t n = p->top.n > x->nl ? p->top.n : x->nl;
	bool *keep = calloc(n + 1, sizeof(*keep));
	int rc = first_run(x, res);

	if (!keep || rc) {
		free(keep);
		return keep ? rc : -1;
	}
	for (size_t i = 0; i < p->top.n; i++)
		keep[i] = true;
	rc = failure_ddmin(p->top.n, still_fails, x, keep, max_tests, &res->st);
	for (size_t i = 0; !rc && i < x->nl; i++)
		x->on[i] = x->cls[i] == L_ITEM && x->stmt[i] >= 0 &&
			   keep[x->stmt[i]];
	if (!rc && res->st.tests < max_tests) {
		x->pass_lines = true;
		memcpy(keep, x->on, x->nl * sizeof(*keep));
		rc = failure_ddmin(x->nl, still_fails, x, keep,
				   max_tests - res->st.tests, &st);
		res->st.tests += st.tests;
		res->st.minimal = st.minimal;
		if (!rc)
			memcpy(x->on, keep, x->nl * sizeof(*keep));
	}
	free(keep);
	if (rc == FAILURE_ENOTFAIL)  /* cannot happen: the set failed before */
		rc = -1;
	return rc;
}

int scn_shrink(const char *text, size_t len, const char *origin,
	       const struct scn_run_opts *o, const char *sig,
	       unsigned max_tests, char **out, struct scn_shrink_result *res,
	       char *err, size_t errlen)
{
	struct shrink x = { .origin = origin, .o = o, .sig = sig, .err = err,
			    .errlen = errlen };
	struct scn_program *p = NULL;
	struct scn_diags d;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	*out = NULL;
	scn_limits_resolve(o->lim, &x.lim);
	x.ro = *o;
	x.ro.lim = &x.lim;
	x.ro.quiet = true;
	x.ro.trace = false;
	x.ro.bo.trace_path = NULL;
	x.ro.out = fopen("/dev/null", "w");
	if (!x.ro.out || split_lines(&x, text, len)) {
		snprintf(err, errlen, "out of host memory");
		goto out;
	}
	if (scn_parse_with(text, len, origin, &x.lim, &p, &d)) {
		snprintf(err, errlen, "%s", d.count ? d.msg[0] : "parse error");
		goto out;
	}
	classify(&x, p);
	res->lines_before = count_items(&x);
	res->stmts_before = p->top.n;
	rc = shrink_passes(&x, p, max_tests ? max_tests : DEFAULT_TESTS, res);
	if (rc == FAILURE_ENOTFAIL)
		snprintf(err, errlen, "the scenario does not fail with '%s' "
			 "when run again", sig);
	if (!rc) {
		for (size_t i = 0; i < x.nl; i++)
			x.on[i] = x.on[i] || x.cls[i] == L_KEEP;
		build_text(&x);
		for (size_t i = 0; i < x.nl; i++)
			res->lines_after += x.on[i] && x.cls[i] != L_DROP;
		/* the shrunk text's own failure step */
		if (run_text(&x) == 1)
			res->steps_after = x.r.fail_step;
		res->stmts_after = x.stmts;
		*out = strdup(x.fl.buf);
		if (!*out) {
			snprintf(err, errlen, "out of host memory");
			rc = -1;
		}
	}
out:
	scn_program_free(p);
	if (x.ro.out)
		fclose(x.ro.out);
	failure_lines_free(&x.fl);
	free(x.cls);
	free(x.stmt);
	free(x.on);
	free(x.mask);
	return rc;
}
