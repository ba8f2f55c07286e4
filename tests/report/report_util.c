/* SPDX-License-Identifier: MIT */
/* Helpers of the report tests (report_util.h). */
#include "report_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned checks;

void tmp_init(struct tmp *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_report.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
}

/* The path of name in the dir (remembered for clean-up). */
const char *tmp_path(struct tmp *t, const char *name)
{
	for (unsigned i = 0; i < t->n; i++) {
		const char *slash = strrchr(t->path[i], '/');

		if (!strcmp(slash + 1, name))
			return t->path[i];
	}
	char dir[sizeof(t->dir)];

	assert_true(t->n < 8);
	memcpy(dir, t->dir, sizeof(dir));   /* GCC 12 -Wrestrict: t is the target too */
	snprintf(t->path[t->n], sizeof(t->path[0]), "%s/%s", dir, name);
	return t->path[t->n++];
}

const char *tmp_file(struct tmp *t, const char *name, const char *text,
		     size_t len)
{
	const char *path = tmp_path(t, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

const char *tmp_text(struct tmp *t, const char *name, const char *text)
{
	return tmp_file(t, name, text, strlen(text));
}

void tmp_done(struct tmp *t)
{
	for (unsigned i = 0; i < t->n; i++)
		unlink(t->path[i]);   /* some were never written */
	CHECK_EQ(rmdir(t->dir), 0);
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* No libm is linked: fabs may not be a builtin everywhere. */
double absd(double v)
{
	return v < 0 ? -v : v;
}

unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* What svg_write produces, as a string (free it). */
char *svg_text(const struct svg_chart *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	CHECK_EQ(svg_write(f, c), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	report_escape(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Every marker of the plotted series (not the legend's) inside the plot
 * area; returns how many there are. */
unsigned markers_inside(const char *svg)
{
	unsigned n = 0;

	for (const char *g = svg; (g = strstr(g, "class=\"pts\">")); g++) {
		const char *end = strstr(g, "</g>");

		assert_non_null(end);
		for (const char *p = g; (p = strstr(p, "<circle cx=")) && p < end;
		     p++) {
			double cx, cy;

			assert_int_equal(sscanf(p, "<circle cx=\"%lf\" cy=\"%lf\"",
						&cx, &cy), 2);
			CHECK_MSG(cx >= SVG_LEFT && cx <= SVG_RIGHT && cy >= SVG_TOP &&
				  cy <= SVG_BOTTOM, "marker at %g,%g outside", cx, cy);
			n++;
		}
	}
	return n;
}
