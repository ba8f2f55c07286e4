/* SPDX-License-Identifier: MIT */
/*
 * Running a scenario: a fresh machine (sw/lockstep/backend.h) and OS
 * (sw/os/os.h) per program, one result line per executed statement:
 *
 *   LINE[ITER]: STATEMENT = RESULT[ ok | FAIL (expected ...)]
 *
 * STATEMENT is the statement with its arguments evaluated (addresses in
 * hex, lengths in decimal, flags symbolic); RESULT is a value, -ERRNO, a
 * signal, OOM or ok.  Then the summary line
 *   scenario NAME: N steps, N checks passed, N failed
 * docs/scenario-language.md describes every line.
 */
#include "scn_int.h"
#include "../lockstep/lockstep.h"
#include "../os/os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NEST 16
#define MAX_READ (16u << 20)
#define MAX_REPEAT 100000000ull
#define LINE_MAX_TEXT 2048

/* ---- a growing text buffer ------------------------------------------------- */

struct sbuf {
	char *b;
	size_t n, cap;
	bool nomem;
};

static void sb_put(struct sbuf *s, const char *t, size_t n)
{
	if (s->nomem)
		return;
	if (s->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		char *nb;

		while (s->n + n + 1 > cap)
			cap *= 2;
		nb = realloc(s->b, cap);
		if (!nb) {
			s->nomem = true;
			return;
		}
		s->b = nb;
		s->cap = cap;
	}
	memcpy(s->b + s->n, t, n);
	s->n += n;
	s->b[s->n] = 0;
}

static void sb_printf(struct sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *s, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_put(s, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void sb_reset(struct sbuf *s)
{
	s->n = 0;
	if (s->b)
		s->b[0] = 0;
}

/* Bytes as a C-like string, cut after 48 bytes. */
static void sb_bytes(struct sbuf *s, const unsigned char *p, size_t n)
{
	size_t show = n > 48 ? 32 : n;

	sb_put(s, "\"", 1);
	for (size_t i = 0; i < show; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\')
			sb_printf(s, "\\%c", c);
		else if (c == '\n')
			sb_put(s, "\\n", 2);
		else if (c == 0)
			sb_put(s, "\\0", 2);
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(s, "\\x%02x", c);
		else
			sb_put(s, (const char *)&c, 1);
	}
	sb_put(s, "\"", 1);
	if (show < n)
		sb_printf(s, "...(%zu bytes)", n);
}

/* ---- the runner ----------------------------------------------------------------- */

struct runner {
	const struct scn_program *p;
	const struct scn_run_opts *o;
	FILE *out;
	struct machine *m;
	struct os *os;
	char dir[4096];
	bool tmpdir;
	uint64_t *vals;
	bool *set;
	struct scn_env env;
	unsigned iter[MAX_NEST];
	unsigned depth;
	struct scn_result *r;
	bool abort;
	struct sbuf line, extra;
	char *maps;
	size_t mapscap;
};

enum rs { RS_VAL, RS_ERRNO, RS_SIG, RS_OOM, RS_OK, RS_BYTES };

struct res {
	enum rs kind;
	uint64_t v;
	int code;
	unsigned char *bytes;
	size_t nbytes;
};

static void emit(struct runner *rn, bool failed)
{
	if (rn->line.nomem || rn->extra.nomem) {
		fprintf(rn->out, "(out of memory formatting a step)\n");
	} else if (!rn->o->quiet || failed) {
		fprintf(rn->out, "%s\n", rn->line.b ? rn->line.b : "");
		if (rn->extra.n)
			fputs(rn->extra.b, rn->out);
	}
	sb_reset(&rn->line);
	sb_reset(&rn->extra);
}

static void prefix(struct runner *rn, const struct scn_stmt *st)
{
	sb_printf(&rn->line, "%u", st->line);
	if (rn->depth) {
		sb_put(&rn->line, "[", 1);
		for (unsigned i = 0; i < rn->depth; i++)
			sb_printf(&rn->line, "%s%u", i ? "." : "", rn->iter[i] + 1);
		sb_put(&rn->line, "]", 1);
	}
	sb_put(&rn->line, ": ", 2);
}

/* A runtime error: the step fails and the run stops. */
static void fatal(struct runner *rn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fatal(struct runner *rn, const char *fmt, ...)
{
	char m[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	sb_printf(&rn->line, " FAIL (%s)", m);
	rn->r->failed++;
	rn->r->aborted = true;
	rn->abort = true;
	emit(rn, true);
}

/* -EIO: the machine failed.  Print what the OS and lockstep say. */
static void machine_failed(struct runner *rn)
{
	const struct lockstep_mismatch *mm;

	sb_printf(&rn->line, " FAIL (machine error: %s)", os_strerror(rn->os));
	if (lockstep_is(rn->m) && (mm = lockstep_mismatch(rn->m))) {
		char rep[2048];

		lockstep_mismatch_format(mm, rep, sizeof(rep));
		sb_printf(&rn->extra, "%s\n", rep);
	}
	rn->r->failed++;
	rn->r->aborted = true;
	rn->abort = true;
	emit(rn, true);
}

static int eval(struct runner *rn, const struct scn_expr *e, uint64_t *v)
{
	char err[200];

	if (scn_eval(rn->p, e, &rn->env, v, err, sizeof(err))) {
		fatal(rn, "%s", err);
		return -1;
	}
	return 0;
}

/* ---- echo of a statement ----------------------------------------------------------- */

static void put_arg(struct sbuf *s, const struct scn_arg *a, uint64_t v)
{
	char f[256];
	static const char *const cmp[] = { "==", "!=", "<", "<=", ">", ">=" };

	switch (a->kind) {
	case AK_ADDR:
	case AK_OFF:
		if (v)
			sb_printf(s, "%#" PRIx64, v);
		else
			sb_put(s, "0", 1);
		break;
	case AK_LEN:
	case AK_COUNT:
	case AK_SIZE:
		sb_printf(s, "%" PRIu64, v);
		break;
	case AK_FD:
	case AK_PID:
	case AK_INT:
		sb_printf(s, "%" PRId64, (int64_t)v);
		break;
	case AK_PROT:
		scn_format_flags(SCN_FS_PROT, v, f, sizeof(f));
		sb_printf(s, "%s", f);
		break;
	case AK_MAPF:
		scn_format_flags(SCN_FS_MAP, v, f, sizeof(f));
		sb_printf(s, "%s", f);
		break;
	case AK_ADVICE:
		scn_format_flags(SCN_FS_MADV, v, f, sizeof(f));
		sb_printf(s, "%s", f);
		break;
	case AK_MSF:
		scn_format_flags(SCN_FS_MS, v, f, sizeof(f));
		sb_printf(s, "%s", f);
		break;
	case AK_OFLAGS:
		scn_format_flags(SCN_FS_OPEN, v, f, sizeof(f));
		sb_printf(s, "%s", f);
		break;
	case AK_VALUE:
		sb_printf(s, "0x%" PRIx64, v);
		break;
	case AK_NAME:
		if (a->str) {
			if (strpbrk(a->str, " \t\"#"))
				sb_bytes(s, (const unsigned char *)a->str, strlen(a->str));
			else
				sb_printf(s, "%s", a->str);
		} else {
			sb_bytes(s, a->bytes.p, a->bytes.n);
		}
		break;
	case AK_BYTES:
		sb_bytes(s, a->bytes.p, a->bytes.n);
		break;
	case AK_PATTERN:
		if (a->pattern == SCN_PAT_ZERO)
			sb_put(s, "zero", 4);
		else if (a->pattern == SCN_PAT_SEQ)
			sb_put(s, "seq", 3);
		else
			sb_bytes(s, a->bytes.p, a->bytes.n);
		break;
	case AK_CMP:
		sb_printf(s, "%s", cmp[a->cmp]);
		break;
	case AK_IDENT:
		sb_printf(s, "%s", a->str);
		break;
	}
}

static void echo(struct runner *rn, const struct scn_stmt *st, const uint64_t *v)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);

	prefix(rn, st);
	if (st->var >= 0)
		sb_printf(&rn->line, "$%s = ", rn->p->vars[st->var]);
	sb_printf(&rn->line, "%s", d->name);
	if (d->sub)
		sb_printf(&rn->line, " %s", d->sub);
	for (unsigned i = 0; i < st->nargs; i++) {
		sb_put(&rn->line, " ", 1);
		put_arg(&rn->line, &st->args[i], v[i]);
	}
}

/* ---- results and expectations ------------------------------------------------------- */

static void put_errno(struct sbuf *s, int code)
{
	const char *n = scn_errno_name(code);

	if (n)
		sb_printf(s, "-%s", n);
	else
		sb_printf(s, "-%d", code);
}

static void put_result(struct sbuf *s, const struct res *r, enum scn_rkind k)
{
	switch (r->kind) {
	case RS_VAL:
		if (k == R_INT)
			sb_printf(s, "%" PRId64, (int64_t)r->v);
		else
			sb_printf(s, "0x%" PRIx64, r->v);
		break;
	case RS_ERRNO:
		put_errno(s, r->code);
		break;
	case RS_SIG:
		sb_printf(s, "%s", scn_signal_name(r->code) ? scn_signal_name(r->code)
							       : "signal");
		break;
	case RS_OOM:
		sb_put(s, "OOM", 3);
		break;
	case RS_OK:
		sb_put(s, "ok", 2);
		break;
	case RS_BYTES:
		sb_bytes(s, r->bytes, r->nbytes);
		break;
	}
}

static bool is_failure(const struct res *r)
{
	return r->kind == RS_ERRNO || r->kind == RS_SIG || r->kind == RS_OOM;
}

/* Signal details for a failing access. */
static void put_siginfo(struct runner *rn, struct sbuf *s)
{
	struct os_siginfo si;
	char ec[64];
	const char *code = "";

	os_last_signal(rn->os, &si);
	if (si.signo == SIGSEGV)
		code = si.code == 1 ? "SEGV_MAPERR" : si.code == 2 ? "SEGV_ACCERR" : "";
	else if (si.signo == SIGBUS)
		code = si.code == 2 ? "BUS_ADRERR" : si.code == 3 ? "BUS_OBJERR" : "";
	sb_printf(s, "; got %s%s%s%s at %#" PRIx64 ", error code %s",
		  scn_signal_name(si.signo) ? scn_signal_name(si.signo) : "signal",
		  *code ? " (" : "", code, *code ? ")" : "", si.addr,
		  mmu_pfec_str(si.error_code, ec, sizeof(ec)));
}

/* Apply the statement's expectation; appends " ok" or " FAIL (...)". */
static bool expect(struct runner *rn, const struct scn_stmt *st,
		   const struct res *r)
{
	const struct scn_expect *x = &st->expect;
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	struct sbuf *s = &rn->line;
	uint64_t want = 0;
	bool ok = false;

	switch (x->kind) {
	case X_NONE:
		return true;
	case X_OK:
		ok = !is_failure(r);
		break;
	case X_ERRNO:
		ok = r->kind == RS_ERRNO && r->code == x->code;
		break;
	case X_SIGNAL:
		ok = (r->kind == RS_SIG && r->code == x->code) ||
		     (r->kind == RS_OOM && x->code == SIGKILL);
		break;
	case X_OOM:
		ok = r->kind == RS_OOM;
		break;
	case X_VALUE:
		if (eval(rn, x->e, &want))
			return false;
		ok = r->kind == RS_VAL && r->v == want;
		break;
	case X_BYTES:
		ok = r->kind == RS_BYTES && r->nbytes == x->bytes.n &&
		     !memcmp(r->bytes, x->bytes.p, r->nbytes);
		break;
	}
	if (ok) {
		sb_put(s, " ok", 3);
		rn->r->passed++;
		return true;
	}
	rn->r->failed++;
	sb_put(s, " FAIL (expected ", 16);
	switch (x->kind) {
	case X_OK: sb_put(s, "ok", 2); break;
	case X_ERRNO: put_errno(s, x->code); break;
	case X_SIGNAL: sb_printf(s, "%s", scn_signal_name(x->code)); break;
	case X_OOM: sb_put(s, "OOM", 3); break;
	case X_VALUE: {
		struct res w = { .kind = RS_VAL, .v = want };

		put_result(s, &w, d->rkind);
		break;
	}
	case X_BYTES:
		sb_bytes(s, x->bytes.p, x->bytes.n);
		if (r->kind == RS_BYTES) {
			size_t i = 0;

			while (i < r->nbytes && i < x->bytes.n && r->bytes[i] == x->bytes.p[i])
				i++;
			sb_printf(s, "; differs at byte %zu", i);
		}
		break;
	default:
		break;
	}
	if (r->kind == RS_SIG)
		put_siginfo(rn, s);
	sb_put(s, ")", 1);
	return false;
}

/* ---- files ----------------------------------------------------------------------------- */

static int host_path(struct runner *rn, const char *name, char *buf, size_t len)
{
	int n;

	if (name[0] == '/')
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "%s/%s", rn->dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int file_create(struct runner *rn, const char *name, uint64_t size,
		       const struct scn_arg *pat)
{
	char path[4200], buf[65536];
	int fd, rc = 0;
	uint64_t off = 0;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;  /* a plain name inside the files folder */
	if (host_path(rn, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	while (off < size) {
		size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);

		for (size_t i = 0; i < n; i++) {
			uint64_t at = off + i;

			if (!pat || pat->pattern == SCN_PAT_ZERO)
				buf[i] = 0;
			else if (pat->pattern == SCN_PAT_SEQ)
				buf[i] = (char)(at & 0xff);
			else
				buf[i] = (char)pat->bytes.p[at % pat->bytes.n];
		}
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			rc = -errno;
			break;
		}
		off += (uint64_t)w;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

static void remove_tmpdir(struct runner *rn)
{
	DIR *d;
	struct dirent *e;
	char path[4400];

	if (!rn->tmpdir)
		return;
	d = opendir(rn->dir);
	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", rn->dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(rn->dir);
}

/* ---- counters ------------------------------------------------------------------------- */

#define OS_STATS(X)                                                          \
	X(minor_faults) X(major_faults) X(segv) X(sigbus) X(zero_fills)      \
	X(zero_page_maps) X(cow_copies) X(cow_reuses) X(stack_expansions)    \
	X(swap_outs) X(swap_ins) X(swap_cache_hits) X(file_reads)            \
	X(file_writebacks) X(file_pages_dropped) X(second_chances)           \
	X(ksm_merges) X(ksm_unmerges) X(oom_events) X(forks) X(execs)        \
	X(exits) X(cr3_writes) X(cr3_noflush) X(invlpg) X(invpcid)           \
	X(pcid_rollovers) X(frames_total) X(frames_kernel) X(frames_in_use)  \
	X(frames_pt) X(frames_pagecache) X(frames_ksm) X(swap_slots_total)   \
	X(swap_slots_used) X(processes)

static int counter_value(struct runner *rn, const char *name, uint64_t *v)
{
	struct os_stats st;
	struct mmu_counters mc;

	os_stats(rn->os, &st);
#define OS_GET(f) if (!strcmp(name, #f)) { *v = st.f; return 0; }
	OS_STATS(OS_GET)
#undef OS_GET
	rn->m->ops->counters(rn->m, &mc);
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
	OS_STATS(OS_PUT)
#undef OS_PUT
	rn->m->ops->counters(rn->m, &mc);
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

static int do_maps(struct runner *rn, const struct scn_stmt *st, int pid)
{
	int n, nl;
	struct mline *lines = NULL;
	bool ok = true;

	for (;;) {
		n = os_maps(rn->os, pid, rn->maps, rn->mapscap);
		if (n < 0)
			return n;
		if ((size_t)n < rn->mapscap)
			break;
		size_t cap = (size_t)n + 4096;
		char *nb = realloc(rn->maps, cap);

		if (!nb) {
			fatal(rn, "out of memory");
			return 1;
		}
		rn->maps = nb;
		rn->mapscap = cap;
	}
	if (!rn->maps) {
		rn->maps = calloc(1, 1);
		if (!rn->maps) {
			fatal(rn, "out of memory");
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
	nl = parse_dump(rn->maps, &lines);
	if (nl < 0) {
		fatal(rn, "cannot parse the kernel's maps output");
		return 1;
	}
	sb_printf(&rn->line, " = %d mapping%s", nl, nl == 1 ? "" : "s");
	if (!st->maps_block) {
		free(lines);
		return 0;
	}
	struct sbuf diff = { 0 };
	int max = nl > (int)st->nmaps ? nl : (int)st->nmaps;

	for (int i = 0; i < max; i++) {
		const struct scn_maps_line *e = i < (int)st->nmaps ? &st->maps[i] : NULL;
		const struct mline *a = i < nl ? &lines[i] : NULL;
		uint64_t s = 0, en = 0;
		bool same = e && a;

		if (e && (eval(rn, e->start, &s) || eval(rn, e->end, &en))) {
			free(lines);
			free(diff.b);
			return 1;
		}
		if (same)
			same = a->start == s && a->end == en && !strcmp(a->perms, e->perms) &&
			       (e->nfields < 1 || a->off == e->off) &&
			       (e->nfields < 2 || !strcmp(a->dev, e->dev)) &&
			       (e->nfields < 3 || a->inode == e->inode) &&
			       (e->nfields < 4 || path_match(e->path, a->path));
		if (same)
			continue;
		ok = false;
		if (e) {
			sb_printf(&diff, "    - expected (line %u): ", e->line);
			put_expected_line(&diff, e, s, en);
			sb_put(&diff, "\n", 1);
		}
		if (a) {
			sb_printf(&diff, "    + got:  %08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64
				  " %s %" PRIu64 "%s%s\n", a->start, a->end, a->perms, a->off,
				  a->dev, a->inode, *a->path ? " " : "", a->path);
		} else {
			sb_put(&diff, "    + got:  (no line)\n", 22);
		}
	}
	free(lines);
	if (ok) {
		sb_put(&rn->line, " ok", 3);
		rn->r->passed++;
	} else {
		sb_printf(&rn->line, " FAIL (expected %u mapping%s as listed)", st->nmaps,
			  st->nmaps == 1 ? "" : "s");
		rn->r->failed++;
		if (diff.b)
			sb_put(&rn->extra, diff.b, diff.n);
	}
	free(diff.b);
	return ok ? 0 : 2;
}

/* ---- one statement ------------------------------------------------------------------------ */

static void assign(struct runner *rn, const struct scn_stmt *st, const struct res *r)
{
	if (st->var < 0)
		return;
	if (r->kind == RS_VAL) {
		rn->vals[st->var] = r->v;
		rn->set[st->var] = true;
	} else if (r->kind == RS_ERRNO) {
		rn->vals[st->var] = (uint64_t)(int64_t)-r->code;
		rn->set[st->var] = true;
	}
}

static struct res from_rc(int64_t rc)
{
	struct res r = { 0 };

	if (rc < 0) {
		r.kind = RS_ERRNO;
		r.code = (int)-rc;
	} else {
		r.kind = RS_VAL;
		r.v = (uint64_t)rc;
	}
	return r;
}

static int exec_block(struct runner *rn, const struct scn_block *b);

static void check_verdict(struct runner *rn, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check_verdict(struct runner *rn, bool ok, const char *fmt, ...)
{
	char m[600];
	va_list ap;

	if (ok) {
		sb_put(&rn->line, " ok", 3);
		rn->r->passed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	sb_printf(&rn->line, " FAIL (%s)", m);
	rn->r->failed++;
}

static bool compare(uint64_t a, int op, uint64_t b)
{
	switch (op) {
	case SCN_CMP_EQ: return a == b;
	case SCN_CMP_NE: return a != b;
	case SCN_CMP_LT: return a < b;
	case SCN_CMP_LE: return a <= b;
	case SCN_CMP_GT: return a > b;
	default: return a >= b;
	}
}

static void exec_stmt(struct runner *rn, const struct scn_stmt *st)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	uint64_t v[SCN_MAX_ARGS] = { 0 };
	struct res r = { .kind = RS_OK };
	unsigned fails0 = rn->r->failed;
	int64_t rc = 0;
	int ret;

	/* a failing evaluation reports on "LINE: name FAIL (...)" */
	prefix(rn, st);
	sb_printf(&rn->line, "%s", d->name[0] ? d->name : "let");
	if (st->cmd == C_REPEAT) {
		uint64_t n;

		if (eval(rn, st->args[0].e, &n))
			return;
		sb_reset(&rn->line);
		if (n > MAX_REPEAT) {
			prefix(rn, st);
			sb_put(&rn->line, "repeat", 6);
			fatal(rn, "repeat count %" PRIu64 " is larger than %llu", n,
			      (unsigned long long)MAX_REPEAT);
			return;
		}
		if (rn->depth == MAX_NEST)
			return;
		rn->depth++;
		for (uint64_t i = 0; i < n && !rn->abort; i++) {
			rn->iter[rn->depth - 1] = (unsigned)i;
			if (st->loopvar >= 0) {
				rn->vals[st->loopvar] = i;
				rn->set[st->loopvar] = true;
			}
			exec_block(rn, &st->body);
		}
		rn->depth--;
		return;
	}

	rn->r->steps++;
	for (unsigned i = 0; i < st->nargs; i++)
		if (st->args[i].e && eval(rn, st->args[i].e, &v[i]))
			return;
	sb_reset(&rn->line);

	if (st->cmd == C_LET) {
		prefix(rn, st);
		rn->vals[st->var] = v[0];
		rn->set[st->var] = true;
		sb_printf(&rn->line, "$%s = 0x%" PRIx64, rn->p->vars[st->var], v[0]);
		emit(rn, false);
		return;
	}
	if (st->cmd == C_PRINT) {
		prefix(rn, st);
		sb_put(&rn->line, "print", 5);
		for (unsigned i = 0; i < st->nargs; i++) {
			sb_put(&rn->line, " ", 1);
			if (st->args[i].kind == AK_NAME)
				sb_put(&rn->line, (const char *)st->args[i].bytes.p,
				       st->args[i].bytes.n);
			else
				sb_printf(&rn->line, "0x%" PRIx64, v[i]);
		}
		emit(rn, false);
		return;
	}

	echo(rn, st, v);
	switch (st->cmd) {
	case C_SPAWN: {
		int pid = 0;

		rc = os_spawn(rn->os, &pid);
		r = rc < 0 ? from_rc(rc) : from_rc(pid);
		break;
	}
	case C_SWITCH:
		rc = os_switch(rn->os, (int)v[0]);
		r = rc < 0 ? from_rc(rc) : (struct res){ .kind = RS_OK };
		break;
	case C_FORK: {
		int pid = 0;

		rc = os_fork(rn->os, &pid);
		r = rc < 0 ? from_rc(rc) : from_rc(pid);
		break;
	}
	case C_EXECVE:
		rc = os_execve(rn->os, st->args[0].str);
		r = from_rc(rc);
		break;
	case C_EXIT: {
		int pid = st->nargs ? (int)v[0] : os_current(rn->os);

		rc = pid < 0 ? pid : os_exit(rn->os, pid);
		r = rc < 0 ? from_rc(rc) : (struct res){ .kind = RS_OK };
		break;
	}
	case C_MMAP:
		rc = os_mmap(rn->os, v[0], v[1], (int)v[2], (int)v[3],
			     st->nargs > 4 ? (int)v[4] : -1, st->nargs > 4 ? v[5] : 0);
		r = from_rc(rc);
		break;
	case C_MUNMAP:
		r = from_rc(rc = os_munmap(rn->os, v[0], v[1]));
		break;
	case C_MPROTECT:
		r = from_rc(rc = os_mprotect(rn->os, v[0], v[1], (int)v[2]));
		break;
	case C_BRK:
		r = from_rc(rc = os_brk(rn->os, v[0]));
		break;
	case C_MADVISE:
		r = from_rc(rc = os_madvise(rn->os, v[0], v[1], (int)v[2]));
		break;
	case C_MSYNC:
		r = from_rc(rc = os_msync(rn->os, v[0], v[1], (int)v[2]));
		break;
	case C_FILE_CREATE:
		ret = file_create(rn, st->args[0].str, v[1],
				  st->nargs > 2 ? &st->args[2] : NULL);
		r = ret < 0 ? from_rc(ret) : (struct res){ .kind = RS_OK };
		break;
	case C_OPEN:
		r = from_rc(rc = os_open(rn->os, st->args[0].str,
					 st->nargs > 1 ? (int)v[1] : O_RDWR, 0644));
		break;
	case C_CLOSE:
		r = from_rc(rc = os_close(rn->os, (int)v[0]));
		break;
	case C_WRITE:
		r = from_rc(rc = os_pwrite(rn->os, (int)v[0], st->args[2].bytes.p,
					   st->args[2].bytes.n, v[1]));
		break;
	case C_READ: {
		if (v[2] > MAX_READ) {
			fatal(rn, "read of more than %u bytes", MAX_READ);
			return;
		}
		unsigned char *buf = malloc(v[2] ? v[2] : 1);

		if (!buf) {
			fatal(rn, "out of memory");
			return;
		}
		rc = os_pread(rn->os, (int)v[0], buf, v[2], v[1]);
		if (rc >= 0) {
			r.kind = RS_BYTES;
			r.bytes = buf;
			r.nbytes = (size_t)rc;
		} else {
			r = from_rc(rc);
		}
		sb_put(&rn->line, " = ", 3);
		put_result(&rn->line, &r, d->rkind);
		if (rc != -EIO)
			expect(rn, st, &r);
		free(buf);
		if (rc == -EIO) {
			machine_failed(rn);
			return;
		}
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_TRUNCATE:
		r = from_rc(rc = os_ftruncate(rn->os, (int)v[0], v[1]));
		break;
	case C_FSYNC:
		r = from_rc(rc = os_fsync(rn->os, (int)v[0]));
		break;
	case C_SYNC:
		r = from_rc(rc = os_sync(rn->os));
		break;
	case C_CHECK_FILE: {
		char path[4200];
		const struct scn_bytes *want = &st->args[2].bytes;
		unsigned char *buf = malloc(want->n ? want->n : 1);
		ssize_t got = -1;
		int fd;

		if (!buf) {
			fatal(rn, "out of memory");
			return;
		}
		if (!host_path(rn, st->args[0].str, path, sizeof(path)) &&
		    (fd = open(path, O_RDONLY)) >= 0) {
			got = pread(fd, buf, want->n, (off_t)v[1]);
			close(fd);
		}
		sb_put(&rn->line, " =", 2);
		if (got < 0) {
			check_verdict(rn, false, "cannot read %s: %s", path, strerror(errno));
		} else {
			sb_put(&rn->line, " ", 1);
			sb_bytes(&rn->line, buf, (size_t)got);
			if ((size_t)got == want->n && !memcmp(buf, want->p, want->n)) {
				check_verdict(rn, true, " ");
			} else {
				size_t i = 0;

				while (i < (size_t)got && buf[i] == want->p[i])
					i++;
				struct sbuf m = { 0 };

				sb_bytes(&m, want->p, want->n);
				check_verdict(rn, false, "expected %s; %s at byte %zu",
					      m.b ? m.b : "", (size_t)got < want->n && i == (size_t)got
					      ? "the file ends" : "differs", i);
				free(m.b);
			}
		}
		free(buf);
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_CHECK_SIZE: {
		char path[4200];
		struct stat sst;

		if (host_path(rn, st->args[0].str, path, sizeof(path)) || stat(path, &sst)) {
			sb_put(&rn->line, " =", 2);
			check_verdict(rn, false, "cannot stat %s: %s", path, strerror(errno));
		} else {
			sb_printf(&rn->line, " = %lld", (long long)sst.st_size);
			check_verdict(rn, (uint64_t)sst.st_size == v[1], "expected %" PRIu64, v[1]);
		}
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_CHECK_COUNTER: {
		uint64_t c;

		if (counter_value(rn, st->args[0].str, &c)) {
			fatal(rn, "unknown counter '%s' (see the names `counters` prints)",
			      st->args[0].str);
			return;
		}
		sb_printf(&rn->line, " = %" PRIu64, c);
		{
			static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

			check_verdict(rn, compare(c, st->args[1].cmp, v[2]), "expected %s %s %" PRIu64,
				      st->args[0].str, ops[st->args[1].cmp], v[2]);
		}
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_CHECK_VALUE: {
		static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

		check_verdict(rn, compare(v[0], st->args[1].cmp, v[2]),
			      "expected 0x%" PRIx64 " %s 0x%" PRIx64, v[0],
			      ops[st->args[1].cmp], v[2]);
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_CHECK_PAGE:
	case C_PAGE: {
		struct os_page_info pi;
		int pid = os_current(rn->os);

		if (st->cmd == C_CHECK_PAGE) {
			for (unsigned k = 0; k < PG_NATTR; k++)
				if ((st->page_set | st->page_clear) & (1u << k))
					sb_printf(&rn->line, " %s%s",
						  st->page_clear & (1u << k) ? "!" : "",
						  scn_page_attrs[k]);
			if (st->page_ref >= 0)
				sb_printf(&rn->line, " ref=%d", st->page_ref);
		}
		rc = pid < 0 ? pid : os_page(rn->os, pid, v[0], &pi);
		sb_put(&rn->line, " = ", 3);
		if (rc < 0) {
			put_errno(&rn->line, (int)-rc);
			if (st->cmd == C_CHECK_PAGE)
				check_verdict(rn, false, "no page information");
		} else {
			unsigned b = page_bits(&pi);

			put_page(&rn->line, &pi);
			if (st->cmd == C_CHECK_PAGE) {
				unsigned bad_set = st->page_set & ~b;
				unsigned bad_clear = st->page_clear & b;
				bool ok = !bad_set && !bad_clear &&
					  (st->page_ref < 0 || (int)pi.refcount == st->page_ref);

				if (ok) {
					check_verdict(rn, true, " ");
				} else {
					struct sbuf m = { 0 };

					for (unsigned k = 0; k < PG_NATTR; k++) {
						if (bad_set & (1u << k))
							sb_printf(&m, "%s%s", m.n ? ", " : "",
								  scn_page_attrs[k]);
						if (bad_clear & (1u << k))
							sb_printf(&m, "%s!%s", m.n ? ", " : "",
								  scn_page_attrs[k]);
					}
					if (st->page_ref >= 0 && (int)pi.refcount != st->page_ref)
						sb_printf(&m, "%sref=%d", m.n ? ", " : "", st->page_ref);
					check_verdict(rn, false, "expected %s", m.b ? m.b : "");
					free(m.b);
				}
			}
		}
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_CHECK: {
		char err[512] = "";

		rc = os_check(rn->os, err, sizeof(err));
		if (rc == -EIO) {
			sb_put(&rn->line, " = -EIO", 7);
			machine_failed(rn);
			return;
		}
		if (rc)
			sb_put(&rn->line, " = -EUCLEAN", 11);
		check_verdict(rn, rc == 0, "%s", err);
		emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_LOAD:
	case C_STORE:
	case C_FETCH: {
		enum mmu_op op = st->cmd == C_LOAD ? MMU_LOAD :
				 st->cmd == C_STORE ? MMU_STORE : MMU_FETCH;
		uint64_t rdata = 0;
		int sig = 0;

		if (v[0] != 1 && v[0] != 2 && v[0] != 4 && v[0] != 8) {
			fatal(rn, "access size %" PRIu64 " is not 1, 2, 4 or 8", v[0]);
			return;
		}
		rc = os_access(rn->os, op, v[1], (unsigned)v[0],
			       st->cmd == C_STORE ? v[2] : 0, &rdata, &sig);
		if (rc == -ENOMEM && sig == SIGKILL)
			r.kind = RS_OOM;
		else if (rc < 0)
			r = from_rc(rc);
		else if (sig) {
			r.kind = RS_SIG;
			r.code = sig;
		} else if (st->cmd == C_STORE) {
			r.kind = RS_OK;
		} else {
			r.kind = RS_VAL;
			r.v = rdata;
		}
		break;
	}
	case C_MAPS: {
		int pid = st->nargs ? (int)v[0] : os_current(rn->os);

		ret = pid < 0 ? pid : do_maps(rn, st, pid);
		if (ret < 0) {
			sb_put(&rn->line, " = ", 3);
			put_errno(&rn->line, -ret);
			if (st->maps_block)
				check_verdict(rn, false, "no such process");
		}
		if (!rn->abort)
			emit(rn, rn->r->failed > fails0);
		return;
	}
	case C_COUNTERS:
		print_counters(rn);
		sb_put(&rn->line, " = ok", 5);
		emit(rn, false);
		return;
	case C_COUNTER: {
		uint64_t cv;

		if (counter_value(rn, st->args[0].str, &cv)) {
			fatal(rn, "unknown counter '%s' (see the names `counters` prints)",
			      st->args[0].str);
			return;
		}
		r = (struct res){ .kind = RS_VAL, .v = cv };
		break;
	}
	case C_KSM:
		r = from_rc(rc = os_ksm_scan(rn->os));
		break;
	case C_RECLAIM:
		r = from_rc(rc = os_reclaim(rn->os, v[0]));
		break;
	default:
		fatal(rn, "statement not supported");
		return;
	}
	if (r.kind == RS_ERRNO && r.code == EIO) {
		sb_put(&rn->line, " = -EIO", 7);
		machine_failed(rn);
		return;
	}
	sb_put(&rn->line, " = ", 3);
	put_result(&rn->line, &r, d->rkind);
	assign(rn, st, &r);
	expect(rn, st, &r);
	if (!rn->abort)
		emit(rn, rn->r->failed > fails0);
}

static int exec_block(struct runner *rn, const struct scn_block *b)
{
	for (unsigned i = 0; i < b->n && !rn->abort; i++)
		exec_stmt(rn, b->v[i]);
	return 0;
}

/* ---- setting up ----------------------------------------------------------------------------- */

int scn_run_config(const struct scn_program *p, const struct scn_run_opts *o,
		   struct mmu_config *cfg, char *err, size_t errlen)
{
	const char *name = o->config;

	if (!name)
		name = (p->opts.set & SCN_OPT_CONFIG) ? p->opts.config : "x86";
	if (mmu_config_load(name, cfg, err, errlen))
		return -1;
	for (unsigned i = 0; i < o->nsets; i++) {
		char key[64];
		const char *eq = strchr(o->sets[i], '=');

		if (!eq || eq == o->sets[i] || (size_t)(eq - o->sets[i]) >= sizeof(key)) {
			snprintf(err, errlen, "bad --set '%s': expected key=value", o->sets[i]);
			return -1;
		}
		memcpy(key, o->sets[i], (size_t)(eq - o->sets[i]));
		key[eq - o->sets[i]] = 0;
		if (mmu_config_set(cfg, key, eq + 1, err, errlen))
			return -1;
	}
	return 0;
}

int scn_run(const struct scn_program *p, const struct scn_run_opts *o,
	    struct scn_result *r, char *err, size_t errlen)
{
	struct runner rn;
	struct mmu_config cfg;
	struct os_opts oo;
	uint64_t mem;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&rn, 0, sizeof(rn));
	rn.p = p;
	rn.o = o;
	rn.r = r;
	rn.out = o->out ? o->out : stdout;
	if (scn_run_config(p, o, &cfg, err, errlen))
		return -1;
	mem = o->mem_bytes ? o->mem_bytes :
	      (p->opts.set & SCN_OPT_MEM) ? p->opts.mem_bytes : 0;

	memset(&oo, 0, sizeof(oo));
	oo.swap_bytes = o->swap_given ? o->swap_bytes :
			(p->opts.set & SCN_OPT_SWAP) ? p->opts.swap_bytes : 0;
	oo.ksm = (p->opts.set & SCN_OPT_KSM) && p->opts.ksm;
	oo.no_zero_page = (p->opts.set & SCN_OPT_ZERO_PAGE) && !p->opts.zero_page;
	oo.pcid_limit = (p->opts.set & SCN_OPT_PCID_LIMIT) ? (unsigned)p->opts.pcid_limit : 0;
	oo.mmap_min_addr = (p->opts.set & SCN_OPT_MIN_ADDR) ? p->opts.mmap_min_addr : 0;
	oo.stack_rlimit = (p->opts.set & SCN_OPT_STACK) ? p->opts.stack_rlimit : 0;

	if (o->files_dir) {
		struct stat sst;

		if (stat(o->files_dir, &sst) || !S_ISDIR(sst.st_mode)) {
			snprintf(err, errlen, "files folder %s: %s", o->files_dir,
				 errno ? strerror(errno) : "not a folder");
			return -1;
		}
		snprintf(rn.dir, sizeof(rn.dir), "%s", o->files_dir);
	} else {
		const char *t = getenv("TMPDIR");

		snprintf(rn.dir, sizeof(rn.dir), "%s/mmuos-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(rn.dir)) {
			snprintf(err, errlen, "cannot make a temporary folder: %s",
				 strerror(errno));
			return -1;
		}
		rn.tmpdir = true;
	}
	oo.file_root = rn.dir;

	rn.vals = calloc(p->nvars ? p->nvars : 1, sizeof(*rn.vals));
	rn.set = calloc(p->nvars ? p->nvars : 1, sizeof(*rn.set));
	if (!rn.vals || !rn.set) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	rn.env.vals = rn.vals;
	rn.env.set = rn.set;
	rn.env.page_size = 1ull << cfg.page_shift;

	rc = machine_open(o->backend ? o->backend : "golden", &cfg, mem, &o->bo,
			  &rn.m, err, errlen);
	if (rc) {
		rc = -1;
		goto out;
	}
	rc = os_create(rn.m, &oo, &rn.os, err, errlen);
	if (rc) {
		rc = -1;
		goto out;
	}
	if (lockstep_is(rn.m))
		lockstep_check_counters_every(rn.m, 4096);

	exec_block(&rn, &p->top);

	if (!rn.abort && lockstep_is(rn.m)) {
		struct lockstep_stats ls;

		rc = lockstep_check_memory(rn.m);
		if (!rc)
			rc = lockstep_check_counters(rn.m);
		lockstep_stats(rn.m, &ls);
		sb_printf(&rn.line, "end: lockstep %s: %" PRIu64 " calls (%" PRIu64
			  " accesses) compared, memory and counters",
			  backend_describe("lockstep", (char[64]){ 0 }, 64), ls.calls,
			  ls.accesses);
		if (rc) {
			const struct lockstep_mismatch *mm = lockstep_mismatch(rn.m);

			sb_put(&rn.line, " FAIL (mismatch)", 16);
			if (mm) {
				char rep[2048];

				lockstep_mismatch_format(mm, rep, sizeof(rep));
				sb_printf(&rn.extra, "%s\n", rep);
			}
			r->failed++;
		} else {
			sb_put(&rn.line, " ok", 3);
			r->passed++;
		}
		emit(&rn, rc != 0);
	}
	rn.m->ops->counters(rn.m, &r->mc);
	os_stats(rn.os, &r->os);
	r->have_stats = true;
	fprintf(rn.out, "scenario %s: %u steps, %u checks passed, %u failed\n",
		scn_program_name(p), r->steps, r->passed, r->failed);
	rc = 0;
out:
	if (rn.os)
		os_destroy(rn.os);
	if (rn.m)
		machine_destroy(rn.m);
	remove_tmpdir(&rn);
	free(rn.vals);
	free(rn.set);
	free(rn.maps);
	free(rn.line.b);
	free(rn.extra.b);
	return rc;
}
