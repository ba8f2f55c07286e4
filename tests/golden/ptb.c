/* SPDX-License-Identifier: MIT */
#include "ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static uint64_t table_bytes(const struct machine *m)
{
	return (1ull << m->cfg.index_bits) * m->cfg.pte_bytes;
}

static uint64_t page_round(const struct machine *m, uint64_t v)
{
	uint64_t ps = 1ull << m->cfg.page_shift;

	return (v + ps - 1) & ~(ps - 1);
}

static uint64_t alloc_table(struct ptb *p)
{
	uint64_t pa = p->next;
	uint8_t zero[256] = { 0 };
	uint64_t n = table_bytes(p->m);

	for (uint64_t off = 0; off < n; off += sizeof(zero))
		assert_int_equal(machine_phys_write(p->m, pa + off, zero,
						    sizeof(zero) < n ? sizeof(zero) : n),
				 0);
	p->next = page_round(p->m, pa + n);
	return pa;
}

void ptb_init(struct ptb *p, struct machine *m, uint64_t first_pa)
{
	p->m = m;
	p->next = first_pa;
	p->root = alloc_table(p);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3,
					  ptb_entry(m, p->root, 0)),
			 0);
}

pte_t ptb_entry(const struct machine *m, uint64_t pa, pte_t flags)
{
	return ((pa >> m->cfg.page_shift) << PTE_FRAME_SHIFT) | flags;
}

static uint64_t index_at(const struct machine *m, uint64_t va, unsigned level)
{
	uint64_t vpn = va >> m->cfg.page_shift;

	return (vpn >> ((level - 1) * m->cfg.index_bits)) &
	       ((1ull << m->cfg.index_bits) - 1);
}

static uint64_t frame_of(const struct machine *m, pte_t e)
{
	return ((e >> PTE_FRAME_SHIFT) & ((1ull << m->cfg.ppn_bits) - 1))
	       << m->cfg.page_shift;
}

uint64_t ptb_entry_addr(struct ptb *p, uint64_t va, unsigned level)
{
	uint64_t table = p->root;

	for (unsigned l = (unsigned)p->m->cfg.levels; l > level; l--) {
		pte_t e;

		assert_int_equal(machine_pte_read(p->m, table +
				 index_at(p->m, va, l) * p->m->cfg.pte_bytes, &e), 0);
		assert_true(e & PTE_P);
		table = frame_of(p->m, e);
	}
	return table + index_at(p->m, va, level) * p->m->cfg.pte_bytes;
}

void ptb_map(struct ptb *p, uint64_t va, uint64_t pa, unsigned level,
	     pte_t leaf_flags, pte_t table_flags)
{
	uint64_t table = p->root;
	unsigned pte = (unsigned)p->m->cfg.pte_bytes;

	for (unsigned l = (unsigned)p->m->cfg.levels; l > level; l--) {
		uint64_t ea = table + index_at(p->m, va, l) * pte;
		pte_t e;

		assert_int_equal(machine_pte_read(p->m, ea, &e), 0);
		if (!(e & PTE_P)) {
			e = ptb_entry(p->m, alloc_table(p), table_flags | PTE_P);
			assert_int_equal(machine_pte_write(p->m, ea, e), 0);
		}
		table = frame_of(p->m, e);
	}
	assert_int_equal(machine_pte_write(p->m,
			 table + index_at(p->m, va, level) * pte,
			 ptb_entry(p->m, pa, leaf_flags | PTE_P |
				   (level > 1 ? PTE_PS : 0))), 0);
}

pte_t ptb_read(struct ptb *p, uint64_t va, unsigned level)
{
	pte_t e;

	assert_int_equal(machine_pte_read(p->m, ptb_entry_addr(p, va, level), &e), 0);
	return e;
}

void ptb_write(struct ptb *p, uint64_t va, unsigned level, pte_t v)
{
	assert_int_equal(machine_pte_write(p->m, ptb_entry_addr(p, va, level), v), 0);
}

struct mmu_outcome acc(struct machine *m, enum mmu_op op, uint64_t va,
		       unsigned size, bool user, uint64_t wdata)
{
	struct mmu_req r = { .va = va, .op = op, .size = size, .user = user,
			     .wdata = wdata };
	struct mmu_outcome o;

	assert_int_equal(machine_access(m, &r, &o), 0);
	return o;
}

void ctl(struct machine *m, enum mmu_ctl_op op, uint64_t value)
{
	assert_int_equal(machine_write_cr(m, op, value), 0);
}

struct machine *new_machine(const char *cfg_name, uint64_t mem_bytes)
{
	struct mmu_config cfg;
	struct machine *m = NULL;
	char err[256];

	if (mmu_config_load(cfg_name, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	if (golden_create(&cfg, mem_bytes, &m, err, sizeof(err)))
		fail_msg("%s", err);
	return m;
}
