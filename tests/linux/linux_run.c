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

/* ---- results -------------------------------------------------------------------- */

void prefix(struct ctx *c, unsigned line, char *buf, size_t len)
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

void verdict(struct ctx *c, const struct scn_stmt *st, const char *what,
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

void res_str(const struct res *r, char *b, size_t len)
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

int eval(struct ctx *c, const struct scn_expr *e, uint64_t *v)
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

void expect(struct ctx *c, const struct scn_stmt *st, const struct res *r)
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
/* ---- statements ---------------------------------------------------------------------- */

void skip(struct ctx *c, const struct scn_stmt *st)
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

struct res from_sys(long rc)
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

void exec_block(struct ctx *c, const struct scn_block *b)
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

/* The region free, the model's limits, the fault handler, a temporary
 * folder to work in (cwd: where we were) and the variables; 0 or 2. */
static int setup(struct ctx *c, const struct scn_program *p, char *cwd,
		 size_t cwdlen)
{
	struct sigaction sa;

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

	if (!getcwd(cwd, cwdlen))
		cwd[0] = 0;
	snprintf(c->dir, sizeof(c->dir), "%s/linux_run-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c->dir) || chdir(c->dir)) {
		fprintf(stderr, "linux_run: cannot make a temporary folder\n");
		return 2;
	}
	c->p = p;
	c->vals = calloc(p->nvars + 1, sizeof(*c->vals));
	c->set = calloc(p->nvars + 1, sizeof(*c->set));
	c->unknown = calloc(p->nvars + 1, sizeof(*c->unknown));
	if (!c->vals || !c->set || !c->unknown)
		return 2;
	c->env.vals = c->vals;
	c->env.set = c->set;
	c->env.page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctx c;
	struct scn_program *p;
	struct scn_diags d;
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
	if (setup(&c, p, cwd, sizeof(cwd)))
		return 2;

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
