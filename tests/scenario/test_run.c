/* SPDX-License-Identifier: MIT */
/*
 * The scenario runner (sw/scenario/run.c) on the golden model: the result
 * line of every kind of statement is exactly the documented one
 * (docs/scenario-language.md, "Output"), expectations pass and fail as
 * documented and are counted, maps blocks compare and show their
 * differences, runtime errors stop the run, --quiet keeps only failures,
 * options reach the machine and the OS, and a configuration the OS cannot
 * use is an error value.
 */
#include "../../sw/scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static unsigned checks;
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)
#define CHECK_MSG(c, ...) do { if (!(c)) fail_msg(__VA_ARGS__); checks++; } while (0)

struct run {
	char *out;
	struct scn_result r;
	int rc;
	char err[256];
};

static void run_opts(const char *text, struct scn_run_opts *o, struct run *res)
{
	struct scn_program *p;
	struct scn_diags d;
	size_t len = 0;
	FILE *f;

	if (scn_parse(text, strlen(text), "t.scn", &p, &d))
		fail_msg("parse: %s", d.msg[0]);
	f = open_memstream(&res->out, &len);
	assert_non_null(f);
	o->out = f;
	res->rc = scn_run(p, o, &res->r, res->err, sizeof(res->err));
	fclose(f);
	scn_program_free(p);
}

static void run(const char *text, struct run *res)
{
	struct scn_run_opts o;

	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	run_opts(text, &o, res);
	CHECK_MSG(res->rc == 0, "run failed: %s", res->err);
}

static void has(const struct run *r, const char *line)
{
	CHECK_MSG(strstr(r->out, line), "output lacks [%s]:\n%s", line, r->out);
}

static void lacks(const struct run *r, const char *line)
{
	CHECK_MSG(!strstr(r->out, line), "output has [%s]:\n%s", line, r->out);
}

static void test_lines(void **state)
{
	(void)state;
	struct run r;

	run("$p = spawn\n"
	    "switch $p\n"
	    "$a = mmap 0 8192 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS expect ok\n"
	    "store 8 $a+16 0x1234\n"
	    "load 8 $a+16 expect 0x1234\n"
	    "load 4 $a+8192 expect SIGSEGV\n"
	    "munmap $a+1 4096 expect EINVAL\n"
	    "mmap 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\n"
	    "madvise $a+4096 4096 MADV_DONTNEED\n"
	    "msync $a 4096 MS_ASYNC\n"
	    "$b = brk 0\n"
	    "print $b \"is the break\"\n"
	    "$x = 5 * 3\n"
	    "check value $x == 15\n"
	    "check counter processes == 1\n"
	    "$n = counter processes expect 1\n"
	    "check page $a+16 present writable dirty\n"
	    "check\n"
	    "exit\n"
	    "check\n", &r);
	has(&r, "1: $p = spawn = 1\n");
	has(&r, "2: switch 1 = ok\n");
	has(&r, "3: $a = mmap 0 8192 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS = 0x7ffff7ffd000 ok\n");
	has(&r, "4: store 8 0x7ffff7ffd010 0x1234 = ok\n");
	has(&r, "5: load 8 0x7ffff7ffd010 = 0x1234 ok\n");
	has(&r, "6: load 4 0x7ffff7fff000 = SIGSEGV ok\n");
	has(&r, "7: munmap 0x7ffff7ffd001 4096 = -EINVAL ok\n");
	has(&r, "8: mmap 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS = -EINVAL\n");
	has(&r, "9: madvise 0x7ffff7ffe000 4096 MADV_DONTNEED = 0\n");
	has(&r, "10: msync 0x7ffff7ffd000 4096 MS_ASYNC = 0\n");
	has(&r, "11: $b = brk 0 = 0x10000000\n");
	has(&r, "12: print 0x10000000 is the break\n");
	has(&r, "13: $x = 0xf\n");
	has(&r, "14: check value 0xf == 0xf ok\n");
	has(&r, "15: check counter processes == 1 = 1 ok\n");
	has(&r, "16: $n = counter processes = 1 ok\n");
	has(&r, "17: check page 0x7ffff7ffd010 present writable dirty = present pa=");
	has(&r, "18: check ok\n");
	has(&r, "19: exit = ok\n");
	has(&r, "20: check ok\n");
	has(&r, "scenario t: 20 steps, 10 checks passed, 0 failed\n");
	CHECK_EQ(r.r.steps, 20);
	CHECK_EQ(r.r.passed, 10);
	CHECK_EQ(r.r.failed, 0);
	CHECK(!r.r.aborted);
	free(r.out);
}

static void test_failures(void **state)
{
	(void)state;
	struct run r;

	run("$p = spawn\n"
	    "switch $p\n"
	    "$a = mmap 0x100000000 4096 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED expect 0x200000000\n"
	    "load 8 $a expect 1\n"
	    "store 8 $a 1 expect ok\n"
	    "munmap $a 4096 expect ENOMEM\n"
	    "load 8 $a expect 0\n"
	    "check counter processes > 5\n"
	    "check value 1 == 2\n"
	    "load 8 0x100000000 expect SIGBUS\n", &r);
	has(&r, "3: $a = mmap 0x100000000 4096 PROT_READ MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS = 0x100000000 FAIL (expected 0x200000000)\n");
	has(&r, "4: load 8 0x100000000 = 0x0 FAIL (expected 0x1)\n");
	has(&r, "5: store 8 0x100000000 0x1 = SIGSEGV FAIL (expected ok; got SIGSEGV (SEGV_ACCERR) at 0x100000000, error code P|W|U)\n");
	has(&r, "6: munmap 0x100000000 4096 = 0 FAIL (expected -ENOMEM)\n");
	has(&r, "7: load 8 0x100000000 = SIGSEGV FAIL (expected 0x0; got SIGSEGV (SEGV_MAPERR) at 0x100000000, error code U)\n");
	has(&r, "8: check counter processes > 5 = 1 FAIL (expected processes > 5)\n");
	has(&r, "9: check value 0x1 == 0x2 FAIL (expected 0x1 == 0x2)\n");
	has(&r, "10: load 8 0x100000000 = SIGSEGV FAIL (expected SIGBUS;");
	has(&r, "scenario t: 10 steps, 0 checks passed, 8 failed\n");
	CHECK_EQ(r.r.failed, 8);
	free(r.out);

	/* --quiet: failures and the summary only */
	struct scn_run_opts o;
	struct run q;

	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.quiet = true;
	run_opts("$p = spawn\nswitch $p\nload 8 0 expect SIGSEGV\nload 8 0 expect 1\n", &o, &q);
	CHECK_EQ(q.rc, 0);
	lacks(&q, "1: $p");
	lacks(&q, "3: load");
	has(&q, "4: load 8 0 = SIGSEGV FAIL (expected 0x1;");
	has(&q, "scenario t: 4 steps, 1 checks passed, 1 failed\n");
	free(q.out);
}

static void test_maps(void **state)
{
	(void)state;
	struct run r;

	run("$p = spawn\nswitch $p\n"
	    "mmap 0x100000000 12K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
	    "mprotect 0x100001000 4K PROT_READ\n"
	    "maps {\n"
	    "  100000000-100001000 rw-p 00000000 00:00 0\n"
	    "  100001000-100002000 r--p\n"
	    "  0x100002000-(0x100000000+12K) rw-p\n"
	    "}\n"
	    "maps {\n"
	    "  100000000-100003000 rw-p\n"
	    "}\n"
	    "maps 99\n", &r);
	has(&r, "5: maps = 3 mappings ok\n"
		"    100000000-100001000 rw-p 00000000 00:00 0 \n"
		"    100001000-100002000 r--p 00000000 00:00 0 \n"
		"    100002000-100003000 rw-p 00000000 00:00 0 \n");
	has(&r, "10: maps = 3 mappings FAIL (expected 1 mapping as listed)\n");
	has(&r, "    - expected (line 11): 100000000-100003000 rw-p\n"
		"    + got:  100000000-100001000 rw-p 00000000 00:00 0\n"
		"    + got:  100001000-100002000 r--p 00000000 00:00 0\n"
		"    + got:  100002000-100003000 rw-p 00000000 00:00 0\n");
	has(&r, "13: maps 99 = -ESRCH\n");
	has(&r, "scenario t: 7 steps, 1 checks passed, 1 failed\n");
	free(r.out);
}

static void test_loops_and_errors(void **state)
{
	(void)state;
	struct run r;

	run("$p = spawn\nswitch $p\n"
	    "$a = mmap 0x100000000 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
	    "repeat 2 $i {\n"
	    "  repeat 2 $j {\n"
	    "    store 8 $a+$i*8K+$j*4K $i*10+$j\n"
	    "  }\n"
	    "}\n"
	    "repeat 4 $k {\n"
	    "  load 8 $a+$k*4K expect ($k/2)*10+$k%2\n"
	    "}\n"
	    "repeat 0 {\n"
	    "  load 8 0 expect 1\n"
	    "}\n"
	    "$z = $k - 3\n"
	    "load 8 $a/$z\n"
	    "load 8 $a expect 99\n", &r);
	has(&r, "6[1.1]: store 8 0x100000000 0x0 = ok\n");
	has(&r, "6[2.2]: store 8 0x100003000 0xb = ok\n");
	has(&r, "10[4]: load 8 0x100003000 = 0xb ok\n");
	lacks(&r, "\n13");
	has(&r, "15: $z = 0x0\n");
	has(&r, "16: load FAIL (division by zero)\n");
	lacks(&r, "17: load");
	has(&r, "scenario t: 13 steps, 4 checks passed, 1 failed\n");
	CHECK(r.r.aborted);
	free(r.out);

	run("check counter bogus == 1\nload 8 0\n", &r);
	has(&r, "1: check counter bogus == 1 FAIL (unknown counter 'bogus'");
	has(&r, "scenario t: 1 steps, 0 checks passed, 1 failed\n");
	free(r.out);

	/* no process: memory calls are -ESRCH */
	run("mmap 0 4096 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS expect ESRCH\nload 8 0\n", &r);
	has(&r, "1: mmap 0 4096 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS = -ESRCH ok\n");
	has(&r, "2: load 8 0 = -ESRCH\n");
	free(r.out);
}

static void test_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_run-XXXXXX";
	struct scn_run_opts o;
	struct run r;
	struct stat st;
	char path[64];

	assert_non_null(mkdtemp(dir));
	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.files_dir = dir;
	run_opts("file create f 5000 \"xy\"\n"
		 "file create sub/f 10\n"
		 "$p = spawn\nswitch $p\n"
		 "$fd = open f\n"
		 "$m = mmap 0x100000000 8K PROT_READ|PROT_WRITE MAP_SHARED $fd 0\n"
		 "store 2 $m+4 0x2121\n"
		 "read $fd 0 8 expect \"xyxy!!xy\"\n"
		 "read $fd 4998 100\n"
		 "write $fd 0 hex:41_42 expect 2\n"
		 "load 2 $m expect 0x4241\n"
		 "msync $m 8K MS_SYNC\n"
		 "check file f 0 \"ABxy!!\"\n"
		 "check file f 0 \"nope\"\n"
		 "check size f 5000\n"
		 "check size f 1\n"
		 "check file nosuch 0 \"x\"\n"
		 "exit\n", &o, &r);
	CHECK_EQ(r.rc, 0);
	has(&r, "1: file create f 5000 \"xy\" = ok\n");
	has(&r, "2: file create sub/f 10 = -EINVAL\n");
	has(&r, "8: read 3 0 8 = \"xyxy!!xy\" ok\n");
	has(&r, "9: read 3 0x1386 100 = \"xy\"\n");
	has(&r, "10: write 3 0 \"AB\" = 2 ok\n");
	has(&r, "13: check file f 0 \"ABxy!!\" = \"ABxy!!\" ok\n");
	has(&r, "14: check file f 0 \"nope\" = \"ABxy\" FAIL (expected \"nope\"; differs at byte 0)\n");
	has(&r, "15: check size f 5000 = 5000 ok\n");
	has(&r, "16: check size f 1 = 5000 FAIL (expected 1)\n");
	has(&r, "17: check file nosuch 0 \"x\" = FAIL (cannot read");
	free(r.out);
	/* the files stay in a folder the caller gave */
	snprintf(path, sizeof(path), "%s/f", dir);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_size, 5000);
	unlink(path);
	rmdir(dir);
}

static void test_options(void **state)
{
	(void)state;
	struct scn_run_opts o;
	struct run r;

	/* scenario options reach the machine and the OS */
	run("option mem 2M\noption swap 1M\ncheck counter frames_total == 512\n"
	    "check counter swap_slots_total == 256\n", &r);
	has(&r, "scenario t: 2 steps, 2 checks passed, 0 failed\n");
	free(r.out);

	/* the command line wins */
	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.mem_bytes = 4 << 20;
	o.swap_bytes = 0;
	o.swap_given = true;
	run_opts("option mem 2M\noption swap 1M\ncheck counter frames_total == 1024\n"
		 "check counter swap_slots_total == 0\n", &o, &r);
	CHECK_EQ(r.rc, 0);
	has(&r, "scenario t: 2 steps, 2 checks passed, 0 failed\n");
	free(r.out);

	/* a configuration the OS cannot run on is an error value */
	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.config = "csapp";
	run_opts("fork\n", &o, &r);
	CHECK_EQ(r.rc, -1);
	CHECK(strstr(r.err, "csapp"));
	free(r.out);
	run_opts("option config nosuch\nfork\n", &(struct scn_run_opts){ .backend = "golden" }, &r);
	CHECK_EQ(r.rc, -1);
	CHECK(strstr(r.err, "nosuch"));
	free(r.out);
	static const char *const bad_set[] = { "tlb_ways=3" };

	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.sets = bad_set;
	o.nsets = 1;
	run_opts("fork\n", &o, &r);
	CHECK_EQ(r.rc, -1);
	CHECK(strstr(r.err, "tlb_ways"));
	free(r.out);
	memset(&o, 0, sizeof(o));
	o.backend = "bogus";
	run_opts("fork\n", &o, &r);
	CHECK_EQ(r.rc, -1);
	free(r.out);

	/* lockstep ends with a whole-memory comparison, counted as a check */
	memset(&o, 0, sizeof(o));
	o.backend = "lockstep-self";  /* no RTL in unit tests */
	run_opts("$p = spawn\nswitch $p\nmmap 0x100000000 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
		 "store 8 0x100000000 5\nload 8 0x100000000 expect 5\n", &o, &r);
	CHECK_EQ(r.rc, 0);
	has(&r, "end: lockstep golden=golden:");
	has(&r, "memory and counters ok\n");
	has(&r, "scenario t: 5 steps, 2 checks passed, 0 failed\n");
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_loops_and_errors),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_options),
	};
	int rc = cmocka_run_group_tests_name("scenario runner", tests, NULL, NULL);

	printf("scenario runner: %u checks\n", checks);
	return rc;
}
