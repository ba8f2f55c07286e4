/* SPDX-License-Identifier: MIT */
/*
 * The scenario language: text files that drive the OS (sw/os) on a machine
 * back end, with expectations on every result.  docs/scenario-language.md
 * is the manual and holds the grammar this parser follows.
 *
 * Two steps: scn_parse() turns text into a program (every malformed line is
 * reported as "file:line:col: message", nothing runs); scn_run() executes a
 * program on a fresh machine and OS and prints one result line per step and
 * a summary line.  Errors are values; nothing here exits.
 */
#ifndef MMU_SCENARIO_H
#define MMU_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "backend/backend.h"
#include "machine/machine.h"
#include "os/os.h"
#include "lockstep/lockstep.h"
#include "failure/failure.h"

#define SCN_MAX_DIAGS 20
#define SCN_DIAG_LEN 400

/* Parse diagnostics: the first SCN_MAX_DIAGS messages are kept, count says
 * how many there were.  Each message is "origin:line:col: text", optionally
 * followed by lines quoting the source with a caret under the column. */
struct scn_diags {
	unsigned count;
	char msg[SCN_MAX_DIAGS][SCN_DIAG_LEN];
};

struct scn_program;

/*
 * Limits on what one scenario may cost, for scenarios from anyone
 * (docs/scenario-language.md, "Limits").  A zero field takes its default;
 * SCN_UNLIMITED turns a limit off.  Each limit is reported by name when
 * hit, as "file:line:col: step budget exceeded (--max-steps 10000000)".
 */
#define SCN_UNLIMITED UINT64_MAX
#define SCN_DEFAULT_PARSE_BYTES (64ull << 20)  /* --max-parse-mem */
#define SCN_DEFAULT_STEPS 10000000ull           /* --max-steps */
#define SCN_DEFAULT_MS 600000ull                /* --max-time (600 s) */
#define SCN_DEFAULT_FILE_BYTES (64ull << 20)   /* --max-file-size */
struct scn_limits {
	uint64_t max_parse_bytes;  /* what parsing one file may allocate, its
				    * text included */
	uint64_t max_steps;        /* statements executed plus loop iterations */
	uint64_t max_ms;           /* wall-clock time of one run, milliseconds */
	uint64_t max_file_bytes;   /* size of a host file the scenario writes */
	/* Host paths (files or folders) the scenario may use besides its
	 * files folder: open, file create, check file, check size. */
	const char *const *allow;
	unsigned nallow;
};

/*
 * Parse a scenario.  text need not be NUL-terminated and may contain any
 * bytes; origin names it in messages (usually the file name).  Returns 0
 * and *out, or -1 with the diagnostics in *d (and *out NULL).  A returned
 * program is freed with scn_program_free().
 */
int scn_parse(const char *text, size_t len, const char *origin,
	      struct scn_program **out, struct scn_diags *d);

/* Read and parse a file; I/O errors are reported like parse errors. */
int scn_parse_file(const char *path, struct scn_program **out,
		   struct scn_diags *d);

/* The same within lim->max_parse_bytes (lim NULL: the defaults). */
int scn_parse_with(const char *text, size_t len, const char *origin,
		   const struct scn_limits *lim, struct scn_program **out,
		   struct scn_diags *d);
int scn_parse_file_with(const char *path, const struct scn_limits *lim,
			struct scn_program **out, struct scn_diags *d);

void scn_program_free(struct scn_program *p);

/* The scenario's name (origin without directories and ".scn"). */
const char *scn_program_name(const struct scn_program *p);

/* Number of statements (top level and nested), for tests. */
unsigned scn_program_statements(const struct scn_program *p);

/* `option` lines of the scenario (docs/scenario-language.md): each value
 * counts only when its SCN_OPT_* bit is in `set`. */
enum {
	SCN_OPT_MEM = 1 << 0,        /* option mem SIZE */
	SCN_OPT_SWAP = 1 << 1,       /* option swap SIZE */
	SCN_OPT_CONFIG = 1 << 2,     /* option config NAME */
	SCN_OPT_KSM = 1 << 3,        /* option ksm on|off */
	SCN_OPT_ZERO_PAGE = 1 << 4,  /* option zero_page on|off */
	SCN_OPT_PCID_LIMIT = 1 << 5, /* option pcid_limit N */
	SCN_OPT_MIN_ADDR = 1 << 6,   /* option mmap_min_addr SIZE */
	SCN_OPT_STACK = 1 << 7,      /* option stack_rlimit SIZE */
	SCN_OPT_PKU = 1 << 8,        /* option pku on|off */
	SCN_OPT_MEMLOCK = 1 << 9,    /* option memlock_rlimit SIZE */
	SCN_OPT_STRICT = 1 << 10,    /* option strict on|off */
};
struct scn_options {
	unsigned set;
	uint64_t mem_bytes, swap_bytes, pcid_limit, mmap_min_addr, stack_rlimit;
	uint64_t memlock_rlimit;
	bool ksm, zero_page, pku;
	bool strict;   /* an unexpected errno or signal fails the step */
	char config[MMU_CFG_NAME_MAX];
};
void scn_program_options(const struct scn_program *p, struct scn_options *o);

/* How to run. */
struct scn_run_opts {
	const char *backend;          /* "golden", "lockstep", "rtl" */
	const char *config;           /* configuration name or .cfg path; NULL:
				       * the scenario's `option config`, else x86 */
	const char *const *sets;      /* "key=value" overrides, applied after */
	unsigned nsets;
	uint64_t mem_bytes;           /* 0: the scenario's option, else the
				       * configuration's */
	uint64_t swap_bytes;          /* with swap_given: wins over the option */
	bool swap_given;
	const char *files_dir;        /* where `file create` and relative names
				       * live; NULL: a fresh temporary folder,
				       * removed afterwards */
	const struct scn_limits *lim; /* NULL: the defaults */
	bool quiet;                   /* only failures and the summary */
	bool trace;                   /* after each step, what every access did:
				       * TLB, walk entries, fault and the
				       * kernel's action, signal, L1 */
	FILE *out;                    /* NULL: stdout */
	struct backend_opts bo;
};

/* The configuration a run uses: opts->config, else the scenario's option,
 * else "x86"; then opts->sets.  0 or -1 with a message. */
int scn_run_config(const struct scn_program *p, const struct scn_run_opts *o,
		   struct mmu_config *cfg, char *err, size_t errlen);

struct scn_result {
	unsigned steps;    /* statements executed (loop bodies counted each time) */
	unsigned passed;   /* expectations and checks that held */
	unsigned failed;   /* expectations and checks that did not, runtime errors */
	bool aborted;      /* the run stopped early (runtime or back-end error) */
	char limit[SCN_DIAG_LEN]; /* the limit that stopped it, "" if none:
				   * "file:line:col: step budget exceeded (...)" */
	/* The machine's counters and the OS's statistics at the end of the
	 * run (valid when have_stats: the machine and OS were created). */
	bool have_stats;
	struct mmu_counters mc;
	struct os_stats os;
	/* The first failure (when failed > 0): its statement's line (0: the
	 * end-of-run lockstep check), the step (statements executed, it
	 * included), the step's lines as printed, "the same way" (failure_sig:
	 * "mismatch FIELD", or "scenario CMD VERDICT" such as "scenario store
	 * expected SIGSEGV") and, for a lockstep mismatch, its report. */
	unsigned fail_line;
	unsigned fail_step;
	char fail_text[1024];
	char fail_sig[96];
	bool fail_mismatch;
	struct lockstep_mismatch mm;
};

/*
 * Run a program on a fresh machine and OS.  Prints the step lines and the
 * summary "scenario NAME: N steps, N checks passed, N failed" to o->out.
 * Returns 0 when the run completed (failed expectations included: see
 * r->failed), or -1 when it could not start (machine, OS, files folder),
 * with a message in err.
 */
int scn_run(const struct scn_program *p, const struct scn_run_opts *o,
	    struct scn_result *r, char *err, size_t errlen);

/* The first failure of r as the one failure report (sw/failure): kind
 * "scenario", FILE:LINE, the step, the step's lines or the mismatch; the
 * caller adds the log and the re-run command.  f->mm points into r. */
void scn_failure(const struct scn_program *p, const struct scn_result *r,
		 struct failure *f);

/*
 * Failure shrinking: the scenario text (len bytes; origin names it) that
 * failed with signature sig (scn_result.fail_sig) when run with o, reduced
 * by ddmin (failure_ddmin) to the fewest lines that still parse and fail
 * with the same signature: first over the top-level statements (each with
 * its block and the lines up to the next one; `option` lines and what
 * precedes the first statement are always kept), then over single lines.
 * Every candidate is parsed and run in-process on a fresh machine and OS
 * opened as o says (without a wave file), its output discarded, within
 * the limits of o->lim tightened to 10 times the original run's steps and
 * time (a candidate that hits them fails differently).  At most
 * max_tests candidates (0: 4000).  Returns 0 with the shrunk text in *out
 * (malloc'd, NUL-terminated) and the figures, FAILURE_ENOTFAIL when the
 * whole text does not fail that way, or -1 with a message in err.
 */
struct scn_shrink_result {
	unsigned lines_before, lines_after;   /* statement lines */
	unsigned stmts_before, stmts_after;   /* top-level statements */
	unsigned steps_before, steps_after;   /* steps executed to the failure */
	struct failure_ddmin_stats st;        /* of both passes */
};
int scn_shrink(const char *text, size_t len, const char *origin,
	       const struct scn_run_opts *o, const char *sig,
	       unsigned max_tests, char **out, struct scn_shrink_result *res,
	       char *err, size_t errlen);

/* ---- pieces exposed for the CLI and the unit tests ---------------------- */

/* A size with an optional K/M/G/T suffix (powers of 1024): "64K", "0x1000".
 * Returns 0 or -1. */
int scn_parse_size(const char *s, uint64_t *v);

/* Flag sets that print symbolically. */
enum scn_flagset {
	SCN_FS_PROT,    /* PROT_* */
	SCN_FS_MAP,     /* MAP_* */
	SCN_FS_MADV,    /* MADV_* (a value, not a mask) */
	SCN_FS_MS,      /* MS_* */
	SCN_FS_OPEN,    /* O_* */
	SCN_FS_PKEY,    /* PKEY_DISABLE_* */
	SCN_FS_MREMAP,  /* MREMAP_* */
	SCN_FS_MCL,     /* MCL_* */
	SCN_FS_FALLOC,  /* FALLOC_FL_* */
};
/* "PROT_READ|PROT_WRITE", "MAP_PRIVATE|MAP_ANONYMOUS|0x40000000",
 * "PROT_NONE", "MADV_DONTNEED".  Returns the length written. */
int scn_format_flags(enum scn_flagset set, uint64_t v, char *buf, size_t len);

/* "EINVAL" for 22, NULL when unknown; and back (0 when unknown). */
const char *scn_errno_name(int e);
int scn_errno_value(const char *name);

#endif
