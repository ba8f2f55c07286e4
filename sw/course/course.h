/* SPDX-License-Identifier: MIT */
/*
 * Course mode (docs/course.md): exercise files in the textbook's notation
 * (CS:APP 9.6.4 style), loaded into a machine through the debug path (the
 * TLB and L1 arrays written directly, stale entries included), every access
 * explained step by step in the textbook's vocabulary, the student's
 * answers marked, and seeded practice problems generated.
 *
 *   parse.c    the exercise format (errors: file:line:col: what was expected)
 *   load.c     the state into a machine (golden, RTL or lockstep alike)
 *   explain.c  one access: snapshots, the walk, the text explanation, marks
 *   html.c     one self-contained HTML page per run
 *   gen.c      seeded practice problems with a separate answer key
 *
 * Errors are values: functions return 0 or -1 with a message in err.
 */
#ifndef MMU_COURSE_H
#define MMU_COURSE_H

#include <stdio.h>

#include "machine/machine.h"

/* Bounds on untrusted input. */
#define COURSE_MAX_BYTES   (1u << 20)  /* exercise file size */
#define COURSE_MAX_ITEMS   4096        /* each of: TLB, PTE, line, mem items */
#define COURSE_MAX_ACCESS  256
#define COURSE_MAX_MEM     256         /* bytes in one mem statement */
#define COURSE_MAX_MEM_ST  256         /* mem statements */

/* The fields a student answers, in the textbook's order. */
#define COURSE_FIELDS(X)                                                     \
	X(VPN, "vpn", "virtual page number")                                 \
	X(VPO, "vpo", "virtual page offset")                                 \
	X(TLBI, "tlbi", "TLB index")                                         \
	X(TLBT, "tlbt", "TLB tag")                                           \
	X(TLB, "tlb", "TLB hit or miss")                                     \
	X(FAULT, "fault", "page fault (none, pf, gp)")                       \
	X(PPN, "ppn", "physical page number")                                \
	X(PA, "pa", "physical address")                                      \
	X(CO, "co", "cache offset")                                          \
	X(CI, "ci", "cache index")                                           \
	X(CT, "ct", "cache tag")                                             \
	X(CACHE, "cache", "cache hit or miss")                               \
	X(DATA, "data", "the data read")

enum course_field {
#define COURSE_F_ENUM(e, key, doc) CF_##e,
	COURSE_FIELDS(COURSE_F_ENUM)
#undef COURSE_F_ENUM
	CF_N
};
extern const char *const course_field_key[CF_N];
extern const char *const course_field_doc[CF_N];
enum { COURSE_FAULT_NONE, COURSE_FAULT_PF, COURSE_FAULT_GP, COURSE_FAULT_BUS };

struct course_answer {
	bool given[CF_N];
	uint64_t v[CF_N];
	unsigned line[CF_N], col[CF_N];
};

struct course_access {
	struct mmu_req req;
	unsigned line;
	struct course_answer ans;
};

struct course_tlb_item {
	unsigned set, way, line;
	bool by_tag;     /* tag=TLBT given: the VPN is TLBT:set */
	uint64_t tag;
	struct mmu_tlb_slot e;
};

struct course_line_item {
	unsigned set, way, line, nbytes;
	struct mmu_line_slot l;
};

/* A page-table entry: by VPN in a one-level table under the PTBR, or at
 * an index of a table at a physical address (any level). */
struct course_pte_item {
	bool by_vpn;
	uint64_t vpn;          /* by_vpn */
	uint64_t table, index; /* otherwise */
	unsigned level, line;
	pte_t value;
};

struct course_mem_item {
	uint64_t pa;
	unsigned n, line;
	uint8_t b[COURSE_MAX_MEM];
};

struct course_ex {
	char path[256];
	char config[256];
	char title[160];
	bool has_ptbr, has_cr0, has_cr3, has_cr4, has_efer;
	uint64_t ptbr, cr0, cr3, cr4, efer;
	unsigned n_tlb, n_pte, n_line, n_mem, n_acc;
	struct course_tlb_item *tlb;
	struct course_pte_item *pte;
	struct course_line_item *lines;
	struct course_mem_item *mem;
	struct course_access *acc;
};

/* Parse exercise text (path names it in messages).  Returns 0 and *out
 * (free with course_free), or -1 with "path:line:col: expected ..." in err. */
int course_parse(const char *path, const char *text, size_t len,
		 struct course_ex **out, char *err, size_t errlen);
/* Read and parse a file (at most COURSE_MAX_BYTES). */
int course_parse_file(const char *path, struct course_ex **out, char *err,
		      size_t errlen);
void course_free(struct course_ex *ex);

/* Put the exercise's state into m (whose configuration must be the
 * exercise's): control registers, memory and page tables through the
 * coherent path, then every TLB entry and L1 line through the debug path
 * (slots the file does not name are invalid).  -1 with file:line: in err. */
int course_load(struct machine *m, const struct course_ex *ex, char *err,
		size_t errlen);

/* ---- explaining one access ------------------------------------------- */

struct course_snap {
	unsigned tlb_sets, tlb_ways, l1_sets, l1_ways;
	struct mmu_tlb_slot *tlb;   /* [set * ways + way] */
	struct mmu_line_slot *l1;
};
int course_snap_take(struct machine *m, struct course_snap *s, char *err,
		     size_t errlen);
void course_snap_free(struct course_snap *s);

struct course_walk_step {
	unsigned level;
	uint64_t table, index, ea;
	unsigned l1_set;
	uint64_t l1_tag;
	bool l1_hit;            /* the entry's line was in the L1 before this read */
	bool from_dram;         /* value taken from memory (miss) */
	pte_t raw;
	bool rw_so_far, us_so_far, xd_so_far;
	bool leaf;
};

/* Cycle records of the RTL's FSMs (filled by the tool from the RTL). */
#define COURSE_MAX_CYCLES 512
struct course_cycles {
	unsigned n;              /* cycles recorded (may exceed the array) */
	const char *top[COURSE_MAX_CYCLES], *ptw[COURSE_MAX_CYCLES],
		*l1[COURSE_MAX_CYCLES];
};

struct course_result {
	struct mmu_req req;
	struct mmu_outcome o;
	struct mmu_va_fields vf;
	struct mmu_pa_fields pf;
	uint64_t truth[CF_N];
	bool known[CF_N];        /* the field has a value for this access */
	char why[CF_N][160];     /* the reason, for marking */
	unsigned n_walk;
	struct course_walk_step walk[MMU_MAX_LEVELS];
	int tlb_way;             /* hit way, or -1 */
	bool data_line_evicted_by_walk;
	struct course_snap before, after;
	struct course_cycles cyc;  /* RTL only: cyc.n > 0 */
};

/* Called just before and just after the access itself (not around the
 * snapshots): the tool starts and stops the RTL's cycle log there. */
struct course_hooks {
	void (*start)(void *ctx);
	void (*stop)(void *ctx, struct course_result *r);
	void *ctx;
};

/* Read physical memory as the walker would see it, disturbing nothing:
 * from the L1 line holding it (read through the debug path), else from
 * memory.  *in_l1 tells which.  0 or -1 (outside memory, no debug path). */
int course_peek(struct machine *m, uint64_t pa, void *buf, size_t n, bool *in_l1);

/* The walk of va through the current tables (CR3), entry by entry as they
 * are now, read with course_peek: up to MMU_MAX_LEVELS steps, stopping at
 * a leaf or a non-present entry.  Returns the number of steps (0: error). */
unsigned course_walk_now(struct machine *m, uint64_t va,
			 struct course_walk_step *steps);

/* Run access a on m and fill r (snapshots before and after); hooks may be
 * NULL.  The caller frees r with course_result_free. */
int course_run_access(struct machine *m, const struct course_access *a,
		      const struct course_hooks *hooks, struct course_result *r,
		      char *err, size_t errlen);
void course_explain_text(const struct machine *m, const struct course_result *r,
			 FILE *f);
void course_result_free(struct course_result *r);

/* Mark the student's answers of a against r: one line per given field,
 * "right" or "WRONG: correct value, why".  Returns the number wrong. */
unsigned course_mark(const struct course_access *a, const struct course_result *r,
		     FILE *f, unsigned *right);

/* Value of a field in the textbook's spelling ("0x0F", "hit", "none"). */
const char *course_field_str(enum course_field k, uint64_t v, char *buf,
			     size_t len);

/* ---- HTML --------------------------------------------------------------- */
struct course_html;
struct course_html *course_html_open(FILE *f, const struct machine *m,
				     const struct course_ex *ex, const char *backend);
void course_html_access(struct course_html *h, const struct course_result *r);
void course_html_close(struct course_html *h);

/* ---- generated exercises -------------------------------------------------- */
/* Write a seeded practice problem for cfg (state plus n accesses) to ex_f
 * and its answer key to key_f.  -1 with a message when cfg cannot host one. */
int course_generate(const struct mmu_config *cfg, const char *cfg_name,
		    uint64_t seed, unsigned n, FILE *ex_f, FILE *key_f,
		    char *err, size_t errlen);

#endif
