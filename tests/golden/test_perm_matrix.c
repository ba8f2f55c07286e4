/* SPDX-License-Identifier: MIT */
/*
 * The exhaustive permission matrix: every combination of U/S, R/W and XD at
 * the four levels (2^12), op (load/store/fetch), user/supervisor, CR0.WP,
 * EFER.NXE, CR4.SMEP, CR4.SMAP, RFLAGS.AC, CR4.PKE and the AD and WD bits of
 * PKRU for the leaf's protection key (2^8 control combinations), on the
 * golden model, checked against the independent oracle in perm_oracle.c
 * (SDM Vol. 3A 4.6-4.8).  The key itself cycles through all 16 values
 * across the matrix ((combination + controls) mod 16); every other key's
 * PKRU bits are the opposite of the leaf key's and the entries above the
 * leaf carry a different key in their (ignored) bits 62..59, so a model
 * that looked up the wrong key would be caught.  Checked:
 * fault or not, exact error code, CR2, A/D bits left in all four entries,
 * the data read by loads and fetches, and whether a store reached memory.
 *
 * One cmocka test per (op, user/supervisor) so that a failure points at a
 * slice of the matrix; each stops at its first mismatch and prints the whole
 * combination.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../sw/config/config.h"
#include "../../sw/golden/golden.h"
#include "../../sw/machine/machine.h"
#include "perm_oracle.h"

/*
 * The layout: one page of each paging structure and one data page, mapping
 * PM_VA.  The offset inside the page is non-zero so that CR2 is checked to
 * carry the full linear address, not just the page.
 */
#define PM_VA         0x0000123456789238ull
#define PM_PML4_PA    0x1000ull
#define PM_DATA_PA    0x5000ull
#define PM_PAGE       4096u
#define PM_PATTERN    0x0123456789abcdefull  /* what the data slot holds */

/* Physical frame of the table at each level; the PTE points at the data. */
static const uint64_t pm_table_pa[PERM_LEVELS] = {
	0x1000, 0x2000, 0x3000, 0x4000,
};

/* Totals over the whole run, printed by main(). */
static struct {
	unsigned long checked;
	unsigned long faults;
	unsigned long pk_faults;  /* faults with the PK bit */
	bool ad_seen[256];  /* observed A/D pattern of the four entries */
} pm_stats;

/* --- layout ------------------------------------------------------------ */

/* Index of PM_VA at walk level l: bits 47..39, 38..30, 29..21, 20..12. */
static uint64_t pm_index(unsigned l)
{
	unsigned shift = 39 - 9 * l;

	return (PM_VA >> shift) & 0x1ff;
}

static uint64_t pm_entry_pa(unsigned l)
{
	return pm_table_pa[l] + 8 * pm_index(l);
}

static uint64_t pm_data_pa(void)
{
	return PM_DATA_PA + (PM_VA & (PM_PAGE - 1));
}

/* The entry at level l for case c, with A and D clear. */
static pte_t pm_entry(const struct perm_case *c, unsigned l)
{
	uint64_t next = l == PERM_PTE ? PM_DATA_PA : pm_table_pa[l + 1];
	pte_t e = next | PTE_P;

	/* The leaf's key; above the leaf bits 62..59 are ignored. */
	e = pte_with_pkey(e, l == PERM_PTE ? c->key : c->key ^ 5);

	if (c->us & PERM_LVL(l))
		e |= PTE_US;
	if (c->rw & PERM_LVL(l))
		e |= PTE_RW;
	if (c->xd & PERM_LVL(l))
		e |= PTE_XD;
	return e;
}

/* The 12-bit combination number n: U/S in bits 3..0, R/W 7..4, XD 11..8. */
static void pm_case_from_combo(struct perm_case *c, unsigned n)
{
	c->us = n & PERM_ALL_LEVELS;
	c->rw = (n >> 4) & PERM_ALL_LEVELS;
	c->xd = (n >> 8) & PERM_ALL_LEVELS;
}

/* The 8-bit control number k: WP, NXE, SMEP, SMAP, AC, PKE, AD, WD in
 * bits 0..7. */
static void pm_case_from_ctl(struct perm_case *c, unsigned k)
{
	c->wp = k & 1;
	c->nxe = (k >> 1) & 1;
	c->smep = (k >> 2) & 1;
	c->smap = (k >> 3) & 1;
	c->ac = (k >> 4) & 1;
	c->pke = (k >> 5) & 1;
	c->ad = (k >> 6) & 1;
	c->wd = (k >> 7) & 1;
}

/* PKRU for c: the leaf key's AD/WD as asked, every other key's opposite. */
static uint32_t pm_pkru(const struct perm_case *c)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < PTE_NPKEYS; i++) {
		bool mine = i == c->key;

		if (c->ad == mine)
			v |= PKRU_AD(i);
		if (c->wd == mine)
			v |= PKRU_WD(i);
	}
	return v;
}

/* --- fixture ------------------------------------------------------------ */

static int pm_zero_page(struct machine *m, uint64_t pa)
{
	static const uint8_t zero[PM_PAGE];

	return machine_phys_write(m, pa, zero, sizeof(zero));
}

/* A fresh machine per test: no state leaks from one slice to the next. */
static int pm_setup(void **state)
{
	struct mmu_config cfg;
	struct machine *m = NULL;
	char err[MMU_CFG_ERR_MAX];
	int rc;

	if (mmu_config_load("x86", &cfg, err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	rc = golden_create(&cfg, 0, &m, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "golden_create: %s: %s\n", mmu_err_str(rc), err);
		return -1;
	}
	/* Tables start all-zero so only the four entries we write exist. */
	for (unsigned l = 0; l < PERM_LEVELS; l++)
		if (pm_zero_page(m, pm_table_pa[l]))
			goto fail;
	if (pm_zero_page(m, PM_DATA_PA) ||
	    machine_phys_write64(m, pm_data_pa(), PM_PATTERN) ||
	    machine_write_cr(m, MMU_CTL_WRITE_CR3, PM_PML4_PA))
		goto fail;
	*state = m;
	return 0;
fail:
	fprintf(stderr, "setup: %s\n", m->err);
	machine_destroy(m);
	return -1;
}

static int pm_teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

/* --- one access ----------------------------------------------------------- */

/* What the machine did, gathered for comparison and for the report. */
struct pm_observed {
	int rc;                    /* machine_access return */
	struct mmu_outcome out;
	pte_t entry[PERM_LEVELS];  /* the four entries after the access */
	uint64_t data_after;       /* the data slot after the access */
	uint64_t wdata;            /* what a store tried to write */
	char err[256];             /* the machine's message when rc != 0 */
};

/* Load the control state of c.  Returns 0 or a message in why. */
static int pm_set_controls(struct machine *m, const struct perm_case *c,
			   char *why, size_t len)
{
	struct mmu_ctl ac = { .op = MMU_CTL_SET_AC, .value = c->ac };
	enum mmu_ctl_result res;
	uint64_t efer = EFER_LME | (c->nxe ? EFER_NXE : 0);
	uint64_t cr4 = CR4_PAE | (c->smep ? CR4_SMEP : 0) | (c->smap ? CR4_SMAP : 0) |
		       (c->pke ? CR4_PKE : 0);
	uint64_t cr0 = CR0_PE | CR0_PG | (c->wp ? CR0_WP : 0);

	if (machine_write_cr(m, MMU_CTL_WRITE_EFER, efer)) {
		snprintf(why, len, "MOV to EFER 0x%llx refused: %s",
			 (unsigned long long)efer, m->err);
		return -1;
	}
	/* WRPKRU needs PKE: PKRU is loaded with PKE on, then CR4 set. */
	if (machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE) ||
	    machine_wrpkru(m, pm_pkru(c))) {
		snprintf(why, len, "loading PKRU: %s", m->err);
		return -1;
	}
	if (machine_write_cr(m, MMU_CTL_WRITE_CR4, cr4)) {
		snprintf(why, len, "MOV to CR4 0x%llx refused: %s",
			 (unsigned long long)cr4, m->err);
		return -1;
	}
	if (machine_write_cr(m, MMU_CTL_WRITE_CR0, cr0)) {
		snprintf(why, len, "MOV to CR0 0x%llx refused: %s",
			 (unsigned long long)cr0, m->err);
		return -1;
	}
	if (machine_ctl(m, &ac, &res) || res != MMU_CTL_DONE) {
		snprintf(why, len, "SET_AC %d refused: %s", c->ac, m->err);
		return -1;
	}
	return 0;
}

/*
 * Write the four entries (A/D clear), set the controls, then reload CR3
 * last: with PCIDE = 0 that flushes the (non-global) TLB entries and the
 * paging-structure caches, so the access always walks the fresh entries.
 */
static int pm_prepare(struct machine *m, const struct perm_case *c,
		      char *why, size_t len)
{
	for (unsigned l = 0; l < PERM_LEVELS; l++) {
		if (machine_pte_write(m, pm_entry_pa(l), pm_entry(c, l))) {
			snprintf(why, len, "writing entry %u: %s", l, m->err);
			return -1;
		}
	}
	if (pm_set_controls(m, c, why, len))
		return -1;
	if (machine_write_cr(m, MMU_CTL_WRITE_CR3, PM_PML4_PA)) {
		snprintf(why, len, "MOV to CR3 refused: %s", m->err);
		return -1;
	}
	return 0;
}

/* Do the access of c and gather what happened. */
static int pm_run(struct machine *m, const struct perm_case *c,
		  struct pm_observed *o, char *why, size_t len)
{
	struct mmu_req req = {
		.va = PM_VA, .op = c->op, .size = 8, .user = c->user,
	};

	memset(o, 0, sizeof(*o));
	if (pm_prepare(m, c, why, len))
		return -1;
	/* A store value unique to the case, so a stale write cannot pass. */
	o->wdata = PM_PATTERN ^ ((uint64_t)c->us << 40 | (uint64_t)c->rw << 32 |
				 (uint64_t)c->xd << 24 | 0x5a5a5a);
	req.wdata = o->wdata;
	o->rc = machine_access(m, &req, &o->out);
	if (o->rc)
		snprintf(o->err, sizeof(o->err), "%s", m->err);
	for (unsigned l = 0; l < PERM_LEVELS; l++) {
		if (machine_pte_read(m, pm_entry_pa(l), &o->entry[l])) {
			snprintf(why, len, "reading entry %u: %s", l, m->err);
			return -1;
		}
	}
	if (machine_phys_read64(m, pm_data_pa(), &o->data_after)) {
		snprintf(why, len, "reading the data slot: %s", m->err);
		return -1;
	}
	/* Put the pattern back for the next case if a store landed. */
	if (o->data_after != PM_PATTERN &&
	    machine_phys_write64(m, pm_data_pa(), PM_PATTERN)) {
		snprintf(why, len, "restoring the data slot: %s", m->err);
		return -1;
	}
	return 0;
}

/* --- comparison ------------------------------------------------------------ */

static bool pm_compare_fault(const struct perm_expect *e,
			     const struct pm_observed *o, char *why,
			     size_t len)
{
	char a[64], b[64];

	if (o->out.status != MMU_ST_PAGE_FAULT) {
		snprintf(why, len, "expected #PF, got %s",
			 mmu_status_str(o->out.status));
		return false;
	}
	if (o->out.error_code != e->error_code) {
		snprintf(why, len, "error code: expected %s (0x%x), got %s (0x%x)",
			 mmu_pfec_str(e->error_code, a, sizeof(a)), e->error_code,
			 mmu_pfec_str(o->out.error_code, b, sizeof(b)),
			 o->out.error_code);
		return false;
	}
	if (o->out.cr2 != PM_VA) {
		snprintf(why, len, "cr2: expected 0x%llx, got 0x%llx",
			 (unsigned long long)PM_VA,
			 (unsigned long long)o->out.cr2);
		return false;
	}
	if (o->data_after != PM_PATTERN) {
		snprintf(why, len, "faulting store changed memory to 0x%llx",
			 (unsigned long long)o->data_after);
		return false;
	}
	return true;
}

static bool pm_compare_ok(const struct perm_case *c,
			  const struct pm_observed *o, char *why, size_t len)
{
	char a[64];

	if (o->out.status != MMU_ST_OK) {
		if (o->out.status == MMU_ST_PAGE_FAULT)
			snprintf(why, len, "expected no fault, got #PF %s (0x%x)",
				 mmu_pfec_str(o->out.error_code, a, sizeof(a)),
				 o->out.error_code);
		else
			snprintf(why, len, "expected no fault, got %s",
				 mmu_status_str(o->out.status));
		return false;
	}
	if (o->out.pa != pm_data_pa()) {
		snprintf(why, len, "pa: expected 0x%llx, got 0x%llx",
			 (unsigned long long)pm_data_pa(),
			 (unsigned long long)o->out.pa);
		return false;
	}
	if (c->op != MMU_STORE && o->out.rdata != PM_PATTERN) {
		snprintf(why, len, "rdata: expected 0x%llx, got 0x%llx",
			 (unsigned long long)PM_PATTERN,
			 (unsigned long long)o->out.rdata);
		return false;
	}
	if (c->op == MMU_STORE && o->data_after != o->wdata) {
		snprintf(why, len, "store: memory holds 0x%llx, expected 0x%llx",
			 (unsigned long long)o->data_after,
			 (unsigned long long)o->wdata);
		return false;
	}
	return true;
}

/* Each entry must read back exactly as written plus the expected A/D. */
static bool pm_compare_entries(const struct perm_case *c,
			       const struct perm_expect *e,
			       const struct pm_observed *o, char *why,
			       size_t len)
{
	for (unsigned l = 0; l < PERM_LEVELS; l++) {
		pte_t want = pm_entry(c, l) | e->ad[l];

		if (o->entry[l] != want) {
			snprintf(why, len,
				 "entry %u: expected 0x%016llx, got 0x%016llx",
				 l, (unsigned long long)want,
				 (unsigned long long)o->entry[l]);
			return false;
		}
	}
	return true;
}

static bool pm_compare(const struct perm_case *c, const struct perm_expect *e,
		       const struct pm_observed *o, char *why, size_t len)
{
	if (o->rc) {
		snprintf(why, len, "machine_access failed: %s: %s",
			 mmu_err_str(o->rc), o->err);
		return false;
	}
	/* Premise of the test: the CR3 reload emptied the TLB, so the
	 * outcome reflects the entries just written, not a stale copy. */
	if (o->out.tlb_hit || !o->out.walked) {
		snprintf(why, len, "no fresh walk after MOV to CR3 "
			 "(tlb_hit=%d walked=%d)", o->out.tlb_hit,
			 o->out.walked);
		return false;
	}
	if (e->fault ? !pm_compare_fault(e, o, why, len)
		     : !pm_compare_ok(c, o, why, len))
		return false;
	return pm_compare_entries(c, e, o, why, len);
}

static void pm_report(const struct perm_case *c, const struct perm_expect *e,
		      const struct pm_observed *o, const char *why)
{
	char cs[256], ec[64], ad[64], got_ad[64], out[512];
	pte_t seen[PERM_LEVELS];

	for (unsigned l = 0; l < PERM_LEVELS; l++)
		seen[l] = o->entry[l] & (PTE_A | PTE_D);
	mmu_outcome_format(&o->out, out, sizeof(out));
	print_message("MISMATCH: %s\n", why);
	print_message("  case:     %s\n", perm_case_str(c, cs, sizeof(cs)));
	print_message("  expected: %s%s A/D=%s\n",
		      e->fault ? "#PF " : "ok",
		      e->fault ? mmu_pfec_str(e->error_code, ec, sizeof(ec))
			       : "",
		      perm_ad_str(e->ad, ad, sizeof(ad)));
	print_message("  got:      rc=%d %s A/D=%s\n", o->rc, out,
		      perm_ad_str(seen, got_ad, sizeof(got_ad)));
}

/*
 * Run one case against an expectation; on mismatch report and fail.
 * Returns the A/D pattern left in the four entries (2 bits per level).
 */
static unsigned pm_check(struct machine *m, const struct perm_case *c,
			 const struct perm_expect *e)
{
	struct pm_observed o;
	char why[512];
	unsigned pattern = 0;

	if (pm_run(m, c, &o, why, sizeof(why)))
		fail_msg("%s", why);
	if (!pm_compare(c, e, &o, why, sizeof(why))) {
		pm_report(c, e, &o, why);
		fail();
	}
	for (unsigned l = 0; l < PERM_LEVELS; l++)
		pattern |= perm_ad_bits(o.entry[l]) << (2 * l);
	return pattern;
}

/* --- spot checks: the oracle on cases worked out by hand --------------- */

#define ALL  PERM_ALL_LEVELS
#define NONE 0u
#define L4   PERM_LVL(PERM_PML4E)
#define L3   PERM_LVL(PERM_PDPTE)
#define L2   PERM_LVL(PERM_PDE)
#define L1   PERM_LVL(PERM_PTE)
#define A    PTE_A
#define AD   (PTE_A | PTE_D)

struct pm_spot {
	const char *what;
	struct perm_case c;
	struct perm_expect e;
};

/*
 * Columns of c: U/S, R/W, XD masks, op, user, WP, NXE, SMEP, SMAP, AC.
 * Columns of e: fault, error code, A/D of PML4E, PDPTE, PDE, PTE.
 */
static const struct pm_spot pm_spots[] = {
	{ "user store, R/W=0 only in the PDE",
	  { ALL, ALL & ~L2, NONE, MMU_STORE, true, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_WR | PFEC_US, { A, A, A, 0 } } },
	{ "user store, writable everywhere: leaf gets A and D",
	  { ALL, ALL, NONE, MMU_STORE, true, 1, 1, 1, 1, 0, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, AD } } },
	{ "user load of a read-only page",
	  { ALL, NONE, NONE, MMU_LOAD, true, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, A } } },
	{ "user load, U/S=0 only in the PML4E",
	  { ALL & ~L4, ALL, NONE, MMU_LOAD, true, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_US, { A, A, A, 0 } } },
	{ "supervisor store to read-only page, WP=0",
	  { NONE, NONE, NONE, MMU_STORE, false, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, AD } } },
	{ "supervisor store, R/W=0 in the PTE, WP=1",
	  { NONE, ALL & ~L1, NONE, MMU_STORE, false, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_WR, { A, A, A, 0 } } },
	{ "XD in the PDPTE with NXE=0: reserved, walk stops there",
	  { ALL, ALL, L3 | L1, MMU_LOAD, true, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_US | PFEC_RSVD, { A, 0, 0, 0 } } },
	{ "reserved XD beats a permission fault (user store, R/W=0)",
	  { NONE, NONE, L1, MMU_STORE, true, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_WR | PFEC_US | PFEC_RSVD, { A, A, A, 0 } } },
	{ "reserved-bit fault on a fetch with SMEP=1 sets I",
	  { ALL, ALL, L4, MMU_FETCH, false, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_RSVD | PFEC_ID, { 0, 0, 0, 0 } } },
	{ "user fetch with XD in the PTE, NXE=1",
	  { ALL, ALL, L1, MMU_FETCH, true, 0, 1, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_US | PFEC_ID, { A, A, A, 0 } } },
	{ "user fetch of a supervisor page, NXE=0 SMEP=0: no I bit",
	  { ALL & ~L2, ALL, NONE, MMU_FETCH, true, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_US, { A, A, A, 0 } } },
	{ "supervisor fetch of a user page, SMEP=1 NXE=0: I bit",
	  { ALL, ALL, NONE, MMU_FETCH, false, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_ID, { A, A, A, 0 } } },
	{ "supervisor fetch of a supervisor page, SMEP=1",
	  { ALL & ~L1, ALL, NONE, MMU_FETCH, false, 0, 1, 1, 0, 0, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, A } } },
	{ "supervisor load of a user page, SMAP=1 AC=0",
	  { ALL, ALL, NONE, MMU_LOAD, false, 0, 0, 0, 1, 0, 0, 0, 0, 0 },
	  { true, PFEC_P, { A, A, A, 0 } } },
	{ "supervisor load of a user page, SMAP=1 AC=1",
	  { ALL, ALL, NONE, MMU_LOAD, false, 0, 0, 0, 1, 1, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, A } } },
	{ "supervisor store to read-only user page, SMAP=1 AC=1 WP=1",
	  { ALL, ALL & ~L3, NONE, MMU_STORE, false, 1, 0, 0, 1, 1, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_WR, { A, A, A, 0 } } },
	{ "supervisor store to read-only user page, SMAP=1 AC=1 WP=0",
	  { ALL, ALL & ~L3, NONE, MMU_STORE, false, 0, 0, 0, 1, 1, 0, 0, 0, 0 },
	  { false, 0, { A, A, A, AD } } },
	/* Columns added for keys: PKE, AD and WD of the leaf's key, key. */
	{ "user load, key access-disabled, PKE=1",
	  { ALL, ALL, NONE, MMU_LOAD, true, 0, 0, 0, 0, 0, 1, 1, 0, 7 },
	  { true, PFEC_P | PFEC_US | PFEC_PK, { A, A, A, 0 } } },
	{ "user load, key access-disabled, PKE=0: key ignored",
	  { ALL, ALL, NONE, MMU_LOAD, true, 0, 0, 0, 0, 0, 0, 1, 1, 7 },
	  { false, 0, { A, A, A, A } } },
	{ "user fetch, key access-disabled: fetches are not checked",
	  { ALL, ALL, NONE, MMU_FETCH, true, 0, 1, 0, 0, 0, 1, 1, 1, 3 },
	  { false, 0, { A, A, A, A } } },
	{ "user store, key write-disabled",
	  { ALL, ALL, NONE, MMU_STORE, true, 0, 0, 0, 0, 0, 1, 0, 1, 15 },
	  { true, PFEC_P | PFEC_WR | PFEC_US | PFEC_PK, { A, A, A, 0 } } },
	{ "user store to read-only page, key write-disabled: PK too",
	  { ALL, ALL & ~L1, NONE, MMU_STORE, true, 0, 0, 0, 0, 0, 1, 0, 1, 1 },
	  { true, PFEC_P | PFEC_WR | PFEC_US | PFEC_PK, { A, A, A, 0 } } },
	{ "supervisor store to user page, key write-disabled, WP=0",
	  { ALL, ALL, NONE, MMU_STORE, false, 0, 0, 0, 0, 0, 1, 0, 1, 2 },
	  { false, 0, { A, A, A, AD } } },
	{ "supervisor store to user page, key write-disabled, WP=1",
	  { ALL, ALL, NONE, MMU_STORE, false, 1, 0, 0, 0, 0, 1, 0, 1, 2 },
	  { true, PFEC_P | PFEC_WR | PFEC_PK, { A, A, A, 0 } } },
	{ "supervisor load of user page, key access-disabled, WP=0",
	  { ALL, ALL, NONE, MMU_LOAD, false, 0, 0, 0, 0, 0, 1, 1, 0, 9 },
	  { true, PFEC_P | PFEC_PK, { A, A, A, 0 } } },
	{ "user load of a supervisor page, key access-disabled: no PK",
	  { ALL & ~L3, ALL, NONE, MMU_LOAD, true, 0, 0, 0, 0, 0, 1, 1, 1, 4 },
	  { true, PFEC_P | PFEC_US, { A, A, A, 0 } } },
	{ "supervisor load of a supervisor page, key access-disabled",
	  { ALL & ~L1, ALL, NONE, MMU_LOAD, false, 0, 0, 0, 0, 0, 1, 1, 1, 4 },
	  { false, 0, { A, A, A, A } } },
	{ "reserved XD with a forbidding key: RSVD, no PK",
	  { ALL, ALL, L1, MMU_LOAD, true, 0, 0, 0, 0, 0, 1, 1, 1, 6 },
	  { true, PFEC_P | PFEC_US | PFEC_RSVD, { A, A, A, 0 } } },
	{ "supervisor store to writable user page, SMAP=1 AC=0 WP=0",
	  { ALL, ALL, NONE, MMU_STORE, false, 0, 0, 0, 1, 0, 0, 0, 0, 0 },
	  { true, PFEC_P | PFEC_WR, { A, A, A, 0 } } },
};

#undef ALL
#undef NONE
#undef L4
#undef L3
#undef L2
#undef L1
#undef A
#undef AD

static bool pm_expect_equal(const struct perm_expect *x,
			    const struct perm_expect *y)
{
	if (x->fault != y->fault || x->error_code != y->error_code)
		return false;
	for (unsigned l = 0; l < PERM_LEVELS; l++)
		if (x->ad[l] != y->ad[l])
			return false;
	return true;
}

/* The oracle alone agrees with the hand-worked cases (no model needed). */
static void test_oracle_spot_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pm_spots) / sizeof(pm_spots[0]); i++) {
		const struct pm_spot *s = &pm_spots[i];
		struct perm_expect got;
		char cs[256], a[64], b[64];

		perm_oracle(&s->c, &got);
		if (!pm_expect_equal(&got, &s->e))
			fail_msg("oracle disagrees with spot check '%s' (%s): "
				 "hand %s ec=0x%x A/D=%s, oracle %s ec=0x%x A/D=%s",
				 s->what, perm_case_str(&s->c, cs, sizeof(cs)),
				 s->e.fault ? "#PF" : "ok", s->e.error_code,
				 perm_ad_str(s->e.ad, a, sizeof(a)),
				 got.fault ? "#PF" : "ok", got.error_code,
				 perm_ad_str(got.ad, b, sizeof(b)));
	}
}

/* The model on the same hand-worked cases. */
static void test_model_spot_checks(void **state)
{
	for (size_t i = 0; i < sizeof(pm_spots) / sizeof(pm_spots[0]); i++) {
		print_message("spot: %s\n", pm_spots[i].what);
		(void)pm_check(*state, &pm_spots[i].c, &pm_spots[i].e);
	}
}

/* --- the matrix ------------------------------------------------------------ */

#define PM_COMBOS   (1u << 12)  /* U/S, R/W, XD at four levels */
#define PM_CONTROLS (1u << 8)   /* WP, NXE, SMEP, SMAP, AC, PKE, AD, WD */

static void pm_matrix(struct machine *m, enum mmu_op op, bool user)
{
	struct perm_case c = { .op = op, .user = user };
	struct perm_expect e;

	for (unsigned n = 0; n < PM_COMBOS; n++) {
		pm_case_from_combo(&c, n);
		for (unsigned k = 0; k < PM_CONTROLS; k++) {
			pm_case_from_ctl(&c, k);
			c.key = (n + k) % PTE_NPKEYS;
			perm_oracle(&c, &e);
			pm_stats.ad_seen[pm_check(m, &c, &e)] = true;
			pm_stats.checked++;
			pm_stats.faults += e.fault;
			pm_stats.pk_faults += (e.error_code & PFEC_PK) != 0;
		}
	}
}

static void test_user_load(void **state)
{
	pm_matrix(*state, MMU_LOAD, true);
}

static void test_user_store(void **state)
{
	pm_matrix(*state, MMU_STORE, true);
}

static void test_user_fetch(void **state)
{
	pm_matrix(*state, MMU_FETCH, true);
}

static void test_supervisor_load(void **state)
{
	pm_matrix(*state, MMU_LOAD, false);
}

static void test_supervisor_store(void **state)
{
	pm_matrix(*state, MMU_STORE, false);
}

static void test_supervisor_fetch(void **state)
{
	pm_matrix(*state, MMU_FETCH, false);
}

static unsigned pm_ad_patterns(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 256; i++)
		n += pm_stats.ad_seen[i];
	return n;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_spot_checks),
		cmocka_unit_test_setup_teardown(test_model_spot_checks,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_user_load,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_user_store,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_user_fetch,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_supervisor_load,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_supervisor_store,
						pm_setup, pm_teardown),
		cmocka_unit_test_setup_teardown(test_supervisor_fetch,
						pm_setup, pm_teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	/* Only the matrix is counted: 6291456 cases when every slice passes
	 * (2^12 entry rights x 2^8 controls x 3 ops x user/supervisor). */
	printf("perm matrix: %lu combinations checked, %lu faults (%lu with "
	       "PK), %u A/D patterns\n",
	       pm_stats.checked, pm_stats.faults, pm_stats.pk_faults,
	       pm_ad_patterns());
	fflush(stdout);
	return failed;
}
