/* SPDX-License-Identifier: MIT */
/*
 * The walker's rules on the RTL, each access compared field by field with
 * the golden model (in lockstep, pair.c): 4 KiB / 2 MiB / 1 GiB pages, PSC shortcuts,
 * reserved bits at every level, not-present at every level, canonical
 * checks, A/D updates and the dirty-assist walk, no TLB entry after a
 * fault, the access-rights matrix, protection keys, bus errors.
 */
#include "pair.h"
#include "../golden/ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)

static struct machine *setup(struct ptb *p, uint64_t mem)
{
	struct machine *m = pair_new("x86", mem, NULL);

	ptb_init(p, m, 0x1000);
	return m;
}

/* Rewrite an entry through the coherent path and INVLPG the address. */
static void edit(struct ptb *p, uint64_t va, unsigned level, pte_t e)
{
	ptb_write(p, va, level, e);
	assert_int_equal(0, machine_invlpg(p->m, va));
}

static void done(struct machine *m, const char *what)
{
	printf("rtl walk: %s (%lu outcomes compared with the golden model)\n",
	       what, pair_compared(m));
	pair_finish(m);
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
	assert_int_equal(o.status, MMU_ST_OK);
	assert_int_equal(o.n_ad, 4);
	o = acc(m, MMU_LOAD, va + 0x10, 8, true, 0);
	assert_true(o.tlb_hit && o.l1_hit && !o.walked);
	assert_int_equal(o.cycles, 1 + m->cfg.hit_stage);
	acc(m, MMU_LOAD, va + 0x12, 2, false, 0);
	acc(m, MMU_LOAD, va + 0x13, 1, false, 0);
	acc(m, MMU_LOAD, va + 0x14, 4, false, 0);
	acc(m, MMU_FETCH, va + 0x18, 8, false, 0);
	done(m, "4 KiB page: walk, A/D in four entries, TLB and L1 hits in one cycle, sizes 1/2/4/8");
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
	acc(m, MMU_LOAD, va2m + 0x12344, 4, false, 0);
	o = acc(m, MMU_LOAD, va2m + 0x1ff000, 8, false, 0);
	assert_int_equal(o.psc_level, 3);
	acc(m, MMU_STORE, va1g + 0x12345678, 8, true, 42);
	acc(m, MMU_LOAD, va1g + 0x2345678, 8, true, 0);
	assert_int_equal(0, machine_invlpg(m, va2m + 0x80000));
	acc(m, MMU_LOAD, va2m + 0x12344, 1, false, 0);
	acc(m, MMU_LOAD, va2m + 0x1ff000, 1, false, 0);
	done(m, "2 MiB and 1 GiB pages, PSC shortcut, INVLPG of a large page");
}

static void expect_fault(struct machine *m, uint64_t va, enum mmu_op op,
			 bool user)
{
	struct mmu_outcome o = acc(m, op, va, 8, user, 0);

	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	/* No TLB entry is left: the same access walks and faults again. */
	o = acc(m, op, va, 8, user, 0);
	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	assert_false(o.tlb_hit);
}

static void test_reserved_bits(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000123456789000ull, va2 = 0x0000000080000000ull;

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	acc(m, MMU_LOAD, va, 8, false, 0);
	for (unsigned l = 1; l <= 4; l++) {
		pte_t e = ptb_read(&p, va, l);

		edit(&p, va, l, e | (1ull << m->cfg.pa_bits));
		expect_fault(m, va, MMU_LOAD, false);
		edit(&p, va, l, e | (1ull << 51));
		expect_fault(m, va, MMU_STORE, true);
		ptb_write(&p, va, l, e);
	}
	{
		pte_t e = ptb_read(&p, va, 4);

		edit(&p, va, 4, e | PTE_PS);
		expect_fault(m, va, MMU_LOAD, false);
		ptb_write(&p, va, 4, e);
	}
	{
		pte_t e = ptb_read(&p, va, 2);

		edit(&p, va, 2, e | PTE_XD);
		expect_fault(m, va, MMU_LOAD, false);
		ctl(m, MMU_CTL_WRITE_EFER, EFER_LME | EFER_NXE);
		acc(m, MMU_LOAD, va, 8, false, 0);
		acc(m, MMU_FETCH, va, 8, false, 0);
		ctl(m, MMU_CTL_WRITE_EFER, EFER_LME);
		ptb_write(&p, va, 2, e);
	}
	ptb_map(&p, va2, 0x400000, 2, RW_US, RW_US);
	acc(m, MMU_LOAD, va2, 8, false, 0);
	for (unsigned b = 13; b <= 20; b += 7) {
		edit(&p, va2, 2, ptb_read(&p, va2, 2) | (1ull << b));
		expect_fault(m, va2, MMU_LOAD, false);
		ptb_write(&p, va2, 2, ptb_read(&p, va2, 2) & ~(1ull << b));
	}
	acc(m, MMU_LOAD, va2, 8, false, 0);
	done(m, "reserved bits above MAXPHYADDR and at bit 51 at 4 levels, PS in a PML4E, "
		"XD without NXE, low frame bits of a 2 MiB page");
}

static void test_not_present_and_canonical(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000555555554000ull;

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	for (unsigned l = 1; l <= 4; l++) {
		pte_t e = ptb_read(&p, va, l);

		edit(&p, va, l, e & ~PTE_P);
		expect_fault(m, va + 8, MMU_STORE, true);
		expect_fault(m, va + 8, MMU_FETCH, false);
		ptb_write(&p, va, l, e);
	}
	assert_int_equal(acc(m, MMU_LOAD, 0x0000800000000000ull, 8, false, 0).status,
			 MMU_ST_GP_FAULT);
	acc(m, MMU_LOAD, 0xffff800000000000ull, 8, false, 0);
	acc(m, MMU_STORE, 0xfffe800000000000ull, 8, true, 0);
	acc(m, MMU_FETCH, 0x7fff000000000000ull, 4, true, 0);
	done(m, "not-present at each level, error codes, CR2; canonical #GP");
}

static void test_dirty_and_faults(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t va = 0x0000000000400000ull, va2 = va + 0x1000;
	struct mmu_outcome o;

	(void)state;
	ptb_map(&p, va, 0x300000, 1, RW_US, RW_US);
	acc(m, MMU_LOAD, va, 8, false, 0);
	o = acc(m, MMU_STORE, va, 8, false, 7);
	assert_true(o.tlb_hit && o.walked);
	acc(m, MMU_STORE, va, 8, false, 8);
	ptb_map(&p, va2, 0x301000, 1, PTE_RW, RW_US);
	acc(m, MMU_LOAD, va2, 8, false, 0);
	o = acc(m, MMU_LOAD, va2, 8, true, 0);
	assert_true(o.tlb_hit && o.status == MMU_ST_PAGE_FAULT);
	acc(m, MMU_LOAD, va2, 8, false, 0);
	/* A dirty-assist walk that faults: the PTE lost R/W meanwhile. */
	acc(m, MMU_LOAD, va2 + 8, 8, false, 0);
	ptb_write(&p, va2, 1, ptb_entry(m, 0x301000, PTE_P | PTE_A));
	o = acc(m, MMU_STORE, va2 + 8, 8, false, 1);
	assert_true(o.tlb_hit && o.walked && o.status == MMU_ST_PAGE_FAULT);
	edit(&p, va2, 1, ptb_entry(m, 0x301000, PTE_P));
	acc(m, MMU_STORE, va2, 8, true, 0);
	/* A leaf outside physical memory: bus error; an entry outside it too. */
	edit(&p, va2, 1, ptb_entry(m, 1ull << 40, RW_US | PTE_P));
	assert_int_equal(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_BUS_ERROR);
	assert_int_equal(acc(m, MMU_STORE, va2, 4, false, 0).status, MMU_ST_BUS_ERROR);
	edit(&p, va2, 2, ptb_entry(m, 1ull << 41, RW_US | PTE_P));
	assert_int_equal(acc(m, MMU_LOAD, va2, 8, false, 0).status, MMU_ST_BUS_ERROR);
	done(m, "dirty-assist walk (and one that faults), faults drop TLB entries, "
		"A/D untouched on a refusal, bus errors for a leaf and a table outside memory");
}

/* Every combination of U/S, R/W, XD at the leaf and WP, NXE, SMEP, SMAP, AC
 * for loads, stores and fetches by user and supervisor, on both sides. */
static void test_rights_matrix(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t base = 0x0000000010000000ull;
	unsigned n = 0;

	(void)state;
	for (unsigned f = 0; f < 8; f++) {
		pte_t flags = (f & 1 ? PTE_US : 0) | (f & 2 ? PTE_RW : 0) |
			      (f & 4 ? PTE_XD : 0);

		ptb_map(&p, base + f * 0x1000, 0x600000 + f * 0x1000, 1, flags, RW_US);
	}
	for (unsigned regs = 0; regs < 32; regs++) {
		ctl(m, MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG | (regs & 1 ? CR0_WP : 0));
		ctl(m, MMU_CTL_WRITE_EFER, EFER_LME | (regs & 2 ? EFER_NXE : 0));
		ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | (regs & 4 ? CR4_SMEP : 0) | (regs & 8 ? CR4_SMAP : 0));
		ctl(m, MMU_CTL_SET_AC, regs >> 4 & 1);
		for (unsigned f = 0; f < 8; f++)
			for (unsigned op = 0; op < 3; op++)
				for (unsigned user = 0; user < 2; user++) {
					/* Twice: a walk, then (if allowed) a TLB hit. */
					acc(m, (enum mmu_op)op, base + f * 0x1000, 8, user, f);
					acc(m, (enum mmu_op)op, base + f * 0x1000, 8, user, f);
					n += 2;
				}
	}
	printf("rtl walk: rights matrix, %u accesses over 8 leaf flag sets x 32 register sets\n", n);
	done(m, "rights matrix");
}

/* Protection keys: a leaf per key, PKE x WP x PKRU patterns for loads,
 * stores and fetches by user and supervisor; then WRPKRU and PKE toggles
 * between TLB hits take effect without a flush, on both sides alike. */
static void test_pkeys(void **state)
{
	struct ptb p;
	struct machine *m = setup(&p, 0);
	const uint64_t base = 0x0000000020000000ull;
	static const uint32_t pkru[] = { 0, 0x55555555u, 0xaaaaaaaau,
					 0xffffffffu, 0x0000000cu, 0x12345678u };
	struct mmu_outcome o;
	unsigned n = 0;

	(void)state;
	for (unsigned k = 0; k < PTE_NPKEYS; k++)
		ptb_map(&p, base + k * 0x1000, 0x700000 + k * 0x1000, 1,
			pte_with_pkey(RW_US, k), RW_US);
	for (unsigned regs = 0; regs < 4 * 6; regs++) {
		ctl(m, MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG | (regs & 1 ? CR0_WP : 0));
		ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE);
		ctl(m, MMU_CTL_WRITE_PKRU, pkru[regs / 4]);
		ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | (regs & 2 ? CR4_PKE : 0));
		for (unsigned k = 0; k < PTE_NPKEYS; k++)
			for (unsigned op = 0; op < 3; op++)
				for (unsigned user = 0; user < 2; user++) {
					acc(m, (enum mmu_op)op, base + k * 0x1000, 8, user, k);
					acc(m, (enum mmu_op)op, base + k * 0x1000, 8, user, k);
					n += 2;
				}
	}
	/* Key 1 cached in the TLB: WRPKRU alone changes the outcome. */
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE);
	ctl(m, MMU_CTL_WRITE_PKRU, 0);
	o = acc(m, MMU_LOAD, base + 0x1000, 8, true, 0);
	assert_int_equal(o.status, MMU_ST_OK);
	ctl(m, MMU_CTL_WRITE_PKRU, PKRU_AD(1));
	o = acc(m, MMU_LOAD, base + 0x1000, 8, true, 0);
	assert_true(o.tlb_hit);
	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	assert_int_equal(o.error_code, PFEC_P | PFEC_US | PFEC_PK);
	o = acc(m, MMU_FETCH, base + 0x1000, 8, true, 0);
	assert_int_equal(o.status, MMU_ST_OK);
	ctl(m, MMU_CTL_WRITE_PKRU, PKRU_WD(1));
	o = acc(m, MMU_STORE, base + 0x1000, 8, true, 1);
	assert_int_equal(o.error_code, PFEC_P | PFEC_WR | PFEC_US | PFEC_PK);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE);
	o = acc(m, MMU_STORE, base + 0x1000, 8, true, 1);
	assert_int_equal(o.status, MMU_ST_OK);
	n += 6;
	printf("rtl walk: protection keys, %u accesses over 16 keys x PKE x WP x "
	       "6 PKRU values, WRPKRU and PKE effective on TLB hits\n", n);
	done(m, "protection keys");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4k_page),
		cmocka_unit_test(test_large_pages),
		cmocka_unit_test(test_reserved_bits),
		cmocka_unit_test(test_not_present_and_canonical),
		cmocka_unit_test(test_dirty_and_faults),
		cmocka_unit_test(test_rights_matrix),
		cmocka_unit_test(test_pkeys),
	};

	return cmocka_run_group_tests_name("rtl walk", tests, NULL, NULL);
}
