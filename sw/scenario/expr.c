/* SPDX-License-Identifier: MIT */
/*
 * Expressions of the scenario language (docs/scenario-language.md,
 * "expr"): C precedence over 64-bit unsigned values, numbers with K/M/G/T
 * suffixes, variables, and the symbols of the argument's family.
 */
#include "parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *ps_kind_desc(enum scn_argk k)
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
	case AK_PKEYR: return "key rights (0, PKEY_DISABLE_ACCESS, PKEY_DISABLE_WRITE)";
	case AK_MREMAPF: return "mremap flags (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP or 0)";
	case AK_MCLF: return "mlockall flags (MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT)";
	case AK_FALLOCF: return "a fallocate mode (0, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE...)";
	case AK_FILE: return "a file descriptor or a file name";
	}
	return "an argument";
}

const char *ps_kind_name(enum scn_argk k)
{
	static const char *const n[] = {
		[AK_ADDR] = "ADDR", [AK_LEN] = "LEN", [AK_PROT] = "PROT",
		[AK_MAPF] = "FLAGS", [AK_FD] = "FD", [AK_OFF] = "OFF",
		[AK_ADVICE] = "ADVICE", [AK_MSF] = "FLAGS", [AK_OFLAGS] = "FLAGS",
		[AK_SIZE] = "SIZE", [AK_VALUE] = "VALUE", [AK_PID] = "PID",
		[AK_COUNT] = "COUNT", [AK_INT] = "STATUS", [AK_NAME] = "NAME",
		[AK_BYTES] = "BYTES", [AK_PATTERN] = "PATTERN", [AK_CMP] = "OP",
		[AK_IDENT] = "NAME", [AK_PKEYR] = "RIGHTS",
		[AK_MREMAPF] = "FLAGS", [AK_MCLF] = "FLAGS",
		[AK_FALLOCF] = "MODE", [AK_FILE] = "FD|NAME",
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
	case AK_PKEYR: return c == SYM_PKEY;
	case AK_MREMAPF: return c == SYM_MREMAP;
	case AK_MCLF: return c == SYM_MCL;
	case AK_FALLOCF: return c == SYM_FALLOC;
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
	ps_diag(x->ps, x->col0 + (unsigned)at, "%s", m);
}

static struct scn_expr *node(struct xp *x, enum scn_eop op)
{
	struct scn_expr *e = ps_alloc(x->ps->p, sizeof(*e));

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
static struct scn_expr *x_primary(struct xp *x);


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
		d = ps_digit(c);
		if (d >= (int)base)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / base) {
			xerr(x, start, "number %s does not fit in 64 bits",
			     ps_tok(x->s + start, x->n - start, b, sizeof(b)));
			return NULL;
		}
		v = v * base + (uint64_t)d;
		any = true;
		x->i++;
	}
	if (!any) {
		xerr(x, start, "bad number %s: digits expected after the prefix",
		     ps_tok(x->s + start, x->n - start, b, sizeof(b)));
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
	if (x->i < x->n && ps_ident_char((unsigned char)x->s[x->i])) {
		size_t e = x->i;

		while (e < x->n && ps_ident_char((unsigned char)x->s[e]))
			e++;
		xerr(x, start, "bad number %s (decimal, 0x hex or 0b binary, optional K/M/G/T suffix)",
		     ps_tok(x->s + start, e - start, b, sizeof(b)));
		return NULL;
	}
	if (v > UINT64_MAX / mul) {
		xerr(x, start, "number %s does not fit in 64 bits",
		     ps_tok(x->s + start, x->i - start, b, sizeof(b)));
		return NULL;
	}
	struct scn_expr *e = node(x, E_NUM);

	if (e)
		e->num = v * mul;
	return e;
}

/* $name, set by an earlier line */
static struct scn_expr *x_var(struct xp *x)
{
	size_t start = x->i++;
	struct scn_expr *e;
	char b[48];
	int idx;

	if (x->i >= x->n || !ps_ident_start((unsigned char)x->s[x->i])) {
		xerr(x, start, "expected a variable name after '$'");
		return NULL;
	}
	while (x->i < x->n && ps_ident_char((unsigned char)x->s[x->i]))
		x->i++;
	idx = ps_var_index(x->ps, x->s + start + 1, x->i - start - 1,
			   x->col0 + (unsigned)start);
	if (idx < 0) {
		x->fail = true;
		return NULL;
	}
	if (!x->ps->assigned[idx]) {
		xerr(x, start, "variable %s is used before any line sets it",
		     ps_tok(x->s + start, x->i - start, b, sizeof(b)));
		return NULL;
	}
	e = node(x, E_VAR);
	if (e)
		e->var = (unsigned)idx;
	return e;
}

/* A symbol of the argument's family (PROT_READ, PAGE_SIZE, ...). */
static struct scn_expr *x_symbol(struct xp *x)
{
	size_t start = x->i;
	const struct scn_sym *sym;
	struct scn_expr *e;
	char b[48];

	while (x->i < x->n && ps_ident_char((unsigned char)x->s[x->i]))
		x->i++;
	sym = scn_sym_find(x->s + start, x->i - start);
	if (!sym) {
		const char *sug = scn_sym_suggest(x->s + start, x->i - start);

		ps_tok(x->s + start, x->i - start, b, sizeof(b));
		if (sug)
			xerr(x, start, "unknown symbol %s (did you mean %s?); expected %s",
			     b, sug, ps_kind_desc(x->kind));
		else
			xerr(x, start, "unknown symbol %s; expected %s", b,
			     ps_kind_desc(x->kind));
		return NULL;
	}
	if (!class_ok(x->kind, sym->cls)) {
		xerr(x, start, "expected %s, got %s", ps_kind_desc(x->kind),
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

static bool x_deeper(struct xp *x, size_t at)
{
	if (++x->depth <= MAX_EXPR_DEPTH)
		return true;
	xerr(x, at, "expression nested too deeply (at most %d levels)",
	     MAX_EXPR_DEPTH);
	return false;
}

/* ( expr ) */
static struct scn_expr *x_paren(struct xp *x)
{
	size_t open = x->i++;
	struct scn_expr *e;

	if (!x_deeper(x, open))
		return NULL;
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

/* - unary, ~ unary */
static struct scn_expr *x_unary(struct xp *x, int c)
{
	struct scn_expr *e, *a;

	x->i++;
	if (!x_deeper(x, x->i - 1))
		return NULL;
	a = x_primary(x);
	x->depth--;
	if (!a)
		return NULL;
	e = node(x, c == '-' ? E_NEG : E_NOT);
	if (e)
		e->a = a;
	return e;
}

static struct scn_expr *x_primary(struct xp *x)
{
	char b[48];
	size_t e;
	int c;

	skip_ws(x);
	if (x->i >= x->n) {
		xerr(x, x->i, "expected %s, got end of %s", ps_kind_desc(x->kind),
		     x->n ? "expression" : "line");
		return NULL;
	}
	c = (unsigned char)x->s[x->i];
	if (c >= '0' && c <= '9')
		return x_number(x);
	if (c == '$')
		return x_var(x);
	if (ps_ident_start(c))
		return x_symbol(x);
	if (c == '(')
		return x_paren(x);
	if (c == '-' || c == '~')
		return x_unary(x, c);
	if (c == '"') {
		xerr(x, x->i, "expected %s, got a string", ps_kind_desc(x->kind));
		return NULL;
	}
	for (e = x->i; e < x->n && x->s[e] != ' '; e++)
		;
	xerr(x, x->i, "expected %s, got %s", ps_kind_desc(x->kind),
	     ps_tok(x->s + x->i, e - x->i, b, sizeof(b)));
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
struct scn_expr *ps_expr(struct parser *ps, const char *s, size_t n,
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
		     ps_tok(s + x.i, n - x.i, b, sizeof(b)), ps_kind_desc(k));
		return NULL;
	}
	return e;
}

bool ps_expr_const(const struct scn_expr *e, uint64_t *v)
{
	if (e->op != E_NUM)
		return false;
	*v = e->num;
	return true;
}
