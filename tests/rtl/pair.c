/* SPDX-License-Identifier: MIT */
#include "pair.h"
#include "../../sw/golden/golden.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

/* At the first difference: the whole report, before the failing call
 * returns MMU_EBACKEND to the assertion that then fails the test. */
static void print_mismatch(void *ctx, struct lockstep_mismatch *mm)
{
	char buf[2048];

	(void)ctx;
	lockstep_mismatch_format(mm, buf, sizeof(buf));
	printf("RTL differs from the golden model:\n%s", buf);
	fflush(stdout);
}

struct machine *pair_new(const char *cfg_name, uint64_t mem_bytes,
			 const struct rtl_opts *opts)
{
	struct mmu_config cfg;
	struct machine *g, *r, *m;
	struct rtl_opts o = { 0 };
	const char *dir = getenv("RTL_TRACE_DIR");
	char err[256], trace[512];
	static unsigned seq;

	if (mmu_config_load(cfg_name, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	if (opts)
		o = *opts;
	if (dir && !o.trace_path) {
		snprintf(trace, sizeof(trace), "%s/%s-%u.fst", dir, cfg_name, seq++);
		o.trace_path = trace;
	}
	if (golden_create(&cfg, mem_bytes, &g, err, sizeof(err)))
		fail_msg("golden: %s", err);
	if (rtl_create(&cfg, mem_bytes, &o, &r, err, sizeof(err)))
		fail_msg("rtl: %s", err);
	if (lockstep_create(g, r, &m, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(lockstep_on_mismatch(m, print_mismatch, NULL), 0);
	return m;
}

unsigned long pair_compared(struct machine *m)
{
	struct lockstep_stats st;

	lockstep_stats(m, &st);
	return (unsigned long)(st.accesses + st.ctls);
}

void pair_finish(struct machine *m)
{
	if (lockstep_check_memory(m) || lockstep_check_counters(m))
		fail_msg("%s", m->err);
	machine_destroy(m);
}

void pair_random(struct machine *m, uint64_t seed, unsigned steps)
{
	struct regress_gen_opts o = { .mix = REGRESS_HOSTILE };
	struct regress_gen *g;
	char err[256];

	if (regress_gen_new(m, seed, &o, &g, err, sizeof(err)))
		fail_msg("random tables: %s", err);
	if (regress_gen_run(g, steps))
		fail_msg("random stream: %s", regress_gen_error(g));
	regress_gen_free(g);
}
