/* SPDX-License-Identifier: MIT */
/*
 * mmurun's parts (the tool is mmurun.c and the mmurun_*.c files beside it,
 * linked together; see the Makefile's tools):
 *   mmurun.c        main: the run, the results, --merge
 *   mmurun_cli.c    the command line and the seeds' configurations
 *   mmurun_list.c   the workload list (scenarios, seeds, traces, sweeps)
 *   mmurun_work.c   one workload run: scenarios, seeds, traces; progress
 *   mmurun_sweep.c  the golden-model sweeps over a trace
 *   mmurun_jobs.c   the workloads -j N at a time (sw/jobs), their results
 *                   gathered in the list's order
 * A workload's row, the summary table and summary.tsv are the report
 * library's (struct report_row).
 */
#ifndef MMU_TOOLS_MMURUN_H
#define MMU_TOOLS_MMURUN_H

#include "backend/backend.h"
#include "config/config.h"
#include "report/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_WORK 1024
#define MAX_DIRS 8
#define MAX_TRACES 64
#define MAX_SEEDS 512   /* per configuration */
#define MAX_SEED_WORK 768 /* seeds x configurations: the list holds MAX_WORK */
#define MAX_SEED_CFGS 8

enum wkind { W_SCENARIO, W_SEED, W_TRACE, W_SWEEP_TLB, W_SWEEP_L1,
	     W_SWEEP_MEM, W_KINDS };
/* The kinds' names, NULL-terminated ("scenario", "seed", ...). */
extern const char *const kind_name[W_KINDS + 1];

struct workload {
	enum wkind kind;
	char name[96];
	char path[512];
	uint64_t seed;
	unsigned cfg;    /* seeds: which of the seed configurations */
	unsigned index;  /* in the whole list (before sharding) */
};

struct cli {
	const char *backend, *config, *out, *only, *scn_dir, *seed_cfgs;
	const char *trace_dirs[MAX_DIRS];
	unsigned ntrace_dirs, seeds, mem_pct, shard_i, shard_n;
	unsigned jobs;         /* -j: workloads in parallel processes */
	uint64_t records, seed_ops;
	bool no_scn, no_seeds, no_traces, no_sweeps, list, quiet, wave;
	struct backend_opts bo;  /* --inject-rule: the checker's self-test */
	bool merge;            /* the positional arguments are shard folders */
	const char *merge_dirs[MAX_WORK];
	unsigned nmerge;
};

struct trace;

struct tcache {
	char path[512];
	struct trace *t;       /* NULL: it did not load (said once) */
	unsigned first;        /* the workload whose row says why */
	char *why;             /* ... and what it says */
};

struct ctx {
	struct cli *c;
	struct mmu_config cfg;
	struct mmu_config scfg[MAX_SEED_CFGS];  /* the seeds' configurations */
	unsigned nscfg;
	char out[400], logs[512], self_dir[512];
	FILE *sweep;
	struct tcache cache[MAX_TRACES];
	unsigned ncache;
	/* progress */
	unsigned pos, total, failed;
	double t0, last;
	const struct workload *cur;
	struct cover_set *cover;  /* functional coverage of every workload */
};

/* mmurun.c */
double now(void);

/* mmurun_cli.c: the exit status, or -1 to go on */
int parse_args(int argc, char **argv, struct cli *c);
int load_seed_configs(const struct cli *c, struct ctx *x);

/* mmurun_list.c: the whole list, in its order (indexes 0..n-1) */
unsigned build_list(const struct cli *c, const struct ctx *x,
		    struct workload *w);

/* mmurun_work.c */
void row_start(struct report_row *r, const struct workload *w);
void run_one(struct ctx *x, const struct workload *w, struct report_row *r);
void progress_pieces(void *ctx, uint64_t done, uint64_t total);
void progress_done(struct ctx *x, const struct workload *w,
		   const struct report_row *r);
/* The trace of path, loaded once (NULL, r failed, when it does not). */
struct trace *get_trace(struct ctx *x, const char *path, struct report_row *r);

/* mmurun_sweep.c */
void run_sweep_tlb(struct ctx *x, const struct workload *w,
		   struct report_row *r);
void run_sweep_l1(struct ctx *x, const struct workload *w,
		  struct report_row *r);
void run_sweep_mem(struct ctx *x, const struct workload *w,
		   struct report_row *r);

/* mmurun_jobs.c: every workload, c->jobs at a time */
void run_workloads(struct ctx *x, const struct workload *w,
		   struct report_row *r, unsigned k);

#endif
