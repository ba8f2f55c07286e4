// SPDX-License-Identifier: MIT
// axi_mem: a behavioural AXI4 slave memory for testbenches (not for
// synthesis): one read and one write burst at a time, INCR bursts, beats of
// DATA_W bits, write strobes honoured, DECERR at or past MEM_BYTES; words
// never written read as 0, like the golden model's memory.
module axi_mem #(
  parameter int          DATA_W    = 64,
  parameter longint      MEM_BYTES = 64'h400_0000,
  localparam int         StrbW     = DATA_W / 8
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              awvalid_i,
  output logic              awready_o,
  input  logic [63:0]       awaddr_i,
  input  logic [7:0]        awlen_i,
  input  logic              wvalid_i,
  output logic              wready_o,
  input  logic [DATA_W-1:0] wdata_i,
  input  logic [StrbW-1:0]  wstrb_i,
  input  logic              wlast_i,
  output logic              bvalid_o,
  input  logic              bready_i,
  output logic [1:0]        bresp_o,
  input  logic              arvalid_i,
  output logic              arready_o,
  input  logic [63:0]       araddr_i,
  input  logic [7:0]        arlen_i,
  output logic              rvalid_o,
  input  logic              rready_i,
  output logic [DATA_W-1:0] rdata_o,
  output logic [1:0]        rresp_o,
  output logic              rlast_o
);
  localparam logic [1:0] RespOkay = 2'b00, RespDecerr = 2'b11;

  localparam int BeatShift = $clog2(StrbW);
  logic [DATA_W-1:0] mem [longint];  // by beat index (address >> BeatShift)

  function automatic logic [DATA_W-1:0] peek(input logic [63:0] addr);
    longint i = longint'(addr >> BeatShift);
    return mem.exists(i) != 0 ? mem[i] : '0;
  endfunction

  // ---- reads ---------------------------------------------------------------
  logic        rd_busy;
  logic [63:0] rd_addr;
  logic [7:0]  rd_left;

  assign arready_o = !rd_busy;
  assign rvalid_o  = rd_busy;
  assign rlast_o   = rd_busy && rd_left == 0;
  assign rresp_o   = rd_addr >= 64'(MEM_BYTES) ? RespDecerr : RespOkay;
  assign rdata_o   = peek(rd_addr);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rd_busy <= 1'b0;
    end else if (!rd_busy && arvalid_i) begin
      rd_busy <= 1'b1;
      rd_addr <= araddr_i;
      rd_left <= arlen_i;
    end else if (rd_busy && rready_i) begin
      rd_busy <= rd_left != 0;
      rd_addr <= rd_addr + 64'(StrbW);
      rd_left <= rd_left - 8'd1;
    end
  end

  // ---- writes: the address first, then the beats, then the response -------
  logic        wr_busy;
  logic [63:0] wr_addr;
  logic        wr_err;

  assign awready_o = !wr_busy && !bvalid_o;
  assign wready_o  = wr_busy;
  assign bresp_o   = wr_err ? RespDecerr : RespOkay;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_busy  <= 1'b0;
      bvalid_o <= 1'b0;
    end else begin
      if (awvalid_i && awready_o) begin
        wr_busy <= 1'b1;
        wr_addr <= awaddr_i;
        wr_err  <= 1'b0;
      end
      if (wvalid_i && wready_o) begin
        if (wr_addr >= 64'(MEM_BYTES)) begin
          wr_err <= 1'b1;
        end else begin
          logic [DATA_W-1:0] w;
          w = peek(wr_addr);
          for (int b = 0; b < StrbW; b++)
            if (wstrb_i[b]) w[8*b +: 8] = wdata_i[8*b +: 8];
          mem[longint'(wr_addr >> BeatShift)] = w;
        end
        wr_addr <= wr_addr + 64'(StrbW);
        if (wlast_i) begin
          wr_busy  <= 1'b0;
          bvalid_o <= 1'b1;
        end
      end
      if (bvalid_o && bready_i) bvalid_o <= 1'b0;
    end
  end
  // awlen only sizes the burst the master sends; wlast ends it.
  logic unused_awlen;
  assign unused_awlen = ^awlen_i;
endmodule
