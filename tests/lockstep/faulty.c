/* SPDX-License-Identifier: MIT */
#include "faulty.h"
#include "../../sw/golden/golden.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

struct faulty {
	struct machine base;
	struct machine *g;
	struct faulty_spec spec;
	uint64_t calls, accesses;
	uint64_t fired_call, fired_access, fires;
	bool cr3_bad;  /* FAULTY_REGS_CR3 is in effect */
	bool cr2_bad;  /* FAULTY_REGS_LATE is in effect */
};

static struct faulty *to_f(struct machine *m)
{
	return (struct faulty *)m;
}

static bool armed(struct faulty *f, enum faulty_kind k, uint64_t n)
{
	return f->spec.kind == k && !f->fired_call && n >= f->spec.at;
}

static void fire(struct faulty *f)
{
	if (!f->fires++) {
		f->fired_call = f->calls;
		f->fired_access = f->accesses;
	}
}

static bool rdata_due(const struct faulty *f, uint64_t n)
{
	const struct faulty_spec *sp = &f->spec;

	if (sp->kind != FAULTY_RDATA || n < sp->at)
		return false;
	return sp->every ? (n - sp->at) % sp->every == 0 : n == sp->at;
}

static void corrupt_outcome(struct faulty *f, struct mmu_outcome *o)
{
	uint64_t n = f->accesses;

	if (rdata_due(f, n)) {
		o->rdata ^= 0x80;
		fire(f);
	} else if (armed(f, FAULTY_ERROR_CODE, n) &&
		   o->status == MMU_ST_PAGE_FAULT) {
		o->error_code ^= PFEC_WR;
		fire(f);
	} else if (armed(f, FAULTY_TLB_HIT, n) && n == f->spec.at) {
		o->tlb_hit = !o->tlb_hit;
		fire(f);
	} else if (armed(f, FAULTY_AD_VALUE, n) && o->n_ad) {
		o->ad[o->n_ad - 1].value ^= PTE_D;
		fire(f);
	}
}

static int f_access(struct machine *m, const struct mmu_req *req,
		    struct mmu_outcome *out)
{
	struct faulty *f = to_f(m);
	int rc;

	f->calls++;
	f->accesses++;
	if (armed(f, FAULTY_RC, f->accesses)) {
		fire(f);
		snprintf(m->err, sizeof(m->err), "simulated back-end timeout");
		return MMU_EBACKEND;
	}
	if (armed(f, FAULTY_STORE_DRIFT, f->accesses) &&
	    req->op == MMU_STORE) {
		struct mmu_req drift = *req;

		drift.wdata ^= 0xff;
		rc = machine_access(f->g, &drift, out);
		if (!rc && out->status == MMU_ST_OK)
			fire(f);  /* a faulting store wrote nothing: re-armed */
	} else {
		rc = machine_access(f->g, req, out);
	}
	if (rc) {
		snprintf(m->err, sizeof(m->err), "%s", f->g->err);
		return rc;
	}
	out->cycles = 3;  /* time is never compared */
	corrupt_outcome(f, out);
	return 0;
}

static int f_ctl(struct machine *m, const struct mmu_ctl *c,
		 enum mmu_ctl_result *res)
{
	struct faulty *f = to_f(m);
	int rc;

	f->calls++;
	if (armed(f, FAULTY_CTL_SKIP, f->calls) &&
	    c->op == MMU_CTL_WRITE_CR4) {
		struct mmu_regs r;

		machine_regs(f->g, &r);
		if (r.cr4 != c->value && !(c->value & ~CR4_DEFINED)) {
			fire(f);
			*res = MMU_CTL_DONE;
			return 0;
		}
	}
	rc = machine_ctl(f->g, c, res);
	if (rc)
		return rc;
	if (armed(f, FAULTY_CTL_RESULT, f->calls)) {
		*res = *res == MMU_CTL_GP ? MMU_CTL_DONE : MMU_CTL_GP;
		fire(f);
	} else if (armed(f, FAULTY_REGS_CR3, f->calls) &&
		   c->op == MMU_CTL_WRITE_CR3) {
		f->cr3_bad = true;
		fire(f);
	}
	return 0;
}

static int f_phys_read(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct faulty *f = to_f(m);
	int rc;

	f->calls++;
	rc = machine_phys_read(f->g, pa, buf, len);
	if (!rc && len && armed(f, FAULTY_PHYS_BYTE, f->calls)) {
		((uint8_t *)buf)[len - 1] ^= 1;
		fire(f);
	}
	return rc;
}

static int f_phys_write(struct machine *m, uint64_t pa, const void *buf,
			size_t len)
{
	struct faulty *f = to_f(m);

	f->calls++;
	return machine_phys_write(f->g, pa, buf, len);
}

static int f_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct faulty *f = to_f(m);
	int rc;

	f->calls++;
	rc = machine_mem_peek(f->g, pa, buf, len);
	if (!rc && f->spec.kind == FAULTY_MEM_BYTE && f->spec.pa >= pa &&
	    f->spec.pa - pa < len) {
		((uint8_t *)buf)[f->spec.pa - pa] ^= 0xff;
		if (!f->fired_call)
			fire(f);
	}
	return rc;
}

static void f_regs(struct machine *m, struct mmu_regs *r)
{
	struct faulty *f = to_f(m);

	machine_regs(f->g, r);
	if (f->cr3_bad)
		r->cr3 ^= 1ull << 12;
	if (f->cr2_bad)
		r->cr2 ^= 1;
}

static void f_counters(struct machine *m, struct mmu_counters *c)
{
	struct faulty *f = to_f(m);

	machine_counters(f->g, c);
	c->cycles = 1000 + f->accesses * 3;  /* never compared */
	c->walk_cycles = 77;
	if (f->spec.kind == FAULTY_COUNTER && f->accesses >= f->spec.at)
		c->tlb_hits++;
	if (armed(f, FAULTY_REGS_LATE, f->accesses)) {
		f->cr2_bad = true;
		fire(f);
	}
}

static void f_destroy(struct machine *m)
{
	machine_destroy(to_f(m)->g);
	free(m);
}

static const struct machine_ops faulty_ops = {
	.name = "faulty",
	.access = f_access,
	.ctl = f_ctl,
	.phys_read = f_phys_read,
	.phys_write = f_phys_write,
	.mem_peek = f_mem_peek,
	.regs = f_regs,
	.counters = f_counters,
	.destroy = f_destroy,
};

struct machine *faulty_new(const struct mmu_config *cfg, uint64_t mem_bytes,
			   const struct faulty_spec *spec)
{
	struct faulty *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	assert_int_equal(golden_create(cfg, mem_bytes, &f->g, err, sizeof(err)),
			 0);
	f->base.ops = &faulty_ops;
	f->base.cfg = f->g->cfg;
	f->base.mem_bytes = f->g->mem_bytes;
	f->spec = *spec;
	return &f->base;
}

uint64_t faulty_fired_call(struct machine *m)
{
	return to_f(m)->fired_call;
}

uint64_t faulty_fired_access(struct machine *m)
{
	return to_f(m)->fired_access;
}

uint64_t faulty_fires(struct machine *m)
{
	return to_f(m)->fires;
}

uint64_t faulty_calls(struct machine *m)
{
	return to_f(m)->calls;
}
