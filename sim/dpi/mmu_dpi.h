/* SPDX-License-Identifier: MIT */
/*
 * The golden model behind DPI-C (libmmudpi; docs/dpi.md).  Each function is
 * the C side of an `import "DPI-C"` in mmu_dpi.svh, with the standard
 * mapping of SystemVerilog types (chandle: void *, string: const char *,
 * int: int, longint: long long, bit: unsigned char; outputs by pointer), so
 * that no simulator header (svdpi.h) is needed and the same library serves
 * Verilator, Questa, Xcelium or VCS.  64-bit values are bit patterns
 * (addresses and data above 2^63 come through longint unchanged).
 *
 * Calls return 0 or a negative MMU_E* code (sw/machine/machine.h), the
 * message in mmu_dpi_error(h).  A control operation the instruction refuses
 * returns 0 with *gp = 1; a faulting access returns 0 and describes the
 * fault in its outputs, as machine_ctl() and machine_access() do.
 */
#ifndef MMU_DPI_H
#define MMU_DPI_H

/* A golden model for configuration `config` (built-in name or .cfg path)
 * with `overrides` applied ("key=value ...", "" for none) and mem_bytes of
 * memory (0: the configuration's).  NULL on error: mmu_dpi_error(NULL). */
void *mmu_dpi_create(const char *config, const char *overrides,
		     long long mem_bytes);
void mmu_dpi_destroy(void *h);
/* The message of h's last failing call (h NULL: of the last failed create). */
const char *mmu_dpi_error(void *h);

/* op: enum mmu_ctl_op (`MMU_CTL_* in mmu_defs.vh). */
int mmu_dpi_ctl(void *h, int op, long long value, long long addr, int type,
		int pcid, unsigned char *gp);
/* Coherent physical access of size 1, 2, 4 or 8 bytes (little endian). */
int mmu_dpi_phys_write(void *h, long long pa, long long data, int size);
int mmu_dpi_phys_read(void *h, long long pa, int size, long long *data);

/* One access (op: `MMU_OP_*, size 1/2/4/8) and its whole outcome. */
int mmu_dpi_access(void *h, long long va, int op, int size,
		   unsigned char user, long long wdata, int *status,
		   long long *rdata, long long *pa, int *error_code,
		   long long *cr2, unsigned char *tlb_hit,
		   unsigned char *walked, unsigned char *l1_hit,
		   int *walk_reads, int *psc_level, int *page_level,
		   int *n_ad);
/* The i-th A/D update (0-based, i < n_ad) of the last access. */
int mmu_dpi_ad(void *h, int i, long long *pa, long long *value);

int mmu_dpi_regs(void *h, long long *cr0, long long *cr2, long long *cr3,
		 long long *cr4, long long *efer, unsigned char *ac, int *pkru);
/* A counter by its MMU_COUNTERS name ("tlb_hits", ...). */
int mmu_dpi_counter(void *h, const char *name, long long *value);

#endif
