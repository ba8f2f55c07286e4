/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "osutil.h"
#include "../../sw/backend/backend.h"

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

unsigned tos_checks;

void tos_boot(struct tos *t, const char *backend, const char *cfg,
	      uint64_t mem, const struct os_opts *opts)
{
	tos_boot_set(t, backend, cfg, NULL, mem, opts);
}

void tos_boot_set(struct tos *t, const char *backend, const char *cfg,
		  const char *const *set, uint64_t mem,
		  const struct os_opts *opts)
{
	struct mmu_config c;
	struct os_opts o = { 0 };
	char err[256];

	memset(t, 0, sizeof(*t));
	if (opts)
		o = *opts;
	snprintf(t->dir, sizeof(t->dir), "/tmp/ostest-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	o.file_root = t->dir;
	assert_int_equal(mmu_config_load(cfg, &c, err, sizeof(err)), 0);
	for (; set && *set; set++) {
		char key[64];
		const char *eq = strchr(*set, '=');

		assert_non_null(eq);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - *set), *set);
		if (mmu_config_set(&c, key, eq + 1, err, sizeof(err)))
			fail_msg("%s: %s", *set, err);
	}
	if (machine_open(backend, &c, mem ? mem : 4ull << 20, NULL, &t->m,
			 err, sizeof(err)))
		fail_msg("machine_open(%s): %s", backend, err);
	if (os_create(t->m, &o, &t->os, err, sizeof(err)))
		fail_msg("os_create: %s", err);
}

void tos_check(struct tos *t)
{
	char err[512];

	if (os_check(t->os, err, sizeof(err)))
		fail_msg("os_check: %s", err);
	tos_checks++;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

void tos_halt(struct tos *t)
{
	tos_check(t);
	os_destroy(t->os);
	machine_destroy(t->m);
	rm_dir(t->dir);
}

int tos_proc(struct tos *t)
{
	int pid;

	assert_int_equal(os_spawn(t->os, &pid), 0);
	assert_int_equal(os_switch(t->os, pid), 0);
	return pid;
}

uint64_t tos_ld(struct tos *t, uint64_t va, unsigned size)
{
	uint64_t v = 0;
	int sig = -1, rc = os_access(t->os, MMU_LOAD, va, size, 0, &v, &sig);

	if (rc || sig)
		fail_msg("load %#llx: rc %d sig %d (%s)",
			 (unsigned long long)va, rc, sig, os_strerror(t->os));
	return v;
}

void tos_st(struct tos *t, uint64_t va, unsigned size, uint64_t v)
{
	int sig = -1, rc = os_access(t->os, MMU_STORE, va, size, v, NULL, &sig);

	if (rc || sig)
		fail_msg("store %#llx: rc %d sig %d (%s)",
			 (unsigned long long)va, rc, sig, os_strerror(t->os));
}

int tos_sig(struct tos *t, enum mmu_op op, uint64_t va)
{
	uint64_t v;
	int sig = -1, rc = os_access(t->os, op, va, 1, 0x5a, &v, &sig);

	if (rc)
		fail_msg("access %#llx: rc %d (%s)", (unsigned long long)va, rc,
			 os_strerror(t->os));
	return sig;
}

uint8_t tos_pat(size_t i, uint8_t seed)
{
	return (uint8_t)(i * 7 + (i >> 8) * 13 + seed);
}

void tos_file(struct tos *t, const char *name, size_t len, uint8_t seed)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", t->dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < len; i++)
		fputc(tos_pat(i, seed), f);
	fclose(f);
}

size_t tos_read_host(struct tos *t, const char *name, void *buf, size_t len)
{
	char p[256];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", t->dir, name);
	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, len);
	close(fd);
	assert_true(n >= 0);
	return (size_t)n;
}
