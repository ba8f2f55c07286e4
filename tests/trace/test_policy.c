/* SPDX-License-Identifier: MIT */
/*
 * Page-replacement simulators (sw/trace/policy.c): the textbook reference
 * strings (Silberschatz's 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 with 3
 * frames: FIFO 15, LRU 12, OPT 9; Belady's anomaly 1,2,3,4,1,2,5,1,2,3,4,5:
 * FIFO 9 faults with 3 frames, 10 with 4), every policy against a naive
 * reference implementation on random strings, and the properties that
 * must hold: OPT never loses, LRU and OPT are stack algorithms (more frames
 * never mean more faults), enough frames leave only cold misses.
 */
#include "../../sw/trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static unsigned checks;
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static uint64_t faults(const struct trace_refs *r, enum trace_policy p,
		       size_t frames)
{
	uint64_t f;

	assert_int_equal(trace_policy_faults(r, p, frames, &f), 0);
	return f;
}

static void refs(const uint64_t *pages, size_t n, struct trace_refs *r)
{
	assert_int_equal(trace_refs_from(pages, n, r), 0);
}

/* The reference string back as page numbers (from the scratch file). */
static void string(const struct trace_refs *r, uint64_t *out)
{
	uint32_t id;

	for (size_t i = 0; i < r->n; i++) {
		assert_int_equal(trace_refs_read(r, i, &id, 1), 0);
		assert_true(id < r->distinct);
		out[i] = r->page[id];
	}
}

static void textbook(void **state)
{
	(void)state;
	static const uint64_t s1[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2,
				       1, 2, 0, 1, 7, 0, 1 };
	static const uint64_t s2[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	/* frames 1..5: FIFO, LRU, CLOCK, OPT */
	static const uint64_t w1[5][4] = {
		{ 20, 20, 20, 20 }, { 15, 17, 15, 13 }, { 15, 12, 14, 9 },
		{ 10, 8, 9, 8 }, { 9, 7, 9, 7 } };
	static const uint64_t w2[5][4] = {
		{ 12, 12, 12, 12 }, { 12, 12, 12, 9 }, { 9, 10, 9, 7 },
		{ 10, 8, 10, 6 }, { 5, 5, 5, 5 } };
	static const enum trace_policy pol[4] = {
		TRACE_POL_FIFO, TRACE_POL_LRU, TRACE_POL_CLOCK, TRACE_POL_OPT };
	struct trace_refs r;

	refs(s1, 20, &r);
	CHECK_EQ(r.n, 20);
	CHECK_EQ(r.distinct, 6);
	CHECK_EQ(faults(&r, TRACE_POL_FIFO, 3), 15);
	CHECK_EQ(faults(&r, TRACE_POL_LRU, 3), 12);
	CHECK_EQ(faults(&r, TRACE_POL_OPT, 3), 9);
	for (size_t f = 1; f <= 5; f++)
		for (int p = 0; p < 4; p++)
			CHECK_EQ(faults(&r, pol[p], f), w1[f - 1][p]);
	trace_refs_free(&r);

	refs(s2, 12, &r);
	/* Belady's anomaly: FIFO faults more with more frames */
	CHECK_EQ(faults(&r, TRACE_POL_FIFO, 3), 9);
	CHECK_EQ(faults(&r, TRACE_POL_FIFO, 4), 10);
	for (size_t f = 1; f <= 5; f++)
		for (int p = 0; p < 4; p++)
			CHECK_EQ(faults(&r, pol[p], f), w2[f - 1][p]);
	trace_refs_free(&r);
	/* no frames: refused */
	uint64_t x;

	refs(s2, 12, &r);
	CHECK_EQ(trace_policy_faults(&r, TRACE_POL_LRU, 0, &x), -1);
	trace_refs_free(&r);
	printf("textbook: 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 with 3 "
	       "frames: FIFO 15, LRU 12, CLOCK 14, OPT 9\n");
}

/* ---- naive references ---------------------------------------------------------- */

static uint64_t naive(const uint64_t *s, size_t n, enum trace_policy p,
		      size_t frames)
{
	uint64_t fr[64], f = 0;
	size_t used = 0, hand = 0, stamp[64];
	int ref[64];

	for (size_t i = 0; i < n; i++) {
		size_t k, v = 0;

		for (k = 0; k < used && fr[k] != s[i]; k++)
			;
		if (k < used) {
			if (p == TRACE_POL_LRU)
				stamp[k] = i;
			ref[k] = 1;
			continue;
		}
		f++;
		if (used < frames) {
			fr[used] = s[i];
			stamp[used] = i;
			ref[used++] = 1;
			continue;
		}
		switch (p) {
		case TRACE_POL_FIFO:
		case TRACE_POL_LRU:
			for (k = 1; k < used; k++)
				if (stamp[k] < stamp[v])
					v = k;
			break;
		case TRACE_POL_CLOCK:
			while (ref[hand]) {
				ref[hand] = 0;
				hand = (hand + 1) % frames;
			}
			v = hand;
			hand = (hand + 1) % frames;
			break;
		case TRACE_POL_OPT: {
			size_t best = 0;

			for (k = 0; k < used; k++) {
				size_t j;

				for (j = i + 1; j < n && s[j] != fr[k]; j++)
					;
				if (j > best) {
					best = j;
					v = k;
				}
			}
			break;
		}
		}
		fr[v] = s[i];
		stamp[v] = i;
		ref[v] = 1;
	}
	return f;
}

static uint64_t rng = 0x1234567887654321ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void against_naive(void **state)
{
	(void)state;
	uint64_t s[400], str[400];

	for (int round = 0; round < 300; round++) {
		size_t n = 1 + rnd() % 400, pages = 1 + rnd() % 24;
		struct trace_refs r;
		uint64_t prev_lru = UINT64_MAX, prev_opt = UINT64_MAX;

		/* some locality: runs and a hot set */
		for (size_t i = 0; i < n; i++)
			s[i] = (rnd() & 1) && i ? s[i - 1] + (rnd() % 3)
						 : rnd() % pages;
		refs(s, n, &r);
		string(&r, str);
		for (size_t f = 1; f <= 26; f++) {
			uint64_t fi = faults(&r, TRACE_POL_FIFO, f);
			uint64_t lr = faults(&r, TRACE_POL_LRU, f);
			uint64_t cl = faults(&r, TRACE_POL_CLOCK, f);
			uint64_t op = faults(&r, TRACE_POL_OPT, f);

			CHECK_EQ(fi, naive(str, r.n, TRACE_POL_FIFO, f));
			CHECK_EQ(lr, naive(str, r.n, TRACE_POL_LRU, f));
			CHECK_EQ(cl, naive(str, r.n, TRACE_POL_CLOCK, f));
			CHECK_EQ(op, naive(str, r.n, TRACE_POL_OPT, f));
			/* OPT is optimal; stack algorithms never get worse */
			CHECK(op <= fi && op <= lr && op <= cl);
			CHECK(lr <= prev_lru && op <= prev_opt);
			CHECK(op >= r.distinct);
			if (f >= r.distinct)
				CHECK(fi == r.distinct && lr == r.distinct &&
				      cl == r.distinct && op == r.distinct);
			prev_lru = lr;
			prev_opt = op;
		}
		trace_refs_free(&r);
	}
}

/* A string longer than the policies' read blocks (16384 references): the
 * block boundaries change nothing. */
static void long_string(void **state)
{
	(void)state;
	enum { N = 40000 };
	static uint64_t s[N], str[N];
	static const enum trace_policy pol[4] = {
		TRACE_POL_FIFO, TRACE_POL_LRU, TRACE_POL_CLOCK, TRACE_POL_OPT };
	struct trace_refs r;

	for (size_t i = 0; i < N; i++)
		s[i] = (rnd() & 3) && i ? s[i - 1] + 1 + rnd() % 2 : rnd() % 40;
	refs(s, N, &r);
	CHECK(r.n > 16384 * 2);
	string(&r, str);
	for (size_t f = 3; f <= 33; f += 10)
		for (int p = 0; p < 4; p++)
			CHECK_EQ(faults(&r, pol[p], f), naive(str, r.n, pol[p], f));
	printf("a %zu-reference string to %zu pages: the four policies "
	       "equal the naive ones\n", r.n, r.distinct);
	trace_refs_free(&r);
}

/* Consecutive repeats collapse; a trace's pieces become page numbers. */
static void from_trace(void **state)
{
	(void)state;
	static const uint64_t s[] = { 5, 5, 5, 6, 6, 5, 7, 7 };
	const char *txt = "I  1000,4\n L 1008,8\n S 2000,8\n I  1004,4\n"
			  " L 5,1\n L 7ffffffff000,8\n";
	struct trace_refs r;
	struct trace *t;
	struct trace_diags d;
	struct trace_layout lay = { .min_addr = 0x1000,
				    .max_addr = 0x7ffffffff000 };

	uint64_t str[8];
	uint32_t id[4];

	refs(s, 8, &r);
	CHECK_EQ(r.n, 4);
	CHECK_EQ(r.distinct, 3);
	string(&r, str);
	CHECK(str[0] == 5 && str[1] == 6 && str[2] == 5 && str[3] == 7);
	CHECK_EQ(trace_refs_read(&r, 0, id, 4), 0);
	CHECK(id[0] == id[2] && id[0] != id[1] && id[3] == 2);
	CHECK_EQ(trace_refs_read(&r, 2, id, 3), -1); /* past the end */
	trace_refs_free(&r);

	assert_int_equal(trace_parse(txt, strlen(txt), "x.lackey", NULL, &t,
				     &d), 0);
	CHECK_EQ(trace_refs_build(t, NULL, 12, &r), 0);
	/* 1 1 2 1 0 0x7ffffffff: collapsed to 1 2 1 0 7ffffffff */
	CHECK_EQ(r.n, 5);
	trace_refs_free(&r);
	CHECK_EQ(trace_refs_build(t, &lay, 12, &r), 0);
	/* outside user space dropped: 1 2 1 */
	CHECK_EQ(r.n, 3);
	CHECK_EQ(r.distinct, 2);
	trace_refs_free(&r);
	trace_free(t);
	CHECK(!strcmp(trace_policy_str(TRACE_POL_OPT), "OPT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textbook),
		cmocka_unit_test(against_naive),
		cmocka_unit_test(long_string),
		cmocka_unit_test(from_trace),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_policy: %u checks\n", checks);
	return rc;
}
