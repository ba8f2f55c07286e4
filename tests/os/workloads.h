/* SPDX-License-Identifier: MIT */
#ifndef TESTS_OS_WORKLOADS_H
#define TESTS_OS_WORKLOADS_H

#include "osutil.h"

/* Forks, exits, switches, writes, reads, munmap/mmap, mprotect and a
 * shared anonymous area, shadow-checked, os_check after every step. */
void wl_storm(const char *backend, const char *cfg, const char *const *set,
	      unsigned steps);
/* npages of anonymous memory in mem bytes with swap, random stores and
 * loads checked against a shadow. */
void wl_pressure(const char *backend, uint64_t mem, unsigned npages,
		 unsigned steps);

#endif
