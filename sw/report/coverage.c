/* SPDX-License-Identifier: MIT */
/*
 * Coverage in the run's report: the functional coverage of the run (its
 * coverage.tsv, sw/cover) per group with the holes, and the RTL code
 * coverage per module that `make coverage` measured last
 * (build/coverage/summary.tsv, scripts/coverage.sh), with where and when
 * it was measured -- or how to get it.  As HTML for the page, and as text
 * for the run's summary.
 */
#include "report_int.h"
#include "cover/cover.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define RTL_COV_MAX 64     /* modules read from summary.tsv */
#define HTML_HOLES 400     /* holes listed on the page */
#define RTL_COV_HEADER "module\tline_hit\tline_total\tline_pct\t" \
		       "branch_hit\tbranch_total\tbranch_pct\t"   \
		       "toggle_hit\ttoggle_total\ttoggle_pct"

enum { K_LINE, K_BRANCH, K_TOGGLE, K_N };
static const char *const kind_name[K_N] = { "line", "branch", "toggle" };

struct rtl_cov_row {
	char module[48];
	uint64_t hit[K_N], total[K_N];
};

struct rtl_cov {
	unsigned n;
	struct rtl_cov_row row[RTL_COV_MAX];
	struct rtl_cov_row total;
	bool have_total;
	char when[40];   /* the file's time of writing, UTC */
	char note[300];  /* why there is nothing, or what was skipped */
};

/* One data line: module and nine fields (hit, total, pct per kind). */
static bool parse_rtl_row(char *line, struct rtl_cov_row *r)
{
	char *f[10], *save = NULL, *end;
	unsigned n = 0;

	for (char *t = strtok_r(line, "\t\n", &save); t && n < 10;
	     t = strtok_r(NULL, "\t\n", &save))
		f[n++] = t;
	if (n != 10 || strlen(f[0]) >= sizeof(r->module))
		return false;
	snprintf(r->module, sizeof(r->module), "%s", f[0]);
	for (unsigned k = 0; k < K_N; k++) {
		errno = 0;
		r->hit[k] = strtoull(f[1 + 3 * k], &end, 10);
		if (errno || *end || f[1 + 3 * k][0] == '-')
			return false;
		r->total[k] = strtoull(f[2 + 3 * k], &end, 10);
		if (errno || *end || f[2 + 3 * k][0] == '-' ||
		    r->hit[k] > r->total[k])
			return false;
	}
	return true;
}

/* 0, or TSV_MISSING (no file, note says so); malformed lines are skipped
 * and counted in the note. */
static int rtl_cov_read(const char *path, struct rtl_cov *c)
{
	char line[512];
	unsigned no = 0, bad = 0;
	struct stat st;
	struct tm tm;
	FILE *f;

	memset(c, 0, sizeof(*c));
	if (!path || !(f = fopen(path, "r"))) {
		report_strf(c->note, sizeof(c->note), "%s: %s",
			    path ? path : "(none)",
			    path ? strerror(errno) : "no path");
		return TSV_MISSING;
	}
	if (!fstat(fileno(f), &st) && gmtime_r(&st.st_mtime, &tm))
		strftime(c->when, sizeof(c->when), "%Y-%m-%d %H:%M UTC", &tm);
	while (fgets(line, sizeof(line), f)) {
		struct rtl_cov_row r;

		if (++no == 1) {
			if (strncmp(line, RTL_COV_HEADER, strlen(RTL_COV_HEADER)))
				bad++;
			continue;
		}
		if (!parse_rtl_row(line, &r)) {
			bad++;
		} else if (!strcmp(r.module, "total")) {
			c->total = r;
			c->have_total = true;
		} else if (c->n < RTL_COV_MAX) {
			c->row[c->n++] = r;
		} else {
			bad++;
		}
	}
	fclose(f);
	if (bad)
		report_strf(c->note, sizeof(c->note), "%s: %u line%s not "
			    "understood, skipped (not written by scripts/"
			    "coverage.sh?)", path, bad, bad == 1 ? "" : "s");
	return 0;
}

static double pct(uint64_t hit, uint64_t total)
{
	return total ? 100.0 * (double)hit / (double)total : 0;
}

static const char where_rtl[] =
	"the coverage-instrumented models (build/cov) through mmuregress "
	"--quick in lockstep, every tests/rtl program and the scenario suite "
	"in lockstep, merged over all configurations (scripts/coverage.sh) -- "
	"not this run's workloads";

/* ---- text ------------------------------------------------------------------- */

void report_coverage_text(FILE *f, struct cover_set *cover,
			  const char *cover_path, const char *rtl_tsv,
			  unsigned max_holes)
{
	struct rtl_cov *c = malloc(sizeof(*c));

	if (cover) {
		cover_summary(cover, f, max_holes);
		if (cover_path)
			fprintf(f, "coverage file: %s (mmucover lists every "
				"hole)\n", cover_path);
	}
	if (!c) {
		fputs("RTL code coverage: out of host memory\n", f);
		return;
	}
	if (rtl_cov_read(rtl_tsv, c) == TSV_MISSING) {
		fprintf(f, "RTL code coverage: not measured (%s): make "
			"coverage measures it and writes %s\n", c->note,
			REPORT_RTL_COVERAGE);
		free(c);
		return;
	}
	fprintf(f, "RTL code coverage (%s, written %s by make coverage: the "
		"instrumented models through mmuregress --quick, tests/rtl and "
		"the scenarios, not this run):\n", rtl_tsv,
		c->when[0] ? c->when : "(time unknown)");
	fprintf(f, "  %-14s %18s %18s %20s\n", "module", "line", "branch",
		"toggle");
	for (unsigned i = 0; i <= c->n; i++) {
		const struct rtl_cov_row *r = i < c->n ? &c->row[i] : &c->total;

		if (i == c->n && !c->have_total)
			break;
		fprintf(f, "  %-14s", r->module);
		for (unsigned k = 0; k < K_N; k++) {
			if (r->total[k])  /* "-": the module has no such point */
				fprintf(f, " %5.1f%%", pct(r->hit[k], r->total[k]));
			else
				fprintf(f, " %6s", "-");
			fprintf(f, " %5" PRIu64 "/%-5" PRIu64, r->hit[k],
				r->total[k]);
		}
		fputc('\n', f);
	}
	if (c->note[0])
		fprintf(f, "  %s\n", c->note);
	free(c);
}

/* ---- HTML ------------------------------------------------------------------- */

struct holes {
	FILE *f;
	char group[48];
	unsigned listed, total;
};

/* Holes grouped: "<b>group</b>: a=1,b=2 · ..." on one line per group. */
static void html_hole(void *ctx, const char *bin, uint64_t count)
{
	struct holes *h = ctx;
	const char *colon = strchr(bin, ':');
	size_t glen = colon ? (size_t)(colon - bin) : 0;

	if (count)
		return;
	if (h->total++ >= HTML_HOLES)
		return;
	if (glen >= sizeof(h->group))
		glen = sizeof(h->group) - 1;
	if (!h->listed || strncmp(h->group, bin, glen) || h->group[glen]) {
		fputs(h->listed ? "</li>\n<li><b>" : "<p>Holes (defined, never "
		      "hit), by group:</p>\n<ul class=\"holes\">\n<li><b>", h->f);
		memcpy(h->group, bin, glen);
		h->group[glen] = 0;
		report_escape(h->f, h->group);
		fputs("</b>: ", h->f);
	} else {
		fputs(" &middot; ", h->f);
	}
	report_escape(h->f, colon ? colon + 1 : bin);
	h->listed++;
}

static void html_functional(FILE *f, const char *path)
{
	struct cover_set *s = NULL;
	struct cover_figure all, g;
	struct holes h = { .f = f };
	char err[400];

	fputs("<h3>Functional coverage</h3>\n", f);
	if (!path) {
		report_write_note(f, "Not sampled in this run.");
		return;
	}
	if (cover_new(&s) || cover_read(s, path, err, sizeof(err))) {
		report_write_note(f, s ? err : "out of host memory");
		cover_free(s);
		return;
	}
	cover_figure(s, NULL, &all);
	fprintf(f, "<p class=\"totals\"><span class=\"badge b-all\">%" PRIu64
		" of %" PRIu64 " bins hit (%.1f%%)</span> %" PRIu64 " hole%s</p>\n"
		"<p class=\"sub\">What the workloads made the MMU do, in named "
		"bins sampled on every access and control operation (sw/cover, "
		"docs/verification.md); from ", all.hit, all.defined,
		pct(all.hit, all.defined), all.defined - all.hit,
		all.defined - all.hit == 1 ? "" : "s");
	report_escape(f, path);
	fputs(". A bin is defined only where the configuration and the back "
	      "end can reach it: the replacement groups need the golden model "
	      "(golden, lockstep), the AXI groups the RTL (lockstep, rtl), "
	      "axi_stall a run with back-pressure (mmuregress --backpressure "
	      "PCT).</p>\n<table>\n<tr><th>group</th><th>hit</th>"
	      "<th>defined</th><th>%</th></tr>\n", f);
	for (unsigned i = 0; cover_group_name(i); i++) {
		cover_figure(s, cover_group_name(i), &g);
		if (!g.defined)
			continue;
		fprintf(f, "<tr%s><td>%s</td><td class=\"n\">%" PRIu64 "</td>"
			"<td class=\"n\">%" PRIu64 "</td><td class=\"n\">%.1f"
			"</td></tr>\n", g.hit < g.defined ? " class=\"hole\"" : "",
			cover_group_name(i), g.hit, g.defined,
			pct(g.hit, g.defined));
	}
	fputs("</table>\n", f);
	if (cover_each(s, html_hole, &h))
		report_write_note(f, "out of host memory listing the holes");
	if (h.listed)
		fputs("</li>\n</ul>\n", f);
	if (h.total > h.listed)
		fprintf(f, "<p>... %u more holes (the coverage file lists every "
			"bin).</p>\n", h.total - h.listed);
	if (!h.total)
		fputs("<p>No holes: every defined bin was hit.</p>\n", f);
	cover_free(s);
}

static void html_rtl_row(FILE *f, const struct rtl_cov_row *r, bool total)
{
	fputs(total ? "<tr><td><b>" : "<tr><td>", f);
	report_escape(f, r->module);
	fputs(total ? "</b></td>" : "</td>", f);
	for (unsigned k = 0; k < K_N; k++) {
		if (r->total[k])
			fprintf(f, "<td class=\"n\">%.1f%%</td>",
				pct(r->hit[k], r->total[k]));
		else  /* the module has no such point */
			fputs("<td class=\"na\">-</td>", f);
		fprintf(f, "<td class=\"n\">%" PRIu64 " / %" PRIu64 "</td>",
			r->hit[k], r->total[k]);
	}
	fputs("</tr>\n", f);
}

static void html_rtl(FILE *f, const char *path)
{
	struct rtl_cov *c = malloc(sizeof(*c));

	fputs("<h3>RTL code coverage</h3>\n", f);
	if (!c) {
		report_write_note(f, "out of host memory");
		return;
	}
	if (rtl_cov_read(path, c) == TSV_MISSING) {
		report_write_notef(f, "Not measured yet (%s). make coverage "
				   "runs the regression on coverage-instrumented "
				   "models and writes %s (and an lcov HTML report "
				   "in build/coverage/html); the next report "
				   "shows its figures.", c->note,
				   REPORT_RTL_COVERAGE);
		free(c);
		return;
	}
	fputs("<p class=\"sub\">Verilator's coverage models, per RTL module "
	      "(points hit / points): line (statements and if/else arms), "
	      "branch (if/else arms and case items), toggle (each bit seen "
	      "0&rarr;1&rarr;0). From ", f);
	report_escape(f, path);
	fprintf(f, ", written %s by make coverage: ",
		c->when[0] ? c->when : "(time unknown)");
	report_escape(f, where_rtl);
	fputs(". The annotated sources and the lcov report are in "
	      "build/coverage.</p>\n", f);
	report_write_note(f, c->note);
	fputs("<div class=\"wide\"><table>\n<tr><th>module</th>", f);
	for (unsigned k = 0; k < K_N; k++)
		fprintf(f, "<th colspan=\"2\">%s</th>", kind_name[k]);
	fputs("</tr>\n", f);
	for (unsigned i = 0; i < c->n; i++)
		html_rtl_row(f, &c->row[i], false);
	if (c->have_total)
		html_rtl_row(f, &c->total, true);
	fputs("</table></div>\n", f);
	free(c);
}

void report_coverage_html(FILE *f, const char *cover_tsv, const char *rtl_tsv)
{
	fputs("<h2>Coverage</h2>\n", f);
	html_functional(f, cover_tsv);
	html_rtl(f, rtl_tsv);
}
