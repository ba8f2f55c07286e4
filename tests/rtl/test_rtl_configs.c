/* SPDX-License-Identifier: MIT */
/*
 * The RTL back end as a whole: rtl_create refuses what the hardware was not
 * built for (an overridden parameter, an unknown configuration, a bad
 * memory size) with a message naming the culprit; the CS:APP 9.6.4
 * translations on the csapp RTL; seeded random traffic on every
 * configuration; FST waveforms, whole-run and as a rolling window.
 */
#include "pair.h"
#include "../golden/ptb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static void expect_refusal(const struct mmu_config *cfg, uint64_t mem,
			   const char *needle)
{
	struct machine *m = NULL;
	char err[256] = "";
	int rc = rtl_create(cfg, mem, NULL, &m, err, sizeof(err));

	assert_int_equal(rc, MMU_EINVAL);
	assert_null(m);
	if (!strstr(err, needle))
		fail_msg("rtl_create message '%s' does not mention '%s'", err, needle);
	printf("rtl config: refused: %s\n", err);
}

static void test_create_refusals(void **state)
{
	struct mmu_config cfg;
	char err[256];
	struct machine *m;

	(void)state;
	assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
	assert_int_equal(mmu_config_set(&cfg, "tlb_ways", "8", err, sizeof(err)), 0);
	expect_refusal(&cfg, 0, "tlb_ways");
	assert_int_equal(mmu_config_load("fpga", &cfg, err, sizeof(err)), 0);
	assert_int_equal(mmu_config_set(&cfg, "psc_entries", "2", err, sizeof(err)), 0);
	expect_refusal(&cfg, 0, "psc_entries");
	assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
	snprintf(cfg.name, sizeof(cfg.name), "mine");
	expect_refusal(&cfg, 0, "no RTL model for configuration 'mine'");
	assert_int_equal(mmu_config_load("csapp", &cfg, err, sizeof(err)), 0);
	expect_refusal(&cfg, 100, "memory size");
	/* The memory size is a run-time choice, not an override. */
	assert_int_equal(rtl_create(&cfg, 2048, NULL, &m, err, sizeof(err)), 0);
	assert_true(rtl_is_rtl(m));
	assert_int_equal(m->mem_bytes, 2048);
	machine_destroy(m);
	printf("rtl config: models built: %s\n", rtl_models());
}

/* CS:APP 3e, Figure 9.20(b): the first 16 PTEs (VPN -> PPN, valid). */
static const struct { uint8_t ppn, valid; } fig_pt[16] = {
	{ 0x28, 1 }, { 0x00, 0 }, { 0x33, 1 }, { 0x02, 1 },
	{ 0x00, 0 }, { 0x16, 1 }, { 0x00, 0 }, { 0x00, 0 },
	{ 0x13, 1 }, { 0x17, 1 }, { 0x09, 1 }, { 0x00, 0 },
	{ 0x00, 0 }, { 0x2D, 1 }, { 0x11, 1 }, { 0x0D, 1 },
};

/* The book's translations: 9.6.4, practice 9.4, homework 9.11-9.13. */
static const struct { uint64_t va, pa; bool fault; } book[] = {
	{ 0x03d4, 0x354, false }, { 0x03d7, 0x357, false }, { 0x027c, 0x5fc, false },
	{ 0x03a9, 0x469, false }, { 0x0040, 0, true },
};

static void test_csapp_textbook(void **state)
{
	struct machine *m = pair_new("csapp", 0, NULL);
	struct ptb p;

	(void)state;
	/* The 1 KiB table in frames 0x1C..0x2B, as in tests/golden. */
	ptb_init(&p, m, 0x700);
	for (unsigned v = 0; v < 16; v++)
		if (fig_pt[v].valid)
			ptb_map(&p, (uint64_t)v << 6, (uint64_t)fig_pt[v].ppn << 6, 1,
				PTE_RW | PTE_US, 0);
	for (unsigned round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(book) / sizeof(book[0]); i++) {
			struct mmu_outcome o = acc(m, MMU_LOAD, book[i].va, 1, true, 0);

			if (book[i].fault) {
				assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
				assert_int_equal(o.error_code, PFEC_US);
				assert_int_equal(o.cr2, book[i].va);
			} else {
				assert_int_equal(o.status, MMU_ST_OK);
				assert_int_equal(o.pa, book[i].pa);
				if (round == 1)
					assert_true(o.tlb_hit);
			}
		}
	printf("rtl config: csapp: CS:APP 9.6.4, 9.4, 9.11-9.13 translated by the RTL "
	       "(PA, #PF with CR2), then again from the TLB\n");
	pair_finish(m);
}

static void test_random_all_configs(void **state)
{
	static const char *const cfgs[] = { "x86", "fpga", "csapp" };

	(void)state;
	for (size_t i = 0; i < 3; i++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct machine *m = pair_new(cfgs[i], cfgs[i][0] == 'x' ? 16ull << 20 : 0,
						    NULL);

			pair_random(m, seed * 7919, 4000);
			printf("rtl config: %s seed %llu: %lu random operations equal\n",
			       cfgs[i], (unsigned long long)seed, pair_compared(m));
			pair_finish(m);
		}
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

static void test_waveforms(void **state)
{
	char dir[] = "/tmp/rtl_waves_XXXXXX", path[256], out[256], prev[256];
	struct rtl_opts o = { .trace_path = path };
	struct machine *m;
	struct ptb p;
	off_t whole;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Whole run. */
	snprintf(path, sizeof(path), "%s/run.fst", dir);
	m = pair_new("fpga", 0, &o);
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, 0x10000000, 0x200000, 1, PTE_RW, PTE_RW);
	acc(m, MMU_STORE, 0x10000000, 8, false, 5);
	pair_finish(m);
	whole = file_size(path);
	assert_true(whole > 1000);
	/* Rolling window: 200-cycle segments, then the window before "now". */
	o.trace_window = 200;
	snprintf(path, sizeof(path), "%s/roll.fst", dir);
	m = pair_new("fpga", 0, &o);
	ptb_init(&p, m, 0x1000);
	ptb_map(&p, 0x10000000, 0x200000, 1, PTE_RW, PTE_RW);
	for (unsigned i = 0; i < 40; i++)
		acc(m, MMU_STORE, 0x10000000 + 64 * i, 8, false, i);
	snprintf(out, sizeof(out), "%s/mismatch.fst", dir);
	snprintf(prev, sizeof(prev), "%s/mismatch.prev.fst", dir);
	assert_int_equal(rtl_dump_window(lockstep_dut(m), out), 0);
	assert_true(file_size(out) > 0);
	assert_true(file_size(prev) > 1000);
	acc(m, MMU_LOAD, 0x10000000, 8, false, 0);
	pair_finish(m);
	printf("rtl config: FST waveforms: whole run (%lld bytes); rolling 200-cycle "
	       "window dumped as %lld + %lld bytes before 'now'\n",
	       (long long)whole, (long long)file_size(prev),
	       (long long)file_size(out));
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_refusals),
		cmocka_unit_test(test_csapp_textbook),
		cmocka_unit_test(test_random_all_configs),
		cmocka_unit_test(test_waveforms),
	};

	return cmocka_run_group_tests_name("rtl configs", tests, NULL, NULL);
}
