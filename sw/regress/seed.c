/* SPDX-License-Identifier: MIT */
/*
 * One test as mmuregress and mmurun run it (regress.h): a back end, a
 * configuration, a seed; the per-test log, the figures and the failure
 * report with the command that re-runs the test alone.
 */
#include "regress.h"
#include "failure/failure.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define COUNTER_EVERY 4096  /* lockstep: compare counters this often */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t log_every(const struct regress_seed_opts *o)
{
	return o->log_every ? o->log_every : REGRESS_LOG_EVERY;
}

void regress_rerun_command(const struct regress_seed_opts *o, uint64_t seed,
			   char *buf, size_t n)
{
	char inj[128];
	int w = snprintf(buf, n, "%s --backend %s --config %s --seed %" PRIu64
			 " --ops %" PRIu64, o->tool ? o->tool : "mmuregress",
			 o->backend, o->cfg_arg ? o->cfg_arg : o->cfg->name,
			 seed, o->steps);

#define APPEND(...)                                                            \
	do {                                                                   \
		if (w > 0 && (size_t)w < n)                                    \
			w += snprintf(buf + w, n - (size_t)w, __VA_ARGS__);    \
	} while (0)
	if (o->logdir)
		APPEND(" --logdir %s", o->logdir);
	if (o->bo.axi_latency)
		APPEND(" --axi-latency %u", o->bo.axi_latency);
	if (o->bo.backpressure_pct)
		APPEND(" --backpressure %u", o->bo.backpressure_pct);
	APPEND("%s", backend_inject_args(&o->bo, inj, sizeof(inj)));
	if (o->wave)
		APPEND(" --wave");
#undef APPEND
}

/* --wave: LOGDIR/CFG-seedS.fst (NULL and "" without --wave or --logdir). */
static const char *wave_path(const struct regress_seed_opts *o, uint64_t seed,
			     char *buf, size_t len)
{
	buf[0] = 0;
	if (!o->wave || !o->logdir)
		return NULL;
	snprintf(buf, len, "%s/%s-seed%" PRIu64 ".fst", o->logdir,
		 o->cfg->name, seed);
	return buf;
}

/* The one failure report (sw/failure): the lockstep report when the two
 * machines differed, else the generator's message; then the seed, the
 * step, the wave file and cycle, the log and the re-run command. */
static void write_report(const struct lockstep_mismatch *mm,
			 const char *fail, uint64_t seed, bool in_run,
			 const struct regress_seed_opts *o,
			 struct regress_result *r)
{
	struct failure f = { .kind = "seed", .mm = mm };

	r->mismatch = mm != NULL;
	if (mm) {
		r->mm_call = mm->call;
		snprintf(r->mm_field, sizeof(r->mm_field), "%s", mm->field);
		r->mm_final = mm->kind == LOCKSTEP_COUNTERS ||
			      mm->kind == LOCKSTEP_MEM_PEEK;
	}
	snprintf(f.what, sizeof(f.what), "%s", fail);
	snprintf(f.where, sizeof(f.where), "%" PRIu64 " (config %s)", seed,
		 o->cfg_arg ? o->cfg_arg : o->cfg->name);
	/* the end-of-run checks are no step of the stream */
	f.step = in_run && !r->mm_final ? r->st.steps + 1 : 0;
	snprintf(f.log, sizeof(f.log), "%s",
		 r->log_path[0] ? r->log_path : "(no --logdir)");
	snprintf(f.rerun, sizeof(f.rerun), "%s", r->rerun);
	wave_path(o, seed, f.wave, sizeof(f.wave));
	failure_format(&f, r->report, sizeof(r->report));
}

static FILE *open_log(const struct regress_seed_opts *o, uint64_t seed,
		      struct regress_result *r)
{
	char text[2048], desc[32];
	FILE *f;

	if (!o->logdir)
		return NULL;
	snprintf(r->log_path, sizeof(r->log_path), "%s/%s-seed%" PRIu64 ".log",
		 o->logdir, o->cfg->name, seed);
	f = fopen(r->log_path, "w");
	if (!f) {
		r->log_path[0] = 0;
		return NULL;
	}
	mmu_config_format(o->cfg, text, sizeof(text));
	fprintf(f, "mmuregress log: config %s, seed %" PRIu64 ", %" PRIu64
		" steps, back end %s (%s)\nre-run: %s\nlogged: every %" PRIu64
		"th access in full, every fault in short, every control op and\n"
		"PTE change\n"
		"--- configuration\n%s--- stream\n", o->cfg->name, seed, o->steps,
		o->backend, backend_describe(o->backend, desc, sizeof(desc)),
		r->rerun, log_every(o), text);
	return f;
}

static void finish_log(FILE *f, const struct regress_result *r)
{
	if (!f)
		return;
	fprintf(f, "--- result: %s after %" PRIu64 " steps, %" PRIu64
		" accesses, %.3f s\n", r->ok ? "PASS" : "FAIL", r->st.steps,
		r->st.accesses, r->secs);
	if (!r->ok)
		fputs(r->report, f);
	fclose(f);
}

/* What the generator's callbacks get. */
struct run_ctx {
	FILE *log;
	const struct regress_seed_opts *o;
};

static void log_line(void *ctx, const char *line)
{
	fputs(line, ((const struct run_ctx *)ctx)->log);
}

static void progress(void *ctx, uint64_t step, uint64_t steps)
{
	const struct run_ctx *x = ctx;

	x->o->progress(x->o->ctx, step, steps);
}

static int open_machine(const struct regress_seed_opts *o, uint64_t seed,
			struct machine **m, char *err, size_t errlen)
{
	struct backend_opts bo = o->bo;
	char wave[768];
	int rc;

	bo.seed = seed;  /* back-pressure pattern: one per test, reproducible */
	bo.trace_path = wave_path(o, seed, wave, sizeof(wave));
	rc = machine_open(o->backend, o->cfg, 0, &bo, m, err, errlen);
	if (!rc && lockstep_is(*m))
		lockstep_check_counters_every(*m, COUNTER_EVERY);
	return rc;
}

static int run_stream(const struct regress_seed_opts *o, struct machine *m,
		      uint64_t seed, struct run_ctx *x, struct regress_result *r,
		      bool *in_run, char *fail, size_t len)
{
	struct regress_gen_opts go = {
		.mix = REGRESS_CHECKED, .log = x->log ? log_line : NULL,
		.log_every = log_every(o), .progress = o->progress ? progress : NULL,
		.steps = o->steps, .ctx = x };
	struct regress_gen *g;
	int rc = regress_gen_new(m, seed, &go, &g, fail, len);

	if (rc)
		return rc;
	rc = regress_gen_run(g, o->steps);
	*in_run = rc != 0;
	if (!rc)
		rc = regress_gen_finish(g);
	if (rc)
		snprintf(fail, len, "%s", regress_gen_error(g));
	r->st = *regress_gen_stats(g);
	regress_gen_free(g);
	return rc;
}

int regress_run_seed(const struct regress_seed_opts *o, uint64_t seed,
		     struct regress_result *r)
{
	struct run_ctx x = { .o = o };
	struct machine *m = NULL;
	double t0 = now();
	struct lockstep_mismatch mm = { .field = "" };
	char fail[512] = "";
	bool in_run = false;
	int rc;

	memset(r, 0, sizeof(*r));
	regress_rerun_command(o, seed, r->rerun, sizeof(r->rerun));
	x.log = open_log(o, seed, r);
	rc = open_machine(o, seed, &m, fail, sizeof(fail));
	if (!rc) {
		rc = run_stream(o, m, seed, &x, r, &in_run, fail, sizeof(fail));
		m->ops->counters(m, &r->c);
		lockstep_stats(m, &r->ls);
	}
	r->secs = now() - t0;
	r->ok = rc == 0;
	if (lockstep_mismatch(m))
		mm = *lockstep_mismatch(m);
	machine_destroy(m);  /* first: it writes the wave file */
	if (!r->ok)
		write_report(mm.field[0] ? &mm : NULL, fail, seed, in_run, o, r);
	finish_log(x.log, r);
	return rc;
}
