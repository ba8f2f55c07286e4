/* SPDX-License-Identifier: MIT */
/*
 * The golden model behind DPI-C: a thin adapter from the scalar arguments
 * of mmu_dpi.h to the machine interface (sw/machine/machine.h).
 */
#include "mmu_dpi.h"
#include "config/config.h"
#include "golden/golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mmu_dpi {
	struct machine *m;
	struct mmu_outcome last;  /* the last access, for mmu_dpi_ad() */
	char err[320];
};

static char create_err[320];

/* A null handle (a create that failed, unchecked) is an error, not a crash. */
#define NEED_HANDLE(d)                                                         \
	do {                                                                   \
		if (!(d)) {                                                    \
			snprintf(create_err, sizeof(create_err), "%s: null "   \
				 "handle (see mmu_dpi_error(null))", __func__); \
			return MMU_EINVAL;                                     \
		}                                                              \
	} while (0)

static int fail(struct mmu_dpi *d, int rc)
{
	snprintf(d->err, sizeof(d->err), "%s", d->m->err);
	return rc;
}

/* Apply "key=value key=value" to cfg. */
static int apply_overrides(struct mmu_config *cfg, const char *ov, char *err,
			   size_t errlen)
{
	char buf[512], *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", ov) >= (int)sizeof(buf))
		return mmu_errf(err, errlen, MMU_EINVAL, "overrides: longer "
				"than %zu characters", sizeof(buf) - 1);
	for (char *kv = strtok_r(buf, " \t,", &save); kv;
	     kv = strtok_r(NULL, " \t,", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			return mmu_errf(err, errlen, MMU_EINVAL, "overrides: "
					"'%s' is no key=value", kv);
		*eq = '\0';
		if (mmu_config_set(cfg, kv, eq + 1, err, errlen))
			return MMU_EINVAL;
	}
	return 0;
}

void *mmu_dpi_create(const char *config, const char *overrides,
		     long long mem_bytes)
{
	struct mmu_config cfg;
	struct mmu_dpi *d;
	char *e = create_err;
	size_t el = sizeof(create_err);

	if (!config || mmu_config_load(config, &cfg, e, el) ||
	    apply_overrides(&cfg, overrides ? overrides : "", e, el)) {
		if (!config)
			snprintf(e, el, "mmu_dpi_create: no configuration");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(e, el, "mmu_dpi_create: out of memory");
		return NULL;
	}
	if (golden_create(&cfg, (uint64_t)mem_bytes, &d->m, e, el)) {
		free(d);
		return NULL;
	}
	return d;
}

void mmu_dpi_destroy(void *h)
{
	struct mmu_dpi *d = h;

	if (d) {
		machine_destroy(d->m);
		free(d);
	}
}

const char *mmu_dpi_error(void *h)
{
	return h ? ((struct mmu_dpi *)h)->err : create_err;
}

int mmu_dpi_ctl(void *h, int op, long long value, long long addr, int type,
		int pcid, unsigned char *gp)
{
	struct mmu_dpi *d = h;
	struct mmu_ctl c = {
		.op = (enum mmu_ctl_op)op, .value = (uint64_t)value,
		.addr = (uint64_t)addr, .type = (unsigned)type,
		.pcid = (uint16_t)pcid,
	};
	enum mmu_ctl_result res = MMU_CTL_DONE;
	int rc;

	NEED_HANDLE(d);

	if (op < 0 || op >= MMU_CTL_NOPS || type < 0 || pcid < 0 ||
	    pcid > 0xffff) {
		snprintf(d->err, sizeof(d->err), "mmu_dpi_ctl: op %d, type %d, "
			 "pcid %d out of range", op, type, pcid);
		return MMU_EINVAL;
	}
	rc = machine_ctl(d->m, &c, &res);
	*gp = res == MMU_CTL_GP;
	return rc ? fail(d, rc) : 0;
}

static int check_size(struct mmu_dpi *d, int size)
{
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return 0;
	snprintf(d->err, sizeof(d->err), "size %d: must be 1, 2, 4 or 8", size);
	return MMU_EINVAL;
}

int mmu_dpi_phys_write(void *h, long long pa, long long data, int size)
{
	struct mmu_dpi *d = h;
	uint8_t b[8];
	int rc;

	NEED_HANDLE(d);
	if ((rc = check_size(d, size)))
		return rc;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)data >> (8 * i));
	rc = machine_phys_write(d->m, (uint64_t)pa, b, (size_t)size);
	return rc ? fail(d, rc) : 0;
}

int mmu_dpi_phys_read(void *h, long long pa, int size, long long *data)
{
	struct mmu_dpi *d = h;
	uint8_t b[8] = { 0 };
	uint64_t v = 0;
	int rc;

	NEED_HANDLE(d);
	*data = 0;
	if ((rc = check_size(d, size)))
		return rc;
	rc = machine_phys_read(d->m, (uint64_t)pa, b, (size_t)size);
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*data = (long long)v;
	return rc ? fail(d, rc) : 0;
}

int mmu_dpi_access(void *h, long long va, int op, int size,
		   unsigned char user, long long wdata, int *status,
		   long long *rdata, long long *pa, int *error_code,
		   long long *cr2, unsigned char *tlb_hit,
		   unsigned char *walked, unsigned char *l1_hit,
		   int *walk_reads, int *psc_level, int *page_level,
		   int *n_ad)
{
	struct mmu_dpi *d = h;
	struct mmu_req r = {
		.va = (uint64_t)va, .op = (enum mmu_op)op,
		.size = (unsigned)size, .user = user, .wdata = (uint64_t)wdata,
	};
	struct mmu_outcome *o;
	int rc;

	NEED_HANDLE(d);
	o = &d->last;

	memset(o, 0, sizeof(*o));
	if (op < MMU_LOAD || op > MMU_FETCH) {
		snprintf(d->err, sizeof(d->err), "mmu_dpi_access: op %d", op);
		return MMU_EINVAL;
	}
	rc = machine_access(d->m, &r, o);
	*status = (int)o->status;
	*rdata = (long long)o->rdata;
	*pa = (long long)o->pa;
	*error_code = (int)o->error_code;
	*cr2 = (long long)o->cr2;
	*tlb_hit = o->tlb_hit;
	*walked = o->walked;
	*l1_hit = o->l1_hit;
	*walk_reads = o->walk_reads;
	*psc_level = o->psc_level;
	*page_level = o->page_level;
	*n_ad = o->n_ad;
	return rc ? fail(d, rc) : 0;
}

int mmu_dpi_ad(void *h, int i, long long *pa, long long *value)
{
	struct mmu_dpi *d = h;

	NEED_HANDLE(d);

	if (i < 0 || i >= d->last.n_ad || i >= MMU_MAX_LEVELS) {
		snprintf(d->err, sizeof(d->err), "mmu_dpi_ad: %d of %u updates",
			 i, d->last.n_ad);
		return MMU_EINVAL;
	}
	*pa = (long long)d->last.ad[i].pa;
	*value = (long long)d->last.ad[i].value;
	return 0;
}

int mmu_dpi_regs(void *h, long long *cr0, long long *cr2, long long *cr3,
		 long long *cr4, long long *efer, unsigned char *ac, int *pkru)
{
	struct mmu_dpi *d = h;
	struct mmu_regs r;

	NEED_HANDLE(d);
	machine_regs(d->m, &r);
	*cr0 = (long long)r.cr0;
	*cr2 = (long long)r.cr2;
	*cr3 = (long long)r.cr3;
	*cr4 = (long long)r.cr4;
	*efer = (long long)r.efer;
	*ac = r.ac;
	*pkru = (int)r.pkru;
	return 0;
}

int mmu_dpi_counter(void *h, const char *name, long long *value)
{
	struct mmu_dpi *d = h;
	struct mmu_counters c;

	NEED_HANDLE(d);

	machine_counters(d->m, &c);
#define MMU_DPI_COUNTER(n, doc)                                                \
	if (name && !strcmp(name, #n)) {                                       \
		*value = (long long)c.n;                                       \
		return 0;                                                      \
	}
	MMU_COUNTERS(MMU_DPI_COUNTER)
#undef MMU_DPI_COUNTER
	snprintf(d->err, sizeof(d->err), "mmu_dpi_counter: no counter '%s'",
		 name ? name : "(null)");
	return MMU_EINVAL;
}
