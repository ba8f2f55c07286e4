/* SPDX-License-Identifier: MIT */
/*
 * Lexing for the scenario parser: the program's arena, diagnostics with
 * the line quoted, the split of a line into words, variable names, and the
 * literals of bytes ("text"*N, hex:00ff).  Any byte sequence is accepted;
 * nothing here crashes or exits.
 */
#include "parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---------------------------------------------------------------------- */

#define ARENA_CHUNK 32768

void *ps_alloc(struct scn_program *p, size_t n)
{
	struct scn_arena *a = p->arena;

	n = (n + 15) & ~(size_t)15;
	if (!a || a->used + n > a->cap) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		if (cap > p->alloc_max - p->alloc_bytes) {
			p->alloc_capped = true;  /* --max-parse-mem */
			return NULL;
		}
		a = malloc(sizeof(*a) + cap);
		if (!a)
			return NULL;
		p->alloc_bytes += cap;
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

char *ps_strndup(struct scn_program *p, const char *s, size_t n)
{
	char *r = ps_alloc(p, n + 1);

	if (r) {
		memcpy(r, s, n);
		r[n] = 0;
	}
	return r;
}

/* ---- diagnostics --------------------------------------------------------------- */

/* "origin:line:col: message" then the line quoted with a caret. */
void ps_diag(struct parser *ps, unsigned col, const char *fmt, ...)
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

void ps_diag_file(struct scn_diags *d, const char *origin, unsigned line,
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
const char *ps_tok(const char *s, size_t n, char *buf, size_t len)
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

bool ps_weq(const struct word *w, const char *s)
{
	return strlen(s) == w->n && !memcmp(w->s, s, w->n);
}

/* ---- words ------------------------------------------------------------------------ */

/* The end of the word that starts at i: a "string" or a parenthesised
 * expression is one word.  The end, or 0 after reporting. */
static size_t word_end(struct parser *ps, size_t i)
{
	const char *s = ps->line;
	size_t n = ps->len;
	unsigned open_col = 0;
	int depth = 0;

	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"') {
			size_t q = i++;

			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i >= n) {
				ps_diag(ps, (unsigned)q + 1,
					"unterminated string: expected a closing '\"'");
				return 0;
			}
			continue;
		}
		if ((c == '#' || c == ' ' || c == '\t' || c == '\r') && depth == 0)
			break;
		if (c < 0x20 && c != '\t' && c != '\r') {
			ps_diag(ps, (unsigned)i + 1, "unexpected control byte 0x%02x", c);
			return 0;
		}
		if (c >= 0x7f) {
			ps_diag(ps, (unsigned)i + 1,
				"unexpected byte 0x%02x (only ASCII outside strings and comments)",
				c);
			return 0;
		}
		if (c == '(') {
			if (!depth)
				open_col = (unsigned)i + 1;
			depth++;
		} else if (c == ')') {
			if (!depth) {
				ps_diag(ps, (unsigned)i + 1, "unbalanced ')': no '(' to close");
				return 0;
			}
			depth--;
		}
	}
	if (depth) {
		ps_diag(ps, open_col, "unbalanced '(': expected ')' before the end of the line");
		return 0;
	}
	return i;
}

int ps_split(struct parser *ps)
{
	size_t i = 0, n = ps->len, start;

	ps->nw = 0;
	ps->code_end = n;
	while (i < n) {
		unsigned char c = (unsigned char)ps->line[i];

		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#') {
			ps->code_end = i;
			break;
		}
		start = i;
		i = word_end(ps, start);
		if (!i)
			return -1;
		if (ps->nw == MAX_WORDS) {
			ps_diag(ps, (unsigned)start + 1, "too many words on one line (at most %d)",
				MAX_WORDS);
			return -1;
		}
		ps->w[ps->nw].s = ps->line + start;
		ps->w[ps->nw].n = i - start;
		ps->w[ps->nw].col = (unsigned)start + 1;
		ps->nw++;
	}
	return 0;
}

/* ---- variables ------------------------------------------------------------------- */

int ps_var_index(struct parser *ps, const char *s, size_t n, unsigned col)
{
	struct scn_program *p = ps->p;

	for (unsigned i = 0; i < p->nvars; i++)
		if (strlen(p->vars[i]) == n && !memcmp(p->vars[i], s, n))
			return (int)i;
	if (p->nvars == SCN_MAX_VARS) {
		ps_diag(ps, col, "too many variables (at most %d)", SCN_MAX_VARS);
		return -1;
	}
	p->vars[p->nvars] = ps_strndup(p, s, n);
	if (!p->vars[p->nvars]) {
		ps->nomem = true;
		return -1;
	}
	return (int)p->nvars++;
}

bool ps_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool ps_ident_char(int c)
{
	return ps_ident_start(c) || (c >= '0' && c <= '9');
}

/* A whole word "$name"; returns the index or -1 (reported). */
int ps_var_word(struct parser *ps, const struct word *w)
{
	char b[48];

	if (w->n < 2 || w->s[0] != '$' || !ps_ident_start((unsigned char)w->s[1])) {
		ps_diag(ps, w->col, "expected a variable ($name), got %s",
			ps_tok(w->s, w->n, b, sizeof(b)));
		return -1;
	}
	for (size_t i = 2; i < w->n; i++)
		if (!ps_ident_char((unsigned char)w->s[i])) {
			ps_diag(ps, w->col + (unsigned)i,
				"bad character in variable name %s (letters, digits and _ only)",
				ps_tok(w->s, w->n, b, sizeof(b)));
			return -1;
		}
	return ps_var_index(ps, w->s + 1, w->n - 1, w->col);
}

/* ---- digits ---------------------------------------------------------------------- */

int ps_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* ---- bytes ------------------------------------------------------------------------- */

int ps_hexval(int c)
{
	int d = ps_digit(c);

	return d < 16 ? d : -1;
}

/* hex:0011_22.. */
static int bytes_hex(struct parser *ps, const struct word *w,
		     struct scn_bytes *out)
{
	const char *s = w->s;
	size_t n = w->n, digits = 0, bn = 0;
	unsigned char *buf;
	char b[48];
	int hi = -1;

	for (size_t i = 4; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (ps_hexval((unsigned char)s[i]) < 0) {
			ps_diag(ps, w->col + (unsigned)i, "bad hex digit %s in %s",
				ps_tok(s + i, 1, b, sizeof(b)), ps_kind_desc(AK_BYTES));
			return -1;
		}
		digits++;
	}
	if (digits % 2) {
		ps_diag(ps, w->col, "odd number of hex digits in %s: two per byte",
			ps_tok(s, n, b, sizeof(b)));
		return -1;
	}
	buf = ps_alloc(ps->p, digits / 2 + 1);
	if (!buf) {
		ps->nomem = true;
		return -1;
	}
	for (size_t i = 4; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (hi < 0) {
			hi = ps_hexval((unsigned char)s[i]);
		} else {
			buf[bn++] = (unsigned char)(hi << 4 | ps_hexval((unsigned char)s[i]));
			hi = -1;
		}
	}
	out->p = buf;
	out->n = bn;
	return 0;
}

/* The escape at s[*i] (after the backslash) into *c; 0 or -1 (reported). */
static int unescape(struct parser *ps, const struct word *w, size_t close,
		    size_t *i, unsigned char *c)
{
	const char *s = w->s;
	char b[48];

	switch (s[*i]) {
	case 'n': *c = '\n'; return 0;
	case 't': *c = '\t'; return 0;
	case 'r': *c = '\r'; return 0;
	case '0': *c = 0; return 0;
	case '\\': *c = '\\'; return 0;
	case '"': *c = '"'; return 0;
	case 'x': {
		int h = *i + 1 < close ? ps_hexval((unsigned char)s[*i + 1]) : -1;
		int l = *i + 2 < close ? ps_hexval((unsigned char)s[*i + 2]) : -1;

		if (h < 0 || l < 0) {
			ps_diag(ps, w->col + (unsigned)*i - 1,
				"bad escape: \\x needs two hex digits");
			return -1;
		}
		*c = (unsigned char)(h << 4 | l);
		*i += 2;
		return 0;
	}
	default:
		ps_diag(ps, w->col + (unsigned)*i - 1,
			"unknown escape %s (\\n \\t \\r \\0 \\\\ \\\" \\xHH)",
			ps_tok(s + *i - 1, 2, b, sizeof(b)));
		return -1;
	}
}

/* The count of "text"*N after the closing quote at close (1 without). */
static int string_repeat(struct parser *ps, const struct word *w, size_t close,
			 uint64_t *rep)
{
	const char *s = w->s;
	size_t n = w->n;
	struct scn_expr *e;
	char b[48];

	*rep = 1;
	if (close + 1 == n)
		return 0;
	if (s[close + 1] != '*' || close + 2 >= n) {
		ps_diag(ps, w->col + (unsigned)close + 1,
			"unexpected %s after the string (only *COUNT may follow)",
			ps_tok(s + close + 1, n - close - 1, b, sizeof(b)));
		return -1;
	}
	e = ps_expr(ps, s + close + 2, n - close - 2, w->col + (unsigned)close + 2,
		    AK_COUNT);
	if (!e)
		return -1;
	if (!ps_expr_const(e, rep)) {
		ps_diag(ps, w->col + (unsigned)close + 2,
			"the repeat count of a string must be a plain number");
		return -1;
	}
	return 0;
}

/* bn bytes at *buf repeated rep times. */
static int repeat_bytes(struct parser *ps, const struct word *w, uint64_t rep,
			unsigned char **buf, size_t *bn)
{
	unsigned char *big;

	if (rep == 1)
		return 0;
	if (rep == 0 || *bn == 0 || rep > MAX_BYTES / *bn) {
		ps_diag(ps, w->col, "repeated string is empty or larger than %u bytes",
			MAX_BYTES);
		return -1;
	}
	big = ps_alloc(ps->p, *bn * rep);
	if (!big) {
		ps->nomem = true;
		return -1;
	}
	for (uint64_t k = 0; k < rep; k++)
		memcpy(big + k * *bn, *buf, *bn);
	*buf = big;
	*bn *= rep;
	return 0;
}

int ps_bytes(struct parser *ps, const struct word *w, struct scn_bytes *out)
{
	const char *s = w->s;
	size_t n = w->n, close = 1, bn = 0;
	unsigned char *buf;
	uint64_t rep;
	char b[48];

	ps->col = w->col;
	if (n >= 4 && !memcmp(s, "hex:", 4))
		return bytes_hex(ps, w, out);
	if (!n || s[0] != '"') {
		ps_diag(ps, w->col, "expected %s, got %s", ps_kind_desc(AK_BYTES),
			ps_tok(s, n, b, sizeof(b)));
		return -1;
	}
	/* find the closing quote (the splitter checked that there is one) */
	while (close < n && s[close] != '"') {
		if (s[close] == '\\')
			close++;
		close++;
	}
	if (close >= n) {
		ps_diag(ps, w->col, "unterminated string");
		return -1;
	}
	if (string_repeat(ps, w, close, &rep))
		return -1;
	buf = ps_alloc(ps->p, close + 1);
	if (!buf) {
		ps->nomem = true;
		return -1;
	}
	for (size_t i = 1; i < close; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			ps_diag(ps, w->col + (unsigned)i,
				"control byte 0x%02x in a string: write it as \\x%02x", c, c);
			return -1;
		}
		if (c == '\\') {
			i++;
			if (unescape(ps, w, close, &i, &c))
				return -1;
		}
		buf[bn++] = c;
	}
	if (repeat_bytes(ps, w, rep, &buf, &bn))
		return -1;
	out->p = buf;
	out->n = bn;
	return 0;
}
