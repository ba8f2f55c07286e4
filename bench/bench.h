/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark shares: each figure it prints is also a row of
 * $BENCH_TSV_DIR/<bench>.tsv (default build/bench), so that two runs, or
 * two checkouts (make bench-compare), can be compared figure by figure:
 *
 *   bench  config  figure  value  unit
 *
 * `figure` names what was measured and under which conditions (stream,
 * PSC, where the entries are, DRAM latency); with bench and config it is
 * the row's key.  Figures only: nothing here passes or fails.
 */
#ifndef MMU_BENCH_H
#define MMU_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static FILE *bench_tsv_file;
static const char *bench_tsv_name;

static inline double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Opens the bench's TSV file (the folder made if needed); on failure the
 * figures are printed only, with a warning. */
static inline void bench_tsv_open(const char *bench)
{
	const char *dir = getenv("BENCH_TSV_DIR");
	char path[600];

	if (!dir || !*dir)
		dir = "build/bench";
	bench_tsv_name = bench;
	snprintf(path, sizeof(path), "%s/", dir);
	for (char *s = path + 1; *s; s++)  /* mkdir -p */
		if (*s == '/') {
			*s = 0;
			mkdir(path, 0777);
			*s = '/';
		}
	snprintf(path, sizeof(path), "%s/%s.tsv", dir, bench);
	bench_tsv_file = fopen(path, "w");
	if (!bench_tsv_file) {
		fprintf(stderr, "%s: cannot write %s: %s (figures printed only)\n",
			bench, path, strerror(errno));
		return;
	}
	fputs("bench\tconfig\tfigure\tvalue\tunit\n", bench_tsv_file);
}

/* One figure's TSV row (printing it is the caller's). */
static inline void bench_fig(const char *config, const char *figure,
			     double value, const char *unit)
{
	if (!bench_tsv_file)
		return;
	fprintf(bench_tsv_file, "%s\t%s\t%s\t%.6g\t%s\n", bench_tsv_name,
		config, figure, value, unit);
	fflush(bench_tsv_file);
}

#endif
