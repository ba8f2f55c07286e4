/* SPDX-License-Identifier: MIT */
/*
 * pgo_train: the training run of a profile-guided build of one Verilated
 * model (sim/sim.mk, RTL_PGO).  Linked against the model compiled with
 * -fprofile-instr-generate, it drives it the way the tools do: the
 * regression's random traffic (walks, faults, control operations, fills
 * and write-backs), then back-to-back TLB and L1 hits (the stream the
 * model spends most of its cycles in).  The compiler then lays the model's
 * code out for those paths.  Prints what it ran; exits 1 on an error.
 */
#include "rtl_machine.h"
#include "config/config.h"
#include "machine/pagetable.h"
#include "regress/regress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRAIN_STEPS    20000u   /* random regression steps */
#define TRAIN_HITS     200000u  /* accesses of the hit loop */
#define TRAIN_HOT      4u       /* pages of the hit loop */

struct bump {
	uint64_t next, page;
};

static uint64_t bump_alloc(void *ctx)
{
	struct bump *b = ctx;

	b->next += b->page;
	return b->next - b->page;
}

static int fail(const char *what, const char *msg)
{
	fprintf(stderr, "pgo_train: %s: %s\n", what, msg);
	return 1;
}

static int open_rtl(const struct mmu_config *cfg, struct machine **m)
{
	char err[256];

	if (rtl_create(cfg, 0, NULL, m, err, sizeof(err)))
		return fail("rtl_create", err);
	return 0;
}

/* The regression's random traffic, as mmuregress runs it. */
static int train_random(const struct mmu_config *cfg)
{
	struct regress_gen_opts o = { .mix = REGRESS_HOSTILE };
	struct regress_gen *g;
	struct machine *m;
	char err[256];
	int rc;

	if (open_rtl(cfg, &m))
		return 1;
	if (regress_gen_new(m, 1, &o, &g, err, sizeof(err))) {
		machine_destroy(m);
		return fail("regress_gen_new", err);
	}
	rc = regress_gen_run(g, TRAIN_STEPS) || regress_gen_finish(g);
	if (rc)
		fail("random traffic", regress_gen_error(g));
	regress_gen_free(g);
	machine_destroy(m);
	return rc ? 1 : 0;
}

/* TRAIN_HOT pages mapped at VA 0 onto the upper half of memory, then
 * random loads and stores (3:1) within them. */
static int train_hits(const struct mmu_config *cfg)
{
	const uint64_t page = 1ull << cfg->page_shift;
	const unsigned size = cfg->l1_line < 8 ? (unsigned)cfg->l1_line : 8;
	struct bump b = { page, page };
	struct regress_rng rng;
	struct machine *m;
	uint64_t root, data;

	if (open_rtl(cfg, &m))
		return 1;
	data = m->mem_bytes / 2;
	root = bump_alloc(&b);
	if (pt_zero_table(m, root))
		goto err;
	for (unsigned i = 0; i < TRAIN_HOT; i++)
		if (pt_map(m, root, i * page, data + i * page, 1, PTE_RW | PTE_US,
			   PTE_RW | PTE_US, bump_alloc, &b))
			goto err;
	if (machine_write_cr(m, MMU_CTL_WRITE_CR3, pt_make(cfg, root, 0)))
		goto err;
	regress_rng_seed(&rng, 1);
	for (unsigned i = 0; i < TRAIN_HITS; i++) {
		struct mmu_req r = { .size = size, .user = true };
		struct mmu_outcome o;

		r.va = regress_rng_below(&rng, TRAIN_HOT * page) & ~(uint64_t)(size - 1);
		r.op = regress_rng_below(&rng, 4) ? MMU_LOAD : MMU_STORE;
		r.wdata = regress_rng_next(&rng);
		if (machine_access(m, &r, &o))
			goto err;
	}
	machine_destroy(m);
	return 0;
err:
	fail("hit loop", m->err);
	machine_destroy(m);
	return 1;
}

int main(int argc, char **argv)
{
	struct mmu_config cfg;
	char err[256];

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: pgo_train CONFIG\nThe training run of a "
			"profile-guided model build (sim/sim.mk).\n");
		return argc == 2 ? 0 : 2;
	}
	if (mmu_config_load(argv[1], &cfg, err, sizeof(err)))
		return fail("configuration", err);
	if (train_random(&cfg) || train_hits(&cfg))
		return 1;
	printf("pgo_train %s: %u random steps, %u accesses to %u hot pages\n",
	       cfg.name, TRAIN_STEPS, TRAIN_HITS, TRAIN_HOT);
	return 0;
}
