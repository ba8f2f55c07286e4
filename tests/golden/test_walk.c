/* SPDX-License-Identifier: MIT */
/*
 * The walker's rules: 4 KiB / 2 MiB / 1 GiB pages, canonical addresses,
 * reserved bits at every level, not-present faults, A/D updates, a write
 * through a clean TLB entry, no TLB entry after a fault, bus errors.
 */
#include "ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)
static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static struct machine *setup(struct ptb *p, uint64_t mem)
{
	struct machine *m = new_machine("x86", mem);

	ptb_init(p, m, 0x1000);
	return m;
}

static void test_4k_page(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x00007f1234567000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_map(&p, va, 0x200000, 1, RW_US, RW_US);
	o = acc(m, MMU_STORE, va + 0x10, 8, true, 0x1122334455667788ull);
	CHECK_EQ(o.status, MMU_ST_OK);
	CHECK_EQ(o.pa, 0x200010);
	CHECK_EQ(o.tlb_hit, false);
	CHECK_EQ(o.walk_reads, 4);
	CHECK_EQ(o.page_level, 1);
	/* A set in PML4E, PDPTE, PDE; A and D in the PTE: four RMWs. */
	CHECK_EQ(o.n_ad, 4);
	for (unsigned l = 2; l <= 4; l++)
		CHECK_EQ(ptb_read(&p, va, l) & (PTE_A | PTE_D), PTE_A);
	CHECK_EQ(ptb_read(&p, va, 1) & (PTE_A | PTE_D), PTE_A | PTE_D);
	o = acc(m, MMU_LOAD, va + 0x10, 8, true, 0);
	CHECK_EQ(o.tlb_hit, true);
	CHECK_EQ(o.walked, false);
	CHECK_EQ(o.l1_hit, true);
	CHECK_EQ(o.rdata, 0x1122334455667788ull);
	o = acc(m, MMU_LOAD, va + 0x12, 2, false, 0);
	CHECK_EQ(o.rdata, 0x5566);
	printf("walk: 4 KiB page translated, A/D set, reloaded from TLB (%u checks)\n",
	       checks);
	machine_destroy(m);
}

static void test_large_pages(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 2ull << 30);
	const uint64_t va2m = 0x0000000040000000ull, va1g = 0x0000008000000000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_map(&p, va2m, 0x00600000, 2, RW_US | (1ull << PTE_BIT_PAT_LARGE), RW_US);
	ptb_map(&p, va1g, 0x40000000, 3, RW_US, RW_US);
	o = acc(m, MMU_LOAD, va2m + 0x12344, 4, false, 0);
	CHECK_EQ(o.status, MMU_ST_OK);
	CHECK_EQ(o.pa, 0x00600000 + 0x12344);
	CHECK_EQ(o.page_level, 2);
	CHECK_EQ(o.walk_reads, 3);
	/* Another 4 KiB piece of the same 2 MiB page: a TLB miss (the TLB
	 * holds base-page pieces) that the PDPTE cache shortens to one read. */
	o = acc(m, MMU_LOAD, va2m + 0x1ff000, 8, false, 0);
	CHECK_EQ(o.pa, 0x007ff000);
	CHECK_EQ(o.tlb_hit, false);
	CHECK_EQ(o.psc_level, 3);
	CHECK_EQ(o.walk_reads, 1);
	o = acc(m, MMU_STORE, va1g + 0x12345678, 8, true, 42);
	CHECK_EQ(o.status, MMU_ST_OK);
	CHECK_EQ(o.pa, 0x40000000 + 0x12345678);
	CHECK_EQ(o.page_level, 3);
	CHECK_EQ(ptb_read(&p, va1g, 3) & (PTE_A | PTE_D), PTE_A | PTE_D);
	/* INVLPG anywhere in the 2 MiB page drops both pieces. */
	assert_int_equal(0, machine_invlpg(m, va2m + 0x80000));
	CHECK_EQ(acc(m, MMU_LOAD, va2m + 0x12344, 1, false, 0).tlb_hit, false);
	CHECK_EQ(acc(m, MMU_LOAD, va2m + 0x1ff000, 1, false, 0).tlb_hit, false);
	printf("walk: 2 MiB and 1 GiB pages, PSC shortcut, INVLPG of a large page (%u checks)\n",
	       checks);
	machine_destroy(m);
}

static void expect_rsvd(struct machine *m, uint64_t va, const char *what)
{
	struct mmu_outcome o = acc(m, MMU_LOAD, va, 8, false, 0);

	if (o.status != MMU_ST_PAGE_FAULT || o.error_code != (PFEC_P | PFEC_RSVD))
		fail_msg("%s: expected #PF P|RSVD, got %s ec=%#x", what,
			 mmu_status_str(o.status), o.error_code);
	CHECK_EQ(o.cr2, va);
	/* No TLB entry: the same access walks and faults again. */
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	CHECK_EQ(o.tlb_hit, false);
	CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
}

static void test_reserved_bits(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000123456789000ull;
	const pte_t above_maxphy = 1ull << m->cfg.pa_bits;

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	CHECK_EQ(acc(m, MMU_LOAD, va, 8, false, 0).status, MMU_ST_OK);
	/* A physical-address bit above MAXPHYADDR, at each level. */
	for (unsigned l = 1; l <= 4; l++) {
		pte_t e = ptb_read(&p, va, l);

		ptb_write(&p, va, l, e | above_maxphy);
		assert_int_equal(0, machine_invlpg(m, va));
		expect_rsvd(m, va, "bit above MAXPHYADDR");
		ptb_write(&p, va, l, e);
	}
	/* PS in a PML4E is reserved. */
	{
		pte_t e = ptb_read(&p, va, 4);

		ptb_write(&p, va, 4, e | PTE_PS);
		assert_int_equal(0, machine_invlpg(m, va));
		expect_rsvd(m, va, "PS in PML4E");
		ptb_write(&p, va, 4, e);
	}
	/* XD with EFER.NXE=0 is reserved; with NXE=1 it is not. */
	{
		pte_t e = ptb_read(&p, va, 2);

		ptb_write(&p, va, 2, e | PTE_XD);
		assert_int_equal(0, machine_invlpg(m, va));
		expect_rsvd(m, va, "XD without NXE");
		/* The entries above the faulting PDE were used: A set. */
		CHECK_EQ(!!(ptb_read(&p, va, 3) & PTE_A), 1);
		ctl(m, MMU_CTL_WRITE_EFER, EFER_LME | EFER_NXE);
		CHECK_EQ(acc(m, MMU_LOAD, va, 8, false, 0).status, MMU_ST_OK);
		CHECK_EQ(acc(m, MMU_FETCH, va, 8, false, 0).error_code,
			 PFEC_P | PFEC_ID);
		ctl(m, MMU_CTL_WRITE_EFER, EFER_LME);
		ptb_write(&p, va, 2, e);
	}
	/* Frame bits below a 2 MiB page's alignment (above PAT) are reserved. */
	{
		const uint64_t va2 = 0x0000000080000000ull;

		ptb_map(&p, va2, 0x400000, 2, RW_US, RW_US);
		CHECK_EQ(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_OK);
		ptb_write(&p, va2, 2, ptb_read(&p, va2, 2) | (1ull << 13));
		assert_int_equal(0, machine_invlpg(m, va2));
		expect_rsvd(m, va2, "2 MiB frame bit 13");
		ptb_write(&p, va2, 2, ptb_read(&p, va2, 2) & ~(1ull << 13));
		CHECK_EQ(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_OK);
	}
	printf("walk: reserved bits above MAXPHYADDR at 4 levels, PS in PML4E, "
	       "XD without NXE, large-frame low bits (%u checks)\n", checks);
	machine_destroy(m);
}

static void test_no_1g_pages(void **state)
{
	struct mmu_config cfg;
	struct machine *m;
	struct ptb p;
	char err[256];
	const uint64_t va = 0x0000004000000000ull;

	(void)state;
	assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
	assert_int_equal(mmu_config_set(&cfg, "page_1g", "0", err, sizeof(err)), 0);
	assert_int_equal(golden_create(&cfg, 0, &m, err, sizeof(err)), 0);
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, 0, 3, RW_US, RW_US);
	expect_rsvd(m, va, "PS in PDPTE without 1 GiB pages");
	printf("walk: PS in a PDPTE is reserved when page_1g = 0 (%u checks)\n", checks);
	machine_destroy(m);
}

static void test_not_present_and_canonical(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000555555554000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	for (unsigned l = 1; l <= 4; l++) {
		pte_t e = ptb_read(&p, va, l);

		ptb_write(&p, va, l, e & ~PTE_P);
		assert_int_equal(0, machine_invlpg(m, va));
		o = acc(m, MMU_STORE, va + 8, 8, true, 1);
		CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
		CHECK_EQ(o.error_code, PFEC_WR | PFEC_US);
		CHECK_EQ(o.cr2, va + 8);
		CHECK_EQ(o.walk_reads, 5 - l);
		ptb_write(&p, va, l, e);
	}
	o = acc(m, MMU_LOAD, 0x0000800000000000ull, 8, false, 0);
	CHECK_EQ(o.status, MMU_ST_GP_FAULT);
	CHECK_EQ(o.walked, false);
	o = acc(m, MMU_LOAD, 0xffff800000000000ull, 8, false, 0);
	CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
	CHECK_EQ(o.error_code, 0);
	o = acc(m, MMU_LOAD, 0xfffe800000000000ull, 8, false, 0);
	CHECK_EQ(o.status, MMU_ST_GP_FAULT);
	printf("walk: not-present at each level with error code and CR2; "
	       "canonical checks (%u checks)\n", checks);
	machine_destroy(m);
}

static void test_dirty_and_tlb_faults(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000000000400000ull, va2 = va + 0x1000;
	struct mmu_outcome o;
	struct mmu_req bad = { .va = va + 1, .op = MMU_LOAD, .size = 2 };

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	CHECK_EQ(ptb_read(&p, va, 1) & (PTE_A | PTE_D), PTE_A);
	/* A write through the clean TLB entry walks to set D. */
	o = acc(m, MMU_STORE, va, 8, false, 7);
	CHECK_EQ(o.tlb_hit, true);
	CHECK_EQ(o.walked, true);
	CHECK_EQ(o.n_ad, 1);
	CHECK_EQ(o.ad[0].value & PTE_D, PTE_D);
	CHECK_EQ(ptb_read(&p, va, 1) & PTE_D, PTE_D);
	o = acc(m, MMU_STORE, va, 8, false, 8);
	CHECK_EQ(o.walked, false);
	/* D is never set in a non-leaf entry. */
	for (unsigned l = 2; l <= 4; l++)
		CHECK_EQ(ptb_read(&p, va, l) & PTE_D, 0);
	/* A supervisor page cached in the TLB, then a user access: #PF with
	 * P|U and the entry is gone. */
	ptb_map(&p, va2, 0x301000, 1, PTE_RW, RW_US);
	CHECK_EQ(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_OK);
	o = acc(m, MMU_LOAD, va2, 8, true, 0);
	CHECK_EQ(o.tlb_hit, true);
	CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
	CHECK_EQ(o.error_code, PFEC_P | PFEC_US);
	CHECK_EQ(acc(m, MMU_LOAD, va2, 8, false, 0).tlb_hit, false);
	/* A protection fault leaves the leaf's A/D untouched. */
	ptb_write(&p, va2, 1, ptb_entry(m, 0x301000, PTE_P));
	assert_int_equal(0, machine_invlpg(m, va2));
	o = acc(m, MMU_STORE, va2, 8, true, 0);
	CHECK_EQ(o.error_code, PFEC_P | PFEC_WR | PFEC_US);
	CHECK_EQ(ptb_read(&p, va2, 1) & (PTE_A | PTE_D), 0);
	/* A leaf outside physical memory is a bus error, not a fault. */
	ptb_write(&p, va2, 1, ptb_entry(m, 1ull << 40, RW_US | PTE_P));
	assert_int_equal(0, machine_invlpg(m, va2));
	CHECK_EQ(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_BUS_ERROR);
	/* Malformed requests are errors, not outcomes. */
	CHECK_EQ(machine_access(m, &bad, &o), MMU_EINVAL);
	bad.va = va;
	bad.size = 3;
	CHECK_EQ(machine_access(m, &bad, &o), MMU_EINVAL);
	printf("walk: D via a walk from a clean TLB entry, faults drop TLB "
	       "entries, bus error, malformed requests (%u checks)\n", checks);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4k_page),
		cmocka_unit_test(test_large_pages),
		cmocka_unit_test(test_reserved_bits),
		cmocka_unit_test(test_no_1g_pages),
		cmocka_unit_test(test_not_present_and_canonical),
		cmocka_unit_test(test_dirty_and_tlb_faults),
	};

	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
