/* SPDX-License-Identifier: MIT */
/*
 * TLB semantics: tree-PLRU replacement order, PCID tagging, MOV to CR3 with
 * and without no-flush, global pages with CR4.PGE, INVLPG, INVPCID types
 * 0-3, the control writes that must raise #GP, and protection keys cached
 * with each entry (WRPKRU and CR4.PKE need no flush).
 */
#include "ptb.h"
#include "../../sw/golden/plru.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#define RW_US (PTE_RW | PTE_US)
static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static bool hit(struct machine *m, uint64_t va)
{
	struct mmu_outcome o = acc(m, MMU_LOAD, va, 8, false, 0);

	assert_int_equal(o.status, MMU_ST_OK);
	return o.tlb_hit;
}

static void test_plru_tree(void **state)
{
	uint32_t b = 0;

	(void)state;
	/* 4 ways, hand-computed: after touching 0,1,2,3 the victim is 0;
	 * touching 0 then sends the search right, to 2. */
	for (unsigned w = 0; w < 4; w++)
		b = plru_touch(b, 4, w);
	CHECK_EQ(plru_victim(b, 4), 0);
	b = plru_touch(b, 4, 0);
	CHECK_EQ(plru_victim(b, 4), 2);
	b = plru_touch(b, 4, 2);
	CHECK_EQ(plru_victim(b, 4), 1);
	/* 8 ways: after 0..7 then 0, the victim is 4. */
	b = 0;
	for (unsigned w = 0; w < 8; w++)
		b = plru_touch(b, 8, w);
	CHECK_EQ(plru_victim(b, 8), 0);
	b = plru_touch(b, 8, 0);
	CHECK_EQ(plru_victim(b, 8), 4);
	/* One way: always way 0, no state. */
	CHECK_EQ(plru_victim(plru_touch(0, 1, 0), 1), 0);
	/* The victim is never the way just touched. */
	for (unsigned ways = 2; ways <= 32; ways <<= 1)
		for (unsigned w = 0; w < ways; w++)
			CHECK_EQ(plru_victim(plru_touch(b, ways, w), ways) != w, 1);
	printf("tlb: tree-PLRU victim order for 1/4/8 ways (%u checks)\n", checks);
}

static void test_tlb_replacement(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	/* Pages 64 KiB apart share a set of the 16-set TLB. */
	const uint64_t base = 0x0000000010000000ull, stride = 16 * 4096;
	struct golden_tlb_entry e;

	(void)state;
	ptb_init(&p, m, 0x1000);
	for (unsigned i = 0; i < 5; i++)
		ptb_map(&p, base + i * stride, 0x400000 + i * 4096, 1, RW_US, RW_US);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(hit(m, base + i * stride), false);  /* ways 0..3 */
	CHECK_EQ(hit(m, base), true);                        /* touch way 0 */
	CHECK_EQ(hit(m, base + 4 * stride), false);          /* evicts way 2 */
	assert_int_equal(golden_tlb_entry(m, 0, 2, &e), 0);
	CHECK_EQ(e.vpn, (base + 4 * stride) >> 12);
	CHECK_EQ(hit(m, base + 1 * stride), true);
	CHECK_EQ(hit(m, base + 3 * stride), true);
	CHECK_EQ(hit(m, base + 0 * stride), true);
	CHECK_EQ(hit(m, base + 4 * stride), true);
	CHECK_EQ(hit(m, base + 2 * stride), false);
	printf("tlb: 4-way set replacement follows tree-PLRU (%u checks)\n", checks);
	machine_destroy(m);
}

static void test_pcid(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	const uint64_t va = 0x0000000020000000ull;
	uint64_t root;

	(void)state;
	ptb_init(&p, m, 0x1000);
	root = ptb_entry(m, p.root, 0);
	ptb_map(&p, va, 0x500000, 1, RW_US, RW_US);
	/* PCIDE can only be set while CR3's PCID is 0. */
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);
	CHECK_EQ(machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE), MMU_EGP);
	ctl(m, MMU_CTL_WRITE_CR3, root);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE);
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);
	CHECK_EQ(hit(m, va), false);
	CHECK_EQ(hit(m, va), true);
	ctl(m, MMU_CTL_WRITE_CR3, root | 2);            /* other PCID: miss */
	CHECK_EQ(hit(m, va), false);
	ctl(m, MMU_CTL_WRITE_CR3, root | 1 | CR3_NOFLUSH);
	CHECK_EQ(hit(m, va), true);                     /* PCID 1 kept */
	ctl(m, MMU_CTL_WRITE_CR3, root | 2 | CR3_NOFLUSH);
	CHECK_EQ(hit(m, va), true);                     /* PCID 2 kept */
	ctl(m, MMU_CTL_WRITE_CR3, root | 1);            /* flushes PCID 1 only */
	CHECK_EQ(hit(m, va), false);
	ctl(m, MMU_CTL_WRITE_CR3, root | 2 | CR3_NOFLUSH);
	CHECK_EQ(hit(m, va), true);
	/* INVPCID type 1 drops one PCID; type 0 one address of one PCID. */
	CHECK_EQ(machine_invpcid(m, 1, 2, 0), 0);
	CHECK_EQ(hit(m, va), false);
	CHECK_EQ(machine_invpcid(m, 0, 1, va), 0);      /* PCID 1: not current */
	CHECK_EQ(hit(m, va), true);
	CHECK_EQ(machine_invpcid(m, 0, 2, va), 0);
	CHECK_EQ(hit(m, va), false);
	CHECK_EQ(machine_invpcid(m, 3, 0, 0), 0);       /* all non-global */
	CHECK_EQ(hit(m, va), false);
	/* #GP: bad type, PCID out of range, non-canonical type-0 address,
	 * no-flush without PCIDE, unknown CR4 bit. */
	CHECK_EQ(machine_invpcid(m, 4, 0, 0), MMU_EGP);
	CHECK_EQ(machine_invpcid(m, 0, 4096, va), MMU_EGP);
	CHECK_EQ(machine_invpcid(m, 0, 1, 0x0000800000000000ull), MMU_EGP);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE);
	CHECK_EQ(machine_invpcid(m, 1, 5, 0), MMU_EGP);
	CHECK_EQ(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | CR3_NOFLUSH),
		 MMU_EGP);
	CHECK_EQ(machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE | (1ull << 4)), MMU_EGP);
	CHECK_EQ(machine_write_cr(m, MMU_CTL_WRITE_CR3, root | (1ull << 50)),
		 MMU_EGP);
	CHECK_EQ(machine_write_cr(m, MMU_CTL_WRITE_CR0, 0), MMU_EGP);
	printf("tlb: PCID tagging, CR3 no-flush, INVPCID types 0/1/3, #GP cases (%u checks)\n",
	       checks);
	machine_destroy(m);
}

static void test_global(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	const uint64_t g = 0x0000000030000000ull, ng = g + 0x1000;
	uint64_t root;

	(void)state;
	ptb_init(&p, m, 0x1000);
	root = ptb_entry(m, p.root, 0);
	ptb_map(&p, g, 0x600000, 1, RW_US | PTE_G, RW_US);
	ptb_map(&p, ng, 0x601000, 1, RW_US, RW_US);
	/* G is ignored without CR4.PGE. */
	CHECK_EQ(hit(m, g), false);
	ctl(m, MMU_CTL_WRITE_CR3, root);
	CHECK_EQ(hit(m, g), false);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE | CR4_PCIDE);
	CHECK_EQ(hit(m, g), false);
	CHECK_EQ(hit(m, ng), false);
	ctl(m, MMU_CTL_WRITE_CR3, root | 7);     /* new PCID, flush: global stays */
	CHECK_EQ(hit(m, g), true);
	CHECK_EQ(hit(m, ng), false);
	CHECK_EQ(machine_invpcid(m, 3, 0, 0), 0);  /* all but global */
	CHECK_EQ(hit(m, g), true);
	CHECK_EQ(machine_invpcid(m, 0, 7, g), 0);  /* type 0 spares global */
	CHECK_EQ(hit(m, g), true);
	CHECK_EQ(machine_invpcid(m, 1, 7, 0), 0);  /* type 1 spares global */
	CHECK_EQ(hit(m, g), true);
	CHECK_EQ(machine_invlpg(m, g), 0);         /* INVLPG drops global */
	CHECK_EQ(hit(m, g), false);
	CHECK_EQ(machine_invpcid(m, 2, 0, 0), 0);  /* type 2 drops global */
	CHECK_EQ(hit(m, g), false);
	CHECK_EQ(hit(m, g), true);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE); /* toggling PGE: flush all */
	CHECK_EQ(hit(m, g), false);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE | CR4_PCIDE);
	CHECK_EQ(hit(m, g), false);
	CHECK_EQ(hit(m, g), true);
	ctl(m, MMU_CTL_WRITE_CR3, root | 7);
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE);   /* PCIDE 1 -> 0 flushes all */
	CHECK_EQ(hit(m, g), false);
	printf("tlb: global entries across CR3 writes, INVLPG, INVPCID 0-3, "
	       "PGE and PCIDE toggles (%u checks)\n", checks);
	machine_destroy(m);
}

static void test_psc_invalidation(void **state)
{
	struct machine *m = new_machine("x86", 0);
	struct ptb p;
	const uint64_t va = 0x0000000040000000ull;
	struct mmu_outcome o;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, 0x700000, 1, RW_US, RW_US);
	ptb_map(&p, va + 0x1000, 0x701000, 1, RW_US, RW_US);
	o = acc(m, MMU_LOAD, va, 8, false, 0);
	CHECK_EQ(o.walk_reads, 4);
	o = acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	CHECK_EQ(o.psc_level, 2);                  /* PDE cache: one read */
	CHECK_EQ(o.walk_reads, 1);
	/* The OS points the PDE elsewhere; INVLPG of any address drops the
	 * paging-structure caches of the PCID, so the walk sees the change. */
	ptb_write(&p, va, 2, ptb_read(&p, va, 2) & ~PTE_P);
	CHECK_EQ(machine_invlpg(m, va + 0x1000), 0);
	o = acc(m, MMU_LOAD, va + 0x1000, 8, false, 0);
	CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
	CHECK_EQ(o.psc_level, 0);                  /* every PSC entry of the PCID went */
	CHECK_EQ(o.walk_reads, 3);                 /* PML4E, PDPTE, the cleared PDE */
	printf("tlb: paging-structure caches shorten walks and are dropped by INVLPG (%u checks)\n",
	       checks);
	machine_destroy(m);
}

/* The TLB entry holds the leaf's key (a 2 MiB leaf's here, while the
 * tables above carry another key in their ignored bits); PKRU and PKE are
 * applied at each hit, so WRPKRU takes effect without a flush. */
static void test_pkey_cached(void **state)
{
	struct machine *m = new_machine("x86", 0);
	const uint64_t va = 0x0000000040000000ull;
	struct golden_tlb_entry te;
	struct mmu_outcome o;
	struct ptb p;
	bool found = false;

	(void)state;
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, va, 0x200000, 2, pte_with_pkey(RW_US, 9),
		pte_with_pkey(RW_US, 3));
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE);
	o = acc(m, MMU_STORE, va + 0x3008, 8, true, 42);
	CHECK_EQ(o.status, MMU_ST_OK);
	for (unsigned s = 0; s < m->cfg.tlb_sets; s++)
		for (unsigned w = 0; w < m->cfg.tlb_ways; w++)
			if (!golden_tlb_entry(m, s, w, &te) && te.valid) {
				CHECK_EQ(te.pkey, 9);
				found = true;
			}
	CHECK_EQ(found, true);
	/* AD for key 3 (the tables' bits) changes nothing. */
	CHECK_EQ(machine_wrpkru(m, PKRU_AD(3)), 0);
	CHECK_EQ(acc(m, MMU_LOAD, va + 0x3008, 8, true, 0).status, MMU_ST_OK);
	CHECK_EQ(machine_wrpkru(m, PKRU_WD(9)), 0);
	o = acc(m, MMU_LOAD, va + 0x3008, 8, true, 0);
	CHECK_EQ(o.tlb_hit && o.status == MMU_ST_OK && o.rdata == 42, true);
	o = acc(m, MMU_STORE, va + 0x3008, 8, true, 7);
	CHECK_EQ(o.tlb_hit, true);
	CHECK_EQ(o.error_code, PFEC_P | PFEC_WR | PFEC_US | PFEC_PK);
	/* The fault dropped the entry (SDM 4.10.4.1); supervisor writes with
	 * WP = 0 ignore WD. */
	ctl(m, MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG);
	o = acc(m, MMU_STORE, va + 0x3008, 8, false, 7);
	CHECK_EQ(o.tlb_hit == false && o.status == MMU_ST_OK, true);
	CHECK_EQ(machine_wrpkru(m, PKRU_AD(9)), 0);
	o = acc(m, MMU_LOAD, va + 0x3008, 8, false, 0);
	CHECK_EQ(o.error_code, PFEC_P | PFEC_PK);
	/* PKE off: the cached key is ignored, no flush needed. */
	ctl(m, MMU_CTL_WRITE_CR4, CR4_PAE);
	o = acc(m, MMU_LOAD, va + 0x3008, 8, true, 0);
	CHECK_EQ(o.status == MMU_ST_OK && o.rdata == 7, true);
	printf("tlb: protection keys cached per entry, PKRU and PKE applied at "
	       "each hit (%u checks)\n", checks);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plru_tree),
		cmocka_unit_test(test_tlb_replacement),
		cmocka_unit_test(test_pcid),
		cmocka_unit_test(test_global),
		cmocka_unit_test(test_psc_invalidation),
		cmocka_unit_test(test_pkey_cached),
	};

	return cmocka_run_group_tests_name("tlb", tests, NULL, NULL);
}
