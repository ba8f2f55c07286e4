/* SPDX-License-Identifier: MIT */
/*
 * Protection keys in the OS, as Linux gives them on a CPU with PKU:
 * pkey_alloc / pkey_free / pkey_mprotect and their errno, the calling
 * thread's PKRU (set by pkey_alloc, switched with the process, inherited
 * by fork), SIGSEGV with SEGV_PKUERR and si_pkey, execute-only memory
 * (PROT_EXEC alone: loads fault, fetches work) and the same calls with
 * no_pku (as "nopku": PROT_EXEC memory readable, pkey_alloc ENOSPC).
 */
#define _GNU_SOURCE
#include "osutil.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static void expect_pkuerr(struct tos *t, enum mmu_op op, uint64_t va, int key)
{
	struct os_siginfo si;

	EQ(tos_sig(t, op, va), SIGSEGV);
	os_last_signal(t->os, &si);
	EQ(si.code, SEGV_PKUERR);
	EQ(si.addr, va);
	EQ(si.pkey, key);
	tos_check(t);
}

static void alloc_and_free(void **state)
{
	struct tos t;
	int keys[15];

	(void)state;
	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	EQ(os_pkru(t.os), 0x55555554u);
	EQ(os_pkey_alloc(t.os, 1, 0), -EINVAL);            /* flags */
	EQ(os_pkey_alloc(t.os, 0, 4), -EINVAL);            /* rights */
	for (int i = 0; i < 15; i++) {
		keys[i] = os_pkey_alloc(t.os, 0, 0);
		EQ(keys[i], i + 1);                        /* lowest free */
	}
	EQ(os_pkey_alloc(t.os, 0, 0), -ENOSPC);
	EQ(os_pkru(t.os), 0);                              /* all opened */
	EQ(os_pkey_free(t.os, 16), -EINVAL);
	EQ(os_pkey_free(t.os, -1), -EINVAL);
	EQ(os_pkey_free(t.os, 7), 0);
	EQ(os_pkey_free(t.os, 7), -EINVAL);                /* not allocated */
	EQ(os_pkey_alloc(t.os, 0, OS_PKEY_DISABLE_WRITE), 7);
	EQ(os_pkey_get(t.os, 7), OS_PKEY_DISABLE_WRITE);
	EQ(os_pkey_set(t.os, 7, 4), -EINVAL);
	EQ(os_pkey_set(t.os, 16, 0), -EINVAL);
	/* Key 0 is allocated from the start: Linux lets it be freed. */
	EQ(os_pkey_free(t.os, 0), 0);
	EQ(os_pkey_alloc(t.os, 0, 0), 0);
	printf("pkeys: pkey_alloc EINVAL/ENOSPC, lowest free key, pkey_free "
	       "EINVAL for a free key, key 0 pre-allocated\n");
	tos_halt(&t);
}

static void key_rights(void **state)
{
	struct tos t;
	uint64_t p;
	int k, sig = 0;

	(void)state;
	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	p = (uint64_t)os_mmap(t.os, 0, 4 * PG, RW, A, -1, 0);
	tos_st(&t, p, 8, 0x1111);
	EQ(os_pkey_mprotect(t.os, p, PG, RW, 3), -EINVAL); /* not allocated */
	k = os_pkey_alloc(t.os, 0, OS_PKEY_DISABLE_WRITE);
	EQ(k, 1);
	EQ(os_pkey_mprotect(t.os, p, PG, RW, k), 0);
	EQ(tos_ld(&t, p, 8), 0x1111);                      /* TLB had it */
	expect_pkuerr(&t, MMU_STORE, p, k);
	tos_st(&t, p + PG, 8, 2);                          /* other key */
	EQ(os_pkey_set(t.os, k, 0), 0);
	tos_st(&t, p, 8, 0x2222);
	EQ(os_pkey_set(t.os, k, OS_PKEY_DISABLE_ACCESS), 0);
	expect_pkuerr(&t, MMU_LOAD, p, k);
	/* The kernel's own accesses to the page honour PKRU too. */
	EQ(os_kaccess(t.os, MMU_LOAD, p, 8, 0, NULL, &sig), 0);
	EQ(sig, SIGSEGV);
	/* A page never touched: PKRU is checked before it is filled. */
	EQ(os_pkey_mprotect(t.os, p + 3 * PG, PG, RW, k), 0);
	expect_pkuerr(&t, MMU_LOAD, p + 3 * PG, k);
	/* Fork: the child inherits PKRU; its change stays its own. */
	{
		int parent = os_current(t.os), child;

		EQ(os_fork(t.os, &child), 0);
		EQ(os_switch(t.os, child), 0);
		EQ(os_pkey_get(t.os, k), OS_PKEY_DISABLE_ACCESS);
		expect_pkuerr(&t, MMU_LOAD, p, k);
		EQ(os_pkey_set(t.os, k, 0), 0);
		EQ(tos_ld(&t, p, 8), 0x2222);
		EQ(os_switch(t.os, parent), 0);
		expect_pkuerr(&t, MMU_LOAD, p, k);
		EQ(os_switch(t.os, child), 0);
		EQ(tos_ld(&t, p, 8), 0x2222);
		EQ(os_exit(t.os, child), 0);
		EQ(os_switch(t.os, parent), 0);
	}
	/* Plain mprotect keeps the key; the key splits the VMA. */
	EQ(os_mprotect(t.os, p, PG, PROT_READ), 0);
	expect_pkuerr(&t, MMU_LOAD, p, k);
	printf("pkeys: pkey_mprotect, AD/WD through PKRU with SEGV_PKUERR and "
	       "si_pkey, no flush needed, kernel accesses, fork inherits PKRU\n");
	tos_halt(&t);
}

static void exec_only(void **state)
{
	struct tos t;
	uint64_t p, q;
	int sig = 0;

	(void)state;
	tos_boot(&t, "golden", "x86", 0, NULL);
	tos_proc(&t);
	p = (uint64_t)os_mmap(t.os, 0, 2 * PG, PROT_EXEC, A, -1, 0);
	/* The execute-only key is the first free one: 1, access-disabled. */
	EQ(os_pkey_get(t.os, 1), OS_PKEY_DISABLE_ACCESS);
	expect_pkuerr(&t, MMU_LOAD, p, 1);
	EQ(os_access(t.os, MMU_FETCH, p, 8, 0, NULL, &sig), 0);
	EQ(sig, 0);
	/* Not a key users may name; pkey_alloc skips it. */
	EQ(os_pkey_free(t.os, 1), -EINVAL);
	EQ(os_pkey_mprotect(t.os, p, PG, PROT_EXEC, 1), -EINVAL);
	EQ(os_pkey_alloc(t.os, 0, 0), 2);
	/* mprotect to PROT_EXEC: the same key; away from it: key 0. */
	q = (uint64_t)os_mmap(t.os, 0, PG, RW, A, -1, 0);
	tos_st(&t, q, 8, 0x77);
	EQ(os_mprotect(t.os, q, PG, PROT_EXEC), 0);
	expect_pkuerr(&t, MMU_LOAD, q, 1);
	EQ(os_mprotect(t.os, q, PG, PROT_READ | PROT_EXEC), 0);
	EQ(tos_ld(&t, q, 8), 0x77);
	EQ(os_mprotect(t.os, p, PG, PROT_READ), 0);
	EQ(tos_ld(&t, p, 8), 0);
	printf("pkeys: PROT_EXEC-only memory takes the execute-only key: loads "
	       "SEGV_PKUERR, fetches work; mprotect moves areas on and off it\n");
	tos_halt(&t);
}

static void no_pku(void **state)
{
	struct os_opts o = { .no_pku = true };
	struct machine *m;
	struct mmu_regs r;
	struct tos t;
	uint64_t p;

	(void)state;
	tos_boot(&t, "golden", "x86", 0, &o);
	tos_proc(&t);
	m = os_machine(t.os);
	machine_regs(m, &r);
	EQ((r.cr4 & CR4_PKE) != 0, 0);
	/* Linux without OSPKE: key 0 is free, cannot be given rights, and
	 * is not given back. */
	EQ(os_pkey_alloc(t.os, 0, 0), -EINVAL);
	EQ(os_pkey_alloc(t.os, 0, 0), -ENOSPC);
	EQ(os_pkey_free(t.os, 0), -EINVAL);
	EQ(os_pkey_get(t.os, 0), -ENOSYS);
	p = (uint64_t)os_mmap(t.os, 0, PG, PROT_EXEC, A, -1, 0);
	EQ(tos_ld(&t, p, 8), 0);                           /* readable */
	EQ(os_pkey_mprotect(t.os, p, PG, PROT_READ, 0), -EINVAL);
	EQ(os_pkey_mprotect(t.os, p, PG, PROT_READ, -1), 0);
	printf("pkeys: no_pku: PROT_EXEC memory readable, pkey_alloc EINVAL "
	       "then ENOSPC, no key for pkey_mprotect but -1\n");
	tos_halt(&t);
}

/* The same story on the RTL, checked access by access in lockstep. */
static void lockstep(void **state)
{
	struct tos t;
	uint64_t p;
	int k;

	(void)state;
	tos_boot(&t, "lockstep-self", "x86", 0, NULL);
	tos_proc(&t);
	p = (uint64_t)os_mmap(t.os, 0, 2 * PG, PROT_EXEC, A, -1, 0);
	expect_pkuerr(&t, MMU_LOAD, p, 1);
	p = (uint64_t)os_mmap(t.os, 0, PG, RW, A, -1, 0);
	k = os_pkey_alloc(t.os, 0, OS_PKEY_DISABLE_WRITE);
	EQ(os_pkey_mprotect(t.os, p, PG, RW, k), 0);
	EQ(tos_ld(&t, p, 8), 0);
	expect_pkuerr(&t, MMU_STORE, p, k);
	EQ(os_pkey_set(t.os, k, 0), 0);
	tos_st(&t, p, 8, 5);
	printf("pkeys: the same in lockstep (golden vs golden through the "
	       "comparator)\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_and_free),
		cmocka_unit_test(key_rights),
		cmocka_unit_test(exec_only),
		cmocka_unit_test(no_pku),
		cmocka_unit_test(lockstep),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_pkeys: %u checks\n", tos_checks);
	return rc;
}
