/* SPDX-License-Identifier: MIT */
/*
 * The three charts of one trace, from the sweep rows:
 *   TLB  miss rate (%) against entries, log2 x, one line per associativity
 *   L1   miss rate (%) against size in bytes, log2 x, one line per
 *        associativity
 *   mem  page faults against frames, linear x, one line per policy: the
 *        OS's clock (os-clock) wide and drawn first so the thin CLOCK line
 *        it should match stays visible on top of it, OPT dashed as the
 *        bound, and the distinct pages as a dotted floor
 * Rows come in any order (merged shards): lines are sorted by x here, and
 * a repeated (series, x) keeps one point.  A chart whose values spread
 * over more than SVG_LOG_RATIO (largest / smallest) gets a log10 y axis,
 * which its label says; the L1 chart says on it why its lines stop.
 */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rows of one chart -------------------------------------------------- */

static bool row_in(const struct sweep_row *r, size_t trace, enum sweep_kind kind)
{
	return r->trace == trace && r->kind == kind;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct associativities of the chart, ascending; NULL on ENOMEM
 * (*n is 0 and NULL is also what no rows give: tell them apart by rows). */
static uint64_t *ways_of(const struct sweep *sw, size_t trace,
			 enum sweep_kind kind, size_t *n, bool *nomem)
{
	uint64_t *w = NULL, *p;
	size_t cap = 0;

	*n = 0;
	*nomem = false;
	for (size_t i = 0; i < sw->n; i++) {
		const struct sweep_row *r = &sw->row[i];
		size_t j;

		if (!row_in(r, trace, kind))
			continue;
		for (j = 0; j < *n && w[j] != r->b; j++)
			;
		if (j < *n)
			continue;
		p = report_grow(w, &cap, *n, sizeof(*w));
		if (!p) {
			free(w);
			*nomem = true;
			*n = 0;
			return NULL;
		}
		w = p;
		w[(*n)++] = r->b;
	}
	if (*n)
		qsort(w, *n, sizeof(*w), cmp_u64);
	return w;
}

/* ---- TLB and L1: miss rate against size, one line per ways ------------------ */

static void cache_tip(char *tip, size_t len, enum sweep_kind kind,
		      const struct sweep_row *r, double rate)
{
	char size[48], misses[48], total[48];

	if (kind == SWEEP_TLB)
		report_fmt_num(size, sizeof(size), (double)r->c, 0);
	else
		report_fmt_bytes(size, sizeof(size), (double)r->c);
	report_fmt_num(misses, sizeof(misses), (double)r->e, 0);
	report_fmt_num(total, sizeof(total), (double)r->d, 0);
	report_strf(tip, len, "%llu-way, %s%s (%llu sets): %.2f%% misses (%s of %s)",
		 (unsigned long long)r->b, size, kind == SWEEP_TLB ? " entries" : "",
		 (unsigned long long)r->a, rate, misses, total);
}

static int build_cache(const struct sweep *sw, size_t trace,
		       enum sweep_kind kind, struct svg_chart *c)
{
	size_t nw, dropped = 0;
	bool nomem;
	uint64_t *ways = ways_of(sw, trace, kind, &nw, &nomem);

	if (nomem)
		return TSV_NOMEM;
	for (size_t k = 0; k < nw; k++) {
		char name[48], tip[128];
		struct svg_series *s;

		snprintf(name, sizeof(name), "%llu-way", (unsigned long long)ways[k]);
		s = svg_add_series(c, name);
		if (!s)
			goto nomem;
		for (size_t i = 0; i < sw->n; i++) {
			const struct sweep_row *r = &sw->row[i];
			double rate;

			if (!row_in(r, trace, kind) || r->b != ways[k])
				continue;
			rate = 100.0 * (double)r->e / (double)r->d;
			cache_tip(tip, sizeof(tip), kind, r, rate);
			if (svg_add_point(s, (double)r->c, rate, tip))
				goto nomem;
		}
		dropped += svg_sort_series(s);
	}
	free(ways);
	return (int)(dropped > 1000000 ? 1000000 : dropped);
nomem:
	free(ways);
	return TSV_NOMEM;
}

/* ---- memory: faults against frames, one line per policy --------------------- */

/* The known policies in legend order, and how each is drawn. */
static const struct policy_style {
	const char *name;
	const char *color;
	double width, opacity, marker_r;
	enum svg_dash dash;
} policies[] = {
	/* A wide translucent band with large markers: the policies drawn
	 * after it (CLOCK above all, which it should match) stay visible on
	 * top, and its markers show as rings around theirs. */
	{ "os-clock", "#d62728", 7,   0.55, 5.5, SVG_SOLID },
	{ "LRU",      "#1f77b4", 2,   1,    3.5, SVG_SOLID },
	{ "OPT",      "#222222", 2,   1,    3.5, SVG_DASHED },
	{ "FIFO",     "#ff7f0e", 2,   1,    3.5, SVG_SOLID },
	{ "CLOCK",    "#2ca02c", 1.5, 1,    3,   SVG_SOLID },
};
#define NPOLICIES (sizeof(policies) / sizeof(policies[0]))

/* Unknown policies get the colours the known ones do not use. */
static const char *const extra_colors[] = {
	"#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#7f7f7f",
};

static struct svg_series *find_series(struct svg_chart *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->s[i].name, name))
			return &c->s[i];
	return NULL;
}

/* The series of every policy in the rows: known ones first, in order. */
static int policy_series(const struct sweep *sw, size_t trace, struct svg_chart *c)
{
	size_t extra = 0;

	for (size_t p = 0; p < NPOLICIES; p++) {
		struct svg_series *s;
		size_t i;

		for (i = 0; i < sw->n; i++)
			if (row_in(&sw->row[i], trace, SWEEP_MEM) &&
			    !strcmp(sw->row[i].policy, policies[p].name))
				break;
		if (i == sw->n)
			continue;
		s = svg_add_series(c, policies[p].name);
		if (!s)
			return TSV_NOMEM;
		s->color = policies[p].color;
		s->width = policies[p].width;
		s->opacity = policies[p].opacity;
		s->marker_r = policies[p].marker_r;
		s->dash = policies[p].dash;
	}
	for (size_t i = 0; i < sw->n; i++) {
		const struct sweep_row *r = &sw->row[i];
		struct svg_series *s;

		if (!row_in(r, trace, SWEEP_MEM) || find_series(c, r->policy))
			continue;
		s = svg_add_series(c, r->policy);
		if (!s)
			return TSV_NOMEM;
		s->color = extra_colors[extra++ % (sizeof(extra_colors) /
						   sizeof(extra_colors[0]))];
	}
	return 0;
}

/* A dotted floor at the distinct pages: the faults no memory size avoids. */
static int distinct_floor(struct svg_chart *c, uint64_t distinct,
			  uint64_t fmin, uint64_t fmax)
{
	char name[48];
	struct svg_series *s;

	if (!distinct || fmin == fmax)
		return 0;
	snprintf(name, sizeof(name), "distinct pages (%llu)",
		 (unsigned long long)distinct);
	s = svg_add_series(c, name);
	if (!s)
		return TSV_NOMEM;
	s->color = "#777777";
	s->width = 1.5;
	s->dash = SVG_DOTTED;
	s->markers = false;
	if (svg_add_point(s, (double)fmin, (double)distinct, NULL) ||
	    svg_add_point(s, (double)fmax, (double)distinct, NULL))
		return TSV_NOMEM;
	return 0;
}

static int build_mem(const struct sweep *sw, size_t trace, struct svg_chart *c)
{
	uint64_t distinct = 0, fmin = UINT64_MAX, fmax = 0;
	size_t dropped = 0, npol;

	if (policy_series(sw, trace, c))
		return TSV_NOMEM;
	npol = c->n;
	for (size_t i = 0; i < sw->n; i++) {
		const struct sweep_row *r = &sw->row[i];
		char tip[128], faults[48], refs[48];
		struct svg_series *s;

		if (!row_in(r, trace, SWEEP_MEM))
			continue;
		report_fmt_num(faults, sizeof(faults), (double)r->c, 0);
		report_fmt_num(refs, sizeof(refs), (double)r->d, 0);
		report_strf(tip, sizeof(tip),
			    "%s, %llu frames: %s faults (%s page references)",
			    r->policy, (unsigned long long)r->a, faults, refs);
		s = find_series(c, r->policy);
		if (s && svg_add_point(s, (double)r->a, (double)r->c, tip))
			return TSV_NOMEM;
		distinct = r->e > distinct ? r->e : distinct;
		fmin = r->a < fmin ? r->a : fmin;
		fmax = r->a > fmax ? r->a : fmax;
	}
	for (size_t i = 0; i < npol; i++)
		dropped += svg_sort_series(&c->s[i]);
	if (distinct_floor(c, distinct, fmin, fmax))
		return TSV_NOMEM;
	return (int)(dropped > 1000000 ? 1000000 : dropped);
}

/* The page size the L1 lines stop at, when each line's largest size is
 * its ways times one same size (the VIPT limit: sets x line <= page); 0
 * when the rows do not show one. */
static uint64_t l1_stop(const struct sweep *sw, size_t trace)
{
	uint64_t page = 0;

	for (size_t i = 0; i < sw->n; i++) {
		const struct sweep_row *r = &sw->row[i];
		uint64_t per_way;
		bool largest = true;

		if (!row_in(r, trace, SWEEP_L1) || !r->b)
			continue;
		for (size_t j = 0; j < sw->n; j++)
			if (row_in(&sw->row[j], trace, SWEEP_L1) &&
			    sw->row[j].b == r->b && sw->row[j].c > r->c)
				largest = false;
		if (!largest)
			continue;
		per_way = r->c / r->b;
		if (page && per_way != page)
			return 0;
		page = per_way;
	}
	return page;
}

static void l1_note(const struct sweep *sw, size_t trace, struct svg_chart *c)
{
	char page[32];
	uint64_t p = l1_stop(sw, trace);

	if (!p)
		return;
	report_fmt_bytes(page, sizeof(page), (double)p);
	report_strf(c->note[0], sizeof(c->note[0]), "Each line stops at");
	report_strf(c->note[1], sizeof(c->note[1]), "ways × %s: more sets", page);
	report_strf(c->note[2], sizeof(c->note[2]), "would index past the");
	report_strf(c->note[3], sizeof(c->note[3]), "%s page offset, and", page);
	report_strf(c->note[4], sizeof(c->note[4]), "the VIPT L1 would alias.");
}

/* A log10 y axis when the values span more than SVG_LOG_RATIO. */
static void choose_yscale(struct svg_chart *c, const char *log_label)
{
	if (svg_y_ratio(c) > SVG_LOG_RATIO) {
		c->yscale = SVG_LOG10;
		c->ylabel = log_label;
	}
}

/* ---- charts and captions ---------------------------------------------------- */

/* Returns the duplicate points dropped, or TSV_NOMEM. */
int plots_build(const struct sweep *sw, size_t trace, enum sweep_kind kind,
		struct svg_chart *c)
{
	const char *name = trace < sw->ntrace ? sw->trace[trace] : "?";
	char title[128];
	int rc = 0;

	switch (kind) {
	case SWEEP_TLB:
		snprintf(title, sizeof(title), "TLB miss rate vs entries: %.90s", name);
		svg_chart_init(c, title, "TLB entries (log2 scale)",
			       "TLB miss rate (%)", SVG_LOG2, SVG_FMT_NUM);
		rc = build_cache(sw, trace, kind, c);
		choose_yscale(c, "TLB miss rate (%, log10 scale)");
		break;
	case SWEEP_L1:
		snprintf(title, sizeof(title), "L1 miss rate vs size: %.90s", name);
		svg_chart_init(c, title, "L1 size (log2 scale)", "L1 miss rate (%)",
			       SVG_LOG2, SVG_FMT_BYTES);
		rc = build_cache(sw, trace, kind, c);
		choose_yscale(c, "L1 miss rate (%, log10 scale)");
		l1_note(sw, trace, c);
		break;
	case SWEEP_MEM:
		snprintf(title, sizeof(title), "Page faults vs physical memory: %.90s",
			 name);
		svg_chart_init(c, title, "physical memory (frames)", "page faults",
			       SVG_LINEAR, SVG_FMT_NUM);
		rc = build_mem(sw, trace, c);
		choose_yscale(c, "page faults (log10 scale)");
		break;
	}
	return rc;
}

/* What the rows of a chart hold, for its caption. */
struct chart_facts {
	size_t rows;
	uint64_t total;      /* lookups, accesses or page references (largest) */
	double best;         /* lowest miss rate (%) */
	bool opt, os_clock, clock;
	bool has_floor;       /* the distinct-pages line is drawn */
	uint64_t l1_page;     /* where the L1 lines stop: ways x this */
};

static struct chart_facts facts_of(const struct sweep *sw, size_t trace,
				   enum sweep_kind kind)
{
	struct chart_facts f = { .best = INFINITY };
	uint64_t distinct = 0, fmin = UINT64_MAX, fmax = 0;

	for (size_t i = 0; i < sw->n; i++) {
		const struct sweep_row *r = &sw->row[i];

		if (!row_in(r, trace, kind))
			continue;
		f.rows++;
		f.total = r->d > f.total ? r->d : f.total;
		if (kind != SWEEP_MEM) {
			double rate = 100.0 * (double)r->e / (double)r->d;

			f.best = rate < f.best ? rate : f.best;
		}
		f.opt |= !strcmp(r->policy, "OPT");
		f.os_clock |= !strcmp(r->policy, "os-clock");
		f.clock |= !strcmp(r->policy, "CLOCK");
		if (kind == SWEEP_MEM) {
			distinct = r->e > distinct ? r->e : distinct;
			fmin = r->a < fmin ? r->a : fmin;
			fmax = r->a > fmax ? r->a : fmax;
		}
	}
	/* as distinct_floor decides */
	f.has_floor = distinct && f.rows && fmin != fmax;
	if (kind == SWEEP_L1)
		f.l1_page = l1_stop(sw, trace);
	return f;
}

static void caption(FILE *f, enum sweep_kind kind, const struct chart_facts *x,
		    const struct svg_chart *c, int dropped)
{
	char total[48];

	report_fmt_num(total, sizeof(total), (double)x->total, 0);
	fputs("<figcaption>", f);
	switch (kind) {
	case SWEEP_TLB:
		fprintf(f, "TLB miss rate against the number of entries, one line "
			"per associativity, over the trace's %s lookups. More "
			"entries and more ways remove capacity and conflict "
			"misses; the lines flatten at the compulsory misses (the "
			"first touch of each page): %.2f%% at best here.",
			total, x->best);
		break;
	case SWEEP_L1:
		fprintf(f, "L1 miss rate against cache size (sets &times; ways "
			"&times; line), one line per associativity, over %s "
			"accesses. At equal size more ways remove conflict "
			"misses; the lowest rate reached is %.2f%%.",
			total, x->best);
		if (x->l1_page) {
			char page[32];

			report_fmt_bytes(page, sizeof(page), (double)x->l1_page);
			fprintf(f, " Each line stops at ways &times; %s: the L1 is "
				"virtually indexed, physically tagged (VIPT), so its "
				"set index and line offset must fit in the %s page "
				"offset; a larger cache with those ways would need "
				"more sets and would alias (mmucfg refuses it).",
				page, page);
		}
		break;
	case SWEEP_MEM:
		fprintf(f, "Page faults against physical memory over %s page "
			"references: the simulated OS's own clock (os-clock, measured "
			"through the whole stack) and the FIFO, LRU, CLOCK and OPT "
			"policies replayed on the same references.", total);
		if (x->opt)
			fputs(" OPT (dashed) is a lower bound: no policy can "
			      "fault less.", f);
		if (x->os_clock && x->clock)
			fputs(" os-clock (wide) is second chance and should "
			      "track CLOCK.", f);
		if (x->has_floor)
			fputs(" The dotted line is the distinct pages: faults that no "
			      "amount of memory avoids.", f);
		break;
	}
	if (c->yscale == SVG_LOG10)
		fprintf(f, " The y axis is logarithmic: the largest value is "
			"over %d times the smallest, which a linear axis would "
			"flatten to zero.", SVG_LOG_RATIO);
	if (dropped > 0)
		fprintf(f, " (%d repeated points ignored.)", dropped);
	fputs("</figcaption>\n", f);
}

static const char *const kind_name[] = { "TLB", "L1", "memory" };

int plots_write_trace(FILE *f, const struct sweep *sw, size_t trace)
{
	fputs("<section class=\"trace\">\n<h3>Trace <code>", f);
	report_escape(f, trace < sw->ntrace ? sw->trace[trace] : "?");
	fputs("</code></h3>\n<div class=\"charts\">\n", f);
	for (int k = SWEEP_TLB; k <= SWEEP_MEM; k++) {
		struct svg_chart c;
		struct chart_facts x = facts_of(sw, trace, (enum sweep_kind)k);
		int dropped;

		if (!x.rows) {
			fprintf(f, "<p class=\"note\">No %s sweep for this "
				"trace.</p>\n", kind_name[k]);
			continue;
		}
		dropped = plots_build(sw, trace, (enum sweep_kind)k, &c);
		if (dropped < 0) {
			svg_chart_free(&c);
			return TSV_NOMEM;
		}
		fprintf(f, "<figure class=\"chart-%s\">\n", k == SWEEP_TLB ? "tlb" :
			k == SWEEP_L1 ? "l1" : "mem");
		svg_write(f, &c);
		caption(f, (enum sweep_kind)k, &x, &c, dropped);
		fputs("</figure>\n", f);
		svg_chart_free(&c);
	}
	fputs("</div>\n</section>\n", f);
	return 0;
}
