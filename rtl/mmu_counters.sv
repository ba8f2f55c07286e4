// SPDX-License-Identifier: MIT
// Performance counters: N free-running counters of CNT_W bits, counter i
// adding inc_i[i] every cycle (a pulse is an increment of 1; the TLB sweep
// adds the number of entries it dropped).
module mmu_counters #(
  parameter int N     = 16,
  parameter int CNT_W = 64,
  parameter int INC_W = 6
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic [N*INC_W-1:0] inc_i,
  output logic [N*CNT_W-1:0] cnt_o
);
  for (genvar i = 0; i < N; i++) begin : g_cnt
    logic [CNT_W-1:0] cnt_q;
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
endmodule
