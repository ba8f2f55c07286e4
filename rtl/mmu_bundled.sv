// SPDX-License-Identifier: MIT
// mmu_top as the FPGA tops use it (mmu_fpga_top, mmu_board_top): its ports
// in bundles, one a channel, and the debug port, which is for simulation,
// tied off (synthesis removes it).  Bundles, most significant field first:
//   req_i  {va, op, size, user, phys, wdata}
//   rsp_o  {status, rdata, pa, ec, tlb_hit, walked, l1_hit, walk_reads,
//           psc_level, page_level}
//   ad_o   {valid, pa, value}                 (walker A/D trace)
//   ctl_i  {op, value, addr, type, pcid}
//   regs_o {cr0, cr2, cr3, cr4, efer, ac, pkru}
//   cnt_o  counter i (MMU_COUNTERS order) in bits [i*64 +: 64]
//   AXI4:  aw_o/ar_o {addr, len, size, burst, id}, w_o {data, strb, last},
//          b_i {resp, id}, r_i {data, resp, last, id}
// The widths: rtl/mmu_bundle.svh.
`include "mmu_defs.vh"
`include "mmu_cfg.vh"
`include "mmu_bundle.svh"

module mmu_bundled #(
  parameter int CNT_W = 64,  // counter width (the counters are shown in 64 bits)
  localparam int DataW = `MMU_B_DATA_W,
  localparam int StrbW = `MMU_B_STRB_W,
  localparam int EcW   = `PFEC_BITS,
  localparam int PkruW = `PKRU_BITS,
  localparam int PcidW = `CR3_PCID_BITS,
  localparam int NCnt  = `MMU_B_NCNT,
  localparam int ReqW  = `MMU_B_REQ_W,
  localparam int RspW  = `MMU_B_RSP_W,
  localparam int AdW   = `MMU_B_AD_W,
  localparam int CtlW  = `MMU_B_CTL_W,
  localparam int RegsW = `MMU_B_REGS_W,
  localparam int AxW   = `MMU_B_AX_W,   // aw, ar
  localparam int WW    = `MMU_B_W_W,
  localparam int BW    = `MMU_B_B_W,
  localparam int RW    = `MMU_B_R_W
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               req_valid_i,
  output logic               req_ready_o,
  input  logic [ReqW-1:0]    req_i,
  output logic               rsp_valid_o,
  output logic [RspW-1:0]    rsp_o,
  output logic [AdW-1:0]     ad_o,
  input  logic               ctl_valid_i,
  output logic               ctl_ready_o,
  input  logic [CtlW-1:0]    ctl_i,
  output logic               ctl_done_o,
  output logic               ctl_gp_o,
  output logic [RegsW-1:0]   regs_o,
  output logic [NCnt*64-1:0] cnt_o,
  output logic               awvalid_o,
  input  logic               awready_i,
  output logic [AxW-1:0]     aw_o,
  output logic               wvalid_o,
  input  logic               wready_i,
  output logic [WW-1:0]      w_o,
  input  logic               bvalid_i,
  output logic               bready_o,
  input  logic [BW-1:0]      b_i,
  output logic               arvalid_o,
  input  logic               arready_i,
  output logic [AxW-1:0]     ar_o,
  input  logic               rvalid_i,
  output logic               rready_o,
  input  logic [RW-1:0]      r_i
);
  logic [63:0]      req_va, req_wdata, ctl_value, ctl_addr;
  logic [1:0]       req_op, req_size, ctl_type;
  logic             req_user, req_phys;
  logic [3:0]       ctl_op;
  logic [PcidW-1:0] ctl_pcid;
  logic [1:0]       rsp_status, rsp_page_level;
  logic [63:0]      rsp_rdata, rsp_pa;
  logic [EcW-1:0]   rsp_ec;
  logic             rsp_tlb_hit, rsp_walked, rsp_l1_hit;
  logic [2:0]       rsp_walk_reads, rsp_psc_level;
  logic             ad_valid;
  logic [63:0]      ad_pa, ad_value, cr0, cr2, cr3, cr4, efer;
  logic             ac;
  logic [PkruW-1:0] pkru;
  logic [63:0]      awaddr, araddr;
  logic [7:0]       awlen, arlen;
  logic [2:0]       awsize, arsize;
  logic [1:0]       awburst, arburst, bresp, rresp;
  logic             awid, arid, wlast, bid, rlast, rid;
  logic [DataW-1:0] wdata, rdata;
  logic [StrbW-1:0] wstrb;
  // The debug port is for simulation: tied off.
  logic [63:0]      unused_dbg_a, unused_dbg_b;
  logic [15:0]      unused_dbg_fsm;

  assign {req_va, req_op, req_size, req_user, req_phys, req_wdata} = req_i;
  assign rsp_o  = {rsp_status, rsp_rdata, rsp_pa, rsp_ec, rsp_tlb_hit, rsp_walked, rsp_l1_hit,
                   rsp_walk_reads, rsp_psc_level, rsp_page_level};
  assign ad_o   = {ad_valid, ad_pa, ad_value};
  assign {ctl_op, ctl_value, ctl_addr, ctl_type, ctl_pcid} = ctl_i;
  assign regs_o = {cr0, cr2, cr3, cr4, efer, ac, pkru};
  assign aw_o   = {awaddr, awlen, awsize, awburst, awid};
  assign w_o    = {wdata, wstrb, wlast};
  assign {bresp, bid} = b_i;
  assign ar_o   = {araddr, arlen, arsize, arburst, arid};
  assign {rdata, rresp, rlast, rid} = r_i;

  mmu_top #(.CNT_W(CNT_W)) u_mmu (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .req_valid_i         (req_valid_i),
    .req_ready_o         (req_ready_o),
    .req_va_i            (req_va),
    .req_op_i            (req_op),
    .req_size_i          (req_size),
    .req_user_i          (req_user),
    .req_phys_i          (req_phys),
    .req_wdata_i         (req_wdata),
    .rsp_valid_o         (rsp_valid_o),
    .rsp_status_o        (rsp_status),
    .rsp_rdata_o         (rsp_rdata),
    .rsp_pa_o            (rsp_pa),
    .rsp_ec_o            (rsp_ec),
    .rsp_tlb_hit_o       (rsp_tlb_hit),
    .rsp_walked_o        (rsp_walked),
    .rsp_l1_hit_o        (rsp_l1_hit),
    .rsp_walk_reads_o    (rsp_walk_reads),
    .rsp_psc_level_o     (rsp_psc_level),
    .rsp_page_level_o    (rsp_page_level),
    .cr2_o               (cr2),
    .ad_valid_o          (ad_valid),
    .ad_pa_o             (ad_pa),
    .ad_value_o          (ad_value),
    .ctl_valid_i         (ctl_valid_i),
    .ctl_ready_o         (ctl_ready_o),
    .ctl_op_i            (ctl_op),
    .ctl_value_i         (ctl_value),
    .ctl_addr_i          (ctl_addr),
    .ctl_type_i          (ctl_type),
    .ctl_pcid_i          (ctl_pcid),
    .ctl_done_o          (ctl_done_o),
    .ctl_gp_o            (ctl_gp_o),
    .cr0_o               (cr0),
    .cr3_o               (cr3),
    .cr4_o               (cr4),
    .efer_o              (efer),
    .ac_o                (ac),
    .pkru_o              (pkru),
    .cnt_accesses_o      (cnt_o[0*64 +: 64]),
    .cnt_tlb_hits_o      (cnt_o[1*64 +: 64]),
    .cnt_tlb_misses_o    (cnt_o[2*64 +: 64]),
    .cnt_walks_o         (cnt_o[3*64 +: 64]),
    .cnt_walk_reads_o    (cnt_o[4*64 +: 64]),
    .cnt_walk_writes_o   (cnt_o[5*64 +: 64]),
    .cnt_walk_cycles_o   (cnt_o[6*64 +: 64]),
    .cnt_psc_hits_o      (cnt_o[7*64 +: 64]),
    .cnt_l1_hits_o       (cnt_o[8*64 +: 64]),
    .cnt_l1_misses_o     (cnt_o[9*64 +: 64]),
    .cnt_walk_l1_hits_o  (cnt_o[10*64 +: 64]),
    .cnt_walk_l1_misses_o(cnt_o[11*64 +: 64]),
    .cnt_line_fills_o    (cnt_o[12*64 +: 64]),
    .cnt_writebacks_o    (cnt_o[13*64 +: 64]),
    .cnt_page_faults_o   (cnt_o[14*64 +: 64]),
    .cnt_gp_faults_o     (cnt_o[15*64 +: 64]),
    .cnt_tlb_flushes_o   (cnt_o[16*64 +: 64]),
    .m_axi_awvalid_o     (awvalid_o),
    .m_axi_awready_i     (awready_i),
    .m_axi_awaddr_o      (awaddr),
    .m_axi_awlen_o       (awlen),
    .m_axi_awsize_o      (awsize),
    .m_axi_awburst_o     (awburst),
    .m_axi_awid_o        (awid),
    .m_axi_wvalid_o      (wvalid_o),
    .m_axi_wready_i      (wready_i),
    .m_axi_wdata_o       (wdata),
    .m_axi_wstrb_o       (wstrb),
    .m_axi_wlast_o       (wlast),
    .m_axi_bvalid_i      (bvalid_i),
    .m_axi_bready_o      (bready_o),
    .m_axi_bresp_i       (bresp),
    .m_axi_bid_i         (bid),
    .m_axi_arvalid_o     (arvalid_o),
    .m_axi_arready_i     (arready_i),
    .m_axi_araddr_o      (araddr),
    .m_axi_arlen_o       (arlen),
    .m_axi_arsize_o      (arsize),
    .m_axi_arburst_o     (arburst),
    .m_axi_arid_o        (arid),
    .m_axi_rvalid_i      (rvalid_i),
    .m_axi_rready_o      (rready_o),
    .m_axi_rdata_i       (rdata),
    .m_axi_rresp_i       (rresp),
    .m_axi_rlast_i       (rlast),
    .m_axi_rid_i         (rid),
    .dbg_valid_i         (1'b0),
    .dbg_op_i            ('0),
    .dbg_set_i           ('0),
    .dbg_way_i           ('0),
    .dbg_word_i          ('0),
    .dbg_a_i             ('0),
    .dbg_b_i             ('0),
    .dbg_a_o             (unused_dbg_a),
    .dbg_b_o             (unused_dbg_b),
    .dbg_fsm_o           (unused_dbg_fsm)
  );
endmodule
