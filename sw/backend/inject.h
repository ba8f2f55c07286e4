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

#include "backend.h"

/* Takes ownership of inner (destroyed on failure too).  o->inject_access
 * 0: no flip.  Broken rules as well: inject_no_wp -- every supervisor
 * store runs with CR0.WP cleared in the inner machine (restored after
 * it), so writes to read-only pages succeed and set D as a CPU without WP
 * would; inject_no_invlpg -- INVLPG is answered as done but never reaches
 * the inner machine, whose TLB and paging-structure caches keep the
 * page's stale entries. */
int inject_create(struct machine *inner, const struct backend_opts *o,
		  struct machine **out, char *err, size_t errlen);

#endif
