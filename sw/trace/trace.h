/* SPDX-License-Identifier: MIT */
/*
 * Memory traces of real programs, replayed through the OS (sw/os) and the
 * MMU (any machine back end), and the page-replacement policies the OS's
 * clock is compared with.  docs/running.md describes the formats and the
 * replay; errors are values, nothing here prints or exits.
 *
 * Formats
 *   lackey  valgrind --tool=lackey --trace-mem=yes:
 *             "I  ADDR,SIZE"  instruction fetch
 *             " L ADDR,SIZE"  load
 *             " S ADDR,SIZE"  store
 *             " M ADDR,SIZE"  modify: a load, then a store of the same bytes
 *           ADDR hexadecimal (an optional 0x), SIZE decimal 1..4096.
 *           Valgrind's own lines ("==PID== ...", "--PID-- ...") and blank
 *           lines are skipped.
 *   din     Dinero's "LABEL ADDRESS [anything]": LABEL 0 read, 1 write,
 *           2 instruction fetch, 3 escape record of an unknown access type
 *           (counted and skipped), 4 escape record that flushes the cache
 *           (replayed as a write-back-and-invalidate of the whole L1,
 *           MMU_CTL_FLUSH_ALL); ADDRESS hexadecimal (an optional 0x); the
 *           rest of the line is a comment.  The format has no size: each
 *           access is trace_parse_opts.din_size bytes (default 4).
 * Either may be gzip-compressed (a name ending in .gz is read through
 * `gzip -dc`).  Every access is split into naturally aligned pieces of at
 * most 8 bytes (1, 2, 4 or 8 bytes at an address that is a multiple of
 * their size), in address order; the replay issues the pieces.
 *
 * Malformed lines are reported as "FILE:LINE: message; expected ..." (the
 * first TRACE_MAX_DIAGS of them; the count of all) and nothing is returned:
 * a trace either parses completely or not at all.  The parser accepts any
 * bytes (it is fuzzed under ASan/UBSan).
 */
#ifndef MMU_TRACE_H
#define MMU_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "backend/backend.h"
#include "machine/machine.h"
#include "os/os.h"
#include "lockstep/lockstep.h"
#include "failure/failure.h"

/* ---- traces ---------------------------------------------------------------- */

enum trace_format { TRACE_FMT_AUTO, TRACE_FMT_LACKEY, TRACE_FMT_DIN };

/* A piece of an access, as replayed. */
enum trace_op { TRACE_LOAD, TRACE_STORE, TRACE_FETCH, TRACE_FLUSH };

struct trace_ref {
	uint64_t addr;
	uint8_t op;    /* enum trace_op */
	uint8_t size;  /* 1, 2, 4 or 8 (0 for TRACE_FLUSH) */
	uint32_t line; /* the record's line in the input (saturating) */
};

struct trace_parse_opts {
	enum trace_format format;  /* AUTO: from the name, else the content */
	uint64_t max_records;      /* stop after this many records (0: all) */
	unsigned din_size;         /* bytes per din access (0: 4) */
};

struct trace {
	char name[64];            /* file name without folders and extensions */
	enum trace_format format;
	struct trace_ref *ref;    /* trace_parse: the pieces, in trace order;
				   * trace_load: NULL (see trace_each) */
	size_t n, cap;            /* pieces */
	char *path;               /* trace_load: the file, read again by
				   * trace_each with opts */
	struct trace_parse_opts opts;
	/* what the input held */
	uint64_t lines;           /* lines read */
	uint64_t records;         /* access records (an M line counts once) */
	uint64_t skipped_lines;   /* banner, blank and comment lines */
	uint64_t misc_records;    /* din label 3 (skipped) */
	uint64_t flushes;         /* din label 4 */
	uint64_t split_records;   /* records that became more than one piece */
	bool truncated;           /* stopped at max_records */
};

#define TRACE_MAX_DIAGS 20
#define TRACE_DIAG_LEN 320

struct trace_diags {
	unsigned count;  /* malformed lines (or I/O errors) seen */
	char msg[TRACE_MAX_DIAGS][TRACE_DIAG_LEN];
};


/*
 * Parse trace text (need not be NUL-terminated, any bytes).  origin names
 * it in messages and gives the trace its name.  opts may be NULL.
 * Returns 0 and *out, or -1 with *d filled (and *out NULL).
 */
int trace_parse(const char *text, size_t len, const char *origin,
		const struct trace_parse_opts *opts, struct trace **out,
		struct trace_diags *d);

/* The same from a file; "*.gz" is read through `gzip -dc`.  I/O errors are
 * reported like parse errors.  The file is checked and counted, never held
 * in memory: every use of its pieces (trace_each) reads it again, so a
 * trace of any length costs a bounded amount of memory. */
int trace_load(const char *path, const struct trace_parse_opts *opts,
	       struct trace **out, struct trace_diags *d);

/*
 * Call fn(ctx, piece, i) for every piece in order (i from 0), from memory
 * or by parsing the file again.  fn returns 0 to go on, or a positive
 * value that stops the walk and is returned.  -1 with err when the file
 * cannot be read again or no longer parses as it did.
 */
int trace_each(const struct trace *t,
	       int (*fn)(void *ctx, const struct trace_ref *x, uint64_t i),
	       void *ctx, char *err, size_t errlen);

void trace_free(struct trace *t);

/* The format a name suggests: ".lackey", ".din" (before an optional ".gz"),
 * else TRACE_FMT_AUTO. */
enum trace_format trace_format_of_name(const char *path);
const char *trace_format_str(enum trace_format f);

/*
 * Call fn(ctx, addr, size) for the naturally aligned pieces of the access
 * [addr, addr + size): the largest of 8, 4, 2, 1 bytes that the address is
 * aligned to and that fits, in address order.  Returns the number of
 * pieces (0 for size 0).
 */
unsigned trace_split(uint64_t addr, uint64_t size,
		     void (*fn)(void *ctx, uint64_t addr, unsigned size),
		     void *ctx);

/* ---- the layout: which regions a trace touches ------------------------------ */

/* A region to map: whole pages [start, end). */
struct trace_region {
	uint64_t start, end;
	int prot;          /* PROT_READ|PROT_EXEC for code, PROT_READ|PROT_WRITE
			    * for data, all three for code that is stored to */
	bool code;         /* some page of it was fetched from */
	uint64_t touched;  /* pages of it the layout prefix touched */
};

struct trace_layout_opts {
	uint64_t prefix;       /* pieces examined (0: the whole trace) */
	unsigned gap_pages;    /* untouched pages between two touched pages of
				* the same kind that still join them into one
				* region (0: 16); larger gaps stay unmapped */
	uint64_t min_addr;     /* lowest mappable address (0: 65536) */
	uint64_t max_addr;     /* end of user space (0: from the
				* configuration given to trace_layout) */
};

struct trace_layout {
	struct trace_region *r;  /* sorted, disjoint */
	size_t n;
	uint64_t min_addr, max_addr;  /* pages outside are never mapped */
	uint64_t touched_pages;       /* distinct pages touched (mappable) */
	uint64_t mapped_pages;        /* pages of all regions */
	uint64_t code_regions, rwx_regions;
	uint64_t unmappable_refs;     /* pieces outside [min_addr, max_addr) */
	uint64_t table_frames;        /* page-table pages (root included) that
				       * the touched pages need */
};

/*
 * Find the regions: every page a piece of the prefix touches is code (it
 * was fetched from) or data; pages of one kind closer than gap_pages join
 * into a region (the gap is mapped with them); different kinds never join.
 * cfg gives the page size, the levels (for table_frames) and user space.
 * Returns 0, or -1 with a message (out of memory).
 */
int trace_layout(const struct trace *t, const struct mmu_config *cfg,
		 const struct trace_layout_opts *o, struct trace_layout *lay,
		 char *err, size_t errlen);
void trace_layout_free(struct trace_layout *lay);
/* Index of the region holding addr, or -1. */
long trace_layout_find(const struct trace_layout *lay, uint64_t addr);

/* ---- replay through the OS -------------------------------------------------- */

struct trace_progress {
	void (*fn)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
	uint64_t every;  /* pieces between calls (0: 65536) */
};

struct trace_replay_opts {
	uint64_t fork_at;      /* before piece N (1-based), fork: the child
				* stays alive and idle, so later stores to
				* pages written before copy on write; at the
				* end the child's memory is checked against
				* the parent's at the fork (0: no fork) */
	bool preload_tables;   /* before the replay, fault one page of each
				* page-table page's range in and release it
				* (MADV_DONTNEED): the tables stay, so the
				* frames left for user pages do not change
				* during the replay (for fault-count sweeps) */
	bool code_file;        /* map code regions from a host file (a
				* fixed byte pattern, in $TMPDIR or /tmp,
				* removed afterwards) as a program's text is:
				* demand-paged from the page cache, dropped
				* and read again under pressure; otherwise
				* code is anonymous memory like data */
	uint64_t seed;         /* store data pattern */
	struct trace_progress progress;
};

struct trace_stats {
	/* the replay */
	uint64_t pieces, loads, stores, fetches, flushes;
	uint64_t unmappable;       /* pieces skipped: outside user space */
	uint64_t signals;          /* SIGSEGV/SIGBUS the accesses got */
	uint64_t signals_expected; /* ...that the layout predicted (prefix) */
	uint64_t data_checked;     /* loads and fetches compared with the shadow */
	uint64_t cow_checked;      /* words of the child compared after a fork */
	/* the layout */
	uint64_t regions, mapped_pages, touched_pages, table_frames;
	/* the machine's counters and the OS's statistics over the replay
	 * (differences), and the frames the OS had for user pages */
	struct mmu_counters c;
	struct os_stats os;
	uint64_t user_frames;      /* frames - kernel - page tables, at the end */
	uint64_t page_ins;         /* pages made resident: zero-filled, swapped
				    * in (swap-cache hits too), file reads */
	/* lockstep */
	bool lockstep;
	uint64_t checks;           /* lockstep calls compared */
	double secs;               /* wall time of the replay loop */
	bool ok;                   /* every check held */
	char fail[1024];           /* the first failure (and its report) */
	/* the first failure: its piece (1-based; 0: not at a piece) and that
	 * record's line, "the same way" (failure_sig: "mismatch FIELD" or
	 * "trace CHECK", CHECK one of machine, signal, data, cow, flush,
	 * os_check, final, setup) and a lockstep mismatch's report */
	uint64_t fail_piece;
	uint32_t fail_line;
	char fail_sig[96];
	bool fail_mismatch;
	struct lockstep_mismatch mm;
};

/*
 * Replay t on os: a new process becomes current, the regions of lay are
 * mapped (MAP_PRIVATE|MAP_FIXED_NOREPLACE with the regions' rights;
 * anonymous, or code from a file with code_file),
 * every piece is issued with os_access (user mode) so that faults, demand
 * paging, copy-on-write, swap and reclaim happen in the OS.  Checked:
 * loaded and fetched data against a shadow of every store, the signal of
 * each access against the layout (none inside a region with the rights),
 * the child after a fork, os_check with the process alive and after it
 * exited.  The process exits at the end.  Returns 0 when the replay ran
 * (st->ok says whether every check held), -1 when it could not (with err).
 */
int trace_replay(struct os *os, const struct trace *t,
		 const struct trace_layout *lay,
		 const struct trace_replay_opts *o, struct trace_stats *st,
		 char *err, size_t errlen);

/* A whole run: machine, OS, layout, replay, final checks. */
struct trace_run_opts {
	const char *backend;            /* machine_open name (NULL: golden) */
	const struct mmu_config *cfg;
	uint64_t mem_bytes;             /* 0: the configuration's */
	uint64_t user_frames;           /* if set: memory sized for this many
					 * user pages + the kernel's frames +
					 * the page tables the layout needs
					 * (+ theirs for a fork's child) */
	uint64_t swap_bytes;            /* 0: twice the touched pages */
	bool no_zero_page;              /* os_opts.no_zero_page */
	struct backend_opts bo;
	struct trace_layout_opts layout;
	struct trace_replay_opts replay;
};

/*
 * Open the back end, boot the OS, lay out and replay t, then (lockstep) the
 * counters and the whole of memory compared.  Returns 0 when it ran
 * (st->ok: the checks), -1 when it could not start (err).
 */
int trace_run(const struct trace *t, const struct trace_run_opts *o,
	      struct trace_stats *st, char *err, size_t errlen);

/*
 * The replay the tools run for a trace (mmurun's trace workloads, mmuos
 * replay; docs/running.md): memory for mem_pct % of the pages the trace
 * touches in cfg (at least 16 frames) plus what the kernel and the tables
 * need, a fork half-way, code regions from a file, seed for the stored
 * data and the back-pressure pattern.  Sets those fields of o (o->backend
 * and the other back-end options stay the caller's).  0, or -1 with err.
 */
int trace_std_opts(const struct trace *t, const struct mmu_config *cfg,
		   unsigned mem_pct, uint64_t seed, struct trace_run_opts *o,
		   char *err, size_t errlen);

/* The log of a replay, as mmurun writes it per trace workload: the trace
 * (name, file, format, records), the back end, the user frames (as
 * asked for) and the layout, the replay's
 * figures, the machine's counters and the OS's, then the result and, on
 * failure, report (NULL: st->fail).  0, or -1 when it cannot be written. */
int trace_log_write(const char *path, const char *name, const char *file,
		    const struct trace *t, const struct trace_stats *st,
		    const char *backend, uint64_t frames, const char *report);

/* The first failure of a replay (st->ok false) as the one failure report
 * (sw/failure): kind "trace", FILE:LINE of the record, the piece as the
 * step, the mismatch or the failed check; the caller adds the log and the
 * re-run command.  f->mm points into st. */
void trace_failure(const struct trace *t, const struct trace_stats *st,
		   struct failure *f);

/*
 * Failure shrinking: the trace text (len bytes; origin names it, po as it
 * was parsed with) whose replay with trace_std_opts(mem_pct, seed) over o
 * (back end, configuration, options) failed with signature sig
 * (trace_stats.fail_sig), reduced by ddmin (failure_ddmin) over its lines
 * to the fewest that still fail the same way.  Every candidate is parsed
 * and replayed in-process on a fresh machine and OS (no wave file): it is
 * a subset of the original, so no longer than it.  At most max_tests
 * candidates (0: 4000).  Returns 0 and the text in *out (malloc'd),
 * FAILURE_ENOTFAIL when the whole trace does not fail that way, or
 * MMU_ENOMEM; err says why.
 */
struct trace_shrink_result {
	uint64_t records_before, records_after;
	uint64_t piece_before, piece_after;   /* the failing piece */
	struct failure_ddmin_stats st;
};
int trace_shrink(const char *text, size_t len, const char *origin,
		 const struct trace_parse_opts *po,
		 const struct trace_run_opts *o, unsigned mem_pct,
		 uint64_t seed, const char *sig, unsigned max_tests,
		 char **out, struct trace_shrink_result *res, char *err,
		 size_t errlen);

/* Frames a machine needs so that `user_frames` are left for user pages
 * with this layout (kernel frames and page tables added). */
uint64_t trace_mem_frames(const struct trace_layout *lay, uint64_t user_frames,
			  bool fork);

/* ---- page replacement ------------------------------------------------------- */

/* A page-reference string: page numbers in order, consecutive repeats of
 * one page collapsed (they change no policy's fault count), the pages
 * numbered densely in order of first use (ids < distinct).  The string is
 * in an unlinked scratch file ($TMPDIR or /tmp), 4 bytes per reference:
 * memory holds only the distinct pages.  At most 2^32 - 2 references. */
struct trace_refs {
	uint64_t *page;    /* page number of each id */
	size_t n, distinct;
	int fd;            /* the ids, a uint32_t per reference */
};

/* From a trace's loads, stores and fetches inside [lay->min_addr,
 * lay->max_addr) (lay may be NULL: every piece), pages of 2^page_shift. */
int trace_refs_build(const struct trace *t, const struct trace_layout *lay,
		     unsigned page_shift, struct trace_refs *r);
/* From page numbers (tests, textbook strings). */
int trace_refs_from(const uint64_t *pages, size_t n, struct trace_refs *r);
void trace_refs_free(struct trace_refs *r);
/* ids[0..n) = the ids of references from..from+n-1; 0 or -1. */
int trace_refs_read(const struct trace_refs *r, size_t from, uint32_t *ids,
		    size_t n);

enum trace_policy {
	TRACE_POL_FIFO,
	TRACE_POL_LRU,
	TRACE_POL_CLOCK,  /* second chance: a reference bit per frame, a hand */
	TRACE_POL_OPT,    /* Belady: evict the page used farthest in the future */
};
const char *trace_policy_str(enum trace_policy p);

/* Page faults (cold misses included) of policy p with `frames` frames,
 * reading the string in blocks (memory for the distinct pages and the
 * frames; OPT also writes each reference's next use to a scratch file).
 * Returns 0, or -1 when out of memory, on an I/O error or frames is 0. */
int trace_policy_faults(const struct trace_refs *r, enum trace_policy p,
			size_t frames, uint64_t *faults);

#endif
