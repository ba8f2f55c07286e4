/* SPDX-License-Identifier: MIT */
/*
 * The regression library (sw/regress): the PRNG's sequence is pinned (old
 * seeds replay), the generator is deterministic, its CHECKED stream passes
 * on every configuration and fails when memory changes behind its back,
 * TRAFFIC and HOSTILE run golden against golden in lockstep on every
 * configuration, a seed run writes its log and its re-run command, and
 * errors come back as values with a message.
 */
#include "../../sw/golden/golden.h"
#include "../../sw/regress/regress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static const char *const configs[] = { "x86", "csapp", "fpga" };

static struct mmu_config load(const char *name)
{
	struct mmu_config c;
	char err[256];

	assert_int_equal(mmu_config_load(name, &c, err, sizeof(err)), 0);
	return c;
}

static struct machine *golden(const struct mmu_config *c, uint64_t mem)
{
	struct machine *m;
	char err[256];

	assert_int_equal(golden_create(c, mem, &m, err, sizeof(err)), 0);
	return m;
}

static struct regress_gen *gen(struct machine *m, uint64_t seed,
			       enum regress_mix mix)
{
	struct regress_gen_opts o = { .mix = mix };
	struct regress_gen *g;
	char err[256];

	if (regress_gen_new(m, seed, &o, &g, err, sizeof(err)))
		fail_msg("regress_gen_new: %s", err);
	return g;
}

static void test_rng(void **state)
{
	struct regress_rng a, b;
	/* seed * 0x9E3779B97F4A7C15 + 1 == 0: xorshift's fixed point */
	const uint64_t zero_seed = 0x0e217c1e66c88cc3ull;

	(void)state;
	regress_rng_seed(&a, 1);
	/* pinned: mmuregress's streams (and re-run commands) depend on it */
	assert_int_equal(regress_rng_next(&a), 0x806132229cb46b5dull);
	assert_int_equal(regress_rng_next(&a), 0x060f1487c439fe10ull);
	regress_rng_seed(&a, 42);
	regress_rng_seed(&b, 42);
	for (unsigned i = 0; i < 1000; i++) {
		uint64_t n = 1 + i % 17;

		assert_int_equal(regress_rng_next(&a), regress_rng_next(&b));
		assert_true(regress_rng_below(&a, n) < n);
		(void)regress_rng_below(&b, n);
	}
	assert_int_equal(regress_rng_below(&a, 0), 0);
	regress_rng_seed(&a, zero_seed);
	assert_true(a.s != 0 && regress_rng_next(&a) != 0);
	assert_true(regress_cr0(0) & CR0_PG);
	assert_int_equal(regress_cr0(CR0_WP) & CR0_WP, CR0_WP);
	assert_int_equal(regress_cr4(CR4_PGE) & CR4_PGE, CR4_PGE);
	assert_int_equal(regress_efer(EFER_NXE) & EFER_NXE, EFER_NXE);
	printf("regress: xorshift64* sequence pinned, same seed same numbers, "
	       "below(n) < n, the zero-state seed avoided, CR values composed\n");
}

/* CHECKED on the golden model, every configuration: everything the
 * generator checks holds, and the same seed gives the same stream. */
static void test_checked_every_config(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct mmu_config c = load(configs[i]);
		struct machine *m1 = golden(&c, 0), *m2 = golden(&c, 0);
		struct regress_gen *g1 = gen(m1, 7, REGRESS_CHECKED);
		struct regress_gen *g2 = gen(m2, 7, REGRESS_CHECKED);
		const struct regress_stats *s = regress_gen_stats(g1);
		struct mmu_counters k1, k2;

		assert_int_equal(regress_gen_run(g1, 20000), 0);
		assert_int_equal(regress_gen_run(g2, 20000), 0);
		assert_int_equal(regress_gen_finish(g1), 0);
		assert_int_equal(regress_gen_finish(g2), 0);
		assert_memory_equal(s, regress_gen_stats(g2), sizeof(*s));
		m1->ops->counters(m1, &k1);
		m2->ops->counters(m2, &k2);
		assert_memory_equal(&k1, &k2, sizeof(k1));
		assert_int_equal(s->steps, 20000);
		assert_int_equal(s->checks, s->accesses);
		assert_int_equal(k1.accesses, s->accesses);
		assert_true(s->loads_checked > 1000);
		assert_true(s->pf_np > 0 && s->pf_prot > 0);
		assert_int_equal(s->pf_np + s->pf_prot + s->pf_rsvd,
				 k1.page_faults);
		/* the non-canonical accesses it makes, each #GP as expected */
		assert_true(s->gp > 0);
		assert_int_equal(s->gp, k1.gp_faults);
		assert_string_equal(regress_gen_error(g1), "");
		printf("regress: CHECKED on %s: %llu accesses checked, %llu loads "
		       "against the shadow, #PF %llu/%llu/%llu (np/prot/rsvd), "
		       "#GP %llu, memory equal to the shadow; a second run "
		       "identical\n",
		       configs[i], (unsigned long long)s->accesses,
		       (unsigned long long)s->loads_checked,
		       (unsigned long long)s->pf_np,
		       (unsigned long long)s->pf_prot,
		       (unsigned long long)s->pf_rsvd,
		       (unsigned long long)s->gp);
		regress_gen_free(g1);
		regress_gen_free(g2);
		machine_destroy(m1);
		machine_destroy(m2);
	}
}

/* A byte changed behind the generator's back (a coherent physical write
 * over the whole data region) is caught: by a load, or at the end. */
static void test_checked_catches(void **state)
{
	struct mmu_config c = load("x86");
	struct machine *m = golden(&c, 8ull << 20);
	struct regress_gen *g = gen(m, 3, REGRESS_CHECKED);
	uint8_t junk[4096];
	int rc;

	(void)state;
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(regress_gen_run(g, 2000), 0);
	for (uint64_t pa = 2ull << 20; pa < 8ull << 20; pa += sizeof(junk))
		assert_int_equal(machine_phys_write(m, pa, junk, sizeof(junk)), 0);
	rc = regress_gen_run(g, 2000);
	if (!rc)
		rc = regress_gen_finish(g);
	assert_int_equal(rc, REGRESS_ECHECK);
	assert_true(strstr(regress_gen_error(g), "access ") ||
		    strstr(regress_gen_error(g), "memory differs"));
	printf("regress: memory changed behind the generator's back: %s\n",
	       regress_gen_error(g));
	regress_gen_free(g);
	machine_destroy(m);
}

/* TRAFFIC and HOSTILE over golden vs golden in lockstep: everything
 * agrees, the steps they add happen. */
static void test_unchecked_mixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++)
		for (int mix = REGRESS_TRAFFIC; mix <= REGRESS_HOSTILE; mix++) {
			struct mmu_config c = load(configs[i]);
			uint64_t mem = c.mem_bytes < (8ull << 20) ? c.mem_bytes
								   : 8ull << 20;
			struct machine *ls;
			struct regress_gen *g;
			const struct regress_stats *s;
			char err[256];

			assert_int_equal(lockstep_create(golden(&c, mem),
							 golden(&c, mem), &ls,
							 err, sizeof(err)), 0);
			g = gen(ls, 11, (enum regress_mix)mix);
			s = regress_gen_stats(g);
			if (regress_gen_run(g, 20000) || regress_gen_finish(g))
				fail_msg("%s", regress_gen_error(g));
			assert_true(s->phys > 0 && s->faults > 0);
			assert_true(s->faults < s->accesses);
			assert_int_equal(s->checks, 0);
			printf("regress: %s on %s, golden vs golden: %llu accesses "
			       "(%llu faults), %llu ctl, %llu phys, all equal\n",
			       mix == REGRESS_TRAFFIC ? "TRAFFIC" : "HOSTILE",
			       configs[i], (unsigned long long)s->accesses,
			       (unsigned long long)s->faults,
			       (unsigned long long)s->ctls,
			       (unsigned long long)s->phys);
			regress_gen_free(g);
			machine_destroy(ls);
		}
}

/* The board's 128 KiB memory maps every page under one page table: each
 * mix, on several seeds, sets up (no page larger than that table's reach,
 * which would leave no room for the next) and runs, golden vs golden. */
static void test_tight_memory(void **state)
{
	struct mmu_config c = load("board");
	unsigned runs = 0;

	(void)state;
	for (int mix = REGRESS_CHECKED; mix <= REGRESS_HOSTILE; mix++)
		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct machine *ls;
			struct regress_gen *g;
			char err[256];

			assert_int_equal(lockstep_create(golden(&c, c.mem_bytes),
							 golden(&c, c.mem_bytes),
							 &ls, err, sizeof(err)), 0);
			g = gen(ls, seed, (enum regress_mix)mix);
			if (regress_gen_run(g, 2000) || regress_gen_finish(g))
				fail_msg("mix %d seed %llu: %s", mix,
					 (unsigned long long)seed,
					 regress_gen_error(g));
			regress_gen_free(g);
			machine_destroy(ls);
			runs++;
		}
	printf("regress: board (128 KiB, one page table): %u set-ups and runs "
	       "of 2000 steps over every mix, golden vs golden, all equal\n",
	       runs);
}

/* A seed as the tools run it: figures, log, re-run command; a lockstep
 * mismatch (the self-test injection) and a bad back end are reported. */
static void test_run_seed(void **state)
{
	struct mmu_config c = load("csapp");
	char dir[] = "/tmp/regress_test_XXXXXX", path[600], line[256];
	struct regress_seed_opts o = { .backend = "golden", .cfg = &c,
				       .steps = 5000, .tool = "mmuregress" };
	struct regress_result *r = malloc(sizeof(*r));
	FILE *f;
	bool result = false;

	(void)state;
	assert_non_null(r);
	assert_non_null(mkdtemp(dir));
	o.logdir = dir;
	assert_int_equal(regress_run_seed(&o, 4, r), 0);
	assert_true(r->ok && !r->mismatch);
	assert_int_equal(r->st.steps, 5000);
	assert_int_equal(r->c.accesses, r->st.accesses);
	snprintf(path, sizeof(path), "%s/csapp-seed4.log", dir);
	assert_string_equal(r->log_path, path);
	snprintf(line, sizeof(line), "mmuregress --backend golden --config "
		 "csapp --seed 4 --ops 5000 --logdir %s", dir);
	assert_string_equal(r->rerun, line);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		result |= !strncmp(line, "--- result: PASS after 5000 steps", 33);
	fclose(f);
	assert_true(result);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);

	o.logdir = NULL;
	o.backend = "lockstep-self";  /* no RTL in the unit tests */
	o.bo.inject_access = 100;
	assert_int_equal(regress_run_seed(&o, 4, r), MMU_EBACKEND);
	assert_true(!r->ok && r->mismatch);
	assert_non_null(strstr(r->report, "lockstep mismatch at access 100"));
	assert_non_null(strstr(r->report, "re-run: mmuregress --backend "
			       "lockstep-self --config csapp --seed 4 --ops 5000 "
			       "--inject 100"));
	assert_int_equal(r->ls.accesses, 100);

	o.backend = "bogus";
	assert_true(regress_run_seed(&o, 4, r) != 0);
	assert_true(!r->ok && !r->mismatch);
	assert_non_null(strstr(r->report, "unknown back end 'bogus'"));
	printf("regress: a seed run: figures, log and re-run command; an "
	       "injected mismatch reported at access 100; a bad back end is "
	       "an error value with its message\n");
	free(r);
}

static void test_errors(void **state)
{
	struct mmu_config c = load("x86");
	struct machine *m = golden(&c, 16ull << 10);
	struct regress_gen_opts o = { .mix = REGRESS_CHECKED };
	struct regress_gen *g = (struct regress_gen *)&o;
	char err[128];

	(void)state;
	assert_int_equal(regress_gen_new(m, 1, &o, &g, err, sizeof(err)),
			 MMU_EINVAL);
	assert_null(g);
	assert_non_null(strstr(err, "too small"));
	o.mix = (enum regress_mix)7;
	assert_int_equal(regress_gen_new(m, 1, &o, &g, err, sizeof(err)),
			 MMU_EINVAL);
	assert_non_null(strstr(err, "unknown mix"));
	machine_destroy(m);
	regress_gen_free(NULL);
	printf("regress: memory too small for tables and data, an unknown mix: "
	       "error values with a message\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_checked_every_config),
		cmocka_unit_test(test_checked_catches),
		cmocka_unit_test(test_unchecked_mixes),
		cmocka_unit_test(test_tight_memory),
		cmocka_unit_test(test_run_seed),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
