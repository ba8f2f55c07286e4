/* SPDX-License-Identifier: MIT */
/*
 * The control-register rules of sw/machine/machine.h as a table of cases:
 * the reset state, the Intel manual's IA-32e enabling sequence, every
 * refused combination (#GP) and the malformed calls (MMU_EINVAL), each
 * with the registers expected afterwards.  The golden tests run it on the
 * model, the RTL tests on golden vs rtl in lockstep.
 */
#ifndef TESTS_CTL_CASES_H
#define TESTS_CTL_CASES_H

#include "../../sw/machine/machine.h"

/* Run every case on m (a fresh machine of cfg x86, or csapp for the
 * entry-size rule); asserts, prints one line per group, returns the number
 * of cases checked. */
unsigned ctl_cases_run(struct machine *m);

#endif
