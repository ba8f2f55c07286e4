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

#include "machine/machine.h"

/* Takes ownership of inner (destroyed on failure too).  access_no 0: no
 * flip.  no_wp: a broken rule as well -- every supervisor store runs with
 * CR0.WP cleared in the inner machine (restored after it), so writes to
 * read-only pages succeed and set D as a CPU without WP would. */
int inject_create(struct machine *inner, uint64_t access_no, bool no_wp,
		  struct machine **out, char *err, size_t errlen);

#endif
