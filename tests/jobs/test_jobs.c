/* SPDX-License-Identifier: MIT */
/*
 * The parallel work-item runner (sw/jobs): every item's result reaches the
 * parent whole and under its own index, whatever the number of workers
 * and the order the items finish in, results larger than a pipe's buffer
 * included; in-process (1 worker) and forked runs deliver the same bytes;
 * a child that crashes or exits with an error comes back as an error for
 * its item alone; the item really runs in another process.
 */
#include "../../sw/jobs/jobs.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define N_ITEMS 24
#define BIG 300000  /* bytes: several times a pipe's buffer */

struct got {
	unsigned calls[N_ITEMS];
	size_t len[N_ITEMS];
	uint32_t sum[N_ITEMS];
	char err[N_ITEMS][160];
	pid_t pid[N_ITEMS];
	pid_t parent;
	int crash_item, fail_item;
};

/* Item i: i * 12345 bytes (some bigger than a pipe), a pattern of i; its
 * process id first. */
static int item(void *ctx, unsigned i, struct jobs_buf *out)
{
	struct got *g = ctx;
	pid_t me = getpid();
	size_t n = (size_t)i * 12345 % BIG;

	if ((int)i == g->crash_item)
		raise(SIGKILL);
	if ((int)i == g->fail_item)
		return 1;
	if (jobs_buf_put(out, &me, sizeof(me)))
		return 1;
	for (size_t k = 0; k < n; k++) {
		char c = (char)(i + k);

		if (jobs_buf_put(out, &c, 1))
			return 1;
	}
	return 0;
}

static void done(void *ctx, unsigned i, const void *res, size_t len,
		 const char *err)
{
	struct got *g = ctx;
	const unsigned char *p = res;

	g->calls[i]++;
	if (err) {
		snprintf(g->err[i], sizeof(g->err[i]), "%s", err);
		return;
	}
	assert_true(len >= sizeof(pid_t));
	memcpy(&g->pid[i], p, sizeof(pid_t));
	g->len[i] = len - sizeof(pid_t);
	for (size_t k = sizeof(pid_t); k < len; k++)
		g->sum[i] = g->sum[i] * 31 + p[k];
}

static void run(struct got *g, unsigned workers)
{
	struct jobs_opts o = { .workers = workers, .item = item, .done = done,
			       .ctx = g };
	char err[256];

	g->parent = getpid();
	assert_int_equal(jobs_run(&o, N_ITEMS, err, sizeof(err)), 0);
}

static struct got fresh(void)
{
	return (struct got){ .crash_item = -1, .fail_item = -1 };
}

static void test_same_results_any_workers(void **state)
{
	static struct got one, two, many;

	(void)state;
	one = fresh();
	two = fresh();
	many = fresh();
	run(&one, 1);
	run(&two, 2);
	run(&many, 7);
	for (unsigned i = 0; i < N_ITEMS; i++) {
		assert_int_equal(one.calls[i], 1);
		assert_int_equal(two.calls[i], 1);
		assert_int_equal(many.calls[i], 1);
		assert_int_equal(one.len[i], (size_t)i * 12345 % BIG);
		assert_int_equal(two.len[i], one.len[i]);
		assert_int_equal(many.len[i], one.len[i]);
		assert_int_equal(two.sum[i], one.sum[i]);
		assert_int_equal(many.sum[i], one.sum[i]);
		/* in-process with 1 worker, another process otherwise */
		assert_int_equal(one.pid[i], one.parent);
		assert_int_not_equal(two.pid[i], two.parent);
		assert_int_not_equal(many.pid[i], many.parent);
	}
	printf("jobs: %d items, results up to %d bytes, identical with 1, 2 "
	       "and 7 workers\n", N_ITEMS, BIG);
}

static void test_dead_child_is_its_item_error(void **state)
{
	static struct got g;

	(void)state;
	g = fresh();
	g.crash_item = 5;
	g.fail_item = 9;
	run(&g, 3);
	for (unsigned i = 0; i < N_ITEMS; i++) {
		assert_int_equal(g.calls[i], 1);
		if (i == 5)
			assert_non_null(strstr(g.err[i], "killed by signal"));
		else if (i == 9)
			assert_non_null(strstr(g.err[i], "exited with status"));
		else
			assert_int_equal(g.err[i][0], 0);
	}
	printf("jobs: a killed child and a failing item are errors of their "
	       "items only (\"%s\")\n", g.err[5]);
}

/* A head and three parts (one empty, one with NUL-free text bigger than a
 * pipe) come back whole through a forked run; every cut-short or
 * lengthened copy of the bytes is refused, with nothing allocated. */
struct parts_got {
	struct { unsigned i; double v; } head;
	char *part[3];
	int rc;
};

static int parts_item(void *ctx, unsigned i, struct jobs_buf *out)
{
	static char big[BIG];
	struct { unsigned i; double v; } head = { i, i * 0.5 };
	const char *part[3] = { "fail\ttext\n", "", big };
	size_t len[3] = { strlen(part[0]), 0, sizeof(big) - 1 };

	(void)ctx;
	memset(big, 'a' + (int)i, sizeof(big) - 1);
	return jobs_buf_put_parts(out, &head, sizeof(head), part, len, 3);
}

static void parts_done(void *ctx, unsigned i, const void *res, size_t len,
		       const char *err)
{
	struct parts_got *g = (struct parts_got *)ctx + i;

	assert_null(err);
	g->rc = jobs_get_parts(res, len, &g->head, sizeof(g->head), g->part, 3);
	/* one byte short, one byte more: not a result of that shape */
	for (size_t cut = 0; cut < 40 && cut < len; cut += 7) {
		char *p[3] = { NULL, NULL, NULL };

		assert_int_equal(jobs_get_parts(res, len - 1 - cut, &g->head,
						sizeof(g->head), p, 3), -1);
		assert_null(p[0]);
	}
	{
		char *more = malloc(len + 1), *p[3] = { NULL, NULL, NULL };

		assert_non_null(more);
		memcpy(more, res, len);
		more[len] = 'x';
		assert_int_equal(jobs_get_parts(more, len + 1, &g->head,
						 sizeof(g->head), p, 3), -1);
		free(more);
	}
}

static void test_parts(void **state)
{
	static struct parts_got g[4];
	struct jobs_opts o = { .workers = 2, .item = parts_item,
			       .done = parts_done, .ctx = g };
	char err[256];

	(void)state;
	assert_int_equal(jobs_run(&o, 4, err, sizeof(err)), 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(g[i].rc, 0);
		assert_int_equal(g[i].head.i, i);
		assert_true(g[i].head.v == i * 0.5);
		assert_string_equal(g[i].part[0], "fail\ttext\n");
		assert_string_equal(g[i].part[1], "");
		assert_int_equal(strlen(g[i].part[2]), BIG - 1);
		assert_int_equal(g[i].part[2][BIG / 2], 'a' + (int)i);
		for (unsigned k = 0; k < 3; k++)
			free(g[i].part[k]);
	}
	printf("jobs: a head and 3 parts (empty, text, %d bytes) back whole "
	       "from 4 forked items; shorter and longer bytes refused\n",
	       BIG - 1);
}

static void test_cores(void **state)
{
	(void)state;
	assert_true(jobs_cores() >= 1 && jobs_cores() <= JOBS_MAX_WORKERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_results_any_workers),
		cmocka_unit_test(test_dead_child_is_its_item_error),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_cores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
