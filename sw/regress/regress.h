/* SPDX-License-Identifier: MIT */
/*
 * Constrained-random regression of a machine: the one random generator of
 * the project, used by mmuregress, mmurun and the tests.
 *
 *   regress_rng_*    the one PRNG (xorshift64*, seeded through a Weyl step)
 *   regress_gen_*    the generator: random page tables over a machine, then
 *                    a stream of steps (accesses, PTE and table-entry
 *                    rewrites with the invalidations they need, control
 *                    register changes, PCID switches, cache maintenance and,
 *                    by mix, physical-path traffic and rule-breaking edits)
 *   regress_run_seed one test as mmuregress and mmurun run it: open a back
 *                    end, run a seed, check the end state, keep the figures
 *                    and, on failure, a report with the re-run command
 *
 * Same seed, same mix, same configuration: the same stream on every host.
 * Nothing here prints or exits: errors are return codes with a message,
 * logs go to a callback or to a file the caller names, progress to a
 * callback.  docs/verification.md is the manual.
 */
#ifndef MMU_REGRESS_H
#define MMU_REGRESS_H

#include "backend/backend.h"
#include "lockstep/lockstep.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the PRNG ------------------------------------------------------------ */

/* xorshift64* (Marsaglia's xorshift, Vigna's multiplier 0x2545F4914F6CDD1D):
 * 64 bits of state, period 2^64 - 1.  The state starts at
 * seed * 0x9E3779B97F4A7C15 + 1 (golden-ratio Weyl step), never 0. */
struct regress_rng {
	uint64_t s;
};

void regress_rng_seed(struct regress_rng *r, uint64_t seed);
uint64_t regress_rng_next(struct regress_rng *r);
/* next() % n, or 0 when n is 0 (the bias, n / 2^64, is immaterial here). */
uint64_t regress_rng_below(struct regress_rng *r, uint64_t n);

/* ---- control-register values --------------------------------------------- */

/* Every CR0, CR4 and EFER value the generator writes is made here from the
 * bits it varies, so that the bits 64-bit mode requires (CR0.PE|PG,
 * CR4.PAE, EFER.LME; machine.h) are added in one place. */
uint64_t regress_cr0(uint64_t bits);
uint64_t regress_cr4(uint64_t bits);
uint64_t regress_efer(uint64_t bits);

/* ---- the generator ------------------------------------------------------- */

/*
 * What the stream holds (per mille of steps; the rest are accesses):
 *
 *   CHECKED  mmuregress's stream.  4 PTE rewrites (with INVLPG/INVPCID),
 *            2 table-entry rewrites above a leaf (rights, XD, A cleared;
 *            INVLPG of one page), 3 control changes (CR0.WP, EFER.NXE,
 *            CR4.SMEP/SMAP/PGE/PCIDE, AC, PCID switches), 2 cache
 *            maintenance.  Every outcome is checked against the
 *            generator's own model: the translation it mapped, loaded data
 *            against a shadow of memory, the kind of fault the mapping
 *            allows; #GP from an access or a control write is a failure.
 *   TRAFFIC  for checkers that compare two machines (lockstep): the same
 *            steps (30 PTE, 10 table-entry, 40 control, 20 maintenance)
 *            plus coherent physical reads and writes and DRAM peeks (70),
 *            INVPCID of every type, INVLPG, INVAL_LINE of data lines,
 *            clean/flush of table lines and control writes that must raise
 *            #GP.  Nothing is checked by the generator; the last page of
 *            memory is never touched.
 *   HOSTILE  TRAFFIC's steps, and the rules an OS keeps broken: 1 GiB
 *            pages, frames past the end of memory (bus errors) or over the
 *            page tables, A/D preset in leaves, tables without R/W or U/S,
 *            random bit flips (P, R/W, U/S, A, D, G, XD, PS, reserved bits)
 *            in entries at any level without invalidation (20), PTE
 *            rewrites without invalidation, non-canonical addresses,
 *            INVAL_LINE of table lines and INVAL_ALL, physical traffic
 *            anywhere below the last page.
 */
enum regress_mix { REGRESS_CHECKED, REGRESS_TRAFFIC, REGRESS_HOSTILE };

/* Accesses logged in full: every REGRESS_LOG_EVERY-th unless told. */
#define REGRESS_LOG_EVERY 1000

typedef void (*regress_log_fn)(void *ctx, const char *line);
/* Called every 8192 steps with the step number and the run's length. */
typedef void (*regress_progress_fn)(void *ctx, uint64_t step, uint64_t steps);

struct regress_gen_opts {
	enum regress_mix mix;
	regress_log_fn log;     /* NULL: no log.  Lines end with '\n': every
				 * control op and entry change, every fault
				 * in short, every log_every-th access in full */
	uint64_t log_every;     /* 0: REGRESS_LOG_EVERY */
	regress_progress_fn progress;
	uint64_t steps;         /* for progress only: the run's length */
	void *ctx;              /* for log and progress */
};

/* What the generator did and saw (its own calls; page-table helpers' reads
 * and writes not included). */
struct regress_stats {
	uint64_t steps, accesses, ctls, phys, faults;
	/* CHECKED only */
	uint64_t checks;        /* outcomes checked */
	uint64_t loads_checked; /* loads whose data matched the shadow */
	uint64_t pf_np, pf_prot, pf_rsvd, gp;
};

/* A check of the generator's own failed (CHECKED): not a machine error. */
#define REGRESS_ECHECK (-100)

struct regress_gen;

/*
 * Lay out m's memory (tables, then data), build random page tables and
 * load CR3.  m stays the caller's.  Returns 0 and *out, or an error code
 * (MMU_E*, REGRESS_ECHECK) with a message in err; *out is then NULL.
 */
int regress_gen_new(struct machine *m, uint64_t seed,
		    const struct regress_gen_opts *o, struct regress_gen **out,
		    char *err, size_t errlen);

/* Run `steps` more steps; stops at and returns the first error (the
 * machine's code, or REGRESS_ECHECK; regress_gen_error() says what). */
int regress_gen_run(struct regress_gen *g, uint64_t steps);

/* The end-of-run checks: CHECKED flushes the L1 and compares the data
 * region with the shadow; on a lockstep machine, the counters and then
 * the whole of memory are compared.  Returns 0 or the error. */
int regress_gen_finish(struct regress_gen *g);

const struct regress_stats *regress_gen_stats(const struct regress_gen *g);
/* The last failure, one line ("" when none). */
const char *regress_gen_error(const struct regress_gen *g);
void regress_gen_free(struct regress_gen *g);

/* ---- one test: a back end, a configuration, a seed ----------------------- */

struct regress_seed_opts {
	const char *backend;           /* machine_open() name */
	struct backend_opts bo;        /* .seed and .trace_path set per seed */
	const struct mmu_config *cfg;
	const char *cfg_arg;           /* the configuration as the user named
					* it (for the re-run command) */
	uint64_t steps;
	uint64_t log_every;            /* 0: REGRESS_LOG_EVERY */
	const char *logdir;            /* NULL: no log; else LOGDIR/CFG-seedS.log */
	bool wave;                     /* and LOGDIR/CFG-seedS.fst */
	const char *tool;              /* program of the re-run command */
	regress_progress_fn progress;
	void *ctx;
};

struct regress_result {
	bool ok;
	bool mismatch;                 /* the failure is a lockstep mismatch */
	double secs;
	struct regress_stats st;
	struct mmu_counters c;         /* the machine's, at the end */
	struct lockstep_stats ls;      /* zero unless the back end is lockstep */
	char log_path[512];            /* "" when no log was written */
	char rerun[1024];              /* the command that runs this test alone */
	char report[4096];             /* failure: failure_format() */
	/* a lockstep mismatch: the call it stopped at, the field, and whether
	 * the end-of-run checks (counters, memory) found it */
	uint64_t mm_call;
	char mm_field[48];
	bool mm_final;
};

/*
 * Open the back end, run the CHECKED stream for the seed, check the end
 * state, close.  Lockstep also compares the counters every 4096 calls.
 * Fills *r (the figures also when it fails).  Returns 0 when the test
 * passed, else its error code (r->report says what).
 */
int regress_run_seed(const struct regress_seed_opts *o, uint64_t seed,
		     struct regress_result *r);

/* The re-run command of a test: "TOOL --backend B --config C --seed S
 * --ops N [--logdir D] [--axi-latency ...]...". */
void regress_rerun_command(const struct regress_seed_opts *o, uint64_t seed,
			   char *buf, size_t len);

/* ---- failure shrinking: the machine calls of a seed, replayed ------------ */

/*
 * A stream: the machine calls a seed's generator made (accesses, control
 * operations, coherent reads and writes, DRAM peeks -- the calls lockstep
 * numbers), recorded on the golden model, which answers as lockstep does,
 * so the stream is the lockstep run's up to its mismatch.  The file
 * (stream.c) is text, one call a line:
 *   # mmu stream v1            (first line; other '#' lines are comments)
 *   access sup|user load|store|fetch SIZE VA WDATA
 *   ctl OP VALUE ADDR TYPE PCID        (OP as mmu_ctl_op_str() names it)
 *   phys_read PA LEN | mem_peek PA LEN | phys_write PA HEXBYTES
 */
enum regress_call_kind { RCALL_ACCESS, RCALL_CTL, RCALL_PHYS_READ,
			 RCALL_PHYS_WRITE, RCALL_MEM_PEEK };

struct regress_call {
	enum regress_call_kind kind;
	struct mmu_req req;   /* ACCESS */
	struct mmu_ctl ctl;   /* CTL */
	uint64_t pa;          /* PHYS_*, MEM_PEEK */
	uint32_t len;
	uint8_t *data;        /* PHYS_WRITE: len bytes */
};

struct regress_stream {
	struct regress_call *call;
	size_t n, cap;
};

#define REGRESS_STREAM_MAX_CALLS (1u << 22)
#define REGRESS_STREAM_MAX_LEN (1u << 20)  /* bytes of one read or write */

/* Record the first max_calls calls of seed's CHECKED stream (o->steps
 * steps at most) on the golden model.  0 and *out, or an error. */
int regress_record(const struct regress_seed_opts *o, uint64_t seed,
		   uint64_t max_calls, struct regress_stream **out, char *err,
		   size_t errlen);
void regress_stream_free(struct regress_stream *s);
/* Write the calls with keep[i] (NULL: all); comment lines first. */
int regress_stream_write(const struct regress_stream *s, const bool *keep,
			 const char *comment, FILE *f);
/* Read a file; MMU_EINVAL with "FILE:LINE: why" on a malformed line. */
int regress_stream_read(const char *path, struct regress_stream **out,
			char *err, size_t errlen);

/*
 * Replay the calls with keep[i] (NULL: all) on a fresh machine opened as o
 * opens it for seed, then (final) the counters and the whole of memory on
 * a lockstep machine.  Returns 1 with the differing field in field when a
 * lockstep mismatch stopped it, 0 when it passed, 2 when a call failed
 * otherwise (message in err), or a negative code when the machine could
 * not be opened.
 */
int regress_replay(const struct regress_seed_opts *o, uint64_t seed,
		   const struct regress_stream *s, const bool *keep, bool final,
		   char *field, size_t flen, char *err, size_t errlen);

/*
 * Delta debugging (ddmin, Zeller and Hildebrandt 2002) over the calls:
 * the smallest set of calls, in order, whose replay fails with a mismatch
 * of the same field.  keep[] (s->n entries) gets the result; *replays the
 * number of replays run.  Returns 0, REGRESS_ECHECK when the whole stream
 * does not fail that way, or an error.
 */
int regress_shrink(const struct regress_seed_opts *o, uint64_t seed,
		   const struct regress_stream *s, const char *field,
		   bool final, bool *keep, unsigned *replays, char *err,
		   size_t errlen);

#endif
