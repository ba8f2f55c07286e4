/* SPDX-License-Identifier: MIT */
#include "inject.h"

#include <stdio.h>
#include <stdlib.h>

struct inject {
	struct machine base;
	struct machine_ops ops;  /* inject_ops, named after the inner machine */
	char name[48];
	struct machine *inner;
	uint64_t at, accesses;
	bool no_wp, no_invlpg;
};

static struct inject *to_inj(struct machine *m)
{
	return (struct inject *)m;
}

static int inj_access(struct machine *m, const struct mmu_req *req,
		      struct mmu_outcome *out)
{
	struct inject *j = to_inj(m);
	struct mmu_ctl cr0 = { .op = MMU_CTL_WRITE_CR0 };
	enum mmu_ctl_result res;
	struct mmu_regs r;
	bool drop = false;
	int rc;

	if (j->no_wp && req->op == MMU_STORE && !req->user) {
		machine_regs(j->inner, &r);
		drop = (r.cr0 & CR0_WP) != 0;
	}
	cr0.value = drop ? r.cr0 & ~CR0_WP : 0;
	rc = drop ? machine_ctl(j->inner, &cr0, &res) : 0;
	if (!rc)
		rc = machine_access(j->inner, req, out);
	cr0.value = drop ? r.cr0 : 0;
	if (drop && !rc)
		rc = machine_ctl(j->inner, &cr0, &res);
	if (++j->accesses == j->at && !rc)
		out->rdata ^= 1;
	if (rc)
		snprintf(m->err, sizeof(m->err), "%s", j->inner->err);
	return rc;
}

/* The other calls only forward (and carry the inner message). */
#define FORWARD(call, ...)                                                     \
	do {                                                                   \
		struct inject *j = to_inj(m);                                  \
		int rc = j->inner->ops->call(j->inner, __VA_ARGS__);           \
		if (rc)                                                        \
			snprintf(m->err, sizeof(m->err), "%s", j->inner->err); \
		return rc;                                                     \
	} while (0)

static int inj_ctl(struct machine *m, const struct mmu_ctl *c,
		   enum mmu_ctl_result *res)
{
	if (to_inj(m)->no_invlpg && c->op == MMU_CTL_INVLPG) {
		*res = MMU_CTL_DONE;  /* the broken rule: dropped */
		return 0;
	}
	FORWARD(ctl, c, res);
}

static int inj_phys_read(struct machine *m, uint64_t pa, void *buf, size_t n)
{
	FORWARD(phys_read, pa, buf, n);
}

static int inj_phys_write(struct machine *m, uint64_t pa, const void *buf,
			  size_t n)
{
	FORWARD(phys_write, pa, buf, n);
}

static int inj_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t n)
{
	FORWARD(mem_peek, pa, buf, n);
}

/* The debug path (course mode loads state through it), when the inner
 * machine has one. */
static int inj_tlb_slot(struct machine *m, unsigned set, unsigned way,
			struct mmu_tlb_slot *e, bool write)
{
	FORWARD(tlb_slot, set, way, e, write);
}

static int inj_line_slot(struct machine *m, unsigned set, unsigned way,
			 struct mmu_line_slot *l, bool write)
{
	FORWARD(line_slot, set, way, l, write);
}

static void inj_regs(struct machine *m, struct mmu_regs *r)
{
	machine_regs(to_inj(m)->inner, r);
}

static void inj_counters(struct machine *m, struct mmu_counters *c)
{
	machine_counters(to_inj(m)->inner, c);
}

static void inj_destroy(struct machine *m)
{
	machine_destroy(to_inj(m)->inner);
	free(m);
}

static const struct machine_ops inject_ops = {
	.name = "injected",
	.access = inj_access,
	.ctl = inj_ctl,
	.phys_read = inj_phys_read,
	.phys_write = inj_phys_write,
	.mem_peek = inj_mem_peek,
	.regs = inj_regs,
	.counters = inj_counters,
	.destroy = inj_destroy,
};

int inject_create(struct machine *inner, const struct backend_opts *o,
		  struct machine **out, char *err, size_t errlen)
{
	struct inject *j = calloc(1, sizeof(*j));

	if (!j) {
		machine_destroy(inner);
		snprintf(err, errlen, "out of host memory");
		return MMU_ENOMEM;
	}
	j->ops = inject_ops;
	j->ops.tlb_slot = inner->ops->tlb_slot ? inj_tlb_slot : NULL;
	j->ops.line_slot = inner->ops->line_slot ? inj_line_slot : NULL;
	snprintf(j->name, sizeof(j->name), "%s+injected", inner->ops->name);
	j->ops.name = j->name;
	j->base.ops = &j->ops;
	j->base.cfg = inner->cfg;
	j->base.mem_bytes = inner->mem_bytes;
	j->inner = inner;
	j->at = o->inject_access;
	j->no_wp = o->inject_no_wp;
	j->no_invlpg = o->inject_no_invlpg;
	*out = &j->base;
	return 0;
}
