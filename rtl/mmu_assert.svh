// SPDX-License-Identifier: MIT
// Immediate assertions checked by Verilator at every rising clock edge (out
// of reset) and compiled away by synthesis (Yosys defines SYNTHESIS) or on
// request (MMU_NO_ASSERT: models for speed measurements).  The simulation
// glue counts $error calls and reports them as a back-end failure.
`ifndef MMU_ASSERT_SVH
`define MMU_ASSERT_SVH
`ifdef SYNTHESIS
`define MMU_ASSERT_OFF
`endif
`ifdef MMU_NO_ASSERT
`define MMU_ASSERT_OFF
`endif
`ifdef MMU_ASSERT_OFF
`define MMU_ASSERT(name, cond, msg)
`define MMU_ASSERT_IF(name, pre, cond, msg)
`else
`define MMU_ASSERT(name, cond, msg) \
  always_ff @(posedge clk_i) begin : name \
    if (rst_ni && !(cond)) $error("%m: %s", msg); \
  end
// MMU_ASSERT_IF: whenever `pre` holds, `cond` must hold (the same check as
// MMU_ASSERT(name, !(pre) || (cond), msg)).  Verilator evaluates both sides
// of || and && on single bits; the nested if lets the simulated model test
// only the (usually false) precondition in most cycles.
`define MMU_ASSERT_IF(name, pre, cond, msg) \
  always_ff @(posedge clk_i) begin : name \
    if (rst_ni && (pre)) begin \
      if (!(cond)) $error("%m: %s", msg); \
    end \
  end
`endif
`endif
