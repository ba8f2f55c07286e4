/* SPDX-License-Identifier: MIT */
#include "ctl_cases.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

enum expect { DONE, GP, MALFORMED };

/* One control operation and what must follow: the result, then CR0, CR4,
 * EFER and PKRU as read back (for #GP and malformed calls: unchanged). */
struct ctl_case {
	const char *what;
	struct mmu_ctl c;
	enum expect want;
	uint64_t cr0, cr4, efer;
	uint32_t pkru;
};

/* Refused: the registers must not change (not compared to these 0s). */
#define REFUSED GP, 0, 0, 0, 0
#define BAD MALFORMED, 0, 0, 0, 0
#define R0 CR0_RESET
#define R4 CR4_RESET
#define RE EFER_RESET
#define W(op_, v_) { .op = (op_), .value = (v_) }

static const struct ctl_case cases[] = {
	/* The manual's enabling sequence, on a machine already in IA-32e
	 * mode: every write holds values the machine has. */
	{ "enable: CR4.PAE", W(MMU_CTL_WRITE_CR4, CR4_PAE), DONE, R0, R4, RE, 0 },
	{ "enable: EFER.LME", W(MMU_CTL_WRITE_EFER, EFER_LME), DONE, R0, R4, RE, 0 },
	{ "enable: CR0.PE|PG", W(MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG), DONE,
	  CR0_PE | CR0_ET | CR0_PG, R4, RE, 0 },
	/* CR0 */
	{ "CR0.WP set", W(MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG | CR0_WP), DONE,
	  R0, R4, RE, 0 },
	{ "CR0.PG without PE", W(MMU_CTL_WRITE_CR0, CR0_PG | CR0_WP), REFUSED },
	{ "CR0.PG cleared (64-bit mode)", W(MMU_CTL_WRITE_CR0, CR0_PE | CR0_WP),
	  REFUSED },
	{ "CR0 = 0", W(MMU_CTL_WRITE_CR0, 0), REFUSED },
	{ "CR0.NW without CD", W(MMU_CTL_WRITE_CR0, R0 | CR0_NW), REFUSED },
	{ "CR0 bit 32", W(MMU_CTL_WRITE_CR0, R0 | (1ull << 32)), REFUSED },
	{ "CR0.CD|NW stored", W(MMU_CTL_WRITE_CR0, R0 | CR0_CD | CR0_NW), DONE,
	  R0 | CR0_CD | CR0_NW, R4, RE, 0 },
	{ "CR0 reserved bit 6 ignored", W(MMU_CTL_WRITE_CR0, R0 | (1ull << 6)),
	  DONE, R0, R4, RE, 0 },
	{ "CR0.ET hardwired", W(MMU_CTL_WRITE_CR0, R0 & ~CR0_ET), DONE, R0, R4,
	  RE, 0 },
	/* CR4 */
	{ "CR4 = 0 (PAE cleared with LMA=1)", W(MMU_CTL_WRITE_CR4, 0), REFUSED },
	{ "CR4.PGE without PAE", W(MMU_CTL_WRITE_CR4, CR4_PGE), REFUSED },
	{ "CR4.PSE (not implemented)", W(MMU_CTL_WRITE_CR4, CR4_PAE | (1ull << 4)),
	  REFUSED },
	{ "CR4 bit 32", W(MMU_CTL_WRITE_CR4, CR4_PAE | (1ull << 32)), REFUSED },
	{ "CR4.PAE|PGE", W(MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PGE), DONE, R0,
	  CR4_PAE | CR4_PGE, RE, 0 },
	{ "CR4.PAE", W(MMU_CTL_WRITE_CR4, CR4_PAE), DONE, R0, R4, RE, 0 },
	/* PKRU (WRPKRU): #UD without CR4.PKE, #GP with EDX != 0 */
	{ "WRPKRU with CR4.PKE = 0 (#UD)", W(MMU_CTL_WRITE_PKRU, PKRU_AD(1)),
	  REFUSED },
	{ "CR4.PKE", W(MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE), DONE, R0,
	  CR4_PAE | CR4_PKE, RE, 0 },
	{ "WRPKRU AD1|WD2", W(MMU_CTL_WRITE_PKRU, PKRU_AD(1) | PKRU_WD(2)), DONE,
	  R0, CR4_PAE | CR4_PKE, RE, PKRU_AD(1) | PKRU_WD(2) },
	{ "WRPKRU with EDX = 1", W(MMU_CTL_WRITE_PKRU, 1ull << 32), REFUSED },
	{ "WRPKRU with EDX bit 31", W(MMU_CTL_WRITE_PKRU, 1ull << 63), REFUSED },
	{ "WRPKRU all keys AD|WD", W(MMU_CTL_WRITE_PKRU, 0xffffffffull), DONE,
	  R0, CR4_PAE | CR4_PKE, RE, 0xffffffffu },
	{ "CR4.PKE cleared: PKRU kept", W(MMU_CTL_WRITE_CR4, CR4_PAE), DONE,
	  R0, R4, RE, 0xffffffffu },
	{ "CR4.PKE again", W(MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE), DONE, R0,
	  CR4_PAE | CR4_PKE, RE, 0xffffffffu },
	{ "WRPKRU 0", W(MMU_CTL_WRITE_PKRU, 0), DONE, R0, CR4_PAE | CR4_PKE,
	  RE, 0 },
	{ "CR4.PKE off", W(MMU_CTL_WRITE_CR4, CR4_PAE), DONE, R0, R4, RE, 0 },
	/* EFER */
	{ "EFER = 0 (LME cleared with PG=1)", W(MMU_CTL_WRITE_EFER, 0), REFUSED },
	{ "EFER.LMA without LME", W(MMU_CTL_WRITE_EFER, EFER_LMA), REFUSED },
	{ "EFER bit 9 (reserved)", W(MMU_CTL_WRITE_EFER, RE | (1ull << 9)), REFUSED },
	{ "EFER bit 12 (reserved)", W(MMU_CTL_WRITE_EFER, RE | (1ull << 12)),
	  REFUSED },
	{ "EFER.LME|LMA|NXE", W(MMU_CTL_WRITE_EFER, RE | EFER_NXE), DONE, R0,
	  R4, RE | EFER_NXE, 0 },
	{ "EFER.LMA written 0: ignored", W(MMU_CTL_WRITE_EFER, EFER_LME), DONE,
	  R0, R4, RE, 0 },
	{ "EFER.SCE stored", W(MMU_CTL_WRITE_EFER, RE | EFER_SCE), DONE, R0, R4,
	  RE | EFER_SCE, 0 },
	{ "EFER back", W(MMU_CTL_WRITE_EFER, RE), DONE, R0, R4, RE, 0 },
	/* malformed calls: refused before any architecture applies */
	{ "INVLPG address in .value", W(MMU_CTL_INVLPG, 0x7f0000001000ull),
	  BAD },
	{ "CR0 write with .addr", { .op = MMU_CTL_WRITE_CR0, .value = R0,
				    .addr = 0x1000 }, BAD },
	{ "CR4 write with a PCID", { .op = MMU_CTL_WRITE_CR4, .value = R4,
				     .pcid = 1 }, BAD },
	{ "FLUSH_ALL with .addr", { .op = MMU_CTL_FLUSH_ALL, .addr = 0x40 },
	  BAD },
	{ "SET_AC 2", W(MMU_CTL_SET_AC, 2), BAD },
	{ "unknown op", W(MMU_CTL_NOPS, 0), BAD },
	/* architectural #GP of the other operations, for contrast */
	{ "INVPCID type 4", { .op = MMU_CTL_INVPCID, .type = 4 }, REFUSED },
	{ "CR3 no-flush without PCIDE", W(MMU_CTL_WRITE_CR3, CR3_NOFLUSH), REFUSED },
	{ "INVLPG non-canonical: no #GP",
	  { .op = MMU_CTL_INVLPG, .addr = 0x0000800000000000ull }, DONE, R0, R4,
	  RE, 0 },
};

static const char *const expect_str[] = { "done", "#GP", "malformed" };

static void check_regs(struct machine *m, const struct ctl_case *k,
		       const struct mmu_regs *before)
{
	struct mmu_regs r;

	machine_regs(m, &r);
	if (k->want != DONE) {
		if (r.cr0 != before->cr0 || r.cr4 != before->cr4 ||
		    r.efer != before->efer || r.cr3 != before->cr3 ||
		    r.pkru != before->pkru)
			fail_msg("%s: a refused write changed a register",
				 k->what);
		return;
	}
	if (r.cr0 != k->cr0 || r.cr4 != k->cr4 || r.efer != k->efer ||
	    r.pkru != k->pkru)
		fail_msg("%s: cr0 %#llx cr4 %#llx efer %#llx pkru %#x, expected "
			 "%#llx %#llx %#llx %#x", k->what,
			 (unsigned long long)r.cr0, (unsigned long long)r.cr4,
			 (unsigned long long)r.efer, r.pkru,
			 (unsigned long long)k->cr0, (unsigned long long)k->cr4,
			 (unsigned long long)k->efer, k->pkru);
}

static void run_case(struct machine *m, const struct ctl_case *k)
{
	struct mmu_regs before;
	enum mmu_ctl_result res = MMU_CTL_DONE;
	int rc;

	machine_regs(m, &before);
	rc = machine_ctl(m, &k->c, &res);
	if (k->want == MALFORMED) {
		if (rc != MMU_EINVAL)
			fail_msg("%s: returned %d, expected MMU_EINVAL", k->what,
				 rc);
	} else if (rc || res != (k->want == GP ? MMU_CTL_GP : MMU_CTL_DONE)) {
		fail_msg("%s: returned %d (%s) result %s, expected %s", k->what,
			 rc, rc ? m->err : "", res == MMU_CTL_GP ? "#GP" : "done",
			 expect_str[k->want]);
	}
	check_regs(m, k, &before);
}

/* The wrappers: MMU_EGP for #GP, MMU_EINVAL for a malformed call. */
static unsigned run_wrappers(struct machine *m)
{
	struct mmu_regs r;

	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR0, 0), MMU_EGP);
	assert_non_null(strstr(m->err, "#GP"));
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR4, 0), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_EFER, 0), MMU_EGP);
	assert_int_equal(machine_write_cr(m, MMU_CTL_INVLPG, 0x1000),
			 MMU_EINVAL);
	assert_int_equal(machine_invpcid(m, 4, 0, 0), MMU_EGP);
	assert_int_equal(machine_invpcid(m, 0, 4096, 0), MMU_EGP);
	assert_int_equal(machine_invlpg(m, 0x0000800000000000ull), 0);
	assert_int_equal(machine_cache_op(m, MMU_CTL_FLUSH_ALL, 0x40),
			 MMU_EINVAL);
	assert_int_equal(machine_cache_op(m, MMU_CTL_WRITE_CR0, 0), MMU_EINVAL);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR2, 0x1234), 0);
	machine_regs(m, &r);
	assert_int_equal(r.cr2, 0x1234);
	assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR2, 0), 0);
	{
		uint32_t pkru = 1;

		/* RDPKRU and WRPKRU raise #UD with CR4.PKE = 0. */
		assert_int_equal(machine_rdpkru(m, &pkru), MMU_EGP);
		assert_int_equal(machine_wrpkru(m, 0), MMU_EGP);
		assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR4,
						  CR4_PAE | CR4_PKE), 0);
		assert_int_equal(machine_wrpkru(m, PKRU_WD(15)), 0);
		assert_int_equal(machine_rdpkru(m, &pkru), 0);
		assert_int_equal(pkru, PKRU_WD(15));
		assert_int_equal(machine_wrpkru(m, 0), 0);
		assert_int_equal(machine_write_cr(m, MMU_CTL_WRITE_CR4, CR4_PAE),
				 0);
	}
	return 16;
}

unsigned ctl_cases_run(struct machine *m)
{
	const size_t n = sizeof(cases) / sizeof(cases[0]);
	struct mmu_regs r;
	unsigned refused = 0, malformed = 0;

	machine_regs(m, &r);
	assert_int_equal(r.cr0, CR0_RESET);
	assert_int_equal(r.cr4, CR4_RESET);
	assert_int_equal(r.efer, EFER_RESET);
	assert_int_equal(r.cr2, 0);
	assert_int_equal(r.cr3, 0);
	assert_int_equal(r.pkru, 0);
	if (m->cfg.pte_bytes != 8) {
		/* no XD bit, no NXE; the mode bits are x86's */
		struct ctl_case nxe = { "EFER.NXE with 4-byte entries",
					W(MMU_CTL_WRITE_EFER, RE | EFER_NXE),
					GP, 0, 0, 0, 0 };
		struct ctl_case lme = { "EFER.LME", W(MMU_CTL_WRITE_EFER, RE),
					DONE, R0, R4, RE, 0 };
		struct ctl_case pke = { "CR4.PKE with 4-byte entries",
					W(MMU_CTL_WRITE_CR4, CR4_PAE | CR4_PKE),
					GP, 0, 0, 0, 0 };
		struct ctl_case pkru = { "WRPKRU without PKE",
					 W(MMU_CTL_WRITE_PKRU, 0), GP, 0, 0, 0,
					 0 };

		run_case(m, &nxe);
		run_case(m, &lme);
		run_case(m, &pke);
		run_case(m, &pkru);
		printf("ctl (%s): reset state, NXE and PKE refused with 4-byte "
		       "entries\n", m->cfg.name);
		return 10;
	}
	for (size_t i = 0; i < n; i++) {
		run_case(m, &cases[i]);
		refused += cases[i].want == GP;
		malformed += cases[i].want == MALFORMED;
	}
	printf("ctl (%s): reset state CR0=%#llx CR4=%#llx EFER=%#llx; %zu "
	       "control writes: %zu accepted, %u #GP, %u malformed; wrappers "
	       "return MMU_EGP / MMU_EINVAL\n", m->cfg.name,
	       (unsigned long long)CR0_RESET, (unsigned long long)CR4_RESET,
	       (unsigned long long)EFER_RESET, n, n - refused - malformed,
	       refused, malformed);
	return 5 + (unsigned)n + run_wrappers(m);
}
