/* SPDX-License-Identifier: MIT */
/*
 * The lockstep checker: golden vs golden agrees over random streams (the
 * regression library's TRAFFIC mix) on every configuration; a faulty DUT is caught at exactly the call it went
 * wrong, with the field named, the callbacks run once and every later call
 * refused; in carry-on mode every mismatch is counted and the DUT
 * resynchronised; time is never compared.
 */
#include "faulty.h"
#include "../../sw/golden/golden.h"
#include "../../sw/lockstep/lockstep.h"
#include "../../sw/regress/regress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define MEM (4ull << 20)  /* small, so the whole-memory check is quick */
#define STEPS 20000

static struct mmu_config load(const char *name)
{
	struct mmu_config c;
	char err[256];

	assert_int_equal(mmu_config_load(name, &c, err, sizeof(err)), 0);
	return c;
}

static uint64_t mem_for(const struct mmu_config *c)
{
	return c->mem_bytes < MEM ? c->mem_bytes : MEM;
}

static struct machine *golden(const struct mmu_config *c)
{
	struct machine *m;
	char err[256];

	assert_int_equal(golden_create(c, mem_for(c), &m, err, sizeof(err)), 0);
	return m;
}

static struct machine *pair(struct machine *ref, struct machine *dut)
{
	struct machine *ls;
	char err[256];

	assert_int_equal(lockstep_create(ref, dut, &ls, err, sizeof(err)), 0);
	assert_true(lockstep_is(ls));
	return ls;
}

/* The regression library's TRAFFIC stream over m (it checks nothing
 * itself and never touches the last page of memory): page tables built,
 * CR3 loaded. */
static struct regress_gen *traffic(struct machine *m, uint64_t seed)
{
	struct regress_gen_opts o = { .mix = REGRESS_TRAFFIC };
	struct regress_gen *g;
	char err[256];

	if (regress_gen_new(m, seed, &o, &g, err, sizeof(err)))
		fail_msg("regress_gen_new: %s", err);
	return g;
}

/* Mismatch callback: counts, and keeps the first report. */
struct seen {
	unsigned calls;
	struct lockstep_mismatch first;
};

static void on_mismatch(void *ctx, struct lockstep_mismatch *mm)
{
	struct seen *s = ctx;

	if (!s->calls++)
		s->first = *mm;
}

/* ---- golden vs golden ---------------------------------------------------- */

static void agree_on(const char *name, uint64_t seed)
{
	struct mmu_config c = load(name);
	struct machine *ls = pair(golden(&c), golden(&c));
	struct lockstep_stats st;
	struct regress_gen *g = NULL;

	g = traffic(ls, seed);
	assert_int_equal(regress_gen_run(g, STEPS), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	assert_int_equal(lockstep_check_memory(ls), 0);
	assert_null(lockstep_mismatch(ls));
	lockstep_stats(ls, &st);
	assert_int_equal(st.accesses, regress_gen_stats(g)->accesses);
	assert_int_equal(st.ctls, regress_gen_stats(g)->ctls + 1);  /* + the final flush */
	assert_true(st.phys >= regress_gen_stats(g)->phys &&
		    regress_gen_stats(g)->phys > 0);
	assert_int_equal(st.mem_checks, 1);
	assert_int_equal(st.counter_checks, 1);
	assert_true(regress_gen_stats(g)->faults > 0 &&
		    regress_gen_stats(g)->faults < regress_gen_stats(g)->accesses);
	printf("lockstep: golden vs golden on %s, seed %llu: %llu calls compared "
	       "(%llu accesses, %llu faults, %llu ctl, %llu phys), %llu fields "
	       "and %llu bytes equal, counters and %llu KiB of memory equal\n",
	       name, (unsigned long long)seed, (unsigned long long)st.calls,
	       (unsigned long long)st.accesses,
	       (unsigned long long)regress_gen_stats(g)->faults,
	       (unsigned long long)st.ctls, (unsigned long long)st.phys,
	       (unsigned long long)st.fields, (unsigned long long)st.bytes,
	       (unsigned long long)(mem_for(&c) >> 10));
	regress_gen_free(g);
	machine_destroy(ls);
}

static void test_golden_vs_golden(void **state)
{
	(void)state;
	agree_on("x86", 1);
	agree_on("x86", 2);
	agree_on("csapp", 1);
	agree_on("fpga", 1);
}

/* Every numbered call reaches the DUT once; time (outcome.cycles and the
 * walk_cycles/cycles counters) is the DUT's and is never compared. */
static void test_calls_counted_time_ignored(void **state)
{
	struct mmu_config c = load("x86");
	struct faulty_spec none = { .kind = FAULTY_NONE };
	struct machine *dut = faulty_new(&c, mem_for(&c), &none);
	struct machine *ls = pair(golden(&c), dut);
	struct mmu_req r = { .va = 0x1000, .op = MMU_LOAD, .size = 8 };
	struct lockstep_stats st;
	struct mmu_counters k;
	struct mmu_outcome o;
	struct regress_gen *g = NULL;

	(void)state;
	g = traffic(ls, 5);
	assert_int_equal(regress_gen_run(g, 5000), 0);
	assert_int_equal(machine_access(ls, &r, &o), 0);
	assert_int_equal(o.cycles, 3);
	assert_int_equal(lockstep_check_counters(ls), 0);
	machine_counters(ls, &k);
	assert_int_equal(k.walk_cycles, 77);
	assert_int_equal(k.cycles, 1000 + 3 * (regress_gen_stats(g)->accesses + 1));
	assert_int_equal(lockstep_check_memory(ls), 0);
	lockstep_stats(ls, &st);
	assert_int_equal(st.calls, faulty_calls(dut));
	printf("lockstep: %llu calls numbered as the DUT saw them; differing "
	       "cycles, walk_cycles and outcome.cycles not reported\n",
	       (unsigned long long)st.calls);
	regress_gen_free(g);
	machine_destroy(ls);
}

/* ---- a faulty DUT is caught -------------------------------------------- */

struct catch_case {
	struct faulty_spec spec;
	const char *field;        /* expected (prefix of) the field name */
	enum lockstep_call kind;
};

/* After a mismatch: every call is refused and the callbacks do not run
 * again. */
static void assert_refused(struct machine *ls, const struct seen *seen)
{
	struct mmu_req r = { .va = 0x1000, .op = MMU_LOAD, .size = 1 };
	struct mmu_ctl c = { .op = MMU_CTL_CLEAN_ALL };
	enum mmu_ctl_result res;
	struct mmu_outcome o;
	uint8_t b[4] = { 0 };

	assert_int_equal(machine_access(ls, &r, &o), MMU_EBACKEND);
	assert_non_null(strstr(ls->err, "stopped"));
	assert_int_equal(machine_ctl(ls, &c, &res), MMU_EBACKEND);
	assert_int_equal(machine_phys_read(ls, 0, b, 4), MMU_EBACKEND);
	assert_int_equal(machine_phys_write(ls, 0, b, 4), MMU_EBACKEND);
	assert_int_equal(machine_mem_peek(ls, 0, b, 4), MMU_EBACKEND);
	assert_int_equal(lockstep_check_counters(ls), MMU_EBACKEND);
	assert_int_equal(lockstep_check_memory(ls), MMU_EBACKEND);
	assert_int_equal(seen->calls, 1);
}

static void check_report(struct machine *ls, const struct lockstep_mismatch *mm,
			 const struct catch_case *cc)
{
	char buf[2048];

	assert_non_null(mm);
	assert_int_equal(mm->kind, cc->kind);
	assert_memory_equal(mm->field, cc->field, strlen(cc->field));
	assert_true(mm->ref_value != mm->dut_value);
	assert_non_null(strstr(ls->err, cc->field));
	assert_string_equal(mm->ref_name, "golden");
	assert_string_equal(mm->dut_name, "faulty");
	lockstep_mismatch_format(mm, buf, sizeof(buf));
	assert_non_null(strstr(buf, "request:"));
	assert_non_null(strstr(buf, "ref (golden):"));
	assert_non_null(strstr(buf, "dut (faulty):"));
}

static void catch_one(const struct catch_case *cc)
{
	struct mmu_config c = load("x86");
	struct machine *dut = faulty_new(&c, mem_for(&c), &cc->spec);
	struct machine *ls = pair(golden(&c), dut);
	const struct lockstep_mismatch *mm;
	struct seen seen = { 0 };
	struct regress_gen *g = NULL;

	assert_int_equal(lockstep_on_mismatch(ls, on_mismatch, &seen), 0);
	g = traffic(ls, 3);
	assert_int_equal(regress_gen_run(g, STEPS), MMU_EBACKEND);
	mm = lockstep_mismatch(ls);
	check_report(ls, mm, cc);
	/* exactly where the corruption happened, and the stream stopped there */
	assert_true(faulty_fired_call(dut) > 0);
	assert_int_equal(mm->call, faulty_fired_call(dut));
	assert_int_equal(mm->access, faulty_fired_access(dut));
	assert_int_equal(mm->access, regress_gen_stats(g)->accesses);
	if (cc->kind == LOCKSTEP_ACCESS &&
	    (cc->spec.kind == FAULTY_RDATA || cc->spec.kind == FAULTY_TLB_HIT ||
	     cc->spec.kind == FAULTY_RC))
		assert_int_equal(mm->access, cc->spec.at);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.first.call, mm->call);
	printf("lockstep: caught: %s\n", ls->err);
	assert_refused(ls, &seen);
	regress_gen_free(g);
	machine_destroy(ls);
}

static void test_faulty_dut_caught(void **state)
{
	static const struct catch_case cases[] = {
		{ { FAULTY_RDATA, 1500, 0, 0 }, "rdata", LOCKSTEP_ACCESS },
		{ { FAULTY_ERROR_CODE, 1200, 0, 0 }, "error_code", LOCKSTEP_ACCESS },
		{ { FAULTY_TLB_HIT, 900, 0, 0 }, "tlb_hit", LOCKSTEP_ACCESS },
		{ { FAULTY_AD_VALUE, 700, 0, 0 }, "ad[", LOCKSTEP_ACCESS },
		{ { FAULTY_RC, 1300, 0, 0 }, "return code", LOCKSTEP_ACCESS },
		{ { FAULTY_PHYS_BYTE, 6000, 0, 0 }, "byte at pa",
		  LOCKSTEP_PHYS_READ },
		{ { FAULTY_CTL_RESULT, 5000, 0, 0 }, "ctl result", LOCKSTEP_CTL },
		{ { FAULTY_REGS_CR3, 4500, 0, 0 }, "regs.cr3", LOCKSTEP_CTL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		catch_one(&cases[i]);
}

/* A return-code mismatch shows the DUT's own message. */
static void test_dut_error_reported(void **state)
{
	struct mmu_config c = load("x86");
	struct faulty_spec sp = { .kind = FAULTY_RC, .at = 1 };
	struct machine *ls = pair(golden(&c), faulty_new(&c, mem_for(&c), &sp));
	struct mmu_req r = { .va = 0x1000, .op = MMU_STORE, .size = 4 };
	struct mmu_outcome o;

	(void)state;
	assert_int_equal(machine_access(ls, &r, &o), MMU_EBACKEND);
	assert_non_null(strstr(lockstep_mismatch(ls)->dut,
			       "simulated back-end timeout"));
	assert_non_null(strstr(ls->err,
			       "return code differs: golden 0, faulty -4"));
	printf("lockstep: a DUT error is a mismatch with its message kept: %s\n",
	       ls->err);
	machine_destroy(ls);
}

/* A byte only the DUT's DRAM has wrong, in the page the stream never
 * touches: everything agrees until the final memory check. */
static void test_memory_byte_at_final_check(void **state)
{
	struct mmu_config c = load("x86");
	struct faulty_spec sp = { .kind = FAULTY_MEM_BYTE,
				  .pa = mem_for(&c) - 3 };
	struct machine *dut = faulty_new(&c, mem_for(&c), &sp);
	struct machine *ls = pair(golden(&c), dut);
	const struct lockstep_mismatch *mm;
	struct seen seen = { 0 };
	struct regress_gen *g = NULL;
	char want[48];

	(void)state;
	assert_int_equal(lockstep_on_mismatch(ls, on_mismatch, &seen), 0);
	g = traffic(ls, 9);
	assert_int_equal(regress_gen_run(g, STEPS), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	assert_int_equal(seen.calls, 0);
	assert_int_equal(lockstep_check_memory(ls), MMU_EBACKEND);
	mm = lockstep_mismatch(ls);
	assert_non_null(mm);
	snprintf(want, sizeof(want), "byte at pa %#llx",
		 (unsigned long long)sp.pa);
	assert_string_equal(mm->field, want);
	assert_int_equal(mm->kind, LOCKSTEP_MEM_PEEK);
	assert_int_equal(mm->ref_value ^ mm->dut_value, 0xff);
	assert_int_equal(mm->call, faulty_fired_call(dut));
	assert_non_null(strstr(mm->request, "final memory check"));
	printf("lockstep: stray DRAM byte found only by the final check: %s\n",
	       ls->err);
	assert_refused(ls, &seen);
	regress_gen_free(g);
	machine_destroy(ls);
}

/* Counters: on request, and periodically when asked. */
static void test_counters(void **state)
{
	struct mmu_config c = load("fpga");
	struct faulty_spec sp = { .kind = FAULTY_COUNTER, .at = 4000 };
	struct machine *ls = pair(golden(&c), faulty_new(&c, mem_for(&c), &sp));
	const struct lockstep_mismatch *mm;
	struct regress_gen *g = NULL;

	(void)state;
	g = traffic(ls, 4);
	assert_int_equal(regress_gen_run(g, 3000), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	assert_int_equal(regress_gen_run(g, STEPS), 0);  /* not compared meanwhile */
	assert_int_equal(lockstep_check_counters(ls), MMU_EBACKEND);
	mm = lockstep_mismatch(ls);
	assert_string_equal(mm->field, "counters.tlb_hits");
	assert_int_equal(mm->dut_value, mm->ref_value + 1);
	assert_int_equal(mm->kind, LOCKSTEP_COUNTERS);
	assert_non_null(strstr(mm->dut, "tlb_hits="));
	printf("lockstep: counter check names the counter: %s\n", ls->err);
	regress_gen_free(g);
	machine_destroy(ls);

	ls = pair(golden(&c), faulty_new(&c, mem_for(&c), &sp));
	lockstep_check_counters_every(ls, 100);
	g = traffic(ls, 4);
	assert_int_equal(regress_gen_run(g, STEPS), MMU_EBACKEND);
	mm = lockstep_mismatch(ls);
	assert_string_equal(mm->field, "counters.tlb_hits");
	assert_int_equal(mm->call % 100, 0);
	assert_true(mm->access >= 4000);
	printf("lockstep: periodic counter check (every 100 calls) caught it at "
	       "call %llu, access %llu\n", (unsigned long long)mm->call,
	       (unsigned long long)mm->access);
	regress_gen_free(g);
	machine_destroy(ls);

	/* A counter check also compares the registers: a change that shows
	 * only there (the RTL's last edge) is caught at the end of a run. */
	sp.kind = FAULTY_REGS_LATE;
	sp.at = 1000;
	ls = pair(golden(&c), faulty_new(&c, mem_for(&c), &sp));
	g = traffic(ls, 4);
	assert_int_equal(regress_gen_run(g, 500), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	assert_int_equal(regress_gen_run(g, 2000), 0);
	assert_int_equal(lockstep_check_counters(ls), MMU_EBACKEND);
	mm = lockstep_mismatch(ls);
	assert_string_equal(mm->field, "regs.cr2");
	assert_int_equal(mm->kind, LOCKSTEP_COUNTERS);
	assert_int_equal(mm->dut_value, mm->ref_value ^ 1);
	printf("lockstep: the counter check compares the registers too: %s\n",
	       ls->err);
	regress_gen_free(g);
	machine_destroy(ls);
}

/* A call both machines reject is an agreed error, not a mismatch. */
static void test_agreed_errors_pass_through(void **state)
{
	struct mmu_config c = load("x86");
	struct machine *ls = pair(golden(&c), golden(&c));
	struct mmu_req r = { .va = 0x1001, .op = MMU_LOAD, .size = 4 };
	struct mmu_outcome o;
	uint8_t b[8];

	(void)state;
	assert_int_equal(machine_access(ls, &r, &o), MMU_EINVAL);
	assert_non_null(strstr(ls->err, "naturally aligned"));
	assert_int_equal(machine_phys_read(ls, ls->mem_bytes - 4, b, 8),
			 MMU_ERANGE);
	assert_null(lockstep_mismatch(ls));
	r.va = 0x1000;
	assert_int_equal(machine_access(ls, &r, &o), 0);
	printf("lockstep: errors both machines report pass through (misaligned "
	       "access, read past memory) and the run goes on\n");
	machine_destroy(ls);
}

/* ---- carry-on mode ------------------------------------------------------ */

static struct machine *carry_on(const struct mmu_config *c, struct machine *dut)
{
	struct machine *ls = pair(golden(c), dut);

	assert_int_equal(lockstep_set_continue(ls, true), 0);
	return ls;
}

/* A DUT wrong every 250th access: every one counted and reported (the first
 * LOCKSTEP_KEEP_REPORTS kept), the run goes on to the end and the final
 * checks agree. */
static void test_carry_on_counts(void **state)
{
	struct mmu_config c = load("x86");
	struct faulty_spec sp = { .kind = FAULTY_RDATA, .at = 100, .every = 250 };
	struct machine *dut = faulty_new(&c, mem_for(&c), &sp);
	struct machine *ls = carry_on(&c, dut);
	struct lockstep_stats st;
	struct seen seen = { 0 };
	struct regress_gen *g = NULL;

	(void)state;
	assert_int_equal(lockstep_on_mismatch(ls, on_mismatch, &seen), 0);
	g = traffic(ls, 3);
	assert_int_equal(regress_gen_run(g, STEPS), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	assert_int_equal(lockstep_check_memory(ls), 0);
	lockstep_stats(ls, &st);
	assert_true(faulty_fires(dut) > LOCKSTEP_KEEP_REPORTS);
	assert_int_equal(st.mismatches, faulty_fires(dut));
	assert_int_equal(st.resyncs, st.mismatches);
	assert_int_equal(seen.calls, 1);  /* the callbacks: first one only */
	for (uint64_t i = 0; i < LOCKSTEP_KEEP_REPORTS; i++) {
		const struct lockstep_mismatch *mm = lockstep_mismatch_at(ls, i);

		assert_non_null(mm);
		assert_int_equal(mm->number, i + 1);
		assert_string_equal(mm->field, "rdata");
		assert_int_equal(mm->access, 100 + 250 * i);
	}
	assert_null(lockstep_mismatch_at(ls, LOCKSTEP_KEEP_REPORTS));
	assert_ptr_equal(lockstep_mismatch(ls), lockstep_mismatch_at(ls, 0));
	printf("lockstep: carry-on: %llu mismatches counted over %llu accesses, "
	       "%d reports kept, %llu resyncs, final counters and memory "
	       "equal\n", (unsigned long long)st.mismatches,
	       (unsigned long long)st.accesses, LOCKSTEP_KEEP_REPORTS,
	       (unsigned long long)st.resyncs);
	regress_gen_free(g);
	machine_destroy(ls);
}

/* State that really drifts is put back: DRAM (a store the DUT got wrong)
 * and a register (a CR4 write the DUT dropped). */
static void test_carry_on_resyncs_state(void **state)
{
	static const struct { struct faulty_spec sp; const char *field; } cs[] = {
		{ { FAULTY_STORE_DRIFT, 300, 0, 0 }, NULL },
		{ { FAULTY_CTL_SKIP, 200, 0, 0 }, "regs.cr4" },
	};
	struct mmu_config c = load("x86");

	(void)state;
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct machine *dut = faulty_new(&c, mem_for(&c), &cs[i].sp);
		struct machine *ls = carry_on(&c, dut);
		struct lockstep_stats st;
		struct regress_gen *g = NULL;

		/* short: a drifted byte is not overwritten again by chance */
		g = traffic(ls, 7);
		assert_int_equal(regress_gen_run(g, 2000), 0);
		assert_int_equal(lockstep_check_memory(ls), 0);
		assert_int_equal(lockstep_check_counters(ls), 0);
		lockstep_stats(ls, &st);
		assert_int_equal(faulty_fires(dut), 1);
		assert_true(st.mismatches >= 1);
		assert_int_equal(st.resyncs, st.mismatches);
		if (cs[i].field)
			assert_string_equal(lockstep_mismatch(ls)->field,
					    cs[i].field);
		/* repaired for good: checking again finds nothing new */
		assert_int_equal(lockstep_check_memory(ls), 0);
		{
			struct lockstep_stats again;

			lockstep_stats(ls, &again);
			assert_int_equal(again.mismatches, st.mismatches);
		}
		printf("lockstep: carry-on: %s resynchronised after %llu "
		       "mismatch(es), first: %s\n", i ? "a dropped CR4 write" :
		       "a drifted store in DRAM",
		       (unsigned long long)st.mismatches,
		       lockstep_mismatch(ls)->field);
		regress_gen_free(g);
		machine_destroy(ls);
	}
}

/* Counters that drift once are compared from the new difference on; a DUT
 * whose registers cannot be put back stops the run as by default. */
static void test_carry_on_limits(void **state)
{
	struct mmu_config c = load("fpga");
	struct faulty_spec sp = { .kind = FAULTY_COUNTER, .at = 4000 };
	struct machine *ls = carry_on(&c, faulty_new(&c, mem_for(&c), &sp));
	struct mmu_req r = { .va = 0x1000, .op = MMU_LOAD, .size = 1 };
	struct mmu_outcome o;
	struct lockstep_stats st;
	struct regress_gen *g = NULL;

	(void)state;
	lockstep_check_counters_every(ls, 100);
	g = traffic(ls, 4);
	assert_int_equal(regress_gen_run(g, STEPS), 0);
	assert_int_equal(lockstep_check_counters(ls), 0);
	lockstep_stats(ls, &st);
	assert_int_equal(st.mismatches, 1);
	assert_string_equal(lockstep_mismatch(ls)->field, "counters.tlb_hits");
	printf("lockstep: carry-on: a counter off by one is reported once, "
	       "then compared from the new difference (%llu counter checks)\n",
	       (unsigned long long)st.counter_checks);
	regress_gen_free(g);
	machine_destroy(ls);

	c = load("x86");
	sp = (struct faulty_spec){ .kind = FAULTY_REGS_CR3, .at = 4500 };
	ls = carry_on(&c, faulty_new(&c, mem_for(&c), &sp));
	g = traffic(ls, 3);
	assert_int_equal(regress_gen_run(g, STEPS), MMU_EBACKEND);
	assert_non_null(strstr(ls->err, "could not be resynchronised"));
	lockstep_stats(ls, &st);
	assert_int_equal(st.mismatches, 1);
	assert_int_equal(st.resyncs, 0);
	assert_int_equal(machine_access(ls, &r, &o), MMU_EBACKEND);
	assert_non_null(strstr(ls->err, "stopped"));
	printf("lockstep: carry-on: a DUT that cannot be resynchronised stops "
	       "the run: %s\n", lockstep_mismatch(ls)->field);
	regress_gen_free(g);
	machine_destroy(ls);
}

/* ---- construction ----------------------------------------------------------- */

static void test_create_errors(void **state)
{
	struct mmu_config x = load("x86"), f = load("fpga");
	struct machine *ls = NULL, *g;
	char err[256];

	(void)state;
	/* ownership: whatever was passed is destroyed (LeakSanitizer checks) */
	assert_int_equal(lockstep_create(golden(&x), NULL, &ls, err, sizeof(err)),
			 MMU_EINVAL);
	g = golden(&x);
	assert_int_equal(lockstep_create(g, g, &ls, err, sizeof(err)), MMU_EINVAL);
	assert_int_equal(lockstep_create(golden(&x), golden(&f), &ls, err,
					 sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "configuration key"));
	assert_int_equal(golden_create(&x, 8ull << 20, &g, err, sizeof(err)), 0);
	assert_int_equal(lockstep_create(golden(&x), g, &ls, err, sizeof(err)),
			 MMU_EINVAL);
	assert_non_null(strstr(err, "memory size"));
	assert_null(ls);
	/* the functions refuse other machines */
	g = golden(&x);
	assert_false(lockstep_is(g));
	assert_null(lockstep_mismatch(g));
	assert_int_equal(lockstep_check_memory(g), MMU_EINVAL);
	assert_int_equal(lockstep_check_counters(g), MMU_EINVAL);
	assert_int_equal(lockstep_on_mismatch(g, on_mismatch, NULL), MMU_EINVAL);
	machine_destroy(g);
	ls = pair(golden(&x), golden(&x));
	for (int i = 0; i < LOCKSTEP_MAX_HOOKS; i++)
		assert_int_equal(lockstep_on_mismatch(ls, on_mismatch, NULL), 0);
	assert_int_equal(lockstep_on_mismatch(ls, on_mismatch, NULL), MMU_EINVAL);
	machine_destroy(ls);
	printf("lockstep: creation checks (distinct machines, same configuration "
	       "and memory) and non-lockstep machines refused\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_vs_golden),
		cmocka_unit_test(test_calls_counted_time_ignored),
		cmocka_unit_test(test_faulty_dut_caught),
		cmocka_unit_test(test_dut_error_reported),
		cmocka_unit_test(test_memory_byte_at_final_check),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_agreed_errors_pass_through),
		cmocka_unit_test(test_carry_on_counts),
		cmocka_unit_test(test_carry_on_resyncs_state),
		cmocka_unit_test(test_carry_on_limits),
		cmocka_unit_test(test_create_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
