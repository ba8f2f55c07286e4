/* SPDX-License-Identifier: MIT */
/*
 * mmuos: run scenarios (docs/scenario-language.md) on the OS over a machine
 * back end.
 *
 *   mmuos run FILE.scn... [--backend golden|lockstep|rtl] [--config NAME]
 *             [--set key=value]... [--mem BYTES] [--swap BYTES]
 *             [--files DIR] [--quiet]
 *   mmuos parse FILE.scn...     check the files only
 *
 * Every file is parsed before anything runs; a malformed file is reported
 * with file:line:col and nothing runs (exit 2).  Exit status: 0 when every
 * expectation held, 1 when one failed (or a run stopped on an error), 2 for
 * bad usage, malformed scenarios or a run that could not start.
 */
#include "../scenario/scenario.h"
#include "../../sim/rtl_backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 1024
#define MAX_SETS 32

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmuos run FILE.scn... [--backend golden|lockstep|rtl]\n"
		"                 [--config NAME|FILE.cfg] [--set key=value]...\n"
		"                 [--mem BYTES] [--swap BYTES] [--files DIR] [--quiet]\n"
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
		"  --quiet         print only failing steps and the summaries\n"
		"'parse' checks the files without running them.  Exit status: 0 all\n"
		"checks passed, 1 a check failed, 2 bad usage or a malformed scenario.\n"
		"The language: docs/scenario-language.md.\n");
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "mmuos: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(mmuos --help for usage)\n");
	return 2;
}

static void print_diags(const struct scn_diags *d)
{
	unsigned shown = d->count < SCN_MAX_DIAGS ? d->count : SCN_MAX_DIAGS;

	for (unsigned i = 0; i < shown; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	if (d->count > shown)
		fprintf(stderr, "... and %u more errors\n", d->count - shown);
}

int main(int argc, char **argv)
{
	static const char *files[MAX_FILES];
	static const char *sets[MAX_SETS];
	static struct scn_program *progs[MAX_FILES];
	unsigned nfiles = 0, nsets = 0, passed = 0, failed = 0;
	struct scn_run_opts o;
	bool parse_only;
	int status = 0;
	char err[512];

	/* The tools are linked with the Verilated RTL: offer it. */
	if (rtl_backend_register()) {
		fprintf(stderr, "mmuos: cannot register the RTL back end\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.backend = "golden";
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
	parse_only = !strcmp(argv[1], "parse");

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--quiet")) {
			o.quiet = true;
			continue;
		}
		if (a[0] == '-' && a[1]) {
			bool valued = !strcmp(a, "--backend") || !strcmp(a, "--config") ||
				      !strcmp(a, "--set") || !strcmp(a, "--mem") ||
				      !strcmp(a, "--swap") || !strcmp(a, "--files");

			if (!valued)
				return bad("unknown option '%s'", a);
			if (!v)
				return bad("%s needs a value", a);
			i++;
			if (!strcmp(a, "--backend")) {
				if (backend_available(v, err, sizeof(err))) {
					fprintf(stderr, "mmuos: --backend %s: %s\n", v, err);
					return 2;
				}
				o.backend = v;
			} else if (!strcmp(a, "--config")) {
				o.config = v;
			} else if (!strcmp(a, "--set")) {
				if (nsets == MAX_SETS)
					return bad("too many --set options (at most 32): '%s'", v);
				if (!strchr(v, '='))
					return bad("bad --set '%s': expected key=value", v);
				sets[nsets++] = v;
			} else if (!strcmp(a, "--mem")) {
				if (scn_parse_size(v, &o.mem_bytes) || !o.mem_bytes)
					return bad("bad --mem '%s': expected a size such as 64M or 0x4000000", v);
			} else if (!strcmp(a, "--swap")) {
				if (scn_parse_size(v, &o.swap_bytes))
					return bad("bad --swap '%s': expected a size such as 16M or 0", v);
				o.swap_given = true;
			} else {
				o.files_dir = v;
			}
			continue;
		}
		if (nfiles == MAX_FILES)
			return bad("too many scenario files (at most 1024): '%s'", a);
		files[nfiles++] = a;
	}
	if (!nfiles)
		return bad("%s: no scenario file given", argv[1]);
	o.sets = sets;
	o.nsets = nsets;

	/* the configuration and its overrides, checked once up front */
	if (o.config || nsets) {
		struct mmu_config cfg;
		const char *name = o.config ? o.config : "x86";

		if (mmu_config_load(name, &cfg, err, sizeof(err))) {
			fprintf(stderr, "mmuos: --config %s: %s\n", name, err);
			return 2;
		}
		for (unsigned i = 0; i < nsets; i++) {
			char key[64];
			const char *eq = strchr(sets[i], '=');
			size_t kl = (size_t)(eq - sets[i]);

			if (!kl || kl >= sizeof(key)) {
				fprintf(stderr, "mmuos: bad --set '%s': expected key=value\n", sets[i]);
				return 2;
			}
			memcpy(key, sets[i], kl);
			key[kl] = 0;
			if (mmu_config_set(&cfg, key, eq + 1, err, sizeof(err))) {
				fprintf(stderr, "mmuos: --set %s: %s\n", sets[i], err);
				return 2;
			}
		}
	}

	/* parse everything before running anything */
	for (unsigned i = 0; i < nfiles; i++) {
		struct scn_diags d;

		if (scn_parse_file(files[i], &progs[i], &d)) {
			print_diags(&d);
			status = 2;
		}
	}
	if (status || parse_only) {
		if (!status)
			printf("parse: %u file%s ok\n", nfiles, nfiles == 1 ? "" : "s");
		for (unsigned i = 0; i < nfiles; i++)
			scn_program_free(progs[i]);
		return status;
	}

	for (unsigned i = 0; i < nfiles; i++) {
		struct scn_result r;

		fflush(stdout);
		if (scn_run(progs[i], &o, &r, err, sizeof(err))) {
			fprintf(stderr, "mmuos: %s: cannot run: %s\n", files[i], err);
			status = 2;
			failed++;
			continue;
		}
		if (r.failed) {
			failed++;
			if (!status)
				status = 1;
		} else {
			passed++;
		}
	}
	if (nfiles > 1)
		printf("scenarios: %u passed, %u failed\n", passed, failed);
	for (unsigned i = 0; i < nfiles; i++)
		scn_program_free(progs[i]);
	return status;
}
