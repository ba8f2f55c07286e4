/* SPDX-License-Identifier: MIT */
/*
 * The JUnit writer (sw/report/junit.c), the one mmurun and mmuregress use:
 * the counts and time of the suite, properties, passed and failed cases
 * (the message is the report's first line, the whole report the body),
 * system-out, and XML escaping of every text that comes from outside
 * (names, reports with newlines and control bytes).
 */
#include "../../sw/report/report.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *junit_text(const struct report_junit_suite *s,
			const struct report_junit_case *c, unsigned n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(report_junit(f, s, c, n), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("JUnit text lacks '%s':\n%s", part, text);
}

static void test_suite_and_cases(void **state)
{
	const char *props[] = { "backend", "golden=rtl", "shard", "1/2", NULL };
	struct report_junit_suite s = { .name = "tool", .suite = "tool.x",
					.props = props };
	struct report_junit_case c[] = {
		{ .classname = "tool.seed", .name = "x86-1", .secs = 0.25,
		  .out = "12 loads checked\nlog: a<b>.log" },
		{ .classname = "tool.seed", .name = "csapp \"2\"", .secs = 0.5,
		  .failure = "rdata differs & more\n  ref: 1\n  dut: 2\x01\n",
		  .failure_type = "lockstep-mismatch" },
		{ .classname = "tool.scenario", .name = "brk", .secs = 1,
		  .failure = "2 of 3 checks failed" },
	};
	char *t = junit_text(&s, c, 3);

	(void)state;
	expect(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	expect(t, "<testsuites name=\"tool\" tests=\"3\" failures=\"2\" "
		  "errors=\"0\" time=\"1.750\">");
	expect(t, "<testsuite name=\"tool.x\" tests=\"3\" failures=\"2\" "
		  "errors=\"0\" skipped=\"0\" time=\"1.750\">");
	expect(t, "<property name=\"backend\" value=\"golden=rtl\"/>");
	expect(t, "<property name=\"shard\" value=\"1/2\"/>");
	expect(t, "<testcase classname=\"tool.seed\" name=\"x86-1\" "
		  "time=\"0.250\">\n      <system-out>12 loads checked\n"
		  "log: a&lt;b&gt;.log</system-out>\n    </testcase>");
	expect(t, "name=\"csapp &quot;2&quot;\"");
	expect(t, "<failure message=\"rdata differs &amp; more\" "
		  "type=\"lockstep-mismatch\">rdata differs &amp; more\n"
		  "  ref: 1\n  dut: 2 \n</failure>");
	expect(t, "<failure message=\"2 of 3 checks failed\" type=\"check\">");
	expect(t, "</testsuite>\n</testsuites>\n");
	assert_null(strstr(t, "\x01"));
	printf("junit: suite counts and time, properties, passed and failed "
	       "cases, system-out, escaping (quotes, <, >, &, control bytes; "
	       "newlines kept)\n");
	free(t);
}

static void test_empty_suite(void **state)
{
	struct report_junit_suite s = { .name = "t", .suite = "t.s" };
	char *t = junit_text(&s, NULL, 0);

	(void)state;
	expect(t, "tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\"");
	expect(t, "<properties>\n    </properties>\n  </testsuite>");
	printf("junit: an empty suite is well-formed\n");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_and_cases),
		cmocka_unit_test(test_empty_suite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
