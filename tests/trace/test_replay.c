/* SPDX-License-Identifier: MIT */
/*
 * Trace replay through the OS (sw/trace/layout.c, replay.c): the layout
 * (code and data regions, gaps, rwx, addresses that cannot be mapped, the
 * page tables needed), then replays on the golden model and in lockstep:
 * data checked against the shadow, demand paging (one page-in per touched
 * page when memory is plentiful), swap under pressure (never fewer page-ins
 * than Belady's OPT with the same frames), copy-on-write after a fork with
 * the child's memory checked, signals predicted from a prefix layout, din
 * cache flushes, a lockstep mismatch reported as a failed check, and the
 * shipped trace.
 */
#define _GNU_SOURCE
#include "../../sw/trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

static unsigned checks;
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)
#define CHECK_MSG(c, ...) do { if (!(c)) fail_msg(__VA_ARGS__); checks++; } while (0)

/* ---- building traces ---------------------------------------------------------- */

struct sb {
	char *b;
	size_t n, cap;
};

static void put(struct sb *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->cap - s->n < 128) {
		s->cap = s->cap ? s->cap * 2 : 1 << 16;
		s->b = realloc(s->b, s->cap);
		assert_non_null(s->b);
	}
	va_start(ap, fmt);
	n = vsnprintf(s->b + s->n, s->cap - s->n, fmt, ap);
	va_end(ap);
	s->n += (size_t)n;
}

static struct trace *parse(const char *origin, struct sb *s)
{
	struct trace *t;
	struct trace_diags d;

	if (trace_parse(s->b, s->n, origin, NULL, &t, &d))
		fail_msg("parse: %s", d.msg[0]);
	free(s->b);
	memset(s, 0, sizeof(*s));
	return t;
}

#define CODE 0x401000ull
#define HEAP 0x10000000ull
#define STACK 0x7ffffffde000ull

/* A small "program": a loop in two code pages that walks an array of
 * `pages` pages (loads, stores, read-modify-writes) `passes` times, with
 * pushes and pops on a stack page. */
static struct trace *program(unsigned pages, unsigned passes, unsigned stride)
{
	struct sb s = { 0 };

	put(&s, "==1== Command: program\n");
	for (unsigned p = 0; p < passes; p++)
		for (uint64_t off = 0; off < pages * 4096ull; off += stride) {
			uint64_t pc = CODE + (off / stride % 2) * 4096;

			put(&s, "I  %llx,4\n", (unsigned long long)pc);
			put(&s, " L %llx,8\n", (unsigned long long)(HEAP + off));
			put(&s, "I  %llx,7\n", (unsigned long long)pc + 4);
			put(&s, " M %llx,4\n", (unsigned long long)(HEAP + off + 8));
			if (p % 2 == 0)
				put(&s, " S %llx,8\n",
				    (unsigned long long)(HEAP + off + 16));
			put(&s, " S %llx,8\n", (unsigned long long)(STACK + 0xff8));
			put(&s, " L %llx,8\n", (unsigned long long)(STACK + 0xff8));
		}
	return parse("program.lackey", &s);
}

static struct mmu_config x86(void)
{
	struct mmu_config c;
	char err[256];

	if (mmu_config_load("x86", &c, err, sizeof(err)))
		fail_msg("%s", err);
	return c;
}

static void run(const struct trace *t, struct trace_run_opts *o,
		struct trace_stats *st)
{
	char err[300];

	if (trace_run(t, o, st, err, sizeof(err)))
		fail_msg("trace_run: %s", err);
	checks++;
}

/* ---- tests ------------------------------------------------------------------------ */

static void layout(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct sb s = { 0 };
	struct trace *t;
	struct trace_layout lay;
	char err[256];

	put(&s, "I  400000,4\nI  401ff0,16\n");      /* code: 2 pages */
	put(&s, " S 400010,4\n");                     /* stored to: rwx */
	put(&s, " L 600000,8\n L 601000,8\n");        /* data */
	put(&s, " S 608000,8\n");                     /* 6 pages on: joined */
	put(&s, " L 620000,8\n");                     /* 23 pages on: apart */
	put(&s, "I  621000,1\n");                     /* code next to data */
	put(&s, " L 1000,4\n");                       /* below mmap_min_addr */
	put(&s, " L 800000000000,8\n");               /* above user space */
	put(&s, " S 7fffffffeff8,8\n");               /* the stack */
	t = parse("l.lackey", &s);
	CHECK_EQ(trace_layout(t, &cfg, NULL, &lay, err, sizeof(err)), 0);
	CHECK_EQ(lay.n, 5);
	CHECK(lay.r[0].start == 0x400000 && lay.r[0].end == 0x402000 &&
	      lay.r[0].code &&
	      lay.r[0].prot == (PROT_READ | PROT_WRITE | PROT_EXEC));
	CHECK(lay.r[1].start == 0x600000 && lay.r[1].end == 0x609000 &&
	      !lay.r[1].code && lay.r[1].prot == (PROT_READ | PROT_WRITE) &&
	      lay.r[1].touched == 3);
	CHECK(lay.r[2].start == 0x620000 && lay.r[2].end == 0x621000);
	CHECK(lay.r[3].start == 0x621000 && lay.r[3].code &&
	      lay.r[3].prot == (PROT_READ | PROT_EXEC));
	CHECK(lay.r[4].start == 0x7fffffffe000);
	trace_layout_free(&lay);
	trace_free(t);
}

static void layout_counts(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct sb s = { 0 };
	struct trace *t;
	struct trace_layout lay;
	struct trace_layout_opts o = { .gap_pages = 1 };
	char err[256];

	put(&s, "I  400000,4\n S 400010,4\n L 600000,8\n L 601000,8\n");
	put(&s, " S 603000,8\n L 1000,4\n L 800000000000,8\n");
	put(&s, " S 7fffffffeff8,8\n S 40000000,8\n");
	t = parse("c.lackey", &s);
	CHECK_EQ(trace_layout(t, &cfg, &o, &lay, err, sizeof(err)), 0);
	/* 400000 rwx | 600000-602000 | 603000 (gap of 1 page joins) ... */
	CHECK_EQ(lay.n, 4);
	CHECK(lay.r[1].start == 0x600000 && lay.r[1].end == 0x604000);
	CHECK_EQ(lay.rwx_regions, 1);
	CHECK_EQ(lay.code_regions, 1);
	CHECK_EQ(lay.touched_pages, 6);
	CHECK_EQ(lay.mapped_pages, 7);
	CHECK_EQ(lay.unmappable_refs, 2);
	/* tables: root; PDPT for 0-512G and for the top 512G (2); PD for
	 * 0-1G, 1G-2G and the top GiB (3); PT for 0x400000, 0x600000,
	 * 0x40000000 and the stack's 2 MiB (4) */
	CHECK_EQ(lay.table_frames, 1 + 2 + 3 + 4);
	CHECK_EQ(trace_layout_find(&lay, 0x600800), 1);
	CHECK_EQ(trace_layout_find(&lay, 0x604000), -1);
	CHECK_EQ(trace_mem_frames(&lay, 100, false), 3 + 10 + 100);
	CHECK_EQ(trace_mem_frames(&lay, 100, true), 3 + 20 + 100);
	trace_layout_free(&lay);
	/* a prefix sees less */
	o.prefix = 2;
	CHECK_EQ(trace_layout(t, &cfg, &o, &lay, err, sizeof(err)), 0);
	CHECK_EQ(lay.n, 1);
	trace_layout_free(&lay);
	trace_free(t);
}

static void replay_plain(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct trace *t = program(40, 3, 64);
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg,
				    .mem_bytes = 4 << 20, .no_zero_page = true };
	struct trace_stats st;

	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.signals, 0);
	CHECK_EQ(st.regions, 3);        /* code, heap, stack */
	CHECK_EQ(st.touched_pages, 2 + 40 + 1);
	CHECK_EQ(st.page_ins, st.touched_pages);  /* cold misses only */
	CHECK_EQ(st.os.swap_outs, 0);
	CHECK_EQ(st.pieces, st.loads + st.stores + st.fetches);
	CHECK(st.data_checked == st.loads + st.fetches);
	/* every piece is one access, plus one retried access per fault */
	CHECK_EQ(st.c.accesses, st.pieces + st.c.page_faults);
	CHECK_EQ(st.c.page_faults, st.os.minor_faults);
	CHECK(st.c.tlb_hits > st.c.tlb_misses);
	CHECK(st.c.l1_hits > st.c.l1_misses);
	/* with the zero page: pages only read never take a frame */
	o.no_zero_page = false;
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK(st.os.zero_page_maps >= 2);   /* the code pages */
	/* code from a file: read from the host file (major faults), and the
	 * fetched bytes are the file's */
	o.replay.code_file = true;
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.os.file_reads, 2);
	CHECK_EQ(st.os.major_faults, 2);
	CHECK(st.data_checked == st.loads + st.fetches);
	printf("plain: %llu pieces, %llu accesses, %llu faults, TLB %llu/%llu "
	       "hits, L1 %llu/%llu hits\n", (unsigned long long)st.pieces,
	       (unsigned long long)st.c.accesses,
	       (unsigned long long)st.c.page_faults,
	       (unsigned long long)st.c.tlb_hits,
	       (unsigned long long)(st.c.tlb_hits + st.c.tlb_misses),
	       (unsigned long long)st.c.l1_hits,
	       (unsigned long long)(st.c.l1_hits + st.c.l1_misses));
	trace_free(t);
}

static void replay_pressure(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct trace *t = program(64, 4, 256);
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg,
				    .no_zero_page = true,
				    .replay = { .preload_tables = true,
						.code_file = true } };
	struct trace_stats st;
	struct trace_refs r;
	struct trace_layout lay;
	char err[256];

	CHECK_EQ(trace_layout(t, &cfg, NULL, &lay, err, sizeof(err)), 0);
	CHECK_EQ(trace_refs_build(t, &lay, 12, &r), 0);
	CHECK_EQ(r.distinct, lay.touched_pages);
	for (uint64_t f = 8; f <= 72; f += 16) {
		uint64_t opt, lru;

		o.user_frames = f;
		run(t, &o, &st);
		CHECK_MSG(st.ok, "%s", st.fail);
		CHECK_EQ(st.user_frames, f);
		CHECK_EQ(trace_policy_faults(&r, TRACE_POL_OPT, f, &opt), 0);
		CHECK_EQ(trace_policy_faults(&r, TRACE_POL_LRU, f, &lru), 0);
		CHECK_MSG(st.page_ins >= opt, "%llu frames: OS %llu page-ins "
			  "< OPT %llu", (unsigned long long)f,
			  (unsigned long long)st.page_ins,
			  (unsigned long long)opt);
		if (f < lay.touched_pages)
			CHECK(st.os.swap_outs > 0 && st.os.swap_ins > 0 &&
			      st.os.file_pages_dropped > 0);
		printf("%2llu frames: OS clock %llu page-ins (%llu swap-ins), "
		       "LRU %llu, OPT %llu\n", (unsigned long long)f,
		       (unsigned long long)st.page_ins,
		       (unsigned long long)st.os.swap_ins,
		       (unsigned long long)lru, (unsigned long long)opt);
	}
	trace_refs_free(&r);
	trace_layout_free(&lay);
	trace_free(t);
}

static void replay_fork(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct trace *t = program(24, 4, 128);
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg,
				    .replay = { .fork_at = t->n / 2 } };
	struct trace_stats st;

	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.os.forks, 1);
	CHECK(st.os.cow_copies > 0);
	CHECK(st.cow_checked > 0);
	/* and under memory pressure: shared pages go to swap and back */
	o.user_frames = 20;
	o.replay.code_file = true;
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK(st.os.swap_outs > 0 && st.cow_checked > 0);
	printf("fork: %llu COW copies, %llu child words checked, %llu "
	       "swap-outs\n", (unsigned long long)st.os.cow_copies,
	       (unsigned long long)st.cow_checked,
	       (unsigned long long)st.os.swap_outs);
	trace_free(t);
}

static void replay_prefix(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct sb s = { 0 };
	struct trace *t;
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg,
				    .layout = { .prefix = 3 } };
	struct trace_stats st;

	put(&s, "I  401000,4\n S 600000,8\n L 600000,8\n");
	put(&s, " L 900000,8\n");     /* no region: SIGSEGV */
	put(&s, " S 401000,4\n");     /* code: SIGSEGV */
	put(&s, "I  600000,4\n");     /* data: SIGSEGV (XD) */
	put(&s, " L 600000,8\n L 1000,4\n");
	t = parse("p.lackey", &s);
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.signals, 3);
	CHECK_EQ(st.signals_expected, 3);
	CHECK_EQ(st.unmappable, 1);
	CHECK_EQ(st.os.segv, 3);
	trace_free(t);
}

static void replay_din(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct sb s = { 0 };
	struct trace *t;
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg };
	struct trace_stats st;

	for (int i = 0; i < 200; i++)
		put(&s, "2 %x\n1 %x\n0 %x\n%s", 0x401000 + 4 * (i % 64),
		    0x10000000 + 64 * i, 0x10000000 + 64 * (i / 2),
		    i % 50 == 49 ? "4 0\n3 0\n" : "");
	t = parse("d.din", &s);
	CHECK_EQ(t->flushes, 4);
	CHECK_EQ(t->misc_records, 4);
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.flushes, 4);
	CHECK(st.c.writebacks > 0);
	CHECK_EQ(st.pieces, 600);
	trace_free(t);
}

static void replay_lockstep(void **state)
{
	(void)state;
	struct mmu_config cfg = x86();
	struct trace *t = program(16, 2, 256);
	struct trace_run_opts o = { .backend = "lockstep-self", .cfg = &cfg,
				    .user_frames = 12,
				    .replay = { .fork_at = 100 } };
	struct trace_stats st;

	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK(st.lockstep);
	CHECK(st.checks > st.pieces);
	CHECK(st.os.swap_outs > 0);
	/* the checker's self-test: a flipped data bit is a failed check */
	o.bo.inject_access = 150;
	run(t, &o, &st);
	CHECK(!st.ok);
	CHECK_MSG(strstr(st.fail, "lockstep mismatch at access 150"), "%s",
		  st.fail);
	printf("lockstep: the injected difference is reported as: %.*s\n",
	       (int)strcspn(st.fail, "\n"), st.fail);
	/* an unknown back end: cannot start */
	char err[300];

	o.backend = "nosuch";
	CHECK_EQ(trace_run(t, &o, &st, err, sizeof(err)), -1);
	CHECK(strstr(err, "nosuch"));
	trace_free(t);
}

static void shipped(void **state)
{
	(void)state;
	static const char path[] = "tests/traces/ls-usr-bin.lackey.gz";
	struct mmu_config cfg = x86();
	struct trace_parse_opts po = { .max_records = 30000 };
	struct trace_run_opts o = { .backend = "golden", .cfg = &cfg,
				    .user_frames = 30, .no_zero_page = true,
				    .replay = { .fork_at = 20000,
						.code_file = true } };
	struct trace_stats st;
	struct trace *t;
	struct trace_diags d;

	if (access(path, R_OK)) {
		printf("(%s not found: run from the repository root)\n", path);
		return;
	}
	CHECK_MSG(trace_load(path, &po, &t, &d) == 0, "%s", d.msg[0]);
	run(t, &o, &st);
	CHECK_MSG(st.ok, "%s", st.fail);
	CHECK_EQ(st.signals, 0);
	printf("ls (30000 records): %llu pieces, %llu regions, %llu pages "
	       "touched, %llu page-ins, %llu swap-outs, %llu file reads, %llu "
	       "COW copies\n", (unsigned long long)st.pieces,
	       (unsigned long long)st.regions,
	       (unsigned long long)st.touched_pages,
	       (unsigned long long)st.page_ins,
	       (unsigned long long)st.os.swap_outs,
	       (unsigned long long)st.os.file_reads,
	       (unsigned long long)st.os.cow_copies);
	CHECK(st.os.swap_outs > 0);
	trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(layout_counts),
		cmocka_unit_test(replay_plain),
		cmocka_unit_test(replay_pressure),
		cmocka_unit_test(replay_fork),
		cmocka_unit_test(replay_prefix),
		cmocka_unit_test(replay_din),
		cmocka_unit_test(replay_lockstep),
		cmocka_unit_test(shipped),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_replay: %u checks\n", checks);
	return rc;
}
