/* SPDX-License-Identifier: MIT */
/*
 * A generic line chart as one inline <svg> element: named series of
 * (x, y) points, a linear or log2 x axis, a linear y axis that always
 * shows zero (so rates and counts are not exaggerated) or a log10 one for
 * values spread over decades (the caller chooses), light grid lines
 * at "nice" ticks (1, 2, 2.5, 5 times a power of ten; powers of two on a
 * log2 axis), axis titles, a legend to the right of the plot (with a few
 * lines of notes under it) and a marker with a <title> (the browser's
 * hover text) per point.
 *
 * Points that cannot be drawn (NaN or infinite, <= 0 on a log axis)
 * are left out; a chart with none still gets its frame and says "no data".
 */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tableau 10: distinct hues that survive the common colour blindnesses
 * well enough for up to ten lines. */
static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* More entries than this would run off the bottom of the canvas. */
#define LEGEND_MAX 13

/* In every chart (not only in the page) so that an <svg> cut out of the
 * page renders the same on its own. */
static const char style[] =
	"<style>.ct{font:bold 15px sans-serif;fill:#222}"
	".tick{font:11px sans-serif;fill:#444}"
	".nt{font:11px sans-serif;fill:#555}"
	".at,.lg{font:12px sans-serif;fill:#222}"
	".grid{stroke:#e8e8e8;stroke-width:1}"
	".axis{fill:none;stroke:#333;stroke-width:1.2}"
	".nodata{font:italic 14px sans-serif;fill:#888}"
	".pts circle{stroke:#fff;stroke-width:1}</style>\n";

/* ---- building --------------------------------------------------------------- */

void svg_chart_init(struct svg_chart *c, const char *title, const char *xlabel,
		    const char *ylabel, enum svg_scale xscale, enum svg_fmt xfmt)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->title, sizeof(c->title), "%s", title ? title : "");
	c->xlabel = xlabel ? xlabel : "";
	c->ylabel = ylabel ? ylabel : "";
	c->xscale = xscale;
	c->xfmt = xfmt;
}

void svg_chart_free(struct svg_chart *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->s[i].pt);
	free(c->s);
	c->s = NULL;
	c->n = c->cap = 0;
}

struct svg_series *svg_add_series(struct svg_chart *c, const char *name)
{
	struct svg_series *s, *p;

	p = report_grow(c->s, &c->cap, c->n, sizeof(*c->s));
	if (!p)
		return NULL;
	c->s = p;
	s = &c->s[c->n];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	s->color = palette[c->n % NPALETTE];
	s->width = 2;
	s->opacity = 1;
	s->marker_r = 3.5;
	s->dash = SVG_SOLID;
	s->markers = true;
	c->n++;
	return s;
}

int svg_add_point(struct svg_series *s, double x, double y, const char *tip)
{
	struct svg_point *p = report_grow(s->pt, &s->cap, s->n, sizeof(*s->pt));

	if (!p)
		return -1;
	s->pt = p;
	p = &s->pt[s->n++];
	p->x = x;
	p->y = y;
	p->seq = s->n - 1;
	snprintf(p->tip, sizeof(p->tip), "%s", tip ? tip : "");
	return 0;
}

/* By x, NaN last (qsort needs a total order), then in order of addition
 * (qsort is not stable). */
static int cmp_x(const void *a, const void *b)
{
	const struct svg_point *p = a, *q = b;

	int na = isnan(p->x) != 0, nb = isnan(q->x) != 0;

	if (na != nb)
		return na - nb;
	if (!na && p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

size_t svg_sort_series(struct svg_series *s)
{
	size_t out = 0, dropped;

	if (s->n < 2)
		return 0;
	qsort(s->pt, s->n, sizeof(*s->pt), cmp_x);
	for (size_t i = 0; i < s->n; i++)
		if (!out || s->pt[i].x != s->pt[out - 1].x)
			s->pt[out++] = s->pt[i];
	dropped = s->n - out;
	s->n = out;
	return dropped;
}

/* ---- ranges and ticks ------------------------------------------------------- */

static bool drawable(const struct svg_chart *c, const struct svg_point *p)
{
	if (!isfinite(p->x) || !isfinite(p->y))
		return false;
	if (c->yscale == SVG_LOG10 && !(p->y > 0))
		return false;
	return c->xscale == SVG_LINEAR || p->x > 0;
}

static double log10_of(double v)
{
	return report_log2(v) / 3.321928094887362;   /* log2(10) */
}

double svg_y_ratio(const struct svg_chart *c)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->s[i].n; j++) {
			const struct svg_point *p = &c->s[i].pt[j];

			if (!isfinite(p->x) || !isfinite(p->y))
				continue;
			if (!(p->y > 0))
				return 0;
			lo = p->y < lo ? p->y : lo;
			hi = p->y > hi ? p->y : hi;
		}
	return hi > 0 ? hi / lo : 0;
}

static double absd(double v)
{
	return v < 0 ? -v : v;
}

/* Decimals that print v exactly (to 1e-6 relative), at most 6. */
static int decimals_of(double v)
{
	int d = 0;

	v = absd(v);
	while (d < 6) {
		double r = report_floor(v + 0.5);

		if (absd(v - r) <= 1e-6 * (v > 1 ? v : 1))
			break;
		v *= 10;
		d++;
	}
	return d;
}

/* The 1, 2, 2.5 or 5 times a power of ten at or just above span/target. */
static double nice_step(double span, unsigned target)
{
	double raw = span / target, mag = 1, f;

	if (!(raw > 1e-300) || !isfinite(raw))
		return 0;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static void linear_axis(struct svg_axis *a, double lo, double hi,
			unsigned target)
{
	double step;
	unsigned n;

	if (!(hi > lo)) {
		double d = lo != 0 ? absd(lo) / 2 : 1;

		lo -= d;
		hi += d;
	}
	step = nice_step(hi - lo, target);
	if (step == 0 || !isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
		step = 0.2;
	}
	a->lo = report_floor(lo / step) * step;
	a->hi = report_ceil(hi / step) * step;
	if (!(a->hi > a->lo))   /* rounding at the edge of the double range */
		a->hi = a->lo + step;
	n = 0;
	for (double t = a->lo; n < SVG_MAX_TICKS && t <= a->hi + step / 2;
	     t = a->lo + n * step)
		a->tick[n++] = t;
	a->nticks = n;
	a->decimals = decimals_of(step);
}

/* Ticks at powers of two, every k-th one so that there are at most 11;
 * their labels take the decimals each needs (0.25, 0.5, 1, 2...). */
static void log2_axis(struct svg_axis *a, double umin, double umax)
{
	int lo = (int)report_floor(umin), hi = (int)report_ceil(umax), k;
	unsigned n = 0;

	if (hi == lo) {
		lo--;
		hi++;
	}
	k = (hi - lo + 9) / 10;   /* ticks: (hi - lo) / k + 1 <= 11 */
	if (k < 1)
		k = 1;
	for (int e = lo; e <= hi && n < SVG_MAX_TICKS; e += k)
		a->tick[n++] = report_exp2i(e);
	a->lo = lo;
	a->hi = hi;
	a->nticks = n;
}

/* Ticks at 1, 2 and 5 times the powers of ten over up to three decades,
 * at the powers of ten (every k-th) beyond; lo and hi in log10 units. */
static void log10_axis(struct svg_axis *a, double umin, double umax)
{
	/* the tolerance absorbs log10(1000) = 2.9999999... */
	int lo = (int)report_floor(umin + 1e-9), hi = (int)report_ceil(umax - 1e-9), k;
	unsigned n = 0;
	double p = 1;

	if (hi <= lo)
		hi = lo + 1;
	k = (hi - lo + 9) / 10;
	for (int e = 0; e < lo; e++)
		p *= 10;
	for (int e = 0; e > lo; e--)
		p /= 10;
	for (int e = lo; e <= hi && n < SVG_MAX_TICKS; e++, p *= 10) {
		if ((e - lo) % k)
			continue;
		a->tick[n++] = p;
		if (hi - lo <= 3 && e < hi && n + 2 <= SVG_MAX_TICKS) {
			a->tick[n++] = 2 * p;
			a->tick[n++] = 5 * p;
		}
	}
	a->lo = lo;
	a->hi = hi;
	a->nticks = n;
}

void svg_layout(const struct svg_chart *c, struct svg_layout *l)
{
	double xmin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
	double ymin = c->yscale == SVG_LOG10 ? INFINITY : 0;
	bool any = false;

	memset(l, 0, sizeof(*l));
	l->xscale = c->xscale;
	l->yscale = c->yscale;
	for (size_t i = 0; i < c->n; i++) {
		for (size_t j = 0; j < c->s[i].n; j++) {
			const struct svg_point *p = &c->s[i].pt[j];
			double u;

			if (!drawable(c, p))
				continue;
			u = c->xscale == SVG_LOG2 ? report_log2(p->x) : p->x;
			xmin = u < xmin ? u : xmin;
			xmax = u > xmax ? u : xmax;
			u = c->yscale == SVG_LOG10 ? log10_of(p->y) : p->y;
			ymin = u < ymin ? u : ymin;
			ymax = u > ymax ? u : ymax;
			any = true;
		}
	}
	if (!any) {
		/* A frame of 1..16 (log2) or 0..1, and 0..1 high. */
		xmin = 0;
		xmax = c->xscale == SVG_LOG2 ? 4 : 1;
		ymin = 0;
		ymax = 1;
	}
	if (!(ymax > ymin))
		ymax = ymin + 1;
	/* log2 values lie within +-1075; the clamp keeps the casts defined. */
	if (c->xscale == SVG_LOG2)
		log2_axis(&l->x, xmin < -1000 ? -1000 : xmin,
			  xmax > 1000 ? 1000 : xmax);
	else
		linear_axis(&l->x, xmin, xmax, 6);
	if (c->yscale == SVG_LOG10)
		log10_axis(&l->y, ymin < -300 ? -300 : ymin, ymax > 300 ? 300 : ymax);
	else
		linear_axis(&l->y, ymin, ymax, 6);
}

static double clamp(double v, double lo, double hi)
{
	if (isnan(v))
		return lo;
	return v < lo ? lo : v > hi ? hi : v;
}

double svg_px(const struct svg_layout *l, double x)
{
	double u = l->xscale == SVG_LOG2 ? report_log2(x) : x;
	double w = SVG_RIGHT - SVG_LEFT - 2 * SVG_PAD;

	return clamp(SVG_LEFT + SVG_PAD + (u - l->x.lo) / (l->x.hi - l->x.lo) * w,
		     SVG_LEFT, SVG_RIGHT);
}

double svg_py(const struct svg_layout *l, double y)
{
	double h = SVG_BOTTOM - SVG_TOP;

	if (l->yscale == SVG_LOG10)
		y = y > 0 ? log10_of(y) : NAN;
	return clamp(SVG_BOTTOM - (y - l->y.lo) / (l->y.hi - l->y.lo) * h,
		     SVG_TOP, SVG_BOTTOM);
}

/* ---- writing ---------------------------------------------------------------- */

static void tick_label(char *buf, size_t len, enum svg_fmt fmt, double v,
		       int decimals)
{
	if (fmt == SVG_FMT_BYTES)
		report_fmt_bytes(buf, len, v);
	else
		report_fmt_num(buf, len, v, decimals);
}

static void write_frame(FILE *f, const struct svg_chart *c,
			const struct svg_layout *l)
{
	char lab[64];

	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", SVG_W, SVG_H);
	fprintf(f, "<text x=\"%d\" y=\"24\" class=\"ct\">", SVG_LEFT);
	report_escape(f, c->title);
	fputs("</text>\n", f);
	for (unsigned i = 0; i < l->y.nticks; i++) {
		double y = svg_py(l, l->y.tick[i]);

		tick_label(lab, sizeof(lab), SVG_FMT_NUM, l->y.tick[i],
			   l->yscale == SVG_LOG10 ? decimals_of(l->y.tick[i]) :
			   l->y.decimals);
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
			"class=\"grid\"/><text x=\"%d\" y=\"%.1f\" "
			"text-anchor=\"end\" class=\"tick\">%s</text>\n",
			SVG_LEFT, SVG_RIGHT, y, y, SVG_LEFT - 6, y + 4, lab);
	}
	for (unsigned i = 0; i < l->x.nticks; i++) {
		double x = svg_px(l, l->x.tick[i]);

		int dec = l->xscale == SVG_LOG2 ? decimals_of(l->x.tick[i]) :
			  l->x.decimals;

		tick_label(lab, sizeof(lab), c->xfmt, l->x.tick[i], dec);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
			"class=\"grid\"/><text x=\"%.1f\" y=\"%d\" "
			"text-anchor=\"middle\" class=\"tick\">%s</text>\n",
			x, x, SVG_TOP, SVG_BOTTOM, x, SVG_BOTTOM + 18, lab);
	}
	fprintf(f, "<path d=\"M%d %dV%dH%d\" class=\"axis\"/>\n",
		SVG_LEFT, SVG_TOP, SVG_BOTTOM, SVG_RIGHT);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"at\">",
		(SVG_LEFT + SVG_RIGHT) / 2, SVG_BOTTOM + 42);
	report_escape(f, c->xlabel);
	fprintf(f, "</text>\n<text transform=\"translate(20 %d) rotate(-90)\" "
		"text-anchor=\"middle\" class=\"at\">", (SVG_TOP + SVG_BOTTOM) / 2);
	report_escape(f, c->ylabel);
	fputs("</text>\n", f);
}

static void stroke_attrs(FILE *f, const struct svg_series *s)
{
	fprintf(f, "fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"",
		s->color, s->width);
	if (s->opacity < 1)
		fprintf(f, " stroke-opacity=\"%.2f\"", s->opacity);
	if (s->dash == SVG_DASHED)
		fputs(" stroke-dasharray=\"8 5\"", f);
	else if (s->dash == SVG_DOTTED)
		fputs(" stroke-dasharray=\"2 4\"", f);
}

/* The line, then the markers on top with their hover text. */
static size_t write_series(FILE *f, const struct svg_chart *c,
			   const struct svg_layout *l, const struct svg_series *s)
{
	size_t drawn = 0;

	for (size_t j = 0; j < s->n; j++)
		drawn += drawable(c, &s->pt[j]);
	if (drawn >= 2) {
		fputs("<polyline ", f);
		stroke_attrs(f, s);
		fputs(" stroke-linejoin=\"round\" points=\"", f);
		for (size_t j = 0; j < s->n; j++)
			if (drawable(c, &s->pt[j]))
				fprintf(f, "%.1f,%.1f ", svg_px(l, s->pt[j].x),
					svg_py(l, s->pt[j].y));
		fputs("\"/>\n", f);
	}
	if (!s->markers)
		return drawn;
	fprintf(f, "<g fill=\"%s\" class=\"pts\">\n", s->color);
	for (size_t j = 0; j < s->n; j++) {
		if (!drawable(c, &s->pt[j]))
			continue;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>",
			svg_px(l, s->pt[j].x), svg_py(l, s->pt[j].y), s->marker_r);
		report_escape(f, s->pt[j].tip);
		fputs("</title></circle>\n", f);
	}
	fputs("</g>\n", f);
	return drawn;
}

static void write_legend(FILE *f, const struct svg_chart *c)
{
	int x = SVG_RIGHT + 18;

	for (size_t i = 0; i < c->n && i < LEGEND_MAX; i++) {
		const struct svg_series *s = &c->s[i];
		int y = SVG_TOP + 10 + (int)i * 21;

		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" ",
			x, x + 30, y, y);
		stroke_attrs(f, s);
		fputs("/>", f);
		if (s->markers)
			fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"%.1f\" "
				"fill=\"%s\"/>", x + 15, y, s->marker_r, s->color);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lg\">", x + 38, y + 4);
		report_escape(f, s->name);
		fputs("</text>\n", f);
	}
	if (c->n > LEGEND_MAX)
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lg\">+%zu more</text>\n",
			x + 38, SVG_TOP + 14 + LEGEND_MAX * 21, c->n - LEGEND_MAX);
}

/* The notes under the legend (or at the bottom of its column when the
 * legend is long). */
static void write_notes(FILE *f, const struct svg_chart *c)
{
	size_t shown = c->n <= LEGEND_MAX ? c->n : LEGEND_MAX + 1;
	int y = SVG_TOP + 10 + (int)shown * 21 + 12;
	unsigned n = 0;

	for (unsigned i = 0; i < SVG_NOTE_LINES; i++)
		n += c->note[i][0] != '\0';
	if (!n)
		return;
	if (y + (int)n * 14 > SVG_BOTTOM)
		y = SVG_BOTTOM - (int)n * 14;
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"nt\">", SVG_RIGHT + 18, y);
	for (unsigned i = 0, k = 0; i < SVG_NOTE_LINES; i++) {
		if (!c->note[i][0])
			continue;
		fprintf(f, "<tspan x=\"%d\" dy=\"%d\">", SVG_RIGHT + 18, k++ ? 14 : 0);
		report_escape(f, c->note[i]);
		fputs("</tspan>", f);
	}
	fputs("</text>\n", f);
}

int svg_write(FILE *f, const struct svg_chart *c)
{
	struct svg_layout l;
	size_t drawn = 0;

	svg_layout(c, &l);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"", SVG_W, SVG_H, SVG_W, SVG_H);
	report_escape(f, c->title);
	fputs("\">\n", f);
	fputs(style, f);
	write_frame(f, c, &l);
	for (size_t i = 0; i < c->n; i++)
		drawn += write_series(f, c, &l, &c->s[i]);
	if (!drawn)
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"class=\"nodata\">no data</text>\n",
			(SVG_LEFT + SVG_RIGHT) / 2, (SVG_TOP + SVG_BOTTOM) / 2);
	write_legend(f, c);
	write_notes(f, c);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
