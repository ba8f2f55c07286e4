/* SPDX-License-Identifier: MIT */
/*
 * madvise and MAP_POPULATE: DONTNEED (anonymous pages read back zero, file
 * pages back from the file, shared pages keep their data), WILLNEED (file
 * pages read into the cache, swapped pages into the swap cache), PAGEOUT,
 * DONTFORK and WIPEONFORK seen by a child, MERGEABLE/RANDOM splitting and
 * re-merging areas, MAP_POPULATE prefaulting (for writing in private
 * writable areas); populating as Linux does, area by area: MAP_POPULATE
 * over 2^46 bytes of PROT_NONE or far past a file's end skips the area at
 * once, MADV_POPULATE_* says EINVAL (no access), EFAULT (a fault would
 * signal), ENOMEM (a hole).
 */
#define _GNU_SOURCE
#include "osutil.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

static void dontneed(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 2 * PG, 2);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t an = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
	uint64_t pf = (uint64_t)os_mmap(t.os, 0, PG, 3, MAP_PRIVATE, fd, 0);
	uint64_t sf = (uint64_t)os_mmap(t.os, 0, PG, 3, MAP_SHARED, fd, PG);
	uint64_t sa = (uint64_t)os_mmap(t.os, 0, PG, 3,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	tos_st(&t, an, 8, 1);
	tos_st(&t, pf, 1, 0xaa);
	tos_st(&t, sf, 1, 0xbb);
	tos_st(&t, sa, 8, 3);
	EQ(os_madvise(t.os, an, PG, MADV_DONTNEED), 0);
	EQ(os_madvise(t.os, pf, PG, MADV_DONTNEED), 0);
	EQ(os_madvise(t.os, sf, PG, MADV_DONTNEED), 0);
	EQ(os_madvise(t.os, sa, PG, MADV_DONTNEED), 0);
	EQ(tos_ld(&t, an, 8), 0);                      /* zero-fill */
	EQ(tos_ld(&t, pf, 1), tos_pat(0, 2));          /* the file again */
	EQ(tos_ld(&t, sf, 1), 0xbb);                   /* shared: kept */
	EQ(tos_ld(&t, sa, 8), 3);
	EQ(os_madvise(t.os, an, PG, MADV_FREE), 0);
	EQ(os_madvise(t.os, sa, PG, MADV_REMOVE), 0);
	EQ(tos_ld(&t, sa, 8), 0);                      /* hole: zeros */
	EQ(os_madvise(t.os, an, PG, MADV_REMOVE), -EINVAL);
	EQ(os_madvise(t.os, pf, PG, MADV_REMOVE), -EACCES); /* private */
	EQ(os_madvise(t.os, sf, PG, MADV_REMOVE), 0);
	EQ(tos_ld(&t, sf, 1), 0);                      /* hole in the file */
	tos_check(&t);
	printf("MADV_DONTNEED: anonymous -> zero, private file -> file, "
	       "shared -> kept; MADV_REMOVE punches a hole (EACCES private)\n");
	tos_halt(&t);
}

static void willneed_pageout(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1 << 20 };
	struct os_stats st0, st;
	struct os_page_info pi;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int pid = tos_proc(&t);
	tos_file(&t, "f", 4 * PG, 3);
	int fd = os_open(t.os, "f", O_RDONLY, 0);
	uint64_t f = (uint64_t)os_mmap(t.os, 0, 8 * PG, PROT_READ,
				       MAP_PRIVATE, fd, 0);
	os_stats(t.os, &st0);
	EQ(os_madvise(t.os, f, 8 * PG, MADV_WILLNEED), 0);
	os_stats(t.os, &st);
	EQ(st.file_reads - st0.file_reads, 4);      /* up to EOF */
	EQ(tos_ld(&t, f + 3 * PG, 1), tos_pat(3 * PG, 3));
	os_stats(t.os, &st0);
	EQ(st0.major_faults, st.major_faults);       /* a minor fault */
	uint64_t a = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);
	tos_st(&t, a, 8, 9);
	tos_st(&t, a + PG, 8, 10);
	EQ(os_madvise(t.os, a, 2 * PG, MADV_PAGEOUT), 0);
	EQ(os_page(t.os, pid, a, &pi), 0);
	OK(pi.swapped);
	EQ(os_madvise(t.os, a, PG, MADV_WILLNEED), 0);
	EQ(os_page(t.os, pid, a, &pi), 0);
	OK(pi.swapped);                              /* still a swap entry */
	tos_check(&t);
	os_stats(t.os, &st0);
	EQ(tos_ld(&t, a, 8), 9);                     /* from the swap cache */
	os_stats(t.os, &st);
	EQ(st.swap_cache_hits - st0.swap_cache_hits, 1);
	EQ(tos_ld(&t, a + PG, 8), 10);
	tos_check(&t);
	printf("MADV_WILLNEED reads ahead (file pages, swapped pages into "
	       "the swap cache); MADV_PAGEOUT swaps out\n");
	tos_halt(&t);
}

static void fork_advice(void **state)
{
	struct tos t;
	int child;
	char m[1024];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int parent = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 3 * PG, 3, A, -1, 0);
	for (int i = 0; i < 3; i++)
		tos_st(&t, p + i * PG, 8, 50 + i);
	EQ(os_madvise(t.os, p, PG, MADV_DONTFORK), 0);
	EQ(os_madvise(t.os, p + PG, PG, MADV_WIPEONFORK), 0);
	EQ(os_fork(t.os, &child), 0);
	EQ(os_switch(t.os, child), 0);
	EQ(tos_sig(&t, MMU_LOAD, p), SIGSEGV);   /* not in the child */
	EQ(tos_ld(&t, p + PG, 8), 0);             /* wiped */
	EQ(tos_ld(&t, p + 2 * PG, 8), 52);
	EQ(os_switch(t.os, parent), 0);
	EQ(tos_ld(&t, p + PG, 8), 51);
	/* Advice that changes flags splits, and undoing it re-merges. */
	EQ(os_madvise(t.os, p, 3 * PG, MADV_DOFORK), 0);
	EQ(os_madvise(t.os, p, 3 * PG, MADV_KEEPONFORK), 0);
	os_maps(t.os, parent, m, sizeof(m));
	EQ(strcmp(m, "7ffff7ffc000-7ffff7fff000 rw-p 00000000 00:00 0 \n"), 0);
	EQ(os_madvise(t.os, p + PG, PG, MADV_RANDOM), 0);
	os_maps(t.os, parent, m, sizeof(m));
	EQ(strcmp(m, "7ffff7ffc000-7ffff7ffd000 rw-p 00000000 00:00 0 \n"
		     "7ffff7ffd000-7ffff7ffe000 rw-p 00000000 00:00 0 \n"
		     "7ffff7ffe000-7ffff7fff000 rw-p 00000000 00:00 0 \n"), 0);
	EQ(os_madvise(t.os, p, 3 * PG, MADV_NORMAL), 0);
	os_maps(t.os, parent, m, sizeof(m));
	EQ(strcmp(m, "7ffff7ffc000-7ffff7fff000 rw-p 00000000 00:00 0 \n"), 0);
	tos_check(&t);
	printf("MADV_DONTFORK/WIPEONFORK seen by the child; flag advice "
	       "splits and re-merges\n");
	tos_halt(&t);
}

static void populate(void **state)
{
	struct tos t;
	struct os_page_info pi;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	tos_file(&t, "f", 2 * PG, 4);
	int fd = os_open(t.os, "f", O_RDONLY, 0);
	uint64_t a = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A | MAP_POPULATE,
				       -1, 0);
	uint64_t r = (uint64_t)os_mmap(t.os, 0, 2 * PG, PROT_READ,
				       MAP_PRIVATE | MAP_POPULATE, fd, 0);
	EQ(os_page(t.os, pid, a + PG, &pi), 0);
	OK(pi.present && pi.writable && !pi.zero_page); /* written */
	EQ(os_page(t.os, pid, r + PG, &pi), 0);
	OK(pi.present && pi.page_cache && !pi.writable);
	tos_check(&t);
	printf("MAP_POPULATE: private writable areas prefaulted for "
	       "writing, others for reading\n");
	tos_halt(&t);
}

static void populate_bounded(void **state)
{
	struct tos t;
	struct os_page_info pi;
	struct os_stats st;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	tos_file(&t, "f", PG, 4);
	int fd = os_open(t.os, "f", O_RDONLY, 0);
	/* 2^34 pages nothing may touch: skipped whole (Linux's populate
	 * ignores the area check_vma_flags refuses). */
	int64_t n = os_mmap(t.os, 0, 1ull << 46, PROT_NONE,
			    A | MAP_NORESERVE | MAP_POPULATE, -1, 0);
	OK(n > 0);
	EQ(os_madvise(t.os, (uint64_t)n, 1ull << 46, MADV_POPULATE_READ),
	   -EINVAL);
	/* A one-page file mapped over 1 TiB: its page read, the rest
	 * (SIGBUS) skipped at the first signal. */
	os_stats(t.os, &st);
	uint64_t reads = st.file_reads;
	int64_t f = os_mmap(t.os, 0, 1ull << 40, PROT_READ,
			    MAP_SHARED | MAP_POPULATE, fd, 0);
	OK(f > 0);
	os_stats(t.os, &st);
	EQ(st.file_reads, reads + 1);
	EQ(os_page(t.os, pid, (uint64_t)f, &pi), 0);
	OK(pi.present && pi.page_cache);
	EQ(os_madvise(t.os, (uint64_t)f, 2 * PG, MADV_POPULATE_READ), -EFAULT);
	EQ(os_madvise(t.os, (uint64_t)f, PG, MADV_POPULATE_WRITE), -EINVAL);
	EQ(os_madvise(t.os, (uint64_t)f, PG, MADV_POPULATE_READ), 0);
	uint64_t b = (uint64_t)os_mmap(t.os, 0, 3 * PG, 3, A, -1, 0);
	EQ(os_munmap(t.os, b + PG, PG), 0);
	EQ(os_madvise(t.os, b, 3 * PG, MADV_POPULATE_WRITE), -ENOMEM);
	EQ(os_page(t.os, pid, b + 2 * PG, &pi), 0);
	OK(pi.present && pi.writable);
	tos_check(&t);
	printf("populate: 2^46 bytes of PROT_NONE and 1 TiB past a file's "
	       "end skipped at once; MADV_POPULATE_* EINVAL/EFAULT/ENOMEM as "
	       "Linux\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dontneed),
		cmocka_unit_test(willneed_pageout),
		cmocka_unit_test(fork_advice),
		cmocka_unit_test(populate),
		cmocka_unit_test(populate_bounded),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_madvise: %u checks\n", tos_checks);
	return rc;
}
