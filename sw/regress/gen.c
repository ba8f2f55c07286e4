/* SPDX-License-Identifier: MIT */
/*
 * The generator (regress.h): random page tables, then the stream (the
 * accesses are in access.c, the control changes in ctl.c).  The CHECKED
 * mix draws exactly what mmuregress always drew, so a seed's stream (and
 * its log) is the same as before the library; TRAFFIC and HOSTILE draw
 * more only where they add something.
 */
#include "regress_int.h"
#include "machine/pagetable.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_EVERY 8192
#define PHYS_MAX 256        /* bytes of one physical read or write */

/* Per mille of steps, in this order; the rest are accesses. */
struct mix_def {
	unsigned pte, table, ctl, cache, phys, flip;
};

static const struct mix_def mixes[] = {
	[REGRESS_CHECKED] = { 4, 2, 3, 2, 0, 0 },
	[REGRESS_TRAFFIC] = { 30, 10, 40, 20, 70, 0 },
	[REGRESS_HOSTILE] = { 40, 10, 30, 20, 30, 20 },
};

void gen_log(struct regress_gen *g, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!g->o.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	g->o.log(g->o.ctx, line);
}

/* Errors HOSTILE provokes and steps past: a table pointer past memory
 * (ERANGE), a path through a large page or a missing table (EINVAL), no
 * table frame left (ENOMEM).  Both machines agree on them (lockstep
 * checks); a mismatch (EBACKEND) still stops the run. */
static bool tolerated(const struct regress_gen *g, int rc)
{
	return g->hostile && (rc == MMU_EINVAL || rc == MMU_ERANGE ||
			      rc == MMU_ENOMEM);
}

int gen_ctl(struct regress_gen *g, enum mmu_ctl_op op, uint64_t value,
	    uint64_t addr, unsigned type, uint16_t pcid)
{
	struct mmu_ctl c = { .op = op, .value = value, .addr = addr,
			     .type = type, .pcid = pcid };
	enum mmu_ctl_result res = MMU_CTL_DONE;
	int rc;

	g->st.ctls++;
	rc = machine_ctl(g->m, &c, &res);
	gen_log(g, "step %" PRIu64 ": ctl %s value %#" PRIx64 " addr %#" PRIx64
	     " type %u pcid %u -> %s\n", g->st.steps, mmu_ctl_op_str(op), value,
	     addr, type, pcid, rc ? mmu_err_str(rc) :
	     res == MMU_CTL_GP ? "#GP" : "done");
	if (rc)
		return rc;
	return g->check && res == MMU_CTL_GP && op != MMU_CTL_SET_AC ?
	       MMU_EGP : 0;
}

static uint64_t alloc_table(void *ctx)
{
	struct regress_gen *g = ctx;
	uint64_t pa = g->next_table, ps = 1ull << g->cfg->page_shift;

	if (pa + pt_table_bytes(g->cfg) > g->table_end)
		return 0;
	g->next_table = (pa + pt_table_bytes(g->cfg) + ps - 1) & ~(ps - 1);
	return pa;
}

static pte_t random_flags(struct regress_gen *g)
{
	pte_t f = 0;

	if (pick(g, 10) < 7) f |= PTE_RW;
	if (pick(g, 10) < 8) f |= PTE_US;
	if (g->cfg->pte_bytes == 8 && pick(g, 10) < 2) f |= PTE_XD;
	/* a protection key now and then (it counts with CR4.PKE) */
	if (g->cfg->pte_bytes == 8 && pick(g, 4) == 0)
		f = pte_with_pkey(f, pick(g, PTE_NPKEYS));
	if (pick(g, 10) < 1) f |= PTE_G;
	if (g->hostile) {
		if (pick(g, 3) == 0) f |= PTE_A;
		if (pick(g, 4) == 0) f |= PTE_D;
	}
	return f;
}

/* Tables first, then a data region that all pages map into; TRAFFIC and
 * HOSTILE leave the last page of memory alone. */
static int layout(struct regress_gen *g)
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
	if (g->data_pa + 5 * ps > mem) {
		snprintf(g->fail, sizeof(g->fail), "memory of %#" PRIx64
			 " bytes too small for tables and data", mem);
		return MMU_EINVAL;
	}
	if (!g->check && g->data_pa + g->data_bytes > mem - ps)
		g->data_bytes = mem - ps - g->data_pa;
	if (!g->check)
		return 0;
	g->shadow = calloc(1, g->data_bytes);
	if (!g->shadow) {
		snprintf(g->fail, sizeof(g->fail), "out of host memory");
		return MMU_ENOMEM;
	}
	return 0;
}

static int map_page(struct regress_gen *g, struct page *p)
{
	pte_t tflags = PTE_RW | PTE_US;
	int rc;

	if (g->hostile && pick(g, 8) == 0)
		tflags &= ~(pick(g, 2) ? PTE_RW : PTE_US);
	rc = pt_map(g->m, g->root, p->va, p->pa, p->level, p->flags, tflags,
		    alloc_table, g);
	if (tolerated(g, rc)) {
		p->mapped = false;
		return 0;
	}
	if (rc)
		snprintf(g->fail, sizeof(g->fail), "page-table build failed: %s",
			 rc == MMU_ENOMEM ? "out of table frames" : g->m->err);
	return rc;
}

/* A VA for page p that overlaps no earlier page and does not put pages of
 * different sizes under one entry (a large page where the other needs a
 * table). */
static bool va_taken(struct regress_gen *g, unsigned i, uint64_t va,
		     uint64_t sz, unsigned level)
{
	const struct mmu_config *c = g->cfg;

	for (unsigned j = 0; j < i; j++) {
		uint64_t lo = g->page[j].va;
		uint64_t hi = lo + mmu_level_page_size(c, g->page[j].level);
		unsigned top = level > g->page[j].level ? level : g->page[j].level;
		unsigned shift = c->page_shift + (top - 1) * c->index_bits;

		if (va < hi && lo < va + sz)
			return true;
		if (level != g->page[j].level && (va >> shift) == (lo >> shift))
			return true;
	}
	return false;
}

/* A frame in the data region; HOSTILE sometimes anywhere in (and past)
 * memory, over the tables included. */
static uint64_t random_frame(struct regress_gen *g, uint64_t sz)
{
	uint64_t mem = g->m->mem_bytes;

	if (g->hostile && (sz > g->data_bytes || pick(g, 8) == 0))
		return regress_rng_below(&g->rng, (mem + mem / 8) / sz) * sz;
	return g->data_pa + (rnd(g) % (g->data_bytes / sz)) * sz;
}

static unsigned random_level(struct regress_gen *g)
{
	const struct mmu_config *c = g->cfg;
	bool large = c->page_2m && mmu_level_page_size(c, 2) <= g->data_bytes;
	unsigned level = (large && pick(g, 16) == 0) ? 2 : 1;

	if (g->hostile && c->page_1g && c->levels >= 3 && pick(g, 16) == 0)
		level = 3;
	if (g->check && gen_giant_ok(g) && pick(g, 32) == 0)
		level = 3;
	return level;
}

/* CHECKED: a page's frame.  A 1 GiB page maps the aligned GiB that holds
 * the data region (accesses stay in that region, or past memory: access.c);
 * now and then a page's frame lies past memory (its accesses are bus
 * errors) where the physical-address width leaves room. */
static uint64_t checked_frame(struct regress_gen *g, unsigned level,
			      uint64_t sz)
{
	uint64_t mem = g->m->mem_bytes;

	if (level == 3)
		return g->data_pa & ~(sz - 1);
	if (mem + sz <= (1ull << g->cfg->pa_bits) && pick(g, 48) == 0)
		return (mem + sz - 1) & ~(sz - 1);
	return random_frame(g, sz);
}

/* Draws of a page's VA before build() gives up (a bounded set-up, whatever
 * the configuration). */
#define MAX_VA_TRIES 100000u

static int build(struct regress_gen *g)
{
	const struct mmu_config *c = g->cfg;
	uint64_t ps = 1ull << c->page_shift;
	/* A memory with few table frames (a board's 128 KiB): every page
	 * under one page table, so four tables map them all. */
	bool tight = c->levels > 1 && (g->table_end - g->next_table) / ps < 64;
	int rc;

	g->root = alloc_table(g);
	if (!g->root) {
		snprintf(g->fail, sizeof(g->fail), "no frame for the root table");
		return MMU_ENOMEM;
	}
	rc = pt_zero_table(g->m, g->root);
	if (rc)
		return rc;
	g->npages = c->levels == 1 ? 48 : MAX_PAGES;
	for (unsigned i = 0; i < g->npages; i++) {
		struct page *p = &g->page[i];
		uint64_t sz;

		unsigned tries = 0;

		p->level = random_level(g);
		if (tight)  /* one table's reach: a large page would cover it */
			p->level = 1;
		sz = mmu_level_page_size(c, p->level);
		do {
			if (++tries > MAX_VA_TRIES) {
				snprintf(g->fail, sizeof(g->fail), "no free virtual "
					 "address for page %u of %u (level %u) after "
					 "%u tries", i, g->npages, p->level,
					 MAX_VA_TRIES);
				return MMU_ENOMEM;
			}
			/* cluster VAs so tables and PSCs are shared */
			p->va = (rnd(g) & va_mask(c) & ~(sz - 1));
			if (tight)
				p->va = (p->va & (mmu_level_page_size(c, 2) - 1)) |
					(0x40ull << 30);
			else if (c->levels > 1 && pick(g, 4))
				p->va = (p->va & (mmu_level_page_size(c, 3) - 1)) |
					(0x40ull << 30);
		} while (va_taken(g, i, p->va, sz, p->level));
		p->pa = g->check ? checked_frame(g, p->level, sz)
				 : random_frame(g, sz);
		p->flags = random_flags(g);
		p->mapped = pick(g, 10) != 0;
		if (p->mapped && (rc = map_page(g, p)))
			return rc;
	}
	return gen_ctl(g, MMU_CTL_WRITE_CR3, pt_make(c, g->root, 0), 0, 0, 0);
}

/* After a leaf change: INVLPG for the current PCID and global entries, and
 * INVPCID type 0 for every other PCID that may hold the page. */
static int invalidate_page(struct regress_gen *g, uint64_t va)
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

static int rewrite_pte(struct regress_gen *g)
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
		if (tolerated(g, rc))
			rc = 0;
		if (rc)
			snprintf(g->fail, sizeof(g->fail), "unmapping va %#"
				 PRIx64 ": %s", p->va, rc == MMU_EINVAL ?
				 "a table above the leaf is missing" : g->m->err);
	} else {
		p->mapped = true;
		rc = map_page(g, p);
	}
	gen_log(g, "step %" PRIu64 ": pte va %#" PRIx64 " level %u -> %s flags %#"
	     PRIx64 "\n", g->st.steps, p->va, p->level,
	     p->mapped ? "mapped" : "unmapped", (uint64_t)p->flags);
	if (rc || (g->hostile && pick(g, 4) == 0))
		return rc;  /* HOSTILE: a stale TLB entry now and then */
	rc = invalidate_page(g, p->va);
	if (!rc && g->check && p->mapped && p->level > 1)
		rc = gen_access_rmw(g, p);
	return rc;
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
static int rewrite_table_entry(struct regress_gen *g)
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
	if (tolerated(g, rc))
		return 0;
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "reading a table entry: %s",
			 g->m->err);
		return rc;
	}
	if (!(e & PTE_P))
		return 0;
	e &= ~(PTE_RW | PTE_US | PTE_A | (c->pte_bytes == 8 ? PTE_XD : 0));
	if (g->check && pick(g, 2) == 0) {
		/* CHECKED: every combination of the three alike half the
		 * time (R/W, U/S clear with XD set is rare otherwise) */
		unsigned k = pick(g, 8);

		e |= (k & 1 ? PTE_RW : 0) | (k & 2 ? PTE_US : 0) |
		     (k & 4 && c->pte_bytes == 8 ? PTE_XD : 0);
	} else {
		if (pick(g, 10) < 8) e |= PTE_RW;
		if (pick(g, 10) < 8) e |= PTE_US;
		if (c->pte_bytes == 8 && pick(g, 10) < 1) e |= PTE_XD;
	}
	rc = machine_pte_write(g->m, ea, e);
	gen_log(g, "step %" PRIu64 ": table entry of va %#" PRIx64 " level %u -> %#"
	     PRIx64 "\n", g->st.steps, p->va, level, (uint64_t)e);
	return rc ? rc : invalidate_page(g, p->va);
}

/* HOSTILE: one bit of an entry on a page's path flipped (P, rights, A/D,
 * G, XD, PS at the leaf, reserved bits 51 and 13, a key bit), no
 * invalidation. */
static int flip_entry_bit(struct regress_gen *g)
{
	static const pte_t bits[] = { PTE_P, PTE_RW, PTE_US, PTE_A, PTE_D,
				      PTE_G, PTE_XD, PTE_PS, 1ull << 51,
				      1ull << 13, 1ull << (PTE_BIT_PKEY + 2) };
	const struct mmu_config *c = g->cfg;
	struct page *p = &g->page[pick(g, g->npages)];
	unsigned level = p->level + pick(g, c->levels - p->level + 1);
	pte_t e, b = bits[pick(g, sizeof(bits) / sizeof(bits[0]))];
	uint64_t ea;
	int rc;

	if (c->pte_bytes == 4)
		b &= 0xffffffffull;
	/* a table turned into a large page would detach the maps below */
	if (b == PTE_PS && level != p->level)
		return 0;
	rc = pt_entry_addr(g->m, g->root, p->va, level, &ea);
	if (!rc)
		rc = machine_pte_read(g->m, ea, &e);
	if (!rc)
		rc = machine_pte_write(g->m, ea, e ^ b);
	if (!rc)
		gen_log(g, "step %" PRIu64 ": flip %#" PRIx64 " in the level-%u entry"
		     " of va %#" PRIx64 "\n", g->st.steps, (uint64_t)b, level,
		     p->va);
	return tolerated(g, rc) ? 0 : rc;
}

/* CHECKED: invalidate a line, or the whole L1, written back first so that
 * no data the shadow holds is lost. */
static int clean_then_inval(struct regress_gen *g, uint64_t addr)
{
	bool all = pick(g, 8) == 0;
	int rc = gen_ctl(g, all ? MMU_CTL_CLEAN_ALL : MMU_CTL_CLEAN_LINE, 0,
			 all ? 0 : addr, 0, 0);

	if (!rc)
		rc = gen_ctl(g, all ? MMU_CTL_INVAL_ALL : MMU_CTL_INVAL_LINE, 0,
			     all ? 0 : addr, 0, 0);
	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "cache maintenance failed: %s",
			 g->m->err);
	return rc;
}

static int maintenance(struct regress_gen *g)
{
	static const enum mmu_ctl_op ops[] = {
		MMU_CTL_CLEAN_LINE, MMU_CTL_FLUSH_LINE, MMU_CTL_CLEAN_ALL,
		MMU_CTL_FLUSH_ALL,
	};
	enum mmu_ctl_op op = ops[pick(g, 16) ? pick(g, 2) : 2 + pick(g, 2)];
	uint64_t addr = g->data_pa + rnd(g) % g->data_bytes;
	int rc;

	if (g->check && pick(g, 8) == 0)
		return clean_then_inval(g, addr);
	if (!g->check) {
		/* lines of the tables too; dirty data dropped (both sides
		 * alike), tables' lines and all lines at once only by HOSTILE
		 * (entries written through the L1 would be lost) */
		bool table = pick(g, 2);

		if (table)
			addr = g->root + regress_rng_below(&g->rng,
						pt_table_bytes(g->cfg));
		if (pick(g, 4) == 0 && (g->hostile || !table))
			op = pick(g, 16) || !g->hostile ? MMU_CTL_INVAL_LINE
							: MMU_CTL_INVAL_ALL;
	}
	/* the whole-cache operations take no address (machine.h) */
	if (op == MMU_CTL_CLEAN_ALL || op == MMU_CTL_INVAL_ALL ||
	    op == MMU_CTL_FLUSH_ALL)
		addr = 0;
	rc = gen_ctl(g, op, 0, addr, 0, 0);
	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "cache maintenance failed: %s",
			 g->m->err);
	return rc;
}

/* TRAFFIC and HOSTILE: a coherent physical write or read, or a DRAM peek,
 * of 1..PHYS_MAX bytes in the data region (HOSTILE: anywhere below the
 * last page). */
static int phys_traffic(struct regress_gen *g)
{
	uint8_t buf[PHYS_MAX];
	size_t len = 1 + pick(g, PHYS_MAX);
	uint64_t ps = 1ull << g->cfg->page_shift;
	uint64_t lo = g->hostile ? 0 : g->data_pa;
	uint64_t hi = g->hostile ? g->m->mem_bytes - ps
				 : g->data_pa + g->data_bytes;
	uint64_t pa;
	unsigned k;
	int rc;

	if (len > hi - lo)
		len = (size_t)(hi - lo);
	pa = lo + regress_rng_below(&g->rng, hi - lo - len);
	k = pick(g, 3);

	g->st.phys++;
	if (k == 0) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd(g);
		rc = machine_phys_write(g->m, pa, buf, len);
	} else if (k == 1) {
		rc = machine_phys_read(g->m, pa, buf, len);
	} else {
		rc = g->m->ops->mem_peek(g->m, pa, buf, len);
	}
	if (rc)
		snprintf(g->fail, sizeof(g->fail), "%s of %zu bytes at %#" PRIx64
			 ": %s", k == 0 ? "phys_write" : k == 1 ? "phys_read" :
			 "mem_peek", len, pa, g->m->err);
	return rc;
}

static int one_step(struct regress_gen *g)
{
	const struct mix_def *d = &mixes[g->o.mix];
	unsigned k = pick(g, 1000);

	if (k < d->pte)
		return rewrite_pte(g);
	k -= d->pte;
	if (k < d->table)
		return rewrite_table_entry(g);
	k -= d->table;
	if (k < d->ctl)
		return gen_control_change(g);
	k -= d->ctl;
	if (k < d->cache)
		return maintenance(g);
	k -= d->cache;
	if (k < d->phys)
		return phys_traffic(g);
	k -= d->phys;
	if (k < d->flip)
		return flip_entry_bit(g);
	return gen_access(g);
}

int regress_gen_run(struct regress_gen *g, uint64_t steps)
{
	uint64_t end = g->st.steps + steps;
	int rc = 0;

	for (uint64_t n = g->st.steps; !rc && n < end; n++) {
		g->st.steps = n;
		if ((n & (PROGRESS_EVERY - 1)) == 0 && g->o.progress)
			g->o.progress(g->o.ctx, n, g->o.steps);
		rc = one_step(g);
	}
	if (!rc)
		g->st.steps = end;
	return rc;
}

int regress_gen_finish(struct regress_gen *g)
{
	int rc = g->check ? gen_final_check(g) : 0;

	if (rc || !lockstep_is(g->m))
		return rc;
	/* lockstep: the counters, then the whole of memory, on both sides */
	rc = lockstep_check_counters(g->m);
	if (!rc)
		rc = lockstep_check_memory(g->m);
	if (rc)
		snprintf(g->fail, sizeof(g->fail), "%s", g->m->err);
	return rc;
}

int regress_gen_new(struct machine *m, uint64_t seed,
		    const struct regress_gen_opts *o, struct regress_gen **out,
		    char *err, size_t errlen)
{
	struct regress_gen *g = calloc(1, sizeof(*g));
	int rc;

	*out = NULL;
	if (!g) {
		snprintf(err, errlen, "out of host memory");
		return MMU_ENOMEM;
	}
	if ((unsigned)o->mix > REGRESS_HOSTILE) {
		snprintf(err, errlen, "unknown mix %d", (int)o->mix);
		free(g);
		return MMU_EINVAL;
	}
	g->m = m;
	g->cfg = &m->cfg;
	g->o = *o;
	if (!g->o.log_every)
		g->o.log_every = REGRESS_LOG_EVERY;
	g->check = g->o.mix == REGRESS_CHECKED;
	g->hostile = g->o.mix == REGRESS_HOSTILE;
	regress_rng_seed(&g->rng, seed);
	rc = layout(g);
	if (!rc)
		rc = build(g);
	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "setup failed: %s",
			 rc == MMU_EGP ? "#GP" : m->err);
	if (rc) {
		snprintf(err, errlen, "%s", g->fail);
		regress_gen_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

const struct regress_stats *regress_gen_stats(const struct regress_gen *g)
{
	return &g->st;
}

const char *regress_gen_error(const struct regress_gen *g)
{
	return g->fail;
}

void regress_gen_free(struct regress_gen *g)
{
	if (!g)
		return;
	free(g->shadow);
	free(g);
}
