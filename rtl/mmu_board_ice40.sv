// SPDX-License-Identifier: MIT
// The board system for an iCE40 board (docs/fpga.md, constraints/): the
// board's 12 MHz oscillator through the PLL (SB_PLL40_PAD on the
// iCEBreaker's UP5K, whose clock pin is the PLL's pad; SB_PLL40_CORE on the
// HX8K breakout), a reset held until the PLL locks and while the button is
// pressed, and mmu_board_top.  The PLL's dividers come from icepll (the
// synthesis flow passes them); simulation and lint see the oscillator
// straight through (no PLL model).  CLK_DIV = 2 runs the system at half the
// PLL clock (a toggle flip-flop onto a global buffer): the PLL's lowest
// output is 16 MHz and the UP5K system does not close timing there, so the
// iCEBreaker build asks 18 MHz and runs at 9 MHz (docs/fpga.md).
module mmu_board_ice40 #(
  parameter int PLL_PAD      = 1,   // 1: SB_PLL40_PAD, 0: SB_PLL40_CORE
  parameter int DIVR         = 0,
  parameter int DIVF         = 47,
  parameter int DIVQ         = 5,
  parameter int FILTER_RANGE = 1,
  parameter int CLK_DIV      = 1,   // system clock = PLL clock / CLK_DIV (1 or 2)
  parameter int CLKS_PER_BIT = 156, // system clock / baud rate
  parameter int MEM_BYTES    = 131072,
  parameter int USE_SPRAM    = 1,
  parameter int CNT_W        = 16
) (
  input  logic       clk_i,      // the board's 12 MHz oscillator
  input  logic       rst_ni,     // button, active low (pulled up)
  input  logic       uart_rx_i,
  output logic       uart_tx_o,
  output logic [4:0] led_o
);
  localparam int PorW = 4;  // cycles of reset after lock: 2^PorW

  logic clk, pll_clk, lock;

`ifdef SYNTHESIS
  if (PLL_PAD != 0) begin : g_pll_pad
    SB_PLL40_PAD #(
      .FEEDBACK_PATH("SIMPLE"),
      .DIVR        (4'(DIVR)),
      .DIVF        (7'(DIVF)),
      .DIVQ        (3'(DIVQ)),
      .FILTER_RANGE(3'(FILTER_RANGE))
    ) u_pll (
      .PACKAGEPIN   (clk_i),
      .PLLOUTCORE   (),
      .PLLOUTGLOBAL (pll_clk),
      .EXTFEEDBACK  (1'b0),
      .DYNAMICDELAY (8'd0),
      .LOCK         (lock),
      .BYPASS       (1'b0),
      .RESETB       (1'b1),
      .LATCHINPUTVALUE(1'b0),
      .SDO          (),
      .SDI          (1'b0),
      .SCLK         (1'b0)
    );
  end else begin : g_pll_core
    SB_PLL40_CORE #(
      .FEEDBACK_PATH("SIMPLE"),
      .DIVR        (4'(DIVR)),
      .DIVF        (7'(DIVF)),
      .DIVQ        (3'(DIVQ)),
      .FILTER_RANGE(3'(FILTER_RANGE))
    ) u_pll (
      .REFERENCECLK (clk_i),
      .PLLOUTCORE   (),
      .PLLOUTGLOBAL (pll_clk),
      .EXTFEEDBACK  (1'b0),
      .DYNAMICDELAY (8'd0),
      .LOCK         (lock),
      .BYPASS       (1'b0),
      .RESETB       (1'b1),
      .LATCHINPUTVALUE(1'b0),
      .SDO          (),
      .SDI          (1'b0),
      .SCLK         (1'b0)
    );
  end
`else
  assign pll_clk = clk_i;
  assign lock    = 1'b1;
  logic unused_pll;
  assign unused_pll = ^{32'(PLL_PAD), 32'(DIVR), 32'(DIVF), 32'(DIVQ), 32'(FILTER_RANGE)};
`endif

  // The system clock: the PLL's, or half of it from a toggle flip-flop on
  // a global buffer (one clock domain: nothing else runs on pll_clk).
  if (CLK_DIV == 2) begin : g_clk_div2
    logic half_q = 1'b0;
    always_ff @(posedge pll_clk) half_q <= !half_q;
`ifdef SYNTHESIS
    SB_GB u_gb (
      .USER_SIGNAL_TO_GLOBAL_BUFFER(half_q),
      .GLOBAL_BUFFER_OUTPUT        (clk)
    );
`else
    assign clk = half_q;
`endif
  end else if (CLK_DIV == 1) begin : g_clk_pll
    assign clk = pll_clk;
  end else begin : g_cfg_clk_div
`ifdef SYNTHESIS
    config_error_clk_div_must_be_1_or_2 u_error ();
`else
    $error("mmu_board_ice40: CLK_DIV (%0d) must be 1 or 2", CLK_DIV);
`endif
  end

  // Reset: until the PLL locks, then 2^PorW cycles; the button is
  // synchronised (two flops) and resets the same way.  The flip-flops start
  // at zero when the FPGA is configured.
  logic [1:0]    btn_q = '0;
  logic [PorW:0] por_q = '0;
  always_ff @(posedge clk) begin
    btn_q <= {btn_q[0], rst_ni};
    if (!lock || !btn_q[1]) por_q <= '0;
    else if (!por_q[PorW])  por_q <= por_q + 1'b1;
  end

  mmu_board_top #(
    .CLKS_PER_BIT(CLKS_PER_BIT),
    .MEM_BYTES   (MEM_BYTES),
    .USE_SPRAM   (USE_SPRAM),
    .CNT_W       (CNT_W)
  ) u_board (
    .clk_i    (clk),
    .rst_ni   (por_q[PorW]),
    .uart_rx_i(uart_rx_i),
    .uart_tx_o(uart_tx_o),
    .led_o    (led_o)
  );
endmodule
