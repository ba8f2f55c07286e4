/* SPDX-License-Identifier: MIT */
/* An exercise's state into a machine: registers, memory and page tables
 * through the coherent path, the TLB and the L1 through the debug path. */
#include "course.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int lerr(const struct course_ex *ex, unsigned line, char *err,
		size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int lerr(const struct course_ex *ex, unsigned line, char *err,
		size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = line ? snprintf(err, errlen, "%s:%u:1: ", ex->path, line)
		     : snprintf(err, errlen, "%s: ", ex->path);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int load_regs(struct machine *m, const struct course_ex *ex,
		     uint64_t *ptbr, char *err, size_t errlen)
{
	const struct mmu_config *c = &m->cfg;
	uint64_t cr3 = 0;

	if (ex->has_cr0 && machine_write_cr(m, MMU_CTL_WRITE_CR0, ex->cr0))
		return lerr(ex, 0, err, errlen, "CR0 %#llx refused (#GP)",
			    (unsigned long long)ex->cr0);
	if (ex->has_efer && machine_write_cr(m, MMU_CTL_WRITE_EFER, ex->efer))
		return lerr(ex, 0, err, errlen, "EFER %#llx refused (#GP)",
			    (unsigned long long)ex->efer);
	if (ex->has_ptbr) {
		if (ex->ptbr & ((1ull << c->page_shift) - 1) ||
		    ex->ptbr >= m->mem_bytes)
			return lerr(ex, 0, err, errlen, "ptbr %#llx: expected a "
				    "page-aligned address inside the %llu bytes of "
				    "memory", (unsigned long long)ex->ptbr,
				    (unsigned long long)m->mem_bytes);
		cr3 = (ex->ptbr >> c->page_shift) << PTE_FRAME_SHIFT;
	}
	if (ex->has_cr3)
		cr3 = ex->cr3;
	*ptbr = ((cr3 >> PTE_FRAME_SHIFT) & ((1ull << c->ppn_bits) - 1)) << c->page_shift;
	if (machine_write_cr(m, MMU_CTL_WRITE_CR3, cr3))
		return lerr(ex, 0, err, errlen, "CR3 %#llx refused (#GP)",
			    (unsigned long long)cr3);
	if (ex->has_cr4 && machine_write_cr(m, MMU_CTL_WRITE_CR4, ex->cr4))
		return lerr(ex, 0, err, errlen, "CR4 %#llx refused (#GP)",
			    (unsigned long long)ex->cr4);
	return 0;
}

static uint64_t line_pa(const struct mmu_config *c, unsigned set, uint64_t tag)
{
	return ((tag << c->l1_index_bits) | set) << c->l1_offset_bits;
}

/* Memory: the valid lines' bytes (memory agrees with a clean line), then
 * the mem statements, then the page tables (which win). */
static int load_memory(struct machine *m, const struct course_ex *ex,
		       uint64_t ptbr, char *err, size_t errlen)
{
	const struct mmu_config *c = &m->cfg;

	for (unsigned i = 0; i < ex->n_line; i++) {
		const struct course_line_item *it = &ex->lines[i];
		uint64_t pa = line_pa(c, it->set, it->l.tag);

		if (it->nbytes && it->nbytes != c->l1_line)
			return lerr(ex, it->line, err, errlen, "expected %llu bytes "
				    "(a line), found %u", (unsigned long long)c->l1_line,
				    it->nbytes);
		if (it->l.valid && it->nbytes && it->set < c->l1_sets &&
		    pa + c->l1_line <= m->mem_bytes &&
		    machine_phys_write(m, pa, it->l.data, it->nbytes))
			return lerr(ex, it->line, err, errlen, "%s", m->err);
	}
	for (unsigned i = 0; i < ex->n_mem; i++) {
		const struct course_mem_item *it = &ex->mem[i];

		if (it->pa >= m->mem_bytes || it->n > m->mem_bytes - it->pa)
			return lerr(ex, it->line, err, errlen, "mem %#llx +%u is "
				    "outside the %llu bytes of memory",
				    (unsigned long long)it->pa, it->n,
				    (unsigned long long)m->mem_bytes);
		if (machine_phys_write(m, it->pa, it->b, it->n))
			return lerr(ex, it->line, err, errlen, "%s", m->err);
	}
	for (unsigned i = 0; i < ex->n_pte; i++) {
		const struct course_pte_item *it = &ex->pte[i];
		uint64_t ea;

		if (it->by_vpn) {
			if (c->levels != 1)
				return lerr(ex, it->line, err, errlen, "'pte VPN' is for "
					    "one-level tables; %s has %llu levels: use "
					    "'pte L<level> TABLE INDEX'", c->name,
					    (unsigned long long)c->levels);
			if (it->vpn >> c->vpn_bits)
				return lerr(ex, it->line, err, errlen, "VPN %#llx is wider "
					    "than %llu bits", (unsigned long long)it->vpn,
					    (unsigned long long)c->vpn_bits);
			ea = ptbr + it->vpn * c->pte_bytes;
		} else {
			if (it->level > c->levels || it->index >> c->index_bits ||
			    it->table & ((1ull << c->page_shift) - 1))
				return lerr(ex, it->line, err, errlen, "expected a level "
					    "1..%llu, a page-aligned table and an index "
					    "below %llu", (unsigned long long)c->levels,
					    1ull << c->index_bits);
			ea = it->table + it->index * c->pte_bytes;
		}
		if (c->pte_bytes == 4 && it->value >> 32)
			return lerr(ex, it->line, err, errlen, "the entry %#llx does "
				    "not fit in 4 bytes", (unsigned long long)it->value);
		if (ea + c->pte_bytes > m->mem_bytes)
			return lerr(ex, it->line, err, errlen, "the entry's address "
				    "%#llx is outside memory", (unsigned long long)ea);
		if (machine_pte_write(m, ea, it->value))
			return lerr(ex, it->line, err, errlen, "%s", m->err);
	}
	/* Everything to memory, nothing left in the L1. */
	if (machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0))
		return lerr(ex, 0, err, errlen, "%s", m->err);
	return 0;
}

/* Every slot invalid first, so the state is exactly the file's. */
static int load_tlb(struct machine *m, const struct course_ex *ex, char *err,
		    size_t errlen)
{
	const struct mmu_config *c = &m->cfg;
	unsigned *seen = calloc(c->tlb_sets * c->tlb_ways, sizeof(*seen));

	if (!seen)
		return lerr(ex, 0, err, errlen, "out of memory");
	for (unsigned s = 0; s < c->tlb_sets; s++)
		for (unsigned w = 0; w < c->tlb_ways; w++) {
			struct mmu_tlb_slot e = { .vpn = s, .level = 1 };

			if (machine_tlb_write(m, s, w, &e))
				goto fail_m;
		}
	for (unsigned i = 0; i < ex->n_tlb; i++) {
		const struct course_tlb_item *it = &ex->tlb[i];
		struct mmu_tlb_slot e = it->e;
		unsigned *prev;

		if (it->set >= c->tlb_sets || it->way >= c->tlb_ways) {
			free(seen);
			return lerr(ex, it->line, err, errlen, "TLB set %u way %u: "
				    "%s has %llu sets of %llu ways", it->set, it->way,
				    c->name, (unsigned long long)c->tlb_sets,
				    (unsigned long long)c->tlb_ways);
		}
		prev = &seen[it->set * c->tlb_ways + it->way];
		if (*prev) {
			unsigned first = *prev;

			free(seen);
			return lerr(ex, it->line, err, errlen, "TLB set %u way %u "
				    "already given on line %u", it->set, it->way, first);
		}
		*prev = it->line;
		if (it->by_tag) {
			if (it->tag >> c->tlb_tag_bits) {
				free(seen);
				return lerr(ex, it->line, err, errlen, "tag %#llx is wider "
					    "than TLBT (%llu bits)",
					    (unsigned long long)it->tag,
					    (unsigned long long)c->tlb_tag_bits);
			}
			e.vpn = it->tag << c->tlb_index_bits | it->set;
		}
		if (machine_tlb_write(m, it->set, it->way, &e)) {
			free(seen);
			return lerr(ex, it->line, err, errlen, "%s", m->err);
		}
	}
	free(seen);
	return 0;
fail_m:
	free(seen);
	return lerr(ex, 0, err, errlen, "%s", m->err);
}

static int load_l1(struct machine *m, const struct course_ex *ex, char *err,
		   size_t errlen)
{
	const struct mmu_config *c = &m->cfg;
	unsigned *seen = calloc(c->l1_sets * c->l1_ways, sizeof(*seen));
	static const struct mmu_line_slot empty;
	int rc = 0;

	if (!seen)
		return lerr(ex, 0, err, errlen, "out of memory");
	for (unsigned s = 0; s < c->l1_sets && !rc; s++)
		for (unsigned w = 0; w < c->l1_ways && !rc; w++)
			if (machine_line_write(m, s, w, &empty))
				rc = lerr(ex, 0, err, errlen, "%s", m->err);
	for (unsigned i = 0; i < ex->n_line && !rc; i++) {
		const struct course_line_item *it = &ex->lines[i];
		unsigned *prev;

		if (it->set >= c->l1_sets || it->way >= c->l1_ways) {
			rc = lerr(ex, it->line, err, errlen, "cache set %u way %u: %s "
				  "has %llu sets of %llu ways", it->set, it->way,
				  c->name, (unsigned long long)c->l1_sets,
				  (unsigned long long)c->l1_ways);
			break;
		}
		prev = &seen[it->set * c->l1_ways + it->way];
		if (*prev) {
			rc = lerr(ex, it->line, err, errlen, "cache set %u way %u "
				  "already given on line %u", it->set, it->way, *prev);
			break;
		}
		*prev = it->line;
		if (machine_line_write(m, it->set, it->way, &it->l))
			rc = lerr(ex, it->line, err, errlen, "%s", m->err);
	}
	free(seen);
	return rc;
}

int course_load(struct machine *m, const struct course_ex *ex, char *err,
		size_t errlen)
{
	uint64_t ptbr = 0;

	if (load_regs(m, ex, &ptbr, err, errlen) ||
	    load_memory(m, ex, ptbr, err, errlen) ||
	    load_tlb(m, ex, err, errlen) || load_l1(m, ex, err, errlen))
		return -1;
	return 0;
}
