/* SPDX-License-Identifier: MIT */
/*
 * CS:APP (Bryant & O'Hallaron, 3rd ed.) section 9.6.4, "Putting It Together:
 * End-to-End Address Translation", on the `csapp` configuration: 14-bit VA,
 * 12-bit PA, 64-byte pages, one-level table, 4x4 TLB, 16-set direct-mapped
 * L1 with 4-byte blocks.
 *
 *  - the address splits of the worked example (0x03d4), practice problem
 *    9.4 (0x03d7) and homework problems 9.11-9.13 (0x027c, 0x03a9, 0x0040);
 *  - Figure 9.20 rebuilt in the golden model, down to the tags of the
 *    invalid TLB entries and cache lines, checked by introspection;
 *  - every textbook access replayed as a one-byte user load on that state,
 *    with the book's TLB hit/miss, page fault, PPN/PA, cache hit/miss and
 *    byte; plus the three other addresses of a classroom exercise on the
 *    same figure (Harvey Mudd CS 105: 0x0175, 0x0ADD, 0x02EA);
 *  - where the walker's PTE reads through the direct-mapped L1 change a
 *    later outcome (the book treats each problem as starting from the
 *    figure), the model's behaviour is asserted and explained;
 *  - the address-field widths of all three configurations.
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
static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

/* ---- Figure 9.20 ------------------------------------------------------- */

/* (a) TLB: four sets, four ways, in the book's order. */
static const struct { uint8_t tag, ppn, valid; } book_tlb[4][4] = {
	{ { 0x03, 0x00, 0 }, { 0x09, 0x0D, 1 }, { 0x00, 0x00, 0 }, { 0x07, 0x02, 1 } },
	{ { 0x03, 0x2D, 1 }, { 0x02, 0x00, 0 }, { 0x04, 0x00, 0 }, { 0x0A, 0x00, 0 } },
	{ { 0x02, 0x00, 0 }, { 0x08, 0x00, 0 }, { 0x06, 0x00, 0 }, { 0x03, 0x00, 0 } },
	{ { 0x07, 0x00, 0 }, { 0x03, 0x0D, 1 }, { 0x0A, 0x34, 1 }, { 0x02, 0x00, 0 } },
};

/* (b) The first 16 page-table entries (VPN -> PPN, valid). */
static const struct { uint8_t ppn, valid; } book_pt[16] = {
	{ 0x28, 1 }, { 0x00, 0 }, { 0x33, 1 }, { 0x02, 1 },
	{ 0x00, 0 }, { 0x16, 1 }, { 0x00, 0 }, { 0x00, 0 },
	{ 0x13, 1 }, { 0x17, 1 }, { 0x09, 1 }, { 0x00, 0 },
	{ 0x00, 0 }, { 0x2D, 1 }, { 0x11, 1 }, { 0x0D, 1 },
};

/* (c) The cache: index -> tag, valid, bytes 0-3. */
static const struct { uint8_t tag, valid, b[4]; } book_l1[16] = {
	{ 0x19, 1, { 0x99, 0x11, 0x23, 0x11 } },
	{ 0x15, 0, { 0 } },
	{ 0x1B, 1, { 0x00, 0x02, 0x04, 0x08 } },
	{ 0x36, 0, { 0 } },
	{ 0x32, 1, { 0x43, 0x6D, 0x8F, 0x09 } },
	{ 0x0D, 1, { 0x36, 0x72, 0xF0, 0x1D } },
	{ 0x31, 0, { 0 } },
	{ 0x16, 1, { 0x11, 0xC2, 0xDF, 0x03 } },
	{ 0x24, 1, { 0x3A, 0x00, 0x51, 0x89 } },
	{ 0x2D, 0, { 0 } },
	{ 0x2D, 1, { 0x93, 0x15, 0xDA, 0x3B } },
	{ 0x0B, 0, { 0 } },
	{ 0x12, 0, { 0 } },
	{ 0x16, 1, { 0x04, 0x96, 0x34, 0x15 } },
	{ 0x13, 1, { 0x83, 0x77, 0x1B, 0xD3 } },
	{ 0x14, 0, { 0 } },
};

/*
 * Where the page table lives.  It is 256 four-byte entries, 16 frames; in a
 * 64-frame memory no 16-frame window misses every frame the figure names
 * (table targets, TLB PPNs, cache-line tags), so the table goes to frames
 * 0x1C..0x2B (PA 0x700..0xAFF), which meets only two of them, both harmlessly:
 *  - frame 0x24 holds cache line 8 (PA 0x920): its bytes 3A 00 51 89 land in
 *    the slot of VPN 0x88, which nothing uses (and 0x3A has P=0);
 *  - frame 0x28 is VPN 0x00's page: nothing writes it; loads from it read
 *    the (zero) slots of VPNs 0xC0..0xCF.
 * The entries in use (VPNs 0x00..0x2B) are in table frames 0x1C..0x1E, which
 * the figure does not use.  Frame-aligned, the entry of VPN v sits in L1 set
 * (v & 0xF), with cache tag 0x1C + (v >> 4).
 */
#define TABLE_PPN 0x1Cu
#define TABLE_PA  ((uint64_t)TABLE_PPN << 6)
/* Frame for the short-lived mappings used to load the invalid TLB entries. */
#define SCRATCH_PA 0x000u

static uint64_t book_vpn(unsigned set, unsigned way)
{
	return (uint64_t)book_tlb[set][way].tag << 2 | set;
}

static uint64_t line_pa(unsigned idx)
{
	return (uint64_t)book_l1[idx].tag << 6 | (uint64_t)idx << 2;
}

static pte_t pte_at(struct machine *m, uint64_t vpn)
{
	uint8_t b[4];

	/* DRAM, bypassing (and so not disturbing) the L1. */
	assert_int_equal(machine_mem_peek(m, TABLE_PA + 4 * vpn, b, 4), 0);
	return (pte_t)b[0] | (pte_t)b[1] << 8 | (pte_t)b[2] << 16 |
	       (pte_t)b[3] << 24;
}

static uint8_t mem_byte(struct machine *m, uint64_t pa)
{
	uint8_t b;

	assert_int_equal(machine_mem_peek(m, pa, &b, 1), 0);
	return b;
}

static struct mmu_counters counters(struct machine *m)
{
	struct mmu_counters c;

	machine_counters(m, &c);
	return c;
}

/*
 * Build Figure 9.20 in a fresh csapp machine.
 *  1. The page table: the figure's 16 entries, plus entries for the three
 *     VPNs that valid TLB entries translate beyond them (0x24, 0x1C, 0x2B).
 *  2. The TLB, set by set, way by way: the model fills the lowest invalid
 *     way, so touching the 16 VPNs (tag << 2 | set) in order puts each in
 *     its book way; INVLPG then invalidates the ones the book shows invalid,
 *     which keeps their tags, as in the figure.  Invalid entries whose VPN
 *     has no valid PTE in the book are mapped to a scratch frame for the
 *     touch and unmapped again.
 *  3. The cache bytes go to memory at PA = CT << 6 | CI << 2.
 *  4. FLUSH_ALL (write everything back, drop all lines), then a physical
 *     read of each of the 16 lines of the figure in index order, and an
 *     INVAL_LINE of the ones the book shows invalid (tag kept).  This is
 *     last, after every walk and data load of steps 1-3, so nothing evicts
 *     the lines the examples need.
 */
static struct machine *build_figure_9_20(struct ptb *p)
{
	struct machine *m = new_machine("csapp", 0);

	ptb_init(p, m, TABLE_PA);
	CHECK_EQ(p->root, TABLE_PA);

	for (unsigned v = 0; v < 16; v++)
		if (book_pt[v].valid)
			ptb_map(p, (uint64_t)v << 6, (uint64_t)book_pt[v].ppn << 6,
				1, RW_US, 0);
	for (unsigned s = 0; s < 4; s++)
		for (unsigned w = 0; w < 4; w++) {
			uint64_t vpn = book_vpn(s, w);

			if (!book_tlb[s][w].valid)
				continue;
			if (vpn < 16)  /* the figure agrees with itself */
				CHECK_EQ(book_pt[vpn].ppn, book_tlb[s][w].ppn);
			else
				ptb_map(p, vpn << 6, (uint64_t)book_tlb[s][w].ppn << 6,
					1, RW_US, 0);
		}

	for (unsigned s = 0; s < 4; s++) {
		bool scratch[4] = { false };

		for (unsigned w = 0; w < 4; w++) {
			uint64_t vpn = book_vpn(s, w);
			struct golden_tlb_entry e;
			struct mmu_outcome o;

			if (!book_tlb[s][w].valid && !(vpn < 16 && book_pt[vpn].valid)) {
				scratch[w] = true;
				ptb_map(p, vpn << 6, SCRATCH_PA, 1, RW_US, 0);
			}
			o = acc(m, MMU_LOAD, vpn << 6, 1, true, 0);
			CHECK_EQ(o.status, MMU_ST_OK);
			CHECK_EQ(o.tlb_hit, false);
			assert_int_equal(golden_tlb_entry(m, s, w, &e), 0);
			CHECK_EQ(e.valid, true);
			CHECK_EQ(e.vpn, vpn);
		}
		for (unsigned w = 0; w < 4; w++) {
			uint64_t vpn = book_vpn(s, w);

			if (book_tlb[s][w].valid)
				continue;
			assert_int_equal(machine_invlpg(m, vpn << 6), 0);
			if (scratch[w])
				ptb_write(p, vpn << 6, 1, 0);
		}
	}

	for (unsigned i = 0; i < 16; i++)
		if (book_l1[i].valid)
			assert_int_equal(machine_phys_write(m, line_pa(i), book_l1[i].b, 4), 0);

	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	for (unsigned i = 0; i < 16; i++) {
		uint8_t b[4];

		assert_int_equal(machine_phys_read(m, line_pa(i), b, 4), 0);
		if (book_l1[i].valid)
			CHECK_EQ(memcmp(b, book_l1[i].b, 4), 0);
		else
			assert_int_equal(machine_cache_op(m, MMU_CTL_INVAL_LINE,
							  line_pa(i)), 0);
	}
	return m;
}

/* The machine's TLB, cache and page table are Figure 9.20, exactly. */
static void check_figure(struct machine *m)
{
	for (unsigned s = 0; s < 4; s++)
		for (unsigned w = 0; w < 4; w++) {
			struct golden_tlb_entry e;

			assert_int_equal(golden_tlb_entry(m, s, w, &e), 0);
			CHECK_EQ(e.valid, book_tlb[s][w].valid);
			CHECK_EQ(e.vpn >> 2, book_tlb[s][w].tag);   /* TLBT */
			CHECK_EQ(e.vpn & 3, s);                     /* TLBI */
			if (e.valid)
				CHECK_EQ(e.ppn, book_tlb[s][w].ppn);
		}
	for (unsigned i = 0; i < 16; i++) {
		struct golden_line l;

		assert_int_equal(golden_l1_line(m, i, 0, &l), 0);
		CHECK_EQ(l.valid, book_l1[i].valid);
		CHECK_EQ(l.tag, book_l1[i].tag);
		if (l.valid) {
			CHECK_EQ(l.dirty, false);
			CHECK_EQ(memcmp(l.data, book_l1[i].b, 4), 0);
		}
	}
	for (unsigned v = 0; v < 16; v++) {
		pte_t e = pte_at(m, v);

		CHECK_EQ(!!(e & PTE_P), book_pt[v].valid);
		if (book_pt[v].valid)
			CHECK_EQ(e >> PTE_FRAME_SHIFT, book_pt[v].ppn);
	}
	/* And the cache's bytes are what memory holds (clean lines). */
	for (unsigned i = 0; i < 16; i++)
		if (book_l1[i].valid)
			for (unsigned k = 0; k < 4; k++)
				CHECK_EQ(mem_byte(m, line_pa(i) + k), book_l1[i].b[k]);
}

/* ---- the textbook's accesses -------------------------------------------- */

#define NONE (-1)
struct book_access {
	const char *what;
	uint64_t va;
	uint64_t vpn, vpo, tlbi, tlbt;
	bool tlb_hit, fault;
	uint64_t ppn, pa, co, ci, ct;
	bool l1_hit;
	int byte;  /* NONE: the book gives none (cache miss) */
};

static const struct book_access book[] = {
	{ "9.6.4 example", 0x03d4, 0x0F, 0x14, 0x3, 0x03, true, false,
	  0x0D, 0x354, 0x0, 0x5, 0x0D, true, 0x36 },
	{ "practice 9.4", 0x03d7, 0x0F, 0x17, 0x3, 0x03, true, false,
	  0x0D, 0x357, 0x3, 0x5, 0x0D, true, 0x1D },
	{ "homework 9.11", 0x027c, 0x09, 0x3C, 0x1, 0x02, false, false,
	  0x17, 0x5FC, 0x0, 0xF, 0x17, false, NONE },
	{ "homework 9.12", 0x03a9, 0x0E, 0x29, 0x2, 0x03, false, false,
	  0x11, 0x469, 0x1, 0xA, 0x11, false, NONE },
	{ "homework 9.13", 0x0040, 0x01, 0x00, 0x1, 0x00, false, true,
	  0, 0, 0, 0, 0, false, NONE },
};

/* The same figure in Harvey Mudd's CS 105 paging exercise (published
 * solutions); 0x0175's walk is the one that shows the PTE/data conflict. */
static const struct book_access hmc[] = {
	{ "CS105 0x0175", 0x0175, 0x05, 0x35, 0x1, 0x01, false, false,
	  0x16, 0x5B5, 0x1, 0xD, 0x16, true, 0x96 },
	{ "CS105 0x0ADD", 0x0ADD, 0x2B, 0x1D, 0x3, 0x0A, true, false,
	  0x34, 0xD1D, 0x1, 0x7, 0x34, false, NONE },
	{ "CS105 0x02EA", 0x02EA, 0x0B, 0x2A, 0x3, 0x02, false, true,
	  0, 0, 0, 0, 0, false, NONE },
};

static void check_split(const struct mmu_config *cfg, const struct book_access *b)
{
	struct mmu_va_fields vf;
	struct mmu_pa_fields pf;

	mmu_split_va(cfg, b->va, &vf);
	CHECK_EQ(vf.vpn, b->vpn);
	CHECK_EQ(vf.vpo, b->vpo);
	CHECK_EQ(vf.tlbi, b->tlbi);
	CHECK_EQ(vf.tlbt, b->tlbt);
	CHECK_EQ(vf.vpn_index[0], b->vpn);  /* one level: the index is the VPN */
	if (b->fault)
		return;
	CHECK_EQ(b->pa, b->ppn << 6 | b->vpo);  /* PPO = VPO */
	mmu_split_pa(cfg, b->pa, &pf);
	CHECK_EQ(pf.ppn, b->ppn);
	CHECK_EQ(pf.ppo, b->vpo);
	CHECK_EQ(pf.co, b->co);
	CHECK_EQ(pf.ci, b->ci);
	CHECK_EQ(pf.ct, b->ct);
	/* 64-byte pages and a 64-byte cache: CT is the PPN. */
	CHECK_EQ(pf.ct, pf.ppn);
}

static void test_split_textbook(void **state)
{
	struct mmu_config cfg;
	char err[256];
	unsigned n = 0;

	(void)state;
	checks = 0;
	assert_int_equal(mmu_config_load("csapp", &cfg, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(book) / sizeof(book[0]); i++, n++)
		check_split(&cfg, &book[i]);
	for (size_t i = 0; i < sizeof(hmc) / sizeof(hmc[0]); i++, n++)
		check_split(&cfg, &hmc[i]);
	/* VPN = TLBT << 2 | TLBI for every TLB entry of the figure. */
	for (unsigned s = 0; s < 4; s++)
		for (unsigned w = 0; w < 4; w++) {
			struct mmu_va_fields vf;

			mmu_split_va(&cfg, book_vpn(s, w) << 6, &vf);
			CHECK_EQ(vf.tlbi, s);
			CHECK_EQ(vf.tlbt, book_tlb[s][w].tag);
		}
	printf("csapp: mmu_split_va/pa on %u textbook addresses (9.6.4, 9.4, "
	       "9.11-9.13, CS105) and the TLB tags of Fig. 9.20 (%u checks)\n",
	       n, checks);
}

static void test_figure_state(void **state)
{
	struct ptb p;
	struct machine *m;

	(void)state;
	checks = 0;
	m = build_figure_9_20(&p);
	check_figure(m);
	printf("csapp: Figure 9.20 rebuilt in the model: 16 TLB entries (ways "
	       "and stale tags included), 16 cache lines, 16 PTEs (%u checks)\n",
	       checks);
	machine_destroy(m);
}

/* One access from the book's starting state; returns the outcome. */
static struct mmu_outcome replay(struct machine *m, const struct book_access *b)
{
	struct mmu_counters c0 = counters(m), c1;
	struct mmu_outcome o = acc(m, MMU_LOAD, b->va, 1, true, 0);

	c1 = counters(m);
	CHECK_EQ(o.tlb_hit, b->tlb_hit);
	CHECK_EQ(o.walked, !b->tlb_hit);
	CHECK_EQ(o.walk_reads, b->tlb_hit ? 0 : 1);
	CHECK_EQ(c1.walks - c0.walks, b->tlb_hit ? 0 : 1);
	if (b->fault) {
		CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
		CHECK_EQ(o.error_code, PFEC_US);  /* not present, user read */
		CHECK_EQ(o.cr2, b->va);
		CHECK_EQ(c1.l1_hits + c1.l1_misses, c0.l1_hits + c0.l1_misses);
		return o;
	}
	CHECK_EQ(o.status, MMU_ST_OK);
	CHECK_EQ(o.pa, b->pa);
	CHECK_EQ(o.pa >> 6, b->ppn);
	CHECK_EQ(o.page_level, 1);
	CHECK_EQ(o.l1_hit, b->l1_hit);
	if (b->byte != NONE)
		CHECK_EQ(o.rdata, (uint64_t)b->byte);
	else  /* a miss: the book does not say; the byte is memory's */
		CHECK_EQ(o.rdata, mem_byte(m, b->pa));
	return o;
}

static void test_textbook_accesses(void **state)
{
	struct ptb p;
	struct machine *m;
	struct golden_line l;
	struct golden_tlb_entry e;
	struct mmu_counters c0;
	unsigned n = 0;

	(void)state;
	checks = 0;
	m = build_figure_9_20(&p);

	/* The book answers each problem from Figure 9.20.  Replayed in this
	 * order on one machine, no access disturbs a later one's answer:
	 * 0x03d4/0x03d7 hit in the TLB (no walk); 9.11's walk reads VPN 9's
	 * PTE into set 9 and its data into set F, both invalid in the figure;
	 * 9.12 uses sets E (PTE) and A (data); 9.13 set 1. */
	replay(m, &book[0]);
	replay(m, &book[1]);
	n += 2;

	c0 = counters(m);
	replay(m, &book[2]);
	/* The PTE read missed (set 9 is invalid in the figure) and now holds
	 * the table's first frame. */
	CHECK_EQ(counters(m).walk_l1_misses - c0.walk_l1_misses, 1);
	assert_int_equal(golden_l1_line(m, 0x9, 0, &l), 0);
	CHECK_EQ(l.valid, true);
	CHECK_EQ(l.tag, TABLE_PPN);
	assert_int_equal(golden_l1_line(m, 0xF, 0, &l), 0);
	CHECK_EQ(l.tag, 0x17);
	/* The new translation went to the lowest invalid way of set 1: way 1,
	 * whose stale tag (02) it already was. */
	assert_int_equal(golden_tlb_entry(m, 1, 1, &e), 0);
	CHECK_EQ(e.valid, true);
	CHECK_EQ(e.vpn, 0x09);
	CHECK_EQ(e.ppn, 0x17);
	n++;

	c0 = counters(m);
	replay(m, &book[3]);
	/* Model, not book: VPN 0x0E's PTE lives in L1 set E, so the walk's
	 * read (through the direct-mapped L1, as in Fig. 9.14 with a cache)
	 * misses and evicts the figure's line E (tag 13); the book's answer
	 * for 9.12 is unaffected, but the figure's cache no longer holds. */
	CHECK_EQ(counters(m).walk_l1_misses - c0.walk_l1_misses, 1);
	assert_int_equal(golden_l1_line(m, 0xE, 0, &l), 0);
	CHECK_EQ(l.tag, TABLE_PPN);
	assert_int_equal(golden_l1_line(m, 0xA, 0, &l), 0);
	CHECK_EQ(l.tag, 0x11);  /* the data line replaced tag 2D */
	n++;

	replay(m, &book[4]);
	/* A faulting walk leaves no TLB entry behind. */
	for (unsigned w = 0; w < 4; w++) {
		assert_int_equal(golden_tlb_entry(m, 1, w, &e), 0);
		CHECK_EQ(e.valid && e.vpn == 0x01, false);
	}
	n++;

	/* The classroom exercise's addresses on the same machine. */
	replay(m, &hmc[1]);   /* 0x0ADD: TLB hit, data miss in set 7 */
	replay(m, &hmc[2]);   /* 0x02EA: TLB miss, PTE of VPN 0x0B not present */
	n += 2;
	printf("csapp: %u accesses (9.6.4, 9.4, 9.11-9.13, CS105 0x0ADD/0x02EA) "
	       "replayed as user loads on Fig. 9.20: TLB hit/miss, #PF, PPN/PA, "
	       "L1 hit/miss, byte (%u checks)\n", n, checks);
	machine_destroy(m);
}

/*
 * Where the model legitimately differs from reading the figure: a walk's
 * PTE read goes through the same direct-mapped L1 as data.  0x0175 (VPN 5,
 * a TLB miss) reads its PTE at PA 0x714, L1 set 5 -- the set of the line the
 * 9.6.4 example hits in (tag 0D).  The book's answer for 0x0175 itself holds
 * (its data, PA 0x5B5, hits in set D), but afterwards the example's access
 * 0x03d4 misses in the L1 where the book, starting from the figure, hits.
 */
static void test_pte_read_conflict(void **state)
{
	struct ptb p;
	struct machine *m;
	struct golden_line l;
	struct mmu_outcome o;
	struct mmu_counters c0;

	(void)state;
	checks = 0;
	m = build_figure_9_20(&p);
	CHECK_EQ(TABLE_PA + 4 * 0x05, 0x714);

	c0 = counters(m);
	replay(m, &hmc[0]);
	CHECK_EQ(counters(m).walk_l1_misses - c0.walk_l1_misses, 1);
	assert_int_equal(golden_l1_line(m, 0x5, 0, &l), 0);
	CHECK_EQ(l.tag, TABLE_PPN);  /* the PTE's line evicted tag 0D */

	o = acc(m, MMU_LOAD, 0x03d4, 1, true, 0);
	CHECK_EQ(o.tlb_hit, true);        /* as in the book */
	CHECK_EQ(o.pa, 0x354);            /* as in the book */
	CHECK_EQ(o.l1_hit, false);        /* the book says hit: see above */
	CHECK_EQ(o.rdata, 0x36);          /* refilled from memory: same byte */
	assert_int_equal(golden_l1_line(m, 0x5, 0, &l), 0);
	CHECK_EQ(l.tag, 0x0D);
	/* And now it is back, 0x03d7 hits as the book says. */
	o = acc(m, MMU_LOAD, 0x03d7, 1, true, 0);
	CHECK_EQ(o.l1_hit, true);
	CHECK_EQ(o.rdata, 0x1D);
	/* A second access to VPN 5 hits in the TLB: no walk, the line stays. */
	o = acc(m, MMU_LOAD, 0x0175, 1, true, 0);
	CHECK_EQ(o.tlb_hit, true);
	CHECK_EQ(o.walked, false);
	CHECK_EQ(o.rdata, 0x96);
	CHECK_EQ(acc(m, MMU_LOAD, 0x03d4, 1, true, 0).l1_hit, true);
	printf("csapp: a walk's PTE read (VPN 5 -> set 5) evicts the line 0x03d4 "
	       "hits in; the next 0x03d4 misses, unlike the book (%u checks)\n",
	       checks);
	machine_destroy(m);
}

/* canonical = zero: any VA bit above bit 13 is #GP, no walk, no CR2. */
static void test_canonical(void **state)
{
	struct ptb p;
	struct machine *m;
	struct mmu_regs r;
	struct mmu_outcome o;
	unsigned n = 0;

	(void)state;
	checks = 0;
	m = build_figure_9_20(&p);
	for (unsigned bit = 14; bit < 64; bit++, n++) {
		o = acc(m, MMU_LOAD, 0x03d4 | 1ull << bit, 1, true, 0);
		CHECK_EQ(o.status, MMU_ST_GP_FAULT);
		CHECK_EQ(o.walked, false);
		CHECK_EQ(o.tlb_hit, false);
	}
	machine_regs(m, &r);
	CHECK_EQ(r.cr2, 0);
	/* The highest canonical address: VPN 0xFF, not present: #PF. */
	o = acc(m, MMU_LOAD, 0x3fff, 1, true, 0);
	CHECK_EQ(o.status, MMU_ST_PAGE_FAULT);
	CHECK_EQ(o.cr2, 0x3fff);
	/* 0x03d4 itself is still fine. */
	o = acc(m, MMU_LOAD, 0x03d4, 1, true, 0);
	CHECK_EQ(o.status, MMU_ST_OK);
	CHECK_EQ(o.rdata, 0x36);
	printf("csapp: %u non-canonical addresses (bits 14..63) raise #GP "
	       "without a walk; 0x3fff walks (%u checks)\n", n, checks);
	machine_destroy(m);
}

/* ---- field widths ------------------------------------------------------- */

struct widths {
	const char *name;
	unsigned va_bits, pa_bits, vpn, vpo, tlbi, tlbt, co, ci, ct, ppn, index;
	uint64_t rsvd;
};

static void test_field_widths(void **state)
{
	/* fpga (configs/fpga.cfg): VA 48, 4 KiB pages -> VPN 36, 4 levels of 9;
	 * 8 TLB sets -> TLBI 3, TLBT 33; 64 sets of 16-byte lines -> CI 6,
	 * CO 4; PA 32 -> CT 22, PPN 20; frame bits 32..51 reserved. */
	static const struct widths w[] = {
		{ "x86", 48, 46, 36, 12, 4, 32, 6, 6, 34, 34, 9, 0x000fc00000000000ull },
		{ "csapp", 14, 12, 8, 6, 2, 6, 2, 4, 6, 6, 8, 0x00000000fffc0000ull },
		{ "fpga", 48, 32, 36, 12, 3, 33, 4, 6, 22, 20, 9, 0x000fffff00000000ull },
	};
	unsigned n = 0;

	(void)state;
	checks = 0;
	srand(9604);
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++, n++) {
		struct mmu_config cfg;
		char err[256];

		assert_int_equal(mmu_config_load(w[i].name, &cfg, err, sizeof(err)), 0);
		CHECK_EQ(cfg.va_bits, w[i].va_bits);
		CHECK_EQ(cfg.pa_bits, w[i].pa_bits);
		CHECK_EQ(cfg.vpn_bits, w[i].vpn);
		CHECK_EQ(cfg.page_shift, w[i].vpo);
		CHECK_EQ(cfg.tlb_index_bits, w[i].tlbi);
		CHECK_EQ(cfg.tlb_tag_bits, w[i].tlbt);
		CHECK_EQ(cfg.l1_offset_bits, w[i].co);
		CHECK_EQ(cfg.l1_index_bits, w[i].ci);
		CHECK_EQ(cfg.l1_tag_bits, w[i].ct);
		CHECK_EQ(cfg.ppn_bits, w[i].ppn);
		CHECK_EQ(cfg.index_bits, w[i].index);
		CHECK_EQ(cfg.pte_rsvd_mask, w[i].rsvd);
		/* The fields tile the addresses. */
		CHECK_EQ(cfg.vpn_bits + cfg.page_shift, cfg.va_bits);
		CHECK_EQ(cfg.tlb_tag_bits + cfg.tlb_index_bits, cfg.vpn_bits);
		CHECK_EQ(cfg.index_bits * cfg.levels, cfg.vpn_bits);
		CHECK_EQ(cfg.l1_tag_bits + cfg.l1_index_bits + cfg.l1_offset_bits,
			 cfg.pa_bits);
		CHECK_EQ(cfg.ppn_bits + cfg.page_shift, cfg.pa_bits);
		/* VIPT: CI and CO inside the page offset. */
		CHECK_EQ(cfg.l1_index_bits + cfg.l1_offset_bits <= cfg.page_shift, 1);

		/* Random addresses split and put back together. */
		for (unsigned k = 0; k < 1000; k++) {
			uint64_t r = (uint64_t)rand() << 40 ^ (uint64_t)rand() << 20 ^
				     (uint64_t)rand();
			uint64_t va = r & ((1ull << cfg.va_bits) - 1);
			uint64_t pa = r & ((1ull << cfg.pa_bits) - 1);
			struct mmu_va_fields vf;
			struct mmu_pa_fields pf;
			uint64_t vpn = 0;

			mmu_split_va(&cfg, va, &vf);
			CHECK_EQ(vf.vpn << cfg.page_shift | vf.vpo, va);
			CHECK_EQ(vf.tlbt << cfg.tlb_index_bits | vf.tlbi, vf.vpn);
			CHECK_EQ(vf.tlbt >> cfg.tlb_tag_bits, 0);
			for (unsigned l = (unsigned)cfg.levels; l-- > 0;) {
				CHECK_EQ(vf.vpn_index[l] >> cfg.index_bits, 0);
				vpn = vpn << cfg.index_bits | vf.vpn_index[l];
			}
			CHECK_EQ(vpn, vf.vpn);
			mmu_split_pa(&cfg, pa, &pf);
			CHECK_EQ(pf.ppn << cfg.page_shift | pf.ppo, pa);
			CHECK_EQ((pf.ct << cfg.l1_index_bits | pf.ci) << cfg.l1_offset_bits |
				 pf.co, pa);
			CHECK_EQ(pf.ct >> cfg.l1_tag_bits, 0);
			CHECK_EQ(pf.ci >> cfg.l1_index_bits, 0);
			CHECK_EQ(pf.co >> cfg.l1_offset_bits, 0);
		}
	}
	/* x86: a canonical upper-half address splits on its low 48 bits. */
	{
		struct mmu_config cfg;
		struct mmu_va_fields vf;
		char err[256];

		assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
		mmu_split_va(&cfg, 0xffff800000001234ull, &vf);
		CHECK_EQ(vf.vpn, 0x800000001ull);
		CHECK_EQ(vf.vpo, 0x234);
		CHECK_EQ(vf.vpn_index[3], 0x100);  /* PML4 index 256 */
		CHECK_EQ(vf.vpn_index[0], 1);
		CHECK_EQ(vf.tlbi, 1);
		CHECK_EQ(vf.tlbt, 0x80000000ull);
	}
	printf("csapp: VA/PA field widths of %u configurations (x86, csapp, fpga) "
	       "and split/recombine of 1000 random addresses each (%u checks)\n",
	       n, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_textbook),
		cmocka_unit_test(test_figure_state),
		cmocka_unit_test(test_textbook_accesses),
		cmocka_unit_test(test_pte_read_conflict),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_field_widths),
	};

	return cmocka_run_group_tests_name("csapp", tests, NULL, NULL);
}
