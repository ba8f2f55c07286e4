/* SPDX-License-Identifier: MIT */
/*
 * The page cache over real host files: a MAP_SHARED store is seen at once
 * by another process's mapping and by pread; it reaches the host file on
 * msync(MS_SYNC), munmap and exit (not before, not with MS_ASYNC); bytes
 * past EOF in the last page read as zero, stores there never reach the
 * file, which is never extended; pwrite is seen by mappings at once (also
 * by private ones until they copy); ftruncate shrinks (SIGBUS beyond) and
 * extends (zeros); O_TRUNC empties the cache; /proc/PID/maps names the
 * file with its device and inode.
 */
#define _GNU_SOURCE
#include "osutil.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#define PG 4096ull

static uint8_t host_byte(struct tos *t, const char *name, size_t off)
{
	static uint8_t buf[1 << 16];

	assert_true(tos_read_host(t, name, buf, sizeof(buf)) > off);
	return buf[off];
}

static void shared_visibility(void **state)
{
	struct tos t;
	int child;
	uint8_t b;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int a = tos_proc(&t);
	tos_file(&t, "f", 3 * PG, 5);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 3 * PG, 3, MAP_SHARED, fd, 0);

	EQ(os_fork(t.os, &child), 0);
	/* Another process mapping the file independently. */
	int other;
	EQ(os_spawn(t.os, &other), 0);
	EQ(os_switch(t.os, other), 0);
	int fd2 = os_open(t.os, "f", O_RDONLY, 0);
	uint64_t q = (uint64_t)os_mmap(t.os, 0, 3 * PG, PROT_READ, MAP_SHARED,
				       fd2, 0);
	EQ(tos_ld(&t, q + 100, 1), tos_pat(100, 5));
	EQ(os_switch(t.os, a), 0);
	tos_st(&t, p + 100, 1, 0xab);
	EQ(os_pread(t.os, fd, &b, 1, 100), 1);
	EQ(b, 0xab);                             /* read(2) sees it */
	EQ(os_switch(t.os, other), 0);
	EQ(tos_ld(&t, q + 100, 1), 0xab);        /* so does every mapping */
	EQ(os_switch(t.os, child), 0);
	EQ(tos_ld(&t, p + 100, 1), 0xab);
	EQ(host_byte(&t, "f", 100), tos_pat(100, 5)); /* not written yet */
	EQ(os_switch(t.os, a), 0);
	EQ(os_msync(t.os, p, 3 * PG, MS_ASYNC), 0);
	EQ(host_byte(&t, "f", 100), tos_pat(100, 5));
	EQ(os_msync(t.os, p, 3 * PG, MS_SYNC), 0);
	EQ(host_byte(&t, "f", 100), 0xab);
	/* munmap writes back. */
	tos_st(&t, p + PG + 1, 1, 0xcd);
	EQ(os_munmap(t.os, p, 3 * PG), 0);
	EQ(host_byte(&t, "f", PG + 1), 0xcd);
	/* exit writes back (the child's mapping). */
	EQ(os_switch(t.os, child), 0);
	tos_st(&t, p + 2 * PG + 2, 1, 0xef);
	EQ(os_exit(t.os, child), 0);
	EQ(host_byte(&t, "f", 2 * PG + 2), 0xef);
	tos_check(&t);
	char m[512], want[512];
	struct stat st;
	char path[256];
	snprintf(path, sizeof(path), "%s/f", t.dir);
	assert_int_equal(stat(path, &st), 0);
	EQ(os_maps(t.os, other, m, sizeof(m)) > 0, 1);
	int n = snprintf(want, sizeof(want), "%012llx-%012llx r--s 00000000 "
			 "%02x:%02x %llu", (unsigned long long)q,
			 (unsigned long long)(q + 3 * PG), major(st.st_dev),
			 minor(st.st_dev), (unsigned long long)st.st_ino);
	while (n < 73)
		want[n++] = ' ';
	snprintf(want + n, sizeof(want) - (size_t)n, "%s\n", path);
	EQ(strcmp(m, want), 0);
	printf("MAP_SHARED: visible at once to mappings and pread; on disk "
	       "after MS_SYNC, munmap, exit (not MS_ASYNC); maps line ok\n");
	tos_halt(&t);
}

static void eof_tail(void **state)
{
	struct tos t;
	uint8_t buf[8192];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 5000, 6);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, MAP_SHARED, fd, 0);

	EQ(tos_ld(&t, p + 5000, 8), 0);
	tos_st(&t, p + 6000, 8, 0x1111111111111111ull);
	tos_st(&t, p + 4990, 1, 0x77);
	EQ(os_msync(t.os, p, 2 * PG, MS_SYNC), 0);
	EQ(tos_read_host(&t, "f", buf, sizeof(buf)), 5000);
	EQ(buf[4990], 0x77);
	EQ(os_pread(t.os, fd, buf, 100, 4950), 50);  /* stops at EOF */
	EQ(os_pread(t.os, fd, buf, 100, 6000), 0);
	EQ(tos_ld(&t, p + 6000, 8), 0); /* zeroed at write-back (ext4) */
	tos_st(&t, p + 6000, 8, 0x1111111111111111ull);
	EQ(tos_ld(&t, p + 6000, 8), 0x1111111111111111ull); /* in memory */
	/* The file grows: the stale bytes must not appear in it. */
	EQ(os_ftruncate(t.os, fd, 7000), 0);
	EQ(tos_ld(&t, p + 6000, 8), 0);
	EQ(os_pread(t.os, fd, buf, 8, 6000), 8);
	EQ(buf[0] | buf[7], 0);
	EQ(os_munmap(t.os, p, 2 * PG), 0);
	EQ(tos_read_host(&t, "f", buf, sizeof(buf)), 7000);
	EQ(buf[6000], 0);
	tos_check(&t);
	printf("EOF: the tail of the last page reads zero, stores there "
	       "never reach the file, are zeroed at write-back (ext4) and do "
	       "not survive its growth\n");
	tos_halt(&t);
}

static void pwrite_truncate(void **state)
{
	struct tos t;
	uint8_t b = 0x42, buf[16];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 3 * PG, 7);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t s = (uint64_t)os_mmap(t.os, 0, 3 * PG, 3, MAP_SHARED, fd, 0);
	uint64_t pr = (uint64_t)os_mmap(t.os, 0, 3 * PG, 3, MAP_PRIVATE, fd, 0);

	EQ(tos_ld(&t, s + 10, 1), tos_pat(10, 7));
	EQ(tos_ld(&t, pr + PG + 10, 1), tos_pat(PG + 10, 7));
	EQ(os_pwrite(t.os, fd, &b, 1, 10), 1);
	EQ(tos_ld(&t, s + 10, 1), 0x42);     /* shared: at once */
	EQ(tos_ld(&t, pr + 10, 1), 0x42);    /* private, not yet copied */
	tos_st(&t, pr + PG + 10, 1, 0x99);   /* private copy of page 1 */
	EQ(os_pwrite(t.os, fd, &b, 1, PG + 11), 1);
	EQ(tos_ld(&t, pr + PG + 11, 1), tos_pat(PG + 11, 7)); /* copied */
	EQ(tos_ld(&t, s + PG + 11, 1), 0x42);
	EQ(host_byte(&t, "f", 10), 0x42);    /* write-through */
	/* Shrink to 1.5 pages: beyond it, SIGBUS in both mappings, private
	 * copies included; the partial page's tail is zeroed. */
	EQ(os_ftruncate(t.os, fd, PG + PG / 2), 0);
	EQ(tos_ld(&t, s + PG + PG / 2, 1), 0);
	EQ(tos_sig(&t, MMU_LOAD, s + 2 * PG), SIGBUS);
	EQ(tos_sig(&t, MMU_LOAD, pr + 2 * PG), SIGBUS);
	EQ(tos_ld(&t, pr + PG + 10, 1), 0x99); /* below EOF: kept */
	EQ(os_fsize(t.os, fd), (int64_t)(PG + PG / 2));
	/* Extend: zeros. */
	EQ(os_ftruncate(t.os, fd, 3 * PG), 0);
	EQ(tos_ld(&t, s + 2 * PG + 5, 1), 0);
	/* O_APPEND: pwrite appends whatever the offset (Linux). */
	int ap = os_open(t.os, "f", O_WRONLY | O_APPEND, 0);
	EQ(os_pwrite(t.os, ap, "xy", 2, 0), 2);
	EQ(os_fsize(t.os, fd), (int64_t)(3 * PG + 2));
	EQ(os_pread(t.os, fd, buf, 2, 3 * PG), 2);
	EQ(buf[0], 'x');
	EQ(os_pread(t.os, ap, buf, 1, 0), -EBADF);
	EQ(os_ftruncate(t.os, os_open(t.os, "f", O_RDONLY, 0), 0), -EINVAL);
	/* O_TRUNC through another descriptor empties the cache too. */
	int tr = os_open(t.os, "f", O_RDWR | O_TRUNC, 0);
	OK(tr > 0);
	EQ(tos_sig(&t, MMU_LOAD, s), SIGBUS);
	EQ(os_open(t.os, "nope", O_RDONLY, 0), -ENOENT);
	EQ(os_open(t.os, "f", O_RDWR | O_CREAT | O_EXCL, 0600), -EEXIST);
	tos_check(&t);
	printf("pwrite/ftruncate/O_TRUNC/O_APPEND: through the page cache, "
	       "SIGBUS past a shrunk EOF, zeros after growth\n");
	tos_halt(&t);
}

/* RLIMIT_FSIZE (os_opts.fsize_rlimit): a write or ftruncate that would
 * make a file larger fails with EFBIG and leaves it as it was. */
static void fsize_rlimit(void **state)
{
	struct os_opts o = { .fsize_rlimit = 2 * PG };
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, &o);
	tos_proc(&t);
	tos_file(&t, "f", PG, 9);
	int fd = os_open(t.os, "f", O_RDWR, 0);

	EQ(os_pwrite(t.os, fd, "ab", 2, 2 * PG - 2), 2);   /* up to the limit */
	EQ(os_pwrite(t.os, fd, "ab", 2, 2 * PG - 1), -EFBIG);
	EQ(os_fsize(t.os, fd), (int64_t)(2 * PG));
	EQ(os_ftruncate(t.os, fd, 2 * PG + 1), -EFBIG);
	EQ(os_ftruncate(t.os, fd, 2 * PG), 0);
	int ap = os_open(t.os, "f", O_WRONLY | O_APPEND, 0);
	EQ(os_pwrite(t.os, ap, "x", 1, 0), -EFBIG);        /* appends count too */
	EQ(os_fsize(t.os, fd), (int64_t)(2 * PG));
	tos_check(&t);
	printf("RLIMIT_FSIZE: EFBIG past the limit for pwrite, O_APPEND and ftruncate\n");
	tos_halt(&t);
}

static void fds_and_fork(void **state)
{
	struct tos t;
	int child;
	uint8_t b;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int parent = tos_proc(&t);
	tos_file(&t, "f", PG, 8);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	EQ(os_fork(t.os, &child), 0);
	EQ(os_close(t.os, fd), 0);
	EQ(os_pread(t.os, fd, &b, 1, 0), -EBADF);
	EQ(os_switch(t.os, child), 0);
	EQ(os_pread(t.os, fd, &b, 1, 0), 1);   /* the child's copy */
	EQ(b, tos_pat(0, 8));
	uint64_t p = (uint64_t)os_mmap(t.os, 0, PG, 3, MAP_SHARED, fd, 0);
	EQ(os_close(t.os, fd), 0);              /* the mapping keeps it */
	tos_st(&t, p, 1, 0x3c);
	EQ(os_exit(t.os, child), 0);
	EQ(host_byte(&t, "f", 0), 0x3c);
	EQ(os_switch(t.os, parent), 0);
	tos_check(&t);
	printf("descriptors: inherited by fork, a mapping outlives close\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_visibility),
		cmocka_unit_test(eof_tail),
		cmocka_unit_test(pwrite_truncate),
		cmocka_unit_test(fds_and_fork),
		cmocka_unit_test(fsize_rlimit),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_file: %u checks\n", tos_checks);
	return rc;
}
