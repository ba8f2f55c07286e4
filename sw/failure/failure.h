/* SPDX-License-Identifier: MIT */
/*
 * Failures (libmmufailure): the one report every tool prints when a
 * workload fails, whatever it is (a seed, a scenario, a trace, a course
 * exercise), and the one shrinker (ddmin) that reduces a failing input to
 * the fewest items that still fail the same way.
 *
 *   failure_format   the report: what went wrong (a lockstep mismatch with
 *                    both outcomes, or the check that failed), where (seed,
 *                    FILE:LINE), the step, the wave file and the cycle of
 *                    the mismatch, the log and the command that re-runs it
 *   failure_sig      "the same way": the signature two runs of a shrunk
 *                    input are compared by
 *   failure_ddmin    delta debugging over a list of items and a predicate
 *
 * docs/verification.md ("Failure reports", "Shrinking a failure") is the
 * manual.  Nothing here prints or exits.
 */
#ifndef MMU_FAILURE_H
#define MMU_FAILURE_H

#include "lockstep/lockstep.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the report ---------------------------------------------------------- */

struct failure {
	const char *kind;      /* "seed", "scenario", "trace", "exercise" */
	char where[512];       /* the seed ("3, config x86") or FILE:LINE */
	uint64_t step;         /* 1-based step that failed (0: not known):
				* the generator's step, the scenario
				* statement executed, the trace piece */
	char what[1024];       /* not a mismatch: what failed, one or more
				* lines (the step's line with its verdict) */
	const struct lockstep_mismatch *mm; /* a lockstep mismatch, or NULL */
	char wave[768];        /* the wave file the run was traced to ("":
				* none); named when it exists and no
				* mismatch named its own window */
	char log[768];         /* "" when no log was written */
	char rerun[1024];      /* the exact command that runs it again */
};

/*
 * The report, several lines, each ending with '\n':
 *   lockstep mismatch at access 12 (call 2256), golden vs rtl: status
 *     differs (ref pf, dut ok)                 (or `what`)
 *     request:      sup store size 4 va 0x7f8fb9f9ad48
 *     ref (golden): pf ... / dut (rtl): ok ...
 *   seed: 2, config x86          (KIND: WHERE)
 *   step: 2241
 *   wave: DIR/x86-seed2.fst (mismatch at cycle 123456, time 246911 in
 *     the wave)        (a mismatch's window; else the run's last window)
 *   log: DIR/x86-seed2.log
 *   re-run: mmuregress --backend lockstep --config x86 --seed 2 ...
 * Returns what snprintf returns.
 */
int failure_format(const struct failure *f, char *buf, size_t len);

/* Append arg to the command in buf (a space first unless buf is empty),
 * quoted for a POSIX shell when it needs it, so that re-run commands can
 * be pasted as they are.  Returns what is in buf. */
const char *failure_cmd_add(char *buf, size_t len, const char *arg);

/*
 * "The same way", as a short text: "mismatch FIELD" for a lockstep
 * mismatch (rdata, status, ad[0].value, regs.cr3, byte at pa, counters.X:
 * the field without its numbers), else "KIND WHAT" where the caller names
 * the check (scenario: the statement and its expectation, "check store
 * expect ok"; trace: "data", "signal", "cow", "os_check").  A shrunk input
 * must fail with the same signature.
 */
void failure_sig(const struct lockstep_mismatch *mm, const char *kind,
		 const char *check, char *buf, size_t len);

/* ---- the shrinker -------------------------------------------------------- */

/* Does the candidate (the items i with keep[i]) still fail the same way?
 * 1 yes, 0 no, negative: an error that stops the shrinking. */
typedef int (*failure_test_fn)(void *ctx, const bool *keep);

struct failure_ddmin_stats {
	unsigned tests;    /* candidates tried */
	bool minimal;      /* 1-minimal: the budget did not stop it */
};

#define FAILURE_ENOTFAIL (-101)  /* the starting set does not fail */

/*
 * Delta debugging (ddmin, Zeller and Hildebrandt 2002) over n items: on
 * entry keep[] is the starting set (items with keep[i] false are not
 * candidates), on return the smallest set found, in order, for which
 * fails() is 1.  Split the set into k chunks, keep a chunk alone or its
 * complement when it still fails, else double k; done when k reaches the
 * set's size (1-minimal: no single item can go) or after max_tests
 * candidates (0: no limit; st->minimal false).  Returns 0,
 * FAILURE_ENOTFAIL, MMU_ENOMEM or fails()'s negative code.
 */
int failure_ddmin(size_t n, failure_test_fn fails, void *ctx, bool *keep,
		  unsigned max_tests, struct failure_ddmin_stats *st);

/* The lines of a text, for shrinkers whose items are lines (scenarios,
 * traces): where each starts and its length without the newline, and room
 * to join any subset back. */
struct failure_lines {
	size_t n;
	const char **line;
	size_t *len;
	char *buf;
};

/* 0, or MMU_ENOMEM (fl then holds nothing to free). */
int failure_lines_split(const char *text, size_t len,
			struct failure_lines *fl);
/* The lines with keep[i] (NULL: all), each ending with '\n', into fl->buf
 * (NUL-terminated); returns the length. */
size_t failure_lines_join(struct failure_lines *fl, const bool *keep);
void failure_lines_free(struct failure_lines *fl);

#endif
