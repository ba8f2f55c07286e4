/* SPDX-License-Identifier: MIT */
/*
 * The RTL's VIPT L1, compared with the golden model (in lockstep, pair.c): tree-PLRU
 * replacement in an 8-way set, data integrity under random traffic larger
 * than the cache on every configuration, line and whole-cache maintenance,
 * the coherent physical path, a store followed at once by a load of the
 * same word (RAM read-during-write forwarding), and the timing figures:
 * hit throughput, load-to-use and walk latency.
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

static void done(struct machine *m, const char *what)
{
	printf("rtl l1: %s (%lu outcomes compared with the golden model)\n",
	       what, pair_compared(m));
	pair_finish(m);
}

static void test_replacement_order(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t base = (8ull << 39) | (8ull << 30) | (8ull << 21) | (64ull << 12);
	struct golden_line l;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 9; i++)
		ptb_map(&p, base + i * 4096ull, 0x100000 + i * 4096ull, 1, RW_US, RW_US);
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	for (unsigned i = 0; i < 8; i++)
		assert_false(acc(m, MMU_LOAD, base + i * 4096ull, 8, false, 0).l1_hit);
	assert_true(acc(m, MMU_LOAD, base, 8, false, 0).l1_hit);
	assert_false(acc(m, MMU_LOAD, base + 8 * 4096ull, 8, false, 0).l1_hit);
	assert_int_equal(golden_l1_line(lockstep_ref(m), 0, 4, &l), 0);
	assert_int_equal(l.tag, (0x100000 + 8 * 4096ull) >> 12);
	for (unsigned round = 0; round < 4; round++)
		for (unsigned i = 0; i < 9; i++)
			acc(m, (i & 1) ? MMU_STORE : MMU_LOAD,
			    base + ((i * 7 + round) % 9) * 4096ull, 8, false, i);
	done(m, "8-way set fills the lowest invalid way, evicts the tree-PLRU victim, writes dirty victims back");
}

/* Random stores and loads over a region several times the cache; lockstep
 * compares each loaded value, and memory after a final flush. */
static void integrity(const char *cfg_name, uint64_t table_pa, uint64_t data_pa,
		      uint64_t va, unsigned pages, unsigned ops,
		      const struct rtl_opts *o)
{
	struct machine *m = pair_new(cfg_name, 0, o);
	struct ptb p;
	uint64_t page = 1ull << m->cfg.page_shift, bytes = pages * page;
	unsigned maxsz = m->cfg.l1_line < 8 ? (unsigned)m->cfg.l1_line : 8;
	struct regress_rng s;
	struct mmu_counters c;
	char what[160];

	regress_rng_seed(&s, 12345);
	ptb_init(&p, m, table_pa);
	for (unsigned i = 0; i < pages; i++)
		ptb_map(&p, va + i * page, data_pa + i * page, 1, RW_US, RW_US);
	for (unsigned n = 0; n < ops; n++) {
		unsigned size = 1u << (regress_rng_next(&s) % (maxsz == 8 ? 4 : maxsz == 4 ? 3 : 1));
		uint64_t off = (regress_rng_next(&s) % bytes) & ~(uint64_t)(size - 1);
		unsigned kind = (unsigned)(regress_rng_next(&s) % 100);

		if (kind < 45)
			acc(m, MMU_STORE, va + off, size, false, regress_rng_next(&s));
		else if (kind < 98)
			acc(m, MMU_LOAD, va + off, size, false, 0);
		else
			assert_int_equal(machine_cache_op(m, kind == 98 ? MMU_CTL_CLEAN_LINE
									: MMU_CTL_FLUSH_LINE,
							  data_pa + off), 0);
	}
	machine_counters(m, &c);
	assert_true(c.writebacks > 0 && c.l1_misses > 0);
	snprintf(what, sizeof(what),
		 "%s: %u random accesses over %llu KiB, %llu write-backs, %llu fills",
		 cfg_name, ops, (unsigned long long)(bytes >> 10),
		 (unsigned long long)c.writebacks, (unsigned long long)c.line_fills);
	done(m, what);
}

static void test_integrity(void **state)
{
	(void)state;
	integrity("x86", 0x1000, 0x100000, 0x0000000010000000ull, 64, 20000, NULL);
	integrity("fpga", 0x1000, 0x100000, 0x0000000010000000ull, 16, 20000, NULL);
	integrity("csapp", 0x400, 0x800, 0x0800, 32, 20000, NULL);
}

static uint64_t peek64(struct machine *m, uint64_t pa)
{
	uint64_t v;

	assert_int_equal(machine_mem_peek(m, pa, &v, sizeof(v)), 0);
	return v;
}

static void test_maintenance_and_phys_path(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t va = 0x0000000050000000ull, pa = 0x200000;
	uint8_t page[4096];
	uint64_t v;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, pa, 1, RW_US, RW_US);
	acc(m, MMU_STORE, va, 8, false, 0x1111);
	assert_int_equal(peek64(m, pa), 0);
	assert_int_equal(machine_cache_op(m, MMU_CTL_CLEAN_LINE, pa), 0);
	assert_int_equal(peek64(m, pa), 0x1111);
	acc(m, MMU_LOAD, va, 8, false, 0);
	acc(m, MMU_STORE, va, 8, false, 0x2222);
	assert_int_equal(machine_cache_op(m, MMU_CTL_INVAL_LINE, pa + 8), 0);
	assert_int_equal(acc(m, MMU_LOAD, va, 8, false, 0).rdata, 0x1111);
	acc(m, MMU_STORE, va, 8, false, 0x3333);
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_LINE, pa), 0);
	assert_int_equal(peek64(m, pa), 0x3333);
	acc(m, MMU_LOAD, va, 8, false, 0);
	assert_int_equal(machine_phys_write64(m, pa + 64, 0xabcdef), 0);
	assert_int_equal(acc(m, MMU_LOAD, va + 64, 8, false, 0).rdata, 0xabcdef);
	acc(m, MMU_STORE, va + 128, 8, false, 0x4444);
	assert_int_equal(machine_phys_read64(m, pa + 128, &v), 0);
	assert_int_equal(v, 0x4444);
	assert_int_equal(machine_cache_op(m, MMU_CTL_CLEAN_ALL, 0), 0);
	assert_int_equal(peek64(m, pa + 128), 0x4444);
	assert_int_equal(machine_cache_op(m, MMU_CTL_INVAL_ALL, 0), 0);
	acc(m, MMU_LOAD, va + 128, 8, false, 0);
	/* A whole page through the physical path, unaligned start and end. */
	for (unsigned i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(machine_phys_write(m, pa + 4096 + 3, page, sizeof(page) - 5), 0);
	assert_int_equal(machine_phys_read(m, pa + 4096 + 1, page, sizeof(page) - 1), 0);
	/* Maintenance of lines that are not cached, and past MAXPHYADDR. */
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_LINE, 0x3000000), 0);
	assert_int_equal(machine_cache_op(m, MMU_CTL_CLEAN_LINE, pa | (1ull << 50)), 0);
	assert_int_equal(machine_phys_write64(m, m->mem_bytes - 4, 1), MMU_ERANGE);
	done(m, "clean/invalidate/flush by line and whole cache; physical path coherent "
		"both ways, unaligned page copies; out-of-range physical access refused");
}

static void test_forwarding(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t va = 0x0000000060000000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	acc(m, MMU_STORE, va, 8, false, 0);   /* walk, fill, dirty */
	for (unsigned i = 0; i < 64; i++) {
		/* Store, then at once a load of the same word: the load reads
		 * the RAM in the cycle the store writes it. */
		o = acc(m, MMU_STORE, va + 8 * (i % 8) + (i & 4), 4, false, 0x11111111u * i);
		assert_int_equal(o.cycles, 1 + m->cfg.hit_stage);
		o = acc(m, MMU_LOAD, va + 8 * (i % 8), 8, false, 0);
		assert_int_equal(o.cycles, 1 + m->cfg.hit_stage);
		acc(m, MMU_STORE, va + 8 * (i % 8) + 1, 1, false, i);
		acc(m, MMU_LOAD, va + 8 * (i % 8), 2, false, 0);
		acc(m, MMU_LOAD, va + 8 * ((i + 1) % 8), 8, false, 0);
	}
	done(m, "store then load of the same word in back-to-back cycles: forwarded bytes");
}

/* Timing figures (reported, not pass/fail beyond the one-cycle hit). */
static void test_timing(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct machine *r = lockstep_dut(m);
	struct ptb p;
	const uint64_t va = 0x0000000070000000ull;
	const unsigned n = 4096, lat = 1 + (unsigned)m->cfg.hit_stage;
	struct mmu_outcome o;
	uint64_t c0;
	unsigned walk_cold, walk_warm, walk_psc, miss;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 4; i++)
		ptb_map(&p, va + i * 0x1000, 0x400000 + i * 0x1000, 1,
			RW_US | PTE_A | PTE_D, RW_US | PTE_A);
	ptb_map(&p, va + (1ull << 30), 0x500000, 1, RW_US | PTE_A | PTE_D, RW_US | PTE_A);
	/* The tables are L1-resident (ptb wrote them through the L1) and A/D
	 * are set: the walks below read entries from the L1 and write nothing;
	 * the data lines are made resident too, so each figure is TLB miss +
	 * walk + an L1 hit. */
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(machine_phys_read64(m, 0x400000 + i * 0x1000, &c0), 0);
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	assert_true(o.walk_reads == 4 && o.l1_hit && o.n_ad == 0);
	walk_warm = o.cycles;
	o = acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	assert_true(o.psc_level == 2 && o.walk_reads == 1 && o.l1_hit);
	walk_psc = o.cycles;
	/* An empty L1 and TLB: four entry reads and the data miss. */
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	assert_int_equal(machine_invpcid(m, 2, 0, 0), 0);
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	assert_true(o.walk_reads == 4 && !o.l1_hit);
	walk_cold = o.cycles;
	o = acc(m, MMU_LOAD, va + 0x800, 8, false, 0);
	assert_true(o.tlb_hit && !o.l1_hit);
	miss = o.cycles;         /* TLB hit, L1 miss, clean victim */
	for (unsigned i = 0; i < 64; i += 8)
		acc(m, MMU_LOAD, va + 8 * i, 8, false, 0);   /* the 8 lines in the L1 */
	c0 = rtl_cycles(r);
	for (unsigned i = 0; i < n; i++) {
		o = acc(m, (i & 3) == 3 ? MMU_STORE : MMU_LOAD, va + 8 * (i % 64), 8, false, i);
		assert_int_equal(o.cycles, lat);
	}
	/* One access at a time: with the registered hit stage (lat 2) the
	 * pipelined rate is test_rtl_stream's. */
	printf("rtl timing (x86, DRAM latency 0): %u back-to-back hits in %llu cycles "
	       "(%.3f accesses/cycle); load-to-use %u cycle(s); TLB miss + walk of 4 "
	       "L1-resident entries + data hit %u cycles, with a PDE-cache hit (1 read) %u; "
	       "TLB hit + L1 miss %u; TLB miss with an empty L1 (4 entry and 1 data line fills) %u\n",
	       n, (unsigned long long)(rtl_cycles(r) - c0),
	       (double)n / (double)(rtl_cycles(r) - c0), lat, walk_warm, walk_psc, miss,
	       walk_cold);
	assert_int_equal(rtl_cycles(r) - c0, (uint64_t)n * lat);
	done(m, "timing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replacement_order),
		cmocka_unit_test(test_integrity),
		cmocka_unit_test(test_maintenance_and_phys_path),
		cmocka_unit_test(test_forwarding),
		cmocka_unit_test(test_timing),
	};

	return cmocka_run_group_tests_name("rtl l1", tests, NULL, NULL);
}
