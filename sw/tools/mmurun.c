/* SPDX-License-Identifier: MIT */
/*
 * mmurun: the main job.  Builds nothing; runs the standard regression
 * through one back end (lockstep by default), the seeds on every
 * configuration, the rest on one (x86):
 *
 *   scenario:NAME    every .scn file of tests/scenarios (scenario library)
 *   seed:CFG-S       random seeds of the regression library (sw/regress,
 *                    what mmuregress runs), in-process, on every built-in
 *                    configuration (--seed-configs)
 *   trace:NAME       every real-program trace (tests/traces, build/traces)
 *                    replayed through the OS with memory pressure, a fork
 *                    half-way (copy-on-write) and swap
 *   sweep-tlb:NAME   the golden model over the trace for TLB sets x ways
 *   sweep-l1:NAME    ... for L1 sets x ways (VIPT-legal sizes)
 *   sweep-mem:NAME   page faults against memory size: the OS's clock
 *                    measured, FIFO/LRU/CLOCK/OPT on the same references
 *
 * -j N runs N workloads at a time, each in a process of its own (sw/jobs),
 * its row and sweep points sent back as bytes; the results are those of
 * -j 1, in the same order.  Progress goes to stderr; at the end a summary
 * table (stdout and OUT/summary.txt), OUT/summary.tsv, OUT/sweep.tsv
 * (the sweeps' points), OUT/report.html (the table and the plots,
 * sw/report) and OUT/junit.xml; logs in OUT/logs.  --shard I/N runs a
 * deterministic slice; --merge DIR... combines the slices' summary.tsv and
 * sweep.tsv into one table, JUnit file and report.  Exit status: 0
 * everything passed, 1 a check failed, 2 bad usage.
 * docs/running.md is the manual.
 */
#include "config/config.h"
#include "cli.h"
#include "backend/backend.h"
#include "cover/cover.h"
#include "jobs/jobs.h"
#include "os/os.h"
#include "regress/regress.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "trace/trace.h"
#include "../../sim/rtl_backend.h"
#include "../../sim/systemc/sc_backend.h"
#include "board/board_backend.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORK 1024
#define MAX_DIRS 8
#define MAX_TRACES 64
#define MAX_SEEDS 512   /* per configuration */
#define MAX_SEED_WORK 768 /* seeds x configurations: the list holds MAX_WORK */
#define MAX_SEED_CFGS 8
#define PROGRESS_SECS 2.0

enum wkind { W_SCENARIO, W_SEED, W_TRACE, W_SWEEP_TLB, W_SWEEP_L1,
	     W_SWEEP_MEM, W_KINDS };
static const char *const kind_name[W_KINDS] = {
	"scenario", "seed", "trace", "sweep-tlb", "sweep-l1", "sweep-mem" };

struct workload {
	enum wkind kind;
	char name[96];
	char path[512];
	uint64_t seed;
	unsigned cfg;    /* seeds: which of the seed configurations */
	unsigned index;  /* in the whole list (before sharding) */
};

/*
 * The summary's numeric columns, in order: the field of struct row (and
 * its summary.tsv header), the table's heading and its width, the width
 * and format of the table's cells (a percentage's "%" sign comes after the
 * width), the TSV's decimals.  Everything that prints or reads a row goes
 * by this.
 */
#define ROW_NUMS(X)                                                         \
	X(accesses, "accesses", 10, 10, " %*.0f",   0)                      \
	X(cycles,   "cycles",   11, 11, " %*.0f",   0)                      \
	X(tlb_hit,  "tlb-hit",   7,  6, " %*.1f%%", 3)                      \
	X(l1_hit,   "l1-hit",    7,  6, " %*.1f%%", 3)                      \
	X(walks,    "walks",     8,  8, " %*.0f",   0)                      \
	X(rd_walk,  "rd/walk",   7,  7, " %*.2f",   3)                      \
	X(pf,       "#PF",       7,  7, " %*.0f",   0)                      \
	X(minor,    "minor",     7,  7, " %*.0f",   0)                      \
	X(major,    "major",     6,  6, " %*.0f",   0)                      \
	X(cow,      "cow",       6,  6, " %*.0f",   0)                      \
	X(swap_in,  "sw-in",     6,  6, " %*.0f",   0)                      \
	X(swap_out, "sw-out",    6,  6, " %*.0f",   0)

/* One row of the summary; NAN = not known for this kind of workload. */
struct row {
	char backend[32];
#define ROW_FIELD(f, head, hw, w, fmt, prec) double f;
	ROW_NUMS(ROW_FIELD)
#undef ROW_FIELD
	bool ok;
	double secs;
	char detail[200];
	char log[700];
	char *fail;      /* failure text (malloc'd) */
};

struct cli {
	const char *backend, *config, *out, *only, *scn_dir, *seed_cfgs;
	const char *trace_dirs[MAX_DIRS];
	unsigned ntrace_dirs, seeds, mem_pct, shard_i, shard_n;
	unsigned jobs;         /* -j: workloads in parallel processes */
	uint64_t records, seed_ops;
	bool no_scn, no_seeds, no_traces, no_sweeps, list, quiet, wave;
	struct backend_opts bo;  /* --inject-rule: the checker's self-test */
	bool merge;            /* the positional arguments are shard folders */
	const char *merge_dirs[MAX_WORK];
	unsigned nmerge;
};

struct tcache {
	char path[512];
	struct trace *t;       /* NULL: it did not load (said once) */
	unsigned first;        /* the workload whose row says why */
	char *why;             /* ... and what it says */
};

struct ctx {
	struct cli *c;
	struct mmu_config cfg;
	struct mmu_config scfg[MAX_SEED_CFGS];  /* the seeds' configurations */
	unsigned nscfg;
	char out[400], logs[512], self_dir[512];
	FILE *sweep;
	struct tcache cache[MAX_TRACES];
	unsigned ncache;
	/* progress */
	unsigned pos, total, failed;
	double t0, last;
	const struct workload *cur;
	struct cover_set *cover;  /* functional coverage of every workload */
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void row_init(struct row *r)
{
	memset(r, 0, sizeof(*r));
#define ROW_UNKNOWN(f, head, hw, w, fmt, prec) r->f = NAN;
	ROW_NUMS(ROW_UNKNOWN)
#undef ROW_UNKNOWN
	r->ok = true;
}

static void row_fail(struct row *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void row_fail(struct row *r, const char *fmt, ...)
{
	va_list ap;
	char buf[4096];

	r->ok = false;
	if (r->fail)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->fail = strdup(buf);
}

static double pct(uint64_t hit, uint64_t miss)
{
	return hit + miss ? 100.0 * (double)hit / (double)(hit + miss) : NAN;
}

static void row_counters(struct row *r, const struct mmu_counters *c)
{
	r->accesses = (double)c->accesses;
	r->cycles = c->cycles ? (double)c->cycles : NAN;
	r->tlb_hit = pct(c->tlb_hits, c->tlb_misses);
	r->l1_hit = pct(c->l1_hits, c->l1_misses);
	r->walks = (double)c->walks;
	r->rd_walk = c->walks ? (double)c->walk_reads / (double)c->walks : NAN;
	r->pf = (double)c->page_faults;
}

static void row_os(struct row *r, const struct os_stats *s)
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

static void progress_pieces(void *ctx, uint64_t done, uint64_t total)
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

static void progress_done(struct ctx *x, const struct workload *w,
			  const struct row *r)
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

/* ---- files -------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && !strcmp(s + n - k, suf);
}

/* Sorted names of dir's files that end with one of the suffixes. */
static unsigned list_dir(const char *dir, const char *const *suf,
			 char **names, unsigned max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		for (const char *const *s = suf; *s; s++)
			if (has_suffix(e->d_name, *s)) {
				names[n] = strdup(e->d_name);
				n += names[n] != NULL; /* out of memory: left out */
				break;
			}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

/* ---- the workload list ---------------------------------------------------------- */

static void add_work(struct workload *w, unsigned *n, enum wkind k,
		     const char *name, const char *path, uint64_t seed)
{
	if (*n >= MAX_WORK)
		return;
	w[*n] = (struct workload){ .kind = k, .seed = seed, .index = *n };
	snprintf(w[*n].name, sizeof(w[*n].name), "%s", name);
	snprintf(w[*n].path, sizeof(w[*n].path), "%s", path ? path : "");
	(*n)++;
}

static bool trace_name_used(const struct workload *w, unsigned n,
			    const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (w[i].kind == W_TRACE && !strcmp(w[i].name, name))
			return true;
	return false;
}

static unsigned build_list(const struct cli *c, const struct ctx *x,
			   struct workload *w)
{
	static const char *const scn_suf[] = { ".scn", NULL };
	static const char *const tr_suf[] = { ".lackey", ".din", ".lackey.gz",
					      ".din.gz", NULL };
	char *names[MAX_WORK];
	unsigned n = 0, k, first_trace;

	if (!c->no_scn) {
		k = list_dir(c->scn_dir, scn_suf, names, MAX_WORK);
		for (unsigned i = 0; i < k; i++) {
			char path[600], name[96];

			snprintf(path, sizeof(path), "%s/%s", c->scn_dir, names[i]);
			snprintf(name, sizeof(name), "%.*s",
				 (int)(strlen(names[i]) - 4), names[i]);
			add_work(w, &n, W_SCENARIO, name, path, 0);
			free(names[i]);
		}
	}
	/* seed-major, so that --seeds 1 and every shard cover every
	 * configuration */
	if (!c->no_seeds)
		for (unsigned s = 1; s <= c->seeds; s++)
			for (unsigned k = 0; k < x->nscfg; k++) {
				char name[96];

				snprintf(name, sizeof(name), "%s-%u",
					 x->scfg[k].name, s);
				add_work(w, &n, W_SEED, name, NULL, s);
				w[n - 1].cfg = k;
			}
	first_trace = n;
	if (!c->no_traces || !c->no_sweeps)
		for (unsigned d = 0; d < c->ntrace_dirs; d++) {
			k = list_dir(c->trace_dirs[d], tr_suf, names, MAX_TRACES);
			for (unsigned i = 0; i < k; i++) {
				char path[600], name[96], first[96];
				const char *base = names[i];
				size_t len = strcspn(base, ".");

				snprintf(path, sizeof(path), "%s/%s",
					 c->trace_dirs[d], base);
				snprintf(name, sizeof(name), "%.*s", (int)len, base);
				if (trace_name_used(w + first_trace, n - first_trace,
						    name)) {
					snprintf(first, sizeof(first), "%s", name);
					snprintf(name, sizeof(name), "%.60s-%u",
						 first, d + 1);
				}
				add_work(w, &n, W_TRACE, name, path, 0);
				free(names[i]);
			}
		}
	/* the sweeps of every trace, after all traces */
	k = n;
	for (unsigned i = first_trace; i < k; i++) {
		if (c->no_sweeps)
			break;
		add_work(w, &n, W_SWEEP_TLB, w[i].name, w[i].path, 0);
		add_work(w, &n, W_SWEEP_L1, w[i].name, w[i].path, 0);
		add_work(w, &n, W_SWEEP_MEM, w[i].name, w[i].path, 0);
	}
	if (c->no_traces) {
		unsigned m = 0;

		for (unsigned i = 0; i < n; i++)
			if (w[i].kind != W_TRACE)
				w[m++] = w[i];
		n = m;
	}
	/* --only: a substring of "kind:name" */
	if (c->only) {
		unsigned m = 0;

		for (unsigned i = 0; i < n; i++) {
			char id[128];

			snprintf(id, sizeof(id), "%s:%s", kind_name[w[i].kind],
				 w[i].name);
			if (strstr(id, c->only))
				w[m++] = w[i];
		}
		n = m;
	}
	for (unsigned i = 0; i < n; i++)
		w[i].index = i;
	return n;
}

/* ---- scenarios ---------------------------------------------------------------------- */

/* The one failure report (sw/failure), with the log and the mmuos command
 * that re-runs the workload alone (args: "run FILE" or "replay FILE ..."). */
static void row_report(struct ctx *x, struct row *r, struct failure *f,
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
	row_fail(r, "%s%s", head, rep);
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
			 struct row *r)
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
		row_fail(r, "%s", d.count ? d.msg[0] : "parse error");
		return;
	}
	log = fopen(r->log, "w");
	if (!log) {
		scn_program_free(p);
		row_fail(r, "cannot write %s: %s", r->log, strerror(errno));
		return;
	}
	o.out = log;
	if (scn_run(p, &o, &res, err, sizeof(err))) {
		row_fail(r, "cannot run: %s", err);
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

static void run_seed(struct ctx *x, const struct workload *w, struct row *r)
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
		row_fail(r, "out of host memory");
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
		row_fail(r, "%s", res->report);
	free(res);
}

/* ---- traces ----------------------------------------------------------------------------- */

/* A trace that did not load: its first row's failure text, kept. */
static void keep_why(struct ctx *x, const char *path, const struct row *r)
{
	if (x->ncache && !strcmp(x->cache[x->ncache - 1].path, path) &&
	    r->fail)
		x->cache[x->ncache - 1].why = strdup(r->fail);
}

static struct trace *get_trace(struct ctx *x, const char *path, struct row *r)
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
				row_fail(r, "%s", x->cache[i].why);
			else
				row_fail(r, "%s did not load (its errors are "
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
		row_fail(r, "%s: no access records (an empty trace)", path);
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
		row_fail(r, "%u malformed line(s) or I/O errors:\n%s", d.count,
			 text);
		keep_why(x, path, r);
		return NULL;
	}
	if (x->ncache && !strcmp(x->cache[x->ncache - 1].path, path))
		x->cache[x->ncache - 1].t = t;
	return t;
}

static void run_trace(struct ctx *x, const struct workload *w, struct row *r)
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
			row_fail(r, "%s", err);
		return;
	}
	o.bo.trace_path = wave_of(x, "trace", w, wave, sizeof(wave));
	o.replay.progress = (struct trace_progress){ progress_pieces, x, 16384 };
	if (trace_run(t, &o, &st, err, sizeof(err))) {
		row_fail(r, "cannot run: %s", err);
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

/* ---- sweeps (golden model) ----------------------------------------------------------------- */

static int set_key(struct mmu_config *c, const char *key, uint64_t v,
		   struct row *r)
{
	char val[24], err[256];

	snprintf(val, sizeof(val), "%" PRIu64, v);
	if (mmu_config_set(c, key, val, err, sizeof(err))) {
		row_fail(r, "%s=%s: %s", key, val, err);
		return -1;
	}
	return 0;
}

/* One golden replay; adds its accesses to the row. */
static int sweep_run(const struct trace *t,
		     struct trace_run_opts *o, struct trace_stats *st,
		     struct row *r, const char *what)
{
	char err[512];

	o->backend = "golden";
	o->replay.code_file = true;
	if (trace_run(t, o, st, err, sizeof(err))) {
		row_fail(r, "%s: cannot run: %s", what, err);
		return -1;
	}
	if (!st->ok) {
		row_fail(r, "%s: %s", what, st->fail);
		return -1;
	}
	r->accesses = (isnan(r->accesses) ? 0 : r->accesses) +
		      (double)st->c.accesses;
	return 0;
}

/* A sweep of one cache-like structure's geometry: sets x ways. */
struct geometry_sweep {
	const char *what;          /* "tlb" or "l1": the sweep.tsv kind */
	const char *sets_key, *ways_key;
	uint64_t min_sets, max_sets;
};

static const struct geometry_sweep tlb_sweep = {
	"tlb", "tlb_sets", "tlb_ways", 1, 1024 };
static const struct geometry_sweep l1_sweep = {
	"l1", "l1_sets", "l1_ways", 8, 1024 };

/* Whether a geometry is part of the sweep; *size is its x value in
 * sweep.tsv (TLB entries, L1 bytes). */
static bool geometry_ok(const struct geometry_sweep *gs,
			const struct mmu_config *c, uint64_t sets,
			unsigned ways, uint64_t *size)
{
	if (gs == &tlb_sweep) {
		*size = sets * ways;
		return *size >= 4 && *size <= 1024;
	}
	/* VIPT: index and offset inside the page offset */
	*size = sets * ways * c->l1_line;
	return sets * c->l1_line <= (1ull << c->page_shift);
}

static void run_sweep_geometry(struct ctx *x, const struct workload *w,
			       struct row *r, const struct geometry_sweep *gs)
{
	static const unsigned ways[] = { 1, 2, 4, 8, 16, 32 };
	struct trace *t = get_trace(x, w->path, r);
	unsigned runs = 0;

	snprintf(r->backend, sizeof(r->backend), "golden");
	if (!t)
		return;
	for (size_t k = 0; k < sizeof(ways) / sizeof(ways[0]); k++)
		for (uint64_t sets = gs->min_sets; sets <= gs->max_sets;
		     sets *= 2) {
			struct mmu_config c = x->cfg;
			struct trace_run_opts o = { .cfg = &c };
			struct trace_stats st;
			uint64_t size, hits, misses;
			char what[64];

			if (!geometry_ok(gs, &c, sets, ways[k], &size))
				continue;
			snprintf(what, sizeof(what), "%s %" PRIu64 "x%u",
				 gs->what, sets, ways[k]);
			if (set_key(&c, gs->sets_key, sets, r) ||
			    set_key(&c, gs->ways_key, ways[k], r) ||
			    sweep_run(t, &o, &st, r, what))
				return;
			hits = gs == &tlb_sweep ? st.c.tlb_hits : st.c.l1_hits;
			misses = gs == &tlb_sweep ? st.c.tlb_misses
						  : st.c.l1_misses;
			fprintf(x->sweep, "%s\t%s\t%" PRIu64 "\t%u\t%" PRIu64
				"\t%" PRIu64 "\t%" PRIu64 "\n", gs->what,
				w->name, sets, ways[k], size, hits + misses,
				misses);
			runs++;
		}
	if (gs == &tlb_sweep)
		snprintf(r->detail, sizeof(r->detail), "%u TLB geometries "
			 "(sets x ways, 4..1024 entries)", runs);
	else
		snprintf(r->detail, sizeof(r->detail), "%u L1 geometries (sets "
			 "x ways, %" PRIu64 "-byte lines, VIPT-legal)", runs,
			 x->cfg.l1_line);
}

static void run_sweep_mem(struct ctx *x, const struct workload *w,
			  struct row *r)
{
	static const unsigned pcts[] = { 5, 10, 15, 20, 30, 40, 50, 60, 70,
					 80, 90, 100 };
	static const enum trace_policy pol[] = {
		TRACE_POL_FIFO, TRACE_POL_LRU, TRACE_POL_CLOCK, TRACE_POL_OPT };
	struct trace *t = get_trace(x, w->path, r);
	struct trace_layout lay;
	struct trace_refs refs;
	uint64_t last = 0;
	unsigned runs = 0;
	char err[256];

	snprintf(r->backend, sizeof(r->backend), "golden");
	if (!t)
		return;
	if (trace_layout(t, &x->cfg, NULL, &lay, err, sizeof(err))) {
		row_fail(r, "%s", err);
		return;
	}
	if (trace_refs_build(t, &lay, (unsigned)x->cfg.page_shift, &refs)) {
		trace_layout_free(&lay);
		row_fail(r, "out of memory for the reference string");
		return;
	}
	r->minor = r->major = r->swap_in = r->swap_out = 0;
	for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		uint64_t f = (lay.touched_pages * pcts[k] + 50) / 100;
		struct trace_run_opts o = { .cfg = &x->cfg, .user_frames = f,
					    .no_zero_page = true,
					    .replay.preload_tables = true };
		struct trace_stats st;
		uint64_t opt = 0;
		char what[64];

		if (f < 4)
			f = o.user_frames = 4;
		if (f == last)
			continue;
		last = f;
		snprintf(what, sizeof(what), "%" PRIu64 " frames", f);
		if (sweep_run(t, &o, &st, r, what))
			break;
		if (st.user_frames != f) {
			row_fail(r, "%s: the OS had %" PRIu64 " frames for user "
				 "pages", what, st.user_frames);
			break;
		}
		fprintf(x->sweep, "mem\t%s\t%" PRIu64 "\tos-clock\t%" PRIu64
			"\t%zu\t%zu\n", w->name, f, st.page_ins, refs.n,
			refs.distinct);
		for (size_t p = 0; p < sizeof(pol) / sizeof(pol[0]); p++) {
			uint64_t faults;

			if (trace_policy_faults(&refs, pol[p], f, &faults)) {
				row_fail(r, "%s: %s: out of memory", what,
					 trace_policy_str(pol[p]));
				break;
			}
			if (pol[p] == TRACE_POL_OPT)
				opt = faults;
			fprintf(x->sweep, "mem\t%s\t%" PRIu64 "\t%s\t%" PRIu64
				"\t%zu\t%zu\n", w->name, f,
				trace_policy_str(pol[p]), faults, refs.n,
				refs.distinct);
		}
		/* Belady's OPT is a lower bound for any policy */
		if (st.page_ins < opt)
			row_fail(r, "%s: the OS paged in %" PRIu64 " pages, "
				 "fewer than Belady's OPT (%" PRIu64 "): the "
				 "count is wrong", what, st.page_ins, opt);
		r->minor += (double)st.os.minor_faults;
		r->major += (double)st.os.major_faults;
		r->swap_in += (double)st.os.swap_ins;
		r->swap_out += (double)st.os.swap_outs;
		runs++;
	}
	snprintf(r->detail, sizeof(r->detail), "%u memory sizes (up to %"
		 PRIu64 " frames), %zu references to %zu pages", runs,
		 lay.touched_pages, refs.n, refs.distinct);
	trace_refs_free(&refs);
	trace_layout_free(&lay);
}

/* ---- the summary -------------------------------------------------------------------------- */

static void cell(FILE *f, int width, double v, const char *fmt)
{
	if (isnan(v))
		fprintf(f, " %*s", width, "-");
	else
		fprintf(f, fmt, width, v);
}

static void print_table(FILE *f, const struct workload *w,
			const struct row *r, unsigned n)
{
	double tacc = 0, tsec = 0;
	unsigned failed = 0;

	fprintf(f, "%-26s %-11s", "workload", "backend");
#define ROW_HEAD(fl, head, hw, w, fmt, prec) fprintf(f, " %*s", hw, head);
	ROW_NUMS(ROW_HEAD)
#undef ROW_HEAD
	fprintf(f, " %-5s %7s %8s\n", "check", "time", "kacc/s");
	for (unsigned i = 0; i < n; i++) {
		char id[128];

		snprintf(id, sizeof(id), "%s:%s", kind_name[w[i].kind],
			 w[i].name);
		fprintf(f, "%-26.26s %-11.11s", id, r[i].backend);
#define ROW_CELL(fl, head, hw, w, fmt, prec) cell(f, w, r[i].fl, fmt);
		ROW_NUMS(ROW_CELL)
#undef ROW_CELL
		fprintf(f, " %-5s %6.1fs", r[i].ok ? "PASS" : "FAIL", r[i].secs);
		cell(f, 8, isnan(r[i].accesses) || r[i].secs <= 0 ? NAN :
		     r[i].accesses / r[i].secs / 1e3, " %*.1f");
		fprintf(f, "\n");
		if (!isnan(r[i].accesses))
			tacc += r[i].accesses;
		tsec += r[i].secs;
		failed += !r[i].ok;
	}
	/* the total of the accesses, the other columns blank */
	fprintf(f, "%-26s %-11s", "total", "");
#define ROW_TOTAL(fl, head, hw, w, fmt, prec)                               \
	if (&r->fl == &r->accesses)                                          \
		fprintf(f, " %*.0f", w, tacc);                               \
	else                                                                 \
		fprintf(f, " %*s", hw, "");
	ROW_NUMS(ROW_TOTAL)
#undef ROW_TOTAL
	fprintf(f, " %-5s %6.1fs\n\nColumns:\n", failed ? "FAIL" : "PASS", tsec);
#define ROW_DOC(fl, head, hw, w, fmt, prec) \
	report_text_wrap(f, head, report_column_doc(#fl), 100);
	ROW_NUMS(ROW_DOC)
#undef ROW_DOC
	report_text_wrap(f, "Sums:", report_columns_sum, 100);
}

static void tsv_num(FILE *f, double v, int prec)
{
	if (isnan(v))
		fputs("\t-", f);
	else
		fprintf(f, "\t%.*f", prec, v);
}

/* Text in a TSV cell: a tab becomes a space, a newline "\\n" and a
 * backslash "\\\\", so that --merge gets the failure text back whole. */
static void tsv_text(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s == '\t' ? ' ' : *s, f);
	}
}

/* The inverse of tsv_text, in place. */
static void tsv_untext(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			*d++ = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			*d++ = *s;
		}
	}
	*d = 0;
}

static int write_tsv(const char *path, const struct workload *w,
		     const struct row *r, unsigned n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("index\tkind\tname\tbackend", f);
#define ROW_TSV_HEAD(fl, head, hw, w, fmt, prec) fputs("\t" #fl, f);
	ROW_NUMS(ROW_TSV_HEAD)
#undef ROW_TSV_HEAD
	fputs("\tcheck\tsecs\tdetail\tfail\tlog\n", f);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "%u\t%s\t%s\t%s", w[i].index, kind_name[w[i].kind],
			w[i].name, r[i].backend[0] ? r[i].backend : "-");
#define ROW_TSV(fl, head, hw, w, fmt, prec) tsv_num(f, r[i].fl, prec);
		ROW_NUMS(ROW_TSV)
#undef ROW_TSV
		fprintf(f, "\t%s\t%.3f", r[i].ok ? "PASS" : "FAIL", r[i].secs);
		tsv_text(f, r[i].detail);
		tsv_text(f, r[i].fail ? r[i].fail : "-");
		tsv_text(f, r[i].log[0] ? r[i].log : "-");
		fputc('\n', f);
	}
	return fclose(f);
}

/* ---- --merge: shards' results into one ------------------------------------------------ */

static double num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return end == s ? NAN : v;
}

static bool kind_of(const char *name, enum wkind *k)
{
	for (int i = 0; i < W_KINDS; i++)
		if (!strcmp(name, kind_name[i])) {
			*k = (enum wkind)i;
			return true;
		}
	return false;
}

/* Column positions of summary.tsv, found by name in its header. */
#define ROW_COL(fl, head, hw, w, fmt, prec) C_##fl,
enum tcol { C_INDEX, C_KIND, C_NAME, C_BACKEND, ROW_NUMS(ROW_COL)
	    C_CHECK, C_SECS, C_DETAIL, C_FAIL, C_LOG, C_COLS };
#undef ROW_COL
#define ROW_COL_NAME(fl, head, hw, w, fmt, prec) #fl,
static const char *const tcol_name[C_COLS] = {
	"index", "kind", "name", "backend", ROW_NUMS(ROW_COL_NAME)
	"check", "secs", "detail", "fail", "log" };
#undef ROW_COL_NAME

static unsigned split_tabs(char *line, char **f, unsigned max)
{
	unsigned n = 0;

	line[strcspn(line, "\r\n")] = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	return n;
}

static double tsv_num_in(const char *s)
{
	return !strcmp(s, "-") ? NAN : num(s);
}

/* One summary.tsv row into a workload and a row; false if malformed. */
static bool merge_row(char **f, unsigned nf, const int *col,
		      struct workload *w, struct row *r)
{
	const char *v[C_COLS] = { 0 };

	for (int c = 0; c < C_COLS; c++)
		if (col[c] >= 0 && (unsigned)col[c] < nf)
			v[c] = f[col[c]];
	if (!v[C_KIND] || !v[C_NAME] || !v[C_CHECK] ||
	    !kind_of(v[C_KIND], &w->kind))
		return false;
	row_init(r);
	memset(w->path, 0, sizeof(w->path));
	/* the index in the whole list, so the merge restores its order */
	w->index = v[C_INDEX] && !isnan(num(v[C_INDEX])) ?
		   (unsigned)num(v[C_INDEX]) : MAX_WORK;
	snprintf(w->name, sizeof(w->name), "%s", v[C_NAME]);
	snprintf(r->backend, sizeof(r->backend), "%s",
		 v[C_BACKEND] ? v[C_BACKEND] : "-");
#define ROW_READ(fl, head, hw, w, fmt, prec) \
	if (v[C_##fl])                          \
		r->fl = tsv_num_in(v[C_##fl]);
	ROW_NUMS(ROW_READ)
#undef ROW_READ
	r->secs = v[C_SECS] ? tsv_num_in(v[C_SECS]) : 0;
	if (isnan(r->secs))
		r->secs = 0;
	r->ok = !strcmp(v[C_CHECK], "PASS");
	if (v[C_DETAIL])
		snprintf(r->detail, sizeof(r->detail), "%s", v[C_DETAIL]);
	if (v[C_LOG] && strcmp(v[C_LOG], "-"))
		snprintf(r->log, sizeof(r->log), "%s", v[C_LOG]);
	if (!r->ok) {
		char *t = strdup(v[C_FAIL] && strcmp(v[C_FAIL], "-") ?
				 v[C_FAIL] : "failed (no text in the shard)");

		if (t)
			tsv_untext(t);
		r->fail = t;
	}
	return true;
}

/* Appends DIR/summary.tsv's rows; returns the number of malformed lines,
 * or -1 when the file cannot be read. */
static int merge_summary(const char *dir, struct workload *w, struct row *r,
			 unsigned *n)
{
	char path[700], line[8192], *f[32];
	int col[C_COLS], bad_lines = 0;
	unsigned lineno = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/summary.tsv", dir);
	in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "mmurun: --merge: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	for (int c = 0; c < C_COLS; c++)
		col[c] = -1;
	while (fgets(line, sizeof(line), in)) {
		unsigned nf = split_tabs(line, f, 32);

		lineno++;
		if (lineno == 1) {
			for (unsigned i = 0; i < nf; i++)
				for (int c = 0; c < C_COLS; c++)
					if (!strcmp(f[i], tcol_name[c]))
						col[c] = (int)i;
			continue;
		}
		if (*n >= MAX_WORK || !merge_row(f, nf, col, &w[*n], &r[*n])) {
			fprintf(stderr, "mmurun: --merge: %s:%u: %s; skipped\n",
				path, lineno, *n >= MAX_WORK ? "too many workloads"
				: "not a summary row");
			bad_lines++;
			continue;
		}
		(*n)++;
	}
	fclose(in);
	return bad_lines;
}

/* Appends DIR/sweep.tsv's lines (without its header) to out. */
static int merge_sweep(const char *dir, FILE *out)
{
	char path[700], line[1024];
	FILE *in;

	snprintf(path, sizeof(path), "%s/sweep.tsv", dir);
	in = fopen(path, "r");
	if (!in)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), in))
		if (strncmp(line, "kind\t", 5))
			fputs(line, out);
	fclose(in);
	return 0;
}

static int write_junit(const char *path, const struct cli *c,
		       const struct workload *w, const struct row *r,
		       unsigned n)
{
	struct report_junit_case *jc = calloc(n + 1, sizeof(*jc));
	char (*cls)[32] = calloc(n + 1, sizeof(*cls));
	char (*out)[sizeof(r->detail) + sizeof(r->log) + 8] =
		calloc(n + 1, sizeof(*out));
	char desc[32], host[128] = "", shard[32], suite[48];
	const char *props[] = { "backend", backend_describe(c->backend, desc,
				sizeof(desc)), "config", c->config, "shard",
				shard, "host", host, NULL };
	struct report_junit_suite s = { .name = "mmurun", .suite = suite,
					.props = props };
	FILE *f = jc && cls && out ? fopen(path, "w") : NULL;
	int rc = -1;

	if (f) {
		gethostname(host, sizeof(host) - 1);
		snprintf(shard, sizeof(shard), "%u/%u", c->shard_i, c->shard_n);
		snprintf(suite, sizeof(suite), "mmurun.shard%u", c->shard_i);
		for (unsigned i = 0; i < n; i++) {
			snprintf(cls[i], sizeof(cls[i]), "mmurun.%s",
				 kind_name[w[i].kind]);
			snprintf(out[i], sizeof(out[i]), "%s%s%s", r[i].detail,
				 r[i].log[0] ? "\nlog: " : "", r[i].log);
			jc[i] = (struct report_junit_case){
				.classname = cls[i], .name = w[i].name,
				.secs = r[i].secs, .out = out[i],
				.failure = r[i].ok ? NULL :
					   r[i].fail ? r[i].fail : "failed" };
		}
		rc = report_junit(f, &s, jc, n);
		rc |= fclose(f);
	}
	free(jc);
	free(cls);
	free(out);
	return rc;
}

/* ---- the command line --------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmurun [--backend lockstep|golden|rtl] [--config NAME]\n"
		"              [--out DIR] [--shard I/N] [--only TEXT] [--list]\n"
		"              [--scenarios DIR] [--traces DIR]... [--records N]\n"
		"              [--mem-pct P] [--seeds N] [--seed-ops N]\n"
		"              [--seed-configs NAME,NAME...]\n"
		"              [--no-scenarios] [--no-seeds] [--no-traces]\n"
		"              [--no-sweeps] [--quick] [--quiet] [--wave] [-j N]\n"
		"              [--inject-rule no-wp|no-invlpg]\n"
		"       mmurun --merge [--out DIR] SHARD_DIR...\n"
		"The main job: the scenario suite, random seeds (mmuregress's, run\n"
		"in-process), real-program traces replayed through the OS, and\n"
		"golden-model sweeps of TLB, L1 and memory size over the traces.\n"
		"Defaults: lockstep, x86 (scenarios, traces, sweeps), seeds on every\n"
		"built-in configuration (the --config one first), OUT build/run\n"
		"(build/run/shard-IofN with --shard), traces from tests/traces and\n"
		"build/traces, 250000 records per trace, user memory 60%% of a\n"
		"trace's pages, 4 seeds of 300000 steps per configuration.\n"
		"--quick: 1 seed of 50000 steps, 40000 records (sweeps too).\n"
		"-j N (--jobs N): N workloads at a time, each in its own process\n"
		"(default: the machine's cores); the results are those of -j 1.\n"
		"Writes OUT/summary.txt, summary.tsv, sweep.tsv, report.html,\n"
		"junit.xml, logs/.  --merge combines the shards' summary.tsv and\n"
		"sweep.tsv into OUT (default build/run/merged) and writes the same\n"
		"table, JUnit file and report for the whole.\n"
		"--wave: each workload's RTL waveform, OUT/logs/KIND-NAME.fst; a\n"
		"failure's report names it and the cycle of the mismatch, with the\n"
		"command that re-runs the workload alone (docs/verification.md);\n"
		"--inject-rule breaks a rule in lockstep's DUT (a self-test).\n"
		"Exit status 0 all passed, 1 a check failed, 2 bad usage.\n"
		"See docs/running.md.\n");
}

static int bad(const char *what, const char *arg)
{
	return cli_error("mmurun", "bad %s '%s'", what, arg ? arg : "");
}

#define NUM(lo, hi, dst) CLI_NUM("mmurun", a, v, lo, hi, dst)

static const char *const valued_opts[] = {
	"--backend", "--config", "--out", "--shard", "--only", "--traces",
	"--records", "--seeds", "--seed-ops", "--mem-pct", "--scenarios",
	"--seed-configs", "-j", "--jobs", "--inject-rule", NULL };

static int parse_args(int argc, char **argv, struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool valued = true;

		if (!strcmp(a, "--backend") && v) {
			char err[256];

			if (backend_available(v, err, sizeof(err)))
				return cli_error("mmurun", "--backend %s: %s", v,
						 err);
			c->backend = v;
		} else if (!strcmp(a, "--config") && v) {
			c->config = v;
		} else if (!strcmp(a, "--out") && v) {
			c->out = v;
		} else if (!strcmp(a, "--only") && v) {
			c->only = v;
		} else if (!strcmp(a, "--scenarios") && v) {
			c->scn_dir = v;
		} else if (!strcmp(a, "--traces") && v) {
			struct stat sb;

			if (c->ntrace_dirs == MAX_DIRS)
				return bad("--traces (at most 8)", v);
			errno = 0;
			if (stat(v, &sb) || !S_ISDIR(sb.st_mode))
				return cli_error("mmurun", "--traces %s: %s", v,
						 errno ? strerror(errno)
						       : "not a folder");
			c->trace_dirs[c->ntrace_dirs++] = v;
		} else if (!strcmp(a, "--shard") && v) {
			if (!cli_parse_shard(v, &c->shard_i, &c->shard_n))
				return bad("--shard (want I/N, 1 <= I <= N)", v);
		} else if (!strcmp(a, "--records") && v) {
			NUM(1, UINT64_MAX, c->records);
		} else if (!strcmp(a, "--mem-pct") && v) {
			NUM(1, 1000, c->mem_pct);
		} else if (!strcmp(a, "--seeds") && v) {
			NUM(0, MAX_SEEDS, c->seeds);
		} else if (!strcmp(a, "--seed-configs") && v) {
			c->seed_cfgs = v;
		} else if (!strcmp(a, "--seed-ops") && v) {
			NUM(1, UINT64_MAX, c->seed_ops);
		} else if (!strcmp(a, "--inject-rule") && v) {
			if (backend_inject_rule(v, &c->bo))
				return bad("--inject-rule (" BACKEND_INJECT_RULES ")", v);
		} else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && v) {
			NUM(1, JOBS_MAX_WORKERS, c->jobs);
		} else {
			valued = false;
		}
		if (valued) {
			i++;
			continue;
		}
		if (!strcmp(a, "--no-scenarios")) c->no_scn = true;
		else if (!strcmp(a, "--no-seeds")) c->no_seeds = true;
		else if (!strcmp(a, "--no-traces")) c->no_traces = true;
		else if (!strcmp(a, "--no-sweeps")) c->no_sweeps = true;
		else if (!strcmp(a, "--list")) c->list = true;
		else if (!strcmp(a, "--merge")) c->merge = true;
		else if (!strcmp(a, "--quiet")) c->quiet = true;
		else if (!strcmp(a, "--wave")) c->wave = true;
		else if (!strcmp(a, "--quick")) {
			c->seeds = 1;
			c->seed_ops = 50000;
			c->records = 40000;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (v == NULL && cli_is(a, valued_opts)) {
			return cli_no_value("mmurun", a);
		} else if (a[0] != '-' && c->nmerge < MAX_WORK) {
			c->merge_dirs[c->nmerge++] = a;
		} else {
			return cli_unknown("mmurun", a);
		}
	}
	if (backend_injects(&c->bo) && strcmp(c->backend, "lockstep"))
		return cli_error("mmurun", "--inject-rule needs --backend lockstep");
	if (c->nmerge && !c->merge)
		return cli_unknown("mmurun", c->merge_dirs[0]);
	if (c->merge && !c->nmerge)
		return bad("--merge (name the shard folders: --merge "
			   "build/run/shard-*)", "");
	return -1;
}

static int add_seed_config(struct ctx *x, const char *name, size_t len)
{
	char copy[MMU_CFG_NAME_MAX + 1], err[256];

	snprintf(copy, sizeof(copy), "%.*s", (int)len, name);
	for (unsigned k = 0; k < x->nscfg; k++)
		if (!strcmp(x->scfg[k].name, copy))
			return 0;
	if (x->nscfg == MAX_SEED_CFGS || len > MMU_CFG_NAME_MAX) {
		fprintf(stderr, "mmurun: --seed-configs: at most %d names of "
			"at most %d characters\n", MAX_SEED_CFGS, MMU_CFG_NAME_MAX);
		return -1;
	}
	if (mmu_config_load(copy, &x->scfg[x->nscfg], err, sizeof(err))) {
		fprintf(stderr, "mmurun: --seed-configs %s: %s\n", copy, err);
		return -1;
	}
	x->nscfg++;
	return 0;
}

/* The seeds' configurations: --seed-configs A,B,..., else --config's and
 * then every other built-in one. */
static int load_seed_configs(const struct cli *c, struct ctx *x)
{
	const char *s = c->seed_cfgs;

	if (!s) {
		if (add_seed_config(x, c->config, strlen(c->config)))
			return -1;
		for (size_t i = 0; i < mmu_builtin_config_count; i++) {
			const char *name = mmu_builtin_configs[i].name;

			if (add_seed_config(x, name, strlen(name)))
				return -1;
		}
	}
	while (s && *s) {
		size_t len = strcspn(s, ",");

		if (!len || add_seed_config(x, s, len)) {
			if (!len)
				fprintf(stderr, "mmurun: bad --seed-configs '%s'\n",
					c->seed_cfgs);
			return -1;
		}
		s += len + (s[len] == ',');
	}
	if (c->seeds * x->nscfg > MAX_SEED_WORK) {
		fprintf(stderr, "mmurun: --seeds %u on %u configurations: more "
			"than %d seed workloads\n", c->seeds, x->nscfg,
			MAX_SEED_WORK);
		return -1;
	}
	return 0;
}

static void self_dir(char *buf, size_t len, const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0) {
		snprintf(buf, len, "%s", argv0);
	} else {
		buf[n] = 0;
	}
	slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(buf, len, ".");
}

static void run_one(struct ctx *x, const struct workload *w, struct row *r)
{
	double t0 = now();

	row_init(r);
	progress_start(x, w);
	switch (w->kind) {
	case W_SCENARIO: run_scenario(x, w, r); break;
	case W_SEED: run_seed(x, w, r); break;
	case W_TRACE: run_trace(x, w, r); break;
	case W_SWEEP_TLB: run_sweep_geometry(x, w, r, &tlb_sweep); break;
	case W_SWEEP_L1: run_sweep_geometry(x, w, r, &l1_sweep); break;
	default: run_sweep_mem(x, w, r); break;
	}
	r->secs = now() - t0;
}

/* ---- the workloads, -j N at a time (sw/jobs) ------------------------------------------ */

/* What a workload's process sends back: its row (fail not a pointer
 * there), the lengths, then the failure text, its sweep.tsv lines and its
 * coverage (a coverage.tsv file of its own). */
struct wire {
	struct row r;
	size_t fail_len, sweep_len, cover_len;
};

struct run_all {
	struct ctx *x;
	const struct workload *w;
	struct row *r;
	char **sweep;            /* each workload's sweep.tsv lines */
	char **cover;            /* each workload's coverage.tsv text */
};

static int run_item(void *ctx, unsigned i, struct jobs_buf *out)
{
	struct run_all *a = ctx;
	struct wire wi = { .sweep_len = 0 };
	struct cover_set *whole = a->x->cover, *mine = NULL;
	char *sweep = NULL, *cover = NULL;
	FILE *cf;
	int rc;

	a->x->pos = i;
	a->x->sweep = open_memstream(&sweep, &wi.sweep_len);
	if (!a->x->sweep)
		return -1;
	if (cover_new(&mine)) {
		fclose(a->x->sweep);
		free(sweep);
		return -1;
	}
	a->x->cover = mine;
	run_one(a->x, &a->w[i], &wi.r);
	a->x->cover = whole;
	fclose(a->x->sweep);
	cf = open_memstream(&cover, &wi.cover_len);
	rc = !cf || cover_write(mine, cf);
	if (cf)
		rc |= fclose(cf) != 0;
	cover_free(mine);
	wi.fail_len = wi.r.fail ? strlen(wi.r.fail) : 0;
	rc = rc || jobs_buf_put(out, &wi, sizeof(wi)) ||
	     jobs_buf_put(out, wi.r.fail ? wi.r.fail : "", wi.fail_len) ||
	     jobs_buf_put(out, sweep, wi.sweep_len) ||
	     jobs_buf_put(out, cover, wi.cover_len);
	free(wi.r.fail);
	free(sweep);
	free(cover);
	return rc;
}

static void item_done(void *ctx, unsigned i, const void *res, size_t len,
		      const char *err)
{
	struct run_all *a = ctx;
	struct row *r = &a->r[i];
	struct wire wi;
	const char *p = res;

	if (!err && (len < sizeof(wi) ||
		     (memcpy(&wi, p, sizeof(wi)), len != sizeof(wi) +
		      wi.fail_len + wi.sweep_len + wi.cover_len)))
		err = "its result came back incomplete";
	if (err) {
		row_init(r);
		snprintf(r->backend, sizeof(r->backend), "-");
		row_fail(r, "the workload did not finish: %s", err);
	} else {
		*r = wi.r;
		r->fail = wi.fail_len ? strndup(p + sizeof(wi), wi.fail_len)
				      : NULL;
		a->sweep[i] = strndup(p + sizeof(wi) + wi.fail_len,
				      wi.sweep_len);
		a->cover[i] = strndup(p + sizeof(wi) + wi.fail_len +
				      wi.sweep_len, wi.cover_len);
	}
	a->x->pos = i;
	progress_done(a->x, &a->w[i], r);
}

/* Workload i's coverage file (text; NULL when it did not finish, freed
 * here) added to the whole run's; a file that does not read fails r. */
static void merge_cover(struct ctx *x, unsigned i, char *text, struct row *r)
{
	char name[64], err[256];
	FILE *f = text ? fmemopen(text, strlen(text), "r") : NULL;

	snprintf(name, sizeof(name), "workload %u's coverage", i + 1);
	if (text && (!f || cover_read_file(x->cover, f, name, err,
					   sizeof(err))))
		row_fail(r, "%s", f ? err : "out of host memory");
	if (f)
		fclose(f);
	free(text);
}

/* Every workload, c->jobs at a time; the sweeps' lines into x->sweep in
 * the workloads' order, as a run of one at a time writes them. */
static void run_workloads(struct ctx *x, const struct workload *w,
			  struct row *r, unsigned k)
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
	/* the traces parsed once, here, for every process that replays them
	 * (a trace that does not parse fails its workloads there) */
	for (unsigned i = 0; i < k; i++)
		if (w[i].kind >= W_TRACE) {
			struct row scratch;

			x->pos = i;
			row_init(&scratch);
			get_trace(x, w[i].path, &scratch);
			free(scratch.fail);
		}
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

/* OUT/coverage.tsv (path) and the coverage summary, RTL code coverage
 * included; 0 or -1. */
static int finish_cover(struct ctx *x, char *path, size_t len)
{
	FILE *f;
	int rc;

	snprintf(path, len, "%s/coverage.tsv", x->out);
	f = fopen(path, "w");
	rc = f ? cover_write(x->cover, f) | fclose(f) : -1;
	report_coverage_text(stdout, x->cover, path, REPORT_RTL_COVERAGE, 20);
	return rc ? -1 : 0;
}

/* The table (stdout and OUT/summary.txt), the failures, summary.tsv,
 * junit.xml and report.html; returns the number of failed workloads plus
 * one if a result file could not be written. */
static unsigned finish(struct ctx *x, const struct cli *c,
		       const struct workload *w, const struct row *r,
		       unsigned k, double t0)
{
	char path[700], err[256], sub[256], desc[32], when[64];
	unsigned failed = 0;
	time_t t = time(NULL);
	struct tm tm;
	int rc;
	FILE *f;

	for (unsigned i = 0; i < k; i++)
		failed += !r[i].ok;
	print_table(stdout, w, r, k);
	snprintf(path, sizeof(path), "%s/summary.txt", x->out);
	f = fopen(path, "w");
	if (f) {
		print_table(f, w, r, k);
		fclose(f);
	}
	for (unsigned i = 0; i < k; i++)
		if (!r[i].ok)
			printf("  FAIL %s:%s%s%s%s\n    %s\n", kind_name[w[i].kind],
			       w[i].name, r[i].log[0] ? " (log " : "",
			       r[i].log[0] ? r[i].log : "",
			       r[i].log[0] ? ")" : "",
			       r[i].fail ? r[i].fail : "");
	snprintf(path, sizeof(path), "%s/summary.tsv", x->out);
	rc = write_tsv(path, w, r, k);
	snprintf(path, sizeof(path), "%s/junit.xml", x->out);
	rc |= write_junit(path, c, w, r, k);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(sub, sizeof(sub), "configuration %s, back end %s, %u workloads"
		 "%s, %s", c->config, backend_describe(c->backend, desc,
		 sizeof(desc)), k, c->merge ? " merged from shards" : "", when);
	{
		char tsv[700], sweep[700], html[700], cov[700];
		struct report_meta meta = {
			.title = "mmu-cosim: the standard regression",
			.subtitle = sub, .coverage = true,
			.cover_tsv = x->cover ? cov : NULL,
			.rtl_coverage_tsv = REPORT_RTL_COVERAGE };
		if (x->cover && finish_cover(x, cov, sizeof(cov)))
			rc = -1;
		snprintf(tsv, sizeof(tsv), "%s/summary.tsv", x->out);
		snprintf(sweep, sizeof(sweep), "%s/sweep.tsv", x->out);
		snprintf(html, sizeof(html), "%s/report.html", x->out);
		if (report_html(tsv, sweep, html, &meta, err, sizeof(err))) {
			fprintf(stderr, "mmurun: the report: %s\n", err);
			rc = -1;
		}
	}
	if (rc)
		fprintf(stderr, "mmurun: writing the results in %s failed\n",
			x->out);
	printf("mmurun: %u passed, %u failed in %.1f s; report %s/report.html, "
	       "JUnit %s/junit.xml, table %s/summary.txt\n", k - failed, failed,
	       now() - t0, x->out, x->out, x->out);
	return failed + (rc != 0);
}

/* --merge: the shards' rows and sweep points, then the same results. */
static int merge_main(struct ctx *x, struct cli *c)
{
	static struct workload w[MAX_WORK];
	static struct row r[MAX_WORK];
	unsigned n = 0, bad_lines = 0;
	double t0 = now();
	char path[700];
	FILE *sweep;
	unsigned failed;

	snprintf(x->out, sizeof(x->out), "%s", c->out ? c->out
						       : "build/run/merged");
	if (cli_make_dirs(x->out)) {
		fprintf(stderr, "mmurun: cannot create %s: %s\n", x->out,
			strerror(errno));
		return 2;
	}
	snprintf(path, sizeof(path), "%s/sweep.tsv", x->out);
	sweep = fopen(path, "w");
	if (!sweep) {
		fprintf(stderr, "mmurun: cannot write %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	fputs("kind\ttrace\ta\tb\tc\td\te\n", sweep);
	if (cover_new(&x->cover)) {
		fclose(sweep);
		return 2;
	}
	for (unsigned d = 0; d < c->nmerge; d++) {
		int b = merge_summary(c->merge_dirs[d], w, r, &n);
		char cov[700], err[800];

		snprintf(cov, sizeof(cov), "%s/coverage.tsv", c->merge_dirs[d]);
		if (!access(cov, F_OK) && cover_read(x->cover, cov, err,
						     sizeof(err))) {
			fprintf(stderr, "mmurun: --merge: %s\n", err);
			b = -1;
		}

		if (b < 0 || merge_sweep(c->merge_dirs[d], sweep)) {
			fclose(sweep);
			return 2;
		}
		bad_lines += (unsigned)b;
	}
	fclose(sweep);
	/* the order of the unsharded run (insertion sort: n is small) */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && w[j - 1].index > w[j].index; j--) {
			struct workload tw = w[j];
			struct row tr = r[j];

			w[j] = w[j - 1];
			r[j] = r[j - 1];
			w[j - 1] = tw;
			r[j - 1] = tr;
		}
	fprintf(stderr, "mmurun: merged %u workloads from %u shard folders "
		"into %s\n", n, c->nmerge, x->out);
	failed = finish(x, c, w, r, n, t0);
	cover_free(x->cover);
	for (unsigned i = 0; i < n; i++)
		free(r[i].fail);
	if (bad_lines) {
		fprintf(stderr, "mmurun: --merge: %u malformed lines skipped\n",
			bad_lines);
		return 1;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct workload all[MAX_WORK], mine[MAX_WORK];
	static struct row rows[MAX_WORK];
	static struct ctx x;
	struct cli c = { .backend = "lockstep", .config = "x86",
			 .scn_dir = "tests/scenarios", .seeds = 4,
			 .mem_pct = 60, .shard_i = 1, .shard_n = 1,
			 .records = 250000, .seed_ops = 300000,
			 .jobs = jobs_cores() };
	char path[700], err[256];
	unsigned n, k = 0;
	int rc;

	/* The board first: plain "lockstep" keeps the RTL as its DUT. */
	if (board_backend_register() || systemc_backend_register() ||
	    rtl_backend_register()) {
		fprintf(stderr, "mmurun: cannot register the board, SystemC and RTL back ends\n");
		return 2;
	}
	rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return rc;
	if (!c.ntrace_dirs) {
		struct stat sb;

		c.trace_dirs[c.ntrace_dirs++] = "tests/traces";
		if (!stat("build/traces", &sb) && S_ISDIR(sb.st_mode))
			c.trace_dirs[c.ntrace_dirs++] = "build/traces";
	}
	x.c = &c;
	if (c.merge)
		return merge_main(&x, &c);
	if (mmu_config_load(c.config, &x.cfg, err, sizeof(err))) {
		fprintf(stderr, "mmurun: --config %s: %s\n", c.config, err);
		return 2;
	}
	if (load_seed_configs(&c, &x))
		return 2;
	n = build_list(&c, &x, all);
	for (unsigned i = 0; i < n; i++)
		if (i % c.shard_n == c.shard_i - 1)
			mine[k++] = all[i];
	if (c.list) {
		for (unsigned i = 0; i < k; i++)
			printf("%3u %s:%s%s%s\n", mine[i].index,
			       kind_name[mine[i].kind], mine[i].name,
			       mine[i].path[0] ? "  " : "", mine[i].path);
		return 0;
	}
	if (!k) {
		fprintf(stderr, "mmurun: no workload to run (check --only, "
			"--scenarios and --traces)\n");
		return 2;
	}
	if (c.out)
		snprintf(x.out, sizeof(x.out), "%s", c.out);
	else if (c.shard_n > 1)
		snprintf(x.out, sizeof(x.out), "build/run/shard-%uof%u",
			 c.shard_i, c.shard_n);
	else
		snprintf(x.out, sizeof(x.out), "build/run");
	snprintf(x.logs, sizeof(x.logs), "%s/logs", x.out);
	if (cli_make_dirs(x.logs)) {
		fprintf(stderr, "mmurun: cannot create %s: %s\n", x.logs,
			strerror(errno));
		return 2;
	}
	snprintf(path, sizeof(path), "%s/sweep.tsv", x.out);
	x.sweep = fopen(path, "w");
	if (!x.sweep) {
		fprintf(stderr, "mmurun: cannot write %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	fputs("kind\ttrace\ta\tb\tc\td\te\n", x.sweep);
	self_dir(x.self_dir, sizeof(x.self_dir), argv[0]);
	x.total = k;
	x.t0 = now();
	if (cover_new(&x.cover)) {
		fclose(x.sweep);
		return 2;
	}
	if (!c.quiet)
		fprintf(stderr, "mmurun: %u workloads (of %u; shard %u/%u) on %s, "
			"%s, %u at a time; output in %s\n", k, n, c.shard_i,
			c.shard_n, c.backend, c.config, c.jobs, x.out);
	run_workloads(&x, mine, rows, k);
	fclose(x.sweep);

	x.failed = finish(&x, &c, mine, rows, k, x.t0);
	cover_free(x.cover);
	for (unsigned i = 0; i < k; i++)
		free(rows[i].fail);
	for (unsigned i = 0; i < x.ncache; i++) {
		trace_free(x.cache[i].t);
		free(x.cache[i].why);
	}
	return x.failed ? 1 : 0;
}
