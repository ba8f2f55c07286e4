/* SPDX-License-Identifier: MIT */
/*
 * mmuregress: seeded constrained-random regression of a machine.
 *
 * For each configuration and seed it runs the CHECKED stream of the
 * regression library (sw/regress: random page tables, then accesses mixed
 * with control-register changes, PCID switches, PTE and table-entry
 * rewrites with the invalidations they need, and cache maintenance, every
 * outcome checked against the generator's own model and memory against a
 * shadow).  With --backend lockstep (the default) every call is also
 * compared between the golden model and the DUT (sw/lockstep), then the
 * counters and the whole of memory.  This tool prints the table, the
 * failures (seed, access number, both outcomes, the log and the one
 * command that re-runs it) and writes the JUnit file.
 * docs/verification.md is the manual.
 */
#include "config/config.h"
#include "cli.h"
#include "backend/backend.h"
#include "cover/cover.h"
#include "regress/regress.h"
#include "report/report.h"
#include "../../sim/rtl_backend.h"
#include "../../sim/systemc/sc_backend.h"
#include "board/board_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONFIGS 8
#define PROGRESS_SECS 2.0   /* stderr progress: not before, then this often */

/* ---- progress ----------------------------------------------------------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Progress goes to stderr only once a run has lasted PROGRESS_SECS, so
 * short runs (make test) stay quiet and long ones show they are alive. */
struct progress {
	bool on;
	double start, last;
	unsigned done, total, failed;
	const char *cfg;
	uint64_t seed;
};

static void progress_tick(void *ctx, uint64_t step, uint64_t steps)
{
	struct progress *p = ctx;
	double t = now();

	if (!p->on || t - p->start < PROGRESS_SECS ||
	    t - p->last < PROGRESS_SECS)
		return;
	p->last = t;
	fprintf(stderr, "mmuregress: test %u/%u (%s seed %" PRIu64 ", step %"
		PRIu64 "/%" PRIu64 "), %u failed, %.0f s\n", p->done + 1,
		p->total, p->cfg, p->seed, step, steps, p->failed,
		t - p->start);
}

/* ---- the table and the failures ----------------------------------------- */

static void print_header(void)
{
	printf("%-6s %6s %-13s %9s %7s %7s %7s %9s %7s %7s %7s %7s %9s %-5s %8s %11s\n",
	       "config", "seed", "backend", "accesses", "tlb-hit", "l1-hit",
	       "walks", "rd/walk", "#PF-np", "#PF-pr", "#PF-rs", "loads",
	       "checks", "check", "Macc/s", "cycles");
}

/* A hit rate, or "-" when nothing was looked up (a run stopped at its
 * first access). */
static void rate(char *buf, size_t len, uint64_t hits, uint64_t misses)
{
	if (hits + misses)
		snprintf(buf, len, "%.1f%%", 100.0 * (double)hits /
			 (double)(hits + misses));
	else
		snprintf(buf, len, "-");
}

static void print_row(const char *backend, const struct mmu_config *cfg,
		      uint64_t seed, const struct regress_result *r)
{
	char desc[32], checks[24], cycles[24] = "-", tlb[16], l1[16];

	rate(tlb, sizeof(tlb), r->c.tlb_hits, r->c.tlb_misses);
	rate(l1, sizeof(l1), r->c.l1_hits, r->c.l1_misses);
	/* only the RTL counts cycles */
	if (r->c.cycles)
		snprintf(cycles, sizeof(cycles), "%" PRIu64, r->c.cycles);
	if (!strncmp(backend, "lockstep", 8))  /* lockstep, lockstep-self, lockstep:DUT */
		snprintf(checks, sizeof(checks), "%" PRIu64, r->ls.calls);
	else
		snprintf(checks, sizeof(checks), "-");
	printf("%-6s %6" PRIu64 " %-13s %9" PRIu64 " %7s %7s %7" PRIu64
	       " %9.2f %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
	       " %9s %-5s %8.2f %11s\n",
	       cfg->name, seed, backend_describe(backend, desc, sizeof(desc)),
	       r->c.accesses, tlb, l1, r->c.walks,
	       r->c.walks ? (double)r->c.walk_reads / (double)r->c.walks : 0,
	       r->st.pf_np, r->st.pf_prot, r->st.pf_rsvd, r->st.loads_checked,
	       checks, r->ok ? "PASS" : "FAIL",
	       r->secs > 0 ? (double)r->c.accesses / r->secs / 1e6 : 0,
	       cycles);
}

/* Indent every line of a report under the FAIL line. */
static void print_failure(const struct mmu_config *cfg, uint64_t seed,
			  const struct regress_result *r)
{
	const char *s = r->report;

	printf("  FAIL %s seed %" PRIu64 ":\n", cfg->name, seed);
	while (*s) {
		const char *e = strchr(s, '\n');
		int len = e ? (int)(e - s) : (int)strlen(s);

		printf("    %.*s\n", len, s);
		s += len + (e != NULL);
	}
}

/* ---- JUnit (sw/report) -------------------------------------------------- */

struct jcase {
	char classname[64], name[64], out[600];
	double secs;
	bool mismatch;
	char *failure;  /* the report (malloc'd), NULL when it passed */
};

static void record_case(struct jcase *jc, const char *backend,
			const struct mmu_config *cfg, uint64_t seed,
			const struct regress_result *r)
{
	snprintf(jc->classname, sizeof(jc->classname), "mmuregress.%s.%s",
		 backend, cfg->name);
	snprintf(jc->name, sizeof(jc->name), "%s seed %" PRIu64, cfg->name,
		 seed);
	jc->out[0] = 0;
	if (r->log_path[0])
		snprintf(jc->out, sizeof(jc->out), "log: %s", r->log_path);
	jc->secs = r->secs;
	jc->mismatch = r->mismatch;
	jc->failure = r->ok ? NULL : strdup(r->report);
}

static int write_junit(FILE *f, const char *backend, const char *shard,
		       const struct jcase *jc, unsigned n, uint64_t ops)
{
	struct report_junit_case *c = calloc(n + 1, sizeof(*c));
	char suite[64], desc[32], steps[24];
	const char *props[] = { "backend", backend_describe(backend, desc,
				sizeof(desc)), "ops", steps, "shard", shard,
				NULL };
	struct report_junit_suite s = { .name = "mmuregress", .suite = suite,
					.props = props };
	int rc;

	if (!c)
		return -1;
	snprintf(suite, sizeof(suite), "mmuregress.%s", backend);
	snprintf(steps, sizeof(steps), "%" PRIu64, ops);
	for (unsigned i = 0; i < n; i++)
		c[i] = (struct report_junit_case){
			.classname = jc[i].classname, .name = jc[i].name,
			.secs = jc[i].secs, .failure = jc[i].failure,
			.failure_type = jc[i].mismatch ? "lockstep-mismatch"
						       : "check",
			.out = jc[i].out[0] ? jc[i].out : NULL };
	rc = report_junit(f, &s, c, n);
	free(c);
	return rc;
}

/* ---- the command line --------------------------------------------------- */

struct cli {
	const char *names[MAX_CONFIGS];
	unsigned nnames, seeds, shard_i, shard_n;
	uint64_t first_seed;
	bool one_seed, quiet;
	const char *junit;
	const char *cover_path;  /* --cover FILE */
	const char *replay;      /* --replay FILE */
	bool shrink;             /* --shrink */
	double goal;             /* --cover-goal PCT (0: none) */
	unsigned budget;         /* --budget N seeds per configuration */
	struct regress_seed_opts ro;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmuregress [--backend golden|lockstep|rtl|systemc|board|lockstep:board]\n"
		"         [--config NAME]... [--seeds N] [--seed S] [--ops N]\n"
		"         [--quick] [--junit FILE] [--logdir DIR] [--log-every N]\n"
		"         [--shard I/N] [--axi-latency CYCLES]\n"
		"         [--backpressure PCT] [--wave] [--inject N] [--quiet]\n"
		"         [--cover FILE] [--cover-goal PCT --budget N]\n"
		"         [--inject-rule no-wp|no-invlpg] [--shrink] [--replay FILE]\n"
		"Seeded constrained-random regression of a machine (default back\n"
		"end: lockstep, every call compared between the golden model and\n"
		"the DUT).  Prints a summary table; exits 1 if any check failed,\n"
		"2 on bad usage.  --cover writes the functional coverage (merge\n"
		"files with mmucover); --cover-goal runs seeds, round robin over\n"
		"the configurations, until PCT%% of the bins are hit or N seeds\n"
		"per configuration ran (exit 1 when the goal is not met).\n"
		"--shrink reduces a lockstep mismatch to the fewest machine calls\n"
		"that fail the same way (a stream file); --replay runs one.\n"
		"See docs/verification.md.\n");
}

static int bad(const char *what, const char *arg)
{
	return cli_error("mmuregress", "bad %s '%s'", what, arg);
}

#define NUM(opt, lo, hi, dst) CLI_NUM("mmuregress", opt, v, lo, hi, dst)

static const char *const valued_opts[] = {
	"--backend", "--config", "--seeds", "--seed", "--ops", "--junit",
	"--logdir", "--log-every", "--shard", "--axi-latency",
	"--backpressure", "--inject", "--cover", "--cover-goal", "--budget",
	"--inject-rule", "--replay", NULL };

/* Options with a value; returns 0 if handled, 1 if not ours, 2 if bad. */
static int parse_valued(struct cli *c, const char *opt, const char *v)
{
	uint64_t x;

	if (!strcmp(opt, "--backend")) {
		char err[256];

		if (backend_available(v, err, sizeof(err)))
			return cli_error("mmuregress", "--backend %s: %s", v, err);
		c->ro.backend = v;
	} else if (!strcmp(opt, "--config")) {
		if (c->nnames == MAX_CONFIGS)
			return bad("--config (too many)", v);
		c->names[c->nnames++] = v;
	} else if (!strcmp(opt, "--seeds")) {
		NUM(opt, 1, UINT32_MAX, c->seeds);
	} else if (!strcmp(opt, "--seed")) {
		NUM(opt, 0, UINT64_MAX, c->first_seed);
		c->one_seed = true;
	} else if (!strcmp(opt, "--ops")) {
		NUM(opt, 0, UINT64_MAX, c->ro.steps);
	} else if (!strcmp(opt, "--junit")) {
		c->junit = v;
	} else if (!strcmp(opt, "--logdir")) {
		c->ro.logdir = v;
	} else if (!strcmp(opt, "--log-every")) {
		NUM(opt, 1, UINT64_MAX, c->ro.log_every);
	} else if (!strcmp(opt, "--shard")) {
		if (!cli_parse_shard(v, &c->shard_i, &c->shard_n))
			return bad("--shard (want I/N, 1 <= I <= N)", v);
	} else if (!strcmp(opt, "--axi-latency")) {
		NUM(opt, 0, UINT32_MAX, c->ro.bo.axi_latency);
	} else if (!strcmp(opt, "--backpressure")) {
		NUM(opt, 0, 100, c->ro.bo.backpressure_pct);
	} else if (!strcmp(opt, "--cover")) {
		c->cover_path = v;
	} else if (!strcmp(opt, "--cover-goal")) {
		char *end;

		c->goal = strtod(v, &end);
		if (end == v || *end || !(c->goal > 0 && c->goal <= 100))
			return bad("--cover-goal (0 < PCT <= 100)", v);
	} else if (!strcmp(opt, "--budget")) {
		NUM(opt, 1, UINT32_MAX, c->budget);
	} else if (!strcmp(opt, "--inject-rule")) {
		if (backend_inject_rule(v, &c->ro.bo))
			return bad("--inject-rule (" BACKEND_INJECT_RULES ")", v);
	} else if (!strcmp(opt, "--replay")) {
		c->replay = v;
	} else if (!strcmp(opt, "--inject")) {
		NUM(opt, 1, UINT64_MAX, x);
		c->ro.bo.inject_access = x;
	} else {
		return 1;
	}
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc = i + 1 < argc ? parse_valued(c, a, argv[i + 1]) : 1;

		if (rc == 0) {
			i++;
		} else if (rc == 2) {
			return 2;
		} else if (!strcmp(a, "--quick")) {
			c->seeds = 2;
			c->ro.steps = 100000;
		} else if (!strcmp(a, "--shrink")) {
			c->shrink = true;
		} else if (!strcmp(a, "--wave")) {
			c->ro.wave = true;
		} else if (!strcmp(a, "--quiet")) {
			c->quiet = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (cli_is(a, valued_opts)) {
			return cli_no_value("mmuregress", a);
		} else {
			return cli_unknown("mmuregress", a);
		}
	}
	if (backend_injects(&c->ro.bo) && strncmp(c->ro.backend, "lockstep", 8))
		return cli_error("mmuregress", "--inject and --inject-rule need "
				 "--backend lockstep");
	if ((c->goal > 0) != (c->budget > 0))
		return cli_error("mmuregress", "--cover-goal and --budget go together");
	if (c->goal > 0)
		c->seeds = c->budget;
	if (c->ro.wave && !c->ro.logdir)
		return cli_error("mmuregress", "--wave needs --logdir");
	return -1;
}

/* ---- failure shrinking (sw/regress shrink.c) ---------------------------- */

struct plan {
	struct mmu_config cfg[MAX_CONFIGS];
	unsigned total;  /* tests in this shard */
};


/* Write the kept calls with the command that replays them. */
static int write_min_stream(const struct cli *c, uint64_t seed,
			    const struct regress_stream *s, const bool *keep,
			    const char *what, char *path, size_t plen)
{
	char cmd[1200], comment[2200];
	FILE *f;
	int bad;

	snprintf(path, plen, "%s%s%s-seed%" PRIu64 ".min.stream",
		 c->ro.logdir ? c->ro.logdir : "", c->ro.logdir ? "/" : "",
		 c->ro.cfg->name, seed);
	regress_rerun_command(&c->ro, seed, cmd, sizeof(cmd));
	snprintf(comment, sizeof(comment), "%s\nre-run: %s --replay %s", what,
		 cmd, path);
	if (!(f = fopen(path, "w")))
		return 1;
	bad = regress_stream_write(s, keep, comment, f) | fclose(f);
	if (!bad)
		printf("    re-run: %s --replay %s\n", cmd, path);
	return bad;
}

/* Record the failing seed's calls up to the mismatch, ddmin them, write
 * the smallest stream that fails the same way. */
static void shrink_failure(const struct cli *c, uint64_t seed,
			   const struct regress_result *r)
{
	struct regress_stream *s = NULL;
	char err[512], what[256], path[600];
	unsigned replays = 0;
	size_t kept = 0;
	bool *keep = NULL;
	int rc = regress_record(&c->ro, seed, r->mm_call, &s, err, sizeof(err));

	if (!rc && !(keep = calloc(s->n + 1, sizeof(*keep))))
		rc = mmu_errf(err, sizeof(err), MMU_ENOMEM, "out of memory");
	if (!rc)
		rc = regress_shrink(&c->ro, seed, s, r->mm_field, r->mm_final,
				    keep, &replays, err, sizeof(err));
	for (size_t i = 0; !rc && i < s->n; i++)
		kept += keep[i];
	if (!rc) {
		snprintf(what, sizeof(what), "shrunk from %zu calls to %zu (%s "
			 "differs; %u replays)", s->n, kept, r->mm_field,
			 replays);
		printf("    %s\n", what);
		if (write_min_stream(c, seed, s, keep, what, path, sizeof(path)))
			printf("    shrink: cannot write %s\n", path);
		else
			printf("    stream: %s\n", path);
	} else {
		printf("    shrink: %s\n", err);
	}
	free(keep);
	regress_stream_free(s);
}

/* --replay FILE: the stream on the first configuration. */
static int replay_file(struct cli *c, const struct plan *pl)
{
	struct regress_stream *s;
	char err[1024], field[48] = "";
	int rc;

	c->ro.cfg = &pl->cfg[0];
	if (regress_stream_read(c->replay, &s, err, sizeof(err))) {
		fprintf(stderr, "mmuregress: %s\n", err);
		return 2;
	}
	rc = regress_replay(&c->ro, c->first_seed, s, NULL, true, field,
			    sizeof(field), err, sizeof(err));
	printf("replay %s: %zu calls on %s: %s\n", c->replay, s->n,
	       c->ro.cfg->name, rc == 0 ? "PASS" : "FAIL");
	if (rc)
		printf("  %s\n", err);
	regress_stream_free(s);
	return rc ? 1 : 0;
}

/* ---- functional coverage (sw/cover) ------------------------------------- */

/* The summary, the file and the goal: 0, or 1 when the file cannot be
 * written or the goal was not met. */
static int finish_cover(const struct cli *c)
{
	struct cover_set *s = c->ro.bo.cover;
	FILE *f = fopen(c->cover_path, "w");
	int bad = !f || cover_write(s, f);

	if (f)
		bad |= fclose(f);
	cover_summary(s, stdout, 60);
	if (bad)
		fprintf(stderr, "mmuregress: writing %s failed\n", c->cover_path);
	else
		printf("coverage file: %s\n", c->cover_path);
	if (c->goal > 0 && cover_percent(s) < c->goal) {
		printf("coverage goal %.1f%% not met after %u seeds per "
		       "configuration\n", c->goal, c->budget);
		bad = 1;
	}
	return bad;
}

/* ---- main --------------------------------------------------------------- */

static int load_configs(struct cli *c, struct plan *pl)
{
	for (unsigned k = 0; k < c->nnames; k++) {
		char err[256];

		if (mmu_config_load(c->names[k], &pl->cfg[k], err, sizeof(err))) {
			fprintf(stderr, "mmuregress: %s\n", err);
			return 2;
		}
	}
	pl->total = 0;
	for (unsigned t = 0; t < c->nnames * c->seeds; t++)
		pl->total += t % c->shard_n == c->shard_i - 1;
	return 0;
}

static int prepare_outputs(const struct cli *c, FILE **junit)
{
	if (c->ro.logdir && cli_make_dirs(c->ro.logdir)) {
		fprintf(stderr, "mmuregress: cannot create %s: %s\n",
			c->ro.logdir, strerror(errno));
		return 2;
	}
	if (c->junit && !(*junit = fopen(c->junit, "w"))) {
		fprintf(stderr, "mmuregress: cannot write %s: %s\n", c->junit,
			strerror(errno));
		return 2;
	}
	return 0;
}

/* Tests are numbered config-major; shard I/N runs those with number % N ==
 * I - 1, so shards interleave configurations and balance their time. */
static unsigned run_all(struct cli *c, struct plan *pl, struct jcase *jc,
			unsigned *failed)
{
	struct progress prog = { .on = !c->quiet, .start = now(),
				 .total = pl->total };
	struct regress_result *r = malloc(sizeof(*r));
	unsigned ran = 0;

	if (!r)
		return 0;
	c->ro.progress = progress_tick;
	c->ro.ctx = &prog;
	for (unsigned t = 0; t < c->nnames * c->seeds; t++) {
		/* a coverage goal goes round the configurations seed by seed */
		unsigned k = c->goal > 0 ? t % c->nnames : t / c->seeds;
		const struct mmu_config *cfg = &pl->cfg[k];
		uint64_t seed = c->first_seed + (c->goal > 0 ? t / c->nnames :
						 t % c->seeds);

		if (t % c->shard_n != c->shard_i - 1)
			continue;
		if (c->goal > 0 && cover_percent(c->ro.bo.cover) >= c->goal)
			break;
		prog.cfg = cfg->name;
		prog.seed = seed;
		c->ro.cfg = cfg;
		c->ro.cfg_arg = c->names[k];
		regress_run_seed(&c->ro, seed, r);
		print_row(c->ro.backend, cfg, seed, r);
		if (!r->ok) {
			(*failed)++;
			print_failure(cfg, seed, r);
			if (c->shrink && r->mismatch)
				shrink_failure(c, seed, r);
		}
		fflush(stdout);
		record_case(&jc[ran++], c->ro.backend, cfg, seed, r);
		prog.done = ran;
		prog.failed = *failed;
		progress_tick(&prog, c->ro.steps, c->ro.steps);
	}
	free(r);
	return ran;
}

int main(int argc, char **argv)
{
	struct cli c = { .seeds = 4, .first_seed = 1, .shard_i = 1,
			 .shard_n = 1, .ro = { .tool = argv[0],
			 .backend = "lockstep", .steps = 300000,
			 .log_every = 1000 } };
	struct plan pl;
	struct jcase *jc;
	FILE *junit = NULL;
	unsigned failed = 0, ran;
	char shard[32];
	int rc;

	/* The tools are linked with the Verilated RTL: offer it. */
	/* The board first: plain "lockstep" keeps the RTL as its DUT. */
	if (board_backend_register() || systemc_backend_register() ||
	    rtl_backend_register()) {
		fprintf(stderr, "mmuregress: cannot register the board, SystemC and RTL back ends\n");
		return 2;
	}
	rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return rc;
	if (c.one_seed)
		c.seeds = 1;
	if (!c.nnames) {
		c.names[c.nnames++] = "x86";
		c.names[c.nnames++] = "csapp";
		c.names[c.nnames++] = "fpga";
	}
	if ((rc = load_configs(&c, &pl)) || (rc = prepare_outputs(&c, &junit)))
		return rc;
	if (c.replay)
		return replay_file(&c, &pl);
	if (c.goal > 0 && !c.cover_path)
		c.cover_path = "/dev/null";
	jc = calloc(pl.total + 1, sizeof(*jc));
	if (!jc || (c.cover_path && cover_new(&c.ro.bo.cover))) {
		free(jc);
		return 2;
	}
	print_header();
	ran = run_all(&c, &pl, jc, &failed);
	snprintf(shard, sizeof(shard), "%u/%u", c.shard_i, c.shard_n);
	if (junit && (write_junit(junit, c.ro.backend, shard, jc, ran,
				  c.ro.steps) | fclose(junit))) {
		fprintf(stderr, "mmuregress: writing %s failed\n", c.junit);
		failed++;
	}
	for (unsigned i = 0; i < ran; i++)
		free(jc[i].failure);
	free(jc);
	printf("regress: %u passed, %u failed\n", ran - failed, failed);
	if (c.cover_path)
		rc = finish_cover(&c);
	cover_free(c.ro.bo.cover);
	return failed || rc > 0 || (ran < pl.total && !(c.goal > 0)) ? 1 : 0;
}
