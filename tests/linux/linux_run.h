/* SPDX-License-Identifier: MIT */
/*
 * linux_run's parts (linux_run.c says what the program does; built by
 * scripts/compare_linux.sh from every .c file of tests/linux and the
 * scenario parser):
 *   linux_run.c  main, the statement walk and the verdicts
 *   calls.c      each statement's system calls, kept inside the region
 *   native.c     what needs a signal handler or another process: an
 *                access that may fault, execve, fork
 *   maps.c       /proc/PID/maps read and compared with the scenario's
 *                block and with mmuos's dump
 */
#ifndef MMU_TESTS_LINUX_RUN_H
#define MMU_TESTS_LINUX_RUN_H

#define _GNU_SOURCE
#include "../../sw/scenario/scn_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

enum rk { RK_VAL, RK_ERRNO, RK_SIG, RK_OK, RK_BYTES };

struct res {
	enum rk kind;
	uint64_t v;
	int code;
	unsigned char *b;
	size_t n;
};

/* linux_run.c */
void prefix(struct ctx *c, unsigned line, char *buf, size_t len);
void verdict(struct ctx *c, const struct scn_stmt *st, const char *what,
	     bool ok, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int eval(struct ctx *c, const struct scn_expr *e, uint64_t *v);
void expect(struct ctx *c, const struct scn_stmt *st, const struct res *r);
void skip(struct ctx *c, const struct scn_stmt *st);
struct res from_sys(long rc);
void exec_block(struct ctx *c, const struct scn_block *b);

/* calls.c: each true when it knows the statement (and ran it) */
bool exec_basic(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);
bool exec_files(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);
bool exec_proc(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);
bool exec_calls(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);
bool exec_fd(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);
bool exec_check_access(struct ctx *c, const struct scn_stmt *st, const uint64_t *v);

/* native.c */
void on_fault(int sig);
int native_access(enum scn_cmd c, uint64_t va, unsigned size,
		  uint64_t wdata, uint64_t *rdata);
void end_exe(struct ctx *c);
long native_execve(struct ctx *c, const char *path);
void native_fork(struct ctx *c, const struct scn_stmt *st);

/* maps.c */
bool region_busy(void);
void do_maps(struct ctx *c, const struct scn_stmt *st);

#endif
