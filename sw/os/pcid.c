/* SPDX-License-Identifier: MIT */
/*
 * PCIDs, CR3 and TLB invalidation.
 *
 * With CR4.PCIDE each mm gets a PCID (1..pcid_limit; 0 is the idle table's)
 * the first time it is switched to in the current generation.  A fresh
 * PCID is loaded with a flushing MOV CR3, which drops whatever a previous
 * owner left tagged with it; afterwards switches set CR3's no-flush bit and
 * the mm's TLB entries survive other processes running.  When every PCID is
 * taken a new generation starts (as Linux's ASID allocator does): all mms
 * lose their PCIDs and get new ones lazily; one INVPCID type 3 drops every
 * non-global entry.  A freed PCID goes back to the pool at once.
 *
 * Invalidating one page of an mm: INVLPG when it is loaded; INVPCID type 0
 * with its PCID when it is not (its entries may still be in the TLB); and
 * nothing when it has no PCID in this generation, or without PCIDE (every
 * MOV CR3 flushes, so only the loaded mm can have entries).
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>

void k_pcid_init(struct os *os)
{
	os->pcide = os->m->cfg.pcid != 0;
	os->pcid_limit = os->o.pcid_limit ? os->o.pcid_limit : 4095;
	os->pcid_gen = 1;
}

static struct mm *cur_mm(struct os *os)
{
	return os->cur ? os->cur->mm : NULL;
}

static int ctl_invpcid(struct os *os, unsigned type, uint16_t pcid,
		       uint64_t va)
{
	os->st.invpcid++;
	return os_mchk(os, machine_invpcid(os->m, type, pcid, va), "INVPCID");
}

static int rollover(struct os *os)
{
	if (!os->pcid_used) {
		os->pcid_used = calloc(4096, 1);
		if (!os->pcid_used)
			return -ENOMEM;
		return 0;
	}
	os->pcid_gen++;
	os->st.pcid_rollovers++;
	for (unsigned i = 0; i < 4096; i++)
		os->pcid_used[i] = 0;
	return ctl_invpcid(os, 3, 0, 0);
}

/* Give mm a PCID of this generation; *fresh when it is newly assigned. */
static int pcid_assign(struct os *os, struct mm *mm, bool *fresh)
{
	unsigned p;
	int rc;

	*fresh = false;
	if (mm->pcid_gen == os->pcid_gen && os->pcid_used)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		if (!os->pcid_used || pass) {
			rc = rollover(os);
			if (rc)
				return rc;
		}
		for (p = 1; p <= os->pcid_limit; p++) {
			if (!os->pcid_used[p]) {
				os->pcid_used[p] = 1;
				mm->pcid = (uint16_t)p;
				mm->pcid_gen = os->pcid_gen;
				*fresh = true;
				return 0;
			}
		}
	}
	return os_fail(os, -EIO, "os: no PCID after a rollover");
}

int k_mm_activate(struct os *os, struct mm *mm)
{
	const struct mmu_config *c = &os->m->cfg;
	uint64_t cr3;
	bool fresh = true;
	int rc;

	if (!mm) {
		cr3 = pt_make(c, pfn_pa(os->idle_root), 0);
		os->cur_pcid = 0;
		fresh = false;
	} else if (os->pcide) {
		rc = pcid_assign(os, mm, &fresh);
		if (rc)
			return rc;
		cr3 = pt_make(c, pfn_pa(mm->root), mm->pcid);
		os->cur_pcid = mm->pcid;
	} else {
		cr3 = pt_make(c, pfn_pa(mm->root), 0);
	}
	if (os->pcide && !fresh) {
		cr3 |= CR3_NOFLUSH;
		os->st.cr3_noflush++;
	}
	os->st.cr3_writes++;
	return os_mchk(os, machine_write_cr(os->m, MMU_CTL_WRITE_CR3, cr3),
		       "MOV CR3");
}

void k_pcid_release(struct os *os, struct mm *mm)
{
	if (os->pcide && os->pcid_used && mm->pcid_gen == os->pcid_gen) {
		/* Its entries are dead weight; dropping them keeps the TLB
		 * free for live PCIDs.  A failure here is reported by the
		 * next machine call. */
		ctl_invpcid(os, 1, mm->pcid, 0);
		os->pcid_used[mm->pcid] = 0;
	}
	mm->pcid_gen = 0;
}

int k_tlb_flush_page(struct os *os, struct mm *mm, uint64_t va)
{
	if (mm == cur_mm(os)) {
		os->st.invlpg++;
		return os_mchk(os, machine_invlpg(os->m, va), "INVLPG");
	}
	if (os->pcide && os->pcid_used && mm->pcid_gen == os->pcid_gen)
		return ctl_invpcid(os, 0, mm->pcid, va);
	return 0;
}

int k_tlb_flush_mm(struct os *os, struct mm *mm)
{
	if (mm == cur_mm(os))
		return ctl_invpcid(os, 1, os->pcide ? os->cur_pcid : 0, 0);
	if (os->pcide && os->pcid_used && mm->pcid_gen == os->pcid_gen)
		return ctl_invpcid(os, 1, mm->pcid, 0);
	return 0;
}
