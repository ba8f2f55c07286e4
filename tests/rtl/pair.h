/* SPDX-License-Identifier: MIT */
/*
 * The RTL tests' machine: lockstep (sw/lockstep) over the golden model as
 * reference and the Verilated RTL as DUT, so that every call is compared
 * (lockstep.h lists what) and a difference fails the test with both sides
 * printed.  Any helper written against struct machine (tests/golden/ptb.c,
 * sw/machine/pagetable.c, sw/regress) works on it unchanged;
 * lockstep_ref() and lockstep_dut() give the two machines.
 */
#ifndef TESTS_RTL_PAIR_H
#define TESTS_RTL_PAIR_H

#include "../../sim/rtl_machine.h"
#include "../../sw/lockstep/lockstep.h"
#include "../../sw/regress/regress.h"

/* Golden and RTL of configuration cfg_name in lockstep; RTL_TRACE_DIR=dir
 * in the environment writes each RTL's waveform there.  Fails the test on
 * error. */
struct machine *pair_new(const char *cfg_name, uint64_t mem_bytes,
			 const struct rtl_opts *opts);
/* Accesses and control operations compared so far. */
unsigned long pair_compared(struct machine *m);
/* Flush both caches, compare all of memory, the counters and the
 * registers; destroy. */
void pair_finish(struct machine *m);
/* `steps` steps of the regression library's HOSTILE stream (regress.h):
 * random tables with 4 KiB to 1 GiB pages, frames past memory, bit flips in
 * entries, accesses of every kind, control operations, physical traffic. */
void pair_random(struct machine *m, uint64_t seed, unsigned steps);

#endif
