/* SPDX-License-Identifier: MIT */
/*
 * Kernel same-page merging: identical anonymous pages of several processes
 * become one read-only KSM frame (counts exact); a write copies it (never
 * reused in place, even by the last user); MADV_UNMERGEABLE breaks the
 * sharing; without the option only MADV_MERGEABLE areas are scanned; the
 * zero page and shared memory are left alone; KSM frames can be swapped.
 */
#define _GNU_SOURCE
#include "osutil.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

static void fill(struct tos *t, uint64_t va, uint64_t seed)
{
	for (uint64_t o = 0; o < PG; o += 512)
		tos_st(t, va + o, 8, seed * 0x1000193 + o);
}

static void merge(void **state)
{
	struct tos t;
	struct os_opts o = { .ksm = true, .swap_bytes = 1 << 20 };
	struct os_page_info pi;
	struct os_stats st;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int a = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 8 * PG, 3, A, -1, 0);
	for (int i = 0; i < 8; i++)
		fill(&t, p + i * PG, i < 4 ? 77 : (uint64_t)i);
	EQ(tos_ld(&t, p + 7 * PG + 8, 8), 0); /* untouched bytes are 0 */
	int b = tos_proc(&t);
	uint64_t q = (uint64_t)os_mmap(t.os, 0, 4 * PG, 3, A, -1, 0);
	for (int i = 0; i < 4; i++)
		fill(&t, q + i * PG, 77);
	uint64_t z = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);
	EQ(tos_ld(&t, z, 8), 0);             /* zero page: not merged */
	uint64_t sh = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fill(&t, sh, 77);                    /* shared memory: not merged */
	fill(&t, sh + PG, 77);

	EQ(os_ksm_scan(t.os), 7);
	tos_check(&t);
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(pi.ksm && !pi.writable);
	EQ(pi.refcount, 8);
	uint64_t kpa = pi.pa;
	for (int i = 0; i < 4; i++) {
		EQ(os_page(t.os, b, q + i * PG, &pi), 0);
		EQ(pi.pa, kpa);
	}
	EQ(os_page(t.os, a, p + 4 * PG, &pi), 0);
	OK(!pi.ksm);
	EQ(os_page(t.os, b, sh, &pi), 0);
	OK(!pi.ksm && pi.page_cache);
	os_stats(t.os, &st);
	EQ(st.frames_ksm, 1);
	EQ(st.ksm_merges, 7);
	EQ(os_ksm_scan(t.os), 0);            /* nothing new */

	/* A write copies. */
	EQ(os_switch(t.os, a), 0);
	tos_st(&t, p + 8, 8, 5);
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(!pi.ksm && pi.writable);
	EQ(tos_ld(&t, p + 512, 8), 77 * 0x1000193ull + 512);
	EQ(os_page(t.os, a, p + PG, &pi), 0);
	EQ(pi.refcount, 7);
	/* MADV_UNMERGEABLE breaks b's four. */
	EQ(os_switch(t.os, b), 0);
	EQ(os_madvise(t.os, q, 4 * PG, MADV_UNMERGEABLE), 0);
	EQ(os_page(t.os, b, q, &pi), 0);
	OK(!pi.ksm && pi.writable);
	EQ(os_page(t.os, a, p + PG, &pi), 0);
	EQ(pi.refcount, 3);
	EQ(os_ksm_scan(t.os), 0);            /* b's area is no longer scanned */
	/* The last users: still copied, never reused in place. */
	EQ(os_switch(t.os, a), 0);
	tos_st(&t, p + PG, 8, 1);
	tos_st(&t, p + 2 * PG, 8, 1);
	tos_st(&t, p + 3 * PG, 8, 1);
	os_stats(t.os, &st);
	EQ(st.frames_ksm, 0);
	EQ(st.ksm_unmerges, 8);
	tos_check(&t);
	printf("KSM: 8 identical pages of 2 processes -> 1 frame (count 8), "
	       "writes and MADV_UNMERGEABLE copy it back\n");
	tos_halt(&t);
}

static void opt_in_and_swap(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1 << 20 };
	struct os_page_info pi;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int a = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 4 * PG, 3, A, -1, 0);
	for (int i = 0; i < 4; i++)
		fill(&t, p + i * PG, 9);
	EQ(os_ksm_scan(t.os), 0);             /* not mergeable */
	EQ(os_madvise(t.os, p, 2 * PG, MADV_MERGEABLE), 0);
	EQ(os_ksm_scan(t.os), 1);
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(pi.ksm);
	EQ(pi.refcount, 2);
	/* A KSM frame goes to swap like any other, and comes back. */
	EQ(os_madvise(t.os, p, PG, MADV_PAGEOUT), 0); /* shared: skipped */
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(pi.present);
	EQ(os_reclaim(t.os, 100) > 0, 1);
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(pi.swapped);
	EQ(pi.refcount, 2);
	tos_check(&t);
	EQ(tos_ld(&t, p + 512, 8), 9 * 0x1000193ull + 512);
	EQ(tos_ld(&t, p + PG + 512, 8), 9 * 0x1000193ull + 512);
	tos_st(&t, p, 8, 3);
	EQ(tos_ld(&t, p + PG, 8), 9 * 0x1000193ull);
	tos_check(&t);
	printf("KSM: opt-in with MADV_MERGEABLE; a merged page swaps out and "
	       "back, still shared\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge),
		cmocka_unit_test(opt_in_and_swap),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_ksm: %u checks\n", tos_checks);
	return rc;
}
