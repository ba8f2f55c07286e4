// SPDX-License-Identifier: MIT
// The board's physical memory behind the MMU's AXI4 port: an AXI4 slave
// (INCR bursts of 64-bit beats, one burst at a time, reads first) over
// board_ram.  A burst that reaches past MEM_BYTES answers DECERR (reads
// return zeros, writes change nothing), as the C DRAM model does.
// The debug port (dbg_*) reaches the RAM directly for the UART link's
// memory peek and clear; the link uses it only while the MMU is idle, and
// it takes the RAM whenever dbg_en_i is high.
`include "mmu_assert.svh"

module board_mem #(
  parameter int MEM_BYTES = 131072,
  parameter int USE_SPRAM = 0,
  localparam int Words = MEM_BYTES / 8,
  localparam int WordW = $clog2(Words)
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             s_axi_awvalid_i,
  output logic             s_axi_awready_o,
  input  logic [63:0]      s_axi_awaddr_i,
  input  logic [7:0]       s_axi_awlen_i,
  input  logic             s_axi_wvalid_i,
  output logic             s_axi_wready_o,
  input  logic [63:0]      s_axi_wdata_i,
  input  logic [7:0]       s_axi_wstrb_i,
  input  logic             s_axi_wlast_i,
  output logic             s_axi_bvalid_o,
  input  logic             s_axi_bready_i,
  output logic [1:0]       s_axi_bresp_o,
  input  logic             s_axi_arvalid_i,
  output logic             s_axi_arready_o,
  input  logic [63:0]      s_axi_araddr_i,
  input  logic [7:0]       s_axi_arlen_i,
  output logic             s_axi_rvalid_o,
  input  logic             s_axi_rready_i,
  output logic [63:0]      s_axi_rdata_o,
  output logic [1:0]       s_axi_rresp_o,
  output logic             s_axi_rlast_o,

  input  logic             dbg_en_i,
  input  logic             dbg_we_i,
  input  logic [WordW-1:0] dbg_addr_i,
  input  logic [63:0]      dbg_wdata_i,
  output logic [63:0]      dbg_rdata_o,
  output logic             busy_o
);
  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespDecerr = 2'b11;
  localparam int         BeatShift  = 3;

  typedef enum logic [2:0] {SIdle, SRdAddr, SRdData, SWrData, SWrResp} state_e;
  state_e          state_q;
  logic [WordW-1:0] addr_q;
  logic [7:0]      left_q;   // beats after the current one
  logic            decerr_q;

  logic             ram_en, ram_we;
  logic [WordW-1:0] ram_addr;
  logic [7:0]       ram_wbe;
  logic [63:0]      ram_wdata, ram_rdata;

  // Past memory: address bits above it, or a burst running off its end.
  function automatic logic out_of_range(input logic [63:0] addr, input logic [7:0] len);
    out_of_range = (addr >> (WordW + BeatShift)) != '0 ||
                   (WordW + 1)'(addr[BeatShift +: WordW]) + (WordW + 1)'(len) >= (WordW + 1)'(Words);
  endfunction

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q  <= SIdle;
      addr_q   <= '0;
      left_q   <= '0;
      decerr_q <= 1'b0;
    end else begin
      unique case (state_q)
        SIdle: begin
          if (s_axi_arvalid_i) begin
            state_q  <= SRdAddr;
            addr_q   <= WordW'(s_axi_araddr_i >> BeatShift);
            left_q   <= s_axi_arlen_i;
            decerr_q <= out_of_range(s_axi_araddr_i, s_axi_arlen_i);
          end else if (s_axi_awvalid_i) begin
            state_q  <= SWrData;
            addr_q   <= WordW'(s_axi_awaddr_i >> BeatShift);
            left_q   <= s_axi_awlen_i;
            decerr_q <= out_of_range(s_axi_awaddr_i, s_axi_awlen_i);
          end
        end
        SRdAddr: state_q <= SRdData;  // the RAM reads the beat
        SRdData: begin
          if (s_axi_rready_i) begin
            addr_q  <= addr_q + 1'b1;
            left_q  <= left_q - 1'b1;
            state_q <= (left_q == '0) ? SIdle : SRdAddr;
          end
        end
        SWrData: begin
          if (s_axi_wvalid_i) begin
            addr_q <= addr_q + 1'b1;
            left_q <= left_q - 1'b1;
            if (s_axi_wlast_i) state_q <= SWrResp;
          end
        end
        SWrResp: begin
          if (s_axi_bready_i) state_q <= SIdle;
        end
        default: state_q <= SIdle;
      endcase
    end
  end

  assign s_axi_arready_o = state_q == SIdle;
  assign s_axi_awready_o = state_q == SIdle && !s_axi_arvalid_i;
  assign s_axi_rvalid_o  = state_q == SRdData;
  assign s_axi_rdata_o   = decerr_q ? '0 : ram_rdata;
  assign s_axi_rresp_o   = decerr_q ? RespDecerr : RespOkay;
  assign s_axi_rlast_o   = left_q == '0;
  assign s_axi_wready_o  = state_q == SWrData;
  assign s_axi_bvalid_o  = state_q == SWrResp;
  assign s_axi_bresp_o   = decerr_q ? RespDecerr : RespOkay;
  assign busy_o          = state_q != SIdle;

  // ---- the RAM: the debug port, else the burst in progress ------------------
  always_comb begin
    if (dbg_en_i) begin
      ram_en    = 1'b1;
      ram_we    = dbg_we_i;
      ram_addr  = dbg_addr_i;
      ram_wbe   = '1;
      ram_wdata = dbg_wdata_i;
    end else begin
      ram_en    = (state_q == SRdAddr || (state_q == SWrData && s_axi_wvalid_i)) && !decerr_q;
      ram_we    = state_q == SWrData;
      ram_addr  = addr_q;
      ram_wbe   = s_axi_wstrb_i;
      ram_wdata = s_axi_wdata_i;
    end
  end

  board_ram #(.WORDS(Words), .USE_SPRAM(USE_SPRAM)) u_ram (
    .clk_i  (clk_i),
    .en_i   (ram_en),
    .we_i   (ram_we),
    .addr_i (ram_addr),
    .wbe_i  (ram_wbe),
    .wdata_i(ram_wdata),
    .rdata_o(ram_rdata)
  );
  assign dbg_rdata_o = ram_rdata;

  `MMU_ASSERT_IF(a_dbg_idle, dbg_en_i, state_q == SIdle, "debug access during an AXI burst")
  `MMU_ASSERT_IF(a_wlast, state_q == SWrData && s_axi_wvalid_i, s_axi_wlast_i == (left_q == '0),
                 "WLAST not on the burst's last beat")
endmodule
