/* SPDX-License-Identifier: MIT */
/*
 * mmurun's sweeps (mmurun.h): the golden model over a trace for TLB sets
 * x ways, for L1 sets x ways (VIPT-legal sizes), and page faults against
 * memory size (the OS's clock measured, FIFO/LRU/CLOCK/OPT on the same
 * references).  Their points go to sweep.tsv, their totals to the row.
 */
#include "mmurun.h"
#include "os/os.h"
#include "trace/trace.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* ---- sweeps (golden model) ----------------------------------------------------------------- */

static int set_key(struct mmu_config *c, const char *key, uint64_t v,
		   struct report_row *r)
{
	char val[24], err[256];

	snprintf(val, sizeof(val), "%" PRIu64, v);
	if (mmu_config_set(c, key, val, err, sizeof(err))) {
		report_row_fail(r, "%s=%s: %s", key, val, err);
		return -1;
	}
	return 0;
}

/* One golden replay; adds its accesses to the row. */
static int sweep_run(const struct trace *t,
		     struct trace_run_opts *o, struct trace_stats *st,
		     struct report_row *r, const char *what)
{
	char err[512];

	o->backend = "golden";
	o->replay.code_file = true;
	if (trace_run(t, o, st, err, sizeof(err))) {
		report_row_fail(r, "%s: cannot run: %s", what, err);
		return -1;
	}
	if (!st->ok) {
		report_row_fail(r, "%s: %s", what, st->fail);
		return -1;
	}
	r->accesses = (isnan(r->accesses) ? 0 : r->accesses) +
		      (double)st->c.accesses;
	return 0;
}

/* A sweep of one cache-like structure's geometry: sets x ways. */
struct geometry_sweep {
	const char *what;          /* "tlb" or "l1": the sweep.tsv kind */
	const char *sets_key, *ways_key;
	uint64_t min_sets, max_sets;
};

static const struct geometry_sweep tlb_sweep = {
	"tlb", "tlb_sets", "tlb_ways", 1, 1024 };
static const struct geometry_sweep l1_sweep = {
	"l1", "l1_sets", "l1_ways", 8, 1024 };

/* Whether a geometry is part of the sweep; *size is its x value in
 * sweep.tsv (TLB entries, L1 bytes). */
static bool geometry_ok(const struct geometry_sweep *gs,
			const struct mmu_config *c, uint64_t sets,
			unsigned ways, uint64_t *size)
{
	if (gs == &tlb_sweep) {
		*size = sets * ways;
		return *size >= 4 && *size <= 1024;
	}
	/* VIPT: index and offset inside the page offset */
	*size = sets * ways * c->l1_line;
	return sets * c->l1_line <= (1ull << c->page_shift);
}

static void run_sweep_geometry(struct ctx *x, const struct workload *w,
			       struct report_row *r, const struct geometry_sweep *gs)
{
	static const unsigned ways[] = { 1, 2, 4, 8, 16, 32 };
	struct trace *t = get_trace(x, w->path, r);
	unsigned runs = 0;

	snprintf(r->backend, sizeof(r->backend), "golden");
	if (!t)
		return;
	for (size_t k = 0; k < sizeof(ways) / sizeof(ways[0]); k++)
		for (uint64_t sets = gs->min_sets; sets <= gs->max_sets;
		     sets *= 2) {
			struct mmu_config c = x->cfg;
			struct trace_run_opts o = { .cfg = &c };
			struct trace_stats st;
			uint64_t size, hits, misses;
			char what[64];

			if (!geometry_ok(gs, &c, sets, ways[k], &size))
				continue;
			snprintf(what, sizeof(what), "%s %" PRIu64 "x%u",
				 gs->what, sets, ways[k]);
			if (set_key(&c, gs->sets_key, sets, r) ||
			    set_key(&c, gs->ways_key, ways[k], r) ||
			    sweep_run(t, &o, &st, r, what))
				return;
			hits = gs == &tlb_sweep ? st.c.tlb_hits : st.c.l1_hits;
			misses = gs == &tlb_sweep ? st.c.tlb_misses
						  : st.c.l1_misses;
			fprintf(x->sweep, "%s\t%s\t%" PRIu64 "\t%u\t%" PRIu64
				"\t%" PRIu64 "\t%" PRIu64 "\n", gs->what,
				w->name, sets, ways[k], size, hits + misses,
				misses);
			runs++;
		}
	if (gs == &tlb_sweep)
		snprintf(r->detail, sizeof(r->detail), "%u TLB geometries "
			 "(sets x ways, 4..1024 entries)", runs);
	else
		snprintf(r->detail, sizeof(r->detail), "%u L1 geometries (sets "
			 "x ways, %" PRIu64 "-byte lines, VIPT-legal)", runs,
			 x->cfg.l1_line);
}

/* The policies' faults on the reference string with f frames, to
 * sweep.tsv; returns OPT's (0 when out of memory, r failed). */
static uint64_t policy_points(struct ctx *x, const struct workload *w,
			      struct report_row *r,
			      const struct trace_refs *refs, uint64_t f,
			      const char *what)
{
	static const enum trace_policy pol[] = {
		TRACE_POL_FIFO, TRACE_POL_LRU, TRACE_POL_CLOCK, TRACE_POL_OPT };
	uint64_t opt = 0;

	for (size_t p = 0; p < sizeof(pol) / sizeof(pol[0]); p++) {
		uint64_t faults;

		if (trace_policy_faults(refs, pol[p], f, &faults)) {
			report_row_fail(r, "%s: %s: out of memory", what,
					trace_policy_str(pol[p]));
			break;
		}
		if (pol[p] == TRACE_POL_OPT)
			opt = faults;
		fprintf(x->sweep, "mem\t%s\t%" PRIu64 "\t%s\t%" PRIu64
			"\t%zu\t%zu\n", w->name, f,
			trace_policy_str(pol[p]), faults, refs->n,
			refs->distinct);
	}
	return opt;
}

/* One memory size: the OS with f user frames, then the policies; -1 ends
 * the sweep (r failed). */
static int mem_point(struct ctx *x, const struct workload *w,
		     struct report_row *r, const struct trace *t,
		     const struct trace_refs *refs, uint64_t f)
{
	struct trace_run_opts o = { .cfg = &x->cfg, .user_frames = f,
				    .no_zero_page = true,
				    .replay.preload_tables = true };
	struct trace_stats st;
	uint64_t opt;
	char what[64];

	snprintf(what, sizeof(what), "%" PRIu64 " frames", f);
	if (sweep_run(t, &o, &st, r, what))
		return -1;
	if (st.user_frames != f) {
		report_row_fail(r, "%s: the OS had %" PRIu64 " frames for "
				"user pages", what, st.user_frames);
		return -1;
	}
	fprintf(x->sweep, "mem\t%s\t%" PRIu64 "\tos-clock\t%" PRIu64
		"\t%zu\t%zu\n", w->name, f, st.page_ins, refs->n,
		refs->distinct);
	opt = policy_points(x, w, r, refs, f, what);
	/* Belady's OPT is a lower bound for any policy */
	if (st.page_ins < opt)
		report_row_fail(r, "%s: the OS paged in %" PRIu64 " pages, "
				"fewer than Belady's OPT (%" PRIu64 "): the "
				"count is wrong", what, st.page_ins, opt);
	r->minor += (double)st.os.minor_faults;
	r->major += (double)st.os.major_faults;
	r->swap_in += (double)st.os.swap_ins;
	r->swap_out += (double)st.os.swap_outs;
	return 0;
}

void run_sweep_mem(struct ctx *x, const struct workload *w,
		   struct report_row *r)
{
	static const unsigned pcts[] = { 5, 10, 15, 20, 30, 40, 50, 60, 70,
					 80, 90, 100 };
	struct trace *t = get_trace(x, w->path, r);
	struct trace_layout lay;
	struct trace_refs refs;
	uint64_t last = 0;
	unsigned runs = 0;
	char err[256];

	snprintf(r->backend, sizeof(r->backend), "golden");
	if (!t)
		return;
	if (trace_layout(t, &x->cfg, NULL, &lay, err, sizeof(err))) {
		report_row_fail(r, "%s", err);
		return;
	}
	if (trace_refs_build(t, &lay, (unsigned)x->cfg.page_shift, &refs)) {
		trace_layout_free(&lay);
		report_row_fail(r, "out of memory for the reference string");
		return;
	}
	r->minor = r->major = r->swap_in = r->swap_out = 0;
	for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		uint64_t f = (lay.touched_pages * pcts[k] + 50) / 100;

		if (f < 4)
			f = 4;
		if (f == last)
			continue;
		last = f;
		if (mem_point(x, w, r, t, &refs, f))
			break;
		runs++;
	}
	snprintf(r->detail, sizeof(r->detail), "%u memory sizes (up to %"
		 PRIu64 " frames), %zu references to %zu pages", runs,
		 lay.touched_pages, refs.n, refs.distinct);
	trace_refs_free(&refs);
	trace_layout_free(&lay);
}

void run_sweep_tlb(struct ctx *x, const struct workload *w,
		   struct report_row *r)
{
	run_sweep_geometry(x, w, r, &tlb_sweep);
}

void run_sweep_l1(struct ctx *x, const struct workload *w,
		  struct report_row *r)
{
	run_sweep_geometry(x, w, r, &l1_sweep);
}
