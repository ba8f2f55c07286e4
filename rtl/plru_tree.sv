// SPDX-License-Identifier: MIT
// Tree pseudo-LRU of one set, the layout of sw/golden/plru.h: WAYS-1 bits,
// node 0 is the root, node n has children 2n+1 (lower ways) and 2n+2; a bit
// of 1 sends the victim search right.  Touching a way points every node on
// its path away from it.
module plru_tree #(
  parameter int WAYS = 4,
  localparam int Bits = (WAYS > 1) ? WAYS - 1 : 1,
  localparam int WayW = (WAYS > 1) ? $clog2(WAYS) : 1
) (
  input  logic [Bits-1:0] state_i,
  input  logic [WayW-1:0] touch_way_i,
  output logic [Bits-1:0] touched_o,  // state_i after touching touch_way_i
  output logic [WayW-1:0] victim_o    // the way the tree points at
);
  if (WAYS == 1) begin : g_one
    // A single way has no replacement state.
    logic unused_one;
    assign unused_one = ^{state_i, touch_way_i};
    assign touched_o  = state_i;
    assign victim_o   = '0;
  end else begin : g_tree
    localparam int Depth = $clog2(WAYS);

    // Walk from the root: the victim follows the bits, a touch sets each
    // node on the way's path to point at the other half.
    always_comb begin : b_victim
      int node;
      node     = 0;
      victim_o = '0;
      for (int d = 0; d < Depth; d++) begin
        victim_o[Depth - 1 - d] = state_i[node];
        node = 2 * node + 1 + 32'(state_i[node]);
      end
    end

    always_comb begin : b_touch
      int node;
      node      = 0;
      touched_o = state_i;
      for (int d = 0; d < Depth; d++) begin
        touched_o[node] = ~touch_way_i[Depth - 1 - d];
        node = 2 * node + 1 + 32'(touch_way_i[Depth - 1 - d]);
      end
    end
  end
endmodule
