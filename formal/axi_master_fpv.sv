// SPDX-License-Identifier: MIT
// Formal harness of rtl/axi_master.sv (formal/README.md).  The slave is
// free within the AXI4 rules a slave keeps (R beats only for an accepted
// AR, RLAST on the last, B only after AW and the last W, ID 0); the cache
// side issues one read and one write at a time, line aligned, and serves
// the write data of a symbolic line (word k of f_line).  A 4-word line of
// 8-byte words (LINE = 32), 8-bit physical addresses.
module axi_master_fpv #(
  parameter int PA_BITS = 8,
  parameter int LINE    = 32,
  localparam int WordBytes = (LINE < 8) ? LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int Words     = LINE / WordBytes,
  localparam int WiW       = (Words > 1) ? $clog2(Words) : 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                rd_i,
  input  logic [PA_BITS-1:0]  rd_addr_i,
  input  logic                wr_i,
  input  logic [PA_BITS-1:0]  wr_addr_i,
  input  logic                m_axi_awready_i,
  input  logic                m_axi_wready_i,
  input  logic                m_axi_bvalid_i,
  input  logic [1:0]          m_axi_bresp_i,
  input  logic                m_axi_arready_i,
  input  logic                m_axi_rvalid_i,
  input  logic [WordBits-1:0] m_axi_rdata_i,
  input  logic [1:0]          m_axi_rresp_i,
  input  logic                m_axi_rlast_i
);
  logic                 rd_beat, rd_done, rd_err, wr_done, wr_err;
  logic [WiW-1:0]       rd_idx, wr_idx;
  logic [WordBits-1:0]  rd_data, wr_data;
  logic                 awvalid, awid, wvalid, wlast, bready, arvalid, arid, rready;
  logic [63:0]          awaddr, araddr;
  logic [7:0]           awlen, arlen;
  logic [2:0]           awsize, arsize;
  logic [1:0]           awburst, arburst;
  logic [WordBits-1:0]  wdata;
  logic [WordBytes-1:0] wstrb;

  axi_master #(.PA_BITS(PA_BITS), .LINE(LINE)) dut (
    .clk_i, .rst_ni, .rd_i, .rd_addr_i, .rd_beat_o(rd_beat), .rd_idx_o(rd_idx),
    .rd_data_o(rd_data), .rd_done_o(rd_done), .rd_err_o(rd_err), .wr_i, .wr_addr_i,
    .wr_idx_o(wr_idx), .wr_data_i(wr_data), .wr_done_o(wr_done), .wr_err_o(wr_err),
    .m_axi_awvalid_o(awvalid), .m_axi_awready_i, .m_axi_awaddr_o(awaddr),
    .m_axi_awlen_o(awlen), .m_axi_awsize_o(awsize), .m_axi_awburst_o(awburst),
    .m_axi_awid_o(awid), .m_axi_wvalid_o(wvalid), .m_axi_wready_i, .m_axi_wdata_o(wdata),
    .m_axi_wstrb_o(wstrb), .m_axi_wlast_o(wlast), .m_axi_bvalid_i, .m_axi_bready_o(bready),
    .m_axi_bresp_i, .m_axi_bid_i(1'b0), .m_axi_arvalid_o(arvalid), .m_axi_arready_i,
    .m_axi_araddr_o(araddr), .m_axi_arlen_o(arlen), .m_axi_arsize_o(arsize),
    .m_axi_arburst_o(arburst), .m_axi_arid_o(arid), .m_axi_rvalid_i,
    .m_axi_rready_o(rready), .m_axi_rdata_i, .m_axi_rresp_i, .m_axi_rlast_i,
    .m_axi_rid_i(1'b0)
  );

  // ---- bookkeeping of both sides ---------------------------------------------------
  (* anyconst *) logic [Words*WordBits-1:0] f_line;  // the line being written back
  assign wr_data = f_line[32'(wr_idx)*WordBits +: WordBits];

  logic         ar_hs, r_hs, aw_hs, w_hs, b_hs;
  assign ar_hs = arvalid && m_axi_arready_i;
  assign r_hs  = rready && m_axi_rvalid_i;
  assign aw_hs = awvalid && m_axi_awready_i;
  assign w_hs  = wvalid && m_axi_wready_i;
  assign b_hs  = bready && m_axi_bvalid_i;

  logic       f_rd_busy_q, f_wr_busy_q;  // a transfer the cache asked for is open
  logic       f_ar_done_q, f_aw_done_q;  // its address was accepted
  logic [8:0] f_rbeats_q, f_wbeats_q;    // data beats so far
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_rd_busy_q <= 1'b0;
      f_wr_busy_q <= 1'b0;
      f_ar_done_q <= 1'b0;
      f_aw_done_q <= 1'b0;
      f_rbeats_q  <= '0;
      f_wbeats_q  <= '0;
    end else begin
      if (rd_i) begin
        f_rd_busy_q <= 1'b1;
        f_ar_done_q <= 1'b0;
        f_rbeats_q  <= '0;
      end else begin
        if (ar_hs) f_ar_done_q <= 1'b1;
        if (r_hs) f_rbeats_q <= f_rbeats_q + 9'd1;
        if (rd_done) f_rd_busy_q <= 1'b0;
      end
      if (wr_i) begin
        f_wr_busy_q <= 1'b1;
        f_aw_done_q <= 1'b0;
        f_wbeats_q  <= '0;
      end else begin
        if (aw_hs) f_aw_done_q <= 1'b1;
        if (w_hs) f_wbeats_q <= f_wbeats_q + 9'd1;
        if (wr_done) f_wr_busy_q <= 1'b0;
      end
    end
  end

  // ---- environment ------------------------------------------------------------------
  always_comb begin
    m_reset_first: assume (rst_ni == !$initstate);
    m_one_read: assume (!rd_i || !f_rd_busy_q);
    m_one_write: assume (!wr_i || !f_wr_busy_q);
    m_aligned: assume ((rd_addr_i & PA_BITS'(LINE - 1)) == '0 && (wr_addr_i & PA_BITS'(LINE - 1)) == '0);
    // The slave: R beats for an accepted AR only, RLAST on the last one.
    m_r_after_ar: assume (!m_axi_rvalid_i || ((f_ar_done_q || ar_hs) && 32'(f_rbeats_q) < Words));
    m_rlast: assume (m_axi_rlast_i == (32'(f_rbeats_q) == Words - 1));
    // B only once AW and every W beat were accepted, once per burst.
    m_b_after_w: assume (!m_axi_bvalid_i || (f_wr_busy_q && f_aw_done_q && 32'(f_wbeats_q) == Words));
  end

  // ---- properties -------------------------------------------------------------------
  logic        f_past_q;     // not the first cycle out of reset
  logic        f_ar_wait_q, f_aw_wait_q, f_w_wait_q;
  logic [63:0] f_araddr_q, f_awaddr_q;
  logic [WordBits-1:0] f_wdata_q;
  logic        f_wlast_q;
  always_ff @(posedge clk_i) begin
    f_past_q    <= rst_ni;
    f_ar_wait_q <= rst_ni && arvalid && !m_axi_arready_i;
    f_aw_wait_q <= rst_ni && awvalid && !m_axi_awready_i;
    f_w_wait_q  <= rst_ni && wvalid && !m_axi_wready_i;
    f_araddr_q  <= araddr;
    f_awaddr_q  <= awaddr;
    f_wdata_q   <= wdata;
    f_wlast_q   <= wlast;
  end

  always_comb begin
    if (rst_ni && f_past_q) begin
      // VALID is held until READY, and the payload does not change meanwhile.
      p_ar_held: assert (!f_ar_wait_q || (arvalid && araddr == f_araddr_q));
      p_aw_held: assert (!f_aw_wait_q || (awvalid && awaddr == f_awaddr_q));
      p_w_held: assert (!f_w_wait_q || (wvalid && wdata == f_wdata_q && wlast == f_wlast_q));
    end
    if (rst_ni) begin
      // One INCR burst of a whole line per transfer, full-width beats, ID 0,
      // the line's address.
      p_burst_shape: assert ((!arvalid || (arlen == 8'(Words - 1) && arsize == 3'($clog2(WordBytes)) &&
                                          arburst == 2'b01 && !arid && araddr[PA_BITS-1:0] % LINE == 0)) &&
                             (!awvalid || (awlen == 8'(Words - 1) && awsize == 3'($clog2(WordBytes)) &&
                                          awburst == 2'b01 && !awid && awaddr[PA_BITS-1:0] % LINE == 0)));
      // Exactly Words W beats per burst, WLAST on the last only, each beat
      // the line's next word with every strobe; the burst ends with its B.
      p_w_beats: assert (!wvalid || (f_wr_busy_q && 32'(f_wbeats_q) < Words &&
                                    wlast == (32'(f_wbeats_q) == Words - 1) &&
                                    wdata == f_line[32'(f_wbeats_q)*WordBits +: WordBits] && wstrb == '1));
      // Reads: the cache sees beat k as word k, and the transfer completes
      // once, with its last beat; R is accepted only for an open read.
      p_r_beats: assert ((!rd_beat || (f_rd_busy_q && rd_idx == WiW'(f_rbeats_q))) &&
                         (!rd_done || (rd_beat && 32'(f_rbeats_q) == Words - 1)) &&
                         (!rready || f_rd_busy_q));
      // The write completes once, on its B, after AW and every W beat.
      p_wr_done: assert (!wr_done || (b_hs && f_wr_busy_q && f_aw_done_q && 32'(f_wbeats_q) == Words));
    end
  end

  logic unused;
  assign unused = ^{rd_data, rd_err, wr_err};
endmodule
