/* SPDX-License-Identifier: MIT */
/*
 * The permission oracle (see perm_oracle.h).  Every rule below cites the
 * Intel SDM Vol. 3A section it comes from; nothing here was derived from the
 * model's code.
 */
#include <stdio.h>

#include "perm_oracle.h"

/* True when the flag is 1 in all four entries. */
static bool at_every_level(uint8_t mask)
{
	return (mask & PERM_ALL_LEVELS) == PERM_ALL_LEVELS;
}

/*
 * SDM 4.5 (Table 4-14 and following): with EFER.NXE = 0, bit 63 of every
 * paging-structure entry is reserved.  The walk is top-down, so the fault is
 * reported at the highest-level entry that has XD set.  Returns PERM_LEVELS
 * when no entry has a reserved bit set.
 */
static unsigned first_reserved_level(const struct perm_case *c)
{
	if (c->nxe)
		return PERM_LEVELS;
	for (unsigned l = 0; l < PERM_LEVELS; l++)
		if (c->xd & PERM_LVL(l))
			return l;
	return PERM_LEVELS;
}

/* Whole-translation predicates of SDM 4.6.1. */
struct perm_facts {
	bool user_addr;  /* U/S = 1 at every level: a user-mode address */
	bool writable;   /* R/W = 1 at every level */
	bool exec_dis;   /* NXE = 1 and XD = 1 at some level */
};

static void perm_facts(const struct perm_case *c, struct perm_facts *f)
{
	f->user_addr = at_every_level(c->us);
	f->writable = at_every_level(c->rw);
	f->exec_dis = c->nxe && (c->xd & PERM_ALL_LEVELS) != 0;
}

/* SDM 4.6.1, "User-mode access" rules. */
static bool user_access_allowed(const struct perm_case *c,
				const struct perm_facts *f)
{
	if (!f->user_addr)
		return false;  /* CPL 3 never touches supervisor-mode addresses */
	switch (c->op) {
	case MMU_LOAD:
		return true;
	case MMU_STORE:
		return f->writable;  /* CR0.WP does not matter for CPL 3 */
	case MMU_FETCH:
		return !f->exec_dis;
	}
	return false;
}

/*
 * SDM 4.6.1, "Supervisor-mode access" rules for explicit data accesses.
 * SMAP forbids explicit supervisor data accesses to user-mode addresses
 * unless RFLAGS.AC = 1; where SMAP does not forbid the access, writes follow
 * CR0.WP whether the address is user or supervisor.
 */
static bool supervisor_data_allowed(const struct perm_case *c,
				    const struct perm_facts *f)
{
	bool smap_blocks = f->user_addr && c->smap && !c->ac;

	if (smap_blocks)
		return false;
	if (c->op == MMU_LOAD)
		return true;
	return !c->wp || f->writable;
}

/*
 * SDM 4.6.1, supervisor instruction fetches: SMEP forbids fetching from any
 * user-mode address (whatever XD says); otherwise only XD (with NXE)
 * matters.
 */
static bool supervisor_fetch_allowed(const struct perm_case *c,
				     const struct perm_facts *f)
{
	if (f->user_addr && c->smep)
		return false;
	return !f->exec_dis;
}

static bool access_allowed(const struct perm_case *c)
{
	struct perm_facts f;

	perm_facts(c, &f);
	if (c->user)
		return user_access_allowed(c, &f);
	if (c->op == MMU_FETCH)
		return supervisor_fetch_allowed(c, &f);
	return supervisor_data_allowed(c, &f);
}

/*
 * SDM 4.6.2: with CR4.PKE = 1 the PKRU bits of a user-mode address's key
 * govern data accesses to it, whoever makes them: if AD is set no data
 * access is permitted; if WD is set user-mode writes are not, and
 * supervisor-mode writes are not when CR0.WP = 1.  Instruction fetches
 * are never affected, and the key of a supervisor-mode address is ignored.
 */
static bool key_forbids(const struct perm_case *c)
{
	struct perm_facts f;

	perm_facts(c, &f);
	if (!c->pke || !f.user_addr || c->op == MMU_FETCH)
		return false;
	if (c->ad)
		return true;
	return c->op == MMU_STORE && c->wd && (c->user || c->wp);
}

/*
 * SDM 4.7: P = 1 for every fault here (no entry is ever not present), RSVD
 * for reserved-bit faults, W/R and U/S describe the access, I/D is set
 * for instruction fetches only when NXE or SMEP is enabled, and PK when
 * the key forbids the access (whatever the other rights say; never with
 * RSVD, where the walk ends before the leaf's key is known).
 */
static uint32_t error_code_for(const struct perm_case *c, bool rsvd)
{
	uint32_t ec = PFEC_P;

	if (!rsvd && key_forbids(c))
		ec |= PFEC_PK;

	if (c->op == MMU_STORE)
		ec |= PFEC_WR;
	if (c->user)
		ec |= PFEC_US;
	if (rsvd)
		ec |= PFEC_RSVD;
	if (c->op == MMU_FETCH && (c->nxe || c->smep))
		ec |= PFEC_ID;
	return ec;
}

/*
 * SDM 4.8 plus the project's documented policy: every non-leaf entry the
 * walk consumes (present, no reserved bit) gets A; the leaf gets A (and D
 * for a store) only when the access is allowed; D never appears above the
 * leaf.  `used` is how many entries, from the top, the walk consumed.
 */
static void expected_ad(const struct perm_case *c, unsigned used,
			bool allowed, pte_t ad[PERM_LEVELS])
{
	for (unsigned l = 0; l < PERM_LEVELS; l++)
		ad[l] = 0;
	for (unsigned l = 0; l < used && l < PERM_PTE; l++)
		ad[l] = PTE_A;
	if (allowed)
		ad[PERM_PTE] = PTE_A | (c->op == MMU_STORE ? PTE_D : 0);
}

void perm_oracle(const struct perm_case *c, struct perm_expect *e)
{
	unsigned rsvd_level = first_reserved_level(c);

	if (rsvd_level < PERM_LEVELS) {
		/* The walk stops at the bad entry: no permission check. */
		e->fault = true;
		e->error_code = error_code_for(c, true);
		expected_ad(c, rsvd_level, false, e->ad);
		return;
	}

	e->fault = !access_allowed(c) || key_forbids(c);
	e->error_code = e->fault ? error_code_for(c, false) : 0;
	expected_ad(c, PERM_LEVELS, !e->fault, e->ad);
}

static const char *const level_names[PERM_LEVELS] = {
	"PML4E", "PDPTE", "PDE", "PTE",
};

const char *perm_case_str(const struct perm_case *c, char *buf, size_t len)
{
	size_t n = 0;
	int w;

	for (unsigned l = 0; l < PERM_LEVELS && n < len; l++) {
		w = snprintf(buf + n, len - n, "%s us=%d rw=%d xd=%d | ",
			     level_names[l], !!(c->us & PERM_LVL(l)),
			     !!(c->rw & PERM_LVL(l)), !!(c->xd & PERM_LVL(l)));
		if (w < 0)
			return buf;
		n += (size_t)w;
	}
	if (n < len)
		snprintf(buf + n, len - n,
			 "%s %s WP=%d NXE=%d SMEP=%d SMAP=%d AC=%d PKE=%d "
			 "key=%u AD=%d WD=%d",
			 mmu_op_str(c->op), c->user ? "user" : "supervisor",
			 c->wp, c->nxe, c->smep, c->smap, c->ac, c->pke, c->key,
			 c->ad, c->wd);
	return buf;
}

const char *perm_ad_str(const pte_t ad[PERM_LEVELS], char *buf, size_t len)
{
	static const char *const names[4] = { "-", "A", "D", "AD" };
	unsigned v[PERM_LEVELS];

	for (unsigned l = 0; l < PERM_LEVELS; l++)
		v[l] = perm_ad_bits(ad[l]);
	snprintf(buf, len, "[%s,%s,%s,%s]", names[v[0]], names[v[1]],
		 names[v[2]], names[v[3]]);
	return buf;
}
