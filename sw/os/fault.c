/* SPDX-License-Identifier: MIT */
/*
 * The page-fault handler (Linux's do_user_addr_fault + handle_mm_fault).
 *
 *   #PF (va = CR2, error code)
 *    │
 *    ├─ no VMA at or above va ─────────────────────────────► SIGSEGV MAPERR
 *    ├─ va below a VM_GROWSDOWN VMA: k_expand_stack
 *    │     (guard gap to the area below, RLIMIT_STACK) fails ► SIGSEGV MAPERR
 *    ├─ PK bit, or the VMA's key forbidden by PKRU ─────────► SIGSEGV PKUERR
 *    ├─ access_error(error code, VMA flags) ───────────────► SIGSEGV ACCERR
 *    ├─ leaf PTE (page tables allocated on the way)
 *    │   ├─ none:  anonymous ─ read: zero page (RO) / write: new zeroed frame
 *    │   │         file ─ index past EOF ──────────────────► SIGBUS
 *    │   │                shared: the page-cache frame
 *    │   │                private: the page-cache frame RO, or a copy on write
 *    │   ├─ swap entry: swap in (swap cache first), RW if now exclusive
 *    │   └─ present, write to a RO page:
 *    │         shared VMA: make it writable
 *    │         private, anonymous, refcount 1: reuse in place (RW)
 *    │         otherwise: copy (COW; KSM and zero page included)
 *    └─ no frame and nothing to k_reclaim ───────────────────► OOM
 *
 * After the handler the access is retried; a fault that finds the PTE
 * already good (a stale TLB entry) just invalidates it.
 */
#include "os_int.h"

#include <errno.h>

/* The first checks of Linux's access_error(): the CPU refused the access
 * for its key (PFEC.PK), or the VMA's key forbids it in PKRU -- checked in
 * software so that a not-present page is not filled only to fault again
 * (arch_vma_access_permitted; fetches are never refused by keys). */
static bool pkey_error(const struct os *os, uint32_t ec, const struct vma *v)
{
	if (ec & PFEC_PK)
		return true;
	if (ec & PFEC_ID)
		return false;
	return !k_pkru_allows(os, v->pkey, (ec & PFEC_WR) != 0);
}

/* Linux x86 access_error(): may this access touch this VMA at all? */
static bool access_error(uint32_t ec, vm_flags_t flags)
{
	if (ec & PFEC_WR)
		return !(flags & VM_WRITE);
	if (ec & PFEC_P)
		return true; /* read or fetch, present: a protection fault */
	return !(flags & VM_ACCESS_FLAGS);
}

int k_expand_stack(struct os *os, struct mm *mm, size_t i, uint64_t va)
{
	struct vma *v = &mm->v[i];
	uint64_t start = va & PG_MASK;

	if (start < os->mmap_min)
		return -ENOMEM;
	if (i > 0) {
		const struct vma *p = &mm->v[i - 1];

		/* stack_guard_gap: keep 256 pages from an accessible area
		 * below (not from another stack). */
		if (!(p->flags & VM_GROWSDOWN) && (p->flags & VM_ACCESS_FLAGS) &&
		    start - p->end < STACK_GUARD_GAP)
			return -ENOMEM;
	}
	if (v->end - start > os->o.stack_rlimit)
		return -ENOMEM;
	v->pgoff -= (v->start - start) >> PG_SHIFT;
	v->start = start;
	os->st.stack_expansions++;
	return 0;
}

static int set_new_pte(struct os *os, struct mm *mm, uint64_t va,
		       uint64_t epa, uint64_t pfn, pte_t e)
{
	int rc = k_rmap_add(os, pfn, mm, va);

	if (rc)
		return rc;
	return k_pte_set(os, epa, e); /* the old entry was not present */
}

static int fault_rc(int rc)
{
	return rc == -ENOMEM ? FR_OOM : rc;
}

static int do_anonymous(struct os *os, struct mm *mm, struct vma *v,
			uint64_t va, uint64_t epa, uint32_t ec)
{
	uint64_t pfn;
	int rc;

	if (!(ec & PFEC_WR) && !os->o.no_zero_page) {
		k_frame_get(os, os->zero_pfn);
		os->st.zero_page_maps++;
		os->st.minor_faults++;
		return k_pte_set(os, epa, k_pte_for(os, os->zero_pfn, v,
						false));
	}
	k_vma_anon_prepare(os, mm, v);
	rc = k_frame_alloc(os, FK_ANON, &pfn);
	if (rc)
		return fault_rc(rc);
	rc = k_frame_zero(os, pfn);
	if (!rc)
		rc = set_new_pte(os, mm, va, epa, pfn,
				 k_pte_for(os, pfn, v, true));
	if (rc) {
		k_frame_put(os, pfn);
		return rc;
	}
	os->st.zero_fills++;
	os->st.minor_faults++;
	return FR_DONE;
}

/* A fault handled: counted major (the page was read in, from the file or
 * swap) or minor. */
static int fault_done(struct os *os, bool major)
{
	if (major)
		os->st.major_faults++;
	else
		os->st.minor_faults++;
	return FR_DONE;
}

static int do_file(struct os *os, struct mm *mm, struct vma *v, uint64_t va,
		   uint64_t epa, uint32_t ec)
{
	uint64_t idx = vma_index(v, va), pc, pfn;
	bool major;
	int rc;

	if (idx >= PG_ALIGN(v->ino->size) >> PG_SHIFT)
		return FR_SIGBUS;
	rc = k_pc_get(os, v->ino, idx, &pc, &major);
	if (rc)
		return fault_rc(rc);
	if ((v->flags & VM_SHARED) || !(ec & PFEC_WR)) {
		/* The cache page itself; read-only unless shared. */
		k_frame_get(os, pc);
		rc = set_new_pte(os, mm, va, epa, pc,
				 k_pte_for(os, pc, v,
					 (v->flags & VM_SHARED) != 0));
		if (rc)
			k_frame_put(os, pc);
	} else {
		/* Private write: a private copy straight away. */
		k_vma_anon_prepare(os, mm, v);
		os->fr[pc].pin++;
		rc = k_frame_alloc(os, FK_ANON, &pfn);
		os->fr[pc].pin--;
		if (rc)
			return fault_rc(rc);
		rc = k_frame_copy(os, pfn, pc);
		if (!rc)
			rc = set_new_pte(os, mm, va, epa, pfn,
					 k_pte_for(os, pfn, v, true));
		if (rc)
			k_frame_put(os, pfn);
		os->st.cow_copies++;
	}
	if (rc)
		return rc;
	return fault_done(os, major);
}

static int do_swap(struct os *os, struct mm *mm, struct vma *v, uint64_t va,
		   uint64_t epa, pte_t e)
{
	uint64_t pfn;
	bool major, excl;
	int rc = k_swap_in(os, k_pte_swp_slot(os, e), &pfn, &major);

	if (rc)
		return fault_rc(rc);
	excl = os->fr[pfn].ref == 1 && !os->fr[pfn].swap_slot;
	k_vma_anon_prepare(os, mm, v);
	rc = set_new_pte(os, mm, va, epa, pfn,
			 k_pte_for(os, pfn, v, excl));
	if (rc)
		return rc;
	return fault_done(os, major);
}

/* Replace the read-only page e maps at va by a private writable copy. */
int k_cow_break(struct os *os, struct mm *mm, struct vma *v, uint64_t va,
	      uint64_t epa, pte_t e)
{
	uint64_t old = pte_pfn(os, e), pfn;
	uint8_t kind = os->fr[old].kind;
	pte_t now;
	int rc;

	k_vma_anon_prepare(os, mm, v);
	os->fr[old].pin++;
	rc = k_frame_alloc(os, FK_ANON, &pfn);
	os->fr[old].pin--;
	if (rc)
		return fault_rc(rc);
	rc = kind == FK_ZERO ? k_frame_zero(os, pfn) : k_frame_copy(os, pfn, old);
	if (!rc)
		rc = k_pte_read(os, epa, &now);
	if (!rc && ((now ^ e) & ~(PTE_A | PTE_D))) {
		/* Changed while allocating: let the access retry. */
		k_frame_put(os, pfn);
		return FR_DONE;
	}
	if (!rc)
		rc = k_rmap_add(os, pfn, mm, va);
	if (!rc)
		rc = k_pte_write(os, mm, va, epa, now,
			       k_pte_for(os, pfn, v, true));
	if (rc) {
		k_frame_put(os, pfn);
		return rc;
	}
	k_rmap_del(os, old, mm, va);
	k_frame_put(os, old);
	if (kind == FK_ZERO)
		os->st.zero_fills++;
	else
		os->st.cow_copies++;
	if (kind == FK_KSM)
		os->st.ksm_unmerges++;
	return FR_DONE;
}

static int do_wp_page(struct os *os, struct mm *mm, struct vma *v,
		      uint64_t va, uint64_t epa, pte_t e)
{
	struct frame *f = &os->fr[pte_pfn(os, e)];
	int rc;

	os->st.minor_faults++;
	if ((v->flags & VM_SHARED) ||
	    (f->kind == FK_ANON && f->ref == 1 && !f->swap_slot)) {
		/* Shared, or the only user of an anonymous page: no copy. */
		if (!(v->flags & VM_SHARED))
			os->st.cow_reuses++;
		return k_pte_write(os, mm, va, epa, e,
				 (e | PTE_RW) & ~PTE_SW_COW);
	}
	rc = k_cow_break(os, mm, v, va, epa, e);
	if (rc == FR_OOM)
		os->st.minor_faults--;
	return rc;
}

int k_handle_fault(struct os *os, struct mm *mm, uint64_t va, uint32_t ec)
{
	size_t i = k_vma_find(mm, va);
	uint64_t epa, page = va & PG_MASK;
	struct vma *v;
	pte_t e;
	int rc;

	if (ec & PFEC_RSVD)
		return os_fail(os, -EIO, "reserved-bit fault at %#llx: a "
			       "corrupt page table", (unsigned long long)va);
	if (i == mm->nv)
		return FR_SEGV_MAPERR;
	if (mm->v[i].start > va) {
		if (!(mm->v[i].flags & VM_GROWSDOWN) ||
		    k_expand_stack(os, mm, i, va))
			return FR_SEGV_MAPERR;
	}
	if (pkey_error(os, ec, &mm->v[i]))
		return FR_SEGV_PKUERR;
	if (access_error(ec, mm->v[i].flags))
		return FR_SEGV_ACCERR;
	rc = k_pt_leaf(os, mm, page, true, &epa);
	if (rc)
		return fault_rc(rc);
	rc = k_pte_read(os, epa, &e);
	if (rc)
		return rc;
	v = &mm->v[i];
	if (!e)
		return v->ino ? do_file(os, mm, v, page, epa, ec)
			      : do_anonymous(os, mm, v, page, epa, ec);
	if (pte_is_swap(e))
		return do_swap(os, mm, v, page, epa, e);
	if (!(e & PTE_P)) /* PROT_NONE page in an accessible VMA: stale */
		return k_pte_set(os, epa, k_pte_for(os, pte_pfn(os, e), v,
						false) | (e & PTE_D));
	if ((ec & PFEC_WR) && !(e & PTE_RW))
		return do_wp_page(os, mm, v, page, epa, e);
	/* Nothing to do: a stale TLB entry (spurious fault). */
	return k_tlb_flush_page(os, mm, page);
}
