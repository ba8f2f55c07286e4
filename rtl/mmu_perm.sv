// SPDX-License-Identifier: MIT
// The access-rights check of SDM Vol. 3A 4.6 on combined rights (the table
// of docs/semantics.md), and the error-code bits that describe the access
// itself (W, U, I).  Used on a TLB hit and at the leaf of a walk.
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module mmu_perm (
  input  logic [1:0] op_i,
  input  logic       user_i,
  input  logic       rw_i,    // writable at every level
  input  logic       us_i,    // user-mode address
  input  logic       xd_i,    // execute-disable at some level
  input  logic       wp_i,
  input  logic       nxe_i,
  input  logic       smep_i,
  input  logic       smap_i,
  input  logic       ac_i,
  output logic       allowed_o,
  output logic [4:0] pfec_o
);
  logic store, fetch;
  assign store = op_i == 2'(`MMU_OP_STORE);
  assign fetch = op_i == 2'(`MMU_OP_FETCH);

  always_comb begin
    if (user_i) begin
      allowed_o = us_i && (store ? rw_i : fetch ? !(nxe_i && xd_i) : 1'b1);
    end else if (fetch) begin
      allowed_o = !(us_i && smep_i) && !(nxe_i && xd_i);
    end else begin
      // Supervisor data: SMAP forbids user pages unless AC; WP honours R/W.
      allowed_o = !(us_i && smap_i && !ac_i) && !(store && wp_i && !rw_i);
    end
  end

  assign pfec_o = (store ? 5'(`PFEC_WR) : 5'd0) |
                  (user_i ? 5'(`PFEC_US) : 5'd0) |
                  (fetch && (smep_i || nxe_i) ? 5'(`PFEC_ID) : 5'd0);
endmodule
