/* SPDX-License-Identifier: MIT */
/*
 * Constructed accesses that hit every replacement and AXI bin of the
 * functional coverage (sw/cover) on x86: TLB fills into free ways, PLRU
 * victims and the dirty-assist walk's overwrite; PSC fills into free and
 * round-robin slots at each level; L1 fills of free, clean and dirty ways;
 * walks whose entry reads evict free, clean and dirty lines at each
 * level; bursts in every phase.  Used by tests/cover (golden, lockstep-self)
 * and tests/rtl (golden vs rtl, and the RTL alone, with back-pressure).
 */
#ifndef TESTS_COVER_FILLS_H
#define TESTS_COVER_FILLS_H

#include "../../sw/backend/backend.h"
#include "../../sw/cover/cover.h"

/* An x86 machine of `backend` observed by s, its DRAM model holding back
 * bp_pct % of the cycles (RTL back ends), with the pages the run uses. */
struct machine *fills_open(const char *backend, struct cover_set *s,
			   unsigned bp_pct);
/* The constructed calls. */
void fills_run(struct machine *m);
/* The bins they must have hit, for a machine recording `caps` (MMU_EV_*):
 * every defined bin of the replacement and AXI groups; the groups it does
 * not record, and bins no configuration or phase allows, undefined.
 * Prints what it checked under `name`. */
void fills_check(struct cover_set *s, unsigned caps, const char *name);

#endif
