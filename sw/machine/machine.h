/* SPDX-License-Identifier: MIT */
/*
 * The `machine`: one C interface to an MMU + L1 + physical memory, with
 * interchangeable back ends (the golden model in sw/golden, the Verilated RTL
 * in sim/, and lockstep, which drives both and compares).  The OS and every
 * tool are written against this interface only.
 *
 * Calls return 0 or a negative MMU_E* code; an access that faults is not an
 * error: it returns 0 and describes the fault in the outcome.  A control
 * operation that the instruction would refuse with #GP is not an error of
 * the call either: machine_ctl() returns 0 and MMU_CTL_GP, and every
 * convenience wrapper below returns MMU_EGP -- never MMU_EINVAL, which
 * always means a malformed call (unknown op, bad size, a field the op does
 * not take).
 */
#ifndef MMU_MACHINE_H
#define MMU_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config/config.h"
#include "pte.h"

/* Error codes returned by machine calls (negative). */
enum mmu_err {
	MMU_OK = 0,
	MMU_EINVAL = -1,   /* malformed request (size, alignment, op) */
	MMU_ENOMEM = -2,   /* the host ran out of memory */
	MMU_ERANGE = -3,   /* physical address outside memory */
	MMU_EBACKEND = -4, /* back-end failure (simulation error, mismatch) */
	MMU_EGP = -5,      /* wrappers: the instruction raised #GP (changed
			    * nothing); machine_ctl() reports MMU_CTL_GP */
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
	struct mmu_ad_write ad[MMU_MAX_LEVELS];  /* [0, n_ad); the rest
					  * unspecified */
	uint32_t cycles;     /* RTL: cycles from request to response; model: 0 */
};

/* An outcome with every field 0 but ad[] (read only below n_ad = 0): what
 * a back end starts an access from, without clearing ad[] each time. */
static inline void mmu_outcome_clear(struct mmu_outcome *o)
{
	memset(o, 0, offsetof(struct mmu_outcome, ad));
	o->cycles = 0;
}

/*
 * Control operations (BRIEF section 3), as the Intel SDM defines the
 * instructions behind them (MOV to CRn, WRMSR IA32_EFER, INVLPG, INVPCID,
 * STAC/CLAC; the cache operations are this MMU's own).
 *
 * The fields of struct mmu_ctl: `value` is the value a register write
 * writes, `addr` the address an invalidation or cache operation takes
 * (linear for INVLPG/INVPCID, physical for the line operations), `type` and
 * `pcid` the INVPCID operands.  A field the op does not take must be 0:
 * otherwise the call is malformed (MMU_EINVAL, nothing done), so that an
 * address put in `value` is an error, never a silent INVLPG of address 0.
 *
 * Reset state.  A real CPU resets with paging off (CR0 = 0x60000010) and
 * software enables IA-32e mode step by step: CR4.PAE, EFER.LME, then
 * CR0.PG (which sets EFER.LMA).  This MMU has no real-mode or legacy
 * paging path -- it always translates with 4-level (IA-32e) paging -- so
 * it comes out of reset in the state that sequence leaves, in 64-bit mode:
 *   CR0  = PE | ET | WP | PG   (0x80010011, CR0_RESET)
 *   CR4  = PAE                 (0x20, CR4_RESET)
 *   EFER = LME | LMA           (0x500, EFER_RESET)
 *   CR2 = CR3 = 0, RFLAGS.AC = 0, PKRU = 0.
 * Software that performs the manual's enabling sequence anyway writes
 * values the machine already holds, which is accepted; the only
 * transitions are the ones allowed in 64-bit mode.
 *
 * Accepted and refused (MMU_CTL_GP, nothing changes), per SDM Vol. 3A 2.5,
 * 4.1.2 and the MOV-to-CR / WRMSR exception lists, for code running in
 * 64-bit mode at CPL 0 (the machine has no other mode):
 *   WRITE_CR0   #GP if any of bits 63..32 is set; if PG is clear (clearing
 *               PG in 64-bit mode); if PE is clear (PG=1 with PE=0); if NW
 *               is set with CD clear.  Reserved bits of 31..0 are ignored
 *               and read as 0, ET reads as 1.  WP takes effect at once;
 *               MP, EM, TS, NE, AM, NW, CD are stored without effect.
 *   WRITE_CR4   #GP if a bit outside CR4_DEFINED is set (PSE, LA57, PKS,
 *               ... are not implemented); if PAE is clear (leaving IA-32e
 *               mode); if PCIDE goes 0 -> 1 with CR3[11:0] != 0 or on a
 *               configuration without PCIDs; if PKE is set with 4-byte
 *               entries (csapp).  Toggling PGE or clearing PCIDE flushes
 *               the TLB and paging-structure caches; toggling PKE does not
 *               (keys are cached whatever PKE, checked with the current
 *               PKE).
 *   WRITE_EFER  #GP if a bit outside EFER_WRITABLE | EFER_LMA is set; if
 *               LME changes (CR0.PG is always 1); if NXE is set with 4-byte
 *               entries (csapp: the feature does not exist).  The LMA bit
 *               written is ignored (LMA is read-only and stays 1).  SCE is
 *               stored without effect.
 *   WRITE_CR3   #GP if a bit above the physical-address width (below 63) is
 *               set, or bit 63 (no-flush) without CR4.PCIDE.
 *   WRITE_CR2   any value (MOV to CR2 is unrestricted).
 *   WRITE_PKRU  WRPKRU: value bits 31..0 are EAX (the new PKRU), bits
 *               63..32 are EDX; ECX is 0 (the operation has no other form).
 *               #GP if EDX != 0; #UD if CR4.PKE = 0 -- reported as
 *               MMU_CTL_GP / MMU_EGP too (the machine has one "refused,
 *               nothing changed" result).  No TLB flush: the TLB caches
 *               each leaf's key and the rights are checked against the
 *               current PKRU at every access (SDM 4.6.2, 4.10.2.2).
 *               RDPKRU is machine_rdpkru(), with the same #UD rule.
 *   SET_AC      value 0 (CLAC) or 1 (STAC); anything else is malformed.
 *   INVLPG      never #GP; a non-canonical address invalidates nothing.
 *   INVPCID     #GP if type > 3; if pcid > 0xfff (descriptor bits 63..12);
 *               for types 0 and 1 a non-zero pcid with CR4.PCIDE = 0; for
 *               type 0 a non-canonical address.
 * The same rules hold in every configuration: csapp keeps x86's
 * control registers and only reshapes the tables.  tests/golden/ctl_cases.c
 * checks each rule on the model (tests/golden/test_ctl.c) and on golden vs
 * rtl in lockstep (tests/rtl/test_rtl_ctl.c).
 */
enum mmu_ctl_op {
	MMU_CTL_WRITE_CR0,   /* value */
	MMU_CTL_WRITE_CR3,   /* value: CR3, bit 63 = no-flush (with PCIDE) */
	MMU_CTL_WRITE_CR4,   /* value */
	MMU_CTL_WRITE_EFER,  /* value */
	MMU_CTL_SET_AC,      /* value: RFLAGS.AC (STAC/CLAC), 0 or 1 */
	MMU_CTL_INVLPG,      /* addr: linear */
	MMU_CTL_INVPCID,     /* type 0..3, pcid, addr: linear */
	MMU_CTL_CLEAN_LINE,  /* addr: physical; write back if dirty, keep */
	MMU_CTL_INVAL_LINE,  /* addr: physical; drop (dirty data is lost) */
	MMU_CTL_FLUSH_LINE,  /* addr: physical; write back then drop */
	MMU_CTL_CLEAN_ALL,   /* no operand */
	MMU_CTL_INVAL_ALL,   /* no operand */
	MMU_CTL_FLUSH_ALL,   /* no operand */
	MMU_CTL_WRITE_CR2,   /* value (MOV to CR2; lockstep's resync uses it) */
	MMU_CTL_WRITE_PKRU,  /* value: EDX:EAX of WRPKRU (EDX must be 0) */
	MMU_CTL_NOPS         /* number of operations, not one */
};

struct mmu_ctl {
	enum mmu_ctl_op op;
	uint64_t value;  /* register writes only */
	uint64_t addr;   /* INVLPG, INVPCID and the line operations only */
	unsigned type;   /* INVPCID only */
	uint16_t pcid;   /* INVPCID only */
};

/* Result of a control operation: MMU_CTL_GP means the instruction would
 * raise #GP (the rules above) and changed nothing. */
enum mmu_ctl_result { MMU_CTL_DONE = 0, MMU_CTL_GP = 1 };

/* 0 when c is well formed (known op; only the fields it takes are set; AC
 * 0 or 1), else MMU_EINVAL with the reason in m->err.  Every back end
 * calls it first: a malformed call is refused alike everywhere. */
struct machine;
int mmu_ctl_check(struct machine *m, const struct mmu_ctl *c);

/* Architectural state readable by software. */
struct mmu_regs {
	uint64_t cr0, cr2, cr3, cr4, efer;
	bool ac;
	uint32_t pkru;  /* AD/WD per protection key (pte.h PKRU_AD/PKRU_WD) */
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

/*
 * Debug path: the contents of one TLB entry or one L1 line, for preloading
 * a machine with a given state (a textbook figure, stale entries included)
 * and reading it back.  A write replaces the slot as it is (an invalid slot
 * keeps its tag and fields) and leaves the replacement (PLRU) state, the
 * counters and memory alone; a line written dirty is written back like any
 * other dirty line.  Allowed between calls only.  The golden model writes
 * its arrays; the RTL writes its TLB and L1 RAMs and valid/dirty flip-flops
 * through mmu_top's debug port (docs/rtl.md); lockstep writes both and
 * compares what both read back.
 */
#define MMU_MAX_LINE 256  /* largest l1_line a configuration may have */
struct mmu_tlb_slot {
	bool valid;
	uint64_t vpn;    /* full VPN; its low TLBI bits must equal the set */
	uint64_t ppn;
	uint16_t pcid;
	uint8_t level;   /* 1 base page, 2/3 a splinter of a large page */
	uint8_t pkey;    /* the leaf's protection key, 0..15 */
	bool global, rw, us, xd, dirty;
};
struct mmu_line_slot {
	bool valid, dirty;
	uint64_t tag;                 /* CT: the PA bits above CI and CO */
	uint8_t data[MMU_MAX_LINE];   /* l1_line bytes */
};

/*
 * Events: what the hardware did inside a call beyond its outcome, for
 * functional coverage (sw/cover) -- where replacement put what a call
 * filled, and how the memory port's slave held the bursts back.  A back end
 * records them into the struct given to machine_events() while one is
 * given (never otherwise: recording costs nothing when coverage is off);
 * the caller clears it before each call it wants to observe.
 *
 * Replacement comes from the golden model, whose TLB, PSC and L1 state is
 * the RTL's by construction (docs/rtl.md, "Equivalence rules"); the AXI
 * figures from the RTL back end's DRAM model, which sees every handshake.
 */
#define MMU_EV_MAX_FILLS 8
enum mmu_ev_victim {
	MMU_EV_FREE,   /* an invalid way or slot */
	MMU_EV_CLEAN,  /* a valid entry (TLB, PSC) or clean line (L1) */
	MMU_EV_DIRTY,  /* L1: a dirty line, written back first */
	MMU_EV_MATCH,  /* TLB, PSC: the entry for the same tag, overwritten */
};
struct mmu_ev_fill {
	uint8_t way;     /* way (TLB, L1) or slot (PSC) */
	uint8_t victim;  /* enum mmu_ev_victim */
	uint8_t level;   /* PSC: its level; L1: the level of the walk's entry
			  * read that missed, 0 for any other line access */
};
enum mmu_ev_phase { MMU_EV_OTHER, MMU_EV_WALK };  /* the walker busy or not */
enum mmu_ev_xfer { MMU_EV_FILL, MMU_EV_WB };      /* AR/R, or AW/W/B */
enum mmu_ev_axi {
	MMU_EV_BURSTS,  /* bursts started (AR or AW handshakes) */
	MMU_EV_ADDR,    /* cycles AR/AW VALID waited for READY */
	MMU_EV_DATA,    /* cycles W VALID waited for READY; R beats held back */
	MMU_EV_RESP,    /* cycles a due B response was held back */
	MMU_EV_NAXI
};
struct mmu_events {
	/* counts may exceed the arrays' sizes; the arrays keep the first */
	uint8_t n_tlb, n_psc, n_l1;
	struct mmu_ev_fill tlb, psc[MMU_MAX_LEVELS], l1[MMU_EV_MAX_FILLS];
	/* [phase][xfer][what]: a write-back's phase is that of the fill that
	 * evicted it (the walk's, or not) */
	uint32_t axi[2][2][MMU_EV_NAXI];
};
/* Append a fill to one of the arrays (n counts on, the array keeps cap). */
static inline void mmu_events_fill(struct mmu_ev_fill *a, uint8_t *n,
				   unsigned cap, unsigned way, unsigned victim,
				   unsigned level)
{
	if (*n < cap)
		a[*n] = (struct mmu_ev_fill){ (uint8_t)way, (uint8_t)victim,
					      (uint8_t)level };
	if (*n < UINT8_MAX)
		++*n;
}
/* What a back end records (machine_events' result, a bit set). */
#define MMU_EV_REPLACEMENT 1u  /* tlb, psc, l1 */
#define MMU_EV_AXI         2u  /* axi bursts */
#define MMU_EV_AXI_STALLS  4u  /* axi stalls can happen (back-pressure) */

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
	/* Debug path (optional, NULL: not supported): one TLB entry or one L1
	 * line read or written directly in the arrays, not through accesses.
	 * See "Debug path" below. */
	int (*tlb_slot)(struct machine *m, unsigned set, unsigned way,
			struct mmu_tlb_slot *e, bool write);
	int (*line_slot)(struct machine *m, unsigned set, unsigned way,
			 struct mmu_line_slot *l, bool write);
	/* Events (optional): record into ev from now on (NULL: stop); returns
	 * the MMU_EV_* kinds it records. */
	unsigned (*events)(struct machine *m, struct mmu_events *ev);
};

/* An observer of a machine (functional coverage, sw/cover): called before
 * every access and control operation (o, res NULL) and after each one the
 * back end completed (rc 0).  It must not call the machine's access or ctl;
 * it may read registers and use the debug path. */
struct machine_observer {
	void (*access)(void *ctx, struct machine *m, const struct mmu_req *r,
		       const struct mmu_outcome *o);
	void (*ctl)(void *ctx, struct machine *m, const struct mmu_ctl *c,
		    const enum mmu_ctl_result *res);
	void *ctx;
};

struct machine {
	const struct machine_ops *ops;
	struct mmu_config cfg;
	uint64_t mem_bytes;
	char err[256];  /* message of the last failing call */
	const struct machine_observer *obs;  /* NULL: none */
};

static inline int machine_access(struct machine *m, const struct mmu_req *r,
				 struct mmu_outcome *o)
{
	const struct machine_observer *obs = m->obs;
	int rc;

	if (obs)
		obs->access(obs->ctx, m, r, NULL);
	rc = m->ops->access(m, r, o);
	if (obs && !rc)
		obs->access(obs->ctx, m, r, o);
	return rc;
}

static inline int machine_ctl(struct machine *m, const struct mmu_ctl *c,
			      enum mmu_ctl_result *res)
{
	const struct machine_observer *obs = m->obs;
	int rc;

	if (obs)
		obs->ctl(obs->ctx, m, c, NULL);
	rc = m->ops->ctl(m, c, res);
	if (obs && !rc)
		obs->ctl(obs->ctx, m, c, res);
	return rc;
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

/* Physical memory as DRAM holds it, bypassing the L1 (for checking). */
static inline int machine_mem_peek(struct machine *m, uint64_t pa, void *buf,
				   size_t len)
{
	return m->ops->mem_peek(m, pa, buf, len);
}

static inline void machine_regs(struct machine *m, struct mmu_regs *r)
{
	m->ops->regs(m, r);
}

static inline void machine_counters(struct machine *m, struct mmu_counters *c)
{
	m->ops->counters(m, c);
}

/* Record events into ev (NULL: stop); the MMU_EV_* kinds m records, 0 when
 * it has none (lockstep: ask lockstep_ref and lockstep_dut). */
static inline unsigned machine_events(struct machine *m, struct mmu_events *ev)
{
	return m->ops->events ? m->ops->events(m, ev) : 0;
}

static inline void machine_destroy(struct machine *m)
{
	if (m)
		m->ops->destroy(m);
}

/* Convenience wrappers built on the operations above (machine.c).  Each
 * returns 0, MMU_EGP when the instruction raised #GP (nothing changed), or
 * the call's own error (MMU_EINVAL: malformed, e.g. an op that is not a
 * register write given to machine_write_cr). */
int machine_write_cr(struct machine *m, enum mmu_ctl_op op, uint64_t value);
/* WRPKRU of a 32-bit value, and RDPKRU: MMU_EGP (#UD) when CR4.PKE = 0. */
int machine_wrpkru(struct machine *m, uint32_t pkru);
int machine_rdpkru(struct machine *m, uint32_t *pkru);
int machine_invlpg(struct machine *m, uint64_t va);
int machine_invpcid(struct machine *m, unsigned type, uint16_t pcid,
		    uint64_t va);
/* Cache maintenance by physical address (line ops; pa must be 0 for the
 * whole-L1 ops) or of the whole L1. */
int machine_cache_op(struct machine *m, enum mmu_ctl_op op, uint64_t pa);
int machine_phys_read64(struct machine *m, uint64_t pa, uint64_t *v);
int machine_phys_write64(struct machine *m, uint64_t pa, uint64_t v);
/* Read/write an entry of the configured size (4 or 8 bytes). */
int machine_pte_read(struct machine *m, uint64_t pa, pte_t *v);
int machine_pte_write(struct machine *m, uint64_t pa, pte_t v);

/* Format a message into err (when err and errlen allow) and return code:
 * the one way libraries report an error value with its message. */
int mmu_errf(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The debug path (MMU_EINVAL when the back end has none, or set/way or
 * the fields do not fit the configuration). */
int machine_tlb_read(struct machine *m, unsigned set, unsigned way,
		     struct mmu_tlb_slot *e);
int machine_tlb_write(struct machine *m, unsigned set, unsigned way,
		      const struct mmu_tlb_slot *e);
int machine_line_read(struct machine *m, unsigned set, unsigned way,
		      struct mmu_line_slot *l);
int machine_line_write(struct machine *m, unsigned set, unsigned way,
		       const struct mmu_line_slot *l);

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
