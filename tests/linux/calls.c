/* SPDX-License-Identifier: MIT */
/*
 * linux_run's statements performed with real system calls (linux_run.h):
 * mmap and its family, protection keys, files, processes, mlock, the
 * descriptor calls and the checked accesses.  A call that could touch
 * memory outside the region is skipped.
 */
#include "linux_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/capability.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- safety --------------------------------------------------------------------- */

/* In the child of a `fork {` that moved the break: the heap it added
 * ([heap_lo, heap_hi), what `brk` gave it at most), which it may touch. */
static uint64_t heap_lo, heap_hi;

/* May a call on [a, a+len) run here without touching this process's own
 * memory?  Inside the region (or the heap a forked child grew), entirely
 * above user space, or wrapping. */
static bool range_safe(uint64_t a, uint64_t len)
{
	uint64_t end = a + len;

	if (end < a)
		return true;  /* wraps: every kernel refuses */
	if (a >= USER_TOP)
		return true;
	if (heap_hi && a >= heap_lo && end <= heap_hi)
		return true;
	return a >= REGION_LO && end <= REGION_HI;
}

bool exec_basic(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_LET:
		c->vals[st->var] = v[0];
		c->set[st->var] = true;
		c->unknown[st->var] = false;
		return true;
	case C_PRINT:
	case C_OPTION:
		return true;
	case C_SPAWN:
		r = (struct res){ .kind = RK_VAL, .v = (uint64_t)getpid() };
		break;
	case C_SWITCH:
		return true;
	case C_MMAP: {
		int flags = (int)v[3];
		bool fixed = flags & MAP_FIXED;

		if ((fixed && !range_safe(v[0], v[1])) || (v[0] && v[0] < SAFE_LOW)) {
			skip(c, st);
			return true;
		}
		void *a = mmap((void *)(uintptr_t)v[0], v[1], (int)v[2], flags,
			       st->nargs > 4 ? (int)v[4] : -1, st->nargs > 4 ? (off_t)v[5] : 0);

		r = a == MAP_FAILED ? from_sys(-1) : from_sys((long)(uintptr_t)a);
		break;
	}
	case C_MUNMAP:
	case C_MPROTECT:
	case C_MADVISE:
	case C_MSYNC:
		if (!range_safe(v[0], v[1]) || (v[0] < SAFE_LOW && v[0] + v[1] > v[0])) {
			skip(c, st);
			return true;
		}
		if (st->cmd == C_MUNMAP)
			r = from_sys(munmap((void *)(uintptr_t)v[0], v[1]));
		else if (st->cmd == C_MPROTECT)
			r = from_sys(mprotect((void *)(uintptr_t)v[0], v[1], (int)v[2]));
		else if (st->cmd == C_MADVISE)
			r = from_sys(madvise((void *)(uintptr_t)v[0], v[1], (int)v[2]));
		else
			r = from_sys(msync((void *)(uintptr_t)v[0], v[1], (int)v[2]));
		break;
	case C_PKEY_MPROTECT:
		if (!range_safe(v[0], v[1]) || (v[0] < SAFE_LOW && v[0] + v[1] > v[0])) {
			skip(c, st);
			return true;
		}
		r = from_sys(pkey_mprotect((void *)(uintptr_t)v[0], v[1], (int)v[2],
					   (int)v[3]));
		break;
	/* glibc's wrappers; pkey_set and pkey_get run WRPKRU and RDPKRU, so
	 * scenarios using them require a CPU with keys (# linux-requires). */
	case C_PKEY_ALLOC:
		r = from_sys(pkey_alloc((unsigned)v[0], (unsigned)v[1]));
		break;
	case C_PKEY_FREE:
		r = from_sys(pkey_free((int)v[0]));
		break;
	case C_PKEY_SET:
		r = from_sys(pkey_set((int)v[0], (unsigned)v[1]));
		break;
	case C_PKEY_GET:
		r = from_sys(pkey_get((int)v[0]));
		break;
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}

/* file copy and create, open */
bool exec_files(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_FILE_COPY: {
		char cmd[600];

		if (strchr(st->args[0].str, '/') || strchr(st->args[0].str, '\'') ||
		    strchr(st->args[1].str, '\'')) {
			skip(c, st);
			return true;
		}
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 755 '%s'", st->args[1].str,
			 st->args[0].str, st->args[0].str);
		r = system(cmd) ? (struct res){ .kind = RK_ERRNO, .code = EACCES }
				: (struct res){ .kind = RK_OK };
		break;
	}
	case C_FILE_CREATE: {
		int fd = open(st->args[0].str, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		uint64_t size = v[1];
		const struct scn_arg *pat = st->nargs > 2 ? &st->args[2] : NULL;

		if (fd < 0 || strchr(st->args[0].str, '/')) {
			r = from_sys(-1);
			if (fd >= 0)
				close(fd);
			break;
		}
		for (uint64_t off = 0; off < size;) {
			unsigned char buf[65536];
			size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);

			for (size_t i = 0; i < n; i++) {
				uint64_t at = off + i;

				buf[i] = !pat || pat->pattern == SCN_PAT_ZERO ? 0 :
					 pat->pattern == SCN_PAT_SEQ ? (unsigned char)at :
					 pat->bytes.p[at % pat->bytes.n];
			}
			if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n) {
				r = from_sys(-1);
				break;
			}
			off += n;
		}
		close(fd);
		break;
	}
	case C_OPEN: {
		int fl = st->nargs > 1 ? (int)v[1] : O_RDWR;

		if (st->args[0].str[0] == '/' && (fl & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC))) {
			skip(c, st);
			return true;
		}
		r = from_sys(open(st->args[0].str, fl, 0644));
		break;
	}
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}

/* brk in a forked child, execve, exit */
bool exec_proc(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_BRK: {
		/* only in a forked child: the runner's own heap is malloc's.
		 * The break may grow from where it is, never go below that
		 * (but below any start_brk, where the kernel refuses). */
		uint64_t cur = (uint64_t)syscall(SYS_brk, 0);

		if (!c->child || (v[0] >= SAFE_LOW && v[0] < (heap_lo ? heap_lo : cur))) {
			skip(c, st);
			return true;
		}
		if (!heap_lo)
			heap_lo = cur;
		r = from_sys(syscall(SYS_brk, v[0]));
		if (r.kind == RK_VAL && PG_UP(r.v) > heap_hi)
			heap_hi = PG_UP(r.v);
		break;
	}
	case C_EXECVE: {
		long rc = native_execve(c, st->args[0].str);

		r = rc < 0 ? (struct res){ .kind = RK_ERRNO, .code = (int)-rc }
			   : (struct res){ .kind = RK_VAL, .v = 0 };
		break;
	}
	case C_EXIT:
		if (c->exe <= 0 || st->nargs) {
			skip(c, st);
			return true;
		}
		end_exe(c);
		return true;
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}

/* mincore, mremap, the mlock family, fallocate, unlink */
bool exec_calls(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_MINCORE: {
		uint64_t pages = v[1] / 4096 + (v[1] % 4096 != 0);
		unsigned char *vec;

		if (!range_safe(v[0], v[1]) || v[0] < SAFE_LOW || pages > (1u << 20)) {
			skip(c, st);
			return true;
		}
		vec = calloc(pages ? pages : 1, 1);
		if (!vec) {
			skip(c, st);
			return true;
		}
		if (mincore((void *)(uintptr_t)v[0], v[1], vec)) {
			r = from_sys(-1);
		} else {
			for (uint64_t i = 0; i < pages; i++)
				vec[i] &= 1; /* the other bits are reserved */
			r = (struct res){ .kind = RK_BYTES, .b = vec, .n = pages };
		}
		expect(c, st, &r);
		free(vec);
		return true;
	}
	case C_MREMAP: {
		void *a;

		/* the old range here; a fixed new one too (a free choice may
		 * land outside: later accesses there are skipped) */
		if (!range_safe(v[0], v[1] ? v[1] : 1) || v[0] < SAFE_LOW ||
		    (((int)v[3] & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && st->nargs > 4 &&
		     v[4] && (!range_safe(v[4], v[2]) || v[4] < SAFE_LOW))) {
			skip(c, st);
			return true;
		}
		a = mremap((void *)(uintptr_t)v[0], v[1], v[2], (int)v[3],
			   (void *)(uintptr_t)v[4]);
		r = a == MAP_FAILED ? from_sys(-1) : from_sys((long)(uintptr_t)a);
		break;
	}
	case C_MLOCK:
	case C_MUNLOCK:
		if (!range_safe(v[0], v[1]) || v[0] < SAFE_LOW) {
			skip(c, st);
			return true;
		}
		r = from_sys(st->cmd == C_MLOCK ? mlock((void *)(uintptr_t)v[0], v[1])
						: munlock((void *)(uintptr_t)v[0], v[1]));
		break;
	case C_MLOCKALL:
		r = from_sys(mlockall((int)v[0]));
		break;
	case C_MUNLOCKALL:
		r = from_sys(munlockall());
		break;
	case C_FALLOCATE:
		if ((int64_t)v[0] >= 0 && (int64_t)v[0] < 3) {
			skip(c, st);
			return true;
		}
		r = from_sys(fallocate((int)v[0], (int)v[1], (off_t)v[2], (off_t)v[3]));
		break;
	case C_UNLINK:
		if (strchr(st->args[0].str, '/')) {
			skip(c, st);
			return true;
		}
		r = from_sys(unlink(st->args[0].str));
		break;
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}

/* descriptor calls, sync, check file */
bool exec_fd(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_CLOSE:
	case C_WRITE:
	case C_READ:
	case C_READ_HEX:
	case C_TRUNCATE:
	case C_FSYNC:
		if ((int64_t)v[0] >= 0 && (int64_t)v[0] < 3) {
			skip(c, st);
			return true;
		}
		if (st->cmd == C_CLOSE) {
			r = from_sys(close((int)v[0]));
		} else if (st->cmd == C_WRITE) {
			r = from_sys(pwrite((int)v[0], st->args[2].bytes.p, st->args[2].bytes.n,
					    (off_t)v[1]));
		} else if (st->cmd == C_TRUNCATE) {
			r = from_sys(ftruncate((int)v[0], (off_t)v[1]));
		} else if (st->cmd == C_FSYNC) {
			r = from_sys(fsync((int)v[0]));
		} else {
			unsigned char *buf = malloc(v[2] ? v[2] : 1);
			ssize_t got;

			if (!buf || v[2] > (16u << 20)) {
				free(buf);
				skip(c, st);
				return true;
			}
			got = pread((int)v[0], buf, v[2], (off_t)v[1]);
			if (got < 0) {
				r = from_sys(-1);
			} else {
				r.kind = RK_BYTES;
				r.b = buf;
				r.n = (size_t)got;
			}
			expect(c, st, &r);
			free(buf);
			return true;
		}
		break;
	case C_SYNC:
		sync();
		r = (struct res){ .kind = RK_VAL, .v = 0 };
		break;
	case C_CHECK_FILE: {
		const struct scn_bytes *want = &st->args[2].bytes;
		unsigned char *buf = malloc(want->n ? want->n : 1);
		int fd = open(st->args[0].str, O_RDONLY);
		ssize_t got = -1;

		if (fd >= 0 && buf) {
			got = pread(fd, buf, want->n, (off_t)v[1]);
			close(fd);
		}
		verdict(c, st, "check file", got == (ssize_t)want->n && !memcmp(buf, want->p, want->n),
			"Linux's file does not hold the expected bytes");
		free(buf);
		return true;
	}
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}

/* check value and size, loads and stores, maps */
bool exec_check_access(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
{
	struct res r = { .kind = RK_OK };

	switch (st->cmd) {
	case C_CHECK_VALUE: {
		bool ok;

		switch (st->args[1].cmp) {
		case SCN_CMP_EQ: ok = v[0] == v[2]; break;
		case SCN_CMP_NE: ok = v[0] != v[2]; break;
		case SCN_CMP_LT: ok = v[0] < v[2]; break;
		case SCN_CMP_LE: ok = v[0] <= v[2]; break;
		case SCN_CMP_GT: ok = v[0] > v[2]; break;
		default: ok = v[0] >= v[2]; break;
		}
		verdict(c, st, "check value", ok, "0x%" PRIx64 " vs 0x%" PRIx64, v[0], v[2]);
		return true;
	}
	case C_CHECK_SIZE: {
		struct stat sst = { 0 };  /* its size is printed when stat fails too */

		verdict(c, st, "check size", !stat(st->args[0].str, &sst) &&
			(uint64_t)sst.st_size == v[1], "Linux's file is %lld bytes, expected %" PRIu64,
			(long long)sst.st_size, v[1]);
		return true;
	}
	case C_LOAD:
	case C_STORE: {
		uint64_t rd = 0;
		int sig;

		if (!range_safe(v[1], v[0]) || v[1] >= USER_TOP || v[1] + v[0] < v[1]) {
			skip(c, st);
			return true;
		}
		sig = native_access(st->cmd, v[1], (unsigned)v[0], st->cmd == C_STORE ? v[2] : 0, &rd);
		if (sig)
			r = (struct res){ .kind = RK_SIG, .code = sig };
		else if (st->cmd == C_LOAD)
			r = (struct res){ .kind = RK_VAL, .v = rd };
		break;
	}
	case C_MAPS:
		if (st->nargs) {
			skip(c, st);
			return true;
		}
		do_maps(c, st);
		return true;
	default:
		return false;
	}
	expect(c, st, &r);
	return true;
}
