/* SPDX-License-Identifier: MIT */
/*
 * Reading summary.tsv and sweep.tsv.  Both may be merged from several
 * shards, so a header line may appear again in the middle of a file (and a
 * summary header may even name other columns: each header line sets the
 * column map for the rows after it).  A line that cannot be used is
 * skipped and recorded as "file:line" with the reason; the reader never
 * gives up on a file because of its content.  Blank lines are skipped
 * silently (a trailing newline is not a defect).
 */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUM_COL_ENTRY(id, name, head, type, tip) { name, head, type, tip },
const struct sum_colinfo sum_cols[SUM_NCOLS] = { SUMMARY_COLUMNS(SUM_COL_ENTRY) };
#undef SUM_COL_ENTRY

/* Fields kept per line: enough for every known column plus the extras. */
#define MAX_FIELDS 64

/* ---- diagnostics ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void report_diag_add(struct report_diags *d, const char *path,
		     unsigned long line, const char *why)
{
	d->malformed++;
	if (d->n >= REPORT_MAX_DIAGS)
		return;
	snprintf(d->d[d->n].where, sizeof(d->d[d->n].where), "%.80s:%lu",
		 base_name(path), line);
	snprintf(d->d[d->n].why, sizeof(d->d[d->n].why), "%s", why);
	d->n++;
}

/* ---- fields ----------------------------------------------------------------- */

size_t tsv_split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (n < max)
			field[n] = p;
		n++;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

bool tsv_number(const char *s, double *v)
{
	char *end;

	if (!strcmp(s, "-")) {
		*v = NAN;
		return true;
	}
	/* strtod would skip leading blanks and read "nan", "inf" and hex:
	 * the files hold plain decimals only. */
	if (!*s || strspn(s, "+-0123456789.eE") != strlen(s))
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && errno != ERANGE && isfinite(*v);
}

bool tsv_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (x > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return true;
}

/* ---- reading lines ---------------------------------------------------------- */

struct reader {
	const char *path;
	FILE *f;
	char *line;
	size_t cap;
	unsigned long lineno;
	struct report_diags *diags;
};

/* Open path, or explain in note why not (NULL, missing, unreadable). */
static FILE *open_input(const char *path, const char *what, char *note,
			size_t notelen)
{
	FILE *f;

	if (!path) {
		snprintf(note, notelen, "no %s file given", what);
		return NULL;
	}
	f = fopen(path, "r");
	if (!f)
		snprintf(note, notelen, "%s file %s: %s", what, path,
			 errno == ENOENT ? "not found" : strerror(errno));
	return f;
}

/*
 * The next non-blank line without its end of line, or NULL at the end.
 * A line holding a NUL byte is recorded as malformed and skipped: every
 * later step works on C strings.
 */
static char *next_line(struct reader *r)
{
	ssize_t len;

	while ((len = getline(&r->line, &r->cap, r->f)) >= 0) {
		r->lineno++;
		if (memchr(r->line, '\0', (size_t)len)) {
			report_diag_add(r->diags, r->path, r->lineno, "NUL byte");
			continue;
		}
		while (len > 0 && (r->line[len - 1] == '\n' ||
				   r->line[len - 1] == '\r'))
			r->line[--len] = '\0';
		if (len == 0 || strspn(r->line, " \t") == (size_t)len)
			continue;
		return r->line;
	}
	return NULL;
}

/* Close the reader; a read error (as opposed to the end) becomes a note. */
static void close_reader(struct reader *r, char *note, size_t notelen)
{
	if (ferror(r->f))
		snprintf(note, notelen, "read error in %s after line %lu",
			 r->path, r->lineno);
	fclose(r->f);
	free(r->line);
}

/* ---- summary.tsv ------------------------------------------------------------ */

/* Where each known column is in the current header (-1: absent). */
struct sum_map {
	bool have;
	int pos[SUM_NCOLS];
	size_t need;   /* fields a row must have: last known column + 1 */
};

/* A header names both "name" and "check"; a data row cannot, since its
 * check column holds a verdict. */
static bool is_summary_header(char **f, size_t n)
{
	bool name = false, check = false;

	for (size_t i = 0; i < n; i++) {
		name |= !strcmp(f[i], "name");
		check |= !strcmp(f[i], "check");
	}
	return name && check;
}

static void map_header(struct sum_map *m, char **f, size_t n)
{
	m->have = true;
	m->need = 0;
	for (int c = 0; c < SUM_NCOLS; c++) {
		m->pos[c] = -1;
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(f[i], sum_cols[c].name)) {
				m->pos[c] = (int)i;
				if (i + 1 > m->need)
					m->need = i + 1;
				break;
			}
		}
	}
}

/* Fill a row from the fields of one line; why says what is wrong. */
static bool fill_row(struct sum_row *row, const struct sum_map *m, char **f,
		     size_t n, const char **why)
{
	if (n < m->need) {
		*why = "fewer fields than the header";
		return false;
	}
	for (int c = 0; c < SUM_NCOLS; c++) {
		const char *s = m->pos[c] >= 0 ? f[m->pos[c]] : "-";

		row->f[c] = s;
		row->v[c] = NAN;
		if (sum_cols[c].type != ST_TEXT && !tsv_number(s, &row->v[c])) {
			*why = "a number column holds text";
			return false;
		}
	}
	return true;
}

static int summary_line(struct summary *s, struct sum_map *m, struct reader *r)
{
	char *f[MAX_FIELDS], *copy;
	void *p;
	const char *why = NULL;
	size_t n;
	struct sum_row *row;

	copy = strdup(r->line);
	if (!copy)
		return TSV_NOMEM;
	n = tsv_split(copy, f, MAX_FIELDS);
	if (n > MAX_FIELDS)
		n = MAX_FIELDS;
	if (is_summary_header(f, n)) {
		map_header(m, f, n);
		free(copy);
		return 0;
	}
	p = report_grow(s->row, &s->cap, s->n, sizeof(*s->row));
	if (!p) {
		free(copy);
		return TSV_NOMEM;
	}
	s->row = p;
	row = &s->row[s->n];
	if (!m->have)
		why = "before the header line";
	else if (fill_row(row, m, f, n, &why)) {
		row->line = copy;
		row->order = s->n++;
		return 0;
	}
	report_diag_add(r->diags, r->path, r->lineno, why);
	free(copy);
	return 0;
}

int tsv_read_summary(const char *path, struct summary *s,
		     struct report_diags *d, char *note, size_t notelen)
{
	struct reader r = { .path = path, .diags = d };
	struct sum_map m = { .have = false };
	int rc = TSV_OK;

	note[0] = '\0';
	r.f = open_input(path, "summary", note, notelen);
	if (!r.f)
		return TSV_MISSING;
	while (rc == TSV_OK && next_line(&r))
		rc = summary_line(s, &m, &r);
	close_reader(&r, note, notelen);
	return rc;
}

void summary_free(struct summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->row[i].line);
	free(s->row);
	memset(s, 0, sizeof(*s));
}

/* ---- sweep.tsv -------------------------------------------------------------- */

/* The index of a trace name, added on first sight; -1 when out of memory. */
static long intern_trace(struct sweep *s, const char *name)
{
	void *p;

	for (size_t i = 0; i < s->ntrace; i++)
		if (!strcmp(s->trace[i], name))
			return (long)i;
	p = report_grow(s->trace, &s->tcap, s->ntrace, sizeof(*s->trace));
	if (!p)
		return -1;
	s->trace = p;
	s->trace[s->ntrace] = strdup(name);
	if (!s->trace[s->ntrace])
		return -1;
	return (long)s->ntrace++;
}

/* Parse the fields of a data line into row; NULL or the reason it fails. */
static const char *parse_sweep(char **f, size_t n, struct sweep_row *row)
{
	bool ok;

	if (n < 7)
		return "fewer than 7 fields";
	if (!strcmp(f[0], "tlb"))
		row->kind = SWEEP_TLB;
	else if (!strcmp(f[0], "l1"))
		row->kind = SWEEP_L1;
	else if (!strcmp(f[0], "mem"))
		row->kind = SWEEP_MEM;
	else
		return "unknown kind (not tlb, l1 or mem)";
	if (!f[1][0])
		return "empty trace name";
	row->b = 0;
	row->policy[0] = '\0';
	ok = tsv_u64(f[2], &row->a) && tsv_u64(f[4], &row->c) &&
	     tsv_u64(f[5], &row->d) && tsv_u64(f[6], &row->e);
	if (row->kind == SWEEP_MEM) {
		if (!f[3][0] || strlen(f[3]) >= sizeof(row->policy))
			return "policy name empty or too long";
		memcpy(row->policy, f[3], strlen(f[3]) + 1);
	} else {
		ok = ok && tsv_u64(f[3], &row->b);
	}
	if (!ok)
		return "a count is not a decimal number";
	if (row->kind == SWEEP_MEM)
		return row->a ? NULL : "zero frames";
	/* A miss rate needs lookups, and a log2 axis a positive size. */
	if (!row->c || !row->d)
		return "zero size or zero lookups";
	if (row->e > row->d)
		return "more misses than lookups";
	return NULL;
}

static int sweep_line(struct sweep *s, struct reader *r)
{
	char *f[MAX_FIELDS];
	const char *why;
	struct sweep_row row;
	long t;
	void *p;
	size_t n = tsv_split(r->line, f, MAX_FIELDS);

	if (n > MAX_FIELDS)
		n = MAX_FIELDS;
	if (!strcmp(f[0], "kind"))
		return 0;   /* a header, first or from another shard */
	why = parse_sweep(f, n, &row);
	if (why) {
		report_diag_add(r->diags, r->path, r->lineno, why);
		return 0;
	}
	t = intern_trace(s, f[1]);
	if (t < 0)
		return TSV_NOMEM;
	p = report_grow(s->row, &s->cap, s->n, sizeof(*s->row));
	if (!p)
		return TSV_NOMEM;
	s->row = p;
	row.trace = (size_t)t;
	s->row[s->n++] = row;
	return 0;
}

int tsv_read_sweep(const char *path, struct sweep *s, struct report_diags *d,
		   char *note, size_t notelen)
{
	struct reader r = { .path = path, .diags = d };
	int rc = TSV_OK;

	note[0] = '\0';
	r.f = open_input(path, "sweep", note, notelen);
	if (!r.f)
		return TSV_MISSING;
	while (rc == TSV_OK && next_line(&r))
		rc = sweep_line(s, &r);
	close_reader(&r, note, notelen);
	return rc;
}

void sweep_free(struct sweep *s)
{
	for (size_t i = 0; i < s->ntrace; i++)
		free(s->trace[i]);
	free(s->trace);
	free(s->row);
	memset(s, 0, sizeof(*s));
}
