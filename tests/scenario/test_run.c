/* SPDX-License-Identifier: MIT */
/*
 * The scenario runner (sw/scenario/run.c) on the golden model: the result
 * line of every kind of statement is exactly the documented one
 * (docs/scenario-language.md, "Output"), expectations pass and fail as
 * documented and are counted, maps blocks compare and show their
 * differences, runtime errors stop the run, --quiet keeps only failures,
 * options reach the machine and the OS, and a configuration the OS cannot
 * use is an error value.  The limits for scenarios from anyone: the step
 * and time budgets, the file size cap, host paths confined to the files
 * folder (absolute, "..", symbolic links), each reported by name; pid and
 * fd arguments never truncated; OOM with the kernel's message.
 */
#include "../../sw/scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
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

/* A run on golden with limits (NULL: the defaults) and a files folder
 * (NULL: a temporary one). */
static void run_lim(const char *text, const struct scn_limits *lim,
		    const char *files, struct run *r)
{
	struct scn_run_opts o;

	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.lim = lim;
	o.files_dir = files;
	run_opts(text, &o, r);
	CHECK_MSG(r->rc == 0, "run failed: %s", r->err);
}

static void run(const char *text, struct run *res)
{
	run_lim(text, NULL, NULL, res);
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
	    "mmap 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS expect EINVAL\n"
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
	has(&r, "8: mmap 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS = -EINVAL ok\n");
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
	has(&r, "scenario t: 20 steps, 11 checks passed, 0 failed\n");
	CHECK_EQ(r.r.steps, 20);
	CHECK_EQ(r.r.passed, 11);
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

	{	/* counter names are checked when the file is parsed */
		struct scn_program *bp;
		struct scn_diags bd;

		CHECK(scn_parse("check counter swap_outz == 1\n", 29, "t.scn", &bp, &bd) != 0);
		CHECK_MSG(strstr(bd.msg[0], "t.scn:1:15: unknown counter 'swap_outz' (did you mean swap_outs?)"),
			  "%s", bd.msg[0]);
	}
	/* an errno nobody expected fails the step */
	run("$p = spawn\nswitch $p\nmunmap 1 1\n", &r);
	has(&r, "3: munmap 0x1 1 = -EINVAL FAIL (unexpected: the line expects nothing; add 'expect -EINVAL')\n");
	has(&r, "scenario t: 3 steps, 0 checks passed, 1 failed\n");
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
		 "file create sub/f 10 expect EINVAL\n"
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
	has(&r, "2: file create sub/f 10 = -EINVAL ok\n");
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

static void limit_is(const struct run *r, const char *want)
{
	CHECK_MSG(!strcmp(r->r.limit, want), "limit [%s], wanted [%s]\n%s",
		  r->r.limit, want, r->out);
	CHECK(r->r.aborted);
}

static void test_budgets(void **state)
{
	(void)state;
	struct scn_limits lim = { .max_steps = 1000 };
	struct run r;

	/* nested loops with empty bodies: iterations count */
	run_lim("repeat 100000000 {\n  repeat 100000000 {\n  }\n}\n", &lim, NULL, &r);
	limit_is(&r, "t.scn:2:3: step budget exceeded (--max-steps 1000)");
	has(&r, "2[1.998]: repeat FAIL (t.scn:2:3: step budget exceeded (--max-steps 1000))\n");
	free(r.out);
	/* statements and iterations count: the 1001st unit is refused */
	run_lim("repeat 10000 {\n $x = 1\n}\n", &lim, NULL, &r);
	limit_is(&r, "t.scn:2:2: step budget exceeded (--max-steps 1000)");
	CHECK_EQ(r.r.steps, 499);  /* with the repeat and 500 iterations: 1000 */
	free(r.out);
	/* the default budget stops what would run for ever */
	run_lim("repeat 100000000 {\n repeat 100000000 {\n }\n}\n", NULL, NULL, &r);
	limit_is(&r, "t.scn:2:2: step budget exceeded (--max-steps 10000000)");
	free(r.out);
	/* time: 10^8 statements cannot run in a millisecond */
	lim = (struct scn_limits){ .max_ms = 1, .max_steps = SCN_UNLIMITED };
	run_lim("repeat 100000000 {\n  $x = 1\n}\n", &lim, NULL, &r);
	CHECK_MSG(strstr(r.r.limit, ": time budget exceeded (--max-time 0.001)"), "%s", r.r.limit);
	CHECK(r.r.aborted);
	CHECK(r.r.steps < 100000000);
	free(r.out);
}

static void test_file_cap(void **state)
{
	(void)state;
	struct scn_limits lim = { .max_file_bytes = 8192 };
	struct run r;

	/* the default cap: a 1 GiB file create is refused before writing */
	run_lim("file create big 1G\n", NULL, NULL, &r);
	limit_is(&r, "t.scn:1:17: file size cap exceeded (--max-file-size 64M)");
	has(&r, "1: file create big 1073741824 FAIL (t.scn:1:17: file size cap");
	free(r.out);
	run_lim("file create f 8K seq\n$p = spawn\nswitch $p\n$fd = open f\n"
		"write $fd 8190 \"ab\" expect 2\n"
		"write $fd 0x7fffffffffffffff \"ab\" expect EFBIG\n"
		"truncate $fd 8K expect 0\n"
		"write $fd 8191 \"ab\"\n", &lim, NULL, &r);
	has(&r, "6: write 3 0x7fffffffffffffff \"ab\" = -EFBIG ok\n");
	has(&r, "8: write 3 0x1fff \"ab\" FAIL (t.scn:8:16: file size cap exceeded (--max-file-size 8K))\n");
	limit_is(&r, "t.scn:8:16: file size cap exceeded (--max-file-size 8K)");
	free(r.out);
	run_lim("file create f 1\n$p = spawn\nswitch $p\n$fd = open f\ntruncate $fd 8K+1\n",
		&lim, NULL, &r);
	limit_is(&r, "t.scn:5:14: file size cap exceeded (--max-file-size 8K)");
	free(r.out);
	run_lim("file create f 8K+1\n", &lim, NULL, &r);
	limit_is(&r, "t.scn:1:15: file size cap exceeded (--max-file-size 8K)");
	free(r.out);
}

/* A folder with a secret outside the files folder "files" inside it. */
struct tree {
	char top[32], files[64], secret[64], link[96], up[96], dangling[96], out[64];
};

static void tree_make(struct tree *t)
{
	FILE *f;

	snprintf(t->top, sizeof(t->top), "/tmp/test_run-XXXXXX");
	assert_non_null(mkdtemp(t->top));
	snprintf(t->files, sizeof(t->files), "%s/files", t->top);
	snprintf(t->secret, sizeof(t->secret), "%s/secret", t->top);
	snprintf(t->out, sizeof(t->out), "%s/created", t->top);
	snprintf(t->link, sizeof(t->link), "%s/link", t->files);
	snprintf(t->up, sizeof(t->up), "%s/up", t->files);
	snprintf(t->dangling, sizeof(t->dangling), "%s/dangling", t->files);
	assert_int_equal(mkdir(t->files, 0700), 0);
	f = fopen(t->secret, "w");
	assert_non_null(f);
	fputs("secret", f);
	fclose(f);
	assert_int_equal(symlink(t->secret, t->link), 0);       /* a file outside */
	assert_int_equal(symlink(t->top, t->up), 0);            /* a folder outside */
	assert_int_equal(symlink(t->out, t->dangling), 0);      /* to be created outside */
}

static void tree_remove(struct tree *t)
{
	char p[128];

	unlink(t->link);
	unlink(t->up);
	unlink(t->dangling);
	snprintf(p, sizeof(p), "%s/ok", t->files);
	unlink(p);
	rmdir(t->files);
	unlink(t->secret);
	unlink(t->out);
	rmdir(t->top);
}

static void test_confinement(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "ABS", "absolute path" },
		{ "../secret", "up" },
		{ "link", "symbolic link to a file outside" },
		{ "up/secret", "symbolic link to a folder outside" },
	};
	struct scn_limits lim = { 0 };
	struct tree t;
	struct run r;
	char text[512], want[300];
	struct stat st;

	tree_make(&t);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = strcmp(cases[i][0], "ABS") ? cases[i][0] : t.secret;

		/* open, check file and check size: each stops at the path */
		snprintf(text, sizeof(text), "$p = spawn\nswitch $p\n$fd = open %s O_RDONLY\n", name);
		run_lim(text, NULL, t.files, &r);
		snprintf(want, sizeof(want), "t.scn:3:12: host path '%s' is outside the files folder (--allow-path allows it)", name);
		limit_is(&r, want);
		lacks(&r, "= 3");
		free(r.out);
		snprintf(text, sizeof(text), "check file %s 0 \"secret\"\n", name);
		run_lim(text, NULL, t.files, &r);
		lacks(&r, "\"secret\" ok");
		CHECK_MSG(strstr(r.r.limit, "is outside the files folder"), "%s: %s", cases[i][1], r.out);
		free(r.out);
		snprintf(text, sizeof(text), "check size %s 6\n", name);
		run_lim(text, NULL, t.files, &r);
		CHECK_MSG(strstr(r.r.limit, "is outside the files folder"), "%s: %s", cases[i][1], r.out);
		free(r.out);
	}
	/* a link that would create a file outside: refused, nothing created */
	run_lim("$p = spawn\nswitch $p\nopen dangling O_RDWR|O_CREAT expect ELOOP\n"
		"file create dangling 10 expect ELOOP\n", NULL, t.files, &r);
	has(&r, "3: open dangling O_RDWR|O_CREAT = -ELOOP ok\n");
	has(&r, "4: file create dangling 10 = -ELOOP ok\n");
	CHECK(stat(t.out, &st) != 0);
	free(r.out);
	/* inside is fine, and --allow-path lets one more path in */
	lim.allow = (const char *const[]){ t.secret };
	lim.nallow = 1;
	snprintf(text, sizeof(text), "file create ok 2\n$p = spawn\nswitch $p\n"
		 "$fd = open ok expect 3\n$s = open %s O_RDONLY expect 4\n"
		 "read $s 0 6 expect \"secret\"\ncheck size link 6\n", t.secret);
	run_lim(text, &lim, t.files, &r);
	has(&r, "scenario t: 7 steps, 4 checks passed, 0 failed\n");
	CHECK_EQ(r.r.limit[0], 0);
	free(r.out);
	tree_remove(&t);
}

static void test_numbers(void **state)
{
	(void)state;
	struct run r;

	/* pids and fds that are no int are no process and no descriptor */
	run("$a = spawn\n$b = spawn\nswitch $a\n"
	    "switch 0x100000000+$b expect ESRCH\n"
	    "exit -22 expect ESRCH\n"
	    "maps 0x100000000+$b\n"
	    "file create f 4\n$fd = open f expect 3\n"
	    "close 0x100000003 expect EBADF\n"
	    "read $fd 0 4 expect hex:00000000\n"
	    "exit $b\nexit\ncheck\n", &r);
	has(&r, "4: switch 4294967298 = -ESRCH ok\n");
	has(&r, "5: exit -22 = -ESRCH ok\n");
	has(&r, "6: maps 4294967298 = -ESRCH\n");
	has(&r, "9: close 4294967299 = -EBADF ok\n");
	has(&r, "scenario t: 13 steps, 6 checks passed, 0 failed\n");
	free(r.out);
	/* OOM says what the kernel said */
	run("option mem 2M\noption strict off\n$p = spawn\nswitch $p\n"
	    "$a = mmap 0x100000000 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
	    "repeat 1024 $i {\n  store 8 $a+$i*4K 1\n}\n", &r);
	has(&r, "= OOM (out of memory: all 512 frames in use and 0/0 swap slots used)\n");
	free(r.out);
	/* execve of what is no regular file: EACCES, as Linux says */
	run("$p = spawn\nswitch $p\nexecve /tmp expect EACCES\nexecve /dev/null expect EACCES\n", &r);
	has(&r, "scenario t: 4 steps, 2 checks passed, 0 failed\n");
	free(r.out);
}

/* The machine made visible: tlb, walk ADDR, page's raw entry, --trace. */
static void test_trace(void **state)
{
	static const char text[] =
		"$p = spawn\nswitch $p\n"
		"$a = mmap 0x100000000 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
		"load 8 $a\n"
		"store 8 $a 1\n"
		"$c = fork\nswitch $c\n"
		"store 8 $a 2\n"
		"tlb\n"
		"walk $a\n"
		"page $a\n"
		"load 8 0x200000000 expect SIGSEGV\n";
	struct scn_run_opts o;
	struct run r;

	(void)state;
	checks = 0;
	memset(&o, 0, sizeof(o));
	o.backend = "golden";
	o.trace = true;
	run_opts(text, &o, &r);
	CHECK_EQ(r.rc, 0);
	/* the first load: a not-present walk, the zero page, the retry */
	has(&r, "4: load 8 0x100000000 = 0x0\n"
		"    trace: user load 0x100000000: TLB miss, walk of 1 read(s)\n"
		"      level 4: entry 0 at pa 0x3000 (index 0, in the L1) not present\n"
		"      -> #PF error code U (not present), CR2 0x100000000\n"
		"    trace: kernel: mapped the shared zero page (read-only); resolved: the access is retried\n"
		"    trace: user load 0x100000000: TLB miss, walk of 4 read(s)\n");
	has(&r, "      -> pa 0x1000, L1 hit\n");
	/* the store: a TLB hit on a read-only entry, a zero fill */
	has(&r, "    trace: user store 0x100000000: TLB hit -> #PF error code P|W|U (protection), CR2 0x100000000\n"
		"    trace: kernel: zero-filled a new page; resolved: the access is retried\n");
	/* the child's store: copy-on-write */
	has(&r, "    trace: kernel: copy-on-write: copied the page; resolved: the access is retried\n");
	has(&r, "9: tlb = 1 valid entry of 64\n"
		"    set 0 way 0: va 0x100000000 -> pa 0xc000 pcid 2 rw user XD D\n");
	has(&r, "10: walk 0x100000000 = 4 level(s)\n"
		"    level 4: entry 0x9027 at pa 0x8000 (index 0, in the L1) -> table 0x9000 rw user A\n");
	has(&r, "    level 1: entry 0x800000000000c067 at pa 0xb000 (index 0, in the L1) -> frame 0xc000 rw user A D XD\n");
	has(&r, "11: page 0x100000000 = present pa=0xc000 pte=0x800000000000c067 ref=1 writable dirty accessed user nx\n");
	/* a signal and why; the PSC shortens the walk */
	has(&r, "(the paging-structure cache of level 4 hit: the walk starts at level 3)\n"
		"      level 3: entry 0 at pa 0x9040 (index 0x8, in the L1) not present\n");
	has(&r, "    trace: kernel: no mapping: SIGSEGV (SEGV_MAPERR)\n"
		"    trace: signal SIGSEGV at 0x200000000: no mapping at the address\n");
	free(r.out);
	/* without --trace: no trace lines, the same results */
	o.trace = false;
	run_opts(text, &o, &r);
	lacks(&r, "trace:");
	has(&r, "12: load 8 0x200000000 = SIGSEGV ok\n");
	free(r.out);
	printf("scenario: --trace shows the TLB, each walk level's entry, the fault, "
	       "the kernel's action (zero page, zero fill, COW copy) and the signal; "
	       "tlb, walk and page's raw entry (%u checks)\n", checks);
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
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_file_cap),
		cmocka_unit_test(test_confinement),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_trace),
	};
	int rc = cmocka_run_group_tests_name("scenario runner", tests, NULL, NULL);

	printf("scenario runner: %u checks\n", checks);
	return rc;
}
