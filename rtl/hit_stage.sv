// SPDX-License-Identifier: MIT
// The optional registered hit stage (HIT_STAGE = 1 in mmu_top; docs/rtl.md,
// "Pipeline").  Without it a hit is decided in one cycle after acceptance:
// TLB RAM -> tag compare -> PPN -> L1 tag compare -> way select.  With it,
// stage L sits between acceptance and stage 1: the request accepted in
// stage 0 (TLB set read) is compared against the TLB in stage L, its rights
// are checked and its physical address formed there, the L1 set is read in
// the same cycle, and the lookup's result is registered here for stage 1,
// which compares the L1 tags against a physical address from flip-flops.
// Load-to-use is two cycles; back-to-back hits still take one cycle each.
//
// This module holds stage L's request (valid while a request waits between
// acceptance and stage 1), whether the TLB set read for it in the previous
// cycle is current (fresh: read in that cycle, no TLB write in it), and the
// lookup result handed to stage 1.  With ENABLE = 0 stage L is never valid
// and the result passes through unregistered (the one-cycle pipeline).
`include "mmu_assert.svh"

module hit_stage #(
  parameter int ENABLE = 0,
  parameter int REQ_W  = 1,   // the request's fields, packed
  parameter int RES_W  = 1    // the lookup result's fields, packed
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  // Stage L's request.
  input  logic             accept_i,   // a request is accepted (into stage L)
  input  logic [REQ_W-1:0] req_i,
  input  logic             adv_i,      // stage L moves to stage 1
  input  logic             reread_i,   // the TLB set of req_o is read this cycle
  input  logic             tlb_we_i,   // the TLB RAM is written this cycle
  output logic             valid_o,
  output logic             fresh_o,    // the TLB RAM output is req_o's set, current
  output logic [REQ_W-1:0] req_o,

  // The lookup result for stage 1.
  input  logic             res_load_i,
  input  logic [RES_W-1:0] res_i,
  output logic [RES_W-1:0] res_o
);
  if (ENABLE != 0) begin : g_reg
    logic             valid_q, valid_d, fresh_q, fresh_d;
    logic [REQ_W-1:0] req_q;
    logic [RES_W-1:0] res_q;

    always_comb begin
      valid_d = valid_q;
      if (adv_i) valid_d = 1'b0;
      if (accept_i) valid_d = 1'b1;
      // A set read in a cycle that writes the TLB RAM may return either
      // word (no read-during-write guarantee): read it again.
      fresh_d = (accept_i || (valid_q && !adv_i && reread_i)) && !tlb_we_i;
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        valid_q <= 1'b0;
        fresh_q <= 1'b0;
      end else begin
        valid_q <= valid_d;
        fresh_q <= fresh_d;
      end
    end
    // The fields need no reset: they are used only while valid / loaded.
    always_ff @(posedge clk_i) begin
      if (accept_i) req_q <= req_i;
      if (res_load_i) res_q <= res_i;
    end

    assign valid_o = valid_q;
    assign fresh_o = fresh_q;
    assign req_o   = req_q;
    assign res_o   = res_q;

    `MMU_ASSERT_IF(a_stage_l_free, accept_i, !valid_q || adv_i,
                "request accepted into a stage L that still holds one")
    `MMU_ASSERT_IF(a_stage_l_fresh, adv_i, valid_q && fresh_q,
                "stage L advanced without a current TLB lookup")
  end else begin : g_pass
    logic unused;
    assign unused  = ^{clk_i, rst_ni, accept_i, req_i, adv_i, reread_i, tlb_we_i, res_load_i};
    assign valid_o = 1'b0;
    assign fresh_o = 1'b0;
    assign req_o   = '0;
    assign res_o   = res_i;
  end
endmodule
