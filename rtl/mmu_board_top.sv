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
`include "mmu_bundle.svh"

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
  localparam int NCnt  = `MMU_B_NCNT;
  localparam int Words = MEM_BYTES / 8;
  localparam int WordW = $clog2(Words);
  localparam int PcidW = `CR3_PCID_BITS;

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

  // ---- the MMU (mmu_bundled: its bundles unpacked here for the link) -------------
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
  logic [`MMU_B_RSP_W-1:0] rsp;
  logic [`MMU_B_AD_W-1:0]  ad;
  logic [`MMU_B_REGS_W-1:0] regs;
  logic [`MMU_B_AX_W-1:0]  aw, ar;
  logic [`MMU_B_W_W-1:0]   w;

  assign sys_rst_n = rst_ni && !mmu_rst;
  assign {rsp_status, rsp_rdata, rsp_pa, rsp_ec, rsp_tlb_hit, rsp_walked, rsp_l1_hit,
          rsp_walk_reads, rsp_psc_level, rsp_page_level} = rsp;
  assign {ad_valid, ad_pa, ad_value} = ad;
  assign {cr0, cr2, cr3, cr4, efer, ac, pkru} = regs;
  assign {awaddr, awlen, unused_awsize, unused_awburst, unused_awid} = aw;
  assign {araddr, arlen, unused_arsize, unused_arburst, unused_arid} = ar;
  assign {wdata, wstrb, wlast} = w;

  mmu_bundled #(.CNT_W(CNT_W)) u_mmu (
    .clk_i      (clk_i),
    .rst_ni     (sys_rst_n),
    .req_valid_i(req_valid),
    .req_ready_o(req_ready),
    .req_i      ({req_va, req_op, req_size, req_user, req_phys, req_wdata}),
    .rsp_valid_o(rsp_valid),
    .rsp_o      (rsp),
    .ad_o       (ad),
    .ctl_valid_i(ctl_valid),
    .ctl_ready_o(ctl_ready),
    .ctl_i      ({ctl_op, ctl_value, ctl_addr, ctl_type, ctl_pcid}),
    .ctl_done_o (ctl_done),
    .ctl_gp_o   (ctl_gp),
    .regs_o     (regs),
    .cnt_o      (cnt),
    .awvalid_o  (awvalid),
    .awready_i  (awready),
    .aw_o       (aw),
    .wvalid_o   (wvalid),
    .wready_i   (wready),
    .w_o        (w),
    .bvalid_i   (bvalid),
    .bready_o   (bready),
    .b_i        ({bresp, 1'b0}),
    .arvalid_o  (arvalid),
    .arready_i  (arready),
    .ar_o       (ar),
    .rvalid_i   (rvalid),
    .rready_o   (rready),
    .r_i        ({rdata, rresp, rlast, 1'b0})
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
                    unused_arburst, rx_err};
endmodule
