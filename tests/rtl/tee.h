/* SPDX-License-Identifier: MIT */
/*
 * A test machine that drives the golden model and the RTL side by side:
 * every call goes to both, and every outcome field but cycles, every
 * control result, every physical read and register value must agree, or
 * the cmocka test fails with both sides printed.  Its access returns the
 * golden outcome with the RTL's cycle count.  tee_finish() flushes both L1s
 * and compares all of physical memory and the counters (all but the
 * RTL-only cycle counters).  Any helper written against struct machine
 * (tests/golden/ptb.c, sw/machine/pagetable.c) works on it unchanged.
 */
#ifndef TESTS_RTL_TEE_H
#define TESTS_RTL_TEE_H

#include "../../sim/rtl_machine.h"

struct machine *tee_new(const char *cfg_name, uint64_t mem_bytes,
			const struct rtl_opts *opts);
struct machine *tee_golden(struct machine *t);
struct machine *tee_rtl(struct machine *t);
/* Accesses and control operations compared so far. */
unsigned long tee_compared(struct machine *t);
/* Flush both caches, compare memory and counters, destroy. */
void tee_finish(struct machine *t);

/* A seeded random mix of mappings (4 KiB, 2 MiB, 1 GiB where the
 * configuration has them, random rights), entry edits, accesses of every
 * kind and size, control operations and physical-path traffic. */
void tee_random(struct machine *t, uint64_t seed, unsigned ops);

/* xorshift64*: the tests' deterministic random numbers. */
uint64_t tee_rand(uint64_t *state);

#endif
