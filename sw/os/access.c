/* SPDX-License-Identifier: MIT */
/*
 * Accesses by the current process: run on the machine, faults handled and
 * retried, unresolvable faults turned into signals as Linux delivers them.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <signal.h>

#define MAX_RETRIES 8

void os_set_trace(struct os *os, os_trace_fn fn, void *ctx)
{
	os->trace = fn;
	os->trace_ctx = ctx;
}

static int deliver_key(struct os *os, int *sig, int signo, int code,
		       uint64_t addr, uint32_t ec, int pkey)
{
	os->last_sig = (struct os_siginfo){ signo, code, addr, ec, pkey };
	if (os->trace) {
		struct os_trace_ev ev = { .kind = OS_TR_SIGNAL, .sig = &os->last_sig };

		os->trace(os->trace_ctx, &ev);
	}
	if (signo == SIGSEGV)
		os->st.segv++;
	else if (signo == SIGBUS)
		os->st.sigbus++;
	if (sig)
		*sig = signo;
	return 0;
}

static int deliver(struct os *os, int *sig, int signo, int code,
		   uint64_t addr, uint32_t ec)
{
	return deliver_key(os, sig, signo, code, addr, ec, 0);
}

static int set_ac(struct os *os, bool on)
{
	return os_mchk(os, machine_write_cr(os->m, MMU_CTL_SET_AC, on),
		       "STAC/CLAC");
}

static int run(struct os *os, const struct mmu_req *req,
	       struct mmu_outcome *out)
{
	int rc;

	if (!req->user && (rc = set_ac(os, true)))
		return rc;
	rc = os_mchk(os, machine_access(os->m, req, out), "access");
	if (!req->user && !rc)
		rc = set_ac(os, false);
	if (!rc && os->trace) {
		struct os_trace_ev ev = { .kind = OS_TR_ACCESS, .req = req, .out = out };

		os->trace(os->trace_ctx, &ev);
	}
	return rc;
}

static const char *fault_verdict(int rc)
{
	switch (rc) {
	case FR_DONE: return "resolved: the access is retried";
	case FR_SEGV_MAPERR: return "no mapping: SIGSEGV (SEGV_MAPERR)";
	case FR_SEGV_ACCERR: return "the mapping forbids the access: SIGSEGV (SEGV_ACCERR)";
	case FR_SIGBUS: return "no page behind the mapping: SIGBUS";
	default: return "out of memory and swap: the OOM killer";
	}
}

/* A #PF for the fault handler (traced when asked): FR_DONE (retry), > 0 a
 * signal delivered, or < 0 (-ENOMEM with SIGKILL on OOM, -EIO). */
static int fault(struct os *os, const struct mmu_req *req, uint64_t cr2,
		 uint32_t ec, int *sig)
{
	struct mm *mm = os->cur->mm;
	int rc;

	if (os->trace) {
		struct os_stats before = os->st;
		struct os_trace_ev ev = { .kind = OS_TR_FAULT, .req = req,
					  .before = &before, .after = &os->st };

		rc = k_handle_fault(os, mm, cr2, ec);
		ev.verdict = rc < 0 ? "kernel error" : fault_verdict(rc);
		os->trace(os->trace_ctx, &ev);
	} else {
		rc = k_handle_fault(os, mm, cr2, ec);
	}
	switch (rc) {
	case FR_DONE:
		return rc;
	case FR_SEGV_MAPERR:
		deliver(os, sig, SIGSEGV, SEGV_MAPERR, cr2, ec);
		return rc;
	case FR_SEGV_ACCERR:
		deliver(os, sig, SIGSEGV, SEGV_ACCERR, cr2, ec);
		return rc;
	case FR_SEGV_PKUERR: {
		const struct vma *v = k_vma_at(os->cur->mm, cr2);

		deliver_key(os, sig, SIGSEGV, SEGV_PKUERR, cr2, ec, v ? v->pkey : 0);
		return rc;
	}
	case FR_SIGBUS:
		deliver(os, sig, SIGBUS, BUS_ADRERR, cr2, ec);
		return rc;
	case FR_OOM:
		deliver(os, sig, SIGKILL, 0, cr2, ec);
		return -ENOMEM;
	default:
		return rc < 0 ? rc : -EIO;
	}
}

static int one(struct os *os, struct mmu_req *req, uint64_t *rdata, int *sig)
{
	struct mmu_outcome out;

	for (int t = 0; t < MAX_RETRIES; t++) {
		int rc = run(os, req, &out);

		if (rc)
			return rc;
		switch (out.status) {
		case MMU_ST_OK:
			if (rdata)
				*rdata = out.rdata;
			return 0;
		case MMU_ST_GP_FAULT: /* non-canonical: #GP, SI_KERNEL */
			return deliver(os, sig, SIGSEGV, SI_KERNEL, 0, 0);
		case MMU_ST_BUS_ERROR:
			return deliver(os, sig, SIGBUS, BUS_ADRERR, req->va, 0);
		case MMU_ST_PAGE_FAULT:
			break;
		}
		rc = fault(os, req, out.cr2, out.error_code, sig);
		if (rc != FR_DONE)
			return rc > 0 ? 0 : rc;
	}
	return os_fail(os, -EIO, "access at %#llx: still faulting after %d "
		       "retries", (unsigned long long)req->va, MAX_RETRIES);
}

/*
 * Before an access whose bytes span two pages: fault both pages in for
 * this kind of access, as the CPU checks both translations before the
 * instruction has any effect.  The PTE is read in software; what the
 * hardware would refuse is handed to the fault handler with the error
 * code the CPU would give.  0 (both usable, or *sig set) or < 0.
 */
static int probe_page(struct os *os, const struct mmu_req *req, uint64_t va,
		      int *sig)
{
	struct mm *mm = os->cur->mm;

	for (int t = 0; t < MAX_RETRIES; t++) {
		pte_t e;
		uint32_t ec;
		int rc = k_pte_get(os, mm, va, &e);

		if (rc)
			return rc;
		/* a user data access the PTE's key forbids in PKRU: PFEC.PK */
		bool pk = (e & PTE_P) && req->user && req->op != MMU_FETCH &&
			  !k_pkru_allows(os, pte_pkey(e), req->op == MMU_STORE);

		if ((e & PTE_P) && (!req->user || (e & PTE_US)) &&
		    (req->op != MMU_STORE || (e & PTE_RW)) &&
		    (req->op != MMU_FETCH || !(e & PTE_XD)) && !pk)
			return 0;
		ec = ((e & PTE_P) ? PFEC_P : 0) | (pk ? PFEC_PK : 0) |
		     (req->op == MMU_STORE ? PFEC_WR : 0) |
		     (req->user ? PFEC_US : 0) |
		     (req->op == MMU_FETCH ? PFEC_ID : 0);
		rc = fault(os, req, va, ec, sig);
		if (rc != FR_DONE)
			return rc > 0 ? 0 : rc;
	}
	return os_fail(os, -EIO, "access at %#llx: still faulting after %d "
		       "retries", (unsigned long long)va, MAX_RETRIES);
}

static int access_as(struct os *os, bool user, enum mmu_op op, uint64_t va,
		     unsigned size, uint64_t wdata, uint64_t *rdata, int *sig)
{
	struct mmu_req req = { .va = va, .op = op, .size = size, .user = user,
			       .wdata = wdata };
	uint64_t r = 0;
	int rc;

	if (sig)
		*sig = 0;
	if (!os->cur)
		return -ESRCH;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || op > MMU_FETCH)
		return -EINVAL;
	if (!(va & (size - 1)))
		return one(os, &req, rdata, sig);
	/* Unaligned: byte by byte, little-endian.  When the bytes span two
	 * pages both are made usable first, so that a fault on the second
	 * leaves the first untouched (a faulting instruction has no effect;
	 * after the probes only a resolvable fault can occur). */
	if ((va ^ (va + size - 1)) & PG_MASK) {
		for (int p = 0; p < 2; p++) {
			int s = 0;

			rc = probe_page(os, &req, p ? (va + size - 1) & PG_MASK : va,
					&s);
			if (sig)
				*sig = s;
			if (rc || s)
				return rc;
		}
	}
	for (unsigned b = 0; b < size; b++) {
		int s = 0;
		uint64_t byte = 0;

		req.va = va + b;
		req.size = 1;
		req.wdata = (wdata >> (8 * b)) & 0xff;
		rc = one(os, &req, &byte, &s);
		if (sig)
			*sig = s;
		if (rc || s)
			return rc;
		r |= byte << (8 * b);
	}
	if (rdata)
		*rdata = r;
	return 0;
}

int os_access(struct os *os, enum mmu_op op, uint64_t va, unsigned size,
	      uint64_t wdata, uint64_t *rdata, int *sig)
{
	return access_as(os, true, op, va, size, wdata, rdata, sig);
}

int os_kaccess(struct os *os, enum mmu_op op, uint64_t va, unsigned size,
	       uint64_t wdata, uint64_t *rdata, int *sig)
{
	return access_as(os, false, op, va, size, wdata, rdata, sig);
}

static unsigned chunk(uint64_t va, size_t left)
{
	return (!(va & 7) && left >= 8) ? 8 : 1;
}

int os_user_read(struct os *os, uint64_t va, void *buf, size_t len, int *sig)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len;) {
		unsigned n = chunk(va + i, len - i);
		uint64_t v;
		int s, rc = os_access(os, MMU_LOAD, va + i, n, 0, &v, &s);

		if (sig)
			*sig = s;
		if (rc || s)
			return rc;
		for (unsigned b = 0; b < n; b++)
			p[i + b] = (uint8_t)(v >> (8 * b));
		i += n;
	}
	return 0;
}

int os_user_write(struct os *os, uint64_t va, const void *buf, size_t len,
		  int *sig)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len;) {
		unsigned n = chunk(va + i, len - i);
		uint64_t v = 0;
		int s, rc;

		for (unsigned b = 0; b < n; b++)
			v |= (uint64_t)p[i + b] << (8 * b);
		rc = os_access(os, MMU_STORE, va + i, n, v, NULL, &s);
		if (sig)
			*sig = s;
		if (rc || s)
			return rc;
		i += n;
	}
	return 0;
}
