// SPDX-License-Identifier: MIT
// Paging-structure caches (docs/semantics.md): for each non-leaf level L
// (2..LEVELS) a fully associative cache of ENTRIES entries, tagged with the
// VPN bits that select entries at levels >= L (vpn >> (L-1)*INDEX_BITS) and
// a PCID, holding the next table's PPN and the rights combined so far.
// Lookup: the deepest level that hits (lowest L), lowest matching slot.
// Fill: overwrite a match, else the lowest invalid slot, else the slot under
// the level's round-robin pointer, which then advances.  Never global.
// Small, so flip-flops; absent (no state) when ENTRIES = 0 or LEVELS = 1.
`include "mmu_assert.svh"

module psc #(
  parameter int LEVELS     = 4,
  parameter int ENTRIES    = 4,
  parameter int VPN_BITS   = 36,
  parameter int INDEX_BITS = 9,
  parameter int PPN_BITS   = 34,
  parameter int PCID_W     = 12
) (
  input  logic                clk_i,
  input  logic                rst_ni,

  input  logic                lk_en_i,     // a lookup, fill or tag flush this cycle
  input  logic [VPN_BITS-1:0] lk_vpn_i,
  input  logic [PCID_W-1:0]   lk_pcid_i,
  output logic                lk_hit_o,
  output logic [2:0]          lk_level_o,  // L: the walk resumes at L-1
  output logic [PPN_BITS-1:0] lk_next_o,
  output logic                lk_rw_o,
  output logic                lk_us_o,
  output logic                lk_xd_o,

  input  logic                fill_i,      // for lk_vpn_i / lk_pcid_i
  input  logic [2:0]          fill_level_i,
  input  logic [PPN_BITS-1:0] fill_next_i,
  input  logic                fill_rw_i,
  input  logic                fill_us_i,
  input  logic                fill_xd_i,

  input  logic                flush_all_i,
  input  logic                flush_pcid_i,  // every entry of flush_pcid_val_i
  input  logic                flush_tag_i,   // the entries lk_vpn_i / lk_pcid_i would use
  input  logic [PCID_W-1:0]   flush_pcid_val_i
);
  if (ENTRIES == 0 || LEVELS == 1) begin : g_none
    logic unused_none;
    assign unused_none = ^{clk_i, rst_ni, lk_en_i, lk_vpn_i, lk_pcid_i, fill_i, fill_level_i,
                           fill_next_i, fill_rw_i, fill_us_i, fill_xd_i, flush_all_i,
                           flush_pcid_i, flush_tag_i, flush_pcid_val_i};
    assign lk_hit_o   = 1'b0;
    assign lk_level_o = '0;
    assign lk_next_o  = '0;
    assign lk_rw_o    = 1'b0;
    assign lk_us_o    = 1'b0;
    assign lk_xd_o    = 1'b0;
  end else begin : g_psc
    localparam int NL   = LEVELS - 1;  // cached levels 2..LEVELS, index L-2
    localparam int SlotW = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;
    localparam int InfoW = PPN_BITS + 3;  // {next, rw, us, xd}

    logic [NL-1:0]       lvl_hit;
    (* mem2reg *) logic [InfoW-1:0] lvl_info [NL];  // array of wires

    for (genvar li = 0; li < NL; li++) begin : g_lvl
      localparam int Shift = (li + 1) * INDEX_BITS;  // level L = li + 2
      logic [ENTRIES-1:0]  valid_q;
      logic [VPN_BITS-1:0] tag_q  [ENTRIES];
      logic [PCID_W-1:0]   pcid_q [ENTRIES];
      logic [InfoW-1:0]    info_q [ENTRIES];
      logic [SlotW-1:0]    rr_q;
      logic [VPN_BITS-1:0] tag;
      logic [ENTRIES-1:0]  match;
      logic                has_match, has_free, fill_here;
      logic [SlotW-1:0]    match_slot, free_slot, slot;

      assign tag = lk_vpn_i >> Shift;
      // Compared only when someone looks (walk start, fill, #PF flush).
      always_comb begin
        match = '0;
        if (lk_en_i) begin
          for (int e = 0; e < ENTRIES; e++) begin
            match[e] = tag_q[e] == tag && pcid_q[e] == lk_pcid_i;
          end
        end
      end
      lowest_one #(.N(ENTRIES)) u_match (
        .bits_i (match & valid_q),
        .found_o(has_match),
        .idx_o  (match_slot)
      );
      lowest_one #(.N(ENTRIES)) u_free (
        .bits_i (~valid_q),
        .found_o(has_free),
        .idx_o  (free_slot)
      );
      assign slot      = has_match ? match_slot : has_free ? free_slot : rr_q;
      assign fill_here = fill_i && 32'(fill_level_i) == li + 2;

      assign lvl_hit[li]  = has_match;
      assign lvl_info[li] = info_q[match_slot];

      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          valid_q <= '0;
          rr_q    <= '0;
        end else begin
          if (fill_here) begin
            valid_q[slot] <= 1'b1;
            if (!has_match && !has_free) begin
              rr_q <= (32'(rr_q) == ENTRIES - 1) ? '0 : rr_q + 1'b1;
            end
          end
          if (flush_all_i || flush_pcid_i || flush_tag_i) begin
            for (int e = 0; e < ENTRIES; e++) begin
              if (flush_all_i ||
                  (flush_pcid_i && pcid_q[e] == flush_pcid_val_i) ||
                  (flush_tag_i && match[e])) begin
                valid_q[e] <= 1'b0;
              end
            end
          end
        end
      end

      // The payload needs no reset: an entry counts only while valid.
      always_ff @(posedge clk_i) begin
        if (fill_here) begin
          tag_q[slot]  <= tag;
          pcid_q[slot] <= lk_pcid_i;
          info_q[slot] <= {fill_next_i, fill_rw_i, fill_us_i, fill_xd_i};
        end
      end
    end

    // The deepest level that hits wins.
    logic             any_hit;
    logic [((NL > 1) ? $clog2(NL) : 1)-1:0] first;
    lowest_one #(.N(NL)) u_deepest (
      .bits_i (lvl_hit),
      .found_o(any_hit),
      .idx_o  (first)
    );
    logic [InfoW-1:0] info;
    assign info       = lvl_info[first];
    assign lk_hit_o   = any_hit;
    assign lk_level_o = 3'(first) + 3'd2;
    assign lk_next_o  = info[3 +: PPN_BITS];
    assign lk_rw_o    = info[2];
    assign lk_us_o    = info[1];
    assign lk_xd_o    = info[0];

    `MMU_ASSERT_IF(a_one_op, fill_i || flush_all_i || flush_pcid_i || flush_tag_i,
                   $onehot0({fill_i, flush_all_i, flush_pcid_i, flush_tag_i}),
                "PSC filled and flushed in one cycle")
    `MMU_ASSERT_IF(a_lookup_enabled, fill_i || flush_tag_i, lk_en_i,
                "PSC fill or tag flush without a lookup")
    `MMU_ASSERT_IF(a_fill_level, fill_i, fill_level_i >= 3'd2 && 32'(fill_level_i) <= LEVELS,
                "PSC fill of a level that has no cache")
  end
endmodule
