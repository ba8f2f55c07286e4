/* SPDX-License-Identifier: MIT */
/*
 * The golden model as a machine back end: the access path (TLB, walk, L1),
 * the control operations and the coherent physical-access path.
 */
#include "golden_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- data access ------------------------------------------------------ */

/* The data access at pa (translated): through the L1. */
static int data_access(struct golden *g, uint64_t pa, const struct mmu_req *req,
		       struct mmu_outcome *out)
{
	bool store = req->op == MMU_STORE;
	uint8_t *p;

	out->pa = pa;
	out->status = MMU_ST_OK;
	if (!physmem_in_range(&g->mem, pa, req->size)) {
		out->status = MMU_ST_BUS_ERROR;
		return 0;
	}
	p = l1_line_for(&g->l1, pa, &out->l1_hit, store);
	if (!p)
		return mmu_errf(g->base.err, sizeof(g->base.err), MMU_ENOMEM,
			    "out of host memory filling a line");
	if (out->l1_hit)
		g->cnt.l1_hits++;
	else
		g->cnt.l1_misses++;
	if (store)
		golden_store_le(p, req->wdata, req->size);
	else
		out->rdata = golden_load_le(p, req->size);
	return 0;
}

static bool valid_req(const struct golden *g, const struct mmu_req *req)
{
	unsigned s = req->size;

	if (s != 1 && s != 2 && s != 4 && s != 8)
		return false;
	if (s > g->base.cfg.l1_line || (req->va & (s - 1)))
		return false;
	return req->op == MMU_LOAD || req->op == MMU_STORE ||
	       req->op == MMU_FETCH;
}

/* A #PF: counted, and it leaves no TLB entry and no paging-structure-cache
 * entry that would be used for the faulting address (SDM 4.10.4.1). */
static void page_fault_taken(struct golden *g, uint64_t vpn, uint16_t pcid)
{
	int way;

	g->cnt.page_faults++;
	while ((way = tlb_lookup(&g->tlb, vpn, pcid)) >= 0)
		tlb_entry(&g->tlb, vpn, (unsigned)way)->valid = false;
	for (unsigned l = 2; l <= g->base.cfg.levels; l++)
		psc_flush_tag(&g->psc[l], vpn >> ((l - 1) * g->base.cfg.index_bits),
			      pcid);
}

/* The physical address of va in the base page ppn. */
static uint64_t golden_pa(const struct golden *g, uint64_t ppn, uint64_t va)
{
	unsigned shift = g->base.cfg.page_shift;

	return (ppn << shift) | (va & ((1ull << shift) - 1));
}

/* A walk (after a TLB miss, or for a write through a clean entry: the way
 * that holds it, else -1) and the TLB fill: MMU_ST_OK and the base page's
 * PPN in *ppn, or the fault. */
__attribute__((noinline))  /* the hit path stays compact */
static enum mmu_status walk_fill(struct golden *g, const struct mmu_req *req,
				 uint64_t vpn, uint16_t pcid, int way,
				 struct mmu_outcome *out, uint64_t *ppn)
{
	struct golden_tlb_entry te;
	enum mmu_status st = golden_walk(g, req->va, req->op, req->user, out,
					 &te);

	if (st == MMU_ST_PAGE_FAULT) {
		page_fault_taken(g, vpn, pcid);
	} else if (st != MMU_ST_OK) {
		out->status = st;
	} else {
		tlb_fill(&g->tlb, &te, way);
		*ppn = te.ppn;
	}
	return st;
}

static int golden_access(struct machine *m, const struct mmu_req *req,
			 struct mmu_outcome *out)
{
	struct golden *g = to_golden(m);
	uint64_t vpn, ppn = 0;
	uint16_t pcid = golden_pcid(g);
	bool walk = true;
	int way;

	mmu_outcome_clear(out);
	if (!valid_req(g, req))
		return mmu_errf(m->err, sizeof(m->err), MMU_EINVAL,
			    "access of size %u at %#llx: size must be 1, 2, 4 "
			    "or 8, naturally aligned and at most a line",
			    req->size, (unsigned long long)req->va);
	g->cnt.accesses++;
	if (!golden_canonical(&m->cfg, req->va)) {
		out->status = MMU_ST_GP_FAULT;
		g->cnt.gp_faults++;
		return 0;
	}
	vpn = golden_vpn(g, req->va);
	way = tlb_lookup(&g->tlb, vpn, pcid);
	if (way < 0) {
		g->cnt.tlb_misses++;
	} else {
		const struct golden_tlb_entry *hit =
			tlb_entry(&g->tlb, vpn, (unsigned)way);

		out->tlb_hit = true;
		g->cnt.tlb_hits++;
		out->error_code = golden_prot_fault(g, req->op, req->user, hit);
		if (out->error_code) {
			out->status = MMU_ST_PAGE_FAULT;
			out->cr2 = g->regs.cr2 = req->va;
			page_fault_taken(g, vpn, pcid);
			return 0;
		}
		out->page_level = hit->level;
		tlb_touch(&g->tlb, vpn, (unsigned)way);
		ppn = hit->ppn;
		/* A write through an entry that is not yet dirty walks, because
		 * D must be set in memory. */
		walk = req->op == MMU_STORE && !hit->dirty;
	}
	if (walk && walk_fill(g, req, vpn, pcid, way, out, &ppn) != MMU_ST_OK)
		return 0;
	return data_access(g, golden_pa(g, ppn, req->va), req, out);
}

/* ---- control ---------------------------------------------------------- */

static uint64_t pa_reserved_mask(const struct golden *g)
{
	/* CR3 bits above the frame field (x86: MAXPHYADDR..62) are reserved;
	 * bit 63 is no-flush. */
	uint64_t top = PTE_FRAME_SHIFT + g->base.cfg.ppn_bits;

	return (~0ull << top) & ~CR3_NOFLUSH;
}

static void flush_psc_pcid(struct golden *g, uint16_t pcid)
{
	for (unsigned l = 2; l <= g->base.cfg.levels; l++)
		psc_flush_pcid(&g->psc[l], pcid);
}

static void flush_psc_all(struct golden *g)
{
	for (unsigned l = 2; l <= g->base.cfg.levels; l++)
		psc_flush_all(&g->psc[l]);
}

static enum mmu_ctl_result write_cr3(struct golden *g, uint64_t v)
{
	bool pcide = g->regs.cr4 & CR4_PCIDE;
	uint16_t pcid;

	if (v & pa_reserved_mask(g))
		return MMU_CTL_GP;
	if ((v & CR3_NOFLUSH) && !pcide)
		return MMU_CTL_GP;
	g->regs.cr3 = v & ~CR3_NOFLUSH;
	pcid = golden_pcid(g);
	if (!(v & CR3_NOFLUSH)) {
		g->cnt.tlb_flushes += tlb_flush_pcid(&g->tlb, pcid);
		flush_psc_pcid(g, pcid);
	}
	return MMU_CTL_DONE;
}

/* The machine always runs 64-bit code in IA-32e mode (machine.h): PG and
 * PE stay set, and reserved bits of 31..0 are ignored. */
static enum mmu_ctl_result write_cr0(struct golden *g, uint64_t v)
{
	if ((v >> 32) || !(v & CR0_PG) || !(v & CR0_PE) ||
	    ((v & CR0_NW) && !(v & CR0_CD)))
		return MMU_CTL_GP;
	g->regs.cr0 = (v & CR0_DEFINED) | CR0_ET;
	golden_perm_update(g);
	return MMU_CTL_DONE;
}

/* LME may not change while CR0.PG = 1 (always); LMA is read-only. */
static enum mmu_ctl_result write_efer(struct golden *g, uint64_t v)
{
	if ((v & ~(EFER_WRITABLE | EFER_LMA)) ||
	    ((v ^ g->regs.efer) & EFER_LME) ||
	    ((v & EFER_NXE) && g->base.cfg.pte_bytes != 8))
		return MMU_CTL_GP;
	g->regs.efer = (v & EFER_WRITABLE) | (g->regs.efer & EFER_LMA);
	golden_perm_update(g);
	return MMU_CTL_DONE;
}

static enum mmu_ctl_result write_cr4(struct golden *g, uint64_t v)
{
	uint64_t old = g->regs.cr4;

	if ((v & ~CR4_DEFINED) || !(v & CR4_PAE) ||
	    ((v & CR4_PKE) && g->base.cfg.pte_bytes != 8))
		return MMU_CTL_GP;
	if ((v & CR4_PCIDE) && !(old & CR4_PCIDE) &&
	    (!g->base.cfg.pcid || (g->regs.cr3 & CR3_PCID_MASK)))
		return MMU_CTL_GP;
	g->regs.cr4 = v;
	golden_perm_update(g);
	/* Toggling PGE, or clearing PCIDE, flushes everything (SDM 4.10.4.1). */
	if (((old ^ v) & CR4_PGE) ||
	    ((old & CR4_PCIDE) && !(v & CR4_PCIDE))) {
		g->cnt.tlb_flushes += tlb_flush_all(&g->tlb);
		flush_psc_all(g);
	}
	return MMU_CTL_DONE;
}

/* WRPKRU: #UD without CR4.PKE, #GP with EDX != 0. */
static enum mmu_ctl_result write_pkru(struct golden *g, uint64_t v)
{
	if (!(g->regs.cr4 & CR4_PKE) || (v >> 32))
		return MMU_CTL_GP;
	g->regs.pkru = (uint32_t)v;
	golden_perm_update(g);
	return MMU_CTL_DONE;
}

static enum mmu_ctl_result invpcid(struct golden *g, const struct mmu_ctl *c)
{
	const struct mmu_config *cfg = &g->base.cfg;
	uint64_t vpn = golden_vpn(g, c->addr);

	if (c->type > 3 || c->pcid > CR3_PCID_MASK)
		return MMU_CTL_GP;
	if (c->type <= 1 && c->pcid && !(g->regs.cr4 & CR4_PCIDE))
		return MMU_CTL_GP;
	switch (c->type) {
	case 0:  /* one address in one PCID, not global translations */
		if (!golden_canonical(cfg, c->addr))
			return MMU_CTL_GP;
		g->cnt.tlb_flushes += tlb_flush_page(&g->tlb, vpn, c->pcid, false);
		flush_psc_pcid(g, c->pcid);
		break;
	case 1:  /* one PCID, not global translations */
		g->cnt.tlb_flushes += tlb_flush_pcid(&g->tlb, c->pcid);
		flush_psc_pcid(g, c->pcid);
		break;
	case 2:  /* everything, global translations included */
		g->cnt.tlb_flushes += tlb_flush_all(&g->tlb);
		flush_psc_all(g);
		break;
	case 3:  /* everything but global translations */
		g->cnt.tlb_flushes += tlb_flush_nonglobal(&g->tlb);
		flush_psc_all(g);
		break;
	}
	return MMU_CTL_DONE;
}

static int golden_ctl(struct machine *m, const struct mmu_ctl *c,
		      enum mmu_ctl_result *res)
{
	struct golden *g = to_golden(m);
	const struct mmu_config *cfg = &m->cfg;
	uint64_t line = c->addr & ~(cfg->l1_line - 1);
	int rc = mmu_ctl_check(m, c);

	*res = MMU_CTL_DONE;
	if (rc)
		return rc;
	switch (c->op) {
	case MMU_CTL_WRITE_CR0:
		*res = write_cr0(g, c->value);
		break;
	case MMU_CTL_WRITE_CR2:
		g->regs.cr2 = c->value;
		break;
	case MMU_CTL_WRITE_CR3:
		*res = write_cr3(g, c->value);
		break;
	case MMU_CTL_WRITE_CR4:
		*res = write_cr4(g, c->value);
		break;
	case MMU_CTL_WRITE_EFER:
		*res = write_efer(g, c->value);
		break;
	case MMU_CTL_SET_AC:
		g->regs.ac = c->value;
		golden_perm_update(g);
		break;
	case MMU_CTL_WRITE_PKRU:
		*res = write_pkru(g, c->value);
		break;
	case MMU_CTL_INVLPG: {
		uint16_t pcid = golden_pcid(g);
		uint64_t vpn = golden_vpn(g, c->addr);

		/* INVLPG of a non-canonical address does nothing. */
		if (!golden_canonical(cfg, c->addr))
			break;
		g->cnt.tlb_flushes += tlb_flush_page(&g->tlb, vpn, pcid, true);
		flush_psc_pcid(g, pcid);
		break;
	}
	case MMU_CTL_INVPCID:
		*res = invpcid(g, c);
		break;
	case MMU_CTL_CLEAN_LINE:
		rc = l1_clean_line(&g->l1, line);
		break;
	case MMU_CTL_INVAL_LINE:
		l1_inval_line(&g->l1, line);
		break;
	case MMU_CTL_FLUSH_LINE:
		rc = l1_clean_line(&g->l1, line);
		l1_inval_line(&g->l1, line);
		break;
	case MMU_CTL_CLEAN_ALL:
		rc = l1_clean_all(&g->l1);
		break;
	case MMU_CTL_INVAL_ALL:
		l1_inval_all(&g->l1);
		break;
	case MMU_CTL_FLUSH_ALL:
		rc = l1_clean_all(&g->l1);
		l1_inval_all(&g->l1);
		break;
	default:
		return mmu_errf(m->err, sizeof(m->err), MMU_EINVAL,
			    "unknown control operation %d", (int)c->op);
	}
	if (rc)
		return mmu_errf(m->err, sizeof(m->err), MMU_ENOMEM,
			    "out of host memory writing a line back");
	return 0;
}

/* ---- coherent physical access ----------------------------------------- */

static int phys_xfer(struct golden *g, uint64_t pa, uint8_t *buf,
		     const uint8_t *src, size_t len)
{
	struct machine *m = &g->base;

	if (!physmem_in_range(&g->mem, pa, len))
		return mmu_errf(m->err, sizeof(m->err), MMU_ERANGE,
			    "physical access [%#llx, +%zu) outside %llu bytes "
			    "of memory",
			    (unsigned long long)pa, len,
			    (unsigned long long)g->mem.bytes);
	while (len) {
		size_t off = (size_t)(pa & (m->cfg.l1_line - 1));
		size_t n = m->cfg.l1_line - off;
		bool hit;
		uint8_t *p;

		if (n > len)
			n = len;
		p = l1_line_for(&g->l1, pa, &hit, src != NULL);
		if (!p)
			return mmu_errf(m->err, sizeof(m->err), MMU_ENOMEM,
				    "out of host memory");
		g->cnt.phys_lines++;
		if (src) {
			memcpy(p, src, n);
			src += n;
		} else {
			memcpy(buf, p, n);
			buf += n;
		}
		pa += n;
		len -= n;
	}
	return 0;
}

static int golden_phys_read(struct machine *m, uint64_t pa, void *buf,
			    size_t len)
{
	return phys_xfer(to_golden(m), pa, buf, NULL, len);
}

static int golden_phys_write(struct machine *m, uint64_t pa, const void *buf,
			     size_t len)
{
	return phys_xfer(to_golden(m), pa, NULL, buf, len);
}

static int golden_mem_peek(struct machine *m, uint64_t pa, void *buf,
			   size_t len)
{
	struct golden *g = to_golden(m);

	if (!physmem_in_range(&g->mem, pa, len))
		return mmu_errf(m->err, sizeof(m->err), MMU_ERANGE,
			    "peek [%#llx, +%zu) outside memory",
			    (unsigned long long)pa, len);
	physmem_peek(&g->mem, pa, buf, len);
	return 0;
}

static void golden_regs(struct machine *m, struct mmu_regs *r)
{
	*r = to_golden(m)->regs;
}

static void golden_counters(struct machine *m, struct mmu_counters *c)
{
	*c = to_golden(m)->cnt;
}

static void golden_destroy(struct machine *m)
{
	struct golden *g = to_golden(m);

	for (unsigned l = 0; l <= MMU_MAX_LEVELS; l++)
		psc_free(&g->psc[l]);
	tlb_free(&g->tlb);
	l1_free(&g->l1);
	physmem_free(&g->mem);
	free(g);
}

/* ---- debug path ------------------------------------------------------- */

static int golden_tlb_slot(struct machine *m, unsigned set, unsigned way,
			   struct mmu_tlb_slot *s, bool write)
{
	struct golden_tlb_entry *e = &to_golden(m)->tlb.e[(size_t)set *
							  to_golden(m)->tlb.ways + way];

	if (write) {
		e->valid = s->valid;
		e->vpn = s->vpn;
		e->ppn = s->ppn;
		e->pcid = s->pcid;
		e->level = s->level;
		e->pkey = s->pkey;
		e->global = s->global;
		e->rw = s->rw;
		e->us = s->us;
		e->xd = s->xd;
		e->dirty = s->dirty;
		return 0;
	}
	s->valid = e->valid;
	/* A never-filled slot reads as VPN = its set, like the RTL's RAM. */
	s->vpn = (e->vpn & ~(uint64_t)(to_golden(m)->tlb.sets - 1)) | set;
	s->ppn = e->ppn;
	s->pcid = e->pcid;
	s->level = e->level ? e->level : 1;  /* a never-filled slot */
	s->pkey = e->pkey;
	s->global = e->global;
	s->rw = e->rw;
	s->us = e->us;
	s->xd = e->xd;
	s->dirty = e->dirty;
	return 0;
}

static int golden_line_slot(struct machine *m, unsigned set, unsigned way,
			    struct mmu_line_slot *s, bool write)
{
	struct l1 *c = &to_golden(m)->l1;
	size_t i = (size_t)set * c->ways + way;

	if (write) {
		l1_put_bit(c->valid, set, way, s->valid);
		l1_put_bit(c->dirty, set, way, s->dirty);
		c->tag[i] = s->tag;
		memcpy(c->data + i * c->line, s->data, c->line);
		return 0;
	}
	memset(s, 0, sizeof(*s));
	s->valid = l1_bit(c->valid, set, way);
	s->dirty = l1_bit(c->dirty, set, way);
	s->tag = c->tag[i];
	memcpy(s->data, c->data + i * c->line, c->line);
	return 0;
}

/* Events: the replacement of the TLB, each PSC and the L1. */
static unsigned golden_events(struct machine *m, struct mmu_events *ev)
{
	struct golden *g = to_golden(m);

	g->tlb.ev = ev;
	g->l1.ev = ev;
	for (unsigned l = 2; l <= m->cfg.levels; l++) {
		g->psc[l].ev = ev;
		g->psc[l].level = l;
	}
	return MMU_EV_REPLACEMENT;
}

static const struct machine_ops golden_ops = {
	.name = "golden",
	.access = golden_access,
	.ctl = golden_ctl,
	.phys_read = golden_phys_read,
	.phys_write = golden_phys_write,
	.mem_peek = golden_mem_peek,
	.regs = golden_regs,
	.counters = golden_counters,
	.destroy = golden_destroy,
	.tlb_slot = golden_tlb_slot,
	.line_slot = golden_line_slot,
	.events = golden_events,
};

int golden_create(const struct mmu_config *cfg, uint64_t mem_bytes,
		  struct machine **out, char *err, size_t errlen)
{
	return golden_create_port(cfg, mem_bytes, NULL, out, err, errlen);
}

int golden_create_port(const struct mmu_config *cfg, uint64_t mem_bytes,
		       const struct physmem_port *port, struct machine **out,
		       char *err, size_t errlen)
{
	struct golden *g;
	struct mmu_config c = *cfg;
	char msg[MMU_CFG_ERR_MAX];

	if (mmu_config_validate(&c, msg, sizeof(msg)))
		return mmu_errf(err, errlen, MMU_EINVAL, "%s", msg);
	if (!mem_bytes)
		mem_bytes = c.mem_bytes;
	if (mem_bytes & ((1ull << c.page_shift) - 1) ||
	    (c.pa_bits < 64 && mem_bytes > (1ull << c.pa_bits)))
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "memory size %llu: must be a multiple of the "
			    "%llu-byte page and fit in %llu physical-address bits",
			    (unsigned long long)mem_bytes, 1ull << c.page_shift,
			    (unsigned long long)c.pa_bits);
	g = calloc(1, sizeof(*g));
	if (!g)
		return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
	g->base.ops = &golden_ops;
	g->base.cfg = c;
	g->base.mem_bytes = mem_bytes;
	g->ppn_mask = (1ull << c.ppn_bits) - 1;
	g->vpn_mask = (1ull << c.vpn_bits) - 1;
	if (port) {
		physmem_init_port(&g->mem, mem_bytes, port);
	} else if (physmem_init(&g->mem, mem_bytes)) {
		uint64_t n = (mem_bytes >> PHYSMEM_CHUNK_SHIFT) + 1;

		golden_destroy(&g->base);
		return mmu_errf(err, errlen, MMU_ENOMEM,
			    "host out of memory: the chunk table of %llu bytes "
			    "of physical memory: %llu x %zu bytes (%.1f GiB)",
			    (unsigned long long)mem_bytes, (unsigned long long)n,
			    sizeof(uint8_t *),
			    (double)n * sizeof(uint8_t *) / (1ull << 30));
	}
	if (l1_init(&g->l1, &c, &g->mem, &g->cnt) || tlb_init(&g->tlb, &c))
		goto nomem;
	for (unsigned l = 2; l <= c.levels; l++)
		if (psc_init(&g->psc[l], (unsigned)c.psc_entries))
			goto nomem;
	/* Out of reset in IA-32e mode with paging on (machine.h says why);
	 * CR2 = CR3 = 0. */
	g->regs.cr0 = CR0_RESET;
	g->regs.cr4 = CR4_RESET;
	g->regs.efer = EFER_RESET;
	golden_perm_update(g);
	*out = &g->base;
	return 0;
nomem:
	golden_destroy(&g->base);
	return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory for the "
			"TLB, L1 and paging-structure caches");
}

/* ---- introspection ---------------------------------------------------- */

int golden_tlb_entry(struct machine *m, unsigned set, unsigned way,
		     struct golden_tlb_entry *e)
{
	struct golden *g = to_golden(m);

	if (m->ops != &golden_ops || set >= g->tlb.sets || way >= g->tlb.ways)
		return MMU_EINVAL;
	*e = g->tlb.e[(size_t)set * g->tlb.ways + way];
	return 0;
}

int golden_l1_line(struct machine *m, unsigned set, unsigned way,
		   struct golden_line *l)
{
	struct golden *g = to_golden(m);
	size_t i;

	if (m->ops != &golden_ops || set >= g->l1.sets || way >= g->l1.ways)
		return MMU_EINVAL;
	i = (size_t)set * g->l1.ways + way;
	l->valid = l1_bit(g->l1.valid, set, way);
	l->dirty = l1_bit(g->l1.dirty, set, way);
	l->tag = g->l1.tag[i];
	l->data = g->l1.data + i * g->l1.line;
	return 0;
}
