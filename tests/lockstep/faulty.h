/* SPDX-License-Identifier: MIT */
/*
 * A deliberately faulty DUT for testing the lockstep checker: a machine
 * that forwards every call to its own golden model and corrupts one thing,
 * once (or, for regs/counters/memory, from some point on).  It numbers
 * calls exactly as lockstep does (access, ctl, phys_read, phys_write,
 * mem_peek), so a test can check that the mismatch is reported at the very
 * call the corruption happened.
 */
#ifndef TESTS_FAULTY_H
#define TESTS_FAULTY_H

#include "../../sw/machine/machine.h"

enum faulty_kind {
	FAULTY_NONE,       /* a faithful copy that only counts (and fakes time) */
	FAULTY_RDATA,      /* access number `at` (and every `every`-th
			    * after it, when set): rdata bit 7 flipped */
	FAULTY_ERROR_CODE, /* first #PF from access `at` on: PFEC_WR flipped */
	FAULTY_TLB_HIT,    /* access `at`: tlb_hit inverted */
	FAULTY_AD_VALUE,   /* first access from `at` on with A/D updates: D
			    * flipped in the last one */
	FAULTY_PHYS_BYTE,  /* first phys_read from call `at` on: last byte */
	FAULTY_MEM_BYTE,   /* every mem_peek covering `pa`: that byte inverted */
	FAULTY_CTL_RESULT, /* first ctl from call `at` on: DONE <-> #GP */
	FAULTY_REGS_CR3,   /* from the first CR3 write at or after call `at`:
			    * regs() reports CR3 with bit 12 flipped */
	FAULTY_COUNTER,    /* counters(): tlb_hits + 1 once `at` accesses ran */
	FAULTY_REGS_LATE,  /* from the first counters() call once `at` accesses
			    * ran: regs() reports CR2 with bit 0 flipped (a
			    * register change only a check point sees) */
	FAULTY_RC,         /* access `at` fails with MMU_EBACKEND */
	FAULTY_STORE_DRIFT,/* first store from access `at` on that does not
			    * fault: the DUT writes
			    * wdata with its low byte inverted (its memory
			    * drifts; the answer is right) */
	FAULTY_CTL_SKIP,   /* first CR4 write from call `at` on that changes
			    * CR4 to a value of defined bits only (one the
			    * model may accept): not done, yet reported done
			    * (its registers drift) */
};

struct faulty_spec {
	enum faulty_kind kind;
	uint64_t at;  /* access or call number (1-based), see above */
	uint64_t pa;  /* FAULTY_MEM_BYTE */
	uint64_t every; /* FAULTY_RDATA: repeat period (0: once) */
};

/* A faulty machine over a fresh golden model; asserts on failure. */
struct machine *faulty_new(const struct mmu_config *cfg, uint64_t mem_bytes,
			   const struct faulty_spec *spec);

/* Where the corruption happened: call and access numbers (0: not yet). */
uint64_t faulty_fired_call(struct machine *m);
uint64_t faulty_fired_access(struct machine *m);
/* How many times the corruption happened. */
uint64_t faulty_fires(struct machine *m);
/* Calls the faulty machine has received, numbered like lockstep's. */
uint64_t faulty_calls(struct machine *m);

#endif
