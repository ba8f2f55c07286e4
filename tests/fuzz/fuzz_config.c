/* SPDX-License-Identifier: MIT */
/*
 * Configuration text on any bytes.  Every configuration the parser
 * accepts must round-trip through mmu_config_format, and must either work
 * or be refused with a message by the component that cannot handle it:
 * the golden model is created on it (memory capped at 16 MiB: the
 * configuration's own size is a separate, tested allocation), then the OS,
 * and when the OS accepts it a process maps, stores, forks, loads back
 * what it stored, and exits, with os_check clean after each step.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "../../sw/config/config.h"
#include "../../sw/backend/backend.h"
#include "../../sw/os/os.h"

#include <string.h>
#include <errno.h>
#include <sys/mman.h>

#define MEM_CAP (16ull << 20)

static void check(struct os *os, const char *when)
{
	char err[512];

	FUZZ_ASSERT(!os_check(os, err, sizeof(err)), "%s: %s", when, err);
}

/* A process stores a pattern in a few pages, forks, both read it back. */
static void exercise(struct os *os, uint64_t psz)
{
	int pid, child, sig;
	uint64_t v;
	int64_t a;

	FUZZ_ASSERT(!os_spawn(os, &pid) && !os_switch(os, pid), "spawn");
	a = os_mmap(os, 0, 4 * psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0) {
		FUZZ_ASSERT(a == -ENOMEM, "mmap: %lld", (long long)a);
	} else {
		for (uint64_t i = 0; i < 4; i++) {
			int rc = os_access(os, MMU_STORE, (uint64_t)a + i * psz,
					   8, i + 1, NULL, &sig);

			FUZZ_ASSERT((!rc && !sig) || rc == -ENOMEM, "store %d %d",
				    rc, sig);
		}
		check(os, "after the stores");
		if (!os_fork(os, &child)) {
			FUZZ_ASSERT(!os_switch(os, child), "switch");
			for (uint64_t i = 0; i < 4; i++) {
				int rc = os_access(os, MMU_LOAD,
						   (uint64_t)a + i * psz, 8, 0,
						   &v, &sig);

				FUZZ_ASSERT(rc == -ENOMEM || (!rc && !sig &&
					    v == i + 1), "child load %d %d %llu",
					    rc, sig, (unsigned long long)v);
			}
			check(os, "in the child");
			FUZZ_ASSERT(!os_exit(os, child), "child exit");
			FUZZ_ASSERT(!os_switch(os, pid), "switch back");
		}
	}
	FUZZ_ASSERT(!os_exit(os, pid), "exit");
	check(os, "after exit");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmu_config c, back;
	struct machine *m = NULL;
	struct os *os = NULL;
	char err[MMU_CFG_ERR_MAX], text[4096];
	char *in = malloc(size + 1);
	uint64_t mem;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	if (mmu_config_parse(in, "fuzz.cfg", &c, err, sizeof(err))) {
		FUZZ_ASSERT(err[0], "refused without a message");
		free(in);
		return 0;
	}
	free(in);
	FUZZ_ASSERT(mmu_config_format(&c, text, sizeof(text)) > 0, "format");
	FUZZ_ASSERT(!mmu_config_parse(text, "formatted", &back, err,
				      sizeof(err)), "round trip: %s", err);
	FUZZ_ASSERT(!memcmp(&c, &back, sizeof(c)), "round trip differs");
	mem = c.mem_bytes < MEM_CAP ? c.mem_bytes : MEM_CAP;
	if (machine_open("golden", &c, mem, NULL, &m, err, sizeof(err))) {
		FUZZ_ASSERT(err[0], "golden refused without a message");
		return 0;
	}
	err[0] = 0;
	if (os_create(m, NULL, &os, err, sizeof(err))) {
		FUZZ_ASSERT(err[0], "the OS refused without a message");
	} else {
		check(os, "at boot");
		exercise(os, 1ull << c.page_shift);
		os_destroy(os);
	}
	machine_destroy(m);
	return 0;
}
