/* SPDX-License-Identifier: MIT */
/*
 * Replaying a trace through the OS: one process, its regions mapped as
 * private anonymous memory, every piece an os_access() in user mode, so the
 * OS's page-fault handler, copy-on-write, swap and reclaim run on whatever
 * machine the OS was booted on.  A shadow of every byte stored checks every
 * load and fetch; the layout predicts every signal.
 */
#define _GNU_SOURCE  /* MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MADV_* */
#include "trace_int.h"
#include "lockstep/lockstep.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define COW_CHECK_MAX 8192  /* words of the child compared after a fork */

/* ---- the shadow: page number -> a copy of the page ----------------------------- */

struct shadow {
	struct k_pmap map;  /* vpn -> (uintptr_t) the page's bytes */
	size_t page_bytes;
};

#define mix64 k_mix64

/* The page's copy; NULL if it has none (all zero) and !create, or when out
 * of memory (*nomem). */
static uint8_t *shadow_get(struct shadow *s, uint64_t vpn, bool create,
			   bool *nomem)
{
	uint64_t *v = k_pmap_get(&s->map, vpn, create, nomem);

	if (!v)
		return NULL;
	if (!*v) {
		uint8_t *p = calloc(1, s->page_bytes);

		if (!p) {
			*nomem = true;
			return NULL;
		}
		*v = (uintptr_t)p;
	}
	return (uint8_t *)(uintptr_t)*v;
}

static void shadow_free(struct shadow *s)
{
	for (size_t i = 0; i < s->map.cap; i++)
		if (s->map.key[i])
			free((void *)(uintptr_t)s->map.val[i]);
	k_pmap_free(&s->map);
}

static int shadow_copy(const struct shadow *from, struct shadow *to)
{
	bool nomem = false;

	memset(to, 0, sizeof(*to));
	to->page_bytes = from->page_bytes;
	for (size_t i = 0; i < from->map.cap; i++) {
		uint8_t *p;

		if (!from->map.key[i])
			continue;
		p = shadow_get(to, from->map.key[i] - 1, true, &nomem);
		if (!p) {
			shadow_free(to);
			return -1;
		}
		memcpy(p, (const void *)(uintptr_t)from->map.val[i],
		       from->page_bytes);
	}
	return 0;
}

/* ---- the replay ------------------------------------------------------------------ */

struct rp {
	struct os *os;
	struct machine *m;
	const struct trace *t;
	const struct trace_layout *lay;
	const struct trace_replay_opts *o;
	struct trace_stats *st;
	struct shadow sh, at_fork;
	unsigned shift;
	int pid, child;
	bool nomem;
	/* code regions mapped from a host file */
	uint64_t *foff;     /* file offset of each region (code ones) */
	char code_path[512];
	int fd;
	const struct trace_ref *cur;  /* the piece being replayed, or NULL */
	size_t cur_i;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(struct rp *r, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first failure only: the text, the piece and its record's
 * line, the check that failed, or the lockstep mismatch. */
static void fail(struct rp *r, const char *check, const char *fmt, ...)
{
	const struct lockstep_mismatch *mm = lockstep_mismatch(r->m);
	struct trace_stats *st = r->st;
	va_list ap;

	if (!st->ok)
		return;
	st->ok = false;
	if (r->cur) {
		st->fail_piece = r->cur_i + 1;
		st->fail_line = r->cur->line;
	}
	trace_note_failure(st, mm, check);
	va_start(ap, fmt);
	vsnprintf(r->st->fail, sizeof(r->st->fail), fmt, ap);
	va_end(ap);
}

static const char *op_name(unsigned op)
{
	switch (op) {
	case TRACE_LOAD: return "load";
	case TRACE_STORE: return "store";
	case TRACE_FETCH: return "fetch";
	default: return "flush";
	}
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case 0: return "no signal";
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGKILL: return "SIGKILL";
	default: return "a signal";
	}
}

/* The signal the layout predicts: none inside a region with the rights. */
static int expected_signal(const struct trace_layout *lay, uint64_t addr,
			   unsigned op)
{
	long i = trace_layout_find(lay, addr);
	int need = op == TRACE_STORE ? PROT_WRITE :
		   op == TRACE_FETCH ? PROT_EXEC : PROT_READ;

	if (i < 0 || !(lay->r[i].prot & need))
		return SIGSEGV;
	return 0;
}

/* An os call failed: the machine (EIO, a lockstep mismatch) or memory. */
static void os_failed(struct rp *r, const char *what, int rc)
{
	const struct lockstep_mismatch *mm = lockstep_mismatch(r->m);

	if (mm) {
		char rep[900];

		lockstep_mismatch_format(mm, rep, sizeof(rep));
		fail(r, "machine", "%s: %s", what, rep);
	} else {
		fail(r, "machine", "%s: %s (%s)", what, strerror(-rc),
		     os_strerror(r->os));
	}
}

static int map_regions(struct rp *r)
{
	for (size_t i = 0; i < r->lay->n; i++) {
		const struct trace_region *g = &r->lay->r[i];
		bool file = r->foff && g->code;
		int64_t a = os_mmap(r->os, g->start, g->end - g->start, g->prot,
				    MAP_PRIVATE | MAP_FIXED_NOREPLACE |
				    (file ? 0 : MAP_ANONYMOUS),
				    file ? r->fd : -1, file ? r->foff[i] : 0);

		if (a != (int64_t)g->start) {
			char what[96];

			snprintf(what, sizeof(what), "mmap of region [%#" PRIx64
				 ", %#" PRIx64 ")", g->start, g->end);
			os_failed(r, what, a < 0 ? (int)a : -EINVAL);
			return -1;
		}
	}
	return 0;
}

struct range_page {
	uint64_t range, addr;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range_page *x = a, *y = b;

	return x->range < y->range ? -1 : x->range > y->range;
}

struct ranges {
	const struct trace_layout *lay;
	struct k_pmap map;  /* last-level table range -> an address in it + 1 */
	unsigned sh;
	bool nomem;
};

static int range_piece(void *ctx, const struct trace_ref *x, uint64_t i)
{
	struct ranges *c = ctx;
	uint64_t *v;

	(void)i;
	if (x->op == TRACE_FLUSH || trace_layout_find(c->lay, x->addr) < 0)
		return 0;
	v = k_pmap_get(&c->map, x->addr >> c->sh, true, &c->nomem);
	if (!v)
		return 1;
	if (!*v)
		*v = x->addr + 1;
	return 0;
}

/* One touched address per last-level table range, sorted by range. */
static int table_ranges(struct rp *r, struct range_page **out, size_t *np)
{
	struct ranges c = { .lay = r->lay,
			    .sh = r->shift + (unsigned)r->m->cfg.index_bits };
	struct range_page *p;
	size_t n = 0;
	char err[300];

	if (trace_each(r->t, range_piece, &c, err, sizeof(err)) < 0) {
		k_pmap_free(&c.map);
		fail(r, "setup", "%s", err);
		return -1;
	}
	p = c.nomem ? NULL : malloc((c.map.n ? c.map.n : 1) * sizeof(*p));
	if (!p) {
		k_pmap_free(&c.map);
		r->nomem = true;
		return -1;
	}
	for (size_t i = 0; i < c.map.cap; i++)
		if (c.map.key[i])
			p[n++] = (struct range_page){ c.map.key[i] - 1,
						      c.map.val[i] - 1 };
	k_pmap_free(&c.map);
	qsort(p, n, sizeof(*p), cmp_range);
	*out = p;
	*np = n;
	return 0;
}

/* For each last-level table's range that the trace touches, one touched
 * page faulted in and released: the tables stay (MADV_DONTNEED keeps
 * them), the frame goes back. */
static int preload_tables(struct rp *r)
{
	struct range_page *p;
	size_t n;

	if (table_ranges(r, &p, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = p[i].addr & ~((1ull << r->shift) - 1), v;
		int sig = 0, rc;

		rc = os_access(r->os, MMU_LOAD, a, 8, 0, &v, &sig);
		if (!rc && sig)
			rc = -EFAULT;
		if (!rc)
			rc = os_madvise(r->os, a, 1ull << r->shift,
					MADV_DONTNEED);
		if (rc) {
			free(p);
			os_failed(r, "preloading page tables", rc);
			return -1;
		}
	}
	free(p);
	/* page-cache pages the loads of code pages read stay cached: drop
	 * them, so every frame but the tables' is free for the replay */
	if (r->foff && os_reclaim(r->os, UINT64_MAX >> 1) < 0) {
		os_failed(r, "dropping the preloaded page cache", -EIO);
		return -1;
	}
	return 0;
}

/* Byte o of the code file: a fixed pattern, so any page can be checked. */
static uint8_t code_byte(uint64_t o)
{
	return (uint8_t)(mix64((o >> 3) ^ 0xc0de) >> (8 * (o & 7)));
}

/* The shadow copy of a page.  A page of a file-backed code region starts
 * with the file's bytes (created on first use); other pages start zero
 * (NULL until something is stored when !create). */
static uint8_t *shadow_page(struct rp *r, uint64_t addr, bool create)
{
	uint64_t vpn = addr >> r->shift, psz = 1ull << r->shift;
	uint8_t *p = shadow_get(&r->sh, vpn, false, &r->nomem);
	long i;

	if (p || r->nomem)
		return p;
	i = r->foff ? trace_layout_find(r->lay, addr) : -1;
	if (i >= 0 && !r->lay->r[i].code)
		i = -1;
	if (!create && i < 0)
		return NULL;
	p = shadow_get(&r->sh, vpn, true, &r->nomem);
	if (p && i >= 0) {
		uint64_t o = r->foff[i] + (vpn << r->shift) - r->lay->r[i].start;

		for (uint64_t k = 0; k < psz; k++)
			p[k] = code_byte(o + k);
	}
	return p;
}

static uint64_t shadow_load(struct rp *r, uint64_t addr, unsigned size)
{
	uint8_t *p = shadow_page(r, addr, false);
	uint64_t off = addr & ((1ull << r->shift) - 1), v = 0;

	if (!p)
		return 0;
	for (unsigned k = size; k-- > 0;)
		v = (v << 8) | p[off + k];
	return v;
}

static void shadow_store(struct rp *r, uint64_t addr, unsigned size,
			 uint64_t v)
{
	uint8_t *p = shadow_page(r, addr, true);
	uint64_t off = addr & ((1ull << r->shift) - 1);

	if (!p)
		return;
	for (unsigned k = 0; k < size; k++, v >>= 8)
		p[off + k] = (uint8_t)v;
}

/* The host file behind the code regions: the regions' pages back to back,
 * filled with code_byte(); opened in the process. */
static int make_code_file(struct rp *r)
{
	const char *dir = getenv("TMPDIR");
	uint64_t total = 0;
	uint8_t buf[4096];
	int hfd;

	for (size_t i = 0; i < r->lay->n; i++)
		if (r->lay->r[i].code)
			total += r->lay->r[i].end - r->lay->r[i].start;
	if (!total)
		return 0;
	r->foff = calloc(r->lay->n, sizeof(*r->foff));
	if (!r->foff) {
		r->nomem = true;
		return -1;
	}
	total = 0;
	for (size_t i = 0; i < r->lay->n; i++)
		if (r->lay->r[i].code) {
			r->foff[i] = total;
			total += r->lay->r[i].end - r->lay->r[i].start;
		}
	snprintf(r->code_path, sizeof(r->code_path), "%s/mmutrace-code-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	hfd = mkstemp(r->code_path);
	if (hfd < 0) {
		fail(r, "setup", "cannot create the code file %s: %s", r->code_path,
		     strerror(errno));
		r->code_path[0] = 0;
		return -1;
	}
	for (uint64_t o = 0; o < total; o += sizeof(buf)) {
		size_t n = total - o < sizeof(buf) ? (size_t)(total - o)
						   : sizeof(buf);

		for (size_t k = 0; k < n; k++)
			buf[k] = code_byte(o + k);
		if (write(hfd, buf, n) != (ssize_t)n) {
			fail(r, "setup", "cannot write the code file %s: %s",
			     r->code_path, strerror(errno));
			close(hfd);
			return -1;
		}
	}
	close(hfd);
	r->fd = os_open(r->os, r->code_path, O_RDONLY, 0);
	if (r->fd < 0) {
		os_failed(r, "opening the code file", r->fd);
		return -1;
	}
	return 0;
}

static int do_fork(struct rp *r, size_t i)
{
	int rc = os_fork(r->os, &r->child);

	if (rc) {
		char what[64];

		snprintf(what, sizeof(what), "fork before piece %zu", i + 1);
		os_failed(r, what, rc);
		return -1;
	}
	if (shadow_copy(&r->sh, &r->at_fork)) {
		r->nomem = true;
		return -1;
	}
	return 0;
}

static int one_piece(struct rp *r, const struct trace_ref *x, size_t i)
{
	struct trace_stats *st = r->st;
	static const enum mmu_op mop[] = { MMU_LOAD, MMU_STORE, MMU_FETCH };
	uint64_t wdata = 0, rdata = 0;
	int sig = 0, want, rc;

	if (x->op == TRACE_FLUSH) {
		st->flushes++;
		rc = machine_cache_op(r->m, MMU_CTL_FLUSH_ALL, 0);
		if (rc) {
			fail(r, "flush", "piece %zu: cache flush: %s (%s)", i + 1,
			     mmu_err_str(rc), r->m->err);
			return -1;
		}
		return 0;
	}
	if (x->addr < r->lay->min_addr || x->addr >= r->lay->max_addr ||
	    r->lay->max_addr - x->addr < x->size) {
		st->unmappable++;
		return 0;
	}
	st->pieces++;
	st->loads += x->op == TRACE_LOAD;
	st->stores += x->op == TRACE_STORE;
	st->fetches += x->op == TRACE_FETCH;
	want = expected_signal(r->lay, x->addr, x->op);
	if (x->op == TRACE_STORE) {
		wdata = mix64(r->o->seed ^ (i * 0x9e3779b97f4a7c15ull));
		if (x->size < 8)
			wdata &= (1ull << (8 * x->size)) - 1;
	}
	rc = os_access(r->os, mop[x->op], x->addr, x->size, wdata, &rdata,
		       &sig);
	if (rc) {
		char what[128];

		snprintf(what, sizeof(what), "piece %zu (%s %u bytes at %#"
			 PRIx64 ")", i + 1, op_name(x->op), x->size, x->addr);
		os_failed(r, what, rc);
		return -1;
	}
	if (sig != want) {
		struct os_siginfo si;

		os_last_signal(r->os, &si);
		fail(r, "signal", "piece %zu (%s %u bytes at %#" PRIx64 "): %s, expected "
		     "%s (the address is %s)", i + 1, op_name(x->op), x->size,
		     x->addr, sig_name(sig), sig_name(want),
		     trace_layout_find(r->lay, x->addr) < 0 ? "outside every "
		     "region" : "inside a region");
		return -1;
	}
	if (sig) {
		st->signals++;
		st->signals_expected++;
		return 0;
	}
	if (x->op == TRACE_STORE) {
		shadow_store(r, x->addr, x->size, wdata);
	} else {
		uint64_t want_v = shadow_load(r, x->addr, x->size);

		st->data_checked++;
		if (rdata != want_v) {
			fail(r, "data", "piece %zu (%s %u bytes at %#" PRIx64 "): read "
			     "%#" PRIx64 ", expected %#" PRIx64 " (the last "
			     "value stored there)", i + 1, op_name(x->op),
			     x->size, x->addr, rdata, want_v);
			return -1;
		}
	}
	return r->nomem ? -1 : 0;
}

/* The child still sees memory as it was at the fork where the parent has
 * written since (copy-on-write kept them apart). */
static int check_child(struct rp *r)
{
	struct shadow *f = &r->at_fork;
	uint64_t words = f->page_bytes / 8, checked = 0;
	int rc = os_switch(r->os, r->child);

	if (rc) {
		os_failed(r, "switching to the forked child", rc);
		return -1;
	}
	for (size_t i = 0; i < f->map.cap && checked < COW_CHECK_MAX; i++) {
		uint64_t vpn, *old;
		uint8_t *now;

		if (!f->map.key[i])
			continue;
		vpn = f->map.key[i] - 1;
		now = shadow_get(&r->sh, vpn, false, &r->nomem);
		old = (uint64_t *)(uintptr_t)f->map.val[i];
		for (uint64_t w = 0; w < words && checked < COW_CHECK_MAX; w++) {
			uint64_t va = (vpn << r->shift) + w * 8, got = 0, cur;
			int sig = 0;

			memcpy(&cur, now + w * 8, 8);
			if (cur == old[w])
				continue;
			rc = os_access(r->os, MMU_LOAD, va, 8, 0, &got, &sig);
			if (rc) {
				os_failed(r, "the child's copy-on-write check",
					  rc);
				return -1;
			}
			checked++;
			if (sig || got != old[w]) {
				fail(r, "cow", "after the fork the child reads %#"
				     PRIx64 "%s at %#" PRIx64 ", expected %#"
				     PRIx64 " (its value at the fork; the "
				     "parent stored %#" PRIx64 " since)", got,
				     sig ? " with a signal" : "", va, old[w],
				     cur);
				return -1;
			}
		}
	}
	r->st->cow_checked = checked;
	rc = os_switch(r->os, r->pid);
	if (rc) {
		os_failed(r, "switching back to the parent", rc);
		return -1;
	}
	return 0;
}

static void stats_delta(struct os_stats *d, const struct os_stats *a,
			const struct os_stats *b)
{
	*d = *b;
#define D(f) d->f = b->f - a->f
	D(minor_faults); D(major_faults); D(segv); D(sigbus); D(zero_fills);
	D(zero_page_maps); D(cow_copies); D(cow_reuses); D(stack_expansions);
	D(swap_outs); D(swap_ins); D(swap_cache_hits); D(file_reads);
	D(file_writebacks); D(file_pages_dropped); D(second_chances);
	D(ksm_merges); D(ksm_unmerges); D(oom_events); D(forks); D(execs);
	D(exits); D(cr3_writes); D(cr3_noflush); D(invlpg); D(invpcid);
	D(pcid_rollovers);
#undef D
}

static void counters_delta(struct mmu_counters *d,
			   const struct mmu_counters *a,
			   const struct mmu_counters *b)
{
#define D(name, doc) d->name = b->name - a->name;
	MMU_COUNTERS(D)
#undef D
}

static void progress(struct rp *r, size_t done)
{
	const struct trace_progress *p = &r->o->progress;

	if (p->fn)
		p->fn(p->ctx, done, r->t->n);
}

static int run_piece(void *ctx, const struct trace_ref *x, uint64_t i)
{
	struct rp *r = ctx;
	uint64_t every = r->o->progress.every ? r->o->progress.every : 65536;

	r->cur = x;
	r->cur_i = (size_t)i;
	if (r->o->fork_at && i + 1 == r->o->fork_at && do_fork(r, (size_t)i))
		return 1;
	if (one_piece(r, x, (size_t)i))
		return 1;
	r->cur = NULL;
	if ((i + 1) % every == 0)
		progress(r, (size_t)i + 1);
	return 0;
}

/* The pieces as the trace gives them (a loaded file read again: nothing
 * of the trace is held). */
static int run_pieces(struct rp *r)
{
	char err[300];
	int rc = trace_each(r->t, run_piece, r, err, sizeof(err));

	if (rc < 0)
		r->cur = NULL;
	if (rc < 0)
		fail(r, "setup", "%s", err);
	if (rc)
		return -1;
	progress(r, r->t->n);
	return 0;
}

int trace_replay(struct os *os, const struct trace *t,
		 const struct trace_layout *lay,
		 const struct trace_replay_opts *o, struct trace_stats *st,
		 char *err, size_t errlen)
{
	static const struct trace_replay_opts none;
	struct rp r = { .os = os, .m = os_machine(os), .t = t, .lay = lay,
			.o = o ? o : &none, .st = st, .child = -1, .fd = -1 };
	struct os_stats s0, s1;
	struct mmu_counters c0, c1;
	char cerr[300];
	double t0;
	int rc;

	memset(st, 0, sizeof(*st));
	st->ok = true;
	st->regions = lay->n;
	st->mapped_pages = lay->mapped_pages;
	st->touched_pages = lay->touched_pages;
	st->table_frames = lay->table_frames;
	st->lockstep = lockstep_is(r.m);
	r.shift = (unsigned)r.m->cfg.page_shift;
	r.sh.page_bytes = 1ull << r.shift;
	rc = os_spawn(os, &r.pid);
	if (!rc)
		rc = os_switch(os, r.pid);
	if (rc)
		return k_trace_err(err, errlen, "cannot start a process: %s (%s)",
				   strerror(-rc), os_strerror(os));
	if ((r.o->code_file && make_code_file(&r)) || map_regions(&r) ||
	    (r.o->preload_tables && preload_tables(&r)))
		goto out;

	os_stats(os, &s0);
	machine_counters(r.m, &c0);
	t0 = now();
	rc = run_pieces(&r);
	st->secs = now() - t0;
	os_stats(os, &s1);
	machine_counters(r.m, &c1);
	stats_delta(&st->os, &s0, &s1);
	counters_delta(&st->c, &c0, &c1);
	st->user_frames = s1.frames_total - s1.frames_kernel - s1.frames_pt;
	st->page_ins = st->os.zero_fills + st->os.swap_ins +
		       st->os.swap_cache_hits + st->os.file_reads;
	if (rc)
		goto out;
	if (r.child >= 0 && check_child(&r))
		goto out;
	if (os_check(os, cerr, sizeof(cerr))) {
		fail(&r, "os_check", "os_check after the replay: %s", cerr);
		goto out;
	}
out:
	if (r.nomem)
		fail(&r, "setup", "out of host memory for the shadow");
	if (r.child >= 0 && (rc = os_exit(os, r.child)))
		os_failed(&r, "exit of the child", rc);
	rc = os_exit(os, r.pid);
	if (rc)
		os_failed(&r, "exit of the process", rc);
	else if (st->ok && os_check(os, cerr, sizeof(cerr)))
		fail(&r, "os_check", "os_check after exit: %s", cerr);
	shadow_free(&r.sh);
	shadow_free(&r.at_fork);
	free(r.foff);
	if (r.code_path[0])
		unlink(r.code_path);
	return 0;
}

/* ---- a whole run ----------------------------------------------------------------- */

int trace_run(const struct trace *t, const struct trace_run_opts *o,
	      struct trace_stats *st, char *err, size_t errlen)
{
	struct trace_layout lay;
	struct machine *m = NULL;
	struct os *os = NULL;
	struct os_opts oo = { 0 };
	const char *backend = o->backend ? o->backend : "golden";
	uint64_t mem = o->mem_bytes, psz = 1ull << o->cfg->page_shift;
	struct lockstep_stats ls;
	char e[300];
	int rc;

	memset(st, 0, sizeof(*st));
	if (trace_layout(t, o->cfg, &o->layout, &lay, err, errlen))
		return -1;
	if (o->user_frames)
		mem = trace_mem_frames(&lay, o->user_frames,
				       o->replay.fork_at != 0) * psz;
	oo.swap_bytes = o->swap_bytes ? o->swap_bytes
				      : (2 * lay.touched_pages + 64) * psz;
	oo.no_zero_page = o->no_zero_page;
	oo.mmap_min_addr = lay.min_addr;
	rc = machine_open(backend, o->cfg, mem, &o->bo, &m, e, sizeof(e));
	if (rc) {
		trace_layout_free(&lay);
		return k_trace_err(err, errlen, "%s: %s", backend, e);
	}
	if (lockstep_is(m))
		lockstep_check_counters_every(m, 4096);
	rc = os_create(m, &oo, &os, e, sizeof(e));
	if (rc) {
		machine_destroy(m);
		trace_layout_free(&lay);
		return k_trace_err(err, errlen, "%s", e);
	}
	rc = trace_replay(os, t, &lay, &o->replay, st, err, errlen);
	if (!rc && lockstep_is(m) && st->ok &&
	    (lockstep_check_counters(m) || lockstep_check_memory(m))) {
		const struct lockstep_mismatch *mm = lockstep_mismatch(m);

		st->ok = false;
		trace_note_failure(st, mm, "final");
		if (mm)
			lockstep_mismatch_format(mm, st->fail, sizeof(st->fail));
		else
			snprintf(st->fail, sizeof(st->fail), "final lockstep "
				 "check: %s", m->err);
	}
	if (lockstep_is(m)) {
		lockstep_stats(m, &ls);
		st->checks = ls.calls;
	}
	os_destroy(os);
	machine_destroy(m);
	trace_layout_free(&lay);
	return rc;
}
