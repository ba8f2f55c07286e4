// SPDX-License-Identifier: MIT
// The board's memory: one 64-bit single-port synchronous RAM with byte
// enables (read data the cycle after a read, held until the next read).
// USE_SPRAM: the iCE40-UP5K's four SB_SPRAM256KA side by side (16 K words
// of 16 bits each: 128 KiB) for synthesis; everywhere else (simulation,
// boards without SPRAM) ram_1r1w, which Yosys maps to block RAM.
module board_ram #(
  parameter int WORDS     = 16384,
  parameter int USE_SPRAM = 0,
  localparam int AddrW = $clog2(WORDS)
) (
  input  logic             clk_i,
  input  logic             en_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] addr_i,
  input  logic [7:0]       wbe_i,
  input  logic [63:0]      wdata_i,
  output logic [63:0]      rdata_o
);
  localparam int SpramWords = 16384;

  // Simulation always takes the behavioural RAM (the same contents and
  // timing); the post-synthesis simulation checks the primitives.
`ifdef SYNTHESIS
  localparam int Spram = USE_SPRAM;
`else
  localparam int Spram = 0;
`endif

  if (Spram != 0) begin : g_spram
`ifdef SYNTHESIS
    localparam int Sprams = 4;  // 16 bits each: 64-bit words
    for (genvar i = 0; i < Sprams; i++) begin : g_bank
      SB_SPRAM256KA u_spram (
        .ADDRESS   (14'(addr_i)),
        .DATAIN    (wdata_i[16*i +: 16]),
        // One mask bit per nibble: two per byte lane.
        .MASKWREN  ({wbe_i[2*i+1], wbe_i[2*i+1], wbe_i[2*i], wbe_i[2*i]}),
        .WREN      (we_i),
        .CHIPSELECT(en_i),
        .CLOCK     (clk_i),
        .STANDBY   (1'b0),
        .SLEEP     (1'b0),
        .POWEROFF  (1'b1),  // active low: powered
        .DATAOUT   (rdata_o[16*i +: 16])
      );
    end
`endif
  end else begin : g_bram
    ram_1r1w #(.WIDTH(64), .DEPTH(WORDS), .LANES(8)) u_ram (
      .clk_i  (clk_i),
      .re_i   (en_i && !we_i),
      .raddr_i(addr_i),
      .rdata_o(rdata_o),
      .we_i   (en_i && we_i),
      .waddr_i(addr_i),
      .wbe_i  (wbe_i),
      .wdata_i(wdata_i)
    );
  end

`ifndef SYNTHESIS
  if (USE_SPRAM != 0 && WORDS != SpramWords) begin : g_bad_words
    $error("board_ram: the SPRAM build holds %0d words, not %0d", SpramWords, WORDS);
  end
`endif
endmodule
