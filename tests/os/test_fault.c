/* SPDX-License-Identifier: MIT */
/*
 * The page-fault handler: demand-zero (the shared zero page on reads, a
 * frame on writes), SIGSEGV with SEGV_MAPERR / SEGV_ACCERR as Linux
 * decides them (no VMA, write to read-only, PROT_NONE, fetch from a
 * non-executable page), #GP for non-canonical addresses, SIGBUS past the
 * end of a file, stack growth with the 256-page guard gap and
 * RLIMIT_STACK, private file pages copied on write, TLB invalidation after
 * munmap/mprotect (a stale entry would let the access through), accesses
 * split across pages, supervisor accesses under SMAP.
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

static void expect_sig(struct tos *t, enum mmu_op op, uint64_t va, int sig,
		       int code)
{
	struct os_siginfo si;

	EQ(tos_sig(t, op, va), sig);
	os_last_signal(t->os, &si);
	EQ(si.signo, sig);
	EQ(si.code, code);
	if (code != SI_KERNEL)
		EQ(si.addr, va);
	tos_check(t);
}

static void demand_zero(void **state)
{
	struct tos t;
	struct os_page_info pi;
	struct os_stats st;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 4 * PG, 3, A, -1, 0);

	EQ(tos_ld(&t, p + 8, 8), 0);
	EQ(os_page(t.os, pid, p, &pi), 0);
	OK(pi.present && pi.zero_page && !pi.writable && pi.nx && pi.user);
	EQ(tos_ld(&t, p + PG, 4), 0); /* a second zero-page mapping */
	tos_check(&t);
	tos_st(&t, p + 16, 8, 0x1122334455667788ull);
	EQ(os_page(t.os, pid, p, &pi), 0);
	OK(pi.present && !pi.zero_page && pi.writable && pi.dirty);
	EQ(pi.refcount, 1);
	EQ(tos_ld(&t, p + 16, 8), 0x1122334455667788ull);
	EQ(tos_ld(&t, p + 20, 4), 0x11223344);
	EQ(tos_ld(&t, p + 8, 8), 0);
	tos_st(&t, p + 2 * PG, 1, 7); /* write first: no zero page */
	os_stats(t.os, &st);
	EQ(st.zero_page_maps, 2);
	EQ(st.zero_fills, 2);
	EQ(st.minor_faults, 4);
	tos_check(&t);
	printf("demand zero: reads map the zero page read-only, writes get "
	       "a zeroed frame\n");
	tos_halt(&t);
}

static void segv_codes(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	uint64_t ro = (uint64_t)os_mmap(t.os, 0, PG, PROT_READ, A, -1, 0);
	uint64_t no = (uint64_t)os_mmap(t.os, 0, PG, PROT_NONE, A, -1, 0);
	uint64_t rw = (uint64_t)os_mmap(t.os, 0, PG, 3, A, -1, 0);
	uint64_t rx = (uint64_t)os_mmap(t.os, 0, PG, PROT_READ | PROT_EXEC, A,
					-1, 0);
	uint64_t wo = (uint64_t)os_mmap(t.os, 0, PG, PROT_WRITE, A, -1, 0);

	expect_sig(&t, MMU_LOAD, 0x1000, SIGSEGV, SEGV_MAPERR);
	expect_sig(&t, MMU_STORE, 0x7fff00000000, SIGSEGV, SEGV_MAPERR);
	expect_sig(&t, MMU_STORE, ro + 8, SIGSEGV, SEGV_ACCERR);
	EQ(tos_ld(&t, ro, 8), 0);
	expect_sig(&t, MMU_STORE, ro, SIGSEGV, SEGV_ACCERR); /* now present */
	expect_sig(&t, MMU_LOAD, no, SIGSEGV, SEGV_ACCERR);
	expect_sig(&t, MMU_FETCH, no, SIGSEGV, SEGV_ACCERR);
	/* A fetch from a readable, non-executable page: mapped NX by the
	 * first fault, refused by the second (x86 access_error). */
	expect_sig(&t, MMU_FETCH, rw, SIGSEGV, SEGV_ACCERR);
	tos_st(&t, rw, 1, 0x90);
	EQ(tos_sig(&t, MMU_FETCH, rx), 0);
	EQ(tos_sig(&t, MMU_STORE, wo), 0);  /* PROT_WRITE alone: x86 */
	EQ(tos_sig(&t, MMU_LOAD, wo), 0);   /* ... reads too */
	expect_sig(&t, MMU_LOAD, 0x800000000000ull, SIGSEGV, SI_KERNEL);
	expect_sig(&t, MMU_LOAD, 0xffff800000000000ull, SIGSEGV, SEGV_MAPERR);
	printf("SIGSEGV: MAPERR/ACCERR and #GP as Linux reports them\n");
	tos_halt(&t);
}

static void sigbus_eof(void **state)
{
	struct tos t;
	struct os_siginfo si;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 5000, 3);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 3 * PG, PROT_READ,
				       MAP_PRIVATE, fd, 0);

	EQ(tos_ld(&t, p + 4999, 1), tos_pat(4999, 3));
	EQ(tos_ld(&t, p + 5000, 1), 0);       /* past EOF, same page */
	EQ(tos_ld(&t, p + 2 * PG - 8, 8), 0);
	EQ(tos_sig(&t, MMU_LOAD, p + 2 * PG), SIGBUS);
	os_last_signal(t.os, &si);
	EQ(si.code, BUS_ADRERR);
	EQ(si.addr, p + 2 * PG);
	/* An offset wholly past EOF: SIGBUS at once. */
	uint64_t q = (uint64_t)os_mmap(t.os, 0, PG, PROT_READ, MAP_SHARED, fd,
				       4 * PG);
	EQ(tos_sig(&t, MMU_LOAD, q), SIGBUS);
	tos_check(&t);
	printf("SIGBUS: pages wholly past EOF; the rest of the last page "
	       "reads zero\n");
	tos_halt(&t);
}

static void stack_growth(void **state)
{
	struct tos t;
	struct os_stats st;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	const uint64_t top = 0x700000000000ull, s = top - 4 * PG;
	EQ(os_mmap(t.os, s, 4 * PG, 3, A | MAP_FIXED | MAP_GROWSDOWN, -1, 0),
	   (int64_t)s);
	tos_st(&t, s - 100 * PG, 8, 5); /* far below: grows */
	EQ(tos_ld(&t, s - 100 * PG, 8), 5);
	os_stats(t.os, &st);
	EQ(st.stack_expansions, 1);
	char m[256];
	os_maps(t.os, os_current(t.os), m, sizeof(m));
	EQ(strcmp(m, "6ffffff98000-700000000000 rw-p 00000000 00:00 0 \n"), 0);
	/* A mapping below: growth must keep 256 pages from it. */
	const uint64_t low = s - 100 * PG - 300 * PG;
	EQ(os_mmap(t.os, low - PG, PG, PROT_READ, A | MAP_FIXED, -1, 0),
	   (int64_t)(low - PG));
	EQ(tos_sig(&t, MMU_STORE, low + 255 * PG), SIGSEGV);
	EQ(tos_sig(&t, MMU_STORE, low + 256 * PG - 1), SIGSEGV);
	EQ(tos_sig(&t, MMU_STORE, low + 256 * PG), 0); /* gap exactly 256 */
	/* ... except from a PROT_NONE area (not accessible). */
	EQ(os_mprotect(t.os, low - PG, PG, PROT_NONE), 0);
	EQ(tos_sig(&t, MMU_STORE, low + 8 * PG), 0);
	/* mmap keeps the guard gap below a stack free: a hint in it is
	 * not taken. */
	EQ(os_munmap(t.os, low - PG, PG), 0);
	int64_t g = os_mmap(t.os, low + 6 * PG, PG, 3, A, -1, 0);
	OK(g > 0 && (uint64_t)g != low + 6 * PG);
	/* RLIMIT_STACK (8 MiB). */
	const uint64_t t2 = 0x600000000000ull;
	EQ(os_mmap(t.os, t2 - PG, PG, 3, A | MAP_FIXED | MAP_GROWSDOWN, -1, 0),
	   (int64_t)(t2 - PG));
	EQ(tos_sig(&t, MMU_STORE, t2 - (8ull << 20)), 0);
	EQ(tos_sig(&t, MMU_STORE, t2 - (8ull << 20) - 1), SIGSEGV);
	tos_check(&t);
	printf("stack: grows down on faults, stack_guard_gap and "
	       "RLIMIT_STACK enforced\n");
	tos_halt(&t);
}

static void private_file_cow(void **state)
{
	struct tos t;
	struct os_page_info pi;
	uint8_t host[8192];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	tos_file(&t, "f", 8192, 9);
	int fd = os_open(t.os, "f", O_RDONLY, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, MAP_PRIVATE, fd, 0);

	EQ(tos_ld(&t, p + 10, 1), tos_pat(10, 9));
	EQ(os_page(t.os, pid, p, &pi), 0);
	OK(pi.page_cache && !pi.writable);
	EQ(pi.refcount, 2); /* the cache + this PTE */
	tos_st(&t, p + 10, 1, 0xee);
	EQ(os_page(t.os, pid, p, &pi), 0);
	OK(!pi.page_cache && pi.writable);
	EQ(tos_ld(&t, p + 10, 1), 0xee);
	EQ(tos_ld(&t, p + 11, 1), tos_pat(11, 9));
	tos_st(&t, p + PG, 1, 0xdd); /* write first: copied at once */
	uint8_t b = 0;
	EQ(os_pread(t.os, fd, &b, 1, 10), 1);
	EQ(b, tos_pat(10, 9));
	EQ(os_munmap(t.os, p, 2 * PG), 0);
	EQ(tos_read_host(&t, "f", host, sizeof(host)), 8192);
	EQ(host[10], tos_pat(10, 9));
	EQ(host[PG], tos_pat(PG, 9));
	printf("private file mapping: read from the page cache, copied on "
	       "write, file untouched\n");
	tos_halt(&t);
}

static void tlb_invalidation(void **state)
{
	struct tos t;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);

	tos_st(&t, p, 8, 1);             /* TLB now holds a writable entry */
	EQ(os_mprotect(t.os, p, PG, PROT_READ), 0);
	EQ(tos_sig(&t, MMU_STORE, p), SIGSEGV);
	EQ(tos_ld(&t, p, 8), 1);
	EQ(os_munmap(t.os, p, PG), 0);
	EQ(tos_sig(&t, MMU_LOAD, p), SIGSEGV);
	tos_st(&t, p + PG, 8, 2);
	EQ(os_madvise(t.os, p + PG, PG, MADV_DONTNEED), 0);
	EQ(tos_ld(&t, p + PG, 8), 0);    /* a fresh zero page */
	tos_check(&t);
	printf("TLB: mprotect, munmap and MADV_DONTNEED take effect at "
	       "once\n");
	tos_halt(&t);
}

static void split_access(void **state)
{
	struct tos t;
	int sig;
	uint64_t v;
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, 2 * PG, 3, A, -1, 0);

	tos_st(&t, p + PG - 3, 8, 0x0807060504030201ull);
	EQ(tos_ld(&t, p + PG - 3, 8), 0x0807060504030201ull);
	EQ(tos_ld(&t, p + PG, 4), 0x07060504);
	EQ(os_munmap(t.os, p + PG, PG), 0);
	EQ(os_access(t.os, MMU_LOAD, p + PG - 2, 4, 0, &v, &sig), 0);
	EQ(sig, SIGSEGV);
	EQ(os_access(t.os, MMU_LOAD, p, 3, 0, &v, &sig), -EINVAL);
	/* Supervisor access to user memory (SMAP: AC set around it). */
	EQ(os_kaccess(t.os, MMU_LOAD, p + PG - 2, 2, 0, &v, &sig), 0);
	EQ(sig, 0);
	EQ(v, 0x0302);
	uint8_t buf[32], out[32];
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(i * 3);
	EQ(os_user_write(t.os, p + 5, buf, 32, &sig), 0);
	EQ(os_user_read(t.os, p + 5, out, 32, &sig), 0);
	EQ(memcmp(buf, out, 32), 0);
	tos_check(&t);
	printf("accesses: unaligned ones split bytewise across pages; "
	       "supervisor access with SMAP\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demand_zero),
		cmocka_unit_test(segv_codes),
		cmocka_unit_test(sigbus_eof),
		cmocka_unit_test(stack_growth),
		cmocka_unit_test(private_file_cow),
		cmocka_unit_test(tlb_invalidation),
		cmocka_unit_test(split_access),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_fault: %u checks\n", tos_checks);
	return rc;
}
