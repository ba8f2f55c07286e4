/* SPDX-License-Identifier: MIT */
#include "stream.h"
#include "../../sw/machine/pagetable.h"

#include <string.h>

#define MAX_TABLES 64

static uint64_t rnd(struct stream *s)
{
	/* xorshift64* */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545F4914F6CDD1Dull;
}

static unsigned pick(struct stream *s, unsigned n)
{
	return (unsigned)(rnd(s) % n);
}

static uint64_t page_bytes(const struct stream *s)
{
	return 1ull << s->cfg->page_shift;
}

static uint64_t alloc_table(void *ctx)
{
	struct stream *s = ctx;
	uint64_t ps = page_bytes(s), pa = s->next_table;
	uint64_t step = (pt_table_bytes(s->cfg) + ps - 1) & ~(ps - 1);

	if (pa + step > s->tables_end)
		return 0;
	s->next_table = pa + step;
	return pa;
}

/* Tables from the second page on; data after them, up to the last page. */
static void layout(struct stream *s)
{
	uint64_t ps = page_bytes(s);
	uint64_t step = (pt_table_bytes(s->cfg) + ps - 1) & ~(ps - 1);
	unsigned ntables = s->cfg->levels == 1 ? 1 : MAX_TABLES;

	s->next_table = ps;
	s->tables_end = ps + ntables * step;
	s->data_pa = s->tables_end;
	s->data_bytes = s->m->mem_bytes - ps - s->data_pa;
	if (s->data_bytes > 256 * ps)
		s->data_bytes = 256 * ps;
}

static pte_t random_flags(struct stream *s)
{
	pte_t f = 0;

	if (pick(s, 10) < 7) f |= PTE_RW;
	if (pick(s, 10) < 8) f |= PTE_US;
	if (s->cfg->pte_bytes == 8 && pick(s, 10) < 2) f |= PTE_XD;
	if (pick(s, 10) < 1) f |= PTE_G;
	return f;
}

/* Base pages only, VAs clustered in a 64 MiB window (where the address
 * space is that big) so that tables are shared and walks are short. */
static uint64_t random_va(struct stream *s)
{
	const struct mmu_config *c = s->cfg;
	uint64_t ps = page_bytes(s);
	uint64_t span = c->va_bits > 27 ? 1ull << 26 : 1ull << (c->va_bits - 1);
	uint64_t base = c->va_bits > 32 ? 0x40ull << 30 : 0;

	return base + (rnd(s) % (span / ps)) * ps;
}

static bool va_used(const struct stream *s, unsigned n, uint64_t va)
{
	for (unsigned i = 0; i < n; i++)
		if (s->va[i] == va)
			return true;
	return false;
}

static int map(struct stream *s, unsigned i)
{
	return pt_map(s->m, s->root, s->va[i], s->pa[i], 1, random_flags(s),
		      PTE_RW | PTE_US, alloc_table, s);
}

int stream_setup(struct stream *s, struct machine *m, uint64_t seed)
{
	struct mmu_ctl c = { .op = MMU_CTL_WRITE_CR3 };
	enum mmu_ctl_result res;
	int rc;

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->cfg = &m->cfg;
	s->rng = seed * 0x9E3779B97F4A7C15ull + 7;
	layout(s);
	s->root = alloc_table(s);
	rc = pt_zero_table(m, s->root);
	s->npages = STREAM_PAGES;
	for (unsigned i = 0; !rc && i < s->npages; i++) {
		do
			s->va[i] = random_va(s);
		while (va_used(s, i, s->va[i]));
		s->pa[i] = s->data_pa + pick(s, (unsigned)(s->data_bytes /
					     page_bytes(s))) * page_bytes(s);
		rc = map(s, i);
	}
	if (rc)
		return rc;
	c.value = pt_make(s->cfg, s->root, 0);
	s->ctls++;
	return machine_ctl(m, &c, &res);
}

static int one_access(struct stream *s)
{
	unsigned maxlog = s->cfg->l1_line >= 8 ? 4 : s->cfg->l1_line >= 4 ? 3 : 1;
	unsigned size = 1u << pick(s, maxlog);
	struct mmu_req r = { .size = size, .user = pick(s, 2),
			     .op = (enum mmu_op)pick(s, 3), .wdata = rnd(s) };
	struct mmu_outcome o;
	int rc;

	r.va = s->va[pick(s, s->npages)] + (rnd(s) % page_bytes(s));
	r.va &= ~(uint64_t)(size - 1);
	s->accesses++;
	rc = machine_access(s->m, &r, &o);
	s->faults += !rc && o.status != MMU_ST_OK;
	return rc;
}

static int one_ctl(struct stream *s)
{
	static const enum mmu_ctl_op ops[] = {
		MMU_CTL_WRITE_CR0, MMU_CTL_WRITE_CR4, MMU_CTL_WRITE_EFER,
		MMU_CTL_WRITE_CR3, MMU_CTL_SET_AC, MMU_CTL_INVLPG,
		MMU_CTL_INVPCID, MMU_CTL_CLEAN_LINE, MMU_CTL_INVAL_LINE,
		MMU_CTL_FLUSH_LINE, MMU_CTL_CLEAN_ALL, MMU_CTL_FLUSH_ALL,
	};
	struct mmu_ctl c = { .op = ops[pick(s, sizeof(ops) / sizeof(ops[0]))] };
	enum mmu_ctl_result res;
	uint64_t r = rnd(s);

	switch (c.op) {
	case MMU_CTL_WRITE_CR0:
		c.value = CR0_PE | CR0_PG | (r & 1 ? CR0_WP : 0);
		break;
	case MMU_CTL_WRITE_CR4:
		c.value = CR4_PAE | (r & 1 ? CR4_PGE : 0) | (r & 2 ? CR4_SMEP : 0) |
			  (r & 4 ? CR4_SMAP : 0);
		break;
	case MMU_CTL_WRITE_EFER: c.value = EFER_LME | (r & 1 ? EFER_NXE : 0); break;
	case MMU_CTL_WRITE_CR3: c.value = pt_make(s->cfg, s->root, 0); break;
	case MMU_CTL_SET_AC: c.value = r & 1; break;
	case MMU_CTL_INVPCID: c.type = (unsigned)(r % 6); break;  /* 4, 5: #GP */
	default: break;
	}
	/* Only the ops that take an address get one (machine.h). */
	if (c.op == MMU_CTL_INVLPG)
		c.addr = s->va[r % s->npages];
	else if (c.op == MMU_CTL_INVPCID || c.op == MMU_CTL_CLEAN_LINE ||
		 c.op == MMU_CTL_INVAL_LINE || c.op == MMU_CTL_FLUSH_LINE)
		c.addr = s->data_pa + r % s->data_bytes;
	s->ctls++;
	return machine_ctl(s->m, &c, &res);
}

/* New permissions for a page (sometimes unmapped), then INVLPG. */
static int rewrite_pte(struct stream *s)
{
	unsigned i = pick(s, s->npages);
	struct mmu_ctl c = { .op = MMU_CTL_INVLPG, .addr = s->va[i] };
	enum mmu_ctl_result res;
	uint64_t ea;
	int rc;

	if (pick(s, 4) == 0) {
		rc = pt_entry_addr(s->m, s->root, s->va[i], 1, &ea);
		if (!rc)
			rc = machine_pte_write(s->m, ea, 0);
	} else {
		rc = map(s, i);
	}
	if (rc)
		return rc;
	s->ctls++;
	return machine_ctl(s->m, &c, &res);
}

static int one_phys(struct stream *s)
{
	uint8_t buf[256];
	size_t len = 1 + pick(s, sizeof(buf));
	uint64_t pa = s->data_pa + rnd(s) % (s->data_bytes - len);
	unsigned k = pick(s, 3);

	if (k == 0) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd(s);
		s->phys_writes++;
		return machine_phys_write(s->m, pa, buf, len);
	}
	if (k == 1) {
		s->phys_reads++;
		return machine_phys_read(s->m, pa, buf, len);
	}
	s->peeks++;
	return s->m->ops->mem_peek(s->m, pa, buf, len);
}

int stream_run(struct stream *s, uint64_t steps)
{
	int rc = 0;

	for (uint64_t n = 0; !rc && n < steps; n++) {
		unsigned k = pick(s, 100);

		if (k < 84)
			rc = one_access(s);
		else if (k < 90)
			rc = one_ctl(s);
		else if (k < 93)
			rc = rewrite_pte(s);
		else
			rc = one_phys(s);
	}
	return rc;
}
