/* SPDX-License-Identifier: MIT */
/*
 * The trace parsers (sw/trace/parse.c): lackey and din records become the
 * documented naturally aligned pieces (M = load then store, din labels 3
 * and 4, sizes split at alignment boundaries); valgrind's own lines are
 * skipped; every malformed line is reported as file:line with what was
 * found and what was expected; record limits; gzip input through
 * `gzip -dc`; and random, truncated and mutated input never crashes the
 * parser (this binary runs under ASan/UBSan).
 */
#include "../../sw/trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static unsigned checks;
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)
#define CHECK_MSG(c, ...) do { if (!(c)) fail_msg(__VA_ARGS__); checks++; } while (0)

static struct trace *parse_ok(const char *origin, const char *text)
{
	struct trace *t;
	struct trace_diags d;

	if (trace_parse(text, strlen(text), origin, NULL, &t, &d))
		fail_msg("unexpected parse error: %s", d.count ? d.msg[0] : "?");
	checks++;
	return t;
}

/* Parse must fail; the first message must contain every fragment. */
static void parse_bad(const char *origin, const char *text, ...)
{
	struct trace *t;
	struct trace_diags d;
	va_list ap;
	const char *frag;

	CHECK_EQ(trace_parse(text, strlen(text), origin, NULL, &t, &d), -1);
	CHECK(t == NULL);
	CHECK(d.count >= 1);
	va_start(ap, text);
	while ((frag = va_arg(ap, const char *)))
		CHECK_MSG(strstr(d.msg[0], frag), "message '%s' lacks '%s'",
			  d.msg[0], frag);
	va_end(ap);
}

static void ref_is(const struct trace *t, size_t i, enum trace_op op,
		   uint64_t addr, unsigned size)
{
	CHECK_MSG(i < t->n, "piece %zu missing (%zu pieces)", i, t->n);
	CHECK_MSG(t->ref[i].op == op && t->ref[i].addr == addr &&
		  t->ref[i].size == size,
		  "piece %zu: op %u addr %#llx size %u, expected op %u addr "
		  "%#llx size %u", i, t->ref[i].op,
		  (unsigned long long)t->ref[i].addr, t->ref[i].size, op,
		  (unsigned long long)addr, size);
}

static void lackey_records(void **state)
{
	(void)state;
	struct trace *t = parse_ok("ls.lackey",
		"==7111== Lackey, an example Valgrind tool\n"
		"==7111== Command: ls -l /usr/bin\n"
		"==7111== \n"
		"I  0401ab70,3\n"
		" S 1fff000618,8\n"
		" L 04022e20,8\n"
		" M 0421d2b0,4\n"
		"I  0x401000,1\r\n"
		"\n"
		"--7111-- a valgrind debug line\n"
		"==7111== Exit code:       0\n");

	CHECK_EQ(t->format, TRACE_FMT_LACKEY);
	CHECK(!strcmp(t->name, "ls"));
	CHECK_EQ(t->records, 5);
	CHECK_EQ(t->lines, 11);
	CHECK_EQ(t->skipped_lines, 6);
	/* 3 bytes at an aligned address: 2 + 1 */
	ref_is(t, 0, TRACE_FETCH, 0x0401ab70, 2);
	ref_is(t, 1, TRACE_FETCH, 0x0401ab72, 1);
	ref_is(t, 2, TRACE_STORE, 0x1fff000618, 8);
	ref_is(t, 3, TRACE_LOAD, 0x04022e20, 8);
	ref_is(t, 4, TRACE_LOAD, 0x0421d2b0, 4);   /* M: load ... */
	ref_is(t, 5, TRACE_STORE, 0x0421d2b0, 4);  /* ... then store */
	ref_is(t, 6, TRACE_FETCH, 0x401000, 1);
	CHECK_EQ(t->n, 7);
	CHECK_EQ(t->split_records, 1);
	trace_free(t);
}

static void din_records(void **state)
{
	(void)state;
	struct trace *t = parse_ok("gcc.din",
		"2 0 \n"
		"0 1000 a comment\n"
		"0 70f60888\n"
		"2 2cb5\n"
		"1 70f60890\n"
		"3 1234\n"
		"4 0\n"
		"  1\t0x70f6088c\n");

	CHECK_EQ(t->format, TRACE_FMT_DIN);
	CHECK_EQ(t->records, 8);
	CHECK_EQ(t->misc_records, 1);
	CHECK_EQ(t->flushes, 1);
	ref_is(t, 0, TRACE_FETCH, 0, 4);
	ref_is(t, 1, TRACE_LOAD, 0x1000, 4);
	ref_is(t, 2, TRACE_LOAD, 0x70f60888, 4);
	/* 4 bytes at 0x2cb5: 1 + 2 + 1 */
	ref_is(t, 3, TRACE_FETCH, 0x2cb5, 1);
	ref_is(t, 4, TRACE_FETCH, 0x2cb6, 2);
	ref_is(t, 5, TRACE_FETCH, 0x2cb8, 1);
	ref_is(t, 6, TRACE_STORE, 0x70f60890, 4);
	ref_is(t, 7, TRACE_FLUSH, 0, 0);
	ref_is(t, 8, TRACE_STORE, 0x70f6088c, 4);
	CHECK_EQ(t->n, 9);
	trace_free(t);

	/* din_size: 8-byte accesses */
	struct trace_parse_opts o = { .din_size = 8 };
	struct trace_diags d;

	CHECK_EQ(trace_parse("0 1003\n", 7, "x.din", &o, &t, &d), 0);
	ref_is(t, 0, TRACE_LOAD, 0x1003, 1);
	ref_is(t, 1, TRACE_LOAD, 0x1004, 4);
	ref_is(t, 2, TRACE_LOAD, 0x1008, 2);
	ref_is(t, 3, TRACE_LOAD, 0x100a, 1);
	CHECK_EQ(t->n, 4);
	trace_free(t);
}

struct pieces {
	uint64_t a[64];
	unsigned s[64], n;
};

static void collect(void *ctx, uint64_t addr, unsigned size)
{
	struct pieces *p = ctx;

	p->a[p->n] = addr;
	p->s[p->n++] = size;
}

static void splitting(void **state)
{
	(void)state;
	static const struct {
		uint64_t addr, size;
		unsigned n, sizes[8];
	} cases[] = {
		{ 0x1000, 8, 1, { 8 } },
		{ 0x1000, 16, 2, { 8, 8 } },
		{ 0x1001, 8, 4, { 1, 2, 4, 1 } },
		{ 0x1003, 4, 3, { 1, 2, 1 } },
		{ 0x1006, 4, 2, { 2, 2 } },
		{ 0x1004, 8, 2, { 4, 4 } },
		{ 0x1007, 2, 2, { 1, 1 } },
		{ 0x1000, 3, 2, { 2, 1 } },
		{ 0x1000, 32, 4, { 8, 8, 8, 8 } },
		{ 0x1ffe, 4, 2, { 2, 2 } },             /* crosses a page: split */
		{ 0x1000, 0, 0, { 0 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pieces p = { .n = 0 };
		uint64_t at = cases[i].addr, total = 0;
		unsigned n = trace_split(cases[i].addr, cases[i].size, collect,
					 &p);

		CHECK_EQ(n, p.n);
		/* contiguous, naturally aligned, at most 8, covering the access */
		for (unsigned k = 0; k < p.n; k++) {
			CHECK_EQ(p.a[k], at);
			CHECK(p.s[k] == 1 || p.s[k] == 2 || p.s[k] == 4 ||
			      p.s[k] == 8);
			CHECK_EQ(p.a[k] % p.s[k], 0);
			at += p.s[k];
			total += p.s[k];
		}
		CHECK_EQ(total, cases[i].size);
		CHECK_EQ(n, cases[i].n);
		for (unsigned k = 0; k < p.n; k++)
			CHECK_EQ(p.s[k], cases[i].sizes[k]);
	}
	/* exhaustive: every address mod 16 and size 1..24 */
	for (uint64_t a = 0x2000; a < 0x2010; a++)
		for (uint64_t s = 1; s <= 24; s++) {
			struct pieces q = { .n = 0 };
			uint64_t sum = 0;

			trace_split(a, s, collect, &q);
			for (unsigned k = 0; k < q.n; k++) {
				sum += q.s[k];
				/* never crosses an 8-byte boundary */
				CHECK_EQ(q.a[k] / 8, (q.a[k] + q.s[k] - 1) / 8);
			}
			CHECK_EQ(sum, s);
		}
}

static void lackey_errors(void **state)
{
	(void)state;
	parse_bad("t.lackey", "I  1000,4\n X 1000,4\n", "t.lackey:2:",
		  "unknown record 'X 1000,4'", "expected a lackey record",
		  NULL);
	parse_bad("t.lackey", " L 1000\n", "t.lackey:1:",
		  "after the address", "expected ','", NULL);
	parse_bad("t.lackey", " L zz,4\n", "t.lackey:1:", "'zz,4'",
		  "expected a hexadecimal address", NULL);
	parse_bad("t.lackey", " L 1000,\n", "t.lackey:1:",
		  "the end of the line", "expected a decimal size", NULL);
	parse_bad("t.lackey", " L 1000,0\n", "size 0 out of range",
		  "expected 1..4096", NULL);
	parse_bad("t.lackey", " L 1000,99999999999999999999\n",
		  "out of range", "expected 1..4096", NULL);
	parse_bad("t.lackey", " L 1000,4 x\n", "'x'",
		  "expected the end of the line", NULL);
	parse_bad("t.lackey", " L1000,4\n", "after 'L'",
		  "expected white space", NULL);
	parse_bad("t.lackey", " S 11112222333344445,8\n",
		  "does not fit in 64 bits", NULL);
	parse_bad("t.lackey", " S fffffffffffffffc,8\n", "wraps", NULL);
	parse_bad("t.lackey", "I  1000,4\n\x01\xff\n", "t.lackey:2:",
		  "'\\x01\\xff'", NULL);
	/* a din line in a lackey file */
	parse_bad("t.lackey", "I  1000,4\n0 1000\n", "t.lackey:2:",
		  "unknown record '0 1000'", NULL);
	/* every malformed line is counted, the first 20 kept */
	struct trace *t;
	struct trace_diags d;
	char many[4096] = "";

	for (int i = 0; i < 30; i++)
		strcat(many, " Q 1,1\n");
	CHECK_EQ(trace_parse(many, strlen(many), "m.lackey", NULL, &t, &d), -1);
	CHECK_EQ(d.count, 30);
	CHECK(strstr(d.msg[19], "m.lackey:20:"));
}

static void din_errors(void **state)
{
	(void)state;
	parse_bad("t.din", "0 1000\n7 1000\n", "t.din:2:", "label '7'",
		  "expected 0 (read)", NULL);
	parse_bad("t.din", "0\n", "t.din:1:", "after the label",
		  "hexadecimal address", NULL);
	parse_bad("t.din", "0 xyz\n", "t.din:1:", "'xyz'",
		  "expected a hexadecimal address", NULL);
	parse_bad("t.din", "0 12g4\n", "'g4'", "rest of a din line is a "
		  "comment", NULL);
	parse_bad("t.din", "r 1000\n", "'r 1000'", "expected a din record",
		  NULL);
	parse_bad("t.din", "01 1000\n1x 10\n", "t.din:2:", "after the label",
		  NULL);
	/* format not given, content not recognisable */
	parse_bad("t.txt", "hello\n", "t.txt:1:", "cannot tell the format",
		  "*.lackey or *.din", NULL);
	/* size option out of range */
	struct trace_parse_opts o = { .din_size = 5000 };
	struct trace *t;
	struct trace_diags d;

	CHECK_EQ(trace_parse("0 1\n", 4, "x.din", &o, &t, &d), -1);
	CHECK(strstr(d.msg[0], "out of range"));
}

static void detection_and_limits(void **state)
{
	(void)state;
	struct trace *t;
	struct trace_diags d;
	struct trace_parse_opts o = { .max_records = 3 };
	const char *txt = "I  1000,4\n L 2000,8\n S 2008,8\n L 3000,4\n";

	/* auto: from the content */
	t = parse_ok("noext", txt);
	CHECK_EQ(t->format, TRACE_FMT_LACKEY);
	CHECK_EQ(t->records, 4);
	CHECK(!t->truncated);
	trace_free(t);
	t = parse_ok("noext2", "0 10\n1 20\n");
	CHECK_EQ(t->format, TRACE_FMT_DIN);
	trace_free(t);
	/* the record limit */
	CHECK_EQ(trace_parse(txt, strlen(txt), "x.lackey", &o, &t, &d), 0);
	CHECK_EQ(t->records, 3);
	CHECK(t->truncated);
	CHECK_EQ(t->n, 3);
	trace_free(t);
	/* a malformed line beyond the limit is never read */
	CHECK_EQ(trace_parse("I  1,1\n L 2,1\n L 3,1\n junk\n", 25, "y.lackey",
			     &o, &t, &d), 0);
	trace_free(t);
	/* names */
	CHECK_EQ(trace_format_of_name("a/b/ls.lackey.gz"), TRACE_FMT_LACKEY);
	CHECK_EQ(trace_format_of_name("x.din"), TRACE_FMT_DIN);
	CHECK_EQ(trace_format_of_name("x.txt"), TRACE_FMT_AUTO);
	t = parse_ok("dir/sort.din.gz", "0 1\n");
	CHECK(!strcmp(t->name, "sort"));
	trace_free(t);
	/* empty input: an empty trace */
	t = parse_ok("e.lackey", "");
	CHECK_EQ(t->n, 0);
	trace_free(t);
}

static void files(void **state)
{
	(void)state;
	char dir[] = "/tmp/trace_test_XXXXXX", path[256], cmd[600];
	struct trace *t;
	struct trace_diags d;
	struct trace_parse_opts o = { .max_records = 1000 };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/big.lackey", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fprintf(f, "==1== header\n");
	for (int i = 0; i < 50000; i++)
		fprintf(f, " L %x,8\n", 0x10000 + 8 * (i % 4096));
	fclose(f);
	CHECK_EQ(trace_load(path, NULL, &t, &d), 0);
	CHECK_EQ(t->records, 50000);
	trace_free(t);
	/* gzip: the same content, and the limit stops reading early */
	snprintf(cmd, sizeof(cmd), "gzip -k '%s'", path);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/big.lackey.gz", dir);
	CHECK_EQ(trace_load(path, NULL, &t, &d), 0);
	CHECK_EQ(t->records, 50000);
	CHECK(!strcmp(t->name, "big"));
	trace_free(t);
	CHECK_EQ(trace_load(path, &o, &t, &d), 0);
	CHECK_EQ(t->records, 1000);
	CHECK(t->truncated);
	trace_free(t);
	/* a file that is not gzip */
	snprintf(path, sizeof(path), "%s/bad.lackey.gz", dir);
	f = fopen(path, "w");
	fputs(" L 1000,4\n", f);
	fclose(f);
	CHECK_EQ(trace_load(path, NULL, &t, &d), -1);
	CHECK_MSG(strstr(d.msg[d.count - 1], "gzip -dc failed"), "%s",
		  d.msg[d.count - 1]);
	/* missing file, a folder */
	CHECK_EQ(trace_load("/nonexistent/x.lackey", NULL, &t, &d), -1);
	CHECK(strstr(d.msg[0], "/nonexistent/x.lackey: cannot open"));
	CHECK_EQ(trace_load(dir, NULL, &t, &d), -1);
	CHECK(strstr(d.msg[0], "not a regular file"));
	/* a malformed line in a file: its line number */
	snprintf(path, sizeof(path), "%s/err.din", dir);
	f = fopen(path, "w");
	fputs("0 10\n1 20\n9 30\n", f);
	fclose(f);
	CHECK_EQ(trace_load(path, NULL, &t, &d), -1);
	CHECK(strstr(d.msg[0], "err.din:3: label '9'"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}

struct same_ctx {
	const struct trace *mem;
	uint64_t seen, stop_at;
};

static int same_piece(void *ctx, const struct trace_ref *x, uint64_t i)
{
	struct same_ctx *c = ctx;

	CHECK(i == c->seen && i < c->mem->n);
	CHECK(x->addr == c->mem->ref[i].addr && x->op == c->mem->ref[i].op &&
	      x->size == c->mem->ref[i].size);
	c->seen++;
	return c->stop_at && c->seen == c->stop_at ? 7 : 0;
}

static int count_piece(void *ctx, const struct trace_ref *x, uint64_t i)
{
	(void)x;
	*(uint64_t *)ctx = i + 1;
	return 0;
}

/* A loaded trace is streamed: no pieces in memory, and each walk of the
 * file gives the pieces trace_parse gives for the same text; a walk can
 * stop; a file changed under the trace is reported. */
static void streamed(void **state)
{
	(void)state;
	char dir[] = "/tmp/trace-test-XXXXXX", path[300], cmd[400], err[300];
	struct trace_parse_opts o = { .max_records = 700 };
	struct trace *t, *m;
	struct trace_diags d;
	size_t len = 0;
	char *text = NULL;
	FILE *f, *mem = open_memstream(&text, &len);

	CHECK(mkdtemp(dir) != NULL && mem != NULL);
	for (int i = 0; i < 3000; i++)
		fprintf(mem, "%s %x,%d\n", i % 3 ? " S" : "I ",
			0x10000 + 5 * i, 1 + i % 13);
	fclose(mem);
	snprintf(path, sizeof(path), "%s/s.lackey", dir);
	f = fopen(path, "w");
	CHECK(f && fwrite(text, 1, len, f) == len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip -k '%s'", path);
	CHECK_EQ(system(cmd), 0);
	for (int gz = 0; gz < 2; gz++)
		for (int lim = 0; lim < 2; lim++) {
			struct same_ctx c = { 0 };

			snprintf(path, sizeof(path), "%s/s.lackey%s", dir,
				 gz ? ".gz" : "");
			CHECK_EQ(trace_load(path, lim ? &o : NULL, &t, &d), 0);
			CHECK_EQ(trace_parse(text, len, "s.lackey",
					     lim ? &o : NULL, &m, &d), 0);
			CHECK(t->ref == NULL && t->n == m->n && t->n > 3000 / (lim ? 5 : 1));
			c.mem = m;
			CHECK_EQ(trace_each(t, same_piece, &c, err, sizeof(err)), 0);
			CHECK(c.seen == m->n);
			c.seen = 0;
			c.stop_at = 10;
			CHECK_EQ(trace_each(t, same_piece, &c, err, sizeof(err)), 7);
			CHECK(c.seen == 10);
			trace_free(m);
			if (gz || lim) {
				trace_free(t);
				continue;
			}
			f = fopen(path, "a");
			fputs(" L 2000,8\n", f);
			fclose(f);
			CHECK_EQ(trace_each(t, count_piece, &c.seen, err,
					    sizeof(err)), -1);
			CHECK_MSG(strstr(err, "the file changed"), "%s", err);
			trace_free(t);
		}
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
	printf("trace_load streams: walks of a file (plain, gzip, limited) "
	       "give trace_parse's pieces; a walk stops; a changed file is "
	       "reported\n");
}

/* The shipped traces parse (the job runs them offline). */
static void shipped(void **state)
{
	(void)state;
	static const char *const names[] = { "tests/traces/ls-usr-bin.lackey.gz" };
	struct trace_parse_opts o = { .max_records = 20000 };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct trace *t;
		struct trace_diags d;

		if (access(names[i], R_OK)) {
			printf("(%s not found: run from the repository root)\n",
			       names[i]);
			continue;
		}
		CHECK_MSG(trace_load(names[i], &o, &t, &d) == 0, "%s",
			  d.msg[0]);
		CHECK_EQ(t->records, 20000);
		CHECK(t->n >= 20000);
		trace_free(t);
	}
}

/* ---- fuzz ------------------------------------------------------------------------ */

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fuzz_one(const char *origin, const char *buf, size_t n)
{
	struct trace *t = NULL;
	struct trace_diags d;
	int rc = trace_parse(buf, n, origin, NULL, &t, &d);

	if (rc == 0) {
		CHECK(t != NULL);
		for (size_t i = 0; i < t->n; i++)
			CHECK(t->ref[i].op == TRACE_FLUSH ||
			      (t->ref[i].size && t->ref[i].size <= 8 &&
			       t->ref[i].addr % t->ref[i].size == 0));
		trace_free(t);
	} else {
		CHECK(t == NULL);
		CHECK(d.count > 0);
		CHECK_MSG(!strncmp(d.msg[0], origin, strlen(origin)),
			  "bad message: %s", d.msg[0]);
	}
}

static void fuzz(void **state)
{
	(void)state;
	static const char lackey_seed[] =
		"==1== hdr\nI  0401ab70,3\n S 1fff000618,8\n L 04022e20,16\n"
		" M 0421d2b3,4\nI  401000,15\n";
	static const char din_seed[] =
		"2 0\n0 1000 c\n1 70f60890\n3 1\n4 0\n2 2cb5\n";
	static const char alphabet[] = "ILSM0123456789abcdefx, \t\n=-";
	static const char *const origins[] = { "f.lackey", "f.din", "f" };
	char buf[512];

	for (int i = 0; i < 4000; i++) {
		size_t n = rnd() % sizeof(buf);

		for (size_t j = 0; j < n; j++)
			buf[j] = (rnd() & 3) ? alphabet[rnd() % (sizeof(alphabet) - 1)]
					     : (char)(rnd() & 0xff);
		fuzz_one(origins[i % 3], buf, n);
	}
	for (int s = 0; s < 2; s++) {
		const char *seed = s ? din_seed : lackey_seed;
		size_t sn = strlen(seed);

		for (size_t n = 0; n <= sn; n++)
			fuzz_one(origins[s], seed, n);
		for (int i = 0; i < 4000; i++) {
			size_t n = sn;

			memcpy(buf, seed, sn);
			for (int k = 0; k < 1 + (int)(rnd() % 4); k++) {
				size_t at = rnd() % n;

				switch (rnd() % 3) {
				case 0:
					buf[at] = (char)(rnd() & 0xff);
					break;
				case 1:
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = alphabet[rnd() % (sizeof(alphabet) - 1)];
					n++;
					break;
				default:
					memmove(buf + at, buf + at + 1, n - at - 1);
					n--;
				}
				if (!n)
					break;
			}
			fuzz_one(origins[(s + i) % 3], buf, n);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lackey_records),
		cmocka_unit_test(din_records),
		cmocka_unit_test(splitting),
		cmocka_unit_test(lackey_errors),
		cmocka_unit_test(din_errors),
		cmocka_unit_test(detection_and_limits),
		cmocka_unit_test(files),
		cmocka_unit_test(streamed),
		cmocka_unit_test(shipped),
		cmocka_unit_test(fuzz),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_parse (trace): %u checks\n", checks);
	return rc;
}
