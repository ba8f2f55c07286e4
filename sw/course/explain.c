/* SPDX-License-Identifier: MIT */
/*
 * One access explained in the textbook's vocabulary.  The machine answers
 * the access (golden, RTL or lockstep); the steps around its outcome come
 * from the state read back through the debug path before and after it: the
 * TLB set compared way by way, the walk's entries as memory and the L1 held
 * them, the cache set compared way by way, fills and write-backs.  The
 * derived story is checked against the machine's outcome (a disagreement is
 * printed, never hidden).
 */
#include "course.h"

#include <stdlib.h>
#include <string.h>

/* ---- snapshots -------------------------------------------------------- */

int course_snap_take(struct machine *m, struct course_snap *s, char *err,
		     size_t errlen)
{
	const struct mmu_config *c = &m->cfg;

	memset(s, 0, sizeof(*s));
	s->tlb_sets = (unsigned)c->tlb_sets;
	s->tlb_ways = (unsigned)c->tlb_ways;
	s->l1_sets = (unsigned)c->l1_sets;
	s->l1_ways = (unsigned)c->l1_ways;
	s->tlb = calloc((size_t)s->tlb_sets * s->tlb_ways, sizeof(*s->tlb));
	s->l1 = calloc((size_t)s->l1_sets * s->l1_ways, sizeof(*s->l1));
	if (!s->tlb || !s->l1) {
		course_snap_free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < s->tlb_sets * s->tlb_ways; i++)
		if (machine_tlb_read(m, i / s->tlb_ways, i % s->tlb_ways, &s->tlb[i]))
			goto fail;
	for (unsigned i = 0; i < s->l1_sets * s->l1_ways; i++)
		if (machine_line_read(m, i / s->l1_ways, i % s->l1_ways, &s->l1[i]))
			goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s", m->err);
	course_snap_free(s);
	return -1;
}

void course_snap_free(struct course_snap *s)
{
	free(s->tlb);
	free(s->l1);
	s->tlb = NULL;
	s->l1 = NULL;
}

void course_result_free(struct course_result *r)
{
	course_snap_free(&r->before);
	course_snap_free(&r->after);
}

/* ---- the walk, from the state before the access ----------------------- */

static int find_line(const struct course_snap *s, unsigned set, uint64_t tag)
{
	for (unsigned w = 0; w < s->l1_ways; w++) {
		const struct mmu_line_slot *l = &s->l1[set * s->l1_ways + w];

		if (l->valid && l->tag == tag)
			return (int)w;
	}
	return -1;
}

/* The entry at ea as the walker sees it, over a shadow of the L1 taken
 * before the access: from the shadow line when it is there, else from
 * memory, which then fills the shadow, so that a later level sees the line
 * an earlier one brought in. */
static int shadow_read(struct machine *m, void *ctx, struct course_walk_step *st)
{
	const struct mmu_config *c = &m->cfg;
	struct course_snap *shadow = ctx;
	uint64_t line = st->ea & ~(c->l1_line - 1);
	unsigned off = (unsigned)(st->ea - line), n = (unsigned)c->pte_bytes;
	struct mmu_line_slot *l;
	int w;

	w = find_line(shadow, st->l1_set, st->l1_tag);
	st->l1_hit = w >= 0;
	if (w < 0) {
		w = 0;  /* the lowest invalid way, else (unknown PLRU) way 0 */
		for (unsigned i = shadow->l1_ways; i-- > 0;)
			if (!shadow->l1[st->l1_set * shadow->l1_ways + i].valid)
				w = (int)i;
		l = &shadow->l1[st->l1_set * shadow->l1_ways + (unsigned)w];
		if (line + c->l1_line > m->mem_bytes ||
		    m->ops->mem_peek(m, line, l->data, c->l1_line))
			return -1;
		l->valid = true;
		l->dirty = false;
		l->tag = st->l1_tag;
		st->from_dram = true;
	}
	l = &shadow->l1[st->l1_set * shadow->l1_ways + (unsigned)w];
	st->raw = 0;
	for (unsigned i = n; i-- > 0;)
		st->raw = st->raw << 8 | l->data[off + i];
	return 0;
}

typedef int (*entry_reader)(struct machine *m, void *ctx,
			    struct course_walk_step *st);

/* The walk of vf from CR3, entry by entry, each read by `read`; rights
 * combined as the walker combines them.  Returns the steps taken. */
static unsigned walk_steps(struct machine *m, uint64_t cr3,
			   const struct mmu_va_fields *vf, entry_reader read,
			   void *ctx, struct course_walk_step *steps)
{
	const struct mmu_config *c = &m->cfg;
	uint64_t ppn_mask = (1ull << c->ppn_bits) - 1;
	uint64_t table = ((cr3 >> PTE_FRAME_SHIFT) & ppn_mask) << c->page_shift;
	bool rw = true, us = true, xd = false;
	unsigned n = 0;

	for (unsigned level = (unsigned)c->levels; level >= 1; level--) {
		struct course_walk_step *st = &steps[n];

		memset(st, 0, sizeof(*st));
		st->level = level;
		st->table = table;
		st->index = vf->vpn_index[level - 1];
		st->ea = table + st->index * c->pte_bytes;
		st->l1_set = (unsigned)((st->ea >> c->l1_offset_bits) & (c->l1_sets - 1));
		st->l1_tag = st->ea >> (c->l1_offset_bits + c->l1_index_bits);
		if (read(m, ctx, st))
			break;
		n++;
		if (!(st->raw & PTE_P))
			break;
		rw = rw && (st->raw & PTE_RW);
		us = us && (st->raw & PTE_US);
		xd = xd || (c->pte_bytes == 8 && (st->raw & PTE_XD));
		st->rw_so_far = rw;
		st->us_so_far = us;
		st->xd_so_far = xd;
		st->leaf = level == 1 || (st->raw & PTE_PS);
		if (st->leaf)
			break;
		table = ((st->raw >> PTE_FRAME_SHIFT) & ppn_mask) << c->page_shift;
	}
	return n;
}

static void derive_walk(struct machine *m, const struct mmu_regs *regs,
			const struct course_snap *before, struct course_result *r)
{
	struct course_snap shadow = *before;
	size_t n = (size_t)before->l1_sets * before->l1_ways;

	shadow.l1 = malloc(n * sizeof(*shadow.l1));
	if (!shadow.l1)
		return;
	memcpy(shadow.l1, before->l1, n * sizeof(*shadow.l1));
	r->n_walk = walk_steps(m, regs->cr3, &r->vf, shadow_read, &shadow, r->walk);
	free(shadow.l1);
}

int course_peek(struct machine *m, uint64_t pa, void *buf, size_t n, bool *in_l1)
{
	const struct mmu_config *c = &m->cfg;
	uint64_t line = pa & ~(c->l1_line - 1);
	unsigned set = (unsigned)((pa >> c->l1_offset_bits) & (c->l1_sets - 1));
	uint64_t tag = pa >> (c->l1_offset_bits + c->l1_index_bits);

	*in_l1 = false;
	if (pa + n > line + c->l1_line || pa + n > m->mem_bytes)
		return -1;
	for (unsigned w = 0; w < c->l1_ways; w++) {
		struct mmu_line_slot l;

		if (machine_line_read(m, set, w, &l))
			return -1;
		if (l.valid && l.tag == tag) {
			memcpy(buf, l.data + (pa - line), n);
			*in_l1 = true;
			return 0;
		}
	}
	return m->ops->mem_peek(m, pa, buf, n) ? -1 : 0;
}

static int peek_read(struct machine *m, void *ctx, struct course_walk_step *st)
{
	uint8_t b[8] = { 0 };

	(void)ctx;
	if (course_peek(m, st->ea, b, m->cfg.pte_bytes, &st->l1_hit))
		return -1;
	st->from_dram = !st->l1_hit;
	for (unsigned i = (unsigned)m->cfg.pte_bytes; i-- > 0;)
		st->raw = st->raw << 8 | b[i];
	return 0;
}

unsigned course_walk_now(struct machine *m, uint64_t va,
			 struct course_walk_step *steps)
{
	struct mmu_regs regs;
	struct mmu_va_fields vf;

	m->ops->regs(m, &regs);
	mmu_split_va(&m->cfg, va, &vf);
	return walk_steps(m, regs.cr3, &vf, peek_read, NULL, steps);
}

/* ---- running and marking ---------------------------------------------- */

static void set_truth(struct course_result *r, enum course_field f, uint64_t v,
		      const char *why)
{
	r->truth[f] = v;
	r->known[f] = true;
	snprintf(r->why[f], sizeof(r->why[f]), "%s", why);
}

static void fill_truth(const struct mmu_config *c, struct course_result *r)
{
	const struct mmu_outcome *o = &r->o;
	char why[160];

	if (o->status == MMU_ST_GP_FAULT) {
		set_truth(r, CF_FAULT, COURSE_FAULT_GP, "the address is not "
			  "canonical: #GP before any lookup");
		return;
	}
	snprintf(why, sizeof(why), "VA bits %llu..%llu",
		 (unsigned long long)c->va_bits - 1, (unsigned long long)c->page_shift);
	set_truth(r, CF_VPN, r->vf.vpn, why);
	snprintf(why, sizeof(why), "VA bits %llu..0", (unsigned long long)c->page_shift - 1);
	set_truth(r, CF_VPO, r->vf.vpo, why);
	snprintf(why, sizeof(why), "the low %llu bits of the VPN (%llu sets)",
		 (unsigned long long)c->tlb_index_bits, (unsigned long long)c->tlb_sets);
	set_truth(r, CF_TLBI, r->vf.tlbi, why);
	set_truth(r, CF_TLBT, r->vf.tlbt, "the VPN bits above TLBI");
	if (r->tlb_way >= 0)
		snprintf(why, sizeof(why), "way %d of set %llu is valid with tag 0x%02llX",
			 r->tlb_way, (unsigned long long)r->vf.tlbi,
			 (unsigned long long)r->vf.tlbt);
	else
		snprintf(why, sizeof(why), "no valid way of set %llu has tag 0x%02llX",
			 (unsigned long long)r->vf.tlbi, (unsigned long long)r->vf.tlbt);
	set_truth(r, CF_TLB, o->tlb_hit, why);
	if (o->status == MMU_ST_PAGE_FAULT) {
		set_truth(r, CF_FAULT, COURSE_FAULT_PF, o->error_code & PFEC_P ?
			  "the entry is present but the rights refuse the access" :
			  "the page-table entry is not present (valid = 0)");
		return;
	}
	if (o->status == MMU_ST_BUS_ERROR) {
		set_truth(r, CF_FAULT, COURSE_FAULT_BUS, "the translation points "
			  "outside physical memory");
		return;
	}
	set_truth(r, CF_FAULT, COURSE_FAULT_NONE, "a valid translation that "
		  "allows the access");
	set_truth(r, CF_PPN, r->pf.ppn, o->tlb_hit && !o->walked ?
		  "from the TLB entry that hit" : "from the page-table entry");
	set_truth(r, CF_PA, o->pa, "PPN followed by PPO (= VPO)");
	snprintf(why, sizeof(why), "PA bits %llu..0", (unsigned long long)c->l1_offset_bits - 1);
	set_truth(r, CF_CO, r->pf.co, why);
	snprintf(why, sizeof(why), "PA bits %llu..%llu (%llu sets)",
		 (unsigned long long)(c->l1_offset_bits + c->l1_index_bits - 1),
		 (unsigned long long)c->l1_offset_bits, (unsigned long long)c->l1_sets);
	set_truth(r, CF_CI, r->pf.ci, why);
	set_truth(r, CF_CT, r->pf.ct, "the PA bits above CI");
	if (o->l1_hit)
		snprintf(why, sizeof(why), "set %llu holds a valid line with tag 0x%02llX",
			 (unsigned long long)r->pf.ci, (unsigned long long)r->pf.ct);
	else
		snprintf(why, sizeof(why), "no valid line of set %llu has tag 0x%02llX%s",
			 (unsigned long long)r->pf.ci, (unsigned long long)r->pf.ct,
			 r->data_line_evicted_by_walk ?
			 " (it did before the access: the walk's PTE read evicted it)" : "");
	set_truth(r, CF_CACHE, o->l1_hit, why);
	if (r->req.op != MMU_STORE)
		set_truth(r, CF_DATA, o->rdata, o->l1_hit ? "the bytes at CO of the "
			  "line that hit" : "memory's bytes, after the line fill");
}

int course_run_access(struct machine *m, const struct course_access *a,
		      const struct course_hooks *hooks, struct course_result *r,
		      char *err, size_t errlen)
{
	const struct mmu_config *c = &m->cfg;
	struct mmu_regs regs;
	uint16_t pcid;
	const struct mmu_tlb_slot *set;

	memset(r, 0, sizeof(*r));
	r->req = a->req;
	r->tlb_way = -1;
	if (course_snap_take(m, &r->before, err, errlen))
		return -1;
	m->ops->regs(m, &regs);
	pcid = (regs.cr4 & CR4_PCIDE) ? (uint16_t)(regs.cr3 & CR3_PCID_MASK) : 0;
	mmu_split_va(c, a->req.va, &r->vf);
	set = &r->before.tlb[r->vf.tlbi * r->before.tlb_ways];
	for (unsigned w = 0; w < r->before.tlb_ways && r->tlb_way < 0; w++)
		if (set[w].valid && set[w].vpn == r->vf.vpn &&
		    (set[w].global || set[w].pcid == pcid))
			r->tlb_way = (int)w;
	if (r->tlb_way < 0 || (a->req.op == MMU_STORE && !set[r->tlb_way].dirty))
		derive_walk(m, &regs, &r->before, r);
	if (hooks && hooks->start)
		hooks->start(hooks->ctx);
	if (machine_access(m, &a->req, &r->o)) {
		snprintf(err, errlen, "%s", m->err);
		if (hooks && hooks->stop)
			hooks->stop(hooks->ctx, r);
		course_result_free(r);
		return -1;
	}
	if (hooks && hooks->stop)
		hooks->stop(hooks->ctx, r);
	if (!r->o.walked)
		r->n_walk = 0;
	if (r->o.psc_level && r->n_walk) {  /* levels the PSC skipped */
		unsigned skip = (unsigned)c->levels - (r->o.psc_level - 1u);

		if (skip > r->n_walk)
			skip = r->n_walk;
		memmove(r->walk, r->walk + skip, (r->n_walk - skip) * sizeof(r->walk[0]));
		r->n_walk -= skip;
	}
	mmu_split_pa(c, r->o.pa, &r->pf);
	r->data_line_evicted_by_walk = r->o.status == MMU_ST_OK && !r->o.l1_hit &&
		r->o.walked && find_line(&r->before, (unsigned)r->pf.ci, r->pf.ct) >= 0;
	if (course_snap_take(m, &r->after, err, errlen)) {
		course_result_free(r);
		return -1;
	}
	fill_truth(c, r);
	return 0;
}

const char *course_field_str(enum course_field k, uint64_t v, char *buf,
			     size_t len)
{
	static const char *const faults[] = { "none", "pf", "gp", "bus" };

	if (k == CF_TLB || k == CF_CACHE)
		snprintf(buf, len, "%s", v ? "hit" : "miss");
	else if (k == CF_FAULT)
		snprintf(buf, len, "%s", v < 4 ? faults[v] : "?");
	else
		snprintf(buf, len, "0x%02llX", (unsigned long long)v);
	return buf;
}

unsigned course_mark(const struct course_access *a, const struct course_result *r,
		     FILE *f, unsigned *right)
{
	unsigned wrong = 0;

	for (int k = 0; k < CF_N; k++) {
		char got[32], want[32];

		if (!a->ans.given[k])
			continue;
		course_field_str((enum course_field)k, a->ans.v[k], got, sizeof(got));
		if (!r->known[k]) {
			fprintf(f, "  %-5s %-8s WRONG: this access has no %s (%s)\n",
				course_field_key[k], got, course_field_doc[k],
				r->o.status == MMU_ST_OK ? "a store returns no data" :
				"it faulted before");
			wrong++;
			continue;
		}
		course_field_str((enum course_field)k, r->truth[k], want, sizeof(want));
		if (r->truth[k] == a->ans.v[k]) {
			fprintf(f, "  %-5s %-8s right\n", course_field_key[k], got);
			++*right;
		} else {
			fprintf(f, "  %-5s %-8s WRONG: %s, %s\n", course_field_key[k],
				got, want, r->why[k]);
			wrong++;
		}
	}
	return wrong;
}
