/* SPDX-License-Identifier: MIT */
/* The command line of a benchmark without options: --help prints what it
 * measures (the text given), anything else is a usage error as in the
 * tools (sw/tools/cli.h). */
#ifndef BENCH_CLI_H
#define BENCH_CLI_H

#include "../sw/tools/cli.h"

/* -1: go on; else the exit status. */
static inline int bench_args(int argc, char **argv, const char *name,
			     const char *what)
{
	if (argc < 2)
		return -1;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("usage: %s\n%s", name, what);
		return 0;
	}
	return cli_unknown(name, argv[1]);
}

#endif
