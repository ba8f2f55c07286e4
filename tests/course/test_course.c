/* SPDX-License-Identifier: MIT */
/*
 * Course mode on the golden model: the debug path (TLB entries and L1
 * lines written and read back), the CS:APP 9.6.4 exercise
 * (examples/course/csapp-9.6.4.ex) loaded exactly and its answers marked
 * right, wrong answers marked wrong with the correct value, malformed
 * exercise files reported as file:line:col with what was expected, and
 * generated problems whose answer key checks clean.
 */
#include "../../sw/course/course.h"
#include "../../sw/golden/golden.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define EXAMPLE "examples/course/csapp-9.6.4.ex"

static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)

static struct machine *golden(const char *name)
{
	struct mmu_config cfg;
	struct machine *m;
	char err[256];

	assert_int_equal(mmu_config_load(name, &cfg, err, sizeof(err)), 0);
	assert_int_equal(golden_create(&cfg, 0, &m, err, sizeof(err)), 0);
	return m;
}

static void test_debug_path(void **state)
{
	const char *cfgs[] = { "csapp", "x86", "fpga" };

	(void)state;
	checks = 0;
	for (size_t i = 0; i < 3; i++) {
		struct machine *m = golden(cfgs[i]);
		const struct mmu_config *c = &m->cfg;
		struct mmu_tlb_slot e = { .valid = true, .vpn = 0x35 & ~(c->tlb_sets - 1),
					  .ppn = 0x2a, .pcid = 0, .level = 1, .rw = true,
					  .us = false, .dirty = true }, g;
		struct mmu_line_slot l = { .valid = true, .dirty = true, .tag = 0x13 }, k;
		unsigned set = 1, way = (unsigned)c->tlb_ways - 1;

		e.vpn |= set;
		for (unsigned b = 0; b < c->l1_line; b++)
			l.data[b] = (uint8_t)(b * 7 + 1);
		CHECK_EQ(machine_tlb_write(m, set, way, &e), 0);
		CHECK_EQ(machine_tlb_read(m, set, way, &g), 0);
		CHECK_EQ(g.valid && g.vpn == e.vpn && g.ppn == e.ppn && g.rw && !g.us &&
			 g.dirty && g.level == 1, 1);
		CHECK_EQ(machine_line_write(m, 2, (unsigned)c->l1_ways - 1, &l), 0);
		CHECK_EQ(machine_line_read(m, 2, (unsigned)c->l1_ways - 1, &k), 0);
		CHECK_EQ(k.valid && k.dirty && k.tag == 0x13, 1);
		CHECK_EQ(memcmp(k.data, l.data, c->l1_line), 0);
		/* Refused: a VPN whose TLBI bits are not the set, a way too many,
		 * a dirty invalid line, a tag wider than CT. */
		e.vpn ^= 1;
		CHECK_EQ(machine_tlb_write(m, set, way, &e), MMU_EINVAL);
		CHECK_EQ(machine_tlb_read(m, set, (unsigned)c->tlb_ways, &g), MMU_EINVAL);
		l.valid = false;
		CHECK_EQ(machine_line_write(m, 0, 0, &l), MMU_EINVAL);
		l.valid = true;
		l.tag = 1ull << c->l1_tag_bits;
		CHECK_EQ(machine_line_write(m, 0, 0, &l), MMU_EINVAL);
		machine_destroy(m);
	}
	printf("course: debug path on golden x3 configurations: TLB entry and L1 "
	       "line written and read back, bad slots refused (%u checks)\n", checks);
}

static struct course_ex *parse_example(void)
{
	struct course_ex *ex;
	char err[512];

	if (course_parse_file(EXAMPLE, &ex, err, sizeof(err)))
		fail_msg("%s", err);
	return ex;
}

/* Figure 9.20, exactly, through the read-back. */
static void test_figure_loaded(void **state)
{
	struct course_ex *ex = parse_example();
	struct machine *m = golden("csapp");
	char err[512];
	struct course_snap s;

	(void)state;
	checks = 0;
	CHECK_EQ(ex->n_tlb, 16);
	CHECK_EQ(ex->n_line, 16);
	CHECK_EQ(ex->n_acc, 5);
	CHECK_EQ(course_load(m, ex, err, sizeof(err)), 0);
	CHECK_EQ(course_snap_take(m, &s, err, sizeof(err)), 0);
	for (unsigned i = 0; i < ex->n_tlb; i++) {
		const struct course_tlb_item *it = &ex->tlb[i];
		const struct mmu_tlb_slot *e = &s.tlb[it->set * 4 + it->way];

		CHECK_EQ(e->valid, it->e.valid);
		CHECK_EQ(e->vpn, it->tag << 2 | it->set);  /* stale tags kept */
		CHECK_EQ(e->ppn, it->e.ppn);
	}
	for (unsigned i = 0; i < ex->n_line; i++) {
		const struct course_line_item *it = &ex->lines[i];
		const struct mmu_line_slot *l = &s.l1[it->set];

		CHECK_EQ(l->valid, it->l.valid);
		CHECK_EQ(l->tag, it->l.tag);
		CHECK_EQ(l->dirty, false);
		if (l->valid)
			CHECK_EQ(memcmp(l->data, it->l.data, 4), 0);
	}
	course_snap_free(&s);
	printf("course: %s loaded into golden: 16 TLB entries (stale tags "
	       "included) and 16 cache lines read back as the figure (%u checks)\n",
	       EXAMPLE, checks);
	machine_destroy(m);
	course_free(ex);
}

static unsigned mark_all(struct machine *m, struct course_ex *ex, unsigned *right,
			 FILE *out)
{
	char err[512];
	unsigned wrong = 0;

	assert_int_equal(course_load(m, ex, err, sizeof(err)), 0);
	for (unsigned i = 0; i < ex->n_acc; i++) {
		struct course_result r;

		if (course_run_access(m, &ex->acc[i], NULL, &r, err, sizeof(err)))
			fail_msg("%s", err);
		course_explain_text(m, &r, out);
		wrong += course_mark(&ex->acc[i], &r, out, right);
		course_result_free(&r);
	}
	return wrong;
}

/* The book's answers, right; then two of them changed, marked wrong. */
static void test_answers(void **state)
{
	struct course_ex *ex = parse_example();
	struct machine *m = golden("csapp");
	unsigned right = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	checks = 0;
	CHECK_EQ(mark_all(m, ex, &right, out), 0);
	CHECK_EQ(right, 13 + 13 + 12 + 12 + 6);
	machine_destroy(m);
	/* 0x03d4: say the TLB missed and the byte was 0x72. */
	ex->acc[0].ans.v[CF_TLB] = 0;
	ex->acc[0].ans.v[CF_DATA] = 0x72;
	m = golden("csapp");
	right = 0;
	fflush(out);
	CHECK_EQ(mark_all(m, ex, &right, out), 2);
	fclose(out);
	CHECK_EQ(strstr(text, "tlb   miss     WRONG: hit, way 1 of set 3 is valid "
			"with tag 0x03") != NULL, 1);
	CHECK_EQ(strstr(text, "data  0x72     WRONG: 0x36") != NULL, 1);
	CHECK_EQ(strstr(text, "level 1: table 0x700 + index 0x09 x 4 = entry at PA 0x724")
		 != NULL, 1);
	CHECK_EQ(strstr(text, "page fault (#PF): the entry is not present") != NULL, 1);
	free(text);
	printf("course: the book's 56 answers (9.6.4, 9.4, 9.11-9.13) marked right "
	       "on golden; two wrong ones marked wrong with the value and why "
	       "(%u checks)\n", checks);
	machine_destroy(m);
	course_free(ex);
}

static void expect_error(const char *text, const char *want)
{
	struct course_ex *ex = NULL;
	char err[512];

	CHECK_EQ(course_parse("bad.ex", text, strlen(text), &ex, err, sizeof(err)), -1);
	CHECK_EQ(ex == NULL, 1);
	if (strcmp(err, want))
		fail_msg("for %s\n got  '%s'\n want '%s'", text, err, want);
	checks++;
}

static void test_malformed(void **state)
{
	static char big[COURSE_MAX_BYTES + 2];

	(void)state;
	checks = 0;
	expect_error("tlb 0 0 tag=1\n", "bad.ex:1:1: expected 'config NAME' first");
	expect_error("config csapp\ntlb 0 x\n",
		     "bad.ex:2:7: expected a TLB way (a number: 12 or 0x0c), found 'x'");
	expect_error("config csapp\ntlb 0 1 tag=3 ppn\n",
		     "bad.ex:2:15: expected key=value, found 'ppn'");
	expect_error("config csapp\ntlb 0 1 ppn=3\n",
		     "bad.ex:2:14: expected tag=TLBT or vpn=VPN (one of them)");
	expect_error("config csapp\nline 1 0 tag=0x19 bytes 99 1G\n",
		     "bad.ex:2:28: expected a byte in hex (00..FF), found '1G'");
	expect_error("config csapp\npte 3 ppn=2 valid=2\n",
		     "bad.ex:2:19: expected 0 or 1 for valid, found '2'");
	expect_error("config csapp\nload 0x3d4 kernel\n",
		     "bad.ex:2:12: expected user, supervisor, size=N, found 'kernel'");
	expect_error("config csapp\nanswer tlb=hit\n",
		     "bad.ex:2:1: expected an access (load, store, fetch) before 'answer'");
	expect_error("config csapp\nload 0x3d4\nanswer tlb=maybe\n",
		     "bad.ex:3:12: expected hit or miss for tlb, found 'maybe'");
	expect_error("config csapp\nload 0x3d5 size=2\n",
		     "bad.ex:2:6: the address is not aligned to the size");
	expect_error("config csapp\nfrobnicate 1\n",
		     "bad.ex:2:1: expected a statement (config, title, ptbr, cr0, cr3, "
		     "cr4, efer, tlb, pte, line, mem, load, store, fetch, answer), "
		     "found 'frobnicate'");
	expect_error("# nothing\n", "bad.ex:2:1: expected 'config NAME' (the file has none)");
	expect_error("config csapp\nload \x01\n", "bad.ex:2:6: expected text, found byte 0x01");
	memset(big, 'a', sizeof(big) - 1);
	expect_error(big, "bad.ex: larger than 1048576 bytes");
	memset(big, ' ', 5000);
	big[5000] = 0;
	expect_error(big, "bad.ex:1:2048: expected a line of at most 2046 characters");
	printf("course: %u malformed exercise files reported as file:line:col with "
	       "what was expected (%u checks)\n", 15u, checks);
}

/* Errors found when loading, with the line that caused them. */
static void test_load_errors(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "config csapp\nptbr 0x700\ntlb 4 0 tag=1 ppn=2\n",
		  "bad.ex:3:1: TLB set 4 way 0: csapp has 4 sets of 4 ways" },
		{ "config csapp\nptbr 0x700\ntlb 1 0 tag=0x40 ppn=2\n",
		  "bad.ex:3:1: tag 0x40 is wider than TLBT (6 bits)" },
		{ "config csapp\nptbr 0x700\nline 1 0 tag=1\nline 1 0 tag=2\n",
		  "bad.ex:4:1: cache set 1 way 0 already given on line 3" },
		{ "config csapp\nptbr 0x700\nline 1 0 tag=1 bytes 01 02\n",
		  "bad.ex:3:1: expected 4 bytes (a line), found 2" },
		{ "config x86\npte 5 ppn=1\n",
		  "bad.ex:2:1: 'pte VPN' is for one-level tables; x86 has 4 levels: "
		  "use 'pte L<level> TABLE INDEX'" },
	};

	(void)state;
	checks = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct course_ex *ex;
		struct mmu_config cfg;
		struct machine *m;
		char err[512];

		CHECK_EQ(course_parse("bad.ex", cases[i].text, strlen(cases[i].text),
				      &ex, err, sizeof(err)), 0);
		assert_int_equal(mmu_config_load(ex->config, &cfg, err, sizeof(err)), 0);
		assert_int_equal(golden_create(&cfg, 0, &m, err, sizeof(err)), 0);
		CHECK_EQ(course_load(m, ex, err, sizeof(err)), -1);
		if (strcmp(err, cases[i].want))
			fail_msg("got '%s', want '%s'", err, cases[i].want);
		machine_destroy(m);
		course_free(ex);
	}
	printf("course: %zu exercise files refused at load with their line (%u checks)\n",
	       sizeof(cases) / sizeof(cases[0]), checks);
}

/* Generated problems: the key parses, and checks clean on a fresh machine. */
static void test_generated(void **state)
{
	const char *cfgs[] = { "csapp", "x86", "fpga" };
	unsigned n = 0;

	(void)state;
	checks = 0;
	for (size_t i = 0; i < 3; i++)
		for (uint64_t seed = 1; seed <= 3; seed++, n++) {
			struct mmu_config cfg;
			char *ex_t = NULL, *key_t = NULL, err[512];
			size_t el = 0, kl = 0;
			FILE *ef = open_memstream(&ex_t, &el), *kf = open_memstream(&key_t, &kl);
			struct course_ex *ex, *key;
			struct machine *m;
			unsigned right = 0, answered = 0;
			FILE *null = fopen("/dev/null", "w");

			assert_int_equal(mmu_config_load(cfgs[i], &cfg, err, sizeof(err)), 0);
			if (course_generate(&cfg, cfgs[i], seed, 6, ef, kf, err, sizeof(err)))
				fail_msg("%s", err);
			fclose(ef);
			fclose(kf);
			CHECK_EQ(course_parse("gen.ex", ex_t, el, &ex, err, sizeof(err)), 0);
			if (course_parse("key.ex", key_t, kl, &key, err, sizeof(err)))
				fail_msg("%s\n%s", err, key_t);
			CHECK_EQ(ex->n_acc, 6);
			CHECK_EQ(key->n_acc, 6);
			for (unsigned a = 0; a < key->n_acc; a++)
				answered += key->acc[a].ans.given[CF_VPN];
			CHECK_EQ(answered, 6);
			m = golden(cfgs[i]);
			CHECK_EQ(mark_all(m, key, &right, null), 0);
			CHECK_EQ(right >= 6 * 6, 1);
			fclose(null);
			machine_destroy(m);
			course_free(ex);
			course_free(key);
			free(ex_t);
			free(key_t);
		}
	printf("course: %u generated problems (csapp, x86, fpga x 3 seeds): each "
	       "parses, and its answer key checks clean (%u checks)\n", n, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debug_path),
		cmocka_unit_test(test_figure_loaded),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_generated),
	};

	return cmocka_run_group_tests_name("course", tests, NULL, NULL);
}
