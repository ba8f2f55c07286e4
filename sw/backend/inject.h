/* SPDX-License-Identifier: MIT */
/*
 * Fault injection for checker self-tests: a machine that forwards every
 * call to another one but answers access number N (1-based) with bit 0 of
 * rdata flipped.  Run as the lockstep DUT it proves, end to end, that a
 * regression notices and reports a wrong answer (mmuregress --inject N).
 * Its name is the inner machine's plus "+injected" ("rtl+injected"), so
 * that reports still say what was compared.
 */
#ifndef MMU_INJECT_H
#define MMU_INJECT_H

#include "../machine/machine.h"

/* Takes ownership of inner (destroyed on failure too). */
int inject_create(struct machine *inner, uint64_t access_no,
		  struct machine **out, char *err, size_t errlen);

#endif
