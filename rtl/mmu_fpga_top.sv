// SPDX-License-Identifier: MIT
// Board top for the fpga configuration (constraints/ice40-hx8k-breakout.pcf):
// mmu_top has about two thousand I/O bits, a board a few dozen pins, so every
// input of the MMU (CPU request, control operation, the AXI slave's side)
// comes from a stimulus register loaded serially (sin_i while shift_i), is
// applied for one cycle on go_i (request and control valid), and every
// output is folded into a 32-bit multiple-input signature register (MISR)
// read back serially (sout_o while shift_i).  Nothing is left unobserved, so
// synthesis keeps the whole MMU, and every MMU input and output is a
// register-to-register path: the place-and-route fmax is the MMU's.  The
// AXI port is driven from the stimulus register (a bring-up harness, not a
// memory system).
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module mmu_fpga_top #(
  parameter int CNT_W = 64
) (
  input  logic       clk_i,    // board oscillator
  input  logic       rst_ni,   // active-low button
  input  logic       sin_i,    // serial stimulus
  input  logic       shift_i,  // shift sin_i in and the signature out
  input  logic       go_i,     // apply the stimulus (rising edge)
  output logic       sout_o,   // serial signature
  output logic [3:0] led_o     // response, control done, fault, memory busy
);
  localparam int L1Line = `MMU_L1_LINE;
  localparam int DataW  = 8 * ((L1Line < 8) ? L1Line : 8);
  localparam int StrbW  = DataW / 8;
  localparam int PcidW  = 12;
  localparam int SigW   = 32;

  // ---- asynchronous pins: two-flop synchronisers ---------------------------
  logic [2:0] sync1_q, sync2_q;
  logic       go_prev_q;
  logic       sin, shift, go;

  always_ff @(posedge clk_i) begin
    sync1_q   <= {sin_i, shift_i, go_i};
    sync2_q   <= sync1_q;
    go_prev_q <= sync2_q[0];
  end
  assign sin   = sync2_q[2];
  assign shift = sync2_q[1];
  assign go    = sync2_q[0] && !go_prev_q;

  // ---- stimulus -------------------------------------------------------------
  logic [63:0]      req_va, req_wdata, ctl_value, ctl_addr;
  logic [1:0]       req_op, req_size, ctl_type, bresp, rresp;
  logic             req_valid, req_user, req_phys, ctl_valid;
  logic [3:0]       ctl_op;
  logic [PcidW-1:0] ctl_pcid;
  logic             awready, wready, bvalid, bid, arready, rvalid, rlast, rid;
  logic [DataW-1:0] rdata;

  localparam int StimW = 64 * 4 + 2 * 5 + 1 * 4 + 4 + PcidW + 8 + DataW;
  logic [StimW-1:0] stim_q;

  always_ff @(posedge clk_i) begin
    if (shift) stim_q <= {stim_q[StimW-2:0], sin};
  end
  assign {req_va, req_wdata, ctl_value, ctl_addr, req_op, req_size, ctl_type, bresp, rresp,
          req_valid, req_user, req_phys, ctl_valid, ctl_op, ctl_pcid,
          awready, wready, bvalid, bid, arready, rvalid, rlast, rid, rdata} = stim_q;

  // ---- the MMU ----------------------------------------------------------------
  logic             req_ready, rsp_valid, rsp_tlb_hit, rsp_walked, rsp_l1_hit, ad_valid;
  logic [1:0]       rsp_status, rsp_page_level;
  logic [63:0]      rsp_rdata, rsp_pa, cr2, ad_pa, ad_value, cr0, cr3, cr4, efer;
  logic [`PFEC_BITS-1:0] rsp_ec;
  logic [`PKRU_BITS-1:0] pkru;
  logic [2:0]       rsp_walk_reads, rsp_psc_level;
  logic             ctl_ready, ctl_done, ctl_gp, ac;
  logic [17*64-1:0] cnt;
  logic             awvalid, awid, wvalid, wlast, bready, arvalid, arid, rready;
  logic [63:0]      awaddr, araddr;
  logic [7:0]       awlen, arlen;
  logic [2:0]       awsize, arsize;
  logic [1:0]       awburst, arburst;
  logic [DataW-1:0] wdata;
  logic [StrbW-1:0] wstrb;
  // The debug port is for simulation: tied off on the board.
  logic [63:0]      unused_dbg_a, unused_dbg_b;
  logic [15:0]      unused_dbg_fsm;

  mmu_top #(.CNT_W(CNT_W)) u_mmu (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .req_valid_i         (req_valid && go),
    .req_ready_o         (req_ready),
    .req_va_i            (req_va),
    .req_op_i            (req_op),
    .req_size_i          (req_size),
    .req_user_i          (req_user),
    .req_phys_i          (req_phys),
    .req_wdata_i         (req_wdata),
    .rsp_valid_o         (rsp_valid),
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
    .ctl_valid_i         (ctl_valid && go),
    .ctl_ready_o         (ctl_ready),
    .ctl_op_i            (ctl_op),
    .ctl_value_i         (ctl_value),
    .ctl_addr_i          (ctl_addr),
    .ctl_type_i          (ctl_type),
    .ctl_pcid_i          (ctl_pcid),
    .ctl_done_o          (ctl_done),
    .ctl_gp_o            (ctl_gp),
    .cr0_o               (cr0),
    .cr3_o               (cr3),
    .cr4_o               (cr4),
    .efer_o              (efer),
    .ac_o                (ac),
    .pkru_o              (pkru),
    .cnt_accesses_o      (cnt[0*64 +: 64]),
    .cnt_tlb_hits_o      (cnt[1*64 +: 64]),
    .cnt_tlb_misses_o    (cnt[2*64 +: 64]),
    .cnt_walks_o         (cnt[3*64 +: 64]),
    .cnt_walk_reads_o    (cnt[4*64 +: 64]),
    .cnt_walk_writes_o   (cnt[5*64 +: 64]),
    .cnt_walk_cycles_o   (cnt[6*64 +: 64]),
    .cnt_psc_hits_o      (cnt[7*64 +: 64]),
    .cnt_l1_hits_o       (cnt[8*64 +: 64]),
    .cnt_l1_misses_o     (cnt[9*64 +: 64]),
    .cnt_walk_l1_hits_o  (cnt[10*64 +: 64]),
    .cnt_walk_l1_misses_o(cnt[11*64 +: 64]),
    .cnt_line_fills_o    (cnt[12*64 +: 64]),
    .cnt_writebacks_o    (cnt[13*64 +: 64]),
    .cnt_page_faults_o   (cnt[14*64 +: 64]),
    .cnt_gp_faults_o     (cnt[15*64 +: 64]),
    .cnt_tlb_flushes_o   (cnt[16*64 +: 64]),
    .m_axi_awvalid_o     (awvalid),
    .m_axi_awready_i     (awready),
    .m_axi_awaddr_o      (awaddr),
    .m_axi_awlen_o       (awlen),
    .m_axi_awsize_o      (awsize),
    .m_axi_awburst_o     (awburst),
    .m_axi_awid_o        (awid),
    .m_axi_wvalid_o      (wvalid),
    .m_axi_wready_i      (wready),
    .m_axi_wdata_o       (wdata),
    .m_axi_wstrb_o       (wstrb),
    .m_axi_wlast_o       (wlast),
    .m_axi_bvalid_i      (bvalid),
    .m_axi_bready_o      (bready),
    .m_axi_bresp_i       (bresp),
    .m_axi_bid_i         (bid),
    .m_axi_arvalid_o     (arvalid),
    .m_axi_arready_i     (arready),
    .m_axi_araddr_o      (araddr),
    .m_axi_arlen_o       (arlen),
    .m_axi_arsize_o      (arsize),
    .m_axi_arburst_o     (arburst),
    .m_axi_arid_o        (arid),
    .m_axi_rvalid_i      (rvalid),
    .m_axi_rready_o      (rready),
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

  // ---- every output into the signature -----------------------------------------
  localparam int ObsW = 1 + 1 + 1 + 1 + 1 + 1 + 2 + 2 + 64 * 9 + `PFEC_BITS + `PKRU_BITS +
                        3 + 3 + 4 + 17 * 64 +
                        8 + 2 * 64 + 2 * 8 + 2 * 3 + 2 * 2 + DataW + StrbW;
  localparam int Chunks = (ObsW + SigW - 1) / SigW;
  logic [Chunks*SigW-1:0] obs;
  logic [SigW-1:0]        fold, sig_q;

  assign obs = (Chunks * SigW)'({
      req_ready, rsp_valid, rsp_tlb_hit, rsp_walked, rsp_l1_hit, ad_valid, rsp_status,
      rsp_page_level, rsp_rdata, rsp_pa, cr2, ad_pa, ad_value, cr0, cr3, cr4, efer, rsp_ec, pkru,
      rsp_walk_reads, rsp_psc_level, ctl_ready, ctl_done, ctl_gp, ac, cnt,
      awvalid, awid, wvalid, wlast, bready, arvalid, arid, rready, awaddr, araddr,
      awlen, arlen, awsize, arsize, awburst, arburst, wdata, wstrb});

  always_comb begin
    fold = '0;
    for (int c = 0; c < Chunks; c++) fold ^= obs[c*SigW +: SigW];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sig_q <= '0;
    end else if (shift) begin
      sig_q <= {sig_q[SigW-2:0], 1'b0};
    end else begin
      sig_q <= {sig_q[SigW-2:0], sig_q[SigW-1]} ^ fold;
    end
  end

  assign sout_o = sig_q[SigW-1];
  assign led_o  = {arvalid || awvalid, rsp_valid && rsp_status != '0, ctl_done, rsp_valid};
endmodule
