// SPDX-License-Identifier: MIT
// Performance counters: N free-running counters of CNT_W bits, counter i
// adding inc_i[i] every cycle (a pulse is an increment of 1; the TLB sweep
// adds the number of entries it dropped).
//
// Bit i of REG_INC (mmu_top's registered hit stage) registers counter i's
// increment first, so that no carry chain follows the logic that produces
// it (the access counter's increment is the acceptance, and the L1-hit
// counter's the hit, both at the end of the L1 tag compare): that counter
// adds the registered increment in the next cycle and shows the sum it is
// about to take, so its output is the same in every cycle as without the
// register.  (The sum drives both the output and the register, which costs
// an iCE40 a logic cell per bit: only the counters that need it.)
module mmu_counters #(
  parameter int N       = 16,
  parameter int CNT_W   = 64,
  parameter int INC_W   = 6,
  parameter logic [31:0] REG_INC = '0
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic [N*INC_W-1:0] inc_i,
  output logic [N*CNT_W-1:0] cnt_o
);
  for (genvar i = 0; i < N; i++) begin : g_cnt
    logic [CNT_W-1:0] cnt_q;

    if (REG_INC[i]) begin : g_reg
      logic [INC_W-1:0] inc_q;
      logic [CNT_W-1:0] cnt_d;

      assign cnt_d = cnt_q + CNT_W'(inc_q);
      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          inc_q <= '0;
          cnt_q <= '0;
        end else begin
          inc_q <= inc_i[i*INC_W +: INC_W];
          if (inc_q != '0) cnt_q <= cnt_d;
        end
      end
      assign cnt_o[i*CNT_W +: CNT_W] = cnt_d;
    end else begin : g_direct
      logic [INC_W-1:0] inc;

      assign inc = inc_i[i*INC_W +: INC_W];
      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          cnt_q <= '0;
        end else if (inc != '0) begin
          cnt_q <= cnt_q + CNT_W'(inc);
        end
      end
      assign cnt_o[i*CNT_W +: CNT_W] = cnt_q;
    end
  end
endmodule
