// SPDX-License-Identifier: MIT
// The access-rights check of SDM Vol. 3A 4.6 on combined rights (the table
// of docs/semantics.md), protection keys included (4.6.2), and the
// error-code bits that describe the access itself (W, U, I).  Used on a TLB
// hit and at the leaf of a walk.
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module mmu_perm #(
  localparam int PkeyW = `PTE_PKEY_BITS,
  localparam int PkruW = `PKRU_BITS,
  localparam int EcW   = `PFEC_BITS
) (
  input  logic [1:0]       op_i,
  input  logic             user_i,
  input  logic             rw_i,    // writable at every level
  input  logic             us_i,    // user-mode address
  input  logic             xd_i,    // execute-disable at some level
  input  logic [PkeyW-1:0] key_i,   // the leaf's protection key
  input  logic             wp_i,
  input  logic             nxe_i,
  input  logic             smep_i,
  input  logic             smap_i,
  input  logic             ac_i,
  input  logic             pke_i,
  input  logic [PkruW-1:0] pkru_i,
  output logic             allowed_o,
  output logic             pk_o,    // the key forbids it (PFEC.PK)
  output logic [EcW-1:0]   pfec_o
);
  logic store, fetch, rights_ok, key_ad, key_wd;
  assign store = op_i == 2'(`MMU_OP_STORE);
  assign fetch = op_i == 2'(`MMU_OP_FETCH);

  always_comb begin
    if (user_i) begin
      rights_ok = us_i && (store ? rw_i : fetch ? !(nxe_i && xd_i) : 1'b1);
    end else if (fetch) begin
      rights_ok = !(us_i && smep_i) && !(nxe_i && xd_i);
    end else begin
      // Supervisor data: SMAP forbids user pages unless AC; WP honours R/W.
      rights_ok = !(us_i && smap_i && !ac_i) && !(store && wp_i && !rw_i);
    end
  end

  // Keys control data accesses to user-mode addresses, user and supervisor
  // alike: AD forbids them all, WD forbids user writes and, with WP,
  // supervisor writes.  Fetches are never checked.
  assign key_ad    = pkru_i[2 * 32'(key_i)];
  assign key_wd    = pkru_i[2 * 32'(key_i) + 1];
  assign pk_o      = pke_i && us_i && !fetch &&
                     (key_ad || (store && key_wd && (user_i || wp_i)));
  assign allowed_o = rights_ok && !pk_o;

  assign pfec_o = (store ? EcW'(`PFEC_WR) : '0) |
                  (user_i ? EcW'(`PFEC_US) : '0) |
                  (fetch && (smep_i || nxe_i) ? EcW'(`PFEC_ID) : '0);
endmodule
