/* SPDX-License-Identifier: MIT */
/*
 * An independent oracle for x86-64 (IA-32e) access rights: given the U/S,
 * R/W and XD bits of the four entries that map one 4 KiB page, the access
 * and the control bits, say whether the access faults, with which error
 * code, and which A/D bits the four entries end up with.
 *
 * It is written from the Intel SDM Vol. 3A sections 4.6 (access rights),
 * 4.6.2 (protection keys), 4.7 (page-fault exceptions) and 4.8 (accessed
 * and dirty flags) plus the
 * project's A/D policy, and deliberately not as a page walker: it computes
 * whole-translation predicates ("user-mode address", "writable",
 * "XD somewhere") and then applies the SDM tables, so that a bug in the
 * model's walker is unlikely to be mirrored here.
 *
 * Only what the permission matrix needs is covered: every entry present,
 * 4 KiB leaf, no reserved bit other than possibly XD (reserved when
 * EFER.NXE = 0), canonical address, CR4.PCIDE = 0.
 */
#ifndef MMU_TESTS_PERM_ORACLE_H
#define MMU_TESTS_PERM_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../sw/machine/machine.h"

/* The four entries of a 4-level walk, in walk order (top-down). */
enum perm_level { PERM_PML4E, PERM_PDPTE, PERM_PDE, PERM_PTE, PERM_LEVELS };

/* Per-level flag masks: bit PERM_LVL(l) set means the flag is 1 in entry l. */
#define PERM_LVL(l)      (1u << (l))
#define PERM_ALL_LEVELS  ((1u << PERM_LEVELS) - 1)

struct perm_case {
	uint8_t us;  /* U/S per level (PERM_LVL mask) */
	uint8_t rw;  /* R/W per level */
	uint8_t xd;  /* XD (bit 63) per level */
	enum mmu_op op;
	bool user;   /* CPL 3 */
	bool wp;     /* CR0.WP */
	bool nxe;    /* EFER.NXE */
	bool smep;   /* CR4.SMEP */
	bool smap;   /* CR4.SMAP */
	bool ac;     /* RFLAGS.AC */
	bool pke;    /* CR4.PKE */
	bool ad, wd; /* PKRU's AD and WD bits of the leaf's key */
	unsigned key; /* the leaf's protection key (bits 62..59 of the PTE) */
};

struct perm_expect {
	bool fault;                /* #PF (otherwise the access completes) */
	uint32_t error_code;       /* PFEC_* bits, when fault */
	pte_t ad[PERM_LEVELS];     /* PTE_A / PTE_D bits each entry ends with */
};

/* The expected outcome of one case (pure function). */
void perm_oracle(const struct perm_case *c, struct perm_expect *e);

/* "PML4E us=1 rw=0 xd=0 | ... | store user WP=1 NXE=0 ..." into buf. */
const char *perm_case_str(const struct perm_case *c, char *buf, size_t len);

/* The A and D bits of an entry as a 2-bit number: bit 0 = A, bit 1 = D. */
static inline unsigned perm_ad_bits(pte_t e)
{
	return (unsigned)((e >> PTE_BIT_A) & 1) |
	       (unsigned)((e >> PTE_BIT_D) & 1) << 1;
}

/* "[A,A,A,AD]" rendering of four entries' A/D bits into buf. */
const char *perm_ad_str(const pte_t ad[PERM_LEVELS], char *buf, size_t len);

#endif
