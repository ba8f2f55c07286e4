/* SPDX-License-Identifier: MIT */
/*
 * Failure shrinking of a scenario (sw/scenario shrink.c, through the one
 * shrinker of sw/failure): a scenario with filler, a second process, a
 * fork block and a loop fails in lockstep against a DUT that ignores
 * INVLPG (backend_opts.inject_no_invlpg); scn_shrink keeps the lines that
 * make it fail the same way (a mismatch of the same field), no single one
 * of them can go, the result is smaller, still fails from its text and
 * passes on a correct DUT.  The first failure's report names FILE:LINE and
 * the step; a passing scenario is not shrunk.
 */
#include "../../sw/scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char scn[] =
	"# filler, a second process, a fork block, a loop and the failure\n"
	"option mem 8M\n"
	"$p = spawn\n"
	"switch $p\n"
	"$b = mmap 0 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
	"store 8 $b 0x55\n"
	"load 8 $b expect 0x55\n"
	"$a = mmap 0x100000000 16K PROT_READ|PROT_WRITE "
	"MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED expect 0x100000000\n"
	"$q = spawn\n"
	"switch $q\n"
	"$c = mmap 0 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
	"store 4 $c 7\n"
	"switch $p\n"
	"fork {\n"
	"  load 8 $b expect 0x55\n"
	"  store 8 $b 0x66\n"
	"}\n"
	"repeat 3 $i {\n"
	"  store 8 $b+8*$i $i\n"
	"}\n"
	"store 8 $a+8 0x1122334455667788\n"
	"load 8 $b+8 expect 1\n"
	"munmap $a 16K expect 0\n"
	"load 8 $b+16 expect 2\n"
	"load 8 $a+8 expect SIGSEGV\n"
	"load 8 $b expect 0\n";

static FILE *devnull;

static struct scn_run_opts opts(bool broken)
{
	return (struct scn_run_opts){
		.backend = "lockstep-self",  /* no RTL in the unit tests */
		.bo = { .inject_no_invlpg = broken }, .quiet = true,
		.out = devnull };
}

/* Parse and run text: the result (r) and 0, or -1 when it did not parse. */
static int run(const char *text, bool broken, struct scn_result *r)
{
	struct scn_run_opts o = opts(broken);
	struct scn_program *p;
	struct scn_diags d;
	char err[256];

	if (scn_parse(text, strlen(text), "t.scn", &p, &d))
		return -1;
	assert_int_equal(scn_run(p, &o, r, err, sizeof(err)), 0);
	scn_program_free(p);
	return 0;
}

static bool same(const char *text, const char *sig)
{
	struct scn_result r;

	return !run(text, true, &r) && r.failed && !strcmp(r.fail_sig, sig);
}

/* text without its line k (1-based, counting every line). */
static char *without_line(const char *text, unsigned k)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	unsigned line = 1;

	for (const char *s = text; *s; s++) {
		if (line != k)
			*o++ = *s;
		line += *s == '\n';
	}
	*o = 0;
	return out;
}

static void test_shrink_no_invlpg(void **state)
{
	struct scn_run_opts o = opts(true);
	struct scn_shrink_result res;
	struct scn_program *p;
	struct scn_diags d;
	struct scn_result r;
	struct failure f;
	char err[512], *out, rep[4096];
	unsigned lines = 0;

	(void)state;
	/* a correct DUT passes; the broken one fails with a mismatch */
	assert_int_equal(run(scn, false, &r), 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(run(scn, true, &r), 0);
	assert_true(r.failed > 0 && r.fail_mismatch);
	assert_string_equal(r.fail_sig, "mismatch status");
	assert_int_equal(r.fail_line, 25);
	assert_int_equal(scn_parse(scn, strlen(scn), "t.scn", &p, &d), 0);
	scn_failure(p, &r, &f);
	failure_format(&f, rep, sizeof(rep));
	assert_non_null(strstr(rep, "scenario: t.scn:25\nstep: "));
	assert_non_null(strstr(rep, "status differs (ref #PF, dut ok)"));
	scn_program_free(p);

	assert_int_equal(scn_shrink(scn, strlen(scn), "t.scn", &o, r.fail_sig,
				    0, &out, &res, err, sizeof(err)), 0);
	assert_true(res.st.minimal);
	assert_int_equal(res.stmts_before, 19);
	assert_true(res.lines_after < res.lines_before / 2);
	assert_true(res.steps_after < res.steps_before);
	/* the failure is kept: the unmap and the load after it */
	assert_non_null(strstr(out, "munmap $a 16K"));
	assert_non_null(strstr(out, "load 8 $a+8 expect SIGSEGV"));
	assert_null(strstr(out, "fork"));
	assert_true(same(out, "mismatch status"));
	/* 1-minimal: no single line can go (the option line stays anyway) */
	for (const char *s = out; *s; s++)
		lines += *s == '\n';
	for (unsigned k = 2; k <= lines; k++) {
		char *less = without_line(out, k);

		assert_false(same(less, "mismatch status"));
		free(less);
	}
	/* the rule, not the lines: a correct DUT passes them */
	assert_int_equal(run(out, false, &r), 0);
	assert_int_equal(r.failed, 0);
	printf("shrink: a scenario against a DUT that ignores INVLPG: %u lines "
	       "(%u statements, failing at step %u) to %u lines (%u "
	       "statements, step %u), %u runs; 1-minimal; passes on a correct "
	       "DUT\n", res.lines_before, res.stmts_before, res.steps_before,
	       res.lines_after, res.stmts_after, res.steps_after, res.st.tests);
	free(out);

	/* a scenario that passes is not shrunk */
	o = opts(false);
	assert_int_equal(scn_shrink(scn, strlen(scn), "t.scn", &o,
				    "mismatch status", 0, &out, &res, err,
				    sizeof(err)), FAILURE_ENOTFAIL);
	assert_null(out);
	assert_non_null(strstr(err, "does not fail"));
	printf("shrink: a passing scenario is refused: %s\n", err);
}

static int setup(void **state)
{
	(void)state;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fclose(devnull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_no_invlpg),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
