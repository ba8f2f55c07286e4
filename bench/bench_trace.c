/* SPDX-License-Identifier: MIT */
/*
 * Trace replay speed (issue 5 figures): a real program's trace (the one
 * shipped in tests/traces, or the file given) replayed through the OS and
 * the MMU, on the golden model alone and in lockstep with the RTL, with
 * the same memory pressure as `make run` (60 % of the touched pages
 * resident) and a fork half-way.  Prints accesses per second and, in
 * lockstep, simulated cycles per second.  Figures only, never pass/fail.
 * With --memory: the golden model alone, and the host memory the whole
 * job took (peak resident set, from loading the trace to the end of the
 * replay) per access of the trace.
 *
 *   bench_trace [--memory] [TRACE [RECORDS]]
 */
#include "../sim/rtl_backend.h"
#include "bench_cli.h"
#include "../sim/systemc/sc_backend.h"
#include "../sw/config/config.h"
#include "../sw/backend/backend.h"
#include "../sw/trace/trace.h"
#include "bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define DEFAULT_TRACE "tests/traces/ls-usr-bin.lackey.gz"
#define MEM_PCT 60

static int replay(const struct trace *t, const struct mmu_config *cfg,
		  const char *backend, uint64_t user_frames)
{
	struct trace_run_opts o = { .backend = backend, .cfg = cfg,
				    .user_frames = user_frames };
	struct trace_stats st;
	char err[512], desc[32], fig[200];

	o.replay.fork_at = t->n / 2;
	o.replay.code_file = true;
	o.replay.seed = 1;
	o.bo.seed = 1;
	if (trace_run(t, &o, &st, err, sizeof(err))) {
		fprintf(stderr, "bench_trace: %s: %s\n", backend, err);
		return -1;
	}
	if (!st.ok) {
		fprintf(stderr, "bench_trace: %s: a check failed: %s\n", backend,
			st.fail);
		return -1;
	}
	printf("%-20s %10" PRIu64 " accesses %8.3f s %12.0f accesses/s",
	       backend_describe(backend, desc, sizeof(desc)), st.c.accesses,
	       st.secs, st.secs > 0 ? (double)st.c.accesses / st.secs : 0);
	snprintf(fig, sizeof(fig), "%s, %" PRIu64 " records, %d%% resident, "
		 "fork half-way: accesses/s", desc, t->records, MEM_PCT);
	bench_fig(cfg->name, fig, st.secs > 0 ? (double)st.c.accesses /
		  st.secs : 0, "accesses/s");
	if (st.c.cycles) {
		printf(" %12.0f cycles/s", (double)st.c.cycles / st.secs);
		snprintf(fig, sizeof(fig), "%s, %" PRIu64 " records, %d%% "
			 "resident, fork half-way: simulated cycles/s", desc,
			 t->records, MEM_PCT);
		bench_fig(cfg->name, fig, (double)st.c.cycles / st.secs,
			  "cycles/s");
	}
	printf("  (%" PRIu64 " faults, %" PRIu64 " swap-outs)\n",
	       st.os.minor_faults + st.os.major_faults, st.os.swap_outs);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_trace [--memory] [TRACE [RECORDS]]\n"
		"Replays TRACE (default %s, all records or the first RECORDS)\n"
		"on the golden model and in lockstep with the RTL; prints\n"
		"accesses per second.  --memory: golden only, and the peak host\n"
		"memory per access.\n", DEFAULT_TRACE);
}

/* Peak resident set of this process so far, in bytes. */
static uint64_t peak_rss(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss << 10;
}

int main(int argc, char **argv)
{
	bool memory = argc > 1 && !strcmp(argv[1], "--memory");
	const char *path, *records;
	struct trace_parse_opts po = { 0 };
	static const char *const backends[] = { "golden", "lockstep" };
	size_t nback = sizeof(backends) / sizeof(backends[0]);
	uint64_t rss0 = peak_rss();
	struct trace_layout lay;
	struct trace_diags d;
	struct mmu_config cfg;
	struct trace *t;
	char err[256];
	uint64_t frames;
	int rc = 0;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	argv += memory;
	argc -= memory;
	if (argc > 3 || (argc > 1 && argv[1][0] == '-'))
		return cli_unknown("bench_trace", argv[argc > 3 ? 3 : 1]);
	path = argc > 1 ? argv[1] : DEFAULT_TRACE;
	records = argc > 2 ? argv[2] : NULL;
	if (records && !cli_number("bench_trace", "RECORDS", records, 1,
				   UINT64_MAX, &po.max_records))
		return 2;
	if (memory)
		nback = 1;
	if (systemc_backend_register() || rtl_backend_register() ||
	    mmu_config_load("x86", &cfg, err, sizeof(err))) {
		fprintf(stderr, "bench_trace: cannot set up: %s\n", err);
		return 1;
	}
	if (trace_load(path, &po, &t, &d)) {
		fprintf(stderr, "bench_trace: %s: %s\n", path,
			d.count ? d.msg[0] : "cannot read");
		return 1;
	}
	if (trace_layout(t, &cfg, NULL, &lay, err, sizeof(err))) {
		fprintf(stderr, "bench_trace: %s\n", err);
		trace_free(t);
		return 1;
	}
	frames = lay.touched_pages * MEM_PCT / 100;
	printf("bench_trace: %s, %" PRIu64 " records (%zu pieces), %" PRIu64
	       " pages touched, %" PRIu64 " resident, fork half-way, x86\n",
	       path, t->records, t->n, lay.touched_pages, frames);
	trace_layout_free(&lay);
	bench_tsv_open("bench_trace");
	for (size_t i = 0; i < nback; i++)
		if (replay(t, &cfg, backends[i], frames))
			rc = 1;
	if (memory) {
		uint64_t rss = peak_rss();

		printf("host memory: peak resident %.1f MiB (%.1f MiB before the "
		       "trace), %.1f bytes per access of the trace (%" PRIu64
		       " records)\n", rss / 1048576.0, rss0 / 1048576.0,
		       t->records ? (double)(rss - rss0) / (double)t->records : 0,
		       t->records);
	}
	trace_free(t);
	return rc;
}
