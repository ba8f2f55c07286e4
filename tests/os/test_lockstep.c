/* SPDX-License-Identifier: MIT */
/*
 * The OS through lockstep: every access, control operation and physical
 * access it makes is run on the reference and a second golden model and
 * compared (a mismatch would turn into -EIO here).  Unit tests link no RTL,
 * so they ask for "lockstep-self" by name ("lockstep-self" would be refused);
 * the OS on golden vs rtl runs in make test's scenario and regression
 * jobs.  A smaller set: the fork storm, swap pressure, a shared file
 * mapping, execve.
 */
#define _GNU_SOURCE
#include "osutil.h"
#include "workloads.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull

static void storm(void **state)
{
	(void)state;
	wl_storm("lockstep-self", "x86", NULL, 300);
	wl_storm("lockstep-self", "fpga", NULL, 150);
}

static void pressure(void **state)
{
	(void)state;
	wl_pressure("lockstep-self", 256 << 10, 150, 1500);
}

static void file_and_exec(void **state)
{
	struct tos t;
	int child;
	(void)state;

	tos_boot(&t, "lockstep-self", "x86", 0, NULL);
	tos_proc(&t);
	tos_file(&t, "f", 2 * PG, 1);
	int fd = os_open(t.os, "f", O_RDWR, 0);
	uint64_t p = (uint64_t)os_mmap(t.os, 0x400000000ull, 2 * PG, 3,
				       MAP_SHARED, fd, 0);
	tos_st(&t, p + 8, 8, 0x1234);
	EQ(os_fork(t.os, &child), 0);
	EQ(os_switch(t.os, child), 0);
	EQ(tos_ld(&t, p + 8, 8), 0x1234);
	EQ(os_execve(t.os, "/usr/bin/true"), 0);
	EQ(os_msync(t.os, p, PG, MS_SYNC), -ENOMEM); /* not mapped now */
	EQ(os_exit(t.os, child), 0);
	tos_check(&t);
	printf("lockstep-self (golden vs golden): shared file mapping, fork, "
	       "execve\n");
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(storm),
		cmocka_unit_test(pressure),
		cmocka_unit_test(file_and_exec),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_lockstep: %u checks\n", tos_checks);
	return rc;
}
