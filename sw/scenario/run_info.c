/* SPDX-License-Identifier: MIT */
/*
 * Statement handlers that look rather than act: the kernel's consistency
 * check, counters, what backs a page, maps dumps and their expected
 * blocks, comparisons of values, variables and print.
 */
#include "run_int.h"
#include "os/os.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- counters ------------------------------------------------------------------------- */

static int counter_value(struct runner *rn, const char *name, uint64_t *v)
{
	struct os_stats st;
	struct mmu_counters mc;

	os_stats(rn->os, &st);
#define OS_GET(f) if (!strcmp(name, #f)) { *v = st.f; return 0; }
	SCN_OS_STATS(OS_GET)
#undef OS_GET
	machine_counters(rn->m, &mc);
#define MMU_GET(f, doc) if (!strcmp(name, "mmu_" #f)) { *v = mc.f; return 0; }
	MMU_COUNTERS(MMU_GET)
#undef MMU_GET
	return -1;
}

static void print_counters(struct runner *rn)
{
	struct os_stats st;
	struct mmu_counters mc;

	os_stats(rn->os, &st);
#define OS_PUT(f) sb_printf(&rn->extra, "    %-22s %" PRIu64 "\n", #f, st.f);
	SCN_OS_STATS(OS_PUT)
#undef OS_PUT
	machine_counters(rn->m, &mc);
#define MMU_PUT(f, doc) sb_printf(&rn->extra, "    %-22s %" PRIu64 "\n", "mmu_" #f, mc.f);
	MMU_COUNTERS(MMU_PUT)
#undef MMU_PUT
}

/* ---- pages ------------------------------------------------------------------------------ */

static unsigned page_bits(const struct os_page_info *pi)
{
	unsigned b = 0;

	b |= (unsigned)pi->present << PG_PRESENT;
	b |= (unsigned)pi->swapped << PG_SWAPPED;
	b |= (unsigned)pi->writable << PG_WRITABLE;
	b |= (unsigned)pi->dirty << PG_DIRTY;
	b |= (unsigned)pi->accessed << PG_ACCESSED;
	b |= (unsigned)pi->user << PG_USER;
	b |= (unsigned)pi->nx << PG_NX;
	b |= (unsigned)pi->ksm << PG_KSM;
	b |= (unsigned)pi->zero_page << PG_ZERO;
	b |= (unsigned)pi->page_cache << PG_PAGECACHE;
	b |= (unsigned)pi->swap_cache << PG_SWAPCACHE;
	return b;
}

static void put_page(struct sbuf *s, const struct os_page_info *pi)
{
	unsigned b = page_bits(pi);

	if (!pi->present && !pi->swapped) {
		sb_put(s, "none", 4);
		return;
	}
	if (pi->present)
		sb_printf(s, "present pa=%#" PRIx64, pi->pa);
	else
		sb_printf(s, "swapped slot=%" PRIu64, pi->swap_slot);
	sb_printf(s, " pte=%#" PRIx64, pi->pte);
	sb_printf(s, " ref=%u", pi->refcount);
	for (unsigned k = PG_WRITABLE; k < PG_NATTR; k++)
		if (b & (1u << k))
			sb_printf(s, " %s", scn_page_attrs[k]);
}

/* ---- maps ------------------------------------------------------------------------------- */

struct mline {
	uint64_t start, end, off, inode;
	char perms[5], dev[16];
	const char *path;   /* points into the dump, NUL-terminated */
};

/* Parse the dump (in place) into lines; returns how many, or -1. */
static int parse_dump(char *buf, struct mline **out)
{
	int n = 0, cap = 0;
	struct mline *v = NULL;
	char *save = NULL;

	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct mline m;
		int pos = 0;

		memset(&m, 0, sizeof(m));
		if (sscanf(l, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %15s %" SCNu64 "%n",
			   &m.start, &m.end, m.perms, &m.off, m.dev, &m.inode, &pos) < 6) {
			free(v);
			return -1;
		}
		char *path = l + pos;

		while (*path == ' ')
			path++;
		size_t pl = strlen(path);

		while (pl && path[pl - 1] == ' ')
			path[--pl] = 0;
		m.path = path;
		if (n == cap) {
			int nc = cap ? cap * 2 : 16;
			struct mline *nv = realloc(v, (size_t)nc * sizeof(*v));

			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = m;
	}
	*out = v;
	return n;
}

static bool path_match(const char *want, const char *got)
{
	const char *base;

	if (!strcmp(want, got))
		return true;
	if (strchr(want, '/'))
		return false;
	base = strrchr(got, '/');
	return base && !strcmp(base + 1, want);
}

static void put_expected_line(struct sbuf *s, const struct scn_maps_line *e,
			      uint64_t start, uint64_t end)
{
	sb_printf(s, "%08" PRIx64 "-%08" PRIx64 " %s", start, end, e->perms);
	if (e->nfields >= 1)
		sb_printf(s, " %08" PRIx64, e->off);
	if (e->nfields >= 2)
		sb_printf(s, " %s", e->dev);
	if (e->nfields >= 3)
		sb_printf(s, " %" PRIu64, e->inode);
	if (e->nfields >= 4)
		sb_printf(s, " %s", e->path);
}

/* The dump of pid's address space into rn->maps, printed indented after
 * the step line.  0, -ERRNO from the OS, or 1 after a runtime error. */
static int maps_fetch(struct runner *rn, int pid)
{
	int n;

	for (;;) {
		n = os_maps(rn->os, pid, rn->maps, rn->mapscap);
		if (n < 0)
			return n;
		if ((size_t)n < rn->mapscap)
			break;
		size_t cap = (size_t)n + 4096;
		char *nb = realloc(rn->maps, cap);

		if (!nb) {
			rn_fatal(rn, "out of memory");
			return 1;
		}
		rn->maps = nb;
		rn->mapscap = cap;
	}
	if (!rn->maps) {
		rn->maps = calloc(1, 1);
		if (!rn->maps) {
			rn_fatal(rn, "out of memory");
			return 1;
		}
		rn->mapscap = 1;
	}
	/* the dump as Linux prints it, indented */
	for (const char *l = rn->maps; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);

		sb_put(&rn->extra, "    ", 4);
		sb_put(&rn->extra, l, len);
		sb_put(&rn->extra, "\n", 1);
		l += len + (e ? 1 : 0);
	}
	return 0;
}

static bool maps_line_same(const struct scn_maps_line *e, const struct mline *a,
			   uint64_t s, uint64_t en)
{
	return a->start == s && a->end == en && !strcmp(a->perms, e->perms) &&
	       (e->nfields < 1 || a->off == e->off) &&
	       (e->nfields < 2 || !strcmp(a->dev, e->dev)) &&
	       (e->nfields < 3 || a->inode == e->inode) &&
	       (e->nfields < 4 || path_match(e->path, a->path));
}

/* The expected block against the nl lines of the dump; the differences go
 * to diff.  1 when they are the same, 0 when not, -1 after a runtime error. */
static int maps_compare(struct runner *rn, const struct scn_stmt *st,
			const struct mline *lines, int nl, struct sbuf *diff)
{
	int max = nl > (int)st->nmaps ? nl : (int)st->nmaps;
	bool ok = true;

	for (int i = 0; i < max; i++) {
		const struct scn_maps_line *e = i < (int)st->nmaps ? &st->maps[i] : NULL;
		const struct mline *a = i < nl ? &lines[i] : NULL;
		uint64_t s = 0, en = 0;

		if (e && (rn_eval(rn, e->start, &s) || rn_eval(rn, e->end, &en)))
			return -1;
		if (e && a && maps_line_same(e, a, s, en))
			continue;
		ok = false;
		if (e) {
			sb_printf(diff, "    - expected (line %u): ", e->line);
			put_expected_line(diff, e, s, en);
			sb_put(diff, "\n", 1);
		}
		if (a)
			sb_printf(diff, "    + got:  %08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64
				  " %s %" PRIu64 "%s%s\n", a->start, a->end, a->perms, a->off,
				  a->dev, a->inode, *a->path ? " " : "", a->path);
		else
			sb_put(diff, "    + got:  (no line)\n", 22);
	}
	return ok;
}

/* 0 when the block matched (or there is none), 2 when it did not, 1 after
 * a runtime error, -ERRNO when the OS refused. */
static int do_maps(struct runner *rn, const struct scn_stmt *st, int pid)
{
	struct mline *lines = NULL;
	struct sbuf diff = { 0 };
	int nl, same;

	nl = maps_fetch(rn, pid);
	if (nl)
		return nl;
	nl = parse_dump(rn->maps, &lines);
	if (nl < 0) {
		rn_fatal(rn, "cannot parse the kernel's maps output");
		return 1;
	}
	sb_printf(&rn->line, " = %d mapping%s", nl, nl == 1 ? "" : "s");
	if (!st->maps_block) {
		free(lines);
		return 0;
	}
	same = maps_compare(rn, st, lines, nl, &diff);
	free(lines);
	if (same > 0) {
		sb_put(&rn->line, " ok", 3);
		rn->r->passed++;
	} else if (!same) {
		sb_printf(&rn->line, " FAIL (expected %u mapping%s as listed)", st->nmaps,
			  st->nmaps == 1 ? "" : "s");
		rn->r->failed++;
		if (diff.b)
			sb_put(&rn->extra, diff.b, diff.n);
	}
	free(diff.b);
	return same < 0 ? 1 : same ? 0 : 2;
}

/* ---- handlers ------------------------------------------------------------------ */

enum sr run_maps(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	int pid = st->nargs ? rn_pid(v[0]) : os_current(rn->os);
	int ret = pid < 0 ? pid : do_maps(rn, st, pid);

	(void)r;
	if (ret < 0) {
		sb_put(&rn->line, " = ", 3);
		rn_put_errno(&rn->line, -ret);
		if (st->maps_block)
			rn_verdict(rn, false, "no such process");
	}
	return SR_LINE;
}

enum sr run_check(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	char err[512] = "";
	int rc = os_check(rn->os, err, sizeof(err));

	(void)st, (void)v, (void)r;
	if (rc == -EIO) {
		sb_put(&rn->line, " = -EIO", 7);
		rn_machine_failed(rn);
		return SR_DONE;
	}
	if (rc)
		sb_put(&rn->line, " = -EUCLEAN", 11);
	rn_verdict(rn, rc == 0, "%s", err);
	return SR_LINE;
}

static int counter_or_fail(struct runner *rn, const char *name, uint64_t *c)
{
	if (!counter_value(rn, name, c))
		return 0;
	rn_fatal(rn, "unknown counter '%s' (see the names `counters` prints)", name);
	return -1;
}

enum sr run_check_counter(struct runner *rn, const struct scn_stmt *st,
			   const uint64_t *v, struct res *r)
{
	uint64_t c;

	(void)r;
	if (counter_or_fail(rn, st->args[0].str, &c))
		return SR_DONE;
	sb_printf(&rn->line, " = %" PRIu64, c);
	rn_verdict(rn, rn_compare(c, st->args[1].cmp, v[2]), "expected %s %s %" PRIu64,
		   st->args[0].str, scn_cmp_names[st->args[1].cmp], v[2]);
	return SR_LINE;
}

enum sr run_check_value(struct runner *rn, const struct scn_stmt *st,
			 const uint64_t *v, struct res *r)
{
	(void)r;
	rn_verdict(rn, rn_compare(v[0], st->args[1].cmp, v[2]),
		   "expected 0x%" PRIx64 " %s 0x%" PRIx64, v[0],
		   scn_cmp_names[st->args[1].cmp], v[2]);
	return SR_LINE;
}

enum sr run_counters(struct runner *rn, const struct scn_stmt *st,
		      const uint64_t *v, struct res *r)
{
	(void)st, (void)v, (void)r;
	print_counters(rn);
	sb_put(&rn->line, " = ok", 5);
	return SR_LINE;
}

enum sr run_counter(struct runner *rn, const struct scn_stmt *st,
		     const uint64_t *v, struct res *r)
{
	uint64_t c;

	(void)v;
	if (counter_or_fail(rn, st->args[0].str, &c))
		return SR_DONE;
	*r = (struct res){ .kind = RS_VAL, .v = c };
	return SR_RESULT;
}

/* `check page`'s attributes as written, then " = " and what backs the page. */
static void page_echo(struct runner *rn, const struct scn_stmt *st)
{
	if (st->cmd != C_CHECK_PAGE)
		return;
	for (unsigned k = 0; k < PG_NATTR; k++)
		if ((st->page_set | st->page_clear) & (1u << k))
			sb_printf(&rn->line, " %s%s",
				  st->page_clear & (1u << k) ? "!" : "",
				  scn_page_attrs[k]);
	if (st->page_ref >= 0)
		sb_printf(&rn->line, " ref=%d", st->page_ref);
}

static void page_verdict(struct runner *rn, const struct scn_stmt *st,
			 const struct os_page_info *pi)
{
	unsigned b = page_bits(pi);
	unsigned bad_set = st->page_set & ~b;
	unsigned bad_clear = st->page_clear & b;
	bool ref_bad = st->page_ref >= 0 && (int)pi->refcount != st->page_ref;
	struct sbuf m = { 0 };

	if (!bad_set && !bad_clear && !ref_bad) {
		rn_verdict(rn, true, " ");
		return;
	}
	for (unsigned k = 0; k < PG_NATTR; k++) {
		if (bad_set & (1u << k))
			sb_printf(&m, "%s%s", m.n ? ", " : "", scn_page_attrs[k]);
		if (bad_clear & (1u << k))
			sb_printf(&m, "%s!%s", m.n ? ", " : "", scn_page_attrs[k]);
	}
	if (ref_bad)
		sb_printf(&m, "%sref=%d", m.n ? ", " : "", st->page_ref);
	rn_verdict(rn, false, "expected %s", m.b ? m.b : "");
	free(m.b);
}

/* page ADDR and check page ADDR ATTR... */
enum sr run_page(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	struct os_page_info pi;
	int pid = os_current(rn->os);
	int rc;

	(void)r;
	page_echo(rn, st);
	rc = pid < 0 ? pid : os_page(rn->os, pid, v[0], &pi);
	sb_put(&rn->line, " = ", 3);
	if (rc < 0) {
		rn_put_errno(&rn->line, -rc);
		if (st->cmd == C_CHECK_PAGE)
			rn_verdict(rn, false, "no page information");
		return SR_LINE;
	}
	put_page(&rn->line, &pi);
	if (st->cmd == C_CHECK_PAGE)
		page_verdict(rn, st, &pi);
	return SR_LINE;
}

/* $x = EXPR: the table says it writes its own line. */
enum sr run_let(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	(void)r;
	rn_prefix(rn, st);
	rn->vals[st->var] = v[0];
	rn->set[st->var] = true;
	sb_printf(&rn->line, "$%s = 0x%" PRIx64, rn->p->vars[st->var], v[0]);
	return SR_LINE;
}

enum sr run_print(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)r;
	rn_prefix(rn, st);
	sb_put(&rn->line, "print", 5);
	for (unsigned i = 0; i < st->nargs; i++) {
		sb_put(&rn->line, " ", 1);
		if (st->args[i].kind == AK_NAME)
			sb_put(&rn->line, (const char *)st->args[i].bytes.p,
			       st->args[i].bytes.n);
		else
			sb_printf(&rn->line, "0x%" PRIx64, v[i]);
	}
	return SR_LINE;
}
