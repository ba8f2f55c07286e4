/* SPDX-License-Identifier: MIT */
/*
 * Opening a machine by back-end name, so that tools take `--backend`:
 *
 *   "golden"    the golden model alone;
 *   "lockstep"  the golden model as reference and the preferred DUT (the
 *               first entry of the DUT table in backend.c: the RTL when it
 *               is built, else a second, independent golden model), every
 *               call compared (lockstep.h);
 *   "rtl"       the Verilated RTL alone (an error until it is built).
 */
#ifndef MMU_BACKEND_H
#define MMU_BACKEND_H

#include "../machine/machine.h"

/* Options of the simulated hardware around the MMU; the golden model
 * ignores them.  Zero-initialised options are the defaults. */
struct backend_opts {
	unsigned axi_latency;      /* cycles the DRAM model takes to answer a
				    * burst (0: the back end's default) */
	unsigned backpressure_pct; /* 0..100: chance that the DRAM model holds
				    * back a ready/valid in any one cycle */
	uint64_t seed;             /* seed of the back-pressure pattern */
	const char *trace_path;    /* waveform file to write (NULL: none); on a
				    * lockstep mismatch the window before it */
	uint64_t inject_access;    /* checker self-test, lockstep only: the
				    * DUT's access number N (1-based) answers
				    * with rdata bit 0 flipped (0: never) */
};

/* How a DUT is made (golden's adapter in backend.c; the RTL's in
 * sim/rtl_backend.c). */
typedef int (*backend_factory_fn)(const struct mmu_config *cfg,
				  uint64_t mem_bytes,
				  const struct backend_opts *o,
				  struct machine **out, char *err,
				  size_t errlen);

struct lockstep_mismatch;

/* A DUT back end: its name for --backend, its factory, and an optional hook
 * called with the DUT machine at the first lockstep mismatch (the RTL dumps
 * its waveform window). */
struct backend_dut {
	const char *name;
	backend_factory_fn create;
	void (*on_mismatch)(void *dut, const struct lockstep_mismatch *mm);
};

/*
 * Make a DUT available: it becomes "--backend NAME" and lockstep's preferred
 * DUT.  Registering a name twice is harmless.  Returns 0 or MMU_EINVAL.
 */
int backend_register_dut(const struct backend_dut *d);

/*
 * Open back end `backend` for cfg with mem_bytes of memory (0: the
 * configuration's).  o may be NULL (defaults).  Returns 0 and *out, or a
 * negative MMU_E* code with a message in err: MMU_EINVAL for an unknown
 * name, bad options, or a back end that is not built.
 */
int machine_open(const char *backend, const struct mmu_config *cfg,
		 uint64_t mem_bytes, const struct backend_opts *o,
		 struct machine **out, char *err, size_t errlen);

/* 0 when `backend` names a back end this build has, else MMU_EINVAL with
 * the reason in err (for checking a command line before running). */
int backend_available(const char *backend, char *err, size_t errlen);

/* The DUT lockstep uses in this build ("golden" or "rtl"). */
const char *backend_lockstep_dut(void);

/* What runs, for reports: "golden", "rtl", or "golden=rtl" for lockstep
 * (reference=DUT).  Writes into buf and returns it. */
const char *backend_describe(const char *backend, char *buf, size_t len);

#endif
