/* SPDX-License-Identifier: MIT */
/*
 * Failure shrinking of a trace (sw/trace shrink.c, through the one
 * shrinker of sw/failure): stores to 20 pages, twice, replayed as the
 * tools replay a trace (trace_std_opts: memory for 60 % of the pages, a
 * fork half-way) fail in lockstep against a DUT that ignores INVLPG
 * (swap-outs and copy-on-write leave it stale TLB entries); trace_shrink
 * keeps fewer records that fail the same way (a mismatch of the same
 * field), which still fail from their text and pass on a correct DUT.
 * The first failure's report names FILE:LINE of the record and the piece.
 */
#include "../../sw/trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define PAGES 20
#define MEM_PCT 60
#define SEED 1

static struct mmu_config cfg;

static char *make_trace(void)
{
	char *t = malloc(2 * PAGES * 32 + 1), *p = t;

	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < PAGES; i++)
			p += sprintf(p, " S %x,8\n", 0x10000000u + i * 4096u);
	return t;
}

static struct trace_run_opts opts(bool broken)
{
	return (struct trace_run_opts){
		.backend = "lockstep-self",  /* no RTL in the unit tests */
		.cfg = &cfg, .bo = { .inject_no_invlpg = broken } };
}

/* Replay text: 0 with *st, or -1 when it does not parse. */
static int replay(const char *text, bool broken, struct trace_stats *st,
		  struct trace **keep)
{
	struct trace_parse_opts po = { .format = TRACE_FMT_LACKEY };
	struct trace_run_opts o = opts(broken);
	struct trace_diags d;
	struct trace *t;
	char err[256];

	if (trace_parse(text, strlen(text), "t.lackey", &po, &t, &d))
		return -1;
	assert_int_equal(trace_std_opts(t, &cfg, MEM_PCT, SEED, &o, err,
					sizeof(err)), 0);
	assert_int_equal(trace_run(t, &o, st, err, sizeof(err)), 0);
	if (keep)
		*keep = t;
	else
		trace_free(t);
	return 0;
}

static void test_shrink_no_invlpg(void **state)
{
	struct trace_parse_opts po = { .format = TRACE_FMT_LACKEY };
	struct trace_run_opts o = opts(true);
	struct trace_shrink_result res;
	struct trace_stats st;
	struct failure f;
	struct trace *t;
	char *text = make_trace(), *out, err[512], rep[4096], where[64];
	char sig[96];

	(void)state;
	assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
	assert_int_equal(replay(text, false, &st, NULL), 0);
	assert_true(st.ok);
	assert_int_equal(replay(text, true, &st, &t), 0);
	assert_false(st.ok);
	assert_true(st.fail_mismatch);
	assert_true(!strncmp(st.fail_sig, "mismatch ", 9));
	snprintf(sig, sizeof(sig), "%s", st.fail_sig);
	assert_true(st.fail_piece > PAGES && st.fail_line == st.fail_piece);
	trace_failure(t, &st, &f);
	failure_format(&f, rep, sizeof(rep));
	snprintf(where, sizeof(where), "trace: t:%u\nstep: %u\n", st.fail_line,
		 (unsigned)st.fail_piece);
	assert_non_null(strstr(rep, where));
	trace_free(t);

	assert_int_equal(trace_shrink(text, strlen(text), "t.lackey", &po, &o,
				      MEM_PCT, SEED, st.fail_sig, 0, &out, &res,
				      err, sizeof(err)), 0);
	assert_true(res.st.minimal);
	assert_int_equal(res.records_before, 2 * PAGES);
	assert_true(res.records_after < res.records_before);
	assert_true(res.piece_after < res.piece_before);
	assert_int_equal(replay(out, true, &st, NULL), 0);
	assert_false(st.ok);
	assert_string_equal(st.fail_sig, sig);
	assert_int_equal(replay(out, false, &st, NULL), 0);
	assert_true(st.ok);
	printf("shrink: a trace against a DUT that ignores INVLPG: %llu records "
	       "(failing at piece %llu) to %llu (piece %llu), %u replays; "
	       "1-minimal; %s; passes on a correct DUT\n",
	       (unsigned long long)res.records_before,
	       (unsigned long long)res.piece_before,
	       (unsigned long long)res.records_after,
	       (unsigned long long)res.piece_after, res.st.tests, sig);
	free(out);

	o = opts(false);
	assert_int_equal(trace_shrink(text, strlen(text), "t.lackey", &po, &o,
				      MEM_PCT, SEED, sig, 0,
				      &out, &res, err, sizeof(err)),
			 FAILURE_ENOTFAIL);
	printf("shrink: a passing trace is refused: %s\n", err);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_no_invlpg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
