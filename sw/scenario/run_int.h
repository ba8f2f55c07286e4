/* SPDX-License-Identifier: MIT */
/*
 * Inside the scenario runner: the runner's state, the result of one
 * statement, the text buffer the step lines are built in, and the statement
 * handlers.  run.c dispatches every statement through one table indexed by
 * its kind (enum scn_cmd); the handlers live by concern in run_proc.c
 * (processes, memory calls, accesses), run_file.c (host files) and
 * run_info.c (checks, counters, pages, maps, variables).
 */
#ifndef MMU_RUN_INT_H
#define MMU_RUN_INT_H

#include "scn_int.h"

#include <stdarg.h>

#define MAX_NEST 16

/* ---- a growing text buffer (sbuf.c) -------------------------------------- */

struct sbuf {
	char *b;
	size_t n, cap;
	bool nomem;   /* an allocation failed: the text is incomplete */
};

void sb_put(struct sbuf *s, const char *t, size_t n);
void sb_printf(struct sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_reset(struct sbuf *s);
/* Bytes as a C-like string, cut after 48 bytes. */
void sb_bytes(struct sbuf *s, const unsigned char *p, size_t n); /* quoted, long ones cut */
void sb_bytes_all(struct sbuf *s, const unsigned char *p, size_t n); /* quoted, all */
void sb_hex(struct sbuf *s, const unsigned char *p, size_t n); /* hex:0011.. */

/* ---- the runner ------------------------------------------------------------ */

struct runner {
	const struct scn_program *p;
	const struct scn_run_opts *o;
	FILE *out;
	struct machine *m;
	struct os *os;
	char dir[4096];          /* the files folder */
	bool tmpdir;             /* dir is ours: removed at the end */
	uint64_t *vals;
	bool *set;
	struct scn_env env;
	unsigned iter[MAX_NEST];
	unsigned depth;
	struct scn_result *r;
	bool abort;
	struct sbuf line, extra; /* the step line, lines printed after it */
	struct scn_limits lim;   /* resolved: no zero field */
	uint64_t work;           /* statements and loop iterations so far */
	uint64_t t0_ms;          /* when the run started (monotonic) */
	char *root;              /* realpath of dir */
	char **allow;            /* realpaths of lim.allow (NULL: missing) */
	const struct scn_stmt *cur; /* the statement running (NULL: the end) */
	char *maps;              /* os_maps buffer */
	unsigned char *rbuf;     /* the bytes of the last read */
	size_t mapscap;
};

/* What a statement gave. */
enum rs { RS_VAL, RS_ERRNO, RS_SIG, RS_OOM, RS_OK, RS_BYTES };

struct res {
	enum rs kind;
	uint64_t v;
	int code;
	unsigned char *bytes;
	size_t nbytes;
	const char *msg;   /* RS_OOM: the kernel's message */
};

/* A pid or fd argument as the OS takes it: a value that is no int is no
 * process (-ESRCH) or no descriptor (-EBADF), never truncated. */
int rn_pid(uint64_t v);
int rn_fd(uint64_t v);

/* What a handler leaves for the runner to do. */
enum sr {
	SR_RESULT,  /* print " = RESULT" from *r, assign, check the expectation */
	SR_LINE,    /* the step line is complete: print it (unless the run stopped) */
	SR_DONE,    /* nothing more (printed already, or nothing to print) */
};

/*
 * A statement handler: v holds the evaluated arguments and the step line
 * already holds the echoed statement (unless the table says the handler
 * writes its own line).
 */
typedef enum sr (*step_fn)(struct runner *rn, const struct scn_stmt *st,
			   const uint64_t *v, struct res *r);

/* ---- helpers of run.c -------------------------------------------------------- */

void rn_emit(struct runner *rn, bool failed);
void rn_prefix(struct runner *rn, const struct scn_stmt *st);
/* A runtime error: the step fails and the run stops. */
void rn_fatal(struct runner *rn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* -EIO: the machine failed; prints what the OS and lockstep say. */
void rn_machine_failed(struct runner *rn);
int rn_eval(struct runner *rn, const struct scn_expr *e, uint64_t *v);
/* A limit hit at st (column col): the run stops with the limit named,
 * "origin:line:col: MESSAGE", on the step line and in the result. */
void rn_limit(struct runner *rn, const struct scn_stmt *st, unsigned col,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rn_verdict(struct runner *rn, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool rn_compare(uint64_t a, int op, uint64_t b);
struct res rn_from_rc(int64_t rc);
void rn_put_errno(struct sbuf *s, int code);
void rn_put_result(struct sbuf *s, const struct res *r, enum scn_rkind k);
bool rn_expect(struct runner *rn, const struct scn_stmt *st, const struct res *r);
int rn_exec_block(struct runner *rn, const struct scn_block *b);
/* run_echo.c: "$x = mmap 0x100000000 4096 PROT_READ ..." and the bare
 * statement name ("check counter", "$x =") on the step line. */
void rn_echo(struct runner *rn, const struct scn_stmt *st, const uint64_t *v);
void rn_stmt_name(struct runner *rn, const struct scn_stmt *st);

/* ---- the files folder (run_file.c) ------------------------------------------- */

int rn_files_open(struct runner *rn, char *err, size_t errlen);
void rn_files_close(struct runner *rn);

/* ---- handlers ------------------------------------------------------------------ */

/* run_proc.c */
enum sr run_spawn(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_switch(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_fork(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_execve(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_exit(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_mmap(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_munmap(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_mprotect(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_brk(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_madvise(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_pkey(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_msync(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_access(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_ksm(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_reclaim(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_mincore(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_mlock(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_mremap(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);

/* run_file.c */
enum sr run_file_create(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_open(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_close(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_write(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_read(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_truncate(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_fsync(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_sync(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_check_file(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_check_size(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_unlink(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
/* The file named by st's first argument, opened for the call: a descriptor,
 * -errno, or RN_STOPPED when the path is outside (the run stops). */
#define RN_STOPPED (-100000)
int rn_file_arg(struct runner *rn, const struct scn_stmt *st);
/* rn->rbuf made n bytes (zeroed) for a statement's bytes; NULL after a
 * runtime error. */
unsigned char *rn_rbuf(struct runner *rn, size_t n);
/* The first rc bytes of rn->rbuf as a result, or rc's errno. */
struct res rn_bytes(struct runner *rn, int64_t rc);
enum sr run_fallocate(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_file_copy(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);

/* run_info.c */
enum sr run_check(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_check_counter(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_check_value(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_page(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_maps(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_counters(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
/* run_trace.c: the tlb and walk statements, and mmuos run --trace */
struct os_trace_ev;
enum sr run_tlb(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_walk(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
void rn_trace_event(void *ctx, const struct os_trace_ev *ev);
enum sr run_counter(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_print(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);
enum sr run_let(struct runner *, const struct scn_stmt *, const uint64_t *, struct res *);

#endif
