// SPDX-License-Identifier: MIT
// AXI4 master for line transfers: one INCR burst of WORDS beats per line
// fill (read) or write-back (write), AxSIZE = the data width, ID 0, at most
// one read and one write in flight (the cache issues one at a time).  All
// AXI outputs are registered or derived from registers and the line buffer,
// so they stay stable while valid && !ready.  A response other than OKAY
// is reported as an error with the transfer's completion.
`include "mmu_assert.svh"

module axi_master #(
  parameter int PA_BITS = 46,
  parameter int LINE    = 64,
  localparam int WordBytes = (LINE < 8) ? LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int Words     = LINE / WordBytes,
  localparam int WiW       = (Words > 1) ? $clog2(Words) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // Cache side.
  input  logic                 rd_i,
  input  logic [PA_BITS-1:0]   rd_addr_i,
  output logic                 rd_beat_o,
  output logic [WiW-1:0]       rd_idx_o,
  output logic [WordBits-1:0]  rd_data_o,
  output logic                 rd_done_o,
  output logic                 rd_err_o,
  input  logic                 wr_i,
  input  logic [PA_BITS-1:0]   wr_addr_i,
  output logic [WiW-1:0]       wr_idx_o,
  input  logic [WordBits-1:0]  wr_data_i,
  output logic                 wr_done_o,
  output logic                 wr_err_o,

  // AXI4.
  output logic                 m_axi_awvalid_o,
  input  logic                 m_axi_awready_i,
  output logic [63:0]          m_axi_awaddr_o,
  output logic [7:0]           m_axi_awlen_o,
  output logic [2:0]           m_axi_awsize_o,
  output logic [1:0]           m_axi_awburst_o,
  output logic                 m_axi_awid_o,
  output logic                 m_axi_wvalid_o,
  input  logic                 m_axi_wready_i,
  output logic [WordBits-1:0]  m_axi_wdata_o,
  output logic [WordBytes-1:0] m_axi_wstrb_o,
  output logic                 m_axi_wlast_o,
  input  logic                 m_axi_bvalid_i,
  output logic                 m_axi_bready_o,
  input  logic [1:0]           m_axi_bresp_i,
  input  logic                 m_axi_bid_i,
  output logic                 m_axi_arvalid_o,
  input  logic                 m_axi_arready_i,
  output logic [63:0]          m_axi_araddr_o,
  output logic [7:0]           m_axi_arlen_o,
  output logic [2:0]           m_axi_arsize_o,
  output logic [1:0]           m_axi_arburst_o,
  output logic                 m_axi_arid_o,
  input  logic                 m_axi_rvalid_i,
  output logic                 m_axi_rready_o,
  input  logic [WordBits-1:0]  m_axi_rdata_i,
  input  logic [1:0]           m_axi_rresp_i,
  input  logic                 m_axi_rlast_i,
  input  logic                 m_axi_rid_i
);
  localparam logic [1:0] BurstIncr = 2'b01;
  localparam logic [1:0] RespOkay  = 2'b00;
  localparam logic [7:0] BurstLen  = 8'(Words - 1);
  localparam logic [2:0] BeatSize  = 3'($clog2(WordBytes));

  // ---- read channel -------------------------------------------------------
  logic               ar_q, r_q, rerr_q;
  logic [63:0]        araddr_q;
  logic [WiW-1:0]     ridx_q;
  logic               r_hs, r_last_beat;

  assign r_hs        = r_q && m_axi_rvalid_i;
  assign r_last_beat = 32'(ridx_q) == Words - 1;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ar_q     <= 1'b0;
      r_q      <= 1'b0;
      rerr_q   <= 1'b0;
      araddr_q <= '0;
      ridx_q   <= '0;
    end else begin
      if (rd_i) begin
        ar_q     <= 1'b1;
        r_q      <= 1'b1;
        rerr_q   <= 1'b0;
        araddr_q <= 64'(rd_addr_i);
        ridx_q   <= '0;
      end else begin
        if (ar_q && m_axi_arready_i) ar_q <= 1'b0;
        if (r_hs) begin
          ridx_q <= ridx_q + 1'b1;
          if (m_axi_rresp_i != RespOkay) rerr_q <= 1'b1;
          if (r_last_beat) r_q <= 1'b0;
        end
      end
    end
  end

  assign m_axi_arvalid_o = ar_q;
  assign m_axi_araddr_o  = araddr_q;
  assign m_axi_arlen_o   = BurstLen;
  assign m_axi_arsize_o  = BeatSize;
  assign m_axi_arburst_o = BurstIncr;
  assign m_axi_arid_o    = 1'b0;
  assign m_axi_rready_o  = r_q;
  assign rd_beat_o       = r_hs;
  assign rd_idx_o        = ridx_q;
  assign rd_data_o       = m_axi_rdata_i;
  assign rd_done_o       = r_hs && r_last_beat;
  assign rd_err_o        = rerr_q || m_axi_rresp_i != RespOkay;

  // ---- write channels -------------------------------------------------------
  logic               aw_q, w_q, b_q;
  logic [63:0]        awaddr_q;
  logic [WiW-1:0]     widx_q;
  logic               w_hs, w_last_beat, b_hs;

  assign w_hs        = w_q && m_axi_wready_i;
  assign w_last_beat = 32'(widx_q) == Words - 1;
  assign b_hs        = b_q && !aw_q && !w_q && m_axi_bvalid_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      aw_q     <= 1'b0;
      w_q      <= 1'b0;
      b_q      <= 1'b0;
      awaddr_q <= '0;
      widx_q   <= '0;
    end else begin
      if (wr_i) begin
        aw_q     <= 1'b1;
        w_q      <= 1'b1;
        b_q      <= 1'b1;
        awaddr_q <= 64'(wr_addr_i);
        widx_q   <= '0;
      end else begin
        if (aw_q && m_axi_awready_i) aw_q <= 1'b0;
        if (w_hs) begin
          widx_q <= widx_q + 1'b1;
          if (w_last_beat) w_q <= 1'b0;
        end
        if (b_hs) b_q <= 1'b0;
      end
    end
  end

  assign m_axi_awvalid_o = aw_q;
  assign m_axi_awaddr_o  = awaddr_q;
  assign m_axi_awlen_o   = BurstLen;
  assign m_axi_awsize_o  = BeatSize;
  assign m_axi_awburst_o = BurstIncr;
  assign m_axi_awid_o    = 1'b0;
  assign m_axi_wvalid_o  = w_q;
  assign m_axi_wdata_o   = wr_data_i;
  assign m_axi_wstrb_o   = '1;
  assign m_axi_wlast_o   = w_last_beat;
  assign m_axi_bready_o  = b_q && !aw_q && !w_q;
  assign wr_idx_o        = widx_q;
  assign wr_done_o       = b_hs;
  assign wr_err_o        = m_axi_bresp_i != RespOkay;

  // ---- invariants ------------------------------------------------------------
  `MMU_ASSERT_IF(a_one_read, rd_i, !(ar_q || r_q), "second line read while one is in flight")
  `MMU_ASSERT_IF(a_one_write, wr_i, !(aw_q || w_q || b_q), "second line write while one is in flight")
  `MMU_ASSERT_IF(a_rlast, r_hs, m_axi_rlast_i == r_last_beat, "RLAST does not mark the last beat")
  `MMU_ASSERT_IF(a_rid, r_hs, !m_axi_rid_i, "R beat with an unknown ID")
  `MMU_ASSERT_IF(a_bid, b_hs, !m_axi_bid_i, "B response with an unknown ID")
  `MMU_ASSERT_IF(a_line_aligned, rd_i || wr_i,
              ((rd_i ? rd_addr_i : wr_addr_i) & PA_BITS'(32'(LINE - 1))) == '0,
              "line transfer address not line aligned")
endmodule
