/* SPDX-License-Identifier: MIT */
/*
 * mmap, munmap, mprotect and brk with Linux's argument checks (in Linux's
 * order, so that the same bad call gets the same errno) and placement:
 * top-down below mmap_base, the stack guard gap respected, anonymous
 * mappings of a multiple of 2 MiB aligned to 2 MiB as Linux does for THP,
 * bottom-up from TASK_SIZE/3 when top-down finds nothing.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#define PMD_SIZE (2ull << 20)
/* Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK on x86-64). */
#define LEGACY_MAP_MASK (0x3u | 0x10u | 0x20u | 0x40u | 0x80u | 0x100u |      \
			 0x800u | 0x1000u | 0x2000u | 0x4000u | 0x8000u |     \
			 0x10000u | 0x20000u | 0x40000u | 0x100000u |         \
			 (0x1fu << 26))
#define MAP_TYPE_MASK 0x0f
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif

static struct mm *cur_mm(struct os *os)
{
	return os->cur ? os->cur->mm : NULL;
}

/* ---- placement ----------------------------------------------------------- */

static bool area_free(struct mm *mm, uint64_t addr, uint64_t len)
{
	size_t i = k_vma_find(mm, addr);

	return i == mm->nv || addr + len <= k_vma_start_gap(&mm->v[i]);
}

static bool topdown(struct os *os, struct mm *mm, uint64_t len, uint64_t *out)
{
	uint64_t high = os->mmap_base, low = PG_SIZE;

	for (size_t i = mm->nv + 1; i-- > 0;) {
		uint64_t top = i < mm->nv ? k_vma_start_gap(&mm->v[i])
					  : os->task_size;
		uint64_t bot = i > 0 ? mm->v[i - 1].end : 0;

		if (top > high)
			top = high;
		if (bot < low)
			bot = low;
		if (top > bot && top - bot >= len) {
			*out = top - len;
			return true;
		}
		if (i > 0 && mm->v[i - 1].end <= low)
			break;
	}
	return false;
}

static bool bottomup(struct os *os, struct mm *mm, uint64_t len,
		     uint64_t *out);

/* The lowest hole of at least len in [low, high). */
static bool lowest(struct mm *mm, uint64_t low, uint64_t high, uint64_t len,
		   uint64_t *out)
{
	for (size_t i = 0; i <= mm->nv; i++) {
		uint64_t top = i < mm->nv ? k_vma_start_gap(&mm->v[i]) : high;
		uint64_t bot = i > 0 ? mm->v[i - 1].end : 0;

		if (bot < low)
			bot = low;
		if (top > high)
			top = high;
		if (top > bot && top - bot >= len) {
			*out = bot;
			return true;
		}
	}
	return false;
}

static bool bottomup(struct os *os, struct mm *mm, uint64_t len,
		     uint64_t *out)
{
	return lowest(mm, PG_ALIGN(os->task_size / 3), os->task_size, len, out);
}

static bool search(struct os *os, struct mm *mm, uint64_t addr, uint64_t len,
		   int flags, uint64_t *out)
{
	if (addr) {
		addr &= PG_MASK;
		if (addr <= os->task_size - len && area_free(mm, addr, len)) {
			*out = addr;
			return true;
		}
	}
	/* MAP_32BIT: bottom-up in [1 GiB, 2 GiB) (x86-64 find_start_end). */
	if (flags & MAP_32BIT)
		return lowest(mm, 0x40000000, 0x80000000, len, out);
	return topdown(os, mm, len, out) || bottomup(os, mm, len, out);
}

/* Linux 6.7+: an anonymous mapping whose length is a multiple of 2 MiB is
 * placed on a 2 MiB boundary (__thp_get_unmapped_area). */
static bool thp_area(struct os *os, struct mm *mm, uint64_t len, uint64_t off,
		     uint64_t *out)
{
	uint64_t pad = len + PMD_SIZE, ret, sub;

	if (pad < len || !search(os, mm, 0, pad, 0, &ret))
		return false;
	sub = (off - ret) & (PMD_SIZE - 1);
	*out = sub ? ret + sub : ret + PMD_SIZE;
	return true;
}

int64_t k_get_unmapped_area(struct os *os, struct mm *mm, uint64_t addr,
			  uint64_t len, int flags)
{
	uint64_t ret;
	bool thp = !(flags & (MAP_FIXED | MAP_32BIT)) && !addr &&
		   !(len % PMD_SIZE) &&
		   (flags & MAP_TYPE_MASK) == MAP_PRIVATE &&
		   (flags & MAP_ANONYMOUS);

	if (len > os->task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		ret = addr;
	else if (!(thp && thp_area(os, mm, len, 0, &ret)) &&
		 !search(os, mm, addr, len, flags, &ret))
		return -ENOMEM;
	if (ret > os->task_size - len)
		return -ENOMEM;
	if (ret & ~PG_MASK)
		return -EINVAL;
	if (ret < os->mmap_min)
		return -EPERM; /* security_mmap_addr, unprivileged */
	return (int64_t)ret;
}

/* ---- releasing pages ------------------------------------------------------ */

static int zap_one(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		   pte_t e, void *ctx)
{
	uint64_t pfn;
	int rc;

	(void)ctx;
	if (pte_is_swap(e)) {
		k_slot_put(os, k_pte_swp_slot(os, e));
		return k_pte_set(os, epa, 0);
	}
	if (!pte_has_frame(e))
		return k_pte_set(os, epa, 0);
	pfn = pte_pfn(os, e);
	/* A store through a shared mapping left D: the page cache page is
	 * now dirty and will be written back. */
	if ((e & PTE_D) && os->fr[pfn].kind == FK_FILE)
		os->fr[pfn].dirty = true;
	rc = k_pte_write(os, mm, va, epa, e, 0);
	k_rmap_del(os, pfn, mm, va);
	k_frame_put(os, pfn);
	return rc;
}

int k_zap_range(struct os *os, struct mm *mm, struct vma *v, uint64_t start,
	      uint64_t end)
{
	(void)v;
	return k_pt_range(os, mm, start, end, zap_one, NULL);
}

static int sync_file_vma(struct os *os, const struct vma *v, uint64_t start,
			 uint64_t end)
{
	if (!v->ino || v->ino->shmem || !(v->flags & VM_SHARED))
		return 0;
	return k_pc_sync_range(os, v->ino, vma_index(v, start),
			     vma_index(v, end) - 1, true);
}

int k_do_munmap(struct os *os, struct mm *mm, uint64_t start, uint64_t end)
{
	size_t i = k_vma_find(mm, start);
	uint64_t lo, hi;
	int rc;

	if (i == mm->nv || mm->v[i].start >= end)
		return 0;
	if (mm->v[i].start < start) {
		rc = k_vma_split(os, mm, i, start);
		if (rc)
			return rc;
		i++;
	}
	while (i < mm->nv && mm->v[i].start < end) {
		if (mm->v[i].end > end) {
			rc = k_vma_split(os, mm, i, end);
			if (rc)
				return rc;
		}
		rc = k_zap_range(os, mm, &mm->v[i], mm->v[i].start, mm->v[i].end);
		/* Dirty shared pages reach the file at munmap. */
		if (!rc)
			rc = sync_file_vma(os, &mm->v[i], mm->v[i].start,
					   mm->v[i].end);
		if (rc)
			return rc;
		k_vma_release(os, &mm->v[i]);
		k_vma_remove(mm, i);
	}
	lo = i > 0 ? mm->v[i - 1].end : 0;
	hi = i < mm->nv ? mm->v[i].start : os->task_size + PG_SIZE;
	return k_pt_prune(os, mm, start, end, lo, hi);
}

/* ---- protection ------------------------------------------------------------ */

static int prot_one(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
		    pte_t e, void *ctx)
{
	const struct vma *v = ctx;
	pte_t n;

	if (!pte_has_frame(e))
		return 0;
	/* Shared pages become writable with the VMA; private ones keep
	 * their state: a read-only private page stays copy-on-write. */
	n = k_pte_for(os, pte_pfn(os, e), v,
		    (v->flags & VM_SHARED) || (e & PTE_RW));
	n |= e & (PTE_A | PTE_D | PTE_SW_COW);
	if (n == e)
		return 0;
	return k_pte_write(os, mm, va, epa, e, n);
}

int k_change_protection(struct os *os, struct mm *mm, struct vma *v,
		      uint64_t start, uint64_t end)
{
	struct vma copy = *v;

	return k_pt_range(os, mm, start, end, prot_one, &copy);
}

int k_vma_set_flags(struct os *os, struct mm *mm, size_t *pi, uint64_t start,
		    uint64_t end, vm_flags_t flags, int pkey)
{
	size_t i = *pi;
	int rc;

	if (mm->v[i].flags == flags && mm->v[i].pkey == pkey)
		return 0;
	rc = k_vma_isolate(os, mm, &i, start, end);
	if (rc)
		return rc;
	mm->v[i].flags = flags;
	mm->v[i].pkey = (uint8_t)pkey;
	rc = k_change_protection(os, mm, &mm->v[i], start, end);
	if (rc)
		return rc;
	*pi = k_vma_merge_around(os, mm, i);
	return 0;
}

static vm_flags_t prot_bits(int prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

int os_mprotect(struct os *os, uint64_t start, uint64_t len, int prot)
{
	return k_mprotect_pkey(os, start, len, prot, -1);
}

int k_mprotect_pkey(struct os *os, uint64_t start, uint64_t len, int prot,
		    int pkey)
{
	struct mm *mm = cur_mm(os);
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uint64_t end, tmp, nstart;
	size_t i;
	int rc = 0;

	if (!mm)
		return -ESRCH;
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & ~PG_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PG_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x8 /* PROT_SEM */))
		return -EINVAL;
	/* A key the process did not allocate cannot be named. */
	if (pkey != -1 && !k_pkey_allocated(os, mm, pkey))
		return -EINVAL;
	i = k_vma_find(mm, start);
	if (i == mm->nv || mm->v[i].start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		start = mm->v[i].start;
		if (!(mm->v[i].flags & VM_GROWSDOWN))
			return -EINVAL;
	} else if (grows & PROT_GROWSUP) {
		return -EINVAL; /* no VM_GROWSUP on x86 */
	} else if (mm->v[i].start > start) {
		return -ENOMEM;
	}
	tmp = mm->v[i].start;
	nstart = start;
	for (; i < mm->nv && mm->v[i].start < end; i++) {
		vm_flags_t nf;

		if (mm->v[i].start != tmp) {
			rc = -ENOMEM;
			break;
		}
		nf = prot_bits(prot) | (mm->v[i].flags & ~VM_ACCESS_FLAGS);
		/* Rights beyond VM_MAY*: e.g. PROT_WRITE on a shared
		 * mapping of a file opened read-only. */
		if ((nf & ~(nf >> 4)) & VM_ACCESS_FLAGS) {
			rc = -EACCES;
			break;
		}
		if ((nf & VM_WRITE) &&
		    !(mm->v[i].flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED |
					VM_NORESERVE)))
			nf |= VM_ACCOUNT; /* turning into data: charged */
		tmp = mm->v[i].end < end ? mm->v[i].end : end;
		rc = k_vma_set_flags(os, mm, &i, nstart, tmp, nf,
				     k_override_mprotect_pkey(os, mm, &mm->v[i],
							      prot, pkey));
		if (rc)
			break;
		/* After a merge the area may reach past end. */
		tmp = mm->v[i].end;
		nstart = tmp;
	}
	if (!rc && tmp < end)
		rc = -ENOMEM;
	return rc;
}

/* ---- mmap ------------------------------------------------------------------- */

/* The error code populating v faults with, or 0 when Linux's
 * check_vma_flags refuses the area (PROT_NONE; a write to a read-only
 * area). */
static uint32_t populate_ec(const struct vma *v, enum k_populate how)
{
	uint32_t ec = PFEC_US;

	if (!(v->flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0;
	/* MAP_POPULATE breaks copy-on-write in a private writable area
	 * now; shared ones are only read (not dirtied for nothing). */
	if (how == K_POP_WRITE ||
	    (how == K_POP_MAP && (v->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE))
		ec |= PFEC_WR;
	if ((ec & PFEC_WR) && !(v->flags & VM_WRITE))
		return 0;
	return ec;
}

int k_populate_range(struct os *os, struct mm *mm, uint64_t start,
		   uint64_t end, enum k_populate how)
{
	for (uint64_t va = start; va < end;) {
		size_t i = k_vma_find(mm, va);
		const struct vma *v = i < mm->nv ? &mm->v[i] : NULL;
		uint64_t stop;
		uint32_t ec;

		if (!v || v->start >= end)
			return how == K_POP_MAP ? 0 : -ENOMEM;
		if (v->start > va) {
			if (how != K_POP_MAP)
				return -ENOMEM;
			va = v->start;
		}
		stop = v->end < end ? v->end : end;
		ec = populate_ec(v, how);
		if (!ec) {
			if (how != K_POP_MAP)
				return -EINVAL;
			va = stop; /* the whole area at once */
			continue;
		}
		for (; va < stop; va += PG_SIZE) {
			int r = k_handle_fault(os, mm, va, ec);

			if (r < 0)
				return r;
			if (r == FR_OOM)
				return -ENOMEM;
			if (r == FR_DONE)
				continue;
			if (how != K_POP_MAP)
				return -EFAULT;
			va = stop; /* a signal: the next area */
			break;
		}
	}
	return 0;
}

static uint64_t round_hint(struct os *os, uint64_t hint)
{
	hint &= PG_MASK;
	if (hint && hint < os->mmap_min)
		return os->mmap_min;
	return hint;
}

/* The VMA flags and checks of a file mapping (k_do_mmap's file branch). */
static int file_flags(const struct ofile *of, int prot, int *flags,
		      vm_flags_t *vmf, uint64_t pgoff, uint64_t len)
{
	uint64_t max = INT64_MAX;
	int acc = of->flags & O_ACCMODE;

	if (of->ino->is_reg) {
		if (len > max)
			return -EOVERFLOW;
		max -= len;
		if (pgoff > max >> PG_SHIFT)
			return -EOVERFLOW;
	}
	switch (*flags & MAP_TYPE_MASK) {
	case MAP_SHARED:
		*flags &= (int)LEGACY_MAP_MASK;
		/* fall through */
	case MAP_SHARED_VALIDATE:
		if ((unsigned)*flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && acc == O_RDONLY)
			return -EACCES;
		*vmf |= VM_SHARED | VM_MAYSHARE;
		if (acc == O_RDONLY)
			*vmf &= ~(VM_MAYWRITE | VM_SHARED);
		/* fall through */
	case MAP_PRIVATE:
		if (acc == O_WRONLY)
			return -EACCES;
		if (!of->ino->is_reg)
			return -ENODEV;
		if (*vmf & VM_GROWSDOWN)
			return -EINVAL;
		if (*flags & MAP_HUGETLB)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int anon_flags(int flags, vm_flags_t *vmf, uint64_t *pgoff,
		      uint64_t addr)
{
	switch (flags & MAP_TYPE_MASK) {
	case MAP_SHARED:
		if (*vmf & VM_GROWSDOWN)
			return -EINVAL;
		*pgoff = 0;
		*vmf |= VM_SHARED | VM_MAYSHARE;
		break;
	case MAP_DROPPABLE:
		/* Linux 6.11+: pages reclaim may drop even when dirty; never
		 * locked, stack, swapped, inherited or dumped. */
		if (flags & (MAP_LOCKED | MAP_HUGETLB))
			return -EINVAL;
		if (*vmf & VM_GROWSDOWN)
			return -EINVAL;
		*vmf |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK |
			VM_DONTDUMP;
		/* fall through */
	case MAP_PRIVATE:
		*pgoff = addr >> PG_SHIFT;
		break;
	default:
		return -EINVAL;
	}
	if (flags & MAP_HUGETLB)
		return -ENOMEM; /* no huge pages reserved */
	return 0;
}

/* mmap_region: replace what is there, then merge or insert. */
static int map_region(struct os *os, struct mm *mm, struct vma *nv)
{
	size_t i;
	int rc = k_do_munmap(os, mm, nv->start, nv->end);

	if (rc)
		return rc;
	if ((nv->flags & VM_SHARED) && !nv->ino) {
		nv->ino = k_shmem_new(os, nv->end - nv->start);
		if (!nv->ino)
			return os_fail(os, -ENOMEM, "host out of memory");
		nv->pgoff = 0;
		rc = k_vma_insert(os, mm, nv);
		if (rc)
			k_inode_put(os, nv->ino); /* unused: freed */
		return rc;
	}
	rc = k_vma_insert(os, mm, nv);
	if (rc)
		return rc;
	i = k_vma_find(mm, nv->start);
	k_vma_merge_around(os, mm, i);
	return 0;
}

int k_do_mmap(struct os *os, struct mm *mm, uint64_t addr, uint64_t len,
	    int prot, int flags, struct ofile *of, uint64_t pgoff, int64_t *res)
{
	vm_flags_t vmf;
	int64_t a;
	int rc, pkey = 0;

	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint(os, addr);
	len = PG_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PG_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->nv > MAX_MAP_COUNT)
		return -ENOMEM;
	a = k_get_unmapped_area(os, mm, addr, len,
			      of ? flags & ~MAP_ANONYMOUS : flags);
	if (a < 0)
		return (int)a;
	addr = (uint64_t)a;
	if (flags & MAP_FIXED_NOREPLACE) {
		size_t i = k_vma_find(mm, addr);

		if (i < mm->nv && mm->v[i].start < addr + len)
			return -EEXIST;
	}
	/* PROT_EXEC alone: Linux's execute-only key (0 when there is none). */
	if (prot == PROT_EXEC) {
		pkey = k_execute_only_pkey(os, mm);
		if (pkey < 0)
			pkey = 0;
	}
	/* calc_vm_flag_bits(): MAP_STACK means no huge pages (Linux 6.7+). */
	vmf = prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
	      ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) |
	      ((flags & MAP_LOCKED) ? VM_LOCKED : 0) |
	      ((flags & MAP_STACK) ? VM_NOHUGEPAGE : 0) | mm->def_flags;
	if ((flags & MAP_LOCKED) && !k_memlock_limit(os))
		return -EPERM; /* can_do_mlock() */
	if (!k_mlock_future_ok(os, mm, vmf, len))
		return -EAGAIN;
	rc = of ? file_flags(of, prot, &flags, &vmf, pgoff, len)
		: anon_flags(flags, &vmf, &pgoff, addr);
	if (rc)
		return rc;
	if (flags & MAP_NORESERVE)
		vmf |= VM_NORESERVE;
	/* accountable_mapping(): private writable memory is charged, and
	 * the VM_ACCOUNT flag then stays (it matters for merging). */
	if ((vmf & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE)
		vmf |= VM_ACCOUNT;
	if (os->o.ksm && !of && !(vmf & VM_SHARED))
		vmf |= VM_MERGEABLE;
	struct vma nv = { .start = addr, .end = addr + len, .flags = vmf,
			  .ino = of ? of->ino : NULL, .pgoff = pgoff,
			  .pkey = (uint8_t)pkey,
			  .file_id = of ? of->id : 0 };
	rc = map_region(os, mm, &nv);
	if (rc)
		return rc;
	*res = (int64_t)addr;
	vmf = k_vma_at(mm, addr)->flags;
	if ((vmf & VM_LOCKED_MASK) == VM_LOCKED ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		k_populate_range(os, mm, addr, addr + len, K_POP_MAP);
	return 0;
}

int64_t os_mmap(struct os *os, uint64_t addr, uint64_t len, int prot,
		int flags, int fd, uint64_t off)
{
	struct mm *mm = cur_mm(os);
	struct ofile *of = NULL;
	int64_t res;
	int rc;

	if (!mm)
		return -ESRCH;
	if (off & ~PG_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		of = k_fd_get(os->cur, fd);
		if (!of)
			return -EBADF;
	}
	rc = k_do_mmap(os, mm, addr, len, prot, flags, of, off >> PG_SHIFT, &res);
	return rc ? rc : res;
}

int os_munmap(struct os *os, uint64_t start, uint64_t len)
{
	struct mm *mm = cur_mm(os);
	uint64_t end;

	if (!mm)
		return -ESRCH;
	if ((start & ~PG_MASK) || start > os->task_size ||
	    len > os->task_size - start)
		return -EINVAL;
	end = start + PG_ALIGN(len);
	if (end == start)
		return -EINVAL;
	return k_do_munmap(os, mm, start, end);
}

/* ---- brk ----------------------------------------------------------------- */

static int brk_grow(struct os *os, struct mm *mm, uint64_t oldbrk,
		    uint64_t newbrk)
{
	const vm_flags_t flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			       VM_MAYEXEC | VM_ACCOUNT | mm->def_flags |
			       (os->o.ksm ? VM_MERGEABLE : 0);
	size_t i = k_vma_find(mm, oldbrk);
	struct vma nv = { .start = oldbrk, .end = newbrk, .flags = flags,
			  .pgoff = oldbrk >> PG_SHIFT };

	if (i < mm->nv && newbrk + PG_SIZE > k_vma_start_gap(&mm->v[i]))
		return -ENOMEM;
	if (newbrk > os->task_size)
		return -ENOMEM;
	if (!k_mlock_future_ok(os, mm, flags, newbrk - oldbrk))
		return -EAGAIN;
	/* The heap VMA (one that ends at the old break and lies above
	 * start_brk) grows; otherwise a new VMA, never merged with what is
	 * below start_brk (Linux 6.x's do_brk_flags). */
	if (i > 0) {
		struct vma *p = &mm->v[i - 1];

		if (p->end == oldbrk && p->end > mm->start_brk &&
		    k_vma_can_merge(p, &nv)) {
			p->end = newbrk;
			return 0;
		}
	}
	return k_vma_insert(os, mm, &nv);
}

int64_t os_brk(struct os *os, uint64_t brk)
{
	struct mm *mm = cur_mm(os);
	uint64_t origbrk, newbrk, oldbrk;

	if (!mm)
		return -ESRCH;
	origbrk = mm->brk;
	if (brk < mm->start_brk)
		return (int64_t)origbrk;
	newbrk = PG_ALIGN(brk);
	oldbrk = PG_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return (int64_t)brk;
	}
	if (brk <= mm->brk) {
		mm->brk = brk;
		if (k_do_munmap(os, mm, newbrk, oldbrk)) {
			mm->brk = origbrk;
			return (int64_t)origbrk;
		}
		return (int64_t)brk;
	}
	if (newbrk < oldbrk || brk_grow(os, mm, oldbrk, newbrk))
		return (int64_t)origbrk;
	mm->brk = brk;
	if ((mm->def_flags & VM_LOCKED_MASK) == VM_LOCKED) /* mlockall(MCL_FUTURE) */
		k_populate_range(os, mm, oldbrk, newbrk, K_POP_MAP);
	return (int64_t)brk;
}
