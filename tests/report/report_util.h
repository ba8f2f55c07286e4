/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the report tests: cmocka checks that count themselves,
 * a temp dir with its files, reading a file back, the SVG of a chart as a
 * string, and the markers of a chart checked to be inside the plot area.
 */
#ifndef TEST_REPORT_UTIL_H
#define TEST_REPORT_UTIL_H

#include "../../sw/report/report_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

extern unsigned checks;
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)
#define CHECK_STR(a, b) do { assert_string_equal((a), (b)); checks++; } while (0)
#define CHECK_MSG(c, ...) do { if (!(c)) fail_msg(__VA_ARGS__); checks++; } while (0)

/* A temp dir and the files written into it, removed by tmp_done. */
struct tmp {
	char dir[64];
	char path[8][128];
	unsigned n;
};

void tmp_init(struct tmp *t);
const char *tmp_path(struct tmp *t, const char *name);
const char *tmp_file(struct tmp *t, const char *name, const char *text,
		     size_t len);
const char *tmp_text(struct tmp *t, const char *name, const char *text);
void tmp_done(struct tmp *t);
char *slurp(const char *path);
double absd(double v);
unsigned count(const char *hay, const char *needle);
char *svg_text(const struct svg_chart *c);
char *escaped(const char *s);
unsigned markers_inside(const char *svg);

#endif
