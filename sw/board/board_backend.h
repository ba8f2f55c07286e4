/* SPDX-License-Identifier: MIT */
/*
 * The board as a named back end of machine_open() (sw/backend/backend.h):
 * "--backend board" (the board alone) and "--backend lockstep:board" (the
 * golden model and the board compared on every call).  The serial line
 * comes from the environment, read when a machine is opened:
 *   MMU_BOARD_DEVICE   serial device (default /dev/ttyUSB1: the
 *                      iCEBreaker's FTDI UART channel), or the
 *                      pseudo-terminal of the simulated board (board_sim)
 *   MMU_BOARD_BAUD     baud rate (default 115200)
 *   MMU_BOARD_TIMEOUT  milliseconds to wait for an answer (default 10000)
 * Programs call board_backend_register() once, before
 * rtl_backend_register() (so that plain "lockstep" keeps the RTL as DUT).
 */
#ifndef MMU_BOARD_BACKEND_H
#define MMU_BOARD_BACKEND_H

/* Returns 0, or MMU_EINVAL when the DUT table is full. */
int board_backend_register(void);

#endif
