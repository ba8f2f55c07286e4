/* SPDX-License-Identifier: MIT */
/*
 * Lockstep: a third back end of the machine interface that drives a
 * reference machine (the golden model) and a device under test (the RTL, or
 * any machine) with every call, and compares what they answer.
 *
 * Compared on every call:
 *   access     return code; every field of the outcome but `cycles`:
 *              status, rdata, pa, error_code, cr2, tlb_hit, walked, l1_hit,
 *              walk_reads, psc_level, page_level, n_ad, ad[i].pa/.value;
 *              then the registers (CR2 changes on a #PF)
 *   ctl        return code, MMU_CTL_DONE vs MMU_CTL_GP, then the registers
 * The DUT's regs op must not clock it (the RTL's does not), so comparing
 * registers leaves the DUT's timing as it is without lockstep.
 *   phys_read  return code and every byte read
 *   phys_write return code
 *   mem_peek   return code and every byte read
 * On request: the counters (all but walk_cycles and cycles, which only the
 * RTL has) followed by the registers, and the whole of memory after
 * flushing both L1s.
 *
 * Every report names the two back ends compared ("golden vs rtl") in its
 * first line.
 *
 * By default the first difference stops the run: that call returns
 * MMU_EBACKEND with a one-line message in machine->err, the full report is
 * kept (see lockstep_mismatch()), the mismatch callbacks run once, and every
 * later call is refused with MMU_EBACKEND.  The library never prints or
 * exits.
 *
 * Carry-on mode (lockstep_set_continue()), for checkers that sweep many
 * cases: a difference is counted and reported (the first
 * LOCKSTEP_KEEP_REPORTS reports kept, the callbacks run at the first), the
 * call returns the reference's answer, and the DUT is resynchronised before
 * the next call:
 *   registers  the reference's EFER, CR0, CR4, CR3 (PCIDE cleared while
 *              CR3's PCID bits are 0, then set again), CR2 and AC written
 *              into the DUT through control operations;
 *   TLB, PSC   emptied on both sides (INVPCID type 2);
 *   L1         written back and emptied on both sides (FLUSH_ALL);
 *   memory     all of DRAM compared in 64 KiB chunks; a chunk that differs
 *              is copied from the reference through the DUT's coherent
 *              path, written back and compared again;
 *   counters   the difference left afterwards is remembered and taken off
 *              the DUT's counters in later comparisons.
 * Not resynchronised: replacement (PLRU) state, which the machine
 * interface cannot reach -- with empty caches it matters again only once
 * a set fills.  After a resync both sides start with empty TLBs and L1s, so
 * hit/miss figures differ from a run without the mismatch.  Cost: one full
 * read of both memories per mismatch (O(memory size); 4 MiB in
 * microseconds, the x86 default of 64 MiB in tens of milliseconds), plus a
 * handful of control operations.  If the DUT refuses a write or still
 * differs afterwards, the run stops as in the default mode.
 *
 * The lockstep machine answers with the reference's results, except that
 * outcome.cycles and the walk_cycles/cycles counters come from the DUT (the
 * model has no time): throughput figures then describe the hardware.
 */
#ifndef MMU_LOCKSTEP_H
#define MMU_LOCKSTEP_H

#include "machine/machine.h"

/* Calls numbered by lockstep (the five that go to both machines). */
enum lockstep_call {
	LOCKSTEP_ACCESS,
	LOCKSTEP_CTL,
	LOCKSTEP_PHYS_READ,
	LOCKSTEP_PHYS_WRITE,
	LOCKSTEP_MEM_PEEK,
	LOCKSTEP_COUNTERS,  /* lockstep_check_counters() (not numbered) */
};

/* A difference seen.  Strings are NUL-terminated, possibly cut. */
struct lockstep_mismatch {
	uint64_t number;      /* 1-based: the n-th mismatch of the run */
	uint64_t call;        /* 1-based number of the call that differed */
	uint64_t access;      /* accesses so far, this one included */
	enum lockstep_call kind;
	char field[48];       /* "rdata", "ad[1].value", "regs.cr3",
			       * "ctl result", "byte 0x1f40", "counters.walks" */
	char request[160];    /* the call: "user load size 8 va 0x7f001238" */
	char ref[400];        /* what the reference answered (whole outcome) */
	char dut[400];        /* what the DUT answered */
	uint64_t ref_value;   /* the differing value itself, on each side */
	uint64_t dut_value;
	char ref_name[48];    /* back-end names, e.g. "golden", "rtl" (kept:
			       * a copy of the report outlives the machines) */
	char dut_name[48];
	/* Filled by the DUT's mismatch hook (the RTL's: sim/rtl_backend.c),
	 * "" and 0 otherwise: the wave file the window before the mismatch
	 * was saved to, the DUT's clock cycle (rising edges since reset)
	 * when the differing call returned, and that cycle's time stamp in
	 * the wave file. */
	char wave[512];
	uint64_t cycle;
	uint64_t wave_time;
};

/* What lockstep compared so far (for reports: "N comparisons"). */
struct lockstep_stats {
	uint64_t calls;          /* numbered calls, compared on both machines */
	uint64_t accesses;
	uint64_t ctls;
	uint64_t phys;           /* phys_read + phys_write + mem_peek */
	uint64_t fields;         /* scalar values found equal (outcome fields,
				  * return codes, registers, counters) */
	uint64_t bytes;          /* data bytes found equal (phys_read, mem_peek) */
	uint64_t counter_checks; /* counter comparisons */
	uint64_t mem_checks;     /* lockstep_check_memory() runs */
	uint64_t mismatches;     /* differences found (at most 1 unless
				  * carrying on) */
	uint64_t resyncs;        /* successful resynchronisations */
};

/* Reports kept in carry-on mode (the count goes on beyond). */
#define LOCKSTEP_KEEP_REPORTS 8

/*
 * Build a lockstep machine over ref and dut, which must have the same
 * configuration and memory size.  Takes ownership of both: they are
 * destroyed with the lockstep machine, or at once if creation fails.
 * Returns 0 and *out, or MMU_EINVAL / MMU_ENOMEM with a message in err.
 */
int lockstep_create(struct machine *ref, struct machine *dut,
		    struct machine **out, char *err, size_t errlen);

/* True when m is a lockstep machine (the functions below need one). */
bool lockstep_is(const struct machine *m);

/* The two machines driven (for introspection; do not call them directly
 * during a run, or they drift apart). */
struct machine *lockstep_ref(struct machine *ls);
struct machine *lockstep_dut(struct machine *ls);

/*
 * Flush both L1s (MMU_CTL_FLUSH_ALL, itself compared) and compare the whole
 * of physical memory, 64 KiB at a time.  Returns 0 or MMU_EBACKEND.
 */
int lockstep_check_memory(struct machine *ls);

/* Compare the performance counters but walk_cycles and cycles, then the
 * registers. */
int lockstep_check_counters(struct machine *ls);

/* Also compare the counters after every n-th numbered call (0: never). */
void lockstep_check_counters_every(struct machine *ls, uint64_t n);

/* Stop at the first mismatch (off, the default) or report and carry on
 * (on).  Returns 0, or MMU_EINVAL when ls is not a lockstep machine. */
int lockstep_set_continue(struct machine *ls, bool on);

/* The first mismatch, or NULL while both machines agree (or when ls is not
 * a lockstep machine). */
const struct lockstep_mismatch *lockstep_mismatch(struct machine *ls);

/* Mismatch i (0-based) of those kept: NULL from min(mismatches,
 * LOCKSTEP_KEEP_REPORTS) on. */
const struct lockstep_mismatch *lockstep_mismatch_at(struct machine *ls,
						     uint64_t i);

void lockstep_stats(struct machine *ls, struct lockstep_stats *st);

/*
 * Call fn(ctx, mismatch) once, at the first mismatch, before the failing
 * call returns (the RTL back end dumps its waveform window from here and
 * notes the wave file and its cycle in mismatch->wave and ->cycle; a hook
 * changes nothing else).
 * Up to LOCKSTEP_MAX_HOOKS callbacks run in registration order.  Returns 0,
 * or MMU_EINVAL when the table is full or ls is not a lockstep machine.
 */
#define LOCKSTEP_MAX_HOOKS 4
typedef void (*lockstep_hook_fn)(void *ctx, struct lockstep_mismatch *mm);
int lockstep_on_mismatch(struct machine *ls, lockstep_hook_fn fn, void *ctx);

/*
 * The full report, several lines, for logs and terminals:
 *   lockstep mismatch at access 1200 (call 1234), golden vs rtl: rdata
 *   differs (ref 0x1122, dut 0x1123)
 *     request:      user load size 8 va 0x40001238
 *     ref (golden): ok data=0x1122 pa=0x2238 ...
 *     dut (rtl):    ok data=0x1123 pa=0x2238 ...
 * Returns what snprintf returns.
 */
int lockstep_mismatch_format(const struct lockstep_mismatch *mm, char *buf,
			     size_t len);

const char *lockstep_call_str(enum lockstep_call k);
/* True when two outcomes differ in a field an access is compared on (all
 * but cycles; the list at the top), for callers that drive the two
 * machines themselves (a pipelined stream of RTL accesses). */
bool lockstep_outcomes_differ(const struct mmu_outcome *a,
			      const struct mmu_outcome *b);

#endif
