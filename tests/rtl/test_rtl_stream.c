/* SPDX-License-Identifier: MIT */
/*
 * Pipelined accesses (rtl_access_stream): requests offered back to back, so
 * that with the registered hit stage (cfg hit_stage = 1: the fpga
 * configuration) an access is in stage L while the one before it is in
 * stage 1.  Every configuration runs the same streams; each outcome is
 * compared with the golden model's for the same access made alone, and at
 * the end lockstep compares memory, counters and registers (pair_finish).
 *   - back-to-back hits: one access per cycle, load-to-use 1 + hit_stage;
 *   - the hazards of two accesses in flight: a store then a load of the same
 *     word; a TLB miss (walk, fill) with the next access to the same page
 *     behind it; a #PF (which drops TLB entries) with an access to the same
 *     set behind it; an L1 miss with a hit to the same line behind it; the
 *     dirty-assist walk of a store to a clean page; #GP; a user access to a
 *     supervisor page;
 *   - random streams over mapped, read-only, supervisor and unmapped pages
 *     with control operations (INVLPG, cache flushes) between them.
 */
#include "pair.h"
#include "../golden/ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)
#define PAGES 8u    /* 0..4 RW user, 5 read-only, 6 supervisor, 7 unmapped */
#define MAX_N 64u

struct layout {
	const char *cfg;
	uint64_t table_pa, data_pa, va;
};

static const struct layout layouts[] = {
	{ "x86", 0x1000, 0x100000, 0x0000000010000000ull },
	{ "fpga", 0x1000, 0x100000, 0x0000000010000000ull },
	{ "csapp", 0x400, 0x800, 0x0800 },
};

struct run {
	struct machine *m, *ref, *dut;
	uint64_t va, page;
	unsigned streams, accesses;
};

static struct mmu_req req(enum mmu_op op, uint64_t va, unsigned size, bool user,
			  uint64_t wdata)
{
	struct mmu_req r = { .va = va, .op = op, .size = size, .user = user,
			     .wdata = wdata };
	return r;
}

/* The stream on the RTL, the same accesses one by one on the model. */
static uint64_t stream(struct run *r, const struct mmu_req *q, unsigned n)
{
	struct mmu_outcome got[MAX_N], want;
	uint64_t cycles;

	assert_true(n <= MAX_N);
	if (rtl_access_stream(r->dut, q, n, got, &cycles))
		fail_msg("stream: %s", r->dut->err);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(machine_access(r->ref, &q[i], &want), 0);
		if (lockstep_outcomes_differ(&want, &got[i]))
			fail_msg("%s stream %u access %u (va %#llx op %d): golden status %d "
				 "rdata %#llx pa %#llx ec %#x tlb %d l1 %d, rtl status %d "
				 "rdata %#llx pa %#llx ec %#x tlb %d l1 %d",
				 r->m->cfg.name, r->streams, i, (unsigned long long)q[i].va,
				 q[i].op, want.status, (unsigned long long)want.rdata,
				 (unsigned long long)want.pa, want.error_code, want.tlb_hit,
				 want.l1_hit, got[i].status, (unsigned long long)got[i].rdata,
				 (unsigned long long)got[i].pa, got[i].error_code,
				 got[i].tlb_hit, got[i].l1_hit);
	}
	r->streams++;
	r->accesses += n;
	return cycles;
}

static void setup(struct run *r, const struct layout *l)
{
	struct ptb p;

	memset(r, 0, sizeof(*r));
	r->m = pair_new(l->cfg, 0, NULL);
	r->ref = lockstep_ref(r->m);
	r->dut = lockstep_dut(r->m);
	r->va = l->va;
	r->page = 1ull << r->m->cfg.page_shift;
	ptb_init(&p, r->m, l->table_pa);
	for (unsigned i = 0; i < PAGES - 1; i++)
		ptb_map(&p, r->va + i * r->page, l->data_pa + i * r->page, 1,
			i == 5 ? PTE_US : i == 6 ? PTE_RW : RW_US, RW_US);
}

/* Hits back to back: n accesses answered n + hit_stage cycles after the
 * first was accepted, each 1 + hit_stage cycles after its own. */
static void hits(struct run *r)
{
	const unsigned n = MAX_N, lat = 1 + (unsigned)r->m->cfg.hit_stage;
	unsigned sz = r->m->cfg.l1_line < 8 ? (unsigned)r->m->cfg.l1_line : 8;
	struct mmu_req q[MAX_N];
	struct mmu_outcome o[MAX_N];
	uint64_t cycles;

	for (unsigned i = 0; i < 4; i++)  /* TLB and the lines warm, D set */
		acc(r->m, MMU_STORE, r->va + i * sz, sz, false, i);
	for (unsigned i = 0; i < n; i++)
		q[i] = req((i & 3) == 3 ? MMU_STORE : MMU_LOAD, r->va + (i % 4) * sz, sz,
			   false, 0x0101010101010101ull * i);
	cycles = stream(r, q, n);
	assert_int_equal(cycles, n + lat - 1);
	/* The per-access latency, from a second run of the same stream. */
	assert_int_equal(rtl_access_stream(r->dut, q, n, o, NULL), 0);
	for (unsigned i = 0; i < n; i++) {
		struct mmu_outcome want;

		assert_int_equal(o[i].cycles, lat);
		assert_int_equal(machine_access(r->ref, &q[i], &want), 0);
		assert_false(lockstep_outcomes_differ(&want, &o[i]));
	}
	printf("rtl stream: %s: %u back-to-back hits answered in %llu cycles after the first "
	       "acceptance (one per cycle), load-to-use %u cycle(s)\n", r->m->cfg.name, n,
	       (unsigned long long)cycles, lat);
}

/* Two accesses in flight at every hazard the pipeline has. */
static void hazards(struct run *r)
{
	const uint64_t v = r->va, pg = r->page;
	const unsigned s = r->m->cfg.l1_line < 8 ? (unsigned)r->m->cfg.l1_line : 8;
	const uint64_t noncanon = 1ull << 62;
	struct mmu_req q[] = {
		/* a store, then a load of the same word and of its line */
		req(MMU_STORE, v, s, false, 0x1122334455667788ull),
		req(MMU_LOAD, v, s, false, 0),
		req(MMU_LOAD, v + s, s, false, 0),
		/* a TLB miss (walk of page 1) with the same page behind it */
		req(MMU_LOAD, v + pg, s, false, 0),
		req(MMU_STORE, v + pg + s, s, false, 7),
		/* #PF on a read-only page, an access to the same TLB set behind */
		req(MMU_LOAD, v + 5 * pg, s, true, 0),
		req(MMU_STORE, v + 5 * pg, s, true, 1),
		req(MMU_LOAD, v + 5 * pg + s, s, true, 0),
		/* not present, then a user access to a supervisor page */
		req(MMU_LOAD, v + 7 * pg, s, false, 0),
		req(MMU_LOAD, v + 6 * pg, s, true, 0),
		req(MMU_LOAD, v + 6 * pg, s, false, 0),
		/* an L1 miss (page 2 is cold) with the same line behind it */
		req(MMU_LOAD, v + 2 * pg, s, false, 0),
		req(MMU_LOAD, v + 2 * pg + s, s, false, 0),
		/* dirty assist: a store to a clean page after a load of it */
		req(MMU_LOAD, v + 3 * pg, s, false, 0),
		req(MMU_STORE, v + 3 * pg, s, false, 9),
		req(MMU_LOAD, v + 3 * pg, s, false, 0),
		/* #GP (non-canonical), then a hit */
		req(MMU_LOAD, v ^ noncanon, s, false, 0),
		req(MMU_LOAD, v, s, false, 0),
	};
	const unsigned n = sizeof(q) / sizeof(q[0]);

	stream(r, q, n);
	assert_int_equal(machine_invlpg(r->m, v), 0);
	stream(r, q, n);
}

/* Random streams: pages of every kind, control operations between them. */
static void random_streams(struct run *r, uint64_t seed, unsigned count)
{
	const unsigned maxsz = r->m->cfg.l1_line < 8 ? (unsigned)r->m->cfg.l1_line : 8;
	struct regress_rng g;
	struct mmu_req q[MAX_N];

	regress_rng_seed(&g, seed);
	for (unsigned k = 0; k < count; k++) {
		unsigned n = 1 + (unsigned)(regress_rng_next(&g) % MAX_N);

		for (unsigned i = 0; i < n; i++) {
			unsigned size = 1u << (regress_rng_next(&g) % (maxsz == 8 ? 4 : maxsz == 4 ? 3 : 1));
			uint64_t pg = regress_rng_next(&g) % PAGES;
			uint64_t off = (regress_rng_next(&g) % r->page) & ~(uint64_t)(size - 1);
			unsigned kind = (unsigned)(regress_rng_next(&g) % 8);

			q[i] = req(kind < 4 ? MMU_LOAD : kind < 7 ? MMU_STORE : MMU_FETCH,
				   r->va + pg * r->page + off, size, regress_rng_next(&g) % 4 == 0,
				   regress_rng_next(&g));
		}
		stream(r, q, n);
		switch (regress_rng_next(&g) % 4) {
		case 0:
			assert_int_equal(machine_invlpg(r->m, r->va + (regress_rng_next(&g) % PAGES) * r->page), 0);
			break;
		case 1:
			assert_int_equal(machine_cache_op(r->m, MMU_CTL_FLUSH_ALL, 0), 0);
			break;
		default:
			break;
		}
	}
}

static void test_streams(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		struct run r;

		setup(&r, &layouts[i]);
		hits(&r);
		hazards(&r);
		random_streams(&r, 7 + i, 40);
		printf("rtl stream: %s (hit_stage %llu): %u streams, %u pipelined accesses equal "
		       "to the golden model's; memory, counters and registers compared at the end\n",
		       r.m->cfg.name, (unsigned long long)r.m->cfg.hit_stage, r.streams, r.accesses);
		pair_finish(r.m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streams),
	};

	return cmocka_run_group_tests_name("rtl stream", tests, NULL, NULL);
}
