/* SPDX-License-Identifier: MIT */
/*
 * One self-contained HTML page per run (no script, no outside file): per
 * access the address bits drawn by field, the walk as a chain of boxes, the
 * TLB and the L1 before and after (changed slots marked), and the text
 * explanation.
 */
#include "course.h"

#include <stdlib.h>
#include <string.h>

struct course_html {
	FILE *f;
	const struct machine *m;
	unsigned n;
};

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

struct course_html *course_html_open(FILE *f, const struct machine *m,
				     const struct course_ex *ex, const char *backend)
{
	struct course_html *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->f = f;
	h->m = m;
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	esc(f, ex->title[0] ? ex->title : ex->path);
	fprintf(f, "</title>\n<style>\n"
		"body{font-family:sans-serif;margin:1.5em;max-width:80em}\n"
		"table{border-collapse:collapse;margin:.4em 0}\n"
		"td,th{border:1px solid #999;padding:2px 6px;font-family:monospace;text-align:center}\n"
		".bits td{width:1.6em}\n"
		".VPN,.PPN{background:#cfe2ff}.VPO,.PPO{background:#fff3cd}\n"
		".TLBT,.CT{background:#d1e7dd}.TLBI,.CI{background:#f8d7da}.CO{background:#e2e3e5}\n"
		".used{outline:2px solid #0d6efd}.hit{background:#b6f0b6}\n"
		".chg{background:#ffe08a}.inv{color:#999}\n"
		".walk{display:flex;flex-wrap:wrap;align-items:center;gap:.3em}\n"
		".box{border:1px solid #555;border-radius:4px;padding:4px 8px;font-family:monospace;"
		"background:#f6f6f6}\n.fault{background:#f8d7da}\n"
		"pre{background:#f6f6f6;padding:.6em;overflow:auto}\n"
		".pair{display:flex;gap:2em;flex-wrap:wrap}\n"
		"</style></head><body>\n<h1>");
	esc(f, ex->title[0] ? ex->title : ex->path);
	fprintf(f, "</h1>\n<p>Exercise <code>");
	esc(f, ex->path);
	fprintf(f, "</code>, configuration <b>");
	esc(f, m->cfg.name);
	fprintf(f, "</b> (VA %llu bits, PA %llu bits, %llu-byte pages, %llu-level table, "
		"TLB %llu sets x %llu ways, L1 %llu sets x %llu ways x %llu bytes), "
		"back end <b>", (unsigned long long)m->cfg.va_bits,
		(unsigned long long)m->cfg.pa_bits, 1ull << m->cfg.page_shift,
		(unsigned long long)m->cfg.levels, (unsigned long long)m->cfg.tlb_sets,
		(unsigned long long)m->cfg.tlb_ways, (unsigned long long)m->cfg.l1_sets,
		(unsigned long long)m->cfg.l1_ways, (unsigned long long)m->cfg.l1_line);
	esc(f, backend);
	fprintf(f, "</b>.</p>\n");
	return h;
}

/* A table of bits, numbered from the top one down. */
static void bits_header(FILE *f, unsigned bits)
{
	fprintf(f, "<table class=\"bits\"><tr><th>bit</th>");
	for (unsigned b = bits; b-- > 0;)
		fprintf(f, "<th>%u</th>", b);
	fprintf(f, "</tr>\n");
}

/* One row of bits, colored by field: fields from the top (name, low bit). */
static void bits_row(FILE *f, const char *name, uint64_t v, unsigned bits,
		     const char *const *field, const unsigned *low, unsigned n)
{
	fprintf(f, "<tr><th>%s</th>", name);
	for (unsigned b = bits, i = 0; b-- > 0;) {
		while (i + 1 < n && b < low[i])
			i++;
		fprintf(f, "<td class=\"%s\" title=\"%s bit %u\">%u</td>", field[i],
			field[i], b, (unsigned)(v >> b) & 1);
	}
	fprintf(f, "</tr>\n");
}

static void draw_address(FILE *f, const struct mmu_config *c,
			 const struct course_result *r)
{
	unsigned vb = (unsigned)c->va_bits, pb = (unsigned)c->pa_bits;
	const char *const va1[] = { "VPN", "VPO" }, *const va2[] = { "TLBT", "TLBI", "VPO" };
	const char *const pa1[] = { "PPN", "PPO" }, *const pa2[] = { "CT", "CI", "CO" };
	unsigned l1[] = { (unsigned)c->page_shift, 0 };
	unsigned l2[] = { (unsigned)(c->page_shift + c->tlb_index_bits),
			  (unsigned)c->page_shift, 0 };
	unsigned l3[] = { (unsigned)(c->l1_offset_bits + c->l1_index_bits),
			  (unsigned)c->l1_offset_bits, 0 };

	if (vb > 24 || pb > 24) {
		fprintf(f, "<p><code>VPN 0x%02llX | VPO 0x%02llX; TLBT 0x%02llX | TLBI 0x%02llX</code></p>\n",
			(unsigned long long)r->vf.vpn, (unsigned long long)r->vf.vpo,
			(unsigned long long)r->vf.tlbt, (unsigned long long)r->vf.tlbi);
		return;
	}
	bits_header(f, vb);
	bits_row(f, "VA", r->req.va, vb, va1, l1, 2);
	bits_row(f, "TLB", r->req.va, vb, va2, l2, 3);
	fprintf(f, "</table>\n<p><code>VA 0x%02llX: VPN 0x%02llX, VPO 0x%02llX, TLBT 0x%02llX, TLBI 0x%02llX"
		"</code></p>\n", (unsigned long long)r->req.va,
		(unsigned long long)r->vf.vpn, (unsigned long long)r->vf.vpo,
		(unsigned long long)r->vf.tlbt, (unsigned long long)r->vf.tlbi);
	if (r->o.status != MMU_ST_OK)
		return;
	bits_header(f, pb);
	bits_row(f, "PA", r->o.pa, pb, pa1, l1, 2);
	bits_row(f, "L1", r->o.pa, pb, pa2, l3, 3);
	fprintf(f, "</table>\n<p><code>PA 0x%02llX: PPN 0x%02llX, PPO 0x%02llX, CT 0x%02llX, CI 0x%02llX, "
		"CO 0x%02llX</code></p>\n", (unsigned long long)r->o.pa,
		(unsigned long long)r->pf.ppn, (unsigned long long)r->pf.ppo,
		(unsigned long long)r->pf.ct, (unsigned long long)r->pf.ci,
		(unsigned long long)r->pf.co);
}

static void draw_walk(FILE *f, const struct mmu_config *c, const struct course_result *r)
{
	if (!r->o.walked) {
		fprintf(f, "<p>No walk: the TLB hit.</p>\n");
		return;
	}
	fprintf(f, "<div class=\"walk\"><span class=\"box\">CR3 / PTBR<br>table 0x%02llX</span>",
		r->n_walk ? (unsigned long long)r->walk[0].table : 0ull);
	for (unsigned i = 0; i < r->n_walk; i++) {
		const struct course_walk_step *s = &r->walk[i];
		bool p = s->raw & PTE_P;

		fprintf(f, " &rarr; <span class=\"box%s\">level %u [0x%02llX]<br>entry @0x%02llX"
			"<br>raw 0x%02llX<br>L1 %s<br>%s</span>", p ? "" : " fault", s->level,
			(unsigned long long)s->index, (unsigned long long)s->ea,
			(unsigned long long)s->raw, s->l1_hit ? "hit" : "miss",
			!p ? "P=0: #PF" : s->leaf ? "leaf" : "next table");
	}
	if (r->o.status == MMU_ST_OK)
		fprintf(f, " &rarr; <span class=\"box hit\">PPN 0x%02llX<br>PA 0x%02llX</span>",
			(unsigned long long)r->pf.ppn, (unsigned long long)r->o.pa);
	fprintf(f, "</div>\n");
	(void)c;
}

static bool tlb_same(const struct mmu_tlb_slot *a, const struct mmu_tlb_slot *b)
{
	return a->valid == b->valid && a->vpn == b->vpn && a->ppn == b->ppn &&
	       a->dirty == b->dirty;
}

static void tlb_table(FILE *f, const struct mmu_config *c, const struct course_snap *s,
		      const struct course_snap *other, const struct course_result *r,
		      const char *caption)
{
	fprintf(f, "<table><caption>TLB %s (tag / PPN / valid)</caption><tr><th>set</th>",
		caption);
	for (unsigned w = 0; w < s->tlb_ways; w++)
		fprintf(f, "<th>way %u</th>", w);
	fprintf(f, "</tr>\n");
	for (unsigned set = 0; set < s->tlb_sets; set++) {
		fprintf(f, "<tr%s><th>%u</th>", set == r->vf.tlbi ? " class=\"used\"" : "", set);
		for (unsigned w = 0; w < s->tlb_ways; w++) {
			const struct mmu_tlb_slot *e = &s->tlb[set * s->tlb_ways + w];
			bool chg = !tlb_same(e, &other->tlb[set * s->tlb_ways + w]);
			bool hit = set == r->vf.tlbi && (int)w == r->tlb_way;

			fprintf(f, "<td class=\"%s%s%s\">0x%02llX / 0x%02llX / %d</td>",
				e->valid ? "" : "inv ", chg ? "chg " : "", hit ? "hit" : "",
				(unsigned long long)(e->vpn >> c->tlb_index_bits),
				(unsigned long long)e->ppn, e->valid);
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
}

static bool line_same(const struct mmu_line_slot *a, const struct mmu_line_slot *b,
		      unsigned len)
{
	return a->valid == b->valid && a->dirty == b->dirty && a->tag == b->tag &&
	       !memcmp(a->data, b->data, len);
}

static void l1_table(FILE *f, const struct mmu_config *c, const struct course_snap *s,
		     const struct course_snap *other, const struct course_result *r,
		     const char *caption)
{
	unsigned line = (unsigned)c->l1_line;
	bool all = s->l1_sets * s->l1_ways <= 64;

	fprintf(f, "<table><caption>L1 %s (tag / valid / dirty%s)%s</caption><tr><th>set</th>",
		caption, line <= 16 ? " / bytes" : "", all ? "" : ", sets that changed");
	for (unsigned w = 0; w < s->l1_ways; w++)
		fprintf(f, "<th>way %u</th>", w);
	fprintf(f, "</tr>\n");
	for (unsigned set = 0; set < s->l1_sets; set++) {
		bool used = r->o.status == MMU_ST_OK && set == r->pf.ci, any = false;

		for (unsigned w = 0; w < s->l1_ways; w++)
			any |= !line_same(&s->l1[set * s->l1_ways + w],
					  &other->l1[set * s->l1_ways + w], line);
		if (!all && !any && !used)
			continue;
		fprintf(f, "<tr%s><th>%u</th>", used ? " class=\"used\"" : "", set);
		for (unsigned w = 0; w < s->l1_ways; w++) {
			const struct mmu_line_slot *l = &s->l1[set * s->l1_ways + w];
			bool chg = !line_same(l, &other->l1[set * s->l1_ways + w], line);

			fprintf(f, "<td class=\"%s%s\">0x%02llX / %d / %d", l->valid ? "" : "inv ",
				chg ? "chg" : "", (unsigned long long)l->tag, l->valid, l->dirty);
			for (unsigned b = 0; line <= 16 && b < line; b++)
				fprintf(f, "%s%02X", b ? " " : " / ", l->data[b]);
			fprintf(f, "</td>");
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
}

void course_html_access(struct course_html *h, const struct course_result *r)
{
	FILE *f;
	const struct mmu_config *c;
	char *text = NULL;
	size_t len = 0;
	FILE *mf;

	if (!h)
		return;
	f = h->f;
	c = &h->m->cfg;
	h->n++;
	fprintf(f, "<h2>%u. %s %s at VA 0x%02llX: %s, TLB %s, L1 %s</h2>\n", h->n,
		r->req.user ? "user" : "supervisor", mmu_op_str(r->req.op),
		(unsigned long long)r->req.va, mmu_status_str(r->o.status),
		r->o.tlb_hit ? "hit" : "miss",
		r->o.status != MMU_ST_OK ? "-" : r->o.l1_hit ? "hit" : "miss");
	fprintf(f, "<h3>Address bits</h3>\n");
	draw_address(f, c, r);
	fprintf(f, "<h3>Page walk</h3>\n");
	draw_walk(f, c, r);
	fprintf(f, "<h3>TLB and L1, before and after</h3>\n<div class=\"pair\">");
	tlb_table(f, c, &r->before, &r->after, r, "before");
	tlb_table(f, c, &r->after, &r->before, r, "after");
	fprintf(f, "</div><div class=\"pair\">");
	l1_table(f, c, &r->before, &r->after, r, "before");
	l1_table(f, c, &r->after, &r->before, r, "after");
	fprintf(f, "</div>\n<h3>Step by step</h3>\n<pre>");
	mf = open_memstream(&text, &len);
	if (mf) {
		course_explain_text(h->m, r, mf);
		fclose(mf);
		if (text)
			esc(f, text);
	}
	free(text);
	fprintf(f, "</pre>\n");
}

void course_html_close(struct course_html *h)
{
	if (!h)
		return;
	fprintf(h->f, "<p><small>Written by mmucourse (docs/course.md). Highlighted: the set "
		"used (outline), the way that hit (green), slots changed by the access "
		"(yellow), invalid slots (grey).</small></p>\n</body></html>\n");
	free(h);
}
