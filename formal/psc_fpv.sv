// SPDX-License-Identifier: MIT
// Formal harness of rtl/psc.sv (formal/README.md): free inputs under the
// contract of ptw / mmu_top (m_*), properties (p_*) for one symbolic VPN and
// PCID.  Three levels of 2 index bits (two cached levels, 2 and 3), 2 entries
// per level, 2-bit PCIDs, 2-bit frames.
module psc_fpv #(
  parameter int LEVELS     = 3,
  parameter int ENTRIES    = 2,
  parameter int VPN_BITS   = 3,
  parameter int INDEX_BITS = 1,
  parameter int PPN_BITS   = 2,
  parameter int PCID_W     = 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                lk_en_i,
  input  logic [VPN_BITS-1:0] lk_vpn_i,
  input  logic [PCID_W-1:0]   lk_pcid_i,
  input  logic                fill_i,
  input  logic [2:0]          fill_level_i,
  input  logic [PPN_BITS-1:0] fill_next_i,
  input  logic                fill_rw_i,
  input  logic                fill_us_i,
  input  logic                fill_xd_i,
  input  logic                flush_all_i,
  input  logic                flush_pcid_i,
  input  logic                flush_tag_i,
  input  logic [PCID_W-1:0]   flush_pcid_val_i
);
  logic                lk_hit, lk_rw, lk_us, lk_xd;
  logic [2:0]          lk_level;
  logic [PPN_BITS-1:0] lk_next;

  psc #(
    .LEVELS(LEVELS), .ENTRIES(ENTRIES), .VPN_BITS(VPN_BITS), .INDEX_BITS(INDEX_BITS),
    .PPN_BITS(PPN_BITS), .PCID_W(PCID_W)
  ) dut (
    .clk_i, .rst_ni, .lk_en_i, .lk_vpn_i, .lk_pcid_i,
    .lk_hit_o(lk_hit), .lk_level_o(lk_level), .lk_next_o(lk_next),
    .lk_rw_o(lk_rw), .lk_us_o(lk_us), .lk_xd_o(lk_xd),
    .fill_i, .fill_level_i, .fill_next_i, .fill_rw_i, .fill_us_i, .fill_xd_i,
    .flush_all_i, .flush_pcid_i, .flush_tag_i, .flush_pcid_val_i
  );

  // ---- environment -------------------------------------------------------------
  (* anyconst *) logic [VPN_BITS-1:0] f_vpn;
  (* anyconst *) logic [PCID_W-1:0]   f_pcid;

  always_comb begin
    m_reset_first: assume (rst_ni == !$initstate);
    m_one_op: assume ($onehot0({fill_i, flush_all_i, flush_pcid_i, flush_tag_i}));
    m_looked: assume (!(fill_i || flush_tag_i) || lk_en_i);
    m_fill_level: assume (!fill_i || (fill_level_i >= 3'd2 && 32'(fill_level_i) <= LEVELS));
  end

  // The tag of a VPN at level L (2..LEVELS): the VPN bits above level L-1.
  function automatic logic [VPN_BITS-1:0] tag_at(input logic [VPN_BITS-1:0] vpn,
                                                 input logic [2:0] level);
    tag_at = '0;
    for (int l = 2; l <= LEVELS; l++) begin
      if (32'(level) == l) tag_at = vpn >> ((l - 1) * INDEX_BITS);
    end
  endfunction

  // ---- ghost state ---------------------------------------------------------------
  logic f_fill_covers, f_fill_mine;
  logic f_tag_gone_q, f_pcid_gone_q, f_all_gone_q, f_filled_q;
  logic [2:0]          f_level_q;
  logic [PPN_BITS+2:0] f_info_q;

  // A fill that f_vpn / f_pcid's lookup could hit.
  assign f_fill_covers = fill_i && lk_pcid_i == f_pcid &&
                         tag_at(lk_vpn_i, fill_level_i) == tag_at(f_vpn, fill_level_i);
  assign f_fill_mine   = fill_i && lk_pcid_i == f_pcid && lk_vpn_i == f_vpn;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_tag_gone_q  <= 1'b0;
      f_pcid_gone_q <= 1'b0;
      f_all_gone_q  <= 1'b1;
      f_filled_q    <= 1'b0;
      f_level_q     <= '0;
      f_info_q      <= '0;
    end else begin
      if (flush_tag_i && lk_vpn_i == f_vpn && lk_pcid_i == f_pcid) f_tag_gone_q <= 1'b1;
      else if (f_fill_covers) f_tag_gone_q <= 1'b0;
      if (flush_pcid_i && flush_pcid_val_i == f_pcid) f_pcid_gone_q <= 1'b1;
      else if (f_fill_covers) f_pcid_gone_q <= 1'b0;
      if (flush_all_i) f_all_gone_q <= 1'b1;
      else if (fill_i) f_all_gone_q <= 1'b0;
      if (f_fill_mine) begin
        f_filled_q <= 1'b1;
        f_level_q  <= fill_level_i;
        f_info_q   <= {fill_next_i, fill_rw_i, fill_us_i, fill_xd_i};
      end else if (fill_i || flush_all_i || flush_pcid_i || flush_tag_i) begin
        f_filled_q <= 1'b0;
      end
    end
  end

  // ---- properties -----------------------------------------------------------------
  logic f_look_mine;
  assign f_look_mine = rst_ni && lk_en_i && lk_vpn_i == f_vpn && lk_pcid_i == f_pcid;

  always_comb begin
    if (f_look_mine) begin
      // A faulting walk's tag flush leaves nothing for that address to hit.
      p_tag_flush_no_hit: assert (!(f_tag_gone_q && lk_hit));
      // INVPCID / CR3 write of a PCID: none of its entries hit.
      p_pcid_flush_no_hit: assert (!(f_pcid_gone_q && lk_hit));
      // Reset and a full flush leave nothing to hit until a fill.
      p_flush_all_no_hit: assert (!(f_all_gone_q && lk_hit));
      // The last fill is found at its level or deeper, with what was filled.
      p_fill_then_hit: assert (!f_filled_q ||
          (lk_hit && lk_level <= f_level_q &&
           (lk_level != f_level_q || {lk_next, lk_rw, lk_us, lk_xd} == f_info_q)));
    end
  end
endmodule
