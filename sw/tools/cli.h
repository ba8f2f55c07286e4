/* SPDX-License-Identifier: MIT */
/*
 * Number and shard arguments of the command-line tools, parsed one way
 * everywhere: a whole unsigned number (decimal, or 0x hexadecimal) with no
 * sign and nothing after it; a shard "I/N" with 1 <= I <= N.
 */
#ifndef MMU_TOOLS_CLI_H
#define MMU_TOOLS_CLI_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

#endif
