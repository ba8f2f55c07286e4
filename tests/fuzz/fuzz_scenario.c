/* SPDX-License-Identifier: MIT */
/*
 * The scenario language on any bytes: the parser must accept or refuse
 * with a located message; an accepted program is run on the golden model
 * (quiet, output discarded) in a scratch files folder, with 4 MiB of
 * memory and 1 MiB of swap.  The runner may report failed expectations but
 * must not crash, leak or trip the sanitizers.
 *
 * Until the runner confines host paths and budgets steps (issue 16,
 * branch `scenario`), programs that could reach outside the scratch folder
 * (a '/' anywhere: absolute or ../ paths) or run long (more than
 * MAX_WORK statements counting loop iterations, file sizes above 1 MiB
 * or not literal) are parsed but not run.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "../../sw/scenario/scn_int.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORK 20000
#define MAX_FILE (1u << 20)

static char dir[64];
static FILE *sink;

static uint64_t literal(const struct scn_expr *e, uint64_t dflt)
{
	return e && e->op == E_NUM ? e->num : dflt;
}

/* Statements a block runs, loop iterations counted (saturating). */
static uint64_t work(const struct scn_block *b, unsigned depth)
{
	uint64_t w = 0;

	for (unsigned i = 0; i < b->n; i++) {
		const struct scn_stmt *s = b->v[i];

		w++;
		if (s->cmd == C_REPEAT) {
			uint64_t n = literal(s->args[0].e, MAX_WORK + 1);
			uint64_t body = depth > 8 ? MAX_WORK + 1
						  : work(&s->body, depth + 1);

			if (n > MAX_WORK || body > MAX_WORK)
				return MAX_WORK + 1;
			w += n * body;
		}
		if (s->cmd == C_FILE_CREATE || s->cmd == C_TRUNCATE ||
		    s->cmd == C_WRITE || s->cmd == C_READ)
			for (unsigned k = 0; k < s->nargs; k++)
				if (s->args[k].e &&
				    literal(s->args[k].e, MAX_FILE + 1) > MAX_FILE)
					return MAX_WORK + 1;
		if (w > MAX_WORK)
			return w;
	}
	return w;
}

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
	struct scn_program *p;
	struct scn_diags d;
	struct scn_run_opts o = { .backend = "golden", .mem_bytes = 4ull << 20,
				  .swap_bytes = 1ull << 20, .swap_given = true,
				  .quiet = true };
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
	if (scn_parse((const char *)data, size, "fuzz.scn", &p, &d)) {
		FUZZ_ASSERT(d.count > 0 && strstr(d.msg[0], "fuzz.scn"),
			    "refused without a located message");
		return 0;
	}
	if (!memchr(data, '/', size) && work(&p->top, 0) <= MAX_WORK) {
		o.files_dir = dir;
		o.out = sink;
		if (scn_run(p, &o, &r, err, sizeof(err)))
			FUZZ_ASSERT(err[0], "could not run, no message");
		empty_dir();
	}
	scn_program_free(p);
	return 0;
}
