// SPDX-License-Identifier: MIT
// The debug port of mmu_top (docs/rtl.md, "Debug port"): preload and read
// back one TLB entry or L1 line slot while the MMU is idle.  A command (one
// cycle of dbg_valid_i) is registered here, so that no input reaches the
// TLB's and the L1's logic combinationally, and executed in the next cycle
// (the *_o strobes, decoded only while there is one: an idle port costs the
// simulated model one test per cycle).  A read answers one cycle later
// (show_o) from the RAM outputs of the TLB and the L1, the read-out formed
// only then.  The TLB and the L1 do the reads and writes themselves; this
// module holds the command and lays out the answer (MMU_DBG_* bit positions).
`include "mmu_assert.svh"
`include "mmu_sim.svh"
`include "mmu_defs.vh"

module mmu_debug #(
  parameter int VPN_BITS  = 36,
  parameter int PPN_BITS  = 40,
  parameter int PCID_W    = 12,
  parameter int KEY_W     = 4,
  parameter int L1_TAG_W  = 40,
  parameter int WORD_BITS = 64
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // The port (mmu_top's dbg_*).
  input  logic                 dbg_valid_i,
  input  logic [2:0]           dbg_op_i,     // MMU_DBG_*
  input  logic [15:0]          dbg_set_i,
  input  logic [4:0]           dbg_way_i,
  input  logic [7:0]           dbg_word_i,
  input  logic [63:0]          dbg_a_i,
  input  logic [63:0]          dbg_b_i,
  output logic [63:0]          dbg_a_o,
  output logic [63:0]          dbg_b_o,
  // The MMU is idle: no operation in flight, no request, no control
  // operation (for the assertion a_dbg_idle only).
  input  logic                 idle_i,

  // The command being executed (the cycle after dbg_valid_i).
  output logic                 tlb_rd_o,
  output logic                 tlb_we_o,
  output logic                 l1_rd_o,
  output logic                 l1_tag_we_o,
  output logic                 l1_word_we_o,
  // The answer cycle of a read: the TLB and the L1 show the slot read.
  output logic                 show_o,
  // The command's operands, as wide as the widest configuration needs.
  output logic [15:0]          set_o,
  output logic [4:0]           way_o,
  output logic [7:0]           word_o,
  output logic [63:0]          a_o,
  output logic [63:0]          b_o,

  // The TLB entry read.
  input  logic                 tlb_valid_i,
  input  logic [VPN_BITS-1:0]  tlb_vpn_i,
  input  logic [PCID_W-1:0]    tlb_pcid_i,
  input  logic [PPN_BITS-1:0]  tlb_ppn_i,
  input  logic [1:0]           tlb_level_i,
  input  logic [4:0]           tlb_flags_i,  // G, R/W, U/S, XD, D
  input  logic [KEY_W-1:0]     tlb_key_i,
  // The L1 slot read: tag, valid, dirty and the data word.
  input  logic [L1_TAG_W-1:0]  l1_tag_i,
  input  logic                 l1_valid_i,
  input  logic                 l1_dirty_i,
  input  logic [WORD_BITS-1:0] l1_word_i
);
  logic       go_q, ans_q;
  logic [2:0] op_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      go_q  <= 1'b0;
      ans_q <= 1'b0;
      op_q  <= 3'(`MMU_DBG_NONE);
    end else begin
      go_q  <= dbg_valid_i;
      ans_q <= go_q;
      if (dbg_valid_i) op_q <= dbg_op_i;
    end
  end
  // The command's operands: no reset, used only with go_q / ans_q.
  always_ff @(posedge clk_i) begin
    if (dbg_valid_i) begin
      set_o  <= dbg_set_i;
      way_o  <= dbg_way_i;
      word_o <= dbg_word_i;
      a_o    <= dbg_a_i;
      b_o    <= dbg_b_i;
    end
  end
  assign show_o = ans_q;

  // The command being executed, decoded only while there is one.
  always_comb begin
    tlb_rd_o     = 1'b0;
    tlb_we_o     = 1'b0;
    l1_rd_o      = 1'b0;
    l1_tag_we_o  = 1'b0;
    l1_word_we_o = 1'b0;
    if (go_q) begin
      tlb_rd_o     = op_q == 3'(`MMU_DBG_TLB_RD);
      tlb_we_o     = op_q == 3'(`MMU_DBG_TLB_WR);
      l1_rd_o      = op_q == 3'(`MMU_DBG_L1_RD);
      l1_tag_we_o  = op_q == 3'(`MMU_DBG_L1_TAG_WR);
      l1_word_we_o = op_q == 3'(`MMU_DBG_L1_WORD_WR);
    end
  end

  // TLB reads: VPN, then the entry's fields; L1 reads: the tag with the
  // valid and dirty bits, then the data word.  Formed only while a command
  // is on the port (MMU_DBG_NONE = 0 otherwise).
  always_comb begin
    dbg_a_o = '0;
    dbg_b_o = '0;
    if (`MMU_SIM_GATE(ans_q)) begin
      dbg_a_o = 64'(l1_tag_i);
      dbg_a_o[`MMU_DBG_L1_VALID] = l1_valid_i;
      dbg_a_o[`MMU_DBG_L1_DIRTY] = l1_dirty_i;
      dbg_b_o = 64'(l1_word_i);
    end
    if (ans_q && op_q == 3'(`MMU_DBG_TLB_RD)) begin
      dbg_a_o = 64'(tlb_vpn_i);
      dbg_a_o[`MMU_DBG_TLB_PKEY +: KEY_W] = tlb_key_i;
      dbg_b_o = 64'(tlb_ppn_i);
      dbg_b_o[`MMU_DBG_TLB_PCID +: PCID_W] = tlb_pcid_i;
      dbg_b_o[`MMU_DBG_TLB_LEVEL +: 2]     = tlb_level_i;
      {dbg_b_o[`MMU_DBG_TLB_G], dbg_b_o[`MMU_DBG_TLB_RW], dbg_b_o[`MMU_DBG_TLB_US],
       dbg_b_o[`MMU_DBG_TLB_XD], dbg_b_o[`MMU_DBG_TLB_D]} = tlb_flags_i;
      dbg_b_o[`MMU_DBG_TLB_VALID]          = tlb_valid_i;
    end
  end

  `MMU_ASSERT_IF(a_dbg_idle, dbg_valid_i || go_q, idle_i,
              "debug command while the MMU is busy or with a request")
endmodule
