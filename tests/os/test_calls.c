/* SPDX-License-Identifier: MIT */
/*
 * The calls after mmap's family: mremap (a move carries the pages: same
 * frames, swap entries too; DONTUNMAP leaves the old range empty), mlock
 * (locked pages survive reclaim, RLIMIT_MEMLOCK), mincore, fallocate hole
 * punching through every mapping, unlink of a mapped file, ETXTBSY, lazy
 * MADV_FREE and MAP_DROPPABLE under reclaim, an access spanning two pages
 * being all or nothing; os_check after each.  The scenarios of
 * tests/scenarios compare the same calls with the host kernel.
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

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define AT 0x100000000ull

static void mremap_moves(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1 << 20 };
	struct os_page_info pi, pj;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int pid = tos_proc(&t);
	EQ(os_mmap(t.os, AT, 4 * PG, RW, A | MAP_FIXED, -1, 0), (int64_t)AT);
	for (int i = 0; i < 4; i++)
		tos_st(&t, AT + i * PG, 8, 0x100 + i);
	EQ(os_page(t.os, pid, AT, &pi), 0);
	EQ(os_madvise(t.os, AT + 3 * PG, PG, MADV_PAGEOUT), 0);
	EQ(os_mremap(t.os, AT, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		     AT + 64 * PG), (int64_t)(AT + 64 * PG));
	EQ(os_page(t.os, pid, AT + 64 * PG, &pj), 0);
	EQ(pj.pa, pi.pa);                          /* the same frame */
	EQ(tos_ld(&t, AT + 67 * PG, 8), 0x103);    /* swapped, moved, read back */
	EQ(tos_sig(&t, MMU_LOAD, AT), SIGSEGV);
	EQ(os_mremap(t.os, AT + 64 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		     0) > 0, 1);
	EQ(tos_ld(&t, AT + 64 * PG, 8), 0);        /* left empty */
	EQ(os_mremap(t.os, AT + 65 * PG, PG, 3 * PG, 0, 0), -ENOMEM);
	EQ(os_mremap(t.os, AT + 66 * PG, 2 * PG, PG, 0, 0), (int64_t)(AT + 66 * PG));
	EQ(os_mremap(t.os, AT + 66 * PG, PG, 4 * PG, 0, 0), (int64_t)(AT + 66 * PG));
	EQ(tos_ld(&t, AT + 66 * PG, 8), 0x102);
	tos_check(&t);
	printf("mremap: pages move with their frames and swap entries, DONTUNMAP, "
	       "shrink and grow in place\n");
	tos_halt(&t);
}

static void mlock_reclaim(void **state)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 1 << 20, .memlock_rlimit = 8 * PG };
	struct os_page_info pi;
	uint8_t vec[8];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	int pid = tos_proc(&t);
	EQ(os_mmap(t.os, AT, 8 * PG, RW, A | MAP_FIXED, -1, 0), (int64_t)AT);
	EQ(os_mlock(t.os, AT, 4 * PG), 0);
	EQ(os_mincore(t.os, AT, 8 * PG, vec), 0);
	EQ(vec[0] + vec[3] + vec[4], 2);           /* populated where locked */
	for (int i = 0; i < 8; i++)
		tos_st(&t, AT + i * PG, 8, i + 1);
	EQ(os_mlock(t.os, AT, 9 * PG), -ENOMEM);
	EQ(os_mlock(t.os, AT + 4 * PG, 8 * PG), -ENOMEM); /* over the limit */
	EQ(os_reclaim(t.os, 1000) > 0, 1);
	EQ(os_page(t.os, pid, AT, &pi), 0);
	OK(pi.present);                            /* locked: kept */
	EQ(os_page(t.os, pid, AT + 5 * PG, &pi), 0);
	OK(pi.swapped);
	EQ(os_mlockall(t.os, MCL_ONFAULT), -EINVAL);
	EQ(os_munlockall(t.os), 0);
	EQ(os_mlockall(t.os, MCL_FUTURE), 0);
	EQ(os_mmap(t.os, AT + 16 * PG, 16 * PG, RW, A | MAP_FIXED, -1, 0), -EAGAIN);
	EQ(os_munlockall(t.os), 0);
	EQ(tos_ld(&t, AT + 5 * PG, 8), 6);
	tos_check(&t);
	tos_halt(&t);

	o.memlock_rlimit = OS_RLIM_ZERO;
	tos_boot(&t, "golden", "x86", 0, &o);
	tos_proc(&t);
	EQ(os_mmap(t.os, AT, PG, RW, A | MAP_FIXED, -1, 0), (int64_t)AT);
	EQ(os_mlock(t.os, AT, PG), -EPERM);
	EQ(os_mmap(t.os, AT, PG, RW, A | MAP_FIXED | MAP_LOCKED, -1, 0), -EPERM);
	tos_check(&t);
	printf("mlock: populated, never reclaimed, RLIMIT_MEMLOCK: ENOMEM, EAGAIN, "
	       "EPERM at 0\n");
	tos_halt(&t);
}

static void files(void **state)
{
	struct tos t;
	uint8_t buf[16];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 4 * PG, 3);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	EQ(os_mmap(t.os, AT, 4 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0), (int64_t)AT);
	EQ(tos_ld(&t, AT + PG, 1), tos_pat(PG, 3));
	EQ(os_fallocate(t.os, fd, FALLOC_FL_PUNCH_HOLE, 0, PG), -EOPNOTSUPP);
	EQ(os_fallocate(t.os, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 10, 2 * PG), 0);
	EQ(tos_ld(&t, AT + 9, 1), tos_pat(9, 3));
	EQ(tos_ld(&t, AT + PG, 1), 0);
	EQ(os_pread(t.os, fd, buf, 4, 2 * PG + 8), 4);
	EQ(buf[0] | buf[1], 0);
	EQ(buf[2], tos_pat(2 * PG + 10, 3));
	EQ(os_fsize(t.os, fd), (int64_t)(4 * PG));
	EQ(os_unlink(t.os, "f"), 0);
	EQ(os_open(t.os, "f", O_RDONLY, 0), -ENOENT);
	EQ(os_close(t.os, fd), 0);
	tos_st(&t, AT + 3 * PG, 1, 0x5a);          /* the mapping lives on */
	EQ(tos_ld(&t, AT + 3 * PG, 1), 0x5a);
	EQ(os_execve(t.os, "/bin/true"), 0);       /* and ETXTBSY */
	EQ(os_open(t.os, "/bin/true", O_WRONLY, 0), -ETXTBSY);
	tos_check(&t);
	printf("fallocate punches holes seen by mappings and read(2); unlink keeps "
	       "the mapping; ETXTBSY\n");
	tos_halt(&t);
}

static void lazy_and_split(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	EQ(os_mmap(t.os, AT, 2 * PG, RW, A | MAP_FIXED, -1, 0), (int64_t)AT);
	EQ(os_mmap(t.os, AT + 2 * PG, PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	   (int64_t)(AT + 2 * PG));
	tos_st(&t, AT, 8, 1);
	tos_st(&t, AT + PG, 8, 2);
	tos_st(&t, AT + 2 * PG, 8, 3);
	EQ(os_madvise(t.os, AT, 2 * PG, MADV_FREE), 0);
	tos_st(&t, AT + PG, 8, 4);                 /* written again: kept */
	EQ(tos_ld(&t, AT, 8), 1);                  /* no pressure yet */
	EQ(os_reclaim(t.os, 1000) >= 0, 1);        /* no swap: only these go */
	EQ(os_madvise(t.os, AT, 3 * PG, MADV_PAGEOUT), 0);
	EQ(tos_ld(&t, AT, 8), 0);
	EQ(tos_ld(&t, AT + PG, 8), 4);
	EQ(tos_ld(&t, AT + 2 * PG, 8), 0);         /* droppable: gone */
	EQ(os_mprotect(t.os, AT + PG, PG, PROT_READ), 0);
	tos_st(&t, AT + PG - 8, 8, 0x1111111111111111ull);
	int sig = 0;

	EQ(os_access(t.os, MMU_STORE, AT + PG - 4, 8, ~0ull, NULL, &sig), 0);
	EQ(sig, SIGSEGV);
	EQ(tos_ld(&t, AT + PG - 8, 8), 0x1111111111111111ull); /* nothing written */
	tos_check(&t);
	printf("MADV_FREE lazy, MAP_DROPPABLE dropped, split stores all or nothing\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mremap_moves),
		cmocka_unit_test(mlock_reclaim),
		cmocka_unit_test(files),
		cmocka_unit_test(lazy_and_split),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_calls: %u checks\n", tos_checks);
	return rc;
}
