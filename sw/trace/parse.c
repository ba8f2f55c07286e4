/* SPDX-License-Identifier: MIT */
/*
 * Parsing lackey and din traces into naturally aligned pieces (trace.h).
 *
 * The parser works a line at a time so that files are streamed (a bounded
 * prefix of a huge trace costs only that prefix) and so that a buffer and a
 * file give the same result.  It never trusts its input: every field is
 * checked, overflow included, and a malformed line becomes a message that
 * quotes what was found and says what was expected.
 */
#include "trace_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SIZE 4096u  /* largest access a record may describe */

const char *trace_format_str(enum trace_format f)
{
	switch (f) {
	case TRACE_FMT_LACKEY: return "lackey";
	case TRACE_FMT_DIN: return "din";
	default: return "auto";
	}
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && !memcmp(s + n - k, suf, k);
}

enum trace_format trace_format_of_name(const char *path)
{
	size_t n = strlen(path);

	if (ends_with(path, n, ".gz"))
		n -= 3;
	if (ends_with(path, n, ".lackey"))
		return TRACE_FMT_LACKEY;
	if (ends_with(path, n, ".din"))
		return TRACE_FMT_DIN;
	return TRACE_FMT_AUTO;
}

/* "dir/ls.lackey.gz" -> "ls" */
static void set_name(struct trace *t, const char *origin)
{
	static const char *const exts[] = { ".gz", ".lackey", ".din", ".trace",
					    ".txt" };
	const char *base = strrchr(origin, '/');
	size_t n;

	base = base ? base + 1 : origin;
	n = strlen(base);
	for (size_t k = 0; k < sizeof(exts) / sizeof(exts[0]); k++)
		if (ends_with(base, n, exts[k]) && n > strlen(exts[k]))
			n -= strlen(exts[k]);
	if (n >= sizeof(t->name))
		n = sizeof(t->name) - 1;
	memcpy(t->name, base, n);
	t->name[n] = 0;
}

/* ---- the parser ------------------------------------------------------------- */

/* Pieces are stored (trace_parse), only counted (trace_load's first pass)
 * or handed to emit (trace_each's pass over the file). */
struct parser {
	struct trace *t;
	struct trace_diags *d;
	const char *origin;
	enum trace_format fmt;
	unsigned din_size;
	uint64_t max_records;
	bool done;    /* max_records reached */
	bool nomem;
	bool store;
	int (*emit)(void *ctx, const struct trace_ref *x, uint64_t i);
	void *ctx;
	int stop;     /* what emit returned to stop the walk */
};

static void diag(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *m;

	if (p->d->count++ >= TRACE_MAX_DIAGS)
		return;
	m = p->d->msg[p->d->count - 1];
	n = snprintf(m, TRACE_DIAG_LEN, "%s:%llu: ", p->origin,
		     (unsigned long long)p->t->lines);
	if (n < 0 || n >= TRACE_DIAG_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(m + n, TRACE_DIAG_LEN - (size_t)n, fmt, ap);
	va_end(ap);
}

/* What was found, printable and short: 'zz,4' or 'end of line'. */
static const char *quote(const char *s, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	if (!n) {
		snprintf(buf, len, "the end of the line");
		return buf;
	}
	buf[o++] = '\'';
	for (size_t i = 0; i < n && o + 8 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 24) {
			o += (size_t)snprintf(buf + o, len - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	snprintf(buf + o, len - o, "'");
	return buf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* A hexadecimal number with an optional 0x at s[*i]; false when there are
 * no digits; *ovf when it does not fit in 64 bits. */
static bool get_hex(const char *s, size_t n, size_t *i, uint64_t *v,
		    bool *ovf)
{
	size_t k = *i, start;

	*v = 0;
	*ovf = false;
	if (k + 1 < n && s[k] == '0' && (s[k + 1] == 'x' || s[k + 1] == 'X') &&
	    k + 2 < n && hexval(s[k + 2]) >= 0)
		k += 2;
	start = k;
	for (; k < n && hexval(s[k]) >= 0; k++) {
		if (*v >> 60)
			*ovf = true;
		*v = (*v << 4) | (uint64_t)hexval(s[k]);
	}
	if (k == start)
		return false;
	*i = k;
	return true;
}

static bool get_dec(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t k = *i;

	*v = 0;
	for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
		if (*v > 1000000)
			*v = 1000000; /* saturate: only range-checked */
		else
			*v = *v * 10 + (uint64_t)(s[k] - '0');
	}
	if (k == *i)
		return false;
	*i = k;
	return true;
}

static void skip_space(const char *s, size_t n, size_t *i)
{
	while (*i < n && is_space(s[*i]))
		(*i)++;
}

struct push_ctx {
	struct parser *p;
	enum trace_op op;
};

static void push(struct parser *p, uint64_t addr, enum trace_op op,
		 unsigned size)
{
	struct trace *t = p->t;
	struct trace_ref x = { .addr = addr, .op = (uint8_t)op,
			       .size = (uint8_t)size,
			       .line = t->lines < UINT32_MAX ? (uint32_t)t->lines
							     : UINT32_MAX };

	if (p->nomem || p->stop)
		return;
	if (p->emit) {
		p->stop = p->emit(p->ctx, &x, t->n++);
		return;
	}
	if (!p->store) {
		t->n++;
		return;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		struct trace_ref *r = realloc(t->ref, cap * sizeof(*r));

		if (!r) {
			p->nomem = true;
			return;
		}
		t->ref = r;
		t->cap = cap;
	}
	t->ref[t->n++] = x;
}

static void push_piece(void *ctx, uint64_t addr, unsigned size)
{
	struct push_ctx *c = ctx;

	push(c->p, addr, c->op, size);
}

/* One access of size bytes: its pieces; returns how many. */
static unsigned add_access(struct parser *p, enum trace_op op, uint64_t addr,
			   uint64_t size)
{
	struct push_ctx c = { p, op };

	return trace_split(addr, size, push_piece, &c);
}

static void count_record(struct parser *p)
{
	p->t->records++;
	if (p->max_records && p->t->records >= p->max_records)
		p->done = true;
}

/* A valgrind message line: "==123== ..." or "--123-- ...". */
static bool valgrind_line(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 5 || (s[0] != '=' && s[0] != '-') || s[1] != s[0])
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 2 && i + 1 < n && s[i] == s[0] && s[i + 1] == s[0];
}

/* Address and size checks common to both formats. */
static bool check_range(struct parser *p, uint64_t addr, uint64_t size)
{
	if (size > 0 && addr + (size - 1) < addr) {
		diag(p, "the access at %#llx of %llu bytes wraps past the top "
		     "of the address space; expected it to end at or below "
		     "0xffffffffffffffff", (unsigned long long)addr,
		     (unsigned long long)size);
		return false;
	}
	return true;
}

static const char lackey_expect[] =
	"expected a lackey record 'I  ADDR,SIZE', ' L ADDR,SIZE', "
	"' S ADDR,SIZE' or ' M ADDR,SIZE' (hexadecimal ADDR, decimal SIZE), "
	"or a valgrind '==PID==' line";

static void lackey_line(struct parser *p, const char *s, size_t n)
{
	size_t i = 0;
	uint64_t addr, size;
	unsigned pieces;
	bool ovf;
	char kind, q[128];

	skip_space(s, n, &i);
	kind = i < n ? s[i] : 0;
	if (kind != 'I' && kind != 'L' && kind != 'S' && kind != 'M') {
		diag(p, "unknown record %s; %s", quote(s + i, n - i, q,
		     sizeof(q)), lackey_expect);
		return;
	}
	i++;
	if (i >= n || !is_space(s[i])) {
		diag(p, "found %s after '%c'; expected white space, then "
		     "ADDR,SIZE", quote(s + i, n - i, q, sizeof(q)), kind);
		return;
	}
	skip_space(s, n, &i);
	if (!get_hex(s, n, &i, &addr, &ovf)) {
		diag(p, "found %s after '%c'; expected a hexadecimal address",
		     quote(s + i, n - i, q, sizeof(q)), kind);
		return;
	}
	if (ovf) {
		diag(p, "the address does not fit in 64 bits; expected at most "
		     "16 hexadecimal digits");
		return;
	}
	if (i >= n || s[i] != ',') {
		diag(p, "found %s after the address; expected ',' and a "
		     "decimal size", quote(s + i, n - i, q, sizeof(q)));
		return;
	}
	i++;
	if (!get_dec(s, n, &i, &size)) {
		diag(p, "found %s after the comma; expected a decimal size "
		     "(1..%u)", quote(s + i, n - i, q, sizeof(q)), MAX_SIZE);
		return;
	}
	if (size < 1 || size > MAX_SIZE) {
		diag(p, "size %llu%s out of range; expected 1..%u bytes",
		     (unsigned long long)size, size >= 1000000 ? "+" : "",
		     MAX_SIZE);
		return;
	}
	skip_space(s, n, &i);
	if (i < n) {
		diag(p, "found %s after the size; expected the end of the line",
		     quote(s + i, n - i, q, sizeof(q)));
		return;
	}
	if (!check_range(p, addr, size))
		return;
	switch (kind) {
	case 'I': pieces = add_access(p, TRACE_FETCH, addr, size); break;
	case 'L': pieces = add_access(p, TRACE_LOAD, addr, size); break;
	case 'S': pieces = add_access(p, TRACE_STORE, addr, size); break;
	default: /* M: read, modify, write back */
		pieces = add_access(p, TRACE_LOAD, addr, size);
		add_access(p, TRACE_STORE, addr, size);
	}
	p->t->split_records += pieces > 1;
	count_record(p);
}

static const char din_expect[] =
	"expected a din record 'LABEL ADDRESS' with LABEL 0 (read), 1 (write), "
	"2 (instruction fetch), 3 (unknown access, skipped) or 4 (cache "
	"flush) and a hexadecimal ADDRESS";

static void din_line(struct parser *p, const char *s, size_t n)
{
	size_t i = 0, l0;
	uint64_t label, addr;
	bool ovf;
	char q[128];

	skip_space(s, n, &i);
	l0 = i;
	if (!get_dec(s, n, &i, &label)) {
		diag(p, "found %s; %s", quote(s + i, n - i, q, sizeof(q)),
		     din_expect);
		return;
	}
	if (label > 4) {
		diag(p, "label %s is not a din label; expected 0 (read), 1 "
		     "(write), 2 (instruction fetch), 3 (unknown) or 4 (flush)",
		     quote(s + l0, i - l0, q, sizeof(q)));
		return;
	}
	if (i >= n || !is_space(s[i])) {
		diag(p, "found %s after the label; expected white space and a "
		     "hexadecimal address", quote(s + i, n - i, q, sizeof(q)));
		return;
	}
	skip_space(s, n, &i);
	if (!get_hex(s, n, &i, &addr, &ovf)) {
		diag(p, "found %s after label %llu; expected a hexadecimal "
		     "address", quote(s + i, n - i, q, sizeof(q)),
		     (unsigned long long)label);
		return;
	}
	if (ovf) {
		diag(p, "the address does not fit in 64 bits; expected at most "
		     "16 hexadecimal digits");
		return;
	}
	if (i < n && !is_space(s[i])) {
		diag(p, "found %s after the address; expected white space (the "
		     "rest of a din line is a comment) or the end of the line",
		     quote(s + i, n - i, q, sizeof(q)));
		return;
	}
	if (label < 3 && !check_range(p, addr, p->din_size))
		return;
	switch (label) {
	case 0: p->t->split_records +=
		add_access(p, TRACE_LOAD, addr, p->din_size) > 1; break;
	case 1: p->t->split_records +=
		add_access(p, TRACE_STORE, addr, p->din_size) > 1; break;
	case 2: p->t->split_records +=
		add_access(p, TRACE_FETCH, addr, p->din_size) > 1; break;
	case 3: p->t->misc_records++; break;
	default:
		push(p, 0, TRACE_FLUSH, 0);
		p->t->flushes++;
	}
	count_record(p);
}

/* The first line with content decides an automatic format. */
static bool detect(struct parser *p, const char *s, size_t n)
{
	size_t i = 0;

	skip_space(s, n, &i);
	if (i < n && (s[i] == 'I' || s[i] == 'L' || s[i] == 'S' || s[i] == 'M'))
		p->fmt = TRACE_FMT_LACKEY;
	else if (i < n && s[i] >= '0' && s[i] <= '9')
		p->fmt = TRACE_FMT_DIN;
	else {
		char q[128];

		diag(p, "cannot tell the format from %s; expected a lackey "
		     "record (' L 1ffefff8,8') or a din record ('0 7ffc1230'), "
		     "or name the file *.lackey or *.din",
		     quote(s + i, n - i, q, sizeof(q)));
		return false;
	}
	p->t->format = p->fmt;
	return true;
}

static void parse_line(struct parser *p, const char *s, size_t n)
{
	size_t i = 0;

	if (p->done) {
		p->t->truncated = true;
		return;
	}
	p->t->lines++;
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	skip_space(s, n, &i);
	if (i == n) {
		p->t->skipped_lines++;
		return;
	}
	if (valgrind_line(s + i, n - i)) {
		p->t->skipped_lines++;
		if (p->fmt == TRACE_FMT_AUTO) {
			p->fmt = TRACE_FMT_LACKEY;
			p->t->format = p->fmt;
		}
		return;
	}
	if (p->fmt == TRACE_FMT_AUTO && !detect(p, s, n))
		return;
	if (p->fmt == TRACE_FMT_LACKEY)
		lackey_line(p, s, n);
	else
		din_line(p, s, n);
}

static int parser_init(struct parser *p, const char *origin,
		       const struct trace_parse_opts *o, struct trace_diags *d)
{
	memset(p, 0, sizeof(*p));
	memset(d, 0, sizeof(*d));
	p->d = d;
	p->origin = origin;
	p->fmt = o ? o->format : TRACE_FMT_AUTO;
	if (p->fmt == TRACE_FMT_AUTO)
		p->fmt = trace_format_of_name(origin);
	p->din_size = o && o->din_size ? o->din_size : 4;
	p->max_records = o ? o->max_records : 0;
	if (p->din_size > MAX_SIZE) {
		snprintf(d->msg[0], TRACE_DIAG_LEN, "%s: din access size %u "
			 "out of range; expected 1..%u", origin, p->din_size,
			 MAX_SIZE);
		d->count = 1;
		return -1;
	}
	p->t = calloc(1, sizeof(*p->t));
	if (!p->t) {
		snprintf(d->msg[0], TRACE_DIAG_LEN, "%s: out of memory", origin);
		d->count = 1;
		return -1;
	}
	p->t->format = p->fmt;
	set_name(p->t, origin);
	return 0;
}

static int parser_finish(struct parser *p, struct trace **out)
{
	if (p->nomem && p->d->count < TRACE_MAX_DIAGS)
		snprintf(p->d->msg[p->d->count++], TRACE_DIAG_LEN,
			 "%s: out of memory after %llu records", p->origin,
			 (unsigned long long)p->t->records);
	if (p->d->count) {
		trace_free(p->t);
		*out = NULL;
		return -1;
	}
	if (p->t->format == TRACE_FMT_AUTO)
		p->t->format = TRACE_FMT_LACKEY; /* empty: nothing to tell */
	*out = p->t;
	return 0;
}

int trace_parse(const char *text, size_t len, const char *origin,
		const struct trace_parse_opts *opts, struct trace **out,
		struct trace_diags *d)
{
	struct parser p;
	size_t i = 0;

	*out = NULL;
	if (parser_init(&p, origin, opts, d))
		return -1;
	p.store = true;
	while (i < len && !p.nomem) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;

		parse_line(&p, text + i, e - i);
		if (p.done && p.t->truncated)
			break;
		i = e + 1;
	}
	return parser_finish(&p, out);
}

/* ---- files -------------------------------------------------------------------- */

/* `gzip -dc -- path` with its output on a pipe. */
static FILE *open_gzip(const char *path, pid_t *pid)
{
	int fd[2];
	FILE *f;

	if (pipe(fd))
		return NULL;
	*pid = fork();
	if (*pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp("gzip", "gzip", "-dc", "--", path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	if (!f)
		close(fd[0]);
	return f;
}

static void io_diag(struct trace_diags *d, const char *path, const char *fmt,
		    const char *what)
{
	char *m = d->msg[d->count < TRACE_MAX_DIAGS ? d->count : 0];
	int n = snprintf(m, TRACE_DIAG_LEN, "%s: ", path);

	if (n > 0 && n < TRACE_DIAG_LEN)
		snprintf(m + n, TRACE_DIAG_LEN - (size_t)n, fmt, what);
	d->count++;
}

/* Parse the file line by line into p (gzip through a pipe); I/O errors
 * become diagnostics. */
static void parse_file(struct parser *p, const char *path)
{
	struct trace_diags *d = p->d;
	struct stat sb;
	bool gz = ends_with(path, strlen(path), ".gz");
	pid_t pid = -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int status = 0;

	if (stat(path, &sb)) {
		io_diag(d, path, "cannot open: %s", strerror(errno));
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		io_diag(d, path, "cannot open: %s", "not a regular file");
		return;
	}
	f = gz ? open_gzip(path, &pid) : fopen(path, "r");
	if (!f) {
		io_diag(d, path, "cannot open: %s", strerror(errno));
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	while (!p->nomem && !p->stop && (n = getline(&line, &cap, f)) >= 0) {
		parse_line(p, line, (size_t)n);
		if (p->done && p->t->truncated)
			break;
	}
	if (ferror(f))
		io_diag(d, path, "read error: %s", strerror(errno));
	free(line);
	fclose(f); /* gzip gets SIGPIPE if it still had output */
	if (pid > 0 && waitpid(pid, &status, 0) == pid && !p->t->truncated &&
	    !p->stop && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		char what[64];

		snprintf(what, sizeof(what), "exit status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
			 (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
		io_diag(d, path, "gzip -dc failed (%s); expected a gzip file",
			what);
	}
}

/* A file is read twice or more and never held: this pass checks and
 * counts it; trace_each parses it again for each walk. */
int trace_load(const char *path, const struct trace_parse_opts *opts,
	       struct trace **out, struct trace_diags *d)
{
	struct parser p;

	*out = NULL;
	if (parser_init(&p, path, opts, d))
		return -1;
	parse_file(&p, path);
	if (!d->count) {
		p.t->path = strdup(path);
		if (!p.t->path)
			p.nomem = true;
		if (opts)
			p.t->opts = *opts;
		p.t->opts.format = p.t->format;
	}
	return parser_finish(&p, out);
}

int trace_each(const struct trace *t,
	       int (*fn)(void *ctx, const struct trace_ref *x, uint64_t i),
	       void *ctx, char *err, size_t errlen)
{
	struct trace again;
	struct trace_diags d;
	struct parser p;

	if (!t->path) {
		for (size_t i = 0; i < t->n; i++) {
			int rc = fn(ctx, &t->ref[i], i);

			if (rc)
				return rc;
		}
		return 0;
	}
	if (parser_init(&p, t->path, &t->opts, &d))
		return k_trace_err(err, errlen, "%s", d.msg[0]);
	trace_free(p.t);
	memset(&again, 0, sizeof(again));
	p.t = &again;
	p.emit = fn;
	p.ctx = ctx;
	parse_file(&p, t->path);
	if (p.stop)
		return p.stop;
	if (d.count)
		return k_trace_err(err, errlen, "%s", d.msg[0]);
	if (again.n != t->n)
		return k_trace_err(err, errlen, "%s: %llu pieces where the first "
				   "reading found %llu: the file changed",
				   t->path, (unsigned long long)again.n,
				   (unsigned long long)t->n);
	return 0;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	free(t->ref);
	free(t->path);
	free(t);
}

unsigned trace_split(uint64_t addr, uint64_t size,
		     void (*fn)(void *ctx, uint64_t addr, unsigned size),
		     void *ctx)
{
	unsigned pieces = 0;

	while (size) {
		unsigned s = 8;

		while (s > 1 && ((addr & (s - 1)) || s > size))
			s >>= 1;
		fn(ctx, addr, s);
		pieces++;
		addr += s;
		size -= s;
	}
	return pieces;
}
