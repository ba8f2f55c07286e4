/* SPDX-License-Identifier: MIT */
/*
 * Inside the scenario parser: its state, the words of a line, and the
 * pieces lex.c, expr.c, stmt.c and parse.c share.
 */
#ifndef MMU_PARSE_INT_H
#define MMU_PARSE_INT_H

#include "scn_int.h"

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
	unsigned col;      /* the word being parsed, for limits */
	unsigned stmt_col; /* the line's first word */
	uint64_t text_bytes; /* of --max-parse-mem, what the file's text took */
};

struct scn_arena {
	struct scn_arena *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

/* lex.c */
void *ps_alloc(struct scn_program *p, size_t n);
char *ps_strndup(struct scn_program *p, const char *s, size_t n);
/* "origin:line:col: message" then the line quoted with a caret. */
void ps_diag(struct parser *ps, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ps_diag_file(struct scn_diags *d, const char *origin, unsigned line,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A token for messages: the word, cut and made printable. */
const char *ps_tok(const char *s, size_t n, char *buf, size_t len);
bool ps_weq(const struct word *w, const char *s);
/* Split the line into words; 0, or -1 after reporting. */
int ps_split(struct parser *ps);
int ps_var_index(struct parser *ps, const char *s, size_t n, unsigned col);
/* A whole word "$name"; returns the index or -1 (reported). */
int ps_var_word(struct parser *ps, const struct word *w);
bool ps_ident_start(int c);
bool ps_ident_char(int c);
int ps_digit(int c);       /* 0..35, or 99 */
int ps_hexval(int c);      /* 0..15, or -1 */
/* "text"[*N] or hex:0011..; returns 0 or -1 (reported). */
int ps_bytes(struct parser *ps, const struct word *w, struct scn_bytes *out);

/* expr.c */
const char *ps_kind_desc(enum scn_argk k);
const char *ps_kind_name(enum scn_argk k);
/* The whole of s[0..n) as an expression of kind k; NULL after reporting. */
struct scn_expr *ps_expr(struct parser *ps, const char *s, size_t n,
			 unsigned col, enum scn_argk k);
bool ps_expr_const(const struct scn_expr *e, uint64_t *v);

/* stmt.c */
int ps_line(struct parser *ps);
int ps_arg(struct parser *ps, const struct word *w, enum scn_argk k,
	   struct scn_arg *a);

/* parse.c */
int ps_option(struct parser *ps);
int ps_page_attrs(struct parser *ps, struct scn_stmt *st, unsigned first);
int ps_maps_line(struct parser *ps, struct scn_stmt *st);

#endif
