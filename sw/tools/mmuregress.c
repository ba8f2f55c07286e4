/* SPDX-License-Identifier: MIT */
/*
 * mmuregress: seeded constrained-random regression of a machine.
 *
 * For each configuration and seed it builds page tables with random
 * permissions (4 KiB and, where configured, 2 MiB pages; aliases allowed),
 * then runs a stream of user/supervisor loads, stores and fetches mixed with
 * control-register changes, PCID switches, PTE rewrites followed by the
 * invalidations they need, and cache maintenance.  Every access is checked:
 * a translated address must be the one the generator mapped, loaded data
 * must equal a shadow copy of physical memory, faults must be of the kind
 * the mapping allows; at the end the L1 is flushed and memory compared with
 * the shadow.  With --backend lockstep (the default) every call is also
 * compared between the golden model and the DUT (sw/lockstep), then the
 * counters and the whole of memory.  A failure prints the seed, the access
 * number, both outcomes, the log and the one command that re-runs it.
 * docs/verification.md is the manual.
 */
#include "../config/config.h"
#include "cli.h"
#include "../backend/backend.h"
#include "../lockstep/lockstep.h"
#include "../machine/pagetable.h"
#include "../../sim/rtl_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_PAGES 96
#define MAX_PCIDS 4
#define MAX_CONFIGS 8
#define COUNTER_EVERY 4096  /* lockstep: compare counters this often */
#define PROGRESS_SECS 2.0   /* stderr progress: not before, then this often */

struct page {
	uint64_t va, pa;
	unsigned level;   /* 1: base page, 2: large */
	pte_t flags;      /* leaf permission flags */
	bool mapped;
};

struct progress;

struct gen {
	struct machine *m;
	const struct mmu_config *cfg;
	uint64_t rng;
	uint64_t root, next_table, table_end;
	uint64_t data_pa, data_bytes;
	uint8_t *shadow;
	struct page page[MAX_PAGES];
	unsigned npages;
	uint16_t pcids_used;
	/* logging and progress */
	FILE *log;
	uint64_t log_every, step, accesses;
	struct progress *prog;
	/* results */
	uint64_t checks, loads_checked, pf, pf_np, pf_prot, pf_rsvd, gp;
	char fail[512];
};

/* ---- time and progress -------------------------------------------------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Progress goes to stderr only once a run has lasted PROGRESS_SECS, so
 * short runs (make test) stay quiet and long ones show they are alive. */
struct progress {
	bool on;
	double start, last;
	unsigned done, total, failed;
	const char *cfg;
	uint64_t seed, ops;
};

static void progress_tick(struct progress *p, uint64_t step)
{
	double t = now();

	if (!p || !p->on || t - p->start < PROGRESS_SECS ||
	    t - p->last < PROGRESS_SECS)
		return;
	p->last = t;
	fprintf(stderr, "mmuregress: test %u/%u (%s seed %" PRIu64 ", step %"
		PRIu64 "/%" PRIu64 "), %u failed, %.0f s\n", p->done + 1,
		p->total, p->cfg, p->seed, step, p->ops, p->failed,
		t - p->start);
}

/* ---- the generator ------------------------------------------------------ */

static void glog(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void glog(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->log)
		return;
	va_start(ap, fmt);
	vfprintf(g->log, fmt, ap);
	va_end(ap);
}

static uint64_t rnd(struct gen *g)
{
	/* xorshift64*: fast, seedable, identical on every host */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1Dull;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

/* Every control op goes through here so the log shows each one.  Returns
 * MMU_EGP when the op would raise #GP, like machine_write_cr(). */
static int gen_ctl(struct gen *g, enum mmu_ctl_op op, uint64_t value,
		   uint64_t addr, unsigned type, uint16_t pcid)
{
	struct mmu_ctl c = { .op = op, .value = value, .addr = addr,
			     .type = type, .pcid = pcid };
	enum mmu_ctl_result res = MMU_CTL_DONE;
	int rc = machine_ctl(g->m, &c, &res);

	glog(g, "step %" PRIu64 ": ctl %s value %#" PRIx64 " addr %#" PRIx64
	     " type %u pcid %u -> %s\n", g->step, mmu_ctl_op_str(op), value,
	     addr, type, pcid, rc ? mmu_err_str(rc) :
	     res == MMU_CTL_GP ? "#GP" : "done");
	if (rc)
		return rc;
	return res == MMU_CTL_GP && op != MMU_CTL_SET_AC ? MMU_EGP : 0;
}

static uint64_t alloc_table(void *ctx)
{
	struct gen *g = ctx;
	uint64_t pa = g->next_table, ps = 1ull << g->cfg->page_shift;

	if (pa + pt_table_bytes(g->cfg) > g->table_end)
		return 0;
	g->next_table = (pa + pt_table_bytes(g->cfg) + ps - 1) & ~(ps - 1);
	return pa;
}

static pte_t random_flags(struct gen *g)
{
	pte_t f = 0;

	if (pick(g, 10) < 7) f |= PTE_RW;
	if (pick(g, 10) < 8) f |= PTE_US;
	if (g->cfg->pte_bytes == 8 && pick(g, 10) < 2) f |= PTE_XD;
	if (pick(g, 10) < 1) f |= PTE_G;
	return f;
}

static uint64_t va_mask(const struct mmu_config *c)
{
	/* the lower canonical half */
	return (1ull << (c->va_bits - (c->canonical == MMU_CANON_SIGN))) - 1;
}

/* Lay out memory: tables first, then a data region that all pages map into. */
static int layout(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	uint64_t mem = g->m->mem_bytes, ps = 1ull << c->page_shift;

	if (c->levels == 1) {
		g->next_table = ps;
		g->table_end = ps + ((pt_table_bytes(c) + ps - 1) & ~(ps - 1));
		g->data_pa = g->table_end;
		g->data_bytes = mem - g->data_pa;
	} else {
		uint64_t big = mmu_level_page_size(c, 2);

		g->next_table = ps;
		g->table_end = big < mem / 4 ? big : mem / 4;
		g->data_pa = big < mem / 4 ? big : mem / 4;
		g->data_bytes = mem - g->data_pa;
		if (g->data_bytes > 4 * big)
			g->data_bytes = 4 * big;
	}
	g->shadow = calloc(1, g->data_bytes);
	return g->shadow ? 0 : -1;
}

static int map_page(struct gen *g, struct page *p)
{
	int rc = pt_map(g->m, g->root, p->va, p->pa, p->level, p->flags,
			PTE_RW | PTE_US, alloc_table, g);

	if (rc)
		snprintf(g->fail, sizeof(g->fail), "page-table build failed: %s",
			 rc == MMU_ENOMEM ? "out of table frames" : g->m->err);
	return rc;
}

/* A VA for page p that overlaps no earlier page and does not put a base
 * page where a large one needs the table slot (or vice versa). */
static bool va_taken(struct gen *g, unsigned i, uint64_t va, uint64_t sz,
		     unsigned level)
{
	const struct mmu_config *c = g->cfg;

	for (unsigned j = 0; j < i; j++) {
		uint64_t lo = g->page[j].va;
		uint64_t hi = lo + mmu_level_page_size(c, g->page[j].level);

		if (va < hi && lo < va + sz)
			return true;
		if ((va >> (c->page_shift + c->index_bits)) ==
		    (lo >> (c->page_shift + c->index_bits)) &&
		    level != g->page[j].level)
			return true;
	}
	return false;
}

static int build(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	bool large = c->page_2m && mmu_level_page_size(c, 2) <= g->data_bytes;

	g->root = alloc_table(g);
	if (!g->root || pt_zero_table(g->m, g->root))
		return -1;
	g->npages = c->levels == 1 ? 48 : MAX_PAGES;
	for (unsigned i = 0; i < g->npages; i++) {
		struct page *p = &g->page[i];
		uint64_t sz;

		p->level = (large && pick(g, 16) == 0) ? 2 : 1;
		sz = mmu_level_page_size(c, p->level);
		do {
			/* cluster VAs so tables and PSCs are shared */
			p->va = (rnd(g) & va_mask(c) & ~(sz - 1));
			if (c->levels > 1 && pick(g, 4))
				p->va = (p->va & (mmu_level_page_size(c, 3) - 1)) |
					(0x40ull << 30);
		} while (va_taken(g, i, p->va, sz, p->level));
		p->pa = g->data_pa + (rnd(g) % (g->data_bytes / sz)) * sz;
		p->flags = random_flags(g);
		p->mapped = pick(g, 10) != 0;
		if (p->mapped && map_page(g, p))
			return -1;
	}
	return gen_ctl(g, MMU_CTL_WRITE_CR3, pt_make(c, g->root, 0), 0, 0, 0);
}

/* After a leaf change: INVLPG for the current PCID and global entries, and
 * INVPCID type 0 for every other PCID that may hold the page. */
static int invalidate_page(struct gen *g, uint64_t va)
{
	struct mmu_regs r;
	int rc;

	g->m->ops->regs(g->m, &r);
	rc = gen_ctl(g, MMU_CTL_INVLPG, 0, va, 0, 0);
	if (!rc && (r.cr4 & CR4_PCIDE))
		for (uint16_t p = 0; p < MAX_PCIDS && !rc; p++)
			if (g->pcids_used & (1u << p))
				rc = gen_ctl(g, MMU_CTL_INVPCID, 0, va, 0, p);
	return rc;
}

static int rewrite_pte(struct gen *g)
{
	struct page *p = &g->page[pick(g, g->npages)];
	uint64_t ea;
	int rc;

	p->flags = random_flags(g);
	if (p->mapped && pick(g, 4) == 0) {
		p->mapped = false;
		rc = pt_entry_addr(g->m, g->root, p->va, p->level, &ea);
		if (!rc)
			rc = machine_pte_write(g->m, ea, 0);
	} else {
		p->mapped = true;
		rc = map_page(g, p);
	}
	glog(g, "step %" PRIu64 ": pte va %#" PRIx64 " level %u -> %s flags %#"
	     PRIx64 "\n", g->step, p->va, p->level,
	     p->mapped ? "mapped" : "unmapped", (uint64_t)p->flags);
	return rc ? rc : invalidate_page(g, p->va);
}

/*
 * New rights in a paging-structure entry above a page's leaf: a write or a
 * user access needs R/W and U/S at every level and XD anywhere forbids a
 * fetch (with NXE; without it XD is a reserved bit), so the walker's
 * combining rules are exercised and not only the leaf's.  A is cleared too:
 * the walker must set it again in every entry it uses.  Only the page's
 * INVLPG follows, as an OS changing one mapping would issue: other pages
 * under the same entry keep whatever the TLB and the paging-structure
 * caches hold, which both back ends must agree on.
 */
static int rewrite_table_entry(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	struct page *p = &g->page[pick(g, g->npages)];
	unsigned level;
	uint64_t ea;
	pte_t e;
	int rc;

	if (p->level >= c->levels)
		return 0;  /* a single-level table has no entry above a leaf */
	level = p->level + 1 + pick(g, c->levels - p->level);
	rc = pt_entry_addr(g->m, g->root, p->va, level, &ea);
	if (rc == MMU_EINVAL)
		return 0;  /* no table there yet */
	if (!rc)
		rc = machine_pte_read(g->m, ea, &e);
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "reading a table entry: %s",
			 g->m->err);
		return rc;
	}
	if (!(e & PTE_P))
		return 0;
	e &= ~(PTE_RW | PTE_US | PTE_A | (c->pte_bytes == 8 ? PTE_XD : 0));
	if (pick(g, 10) < 8) e |= PTE_RW;
	if (pick(g, 10) < 8) e |= PTE_US;
	if (c->pte_bytes == 8 && pick(g, 10) < 1) e |= PTE_XD;
	rc = machine_pte_write(g->m, ea, e);
	glog(g, "step %" PRIu64 ": table entry of va %#" PRIx64 " level %u -> %#"
	     PRIx64 "\n", g->step, p->va, level, (uint64_t)e);
	return rc ? rc : invalidate_page(g, p->va);
}

static int toggle_pge_or_pcide(struct gen *g, const struct mmu_regs *r,
			       uint64_t cr3)
{
	int rc = 0;

	if (pick(g, 2))
		return gen_ctl(g, MMU_CTL_WRITE_CR4, r->cr4 ^ CR4_PGE, 0, 0, 0);
	if (g->cfg->pcid) {
		/* CR3's PCID must be 0 when PCIDE changes */
		rc = gen_ctl(g, MMU_CTL_WRITE_CR3, cr3, 0, 0, 0);
		if (!rc)
			rc = gen_ctl(g, MMU_CTL_WRITE_CR4, r->cr4 ^ CR4_PCIDE,
				     0, 0, 0);
		g->pcids_used = 1;
	}
	return rc;
}

/* Switch PCID, mostly keeping the TLB (no-flush). */
static int switch_pcid(struct gen *g, const struct mmu_regs *r, uint64_t cr3)
{
	uint16_t p;

	if (!(r->cr4 & CR4_PCIDE))
		return gen_ctl(g, MMU_CTL_WRITE_CR3, cr3, 0, 0, 0);
	p = (uint16_t)pick(g, MAX_PCIDS);
	g->pcids_used |= (uint16_t)(1u << p);
	return gen_ctl(g, MMU_CTL_WRITE_CR3,
		       cr3 | p | (pick(g, 4) ? CR3_NOFLUSH : 0), 0, 0, 0);
}

static int control_change(struct gen *g)
{
	struct mmu_regs r;
	uint64_t cr3 = pt_make(g->cfg, g->root, 0), v;
	int rc = 0;

	g->m->ops->regs(g->m, &r);
	switch (pick(g, 6)) {
	case 0:
		rc = gen_ctl(g, MMU_CTL_WRITE_CR0,
			     CR0_PE | CR0_PG | (pick(g, 2) ? CR0_WP : 0), 0, 0, 0);
		break;
	case 1:
		if (g->cfg->pte_bytes == 8)
			rc = gen_ctl(g, MMU_CTL_WRITE_EFER,
				     EFER_LME | (pick(g, 2) ? EFER_NXE : 0), 0, 0, 0);
		break;
	case 2:
		v = (r.cr4 & (CR4_PAE | CR4_PCIDE | CR4_PGE)) | (pick(g, 2) ? CR4_SMEP : 0);
		v |= pick(g, 2) ? CR4_SMAP : 0;
		rc = gen_ctl(g, MMU_CTL_WRITE_CR4, v, 0, 0, 0);
		break;
	case 3:
		rc = gen_ctl(g, MMU_CTL_SET_AC, pick(g, 2), 0, 0, 0);
		break;
	case 4:
		rc = toggle_pge_or_pcide(g, &r, cr3);
		break;
	case 5:
		rc = switch_pcid(g, &r, cr3);
		break;
	}
	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "control change refused (%s)",
			 rc == MMU_EGP ? "#GP" : g->m->err);
	return rc;
}

static int maintenance(struct gen *g)
{
	static const enum mmu_ctl_op ops[] = {
		MMU_CTL_CLEAN_LINE, MMU_CTL_FLUSH_LINE, MMU_CTL_CLEAN_ALL,
		MMU_CTL_FLUSH_ALL,
	};
	enum mmu_ctl_op op = ops[pick(g, 16) ? pick(g, 2) : 2 + pick(g, 2)];
	uint64_t pa = g->data_pa + rnd(g) % g->data_bytes;
	int rc = gen_ctl(g, op, 0, op == MMU_CTL_CLEAN_ALL ||
			 op == MMU_CTL_FLUSH_ALL ? 0 : pa, 0, 0);

	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "cache maintenance failed: %s",
			 g->m->err);
	return rc;
}

static struct page *find_page(struct gen *g, uint64_t va)
{
	for (unsigned i = 0; i < g->npages; i++) {
		struct page *p = &g->page[i];
		uint64_t sz = mmu_level_page_size(g->cfg, p->level);

		if (va >= p->va && va < p->va + sz)
			return p;
	}
	return NULL;
}

/* Every log_every-th access in full; faults in between in short (status
 * and error code), which keeps a log of a long run to a few MB. */
static void log_access(struct gen *g, const struct mmu_req *req,
		       const struct mmu_outcome *o)
{
	bool full = g->accesses % g->log_every == 0;
	char line[320], ec[32];

	if (!g->log || (o->status == MMU_ST_OK && !full))
		return;
	if (full)
		mmu_outcome_format(o, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "%s ec=%s", mmu_status_str(o->status),
			 mmu_pfec_str(o->error_code, ec, sizeof(ec)));
	glog(g, "step %" PRIu64 ": access %" PRIu64 ": %s %s size %u va %#"
	     PRIx64 " -> %s\n", g->step, g->accesses,
	     req->user ? "user" : "supervisor", mmu_op_str(req->op), req->size,
	     req->va, line);
}

/* The generator's own check of an outcome (on every back end). */
static bool outcome_ok(struct gen *g, const struct mmu_req *req,
		       const struct mmu_outcome *o, const struct page *p)
{
	uint64_t off, want = 0;

	if (o->status == MMU_ST_PAGE_FAULT) {
		g->pf++;
		if (o->error_code & PFEC_RSVD)
			g->pf_rsvd++;
		else if (o->error_code & PFEC_P)
			g->pf_prot++;
		else
			g->pf_np++;
		/* a reserved bit (XD without NXE in a table entry above an
		 * unmapped leaf) stops the walk before the missing leaf */
		return ((p && p->mapped) || (o->error_code & PFEC_RSVD)) ==
		       !!(o->error_code & PFEC_P) && o->cr2 == req->va;
	}
	if (o->status == MMU_ST_GP_FAULT) {
		g->gp++;
		return false;  /* the generator only uses canonical addresses */
	}
	if (o->status != MMU_ST_OK || !p || !p->mapped ||
	    o->pa != p->pa + (req->va - p->va))
		return false;
	off = o->pa - g->data_pa;
	if (req->op == MMU_STORE) {
		for (unsigned i = 0; i < req->size; i++)
			g->shadow[off + i] = (uint8_t)(req->wdata >> (8 * i));
		return true;
	}
	for (unsigned i = req->size; i-- > 0;)
		want = (want << 8) | g->shadow[off + i];
	g->loads_checked++;
	return o->rdata == want;
}

static int one_access(struct gen *g)
{
	const struct mmu_config *c = g->cfg;
	unsigned maxlog = c->l1_line >= 8 ? 4 : c->l1_line >= 4 ? 3 : 1;
	unsigned size = 1u << pick(g, maxlog);
	struct page *p = &g->page[pick(g, g->npages)];
	uint64_t sz = mmu_level_page_size(c, p->level);
	uint64_t va = (p->va + rnd(g) % sz) & ~(uint64_t)(size - 1);
	struct mmu_req req = { .va = va, .size = size, .user = pick(g, 2),
			       .wdata = rnd(g) };
	struct mmu_outcome o;
	char line[320];
	int rc;

	req.op = (enum mmu_op)pick(g, 3);
	if (pick(g, 50) == 0)  /* an address nothing maps */
		req.va = va = (rnd(g) & va_mask(c)) & ~(uint64_t)(size - 1);
	g->accesses++;
	rc = machine_access(g->m, &req, &o);
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "access %" PRIu64 ": %s",
			 g->accesses, g->m->err);
		glog(g, "step %" PRIu64 ": access %" PRIu64 ": %s %s size %u va %#"
		     PRIx64 " -> %s\n", g->step, g->accesses,
		     req.user ? "user" : "supervisor", mmu_op_str(req.op), size,
		     va, g->m->err);
		return rc;
	}
	log_access(g, &req, &o);
	p = find_page(g, va);
	g->checks++;
	if (outcome_ok(g, &req, &o, p))
		return 0;
	mmu_outcome_format(&o, line, sizeof(line));
	snprintf(g->fail, sizeof(g->fail),
		 "access %" PRIu64 ": %s %s size %u at %#" PRIx64 " (page %s): %s",
		 g->accesses, req.user ? "user" : "supervisor",
		 mmu_op_str(req.op), size, va,
		 p ? (p->mapped ? "mapped" : "unmapped") : "none", line);
	return -1;
}

static int final_check(struct gen *g)
{
	uint8_t *mem = malloc(g->data_bytes);
	int rc = -1;

	if (!mem)
		return -1;
	if (!gen_ctl(g, MMU_CTL_FLUSH_ALL, 0, 0, 0, 0) &&
	    !g->m->ops->mem_peek(g->m, g->data_pa, mem, g->data_bytes)) {
		rc = memcmp(mem, g->shadow, g->data_bytes) ? -1 : 0;
		if (rc)
			snprintf(g->fail, sizeof(g->fail), "memory differs "
				 "from the shadow after the final flush");
	} else {
		snprintf(g->fail, sizeof(g->fail), "final check: %s", g->m->err);
	}
	free(mem);
	return rc;
}

/* Lockstep only: the counters, then the whole of memory, on both sides. */
static int lockstep_final(struct gen *g)
{
	int rc;

	if (!lockstep_is(g->m))
		return 0;
	rc = lockstep_check_counters(g->m);
	if (!rc)
		rc = lockstep_check_memory(g->m);
	if (rc)
		snprintf(g->fail, sizeof(g->fail), "%s", g->m->err);
	return rc;
}

static int run_stream(struct gen *g, uint64_t ops)
{
	int rc = 0;

	for (uint64_t n = 0; !rc && n < ops; n++) {
		unsigned k = pick(g, 1000);

		g->step = n;
		if ((n & 8191) == 0)
			progress_tick(g->prog, n);
		if (k < 4)
			rc = rewrite_pte(g);
		else if (k < 6)
			rc = rewrite_table_entry(g);
		else if (k < 9)
			rc = control_change(g);
		else if (k < 11)
			rc = maintenance(g);
		else
			rc = one_access(g);
	}
	if (!rc)
		g->step = ops;
	if (!rc)
		rc = final_check(g);
	if (!rc)
		rc = lockstep_final(g);
	return rc;
}

/* ---- one test: a configuration and a seed ------------------------------- */

struct run_opts {
	const char *argv0;
	const char *backend;
	struct backend_opts bo;
	uint64_t ops, log_every;
	const char *logdir;
	bool wave;
};

struct result {
	struct mmu_counters c;
	struct lockstep_stats ls;
	struct gen g;
	double secs;
	bool ok, mismatch;
	char log_path[512];
	char rerun[1024];
	char report[2048];  /* the failure in full (several lines) */
};

static void rerun_command(const struct run_opts *ro, const char *cfg_arg,
			  uint64_t seed, struct result *r)
{
	size_t n = sizeof(r->rerun);
	int w = snprintf(r->rerun, n, "%s --backend %s --config %s --seed %"
			 PRIu64 " --ops %" PRIu64, ro->argv0, ro->backend,
			 cfg_arg, seed, ro->ops);

#define APPEND(...)                                                            \
	do {                                                                   \
		if (w > 0 && (size_t)w < n)                                    \
			w += snprintf(r->rerun + w, n - (size_t)w, __VA_ARGS__); \
	} while (0)
	if (ro->logdir)
		APPEND(" --logdir %s", ro->logdir);
	if (ro->bo.axi_latency)
		APPEND(" --axi-latency %u", ro->bo.axi_latency);
	if (ro->bo.backpressure_pct)
		APPEND(" --backpressure %u", ro->bo.backpressure_pct);
	if (ro->bo.inject_access)
		APPEND(" --inject %" PRIu64, ro->bo.inject_access);
	if (ro->wave)
		APPEND(" --wave");
#undef APPEND
}

static void write_report(uint64_t seed, struct result *r)
{
	const struct lockstep_mismatch *mm = lockstep_mismatch(r->g.m);
	int n;

	r->mismatch = mm != NULL;
	if (mm)
		n = lockstep_mismatch_format(mm, r->report, sizeof(r->report));
	else
		n = snprintf(r->report, sizeof(r->report), "%s\n", r->g.fail);
	if (n > 0 && (size_t)n < sizeof(r->report))
		snprintf(r->report + n, sizeof(r->report) - (size_t)n,
			 "seed: %" PRIu64 "\nlog: %s\nre-run: %s\n", seed,
			 r->log_path[0] ? r->log_path : "(no --logdir)",
			 r->rerun);
}

static FILE *open_log(const struct run_opts *ro, const struct mmu_config *cfg,
		      uint64_t seed, struct result *r)
{
	char text[2048];
	char desc[32];
	FILE *f;

	if (!ro->logdir)
		return NULL;
	snprintf(r->log_path, sizeof(r->log_path), "%s/%s-seed%" PRIu64 ".log",
		 ro->logdir, cfg->name, seed);
	f = fopen(r->log_path, "w");
	if (!f) {
		r->log_path[0] = 0;
		return NULL;
	}
	mmu_config_format(cfg, text, sizeof(text));
	fprintf(f, "mmuregress log: config %s, seed %" PRIu64 ", %" PRIu64
		" steps, back end %s (%s)\nre-run: %s\nlogged: every %" PRIu64
		"th access in full, every fault in short, every control op and\n"
		"PTE change\n"
		"--- configuration\n%s--- stream\n", cfg->name, seed, ro->ops,
		ro->backend, backend_describe(ro->backend, desc, sizeof(desc)),
		r->rerun, ro->log_every, text);
	return f;
}

static int open_machine(const struct run_opts *ro, const struct mmu_config *cfg,
			uint64_t seed, struct result *r, char *wave)
{
	struct backend_opts bo = ro->bo;
	char err[256];

	bo.seed = seed;  /* back-pressure pattern: one per test, reproducible */
	if (ro->wave && ro->logdir) {
		snprintf(wave, 512, "%s/%s-seed%" PRIu64 ".fst", ro->logdir,
			 cfg->name, seed);
		bo.trace_path = wave;
	}
	if (machine_open(ro->backend, cfg, 0, &bo, &r->g.m, err, sizeof(err))) {
		snprintf(r->g.fail, sizeof(r->g.fail), "%s", err);
		return -1;
	}
	if (lockstep_is(r->g.m))
		lockstep_check_counters_every(r->g.m, COUNTER_EVERY);
	return 0;
}

static void finish_log(struct gen *g, const struct result *r)
{
	if (!g->log)
		return;
	fprintf(g->log, "--- result: %s after %" PRIu64 " steps, %" PRIu64
		" accesses, %.3f s\n", r->ok ? "PASS" : "FAIL", g->step,
		g->accesses, r->secs);
	if (!r->ok)
		fputs(r->report, g->log);
	fclose(g->log);
	g->log = NULL;
}

static bool run_seed(const struct run_opts *ro, const struct mmu_config *cfg,
		     const char *cfg_arg, uint64_t seed, struct progress *prog,
		     struct result *res)
{
	struct gen *g = &res->g;
	char wave[512];
	double t0 = now();
	int rc = -1;

	memset(res, 0, sizeof(*res));
	g->cfg = cfg;
	g->rng = seed * 0x9E3779B97F4A7C15ull + 1;
	g->log_every = ro->log_every;
	g->prog = prog;
	rerun_command(ro, cfg_arg, seed, res);
	g->log = open_log(ro, cfg, seed, res);
	if (!open_machine(ro, cfg, seed, res, wave)) {
		rc = layout(g) || build(g) ? -1 : 0;
		if (rc && !g->fail[0])
			snprintf(g->fail, sizeof(g->fail), "setup failed");
		if (!rc)
			rc = run_stream(g, ro->ops);
		g->m->ops->counters(g->m, &res->c);
		lockstep_stats(g->m, &res->ls);
	}
	res->secs = now() - t0;
	res->ok = rc == 0;
	if (!res->ok)
		write_report(seed, res);
	finish_log(g, res);
	machine_destroy(g->m);
	g->m = NULL;
	free(g->shadow);
	return res->ok;
}

/* ---- reports: the table, failures, JUnit -------------------------------- */

static void print_header(void)
{
	printf("%-6s %6s %-13s %9s %7s %7s %7s %9s %7s %7s %7s %7s %9s %-5s %8s %11s\n",
	       "config", "seed", "backend", "accesses", "tlb-hit", "l1-hit",
	       "walks", "rd/walk", "#PF-np", "#PF-pr", "#PF-rs", "loads",
	       "checks", "check", "Macc/s", "cycles");
}

/* A hit rate, or "-" when nothing was looked up (a run stopped at its
 * first access). */
static void rate(char *buf, size_t len, uint64_t hits, uint64_t misses)
{
	if (hits + misses)
		snprintf(buf, len, "%.1f%%", 100.0 * (double)hits /
			 (double)(hits + misses));
	else
		snprintf(buf, len, "-");
}

static void print_row(const char *backend, const struct mmu_config *cfg,
		      uint64_t seed, const struct result *r)
{
	char desc[32], checks[24], cycles[24] = "-", tlb[16], l1[16];

	rate(tlb, sizeof(tlb), r->c.tlb_hits, r->c.tlb_misses);
	rate(l1, sizeof(l1), r->c.l1_hits, r->c.l1_misses);
	/* only the RTL counts cycles */
	if (r->c.cycles)
		snprintf(cycles, sizeof(cycles), "%" PRIu64, r->c.cycles);
	if (!strcmp(backend, "lockstep"))
		snprintf(checks, sizeof(checks), "%" PRIu64, r->ls.calls);
	else
		snprintf(checks, sizeof(checks), "-");
	printf("%-6s %6" PRIu64 " %-13s %9" PRIu64 " %7s %7s %7" PRIu64
	       " %9.2f %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
	       " %9s %-5s %8.2f %11s\n",
	       cfg->name, seed, backend_describe(backend, desc, sizeof(desc)),
	       r->c.accesses, tlb, l1, r->c.walks,
	       r->c.walks ? (double)r->c.walk_reads / (double)r->c.walks : 0,
	       r->g.pf_np, r->g.pf_prot, r->g.pf_rsvd, r->g.loads_checked,
	       checks, r->ok ? "PASS" : "FAIL",
	       r->secs > 0 ? (double)r->c.accesses / r->secs / 1e6 : 0,
	       cycles);
}

/* Indent every line of a report under the FAIL line. */
static void print_failure(const struct mmu_config *cfg, uint64_t seed,
			  const struct result *r)
{
	const char *s = r->report;

	printf("  FAIL %s seed %" PRIu64 ":\n", cfg->name, seed);
	while (*s) {
		const char *e = strchr(s, '\n');
		int len = e ? (int)(e - s) : (int)strlen(s);

		printf("    %.*s\n", len, s);
		s += len + (e != NULL);
	}
}

struct junit_case {
	char cfg[MMU_CFG_NAME_MAX];
	uint64_t seed;
	double secs;
	bool ok, mismatch;
	char *text;  /* failure report (malloc'd), NULL when it passed */
	char log_path[512];
};

/* The failure attribute is the report's first line. */
static void junit_failure(FILE *f, const struct junit_case *c)
{
	const char *nl = strchr(c->text, '\n');
	size_t n = nl ? (size_t)(nl - c->text) : strlen(c->text);
	char first[512];

	snprintf(first, sizeof(first), "%.*s", (int)(n < 511 ? n : 511), c->text);
	fputs("      <failure message=\"", f);
	cli_xml_escape(f, first);
	fprintf(f, "\" type=\"%s\">", c->mismatch ? "lockstep-mismatch" :
		"check");
	cli_xml_escape(f, c->text);
	fputs("</failure>\n", f);
}

static void junit_case(FILE *f, const char *backend, const struct junit_case *c)
{
	fprintf(f, "    <testcase classname=\"mmuregress.%s.", backend);
	cli_xml_escape(f, c->cfg);
	fprintf(f, "\" name=\"%s seed %" PRIu64 "\" time=\"%.3f\">\n", c->cfg,
		c->seed, c->secs);
	if (!c->ok)
		junit_failure(f, c);
	if (c->log_path[0]) {
		fputs("      <system-out>log: ", f);
		cli_xml_escape(f, c->log_path);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

static int write_junit(FILE *f, const char *backend, const char *shard,
		       const struct junit_case *c, unsigned n, unsigned failed,
		       uint64_t ops)
{
	double total = 0;
	char desc[32];

	for (unsigned i = 0; i < n; i++)
		total += c[i].secs;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"mmuregress\" tests=\"%u\" failures=\"%u\" "
		"errors=\"0\" time=\"%.3f\">\n"
		"  <testsuite name=\"mmuregress.%s\" tests=\"%u\" failures=\"%u\" "
		"errors=\"0\" skipped=\"0\" time=\"%.3f\">\n"
		"    <properties>\n"
		"      <property name=\"backend\" value=\"%s\"/>\n"
		"      <property name=\"ops\" value=\"%" PRIu64 "\"/>\n"
		"      <property name=\"shard\" value=\"%s\"/>\n"
		"    </properties>\n", n, failed, total, backend, n, failed,
		total, backend_describe(backend, desc, sizeof(desc)), ops, shard);
	for (unsigned i = 0; i < n; i++)
		junit_case(f, backend, &c[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}

/* ---- the command line --------------------------------------------------- */

struct cli {
	const char *names[MAX_CONFIGS];
	unsigned nnames, seeds, shard_i, shard_n;
	uint64_t first_seed;
	bool one_seed, quiet;
	const char *junit;
	struct run_opts ro;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmuregress [--backend golden|lockstep|rtl]\n"
		"         [--config NAME]... [--seeds N] [--seed S] [--ops N]\n"
		"         [--quick] [--junit FILE] [--logdir DIR] [--log-every N]\n"
		"         [--shard I/N] [--axi-latency CYCLES]\n"
		"         [--backpressure PCT] [--wave] [--inject N] [--quiet]\n"
		"Seeded constrained-random regression of a machine (default back\n"
		"end: lockstep, every call compared between the golden model and\n"
		"the DUT).  Prints a summary table; exits 1 if any check failed,\n"
		"2 on bad usage.  See docs/verification.md.\n");
}

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "mmuregress: bad %s '%s'\n", what, arg);
	usage(stderr);
	return 2;
}

/* Options with a value; returns 0 if handled, 1 if not ours, 2 if bad. */
static int parse_valued(struct cli *c, const char *opt, const char *v)
{
	uint64_t x;

	if (!strcmp(opt, "--backend")) {
		char err[256];

		if (backend_available(v, err, sizeof(err))) {
			fprintf(stderr, "mmuregress: --backend %s: %s\n", v, err);
			return 2;
		}
		c->ro.backend = v;
	} else if (!strcmp(opt, "--config")) {
		if (c->nnames == MAX_CONFIGS)
			return bad("--config (too many)", v);
		c->names[c->nnames++] = v;
	} else if (!strcmp(opt, "--seeds")) {
		if (!cli_parse_uint(v, &c->seeds) || !c->seeds)
			return bad("--seeds", v);
	} else if (!strcmp(opt, "--seed")) {
		if (!cli_parse_u64(v, &c->first_seed))
			return bad("--seed", v);
		c->one_seed = true;
	} else if (!strcmp(opt, "--ops")) {
		if (!cli_parse_u64(v, &c->ro.ops))
			return bad("--ops", v);
	} else if (!strcmp(opt, "--junit")) {
		c->junit = v;
	} else if (!strcmp(opt, "--logdir")) {
		c->ro.logdir = v;
	} else if (!strcmp(opt, "--log-every")) {
		if (!cli_parse_u64(v, &c->ro.log_every) || !c->ro.log_every)
			return bad("--log-every", v);
	} else if (!strcmp(opt, "--shard")) {
		if (!cli_parse_shard(v, &c->shard_i, &c->shard_n))
			return bad("--shard (want I/N, 1 <= I <= N)", v);
	} else if (!strcmp(opt, "--axi-latency")) {
		if (!cli_parse_uint(v, &c->ro.bo.axi_latency))
			return bad("--axi-latency", v);
	} else if (!strcmp(opt, "--backpressure")) {
		if (!cli_parse_uint(v, &c->ro.bo.backpressure_pct) ||
		    c->ro.bo.backpressure_pct > 100)
			return bad("--backpressure (0..100)", v);
	} else if (!strcmp(opt, "--inject")) {
		if (!cli_parse_u64(v, &x) || !x)
			return bad("--inject", v);
		c->ro.bo.inject_access = x;
	} else {
		return 1;
	}
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc = i + 1 < argc ? parse_valued(c, a, argv[i + 1]) : 1;

		if (rc == 0) {
			i++;
		} else if (rc == 2) {
			return 2;
		} else if (!strcmp(a, "--quick")) {
			c->seeds = 2;
			c->ro.ops = 100000;
		} else if (!strcmp(a, "--wave")) {
			c->ro.wave = true;
		} else if (!strcmp(a, "--quiet")) {
			c->quiet = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (c->ro.bo.inject_access && strcmp(c->ro.backend, "lockstep")) {
		fprintf(stderr, "mmuregress: --inject needs --backend lockstep\n");
		return 2;
	}
	if (c->ro.wave && !c->ro.logdir) {
		fprintf(stderr, "mmuregress: --wave needs --logdir\n");
		return 2;
	}
	return -1;
}

/* ---- main --------------------------------------------------------------- */

struct plan {
	struct mmu_config cfg[MAX_CONFIGS];
	unsigned total;  /* tests in this shard */
};

static int load_configs(struct cli *c, struct plan *pl)
{
	for (unsigned k = 0; k < c->nnames; k++) {
		char err[256];

		if (mmu_config_load(c->names[k], &pl->cfg[k], err, sizeof(err))) {
			fprintf(stderr, "mmuregress: %s\n", err);
			return 2;
		}
	}
	pl->total = 0;
	for (unsigned t = 0; t < c->nnames * c->seeds; t++)
		pl->total += t % c->shard_n == c->shard_i - 1;
	return 0;
}

static int prepare_outputs(const struct cli *c, FILE **junit)
{
	if (c->ro.logdir && cli_make_dirs(c->ro.logdir)) {
		fprintf(stderr, "mmuregress: cannot create %s: %s\n",
			c->ro.logdir, strerror(errno));
		return 2;
	}
	if (c->junit && !(*junit = fopen(c->junit, "w"))) {
		fprintf(stderr, "mmuregress: cannot write %s: %s\n", c->junit,
			strerror(errno));
		return 2;
	}
	return 0;
}

static void record_case(struct junit_case *jc, const struct mmu_config *cfg,
			uint64_t seed, const struct result *r)
{
	snprintf(jc->cfg, sizeof(jc->cfg), "%s", cfg->name);
	jc->seed = seed;
	jc->secs = r->secs;
	jc->ok = r->ok;
	jc->mismatch = r->mismatch;
	jc->text = r->ok ? NULL : strdup(r->report);
	snprintf(jc->log_path, sizeof(jc->log_path), "%s", r->log_path);
}

/* Tests are numbered config-major; shard I/N runs those with number % N ==
 * I - 1, so shards interleave configurations and balance their time. */
static unsigned run_all(struct cli *c, struct plan *pl, struct junit_case *jc,
			unsigned *failed)
{
	struct progress prog = { .on = !c->quiet, .start = now(),
				 .total = pl->total, .ops = c->ro.ops };
	struct result *r = malloc(sizeof(*r));
	unsigned ran = 0;

	if (!r)
		return 0;
	for (unsigned t = 0; t < c->nnames * c->seeds; t++) {
		const struct mmu_config *cfg = &pl->cfg[t / c->seeds];
		uint64_t seed = c->first_seed + t % c->seeds;

		if (t % c->shard_n != c->shard_i - 1)
			continue;
		prog.cfg = cfg->name;
		prog.seed = seed;
		run_seed(&c->ro, cfg, c->names[t / c->seeds], seed, &prog, r);
		print_row(c->ro.backend, cfg, seed, r);
		if (!r->ok) {
			(*failed)++;
			print_failure(cfg, seed, r);
		}
		fflush(stdout);
		record_case(&jc[ran++], cfg, seed, r);
		prog.done = ran;
		prog.failed = *failed;
		progress_tick(&prog, c->ro.ops);
	}
	free(r);
	return ran;
}

int main(int argc, char **argv)
{
	struct cli c = { .seeds = 4, .first_seed = 1, .shard_i = 1,
			 .shard_n = 1, .ro = { .argv0 = argv[0],
			 .backend = "lockstep", .ops = 300000,
			 .log_every = 1000 } };
	struct plan pl;
	struct junit_case *jc;
	FILE *junit = NULL;
	unsigned failed = 0, ran;
	char shard[32];
	int rc;

	/* The tools are linked with the Verilated RTL: offer it. */
	if (rtl_backend_register()) {
		fprintf(stderr, "mmuregress: cannot register the RTL back end\n");
		return 2;
	}
	rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return rc;
	if (c.one_seed)
		c.seeds = 1;
	if (!c.nnames) {
		c.names[c.nnames++] = "x86";
		c.names[c.nnames++] = "csapp";
		c.names[c.nnames++] = "fpga";
	}
	if ((rc = load_configs(&c, &pl)) || (rc = prepare_outputs(&c, &junit)))
		return rc;
	jc = calloc(pl.total + 1, sizeof(*jc));
	if (!jc)
		return 2;
	print_header();
	ran = run_all(&c, &pl, jc, &failed);
	snprintf(shard, sizeof(shard), "%u/%u", c.shard_i, c.shard_n);
	if (junit && (write_junit(junit, c.ro.backend, shard, jc, ran, failed,
				  c.ro.ops) | fclose(junit))) {
		fprintf(stderr, "mmuregress: writing %s failed\n", c.junit);
		failed++;
	}
	for (unsigned i = 0; i < ran; i++)
		free(jc[i].text);
	free(jc);
	printf("regress: %u passed, %u failed\n", ran - failed, failed);
	return failed || ran < pl.total ? 1 : 0;
}
