/* SPDX-License-Identifier: MIT */
/*
 * A growing text buffer for the runner's step lines.  An allocation failure
 * sets nomem and the text stops growing; the runner then prints a note
 * instead of the line.
 */
#include "run_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_put(struct sbuf *s, const char *t, size_t n)
{
	if (s->nomem)
		return;
	if (s->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		char *nb;

		while (s->n + n + 1 > cap)
			cap *= 2;
		nb = realloc(s->b, cap);
		if (!nb) {
			s->nomem = true;
			return;
		}
		s->b = nb;
		s->cap = cap;
	}
	memcpy(s->b + s->n, t, n);
	s->n += n;
	s->b[s->n] = 0;
}

void sb_printf(struct sbuf *s, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_put(s, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void sb_reset(struct sbuf *s)
{
	s->n = 0;
	if (s->b)
		s->b[0] = 0;
}

/* Quoted, at most show bytes of n. */
static void quoted(struct sbuf *s, const unsigned char *p, size_t n, size_t show)
{
	sb_put(s, "\"", 1);
	for (size_t i = 0; i < show; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\')
			sb_printf(s, "\\%c", c);
		else if (c == '\n')
			sb_put(s, "\\n", 2);
		else if (c == 0)
			sb_put(s, "\\0", 2);
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(s, "\\x%02x", c);
		else
			sb_put(s, (const char *)&c, 1);
	}
	sb_put(s, "\"", 1);
	if (show < n)
		sb_printf(s, "...(%zu bytes)", n);
}

void sb_bytes(struct sbuf *s, const unsigned char *p, size_t n)
{
	quoted(s, p, n, n > 48 ? 32 : n);
}

void sb_bytes_all(struct sbuf *s, const unsigned char *p, size_t n)
{
	quoted(s, p, n, n);
}

void sb_hex(struct sbuf *s, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	sb_put(s, "hex:", 4);
	for (size_t i = 0; i < n; i++) {
		char b[2] = { hex[p[i] >> 4], hex[p[i] & 15] };

		sb_put(s, b, 2);
	}
}
