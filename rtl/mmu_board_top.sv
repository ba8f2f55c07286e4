// SPDX-License-Identifier: MIT
// The MMU on a board (docs/fpga.md): mmu_top with its AXI4 port on the
// board's memory (board_mem: SPRAM on the iCE40-UP5K, block RAM elsewhere),
// driven over a UART by the framed protocol of board_link.  One clock
// domain; the PLL and the reset come from the board wrapper
// (mmu_board_ice40.sv), the simulation drives clk_i and rst_ni itself.
// LEDs (active high): led_o[0] heartbeat, [1] a request frame arriving,
// [2] executing or answering, [3] the last answer was an error, [4] the
// last access faulted.
`include "mmu_cfg.vh"
`include "mmu_defs.vh"

module mmu_board_top #(
  parameter int CLKS_PER_BIT = 104,   // clock / baud rate
  parameter int MEM_BYTES    = `MMU_MEM_BYTES,
  parameter int USE_SPRAM    = 0,
  parameter int CNT_W        = 16,   // counter width (the back end widens them)
  parameter int TIMEOUT_W    = 22,
  parameter int WDOG_W       = 20,
  parameter int BEAT_W       = 23     // heartbeat: LED 0 toggles every 2^BEAT_W cycles
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       uart_rx_i,
  output logic       uart_tx_o,
  output logic [4:0] led_o
);
  localparam int NCnt  = 17;
  localparam int Words = MEM_BYTES / 8;
  localparam int WordW = $clog2(Words);
  localparam int PcidW = 12;

  logic mmu_rst, sys_rst_n;

  // ---- UART ----------------------------------------------------------------------
  logic       rx_valid, rx_err, rx_busy, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;

  uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) u_rx (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .rx_i       (uart_rx_i),
    .valid_o    (rx_valid),
    .data_o     (rx_data),
    .frame_err_o(rx_err),
    .busy_o     (rx_busy)
  );

  uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) u_tx (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .valid_i(tx_valid),
    .ready_o(tx_ready),
    .data_i (tx_data),
    .tx_o   (uart_tx_o)
  );

  // ---- the MMU -------------------------------------------------------------------
  logic              req_valid, req_ready, req_user, req_phys;
  logic [63:0]       req_va, req_wdata;
  logic [1:0]        req_op, req_size;
  logic              rsp_valid, rsp_tlb_hit, rsp_walked, rsp_l1_hit, ad_valid;
  logic [1:0]        rsp_status, rsp_page_level;
  logic [63:0]       rsp_rdata, rsp_pa, cr2, ad_pa, ad_value, cr0, cr3, cr4, efer;
  logic [`PFEC_BITS-1:0] rsp_ec;
  logic [`PKRU_BITS-1:0] pkru;
  logic [2:0]        rsp_walk_reads, rsp_psc_level;
  logic              ctl_valid, ctl_ready, ctl_done, ctl_gp, ac;
  logic [3:0]        ctl_op;
  logic [63:0]       ctl_value, ctl_addr;
  logic [1:0]        ctl_type;
  logic [PcidW-1:0]  ctl_pcid;
  logic [NCnt*64-1:0] cnt;
  logic              awvalid, awready, wvalid, wready, wlast, bvalid, bready;
  logic              arvalid, arready, rvalid, rready, rlast;
  logic              unused_awid, unused_arid;
  logic [63:0]       awaddr, araddr, wdata, rdata;
  logic [7:0]        awlen, arlen, wstrb;
  logic [2:0]        unused_awsize, unused_arsize;
  logic [1:0]        unused_awburst, unused_arburst, bresp, rresp;
  logic [63:0]       unused_dbg_a, unused_dbg_b;
  logic [15:0]       unused_dbg_fsm;

  assign sys_rst_n = rst_ni && !mmu_rst;

  mmu_top #(.CNT_W(CNT_W)) u_mmu (
    .clk_i               (clk_i),
    .rst_ni              (sys_rst_n),
    .req_valid_i         (req_valid),
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
    .ctl_valid_i         (ctl_valid),
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
    .m_axi_awsize_o      (unused_awsize),
    .m_axi_awburst_o     (unused_awburst),
    .m_axi_awid_o        (unused_awid),
    .m_axi_wvalid_o      (wvalid),
    .m_axi_wready_i      (wready),
    .m_axi_wdata_o       (wdata),
    .m_axi_wstrb_o       (wstrb),
    .m_axi_wlast_o       (wlast),
    .m_axi_bvalid_i      (bvalid),
    .m_axi_bready_o      (bready),
    .m_axi_bresp_i       (bresp),
    .m_axi_bid_i         (1'b0),
    .m_axi_arvalid_o     (arvalid),
    .m_axi_arready_i     (arready),
    .m_axi_araddr_o      (araddr),
    .m_axi_arlen_o       (arlen),
    .m_axi_arsize_o      (unused_arsize),
    .m_axi_arburst_o     (unused_arburst),
    .m_axi_arid_o        (unused_arid),
    .m_axi_rvalid_i      (rvalid),
    .m_axi_rready_o      (rready),
    .m_axi_rdata_i       (rdata),
    .m_axi_rresp_i       (rresp),
    .m_axi_rlast_i       (rlast),
    .m_axi_rid_i         (1'b0),
    // The debug path (course mode's preload) is not on the UART link.
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

  // ---- memory ----------------------------------------------------------------------
  logic             mem_busy, dbg_en, dbg_we;
  logic [WordW-1:0] dbg_addr;
  logic [63:0]      dbg_rdata;

  board_mem #(.MEM_BYTES(MEM_BYTES), .USE_SPRAM(USE_SPRAM)) u_mem (
    .clk_i          (clk_i),
    .rst_ni         (sys_rst_n),
    .s_axi_awvalid_i(awvalid),
    .s_axi_awready_o(awready),
    .s_axi_awaddr_i (awaddr),
    .s_axi_awlen_i  (awlen),
    .s_axi_wvalid_i (wvalid),
    .s_axi_wready_o (wready),
    .s_axi_wdata_i  (wdata),
    .s_axi_wstrb_i  (wstrb),
    .s_axi_wlast_i  (wlast),
    .s_axi_bvalid_o (bvalid),
    .s_axi_bready_i (bready),
    .s_axi_bresp_o  (bresp),
    .s_axi_arvalid_i(arvalid),
    .s_axi_arready_o(arready),
    .s_axi_araddr_i (araddr),
    .s_axi_arlen_i  (arlen),
    .s_axi_rvalid_o (rvalid),
    .s_axi_rready_i (rready),
    .s_axi_rdata_o  (rdata),
    .s_axi_rresp_o  (rresp),
    .s_axi_rlast_o  (rlast),
    .dbg_en_i       (dbg_en),
    .dbg_we_i       (dbg_we),
    .dbg_addr_i     (dbg_addr),
    .dbg_wdata_i    ('0),
    .dbg_rdata_o    (dbg_rdata),
    .busy_o         (mem_busy)
  );

  // ---- the link ----------------------------------------------------------------------
  logic in_frame, busy, err, fault;

  board_link #(
    .PA_BITS     (`MMU_PA_BITS),
    .MEM_BYTES   (MEM_BYTES),
    .CNT_W       (CNT_W),
    .TIMEOUT_W   (TIMEOUT_W),
    .WDOG_W      (WDOG_W),
    .LEVELS      (`MMU_LEVELS),
    .TLB_SETS    (`MMU_TLB_SETS),
    .TLB_WAYS    (`MMU_TLB_WAYS),
    .L1_SETS     (`MMU_L1_SETS),
    .L1_WAYS     (`MMU_L1_WAYS),
    .L1_LINE     (`MMU_L1_LINE),
    .CLKS_PER_BIT(CLKS_PER_BIT)
  ) u_link (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .rx_valid_i      (rx_valid),
    .rx_data_i       (rx_data),
    .tx_valid_o      (tx_valid),
    .tx_ready_i      (tx_ready),
    .tx_data_o       (tx_data),
    .mmu_rst_o       (mmu_rst),
    .req_valid_o     (req_valid),
    .req_ready_i     (req_ready),
    .req_va_o        (req_va),
    .req_op_o        (req_op),
    .req_size_o      (req_size),
    .req_user_o      (req_user),
    .req_phys_o      (req_phys),
    .req_wdata_o     (req_wdata),
    .rsp_valid_i     (rsp_valid),
    .rsp_status_i    (rsp_status),
    .rsp_rdata_i     (rsp_rdata),
    .rsp_pa_i        (rsp_pa),
    .rsp_ec_i        (rsp_ec),
    .rsp_tlb_hit_i   (rsp_tlb_hit),
    .rsp_walked_i    (rsp_walked),
    .rsp_l1_hit_i    (rsp_l1_hit),
    .rsp_walk_reads_i(rsp_walk_reads),
    .rsp_psc_level_i (rsp_psc_level),
    .rsp_page_level_i(rsp_page_level),
    .ad_valid_i      (ad_valid),
    .ad_pa_i         (ad_pa),
    .ad_value_i      (ad_value),
    .ctl_valid_o     (ctl_valid),
    .ctl_ready_i     (ctl_ready),
    .ctl_op_o        (ctl_op),
    .ctl_value_o     (ctl_value),
    .ctl_addr_o      (ctl_addr),
    .ctl_type_o      (ctl_type),
    .ctl_pcid_o      (ctl_pcid),
    .ctl_done_i      (ctl_done),
    .ctl_gp_i        (ctl_gp),
    .cr0_i           (cr0),
    .cr2_i           (cr2),
    .cr3_i           (cr3),
    .cr4_i           (cr4),
    .efer_i          (efer),
    .ac_i            (ac),
    .pkru_i          (pkru),
    .cnt_i           (cnt),
    .mem_idle_i      (!mem_busy && !arvalid && !awvalid),
    .dbg_en_o        (dbg_en),
    .dbg_we_o        (dbg_we),
    .dbg_addr_o      (dbg_addr),
    .dbg_rdata_i     (dbg_rdata),
    .in_frame_o      (in_frame),
    .busy_o          (busy),
    .err_o           (err),
    .fault_o         (fault)
  );

  // ---- LEDs ------------------------------------------------------------------------------
  logic [BEAT_W-1:0] beat_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) beat_q <= '0;
    else         beat_q <= beat_q + 1'b1;
  end
  assign led_o = {fault, err, busy, in_frame || rx_busy, beat_q[BEAT_W-1]};

  logic unused;
  assign unused = ^{unused_awid, unused_arid, unused_awsize, unused_arsize, unused_awburst,
                    unused_arburst, rx_err, unused_dbg_a, unused_dbg_b, unused_dbg_fsm};
endmodule
