/* SPDX-License-Identifier: MIT */
/*
 * The AXI4 slave + DRAM model (sim/axi_dram.c) on its own, driven from C
 * by a scripted master: read latency, DECERR past memory, and each protocol
 * check firing on a deliberately broken master (the RTL never breaks them,
 * so only this test shows the checks work).
 */
#include "../../sim/axi_dram.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define BUS 8
#define INCR 1
#define SIZE8 3

struct bench {
	struct axi_dram d;
	struct rtl_in in;
	struct rtl_out out;
};

static void open_dram(struct bench *b, unsigned rd_latency)
{
	struct axi_dram_opts o = { .rd_latency = rd_latency, .seed = 1 };

	memset(b, 0, sizeof(*b));
	assert_int_equal(axi_dram_init(&b->d, 1u << 16, BUS, &o), 0);
}

/* One cycle: the slave drives, the master's outputs (b->out) are sampled. */
static void cycle(struct bench *b)
{
	axi_dram_drive(&b->d, &b->in);
	axi_dram_clock(&b->d, &b->in, &b->out);
}

static void set_ar(struct bench *b, uint64_t addr, unsigned len)
{
	b->out.arvalid = 1;
	b->out.araddr = addr;
	b->out.arlen = (uint8_t)len;
	b->out.arsize = SIZE8;
	b->out.arburst = INCR;
}

static void test_read_latency_and_decerr(void **state)
{
	struct bench b;
	uint64_t word = 0x1122334455667788ull;
	unsigned waited = 0, beats = 0;

	(void)state;
	open_dram(&b, 5);
	assert_int_equal(physmem_write(&b.d.mem, 0x100, &word, 8), 0);
	set_ar(&b, 0x100, 1);
	cycle(&b);                      /* AR accepted (no back-pressure) */
	b.out.arvalid = 0;
	b.out.rready = 1;
	for (;;) {
		axi_dram_drive(&b.d, &b.in);
		if (b.in.rvalid)
			break;
		axi_dram_clock(&b.d, &b.in, &b.out);
		waited++;
	}
	assert_int_equal(waited, 5);
	assert_int_equal(b.in.rdata, word);
	assert_int_equal(b.in.rresp, 0);
	assert_int_equal(b.in.rlast, 0);
	axi_dram_clock(&b.d, &b.in, &b.out);
	cycle(&b);
	assert_true(b.in.rvalid && b.in.rlast);
	/* A burst past the end of memory: DECERR on every beat. */
	b.out.rready = 0;
	cycle(&b);
	set_ar(&b, 1u << 16, 1);
	cycle(&b);
	b.out.arvalid = 0;
	b.out.rready = 1;
	for (unsigned i = 0; i < 20 && beats < 2; i++) {
		axi_dram_drive(&b.d, &b.in);
		if (b.in.rvalid) {
			assert_int_equal(b.in.rresp, 3);
			beats++;
		}
		axi_dram_clock(&b.d, &b.in, &b.out);
	}
	assert_int_equal(beats, 2);
	assert_null(axi_dram_error(&b.d));
	printf("axi_dram: first beat after the 5-cycle read latency, DECERR on both beats past memory\n");
	axi_dram_free(&b.d);
}

/* Each broken master, and the message the slave keeps. */
static void expect_violation(void (*script)(struct bench *), const char *needle)
{
	struct bench b;

	open_dram(&b, 0);
	script(&b);
	if (!axi_dram_error(&b.d) || !strstr(axi_dram_error(&b.d), needle))
		fail_msg("expected an AXI violation mentioning '%s', got '%s'", needle,
			 axi_dram_error(&b.d) ? axi_dram_error(&b.d) : "none");
	printf("axi_dram: caught: %s\n", axi_dram_error(&b.d));
	axi_dram_free(&b.d);
}

static void ar_changes_while_waiting(struct bench *b)
{
	/* 100 % back-pressure: ARREADY never rises, so the address must hold. */
	b->d.o.backpressure_pct = 100;
	set_ar(b, 0x40, 7);
	cycle(b);
	b->out.araddr = 0x80;
	cycle(b);
}

static void w_without_wlast(struct bench *b)
{
	b->out.awvalid = 1;
	b->out.awaddr = 0x200;
	b->out.awlen = 1;
	b->out.awsize = SIZE8;
	b->out.awburst = INCR;
	cycle(b);
	b->out.awvalid = 0;
	b->out.wvalid = 1;
	b->out.wstrb = 0xff;
	cycle(b);                       /* beat 1 of 2 */
	cycle(b);                       /* beat 2 of 2, WLAST missing */
}

static void crosses_4k(struct bench *b)
{
	set_ar(b, 0x0fc0, 15);          /* 16 x 8 bytes from 0xfc0 */
	cycle(b);
}

static void wrap_burst(struct bench *b)
{
	set_ar(b, 0x40, 3);
	b->out.arburst = 2;
	cycle(b);
}

static void test_protocol_checks(void **state)
{
	(void)state;
	expect_violation(ar_changes_while_waiting, "AR changed");
	expect_violation(w_without_wlast, "WLAST missing");
	expect_violation(crosses_4k, "crosses a 4 KiB boundary");
	expect_violation(wrap_burst, "only INCR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_latency_and_decerr),
		cmocka_unit_test(test_protocol_checks),
	};

	return cmocka_run_group_tests_name("axi_dram", tests, NULL, NULL);
}
