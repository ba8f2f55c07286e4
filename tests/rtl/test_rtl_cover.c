/* SPDX-License-Identifier: MIT */
/*
 * Functional coverage of the events only the RTL back end sees: the AXI
 * bursts of fills and write-backs in each phase (a data access, a walk,
 * cache maintenance) and the cycles the DRAM model's back-pressure held
 * them, from the glue's view of every handshake; through lockstep the
 * replacement bins come from the reference, counted once.  The same
 * constructed calls as tests/cover (tests/cover/fills.c).
 */
#include "../../sim/rtl_backend.h"
#include "../cover/fills.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

static void run(const char *backend, unsigned bp, unsigned caps)
{
	struct cover_set *s;
	struct machine *m;
	char name[64];

	assert_int_equal(cover_new(&s), 0);
	m = fills_open(backend, s, bp);
	fills_run(m);
	machine_destroy(m);
	snprintf(name, sizeof(name), "%s, back-pressure %u%%", backend, bp);
	fills_check(s, caps, name);
	cover_free(s);
}

static void test_lockstep_backpressure(void **state)
{
	(void)state;
	run("lockstep", 50, MMU_EV_REPLACEMENT | MMU_EV_AXI | MMU_EV_AXI_STALLS);
}

static void test_rtl_alone(void **state)
{
	(void)state;
	run("rtl", 50, MMU_EV_AXI | MMU_EV_AXI_STALLS);
}

/* Without back-pressure no stall can happen: those bins are not defined. */
static void test_no_backpressure(void **state)
{
	(void)state;
	run("lockstep", 0, MMU_EV_REPLACEMENT | MMU_EV_AXI);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockstep_backpressure),
		cmocka_unit_test(test_rtl_alone),
		cmocka_unit_test(test_no_backpressure),
	};

	assert_int_equal(rtl_backend_register(), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
