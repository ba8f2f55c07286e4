/* SPDX-License-Identifier: MIT */
/*
 * The generator's control changes (regress_int.h): CR0.WP, EFER.NXE,
 * CR4's SMEP, SMAP, PKE (with a PKRU), PGE and PCIDE, AC, PCID switches;
 * CHECKED: invalidations that cannot make an expected translation wrong,
 * and operations the instruction must refuse with #GP; TRAFFIC and
 * HOSTILE: invalidations an OS would not need and writes with reserved
 * bits.  The draws are in the order gen.c made them: a seed's stream is
 * the same.
 */
#include "regress_int.h"
#include "machine/pagetable.h"

#include <inttypes.h>
#include <stdio.h>

static int toggle_pge_or_pcide(struct regress_gen *g, const struct mmu_regs *r,
			       uint64_t cr3)
{
	int rc = 0;

	if (pick(g, 2))
		return gen_ctl(g, MMU_CTL_WRITE_CR4, regress_cr4(r->cr4 ^ CR4_PGE),
			       0, 0, 0);
	if (g->cfg->pcid) {
		/* CR3's PCID must be 0 when PCIDE changes */
		rc = gen_ctl(g, MMU_CTL_WRITE_CR3, cr3, 0, 0, 0);
		if (!rc)
			rc = gen_ctl(g, MMU_CTL_WRITE_CR4,
				     regress_cr4(r->cr4 ^ CR4_PCIDE), 0, 0, 0);
		g->pcids_used = 1;
	}
	return rc;
}

/* Switch PCID, mostly keeping the TLB (no-flush). */
static int switch_pcid(struct regress_gen *g, const struct mmu_regs *r,
		       uint64_t cr3)
{
	uint16_t p;

	if (!(r->cr4 & CR4_PCIDE))
		return gen_ctl(g, MMU_CTL_WRITE_CR3, cr3, 0, 0, 0);
	p = (uint16_t)pick(g, MAX_PCIDS);
	g->pcids_used |= (uint16_t)(1u << p);
	return gen_ctl(g, MMU_CTL_WRITE_CR3,
		       cr3 | p | (pick(g, 4) ? CR3_NOFLUSH : 0), 0, 0, 0);
}

/* CHECKED: invalidations beyond INVLPG's (INVPCID of one PCID, of all
 * with or without global entries) and MOV to CR2; none can make a
 * translation the generator expects wrong. */
static int checked_invalidation(struct regress_gen *g, const struct mmu_regs *r)
{
	unsigned type = 1 + pick(g, 4);
	uint16_t pcid = (r->cr4 & CR4_PCIDE) ? (uint16_t)pick(g, MAX_PCIDS) : 0;

	if (type > 3)
		return gen_ctl(g, MMU_CTL_WRITE_CR2, rnd(g), 0, 0, 0);
	return gen_ctl(g, MMU_CTL_INVPCID, 0, 0, type, type == 1 ? pcid : 0);
}

/* CHECKED: a control operation the instruction must refuse with #GP
 * (machine.h lists the rules), which changes nothing; accepted, it is a
 * failure of the run. */
static int refused_ctl(struct regress_gen *g, const struct mmu_regs *r)
{
	struct mmu_ctl c = { .op = MMU_CTL_INVPCID };
	int rc;

	switch (pick(g, 6)) {
	case 0:  /* clearing PG in 64-bit mode */
		c = (struct mmu_ctl){ .op = MMU_CTL_WRITE_CR0,
				      .value = r->cr0 & ~CR0_PG };
		break;
	case 1:  /* LA57 (bit 12), not implemented */
		c = (struct mmu_ctl){ .op = MMU_CTL_WRITE_CR4,
				      .value = r->cr4 | (1ull << 12) };
		break;
	case 2:  /* LME may not change while paging */
		c = (struct mmu_ctl){ .op = MMU_CTL_WRITE_EFER,
				      .value = r->efer ^ EFER_LME };
		break;
	case 3:  /* no-flush without PCIDE; else a bit above MAXPHYADDR */
		c = (struct mmu_ctl){ .op = MMU_CTL_WRITE_CR3, .value = r->cr3 |
				      ((r->cr4 & CR4_PCIDE) ? 1ull << 62
							    : CR3_NOFLUSH) };
		break;
	case 4:  /* a PCID wider than 12 bits; type 0: a non-canonical address */
		c.type = pick(g, 4);
		if (c.type || pick(g, 2))
			c.pcid = (uint16_t)(0x1000u | pick(g, 0x1000));
		else
			c.addr = 1ull << 63;
		break;
	default:  /* WRPKRU with EDX != 0 */
		c = (struct mmu_ctl){ .op = MMU_CTL_WRITE_PKRU,
				      .value = 1ull << 32 | pick(g, 16) };
		break;
	}
	rc = gen_ctl(g, c.op, c.value, c.addr, c.type, c.pcid);
	if (rc == MMU_EGP)
		return 0;
	if (!rc) {
		snprintf(g->fail, sizeof(g->fail), "control %s value %#" PRIx64
			 " addr %#" PRIx64 " type %u pcid %u accepted: #GP "
			 "expected", mmu_ctl_op_str(c.op), c.value, c.addr,
			 c.type, c.pcid);
		rc = REGRESS_ECHECK;
	}
	return rc;
}

/* TRAFFIC and HOSTILE: invalidations an OS would not need, and writes
 * that must raise #GP (reserved bits everywhere; INVPCID types 4, 5). */
static int unchecked_ctl(struct regress_gen *g, unsigned k)
{
	const struct page *p = &g->page[pick(g, g->npages)];
	uint64_t va = p->va + regress_rng_below(&g->rng,
				1ull << g->cfg->page_shift);

	if (k == 6)
		return gen_ctl(g, MMU_CTL_INVPCID, 0, va, pick(g, 6),
			       (uint16_t)pick(g, MAX_PCIDS));
	if (k == 7)
		return gen_ctl(g, MMU_CTL_INVLPG, 0, va, 0, 0);
	if (pick(g, 4) == 0)  /* WRPKRU with EDX != 0, or without PKE */
		return gen_ctl(g, MMU_CTL_WRITE_PKRU,
			       regress_rng_below(&g->rng, ~0ull), 0, 0, 0);
	return gen_ctl(g, (enum mmu_ctl_op)(MMU_CTL_WRITE_CR0 + pick(g, 4)),
		       ~0ull, 0, 0, 0);
}

/* A PKRU that mostly leaves keys open (each bit 1 in 4); CHECKED: half
 * the time each bit 1 in 2, so that keys with AD and WD both set occur. */
static uint64_t random_pkru(struct regress_gen *g)
{
	uint64_t v = regress_rng_below(&g->rng, 1ull << 32);

	if (!g->check || pick(g, 2))
		v &= regress_rng_below(&g->rng, 1ull << 32);
	return v;
}

int gen_control_change(struct regress_gen *g)
{
	struct mmu_regs r;
	uint64_t cr3 = pt_make(g->cfg, g->root, 0), v;
	unsigned k = pick(g, g->check ? 8 : 9);
	int rc = 0;

	g->m->ops->regs(g->m, &r);
	switch (k) {
	case 0:
		rc = gen_ctl(g, MMU_CTL_WRITE_CR0,
			     regress_cr0(pick(g, 2) ? CR0_WP : 0), 0, 0, 0);
		break;
	case 1:
		if (g->cfg->pte_bytes == 8)
			rc = gen_ctl(g, MMU_CTL_WRITE_EFER,
				     regress_efer(pick(g, 2) ? EFER_NXE : 0),
				     0, 0, 0);
		break;
	case 2:
		v = (r.cr4 & (CR4_PCIDE | CR4_PGE)) | (pick(g, 2) ? CR4_SMEP : 0);
		v |= pick(g, 2) ? CR4_SMAP : 0;
		/* keys on in a quarter of the writes, with a new PKRU now
		 * and then (CHECKED: every time; PKRU mostly leaves keys
		 * open) */
		if (g->cfg->pte_bytes == 8 && pick(g, 4) == 0)
			v |= CR4_PKE;
		rc = gen_ctl(g, MMU_CTL_WRITE_CR4, regress_cr4(v), 0, 0, 0);
		if (!rc && (v & CR4_PKE) && (g->check || pick(g, 2)))
			rc = gen_ctl(g, MMU_CTL_WRITE_PKRU, random_pkru(g),
				     0, 0, 0);
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
	case 6:
	case 7:
		if (g->check) {
			rc = k == 6 ? checked_invalidation(g, &r)
				    : refused_ctl(g, &r);
			break;
		}
		/* fall through */
	default:
		rc = unchecked_ctl(g, k);
		break;
	}
	if (rc && !g->fail[0])
		snprintf(g->fail, sizeof(g->fail), "control change refused (%s)",
			 rc == MMU_EGP ? "#GP" : g->m->err);
	return rc;
}
