/* SPDX-License-Identifier: MIT */
#include "ptb.h"
#include "../../sw/machine/pagetable.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static uint64_t alloc_table(void *ctx)
{
	struct ptb *p = ctx;
	uint64_t pa = p->next, ps = 1ull << p->m->cfg.page_shift;

	p->next = (pa + pt_table_bytes(&p->m->cfg) + ps - 1) & ~(ps - 1);
	return pa;
}

void ptb_init(struct ptb *p, struct machine *m, uint64_t first_pa)
{
	p->m = m;
	p->next = first_pa;
	p->root = alloc_table(p);
	assert_int_equal(pt_zero_table(m, p->root), 0);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3,
					  ptb_entry(m, p->root, 0)),
			 0);
}

pte_t ptb_entry(const struct machine *m, uint64_t pa, pte_t flags)
{
	return pt_make(&m->cfg, pa, flags);
}

uint64_t ptb_entry_addr(struct ptb *p, uint64_t va, unsigned level)
{
	uint64_t ea = 0;

	assert_int_equal(pt_entry_addr(p->m, p->root, va, level, &ea), 0);
	return ea;
}

void ptb_map(struct ptb *p, uint64_t va, uint64_t pa, unsigned level,
	     pte_t leaf_flags, pte_t table_flags)
{
	assert_int_equal(pt_map(p->m, p->root, va, pa, level, leaf_flags,
				table_flags, alloc_table, p), 0);
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
