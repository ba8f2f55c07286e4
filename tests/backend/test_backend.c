/* SPDX-License-Identifier: MIT */
/*
 * The back-end factory: which names open which machines, and that a
 * program linked without a DUT refuses "lockstep" and "rtl" with a message
 * that says what is missing instead of comparing the golden model with
 * itself.  Unit tests link no RTL, which is exactly that case; a DUT
 * registered at run time then makes "lockstep" available.
 */
#include "../../sw/backend/backend.h"
#include "../../sw/golden/golden.h"
#include "../../sw/lockstep/lockstep.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static struct mmu_config load(const char *name)
{
	struct mmu_config c;
	char err[256];

	assert_int_equal(mmu_config_load(name, &c, err, sizeof(err)), 0);
	return c;
}

/* Without a registered DUT: golden and lockstep-self only. */
static void test_no_dut_refused(void **state)
{
	struct mmu_config c = load("csapp");
	struct machine *m = NULL;
	char err[512], desc[32];

	(void)state;
	assert_null(backend_lockstep_dut());
	assert_int_equal(machine_open("lockstep", &c, 0, NULL, &m, err,
				      sizeof(err)), MMU_EINVAL);
	assert_null(m);
	assert_non_null(strstr(err, "needs a DUT"));
	assert_non_null(strstr(err, "linked without the Verilated RTL"));
	assert_non_null(strstr(err, "lockstep-self"));
	printf("backend: machine_open(\"lockstep\") without the RTL: %s\n", err);
	assert_int_equal(backend_available("lockstep", err, sizeof(err)),
			 MMU_EINVAL);
	assert_int_equal(machine_open("rtl", &c, 0, NULL, &m, err,
				      sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "linked without the Verilated RTL"));
	printf("backend: machine_open(\"rtl\") without the RTL: %s\n", err);
	assert_int_equal(machine_open("bogus", &c, 0, NULL, &m, err,
				      sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "unknown back end 'bogus'"));
	assert_string_equal(backend_describe("lockstep", desc, sizeof(desc)),
			    "golden=?");
	assert_string_equal(backend_describe("lockstep-self", desc,
					     sizeof(desc)), "golden=golden");
	assert_int_equal(machine_open("golden", &c, 0, NULL, &m, err,
				      sizeof(err)), 0);
	assert_string_equal(m->ops->name, "golden");
	machine_destroy(m);
	assert_int_equal(machine_open("lockstep-self", &c, 0, NULL, &m, err,
				      sizeof(err)), 0);
	assert_true(lockstep_is(m));
	assert_string_equal(lockstep_ref(m)->ops->name, "golden");
	assert_string_equal(lockstep_dut(m)->ops->name, "golden");
	assert_true(lockstep_ref(m) != lockstep_dut(m));
	machine_destroy(m);
	printf("backend: without a DUT golden and lockstep-self open; lockstep, "
	       "rtl and unknown names are refused\n");
}

/* Options are checked, and the checker's self-test injection works on
 * lockstep-self: the mismatch names both sides. */
static void test_options_and_injection(void **state)
{
	struct mmu_config c = load("x86");
	struct backend_opts o = { .backpressure_pct = 101 };
	struct mmu_req r = { .va = 0x1000, .op = MMU_LOAD, .size = 8 };
	struct mmu_outcome out;
	struct machine *m;
	char err[256], rep[1024];

	(void)state;
	assert_int_equal(machine_open("lockstep-self", &c, 0, &o, &m, err,
				      sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "back-pressure"));
	o.backpressure_pct = 30;
	o.inject_access = 2;
	assert_int_equal(machine_open("lockstep-self", &c, 4ull << 20, &o, &m,
				      err, sizeof(err)), 0);
	assert_int_equal(machine_access(m, &r, &out), 0);  /* #PF: CR3 = 0 */
	assert_int_equal(machine_access(m, &r, &out), MMU_EBACKEND);
	assert_string_equal(lockstep_mismatch(m)->field, "rdata");
	assert_string_equal(lockstep_mismatch(m)->dut_name, "golden+injected");
	assert_non_null(strstr(m->err, "golden vs golden+injected"));
	lockstep_mismatch_format(lockstep_mismatch(m), rep, sizeof(rep));
	assert_non_null(strstr(rep, "golden vs golden+injected: rdata differs"));
	printf("backend: self-test injection on lockstep-self: %s\n", m->err);
	machine_destroy(m);
}

/* The broken rules by name, their re-run options, and no-invlpg: the
 * DUT's answer to INVLPG is "done", its TLB keeps the stale entry. */
static void test_inject_rules(void **state)
{
	struct mmu_config c = load("x86");
	struct backend_opts o = { 0 };
	struct mmu_outcome out;
	struct machine *m, *g;
	char err[256], args[128];
	const uint64_t va = 0x400000, pt = 0x10000;
	struct mmu_req r = { .va = va, .op = MMU_LOAD, .size = 8, .user = true };

	(void)state;
	assert_false(backend_injects(&o));
	assert_int_equal(backend_inject_rule("bogus", &o), MMU_EINVAL);
	assert_int_equal(backend_inject_rule("no-wp", &o), 0);
	assert_int_equal(backend_inject_rule("no-invlpg", &o), 0);
	o.inject_access = 7;
	assert_true(o.inject_no_wp && o.inject_no_invlpg && backend_injects(&o));
	assert_string_equal(backend_inject_args(&o, args, sizeof(args)),
			    " --inject 7 --inject-rule no-wp --inject-rule no-invlpg");
	o = (struct backend_opts){ .inject_no_invlpg = true };
	assert_int_equal(machine_open("lockstep-self", &c, 4ull << 20, &o, &m,
				      err, sizeof(err)), 0);
	/* one 4 KiB page at va: four levels of tables from pt */
	for (unsigned l = 0; l < 3; l++) {
		uint64_t e = (pt + (l + 1) * 0x1000) | PTE_P | PTE_RW | PTE_US;
		uint64_t idx = (va >> (39 - 9 * l)) & 511;

		assert_int_equal(machine_phys_write(m, pt + l * 0x1000 + idx * 8,
						    &e, 8), 0);
	}
	{
		uint64_t e = 0x200000 | PTE_P | PTE_RW | PTE_US;

		assert_int_equal(machine_phys_write(m, pt + 3 * 0x1000 +
						    ((va >> 12) & 511) * 8, &e,
						    8), 0);
		assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, pt), 0);
		assert_int_equal(machine_access(m, &r, &out), 0);
		assert_true(out.status == MMU_ST_OK);
		e = 0;  /* unmapped, then INVLPG: only the reference drops it */
		assert_int_equal(machine_phys_write(m, pt + 3 * 0x1000 +
						    ((va >> 12) & 511) * 8, &e,
						    8), 0);
	}
	assert_int_equal(machine_invlpg(m, va), 0);
	assert_int_equal(machine_access(m, &r, &out), MMU_EBACKEND);
	assert_string_equal(lockstep_mismatch(m)->field, "status");
	g = lockstep_dut(m);
	assert_non_null(strstr(g->ops->name, "injected"));
	printf("backend: --inject-rule names, their re-run options; no-invlpg "
	       "leaves the DUT a stale entry: %s\n", m->err);
	machine_destroy(m);
}

/* A DUT of our own ("twin": a golden model) registered at run time. */
static int twin_open(const struct mmu_config *cfg, uint64_t mem_bytes,
		     const struct backend_opts *o, struct machine **out,
		     char *err, size_t errlen)
{
	(void)o;
	return golden_create(cfg, mem_bytes, out, err, errlen);
}

static void test_registered_dut(void **state)
{
	static const struct backend_dut twin = { "twin", twin_open, NULL };
	static const struct backend_dut bad = { "lockstep", twin_open, NULL };
	struct mmu_config c = load("fpga");
	struct machine *m;
	char err[256], desc[32];

	(void)state;
	assert_int_equal(backend_register_dut(&bad), MMU_EINVAL);
	assert_int_equal(backend_register_dut(NULL), MMU_EINVAL);
	assert_int_equal(backend_register_dut(&twin), 0);
	assert_int_equal(backend_register_dut(&twin), 0);  /* harmless */
	assert_string_equal(backend_lockstep_dut(), "twin");
	assert_int_equal(backend_available("lockstep", err, sizeof(err)), 0);
	assert_int_equal(backend_available("twin", err, sizeof(err)), 0);
	assert_string_equal(backend_describe("lockstep", desc, sizeof(desc)),
			    "golden=twin");
	assert_int_equal(machine_open("lockstep", &c, 0, NULL, &m, err,
				      sizeof(err)), 0);
	assert_true(lockstep_is(m));
	machine_destroy(m);
	assert_int_equal(machine_open("twin", &c, 0, NULL, &m, err,
				      sizeof(err)), 0);
	assert_false(lockstep_is(m));
	machine_destroy(m);
	/* still not the RTL */
	assert_int_equal(backend_available("rtl", err, sizeof(err)),
			 MMU_EINVAL);
	printf("backend: a registered DUT becomes lockstep's (%s) and a "
	       "back end of its own; reserved names cannot be registered\n",
	       desc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_dut_refused),
		cmocka_unit_test(test_options_and_injection),
		cmocka_unit_test(test_inject_rules),
		cmocka_unit_test(test_registered_dut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
