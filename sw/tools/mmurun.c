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
#include "mmurun.h"
#include "cli.h"
#include "cover/cover.h"
#include "jobs/jobs.h"
#include "trace/trace.h"
#include "../../sim/rtl_backend.h"
#include "../../sim/systemc/sc_backend.h"
#include "board/board_backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the results ------------------------------------------------------------------------ */

static int write_junit(const char *path, const struct cli *c,
		       const struct report_row *r, unsigned n)
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
			snprintf(cls[i], sizeof(cls[i]), "mmurun.%s", r[i].kind);
			snprintf(out[i], sizeof(out[i]), "%s%s%s", r[i].detail,
				 r[i].log[0] ? "\nlog: " : "", r[i].log);
			jc[i] = (struct report_junit_case){
				.classname = cls[i], .name = r[i].name,
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

/* OUT/report.html from summary.tsv, sweep.tsv and the coverage; 0 or -1. */
static int write_html(struct ctx *x, const struct cli *c, unsigned k)
{
	char sub[256], desc[32], when[64], err[256];
	char tsv[700], sweep[700], html[700], cov[700];
	struct report_meta meta = {
		.title = "mmu-cosim: the standard regression",
		.subtitle = sub, .coverage = true,
		.cover_tsv = x->cover ? cov : NULL,
		.rtl_coverage_tsv = REPORT_RTL_COVERAGE };
	time_t t = time(NULL);
	struct tm tm;
	int rc = 0;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(sub, sizeof(sub), "configuration %s, back end %s, %u workloads"
		 "%s, %s", c->config, backend_describe(c->backend, desc,
		 sizeof(desc)), k, c->merge ? " merged from shards" : "", when);
	if (x->cover && finish_cover(x, cov, sizeof(cov)))
		rc = -1;
	snprintf(tsv, sizeof(tsv), "%s/summary.tsv", x->out);
	snprintf(sweep, sizeof(sweep), "%s/sweep.tsv", x->out);
	snprintf(html, sizeof(html), "%s/report.html", x->out);
	if (report_html(tsv, sweep, html, &meta, err, sizeof(err))) {
		fprintf(stderr, "mmurun: the report: %s\n", err);
		rc = -1;
	}
	return rc;
}

/* The table (stdout and OUT/summary.txt), the failures, summary.tsv,
 * junit.xml and report.html; returns the number of failed workloads plus
 * one if a result file could not be written. */
static unsigned finish(struct ctx *x, const struct cli *c,
		       const struct report_row *r, unsigned k, double t0)
{
	char path[700];
	unsigned failed = 0;
	int rc;
	FILE *f;

	for (unsigned i = 0; i < k; i++)
		failed += !r[i].ok;
	report_summary_text(stdout, r, k);
	snprintf(path, sizeof(path), "%s/summary.txt", x->out);
	f = fopen(path, "w");
	if (f) {
		report_summary_text(f, r, k);
		fclose(f);
	}
	for (unsigned i = 0; i < k; i++)
		if (!r[i].ok)
			printf("  FAIL %s:%s%s%s%s\n    %s\n", r[i].kind,
			       r[i].name, r[i].log[0] ? " (log " : "",
			       r[i].log[0] ? r[i].log : "",
			       r[i].log[0] ? ")" : "",
			       r[i].fail ? r[i].fail : "");
	snprintf(path, sizeof(path), "%s/summary.tsv", x->out);
	rc = report_summary_write(path, r, k);
	snprintf(path, sizeof(path), "%s/junit.xml", x->out);
	rc |= write_junit(path, c, r, k);
	if (write_html(x, c, k))
		rc = -1;
	if (rc)
		fprintf(stderr, "mmurun: writing the results in %s failed\n",
			x->out);
	printf("mmurun: %u passed, %u failed in %.1f s; report %s/report.html, "
	       "JUnit %s/junit.xml, table %s/summary.txt\n", k - failed, failed,
	       now() - t0, x->out, x->out, x->out);
	return failed + (rc != 0);
}

/* OUT/sweep.tsv opened with its header, or NULL (said). */
static FILE *open_sweep(const struct ctx *x)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sweep.tsv", x->out);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "mmurun: cannot write %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	fputs("kind\ttrace\ta\tb\tc\td\te\n", f);
	return f;
}

/* ---- --merge: shards' results into one ------------------------------------------------ */

/* One summary.tsv line into r; false when it is not a row of mmurun's. */
static bool merge_row(const struct report_summary_cols *col, char *line,
		      struct report_row *r)
{
	char *f[REPORT_SUMMARY_MAX_COLS];
	unsigned nf = report_summary_split(line, f, REPORT_SUMMARY_MAX_COLS);

	if (!report_summary_row(col, f, nf, MAX_WORK, r))
		return false;
	if (cli_is(r->kind, kind_name))
		return true;
	free(r->fail);
	return false;
}

/* Appends DIR/summary.tsv's rows; returns the number of malformed lines,
 * or -1 when the file cannot be read. */
static int merge_summary(const char *dir, struct report_row *r, unsigned *n)
{
	char path[700], line[8192];
	struct report_summary_cols col;
	int bad_lines = 0;
	unsigned lineno = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/summary.tsv", dir);
	in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "mmurun: --merge: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	report_summary_header(&col, NULL, 0);
	while (fgets(line, sizeof(line), in)) {
		if (++lineno == 1) {
			char *f[REPORT_SUMMARY_MAX_COLS];
			unsigned nf = report_summary_split(line, f,
						REPORT_SUMMARY_MAX_COLS);

			report_summary_header(&col, f, nf);
			continue;
		}
		if (*n >= MAX_WORK || !merge_row(&col, line, &r[*n])) {
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

/* Every shard folder's rows, sweep lines and coverage; the malformed
 * lines, or -1 when a folder could not be read (said). */
static int merge_dirs(struct ctx *x, const struct cli *c, FILE *sweep,
		      struct report_row *r, unsigned *n)
{
	unsigned bad_lines = 0;

	for (unsigned d = 0; d < c->nmerge; d++) {
		int b = merge_summary(c->merge_dirs[d], r, n);
		char cov[700], err[800];

		snprintf(cov, sizeof(cov), "%s/coverage.tsv", c->merge_dirs[d]);
		if (!access(cov, F_OK) && cover_read(x->cover, cov, err,
						     sizeof(err))) {
			fprintf(stderr, "mmurun: --merge: %s\n", err);
			b = -1;
		}
		if (b < 0 || merge_sweep(c->merge_dirs[d], sweep))
			return -1;
		bad_lines += (unsigned)b;
	}
	return (int)bad_lines;
}

/* --merge: the shards' rows and sweep points, then the same results. */
static int merge_main(struct ctx *x, struct cli *c)
{
	static struct report_row r[MAX_WORK];
	unsigned n = 0, failed;
	double t0 = now();
	int bad_lines;
	FILE *sweep;

	snprintf(x->out, sizeof(x->out), "%s", c->out ? c->out
						       : "build/run/merged");
	if (cli_make_dirs(x->out)) {
		fprintf(stderr, "mmurun: cannot create %s: %s\n", x->out,
			strerror(errno));
		return 2;
	}
	sweep = open_sweep(x);
	if (!sweep)
		return 2;
	if (cover_new(&x->cover)) {
		fclose(sweep);
		return 2;
	}
	bad_lines = merge_dirs(x, c, sweep, r, &n);
	fclose(sweep);
	if (bad_lines < 0)
		return 2;
	/* the order of the unsharded run (insertion sort: n is small) */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && r[j - 1].index > r[j].index; j--) {
			struct report_row tr = r[j];

			r[j] = r[j - 1];
			r[j - 1] = tr;
		}
	fprintf(stderr, "mmurun: merged %u workloads from %u shard folders "
		"into %s\n", n, c->nmerge, x->out);
	failed = finish(x, c, r, n, t0);
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

/* ---- the run ------------------------------------------------------------------------------ */

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

/* OUT (--out, else by the shard) and OUT/logs made, OUT/sweep.tsv opened;
 * 0 or 2 (said). */
static int open_out(struct ctx *x, const struct cli *c)
{
	if (c->out)
		snprintf(x->out, sizeof(x->out), "%s", c->out);
	else if (c->shard_n > 1)
		snprintf(x->out, sizeof(x->out), "build/run/shard-%uof%u",
			 c->shard_i, c->shard_n);
	else
		snprintf(x->out, sizeof(x->out), "build/run");
	snprintf(x->logs, sizeof(x->logs), "%s/logs", x->out);
	if (cli_make_dirs(x->logs)) {
		fprintf(stderr, "mmurun: cannot create %s: %s\n", x->logs,
			strerror(errno));
		return 2;
	}
	x->sweep = open_sweep(x);
	return x->sweep ? 0 : 2;
}

/* This shard's workloads (mine, k of them) of the whole list (n). */
static int run_main(struct ctx *x, struct cli *c, const struct workload *mine,
		    unsigned k, unsigned n, const char *argv0)
{
	static struct report_row rows[MAX_WORK];
	int rc = open_out(x, c);

	if (rc)
		return rc;
	self_dir(x->self_dir, sizeof(x->self_dir), argv0);
	x->total = k;
	x->t0 = now();
	if (cover_new(&x->cover)) {
		fclose(x->sweep);
		return 2;
	}
	if (!c->quiet)
		fprintf(stderr, "mmurun: %u workloads (of %u; shard %u/%u) on %s, "
			"%s, %u at a time; output in %s\n", k, n, c->shard_i,
			c->shard_n, c->backend, c->config, c->jobs, x->out);
	run_workloads(x, mine, rows, k);
	fclose(x->sweep);

	x->failed = finish(x, c, rows, k, x->t0);
	cover_free(x->cover);
	for (unsigned i = 0; i < k; i++)
		free(rows[i].fail);
	for (unsigned i = 0; i < x->ncache; i++) {
		trace_free(x->cache[i].t);
		free(x->cache[i].why);
	}
	return x->failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct workload all[MAX_WORK], mine[MAX_WORK];
	static struct ctx x;
	struct cli c = { .backend = "lockstep", .config = "x86",
			 .scn_dir = "tests/scenarios", .seeds = 4,
			 .mem_pct = 60, .shard_i = 1, .shard_n = 1,
			 .records = 250000, .seed_ops = 300000,
			 .jobs = jobs_cores() };
	char err[256];
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
	return run_main(&x, &c, mine, k, n, argv[0]);
}
