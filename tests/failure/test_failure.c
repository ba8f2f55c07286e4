/* SPDX-License-Identifier: MIT */
/*
 * The one shrinker and the one failure report (sw/failure): ddmin over
 * items and a predicate finds exactly the items a failure needs, is
 * 1-minimal, honours its budget and refuses a start that does not fail;
 * the report has every part in its order (mismatch or check, where, step,
 * wave and cycle, log, re-run); signatures drop what moves; re-run
 * arguments are quoted for the shell.
 */
#include "../../sw/failure/failure.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Fails when every item of need[] is kept (order does not matter). */
struct need {
	const size_t *need;
	size_t n;
	unsigned calls;
};

static int needs_all(void *ctx, const bool *keep)
{
	struct need *x = ctx;

	x->calls++;
	for (size_t i = 0; i < x->n; i++)
		if (!keep[x->need[i]])
			return 0;
	return 1;
}

static int broken(void *ctx, const bool *keep)
{
	(void)ctx, (void)keep;
	return -7;
}

static void test_ddmin(void **state)
{
	static const size_t need[] = { 3, 17, 998 };
	struct need x = { need, 3, 0 };
	struct failure_ddmin_stats st;
	bool keep[1000];
	size_t kept = 0;

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		keep[i] = true;
	assert_int_equal(failure_ddmin(1000, needs_all, &x, keep, 0, &st), 0);
	for (size_t i = 0; i < 1000; i++)
		kept += keep[i];
	assert_int_equal(kept, 3);
	assert_true(keep[3] && keep[17] && keep[998]);
	assert_true(st.minimal);
	assert_int_equal(st.tests, x.calls);
	printf("ddmin: 1000 items, 3 needed: found exactly them in %u tests, "
	       "1-minimal\n", st.tests);

	/* a starting set: items outside it are never tried */
	for (size_t i = 0; i < 1000; i++)
		keep[i] = i < 500 || i == 998;
	assert_int_equal(failure_ddmin(1000, needs_all, &x, keep, 0, &st), 0);
	assert_true(keep[3] && keep[17] && keep[998] && !keep[600]);

	/* the budget stops it early with a set that still fails */
	for (size_t i = 0; i < 1000; i++)
		keep[i] = true;
	assert_int_equal(failure_ddmin(1000, needs_all, &x, keep, 5, &st), 0);
	assert_false(st.minimal);
	assert_int_equal(st.tests, 5);
	assert_int_equal(needs_all(&x, keep), 1);

	/* a start that does not fail, and a predicate's error */
	for (size_t i = 0; i < 1000; i++)
		keep[i] = i != 17;
	assert_int_equal(failure_ddmin(1000, needs_all, &x, keep, 0, &st),
			 FAILURE_ENOTFAIL);
	assert_int_equal(failure_ddmin(1000, broken, NULL, keep, 0, &st), -7);
	printf("ddmin: a starting set, a budget of 5 tests (not minimal, still "
	       "failing), a start that passes and a predicate error\n");
}

static void test_report(void **state)
{
	struct lockstep_mismatch mm = {
		.call = 151, .access = 100, .kind = LOCKSTEP_ACCESS,
		.field = "status", .request = "user load size 2 va 0x27f4",
		.ref = "#PF data=0", .dut = "ok data=0x1", .ref_value = 1,
		.dut_value = 0, .ref_name = "golden", .dut_name = "rtl",
		.wave = "/tmp/w.fst", .cycle = 1234, .wave_time = 2471 };
	struct failure f = { .kind = "scenario", .where = "a.scn:12",
			     .step = 7, .mm = &mm, .log = "a.log",
			     .rerun = "mmuos run a.scn --backend lockstep" };
	char buf[4096], sig[96];
	const char *order[] = { "lockstep mismatch at access 100 (call 151), "
				"golden vs rtl: status differs (ref #PF, dut ok)",
				"request:", "ref (golden):", "dut (rtl):",
				"scenario: a.scn:12\n", "step: 7\n",
				"wave: /tmp/w.fst (mismatch at cycle 1234, time "
				"2471 in the wave)\n", "log: a.log\n",
				"re-run: mmuos run a.scn --backend lockstep\n" };
	const char *at = buf;

	(void)state;
	failure_format(&f, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(at, order[i]);

		assert_non_null(p);
		at = p + strlen(order[i]);
	}
	/* without a wave: the cycle alone; a check failure: its line */
	mm.wave[0] = 0;
	failure_format(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "cycle: 1234 (the mismatch's"));
	f.mm = NULL;
	snprintf(f.what, sizeof(f.what), "12: load 8 0x1000 = SIGSEGV FAIL "
		 "(expected 0x5)");
	snprintf(f.wave, sizeof(f.wave), "/nonexistent/x.fst");
	failure_format(&f, buf, sizeof(buf));
	assert_true(!strncmp(buf, "12: load 8 0x1000 = SIGSEGV FAIL", 32));
	assert_null(strstr(buf, "wave:"));  /* a file that is not there */
	/* cut to the buffer, but the length it needed */
	assert_true(failure_format(&f, buf, 16) > 16);
	assert_int_equal(strlen(buf), 15);

	failure_sig(&mm, "scenario", "x", sig, sizeof(sig));
	assert_string_equal(sig, "mismatch status");
	snprintf(mm.field, sizeof(mm.field), "byte at pa 0x3077");
	failure_sig(&mm, "scenario", "x", sig, sizeof(sig));
	assert_string_equal(sig, "mismatch byte at pa");
	failure_sig(NULL, "trace", "data", sig, sizeof(sig));
	assert_string_equal(sig, "trace data");
	printf("report: mismatch, where, step, wave and cycle, log, re-run in "
	       "that order; a check failure; signatures\n");
}

static void test_cmd_quoting(void **state)
{
	char buf[256] = "";

	(void)state;
	failure_cmd_add(buf, sizeof(buf), "mmuos");
	failure_cmd_add(buf, sizeof(buf), "run");
	failure_cmd_add(buf, sizeof(buf), "my file.scn");
	failure_cmd_add(buf, sizeof(buf), "it's");
	failure_cmd_add(buf, sizeof(buf), "--set");
	failure_cmd_add(buf, sizeof(buf), "tlb_sets=4");
	failure_cmd_add(buf, sizeof(buf), "");
	assert_string_equal(buf, "mmuos run 'my file.scn' 'it'\\''s' --set "
			    "tlb_sets=4 ''");
	printf("re-run: arguments quoted for the shell: %s\n", buf);
}

static void test_lines(void **state)
{
	static const char text[] = "a\n\nbb\nccc";  /* no final newline */
	struct failure_lines fl;
	bool keep[4] = { true, false, false, true };

	(void)state;
	assert_int_equal(failure_lines_split(text, strlen(text), &fl), 0);
	assert_int_equal(fl.n, 4);
	assert_int_equal(fl.len[2], 2);
	assert_int_equal(failure_lines_join(&fl, keep), 6);
	assert_string_equal(fl.buf, "a\nccc\n");
	assert_int_equal(failure_lines_join(&fl, NULL), strlen(text) + 1);
	failure_lines_free(&fl);
	assert_int_equal(failure_lines_split("", 0, &fl), 0);
	assert_int_equal(fl.n, 0);
	assert_int_equal(failure_lines_join(&fl, NULL), 0);
	failure_lines_free(&fl);
	printf("lines: split (a blank line, no final newline), joined back by "
	       "a mask\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddmin),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_cmd_quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
