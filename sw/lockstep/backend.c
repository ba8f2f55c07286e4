/* SPDX-License-Identifier: MIT */
/*
 * The back-end factory: names to machines.  Lockstep takes its DUT from
 * the DUT table: the most recently registered entry first.  The golden
 * model is always there; a program linked with the Verilated RTL registers
 * it (sim/rtl_backend.h) before opening machines, so libraries and unit
 * tests never depend on the RTL.
 */
#include "backend.h"
#include "inject.h"
#include "lockstep.h"
#include "../golden/golden.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int golden_dut(const struct mmu_config *cfg, uint64_t mem_bytes,
		      const struct backend_opts *o, struct machine **out,
		      char *err, size_t errlen)
{
	(void)o;  /* the model has no bus to slow down */
	return golden_create(cfg, mem_bytes, out, err, errlen);
}

#define MAX_DUTS 4

/* [0] is the preferred DUT; registration shifts the others down. */
static struct backend_dut dut_table[MAX_DUTS] = {
	{ "golden", golden_dut, NULL },
};
static size_t n_duts = 1;

int backend_register_dut(const struct backend_dut *d)
{
	if (!d || !d->name || !d->create)
		return MMU_EINVAL;
	for (size_t i = 0; i < n_duts; i++)
		if (!strcmp(dut_table[i].name, d->name))
			return 0;  /* registered already */
	if (n_duts == MAX_DUTS)
		return MMU_EINVAL;
	memmove(&dut_table[1], &dut_table[0], n_duts * sizeof(dut_table[0]));
	dut_table[0] = *d;
	n_duts++;
	return 0;
}

static int berr(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int berr(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static const struct backend_dut *find_dut(const char *name)
{
	for (size_t i = 0; i < n_duts; i++)
		if (!name || !strcmp(dut_table[i].name, name))
			return &dut_table[i];
	return NULL;
}

/* The golden entry is always linked, so there is always one. */
static const struct backend_dut *lockstep_factory(void)
{
	return find_dut(NULL);
}

const char *backend_lockstep_dut(void)
{
	return lockstep_factory()->name;
}

int backend_available(const char *backend, char *err, size_t errlen)
{
	if (!backend)
		return berr(err, errlen, MMU_EINVAL, "no back end named");
	if (!strcmp(backend, "golden") || !strcmp(backend, "lockstep"))
		return 0;
	if (!strcmp(backend, "rtl"))
		return find_dut("rtl") ? 0 :
		       berr(err, errlen, MMU_EINVAL,
			    "the RTL back end is not built (it needs the "
			    "Verilated RTL: sim/sim.mk, rel variant)");
	return berr(err, errlen, MMU_EINVAL,
		    "unknown back end '%s' (golden, lockstep or rtl)", backend);
}

const char *backend_describe(const char *backend, char *buf, size_t len)
{
	if (backend && !strcmp(backend, "lockstep"))
		snprintf(buf, len, "golden=%s", backend_lockstep_dut());
	else
		snprintf(buf, len, "%s", backend ? backend : "?");
	return buf;
}

static int check_opts(const struct backend_opts *o, char *err, size_t errlen)
{
	if (o && o->backpressure_pct > 100)
		return berr(err, errlen, MMU_EINVAL,
			    "back-pressure %u%%: must be 0..100",
			    o->backpressure_pct);
	return 0;
}

static int open_lockstep(const struct mmu_config *cfg, uint64_t mem_bytes,
			 const struct backend_opts *o, struct machine **out,
			 char *err, size_t errlen)
{
	const struct backend_dut *f = lockstep_factory();
	struct machine *ref, *dut, *raw;
	int rc;

	rc = golden_create(cfg, mem_bytes, &ref, err, errlen);
	if (rc)
		return rc;
	rc = f->create(cfg, mem_bytes, o, &dut, err, errlen);
	if (rc) {
		machine_destroy(ref);
		return rc;
	}
	raw = dut;  /* the hook wants the real DUT, not the injector */
	if (o->inject_access) {
		rc = inject_create(dut, o->inject_access, &dut, err, errlen);
		if (rc) {
			machine_destroy(ref);
			return rc;
		}
	}
	rc = lockstep_create(ref, dut, out, err, errlen);
	if (!rc && f->on_mismatch &&
	    lockstep_on_mismatch(*out, f->on_mismatch, raw)) {
		machine_destroy(*out);
		return berr(err, errlen, MMU_EINVAL, "lockstep: no room for "
			    "the DUT's mismatch callback");
	}
	return rc;
}

int machine_open(const char *backend, const struct mmu_config *cfg,
		 uint64_t mem_bytes, const struct backend_opts *o,
		 struct machine **out, char *err, size_t errlen)
{
	static const struct backend_opts defaults;
	int rc = backend_available(backend, err, errlen);

	if (!rc)
		rc = check_opts(o, err, errlen);
	if (rc)
		return rc;
	if (!o)
		o = &defaults;
	if (!strcmp(backend, "golden"))
		return golden_create(cfg, mem_bytes, out, err, errlen);
	if (!strcmp(backend, "lockstep"))
		return open_lockstep(cfg, mem_bytes, o, out, err, errlen);
	return find_dut("rtl")->create(cfg, mem_bytes, o, out, err, errlen);
}
