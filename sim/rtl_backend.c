/* SPDX-License-Identifier: MIT */
/*
 * Adapter from the back-end options of machine_open() to the RTL's own
 * (sim/rtl_machine.h), and the lockstep mismatch hook that saves the
 * waveform window before the mismatch and notes its cycle.
 */
#include "rtl_backend.h"
#include "rtl_machine.h"
#include "backend/backend.h"
#include "lockstep/lockstep.h"

#include <stdio.h>
#include <string.h>

/* Cycles per rolling waveform segment when tracing for a mismatch: the
 * dump then holds between one and two windows before it. */
#define RTL_TRACE_WINDOW 20000
#define MAX_TRACED 8

/* Where each traced machine's mismatch window goes: the path asked for.
 * A machine pointer reused after destroy simply gets a new entry. */
static struct {
	const struct machine *m;
	char path[512];
} traced[MAX_TRACED];
static unsigned next_traced;

static void remember_trace(const struct machine *m, const char *path)
{
	unsigned i;

	for (i = 0; i < MAX_TRACED && traced[i].m != m; i++)
		;
	if (i == MAX_TRACED)
		i = next_traced++ % MAX_TRACED;
	traced[i].m = m;
	snprintf(traced[i].path, sizeof(traced[i].path), "%s", path);
}

static const char *trace_of(const struct machine *m)
{
	for (unsigned i = 0; i < MAX_TRACED; i++)
		if (traced[i].m == m)
			return traced[i].path;
	return NULL;
}

static int rtl_open(const struct mmu_config *cfg, uint64_t mem_bytes,
		    const struct backend_opts *o, struct machine **out,
		    char *err, size_t errlen)
{
	struct rtl_opts r = {
		.rd_latency = o->axi_latency,
		.wr_latency = o->axi_latency,
		.backpressure_pct = o->backpressure_pct,
		.seed = o->seed,
		.trace_path = o->trace_path,
		.trace_window = o->trace_path ? RTL_TRACE_WINDOW : 0,
	};

	int rc = rtl_create(cfg, mem_bytes, &r, out, err, errlen);

	if (!rc && o->trace_path)
		remember_trace(*out, o->trace_path);
	return rc;
}

/* At the first mismatch, note the DUT's cycle and keep the window of
 * cycles that led to it at the trace path the caller gave (and its
 * .prev.fst: the window before); the report names both. */
static void rtl_on_mismatch(void *dut, struct lockstep_mismatch *mm)
{
	const char *path = trace_of(dut);

	mm->cycle = rtl_cycles(dut);
	mm->wave_time = rtl_wave_time(dut);
	/* Without a trace there is nothing to keep; a failed dump leaves the
	 * mismatch report, which is what matters, without a wave line. */
	if (path && !rtl_dump_window(dut, path))
		snprintf(mm->wave, sizeof(mm->wave), "%s", path);
}

int rtl_backend_register(void)
{
	static const struct backend_dut rtl = {
		.name = "rtl",
		.create = rtl_open,
		.on_mismatch = rtl_on_mismatch,
	};

	return backend_register_dut(&rtl);
}
