/* SPDX-License-Identifier: MIT */
/*
 * The scenario parser (sw/scenario): every statement form of the grammar in
 * docs/scenario-language.md parses into the statement and arguments it
 * names; expressions evaluate as documented; every malformed line is
 * reported with origin:line:col, the token and what was expected; flags
 * print symbolically; random bytes, truncated and mutated scenarios
 * never crash the parser (this binary runs under ASan/UBSan); and what
 * parsing may allocate is capped for the whole program (--max-parse-mem).
 */
#include "../../sw/scenario/scn_int.h"

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

static struct scn_program *parse_ok(const char *text)
{
	struct scn_program *p;
	struct scn_diags d;

	if (scn_parse(text, strlen(text), "t.scn", &p, &d))
		fail_msg("unexpected parse error: %s", d.count ? d.msg[0] : "?");
	checks++;
	return p;
}

/* Parse must fail; the first message must contain every fragment. */
static void parse_bad(const char *text, ...)
{
	struct scn_program *p;
	struct scn_diags d;
	va_list ap;
	const char *frag;

	if (!scn_parse(text, strlen(text), "t.scn", &p, &d)) {
		scn_program_free(p);
		fail_msg("parsed but should not: %s", text);
	}
	CHECK(p == NULL);
	CHECK(d.count >= 1);
	va_start(ap, text);
	while ((frag = va_arg(ap, const char *)))
		CHECK_MSG(strstr(d.msg[0], frag), "message for [%s] lacks [%s]:\n%s", text,
			  frag, d.msg[0]);
	va_end(ap);
}

static const struct scn_stmt *stmt(const struct scn_program *p, unsigned i)
{
	assert_true(i < p->top.n);
	return p->top.v[i];
}

static uint64_t eval_arg(const struct scn_program *p, const struct scn_stmt *s,
			 unsigned i, uint64_t *vals, bool *set)
{
	struct scn_env env = { vals, set, 4096 };
	uint64_t v = 0;
	char err[128];

	assert_true(i < s->nargs && s->args[i].e);
	if (scn_eval(p, s->args[i].e, &env, &v, err, sizeof(err)))
		fail_msg("eval: %s", err);
	return v;
}

/* ---- every statement form -------------------------------------------------- */

static void test_statements(void **state)
{
	(void)state;
	const char *text =
		"# a comment line\n"
		"option mem 1M\n"
		"option swap 4M\n"
		"option ksm on\n"
		"\n"
		"$p = spawn\n"
		"switch $p\n"
		"$a = mmap 0 8192 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS expect ok\n"
		"mmap 0x10000000 4K PROT_NONE MAP_SHARED|MAP_FIXED 3 0x1000   # trailing comment\n"
		"munmap $a 4096 expect 0\n"
		"mprotect $a+4096 4096 PROT_READ expect EINVAL\n"
		"brk 0 expect 0x10000000\n"
		"madvise $a 8192 MADV_DONTNEED\n"
		"msync $a 8192 MS_SYNC|MS_INVALIDATE expect -ENOMEM\n"
		"file create data.bin 10000 seq\n"
		"file create \"with space\" 100 \"ab\"\n"
		"$fd = open data.bin O_RDWR\n"
		"write $fd 0 \"hello\\n\"\n"
		"read $fd 0 6 expect \"hello\\n\"\n"
		"truncate $fd 100\n"
		"fsync $fd\n"
		"sync\n"
		"close $fd expect EBADF\n"
		"check file data.bin 0 hex:00010203\n"
		"check size data.bin 10000\n"
		"check counter frames_in_use == 0\n"
		"check page $a present !swapped ref=1\n"
		"check\n"
		"load 8 $a+16 expect 0x1234\n"
		"store 4 ($a + 8) -1 expect SIGSEGV\n"
		"fetch 1 $a expect SIGBUS\n"
		"$c = fork\n"
		"exit $c\n"
		"execve /bin/true\n"
		"exit\n"
		"maps\n"
		"maps $p\n"
		"page $a\n"
		"counters\n"
		"ksm expect 1\n"
		"reclaim 10\n"
		"print $a \"text\"\n"
		"$x = $a * 2 + (3 << 4)\n"
		"repeat 3 $i {\n"
		"  store 8 $a+$i*8 $i expect OOM\n"
		"}\n";
	struct scn_program *p = parse_ok(text);
	static const enum scn_cmd want[] = {
		C_SPAWN, C_SWITCH, C_MMAP, C_MMAP, C_MUNMAP, C_MPROTECT, C_BRK,
		C_MADVISE, C_MSYNC, C_FILE_CREATE, C_FILE_CREATE, C_OPEN, C_WRITE,
		C_READ, C_TRUNCATE, C_FSYNC, C_SYNC, C_CLOSE, C_CHECK_FILE,
		C_CHECK_SIZE, C_CHECK_COUNTER, C_CHECK_PAGE, C_CHECK, C_LOAD,
		C_STORE, C_FETCH, C_FORK, C_EXIT, C_EXECVE, C_EXIT, C_MAPS, C_MAPS,
		C_PAGE, C_COUNTERS, C_KSM, C_RECLAIM, C_PRINT, C_LET, C_REPEAT,
	};
	struct scn_options o;

	CHECK_EQ(p->top.n, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < p->top.n; i++)
		CHECK_MSG(stmt(p, i)->cmd == want[i], "statement %u is %d, want %d", i,
			  stmt(p, i)->cmd, want[i]);
	CHECK_EQ(scn_program_statements(p), sizeof(want) / sizeof(want[0]) + 1);
	CHECK(!strcmp(scn_program_name(p), "t"));

	scn_program_options(p, &o);
	CHECK_EQ(o.set, SCN_OPT_MEM | SCN_OPT_SWAP | SCN_OPT_KSM);
	CHECK_EQ(o.mem_bytes, 1 << 20);
	CHECK_EQ(o.swap_bytes, 4 << 20);
	CHECK(o.ksm);

	/* mmap: four arguments, then the optional FD OFF group */
	const struct scn_stmt *m = stmt(p, 2);
	CHECK_EQ(m->nargs, 4);
	CHECK_EQ(m->var, 1);  /* $p is 0, $a is 1 */
	CHECK_EQ(m->args[2].kind, AK_PROT);
	CHECK_EQ(m->args[3].kind, AK_MAPF);
	CHECK_EQ(m->expect.kind, X_OK);
	CHECK_EQ(stmt(p, 3)->nargs, 6);
	CHECK_EQ(stmt(p, 3)->args[4].kind, AK_FD);
	CHECK_EQ(stmt(p, 3)->args[5].kind, AK_OFF);
	CHECK_EQ(stmt(p, 3)->line, 9);
	CHECK_EQ(stmt(p, 3)->args[1].col, 17);

	uint64_t vals[SCN_MAX_VARS] = { 0 };
	bool set[SCN_MAX_VARS] = { 0 };

	CHECK_EQ(eval_arg(p, stmt(p, 3), 1, vals, set), 4096);
	CHECK_EQ(eval_arg(p, stmt(p, 3), 2, vals, set), 0);
	CHECK_EQ(eval_arg(p, stmt(p, 3), 3, vals, set), 0x11);
	CHECK_EQ(eval_arg(p, stmt(p, 2), 2, vals, set), 3);
	CHECK_EQ(eval_arg(p, stmt(p, 2), 3, vals, set), 0x22);

	/* expectations */
	CHECK_EQ(stmt(p, 4)->expect.kind, X_VALUE);
	CHECK_EQ(stmt(p, 5)->expect.kind, X_ERRNO);
	CHECK_EQ(stmt(p, 5)->expect.code, 22);
	CHECK_EQ(stmt(p, 8)->expect.kind, X_ERRNO);
	CHECK_EQ(stmt(p, 8)->expect.code, 12);
	CHECK_EQ(stmt(p, 13)->expect.kind, X_BYTES);
	CHECK_EQ(stmt(p, 13)->expect.bytes.n, 6);
	CHECK(!memcmp(stmt(p, 13)->expect.bytes.p, "hello\n", 6));
	CHECK_EQ(stmt(p, 24)->expect.kind, X_SIGNAL);
	CHECK_EQ(stmt(p, 25)->expect.kind, X_SIGNAL);

	/* files, bytes and patterns */
	CHECK(!strcmp(stmt(p, 9)->args[0].str, "data.bin"));
	CHECK_EQ(stmt(p, 9)->args[2].pattern, SCN_PAT_SEQ);
	CHECK(!strcmp(stmt(p, 10)->args[0].str, "with space"));
	CHECK_EQ(stmt(p, 10)->args[2].pattern, SCN_PAT_BYTES);
	CHECK_EQ(stmt(p, 10)->args[2].bytes.n, 2);
	CHECK_EQ(stmt(p, 18)->args[2].bytes.n, 4);
	CHECK_EQ(stmt(p, 18)->args[2].bytes.p[3], 3);

	/* check counter / page */
	CHECK(!strcmp(stmt(p, 20)->args[0].str, "frames_in_use"));
	CHECK_EQ(stmt(p, 20)->args[1].cmp, SCN_CMP_EQ);
	CHECK_EQ(stmt(p, 21)->page_set, 1u << PG_PRESENT);
	CHECK_EQ(stmt(p, 21)->page_clear, 1u << PG_SWAPPED);
	CHECK_EQ(stmt(p, 21)->page_ref, 1);

	/* exit with and without a pid; maps with and without */
	CHECK_EQ(stmt(p, 27)->nargs, 1);
	CHECK_EQ(stmt(p, 29)->nargs, 0);
	CHECK_EQ(stmt(p, 30)->nargs, 0);
	CHECK_EQ(stmt(p, 31)->nargs, 1);

	/* print, let, repeat */
	CHECK_EQ(stmt(p, 36)->nargs, 2);
	CHECK_EQ(stmt(p, 36)->args[1].kind, AK_NAME);
	vals[1] = 0x1000;
	set[1] = true;
	CHECK_EQ(eval_arg(p, stmt(p, 37), 0, vals, set), 0x2000 + 48);
	const struct scn_stmt *r = stmt(p, 38);
	CHECK_EQ(r->body.n, 1);
	CHECK(r->loopvar >= 0);
	CHECK_EQ(r->body.v[0]->cmd, C_STORE);
	CHECK_EQ(r->body.v[0]->expect.kind, X_OOM);
	CHECK_EQ(r->body.v[0]->line, 45);
	scn_program_free(p);
}

static void test_maps_block(void **state)
{
	(void)state;
	struct scn_program *p = parse_ok(
		"$a = mmap 0x10000000 12288 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
		"maps {\n"
		"  10000000-10003000 r--p\n"
		"  0x10003000-10004000 rw-s 00001000 08:01 1234 /tmp/x (deleted)\n"
		"  ($a)-($a+0x1000) ---p 00000000 00:00 0 [heap]\n"
		"  # comments and blank lines are fine\n"
		"\n"
		"}\n"
		"maps 1 {\n"
		"}\n");
	const struct scn_stmt *m = stmt(p, 1);

	CHECK(m->maps_block);
	CHECK_EQ(m->nmaps, 3);
	CHECK(!strcmp(m->maps[0].perms, "r--p"));
	CHECK_EQ(m->maps[0].nfields, 0);
	CHECK_EQ(m->maps[0].start->num, 0x10000000);
	CHECK_EQ(m->maps[0].end->num, 0x10003000);
	CHECK_EQ(m->maps[1].nfields, 4);
	CHECK_EQ(m->maps[1].off, 0x1000);
	CHECK(!strcmp(m->maps[1].dev, "08:01"));
	CHECK_EQ(m->maps[1].inode, 1234);
	CHECK(!strcmp(m->maps[1].path, "/tmp/x (deleted)"));
	CHECK_EQ(m->maps[2].start->op, E_VAR);
	CHECK(!strcmp(m->maps[2].path, "[heap]"));
	CHECK_EQ(stmt(p, 2)->nmaps, 0);
	CHECK(stmt(p, 2)->maps_block);
	scn_program_free(p);

	parse_bad("maps {\n10000000 r--p\n}\n", "t.scn:2:1:", "START-END", NULL);
	parse_bad("maps {\n10000000-1000 rwx\n}\n", "t.scn:2:15:", "permissions", NULL);
	parse_bad("maps {\n1000-2000 rwxp zz\n}\n", "t.scn:2:16:", "hex file offset", NULL);
	parse_bad("maps {\n1000-2000 rwxp 0 0000\n}\n", "t.scn:2:18:", "MAJOR:MINOR", NULL);
	parse_bad("maps {\n1000-2000 rwxp 0 00:00 x1\n}\n", "t.scn:2:24:", "decimal inode", NULL);
	parse_bad("maps {\n1000-zz00 rwxp\n}\n", "t.scn:2:6:", "hex address", NULL);
	parse_bad("maps {\n1000-2000 rwxp\n", "t.scn:1:", "maps block", "not closed", NULL);
	parse_bad("maps expect ok\n", "t.scn:1:6:", "{ } block", NULL);
}

/* ---- expressions ---------------------------------------------------------------- */

static uint64_t eval_text(const char *expr)
{
	char text[256];
	struct scn_program *p;
	uint64_t vals[SCN_MAX_VARS] = { 7 };
	bool set[SCN_MAX_VARS] = { true };

	snprintf(text, sizeof(text), "$v = 7\n$x = %s\n", expr);
	p = parse_ok(text);
	uint64_t v = eval_arg(p, stmt(p, 1), 0, vals, set);

	scn_program_free(p);
	return v;
}

static void test_expressions(void **state)
{
	(void)state;
	CHECK_EQ(eval_text("1 + 2 * 3"), 7);
	CHECK_EQ(eval_text("(1 + 2) * 3"), 9);
	CHECK_EQ(eval_text("1 << 4 | 1"), 17);
	CHECK_EQ(eval_text("0xff & ~0xf"), 0xf0);
	CHECK_EQ(eval_text("10 - 3 - 2"), 5);
	CHECK_EQ(eval_text("100 / 7 % 5"), 4);
	CHECK_EQ(eval_text("-1"), UINT64_MAX);
	CHECK_EQ(eval_text("- -5"), 5);
	CHECK_EQ(eval_text("4K + 1M + 1G"), 1024 * 4 + (1 << 20) + (1ull << 30));
	CHECK_EQ(eval_text("2T"), 1ull << 41);
	CHECK_EQ(eval_text("0b1010 ^ 0b0110"), 12);
	CHECK_EQ(eval_text("0x7fff_f000"), 0x7ffff000);
	CHECK_EQ(eval_text("$v * PAGE_SIZE"), 7 * 4096);
	CHECK_EQ(eval_text("PROT_READ|PROT_EXEC"), 5);
	CHECK_EQ(eval_text("MAP_SHARED|MAP_FIXED_NOREPLACE"), 0x100001);
	CHECK_EQ(eval_text("1 << 64"), 0);
	CHECK_EQ(eval_text("0xffffffffffffffff + 2"), 1);
	CHECK_EQ(eval_text("18446744073709551615"), UINT64_MAX);

	/* runtime errors are values */
	struct scn_program *p = parse_ok("$z = 0\n$x = 5 / $z\n$y = 5 % $z\n$w = $z + 1\n");
	uint64_t vals[SCN_MAX_VARS] = { 0 }, v;
	bool set[SCN_MAX_VARS] = { true };
	struct scn_env env = { vals, set, 4096 };
	char err[128];

	CHECK_EQ(scn_eval(p, stmt(p, 1)->args[0].e, &env, &v, err, sizeof(err)), -1);
	CHECK(strstr(err, "division by zero"));
	CHECK_EQ(scn_eval(p, stmt(p, 2)->args[0].e, &env, &v, err, sizeof(err)), -1);
	set[0] = false;
	CHECK_EQ(scn_eval(p, stmt(p, 3)->args[0].e, &env, &v, err, sizeof(err)), -1);
	CHECK(strstr(err, "$z has no value"));
	scn_program_free(p);
}

/* ---- errors: file:line:col, token, what was expected ------------------------------- */

static void test_errors(void **state)
{
	(void)state;
	parse_bad("mmap 0 4096 PROT_RAED MAP_PRIVATE\n", "t.scn:1:13:",
		  "'PROT_RAED'", "did you mean PROT_READ?", "protection flags", NULL);
	parse_bad("mmap 0 4096 MAP_SHARED MAP_PRIVATE\n", "t.scn:1:13:",
		  "expected protection flags", "got MAP_SHARED", NULL);
	parse_bad("\n\nmmap 0 4096 PROT_READ\n", "t.scn:3:22:", "expected FLAGS",
		  "usage: mmap ADDR LEN PROT FLAGS [FD OFF]", NULL);
	parse_bad("mmap 0 4096 PROT_READ MAP_SHARED 3\n", "t.scn:1:35:", "expected OFF",
		  "optional group", NULL);
	parse_bad("mmap 0 4096 PROT_READ MAP_SHARED 3 0 9\n", "t.scn:1:38:",
		  "unexpected '9'", "too many arguments", NULL);
	parse_bad("mmpa 0 4096\n", "t.scn:1:1:", "unknown statement 'mmpa'",
		  "did you mean mmap?", NULL);
	parse_bad("load 3 0x1000\n", "t.scn:1:6:", "access size", NULL);
	parse_bad("load 8 0x10g0\n", "t.scn:1:8:", "bad number '0x10g0'", NULL);
	parse_bad("load 8 0x\n", "t.scn:1:8:", "digits expected", NULL);
	parse_bad("load 8 99999999999999999999\n", "t.scn:1:8:", "64 bits", NULL);
	parse_bad("load 8 $nope\n", "t.scn:1:8:", "'$nope'", "used before any line sets it", NULL);
	parse_bad("load 8 (1 + 2\n", "t.scn:1:8:", "unbalanced '('", NULL);
	parse_bad("load 8 1+2)\n", "t.scn:1:11:", "unbalanced ')'", NULL);
	parse_bad("load 8 1+\n", "t.scn:1:10:", "expected an address", NULL);
	parse_bad("load 8 1 expect\n", "t.scn:1:", "after 'expect'", NULL);
	parse_bad("load 8 1 expect EINVAL\n", "t.scn:1:17:", "not an errno", NULL);
	parse_bad("load 8 1 expect SIGFOO\n", "t.scn:1:17:", "unknown signal 'SIGFOO'", NULL);
	parse_bad("munmap 0 1 expect EINVL\n", "t.scn:1:19:", "unknown errno 'EINVL'",
		  "did you mean EINVAL?", NULL);
	parse_bad("munmap 0 1 expect SIGSEGV\n", "t.scn:1:19:", "only load, store and fetch", NULL);
	parse_bad("munmap 0 1 expect 0 1\n", "t.scn:1:21:", "unexpected '1'", NULL);
	parse_bad("store 8 0 1 expect 5\n", "t.scn:1:20:", "no value to compare", NULL);
	parse_bad("munmap 0 1 expect \"x\"\n", "t.scn:1:19:", "not bytes", NULL);
	parse_bad("read 3 0 1 expect 5\n", "t.scn:1:19:", "expected bytes", NULL);
	parse_bad("check expect ok\n", "t.scn:1:7:", "takes no expect", NULL);
	parse_bad("check foo\n", "t.scn:1:7:", "expected file, size, counter, page", NULL);
	parse_bad("file\n", "t.scn:1:", "expected 'create' after 'file'", NULL);
	parse_bad("file delete x\n", "t.scn:1:6:", "'delete'", NULL);
	parse_bad("file create x 10 sequence\n", "t.scn:1:18:", "fill pattern", NULL);
	parse_bad("file create x 10 \"\"\n", "t.scn:1:18:", "at least one byte", NULL);
	parse_bad("file create a\\b 10\n", "t.scn:1:14:", "in a file name", NULL);
	parse_bad("write 3 0 \"abc\n", "t.scn:1:11:", "unterminated string", NULL);
	parse_bad("write 3 0 \"a\\qb\"\n", "t.scn:1:13:", "unknown escape", NULL);
	parse_bad("write 3 0 \"a\\x4\"\n", "t.scn:1:13:", "two hex digits", NULL);
	parse_bad("write 3 0 hex:123\n", "t.scn:1:11:", "odd number of hex digits", NULL);
	parse_bad("write 3 0 hex:12zz\n", "t.scn:1:17:", "bad hex digit", NULL);
	parse_bad("write 3 0 \"ab\"x\n", "t.scn:1:15:", "only *COUNT may follow", NULL);
	parse_bad("write 3 0 \"ab\"*$n\n", "t.scn:1:16:", "used before", NULL);
	parse_bad("write 3 0 12\n", "t.scn:1:11:", "expected bytes", NULL);
	parse_bad("check counter forks =< 3\n", "t.scn:1:21:", "a comparison", NULL);
	parse_bad("check counter forkz == 3\n", "t.scn:1:15:", "unknown counter 'forkz' (did you mean forks?)", NULL);
	parse_bad("check counter 9x == 3\n", "t.scn:1:15:", "counter name", NULL);
	parse_bad("check page 0x1000\n", "t.scn:1:", "page attributes", NULL);
	parse_bad("check page 0x1000 presnt\n", "t.scn:1:19:", "unknown page attribute 'presnt'",
		  "did you mean present?", NULL);
	parse_bad("check page 0x1000 present !present\n", "t.scn:1:27:", "both wanted", NULL);
	parse_bad("check page 0x1000 ref=x\n", "t.scn:1:23:", "reference count", NULL);
	parse_bad("$a = store 8 0 1\n", "t.scn:1:6:", "no value to assign", NULL);
	parse_bad("$a 5\n", "t.scn:1:4:", "expected '='", NULL);
	parse_bad("$a =\n", "t.scn:1:", "expected a value or a call", NULL);
	parse_bad("$1a = 5\n", "t.scn:1:1:", "expected a variable", NULL);
	parse_bad("$a-b = 5\n", "t.scn:1:3:", "bad character in variable name", NULL);
	parse_bad("$a = $a + 1\n", "t.scn:1:6:", "used before", NULL);
	parse_bad("$a = 1 2\n", "t.scn:1:8:", "unexpected '2'", NULL);
	parse_bad("repeat 3\n", "t.scn:1:", "'repeat COUNT [$VAR] {'", NULL);
	parse_bad("repeat 3 { x\n", "t.scn:1:12:", "'repeat COUNT [$VAR] {'", NULL);
	parse_bad("repeat 3 {\nfork\n", "t.scn:1:", "repeat block", "not closed", NULL);
	parse_bad("}\n", "t.scn:1:1:", "without an open", NULL);
	parse_bad("repeat 2 {\n} x\n", "t.scn:2:3:", "after '}'", NULL);
	parse_bad("fork\noption mem 1M\n", "t.scn:2:1:", "before the first statement", NULL);
	parse_bad("option mem lots\n", "t.scn:1:12:", "a size", NULL);
	parse_bad("option mem 0\n", "t.scn:1:12:", "a size", NULL);
	parse_bad("option color red\n", "t.scn:1:8:", "unknown option 'color'", NULL);
	parse_bad("option ksm maybe\n", "t.scn:1:12:", "on or off", NULL);
	parse_bad("option pcid_limit 5000\n", "t.scn:1:19:", "1..4095", NULL);
	parse_bad("option mem 1M\noption mem 2M\n", "t.scn:2:8:", "given twice", NULL);
	parse_bad("option mem\n", "t.scn:1:", "option NAME VALUE", NULL);
	parse_bad("load 8 0\x01\n", "t.scn:1:9:", "control byte 0x01", NULL);
	parse_bad("load 8 \xc3\xa9\n", "t.scn:1:8:", "byte 0xc3", NULL);
	parse_bad("mmap 0 4096 (PROT_READ MAP_PRIVATE\n", "t.scn:1:13:", "unbalanced", NULL);
	{
		char deep[200] = "load 8 ";

		for (int i = 0; i < 70; i++)
			strcat(deep, "(");
		strcat(deep, "1");
		for (int i = 0; i < 70; i++)
			strcat(deep, ")");
		parse_bad(deep, "t.scn:1:", "nested too deeply", NULL);
	}
	parse_bad("madvise 0 4096 MS_SYNC\n", "t.scn:1:16:", "madvise advice", NULL);
	parse_bad("open x O_RDWR|MAP_SHARED\n", "t.scn:1:", "open flags", NULL);
	parse_bad("load 8 \"x\"\n", "t.scn:1:8:", "got a string", NULL);
	parse_bad("load 8 PAGE_SIZ\n", "t.scn:1:8:", "did you mean PAGE_SIZE?", NULL);

	/* several errors in one file are all reported, in order */
	struct scn_program *p;
	struct scn_diags d;
	const char *t = "fork\nbogus\nmmap 0\nload 8 $x\nfork\n";

	CHECK_EQ(scn_parse(t, strlen(t), "multi.scn", &p, &d), -1);
	CHECK_EQ(d.count, 3);
	CHECK(!strncmp(d.msg[0], "multi.scn:2:1:", 14));
	CHECK(!strncmp(d.msg[1], "multi.scn:3:", 12));
	CHECK(!strncmp(d.msg[2], "multi.scn:4:8:", 14));
	/* the line is quoted with a caret under the column */
	CHECK(strstr(d.msg[2], "\n     4 | load 8 $x\n       |        ^"));

	/* more errors than are kept: counted */
	char many[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(many, "bogus\n");
	CHECK_EQ(scn_parse(many, strlen(many), "m", &p, &d), -1);
	CHECK_EQ(d.count, 40);

	/* files */
	CHECK_EQ(scn_parse_file("/nonexistent/x.scn", &p, &d), -1);
	CHECK(strstr(d.msg[0], "/nonexistent/x.scn: cannot open"));
}

static void test_valid_corners(void **state)
{
	(void)state;
	struct scn_program *p;

	/* empty input, comments only, CRLF line ends, tabs, no final newline */
	p = parse_ok("");
	CHECK_EQ(p->top.n, 0);
	scn_program_free(p);
	p = parse_ok("# only\n   # comments\n\n");
	CHECK_EQ(p->top.n, 0);
	scn_program_free(p);
	p = parse_ok("fork\r\n\tmunmap 0\t4096\r\nfork");
	CHECK_EQ(p->top.n, 3);
	scn_program_free(p);
	/* '#' inside a string is not a comment; strings may hold spaces */
	p = parse_ok("write 3 0 \"a # b\"   # real comment\n");
	CHECK_EQ(stmt(p, 0)->args[2].bytes.n, 5);
	scn_program_free(p);
	/* repeated strings, escapes */
	p = parse_ok("write 3 0 \"ab\"*3\nwrite 3 0 \"\\x41\\0\\t\\\\\\\"\"\n");
	CHECK_EQ(stmt(p, 0)->args[2].bytes.n, 6);
	CHECK(!memcmp(stmt(p, 0)->args[2].bytes.p, "ababab", 6));
	CHECK_EQ(stmt(p, 1)->args[2].bytes.n, 5);
	CHECK(!memcmp(stmt(p, 1)->args[2].bytes.p, "A\0\t\\\"", 5));
	scn_program_free(p);
	/* nested repeats, loop variables usable after the loop too */
	p = parse_ok("repeat 2 $i {\n repeat 3 $j {\n  print $i $j\n }\n}\nprint $i\n");
	CHECK_EQ(p->top.n, 2);
	CHECK_EQ(stmt(p, 0)->body.n, 1);
	CHECK_EQ(stmt(p, 0)->body.v[0]->body.n, 1);
	scn_program_free(p);
	/* expect -EINVAL as printed, expect with a variable */
	p = parse_ok("$a = 5\nmunmap 0 1 expect -EINVAL\nbrk 0 expect $a+1\n");
	CHECK_EQ(stmt(p, 1)->expect.code, 22);
	CHECK_EQ(stmt(p, 2)->expect.kind, X_VALUE);
	scn_program_free(p);
	/* a statement word may be a file name */
	p = parse_ok("open /usr/bin/ls O_RDONLY\nexecve /usr/bin/ls\n");
	CHECK(!strcmp(stmt(p, 1)->args[0].str, "/usr/bin/ls"));
	scn_program_free(p);
}

/* ---- printing ------------------------------------------------------------------------ */

static void test_format(void **state)
{
	(void)state;
	char b[128];

	scn_format_flags(SCN_FS_PROT, 3, b, sizeof(b));
	CHECK(!strcmp(b, "PROT_READ|PROT_WRITE"));
	scn_format_flags(SCN_FS_PROT, 0, b, sizeof(b));
	CHECK(!strcmp(b, "PROT_NONE"));
	scn_format_flags(SCN_FS_PROT, 0x104, b, sizeof(b));
	CHECK(!strcmp(b, "PROT_EXEC|0x100"));
	scn_format_flags(SCN_FS_MAP, 0x22, b, sizeof(b));
	CHECK(!strcmp(b, "MAP_PRIVATE|MAP_ANONYMOUS"));
	scn_format_flags(SCN_FS_MAP, 0x100013, b, sizeof(b));
	CHECK(!strcmp(b, "MAP_SHARED_VALIDATE|MAP_FIXED|MAP_FIXED_NOREPLACE"));
	scn_format_flags(SCN_FS_MAP, 0, b, sizeof(b));
	CHECK(!strcmp(b, "0x0"));
	scn_format_flags(SCN_FS_MAP, 0x40000021, b, sizeof(b));
	CHECK(!strcmp(b, "MAP_SHARED|MAP_ANONYMOUS|0x40000000"));
	scn_format_flags(SCN_FS_MADV, 4, b, sizeof(b));
	CHECK(!strcmp(b, "MADV_DONTNEED"));
	scn_format_flags(SCN_FS_MADV, 99, b, sizeof(b));
	CHECK(!strcmp(b, "0x63"));
	scn_format_flags(SCN_FS_MS, 4, b, sizeof(b));
	CHECK(!strcmp(b, "MS_SYNC"));
	scn_format_flags(SCN_FS_MS, 0, b, sizeof(b));
	CHECK(!strcmp(b, "0x0"));
	scn_format_flags(SCN_FS_OPEN, 0102, b, sizeof(b));
	CHECK(!strcmp(b, "O_RDWR|O_CREAT"));
	scn_format_flags(SCN_FS_OPEN, 0, b, sizeof(b));
	CHECK(!strcmp(b, "O_RDONLY"));
	/* truncation is safe and the full length is returned */
	CHECK_EQ(scn_format_flags(SCN_FS_MAP, 0x22, b, 8), 25);
	CHECK(!strcmp(b, "MAP_PRI"));

	CHECK(!strcmp(scn_errno_name(22), "EINVAL"));
	CHECK(scn_errno_name(9999) == NULL);
	CHECK_EQ(scn_errno_value("EEXIST"), 17);
	CHECK_EQ(scn_errno_value("nope"), 0);

	uint64_t v;

	CHECK_EQ(scn_parse_size("64K", &v), 0);
	CHECK_EQ(v, 65536);
	CHECK_EQ(scn_parse_size("0x100000", &v), 0);
	CHECK_EQ(v, 0x100000);
	CHECK_EQ(scn_parse_size("3G", &v), 0);
	CHECK_EQ(v, 3ull << 30);
	CHECK_EQ(scn_parse_size("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(scn_parse_size("", &v), -1);
	CHECK_EQ(scn_parse_size("12KB", &v), -1);
	CHECK_EQ(scn_parse_size("-1", &v), -1);
	CHECK_EQ(scn_parse_size("99999999999999999999", &v), -1);
	CHECK_EQ(scn_parse_size("16777216T", &v), -1);
}

/* ---- fuzz: never crash, always a well-formed verdict ----------------------------------- */

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fuzz_one(const char *buf, size_t n)
{
	struct scn_program *p = NULL;
	struct scn_diags d;
	int rc = scn_parse(buf, n, "fz.scn", &p, &d);

	if (rc == 0) {
		CHECK(p != NULL);
		CHECK_EQ(d.count, 0);
		scn_program_free(p);
	} else {
		CHECK(p == NULL);
		CHECK(d.count > 0);
		CHECK_MSG(!strncmp(d.msg[0], "fz.scn:", 7), "bad message: %s", d.msg[0]);
	}
}

static const char seed_text[] =
	"option mem 2M\n"
	"$p = spawn\nswitch $p\n"
	"$a = mmap 0 8192 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS expect ok\n"
	"store 8 $a+16 0x1234\nload 8 ($a + 16) expect 0x1234\n"
	"file create f 100 \"ab\\x00\"*2\n$fd = open f O_RDWR\n"
	"write $fd 0 hex:00ff\nread $fd 0 2 expect \"\\0\\xff\"\n"
	"repeat 4 $i {\n  $c = fork\n  exit $c\n}\n"
	"maps {\n  10000000-10002000 rw-p 00000000 00:00 0 [heap]\n}\n"
	"check counter frames_in_use >= 0\ncheck page $a present !ksm ref=1\n"
	"munmap $a 8192 expect EINVAL # comment\n";

static void test_fuzz(void **state)
{
	(void)state;
	char buf[1024];

	/* random bytes, biased towards the language's characters */
	static const char alphabet[] = "$=(){}\"#\\\n \t-+*|&<>~!0123456789abcxXK"
				       "mapldstorefkhMAP_PROT_EXPECTok";
	for (int i = 0; i < 3000; i++) {
		size_t n = rnd() % sizeof(buf);

		for (size_t j = 0; j < n; j++)
			buf[j] = (rnd() & 3) ? alphabet[rnd() % (sizeof(alphabet) - 1)]
					     : (char)(rnd() & 0xff);
		fuzz_one(buf, n);
	}
	/* every truncation of a valid scenario */
	size_t sn = strlen(seed_text);

	for (size_t n = 0; n <= sn; n++)
		fuzz_one(seed_text, n);
	/* byte mutations, insertions and deletions of it */
	for (int i = 0; i < 4000; i++) {
		size_t n = sn;

		memcpy(buf, seed_text, sn);
		for (int k = 0; k < 1 + (int)(rnd() % 4); k++) {
			size_t at = rnd() % n;

			switch (rnd() % 3) {
			case 0:
				buf[at] = (char)(rnd() & 0xff);
				break;
			case 1:
				if (n + 1 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = alphabet[rnd() % (sizeof(alphabet) - 1)];
					n++;
				}
				break;
			default:
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			}
		}
		fuzz_one(buf, n);
	}
	/* a very long line and many words */
	char *big = malloc(200000);
	assert_non_null(big);
	memset(big, 'a', 199999);
	big[199999] = 0;
	fuzz_one(big, 199999);
	for (int i = 0; i < 199998; i += 2) {
		big[i] = '1';
		big[i + 1] = ' ';
	}
	memcpy(big, "print", 5);
	fuzz_one(big, 199999);
	free(big);
}

static void starts(const char *msg, const char *want)
{
	CHECK_MSG(!strncmp(msg, want, strlen(want)), "[%s] does not start with [%s]", msg, want);
}

/* 64 lines of a 16 MiB string would take 1 GiB: the program-wide cap
 * stops them, at the word that went over, whatever the cap. */
static void test_parse_cap(void **state)
{
	(void)state;
	const char *line = "print \"abcdefgh\"*2097152\n";
	size_t n = strlen(line) * 64;
	char *text = malloc(n + 1), path[] = "/tmp/test_parse-XXXXXX";
	struct scn_limits lim = { .max_parse_bytes = 1 << 20 };
	struct scn_program *p;
	struct scn_diags d;
	FILE *f;
	int fd;

	assert_non_null(text);
	text[0] = 0;
	for (int i = 0; i < 64; i++)
		strcat(text, line);
	CHECK_EQ(scn_parse(text, n, "amp.scn", &p, &d), -1);
	starts(d.msg[0], "amp.scn:4:7: parse memory cap exceeded (--max-parse-mem 64M)\n");
	CHECK_EQ(d.count, 1);
	CHECK_EQ(scn_parse_with(text, n, "amp.scn", &lim, &p, &d), -1);
	starts(d.msg[0], "amp.scn:1:7: parse memory cap exceeded (--max-parse-mem 1M)\n");
	free(text);
	/* many small statements add up as well */
	lim.max_parse_bytes = 256 << 10;
	text = malloc(200000 * 5 + 1);
	assert_non_null(text);
	for (int i = 0; i < 200000; i++)
		memcpy(text + i * 5, "fork\n", 5);
	CHECK_EQ(scn_parse_with(text, 200000 * 5, "many.scn", &lim, &p, &d), -1);
	CHECK_MSG(!strncmp(d.msg[0], "many.scn:", 9) &&
		  strstr(d.msg[0], ":1: parse memory cap exceeded (--max-parse-mem 256K)\n"),
		  "%s", d.msg[0]);
	/* and within the cap it parses */
	lim.max_parse_bytes = SCN_UNLIMITED;
	CHECK_EQ(scn_parse_with(text, 200000 * 5, "many.scn", &lim, &p, &d), 0);
	CHECK_EQ(scn_program_statements(p), 200000);
	scn_program_free(p);
	/* a file's text counts: larger than the cap, it is not even read whole */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fwrite(text, 1, 200000 * 5, f);
	fclose(f);
	lim.max_parse_bytes = 64 << 10;
	CHECK_EQ(scn_parse_file_with(path, &lim, &p, &d), -1);
	CHECK_MSG(strstr(d.msg[0], ": file larger than the parse memory cap (--max-parse-mem 64K)"),
		  "%s", d.msg[0]);
	CHECK_EQ(scn_parse_file(path, &p, &d), 0);
	scn_program_free(p);
	unlink(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_maps_block),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_valid_corners),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_parse_cap),
	};
	int rc = cmocka_run_group_tests_name("scenario parser", tests, NULL, NULL);

	printf("scenario parser: %u checks\n", checks);
	return rc;
}
