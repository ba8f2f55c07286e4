/* SPDX-License-Identifier: MIT */
/*
 * The ELF loader on any bytes: the input becomes an executable file in a
 * scratch folder and a process of an OS on the golden model execs it.
 * Whatever execve returns (never an internal error), os_check must hold
 * (a refused exec keeps the old mm; an accepted one a consistent new one),
 * the process must exit, and no frame but the page cache's may be left.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "../../sw/config/config.h"
#include "../../sw/backend/backend.h"
#include "../../sw/os/os.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct mmu_config cfg;
static char dir[64], path[128];

static void check(struct os *os, const char *when)
{
	char err[512];

	FUZZ_ASSERT(!os_check(os, err, sizeof(err)), "%s: %s", when, err);
}

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_opts oo = { 0 };
	struct machine *m;
	struct os *os;
	struct os_stats st;
	char err[512];
	int fd, pid, rc;

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz-elf-XXXXXX",
			 t && *t ? t : "/tmp");
		if (!mkdtemp(dir) || mmu_config_load("x86", &cfg, err, sizeof(err)))
			abort();
		snprintf(path, sizeof(path), "%s/prog", dir);
		atexit(cleanup);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	oo.file_root = dir;
	if (machine_open("golden", &cfg, 8ull << 20, NULL, &m, err, sizeof(err)) ||
	    os_create(m, &oo, &os, err, sizeof(err)))
		abort();
	FUZZ_ASSERT(!os_spawn(os, &pid) && !os_switch(os, pid), "spawn");
	rc = os_execve(os, "prog");
	FUZZ_ASSERT(rc <= 0 && rc != -EIO && rc != -EUCLEAN, "execve %d: %s", rc,
		    os_strerror(os));
	check(os, rc ? "after a refused execve" : "after execve");
	FUZZ_ASSERT(!os_exit(os, pid), "exit");
	check(os, "after exit");
	os_stats(os, &st);
	FUZZ_ASSERT(st.frames_in_use == st.frames_pagecache, "%llu frames left",
		    (unsigned long long)(st.frames_in_use - st.frames_pagecache));
	os_destroy(os);
	machine_destroy(m);
	return 0;
}
