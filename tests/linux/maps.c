/* SPDX-License-Identifier: MIT */
/*
 * linux_run's maps (linux_run.h): /proc/PID/maps lines parsed, the region
 * checked free, and at every `maps` statement Linux's lines compared with
 * the scenario's expected block and with the dump mmuos printed.
 */
#include "linux_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/capability.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- maps ------------------------------------------------------------------- */

static bool parse_mapline(const char *l, struct mapline *m)
{
	char dev[32];
	uint64_t inode;
	int pos = 0;
	const char *path, *base;

	memset(m, 0, sizeof(*m));
	if (sscanf(l, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %31s %" SCNu64 "%n",
		   &m->start, &m->end, m->perms, &m->off, dev, &inode, &pos) < 6)
		return false;
	path = l + pos;
	while (*path == ' ')
		path++;
	base = strrchr(path, '/');
	/* "/dev/zero (deleted)": keep the whole of the last component */
	snprintf(m->name, sizeof(m->name), "%s", base ? base + 1 : *path ? path : "-");
	size_t n = strlen(m->name);

	while (n && (m->name[n - 1] == ' ' || m->name[n - 1] == '\n'))
		m->name[--n] = 0;
	if (!n)
		snprintf(m->name, sizeof(m->name), "-");
	return true;
}

static bool in_region(const struct mapline *m)
{
	return m->start >= REGION_LO && m->end <= REGION_HI;
}

/* Does any mapping of this process overlap the region? */
bool region_busy(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char l[1024];
	bool busy = !f;

	while (f && fgets(l, sizeof(l), f)) {
		struct mapline m;

		if (parse_mapline(l, &m) && m.start < REGION_HI && m.end > REGION_LO)
			busy = true;
	}
	if (f)
		fclose(f);
	return busy;
}

/* The kernel's own areas the model does not have. */
static bool special(const struct mapline *m)
{
	return !strcmp(m->name, "[vdso]") || !strcmp(m->name, "[vvar]") ||
	       !strcmp(m->name, "[vsyscall]") || !strcmp(m->name, "[vvar_vclock]");
}

/* This process's lines inside the region; with exe > 0, every line of
 * that process (the image an `execve` runs) but the kernel's own. */
static int own_maps(pid_t exe, struct mapline *v, int max)
{
	char path[64], l[1024];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), exe > 0 ? "/proc/%d/maps" : "/proc/self/maps", (int)exe);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f)) {
		struct mapline m;

		if (parse_mapline(l, &m) && (exe > 0 ? !special(&m) : in_region(&m)) && n < max)
			v[n++] = m;
	}
	fclose(f);
	return n;
}

static void put_mapline(const struct mapline *m)
{
	printf("      %09" PRIx64 "-%09" PRIx64 " %s %08" PRIx64 " %s\n", m->start, m->end,
	       m->perms, m->off, m->name);
}

static bool same_line(const struct mapline *a, const struct mapline *b)
{
	return a->start == b->start && a->end == b->end && !strcmp(a->perms, b->perms) &&
	       a->off == b->off && !strcmp(a->name, b->name);
}

/* The dump mmuos printed for the step with this prefix ("12[3]"). */
static int other_maps(struct ctx *c, const char *prefix, struct mapline *v, int max,
		      bool all, bool *found)
{
	char want[96];
	size_t wl;
	int n = 0;

	*found = false;
	if (!c->other)
		return 0;
	snprintf(want, sizeof(want), "%s: maps", prefix);
	wl = strlen(want);
	while (c->other_pos < c->other_len) {
		char *l = c->other + c->other_pos;
		char *e = memchr(l, '\n', c->other_len - c->other_pos);
		size_t len = e ? (size_t)(e - l) : c->other_len - c->other_pos;

		c->other_pos += len + 1;
		if (len >= wl && !memcmp(l, want, wl) && (len == wl || l[wl] == ' ')) {
			*found = true;
			break;
		}
	}
	if (!*found)
		return 0;
	while (c->other_pos < c->other_len) {
		char *l = c->other + c->other_pos;
		char *e = memchr(l, '\n', c->other_len - c->other_pos);
		size_t len = e ? (size_t)(e - l) : c->other_len - c->other_pos;
		char line[1024];
		struct mapline m;

		if (len < 5 || memcmp(l, "    ", 4) || l[4] == '-' || l[4] == '+' || l[4] == ' ')
			break;
		c->other_pos += len + 1;
		snprintf(line, sizeof(line), "%.*s", (int)(len - 4), l + 4);
		if (parse_mapline(line, &m) && (all || in_region(&m)) && n < max)
			v[n++] = m;
	}
	return n;
}

void do_maps(struct ctx *c, const struct scn_stmt *st)
{
	struct mapline mine[512], theirs[512];
	int n = own_maps(c->exe, mine, 512), m;
	char pre[64];
	bool found;

	prefix(c, st->line, pre, sizeof(pre));
	if (n < 0) {
		verdict(c, st, "maps", false, "cannot read /proc/self/maps");
		return;
	}
	/* the scenario's expected block, against Linux */
	if (st->maps_block) {
		bool ok = n == (int)st->nmaps;

		for (int i = 0; ok && i < n; i++) {
			const struct scn_maps_line *e = &st->maps[i];
			uint64_t s, en;

			if (eval(c, e->start, &s) || eval(c, e->end, &en))
				return;
			ok = mine[i].start == s && mine[i].end == en &&
			     !strcmp(mine[i].perms, e->perms) &&
			     (e->nfields < 1 || mine[i].off == e->off);
		}
		verdict(c, st, "maps block vs Linux", ok,
			"Linux's /proc/self/maps differs from the expected block (%d lines, %u expected)",
			n, st->nmaps);
		if (!ok)
			for (int i = 0; i < n; i++)
				put_mapline(&mine[i]);
	}
	if (!c->other)
		return;
	m = other_maps(c, pre, theirs, 512, c->exe > 0, &found);
	if (!found) {
		verdict(c, st, "maps vs mmuos", false, "no 'maps' step %s in mmuos's output", pre);
		return;
	}
	bool ok = n == m;

	for (int i = 0; ok && i < n; i++)
		ok = same_line(&mine[i], &theirs[i]);
	verdict(c, st, "maps vs mmuos", ok, "Linux and mmuos differ (%d and %d lines)", n, m);
	if (!ok) {
		printf("    Linux:\n");
		for (int i = 0; i < n; i++)
			put_mapline(&mine[i]);
		printf("    mmuos:\n");
		for (int i = 0; i < m; i++)
			put_mapline(&theirs[i]);
	}
}
