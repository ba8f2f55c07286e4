/* SPDX-License-Identifier: MIT */
/* Constructed accesses for the replacement and AXI bins: see fills.h. */
#include "fills.h"
#include "../../sw/machine/pagetable.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define ROOT 0x10000ull
/* six pages in TLB set 0 (VPN = 0x400 + 16k: 16 sets) */
#define VA_T(k) (0x400000ull + (uint64_t)(k) * 16 * 0x1000)
#define FRAME_T(k) (0x100000ull + (uint64_t)(k) * 0x1000)
/* five pages in five 2 MiB regions of the second GiB (TLB set 1) */
#define VA_P(j) (0x40000000ull + (uint64_t)(j) * 0x200000 + 0x1000)
#define FRAME_P(j) (0x180000ull + (uint64_t)(j) * 0x1000)
/* seven pages in seven 512 GiB regions (PML4 entries 1..7): fills of
 * every PSC slot at levels 4 and 3 (TLB set 2) */
#define VA_G(k) (((uint64_t)(k) + 1) << 39 | 0x2000)
#define FRAME_G(k) (0x1c0000ull + (uint64_t)(k) * 0x1000)
/* a 2 MiB page: sixteen more lines for L1 set 63 */
#define VA_BIG 0x80000000ull
#define FRAME_BIG 0x400000ull
/* frames the physical path dirties in L1 set 0 (the tables' set) */
#define FRAME_D(k) (0x200000ull + (uint64_t)(k) * 0x1000)
#define OFF_TLB 0x7c0u   /* L1 set 31 */
#define OFF_L1 0xfc0u    /* L1 set 63: no table line lives there */
#define L1_WAYS 8

static uint64_t next_table;

static uint64_t alloc_table(void *ctx)
{
	uint64_t pa = next_table;

	(void)ctx;
	next_table += 0x1000;
	return pa;
}

struct machine *fills_open(const char *backend, struct cover_set *s,
			   unsigned bp_pct)
{
	struct backend_opts bo = { .cover = s, .backpressure_pct = bp_pct,
				   .seed = 7 };
	struct mmu_config c;
	struct machine *m;
	char err[256];

	assert_int_equal(mmu_config_load("x86", &c, err, sizeof(err)), 0);
	if (machine_open(backend, &c, 0, &bo, &m, err, sizeof(err)))
		fail_msg("machine_open(%s): %s", backend, err);
	next_table = ROOT + 0x1000;
	assert_int_equal(pt_zero_table(m, ROOT), 0);
	for (unsigned k = 0; k < 6; k++)
		assert_int_equal(pt_map(m, ROOT, VA_T(k), FRAME_T(k), 1,
					PTE_P | PTE_RW, PTE_P | PTE_RW,
					alloc_table, NULL), 0);
	for (unsigned j = 0; j < 5; j++)
		assert_int_equal(pt_map(m, ROOT, VA_P(j), FRAME_P(j), 1,
					PTE_P | PTE_RW, PTE_P | PTE_RW,
					alloc_table, NULL), 0);
	for (unsigned k = 0; k < 7; k++)
		assert_int_equal(pt_map(m, ROOT, VA_G(k), FRAME_G(k), 1,
					PTE_P | PTE_RW, PTE_P | PTE_RW,
					alloc_table, NULL), 0);
	assert_int_equal(pt_map(m, ROOT, VA_BIG, FRAME_BIG, 2, PTE_P | PTE_RW,
				PTE_P | PTE_RW, alloc_table, NULL), 0);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, ROOT), 0);
	/* the tables were written through the L1: an empty one to start */
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	return m;
}

static void acc(struct machine *m, enum mmu_op op, uint64_t va)
{
	struct mmu_req r = { .va = va, .op = op, .size = 8, .wdata = va };
	struct mmu_outcome o;

	assert_int_equal(machine_access(m, &r, &o), 0);
	assert_int_equal(o.status, MMU_ST_OK);
}

/* Empty the L1 (written back) and the TLB and PSCs, then fill L1 set 0
 * through the physical path: dirty lines, or clean ones. */
static void crowd_set0(struct machine *m, bool dirty)
{
	uint8_t line[64] = { 1 };

	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0), 0);
	assert_int_equal(machine_invpcid(m, 2, 0, 0), 0);
	for (unsigned k = 0; k < L1_WAYS; k++)
		assert_int_equal(dirty ? machine_phys_write(m, FRAME_D(k), line,
							    sizeof(line))
				       : machine_phys_read(m, FRAME_D(k), line,
							   sizeof(line)), 0);
}

void fills_run(struct machine *m)
{
	static const unsigned clean_ways[] = { 5, 4, 3, 1 };  /* ways 2 0 3 1 */

	/* TLB set 0: ways 0..3 free, then the PLRU victims 0 and 2; a store
	 * through each clean entry re-walks and overwrites it.  The first
	 * walks fill the PSCs' free slots at every level. */
	for (unsigned k = 0; k < 6; k++)
		acc(m, MMU_LOAD, VA_T(k) + OFF_TLB);
	for (unsigned i = 0; i < 4; i++)
		acc(m, MMU_STORE, VA_T(clean_ways[i]) + OFF_TLB);
	/* PSC level 2: slots 1..3 free, then round robin over valid ones;
	 * levels 4 and 3: the rest free, then round robin over all four */
	for (unsigned j = 0; j < 5; j++)
		acc(m, MMU_LOAD, VA_P(j) + OFF_TLB);
	for (unsigned k = 0; k < 7; k++)
		acc(m, MMU_LOAD, VA_G(k));
	/* L1 set 63: eleven stores, ways 0..7 free, then dirty victims; eight
	 * more (PLRU visits every way), written back, eight loads: clean
	 * victims in every way */
	for (unsigned k = 0; k < 6; k++)
		acc(m, MMU_STORE, VA_T(k) + OFF_L1);
	for (unsigned j = 0; j < 5; j++)
		acc(m, MMU_STORE, VA_P(j) + OFF_L1);
	for (unsigned k = 0; k < 8; k++)
		acc(m, MMU_STORE, VA_BIG + k * 0x1000ull + OFF_L1);
	assert_int_equal(machine_cache_op(m, MMU_CTL_CLEAN_ALL, 0), 0);
	for (unsigned k = 8; k < 16; k++)
		acc(m, MMU_LOAD, VA_BIG + k * 0x1000ull + OFF_L1);
	/* walks whose entry reads (page 0's are all in L1 set 0) evict dirty
	 * lines, then clean ones, at every level; the flushes write back
	 * (maintenance) */
	crowd_set0(m, true);
	acc(m, MMU_LOAD, VA_T(0) + OFF_TLB);
	crowd_set0(m, false);
	acc(m, MMU_LOAD, VA_T(0) + OFF_TLB);
	assert_int_equal(machine_cache_op(m, MMU_CTL_CLEAN_ALL, 0), 0);
}

static void expect(struct cover_set *s, const char *bin, bool defined)
{
	int64_t n = cover_count(s, bin);

	if (defined && n <= 0) {
		if (getenv("FILLS_DUMP"))
			cover_write(s, stdout);
		fail_msg("bin %s: %s", bin, n ? "not defined" : "not hit");
	}
	if (!defined && n != -1)
		fail_msg("bin %s is defined on a machine that does not "
			 "record it", bin);
}

/* Every defined bin of the replacement and AXI groups must be hit. */
struct unhit {
	unsigned n, defined;
	char first[160];
};

static void count_unhit(void *ctx, const char *bin, uint64_t count)
{
	static const char *const groups[] = { "tlb_fill:", "psc_fill:",
		"l1_fill:", "walk_fill:", "axi:", "axi_stall:" };
	struct unhit *u = ctx;

	for (size_t i = 0; i < sizeof(groups) / sizeof(*groups); i++)
		if (!strncmp(bin, groups[i], strlen(groups[i]))) {
			u->defined++;
			if (!count && !u->n++)
				snprintf(u->first, sizeof(u->first), "%s", bin);
			if (!count && getenv("FILLS_DUMP"))
				printf("unhit %s\n", bin);
		}
}

void fills_check(struct cover_set *s, unsigned caps, const char *name)
{
	struct unhit u = { 0 };

	static const char *const repl[] = {
		"tlb_fill:way=0,victim=free", "tlb_fill:way=3,victim=free",
		"tlb_fill:way=0,victim=valid", "tlb_fill:way=2,victim=valid",
		"tlb_fill:way=2,victim=match",
		"psc_fill:level=4,slot=0,victim=free",
		"psc_fill:level=3,slot=1,victim=free",
		"psc_fill:level=2,slot=3,victim=free",
		"psc_fill:level=2,slot=0,victim=valid",
		"psc_fill:level=2,slot=1,victim=valid",
		"l1_fill:way=7,victim=free", "l1_fill:way=0,victim=dirty",
		"l1_fill:way=0,victim=clean",
		"walk_fill:level=4,victim=free", "walk_fill:level=1,victim=free",
		"walk_fill:level=4,victim=dirty", "walk_fill:level=3,victim=dirty",
		"walk_fill:level=2,victim=dirty", "walk_fill:level=1,victim=dirty",
		"walk_fill:level=4,victim=clean", "walk_fill:level=1,victim=clean",
	};
	static const char *const axi[] = {
		"axi:xfer=fill,during=data", "axi:xfer=fill,during=walk",
		"axi:xfer=wb,during=data", "axi:xfer=wb,during=walk",
		"axi:xfer=wb,during=maint",
	};
	static const char *const stall[] = {
		"axi_stall:xfer=fill,during=data,stall=addr",
		"axi_stall:xfer=fill,during=data,stall=data",
		"axi_stall:xfer=fill,during=walk,stall=addr",
		"axi_stall:xfer=fill,during=walk,stall=data",
		"axi_stall:xfer=wb,during=data,stall=addr",
		"axi_stall:xfer=wb,during=data,stall=data",
		"axi_stall:xfer=wb,during=data,stall=resp",
		"axi_stall:xfer=wb,during=walk,stall=addr",
		"axi_stall:xfer=wb,during=walk,stall=data",
		"axi_stall:xfer=wb,during=walk,stall=resp",
		"axi_stall:xfer=wb,during=maint,stall=addr",
		"axi_stall:xfer=wb,during=maint,stall=data",
		"axi_stall:xfer=wb,during=maint,stall=resp",
	};
	bool r = caps & MMU_EV_REPLACEMENT, a = caps & MMU_EV_AXI;
	bool st = caps & MMU_EV_AXI_STALLS;

	for (size_t i = 0; i < sizeof(repl) / sizeof(*repl); i++)
		expect(s, repl[i], r);
	for (size_t i = 0; i < sizeof(axi) / sizeof(*axi); i++)
		expect(s, axi[i], a);
	for (size_t i = 0; i < sizeof(stall) / sizeof(*stall); i++)
		expect(s, stall[i], st);
	/* never defined: a PSC fill over its own tag, a read in maintenance,
	 * a read's B response, a way the configuration does not have */
	expect(s, "axi:xfer=fill,during=maint", false);
	expect(s, "axi_stall:xfer=fill,during=data,stall=resp", false);
	expect(s, "tlb_fill:way=4,victim=free", false);
	expect(s, "l1_fill:way=8,victim=free", false);
	expect(s, "psc_fill:level=1,slot=0,victim=free", false);
	expect(s, "psc_fill:level=2,slot=4,victim=free", false);
	assert_int_equal(cover_each(s, count_unhit, &u), 0);
	if (u.n)
		fail_msg("%u of the %u replacement and AXI bins defined not hit, "
			 "%s the first", u.n, u.defined, u.first);
	printf("cover: %s: all %u replacement and AXI bins defined are hit "
	       "(replacement %s, AXI %s, AXI stalls %s)\n", name, u.defined,
	       r ? "defined" : "undefined", a ? "defined" : "undefined",
	       st ? "defined" : "undefined");
}
