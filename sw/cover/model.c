/* SPDX-License-Identifier: MIT */
/*
 * The bins of the MMU's functional coverage and their sampling (cover.h):
 * one model per attached machine, counting in flat arrays (one per group,
 * indexed by the dimension values in mixed radix) so that sampling costs a
 * few increments; names are made only when a model is folded into a set.
 */
#include "cover_int.h"
#include "golden/golden.h"
#include "lockstep/lockstep.h"
#include "machine/pagetable.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

enum { MODE_SUP, MODE_USER };
enum { SRC_TLB, SRC_WALK, SRC_REWALK, SRC_PSC2 };  /* psc L: SRC_PSC2+L-2 */
enum { AD_A, AD_D, AD_AD };
enum group_id {
	G_PERM, G_LEVEL, G_PAGE, G_SOURCE, G_STATUS, G_PFEC, G_AD, G_TLB_L1,
	G_PCID, G_GLOBAL, G_PK, G_CTL, G_INVPCID, G_CR3, G_TLB_FILL,
	G_PSC_FILL, G_L1_FILL, G_WALK_FILL, G_AXI, G_AXI_STALL, G_NGROUPS
};
/* the walk phases of the axi groups: the walker's, a data access's, cache
 * maintenance's (a control operation) */
enum { PH_DATA, PH_WALK, PH_MAINT };
#define MAX_WAYS 32    /* config.c's limits */
#define MAX_PSC 64

static const char *const mode_l[] = { "sup", "user" };
static const char *const op_l[] = { "load", "store", "fetch" };
static const char *const status_l[] = { "ok", "pf", "gp", "bus" };
static const char *const src_l[] = { "tlb", "walk", "tlb+rewalk", "psc2",
				     "psc3", "psc4", "psc5" };
static const char *const ad_l[] = { "A", "D", "AD" };
static const char *const res_l[] = { "done", "gp" };
static const char *const ctl_l[] = {
	"cr0", "cr3", "cr4", "efer", "ac", "invlpg", "invpcid", "clean_line",
	"inval_line", "flush_line", "clean_all", "inval_all", "flush_all",
	"cr2", "pkru" };
_Static_assert(sizeof(ctl_l) / sizeof(ctl_l[0]) == MMU_CTL_NOPS,
	       "a label per control operation");
/* victims, by enum mmu_ev_victim: TLB and PSC (free, valid, match), L1
 * (free, clean, dirty) */
static const char *const tvict_l[] = { "free", "valid", "match" };
static const char *const pvict_l[] = { "free", "valid" };
static const char *const lvict_l[] = { "free", "clean", "dirty" };
static const char *const xfer_l[] = { "fill", "wb" };
static const char *const phase_l[] = { "data", "walk", "maint" };
static const char *const stall_l[] = { "addr", "data", "resp" };

#define BIT(n) { n, 2, NULL }
#define MODE { "mode", 2, mode_l }
#define OP { "op", 3, op_l }

static bool leaf_level_ok(const struct mmu_config *c, unsigned l)
{
	return l == 1 || (l == 2 && c->page_2m) || (l == 3 && c->page_1g);
}

static bool wide(const struct mmu_config *c)
{
	return c->pte_bytes == 8;  /* XD, NXE and keys exist */
}

/* perm: a control that cannot matter for the access is folded to 0. */
enum { P_MODE, P_OP, P_RW, P_US, P_XD, P_WP, P_NXE, P_SMEP, P_SMAP, P_AC };
static void perm_fold(unsigned *v)
{
	bool sup = v[P_MODE] == MODE_SUP;

	if (!(sup && v[P_OP] == MMU_STORE))
		v[P_WP] = 0;
	if (!(sup && v[P_OP] != MMU_FETCH))
		v[P_SMAP] = v[P_AC] = 0;
	if (!(sup && v[P_OP] == MMU_FETCH))
		v[P_SMEP] = 0;
	if (v[P_OP] != MMU_FETCH)
		v[P_NXE] = 0;
}

static bool folded(const unsigned *v, unsigned n, void (*fold)(unsigned *))
{
	unsigned f[COVER_MAX_DIMS];

	memcpy(f, v, n * sizeof(*v));
	fold(f);
	return !memcmp(f, v, n * sizeof(*v));
}

static bool perm_def(const struct mmu_config *c, const unsigned *v)
{
	if (!wide(c) && (v[P_XD] || v[P_NXE]))
		return false;
	return folded(v, 10, perm_fold);
}

static bool level_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] >= 1 && v[0] <= c->levels && (wide(c) || !v[3]);
}

static bool page_def(const struct mmu_config *c, const unsigned *v)
{
	return leaf_level_ok(c, v[0]);
}

static bool source_def(const struct mmu_config *c, const unsigned *v)
{
	unsigned psc = v[0] >= SRC_PSC2 ? v[0] - SRC_PSC2 + 2 : 0;

	if (!leaf_level_ok(c, v[1]))
		return false;
	return !psc || (psc <= c->levels && c->psc_entries && v[1] < psc);
}

/* A bus error needs a physical address past memory (csapp's memory fills
 * its whole physical space: none there). */
static bool status_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] != MMU_ST_BUS_ERROR || c->pa_bits >= 64 ||
	       c->mem_bytes < (1ull << c->pa_bits);
}

static bool all_def(const struct mmu_config *c, const unsigned *v)
{
	(void)c;
	(void)v;
	return true;
}

static bool pfec_def(const struct mmu_config *c, const unsigned *v)
{
	unsigned ec = v[0];

	if ((ec & PFEC_ID) && (ec & PFEC_WR))
		return false;
	if ((ec & PFEC_RSVD) && !(ec & PFEC_P))
		return false;
	if (ec & PFEC_PK)
		return wide(c) && (ec & PFEC_P) && !(ec & (PFEC_ID | PFEC_RSVD));
	return true;
}

static bool ad_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] >= 1 && v[0] <= c->levels &&
	       (v[1] == AD_A || leaf_level_ok(c, v[0]));
}

static bool pcid_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] ? c->pcid != 0 : !v[1];
}

enum { K_PKE, K_AD, K_WD, K_MODE, K_OP };
static void pk_fold(unsigned *v)
{
	if (!v[K_PKE] || v[K_OP] == MMU_FETCH)
		v[K_AD] = v[K_WD] = 0;
	if (v[K_OP] == MMU_LOAD)
		v[K_WD] = 0;
}

static bool pk_def(const struct mmu_config *c, const unsigned *v)
{
	return (wide(c) || !v[K_PKE]) && folded(v, 5, pk_fold);
}

static bool ctl_def(const struct mmu_config *c, const unsigned *v)
{
	(void)c;
	if (!v[1])
		return true;
	switch (v[0]) {
	case MMU_CTL_WRITE_CR0: case MMU_CTL_WRITE_CR3: case MMU_CTL_WRITE_CR4:
	case MMU_CTL_WRITE_EFER: case MMU_CTL_INVPCID: case MMU_CTL_WRITE_PKRU:
		return true;
	default:
		return false;
	}
}

static bool cr3_def(const struct mmu_config *c, const unsigned *v)
{
	return !v[0] || c->pcid;
}

static bool tlb_fill_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] < c->tlb_ways;
}

/* A walk fills the PSC of each non-leaf level it reads (levels..2); a
 * matching entry would have hit, so a fill never overwrites one. */
static bool psc_fill_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] >= 2 && v[0] <= c->levels && v[1] < c->psc_entries;
}

static bool l1_fill_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] < c->l1_ways;
}

static bool walk_fill_def(const struct mmu_config *c, const unsigned *v)
{
	return v[0] >= 1 && v[0] <= c->levels;
}

/* Reads are line fills by a data access or a walk; write-backs also come
 * from cache maintenance; a read has no B response. */
static bool axi_def(const struct mmu_config *c, const unsigned *v)
{
	(void)c;
	return v[0] == MMU_EV_WB || v[1] != PH_MAINT;
}

static bool axi_stall_def(const struct mmu_config *c, const unsigned *v)
{
	return axi_def(c, v) && (v[0] == MMU_EV_WB || v[2] != 2);
}

const struct cover_group cover_groups[] = {
	[G_PERM] = { "perm", 10, { MODE, OP, BIT("rw"), BIT("us"), BIT("xd"),
		     BIT("wp"), BIT("nxe"), BIT("smep"), BIT("smap"),
		     BIT("ac") }, perm_def, 0 },
	[G_LEVEL] = { "level", 4, { { "level", MMU_MAX_LEVELS + 1, NULL },
		      BIT("us"), BIT("rw"), BIT("xd") }, level_def, 0 },
	[G_PAGE] = { "page", 3, { { "level", 4, NULL }, OP, MODE }, page_def, 0 },
	[G_SOURCE] = { "source", 2, { { "from", 7, src_l },
		       { "page", 4, NULL } }, source_def, 0 },
	[G_STATUS] = { "status", 3, { { "status", 4, status_l }, OP, MODE },
		       status_def, 0 },
	[G_PFEC] = { "pfec", 1, { { "ec", 64, NULL } }, pfec_def, 0 },
	[G_AD] = { "ad", 2, { { "level", MMU_MAX_LEVELS + 1, NULL },
		   { "set", 3, ad_l } }, ad_def, 0 },
	[G_TLB_L1] = { "tlb_l1", 3, { BIT("tlb_hit"), BIT("l1_hit"), OP },
		       all_def, 0 },
	[G_PCID] = { "pcid", 3, { BIT("pcide"), BIT("pcid_nz"),
		     BIT("tlb_hit") }, pcid_def, 0 },
	[G_GLOBAL] = { "global", 3, { BIT("pge"), BIT("g"), BIT("tlb_hit") },
		       all_def, 0 },
	[G_PK] = { "pk", 5, { BIT("pke"), BIT("ad"), BIT("wd"), MODE, OP },
		   pk_def, 0 },
	[G_CTL] = { "ctl", 2, { { "op", MMU_CTL_NOPS, ctl_l },
		    { "result", 2, res_l } }, ctl_def, 0 },
	[G_INVPCID] = { "invpcid", 2, { { "type", 4, NULL },
			{ "result", 2, res_l } }, all_def, 0 },
	[G_CR3] = { "cr3", 2, { BIT("pcide"), BIT("noflush") }, cr3_def, 0 },
	[G_TLB_FILL] = { "tlb_fill", 2, { { "way", MAX_WAYS, NULL },
			 { "victim", 3, tvict_l } }, tlb_fill_def,
			 MMU_EV_REPLACEMENT },
	[G_PSC_FILL] = { "psc_fill", 3, { { "level", MMU_MAX_LEVELS + 1, NULL },
			 { "slot", MAX_PSC, NULL }, { "victim", 2, pvict_l } },
			 psc_fill_def, MMU_EV_REPLACEMENT },
	[G_L1_FILL] = { "l1_fill", 2, { { "way", MAX_WAYS, NULL },
			{ "victim", 3, lvict_l } }, l1_fill_def,
			MMU_EV_REPLACEMENT },
	[G_WALK_FILL] = { "walk_fill", 2, { { "level", MMU_MAX_LEVELS + 1, NULL },
			  { "victim", 3, lvict_l } }, walk_fill_def,
			  MMU_EV_REPLACEMENT },
	[G_AXI] = { "axi", 2, { { "xfer", 2, xfer_l }, { "during", 3, phase_l } },
		    axi_def, MMU_EV_AXI },
	[G_AXI_STALL] = { "axi_stall", 3, { { "xfer", 2, xfer_l },
			  { "during", 3, phase_l }, { "stall", 3, stall_l } },
			  axi_stall_def, MMU_EV_AXI | MMU_EV_AXI_STALLS },
};
const unsigned cover_ngroups = G_NGROUPS;

unsigned cover_group_bins(const struct cover_group *g)
{
	unsigned n = 1;

	for (unsigned d = 0; d < g->ndim; d++)
		n *= g->dim[d].n;
	return n;
}

/* Index i as dimension values (the first dimension varies slowest). */
static void bin_values(const struct cover_group *g, unsigned i, unsigned *v)
{
	for (unsigned d = g->ndim; d-- > 0;) {
		v[d] = i % g->dim[d].n;
		i /= g->dim[d].n;
	}
}

void cover_bin_name(const struct cover_group *g, unsigned i, char *buf,
		    size_t len)
{
	unsigned v[COVER_MAX_DIMS];
	int n = snprintf(buf, len, "%s:", g->name);

	bin_values(g, i, v);
	for (unsigned d = 0; d < g->ndim && n > 0 && (size_t)n < len; d++) {
		const struct cover_dim *dm = &g->dim[d];

		if (dm->labels)
			n += snprintf(buf + n, len - (size_t)n, "%s%s=%s",
				      d ? "," : "", dm->name, dm->labels[v[d]]);
		else
			n += snprintf(buf + n, len - (size_t)n, "%s%s=%u",
				      d ? "," : "", dm->name, v[d]);
	}
}

/* ---- a model: counts and the state before the call ---------------------- */

/* The entries the walk reads, top down, as the golden model holds them. */
struct view {
	bool leaf;
	unsigned leaf_level;
	pte_t e[MMU_MAX_LEVELS + 1];
	uint64_t ea[MMU_MAX_LEVELS + 1];
	bool have[MMU_MAX_LEVELS + 1];
};

struct cover_model {
	struct machine_observer obs;
	struct mmu_config cfg;
	unsigned caps;         /* the MMU_EV_* events recorded into ev */
	struct mmu_events ev;  /* of the call in progress */
	uint64_t *count[G_NGROUPS];
	struct mmu_regs pre;   /* registers before the call */
	struct view view;      /* entries before the access */
	bool have_view;
	bool folded;           /* its bins are defined in the set */
	uint64_t samples;      /* since the last fold */
};

static void bump(struct cover_model *md, enum group_id gi, const unsigned *v)
{
	const struct cover_group *g = &cover_groups[gi];
	unsigned i = 0;

	for (unsigned d = 0; d < g->ndim; d++)
		i = i * g->dim[d].n + v[d];
	md->count[gi][i]++;
	md->samples++;
}

#define SAMPLE(md, gi, ...) bump(md, gi, (const unsigned[]){ __VA_ARGS__ })

/* The golden model inside m (m itself, or lockstep's reference), whose
 * debug path and mem_peek change nothing; NULL when there is none. */
static struct machine *golden_of(struct machine *m)
{
	if (lockstep_is(m))
		m = lockstep_ref(m);
	return m && !strcmp(m->ops->name, "golden") ? m : NULL;
}

/* An entry as the walk would read it: from the L1 line that holds it, else
 * from DRAM. */
static int read_entry(struct machine *g, uint64_t pa, pte_t *e)
{
	const struct mmu_config *c = &g->cfg;
	struct mmu_pa_fields f;
	struct golden_line l;
	uint8_t b[8] = { 0 };
	bool found = false;

	mmu_split_pa(c, pa, &f);
	for (unsigned w = 0; w < c->l1_ways && !found; w++) {
		/* the model's own view of the line: no copy of it */
		found = !golden_l1_line(g, (unsigned)f.ci, w, &l) &&
			l.valid && l.tag == f.ct;
		if (found)
			memcpy(b, l.data + f.co, c->pte_bytes);
	}
	if (!found && machine_mem_peek(g, pa, b, c->pte_bytes))
		return -1;
	*e = 0;
	for (unsigned i = c->pte_bytes; i-- > 0;)
		*e = *e << 8 | b[i];
	return 0;
}

static bool read_view(struct machine *g, uint64_t cr3, uint64_t va,
		      struct view *v)
{
	const struct mmu_config *c = &g->cfg;
	uint64_t table = pt_frame(c, cr3);

	memset(v, 0, sizeof(*v));
	for (unsigned l = (unsigned)c->levels; l >= 1; l--) {
		uint64_t ea = table + pt_index(c, va, l) * c->pte_bytes;

		if (ea + c->pte_bytes > g->mem_bytes ||
		    read_entry(g, ea, &v->e[l]))
			return false;
		v->ea[l] = ea;
		v->have[l] = true;
		if (!(v->e[l] & PTE_P))
			return true;
		if (l == 1 || ((v->e[l] & PTE_PS) && leaf_level_ok(c, l))) {
			v->leaf = true;
			v->leaf_level = l;
			return true;
		}
		if (v->e[l] & PTE_PS)
			return true;  /* PS where no page size: reserved */
		table = pt_frame(c, v->e[l]);
	}
	return true;
}

static unsigned b(uint64_t x, uint64_t mask)
{
	return (x & mask) != 0;
}

/* perm, level, pk, global: what the entries say, with the controls. */
static void sample_rights(struct cover_model *md, const struct mmu_req *r,
			  const struct mmu_outcome *o)
{
	const struct view *v = &md->view;
	const struct mmu_regs *p = &md->pre;
	unsigned rw = 1, us = 1, xd = 0, mode = r->user, op = r->op, key, pv[10];

	for (unsigned l = (unsigned)md->cfg.levels; l >= v->leaf_level; l--) {
		rw &= b(v->e[l], PTE_RW);
		us &= b(v->e[l], PTE_US);
		xd |= b(v->e[l], PTE_XD);
		SAMPLE(md, G_LEVEL, l, b(v->e[l], PTE_US), b(v->e[l], PTE_RW),
		       b(v->e[l], PTE_XD));
	}
	pv[P_MODE] = mode; pv[P_OP] = op; pv[P_RW] = rw; pv[P_US] = us;
	pv[P_XD] = xd; pv[P_WP] = b(p->cr0, CR0_WP);
	pv[P_NXE] = b(p->efer, EFER_NXE); pv[P_SMEP] = b(p->cr4, CR4_SMEP);
	pv[P_SMAP] = b(p->cr4, CR4_SMAP); pv[P_AC] = p->ac;
	perm_fold(pv);
	bump(md, G_PERM, pv);
	if (us) {
		unsigned kv[5];

		key = (unsigned)((v->e[v->leaf_level] & PTE_PKEY_MASK) >>
				 PTE_BIT_PKEY);
		kv[K_PKE] = b(p->cr4, CR4_PKE);
		kv[K_AD] = b(p->pkru, PKRU_AD(key));
		kv[K_WD] = b(p->pkru, PKRU_WD(key));
		kv[K_MODE] = mode;
		kv[K_OP] = op;
		pk_fold(kv);
		bump(md, G_PK, kv);
	}
	if (o->status == MMU_ST_OK)
		SAMPLE(md, G_GLOBAL, b(p->cr4, CR4_PGE),
		       b(v->e[v->leaf_level], PTE_G), o->tlb_hit);
}

/* ad: which of A and D the walker set, at which level. */
static void sample_ad(struct cover_model *md, const struct mmu_outcome *o)
{
	for (unsigned i = 0; i < o->n_ad && i < MMU_MAX_LEVELS; i++)
		for (unsigned l = 1; l <= md->cfg.levels; l++) {
			pte_t set = o->ad[i].value & ~md->view.e[l] &
				    (PTE_A | PTE_D);

			if (!md->view.have[l] || md->view.ea[l] != o->ad[i].pa ||
			    !set)
				continue;
			SAMPLE(md, G_AD, l, set == PTE_A ? AD_A :
			       set == PTE_D ? AD_D : AD_AD);
		}
}

static unsigned source(const struct mmu_outcome *o)
{
	if (!o->walked)
		return SRC_TLB;
	if (o->tlb_hit)
		return SRC_REWALK;
	return o->psc_level ? SRC_PSC2 + o->psc_level - 2u : SRC_WALK;
}

static void sample_access(struct cover_model *md, const struct mmu_req *r,
			  const struct mmu_outcome *o)
{
	const struct mmu_regs *p = &md->pre;

	SAMPLE(md, G_STATUS, o->status, r->op, r->user);
	if (o->status == MMU_ST_PAGE_FAULT)
		SAMPLE(md, G_PFEC, o->error_code & 63u);
	if (o->status == MMU_ST_OK && o->page_level >= 1 && o->page_level <= 3) {
		SAMPLE(md, G_PAGE, o->page_level, r->op, r->user);
		if (o->psc_level <= MMU_MAX_LEVELS)
			SAMPLE(md, G_SOURCE, source(o), o->page_level);
		SAMPLE(md, G_TLB_L1, o->tlb_hit, o->l1_hit, r->op);
	}
	if (o->status != MMU_ST_GP_FAULT)
		SAMPLE(md, G_PCID, b(p->cr4, CR4_PCIDE),
		       b(p->cr4, CR4_PCIDE) && (p->cr3 & 0xfff), o->tlb_hit);
	if (md->have_view && md->view.leaf)
		sample_rights(md, r, o);
	if (md->have_view)
		sample_ad(md, o);
}

/* The events of a call: fills by replacement, AXI bursts and stalls. */
static void sample_events(struct cover_model *md, bool ctl)
{
	const struct mmu_events *e = &md->ev;

	if (e->n_tlb)
		SAMPLE(md, G_TLB_FILL, e->tlb.way, e->tlb.victim == MMU_EV_MATCH ?
		       2u : e->tlb.victim);
	/* (a PSC fill over its own tag cannot happen: psc_fill_def) */
	for (unsigned i = 0; i < e->n_psc && i < MMU_MAX_LEVELS; i++)
		if (e->psc[i].victim <= MMU_EV_CLEAN)
			SAMPLE(md, G_PSC_FILL, e->psc[i].level, e->psc[i].way,
			       e->psc[i].victim);
	for (unsigned i = 0; i < e->n_l1 && i < MMU_EV_MAX_FILLS; i++) {
		SAMPLE(md, G_L1_FILL, e->l1[i].way, e->l1[i].victim);
		if (e->l1[i].level)
			SAMPLE(md, G_WALK_FILL, e->l1[i].level, e->l1[i].victim);
	}
	for (unsigned ph = 0; ph < 2; ph++)
		for (unsigned x = 0; x < 2; x++) {
			const uint32_t *a = e->axi[ph][x];
			unsigned during = ctl ? PH_MAINT : ph == MMU_EV_WALK ?
					  PH_WALK : PH_DATA;

			if (a[MMU_EV_BURSTS])
				SAMPLE(md, G_AXI, x, during);
			for (unsigned k = MMU_EV_ADDR; k <= MMU_EV_RESP; k++)
				if (a[k])
					SAMPLE(md, G_AXI_STALL, x, during,
					       k - MMU_EV_ADDR);
		}
}

static void on_access(void *ctx, struct machine *m, const struct mmu_req *r,
		      const struct mmu_outcome *o)
{
	struct cover_model *md = ctx;
	struct machine *g;

	if (o) {
		sample_access(md, r, o);
		if (md->caps)
			sample_events(md, false);
		return;
	}
	if (md->caps)
		memset(&md->ev, 0, sizeof(md->ev));
	machine_regs(m, &md->pre);
	g = golden_of(m);
	md->have_view = g && read_view(g, md->pre.cr3, r->va, &md->view);
}

static void on_ctl(void *ctx, struct machine *m, const struct mmu_ctl *c,
		   const enum mmu_ctl_result *res)
{
	struct cover_model *md = ctx;
	unsigned gp;

	if (!res) {
		if (md->caps)
			memset(&md->ev, 0, sizeof(md->ev));
		machine_regs(m, &md->pre);
		return;
	}
	if (md->caps)
		sample_events(md, true);
	if ((unsigned)c->op >= MMU_CTL_NOPS)
		return;
	gp = *res == MMU_CTL_GP;
	SAMPLE(md, G_CTL, c->op, gp);
	if (c->op == MMU_CTL_INVPCID && c->type < 4)
		SAMPLE(md, G_INVPCID, c->type, gp);
	if (c->op == MMU_CTL_WRITE_CR3)
		SAMPLE(md, G_CR3, b(md->pre.cr4, CR4_PCIDE), b(c->value, 1ull << 63));
}

/* Events into md: replacement from the golden model (m, or lockstep's
 * reference), the AXI from the machine with the DRAM model (m, or
 * lockstep's DUT); a golden DUT's replacement would count twice. */
static unsigned attach_events(struct cover_model *md, struct machine *m)
{
	struct machine *g = golden_of(m);
	struct machine *d = lockstep_is(m) ? lockstep_dut(m) : m;
	unsigned caps = 0, k;

	if (g)
		caps |= machine_events(g, &md->ev) & MMU_EV_REPLACEMENT;
	if (d && d != g) {
		k = machine_events(d, &md->ev);
		if (k & MMU_EV_AXI)
			caps |= k & (MMU_EV_AXI | MMU_EV_AXI_STALLS);
		else if (k)
			machine_events(d, NULL);
	}
	return caps;
}

int cover_model_new(struct machine *m, struct cover_model **out)
{
	struct cover_model *md = calloc(1, sizeof(*md));

	if (!md)
		return MMU_ENOMEM;
	md->cfg = m->cfg;
	md->cfg.mem_bytes = m->mem_bytes;  /* the machine's, for status_def */
	for (unsigned gi = 0; gi < G_NGROUPS; gi++)
		if (!(md->count[gi] = calloc(cover_group_bins(&cover_groups[gi]),
					     sizeof(uint64_t)))) {
			cover_model_free(md);
			return MMU_ENOMEM;
		}
	md->obs = (struct machine_observer){ .access = on_access,
					      .ctl = on_ctl, .ctx = md };
	md->caps = attach_events(md, m);
	*out = md;
	return 0;
}

void cover_model_free(struct cover_model *md)
{
	if (!md)
		return;
	for (unsigned gi = 0; gi < G_NGROUPS; gi++)
		free(md->count[gi]);
	free(md);
}

const struct machine_observer *cover_model_observer(struct cover_model *md)
{
	return &md->obs;
}

int cover_model_fold(struct cover_model *md, struct cover_set *s)
{
	char name[COVER_NAME_MAX];
	unsigned v[COVER_MAX_DIMS];

	if (md->folded && !md->samples)
		return 0;  /* nothing new */
	for (unsigned gi = 0; gi < G_NGROUPS; gi++) {
		const struct cover_group *g = &cover_groups[gi];

		for (unsigned i = 0; i < cover_group_bins(g); i++) {
			int rc;

			bin_values(g, i, v);
			/* a hit outside the definitions still shows */
			if ((!g->defined(&md->cfg, v) ||
			     (g->needs & md->caps) != g->needs) &&
			    !md->count[gi][i])
				continue;
			cover_bin_name(g, i, name, sizeof(name));
			rc = cover_add(s, name, md->count[gi][i]);
			if (rc)
				return rc;
			md->count[gi][i] = 0;
		}
	}
	md->folded = true;
	md->samples = 0;
	return 0;
}
