/* SPDX-License-Identifier: MIT */
/*
 * TLB and control operations on the RTL, compared with the golden model
 * access by access (in lockstep, pair.c): tree-PLRU replacement in a set, PCID tagging,
 * MOV to CR3 with and without no-flush, global pages with CR4.PGE, INVLPG,
 * INVPCID types 0-3, PGE/PCIDE toggles, paging-structure-cache
 * invalidation, and every control write that must raise #GP.
 */
#include "pair.h"
#include "../golden/ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)

static bool hit(struct machine *m, uint64_t va)
{
	struct mmu_outcome o = acc(m, MMU_LOAD, va, 8, false, 0);

	assert_int_equal(o.status, MMU_ST_OK);
	return o.tlb_hit;
}

static void done(struct machine *m, const char *what)
{
	printf("rtl tlb: %s (%lu outcomes compared with the golden model)\n",
	       what, pair_compared(m));
	pair_finish(m);
}

static void test_replacement(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t base = 0x0000000010000000ull, stride = 16 * 4096;
	struct golden_tlb_entry e;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 9; i++)
		ptb_map(&p, base + i * stride, 0x400000 + i * 4096, 1, RW_US, RW_US);
	for (unsigned i = 0; i < 4; i++)
		assert_false(hit(m, base + i * stride));
	assert_true(hit(m, base));
	assert_false(hit(m, base + 4 * stride));   /* evicts way 2 */
	assert_int_equal(golden_tlb_entry(lockstep_ref(m), 0, 2, &e), 0);
	assert_int_equal(e.vpn, (base + 4 * stride) >> 12);
	/* Every later hit or miss must agree, so the RTL's PLRU state does. */
	for (unsigned round = 0; round < 6; round++)
		for (unsigned i = 0; i < 9; i++)
			hit(m, base + ((i * 5 + round) % 9) * stride);
	done(m, "4-way set: lowest invalid way first, then the tree-PLRU victim, 54 more hits and misses");
}

static void test_pcid(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t va = 0x0000000020000000ull;
	uint64_t root;

	(void)state;
	ptb_init(&p, m, 0x1000);
	root = ptb_entry(m, p.root, 0);
	ptb_map(&p, va, 0x500000, 1, RW_US, RW_US);
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE), MMU_EGP);
	ctl(m, MMU_CTL_WRITE_CR3, root);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE);
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);
	assert_false(hit(m, va));
	assert_true(hit(m, va));
	ctl(m, MMU_CTL_WRITE_CR3, root | 2);
	assert_false(hit(m, va));
	ctl(m, MMU_CTL_WRITE_CR3, root | 1 | CR3_NOFLUSH);
	assert_true(hit(m, va));
	ctl(m, MMU_CTL_WRITE_CR3, root | 2 | CR3_NOFLUSH);
	assert_true(hit(m, va));
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);
	assert_false(hit(m, va));
	ctl(m, MMU_CTL_WRITE_CR3, root | 2 | CR3_NOFLUSH);
	assert_true(hit(m, va));
	assert_int_equal(machine_invpcid(m, 1, 2, 0), 0);
	assert_false(hit(m, va));
	assert_int_equal(machine_invpcid(m, 0, 1, va), 0);
	assert_true(hit(m, va));
	assert_int_equal(machine_invpcid(m, 0, 2, va), 0);
	assert_false(hit(m, va));
	assert_int_equal(machine_invpcid(m, 3, 0, 0), 0);
	assert_false(hit(m, va));
	/* #GP: bad type, PCID out of range, non-canonical type-0 address,
	 * no-flush without PCIDE, unknown CR4 bit, CR3 reserved bit, PG=0,
	 * CR0 bits above 31, EFER bits but NXE. */
	assert_int_equal(machine_invpcid(m, 4, 0, 0), MMU_EGP);
	assert_int_equal(machine_invpcid(m, 0, 4096, va), MMU_EGP);
	assert_int_equal(machine_invpcid(m, 0, 1, 0x0000800000000000ull), MMU_EGP);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE);
	assert_int_equal(machine_invpcid(m, 1, 5, 0), MMU_EGP);
	assert_int_equal(machine_invpcid(m, 0, 5, va), MMU_EGP);
	assert_int_equal(machine_invpcid(m, 2, 5, 0), 0);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | CR3_NOFLUSH), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE | (1ull << 4)), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | (1ull << 50)), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | (1ull << 46)), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | (1ull << 45)), 0);
	ctl(m, MMU_CTL_WRITE_CR3, root);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR0, 0), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR0, CR0_RESET | (1ull << 32)), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_EFER, EFER_LME | 2), MMU_EGP);
	/* After all that, the registers agree (lockstep compares them). */
	{
		struct mmu_regs r;

		machine_regs(m, &r);
		assert_int_equal(r.cr3, root);
	}
	done(m, "PCID tags, CR3 no-flush, INVPCID types 0-3, 13 #GP cases");
}

static void test_global(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t g = 0x0000000030000000ull, ng = g + 0x1000;
	uint64_t root;

	(void)state;
	ptb_init(&p, m, 0x1000);
	root = ptb_entry(m, p.root, 0);
	ptb_map(&p, g, 0x600000, 1, RW_US | PTE_G, RW_US);
	ptb_map(&p, ng, 0x601000, 1, RW_US, RW_US);
	hit(m, g);
	ctl(m, MMU_CTL_WRITE_CR3, root);
	hit(m, g);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE | CR4_PCIDE);
	hit(m, g);
	hit(m, ng);
	ctl(m, MMU_CTL_WRITE_CR3, root | 7);
	assert_true(hit(m, g));
	assert_false(hit(m, ng));
	assert_int_equal(machine_invpcid(m, 3, 0, 0), 0);
	assert_true(hit(m, g));
	assert_int_equal(machine_invpcid(m, 0, 7, g), 0);
	assert_true(hit(m, g));
	assert_int_equal(machine_invpcid(m, 1, 7, 0), 0);
	assert_true(hit(m, g));
	assert_int_equal(machine_invlpg(m, g), 0);
	assert_false(hit(m, g));
	assert_int_equal(machine_invpcid(m, 2, 0, 0), 0);
	assert_false(hit(m, g));
	assert_true(hit(m, g));
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE);
	assert_false(hit(m, g));
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE | CR4_PCIDE);
	hit(m, g);
	hit(m, g);
	ctl(m, MMU_CTL_WRITE_CR3, root | 7);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE);
	assert_false(hit(m, g));
	/* A global entry matches every PCID; a non-global fill for the same
	 * page overwrites it (a match, not a new way). */
	ctl(m, MMU_CTL_WRITE_CR3, root);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE | CR4_PCIDE);
	ctl(m, MMU_CTL_WRITE_CR3, root | 3);
	hit(m, g);
	ptb_write(&p, g, 1, ptb_read(&p, g, 1) & ~PTE_G);
	acc(m, MMU_STORE, g, 8, false, 1);   /* clean entry: walk, overwrite */
	ctl(m, MMU_CTL_WRITE_CR3, root | 4);
	hit(m, g);
	done(m, "global entries across CR3 writes, INVLPG, INVPCID 0-3, PGE and PCIDE toggles");
}

/* Reading the registers (lockstep compares them after every call) must not clock
 * the RTL: back-to-back hits stay one cycle each (1 + hit_stage: the
 * load-to-use of the configuration), as without the reads, and a #PF's
 * CR2 is visible at once. */
static void test_regs_no_edge(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct machine *r = lockstep_dut(m);
	struct ptb p;
	struct mmu_regs regs;
	const uint64_t va = 0x0000000040000000ull;
	const unsigned lat = 1 + (unsigned)m->cfg.hit_stage;
	uint64_t c0;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, 0x700000, 1, RW_US, RW_US);
	/* warm: the entry dirty, the 8 lines of the loop in the L1 */
	for (unsigned i = 0; i < 8; i++)
		acc(m, MMU_STORE, va + 64 * i, 8, false, i);
	c0 = rtl_cycles(r);
	for (unsigned i = 0; i < 100; i++) {
		struct mmu_outcome o = acc(m, i & 1 ? MMU_STORE : MMU_LOAD,
					   va + 8 * (i % 64), 8, false, i);

		assert_int_equal(o.status, MMU_ST_OK);
		assert_int_equal(o.cycles, lat);
		machine_regs(m, &regs);
		machine_regs(m, &regs);
	}
	assert_int_equal(rtl_cycles(r) - c0, 100 * lat);
	acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);   /* #PF: not mapped */
	machine_regs(r, &regs);
	assert_int_equal(regs.cr2, va + 0x1000);
	done(m, "register reads leave hits at one cycle each");
}

static void test_psc(void **state)
{
	struct machine *m = pair_new("x86", 0, NULL);
	struct ptb p;
	const uint64_t va = 0x0000000040000000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 6; i++)
		ptb_map(&p, va + i * 0x1000 + ((uint64_t)i << 21) + ((uint64_t)i << 30),
			0x700000 + i * 0x1000, 1, RW_US, RW_US);
	ptb_map(&p, va + 0x1000, 0x701000, 1, RW_US, RW_US);
	acc(m, MMU_LOAD, va, 8, false, 0);
	o = acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	assert_int_equal(o.psc_level, 2);
	/* Six different PDs and PDPTs: the 4-entry PSCs fill, then round-robin. */
	for (unsigned round = 0; round < 3; round++)
		for (unsigned i = 0; i < 6; i++)
			acc(m, MMU_LOAD, va + i * 0x1000 + ((uint64_t)i << 21) +
				((uint64_t)i << 30) + 8 * round, 8, false, 0);
	ptb_write(&p, va, 2, ptb_read(&p, va, 2) & ~PTE_P);
	assert_int_equal(machine_invlpg(m, va + 0x1000), 0);
	o = acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	ptb_write(&p, va, 2, ptb_read(&p, va, 2) | PTE_P);
	/* The fault dropped the PSC entries tagged with the faulting address. */
	acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	/* PCID-tagged PSC entries: a CR3 write flushes only its PCID's. */
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE);
	ctl(m, MMU_CTL_WRITE_CR3, ptb_entry(m, p.root, 0) | 9);
	acc(m, MMU_LOAD, va, 8, false, 0);
	acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	ctl(m, MMU_CTL_WRITE_CR3, ptb_entry(m, p.root, 0) | 10);
	acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	ctl(m, MMU_CTL_WRITE_CR3, ptb_entry(m, p.root, 0) | 9 | CR3_NOFLUSH);
	acc(m, MMU_LOAD, va + 0x2000 + (2ull << 21) + (2ull << 30), 8, false, 0);
	done(m, "paging-structure caches: fills, round-robin, INVLPG and #PF drops, PCID tags");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replacement),
		cmocka_unit_test(test_pcid),
		cmocka_unit_test(test_global),
		cmocka_unit_test(test_psc),
		cmocka_unit_test(test_regs_no_edge),
	};

	return cmocka_run_group_tests_name("rtl tlb", tests, NULL, NULL);
}
