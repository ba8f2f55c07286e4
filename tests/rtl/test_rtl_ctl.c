/* SPDX-License-Identifier: MIT */
/*
 * The RTL's control registers against the golden model, in lockstep
 * through machine_open("lockstep"): the reset state in IA-32e mode, the
 * enabling bits accepted and required, every refused combination and the
 * malformed calls (tests/golden/ctl_cases.c), each result and the
 * registers after it compared by lockstep.  Also: with the RTL linked,
 * "lockstep" compares golden vs rtl and every report says so.
 */
#include "../golden/ctl_cases.h"
#include "../../sim/rtl_backend.h"
#include "../../sw/backend/backend.h"
#include "../../sw/lockstep/lockstep.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static struct machine *open_lockstep(const char *cfg_name,
				     const struct backend_opts *o)
{
	struct mmu_config c;
	struct machine *m;
	char err[512];

	assert_int_equal(mmu_config_load(cfg_name, &c, err, sizeof(err)), 0);
	if (machine_open("lockstep", &c, 0, o, &m, err, sizeof(err)))
		fail_msg("machine_open(lockstep): %s", err);
	assert_true(lockstep_is(m));
	assert_memory_equal(lockstep_dut(m)->ops->name, "rtl", 3);
	return m;
}

static void run_on(const char *cfg_name)
{
	struct machine *m = open_lockstep(cfg_name, NULL);
	struct lockstep_stats st;
	unsigned n = ctl_cases_run(m);

	assert_int_equal(lockstep_check_counters(m), 0);
	lockstep_stats(m, &st);
	assert_int_equal(st.mismatches, 0);
	assert_true(st.ctls >= (n > 10 ? 35 : 4));  /* the table, then more */
	printf("rtl ctl (%s): golden vs rtl agree on %u cases (%llu control "
	       "operations compared)\n", cfg_name, n,
	       (unsigned long long)st.ctls);
	machine_destroy(m);
}

static void test_ctl_x86(void **state)
{
	(void)state;
	run_on("x86");
}

static void test_ctl_csapp(void **state)
{
	(void)state;
	run_on("csapp");
}

/* Lockstep names both sides: the table's entry and every report. */
static void test_reports_name_both(void **state)
{
	struct backend_opts o = { .inject_access = 1 };
	struct machine *m = open_lockstep("x86", &o);
	struct mmu_req r = { .va = 0x1000, .op = MMU_LOAD, .size = 8 };
	struct mmu_outcome out;
	char desc[32], rep[1024];

	(void)state;
	assert_string_equal(backend_lockstep_dut(), "rtl");
	assert_string_equal(backend_describe("lockstep", desc, sizeof(desc)),
			    "golden=rtl");
	assert_int_equal(machine_access(m, &r, &out), MMU_EBACKEND);
	assert_non_null(strstr(m->err, "golden vs rtl+injected"));
	lockstep_mismatch_format(lockstep_mismatch(m), rep, sizeof(rep));
	assert_non_null(strstr(rep, "golden vs rtl+injected: rdata differs"));
	printf("rtl ctl: %s\n", m->err);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl_x86),
		cmocka_unit_test(test_ctl_csapp),
		cmocka_unit_test(test_reports_name_both),
	};

	assert_int_equal(rtl_backend_register(), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
