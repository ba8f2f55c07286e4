/* SPDX-License-Identifier: MIT */
/*
 * The page walk of x86-64 (IA-32e) paging, generalised to the configured
 * number of levels, with paging-structure caches and the A/D updates.
 * Entry reads and the A/D read-modify-writes go through the L1, as on a
 * Core i7, which keeps the walker coherent with the OS's table writes.
 */
#include "golden_int.h"

#include <string.h>

static bool allowed(const struct mmu_regs *r, enum mmu_op op, bool user,
		    bool rw, bool us, bool xd)
{
	bool nxe = r->efer & EFER_NXE;
	bool wp = r->cr0 & CR0_WP;

	if (user) {
		if (!us)
			return false;
		if (op == MMU_STORE)
			return rw;
		if (op == MMU_FETCH)
			return !(nxe && xd);
		return true;
	}
	if (op == MMU_FETCH) {
		if (us && (r->cr4 & CR4_SMEP))
			return false;
		return !(nxe && xd);
	}
	/* Supervisor data access: SMAP forbids user pages unless AC=1. */
	if (us && (r->cr4 & CR4_SMAP) && !r->ac)
		return false;
	if (op == MMU_STORE && wp && !rw)
		return false;
	return true;
}

/*
 * SDM 4.6.2: with CR4.PKE = 1 the key of a user-mode address controls data
 * accesses (user and supervisor alike; never fetches): AD forbids every
 * data access, WD forbids user writes and supervisor writes when CR0.WP=1.
 * Returns the keys (bit k: key k) that forbid the access to a user page.
 */
static uint16_t pkey_denied(const struct mmu_regs *r, enum mmu_op op,
			    bool user)
{
	uint16_t ad = 0, wd = 0;

	if (!(r->cr4 & CR4_PKE) || op == MMU_FETCH)
		return 0;
	for (unsigned key = 0; key < PTE_NPKEYS; key++) {
		ad |= (uint16_t)(!!(r->pkru & PKRU_AD(key)) << key);
		wd |= (uint16_t)(!!(r->pkru & PKRU_WD(key)) << key);
	}
	if (op == MMU_STORE && (user || (r->cr0 & CR0_WP)))
		return ad | wd;
	return ad;
}

/* The error-code bits that describe the access itself (W, U, I). */
static uint32_t access_pfec(const struct mmu_regs *r, enum mmu_op op,
			    bool user)
{
	uint32_t ec = 0;

	if (op == MMU_STORE)
		ec |= PFEC_WR;
	if (user)
		ec |= PFEC_US;
	if (op == MMU_FETCH && (r->cr4 & CR4_SMEP || r->efer & EFER_NXE))
		ec |= PFEC_ID;
	return ec;
}

void golden_perm_update(struct golden *g)
{
	for (unsigned op = MMU_LOAD; op <= MMU_FETCH; op++)
		for (unsigned user = 0; user < 2; user++) {
			struct golden_perm *p = &g->perm[op][user];

			p->allow = 0;
			for (unsigned rt = 0; rt < 8; rt++)
				if (allowed(&g->regs, (enum mmu_op)op, user,
					    rt & 1, rt & 2, rt & 4))
					p->allow |= (uint8_t)(1u << rt);
			p->pk_deny = pkey_denied(&g->regs, (enum mmu_op)op, user);
			p->pfec = access_pfec(&g->regs, (enum mmu_op)op, user);
		}
}

/* Reserved bits of an entry at `level`, given whether it is a leaf. */
static bool reserved(const struct golden *g, pte_t e, unsigned level)
{
	const struct mmu_config *cfg = &g->base.cfg;

	if (e & cfg->pte_rsvd_mask)
		return true;
	if (cfg->pte_bytes == 8 && (e & PTE_XD) && !(g->regs.efer & EFER_NXE))
		return true;
	if (level > 1 && (e & PTE_PS)) {
		unsigned low;

		if (!((level == 2 && cfg->page_2m) || (level == 3 && cfg->page_1g)))
			return true;
		/* Frame bits below the large page's alignment, above PAT. */
		low = (level - 1) * cfg->index_bits;
		if ((e >> (PTE_BIT_PAT_LARGE + 1)) & ((1ull << (low - 1)) - 1))
			return true;
	}
	return false;
}

/* Read one entry through the L1; counts the walk read. */
static int read_entry(struct golden *g, uint64_t ea, unsigned level,
		      pte_t *e, struct mmu_outcome *out)
{
	unsigned n = (unsigned)g->base.cfg.pte_bytes;
	uint8_t *p;
	bool hit;

	if (!physmem_in_range(&g->mem, ea, n))
		return MMU_ST_BUS_ERROR;
	g->l1.ev_level = (uint8_t)level;  /* a fill's cause, for the events */
	p = l1_line_for(&g->l1, ea, &hit, false);
	g->l1.ev_level = 0;
	if (!p)
		return MMU_ST_BUS_ERROR;
	*e = golden_load_le(p, n);
	out->walk_reads++;
	g->cnt.walk_reads++;
	if (hit)
		g->cnt.walk_l1_hits++;
	else
		g->cnt.walk_l1_misses++;
	return MMU_ST_OK;
}

/* The atomic read-modify-write of A/D: a single master makes read-then-
 * write atomic; the line is resident since read_entry just used it. */
static void write_entry(struct golden *g, uint64_t ea, pte_t v,
			struct mmu_outcome *out)
{
	unsigned n = (unsigned)g->base.cfg.pte_bytes;
	bool hit;
	uint8_t *p = l1_line_for(&g->l1, ea, &hit, true);

	golden_store_le(p, v, n);
	out->ad[out->n_ad].pa = ea;
	out->ad[out->n_ad].value = v;
	out->n_ad++;
	g->cnt.walk_writes++;
}

static enum mmu_status page_fault(struct golden *g, uint64_t va,
				  uint32_t ec, struct mmu_outcome *out)
{
	out->status = MMU_ST_PAGE_FAULT;
	out->error_code = ec;
	out->cr2 = va;
	g->regs.cr2 = va;
	return MMU_ST_PAGE_FAULT;
}

/* Where a walk stands: the table it reads next, at which level, and the
 * rights the entries above allowed so far. */
struct walk_pos {
	uint64_t vpn;
	uint16_t pcid;
	uint64_t table;
	unsigned level;
	bool rw, us, xd;
};

/* The bits of the VPN that select the entries down to `level`: the tag of
 * the paging-structure cache of that level. */
static uint64_t vpn_above(const struct golden *g, uint64_t vpn, unsigned level)
{
	return vpn >> ((level - 1) * g->base.cfg.index_bits);
}

/* Start below the deepest paging-structure cache that hits (it saves the
 * most reads), or at the root. */
static void walk_start(struct golden *g, struct walk_pos *w,
		       struct mmu_outcome *out)
{
	const struct mmu_config *cfg = &g->base.cfg;

	for (unsigned l = 2; l <= cfg->levels; l++) {
		int i = psc_lookup(&g->psc[l], vpn_above(g, w->vpn, l), w->pcid);

		if (i < 0)
			continue;
		w->table = g->psc[l].e[i].next;
		w->rw = g->psc[l].e[i].rw;
		w->us = g->psc[l].e[i].us;
		w->xd = g->psc[l].e[i].xd;
		w->level = l - 1;
		out->psc_level = (uint8_t)l;
		g->cnt.psc_hits++;
		return;
	}
}

/* A non-leaf entry e at ea: set its A bit, cache it in its level's PSC and
 * move to the table it points to. */
static void walk_descend(struct golden *g, struct walk_pos *w, uint64_t ea,
			 pte_t e, struct mmu_outcome *out)
{
	struct psc_entry pe;

	if (!(e & PTE_A))
		write_entry(g, ea, e | PTE_A, out);
	pe.tag = vpn_above(g, w->vpn, w->level);
	pe.pcid = w->pcid;
	pe.next = golden_frame_pa(g, e);
	pe.rw = w->rw;
	pe.us = w->us;
	pe.xd = w->xd;
	psc_fill(&g->psc[w->level], &pe);
	w->table = pe.next;
	w->level--;
}

/* The leaf e at ea: the rights check with the combined rights, then A (and
 * D for a store) and the TLB entry te. */
static enum mmu_status walk_leaf(struct golden *g, const struct walk_pos *w,
				 uint64_t va, enum mmu_op op, bool user,
				 uint64_t ea, pte_t e, struct mmu_outcome *out,
				 struct golden_tlb_entry *te)
{
	const struct mmu_config *cfg = &g->base.cfg;
	pte_t ne = e | PTE_A | (op == MMU_STORE ? PTE_D : 0);
	uint64_t span = (1ull << ((w->level - 1) * cfg->index_bits)) - 1;
	uint64_t ppn = (e >> PTE_FRAME_SHIFT) & g->ppn_mask;
	uint32_t ec;

	memset(te, 0, sizeof(*te));
	te->rw = w->rw;
	te->us = w->us;
	te->xd = w->xd;
	te->pkey = cfg->pte_bytes == 8 ? (uint8_t)pte_pkey(e) : 0;
	ec = golden_prot_fault(g, op, user, te);
	if (ec)
		return page_fault(g, va, ec, out);
	if (ne != e)
		write_entry(g, ea, ne, out);
	te->vpn = w->vpn;
	te->ppn = (ppn & ~span) | (w->vpn & span);
	te->pcid = w->pcid;
	te->level = (uint8_t)w->level;
	te->global = (e & PTE_G) && (g->regs.cr4 & CR4_PGE);
	te->dirty = (ne & PTE_D) != 0;
	out->page_level = (uint8_t)w->level;
	return MMU_ST_OK;
}

enum mmu_status golden_walk(struct golden *g, uint64_t va, enum mmu_op op,
			    bool user, struct mmu_outcome *out,
			    struct golden_tlb_entry *te)
{
	const struct mmu_config *cfg = &g->base.cfg;
	uint64_t imask = (1ull << cfg->index_bits) - 1;
	uint32_t acc = g->perm[op][user].pfec;
	struct walk_pos w = {
		.vpn = golden_vpn(g, va),
		.pcid = golden_pcid(g),
		.table = golden_frame_pa(g, g->regs.cr3),
		.level = (unsigned)cfg->levels,
		.rw = true, .us = true, .xd = false,
	};

	out->walked = true;
	g->cnt.walks++;
	walk_start(g, &w, out);
	for (;;) {
		uint64_t ea = w.table + (vpn_above(g, w.vpn, w.level) & imask) *
					cfg->pte_bytes;
		pte_t e;

		if (read_entry(g, ea, w.level, &e, out) != MMU_ST_OK)
			return out->status = MMU_ST_BUS_ERROR;
		if (!(e & PTE_P))
			return page_fault(g, va, acc, out);
		if (reserved(g, e, w.level))
			return page_fault(g, va, acc | PFEC_P | PFEC_RSVD, out);
		w.rw = w.rw && (e & PTE_RW);
		w.us = w.us && (e & PTE_US);
		w.xd = w.xd || (cfg->pte_bytes == 8 && (e & PTE_XD));
		if (w.level == 1 || (e & PTE_PS))
			return walk_leaf(g, &w, va, op, user, ea, e, out, te);
		walk_descend(g, &w, ea, e, out);
	}
}
