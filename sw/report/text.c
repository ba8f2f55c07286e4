/* SPDX-License-Identifier: MIT */
/*
 * Text helpers of the report: HTML escaping (every byte that came from a
 * file goes through report_escape), the same for XML (report_xml_escape,
 * for JUnit) and number formatting.  No libm: the
 * arithmetic helpers below use loops and integer casts, which is all a
 * report with at most a few thousand points needs.
 */
#include "report_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* HTML and XML text: the five specials as entities; control bytes (not
 * allowed in either) as spaces, newlines and tabs too unless kept. */
static void escape(FILE *f, const char *s, bool keep_lines)
{
	if (!s)
		return;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n':
		case '\t':
			fputc(keep_lines ? ch : ' ', f);
			break;
		default:
			fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
		}
	}
}

void report_escape(FILE *f, const char *s)
{
	escape(f, s, false);
}

void report_xml_escape(FILE *f, const char *s)
{
	escape(f, s, true);
}

/* Insert a ',' every three digits of the integer part of a "%f" string. */
static void group_thousands(char *out, size_t len, const char *num)
{
	const char *p = num, *dot;
	size_t o = 0, digits;

	if (*p == '-')
		out[o++] = *p++;
	dot = strchr(p, '.');
	digits = dot ? (size_t)(dot - p) : strlen(p);
	for (size_t i = 0; i < digits && o + 2 < len; i++) {
		if (i && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	for (p += digits; *p && o + 1 < len; p++)
		out[o++] = *p;
	out[o] = '\0';
}

void report_fmt_num(char *buf, size_t len, double v, int decimals)
{
	char tmp[64];

	if (!len)
		return;
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	/* Beyond 1e15 (or infinite) grouping stops being readable. */
	if (!(v < 1e15 && v > -1e15)) {
		snprintf(buf, len, "%.3g", v);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	/* "-0" and "-0.0" read as noise. */
	if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
		memmove(tmp, tmp + 1, strlen(tmp));
	if (len < 4) {
		report_strf(buf, len, "%s", tmp);
		return;
	}
	group_thousands(buf, len, tmp);
}

/* The fewest decimals (at most 2) that show v exactly to 1/100. */
static int short_decimals(double v)
{
	double c = v * 100;

	if (!(c < 1e15 && c > -1e15))
		return 0;
	long long i = (long long)(c + (c >= 0 ? 0.5 : -0.5));
	return i % 100 == 0 ? 0 : i % 10 == 0 ? 1 : 2;
}

void report_fmt_bytes(char *buf, size_t len, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;
	char num[48];

	if (isnan(bytes)) {
		snprintf(buf, len, "-");
		return;
	}
	/* KiB from 512 bytes on: a 0.5 KiB cache reads better than 512 B
	 * next to 1 KiB, 2 KiB, ... */
	while (u + 1 < sizeof(unit) / sizeof(unit[0]) &&
	       (bytes >= 1024 || bytes <= -1024 ||
		(u == 0 && (bytes >= 512 || bytes <= -512)))) {
		bytes /= 1024;
		u++;
	}
	report_fmt_num(num, sizeof(num), bytes, short_decimals(bytes));
	snprintf(buf, len, "%s %s", num, unit[u]);
}

double report_log2(double x)
{
	double frac = 0, bit = 0.5;
	int e = 0;

	if (!(x > 0) || !isfinite(x))
		return NAN;
	while (x >= 2) {
		x /= 2;
		e++;
	}
	while (x < 1) {
		x *= 2;
		e--;
	}
	/* x in [1, 2): each squaring yields the next binary digit. */
	for (int i = 0; i < 48; i++) {
		x *= x;
		if (x >= 2) {
			x /= 2;
			frac += bit;
		}
		bit /= 2;
	}
	return e + frac;
}

double report_exp2i(int k)
{
	double v = 1;

	if (k > 1023)
		k = 1023;
	if (k < -1074)
		k = -1074;
	for (; k > 0; k--)
		v *= 2;
	for (; k < 0; k++)
		v /= 2;
	return v;
}

double report_floor(double x)
{
	long long i;

	/* 2^52 and beyond, NaN and infinities: nothing to round. */
	if (!(x < 4503599627370496.0 && x > -4503599627370496.0))
		return x;
	i = (long long)x;
	return (double)i > x ? (double)(i - 1) : (double)i;
}

double report_ceil(double x)
{
	long long i;

	if (!(x < 4503599627370496.0 && x > -4503599627370496.0))
		return x;
	i = (long long)x;
	return (double)i < x ? (double)(i + 1) : (double)i;
}

void *report_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	arr = realloc(arr, ncap * size);
	if (arr)
		*cap = ncap;
	return arr;
}

void report_strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

void report_text_wrap(FILE *f, const char *lead, const char *text,
		      unsigned width)
{
	const unsigned indent = 12;
	unsigned col;

	if (!text)
		return;
	fprintf(f, "  %-9s ", lead ? lead : "");
	col = indent > 2 + strlen(lead ? lead : "") + 1 ? indent :
	      2 + (unsigned)strlen(lead) + 1;
	while (*text) {
		size_t word;

		while (*text == ' ')
			text++;
		word = strcspn(text, " ");
		if (!word)
			break;
		if (col > indent && col + 1 + word > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += (unsigned)word;
		text += word;
	}
	fputc('\n', f);
}
