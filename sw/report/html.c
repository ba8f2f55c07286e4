/* SPDX-License-Identifier: MIT */
/*
 * The page: title and subtitle, the PASS/FAIL totals, notes (missing
 * files, malformed lines), the workload table, the coverage (coverage.c)
 * when asked for, then the charts of every trace in the sweep.  One file with inline CSS and SVG so that it can be
 * archived or mailed as is; no JavaScript (hover text is SVG <title>).
 * Everything that came from a file is escaped.
 */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
	"margin:24px 32px;color:#222;background:#fafafa}\n"
	"h1{margin:0 0 4px;font-size:24px}\n"
	"h2{margin:28px 0 8px;font-size:19px;border-bottom:1px solid #ccc}\n"
	"h3{margin:22px 0 6px;font-size:16px}\n"
	".sub{margin:0 0 14px;color:#555}\n"
	".totals{font-size:16px;margin:8px 0}\n"
	".badge{display:inline-block;padding:2px 10px;border-radius:10px;"
	"margin-right:6px;font-weight:600}\n"
	".b-all{background:#e3e8f0}.b-pass{background:#d4f4dc;color:#0a6b1f}"
	".b-fail{background:#fbd0d0;color:#a40000}.b-other{background:#f3e6c4}\n"
	".note{background:#fff7df;border-left:4px solid #e0a800;padding:6px 10px;"
	"margin:6px 0;max-width:980px}\n"
	"table{border-collapse:collapse;font-size:13px;background:#fff}\n"
	"th{background:#eef0f3;text-align:left;position:sticky;top:0;"
	"white-space:normal;vertical-align:bottom}\n"
	"th,td{padding:3px 8px;border-bottom:1px solid #e2e2e2}\n"
	"td{white-space:nowrap}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.na{text-align:center;color:#aaa}\n"
	"td.detail{white-space:normal;min-width:14em;max-width:36em;color:#444}\n"
	"td.pass{background:#d4f4dc;color:#0a6b1f;font-weight:700}\n"
	"td.fail{background:#f8c4c4;color:#a40000;font-weight:700}\n"
	"tr.fail td{background:#fff0f0}\n"
	".wide{overflow-x:auto;max-width:100%}\n"
	".charts{display:flex;flex-wrap:wrap;gap:0 28px;align-items:flex-start}\n"
	".charts .note{flex-basis:100%}\n"
	"figure{margin:10px 0 26px;width:782px;max-width:100%}\n"
	"figure svg{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}\n"
	"figcaption{max-width:780px;color:#444;font-size:14px;margin-top:4px}\n"
	"dl.cols{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;"
	"max-width:980px;font-size:13px;margin:10px 0}\n"
	"dl.cols dt{font-weight:600}dl.cols dd{margin:0;color:#333}\n"
	"tr.hole td{background:#fff7df}\n"
	"ul.holes{font-size:13px;max-width:980px;padding-left:20px}\n"
	"ul.holes li{margin:3px 0;word-break:break-word}\n"
	"footer{margin-top:30px;color:#888;font-size:12px}\n"
	/* a phone or a narrow window: smaller margins and cells; the table
	 * scrolls inside its box (.wide), never the page */
	"@media (max-width:900px){body{margin:12px}table{font-size:12px}"
	"th,td{padding:2px 4px}dl.cols{grid-template-columns:1fr}}\n";

/* ---- the table -------------------------------------------------------------- */

/* By index, rows without one last, then in file order. */
static int cmp_rows(const void *a, const void *b)
{
	const struct sum_row *x = a, *y = b;
	double i = x->v[SUM_INDEX], j = y->v[SUM_INDEX];
	int ni = isnan(i) != 0, nj = isnan(j) != 0;

	if (ni != nj)
		return ni - nj;
	if (!ni && i != j)
		return i < j ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void write_cell(FILE *f, const struct sum_row *r, int col)
{
	enum sum_type t = sum_cols[col].type;
	double v = r->v[col];
	char num[64];

	if (col == SUM_CHECK) {
		const char *s = r->f[col];

		fprintf(f, "<td class=\"%s\">", !strcmp(s, "PASS") ? "pass" :
			!strcmp(s, "FAIL") ? "fail" : "other");
		report_escape(f, s);
		fputs("</td>", f);
		return;
	}
	if (t == ST_TEXT) {
		fputs(col == SUM_DETAIL ? "<td class=\"detail\">" : "<td>", f);
		report_escape(f, r->f[col]);
		fputs("</td>", f);
		return;
	}
	if (isnan(v)) {
		fputs("<td class=\"na\">-</td>", f);
		return;
	}
	switch (t) {
	case ST_PCT:
		report_fmt_num(num, sizeof(num), v, 1);
		strcat(num, "%");
		break;
	case ST_REAL:
		report_fmt_num(num, sizeof(num), v, 2);
		break;
	case ST_SECS:
		report_fmt_num(num, sizeof(num), v, 3);
		break;
	default:
		/* A count with a fraction is not expected; show it anyway. */
		report_fmt_num(num, sizeof(num), v, v == report_floor(v) ? 0 : 2);
	}
	fprintf(f, "<td class=\"n\">%s</td>", num);
}

static void write_table(FILE *f, const struct summary *s)
{
	/* 19 columns: let the table scroll on its own rather than widen the page. */
	fputs("<div class=\"wide\">\n<table class=\"summary\">\n<thead><tr>", f);
	for (int c = 0; c < SUM_NCOLS; c++)
		fprintf(f, "<th title=\"%s (%s)\">%s</th>", sum_cols[c].tip,
			sum_cols[c].name, sum_cols[c].head);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct sum_row *r = &s->row[i];

		bool failed = !strcmp(r->f[SUM_CHECK], "FAIL");

		fputs(failed ? "<tr class=\"fail\">" : "<tr>", f);
		for (int c = 0; c < SUM_NCOLS; c++)
			write_cell(f, r, c);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</div>\n", f);
}

/* ---- what the columns mean --------------------------------------------------- */

/* By column; what the OS counts is in sw/os/fault.c and swap.c, the #PF
 * count is the machine's page_faults counter. */
static const char *const col_doc[SUM_NCOLS] = {
	[SUM_INDEX] = "position of the workload in the whole job (the same in "
		"every shard)",
	[SUM_KIND] = "scenario (a .scn program on the OS), seed (random page "
		"tables, CR changes and invalidations), trace (a real program's "
		"accesses replayed through the OS), sweep-tlb, sweep-l1, "
		"sweep-mem (golden-model sweeps over a trace, plotted below)",
	[SUM_NAME] = "the scenario, seed or trace",
	[SUM_BACKEND] = "golden (the C model), rtl (the Verilated RTL) or "
		"lockstep (both, compared at every access)",
	[SUM_ACCESSES] = "memory accesses the MMU translated; for a sweep, the "
		"sum over every geometry or memory size it ran",
	[SUM_CYCLES] = "simulated clock cycles (\"-\" where no RTL ran)",
	[SUM_TLB_HIT] = "TLB hits / TLB lookups",
	[SUM_L1_HIT] = "L1 hits / L1 accesses",
	[SUM_WALKS] = "page-table walks (TLB misses that read the page tables)",
	[SUM_RD_WALK] = "memory reads per walk: one per level, fewer when the "
		"paging-structure cache holds the upper levels",
	[SUM_PF] = "#PF exceptions the MMU raised on the workload's accesses "
		"(a program's, or a seed's random stream, where no OS is "
		"involved): every one, including those that end in a signal, "
		"spurious ones (a stale TLB entry) and repeats",
	[SUM_MINOR] = "faults the OS resolved without I/O (zero fill, zero page, "
		"copy-on-write, page or swap cache hit), whoever took them",
	[SUM_MAJOR] = "faults the OS resolved with I/O (a file page read, a page "
		"read back from swap), whoever took them",
	[SUM_COW] = "pages copied for a write to a page shared copy-on-write "
		"(after fork, a private file mapping) or for a KSM page being "
		"unmerged; each copy a fault made is also a minor or major fault",
	[SUM_SWAP_IN] = "pages read back from swap (by faults, or by madvise "
		"WILLNEED readahead); each one a fault read is also a "
		"major fault",
	[SUM_SWAP_OUT] = "pages written to swap by reclaim (not faults)",
	[SUM_CHECK] = "PASS: every check of the workload held (lockstep "
		"agreement, expected outcomes, the OS's consistency check)",
	[SUM_SECS] = "wall-clock seconds of the workload",
	[SUM_DETAIL] = "what was run and checked",
};

const char report_columns_sum[] =
	"How the fault columns add up: minor + major counts every fault the "
	"OS resolved, whoever took it.  That is the #PF count (faults) minus "
	"those that found nothing to do (a stale TLB entry), failed (out of "
	"memory) or ended in a signal (SIGSEGV, SIGBUS), plus the faults the kernel takes "
	"itself when it touches user pages (exec loading the program and its "
	"stack, MAP_POPULATE, mlock, system calls writing into user buffers), "
	"which never pass through the MMU as #PF.  So minor + major can be "
	"more or less than faults; minor and major are \"-\" where no OS ran "
	"(seeds).  cow and swap in overlap minor + major (a copy or a swap "
	"read that a fault made is counted in both), they do not add to it; "
	"swap out is not a fault.  A sweep row adds up "
	"every run of the sweep (accesses, and for sweep-mem minor, major, "
	"swap in and swap out over every memory size).";

const char *report_column_doc(const char *name)
{
	for (int c = 0; c < SUM_NCOLS && name; c++)
		if (!strcmp(sum_cols[c].name, name))
			return col_doc[c];
	return NULL;
}

static void write_legend(FILE *f)
{
	fputs("<details open><summary>What the columns mean</summary>\n"
	      "<dl class=\"cols\">\n", f);
	for (int c = 0; c < SUM_NCOLS; c++) {
		fputs("<dt>", f);
		report_escape(f, sum_cols[c].head);
		fputs("</dt><dd>", f);
		report_escape(f, col_doc[c]);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n<p class=\"note\">", f);
	report_escape(f, report_columns_sum);
	fputs("</p>\n</details>\n", f);
}

/* ---- totals and notes ------------------------------------------------------- */

static void write_totals(FILE *f, const struct summary *s)
{
	size_t pass = 0, fail = 0, listed = 0;
	double secs = 0;
	char num[64];

	for (size_t i = 0; i < s->n; i++) {
		pass += !strcmp(s->row[i].f[SUM_CHECK], "PASS");
		fail += !strcmp(s->row[i].f[SUM_CHECK], "FAIL");
		if (!isnan(s->row[i].v[SUM_SECS]))
			secs += s->row[i].v[SUM_SECS];
	}
	fprintf(f, "<p class=\"totals\">"
		"<span class=\"badge b-all\">%zu workloads</span>"
		"<span class=\"badge b-pass\">%zu passed</span>"
		"<span class=\"badge b-fail\">%zu failed</span>", s->n, pass, fail);
	if (s->n - pass - fail)
		fprintf(f, "<span class=\"badge b-other\">%zu without a verdict</span>",
			s->n - pass - fail);
	report_fmt_num(num, sizeof(num), secs, 1);
	fprintf(f, " %s s in all</p>\n", num);
	if (!fail)
		return;
	fputs("<p class=\"note\">Failed:", f);
	for (size_t i = 0; i < s->n && listed < 20; i++) {
		if (strcmp(s->row[i].f[SUM_CHECK], "FAIL"))
			continue;
		fputs(listed++ ? ", " : " ", f);
		report_escape(f, s->row[i].f[SUM_NAME]);
	}
	fputs(fail > listed ? ", ...</p>\n" : "</p>\n", f);
}

void report_write_note(FILE *f, const char *text)
{
	if (!text || !*text)
		return;
	fputs("<p class=\"note\">", f);
	report_escape(f, text);
	fputs("</p>\n", f);
}

void report_write_notef(FILE *f, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	report_write_note(f, text);
}

static void write_diags(FILE *f, const struct report_diags *d)
{
	if (!d->malformed)
		return;
	fprintf(f, "<p class=\"note\">%u malformed line%s skipped (", d->malformed,
		d->malformed == 1 ? "" : "s");
	for (unsigned i = 0; i < d->n; i++) {
		fputs(i ? " <span title=\"" : "<span title=\"", f);
		report_escape(f, d->d[i].why);
		fputs("\">", f);
		report_escape(f, d->d[i].where);
		fputs("</span>", f);
	}
	fputs(d->malformed > d->n ? " ...)</p>\n" : ")</p>\n", f);
}

/* ---- the page --------------------------------------------------------------- */

struct inputs {
	struct summary sum;
	struct sweep sw;
	struct report_diags diags;
	int sum_rc, sw_rc;
	char sum_note[512], sw_note[512];
};

static int write_page(FILE *f, const struct inputs *in, const char *title,
		      const char *subtitle, const struct report_meta *meta)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>", f);
	report_escape(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	report_escape(f, title);
	fputs("</h1>\n", f);
	if (subtitle && *subtitle) {
		fputs("<p class=\"sub\">", f);
		report_escape(f, subtitle);
		fputs("</p>\n", f);
	}
	write_totals(f, &in->sum);
	write_diags(f, &in->diags);

	fputs("<h2>Workloads</h2>\n", f);
	if (in->sum_rc == TSV_MISSING)
		report_write_notef(f, "No summary: no workload table (%s).", in->sum_note);
	else
		report_write_note(f, in->sum_note);   /* a read error part way */
	if (in->sum.n) {
		write_table(f, &in->sum);
		write_legend(f);
	}
	else if (in->sum_rc != TSV_MISSING)
		report_write_note(f, "The summary has no workload rows.");

	if (meta && meta->coverage)
		report_coverage_html(f, meta->cover_tsv, meta->rtl_coverage_tsv);
	fputs("<h2>Sweeps</h2>\n", f);
	if (in->sw_rc == TSV_MISSING)
		report_write_notef(f, "No sweep results: no plots (%s).", in->sw_note);
	else
		report_write_note(f, in->sw_note);
	if (!in->sw.ntrace && in->sw_rc != TSV_MISSING)
		report_write_note(f, in->diags.malformed ?
			   "The sweep file has no usable rows: no plots." :
			   "The sweep file has no rows, so there are no plots: "
			   "this run swept nothing (mmurun --no-sweeps, "
			   "--no-traces or an --only without sweep-, or no "
			   "trace found). mmurun --quick and make run sweep "
			   "every trace.");
	for (size_t t = 0; t < in->sw.ntrace; t++)
		if (plots_write_trace(f, &in->sw, t))
			return TSV_NOMEM;
	fputs("<footer>mmu-cosim report (sw/report): hover a point for its "
	      "values.</footer>\n</body>\n</html>\n", f);
	return 0;
}

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int read_inputs(struct inputs *in, const char *summary_tsv,
		       const char *sweep_tsv)
{
	in->sum_rc = tsv_read_summary(summary_tsv, &in->sum, &in->diags,
				      in->sum_note, sizeof(in->sum_note));
	in->sw_rc = tsv_read_sweep(sweep_tsv, &in->sw, &in->diags,
				   in->sw_note, sizeof(in->sw_note));
	if (in->sum_rc == TSV_NOMEM || in->sw_rc == TSV_NOMEM)
		return TSV_NOMEM;
	if (in->sum.n > 1)
		qsort(in->sum.row, in->sum.n, sizeof(*in->sum.row), cmp_rows);
	return 0;
}

int report_html(const char *summary_tsv, const char *sweep_tsv, const char *html_path,
		const struct report_meta *meta, char *err, size_t errlen)
{
	struct inputs *in;
	const char *title = meta && meta->title ? meta->title : "mmu-cosim report";
	const char *subtitle = meta ? meta->subtitle : NULL;
	FILE *f;
	int rc = -1, w = 0;

	if (!html_path || !*html_path) {
		set_err(err, errlen, "report: no output path");
		return -1;
	}
	/* The inputs hold a few kB of notes and diagnostics: not the stack. */
	in = calloc(1, sizeof(*in));
	if (!in || read_inputs(in, summary_tsv, sweep_tsv)) {
		set_err(err, errlen, "report: out of memory reading the inputs");
		goto out;
	}
	f = fopen(html_path, "w");
	if (!f) {
		set_err(err, errlen, "report: %s: %s", html_path, strerror(errno));
		goto out;
	}
	w = write_page(f, in, title, subtitle, meta);
	if (ferror(f) || w) {
		fclose(f);
		goto failed;
	}
	if (fclose(f))
		goto failed;
	rc = 0;
	goto out;
failed:
	set_err(err, errlen, "report: %s: %s", html_path,
		w ? "out of memory" : "write error");
	unlink(html_path);   /* half a page would look like a whole one */
out:
	if (in) {
		summary_free(&in->sum);
		sweep_free(&in->sw);
		free(in);
	}
	return rc;
}
