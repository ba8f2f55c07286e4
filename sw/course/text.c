/* SPDX-License-Identifier: MIT */
/* The text explanation of one access, in the textbook's vocabulary. */
#include "course.h"

#include <string.h>

static const char *op_word(enum mmu_op op)
{
	return op == MMU_STORE ? "store" : op == MMU_FETCH ? "fetch" : "load";
}

/* The bits of an address, most significant first, with the fields under
 * them (only for addresses of up to 24 bits: the textbook's figures). */
static void draw_bits(FILE *f, const char *name, uint64_t v, unsigned bits,
		      const unsigned *cut, const char *const *label, unsigned n)
{
	if (bits > 24)
		return;
	fprintf(f, "    bit ");
	for (unsigned b = bits; b-- > 0;)
		fprintf(f, "%3u", b);
	fprintf(f, "\n    %-3s ", name);
	for (unsigned b = bits; b-- > 0;)
		fprintf(f, "%3u", (unsigned)(v >> b) & 1);
	fprintf(f, "\n        ");
	/* cut[i]: the lowest bit of field i (fields from the top down). */
	for (unsigned i = 0, hi = bits; i < n; i++) {
		unsigned width = 3 * (hi - cut[i]);
		size_t ln = strlen(label[i]);
		unsigned pad = width > ln + 2 ? (unsigned)(width - ln - 2) : 0;

		fputc('|', f);
		for (unsigned k = 0; k < pad / 2; k++)
			fputc('-', f);
		fprintf(f, " %s ", label[i]);
		for (unsigned k = 0; k < pad - pad / 2 - 1 + (width <= ln + 2); k++)
			fputc('-', f);
		hi = cut[i];
	}
	fprintf(f, "|\n");
}

static void explain_va(const struct mmu_config *c, const struct course_result *r,
		       FILE *f)
{
	unsigned vb = (unsigned)c->va_bits, ps = (unsigned)c->page_shift;
	unsigned ti = (unsigned)c->tlb_index_bits;
	const unsigned cut1[] = { ps, 0 }, cut2[] = { ps + ti, ps, 0 };
	const char *const l1[] = { "VPN", "VPO" }, *const l2[] = { "TLBT", "TLBI", "VPO" };

	fprintf(f, "  VA 0x%02llX: VPN 0x%02llX (bits %u..%u) | VPO 0x%02llX (bits %u..0)\n",
		(unsigned long long)r->req.va, (unsigned long long)r->vf.vpn, vb - 1,
		ps, (unsigned long long)r->vf.vpo, ps - 1);
	fprintf(f, "           VPN = TLBT 0x%02llX | TLBI 0x%02llX\n",
		(unsigned long long)r->vf.tlbt, (unsigned long long)r->vf.tlbi);
	draw_bits(f, "VA", r->req.va, vb, cut1, l1, 2);
	draw_bits(f, "", r->req.va, vb, cut2, l2, 3);
	if (c->levels > 1) {
		fprintf(f, "           VPN = ");
		for (unsigned l = (unsigned)c->levels; l >= 1; l--)
			fprintf(f, "VPN%u 0x%02llX%s", (unsigned)c->levels - l + 1,
				(unsigned long long)r->vf.vpn_index[l - 1], l > 1 ? " | " : "\n");
	}
}

static void explain_tlb(const struct mmu_config *c, const struct course_result *r,
			FILE *f)
{
	const struct mmu_tlb_slot *set = &r->before.tlb[r->vf.tlbi * r->before.tlb_ways];

	fprintf(f, "  TLB set %llu (TLBI), looking for tag 0x%02llX (TLBT):\n",
		(unsigned long long)r->vf.tlbi, (unsigned long long)r->vf.tlbt);
	for (unsigned w = 0; w < r->before.tlb_ways; w++) {
		uint64_t tag = set[w].vpn >> c->tlb_index_bits;

		fprintf(f, "    way %u: tag 0x%02llX valid %d ppn 0x%02llX  ", w,
			(unsigned long long)tag, set[w].valid,
			(unsigned long long)set[w].ppn);
		if ((int)w == r->tlb_way)
			fprintf(f, "<- match\n");
		else if (tag == r->vf.tlbt)
			fprintf(f, "(same tag, but %s)\n", set[w].valid ?
				"another PCID" : "invalid: a stale entry");
		else
			fprintf(f, "(tag differs)\n");
	}
	if (r->o.tlb_hit)
		fprintf(f, "  => TLB hit in way %d: PPN 0x%02llX, R/W=%d U/S=%d%s\n",
			r->tlb_way, (unsigned long long)set[r->tlb_way].ppn,
			set[r->tlb_way].rw, set[r->tlb_way].us,
			r->o.walked ? "; the entry is clean (D=0), so the store "
			"walks to set D in memory" :
			r->o.status == MMU_ST_PAGE_FAULT ? "; the rights refuse "
			"this access" : "");
	else
		fprintf(f, "  => TLB miss: the page walker reads the page table\n");
}

static void explain_entry(const struct mmu_config *c, pte_t e, FILE *f)
{
	fprintf(f, "      raw %#0*llx = PPN 0x%02llX P=%d R/W=%d U/S=%d A=%d D=%d",
		(int)c->pte_bytes * 2 + 2, (unsigned long long)e,
		(unsigned long long)((e >> PTE_FRAME_SHIFT) & ((1ull << c->ppn_bits) - 1)),
		(int)(e & PTE_P), (int)!!(e & PTE_RW), (int)!!(e & PTE_US),
		(int)!!(e & PTE_A), (int)!!(e & PTE_D));
	if (c->levels > 1)
		fprintf(f, " PS=%d", (int)!!(e & PTE_PS));
	if (c->pte_bytes == 8)
		fprintf(f, " XD=%d", (int)!!(e & PTE_XD));
	fputc('\n', f);
}

static void explain_walk(const struct mmu_config *c, const struct course_result *r,
			 FILE *f)
{
	const struct mmu_outcome *o = &r->o;

	if (o->psc_level)
		fprintf(f, "  the paging-structure cache of level %u hit: the walk "
			"starts at level %u\n", o->psc_level, o->psc_level - 1u);
	for (unsigned i = 0; i < r->n_walk; i++) {
		const struct course_walk_step *s = &r->walk[i];

		fprintf(f, "    level %u: table 0x%02llX + index 0x%02llX x %llu = entry at PA 0x%02llX\n",
			s->level, (unsigned long long)s->table,
			(unsigned long long)s->index, (unsigned long long)c->pte_bytes,
			(unsigned long long)s->ea);
		fprintf(f, "      read through the L1: set %u tag 0x%02llX: %s\n", s->l1_set,
			(unsigned long long)s->l1_tag, s->l1_hit ? "hit" :
			"miss, the line is filled from memory (this design's walker "
			"reads through the L1; the book's does not say)");
		explain_entry(c, s->raw, f);
		if (!(s->raw & PTE_P)) {
			fprintf(f, "      P=0: not present\n");
			break;
		}
		fprintf(f, "      rights so far: R/W=%d U/S=%d%s; %s\n", s->rw_so_far,
			s->us_so_far, s->xd_so_far ? " XD=1" : "",
			s->leaf ? "a leaf: its PPN is the translation" :
			"points to the next table");
	}
	for (unsigned i = 0; i < o->n_ad && i < MMU_MAX_LEVELS; i++)
		fprintf(f, "    A/D written: [0x%02llX] = 0x%02llX (read-modify-write through the L1)\n",
			(unsigned long long)o->ad[i].pa, (unsigned long long)o->ad[i].value);
	if (o->status == MMU_ST_OK)
		fprintf(f, "  => the TLB is filled with VPN 0x%02llX -> PPN 0x%02llX\n",
			(unsigned long long)r->vf.vpn, (unsigned long long)r->pf.ppn);
}

static void explain_fault(const struct course_result *r, FILE *f)
{
	const struct mmu_outcome *o = &r->o;
	char ec[48];

	if (o->status == MMU_ST_GP_FAULT) {
		fprintf(f, "  => #GP: the address is not canonical (bits above the "
			"VA width); no TLB lookup, no walk\n");
		return;
	}
	if (o->status == MMU_ST_BUS_ERROR) {
		fprintf(f, "  => bus error: the translation points outside memory\n");
		return;
	}
	fprintf(f, "  => page fault (#PF): %s; error code %s, CR2 = 0x%02llX\n",
		o->error_code & PFEC_RSVD ? "a reserved bit is set in an entry" :
		o->error_code & PFEC_P ? "the rights refuse this access" :
		"the entry is not present (valid = 0)",
		mmu_pfec_str(o->error_code, ec, sizeof(ec)), (unsigned long long)o->cr2);
	fprintf(f, "     the kernel's fault handler runs next; no TLB entry is kept\n");
}

static void explain_cache(const struct mmu_config *c, const struct course_result *r,
			  FILE *f)
{
	unsigned ci = (unsigned)r->pf.ci, ways = r->before.l1_ways;
	const struct mmu_line_slot *b = &r->before.l1[ci * ways], *a = &r->after.l1[ci * ways];
	unsigned pb = (unsigned)c->pa_bits;
	const unsigned cut1[] = { (unsigned)c->page_shift, 0 };
	const unsigned cut2[] = { (unsigned)(c->l1_offset_bits + c->l1_index_bits),
				  (unsigned)c->l1_offset_bits, 0 };
	const char *const l1[] = { "PPN", "PPO" }, *const l2[] = { "CT", "CI", "CO" };

	fprintf(f, "  PA 0x%02llX: PPN 0x%02llX | PPO 0x%02llX;  CT 0x%02llX | CI 0x%02llX | CO 0x%02llX\n",
		(unsigned long long)r->o.pa, (unsigned long long)r->pf.ppn,
		(unsigned long long)r->pf.ppo, (unsigned long long)r->pf.ct,
		(unsigned long long)r->pf.ci, (unsigned long long)r->pf.co);
	draw_bits(f, "PA", r->o.pa, pb, cut1, l1, 2);
	draw_bits(f, "", r->o.pa, pb, cut2, l2, 3);
	fprintf(f, "  L1 set %u (CI), looking for tag 0x%02llX (CT), before the access:\n",
		ci, (unsigned long long)r->pf.ct);
	for (unsigned w = 0; w < ways; w++)
		fprintf(f, "    way %u: tag 0x%02llX valid %d dirty %d  %s\n", w,
			(unsigned long long)b[w].tag, b[w].valid, b[w].dirty,
			b[w].valid && b[w].tag == r->pf.ct ? "<- match" :
			b[w].tag == r->pf.ct ? "(same tag, invalid)" : "(tag differs)");
	if (r->data_line_evicted_by_walk)
		fprintf(f, "  where this design differs from the book: the walk read "
			"its entry through the L1 and evicted this line, so the "
			"access misses where the figure says hit\n");
	if (r->o.l1_hit) {
		fprintf(f, "  => L1 hit");
	} else {
		fprintf(f, "  => L1 miss: the line at PA 0x%02llX is filled from memory",
			(unsigned long long)(r->o.pa & ~(c->l1_line - 1)));
		for (unsigned w = 0; w < ways; w++)
			if (a[w].valid && a[w].tag == r->pf.ct && b[w].valid &&
			    b[w].tag != r->pf.ct)
				fprintf(f, " into way %u, replacing tag 0x%02llX%s", w,
					(unsigned long long)b[w].tag,
					b[w].dirty ? " (dirty: written back first)" : "");
	}
	if (r->req.op == MMU_STORE)
		fprintf(f, "; the store writes %u byte(s) at CO 0x%02llX and marks the "
			"line dirty\n", r->req.size, (unsigned long long)r->pf.co);
	else
		fprintf(f, "; %u byte(s) at CO 0x%02llX: 0x%02llX\n", r->req.size,
			(unsigned long long)r->pf.co, (unsigned long long)r->o.rdata);
}

static void explain_cycles(const struct course_result *r, FILE *f)
{
	const struct course_cycles *y = &r->cyc;
	unsigned n = y->n < COURSE_MAX_CYCLES ? y->n : COURSE_MAX_CYCLES;

	if (!y->n)
		return;
	fprintf(f, "  RTL, cycle by cycle (sequencer / walker / L1 fill FSM after each edge):\n");
	for (unsigned i = 0; i < n;) {
		unsigned j = i + 1;

		while (j < n && y->top[j] == y->top[i] && y->ptw[j] == y->ptw[i] &&
		       y->l1[j] == y->l1[i])
			j++;
		if (j - i > 1)
			fprintf(f, "    cycles %3u-%-3u %-8s %-10s %s\n", i + 1, j,
				y->top[i], y->ptw[i], y->l1[i]);
		else
			fprintf(f, "    cycle  %-7u %-8s %-10s %s\n", i + 1, y->top[i],
				y->ptw[i], y->l1[i]);
		i = j;
	}
	if (y->n > n)
		fprintf(f, "    ... %u more cycles\n", y->n - n);
}

void course_explain_text(const struct machine *m, const struct course_result *r,
			 FILE *f)
{
	const struct mmu_config *c = &m->cfg;
	const struct mmu_outcome *o = &r->o;

	fprintf(f, "== %s %s of %u byte(s) at VA 0x%02llX\n",
		r->req.user ? "user" : "supervisor", op_word(r->req.op), r->req.size,
		(unsigned long long)r->req.va);
	if (o->status == MMU_ST_GP_FAULT) {
		explain_fault(r, f);
		explain_cycles(r, f);
		return;
	}
	explain_va(c, r, f);
	explain_tlb(c, r, f);
	if (o->walked)
		explain_walk(c, r, f);
	if (o->status != MMU_ST_OK) {
		explain_fault(r, f);
	} else {
		if (r->tlb_way >= 0 && o->tlb_hit != (r->tlb_way >= 0))
			fprintf(f, "  NOTE: the machine's TLB answer differs from the "
				"state read back\n");
		explain_cache(c, r, f);
	}
	fprintf(f, "  outcome: %s", mmu_status_str(o->status));
	if (o->cycles)
		fprintf(f, " in %u cycle(s)", o->cycles);
	fputc('\n', f);
	explain_cycles(r, f);
}
