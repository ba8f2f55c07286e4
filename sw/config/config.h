/* SPDX-License-Identifier: MIT */
/*
 * MMU configurations: one source of truth for the golden model, the OS and
 * the RTL build.  The text files in configs/ are embedded into this library
 * at build time; `mmucfg` turns the same parsed structure into RTL
 * parameters.  Every function reports errors as a return value with a
 * message naming the offending parameter; nothing here exits.
 */
#ifndef MMU_CONFIG_H
#define MMU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMU_CFG_NAME_MAX 32
#define MMU_CFG_ERR_MAX  256

/*
 * The keys of a configuration file, in the order they are documented and
 * printed: X(key, what it means).  Each is a uint64_t field of mmu_config.
 */
#define MMU_CONFIG_KEYS(X)                                                   \
	X(va_bits,     "linear-address width in bits")                          \
	X(pa_bits,     "physical-address width (MAXPHYADDR)")                   \
	X(levels,      "paging levels (1..5)")                                   \
	X(page_shift,  "log2 of the base page size")                            \
	X(pte_bytes,   "size of a paging-structure entry (4 or 8)")             \
	X(page_2m,     "PS allowed at level 2 (2 MiB pages on x86)")            \
	X(page_1g,     "PS allowed at level 3 (1 GiB pages on x86)")            \
	X(pcid,        "CR4.PCIDE may be set (12-bit PCID tags)")               \
	X(tlb_sets,    "TLB sets")                                              \
	X(tlb_ways,    "TLB ways")                                              \
	X(l1_sets,     "L1 sets")                                               \
	X(l1_ways,     "L1 ways")                                               \
	X(l1_line,     "L1 line size in bytes")                                 \
	X(psc_entries, "paging-structure cache entries per non-leaf level")     \
	X(mem_bytes,   "default physical memory size in bytes")                 \
	X(hit_stage,   "registered hit stage: 2-cycle load-to-use (0 or 1)")

enum mmu_canonical { MMU_CANON_SIGN, MMU_CANON_ZERO };

struct mmu_config {
	char name[MMU_CFG_NAME_MAX];
	enum mmu_canonical canonical;
#define MMU_CFG_FIELD(key, doc) uint64_t key;
	MMU_CONFIG_KEYS(MMU_CFG_FIELD)
#undef MMU_CFG_FIELD

	/* Derived by mmu_config_validate(); never set by hand. */
	unsigned index_bits;     /* VPN bits consumed per level */
	unsigned vpn_bits;       /* va_bits - page_shift */
	unsigned ppn_bits;       /* pa_bits - page_shift */
	unsigned tlb_index_bits; /* TLBI width */
	unsigned tlb_tag_bits;   /* TLBT width */
	unsigned l1_offset_bits; /* CO width */
	unsigned l1_index_bits;  /* CI width */
	unsigned l1_tag_bits;    /* CT width */
	uint64_t pte_rsvd_mask;  /* frame bits above MAXPHYADDR (x86: 51..pa_bits) */
};

/* Where a configuration came from, for messages. */
struct mmu_config_source {
	const char *name;
	const char *text;
};

/* The configurations shipped in configs/, embedded at build time. */
extern const struct mmu_config_source mmu_builtin_configs[];
extern const size_t mmu_builtin_config_count;

/*
 * Parse configuration text.  origin names the text in messages ("x86",
 * "my.cfg").  Returns 0, or -1 with err holding "origin:line: message" for
 * a bad line (syntax, unknown or repeated key, bad value) or "origin:
 * message" for a missing key or a rule the whole configuration breaks.
 * Every key, canonical included, is required, except hit_stage (a timing
 * choice of the RTL that changes no outcome: 0 when absent).  The result is
 * validated.
 */
int mmu_config_parse(const char *text, const char *origin,
		     struct mmu_config *cfg, char *err, size_t errlen);

/*
 * Load a configuration by built-in name ("x86", "csapp", "fpga") or by the
 * path of a .cfg file.  Returns 0 or -1 with a message.
 */
int mmu_config_load(const char *name_or_path, struct mmu_config *cfg,
		    char *err, size_t errlen);

/*
 * Override one key ("tlb_ways", "16") and re-validate; used by the CLI's
 * --set and by sweeps.  On error cfg is left unchanged.
 */
int mmu_config_set(struct mmu_config *cfg, const char *key, const char *value,
		   char *err, size_t errlen);

/*
 * Check every rule (powers of two, VIPT without aliases, widths that fit the
 * entry format, ...) and fill in the derived fields.  The message names the
 * parameter at fault.
 */
int mmu_config_validate(struct mmu_config *cfg, char *err, size_t errlen);

/* Print the configuration in the file format (round-trips through parse). */
int mmu_config_format(const struct mmu_config *cfg, char *buf, size_t len);

/* Size in bytes of the page mapped by a leaf at `level` (1 = PT). */
static inline uint64_t mmu_level_page_size(const struct mmu_config *cfg,
					   unsigned level)
{
	return 1ull << (cfg->page_shift + (level - 1) * cfg->index_bits);
}

#endif
