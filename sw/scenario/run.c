/* SPDX-License-Identifier: MIT */
/*
 * Running a scenario: a fresh machine (sw/backend/backend.h) and OS
 * (sw/os/os.h) per program, one result line per executed statement:
 *
 *   LINE[ITER]: STATEMENT = RESULT[ ok | FAIL (expected ...)]
 *
 * STATEMENT is the statement with its arguments evaluated (addresses in
 * hex, lengths in decimal, flags symbolic); RESULT is a value, -ERRNO, a
 * signal, OOM or ok.  Then the summary line
 *   scenario NAME: N steps, N checks passed, N failed
 * docs/scenario-language.md describes every line.
 *
 * Every statement goes through one table indexed by its kind (steps[]
 * below, the handlers in run_proc.c, run_file.c and run_info.c): the
 * runner evaluates the arguments, echoes the statement, calls the handler
 * and then prints the result and checks the expectation the same way for
 * every statement that has a result.
 */
#include "run_int.h"
#include "lockstep/lockstep.h"
#include "os/os.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPEAT 100000000ull

/* ---- step lines ------------------------------------------------------------------ */

/* "expected SIGSEGV", "unexpected", "machine": the verdict of a FAIL line
 * without its numbers (values move when lines are taken out). */
static void verdict_class(const char *line, char *buf, size_t len)
{
	const char *v = line ? strstr(line, " FAIL (") : NULL;
	size_t n, m;

	if (!v) {
		snprintf(buf, len, "failed");
		return;
	}
	v += 7;
	n = strcspn(v, " ;:),");
	m = 0;
	if (!strncmp(v, "expected ", 9)) {
		const char *w = v + 9;

		m = strcspn(w, " ;:),");
		if (!m || !(isalpha((unsigned char)w[0]) ||
			    (w[0] == '-' && isalpha((unsigned char)w[1]))))
			m = 0;
	}
	if (m)
		snprintf(buf, len, "%.*s %.*s", (int)n, v, (int)m, v + 9);
	else
		snprintf(buf, len, "%.*s", (int)n, v);
}

/* The run's first failure, as the step's lines are printed. */
static void note_failure(struct runner *rn)
{
	struct scn_result *r = rn->r;
	const struct lockstep_mismatch *mm =
		lockstep_is(rn->m) ? lockstep_mismatch(rn->m) : NULL;
	char check[96];

	if (r->fail_text[0])
		return;
	r->fail_line = rn->cur ? rn->cur->line : 0;
	r->fail_step = r->steps;
	snprintf(r->fail_text, sizeof(r->fail_text), "%s\n%s",
		 rn->line.b ? rn->line.b : "", rn->extra.b && !mm ? rn->extra.b : "");
	if (mm) {
		r->mm = *mm;
		r->fail_mismatch = true;
	}
	verdict_class(rn->line.b, check, sizeof(check));
	if (rn->cur) {
		char what[140];

		snprintf(what, sizeof(what), "%s %s",
			 scn_cmd_def(rn->cur->cmd)->name, check);
		failure_sig(mm, "scenario", what, r->fail_sig, sizeof(r->fail_sig));
	} else {
		failure_sig(mm, "scenario", "end", r->fail_sig, sizeof(r->fail_sig));
	}
}

void rn_emit(struct runner *rn, bool failed)
{
	if (failed && !rn->line.nomem && !rn->extra.nomem)
		note_failure(rn);
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

void rn_prefix(struct runner *rn, const struct scn_stmt *st)
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

void rn_fatal(struct runner *rn, const char *fmt, ...)
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
	rn_emit(rn, true);
}

void rn_machine_failed(struct runner *rn)
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
	rn_emit(rn, true);
}

int rn_eval(struct runner *rn, const struct scn_expr *e, uint64_t *v)
{
	char err[200];

	if (scn_eval(rn->p, e, &rn->env, v, err, sizeof(err))) {
		rn_fatal(rn, "%s", err);
		return -1;
	}
	return 0;
}

/* ---- results and expectations ------------------------------------------------------- */

void rn_put_errno(struct sbuf *s, int code)
{
	const char *n = scn_errno_name(code);

	if (n)
		sb_printf(s, "-%s", n);
	else
		sb_printf(s, "-%d", code);
}

void rn_put_result(struct sbuf *s, const struct res *r, enum scn_rkind k)
{
	switch (r->kind) {
	case RS_VAL:
		if (k == R_INT)
			sb_printf(s, "%" PRId64, (int64_t)r->v);
		else
			sb_printf(s, "0x%" PRIx64, r->v);
		break;
	case RS_ERRNO:
		rn_put_errno(s, r->code);
		break;
	case RS_SIG:
		sb_printf(s, "%s", scn_signal_name(r->code) ? scn_signal_name(r->code)
							       : "signal");
		break;
	case RS_OOM:
		sb_put(s, "OOM", 3);
		if (r->msg && *r->msg)
			sb_printf(s, " (%s)", r->msg);
		break;
	case RS_OK:
		sb_put(s, "ok", 2);
		break;
	case RS_BYTES:
		if (k == R_HEXBYTES)
			sb_hex(s, r->bytes, r->nbytes);
		else
			sb_bytes_all(s, r->bytes, r->nbytes);
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
		code = si.code == 1 ? "SEGV_MAPERR" : si.code == 2 ? "SEGV_ACCERR" :
		       si.code == 4 ? "SEGV_PKUERR" : "";
	else if (si.signo == SIGBUS)
		code = si.code == 2 ? "BUS_ADRERR" : si.code == 3 ? "BUS_OBJERR" : "";
	sb_printf(s, "; got %s%s%s%s at %#" PRIx64 ", error code %s",
		  scn_signal_name(si.signo) ? scn_signal_name(si.signo) : "signal",
		  *code ? " (" : "", code, *code ? ")" : "", si.addr,
		  mmu_pfec_str(si.error_code, ec, sizeof(ec)));
}

/* An errno, a signal or OOM on a line without `expect`: true when that
 * fails the step (reported on it). */
static bool unexpected(struct runner *rn, const struct scn_stmt *st,
		       const struct res *r)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	struct sbuf *s = &rn->line;

	/* unless the scenario says `option strict off`; an access cannot
	 * expect an errno (-ESRCH with no process) */
	if (!is_failure(r) || !scn_takes_expect(st->cmd) ||
	    (d->rkind == R_VALUE && r->kind == RS_ERRNO) ||
	    ((rn->p->opts.set & SCN_OPT_STRICT) && !rn->p->opts.strict))
		return false;
	rn->r->failed++;
	sb_printf(s, " FAIL (unexpected: the line expects nothing; add 'expect ");
	if (r->kind == RS_ERRNO)
		rn_put_errno(s, r->code);
	else if (r->kind == RS_SIG)
		sb_printf(s, "%s", scn_signal_name(r->code) ? scn_signal_name(r->code) : "SIGSEGV");
	else
		sb_put(s, "OOM", 3);
	sb_put(s, "'", 1);
	if (r->kind == RS_SIG)
		put_siginfo(rn, s);
	sb_put(s, ")", 1);
	return true;
}

/* Apply the statement's expectation; appends " ok" or " FAIL (...)". */
bool rn_expect(struct runner *rn, const struct scn_stmt *st,
		   const struct res *r)
{
	const struct scn_expect *x = &st->expect;
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	struct sbuf *s = &rn->line;
	uint64_t want = 0;
	bool ok = false;

	switch (x->kind) {
	case X_NONE:
		return !unexpected(rn, st, r);
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
		if (rn_eval(rn, x->e, &want))
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
	case X_ERRNO: rn_put_errno(s, x->code); break;
	case X_SIGNAL: sb_printf(s, "%s", scn_signal_name(x->code)); break;
	case X_OOM: sb_put(s, "OOM", 3); break;
	case X_VALUE: {
		struct res w = { .kind = RS_VAL, .v = want };

		rn_put_result(s, &w, d->rkind);
		break;
	}
	case X_BYTES:
		if (d->rkind == R_HEXBYTES)
			sb_hex(s, x->bytes.p, x->bytes.n);
		else
			sb_bytes_all(s, x->bytes.p, x->bytes.n);
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

struct res rn_from_rc(int64_t rc)
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

void rn_verdict(struct runner *rn, bool ok, const char *fmt, ...)
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

bool rn_compare(uint64_t a, int op, uint64_t b)
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

/* ---- limits ---------------------------------------------------------------------------- */

void rn_limit(struct runner *rn, const struct scn_stmt *st, unsigned col,
	      const char *fmt, ...)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	char m[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	snprintf(rn->r->limit, sizeof(rn->r->limit), "%s:%u:%u: %s", rn->p->origin,
		 st->line, col, m);
	(void)d;
	if (!rn->line.n) {  /* between statements: "LINE[ITER]: repeat" */
		rn_prefix(rn, st);
		rn_stmt_name(rn, st);
	}
	rn_fatal(rn, "%s", rn->r->limit);
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* One more unit of work (a statement or a loop iteration) at st: false
 * when the step or the time budget is spent (the run stops). */
static bool budget(struct runner *rn, const struct scn_stmt *st)
{
	const struct scn_limits *l = &rn->lim;

	if (++rn->work > l->max_steps) {
		rn_limit(rn, st, st->col, "step budget exceeded (--max-steps %llu)",
			 (unsigned long long)l->max_steps);
		return false;
	}
	if (l->max_ms != SCN_UNLIMITED && now_ms() - rn->t0_ms > l->max_ms) {
		rn_limit(rn, st, st->col, "time budget exceeded (--max-time %g)",
			 (double)l->max_ms / 1000);
		return false;
	}
	return true;
}

/* ---- the table of statements ------------------------------------------------------------- */

enum {
	ST_OWN_LINE = 1 << 0,  /* the handler writes the whole step line */
};

static enum sr run_repeat(struct runner *rn, const struct scn_stmt *st,
			   const uint64_t *v, struct res *r);

static const struct step {
	step_fn fn;
	unsigned flags;
} steps[C_NCMDS] = {
	[C_SPAWN] = { run_spawn, 0 },
	[C_SWITCH] = { run_switch, 0 },
	[C_FORK] = { run_fork, 0 },
	[C_EXECVE] = { run_execve, 0 },
	[C_EXIT] = { run_exit, 0 },
	[C_MMAP] = { run_mmap, 0 },
	[C_MUNMAP] = { run_munmap, 0 },
	[C_MPROTECT] = { run_mprotect, 0 },
	[C_BRK] = { run_brk, 0 },
	[C_MADVISE] = { run_madvise, 0 },
	[C_MSYNC] = { run_msync, 0 },
	[C_PKEY_ALLOC] = { run_pkey, 0 },
	[C_PKEY_FREE] = { run_pkey, 0 },
	[C_PKEY_MPROTECT] = { run_pkey, 0 },
	[C_PKEY_SET] = { run_pkey, 0 },
	[C_PKEY_GET] = { run_pkey, 0 },
	[C_FILE_CREATE] = { run_file_create, 0 },
	[C_OPEN] = { run_open, 0 },
	[C_CLOSE] = { run_close, 0 },
	[C_WRITE] = { run_write, 0 },
	[C_READ] = { run_read, 0 },
	[C_TRUNCATE] = { run_truncate, 0 },
	[C_FSYNC] = { run_fsync, 0 },
	[C_SYNC] = { run_sync, 0 },
	[C_CHECK_FILE] = { run_check_file, 0 },
	[C_CHECK_SIZE] = { run_check_size, 0 },
	[C_CHECK_COUNTER] = { run_check_counter, 0 },
	[C_CHECK_PAGE] = { run_page, 0 },
	[C_CHECK_VALUE] = { run_check_value, 0 },
	[C_CHECK] = { run_check, 0 },
	[C_LOAD] = { run_access, 0 },
	[C_STORE] = { run_access, 0 },
	[C_FETCH] = { run_access, 0 },
	[C_MAPS] = { run_maps, 0 },
	[C_PAGE] = { run_page, 0 },
	[C_COUNTERS] = { run_counters, 0 },
	[C_TLB] = { run_tlb, 0 },
	[C_WALK] = { run_walk, 0 },
	[C_COUNTER] = { run_counter, 0 },
	[C_KSM] = { run_ksm, 0 },
	[C_RECLAIM] = { run_reclaim, 0 },
	[C_PRINT] = { run_print, ST_OWN_LINE },
	[C_LET] = { run_let, ST_OWN_LINE },
	[C_REPEAT] = { run_repeat, ST_OWN_LINE },
	[C_UNLINK] = { run_unlink, 0 },
	[C_MINCORE] = { run_mincore, 0 },
	[C_FALLOCATE] = { run_fallocate, 0 },
	[C_MREMAP] = { run_mremap, 0 },
	[C_FILE_COPY] = { run_file_copy, 0 },
	[C_READ_HEX] = { run_read, 0 },
	[C_MLOCK] = { run_mlock, 0 },
	[C_MUNLOCK] = { run_mlock, 0 },
	[C_MLOCKALL] = { run_mlock, 0 },
	[C_MUNLOCKALL] = { run_mlock, 0 },
	/* C_OPTION never reaches the runner: the parser keeps it in p->opts */
};

/* repeat N [$i] { ... }: not a step itself; its body's statements are. */
static enum sr run_repeat(struct runner *rn, const struct scn_stmt *st,
			   const uint64_t *v, struct res *r)
{
	uint64_t n = v[0];

	(void)r;
	if (n > MAX_REPEAT) {
		rn_prefix(rn, st);
		sb_put(&rn->line, "repeat", 6);
		rn_fatal(rn, "repeat count %" PRIu64 " is larger than %llu", n,
			 (unsigned long long)MAX_REPEAT);
		return SR_DONE;
	}
	if (rn->depth == MAX_NEST)
		return SR_DONE;
	rn->depth++;
	for (uint64_t i = 0; i < n && !rn->abort; i++) {
		rn->iter[rn->depth - 1] = (unsigned)i;
		if (!budget(rn, st))
			break;
		if (st->loopvar >= 0) {
			rn->vals[st->loopvar] = i;
			rn->set[st->loopvar] = true;
		}
		rn_exec_block(rn, &st->body);
	}
	rn->depth--;
	return SR_DONE;
}

/* "fork {": the block runs in the child, then the parent is current
 * again (the child lives on unless the block ended it with `exit`). */
static void run_child(struct runner *rn, const struct scn_stmt *st, int child)
{
	int parent = os_current(rn->os);

	if (os_switch(rn->os, child) == 0) {
		rn_exec_block(rn, &st->body);
		rn->cur = st;
		if (!rn->abort && parent > 0)
			os_switch(rn->os, parent);
	}
}

/* The result of a handler that gave one: printed, assigned, checked. */
static void finish(struct runner *rn, const struct scn_stmt *st,
		   const struct res *r, unsigned fails0)
{
	if (r->kind == RS_ERRNO && r->code == EIO) {
		sb_put(&rn->line, " = -EIO", 7);
		rn_machine_failed(rn);
		return;
	}
	sb_put(&rn->line, " = ", 3);
	rn_put_result(&rn->line, r, scn_cmd_def(st->cmd)->rkind);
	assign(rn, st, r);
	rn_expect(rn, st, r);
	if (!rn->abort)
		rn_emit(rn, rn->r->failed > fails0);
}

static void exec_stmt(struct runner *rn, const struct scn_stmt *st)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);
	const struct step *s = &steps[st->cmd];
	uint64_t v[SCN_MAX_ARGS] = { 0 };
	struct res r = { .kind = RS_OK };
	unsigned fails0 = rn->r->failed;
	int tmpfd = -1;

	/* a failing evaluation reports on "LINE: check counter FAIL (...)" */
	(void)d;
	rn->cur = st;
	rn_prefix(rn, st);
	rn_stmt_name(rn, st);
	if (!s->fn) {
		rn_fatal(rn, "statement not supported");
		return;
	}
	if (!budget(rn, st))
		return;
	if (st->cmd != C_REPEAT)
		rn->r->steps++;
	for (unsigned i = 0; i < st->nargs; i++)
		if (st->args[i].e && rn_eval(rn, st->args[i].e, &v[i]))
			return;
	sb_reset(&rn->line);
	if (!(s->flags & ST_OWN_LINE))
		rn_echo(rn, st, v);
	/* a file named instead of a descriptor: open for this call */
	if (st->nargs && st->args[0].kind == AK_FILE && st->args[0].str) {
		int fd = rn_file_arg(rn, st);

		if (fd == RN_STOPPED)
			return;
		if (fd < 0) {
			r = rn_from_rc(fd);
			finish(rn, st, &r, fails0);
			return;
		}
		v[0] = (uint64_t)fd;
		tmpfd = fd;
	}
	switch (s->fn(rn, st, v, &r)) {
	case SR_RESULT:
		finish(rn, st, &r, fails0);
		if (st->cmd == C_FORK && st->has_body && r.kind == RS_VAL && !rn->abort)
			run_child(rn, st, (int)r.v);
		break;
	case SR_LINE:
		if (!rn->abort)
			rn_emit(rn, rn->r->failed > fails0);
		break;
	case SR_DONE:
		break;
	}
	if (tmpfd >= 0)
		os_close(rn->os, tmpfd);
}

int rn_exec_block(struct runner *rn, const struct scn_block *b)
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


/* The kernel's options: the command line's, else the scenario's. */
static void kernel_opts(const struct scn_program *p, const struct scn_run_opts *o,
			struct os_opts *oo)
{
	memset(oo, 0, sizeof(*oo));
	oo->swap_bytes = o->swap_given ? o->swap_bytes :
			 (p->opts.set & SCN_OPT_SWAP) ? p->opts.swap_bytes : 0;
	oo->ksm = (p->opts.set & SCN_OPT_KSM) && p->opts.ksm;
	oo->no_zero_page = (p->opts.set & SCN_OPT_ZERO_PAGE) && !p->opts.zero_page;
	oo->no_pku = (p->opts.set & SCN_OPT_PKU) && !p->opts.pku;
	oo->pcid_limit = (p->opts.set & SCN_OPT_PCID_LIMIT) ? (unsigned)p->opts.pcid_limit : 0;
	oo->mmap_min_addr = (p->opts.set & SCN_OPT_MIN_ADDR) ? p->opts.mmap_min_addr : 0;
	oo->stack_rlimit = (p->opts.set & SCN_OPT_STACK) ? p->opts.stack_rlimit : 0;
	if (p->opts.set & SCN_OPT_MEMLOCK)
		oo->memlock_rlimit = p->opts.memlock_rlimit ? p->opts.memlock_rlimit
							     : OS_RLIM_ZERO;
}

/* The machine and the OS; 0 or -1 with a message. */
static int boot(struct runner *rn, const struct mmu_config *cfg, char *err,
		size_t errlen)
{
	const struct scn_program *p = rn->p;
	const struct scn_run_opts *o = rn->o;
	uint64_t mem = o->mem_bytes ? o->mem_bytes :
		       (p->opts.set & SCN_OPT_MEM) ? p->opts.mem_bytes : 0;
	struct os_opts oo;

	kernel_opts(p, o, &oo);
	oo.file_root = rn->dir;
	oo.fsize_rlimit = rn->lim.max_file_bytes == SCN_UNLIMITED ? 0 : rn->lim.max_file_bytes;
	rn->vals = calloc(p->nvars ? p->nvars : 1, sizeof(*rn->vals));
	rn->set = calloc(p->nvars ? p->nvars : 1, sizeof(*rn->set));
	if (!rn->vals || !rn->set) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rn->env.vals = rn->vals;
	rn->env.set = rn->set;
	rn->env.page_size = 1ull << cfg->page_shift;
	if (machine_open(o->backend ? o->backend : "golden", cfg, mem, &o->bo,
			 &rn->m, err, errlen))
		return -1;
	if (os_create(rn->m, &oo, &rn->os, err, errlen))
		return -1;
	if (o->trace)
		os_set_trace(rn->os, rn_trace_event, rn);
	if (lockstep_is(rn->m))
		lockstep_check_counters_every(rn->m, 4096);
	return 0;
}

/* With lockstep: all of memory and the counters compared at the end. */
static void lockstep_end(struct runner *rn)
{
	struct lockstep_stats ls;
	int rc = lockstep_check_memory(rn->m);

	rn->cur = NULL;
	if (!rc)
		rc = lockstep_check_counters(rn->m);
	lockstep_stats(rn->m, &ls);
	sb_printf(&rn->line, "end: lockstep %s=%s: %" PRIu64 " calls (%" PRIu64
		  " accesses) compared, memory and counters",
		  lockstep_ref(rn->m)->ops->name, lockstep_dut(rn->m)->ops->name,
		  ls.calls, ls.accesses);
	if (rc) {
		const struct lockstep_mismatch *mm = lockstep_mismatch(rn->m);

		sb_put(&rn->line, " FAIL (mismatch)", 16);
		if (mm) {
			char rep[2048];

			lockstep_mismatch_format(mm, rep, sizeof(rep));
			sb_printf(&rn->extra, "%s\n", rep);
		}
		rn->r->failed++;
	} else {
		sb_put(&rn->line, " ok", 3);
		rn->r->passed++;
	}
	rn_emit(rn, rc != 0);
}

int scn_run(const struct scn_program *p, const struct scn_run_opts *o,
	    struct scn_result *r, char *err, size_t errlen)
{
	struct runner rn;
	struct mmu_config cfg;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&rn, 0, sizeof(rn));
	rn.p = p;
	rn.o = o;
	rn.r = r;
	rn.out = o->out ? o->out : stdout;
	scn_limits_resolve(o->lim, &rn.lim);
	rn.t0_ms = now_ms();
	if (scn_run_config(p, o, &cfg, err, errlen))
		return -1;
	if (rn_files_open(&rn, err, errlen) || boot(&rn, &cfg, err, errlen))
		goto out;
	rn_exec_block(&rn, &p->top);
	if (!rn.abort && lockstep_is(rn.m))
		lockstep_end(&rn);
	machine_counters(rn.m, &r->mc);
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
	rn_files_close(&rn);
	free(rn.vals);
	free(rn.set);
	free(rn.maps);
	free(rn.rbuf);
	free(rn.line.b);
	free(rn.extra.b);
	return rc;
}
