/* SPDX-License-Identifier: MIT */
#include "cfg_util.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

const char *cfg_builtin_text(const char *name)
{
	for (size_t i = 0; i < mmu_builtin_config_count; i++)
		if (!strcmp(mmu_builtin_configs[i].name, name))
			return mmu_builtin_configs[i].text;
	return NULL;
}

/* Does the line [p, p+n) set key?  (Leading blanks, then the key, then a
 * blank or '='.) */
static bool line_sets(const char *p, size_t n, const char *key)
{
	size_t k = strlen(key), i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (n - i < k || strncmp(p + i, key, k))
		return false;
	i += k;
	return i < n && (p[i] == '=' || isspace((unsigned char)p[i]));
}

char *cfg_text_replace(const char *text, const char *key, const char *line,
		       unsigned *lineno)
{
	size_t cap = strlen(text) + (line ? strlen(line) : 0) + 3, len = 0;
	char *out = malloc(cap);
	const char *p = text;
	unsigned no = 0, at = 0;
	bool done = false;

	assert_non_null(out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		no++;
		if (!done && line_sets(p, n, key)) {
			done = true;
			if (line) {
				len += (size_t)sprintf(out + len, "%s\n", line);
				at = no;
			} else {
				no--;  /* the line is gone */
			}
		} else {
			memcpy(out + len, p, n);
			len += n;
			out[len++] = '\n';
		}
		p += n + (nl ? 1 : 0);
	}
	if (!done && line) {
		len += (size_t)sprintf(out + len, "%s\n", line);
		at = ++no;
	}
	out[len] = 0;
	if (lineno)
		*lineno = at;
	return out;
}

char *cfg_text_set(const char *text, const char *key, const char *value,
		   unsigned *lineno)
{
	char buf[600];

	snprintf(buf, sizeof(buf), "%s = %s", key, value);
	return cfg_text_replace(text, key, buf, lineno);
}

bool cfg_equal(const struct mmu_config *a, const struct mmu_config *b,
	       const char **what)
{
	const char *w = NULL;

	if (strcmp(a->name, b->name))
		w = "name";
	else if (a->canonical != b->canonical)
		w = "canonical";
#define CFG_CMP(k, doc) else if (a->k != b->k) w = #k;
	MMU_CONFIG_KEYS(CFG_CMP)
#undef CFG_CMP
	else if (a->index_bits != b->index_bits)
		w = "index_bits";
	else if (a->vpn_bits != b->vpn_bits)
		w = "vpn_bits";
	else if (a->ppn_bits != b->ppn_bits)
		w = "ppn_bits";
	else if (a->tlb_index_bits != b->tlb_index_bits)
		w = "tlb_index_bits";
	else if (a->tlb_tag_bits != b->tlb_tag_bits)
		w = "tlb_tag_bits";
	else if (a->l1_offset_bits != b->l1_offset_bits)
		w = "l1_offset_bits";
	else if (a->l1_index_bits != b->l1_index_bits)
		w = "l1_index_bits";
	else if (a->l1_tag_bits != b->l1_tag_bits)
		w = "l1_tag_bits";
	else if (a->pte_rsvd_mask != b->pte_rsvd_mask)
		w = "pte_rsvd_mask";
	if (what)
		*what = w;
	return w == NULL;
}

bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool contains(const char *s, const char *sub)
{
	return strstr(s, sub) != NULL;
}
