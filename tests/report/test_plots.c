/* SPDX-License-Identifier: MIT */
/*
 * The report's choices about its charts and table (sw/report): a log10 y
 * axis for values spread over decades (ticks, positions, zeros left out),
 * the choice made from the range and said in the label, the L1 chart's
 * reason why its lines stop (VIPT), and every summary column explained
 * for the page and the text table.
 */
#include "report_util.h"

#include <stdlib.h>
#include <string.h>

/* A sweep whose faults span 20..20000 (a log axis), and an L1 sweep
 * whose lines stop at ways x 4 KiB (the VIPT limit of 4 KiB pages). */
static const char wide_sweep[] =
	"kind\ttrace\ta\tb\tc\td\te\n"
	"mem\tw\t4\tLRU\t20000\t30000\t20\n"
	"mem\tw\t8\tLRU\t900\t30000\t20\n"
	"mem\tw\t16\tLRU\t20\t30000\t20\n"
	"mem\tn\t4\tLRU\t90\t300\t20\n"
	"mem\tn\t8\tLRU\t40\t300\t20\n"
	"l1\tw\t8\t1\t512\t900\t90\n"
	"l1\tw\t64\t1\t4096\t900\t30\n"
	"l1\tw\t8\t2\t1024\t900\t60\n"
	"l1\tw\t64\t2\t8192\t900\t20\n"
	"l1\tn\t8\t1\t512\t900\t90\n"
	"l1\tn\t16\t2\t2048\t900\t60\n";

static void test_svg_log10(void **state)
{
	struct svg_chart c;
	struct svg_layout l;
	struct svg_series *s;
	char *svg;
	static const double faults[] = { 1, 10, 100, 1000, 10000 };

	(void)state;
	checks = 0;
	svg_chart_init(&c, "faults", "frames", "faults", SVG_LINEAR, SVG_FMT_NUM);
	s = svg_add_series(&c, "LRU");
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(svg_add_point(s, i + 1, faults[i], "p"), 0);
	CHECK(absd(svg_y_ratio(&c) - 10000) < 1e-9);
	c.yscale = SVG_LOG10;
	svg_layout(&c, &l);
	/* decades 10^0..10^4, a tick at each power of ten */
	CHECK(l.y.lo == 0 && l.y.hi == 4);
	CHECK_EQ(l.y.nticks, 5);
	CHECK(l.y.tick[0] == 1 && l.y.tick[4] == 10000);
	/* equal ratios are equal distances; the ends at the frame */
	CHECK(absd(svg_py(&l, 1) - SVG_BOTTOM) < 0.01 &&
	      absd(svg_py(&l, 10000) - SVG_TOP) < 0.01);
	CHECK(absd((svg_py(&l, 1) - svg_py(&l, 10)) -
		   (svg_py(&l, 1000) - svg_py(&l, 10000))) < 0.01);
	svg = svg_text(&c);
	CHECK(strstr(svg, ">10,000</text>") && strstr(svg, ">1</text>"));
	CHECK_EQ(markers_inside(svg), 5);
	free(svg);
	/* a zero cannot be on a log axis: the ratio says so (0), and the
	 * point is left out rather than drawn at the bottom */
	assert_int_equal(svg_add_point(s, 6, 0, "zero"), 0);
	CHECK(svg_y_ratio(&c) == 0);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 5);
	free(svg);
	svg_chart_free(&c);
	/* a narrow range: 1, 2 and 5 ticks per decade */
	svg_chart_init(&c, "n", "x", "y", SVG_LINEAR, SVG_FMT_NUM);
	c.yscale = SVG_LOG10;
	s = svg_add_series(&c, "s");
	assert_int_equal(svg_add_point(s, 1, 3, "a"), 0);
	assert_int_equal(svg_add_point(s, 2, 40, "b"), 0);
	svg_layout(&c, &l);
	CHECK(l.y.lo == 0 && l.y.hi == 2 && l.y.nticks == 7);
	CHECK(l.y.tick[1] == 2 && l.y.tick[2] == 5 && l.y.tick[6] == 100);
	svg_chart_free(&c);
	printf("report: log10 y axis: 1..10,000 over decades 0..4 with a tick "
	       "per power of ten, equal ratios at equal heights, a zero point "
	       "left out (ratio 0), 1/2/5 ticks over two decades (%u checks)\n",
	       checks);
}

static void test_plot_choices(void **state)
{
	struct tmp t;
	struct sweep sw = { 0 };
	struct report_diags d = { 0 };
	struct svg_chart c;
	char note[128], *svg;
	size_t w, n;

	(void)state;
	checks = 0;
	tmp_init(&t);
	CHECK_EQ(tsv_read_sweep(tmp_text(&t, "sweep.tsv", wide_sweep), &sw, &d,
				note, sizeof(note)), TSV_OK);
	w = !strcmp(sw.trace[0], "w") ? 0 : 1;
	n = 1 - w;
	/* faults from 20 to 20,000: log10, and the label says it */
	CHECK(plots_build(&sw, w, SWEEP_MEM, &c) >= 0);
	CHECK_EQ(c.yscale, SVG_LOG10);
	CHECK_STR(c.ylabel, "page faults (log10 scale)");
	svg = svg_text(&c);
	CHECK(strstr(svg, ">page faults (log10 scale)</text>") != NULL);
	free(svg);
	svg_chart_free(&c);
	/* 40..90: linear from zero */
	CHECK(plots_build(&sw, n, SWEEP_MEM, &c) >= 0);
	CHECK_EQ(c.yscale, SVG_LINEAR);
	CHECK_STR(c.ylabel, "page faults");
	svg_chart_free(&c);
	/* L1: 1-way stops at 4 KiB and 2-way at 8 KiB, said on the chart */
	CHECK(plots_build(&sw, w, SWEEP_L1, &c) >= 0);
	svg = svg_text(&c);
	CHECK(strstr(svg, "ways \u00d7 4 KiB: more sets") != NULL);
	CHECK(strstr(svg, "the VIPT L1 would alias.") != NULL);
	/* the note is under the legend, in the legend's column */
	CHECK(strstr(svg, ">2-way</text>") < strstr(svg, "Each line stops at"));
	CHECK(strstr(svg, "<tspan x=\"608\"") != NULL);
	free(svg);
	svg_chart_free(&c);
	/* lines that do not end at ways x one size: no reason claimed */
	CHECK(plots_build(&sw, n, SWEEP_L1, &c) >= 0);
	CHECK(c.note[0][0] == '\0');
	svg_chart_free(&c);
	sweep_free(&sw);
	tmp_done(&t);
	printf("report: plot choices: faults 20..20,000 get a log10 axis labelled "
	       "so, 40..90 stay linear; L1 lines ending at ways x 4 KiB say why "
	       "(VIPT) under the legend, lines that do not claim nothing "
	       "(%u checks)\n", checks);
}

static void test_column_docs(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	const char *line;
	unsigned lines = 0;

	(void)state;
	checks = 0;
	/* every column of the summary has its explanation */
	for (int col = 0; col < SUM_NCOLS; col++)
		CHECK_MSG(report_column_doc(sum_cols[col].name) &&
			  strlen(report_column_doc(sum_cols[col].name)) > 10,
			  "column %s unexplained", sum_cols[col].name);
	CHECK(report_column_doc("nope") == NULL && report_column_doc(NULL) == NULL);
	/* the text legend: wrapped at 60, continuation lines indented */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_text_wrap(f, "#PF", report_column_doc("pf"), 60);
	assert_int_equal(fclose(f), 0);
	CHECK(!strncmp(buf, "  #PF       #PF exceptions", 26));
	for (line = buf; *line; line = strchr(line, '\n') + 1) {
		size_t l = strcspn(line, "\n");

		CHECK_MSG(l <= 60, "line of %zu columns", l);
		if (lines++)
			CHECK(!strncmp(line, "            ", 12) && line[12] != ' ');
	}
	CHECK(lines >= 3);
	free(buf);
	printf("report: column docs: all %d columns explained, unknown names "
	       "NULL; the text legend wraps at 60 columns with a hanging indent "
	       "(%u lines) (%u checks)\n", SUM_NCOLS, lines, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_log10),
		cmocka_unit_test(test_plot_choices),
		cmocka_unit_test(test_column_docs),
	};

	return cmocka_run_group_tests_name("report_plots", tests, NULL, NULL);
}
