/* SPDX-License-Identifier: MIT */
/*
 * The rows of a run's summary (report.h): the text table, summary.tsv
 * written, and its rows read back for --merge.  html.c and tsv.c read the
 * same file for the page; the columns' explanations are html.c's.
 */
#include "report_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void report_row_init(struct report_row *r, unsigned index, const char *kind,
		     const char *name)
{
	memset(r, 0, sizeof(*r));
#define ROW_UNKNOWN(f, head, hw, w, fmt, prec) r->f = NAN;
	REPORT_ROW_NUMS(ROW_UNKNOWN)
#undef ROW_UNKNOWN
	r->ok = true;
	r->index = index;
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->name, sizeof(r->name), "%s", name);
}

void report_row_fail(struct report_row *r, const char *fmt, ...)
{
	va_list ap;
	char buf[4096];

	r->ok = false;
	if (r->fail)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->fail = strdup(buf);
}

/* ---- the text table ---------------------------------------------------------- */

static void cell(FILE *f, int width, double v, const char *fmt)
{
	if (isnan(v))
		fprintf(f, " %*s", width, "-");
	else
		fprintf(f, fmt, width, v);
}

static void row_text(FILE *f, const struct report_row *r)
{
	char id[128];

	snprintf(id, sizeof(id), "%s:%s", r->kind, r->name);
	fprintf(f, "%-26.26s %-11.11s", id, r->backend);
#define ROW_CELL(fl, head, hw, w, fmt, prec) cell(f, w, r->fl, fmt);
	REPORT_ROW_NUMS(ROW_CELL)
#undef ROW_CELL
	fprintf(f, " %-5s %6.1fs", r->ok ? "PASS" : "FAIL", r->secs);
	cell(f, 8, isnan(r->accesses) || r->secs <= 0 ? NAN :
	     r->accesses / r->secs / 1e3, " %*.1f");
	fprintf(f, "\n");
}

void report_summary_text(FILE *f, const struct report_row *r, unsigned n)
{
	double tacc = 0, tsec = 0;
	unsigned failed = 0;

	fprintf(f, "%-26s %-11s", "workload", "backend");
#define ROW_HEAD(fl, head, hw, w, fmt, prec) fprintf(f, " %*s", hw, head);
	REPORT_ROW_NUMS(ROW_HEAD)
#undef ROW_HEAD
	fprintf(f, " %-5s %7s %8s\n", "check", "time", "kacc/s");
	for (unsigned i = 0; i < n; i++) {
		row_text(f, &r[i]);
		if (!isnan(r[i].accesses))
			tacc += r[i].accesses;
		tsec += r[i].secs;
		failed += !r[i].ok;
	}
	/* the total of the accesses, the other columns blank */
	fprintf(f, "%-26s %-11s", "total", "");
#define ROW_TOTAL(fl, head, hw, w, fmt, prec)                               \
	if (&r->fl == &r->accesses)                                          \
		fprintf(f, " %*.0f", w, tacc);                               \
	else                                                                 \
		fprintf(f, " %*s", hw, "");
	REPORT_ROW_NUMS(ROW_TOTAL)
#undef ROW_TOTAL
	fprintf(f, " %-5s %6.1fs\n\nColumns:\n", failed ? "FAIL" : "PASS", tsec);
#define ROW_DOC(fl, head, hw, w, fmt, prec) \
	report_text_wrap(f, head, report_column_doc(#fl), 100);
	REPORT_ROW_NUMS(ROW_DOC)
#undef ROW_DOC
	report_text_wrap(f, "Sums:", report_columns_sum, 100);
}

/* ---- summary.tsv written --------------------------------------------------- */

static void tsv_num(FILE *f, double v, int prec)
{
	if (isnan(v))
		fputs("\t-", f);
	else
		fprintf(f, "\t%.*f", prec, v);
}

/* Text in a TSV cell: a tab becomes a space, a newline "\\n" and a
 * backslash "\\\\", so that --merge gets the failure text back whole. */
static void tsv_text(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s == '\t' ? ' ' : *s, f);
	}
}

int report_summary_write(const char *path, const struct report_row *r,
			 unsigned n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("index\tkind\tname\tbackend", f);
#define ROW_TSV_HEAD(fl, head, hw, w, fmt, prec) fputs("\t" #fl, f);
	REPORT_ROW_NUMS(ROW_TSV_HEAD)
#undef ROW_TSV_HEAD
	fputs("\tcheck\tsecs\tdetail\tfail\tlog\n", f);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "%u\t%s\t%s\t%s", r[i].index, r[i].kind, r[i].name,
			r[i].backend[0] ? r[i].backend : "-");
#define ROW_TSV(fl, head, hw, w, fmt, prec) tsv_num(f, r[i].fl, prec);
		REPORT_ROW_NUMS(ROW_TSV)
#undef ROW_TSV
		fprintf(f, "\t%s\t%.3f", r[i].ok ? "PASS" : "FAIL", r[i].secs);
		tsv_text(f, r[i].detail);
		tsv_text(f, r[i].fail ? r[i].fail : "-");
		tsv_text(f, r[i].log[0] ? r[i].log : "-");
		fputc('\n', f);
	}
	return fclose(f);
}

/* ---- summary.tsv read back ------------------------------------------------- */

/* The inverse of tsv_text, in place. */
static void tsv_untext(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			*d++ = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			*d++ = *s;
		}
	}
	*d = 0;
}

/* Column positions, found by name in the header. */
#define ROW_COL(fl, head, hw, w, fmt, prec) C_##fl,
enum tcol { C_INDEX, C_KIND, C_NAME, C_BACKEND, REPORT_ROW_NUMS(ROW_COL)
	    C_CHECK, C_SECS, C_DETAIL, C_FAIL, C_LOG, C_COLS };
#undef ROW_COL
#define ROW_COL_NAME(fl, head, hw, w, fmt, prec) #fl,
static const char *const tcol_name[C_COLS] = {
	"index", "kind", "name", "backend", REPORT_ROW_NUMS(ROW_COL_NAME)
	"check", "secs", "detail", "fail", "log" };
#undef ROW_COL_NAME
_Static_assert(C_COLS <= REPORT_SUMMARY_MAX_COLS, "the column map's size");

unsigned report_summary_split(char *line, char **f, unsigned max)
{
	size_t n;

	line[strcspn(line, "\r\n")] = 0;
	n = tsv_split(line, f, max);
	return n < max ? (unsigned)n : max;
}

void report_summary_header(struct report_summary_cols *c, char **f,
			   unsigned nf)
{
	for (int k = 0; k < REPORT_SUMMARY_MAX_COLS; k++)
		c->col[k] = -1;
	for (unsigned i = 0; i < nf; i++)
		for (int k = 0; k < C_COLS; k++)
			if (!strcmp(f[i], tcol_name[k]))
				c->col[k] = (int)i;
}

/* A number or "-" (NaN); anything else is not known either. */
static double num_in(const char *s)
{
	double v;

	return tsv_number(s, &v) ? v : NAN;
}

static void row_texts(struct report_row *r, const char *const *v)
{
	if (v[C_DETAIL])
		snprintf(r->detail, sizeof(r->detail), "%s", v[C_DETAIL]);
	if (v[C_LOG] && strcmp(v[C_LOG], "-"))
		snprintf(r->log, sizeof(r->log), "%s", v[C_LOG]);
	if (!r->ok) {
		char *t = strdup(v[C_FAIL] && strcmp(v[C_FAIL], "-") ?
				 v[C_FAIL] : "failed (no text in the shard)");

		if (t)
			tsv_untext(t);
		r->fail = t;
	}
}

bool report_summary_row(const struct report_summary_cols *c, char **f,
			unsigned nf, unsigned no_index, struct report_row *r)
{
	const char *v[C_COLS] = { 0 };
	double index;

	for (int k = 0; k < C_COLS; k++)
		if (c->col[k] >= 0 && (unsigned)c->col[k] < nf)
			v[k] = f[c->col[k]];
	if (!v[C_KIND] || !v[C_NAME] || !v[C_CHECK])
		return false;
	/* the index in the whole list, so the merge restores its order */
	index = v[C_INDEX] ? num_in(v[C_INDEX]) : NAN;
	report_row_init(r, isnan(index) ? no_index : (unsigned)index,
			v[C_KIND], v[C_NAME]);
	snprintf(r->backend, sizeof(r->backend), "%s",
		 v[C_BACKEND] ? v[C_BACKEND] : "-");
#define ROW_READ(fl, head, hw, w, fmt, prec) \
	if (v[C_##fl])                          \
		r->fl = num_in(v[C_##fl]);
	REPORT_ROW_NUMS(ROW_READ)
#undef ROW_READ
	r->secs = v[C_SECS] ? num_in(v[C_SECS]) : 0;
	if (isnan(r->secs))
		r->secs = 0;
	r->ok = !strcmp(v[C_CHECK], "PASS");
	row_texts(r, v);
	return true;
}
