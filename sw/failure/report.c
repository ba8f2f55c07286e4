/* SPDX-License-Identifier: MIT */
/*
 * The one failure report (failure.h): every tool, whatever the workload,
 * says the same things in the same order -- what differed or failed, where
 * (seed or FILE:LINE), the step, the wave file and the cycle of the
 * mismatch, the log and the exact command that re-runs it.
 */
#include "failure.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define APPEND(...)                                                            \
	do {                                                                   \
		if (w >= 0 && (size_t)w < len)                                 \
			w += snprintf(buf + w, len - (size_t)w, __VA_ARGS__);  \
		else                                                           \
			w += snprintf(NULL, 0, __VA_ARGS__);                   \
	} while (0)

int failure_format(const struct failure *f, char *buf, size_t len)
{
	const struct lockstep_mismatch *mm = f->mm;
	int w = 0;

	if (len)
		buf[0] = 0;
	if (mm) {
		w = lockstep_mismatch_format(mm, buf, len);
	} else {
		size_t n = strlen(f->what);

		APPEND("%s%s", f->what, n && f->what[n - 1] == '\n' ? "" : "\n");
	}
	if (f->where[0])
		APPEND("%s: %s\n", f->kind ? f->kind : "workload", f->where);
	if (f->step)
		APPEND("step: %" PRIu64 "\n", f->step);
	if (mm && mm->wave[0])
		APPEND("wave: %s (mismatch at cycle %" PRIu64 ", time %" PRIu64
		       " in the wave)\n", mm->wave, mm->cycle, mm->wave_time);
	else if (f->wave[0] && !access(f->wave, F_OK))
		APPEND("wave: %s (the last cycles of the run%s)\n", f->wave,
		       mm ? "" : "; no mismatch, so no cycle to name");
	if (mm && mm->cycle && !mm->wave[0])
		APPEND("cycle: %" PRIu64 " (the mismatch's; --wave keeps the "
		       "waveform)\n", mm->cycle);
	if (f->log[0])
		APPEND("log: %s\n", f->log);
	if (f->rerun[0])
		APPEND("re-run: %s\n", f->rerun);
	return w;
}

void failure_sig(const struct lockstep_mismatch *mm, const char *kind,
		 const char *check, char *buf, size_t len)
{
	char *hex;

	if (!mm) {
		snprintf(buf, len, "%s %s", kind, check);
		return;
	}
	/* "byte at pa 0x3077": the field without the address, which moves
	 * when calls are taken out */
	snprintf(buf, len, "mismatch %s", mm->field);
	hex = strstr(buf, " 0x");
	if (hex)
		*hex = 0;
}

const char *failure_cmd_add(char *buf, size_t len, const char *arg)
{
	size_t n = strlen(buf);
	bool plain = *arg != 0;

	for (const char *p = arg; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789-_./=:,+@%", *p) != NULL;
	if (n && n + 1 < len)
		buf[n++] = ' ', buf[n] = 0;
	if (plain) {
		snprintf(buf + n, len - n, "%s", arg);
		return buf;
	}
	if (n + 1 < len)
		buf[n++] = '\'', buf[n] = 0;
	for (const char *p = arg; *p && n + 5 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *p;
		}
	}
	if (n + 1 < len)
		buf[n++] = '\'';
	buf[n < len ? n : len - 1] = 0;
	return buf;
}
