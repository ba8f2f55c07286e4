/* SPDX-License-Identifier: MIT */
/*
 * The layout of a replay: which pages a trace touches, grouped into the
 * regions (VMAs) a process would have had.  Code pages (fetched from) and
 * data pages never share a region; pages of one kind separated by at most
 * gap_pages untouched pages share one, so text, data, heap, libraries and
 * stack come out as separate areas with unmapped holes between them.
 */
#include "trace_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PF_R 1u
#define PF_W 2u
#define PF_X 4u

int k_trace_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

uint64_t k_trace_task_size(const struct mmu_config *cfg)
{
	unsigned top = cfg->canonical == MMU_CANON_SIGN ?
		       (unsigned)cfg->va_bits - 1 : (unsigned)cfg->va_bits;

	if (top >= 64)
		top = 63;
	return (1ull << top) - (1ull << cfg->page_shift);
}

struct pg {
	uint64_t vpn;
	unsigned flags;
};

static int cmp_pg(const void *a, const void *b)
{
	const struct pg *x = a, *y = b;

	return x->vpn < y->vpn ? -1 : x->vpn > y->vpn;
}

struct touch {
	struct trace_layout *lay;
	struct k_pmap pages;  /* vpn -> PF_* */
	uint64_t prefix;
	unsigned shift;
	bool nomem;
};

static int touch_piece(void *ctx, const struct trace_ref *r, uint64_t i)
{
	struct touch *c = ctx;
	uint64_t *f;

	if (c->prefix && i >= c->prefix)
		return 1;
	if (r->op == TRACE_FLUSH)
		return 0;
	if (r->addr < c->lay->min_addr || r->addr >= c->lay->max_addr ||
	    c->lay->max_addr - r->addr < r->size) {
		c->lay->unmappable_refs++;
		return 0;
	}
	f = k_pmap_get(&c->pages, r->addr >> c->shift, true, &c->nomem);
	if (!f)
		return 1;
	*f |= r->op == TRACE_FETCH ? PF_X | PF_R :
	      r->op == TRACE_STORE ? PF_W : PF_R;
	return 0;
}

/* Distinct page numbers (sorted, flags merged) of the prefix: memory for
 * the pages touched, not for the pieces. */
static int touched_pages(const struct trace *t, uint64_t prefix,
			 unsigned shift, struct trace_layout *lay,
			 struct pg **out, size_t *np, char *err, size_t errlen)
{
	struct touch c = { .lay = lay, .prefix = prefix, .shift = shift };
	struct pg *p;
	size_t n = 0;
	int rc;

	*out = NULL;
	*np = 0;
	rc = trace_each(t, touch_piece, &c, err, errlen); /* 1: prefix done */
	if (rc < 0 || c.nomem) {
		k_pmap_free(&c.pages);
		return c.nomem ? k_trace_err(err, errlen, "layout: out of "
					     "memory") : -1;
	}
	p = malloc((c.pages.n ? c.pages.n : 1) * sizeof(*p));
	if (!p) {
		k_pmap_free(&c.pages);
		return k_trace_err(err, errlen, "layout: out of memory");
	}
	for (size_t i = 0; i < c.pages.cap; i++)
		if (c.pages.key[i])
			p[n++] = (struct pg){ c.pages.key[i] - 1,
					      (unsigned)c.pages.val[i] };
	k_pmap_free(&c.pages);
	qsort(p, n, sizeof(*p), cmp_pg);
	*out = p;
	*np = n;
	return 0;
}

/* Page-table pages needed for these pages: the root, then one table per
 * distinct range each level covers. */
static uint64_t table_frames(const struct pg *p, size_t n,
			     const struct mmu_config *cfg)
{
	uint64_t frames = 1;

	for (unsigned k = 1; k < cfg->levels; k++) {
		unsigned sh = k * cfg->index_bits;

		for (size_t i = 0; i < n; i++)
			if (i == 0 || (p[i].vpn >> sh) != (p[i - 1].vpn >> sh))
				frames++;
	}
	return n ? frames : 1;
}

int trace_layout(const struct trace *t, const struct mmu_config *cfg,
		 const struct trace_layout_opts *o, struct trace_layout *lay,
		 char *err, size_t errlen)
{
	unsigned shift = (unsigned)cfg->page_shift;
	uint64_t gap = o && o->gap_pages ? o->gap_pages : 16;
	uint64_t psz = 1ull << shift;
	struct pg *p;
	size_t n, cap;

	memset(lay, 0, sizeof(*lay));
	lay->min_addr = o && o->min_addr ? o->min_addr : 65536;
	lay->max_addr = o && o->max_addr ? o->max_addr : k_trace_task_size(cfg);
	lay->min_addr = (lay->min_addr + psz - 1) & ~(psz - 1);
	lay->max_addr &= ~(psz - 1);
	if (lay->min_addr >= lay->max_addr)
		return k_trace_err(err, errlen, "layout: empty user space "
				   "[%#llx, %#llx)",
				   (unsigned long long)lay->min_addr,
				   (unsigned long long)lay->max_addr);
	if (touched_pages(t, o ? o->prefix : 0, shift, lay, &p, &n, err,
			  errlen))
		return -1;
	lay->touched_pages = n;
	lay->table_frames = table_frames(p, n, cfg);
	cap = n ? n : 1;
	lay->r = malloc(cap * sizeof(*lay->r));
	if (!lay->r) {
		free(p);
		return k_trace_err(err, errlen, "layout: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		bool code = (p[i].flags & PF_X) != 0;
		struct trace_region *r = lay->n ? &lay->r[lay->n - 1] : NULL;
		uint64_t last = r ? (r->end >> shift) - 1 : 0;

		if (r && r->code == code && p[i].vpn - last - 1 <= gap) {
			r->end = (p[i].vpn + 1) << shift;
		} else {
			r = &lay->r[lay->n++];
			*r = (struct trace_region){
				.start = p[i].vpn << shift,
				.end = (p[i].vpn + 1) << shift,
				.code = code,
				.prot = code ? PROT_READ | PROT_EXEC
					     : PROT_READ | PROT_WRITE,
			};
		}
		r->touched++;
		if (code && (p[i].flags & PF_W))
			r->prot |= PROT_WRITE;
	}
	for (size_t i = 0; i < lay->n; i++) {
		lay->mapped_pages += (lay->r[i].end - lay->r[i].start) >> shift;
		lay->code_regions += lay->r[i].code;
		lay->rwx_regions += lay->r[i].code &&
				    (lay->r[i].prot & PROT_WRITE);
	}
	free(p);
	return 0;
}

void trace_layout_free(struct trace_layout *lay)
{
	free(lay->r);
	lay->r = NULL;
	lay->n = 0;
}

long trace_layout_find(const struct trace_layout *lay, uint64_t addr)
{
	size_t lo = 0, hi = lay->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < lay->r[mid].start)
			hi = mid;
		else if (addr >= lay->r[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

uint64_t trace_mem_frames(const struct trace_layout *lay, uint64_t user_frames,
			  bool fork)
{
	/* frame 0, the zero page, the idle table: the kernel's three */
	return 3 + lay->table_frames * (fork ? 2 : 1) + user_frames;
}
