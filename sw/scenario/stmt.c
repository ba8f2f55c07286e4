/* SPDX-License-Identifier: MIT */
/*
 * Statements of the scenario language: the command table (what each
 * statement's arguments are), arguments by signature, expectations, and
 * one line into one statement of the program.
 */
#include "parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_access(enum scn_cmd c)
{
	return c == C_LOAD || c == C_STORE || c == C_FETCH;
}

/* ---- arguments ----------------------------------------------------------------------- */

static enum scn_argk sig_kind(char c)
{
	switch (c) {
	case 'A': return AK_ADDR;
	case 'L': return AK_LEN;
	case 'P': return AK_PROT;
	case 'F': return AK_MAPF;
	case 'D': return AK_FD;
	case 'O': return AK_OFF;
	case 'V': return AK_ADVICE;
	case 'S': return AK_MSF;
	case 'Q': return AK_OFLAGS;
	case 'Z': return AK_SIZE;
	case 'I': return AK_PID;
	case 'C': return AK_COUNT;
	case 'E': return AK_INT;
	case 'N': return AK_NAME;
	case 'B': return AK_BYTES;
	case 'T': return AK_PATTERN;
	case 'M': return AK_CMP;
	case 'K': return AK_IDENT;
	case 'R': return AK_PKEYR;
	case 'G': return AK_MREMAPF;
	case 'U': return AK_MCLF;
	case 'W': return AK_FALLOCF;
	case 'Y': return AK_FILE;
	default: return AK_VALUE;
	}
}

/* A file name: a word of NAMECHARS or a "string" without NUL. */
static int arg_name(struct parser *ps, const struct word *w, struct scn_arg *a)
{
	char b[48];

	if (w->s[0] == '"') {
		struct scn_bytes by;

		if (ps_bytes(ps, w, &by))
			return -1;
		if (!by.n || memchr(by.p, 0, by.n)) {
			ps_diag(ps, w->col, "a file name must be non-empty and hold no NUL");
			return -1;
		}
		a->str = ps_strndup(ps->p, (const char *)by.p, by.n);
	} else {
		for (size_t i = 0; i < w->n; i++) {
			int c = (unsigned char)w->s[i];

			if (!ps_ident_char(c) && !strchr("./-+,:@%=~", c)) {
				ps_diag(ps, w->col + (unsigned)i,
					"unexpected %s in a file name (quote names with other characters)",
					ps_tok(w->s + i, 1, b, sizeof(b)));
				return -1;
			}
		}
		a->str = ps_strndup(ps->p, w->s, w->n);
	}
	if (!a->str) {
		ps->nomem = true;
		return -1;
	}
	return 0;
}

static int arg_ident(struct parser *ps, const struct word *w, struct scn_arg *a)
{
	char b[48];

	for (size_t i = 0; i < w->n; i++)
		if (!ps_ident_char((unsigned char)w->s[i]) ||
		    (i == 0 && !ps_ident_start((unsigned char)w->s[0]))) {
			ps_diag(ps, w->col, "expected %s, got %s", ps_kind_desc(AK_IDENT),
				ps_tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
	for (size_t i = 0; i < scn_ncounters; i++)
		if (strlen(scn_counter_names[i]) == w->n &&
		    !memcmp(scn_counter_names[i], w->s, w->n))
			break;
		else if (i + 1 == scn_ncounters) {
			const char *sug = scn_suggest_word(w->s, w->n, scn_counter_names,
							   scn_ncounters);

			ps_diag(ps, w->col, "unknown counter %s (%s%s%s)",
				ps_tok(w->s, w->n, b, sizeof(b)),
				sug ? "did you mean " : "one of the names `counters` prints",
				sug ? sug : "", sug ? "?" : "");
			return -1;
		}
	a->str = ps_strndup(ps->p, w->s, w->n);
	if (!a->str)
		ps->nomem = true;
	return a->str ? 0 : -1;
}

/* zero | seq | bytes */
static int arg_pattern(struct parser *ps, const struct word *w, struct scn_arg *a)
{
	char b[48];

	if (ps_weq(w, "zero")) {
		a->pattern = SCN_PAT_ZERO;
		return 0;
	}
	if (ps_weq(w, "seq")) {
		a->pattern = SCN_PAT_SEQ;
		return 0;
	}
	if (w->s[0] != '"' && (w->n < 4 || memcmp(w->s, "hex:", 4))) {
		ps_diag(ps, w->col, "expected %s, got %s", ps_kind_desc(AK_PATTERN),
			ps_tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	a->pattern = SCN_PAT_BYTES;
	if (ps_bytes(ps, w, &a->bytes))
		return -1;
	if (!a->bytes.n) {
		ps_diag(ps, w->col, "a fill pattern needs at least one byte");
		return -1;
	}
	return 0;
}

static int arg_cmp(struct parser *ps, const struct word *w, struct scn_arg *a)
{
	char b[48];

	for (int i = 0; i < 6; i++)
		if (ps_weq(w, scn_cmp_names[i])) {
			a->cmp = i;
			return 0;
		}
	ps_diag(ps, w->col, "expected %s, got %s", ps_kind_desc(AK_CMP),
		ps_tok(w->s, w->n, b, sizeof(b)));
	return -1;
}

int ps_arg(struct parser *ps, const struct word *w, enum scn_argk k,
	   struct scn_arg *a)
{
	char b[48];
	uint64_t v;

	a->kind = k;
	a->col = w->col;
	ps->col = w->col;
	switch (k) {
	case AK_NAME: return arg_name(ps, w, a);
	case AK_IDENT: return arg_ident(ps, w, a);
	case AK_BYTES: return ps_bytes(ps, w, &a->bytes);
	case AK_PATTERN: return arg_pattern(ps, w, a);
	case AK_CMP: return arg_cmp(ps, w, a);
	case AK_FILE:
		/* a "string" or a word that is no number, variable or symbol */
		if (w->s[0] == '"' || ((isalpha((unsigned char)w->s[0]) || w->s[0] == '.' ||
					w->s[0] == '_') && !scn_sym_find(w->s, w->n) &&
				       !memchr(w->s, '(', w->n)))
			return arg_name(ps, w, a);
		break;
	default: break;
	}
	a->e = ps_expr(ps, w->s, w->n, w->col, k);
	if (!a->e)
		return -1;
	if (k == AK_SIZE && ps_expr_const(a->e, &v) && v != 1 && v != 2 &&
	    v != 4 && v != 8) {
		ps_diag(ps, w->col, "expected %s, got %s", ps_kind_desc(k),
			ps_tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	return 0;
}

/* Arguments of a command from words [first, end) by its signature. */
static int parse_args(struct parser *ps, struct scn_stmt *st,
		      const struct scn_cmd_def *def, unsigned first,
		      unsigned end, unsigned name_col)
{
	const char *sig = def->sig;
	unsigned wi = first;
	bool in_opt = false;
	char b[48];

	(void)name_col;
	for (const char *c = sig; *c; c++) {
		if (*c == '[') {
			in_opt = true;
			if (wi == end)
				break;  /* optional group absent */
			continue;
		}
		if (*c == ']')
			continue;
		if (wi == end) {
			unsigned col = ps->w[wi - 1].col + (unsigned)ps->w[wi - 1].n;

			ps_diag(ps, col, "expected %s, %s, %s; usage: %s",
				ps_kind_name(sig_kind(*c)), ps_kind_desc(sig_kind(*c)),
				in_opt ? "to complete the optional group" : "at the end of the line",
				def->usage);
			return -1;
		}
		if (st->nargs == st->capargs)
			return -1;  /* cannot be: no more arguments than words */
		if (ps_arg(ps, &ps->w[wi], sig_kind(*c), &st->args[st->nargs]))
			return -1;
		st->nargs++;
		wi++;
	}
	if (wi < end) {
		ps_diag(ps, ps->w[wi].col, "unexpected %s: too many arguments; usage: %s",
			ps_tok(ps->w[wi].s, ps->w[wi].n, b, sizeof(b)), def->usage);
		return -1;
	}
	return 0;
}

/* ---- expectations --------------------------------------------------------------------- */

static const char *const errno_words[] = {
	"EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC",
	"EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "EBUSY",
	"EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE",
	"EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
	"EMLINK", "EPIPE", "EDOM", "ERANGE", "ENAMETOOLONG", "ENOSYS", "ELOOP",
	"EOVERFLOW", "EOPNOTSUPP", "ENOTSUP",
};

static bool looks_errno(const struct word *w, size_t skip)
{
	if (w->n < skip + 2 || w->s[skip] != 'E')
		return false;
	for (size_t i = skip + 1; i < w->n; i++)
		if (!((w->s[i] >= 'A' && w->s[i] <= 'Z') ||
		      (w->s[i] >= '0' && w->s[i] <= '9')))
			return false;
	return true;
}

/* expect SIGSEGV | SIGBUS | SIGKILL: only accesses raise signals. */
static int expect_signal(struct parser *ps, struct scn_stmt *st,
			 const struct word *w)
{
	const struct scn_cmd_def *def = scn_cmd_def(st->cmd);
	char b[48], name[48];

	snprintf(name, sizeof(name), "%.*s", (int)(w->n < 40 ? w->n : 40), w->s);
	st->expect.code = scn_signal_value(name);
	if (!st->expect.code) {
		ps_diag(ps, w->col, "unknown signal %s (SIGSEGV, SIGBUS or SIGKILL)",
			ps_tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	if (!is_access(st->cmd)) {
		ps_diag(ps, w->col, "only load, store and fetch raise signals; '%s' returns a value or an errno",
			def->name[0] ? def->name : "$VAR =");
		return -1;
	}
	st->expect.kind = X_SIGNAL;
	return 0;
}

/* expect EINVAL or -EINVAL: calls only. */
static int expect_errno(struct parser *ps, struct scn_stmt *st,
			const struct word *w, size_t skip)
{
	char b[48], name[48];

	snprintf(name, sizeof(name), "%.*s", (int)(w->n - skip < 40 ? w->n - skip : 40),
		 w->s + skip);
	st->expect.code = scn_errno_value(name);
	if (!st->expect.code) {
		const char *sug = scn_suggest_word(name, strlen(name), errno_words,
						   sizeof(errno_words) / sizeof(errno_words[0]));

		ps_diag(ps, w->col, "unknown errno %s%s%s%s", ps_tok(w->s, w->n, b, sizeof(b)),
			sug ? " (did you mean " : "", sug ? sug : "", sug ? "?)" : "");
		return -1;
	}
	if (is_access(st->cmd)) {
		ps_diag(ps, w->col, "an access gives a value or a signal, not an errno");
		return -1;
	}
	st->expect.kind = X_ERRNO;
	return 0;
}

/* expect "bytes", or expect VALUE, as the statement's value allows. */
static int expect_value(struct parser *ps, struct scn_stmt *st,
			const struct word *w)
{
	const struct scn_cmd_def *def = scn_cmd_def(st->cmd);
	struct scn_expect *x = &st->expect;
	char b[48];

	if (w->s[0] == '"' || (w->n >= 4 && !memcmp(w->s, "hex:", 4))) {
		if (def->rkind != R_BYTES && def->rkind != R_HEXBYTES) {
			ps_diag(ps, w->col, "'%s' gives a number, not bytes", def->name);
			return -1;
		}
		x->kind = X_BYTES;
		return ps_bytes(ps, w, &x->bytes);
	}
	if (def->rkind == R_BYTES || def->rkind == R_HEXBYTES) {
		ps_diag(ps, w->col, "expected bytes (\"text\" or hex:..), ok or an errno after expect, got %s",
			ps_tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	if (def->rkind == R_NONE) {
		ps_diag(ps, w->col, "'%s' has no value to compare: expect ok%s",
			def->name, is_access(st->cmd) ? ", SIGSEGV, SIGBUS or OOM" : " or an errno");
		return -1;
	}
	x->kind = X_VALUE;
	x->e = ps_expr(ps, w->s, w->n, w->col, AK_VALUE);
	return x->e ? 0 : -1;
}

static int parse_expect(struct parser *ps, struct scn_stmt *st,
			const struct word *kw, unsigned first, unsigned end)
{
	const struct scn_cmd_def *def = scn_cmd_def(st->cmd);
	const struct word *w;
	size_t skip;
	char b[48];

	if (!scn_takes_expect(st->cmd)) {
		ps_diag(ps, kw->col, "'%s' takes no expect: %s", def->name,
			st->cmd == C_MAPS ? "give the expected lines in a { } block"
					  : "it checks or prints by itself");
		return -1;
	}
	if (first == end) {
		ps_diag(ps, kw->col + (unsigned)kw->n,
			"expected what to expect after 'expect' (ok, an errno such as EINVAL, a signal, OOM or a value)");
		return -1;
	}
	if (end - first > 1) {
		ps_diag(ps, ps->w[first + 1].col,
			"unexpected %s after the expectation (one word; use parentheses for spaces)",
			ps_tok(ps->w[first + 1].s, ps->w[first + 1].n, b, sizeof(b)));
		return -1;
	}
	w = &ps->w[first];
	st->expect.col = w->col;
	if (ps_weq(w, "ok")) {
		st->expect.kind = X_OK;
		return 0;
	}
	if (ps_weq(w, "OOM")) {
		st->expect.kind = X_OOM;
		return 0;
	}
	if (w->n >= 3 && !memcmp(w->s, "SIG", 3))
		return expect_signal(ps, st, w);
	skip = (w->n && w->s[0] == '-') ? 1 : 0;
	if (looks_errno(w, skip))
		return expect_errno(ps, st, w, skip);
	return expect_value(ps, st, w);
}

/* ---- statements ----------------------------------------------------------------------- */

static struct scn_block *cur_block(struct parser *ps)
{
	return ps->depth ? &ps->open[ps->depth - 1]->body : &ps->p->top;
}

static int block_add(struct parser *ps, struct scn_block *b, struct scn_stmt *s)
{
	if (b->n == b->cap) {
		unsigned cap = b->cap ? b->cap * 2 : 16;
		struct scn_stmt **v = ps_alloc(ps->p, cap * sizeof(*v));

		if (!v) {
			ps->nomem = true;
			return -1;
		}
		if (b->n)
			memcpy(v, b->v, b->n * sizeof(*v));
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = s;
	ps->p->nstmts++;
	return 0;
}

static struct scn_stmt *new_stmt(struct parser *ps, enum scn_cmd c)
{
	struct scn_stmt *s = ps_alloc(ps->p, sizeof(*s));
	unsigned cap = ps->nw < SCN_MAX_ARGS ? ps->nw : SCN_MAX_ARGS;

	if (s)
		s->args = ps_alloc(ps->p, cap * sizeof(*s->args));
	if (!s || !s->args) {
		ps->nomem = true;
		return NULL;
	}
	s->capargs = cap;
	s->cmd = c;
	s->line = ps->lineno;
	s->col = ps->stmt_col;
	s->var = -1;
	s->loopvar = -1;
	return s;
}

static const char *const cmd_words[] = {
	"spawn", "switch", "fork", "execve", "exit", "mmap", "munmap",
	"mprotect", "brk", "madvise", "msync", "pkey_alloc", "pkey_free",
	"pkey_mprotect", "pkey_set", "pkey_get", "file", "open", "close", "write",
	"read", "truncate", "fsync", "sync", "check", "load", "store", "fetch",
	"maps", "page", "counters", "counter", "ksm", "reclaim", "print", "repeat",
	"tlb", "walk",
	"option",
};

static const struct scn_cmd_def *find_cmd(struct parser *ps, unsigned *nwords)
{
	const struct word *w0 = &ps->w[0];
	bool name_known = false;
	char b[48];

	for (size_t i = 0; i < scn_ncmds; i++) {
		const struct scn_cmd_def *d = &scn_cmds[i];

		if (!d->name[0] || !ps_weq(w0, d->name))
			continue;
		name_known = true;
		if (d->sub && ps->nw > 1 && ps_weq(&ps->w[1], d->sub)) {
			*nwords = 2;
			return d;
		}
	}
	for (size_t i = 0; i < scn_ncmds; i++) {
		const struct scn_cmd_def *d = &scn_cmds[i];

		if (!d->name[0] || d->sub || !ps_weq(w0, d->name))
			continue;
		/* bare "check" takes nothing but an expect */
		if (d->cmd == C_CHECK && ps->nw > 1 && !ps_weq(&ps->w[1], "expect"))
			break;
		*nwords = 1;
		return d;
	}
	if (name_known) {
		/* "file" or "check" with a bad second word */
		if (ps_weq(w0, "file"))
			ps_diag(ps, ps->nw > 1 ? ps->w[1].col : w0->col + 5,
				"expected 'create' after 'file', got %s",
				ps->nw > 1 ? ps_tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)) : "end of line");
		else
			ps_diag(ps, ps->w[1].col,
				"expected file, size, counter, page, value or nothing after 'check', got %s",
				ps_tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)));
		return NULL;
	}
	const char *sug = scn_suggest_word(w0->s, w0->n, cmd_words,
					   sizeof(cmd_words) / sizeof(cmd_words[0]));

	ps_diag(ps, w0->col, "unknown statement %s%s%s%s; expected a statement such as mmap, load, store, fork, maps or repeat",
		ps_tok(w0->s, w0->n, b, sizeof(b)), sug ? " (did you mean " : "",
		sug ? sug : "", sug ? "?)" : "");
	return NULL;
}

static void set_assigned(struct parser *ps, int var)
{
	if (var >= 0)
		ps->assigned[var] = true;
}

/* A line "}": the end of a maps block or of a repeat body.  Inside a maps
 * block every other line is an expected line. */
static int line_block(struct parser *ps)
{
	char b[48];

	if (!ps_weq(&ps->w[0], "}"))
		return ps_maps_line(ps, ps->maps_open);
	if (!ps->maps_open && !ps->depth) {
		ps_diag(ps, ps->w[0].col, "'}' without an open 'repeat ... {' or 'fork {'");
		return -1;
	}
	if (ps->nw > 1) {
		ps_diag(ps, ps->w[1].col, "unexpected %s after '}'",
			ps_tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)));
		return -1;
	}
	if (ps->maps_open)
		ps->maps_open = NULL;
	else
		ps->depth--;
	return 0;
}

/* "$VAR =": the variable's index into *var and the first word after '='
 * into *first; 0, or -1 after reporting. */
static int line_lhs(struct parser *ps, int *var, unsigned *first)
{
	char b[48];

	if (ps->nw < 2 || !ps_weq(&ps->w[1], "=")) {
		ps_diag(ps, ps->nw < 2 ? ps->w[0].col + (unsigned)ps->w[0].n : ps->w[1].col,
			"expected '=' after %s (with spaces around it)",
			ps_tok(ps->w[0].s, ps->w[0].n, b, sizeof(b)));
		return -1;
	}
	*var = ps_var_word(ps, &ps->w[0]);
	if (*var < 0)
		return -1;
	ps->pending_var = *var;  /* set even if the line is bad: no cascade */
	if (ps->nw < 3) {
		ps_diag(ps, ps->w[1].col + 2, "expected a value or a call after '='");
		return -1;
	}
	*first = 2;
	return 0;
}

/* $VAR = EXPR: the expression takes the rest of the line. */
static int line_let(struct parser *ps, int var, unsigned first)
{
	const char *from = ps->w[first].s;
	const char *to = ps->w[ps->nw - 1].s + ps->w[ps->nw - 1].n;
	struct scn_stmt *st = new_stmt(ps, C_LET);

	if (!st)
		return -1;
	st->var = var;
	st->nargs = 1;
	st->args[0].kind = AK_VALUE;
	st->args[0].col = ps->w[first].col;
	st->args[0].e = ps_expr(ps, from, (size_t)(to - from), ps->w[first].col,
				AK_VALUE);
	if (!st->args[0].e)
		return -1;
	set_assigned(ps, var);
	ps->seen_stmt = true;
	return block_add(ps, cur_block(ps), st);
}

/* repeat COUNT [$VAR] { */
static int line_repeat(struct parser *ps, struct scn_stmt *st,
		       const struct scn_cmd_def *def, unsigned nwords)
{
	unsigned last = ps->nw - 1;

	(void)def, (void)nwords;
	if (!ps_weq(&ps->w[last], "{") || ps->nw < 3 || ps->nw > 4) {
		ps_diag(ps, ps->nw < 3 || ps_weq(&ps->w[last], "{")
			? ps->w[last].col + (unsigned)ps->w[last].n
			: ps->w[last].col,
			"expected 'repeat COUNT [$VAR] {' with the '{' at the end of the line");
		return -1;
	}
	if (ps_arg(ps, &ps->w[1], AK_COUNT, &st->args[0]))
		return -1;
	st->nargs = 1;
	if (ps->nw == 4) {
		st->loopvar = ps_var_word(ps, &ps->w[2]);
		if (st->loopvar < 0)
			return -1;
		set_assigned(ps, st->loopvar);
	}
	if (ps->depth == MAX_DEPTH) {
		ps_diag(ps, ps->w[0].col, "repeat nested too deeply (at most %d)", MAX_DEPTH);
		return -1;
	}
	if (block_add(ps, cur_block(ps), st))
		return -1;
	st->has_body = true;
	ps->open[ps->depth++] = st;
	return 0;
}

static int line_call(struct parser *ps, struct scn_stmt *st,
		     const struct scn_cmd_def *def, unsigned nwords);

/* fork, or "fork {" with the child's statements up to "}" (indented by
 * convention): they run in the child, then the parent is current again. */
static int line_fork(struct parser *ps, struct scn_stmt *st,
		     const struct scn_cmd_def *def, unsigned nwords)
{
	if (!ps_weq(&ps->w[ps->nw - 1], "{"))
		return line_call(ps, st, def, nwords);
	if (ps->nw != 2) {
		ps_diag(ps, ps->w[1].col, "expected 'fork {' with nothing between");
		return -1;
	}
	if (ps->depth == MAX_DEPTH) {
		ps_diag(ps, ps->w[0].col, "blocks nested too deeply (at most %d)", MAX_DEPTH);
		return -1;
	}
	set_assigned(ps, st->var);
	if (block_add(ps, cur_block(ps), st))
		return -1;
	st->has_body = true;
	ps->open[ps->depth++] = st;
	return 0;
}

/* print ITEM...: values and "strings" */
static int line_print(struct parser *ps, struct scn_stmt *st,
		      const struct scn_cmd_def *def, unsigned nwords)
{
	(void)def, (void)nwords;
	for (unsigned i = 1; i < ps->nw; i++) {
		struct scn_arg *a;

		if (st->nargs == st->capargs) {
			ps_diag(ps, ps->w[i].col, "print takes at most %d items", SCN_MAX_ARGS);
			return -1;
		}
		a = &st->args[st->nargs++];
		if (ps->w[i].s[0] == '"') {
			a->kind = AK_NAME;
			a->col = ps->w[i].col;
			if (ps_bytes(ps, &ps->w[i], &a->bytes))
				return -1;
		} else if (ps_arg(ps, &ps->w[i], AK_VALUE, a)) {
			return -1;
		}
	}
	return block_add(ps, cur_block(ps), st);
}

/* check page ADDR ATTR... */
static int line_check_page(struct parser *ps, struct scn_stmt *st,
			   const struct scn_cmd_def *def, unsigned nwords)
{
	(void)nwords;
	if (ps->nw < 3) {
		ps_diag(ps, ps->w[1].col + (unsigned)ps->w[1].n,
			"expected ADDR; usage: %s", def->usage);
		return -1;
	}
	if (ps_arg(ps, &ps->w[2], AK_ADDR, &st->args[0]))
		return -1;
	st->nargs = 1;
	if (ps_page_attrs(ps, st, 3))
		return -1;
	return block_add(ps, cur_block(ps), st);
}

/* Every other statement: arguments by the signature, then expect WORD. */
static int line_call(struct parser *ps, struct scn_stmt *st,
		     const struct scn_cmd_def *def, unsigned nwords)
{
	unsigned end = ps->nw, args_end;

	if (def->cmd == C_MAPS && ps_weq(&ps->w[end - 1], "{")) {
		st->maps_block = true;
		end--;
	}
	for (args_end = nwords; args_end < end; args_end++)
		if (ps_weq(&ps->w[args_end], "expect"))
			break;
	if (parse_args(ps, st, def, nwords, args_end, ps->w[0].col))
		return -1;
	if (args_end < end &&
	    parse_expect(ps, st, &ps->w[args_end], args_end + 1, end))
		return -1;
	set_assigned(ps, st->var);
	if (block_add(ps, cur_block(ps), st))
		return -1;
	if (st->maps_block)
		ps->maps_open = st;
	return 0;
}

/* Statements with a syntax of their own; the others go to line_call. */
typedef int (*line_fn)(struct parser *ps, struct scn_stmt *st,
		       const struct scn_cmd_def *def, unsigned nwords);
static const line_fn line_parsers[C_NCMDS] = {
	[C_REPEAT] = line_repeat,
	[C_PRINT] = line_print,
	[C_CHECK_PAGE] = line_check_page,
	[C_FORK] = line_fork,
};

static bool is_cmd_word(const struct word *w)
{
	for (size_t i = 0; i < scn_ncmds; i++)
		if (scn_cmds[i].name[0] && ps_weq(w, scn_cmds[i].name))
			return true;
	return false;
}

int ps_line(struct parser *ps)
{
	const struct scn_cmd_def *def;
	struct scn_stmt *st;
	unsigned first = 0, nwords;
	int var = -1;

	if (ps_split(ps))
		return -1;
	if (!ps->nw)
		return 0;
	ps->col = ps->stmt_col = ps->w[0].col;
	if (ps->maps_open || ps_weq(&ps->w[0], "}"))
		return line_block(ps);
	if (ps->w[0].s[0] == '$' && line_lhs(ps, &var, &first))
		return -1;
	/* a call, or an expression on the right of '=' */
	if (var >= 0 && !is_cmd_word(&ps->w[first]))
		return line_let(ps, var, first);
	/* shift the words so the command is w[0] for find_cmd */
	if (first) {
		memmove(ps->w, ps->w + first, (ps->nw - first) * sizeof(ps->w[0]));
		ps->nw -= first;
	}
	def = find_cmd(ps, &nwords);
	if (!def)
		return -1;
	if (var >= 0 && !def->assignable) {
		ps_diag(ps, ps->w[0].col, "'%s' gives no value to assign", def->name);
		return -1;
	}
	if (def->cmd == C_OPTION)
		return ps_option(ps);
	st = new_stmt(ps, def->cmd);
	if (!st)
		return -1;
	st->var = var;
	ps->seen_stmt = true;
	return (line_parsers[def->cmd] ? line_parsers[def->cmd] : line_call)(ps, st, def,
									      nwords);
}
