/* SPDX-License-Identifier: MIT */
/*
 * The back-end factory: names to machines.  The golden model is always
 * linked; DUTs (the Verilated RTL) are registered at run time by programs
 * linked with them (sim/rtl_backend.h), so that libraries and unit tests
 * never depend on the RTL -- and a program without one says so instead of
 * comparing the model with itself.
 */
#include "backend.h"
#include "inject.h"
#include "lockstep/lockstep.h"
#include "golden/golden.h"
#include "cover/cover.h"

#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define MAX_DUTS 8
#define SELF "lockstep-self"

/* [0] is lockstep's DUT: the most recently registered. */
static struct backend_dut dut_table[MAX_DUTS];
static size_t n_duts;

static bool reserved_name(const char *name)
{
	return !strcmp(name, "golden") || !strcmp(name, "lockstep") ||
	       !strcmp(name, SELF);
}

int backend_register_dut(const struct backend_dut *d)
{
	if (!d || !d->name || !d->create || reserved_name(d->name))
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

static const struct backend_dut *find_dut(const char *name)
{
	for (size_t i = 0; i < n_duts; i++)
		if (!strcmp(dut_table[i].name, name))
			return &dut_table[i];
	return NULL;
}

const char *backend_lockstep_dut(void)
{
	return n_duts ? dut_table[0].name : NULL;
}

/* "lockstep:NAME": lockstep with the registered DUT NAME (NULL: another
 * kind of name). */
static const char *lockstep_dut_name(const char *backend)
{
	return strncmp(backend, "lockstep:", 9) ? NULL : backend + 9;
}

int backend_available(const char *backend, char *err, size_t errlen)
{
	if (!backend)
		return mmu_errf(err, errlen, MMU_EINVAL, "no back end named");
	if (!strcmp(backend, "golden") || !strcmp(backend, SELF) ||
	    find_dut(backend))
		return 0;
	if (lockstep_dut_name(backend) && find_dut(lockstep_dut_name(backend)))
		return 0;
	if (!strcmp(backend, "lockstep"))
		return n_duts ? 0 :
		       mmu_errf(err, errlen, MMU_EINVAL,
			    "back end 'lockstep' needs a DUT to compare with "
			    "the golden model, and this program was linked "
			    "without the Verilated RTL (the build/rel tools "
			    "link it: sim/sim.mk); use 'golden', or '" SELF
			    "' to check the checker against a second golden "
			    "model");
	if (!strcmp(backend, "rtl"))
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "back end 'rtl': this program was linked without "
			    "the Verilated RTL (the build/rel tools link it: "
			    "sim/sim.mk)");
	return mmu_errf(err, errlen, MMU_EINVAL, "unknown back end '%s' (golden, "
		    "rtl, board, lockstep, lockstep:DUT or " SELF ")", backend);
}

/* The broken rules, by --inject-rule name. */
static const struct {
	const char *name;
	size_t off;
} rules[] = {
	{ "no-wp", offsetof(struct backend_opts, inject_no_wp) },
	{ "no-invlpg", offsetof(struct backend_opts, inject_no_invlpg) },
};

int backend_inject_rule(const char *name, struct backend_opts *o)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(name, rules[i].name)) {
			*(bool *)((char *)o + rules[i].off) = true;
			return 0;
		}
	return MMU_EINVAL;
}

bool backend_injects(const struct backend_opts *o)
{
	return o && (o->inject_access || o->inject_no_wp || o->inject_no_invlpg);
}

const char *backend_inject_args(const struct backend_opts *o, char *buf,
				size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = 0;
	if (o && o->inject_access)
		n += (size_t)snprintf(buf, len, " --inject %llu",
				      (unsigned long long)o->inject_access);
	for (size_t i = 0; o && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (*(const bool *)((const char *)o + rules[i].off) && n < len)
			n += (size_t)snprintf(buf + n, len - n,
					      " --inject-rule %s", rules[i].name);
	return buf;
}

const char *backend_describe(const char *backend, char *buf, size_t len)
{
	const char *dut = backend_lockstep_dut();

	if (backend && !strcmp(backend, "lockstep"))
		snprintf(buf, len, "golden=%s", dut ? dut : "?");
	else if (backend && !strcmp(backend, SELF))
		snprintf(buf, len, "golden=golden");
	else if (backend && lockstep_dut_name(backend))
		snprintf(buf, len, "golden=%s", lockstep_dut_name(backend));
	else
		snprintf(buf, len, "%s", backend ? backend : "?");
	return buf;
}

static int check_opts(const struct backend_opts *o, char *err, size_t errlen)
{
	if (o && o->backpressure_pct > 100)
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "back-pressure %u%%: must be 0..100",
			    o->backpressure_pct);
	return 0;
}

static int golden_dut(const struct mmu_config *cfg, uint64_t mem_bytes,
		      const struct backend_opts *o, struct machine **out,
		      char *err, size_t errlen)
{
	(void)o;  /* the model has no bus to slow down */
	return golden_create(cfg, mem_bytes, out, err, errlen);
}

/* f: the DUT's entry (NULL: a second golden model, for lockstep-self). */
static int open_lockstep(const struct backend_dut *f,
			 const struct mmu_config *cfg, uint64_t mem_bytes,
			 const struct backend_opts *o, struct machine **out,
			 char *err, size_t errlen)
{
	backend_factory_fn create = f ? f->create : golden_dut;
	struct machine *ref, *dut, *raw;
	int rc;

	rc = golden_create(cfg, mem_bytes, &ref, err, errlen);
	if (rc)
		return rc;
	rc = create(cfg, mem_bytes, o, &dut, err, errlen);
	if (rc) {
		machine_destroy(ref);
		return rc;
	}
	raw = dut;  /* the hook wants the real DUT, not the injector */
	if (backend_injects(o)) {
		rc = inject_create(dut, o, &dut, err, errlen);
		if (rc) {
			machine_destroy(ref);
			return rc;
		}
	}
	rc = lockstep_create(ref, dut, out, err, errlen);
	if (!rc && f && f->on_mismatch &&
	    lockstep_on_mismatch(*out, f->on_mismatch, raw)) {
		machine_destroy(*out);
		return mmu_errf(err, errlen, MMU_EINVAL, "lockstep: no room for "
			    "the DUT's mismatch callback");
	}
	return rc;
}

static int open_any(const char *backend, const struct mmu_config *cfg,
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
	if (!strcmp(backend, SELF))
		return open_lockstep(NULL, cfg, mem_bytes, o, out, err, errlen);
	if (!strcmp(backend, "lockstep"))
		return open_lockstep(&dut_table[0], cfg, mem_bytes, o, out, err,
				     errlen);
	if (lockstep_dut_name(backend))
		return open_lockstep(find_dut(lockstep_dut_name(backend)), cfg,
				     mem_bytes, o, out, err, errlen);
	return find_dut(backend)->create(cfg, mem_bytes, o, out, err, errlen);
}

int machine_open(const char *backend, const struct mmu_config *cfg,
		 uint64_t mem_bytes, const struct backend_opts *o,
		 struct machine **out, char *err, size_t errlen)
{
	int rc = open_any(backend, cfg, mem_bytes, o, out, err, errlen);

	if (!rc && o && o->cover &&
	    (rc = cover_attach(o->cover, *out, err, errlen)))
		machine_destroy(*out);
	return rc;
}
