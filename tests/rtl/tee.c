/* SPDX-License-Identifier: MIT */
#include "tee.h"
#include "../../sw/golden/golden.h"
#include "../../sw/machine/pagetable.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct tee {
	struct machine base;
	struct machine *g, *r;
	unsigned long compared;
};

static struct tee *to_tee(struct machine *m)
{
	return (struct tee *)m;
}

static void differ(const char *what, const struct mmu_req *req,
		   const struct mmu_outcome *g, const struct mmu_outcome *r)
{
	char gb[512], rb[512];

	mmu_outcome_format(g, gb, sizeof(gb));
	mmu_outcome_format(r, rb, sizeof(rb));
	fail_msg("RTL differs from the golden model (%s) on %s %s va=%#llx size=%u%s:\n"
		 "  golden: %s\n  rtl:    %s",
		 what, req->user ? "user" : "supervisor", mmu_op_str(req->op),
		 (unsigned long long)req->va, req->size,
		 req->op == MMU_STORE ? " (store)" : "", gb, rb);
}

static int tee_access(struct machine *m, const struct mmu_req *req,
		      struct mmu_outcome *out)
{
	struct tee *t = to_tee(m);
	struct mmu_outcome g, r;
	int rg = machine_access(t->g, req, &g);
	int rr = machine_access(t->r, req, &r);

	if (rg != rr)
		fail_msg("access va=%#llx: golden returns %d, RTL %d (%s)",
			 (unsigned long long)req->va, rg, rr, t->r->err);
	if (rg) {
		snprintf(m->err, sizeof(m->err), "%s", t->g->err);
		return rg;
	}
#define SAME(f) if (g.f != r.f) differ(#f, req, &g, &r)
	SAME(status);
	SAME(rdata);
	SAME(pa);
	SAME(error_code);
	SAME(cr2);
	SAME(tlb_hit);
	SAME(walked);
	SAME(l1_hit);
	SAME(walk_reads);
	SAME(psc_level);
	SAME(page_level);
	SAME(n_ad);
	for (unsigned i = 0; i < g.n_ad; i++) {
		SAME(ad[i].pa);
		SAME(ad[i].value);
	}
#undef SAME
	t->compared++;
	*out = g;
	out->cycles = r.cycles;
	return 0;
}

static int tee_ctl(struct machine *m, const struct mmu_ctl *c,
		   enum mmu_ctl_result *res)
{
	struct tee *t = to_tee(m);
	enum mmu_ctl_result gres, rres;
	int rg = machine_ctl(t->g, c, &gres);
	int rr = machine_ctl(t->r, c, &rres);

	if (rg != rr || (!rg && gres != rres))
		fail_msg("control %s value=%#llx addr=%#llx type=%u pcid=%u: golden "
			 "%d/%s, RTL %d/%s (%s)",
			 mmu_ctl_op_str(c->op), (unsigned long long)c->value,
			 (unsigned long long)c->addr, c->type, c->pcid, rg,
			 gres == MMU_CTL_GP ? "#GP" : "done", rr,
			 rres == MMU_CTL_GP ? "#GP" : "done", t->r->err);
	t->compared++;
	*res = gres;
	return rg;
}

/* A physical read (or a DRAM peek) of both sides: same result, same bytes. */
static int read_both(struct machine *m, bool peek, uint64_t pa, void *buf,
		     size_t len)
{
	struct tee *t = to_tee(m);
	uint8_t *rb = malloc(len ? len : 1);
	int rg, rr;

	assert_non_null(rb);
	rg = peek ? t->g->ops->mem_peek(t->g, pa, buf, len)
		  : machine_phys_read(t->g, pa, buf, len);
	rr = peek ? t->r->ops->mem_peek(t->r, pa, rb, len)
		  : machine_phys_read(t->r, pa, rb, len);
	if (rg != rr || (!rg && memcmp(buf, rb, len)))
		fail_msg("%s %#llx+%zu: golden %d, RTL %d: %s",
			 peek ? "mem_peek" : "phys_read", (unsigned long long)pa,
			 len, rg, rr, rg != rr ? t->r->err : "the bytes differ");
	free(rb);
	if (rg)
		snprintf(m->err, sizeof(m->err), "%s", t->g->err);
	return rg;
}

static int tee_phys_read(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	return read_both(m, false, pa, buf, len);
}

static int tee_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	return read_both(m, true, pa, buf, len);
}

static int tee_phys_write(struct machine *m, uint64_t pa, const void *buf,
			  size_t len)
{
	struct tee *t = to_tee(m);
	int rg = machine_phys_write(t->g, pa, buf, len);
	int rr = machine_phys_write(t->r, pa, buf, len);

	if (rg != rr)
		fail_msg("phys_write %#llx+%zu: golden %d, RTL %d (%s)",
			 (unsigned long long)pa, len, rg, rr, t->r->err);
	if (rg)
		snprintf(m->err, sizeof(m->err), "%s", t->g->err);
	return rg;
}

static void tee_regs(struct machine *m, struct mmu_regs *regs)
{
	struct tee *t = to_tee(m);
	struct mmu_regs r;

	t->g->ops->regs(t->g, regs);
	t->r->ops->regs(t->r, &r);
	if (regs->cr0 != r.cr0 || regs->cr2 != r.cr2 || regs->cr3 != r.cr3 ||
	    regs->cr4 != r.cr4 || regs->efer != r.efer || regs->ac != r.ac)
		fail_msg("registers differ: golden cr0=%#llx cr2=%#llx cr3=%#llx "
			 "cr4=%#llx efer=%#llx ac=%d, RTL cr0=%#llx cr2=%#llx "
			 "cr3=%#llx cr4=%#llx efer=%#llx ac=%d",
			 (unsigned long long)regs->cr0, (unsigned long long)regs->cr2,
			 (unsigned long long)regs->cr3, (unsigned long long)regs->cr4,
			 (unsigned long long)regs->efer, regs->ac,
			 (unsigned long long)r.cr0, (unsigned long long)r.cr2,
			 (unsigned long long)r.cr3, (unsigned long long)r.cr4,
			 (unsigned long long)r.efer, r.ac);
}

static void tee_counters(struct machine *m, struct mmu_counters *c)
{
	struct tee *t = to_tee(m);
	struct mmu_counters r;

	t->g->ops->counters(t->g, c);
	t->r->ops->counters(t->r, &r);
#define SAME(name, doc)                                                      \
	if (strcmp(#name, "walk_cycles") && strcmp(#name, "cycles") &&       \
	    c->name != r.name)                                               \
		fail_msg("counter %s: golden %llu, RTL %llu", #name,         \
			 (unsigned long long)c->name, (unsigned long long)r.name);
	MMU_COUNTERS(SAME)
#undef SAME
	c->walk_cycles = r.walk_cycles;
	c->cycles = r.cycles;
}

static void tee_destroy(struct machine *m)
{
	struct tee *t = to_tee(m);

	machine_destroy(t->g);
	machine_destroy(t->r);
	free(t);
}

static const struct machine_ops tee_ops = {
	.name = "tee",
	.access = tee_access,
	.ctl = tee_ctl,
	.phys_read = tee_phys_read,
	.phys_write = tee_phys_write,
	.mem_peek = tee_mem_peek,
	.regs = tee_regs,
	.counters = tee_counters,
	.destroy = tee_destroy,
};

struct machine *tee_new(const char *cfg_name, uint64_t mem_bytes,
			const struct rtl_opts *opts)
{
	struct mmu_config cfg;
	struct tee *t = calloc(1, sizeof(*t));
	char err[256];
	struct rtl_opts o = { 0 };
	char trace[512];
	const char *dir = getenv("RTL_TRACE_DIR");
	static unsigned seq;

	assert_non_null(t);
	if (mmu_config_load(cfg_name, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	if (opts)
		o = *opts;
	if (dir && !o.trace_path) {
		snprintf(trace, sizeof(trace), "%s/%s-%u.fst", dir, cfg_name, seq++);
		o.trace_path = trace;
	}
	if (golden_create(&cfg, mem_bytes, &t->g, err, sizeof(err)))
		fail_msg("golden: %s", err);
	if (rtl_create(&cfg, mem_bytes, &o, &t->r, err, sizeof(err)))
		fail_msg("rtl: %s", err);
	t->base.ops = &tee_ops;
	t->base.cfg = t->g->cfg;
	t->base.mem_bytes = t->g->mem_bytes;
	return &t->base;
}

struct machine *tee_golden(struct machine *m)
{
	return to_tee(m)->g;
}

struct machine *tee_rtl(struct machine *m)
{
	return to_tee(m)->r;
}

unsigned long tee_compared(struct machine *m)
{
	return to_tee(m)->compared;
}

void tee_finish(struct machine *m)
{
	const size_t chunk = 1u << 16;
	uint8_t *buf = malloc(chunk);
	struct mmu_counters c;
	struct mmu_regs regs;
	enum mmu_ctl_result res;
	struct mmu_ctl flush = { .op = MMU_CTL_FLUSH_ALL };

	assert_non_null(buf);
	m->ops->regs(m, &regs);
	assert_int_equal(machine_ctl(m, &flush, &res), 0);
	for (uint64_t pa = 0; pa < m->mem_bytes; pa += chunk) {
		size_t n = m->mem_bytes - pa < chunk ? (size_t)(m->mem_bytes - pa) : chunk;

		assert_int_equal(m->ops->mem_peek(m, pa, buf, n), 0);
	}
	m->ops->counters(m, &c);
	free(buf);
	machine_destroy(m);
}

/* ---- random traffic ------------------------------------------------------- */

uint64_t tee_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

#define MAX_MAPS 48

struct rnd {
	struct machine *m;
	const struct mmu_config *cfg;
	uint64_t s, root, next_table, table_end;
	uint64_t va[MAX_MAPS];
	unsigned level[MAX_MAPS], n;
};

static uint64_t rnd(struct rnd *r, uint64_t n)
{
	return n ? tee_rand(&r->s) % n : 0;
}

static uint64_t alloc_table(void *ctx)
{
	struct rnd *r = ctx;
	uint64_t ps = 1ull << r->cfg->page_shift;
	uint64_t pa = r->next_table;

	if (pa + pt_table_bytes(r->cfg) > r->table_end)
		return 0;
	r->next_table = (pa + pt_table_bytes(r->cfg) + ps - 1) & ~(ps - 1);
	return pa;
}

static uint64_t random_va(struct rnd *r)
{
	const struct mmu_config *c = r->cfg;
	uint64_t va = tee_rand(&r->s) & ((1ull << c->va_bits) - 1);

	if (c->canonical == MMU_CANON_SIGN && (va >> (c->va_bits - 1)) & 1)
		va |= ~0ull << c->va_bits;
	return va;
}

static void ctl_op(struct machine *m, enum mmu_ctl_op op, uint64_t value,
		   uint64_t addr, unsigned type, uint16_t pcid)
{
	struct mmu_ctl c = { .op = op, .value = value, .addr = addr, .type = type,
			     .pcid = pcid };
	enum mmu_ctl_result res;

	assert_int_equal(machine_ctl(m, &c, &res), 0);
}

static void add_mapping(struct rnd *r)
{
	const struct mmu_config *c = r->cfg;
	unsigned level = 1;
	uint64_t va, pa, span;
	pte_t flags = 0, tflags = PTE_RW | PTE_US;
	int rc;

	if (r->n == MAX_MAPS)
		return;
	if (c->page_2m && rnd(r, 4) == 0)
		level = 2;
	if (c->page_1g && rnd(r, 16) == 0)
		level = 3;
	span = mmu_level_page_size(c, level);
	va = random_va(r) & ~(span - 1);
	/* Frames mostly inside memory, sometimes past it (bus errors). */
	pa = rnd(r, (r->m->mem_bytes + r->m->mem_bytes / 8) / span) * span;
	if (rnd(r, 4))
		flags |= PTE_RW;
	if (rnd(r, 4))
		flags |= PTE_US;
	if (rnd(r, 3) == 0)
		flags |= PTE_A;
	if (rnd(r, 4) == 0)
		flags |= PTE_D;
	if (rnd(r, 5) == 0)
		flags |= PTE_G;
	if (c->pte_bytes == 8 && rnd(r, 6) == 0)
		flags |= PTE_XD;
	if (rnd(r, 8) == 0)
		tflags &= ~(rnd(r, 2) ? PTE_RW : PTE_US);
	rc = pt_map(r->m, r->root, va, pa, level, flags, tflags, alloc_table, r);
	if (rc == MMU_ENOMEM)
		return;
	/* The path may hold a large page already: then this map is skipped. */
	if (rc == 0) {
		r->va[r->n] = va;
		r->level[r->n] = level;
		r->n++;
	}
}

static void edit_entry(struct rnd *r)
{
	const struct mmu_config *c = r->cfg;
	static const pte_t bits[] = { PTE_P, PTE_RW, PTE_US, PTE_A, PTE_D, PTE_G,
				      PTE_XD, PTE_PS, 1ull << 51, 1ull << 13 };
	unsigned i, level;
	uint64_t ea;
	pte_t e, b = bits[rnd(r, sizeof(bits) / sizeof(bits[0]))];

	if (!r->n)
		return;
	i = (unsigned)rnd(r, r->n);
	level = r->level[i] + (unsigned)rnd(r, c->levels - r->level[i] + 1);
	if (pt_entry_addr(r->m, r->root, r->va[i], level, &ea))
		return;
	if (c->pte_bytes == 4)
		b &= 0xffffffffull;
	/* Do not turn a table into a large page: it would detach the maps. */
	if (b == PTE_PS && level != r->level[i])
		return;
	/* An earlier edit may have pointed a table past memory: both sides
	 * refuse the access alike (the tee checks), and there is no entry. */
	if (machine_pte_read(r->m, ea, &e))
		return;
	assert_int_equal(machine_pte_write(r->m, ea, e ^ b), 0);
}

static void random_access(struct rnd *r)
{
	const struct mmu_config *c = r->cfg;
	unsigned size = 1u << rnd(r, 4);
	uint64_t va;
	struct mmu_req req;
	struct mmu_outcome o;

	if (size > c->l1_line)
		size = (unsigned)c->l1_line;
	if (r->n && rnd(r, 16)) {
		unsigned i = (unsigned)rnd(r, r->n);
		uint64_t span = mmu_level_page_size(c, r->level[i]);

		/* Mostly the first few lines of a page: TLB and L1 reuse. */
		va = r->va[i] + (rnd(r, 2) ? rnd(r, 4 * c->l1_line) : rnd(r, span));
	} else {
		va = random_va(r);
		if (rnd(r, 8) == 0)
			va ^= 1ull << (c->va_bits + rnd(r, 63 - c->va_bits));
	}
	req.va = va & ~(uint64_t)(size - 1);
	req.op = (enum mmu_op)rnd(r, 3);
	req.size = size;
	req.user = rnd(r, 2);
	req.wdata = tee_rand(&r->s);
	assert_int_equal(machine_access(r->m, &req, &o), 0);
}

static void random_ctl(struct rnd *r)
{
	const struct mmu_config *c = r->cfg;
	struct mmu_regs regs;
	uint64_t cr3 = pt_make(c, r->root, 0);
	uint64_t va = r->n ? r->va[rnd(r, r->n)] + rnd(r, 1ull << c->page_shift) : random_va(r);
	uint16_t pcid = (uint16_t)rnd(r, 4);

	r->m->ops->regs(r->m, &regs);
	switch (rnd(r, 12)) {
	case 0:
		ctl_op(r->m, MMU_CTL_INVLPG, 0, va, 0, 0);
		break;
	case 1:
		ctl_op(r->m, MMU_CTL_INVPCID, 0, va, (unsigned)rnd(r, 5), pcid);
		break;
	case 2: /* a new PCID, with or without no-flush */
		ctl_op(r->m, MMU_CTL_WRITE_CR3,
		       cr3 | ((regs.cr4 & CR4_PCIDE) ? pcid : 0) |
		       ((regs.cr4 & CR4_PCIDE) && rnd(r, 2) ? CR3_NOFLUSH : 0), 0, 0, 0);
		break;
	case 3:
		ctl_op(r->m, MMU_CTL_WRITE_CR4, regs.cr4 ^ CR4_PGE, 0, 0, 0);
		break;
	case 4:
		ctl_op(r->m, MMU_CTL_WRITE_CR4,
		       regs.cr4 ^ (rnd(r, 2) ? CR4_SMEP : CR4_SMAP), 0, 0, 0);
		break;
	case 5:
		ctl_op(r->m, MMU_CTL_WRITE_CR4, regs.cr4 ^ CR4_PCIDE, 0, 0, 0);
		break;
	case 6:
		ctl_op(r->m, MMU_CTL_WRITE_EFER, regs.efer ^ EFER_NXE, 0, 0, 0);
		break;
	case 7:
		ctl_op(r->m, MMU_CTL_WRITE_CR0, regs.cr0 ^ CR0_WP, 0, 0, 0);
		break;
	case 8:
		ctl_op(r->m, MMU_CTL_SET_AC, rnd(r, 2), 0, 0, 0);
		break;
	case 9: /* maintenance of one line: a table or a data line */
		ctl_op(r->m, (enum mmu_ctl_op)(MMU_CTL_CLEAN_LINE + rnd(r, 3)), 0,
		       rnd(r, 2) ? r->root + rnd(r, pt_table_bytes(c))
				 : rnd(r, r->m->mem_bytes), 0, 0);
		break;
	case 10:
		ctl_op(r->m, (enum mmu_ctl_op)(MMU_CTL_CLEAN_ALL + rnd(r, 3)), 0, 0, 0, 0);
		break;
	default: /* reserved bits: #GP, nothing changes */
		ctl_op(r->m, (enum mmu_ctl_op)(MMU_CTL_WRITE_CR0 + rnd(r, 4)), ~0ull, 0, 0, 0);
		break;
	}
}

static void random_phys(struct rnd *r)
{
	uint8_t buf[96];
	size_t len = 1 + (size_t)rnd(r, sizeof(buf));
	uint64_t pa = rnd(r, r->m->mem_bytes - len);

	if (rnd(r, 2)) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)tee_rand(&r->s);
		assert_int_equal(machine_phys_write(r->m, pa, buf, len), 0);
	} else {
		assert_int_equal(machine_phys_read(r->m, pa, buf, len), 0);
	}
}

void tee_random(struct machine *m, uint64_t seed, unsigned ops)
{
	struct rnd r = { .m = m, .cfg = &m->cfg, .s = seed };
	const struct mmu_config *c = &m->cfg;
	uint64_t ps = 1ull << c->page_shift;

	/* Tables live in the upper quarter of memory; data anywhere. */
	r.table_end = m->mem_bytes;
	r.next_table = (m->mem_bytes - m->mem_bytes / 4 + ps - 1) & ~(ps - 1);
	r.root = alloc_table(&r);
	assert_int_equal(pt_zero_table(m, r.root), 0);
	ctl_op(m, MMU_CTL_WRITE_CR3, pt_make(c, r.root, 0), 0, 0, 0);
	if (c->pte_bytes == 8 && rnd(&r, 2))
		ctl_op(m, MMU_CTL_WRITE_EFER, EFER_LME | EFER_NXE, 0, 0, 0);
	if (c->pcid && rnd(&r, 2))
		ctl_op(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PCIDE | CR4_PGE, 0, 0, 0);
	for (unsigned i = 0; i < 8; i++)
		add_mapping(&r);
	for (unsigned i = 0; i < ops; i++) {
		unsigned k = (unsigned)rnd(&r, 100);

		if (k < 3)
			add_mapping(&r);
		else if (k < 8)
			edit_entry(&r);
		else if (k < 13)
			random_ctl(&r);
		else if (k < 16)
			random_phys(&r);
		else
			random_access(&r);
	}
}
