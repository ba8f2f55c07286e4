/* SPDX-License-Identifier: MIT */
/*
 * The back-end factory (libmmubackend): opening a machine by back-end name,
 * so that tools take `--backend`.  The golden model and lockstep's
 * comparator are libraries of their own (sw/golden, sw/lockstep); this one
 * only names and assembles them, and knows which DUTs the program was
 * linked with.
 *
 *   "golden"         the golden model alone (always available);
 *   "rtl"            the Verilated RTL alone: available only in a program
 *                    linked with it that called rtl_backend_register()
 *                    (sim/rtl_backend.h) -- the tools and benchmarks of
 *                    build/rel;
 *   "lockstep"       the golden model as reference and the registered DUT
 *                    (the RTL), every call compared (sw/lockstep/lockstep.h).
 *                    Without a registered DUT it is an error that says so:
 *                    there is no silent fallback to a second golden model;
 *   "lockstep-self"  the golden model against a second, independent golden
 *                    model: the checker's own self-test, asked for by name
 *                    (unit tests that link no RTL use it).
 * Any other DUT registered with backend_register_dut() is available under
 * its own name (the SystemC platform's "systemc", "systemc-rtl" and
 * "systemc-golden": sim/systemc/sc_backend.h; "board": sw/board/), and the
 * most recently registered one is lockstep's DUT; "lockstep:NAME" is
 * lockstep with DUT NAME.
 */
#ifndef MMU_BACKEND_H
#define MMU_BACKEND_H

#include "machine/machine.h"

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
	bool inject_no_wp;         /* checker self-test, lockstep only: a rule
				    * broken in the DUT -- it ignores CR0.WP
				    * (supervisor writes to read-only pages
				    * succeed) */
	bool inject_no_invlpg;     /* the same: the DUT ignores INVLPG (its
				    * TLB and PSC keep the page's stale
				    * entries) */
	struct cover_set *cover;   /* functional coverage (sw/cover) sampled
				    * on the machine opened (NULL: none) */
};

/* How a DUT is made (the RTL's adapter is sim/rtl_backend.c). */
typedef int (*backend_factory_fn)(const struct mmu_config *cfg,
				  uint64_t mem_bytes,
				  const struct backend_opts *o,
				  struct machine **out, char *err,
				  size_t errlen);

struct lockstep_mismatch;
struct cover_set;

/* A DUT back end: its name for --backend, its factory, and an optional hook
 * called with the DUT machine at the first lockstep mismatch (the RTL dumps
 * its waveform window). */
struct backend_dut {
	const char *name;
	backend_factory_fn create;
	void (*on_mismatch)(void *dut, struct lockstep_mismatch *mm);
};

/*
 * Make a DUT available: it becomes "--backend NAME" and lockstep's DUT.
 * Registering a name twice is harmless.  Returns 0, or MMU_EINVAL for a
 * missing name or factory, a reserved name ("golden", "lockstep",
 * "lockstep-self") or a full table.
 */
int backend_register_dut(const struct backend_dut *d);

/*
 * Open back end `backend` for cfg with mem_bytes of memory (0: the
 * configuration's).  o may be NULL (defaults).  Returns 0 and *out, or a
 * negative MMU_E* code with a message in err: MMU_EINVAL for an unknown
 * name, bad options, or a back end this program was not linked with (the
 * message names what is missing).
 */
int machine_open(const char *backend, const struct mmu_config *cfg,
		 uint64_t mem_bytes, const struct backend_opts *o,
		 struct machine **out, char *err, size_t errlen);

/* 0 when `backend` names a back end this program has, else MMU_EINVAL with
 * the reason in err (for checking a command line before running). */
int backend_available(const char *backend, char *err, size_t errlen);

/* The DUT "lockstep" compares with the golden model ("rtl"), or NULL when
 * none is registered (then "lockstep" is refused). */
const char *backend_lockstep_dut(void);

/* --inject-rule NAME (no-wp, no-invlpg): the broken rule set in o.
 * Returns 0, or MMU_EINVAL for an unknown name. */
int backend_inject_rule(const char *name, struct backend_opts *o);
#define BACKEND_INJECT_RULES "no-wp|no-invlpg"

/* Whether o asks for a checker self-test (--inject, --inject-rule). */
bool backend_injects(const struct backend_opts *o);

/* " --inject N --inject-rule no-wp ...": the options that ask for o's
 * injections, for re-run commands ("" when none).  Returns buf. */
const char *backend_inject_args(const struct backend_opts *o, char *buf,
				size_t len);

/* What runs, for tables: "golden", "rtl", or "golden=rtl" for lockstep
 * (reference=DUT; "golden=golden" for lockstep-self, "golden=?" for
 * lockstep without a DUT).  Writes into buf and returns it. */
const char *backend_describe(const char *backend, char *buf, size_t len);

#endif
