/* SPDX-License-Identifier: MIT */
/*
 * Lockstep back end: every call goes to the reference, then to the DUT, and
 * the answers are compared before the caller sees them (lockstep.h says
 * what is compared).  The reference is always called first so that, when
 * the DUT is the RTL, a mismatch report can show what the model expected
 * while the simulation is still at the failing cycle.
 */
#include "lockstep_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A difference: the field's name and both values (full strings apart). */
struct diff {
	const char *prefix;  /* "regs.", "counters.", or "" */
	char field[48];
	uint64_t ref, dut;
};

#define STACK_BUF 4096u  /* phys_read sizes served without malloc */

/* The paths taken only when something differs, kept out of the way of the
 * code every access runs (instruction cache). */
#define LS_COLD __attribute__((cold, noinline))

static const struct machine_ops lockstep_ops;

/* ---- recording a mismatch ---------------------------------------------- */

static void run_hooks(struct lockstep *ls)
{
	for (unsigned i = 0; i < ls->nhooks; i++)
		ls->hook[i].fn(ls->hook[i].ctx, &ls->mm);
}

/* Keep the report, tell the hooks (first mismatch only), then stop the run
 * or, in carry-on mode, resynchronise the DUT; ref/dut strings are already
 * in ls->mm.  Returns MMU_EBACKEND when the run stops, 0 when it goes on
 * (the caller then answers with the reference's results). */
static int mismatch(struct lockstep *ls, const struct ls_call *c,
		    const struct diff *d)
{
	struct lockstep_mismatch *mm = &ls->mm;
	char rv[24], dv[24], wh[96];

	mm->number = ++ls->st.mismatches;
	mm->call = ls->st.calls;
	mm->access = ls->st.accesses;
	mm->kind = c->kind;
	snprintf(mm->field, sizeof(mm->field), "%s", d->field);
	lockstep_format_request(c, mm->request, sizeof(mm->request));
	mm->ref_value = d->ref;
	mm->dut_value = d->dut;
	snprintf(mm->ref_name, sizeof(mm->ref_name), "%s", ls->ref->ops->name);
	snprintf(mm->dut_name, sizeof(mm->dut_name), "%s", ls->dut->ops->name);
	lockstep_where(mm, wh, sizeof(wh));
	mmu_errf(ls->base.err, sizeof(ls->base.err), MMU_EBACKEND,
		"lockstep mismatch at %s, %s vs %s: %s differs: %s %s, %s %s",
		wh, mm->ref_name, mm->dut_name, mm->field, mm->ref_name,
		lockstep_value_str(mm, d->ref, rv, sizeof(rv)), mm->dut_name,
		lockstep_value_str(mm, d->dut, dv, sizeof(dv)));
	mm->wave[0] = 0;
	mm->cycle = mm->wave_time = 0;
	if (mm->number == 1)
		run_hooks(ls);
	if (mm->number <= LOCKSTEP_KEEP_REPORTS)
		ls->kept[mm->number - 1] = *mm;
	if (!ls->carry_on) {
		ls->stopped = true;
		return MMU_EBACKEND;
	}
	return lockstep_resync(ls);
}

int lockstep_refused(struct lockstep *ls)
{
	return mmu_errf(ls->base.err, sizeof(ls->base.err), MMU_EBACKEND,
		       "lockstep (%s vs %s) stopped at call %" PRIu64 " by a "
		       "mismatch in %s%s; no further calls", ls->mm.ref_name,
		       ls->mm.dut_name, ls->mm.call, ls->mm.field,
		       ls->carry_on ? " that could not be resynchronised" : "");
}

static void begin(struct lockstep *ls, struct ls_call *c)
{
	ls->st.calls++;
	if (c->kind == LOCKSTEP_ACCESS)
		ls->st.accesses++;
	else if (c->kind == LOCKSTEP_CTL)
		ls->st.ctls++;
	else
		ls->st.phys++;
}

/* Both return codes must agree; an error both report is passed on with the
 * reference's message.  Returns 1 when the call may go on to compare
 * results, else the code to return. */
static int compare_rc(struct lockstep *ls, const struct ls_call *c, int rr,
		      int dr, int *ret)
{
	struct diff d = { .prefix = "", .field = "return code",
			  .ref = (uint64_t)(int64_t)rr,
			  .dut = (uint64_t)(int64_t)dr };

	if (rr != dr) {
		lockstep_format_rc(ls->ref, rr, ls->mm.ref, sizeof(ls->mm.ref));
		lockstep_format_rc(ls->dut, dr, ls->mm.dut, sizeof(ls->mm.dut));
		*ret = mismatch(ls, c, &d);
		if (!*ret && rr) {  /* carried on: the reference's answer */
			snprintf(ls->base.err, sizeof(ls->base.err), "%s",
				 ls->ref->err);
			*ret = rr;
		}
		return 0;
	}
	ls->st.fields++;
	if (rr) {
		snprintf(ls->base.err, sizeof(ls->base.err), "%s", ls->ref->err);
		*ret = rr;
		return 0;
	}
	return 1;
}

/* ---- comparisons -------------------------------------------------------- */

#define CMP_FIELD(a, b, name, d, nf)                                          \
	do {                                                                   \
		if ((a)->name != (b)->name) {                                  \
			snprintf((d)->field, sizeof((d)->field), "%s%s",      \
				 (d)->prefix, #name);                          \
			(d)->ref = (uint64_t)(a)->name;                        \
			(d)->dut = (uint64_t)(b)->name;                        \
			return true;                                           \
		}                                                              \
		(*(nf))++;                                                     \
	} while (0)

/* The A/D updates compared: n_ad of the reference's, at most the array. */
static unsigned ad_compared(const struct mmu_outcome *a)
{
	return a->n_ad < MMU_MAX_LEVELS ? a->n_ad : MMU_MAX_LEVELS;
}

static bool ad_diff(const struct mmu_outcome *a, const struct mmu_outcome *b,
		    struct diff *d, uint64_t *nf)
{
	unsigned n = ad_compared(a);

	for (unsigned i = 0; i < n; i++) {
		const char *f = NULL;

		if (a->ad[i].pa != b->ad[i].pa) {
			f = "pa";
			d->ref = a->ad[i].pa;
			d->dut = b->ad[i].pa;
		} else if (a->ad[i].value != b->ad[i].value) {
			f = "value";
			d->ref = a->ad[i].value;
			d->dut = b->ad[i].value;
		}
		if (f) {
			snprintf(d->field, sizeof(d->field), "ad[%u].%s", i, f);
			return true;
		}
		*nf += 2;
	}
	return false;
}

/* The scalar fields of an outcome compared, all but cycles (ad[] follows
 * n_ad), status first since a different status explains every other
 * difference; and those of the registers. */
#define OUTCOME_FIELDS(X)                                                      \
	X(status) X(rdata) X(pa) X(error_code) X(cr2) X(tlb_hit) X(walked)    \
	X(l1_hit) X(walk_reads) X(psc_level) X(page_level) X(n_ad)
#define REGS_FIELDS(X) X(cr0) X(cr2) X(cr3) X(cr4) X(efer) X(ac) X(pkru)

#define PLUS_ONE(name) + 1
#define OR_XOR(name) | ((uint64_t)a->name ^ (uint64_t)b->name)
#define CMP_LISTED(name) CMP_FIELD(a, b, name, d, nf);

/* The cheap test of every access: whether any compared field differs,
 * in one branch; outcome_diff finds which only when one does.  Returns
 * the number of fields found equal, 0 when they differ. */
static unsigned outcome_same(const struct mmu_outcome *a,
			     const struct mmu_outcome *b)
{
	uint64_t x = 0 OUTCOME_FIELDS(OR_XOR);
	unsigned n = ad_compared(a);

	if (x)
		return 0;
	for (unsigned i = 0; i < n; i++)
		x |= (a->ad[i].pa ^ b->ad[i].pa) |
		     (a->ad[i].value ^ b->ad[i].value);
	return x ? 0 : (0 OUTCOME_FIELDS(PLUS_ONE)) + 2 * n;
}

static bool regs_same(const struct mmu_regs *a, const struct mmu_regs *b)
{
	return !(0 REGS_FIELDS(OR_XOR));
}

/* The first field in which two outcomes differ. */
static bool outcome_diff(const struct mmu_outcome *a,
			 const struct mmu_outcome *b, struct diff *d,
			 uint64_t *nf)
{
	OUTCOME_FIELDS(CMP_LISTED)
	return ad_diff(a, b, d, nf);
}

bool lockstep_outcomes_differ(const struct mmu_outcome *a,
			      const struct mmu_outcome *b)
{
	struct diff d = { .prefix = "" };
	uint64_t nf = 0;

	return outcome_diff(a, b, &d, &nf);
}

static bool regs_diff(const struct mmu_regs *a, const struct mmu_regs *b,
		      struct diff *d, uint64_t *nf);

bool lockstep_regs_differ(const struct mmu_regs *a, const struct mmu_regs *b)
{
	struct diff d = { .prefix = "" };
	uint64_t nf = 0;

	return regs_diff(a, b, &d, &nf);
}

static bool regs_diff(const struct mmu_regs *a, const struct mmu_regs *b,
		      struct diff *d, uint64_t *nf)
{
	REGS_FIELDS(CMP_LISTED)
	return false;
}

/* walk_cycles and cycles measure time, which only the RTL has. */
static bool counters_diff(const struct mmu_counters *a,
			  const struct mmu_counters *b, struct diff *d,
			  uint64_t *nf)
{
#define CMP_COUNTER(name, doc)                                                 \
	if (strcmp(#name, "walk_cycles") && strcmp(#name, "cycles"))           \
		CMP_FIELD(a, b, name, d, nf);
	MMU_COUNTERS(CMP_COUNTER)
#undef CMP_COUNTER
	return false;
}

static int compare_regs(struct lockstep *ls, const struct ls_call *c);

/* What the DUT's counters would read had it never drifted: the difference
 * left by the last resync taken off. */
static void unskew(const struct lockstep *ls, struct mmu_counters *c)
{
#define UNSKEW(name, doc) c->name -= ls->skew.name;
	MMU_COUNTERS(UNSKEW)
#undef UNSKEW
}

/* The counters, then the registers: a check point (periodic, on request,
 * at the end of a run) that also closes the DUT's open cycle. */
LS_COLD static int compare_counters(struct lockstep *ls)
{
	struct mmu_counters a, b;
	struct diff d = { .prefix = "counters." };
	struct ls_call c = { .kind = LOCKSTEP_COUNTERS };

	machine_counters(ls->ref, &a);
	machine_counters(ls->dut, &b);
	unskew(ls, &b);
	ls->st.counter_checks++;
	if (!counters_diff(&a, &b, &d, &ls->st.fields))
		return compare_regs(ls, &c);
	lockstep_format_counters(&a, ls->mm.ref, sizeof(ls->mm.ref));
	lockstep_format_counters(&b, ls->mm.dut, sizeof(ls->mm.dut));
	return mismatch(ls, &c, &d);
}

/* Registers after every access and control op (CR2 on a #PF, and a control
 * write's effect or #GP's lack of one) and at every counter check.  The
 * DUT's regs op must not clock it (the RTL's reads its ports as they are):
 * comparing never changes the DUT's timing. */
LS_COLD static int regs_differ(struct lockstep *ls, const struct ls_call *c,
			       const struct mmu_regs *a,
			       const struct mmu_regs *b)
{
	struct diff d = { .prefix = "regs." };

	if (!regs_diff(a, b, &d, &ls->st.fields))
		return 0;
	lockstep_format_regs(a, ls->mm.ref, sizeof(ls->mm.ref));
	lockstep_format_regs(b, ls->mm.dut, sizeof(ls->mm.dut));
	return mismatch(ls, c, &d);
}

static int compare_regs(struct lockstep *ls, const struct ls_call *c)
{
	struct mmu_regs a, b;

	machine_regs(ls->ref, &a);
	machine_regs(ls->dut, &b);
	if (!regs_same(&a, &b))
		return regs_differ(ls, c, &a, &b);
	ls->st.fields += 0 REGS_FIELDS(PLUS_ONE);
	return 0;
}

/* What follows every numbered call that both machines completed: the
 * registers after accesses and control ops, and the periodic counters. */
static int after_call(struct lockstep *ls, const struct ls_call *c)
{
	int rc = 0;

	if (c->kind == LOCKSTEP_ACCESS || c->kind == LOCKSTEP_CTL)
		rc = compare_regs(ls, c);
	/* at every counters_every-th call that gets here (no division on
	 * the others) */
	if (!rc && ls->counters_every && ls->st.calls >= ls->counters_due) {
		ls->counters_due = (ls->st.calls / ls->counters_every + 1) *
				   ls->counters_every;
		if (ls->st.calls % ls->counters_every == 0)
			rc = compare_counters(ls);
	}
	return rc;
}

static int compare_bytes(struct lockstep *ls, const struct ls_call *c,
			 const uint8_t *a, const uint8_t *b)
{
	struct diff d = { .prefix = "" };
	size_t i;

	if (!memcmp(a, b, c->len)) {
		ls->st.bytes += c->len;
		return 0;
	}
	for (i = 0; a[i] == b[i]; i++)
		;
	snprintf(d.field, sizeof(d.field), "byte at pa %#" PRIx64,
		 c->pa + (uint64_t)i);
	d.ref = a[i];
	d.dut = b[i];
	lockstep_format_bytes(a, c->len, i, c->pa, ls->mm.ref,
			      sizeof(ls->mm.ref));
	lockstep_format_bytes(b, c->len, i, c->pa, ls->mm.dut,
			      sizeof(ls->mm.dut));
	return mismatch(ls, c, &d);
}

/* ---- the machine operations --------------------------------------------- */

/* An access whose return codes or outcomes differ, or that both refused:
 * compared field by field, for the report. */
LS_COLD static int access_differs(struct lockstep *ls, const struct ls_call *c,
				  int rr, int dr, struct mmu_outcome *out,
				  const struct mmu_outcome *d)
{
	struct diff df = { .prefix = "" };
	int ret;

	if (!compare_rc(ls, c, rr, dr, &ret))
		return ret;
	if (outcome_diff(out, d, &df, &ls->st.fields)) {
		lockstep_format_outcome(out, ls->mm.ref, sizeof(ls->mm.ref));
		lockstep_format_outcome(d, ls->mm.dut, sizeof(ls->mm.dut));
		return mismatch(ls, c, &df);
	}
	return after_call(ls, c);
}

static int ls_access(struct machine *m, const struct mmu_req *req,
		     struct mmu_outcome *out)
{
	struct lockstep *ls = to_ls(m);
	struct ls_call c = { .kind = LOCKSTEP_ACCESS, .req = req };
	struct mmu_outcome d;
	unsigned same;
	int rr, dr;

	if (ls->stopped)
		return lockstep_refused(ls);
	begin(ls, &c);
	rr = machine_access(ls->ref, req, out);
	dr = machine_access(ls->dut, req, &d);
	if (!rr && !dr)
		out->cycles = d.cycles;
	same = rr || dr ? 0 : outcome_same(out, &d);
	if (!same)
		return access_differs(ls, &c, rr, dr, out, &d);
	ls->st.fields += 1 + same;  /* the return code, the outcome */
	return after_call(ls, &c);
}

static const char *ctl_result_str(enum mmu_ctl_result r)
{
	return r == MMU_CTL_GP ? "#GP (nothing changed)" : "done";
}

static int ls_ctl(struct machine *m, const struct mmu_ctl *k,
		  enum mmu_ctl_result *res)
{
	struct lockstep *ls = to_ls(m);
	struct ls_call c = { .kind = LOCKSTEP_CTL, .ctl = k };
	enum mmu_ctl_result dres = MMU_CTL_DONE;
	int rr, dr, ret;

	if (ls->stopped)
		return lockstep_refused(ls);
	begin(ls, &c);
	*res = MMU_CTL_DONE;
	rr = machine_ctl(ls->ref, k, res);
	dr = machine_ctl(ls->dut, k, &dres);
	if (!compare_rc(ls, &c, rr, dr, &ret))
		return ret;
	if (*res != dres) {
		struct diff d = { .prefix = "", .field = "ctl result",
				  .ref = *res, .dut = dres };

		snprintf(ls->mm.ref, sizeof(ls->mm.ref), "%s",
			 ctl_result_str(*res));
		snprintf(ls->mm.dut, sizeof(ls->mm.dut), "%s",
			 ctl_result_str(dres));
		return mismatch(ls, &c, &d);  /* carried on: *res is the ref's */
	}
	ls->st.fields++;
	return after_call(ls, &c);
}

typedef int (*read_fn)(struct machine *m, uint64_t pa, void *buf, size_t len);

/* phys_read and mem_peek: read both, compare every byte. */
static int read_both(struct lockstep *ls, struct ls_call *c, read_fn rd,
		     void *buf)
{
	uint8_t small[STACK_BUF], *tmp = small;
	int rr, dr, ret;

	if (ls->stopped)
		return lockstep_refused(ls);
	if (c->len > sizeof(small) && !(tmp = malloc(c->len)))
		return mmu_errf(ls->base.err, sizeof(ls->base.err), MMU_ENOMEM,
			       "lockstep: out of host memory for a %zu-byte read",
			       c->len);
	begin(ls, c);
	rr = rd(ls->ref, c->pa, buf, c->len);
	dr = rd(ls->dut, c->pa, tmp, c->len);
	if (compare_rc(ls, c, rr, dr, &ret))
		ret = compare_bytes(ls, c, buf, tmp);
	if (!ret)
		ret = after_call(ls, c);
	if (tmp != small)
		free(tmp);
	return ret;
}

static int ls_phys_read(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct lockstep *ls = to_ls(m);
	struct ls_call c = { .kind = LOCKSTEP_PHYS_READ, .pa = pa, .len = len };

	return read_both(ls, &c, machine_phys_read, buf);
}

static int ls_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct lockstep *ls = to_ls(m);
	struct ls_call c = { .kind = LOCKSTEP_MEM_PEEK, .pa = pa, .len = len };

	return read_both(ls, &c, machine_mem_peek, buf);
}

static int ls_phys_write(struct machine *m, uint64_t pa, const void *buf,
			 size_t len)
{
	struct lockstep *ls = to_ls(m);
	struct ls_call c = { .kind = LOCKSTEP_PHYS_WRITE, .pa = pa, .len = len };
	int rr, dr, ret;

	if (ls->stopped)
		return lockstep_refused(ls);
	begin(ls, &c);
	rr = machine_phys_write(ls->ref, pa, buf, len);
	dr = machine_phys_write(ls->dut, pa, buf, len);
	if (!compare_rc(ls, &c, rr, dr, &ret))
		return ret;
	return after_call(ls, &c);
}

static void ls_regs(struct machine *m, struct mmu_regs *r)
{
	machine_regs(to_ls(m)->ref, r);
}

/* The reference's counters, with the DUT's notion of time. */
static void ls_counters(struct machine *m, struct mmu_counters *c)
{
	struct lockstep *ls = to_ls(m);
	struct mmu_counters d;

	machine_counters(ls->ref, c);
	machine_counters(ls->dut, &d);
	c->walk_cycles = d.walk_cycles;
	c->cycles = d.cycles;
}

static void ls_destroy(struct machine *m)
{
	struct lockstep *ls = to_ls(m);

	machine_destroy(ls->ref);
	machine_destroy(ls->dut);
	free(ls);
}

static const struct machine_ops lockstep_ops = {
	.name = "lockstep",
	.access = ls_access,
	.ctl = ls_ctl,
	.phys_read = ls_phys_read,
	.phys_write = ls_phys_write,
	.mem_peek = ls_mem_peek,
	.regs = ls_regs,
	.counters = ls_counters,
	.destroy = ls_destroy,
	.tlb_slot = lockstep_tlb_slot,
	.line_slot = lockstep_line_slot,
};

/* ---- the public functions ----------------------------------------------- */

/* The configuration keys, not the name: a file copy of "x86" is x86. */
static const char *config_diff(const struct mmu_config *a,
			       const struct mmu_config *b)
{
	if (a->canonical != b->canonical)
		return "canonical";
#define CMP_KEY(key, doc)                                                      \
	if (a->key != b->key)                                                  \
		return #key;
	MMU_CONFIG_KEYS(CMP_KEY)
#undef CMP_KEY
	return NULL;
}

static int create_fail(struct machine *ref, struct machine *dut, int code,
		       char *err, size_t errlen, const char *msg, const char *arg)
{
	machine_destroy(ref);
	if (dut != ref)
		machine_destroy(dut);
	return mmu_errf(err, errlen, code, "lockstep: %s%s", msg, arg);
}

int lockstep_create(struct machine *ref, struct machine *dut,
		    struct machine **out, char *err, size_t errlen)
{
	struct lockstep *ls;
	const char *key;

	if (!ref || !dut || !out || ref == dut)
		return create_fail(ref, dut, MMU_EINVAL, err, errlen,
				   "needs two distinct machines", "");
	key = config_diff(&ref->cfg, &dut->cfg);
	if (key)
		return create_fail(ref, dut, MMU_EINVAL, err, errlen,
				   "the two machines differ in configuration key ",
				   key);
	if (ref->mem_bytes != dut->mem_bytes)
		return create_fail(ref, dut, MMU_EINVAL, err, errlen,
				   "the two machines differ in memory size", "");
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return create_fail(ref, dut, MMU_ENOMEM, err, errlen,
				   "out of host memory", "");
	ls->base.ops = &lockstep_ops;
	ls->base.cfg = ref->cfg;
	ls->base.mem_bytes = ref->mem_bytes;
	ls->ref = ref;
	ls->dut = dut;
	*out = &ls->base;
	return 0;
}

bool lockstep_is(const struct machine *m)
{
	return m && m->ops == &lockstep_ops;
}

struct machine *lockstep_ref(struct machine *ls)
{
	return lockstep_is(ls) ? to_ls(ls)->ref : NULL;
}

struct machine *lockstep_dut(struct machine *ls)
{
	return lockstep_is(ls) ? to_ls(ls)->dut : NULL;
}

static int not_lockstep(struct machine *m)
{
	if (m)
		mmu_errf(m->err, sizeof(m->err), MMU_EINVAL,
			"not a lockstep machine");
	return MMU_EINVAL;
}

static int check_chunk(struct lockstep *ls, uint64_t pa, size_t n,
		       uint8_t *buf)
{
	struct ls_call c = { .kind = LOCKSTEP_MEM_PEEK, .pa = pa, .len = n,
			  .final_check = true };

	return read_both(ls, &c, machine_mem_peek, buf);
}

int lockstep_check_memory(struct machine *m)
{
	struct mmu_ctl flush = { .op = MMU_CTL_FLUSH_ALL };
	enum mmu_ctl_result res;
	struct lockstep *ls;
	uint8_t *buf;
	int rc;

	if (!lockstep_is(m))
		return not_lockstep(m);
	ls = to_ls(m);
	rc = ls_ctl(m, &flush, &res);
	if (rc)
		return rc;
	buf = malloc(MEM_CHUNK);
	if (!buf)
		return mmu_errf(m->err, sizeof(m->err), MMU_ENOMEM,
			       "lockstep: out of host memory");
	for (uint64_t pa = 0; !rc && pa < m->mem_bytes; pa += MEM_CHUNK) {
		uint64_t left = m->mem_bytes - pa;

		rc = check_chunk(ls, pa, left < MEM_CHUNK ? (size_t)left :
				 MEM_CHUNK, buf);
	}
	free(buf);
	if (!rc)
		ls->st.mem_checks++;
	return rc;
}

int lockstep_check_counters(struct machine *m)
{
	if (!lockstep_is(m))
		return not_lockstep(m);
	if (to_ls(m)->stopped)
		return lockstep_refused(to_ls(m));
	return compare_counters(to_ls(m));
}

void lockstep_check_counters_every(struct machine *m, uint64_t n)
{
	struct lockstep *ls = to_ls(m);

	if (!lockstep_is(m))
		return;
	ls->counters_every = n;
	ls->counters_due = n ? (ls->st.calls / n + 1) * n : 0;
}

const struct lockstep_mismatch *lockstep_mismatch(struct machine *m)
{
	return lockstep_mismatch_at(m, 0);
}

const struct lockstep_mismatch *lockstep_mismatch_at(struct machine *m,
						     uint64_t i)
{
	if (!lockstep_is(m) || i >= to_ls(m)->st.mismatches ||
	    i >= LOCKSTEP_KEEP_REPORTS)
		return NULL;
	return &to_ls(m)->kept[i];
}

int lockstep_set_continue(struct machine *m, bool on)
{
	if (!lockstep_is(m))
		return not_lockstep(m);
	to_ls(m)->carry_on = on;
	return 0;
}

void lockstep_stats(struct machine *m, struct lockstep_stats *st)
{
	if (lockstep_is(m))
		*st = to_ls(m)->st;
	else
		memset(st, 0, sizeof(*st));
}

int lockstep_on_mismatch(struct machine *m, lockstep_hook_fn fn, void *ctx)
{
	struct lockstep *ls;

	if (!lockstep_is(m) || !fn)
		return not_lockstep(m);
	ls = to_ls(m);
	if (ls->nhooks == LOCKSTEP_MAX_HOOKS)
		return mmu_errf(m->err, sizeof(m->err), MMU_EINVAL,
			       "lockstep: at most %d mismatch callbacks",
			       LOCKSTEP_MAX_HOOKS);
	ls->hook[ls->nhooks].fn = fn;
	ls->hook[ls->nhooks++].ctx = ctx;
	return 0;
}
