/* SPDX-License-Identifier: MIT */
/*
 * The C side of the DPI-C library (sim/dpi/mmu_dpi.c), called as a
 * simulator would: creation with overrides and its refusals, a mapped
 * access with its whole outcome and A/D updates, #GP of a control write,
 * physical reads and writes, counters, and the errors a testbench can
 * provoke (bad sizes, ops, names, a null handle) as values with messages.
 * The SystemVerilog side: make dpi-test (examples/dpi/tb_mmu_top.sv).
 */
#include "../../sim/dpi/mmu_dpi.h"
#include "machine/machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

struct out {
	int status, error_code, walk_reads, psc_level, page_level, n_ad;
	long long rdata, pa, cr2;
	unsigned char tlb_hit, walked, l1_hit;
};

static int access(void *h, long long va, int op, int size, int user,
		  long long wdata, struct out *o)
{
	return mmu_dpi_access(h, va, op, size, (unsigned char)user, wdata,
			      &o->status, &o->rdata, &o->pa, &o->error_code,
			      &o->cr2, &o->tlb_hit, &o->walked, &o->l1_hit,
			      &o->walk_reads, &o->psc_level, &o->page_level,
			      &o->n_ad);
}

static void test_create(void **state)
{
	void *h;
	long long v;

	(void)state;
	assert_null(mmu_dpi_create("nosuch", "", 0));
	assert_non_null(strstr(mmu_dpi_error(NULL), "nosuch"));
	assert_null(mmu_dpi_create("x86", "tlb_ways", 0));
	assert_non_null(strstr(mmu_dpi_error(NULL), "no key=value"));
	assert_null(mmu_dpi_create("x86", "tlb_ways=3", 0));
	assert_non_null(strstr(mmu_dpi_error(NULL), "tlb_ways"));
	assert_null(mmu_dpi_create(NULL, "", 0));
	h = mmu_dpi_create("x86", "tlb_ways=8 l1_ways=4", 1 << 20);
	assert_non_null(h);
	assert_int_equal(mmu_dpi_counter(h, "tlb_hits", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mmu_dpi_counter(h, "nosuch", &v), MMU_EINVAL);
	assert_non_null(strstr(mmu_dpi_error(h), "nosuch"));
	mmu_dpi_destroy(h);
	mmu_dpi_destroy(NULL);
	printf("create: configurations, overrides and their refusals\n");
}

/* PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT 0x4000 -> 0x10000 for
 * va 0 .. 0xfff, user and writable. */
static void map_page0(void *h)
{
	const long long t = PTE_P | PTE_RW | PTE_US;

	assert_int_equal(mmu_dpi_phys_write(h, 0x1000, 0x2000 | t, 8), 0);
	assert_int_equal(mmu_dpi_phys_write(h, 0x2000, 0x3000 | t, 8), 0);
	assert_int_equal(mmu_dpi_phys_write(h, 0x3000, 0x4000 | t, 8), 0);
	assert_int_equal(mmu_dpi_phys_write(h, 0x4000, 0x10000 | t, 8), 0);
}

static void test_access(void **state)
{
	void *h = mmu_dpi_create("x86", "", 0);
	unsigned char gp = 9, ac;
	long long v, pa, cr0, cr2, cr3, cr4, efer;
	int pkru = -1;
	struct out o;

	(void)state;
	assert_non_null(h);
	map_page0(h);
	assert_int_equal(mmu_dpi_phys_write(h, 0x10008, 0x1234, 2), 0);
	assert_int_equal(mmu_dpi_phys_read(h, 0x10008, 8, &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(mmu_dpi_ctl(h, MMU_CTL_WRITE_CR3, 0x1000, 0, 0, 0, &gp), 0);
	assert_int_equal(gp, 0);
	assert_int_equal(mmu_dpi_ctl(h, MMU_CTL_WRITE_CR4, 1 << 12, 0, 0, 0, &gp), 0);
	assert_int_equal(gp, 1);  /* LA57: #GP, a result, not an error */
	assert_int_equal(mmu_dpi_regs(h, &cr0, &cr2, &cr3, &cr4, &efer, &ac,
				      &pkru), 0);
	assert_int_equal(cr3, 0x1000);
	assert_int_equal(pkru, 0);
	assert_int_equal(cr4, CR4_PAE);

	assert_int_equal(access(h, 0x8, MMU_STORE, 2, 1, 0x5678, &o), 0);
	assert_int_equal(o.status, MMU_ST_OK);
	assert_int_equal(o.pa, 0x10008);
	assert_true(o.walked);
	assert_int_equal(o.walk_reads, 4);
	assert_int_equal(o.page_level, 1);
	assert_int_equal(o.n_ad, 4);  /* A at every level, D in the leaf */
	assert_int_equal(mmu_dpi_ad(h, 3, &pa, &v), 0);
	assert_int_equal(pa, 0x4000);
	assert_int_equal(v, 0x10000 | PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D);
	assert_int_equal(mmu_dpi_ad(h, 4, &pa, &v), MMU_EINVAL);

	assert_int_equal(access(h, 0x8, MMU_LOAD, 8, 1, 0, &o), 0);
	assert_int_equal(o.rdata, 0x5678);
	assert_true(o.tlb_hit);
	assert_true(o.l1_hit);

	assert_int_equal(access(h, 0x1000, MMU_LOAD, 8, 1, 0, &o), 0);
	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	assert_int_equal(o.error_code, PFEC_US);
	assert_int_equal(o.cr2, 0x1000);
	/* The top bit survives the longint. */
	assert_int_equal(access(h, (long long)0x8000000000000000ull, MMU_LOAD,
				8, 0, 0, &o), 0);
	assert_int_equal(o.status, MMU_ST_GP_FAULT);
	assert_int_equal(mmu_dpi_counter(h, "page_faults", &v), 0);
	assert_int_equal(v, 1);
	mmu_dpi_destroy(h);
	printf("access: outcome fields, A/D updates, #PF with CR2, #GP, CR4 #GP, counters\n");
}

static void test_errors(void **state)
{
	void *h = mmu_dpi_create("csapp", "", 0);
	unsigned char gp, ac;
	long long v;
	int pkru;
	struct out o;

	(void)state;
	assert_non_null(h);
	assert_int_equal(mmu_dpi_phys_write(h, 0, 1, 3), MMU_EINVAL);
	assert_non_null(strstr(mmu_dpi_error(h), "size 3"));
	assert_int_equal(mmu_dpi_phys_read(h, 0, 16, &v), MMU_EINVAL);
	assert_int_equal(mmu_dpi_phys_write(h, 1ll << 40, 1, 8), MMU_ERANGE);
	assert_int_equal(mmu_dpi_ctl(h, MMU_CTL_NOPS, 0, 0, 0, 0, &gp), MMU_EINVAL);
	assert_int_equal(mmu_dpi_ctl(h, -1, 0, 0, 0, 0, &gp), MMU_EINVAL);
	assert_int_equal(mmu_dpi_ctl(h, MMU_CTL_INVLPG, 5, 0, 0, 0, &gp), MMU_EINVAL);
	assert_int_equal(access(h, 0, 7, 1, 0, 0, &o), MMU_EINVAL);
	assert_int_equal(access(h, 1, MMU_LOAD, 2, 0, 0, &o), MMU_EINVAL);
	mmu_dpi_destroy(h);
	/* A create that failed, unchecked: errors, never a crash. */
	assert_int_equal(access(NULL, 0, MMU_LOAD, 1, 0, 0, &o), MMU_EINVAL);
	assert_int_equal(mmu_dpi_ctl(NULL, 0, 0, 0, 0, 0, &gp), MMU_EINVAL);
	assert_int_equal(mmu_dpi_regs(NULL, &v, &v, &v, &v, &v, &ac, &pkru),
			 MMU_EINVAL);
	assert_int_equal(mmu_dpi_phys_write(NULL, 0, 0, 8), MMU_EINVAL);
	assert_int_equal(mmu_dpi_counter(NULL, "walks", &v), MMU_EINVAL);
	assert_non_null(strstr(mmu_dpi_error(NULL), "null handle"));
	printf("errors: sizes, ops, fields, ranges and null handles refused with messages\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
