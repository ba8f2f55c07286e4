/* SPDX-License-Identifier: MIT */
/* The exercise format (docs/course.md, "Exercise files"). */
#include "course.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 96
#define MAX_LINE 2048

const char *const course_field_key[CF_N] = {
#define COURSE_F_KEY(e, key, doc) key,
	COURSE_FIELDS(COURSE_F_KEY)
#undef COURSE_F_KEY
};
const char *const course_field_doc[CF_N] = {
#define COURSE_F_DOC(e, key, doc) doc,
	COURSE_FIELDS(COURSE_F_DOC)
#undef COURSE_F_DOC
};

struct tok {
	const char *s;  /* NUL-terminated copy inside the line buffer */
	unsigned col;   /* 1-based */
};

struct pstate {
	const char *path;
	unsigned line;
	struct tok t[MAX_TOKENS];
	unsigned n;
	struct course_ex *ex;
	char *err;
	size_t errlen;
};

static int perr(struct pstate *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct pstate *p, unsigned col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%u:%u: ", p->path, p->line, col);

	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static unsigned end_col(const struct pstate *p)
{
	return p->n ? p->t[p->n - 1].col + (unsigned)strlen(p->t[p->n - 1].s) : 1;
}

static bool parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool parse_byte(const char *s, uint8_t *b)
{
	char *end;
	unsigned long v;

	if (!isxdigit((unsigned char)s[0]) || strlen(s) > 2)
		return false;
	v = strtoul(s, &end, 16);
	*b = (uint8_t)v;
	return !*end;
}

static int num_at(struct pstate *p, unsigned i, const char *what, uint64_t *v)
{
	if (i >= p->n)
		return perr(p, end_col(p), "expected %s", what);
	if (!parse_num(p->t[i].s, v))
		return perr(p, p->t[i].col, "expected %s (a number: 12 or 0x0c), "
			    "found '%s'", what, p->t[i].s);
	return 0;
}

/* key=value tokens from index i on; fn handles each.  `bytes` (for lines)
 * ends the list: the rest of the line is hex bytes. */
typedef int (*kv_fn)(struct pstate *p, void *obj, const char *key,
		     const char *val, unsigned col);

static int each_kv(struct pstate *p, unsigned i, void *obj, kv_fn fn,
		   unsigned *bytes_at)
{
	for (; i < p->n; i++) {
		char key[32];
		const char *eq = strchr(p->t[i].s, '=');
		size_t kl;

		if (bytes_at && !strcmp(p->t[i].s, "bytes")) {
			*bytes_at = i + 1;
			return 0;
		}
		if (!eq || eq == p->t[i].s)
			return perr(p, p->t[i].col, "expected key=value, found '%s'",
				    p->t[i].s);
		kl = (size_t)(eq - p->t[i].s);
		if (kl >= sizeof(key))
			return perr(p, p->t[i].col, "unknown key '%.*s'", (int)kl,
				    p->t[i].s);
		memcpy(key, p->t[i].s, kl);
		key[kl] = 0;
		if (!eq[1])
			return perr(p, p->t[i].col + (unsigned)kl + 1,
				    "expected a value after '%s='", key);
		if (fn(p, obj, key, eq + 1, p->t[i].col + (unsigned)kl + 1))
			return -1;
	}
	return 0;
}

static int kv_num(struct pstate *p, const char *key, const char *val,
		  unsigned col, uint64_t *v)
{
	if (!parse_num(val, v))
		return perr(p, col, "expected a number for %s, found '%s'", key, val);
	return 0;
}

static int kv_bool(struct pstate *p, const char *key, const char *val,
		   unsigned col, bool *b)
{
	uint64_t v;

	if (kv_num(p, key, val, col, &v))
		return -1;
	if (v > 1)
		return perr(p, col, "expected 0 or 1 for %s, found '%s'", key, val);
	*b = v;
	return 0;
}

/* ---- TLB entries ---------------------------------------------------------- */

struct tlb_kv {
	struct course_tlb_item *it;
	bool has_tag, has_vpn;
	uint64_t tag;
};

static int tlb_kv(struct pstate *p, void *obj, const char *key, const char *val,
		  unsigned col)
{
	struct tlb_kv *k = obj;
	struct mmu_tlb_slot *e = &k->it->e;
	uint64_t v;

	if (!strcmp(key, "tag")) {
		k->has_tag = true;
		return kv_num(p, key, val, col, &k->tag);
	}
	if (!strcmp(key, "vpn")) {
		k->has_vpn = true;
		return kv_num(p, key, val, col, &e->vpn);
	}
	if (!strcmp(key, "ppn"))
		return kv_num(p, key, val, col, &e->ppn);
	if (!strcmp(key, "valid"))
		return kv_bool(p, key, val, col, &e->valid);
	if (!strcmp(key, "rw"))
		return kv_bool(p, key, val, col, &e->rw);
	if (!strcmp(key, "us"))
		return kv_bool(p, key, val, col, &e->us);
	if (!strcmp(key, "xd"))
		return kv_bool(p, key, val, col, &e->xd);
	if (!strcmp(key, "dirty"))
		return kv_bool(p, key, val, col, &e->dirty);
	if (!strcmp(key, "global"))
		return kv_bool(p, key, val, col, &e->global);
	if (!strcmp(key, "pcid") || !strcmp(key, "level")) {
		if (kv_num(p, key, val, col, &v))
			return -1;
		if (v > (key[0] == 'p' ? 0xfffu : 3u))
			return perr(p, col, "%s %s is too large", key, val);
		if (key[0] == 'p')
			e->pcid = (uint16_t)v;
		else
			e->level = (uint8_t)v;
		return 0;
	}
	return perr(p, col - (unsigned)strlen(key) - 1,
		    "unknown TLB key '%s' (expected tag, vpn, ppn, valid, rw, "
		    "us, xd, dirty, global, pcid, level)", key);
}

static int st_tlb(struct pstate *p)
{
	struct course_ex *ex = p->ex;
	struct course_tlb_item *it;
	struct tlb_kv k = { 0 };
	uint64_t set, way;

	if (ex->n_tlb >= COURSE_MAX_ITEMS)
		return perr(p, 1, "more than %u TLB entries", COURSE_MAX_ITEMS);
	if (num_at(p, 1, "a TLB set", &set) || num_at(p, 2, "a TLB way", &way))
		return -1;
	if (set > 0xffff || way > 31)
		return perr(p, p->t[1].col, "TLB set or way out of range");
	it = &ex->tlb[ex->n_tlb];
	memset(it, 0, sizeof(*it));
	it->set = (unsigned)set;
	it->way = (unsigned)way;
	it->line = p->line;
	it->e.valid = true;
	it->e.rw = it->e.us = true;
	it->e.level = 1;
	k.it = it;
	if (each_kv(p, 3, &k, tlb_kv, NULL))
		return -1;
	if (k.has_tag == k.has_vpn)
		return perr(p, end_col(p), "expected tag=TLBT or vpn=VPN (one of them)");
	it->by_tag = k.has_tag;
	it->tag = k.tag;
	ex->n_tlb++;
	return 0;
}

/* ---- page-table entries --------------------------------------------------- */

static int pte_kv(struct pstate *p, void *obj, const char *key, const char *val,
		  unsigned col)
{
	struct course_pte_item *it = obj;
	static const struct { const char *k; pte_t bit; } bits[] = {
		{ "valid", PTE_P }, { "rw", PTE_RW }, { "us", PTE_US },
		{ "a", PTE_A }, { "d", PTE_D }, { "ps", PTE_PS }, { "g", PTE_G },
		{ "xd", PTE_XD },
	};
	uint64_t v;

	if (!strcmp(key, "ppn") || !strcmp(key, "raw")) {
		if (kv_num(p, key, val, col, &v))
			return -1;
		if (key[0] == 'r') {
			it->value = v;
			return 0;
		}
		if (v >> (PTE_HIGHEST_ADDR_BIT + 1 - PTE_FRAME_SHIFT))
			return perr(p, col, "ppn %s is too large", val);
		it->value = (it->value & ~(~0ull << PTE_FRAME_SHIFT & ~PTE_XD &
					   ~PTE_AVL_HI_MASK)) |
			    v << PTE_FRAME_SHIFT;
		return 0;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		bool b;

		if (strcmp(key, bits[i].k))
			continue;
		if (kv_bool(p, key, val, col, &b))
			return -1;
		it->value = b ? it->value | bits[i].bit : it->value & ~bits[i].bit;
		return 0;
	}
	return perr(p, col - (unsigned)strlen(key) - 1,
		    "unknown PTE key '%s' (expected ppn, valid, rw, us, a, d, "
		    "ps, g, xd, raw)", key);
}

static int st_pte(struct pstate *p)
{
	struct course_ex *ex = p->ex;
	struct course_pte_item *it;
	unsigned kv_from;

	if (ex->n_pte >= COURSE_MAX_ITEMS)
		return perr(p, 1, "more than %u page-table entries", COURSE_MAX_ITEMS);
	it = &ex->pte[ex->n_pte];
	memset(it, 0, sizeof(*it));
	it->line = p->line;
	it->value = PTE_P | PTE_RW | PTE_US;
	if (p->n > 1 && (p->t[1].s[0] == 'L' || p->t[1].s[0] == 'l')) {
		uint64_t lv;

		if (!parse_num(p->t[1].s + 1, &lv) || lv < 1 || lv > MMU_MAX_LEVELS)
			return perr(p, p->t[1].col, "expected a level L1..L%d, found '%s'",
				    MMU_MAX_LEVELS, p->t[1].s);
		it->level = (unsigned)lv;
		if (num_at(p, 2, "the table's physical address", &it->table) ||
		    num_at(p, 3, "the entry's index in the table", &it->index))
			return -1;
		kv_from = 4;
	} else {
		it->by_vpn = true;
		it->level = 1;
		if (num_at(p, 1, "a VPN (or L<level> TABLE INDEX)", &it->vpn))
			return -1;
		kv_from = 2;
	}
	if (each_kv(p, kv_from, it, pte_kv, NULL))
		return -1;
	ex->n_pte++;
	return 0;
}

/* ---- cache lines and memory ------------------------------------------------ */

static int line_kv(struct pstate *p, void *obj, const char *key, const char *val,
		   unsigned col)
{
	struct course_line_item *it = obj;

	if (!strcmp(key, "tag"))
		return kv_num(p, key, val, col, &it->l.tag);
	if (!strcmp(key, "valid"))
		return kv_bool(p, key, val, col, &it->l.valid);
	if (!strcmp(key, "dirty"))
		return kv_bool(p, key, val, col, &it->l.dirty);
	return perr(p, col - (unsigned)strlen(key) - 1,
		    "unknown line key '%s' (expected tag, valid, dirty, then "
		    "'bytes B0 B1 ...')", key);
}

static int hex_bytes(struct pstate *p, unsigned from, uint8_t *b, unsigned max,
		     unsigned *n)
{
	*n = 0;
	for (unsigned i = from; i < p->n; i++) {
		if (*n >= max)
			return perr(p, p->t[i].col, "more than %u bytes", max);
		if (!parse_byte(p->t[i].s, &b[*n]))
			return perr(p, p->t[i].col, "expected a byte in hex (00..FF), "
				    "found '%s'", p->t[i].s);
		++*n;
	}
	return 0;
}

static int st_line(struct pstate *p)
{
	struct course_ex *ex = p->ex;
	struct course_line_item *it;
	uint64_t set, way;
	unsigned bytes_at = 0;

	if (ex->n_line >= COURSE_MAX_ITEMS)
		return perr(p, 1, "more than %u cache lines", COURSE_MAX_ITEMS);
	if (num_at(p, 1, "a cache set (CI)", &set) || num_at(p, 2, "a cache way", &way))
		return -1;
	if (set > 0xffff || way > 31)
		return perr(p, p->t[1].col, "cache set or way out of range");
	it = &ex->lines[ex->n_line];
	memset(it, 0, sizeof(*it));
	it->set = (unsigned)set;
	it->way = (unsigned)way;
	it->line = p->line;
	it->l.valid = true;
	if (each_kv(p, 3, it, line_kv, &bytes_at))
		return -1;
	if (bytes_at && hex_bytes(p, bytes_at, it->l.data, MMU_MAX_LINE, &it->nbytes))
		return -1;
	ex->n_line++;
	return 0;
}

static int st_mem(struct pstate *p)
{
	struct course_ex *ex = p->ex;
	struct course_mem_item *it;

	if (ex->n_mem >= COURSE_MAX_MEM_ST)
		return perr(p, 1, "more than %u mem statements", COURSE_MAX_MEM_ST);
	it = &ex->mem[ex->n_mem];
	memset(it, 0, sizeof(*it));
	it->line = p->line;
	if (num_at(p, 1, "a physical address", &it->pa))
		return -1;
	if (p->n < 3 || strcmp(p->t[2].s, "bytes"))
		return perr(p, p->n < 3 ? end_col(p) : p->t[2].col,
			    "expected 'bytes' and hex bytes");
	if (hex_bytes(p, 3, it->b, COURSE_MAX_MEM, &it->n))
		return -1;
	ex->n_mem++;
	return 0;
}

/* ---- accesses and answers --------------------------------------------------- */

static int st_access(struct pstate *p, enum mmu_op op)
{
	struct course_ex *ex = p->ex;
	struct course_access *a;
	uint64_t v;

	if (ex->n_acc >= COURSE_MAX_ACCESS)
		return perr(p, 1, "more than %u accesses", COURSE_MAX_ACCESS);
	a = &ex->acc[ex->n_acc];
	memset(a, 0, sizeof(*a));
	a->line = p->line;
	a->req.op = op;
	a->req.size = 1;
	a->req.user = true;
	if (num_at(p, 1, "a virtual address", &a->req.va))
		return -1;
	for (unsigned i = 2; i < p->n; i++) {
		const char *s = p->t[i].s;

		if (!strcmp(s, "user") || !strcmp(s, "supervisor")) {
			a->req.user = s[0] == 'u';
		} else if (!strncmp(s, "size=", 5)) {
			if (!parse_num(s + 5, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
				return perr(p, p->t[i].col + 5, "expected size 1, 2, 4 or 8");
			a->req.size = (unsigned)v;
		} else if (!strncmp(s, "data=", 5) && op == MMU_STORE) {
			if (!parse_num(s + 5, &a->req.wdata))
				return perr(p, p->t[i].col + 5, "expected the data to store");
		} else {
			return perr(p, p->t[i].col, "expected user, supervisor, size=N%s, "
				    "found '%s'", op == MMU_STORE ? " or data=V" : "", s);
		}
	}
	if (a->req.va & (a->req.size - 1))
		return perr(p, p->t[1].col, "the address is not aligned to the size");
	ex->n_acc++;
	return 0;
}

static int answer_kv(struct pstate *p, void *obj, const char *key,
		     const char *val, unsigned col)
{
	struct course_answer *ans = obj;
	static const struct { const char *w; int f; uint64_t v; } words[] = {
		{ "hit", CF_TLB, 1 }, { "miss", CF_TLB, 0 },
		{ "hit", CF_CACHE, 1 }, { "miss", CF_CACHE, 0 },
		{ "none", CF_FAULT, COURSE_FAULT_NONE }, { "no", CF_FAULT, COURSE_FAULT_NONE },
		{ "pf", CF_FAULT, COURSE_FAULT_PF }, { "yes", CF_FAULT, COURSE_FAULT_PF },
		{ "gp", CF_FAULT, COURSE_FAULT_GP }, { "bus", CF_FAULT, COURSE_FAULT_BUS },
	};

	for (int f = 0; f < CF_N; f++) {
		if (strcmp(key, course_field_key[f]))
			continue;
		if (!strcmp(val, "?"))
			return 0;  /* left blank */
		ans->line[f] = p->line;
		ans->col[f] = col;
		if (f == CF_TLB || f == CF_CACHE || f == CF_FAULT) {
			for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
				if (words[i].f == f && !strcmp(val, words[i].w)) {
					ans->given[f] = true;
					ans->v[f] = words[i].v;
					return 0;
				}
			return perr(p, col, "expected %s for %s, found '%s'",
				    f == CF_FAULT ? "none, pf, gp or bus" : "hit or miss",
				    key, val);
		}
		if (kv_num(p, key, val, col, &ans->v[f]))
			return -1;
		ans->given[f] = true;
		return 0;
	}
	return perr(p, col - (unsigned)strlen(key) - 1,
		    "unknown answer field '%s' (expected vpn, vpo, tlbi, tlbt, tlb, "
		    "fault, ppn, pa, co, ci, ct, cache, data)", key);
}

static int st_answer(struct pstate *p)
{
	if (!p->ex->n_acc)
		return perr(p, 1, "expected an access (load, store, fetch) before "
			    "'answer'");
	return each_kv(p, 1, &p->ex->acc[p->ex->n_acc - 1].ans, answer_kv, NULL);
}

/* ---- statements ------------------------------------------------------------ */

static int st_reg(struct pstate *p, bool *has, uint64_t *v, const char *what)
{
	if (*has)
		return perr(p, 1, "%s given twice", what);
	if (num_at(p, 1, what, v))
		return -1;
	if (p->n > 2)
		return perr(p, p->t[2].col, "expected the end of the line after %s", what);
	*has = true;
	return 0;
}

static int statement(struct pstate *p)
{
	struct course_ex *ex = p->ex;
	const char *k = p->t[0].s;

	if (!strcmp(k, "config")) {
		if (p->n != 2)
			return perr(p, p->n < 2 ? end_col(p) : p->t[2].col,
				    "expected one configuration name or .cfg path");
		if (ex->config[0])
			return perr(p, 1, "config given twice");
		snprintf(ex->config, sizeof(ex->config), "%s", p->t[1].s);
		return 0;
	}
	if (!ex->config[0])
		return perr(p, 1, "expected 'config NAME' first");
	if (!strcmp(k, "title")) {
		size_t n = 0;

		for (unsigned i = 1; i < p->n && n < sizeof(ex->title); i++)
			n += (size_t)snprintf(ex->title + n, sizeof(ex->title) - n,
					      "%s%s", i > 1 ? " " : "", p->t[i].s);
		return 0;
	}
	if (!strcmp(k, "ptbr"))
		return st_reg(p, &ex->has_ptbr, &ex->ptbr, "the page table's physical address");
	if (!strcmp(k, "cr0"))
		return st_reg(p, &ex->has_cr0, &ex->cr0, "a CR0 value");
	if (!strcmp(k, "cr3"))
		return st_reg(p, &ex->has_cr3, &ex->cr3, "a CR3 value");
	if (!strcmp(k, "cr4"))
		return st_reg(p, &ex->has_cr4, &ex->cr4, "a CR4 value");
	if (!strcmp(k, "efer"))
		return st_reg(p, &ex->has_efer, &ex->efer, "an EFER value");
	if (!strcmp(k, "tlb"))
		return st_tlb(p);
	if (!strcmp(k, "pte"))
		return st_pte(p);
	if (!strcmp(k, "line"))
		return st_line(p);
	if (!strcmp(k, "mem"))
		return st_mem(p);
	if (!strcmp(k, "load"))
		return st_access(p, MMU_LOAD);
	if (!strcmp(k, "store"))
		return st_access(p, MMU_STORE);
	if (!strcmp(k, "fetch"))
		return st_access(p, MMU_FETCH);
	if (!strcmp(k, "answer"))
		return st_answer(p);
	return perr(p, 1, "expected a statement (config, title, ptbr, cr0, cr3, "
		    "cr4, efer, tlb, pte, line, mem, load, store, fetch, answer), "
		    "found '%s'", k);
}

/* Split one line into tokens (comments from '#'). */
static int tokenize(struct pstate *p, char *buf)
{
	char *s = buf;

	p->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return 0;
		if (!isprint((unsigned char)*s))
			return perr(p, (unsigned)(s - buf) + 1,
				    "expected text, found byte 0x%02x",
				    (unsigned char)*s);
		if (p->n >= MAX_TOKENS)
			return perr(p, (unsigned)(s - buf) + 1,
				    "more than %d words on a line", MAX_TOKENS);
		p->t[p->n].s = s;
		p->t[p->n].col = (unsigned)(s - buf) + 1;
		p->n++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '#') {
			if (!isprint((unsigned char)*s))
				return perr(p, (unsigned)(s - buf) + 1,
					    "expected text, found byte 0x%02x",
					    (unsigned char)*s);
			s++;
		}
		if (*s == '#') {
			*s = 0;
			return 0;
		}
		if (*s)
			*s++ = 0;
	}
}

void course_free(struct course_ex *ex)
{
	if (!ex)
		return;
	free(ex->tlb);
	free(ex->pte);
	free(ex->lines);
	free(ex->mem);
	free(ex->acc);
	free(ex);
}

int course_parse(const char *path, const char *text, size_t len,
		 struct course_ex **out, char *err, size_t errlen)
{
	struct pstate p = { .path = path, .err = err, .errlen = errlen };
	struct course_ex *ex = calloc(1, sizeof(*ex));
	size_t pos = 0;

	*out = NULL;
	if (ex) {
		ex->tlb = calloc(COURSE_MAX_ITEMS, sizeof(*ex->tlb));
		ex->pte = calloc(COURSE_MAX_ITEMS, sizeof(*ex->pte));
		ex->lines = calloc(COURSE_MAX_ITEMS, sizeof(*ex->lines));
		ex->mem = calloc(COURSE_MAX_MEM_ST, sizeof(*ex->mem));
		ex->acc = calloc(COURSE_MAX_ACCESS, sizeof(*ex->acc));
	}
	if (!ex || !ex->tlb || !ex->pte || !ex->lines || !ex->mem || !ex->acc) {
		course_free(ex);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	snprintf(ex->path, sizeof(ex->path), "%s", path);
	p.ex = ex;
	if (len > COURSE_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %u bytes", path, COURSE_MAX_BYTES);
		course_free(ex);
		return -1;
	}
	while (pos < len) {
		char buf[MAX_LINE];
		size_t n = 0;

		p.line++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 >= sizeof(buf)) {
				perr(&p, MAX_LINE, "expected a line of at most %d characters",
				     MAX_LINE - 2);
				course_free(ex);
				return -1;
			}
			if (!text[pos]) {
				perr(&p, (unsigned)n + 1, "expected text, found a NUL byte");
				course_free(ex);
				return -1;
			}
			buf[n++] = text[pos++];
		}
		pos++;
		buf[n] = 0;
		if (tokenize(&p, buf) || (p.n && statement(&p))) {
			course_free(ex);
			return -1;
		}
	}
	p.line++;
	p.n = 0;
	if (!ex->config[0]) {
		perr(&p, 1, "expected 'config NAME' (the file has none)");
		course_free(ex);
		return -1;
	}
	*out = ex;
	return 0;
}

int course_parse_file(const char *path, struct course_ex **out, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(COURSE_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, COURSE_MAX_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	} else {
		rc = course_parse(path, buf, n, out, err, errlen);
	}
	fclose(f);
	free(buf);
	return rc;
}
