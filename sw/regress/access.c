/* SPDX-License-Identifier: MIT */
/*
 * The generator's accesses (regress.h) and, for CHECKED, the generator's
 * own model of what each must do: the translation it mapped, the data of
 * a shadow of memory, the kind of fault the mapping allows; and at the end
 * memory against the shadow.
 */
#include "regress_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct page *find_page(struct regress_gen *g, uint64_t va)
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
static void log_access(struct regress_gen *g, const struct mmu_req *req,
		       const struct mmu_outcome *o)
{
	bool full = g->st.accesses % g->o.log_every == 0;
	char line[320], ec[32];

	if (!g->o.log || (o->status == MMU_ST_OK && !full))
		return;
	if (full)
		mmu_outcome_format(o, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "%s ec=%s", mmu_status_str(o->status),
			 mmu_pfec_str(o->error_code, ec, sizeof(ec)));
	gen_log(g, "step %" PRIu64 ": access %" PRIu64 ": %s %s size %u va %#"
	     PRIx64 " -> %s\n", g->st.steps, g->st.accesses,
	     req->user ? "user" : "supervisor", mmu_op_str(req->op), req->size,
	     req->va, line);
}

/* CHECKED: the generator's own check of an outcome (on every back end). */
static bool outcome_ok(struct regress_gen *g, const struct mmu_req *req,
		       const struct mmu_outcome *o, const struct page *p)
{
	uint64_t off, want = 0;

	if (o->status == MMU_ST_PAGE_FAULT) {
		if (o->error_code & PFEC_RSVD)
			g->st.pf_rsvd++;
		else if (o->error_code & PFEC_P)
			g->st.pf_prot++;
		else
			g->st.pf_np++;
		/* a reserved bit (XD without NXE in a table entry above an
		 * unmapped leaf) stops the walk before the missing leaf */
		return ((p && p->mapped) || (o->error_code & PFEC_RSVD)) ==
		       !!(o->error_code & PFEC_P) && o->cr2 == req->va;
	}
	if (o->status == MMU_ST_GP_FAULT) {
		g->st.gp++;
		/* the generator's addresses are in the lower canonical half:
		 * bit 63 set is the non-canonical kind it makes */
		return req->va >> 63;
	}
	if (o->status == MMU_ST_BUS_ERROR)  /* a frame past memory */
		return p && p->mapped &&
		       p->pa + (req->va - p->va) >= g->m->mem_bytes;
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
	g->st.loads_checked++;
	return o->rdata == want;
}

/* CHECKED: an offset in a 1 GiB page (its frame holds the tables: only
 * the data region, or past memory for a bus error). */
static uint64_t giant_offset(struct regress_gen *g, uint64_t frame)
{
	uint64_t mem = g->m->mem_bytes;
	uint64_t sz = mmu_level_page_size(g->cfg, 3);

	if (pick(g, 16) == 0 && frame + mem < frame + sz)
		return mem - frame + regress_rng_below(&g->rng, sz - mem);
	return g->data_pa - frame + regress_rng_below(&g->rng, g->data_bytes);
}

/* The offset of an access in page p: anywhere; CHECKED: often in the first
 * 4 KiB of a large page (a store after a load through the same TLB entry,
 * which re-walks to set D), and within giant_offset's range for 1 GiB. */
static uint64_t page_offset(struct regress_gen *g, const struct page *p,
			    uint64_t sz)
{
	uint64_t off = rnd(g) % sz, ps = 1ull << g->cfg->page_shift;

	if (!g->check || p->level == 1)
		return off;
	if (pick(g, 4) == 0)  /* the first base page (of the data region) */
		return (p->level == 3 ? g->data_pa - p->pa : 0) + (off & (ps - 1));
	return p->level == 3 ? giant_offset(g, p->pa) : off;
}

/* The address of an access: in a page, sometimes where nothing is mapped;
 * CHECKED: now and then not canonical (#GP); HOSTILE: often the first
 * lines of a page (reuse), now and then not canonical. */
static uint64_t access_va(struct regress_gen *g, const struct page *p,
			  uint64_t va, unsigned size)
{
	const struct mmu_config *c = g->cfg;

	if (pick(g, 50) == 0) {  /* an address nothing maps */
		const struct page *q;

		va = (rnd(g) & va_mask(c)) & ~(uint64_t)(size - 1);
		/* ... but a 1 GiB page might */
		if (g->check && (q = find_page(g, va)) && q->level == 3)
			va = q->va + (giant_offset(g, q->pa) &
				      ~(uint64_t)(size - 1));
	}
	if (g->check && pick(g, 512) == 0)
		va |= 1ull << 63;  /* not canonical: #GP */
	if (!g->hostile)
		return va;
	if (pick(g, 2))
		va = (p->va + regress_rng_below(&g->rng, 4 * c->l1_line)) &
		     ~(uint64_t)(size - 1);
	if (pick(g, 16) == 0)
		va ^= 1ull << (c->va_bits + pick(g, 64 - c->va_bits));
	return va;
}

/* One access as the machine answers it, logged, and CHECKED: checked. */
static int issue(struct regress_gen *g, const struct mmu_req *req)
{
	const struct page *p;
	struct mmu_outcome o;
	char line[320];
	int rc;

	g->st.accesses++;
	rc = machine_access(g->m, req, &o);
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "access %" PRIu64 ": %s",
			 g->st.accesses, g->m->err);
		gen_log(g, "step %" PRIu64 ": access %" PRIu64 ": %s %s size %u va %#"
		     PRIx64 " -> %s\n", g->st.steps, g->st.accesses,
		     req->user ? "user" : "supervisor", mmu_op_str(req->op),
		     req->size, req->va, g->m->err);
		return rc;
	}
	g->st.faults += o.status != MMU_ST_OK;
	log_access(g, req, &o);
	if (!g->check)
		return 0;
	p = find_page(g, req->va);
	g->st.checks++;
	if (outcome_ok(g, req, &o, p))
		return 0;
	mmu_outcome_format(&o, line, sizeof(line));
	snprintf(g->fail, sizeof(g->fail),
		 "access %" PRIu64 ": %s %s size %u at %#" PRIx64 " (page %s): %s",
		 g->st.accesses, req->user ? "user" : "supervisor",
		 mmu_op_str(req->op), req->size, req->va,
		 p ? (p->mapped ? "mapped" : "unmapped") : "none", line);
	return REGRESS_ECHECK;
}

int gen_access(struct regress_gen *g)
{
	const struct mmu_config *c = g->cfg;
	unsigned maxlog = c->l1_line >= 8 ? 4 : c->l1_line >= 4 ? 3 : 1;
	unsigned size = 1u << pick(g, maxlog);
	struct page *p = &g->page[pick(g, g->npages)];
	uint64_t sz = mmu_level_page_size(c, p->level);
	uint64_t va = (p->va + page_offset(g, p, sz)) & ~(uint64_t)(size - 1);
	struct mmu_req req = { .va = va, .size = size, .user = pick(g, 2),
			       .wdata = rnd(g) };

	req.op = (enum mmu_op)pick(g, 3);
	req.va = access_va(g, p, va, size);
	return issue(g, &req);
}

int gen_access_rmw(struct regress_gen *g, const struct page *p)
{
	uint64_t ps = 1ull << g->cfg->page_shift;
	uint64_t off = (p->level == 3 ? g->data_pa - p->pa : 0) +
		       (regress_rng_below(&g->rng, ps) & ~7ull);
	struct mmu_req req = { .va = p->va + off, .op = MMU_LOAD,
			       .size = g->cfg->l1_line >= 8 ? 8 : 1,
			       .user = pick(g, 2) };
	int rc;

	req.va &= ~(uint64_t)(req.size - 1);
	rc = issue(g, &req);
	if (rc)
		return rc;
	req.op = MMU_STORE;
	req.wdata = rnd(g);
	return issue(g, &req);
}

/* CHECKED: flush the L1, then memory must equal the shadow. */
int gen_final_check(struct regress_gen *g)
{
	uint8_t *mem = malloc(g->data_bytes);
	int rc;

	if (!mem) {
		snprintf(g->fail, sizeof(g->fail), "out of host memory");
		return MMU_ENOMEM;
	}
	rc = gen_ctl(g, MMU_CTL_FLUSH_ALL, 0, 0, 0, 0);
	if (!rc)
		rc = g->m->ops->mem_peek(g->m, g->data_pa, mem, g->data_bytes);
	if (rc) {
		snprintf(g->fail, sizeof(g->fail), "final check: %s", g->m->err);
	} else if (memcmp(mem, g->shadow, g->data_bytes)) {
		snprintf(g->fail, sizeof(g->fail), "memory differs from the "
			 "shadow after the final flush");
		rc = REGRESS_ECHECK;
	}
	free(mem);
	return rc;
}

