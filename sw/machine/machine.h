/* SPDX-License-Identifier: MIT */
/*
 * The `machine`: one C interface to an MMU + L1 + physical memory, with
 * interchangeable back ends (the golden model in sw/golden, the Verilated RTL
 * in sim/, and lockstep, which drives both and compares).  The OS and every
 * tool are written against this interface only.
 *
 * Calls return 0 or a negative MMU_E* code; an access that faults is not an
 * error: it returns 0 and describes the fault in the outcome.
 */
#ifndef MMU_MACHINE_H
#define MMU_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../config/config.h"
#include "pte.h"

/* Error codes returned by machine calls (negative). */
enum mmu_err {
	MMU_OK = 0,
	MMU_EINVAL = -1,   /* malformed request (size, alignment, op) */
	MMU_ENOMEM = -2,   /* the host ran out of memory */
	MMU_ERANGE = -3,   /* physical address outside memory */
	MMU_EBACKEND = -4, /* back-end failure (simulation error, mismatch) */
};

enum mmu_op { MMU_LOAD, MMU_STORE, MMU_FETCH };

/* One CPU-side access. */
struct mmu_req {
	uint64_t va;
	enum mmu_op op;
	unsigned size;  /* 1, 2, 4 or 8, naturally aligned, <= l1_line */
	bool user;      /* CPL 3 */
	uint64_t wdata; /* for stores: the low `size` bytes are written */
};

enum mmu_status {
	MMU_ST_OK,
	MMU_ST_PAGE_FAULT,  /* #PF: error_code and cr2 valid */
	MMU_ST_GP_FAULT,    /* #GP: non-canonical address */
	MMU_ST_BUS_ERROR,   /* translation points outside physical memory */
};

/* An A/D update written by the walker (read-modify-write of one entry). */
struct mmu_ad_write {
	uint64_t pa;  /* address of the entry */
	pte_t value;  /* entry after the update */
};

#define MMU_MAX_LEVELS 5

/* What one access did: everything lockstep compares. */
struct mmu_outcome {
	enum mmu_status status;
	uint64_t rdata;      /* loads and fetches: zero-extended data */
	uint64_t pa;         /* translated address (when translated) */
	uint32_t error_code; /* PFEC_* bits on a page fault */
	uint64_t cr2;        /* faulting linear address on a page fault */
	bool tlb_hit;        /* the TLB lookup hit */
	bool walked;         /* a page walk ran (miss, or write to a clean entry) */
	bool l1_hit;         /* the data access hit in the L1 */
	uint8_t walk_reads;  /* entries read by the walk */
	uint8_t psc_level;   /* walk started below this level thanks to a PSC hit (0: none) */
	uint8_t page_level;  /* level of the leaf: 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB */
	uint8_t n_ad;        /* A/D updates written, in walk order */
	struct mmu_ad_write ad[MMU_MAX_LEVELS];
	uint32_t cycles;     /* RTL: cycles from request to response; model: 0 */
};

/* Control operations (BRIEF section 3). */
enum mmu_ctl_op {
	MMU_CTL_WRITE_CR0,
	MMU_CTL_WRITE_CR3,   /* value: CR3, bit 63 = no-flush (with PCIDE) */
	MMU_CTL_WRITE_CR4,
	MMU_CTL_WRITE_EFER,
	MMU_CTL_SET_AC,      /* value: RFLAGS.AC (STAC/CLAC) */
	MMU_CTL_INVLPG,      /* addr */
	MMU_CTL_INVPCID,     /* type 0..3, pcid, addr */
	MMU_CTL_CLEAN_LINE,  /* addr: physical; write back if dirty, keep */
	MMU_CTL_INVAL_LINE,  /* addr: physical; drop (dirty data is lost) */
	MMU_CTL_FLUSH_LINE,  /* addr: physical; write back then drop */
	MMU_CTL_CLEAN_ALL,
	MMU_CTL_INVAL_ALL,
	MMU_CTL_FLUSH_ALL,
};

struct mmu_ctl {
	enum mmu_ctl_op op;
	uint64_t value;
	uint64_t addr;
	unsigned type;  /* INVPCID type */
	uint16_t pcid;  /* INVPCID descriptor PCID */
};

/* Result of a control operation: MMU_CTL_GP means the instruction would
 * raise #GP (reserved bit, bad INVPCID type, ...) and changed nothing. */
enum mmu_ctl_result { MMU_CTL_DONE = 0, MMU_CTL_GP = 1 };

/* Architectural state readable by software. */
struct mmu_regs {
	uint64_t cr0, cr2, cr3, cr4, efer;
	bool ac;
};

#define MMU_COUNTERS(X)                                                        \
	X(accesses,        "CPU accesses")                                     \
	X(tlb_hits,        "TLB lookups that hit")                             \
	X(tlb_misses,      "TLB lookups that missed")                          \
	X(walks,           "page walks")                                       \
	X(walk_reads,      "entries read by walks")                            \
	X(walk_writes,     "A/D read-modify-writes by walks")                  \
	X(walk_cycles,     "cycles spent walking (RTL only)")                  \
	X(psc_hits,        "walks shortened by a paging-structure cache")      \
	X(l1_hits,         "CPU data accesses that hit in the L1")             \
	X(l1_misses,       "CPU data accesses that missed in the L1")          \
	X(walk_l1_hits,    "walk entry reads that hit in the L1")              \
	X(walk_l1_misses,  "walk entry reads that missed in the L1")           \
	X(phys_lines,      "lines touched by the physical-access path")        \
	X(line_fills,      "lines filled from memory")                         \
	X(writebacks,      "dirty lines written back to memory")               \
	X(page_faults,     "#PF raised")                                       \
	X(gp_faults,       "#GP raised (non-canonical)")                       \
	X(tlb_flushes,     "TLB entries invalidated by control operations")    \
	X(cycles,          "simulated cycles (RTL only)")

struct mmu_counters {
#define MMU_COUNTER_FIELD(name, doc) uint64_t name;
	MMU_COUNTERS(MMU_COUNTER_FIELD)
#undef MMU_COUNTER_FIELD
};

struct machine;

/* A back end fills in these operations. */
struct machine_ops {
	const char *name;
	int (*access)(struct machine *m, const struct mmu_req *req,
		      struct mmu_outcome *out);
	int (*ctl)(struct machine *m, const struct mmu_ctl *ctl,
		   enum mmu_ctl_result *res);
	/* Coherent physical access through the L1 (page tables, zeroing,
	 * copying): touches each line once, in ascending order. */
	int (*phys_read)(struct machine *m, uint64_t pa, void *buf, size_t len);
	int (*phys_write)(struct machine *m, uint64_t pa, const void *buf,
			  size_t len);
	/* Physical memory as DRAM holds it, bypassing the L1 (for checking). */
	int (*mem_peek)(struct machine *m, uint64_t pa, void *buf, size_t len);
	void (*regs)(struct machine *m, struct mmu_regs *regs);
	void (*counters)(struct machine *m, struct mmu_counters *c);
	void (*destroy)(struct machine *m);
};

struct machine {
	const struct machine_ops *ops;
	struct mmu_config cfg;
	uint64_t mem_bytes;
	char err[256];  /* message of the last failing call */
};

static inline int machine_access(struct machine *m, const struct mmu_req *r,
				 struct mmu_outcome *o)
{
	return m->ops->access(m, r, o);
}

static inline int machine_ctl(struct machine *m, const struct mmu_ctl *c,
			      enum mmu_ctl_result *res)
{
	return m->ops->ctl(m, c, res);
}

static inline int machine_phys_read(struct machine *m, uint64_t pa, void *buf,
				    size_t len)
{
	return m->ops->phys_read(m, pa, buf, len);
}

static inline int machine_phys_write(struct machine *m, uint64_t pa,
				     const void *buf, size_t len)
{
	return m->ops->phys_write(m, pa, buf, len);
}

static inline void machine_destroy(struct machine *m)
{
	if (m)
		m->ops->destroy(m);
}

/* Convenience wrappers built on the operations above (machine.c). */
int machine_write_cr(struct machine *m, enum mmu_ctl_op op, uint64_t value);
int machine_invlpg(struct machine *m, uint64_t va);
/* Returns MMU_EINVAL when the instruction would raise #GP. */
int machine_invpcid(struct machine *m, unsigned type, uint16_t pcid,
		    uint64_t va);
/* Cache maintenance by physical address (line ops) or of the whole L1. */
int machine_cache_op(struct machine *m, enum mmu_ctl_op op, uint64_t pa);
int machine_phys_read64(struct machine *m, uint64_t pa, uint64_t *v);
int machine_phys_write64(struct machine *m, uint64_t pa, uint64_t v);
/* Read/write an entry of the configured size (4 or 8 bytes). */
int machine_pte_read(struct machine *m, uint64_t pa, pte_t *v);
int machine_pte_write(struct machine *m, uint64_t pa, pte_t v);

const char *mmu_err_str(int err);
const char *mmu_status_str(enum mmu_status s);
const char *mmu_op_str(enum mmu_op op);
const char *mmu_ctl_op_str(enum mmu_ctl_op op);
/* "P|W|U|RSVD|I" style rendering of an error code into buf. */
const char *mmu_pfec_str(uint32_t ec, char *buf, size_t len);
/* One line describing an outcome, stable for logs and diffs. */
int mmu_outcome_format(const struct mmu_outcome *o, char *buf, size_t len);

/* Address fields in the CS:APP vocabulary (any configuration). */
struct mmu_va_fields {
	uint64_t vpn, vpo, tlbi, tlbt;
	uint64_t vpn_index[MMU_MAX_LEVELS]; /* [0] = level 1 (PT) index */
};
struct mmu_pa_fields {
	uint64_t ppn, ppo, co, ci, ct;
};
void mmu_split_va(const struct mmu_config *cfg, uint64_t va,
		  struct mmu_va_fields *f);
void mmu_split_pa(const struct mmu_config *cfg, uint64_t pa,
		  struct mmu_pa_fields *f);

#endif
