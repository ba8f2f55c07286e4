/* SPDX-License-Identifier: MIT */
/*
 * fork: the child gets a copy of the VMAs (not MADV_DONTFORK ones; empty
 * for MADV_WIPEONFORK ones) and, for the areas that have
 * anonymous pages (Linux copies PTEs only where vma->anon_vma is set; the
 * others refill from their files on demand), of the PTEs:
 *   - private writable pages are write-protected in both (copy-on-write);
 *     each frame's count and reverse map gain the child's PTE;
 *   - swap entries gain a reference on their slot;
 *   - the child's PTEs start old (A clear), and clean for shared mappings.
 * One invalidation of the parent's PCID covers every write-protection.
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>

struct copy {
	struct mm *child;
	vm_flags_t flags;
	bool wrprotected;
};

static bool is_cow(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

static int copy_one(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		    pte_t e, void *ctx)
{
	struct copy *c = ctx;
	uint64_t cepa, pfn;
	int rc = k_pt_leaf(os, c->child, va, true, &cepa);

	if (!rc)
		rc = k_pte_read(os, epa, &e); /* k_reclaim may have run */
	if (rc || !e)
		return rc;
	(void)mm;
	if (pte_is_swap(e)) {
		k_slot_get(os, k_pte_swp_slot(os, e));
		return k_pte_set(os, cepa, e);
	}
	if (!pte_has_frame(e))
		return 0;
	pfn = pte_pfn(os, e);
	if (is_cow(c->flags) && (e & PTE_RW)) {
		e = (e & ~PTE_RW) | PTE_SW_COW;
		rc = k_pte_set(os, epa, e);
		if (rc)
			return rc;
		c->wrprotected = true;
	}
	rc = k_rmap_add(os, pfn, c->child, va);
	if (rc)
		return rc;
	k_frame_get(os, pfn);
	e &= ~PTE_A;
	if (c->flags & VM_SHARED)
		e &= ~PTE_D;
	return k_pte_set(os, cepa, e);
}

static int copy_fds(struct proc *parent, struct proc *child)
{
	if (!parent->nfds)
		return 0;
	child->fds = calloc((size_t)parent->nfds, sizeof(*child->fds));
	if (!child->fds)
		return -ENOMEM;
	child->nfds = parent->nfds;
	for (int fd = 0; fd < parent->nfds; fd++) {
		child->fds[fd] = parent->fds[fd];
		if (child->fds[fd])
			child->fds[fd]->refs++;
	}
	return 0;
}

static int copy_mm(struct os *os, struct mm *pm, struct mm *cm)
{
	struct copy c = { .child = cm };
	int rc = 0;

	cm->start_brk = pm->start_brk;
	cm->brk = pm->brk;
	cm->start_stack = pm->start_stack;
	cm->pkey_map = pm->pkey_map;  /* arch_dup_pkeys */
	cm->exec_only_pkey = pm->exec_only_pkey;
	k_mm_set_exe(os, cm, pm->exe); /* the child runs it too */
	for (size_t i = 0; i < pm->nv && !rc; i++) {
		struct vma v = pm->v[i];

		if (v.flags & VM_DONTCOPY)
			continue;
		v.flags &= ~VM_LOCKED_MASK; /* locks are not inherited */
		/* The child's areas get their own anon_vma (anon_vma_fork);
		 * MADV_WIPEONFORK ones start empty. */
		if (v.flags & VM_WIPEONFORK)
			v.anon_id = 0;
		else if (v.anon_id)
			v.anon_id = k_anon_id_new(os);
		rc = k_vma_insert(os, cm, &v);
		if (rc || !v.anon_id)
			continue;
		c.flags = v.flags;
		rc = k_pt_range(os, pm, v.start, v.end, copy_one, &c);
	}
	if (c.wrprotected) {
		int r = k_tlb_flush_mm(os, pm);

		rc = rc ? rc : r;
	}
	return rc;
}

int os_fork(struct os *os, int *child_pid)
{
	struct proc *parent = os->cur, *child;
	int rc;

	if (!parent)
		return -ESRCH;
	rc = k_proc_new(os, &child);
	if (rc)
		return rc;
	rc = k_mm_new(os, &child->mm);
	if (rc) {
		k_proc_free(os, child);
		return rc;
	}
	rc = copy_fds(parent, child);
	if (!rc)
		rc = copy_mm(os, parent->mm, child->mm);
	if (rc) {
		/* Undo: the child's references go with it. */
		k_mm_destroy(os, child->mm);
		k_proc_free(os, child);
		return rc;
	}
	child->pkru = parent->pkru;  /* the thread's PKRU is inherited */
	os->st.forks++;
	*child_pid = child->pid;
	return 0;
}
