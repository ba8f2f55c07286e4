// SPDX-License-Identifier: MIT
// Canonical linear address: bits 63..VA_BITS-1 all equal (sign), or bits
// 63..VA_BITS all zero (CANON_ZERO, the csapp configuration).
module va_canonical #(
  parameter int VA_BITS    = 48,
  parameter int CANON_ZERO = 0
) (
  input  logic [63:0] va_i,
  output logic        canonical_o
);
  localparam int SignBits = 64 - VA_BITS + 1;  // bits 63..VA_BITS-1

  if (CANON_ZERO != 0) begin : g_zero
    assign canonical_o = (va_i >> VA_BITS) == 64'd0;
  end else begin : g_sign
    logic [SignBits-1:0] top;
    logic [63-SignBits:0] unused_low;
    assign top         = va_i[63 -: SignBits];
    assign unused_low  = va_i[63-SignBits:0];
    assign canonical_o = top == '0 || top == '1;
  end
endmodule
