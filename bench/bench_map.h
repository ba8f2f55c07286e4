/* SPDX-License-Identifier: MIT */
/*
 * The page mapping of bench_rtl's streams, shared with bench/insn/insn_probe.c
 * (which is built against older checkouts too): `pages` 4 KiB pages at
 * BENCH_VA_BASE mapped to BENCH_DATA_PA onwards, user and writable, page
 * tables from 0x1000 up, CR3 pointing at them.  The includer has included
 * sw/machine/pagetable.h (its own checkout's).
 */
#ifndef MMU_BENCH_MAP_H
#define MMU_BENCH_MAP_H

#include <stdint.h>

#define BENCH_VA_BASE 0x0000000400000000ull
#define BENCH_DATA_PA 0x00800000ull

struct bench_bump { uint64_t next; };

static inline uint64_t bench_bump_alloc(void *ctx)
{
	struct bench_bump *b = ctx;

	b->next += 4096;
	return b->next - 4096;
}

/* 0, or -1 with the reason in m->err. */
static inline int bench_map_pages(struct machine *m, unsigned pages)
{
	struct bench_bump b = { 0x1000 };
	uint64_t root = bench_bump_alloc(&b);

	if (pt_zero_table(m, root))
		return -1;
	for (unsigned i = 0; i < pages; i++)
		if (pt_map(m, root, BENCH_VA_BASE + i * 4096ull, BENCH_DATA_PA + i * 4096ull,
			   1, PTE_RW | PTE_US, PTE_RW | PTE_US, bench_bump_alloc, &b))
			return -1;
	return machine_write_cr(m, MMU_CTL_WRITE_CR3, pt_make(&m->cfg, root, 0)) ? -1 : 0;
}

#endif
