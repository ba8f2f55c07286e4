/* SPDX-License-Identifier: MIT */
/*
 * mmurun's command line (mmurun.h): the options into struct cli, and the
 * configurations the seeds run on.
 */
#include "mmurun.h"
#include "cli.h"
#include "jobs/jobs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

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

/* The valued options with a number (and --seed-configs, --inject-rule):
 * as parse_valued. */
static int parse_number(struct cli *c, const char *a, const char *v)
{
	if (!strcmp(a, "--records")) {
		NUM(1, UINT64_MAX, c->records);
	} else if (!strcmp(a, "--mem-pct")) {
		NUM(1, 1000, c->mem_pct);
	} else if (!strcmp(a, "--seeds")) {
		NUM(0, MAX_SEEDS, c->seeds);
	} else if (!strcmp(a, "--seed-configs")) {
		c->seed_cfgs = v;
	} else if (!strcmp(a, "--seed-ops")) {
		NUM(1, UINT64_MAX, c->seed_ops);
	} else if (!strcmp(a, "--inject-rule")) {
		if (backend_inject_rule(v, &c->bo))
			return bad("--inject-rule (" BACKEND_INJECT_RULES ")", v);
	} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
		NUM(1, JOBS_MAX_WORKERS, c->jobs);
	} else {
		return -1;
	}
	return 0;
}

/* Option a with its value v: 0 taken, 2 a usage error (said), -1 not a
 * valued option. */
static int parse_valued(struct cli *c, const char *a, const char *v)
{
	if (!strcmp(a, "--backend")) {
		char err[256];

		if (backend_available(v, err, sizeof(err)))
			return cli_error("mmurun", "--backend %s: %s", v, err);
		c->backend = v;
	} else if (!strcmp(a, "--config")) {
		c->config = v;
	} else if (!strcmp(a, "--out")) {
		c->out = v;
	} else if (!strcmp(a, "--only")) {
		c->only = v;
	} else if (!strcmp(a, "--scenarios")) {
		c->scn_dir = v;
	} else if (!strcmp(a, "--traces")) {
		struct stat sb;

		if (c->ntrace_dirs == MAX_DIRS)
			return bad("--traces (at most 8)", v);
		errno = 0;
		if (stat(v, &sb) || !S_ISDIR(sb.st_mode))
			return cli_error("mmurun", "--traces %s: %s", v,
					 errno ? strerror(errno)
					       : "not a folder");
		c->trace_dirs[c->ntrace_dirs++] = v;
	} else if (!strcmp(a, "--shard")) {
		if (!cli_parse_shard(v, &c->shard_i, &c->shard_n))
			return bad("--shard (want I/N, 1 <= I <= N)", v);
	} else {
		return parse_number(c, a, v);
	}
	return 0;
}

/* A flag without a value: 0 taken, -1 not one. */
static int parse_flag(struct cli *c, const char *a)
{
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
	} else {
		return -1;
	}
	return 0;
}

int parse_args(int argc, char **argv, struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int rc = v ? parse_valued(c, a, v) : -1;

		if (rc > 0)
			return rc;
		if (rc == 0) {
			i++;
			continue;
		}
		if (!parse_flag(c, a))
			continue;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
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
int load_seed_configs(const struct cli *c, struct ctx *x)
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

