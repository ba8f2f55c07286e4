/* SPDX-License-Identifier: MIT */
/* Lockstep's reports: where a mismatch happened and the full text. */
#include "lockstep_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *lockstep_call_str(enum lockstep_call k)
{
	switch (k) {
	case LOCKSTEP_ACCESS: return "access";
	case LOCKSTEP_CTL: return "ctl";
	case LOCKSTEP_PHYS_READ: return "phys_read";
	case LOCKSTEP_PHYS_WRITE: return "phys_write";
	case LOCKSTEP_MEM_PEEK: return "mem_peek";
	case LOCKSTEP_COUNTERS: return "counters";
	}
	return "?";
}

/* Return codes are negative: show them as such; statuses by name. */
const char *lockstep_value_str(const struct lockstep_mismatch *mm, uint64_t v,
			       char *buf, size_t len)
{
	if (!strcmp(mm->field, "status") && mm->kind == LOCKSTEP_ACCESS)
		snprintf(buf, len, "%s", mmu_status_str((enum mmu_status)v));
	else if (!strcmp(mm->field, "return code"))
		snprintf(buf, len, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, len, "%#" PRIx64, v);
	return buf;
}

/* "access 1200 (call 1234)" or "call 1240 (phys_read, after access
 * 1200)": the access number first when it is the access that differed. */
const char *lockstep_where(const struct lockstep_mismatch *mm, char *buf,
			   size_t len)
{
	if (mm->kind == LOCKSTEP_ACCESS)
		snprintf(buf, len, "access %" PRIu64 " (call %" PRIu64 ")",
			 mm->access, mm->call);
	else if (mm->kind == LOCKSTEP_COUNTERS)
		snprintf(buf, len, "the counter check after call %" PRIu64
			 " (access %" PRIu64 ")", mm->call, mm->access);
	else
		snprintf(buf, len, "call %" PRIu64 " (%s, after access %" PRIu64
			 ")", mm->call, lockstep_call_str(mm->kind), mm->access);
	return buf;
}

int lockstep_mismatch_format(const struct lockstep_mismatch *mm, char *buf,
			     size_t len)
{
	int w = (int)(strlen(mm->ref_name) > strlen(mm->dut_name) ?
		      strlen(mm->ref_name) : strlen(mm->dut_name)) + 7;
	char rl[64], dl[64], rv[24], dv[24], wh[96];

	snprintf(rl, sizeof(rl), "ref (%s):", mm->ref_name);
	snprintf(dl, sizeof(dl), "dut (%s):", mm->dut_name);
	if (w < 9)
		w = 9;
	return snprintf(buf, len,
			"lockstep mismatch at %s, %s vs %s: %s differs (ref %s, "
			"dut %s)\n  %-*s %s\n  %-*s %s\n  %-*s %s\n",
			lockstep_where(mm, wh, sizeof(wh)), mm->ref_name, mm->dut_name,
			mm->field,
			lockstep_value_str(mm, mm->ref_value, rv, sizeof(rv)),
			lockstep_value_str(mm, mm->dut_value, dv, sizeof(dv)), w,
			"request:", mm->request, w, rl, mm->ref, w, dl, mm->dut);
}
