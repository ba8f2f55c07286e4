/* SPDX-License-Identifier: MIT */
/*
 * RTL figures (issue 3), one core, Verilated model without waveforms:
 *   - simulated cycles/s and accesses/s of the RTL alone, and checked
 *     accesses/s in lockstep with the golden model (the cost of checking);
 *   - hit throughput (accesses per cycle) on back-to-back TLB+L1 hits;
 *   - load-to-use latency of a hit (cycles from acceptance to response);
 *   - walk latency and entries read per walk: a full 4-level walk, and one
 *     the paging-structure caches shorten to a single read, each with the
 *     page-table lines in the L1 and not, at two DRAM latencies.
 * Figures only: nothing here passes or fails.
 */
#include "bench_cli.h"
#include "../sim/rtl_machine.h"
#include "../sw/config/config.h"
#include "../sw/golden/golden.h"
#include "../sw/lockstep/lockstep.h"
#include "../sw/machine/pagetable.h"
#include "../sw/regress/regress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PAGES_HOT  4      /* within the TLB and half the L1 */
#define PAGES_COLD 4096   /* 16 MiB: most accesses miss the TLB */
#define VA_BASE    0x0000000400000000ull
#define DATA_PA    0x00800000ull

struct bump { uint64_t next; };

static uint64_t bump_alloc(void *ctx)
{
	struct bump *b = ctx;

	b->next += 4096;
	return b->next - 4096;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_rtl: %s: %s\n", what, msg);
	exit(1);
}

/* Identity-offset mapping of `pages` 4 KiB pages at VA_BASE. */
static void map_pages(struct machine *m, unsigned pages)
{
	struct bump b = { 0x1000 };
	uint64_t root = bump_alloc(&b);

	if (pt_zero_table(m, root))
		die("page tables", m->err);
	for (unsigned i = 0; i < pages; i++)
		if (pt_map(m, root, VA_BASE + i * 4096ull, DATA_PA + i * 4096ull, 1,
			   PTE_RW | PTE_US, PTE_RW | PTE_US, bump_alloc, &b))
			die("page tables", m->err);
	if (machine_write_cr(m, MMU_CTL_WRITE_CR3, pt_make(&m->cfg, root, 0)))
		die("CR3", m->err);
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

static void hits(const struct mmu_config *cfg)
{
	struct machine *m = rtl(cfg, 0);
	struct mmu_outcome o;
	struct mmu_req r = { .va = VA_BASE, .op = MMU_LOAD, .size = 8, .user = true };
	const unsigned n = 100000;
	uint64_t c0;
	unsigned lat_min = ~0u, lat_max = 0;

	map_pages(m, PAGES_HOT);
	/* warm the TLB and the L1; a store makes each page's entry dirty so
	 * later stores do not walk to set D */
	for (unsigned i = 0; i < PAGES_HOT * 64; i++) {
		r.va = VA_BASE + (i % (PAGES_HOT * 64)) * 64;
		r.op = MMU_STORE;
		if (machine_access(m, &r, &o))
			die("warm", m->err);
	}
	c0 = rtl_cycles(m);
	for (unsigned i = 0; i < n; i++) {
		r.va = VA_BASE + ((i * 7) % (PAGES_HOT * 64)) * 64;
		r.op = (i & 1) ? MMU_STORE : MMU_LOAD;
		if (machine_access(m, &r, &o))
			die("hit stream", m->err);
		if (!o.tlb_hit || !o.l1_hit || o.walked) {
			char line[256];

			mmu_outcome_format(&o, line, sizeof(line));
			die("hit stream: an access of the warmed set missed", line);
		}
		if (o.cycles < lat_min) lat_min = o.cycles;
		if (o.cycles > lat_max) lat_max = o.cycles;
	}
	printf("hits (%s): %u back-to-back loads/stores in %llu cycles = %.3f "
	       "accesses/cycle; load-to-use %u..%u cycles\n",
	       cfg->name, n, (unsigned long long)(rtl_cycles(m) - c0),
	       (double)n / (double)(rtl_cycles(m) - c0), lat_min, lat_max);
	machine_destroy(m);
}

/* Average walk latency and reads over `n` walks of one kind. */
static void walks(const struct mmu_config *cfg, unsigned latency)
{
	struct machine *m = rtl(cfg, latency);
	struct mmu_outcome o;
	struct mmu_req r = { .op = MMU_LOAD, .size = 8, .user = true };
	const unsigned n = 256;
	/* [psc][cold]: psc = 1 when the PSC shortens the walk; cold = 1 when
	 * the entries are not in the L1 */
	double cyc[2][2] = { { 0 } }, reads[2][2] = { { 0 } };
	unsigned cnt[2][2] = { { 0 } };

	map_pages(m, PAGES_COLD);
	for (unsigned i = 0; i < n; i++) {
		for (int cold = 1; cold >= 0; cold--) {
			struct mmu_ctl c = { .op = MMU_CTL_FLUSH_ALL };
			enum mmu_ctl_result res;

			/* a different page each time: a TLB miss */
			r.va = VA_BASE + (uint64_t)((i * 2 + (unsigned)cold) % PAGES_COLD) * 4096;
			/* INVLPG of the page drops every PSC entry of the PCID:
			 * the walk starts from CR3 */
			if (machine_invlpg(m, r.va))
				die("invlpg", m->err);
			if (cold && machine_ctl(m, &c, &res))
				die("flush", m->err);
			if (machine_access(m, &r, &o) || !o.walked)
				die("walk", "expected a walk");
			cyc[0][cold] += o.cycles;
			reads[0][cold] += o.walk_reads;
			cnt[0][cold]++;
			/* the next page shares the upper levels: PSC hit */
			r.va += 4096 * PAGES_COLD / 2;
			r.va = VA_BASE + ((r.va - VA_BASE) % (PAGES_COLD * 4096ull));
			if (cold && machine_ctl(m, &c, &res))
				die("flush", m->err);
			if (machine_access(m, &r, &o) || !o.walked)
				die("walk", "expected a walk");
			if (o.psc_level) {
				cyc[1][cold] += o.cycles;
				reads[1][cold] += o.walk_reads;
				cnt[1][cold]++;
			}
		}
	}
	printf("walks (%s, DRAM latency %u):\n", cfg->name, latency);
	for (int psc = 0; psc < 2; psc++)
		for (int cold = 0; cold < 2; cold++)
			if (cnt[psc][cold])
				printf("  %-15s entries %-8s %6.1f cycles/access, "
				       "%.2f entries read per walk (%u walks)\n",
				       psc ? "with PSC hit" : "full walk",
				       cold ? "in DRAM" : "in L1",
				       cyc[psc][cold] / cnt[psc][cold],
				       reads[psc][cold] / cnt[psc][cold],
				       cnt[psc][cold]);
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
	fflush(stdout);
	hits(&cfg);
	walks(&cfg, 0);
	walks(&cfg, 20);
	throughput(&cfg);
	return 0;
}
