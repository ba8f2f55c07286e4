/* SPDX-License-Identifier: MIT */
/* Lockstep's debug path (machine_ops.tlb_slot and .line_slot): writes go
 * to both machines; reads are compared field by field (outside the
 * numbered calls: they change nothing). */
#include "lockstep_int.h"

#include <string.h>

int lockstep_tlb_slot(struct machine *m, unsigned set, unsigned way,
		      struct mmu_tlb_slot *e, bool write)
{
	struct lockstep *ls = to_ls(m);
	struct mmu_tlb_slot d;
	int rc;

	if (ls->stopped)
		return lockstep_refused(ls);
	if (write) {
		if ((rc = machine_tlb_write(ls->ref, set, way, e)))
			return mmu_errf(m->err, sizeof(m->err), rc, "%s", ls->ref->err);
		if ((rc = machine_tlb_write(ls->dut, set, way, e)))
			return mmu_errf(m->err, sizeof(m->err), rc, "%s", ls->dut->err);
		return 0;
	}
	if ((rc = machine_tlb_read(ls->ref, set, way, e)) ||
	    (rc = machine_tlb_read(ls->dut, set, way, &d)))
		return mmu_errf(m->err, sizeof(m->err), rc, "lockstep: TLB read-back failed");
	if (e->valid != d.valid || e->vpn != d.vpn || e->ppn != d.ppn ||
	    e->pcid != d.pcid || e->level != d.level || e->pkey != d.pkey ||
	    e->global != d.global ||
	    e->rw != d.rw || e->us != d.us || e->xd != d.xd || e->dirty != d.dirty)
		return mmu_errf(m->err, sizeof(m->err), MMU_EBACKEND,
			       "lockstep: TLB set %u way %u differs: %s valid=%d "
			       "vpn=%#llx ppn=%#llx, %s valid=%d vpn=%#llx ppn=%#llx",
			       set, way, ls->ref->ops->name, e->valid,
			       (unsigned long long)e->vpn, (unsigned long long)e->ppn,
			       ls->dut->ops->name, d.valid,
			       (unsigned long long)d.vpn, (unsigned long long)d.ppn);
	ls->st.fields += 11;
	return 0;
}

int lockstep_line_slot(struct machine *m, unsigned set, unsigned way,
		       struct mmu_line_slot *l, bool write)
{
	struct lockstep *ls = to_ls(m);
	struct mmu_line_slot d;
	int rc;

	if (ls->stopped)
		return lockstep_refused(ls);
	if (write) {
		if ((rc = machine_line_write(ls->ref, set, way, l)))
			return mmu_errf(m->err, sizeof(m->err), rc, "%s", ls->ref->err);
		if ((rc = machine_line_write(ls->dut, set, way, l)))
			return mmu_errf(m->err, sizeof(m->err), rc, "%s", ls->dut->err);
		return 0;
	}
	if ((rc = machine_line_read(ls->ref, set, way, l)) ||
	    (rc = machine_line_read(ls->dut, set, way, &d)))
		return mmu_errf(m->err, sizeof(m->err), rc, "lockstep: L1 read-back failed");
	if (l->valid != d.valid || l->dirty != d.dirty || l->tag != d.tag ||
	    memcmp(l->data, d.data, m->cfg.l1_line))
		return mmu_errf(m->err, sizeof(m->err), MMU_EBACKEND,
			       "lockstep: L1 set %u way %u differs: %s valid=%d "
			       "dirty=%d tag=%#llx, %s valid=%d dirty=%d tag=%#llx "
			       "(or the bytes)", set, way, ls->ref->ops->name,
			       l->valid, l->dirty, (unsigned long long)l->tag,
			       ls->dut->ops->name, d.valid, d.dirty,
			       (unsigned long long)d.tag);
	ls->st.fields += 3;
	ls->st.bytes += m->cfg.l1_line;
	return 0;
}

