/* SPDX-License-Identifier: MIT */
/*
 * The scenario language on any bytes: the parser must accept or refuse
 * with a located message; an accepted program is run on the golden model
 * (quiet, output discarded) in a scratch files folder, with 4 MiB of
 * memory and 1 MiB of swap, under the runner's own limits set small
 * (20,000 steps, 5 s, 1 MiB files, 16 MiB of parsing; host paths confined
 * to the files folder).  The runner may report failed expectations or a
 * limit hit but must not crash, leak or trip the sanitizers.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "../../sw/scenario/scenario.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static FILE *sink;

static void empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
}

static void cleanup(void)
{
	empty_dir();
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct scn_limits lim = {
		.max_parse_bytes = 16ull << 20, .max_steps = 20000,
		.max_ms = 5000, .max_file_bytes = 1ull << 20 };
	struct scn_program *p;
	struct scn_diags d;
	struct scn_run_opts o = { .backend = "golden", .mem_bytes = 4ull << 20,
				  .swap_bytes = 1ull << 20, .swap_given = true,
				  .quiet = true, .lim = &lim };
	struct scn_result r;
	char err[512];

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz-scn-XXXXXX", t && *t ? t : "/tmp");
		sink = fopen("/dev/null", "w");
		if (!mkdtemp(dir) || !sink)
			abort();
		atexit(cleanup);
	}
	if (scn_parse_with((const char *)data, size, "fuzz.scn", &lim, &p, &d)) {
		FUZZ_ASSERT(d.count > 0 && strstr(d.msg[0], "fuzz.scn"),
			    "refused without a located message");
		return 0;
	}
	o.files_dir = dir;
	o.out = sink;
	if (scn_run(p, &o, &r, err, sizeof(err)))
		FUZZ_ASSERT(err[0], "could not run, no message");
	empty_dir();
	scn_program_free(p);
	return 0;
}
