/* SPDX-License-Identifier: MIT */
/*
 * Kernel internals shared by the files of sw/os (not for users of os.h).
 *
 * One concern per file:
 *   os.c        creation, errors, stats        frame.c    frames, refcounts, rmap
 *   pcid.c      PCIDs, CR3, TLB invalidation   pgtable.c  page-table walks and edits
 *   vma.c       the VMA set: find/split/merge  mmap.c     mmap/munmap/mprotect/brk
 *   madvise.c   madvise/msync                  fault.c    the page-fault handler
 *   access.c    user accesses + retry          proc.c     processes, spawn/exit/switch
 *   fork.c      fork (COW)                     exec.c     ELF loader
 *   file.c      descriptors, inodes, I/O       pagecache.c  page cache, writeback
 *   swap.c      swap slots, swap in/out        k_reclaim.c  clock (second chance)
 *   ksm.c       same-page merging              maps.c     /proc/PID/maps
 *   check.c     os_check                       hmap.c     u64 -> u64 hash map
 *   pkeys.c     protection keys: pkey_*, PKRU, execute-only memory
 *   mlock.c     mincore, mlock family          mremap.c   mremap
 */
#ifndef MMU_OS_INT_H
#define MMU_OS_INT_H

#include "os.h"
#include "machine/pagetable.h"

#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>

#define PG_SHIFT 12
#define PG_SIZE (1ull << PG_SHIFT)
#define PG_MASK (~(PG_SIZE - 1))
#define PG_ALIGN(x) (((x) + PG_SIZE - 1) & PG_MASK)

#define STACK_GUARD_GAP (256ull << PG_SHIFT) /* Linux stack_guard_gap */
#define MAX_MAP_COUNT 65530                  /* vm.max_map_count */
#define STACK_EXPAND (128ull << 10)          /* setup_arg_pages: 128 KiB */

/* ---- software bits of entries (pte.h: AVL 9..11, 52..62) ---------------- */
/*
 * A leaf entry is one of:
 *   0                       nothing
 *   P=1                     a present page (frame in the frame field)
 *   P=0, SW_SWAP            a swap entry: slot number in the frame field
 *   P=0, SW_PROTNONE        a PROT_NONE page: the frame stays referenced
 *                           but the hardware sees a non-present entry (as
 *                           Linux's _PAGE_PROTNONE)
 */
#define PTE_SW_SWAP     (1ull << 9)
#define PTE_SW_PROTNONE (1ull << 10)
#define PTE_SW_COW      (1ull << 11) /* write-protected for copy-on-write */

static inline bool pte_has_frame(pte_t e)
{
	return (e & PTE_P) || (e & PTE_SW_PROTNONE);
}

static inline bool pte_is_swap(pte_t e)
{
	return !(e & PTE_P) && (e & PTE_SW_SWAP);
}

/* ---- VMA flags: Linux's VM_* values ------------------------------------- */
typedef uint64_t vm_flags_t;
#define VM_READ       0x00000001ull
#define VM_WRITE      0x00000002ull
#define VM_EXEC       0x00000004ull
#define VM_SHARED     0x00000008ull
#define VM_MAYREAD    0x00000010ull
#define VM_MAYWRITE   0x00000020ull
#define VM_MAYEXEC    0x00000040ull
#define VM_MAYSHARE   0x00000080ull
#define VM_GROWSDOWN  0x00000100ull
#define VM_LOCKED     0x00002000ull
#define VM_LOCKONFAULT 0x00080000ull /* mlock2/mlockall MCL_ONFAULT */
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define VM_SEQ_READ   0x00008000ull
#define VM_RAND_READ  0x00010000ull
#define VM_DONTCOPY   0x00020000ull
#define VM_ACCOUNT    0x00100000ull /* charged private writable memory */
#define VM_NORESERVE  0x00200000ull
#define VM_WIPEONFORK 0x02000000ull
#define VM_DONTDUMP   0x04000000ull
#define VM_HUGEPAGE   0x20000000ull
#define VM_NOHUGEPAGE 0x40000000ull
#define VM_MERGEABLE  0x80000000ull
#define VM_DROPPABLE  (1ull << 40) /* MAP_DROPPABLE (Linux 6.11+, 64-bit) */
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

/* ---- u64 -> u64 hash map (hmap.c) ---------------------------------------- */
struct hmap {
	uint64_t *keys, *vals;
	uint8_t *used;
	size_t cap, n;
};
int k_hmap_put(struct hmap *h, uint64_t key, uint64_t val);
bool k_hmap_get(const struct hmap *h, uint64_t key, uint64_t *val);
bool k_hmap_del(struct hmap *h, uint64_t key);
void k_hmap_free(struct hmap *h);
/* Iterate: i from 0 while k_hmap_next returns true. */
bool k_hmap_next(const struct hmap *h, size_t *i, uint64_t *key, uint64_t *val);

/* ---- files ---------------------------------------------------------------- */

/* One per host file (dev, ino) or per shared-anonymous object: the owner of
 * the page cache. */
struct inode {
	struct inode *next;
	unsigned refs;     /* open files + VMAs */
	bool shmem;        /* MAP_SHARED|MAP_ANONYMOUS memory (no host file) */
	int rfd, wfd;      /* host descriptors for reading / writing back */
	uint64_t size;     /* file size (shmem: the mapping's length) */
	uint64_t dev_major, dev_minor, ino;
	char *path;        /* canonical host path (for maps) */
	bool is_reg;       /* regular file (mmap-able) */
	bool unlinked;     /* its last name is gone: "(deleted)" in maps */
	unsigned writers;  /* open files that may write (i_writecount > 0) */
	unsigned exec_deny; /* mms running it (i_writecount < 0): ETXTBSY */
	/* index -> page: (pfn << 1) resident, (slot << 1) | 1 swapped (shmem) */
	struct hmap pages;
};

/* An open file description (shared by fork). */
struct ofile {
	unsigned refs;
	struct inode *ino;
	int flags;  /* O_ACCMODE | O_APPEND */
	uint64_t id;  /* identity of this description (Linux's struct file):
		       * areas merge only when they map the same one */
};

/* ---- VMAs, mm, processes ------------------------------------------------- */
struct vma {
	uint64_t start, end;
	vm_flags_t flags;    /* VM_* */
	struct inode *ino;   /* file or shmem, NULL for anonymous */
	uint64_t pgoff;      /* in pages; anonymous: start >> 12 */
	uint64_t anon_id;    /* Linux's anon_vma identity (0: none yet) */
	uint8_t pkey;        /* protection key (Linux's VM_PKEY_BIT0..3) */
	uint64_t file_id;    /* the open file description mapped (vm_file):
			      * ofile id, 0 for anonymous memory */
};

struct mm {
	uint64_t root;       /* PA of the top-level table */
	uint16_t pcid;
	uint64_t pcid_gen;   /* generation pcid belongs to (0: none) */
	struct vma *v;       /* sorted, disjoint */
	size_t nv, cap;
	uint64_t start_brk, brk, start_stack;
	uint16_t pkey_map;     /* allocated protection keys (bit 0: key 0) */
	int exec_only_pkey;    /* execute-only memory's key, -1: none yet */
	struct inode *exe;   /* the executable (exe_file): denies writing */
	vm_flags_t def_flags; /* given to new areas: VM_LOCKED after
			       * mlockall(MCL_FUTURE) */
};

struct proc {
	int pid;
	struct mm *mm;
	struct ofile **fds;
	int nfds;
	uint32_t pkru;       /* the thread's PKRU, loaded while current */
};

/* ---- physical frames ------------------------------------------------------ */
enum frame_kind {
	FK_FREE, FK_KERNEL, FK_ZERO, FK_PT, FK_ANON, FK_FILE, FK_KSM,
};

struct rmap_ent {
	struct mm *mm;
	uint64_t va;
};

struct frame {
	uint32_t ref;
	uint8_t kind;
	bool dirty;          /* page cache: newer than the backing store */
	bool lazyfree;       /* anonymous, given MADV_FREE: dropped instead
			      * of swapped when reclaimed while no PTE is
			      * dirty (Linux's !PageSwapBacked) */
	uint16_t pin;        /* the kernel is using it: k_reclaim skips it */
	uint32_t nmap, mcap; /* reverse map: the PTEs that map it */
	struct rmap_ent *maps;
	struct inode *ino;   /* page cache: owner and index */
	uint64_t index;
	uint64_t swap_slot;  /* swap cache: slot + 1 (0: not in swap cache) */
	uint64_t ksm_hash;
};

struct swap_slot {
	uint32_t ref;        /* swap entries + shmem references */
	uint64_t cache;      /* pfn + 1 of the swap-cache frame (0: none) */
	uint8_t *data;
};

struct os {
	struct machine *m;
	struct os_opts o;
	char err[256];
	struct os_siginfo last_sig;
	struct os_stats st;
	os_trace_fn trace;       /* os_set_trace */
	void *trace_ctx;

	uint64_t task_size, mmap_base, mmap_min;

	/* frames */
	uint64_t nframes;
	struct frame *fr;
	uint64_t *freel;
	uint64_t nfree;
	uint64_t zero_pfn, idle_root;
	uint64_t clock_hand;
	bool in_reclaim;

	bool pku;  /* CR4.PKE on: protection keys (pkeys.c) */

	/* PCIDs */
	bool pcide;
	unsigned pcid_limit;
	uint64_t pcid_gen;
	uint8_t *pcid_used;
	uint16_t cur_pcid;

	/* processes */
	struct proc **procs;
	int nprocs, cap_procs, next_pid;
	struct proc *cur;

	/* swap */
	struct swap_slot *slots;
	uint64_t nslots, nslots_used, slot_hint;

	/* files */
	struct inode *inodes;
	uint64_t next_shmem_ino;
	char *root;

	/* KSM stable tree: content hash -> pfn */
	struct hmap ksm;

	uint64_t next_anon_id;
	uint64_t next_file_id; /* ofile identities */
};

/* ---- os.c ------------------------------------------------------------------ */
int os_fail(struct os *os, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* calloc(n, size) that, when the host refuses, says what and how much in
 * os_strerror() (the caller returns -ENOMEM). */
void *k_calloc(struct os *os, uint64_t n, size_t size, const char *what);
/* A machine call's result as an errno: MMU errors become -EIO. */
int os_mchk(struct os *os, int rc, const char *what);

/* ---- frame.c --------------------------------------------------------------- */
int k_frame_init(struct os *os);
void k_frame_fini(struct os *os);
/* Allocate a frame, reclaiming when memory is full: -ENOMEM (OOM). */
int k_frame_alloc(struct os *os, enum frame_kind kind, uint64_t *pfn);
void k_frame_get(struct os *os, uint64_t pfn);
/* Drop one reference; frees the frame at zero. */
void k_frame_put(struct os *os, uint64_t pfn);
int k_frame_zero(struct os *os, uint64_t pfn);
int k_frame_copy(struct os *os, uint64_t dst, uint64_t src);
static inline uint64_t pfn_pa(uint64_t pfn) { return pfn << PG_SHIFT; }
int k_rmap_add(struct os *os, uint64_t pfn, struct mm *mm, uint64_t va);
void k_rmap_del(struct os *os, uint64_t pfn, struct mm *mm, uint64_t va);
/* The PTEs that map pfn (its rmap) with every bit of test set: clear
 * cleared in each (clear 0: none written, and the first one ends the
 * look); *hit when there was one.  0 or a negative errno. */
int k_rmap_test_clear(struct os *os, uint64_t pfn, pte_t test, pte_t clear,
		      bool *hit);
/* Frames that reference counting and reverse maps apply to. */
static inline bool frame_is_user(const struct frame *f)
{
	return f->kind == FK_ANON || f->kind == FK_FILE || f->kind == FK_KSM;
}

/* ---- pcid.c ---------------------------------------------------------------- */
void k_pcid_init(struct os *os);
/* Load mm (NULL: the idle table) into CR3. */
int k_mm_activate(struct os *os, struct mm *mm);
void k_pcid_release(struct os *os, struct mm *mm);
int k_tlb_flush_page(struct os *os, struct mm *mm, uint64_t va);
int k_tlb_flush_mm(struct os *os, struct mm *mm);

/* ---- pgtable.c ------------------------------------------------------------- */
/* Physical address of va's leaf entry; alloc creates missing tables.
 * Returns -ENOENT when a table is missing and !alloc. */
int k_pt_leaf(struct os *os, struct mm *mm, uint64_t va, bool alloc,
	    uint64_t *epa);
int k_pte_read(struct os *os, uint64_t epa, pte_t *e);
/* The leaf entry of mm at va, 0 when no table reaches it. */
int k_pte_get(struct os *os, struct mm *mm, uint64_t va, pte_t *e);
/* Write a leaf entry without invalidation (the caller flushes). */
int k_pte_set(struct os *os, uint64_t epa, pte_t e);
/* Write a leaf entry of mm at va and invalidate the TLB if the old entry
 * could be cached (it was present). */
int k_pte_write(struct os *os, struct mm *mm, uint64_t va, uint64_t epa,
	      pte_t old, pte_t val);
/* Visit every non-zero leaf entry in [start, end): fn(os, mm, va, epa, e,
 * ctx).  A non-zero return stops the walk and is returned. */
typedef int (*pt_visit_fn)(struct os *os, struct mm *mm, uint64_t va,
			   uint64_t epa, pte_t e, void *ctx);
int k_pt_range(struct os *os, struct mm *mm, uint64_t start, uint64_t end,
	     pt_visit_fn fn, void *ctx);
/* Free the tables that only cover [lo, hi) (no VMA there), limited to the
 * tables touching [start, end). */
int k_pt_prune(struct os *os, struct mm *mm, uint64_t start, uint64_t end,
	     uint64_t lo, uint64_t hi);
/* Free every table of mm (leaves must already be released). */
int k_pt_free_all(struct os *os, struct mm *mm);
/* A user leaf entry for frame pfn with the rights of vma flags. */
pte_t k_pte_for(struct os *os, uint64_t pfn, const struct vma *v,
		bool writable);
static inline uint64_t pte_pfn(struct os *os, pte_t e)
{
	return pt_frame(&os->m->cfg, e) >> PG_SHIFT;
}
pte_t k_pte_swp(struct os *os, uint64_t slot);
uint64_t k_pte_swp_slot(struct os *os, pte_t e);

/* ---- vma.c ----------------------------------------------------------------- */
/* Index of the first VMA with end > addr (mm->nv when none). */
size_t k_vma_find(const struct mm *mm, uint64_t addr);
struct vma *k_vma_at(struct mm *mm, uint64_t addr); /* containing addr */
int k_vma_insert(struct os *os, struct mm *mm, const struct vma *v);
void k_vma_remove(struct mm *mm, size_t i);
/* Split v[i] at addr (strictly inside): v[i] keeps the lower part. */
int k_vma_split(struct os *os, struct mm *mm, size_t i, uint64_t addr);
/* Split v[*pi] where start and end fall inside it, so that the VMA at *pi
 * (moved to the part from start) covers no more than [start, end). */
int k_vma_isolate(struct os *os, struct mm *mm, size_t *pi, uint64_t start,
		  uint64_t end);
bool k_vma_can_merge(const struct vma *a, const struct vma *b);
/* Merge v[i] with its neighbours where Linux would; returns the index of
 * the VMA that now holds v[i]'s range. */
size_t k_vma_merge_around(struct os *os, struct mm *mm, size_t i);
void k_vma_release(struct os *os, struct vma *v); /* drops the inode ref */
uint64_t k_vma_start_gap(const struct vma *v);
static inline uint64_t vma_index(const struct vma *v, uint64_t va)
{
	return v->pgoff + ((va - v->start) >> PG_SHIFT);
}
uint64_t k_anon_id_new(struct os *os);
/* Give v an anon_vma identity before its first anonymous page. */
void k_vma_anon_prepare(struct os *os, struct mm *mm, struct vma *v);

/* ---- mmap.c ---------------------------------------------------------------- */
/* Unmap [start, end) (page-aligned): split, zap, release, prune tables. */
int k_do_munmap(struct os *os, struct mm *mm, uint64_t start, uint64_t end);
/* Release every page of [start, end) inside v. */
int k_zap_range(struct os *os, struct mm *mm, struct vma *v, uint64_t start,
	      uint64_t end);
int64_t k_get_unmapped_area(struct os *os, struct mm *mm, uint64_t addr,
			  uint64_t len, int flags);
/* Fault in the pages of [start, end), VMA by VMA as Linux's populate:
 * K_POP_MAP (MAP_POPULATE, MAP_LOCKED: errors ignored, an area that cannot
 * be faulted is skipped whole), K_POP_READ / K_POP_WRITE (madvise:
 * -EINVAL for an area without the access, -EFAULT when a fault would
 * signal, -ENOMEM for a hole or out of memory). */
enum k_populate { K_POP_MAP, K_POP_READ, K_POP_WRITE };
int k_populate_range(struct os *os, struct mm *mm, uint64_t start,
		   uint64_t end, enum k_populate how);
/* Recompute the PTEs of [start, end) for the VMA's new flags. */
int k_change_protection(struct os *os, struct mm *mm, struct vma *v,
		      uint64_t start, uint64_t end);
int k_do_mmap(struct os *os, struct mm *mm, uint64_t addr, uint64_t len,
	    int prot, int flags, struct ofile *of, uint64_t off, int64_t *res);

/* mprotect / pkey_mprotect (pkey -1: keep or choose as Linux does). */
int k_mprotect_pkey(struct os *os, uint64_t start, uint64_t len, int prot,
		    int pkey);

/* ---- pkeys.c ---------------------------------------------------------------- */
#define PKRU_INIT 0x55555554u  /* Linux's init_pkru_value: keys 1..15 AD */
void k_pkeys_mm_init(const struct os *os, struct mm *mm);
/* Load p's PKRU into the machine (p is becoming current). */
int k_pkru_load(struct os *os, const struct proc *p);
/* Would the current thread's PKRU let a data access of this kind reach
 * memory with key pkey?  (Linux's arch_vma_access_permitted.) */
bool k_pkru_allows(const struct os *os, unsigned pkey, bool write);
/* mm_pkey_is_allocated(): keys a user may name (not the execute-only one). */
bool k_pkey_allocated(const struct os *os, const struct mm *mm, int pkey);
/* execute_only_pkey(): the key of PROT_EXEC-only memory, allocated and
 * access-disabled in the current PKRU on first use; -1 when none. */
int k_execute_only_pkey(struct os *os, struct mm *mm);
/* arch_override_mprotect_pkey(): the key an mprotect gives VMA v. */
int k_override_mprotect_pkey(struct os *os, struct mm *mm,
			     const struct vma *v, int prot, int pkey);
/* Give [start, end) inside v[*i] new flags and protection key: split,
 * change the PTEs, re-merge (*i: the area that holds the range after). */
int k_vma_set_flags(struct os *os, struct mm *mm, size_t *i, uint64_t start,
		    uint64_t end, vm_flags_t flags, int pkey);

/* ---- mlock.c --------------------------------------------------------------- */
uint64_t k_memlock_limit(const struct os *os); /* RLIMIT_MEMLOCK, bytes */
uint64_t k_locked_vm(const struct mm *mm);
bool k_mlock_future_ok(const struct os *os, const struct mm *mm,
		       vm_flags_t flags, uint64_t len);

/* ---- fault.c --------------------------------------------------------------- */
enum fault_res {
	FR_DONE = 0, FR_SEGV_MAPERR, FR_SEGV_ACCERR, FR_SIGBUS, FR_OOM,
	FR_SEGV_PKUERR,
};
/* Handle a #PF of mm at va with error code ec: >= 0 an fault_res, or a
 * negative errno (-EIO). */
int k_handle_fault(struct os *os, struct mm *mm, uint64_t va, uint32_t ec);
int k_expand_stack(struct os *os, struct mm *mm, size_t i, uint64_t va);

/* ---- proc.c ---------------------------------------------------------------- */
struct proc *k_proc_find(struct os *os, int pid);
int k_mm_new(struct os *os, struct mm **out);
/* Release everything mm holds (pages, tables, PCID) and free it. */
int k_mm_destroy(struct os *os, struct mm *mm);
int k_proc_new(struct os *os, struct proc **out);
void k_proc_free(struct os *os, struct proc *p);

/* ---- file.c ---------------------------------------------------------------- */
struct ofile *k_fd_get(struct proc *p, int fd);
void k_ofile_put(struct os *os, struct ofile *of);
int k_fd_install(struct proc *p, struct ofile *of);
void k_inode_get(struct inode *ino);
void k_inode_put(struct os *os, struct inode *ino);
int k_inode_open_host(struct os *os, const char *path, int flags, int mode,
		    struct inode **out, int *accmode);
struct inode *k_shmem_new(struct os *os, uint64_t size);
/* Is the host file st open for writing here (execve: ETXTBSY)? */
bool k_inode_writing(struct os *os, const struct stat *st);
/* mm runs ino (NULL: nothing): a reference that denies writing. */
void k_mm_set_exe(struct os *os, struct mm *mm, struct inode *ino);
char *k_path_resolve(struct os *os, const char *path);

/* ---- pagecache.c ----------------------------------------------------------- */
/* The page cache frame of (ino, index), read in if needed (*major set when
 * I/O was done).  -ENOMEM (OOM), -EIO. */
int k_pc_get(struct os *os, struct inode *ino, uint64_t index, uint64_t *pfn,
	   bool *major);
bool k_pc_lookup(struct inode *ino, uint64_t index, uint64_t *pfn);
/* Move the D bits of every PTE mapping pfn into the frame's dirty flag
 * (clearing them, with TLB invalidation). */
int k_pc_harvest_dirty(struct os *os, uint64_t pfn);
int k_pc_writeback_page(struct os *os, uint64_t pfn);
/* Harvest and write back pages [first, last] of ino (last inclusive). */
int k_pc_sync_range(struct os *os, struct inode *ino, uint64_t first,
		  uint64_t last, bool write);
/* Remove a page from the cache (after it is unmapped). */
void k_pc_remove(struct os *os, uint64_t pfn);
/* Drop the whole cache of ino (at last reference): written back first. */
int k_pc_release_inode(struct os *os, struct inode *ino);
/* Unmap pfn from every PTE that maps it (the PTEs become `repl`). */
int k_unmap_frame(struct os *os, uint64_t pfn, pte_t repl, bool *dirty);
int k_pc_truncate(struct os *os, struct inode *ino, uint64_t newsize);
/* Before the file grows to newsize: cached bytes past the old EOF become
 * zero (what a mapping stored there must not appear in the file). */
int k_pc_extend(struct os *os, struct inode *ino, uint64_t newsize);
/* Punch a hole of [off, off + len) in ino (FALLOC_FL_PUNCH_HOLE |
 * FALLOC_FL_KEEP_SIZE, MADV_REMOVE): whole pages leave the cache and every
 * mapping of them, partial ones are zeroed, the host file gets the hole. */
int k_pc_punch(struct os *os, struct inode *ino, uint64_t off, uint64_t len);

/* ---- swap.c ---------------------------------------------------------------- */
int k_swap_init(struct os *os);
void k_swap_fini(struct os *os);
int k_slot_alloc(struct os *os, uint64_t *slot);
void k_slot_get(struct os *os, uint64_t slot);
void k_slot_put(struct os *os, uint64_t slot);
int k_slot_write(struct os *os, uint64_t slot, uint64_t pfn);
int k_slot_read(struct os *os, uint64_t slot, uint64_t pfn);
/* The frame holding slot's data for a fault (swap cache or a new frame):
 * the caller's PTE reference is moved from the slot to the frame. */
int k_swap_in(struct os *os, uint64_t slot, uint64_t *pfn, bool *major);

/* ---- k_reclaim.c ------------------------------------------------------------- */
/* Free up to n frames; returns how many were freed (>= 0) or -EIO. */
int64_t k_reclaim(struct os *os, uint64_t n);
/* Evict one frame now if possible: 1 freed, 0 not possible, < 0 error. */
int k_evict_frame(struct os *os, uint64_t pfn);

/* ---- ksm.c ----------------------------------------------------------------- */
void k_ksm_forget(struct os *os, uint64_t pfn);
int k_ksm_unmerge_range(struct os *os, struct mm *mm, uint64_t start,
		      uint64_t end);

/* ---- fault.c helpers used by ksm/madvise ---------------------------------- */
int k_cow_break(struct os *os, struct mm *mm, struct vma *v, uint64_t va,
	      uint64_t epa, pte_t e);

#endif
