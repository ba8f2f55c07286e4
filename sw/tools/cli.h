/* SPDX-License-Identifier: MIT */
/*
 * Number and shard arguments of the command-line tools, parsed one way
 * everywhere: a whole unsigned number (decimal, or 0x hexadecimal) with no
 * sign and nothing after it; a shard "I/N" with 1 <= I <= N.  Usage errors
 * answered one way everywhere: one line that names the option or argument
 * and what is valid, then a hint to --help, exit status 2.  And
 * `mkdir -p` for the folders the tools write their results into.
 */
#ifndef MMU_TOOLS_CLI_H
#define MMU_TOOLS_CLI_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline bool cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static inline bool cli_parse_uint(const char *s, unsigned *v)
{
	uint64_t x;

	if (!cli_parse_u64(s, &x) || x > 0xffffffffu)
		return false;
	*v = (unsigned)x;
	return true;
}

/* "TOOL: message" and the hint; returns the exit status 2. */
static inline int cli_error(const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int cli_error(const char *tool, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for the options.\n", tool);
	return 2;
}

static inline int cli_unknown(const char *tool, const char *arg)
{
	return arg[0] == '-' ? cli_error(tool, "unknown option '%s'", arg)
			     : cli_error(tool, "unexpected argument '%s'", arg);
}

static inline int cli_no_value(const char *tool, const char *opt)
{
	return cli_error(tool, "option '%s' needs a value", opt);
}

/* Whether arg is one of the NULL-terminated names. */
static inline bool cli_is(const char *arg, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(arg, *names))
			return true;
	return false;
}

/* Option opt's value v as a whole number in [lo, hi]: true, or false after
 * saying what is valid (the caller returns 2). */
static inline bool cli_number(const char *tool, const char *opt,
			      const char *v, uint64_t lo, uint64_t hi,
			      uint64_t *out)
{
	uint64_t x;

	if (cli_parse_u64(v, &x) && x >= lo && x <= hi) {
		*out = x;
		return true;
	}
	cli_error(tool, "bad %s '%s': expected a whole number from %llu to "
		  "%llu", opt, v, (unsigned long long)lo,
		  (unsigned long long)hi);
	return false;
}

/* In a parser that returns the exit status: dst = v, a whole number in
 * [lo, hi], or return 2 after the message. */
#define CLI_NUM(tool, opt, v, lo, hi, dst)                                   \
	do {                                                                 \
		uint64_t n_;                                                 \
		if (!cli_number(tool, opt, v, lo, hi, &n_))                  \
			return 2;                                            \
		dst = n_;                                                    \
	} while (0)

static inline bool cli_parse_shard(const char *s, unsigned *i, unsigned *n)
{
	char a[24], *slash;

	if (strlen(s) >= sizeof(a))
		return false;
	strcpy(a, s);
	slash = strchr(a, '/');
	if (!slash)
		return false;
	*slash = 0;
	return cli_parse_uint(a, i) && cli_parse_uint(slash + 1, n) &&
	       *n >= 1 && *i >= 1 && *i <= *n;
}

/* mkdir -p: result folders may be nested under build/. */
static inline int cli_make_dirs(const char *path)
{
	char p[600];

	if (strlen(path) >= sizeof(p))
		return -1;
	strcpy(p, path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0777) && errno != EEXIST ? -1 : 0;
}

#endif
