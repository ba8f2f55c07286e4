/* SPDX-License-Identifier: MIT */
/*
 * mmuregress: seeded constrained-random regression of a machine.
 *
 * For each configuration and seed it builds page tables with random
 * permissions (4 KiB and, where configured, 2 MiB pages; aliases allowed),
 * then runs a stream of user/supervisor loads, stores and fetches mixed with
 * control-register changes, PCID switches, PTE rewrites followed by the
 * invalidations they need, and cache maintenance.  Every access is checked:
 * a translated address must be the one the generator mapped, loaded data
 * must equal a shadow copy of physical memory, faults must be of the kind
 * the mapping allows; at the end the L1 is flushed and memory compared with
 * the shadow.  A mismatch prints the seed, the access number and the one
 * command that re-runs it.
 */
#include "../config/config.h"
#include "../golden/golden.h"
#include "../machine/pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PAGES 96
#define MAX_PCIDS 4

struct page {
	uint64_t va, pa;
	unsigned level;   /* 1: base page, 2: large */
	pte_t flags;      /* leaf permission flags */
	bool mapped;
};

struct gen {
	struct machine *m;
	const struct mmu_config *cfg;
	uint64_t rng;
	uint64_t root, next_table, table_end;
	uint64_t data_pa, data_bytes;
	uint8_t *shadow;
	struct page page[MAX_PAGES];
	unsigned npages;
	uint16_t pcids_used;
	/* results */
	uint64_t checks, loads_checked, pf, pf_np, pf_prot, pf_rsvd, gp;
	char fail[512];
};

static uint64_t rnd(struct gen *g)
{
	/* xorshift64*: fast, seedable, identical on every host */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1Dull;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static uint64_t alloc_table(void *ctx)
{
	struct gen *g = ctx;
	uint64_t pa = g->next_table, ps = 1ull << g->cfg->page_shift;

	if (pa + pt_table_bytes(g->cfg) > g->table_end)
		return 0;
	g->next_table = (pa + pt_table_bytes(g->cfg) + ps - 1) & ~(ps - 1);
	return pa;
}

static pte_t random_flags(struct gen *g)
{
	pte_t f = 0;

	if (pick(g, 10) < 7) f |= PTE_RW;
	if (pick(g, 10) < 8) f |= PTE_US;
	if (g->cfg->pte_bytes == 8 && pick(g, 10) < 2) f |= PTE_XD;
	if (pick(g, 10) < 1) f |= PTE_G;
	return f;
}

static uint64_t va_mask(const struct mmu_config *c)
{
	/* the lower canonical half */
	return (1ull << (c->va_bits - (c->canonical == MMU_CANON_SIGN))) - 1;
}

/* Lay out memory: tables first, then a data region that all pages map into. */
static int layout(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	uint64_t mem = g->m->mem_bytes, ps = 1ull << c->page_shift;

	if (c->levels == 1) {
		g->next_table = ps;
		g->table_end = ps + ((pt_table_bytes(c) + ps - 1) & ~(ps - 1));
		g->data_pa = g->table_end;
		g->data_bytes = mem - g->data_pa;
	} else {
		uint64_t big = mmu_level_page_size(c, 2);

		g->next_table = ps;
		g->table_end = big < mem / 4 ? big : mem / 4;
		g->data_pa = big < mem / 4 ? big : mem / 4;
		g->data_bytes = mem - g->data_pa;
		if (g->data_bytes > 4 * big)
			g->data_bytes = 4 * big;
	}
	g->shadow = calloc(1, g->data_bytes);
	return g->shadow ? 0 : -1;
}

static int map_page(struct gen *g, struct page *p)
{
	int rc = pt_map(g->m, g->root, p->va, p->pa, p->level, p->flags,
			PTE_RW | PTE_US, alloc_table, g);

	if (rc)
		snprintf(g->fail, sizeof(g->fail), "page-table build failed: %s",
			 rc == MMU_ENOMEM ? "out of table frames" : g->m->err);
	return rc;
}

static int build(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	uint64_t ps = 1ull << c->page_shift;
	bool large = c->page_2m && mmu_level_page_size(c, 2) <= g->data_bytes;

	g->root = alloc_table(g);
	if (!g->root || pt_zero_table(g->m, g->root))
		return -1;
	g->npages = c->levels == 1 ? 48 : MAX_PAGES;
	for (unsigned i = 0; i < g->npages; i++) {
		struct page *p = &g->page[i];
		bool dup;

		p->level = (large && pick(g, 16) == 0) ? 2 : 1;
		do {
			uint64_t sz = mmu_level_page_size(c, p->level);

			/* cluster VAs so tables and PSCs are shared */
			p->va = (rnd(g) & va_mask(c) & ~(sz - 1));
			if (c->levels > 1 && pick(g, 4))
				p->va = (p->va & (mmu_level_page_size(c, 3) - 1)) |
					(0x40ull << 30);
			dup = false;
			for (unsigned j = 0; j < i; j++) {
				uint64_t lo = g->page[j].va, hi = lo +
					mmu_level_page_size(c, g->page[j].level);
				uint64_t mlo = p->va, mhi = p->va + sz;

				if (mlo < hi && lo < mhi)
					dup = true;
				/* a base page may not sit where a large one
				 * needs the table slot, and vice versa */
				if ((p->va >> (c->page_shift + c->index_bits)) ==
				    (lo >> (c->page_shift + c->index_bits)) &&
				    p->level != g->page[j].level)
					dup = true;
			}
		} while (dup);
		p->pa = g->data_pa + (rnd(g) % (g->data_bytes /
			mmu_level_page_size(c, p->level))) *
			mmu_level_page_size(c, p->level);
		p->flags = random_flags(g);
		p->mapped = pick(g, 10) != 0;
		if (p->mapped && map_page(g, p))
			return -1;
	}
	(void)ps;
	return machine_write_cr(g->m, MMU_CTL_WRITE_CR3, pt_make(c, g->root, 0));
}

/* After a leaf change: INVLPG for the current PCID and global entries, and
 * INVPCID type 0 for every other PCID that may hold the page. */
static int invalidate_page(struct gen *g, uint64_t va)
{
	struct mmu_regs r;
	int rc;

	g->m->ops->regs(g->m, &r);
	rc = machine_invlpg(g->m, va);
	if (!rc && (r.cr4 & CR4_PCIDE))
		for (uint16_t p = 0; p < MAX_PCIDS && !rc; p++)
			if (g->pcids_used & (1u << p))
				rc = machine_invpcid(g->m, 0, p, va);
	return rc;
}

static int rewrite_pte(struct gen *g)
{
	struct page *p = &g->page[pick(g, g->npages)];
	uint64_t ea;
	int rc;

	p->flags = random_flags(g);
	if (p->mapped && pick(g, 4) == 0) {
		p->mapped = false;
		rc = pt_entry_addr(g->m, g->root, p->va, p->level, &ea);
		if (!rc)
			rc = machine_pte_write(g->m, ea, 0);
	} else {
		p->mapped = true;
		rc = map_page(g, p);
	}
	return rc ? rc : invalidate_page(g, p->va);
}

static int control_change(struct gen *g)
{
	struct machine *m = g->m;
	struct mmu_regs r;
	uint64_t cr3 = pt_make(g->cfg, g->root, 0);
	int rc = 0;

	m->ops->regs(m, &r);
	switch (pick(g, 6)) {
	case 0:
		rc = machine_write_cr(m, MMU_CTL_WRITE_CR0,
				      CR0_PG | (pick(g, 2) ? CR0_WP : 0));
		break;
	case 1:
		if (g->cfg->pte_bytes == 8)
			rc = machine_write_cr(m, MMU_CTL_WRITE_EFER,
					      pick(g, 2) ? EFER_NXE : 0);
		break;
	case 2: {
		uint64_t v = (r.cr4 & (CR4_PCIDE | CR4_PGE)) |
			     (pick(g, 2) ? CR4_SMEP : 0) | (pick(g, 2) ? CR4_SMAP : 0);

		rc = machine_write_cr(m, MMU_CTL_WRITE_CR4, v);
		break;
	}
	case 3: {
		struct mmu_ctl c = { .op = MMU_CTL_SET_AC, .value = pick(g, 2) };
		enum mmu_ctl_result res;

		rc = machine_ctl(m, &c, &res);
		break;
	}
	case 4:  /* toggle PGE; enable/disable PCIDs (with CR3's PCID at 0) */
		if (pick(g, 2)) {
			rc = machine_write_cr(m, MMU_CTL_WRITE_CR4, r.cr4 ^ CR4_PGE);
		} else if (g->cfg->pcid) {
			rc = machine_write_cr(m, MMU_CTL_WRITE_CR3, cr3);
			if (!rc)
				rc = machine_write_cr(m, MMU_CTL_WRITE_CR4,
						      r.cr4 ^ CR4_PCIDE);
			g->pcids_used = 1;
		}
		break;
	case 5:  /* switch PCID, mostly keeping the TLB */
		if (r.cr4 & CR4_PCIDE) {
			uint16_t p = (uint16_t)pick(g, MAX_PCIDS);

			g->pcids_used |= (uint16_t)(1u << p);
			rc = machine_write_cr(m, MMU_CTL_WRITE_CR3, cr3 | p |
					      (pick(g, 4) ? CR3_NOFLUSH : 0));
		} else {
			rc = machine_write_cr(m, MMU_CTL_WRITE_CR3, cr3);
		}
		break;
	}
	if (rc)
		snprintf(g->fail, sizeof(g->fail), "control change refused (%s)",
			 mmu_err_str(rc));
	return rc;
}

static int maintenance(struct gen *g)
{
	static const enum mmu_ctl_op ops[] = {
		MMU_CTL_CLEAN_LINE, MMU_CTL_FLUSH_LINE, MMU_CTL_CLEAN_ALL,
		MMU_CTL_FLUSH_ALL,
	};
	enum mmu_ctl_op op = ops[pick(g, 16) ? pick(g, 2) : 2 + pick(g, 2)];

	return machine_cache_op(g->m, op, g->data_pa + rnd(g) % g->data_bytes);
}

static struct page *find_page(struct gen *g, uint64_t va)
{
	for (unsigned i = 0; i < g->npages; i++) {
		struct page *p = &g->page[i];
		uint64_t sz = mmu_level_page_size(g->cfg, p->level);

		if (va >= p->va && va < p->va + sz)
			return p;
	}
	return NULL;
}

static int one_access(struct gen *g, uint64_t n)
{
	const struct mmu_config *c = g->cfg;
	unsigned maxlog = c->l1_line >= 8 ? 4 : c->l1_line >= 4 ? 3 : 1;
	unsigned size = 1u << pick(g, maxlog);
	struct page *p = &g->page[pick(g, g->npages)];
	uint64_t sz = mmu_level_page_size(c, p->level);
	uint64_t va = (p->va + rnd(g) % sz) & ~(uint64_t)(size - 1);
	struct mmu_req req = { .va = va, .size = size, .user = pick(g, 2),
			       .wdata = rnd(g) };
	struct mmu_outcome o;
	char line[256];
	int rc;

	req.op = (enum mmu_op)pick(g, 3);
	if (pick(g, 50) == 0)  /* an address nothing maps */
		req.va = va = (rnd(g) & va_mask(c)) & ~(uint64_t)(size - 1);
	rc = machine_access(g->m, &req, &o);
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "access %" PRIu64 ": %s", n,
			 g->m->err);
		return rc;
	}
	p = find_page(g, va);
	g->checks++;
	if (o.status == MMU_ST_PAGE_FAULT) {
		g->pf++;
		if (o.error_code & PFEC_RSVD)
			g->pf_rsvd++;
		else if (o.error_code & PFEC_P)
			g->pf_prot++;
		else
			g->pf_np++;
		if ((!p || !p->mapped) != !(o.error_code & PFEC_P) || o.cr2 != va)
			goto mismatch;
		return 0;
	}
	if (o.status == MMU_ST_GP_FAULT) {
		g->gp++;
		goto mismatch;  /* the generator only uses canonical addresses */
	}
	if (o.status != MMU_ST_OK || !p || !p->mapped || o.pa != p->pa + (va - p->va))
		goto mismatch;
	{
		uint64_t off = o.pa - g->data_pa, want = 0;

		if (req.op == MMU_STORE) {
			for (unsigned i = 0; i < size; i++)
				g->shadow[off + i] = (uint8_t)(req.wdata >> (8 * i));
			return 0;
		}
		for (unsigned i = size; i-- > 0;)
			want = (want << 8) | g->shadow[off + i];
		g->loads_checked++;
		if (o.rdata != want)
			goto mismatch;
	}
	return 0;
mismatch:
	mmu_outcome_format(&o, line, sizeof(line));
	snprintf(g->fail, sizeof(g->fail),
		 "access %" PRIu64 ": %s %s size %u at %#" PRIx64 " (page %s): %s",
		 n, req.user ? "user" : "supervisor", mmu_op_str(req.op), size,
		 va, p ? (p->mapped ? "mapped" : "unmapped") : "none", line);
	return -1;
}

static int final_check(struct gen *g)
{
	uint8_t *mem = malloc(g->data_bytes);
	int rc = -1;

	if (!mem)
		return -1;
	if (!machine_cache_op(g->m, MMU_CTL_FLUSH_ALL, 0) &&
	    !g->m->ops->mem_peek(g->m, g->data_pa, mem, g->data_bytes)) {
		rc = memcmp(mem, g->shadow, g->data_bytes) ? -1 : 0;
		if (rc)
			snprintf(g->fail, sizeof(g->fail),
				 "memory differs from the shadow after the final flush");
	}
	free(mem);
	return rc;
}

struct result {
	struct mmu_counters c;
	struct gen g;
	double secs;
	bool ok;
};

static bool run_seed(const struct mmu_config *cfg, uint64_t seed,
		     uint64_t ops, struct result *res)
{
	struct gen *g = &res->g;
	char err[256];
	struct timespec t0, t1;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	g->cfg = cfg;
	g->rng = seed * 0x9E3779B97F4A7C15ull + 1;
	if (golden_create(cfg, 0, &g->m, err, sizeof(err))) {
		snprintf(g->fail, sizeof(g->fail), "%s", err);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (layout(g) || build(g)) {
		if (!g->fail[0])
			snprintf(g->fail, sizeof(g->fail), "setup failed");
		rc = -1;
	}
	for (uint64_t n = 0; !rc && n < ops; n++) {
		unsigned k = pick(g, 1000);

		if (k < 4)
			rc = rewrite_pte(g);
		else if (k < 7)
			rc = control_change(g);
		else if (k < 9)
			rc = maintenance(g);
		else
			rc = one_access(g, n);
	}
	if (!rc)
		rc = final_check(g);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	g->m->ops->counters(g->m, &res->c);
	machine_destroy(g->m);
	free(g->shadow);
	res->ok = rc == 0;
	return res->ok;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmuregress [--config NAME]... [--seeds N] [--seed S] "
		"[--ops N] [--quick]\n"
		"Seeded constrained-random regression on the golden model; prints "
		"a summary table\nand exits 1 if any check failed.\n");
}

int main(int argc, char **argv)
{
	const char *names[8];
	unsigned nnames = 0, seeds = 4;
	uint64_t ops = 300000, first_seed = 1;
	bool one_seed = false;
	unsigned failed = 0, runs = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc && nnames < 8)
			names[nnames++] = argv[++i];
		else if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
			seeds = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			first_seed = strtoull(argv[++i], NULL, 0);
			one_seed = true;
		} else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			ops = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--quick")) {
			seeds = 2;
			ops = 100000;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (one_seed)
		seeds = 1;
	if (!nnames) {
		names[nnames++] = "x86";
		names[nnames++] = "csapp";
		names[nnames++] = "fpga";
	}
	printf("%-6s %6s %9s %7s %7s %7s %9s %7s %7s %7s %7s %-5s %8s\n",
	       "config", "seed", "accesses", "tlb-hit", "l1-hit", "walks",
	       "rd/walk", "#PF-np", "#PF-pr", "#PF-rs", "loads", "check",
	       "Macc/s");
	for (unsigned k = 0; k < nnames; k++) {
		struct mmu_config cfg;
		char err[256];

		if (mmu_config_load(names[k], &cfg, err, sizeof(err))) {
			fprintf(stderr, "mmuregress: %s\n", err);
			return 2;
		}
		for (unsigned s = 0; s < seeds; s++) {
			uint64_t seed = first_seed + s;
			struct result *r = malloc(sizeof(*r));
			double tlb, l1;

			if (!r)
				return 2;
			run_seed(&cfg, seed, ops, r);
			runs++;
			tlb = 100.0 * (double)r->c.tlb_hits /
			      (double)(r->c.tlb_hits + r->c.tlb_misses + !r->c.accesses);
			l1 = 100.0 * (double)r->c.l1_hits /
			     (double)(r->c.l1_hits + r->c.l1_misses + !r->c.accesses);
			printf("%-6s %6" PRIu64 " %9" PRIu64 " %6.1f%% %6.1f%% %7" PRIu64
			       " %9.2f %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
			       " %-5s %8.2f\n",
			       cfg.name, seed, r->c.accesses, tlb, l1, r->c.walks,
			       r->c.walks ? (double)r->c.walk_reads / (double)r->c.walks : 0,
			       r->g.pf_np, r->g.pf_prot, r->g.pf_rsvd, r->g.loads_checked,
			       r->ok ? "PASS" : "FAIL",
			       (double)r->c.accesses / r->secs / 1e6);
			if (!r->ok) {
				failed++;
				printf("  FAIL %s seed %" PRIu64 ": %s\n  re-run: "
				       "build/rel/bin/mmuregress --config %s --seed %"
				       PRIu64 " --ops %" PRIu64 "\n",
				       cfg.name, seed, r->g.fail, cfg.name, seed, ops);
			}
			free(r);
		}
	}
	printf("regress: %u passed, %u failed\n", runs - failed, failed);
	return failed ? 1 : 0;
}
