/* SPDX-License-Identifier: MIT */
/*
 * mmucover: merge functional-coverage files (mmuregress --cover, one per
 * run or shard) and print the summary with the holes.  The library is
 * sw/cover; docs/verification.md is the manual.
 */
#include "cover/cover.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmucover [-o OUT] [--holes N] FILE...\n"
		"Merge functional-coverage files (counts add, bins unite), print\n"
		"bins hit of bins defined per group and the first N holes\n"
		"(default 60), and write the merged file to OUT.  Exits 1 when a\n"
		"file cannot be read or written, 2 on bad usage.\n");
}

static int write_out(struct cover_set *s, const char *path)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		fprintf(stderr, "mmucover: cannot write %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	bad = cover_write(s, f) | fclose(f);
	if (bad)
		fprintf(stderr, "mmucover: writing %s failed\n", path);
	return bad ? 1 : 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct cover_set *s,
		      const char **out, unsigned *holes, unsigned *files)
{
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--holes")) &&
			   i + 1 == argc) {
			return cli_no_value("mmucover", a);
		} else if (!strcmp(a, "-o")) {
			*out = argv[++i];
		} else if (!strcmp(a, "--holes")) {
			const char *v = argv[++i];

			CLI_NUM("mmucover", a, v, 0, UINT32_MAX, *holes);
		} else if (a[0] == '-') {
			return cli_unknown("mmucover", a);
		} else if (cover_read(s, a, err, sizeof(err))) {
			fprintf(stderr, "mmucover: %s\n", err);
			return 1;
		} else {
			(*files)++;
		}
	}
	return *files ? -1 : cli_error("mmucover", "no coverage file named");
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned holes = 60, files = 0;
	struct cover_set *s;
	int rc;

	if (cover_new(&s))
		return 2;
	rc = parse_args(argc, argv, s, &out, &holes, &files);
	if (rc < 0) {
		printf("merged %u file%s\n", files, files == 1 ? "" : "s");
		cover_summary(s, stdout, holes);
		rc = out ? write_out(s, out) : 0;
	}
	cover_free(s);
	return rc;
}
