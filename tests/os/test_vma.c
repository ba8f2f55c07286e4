/* SPDX-License-Identifier: MIT */
/*
 * VMA operations of the OS against Linux: the errno of every bad argument
 * of mmap, munmap, mprotect, madvise and msync (the values were taken from
 * Linux 6.18 as an unprivileged process, in the same order of checks);
 * top-down placement below mmap_base, hints, 2 MiB alignment of large
 * anonymous mappings; splits and re-merges by munmap/mprotect seen through
 * /proc/PID/maps (text compared with what Linux prints); brk and [heap];
 * the VMA set refusing an overlapping or empty area (a kernel bug) with
 * -EUCLEAN and a message, the set left sorted.
 */
#define _GNU_SOURCE
#include "osutil.h"
#include "../../sw/golden/golden.h"
#include "../../sw/os/os_int.h"

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
#define BASE 0x7ffff7fff000ull /* mmap_base: TASK_SIZE - 128 MiB */
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

struct mcase {
	const char *what;
	uint64_t addr, len;
	int prot, flags, fd;
	uint64_t off;
	int64_t want; /* errno (< 0) or 1 = success */
};

static void mmap_errnos(void **state)
{
	struct tos t;
	int ro, wo, rw, dir;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 8192, 1);
	ro = os_open(t.os, "f", O_RDONLY, 0);
	wo = os_open(t.os, "f", O_WRONLY, 0);
	rw = os_open(t.os, "f", O_RDWR, 0);
	dir = os_open(t.os, ".", O_RDONLY, 0);
	EQ(ro, 3);
	EQ(wo, 4);
	OK(rw > 0 && dir > 0);
	int64_t p = os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);
	EQ(p, (int64_t)(BASE - 2 * PG));
	const struct mcase c[] = {
		{ "len 0", 0, 0, 3, A, -1, 0, -EINVAL },
		{ "no type", 0, PG, 3, MAP_ANONYMOUS, -1, 0, -EINVAL },
		{ "anon SHARED|PRIVATE", 0, PG, 3, A | MAP_SHARED, -1, 0, -EINVAL },
		{ "anon type 4", 0, PG, 3, MAP_ANONYMOUS | 4, -1, 0, -EINVAL },
		{ "offset not aligned", 0, PG, 3, A, -1, 1, -EINVAL },
		{ "anon offset ignored", 0, PG, 3, A, -1, PG, 1 },
		{ "FIXED unaligned", 0x10001, PG, 3, A | MAP_FIXED, -1, 0, -EINVAL },
		{ "FIXED at 0", 0, PG, 3, A | MAP_FIXED, -1, 0, -EPERM },
		{ "FIXED below mmap_min", 0x1000, PG, 3, A | MAP_FIXED, -1, 0, -EPERM },
		{ "FIXED at TASK_SIZE", 0x7ffffffff000, PG, 3, A | MAP_FIXED, -1, 0, -ENOMEM },
		{ "FIXED past TASK_SIZE", 0x7fffffffe000, 2 * PG, 3, A | MAP_FIXED, -1, 0, -ENOMEM },
		{ "FIXED non-canonical", 1ull << 47, PG, 3, A | MAP_FIXED, -1, 0, -ENOMEM },
		{ "len -1", 0, ~0ull, 3, A, -1, 0, -ENOMEM },
		{ "len 2^47", 0, 1ull << 47, 3, A, -1, 0, -ENOMEM },
		{ "file fd -1", 0, PG, 3, MAP_PRIVATE, -1, 0, -EBADF },
		{ "file fd 99", 0, PG, 3, MAP_PRIVATE, 99, 0, -EBADF },
		{ "bad fd before len 0", 0, 0, 3, MAP_PRIVATE, 99, 0, -EBADF },
		{ "directory", 0, PG, 3, MAP_PRIVATE, dir, 0, -ENODEV },
		{ "RO fd, SHARED write", 0, PG, 3, MAP_SHARED, ro, 0, -EACCES },
		{ "RO fd, SHARED read", 0, PG, 1, MAP_SHARED, ro, 0, 1 },
		{ "RO fd, PRIVATE write", 0, PG, 3, MAP_PRIVATE, ro, 0, 1 },
		{ "WO fd, PRIVATE read", 0, PG, 1, MAP_PRIVATE, wo, 0, -EACCES },
		{ "WO fd, SHARED write", 0, PG, 2, MAP_SHARED, wo, 0, -EACCES },
		{ "file SHARED|PRIVATE (validate)", 0, PG, 1, MAP_SHARED_VALIDATE, rw, 0, 1 },
		{ "validate: unknown flag", 0, PG, 1, MAP_SHARED_VALIDATE | 0x200, rw, 0, -EOPNOTSUPP },
		{ "validate: MAP_SYNC", 0, PG, 1, MAP_SHARED_VALIDATE | 0x80000, rw, 0, -EOPNOTSUPP },
		{ "SHARED: unknown flag ignored", 0, PG, 1, MAP_SHARED | 0x200, rw, 0, 1 },
		{ "file GROWSDOWN", 0, PG, 1, MAP_PRIVATE | MAP_GROWSDOWN, rw, 0, -EINVAL },
		{ "anon SHARED GROWSDOWN", 0, PG, 3, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0, -EINVAL },
		{ "file offset overflow", 0, PG, 1, MAP_PRIVATE, ro, 0x7ffffffffffff000ull, -EOVERFLOW },
		{ "anon huge offset", 0, 2 * PG, 1, A, -1, 0xfffffffffffff000ull, 1 },
		{ "NOREPLACE on a mapping", (uint64_t)p, PG, 3, A | MAP_FIXED_NOREPLACE, -1, 0, -EEXIST },
		{ "NOREPLACE unaligned", (uint64_t)p + 1, PG, 3, A | MAP_FIXED_NOREPLACE, -1, 0, -EINVAL },
		{ "NOREPLACE at 0", 0, PG, 3, A | MAP_FIXED_NOREPLACE, -1, 0, -EPERM },
		{ "HUGETLB anon", 0, 2 << 20, 3, A | MAP_HUGETLB, -1, 0, -ENOMEM },
		{ "HUGETLB file", 0, 2 << 20, 1, MAP_PRIVATE | MAP_HUGETLB, ro, 0, -EINVAL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int64_t r = os_mmap(t.os, c[i].addr, c[i].len, c[i].prot,
				    c[i].flags, c[i].fd, c[i].off);

		if (c[i].want == 1 ? r < 0 : r != c[i].want)
			fail_msg("mmap %s: got %lld want %lld", c[i].what,
				 (long long)r, (long long)c[i].want);
		tos_checks++;
		tos_check(&t);
	}
	printf("mmap: %zu argument cases give Linux's errno\n",
	       sizeof(c) / sizeof(c[0]));
	tos_halt(&t);
}

static void placement(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	/* Top-down from mmap_base; an unaligned hint rounds down; a hint
	 * below mmap_min_addr rounds up to it; a taken hint is ignored. */
	EQ(os_mmap(t.os, 0, PG, 3, A, -1, 0), (int64_t)(BASE - PG));
	EQ(os_mmap(t.os, 0x10001, PG, 3, A, -1, 0), 0x10000);
	EQ(os_mmap(t.os, 0x2000, PG, 3, A, -1, 0), (int64_t)(BASE - 2 * PG));
	EQ(os_mmap(t.os, 0x800, PG, 3, A, -1, 0), (int64_t)(BASE - 3 * PG));
	EQ(os_mmap(t.os, 0x7ffffffff000, PG, 3, A, -1, 0),
	   (int64_t)(BASE - 4 * PG));
	EQ(os_mmap(t.os, 0x555555554000, PG, 3, A, -1, 0), 0x555555554000);
	/* Linux 6.18: multiples of 2 MiB go on a 2 MiB boundary; others
	 * right below the lowest mapping (checked on a host kernel). */
	EQ(os_mmap(t.os, 0, 2 << 20, 3, A, -1, 0), 0x7ffff7c00000);
	EQ(os_mmap(t.os, 0, 3 << 20, 3, A, -1, 0), 0x7ffff7900000);
	EQ(os_mmap(t.os, 0, 4 << 20, 3, A, -1, 0), 0x7ffff7400000);
	EQ(os_mmap(t.os, 0, (2 << 20) + PG, 3, A, -1, 0), 0x7ffff71ff000);
	/* Shared anonymous memory is not aligned (shmem, huge=never). */
	EQ(os_mmap(t.os, 0, 4 << 20, 3, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
	   0x7ffff6dff000);
	/* MAP_32BIT: bottom-up from 1 GiB. */
	EQ(os_mmap(t.os, 0, PG, 3, A | MAP_32BIT, -1, 0), 0x40000000);
	EQ(os_mmap(t.os, 0, 2 * PG, 3, A | MAP_32BIT, -1, 0), 0x40001000);
	/* MAP_STACK (VM_NOHUGEPAGE) does not merge with a plain area;
	 * MADV_NOHUGEPAGE makes the next one mergeable with it (Linux 6.18
	 * prints the same). */
	const uint64_t x = 0x300000000ull;
	EQ(os_mmap(t.os, x, PG, 3, A | MAP_FIXED, -1, 0), (int64_t)x);
	EQ(os_mmap(t.os, x + PG, PG, 3, A | MAP_FIXED | MAP_STACK, -1, 0),
	   (int64_t)(x + PG));
	EQ(os_mmap(t.os, x + 2 * PG, PG, 3, A | MAP_FIXED, -1, 0),
	   (int64_t)(x + 2 * PG));
	EQ(os_madvise(t.os, x + 2 * PG, PG, MADV_NOHUGEPAGE), 0);
	char m[2048];
	os_maps(t.os, os_current(t.os), m, sizeof(m));
	OK(strstr(m, "40000000-40003000 rw-p 00000000 00:00 0 \n"
		     "300000000-300001000 rw-p 00000000 00:00 0 \n"
		     "300001000-300003000 rw-p 00000000 00:00 0 \n") != NULL);
	printf("placement: top-down, hints, THP alignment, MAP_32BIT as "
	       "Linux 6.18\n");
	tos_halt(&t);
}

static void maps_of(struct tos *t, char *buf, size_t len)
{
	int n = os_maps(t->os, os_current(t->os), buf, len);

	assert_true(n >= 0 && (size_t)n < len);
}

static void expect_maps(struct tos *t, const char *want)
{
	char got[4096];

	maps_of(t, got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("maps:\n%s\nwant:\n%s", got, want);
	tos_checks++;
}

static void split_merge(void **state)
{
	struct tos t;
	const uint64_t p = BASE - 4 * PG;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	EQ(os_mmap(t.os, 0, 4 * PG, 3, A, -1, 0), (int64_t)p);
	expect_maps(&t, "7ffff7ffb000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	/* mprotect splits ... */
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ), 0);
	expect_maps(&t,
		    "7ffff7ffb000-7ffff7ffc000 rw-p 00000000 00:00 0 \n"
		    "7ffff7ffc000-7ffff7ffd000 r--p 00000000 00:00 0 \n"
		    "7ffff7ffd000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	/* ... and re-merges (no anonymous page yet). */
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ | PROT_WRITE), 0);
	expect_maps(&t, "7ffff7ffb000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	/* Touched before the split: the pieces share one anon_vma and
	 * re-merge.  Touched after it: the two ends get different ones, and
	 * the middle merges with the lower end only (Linux 6.18 does the
	 * same, checked on a host kernel). */
	tos_st(&t, p, 8, 1);
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ), 0);
	tos_st(&t, p + 3 * PG, 8, 2);
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ | PROT_WRITE), 0);
	expect_maps(&t, "7ffff7ffb000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	EQ(os_munmap(t.os, p, 4 * PG), 0);
	EQ(os_mmap(t.os, p, 4 * PG, 3, A | MAP_FIXED, -1, 0), (int64_t)p);
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ), 0);
	tos_st(&t, p, 8, 1);
	tos_st(&t, p + 3 * PG, 8, 2);
	EQ(os_mprotect(t.os, p + PG, PG, PROT_READ | PROT_WRITE), 0);
	expect_maps(&t,
		    "7ffff7ffb000-7ffff7ffd000 rw-p 00000000 00:00 0 \n"
		    "7ffff7ffd000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	EQ(os_mprotect(t.os, p, 4 * PG, PROT_NONE), 0);
	expect_maps(&t,
		    "7ffff7ffb000-7ffff7ffd000 ---p 00000000 00:00 0 \n"
		    "7ffff7ffd000-7ffff7fff000 ---p 00000000 00:00 0 \n");
	EQ(tos_sig(&t, MMU_LOAD, p), SIGSEGV);
	EQ(os_mprotect(t.os, p, 4 * PG, PROT_READ), 0);
	EQ(tos_ld(&t, p, 8), 1); /* the data survived PROT_NONE */
	EQ(tos_sig(&t, MMU_STORE, p), SIGSEGV);
	EQ(os_mprotect(t.os, p, 4 * PG, PROT_READ | PROT_WRITE), 0);
	/* munmap splits; a mapping in the hole merges with both sides
	 * when they share an anon_vma. */
	EQ(os_munmap(t.os, p, 4 * PG), 0);
	EQ(os_mmap(t.os, p, 4 * PG, 3, A | MAP_FIXED, -1, 0), (int64_t)p);
	tos_st(&t, p, 8, 1);
	tos_st(&t, p + 3 * PG, 8, 2);
	EQ(os_munmap(t.os, p + PG, PG), 0);
	expect_maps(&t,
		    "7ffff7ffb000-7ffff7ffc000 rw-p 00000000 00:00 0 \n"
		    "7ffff7ffd000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	EQ(tos_sig(&t, MMU_LOAD, p + PG), SIGSEGV);
	EQ(tos_ld(&t, p + 3 * PG, 8), 2);
	EQ(os_mmap(t.os, p + PG, PG, 3, A | MAP_FIXED, -1, 0), (int64_t)(p + PG));
	expect_maps(&t, "7ffff7ffb000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	EQ(tos_ld(&t, p + PG, 8), 0);
	/* mprotect over a hole: changes up to it, then ENOMEM. */
	EQ(os_munmap(t.os, p + 2 * PG, PG), 0);
	EQ(os_mprotect(t.os, p, 4 * PG, PROT_READ), -ENOMEM);
	expect_maps(&t,
		    "7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0 \n"
		    "7ffff7ffe000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
	/* MAP_FIXED over existing pages replaces them. */
	EQ(os_mmap(t.os, p, PG, 3, A | MAP_FIXED, -1, 0), (int64_t)p);
	EQ(tos_ld(&t, p, 8), 0);
	printf("split/merge: mprotect/munmap/mmap splits and re-merges as in "
	       "/proc/PID/maps\n");
	tos_halt(&t);
}

static void call_errnos(void **state)
{
	struct tos t;
	int ro;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 8192, 1);
	ro = os_open(t.os, "f", O_RDONLY, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 4 * PG, 3, A, -1, 0);
	uint64_t q = (uint64_t)os_mmap(t.os, 0, PG, PROT_READ, MAP_SHARED, ro, 0);
	uint64_t r = (uint64_t)os_mmap(t.os, 0, PG, PROT_READ, MAP_PRIVATE, ro, 0);
	const uint64_t hole = 0x10000, big = 1ull << 47;
	unsigned n = 0;
#define E(what, call, want)                                                    \
	do {                                                                   \
		int r_ = (call);                                               \
		if (r_ != (want))                                              \
			fail_msg("%s: got %d want %d", what, r_, want);        \
		n++;                                                           \
		tos_checks++;                                                  \
	} while (0)
	E("munmap len 0", os_munmap(t.os, p, 0), -EINVAL);
	E("munmap unaligned", os_munmap(t.os, p + 1, PG), -EINVAL);
	E("munmap at TASK_SIZE", os_munmap(t.os, 0x7ffffffff000, PG), -EINVAL);
	E("munmap past TASK_SIZE", os_munmap(t.os, 0x7ffffffff000, 2 * PG), -EINVAL);
	E("munmap non-canonical", os_munmap(t.os, big, PG), -EINVAL);
	E("munmap unmapped", os_munmap(t.os, hole, PG), 0);
	E("munmap at 0", os_munmap(t.os, 0, PG), 0);
	E("mprotect len 0", os_mprotect(t.os, p, 0, 1), 0);
	E("mprotect unaligned", os_mprotect(t.os, p + 1, PG, 1), -EINVAL);
	E("mprotect bad prot", os_mprotect(t.os, p, PG, 0x10), -EINVAL);
	E("mprotect PROT_SEM", os_mprotect(t.os, p, PG, 8), 0);
	E("mprotect GROWSDOWN", os_mprotect(t.os, p, PG, PROT_GROWSDOWN), -EINVAL);
	E("mprotect GROWSDOWN|UP", os_mprotect(t.os, p, PG, PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	E("mprotect unmapped", os_mprotect(t.os, hole, PG, 1), -ENOMEM);
	E("mprotect wraps", os_mprotect(t.os, p, -PG, 1), -ENOMEM);
	E("mprotect len 1", os_mprotect(t.os, p, 1, 3), 0);
	E("mprotect non-canonical", os_mprotect(t.os, big, PG, 1), -ENOMEM);
	E("mprotect RO shared file W", os_mprotect(t.os, q, PG, 3), -EACCES);
	E("mprotect RO shared file X", os_mprotect(t.os, q, PG, 5), 0);
	E("mprotect RO private file W", os_mprotect(t.os, r, PG, 3), 0);
	E("madvise len 0", os_madvise(t.os, p, 0, MADV_DONTNEED), 0);
	E("madvise unaligned", os_madvise(t.os, p + 1, PG, MADV_DONTNEED), -EINVAL);
	E("madvise bad advice", os_madvise(t.os, p, PG, 999), -EINVAL);
	E("madvise unmapped", os_madvise(t.os, hole, PG, MADV_WILLNEED), -ENOMEM);
	E("madvise wraps", os_madvise(t.os, p, -PG, MADV_DONTNEED), -EINVAL);
	E("madvise bad advice, unmapped", os_madvise(t.os, hole, PG, 999), -EINVAL);
	E("madvise non-canonical", os_madvise(t.os, big, PG, MADV_DONTNEED), -ENOMEM);
	E("madvise FREE on a file", os_madvise(t.os, r, PG, MADV_FREE), -EINVAL);
	E("msync len 0", os_msync(t.os, p, 0, MS_SYNC), 0);
	E("msync unaligned", os_msync(t.os, p + 1, PG, MS_SYNC), -EINVAL);
	E("msync SYNC|ASYNC", os_msync(t.os, p, PG, MS_SYNC | MS_ASYNC), -EINVAL);
	E("msync bad flag", os_msync(t.os, p, PG, 8), -EINVAL);
	E("msync flags 0", os_msync(t.os, p, PG, 0), 0);
	E("msync unmapped", os_msync(t.os, hole, PG, MS_ASYNC), -ENOMEM);
	E("msync wraps", os_msync(t.os, p, -PG, MS_SYNC), -ENOMEM);
	E("msync INVALIDATE", os_msync(t.os, p, PG, MS_INVALIDATE), 0);
	E("msync non-canonical", os_msync(t.os, big, PG, MS_SYNC), -ENOMEM);
	E("close bad fd", os_close(t.os, 77), -EBADF);
	EQ(os_munmap(t.os, p + PG, PG), 0);
	E("msync over a hole", os_msync(t.os, p, 3 * PG, MS_SYNC), -ENOMEM);
	E("MS_ASYNC stops at a hole", os_msync(t.os, p, 3 * PG, MS_ASYNC), -ENOMEM);
	E("madvise over a hole", os_madvise(t.os, p, 3 * PG, MADV_WILLNEED), -ENOMEM);
#undef E
	printf("munmap/mprotect/madvise/msync: %u argument cases give "
	       "Linux's errno\n", n);
	tos_halt(&t);
}

static void brk_heap(void **state)
{
	struct tos t;
	const uint64_t b = OS_SPAWN_BRK;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	EQ(os_brk(t.os, 0), (int64_t)b);
	EQ(os_brk(t.os, b - 1), (int64_t)b);       /* below start: refused */
	EQ(os_brk(t.os, b + 100), (int64_t)(b + 100));
	expect_maps(&t, "10000000-10001000 rw-p 00000000 00:00 0"
			"                                  [heap]\n");
	tos_st(&t, b + 0xff8, 8, 42);
	EQ(os_brk(t.os, b + 3 * PG), (int64_t)(b + 3 * PG));
	expect_maps(&t, "10000000-10003000 rw-p 00000000 00:00 0"
			"                                  [heap]\n");
	EQ(tos_ld(&t, b + 0xff8, 8), 42);
	EQ(os_brk(t.os, b + 10), (int64_t)(b + 10)); /* shrink */
	EQ(tos_sig(&t, MMU_LOAD, b + PG), SIGSEGV);
	/* Growth needs one free page below the next mapping. */
	EQ(os_mmap(t.os, b + 4 * PG, PG, 3, A | MAP_FIXED, -1, 0),
	   (int64_t)(b + 4 * PG));
	EQ(os_brk(t.os, b + 3 * PG), (int64_t)(b + 3 * PG));
	EQ(os_brk(t.os, b + 4 * PG), (int64_t)(b + 3 * PG)); /* refused */
	EQ(os_brk(t.os, 0), (int64_t)(b + 3 * PG));
	printf("brk: grows/shrinks [heap], refuses below start and into the "
	       "next mapping\n");
	tos_halt(&t);
}

static void insert_overlap(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	uint64_t a = (uint64_t)os_mmap(t.os, 0x10000000, 4 * PG, 3, A, -1, 0);
	struct mm *mm = t.os->cur->mm;
	size_t nv = mm->nv;
	const struct vma bad[] = {
		{ .start = a + PG, .end = a + 2 * PG },     /* inside */
		{ .start = a - PG, .end = a + PG },         /* over its start */
		{ .start = a + 3 * PG, .end = a + 5 * PG }, /* over its end */
		{ .start = a - PG, .end = a - PG },         /* empty */
		{ .start = a + 5 * PG, .end = a },          /* reversed */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vma v = bad[i];

		v.flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
		v.pgoff = v.start >> 12;
		EQ(k_vma_insert(t.os, mm, &v), -EUCLEAN);
		OK(strstr(os_strerror(t.os), "internal") != NULL);
		EQ(mm->nv, nv);
	}
	tos_check(&t);
	printf("k_vma_insert: %zu overlapping or empty areas refused with "
	       "-EUCLEAN, the set unchanged\n", sizeof(bad) / sizeof(bad[0]));
	tos_halt(&t);
}

static void refuses(void **state)
{
	struct mmu_config c;
	struct machine *m;
	struct os *os = NULL;
	char err[256];
	struct os_opts o = { .pcid_limit = 5000 };
	(void)state;

	assert_int_equal(mmu_config_load("csapp", &c, err, sizeof(err)), 0);
	assert_int_equal(golden_create(&c, 0, &m, err, sizeof(err)), 0);
	EQ(os_create(m, NULL, &os, err, sizeof(err)), -EINVAL);
	OK(strstr(err, "4 KiB pages") != NULL);
	machine_destroy(m);
	assert_int_equal(mmu_config_load("x86", &c, err, sizeof(err)), 0);
	assert_int_equal(golden_create(&c, 1 << 20, &m, err, sizeof(err)), 0);
	EQ(os_create(m, &o, &os, err, sizeof(err)), -EINVAL);
	OK(strstr(err, "pcid_limit") != NULL);
	machine_destroy(m);
	/* levels = 3 on x86 is a valid MMU (12 index bits, 32 KiB tables)
	 * but not one the OS can keep its tables for. */
	assert_int_equal(mmu_config_set(&c, "levels", "3", err, sizeof(err)), 0);
	assert_int_equal(golden_create(&c, 1 << 20, &m, err, sizeof(err)), 0);
	EQ(os_create(m, NULL, &os, err, sizeof(err)), -EINVAL);
	OK(strstr(err, "12 index bits") != NULL);
	machine_destroy(m);
	printf("os_create refuses csapp (64-byte pages), x86 with 3 levels "
	       "(tables larger than a frame) and bad options, with a "
	       "message\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses),
		cmocka_unit_test(mmap_errnos),
		cmocka_unit_test(placement),
		cmocka_unit_test(split_merge),
		cmocka_unit_test(call_errnos),
		cmocka_unit_test(brk_heap),
		cmocka_unit_test(insert_overlap),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_vma: %u checks\n", tos_checks);
	return rc;
}
