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
/*
 * The parser is split by concern: lex.c (arena, diagnostics, words,
 * literals), expr.c (expressions), stmt.c (the command table, arguments,
 * expectations, one line); here the entry points and the statements with a
 * syntax of their own (option lines, page attributes, maps blocks).
 */
#include "parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	{ "pku", SCN_OPT_PKU, 'b' },
	{ "memlock_rlimit", SCN_OPT_MEMLOCK, 's' },
	{ "strict", SCN_OPT_STRICT, 'b' },
};

int ps_option(struct parser *ps)
{
	char b[48], v[64];
	struct scn_options *o = &ps->p->opts;
	const struct word *w = ps->w;
	size_t i;

	if (ps->seen_stmt) {
		ps_diag(ps, w[0].col, "'option' must come before the first statement");
		return -1;
	}
	if (ps->nw != 3) {
		ps_diag(ps, ps->nw < 3 ? w[ps->nw - 1].col + (unsigned)w[ps->nw - 1].n
				    : w[3].col,
			"expected 'option NAME VALUE' (mem, swap, config, ksm, zero_page, pcid_limit, mmap_min_addr, stack_rlimit, pku, memlock_rlimit, strict)");
		return -1;
	}
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (ps_weq(&w[1], options[i].name))
			break;
	if (i == sizeof(options) / sizeof(options[0])) {
		ps_diag(ps, w[1].col, "unknown option %s: expected mem, swap, config, ksm, zero_page, pcid_limit, mmap_min_addr, stack_rlimit, pku, memlock_rlimit or strict",
			ps_tok(w[1].s, w[1].n, b, sizeof(b)));
		return -1;
	}
	if (o->set & options[i].bit) {
		ps_diag(ps, w[1].col, "option %s given twice", options[i].name);
		return -1;
	}
	snprintf(v, sizeof(v), "%.*s", (int)(w[2].n < 60 ? w[2].n : 60), w[2].s);
	switch (options[i].kind) {
	case 's': {
		uint64_t x;

		if (w[2].n > 60 || scn_parse_size(v, &x) ||
		    (options[i].bit == SCN_OPT_MEM && !x) ||
		    (options[i].bit == SCN_OPT_PCID_LIMIT && (!x || x > 4095))) {
			ps_diag(ps, w[2].col, "expected %s, got %s",
				options[i].bit == SCN_OPT_PCID_LIMIT ? "a number 1..4095"
								 : "a size such as 64K or 0x100000",
				ps_tok(w[2].s, w[2].n, b, sizeof(b)));
			return -1;
		}
		switch (options[i].bit) {
		case SCN_OPT_MEM: o->mem_bytes = x; break;
		case SCN_OPT_SWAP: o->swap_bytes = x; break;
		case SCN_OPT_PCID_LIMIT: o->pcid_limit = x; break;
		case SCN_OPT_MIN_ADDR: o->mmap_min_addr = x; break;
		case SCN_OPT_MEMLOCK: o->memlock_rlimit = x; break;
		default: o->stack_rlimit = x; break;
		}
		break;
	}
	case 'b': {
		bool on = ps_weq(&w[2], "on");

		if (!on && !ps_weq(&w[2], "off")) {
			ps_diag(ps, w[2].col, "expected on or off, got %s",
				ps_tok(w[2].s, w[2].n, b, sizeof(b)));
			return -1;
		}
		if (options[i].bit == SCN_OPT_KSM)
			o->ksm = on;
		else if (options[i].bit == SCN_OPT_STRICT)
			o->strict = on;
		else if (options[i].bit == SCN_OPT_ZERO_PAGE)
			o->zero_page = on;
		else
			o->pku = on;
		break;
	}
	default:
		if (w[2].n >= sizeof(o->config)) {
			ps_diag(ps, w[2].col, "configuration name too long");
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
int ps_page_attrs(struct parser *ps, struct scn_stmt *st,
			    unsigned first)
{
	char b[48];

	st->page_ref = -1;
	if (first == ps->nw) {
		ps_diag(ps, ps->w[first - 1].col + (unsigned)ps->w[first - 1].n,
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
				ps_diag(ps, w->col + 4, "expected a reference count after ref=");
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

			ps_diag(ps, w->col, "unknown page attribute %s%s%s%s: expected [!]present, swapped, writable, dirty, accessed, user, nx, ksm, zero, pagecache, swapcache or ref=N",
				ps_tok(w->s, w->n, b, sizeof(b)), sug ? " (did you mean " : "",
				sug ? sug : "", sug ? "?)" : "");
			return -1;
		}
		if ((neg ? st->page_set : st->page_clear) & (1u << k)) {
			ps_diag(ps, w->col, "page attribute %s both wanted and not wanted",
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
		return (*out = ps_expr(ps, s, n, col, AK_ADDR)) ? 0 : -1;
	size_t i = (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 2 : 0;
	uint64_t v = 0;

	if (i == n) {
		ps_diag(ps, col, "expected a hex address or (EXPR), got %s", ps_tok(s, n, b, sizeof(b)));
		return -1;
	}
	for (; i < n; i++) {
		int d = ps_hexval((unsigned char)s[i]);

		if (d < 0 || v >> 60) {
			ps_diag(ps, col, "expected a hex address or (EXPR), got %s",
				ps_tok(s, n, b, sizeof(b)));
			return -1;
		}
		v = v << 4 | (uint64_t)d;
	}
	*out = ps_alloc(ps->p, sizeof(**out));
	if (!*out) {
		ps->nomem = true;
		return -1;
	}
	(*out)->op = E_NUM;
	(*out)->num = v;
	return 0;
}

/* START-END of an expected maps line. */
static int maps_range(struct parser *ps, struct scn_maps_line *m)
{
	const struct word *w = ps->w;
	size_t dash = 0;
	int depth = 0;
	char b[48];

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
		ps_diag(ps, w[0].col, "expected START-END (hex, as in /proc/PID/maps) or '}' to close the maps block, got %s",
			ps_tok(w[0].s, w[0].n, b, sizeof(b)));
		return -1;
	}
	if (parse_bound(ps, w[0].s, dash, w[0].col, &m->start) ||
	    parse_bound(ps, w[0].s + dash + 1, w[0].n - dash - 1,
			w[0].col + (unsigned)dash + 1, &m->end))
		return -1;
	return 0;
}

/* PERMS and the offset */
static int maps_perms(struct parser *ps, struct scn_maps_line *m)
{
	const struct word *w = ps->w;
	char b[48];

	if (ps->nw < 2) {
		ps_diag(ps, w[0].col + (unsigned)w[0].n,
			"expected permissions such as rw-p after the range");
		return -1;
	}
	if (w[1].n != 4 || (w[1].s[0] != 'r' && w[1].s[0] != '-') ||
	    (w[1].s[1] != 'w' && w[1].s[1] != '-') ||
	    (w[1].s[2] != 'x' && w[1].s[2] != '-') ||
	    (w[1].s[3] != 'p' && w[1].s[3] != 's')) {
		ps_diag(ps, w[1].col, "expected permissions [r-][w-][x-][ps] such as rw-p, got %s",
			ps_tok(w[1].s, w[1].n, b, sizeof(b)));
		return -1;
	}
	memcpy(m->perms, w[1].s, 4);
	if (ps->nw > 2) {
		uint64_t v = 0;

		for (size_t i = 0; i < w[2].n; i++) {
			int d = ps_hexval((unsigned char)w[2].s[i]);

			if (d < 0 || v >> 60) {
				ps_diag(ps, w[2].col, "expected a hex file offset such as 00001000, got %s",
					ps_tok(w[2].s, w[2].n, b, sizeof(b)));
				return -1;
			}
			v = v << 4 | (uint64_t)d;
		}
		m->off = v;
		m->nfields = 1;
	}
	return 0;
}

/* DEV, INODE and PATH */
static int maps_file(struct parser *ps, struct scn_maps_line *m)
{
	const struct word *w = ps->w;
	char b[48];

	if (ps->nw > 3) {
		const struct word *d = &w[3];
		bool ok = d->n >= 3 && d->n < sizeof(m->dev);
		size_t colon = 0;

		for (size_t i = 0; ok && i < d->n; i++) {
			if (d->s[i] == ':' && !colon && i)
				colon = i;
			else if (ps_hexval((unsigned char)d->s[i]) < 0)
				ok = false;
		}
		if (!ok || !colon || colon + 1 == d->n) {
			ps_diag(ps, d->col, "expected a device MAJOR:MINOR such as 00:00, got %s",
				ps_tok(d->s, d->n, b, sizeof(b)));
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
				ps_diag(ps, w[4].col, "expected a decimal inode, got %s",
					ps_tok(w[4].s, w[4].n, b, sizeof(b)));
				return -1;
			}
			v = v * 10 + (uint64_t)(w[4].s[i] - '0');
		}
		m->inode = v;
		m->nfields = 3;
	}
	if (ps->nw > 5) {
		const char *from = w[5].s, *to = w[ps->nw - 1].s + w[ps->nw - 1].n;

		m->path = ps_strndup(ps->p, from, (size_t)(to - from));
		if (!m->path) {
			ps->nomem = true;
			return -1;
		}
		m->nfields = 4;
	}
	return 0;
}

int ps_maps_line(struct parser *ps, struct scn_stmt *st)
{
	struct scn_maps_line *m;

	if (st->nmaps == st->capmaps) {
		unsigned cap = st->capmaps ? st->capmaps * 2 : 8;
		struct scn_maps_line *v = ps_alloc(ps->p, cap * sizeof(*v));

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
	if (maps_range(ps, m) || maps_perms(ps, m) || maps_file(ps, m))
		return -1;
	st->nmaps++;
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
	p->name = ps_strndup(p, base, n);
}

/* Every line of text; stops at the first allocation that fails. */
static void parse_lines(struct parser *ps, const char *text, size_t len)
{
	size_t pos = 0;
	char sz[32];

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		ps->line = text + pos;
		ps->len = n;
		ps->lineno++;
		ps->pending_var = -1;
		ps_line(ps);
		if (ps->pending_var >= 0)
			ps->assigned[ps->pending_var] = true;
		if (ps->nomem && ps->p->alloc_capped) {
			ps_diag(ps, ps->col, "parse memory cap exceeded (--max-parse-mem %s)",
				scn_format_size(ps->p->alloc_max + ps->text_bytes, sz,
						sizeof(sz)));
			return;
		}
		if (ps->nomem) {
			ps_diag_file(ps->d, ps->origin, ps->lineno, "out of memory");
			return;
		}
		pos += n + 1;
		if (ps->lineno == 0xffffff) {
			ps_diag_file(ps->d, ps->origin, ps->lineno, "too many lines");
			return;
		}
	}
}

/* Parsing within alloc_max bytes of arena; text_bytes of the cap went to
 * the file's text. */
static int parse_capped(const char *text, size_t len, const char *origin,
			uint64_t alloc_max, uint64_t text_bytes,
			struct scn_program **out, struct scn_diags *d)
{
	struct scn_program *p = calloc(1, sizeof(*p));
	struct parser ps;

	d->count = 0;
	*out = NULL;
	if (!origin)
		origin = "<scenario>";
	if (!p) {
		ps_diag_file(d, origin, 0, "out of memory");
		return -1;
	}
	p->alloc_max = alloc_max;
	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.d = d;
	ps.origin = origin;
	ps.text_bytes = text_bytes;
	p->origin = ps_strndup(p, origin, strlen(origin));
	if (!p->origin) {
		char sz[32];

		if (p->alloc_capped)
			ps_diag_file(d, origin, 0, "parse memory cap exceeded (--max-parse-mem %s)",
				     scn_format_size(alloc_max + text_bytes, sz, sizeof(sz)));
		else
			ps_diag_file(d, origin, 0, "out of memory");
		scn_program_free(p);
		return -1;
	}
	set_name(p);
	parse_lines(&ps, text, len);
	if (ps.maps_open)
		ps_diag_file(d, origin, ps.maps_open->line,
			     "the maps block opened here is not closed: expected '}' before the end of the file");
	for (unsigned i = ps.depth; i > 0; i--)
		ps_diag_file(d, origin, ps.open[i - 1]->line,
			     "the %s block opened here is not closed: expected '}' before the end of the file",
			     ps.open[i - 1]->cmd == C_FORK ? "fork" : "repeat");
	if (d->count) {
		scn_program_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int scn_parse_with(const char *text, size_t len, const char *origin,
		   const struct scn_limits *lim, struct scn_program **out,
		   struct scn_diags *d)
{
	struct scn_limits l;

	scn_limits_resolve(lim, &l);
	return parse_capped(text, len, origin, l.max_parse_bytes, 0, out, d);
}

int scn_parse(const char *text, size_t len, const char *origin,
	      struct scn_program **out, struct scn_diags *d)
{
	return scn_parse_with(text, len, origin, NULL, out, d);
}

/* The whole file into *buf (at most max bytes); 0, or -1 reported. */
static int read_text(FILE *f, const char *path, uint64_t max, char **buf,
		     size_t *n, struct scn_diags *d)
{
	size_t cap = 0, limit = max < SIZE_MAX ? (size_t)max + 1 : SIZE_MAX;
	char sz[32];

	*buf = NULL;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			size_t nc = cap ? (cap > limit / 2 ? limit : cap * 2) : 65536;
			char *nb;

			if (nc > limit)
				nc = limit;
			if (nc == cap) {
				ps_diag_file(d, path, 0, "file larger than the parse memory cap (--max-parse-mem %s)",
					     scn_format_size(max, sz, sizeof(sz)));
				return -1;
			}
			nb = realloc(*buf, nc);
			if (!nb) {
				ps_diag_file(d, path, 0, "out of memory");
				return -1;
			}
			*buf = nb;
			cap = nc;
		}
		size_t got = fread(*buf + *n, 1, cap - *n, f);

		*n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		ps_diag_file(d, path, 0, "read error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int scn_parse_file_with(const char *path, const struct scn_limits *lim,
			struct scn_program **out, struct scn_diags *d)
{
	FILE *f = fopen(path, "rb");
	struct scn_limits l;
	char *buf;
	size_t n;
	int rc;

	d->count = 0;
	*out = NULL;
	if (!f) {
		ps_diag_file(d, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	scn_limits_resolve(lim, &l);
	rc = read_text(f, path, l.max_parse_bytes, &buf, &n, d);
	fclose(f);
	if (!rc)
		rc = parse_capped(buf, n, path, l.max_parse_bytes - n, n, out, d);
	free(buf);
	return rc;
}

int scn_parse_file(const char *path, struct scn_program **out,
		   struct scn_diags *d)
{
	return scn_parse_file_with(path, NULL, out, d);
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
