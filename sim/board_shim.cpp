// SPDX-License-Identifier: MIT
// The Verilated board top behind sim/board_shim.h.  BOARD_SHIM_CPB (the
// model's CLKS_PER_BIT) comes from sim/sim.mk.
#include "board_shim.h"

#include <verilated.h>
#include "Vmmu_board_top.h"

namespace {
struct shim {
	VerilatedContext ctx;
	Vmmu_board_top *top;
};
}  // namespace

extern "C" void *board_model_create(void)
{
	shim *s = new shim;

	s->ctx.fatalOnError(false);  // $error is counted, not fatal
	s->top = new Vmmu_board_top(&s->ctx, "board");
	s->top->clk_i = 0;
	s->top->rst_ni = 0;
	s->top->uart_rx_i = 1;
	s->top->eval();
	return s;
}

extern "C" void board_model_destroy(void *h)
{
	shim *s = static_cast<shim *>(h);

	s->top->final();
	delete s->top;
	delete s;
}

extern "C" void board_model_cycle(void *h, struct board_pins *p)
{
	Vmmu_board_top *t = static_cast<shim *>(h)->top;

	t->clk_i = 0;
	t->rst_ni = p->rst_n;
	t->uart_rx_i = p->rx;
	t->eval();
	t->clk_i = 1;
	t->eval();
	p->tx = t->uart_tx_o;
	p->leds = t->led_o;
}

extern "C" int board_model_errors(void *h)
{
	return static_cast<shim *>(h)->ctx.errorCount();
}

extern "C" unsigned board_model_clks_per_bit(void)
{
	return BOARD_SHIM_CPB;
}
