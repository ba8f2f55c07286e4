/* SPDX-License-Identifier: MIT */
/*
 * os_check: recount every reference from scratch and compare.
 *
 * Walk every mm's page tables: table frames must be FK_PT and reached once;
 * each present or PROT_NONE leaf adds one to its frame's expected count and
 * must appear in the frame's reverse map; each swap entry adds one to its
 * slot.  Page-cache pages add one to their frame, swap-cache pages one to
 * theirs, shared memory in swap one to its slot.  Then every frame and
 * slot must match, and rights must stay within the VMA's.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chk {
	struct os *os;
	uint32_t *fref, *sref, *pt_seen, *nmaps;
	char *err;
	size_t len;
	int bad;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct chk *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->bad) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->len, fmt, ap);
		va_end(ap);
	}
	c->bad = 1;
	return -EUCLEAN;
}

static bool in_rmap(const struct frame *f, const struct mm *mm, uint64_t va)
{
	for (uint32_t i = 0; i < f->nmap; i++)
		if (f->maps[i].mm == mm && f->maps[i].va == va)
			return true;
	return false;
}

static int check_leaf(struct chk *c, int pid, struct mm *mm, uint64_t va,
		      pte_t e)
{
	struct os *os = c->os;
	struct vma *v = k_vma_at(mm, va);
	uint64_t pfn;

	if (!v)
		return fail(c, "pid %d: PTE %#llx at %#llx outside any VMA", pid,
			    (unsigned long long)e, (unsigned long long)va);
	if (pte_is_swap(e)) {
		uint64_t s = k_pte_swp_slot(os, e);

		if (s >= os->nslots)
			return fail(c, "pid %d: swap entry %#llx: bad slot",
				    pid, (unsigned long long)e);
		c->sref[s]++;
		return 0;
	}
	if (!pte_has_frame(e))
		return fail(c, "pid %d: junk PTE %#llx at %#llx", pid,
			    (unsigned long long)e, (unsigned long long)va);
	pfn = pte_pfn(os, e);
	if (pfn >= os->nframes)
		return fail(c, "pid %d: PTE %#llx: frame outside memory", pid,
			    (unsigned long long)e);
	if (!frame_is_user(&os->fr[pfn]) && os->fr[pfn].kind != FK_ZERO)
		return fail(c, "pid %d: %#llx maps frame %#llx of kind %d",
			    pid, (unsigned long long)va,
			    (unsigned long long)pfn, os->fr[pfn].kind);
	c->fref[pfn]++;
	if (os->fr[pfn].kind != FK_ZERO) {
		c->nmaps[pfn]++;
		if (!in_rmap(&os->fr[pfn], mm, va))
			return fail(c, "pid %d: %#llx -> frame %#llx missing "
				    "from its reverse map", pid,
				    (unsigned long long)va,
				    (unsigned long long)pfn);
	}
	if ((e & PTE_RW) && !(v->flags & VM_WRITE))
		return fail(c, "pid %d: %#llx writable in a non-writable VMA",
			    pid, (unsigned long long)va);
	if ((e & PTE_P) && !(e & PTE_US))
		return fail(c, "pid %d: %#llx: user page without U/S", pid,
			    (unsigned long long)va);
	if ((e & PTE_P) && !(e & PTE_XD) != !!(v->flags & VM_EXEC))
		return fail(c, "pid %d: %#llx: XD disagrees with the VMA", pid,
			    (unsigned long long)va);
	if ((e & PTE_RW) && !(v->flags & VM_SHARED) &&
	    os->fr[pfn].kind != FK_ANON)
		return fail(c, "pid %d: %#llx: private page writable but not "
			    "anonymous (kind %d)", pid, (unsigned long long)va,
			    os->fr[pfn].kind);
	return 0;
}

static int walk(struct chk *c, int pid, struct mm *mm, unsigned level,
		uint64_t table, uint64_t base)
{
	struct os *os = c->os;
	const struct mmu_config *cfg = &os->m->cfg;
	uint64_t sp = mmu_level_page_size(cfg, level), tp = table >> PG_SHIFT;
	int rc;

	if (tp >= os->nframes || os->fr[tp].kind != FK_PT)
		return fail(c, "pid %d: table %#llx is not a page-table frame",
			    pid, (unsigned long long)table);
	if (c->pt_seen[tp]++)
		return fail(c, "pid %d: table %#llx reached twice", pid,
			    (unsigned long long)table);
	c->fref[tp]++;
	for (unsigned i = 0; i < (1u << cfg->index_bits); i++) {
		pte_t e;

		rc = k_pte_read(os, table + i * 8, &e);
		if (rc)
			return rc;
		if (!e)
			continue;
		if (level > 1) {
			if (!(e & PTE_P) || (e & PTE_PS))
				return fail(c, "pid %d: bad table entry %#llx",
					    pid, (unsigned long long)e);
			rc = walk(c, pid, mm, level - 1, pt_frame(cfg, e),
				  base + i * sp);
		} else {
			rc = check_leaf(c, pid, mm, base + i * sp, e);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int check_vmas(struct chk *c, int pid, const struct mm *mm)
{
	for (size_t i = 0; i < mm->nv; i++) {
		const struct vma *v = &mm->v[i];

		if (v->start >= v->end || (v->start | v->end) & ~PG_MASK ||
		    v->end > c->os->task_size)
			return fail(c, "pid %d: bad VMA %#llx-%#llx", pid,
				    (unsigned long long)v->start,
				    (unsigned long long)v->end);
		if (i && mm->v[i - 1].end > v->start)
			return fail(c, "pid %d: VMAs overlap at %#llx", pid,
				    (unsigned long long)v->start);
		if (v->ino && !v->ino->refs)
			return fail(c, "pid %d: VMA on a released inode", pid);
	}
	return 0;
}

static int count_caches(struct chk *c)
{
	struct os *os = c->os;

	for (struct inode *ino = os->inodes; ino; ino = ino->next) {
		size_t it = 0;
		uint64_t key, val;

		while (k_hmap_next(&ino->pages, &it, &key, &val)) {
			uint64_t x = val >> 1;

			if (val & 1) {
				if (!ino->shmem || x >= os->nslots)
					return fail(c, "inode %s: bad swap "
						    "entry", ino->path);
				c->sref[x]++;
			} else if (x >= os->nframes ||
				   os->fr[x].kind != FK_FILE ||
				   os->fr[x].ino != ino ||
				   os->fr[x].index != key) {
				return fail(c, "inode %s: page %llu: frame "
					    "%#llx does not point back",
					    ino->path, (unsigned long long)key,
					    (unsigned long long)x);
			} else {
				c->fref[x]++;
			}
		}
	}
	for (uint64_t s = 0; s < os->nslots; s++) {
		uint64_t f = os->slots[s].cache;

		if (!f)
			continue;
		if (f - 1 >= os->nframes || os->fr[f - 1].swap_slot != s + 1)
			return fail(c, "slot %llu: swap cache frame mismatch",
				    (unsigned long long)s);
		c->fref[f - 1]++;
	}
	return 0;
}

static int compare(struct chk *c)
{
	struct os *os = c->os;
	uint64_t used = 0;

	for (uint64_t f = 0; f < os->nframes; f++) {
		const struct frame *fr = &os->fr[f];
		uint32_t want = c->fref[f];

		if (fr->kind == FK_KERNEL)
			continue;
		if (fr->kind == FK_ZERO)
			want++; /* the kernel's own reference */
		if (fr->kind == FK_FREE && fr->ref)
			return fail(c, "free frame %#llx has count %u",
				    (unsigned long long)f, fr->ref);
		if (fr->kind != FK_FREE && fr->ref != want)
			return fail(c, "frame %#llx (kind %d): count %u, "
				    "references found %u",
				    (unsigned long long)f, fr->kind, fr->ref,
				    want);
		if (frame_is_user(fr) && fr->nmap != c->nmaps[f])
			return fail(c, "frame %#llx: reverse map has %u "
				    "entries, PTEs found %u",
				    (unsigned long long)f, fr->nmap,
				    c->nmaps[f]);
		if (fr->pin)
			return fail(c, "frame %#llx left pinned",
				    (unsigned long long)f);
	}
	for (uint64_t s = 0; s < os->nslots; s++) {
		if (os->slots[s].ref != c->sref[s])
			return fail(c, "slot %llu: count %u, references %u",
				    (unsigned long long)s, os->slots[s].ref,
				    c->sref[s]);
		used += os->slots[s].ref != 0;
	}
	if (used != os->nslots_used)
		return fail(c, "%llu slots in use, counter says %llu",
			    (unsigned long long)used,
			    (unsigned long long)os->nslots_used);
	return 0;
}

static int check_idle(struct chk *c)
{
	struct os *os = c->os;
	struct os_stats st;

	if (os->nprocs)
		return 0;
	os_stats(os, &st);
	if (st.frames_in_use - st.frames_pagecache)
		return fail(c, "no process left but %llu frames in use",
			    (unsigned long long)(st.frames_in_use -
						 st.frames_pagecache));
	if (st.frames_pagecache)
		return fail(c, "no process left but %llu page-cache frames",
			    (unsigned long long)st.frames_pagecache);
	if (os->nslots_used)
		return fail(c, "no process left but %llu swap slots in use",
			    (unsigned long long)os->nslots_used);
	return 0;
}

int os_check(struct os *os, char *err, size_t len)
{
	struct chk c = { .os = os, .err = err, .len = len };
	int rc = 0;

	c.fref = calloc(os->nframes, sizeof(*c.fref));
	c.nmaps = calloc(os->nframes, sizeof(*c.nmaps));
	c.pt_seen = calloc(os->nframes, sizeof(*c.pt_seen));
	c.sref = calloc(os->nslots + 1, sizeof(*c.sref));
	if (!c.fref || !c.nmaps || !c.pt_seen || !c.sref)
		rc = -ENOMEM;
	for (int p = 0; p < os->nprocs && !rc; p++) {
		struct proc *pr = os->procs[p];

		rc = check_vmas(&c, pr->pid, pr->mm);
		if (!rc)
			rc = walk(&c, pr->pid, pr->mm,
				  (unsigned)os->m->cfg.levels,
				  pfn_pa(pr->mm->root), 0);
	}
	if (!rc)
		rc = count_caches(&c);
	if (!rc)
		rc = compare(&c);
	if (!rc)
		rc = check_idle(&c);
	free(c.fref);
	free(c.nmaps);
	free(c.pt_seen);
	free(c.sref);
	if (rc && !c.bad)
		snprintf(err, len, "%s", os->err);
	else if (!rc && len)
		err[0] = 0;
	return rc;
}

int os_page(struct os *os, int pid, uint64_t va, struct os_page_info *pi)
{
	struct proc *p = k_proc_find(os, pid);
	uint64_t epa, pfn;
	pte_t e;
	int rc;

	memset(pi, 0, sizeof(*pi));
	if (!p)
		return -ESRCH;
	rc = k_pt_leaf(os, p->mm, va & PG_MASK, false, &epa);
	if (rc == -ENOENT)
		return 0;
	if (!rc)
		rc = k_pte_read(os, epa, &e);
	if (rc || !e)
		return rc;
	pi->pte = e;
	if (pte_is_swap(e)) {
		pi->swapped = true;
		pi->swap_slot = k_pte_swp_slot(os, e);
		if (pi->swap_slot < os->nslots)
			pi->refcount = os->slots[pi->swap_slot].ref;
		return 0;
	}
	pfn = pte_pfn(os, e);
	pi->present = (e & PTE_P) != 0;
	pi->pa = pfn_pa(pfn);
	pi->writable = (e & PTE_RW) != 0;
	pi->dirty = (e & PTE_D) != 0;
	pi->accessed = (e & PTE_A) != 0;
	pi->user = (e & PTE_US) != 0;
	pi->nx = (e & PTE_XD) != 0;
	if (pfn < os->nframes) {
		const struct frame *f = &os->fr[pfn];

		pi->refcount = f->ref;
		pi->ksm = f->kind == FK_KSM;
		pi->zero_page = f->kind == FK_ZERO;
		pi->page_cache = f->kind == FK_FILE;
		pi->swap_cache = f->swap_slot != 0;
	}
	return 0;
}
