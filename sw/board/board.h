/* SPDX-License-Identifier: MIT */
/*
 * The `board` back end of the machine interface: the MMU on an FPGA board
 * (rtl/mmu_board_top.sv), or its Verilated model behind a pseudo-terminal
 * (sim/board_sim.c), spoken to over a serial line with the framed protocol
 * of board_proto.h (docs/fpga.md).
 *
 *   access     one ACCESS frame; the answer carries the outcome, CR2 on a
 *              #PF and the walker's A/D updates;
 *   ctl        one CTL frame (INVPCID with a type > 3 or a PCID > 4095 is
 *              #GP here, as in the RTL glue); the answer carries the
 *              registers after it;
 *   phys_read / phys_write
 *              the MMU's physical path through the L1, in naturally aligned
 *              pieces of up to 8 bytes (PHYS_READ / PHYS_WRITE frames of up
 *              to 31 words; runs of equal words as one PHYS_FILL);
 *   mem_peek   PEEK frames (the memory, bypassing the L1);
 *   regs       the registers the last ACCESS / CTL answer reported (no
 *              frame: the hardware's registers change only through them);
 *   counters   one COUNTERS frame, widened to 64 bits across wrap-arounds
 *              of the board's CNT_W-bit counters; phys_lines is counted
 *              here, cycles is 0 (the board reports no cycle count).
 * Opening checks the board's INFO against the configuration (physical
 * address width, levels, TLB and L1 geometry, memory size) and sends
 * RESET (MMU reset, memory zeroed).  A transport or protocol error makes
 * this and every later call fail with MMU_EBACKEND and the message in
 * machine->err.
 */
#ifndef MMU_BOARD_H
#define MMU_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "machine/machine.h"

#define BOARD_DEFAULT_DEVICE "/dev/ttyUSB1"
#define BOARD_DEFAULT_BAUD 115200u
#define BOARD_DEFAULT_TIMEOUT_MS 10000u

struct board_opts {
	const char *device;   /* serial device (NULL: BOARD_DEFAULT_DEVICE) */
	unsigned baud;        /* 0: BOARD_DEFAULT_BAUD */
	unsigned timeout_ms;  /* per answer (0: BOARD_DEFAULT_TIMEOUT_MS) */
};

/*
 * Open the board at o->device for cfg with mem_bytes of memory (0: the
 * configuration's; at most the board's).  Returns 0 and *out, or a
 * negative MMU_E* code with a message in err.
 */
int board_create(const struct mmu_config *cfg, uint64_t mem_bytes,
		 const struct board_opts *o, struct machine **out, char *err,
		 size_t errlen);

/* The termios speed constant for a baud rate, or 0 when it has none. */
unsigned board_speed(unsigned baud);

/* Frames exchanged so far (both directions), for throughput figures. */
uint64_t board_frames(const struct machine *m);
/* Bytes exchanged so far (both directions). */
uint64_t board_bytes(const struct machine *m);

#endif
