/* SPDX-License-Identifier: MIT */
/*
 * Swap under memory pressure: working sets several times larger than
 * memory (anonymous, forked and shared, shared memory, file-backed), every
 * page checked against a shadow copy, os_check along the way; the clock
 * gives accessed pages a second chance; out-of-memory (no swap, then a
 * full swap area) is an error value and SIGKILL, never an abort, and the
 * kernel stays consistent.
 */
#define _GNU_SOURCE
#include "osutil.h"
#include "workloads.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

static void pressure(void **state)
{
	(void)state;
	wl_pressure("golden", 512 << 10, 400, 6000);
}

static void fork_and_swap(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 8ull << 20 };
	struct os_stats st;
	struct os_page_info pi;
	int child;
	(void)state;

	tos_boot(&t, "golden", "x86", 512 << 10, &o);
	int parent = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 64 * PG, 3, A, -1, 0);

	for (int i = 0; i < 64; i++)
		tos_st(&t, p + i * PG, 8, 1000 + i);
	EQ(os_fork(t.os, &child), 0);
	/* Evict everything that can go. */
	EQ(os_reclaim(t.os, 1000) > 0, 1);
	tos_check(&t);
	EQ(os_page(t.os, parent, p, &pi), 0);
	OK(pi.swapped);
	EQ(pi.refcount, 2); /* one slot, two swap entries */
	/* The child reads it back: the page stays in the swap cache, so
	 * the parent's fault finds it there and the page stays shared. */
	EQ(os_switch(t.os, child), 0);
	EQ(tos_ld(&t, p, 8), 1000);
	EQ(os_page(t.os, child, p, &pi), 0);
	OK(pi.present && pi.swap_cache && !pi.writable);
	uint64_t pa = pi.pa;
	EQ(os_switch(t.os, parent), 0);
	EQ(tos_ld(&t, p, 8), 1000);
	EQ(os_page(t.os, parent, p, &pi), 0);
	OK(pi.present && !pi.swap_cache && pi.pa == pa);
	EQ(pi.refcount, 2);
	tos_st(&t, p, 8, 5);    /* COW off the shared swapped-in page */
	EQ(os_switch(t.os, child), 0);
	EQ(tos_ld(&t, p, 8), 1000);
	for (int i = 1; i < 64; i++)
		EQ(tos_ld(&t, p + i * PG, 8), (uint64_t)(1000 + i));
	os_stats(t.os, &st);
	OK(st.swap_cache_hits >= 1);
	tos_check(&t);
	EQ(os_exit(t.os, child), 0);
	EQ(os_switch(t.os, parent), 0);
	for (int i = 1; i < 64; i++)
		EQ(tos_ld(&t, p + i * PG, 8), (uint64_t)(1000 + i));
	EQ(os_exit(t.os, parent), 0);
	os_stats(t.os, &st);
	EQ(st.swap_slots_used, 0);
	printf("fork + swap: swapped pages stay shared (slot count 2, swap "
	       "cache), COW after swap-in\n");
	tos_halt(&t);
}

static void second_chance(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1ull << 20 };
	struct os_page_info pi;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int pid = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 8 * PG, 3, A, -1, 0);

	for (int i = 0; i < 8; i++)
		tos_st(&t, p + i * PG, 8, i);
	/* All accessed: a first sweep clears every A bit, the second finds
	 * page 0 first. */
	EQ(os_reclaim(t.os, 1), 1);
	EQ(os_page(t.os, pid, p, &pi), 0);
	OK(pi.swapped);
	for (int i = 1; i < 8; i++) {
		EQ(os_page(t.os, pid, p + i * PG, &pi), 0);
		OK(pi.present && !pi.accessed);
	}
	/* Touch all but page 5: the hand skips the touched ones (clearing
	 * A: a second chance) and takes page 5. */
	for (int i = 1; i < 8; i++)
		if (i != 5)
			EQ(tos_ld(&t, p + i * PG, 8), (uint64_t)i);
	EQ(os_reclaim(t.os, 1), 1);
	EQ(os_page(t.os, pid, p + 5 * PG, &pi), 0);
	OK(pi.swapped);
	EQ(os_page(t.os, pid, p + 4 * PG, &pi), 0);
	OK(pi.present);
	EQ(tos_ld(&t, p + 5 * PG, 8), 5);
	EQ(tos_ld(&t, p, 8), 0);
	tos_check(&t);
	printf("clock: accessed pages get a second chance (A cleared + "
	       "invalidated), the first unaccessed one goes\n");
	tos_halt(&t);
}

static void file_and_shmem(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 4ull << 20 };
	struct os_stats st;
	const unsigned n = 300;
	uint8_t *host = malloc(n * PG);
	(void)state;

	tos_boot(&t, "golden", "x86", 512 << 10, &o);
	tos_proc(&t);
	tos_file(&t, "big", n * PG, 4);
	int fd = os_open(t.os, "big", O_RDWR, 0);
	uint64_t f = (uint64_t)os_mmap(t.os, 0, n * PG, 3, MAP_SHARED, fd, 0);
	uint64_t s = (uint64_t)os_mmap(t.os, 0, n * PG, 3,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	for (unsigned i = 0; i < n; i++) {
		if (i % 3 == 0)
			tos_st(&t, f + i * PG + 8, 8, 0xf00 + i);
		else
			EQ(tos_ld(&t, f + i * PG + 8, 1), tos_pat(i * PG + 8, 4));
		tos_st(&t, s + i * PG, 8, 0x5000 + i);
	}
	tos_check(&t);
	for (unsigned i = 0; i < n; i++) {
		if (i % 3 == 0)
			EQ(tos_ld(&t, f + i * PG + 8, 8), 0xf00 + i);
		EQ(tos_ld(&t, s + i * PG, 8), 0x5000 + i);
	}
	os_stats(t.os, &st);
	OK(st.file_writebacks > 0 && st.file_pages_dropped > 0);
	OK(st.swap_outs > 0);
	EQ(os_munmap(t.os, f, n * PG), 0);
	EQ(tos_read_host(&t, "big", host, n * PG), n * PG);
	for (unsigned i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, host + i * PG + 8, 8);
		if (i % 3 == 0)
			EQ(v, 0xf00 + i);
		else
			EQ(host[i * PG + 8], tos_pat(i * PG + 8, 4));
	}
	tos_check(&t);
	printf("file + shmem under pressure: %llu dirty pages written back, "
	       "%llu clean ones dropped, shared memory swapped (%llu outs)\n",
	       (unsigned long long)st.file_writebacks,
	       (unsigned long long)st.file_pages_dropped,
	       (unsigned long long)st.swap_outs);
	free(host);
	tos_halt(&t);
}

static void oom_on(uint64_t swap)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = swap };
	struct os_stats st;
	struct os_siginfo si;
	int sig = 0, rc = 0;
	unsigned i;

	tos_boot(&t, "golden", "x86", 256 << 10, &o);
	tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 512 * PG, 3, A, -1, 0);

	for (i = 0; i < 512; i++) {
		rc = os_access(t.os, MMU_STORE, p + i * PG, 8, i + 1, NULL,
			       &sig);
		if (rc)
			break;
		EQ(sig, 0);
	}
	EQ(rc, -ENOMEM);
	EQ(sig, SIGKILL);
	os_last_signal(t.os, &si);
	EQ(si.signo, SIGKILL);
	EQ(si.addr, p + i * PG);
	os_stats(t.os, &st);
	OK(st.oom_events >= 1);
	OK(strstr(os_strerror(t.os), "out of memory") != NULL);
	tos_check(&t);
	/* fork needs page tables: it fails cleanly. */
	int child = 0;
	EQ(os_fork(t.os, &child), -ENOMEM);
	EQ(os_pids(t.os, NULL, 0), 1);
	tos_check(&t);
	/* Freeing half makes room again; what was written is intact. */
	EQ(os_munmap(t.os, p + (i / 2) * PG, (512 - i / 2) * PG), 0);
	tos_check(&t);
	for (unsigned k = 0; k < i / 2; k++)
		EQ(tos_ld(&t, p + k * PG, 8), k + 1);
	EQ(os_exit(t.os, os_current(t.os)), 0);
	tos_check(&t);
	printf("OOM (swap %llu KiB): store #%u fails with -ENOMEM + SIGKILL, "
	       "\"%s\"; state consistent\n", (unsigned long long)(swap >> 10),
	       i, os_strerror(t.os));
	tos_halt(&t);
}

static void oom(void **state)
{
	(void)state;
	oom_on(0);
	oom_on(64 << 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pressure),
		cmocka_unit_test(fork_and_swap),
		cmocka_unit_test(second_chance),
		cmocka_unit_test(file_and_shmem),
		cmocka_unit_test(oom),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_swap: %u checks\n", tos_checks);
	return rc;
}
