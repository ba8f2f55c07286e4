/* SPDX-License-Identifier: MIT */
/*
 * Control operations as the Intel SDM has them (sw/machine/machine.h): the
 * reset state in IA-32e mode, the enabling bits accepted and required,
 * every refused combination, and malformed calls kept apart from #GP.
 * The RTL runs the same table in lockstep (tests/rtl/test_rtl_ctl.c).
 */
#include "ctl_cases.h"
#include "ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

static void test_x86(void **state)
{
	struct machine *m = new_machine("x86", 0);

	(void)state;
	assert_true(ctl_cases_run(m) > 40);
	machine_destroy(m);
}

static void test_csapp(void **state)
{
	struct machine *m = new_machine("csapp", 0);

	(void)state;
	assert_int_equal(ctl_cases_run(m), 10);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86),
		cmocka_unit_test(test_csapp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
