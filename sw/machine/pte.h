/* SPDX-License-Identifier: MIT */
/*
 * The paging-structure entry format: the one place where its bits are named.
 *
 * This is x86-64 (IA-32e) paging as on the Core i7.  The C code includes this
 * header; the RTL build gets the same numbers from `mmucfg --verilog`, which
 * prints these constants, so hardware and model cannot drift apart.
 *
 * One generalisation makes the small `csapp` configuration fit the same
 * format: the frame-number field always starts at bit 12 (PTE_FRAME_SHIFT),
 * whatever the page size, and holds the physical page number (PPN).  For
 * 4 KiB pages frame << 12 is exactly the x86 physical address; for the 64-byte
 * pages of `csapp` the frame's address is PPN << 6.
 */
#ifndef MMU_PTE_H
#define MMU_PTE_H

#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_BIT_P     0   /* present */
#define PTE_BIT_RW    1   /* writable if 1 at every level */
#define PTE_BIT_US    2   /* user-accessible if 1 at every level */
#define PTE_BIT_PWT   3
#define PTE_BIT_PCD   4
#define PTE_BIT_A     5   /* accessed: set by the walker in every entry it uses */
#define PTE_BIT_D     6   /* dirty: set in the leaf on a write */
#define PTE_BIT_PS    7   /* page size: leaf at level 2 (2 MiB) or 3 (1 GiB) */
#define PTE_BIT_G     8   /* global (leaf only, with CR4.PGE) */
#define PTE_BIT_PAT_LARGE 12 /* PAT bit of a large-page leaf; lowest frame bit otherwise */
#define PTE_BIT_PKEY  59  /* protection key, bits 62..59 of a leaf (with CR4.PKE) */
#define PTE_BIT_XD    63  /* execute-disable (with EFER.NXE; reserved otherwise) */

#define PTE_FRAME_SHIFT 12  /* the frame-number field starts here */
#define PTE_AVL_LO_MASK 0x0000000000000e00ull /* bits 11..9: available to the OS */
#define PTE_AVL_HI_MASK 0x7ff0000000000000ull /* bits 62..52: available to the OS */
#define PTE_HIGHEST_ADDR_BIT 51             /* frame field never extends above */

#define PTE_P   (1ull << PTE_BIT_P)
#define PTE_RW  (1ull << PTE_BIT_RW)
#define PTE_US  (1ull << PTE_BIT_US)
#define PTE_PWT (1ull << PTE_BIT_PWT)
#define PTE_PCD (1ull << PTE_BIT_PCD)
#define PTE_A   (1ull << PTE_BIT_A)
#define PTE_D   (1ull << PTE_BIT_D)
#define PTE_PS  (1ull << PTE_BIT_PS)
#define PTE_G   (1ull << PTE_BIT_G)
#define PTE_XD  (1ull << PTE_BIT_XD)
/* The protection key of a leaf (SDM Vol. 3A 4.5, 4.6.2): 4 bits at 62..59,
 * inside the OS-available field.  With CR4.PKE = 0 the hardware ignores
 * them; with PKE = 1 they are the key of every user-mode address the leaf
 * maps.  The key is never a reserved bit, and entries above the leaf keep
 * 62..59 available to the OS. */
#define PTE_PKEY_MASK (0xfull << PTE_BIT_PKEY)
#define PTE_NPKEYS    16u
static inline unsigned pte_pkey(pte_t e)
{
	return (unsigned)((e & PTE_PKEY_MASK) >> PTE_BIT_PKEY);
}
static inline pte_t pte_with_pkey(pte_t e, unsigned key)
{
	return (e & ~PTE_PKEY_MASK) | ((pte_t)(key & 0xf) << PTE_BIT_PKEY);
}

/* x86 page-fault error code bits (SDM Vol. 3A, 4.7). */
#define PFEC_P    (1u << 0)  /* 0: not present; 1: protection (or reserved) */
#define PFEC_WR   (1u << 1)  /* the access was a write */
#define PFEC_US   (1u << 2)  /* the access was a user-mode access */
#define PFEC_RSVD (1u << 3)  /* a reserved bit was set in an entry */
#define PFEC_ID   (1u << 4)  /* instruction fetch (with NXE or SMEP) */
#define PFEC_PK   (1u << 5)  /* data access to a user-mode address that the
			      * PKRU forbids for its key (SDM 4.7) */

/* Control-register and IA32_EFER bits (SDM Vol. 3A, 2.2.1 and 2.5).  What
 * a write of each register accepts and refuses is documented with the
 * control operations in machine.h. */
#define CR0_PE      (1ull << 0)   /* protection enable: required with PG */
#define CR0_MP      (1ull << 1)   /* stored, no effect on the MMU */
#define CR0_EM      (1ull << 2)   /* stored, no effect on the MMU */
#define CR0_TS      (1ull << 3)   /* stored, no effect on the MMU */
#define CR0_ET      (1ull << 4)   /* extension type: hardwired to 1 */
#define CR0_NE      (1ull << 5)   /* stored, no effect on the MMU */
#define CR0_WP      (1ull << 16)  /* supervisor writes honour R/W */
#define CR0_AM      (1ull << 18)  /* stored, no effect on the MMU */
#define CR0_NW      (1ull << 29)  /* stored, no effect (the L1 always caches) */
#define CR0_CD      (1ull << 30)  /* stored, no effect (the L1 always caches) */
#define CR0_PG      (1ull << 31)  /* paging: can never be cleared here */
/* CR0 bits that exist (all others of 31..0 are reserved: ignored on write,
 * read as 0; bits 63..32 must be 0). */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE |    \
		     CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)
#define CR3_NOFLUSH (1ull << 63)  /* MOV to CR3 with PCIDE=1: keep the TLB */
#define CR3_PCID_MASK 0xfffull
#define CR4_PAE     (1ull << 5)   /* required while IA-32e mode is active */
#define CR4_PGE     (1ull << 7)
#define CR4_PCIDE   (1ull << 17)
#define CR4_SMEP    (1ull << 20)
#define CR4_SMAP    (1ull << 21)
#define CR4_PKE     (1ull << 22)  /* protection keys for user-mode pages */
/* CR4 bits this MMU implements; any other is reserved (#GP), as on a CPU
 * whose CPUID does not report the feature.  PKE needs 8-byte entries (the
 * key lives in bits 62..59 of IA-32e entries): with 4-byte entries (csapp)
 * it is refused like a missing feature. */
#define CR4_DEFINED (CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | \
		     CR4_PKE)
/* PKRU (SDM Vol. 3A 2.7, 4.6.2): for key i, bit 2i is AD (access disable:
 * no data access to user-mode addresses with key i) and bit 2i+1 is WD
 * (write disable).  32 bits; 0 at reset. */
#define PKRU_AD(key) (1u << (2 * (key)))
#define PKRU_WD(key) (1u << (2 * (key) + 1))
#define EFER_SCE    (1ull << 0)   /* SYSCALL enable: stored, no effect */
#define EFER_LME    (1ull << 8)   /* IA-32e mode enable */
#define EFER_LMA    (1ull << 10)  /* IA-32e mode active: read-only */
#define EFER_NXE    (1ull << 11)  /* execute-disable (8-byte entries only) */
/* EFER bits a WRMSR may write (LMA is read-only: its written value is
 * ignored); any other bit is reserved (#GP). */
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)

/* The state the machine comes out of reset in: already in IA-32e mode
 * with paging on (machine.h says why it differs from a real CPU's reset). */
#define CR0_RESET   (CR0_PE | CR0_ET | CR0_WP | CR0_PG)
#define CR4_RESET   CR4_PAE
#define EFER_RESET  (EFER_LME | EFER_LMA)

#endif
