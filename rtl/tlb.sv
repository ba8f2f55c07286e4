// SPDX-License-Identifier: MIT
// The TLB: SETS x WAYS, indexed by the low VPN bits of the base page, tagged
// with the rest of the VPN, a 12-bit PCID and G (docs/semantics.md, "TLB").
// An entry also holds the leaf's protection key: PKRU and CR4.PKE are
// applied at each lookup, so WRPKRU needs no flush.
//
// Entry fields live in one synchronous RAM per way (block RAM on an FPGA),
// read in the cycle a request is accepted (stage 0) and compared in the next
// (stage 1); valid bits and the tree-PLRU state are flip-flops so that
// lookups see them current and invalidations can clear them.
//
// Replacement on a fill (rule 1 of docs/rtl.md): overwrite the lowest way
// matching (VPN, PCID-or-global), else the lowest invalid way, else the PLRU
// victim; hits and fills touch the PLRU, invalidations do not.
//
// Control invalidations sweep the sets: set s is read in one cycle and its
// matching valid entries dropped in the next, while set s+1 is read.
`include "mmu_assert.svh"
`include "mmu_sim.svh"

module tlb #(
  parameter int SETS       = 16,
  parameter int WAYS       = 4,
  parameter int VPN_BITS   = 36,
  parameter int PPN_BITS   = 34,
  parameter int INDEX_BITS = 9,
  parameter int PCID_W     = 12,
  parameter int KEY_W      = 4,   // protection key of the leaf
  localparam int SetW  = $clog2(SETS),
  localparam int WayW  = (WAYS > 1) ? $clog2(WAYS) : 1,
  localparam int CntW  = $clog2(WAYS + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,

  // Stage 0: read a set.
  input  logic                rd_en_i,
  input  logic [SetW-1:0]     rd_set_i,

  // Stage 1: look up lk_vpn_i (whose set was read in the previous cycle).
  input  logic [VPN_BITS-1:0] lk_vpn_i,
  input  logic [PCID_W-1:0]   lk_pcid_i,
  output logic [WAYS-1:0]     lk_match_o,  // every matching way
  output logic                lk_hit_o,
  output logic [WayW-1:0]     lk_way_o,    // the lowest matching way
  output logic [PPN_BITS-1:0] lk_ppn_o,
  output logic [1:0]          lk_level_o,
  output logic                lk_rw_o,
  output logic                lk_us_o,
  output logic                lk_xd_o,
  output logic                lk_dirty_o,
  output logic [KEY_W-1:0]    lk_key_o,
  // Updates by the access in mmu_top's stage 1, in its set upd_set_i (the
  // lookup's set, unless a registered hit stage looks up the next access).
  input  logic [SetW-1:0]     upd_set_i,
  input  logic                touch_i,     // touch way touch_way_i (a hit)
  input  logic [WayW-1:0]     touch_way_i,
  input  logic                drop_i,      // invalidate drop_ways_i
  input  logic [WAYS-1:0]     drop_ways_i,

  // Fill after a successful walk; fill_match_i is lk_match_o of the lookup
  // that missed (or hit a clean entry) for the same VPN and PCID.
  input  logic                fill_i,
  input  logic [WAYS-1:0]     fill_match_i,
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

  // Invalidation sweep (kinds: tlb_flush_e).
  input  logic                flush_i,
  input  logic [1:0]          flush_kind_i,
  input  logic [VPN_BITS-1:0] flush_vpn_i,
  input  logic [PCID_W-1:0]   flush_pcid_i,
  input  logic                flush_global_i,  // page kind: drop global entries too
  output logic                flush_busy_o,
  output logic [CntW-1:0]     flush_cnt_o,     // entries dropped this cycle

  // Debug path (docs/rtl.md): dbg_we_i writes the fill_* fields into way
  // dbg_way_i of fill_vpn_i's set with valid bit dbg_valid_i (no PLRU
  // change); dbg_* outputs show way dbg_way_i of the set read in the
  // previous cycle (rd_set_i, held in dbg_set_i).
  input  logic                dbg_we_i,
  input  logic [WayW-1:0]     dbg_way_i,
  input  logic                dbg_valid_i,
  input  logic [SetW-1:0]     dbg_set_i,
  input  logic                dbg_show_i,      // the dbg_* outputs are read
  output logic                dbg_valid_o,
  output logic [VPN_BITS-1:0] dbg_vpn_o,
  output logic [PCID_W-1:0]   dbg_pcid_o,
  output logic [PPN_BITS-1:0] dbg_ppn_o,
  output logic [1:0]          dbg_level_o,
  output logic [4:0]          dbg_flags_o,     // {G, R/W, U/S, XD, D}
  output logic [KEY_W-1:0]    dbg_key_o
);
  localparam int TagW  = VPN_BITS - SetW;
  localparam int PlruW = (WAYS > 1) ? WAYS - 1 : 1;
  // Entry layout in the RAM word, from the bottom: the fields every lookup
  // compares (tag, PCID, G) first, so that in the simulated model they sit
  // in the low words of a wide entry instead of straddling word boundaries.
  localparam int OffTag  = 0;
  localparam int OffPcid = OffTag + TagW;
  localparam int OffD    = OffPcid + PCID_W;
  localparam int OffXd   = OffD + 1;
  localparam int OffUs   = OffD + 2;
  localparam int OffRw   = OffD + 3;
  localparam int OffG    = OffD + 4;
  localparam int OffLvl  = OffD + 5;
  localparam int OffKey  = OffLvl + 2;
  localparam int OffPpn  = OffKey + KEY_W;
  localparam int EntW    = OffPpn + PPN_BITS;
  // Flush kinds (mmu_csr produces them).
  localparam logic [1:0] FlushAll       = 2'd0;
  localparam logic [1:0] FlushNonGlobal = 2'd1;
  localparam logic [1:0] FlushPcid      = 2'd2;
  localparam logic [1:0] FlushPage      = 2'd3;
  // VPN bits that name the page of a leaf at level 1, 2, 3.
  localparam logic [63:0] PageMaskL2 = ~((64'd1 << INDEX_BITS) - 64'd1);
  localparam logic [63:0] PageMaskL3 = ~((64'd1 << (2 * INDEX_BITS)) - 64'd1);

  // ---- storage ---------------------------------------------------------
  logic [SETS*WAYS-1:0]  valid_q, valid_d;
  logic [SETS*PlruW-1:0] plru_q, plru_d;
  // The set read in the previous cycle, per way (an array of wires: mem2reg).
  (* mem2reg *) logic [EntW-1:0] rdata [WAYS];

  // Sweep state: sw_rd_* reads a set, sw_ev_* evaluates the set read.
  logic            sw_rd_q, sw_ev_q;
  logic [SetW-1:0] sw_set_q, sw_ev_set_q;
  logic [1:0]      sw_kind_q;
  logic [VPN_BITS-1:0] sw_vpn_q;
  logic [PCID_W-1:0]   sw_pcid_q;
  logic                sw_global_q;

  logic            ram_re;
  logic [SetW-1:0] ram_raddr;
  logic            ram_we;
  logic [WayW-1:0] fill_way;
  logic [SetW-1:0] fill_set;
  logic [EntW-1:0] fill_word;

  assign ram_re    = rd_en_i || sw_rd_q;
  assign ram_raddr = sw_rd_q ? sw_set_q : rd_set_i;
  assign ram_we    = fill_i || dbg_we_i;
  assign fill_set  = SetW'(fill_vpn_i);
  // The entry is written only in a fill's cycle: formed only then (a wide
  // continuous concatenation costs the simulated model every cycle).
  always_comb begin
    fill_word = '0;
    if (`MMU_SIM_GATE(fill_i || dbg_we_i)) begin
      fill_word = {fill_ppn_i, fill_key_i, fill_level_i, fill_global_i, fill_rw_i, fill_us_i,
                   fill_xd_i, fill_dirty_i, fill_pcid_i, TagW'(fill_vpn_i >> SetW)};
    end
  end

  // Way write enables: one decoded bit, formed only when writing (a compare
  // per way would cost the simulated model every cycle).
  logic [WAYS-1:0] way_we;
  always_comb begin
    way_we = '0;
    if (ram_we) way_we[fill_way] = 1'b1;
  end

  for (genvar w = 0; w < WAYS; w++) begin : g_way
    ram_1r1w #(.WIDTH(EntW), .DEPTH(SETS)) u_ram (
      .clk_i  (clk_i),
      .re_i   (ram_re),
      .raddr_i(ram_raddr),
      .rdata_o(rdata[w]),
      .we_i   (way_we[w]),
      .waddr_i(fill_set),
      .wbe_i  (1'b1),
      .wdata_i(fill_word)
    );
  end

  // ---- stage 1 lookup --------------------------------------------------
  logic [SetW-1:0]  lk_set;
  logic [WAYS-1:0]  lk_valid;
  logic [PlruW-1:0] lk_plru_touched;
  logic [WayW-1:0]  unused_lk_victim;

  assign lk_set   = SetW'(lk_vpn_i);
  assign lk_valid = valid_q[lk_set*WAYS +: WAYS];

  always_comb begin
    for (int w = 0; w < WAYS; w++) begin
      lk_match_o[w] = lk_valid[w] &&
          rdata[w][OffTag +: TagW] == TagW'(lk_vpn_i >> SetW) &&
          (rdata[w][OffG] || rdata[w][OffPcid +: PCID_W] == lk_pcid_i);
    end
  end

  lowest_one #(.N(WAYS)) u_lk_first (
    .bits_i (lk_match_o),
    .found_o(lk_hit_o),
    .idx_o  (lk_way_o)
  );

  logic [EntW-1:0] lk_ent;
  assign lk_ent     = rdata[lk_way_o];
  assign lk_ppn_o   = lk_ent[OffPpn +: PPN_BITS];
  assign lk_level_o = lk_ent[OffLvl +: 2];
  assign lk_rw_o    = lk_ent[OffRw];
  assign lk_us_o    = lk_ent[OffUs];
  assign lk_xd_o    = lk_ent[OffXd];
  assign lk_dirty_o = lk_ent[OffD];
  assign lk_key_o   = lk_ent[OffKey +: KEY_W];

  // ---- stage-1 updates: touch and drop ----------------------------------
  logic [SetW-1:0] upd_set;
  logic [WAYS-1:0] upd_valid;

  assign upd_set   = upd_set_i;
  assign upd_valid = valid_q[upd_set*WAYS +: WAYS];

  plru_tree #(.WAYS(WAYS)) u_lk_plru (
    .state_i    (plru_q[upd_set*PlruW +: PlruW]),
    .touch_way_i(touch_way_i),
    .touched_o  (lk_plru_touched),
    .victim_o   (unused_lk_victim)
  );

  // ---- fill: matching way, else lowest invalid, else PLRU victim --------
  logic [WAYS-1:0]  fill_valid;
  logic             fill_has_match, fill_has_free;
  logic [WayW-1:0]  fill_match_way, fill_free_way, fill_victim;
  logic [PlruW-1:0] fill_plru_touched;

  assign fill_valid = valid_q[fill_set*WAYS +: WAYS];

  lowest_one #(.N(WAYS)) u_fill_match (
    .bits_i (fill_match_i),
    .found_o(fill_has_match),
    .idx_o  (fill_match_way)
  );
  lowest_one #(.N(WAYS)) u_fill_free (
    .bits_i (~fill_valid),
    .found_o(fill_has_free),
    .idx_o  (fill_free_way)
  );
  plru_tree #(.WAYS(WAYS)) u_fill_plru (
    .state_i    (plru_q[fill_set*PlruW +: PlruW]),
    .touch_way_i(fill_way),
    .touched_o  (fill_plru_touched),
    .victim_o   (fill_victim)
  );
  assign fill_way = dbg_we_i       ? dbg_way_i      :
                    fill_has_match ? fill_match_way :
                    fill_has_free  ? fill_free_way  : fill_victim;

  // ---- debug read-out (formed only while dbg_show_i) ------------------------
  always_comb begin
    logic [EntW-1:0] e;
    e           = '0;
    dbg_valid_o = 1'b0;
    dbg_vpn_o   = '0;
    dbg_pcid_o  = '0;
    dbg_ppn_o   = '0;
    dbg_level_o = '0;
    dbg_flags_o = '0;
    dbg_key_o   = '0;
    if (`MMU_SIM_GATE(dbg_show_i)) begin
      e           = rdata[dbg_way_i];
      dbg_valid_o = valid_q[32'(dbg_set_i)*WAYS + 32'(dbg_way_i)];
      dbg_vpn_o   = {e[OffTag +: TagW], dbg_set_i};
      dbg_pcid_o  = e[OffPcid +: PCID_W];
      dbg_ppn_o   = e[OffPpn +: PPN_BITS];
      dbg_level_o = e[OffLvl +: 2];
      dbg_flags_o = {e[OffG], e[OffRw], e[OffUs], e[OffXd], e[OffD]};
      dbg_key_o   = e[OffKey +: KEY_W];
    end
  end

  // ---- sweep evaluation (only while sweeping) -----------------------------
  logic [WAYS-1:0] sw_drop;
  always_comb begin
    sw_drop = '0;
    if (sw_ev_q) begin
      for (int w = 0; w < WAYS; w++) begin
        logic [EntW-1:0]     e;
        logic [VPN_BITS-1:0] evpn, mask;
        logic                mine;
        e    = rdata[w];
        evpn = {e[OffTag +: TagW], sw_ev_set_q};
        unique case (e[OffLvl +: 2])
          2'd2:    mask = VPN_BITS'(PageMaskL2);
          2'd3:    mask = VPN_BITS'(PageMaskL3);
          default: mask = '1;
        endcase
        mine = e[OffPcid +: PCID_W] == sw_pcid_q;
        unique case (sw_kind_q)
          FlushAll:       sw_drop[w] = 1'b1;
          FlushNonGlobal: sw_drop[w] = !e[OffG];
          FlushPcid:      sw_drop[w] = !e[OffG] && mine;
          FlushPage:      sw_drop[w] = ((evpn ^ sw_vpn_q) & mask) == '0 &&
                                       (e[OffG] ? sw_global_q : mine);
        endcase
        sw_drop[w] = sw_drop[w] && valid_q[sw_ev_set_q*WAYS + w];
      end
    end
  end

  always_comb begin
    flush_cnt_o = '0;
    if (`MMU_SIM_GATE(sw_ev_q)) begin  // sw_drop is 0 otherwise
      for (int w = 0; w < WAYS; w++) begin
        flush_cnt_o = flush_cnt_o + CntW'(sw_drop[w]);
      end
    end
  end
  assign flush_busy_o = sw_rd_q || sw_ev_q;

  // ---- state updates -----------------------------------------------------
  always_comb begin
    valid_d = valid_q;
    plru_d  = plru_q;
    if (touch_i) begin
      plru_d[upd_set*PlruW +: PlruW] = lk_plru_touched;
    end
    if (drop_i) begin
      valid_d[upd_set*WAYS +: WAYS] = upd_valid & ~drop_ways_i;
    end
    if (fill_i) begin
      valid_d[32'(fill_set)*WAYS + 32'(fill_way)] = 1'b1;
      plru_d[fill_set*PlruW +: PlruW] = fill_plru_touched;
    end
    if (sw_ev_q) begin
      valid_d[sw_ev_set_q*WAYS +: WAYS] = valid_q[sw_ev_set_q*WAYS +: WAYS] & ~sw_drop;
    end
    if (dbg_we_i) begin
      valid_d[32'(fill_set)*WAYS + 32'(dbg_way_i)] = dbg_valid_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q     <= '0;
      plru_q      <= '0;
      sw_rd_q     <= 1'b0;
      sw_ev_q     <= 1'b0;
      sw_set_q    <= '0;
      sw_ev_set_q <= '0;
      sw_kind_q   <= FlushAll;
      sw_vpn_q    <= '0;
      sw_pcid_q   <= '0;
      sw_global_q <= 1'b0;
    end else begin
      valid_q     <= valid_d;
      plru_q      <= plru_d;
      sw_ev_q     <= sw_rd_q;
      sw_ev_set_q <= sw_set_q;
      if (flush_i) begin
        sw_rd_q     <= 1'b1;
        sw_set_q    <= '0;
        sw_kind_q   <= flush_kind_i;
        sw_vpn_q    <= flush_vpn_i;
        sw_pcid_q   <= flush_pcid_i;
        sw_global_q <= flush_global_i;
      end else if (sw_rd_q) begin
        sw_set_q <= sw_set_q + 1'b1;
        if (sw_set_q == SetW'(SETS - 1)) begin
          sw_rd_q <= 1'b0;
        end
      end
    end
  end

  // ---- invariants ----------------------------------------------------------
  // Without one of the rarer writers there is at most the touch: the model
  // tests that first (a touch comes with every hit).
  `MMU_ASSERT_IF(a_one_writer, fill_i || drop_i || sw_ev_q || dbg_we_i,
                 $onehot0({touch_i, fill_i, drop_i, sw_ev_q, dbg_we_i}),
              "TLB state written by two operations in one cycle")
  `MMU_ASSERT_IF(a_no_sweep_overlap, flush_busy_o, !flush_i && !(rd_en_i && sw_rd_q),
              "TLB sweep overlaps another sweep or a lookup")
  `MMU_ASSERT_IF(a_fill_match_valid, fill_i, (fill_match_i & ~fill_valid) == '0,
              "TLB fill: the match vector names an invalid way")
  `MMU_ASSERT_IF(a_drop_matches, drop_i, (drop_ways_i & ~upd_valid) == '0,
              "TLB drop of an invalid way")
  `MMU_ASSERT_IF(a_touch_valid, touch_i, upd_valid[touch_way_i],
              "TLB touch of an invalid way")

`ifndef SYNTHESIS
  if (SETS < 2 || (SETS & (SETS - 1)) != 0) begin : g_bad_sets
    $error("tlb: SETS = %0d must be a power of two >= 2", SETS);
  end
`endif
endmodule
