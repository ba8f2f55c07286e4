/* SPDX-License-Identifier: MIT */
/*
 * Course mode on the RTL: mmu_top's debug port writes and reads back the
 * TLB and L1 arrays of every configuration, compared with the golden model
 * in lockstep (also after real fills by accesses); the CS:APP 9.6.4
 * exercise loaded into the RTL's arrays and into both machines in lockstep,
 * with the book's answers marked right; the RTL's FSM states logged per
 * cycle during a walk.
 */
#include "../golden/ptb.h"
#include "../../sim/rtl_machine.h"
#include "../../sw/course/course.h"
#include "../../sw/golden/golden.h"
#include "../../sw/lockstep/lockstep.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define EXAMPLE "examples/course/csapp-9.6.4.ex"

static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static struct machine *open_m(const char *name, bool lockstep)
{
	struct mmu_config cfg;
	struct machine *g, *r, *ls;
	char err[512];

	assert_int_equal(mmu_config_load(name, &cfg, err, sizeof(err)), 0);
	if (rtl_create(&cfg, 0, NULL, &r, err, sizeof(err)))
		fail_msg("%s", err);
	if (!lockstep)
		return r;
	assert_int_equal(golden_create(&cfg, 0, &g, err, sizeof(err)), 0);
	if (lockstep_create(g, r, &ls, err, sizeof(err)))
		fail_msg("%s", err);
	return ls;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random slots written in both machines; every slot read back and compared
 * (lockstep refuses a difference); then accesses fill both and the arrays
 * are compared again. */
static void test_debug_port(void **state)
{
	const char *cfgs[] = { "csapp", "x86", "fpga" };
	unsigned slots = 0;

	(void)state;
	checks = 0;
	for (size_t i = 0; i < 3; i++) {
		struct machine *m = open_m(cfgs[i], true);
		const struct mmu_config *c = &m->cfg;
		uint64_t s = 0x9604 + i;
		struct course_snap snap;
		char err[512];

		for (unsigned k = 0; k < 64; k++) {
			unsigned set = (unsigned)(rnd(&s) % c->tlb_sets);
			unsigned way = (unsigned)(rnd(&s) % c->tlb_ways);
			struct mmu_tlb_slot e = {
				.valid = rnd(&s) & 1,
				.vpn = (rnd(&s) & ((1ull << c->vpn_bits) - 1) & ~(c->tlb_sets - 1)) | set,
				.ppn = rnd(&s) & ((1ull << c->ppn_bits) - 1),
				.pcid = c->pcid ? (uint16_t)(rnd(&s) & 0xfff) : 0,
				.level = 1, .global = rnd(&s) & 1, .rw = rnd(&s) & 1,
				.us = rnd(&s) & 1, .xd = rnd(&s) & 1, .dirty = rnd(&s) & 1,
				.pkey = (uint8_t)(rnd(&s) % PTE_NPKEYS),
			};
			struct mmu_line_slot l = { .valid = true, .dirty = rnd(&s) & 1,
						   .tag = rnd(&s) & ((1ull << c->l1_tag_bits) - 1) };
			unsigned lset = (unsigned)(rnd(&s) % c->l1_sets);
			unsigned lway = (unsigned)(rnd(&s) % c->l1_ways);

			for (unsigned b = 0; b < c->l1_line; b++)
				l.data[b] = (uint8_t)rnd(&s);
			if (machine_tlb_write(m, set, way, &e) ||
			    machine_line_write(m, lset, lway, &l))
				fail_msg("%s", m->err);
			slots += 2;
		}
		if (course_snap_take(m, &snap, err, sizeof(err)))
			fail_msg("%s: %s", cfgs[i], err);
		course_snap_free(&snap);
		checks++;
		/* Real fills: drop everything, map 8 pages, access each; then
		 * again after a TLB read and after an L1 read on the debug
		 * port (a command's kind stays registered and must not act
		 * once the command is over): a TLB hit, then an L1 hit. */
		CHECK_EQ(machine_cache_op(m, MMU_CTL_INVAL_ALL, 0), 0);
		const uint64_t ps = 1ull << c->page_shift;
		struct ptb p;

		ptb_init(&p, m, ps);
		for (unsigned k = 1; k <= 8; k++)
			ptb_map(&p, k * ps, m->mem_bytes / 2 + k * ps, 1,
				PTE_RW, PTE_RW);
		for (unsigned k = 1; k <= 8; k++) {
			struct mmu_req rq = { .va = k * ps, .op = MMU_LOAD,
					      .size = 1, .user = false };
			struct mmu_outcome o;
			struct mmu_tlb_slot e;
			struct mmu_line_slot l;

			if (machine_access(m, &rq, &o) ||
			    machine_tlb_read(m, (k + 1) % c->tlb_sets, 0, &e) ||
			    machine_access(m, &rq, &o))
				fail_msg("%s", m->err);
			CHECK_EQ(o.status, MMU_ST_OK);
			CHECK_EQ(o.tlb_hit, true);
			if (machine_line_read(m, (k + 1) % c->l1_sets, 0, &l) ||
			    machine_access(m, &rq, &o))
				fail_msg("%s", m->err);
			CHECK_EQ(o.l1_hit, true);
		}
		if (course_snap_take(m, &snap, err, sizeof(err)))
			fail_msg("%s after accesses: %s", cfgs[i], err);
		course_snap_free(&snap);
		checks++;
		machine_destroy(m);
	}
	printf("rtl course: debug port of mmu_top: %u random TLB/L1 slot writes on "
	       "csapp, x86, fpga; every slot read back equal to the golden model, "
	       "also after fills by walks; TLB and L1 hits right after debug reads (%u checks)\n", slots, checks);
}

struct logctx {
	struct machine *rtl;
	struct rtl_fsm_log *log;
};

static void log_start(void *ctx)
{
	struct logctx *l = ctx;

	l->log->n = 0;
	rtl_set_fsm_log(l->rtl, l->log);
}

static void log_stop(void *ctx, struct course_result *r)
{
	struct logctx *l = ctx;

	(void)r;
	rtl_set_fsm_log(l->rtl, NULL);
}

static unsigned run_example(struct machine *m, struct course_cycles *walk_cycles)
{
	struct course_ex *ex;
	char err[512];
	unsigned right = 0, wrong = 0;
	FILE *null = fopen("/dev/null", "w");
	struct rtl_fsm_log *log = calloc(1, sizeof(*log));
	struct machine *rtl = rtl_is_rtl(m) ? m : lockstep_dut(m);

	struct logctx lc = { rtl, log };
	const struct course_hooks hooks = { log_start, log_stop, &lc };

	assert_non_null(log);
	if (course_parse_file(EXAMPLE, &ex, err, sizeof(err)) ||
	    course_load(m, ex, err, sizeof(err)))
		fail_msg("%s", err);
	for (unsigned i = 0; i < ex->n_acc; i++) {
		struct course_result r;

		if (course_run_access(m, &ex->acc[i], &hooks, &r, err, sizeof(err)))
			fail_msg("%s", err);
		wrong += course_mark(&ex->acc[i], &r, null, &right);
		if (ex->acc[i].req.va == 0x027c && walk_cycles) {
			walk_cycles->n = log->n;
			for (unsigned k = 0; k < log->n && k < COURSE_MAX_CYCLES; k++)
				rtl_fsm_names(log->fsm[k], &walk_cycles->top[k],
					      &walk_cycles->ptw[k], &walk_cycles->l1[k]);
		}
		course_result_free(&r);
	}
	CHECK_EQ(wrong, 0);
	fclose(null);
	free(log);
	course_free(ex);
	return right;
}

static bool seen(const struct course_cycles *c, const char *ptw, const char *l1)
{
	for (unsigned k = 0; k < c->n && k < COURSE_MAX_CYCLES; k++)
		if (!strcmp(c->ptw[k], ptw) && !strcmp(c->l1[k], l1))
			return true;
	return false;
}

static void test_example_rtl(void **state)
{
	struct course_cycles cyc = { 0 };
	struct machine *m;
	unsigned right;

	(void)state;
	checks = 0;
	m = open_m("csapp", false);
	right = run_example(m, &cyc);
	CHECK_EQ(right, 56);
	/* 0x027c: the walker reads (WRead, WCompare), its PTE line is filled
	 * (FVictim, FRead while WFill), A is written (WWrite).  24 cycles as
	 * mmucourse shows it (docs/course.md); a registered hit stage adds its
	 * stage-L cycle and an SRelook to each of the two replays (after the
	 * walk, after the data line's fill). */
	CHECK_EQ(cyc.n, 24 + 3 * m->cfg.hit_stage);
	machine_destroy(m);
	CHECK_EQ(seen(&cyc, "WRead", "FIdle"), 1);
	CHECK_EQ(seen(&cyc, "WCompare", "FIdle"), 1);
	CHECK_EQ(seen(&cyc, "WFill", "FVictim"), 1);
	CHECK_EQ(seen(&cyc, "WWrite", "FIdle"), 1);
	m = open_m("csapp", true);
	right = run_example(m, NULL);
	CHECK_EQ(right, 56);
	machine_destroy(m);
	printf("rtl course: %s in the RTL's arrays and in lockstep: the book's 56 "
	       "answers right on both; the walk of 0x027c logged %u cycles of "
	       "FSM states (WRead, WCompare, WFill/FVictim, WWrite) (%u checks)\n",
	       EXAMPLE, cyc.n, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debug_port),
		cmocka_unit_test(test_example_rtl),
	};

	return cmocka_run_group_tests_name("rtl_course", tests, NULL, NULL);
}
