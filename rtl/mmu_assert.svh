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
`else
`define MMU_ASSERT(name, cond, msg) \
  always_ff @(posedge clk_i) begin : name \
    if (rst_ni && !(cond)) $error("%m: %s", msg); \
  end
`endif
`endif
