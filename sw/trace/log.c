/* SPDX-License-Identifier: MIT */
/* A trace replay's log (trace.h): what was replayed, the figures, the
 * result and, on failure, the report. */
#include "trace_int.h"

#include <inttypes.h>
#include <stdio.h>

int trace_log_write(const char *path, const char *name, const char *file,
		    const struct trace *t, const struct trace_stats *st,
		    const char *backend, uint64_t frames, const char *report)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "trace %s (%s, %s): %" PRIu64 " records, %zu pieces, "
		"%" PRIu64 " split%s\n", name, file,
		trace_format_str(t->format), t->records, t->n, t->split_records,
		t->truncated ? ", truncated at --records" : "");
	fprintf(f, "back end %s, %" PRIu64 " user frames, %" PRIu64
		" regions, %" PRIu64 " pages mapped, %" PRIu64 " touched, %"
		PRIu64 " page-table pages\n", backend, frames, st->regions,
		st->mapped_pages, st->touched_pages, st->table_frames);
	fprintf(f, "replay: %" PRIu64 " loads, %" PRIu64 " stores, %" PRIu64
		" fetches, %" PRIu64 " flushes, %" PRIu64 " unmappable, %"
		PRIu64 " data checks, %" PRIu64 " child words checked, %"
		PRIu64 " lockstep checks, %.3f s\n", st->loads, st->stores,
		st->fetches, st->flushes, st->unmappable, st->data_checked,
		st->cow_checked, st->checks, st->secs);
	fprintf(f, "counters:");
#define P(name, doc) fprintf(f, " %s=%" PRIu64, #name, st->c.name);
	MMU_COUNTERS(P)
#undef P
	fprintf(f, "\nos: minor=%" PRIu64 " major=%" PRIu64 " zero_fills=%"
		PRIu64 " zero_page_maps=%" PRIu64 " cow_copies=%" PRIu64
		" cow_reuses=%" PRIu64 " swap_outs=%" PRIu64 " swap_ins=%"
		PRIu64 " swap_cache_hits=%" PRIu64 " second_chances=%" PRIu64
		" invlpg=%" PRIu64 " forks=%" PRIu64 "\n", st->os.minor_faults,
		st->os.major_faults, st->os.zero_fills, st->os.zero_page_maps,
		st->os.cow_copies, st->os.cow_reuses, st->os.swap_outs,
		st->os.swap_ins, st->os.swap_cache_hits, st->os.second_chances,
		st->os.invlpg, st->os.forks);
	fprintf(f, "result: %s\n%s", st->ok ? "PASS" : "FAIL",
		st->ok ? "" : report ? report : st->fail);
	return fclose(f);
}
