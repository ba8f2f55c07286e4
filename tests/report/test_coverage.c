/* SPDX-License-Identifier: MIT */
/*
 * The coverage in the run's report (sw/report/coverage.c): the page shows
 * the functional-coverage figure of the run's coverage file, each group's
 * figure and the holes; the RTL code coverage per module of a make
 * coverage summary with where and when it was measured, or how to get it;
 * the text summary says the same; malformed inputs are notes, not crashes.
 */
#include "report_util.h"
#include "../../sw/cover/cover.h"

#include <stdlib.h>
#include <string.h>

static const char cover_file[] =
	"# mmu functional coverage v1\n"
	"ctl:op=cr0,result=gp\t0\n"
	"ctl:op=cr2,result=done\t5\n"
	"status:status=gp,op=load,mode=user\t0\n"
	"status:status=ok,op=load,mode=user\t9\n"
	"tlb_fill:way=0,victim=free\t3\n";

static const char rtl_summary[] =
	"module\tline_hit\tline_total\tline_pct\tbranch_hit\tbranch_total\t"
	"branch_pct\ttoggle_hit\ttoggle_total\ttoggle_pct\n"
	"l1_cache\t90\t100\t90.0\t45\t50\t90.0\t800\t1000\t80.0\n"
	"<tlb>\t10\t40\t25.0\t1\t4\t25.0\t7\t7\t100.0\n"
	"plru_tree\t4\t4\t100.0\t0\t0\t-\t20\t20\t100.0\n"
	"not a row\n"
	"total\t100\t140\t71.4\t46\t54\t85.2\t807\t1007\t80.1\n";

static char *page(struct tmp *t, const char *cov, const char *rtl)
{
	struct report_meta meta = { .title = "t", .coverage = true,
				    .cover_tsv = cov, .rtl_coverage_tsv = rtl };
	const char *out = tmp_path(t, "report.html");
	char err[256];

	CHECK_MSG(report_html(NULL, NULL, out, &meta, err, sizeof(err)) == 0,
		  "%s", err);
	return slurp(out);
}

static void test_page(void **state)
{
	struct tmp t;
	char *html, *sec;

	(void)state;
	checks = 0;
	tmp_init(&t);
	html = page(&t, tmp_text(&t, "coverage.tsv", cover_file),
		    tmp_text(&t, "summary.tsv", rtl_summary));
	sec = strstr(html, "<h2>Coverage</h2>");
	CHECK(sec != NULL);
	/* the figure, each group, the holes by group */
	CHECK(strstr(sec, "3 of 5 bins hit (60.0%)") != NULL);
	CHECK(strstr(sec, "<td>ctl</td><td class=\"n\">1</td><td class=\"n\">"
		      "2</td><td class=\"n\">50.0</td>") != NULL);
	CHECK(strstr(sec, "<td>tlb_fill</td><td class=\"n\">1</td>") != NULL);
	CHECK(strstr(sec, "<li><b>ctl</b>: op=cr0,result=gp</li>") != NULL);
	CHECK(strstr(sec, "<li><b>status</b>: status=gp,op=load,mode=user")
	      != NULL);
	CHECK(!strstr(sec, "op=cr2,result=done</li>"));
	/* RTL: per module, escaped, the total; where and when; the bad line */
	CHECK(strstr(sec, "<td>l1_cache</td><td class=\"n\">90.0%</td><td "
		      "class=\"n\">90 / 100</td>") != NULL);
	CHECK(strstr(sec, "<td>&lt;tlb&gt;</td>") != NULL);
	/* no branch point in the module: "-", not 0 % */
	CHECK(strstr(sec, "<td>plru_tree</td><td class=\"n\">100.0%</td><td "
		      "class=\"n\">4 / 4</td><td class=\"na\">-</td>") != NULL);
	CHECK(strstr(sec, "<td><b>total</b></td><td class=\"n\">71.4%</td>")
	      != NULL);
	CHECK(strstr(sec, "by make coverage") && strstr(sec, " UTC"));
	CHECK(strstr(sec, "1 line not understood") != NULL);
	free(html);
	/* no RTL figures: how to get them; no coverage file: a note */
	html = page(&t, tmp_path(&t, "none.tsv"), tmp_path(&t, "none2.tsv"));
	sec = strstr(html, "<h2>Coverage</h2>");
	CHECK(sec && strstr(sec, "Not measured yet") &&
	      strstr(sec, "make coverage"));
	CHECK(strstr(sec, "none.tsv: No such file") != NULL);
	free(html);
	/* a report without coverage asked has no section */
	CHECK_MSG(report_html(NULL, NULL, tmp_path(&t, "plain.html"), NULL,
			      NULL, 0) == 0, "plain page");
	html = slurp(tmp_path(&t, "plain.html"));
	CHECK(!strstr(html, "<h2>Coverage</h2>"));
	free(html);
	tmp_done(&t);
	printf("report: coverage section: figure, groups, holes by group, RTL "
	       "per module with its source and time, how to get it when "
	       "missing, a malformed line noted (%u checks)\n", checks);
}

static void test_text(void **state)
{
	struct cover_set *s;
	struct tmp t;
	char *text = NULL, err[256];
	size_t len;
	FILE *f;

	(void)state;
	checks = 0;
	tmp_init(&t);
	assert_int_equal(cover_new(&s), 0);
	CHECK_MSG(cover_read(s, tmp_text(&t, "coverage.tsv", cover_file), err,
			     sizeof(err)) == 0, "%s", err);
	f = open_memstream(&text, &len);
	report_coverage_text(f, s, "OUT/coverage.tsv",
			     tmp_text(&t, "summary.tsv", rtl_summary), 20);
	report_coverage_text(f, NULL, NULL, tmp_path(&t, "none.tsv"), 20);
	fclose(f);
	CHECK(strstr(text, "functional coverage: 3 of 5 bins hit (60.0%)"));
	CHECK(strstr(text, "  hole ctl:op=cr0,result=gp\n") != NULL);
	CHECK(strstr(text, "coverage file: OUT/coverage.tsv") != NULL);
	CHECK(strstr(text, "summary.tsv, written ") &&
	      strstr(text, " UTC by make coverage"));
	CHECK(strstr(text, "  l1_cache        90.0%    90/100  ") != NULL);
	CHECK(strstr(text, "  plru_tree      100.0%     4/4          -     0/0 ")
	      != NULL);
	CHECK(strstr(text, "RTL code coverage: not measured (") &&
	      strstr(text, "make coverage measures it"));
	printf("report: coverage text:\n%s", text);
	free(text);
	cover_free(s);
	tmp_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
