/* SPDX-License-Identifier: MIT */
/*
 * Statement handlers for processes, memory calls, accesses and the
 * kernel's background work (KSM, reclaim): each makes its OS call and
 * returns the result for run.c to print and check.
 */
#include "run_int.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>

#define MAX_MINCORE (1u << 20) /* pages one mincore may report */

int rn_pid(uint64_t v)
{
	return (int64_t)v < 0 || v > INT_MAX ? -ESRCH : (int)v;
}

int rn_fd(uint64_t v)
{
	return (int64_t)v < INT_MIN || (int64_t)v > INT_MAX ? -EBADF : (int)(int64_t)v;
}

static struct res ok_or_errno(int64_t rc)
{
	return rc < 0 ? rn_from_rc(rc) : (struct res){ .kind = RS_OK };
}

enum sr run_spawn(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	int pid = 0;
	int rc = os_spawn(rn->os, &pid);

	(void)st, (void)v;
	*r = rn_from_rc(rc < 0 ? rc : pid);
	return SR_RESULT;
}

enum sr run_switch(struct runner *rn, const struct scn_stmt *st,
		    const uint64_t *v, struct res *r)
{
	int pid = rn_pid(v[0]);

	(void)st;
	*r = ok_or_errno(pid < 0 ? pid : os_switch(rn->os, pid));
	return SR_RESULT;
}

enum sr run_fork(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	int pid = 0;
	int rc = os_fork(rn->os, &pid);

	(void)st, (void)v;
	*r = rn_from_rc(rc < 0 ? rc : pid);
	return SR_RESULT;
}

enum sr run_execve(struct runner *rn, const struct scn_stmt *st,
		    const uint64_t *v, struct res *r)
{
	const char *name = st->args[0].str;
	char path[sizeof(rn->dir) + 256];
	struct stat sst;

	(void)v;
	/* Like Linux, EACCES for what is no regular file: reading a FIFO or
	 * a device would block or never end. */
	snprintf(path, sizeof(path), "%s%s%s", name[0] == '/' ? "" : rn->dir,
		 name[0] == '/' ? "" : "/", name);
	if (!stat(path, &sst) && !S_ISREG(sst.st_mode)) {
		*r = rn_from_rc(-EACCES);
		return SR_RESULT;
	}
	*r = rn_from_rc(os_execve(rn->os, name));
	return SR_RESULT;
}

enum sr run_exit(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	int pid = st->nargs ? rn_pid(v[0]) : os_current(rn->os);

	*r = ok_or_errno(pid < 0 ? pid : os_exit(rn->os, pid));
	return SR_RESULT;
}

enum sr run_mmap(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	*r = rn_from_rc(os_mmap(rn->os, v[0], v[1], (int)v[2], (int)v[3],
			     st->nargs > 4 ? rn_fd(v[4]) : -1,
			     st->nargs > 4 ? v[5] : 0));
	return SR_RESULT;
}

enum sr run_munmap(struct runner *rn, const struct scn_stmt *st,
		    const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_munmap(rn->os, v[0], v[1]));
	return SR_RESULT;
}

enum sr run_mprotect(struct runner *rn, const struct scn_stmt *st,
		      const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_mprotect(rn->os, v[0], v[1], (int)v[2]));
	return SR_RESULT;
}

enum sr run_brk(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_brk(rn->os, v[0]));
	return SR_RESULT;
}

/* pkey_alloc, pkey_free, pkey_mprotect, and glibc's pkey_set/pkey_get. */
enum sr run_pkey(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	int rc;

	switch (st->cmd) {
	case C_PKEY_ALLOC:
		rc = os_pkey_alloc(rn->os, (unsigned long)v[0],
				   (unsigned long)v[1]);
		break;
	case C_PKEY_FREE:
		rc = os_pkey_free(rn->os, (int)v[0]);
		break;
	case C_PKEY_MPROTECT:
		rc = os_pkey_mprotect(rn->os, v[0], v[1], (int)v[2], (int)v[3]);
		break;
	case C_PKEY_SET:
		rc = os_pkey_set(rn->os, (int)v[0], (unsigned)v[1]);
		break;
	default:
		rc = os_pkey_get(rn->os, (int)v[0]);
		break;
	}
	*r = rn_from_rc(rc);
	return SR_RESULT;
}

enum sr run_madvise(struct runner *rn, const struct scn_stmt *st,
		     const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_madvise(rn->os, v[0], v[1], (int)v[2]));
	return SR_RESULT;
}

enum sr run_msync(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_msync(rn->os, v[0], v[1], (int)v[2]));
	return SR_RESULT;
}

/* load, store and fetch: a value, ok, a signal or OOM. */
enum sr run_access(struct runner *rn, const struct scn_stmt *st,
		    const uint64_t *v, struct res *r)
{
	enum mmu_op op = st->cmd == C_LOAD ? MMU_LOAD :
			 st->cmd == C_STORE ? MMU_STORE : MMU_FETCH;
	uint64_t rdata = 0;
	int sig = 0, rc;

	if (v[0] != 1 && v[0] != 2 && v[0] != 4 && v[0] != 8) {
		rn_fatal(rn, "access size %" PRIu64 " is not 1, 2, 4 or 8", v[0]);
		return SR_DONE;
	}
	rc = os_access(rn->os, op, v[1], (unsigned)v[0],
		       st->cmd == C_STORE ? v[2] : 0, &rdata, &sig);
	if (rc == -ENOMEM && sig == SIGKILL)
		*r = (struct res){ .kind = RS_OOM, .msg = os_strerror(rn->os) };
	else if (rc < 0)
		*r = rn_from_rc(rc);
	else if (sig)
		*r = (struct res){ .kind = RS_SIG, .code = sig };
	else if (st->cmd == C_STORE)
		*r = (struct res){ .kind = RS_OK };
	else
		*r = (struct res){ .kind = RS_VAL, .v = rdata };
	return SR_RESULT;
}

enum sr run_ksm(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	(void)st, (void)v;
	*r = rn_from_rc(os_ksm_scan(rn->os));
	return SR_RESULT;
}

enum sr run_reclaim(struct runner *rn, const struct scn_stmt *st,
		     const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_reclaim(rn->os, v[0]));
	return SR_RESULT;
}

/* mincore: the vector as bytes (one per page, 0 or 1). */
enum sr run_mincore(struct runner *rn, const struct scn_stmt *st,
		    const uint64_t *v, struct res *r)
{
	uint64_t ps = rn->env.page_size, pages = v[1] / ps + (v[1] % ps != 0);
	int rc;

	(void)st;
	if (pages > MAX_MINCORE) {
		rn_fatal(rn, "mincore of more than %u pages", MAX_MINCORE);
		return SR_DONE;
	}
	if (!rn_rbuf(rn, pages))
		return SR_DONE;
	rc = os_mincore(rn->os, v[0], v[1], rn->rbuf);
	*r = rn_bytes(rn, rc < 0 ? rc : (int64_t)pages);
	return SR_RESULT;
}

/* mlock, munlock, mlockall, munlockall */
enum sr run_mlock(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	int rc;

	switch (st->cmd) {
	case C_MLOCK: rc = os_mlock(rn->os, v[0], v[1]); break;
	case C_MUNLOCK: rc = os_munlock(rn->os, v[0], v[1]); break;
	case C_MLOCKALL: rc = os_mlockall(rn->os, (int)v[0]); break;
	default: rc = os_munlockall(rn->os); break;
	}
	*r = rn_from_rc(rc);
	return SR_RESULT;
}

enum sr run_mremap(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_mremap(rn->os, v[0], v[1], v[2], (int)v[3], v[4]));
	return SR_RESULT;
}
