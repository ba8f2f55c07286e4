/* SPDX-License-Identifier: MIT */
/*
 * fork and copy-on-write with exact reference counts: after fork both PTEs
 * are read-only and the frame counts 2; the first writer copies, the last
 * one reuses the frame in place; exit gives the references back.  Then a
 * seeded fork storm (forks, exits, switches, writes, reads, munmap, mmap,
 * mprotect, a MAP_SHARED|MAP_ANONYMOUS area shared by every process) where
 * every process's memory is checked against a shadow copy and os_check
 * recounts every frame after every step; when all processes are gone no
 * frame and no swap slot is left in use.
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

static void cow_exact(void **state)
{
	struct tos t;
	struct os_page_info pp, pc;
	struct os_stats st;
	int child;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int parent = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 8 * PG, 3, A, -1, 0);

	for (int i = 0; i < 8; i++)
		tos_st(&t, p + i * PG, 8, 100 + i);
	EQ(os_fork(t.os, &child), 0);
	tos_check(&t);
	for (int i = 0; i < 8; i++) {
		EQ(os_page(t.os, parent, p + i * PG, &pp), 0);
		EQ(os_page(t.os, child, p + i * PG, &pc), 0);
		EQ(pp.pa, pc.pa);
		EQ(pp.refcount, 2);
		OK(!pp.writable && !pc.writable && !pc.accessed);
	}
	uint64_t pa0 = pp.pa;
	EQ(os_page(t.os, parent, p, &pp), 0);
	pa0 = pp.pa;
	/* The child writes page 0: it copies; the parent's frame is now
	 * its alone and the parent's write reuses it in place. */
	EQ(os_switch(t.os, child), 0);
	tos_st(&t, p, 8, 200);
	EQ(os_page(t.os, child, p, &pc), 0);
	OK(pc.pa != pa0 && pc.writable);
	EQ(pc.refcount, 1);
	EQ(os_page(t.os, parent, p, &pp), 0);
	EQ(pp.refcount, 1);
	EQ(os_switch(t.os, parent), 0);
	EQ(tos_ld(&t, p, 8), 100);
	tos_st(&t, p, 8, 300);
	EQ(os_page(t.os, parent, p, &pp), 0);
	EQ(pp.pa, pa0);
	OK(pp.writable);
	/* The parent writes page 1 first: it copies, the child keeps the
	 * old frame. */
	tos_st(&t, p + PG, 8, 301);
	EQ(os_switch(t.os, child), 0);
	EQ(tos_ld(&t, p, 8), 200);
	EQ(tos_ld(&t, p + PG, 8), 101);
	os_stats(t.os, &st);
	EQ(st.cow_copies, 2);
	EQ(st.cow_reuses, 1);
	tos_check(&t);
	EQ(os_exit(t.os, child), 0);
	EQ(os_current(t.os), -ESRCH);
	EQ(os_page(t.os, parent, p + 2 * PG, &pp), 0);
	EQ(pp.refcount, 1);
	tos_check(&t);
	EQ(os_exit(t.os, parent), 0);
	os_stats(t.os, &st);
	EQ(st.frames_in_use, 0);
	printf("COW: shared read-only after fork, first writer copies, last "
	       "one reuses in place, counts exact\n");
	tos_halt(&t);
}

static void storm(void **state)
{
	(void)state;
	wl_storm("golden", "x86", NULL, 2000);
	wl_storm("golden", "fpga", NULL, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cow_exact),
		cmocka_unit_test(storm),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_fork: %u checks\n", tos_checks);
	return rc;
}
