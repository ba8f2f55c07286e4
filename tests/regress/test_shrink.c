/* SPDX-License-Identifier: MIT */
/*
 * Failure shrinking (sw/regress stream.c, shrink.c): a seed run against a
 * DUT with a broken rule (CR0.WP ignored, backend_opts.inject_no_wp) fails;
 * its calls are recorded up to the mismatch, ddmin keeps a handful that
 * fail the same way (same field) and no single one of them can go; the
 * kept calls pass on a correct DUT, round-trip through a stream file and
 * still fail from it; a malformed stream is refused with its line.
 */
#include "../../sw/regress/regress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static struct mmu_config cfg;

static struct regress_seed_opts opts(bool broken)
{
	char err[256];

	assert_int_equal(mmu_config_load("x86", &cfg, err, sizeof(err)), 0);
	return (struct regress_seed_opts){
		.backend = "lockstep-self",  /* no RTL in the unit tests */
		.bo = { .inject_no_wp = broken }, .cfg = &cfg,
		.steps = 20000 };
}

static int replay(const struct regress_seed_opts *o,
		  const struct regress_stream *s, const bool *keep,
		  char *field)
{
	char err[512];

	field[0] = 0;
	return regress_replay(o, 2, s, keep, false, field, 48, err,
			      sizeof(err));
}

static void test_shrink_broken_wp(void **state)
{
	struct regress_seed_opts o = opts(true), good = opts(false);
	struct regress_result *r = malloc(sizeof(*r));
	struct regress_stream *s, *back;
	char err[512], field[48], path[] = "/tmp/test_shrink_XXXXXX";
	size_t kept = 0;
	unsigned replays;
	bool *keep;
	FILE *f;
	int fd;

	(void)state;
	assert_int_not_equal(regress_run_seed(&o, 2, r), 0);
	assert_true(r->mismatch);
	assert_string_equal(r->mm_field, "status");
	assert_int_equal(regress_record(&o, 2, r->mm_call, &s, err,
					sizeof(err)), 0);
	assert_int_equal(s->n, r->mm_call);
	assert_int_equal(replay(&o, s, NULL, field), 1);
	assert_string_equal(field, "status");
	keep = calloc(s->n, sizeof(*keep));
	assert_int_equal(regress_shrink(&o, 2, s, "status", false, keep,
					&replays, err, sizeof(err)), 0);
	for (size_t i = 0; i < s->n; i++)
		kept += keep[i];
	assert_true(kept >= 2 && kept < s->n / 10);
	assert_int_equal(replay(&o, s, keep, field), 1);
	assert_string_equal(field, "status");
	/* 1-minimal: without any one kept call it no longer fails so */
	for (size_t i = 0; i < s->n; i++)
		if (keep[i]) {
			keep[i] = false;
			assert_true(replay(&o, s, keep, field) != 1 ||
				    strcmp(field, "status"));
			keep[i] = true;
		}
	/* the rule, not the calls: a correct DUT passes them */
	assert_int_equal(replay(&good, s, keep, field), 0);
	printf("shrink: x86 seed 2 with CR0.WP ignored: from %zu calls to %zu "
	       "(%s differs, %u replays); 1-minimal; passes on a correct DUT\n",
	       s->n, kept, field[0] ? field : "status", replays);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(regress_stream_write(s, keep, "test\nsecond line", f),
			 0);
	fclose(f);
	assert_int_equal(regress_stream_read(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back->n, kept);
	assert_int_equal(replay(&o, back, NULL, field), 1);
	assert_string_equal(field, "status");
	printf("shrink: the %zu-call stream file replays to the same mismatch\n",
	       back->n);
	regress_stream_free(back);
	remove(path);
	free(keep);
	regress_stream_free(s);
	free(r);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Reading path must fail with `want` in the message. */
static void refused(const char *path, const char *text, const char *want)
{
	struct regress_stream *s;
	char err[512];

	put(path, text);
	assert_int_equal(regress_stream_read(path, &s, err, sizeof(err)),
			 MMU_EINVAL);
	assert_non_null(strstr(err, want));
	printf("stream: refused: %s\n", err);
}

static void test_stream_errors(void **state)
{
	char path[] = "/tmp/test_stream_XXXXXX", err[512];
	struct regress_stream *s;
	struct regress_seed_opts o = opts(false);
	unsigned replays;
	bool keep[2];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	refused(path, "# mmu stream v1\nctl cr3 0x1000 0 0 0\n"
		"access sup poke 4 0 0\n", ":3: expected 'access sup|user");
	refused(path, "# mmu stream v1\nphys_write 0x2000 zz\n",
		":2: bad hex bytes");
	refused(path, "ctl cr3 0x1000 0 0 0\n", ":1: not a stream file");
	/* a stream that passes cannot be shrunk */
	put(path, "# mmu stream v1\nctl cr3 0x1000 0 0 0\nmem_peek 0 8\n");
	assert_int_equal(regress_stream_read(path, &s, err, sizeof(err)), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(regress_shrink(&o, 1, s, "status", false, keep,
					&replays, err, sizeof(err)),
			 REGRESS_ECHECK);
	assert_non_null(strstr(err, "does not fail with a mismatch of status"));
	printf("stream: a passing stream: %s\n", err);
	regress_stream_free(s);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_broken_wp),
		cmocka_unit_test(test_stream_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
