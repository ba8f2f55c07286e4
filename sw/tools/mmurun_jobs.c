/* SPDX-License-Identifier: MIT */
/*
 * mmurun's workloads -j N at a time (mmurun.h), each in a process of its
 * own (sw/jobs): the process sends back its row, its sweep.tsv lines and
 * its functional coverage; the parent files them by the workload's index,
 * so that the results, the sweep lines and the coverage are those of
 * -j 1, in the same order.
 */
#include "mmurun.h"
#include "cover/cover.h"
#include "jobs/jobs.h"

#include <stdlib.h>
#include <string.h>

/* A workload's result: its row (fail not a pointer there), then the
 * failure text, its sweep.tsv lines and its coverage (a coverage.tsv file
 * of its own). */
enum { P_FAIL, P_SWEEP, P_COVER, P_PARTS };

struct run_all {
	struct ctx *x;
	const struct workload *w;
	struct report_row *r;
	char **sweep;            /* each workload's sweep.tsv lines */
	char **cover;            /* each workload's coverage.tsv text */
};

/* Runs workload i with a sweep stream and a coverage set of its own. */
static int run_item(void *ctx, unsigned i, struct jobs_buf *out)
{
	struct run_all *a = ctx;
	struct report_row r;
	struct cover_set *whole = a->x->cover, *mine = NULL;
	char *part[P_PARTS] = { NULL, NULL, NULL };
	size_t len[P_PARTS] = { 0, 0, 0 };
	FILE *cf;
	int rc;

	a->x->pos = i;
	a->x->sweep = open_memstream(&part[P_SWEEP], &len[P_SWEEP]);
	if (!a->x->sweep)
		return -1;
	if (cover_new(&mine)) {
		fclose(a->x->sweep);
		free(part[P_SWEEP]);
		return -1;
	}
	a->x->cover = mine;
	run_one(a->x, &a->w[i], &r);
	a->x->cover = whole;
	fclose(a->x->sweep);
	cf = open_memstream(&part[P_COVER], &len[P_COVER]);
	rc = !cf || cover_write(mine, cf);
	if (cf)
		rc |= fclose(cf) != 0;
	cover_free(mine);
	part[P_FAIL] = r.fail;
	len[P_FAIL] = r.fail ? strlen(r.fail) : 0;
	r.fail = NULL;
	rc = rc || jobs_buf_put_parts(out, &r, sizeof(r),
				      (const char *const *)part, len, P_PARTS);
	for (int k = 0; k < P_PARTS; k++)
		free(part[k]);
	return rc;
}

static void item_done(void *ctx, unsigned i, const void *res, size_t len,
		      const char *err)
{
	struct run_all *a = ctx;
	struct report_row *r = &a->r[i];
	char *part[P_PARTS] = { NULL, NULL, NULL };

	if (!err && jobs_get_parts(res, len, r, sizeof(*r), part, P_PARTS))
		err = "its result came back incomplete";
	if (err) {
		row_start(r, &a->w[i]);
		snprintf(r->backend, sizeof(r->backend), "-");
		report_row_fail(r, "the workload did not finish: %s", err);
	} else {
		r->fail = part[P_FAIL][0] ? part[P_FAIL] : NULL;
		if (!r->fail)
			free(part[P_FAIL]);
		a->sweep[i] = part[P_SWEEP];
		a->cover[i] = part[P_COVER];
	}
	a->x->pos = i;
	progress_done(a->x, &a->w[i], r);
}

/* Workload i's coverage file (text; NULL when it did not finish, freed
 * here) added to the whole run's; a file that does not read fails r. */
static void merge_cover(struct ctx *x, unsigned i, char *text,
			struct report_row *r)
{
	char name[64], err[256];
	FILE *f = text ? fmemopen(text, strlen(text), "r") : NULL;

	snprintf(name, sizeof(name), "workload %u's coverage", i + 1);
	if (text && (!f || cover_read_file(x->cover, f, name, err,
					   sizeof(err))))
		report_row_fail(r, "%s", f ? err : "out of host memory");
	if (f)
		fclose(f);
	free(text);
}

/* The traces parsed once, here, for every process that replays them (a
 * trace that does not parse fails its workloads there). */
static void load_traces(struct ctx *x, const struct workload *w, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		if (w[i].kind >= W_TRACE) {
			struct report_row scratch;

			x->pos = i;
			row_start(&scratch, &w[i]);
			get_trace(x, w[i].path, &scratch);
			free(scratch.fail);
		}
}

/* Every workload, c->jobs at a time; the sweeps' lines into x->sweep in
 * the workloads' order, as a run of one at a time writes them. */
void run_workloads(struct ctx *x, const struct workload *w,
		   struct report_row *r, unsigned k)
{
	FILE *sweep = x->sweep;
	struct run_all a = { .x = x, .w = w, .r = r,
			     .sweep = calloc(k, sizeof(char *)),
			     .cover = calloc(k, sizeof(char *)) };
	struct jobs_opts o = { .workers = x->c->jobs, .item = run_item,
			       .done = item_done, .ctx = &a };
	char err[256];

	if (!a.sweep || !a.cover) {
		fprintf(stderr, "mmurun: out of host memory\n");
		exit(2);
	}
	load_traces(x, w, k);
	if (jobs_run(&o, k, err, sizeof(err)))
		fprintf(stderr, "mmurun: %s\n", err);
	x->sweep = sweep;
	for (unsigned i = 0; i < k; i++) {
		if (a.sweep[i])
			fputs(a.sweep[i], sweep);
		free(a.sweep[i]);
		merge_cover(x, i, a.cover[i], &r[i]);
	}
	free(a.sweep);
	free(a.cover);
}
