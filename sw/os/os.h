/* SPDX-License-Identifier: MIT */
/*
 * The OS: a small kernel with Linux memory-management semantics that runs
 * on any `machine` back end (golden, lockstep, rtl).  It owns the machine's
 * physical memory (frames with reference counts, page tables written
 * through the coherent physical path), processes (mm: page-table root, PCID,
 * VMA set, file descriptors), demand paging, copy-on-write, a page cache
 * over real host files, swap, KSM, and the TLB invalidation all of this
 * needs.  docs/os.md describes the design and the Linux behaviours matched.
 *
 * Conventions
 *  - Every call returns 0 (or a non-negative value) on success and a
 *    negative errno value (<errno.h> names) on failure, exactly the value
 *    Linux's system call would return for the same arguments.  Nothing
 *    here exits or prints.
 *  - -EIO means the machine itself failed (a back-end error, a lockstep
 *    mismatch); os_strerror() then says what happened.  After -EIO the
 *    kernel's state may no longer match the hardware's.
 *  - Memory calls act on the current process (os_switch); with no current
 *    process they return -ESRCH.
 *  - A user access that faults and cannot be resolved is not an error: it
 *    returns 0 and reports the signal (SIGSEGV, SIGBUS) in *sig.
 *  - PROT_*, MAP_*, MADV_*, MS_*, O_* values are Linux's (<sys/mman.h>,
 *    <fcntl.h>); signals are <signal.h> values.
 *  - Paths: absolute paths are host paths; relative ones are resolved
 *    under os_opts.file_root (or the host's working directory when NULL).
 *
 * Requirements on the configuration: base pages of 4 KiB (page_shift 12),
 * 8-byte entries, at least 2 levels (x86 and fpga configurations).  With
 * `pcid = 1` the kernel enables CR4.PCIDE and tags each mm with a PCID.
 */
#ifndef MMU_OS_H
#define MMU_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/machine.h"

struct os;

#define OS_RLIM_ZERO UINT64_MAX /* os_opts: a resource limit of 0 */

struct os_opts {
	uint64_t swap_bytes;    /* size of the swap area (0: no swap) */
	bool ksm;               /* every private anonymous VMA is mergeable
				 * (otherwise only MADV_MERGEABLE ones) */
	const char *file_root;  /* relative paths resolve under it (NULL: cwd) */
	uint64_t mmap_min_addr; /* lowest address mmap may use (0: 65536,
				 * vm.mmap_min_addr); MAP_FIXED below: EPERM */
	uint64_t stack_rlimit;  /* RLIMIT_STACK for stack growth (0: 8 MiB) */
	uint64_t fsize_rlimit;  /* RLIMIT_FSIZE: a write or ftruncate that
				 * would make a file larger fails with EFBIG
				 * (whole, no short write); 0: none */
	unsigned pcid_limit;    /* highest PCID handed out, 1..4095 (0: 4095);
				 * a small value exercises PCID generations */
	uint64_t memlock_rlimit; /* RLIMIT_MEMLOCK in bytes (0: Linux's
				  * default 8 MiB; OS_RLIM_ZERO: a limit of
				  * 0, so mlock is EPERM as without
				  * CAP_IPC_LOCK) */
	bool no_zero_page;      /* read faults on anonymous memory allocate a
				 * frame instead of mapping the shared zero
				 * page (Linux maps the zero page) */
	bool no_pku;            /* as Linux booted with "nopku" (or on a CPU
				 * without PKU): CR4.PKE stays 0, pkey_alloc
				 * fails with ENOSPC, PROT_EXEC-only memory is
				 * readable */
};

/*
 * Take over machine m (which must be freshly opened: the kernel sets CR0,
 * CR4, EFER and owns all physical memory).  opts may be NULL (defaults).
 * Returns 0 and *out, or a negative errno with a message in err
 * (-EINVAL: unsupported configuration or options, -ENOMEM, -EIO).
 * The machine stays the caller's: destroy it after os_destroy().
 */
int os_create(struct machine *m, const struct os_opts *opts, struct os **out,
	      char *err, size_t errlen);
/* Exit every process, write back dirty file pages, free everything. */
void os_destroy(struct os *os);
/* Message of the last failing call (or "" if none). */
const char *os_strerror(const struct os *os);
struct machine *os_machine(struct os *os);

/* ---- processes --------------------------------------------------------- */

/* A new process with an empty mm (no VMAs; brk starts at OS_SPAWN_BRK).
 * It does not become current.  -EAGAIN when the process table is full. */
#define OS_SPAWN_BRK 0x10000000ull
int os_spawn(struct os *os, int *pid);
/* Make pid current: MOV CR3 with its root and PCID, with the no-flush bit
 * when that PCID's TLB entries are still valid.  -ESRCH for a bad pid. */
int os_switch(struct os *os, int pid);
/* Pid of the current process, or -ESRCH when there is none. */
int os_current(struct os *os);
/* fork(2) of the current process: copy-on-write copy of its mm, its file
 * descriptors duplicated.  The child does not become current. */
int os_fork(struct os *os, int *child_pid);
/*
 * execve(2) of a real ELF64 x86-64 file for the current process: the old
 * mm is replaced by the PT_LOAD segments (file-backed private mappings,
 * .bss demand-zero, PIE at 0x555555554000 as Linux without ASLR), the
 * program interpreter (PT_INTERP) mapped top-down below mmap_base, [stack]
 * below 0x7ffffffff000 with argv[0] = path written on it, brk after .bss.
 * -ENOENT, -EACCES (not a regular executable file), -ENOEXEC (not an ELF64
 * x86-64 executable), -ENOMEM.  On error the old mm is kept.
 */
int os_execve(struct os *os, const char *path);
/* exit(2) of process pid: its memory, page tables, PCID and descriptors
 * are released (dirty shared file pages written back).  If it was current
 * there is no current process afterwards. */
int os_exit(struct os *os, int pid);
/* Fill pids[] with the live processes in ascending order; returns how many
 * there are (may exceed n). */
int os_pids(struct os *os, int *pids, int n);

/* ---- memory calls (current process) ------------------------------------ */

/* mmap(2): returns the address or a negative errno.  fd is ignored with
 * MAP_ANONYMOUS.  Supported flags: MAP_SHARED, MAP_PRIVATE,
 * MAP_SHARED_VALIDATE, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_ANONYMOUS,
 * MAP_GROWSDOWN, MAP_POPULATE, MAP_NORESERVE, MAP_STACK, MAP_32BIT,
 * MAP_DROPPABLE (Linux 6.11+: reclaim drops its pages, written or not),
 * MAP_LOCKED (prefaulted; RLIMIT_MEMLOCK as mlock), MAP_HUGETLB (refused as on a
 * system without huge pages); others are ignored as Linux ignores them, or
 * -EOPNOTSUPP with MAP_SHARED_VALIDATE. */
int64_t os_mmap(struct os *os, uint64_t addr, uint64_t len, int prot,
		int flags, int fd, uint64_t off);
int os_munmap(struct os *os, uint64_t addr, uint64_t len);
/* mremap(2): shrink, grow in place, move with MREMAP_MAYMOVE, to new_addr
 * with MREMAP_FIXED, keeping the old range mapped and empty with
 * MREMAP_DONTUNMAP; the page-table entries move, no page is copied.
 * Returns the new address or Linux's errno: -EINVAL (flags, alignment,
 * lengths, overlap), -EFAULT (no area at addr, or the range leaves it),
 * -EAGAIN (RLIMIT_MEMLOCK), -ENOMEM (cannot grow in place, no room). */
int64_t os_mremap(struct os *os, uint64_t addr, uint64_t old_len,
		  uint64_t new_len, int flags, uint64_t new_addr);
int os_mprotect(struct os *os, uint64_t addr, uint64_t len, int prot);
/* brk(2) as the system call: returns the new break, or the old one when
 * the request is refused (never an errno), as Linux's sys_brk. */
int64_t os_brk(struct os *os, uint64_t addr);
/* MADV_DONTNEED, MADV_WILLNEED (read-ahead of file pages, swapped pages
 * into the swap cache), MADV_FREE, MADV_REMOVE, MADV_PAGEOUT,
 * MADV_POPULATE_READ/WRITE, MADV_MERGEABLE/UNMERGEABLE (KSM),
 * MADV_DONTFORK/DOFORK, MADV_WIPEONFORK/KEEPONFORK, and the flag-only
 * NORMAL/RANDOM/SEQUENTIAL, HUGEPAGE/NOHUGEPAGE, DONTDUMP/DODUMP (they split
 * and merge VMAs as on Linux); MADV_COLD is accepted and does nothing. */
int os_madvise(struct os *os, uint64_t addr, uint64_t len, int advice);
/*
 * Protection keys, as Linux on an x86 CPU with PKU (docs/os.md):
 * pkey_alloc(2) (flags must be 0, rights PKEY_DISABLE_ACCESS and/or
 * PKEY_DISABLE_WRITE, else -EINVAL; -ENOSPC when the 16 keys are taken --
 * key 0 is allocated from the start, and the execute-only key once
 * PROT_EXEC-only memory exists); the new key's rights are set in the
 * calling thread's PKRU.  pkey_free(2): -EINVAL for a key that is not
 * allocated (PTEs and PKRU are left as they are).  With no_pku, as Linux
 * on a CPU without keys: the first pkey_alloc -EINVAL (key 0 cannot be
 * given rights), later ones -ENOSPC (it was not given back), and every key
 * -EINVAL for pkey_free and pkey_mprotect (only -1, plain mprotect).
 * pkey_mprotect(2): mprotect that gives the range key pkey (-EINVAL if it
 * is not allocated); pkey -1 is plain mprotect.  PROT_EXEC alone (mmap or
 * mprotect) takes the execute-only key, access-disabled in PKRU, so loads
 * fault with SIGSEGV / SEGV_PKUERR while fetches work.  Each process has
 * its own PKRU (PKRU_INIT at spawn and execve, inherited by fork).
 */
#define OS_PKEY_DISABLE_ACCESS 0x1
#define OS_PKEY_DISABLE_WRITE  0x2
int os_pkey_alloc(struct os *os, unsigned long flags, unsigned long rights);
int os_pkey_free(struct os *os, int pkey);
int os_pkey_mprotect(struct os *os, uint64_t addr, uint64_t len, int prot,
		     int pkey);
/* glibc's pkey_get / pkey_set on the current thread's PKRU (RDPKRU and
 * WRPKRU): -EINVAL for a key above 15 or rights above 3; -ENOSYS without
 * protection keys (where the instructions would raise #UD). */
int os_pkey_get(struct os *os, int pkey);
int os_pkey_set(struct os *os, int pkey, unsigned rights);
/* The current thread's PKRU (0 when there is no current process). */
uint32_t os_pkru(const struct os *os);

/* mlock(2), munlock(2), mlockall(2), munlockall(2) with RLIMIT_MEMLOCK
 * (os_opts.memlock_rlimit) as for a process without CAP_IPC_LOCK: -EPERM
 * when the limit is 0, -ENOMEM past it (mlockall(MCL_CURRENT): when the
 * whole address space is larger), -ENOMEM for a hole, -EINVAL for bad
 * mlockall flags.  Locked areas are populated (unless MCL_ONFAULT) and
 * their pages are never reclaimed; MCL_FUTURE locks later mappings. */
int os_mlock(struct os *os, uint64_t addr, uint64_t len);
int os_munlock(struct os *os, uint64_t addr, uint64_t len);
int os_mlockall(struct os *os, int flags);
int os_munlockall(struct os *os);
/* mincore(2): vec[i] = 1 when page i of [addr, addr + len) is resident
 * (mapped, in the page cache, or in the swap cache), else 0; vec holds
 * one byte per page.  -EINVAL unaligned addr, -ENOMEM beyond user space or
 * a hole in the range (the pages before it are filled in). */
int os_mincore(struct os *os, uint64_t addr, uint64_t len, uint8_t *vec);
/* MS_SYNC writes dirty pages of shared file mappings back to the host file;
 * MS_ASYNC only records them dirty (Linux writes back later). */
int os_msync(struct os *os, uint64_t addr, uint64_t len, int flags);

/* ---- files (current process's descriptor table) ------------------------ */

/* open(2) of a host file: O_RDONLY/O_WRONLY/O_RDWR, O_CREAT, O_EXCL,
 * O_TRUNC, O_APPEND.  Returns the descriptor (the lowest free one >= 3;
 * 0..2 stand for the standard streams, which are not modelled). */
int os_open(struct os *os, const char *path, int flags, int mode);
int os_close(struct os *os, int fd);
/* pread(2)/pwrite(2) through the page cache, so they see (and are seen by)
 * MAP_SHARED mappings at once.  pwrite also reaches the host file at once. */
int64_t os_pread(struct os *os, int fd, void *buf, uint64_t len, uint64_t off);
int64_t os_pwrite(struct os *os, int fd, const void *buf, uint64_t len,
		  uint64_t off);
int os_ftruncate(struct os *os, int fd, uint64_t len);
/* fsync(2): dirty pages of the file (and dirty PTEs of its shared
 * mappings in every process) written back to the host file. */
int os_fsync(struct os *os, int fd);
/* fallocate(2) as on ext4: mode 0 (the file grows to off + len; blocks
 * are not modelled), FALLOC_FL_KEEP_SIZE, and FALLOC_FL_PUNCH_HOLE |
 * FALLOC_FL_KEEP_SIZE (a hole: mappings and read(2) see zeros).  Linux's
 * checks in its order: -EBADF, -EINVAL (off < 0, len <= 0), -EOPNOTSUPP
 * (bad mode; ZERO/COLLAPSE/INSERT/UNSHARE ranges are not modelled),
 * -EBADF (not open for writing), -ENODEV, -EFBIG. */
int os_fallocate(struct os *os, int fd, int mode, int64_t off, int64_t len);
/* unlink(2) of a host file: the name goes at once; open descriptors and
 * mappings keep the file (maps then shows "PATH (deleted)"). */
int os_unlink(struct os *os, const char *path);
/* Size of the open file (fstat's st_size). */
int64_t os_fsize(struct os *os, int fd);

/* ---- user accesses ------------------------------------------------------ */

/*
 * One access by the current process in user mode (CPL 3).  size is 1, 2, 4
 * or 8; an access that is not naturally aligned is split into byte accesses;
 * when its bytes span two pages both pages are faulted in first, so an
 * access that faults has no effect (x86: all or nothing).  A #PF goes to the fault handler and the access is
 * retried.  Returns 0 with *sig = 0 and *rdata (loads, fetches) when it
 * completes; 0 with *sig = SIGSEGV or SIGBUS when the fault cannot be
 * resolved (os_last_signal() has the details); -ENOMEM with *sig = SIGKILL
 * when memory and swap are both exhausted (the OOM event is counted; the
 * process stays, the caller decides); -EINVAL for a bad size; -EIO.
 * rdata and sig may be NULL.
 */
int os_access(struct os *os, enum mmu_op op, uint64_t va, unsigned size,
	      uint64_t wdata, uint64_t *rdata, int *sig);
/* The same in supervisor mode (the kernel touching user memory, as
 * copy_from_user does: RFLAGS.AC is set around the access for SMAP). */
int os_kaccess(struct os *os, enum mmu_op op, uint64_t va, unsigned size,
	       uint64_t wdata, uint64_t *rdata, int *sig);
/* Byte strings through user loads/stores (8-byte accesses where aligned). */
int os_user_read(struct os *os, uint64_t va, void *buf, size_t len, int *sig);
int os_user_write(struct os *os, uint64_t va, const void *buf, size_t len,
		  int *sig);

struct os_siginfo {
	int signo;      /* SIGSEGV, SIGBUS, SIGKILL (OOM) or 0 */
	int code;       /* SEGV_MAPERR, SEGV_ACCERR, SEGV_PKUERR, BUS_ADRERR,
			 * BUS_OBJERR */
	uint64_t addr;  /* si_addr: the faulting address */
	uint32_t error_code; /* x86 page-fault error code (PFEC_*) */
	int pkey;       /* si_pkey with SEGV_PKUERR: the VMA's key */
};
/* The last signal an access produced. */
void os_last_signal(const struct os *os, struct os_siginfo *si);

/*
 * Tracing (mmuos run --trace): fn(ctx, ev) is called for every machine
 * access an os_access/os_kaccess makes (OS_TR_ACCESS, with its outcome),
 * after the kernel handled each page fault (OS_TR_FAULT: the statistics
 * before and after the handler say what it did, verdict says how it
 * ended), and for each signal an access delivers (OS_TR_SIGNAL).  NULL
 * stops tracing.
 */
enum os_trace_kind { OS_TR_ACCESS, OS_TR_FAULT, OS_TR_SIGNAL };
struct os_trace_ev {
	enum os_trace_kind kind;
	const struct mmu_req *req;
	const struct mmu_outcome *out;      /* ACCESS */
	const struct os_stats *before, *after; /* FAULT */
	const char *verdict;                /* FAULT: "resolved, retry", ... */
	const struct os_siginfo *sig;       /* SIGNAL */
};
typedef void (*os_trace_fn)(void *ctx, const struct os_trace_ev *ev);
void os_set_trace(struct os *os, os_trace_fn fn, void *ctx);

/* ---- kernel services --------------------------------------------------- */

/* KSM: merge identical private anonymous pages of mergeable VMAs of every
 * process into read-only shared frames.  Returns the pages merged by this
 * scan (>= 0) or a negative errno. */
int os_ksm_scan(struct os *os);
/* Reclaim up to n frames with the clock (second-chance) policy, as memory
 * pressure would.  Returns the frames freed. */
int64_t os_reclaim(struct os *os, uint64_t n);
/* Write every dirty file page back to its host file (sync(2)). */
int os_sync(struct os *os);

/* ---- introspection ----------------------------------------------------- */

/*
 * /proc/PID/maps of process pid, exactly as Linux formats it (including
 * the padding before a name and the trailing space of nameless lines):
 * "%08lx-%08lx rwxp %08llx MM:mm inode" then the path, [heap], [stack] or
 * "/dev/zero (deleted)" for shared anonymous memory.  Writes at most len
 * bytes (NUL-terminated when len > 0) and returns the full length, as
 * snprintf; -ESRCH for a bad pid.
 */
int os_maps(struct os *os, int pid, char *buf, size_t len);

struct os_stats {
	uint64_t minor_faults;     /* faults resolved without I/O */
	uint64_t major_faults;     /* faults that read a file or swap */
	uint64_t segv, sigbus;     /* signals delivered by accesses */
	uint64_t zero_fills;       /* anonymous pages allocated zeroed */
	uint64_t zero_page_maps;   /* read faults given the shared zero page */
	uint64_t cow_copies;       /* write faults that copied a page */
	uint64_t cow_reuses;       /* write faults that reused the frame in place */
	uint64_t stack_expansions; /* [stack] grown by a fault */
	uint64_t swap_outs;        /* pages written to swap */
	uint64_t swap_ins;         /* pages read from swap */
	uint64_t swap_cache_hits;  /* swap faults served by the swap cache */
	uint64_t file_reads;       /* page-cache pages read from host files */
	uint64_t file_writebacks;  /* page-cache pages written to host files */
	uint64_t file_pages_dropped; /* clean page-cache pages reclaimed */
	uint64_t second_chances;   /* clock: A bit found set, cleared */
	uint64_t ksm_merges;       /* page mappings merged into a KSM frame */
	uint64_t ksm_unmerges;     /* COW breaks of KSM frames */
	uint64_t oom_events;       /* allocations that failed for good */
	uint64_t forks, execs, exits;
	uint64_t cr3_writes, cr3_noflush; /* MOV CR3, and how many kept the TLB */
	uint64_t invlpg, invpcid;  /* invalidations issued */
	uint64_t pcid_rollovers;   /* PCID generations started */
	/* current state */
	uint64_t frames_total;     /* frames of the machine's memory */
	uint64_t frames_kernel;    /* reserved by the kernel (frame 0, zero
				    * page, idle page table) */
	uint64_t frames_in_use;    /* everything else that is allocated */
	uint64_t frames_pt;        /* ...of which page tables */
	uint64_t frames_pagecache; /* ...of which page-cache pages */
	uint64_t frames_ksm;       /* ...of which KSM frames */
	uint64_t swap_slots_total, swap_slots_used;
	uint64_t processes;
};
void os_stats(struct os *os, struct os_stats *st);

/* What backs one user page of process pid. */
struct os_page_info {
	bool present;      /* a present leaf PTE maps it */
	bool swapped;      /* a swap entry is in the PTE */
	uint64_t pte;      /* the raw leaf entry (0 if none) */
	uint64_t pa;       /* frame address when present */
	unsigned refcount; /* the frame's (present) or slot's (swapped) count */
	uint64_t swap_slot;
	bool writable, dirty, accessed, user, nx;
	bool ksm, zero_page, page_cache, swap_cache;
};
/* -ESRCH for a bad pid; a VA without a PTE gives all fields zero. */
int os_page(struct os *os, int pid, uint64_t va, struct os_page_info *pi);

/*
 * Check every invariant: each frame's reference count equals the present
 * PTEs mapping it + its page-cache reference + its swap-cache reference,
 * each swap slot's count equals the swap entries naming it + shared-memory
 * references, reverse maps match the page tables, VMAs are sorted and
 * disjoint, no PTE lies outside a VMA, PTE rights never exceed the VMA's,
 * page tables are reachable once, and with no process left no frame and no
 * slot is in use.  Returns 0, or -EUCLEAN with the first violation in err.
 */
int os_check(struct os *os, char *err, size_t len);

#endif
