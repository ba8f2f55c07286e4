/* SPDX-License-Identifier: MIT */
/*
 * One of mmurun's workloads run (mmurun.h): a scenario (sw/scenario), a
 * seed (sw/regress, as mmuregress runs it) or a trace replayed through the
 * OS (sw/trace), into its row; the traces loaded once for every workload
 * that replays them; the progress lines on stderr.
 */
#include "mmurun.h"
#include "cover/cover.h"
#include "failure/failure.h"
#include "os/os.h"
#include "regress/regress.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_SECS 2.0

void row_start(struct report_row *r, const struct workload *w)
{
	report_row_init(r, w->index, kind_name[w->kind], w->name);
}

static double pct(uint64_t hit, uint64_t miss)
{
	return hit + miss ? 100.0 * (double)hit / (double)(hit + miss) : NAN;
}

static void row_counters(struct report_row *r, const struct mmu_counters *c)
{
	r->accesses = (double)c->accesses;
	r->cycles = c->cycles ? (double)c->cycles : NAN;
	r->tlb_hit = pct(c->tlb_hits, c->tlb_misses);
	r->l1_hit = pct(c->l1_hits, c->l1_misses);
	r->walks = (double)c->walks;
	r->rd_walk = c->walks ? (double)c->walk_reads / (double)c->walks : NAN;
	r->pf = (double)c->page_faults;
}

static void row_os(struct report_row *r, const struct os_stats *s)
{
	r->minor = (double)s->minor_faults;
	r->major = (double)s->major_faults;
	r->cow = (double)s->cow_copies;
	r->swap_in = (double)s->swap_ins;
	r->swap_out = (double)s->swap_outs;
}

/* ---- progress (stderr) ------------------------------------------------------- */

static void progress_start(struct ctx *x, const struct workload *w)
{
	x->cur = w;
	x->last = now();
	if (!x->c->quiet && w->kind != W_SCENARIO)
		fprintf(stderr, "mmurun: [%u/%u] %s:%s ...\n", x->pos + 1,
			x->total, kind_name[w->kind], w->name);
}

void progress_pieces(void *ctx, uint64_t done, uint64_t total)
{
	struct ctx *x = ctx;
	double t = now();

	if (x->c->quiet || t - x->last < PROGRESS_SECS || done == total)
		return;
	x->last = t;
	fprintf(stderr, "mmurun: [%u/%u] %s:%s %" PRIu64 "/%" PRIu64
		" accesses, %.0f s into the job\n", x->pos + 1, x->total,
		kind_name[x->cur->kind], x->cur->name, done, total, t - x->t0);
}

void progress_done(struct ctx *x, const struct workload *w,
		   const struct report_row *r)
{
	if (!r->ok)
		x->failed++;
	if (x->c->quiet)
		return;
	fprintf(stderr, "mmurun: [%u/%u] %s %s:%s %.1f s%s%s\n", x->pos + 1,
		x->total, r->ok ? "PASS" : "FAIL", kind_name[w->kind], w->name,
		r->secs, r->ok ? "" : ": ", r->ok ? "" :
		r->fail ? r->fail : "");
}

/* ---- scenarios ---------------------------------------------------------------------- */

/* The one failure report (sw/failure), with the log and the mmuos command
 * that re-runs the workload alone (args: "run FILE" or "replay FILE ..."). */
static void row_report(struct ctx *x, struct report_row *r, struct failure *f,
		       const char *head, const char *args, const char *wave)
{
	char rep[6144];

	snprintf(f->log, sizeof(f->log), "%s", r->log);
	snprintf(f->wave, sizeof(f->wave), "%s", wave ? wave : "");
	char inj[128];

	snprintf(f->rerun, sizeof(f->rerun), "%s/mmuos %s --backend %s%s%s",
		 x->self_dir, args, x->c->backend, x->c->wave ? " --wave" : "",
		 backend_inject_args(&x->c->bo, inj, sizeof(inj)));
	failure_format(f, rep, sizeof(rep));
	report_row_fail(r, "%s%s", head, rep);
}

/* A workload's back-end options: the injections, coverage, the wave. */
static struct backend_opts bo_of(const struct ctx *x, const char *wave)
{
	struct backend_opts bo = x->c->bo;

	bo.cover = x->cover;
	bo.trace_path = wave;
	return bo;
}

/* --wave: the workload's FST beside its log (NULL without --wave). */
static const char *wave_of(const struct ctx *x, const char *kind,
			   const struct workload *w, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s-%s.fst", x->logs, kind, w->name);
	return x->c->wave ? buf : NULL;
}

static void run_scenario(struct ctx *x, const struct workload *w,
			 struct report_row *r)
{
	struct scn_program *p;
	struct scn_diags d;
	char err[512], wave[720], args[700] = "run";
	struct scn_run_opts o = { .backend = x->c->backend,
				  .bo = bo_of(x, wave_of(x, "scenario", w, wave,
							      720)) };
	struct scn_result res = { 0 };
	struct failure f;
	FILE *log;

	backend_describe(x->c->backend, r->backend, sizeof(r->backend));
	snprintf(r->log, sizeof(r->log), "%s/scenario-%s.log", x->logs, w->name);
	if (scn_parse_file(w->path, &p, &d)) {
		report_row_fail(r, "%s", d.count ? d.msg[0] : "parse error");
		return;
	}
	log = fopen(r->log, "w");
	if (!log) {
		scn_program_free(p);
		report_row_fail(r, "cannot write %s: %s", r->log, strerror(errno));
		return;
	}
	o.out = log;
	if (scn_run(p, &o, &res, err, sizeof(err))) {
		report_row_fail(r, "cannot run: %s", err);
	} else if (res.failed || res.aborted) {
		snprintf(err, sizeof(err), "%u of %u checks failed%s\n",
			 res.failed, res.passed + res.failed,
			 res.aborted ? " (the run stopped)" : "");
		scn_failure(p, &res, &f);
		row_report(x, r, &f, err, failure_cmd_add(args, sizeof(args),
							  w->path), o.bo.trace_path);
	}
	if (res.have_stats) {
		row_counters(r, &res.mc);
		row_os(r, &res.os);
	}
	snprintf(r->detail, sizeof(r->detail), "%u steps, %u checks",
		 res.steps, res.passed + res.failed);
	fclose(log);
	scn_program_free(p);
}

/* ---- seeds (sw/regress, as mmuregress runs them) -------------------------------------- */

static void run_seed(struct ctx *x, const struct workload *w, struct report_row *r)
{
	char tool[600], checks[24] = "-";
	struct regress_seed_opts o = {
		.backend = x->c->backend, .cfg = &x->scfg[w->cfg],
		.steps = x->c->seed_ops, .logdir = x->logs, .tool = tool,
		.wave = x->c->wave,
		.progress = progress_pieces, .ctx = x,
		.bo = bo_of(x, NULL) };
	struct regress_result *res = malloc(sizeof(*res));

	if (!res) {
		report_row_fail(r, "out of host memory");
		return;
	}
	snprintf(tool, sizeof(tool), "%s/mmuregress", x->self_dir);
	regress_run_seed(&o, w->seed, res);
	backend_describe(x->c->backend, r->backend, sizeof(r->backend));
	row_counters(r, &res->c);
	snprintf(r->log, sizeof(r->log), "%s", res->log_path);
	if (!strncmp(x->c->backend, "lockstep", 8))
		snprintf(checks, sizeof(checks), "%" PRIu64, res->ls.calls);
	snprintf(r->detail, sizeof(r->detail), "%" PRIu64 " loads checked, %s "
		 "lockstep checks", res->st.loads_checked, checks);
	if (!res->ok)
		report_row_fail(r, "%s", res->report);
	free(res);
}

/* ---- traces ----------------------------------------------------------------------------- */

/* A trace that did not load: its first row's failure text, kept. */
static void keep_why(struct ctx *x, const char *path, const struct report_row *r)
{
	if (x->ncache && !strcmp(x->cache[x->ncache - 1].path, path) &&
	    r->fail)
		x->cache[x->ncache - 1].why = strdup(r->fail);
}

struct trace *get_trace(struct ctx *x, const char *path, struct report_row *r)
{
	struct trace_parse_opts po = { .max_records = x->c->records };
	struct trace_diags d;
	struct trace *t;

	for (unsigned i = 0; i < x->ncache; i++)
		if (!strcmp(x->cache[i].path, path)) {
			if (x->cache[i].t)
				return x->cache[i].t;
			/* the same rows whichever process runs it (-j) */
			if (x->cache[i].first == x->pos && x->cache[i].why)
				report_row_fail(r, "%s", x->cache[i].why);
			else
				report_row_fail(r, "%s did not load (its errors are "
						"on its first row)", path);
			return NULL;
		}
	if (x->ncache < MAX_TRACES) {
		snprintf(x->cache[x->ncache].path, sizeof(x->cache[0].path),
			 "%s", path);
		x->cache[x->ncache].first = x->pos;
		x->cache[x->ncache++].t = NULL;
	}
	if (!trace_load(path, &po, &t, &d) && !t->records) {
		trace_free(t);
		report_row_fail(r, "%s: no access records (an empty trace)", path);
		keep_why(x, path, r);
		return NULL;
	}
	if (!t) {
		char text[TRACE_MAX_DIAGS * TRACE_DIAG_LEN + 64] = "";
		size_t used = 0;
		unsigned shown = d.count < TRACE_MAX_DIAGS ? d.count
							   : TRACE_MAX_DIAGS;

		for (unsigned i = 0; i < shown; i++)
			used += (size_t)snprintf(text + used, sizeof(text) - used,
						 "%s\n", d.msg[i]);
		if (d.count > shown)
			snprintf(text + used, sizeof(text) - used,
				 "... and %u more\n", d.count - shown);
		report_row_fail(r, "%u malformed line(s) or I/O errors:\n%s", d.count,
				text);
		keep_why(x, path, r);
		return NULL;
	}
	if (x->ncache && !strcmp(x->cache[x->ncache - 1].path, path))
		x->cache[x->ncache - 1].t = t;
	return t;
}

static void run_trace(struct ctx *x, const struct workload *w, struct report_row *r)
{
	struct trace *t = get_trace(x, w->path, r);
	struct trace_run_opts o = { .backend = x->c->backend,
				    .bo = bo_of(x, NULL) };
	struct trace_stats st;
	struct failure f;
	char err[512], wave[720], args[900] = "replay";

	backend_describe(x->c->backend, r->backend, sizeof(r->backend));
	snprintf(r->log, sizeof(r->log), "%s/trace-%s.log", x->logs, w->name);
	if (!t || trace_std_opts(t, &x->cfg, x->c->mem_pct, w->index + 1, &o,
				 err, sizeof(err))) {
		if (t)
			report_row_fail(r, "%s", err);
		return;
	}
	o.bo.trace_path = wave_of(x, "trace", w, wave, sizeof(wave));
	o.replay.progress = (struct trace_progress){ progress_pieces, x, 16384 };
	if (trace_run(t, &o, &st, err, sizeof(err))) {
		report_row_fail(r, "cannot run: %s", err);
		return;
	}
	row_counters(r, &st.c);
	row_os(r, &st.os);
	if (!st.ok) {
		snprintf(err, sizeof(err), " --config %s --mem-pct %u --seed %u "
			 "--records %" PRIu64, x->cfg.name, x->c->mem_pct,
			 w->index + 1, x->c->records);
		trace_failure(t, &st, &f);
		failure_cmd_add(args, sizeof(args), w->path);
		row_report(x, r, &f, "", strcat(args, err), o.bo.trace_path);
	}
	snprintf(r->detail, sizeof(r->detail), "%s %" PRIu64 " records, %"
		 PRIu64 " pages in %" PRIu64 " frames, %" PRIu64 " regions, "
		 "fork at %" PRIu64, trace_format_str(t->format), t->records,
		 st.touched_pages, o.user_frames, st.regions, o.replay.fork_at);
	trace_log_write(r->log, w->name, w->path, t, &st, r->backend,
			o.user_frames, r->fail);
}

void run_one(struct ctx *x, const struct workload *w, struct report_row *r)
{
	double t0 = now();

	row_start(r, w);
	progress_start(x, w);
	switch (w->kind) {
	case W_SCENARIO: run_scenario(x, w, r); break;
	case W_SEED: run_seed(x, w, r); break;
	case W_TRACE: run_trace(x, w, r); break;
	case W_SWEEP_TLB: run_sweep_tlb(x, w, r); break;
	case W_SWEEP_L1: run_sweep_l1(x, w, r); break;
	default: run_sweep_mem(x, w, r); break;
	}
	r->secs = now() - t0;
}

