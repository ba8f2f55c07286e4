/* SPDX-License-Identifier: MIT */
/*
 * mmucourse: course mode (docs/course.md).
 *   mmucourse run FILE [--backend B] [--html OUT.html]   explain every access
 *   mmucourse check FILE [--backend B]                   mark the answers
 *   (run and check: --wave, --inject-rule R; a machine failure prints the
 *   one failure report, sw/failure)
 *   mmucourse gen CONFIG --seed N [--accesses N] --out EX --key KEY
 */
#include "course/course.h"
#include "backend/backend.h"
#include "lockstep/lockstep.h"
#include "failure/failure.h"
#include "../../sim/rtl_backend.h"
#include "board/board_backend.h"
#include "../../sim/rtl_machine.h"
#include "cli.h"

#include <stdarg.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmucourse run FILE [--backend golden|rtl|lockstep] [--html OUT.html] [--quiet]\n"
		"       mmucourse check FILE [--backend golden|rtl|lockstep]\n"
		"       (run, check: [--wave] [--inject-rule no-wp|no-invlpg])\n"
		"       mmucourse gen CONFIG --seed N [--accesses N] --out EXERCISE --key KEY\n"
		"\n"
		"Course mode: an exercise file names a configuration and the machine's\n"
		"state in the textbook's notation (TLB entries, page-table entries,\n"
		"cache lines, registers), then accesses with optional answers\n"
		"(docs/course.md).  The state goes into the golden model, the RTL's\n"
		"arrays (debug port) or both in lockstep.\n"
		"  run    explain every access step by step (VA split, TLB ways, the\n"
		"         walk's entries, the fault, PA split, cache ways, data); from\n"
		"         the RTL also its FSM states cycle by cycle.  --html writes one\n"
		"         self-contained page.  Answers in the file are marked too.\n"
		"  check  mark each answered field right or wrong, with the correct\n"
		"         value and why; exit status 1 when any is wrong.\n"
		"  gen    write a seeded practice problem for CONFIG and its answer key\n"
		"         (an exercise with the answers filled in).\n"
		"--wave writes the RTL's waveform (rtl, lockstep) to NAME.fst in the\n"
		"current folder; --inject-rule breaks a rule in lockstep's DUT (the\n"
		"checker's self-test).  A machine failure (a lockstep mismatch) is\n"
		"reported with FILE:LINE, the access, both outcomes, the wave file and\n"
		"the cycle, and the command that re-runs it (docs/verification.md).\n");
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_error("mmucourse", "%s", msg);
}

/* The RTL machine whose FSMs are logged: the RTL itself or lockstep's DUT. */
static struct machine *rtl_of(struct machine *m)
{
	if (rtl_is_rtl(m))
		return m;
	if (lockstep_is(m) && rtl_is_rtl(lockstep_dut(m)))
		return lockstep_dut(m);
	return NULL;
}

/* The RTL's FSM states during the access itself. */
static struct rtl_fsm_log fsm_log;

static void log_start(void *rtl)
{
	fsm_log.n = 0;
	rtl_set_fsm_log(rtl, &fsm_log);
}

static void log_stop(void *rtl, struct course_result *r)
{
	struct course_cycles *c = &r->cyc;

	rtl_set_fsm_log(rtl, NULL);
	c->n = fsm_log.n;
	for (unsigned i = 0; i < fsm_log.n && i < COURSE_MAX_CYCLES && i < RTL_FSM_LOG_MAX; i++)
		rtl_fsm_names(fsm_log.fsm[i], &c->top[i], &c->ptw[i], &c->l1[i]);
}

struct opts {
	const char *cmd, *file, *backend, *html, *out, *key, *argv0;
	bool quiet, wave;
	struct backend_opts bo;
	char wave_path[600];
	uint64_t seed;
	unsigned accesses;
	bool has_seed;
};

struct tally {
	unsigned right, wrong, answered;
};

/* A machine failure as the one failure report, with the command that
 * re-runs the exercise; the machine is destroyed first (it writes the
 * wave file). */
static void report(const struct opts *o, struct machine **m,
		   const struct course_access *a, unsigned step, const char *err)
{
	struct lockstep_mismatch mm;
	struct failure f = { .kind = "exercise", .step = step };
	bool have = lockstep_is(*m) && lockstep_mismatch(*m);
	char rep[6144], inj[128];

	if (have)
		mm = *lockstep_mismatch(*m);
	machine_destroy(*m);
	*m = NULL;
	f.mm = have ? &mm : NULL;
	snprintf(f.where, sizeof(f.where), "%s:%u", o->file, a->line);
	snprintf(f.what, sizeof(f.what), "%s", err);
	snprintf(f.wave, sizeof(f.wave), "%s", o->bo.trace_path ? o->wave_path : "");
	failure_cmd_add(f.rerun, sizeof(f.rerun), o->argv0);
	failure_cmd_add(f.rerun, sizeof(f.rerun), o->cmd);
	failure_cmd_add(f.rerun, sizeof(f.rerun), o->file);
	snprintf(f.rerun + strlen(f.rerun), sizeof(f.rerun) - strlen(f.rerun),
		 " --backend %s%s%s", o->backend, o->wave ? " --wave" : "",
		 backend_inject_args(&o->bo, inj, sizeof(inj)));
	failure_format(&f, rep, sizeof(rep));
	fflush(stdout);
	fprintf(stderr, "FAIL exercise %s:\n", f.where);
	for (char *l = strtok(rep, "\n"); l; l = strtok(NULL, "\n"))
		fprintf(stderr, "  %s\n", l);
}

/* One access: run, explain (run), mark the answers, add to the page. */
static int one_access(const struct opts *o, struct machine **m,
		      const struct course_access *a, unsigned step,
		      const struct course_hooks *hooks,
		      struct course_html *h, struct tally *t)
{
	struct course_result r;
	char err[512];
	bool any = false;

	if (course_run_access(*m, a, hooks, &r, err, sizeof(err))) {
		report(o, m, a, step, err);
		return 2;
	}
	if (strcmp(o->cmd, "check") && !o->quiet)
		course_explain_text(*m, &r, stdout);
	for (int k = 0; k < CF_N; k++)
		any |= a->ans.given[k];
	if (any) {
		printf("%s:%u: answers for %#llx:\n", o->file, a->line,
		       (unsigned long long)a->req.va);
		t->wrong += course_mark(a, &r, stdout, &t->right);
		t->answered++;
	}
	if (h)
		course_html_access(h, &r);
	course_result_free(&r);
	return 0;
}

static int run_file(const struct opts *o)
{
	struct course_ex *ex;
	struct course_hooks hooks = { log_start, log_stop, NULL };
	struct mmu_config cfg;
	struct machine *m = NULL, *rtl;
	struct course_html *h = NULL;
	FILE *hf = NULL;
	char err[512];
	struct tally t = { 0, 0, 0 };
	bool check = !strcmp(o->cmd, "check");
	int status = 0;

	if (course_parse_file(o->file, &ex, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (mmu_config_load(ex->config, &cfg, err, sizeof(err)) ||
	    machine_open(o->backend, &cfg, 0, &o->bo, &m, err, sizeof(err)) ||
	    course_load(m, ex, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", o->file, err);
		machine_destroy(m);
		course_free(ex);
		return 2;
	}
	rtl = rtl_of(m);
	hooks.ctx = rtl;
	if (o->html) {
		hf = fopen(o->html, "w");
		if (!hf) {
			fprintf(stderr, "mmucourse: cannot write %s\n", o->html);
			machine_destroy(m);
			course_free(ex);
			return 2;
		}
		h = course_html_open(hf, m, ex, o->backend);
	}
	if (!check && !o->quiet)
		printf("%s: %s on %s, back end %s%s\n", o->file,
		       ex->title[0] ? ex->title : "exercise", cfg.name, o->backend,
		       rtl ? " (RTL FSM states shown per cycle)" : "");
	for (unsigned i = 0; i < ex->n_acc && !status; i++)
		status = one_access(o, &m, &ex->acc[i], i + 1, rtl ? &hooks : NULL,
				    h, &t);
	if (h)
		course_html_close(h);
	if (hf && fclose(hf)) {
		fprintf(stderr, "mmucourse: error writing %s\n", o->html);
		status = 2;
	}
	if (!status && (t.answered || check))
		printf("%s: %u field(s) right, %u wrong, in %u answered access(es)\n",
		       o->file, t.right, t.wrong, t.answered);
	if (!status && check && t.wrong)
		status = 1;
	machine_destroy(m);
	course_free(ex);
	return status;
}

static int gen(const struct opts *o)
{
	struct mmu_config cfg;
	char err[512];
	FILE *ef, *kf;
	int rc;

	if (!o->has_seed || !o->out || !o->key)
		return bad("gen needs --seed N, --out FILE and --key FILE");
	if (mmu_config_load(o->file, &cfg, err, sizeof(err))) {
		fprintf(stderr, "mmucourse: %s\n", err);
		return 2;
	}
	ef = fopen(o->out, "w");
	kf = fopen(o->key, "w");
	if (!ef || !kf) {
		if (ef)
			fclose(ef);
		if (kf)
			fclose(kf);
		return bad("cannot write %s or %s", o->out, o->key);
	}
	rc = course_generate(&cfg, o->file, o->seed, o->accesses, ef, kf, err,
			     sizeof(err));
	if (fclose(ef) | fclose(kf))
		rc = -1, snprintf(err, sizeof(err), "error writing the files");
	if (rc) {
		fprintf(stderr, "mmucourse: %s\n", err);
		return 2;
	}
	printf("mmucourse: %s (exercise) and %s (answer key), seed %llu\n", o->out,
	       o->key, (unsigned long long)o->seed);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .backend = "golden", .accesses = 4, .argv0 = argv[0] };
	char err[512];

	/* The board first: plain "lockstep" keeps the RTL as its DUT. */
	if (board_backend_register() || rtl_backend_register()) {
		fprintf(stderr, "mmucourse: cannot register the board and RTL back ends\n");
		return 2;
	}
	if (argc < 2)
		return bad("expected a command: run, check or gen");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	o.cmd = argv[1];
	if (strcmp(o.cmd, "run") && strcmp(o.cmd, "check") && strcmp(o.cmd, "gen"))
		return bad("unknown command '%s': expected run, check or gen", o.cmd);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--quiet")) {
			o.quiet = true;
			continue;
		}
		if (!strcmp(a, "--wave")) {
			o.wave = true;
			continue;
		}
		if (a[0] != '-') {
			if (o.file)
				return bad("one file (or configuration) only: '%s'", a);
			o.file = a;
			continue;
		}
		if (strcmp(a, "--backend") && strcmp(a, "--html") && strcmp(a, "--out") &&
		    strcmp(a, "--key") && strcmp(a, "--seed") && strcmp(a, "--accesses") &&
		    strcmp(a, "--inject-rule"))
			return cli_unknown("mmucourse", a);
		if (!v)
			return cli_no_value("mmucourse", a);
		i++;
		if (!strcmp(a, "--backend")) {
			if (backend_available(v, err, sizeof(err)))
				return bad("--backend %s: %s", v, err);
			o.backend = v;
		} else if (!strcmp(a, "--html")) {
			o.html = v;
		} else if (!strcmp(a, "--out")) {
			o.out = v;
		} else if (!strcmp(a, "--key")) {
			o.key = v;
		} else if (!strcmp(a, "--inject-rule")) {
			if (backend_inject_rule(v, &o.bo))
				return bad("bad --inject-rule '%s': expected "
					   BACKEND_INJECT_RULES, v);
		} else if (!strcmp(a, "--seed")) {
			CLI_NUM("mmucourse", a, v, 0, UINT64_MAX, o.seed);
			o.has_seed = true;
		} else {
			CLI_NUM("mmucourse", a, v, 1, 64, o.accesses);
		}
	}
	if (!o.file)
		return bad("%s needs %s", o.cmd, strcmp(o.cmd, "gen") ?
			   "an exercise file" : "a configuration");
	if (!strcmp(o.cmd, "gen"))
		return gen(&o);
	if (backend_injects(&o.bo) && strcmp(o.backend, "lockstep"))
		return bad("--inject-rule needs --backend lockstep");
	if (o.wave) {
		const char *base = strrchr(o.file, '/') ? strrchr(o.file, '/') + 1
							: o.file;
		const char *dot = strrchr(base, '.');

		snprintf(o.wave_path, sizeof(o.wave_path), "%.*s.fst",
			 (int)(dot && dot != base ? (size_t)(dot - base)
						  : strlen(base)), base);
		o.bo.trace_path = o.wave_path;
	}
	return run_file(&o);
}
