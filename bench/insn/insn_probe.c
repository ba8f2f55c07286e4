/* SPDX-License-Identifier: MIT */
/*
 * The fixed runs whose instructions scripts/bench_insn.sh counts under
 * callgrind (instructions per access and per simulated cycle, the figures
 * that do not depend on the machine's load).  Only the machine interface,
 * the trace library and rtl_backend_register, so that the same file builds
 * against older revisions too (make bench-compare's worktrees).
 *
 *   insn_probe BACKEND PAGES N     N random accesses (8 bytes, user, 3/4
 *                                  loads) over PAGES 4 KiB pages, after the
 *                                  same N as a warm-up; x86
 *   insn_probe BACKEND trace FILE RECORDS   the trace's first RECORDS
 *                                  replayed as bench_trace does
 *
 * Callgrind counts only probe_measure (the measured accesses) or
 * trace_replay (--toggle-collect); the program prints the accesses and the
 * simulated cycles of that part.  Not a benchmark of make bench: a
 * measuring tool (no timing, no pass/fail).
 */
/* the headers of the checkout it is built against (-I DIR -I DIR/sw) */
#include "sim/rtl_backend.h"
#include "backend/backend.h"
#include "config/config.h"
#include "machine/pagetable.h"
#include "trace/trace.h"
#include "regress/regress.h"
#include "../bench_map.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn static void die(const char *what, const char *msg)
{
	fprintf(stderr, "insn_probe: %s: %s\n", what, msg);
	exit(1);
}

static struct regress_rng rng = { 0x9E3779B97F4A7C15ull };

static uint64_t rnd(void)
{
	return regress_rng_next(&rng);
}

__attribute__((noinline)) static void run(struct machine *m,
					  const struct mmu_req *r, unsigned n)
{
	struct mmu_outcome o;

	for (unsigned i = 0; i < n; i++)
		if (machine_access(m, &r[i], &o))
			die("access", m->err);
}

/* The measured part (callgrind --toggle-collect=probe_measure). */
__attribute__((noinline)) void probe_measure(struct machine *m,
					     const struct mmu_req *r, unsigned n)
{
	run(m, r, n);
}

static int stream(const char *backend, unsigned pages, unsigned n)
{
	struct mmu_req *r = calloc(n, sizeof(*r));
	struct mmu_counters a, b;
	struct mmu_config cfg;
	struct machine *m;
	char err[256];

	if (!r || mmu_config_load("x86", &cfg, err, sizeof(err)) ||
	    machine_open(backend, &cfg, 0, NULL, &m, err, sizeof(err)))
		die(backend, r ? err : "out of memory");
	if (bench_map_pages(m, pages))
		die("page tables", m->err);
	for (unsigned i = 0; i < n; i++) {
		r[i].va = BENCH_VA_BASE + ((rnd() % ((uint64_t)pages * 4096)) & ~7ull);
		r[i].op = (rnd() & 3) ? MMU_LOAD : MMU_STORE;
		r[i].size = 8;
		r[i].user = true;
		r[i].wdata = rnd();
	}
	run(m, r, n);  /* warm-up, not collected: the same stream */
	machine_counters(m, &a);
	probe_measure(m, r, n);
	machine_counters(m, &b);
	printf("insn_probe: %s, %u pages: %u accesses, %" PRIu64 " cycles\n",
	       backend, pages, n, b.cycles - a.cycles);
	machine_destroy(m);
	free(r);
	return 0;
}

static int trace(const char *backend, const char *path, uint64_t records)
{
	struct trace_parse_opts po = { .max_records = records };
	struct trace_run_opts o = { .backend = backend };
	struct trace_layout lay;
	struct trace_diags d;
	struct trace_stats st;
	struct mmu_config cfg;
	struct trace *t;
	char err[512];

	if (mmu_config_load("x86", &cfg, err, sizeof(err)))
		die("config", err);
	if (trace_load(path, &po, &t, &d))
		die(path, d.count ? d.msg[0] : "cannot read");
	if (trace_layout(t, &cfg, NULL, &lay, err, sizeof(err)))
		die(path, err);
	/* bench_trace's run: 60 % of the touched pages resident, a fork
	 * half-way, code from a file */
	o.cfg = &cfg;
	o.user_frames = lay.touched_pages * 60 / 100;
	trace_layout_free(&lay);
	o.replay.fork_at = t->n / 2;
	o.replay.code_file = true;
	o.replay.seed = 1;
	o.bo.seed = 1;
	if (trace_run(t, &o, &st, err, sizeof(err)))
		die(backend, err);
	if (!st.ok)
		die(backend, st.fail);
	printf("insn_probe: %s, trace %s, %" PRIu64 " records: %" PRIu64
	       " accesses, %" PRIu64 " cycles\n", backend, path, t->records,
	       st.c.accesses, st.c.cycles);
	trace_free(t);
	return 0;
}

int main(int argc, char **argv)
{
	char *end;

	if (argc < 4 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 4 ? stderr : stdout,
			"usage: insn_probe BACKEND PAGES N | BACKEND trace FILE RECORDS\n");
		return argc < 4 ? 2 : 0;
	}
	if (rtl_backend_register())
		die("set-up", "cannot register the RTL back end");
	if (!strcmp(argv[2], "trace")) {
		unsigned long long rec;

		if (argc != 5 || !(rec = strtoull(argv[4], &end, 10)) || *end)
			die("RECORDS", "a positive number expected");
		return trace(argv[1], argv[3], rec);
	}
	{
		unsigned long pages = strtoul(argv[2], &end, 10), n;

		if (!pages || *end || pages > 65536)
			die("PAGES", "1 to 65536 expected");
		n = strtoul(argv[3], &end, 10);
		if (!n || *end || n > 10000000)
			die("N", "1 to 10000000 expected");
		return stream(argv[1], (unsigned)pages, (unsigned)n);
	}
}
