/* SPDX-License-Identifier: MIT */
/*
 * Inside the scenario library: the parsed form of a scenario (statements,
 * arguments, expressions, expectations), the command table both the parser
 * and the step printer follow, and the symbol tables.
 */
#ifndef MMU_SCN_INT_H
#define MMU_SCN_INT_H

#include "scenario.h"

/* ---- expressions -------------------------------------------------------- */

enum scn_eop {
	E_NUM, E_VAR, E_PAGE,           /* leaves (E_PAGE: PAGE_SIZE) */
	E_NEG, E_NOT,                    /* unary - and ~ */
	E_ADD, E_SUB, E_MUL, E_DIV, E_MOD,
	E_SHL, E_SHR, E_AND, E_OR, E_XOR,
};

struct scn_expr {
	enum scn_eop op;
	uint64_t num;      /* E_NUM */
	unsigned var;      /* E_VAR: index into the program's variables */
	struct scn_expr *a, *b;
};

/* ---- arguments ---------------------------------------------------------- */

/* Argument kinds: what a word must be, and how its value prints. */
enum scn_argk {
	AK_ADDR,    /* A: address, prints hex (0 as 0) */
	AK_LEN,     /* L: length, decimal */
	AK_PROT,    /* P: PROT_* mask */
	AK_MAPF,    /* F: MAP_* mask */
	AK_FD,      /* D: file descriptor, signed decimal */
	AK_OFF,     /* O: file offset, hex (0 as 0) */
	AK_ADVICE,  /* V: MADV_* */
	AK_MSF,     /* S: MS_* mask */
	AK_OFLAGS,  /* Q: O_* mask */
	AK_SIZE,    /* Z: access size 1, 2, 4 or 8 */
	AK_VALUE,   /* X: data value, hex */
	AK_PID,     /* I: process id, decimal */
	AK_COUNT,   /* C: count, decimal */
	AK_INT,     /* E: signed integer (exit status), decimal */
	AK_NAME,    /* N: file name or path (a word or a "string") */
	AK_BYTES,   /* B: bytes: "string"[*N] or hex:0011.. */
	AK_PATTERN, /* T: zero | seq | bytes (repeated) */
	AK_CMP,     /* M: == != < <= > >= */
	AK_IDENT,   /* K: an identifier (counter name) */
	AK_PKEYR,   /* R: PKEY_DISABLE_* rights mask */
	AK_MREMAPF, /* G: MREMAP_* mask */
	AK_MCLF,    /* U: MCL_* mask (mlockall) */
	AK_FALLOCF, /* W: FALLOC_FL_* mode (fallocate) */
	AK_FILE,    /* Y: a file descriptor, or a file name opened for the call */
};

struct scn_bytes {
	unsigned char *p;
	size_t n;
};

struct scn_arg {
	enum scn_argk kind;
	unsigned col;
	struct scn_expr *e;      /* expression kinds */
	char *str;               /* AK_NAME, AK_IDENT */
	struct scn_bytes bytes;  /* AK_BYTES, AK_PATTERN with bytes */
	int pattern;             /* AK_PATTERN: SCN_PAT_* */
	int cmp;                 /* AK_CMP: SCN_CMP_* */
};

enum { SCN_PAT_ZERO, SCN_PAT_SEQ, SCN_PAT_BYTES };
enum { SCN_CMP_EQ, SCN_CMP_NE, SCN_CMP_LT, SCN_CMP_LE, SCN_CMP_GT, SCN_CMP_GE };
extern const char *const scn_cmp_names[6];   /* "==" ... ">=" by SCN_CMP_* */

/* ---- expectations ------------------------------------------------------- */

enum scn_xkind {
	X_NONE,
	X_OK,      /* expect ok: no error, no signal */
	X_ERRNO,   /* expect EINVAL: the call failed with this errno */
	X_SIGNAL,  /* expect SIGSEGV | SIGBUS | SIGKILL */
	X_OOM,     /* expect OOM: out of memory and swap */
	X_VALUE,   /* expect EXPR */
	X_BYTES,   /* expect BYTES (read) */
};

struct scn_expect {
	enum scn_xkind kind;
	unsigned col;
	int code;                /* errno or signal number */
	struct scn_expr *e;
	struct scn_bytes bytes;
};

/* ---- statements ---------------------------------------------------------- */

enum scn_cmd {
	C_SPAWN, C_SWITCH, C_FORK, C_EXECVE, C_EXIT,
	C_MMAP, C_MUNMAP, C_MPROTECT, C_BRK, C_MADVISE, C_MSYNC,
	C_PKEY_ALLOC, C_PKEY_FREE, C_PKEY_MPROTECT, C_PKEY_SET, C_PKEY_GET,
	C_FILE_CREATE, C_OPEN, C_CLOSE, C_WRITE, C_READ, C_TRUNCATE, C_FSYNC,
	C_SYNC,
	C_CHECK_FILE, C_CHECK_SIZE, C_CHECK_COUNTER, C_CHECK_PAGE, C_CHECK_VALUE,
	C_CHECK,
	C_LOAD, C_STORE, C_FETCH,
	C_MAPS, C_PAGE, C_COUNTERS, C_COUNTER, C_KSM, C_RECLAIM, C_PRINT,
	C_TLB, C_WALK,  /* tlb: the TLB's valid entries; walk ADDR: its entries */
	C_LET,       /* $x = EXPR */
	C_REPEAT,    /* repeat N [$i] { ... } */
	C_OPTION,    /* option mem|swap|config VALUE (before any statement) */
	C_UNLINK,
	C_MINCORE,
	C_FALLOCATE,
	C_MLOCK, C_MUNLOCK, C_MLOCKALL, C_MUNLOCKALL,
	C_MREMAP,
	C_FILE_COPY,
	C_READ_HEX,
	C_NCMDS
};

/* What a statement's value is, for printing and for expectations. */
enum scn_rkind {
	R_NONE,    /* prints "ok" (or -ERRNO) */
	R_ADDR,    /* address: hex, or -ERRNO */
	R_INT,     /* decimal, or -ERRNO */
	R_VALUE,   /* access data: hex, or a signal */
	R_BYTES,   /* read: the bytes, quoted, all of them */
	R_HEXBYTES, /* read hex, mincore: the bytes as hex:0011.. */
};

#define SCN_MAX_ARGS 8

struct scn_cmd_def {
	const char *name;     /* first word */
	const char *sub;      /* second word, or NULL */
	enum scn_cmd cmd;
	const char *sig;      /* argument kinds; "[..]" an all-or-none group */
	const char *usage;    /* for messages: "mmap ADDR LEN PROT FLAGS [FD OFF]" */
	enum scn_rkind rkind;
	bool assignable;      /* may be the right-hand side of $x = */
};

extern const struct scn_cmd_def scn_cmds[];
extern const size_t scn_ncmds;
const struct scn_cmd_def *scn_cmd_def(enum scn_cmd c);
/* May a cmd line end with `expect`?  (Those that may not are never
 * failed for an errno they give: maps of a bad pid, say.) */
bool scn_takes_expect(enum scn_cmd c);
/* How a file named instead of a descriptor is opened for cmd. */
int scn_file_arg_flags(enum scn_cmd c);

/* One expected line of a maps block: START-END PERMS [OFF [DEV [INODE [PATH]]]] */
struct scn_maps_line {
	unsigned line;
	struct scn_expr *start, *end;
	char perms[5];
	int nfields;             /* fields given after perms: 0..4 */
	uint64_t off;
	char dev[16];
	uint64_t inode;
	char *path;
};

struct scn_block {
	struct scn_stmt **v;
	unsigned n, cap;
};

struct scn_stmt {
	enum scn_cmd cmd;
	unsigned line;
	unsigned col;            /* of the line's first word */
	int var;                 /* assigned variable, -1 if none */
	unsigned nargs, capargs;
	struct scn_arg *args;    /* capargs of them: at most the line's words */
	struct scn_expect expect;
	/* C_REPEAT, and C_FORK with a child block ("fork {") */
	bool has_body;
	struct scn_block body;
	int loopvar;             /* -1 if none */
	/* C_MAPS */
	bool maps_block;
	struct scn_maps_line *maps;
	unsigned nmaps, capmaps;
	/* C_CHECK_PAGE: attributes wanted set / clear, reference count */
	unsigned page_set, page_clear;
	int page_ref;            /* -1: not checked */
	/* C_OPTION */
	int option;
	uint64_t option_value;
};

/* Page attributes of `check page` (bit numbers). */
enum {
	PG_PRESENT, PG_SWAPPED, PG_WRITABLE, PG_DIRTY, PG_ACCESSED, PG_USER,
	PG_NX, PG_KSM, PG_ZERO, PG_PAGECACHE, PG_SWAPCACHE, PG_NATTR
};
extern const char *const scn_page_attrs[PG_NATTR];

struct scn_arena;

#define SCN_MAX_VARS 256

struct scn_program {
	char *origin;            /* file name as given */
	char *name;              /* basename without .scn */
	struct scn_block top;
	unsigned nstmts;
	unsigned nvars;
	char *vars[SCN_MAX_VARS];
	struct scn_options opts;
	struct scn_arena *arena;
	uint64_t alloc_bytes;    /* what the arena holds */
	uint64_t alloc_max;      /* --max-parse-mem less the text */
	bool alloc_capped;       /* an allocation hit alloc_max */
};

/* lim with its zero fields set to the defaults (lim NULL: all defaults). */
void scn_limits_resolve(const struct scn_limits *lim, struct scn_limits *out);
/* "64M", "1G", "4097": the largest K/M/G/T suffix that divides v. */
const char *scn_format_size(uint64_t v, char *buf, size_t len);

/* ---- symbols -------------------------------------------------------------- */

enum scn_symclass {
	SYM_PROT, SYM_MAP, SYM_MADV, SYM_MS, SYM_OPEN, SYM_PAGE, SYM_PKEY,
	SYM_MREMAP, SYM_MCL, SYM_FALLOC,
};

struct scn_sym {
	const char *name;
	enum scn_symclass cls;
	uint64_t value;
};

const struct scn_sym *scn_sym_find(const char *name, size_t len);
/* Closest known symbol name within edit distance 2, or NULL. */
const char *scn_sym_suggest(const char *name, size_t len);
const char *scn_suggest_word(const char *name, size_t len,
			     const char *const *words, size_t n);
const char *scn_signal_name(int sig);
int scn_signal_value(const char *name);

/* ---- counters ---------------------------------------------------------------- */

/* The OS counters by name (struct os_stats fields); the MMU's are
 * MMU_COUNTERS with an "mmu_" prefix.  `counter` and `check counter`
 * names are checked against both when the file is parsed. */
#define SCN_OS_STATS(X)                                                          \
	X(minor_faults) X(major_faults) X(segv) X(sigbus) X(zero_fills)      \
	X(zero_page_maps) X(cow_copies) X(cow_reuses) X(stack_expansions)    \
	X(swap_outs) X(swap_ins) X(swap_cache_hits) X(file_reads)            \
	X(file_writebacks) X(file_pages_dropped) X(second_chances)           \
	X(ksm_merges) X(ksm_unmerges) X(oom_events) X(forks) X(execs)        \
	X(exits) X(cr3_writes) X(cr3_noflush) X(invlpg) X(invpcid)           \
	X(pcid_rollovers) X(frames_total) X(frames_kernel) X(frames_in_use)  \
	X(frames_pt) X(frames_pagecache) X(frames_ksm) X(swap_slots_total)   \
	X(swap_slots_used) X(processes)

extern const char *const scn_counter_names[];
extern const size_t scn_ncounters;

/* ---- evaluation ------------------------------------------------------------ */

struct scn_env {
	uint64_t *vals;
	bool *set;
	uint64_t page_size;
};

/* 0, or -1 with a message (undefined variable, division by zero). */
int scn_eval(const struct scn_program *p, const struct scn_expr *e,
	     const struct scn_env *env, uint64_t *v, char *err, size_t errlen);

#endif
