/* SPDX-License-Identifier: MIT */
/*
 * The back-end factory: names to machines.  Lockstep takes its DUT from
 * dut_table[]: the first entry whose factory is linked in.
 *
 * The RTL entry is compiled in when the build defines MMU_WITH_RTL (the
 * rel variant, through sim/sim.mk).  rtl_create is a weak reference, so
 * programs linked without the Verilated model (unit tests, benchmarks) still
 * link and simply do not have the entry; a program that wants the RTL links
 * its archive with rtl_create forced in (-Wl,-u,rtl_create), since a weak
 * reference alone does not pull a member out of an archive.
 */
#include "backend.h"
#include "inject.h"
#include "lockstep.h"
#include "../golden/golden.h"

#ifdef MMU_WITH_RTL
#include "../../sim/rtl_machine.h"
#pragma weak rtl_create
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct dut_factory {
	const char *name;
	backend_factory_fn create;
	/* Optional: called with the DUT machine at the first lockstep
	 * mismatch (the RTL dumps its waveform window). */
	void (*on_mismatch)(void *dut, const struct lockstep_mismatch *mm);
};

static int golden_dut(const struct mmu_config *cfg, uint64_t mem_bytes,
		      const struct backend_opts *o, struct machine **out,
		      char *err, size_t errlen)
{
	(void)o;  /* the model has no bus to slow down */
	return golden_create(cfg, mem_bytes, out, err, errlen);
}

static const struct dut_factory dut_table[] = {
#ifdef MMU_WITH_RTL
	{ "rtl", rtl_create, NULL },
#endif
	{ "golden", golden_dut, NULL },
};

#define N_DUTS (sizeof(dut_table) / sizeof(dut_table[0]))

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

/* Entries whose factory was not linked (a NULL weak symbol) do not count. */
static const struct dut_factory *find_dut(const char *name)
{
	for (size_t i = 0; i < N_DUTS; i++)
		if (dut_table[i].create &&
		    (!name || !strcmp(dut_table[i].name, name)))
			return &dut_table[i];
	return NULL;
}

/* The golden entry is always linked, so there is always one. */
static const struct dut_factory *lockstep_factory(void)
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
	const struct dut_factory *f = lockstep_factory();
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
