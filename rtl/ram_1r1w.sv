// SPDX-License-Identifier: MIT
// Simple dual-port synchronous RAM: one read port (registered data, held
// while re_i is low) and one write port with per-lane write enables.  Written
// so that Yosys infers block RAM (SB_RAM40_4K on iCE40) and Verilator keeps
// it as an array.  A read and a write of the same address in one cycle
// return the old data; callers that need the new data forward it.
module ram_1r1w #(
  parameter int WIDTH = 8,
  parameter int DEPTH = 16,
  parameter int LANES = 1,
  localparam int AddrW = (DEPTH > 1) ? $clog2(DEPTH) : 1,
  localparam int LaneW = WIDTH / LANES
) (
  input  logic             clk_i,
  input  logic             re_i,
  input  logic [AddrW-1:0] raddr_i,
  output logic [WIDTH-1:0] rdata_o,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [LANES-1:0] wbe_i,
  input  logic [WIDTH-1:0] wdata_i
);
  // No caller relies on what a read returns while the same word is written
  // in that cycle (the L1 forwards stored bytes itself; fills and reads never
  // overlap), so synthesis needs no collision logic around the block RAM.
  // ram_style: block RAM even when small (Yosys would otherwise build a few
  // entries from flip-flops, which costs an iCE40 far more logic cells).
  (* no_rw_check, ram_style = "block" *)
  logic [WIDTH-1:0] mem_q [0:DEPTH-1];
  logic [WIDTH-1:0] rdata_q;

`ifdef VERILATOR
  // Simulation speed: one read-modify-write of the word instead of one
  // write per lane, and written at once after the read in the same process:
  // mem_q has no other reader, so the read still sees the word before the
  // edge, and the simulator keeps no delayed-write record (a flag it would
  // clear and test in every cycle, per instance).  The lane mask is formed
  // only in a cycle that writes (a continuous mask costs every instance
  // every cycle).  The same registers and words as the branch below.
  function automatic logic [WIDTH-1:0] lane_mask(input logic [LANES-1:0] be);
    for (int l = 0; l < LANES; l++) lane_mask[l*LaneW +: LaneW] = {LaneW{be[l]}};
  endfunction
  always_ff @(posedge clk_i) begin
    if (re_i) rdata_q <= mem_q[raddr_i];
    // verilator lint_off BLKSEQ
    if (we_i) mem_q[waddr_i] = mem_q[waddr_i] ^ ((mem_q[waddr_i] ^ wdata_i) & lane_mask(wbe_i));
    // verilator lint_on BLKSEQ
  end
`else
  always_ff @(posedge clk_i) begin
    if (re_i) begin
      rdata_q <= mem_q[raddr_i];
    end
  end

  // Synthesis: per-lane write enables, which block RAMs map to bit masks.
  always_ff @(posedge clk_i) begin
    if (we_i) begin
      for (int l = 0; l < LANES; l++) begin
        if (wbe_i[l]) mem_q[waddr_i][l*LaneW +: LaneW] <= wdata_i[l*LaneW +: LaneW];
      end
    end
  end
`endif

  assign rdata_o = rdata_q;

`ifndef SYNTHESIS
  if (WIDTH % LANES != 0) begin : g_bad_lanes
    $error("ram_1r1w: WIDTH (%0d) must be a multiple of LANES (%0d)", WIDTH, LANES);
  end
  // With a power-of-two depth every address is in range.
  if ((DEPTH & (DEPTH - 1)) != 0) begin : g_addr_check
    always_ff @(posedge clk_i) begin : a_addr_in_range
      if (re_i && 32'(raddr_i) >= DEPTH) $error("%m: read address out of range");
      if (we_i && 32'(waddr_i) >= DEPTH) $error("%m: write address out of range");
    end
  end
`endif
endmodule
