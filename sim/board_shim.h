/* SPDX-License-Identifier: MIT */
/*
 * The Verilated board top (rtl/mmu_board_top.sv, configuration `board`,
 * the simulation's baud divider) behind a C interface, for sim/board_sim.c.
 * One call is one clock cycle: the inputs are applied with the clock low,
 * then the rising edge; the outputs are those after the edge.
 */
#ifndef SIM_BOARD_SHIM_H
#define SIM_BOARD_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* LED bits of mmu_board_top's led_o. */
#define BOARD_LED_BEAT 1u
#define BOARD_LED_FRAME 2u  /* a request frame (or byte) is arriving */
#define BOARD_LED_BUSY 4u   /* executing or answering */
#define BOARD_LED_ERR 8u
#define BOARD_LED_FAULT 16u

struct board_pins {
	int rst_n, rx;   /* inputs */
	int tx;          /* outputs */
	unsigned leds;
};

void *board_model_create(void);
void board_model_destroy(void *h);
void board_model_cycle(void *h, struct board_pins *p);
/* $error calls (RTL assertions) so far. */
int board_model_errors(void *h);
/* The UART's clocks per bit the model was built with. */
unsigned board_model_clks_per_bit(void);

#ifdef __cplusplus
}
#endif

#endif
