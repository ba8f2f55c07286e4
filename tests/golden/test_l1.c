/* SPDX-License-Identifier: MIT */
/*
 * The VIPT L1: tree-PLRU replacement order within a set, write-back data
 * integrity across evictions (random traffic checked against a shadow copy
 * and against memory after a final flush, for every configuration), line
 * and whole-cache maintenance, and coherence of the OS's physical path.
 */
#include "ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)
static unsigned long checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static void test_replacement_order(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	/* Table indexes of 8 keep the walk's entry reads out of set 0, where
	 * all the data lines (page offset 0) go. */
	const uint64_t base = (8ull << 39) | (8ull << 30) | (8ull << 21) | (64ull << 12);
	struct golden_line l;
	struct mmu_outcome o;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 9; i++)
		ptb_map(&p, base + i * 4096ull, 0x100000 + i * 4096ull, 1, RW_US, RW_US);
	CHECK_EQ(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	for (unsigned i = 0; i < 8; i++) {
		o = acc(m, MMU_LOAD, base + i * 4096ull, 8, false, 0);
		CHECK_EQ(o.l1_hit, false);
		assert_int_equal(golden_l1_line(m, 0, i, &l), 0);
		CHECK_EQ(l.tag, (0x100000 + i * 4096ull) >> 12);  /* way i */
	}
	CHECK_EQ(acc(m, MMU_LOAD, base, 8, false, 0).l1_hit, true);
	CHECK_EQ(acc(m, MMU_LOAD, base + 8 * 4096ull, 8, false, 0).l1_hit, false);
	assert_int_equal(golden_l1_line(m, 0, 4, &l), 0);     /* PLRU victim */
	CHECK_EQ(l.tag, (0x100000 + 8 * 4096ull) >> 12);
	for (unsigned i = 0; i < 8; i++)
		if (i != 4)
			CHECK_EQ(acc(m, MMU_LOAD, base + i * 4096ull, 8, false, 0).l1_hit,
				 true);
	CHECK_EQ(acc(m, MMU_LOAD, base + 4 * 4096ull, 8, false, 0).l1_hit, false);
	printf("l1: 8-way set fills ways in order and evicts the tree-PLRU victim (%lu checks)\n",
	       checks);
	machine_destroy(m);
}

/* Random stores and loads over a region several times the cache, checked
 * against a shadow copy, then memory checked after FLUSH_ALL. */
static void integrity(const char *cfg_name, uint64_t table_pa, uint64_t data_pa,
		      uint64_t va, unsigned pages, unsigned ops)
{
	struct machine *m = new_machine(cfg_name, 0);
	struct ptb p;
	uint64_t page = 1ull << m->cfg.page_shift, bytes = pages * page;
	unsigned maxsz = m->cfg.l1_line < 8 ? (unsigned)m->cfg.l1_line : 8;
	uint8_t *shadow = calloc(1, bytes), *mem = malloc(bytes);
	struct mmu_counters c;
	unsigned long loads = 0, stores = 0, maint = 0;

	assert_non_null(shadow);
	assert_non_null(mem);
	ptb_init(&p, m, table_pa);
	for (unsigned i = 0; i < pages; i++)
		ptb_map(&p, va + i * page, data_pa + i * page, 1, RW_US, RW_US);
	srand(12345);
	for (unsigned n = 0; n < ops; n++) {
		unsigned size = 1u << (rand() % (maxsz == 8 ? 4 : maxsz == 4 ? 3 : 1));
		uint64_t off = ((uint64_t)rand() % bytes) & ~(uint64_t)(size - 1);
		int kind = rand() % 100;

		if (kind < 45) {
			uint64_t v = ((uint64_t)rand() << 32) ^ (uint64_t)rand();
			struct mmu_outcome o = acc(m, MMU_STORE, va + off, size, false, v);

			CHECK_EQ(o.status, MMU_ST_OK);
			for (unsigned i = 0; i < size; i++)
				shadow[off + i] = (uint8_t)(v >> (8 * i));
			stores++;
		} else if (kind < 98) {
			struct mmu_outcome o = acc(m, MMU_LOAD, va + off, size, false, 0);
			uint64_t want = 0;

			for (unsigned i = size; i-- > 0;)
				want = (want << 8) | shadow[off + i];
			if (o.rdata != want)
				fail_msg("%s: op %u load %u@%#llx = %#llx, expected %#llx",
					 cfg_name, n, size,
					 (unsigned long long)(va + off),
					 (unsigned long long)o.rdata,
					 (unsigned long long)want);
			checks++;
			loads++;
		} else {
			enum mmu_ctl_op op = kind == 98 ? MMU_CTL_CLEAN_LINE
							: MMU_CTL_FLUSH_LINE;

			CHECK_EQ(machine_cache_op(m, op, data_pa + off), 0);
			maint++;
		}
	}
	CHECK_EQ(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	assert_int_equal(machine_mem_peek(m, data_pa, mem, bytes), 0);
	for (uint64_t i = 0; i < bytes; i++)
		if (mem[i] != shadow[i])
			fail_msg("%s: memory[%#llx] = %#x after flush, expected %#x",
				 cfg_name, (unsigned long long)(data_pa + i),
				 mem[i], shadow[i]);
	checks += bytes;
	machine_counters(m, &c);
	assert_true(c.writebacks > 0);
	assert_true(c.l1_misses > 0);
	printf("l1: %s: %lu stores, %lu loads, %lu line ops over %llu KiB "
	       "(%llu write-backs, %llu fills); memory equals the shadow after "
	       "flush\n",
	       cfg_name, stores, loads, maint, (unsigned long long)(bytes >> 10),
	       (unsigned long long)c.writebacks, (unsigned long long)c.line_fills);
	free(shadow);
	free(mem);
	machine_destroy(m);
}

static void test_integrity_x86(void **state)
{
	(void)state;
	integrity("x86", 0x1000, 0x100000, 0x0000000010000000ull, 64, 200000);
}

static void test_integrity_fpga(void **state)
{
	(void)state;
	integrity("fpga", 0x1000, 0x100000, 0x0000000010000000ull, 16, 100000);
}

static void test_integrity_csapp(void **state)
{
	(void)state;
	/* 1 KiB page table at 0x400, 2 KiB of data in frames 0x20..0x3f. */
	integrity("csapp", 0x400, 0x800, 0x0800, 32, 50000);
}

static uint64_t peek64(struct machine *m, uint64_t pa)
{
	uint64_t v;

	assert_int_equal(machine_mem_peek(m, pa, &v, sizeof(v)), 0);
	return v;
}

static void test_maintenance_and_phys_path(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	const uint64_t va = 0x0000000050000000ull, pa = 0x200000;
	struct mmu_outcome o;
	uint64_t v;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, pa, 1, RW_US, RW_US);
	acc(m, MMU_STORE, va, 8, false, 0x1111);
	CHECK_EQ(peek64(m, pa), 0);                    /* still only in the L1 */
	CHECK_EQ(machine_cache_op(m, MMU_CTL_CLEAN_LINE, pa), 0);
	CHECK_EQ(peek64(m, pa), 0x1111);
	CHECK_EQ(acc(m, MMU_LOAD, va, 8, false, 0).l1_hit, true);  /* kept */
	acc(m, MMU_STORE, va, 8, false, 0x2222);
	CHECK_EQ(machine_cache_op(m, MMU_CTL_INVAL_LINE, pa + 8), 0);
	o = acc(m, MMU_LOAD, va, 8, false, 0);         /* the dirty data is lost */
	CHECK_EQ(o.l1_hit, false);
	CHECK_EQ(o.rdata, 0x1111);
	acc(m, MMU_STORE, va, 8, false, 0x3333);
	CHECK_EQ(machine_cache_op(m, MMU_CTL_FLUSH_LINE, pa), 0);
	CHECK_EQ(peek64(m, pa), 0x3333);
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	CHECK_EQ(o.l1_hit, false);
	CHECK_EQ(o.rdata, 0x3333);
	/* The OS's physical path is coherent with CPU accesses both ways. */
	CHECK_EQ(machine_phys_write64(m, pa + 64, 0xabcdef), 0);
	o = acc(m, MMU_LOAD, va + 64, 8, false, 0);
	CHECK_EQ(o.rdata, 0xabcdef);
	CHECK_EQ(o.l1_hit, true);
	acc(m, MMU_STORE, va + 128, 8, false, 0x4444);
	CHECK_EQ(machine_phys_read64(m, pa + 128, &v), 0);
	CHECK_EQ(v, 0x4444);
	CHECK_EQ(peek64(m, pa + 128), 0);
	CHECK_EQ(machine_cache_op(m, MMU_CTL_CLEAN_ALL, 0), 0);
	CHECK_EQ(peek64(m, pa + 128), 0x4444);
	CHECK_EQ(peek64(m, pa + 64), 0xabcdef);
	CHECK_EQ(machine_cache_op(m, MMU_CTL_INVAL_ALL, 0), 0);
	CHECK_EQ(acc(m, MMU_LOAD, va + 128, 8, false, 0).l1_hit, false);
	/* Out-of-range physical accesses are errors with a message. */
	CHECK_EQ(machine_phys_write64(m, m->mem_bytes - 4, 1), MMU_ERANGE);
	assert_non_null(strstr(m->err, "outside"));
	printf("l1: clean/invalidate/flush by line and whole cache; physical "
	       "path coherent both ways (%lu checks)\n", checks);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replacement_order),
		cmocka_unit_test(test_integrity_x86),
		cmocka_unit_test(test_integrity_fpga),
		cmocka_unit_test(test_integrity_csapp),
		cmocka_unit_test(test_maintenance_and_phys_path),
	};

	return cmocka_run_group_tests_name("l1", tests, NULL, NULL);
}
