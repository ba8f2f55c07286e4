/* SPDX-License-Identifier: MIT */
/*
 * Golden-model throughput, one core: accesses per second on a TLB-hit-heavy
 * stream (a working set that fits the TLB and the L1) and a TLB-miss-heavy
 * stream (random pages over 16 MiB, so most accesses walk), for every
 * built-in configuration.  Then the cost of the SystemC layer: the same
 * streams (x86) through each back end of the machine interface and through
 * the SystemC platform with that back end behind the TLM sockets
 * (sim/systemc), and the ratio.  Figures, never a pass/fail test.
 */
#include "bench_cli.h"
#include "../sim/rtl_backend.h"
#include "../sim/systemc/sc_backend.h"
#include "../sw/config/config.h"
#include "../sw/backend/backend.h"
#include "../sw/machine/pagetable.h"
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define STREAM (1u << 20)
#define CHUNK 4096  /* accesses between two looks at the clock */

struct bump { uint64_t next, ps; };

static uint64_t bump_alloc(void *ctx)
{
	struct bump *b = ctx;
	uint64_t pa = b->next;

	b->next += b->ps;
	return pa;
}

#define now bench_now

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Map `pages` consecutive base pages at va; returns 0 on success. */
static int setup(struct machine *m, uint64_t va, unsigned pages,
		 uint64_t *data_pa)
{
	const struct mmu_config *c = &m->cfg;
	uint64_t ps = 1ull << c->page_shift;
	uint64_t tables = (pt_table_bytes(c) + ps - 1) & ~(ps - 1);
	struct bump b = { ps, ps };
	uint64_t root = bump_alloc(&b);

	/* tables take the first eighth of memory, data the rest */
	*data_pa = (m->mem_bytes / 8 + ps - 1) & ~(ps - 1);
	if (pt_zero_table(m, root))
		return -1;
	b.next = root + tables;
	for (unsigned i = 0; i < pages; i++)
		if (pt_map(m, root, va + i * ps, *data_pa + i * ps, 1,
			   PTE_RW | PTE_US, PTE_RW | PTE_US, bump_alloc, &b))
			return -1;
	return machine_write_cr(m, MMU_CTL_WRITE_CR3, pt_make(c, root, 0));
}

/* Accesses per second of back end `backend` on a stream over `pages`
 * pages, for at least `secs` seconds. */
static double run(const char *backend, const char *cfgname, unsigned pages,
		  double secs, double *tlb_hit, double *l1_hit)
{
	struct mmu_config cfg;
	struct machine *m;
	struct mmu_req *req = malloc(STREAM * sizeof(*req));
	struct mmu_outcome o;
	struct mmu_counters c;
	char err[256];
	uint64_t data_pa, va = 0x1000ull << 12, n = 0;
	unsigned size;
	double t0, t;

	if (!req || mmu_config_load(cfgname, &cfg, err, sizeof(err)) ||
	    machine_open(backend, &cfg, 0, NULL, &m, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	if (cfg.levels == 1)
		va = 0;
	size = cfg.l1_line < 8 ? (unsigned)cfg.l1_line : 8;
	if (setup(m, va, pages, &data_pa)) {
		fprintf(stderr, "bench: %s: setup failed: %s\n", cfgname, m->err);
		exit(1);
	}
	for (unsigned i = 0; i < STREAM; i++) {
		uint64_t off = rnd() % ((uint64_t)pages << cfg.page_shift);

		req[i].va = va + (off & ~(uint64_t)(size - 1));
		req[i].op = (rnd() & 3) ? MMU_LOAD : MMU_STORE;
		req[i].size = size;
		req[i].user = true;
		req[i].wdata = i;
	}
	t0 = now();
	do {
		for (unsigned i = n % STREAM; i < n % STREAM + CHUNK; i++)
			if (machine_access(m, &req[i], &o)) {
				fprintf(stderr, "bench: %s\n", m->err);
				exit(1);
			}
		n += CHUNK;
		t = now() - t0;
	} while (t < secs);
	machine_counters(m, &c);
	*tlb_hit = 100.0 * (double)c.tlb_hits / (double)c.accesses;
	*l1_hit = 100.0 * (double)c.l1_hits / (double)c.accesses;
	machine_destroy(m);
	free(req);
	return (double)n / t;
}

static void print_fig(const char *cfg, const char *stream, unsigned pages,
		      double th, double lh, double r)
{
	char fig[160];

	printf("%-6s %-10s %6u %8.1f%% %8.1f%% %12.0f\n", cfg, stream, pages,
	       th, lh, r);
	snprintf(fig, sizeof(fig), "%s stream, %u pages: accesses/s", stream,
		 pages);
	bench_fig(cfg, fig, r, "accesses/s");
}

/* The pages of the hot (TLB and L1 resident) and cold streams. */
static void stream_pages(const struct mmu_config *cfg, unsigned *hot,
			 unsigned *cold)
{
	/* hot: half the TLB reach and within the L1; cold: 16 MiB or all the
	 * memory the configuration has room for */
	*hot = (unsigned)(cfg->tlb_sets * cfg->tlb_ways / 2);
	if ((*hot << cfg->page_shift) > cfg->l1_sets * cfg->l1_ways * cfg->l1_line)
		*hot = (unsigned)(cfg->l1_sets * cfg->l1_ways * cfg->l1_line >>
				  cfg->page_shift);
	if (!*hot)
		*hot = 1;
	*cold = (unsigned)((cfg->mem_bytes / 2) >> cfg->page_shift);
	if (*cold > 4096)
		*cold = 4096;
	if (cfg->levels == 1 && *cold > (1u << cfg->vpn_bits))
		*cold = 1u << cfg->vpn_bits;
}

/* Each back end beside the SystemC platform running it (x86). */
static void systemc_layer(void)
{
	static const char *const pairs[][2] = {
		{ "golden", "systemc-golden" },
		{ "rtl", "systemc-rtl" },
		{ "lockstep", "systemc" },
	};
	struct mmu_config cfg;
	char err[256];
	unsigned pages[2];
	double th, lh;

	if (mmu_config_load("x86", &cfg, err, sizeof(err)))
		exit(1);
	stream_pages(&cfg, &pages[0], &pages[1]);
	printf("\nbench_golden: the SystemC layer (x86): the same streams through "
	       "the machine\ninterface and through the SystemC platform (TLM "
	       "sockets, the back end inside)\n");
	printf("%-9s %-9s %12s   %-15s %12s %8s\n", "stream", "machine",
	       "accesses/s", "SystemC", "accesses/s", "ratio");
	for (unsigned k = 0; k < 3; k++)
		for (unsigned s = 0; s < 2; s++) {
			double plain = run(pairs[k][0], "x86", pages[s], 1.0, &th, &lh);
			double sc = run(pairs[k][1], "x86", pages[s], 1.0, &th, &lh);

			char fig[160];

			printf("%-9s %-9s %12.0f   %-15s %12.0f %7.2fx\n",
			       s ? "tlb-miss" : "tlb-hit", pairs[k][0], plain,
			       pairs[k][1], sc, plain / sc);
			snprintf(fig, sizeof(fig), "%s stream: %s accesses/s over "
				 "%s accesses/s", s ? "tlb-miss" : "tlb-hit",
				 pairs[k][0], pairs[k][1]);
			bench_fig("x86", fig, plain / sc, "ratio");
			/* the rates too: docs/systemc.md's table */
			for (unsigned b = 0; b < 2; b++) {
				snprintf(fig, sizeof(fig), "%s stream, %u pages, "
					 "machine interface vs SystemC: %s "
					 "accesses/s", s ? "tlb-miss" : "tlb-hit",
					 pages[s], pairs[k][b]);
				bench_fig("x86", fig, b ? sc : plain, "accesses/s");
			}
		}
}

int main(int argc, char **argv)
{
	static const char *const cfgs[] = { "x86", "csapp", "fpga" };
	int rc = bench_args(argc, argv, "bench_golden",
			    "Golden-model accesses per second on TLB-hit-heavy and "
			    "TLB-miss-heavy\nstreams, every built-in configuration; "
			    "then the same streams through\nthe SystemC platform "
			    "beside each back end (the cost of the layer).\n"
			    "Figures, never pass/fail.\n");

	if (rc >= 0)
		return rc;
	if (systemc_backend_register() || rtl_backend_register()) {
		fprintf(stderr, "bench: cannot register the RTL and SystemC back ends\n");
		return 1;
	}
	printf("bench_golden: golden model alone, one core, %u-access streams\n",
	       STREAM);
	printf("%-6s %-10s %6s %9s %9s %12s\n", "config", "stream", "pages",
	       "tlb-hit", "l1-hit", "accesses/s");
	bench_tsv_open("bench_golden");
	for (unsigned k = 0; k < 3; k++) {
		struct mmu_config cfg;
		char err[256];
		unsigned hot, cold;
		double th, lh, r;

		if (mmu_config_load(cfgs[k], &cfg, err, sizeof(err)))
			return 1;
		stream_pages(&cfg, &hot, &cold);
		r = run("golden", cfgs[k], hot, 1.0, &th, &lh);
		print_fig(cfgs[k], "tlb-hit", hot, th, lh, r);
		r = run("golden", cfgs[k], cold, 1.0, &th, &lh);
		print_fig(cfgs[k], "tlb-miss", cold, th, lh, r);
	}
	systemc_layer();
	return 0;
}
