/* SPDX-License-Identifier: MIT */
/*
 * Streams (regress.h): a seed's machine calls recorded by a machine that
 * forwards to the golden model and keeps each call, their file, and their
 * replay on any back end -- what the shrinker (shrink.c) runs.
 */
#include "regress.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_HEADER "# mmu stream v1"
#define DONE_MSG "stream: recorded enough calls"

void regress_stream_free(struct regress_stream *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->call[i].data);
	free(s->call);
	free(s);
}

/* A new call at the end (zeroed), or NULL without memory or room. */
static struct regress_call *append(struct regress_stream *s)
{
	if (s->n == REGRESS_STREAM_MAX_CALLS)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct regress_call *c = realloc(s->call, cap * sizeof(*c));

		if (!c)
			return NULL;
		s->call = c;
		s->cap = cap;
	}
	memset(&s->call[s->n], 0, sizeof(s->call[0]));
	return &s->call[s->n++];
}

/* ---- recording ------------------------------------------------------------ */

struct recorder {
	struct machine base;
	struct machine *inner;
	struct regress_stream *s;
	uint64_t limit;
};

static struct recorder *to_rec(struct machine *m)
{
	return (struct recorder *)m;
}

/* The next call's slot, or NULL (with the error set) once the limit is
 * reached: the generator then stops. */
static struct regress_call *rec_next(struct machine *m,
				     enum regress_call_kind k)
{
	struct recorder *r = to_rec(m);
	struct regress_call *c = r->s->n < r->limit ? append(r->s) : NULL;

	if (!c) {
		mmu_errf(m->err, sizeof(m->err), MMU_EBACKEND, DONE_MSG);
		return NULL;
	}
	c->kind = k;
	return c;
}

static int rec_rc(struct machine *m, int rc)
{
	if (rc)
		snprintf(m->err, sizeof(m->err), "%s", to_rec(m)->inner->err);
	return rc;
}

static int rec_access(struct machine *m, const struct mmu_req *req,
		      struct mmu_outcome *out)
{
	struct regress_call *c = rec_next(m, RCALL_ACCESS);

	if (!c)
		return MMU_EBACKEND;
	c->req = *req;
	return rec_rc(m, machine_access(to_rec(m)->inner, req, out));
}

static int rec_ctl(struct machine *m, const struct mmu_ctl *k,
		   enum mmu_ctl_result *res)
{
	struct regress_call *c = rec_next(m, RCALL_CTL);

	if (!c)
		return MMU_EBACKEND;
	c->ctl = *k;
	return rec_rc(m, machine_ctl(to_rec(m)->inner, k, res));
}

static int rec_read(struct machine *m, enum regress_call_kind k, uint64_t pa,
		    void *buf, size_t len)
{
	struct regress_call *c = len <= REGRESS_STREAM_MAX_LEN ?
				 rec_next(m, k) : NULL;
	struct machine *in = to_rec(m)->inner;

	if (!c)
		return MMU_EBACKEND;
	c->pa = pa;
	c->len = (uint32_t)len;
	return rec_rc(m, k == RCALL_PHYS_READ ? machine_phys_read(in, pa, buf, len)
				 : machine_mem_peek(in, pa, buf, len));
}

static int rec_phys_read(struct machine *m, uint64_t pa, void *buf, size_t n)
{
	return rec_read(m, RCALL_PHYS_READ, pa, buf, n);
}

static int rec_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t n)
{
	return rec_read(m, RCALL_MEM_PEEK, pa, buf, n);
}

static int rec_phys_write(struct machine *m, uint64_t pa, const void *buf,
			  size_t len)
{
	struct regress_call *c = len <= REGRESS_STREAM_MAX_LEN ?
				 rec_next(m, RCALL_PHYS_WRITE) : NULL;

	if (!c || !(c->data = malloc(len ? len : 1)))
		return MMU_EBACKEND;
	memcpy(c->data, buf, len);
	c->pa = pa;
	c->len = (uint32_t)len;
	return rec_rc(m, machine_phys_write(to_rec(m)->inner, pa, buf, len));
}

static void rec_regs(struct machine *m, struct mmu_regs *r)
{
	machine_regs(to_rec(m)->inner, r);
}

static void rec_counters(struct machine *m, struct mmu_counters *c)
{
	machine_counters(to_rec(m)->inner, c);
}

static void rec_destroy(struct machine *m)
{
	machine_destroy(to_rec(m)->inner);
	free(m);
}

static const struct machine_ops recorder_ops = {
	.name = "golden+recorder",
	.access = rec_access, .ctl = rec_ctl, .phys_read = rec_phys_read,
	.phys_write = rec_phys_write, .mem_peek = rec_mem_peek,
	.regs = rec_regs, .counters = rec_counters, .destroy = rec_destroy,
};

int regress_record(const struct regress_seed_opts *o, uint64_t seed,
		   uint64_t max_calls, struct regress_stream **out, char *err,
		   size_t errlen)
{
	struct regress_gen_opts go = { .mix = REGRESS_CHECKED };
	struct recorder *r = calloc(1, sizeof(*r));
	struct regress_stream *s = calloc(1, sizeof(*s));
	struct regress_gen *g = NULL;
	int rc = r && s ? machine_open("golden", o->cfg, 0, NULL, &r->inner,
				       err, errlen) : MMU_ENOMEM;

	if (!rc) {
		r->base = (struct machine){ .ops = &recorder_ops,
					    .cfg = r->inner->cfg,
					    .mem_bytes = r->inner->mem_bytes };
		r->s = s;
		r->limit = max_calls;
		rc = regress_gen_new(&r->base, seed, &go, &g, err, errlen);
	}
	if (!rc)
		rc = regress_gen_run(g, o->steps);
	/* stopping at the limit is the plan, not a failure */
	if (rc && s && s->n == max_calls && max_calls)
		rc = 0;
	else if (rc && g)
		snprintf(err, errlen, "%s", regress_gen_error(g));
	regress_gen_free(g);
	if (r && r->inner)
		machine_destroy(&r->base);
	else
		free(r);
	if (rc) {
		regress_stream_free(s);
		return rc == MMU_ENOMEM ? mmu_errf(err, errlen, rc,
			"stream: out of host memory") : rc;
	}
	*out = s;
	return 0;
}

/* ---- the file ------------------------------------------------------------- */

static const char *const op_name[] = { "load", "store", "fetch" };

static void write_call(const struct regress_call *c, FILE *f)
{
	switch (c->kind) {
	case RCALL_ACCESS:
		fprintf(f, "access %s %s %u %#" PRIx64 " %#" PRIx64 "\n",
			c->req.user ? "user" : "sup", op_name[c->req.op],
			c->req.size, c->req.va, c->req.wdata);
		break;
	case RCALL_CTL:
		fprintf(f, "ctl %s %#" PRIx64 " %#" PRIx64 " %u %u\n",
			mmu_ctl_op_str(c->ctl.op), c->ctl.value, c->ctl.addr,
			c->ctl.type, c->ctl.pcid);
		break;
	case RCALL_PHYS_WRITE:
		fprintf(f, "phys_write %#" PRIx64 " ", c->pa);
		for (uint32_t i = 0; i < c->len; i++)
			fprintf(f, "%02x", c->data[i]);
		fputc('\n', f);
		break;
	default:
		fprintf(f, "%s %#" PRIx64 " %u\n", c->kind == RCALL_PHYS_READ ?
			"phys_read" : "mem_peek", c->pa, c->len);
	}
}

int regress_stream_write(const struct regress_stream *s, const bool *keep,
			 const char *comment, FILE *f)
{
	fprintf(f, "%s\n", STREAM_HEADER);
	for (const char *p = comment; p && *p;) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);

		fprintf(f, "# %.*s\n", len, p);
		p += len + (e != NULL);
	}
	for (size_t i = 0; i < s->n; i++)
		if (!keep || keep[i])
			write_call(&s->call[i], f);
	return ferror(f) ? MMU_EINVAL : 0;
}

static int parse_op(const char *w, enum mmu_op *op)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(w, op_name[i])) {
			*op = (enum mmu_op)i;
			return 0;
		}
	return -1;
}

static int parse_ctl_op(const char *w, enum mmu_ctl_op *op)
{
	for (unsigned i = 0; i < MMU_CTL_NOPS; i++)
		if (!strcmp(w, mmu_ctl_op_str((enum mmu_ctl_op)i))) {
			*op = (enum mmu_ctl_op)i;
			return 0;
		}
	return -1;
}

static int parse_hex(const char *h, struct regress_call *c)
{
	size_t n = strlen(h);

	if (n % 2 || n / 2 > REGRESS_STREAM_MAX_LEN ||
	    !(c->data = malloc(n / 2 ? n / 2 : 1)))
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		c->data[i] = (uint8_t)v;
	}
	c->len = (uint32_t)(n / 2);
	return 0;
}

/* One call line into c; a message, or NULL when it parsed. */
static const char *parse_call(char *line, struct regress_call *c)
{
	char w[3][32], rest[8];
	unsigned a, b;
	uint64_t x, y;
	char *hex;

	if (sscanf(line, "access %31s %31s %u %" SCNx64 " %" SCNx64 " %7s",
		   w[0], w[1], &a, &x, &y, rest) == 5) {
		c->kind = RCALL_ACCESS;
		c->req = (struct mmu_req){ .user = !strcmp(w[0], "user"),
					   .size = a, .va = x, .wdata = y };
		if ((strcmp(w[0], "user") && strcmp(w[0], "sup")) ||
		    parse_op(w[1], &c->req.op))
			return "expected 'access sup|user load|store|fetch "
			       "SIZE VA WDATA'";
		return NULL;
	}
	if (sscanf(line, "ctl %31s %" SCNx64 " %" SCNx64 " %u %u %7s", w[0],
		   &x, &y, &a, &b, rest) == 5) {
		c->kind = RCALL_CTL;
		c->ctl = (struct mmu_ctl){ .value = x, .addr = y, .type = a,
					   .pcid = (uint16_t)b };
		return parse_ctl_op(w[0], &c->ctl.op) || b > 0xffff ?
		       "unknown control operation or pcid" : NULL;
	}
	if (sscanf(line, "%31s %" SCNx64 " %u %7s", w[0], &x, &a, rest) == 3 &&
	    (!strcmp(w[0], "phys_read") || !strcmp(w[0], "mem_peek"))) {
		c->kind = w[0][0] == 'p' ? RCALL_PHYS_READ : RCALL_MEM_PEEK;
		c->pa = x;
		c->len = a;
		return a > REGRESS_STREAM_MAX_LEN ? "length too large" : NULL;
	}
	if (sscanf(line, "phys_write %" SCNx64, &x) == 1 &&
	    (hex = strrchr(line, ' ')) && hex > line + 11) {
		c->kind = RCALL_PHYS_WRITE;
		c->pa = x;
		return parse_hex(hex + 1, c) ? "bad hex bytes" : NULL;
	}
	return "expected access, ctl, phys_read, phys_write or mem_peek";
}

int regress_stream_read(const char *path, struct regress_stream **out,
			char *err, size_t errlen)
{
	struct regress_stream *s = calloc(1, sizeof(*s));
	size_t cap = 0;
	char *line = NULL;
	unsigned no = 0;
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f || !s) {
		free(s);
		if (f)
			fclose(f);
		return mmu_errf(err, errlen, MMU_EINVAL, "%s: %s", path,
				f ? "out of host memory" : strerror(errno));
	}
	while (!rc && getline(&line, &cap, f) > 0) {
		const char *why = NULL;
		struct regress_call *c;

		line[strcspn(line, "\r\n")] = 0;
		if (++no == 1 && strcmp(line, STREAM_HEADER))
			why = "not a stream file (first line must be '"
			      STREAM_HEADER "')";
		else if (!line[0] || line[0] == '#')
			continue;
		else if (!(c = append(s)))
			why = "too many calls, or out of memory";
		else
			why = parse_call(line, c);
		if (why)
			rc = mmu_errf(err, errlen, MMU_EINVAL, "%s:%u: %s", path,
				      no, why);
	}
	free(line);
	fclose(f);
	if (!rc && !no)
		rc = mmu_errf(err, errlen, MMU_EINVAL, "%s: empty file", path);
	if (rc) {
		regress_stream_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* ---- replay --------------------------------------------------------------- */

static int replay_call(struct machine *m, const struct regress_call *c,
		       uint8_t *buf)
{
	struct mmu_outcome o;
	enum mmu_ctl_result res;

	switch (c->kind) {
	case RCALL_ACCESS:
		return machine_access(m, &c->req, &o);
	case RCALL_CTL:
		return machine_ctl(m, &c->ctl, &res);
	case RCALL_PHYS_WRITE:
		return machine_phys_write(m, c->pa, c->data, c->len);
	case RCALL_PHYS_READ:
		return machine_phys_read(m, c->pa, buf, c->len);
	default:
		return machine_mem_peek(m, c->pa, buf, c->len);
	}
}

int regress_replay(const struct regress_seed_opts *o, uint64_t seed,
		   const struct regress_stream *s, const bool *keep, bool final,
		   char *field, size_t flen, char *err, size_t errlen)
{
	struct backend_opts bo = o->bo;
	const struct lockstep_mismatch *mm;
	uint8_t *buf = malloc(REGRESS_STREAM_MAX_LEN);
	struct machine *m;
	int rc;

	bo.seed = seed;
	bo.trace_path = NULL;
	bo.cover = NULL;
	rc = buf ? machine_open(o->backend, o->cfg, 0, &bo, &m, err, errlen)
		 : mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
	if (rc) {
		free(buf);
		return rc < 0 ? rc : MMU_EBACKEND;
	}
	for (size_t i = 0; !rc && i < s->n; i++)
		if (!keep || keep[i])
			rc = replay_call(m, &s->call[i], buf);
	if (!rc && final && lockstep_is(m) && !(rc = lockstep_check_counters(m)))
		rc = lockstep_check_memory(m);
	mm = lockstep_mismatch(m);
	if (mm)
		snprintf(field, flen, "%s", mm->field);
	if (rc)
		snprintf(err, errlen, "%s", m->err);
	machine_destroy(m);
	free(buf);
	return mm ? 1 : rc ? 2 : 0;
}
