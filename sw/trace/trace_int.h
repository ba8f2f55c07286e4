/* SPDX-License-Identifier: MIT */
/* Internal declarations of the trace library (sw/trace). */
#ifndef MMU_TRACE_INT_H
#define MMU_TRACE_INT_H

#include "trace.h"

#include <stdarg.h>
#include <stdio.h>

/* snprintf into err (which may be NULL); returns -1 for `return` chains. */
int k_trace_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* End of user space for a configuration, as the OS computes TASK_SIZE. */
uint64_t k_trace_task_size(const struct mmu_config *cfg);

#endif
