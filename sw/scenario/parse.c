/* SPDX-License-Identifier: MIT */
/*
 * The scenario parser.  It follows the grammar of docs/scenario-language.md:
 * a line is split into words (whitespace separates them; a "string" or a
 * parenthesised expression is one word; # starts a comment), the first
 * word names the statement, the command table (scn_cmds) says what the
 * arguments are, an optional `expect WORD` ends the line.  Every error is
 * reported with origin:line:col, the offending token and what was expected;
 * parsing goes on at the next line so one run reports several errors.
 * Any byte sequence is accepted as input; nothing here crashes or exits.
 */
#include "scn_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the command table ------------------------------------------------------- */

/* Signature letters: A addr, L len, P prot, F map flags, D fd, O offset,
 * V advice, S msync flags, Q open flags, Z access size, X value, I pid,
 * C count, E integer, N name, B bytes, T pattern, M comparison, K ident.
 * "[..]" is an all-or-none optional group at the end. */
const struct scn_cmd_def scn_cmds[] = {
	{ "spawn", NULL, C_SPAWN, "", "spawn", R_INT, true },
	{ "switch", NULL, C_SWITCH, "I", "switch PID", R_NONE, false },
	{ "fork", NULL, C_FORK, "", "fork", R_INT, true },
	{ "execve", NULL, C_EXECVE, "N", "execve PATH", R_INT, true },
	{ "exit", NULL, C_EXIT, "[I]", "exit [PID]", R_NONE, false },
	{ "mmap", NULL, C_MMAP, "ALPF[DO]", "mmap ADDR LEN PROT FLAGS [FD OFF]",
	  R_ADDR, true },
	{ "munmap", NULL, C_MUNMAP, "AL", "munmap ADDR LEN", R_INT, true },
	{ "mprotect", NULL, C_MPROTECT, "ALP", "mprotect ADDR LEN PROT", R_INT,
	  true },
	{ "brk", NULL, C_BRK, "A", "brk ADDR", R_ADDR, true },
	{ "madvise", NULL, C_MADVISE, "ALV", "madvise ADDR LEN ADVICE", R_INT,
	  true },
	{ "msync", NULL, C_MSYNC, "ALS", "msync ADDR LEN FLAGS", R_INT, true },
	{ "file", "create", C_FILE_CREATE, "NL[T]",
	  "file create NAME SIZE [PATTERN]", R_NONE, false },
	{ "open", NULL, C_OPEN, "N[Q]", "open NAME [FLAGS]", R_INT, true },
	{ "close", NULL, C_CLOSE, "D", "close FD", R_INT, true },
	{ "write", NULL, C_WRITE, "DOB", "write FD OFF BYTES", R_INT, true },
	{ "read", NULL, C_READ, "DOL", "read FD OFF LEN", R_BYTES, false },
	{ "truncate", NULL, C_TRUNCATE, "DL", "truncate FD SIZE", R_INT, true },
	{ "fsync", NULL, C_FSYNC, "D", "fsync FD", R_INT, true },
	{ "sync", NULL, C_SYNC, "", "sync", R_INT, true },
	{ "check", "file", C_CHECK_FILE, "NOB", "check file NAME OFF BYTES",
	  R_NONE, false },
	{ "check", "size", C_CHECK_SIZE, "NL", "check size NAME SIZE", R_NONE,
	  false },
	{ "check", "counter", C_CHECK_COUNTER, "KMC",
	  "check counter NAME OP VALUE", R_NONE, false },
	{ "check", "page", C_CHECK_PAGE, "A", "check page ADDR ATTR...",
	  R_NONE, false },
	{ "check", "value", C_CHECK_VALUE, "XMX", "check value VALUE OP VALUE",
	  R_NONE, false },
	{ "check", NULL, C_CHECK, "", "check", R_NONE, false },
	{ "load", NULL, C_LOAD, "ZA", "load SIZE ADDR", R_VALUE, true },
	{ "store", NULL, C_STORE, "ZAX", "store SIZE ADDR VALUE", R_NONE,
	  false },
	{ "fetch", NULL, C_FETCH, "ZA", "fetch SIZE ADDR", R_VALUE, true },
	{ "maps", NULL, C_MAPS, "[I]", "maps [PID] [{ expected lines }]",
	  R_NONE, false },
	{ "page", NULL, C_PAGE, "A", "page ADDR", R_NONE, false },
	{ "counters", NULL, C_COUNTERS, "", "counters", R_NONE, false },
	{ "counter", NULL, C_COUNTER, "K", "counter NAME", R_INT, true },
	{ "ksm", NULL, C_KSM, "", "ksm", R_INT, true },
	{ "reclaim", NULL, C_RECLAIM, "C", "reclaim COUNT", R_INT, true },
	{ "print", NULL, C_PRINT, "", "print VALUE|\"text\"...", R_NONE, false },
	{ "repeat", NULL, C_REPEAT, "C", "repeat COUNT [$VAR] {", R_NONE,
	  false },
	{ "option", NULL, C_OPTION, "", "option NAME VALUE", R_NONE, false },
	{ "", NULL, C_LET, "X", "$VAR = EXPR", R_INT, false },
};
const size_t scn_ncmds = sizeof(scn_cmds) / sizeof(scn_cmds[0]);

const struct scn_cmd_def *scn_cmd_def(enum scn_cmd c)
{
	for (size_t i = 0; i < scn_ncmds; i++)
		if (scn_cmds[i].cmd == c)
			return &scn_cmds[i];
	return &scn_cmds[0];
}

static bool is_access(enum scn_cmd c)
{
	return c == C_LOAD || c == C_STORE || c == C_FETCH;
}

static bool is_check(enum scn_cmd c)
{
	return c == C_CHECK || c == C_CHECK_FILE || c == C_CHECK_SIZE ||
	       c == C_CHECK_COUNTER || c == C_CHECK_PAGE || c == C_CHECK_VALUE;
}

/* ---- arena ---------------------------------------------------------------------- */

struct scn_arena {
	struct scn_arena *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK 32768

static void *arena_alloc(struct scn_program *p, size_t n)
{
	struct scn_arena *a = p->arena;

	n = (n + 15) & ~(size_t)15;
	if (!a || a->used + n > a->cap) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		a = malloc(sizeof(*a) + cap);
		if (!a)
			return NULL;
		a->next = p->arena;
		a->used = 0;
		a->cap = cap;
		p->arena = a;
	}
	void *r = a->data + a->used;

	a->used += n;
	memset(r, 0, n);
	return r;
}

static char *arena_strndup(struct scn_program *p, const char *s, size_t n)
{
	char *r = arena_alloc(p, n + 1);

	if (r) {
		memcpy(r, s, n);
		r[n] = 0;
	}
	return r;
}

/* ---- parser state and diagnostics --------------------------------------------- */

#define MAX_WORDS 48
#define MAX_DEPTH 16
#define MAX_EXPR_DEPTH 64
#define MAX_BYTES (16u << 20)

struct word {
	const char *s;
	size_t n;
	unsigned col;   /* 1-based */
};

struct parser {
	struct scn_program *p;
	struct scn_diags *d;
	const char *origin;
	/* the current line */
	const char *line;
	size_t len;        /* up to the newline, comment included */
	unsigned lineno;
	struct word w[MAX_WORDS];
	unsigned nw;
	size_t code_end;   /* offset where the comment starts (or len) */
	/* open blocks */
	struct scn_stmt *open[MAX_DEPTH];
	unsigned depth;
	struct scn_stmt *maps_open;
	bool seen_stmt;
	int pending_var;
	bool assigned[SCN_MAX_VARS];
	bool nomem;
};

static void diag(struct parser *ps, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "origin:line:col: message" then the line quoted with a caret. */
static void diag(struct parser *ps, unsigned col, const char *fmt, ...)
{
	struct scn_diags *d = ps->d;
	char msg[200], quote[104];
	size_t qn = 0, show;
	va_list ap;

	d->count++;
	if (d->count > SCN_MAX_DIAGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	show = ps->len < 100 ? ps->len : 100;
	for (size_t i = 0; i < show; i++) {
		unsigned char c = (unsigned char)ps->line[i];

		quote[qn++] = c == '\t' ? ' ' : (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	while (qn && quote[qn - 1] == ' ')
		qn--;
	quote[qn] = 0;
	if (col < 1)
		col = 1;
	if (col > 101)
		col = 101;
	snprintf(d->msg[d->count - 1], SCN_DIAG_LEN,
		 "%s:%u:%u: %s\n %5u | %s\n       | %*s^", ps->origin,
		 ps->lineno, col, msg, ps->lineno, quote, (int)(col - 1), "");
}

static void diag_file(struct scn_diags *d, const char *origin, unsigned line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void diag_file(struct scn_diags *d, const char *origin, unsigned line,
		      const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	d->count++;
	if (d->count > SCN_MAX_DIAGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(d->msg[d->count - 1], SCN_DIAG_LEN, "%s:%u: %s",
			 origin, line, msg);
	else
		snprintf(d->msg[d->count - 1], SCN_DIAG_LEN, "%s: %s", origin,
			 msg);
}

/* A token for messages: the word, cut and made printable. */
static const char *tok(const char *s, size_t n, char *buf, size_t len)
{
	size_t k = 0;

	if (n == 0)
		return "end of line";
	buf[k++] = '\'';
	for (size_t i = 0; i < n && k + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 32) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		buf[k++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	buf[k++] = '\'';
	buf[k] = 0;
	return buf;
}

static bool weq(const struct word *w, const char *s)
{
	return strlen(s) == w->n && !memcmp(w->s, s, w->n);
}

/* ---- words ------------------------------------------------------------------------ */

/* Split the line into words; 0, or -1 after reporting. */
static int split(struct parser *ps)
{
	const char *s = ps->line;
	size_t i = 0, n = ps->len;

	ps->nw = 0;
	ps->code_end = n;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t start;
		int depth = 0;
		unsigned open_col = 0;

		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#') {
			ps->code_end = i;
			break;
		}
		start = i;
		while (i < n) {
			c = (unsigned char)s[i];
			if (c == '"') {
				size_t q = i++;

				while (i < n && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < n)
						i++;
					i++;
				}
				if (i >= n) {
					diag(ps, (unsigned)q + 1,
					     "unterminated string: expected a closing '\"'");
					return -1;
				}
				i++;
				continue;
			}
			if (c == '#' && depth == 0)
				break;
			if ((c == ' ' || c == '\t' || c == '\r') && depth == 0)
				break;
			if (c < 0x20 && c != '\t' && c != '\r') {
				diag(ps, (unsigned)i + 1,
				     "unexpected control byte 0x%02x", c);
				return -1;
			}
			if (c >= 0x7f) {
				diag(ps, (unsigned)i + 1,
				     "unexpected byte 0x%02x (only ASCII outside strings and comments)",
				     c);
				return -1;
			}
			if (c == '(') {
				if (!depth)
					open_col = (unsigned)i + 1;
				depth++;
			} else if (c == ')') {
				if (!depth) {
					diag(ps, (unsigned)i + 1,
					     "unbalanced ')': no '(' to close");
					return -1;
				}
				depth--;
			}
			i++;
		}
		if (depth) {
			diag(ps, open_col, "unbalanced '(': expected ')' before the end of the line");
			return -1;
		}
		if (ps->nw == MAX_WORDS) {
			diag(ps, (unsigned)start + 1, "too many words on one line (at most %d)",
			     MAX_WORDS);
			return -1;
		}
		ps->w[ps->nw].s = s + start;
		ps->w[ps->nw].n = i - start;
		ps->w[ps->nw].col = (unsigned)start + 1;
		ps->nw++;
	}
	return 0;
}

/* ---- variables ------------------------------------------------------------------- */

static int var_index(struct parser *ps, const char *s, size_t n, unsigned col)
{
	struct scn_program *p = ps->p;

	for (unsigned i = 0; i < p->nvars; i++)
		if (strlen(p->vars[i]) == n && !memcmp(p->vars[i], s, n))
			return (int)i;
	if (p->nvars == SCN_MAX_VARS) {
		diag(ps, col, "too many variables (at most %d)", SCN_MAX_VARS);
		return -1;
	}
	p->vars[p->nvars] = arena_strndup(p, s, n);
	if (!p->vars[p->nvars]) {
		ps->nomem = true;
		return -1;
	}
	return (int)p->nvars++;
}

static bool ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* A whole word "$name"; returns the index or -1 (reported). */
static int parse_var_word(struct parser *ps, const struct word *w)
{
	char b[48];

	if (w->n < 2 || w->s[0] != '$' || !ident_start((unsigned char)w->s[1])) {
		diag(ps, w->col, "expected a variable ($name), got %s",
		     tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	for (size_t i = 2; i < w->n; i++)
		if (!ident_char((unsigned char)w->s[i])) {
			diag(ps, w->col + (unsigned)i,
			     "bad character in variable name %s (letters, digits and _ only)",
			     tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
	return var_index(ps, w->s + 1, w->n - 1, w->col);
}

/* ---- expressions ----------------------------------------------------------------- */

struct xp {
	struct parser *ps;
	const char *s;
	size_t n, i;
	unsigned col0;       /* column of s[0] */
	enum scn_argk kind;
	bool fail;
	unsigned depth;
};

static const char *kind_desc(enum scn_argk k)
{
	switch (k) {
	case AK_ADDR: return "an address";
	case AK_LEN: return "a length";
	case AK_PROT: return "protection flags (PROT_READ|PROT_WRITE|PROT_EXEC or PROT_NONE)";
	case AK_MAPF: return "mmap flags (MAP_PRIVATE|MAP_ANONYMOUS, MAP_SHARED, MAP_FIXED...)";
	case AK_FD: return "a file descriptor";
	case AK_OFF: return "a file offset";
	case AK_ADVICE: return "madvise advice (MADV_DONTNEED, MADV_WILLNEED...)";
	case AK_MSF: return "msync flags (MS_SYNC, MS_ASYNC, MS_INVALIDATE)";
	case AK_OFLAGS: return "open flags (O_RDONLY, O_RDWR, O_WRONLY...)";
	case AK_SIZE: return "an access size (1, 2, 4 or 8)";
	case AK_VALUE: return "a value";
	case AK_PID: return "a process id";
	case AK_COUNT: return "a count";
	case AK_INT: return "an integer";
	case AK_NAME: return "a file name";
	case AK_BYTES: return "bytes (\"text\", \"text\"*N or hex:00ff...)";
	case AK_PATTERN: return "a fill pattern (zero, seq, or bytes such as \"ab\" or hex:ff)";
	case AK_CMP: return "a comparison (== != < <= > >=)";
	case AK_IDENT: return "a counter name";
	}
	return "an argument";
}

static const char *kind_name(enum scn_argk k)
{
	static const char *const n[] = {
		[AK_ADDR] = "ADDR", [AK_LEN] = "LEN", [AK_PROT] = "PROT",
		[AK_MAPF] = "FLAGS", [AK_FD] = "FD", [AK_OFF] = "OFF",
		[AK_ADVICE] = "ADVICE", [AK_MSF] = "FLAGS", [AK_OFLAGS] = "FLAGS",
		[AK_SIZE] = "SIZE", [AK_VALUE] = "VALUE", [AK_PID] = "PID",
		[AK_COUNT] = "COUNT", [AK_INT] = "STATUS", [AK_NAME] = "NAME",
		[AK_BYTES] = "BYTES", [AK_PATTERN] = "PATTERN", [AK_CMP] = "OP",
		[AK_IDENT] = "NAME",
	};
	return n[k];
}

static bool class_ok(enum scn_argk k, enum scn_symclass c)
{
	switch (k) {
	case AK_PROT: return c == SYM_PROT;
	case AK_MAPF: return c == SYM_MAP;
	case AK_ADVICE: return c == SYM_MADV;
	case AK_MSF: return c == SYM_MS;
	case AK_OFLAGS: return c == SYM_OPEN;
	case AK_VALUE: return true;
	default: return c == SYM_PAGE;
	}
}

static void xerr(struct xp *x, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void xerr(struct xp *x, size_t at, const char *fmt, ...)
{
	char m[200];
	va_list ap;

	if (x->fail)
		return;
	x->fail = true;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	diag(x->ps, x->col0 + (unsigned)at, "%s", m);
}

static struct scn_expr *node(struct xp *x, enum scn_eop op)
{
	struct scn_expr *e = arena_alloc(x->ps->p, sizeof(*e));

	if (!e) {
		x->ps->nomem = true;
		x->fail = true;
		return NULL;
	}
	e->op = op;
	return e;
}

static void skip_ws(struct xp *x)
{
	while (x->i < x->n && (x->s[x->i] == ' ' || x->s[x->i] == '\t' ||
			       x->s[x->i] == '\r'))
		x->i++;
}

static struct scn_expr *x_or(struct xp *x);

static int digit_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static struct scn_expr *x_number(struct xp *x)
{
	size_t start = x->i;
	uint64_t v = 0, base = 10, mul = 1;
	bool any = false;
	char b[48];

	if (x->s[x->i] == '0' && x->i + 1 < x->n &&
	    (x->s[x->i + 1] == 'x' || x->s[x->i + 1] == 'X')) {
		base = 16;
		x->i += 2;
	} else if (x->s[x->i] == '0' && x->i + 1 < x->n &&
		   (x->s[x->i + 1] == 'b' || x->s[x->i + 1] == 'B')) {
		base = 2;
		x->i += 2;
	}
	while (x->i < x->n) {
		int c = (unsigned char)x->s[x->i], d;

		if (c == '_' && any) {  /* 0x7fff_f000 */
			x->i++;
			continue;
		}
		d = digit_val(c);
		if (d >= (int)base)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / base) {
			xerr(x, start, "number %s does not fit in 64 bits",
			     tok(x->s + start, x->n - start, b, sizeof(b)));
			return NULL;
		}
		v = v * base + (uint64_t)d;
		any = true;
		x->i++;
	}
	if (!any) {
		xerr(x, start, "bad number %s: digits expected after the prefix",
		     tok(x->s + start, x->n - start, b, sizeof(b)));
		return NULL;
	}
	if (x->i < x->n) {
		switch (x->s[x->i]) {
		case 'K': mul = 1ull << 10; break;
		case 'M': mul = 1ull << 20; break;
		case 'G': mul = 1ull << 30; break;
		case 'T': mul = 1ull << 40; break;
		default: break;
		}
		if (mul > 1)
			x->i++;
	}
	if (x->i < x->n && ident_char((unsigned char)x->s[x->i])) {
		size_t e = x->i;

		while (e < x->n && ident_char((unsigned char)x->s[e]))
			e++;
		xerr(x, start, "bad number %s (decimal, 0x hex or 0b binary, optional K/M/G/T suffix)",
		     tok(x->s + start, e - start, b, sizeof(b)));
		return NULL;
	}
	if (v > UINT64_MAX / mul) {
		xerr(x, start, "number %s does not fit in 64 bits",
		     tok(x->s + start, x->i - start, b, sizeof(b)));
		return NULL;
	}
	struct scn_expr *e = node(x, E_NUM);

	if (e)
		e->num = v * mul;
	return e;
}

static struct scn_expr *x_primary(struct xp *x)
{
	char b[48];
	int c;

	skip_ws(x);
	if (x->i >= x->n) {
		xerr(x, x->i, "expected %s, got end of %s", kind_desc(x->kind),
		     x->n ? "expression" : "line");
		return NULL;
	}
	c = (unsigned char)x->s[x->i];
	if (c >= '0' && c <= '9')
		return x_number(x);
	if (c == '$') {
		size_t start = x->i++;
		struct scn_expr *e;
		int idx;

		if (x->i >= x->n || !ident_start((unsigned char)x->s[x->i])) {
			xerr(x, start, "expected a variable name after '$'");
			return NULL;
		}
		while (x->i < x->n && ident_char((unsigned char)x->s[x->i]))
			x->i++;
		idx = var_index(x->ps, x->s + start + 1, x->i - start - 1,
				x->col0 + (unsigned)start);
		if (idx < 0) {
			x->fail = true;
			return NULL;
		}
		if (!x->ps->assigned[idx]) {
			xerr(x, start, "variable %s is used before any line sets it",
			     tok(x->s + start, x->i - start, b, sizeof(b)));
			return NULL;
		}
		e = node(x, E_VAR);
		if (e)
			e->var = (unsigned)idx;
		return e;
	}
	if (ident_start(c)) {
		size_t start = x->i;
		const struct scn_sym *sym;
		struct scn_expr *e;

		while (x->i < x->n && ident_char((unsigned char)x->s[x->i]))
			x->i++;
		sym = scn_sym_find(x->s + start, x->i - start);
		if (!sym) {
			const char *sug = scn_sym_suggest(x->s + start, x->i - start);

			tok(x->s + start, x->i - start, b, sizeof(b));
			if (sug)
				xerr(x, start, "unknown symbol %s (did you mean %s?); expected %s",
				     b, sug, kind_desc(x->kind));
			else
				xerr(x, start, "unknown symbol %s; expected %s", b,
				     kind_desc(x->kind));
			return NULL;
		}
		if (!class_ok(x->kind, sym->cls)) {
			xerr(x, start, "expected %s, got %s", kind_desc(x->kind),
			     sym->name);
			return NULL;
		}
		if (sym->cls == SYM_PAGE)
			return node(x, E_PAGE);
		e = node(x, E_NUM);
		if (e)
			e->num = sym->value;
		return e;
	}
	if (c == '(') {
		size_t open = x->i++;
		struct scn_expr *e;

		if (++x->depth > MAX_EXPR_DEPTH) {
			xerr(x, open, "expression nested too deeply (at most %d levels)",
			     MAX_EXPR_DEPTH);
			return NULL;
		}
		e = x_or(x);
		x->depth--;
		if (!e)
			return NULL;
		skip_ws(x);
		if (x->i >= x->n || x->s[x->i] != ')') {
			xerr(x, x->i, "expected ')' to close the '(' at column %u",
			     x->col0 + (unsigned)open);
			return NULL;
		}
		x->i++;
		return e;
	}
	if (c == '-' || c == '~') {
		struct scn_expr *e, *a;

		x->i++;
		if (++x->depth > MAX_EXPR_DEPTH) {
			xerr(x, x->i - 1, "expression nested too deeply (at most %d levels)",
			     MAX_EXPR_DEPTH);
			return NULL;
		}
		a = x_primary(x);
		x->depth--;
		if (!a)
			return NULL;
		e = node(x, c == '-' ? E_NEG : E_NOT);
		if (e)
			e->a = a;
		return e;
	}
	if (c == '"') {
		xerr(x, x->i, "expected %s, got a string", kind_desc(x->kind));
		return NULL;
	}
	{
		size_t e = x->i;

		while (e < x->n && x->s[e] != ' ')
			e++;
		xerr(x, x->i, "expected %s, got %s", kind_desc(x->kind),
		     tok(x->s + x->i, e - x->i, b, sizeof(b)));
	}
	return NULL;
}

/* Binary levels, lowest first: | ^ & (<< >>) (+ -) (* / %). */
static int binop(struct xp *x, int level, enum scn_eop *op, size_t *len)
{
	const char *s = x->s + x->i;
	size_t left = x->n - x->i;

	if (!left)
		return 0;
	switch (level) {
	case 0: if (s[0] == '|') { *op = E_OR; *len = 1; return 1; } break;
	case 1: if (s[0] == '^') { *op = E_XOR; *len = 1; return 1; } break;
	case 2: if (s[0] == '&') { *op = E_AND; *len = 1; return 1; } break;
	case 3:
		if (left >= 2 && s[0] == '<' && s[1] == '<') { *op = E_SHL; *len = 2; return 1; }
		if (left >= 2 && s[0] == '>' && s[1] == '>') { *op = E_SHR; *len = 2; return 1; }
		break;
	case 4:
		if (s[0] == '+') { *op = E_ADD; *len = 1; return 1; }
		if (s[0] == '-') { *op = E_SUB; *len = 1; return 1; }
		break;
	case 5:
		if (s[0] == '*') { *op = E_MUL; *len = 1; return 1; }
		if (s[0] == '/') { *op = E_DIV; *len = 1; return 1; }
		if (s[0] == '%') { *op = E_MOD; *len = 1; return 1; }
		break;
	}
	return 0;
}

static struct scn_expr *x_level(struct xp *x, int level)
{
	struct scn_expr *l;

	if (level == 6)
		return x_primary(x);
	l = x_level(x, level + 1);
	while (l) {
		enum scn_eop op;
		size_t len;
		struct scn_expr *r, *e;

		skip_ws(x);
		if (!binop(x, level, &op, &len))
			break;
		x->i += len;
		r = x_level(x, level + 1);
		if (!r)
			return NULL;
		e = node(x, op);
		if (!e)
			return NULL;
		e->a = l;
		e->b = r;
		l = e;
	}
	return l;
}

static struct scn_expr *x_or(struct xp *x)
{
	return x_level(x, 0);
}

/* The whole of s[0..n) as an expression of kind k. */
static struct scn_expr *parse_expr(struct parser *ps, const char *s, size_t n,
				   unsigned col, enum scn_argk k)
{
	struct xp x = { .ps = ps, .s = s, .n = n, .col0 = col, .kind = k };
	struct scn_expr *e = x_or(&x);
	char b[48];

	if (!e || x.fail)
		return NULL;
	skip_ws(&x);
	if (x.i < x.n) {
		xerr(&x, x.i, "unexpected %s in %s (an operator or the end of the word was expected)",
		     tok(s + x.i, n - x.i, b, sizeof(b)), kind_desc(k));
		return NULL;
	}
	return e;
}

static bool expr_const(const struct scn_expr *e, uint64_t *v)
{
	if (e->op != E_NUM)
		return false;
	*v = e->num;
	return true;
}

/* ---- bytes ------------------------------------------------------------------------- */

static int hexval(int c)
{
	int d = digit_val(c);

	return d < 16 ? d : -1;
}

/* "text"[*N] or hex:0011..; returns 0 or -1 (reported). */
static int parse_bytes(struct parser *ps, const struct word *w,
		       struct scn_bytes *out)
{
	const char *s = w->s;
	size_t n = w->n, i;
	unsigned char *buf;
	size_t bn = 0;
	uint64_t rep = 1;
	char b[48];

	if (n >= 4 && !memcmp(s, "hex:", 4)) {
		size_t digits = 0;

		for (i = 4; i < n; i++) {
			if (s[i] == '_')
				continue;
			if (hexval((unsigned char)s[i]) < 0) {
				diag(ps, w->col + (unsigned)i,
				     "bad hex digit %s in %s", tok(s + i, 1, b, sizeof(b)),
				     kind_desc(AK_BYTES));
				return -1;
			}
			digits++;
		}
		if (digits % 2) {
			diag(ps, w->col, "odd number of hex digits in %s: two per byte",
			     tok(s, n, b, sizeof(b)));
			return -1;
		}
		buf = arena_alloc(ps->p, digits / 2 + 1);
		if (!buf) {
			ps->nomem = true;
			return -1;
		}
		int hi = -1;

		for (i = 4; i < n; i++) {
			if (s[i] == '_')
				continue;
			if (hi < 0) {
				hi = hexval((unsigned char)s[i]);
			} else {
				buf[bn++] = (unsigned char)(hi << 4 | hexval((unsigned char)s[i]));
				hi = -1;
			}
		}
		out->p = buf;
		out->n = bn;
		return 0;
	}
	if (!n || s[0] != '"') {
		diag(ps, w->col, "expected %s, got %s", kind_desc(AK_BYTES),
		     tok(s, n, b, sizeof(b)));
		return -1;
	}
	/* find the closing quote (the splitter checked that there is one) */
	size_t close = 1;

	while (close < n && s[close] != '"') {
		if (s[close] == '\\')
			close++;
		close++;
	}
	if (close >= n) {
		diag(ps, w->col, "unterminated string");
		return -1;
	}
	if (close + 1 < n) {
		if (s[close + 1] != '*' || close + 2 >= n) {
			diag(ps, w->col + (unsigned)close + 1,
			     "unexpected %s after the string (only *COUNT may follow)",
			     tok(s + close + 1, n - close - 1, b, sizeof(b)));
			return -1;
		}
		struct scn_expr *e = parse_expr(ps, s + close + 2, n - close - 2,
						w->col + (unsigned)close + 2,
						AK_COUNT);
		if (!e)
			return -1;
		if (!expr_const(e, &rep)) {
			diag(ps, w->col + (unsigned)close + 2,
			     "the repeat count of a string must be a plain number");
			return -1;
		}
	}
	buf = arena_alloc(ps->p, close + 1);
	if (!buf) {
		ps->nomem = true;
		return -1;
	}
	for (i = 1; i < close; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			diag(ps, w->col + (unsigned)i,
			     "control byte 0x%02x in a string: write it as \\x%02x", c, c);
			return -1;
		}
		if (c != '\\') {
			buf[bn++] = c;
			continue;
		}
		c = (unsigned char)s[++i];
		switch (c) {
		case 'n': buf[bn++] = '\n'; break;
		case 't': buf[bn++] = '\t'; break;
		case 'r': buf[bn++] = '\r'; break;
		case '0': buf[bn++] = 0; break;
		case '\\': buf[bn++] = '\\'; break;
		case '"': buf[bn++] = '"'; break;
		case 'x': {
			int h = i + 1 < close ? hexval((unsigned char)s[i + 1]) : -1;
			int l = i + 2 < close ? hexval((unsigned char)s[i + 2]) : -1;

			if (h < 0 || l < 0) {
				diag(ps, w->col + (unsigned)i - 1,
				     "bad escape: \\x needs two hex digits");
				return -1;
			}
			buf[bn++] = (unsigned char)(h << 4 | l);
			i += 2;
			break;
		}
		default:
			diag(ps, w->col + (unsigned)i - 1,
			     "unknown escape %s (\\n \\t \\r \\0 \\\\ \\\" \\xHH)",
			     tok(s + i - 1, 2, b, sizeof(b)));
			return -1;
		}
	}
	if (rep != 1) {
		if (rep == 0 || bn == 0 || rep > MAX_BYTES / bn) {
			diag(ps, w->col, "repeated string is empty or larger than %u bytes",
			     MAX_BYTES);
			return -1;
		}
		unsigned char *big = arena_alloc(ps->p, bn * rep);

		if (!big) {
			ps->nomem = true;
			return -1;
		}
		for (uint64_t k = 0; k < rep; k++)
			memcpy(big + k * bn, buf, bn);
		buf = big;
		bn *= rep;
	}
	out->p = buf;
	out->n = bn;
	return 0;
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
	default: return AK_VALUE;
	}
}

static int parse_arg(struct parser *ps, const struct word *w, enum scn_argk k,
		     struct scn_arg *a)
{
	char b[48];

	a->kind = k;
	a->col = w->col;
	switch (k) {
	case AK_NAME:
		if (w->s[0] == '"') {
			struct scn_bytes by;

			if (parse_bytes(ps, w, &by))
				return -1;
			if (!by.n || memchr(by.p, 0, by.n)) {
				diag(ps, w->col, "a file name must be non-empty and hold no NUL");
				return -1;
			}
			a->str = arena_strndup(ps->p, (const char *)by.p, by.n);
		} else {
			for (size_t i = 0; i < w->n; i++) {
				int c = (unsigned char)w->s[i];

				if (!ident_char(c) && !strchr("./-+,:@%=~", c)) {
					diag(ps, w->col + (unsigned)i,
					     "unexpected %s in a file name (quote names with other characters)",
					     tok(w->s + i, 1, b, sizeof(b)));
					return -1;
				}
			}
			a->str = arena_strndup(ps->p, w->s, w->n);
		}
		if (!a->str) {
			ps->nomem = true;
			return -1;
		}
		return 0;
	case AK_IDENT:
		for (size_t i = 0; i < w->n; i++)
			if (!ident_char((unsigned char)w->s[i]) ||
			    (i == 0 && !ident_start((unsigned char)w->s[0]))) {
				diag(ps, w->col, "expected %s, got %s", kind_desc(k),
				     tok(w->s, w->n, b, sizeof(b)));
				return -1;
			}
		a->str = arena_strndup(ps->p, w->s, w->n);
		if (!a->str)
			ps->nomem = true;
		return a->str ? 0 : -1;
	case AK_BYTES:
		return parse_bytes(ps, w, &a->bytes);
	case AK_PATTERN:
		if (weq(w, "zero")) {
			a->pattern = SCN_PAT_ZERO;
			return 0;
		}
		if (weq(w, "seq")) {
			a->pattern = SCN_PAT_SEQ;
			return 0;
		}
		if (w->s[0] != '"' && (w->n < 4 || memcmp(w->s, "hex:", 4))) {
			diag(ps, w->col, "expected %s, got %s", kind_desc(k),
			     tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
		a->pattern = SCN_PAT_BYTES;
		if (parse_bytes(ps, w, &a->bytes))
			return -1;
		if (!a->bytes.n) {
			diag(ps, w->col, "a fill pattern needs at least one byte");
			return -1;
		}
		return 0;
	case AK_CMP: {
		static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

		for (int i = 0; i < 6; i++)
			if (weq(w, ops[i])) {
				a->cmp = i;
				return 0;
			}
		diag(ps, w->col, "expected %s, got %s", kind_desc(k),
		     tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	default:
		break;
	}
	a->e = parse_expr(ps, w->s, w->n, w->col, k);
	if (!a->e)
		return -1;
	if (k == AK_SIZE) {
		uint64_t v;

		if (expr_const(a->e, &v) && v != 1 && v != 2 && v != 4 && v != 8) {
			diag(ps, w->col, "expected %s, got %s", kind_desc(k),
			     tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
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

			diag(ps, col, "expected %s, %s, %s; usage: %s",
			     kind_name(sig_kind(*c)), kind_desc(sig_kind(*c)),
			     in_opt ? "to complete the optional group" : "at the end of the line",
			     def->usage);
			return -1;
		}
		if (st->nargs == SCN_MAX_ARGS)
			return -1;
		if (parse_arg(ps, &ps->w[wi], sig_kind(*c), &st->args[st->nargs]))
			return -1;
		st->nargs++;
		wi++;
	}
	if (wi < end) {
		diag(ps, ps->w[wi].col, "unexpected %s: too many arguments; usage: %s",
		     tok(ps->w[wi].s, ps->w[wi].n, b, sizeof(b)), def->usage);
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

static int parse_expect(struct parser *ps, struct scn_stmt *st,
			const struct word *kw, unsigned first, unsigned end)
{
	const struct scn_cmd_def *def = scn_cmd_def(st->cmd);
	struct scn_expect *x = &st->expect;
	const struct word *w;
	char b[48], name[48];

	if (is_check(st->cmd) || st->cmd == C_MAPS || st->cmd == C_PRINT ||
	    st->cmd == C_COUNTERS || st->cmd == C_FILE_CREATE ||
	    st->cmd == C_PAGE) {
		diag(ps, kw->col, "'%s' takes no expect: %s", def->name,
		     st->cmd == C_MAPS ? "give the expected lines in a { } block"
				       : "it checks or prints by itself");
		return -1;
	}
	if (first == end) {
		diag(ps, kw->col + (unsigned)kw->n,
		     "expected what to expect after 'expect' (ok, an errno such as EINVAL, a signal, OOM or a value)");
		return -1;
	}
	if (end - first > 1) {
		diag(ps, ps->w[first + 1].col,
		     "unexpected %s after the expectation (one word; use parentheses for spaces)",
		     tok(ps->w[first + 1].s, ps->w[first + 1].n, b, sizeof(b)));
		return -1;
	}
	w = &ps->w[first];
	x->col = w->col;
	if (weq(w, "ok")) {
		x->kind = X_OK;
		return 0;
	}
	if (weq(w, "OOM")) {
		x->kind = X_OOM;
		return 0;
	}
	if (w->n >= 3 && !memcmp(w->s, "SIG", 3)) {
		snprintf(name, sizeof(name), "%.*s", (int)(w->n < 40 ? w->n : 40), w->s);
		x->code = scn_signal_value(name);
		if (!x->code) {
			diag(ps, w->col, "unknown signal %s (SIGSEGV, SIGBUS or SIGKILL)",
			     tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
		if (!is_access(st->cmd)) {
			diag(ps, w->col, "only load, store and fetch raise signals; '%s' returns a value or an errno",
			     def->name[0] ? def->name : "$VAR =");
			return -1;
		}
		x->kind = X_SIGNAL;
		return 0;
	}
	size_t skip = (w->n && w->s[0] == '-') ? 1 : 0;

	if (looks_errno(w, skip)) {
		snprintf(name, sizeof(name), "%.*s", (int)(w->n - skip < 40 ? w->n - skip : 40),
			 w->s + skip);
		x->code = scn_errno_value(name);
		if (!x->code) {
			const char *sug = scn_suggest_word(name, strlen(name), errno_words,
							   sizeof(errno_words) / sizeof(errno_words[0]));

			diag(ps, w->col, "unknown errno %s%s%s%s", tok(w->s, w->n, b, sizeof(b)),
			     sug ? " (did you mean " : "", sug ? sug : "", sug ? "?)" : "");
			return -1;
		}
		if (is_access(st->cmd)) {
			diag(ps, w->col, "an access gives a value or a signal, not an errno");
			return -1;
		}
		x->kind = X_ERRNO;
		return 0;
	}
	if (w->s[0] == '"' || (w->n >= 4 && !memcmp(w->s, "hex:", 4))) {
		if (def->rkind != R_BYTES) {
			diag(ps, w->col, "'%s' gives a number, not bytes", def->name);
			return -1;
		}
		x->kind = X_BYTES;
		return parse_bytes(ps, w, &x->bytes);
	}
	if (def->rkind == R_BYTES) {
		diag(ps, w->col, "expected bytes (\"text\" or hex:..), ok or an errno after expect, got %s",
		     tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	if (def->rkind == R_NONE) {
		diag(ps, w->col, "'%s' has no value to compare: expect ok%s",
		     def->name, is_access(st->cmd) ? ", SIGSEGV, SIGBUS or OOM" : " or an errno");
		return -1;
	}
	x->kind = X_VALUE;
	x->e = parse_expr(ps, w->s, w->n, w->col, AK_VALUE);
	return x->e ? 0 : -1;
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
		struct scn_stmt **v = arena_alloc(ps->p, cap * sizeof(*v));

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
	struct scn_stmt *s = arena_alloc(ps->p, sizeof(*s));

	if (!s) {
		ps->nomem = true;
		return NULL;
	}
	s->cmd = c;
	s->line = ps->lineno;
	s->var = -1;
	s->loopvar = -1;
	return s;
}

static const char *const cmd_words[] = {
	"spawn", "switch", "fork", "execve", "exit", "mmap", "munmap",
	"mprotect", "brk", "madvise", "msync", "file", "open", "close", "write",
	"read", "truncate", "fsync", "sync", "check", "load", "store", "fetch",
	"maps", "page", "counters", "counter", "ksm", "reclaim", "print", "repeat",
	"option",
};

static const struct scn_cmd_def *find_cmd(struct parser *ps, unsigned *nwords)
{
	const struct word *w0 = &ps->w[0];
	bool name_known = false;
	char b[48];

	for (size_t i = 0; i < scn_ncmds; i++) {
		const struct scn_cmd_def *d = &scn_cmds[i];

		if (!d->name[0] || !weq(w0, d->name))
			continue;
		name_known = true;
		if (d->sub && ps->nw > 1 && weq(&ps->w[1], d->sub)) {
			*nwords = 2;
			return d;
		}
	}
	for (size_t i = 0; i < scn_ncmds; i++) {
		const struct scn_cmd_def *d = &scn_cmds[i];

		if (!d->name[0] || d->sub || !weq(w0, d->name))
			continue;
		/* bare "check" takes nothing but an expect */
		if (d->cmd == C_CHECK && ps->nw > 1 && !weq(&ps->w[1], "expect"))
			break;
		*nwords = 1;
		return d;
	}
	if (name_known) {
		/* "file" or "check" with a bad second word */
		if (weq(w0, "file"))
			diag(ps, ps->nw > 1 ? ps->w[1].col : w0->col + 5,
			     "expected 'create' after 'file', got %s",
			     ps->nw > 1 ? tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)) : "end of line");
		else
			diag(ps, ps->w[1].col,
			     "expected file, size, counter, page, value or nothing after 'check', got %s",
			     tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)));
		return NULL;
	}
	const char *sug = scn_suggest_word(w0->s, w0->n, cmd_words,
					   sizeof(cmd_words) / sizeof(cmd_words[0]));

	diag(ps, w0->col, "unknown statement %s%s%s%s; expected a statement such as mmap, load, store, fork, maps or repeat",
	     tok(w0->s, w0->n, b, sizeof(b)), sug ? " (did you mean " : "",
	     sug ? sug : "", sug ? "?)" : "");
	return NULL;
}

static const struct {
	const char *name;
	unsigned bit;
	char kind;   /* 's' size, 'b' on/off, 'n' name */
} options[] = {
	{ "mem", SCN_OPT_MEM, 's' },
	{ "swap", SCN_OPT_SWAP, 's' },
	{ "config", SCN_OPT_CONFIG, 'n' },
	{ "ksm", SCN_OPT_KSM, 'b' },
	{ "zero_page", SCN_OPT_ZERO_PAGE, 'b' },
	{ "pcid_limit", SCN_OPT_PCID_LIMIT, 's' },
	{ "mmap_min_addr", SCN_OPT_MIN_ADDR, 's' },
	{ "stack_rlimit", SCN_OPT_STACK, 's' },
};

static int parse_option(struct parser *ps)
{
	char b[48], v[64];
	struct scn_options *o = &ps->p->opts;
	const struct word *w = ps->w;
	size_t i;

	if (ps->seen_stmt) {
		diag(ps, w[0].col, "'option' must come before the first statement");
		return -1;
	}
	if (ps->nw != 3) {
		diag(ps, ps->nw < 3 ? w[ps->nw - 1].col + (unsigned)w[ps->nw - 1].n
				    : w[3].col,
		     "expected 'option NAME VALUE' (mem, swap, config, ksm, zero_page, pcid_limit, mmap_min_addr, stack_rlimit)");
		return -1;
	}
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (weq(&w[1], options[i].name))
			break;
	if (i == sizeof(options) / sizeof(options[0])) {
		diag(ps, w[1].col, "unknown option %s: expected mem, swap, config, ksm, zero_page, pcid_limit, mmap_min_addr or stack_rlimit",
		     tok(w[1].s, w[1].n, b, sizeof(b)));
		return -1;
	}
	if (o->set & options[i].bit) {
		diag(ps, w[1].col, "option %s given twice", options[i].name);
		return -1;
	}
	snprintf(v, sizeof(v), "%.*s", (int)(w[2].n < 60 ? w[2].n : 60), w[2].s);
	switch (options[i].kind) {
	case 's': {
		uint64_t x;

		if (w[2].n > 60 || scn_parse_size(v, &x) ||
		    (options[i].bit == SCN_OPT_MEM && !x) ||
		    (options[i].bit == SCN_OPT_PCID_LIMIT && (!x || x > 4095))) {
			diag(ps, w[2].col, "expected %s, got %s",
			     options[i].bit == SCN_OPT_PCID_LIMIT ? "a number 1..4095"
								 : "a size such as 64K or 0x100000",
			     tok(w[2].s, w[2].n, b, sizeof(b)));
			return -1;
		}
		switch (options[i].bit) {
		case SCN_OPT_MEM: o->mem_bytes = x; break;
		case SCN_OPT_SWAP: o->swap_bytes = x; break;
		case SCN_OPT_PCID_LIMIT: o->pcid_limit = x; break;
		case SCN_OPT_MIN_ADDR: o->mmap_min_addr = x; break;
		default: o->stack_rlimit = x; break;
		}
		break;
	}
	case 'b': {
		bool on = weq(&w[2], "on");

		if (!on && !weq(&w[2], "off")) {
			diag(ps, w[2].col, "expected on or off, got %s",
			     tok(w[2].s, w[2].n, b, sizeof(b)));
			return -1;
		}
		if (options[i].bit == SCN_OPT_KSM)
			o->ksm = on;
		else
			o->zero_page = on;
		break;
	}
	default:
		if (w[2].n >= sizeof(o->config)) {
			diag(ps, w[2].col, "configuration name too long");
			return -1;
		}
		memcpy(o->config, w[2].s, w[2].n);
		o->config[w[2].n] = 0;
		break;
	}
	o->set |= options[i].bit;
	return 0;
}

const char *const scn_page_attrs[PG_NATTR] = {
	[PG_PRESENT] = "present", [PG_SWAPPED] = "swapped",
	[PG_WRITABLE] = "writable", [PG_DIRTY] = "dirty",
	[PG_ACCESSED] = "accessed", [PG_USER] = "user", [PG_NX] = "nx",
	[PG_KSM] = "ksm", [PG_ZERO] = "zero", [PG_PAGECACHE] = "pagecache",
	[PG_SWAPCACHE] = "swapcache",
};

/* check page ADDR ATTR... with ATTR = [!]name | ref=N */
static int parse_page_attrs(struct parser *ps, struct scn_stmt *st,
			    unsigned first)
{
	char b[48];

	st->page_ref = -1;
	if (first == ps->nw) {
		diag(ps, ps->w[first - 1].col + (unsigned)ps->w[first - 1].n,
		     "expected page attributes such as present, !swapped, ksm or ref=2");
		return -1;
	}
	for (unsigned i = first; i < ps->nw; i++) {
		const struct word *w = &ps->w[i];
		bool neg = w->n > 1 && w->s[0] == '!';
		unsigned k;

		if (w->n > 4 && !memcmp(w->s, "ref=", 4)) {
			uint64_t v = 0;
			size_t j;

			for (j = 4; j < w->n && w->s[j] >= '0' && w->s[j] <= '9' &&
				    v < 100000000; j++)
				v = v * 10 + (uint64_t)(w->s[j] - '0');
			if (j != w->n || v >= 100000000) {
				diag(ps, w->col + 4, "expected a reference count after ref=");
				return -1;
			}
			st->page_ref = (int)v;
			continue;
		}
		for (k = 0; k < PG_NATTR; k++)
			if (strlen(scn_page_attrs[k]) == w->n - neg &&
			    !memcmp(scn_page_attrs[k], w->s + neg, w->n - neg))
				break;
		if (k == PG_NATTR) {
			const char *sug = scn_suggest_word(w->s + neg, w->n - neg,
							   scn_page_attrs, PG_NATTR);

			diag(ps, w->col, "unknown page attribute %s%s%s%s: expected [!]present, swapped, writable, dirty, accessed, user, nx, ksm, zero, pagecache, swapcache or ref=N",
			     tok(w->s, w->n, b, sizeof(b)), sug ? " (did you mean " : "",
			     sug ? sug : "", sug ? "?)" : "");
			return -1;
		}
		if ((neg ? st->page_set : st->page_clear) & (1u << k)) {
			diag(ps, w->col, "page attribute %s both wanted and not wanted",
			     scn_page_attrs[k]);
			return -1;
		}
		if (neg)
			st->page_clear |= 1u << k;
		else
			st->page_set |= 1u << k;
	}
	return 0;
}

/* START-END PERMS [OFF [DEV [INODE [PATH...]]]] inside a maps block. */
static int parse_bound(struct parser *ps, const char *s, size_t n, unsigned col,
		       struct scn_expr **out)
{
	char b[48];

	if (n && s[0] == '(')
		return (*out = parse_expr(ps, s, n, col, AK_ADDR)) ? 0 : -1;
	size_t i = (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 2 : 0;
	uint64_t v = 0;

	if (i == n) {
		diag(ps, col, "expected a hex address or (EXPR), got %s", tok(s, n, b, sizeof(b)));
		return -1;
	}
	for (; i < n; i++) {
		int d = hexval((unsigned char)s[i]);

		if (d < 0 || v >> 60) {
			diag(ps, col, "expected a hex address or (EXPR), got %s",
			     tok(s, n, b, sizeof(b)));
			return -1;
		}
		v = v << 4 | (uint64_t)d;
	}
	*out = arena_alloc(ps->p, sizeof(**out));
	if (!*out) {
		ps->nomem = true;
		return -1;
	}
	(*out)->op = E_NUM;
	(*out)->num = v;
	return 0;
}

static int parse_maps_line(struct parser *ps, struct scn_stmt *st)
{
	struct scn_maps_line *m;
	const struct word *w = ps->w;
	char b[48];
	size_t dash = 0;
	int depth = 0;

	if (st->nmaps == st->capmaps) {
		unsigned cap = st->capmaps ? st->capmaps * 2 : 8;
		struct scn_maps_line *v = arena_alloc(ps->p, cap * sizeof(*v));

		if (!v) {
			ps->nomem = true;
			return -1;
		}
		if (st->nmaps)
			memcpy(v, st->maps, st->nmaps * sizeof(*v));
		st->maps = v;
		st->capmaps = cap;
	}
	m = &st->maps[st->nmaps];
	memset(m, 0, sizeof(*m));
	m->line = ps->lineno;
	for (size_t i = 0; i < w[0].n; i++) {
		if (w[0].s[i] == '(')
			depth++;
		else if (w[0].s[i] == ')')
			depth--;
		else if (w[0].s[i] == '-' && !depth) {
			dash = i;
			break;
		}
	}
	if (!dash) {
		diag(ps, w[0].col, "expected START-END (hex, as in /proc/PID/maps) or '}' to close the maps block, got %s",
		     tok(w[0].s, w[0].n, b, sizeof(b)));
		return -1;
	}
	if (parse_bound(ps, w[0].s, dash, w[0].col, &m->start) ||
	    parse_bound(ps, w[0].s + dash + 1, w[0].n - dash - 1,
			w[0].col + (unsigned)dash + 1, &m->end))
		return -1;
	if (ps->nw < 2) {
		diag(ps, w[0].col + (unsigned)w[0].n,
		     "expected permissions such as rw-p after the range");
		return -1;
	}
	if (w[1].n != 4 || (w[1].s[0] != 'r' && w[1].s[0] != '-') ||
	    (w[1].s[1] != 'w' && w[1].s[1] != '-') ||
	    (w[1].s[2] != 'x' && w[1].s[2] != '-') ||
	    (w[1].s[3] != 'p' && w[1].s[3] != 's')) {
		diag(ps, w[1].col, "expected permissions [r-][w-][x-][ps] such as rw-p, got %s",
		     tok(w[1].s, w[1].n, b, sizeof(b)));
		return -1;
	}
	memcpy(m->perms, w[1].s, 4);
	if (ps->nw > 2) {
		uint64_t v = 0;

		for (size_t i = 0; i < w[2].n; i++) {
			int d = hexval((unsigned char)w[2].s[i]);

			if (d < 0 || v >> 60) {
				diag(ps, w[2].col, "expected a hex file offset such as 00001000, got %s",
				     tok(w[2].s, w[2].n, b, sizeof(b)));
				return -1;
			}
			v = v << 4 | (uint64_t)d;
		}
		m->off = v;
		m->nfields = 1;
	}
	if (ps->nw > 3) {
		const struct word *d = &w[3];
		bool ok = d->n >= 3 && d->n < sizeof(m->dev);
		size_t colon = 0;

		for (size_t i = 0; ok && i < d->n; i++) {
			if (d->s[i] == ':' && !colon && i)
				colon = i;
			else if (hexval((unsigned char)d->s[i]) < 0)
				ok = false;
		}
		if (!ok || !colon || colon + 1 == d->n) {
			diag(ps, d->col, "expected a device MAJOR:MINOR such as 00:00, got %s",
			     tok(d->s, d->n, b, sizeof(b)));
			return -1;
		}
		memcpy(m->dev, d->s, d->n);
		m->dev[d->n] = 0;
		m->nfields = 2;
	}
	if (ps->nw > 4) {
		uint64_t v = 0;

		for (size_t i = 0; i < w[4].n; i++) {
			if (w[4].s[i] < '0' || w[4].s[i] > '9' || v > UINT64_MAX / 10 - 1) {
				diag(ps, w[4].col, "expected a decimal inode, got %s",
				     tok(w[4].s, w[4].n, b, sizeof(b)));
				return -1;
			}
			v = v * 10 + (uint64_t)(w[4].s[i] - '0');
		}
		m->inode = v;
		m->nfields = 3;
	}
	if (ps->nw > 5) {
		const char *from = w[5].s, *to = w[ps->nw - 1].s + w[ps->nw - 1].n;

		m->path = arena_strndup(ps->p, from, (size_t)(to - from));
		if (!m->path) {
			ps->nomem = true;
			return -1;
		}
		m->nfields = 4;
	}
	st->nmaps++;
	return 0;
}

static void set_assigned(struct parser *ps, int var)
{
	if (var >= 0)
		ps->assigned[var] = true;
}

static int parse_line(struct parser *ps)
{
	const struct scn_cmd_def *def;
	struct scn_stmt *st;
	unsigned first = 0, nwords, end;
	int var = -1;
	char b[48];

	if (split(ps))
		return -1;
	if (!ps->nw)
		return 0;

	if (ps->maps_open) {
		if (weq(&ps->w[0], "}")) {
			if (ps->nw > 1) {
				diag(ps, ps->w[1].col, "unexpected %s after '}'",
				     tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)));
				return -1;
			}
			ps->maps_open = NULL;
			return 0;
		}
		return parse_maps_line(ps, ps->maps_open);
	}
	if (weq(&ps->w[0], "}")) {
		if (!ps->depth) {
			diag(ps, ps->w[0].col, "'}' without an open 'repeat ... {'");
			return -1;
		}
		if (ps->nw > 1) {
			diag(ps, ps->w[1].col, "unexpected %s after '}'",
			     tok(ps->w[1].s, ps->w[1].n, b, sizeof(b)));
			return -1;
		}
		ps->depth--;
		return 0;
	}

	/* $VAR = ... */
	if (ps->w[0].s[0] == '$') {
		if (ps->nw < 2 || !weq(&ps->w[1], "=")) {
			diag(ps, ps->nw < 2 ? ps->w[0].col + (unsigned)ps->w[0].n : ps->w[1].col,
			     "expected '=' after %s (with spaces around it)",
			     tok(ps->w[0].s, ps->w[0].n, b, sizeof(b)));
			return -1;
		}
		var = parse_var_word(ps, &ps->w[0]);
		if (var < 0)
			return -1;
		ps->pending_var = var;  /* set even if the line is bad: no cascade */
		if (ps->nw < 3) {
			diag(ps, ps->w[1].col + 2, "expected a value or a call after '='");
			return -1;
		}
		first = 2;
	}

	/* a call, or an expression on the right of '=' */
	bool is_cmd = false;

	for (size_t i = 0; i < scn_ncmds; i++)
		if (scn_cmds[i].name[0] && weq(&ps->w[first], scn_cmds[i].name))
			is_cmd = true;
	if (!is_cmd && var >= 0) {
		const char *from = ps->w[first].s;
		const char *to = ps->w[ps->nw - 1].s + ps->w[ps->nw - 1].n;

		st = new_stmt(ps, C_LET);
		if (!st)
			return -1;
		st->var = var;
		st->nargs = 1;
		st->args[0].kind = AK_VALUE;
		st->args[0].col = ps->w[first].col;
		st->args[0].e = parse_expr(ps, from, (size_t)(to - from),
					   ps->w[first].col, AK_VALUE);
		if (!st->args[0].e)
			return -1;
		set_assigned(ps, var);
		ps->seen_stmt = true;
		return block_add(ps, cur_block(ps), st);
	}

	/* shift the words so the command is w[0] for find_cmd */
	if (first) {
		memmove(ps->w, ps->w + first, (ps->nw - first) * sizeof(ps->w[0]));
		ps->nw -= first;
	}
	def = find_cmd(ps, &nwords);
	if (!def)
		return -1;
	if (var >= 0 && !def->assignable) {
		diag(ps, ps->w[0].col, "'%s' gives no value to assign", def->name);
		return -1;
	}
	if (def->cmd == C_OPTION)
		return parse_option(ps);
	st = new_stmt(ps, def->cmd);
	if (!st)
		return -1;
	st->var = var;
	ps->seen_stmt = true;

	if (def->cmd == C_REPEAT) {
		unsigned last = ps->nw - 1;

		if (!weq(&ps->w[last], "{") || ps->nw < 3 || ps->nw > 4) {
			diag(ps, ps->nw < 3 || weq(&ps->w[last], "{")
				     ? ps->w[last].col + (unsigned)ps->w[last].n
				     : ps->w[last].col,
			     "expected 'repeat COUNT [$VAR] {' with the '{' at the end of the line");
			return -1;
		}
		if (parse_arg(ps, &ps->w[1], AK_COUNT, &st->args[0]))
			return -1;
		st->nargs = 1;
		if (ps->nw == 4) {
			st->loopvar = parse_var_word(ps, &ps->w[2]);
			if (st->loopvar < 0)
				return -1;
			set_assigned(ps, st->loopvar);
		}
		if (ps->depth == MAX_DEPTH) {
			diag(ps, ps->w[0].col, "repeat nested too deeply (at most %d)", MAX_DEPTH);
			return -1;
		}
		if (block_add(ps, cur_block(ps), st))
			return -1;
		ps->open[ps->depth++] = st;
		return 0;
	}

	if (def->cmd == C_PRINT) {
		for (unsigned i = 1; i < ps->nw; i++) {
			if (st->nargs == SCN_MAX_ARGS) {
				diag(ps, ps->w[i].col, "print takes at most %d items", SCN_MAX_ARGS);
				return -1;
			}
			struct scn_arg *a = &st->args[st->nargs++];

			if (ps->w[i].s[0] == '"') {
				a->kind = AK_NAME;
				a->col = ps->w[i].col;
				if (parse_bytes(ps, &ps->w[i], &a->bytes))
					return -1;
			} else if (parse_arg(ps, &ps->w[i], AK_VALUE, a)) {
				return -1;
			}
		}
		return block_add(ps, cur_block(ps), st);
	}

	if (def->cmd == C_CHECK_PAGE) {
		if (ps->nw < 3) {
			diag(ps, ps->w[1].col + (unsigned)ps->w[1].n,
			     "expected ADDR; usage: %s", def->usage);
			return -1;
		}
		if (parse_arg(ps, &ps->w[2], AK_ADDR, &st->args[0]))
			return -1;
		st->nargs = 1;
		if (parse_page_attrs(ps, st, 3))
			return -1;
		return block_add(ps, cur_block(ps), st);
	}

	end = ps->nw;
	if (def->cmd == C_MAPS && weq(&ps->w[end - 1], "{")) {
		st->maps_block = true;
		end--;
	}
	for (unsigned i = nwords; i < end; i++)
		if (weq(&ps->w[i], "expect")) {
			if (parse_args(ps, st, def, nwords, i, ps->w[0].col))
				return -1;
			if (parse_expect(ps, st, &ps->w[i], i + 1, end))
				return -1;
			goto done;
		}
	if (parse_args(ps, st, def, nwords, end, ps->w[0].col))
		return -1;
done:
	set_assigned(ps, var);
	if (block_add(ps, cur_block(ps), st))
		return -1;
	if (st->maps_block)
		ps->maps_open = st;
	return 0;
}

/* ---- entry points --------------------------------------------------------------------- */

static void set_name(struct scn_program *p)
{
	const char *base = strrchr(p->origin, '/');
	size_t n;

	base = base ? base + 1 : p->origin;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".scn"))
		n -= 4;
	p->name = arena_strndup(p, base, n);
}

int scn_parse(const char *text, size_t len, const char *origin,
	      struct scn_program **out, struct scn_diags *d)
{
	struct scn_program *p = calloc(1, sizeof(*p));
	struct parser ps;
	size_t pos = 0;

	d->count = 0;
	*out = NULL;
	if (!origin)
		origin = "<scenario>";
	if (!p) {
		diag_file(d, origin, 0, "out of memory");
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.d = d;
	ps.origin = origin;
	p->origin = arena_strndup(p, origin, strlen(origin));
	if (!p->origin) {
		scn_program_free(p);
		diag_file(d, origin, 0, "out of memory");
		return -1;
	}
	set_name(p);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		ps.line = text + pos;
		ps.len = n;
		ps.lineno++;
		ps.pending_var = -1;
		parse_line(&ps);
		if (ps.pending_var >= 0)
			ps.assigned[ps.pending_var] = true;
		if (ps.nomem) {
			diag_file(d, origin, ps.lineno, "out of memory");
			break;
		}
		pos += n + 1;
		if (ps.lineno == 0xffffff) {
			diag_file(d, origin, ps.lineno, "too many lines");
			break;
		}
	}
	if (ps.maps_open)
		diag_file(d, origin, ps.maps_open->line,
			  "the maps block opened here is not closed: expected '}' before the end of the file");
	for (unsigned i = ps.depth; i > 0; i--)
		diag_file(d, origin, ps.open[i - 1]->line,
			  "the repeat block opened here is not closed: expected '}' before the end of the file");
	if (d->count) {
		scn_program_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int scn_parse_file(const char *path, struct scn_program **out,
		   struct scn_diags *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc;

	d->count = 0;
	*out = NULL;
	if (!f) {
		diag_file(d, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			char *nb;

			if (nc > (256u << 20)) {
				diag_file(d, path, 0, "file larger than 256 MiB");
				free(buf);
				fclose(f);
				return -1;
			}
			nb = realloc(buf, nc);
			if (!nb) {
				diag_file(d, path, 0, "out of memory");
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
			cap = nc;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_file(d, path, 0, "read error: %s", strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	rc = scn_parse(buf, n, path, out, d);
	free(buf);
	return rc;
}

void scn_program_free(struct scn_program *p)
{
	if (!p)
		return;
	while (p->arena) {
		struct scn_arena *n = p->arena->next;

		free(p->arena);
		p->arena = n;
	}
	free(p);
}

const char *scn_program_name(const struct scn_program *p)
{
	return p->name ? p->name : "";
}

unsigned scn_program_statements(const struct scn_program *p)
{
	return p->nstmts;
}

void scn_program_options(const struct scn_program *p, struct scn_options *o)
{
	*o = p->opts;
}
