/* SPDX-License-Identifier: MIT */
/*
 * mmuos: run scenarios (docs/scenario-language.md) on the OS over a machine
 * back end.
 *
 *   mmuos run FILE.scn... [--backend golden|lockstep|rtl|systemc|board|lockstep:board]
 *             [--config NAME]
 *             [--set key=value]... [--mem BYTES] [--swap BYTES]
 *             [--files DIR] [--allow-path PATH]... [--max-steps N]
 *             [--max-time SECONDS] [--max-file-size BYTES]
 *             [--max-parse-mem BYTES] [--quiet] [--trace] [--wave]
 *             [--inject-rule no-wp|no-invlpg] [--shrink OUT.scn]
 *   mmuos parse FILE.scn...     check the files only
 *   mmuos replay TRACE [--backend B] [--config NAME] [--mem-pct P]
 *             [--seed S] [--records N] [--wave] [--inject-rule R]
 *             [--shrink OUT] [--quiet]    a trace as mmurun replays it
 *
 * A failure prints the one failure report (sw/failure: FILE:LINE, step,
 * both outcomes, the wave file and cycle, the re-run command); --shrink
 * reduces it to the fewest lines that fail the same way.
 * Every file is parsed before anything runs; a malformed file is reported
 * with file:line:col and nothing runs (exit 2).  Exit status: 0 when every
 * expectation held, 1 when one failed (or a run stopped on an error), 2 for
 * bad usage, malformed scenarios or a run that could not start.
 */
#include "scenario/scenario.h"
#include "trace/trace.h"
#include "../../sim/rtl_backend.h"
#include "cli.h"
#include "../../sim/systemc/sc_backend.h"
#include "board/board_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 1024
#define MAX_SETS 32
#define MAX_ALLOW 32

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmuos run FILE.scn... [--backend golden|lockstep|rtl|systemc]\n"
		"                 [--config NAME|FILE.cfg] [--set key=value]...\n"
		"                 [--mem BYTES] [--swap BYTES] [--files DIR]\n"
		"                 [--allow-path PATH]... [--max-steps N] [--max-time S]\n"
		"                 [--max-file-size BYTES] [--max-parse-mem BYTES] [--quiet]\n"
		"                 [--trace] [--wave] [--inject-rule no-wp|no-invlpg]\n"
		"                 [--shrink OUT.scn]\n"
		"       mmuos parse FILE.scn...\n"
		"       mmuos replay TRACE [--backend B] [--config NAME] [--mem-pct P]\n"
		"                 [--seed S] [--records N] [--wave]\n"
		"                 [--inject-rule no-wp|no-invlpg] [--shrink OUT] [--quiet]\n"
		"       mmuos --help\n"
		"Runs scenario files on the OS (sw/os) over a machine back end\n"
		"(default golden) and prints one result line per step, then\n"
		"'scenario NAME: N steps, N checks passed, N failed'.\n"
		"  --backend B     golden (default), lockstep (golden and the DUT\n"
		"                  compared on every access), rtl, board (an FPGA\n"
		"                  board on MMU_BOARD_DEVICE at MMU_BOARD_BAUD,\n"
		"                  docs/fpga.md) or lockstep:board\n"
		"  --config C      configuration (default: the scenario's 'option\n"
		"                  config', else x86); --set overrides one key\n"
		"  --mem BYTES     physical memory (K/M/G suffixes; default: the\n"
		"                  scenario's 'option mem', else the configuration's)\n"
		"  --swap BYTES    swap area (default: the scenario's 'option swap',\n"
		"                  else none)\n"
		"  --files DIR     folder of 'file create' and relative file names\n"
		"                  (default: a temporary folder, removed afterwards)\n"
		"Limits for scenarios from anyone (a limit hit stops the scenario and is\n"
		"reported as FILE:LINE:COL: ... (--option VALUE); 'none' turns one off):\n"
		"  --allow-path P  a host file or folder that open, file create, check file\n"
		"                  and check size may use besides the files folder\n"
		"                  (repeatable; default: only the files folder)\n"
		"  --max-steps N   statements executed plus loop iterations (10000000)\n"
		"  --max-time S    seconds of wall time per scenario (600)\n"
		"  --max-file-size BYTES  largest host file a scenario writes (64M)\n"
		"  --max-parse-mem BYTES  what parsing one file may allocate, its text\n"
		"                  included (64M)\n"
		"  --quiet         print only failing steps and the summaries\n"
		"  --trace         after each step, every access it made: TLB hit or\n"
		"                  miss, each walk level's entry, the fault and what\n"
		"                  the kernel did (zero fill, copy-on-write, file\n"
		"                  read, swap-in), the signal and why, the L1\n"
		"Failures and waves (docs/verification.md):\n"
		"  --wave          the RTL's waveform: NAME.fst in the current folder\n"
		"                  (rtl, lockstep); a lockstep mismatch keeps the\n"
		"                  window of cycles before it there, and the report\n"
		"                  names the file and the cycle\n"
		"  --inject-rule R lockstep only, the checker's self-test: a rule\n"
		"                  broken in the DUT (no-wp: CR0.WP ignored;\n"
		"                  no-invlpg: INVLPG ignored)\n"
		"  --shrink OUT    one scenario: when it fails, reduce it by delta\n"
		"                  debugging to the fewest lines that still fail the\n"
		"                  same way (the same mismatch field, or the same\n"
		"                  statement and verdict), written to OUT with the\n"
		"                  command that re-runs it\n"
		"'replay' replays a trace (lackey or din) through the OS as mmurun\n"
		"does: memory for P %% of its pages (default 60), a fork half-way,\n"
		"seed S (default 1) for the data; --shrink reduces a failing trace to\n"
		"the fewest records that fail the same way.\n"
		"'parse' checks the files without running them.  Exit status: 0 all\n"
		"checks passed, 1 a check failed, 2 bad usage or a malformed scenario.\n"
		"The language: docs/scenario-language.md.\n");
}

static int bad(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	return cli_error("mmuos", "%s", msg);
}

/* A limit's value: a positive number ('s': a size with K/M/G/T, 't':
 * seconds, possibly decimal, as milliseconds), or "none". */
static bool limit_value(const char *v, char kind, uint64_t *out)
{
	char *end;
	double sec;

	if (!strcmp(v, "none")) {
		*out = SCN_UNLIMITED;
		return true;
	}
	if (kind == 's')
		return !scn_parse_size(v, out) && *out;
	if (kind == 'n')
		return !scn_parse_size(v, out) && *out && !strpbrk(v, "KMGT");
	errno = 0;
	sec = strtod(v, &end);
	if (errno || *end || !(sec >= 0.001) || sec > 1e9)
		return false;
	*out = (uint64_t)(sec * 1000 + 0.5);
	return true;
}

/* The limit options; 1 when a was one (and took v), 0 when not, or the
 * exit status 2 after a bad value. */
static int limit_opt(const char *a, const char *v, struct scn_limits *lim,
		     const char **allow)
{
	static const struct {
		const char *name;
		char kind;
		size_t off;
		const char *what;
	} opts[] = {
		{ "--max-steps", 'n', offsetof(struct scn_limits, max_steps),
		  "a number of steps such as 1000000" },
		{ "--max-time", 't', offsetof(struct scn_limits, max_ms),
		  "seconds such as 60 or 0.5" },
		{ "--max-file-size", 's', offsetof(struct scn_limits, max_file_bytes),
		  "a size such as 64M" },
		{ "--max-parse-mem", 's', offsetof(struct scn_limits, max_parse_bytes),
		  "a size such as 64M" },
	};

	if (!strcmp(a, "--allow-path")) {
		if (lim->nallow == MAX_ALLOW)
			return bad("too many --allow-path options (at most 32): '%s'", v);
		allow[lim->nallow++] = v;
		return 1;
	}
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strcmp(a, opts[i].name))
			continue;
		if (!limit_value(v, opts[i].kind,
				 (uint64_t *)((char *)lim + opts[i].off)))
			return cli_error("mmuos", "bad %s '%s': expected %s, or "
					 "none", a, v, opts[i].what);
		return 1;
	}
	return 0;
}

static void print_diags(const struct scn_diags *d)
{
	unsigned shown = d->count < SCN_MAX_DIAGS ? d->count : SCN_MAX_DIAGS;

	for (unsigned i = 0; i < shown; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	if (d->count > shown)
		fprintf(stderr, "... and %u more errors\n", d->count - shown);
}

/* The command line. */
struct cli {
	const char *files[MAX_FILES];
	const char *sets[MAX_SETS];
	const char *allow[MAX_ALLOW];
	struct scn_program *progs[MAX_FILES];
	unsigned nfiles, nsets;
	struct scn_limits lim;
	struct scn_run_opts o;
	bool parse_only, replay, wave;
	const char *shrink;            /* --shrink OUT */
	unsigned mem_pct;              /* replay */
	uint64_t seed, records;        /* replay */
	int argc;
	char **argv;
};

/* Options with a value (the rest are flags or files). */
static const char *const valued[] = {
	"--backend", "--config", "--set", "--mem", "--swap", "--files",
	"--allow-path", "--max-steps", "--max-time", "--max-file-size",
	"--max-parse-mem", "--inject-rule", "--shrink", "--mem-pct", "--seed",
	"--records", NULL,
};
/* ... and those only 'replay' takes, or only 'run'. */
static const char *const replay_only[] = { "--mem-pct", "--seed", "--records",
					   NULL };
static const char *const run_only[] = {
	"--set", "--mem", "--swap", "--files", "--allow-path", "--max-steps",
	"--max-time", "--max-file-size", "--max-parse-mem", "--trace", NULL };

/* One option with a value; 0, or the exit status after a message. */
static int value_opt(struct cli *c, const char *a, const char *v)
{
	char err[512];
	int lr = limit_opt(a, v, &c->lim, c->allow);

	if (lr)
		return lr == 1 ? 0 : lr;
	if (!strcmp(a, "--backend")) {
		if (backend_available(v, err, sizeof(err)))
			return cli_error("mmuos", "--backend %s: %s", v, err);
		c->o.backend = v;
	} else if (!strcmp(a, "--config")) {
		c->o.config = v;
	} else if (!strcmp(a, "--set")) {
		if (c->nsets == MAX_SETS)
			return bad("too many --set options (at most 32): '%s'", v);
		if (!strchr(v, '='))
			return bad("bad --set '%s': expected key=value", v);
		c->sets[c->nsets++] = v;
	} else if (!strcmp(a, "--mem")) {
		if (scn_parse_size(v, &c->o.mem_bytes) || !c->o.mem_bytes)
			return bad("bad --mem '%s': expected a size such as 64M or 0x4000000", v);
	} else if (!strcmp(a, "--swap")) {
		if (scn_parse_size(v, &c->o.swap_bytes))
			return bad("bad --swap '%s': expected a size such as 16M or 0", v);
		c->o.swap_given = true;
	} else if (!strcmp(a, "--files")) {
		c->o.files_dir = v;
	} else if (!strcmp(a, "--inject-rule")) {
		if (backend_inject_rule(v, &c->o.bo))
			return bad("bad --inject-rule '%s': expected "
				   BACKEND_INJECT_RULES, v);
	} else if (!strcmp(a, "--shrink")) {
		c->shrink = v;
	} else if (!strcmp(a, "--mem-pct")) {
		CLI_NUM("mmuos", a, v, 1, 1000, c->mem_pct);
	} else if (!strcmp(a, "--seed")) {
		CLI_NUM("mmuos", a, v, 0, UINT64_MAX, c->seed);
	} else if (!strcmp(a, "--records")) {
		CLI_NUM("mmuos", a, v, 1, UINT64_MAX, c->records);
	} else {
		return cli_unknown("mmuos", a);
	}
	return 0;
}

/* The arguments after the command; -1 to go on, or the exit status. */
static int parse_cmdline(struct cli *c, int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int rc;

		if (cli_is(a, c->replay ? run_only : replay_only))
			return cli_error("mmuos", "%s: not an option of '%s'", a,
					 argv[1]);
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--quiet")) {
			c->o.quiet = true;
			continue;
		}
		if (!strcmp(a, "--trace")) {
			c->o.trace = true;
			continue;
		}
		if (!strcmp(a, "--wave")) {
			c->wave = true;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			if (c->nfiles == MAX_FILES)
				return bad("too many scenario files (at most 1024): '%s'", a);
			c->files[c->nfiles++] = a;
			continue;
		}
		if (!cli_is(a, valued))
			return cli_unknown("mmuos", a);
		if (i + 1 == argc)
			return bad("%s needs a value", a);
		rc = value_opt(c, a, argv[++i]);
		if (rc)
			return rc;
	}
	if (!c->nfiles)
		return bad(c->replay ? "%s: no trace file given" :
			   "%s: no scenario file given", argv[1]);
	if (c->replay && c->nfiles > 1)
		return bad("replay: one trace at a time ('%s' is another)",
			   c->files[1]);
	if (c->shrink && c->nfiles > 1)
		return bad("--shrink: one scenario at a time ('%s' is another)",
			   c->files[1]);
	if (backend_injects(&c->o.bo) && strcmp(c->o.backend, "lockstep") &&
	    strcmp(c->o.backend, "lockstep-self"))
		return bad("--inject-rule needs --backend lockstep (it breaks "
			   "the DUT that is compared), not '%s'", c->o.backend);
	return -1;
}

/* The command that runs file again as this one did: the same options, but
 * the other files, --shrink and the output options. */
static void rerun_cmd(const struct cli *c, const char *file, char *buf,
		      size_t len)
{
	buf[0] = 0;
	failure_cmd_add(buf, len, c->argv[0]);
	failure_cmd_add(buf, len, c->argv[1]);
	failure_cmd_add(buf, len, file);
	for (int i = 2; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (a[0] != '-' || !a[1] || !strcmp(a, "--quiet") ||
		    !strcmp(a, "--trace"))
			continue;
		if (!strcmp(a, "--shrink")) {
			i++;
			continue;
		}
		failure_cmd_add(buf, len, a);
		if (cli_is(a, valued) && i + 1 < c->argc)
			failure_cmd_add(buf, len, c->argv[++i]);
	}
}

/* --wave: NAME.fst in the current folder. */
static const char *wave_path(const struct cli *c, const char *name, char *buf,
			     size_t len)
{
	if (!c->wave)
		return NULL;
	snprintf(buf, len, "%s.fst", name);
	return buf;
}

/* The one failure report, after the run's own lines. */
static void print_failure(struct failure *f, const char *rerun,
			  const char *wave)
{
	char rep[6144];

	snprintf(f->rerun, sizeof(f->rerun), "%s", rerun);
	snprintf(f->wave, sizeof(f->wave), "%s", wave ? wave : "");
	failure_format(f, rep, sizeof(rep));
	fflush(stdout);
	printf("FAIL %s %s:\n", f->kind, f->where);
	for (char *l = strtok(rep, "\n"); l; l = strtok(NULL, "\n"))
		printf("  %s\n", l);
}

/* Read a whole file for shrinking (at most 256 MiB). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && n < (1l << 28) &&
	    !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = 0;
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Write the shrunk text with a header of comment lines (cm: "# " in a
 * scenario, "==0== " in a trace: a valgrind line, which both trace
 * formats skip), and say where and how to re-run. */
static int write_shrunk(const struct cli *c, const char *text,
			const char *what, const char *sig, const char *cm)
{
	char cmd[1400];
	FILE *f = fopen(c->shrink, "w");

	rerun_cmd(c, c->shrink, cmd, sizeof(cmd));
	if (!f || fprintf(f, "%s%s\n%sfails the same way: %s\n%sre-run: %s\n%s",
			  cm, what, cm, sig, cm, cmd, text) < 0 || fclose(f)) {
		if (f)
			fclose(f);
		fprintf(stderr, "mmuos: cannot write %s\n", c->shrink);
		return 2;
	}
	printf("  %s\n  shrunk: %s\n  re-run: %s\n", what, c->shrink, cmd);
	return 0;
}

static void shrink_scenario(const struct cli *c, const struct scn_result *r)
{
	struct scn_shrink_result res;
	char err[512], what[512], *out;
	size_t len;
	char *text = slurp(c->files[0], &len);
	int rc;

	if (!text) {
		fprintf(stderr, "mmuos: --shrink: cannot read %s\n", c->files[0]);
		return;
	}
	rc = scn_shrink(text, len, c->files[0], &c->o, r->fail_sig, 0, &out,
			&res, err, sizeof(err));
	if (rc) {
		printf("  shrink: %s\n", err);
	} else {
		snprintf(what, sizeof(what), "shrunk from %u lines (%u "
			 "statements, failing at step %u) to %u lines (%u "
			 "statements, step %u); %u runs%s", res.lines_before,
			 res.stmts_before, res.steps_before, res.lines_after,
			 res.stmts_after, res.steps_after, res.st.tests,
			 res.st.minimal ? "" : ", stopped by the budget");
		write_shrunk(c, out, what, r->fail_sig, "# ");
		free(out);
	}
	free(text);
}

/* The configuration and its overrides, checked once up front. */
static int check_config(const struct cli *c)
{
	struct mmu_config cfg;
	const char *name = c->o.config ? c->o.config : "x86";
	char err[512];

	if (!c->o.config && !c->nsets)
		return 0;
	if (mmu_config_load(name, &cfg, err, sizeof(err))) {
		fprintf(stderr, "mmuos: --config %s: %s\n", name, err);
		return 2;
	}
	for (unsigned i = 0; i < c->nsets; i++) {
		char key[64];
		const char *eq = strchr(c->sets[i], '=');
		size_t kl = (size_t)(eq - c->sets[i]);

		if (!kl || kl >= sizeof(key)) {
			fprintf(stderr, "mmuos: bad --set '%s': expected key=value\n", c->sets[i]);
			return 2;
		}
		memcpy(key, c->sets[i], kl);
		key[kl] = 0;
		if (mmu_config_set(&cfg, key, eq + 1, err, sizeof(err))) {
			fprintf(stderr, "mmuos: --set %s: %s\n", c->sets[i], err);
			return 2;
		}
	}
	return 0;
}

/* Every file runs on a fresh machine; the exit status. */
static int run_all(struct cli *c)
{
	unsigned passed = 0, failed = 0;
	int status = 0;
	char err[512];

	for (unsigned i = 0; i < c->nfiles; i++) {
		struct scn_result r;
		char wave[600], rerun[1400];

		fflush(stdout);
		c->o.bo.trace_path = wave_path(c, scn_program_name(c->progs[i]),
					       wave, sizeof(wave));
		if (scn_run(c->progs[i], &c->o, &r, err, sizeof(err))) {
			fprintf(stderr, "mmuos: %s: cannot run: %s\n", c->files[i], err);
			status = 2;
			failed++;
			continue;
		}
		if (r.limit[0]) {
			fflush(stdout);
			fprintf(stderr, "%s\n", r.limit);
		}
		if (r.failed) {
			struct failure f;

			failed++;
			if (!status)
				status = 1;
			scn_failure(c->progs[i], &r, &f);
			rerun_cmd(c, c->files[i], rerun, sizeof(rerun));
			print_failure(&f, rerun, c->o.bo.trace_path);
			if (c->shrink)
				shrink_scenario(c, &r);
		} else {
			passed++;
		}
	}
	if (c->nfiles > 1)
		printf("scenarios: %u passed, %u failed\n", passed, failed);
	return status;
}

/* ---- mmuos replay: a trace as mmurun replays it ---------------------------- */

static void shrink_trace(const struct cli *c, const struct trace *t,
			 const struct trace_run_opts *o, const char *sig)
{
	struct trace_parse_opts po = { .format = t->format,
				       .max_records = c->records };
	struct trace_shrink_result res;
	char err[512], what[512], *out;
	size_t len;
	char *text = slurp(c->files[0], &len);

	if (!text || strstr(c->files[0], ".gz")) {
		printf("  shrink: %s: needs the trace as plain text\n", c->files[0]);
		free(text);
		return;
	}
	if (trace_shrink(text, len, c->files[0], &po, o, c->mem_pct, c->seed,
			 sig, 0, &out, &res, err, sizeof(err))) {
		printf("  shrink: %s\n", err);
	} else {
		snprintf(what, sizeof(what), "shrunk from %" PRIu64 " records "
			 "(failing at piece %" PRIu64 ") to %" PRIu64 " records "
			 "(piece %" PRIu64 "); %u replays%s", res.records_before,
			 res.piece_before, res.records_after, res.piece_after,
			 res.st.tests, res.st.minimal ? "" :
			 ", stopped by the budget");
		write_shrunk(c, out, what, sig, "==0== ");
		free(out);
	}
	free(text);
}

static int replay_trace(struct cli *c)
{
	struct trace_parse_opts po = { .max_records = c->records };
	struct trace_run_opts o = { .backend = c->o.backend, .bo = c->o.bo };
	struct mmu_config cfg;
	struct trace_diags d;
	struct trace_stats st;
	struct trace *t;
	char err[512], wave[600], rerun[1400];
	int status = 0;

	if (mmu_config_load(c->o.config ? c->o.config : "x86", &cfg, err,
			    sizeof(err)))
		return cli_error("mmuos", "--config: %s", err);
	if (trace_load(c->files[0], &po, &t, &d)) {
		for (unsigned i = 0; i < d.count && i < TRACE_MAX_DIAGS; i++)
			fprintf(stderr, "%s\n", d.msg[i]);
		return 2;
	}
	if (trace_std_opts(t, &cfg, c->mem_pct, c->seed, &o, err, sizeof(err)) ||
	    (o.bo.trace_path = wave_path(c, t->name, wave, sizeof(wave)),
	     trace_run(t, &o, &st, err, sizeof(err)))) {
		fprintf(stderr, "mmuos: %s: cannot replay: %s\n", c->files[0], err);
		trace_free(t);
		return 2;
	}
	printf("trace %s: %" PRIu64 " records, %zu pieces on %s, %" PRIu64
	       " user frames, fork at piece %" PRIu64 ": %" PRIu64 " data checks, "
	       "%" PRIu64 " lockstep checks: %s\n", t->name, t->records, t->n,
	       cfg.name, o.user_frames, o.replay.fork_at, st.data_checked,
	       st.checks, st.ok ? "PASS" : "FAIL");
	if (!st.ok) {
		struct failure f;

		status = 1;
		trace_failure(t, &st, &f);
		rerun_cmd(c, c->files[0], rerun, sizeof(rerun));
		print_failure(&f, rerun, o.bo.trace_path);
		if (c->shrink)
			shrink_trace(c, t, &o, st.fail_sig);
	}
	trace_free(t);
	return status;
}

int main(int argc, char **argv)
{
	static struct cli c;
	int status = 0;

	/* The tools are linked with the Verilated RTL: offer it. */
	/* The board first: plain "lockstep" keeps the RTL as its DUT. */
	if (board_backend_register() || systemc_backend_register() ||
	    rtl_backend_register()) {
		fprintf(stderr, "mmuos: cannot register the board, SystemC and RTL back ends\n");
		return 2;
	}
	c.o.backend = "golden";
	c.lim.allow = c.allow;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "run") && strcmp(argv[1], "parse") &&
	    strcmp(argv[1], "replay"))
		return bad("unknown command '%s': expected run, parse or replay",
			   argv[1]);
	c.parse_only = !strcmp(argv[1], "parse");
	c.replay = !strcmp(argv[1], "replay");
	c.mem_pct = 60;
	c.seed = 1;
	c.argc = argc;
	c.argv = argv;
	status = parse_cmdline(&c, argc, argv);
	if (status >= 0)
		return status;
	if (c.replay)
		return replay_trace(&c);
	c.o.sets = c.sets;
	c.o.nsets = c.nsets;
	c.o.lim = &c.lim;
	status = check_config(&c);
	if (status)
		return status;
	/* parse everything before running anything */
	for (unsigned i = 0; i < c.nfiles; i++) {
		struct scn_diags d;

		if (scn_parse_file_with(c.files[i], &c.lim, &c.progs[i], &d)) {
			print_diags(&d);
			status = 2;
		}
	}
	if (!status && c.parse_only)
		printf("parse: %u file%s ok\n", c.nfiles, c.nfiles == 1 ? "" : "s");
	else if (!status)
		status = run_all(&c);
	for (unsigned i = 0; i < c.nfiles; i++)
		scn_program_free(c.progs[i]);
	return status;
}
