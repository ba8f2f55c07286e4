// SPDX-License-Identifier: MIT
// Priority encoder: the index of the lowest set bit of bits_i.  It encodes
// every "lowest first" rule of the design: lowest matching TLB/PSC/L1 way,
// lowest invalid way on a fill.
module lowest_one #(
  parameter int N = 4,
  localparam int IdxW = (N > 1) ? $clog2(N) : 1
) (
  input  logic [N-1:0]    bits_i,
  output logic            found_o,
  output logic [IdxW-1:0] idx_o
);
  always_comb begin
    found_o = 1'b0;
    idx_o   = '0;
    for (int i = N - 1; i >= 0; i--) begin
      if (bits_i[i]) begin
        found_o = 1'b1;
        idx_o   = IdxW'(i);
      end
    end
  end
endmodule
