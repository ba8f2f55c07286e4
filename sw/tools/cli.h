/* SPDX-License-Identifier: MIT */
/*
 * Number and shard arguments of the command-line tools, parsed one way
 * everywhere: a whole unsigned number (decimal, or 0x hexadecimal) with no
 * sign and nothing after it; a shard "I/N" with 1 <= I <= N.  And
 * `mkdir -p` for the folders the tools write their results into.
 */
#ifndef MMU_TOOLS_CLI_H
#define MMU_TOOLS_CLI_H

#include <errno.h>
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
