/* SPDX-License-Identifier: MIT */
/*
 * The RTL behind slow and uncooperative memory: the same seeded random mix
 * (mappings, entry edits, accesses, control operations, physical-path
 * traffic, bursts past the end of memory that answer DECERR) on every
 * configuration, with DRAM read/write latencies from 0 to 20 cycles and
 * random back-pressure on every AXI channel from 0 % to 90 %.  Outcomes,
 * memory and counters must match the golden model, and the AXI slave's
 * protocol checks must stay silent.
 */
#include "pair.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

static const struct rtl_opts variants[] = {
	{ .rd_latency = 0, .wr_latency = 0, .backpressure_pct = 0, .seed = 1 },
	{ .rd_latency = 3, .wr_latency = 1, .backpressure_pct = 0, .seed = 2 },
	{ .rd_latency = 0, .wr_latency = 0, .backpressure_pct = 30, .seed = 3 },
	{ .rd_latency = 7, .wr_latency = 5, .backpressure_pct = 50, .seed = 4 },
	{ .rd_latency = 20, .wr_latency = 20, .backpressure_pct = 10, .seed = 5 },
	{ .rd_latency = 1, .wr_latency = 2, .backpressure_pct = 90, .seed = 6 },
};

static void run(const char *cfg, uint64_t mem, unsigned ops)
{
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct machine *m = pair_new(cfg, mem, &variants[v]);
		struct mmu_counters c;

		pair_random(m, 1000 + v, ops);
		machine_counters(m, &c);
		printf("rtl axi: %s, DRAM latency r%u/w%u, back-pressure %u%%: %lu outcomes "
		       "equal; %llu fills, %llu write-backs, %llu page faults, %llu walks "
		       "in %llu cycles\n",
		       cfg, variants[v].rd_latency, variants[v].wr_latency,
		       variants[v].backpressure_pct, pair_compared(m),
		       (unsigned long long)c.line_fills, (unsigned long long)c.writebacks,
		       (unsigned long long)c.page_faults, (unsigned long long)c.walks,
		       (unsigned long long)c.cycles);
		pair_finish(m);
	}
}

static void test_x86(void **state)
{
	(void)state;
	run("x86", 8ull << 20, 3000);
}

static void test_fpga(void **state)
{
	(void)state;
	run("fpga", 0, 3000);
}

static void test_csapp(void **state)
{
	(void)state;
	run("csapp", 0, 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86),
		cmocka_unit_test(test_fpga),
		cmocka_unit_test(test_csapp),
	};

	return cmocka_run_group_tests_name("rtl axi", tests, NULL, NULL);
}
