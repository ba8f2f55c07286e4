/* SPDX-License-Identifier: MIT */
/*
 * What linux_run does natively that needs a signal handler or another
 * process (linux_run.h): an access that may fault (SIGSEGV/SIGBUS caught
 * and reported), execve in a stopped, traced child, and `fork {` blocks
 * run in a real child.
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

/* ---- signals ------------------------------------------------------------- */

static sigjmp_buf jump;
static volatile sig_atomic_t armed, caught;

void on_fault(int sig)
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
int native_access(enum scn_cmd c, uint64_t va, unsigned size,
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

/* The child that stands for the scenario's running image goes. */
void end_exe(struct ctx *c)
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
long native_execve(struct ctx *c, const char *path)
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

/*
 * "fork {": a real fork; the child runs the block natively (copy-on-write
 * memory, its own maps) and hands its verdict counts back through a pipe.
 * The child's pid is no value the model can have: the variable is unknown.
 */
void native_fork(struct ctx *c, const struct scn_stmt *st)
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
