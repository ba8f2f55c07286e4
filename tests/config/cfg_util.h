/* SPDX-License-Identifier: MIT */
/* Helpers for the configuration-library tests: editing configuration text
 * line by line, comparing configurations field by field. */
#ifndef TESTS_CFG_UTIL_H
#define TESTS_CFG_UTIL_H

#include "../../sw/config/config.h"

#include <stdbool.h>

/* The text of built-in configuration `name`, or NULL. */
const char *cfg_builtin_text(const char *name);

/*
 * A malloc'ed copy of `text` in which the line setting `key` is replaced by
 * `line` (NULL: the line is removed).  When no line sets `key`, `line` is
 * appended.  *lineno (if not NULL) gets the 1-based number of the new line,
 * or 0 when it was removed.  Fails the test when out of memory.
 */
char *cfg_text_replace(const char *text, const char *key, const char *line,
		       unsigned *lineno);
/* The same with "key = value". */
char *cfg_text_set(const char *text, const char *key, const char *value,
		   unsigned *lineno);

/* Every field equal, derived ones included.  On a difference, names the
 * first differing field in *what (if not NULL). */
bool cfg_equal(const struct mmu_config *a, const struct mmu_config *b,
	       const char **what);

/* s starts with prefix / contains sub. */
bool starts_with(const char *s, const char *prefix);
bool contains(const char *s, const char *sub);

#endif
