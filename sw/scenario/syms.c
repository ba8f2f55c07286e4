/* SPDX-License-Identifier: MIT */
/*
 * Symbols of the scenario language (Linux x86-64 values of PROT_*, MAP_*,
 * MADV_*, MS_*, O_*, PKEY_*), errno and signal names, symbolic printing of flag
 * masks, and sizes with K/M/G suffixes.
 */
#include "scn_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char *const scn_cmp_names[6] = { "==", "!=", "<", "<=", ">", ">=" };

static const struct scn_sym syms[] = {
	{ "PROT_NONE", SYM_PROT, 0x0 },
	{ "PROT_READ", SYM_PROT, 0x1 },
	{ "PROT_WRITE", SYM_PROT, 0x2 },
	{ "PROT_EXEC", SYM_PROT, 0x4 },
	{ "PROT_GROWSDOWN", SYM_PROT, 0x01000000 },
	{ "PROT_GROWSUP", SYM_PROT, 0x02000000 },

	{ "MAP_SHARED", SYM_MAP, 0x1 },
	{ "MAP_PRIVATE", SYM_MAP, 0x2 },
	{ "MAP_SHARED_VALIDATE", SYM_MAP, 0x3 },
	{ "MAP_FIXED", SYM_MAP, 0x10 },
	{ "MAP_ANONYMOUS", SYM_MAP, 0x20 },
	{ "MAP_ANON", SYM_MAP, 0x20 },
	{ "MAP_32BIT", SYM_MAP, 0x40 },
	{ "MAP_GROWSDOWN", SYM_MAP, 0x100 },
	{ "MAP_DENYWRITE", SYM_MAP, 0x800 },
	{ "MAP_EXECUTABLE", SYM_MAP, 0x1000 },
	{ "MAP_LOCKED", SYM_MAP, 0x2000 },
	{ "MAP_NORESERVE", SYM_MAP, 0x4000 },
	{ "MAP_POPULATE", SYM_MAP, 0x8000 },
	{ "MAP_NONBLOCK", SYM_MAP, 0x10000 },
	{ "MAP_STACK", SYM_MAP, 0x20000 },
	{ "MAP_HUGETLB", SYM_MAP, 0x40000 },
	{ "MAP_SYNC", SYM_MAP, 0x80000 },
	{ "MAP_FIXED_NOREPLACE", SYM_MAP, 0x100000 },
	{ "MAP_DROPPABLE", SYM_MAP, 0x08 },  /* a sharing type of its own (6.11+) */

	{ "MADV_NORMAL", SYM_MADV, 0 },
	{ "MADV_RANDOM", SYM_MADV, 1 },
	{ "MADV_SEQUENTIAL", SYM_MADV, 2 },
	{ "MADV_WILLNEED", SYM_MADV, 3 },
	{ "MADV_DONTNEED", SYM_MADV, 4 },
	{ "MADV_FREE", SYM_MADV, 8 },
	{ "MADV_REMOVE", SYM_MADV, 9 },
	{ "MADV_DONTFORK", SYM_MADV, 10 },
	{ "MADV_DOFORK", SYM_MADV, 11 },
	{ "MADV_MERGEABLE", SYM_MADV, 12 },
	{ "MADV_UNMERGEABLE", SYM_MADV, 13 },
	{ "MADV_HUGEPAGE", SYM_MADV, 14 },
	{ "MADV_NOHUGEPAGE", SYM_MADV, 15 },
	{ "MADV_DONTDUMP", SYM_MADV, 16 },
	{ "MADV_DODUMP", SYM_MADV, 17 },
	{ "MADV_WIPEONFORK", SYM_MADV, 18 },
	{ "MADV_KEEPONFORK", SYM_MADV, 19 },
	{ "MADV_COLD", SYM_MADV, 20 },
	{ "MADV_PAGEOUT", SYM_MADV, 21 },

	{ "MS_ASYNC", SYM_MS, 1 },
	{ "MS_INVALIDATE", SYM_MS, 2 },
	{ "MS_SYNC", SYM_MS, 4 },

	{ "O_RDONLY", SYM_OPEN, 0 },
	{ "O_WRONLY", SYM_OPEN, 1 },
	{ "O_RDWR", SYM_OPEN, 2 },
	{ "O_CREAT", SYM_OPEN, 0100 },
	{ "O_EXCL", SYM_OPEN, 0200 },
	{ "O_TRUNC", SYM_OPEN, 01000 },
	{ "O_APPEND", SYM_OPEN, 02000 },

	{ "PKEY_DISABLE_ACCESS", SYM_PKEY, 0x1 },
	{ "PKEY_DISABLE_WRITE", SYM_PKEY, 0x2 },
	{ "MREMAP_MAYMOVE", SYM_MREMAP, 1 },
	{ "MREMAP_FIXED", SYM_MREMAP, 2 },
	{ "MREMAP_DONTUNMAP", SYM_MREMAP, 4 },

	{ "MCL_CURRENT", SYM_MCL, 1 },
	{ "MCL_FUTURE", SYM_MCL, 2 },
	{ "MCL_ONFAULT", SYM_MCL, 4 },

	{ "FALLOC_FL_KEEP_SIZE", SYM_FALLOC, 0x01 },
	{ "FALLOC_FL_PUNCH_HOLE", SYM_FALLOC, 0x02 },
	{ "FALLOC_FL_COLLAPSE_RANGE", SYM_FALLOC, 0x08 },
	{ "FALLOC_FL_ZERO_RANGE", SYM_FALLOC, 0x10 },
	{ "FALLOC_FL_INSERT_RANGE", SYM_FALLOC, 0x20 },
	{ "FALLOC_FL_UNSHARE_RANGE", SYM_FALLOC, 0x40 },

	{ "PAGE_SIZE", SYM_PAGE, 0 },
};

const struct scn_sym *scn_sym_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (strlen(syms[i].name) == len && !memcmp(syms[i].name, name, len))
			return &syms[i];
	return NULL;
}

/* Edit distance, capped: strings longer than 40 are never "close". */
static unsigned distance(const char *a, size_t na, const char *b)
{
	unsigned row[42], nb = (unsigned)strlen(b);

	if (na > 40 || nb > 40)
		return 99;
	for (unsigned j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		unsigned diag = row[0];

		row[0] = (unsigned)i;
		for (unsigned j = 1; j <= nb; j++) {
			unsigned up = row[j], best;

			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

const char *scn_sym_suggest(const char *name, size_t len)
{
	const char *best = NULL;
	unsigned bd = 3;

	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		unsigned d = distance(name, len, syms[i].name);

		if (d < bd) {
			bd = d;
			best = syms[i].name;
		}
	}
	return best;
}

const char *scn_suggest_word(const char *name, size_t len,
			     const char *const *words, size_t n)
{
	const char *best = NULL;
	unsigned bd = 3;

	for (size_t i = 0; i < n; i++) {
		unsigned d = distance(name, len, words[i]);

		if (d < bd) {
			bd = d;
			best = words[i];
		}
	}
	return best;
}

/* ---- errno and signal names ------------------------------------------------ */

struct named { const char *name; int value; };

#define E(x) { #x, x }
static const struct named errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(ENAMETOOLONG), E(ENOSYS), E(ELOOP),
	E(EOVERFLOW), E(EOPNOTSUPP), E(ENOTSUP),
};
#undef E

static const struct named signals[] = {
	{ "SIGSEGV", SIGSEGV }, { "SIGBUS", SIGBUS }, { "SIGKILL", SIGKILL },
};

const char *scn_errno_name(int e)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return NULL;
}

int scn_errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return 0;
}

const char *scn_signal_name(int sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].value == sig)
			return signals[i].name;
	return NULL;
}

int scn_signal_value(const char *name)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (!strcmp(signals[i].name, name))
			return signals[i].value;
	return 0;
}

/* ---- printing flag masks ------------------------------------------------------ */

struct fmt {
	char *buf;
	size_t len, pos;
};

static void put(struct fmt *f, const char *s)
{
	size_t n = strlen(s);

	if (f->len && f->pos + 1 < f->len) {
		size_t room = f->len - 1 - f->pos;
		size_t k = n < room ? n : room;

		memcpy(f->buf + f->pos, s, k);
		f->buf[f->pos + k] = 0;
	}
	f->pos += n;
}

static void put_sep(struct fmt *f, const char *s)
{
	if (f->pos)
		put(f, "|");
	put(f, s);
}

static void put_hex(struct fmt *f, uint64_t v, bool sep)
{
	char tmp[24];
	static const char hex[] = "0123456789abcdef";
	int i = 23;

	tmp[i] = 0;
	do {
		tmp[--i] = hex[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	if (sep)
		put_sep(f, tmp + i);
	else
		put(f, tmp + i);
}

/* Every single-bit symbol of a class, in table order. */
static void put_bits(struct fmt *f, enum scn_symclass cls, uint64_t *v)
{
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		uint64_t b = syms[i].value;

		if (syms[i].cls != cls || !b || (b & (b - 1)) || !(*v & b))
			continue;
		if (cls == SYM_MAP && b <= 3)
			continue;  /* the sharing type is not a bit */
		if (cls == SYM_MAP && !strcmp(syms[i].name, "MAP_ANON"))
			continue;
		if (cls == SYM_OPEN && b <= 2)
			continue;  /* the access mode is not a bit */
		put_sep(f, syms[i].name);
		*v &= ~b;
	}
}

static const char *value_name(enum scn_symclass cls, uint64_t v)
{
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (syms[i].cls == cls && syms[i].value == v)
			return syms[i].name;
	return NULL;
}

int scn_format_flags(enum scn_flagset set, uint64_t v, char *buf, size_t len)
{
	struct fmt f = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	switch (set) {
	case SCN_FS_PROT:
		if (!v) {
			put(&f, "PROT_NONE");
			break;
		}
		put_bits(&f, SYM_PROT, &v);
		if (v)
			put_hex(&f, v, true);
		break;
	case SCN_FS_MAP: {
		uint64_t type = v & 3;

		if (type)
			put(&f, value_name(SYM_MAP, type));
		v &= ~3ull;
		put_bits(&f, SYM_MAP, &v);
		if (v || !f.pos)
			put_hex(&f, v, true);
		break;
	}
	case SCN_FS_MADV: {
		const char *n = value_name(SYM_MADV, v);

		if (n)
			put(&f, n);
		else
			put_hex(&f, v, false);
		break;
	}
	case SCN_FS_PKEY:
		put_bits(&f, SYM_PKEY, &v);
		if (v || !f.pos)
			put_hex(&f, v, true);
		break;
	case SCN_FS_MS:
	case SCN_FS_MREMAP:
	case SCN_FS_MCL:
	case SCN_FS_FALLOC:
		put_bits(&f, set == SCN_FS_MS ? SYM_MS : set == SCN_FS_MREMAP ? SYM_MREMAP :
			 set == SCN_FS_MCL ? SYM_MCL : SYM_FALLOC, &v);
		if (v || !f.pos)
			put_hex(&f, v, true);
		break;
	case SCN_FS_OPEN:
		if ((v & 3) != 3) {
			put(&f, value_name(SYM_OPEN, v & 3));
			v &= ~3ull;
		}
		put_bits(&f, SYM_OPEN, &v);
		if (v)
			put_hex(&f, v, true);
		break;
	}
	return (int)f.pos;
}

/* ---- sizes ---------------------------------------------------------------------- */

int scn_parse_size(const char *s, uint64_t *v)
{
	uint64_t x = 0, base = 10, mul = 1;
	const char *p = s;
	bool any = false;

	if (!s || !*s)
		return -1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
		any = true;
	}
	if (!any)
		return -1;
	if (*p) {
		switch (*p) {
		case 'K': mul = 1ull << 10; break;
		case 'M': mul = 1ull << 20; break;
		case 'G': mul = 1ull << 30; break;
		case 'T': mul = 1ull << 40; break;
		default: return -1;
		}
		if (p[1])
			return -1;
	}
	if (x > UINT64_MAX / mul)
		return -1;
	*v = x * mul;
	return 0;
}

void scn_limits_resolve(const struct scn_limits *lim, struct scn_limits *out)
{
	static const struct scn_limits none;

	*out = lim ? *lim : none;
	if (!out->max_parse_bytes)
		out->max_parse_bytes = SCN_DEFAULT_PARSE_BYTES;
	if (!out->max_steps)
		out->max_steps = SCN_DEFAULT_STEPS;
	if (!out->max_ms)
		out->max_ms = SCN_DEFAULT_MS;
	if (!out->max_file_bytes)
		out->max_file_bytes = SCN_DEFAULT_FILE_BYTES;
}

const char *scn_format_size(uint64_t v, char *buf, size_t len)
{
	static const char suffix[] = "KMGT";
	int k = -1;

	if (v == SCN_UNLIMITED) {
		snprintf(buf, len, "none");
		return buf;
	}
	while (k < 3 && v && !(v & 1023)) {
		v >>= 10;
		k++;
	}
	if (k < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, suffix[k]);
	return buf;
}

/* ---- counters -------------------------------------------------------------------- */

const char *const scn_counter_names[] = {
#define OS_NAME(f) #f,
	SCN_OS_STATS(OS_NAME)
#undef OS_NAME
#define MMU_NAME(f, doc) "mmu_" #f,
	MMU_COUNTERS(MMU_NAME)
#undef MMU_NAME
};
const size_t scn_ncounters = sizeof(scn_counter_names) / sizeof(scn_counter_names[0]);

/* ---- the command table ------------------------------------------------------- */

/* Signature letters: A addr, L len, P prot, F map flags, D fd, O offset,
 * V advice, S msync flags, Q open flags, Z access size, X value, I pid,
 * C count, E integer, N name, B bytes, T pattern, M comparison, K ident,
 * R pkey rights, G mremap flags, U mlockall flags, W fallocate mode,
 * Y fd or file name.
 * "[..]" is an all-or-none optional group at the end. */
const struct scn_cmd_def scn_cmds[] = {
	{ "spawn", NULL, C_SPAWN, "", "spawn", R_INT, true },
	{ "switch", NULL, C_SWITCH, "I", "switch PID", R_NONE, false },
	{ "fork", NULL, C_FORK, "", "fork", R_INT, true },
	{ "execve", NULL, C_EXECVE, "N", "execve PATH", R_INT, true },
	{ "exit", NULL, C_EXIT, "[I]", "exit [PID]", R_NONE, false },
	{ "mmap", NULL, C_MMAP, "ALPF[DO]", "mmap ADDR LEN PROT FLAGS [FD OFF]",
	  R_ADDR, true },
	{ "munmap", NULL, C_MUNMAP, "AL", "munmap ADDR LEN", R_INT, true },
	{ "mprotect", NULL, C_MPROTECT, "ALP", "mprotect ADDR LEN PROT", R_INT,
	  true },
	{ "brk", NULL, C_BRK, "A", "brk ADDR", R_ADDR, true },
	{ "madvise", NULL, C_MADVISE, "ALV", "madvise ADDR LEN ADVICE", R_INT,
	  true },
	{ "msync", NULL, C_MSYNC, "ALS", "msync ADDR LEN FLAGS", R_INT, true },
	{ "pkey_alloc", NULL, C_PKEY_ALLOC, "ER", "pkey_alloc FLAGS RIGHTS",
	  R_INT, true },
	{ "pkey_free", NULL, C_PKEY_FREE, "E", "pkey_free PKEY", R_INT, true },
	{ "pkey_mprotect", NULL, C_PKEY_MPROTECT, "ALPE",
	  "pkey_mprotect ADDR LEN PROT PKEY", R_INT, true },
	{ "pkey_set", NULL, C_PKEY_SET, "ER", "pkey_set PKEY RIGHTS", R_INT,
	  true },
	{ "pkey_get", NULL, C_PKEY_GET, "E", "pkey_get PKEY", R_INT, true },
	{ "file", "copy", C_FILE_COPY, "NN", "file copy NAME EXECUTABLE", R_NONE,
	  false },
	{ "file", "create", C_FILE_CREATE, "NL[T]",
	  "file create NAME SIZE [PATTERN]", R_NONE, false },
	{ "open", NULL, C_OPEN, "N[Q]", "open NAME [FLAGS]", R_INT, true },
	{ "close", NULL, C_CLOSE, "D", "close FD", R_INT, true },
	{ "write", NULL, C_WRITE, "YOB", "write FD|NAME OFF BYTES", R_INT, true },
	{ "read", "hex", C_READ_HEX, "YOL", "read hex FD|NAME OFF LEN", R_HEXBYTES, false },
	{ "read", NULL, C_READ, "YOL", "read FD|NAME OFF LEN", R_BYTES, false },
	{ "truncate", NULL, C_TRUNCATE, "YL", "truncate FD|NAME SIZE", R_INT, true },
	{ "fsync", NULL, C_FSYNC, "Y", "fsync FD|NAME", R_INT, true },
	{ "sync", NULL, C_SYNC, "", "sync", R_INT, true },
	{ "check", "file", C_CHECK_FILE, "NOB", "check file NAME OFF BYTES",
	  R_NONE, false },
	{ "check", "size", C_CHECK_SIZE, "NL", "check size NAME SIZE", R_NONE,
	  false },
	{ "check", "counter", C_CHECK_COUNTER, "KMC",
	  "check counter NAME OP VALUE", R_NONE, false },
	{ "check", "page", C_CHECK_PAGE, "A", "check page ADDR ATTR...",
	  R_NONE, false },
	{ "check", "value", C_CHECK_VALUE, "XMX", "check value VALUE OP VALUE",
	  R_NONE, false },
	{ "check", NULL, C_CHECK, "", "check", R_NONE, false },
	{ "load", NULL, C_LOAD, "ZA", "load SIZE ADDR", R_VALUE, true },
	{ "store", NULL, C_STORE, "ZAX", "store SIZE ADDR VALUE", R_NONE,
	  false },
	{ "fetch", NULL, C_FETCH, "ZA", "fetch SIZE ADDR", R_VALUE, true },
	{ "maps", NULL, C_MAPS, "[I]", "maps [PID] [{ expected lines }]",
	  R_NONE, false },
	{ "page", NULL, C_PAGE, "A", "page ADDR", R_NONE, false },
	{ "counters", NULL, C_COUNTERS, "", "counters", R_NONE, false },
	{ "tlb", NULL, C_TLB, "", "tlb", R_NONE, false },
	{ "walk", NULL, C_WALK, "A", "walk ADDR", R_NONE, false },
	{ "counter", NULL, C_COUNTER, "K", "counter NAME", R_INT, true },
	{ "ksm", NULL, C_KSM, "", "ksm", R_INT, true },
	{ "reclaim", NULL, C_RECLAIM, "C", "reclaim COUNT", R_INT, true },
	{ "print", NULL, C_PRINT, "", "print VALUE|\"text\"...", R_NONE, false },
	{ "repeat", NULL, C_REPEAT, "C", "repeat COUNT [$VAR] {", R_NONE,
	  false },
	{ "option", NULL, C_OPTION, "", "option NAME VALUE", R_NONE, false },
	{ "unlink", NULL, C_UNLINK, "N", "unlink NAME", R_INT, true },
	{ "mincore", NULL, C_MINCORE, "AL", "mincore ADDR LEN", R_HEXBYTES, false },
	{ "mremap", NULL, C_MREMAP, "ALLG[A]",
	  "mremap ADDR OLD_LEN NEW_LEN FLAGS [NEW_ADDR]", R_ADDR, true },
	{ "mlock", NULL, C_MLOCK, "AL", "mlock ADDR LEN", R_INT, true },
	{ "munlock", NULL, C_MUNLOCK, "AL", "munlock ADDR LEN", R_INT, true },
	{ "mlockall", NULL, C_MLOCKALL, "U", "mlockall FLAGS", R_INT, true },
	{ "munlockall", NULL, C_MUNLOCKALL, "", "munlockall", R_INT, true },
	{ "fallocate", NULL, C_FALLOCATE, "YWOL", "fallocate FD|NAME MODE OFF LEN", R_INT,
	  true },
	{ "", NULL, C_LET, "X", "$VAR = EXPR", R_INT, false },
};
const size_t scn_ncmds = sizeof(scn_cmds) / sizeof(scn_cmds[0]);

const struct scn_cmd_def *scn_cmd_def(enum scn_cmd c)
{
	for (size_t i = 0; i < scn_ncmds; i++)
		if (scn_cmds[i].cmd == c)
			return &scn_cmds[i];
	return &scn_cmds[0];
}

bool scn_takes_expect(enum scn_cmd c)
{
	return !(c == C_CHECK || c == C_CHECK_FILE || c == C_CHECK_SIZE ||
		 c == C_CHECK_COUNTER || c == C_CHECK_PAGE || c == C_CHECK_VALUE ||
		 c == C_MAPS || c == C_PRINT || c == C_COUNTERS || c == C_PAGE ||
		 c == C_TLB || c == C_WALK);
}

int scn_file_arg_flags(enum scn_cmd c)
{
	return c == C_READ || c == C_READ_HEX || c == C_FSYNC ? 0 /* O_RDONLY */
							      : 2 /* O_RDWR */;
}
