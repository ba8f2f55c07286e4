/* SPDX-License-Identifier: MIT */
/*
 * The configuration library (sw/config): the built-in configurations and
 * their derived fields, format/parse round trips, every rejection naming
 * the parameter at fault (through mmu_config_set and through parse), the
 * "origin:line:" of parse errors, mmu_config_set leaving the configuration
 * alone on error, and mmu_config_load by name and by path.
 */
#include "cfg_util.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static unsigned checks;
#define CHECK_EQ(a, b) do { assert_int_equal((a), (b)); checks++; } while (0)
#define CHECK(c) do { assert_true(c); checks++; } while (0)
#define CHECK_MSG(c, ...) do { if (!(c)) fail_msg(__VA_ARGS__); checks++; } while (0)

static struct mmu_config load(const char *name)
{
	struct mmu_config c;
	char err[MMU_CFG_ERR_MAX];

	if (mmu_config_load(name, &c, err, sizeof(err)))
		fail_msg("load %s: %s", name, err);
	return c;
}

static void check_same(const struct mmu_config *a, const struct mmu_config *b,
		       const char *ctx)
{
	const char *what;

	CHECK_MSG(cfg_equal(a, b, &what), "%s: field %s differs", ctx, what);
}

/* ---- built-ins ---------------------------------------------------------- */

struct expect {
	const char *name;
	enum mmu_canonical canonical;
	uint64_t va_bits, pa_bits, levels, page_shift, pte_bytes, page_2m,
		page_1g, pcid, tlb_sets, tlb_ways, l1_sets, l1_ways, l1_line,
		psc_entries, mem_bytes;
	unsigned index_bits, vpn_bits, ppn_bits, tlbi, tlbt, co, ci, ct;
	uint64_t rsvd;
};

/* The files in configs/ and docs/configurations.md; derived fields by hand. */
static const struct expect builtins[] = {
	{ "x86", MMU_CANON_SIGN, 48, 46, 4, 12, 8, 1, 1, 1, 16, 4, 64, 8, 64, 4,
	  0x4000000, 9, 36, 34, 4, 32, 6, 6, 34, 0x000fc00000000000ull },
	{ "csapp", MMU_CANON_ZERO, 14, 12, 1, 6, 4, 0, 0, 0, 4, 4, 16, 1, 4, 0,
	  0x1000, 8, 8, 6, 2, 6, 2, 4, 6, 0x00000000fffc0000ull },
	{ "fpga", MMU_CANON_SIGN, 48, 32, 4, 12, 8, 1, 1, 1, 8, 2, 64, 2, 16, 0,
	  0x1000000, 9, 36, 20, 3, 33, 4, 6, 22, 0x000fffff00000000ull },
	{ "board", MMU_CANON_SIGN, 48, 17, 4, 12, 8, 1, 1, 1, 4, 2, 2, 2, 16, 0,
	  0x20000, 9, 36, 5, 2, 34, 4, 1, 12, 0x000ffffffffe0000ull },
};
#define N_BUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static void test_builtins(void **state)
{
	unsigned n = 0;

	(void)state;
	checks = 0;
	CHECK_EQ(mmu_builtin_config_count, N_BUILTINS);
	for (size_t i = 0; i < N_BUILTINS; i++, n++) {
		const struct expect *e = &builtins[i];
		const char *text = cfg_builtin_text(e->name);
		struct mmu_config c = load(e->name), p, v;
		char err[MMU_CFG_ERR_MAX];

		CHECK_MSG(text != NULL, "no built-in '%s'", e->name);
		CHECK_EQ(mmu_config_parse(text, e->name, &p, err, sizeof(err)), 0);
		check_same(&c, &p, e->name);
		CHECK_EQ(strcmp(c.name, e->name), 0);
		CHECK_EQ(c.canonical, e->canonical);
		CHECK_EQ(c.va_bits, e->va_bits);
		CHECK_EQ(c.pa_bits, e->pa_bits);
		CHECK_EQ(c.levels, e->levels);
		CHECK_EQ(c.page_shift, e->page_shift);
		CHECK_EQ(c.pte_bytes, e->pte_bytes);
		CHECK_EQ(c.page_2m, e->page_2m);
		CHECK_EQ(c.page_1g, e->page_1g);
		CHECK_EQ(c.pcid, e->pcid);
		CHECK_EQ(c.tlb_sets, e->tlb_sets);
		CHECK_EQ(c.tlb_ways, e->tlb_ways);
		CHECK_EQ(c.l1_sets, e->l1_sets);
		CHECK_EQ(c.l1_ways, e->l1_ways);
		CHECK_EQ(c.l1_line, e->l1_line);
		CHECK_EQ(c.psc_entries, e->psc_entries);
		CHECK_EQ(c.mem_bytes, e->mem_bytes);
		CHECK_EQ(c.hit_stage, !strcmp(e->name, "fpga"));  /* configs/fpga.cfg only */
		CHECK_EQ(c.index_bits, e->index_bits);
		CHECK_EQ(c.vpn_bits, e->vpn_bits);
		CHECK_EQ(c.ppn_bits, e->ppn_bits);
		CHECK_EQ(c.tlb_index_bits, e->tlbi);
		CHECK_EQ(c.tlb_tag_bits, e->tlbt);
		CHECK_EQ(c.l1_offset_bits, e->co);
		CHECK_EQ(c.l1_index_bits, e->ci);
		CHECK_EQ(c.l1_tag_bits, e->ct);
		CHECK_EQ(c.pte_rsvd_mask, e->rsvd);
		/* Validation is idempotent and recomputes derived fields that
		 * were tampered with. */
		v = c;
		CHECK_EQ(mmu_config_validate(&v, err, sizeof(err)), 0);
		check_same(&c, &v, "validate again");
		v.vpn_bits = 99;
		v.l1_tag_bits = 0;
		v.pte_rsvd_mask = ~0ull;
		CHECK_EQ(mmu_config_validate(&v, err, sizeof(err)), 0);
		check_same(&c, &v, "validate recomputes");
	}
	printf("config: %u built-ins (x86, csapp, fpga, board) load by name and parse, "
	       "every key and derived field as documented (%u checks)\n", n, checks);
}

/* ---- format / parse ----------------------------------------------------- */

static void roundtrip(const struct mmu_config *c, const char *ctx)
{
	char buf[2048], small[2048], err[MMU_CFG_ERR_MAX];
	struct mmu_config p;
	int n = mmu_config_format(c, buf, sizeof(buf));

	CHECK_MSG(n > 0, "%s: format failed", ctx);
	CHECK_EQ((size_t)n, strlen(buf));
	CHECK_MSG(mmu_config_parse(buf, ctx, &p, err, sizeof(err)) == 0, "%s: %s",
		  ctx, err);
	check_same(c, &p, ctx);
	/* Exactly enough room, then one byte short: -1, still terminated. */
	CHECK_EQ(mmu_config_format(c, small, (size_t)n + 1), n);
	CHECK_EQ(strcmp(small, buf), 0);
	memset(small, 'x', sizeof(small));
	CHECK_EQ(mmu_config_format(c, small, (size_t)n), -1);
	CHECK_EQ(small[n - 1], 0);
	CHECK_EQ(small[n], 'x');
	CHECK_EQ(mmu_config_format(c, small, 10), -1);
	CHECK_EQ(strlen(small), 9);
}

static void test_format_roundtrip(void **state)
{
	/* Non-default values, one at a time, on each built-in. */
	static const char *const edits[][2] = {
		{ "name", "my-config" }, { "canonical", "zero" },
		{ "tlb_sets", "0x20" }, { "tlb_ways", "8" }, { "l1_ways", "1" },
		{ "psc_entries", "64" }, { "pcid", "0" }, { "mem_bytes", "0x800" },
	};
	unsigned n = 0;
	char err[MMU_CFG_ERR_MAX];

	(void)state;
	checks = 0;
	for (size_t i = 0; i < N_BUILTINS; i++) {
		struct mmu_config c = load(builtins[i].name);

		roundtrip(&c, builtins[i].name);
		n++;
		for (size_t k = 0; k < sizeof(edits) / sizeof(edits[0]); k++) {
			struct mmu_config d = c;

			if (mmu_config_set(&d, edits[k][0], edits[k][1], err,
					   sizeof(err)))
				continue;  /* not valid on this base (e.g. mem_bytes) */
			roundtrip(&d, edits[k][0]);
			n++;
		}
	}
	/* The built-in text itself survives CRLF line ends, a missing final
	 * newline, tabs and "key=value" without blanks. */
	for (size_t i = 0; i < N_BUILTINS; i++) {
		const char *t = cfg_builtin_text(builtins[i].name);
		struct mmu_config c = load(builtins[i].name), p;
		size_t len = strlen(t);
		char *crlf = malloc(2 * len + 1), *tight = malloc(len + 1), *q;

		assert_non_null(crlf);
		assert_non_null(tight);
		q = crlf;
		for (const char *s = t; *s; s++) {
			if (*s == '\n')
				*q++ = '\r';
			*q++ = *s;
		}
		*q = 0;
		CHECK_EQ(mmu_config_parse(crlf, "crlf", &p, err, sizeof(err)), 0);
		check_same(&c, &p, "crlf");
		q = tight;
		for (const char *s = t; *s; s++)
			*q++ = *s == ' ' ? '\t' : *s;
		*q = 0;
		tight[len - 1] = 0;  /* drop the final newline */
		CHECK_EQ(mmu_config_parse(tight, "tabs", &p, err, sizeof(err)), 0);
		check_same(&c, &p, "tabs");
		free(crlf);
		free(tight);
		n += 2;
	}
	printf("config: %u configurations format and parse back identically; "
	       "format reports a short buffer; CRLF/tabs accepted (%u checks)\n",
	       n, checks);
}

/* ---- rejections --------------------------------------------------------- */

enum where { LINE, WHOLE };  /* a message of one line, or of the whole */

struct reject {
	const char *base, *key, *value;
	enum where where;
	const char *also;  /* a second substring the message must hold */
};

static const struct reject rejects[] = {
	/* VIPT aliasing */
	{ "x86", "l1_sets", "128", WHOLE, "alias" },
	{ "fpga", "l1_line", "128", WHOLE, "alias" },   /* names l1_sets */
	{ "csapp", "l1_sets", "32", WHOLE, "alias" },
	/* powers of two and their maximums */
	{ "x86", "tlb_sets", "12", WHOLE, "power of two" },
	{ "x86", "tlb_sets", "0", WHOLE, "power of two" },
	{ "x86", "tlb_ways", "3", WHOLE, "power of two" },
	{ "x86", "tlb_ways", "0", WHOLE, "power of two" },
	{ "x86", "l1_sets", "48", WHOLE, "power of two" },
	{ "x86", "l1_ways", "6", WHOLE, "power of two" },
	{ "x86", "l1_line", "48", WHOLE, "power of two" },
	{ "x86", "l1_line", "0", WHOLE, "power of two" },
	{ "x86", "psc_entries", "3", WHOLE, "power of two" },
	{ "fpga", "psc_entries", "6", WHOLE, "power of two" },
	{ "x86", "tlb_ways", "64", WHOLE, "maximum" },
	{ "x86", "l1_ways", "64", WHOLE, "maximum" },
	{ "x86", "l1_line", "512", WHOLE, "maximum" },
	{ "x86", "psc_entries", "128", WHOLE, "maximum" },
	{ "x86", "tlb_sets", "8192", WHOLE, "maximum" },
	{ "fpga", "hit_stage", "2", WHOLE, "expected 0" },
	{ "csapp", "tlb_sets", "512", WHOLE, "VPN" },
	/* levels and widths */
	{ "x86", "levels", "5", WHOLE, "divide" },
	{ "csapp", "levels", "3", WHOLE, "divide" },
	{ "x86", "levels", "0", WHOLE, "1..5" },
	{ "x86", "levels", "6", WHOLE, "1..5" },
	{ "x86", "page_shift", "1", WHOLE, "2..16" },
	{ "x86", "page_shift", "17", WHOLE, "2..16" },
	{ "x86", "va_bits", "58", WHOLE, "57" },
	{ "x86", "va_bits", "12", WHOLE, "page_shift" },
	{ "x86", "pa_bits", "53", WHOLE, "52" },
	{ "x86", "pa_bits", "12", WHOLE, "page_shift" },
	{ "x86", "pte_bytes", "6", WHOLE, "4 or 8" },
	{ "x86", "pte_bytes", "0", WHOLE, "4 or 8" },
	/* pa_bits too wide for 4-byte entries: 12 + 21 > 32 */
	{ "csapp", "pa_bits", "27", WHOLE, "4-byte entry" },
	{ "x86", "pte_bytes", "4", WHOLE, "4-byte entry" },  /* names pa_bits */
	{ "x86", "l1_line", "4", WHOLE, "pte_bytes" },
	{ "fpga", "l1_line", "4", WHOLE, "pte_bytes" },
	/* memory */
	{ "x86", "mem_bytes", "0x1001", WHOLE, "multiple" },
	{ "x86", "mem_bytes", "0", WHOLE, "multiple" },
	{ "csapp", "mem_bytes", "0x20", WHOLE, "multiple" },
	{ "csapp", "mem_bytes", "0x2000", WHOLE, "pa_bits" },
	{ "csapp", "mem_bytes", "0x1040", WHOLE, "pa_bits" },
	/* large pages need the levels */
	{ "x86", "levels", "2", WHOLE, "page_1g" },
	{ "csapp", "page_2m", "1", WHOLE, "levels" },
	{ "csapp", "page_1g", "1", WHOLE, "levels" },
	/* booleans */
	{ "x86", "pcid", "2", WHOLE, "0 or 1" },
	{ "x86", "page_2m", "2", WHOLE, "0 or 1" },
	{ "x86", "page_1g", "7", WHOLE, "0 or 1" },
	/* one line's value */
	{ "x86", "canonical", "both", LINE, "'both'" },
	{ "x86", "canonical", "", LINE, "sign" },
	{ "csapp", "canonical", "Zero", LINE, "'Zero'" },
	{ "x86", "name", "", LINE, "1..31" },
	{ "x86", "name", "abcdefghijklmnopqrstuvwxyz012345", LINE, "1..31" },
	{ "x86", "tlb_ways", "abc", LINE, "'abc'" },
	{ "x86", "tlb_ways", "-3", LINE, "'-3'" },
	{ "x86", "tlb_ways", "-0", LINE, "non-negative" },
	{ "x86", "tlb_ways", "12abc", LINE, "'12abc'" },
	{ "x86", "tlb_ways", "", LINE, "non-negative" },
	{ "x86", "tlb_ways", "0x", LINE, "'0x'" },
	{ "x86", "tlb_ways", "4.0", LINE, "'4.0'" },
	{ "x86", "mem_bytes", "1e6", LINE, "'1e6'" },
	{ "x86", "mem_bytes", "99999999999999999999", LINE, "non-negative" },
	{ "x86", "va_bits", "4 8", LINE, "'4 8'" },
	{ "x86", "tlb_assoc", "4", LINE, "unknown key" },
	{ "x86", "TLB_WAYS", "4", LINE, "unknown key" },
	{ "x86", "vpn_bits", "36", LINE, "unknown key" },  /* derived: not a key */
};
#define N_REJECTS (sizeof(rejects) / sizeof(rejects[0]))

/* The parameter a message must name: the key, except where the rule is
 * stated on another one. */
static const char *culprit(const struct reject *r)
{
	if (!strcmp(r->key, "l1_line") && !strcmp(r->also, "alias"))
		return "l1_sets";  /* l1_sets x l1_line: reported on l1_sets */
	if (!strcmp(r->key, "levels") && !strcmp(r->also, "page_1g"))
		return "page_1g";
	if (!strcmp(r->key, "pte_bytes") && strcmp(r->also, "4 or 8"))
		return "pa_bits";
	return r->key;
}

static void test_rejections_set(void **state)
{
	unsigned n = 0;

	(void)state;
	checks = 0;
	for (size_t i = 0; i < N_REJECTS; i++, n++) {
		const struct reject *r = &rejects[i];
		struct mmu_config c = load(r->base), before = c;
		char err[MMU_CFG_ERR_MAX] = "";
		int rc = mmu_config_set(&c, r->key, r->value, err, sizeof(err));

		CHECK_MSG(rc == -1, "%s: set %s=%s accepted", r->base, r->key,
			  r->value);
		CHECK_MSG(contains(err, culprit(r)) && contains(err, r->also),
			  "%s: set %s=%s: message '%s' lacks '%s' or '%s'", r->base,
			  r->key, r->value, err, culprit(r), r->also);
		/* mmu_config_set leaves the configuration unchanged on error. */
		check_same(&before, &c, "set on error");
		CHECK_EQ(memcmp(&before, &c, sizeof(c)), 0);
	}
	/* Failure after an earlier success: only the successful set sticks. */
	{
		struct mmu_config c = load("x86"), before;
		char err[MMU_CFG_ERR_MAX];

		CHECK_EQ(mmu_config_set(&c, "tlb_sets", "32", err, sizeof(err)), 0);
		CHECK_EQ(c.tlb_index_bits, 5);
		CHECK_EQ(c.tlb_tag_bits, 31);
		before = c;
		CHECK_EQ(mmu_config_set(&c, "l1_sets", "256", err, sizeof(err)), -1);
		check_same(&before, &c, "set after set");
		n++;
		CHECK_EQ(mmu_config_set(&c, "l1_sets", "32", err, sizeof(err)), 0);
		CHECK_EQ(c.l1_index_bits, 5);
		CHECK_EQ(c.l1_tag_bits, 35);
		CHECK_EQ(mmu_config_set(&c, "canonical", "zero", err, sizeof(err)), 0);
		CHECK_EQ(c.canonical, MMU_CANON_ZERO);
		CHECK_EQ(mmu_config_set(&c, "name", "mine", err, sizeof(err)), 0);
		CHECK_EQ(strcmp(c.name, "mine"), 0);
		/* A bigger page makes a bigger cache legal: with 64 KiB pages
		 * (32 VPN bits, 4 levels of 8) 128 x 64 bytes no longer alias. */
		c = load("x86");
		CHECK_EQ(mmu_config_set(&c, "l1_sets", "128", err, sizeof(err)), -1);
		CHECK_EQ(mmu_config_set(&c, "page_shift", "13", err, sizeof(err)), -1);
		CHECK_MSG(contains(err, "levels"), "'%s'", err);  /* 35 % 4 */
		before = load("x86");
		check_same(&before, &c, "two failed sets");
		n += 2;
		CHECK_EQ(mmu_config_set(&c, "page_shift", "16", err, sizeof(err)), 0);
		CHECK_EQ(c.index_bits, 8);
		CHECK_EQ(c.ppn_bits, 30);
		CHECK_EQ(mmu_config_set(&c, "l1_sets", "128", err, sizeof(err)), 0);
		CHECK_EQ(c.l1_index_bits, 7);
	}
	printf("config: %u rejected mmu_config_set calls name the parameter at "
	       "fault and leave the configuration unchanged; accepted sets "
	       "re-derive the fields (%u checks)\n", n, checks);
}

static void test_rejections_parse(void **state)
{
	unsigned n = 0;

	(void)state;
	checks = 0;
	for (size_t i = 0; i < N_REJECTS; i++, n++) {
		const struct reject *r = &rejects[i];
		unsigned line;
		char *text = cfg_text_set(cfg_builtin_text(r->base), r->key,
					  r->value, &line);
		struct mmu_config c = load("fpga"), before = c;
		char err[MMU_CFG_ERR_MAX] = "", prefix[64];
		int rc = mmu_config_parse(text, "my.cfg", &c, err, sizeof(err));

		CHECK_MSG(rc == -1, "%s: parse with %s = %s accepted", r->base,
			  r->key, r->value);
		/* A line's error carries its line; a rule about the whole
		 * configuration carries the origin only. */
		if (r->where == LINE)
			snprintf(prefix, sizeof(prefix), "my.cfg:%u: ", line);
		else
			snprintf(prefix, sizeof(prefix), "my.cfg: ");
		CHECK_MSG(starts_with(err, prefix), "%s %s=%s: '%s' does not start "
			  "with '%s'", r->base, r->key, r->value, err, prefix);
		CHECK_MSG(contains(err, culprit(r)) && contains(err, r->also),
			  "%s: parse %s=%s: message '%s' lacks '%s' or '%s'", r->base,
			  r->key, r->value, err, culprit(r), r->also);
		/* The output is only written on success. */
		check_same(&before, &c, "parse on error");
		free(text);
	}
	printf("config: %u rejected configuration texts name the parameter, "
	       "with origin:line: for a line's error (%u checks)\n", n, checks);
}

/* Syntax: missing keys, lines without '=', long lines, where lines are
 * counted from. */
static void test_parse_syntax(void **state)
{
	static const char *const keys[] = {
#define CFG_KEY_NAME(k, doc) #k,
		MMU_CONFIG_KEYS(CFG_KEY_NAME)
#undef CFG_KEY_NAME
		"name", "canonical",
	};
	const char *x86 = cfg_builtin_text("x86");
	struct mmu_config c;
	char err[MMU_CFG_ERR_MAX], exp[MMU_CFG_ERR_MAX];
	unsigned n = 0, line;
	char *t;

	(void)state;
	checks = 0;
	/* Every key is required, canonical included, but hit_stage (0 when
	 * absent: the RTL's timing, no outcome depends on it). */
	t = cfg_text_replace(cfg_builtin_text("fpga"), "hit_stage", NULL, &line);
	CHECK_EQ(line, 0);
	CHECK_EQ(mmu_config_parse(t, "fpga", &c, err, sizeof(err)), 0);
	CHECK_EQ(c.hit_stage, 0);
	free(t);
	n++;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++, n++) {
		if (!strcmp(keys[i], "hit_stage"))
			continue;
		t = cfg_text_replace(x86, keys[i], NULL, &line);
		CHECK_EQ(line, 0);
		CHECK_EQ(mmu_config_parse(t, "x86", &c, err, sizeof(err)), -1);
		snprintf(exp, sizeof(exp), "x86: missing key '%s'", keys[i]);
		CHECK_MSG(starts_with(err, exp), "'%s' is not '%s...'", err, exp);
		free(t);
	}
	/* A key set twice is refused at its second line. */
	{
		size_t len = strlen(x86) + 32;
		char *dup = malloc(len);

		assert_non_null(dup);
		snprintf(dup, len, "%stlb_ways = 8\n", x86);
		CHECK_EQ(mmu_config_parse(dup, "x86", &c, err, sizeof(err)), -1);
		CHECK_MSG(strstr(err, "'tlb_ways' is set twice") != NULL, "'%s'", err);
		free(dup);
		n++;
	}
	/* Empty text and comments only: the first thing missing is name. */
	CHECK_EQ(mmu_config_parse("", "empty", &c, err, sizeof(err)), -1);
	CHECK_EQ(strcmp(err, "empty: missing key 'name'"), 0);
	CHECK_EQ(mmu_config_parse("# nothing\n\n   \n", "c", &c, err, sizeof(err)), -1);
	CHECK_EQ(strcmp(err, "c: missing key 'name'"), 0);
	n += 2;
	/* A line without '=', on the line that tlb_ways had. */
	t = cfg_text_replace(x86, "tlb_ways", "tlb_ways 4", &line);
	CHECK_EQ(mmu_config_parse(t, "x86.cfg", &c, err, sizeof(err)), -1);
	snprintf(exp, sizeof(exp), "x86.cfg:%u: expected 'key = value', got "
		 "'tlb_ways 4'", line);
	CHECK_MSG(!strcmp(err, exp), "'%s' is not '%s'", err, exp);
	free(t);
	/* "= 4": an empty key is an unknown one. */
	t = cfg_text_replace(x86, "tlb_ways", " = 4", &line);
	CHECK_EQ(mmu_config_parse(t, "x86.cfg", &c, err, sizeof(err)), -1);
	snprintf(exp, sizeof(exp), "x86.cfg:%u: unknown key ''", line);
	CHECK_MSG(!strcmp(err, exp), "'%s' is not '%s'", err, exp);
	free(t);
	n += 2;
	/* Lines are counted from 1, comments and blank lines included. */
	{
		const char *text = "# a comment\n\n   # another\nname = t\n"
				   "\tbogus = 1   # here\n";

		CHECK_EQ(mmu_config_parse(text, "t.cfg", &c, err, sizeof(err)), -1);
		CHECK_EQ(strcmp(err, "t.cfg:5: unknown key 'bogus'"), 0);
		n++;
	}
	/* A line of 511 characters is fine, 512 is too long (even a comment). */
	{
		char longl[600];

		memset(longl, ' ', sizeof(longl));
		longl[0] = '#';
		longl[511] = 0;
		t = cfg_text_replace(x86, "l1_ways", longl, &line);
		CHECK_EQ(mmu_config_parse(t, "x86", &c, err, sizeof(err)), -1);
		snprintf(exp, sizeof(exp), "x86: missing key 'l1_ways'");
		CHECK_MSG(starts_with(err, exp), "'%s'", err);
		free(t);
		memset(longl, ' ', sizeof(longl));
		longl[0] = '#';
		longl[512] = 0;
		t = cfg_text_replace(x86, "l1_ways", longl, &line);
		CHECK_EQ(mmu_config_parse(t, "x86", &c, err, sizeof(err)), -1);
		snprintf(exp, sizeof(exp), "x86:%u: line too long", line);
		CHECK_MSG(!strcmp(err, exp), "'%s' is not '%s'", err, exp);
		free(t);
		n += 2;
	}
	/* The first error wins, and the message fits a small buffer. */
	{
		char tiny[12];
		const char *text = "name = t\nfoo = 1\nbar = 2\n";

		CHECK_EQ(mmu_config_parse(text, "t", &c, tiny, sizeof(tiny)), -1);
		CHECK_EQ(strcmp(tiny, "t:2: unknow"), 0);
		CHECK_EQ(mmu_config_parse(text, "t", &c, NULL, 0), -1);
		n += 2;
	}
	printf("config: %u syntax cases: every key required, repeated keys refused, "
	       "lines without '=', long lines, origin:line: counting (%u checks)\n",
	       n, checks);
}

/* ---- mmu_config_load ---------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
	static const char *const unknown[] = { "arm", "X86", "", "x86 ", "csapp.c" };
	struct mmu_config c, want;
	char err[MMU_CFG_ERR_MAX], dir[] = "/tmp/test_config.XXXXXX";
	char path[256], path2[256], buf[2048];
	unsigned n = 0, line;
	int fd;

	(void)state;
	checks = 0;
	/* A directory is not a configuration (and must not be read as one). */
	CHECK_EQ(mmu_config_load("/tmp/", &c, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "not a regular file") != NULL, "'%s'", err);
	n++;
	/* Unknown built-in names: the message lists the built-ins. */
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++, n++) {
		char q[64];

		CHECK_EQ(mmu_config_load(unknown[i], &c, err, sizeof(err)), -1);
		snprintf(q, sizeof(q), "'%s'", unknown[i]);
		CHECK_MSG(contains(err, "unknown configuration") && contains(err, q),
			  "'%s'", err);
		for (size_t k = 0; k < N_BUILTINS; k++)
			CHECK_MSG(contains(err, builtins[k].name), "'%s' lacks %s", err,
				  builtins[k].name);
	}
	/* Paths that do not exist: the message names the path. */
	{
		static const char *const missing[] = {
			"/nonexistent-dir-for-test_config/x86.cfg", "no-such-file.cfg",
			"./x86", "../configs/nothing-here.cfg",
		};

		for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++, n++) {
			CHECK_EQ(mmu_config_load(missing[i], &c, err, sizeof(err)), -1);
			CHECK_MSG(starts_with(err, missing[i]) &&
				  contains(err, "No such file"), "'%s'", err);
		}
	}
	/* A .cfg file of our own in a fresh temporary directory. */
	CHECK(mkdtemp(dir) != NULL);
	want = load("csapp");
	CHECK_EQ(mmu_config_set(&want, "name", "custom", err, sizeof(err)), 0);
	CHECK_EQ(mmu_config_set(&want, "tlb_ways", "8", err, sizeof(err)), 0);
	CHECK_EQ(mmu_config_set(&want, "l1_ways", "2", err, sizeof(err)), 0);
	assert_true(mmu_config_format(&want, buf, sizeof(buf)) > 0);
	snprintf(path, sizeof(path), "%s/custom.cfg", dir);
	write_file(path, buf);
	memset(&c, 0, sizeof(c));
	CHECK_MSG(mmu_config_load(path, &c, err, sizeof(err)) == 0, "%s", err);
	check_same(&want, &c, path);
	n++;
	/* The built-in text written out loads to the built-in. */
	snprintf(path2, sizeof(path2), "%s/fpga.cfg", dir);
	write_file(path2, cfg_builtin_text("fpga"));
	CHECK_EQ(mmu_config_load(path2, &c, err, sizeof(err)), 0);
	want = load("fpga");
	check_same(&want, &c, path2);
	n++;
	/* A bad file: the message is "path:line: ...". */
	{
		char *t = cfg_text_set(cfg_builtin_text("x86"), "tlb_ways", "many",
				       &line);
		char exp[512];

		write_file(path, t);
		free(t);
		CHECK_EQ(mmu_config_load(path, &c, err, sizeof(err)), -1);
		snprintf(exp, sizeof(exp), "%s:%u: tlb_ways: expected a non-negative "
			 "number, got 'many'", path, line);
		CHECK_MSG(!strcmp(err, exp), "'%s' is not '%s'", err, exp);
		n++;
		/* And a rule broken by the file: "path: ...". */
		t = cfg_text_set(cfg_builtin_text("x86"), "l1_sets", "128", NULL);
		write_file(path, t);
		free(t);
		CHECK_EQ(mmu_config_load(path, &c, err, sizeof(err)), -1);
		snprintf(exp, sizeof(exp), "%s: l1_sets = 128: ", path);
		CHECK_MSG(starts_with(err, exp) && contains(err, "alias"), "'%s'", err);
		n++;
	}
	/* An empty file. */
	write_file(path, "");
	CHECK_EQ(mmu_config_load(path, &c, err, sizeof(err)), -1);
	CHECK_MSG(starts_with(err, path) && contains(err, "missing key 'name'"),
		  "'%s'", err);
	n++;
	CHECK_EQ(unlink(path), 0);
	CHECK_EQ(unlink(path2), 0);
	CHECK_EQ(rmdir(dir), 0);
	/* mkstemp: a path without ".cfg" loads too (it has a '/'). */
	{
		char tmpl[] = "/tmp/test_config_cfg.XXXXXX";

		fd = mkstemp(tmpl);
		CHECK(fd >= 0);
		want = load("x86");
		CHECK_EQ(mmu_config_set(&want, "mem_bytes", "0x10000", err,
					sizeof(err)), 0);
		assert_true(mmu_config_format(&want, buf, sizeof(buf)) > 0);
		CHECK_EQ(write(fd, buf, strlen(buf)), (ssize_t)strlen(buf));
		CHECK_EQ(close(fd), 0);
		CHECK_MSG(mmu_config_load(tmpl, &c, err, sizeof(err)) == 0, "%s", err);
		check_same(&want, &c, tmpl);
		CHECK_EQ(unlink(tmpl), 0);
		n++;
	}
	/* A built-in name wins over a file of that name (and there is none). */
	CHECK_EQ(mmu_config_load("x86", &c, err, sizeof(err)), 0);
	CHECK_EQ(strcmp(c.name, "x86"), 0);
	n++;
	printf("config: %u mmu_config_load cases: unknown names list the "
	       "built-ins, missing paths, .cfg files in a temp dir (%u checks)\n",
	       n, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_rejections_set),
		cmocka_unit_test(test_rejections_parse),
		cmocka_unit_test(test_parse_syntax),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
