/* SPDX-License-Identifier: MIT */
/*
 * The HTML report of a run: one self-contained page (inline CSS and SVG, no
 * JavaScript, no other files) made from the main job's result files.
 *
 *   summary.tsv  one row per workload; columns found by header name, "-"
 *                for unknown values, unknown columns ignored.  Becomes the
 *                summary table and the PASS/FAIL totals.
 *   sweep.tsv    "kind trace a b c d e" rows (tlb, l1, mem).  Becomes three
 *                line charts per trace: TLB miss rate against entries, L1
 *                miss rate against size, page faults against frames.
 *   coverage.tsv the run's functional coverage (sw/cover), and
 *   build/coverage/summary.tsv  RTL code coverage per module (make
 *                coverage): the "Coverage" section, when meta asks.
 *
 * Malformed lines are skipped, counted and listed in the page; a missing
 * file is a note in the page, not an error.  Nothing here prints or exits.
 */
#ifndef MMU_REPORT_H
#define MMU_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct report_meta {
	const char *title;      /* e.g. "mmu-cosim: standard regression" */
	const char *subtitle;   /* e.g. "config x86, back end golden=rtl, 2026-11-30 14:00 UTC" */
	/* A "Coverage" section (coverage.c) when set: the run's functional
	 * coverage file (sw/cover; NULL: not sampled) and the RTL code
	 * coverage summary of make coverage (REPORT_RTL_COVERAGE; a missing
	 * file: the page says how to get it). */
	bool coverage;
	const char *cover_tsv, *rtl_coverage_tsv;
};

/* Where make coverage (scripts/coverage.sh) writes its per-module figures. */
#define REPORT_RTL_COVERAGE "build/coverage/summary.tsv"

/* The coverage for a run's text summary: cover's figures per group and
 * its first max_holes holes (cover NULL: none), the coverage file's path
 * (NULL: not said), then the RTL code coverage of rtl_tsv per module with
 * where and when it was measured, or how to get it. */
struct cover_set;
void report_coverage_text(FILE *f, struct cover_set *cover,
			  const char *cover_path, const char *rtl_tsv,
			  unsigned max_holes);

/* Write html_path from summary_tsv and sweep_tsv (either may be NULL or a missing file).
 * Returns 0, or -1 with a message in err. Never exits. */
int report_html(const char *summary_tsv, const char *sweep_tsv, const char *html_path,
		const struct report_meta *meta, char *err, size_t errlen);

/* ---- the summary's columns (html.c): one explanation for the page and the
 * text table ------------------------------------------------------------- */

/* What a summary column means, by its summary.tsv name ("pf", "minor",
 * ...), or NULL for a name that is not a column. */
const char *report_column_doc(const char *name);
/* How a row's fault figures relate (faults, minor + major, cow, swap). */
extern const char report_columns_sum[];
/* text to f wrapped at width columns, after lead padded to 10 columns
 * (continuation lines indented as far): for a legend under a text table. */
void report_text_wrap(FILE *f, const char *lead, const char *text,
		      unsigned width);

/* ---- JUnit XML (junit.c): the one writer of the tools' JUnit files ------- */

struct report_junit_case {
	const char *classname;  /* e.g. "mmurun.seed", "mmuregress.lockstep.x86" */
	const char *name;
	double secs;
	const char *failure;    /* NULL: passed; else the report, whose first
				 * line becomes the failure's message */
	const char *failure_type; /* NULL: "check" */
	const char *out;        /* <system-out> text, or NULL */
};

struct report_junit_suite {
	const char *name;       /* <testsuites name> */
	const char *suite;      /* <testsuite name> */
	const char *const *props; /* name, value, name, value, ..., NULL */
};

/* One <testsuites> with one <testsuite> of n cases to f; the time is the
 * cases' sum.  Returns 0, or -1 when writing failed. */
int report_junit(FILE *f, const struct report_junit_suite *s,
		 const struct report_junit_case *c, unsigned n);

/* Text for an XML attribute or element (text.c): the five specials
 * escaped, control characters other than newline and tab (not allowed in
 * XML 1.0) as spaces. */
void report_xml_escape(FILE *f, const char *s);

/* ---- the rows of a run's summary (summary.c): the one writer of
 * summary.tsv, the reader --merge takes the shards' rows back with, and
 * the text table --------------------------------------------------------- */

/*
 * The numeric columns, in order: the field of struct report_row (and its
 * summary.tsv header), the text table's heading and its width, the width
 * and format of the table's cells (a percentage's "%" sign comes after the
 * width), the TSV's decimals.  Everything that prints or reads a row goes
 * by this.
 */
#define REPORT_ROW_NUMS(X)                                                  \
	X(accesses, "accesses", 10, 10, " %*.0f",   0)                      \
	X(cycles,   "cycles",   11, 11, " %*.0f",   0)                      \
	X(tlb_hit,  "tlb-hit",   7,  6, " %*.1f%%", 3)                      \
	X(l1_hit,   "l1-hit",    7,  6, " %*.1f%%", 3)                      \
	X(walks,    "walks",     8,  8, " %*.0f",   0)                      \
	X(rd_walk,  "rd/walk",   7,  7, " %*.2f",   3)                      \
	X(pf,       "#PF",       7,  7, " %*.0f",   0)                      \
	X(minor,    "minor",     7,  7, " %*.0f",   0)                      \
	X(major,    "major",     6,  6, " %*.0f",   0)                      \
	X(cow,      "cow",       6,  6, " %*.0f",   0)                      \
	X(swap_in,  "sw-in",     6,  6, " %*.0f",   0)                      \
	X(swap_out, "sw-out",    6,  6, " %*.0f",   0)

/* One workload's row; NAN = not known for this kind of workload. */
struct report_row {
	unsigned index;          /* in the whole run (before sharding) */
	char kind[16], name[96]; /* "kind:name" identifies the workload */
	char backend[32];
#define REPORT_ROW_FIELD(f, head, hw, w, fmt, prec) double f;
	REPORT_ROW_NUMS(REPORT_ROW_FIELD)
#undef REPORT_ROW_FIELD
	bool ok;
	double secs;
	char detail[200];
	char log[700];
	char *fail;              /* failure text (malloc'd), or NULL */
};

/* Every number unknown, passed, no texts; then the identity. */
void report_row_init(struct report_row *r, unsigned index, const char *kind,
		     const char *name);
/* Failed; the first failure's text is kept (fmt: printf). */
void report_row_fail(struct report_row *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The table of n rows, a total line and the columns' legend. */
void report_summary_text(FILE *f, const struct report_row *r, unsigned n);
/* summary.tsv: a header line, then one line a row (texts with tab,
 * newline and backslash escaped, so the reader gets them back whole).
 * Returns 0, or -1 when the file cannot be written. */
int report_summary_write(const char *path, const struct report_row *r,
			 unsigned n);

/* Reading summary.tsv a line at a time (the caller owns the file and says
 * what is wrong with a line): the column map from the header's fields,
 * then each line's fields into a row.  False for a line that is not a row
 * (no kind, name or check); a failed row's text is malloc'd. */
#define REPORT_SUMMARY_MAX_COLS 32
struct report_summary_cols {
	int col[REPORT_SUMMARY_MAX_COLS];  /* where each column is; -1: absent */
};
void report_summary_header(struct report_summary_cols *c, char **f,
			   unsigned nf);
bool report_summary_row(const struct report_summary_cols *c, char **f,
			unsigned nf, unsigned no_index, struct report_row *r);
/* Splits line (its end of line dropped) at tabs into at most max fields. */
unsigned report_summary_split(char *line, char **f, unsigned max);

#endif
