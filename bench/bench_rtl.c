/* SPDX-License-Identifier: MIT */
/*
 * RTL figures (issue 3), one core, Verilated model without waveforms:
 *   - simulated cycles/s and accesses/s of the RTL alone, and checked
 *     accesses/s in lockstep with the golden model (the cost of checking);
 *   - hit throughput (accesses per cycle) on back-to-back TLB+L1 hits;
 *   - load-to-use latency of a hit (cycles from acceptance to response);
 *   - walk latency, as the walk alone (TLB miss to fill: the cycles the
 *     MMU spends in its walk state, the walk_cycles counter) and as the
 *     whole access (request to response: the walk, the data line's fill
 *     and any write-back), and entries read per walk: a full 4-level walk
 *     (no paging-structure cache entry) and one a PSC hit shortens to a
 *     single read, each with the page-table lines in the L1 and in DRAM,
 *     at two DRAM latencies.
 * Every figure is printed with its configuration, and written to
 * build/bench/bench_rtl.tsv (bench.h).  Figures only: nothing here passes
 * or fails.
 */
#include "bench_cli.h"
#include "bench.h"
#include "../sim/rtl_machine.h"
#include "../sw/config/config.h"
#include "../sw/golden/golden.h"
#include "../sw/lockstep/lockstep.h"
#include "../sw/machine/pagetable.h"
#include "../sw/regress/regress.h"
#include "bench_map.h"

#include <stdio.h>
#include <stdlib.h>

#define PAGES_HOT  4      /* within the TLB and half the L1 */
#define PAGES_COLD 4096   /* 16 MiB: most accesses miss the TLB */
#define VA_BASE    BENCH_VA_BASE

#define now bench_now

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_rtl: %s: %s\n", what, msg);
	exit(1);
}

static void map_pages(struct machine *m, unsigned pages)
{
	if (bench_map_pages(m, pages))
		die("page tables", m->err);
}

static struct machine *rtl(const struct mmu_config *cfg, unsigned latency)
{
	struct rtl_opts o = { .rd_latency = latency, .wr_latency = latency };
	struct machine *m;
	char err[256];

	if (rtl_create(cfg, 0, &o, &m, err, sizeof(err)))
		die("rtl_create", err);
	return m;
}

static struct regress_rng rng = { 0x9E3779B97F4A7C15ull };

static uint64_t rnd(void)
{
	return regress_rng_next(&rng);
}

static struct mmu_req random_req(unsigned pages)
{
	struct mmu_req r = { .size = 8, .user = true };

	r.va = VA_BASE + ((rnd() % ((uint64_t)pages * 4096)) & ~7ull);
	r.op = (rnd() & 3) ? MMU_LOAD : MMU_STORE;
	r.wdata = rnd();
	return r;
}

/* Run a random stream for about `secs`; report accesses/s and, through the
 * RTL machine `clock` (may be the DUT inside lockstep), cycles/s. */
static void stream(const char *label, struct machine *m, struct machine *clock,
		   unsigned pages, double secs)
{
	char fig[160];
	struct mmu_outcome o;
	uint64_t n = 0, c0 = rtl_cycles(clock);
	double t0 = now(), t;

	do {
		for (unsigned i = 0; i < 4096; i++) {
			struct mmu_req r = random_req(pages);

			if (machine_access(m, &r, &o))
				die(label, m->err);
		}
		n += 4096;
		t = now() - t0;
	} while (t < secs);
	printf("  %-34s %10.0f accesses/s %10.0f cycles/s  (%.2f cycles/access)\n",
	       label, (double)n / t, (double)(rtl_cycles(clock) - c0) / t,
	       (double)(rtl_cycles(clock) - c0) / (double)n);
	snprintf(fig, sizeof(fig), "%s, %u pages, DRAM latency 0: accesses/s",
		 label, pages);
	bench_fig(m->cfg.name, fig, (double)n / t, "accesses/s");
	snprintf(fig, sizeof(fig), "%s, %u pages, DRAM latency 0: simulated "
		 "cycles/s", label, pages);
	bench_fig(m->cfg.name, fig, (double)(rtl_cycles(clock) - c0) / t,
		  "cycles/s");
}

static void throughput(const struct mmu_config *cfg)
{
	struct machine *m = rtl(cfg, 0), *g, *ls, *d;
	char err[256];

	printf("simulation speed (%s, DRAM latency 0)\n", cfg->name);
	map_pages(m, PAGES_HOT);
	stream("RTL alone, TLB-hit stream", m, m, PAGES_HOT, 1.0);
	machine_destroy(m);
	m = rtl(cfg, 0);
	map_pages(m, PAGES_COLD);
	stream("RTL alone, TLB-miss stream", m, m, PAGES_COLD, 1.0);
	machine_destroy(m);

	d = rtl(cfg, 0);
	if (golden_create(cfg, 0, &g, err, sizeof(err)) ||
	    lockstep_create(g, d, &ls, err, sizeof(err)))
		die("lockstep", err);
	map_pages(ls, PAGES_HOT);
	stream("lockstep, TLB-hit stream", ls, d, PAGES_HOT, 1.0);
	machine_destroy(ls);
	d = rtl(cfg, 0);
	if (golden_create(cfg, 0, &g, err, sizeof(err)) ||
	    lockstep_create(g, d, &ls, err, sizeof(err)))
		die("lockstep", err);
	map_pages(ls, PAGES_COLD);
	stream("lockstep, TLB-miss stream", ls, d, PAGES_COLD, 1.0);
	machine_destroy(ls);
}

/* Back-to-back hits, pipelined (rtl_access_stream): with the registered
 * hit stage an access is answered two cycles after its acceptance while the
 * next one is in flight behind it. */
static void hits(const struct mmu_config *cfg)
{
	enum { BATCH = 1024 };  /* the pipeline drains once per stream call */
	struct machine *m = rtl(cfg, 0);
	static struct mmu_outcome o[BATCH];
	static struct mmu_req r[BATCH];
	struct mmu_req w = { .va = VA_BASE, .op = MMU_STORE, .size = 8, .user = true };
	const unsigned n = 100000 / BATCH * BATCH;
	/* 64-byte steps over the hot pages, or half the L1 if that is less */
	const uint64_t half_l1 = cfg->l1_sets * cfg->l1_ways * cfg->l1_line / 2;
	const unsigned lines = (unsigned)((PAGES_HOT * 4096ull < half_l1 ? PAGES_HOT * 4096ull
									 : half_l1) / 64);
	uint64_t c0;
	unsigned lat_min = ~0u, lat_max = 0;

	map_pages(m, PAGES_HOT);
	/* warm the TLB and the L1; a store makes each page's entry dirty so
	 * later stores do not walk to set D */
	for (unsigned i = 0; i < PAGES_HOT * 64; i++) {
		w.va = VA_BASE + (i % lines) * 64;
		if (machine_access(m, &w, &o[0]))
			die("warm", m->err);
	}
	c0 = rtl_cycles(m);
	for (unsigned i = 0; i < n; i += BATCH) {
		for (unsigned k = 0; k < BATCH; k++) {
			r[k] = w;
			r[k].va = VA_BASE + (((i + k) * 7) % lines) * 64;
			r[k].op = ((i + k) & 1) ? MMU_STORE : MMU_LOAD;
		}
		if (rtl_access_stream(m, r, BATCH, o, NULL))
			die("hit stream", m->err);
		for (unsigned k = 0; k < BATCH; k++) {
			if (!o[k].tlb_hit || !o[k].l1_hit || o[k].walked) {
				char line[256];

				mmu_outcome_format(&o[k], line, sizeof(line));
				die("hit stream: an access of the warmed set missed", line);
			}
			if (o[k].cycles < lat_min) lat_min = o[k].cycles;
			if (o[k].cycles > lat_max) lat_max = o[k].cycles;
		}
	}
	printf("hits (%s, hit_stage %llu, DRAM latency 0, TLB and L1 warm): %u "
	       "back-to-back loads/stores in %llu cycles = %.3f accesses/cycle; "
	       "load-to-use %u..%u cycles\n", cfg->name,
	       (unsigned long long)cfg->hit_stage, n,
	       (unsigned long long)(rtl_cycles(m) - c0),
	       (double)n / (double)(rtl_cycles(m) - c0), lat_min, lat_max);
	bench_fig(cfg->name, "TLB+L1 hits back to back: accesses/cycle",
		  (double)n / (double)(rtl_cycles(m) - c0), "accesses/cycle");
	bench_fig(cfg->name, "TLB+L1 hit: load-to-use, most", lat_max, "cycles");
	machine_destroy(m);
}

/* Walks of one kind: the walk alone, the whole access, entries read. */
struct walk_fig {
	double walk, access, reads, l1_hits;
	unsigned n;
};

/* One access that must walk; counted when a PSC hit shortened it or not,
 * as `psc` asks. */
static void walk_once(struct machine *m, const struct mmu_req *r, bool psc,
		      struct walk_fig *f)
{
	struct mmu_counters a, b;
	struct mmu_outcome o;

	machine_counters(m, &a);
	if (machine_access(m, r, &o) || !o.walked)
		die("walk", "expected a walk");
	machine_counters(m, &b);
	if ((o.psc_level != 0) != psc)
		return;
	f->walk += (double)(b.walk_cycles - a.walk_cycles);
	f->access += o.cycles;
	f->reads += o.walk_reads;
	f->l1_hits += (double)(b.walk_l1_hits - a.walk_l1_hits);
	f->n++;
}

static void print_walks(const struct mmu_config *cfg, unsigned latency,
			bool psc, bool cold, const struct walk_fig *f)
{
	char what[96], fig[200];
	double n = f->n ? f->n : 1;

	snprintf(what, sizeof(what), "%s, entries in %s, DRAM latency %u",
		 psc ? "PSC hit (1 level left)" : "full walk (no PSC entry)",
		 cold ? "DRAM" : "L1", latency);
	printf("  %-58s walk %6.1f cycles, access %6.1f cycles, %.2f entries "
	       "read, %.2f of them from the L1 (%u walks)\n", what, f->walk / n,
	       f->access / n, f->reads / n, f->l1_hits / n, f->n);
	snprintf(fig, sizeof(fig), "walk alone (TLB miss to fill), %s", what);
	bench_fig(cfg->name, fig, f->walk / n, "cycles");
	snprintf(fig, sizeof(fig), "whole access (request to response), %s", what);
	bench_fig(cfg->name, fig, f->access / n, "cycles");
	snprintf(fig, sizeof(fig), "entries read per walk, %s", what);
	bench_fig(cfg->name, fig, f->reads / n, "entries");
}

/* Walk latency over `n` walks of each kind: [psc][cold], psc = 1 when a
 * PSC hit shortens the walk to its last level, cold = 1 when the entries
 * are in DRAM (the L1 flushed first), 0 when the walk just before read
 * them into the L1. */
static void walks(const struct mmu_config *cfg, unsigned latency)
{
	struct machine *m = rtl(cfg, latency);
	struct mmu_req r = { .op = MMU_LOAD, .size = 8, .user = true };
	struct mmu_ctl flush = { .op = MMU_CTL_FLUSH_ALL };
	enum mmu_ctl_result res;
	const unsigned n = 256;
	struct walk_fig f[2][2] = { { { 0 } } };

	map_pages(m, PAGES_COLD);
	for (unsigned i = 0; i < n; i++) {
		/* a page whose last-level entries share no line with the
		 * previous one's: 8 entries a line */
		uint64_t va = VA_BASE + (uint64_t)(i * 8 % PAGES_COLD) * 4096;

		/* INVLPG drops the page's TLB entry and every PSC entry of
		 * the PCID: the walk starts from CR3 */
		r.va = va;
		if (machine_invlpg(m, r.va) || machine_ctl(m, &flush, &res))
			die("invlpg, flush", m->err);
		walk_once(m, &r, false, &f[0][1]);
		if (machine_invlpg(m, r.va))
			die("invlpg", m->err);
		walk_once(m, &r, false, &f[0][0]);
		/* the next pages share every level above the last: PSC hits,
		 * their entry in the line the walk before read */
		r.va = va + 4096;
		walk_once(m, &r, true, &f[1][0]);
		r.va = va + 2 * 4096;
		if (machine_ctl(m, &flush, &res))
			die("flush", m->err);
		walk_once(m, &r, true, &f[1][1]);
	}
	printf("walks (%s, DRAM latency %u; walk: TLB miss to fill, the cycles "
	       "in the walk state; access: request to response, with the data "
	       "line's fill and write-back):\n", cfg->name, latency);
	for (int psc = 0; psc < 2; psc++)
		for (int cold = 0; cold < 2; cold++)
			if (f[psc][cold].n)
				print_walks(cfg, latency, psc, cold, &f[psc][cold]);
	machine_destroy(m);
}

int main(int argc, char **argv)
{
	struct mmu_config cfg;
	char err[256];
	int rc = bench_args(argc, argv, "bench_rtl",
			    "RTL cycles/s and accesses/s (alone and in lockstep), "
			    "hit throughput,\nload-to-use latency and walk "
			    "latency.  Figures, never pass/fail.\n");

	if (rc >= 0)
		return rc;
	if (mmu_config_load("x86", &cfg, err, sizeof(err)))
		die("config", err);
	printf("bench_rtl: Verilated RTL (%s), one core\n", rtl_models());
	fflush(stdout);
	bench_tsv_open("bench_rtl");
	hits(&cfg);
	{
		/* the registered hit stage (configs/fpga.cfg: hit_stage = 1) */
		struct mmu_config fpga;

		if (mmu_config_load("fpga", &fpga, err, sizeof(err)))
			die("config", err);
		hits(&fpga);
	}
	walks(&cfg, 0);
	walks(&cfg, 20);
	throughput(&cfg);
	return 0;
}
