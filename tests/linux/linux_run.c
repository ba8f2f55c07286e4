/* SPDX-License-Identifier: MIT */
/*
 * linux_run: run a scenario natively on the Linux kernel of this machine
 * and compare with the OS model.
 *
 *   linux_run FILE.scn [--against MMUOS_OUTPUT]
 *
 * The scenario is parsed with the scenario library (sw/scenario) and its
 * memory and file statements are performed with real system calls inside a
 * reserved region of this process's address space (REGION_LO..REGION_HI,
 * checked empty at start).  It must be built without sanitizers: ASan
 * reserves that part of the address space for itself.  Every expectation is checked against what Linux
 * did (errnos of invalid arguments, SIGSEGV/SIGBUS, loaded values, file
 * contents), and at every `maps` statement this process's /proc/self/maps
 * lines inside the region are compared with the scenario's expected block
 * and, with --against, with the dump `mmuos run` printed for the same step
 * (start, end, permissions with shared/private, offset, file name).
 *
 * Statements with no native meaning here (processes, brk, KSM, reclaim,
 * kernel checks and counters, fetch) are skipped, and so is any statement
 * that uses a variable such a statement set; a call that could touch
 * memory outside the region is skipped too, so the comparison never
 * damages this process.  Last line:
 *   linux-compare NAME: N passed, M failed (K statements skipped)
 * Exit 0 when nothing failed, 1 otherwise, 2 on usage or setup errors.
 */
#define _GNU_SOURCE
#include "../../sw/scenario/scn_int.h"

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

#define REGION_LO 0x100000000ull
#define REGION_HI 0x200000000ull
#define SAFE_LOW  0x10000ull          /* below: nothing mapped, but root may map it */
#define USER_TOP  0x800000000000ull   /* at or above: the kernel refuses */
#define MAX_NEST 16
#define PG_UP(x) (((x) + 4095) & ~4095ull)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif


struct mapline {
	uint64_t start, end, off;
	char perms[5];
	char name[256];
};

struct ctx {
	const struct scn_program *p;
	uint64_t *vals;
	bool *set;
	bool *unknown;   /* set by a skipped statement: no native value */
	struct scn_env env;
	unsigned iter[MAX_NEST], depth;
	unsigned passed, failed, skipped;
	bool abort;
	/* mmuos output, read whole, and a cursor into it */
	char *other;
	size_t other_len, other_pos;
	char dir[256];
	bool child;      /* running the block of a `fork {` */
	pid_t exe;       /* a child stopped right after `execve` (it runs the file) */
};

/* ---- signals ------------------------------------------------------------- */

static sigjmp_buf jump;
static volatile sig_atomic_t armed, caught;

static void on_fault(int sig)
{
	if (!armed)
		_exit(3);
	caught = sig;
	siglongjmp(jump, 1);
}

/* Unaligned accesses are allowed on x86: these types say so to the compiler. */
typedef uint16_t u16u __attribute__((aligned(1), may_alias));
typedef uint32_t u32u __attribute__((aligned(1), may_alias));
typedef uint64_t u64u __attribute__((aligned(1), may_alias));

/* One access; returns 0 or the signal. */
static int native_access(enum scn_cmd c, uint64_t va, unsigned size,
			 uint64_t wdata, uint64_t *rdata)
{
	caught = 0;
	if (sigsetjmp(jump, 1))
		return caught;
	armed = 1;
	if (c == C_LOAD) {
		switch (size) {
		case 1: *rdata = *(volatile uint8_t *)(uintptr_t)va; break;
		case 2: *rdata = *(volatile u16u *)(uintptr_t)va; break;
		case 4: *rdata = *(volatile u32u *)(uintptr_t)va; break;
		default: *rdata = *(volatile u64u *)(uintptr_t)va; break;
		}
	} else {
		switch (size) {
		case 1: *(volatile uint8_t *)(uintptr_t)va = (uint8_t)wdata; break;
		case 2: *(volatile u16u *)(uintptr_t)va = (uint16_t)wdata; break;
		case 4: *(volatile u32u *)(uintptr_t)va = (uint32_t)wdata; break;
		default: *(volatile u64u *)(uintptr_t)va = wdata; break;
		}
	}
	armed = 0;
	return 0;
}

/* ---- maps ------------------------------------------------------------------- */

static bool parse_mapline(const char *l, struct mapline *m)
{
	char dev[32];
	uint64_t inode;
	int pos = 0;
	const char *path, *base;

	memset(m, 0, sizeof(*m));
	if (sscanf(l, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %31s %" SCNu64 "%n",
		   &m->start, &m->end, m->perms, &m->off, dev, &inode, &pos) < 6)
		return false;
	path = l + pos;
	while (*path == ' ')
		path++;
	base = strrchr(path, '/');
	/* "/dev/zero (deleted)": keep the whole of the last component */
	snprintf(m->name, sizeof(m->name), "%s", base ? base + 1 : *path ? path : "-");
	size_t n = strlen(m->name);

	while (n && (m->name[n - 1] == ' ' || m->name[n - 1] == '\n'))
		m->name[--n] = 0;
	if (!n)
		snprintf(m->name, sizeof(m->name), "-");
	return true;
}

static bool in_region(const struct mapline *m)
{
	return m->start >= REGION_LO && m->end <= REGION_HI;
}

/* Does any mapping of this process overlap the region? */
static bool region_busy(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char l[1024];
	bool busy = !f;

	while (f && fgets(l, sizeof(l), f)) {
		struct mapline m;

		if (parse_mapline(l, &m) && m.start < REGION_HI && m.end > REGION_LO)
			busy = true;
	}
	if (f)
		fclose(f);
	return busy;
}

/* The kernel's own areas the model does not have. */
static bool special(const struct mapline *m)
{
	return !strcmp(m->name, "[vdso]") || !strcmp(m->name, "[vvar]") ||
	       !strcmp(m->name, "[vsyscall]") || !strcmp(m->name, "[vvar_vclock]");
}

/* This process's lines inside the region; with exe > 0, every line of
 * that process (the image an `execve` runs) but the kernel's own. */
static int own_maps(pid_t exe, struct mapline *v, int max)
{
	char path[64], l[1024];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), exe > 0 ? "/proc/%d/maps" : "/proc/self/maps", (int)exe);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f)) {
		struct mapline m;

		if (parse_mapline(l, &m) && (exe > 0 ? !special(&m) : in_region(&m)) && n < max)
			v[n++] = m;
	}
	fclose(f);
	return n;
}

static void put_mapline(const struct mapline *m)
{
	printf("      %09" PRIx64 "-%09" PRIx64 " %s %08" PRIx64 " %s\n", m->start, m->end,
	       m->perms, m->off, m->name);
}

static bool same_line(const struct mapline *a, const struct mapline *b)
{
	return a->start == b->start && a->end == b->end && !strcmp(a->perms, b->perms) &&
	       a->off == b->off && !strcmp(a->name, b->name);
}

/* The dump mmuos printed for the step with this prefix ("12[3]"). */
static int other_maps(struct ctx *c, const char *prefix, struct mapline *v, int max,
		      bool all, bool *found)
{
	char want[96];
	size_t wl;
	int n = 0;

	*found = false;
	if (!c->other)
		return 0;
	snprintf(want, sizeof(want), "%s: maps", prefix);
	wl = strlen(want);
	while (c->other_pos < c->other_len) {
		char *l = c->other + c->other_pos;
		char *e = memchr(l, '\n', c->other_len - c->other_pos);
		size_t len = e ? (size_t)(e - l) : c->other_len - c->other_pos;

		c->other_pos += len + 1;
		if (len >= wl && !memcmp(l, want, wl) && (len == wl || l[wl] == ' ')) {
			*found = true;
			break;
		}
	}
	if (!*found)
		return 0;
	while (c->other_pos < c->other_len) {
		char *l = c->other + c->other_pos;
		char *e = memchr(l, '\n', c->other_len - c->other_pos);
		size_t len = e ? (size_t)(e - l) : c->other_len - c->other_pos;
		char line[1024];
		struct mapline m;

		if (len < 5 || memcmp(l, "    ", 4) || l[4] == '-' || l[4] == '+' || l[4] == ' ')
			break;
		c->other_pos += len + 1;
		snprintf(line, sizeof(line), "%.*s", (int)(len - 4), l + 4);
		if (parse_mapline(line, &m) && (all || in_region(&m)) && n < max)
			v[n++] = m;
	}
	return n;
}

/* ---- results -------------------------------------------------------------------- */

static void prefix(struct ctx *c, unsigned line, char *buf, size_t len)
{
	size_t k = (size_t)snprintf(buf, len, "%u", line);

	if (c->depth && k < len) {
		k += (size_t)snprintf(buf + k, len - k, "[");
		for (unsigned i = 0; i < c->depth && k < len; i++)
			k += (size_t)snprintf(buf + k, len - k, "%s%u", i ? "." : "",
					      c->iter[i] + 1);
		if (k < len)
			snprintf(buf + k, len - k, "]");
	}
}

enum rk { RK_VAL, RK_ERRNO, RK_SIG, RK_OK, RK_BYTES };

struct res {
	enum rk kind;
	uint64_t v;
	int code;
	unsigned char *b;
	size_t n;
};

static void verdict(struct ctx *c, const struct scn_stmt *st, const char *what,
		    bool ok, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void verdict(struct ctx *c, const struct scn_stmt *st, const char *what,
		    bool ok, const char *fmt, ...)
{
	char pre[64], m[512];
	va_list ap;

	prefix(c, st->line, pre, sizeof(pre));
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	printf("%s: %s: %s%s\n", pre, what, ok ? "ok" : "FAIL: ", ok ? "" : m);
	if (ok)
		c->passed++;
	else
		c->failed++;
}

static void res_str(const struct res *r, char *b, size_t len)
{
	const char *n;

	switch (r->kind) {
	case RK_VAL: snprintf(b, len, "0x%" PRIx64, r->v); break;
	case RK_ERRNO:
		n = scn_errno_name(r->code);
		if (n)
			snprintf(b, len, "-%s", n);
		else
			snprintf(b, len, "-%d", r->code);
		break;
	case RK_SIG: snprintf(b, len, "%s", scn_signal_name(r->code) ? scn_signal_name(r->code) : "signal"); break;
	case RK_OK: snprintf(b, len, "ok"); break;
	case RK_BYTES: snprintf(b, len, "%zu bytes", r->n); break;
	}
}

static int eval(struct ctx *c, const struct scn_expr *e, uint64_t *v)
{
	char err[200];

	if (scn_eval(c->p, e, &c->env, v, err, sizeof(err))) {
		fprintf(stderr, "linux_run: %s\n", err);
		c->abort = true;
		c->failed++;
		return -1;
	}
	return 0;
}

static void expect(struct ctx *c, const struct scn_stmt *st, const struct res *r)
{
	const struct scn_expect *x = &st->expect;
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	char got[64], want[64] = "";
	uint64_t w = 0;
	bool ok = false;

	if (st->var >= 0 && (r->kind == RK_VAL || r->kind == RK_ERRNO)) {
		c->vals[st->var] = r->kind == RK_VAL ? r->v : (uint64_t)(int64_t)-r->code;
		c->set[st->var] = true;
		c->unknown[st->var] = false;
	}
	switch (x->kind) {
	case X_NONE:
	case X_OOM:
		return;
	case X_OK:
		ok = r->kind != RK_ERRNO && r->kind != RK_SIG;
		snprintf(want, sizeof(want), "ok");
		break;
	case X_ERRNO:
		ok = r->kind == RK_ERRNO && r->code == x->code;
		snprintf(want, sizeof(want), "-%s", scn_errno_name(x->code));
		break;
	case X_SIGNAL:
		ok = r->kind == RK_SIG && r->code == x->code;
		snprintf(want, sizeof(want), "%s", scn_signal_name(x->code));
		break;
	case X_VALUE:
		if (eval(c, x->e, &w))
			return;
		ok = r->kind == RK_VAL && r->v == w;
		snprintf(want, sizeof(want), "0x%" PRIx64, w);
		break;
	case X_BYTES:
		ok = r->kind == RK_BYTES && r->n == x->bytes.n && !memcmp(r->b, x->bytes.p, r->n);
		snprintf(want, sizeof(want), "%zu given bytes", x->bytes.n);
		break;
	}
	res_str(r, got, sizeof(got));
	verdict(c, st, d->name, ok, "Linux gives %s, the scenario expects %s", got, want);
}

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

/* ---- statements ---------------------------------------------------------------------- */

static void skip(struct ctx *c, const struct scn_stmt *st)
{
	c->skipped++;
	if (st->var >= 0) {
		c->vals[st->var] = 0;
		c->set[st->var] = true;
		c->unknown[st->var] = true;
	}
}

/* Does the expression use a variable with no native value? */
static bool uses_unknown(const struct ctx *c, const struct scn_expr *e)
{
	if (!e)
		return false;
	if (e->op == E_VAR)
		return c->unknown[e->var];
	return uses_unknown(c, e->a) || uses_unknown(c, e->b);
}

static bool stmt_unknown(const struct ctx *c, const struct scn_stmt *st)
{
	for (unsigned i = 0; i < st->nargs; i++)
		if (uses_unknown(c, st->args[i].e))
			return true;
	return st->expect.kind == X_VALUE && uses_unknown(c, st->expect.e);
}

static struct res from_sys(long rc)
{
	struct res r = { 0 };

	if (rc < 0) {
		r.kind = RK_ERRNO;
		r.code = errno;
	} else {
		r.kind = RK_VAL;
		r.v = (uint64_t)rc;
	}
	return r;
}

static void exec_block(struct ctx *c, const struct scn_block *b);

/* The child that stands for the scenario's running image goes. */
static void end_exe(struct ctx *c)
{
	if (c->exe > 0) {
		kill(c->exe, SIGKILL);
		waitpid(c->exe, NULL, 0);
	}
	c->exe = 0;
}

/*
 * execve natively: a child traced by us runs the file and stops right
 * after the exec, so the file stays a running executable (what ETXTBSY is
 * about) until the scenario's `exit` or next `execve`.  0 or -errno.
 */
static long native_execve(struct ctx *c, const char *path)
{
	int p[2], err = 0, st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };

		close(p[0]);
		personality(ADDR_NO_RANDOMIZE); /* the model places without ASLR */
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execve(path, argv, envp);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -errno;
	}
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	if (err) {
		waitpid(pid, &st, 0);
		return -err;
	}
	waitpid(pid, &st, WUNTRACED); /* stopped by the exec's SIGTRAP */
	end_exe(c);
	c->exe = pid;
	return 0;
}

static void do_maps(struct ctx *c, const struct scn_stmt *st)
{
	struct mapline mine[512], theirs[512];
	int n = own_maps(c->exe, mine, 512), m;
	char pre[64];
	bool found;

	prefix(c, st->line, pre, sizeof(pre));
	if (n < 0) {
		verdict(c, st, "maps", false, "cannot read /proc/self/maps");
		return;
	}
	/* the scenario's expected block, against Linux */
	if (st->maps_block) {
		bool ok = n == (int)st->nmaps;

		for (int i = 0; ok && i < n; i++) {
			const struct scn_maps_line *e = &st->maps[i];
			uint64_t s, en;

			if (eval(c, e->start, &s) || eval(c, e->end, &en))
				return;
			ok = mine[i].start == s && mine[i].end == en &&
			     !strcmp(mine[i].perms, e->perms) &&
			     (e->nfields < 1 || mine[i].off == e->off);
		}
		verdict(c, st, "maps block vs Linux", ok,
			"Linux's /proc/self/maps differs from the expected block (%d lines, %u expected)",
			n, st->nmaps);
		if (!ok)
			for (int i = 0; i < n; i++)
				put_mapline(&mine[i]);
	}
	if (!c->other)
		return;
	m = other_maps(c, pre, theirs, 512, c->exe > 0, &found);
	if (!found) {
		verdict(c, st, "maps vs mmuos", false, "no 'maps' step %s in mmuos's output", pre);
		return;
	}
	bool ok = n == m;

	for (int i = 0; ok && i < n; i++)
		ok = same_line(&mine[i], &theirs[i]);
	verdict(c, st, "maps vs mmuos", ok, "Linux and mmuos differ (%d and %d lines)", n, m);
	if (!ok) {
		printf("    Linux:\n");
		for (int i = 0; i < n; i++)
			put_mapline(&mine[i]);
		printf("    mmuos:\n");
		for (int i = 0; i < m; i++)
			put_mapline(&theirs[i]);
	}
}

/*
 * "fork {": a real fork; the child runs the block natively (copy-on-write
 * memory, its own maps) and hands its verdict counts back through a pipe.
 * The child's pid is no value the model can have: the variable is unknown.
 */
static void native_fork(struct ctx *c, const struct scn_stmt *st)
{
	unsigned n[3] = { 0 };
	int p[2], stt;
	pid_t pid;

	if (st->var >= 0) {
		c->vals[st->var] = 0;
		c->set[st->var] = true;
		c->unknown[st->var] = true;
	}
	fflush(stdout);
	if (pipe(p)) {
		verdict(c, st, "fork", false, "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		c->passed = c->failed = c->skipped = 0;
		c->exe = 0;
		c->child = true;
		exec_block(c, &st->body);
		fflush(stdout);
		n[0] = c->passed, n[1] = c->failed, n[2] = c->skipped;
		_exit(write(p[1], n, sizeof(n)) == sizeof(n) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], n, sizeof(n)) != sizeof(n)) {
		verdict(c, st, "fork", false, "the child gave no result");
	} else {
		c->passed += n[0];
		c->failed += n[1];
		c->skipped += n[2];
	}
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &stt, 0);
}

static void exec_stmt1(struct ctx *c, const struct scn_stmt *st, int fd0);

/* A file named instead of a descriptor is opened for the call. */
static void exec_stmt(struct ctx *c, const struct scn_stmt *st)
{
	int fd;

	if (!st->nargs || st->args[0].kind != AK_FILE || !st->args[0].str) {
		exec_stmt1(c, st, -1);
		return;
	}
	if (strchr(st->args[0].str, '/')) {
		skip(c, st);
		return;
	}
	fd = open(st->args[0].str, scn_file_arg_flags(st->cmd));
	if (fd < 0) {
		struct res r = from_sys(-1);

		expect(c, st, &r);
		return;
	}
	exec_stmt1(c, st, fd);
	close(fd);
}

/* let, print, processes, mmap and its family, protection keys */
static bool exec_basic(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
static bool exec_files(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
static bool exec_proc(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
static bool exec_calls(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
static bool exec_fd(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
static bool exec_check_access(struct ctx *c, const struct scn_stmt *st, const uint64_t *v)
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
		struct stat sst;

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

static void exec_stmt1(struct ctx *c, const struct scn_stmt *st, int fd0)
{
	uint64_t v[SCN_MAX_ARGS] = { 0 };

	if (st->cmd == C_FORK && st->has_body) {
		native_fork(c, st);
		return;
	}
	if (st->cmd == C_REPEAT) {
		uint64_t n;

		if (eval(c, st->args[0].e, &n) || c->depth == MAX_NEST)
			return;
		c->depth++;
		for (uint64_t i = 0; i < n && !c->abort; i++) {
			c->iter[c->depth - 1] = (unsigned)i;
			if (st->loopvar >= 0) {
				c->vals[st->loopvar] = i;
				c->set[st->loopvar] = true;
				c->unknown[st->loopvar] = false;
			}
			exec_block(c, &st->body);
		}
		c->depth--;
		return;
	}
	if (stmt_unknown(c, st)) {
		skip(c, st);
		return;
	}
	for (unsigned i = 0; i < st->nargs; i++)
		if (st->args[i].e && eval(c, st->args[i].e, &v[i]))
			return;
	if (fd0 >= 0)
		v[0] = (uint64_t)fd0;

	if (exec_basic(c, st, v) || exec_files(c, st, v) || exec_proc(c, st, v) ||
	    exec_calls(c, st, v) || exec_fd(c, st, v) || exec_check_access(c, st, v))
		return;
	/* fork without a block, brk, fetch, ksm, reclaim, check, counters, page */
	skip(c, st);
}

static void exec_block(struct ctx *c, const struct scn_block *b)
{
	for (unsigned i = 0; i < b->n && !c->abort; i++)
		exec_stmt(c, b->v[i]);
}

static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);

	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return -1;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				free(b);
				fclose(f);
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		got = fread(b + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	*out = b;
	*len = n;
	return 0;
}

/*
 * The limits the model has: RLIMIT_MEMLOCK as the scenario's option says
 * (8 MiB, Linux's default, otherwise), and no CAP_IPC_LOCK even as root, so
 * that mlock's EPERM, ENOMEM and EAGAIN are Linux's for an ordinary process.
 */
static int model_limits(const struct scn_program *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t ml = (p->opts.set & SCN_OPT_MEMLOCK) ? p->opts.memlock_rlimit : 8ull << 20;
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -1;
	rl.rlim_cur = ml;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < ml)
		rl.rlim_max = ml; /* root only: otherwise setrlimit says why */
	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	if (syscall(SYS_capset, &h, d))
		return -1;
	return setrlimit(RLIMIT_MEMLOCK, &rl);
}

static void cleanup_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[600];

	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct ctx c;
	struct scn_program *p;
	struct scn_diags d;
	struct sigaction sa;
	const char *file = NULL, *against = NULL;
	char cwd[4096];

	memset(&c, 0, sizeof(c));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--against") && i + 1 < argc)
			against = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			fprintf(stderr, "usage: linux_run FILE.scn [--against MMUOS_OUTPUT]\n");
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: linux_run FILE.scn [--against MMUOS_OUTPUT]\n");
		return 2;
	}
	if (scn_parse_file(file, &p, &d)) {
		for (unsigned i = 0; i < d.count && i < SCN_MAX_DIAGS; i++)
			fprintf(stderr, "%s\n", d.msg[i]);
		return 2;
	}
	if (against && read_all(against, &c.other, &c.other_len)) {
		fprintf(stderr, "linux_run: cannot read %s\n", against);
		return 2;
	}
	if (region_busy()) {
		fprintf(stderr, "linux_run: the region %#llx-%#llx is not free in this process\n",
			REGION_LO, REGION_HI);
		return 2;
	}
	if (model_limits(p)) {
		fprintf(stderr, "linux_run: cannot set RLIMIT_MEMLOCK or drop CAP_IPC_LOCK: %s\n",
			strerror(errno));
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = 0;
	snprintf(c.dir, sizeof(c.dir), "%s/linux_run-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c.dir) || chdir(c.dir)) {
		fprintf(stderr, "linux_run: cannot make a temporary folder\n");
		return 2;
	}
	c.p = p;
	c.vals = calloc(p->nvars + 1, sizeof(*c.vals));
	c.set = calloc(p->nvars + 1, sizeof(*c.set));
	c.unknown = calloc(p->nvars + 1, sizeof(*c.unknown));
	if (!c.vals || !c.set || !c.unknown)
		return 2;
	c.env.vals = c.vals;
	c.env.set = c.set;
	c.env.page_size = (uint64_t)sysconf(_SC_PAGESIZE);

	exec_block(&c, &p->top);

	end_exe(&c);
	printf("linux-compare %s: %u passed, %u failed (%u statements skipped)\n",
	       scn_program_name(p), c.passed, c.failed, c.skipped);
	if (cwd[0] && chdir(cwd))
		cwd[0] = 0;
	cleanup_dir(c.dir);
	free(c.vals);
	free(c.set);
	free(c.unknown);
	free(c.other);
	scn_program_free(p);
	return c.failed ? 1 : 0;
}
