/* SPDX-License-Identifier: MIT */
/*
 * Carry-on mode: after a mismatch, the DUT's registers, caches and memory
 * are made the reference's again (lockstep.h lists what, and what it
 * costs).  Nothing here is numbered or compared: these calls go to the two
 * machines directly.
 */
#include "lockstep_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One control operation on one machine, outside the numbered calls. */
static const char *resync_ctl(struct machine *m, enum mmu_ctl_op op,
			      uint64_t value, unsigned type)
{
	struct mmu_ctl c = { .op = op, .value = value, .type = type };
	enum mmu_ctl_result res;

	if (machine_ctl(m, &c, &res))
		return m->err;
	return res == MMU_CTL_GP ? "#GP" : NULL;
}

/* The reference's registers into the DUT, in an order every legal state
 * allows: PCIDE off while CR3's PCID bits are cleared, then on again; PKE
 * on while WRPKRU writes PKRU (which PKE = 0 would refuse). */
static const char *resync_regs(struct lockstep *ls, const struct mmu_regs *r)
{
	bool pcide = r->cr4 & CR4_PCIDE;
	bool keys = ls->base.cfg.pte_bytes == 8;
	const struct { enum mmu_ctl_op op; uint64_t v; bool skip; } w[] = {
		{ MMU_CTL_WRITE_EFER, r->efer, false },
		{ MMU_CTL_WRITE_CR0, r->cr0, false },
		{ MMU_CTL_WRITE_CR4, (r->cr4 & ~CR4_PCIDE) | CR4_PKE, !keys },
		{ MMU_CTL_WRITE_PKRU, r->pkru, !keys },
		{ MMU_CTL_WRITE_CR4, r->cr4 & ~CR4_PCIDE, false },
		{ MMU_CTL_WRITE_CR3, pcide ? r->cr3 & ~CR3_PCID_MASK : r->cr3,
		  false },
		{ MMU_CTL_WRITE_CR4, r->cr4, !pcide },
		{ MMU_CTL_WRITE_CR3, r->cr3, !pcide },
		{ MMU_CTL_WRITE_CR2, r->cr2, false },
		{ MMU_CTL_SET_AC, r->ac, false },
	};
	const char *why = NULL;

	for (size_t i = 0; !why && i < sizeof(w) / sizeof(w[0]); i++)
		if (!w[i].skip)
			why = resync_ctl(ls->dut, w[i].op, w[i].v, 0);
	return why;
}

/* Both L1s written back and emptied, both TLBs and paging-structure caches
 * emptied (INVPCID type 2). */
static const char *resync_caches(struct lockstep *ls)
{
	struct machine *both[2] = { ls->ref, ls->dut };
	const char *why = NULL;

	for (int i = 0; !why && i < 2; i++) {
		why = resync_ctl(both[i], MMU_CTL_INVPCID, 0, 2);
		if (!why)
			why = resync_ctl(both[i], MMU_CTL_FLUSH_ALL, 0, 0);
	}
	return why;
}

/* DRAM: every chunk that differs is copied from the reference through the
 * DUT's coherent path, written back, and read again. */
static const char *resync_memory(struct lockstep *ls, uint8_t *a, uint8_t *b)
{
	const uint64_t total = ls->base.mem_bytes;

	for (uint64_t pa = 0; pa < total; pa += MEM_CHUNK) {
		size_t n = total - pa < MEM_CHUNK ? (size_t)(total - pa) :
			   MEM_CHUNK;

		if (machine_mem_peek(ls->ref, pa, a, n))
			return ls->ref->err;
		if (machine_mem_peek(ls->dut, pa, b, n))
			return ls->dut->err;
		if (!memcmp(a, b, n))
			continue;
		if (machine_phys_write(ls->dut, pa, a, n))
			return ls->dut->err;
		if (resync_ctl(ls->dut, MMU_CTL_FLUSH_ALL, 0, 0) ||
		    machine_mem_peek(ls->dut, pa, b, n))
			return ls->dut->err;
		if (memcmp(a, b, n))
			return "DRAM still differs after copying";
	}
	return NULL;
}

/*
 * Carry-on mode, after a mismatch: make the DUT's architectural and cache
 * state the reference's again (lockstep.h lists what and what it costs).
 * Returns 0, or MMU_EBACKEND and stops the run when the DUT cannot be
 * brought back (it refuses a write, or still differs afterwards).
 */
int lockstep_resync(struct lockstep *ls)
{
	struct mmu_regs r, d;
	struct mmu_counters a, b;
	uint8_t *ba = malloc(MEM_CHUNK), *bb = malloc(MEM_CHUNK);
	const char *why = ba && bb ? NULL : "out of host memory";

	machine_regs(ls->ref, &r);
	if (!why)
		why = resync_regs(ls, &r);
	if (!why)
		why = resync_caches(ls);
	if (!why)
		why = resync_memory(ls, ba, bb);
	free(ba);
	free(bb);
	machine_regs(ls->dut, &d);
	if (!why && lockstep_regs_differ(&r, &d))
		why = "a register still differs after writing it";
	if (why) {
		ls->stopped = true;
		snprintf(ls->base.err, sizeof(ls->base.err), "lockstep (%.20s vs "
			 "%.20s): the DUT could not be resynchronised after "
			 "mismatch %" PRIu64 " (%.47s at call %" PRIu64 "): %.60s",
			 ls->mm.ref_name, ls->mm.dut_name, ls->mm.number,
			 ls->mm.field, ls->mm.call, why);
		return MMU_EBACKEND;
	}
	machine_counters(ls->ref, &a);
	machine_counters(ls->dut, &b);
#define SKEW(name, doc) ls->skew.name = b.name - a.name;
	MMU_COUNTERS(SKEW)
#undef SKEW
	ls->st.resyncs++;
	return 0;
}
