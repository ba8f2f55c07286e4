/* SPDX-License-Identifier: MIT */
/* Back-end independent helpers of the machine interface. */
#include "machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mmu_errf(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* What each op takes, beyond its op code. */
enum { TAKES_VALUE = 1, TAKES_ADDR = 2, TAKES_INVPCID = 4 };

static unsigned ctl_operands(enum mmu_ctl_op op)
{
	switch (op) {
	case MMU_CTL_WRITE_CR0: case MMU_CTL_WRITE_CR2:
	case MMU_CTL_WRITE_CR3: case MMU_CTL_WRITE_CR4:
	case MMU_CTL_WRITE_EFER: case MMU_CTL_SET_AC:
	case MMU_CTL_WRITE_PKRU:
		return TAKES_VALUE;
	case MMU_CTL_INVLPG: case MMU_CTL_CLEAN_LINE:
	case MMU_CTL_INVAL_LINE: case MMU_CTL_FLUSH_LINE:
		return TAKES_ADDR;
	case MMU_CTL_INVPCID:
		return TAKES_ADDR | TAKES_INVPCID;
	default:
		return 0;
	}
}

static bool is_register_write(enum mmu_ctl_op op)
{
	return (unsigned)op < MMU_CTL_NOPS && ctl_operands(op) == TAKES_VALUE;
}

int mmu_ctl_check(struct machine *m, const struct mmu_ctl *c)
{
	const char *name = mmu_ctl_op_str(c->op);
	unsigned t;

	if ((unsigned)c->op >= MMU_CTL_NOPS) {
		snprintf(m->err, sizeof(m->err), "unknown control operation %d",
			 (int)c->op);
		return MMU_EINVAL;
	}
	t = ctl_operands(c->op);
	if (c->value && !(t & TAKES_VALUE))
		snprintf(m->err, sizeof(m->err), "ctl %s takes no value (%#llx "
			 "given)%s", name, (unsigned long long)c->value,
			 t & TAKES_ADDR ? ": its address goes in .addr" : "");
	else if (c->addr && !(t & TAKES_ADDR))
		snprintf(m->err, sizeof(m->err), "ctl %s takes no address "
			 "(%#llx given)%s", name, (unsigned long long)c->addr,
			 t & TAKES_VALUE ? ": its operand goes in .value" : "");
	else if ((c->type || c->pcid) && !(t & TAKES_INVPCID))
		snprintf(m->err, sizeof(m->err), "ctl %s takes no INVPCID type "
			 "or PCID", name);
	else if (c->op == MMU_CTL_SET_AC && c->value > 1)
		snprintf(m->err, sizeof(m->err), "ctl ac: value %#llx is not "
			 "0 (CLAC) or 1 (STAC)", (unsigned long long)c->value);
	else
		return 0;
	return MMU_EINVAL;
}

static int ctl_simple(struct machine *m, const struct mmu_ctl *c)
{
	enum mmu_ctl_result res;
	int rc = machine_ctl(m, c, &res);

	if (rc)
		return rc;
	if (res != MMU_CTL_GP)
		return MMU_OK;
	snprintf(m->err, sizeof(m->err), "ctl %s raised #GP",
		 mmu_ctl_op_str(c->op));
	return MMU_EGP;
}

int machine_write_cr(struct machine *m, enum mmu_ctl_op op, uint64_t value)
{
	struct mmu_ctl c = { .op = op, .value = value };

	if (!is_register_write(op)) {
		snprintf(m->err, sizeof(m->err), "machine_write_cr: ctl %s is "
			 "not a register write", mmu_ctl_op_str(op));
		return MMU_EINVAL;
	}
	return ctl_simple(m, &c);
}

int machine_wrpkru(struct machine *m, uint32_t pkru)
{
	return machine_write_cr(m, MMU_CTL_WRITE_PKRU, pkru);
}

int machine_rdpkru(struct machine *m, uint32_t *pkru)
{
	struct mmu_regs r;

	machine_regs(m, &r);
	if (!(r.cr4 & CR4_PKE)) {
		snprintf(m->err, sizeof(m->err), "RDPKRU with CR4.PKE = 0 "
			 "raised #UD");
		return MMU_EGP;
	}
	*pkru = r.pkru;
	return MMU_OK;
}

int machine_invlpg(struct machine *m, uint64_t va)
{
	struct mmu_ctl c = { .op = MMU_CTL_INVLPG, .addr = va };

	return ctl_simple(m, &c);
}

int machine_invpcid(struct machine *m, unsigned type, uint16_t pcid,
		    uint64_t va)
{
	struct mmu_ctl c = { .op = MMU_CTL_INVPCID, .type = type, .pcid = pcid,
			     .addr = va };

	return ctl_simple(m, &c);
}

int machine_cache_op(struct machine *m, enum mmu_ctl_op op, uint64_t pa)
{
	struct mmu_ctl c = { .op = op, .addr = pa };

	if (op < MMU_CTL_CLEAN_LINE || op > MMU_CTL_FLUSH_ALL) {
		snprintf(m->err, sizeof(m->err), "machine_cache_op: ctl %s is "
			 "not a cache operation", mmu_ctl_op_str(op));
		return MMU_EINVAL;
	}

	return ctl_simple(m, &c);
}

int machine_phys_read64(struct machine *m, uint64_t pa, uint64_t *v)
{
	uint8_t b[8];
	int rc = machine_phys_read(m, pa, b, sizeof(b));
	uint64_t x = 0;

	if (rc)
		return rc;
	for (int i = 7; i >= 0; i--)
		x = (x << 8) | b[i];
	*v = x;
	return 0;
}

int machine_phys_write64(struct machine *m, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return machine_phys_write(m, pa, b, sizeof(b));
}

int machine_pte_read(struct machine *m, uint64_t pa, pte_t *v)
{
	uint8_t b[8];
	unsigned n = (unsigned)m->cfg.pte_bytes;
	pte_t x = 0;
	int rc = machine_phys_read(m, pa, b, n);

	if (rc)
		return rc;
	for (unsigned i = n; i-- > 0;)
		x = (x << 8) | b[i];
	*v = x;
	return 0;
}

int machine_pte_write(struct machine *m, uint64_t pa, pte_t v)
{
	uint8_t b[8];
	unsigned n = (unsigned)m->cfg.pte_bytes;

	for (unsigned i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return machine_phys_write(m, pa, b, n);
}

/* ---- debug path ----------------------------------------------------- */

static int dbg_fail(struct machine *m, const char *what)
{
	snprintf(m->err, sizeof(m->err), "%s", what);
	return MMU_EINVAL;
}

static bool fits(uint64_t v, uint64_t bits)
{
	return bits >= 64 || (v >> bits) == 0;
}

static int tlb_slot_check(struct machine *m, unsigned set, unsigned way,
			  const struct mmu_tlb_slot *e)
{
	const struct mmu_config *c = &m->cfg;

	if (!m->ops->tlb_slot)
		return dbg_fail(m, "this back end has no debug path to the TLB");
	if (set >= c->tlb_sets || way >= c->tlb_ways)
		return dbg_fail(m, "TLB set or way outside the configuration");
	if (!e)
		return 0;
	if (!fits(e->vpn, c->vpn_bits) || (e->vpn & (c->tlb_sets - 1)) != set)
		return dbg_fail(m, "TLB entry: the VPN does not fit, or its TLBI "
			       "bits are not the set");
	if (!fits(e->ppn, c->ppn_bits) || e->pcid > CR3_PCID_MASK ||
	    e->pkey >= PTE_NPKEYS)
		return dbg_fail(m, "TLB entry: PPN, PCID or protection key too "
			       "wide");
	if (e->level < 1 || e->level > c->levels || e->level > 3)
		return dbg_fail(m, "TLB entry: level must be 1..3 and at most "
			       "the configuration's levels");
	return 0;
}

static int line_slot_check(struct machine *m, unsigned set, unsigned way,
			   const struct mmu_line_slot *l)
{
	const struct mmu_config *c = &m->cfg;

	if (!m->ops->line_slot)
		return dbg_fail(m, "this back end has no debug path to the L1");
	if (set >= c->l1_sets || way >= c->l1_ways)
		return dbg_fail(m, "L1 set or way outside the configuration");
	if (l && !fits(l->tag, c->l1_tag_bits))
		return dbg_fail(m, "L1 line: the tag is wider than CT");
	if (l && l->dirty && !l->valid)
		return dbg_fail(m, "L1 line: dirty but not valid");
	return 0;
}

int machine_tlb_read(struct machine *m, unsigned set, unsigned way,
		     struct mmu_tlb_slot *e)
{
	int rc = tlb_slot_check(m, set, way, NULL);

	return rc ? rc : m->ops->tlb_slot(m, set, way, e, false);
}

int machine_tlb_write(struct machine *m, unsigned set, unsigned way,
		      const struct mmu_tlb_slot *e)
{
	struct mmu_tlb_slot c = *e;
	int rc = tlb_slot_check(m, set, way, e);

	return rc ? rc : m->ops->tlb_slot(m, set, way, &c, true);
}

int machine_line_read(struct machine *m, unsigned set, unsigned way,
		      struct mmu_line_slot *l)
{
	int rc = line_slot_check(m, set, way, NULL);

	return rc ? rc : m->ops->line_slot(m, set, way, l, false);
}

int machine_line_write(struct machine *m, unsigned set, unsigned way,
		       const struct mmu_line_slot *l)
{
	struct mmu_line_slot c = *l;
	int rc = line_slot_check(m, set, way, l);

	return rc ? rc : m->ops->line_slot(m, set, way, &c, true);
}

const char *mmu_err_str(int err)
{
	switch (err) {
	case MMU_OK: return "ok";
	case MMU_EINVAL: return "invalid request";
	case MMU_ENOMEM: return "out of host memory";
	case MMU_ERANGE: return "physical address outside memory";
	case MMU_EBACKEND: return "back-end failure";
	case MMU_EGP: return "#GP (general-protection fault)";
	}
	return "unknown error";
}

const char *mmu_status_str(enum mmu_status s)
{
	switch (s) {
	case MMU_ST_OK: return "ok";
	case MMU_ST_PAGE_FAULT: return "#PF";
	case MMU_ST_GP_FAULT: return "#GP";
	case MMU_ST_BUS_ERROR: return "bus-error";
	}
	return "?";
}

const char *mmu_op_str(enum mmu_op op)
{
	switch (op) {
	case MMU_LOAD: return "load";
	case MMU_STORE: return "store";
	case MMU_FETCH: return "fetch";
	}
	return "?";
}

const char *mmu_ctl_op_str(enum mmu_ctl_op op)
{
	static const char *const names[] = {
		[MMU_CTL_WRITE_CR0] = "cr0",       [MMU_CTL_WRITE_CR3] = "cr3",
		[MMU_CTL_WRITE_CR4] = "cr4",       [MMU_CTL_WRITE_EFER] = "efer",
		[MMU_CTL_SET_AC] = "ac",           [MMU_CTL_INVLPG] = "invlpg",
		[MMU_CTL_INVPCID] = "invpcid",     [MMU_CTL_CLEAN_LINE] = "clean",
		[MMU_CTL_INVAL_LINE] = "inval",    [MMU_CTL_FLUSH_LINE] = "flush",
		[MMU_CTL_CLEAN_ALL] = "clean-all", [MMU_CTL_INVAL_ALL] = "inval-all",
		[MMU_CTL_FLUSH_ALL] = "flush-all", [MMU_CTL_WRITE_CR2] = "cr2",
		[MMU_CTL_WRITE_PKRU] = "pkru",
	};

	if ((unsigned)op < sizeof(names) / sizeof(names[0]) && names[op])
		return names[op];
	return "?";
}

const char *mmu_pfec_str(uint32_t ec, char *buf, size_t len)
{
	static const char *const bit[] = { "P", "W", "U", "RSVD", "I", "PK" };
	size_t off = 0;

	if (!len)
		return buf;
	buf[0] = 0;
	for (unsigned i = 0; i < sizeof(bit) / sizeof(bit[0]); i++) {
		if (!(ec & (1u << i)))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s", off ? "|" : "",
				 bit[i]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		snprintf(buf, len, "0");
	return buf;
}

int mmu_outcome_format(const struct mmu_outcome *o, char *buf, size_t len)
{
	char ec[32];
	int n;

	n = snprintf(buf, len,
		     "%s data=%#llx pa=%#llx ec=%s cr2=%#llx tlb=%s walk=%d "
		     "l1=%s reads=%u psc=%u level=%u ad=%u",
		     mmu_status_str(o->status), (unsigned long long)o->rdata,
		     (unsigned long long)o->pa,
		     mmu_pfec_str(o->error_code, ec, sizeof(ec)),
		     (unsigned long long)o->cr2, o->tlb_hit ? "hit" : "miss",
		     o->walked, o->l1_hit ? "hit" : "miss", o->walk_reads,
		     o->psc_level, o->page_level, o->n_ad);
	/* n_ad comes from a back end: never trust it past the array. */
	for (unsigned i = 0; i < o->n_ad && i < MMU_MAX_LEVELS && n > 0 &&
	     (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, " [%#llx]=%#llx",
			      (unsigned long long)o->ad[i].pa,
			      (unsigned long long)o->ad[i].value);
	return n;
}

void mmu_split_va(const struct mmu_config *cfg, uint64_t va,
		  struct mmu_va_fields *f)
{
	uint64_t vmask = cfg->va_bits >= 64 ? ~0ull : (1ull << cfg->va_bits) - 1;
	uint64_t imask = (1ull << cfg->index_bits) - 1;

	memset(f, 0, sizeof(*f));
	va &= vmask;
	f->vpo = va & ((1ull << cfg->page_shift) - 1);
	f->vpn = va >> cfg->page_shift;
	f->tlbi = f->vpn & (cfg->tlb_sets - 1);
	f->tlbt = f->vpn >> cfg->tlb_index_bits;
	for (unsigned l = 0; l < cfg->levels; l++)
		f->vpn_index[l] = (f->vpn >> (l * cfg->index_bits)) & imask;
}

void mmu_split_pa(const struct mmu_config *cfg, uint64_t pa,
		  struct mmu_pa_fields *f)
{
	f->ppo = pa & ((1ull << cfg->page_shift) - 1);
	f->ppn = pa >> cfg->page_shift;
	f->co = pa & (cfg->l1_line - 1);
	f->ci = (pa >> cfg->l1_offset_bits) & (cfg->l1_sets - 1);
	f->ct = pa >> (cfg->l1_offset_bits + cfg->l1_index_bits);
}
