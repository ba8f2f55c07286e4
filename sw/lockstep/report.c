/* SPDX-License-Identifier: MIT */
/* Lockstep's reports: the calls and answers described, where a mismatch
 * happened and the full text. */
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

/* ---- describing calls and answers -------------------------------------- */

void lockstep_format_request(const struct ls_call *c, char *buf,
			     size_t len)
{
	if (c->kind == LOCKSTEP_ACCESS) {
		const struct mmu_req *r = c->req;
		int n = snprintf(buf, len, "%s %s size %u va %#" PRIx64,
				 r->user ? "user" : "supervisor",
				 mmu_op_str(r->op), r->size, r->va);

		if (r->op == MMU_STORE && n > 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " wdata %#" PRIx64,
				 r->wdata);
	} else if (c->kind == LOCKSTEP_CTL) {
		const struct mmu_ctl *k = c->ctl;

		snprintf(buf, len, "ctl %s value %#" PRIx64 " addr %#" PRIx64
			 " type %u pcid %u", mmu_ctl_op_str(k->op), k->value,
			 k->addr, k->type, k->pcid);
	} else if (c->kind == LOCKSTEP_COUNTERS) {
		snprintf(buf, len, "counter and register comparison");
	} else {
		snprintf(buf, len, "%s%s [%#" PRIx64 ", +%#zx)",
			 c->final_check ? "final memory check: " : "",
			 lockstep_call_str(c->kind), c->pa, c->len);
	}
}

/* mmu_outcome_format reads ad[0..n_ad), so a DUT claiming more A/D updates
 * than exist is shown clamped, with the claim spelled out. */
void lockstep_format_outcome(const struct mmu_outcome *o, char *buf,
			     size_t len)
{
	struct mmu_outcome c = *o;
	int n;

	if (c.n_ad > MMU_MAX_LEVELS)
		c.n_ad = MMU_MAX_LEVELS;
	n = mmu_outcome_format(&c, buf, len);
	if (o->n_ad > MMU_MAX_LEVELS && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (n_ad=%u is out of range)",
			 o->n_ad);
}

void lockstep_format_regs(const struct mmu_regs *r, char *buf,
			  size_t len)
{
	snprintf(buf, len, "cr0=%#" PRIx64 " cr2=%#" PRIx64 " cr3=%#" PRIx64
		 " cr4=%#" PRIx64 " efer=%#" PRIx64 " ac=%d pkru=%#" PRIx32,
		 r->cr0, r->cr2, r->cr3, r->cr4, r->efer, r->ac, r->pkru);
}

void lockstep_format_rc(struct machine *m, int rc, char *buf,
			size_t len)
{
	if (rc)
		snprintf(buf, len, "returned %d (%s): %s", rc, mmu_err_str(rc),
			 m->err);
	else
		snprintf(buf, len, "returned 0 (ok)");
}

/* Up to 16 bytes around byte `off` of a buffer read at pa, as hex. */
void lockstep_format_bytes(const uint8_t *b, size_t len, size_t off,
			   uint64_t pa, char *buf, size_t blen)
{
	size_t lo = off & ~(size_t)15, hi = lo + 16 < len ? lo + 16 : len;
	int n = snprintf(buf, blen, "pa %#" PRIx64 ":", pa + lo);

	for (size_t i = lo; i < hi && n > 0 && (size_t)n < blen; i++)
		n += snprintf(buf + n, blen - (size_t)n, i == off ? " [%02x]" :
			      " %02x", b[i]);
}

void lockstep_format_counters(const struct mmu_counters *c, char *buf,
			     size_t len)
{
	int n = 0;

#define FMT_COUNTER(name, doc)                                                 \
	if (n >= 0 && (size_t)n < len)                                         \
		n += snprintf(buf + n, len - (size_t)n, "%s%s=%" PRIu64,       \
			      n ? " " : "", #name, c->name);
	MMU_COUNTERS(FMT_COUNTER)
#undef FMT_COUNTER
}
