/* SPDX-License-Identifier: MIT */
/*
 * The rows of a run's summary (sw/report/summary.c): summary.tsv written
 * and read back (what mmurun --merge does with the shards' files) gives
 * the same rows, failure texts with newlines and backslashes whole, a tab
 * as a space, unknown numbers unknown; the columns are found by name in
 * the header whatever their order; a line without kind, name or check is
 * not a row; the text table's cells, "-" for unknown, the total of the
 * accesses and the verdict; a row keeps its first failure's text; the
 * page (tsv.c's columns) knows every column the writer writes but the
 * failure text and the log, and the writer writes every column it knows.
 */
#include "report_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void two_rows(struct report_row *r)
{
	report_row_init(&r[0], 3, "seed", "x86-1");
	snprintf(r[0].backend, sizeof(r[0].backend), "golden=rtl");
	r[0].accesses = 1500;
	r[0].tlb_hit = 97.25;
	r[0].rd_walk = 2.5;
	r[0].secs = 0.5;
	snprintf(r[0].detail, sizeof(r[0].detail), "12 loads checked");
	report_row_init(&r[1], 7, "trace", "ls");
	r[1].accesses = 500;
	r[1].secs = 2;
	report_row_fail(&r[1], "rdata differs\n  ref: a\\b\tc\n");
	report_row_fail(&r[1], "a second failure");
	snprintf(r[1].log, sizeof(r[1].log), "build/run/logs/trace-ls.log");
}

/* path's rows read back as --merge reads them. */
static unsigned read_rows(const char *path, struct report_row *r,
			  unsigned max)
{
	char line[4096], *f[REPORT_SUMMARY_MAX_COLS];
	struct report_summary_cols col;
	unsigned n = 0, lineno = 0;
	FILE *in = fopen(path, "r");

	assert_non_null(in);
	report_summary_header(&col, NULL, 0);
	while (fgets(line, sizeof(line), in)) {
		unsigned nf = report_summary_split(line, f,
						   REPORT_SUMMARY_MAX_COLS);

		if (++lineno == 1)
			report_summary_header(&col, f, nf);
		else if (n < max && report_summary_row(&col, f, nf, 999, &r[n]))
			n++;
	}
	fclose(in);
	return n;
}

static void test_tsv_round_trip(void **state)
{
	struct report_row r[2], back[4];
	struct tmp t;
	const char *path;

	(void)state;
	checks = 0;
	tmp_init(&t);
	two_rows(r);
	CHECK_STR(r[1].fail, "rdata differs\n  ref: a\\b\tc\n");
	path = tmp_path(&t, "summary.tsv");
	CHECK_EQ(report_summary_write(path, r, 2), 0);
	CHECK_EQ(read_rows(path, back, 4), 2);
	for (unsigned i = 0; i < 2; i++) {
		CHECK_EQ(back[i].index, r[i].index);
		CHECK_STR(back[i].kind, r[i].kind);
		CHECK_STR(back[i].name, r[i].name);
		CHECK_EQ(back[i].ok, r[i].ok);
		CHECK(back[i].accesses == r[i].accesses);
		CHECK(isnan(back[i].cycles) && isnan(back[i].major));
		CHECK(back[i].secs == r[i].secs);
		CHECK_STR(back[i].detail, r[i].detail);
		CHECK_STR(back[i].log, r[i].log);
	}
	CHECK_STR(back[0].backend, "golden=rtl");
	CHECK_STR(back[1].backend, "-");
	CHECK(absd(back[0].tlb_hit - 97.25) < 1e-9 && back[0].rd_walk == 2.5);
	CHECK(back[0].fail == NULL);
	CHECK_STR(back[1].fail, "rdata differs\n  ref: a\\b c\n");
	free(back[1].fail);
	free(r[1].fail);
	tmp_done(&t);
	printf("summary: 2 rows written and read back the same (%u checks)\n",
	       checks);
}

static void test_columns_by_name(void **state)
{
	static const char text[] =
		"check\tname\tsecs\taccesses\tkind\textra\n"
		"FAIL\tbrk\t1.5\t42\tscenario\tx\n"
		"PASS\tx86-2\t-\tnot-a-number\tseed\n"
		"PASS\tno-kind\n";
	struct report_row back[4];
	struct tmp t;

	(void)state;
	checks = 0;
	tmp_init(&t);
	CHECK_EQ(read_rows(tmp_text(&t, "summary.tsv", text), back, 4), 2);
	CHECK_STR(back[0].kind, "scenario");
	CHECK_STR(back[0].name, "brk");
	CHECK_EQ(back[0].index, 999);          /* no index column */
	CHECK(back[0].accesses == 42 && back[0].secs == 1.5);
	CHECK(!back[0].ok);
	CHECK_STR(back[0].fail, "failed (no text in the shard)");
	CHECK(back[1].ok && isnan(back[1].accesses) && back[1].secs == 0);
	free(back[0].fail);
	tmp_done(&t);
	printf("summary: columns found by name, a line without a kind not a "
	       "row (%u checks)\n", checks);
}

static void test_text_table(void **state)
{
	struct report_row r[2];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	checks = 0;
	two_rows(r);
	assert_non_null(f);
	report_summary_text(f, r, 2);
	assert_int_equal(fclose(f), 0);
	CHECK(strstr(buf, "workload                   backend       accesses"
		     "      cycles tlb-hit  l1-hit    walks rd/walk     #PF   "
		     "minor  major    cow  sw-in sw-out check    time   kacc/s\n")
	      == buf);
	CHECK(strstr(buf, "\nseed:x86-1                 golden=rtl        1500"
		     "           -   97.2%      -        -    2.50       -       "
		     "-      -      -      -      - PASS     0.5s      3.0\n"));
	/* unknown cells are "-"; the total sums the accesses, and fails */
	CHECK(strstr(buf, "\ntrace:ls                                      500"
		     "           -      -      -        -       -       -       "
		     "-      -      -      -      - FAIL     2.0s      0.2\n"));
	CHECK(strstr(buf, "\ntotal                                        2000"
		     "                                                  "
		     "                                        FAIL     2.5s\n\n"
		     "Columns:\n"));
	CHECK(strstr(buf, "Sums:") != NULL);
	free(buf);
	free(r[1].fail);
	printf("summary: the text table's cells, unknowns, total and legend "
	       "(%u checks)\n", checks);
}

/* Whether name is one of the page's summary columns. */
static bool page_knows(const char *name)
{
	for (int c = 0; c < SUM_NCOLS; c++)
		if (!strcmp(sum_cols[c].name, name))
			return true;
	return false;
}

static void test_page_reads_every_column(void **state)
{
	struct report_row r;
	char *text, *f[REPORT_SUMMARY_MAX_COLS];
	unsigned nf;
	struct tmp t;
	const char *path;

	(void)state;
	checks = 0;
	tmp_init(&t);
	report_row_init(&r, 0, "seed", "x86-1");
	path = tmp_path(&t, "summary.tsv");
	CHECK_EQ(report_summary_write(path, &r, 1), 0);
	text = slurp(path);
	nf = report_summary_split(text, f, REPORT_SUMMARY_MAX_COLS);
	for (unsigned i = 0; i < nf; i++)
		CHECK_MSG(page_knows(f[i]) || !strcmp(f[i], "fail") ||
			  !strcmp(f[i], "log"), "the page does not know "
			  "summary.tsv's column '%s'", f[i]);
	for (int c = 0; c < SUM_NCOLS; c++) {
		bool written = false;

		for (unsigned i = 0; i < nf; i++)
			written |= !strcmp(f[i], sum_cols[c].name);
		CHECK_MSG(written, "summary.tsv lacks the page's column '%s'",
			  sum_cols[c].name);
	}
	free(text);
	tmp_done(&t);
	printf("summary: the page and the writer agree on the %u columns "
	       "(%u checks)\n", nf, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_round_trip),
		cmocka_unit_test(test_columns_by_name),
		cmocka_unit_test(test_text_table),
		cmocka_unit_test(test_page_reads_every_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
