/* SPDX-License-Identifier: MIT */
/* Parsing and validation of MMU configurations (see config.h). */
#include "config.h"
#include "machine/pte.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static unsigned log2u(uint64_t v)
{
	unsigned n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* Pointer to the numeric field named key, or NULL. */
static uint64_t *field(struct mmu_config *cfg, const char *key)
{
#define MMU_CFG_LOOKUP(k, doc) if (!strcmp(key, #k)) return &cfg->k;
	MMU_CONFIG_KEYS(MMU_CFG_LOOKUP)
#undef MMU_CFG_LOOKUP
	return NULL;
}

/* A distinct bit per key, to notice missing and repeated keys. */
static int key_bit(const char *key)
{
	int bit = 2;

	if (!strcmp(key, "name"))
		return 0;
	if (!strcmp(key, "canonical"))
		return 1;
#define MMU_CFG_BIT(k, doc) if (!strcmp(key, #k)) return bit; bit++;
	MMU_CONFIG_KEYS(MMU_CFG_BIT)
#undef MMU_CFG_BIT
	return 63;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Apply key=value to cfg without validating the whole. */
static int apply(struct mmu_config *cfg, const char *key, const char *value,
		 char *err, size_t errlen)
{
	uint64_t *f;

	if (!strcmp(key, "name")) {
		if (!*value || strlen(value) >= MMU_CFG_NAME_MAX ||
		    strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789_.-") != strlen(value))
			return fail(err, errlen,
				    "name: '%s' must be 1..%d characters of "
				    "[A-Za-z0-9_.-]", value, MMU_CFG_NAME_MAX - 1);
		snprintf(cfg->name, sizeof(cfg->name), "%s", value);
		return 0;
	}
	if (!strcmp(key, "canonical")) {
		if (!strcmp(value, "sign"))
			cfg->canonical = MMU_CANON_SIGN;
		else if (!strcmp(value, "zero"))
			cfg->canonical = MMU_CANON_ZERO;
		else
			return fail(err, errlen,
				    "canonical: expected 'sign' or 'zero', got '%s'",
				    value);
		return 0;
	}
	f = field(cfg, key);
	if (!f)
		return fail(err, errlen, "unknown key '%s'", key);
	if (parse_u64(value, f))
		return fail(err, errlen,
			    "%s: expected a non-negative number, got '%s'", key,
			    value);
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

int mmu_config_parse(const char *text, const char *origin,
		     struct mmu_config *cfg, char *err, size_t errlen)
{
	struct mmu_config c;
	char line[512], msg[MMU_CFG_ERR_MAX];
	const char *p = text;
	unsigned lineno = 0;
	uint64_t seen = 0;

	memset(&c, 0, sizeof(c));

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *s, *eq, *hash;

		lineno++;
		if (n >= sizeof(line))
			return fail(err, errlen, "%s:%u: line too long", origin,
				    lineno);
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (nl ? 1 : 0);

		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		s = trim(line);
		if (!*s)
			continue;
		eq = strchr(s, '=');
		if (!eq)
			return fail(err, errlen,
				    "%s:%u: expected 'key = value', got '%s'",
				    origin, lineno, s);
		*eq = 0;
		s = trim(s);
		if (apply(&c, s, trim(eq + 1), msg, sizeof(msg)))
			return fail(err, errlen, "%s:%u: %s", origin, lineno,
				    msg);
		{
			int bit = key_bit(s);

			if (seen & (1ull << bit))
				return fail(err, errlen,
					    "%s:%u: key '%s' is set twice",
					    origin, lineno, s);
			seen |= 1ull << bit;
		}
	}
	if (!(seen & (1ull << key_bit("name"))))
		return fail(err, errlen, "%s: missing key 'name'", origin);
	if (!(seen & (1ull << key_bit("canonical"))))
		return fail(err, errlen,
			    "%s: missing key 'canonical' (sign or zero)", origin);
	/* Optional: a timing choice of the RTL, no outcome depends on it. */
	seen |= 1ull << key_bit("hit_stage");
#define MMU_CFG_REQUIRED(k, doc)                                             \
	if (!(seen & (1ull << key_bit(#k))))                                 \
		return fail(err, errlen, "%s: missing key '%s' (%s)", origin, \
			    #k, doc);
	MMU_CONFIG_KEYS(MMU_CFG_REQUIRED)
#undef MMU_CFG_REQUIRED
	if (mmu_config_validate(&c, msg, sizeof(msg)))
		return fail(err, errlen, "%s: %s", origin, msg);
	*cfg = c;
	return 0;
}

static int check_pow2(const char *key, uint64_t v, uint64_t max, char *err,
		      size_t errlen)
{
	if (!is_pow2(v))
		return fail(err, errlen, "%s = %llu is not a power of two", key,
			    (unsigned long long)v);
	if (v > max)
		return fail(err, errlen, "%s = %llu exceeds the maximum %llu",
			    key, (unsigned long long)v,
			    (unsigned long long)max);
	return 0;
}

static int check_bool(const char *key, uint64_t v, char *err, size_t errlen)
{
	if (v > 1)
		return fail(err, errlen, "%s = %llu: expected 0 or 1", key,
			    (unsigned long long)v);
	return 0;
}

/* Bits 12 and up of an entry hold the frame: the top bit it may use. */
static unsigned frame_field_top(const struct mmu_config *cfg)
{
	return cfg->pte_bytes == 8 ? PTE_HIGHEST_ADDR_BIT : 31;
}

/* The address widths: page size, levels, VA and PA widths, entry size, and
 * a PPN that fits the entry's frame field. */
static int check_widths(const struct mmu_config *cfg, char *err,
			size_t errlen)
{
	uint64_t vpn_bits, frame_top;

	if (cfg->page_shift < 2 || cfg->page_shift > 16)
		return fail(err, errlen, "page_shift = %llu: expected 2..16",
			    (unsigned long long)cfg->page_shift);
	if (cfg->levels < 1 || cfg->levels > 5)
		return fail(err, errlen, "levels = %llu: expected 1..5",
			    (unsigned long long)cfg->levels);
	if (cfg->va_bits <= cfg->page_shift || cfg->va_bits > 57)
		return fail(err, errlen,
			    "va_bits = %llu: expected page_shift+1..57",
			    (unsigned long long)cfg->va_bits);
	vpn_bits = cfg->va_bits - cfg->page_shift;
	if (vpn_bits % cfg->levels)
		return fail(err, errlen,
			    "levels = %llu does not divide the %llu VPN bits "
			    "(va_bits - page_shift) evenly",
			    (unsigned long long)cfg->levels,
			    (unsigned long long)vpn_bits);
	if (cfg->pte_bytes != 4 && cfg->pte_bytes != 8)
		return fail(err, errlen, "pte_bytes = %llu: expected 4 or 8",
			    (unsigned long long)cfg->pte_bytes);
	if (cfg->pa_bits <= cfg->page_shift || cfg->pa_bits > 52)
		return fail(err, errlen,
			    "pa_bits = %llu: expected page_shift+1..52",
			    (unsigned long long)cfg->pa_bits);
	/* The frame field starts at bit 12 and must fit below the entry's top
	 * (bit 51 for 8-byte entries, bit 31 for 4-byte ones). */
	frame_top = PTE_FRAME_SHIFT + (cfg->pa_bits - cfg->page_shift);
	if (frame_top > frame_field_top(cfg) + 1)
		return fail(err, errlen,
			    "pa_bits = %llu: a %llu-bit physical page number "
			    "does not fit a %llu-byte entry's frame field",
			    (unsigned long long)cfg->pa_bits,
			    (unsigned long long)(cfg->pa_bits - cfg->page_shift),
			    (unsigned long long)cfg->pte_bytes);
	return 0;
}

/* The flags (0 or 1), and the large pages' levels. */
static int check_flags(struct mmu_config *cfg, char *err, size_t errlen)
{
	static const char *const flags[] = { "page_2m", "page_1g", "pcid" };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (check_bool(flags[i], *field(cfg, flags[i]), err, errlen))
			return -1;
	if (cfg->page_2m && cfg->levels < 2)
		return fail(err, errlen, "page_2m = 1 needs levels >= 2");
	if (cfg->page_1g && cfg->levels < 3)
		return fail(err, errlen, "page_1g = 1 needs levels >= 3");
	return 0;
}

/* The TLB's and the L1's geometry: powers of two up to a maximum, a TLB
 * index within the VPN, an entry within a line, a VIPT L1 without aliases,
 * and the PSC's size (0: none). */
static int check_geometry(struct mmu_config *cfg, char *err, size_t errlen)
{
	static const struct {
		const char *key;
		uint64_t max;
	} sizes[] = {
		{ "tlb_sets", 1ull << 12 }, { "tlb_ways", 32 },
		{ "l1_sets", 1ull << 14 },  { "l1_ways", 32 },
		{ "l1_line", 256 },
	};
	uint64_t vpn_bits = cfg->va_bits - cfg->page_shift;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (check_pow2(sizes[i].key, *field(cfg, sizes[i].key),
			       sizes[i].max, err, errlen))
			return -1;
	if (log2u(cfg->tlb_sets) > vpn_bits)
		return fail(err, errlen,
			    "tlb_sets = %llu needs more index bits than the "
			    "%llu-bit VPN has",
			    (unsigned long long)cfg->tlb_sets,
			    (unsigned long long)vpn_bits);
	if (cfg->l1_line < cfg->pte_bytes)
		return fail(err, errlen,
			    "l1_line = %llu is smaller than an entry (pte_bytes "
			    "= %llu): the walker reads an entry from one line",
			    (unsigned long long)cfg->l1_line,
			    (unsigned long long)cfg->pte_bytes);
	/* VIPT without aliases: index and offset must lie in the page offset. */
	if (log2u(cfg->l1_sets) + log2u(cfg->l1_line) > cfg->page_shift)
		return fail(err, errlen,
			    "l1_sets = %llu: l1_sets x l1_line = %llu bytes is "
			    "larger than a %llu-byte page, so the virtually "
			    "indexed cache would alias",
			    (unsigned long long)cfg->l1_sets,
			    (unsigned long long)(cfg->l1_sets * cfg->l1_line),
			    1ull << cfg->page_shift);
	if (cfg->psc_entries &&
	    check_pow2("psc_entries", cfg->psc_entries, 64, err, errlen))
		return -1;
	return 0;
}

/* The hit stage (0 or 1) and the memory size: whole pages within the
 * physical address space. */
static int check_timing_memory(const struct mmu_config *cfg, char *err,
			       size_t errlen)
{
	if (cfg->hit_stage > 1)
		return fail(err, errlen,
			    "hit_stage = %llu: expected 0 (one-cycle hits) or 1 "
			    "(registered hit stage)",
			    (unsigned long long)cfg->hit_stage);
	if (cfg->mem_bytes < (1ull << cfg->page_shift) ||
	    cfg->mem_bytes & ((1ull << cfg->page_shift) - 1))
		return fail(err, errlen,
			    "mem_bytes = %llu: expected a non-zero multiple of "
			    "the page size",
			    (unsigned long long)cfg->mem_bytes);
	if (cfg->pa_bits < 64 && cfg->mem_bytes > (1ull << cfg->pa_bits))
		return fail(err, errlen,
			    "mem_bytes = %llu exceeds the 2^%llu-byte physical "
			    "address space (pa_bits)",
			    (unsigned long long)cfg->mem_bytes,
			    (unsigned long long)cfg->pa_bits);
	return 0;
}

/* The derived fields of a configuration that passed every check. */
static void derive(struct mmu_config *cfg)
{
	unsigned vpn_bits = (unsigned)(cfg->va_bits - cfg->page_shift);
	unsigned top = frame_field_top(cfg);
	unsigned frame_top = PTE_FRAME_SHIFT +
			     (unsigned)(cfg->pa_bits - cfg->page_shift);
	uint64_t hi = (top == 63) ? ~0ull : ((1ull << (top + 1)) - 1);

	cfg->vpn_bits = vpn_bits;
	cfg->index_bits = (unsigned)(vpn_bits / cfg->levels);
	cfg->ppn_bits = (unsigned)(cfg->pa_bits - cfg->page_shift);
	cfg->tlb_index_bits = log2u(cfg->tlb_sets);
	cfg->tlb_tag_bits = cfg->vpn_bits - cfg->tlb_index_bits;
	cfg->l1_offset_bits = log2u(cfg->l1_line);
	cfg->l1_index_bits = log2u(cfg->l1_sets);
	cfg->l1_tag_bits = (unsigned)cfg->pa_bits - cfg->l1_index_bits -
			   cfg->l1_offset_bits;
	/* Reserved: the part of the frame field above the PPN's width, up to
	 * bit 51 (8-byte entries) or bit 31 (4-byte entries). */
	cfg->pte_rsvd_mask = hi & ~((1ull << frame_top) - 1);
}

int mmu_config_validate(struct mmu_config *cfg, char *err, size_t errlen)
{
	if (!cfg->name[0])
		return fail(err, errlen, "name: must not be empty");
	if (check_widths(cfg, err, errlen) || check_flags(cfg, err, errlen) ||
	    check_geometry(cfg, err, errlen) ||
	    check_timing_memory(cfg, err, errlen))
		return -1;
	derive(cfg);
	return 0;
}

int mmu_config_set(struct mmu_config *cfg, const char *key, const char *value,
		   char *err, size_t errlen)
{
	struct mmu_config c = *cfg;
	char v[128];
	size_t n;

	while (isspace((unsigned char)*value))
		value++;
	n = strlen(value);
	while (n && isspace((unsigned char)value[n - 1]))
		n--;
	if (n >= sizeof(v))
		return fail(err, errlen, "%s: value too long", key);
	memcpy(v, value, n);
	v[n] = 0;
	value = v;
	if (apply(&c, key, value, err, errlen))
		return -1;
	if (mmu_config_validate(&c, err, errlen))
		return -1;
	*cfg = c;
	return 0;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	long n;

	if (!f) {
		fail(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Directories open fine on Linux; a configuration is a small file. */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > (1 << 20)) {
		fail(err, errlen, "%s: not a regular file of at most 1 MiB", path);
		fclose(f);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fail(err, errlen, "%s: cannot size the file", path);
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fail(err, errlen, "%s: read failed", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = 0;
	fclose(f);
	return buf;
}

int mmu_config_load(const char *name_or_path, struct mmu_config *cfg,
		    char *err, size_t errlen)
{
	char *text;
	int rc;
	size_t i;

	for (i = 0; i < mmu_builtin_config_count; i++)
		if (!strcmp(mmu_builtin_configs[i].name, name_or_path))
			return mmu_config_parse(mmu_builtin_configs[i].text,
						name_or_path, cfg, err, errlen);
	if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".cfg")) {
		char names[128] = "";

		for (i = 0; i < mmu_builtin_config_count; i++) {
			strncat(names, i ? ", " : "",
				sizeof(names) - strlen(names) - 1);
			strncat(names, mmu_builtin_configs[i].name,
				sizeof(names) - strlen(names) - 1);
		}
		return fail(err, errlen,
			    "unknown configuration '%s' (built in: %s; or give "
			    "the path of a .cfg file)",
			    name_or_path, names);
	}
	text = read_file(name_or_path, err, errlen);
	if (!text)
		return -1;
	rc = mmu_config_parse(text, name_or_path, cfg, err, errlen);
	free(text);
	return rc;
}

int mmu_config_format(const struct mmu_config *cfg, char *buf, size_t len)
{
	size_t off = 0;
	int n;

	n = snprintf(buf, len, "name = %s\ncanonical = %s\n", cfg->name,
		     cfg->canonical == MMU_CANON_SIGN ? "sign" : "zero");
	if (n < 0)
		return -1;
	off = (size_t)n;
#define MMU_CFG_PRINT(k, doc)                                                \
	n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0, \
		     "%-11s = %llu\n", #k, (unsigned long long)cfg->k);       \
	if (n < 0)                                                           \
		return -1;                                                   \
	off += (size_t)n;
	MMU_CONFIG_KEYS(MMU_CFG_PRINT)
#undef MMU_CFG_PRINT
	return off < len ? (int)off : -1;
}
