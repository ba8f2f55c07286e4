/* SPDX-License-Identifier: MIT */
#include "pagetable.h"

pte_t pt_make(const struct mmu_config *cfg, uint64_t pa, pte_t flags)
{
	return ((pa >> cfg->page_shift) << PTE_FRAME_SHIFT) | flags;
}

uint64_t pt_frame(const struct mmu_config *cfg, pte_t e)
{
	return ((e >> PTE_FRAME_SHIFT) & ((1ull << cfg->ppn_bits) - 1))
	       << cfg->page_shift;
}

uint64_t pt_index(const struct mmu_config *cfg, uint64_t va, unsigned level)
{
	uint64_t vpn = va >> cfg->page_shift;

	return (vpn >> ((level - 1) * cfg->index_bits)) &
	       ((1ull << cfg->index_bits) - 1);
}

uint64_t pt_table_bytes(const struct mmu_config *cfg)
{
	return (1ull << cfg->index_bits) * cfg->pte_bytes;
}

int pt_zero_table(struct machine *m, uint64_t pa)
{
	static const uint8_t zero[256];
	uint64_t n = pt_table_bytes(&m->cfg);

	for (uint64_t off = 0; off < n; off += sizeof(zero)) {
		uint64_t k = n - off < sizeof(zero) ? n - off : sizeof(zero);
		int rc = machine_phys_write(m, pa + off, zero, (size_t)k);

		if (rc)
			return rc;
	}
	return 0;
}

int pt_entry_addr(struct machine *m, uint64_t root, uint64_t va,
		  unsigned level, uint64_t *ea)
{
	const struct mmu_config *cfg = &m->cfg;
	uint64_t table = root;

	for (unsigned l = (unsigned)cfg->levels; l > level; l--) {
		pte_t e;
		int rc = machine_pte_read(m, table + pt_index(cfg, va, l) *
					  cfg->pte_bytes, &e);

		if (rc)
			return rc;
		if (!(e & PTE_P) || (l > 1 && (e & PTE_PS)))
			return MMU_EINVAL;
		table = pt_frame(cfg, e);
	}
	*ea = table + pt_index(cfg, va, level) * cfg->pte_bytes;
	return 0;
}

int pt_map(struct machine *m, uint64_t root, uint64_t va, uint64_t pa,
	   unsigned level, pte_t leaf_flags, pte_t table_flags,
	   pt_alloc_fn alloc, void *ctx)
{
	const struct mmu_config *cfg = &m->cfg;
	uint64_t table = root;
	int rc;

	for (unsigned l = (unsigned)cfg->levels; l > level; l--) {
		uint64_t ea = table + pt_index(cfg, va, l) * cfg->pte_bytes;
		pte_t e;

		rc = machine_pte_read(m, ea, &e);
		if (rc)
			return rc;
		if (!(e & PTE_P) || (e & PTE_PS)) {
			uint64_t t = alloc(ctx);

			if (!t)
				return MMU_ENOMEM;
			rc = pt_zero_table(m, t);
			if (rc)
				return rc;
			e = pt_make(cfg, t, table_flags | PTE_P);
			rc = machine_pte_write(m, ea, e);
			if (rc)
				return rc;
		}
		table = pt_frame(cfg, e);
	}
	return machine_pte_write(m, table + pt_index(cfg, va, level) *
				 cfg->pte_bytes,
				 pt_make(cfg, pa, leaf_flags | PTE_P |
					 (level > 1 ? PTE_PS : 0)));
}
