// SPDX-License-Identifier: MIT
// MMU_SIM_GATE(cond): the enable of combinational logic whose result is used
// only in cycles where `cond` holds (every consumer is gated by `cond`).  In
// simulation the logic is written inside `if (MMU_SIM_GATE(cond))`, so that
// the Verilated model, which re-evaluates all combinational logic at every
// clock edge, skips it in the other cycles (simulation speed only: the
// outputs of the module do not change).  Synthesis (Yosys defines SYNTHESIS) gets 1'b1: the
// netlist is that of the ungated logic, with no enable in its paths.
`ifndef MMU_SIM_SVH
`define MMU_SIM_SVH
`ifdef SYNTHESIS
`define MMU_SIM_GATE(cond) 1'b1
`else
`define MMU_SIM_GATE(cond) (cond)
`endif
`endif
