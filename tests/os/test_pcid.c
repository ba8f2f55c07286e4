/* SPDX-License-Identifier: MIT */
/*
 * PCIDs and TLB invalidation seen from the hardware side (raw machine
 * accesses after the kernel's work, so a missing invalidation would show
 * as a stale TLB hit):
 *  - with PCIDs, switching back to a process keeps its TLB entries (MOV CR3
 *    with the no-flush bit); a fresh PCID is loaded with a flush;
 *  - generations: with 2 PCIDs for 3 processes every round needs new
 *    ones, and nothing stale survives;
 *  - PTE changes in a process that is not running (reclaim, KSM) are
 *    invalidated with INVPCID for its PCID;
 *  - without PCIDs (pcid = 0) every switch flushes and all still works.
 */
#define _GNU_SOURCE
#include "osutil.h"
#include "workloads.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

/* A user load straight on the machine: what the TLB does. */
static struct mmu_outcome raw(struct tos *t, uint64_t va)
{
	struct mmu_req r = { .va = va, .op = MMU_LOAD, .size = 8, .user = true };
	struct mmu_outcome o;

	assert_int_equal(machine_access(t->m, &r, &o), 0);
	return o;
}

static void keep_entries(void **state)
{
	struct tos t;
	struct os_stats st;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int a = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
	tos_st(&t, p, 8, 0xa);
	int b = tos_proc(&t);
	uint64_t q = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
	EQ(p, q); /* same VA in both */
	tos_st(&t, q, 8, 0xb);
	EQ(os_switch(t.os, a), 0);
	struct mmu_outcome o = raw(&t, p);
	OK(o.status == MMU_ST_OK && o.tlb_hit);
	EQ(o.rdata, 0xa);
	EQ(os_switch(t.os, b), 0);
	o = raw(&t, q);
	OK(o.status == MMU_ST_OK && o.tlb_hit);
	EQ(o.rdata, 0xb);
	os_stats(t.os, &st);
	EQ(st.cr3_writes, 4);
	EQ(st.cr3_noflush, 2);
	tos_check(&t);
	printf("PCID: switching back keeps a process's TLB entries "
	       "(no-flush MOV CR3), each sees its own page at the same VA\n");
	tos_halt(&t);
}

static void generations(void **state)
{
	struct tos t;
	struct os_opts o = { .pcid_limit = 2 };
	struct os_stats st;
	int pid[3];
	uint64_t p = 0;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	for (int i = 0; i < 3; i++) {
		pid[i] = tos_proc(&t);
		p = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
		tos_st(&t, p, 8, 100 + i);
	}
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 3; i++) {
			EQ(os_switch(t.os, pid[i]), 0);
			struct mmu_outcome r = raw(&t, p);

			OK(r.status == MMU_ST_OK && !r.tlb_hit);
			EQ(r.rdata, 100 + i);
		}
	}
	os_stats(t.os, &st);
	OK(st.pcid_rollovers >= 5);
	EQ(st.cr3_noflush, 0);
	tos_check(&t);
	printf("PCID generations: 3 processes on 2 PCIDs, %llu rollovers, "
	       "never a stale entry\n", (unsigned long long)st.pcid_rollovers);
	tos_halt(&t);
}

static void remote_invalidation(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1 << 20, .ksm = true };
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int a = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);
	tos_st(&t, p, 8, 0x77);
	tos_st(&t, p + PG, 8, 0x77);
	EQ(raw(&t, p).tlb_hit, 1);
	int b = tos_proc(&t);
	uint64_t q = (uint64_t)os_mmap(t.os, 0x300000000ull, PG, 3, A, -1, 0);
	tos_st(&t, q, 8, 1);
	/* While b runs, a's pages are merged (write-protected) and then
	 * swapped out: a's TLB entries must go. */
	EQ(os_ksm_scan(t.os), 1);
	EQ(os_reclaim(t.os, 100) > 0, 1);
	struct os_page_info pi;
	EQ(os_page(t.os, a, p, &pi), 0);
	OK(pi.swapped);
	EQ(os_switch(t.os, a), 0);
	struct mmu_outcome r = raw(&t, p);
	EQ(r.status, MMU_ST_PAGE_FAULT); /* no stale translation */
	EQ(tos_ld(&t, p, 8), 0x77);
	tos_st(&t, p, 8, 0x78);              /* COW off the KSM page */
	EQ(tos_ld(&t, p + PG, 8), 0x77);
	EQ(os_switch(t.os, b), 0);
	EQ(tos_ld(&t, q, 8), 1);
	tos_check(&t);
	printf("remote invalidation: KSM and reclaim in a process that is "
	       "not running leave no stale TLB entry (INVPCID)\n");
	tos_halt(&t);
}

static void no_pcid(void **state)
{
	static const char *const set[] = { "pcid=0", NULL };
	struct tos t;
	struct os_stats st;
	(void)state;

	tos_boot_set(&t, "golden", "x86", set, 0, NULL);
	int a = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
	tos_st(&t, p, 8, 1);
	tos_proc(&t);
	EQ(os_switch(t.os, a), 0);
	EQ(raw(&t, p).tlb_hit, 0);
	EQ(tos_ld(&t, p, 8), 1);
	os_stats(t.os, &st);
	EQ(st.cr3_noflush, 0);
	tos_halt(&t);
	printf("no PCIDs: every switch flushes\n");
	wl_storm("golden", "x86", set, 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keep_entries),
		cmocka_unit_test(generations),
		cmocka_unit_test(remote_invalidation),
		cmocka_unit_test(no_pcid),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_pcid: %u checks\n", tos_checks);
	return rc;
}
