/* SPDX-License-Identifier: MIT */
/*
 * Functional coverage (sw/cover): that an access or a control operation on
 * a machine opened with a cover set counts the bins it should (on the
 * golden model, and through lockstep where the entries come from its
 * reference); that sampling changes nothing the machine reports; that
 * merging adds counts and unites definitions; that the file round-trips
 * and a malformed one is refused with its line; that the summary lists the
 * holes.
 */
#include "../../sw/backend/backend.h"
#include "../../sw/cover/cover.h"
#include "../../sw/machine/pagetable.h"
#include "fills.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define ROOT 0x10000ull
#define VA 0x400000ull
#define FRAME 0x80000ull

static uint64_t next_table = ROOT + 0x1000;

static uint64_t alloc_table(void *ctx)
{
	uint64_t pa = next_table;

	(void)ctx;
	next_table += 0x1000;
	return pa;
}

/* A machine of `backend` with one supervisor read-only 4 KiB page at VA,
 * observed by s. */
static struct machine *open_mapped(const char *backend, struct cover_set *s)
{
	struct backend_opts bo = { .cover = s };
	struct mmu_config c;
	struct machine *m;
	char err[256];

	assert_int_equal(mmu_config_load("x86", &c, err, sizeof(err)), 0);
	assert_int_equal(machine_open(backend, &c, 0, &bo, &m, err,
				      sizeof(err)), 0);
	next_table = ROOT + 0x1000;
	assert_int_equal(pt_zero_table(m, ROOT), 0);
	assert_int_equal(pt_map(m, ROOT, VA, FRAME, 1, PTE_P, PTE_P | PTE_RW,
				alloc_table, NULL), 0);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR3, ROOT), 0);
	return m;
}

static void access(struct machine *m, enum mmu_op op, struct mmu_outcome *o)
{
	struct mmu_req r = { .va = VA, .op = op, .size = 8 };

	assert_int_equal(machine_access(m, &r, o), 0);
}

static void check_access_bins(const char *backend)
{
	struct cover_set *s;
	struct machine *m;
	struct mmu_outcome o;

	assert_int_equal(cover_new(&s), 0);
	m = open_mapped(backend, s);
	access(m, MMU_LOAD, &o);    /* walk, sets A at every level */
	assert_int_equal(o.status, MMU_ST_OK);
	access(m, MMU_LOAD, &o);    /* TLB hit */
	access(m, MMU_STORE, &o);   /* read-only: #PF P|W, CR0.WP=1 */
	assert_int_equal(o.status, MMU_ST_PAGE_FAULT);
	assert_int_equal(machine_invpcid(m, 2, 0, 0), 0);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR0, 0), MMU_EGP);
	machine_destroy(m);

	assert_int_equal(cover_count(s, "status:status=ok,op=load,mode=sup"), 2);
	assert_int_equal(cover_count(s, "source:from=walk,page=1"), 1);
	assert_int_equal(cover_count(s, "source:from=tlb,page=1"), 1);
	assert_int_equal(cover_count(s, "pfec:ec=3"), 1);
	assert_int_equal(cover_count(s, "ad:level=4,set=A"), 1);
	assert_int_equal(cover_count(s, "ad:level=1,set=A"), 1);
	assert_int_equal(cover_count(s, "ad:level=1,set=D"), 0);
	/* rights along the walk: R/W 0 at the leaf, U/S 0 everywhere */
	assert_int_equal(cover_count(s, "perm:mode=sup,op=load,rw=0,us=0,xd=0,"
				     "wp=0,nxe=0,smep=0,smap=0,ac=0"), 2);
	assert_int_equal(cover_count(s, "perm:mode=sup,op=store,rw=0,us=0,"
				     "xd=0,wp=1,nxe=0,smep=0,smap=0,ac=0"), 1);
	assert_int_equal(cover_count(s, "level:level=1,us=0,rw=0,xd=0"), 3);
	assert_int_equal(cover_count(s, "level:level=4,us=0,rw=1,xd=0"), 3);
	assert_int_equal(cover_count(s, "invpcid:type=2,result=done"), 1);
	assert_int_equal(cover_count(s, "ctl:op=cr0,result=gp"), 1);
	assert_int_equal(cover_count(s, "cr3:pcide=0,noflush=0"), 1);
	/* not defined: #GP of INVLPG does not exist; 5 levels on x86 */
	assert_int_equal(cover_count(s, "ctl:op=invlpg,result=gp"), -1);
	assert_int_equal(cover_count(s, "level:level=5,us=0,rw=0,xd=0"), -1);
	printf("cover: %s: 3 accesses and 3 control operations counted in "
	       "status, source, pfec, ad, perm, level, invpcid, ctl, cr3 "
	       "(%.1f%% of the bins hit)\n", backend, cover_percent(s));
	cover_free(s);
}

static void test_access_bins(void **state)
{
	(void)state;
	check_access_bins("golden");
	check_access_bins("lockstep-self");
}

/* The observer reads through the debug path and mem_peek only: the
 * counters of an observed machine equal those of an unobserved one. */
static void test_no_side_effects(void **state)
{
	struct mmu_counters a, b;
	struct cover_set *s;
	struct mmu_outcome o;
	struct machine *m;

	(void)state;
	assert_int_equal(cover_new(&s), 0);
	for (int k = 0; k < 2; k++) {
		m = open_mapped("golden", k ? s : NULL);
		access(m, MMU_LOAD, &o);
		access(m, MMU_STORE, &o);
		access(m, MMU_FETCH, &o);
		machine_counters(m, k ? &b : &a);
		machine_destroy(m);
	}
	assert_memory_equal(&a, &b, sizeof(a));
	printf("cover: counters with and without the observer agree "
	       "(%zu bytes compared)\n", sizeof(a));
	cover_free(s);
}

static void test_merge_adds(void **state)
{
	struct cover_set *a, *b;

	(void)state;
	assert_int_equal(cover_new(&a), 0);
	assert_int_equal(cover_new(&b), 0);
	assert_int_equal(cover_add(a, "g:x=1", 2), 0);
	assert_int_equal(cover_define(a, "g:x=2"), 0);
	assert_int_equal(cover_add(b, "g:x=1", 3), 0);
	assert_int_equal(cover_add(b, "g:x=3", 1), 0);
	assert_int_equal(cover_merge(a, b), 0);
	assert_int_equal(cover_count(a, "g:x=1"), 5);
	assert_int_equal(cover_count(a, "g:x=2"), 0);
	assert_int_equal(cover_count(a, "g:x=3"), 1);
	assert_int_equal(cover_count(a, "g:x=4"), -1);
	struct cover_figure f;
	cover_figure(a, "g", &f);
	assert_int_equal(f.defined, 3);
	assert_int_equal(f.hit, 2);
	printf("cover: merge: counts add (2+3=5), definitions unite (3 bins, "
	       "2 hit)\n");
	cover_free(a);
	cover_free(b);
}

static void test_file_roundtrip(void **state)
{
	char path[] = "/tmp/test_cover_XXXXXX", err[256];
	struct cover_set *a, *b;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(cover_new(&a), 0);
	assert_int_equal(cover_add(a, "perm:x=1", 7), 0);
	assert_int_equal(cover_define(a, "perm:x=0"), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(cover_write(a, f), 0);
	fclose(f);
	assert_int_equal(cover_new(&b), 0);
	assert_int_equal(cover_read(b, path, err, sizeof(err)), 0);
	assert_int_equal(cover_read(b, path, err, sizeof(err)), 0);
	assert_int_equal(cover_count(b, "perm:x=1"), 14);
	assert_int_equal(cover_count(b, "perm:x=0"), 0);
	/* a malformed line is refused with its location */
	f = fopen(path, "a");
	fputs("perm:x=2\tmany\n", f);
	fclose(f);
	assert_int_equal(cover_read(b, path, err, sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, ":4: the count is not a number"));
	printf("cover: file read twice merges (7+7=14); bad line: %s\n", err);
	f = fopen(path, "w");
	fputs("bin\t1\n", f);
	fclose(f);
	assert_int_equal(cover_read(b, path, err, sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, ":1: not a coverage file"));
	remove(path);
	cover_free(a);
	cover_free(b);
}

static void test_holes_listed(void **state)
{
	struct cover_set *s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(cover_new(&s), 0);
	assert_int_equal(cover_add(s, "pfec:ec=1", 1), 0);
	assert_int_equal(cover_define(s, "pfec:ec=3"), 0);
	assert_int_equal(cover_define(s, "ctl:op=cr0,result=gp"), 0);
	f = open_memstream(&text, &len);
	cover_summary(s, f, 10);
	fclose(f);
	assert_non_null(strstr(text, "1 of 3 bins hit (33.3%)"));
	assert_non_null(strstr(text, "holes: 2\n"));
	assert_non_null(strstr(text, "  hole ctl:op=cr0,result=gp\n"));
	assert_non_null(strstr(text, "  hole pfec:ec=3\n"));
	assert_null(strstr(text, "hole pfec:ec=1"));
	printf("cover: summary lists the 2 holes:\n%s", text);
	free(text);
	cover_free(s);
}

/* Replacement bins from the golden model (alone, or lockstep's reference,
 * counted once: both files equal); no AXI there: those bins are not
 * defined. */
static void test_fill_bins(void **state)
{
	static const char *const backends[] = { "golden", "lockstep-self" };
	char *text[2] = { NULL, NULL };
	size_t len[2];

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		struct cover_set *s;
		struct machine *m;
		FILE *f;

		assert_int_equal(cover_new(&s), 0);
		m = fills_open(backends[i], s, 0);
		fills_run(m);
		machine_destroy(m);
		fills_check(s, MMU_EV_REPLACEMENT, backends[i]);
		f = open_memstream(&text[i], &len[i]);
		assert_int_equal(cover_write(s, f), 0);
		fclose(f);
		cover_free(s);
	}
	assert_string_equal(text[0], text[1]);
	printf("cover: golden and lockstep-self count the same (%zu bytes of "
	       "coverage file)\n", len[0]);
	free(text[0]);
	free(text[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_bins),
		cmocka_unit_test(test_fill_bins),
		cmocka_unit_test(test_no_side_effects),
		cmocka_unit_test(test_merge_adds),
		cmocka_unit_test(test_file_roundtrip),
		cmocka_unit_test(test_holes_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
