// SPDX-License-Identifier: MIT
// Performance counters: N free-running counters of CNT_W bits, counter i
// adding inc_i[i] every cycle (a pulse is an increment of 1; the TLB sweep
// adds the number of entries it dropped).
//
// Bit i of PULSE says counter i's increment is a pulse (0 or 1): that
// counter takes its own value plus one when the pulse is high.  Its carry
// chain then starts at its own flip-flops, and the pulse, which often ends
// a long path (the acceptance and the L1 hit at the end of the L1 tag
// compare, the walker's L1 hit or miss), only drives the flip-flops'
// enable: no carry chain follows it, and the counter's value is the same
// in every cycle as with an adder.  The other counters add their increment;
// bit i of REG_INC registers counter i's increment first (mmu_top's hit
// stage: the TLB sweep's drop count ends a path from the TLB RAM), and the
// counter shows the sum it is about to take, so that its output too is the
// same in every cycle as without the register (the sum drives both the
// output and the flip-flops: an iCE40 logic cell more per bit).  Each
// counter is shown zero-extended to OUT_W bits (mmu_top's 64-bit ports).
`include "mmu_assert.svh"

module mmu_counters #(
  parameter int N       = 16,
  parameter int CNT_W   = 64,
  parameter int INC_W   = 6,
  parameter logic [31:0] PULSE = '0,
  parameter logic [31:0] REG_INC = '0,
  parameter int OUT_W   = CNT_W
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic [N*INC_W-1:0] inc_i,
  output logic [N*OUT_W-1:0] cnt_o
);
  for (genvar i = 0; i < N; i++) begin : g_cnt
    logic [INC_W-1:0] inc;
    logic [CNT_W-1:0] cnt_q, cnt_d;
    logic             cnt_en;

    if (PULSE[i]) begin : g_pulse
      assign inc    = inc_i[i*INC_W +: INC_W];
      assign cnt_en = inc[0];
      assign cnt_d  = cnt_q + CNT_W'(1);
      assign cnt_o[i*OUT_W +: OUT_W] = OUT_W'(cnt_q);
    end else if (REG_INC[i]) begin : g_reg
      logic [INC_W-1:0] inc_q;
      always_ff @(posedge clk_i) begin
        if (!rst_ni) inc_q <= '0;
        else         inc_q <= inc_i[i*INC_W +: INC_W];
      end
      assign inc    = inc_q;
      assign cnt_en = inc != '0;
      assign cnt_d  = cnt_q + CNT_W'(inc);
      assign cnt_o[i*OUT_W +: OUT_W] = OUT_W'(cnt_d);
    end else begin : g_add
      assign inc    = inc_i[i*INC_W +: INC_W];
      assign cnt_en = inc != '0;
      assign cnt_d  = cnt_q + CNT_W'(inc);
      assign cnt_o[i*OUT_W +: OUT_W] = OUT_W'(cnt_q);
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        cnt_q <= '0;
      end else if (cnt_en) begin
        cnt_q <= cnt_d;
      end
    end

    if (PULSE[i]) begin : g_pulse_chk
      `MMU_ASSERT(a_pulse_is_bit, inc[INC_W-1:1] == '0, "a pulse counter's increment is above 1")
    end
  end
endmodule
