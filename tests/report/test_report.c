/* SPDX-License-Identifier: MIT */
/*
 * The report library (sw/report): reading summary.tsv (columns by name,
 * "-", extra columns, repeated headers, malformed lines counted) and
 * sweep.tsv (kinds, shards merged out of order), the chart writer (points
 * inside the plot area, log2 ticks at powers of two, nice linear ticks, a
 * single point, empty series), the text helpers, HTML escaping, whole
 * reports written into a temp dir (three charts per trace, legends,
 * PASS/FAIL counts, a missing sweep file), and random bytes as input.
 */
#include "report_util.h"
#include "../../sw/regress/regress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- summary.tsv ------------------------------------------------------------ */

static const char summary_text[] =
	"index\tkind\tname\tbackend\taccesses\tcycles\ttlb_hit\tl1_hit\twalks\t"
	"rd_walk\tpf\tminor\tmajor\tcow\tswap_in\tswap_out\tcheck\tsecs\tdetail\t"
	"fail\tlog\n"
	"0\tscenario\tbrk\tgolden\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t"
	"PASS\t0.020\t27 steps\t\t\n"
	"1\ttrace\tls\tgolden\t74089\t794991\t99.061\t97.469\t701\t2.217\t213\t48\t"
	"165\t11\t16\t23\tFAIL\t0.350\tlackey\tmismatch at 12\tlogs/ls.log\r\n"
	"\n"
	"2\tseed\tx86-1\tgolden\t12\n"                     /* line 5: short */
	"3\tseed\tx86-2\tgolden\tmany\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tPASS\t1\td\n"
	/* line 7: a shard's header, other column order, no extras */
	"name\tindex\tcheck\tkind\tbackend\taccesses\tcycles\ttlb_hit\tl1_hit\twalks\t"
	"rd_walk\tpf\tminor\tmajor\tcow\tswap_in\tswap_out\tsecs\tdetail\n"
	"x86-9\t9\tPASS\tseed\trtl\t1000\t-\t50.5\t-\t-\t-\t-\t-\t-\t-\t-\t-\t2.5\tok\n"
	"\t\t\n";

static void test_tsv_summary(void **state)
{
	struct tmp t;
	struct summary s = { 0 };
	struct report_diags d = { 0 };
	char note[256];
	const struct sum_row *r;

	(void)state;
	checks = 0;
	tmp_init(&t);
	CHECK_EQ(tsv_read_summary(tmp_text(&t, "summary.tsv", summary_text), &s, &d,
				  note, sizeof(note)), TSV_OK);
	CHECK_STR(note, "");
	CHECK_EQ(s.n, 3);
	/* columns by name; "-" is NaN; extra columns ignored */
	r = &s.row[0];
	CHECK_STR(r->f[SUM_NAME], "brk");
	CHECK_STR(r->f[SUM_CHECK], "PASS");
	CHECK_STR(r->f[SUM_DETAIL], "27 steps");
	CHECK(isnan(r->v[SUM_ACCESSES]) && isnan(r->v[SUM_TLB_HIT]));
	CHECK(r->v[SUM_SECS] == 0.020);
	r = &s.row[1];
	CHECK_STR(r->f[SUM_KIND], "trace");
	CHECK(r->v[SUM_CYCLES] == 794991 && r->v[SUM_TLB_HIT] == 99.061);
	CHECK(r->v[SUM_SWAP_OUT] == 23);
	CHECK_STR(r->f[SUM_CHECK], "FAIL");
	CHECK_STR(r->f[SUM_DETAIL], "lackey");      /* not the "fail" column */
	/* the repeated header re-maps the columns */
	r = &s.row[2];
	CHECK_STR(r->f[SUM_NAME], "x86-9");
	CHECK(r->v[SUM_INDEX] == 9 && r->v[SUM_ACCESSES] == 1000);
	CHECK(r->v[SUM_TLB_HIT] == 50.5 && r->v[SUM_SECS] == 2.5);
	CHECK_STR(r->f[SUM_BACKEND], "rtl");
	/* short row and text in a number column; blank lines are not errors */
	CHECK_EQ(d.malformed, 2);
	CHECK_EQ(d.n, 2);
	CHECK_STR(d.d[0].where, "summary.tsv:5");
	CHECK_STR(d.d[1].where, "summary.tsv:6");
	CHECK(strstr(d.d[0].why, "fewer fields") != NULL);
	CHECK(strstr(d.d[1].why, "number") != NULL);
	summary_free(&s);

	/* without a header nothing can be read: every line is counted */
	memset(&d, 0, sizeof(d));
	CHECK_EQ(tsv_read_summary(tmp_text(&t, "noheader.tsv", "1\ta\n2\tb\n"), &s,
				  &d, note, sizeof(note)), TSV_OK);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(d.malformed, 2);
	CHECK(strstr(d.d[0].why, "before the header") != NULL);
	summary_free(&s);

	/* missing: a note, not an error */
	CHECK_EQ(tsv_read_summary(tmp_path(&t, "absent.tsv"), &s, &d, note,
				  sizeof(note)), TSV_MISSING);
	CHECK(strstr(note, "not found") != NULL);
	CHECK_EQ(tsv_read_summary(NULL, &s, &d, note, sizeof(note)), TSV_MISSING);
	CHECK_STR(note, "no summary file given");
	tmp_done(&t);
	printf("report: summary.tsv: columns found by name under two different "
	       "headers, '-' read as unknown, extra fail/log columns ignored, CRLF "
	       "and blank lines, 2 malformed lines counted with file:line, no "
	       "header, missing file (%u checks)\n", checks);
}

static void test_tsv_fields(void **state)
{
	char line[] = "a\tb\t\tc", *f[8];
	double v;
	uint64_t u;

	(void)state;
	checks = 0;
	CHECK_EQ(tsv_split(line, f, 8), 4);
	CHECK_STR(f[0], "a");
	CHECK_STR(f[2], "");
	CHECK_STR(f[3], "c");
	{
		char more[] = "1\t2\t3\t4\t5";

		CHECK_EQ(tsv_split(more, f, 2), 5);   /* counted beyond max */
	}
	CHECK(tsv_number("-", &v) && isnan(v));
	CHECK(tsv_number("1e3", &v) && v == 1000);
	CHECK(tsv_number("-2.5", &v) && v == -2.5);
	CHECK(!tsv_number("", &v));
	CHECK(!tsv_number("nan", &v));
	CHECK(!tsv_number("inf", &v));
	CHECK(!tsv_number(" 5", &v));
	CHECK(!tsv_number("5x", &v));
	CHECK(!tsv_number("1e999", &v));
	CHECK(!tsv_number("0x10", &v));
	CHECK(tsv_u64("18446744073709551615", &u) && u == UINT64_MAX);
	CHECK(!tsv_u64("18446744073709551616", &u));
	CHECK(!tsv_u64("-1", &u));
	CHECK(!tsv_u64("", &u));
	CHECK(!tsv_u64("12 ", &u));
	printf("report: TSV fields: split keeps empty fields and counts past its "
	       "array, numbers accept '-' and decimals but not nan/inf/hex/blanks, "
	       "u64 rejects overflow and signs (%u checks)\n", checks);
}

/* ---- sweep.tsv -------------------------------------------------------------- */

static const char sweep_text[] =
	"kind\ttrace\ta\tb\tc\td\te\n"
	"tlb\tls\t8\t2\t16\t1000\t50\n"
	"tlb\tls\t2\t2\t4\t1000\t200\n"
	"mem\tls\t4\tOPT\t30\t500\t10\n"
	"kind\ttrace\ta\tb\tc\td\te\n"                  /* line 5: another shard */
	"l1\tgcc\t8\t1\t512\t2000\t100\n"
	"mem\tls\t4\tos-clock\t40\t500\t10\n"
	"tlb\tls\t4\t1\t4\t1000\t300\n"
	"cache\tls\t1\t1\t1\t1\t1\n"                    /* 9: unknown kind */
	"tlb\tls\t4\t1\t4\t1000\n"                      /* 10: 6 fields */
	"tlb\tls\tx\t1\t4\t1000\t1\n"                   /* 11: not a number */
	"tlb\tls\t4\t1\t4\t1000\t1001\n"                /* 12: misses > lookups */
	"l1\tls\t4\t1\t4\t0\t0\n"                       /* 13: no lookups */
	"mem\tls\t0\tLRU\t1\t1\t1\n"                    /* 14: no frames */
	"mem\tls\t8\tLRU\t20\t500\t10\textra\n";       /* extra field: fine */

static void test_tsv_sweep(void **state)
{
	struct tmp t;
	struct sweep s = { 0 };
	struct report_diags d = { 0 };
	char note[256];

	(void)state;
	checks = 0;
	tmp_init(&t);
	CHECK_EQ(tsv_read_sweep(tmp_text(&t, "sweep.tsv", sweep_text), &s, &d, note,
				sizeof(note)), TSV_OK);
	CHECK_EQ(s.n, 7);
	CHECK_EQ(s.ntrace, 2);
	CHECK_STR(s.trace[0], "ls");
	CHECK_STR(s.trace[1], "gcc");
	CHECK(s.row[0].kind == SWEEP_TLB && s.row[0].a == 8 && s.row[0].b == 2 &&
	      s.row[0].c == 16 && s.row[0].d == 1000 && s.row[0].e == 50);
	CHECK(s.row[2].kind == SWEEP_MEM && s.row[2].a == 4 && s.row[2].c == 30);
	CHECK_STR(s.row[2].policy, "OPT");
	CHECK(s.row[3].kind == SWEEP_L1 && s.row[3].trace == 1);
	CHECK_STR(s.row[6].policy, "LRU");
	CHECK_EQ(d.malformed, 6);
	CHECK_STR(d.d[0].where, "sweep.tsv:9");
	CHECK_STR(d.d[5].where, "sweep.tsv:14");
	CHECK(strstr(d.d[3].why, "more misses") != NULL);
	sweep_free(&s);
	CHECK_EQ(s.n, 0);

	CHECK_EQ(tsv_read_sweep(tmp_path(&t, "nope.tsv"), &s, &d, note, sizeof(note)),
		 TSV_MISSING);
	CHECK(strstr(note, "nope.tsv") && strstr(note, "not found"));
	CHECK_EQ(tsv_read_sweep(NULL, &s, &d, note, sizeof(note)), TSV_MISSING);
	CHECK_STR(note, "no sweep file given");
	tmp_done(&t);
	printf("report: sweep.tsv: tlb/l1/mem rows of two traces in any order, a "
	       "repeated header skipped, 6 malformed lines (kind, field count, "
	       "number, misses > lookups, zero lookups, zero frames) counted, "
	       "missing and NULL paths (%u checks)\n", checks);
}

/* ---- text helpers ----------------------------------------------------------- */

static void test_text(void **state)
{
	char buf[64];
	char *e;

	(void)state;
	checks = 0;
	report_fmt_num(buf, sizeof(buf), 1234567, 0);
	CHECK_STR(buf, "1,234,567");
	report_fmt_num(buf, sizeof(buf), -1234.5, 1);
	CHECK_STR(buf, "-1,234.5");
	report_fmt_num(buf, sizeof(buf), 999, 0);
	CHECK_STR(buf, "999");
	report_fmt_num(buf, sizeof(buf), -0.0001, 2);
	CHECK_STR(buf, "0.00");
	report_fmt_num(buf, sizeof(buf), NAN, 2);
	CHECK_STR(buf, "-");
	report_fmt_num(buf, 4, 1234567, 0);          /* cut, but terminated */
	CHECK(strlen(buf) < 4);
	report_fmt_bytes(buf, sizeof(buf), 512);
	CHECK_STR(buf, "0.5 KiB");
	report_fmt_bytes(buf, sizeof(buf), 1024);
	CHECK_STR(buf, "1 KiB");
	report_fmt_bytes(buf, sizeof(buf), 131072);
	CHECK_STR(buf, "128 KiB");
	report_fmt_bytes(buf, sizeof(buf), 3 << 20);
	CHECK_STR(buf, "3 MiB");
	report_fmt_bytes(buf, sizeof(buf), 100);
	CHECK_STR(buf, "100 B");
	for (int k = -10; k <= 62; k++)
		CHECK(report_log2(report_exp2i(k)) == k);
	CHECK(report_log2(3) > 1.58496 && report_log2(3) < 1.58497);
	CHECK(isnan(report_log2(0)) && isnan(report_log2(-4)) &&
	      isnan(report_log2(NAN)));
	CHECK(report_floor(-1.5) == -2 && report_floor(2) == 2 &&
	      report_floor(2.7) == 2);
	CHECK(report_ceil(-1.5) == -1 && report_ceil(2) == 2 && report_ceil(2.1) == 3);

	e = escaped("<script>alert(\"x&y\")</script>'\x01");
	CHECK_STR(e, "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39; ");
	free(e);
	printf("report: text: thousands separators, no '-0', NaN as '-', byte "
	       "sizes in B/KiB/MiB, log2 exact on 2^-10..2^62 without libm, "
	       "floor/ceil, HTML escaping of <script>, quotes and control bytes "
	       "(%u checks)\n", checks);
}

/* ---- the chart writer ------------------------------------------------------- */

static void is_pow2_tick(double v)
{
	double l = report_log2(v);

	CHECK_MSG(l == report_floor(l), "tick %g is not a power of two", v);
}

static void test_svg_log2(void **state)
{
	struct svg_chart c;
	struct svg_layout l;
	struct svg_series *a, *b;
	char *svg;

	(void)state;
	checks = 0;
	svg_chart_init(&c, "TLB <miss>", "entries", "miss rate (%)", SVG_LOG2,
		       SVG_FMT_NUM);
	a = svg_add_series(&c, "1-way");
	b = svg_add_series(&c, "4-way");
	assert_non_null(a);
	assert_non_null(b);
	/* out of order, and a repeated x */
	for (unsigned e = 1024; e >= 4; e /= 2)
		assert_int_equal(svg_add_point(a, e, 4096.0 / e, "pt"), 0);
	assert_int_equal(svg_add_point(a, 64, 1, "again"), 0);
	assert_int_equal(svg_add_point(b, 16, 2, "b"), 0);
	assert_int_equal(svg_add_point(b, 8, 3, "b"), 0);
	CHECK_EQ(svg_sort_series(a), 1);
	CHECK_EQ(svg_sort_series(b), 0);
	CHECK_EQ(a->n, 9);
	for (size_t i = 1; i < a->n; i++)
		CHECK(a->pt[i].x > a->pt[i - 1].x);
	CHECK(b->pt[0].x == 8);

	svg_layout(&c, &l);
	CHECK(l.x.nticks >= 2 && l.x.nticks <= 11);
	for (unsigned i = 0; i < l.x.nticks; i++)
		is_pow2_tick(l.x.tick[i]);
	CHECK(l.x.tick[0] == 4 && l.x.tick[l.x.nticks - 1] == 1024);
	/* the ends of the data on the ends of the padded plot */
	CHECK(svg_px(&l, 4) == SVG_LEFT + SVG_PAD);
	CHECK(svg_px(&l, 1024) == SVG_RIGHT - SVG_PAD);
	CHECK(svg_px(&l, 32) > svg_px(&l, 16));
	/* equal steps per doubling */
	CHECK(absd((svg_px(&l, 64) - svg_px(&l, 32)) -
		   (svg_px(&l, 32) - svg_px(&l, 16))) < 1e-9);
	CHECK(svg_py(&l, 0) == SVG_BOTTOM);
	CHECK(l.y.lo == 0 && l.y.hi >= 1024);
	CHECK(svg_py(&l, 1024) >= SVG_TOP && svg_py(&l, 1024) < svg_py(&l, 512));

	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 11);
	CHECK_EQ(count(svg, "<polyline"), 2);
	CHECK_EQ(count(svg, "<title>pt</title>"), 9);   /* the first x=64 is kept */
	CHECK_EQ(count(svg, "again"), 0);
	CHECK(strstr(svg, ">1,024</text>") && strstr(svg, ">4</text>") &&
	      strstr(svg, ">256</text>"));
	CHECK(strstr(svg, "TLB &lt;miss&gt;") && !strstr(svg, "<miss>"));
	CHECK(strstr(svg, ">1-way</text>") && strstr(svg, ">4-way</text>"));
	CHECK(strstr(svg, "miss rate (%)") != NULL);
	free(svg);
	svg_chart_free(&c);

	/* bytes: 0.5 KiB .. 128 KiB, at most 11 ticks over a wide range */
	svg_chart_init(&c, "L1", "size", "%", SVG_LOG2, SVG_FMT_BYTES);
	a = svg_add_series(&c, "2-way");
	assert_int_equal(svg_add_point(a, 512, 9, "x"), 0);
	assert_int_equal(svg_add_point(a, 131072, 1, "x"), 0);
	svg = svg_text(&c);
	CHECK(strstr(svg, ">0.5 KiB</text>") && strstr(svg, ">128 KiB</text>"));
	free(svg);
	assert_int_equal(svg_add_point(a, 1ull << 40, 1, "x"), 0);
	svg_layout(&c, &l);
	CHECK(l.x.nticks <= 11);
	for (unsigned i = 0; i < l.x.nticks; i++)
		is_pow2_tick(l.x.tick[i]);
	svg_chart_free(&c);
	printf("report: log2 chart: 11 markers inside the plot area, ticks at "
	       "powers of two 4..1,024 (and KiB labels), equal spacing per doubling, "
	       "points sorted and a repeated x dropped, title escaped, legend "
	       "(%u checks)\n", checks);
}

static void test_svg_linear(void **state)
{
	struct svg_chart c;
	struct svg_layout l;
	struct svg_series *s;
	char *svg;
	static const double frames[] = { 4, 6, 9, 12, 18, 24, 30, 36, 42, 48, 54, 60 };

	(void)state;
	checks = 0;
	svg_chart_init(&c, "faults", "frames", "faults", SVG_LINEAR, SVG_FMT_NUM);
	s = svg_add_series(&c, "OPT");
	s->dash = SVG_DASHED;
	for (unsigned i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		assert_int_equal(svg_add_point(s, frames[i], 20164 / frames[i],
					       "p"), 0);
	svg_layout(&c, &l);
	/* nice ticks: equally spaced, 1/2/2.5/5 x 10^k, covering the data */
	CHECK(l.x.tick[0] <= 4 && l.x.tick[l.x.nticks - 1] >= 60);
	CHECK(l.y.tick[0] == 0 && l.y.tick[l.y.nticks - 1] >= 5041);
	CHECK(l.x.nticks >= 3 && l.x.nticks <= 12);
	CHECK(l.y.nticks >= 3 && l.y.nticks <= 12);
	for (unsigned i = 2; i < l.y.nticks; i++)
		CHECK(absd((l.y.tick[i] - l.y.tick[i - 1]) -
			   (l.y.tick[1] - l.y.tick[0])) < 1e-9);
	CHECK(l.x.tick[1] - l.x.tick[0] == 10);
	CHECK(l.y.tick[1] - l.y.tick[0] == 1000);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 12);
	CHECK(strstr(svg, "stroke-dasharray=\"8 5\"") != NULL);
	CHECK(strstr(svg, ">5,000</text>") && strstr(svg, ">60</text>"));
	free(svg);
	svg_chart_free(&c);
	printf("report: linear chart: ticks every 10 frames from 0 and every 1,000 "
	       "faults, 12 markers inside, dashed series (%u checks)\n", checks);
}

static void test_svg_degenerate(void **state)
{
	struct svg_chart c;
	struct svg_layout l;
	struct svg_series *s;
	char *svg;

	(void)state;
	checks = 0;
	/* one point: a frame around it, one marker, no line */
	svg_chart_init(&c, "one", "x", "y", SVG_LOG2, SVG_FMT_NUM);
	s = svg_add_series(&c, "alone");
	assert_int_equal(svg_add_point(s, 64, 0.5, "the point"), 0);
	CHECK_EQ(svg_sort_series(s), 0);
	svg_layout(&c, &l);
	CHECK(l.x.hi > l.x.lo && l.y.hi > l.y.lo);
	CHECK(l.x.tick[0] == 32 && l.x.tick[l.x.nticks - 1] == 128);
	CHECK(svg_px(&l, 64) > SVG_LEFT + SVG_PAD &&
	      svg_px(&l, 64) < SVG_RIGHT - SVG_PAD);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 1);
	CHECK_EQ(count(svg, "<polyline"), 0);
	CHECK(strstr(svg, "<title>the point</title>") && !strstr(svg, "no data"));
	free(svg);
	svg_chart_free(&c);

	/* one point, linear, at zero */
	svg_chart_init(&c, "zero", "x", "y", SVG_LINEAR, SVG_FMT_NUM);
	assert_int_equal(svg_add_point(svg_add_series(&c, "z"), 0, 0, "0"), 0);
	svg_layout(&c, &l);
	CHECK(l.x.hi > l.x.lo && l.y.hi > l.y.lo);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 1);
	free(svg);
	svg_chart_free(&c);

	/* empty series, undrawable points, no series at all */
	svg_chart_init(&c, "empty", "x", "y", SVG_LOG2, SVG_FMT_NUM);
	s = svg_add_series(&c, "nothing");
	CHECK_EQ(svg_sort_series(s), 0);
	s = svg_add_series(&c, "bad");
	assert_int_equal(svg_add_point(s, 0, 1, "x=0"), 0);
	assert_int_equal(svg_add_point(s, -8, 1, "x<0"), 0);
	assert_int_equal(svg_add_point(s, NAN, 1, "nan"), 0);
	assert_int_equal(svg_add_point(s, 8, INFINITY, "inf"), 0);
	svg_layout(&c, &l);
	CHECK(l.x.hi > l.x.lo && l.y.hi > l.y.lo && l.x.nticks >= 2);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 0);
	CHECK_EQ(count(svg, "<polyline"), 0);
	CHECK(strstr(svg, "no data") && strstr(svg, ">nothing</text>"));
	free(svg);
	svg_chart_free(&c);
	svg_chart_init(&c, NULL, NULL, NULL, SVG_LINEAR, SVG_FMT_NUM);
	svg = svg_text(&c);
	CHECK(strstr(svg, "</svg>") != NULL);
	free(svg);
	svg_chart_free(&c);

	/* extreme values are clamped, never out of the frame */
	svg_chart_init(&c, "huge", "x", "y", SVG_LINEAR, SVG_FMT_NUM);
	s = svg_add_series(&c, "h");
	assert_int_equal(svg_add_point(s, -1e308, 1e308, "a"), 0);
	assert_int_equal(svg_add_point(s, 1e308, -1e308, "b"), 0);
	svg = svg_text(&c);
	CHECK_EQ(markers_inside(svg), 2);
	free(svg);
	svg_chart_free(&c);
	printf("report: degenerate charts: a single point (log2 frame 32..128, "
	       "no line), a point at 0, empty and undrawable series ('no data', "
	       "legend kept), no series, +-1e308 clamped (%u checks)\n", checks);
}

/* ---- whole reports ---------------------------------------------------------- */

static const char e2e_summary[] =
	"index\tkind\tname\tbackend\taccesses\tcycles\ttlb_hit\tl1_hit\twalks\t"
	"rd_walk\tpf\tminor\tmajor\tcow\tswap_in\tswap_out\tcheck\tsecs\tdetail\n"
	"2\ttrace\t<script>alert(1)</script>\tgolden\t74089\t794991\t99.061\t97.469\t"
	"701\t2.217\t213\t48\t165\t11\t16\t23\tFAIL\t0.350\ta & b\n"
	"0\tscenario\tbrk\tgolden\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t"
	"PASS\t0.020\t27 steps\n"
	"1\tseed\tx86-1\tgolden\t49563\t-\t34.1\t7.4\t32719\t3.18\t25665\t-\t-\t-\t"
	"-\t-\tPASS\t0.914\tok\n";

static const char e2e_sweep[] =
	"kind\ttrace\ta\tb\tc\td\te\n"
	"tlb\tls\t4\t1\t4\t1000\t100\n"
	"tlb\tls\t8\t1\t8\t1000\t50\n"
	"tlb\tls\t2\t2\t4\t1000\t80\n"
	"tlb\tls\tbad\t2\t8\t1000\t40\n"                 /* line 5 */
	"l1\tls\t8\t1\t512\t900\t90\n"
	"l1\tls\t16\t1\t1024\t900\t60\n"
	"mem\tls\t8\tos-clock\t50\t300\t20\n"
	"mem\tls\t4\tos-clock\t90\t300\t20\n"
	"mem\tls\t4\tFIFO\t95\t300\t20\n"
	"mem\tls\t8\tFIFO\t55\t300\t20\n"
	"mem\tls\t4\tLRU\t85\t300\t20\n"
	"mem\tls\t8\tLRU\t45\t300\t20\n"
	"mem\tls\t4\tCLOCK\t90\t300\t20\n"
	"mem\tls\t8\tCLOCK\t50\t300\t20\n"
	"mem\tls\t4\tOPT\t60\t300\t20\n"
	"mem\tls\t8\tOPT\t30\t300\t20\n"
	"kind\ttrace\ta\tb\tc\td\te\n"
	"tlb\t<b>cc</b>\t1\t4\t4\t500\t10\n"
	"l1\t<b>cc</b>\t8\t2\t1024\t500\t10\n"
	"mem\t<b>cc</b>\t4\tOPT\t20\t100\t9\n"
	"mem\t<b>cc</b>\t6\tOPT\t15\t100\t9\n"
	"mem\tonlymem\t4\tLRU\t20\t100\t9\n";

static void test_end_to_end(void **state)
{
	struct tmp t;
	const struct report_meta meta = { .title = "mmu-cosim: <test>",
					  .subtitle = "config x86 & friends" };
	const char *sum, *sw, *out;
	char err[256], *html;

	(void)state;
	checks = 0;
	tmp_init(&t);
	sum = tmp_text(&t, "summary.tsv", e2e_summary);
	sw = tmp_text(&t, "sweep.tsv", e2e_sweep);
	out = tmp_path(&t, "report.html");
	CHECK_MSG(report_html(sum, sw, out, &meta, err, sizeof(err)) == 0, "%s", err);
	html = slurp(out);
	/* the page and its header */
	CHECK(!strncmp(html, "<!DOCTYPE html>", 15) && strstr(html, "</html>\n"));
	CHECK(strstr(html, "<title>mmu-cosim: &lt;test&gt;</title>") != NULL);
	CHECK(strstr(html, "config x86 &amp; friends") != NULL);
	CHECK(!strstr(html, "<script") && !strstr(html, "<b>cc"));
	CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(html, "Trace <code>&lt;b&gt;cc&lt;/b&gt;</code>") != NULL);
	/* totals and the table */
	CHECK(strstr(html, ">3 workloads<") && strstr(html, ">2 passed<") &&
	      strstr(html, ">1 failed<"));
	CHECK_EQ(count(html, "<td class=\"pass\">PASS</td>"), 2);
	CHECK_EQ(count(html, "<td class=\"fail\">FAIL</td>"), 1);
	CHECK_EQ(count(html, "<tr class=\"fail\">"), 1);
	CHECK(strstr(html, ">794,991<") && strstr(html, ">99.1%<") &&
	      strstr(html, ">2.22<"));
	{
		const char *table = strstr(html, "<table");

		/* sorted by index */
		CHECK(table && strstr(table, ">brk<") < strstr(table, ">x86-1<"));
		CHECK(strstr(table, ">x86-1<") < strstr(table, "alert(1)&lt;"));
	}
	CHECK(strstr(html, "Failed: &lt;script&gt;") != NULL);
	/* charts: three per full trace, in order, with legends */
	CHECK_EQ(count(html, "<svg"), 7);
	CHECK_EQ(count(html, "<figure class=\"chart-tlb\">"), 2);
	CHECK_EQ(count(html, "<figure class=\"chart-l1\">"), 2);
	CHECK_EQ(count(html, "<figure class=\"chart-mem\">"), 3);
	CHECK_EQ(count(html, "No TLB sweep for this trace."), 1);
	CHECK_EQ(count(html, "No L1 sweep for this trace."), 1);
	{
		const char *ls = strstr(html, "Trace <code>ls</code>");
		const char *tlb = strstr(html, "chart-tlb");
		const char *l1 = strstr(html, "chart-l1");
		const char *mem = strstr(html, "chart-mem");

		CHECK(ls && ls < tlb && tlb < l1 && l1 < mem);
	}
	CHECK(strstr(html, ">1-way</text>") && strstr(html, ">2-way</text>") &&
	      strstr(html, ">4-way</text>"));
	{
		const char *pol[] = { "os-clock", "LRU", "OPT", "FIFO", "CLOCK" };
		const char *prev = html;

		/* the legend of the first memory chart, in its order */
		for (unsigned i = 0; i < 5; i++) {
			char want[32];
			const char *at;

			snprintf(want, sizeof(want), ">%s</text>", pol[i]);
			at = strstr(prev, want);
			CHECK_MSG(at != NULL, "legend %s missing or out of order",
				  pol[i]);
			prev = at;
		}
	}
	CHECK(strstr(html, ">distinct pages (20)</text>") != NULL);
	CHECK(strstr(html, "OPT (dashed) is a lower bound: no policy can "
		     "fault less") != NULL);
	CHECK(strstr(html, ">0.5 KiB</text>") != NULL);
	CHECK(strstr(html, "<title>1-way, 8 entries (8 sets): 5.00% misses "
		     "(50 of 1,000)</title>"));
	/* the malformed sweep line */
	CHECK(strstr(html, "1 malformed line skipped (") != NULL);
	CHECK(strstr(html, ">sweep.tsv:5</span>)") != NULL);
	/* the columns explained once, under the table, and how faults add up */
	CHECK_EQ(count(html, "<summary>What the columns mean</summary>"), 1);
	CHECK(strstr(html, "</table>") < strstr(html, "What the columns mean"));
	CHECK(strstr(html, "<dt>faults</dt><dd>#PF exceptions the MMU raised") &&
	      strstr(html, "<dt>minor</dt><dd>faults the OS resolved without I/O"));
	CHECK(strstr(html, "How the fault columns add up: minor + major counts "
		     "every fault the OS resolved") != NULL);
	/* the table scrolls in its box, the page does not */
	CHECK(strstr(html, ".wide{overflow-x:auto") &&
	      strstr(html, "<div class=\"wide\">\n<table"));
	CHECK(strstr(html, "@media (max-width:900px)") != NULL);
	/* the L1 chart's caption gives the stop reason too */
	CHECK(strstr(html, "Each line stops at ways &times; 0.5 KiB") != NULL);
	free(html);

	/* a missing sweep file: the table, no charts, a note */
	CHECK_MSG(report_html(sum, tmp_path(&t, "missing.tsv"), out, &meta, err,
			      sizeof(err)) == 0, "%s", err);
	html = slurp(out);
	CHECK_EQ(count(html, "<svg"), 0);
	CHECK(strstr(html, "No sweep results: no plots (sweep file ") &&
	      strstr(html, "missing.tsv: not found)."));
	CHECK(strstr(html, ">1 failed<") && !strstr(html, "malformed"));
	free(html);

	/* nothing at all, no meta: still a page */
	CHECK_MSG(report_html(NULL, NULL, out, NULL, err, sizeof(err)) == 0, "%s", err);
	html = slurp(out);
	CHECK(strstr(html, ">0 workloads<"));
	CHECK(strstr(html, "No summary: no workload table (no summary file "
		     "given)."));
	CHECK(strstr(html, "No sweep results: no plots (no sweep file given)."));
	CHECK(strstr(html, "<h1>mmu-cosim report</h1>"));
	free(html);

	/* a sweep with only bad rows */
	sw = tmp_text(&t, "bad.tsv", "kind\tx\nfoo\n");
	CHECK_MSG(report_html(sum, sw, out, &meta, err, sizeof(err)) == 0, "%s",
		  err);
	html = slurp(out);
	CHECK(strstr(html, "The sweep file has no usable rows: no plots.") != NULL);
	CHECK(strstr(html, "1 malformed line skipped") != NULL);
	free(html);

	/* a sweep file with its header only (mmurun --no-sweeps): why no plots */
	sw = tmp_text(&t, "empty.tsv", "kind\ttrace\ta\tb\tc\td\te\n");
	CHECK_MSG(report_html(sum, sw, out, &meta, err, sizeof(err)) == 0, "%s",
		  err);
	html = slurp(out);
	CHECK(strstr(html, "The sweep file has no rows, so there are no plots: "
		     "this run swept nothing (mmurun --no-sweeps") != NULL);
	free(html);

	/* an output that cannot be written */
	err[0] = '\0';
	CHECK_EQ(report_html(sum, sw, "/nonexistent-dir/r.html", &meta, err,
			     sizeof(err)), -1);
	CHECK(strstr(err, "/nonexistent-dir/r.html") != NULL);
	CHECK_EQ(report_html(sum, sw, NULL, &meta, err, sizeof(err)), -1);
	CHECK_EQ(report_html(sum, sw, NULL, &meta, NULL, 0), -1);
	tmp_done(&t);
	printf("report: end to end: 3 traces give 7 charts (3+3+1, notes for the "
	       "absent sweeps), legends 1/2/4-way and os-clock, LRU, OPT, FIFO, "
	       "CLOCK in order, 3 workloads 2 passed 1 failed, names escaped, rows "
	       "sorted by index, a malformed line listed; a missing sweep file "
	       "gives no charts and a note; unwritable output is an error "
	       "(%u checks)\n", checks);
}

/* ---- any input -------------------------------------------------------------- */

static struct regress_rng rng = { 0x9e3779b97f4a7c15ull };

static unsigned rnd(unsigned n)
{
	return (unsigned)regress_rng_below(&rng, n);
}

/* Random lines made of pieces that look like the real thing. */
static size_t garbage(char *buf, size_t cap)
{
	static const char *const piece[] = {
		"\t", "\n", "\r\n", "-", "0", "7", "1024", "99.5", "1e308", "-3",
		"kind", "trace", "tlb", "l1", "mem", "OPT", "os-clock", "index",
		"name", "check", "PASS", "FAIL", "<script>", "&", "\"", "x", "",
		"18446744073709551616", "nan", "\xff\xfe", "secs", "detail",
	};
	size_t n = 0;
	unsigned len = rnd(400);

	for (unsigned i = 0; i < len; i++) {
		const char *p;

		if (!rnd(50) && n + 1 < cap) {
			buf[n++] = (char)rnd(256);   /* NUL bytes too */
			continue;
		}
		p = piece[rnd(sizeof(piece) / sizeof(piece[0]))];
		if (n + strlen(p) >= cap)
			break;
		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	return n;
}

static void test_any_input(void **state)
{
	struct tmp t;
	char *buf = malloc(1 << 16), err[256];
	const char *out;
	unsigned runs = 200;

	(void)state;
	checks = 0;
	assert_non_null(buf);
	tmp_init(&t);
	out = tmp_path(&t, "r.html");
	for (unsigned i = 0; i < runs; i++) {
		size_t n = garbage(buf, 1 << 16);
		const char *sum, *sw;

		sum = tmp_file(&t, "s.tsv", buf, n);
		/* half the time a valid header first, so rows get parsed */
		if (i % 2) {
			size_t h = strlen(e2e_summary);

			memcpy(buf, e2e_summary, h);
			n = h + garbage(buf + h, (1 << 16) - h);
			sum = tmp_file(&t, "s.tsv", buf, n);
		}
		n = 0;
		if (i % 3 == 0) {   /* and sometimes real sweep rows to chart */
			n = strlen(e2e_sweep);
			memcpy(buf, e2e_sweep, n);
		}
		n += garbage(buf + n, (1 << 16) - n);
		sw = tmp_file(&t, "w.tsv", buf, n);
		CHECK_MSG(report_html(sum, sw, out, NULL, err, sizeof(err)) == 0,
			  "%s", err);
	}
	/* one long line */
	memset(buf, 'a', (1 << 16) - 1);
	tmp_file(&t, "s.tsv", buf, (1 << 16) - 1);
	CHECK_EQ(report_html(tmp_path(&t, "s.tsv"), tmp_path(&t, "s.tsv"), out, NULL,
			     err, sizeof(err)), 0);
	/* a directory as input */
	CHECK_EQ(report_html(t.dir, t.dir, out, NULL, err, sizeof(err)), 0);
	free(buf);
	tmp_done(&t);
	printf("report: %u reports from random TSV-like bytes (NUL bytes, bad "
	       "numbers, stray headers), a 64 KiB line and a directory as input: "
	       "all written, no sanitizer report (%u checks)\n", runs, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_summary),
		cmocka_unit_test(test_tsv_fields),
		cmocka_unit_test(test_tsv_sweep),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_svg_log2),
		cmocka_unit_test(test_svg_linear),
		cmocka_unit_test(test_svg_degenerate),
		cmocka_unit_test(test_end_to_end),
		cmocka_unit_test(test_any_input),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
