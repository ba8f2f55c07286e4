/* SPDX-License-Identifier: MIT */
/*
 * Internals of the report library, one section per file:
 *   text.c   HTML escaping and number formatting (shared by the table and
 *            the charts)
 *   tsv.c    reading summary.tsv and sweep.tsv into the structs below
 *   svg.c    a generic line chart: series of (x, y) points, linear or log2
 *            x axis, linear y axis from zero, "nice" ticks
 *   plots.c  the three charts of a trace, built from the sweep rows
 *   html.c   the page and report_html()
 *   coverage.c  the coverage section (page and text)
 *   summary.c   a run's rows: the text table, summary.tsv written and read
 *               back (report.h)
 *   junit.c     the JUnit XML writer (report.h)
 * No libm is linked: the few helpers that would need it (log2, powers of
 * two, floor/ceil) are written here with loops and casts.
 */
#ifndef MMU_REPORT_INT_H
#define MMU_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* ---- text.c: text and small helpers ----------------------------------------- */

/* Write s with & < > " ' as entities and control bytes as spaces. */
void report_escape(FILE *f, const char *s);
/* v with thousands separators and `decimals` digits after the point;
 * "-" for NaN.  Always NUL-terminated. */
void report_fmt_num(char *buf, size_t len, double v, int decimals);
/* A byte count as "512 B", "0.5 KiB", "64 KiB", "2 MiB". */
void report_fmt_bytes(char *buf, size_t len, double bytes);
/* log2 of a finite positive x (NaN otherwise), exact for powers of two. */
double report_log2(double x);
/* 2^k for an integer k (clamped to the double range). */
double report_exp2i(int k);
/* floor/ceil for doubles; values beyond 2^52 are already integral. */
double report_floor(double x);
double report_ceil(double x);
/* snprintf for text that may be cut short to fit buf (hover text,
 * labels): a warning-free way to say truncation is fine. */
__attribute__((format(printf, 3, 4)))
void report_strf(char *buf, size_t len, const char *fmt, ...);
/* arr with room for element n (doubling cap), or NULL (arr still valid)
 * when out of memory. */
void *report_grow(void *arr, size_t *cap, size_t n, size_t size);

/* ---- html.c: notes; coverage.c: the coverage section ------------------------ */

/* A note box (nothing for an empty text). */
void report_write_note(FILE *f, const char *text);
__attribute__((format(printf, 2, 3)))
void report_write_notef(FILE *f, const char *fmt, ...);
/* "Coverage": the functional coverage of cover_tsv (NULL: not sampled)
 * and the RTL code coverage of rtl_tsv (missing: how to get it). */
void report_coverage_html(FILE *f, const char *cover_tsv, const char *rtl_tsv);

/* ---- tsv.c: diagnostics ----------------------------------------------------- */

#define REPORT_MAX_DIAGS 20

/* The malformed lines: all counted, the first REPORT_MAX_DIAGS listed. */
struct report_diags {
	unsigned malformed;
	unsigned n;
	struct {
		char where[96];  /* "summary.tsv:5" (file name without folders) */
		char why[96];
	} d[REPORT_MAX_DIAGS];
};

void report_diag_add(struct report_diags *d, const char *path,
		     unsigned long line, const char *why);

/* ---- tsv.c: summary.tsv ----------------------------------------------------- */

enum sum_type {
	ST_TEXT,  /* shown as is */
	ST_INT,   /* a count: thousands separators */
	ST_PCT,   /* a percentage: one decimal and "%" */
	ST_REAL,  /* a ratio: two decimals */
	ST_SECS,  /* seconds: three decimals */
};

/* X(id, header name, table heading, type, tooltip) */
#define SUMMARY_COLUMNS(X)                                                     \
	X(INDEX,    "index",    "#",         ST_INT,   "row of the run")           \
	X(KIND,     "kind",     "kind",      ST_TEXT,  "kind of workload")         \
	X(NAME,     "name",     "name",      ST_TEXT,  "workload")                 \
	X(BACKEND,  "backend",  "back end",  ST_TEXT,  "machine back end")         \
	X(ACCESSES, "accesses", "accesses",  ST_INT,   "memory accesses")          \
	X(CYCLES,   "cycles",   "cycles",    ST_INT,   "simulated cycles")         \
	X(TLB_HIT,  "tlb_hit",  "TLB hit",   ST_PCT,   "TLB hit rate")             \
	X(L1_HIT,   "l1_hit",   "L1 hit",    ST_PCT,   "L1 hit rate")              \
	X(WALKS,    "walks",    "walks",     ST_INT,   "page walks")               \
	X(RD_WALK,  "rd_walk",  "rd/walk",   ST_REAL,  "memory reads per walk")    \
	X(PF,       "pf",       "faults",    ST_INT,   "page faults")              \
	X(MINOR,    "minor",    "minor",     ST_INT,   "minor faults")             \
	X(MAJOR,    "major",    "major",     ST_INT,   "major faults")             \
	X(COW,      "cow",      "COW",       ST_INT,   "copy-on-write faults")     \
	X(SWAP_IN,  "swap_in",  "swap in",   ST_INT,   "pages swapped in")         \
	X(SWAP_OUT, "swap_out", "swap out",  ST_INT,   "pages swapped out")        \
	X(CHECK,    "check",    "check",     ST_TEXT,  "PASS or FAIL")             \
	X(SECS,     "secs",     "secs",      ST_SECS,  "wall-clock seconds")       \
	X(DETAIL,   "detail",   "detail",    ST_TEXT,  "what was run and checked")

#define SUM_ENUM(id, name, head, type, tip) SUM_##id,
enum sum_col { SUMMARY_COLUMNS(SUM_ENUM) SUM_NCOLS };
#undef SUM_ENUM

struct sum_colinfo {
	const char *name;   /* in the header */
	const char *head;   /* in the table */
	enum sum_type type;
	const char *tip;
};
extern const struct sum_colinfo sum_cols[SUM_NCOLS];

struct sum_row {
	char *line;                 /* owned; the fields point into it */
	const char *f[SUM_NCOLS];   /* text of each column ("-" if absent) */
	double v[SUM_NCOLS];        /* numeric columns; NaN for "-" and text */
	size_t order;               /* position in the file (a sort tie-break) */
};

struct summary {
	struct sum_row *row;
	size_t n, cap;
};

/* ---- tsv.c: sweep.tsv ------------------------------------------------------- */

enum sweep_kind { SWEEP_TLB, SWEEP_L1, SWEEP_MEM };

#define SWEEP_POLICY_MAX 32

/*
 *   tlb  a sets  b ways  c entries  d lookups   e misses
 *   l1   a sets  b ways  c bytes    d accesses  e misses
 *   mem  a frames        c faults   d refs      e distinct pages
 *        (b is 0 and policy holds the policy's name)
 */
struct sweep_row {
	enum sweep_kind kind;
	size_t trace;               /* index into sweep.trace */
	uint64_t a, b, c, d, e;
	char policy[SWEEP_POLICY_MAX];
};

struct sweep {
	char **trace;               /* names, in order of first appearance */
	size_t ntrace, tcap;
	struct sweep_row *row;
	size_t n, cap;
};

/* What a reader returns; TSV_NOMEM is the only failure. */
enum tsv_status { TSV_OK = 0, TSV_MISSING = 1, TSV_NOMEM = -1 };

/*
 * Read a file, appending to s: lines that cannot be used go to d.  NULL or
 * an unreadable path gives TSV_MISSING with the reason in note (which is
 * also set for a read error part way, with what was read so far kept).
 */
int tsv_read_summary(const char *path, struct summary *s,
		     struct report_diags *d, char *note, size_t notelen);
int tsv_read_sweep(const char *path, struct sweep *s,
		   struct report_diags *d, char *note, size_t notelen);
void summary_free(struct summary *s);
void sweep_free(struct sweep *s);

/* Split line in place at tabs: the first max fields into field[]; returns
 * the number of fields in the line (which may be more than max). */
size_t tsv_split(char *line, char **field, size_t max);
/* A number, or "-" (NaN); false for anything else (inf and nan too). */
bool tsv_number(const char *s, double *v);
/* Decimal digits only, no overflow. */
bool tsv_u64(const char *s, uint64_t *v);

/* ---- svg.c ------------------------------------------------------------------ */

/* x: linear or log2; y: linear from zero or log10 (for a range over
 * SVG_LOG_RATIO, where a linear axis would flatten the small values). */
enum svg_scale { SVG_LINEAR, SVG_LOG2, SVG_LOG10 };
enum svg_fmt { SVG_FMT_NUM, SVG_FMT_BYTES };
enum svg_dash { SVG_SOLID, SVG_DASHED, SVG_DOTTED };

/* Canvas and plot area, in pixels. */
#define SVG_W       780
#define SVG_H       390
#define SVG_LEFT    78
#define SVG_RIGHT   (SVG_W - 190)
#define SVG_TOP     40
#define SVG_BOTTOM  (SVG_H - 58)
#define SVG_PAD     10   /* inner margin so markers clear the axes */
#define SVG_MAX_TICKS 16
#define SVG_NOTE_LINES 6  /* lines of text under the legend */
#define SVG_LOG_RATIO 100 /* largest / smallest y beyond which y is log10 */

struct svg_point {
	double x, y;
	char tip[128];   /* the hover text */
	size_t seq;      /* order of addition: sorting keeps the first of equal x */
};

struct svg_series {
	char name[48];
	const char *color;
	double width;        /* stroke width */
	double opacity;      /* of the line (1: opaque) */
	double marker_r;     /* marker radius */
	enum svg_dash dash;
	bool markers;
	struct svg_point *pt;
	size_t n, cap;
};

struct svg_chart {
	char title[128];
	const char *xlabel, *ylabel;
	enum svg_scale xscale, yscale;   /* yscale: SVG_LINEAR or SVG_LOG10 */
	enum svg_fmt xfmt;
	/* Short lines drawn under the legend, e.g. why lines stop ("": none). */
	char note[SVG_NOTE_LINES][48];
	struct svg_series *s;
	size_t n, cap;
};

struct svg_axis {
	double lo, hi;                 /* in axis units: log2(x) on a log2 axis */
	double tick[SVG_MAX_TICKS];    /* in data units */
	unsigned nticks;
	int decimals;                  /* of linear tick labels (log2: per tick) */
};

struct svg_layout {
	enum svg_scale xscale, yscale;
	struct svg_axis x, y;
};

void svg_chart_init(struct svg_chart *c, const char *title, const char *xlabel,
		    const char *ylabel, enum svg_scale xscale, enum svg_fmt xfmt);
void svg_chart_free(struct svg_chart *c);
/* A new empty series (solid, width 2, opaque, markers, a palette colour by
 * position), or NULL when out of memory. */
struct svg_series *svg_add_series(struct svg_chart *c, const char *name);
int svg_add_point(struct svg_series *s, double x, double y, const char *tip);
/* Sort by x; drops all but the first added point of equal x; returns
 * how many. */
size_t svg_sort_series(struct svg_series *s);

/* Largest over smallest y of the drawable points, all y > 0 (0 when some
 * y <= 0: no log axis can show it, or when there is no point). */
double svg_y_ratio(const struct svg_chart *c);
/* Ranges and ticks covering every drawable point (finite, and x > 0 on a
 * log2 axis); a chart without any still gets a sensible frame. */
void svg_layout(const struct svg_chart *c, struct svg_layout *l);
/* Data to pixels; clamped to the plot area. */
double svg_px(const struct svg_layout *l, double x);
double svg_py(const struct svg_layout *l, double y);
/* One <svg> element; 0, or -1 when the stream has an error. */
int svg_write(FILE *f, const struct svg_chart *c);

/* ---- plots.c ---------------------------------------------------------------- */

/* The TLB, L1 and memory charts of one trace, each a <figure> with its
 * caption (or a line saying that kind of sweep is absent); 0 or TSV_NOMEM. */
int plots_write_trace(FILE *f, const struct sweep *sw, size_t trace);
/* One chart of a trace; 0 or TSV_NOMEM.  Exposed for the tests. */
int plots_build(const struct sweep *sw, size_t trace, enum sweep_kind kind,
		struct svg_chart *c);

#endif
