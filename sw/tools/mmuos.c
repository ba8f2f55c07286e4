/* SPDX-License-Identifier: MIT */
/*
 * mmuos: run scenarios (docs/scenario-language.md) on the OS over a machine
 * back end.
 *
 *   mmuos run FILE.scn... [--backend golden|lockstep|rtl|systemc] [--config NAME]
 *             [--set key=value]... [--mem BYTES] [--swap BYTES]
 *             [--files DIR] [--allow-path PATH]... [--max-steps N]
 *             [--max-time SECONDS] [--max-file-size BYTES]
 *             [--max-parse-mem BYTES] [--quiet] [--trace]
 *   mmuos parse FILE.scn...     check the files only
 *
 * Every file is parsed before anything runs; a malformed file is reported
 * with file:line:col and nothing runs (exit 2).  Exit status: 0 when every
 * expectation held, 1 when one failed (or a run stopped on an error), 2 for
 * bad usage, malformed scenarios or a run that could not start.
 */
#include "scenario/scenario.h"
#include "../../sim/rtl_backend.h"
#include "cli.h"
#include "../../sim/systemc/sc_backend.h"

#include <errno.h>
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
		"                 [--trace]\n"
		"       mmuos parse FILE.scn...\n"
		"       mmuos --help\n"
		"Runs scenario files on the OS (sw/os) over a machine back end\n"
		"(default golden) and prints one result line per step, then\n"
		"'scenario NAME: N steps, N checks passed, N failed'.\n"
		"  --backend B     golden (default), lockstep (golden and the DUT\n"
		"                  compared on every access) or rtl\n"
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
	bool parse_only;
};

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
	} else {
		return cli_unknown("mmuos", a);
	}
	return 0;
}

/* The arguments after the command; -1 to go on, or the exit status. */
static int parse_cmdline(struct cli *c, int argc, char **argv)
{
	static const char *const valued[] = {
		"--backend", "--config", "--set", "--mem", "--swap", "--files",
		"--allow-path", "--max-steps", "--max-time", "--max-file-size",
		"--max-parse-mem",
	};

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool known = false;
		int rc;

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
		if (a[0] != '-' || !a[1]) {
			if (c->nfiles == MAX_FILES)
				return bad("too many scenario files (at most 1024): '%s'", a);
			c->files[c->nfiles++] = a;
			continue;
		}
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
			known |= !strcmp(a, valued[k]);
		if (!known)
			return cli_unknown("mmuos", a);
		if (i + 1 == argc)
			return bad("%s needs a value", a);
		rc = value_opt(c, a, argv[++i]);
		if (rc)
			return rc;
	}
	if (!c->nfiles)
		return bad("%s: no scenario file given", argv[1]);
	return -1;
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

		fflush(stdout);
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
			failed++;
			if (!status)
				status = 1;
		} else {
			passed++;
		}
	}
	if (c->nfiles > 1)
		printf("scenarios: %u passed, %u failed\n", passed, failed);
	return status;
}

int main(int argc, char **argv)
{
	static struct cli c;
	int status = 0;

	/* The tools are linked with the Verilated RTL: offer it. */
	if (systemc_backend_register() || rtl_backend_register()) {
		fprintf(stderr, "mmuos: cannot register the RTL and SystemC back ends\n");
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
	if (strcmp(argv[1], "run") && strcmp(argv[1], "parse"))
		return bad("unknown command '%s': expected run or parse", argv[1]);
	c.parse_only = !strcmp(argv[1], "parse");
	status = parse_cmdline(&c, argc, argv);
	if (status >= 0)
		return status;
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
