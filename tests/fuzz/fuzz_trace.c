/* SPDX-License-Identifier: MIT */
/*
 * The trace parser on any bytes (lackey, din, or detected), then what the
 * replay does with what it accepts: the layout, the four replacement
 * policies (Belady's OPT never faults more than FIFO, LRU or CLOCK, and
 * no policy faults less than the distinct pages), and for short traces a
 * whole replay through the OS on the golden model, whose checks (data
 * against a shadow, signals against the layout, os_check) must all hold.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "../../sw/trace/trace.h"

#include <string.h>

static struct mmu_config cfg;

static void policies(const struct trace *t, const struct trace_layout *lay)
{
	static const enum trace_policy pol[] = {
		TRACE_POL_FIFO, TRACE_POL_LRU, TRACE_POL_CLOCK, TRACE_POL_OPT };
	struct trace_refs r;
	uint64_t f[4];

	if (trace_refs_build(t, lay, (unsigned)cfg.page_shift, &r))
		return;
	for (size_t frames = 1; frames <= 5; frames += 2) {
		for (int k = 0; k < 4; k++)
			FUZZ_ASSERT(!trace_policy_faults(&r, pol[k], frames,
							 &f[k]), "%s",
				    trace_policy_str(pol[k]));
		for (int k = 0; k < 4; k++) {
			FUZZ_ASSERT(f[3] <= f[k], "OPT %llu > %s %llu",
				    (unsigned long long)f[3],
				    trace_policy_str(pol[k]),
				    (unsigned long long)f[k]);
			FUZZ_ASSERT(f[k] >= r.distinct, "%s: %llu faults, %zu pages",
				    trace_policy_str(pol[k]),
				    (unsigned long long)f[k], r.distinct);
		}
	}
	trace_refs_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "f", "f.lackey", "f.din" };
	struct trace_parse_opts po = { 0 };
	struct trace_layout lay;
	struct trace_diags d;
	struct trace *t;
	char err[256];

	if (!cfg.name[0] && mmu_config_load("x86", &cfg, err, sizeof(err)))
		abort();
	if (size < 1)
		return 0;
	po.din_size = 1u << (data[0] & 3);
	if (trace_parse((const char *)data + 1, size - 1, names[data[0] % 3],
			&po, &t, &d)) {
		FUZZ_ASSERT(d.count > 0 && d.msg[0][0], "an error without a message");
		return 0;
	}
	if (!trace_layout(t, &cfg, NULL, &lay, err, sizeof(err))) {
		policies(t, &lay);
		trace_layout_free(&lay);
	}
	if (t->n && t->n <= 4096) {
		struct trace_run_opts o = { .cfg = &cfg, .user_frames = 8 };
		struct trace_stats st;

		o.replay.fork_at = t->n / 2;
		o.replay.code_file = data[0] & 4;
		if (!trace_run(t, &o, &st, err, sizeof(err)))
			FUZZ_ASSERT(st.ok, "replay: %s", st.fail);
	}
	trace_free(t);
	return 0;
}
