// SPDX-License-Identifier: MIT
// Formal harness of rtl/tlb.sv (bounded model checking, formal/README.md).
// Every input is free in every cycle, constrained only by the contract
// mmu_top keeps (the m_* assumptions); the p_* assertions are checked for
// one symbolic page (f_vpn) and PCID (f_pcid), i.e. for all of them.
// A 2-set 2-way TLB of 3-bit VPNs (1 index bit per level), 2-bit PCIDs.
module tlb_fpv #(
  parameter int SETS       = 2,
  parameter int WAYS       = 2,
  parameter int VPN_BITS   = 3,
  parameter int PPN_BITS   = 2,
  parameter int INDEX_BITS = 1,
  parameter int PCID_W     = 2,
  parameter int KEY_W      = 1,
  localparam int SetW = $clog2(SETS),
  localparam int WayW = (WAYS > 1) ? $clog2(WAYS) : 1,
  localparam int CntW = $clog2(WAYS + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                rd_en_i,
  input  logic [SetW-1:0]     rd_set_i,
  input  logic [VPN_BITS-1:0] lk_vpn_i,
  input  logic [PCID_W-1:0]   lk_pcid_i,
  input  logic                touch_i,
  input  logic                drop_i,
  input  logic [WAYS-1:0]     drop_ways_i,
  input  logic                fill_i,
  input  logic [VPN_BITS-1:0] fill_vpn_i,
  input  logic [PCID_W-1:0]   fill_pcid_i,
  input  logic [PPN_BITS-1:0] fill_ppn_i,
  input  logic [1:0]          fill_level_i,
  input  logic                fill_global_i,
  input  logic                fill_rw_i,
  input  logic                fill_us_i,
  input  logic                fill_xd_i,
  input  logic                fill_dirty_i,
  input  logic [KEY_W-1:0]    fill_key_i,
  input  logic                flush_i,
  input  logic [1:0]          flush_kind_i,
  input  logic [VPN_BITS-1:0] flush_vpn_i,
  input  logic [PCID_W-1:0]   flush_pcid_i,
  input  logic                flush_global_i
);
  // Flush kinds (rtl/tlb.sv, produced by mmu_csr).
  localparam logic [1:0] FlushAll  = 2'd0;
  localparam logic [1:0] FlushPcid = 2'd2;
  localparam logic [1:0] FlushPage = 2'd3;

  logic [WAYS-1:0]     lk_match;
  logic                lk_hit, lk_rw, lk_us, lk_xd, lk_dirty, flush_busy;
  logic [WayW-1:0]     lk_way;
  logic [PPN_BITS-1:0] lk_ppn;
  logic [1:0]          lk_level;
  logic [CntW-1:0]     flush_cnt;
  logic [KEY_W-1:0]    lk_key, dbg_key;
  logic                dbg_valid;
  logic [VPN_BITS-1:0] dbg_vpn;
  logic [PCID_W-1:0]   dbg_pcid;
  logic [PPN_BITS-1:0] dbg_ppn;
  logic [1:0]          dbg_level;
  logic [4:0]          dbg_flags;

  tlb #(
    .SETS(SETS), .WAYS(WAYS), .VPN_BITS(VPN_BITS), .PPN_BITS(PPN_BITS),
    .INDEX_BITS(INDEX_BITS), .PCID_W(PCID_W), .KEY_W(KEY_W)
  ) dut (
    .clk_i, .rst_ni, .rd_en_i, .rd_set_i, .lk_vpn_i, .lk_pcid_i,
    .lk_match_o(lk_match), .lk_hit_o(lk_hit), .lk_way_o(lk_way), .lk_ppn_o(lk_ppn),
    .lk_level_o(lk_level), .lk_rw_o(lk_rw), .lk_us_o(lk_us), .lk_xd_o(lk_xd),
    .lk_dirty_o(lk_dirty), .lk_key_o(lk_key),
    // mmu_top touches only a hit, in the lookup's set.
    .upd_set_i(SetW'(lk_vpn_i)), .touch_i(touch_i && lk_hit), .touch_way_i(lk_way), .drop_i, .drop_ways_i,
    .fill_i, .fill_match_i(lk_match), .fill_vpn_i, .fill_pcid_i, .fill_ppn_i,
    .fill_level_i, .fill_global_i, .fill_rw_i, .fill_us_i, .fill_xd_i, .fill_dirty_i,
    .fill_key_i, .flush_i, .flush_kind_i, .flush_vpn_i, .flush_pcid_i, .flush_global_i,
    .flush_busy_o(flush_busy), .flush_cnt_o(flush_cnt),
    // The debug path (state inspection by the glue) is off.
    .dbg_we_i(1'b0), .dbg_way_i('0), .dbg_valid_i(1'b0), .dbg_set_i('0), .dbg_show_i(1'b0),
    .dbg_valid_o(dbg_valid), .dbg_vpn_o(dbg_vpn), .dbg_pcid_o(dbg_pcid), .dbg_ppn_o(dbg_ppn),
    .dbg_level_o(dbg_level), .dbg_flags_o(dbg_flags), .dbg_key_o(dbg_key)
  );

  // ---- the environment: reset in the first cycle only, mmu_top's contract --
  (* anyconst *) logic [VPN_BITS-1:0] f_vpn;
  (* anyconst *) logic [PCID_W-1:0]   f_pcid;

  logic            f_rd_q;      // a set was read in the previous cycle
  logic [SetW-1:0] f_rd_set_q;
  logic            f_lookup;    // stage 1 holds a lookup of lk_vpn_i
  always_ff @(posedge clk_i) begin
    f_rd_q     <= rst_ni && rd_en_i;
    f_rd_set_q <= rd_set_i;
  end
  assign f_lookup = rst_ni && f_rd_q && f_rd_set_q == SetW'(lk_vpn_i);

  always_comb begin
    m_reset_first: assume (rst_ni == !$initstate);
    // One operation at a time; nothing else while a sweep runs.
    m_one_op: assume ($onehot0({rd_en_i || touch_i, fill_i, drop_i, flush_i}));
    m_sweep_alone: assume (!flush_busy || !(rd_en_i || touch_i || fill_i || drop_i || flush_i));
    // A touch or a fill follows the lookup of the same page (the fill's
    // match vector is that lookup's, as mmu_top's match_q).
    m_touch_looked: assume (!touch_i || f_lookup);
    m_fill_looked: assume (!fill_i || (f_lookup && fill_vpn_i == lk_vpn_i && fill_pcid_i == lk_pcid_i));
    m_drop_matches: assume (!drop_i || (f_lookup && (drop_ways_i & ~lk_match) == '0));
    m_fill_level: assume (fill_level_i != 2'd0);
  end

  // ---- ghost state ------------------------------------------------------------
  logic f_is_page, f_page_gone_q;   // INVLPG of f_vpn in f_pcid since its last fill
  logic f_pcid_gone_q, f_glob_q;    // PCID flush of f_pcid; f_vpn may have a global entry
  logic f_all_gone_q;               // reset or flush of everything, no fill since
  logic f_filled_q;                 // f_vpn / f_pcid filled, set untouched since
  logic [PPN_BITS-1:0] f_ppn_q;
  logic fill_mine, fill_my_set;

  assign f_is_page   = flush_i && flush_kind_i == FlushPage && flush_vpn_i == f_vpn &&
                       flush_pcid_i == f_pcid && flush_global_i;
  assign fill_mine   = fill_i && fill_vpn_i == f_vpn;
  assign fill_my_set = fill_i && SetW'(fill_vpn_i) == SetW'(f_vpn);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_page_gone_q <= 1'b0;
      f_pcid_gone_q <= 1'b0;
      f_glob_q      <= 1'b0;
      f_all_gone_q  <= 1'b1;
      f_filled_q    <= 1'b0;
      f_ppn_q       <= '0;
    end else begin
      if (f_is_page) f_page_gone_q <= 1'b1;
      else if (fill_mine) f_page_gone_q <= 1'b0;
      if (flush_i && flush_kind_i == FlushPcid && flush_pcid_i == f_pcid) f_pcid_gone_q <= 1'b1;
      else if (fill_mine) f_pcid_gone_q <= 1'b0;
      if (fill_mine && fill_global_i) f_glob_q <= 1'b1;
      else if (f_is_page || (flush_i && flush_kind_i == FlushAll)) f_glob_q <= 1'b0;
      if (flush_i && flush_kind_i == FlushAll) f_all_gone_q <= 1'b1;
      else if (fill_i) f_all_gone_q <= 1'b0;
      if (fill_mine && fill_pcid_i == f_pcid) begin
        f_filled_q <= 1'b1;
        f_ppn_q    <= fill_ppn_i;
      end else if (fill_my_set || drop_i || flush_i) begin
        f_filled_q <= 1'b0;
      end
    end
  end

  // ---- properties -------------------------------------------------------------
  logic f_look_mine;
  assign f_look_mine = f_lookup && !flush_busy && lk_vpn_i == f_vpn && lk_pcid_i == f_pcid;

  always_comb begin
    if (f_look_mine) begin
      // INVLPG: no hit for the page in the current PCID until it is refilled.
      p_invlpg_no_hit: assert (!(f_page_gone_q && lk_hit));
      // INVPCID single-context / CR3 write: only a global entry may hit.
      p_flush_pcid_no_hit: assert (!(f_pcid_gone_q && !f_glob_q && lk_hit));
      // Reset and a full flush leave nothing to hit until a fill.
      p_flush_all_no_hit: assert (!(f_all_gone_q && lk_hit));
      // A fill is found by the next lookup, with its frame.
      p_fill_then_hit: assert (!f_filled_q || (lk_hit && lk_ppn == f_ppn_q));
    end
  end

  logic unused_outputs;
  assign unused_outputs = ^{lk_way, lk_level, lk_rw, lk_us, lk_xd, lk_dirty, flush_cnt, lk_key,
                            dbg_valid, dbg_vpn, dbg_pcid, dbg_ppn, dbg_level, dbg_flags, dbg_key};
endmodule
