/* SPDX-License-Identifier: MIT */
/*
 * The Verilated RTL (rtl/mmu_top.sv) as a back end of the machine interface
 * (sw/machine/machine.h), with the AXI4 DRAM model of sim/axi_dram.c.
 *
 *   access     drives the request port, collects the walker's A/D trace
 *              pulses, waits for the response; outcome.cycles = cycles from
 *              the acceptance edge to the response (a hit: 1).  The cycle of
 *              the response is left open, so the next access is accepted in
 *              it: back-to-back hits run at one per cycle.
 *   ctl        the control port (INVPCID type > 3 or PCID > 4095: #GP here);
 *   phys_read / phys_write
 *              the req_phys_i path through the L1, in naturally aligned
 *              pieces of up to 8 bytes, lines in ascending order;
 *   mem_peek   the C DRAM directly;
 *   regs, counters
 *              the output ports (after completing the open cycle); the glue
 *              adds phys_lines and cycles.
 * A failed RTL assertion ($error) or AXI protocol violation makes every
 * later call fail with MMU_EBACKEND and the message in machine->err.
 */
#ifndef SIM_RTL_MACHINE_H
#define SIM_RTL_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/machine.h"

struct rtl_opts {
	unsigned rd_latency, wr_latency; /* DRAM cycles before R / B (0: next cycle) */
	unsigned backpressure_pct;       /* random stalls on every AXI channel, 0..100 */
	uint64_t seed;                   /* of the back-pressure pattern */
	const char *trace_path;          /* FST, NULL = off */
	unsigned trace_window;           /* cycles per rolling segment, 0 = whole run */
};

/*
 * Create an RTL machine for cfg (which must be one of the configurations
 * the RTL was built for, unchanged: a --set override is refused with a
 * message naming the parameter) with mem_bytes of DRAM (0: cfg->mem_bytes).
 * opts may be NULL (latency 0, no back-pressure, no trace).  Returns 0 and
 * *out, or a negative MMU_E* code with a message in err.
 */
int rtl_create(const struct mmu_config *cfg, uint64_t mem_bytes,
	       const struct rtl_opts *opts, struct machine **out, char *err,
	       size_t errlen);

/*
 * The same on a model the caller made: v's functions on handle h (v->create
 * is not called; v->destroy(h) is, with the machine), with the AXI slave
 * outside the glue when ext is given (the SystemC bridge,
 * sim/systemc/axi_bridge.h): no DRAM model, the AXI inputs left to that
 * slave, mem_peek through ext->peek.
 */
struct vshim_ops;
struct physmem_port;
int rtl_create_on(const struct mmu_config *cfg, uint64_t mem_bytes,
		  const struct rtl_opts *opts, const struct vshim_ops *v,
		  void *h, const struct physmem_port *ext,
		  struct machine **out, char *err, size_t errlen);

/* 0 when model v was built for cfg as it is; else MMU_EINVAL naming the
 * parameter that differs. */
int rtl_check_config(const struct vshim_ops *v, const struct mmu_config *cfg,
		     char *err, size_t errlen);

/*
 * Waveforms.  With opts.trace_path and trace_window = 0 the whole run is
 * written to trace_path.  With trace_window = N the trace rolls over two
 * segment files, <stem>.seg0.fst and <stem>.seg1.fst (stem = trace_path
 * without ".fst"), each of N cycles, so at most 2N cycles are on disk.
 * rtl_dump_window(m, path) saves "the window before now": the segment in
 * progress is closed and renamed to path (up to N cycles ending now) and the
 * previous complete segment, if any, to <path stem>.prev.fst (the N cycles
 * before it); tracing then continues in fresh segments.  When the machine
 * is destroyed, the last window goes to trace_path (and .prev.fst) unless
 * a dump already went there, and the segments are removed.  With trace_window
 * = 0 it closes the whole-run trace and renames it to path (tracing stops).
 * Returns 0, MMU_EINVAL when not tracing, or MMU_EBACKEND.
 */
int rtl_dump_window(struct machine *m, const char *path);

/* True when m is an RTL machine. */
bool rtl_is_rtl(const struct machine *m);

/* Rising clock edges since reset. */
uint64_t rtl_cycles(struct machine *m);

/* The time stamp in the waveform of the last rising clock edge (the one
 * that ended the last call): two stamps per cycle from the model's
 * creation, reset included, the edge at the odd one. */
uint64_t rtl_wave_time(struct machine *m);

/* Run n idle cycles (no request, no control operation). */
int rtl_idle(struct machine *m, unsigned n);

/*
 * The n accesses req[0..n-1] pipelined: each is offered from the cycle its
 * predecessor is accepted in, so they overlap as far as the hardware lets
 * them (with the registered hit stage, cfg hit_stage = 1, a hit is answered
 * two cycles after its acceptance while the next one is in flight behind
 * it); the outcomes out[i] are those machine_access would give (A/D pulses
 * go to the oldest access in flight, which is the one walking), cycles per
 * access from its acceptance.  *cycles (may be NULL): from the first
 * acceptance to the last response, whose cycle stays open.  Returns 0,
 * MMU_EINVAL (not an RTL machine, or a request machine_access refuses) or
 * MMU_EBACKEND.
 */
int rtl_access_stream(struct machine *m, const struct mmu_req *req, size_t n,
		      struct mmu_outcome *out, uint64_t *cycles);

/*
 * Cycle traces for teaching: while a log is set, every rising edge appends
 * the FSM states after it (mmu_top's dbg_fsm_o: [3:0] the sequencer,
 * [7:4] the walker, [11:8] the L1's fill/maintenance FSM); n counts every
 * edge, fsm[] keeps the first RTL_FSM_LOG_MAX.  NULL stops logging.
 */
#define RTL_FSM_LOG_MAX 4096
struct rtl_fsm_log {
	unsigned n;
	uint16_t fsm[RTL_FSM_LOG_MAX];
};
void rtl_set_fsm_log(struct machine *m, struct rtl_fsm_log *log);
/* The three state names of one record (the enums of mmu_top.sv, ptw.sv and
 * l1_cache.sv, in declaration order). */
void rtl_fsm_names(uint16_t fsm, const char **top, const char **ptw,
		   const char **l1);

/* The configurations an RTL model was built for, "x86 csapp fpga". */
const char *rtl_models(void);

#endif
