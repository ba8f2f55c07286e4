// SPDX-License-Identifier: MIT
// The L1 data cache: virtually indexed, physically tagged, write-back,
// write-allocate, WAYS-way set-associative with tree-PLRU replacement (rule
// 2 of docs/rtl.md).  Set index and line offset lie inside the page offset,
// so a request's set is read from its (virtual) page offset in stage 0
// while the TLB is read, and in stage 1 the tags are compared against the
// TLB's PPN (cmp_tag_i) in the same cycle.
//
// Arrays: per way a tag RAM (SETS x TAG) and a data RAM (SETS*WORDS x WORD,
// byte lanes), synchronous, block RAM on an FPGA.  Valid, dirty and PLRU
// bits are flip-flops, one small vector per set (unpacked arrays: the
// simulator updates them element by element).  A stage-1 store and a stage-0 read of the same word
// in one cycle are resolved by forwarding the written bytes.  A stage-1
// hit's PLRU touch and a store's dirty bit are registered and written one
// cycle later (stage 2), so that the late hit drives a few flip-flops
// rather than the enables of every set's bits; in that cycle every reader
// of the bits (the next stage-1 touch, the FSM, the debug read-out) sees
// them through a bypass.
//
// Miss service (fill_i): the victim is the lowest invalid way, else the PLRU
// victim.  The new line is read from memory FIRST, into a line buffer; a
// DECERR ends the fill with fill_err_o and nothing changed (the golden model
// checks the range before touching the cache).  Then the buffer and the
// victim's words are swapped, the tag installed, and a dirty victim written
// back from the buffer.  The fill does not touch the PLRU: the access that
// missed is replayed and touches the way on its hit, and touching the same
// way twice is the same as once.
//
// Maintenance (mnt_i): clean / invalidate / flush one physical line or the
// whole cache; a whole-cache clean visits each set and writes back its dirty
// ways, lowest first.
`include "mmu_assert.svh"
`include "mmu_sim.svh"

module l1_cache #(
  parameter int PA_BITS = 46,
  parameter int SETS    = 64,
  parameter int WAYS    = 8,
  parameter int LINE    = 64,
  // 1: every way's word is forwarded into and shifted before the hit selects
  // one (only the way select follows the tag compare; a shifter per way);
  // 0: the selected word is (one shifter, fewer cells).
  parameter int WAY_SHIFT = 0,
  localparam int OffW      = $clog2(LINE),
  localparam int IdxW      = $clog2(SETS),
  localparam int TagW      = PA_BITS - OffW - IdxW,
  localparam int WordBytes = (LINE < 8) ? LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int ByteW     = $clog2(WordBytes),
  localparam int Words     = LINE / WordBytes,
  localparam int WiW       = (Words > 1) ? $clog2(Words) : 1,
  localparam int WayW      = (WAYS > 1) ? $clog2(WAYS) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // Stage 0: read the set and word of an address (its low bits suffice).
  input  logic                 rd_en_i,
  input  logic [OffW+IdxW-1:0] rd_addr_i,

  // Stage 1: compare with the physical tag; on a hit touch and/or write.
  // The hit word is returned shifted right by cmp_boff_i bytes (zeros in).
  input  logic [TagW-1:0]      cmp_tag_i,
  input  logic [ByteW-1:0]     cmp_boff_i,
  input  logic                 cmp_touch_i,
  input  logic                 cmp_we_i,
  input  logic [WordBytes-1:0] cmp_wbe_i,
  input  logic [WordBits-1:0]  cmp_wdata_i,
  output logic                 cmp_hit_o,
  output logic [WordBits-1:0]  cmp_rdata_o,

  // Miss service.
  input  logic                 fill_i,
  input  logic [PA_BITS-1:0]   fill_addr_i,
  output logic                 fill_done_o,
  output logic                 fill_err_o,

  // Maintenance: op bit 0 = clean, bit 1 = invalidate, bit 2 = whole cache.
  input  logic                 mnt_i,
  input  logic [2:0]           mnt_op_i,
  input  logic [63:0]          mnt_addr_i,
  output logic                 mnt_done_o,

  output logic                 busy_o,
  output logic                 cnt_fill_o,
  output logic                 cnt_wb_o,

  // Line transfers (axi_master).
  output logic                 mem_rd_o,
  output logic [PA_BITS-1:0]   mem_rd_addr_o,
  input  logic                 mem_rd_beat_i,
  input  logic [WiW-1:0]       mem_rd_idx_i,
  input  logic [WordBits-1:0]  mem_rd_data_i,
  input  logic                 mem_rd_done_i,
  input  logic                 mem_rd_err_i,
  output logic                 mem_wr_o,
  output logic [PA_BITS-1:0]   mem_wr_addr_o,
  input  logic [WiW-1:0]       mem_wr_idx_i,
  output logic [WordBits-1:0]  mem_wr_data_o,
  input  logic                 mem_wr_done_i,
  input  logic                 mem_wr_err_i,

  // Debug path (docs/rtl.md), only while idle: dbg_rd_i reads the tag and
  // word dbg_word_i of set dbg_set_i (dbg_* outputs of way dbg_way_i in the
  // next cycle, inputs held); dbg_tag_we_i writes the tag, valid and dirty
  // bits of that way, dbg_data_we_i one whole word.  No PLRU change.
  input  logic                 dbg_rd_i,
  input  logic                 dbg_tag_we_i,
  input  logic                 dbg_data_we_i,
  input  logic [IdxW-1:0]      dbg_set_i,
  input  logic [WayW-1:0]      dbg_way_i,
  input  logic [WiW-1:0]       dbg_word_i,
  input  logic [TagW-1:0]      dbg_tag_i,
  input  logic                 dbg_valid_i,
  input  logic                 dbg_dirty_i,
  input  logic [WordBits-1:0]  dbg_wdata_i,
  input  logic                 dbg_show_i,    // the dbg_* outputs are read
  output logic [TagW-1:0]      dbg_tag_o,
  output logic [WordBits-1:0]  dbg_rdata_o,
  output logic                 dbg_valid_o,
  output logic                 dbg_dirty_o,
  output logic [3:0]           fsm_o          // fstate_e, for traces
);
  localparam int PlruW  = (WAYS > 1) ? WAYS - 1 : 1;
  localparam int DAddrW = $clog2(SETS * Words);
  localparam int StepW  = $clog2(Words + 1);
  localparam int OpClean = 0;
  localparam int OpInval = 1;
  localparam int OpAll   = 2;

  // ---- flip-flop state --------------------------------------------------
  logic [WAYS-1:0]  valid_q [SETS];
  logic [WAYS-1:0]  dirty_q [SETS];
  logic [PlruW-1:0] plru_q  [SETS];

  // ---- RAM ports --------------------------------------------------------
  logic                 tag_re, data_re, tag_we;
  logic [IdxW-1:0]      tag_raddr, tag_waddr;
  logic [TagW-1:0]      tag_wdata;
  logic [WAYS-1:0]      tag_we_way;
  logic [DAddrW-1:0]    data_raddr, data_waddr;
  logic [WAYS-1:0]      data_we_way;
  logic [WordBytes-1:0] data_wbe;
  logic [WordBits-1:0]  data_wdata;
  // Arrays of wires (per-way RAM outputs): kept as separate signals by
  // synthesis (mem2reg says so, instead of a warning).
  (* mem2reg *) logic [TagW-1:0]     tag_rdata  [WAYS];
  (* mem2reg *) logic [WordBits-1:0] data_rdata [WAYS];

  // ---- fill / maintenance FSM registers --------------------------------
  typedef enum logic [3:0] {
    FIdle, FVictim, FRead, FSwap, FWrite, FCheck, FScan, FScanTag, FDone, FInval, FClear
  } fstate_e;

  fstate_e           fst_q, fst_d;
  logic [IdxW-1:0]   f_set_q, f_set_d;
  logic [WayW-1:0]   f_way_q, f_way_d;
  logic [TagW-1:0]   f_tag_q, f_tag_d;   // the line being filled / looked up
  logic [TagW-1:0]   v_tag_q, v_tag_d;   // the line being written back
  logic              v_dirty_q, v_dirty_d;
  logic [StepW-1:0]  k_q, k_d;
  logic              swap_wr_q, swap_wr_d;  // write the buffer into the way
  logic              is_fill_q, is_fill_d;
  logic [2:0]        op_q, op_d;
  logic              err_q, err_d;
  logic [WordBits-1:0] lbuf_q [Words];  // one line: the fill, or a victim
  logic              lbuf_we;
  logic [WiW-1:0]    lbuf_idx;
  logic [WordBits-1:0] lbuf_wdata;
  // Updates of the valid and dirty bits of way upd_way in set f_set_q.
  logic              upd_valid_en, upd_valid, upd_dirty_en, upd_dirty, clear_all;
  logic [WayW-1:0]   upd_way;

  // ---- stage 0 / stage 1 --------------------------------------------------
  logic              s1_live_q;  // the RAM outputs belong to a stage-0 read
  logic [IdxW-1:0]   s1_set_q;
  logic [DAddrW-1:0] s1_daddr_q;
  logic [IdxW-1:0]   rd_set;
  logic [DAddrW-1:0] rd_daddr;

  assign rd_set   = IdxW'(rd_addr_i >> OffW);
  assign rd_daddr = DAddrW'(rd_addr_i >> ByteW);

  // Forwarding of a stage-1 write to the read issued in the same cycle.
  logic                 fwd_q;
  logic [DAddrW-1:0]    fwd_daddr_q;
  logic [WayW-1:0]      fwd_way_q;
  logic [WordBytes-1:0] fwd_be_q;
  logic [WordBits-1:0]  fwd_data_q;

  logic [WAYS-1:0]      s1_valid, s1_match;
  logic [WayW-1:0]      hit_way;
  logic                 hit;
  logic [WordBits-1:0]  hit_word;

  // The set's valid bits are taken with the stage-0 read: no update of
  // them reaches a stage-1 compare in between (the FSM's and the debug
  // path's are made only while no stage-1 access is under way).
  logic [WAYS-1:0] s1_valid_q;
  assign s1_valid = s1_valid_q;
  always_comb begin
    for (int w = 0; w < WAYS; w++) begin
      s1_match[w] = s1_valid[w] && tag_rdata[w] == cmp_tag_i;
    end
  end
  lowest_one #(.N(WAYS)) u_hit (
    .bits_i (s1_match),
    .found_o(hit),
    .idx_o  (hit_way)
  );
  // The hit word: the forwarded bytes of a store in the previous cycle
  // merged in, shifted right by cmp_boff_i bytes (WAY_SHIFT: for every way
  // before the select, else after it).
  if (WAY_SHIFT != 0) begin : g_way_shift
    (* mem2reg *) logic [WordBits-1:0] s1_word [WAYS];
    always_comb begin
      for (int w = 0; w < WAYS; w++) s1_word[w] = data_rdata[w];
      if (fwd_q && fwd_daddr_q == s1_daddr_q) begin
        for (int b = 0; b < WordBytes; b++) begin
          if (fwd_be_q[b]) s1_word[fwd_way_q][8*b +: 8] = fwd_data_q[8*b +: 8];
        end
      end
      for (int w = 0; w < WAYS; w++) s1_word[w] = s1_word[w] >> (8 * 32'(cmp_boff_i));
    end
    assign hit_word = s1_word[hit_way];
  end else begin : g_sel_shift
    logic [WordBits-1:0] sel_word;
    always_comb begin
      sel_word = data_rdata[hit_way];
      if (fwd_q && fwd_daddr_q == s1_daddr_q && fwd_way_q == hit_way) begin
        for (int b = 0; b < WordBytes; b++) begin
          if (fwd_be_q[b]) sel_word[8*b +: 8] = fwd_data_q[8*b +: 8];
        end
      end
    end
    assign hit_word = sel_word >> (8 * 32'(cmp_boff_i));
  end
  assign cmp_hit_o   = hit;
  assign cmp_rdata_o = hit_word;

  // Stage 2: the hit's pending PLRU and dirty updates, written at the end
  // of the next cycle.  Each reader takes the bits of its set as they are
  // once that update is written (s1_plru, f_plru, f_dirty, dbg_dirty).
  logic             s2_touch_q, s2_write_q;
  logic [IdxW-1:0]  s2_set_q;
  logic [WayW-1:0]  s2_way_q;
  logic [PlruW-1:0] s2_plru_q;
  logic [WAYS-1:0]  s2_way_bit;
  logic [PlruW-1:0] s1_plru;
  always_comb begin
    s2_way_bit = '0;
    s2_way_bit[s2_way_q] = s2_write_q;
  end
  assign s1_plru = (s2_touch_q && s2_set_q == s1_set_q) ? s2_plru_q : plru_q[s1_set_q];

  logic             s1_write;
  logic [PlruW-1:0] s1_plru_touched;
  logic [WayW-1:0]  unused_s1_victim;
  assign s1_write = cmp_we_i && hit;
  plru_tree #(.WAYS(WAYS)) u_s1_plru (
    .state_i    (s1_plru),
    .touch_way_i(hit_way),
    .touched_o  (s1_plru_touched),
    .victim_o   (unused_s1_victim)
  );

  // ---- victim choice for a fill (f_set_q) ------------------------------------
  logic [WAYS-1:0]  f_valid, f_dirty;
  logic             has_free;
  logic [WayW-1:0]  free_way, plru_victim, victim;
  logic [PlruW-1:0] unused_f_touched, f_plru;
  assign f_valid = valid_q[f_set_q];
  assign f_dirty = dirty_q[f_set_q] | (s2_set_q == f_set_q ? s2_way_bit : '0);
  assign f_plru  = (s2_touch_q && s2_set_q == f_set_q) ? s2_plru_q : plru_q[f_set_q];
  lowest_one #(.N(WAYS)) u_free (
    .bits_i (~f_valid),
    .found_o(has_free),
    .idx_o  (free_way)
  );
  plru_tree #(.WAYS(WAYS)) u_f_plru (
    .state_i    (f_plru),
    .touch_way_i('0),
    .touched_o  (unused_f_touched),
    .victim_o   (plru_victim)
  );
  assign victim = has_free ? free_way : plru_victim;

  // Lookup of a maintenance address, and the dirty ways of a scanned set.
  logic [WAYS-1:0] f_match;
  logic            f_found, f_any_dirty;
  logic [WayW-1:0] f_match_way, f_dirty_way;
  always_comb begin
    f_match = '0;
    if (fst_q == FCheck) begin
      for (int w = 0; w < WAYS; w++) begin
        f_match[w] = f_valid[w] && tag_rdata[w] == f_tag_q;
      end
    end
  end
  lowest_one #(.N(WAYS)) u_f_match (
    .bits_i (f_match),
    .found_o(f_found),
    .idx_o  (f_match_way)
  );
  lowest_one #(.N(WAYS)) u_f_dirty (
    .bits_i (f_valid & f_dirty),
    .found_o(f_any_dirty),
    .idx_o  (f_dirty_way)
  );

  // ---- FSM ---------------------------------------------------------------------
  logic [TagW-1:0]     way_tag;   // tag RAM output of way f_way_d / f_way_q
  logic [WordBits-1:0] way_word;  // data RAM output of way f_way_q
  logic [PA_BITS-1:0]  mnt_line;
  logic                mnt_in_space;
  logic [WiW-1:0]      k_prev;

  assign way_word     = data_rdata[f_way_q];
  assign mnt_line     = PA_BITS'(mnt_addr_i);
  assign mnt_in_space = (mnt_addr_i >> PA_BITS) == 64'd0;
  assign k_prev       = WiW'(k_q - 1'b1);

  // The FSM moves (or starts) this cycle.
  logic fsm_run;
  assign fsm_run = fst_q != FIdle || fill_i || mnt_i;

  always_comb begin
    fst_d     = fst_q;
    f_set_d   = f_set_q;
    f_way_d   = f_way_q;
    f_tag_d   = f_tag_q;
    v_tag_d   = v_tag_q;
    v_dirty_d = v_dirty_q;
    k_d       = k_q;
    swap_wr_d = swap_wr_q;
    is_fill_d = is_fill_q;
    op_d      = op_q;
    err_d     = err_q;
    way_tag   = '0;
    lbuf_we      = 1'b0;
    lbuf_idx     = mem_rd_idx_i;
    lbuf_wdata   = mem_rd_data_i;
    upd_valid_en = 1'b0;
    upd_valid    = 1'b0;
    upd_dirty_en = 1'b0;
    upd_dirty    = 1'b0;
    upd_way      = f_way_q;
    clear_all    = 1'b0;

    tag_re     = rd_en_i;
    tag_raddr  = rd_set;
    data_re    = rd_en_i;
    data_raddr = rd_daddr;
    tag_we     = 1'b0;
    data_waddr = s1_daddr_q;
    data_wbe   = cmp_wbe_i;
    data_wdata = cmp_wdata_i;
    // Way write enables: one decoded bit (a compare per way would cost the
    // simulated model every cycle).
    data_we_way = '0;
    if (s1_write) data_we_way[hit_way] = 1'b1;
    if (dbg_rd_i) begin
      tag_re     = 1'b1;
      tag_raddr  = dbg_set_i;
      data_re    = 1'b1;
      data_raddr = DAddrW'({dbg_set_i, dbg_word_i} >> (WiW - $clog2(Words)));
    end
    if (dbg_data_we_i) begin
      data_waddr = DAddrW'({dbg_set_i, dbg_word_i} >> (WiW - $clog2(Words)));
      data_wbe   = '1;
      data_wdata = dbg_wdata_i;
      data_we_way = '0;
      data_we_way[dbg_way_i] = 1'b1;
    end

    mem_rd_o   = 1'b0;
    mem_wr_o   = 1'b0;
    cnt_wb_o   = 1'b0;

    if (`MMU_SIM_GATE(fsm_run)) begin  // idle: nothing moves
      unique case (fst_q)
        FIdle: begin
          if (fill_i) begin
            is_fill_d = 1'b1;
            f_set_d   = IdxW'(fill_addr_i >> OffW);
            f_tag_d   = TagW'(fill_addr_i >> (OffW + IdxW));
            tag_re    = 1'b1;
            tag_raddr = f_set_d;
            fst_d     = FVictim;
          end
          // Never with fill_i (a_one_start).
          if (mnt_i) begin
            is_fill_d = 1'b0;
            op_d      = mnt_op_i;
            f_set_d   = mnt_op_i[OpAll] ? '0 : IdxW'(mnt_line >> OffW);
            f_tag_d   = TagW'(mnt_line >> (OffW + IdxW));
            if (mnt_op_i[OpAll]) begin
              fst_d = mnt_op_i[OpClean] ? FScan : FClear;
            end else if (!mnt_in_space) begin
              fst_d = FDone;  // no line can hold an address past MAXPHYADDR
            end else begin
              tag_re    = 1'b1;
              tag_raddr = f_set_d;
              fst_d     = FCheck;
            end
          end
        end
        FVictim: begin
          f_way_d   = victim;
          way_tag   = tag_rdata[victim];
          v_tag_d   = way_tag;
          v_dirty_d = f_valid[victim] && f_dirty[victim];
          mem_rd_o  = 1'b1;
          fst_d     = FRead;
        end
        FRead: begin
          lbuf_we = mem_rd_beat_i;
          if (mem_rd_done_i) begin
            if (mem_rd_err_i) begin
              err_d = 1'b1;
              fst_d = FDone;
            end else begin
              k_d       = '0;
              swap_wr_d = 1'b1;
              fst_d     = FSwap;
            end
          end
        end
        FSwap: begin
          // Step k reads word k of the way and, from k = 1, writes word k-1
          // from the buffer while the buffer takes the way's old word k-1.
          if (32'(k_q) < Words) begin
            data_re    = 1'b1;
            data_raddr = DAddrW'({f_set_q, WiW'(k_q)} >> (WiW - $clog2(Words)));
          end
          if (k_q != '0) begin
            lbuf_we    = 1'b1;
            lbuf_idx   = k_prev;
            lbuf_wdata = way_word;
            if (swap_wr_q) begin
              data_waddr = DAddrW'({f_set_q, k_prev} >> (WiW - $clog2(Words)));
              data_wbe   = '1;
              data_wdata = lbuf_q[k_prev];
              data_we_way = '0;
              data_we_way[f_way_q] = 1'b1;
            end
          end
          k_d = k_q + 1'b1;
          if (32'(k_q) == Words) begin
            if (swap_wr_q) begin
              tag_we       = 1'b1;
              upd_valid_en = 1'b1;
              upd_valid    = 1'b1;
              upd_dirty_en = 1'b1;
              upd_dirty    = 1'b0;
            end
            if (!swap_wr_q || v_dirty_q) begin
              mem_wr_o = 1'b1;
              fst_d    = FWrite;
            end else begin
              fst_d = FDone;
            end
          end
        end
        FWrite: begin
          if (mem_wr_done_i) begin
            cnt_wb_o = 1'b1;
            if (is_fill_q) begin
              fst_d = FDone;
            end else begin
              upd_dirty_en = 1'b1;
              upd_dirty    = 1'b0;
              if (op_q[OpAll]) begin
                fst_d = FScan;
              end else begin
                upd_valid_en = op_q[OpInval];
                upd_valid    = 1'b0;
                fst_d        = FDone;
              end
            end
          end
        end
        FCheck: begin
          if (!f_found) begin
            fst_d = FDone;
          end else begin
            f_way_d = f_match_way;
            v_tag_d = f_tag_q;
            if (op_q[OpClean] && f_dirty[f_match_way]) begin
              k_d       = '0;
              swap_wr_d = 1'b0;
              fst_d     = FSwap;
            end else begin
              fst_d = op_q[OpInval] ? FInval : FDone;
            end
          end
        end
        FScan: begin
          if (f_any_dirty) begin
            f_way_d   = f_dirty_way;
            tag_re    = 1'b1;
            tag_raddr = f_set_q;
            fst_d     = FScanTag;
          end else if (32'(f_set_q) == SETS - 1) begin
            fst_d = op_q[OpInval] ? FClear : FDone;
          end else begin
            f_set_d = f_set_q + 1'b1;
          end
        end
        FScanTag: begin
          v_tag_d   = tag_rdata[f_way_q];
          k_d       = '0;
          swap_wr_d = 1'b0;
          fst_d     = FSwap;
        end
        // The bits' updates decided from a lookup (FCheck) or a scan
        // (FScan) are made in a state of their own, from flip-flops: the
        // enables of every set's bits stay one decode away from fst_q.
        FInval: begin
          upd_valid_en = 1'b1;
          upd_valid    = 1'b0;
          upd_dirty_en = 1'b1;
          upd_dirty    = 1'b0;
          fst_d        = FDone;
        end
        FClear: begin
          clear_all = 1'b1;
          fst_d     = FDone;
        end
        FDone: begin
          err_d = 1'b0;
          fst_d = FIdle;
        end
        default: begin
          fst_d = FIdle;
        end
      endcase
    end
  end

  assign fill_done_o   = fst_q == FDone && is_fill_q;
  assign fill_err_o    = err_q;
  assign mnt_done_o    = fst_q == FDone && !is_fill_q;
  assign cnt_fill_o    = fst_q == FDone && is_fill_q && !err_q;
  assign busy_o        = fst_q != FIdle;
  assign mem_rd_addr_o = {f_tag_q, f_set_q, OffW'(0)};
  assign mem_wr_addr_o = {v_tag_q, f_set_q, OffW'(0)};
  assign mem_wr_data_o = lbuf_q[mem_wr_idx_i];
  assign fsm_o         = fst_q;
  // The debug read-out, formed only while dbg_show_i.
  always_comb begin
    dbg_tag_o   = '0;
    dbg_rdata_o = '0;
    dbg_valid_o = 1'b0;
    dbg_dirty_o = 1'b0;
    if (`MMU_SIM_GATE(dbg_show_i)) begin
      dbg_tag_o   = tag_rdata[dbg_way_i];
      dbg_rdata_o = data_rdata[dbg_way_i];
      dbg_valid_o = valid_q[dbg_set_i][dbg_way_i];
      dbg_dirty_o = dirty_q[dbg_set_i][dbg_way_i] ||
                    (s2_set_q == dbg_set_i && s2_way_bit[dbg_way_i]);
    end
  end

  // The tag write port: the FSM's (way f_way_q) or the debug path's, which
  // never coincide (a_dbg_idle).
  always_comb begin
    tag_we_way = '0;
    tag_waddr  = f_set_q;
    tag_wdata  = f_tag_q;
    if (tag_we) tag_we_way[f_way_q] = 1'b1;
    if (dbg_tag_we_i) begin
      tag_we_way[dbg_way_i] = 1'b1;
      tag_waddr = dbg_set_i;
      tag_wdata = dbg_tag_i;
    end
  end

  // ---- arrays --------------------------------------------------------------
  for (genvar w = 0; w < WAYS; w++) begin : g_way
    ram_1r1w #(.WIDTH(TagW), .DEPTH(SETS)) u_tag (
      .clk_i  (clk_i),
      .re_i   (tag_re),
      .raddr_i(tag_raddr),
      .rdata_o(tag_rdata[w]),
      .we_i   (tag_we_way[w]),
      .waddr_i(tag_waddr),
      .wbe_i  (1'b1),
      .wdata_i(tag_wdata)
    );
    ram_1r1w #(.WIDTH(WordBits), .DEPTH(SETS * Words), .LANES(WordBytes)) u_data (
      .clk_i  (clk_i),
      .re_i   (data_re),
      .raddr_i(data_raddr),
      .rdata_o(data_rdata[w]),
      .we_i   (data_we_way[w]),
      .waddr_i(data_waddr),
      .wbe_i  (data_wbe),
      .wdata_i(data_wdata)
    );
  end

  // Stage 2 takes a stage-1 hit's updates.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s2_touch_q <= 1'b0;
      s2_write_q <= 1'b0;
    end else begin
      s2_touch_q <= cmp_touch_i && hit;
      s2_write_q <= s1_write;
    end
  end
  // The fields need no reset: they are used only with s2_touch_q / s2_write_q.
  always_ff @(posedge clk_i) begin
    s2_set_q  <= s1_set_q;
    s2_way_q  <= hit_way;
    s2_plru_q <= s1_plru_touched;
  end

  // Valid, dirty and PLRU bits: stage 2's updates (a hit in the previous
  // cycle) first, then the FSM's and the debug path's, which are later in
  // program order and win (a fill or maintenance may start in the cycle of a
  // hit, never during one: a_no_stage1_while_busy).
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      for (int i = 0; i < SETS; i++) begin
        valid_q[i] <= '0;
        dirty_q[i] <= '0;
        plru_q[i]  <= '0;
      end
    end else begin
      if (s2_touch_q) plru_q[s2_set_q] <= s2_plru_q;
      if (s2_write_q) dirty_q[s2_set_q][s2_way_q] <= 1'b1;
      if (clear_all) begin
        for (int i = 0; i < SETS; i++) begin
          valid_q[i] <= '0;
          dirty_q[i] <= '0;
        end
      end
      if (upd_valid_en) valid_q[f_set_q][upd_way] <= upd_valid;
      if (upd_dirty_en) dirty_q[f_set_q][upd_way] <= upd_dirty;
      if (dbg_tag_we_i) begin
        valid_q[dbg_set_i][dbg_way_i] <= dbg_valid_i;
        dirty_q[dbg_set_i][dbg_way_i] <= dbg_dirty_i;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      fst_q       <= FIdle;
      f_set_q     <= '0;
      f_way_q     <= '0;
      f_tag_q     <= '0;
      v_tag_q     <= '0;
      v_dirty_q   <= 1'b0;
      k_q         <= '0;
      swap_wr_q   <= 1'b0;
      is_fill_q   <= 1'b0;
      op_q        <= '0;
      err_q       <= 1'b0;
      s1_live_q   <= 1'b0;
      s1_set_q    <= '0;
      s1_daddr_q  <= '0;
      s1_valid_q  <= '0;
      fwd_q       <= 1'b0;
      fwd_daddr_q <= '0;
      fwd_way_q   <= '0;
      fwd_be_q    <= '0;
      fwd_data_q  <= '0;
    end else begin
      // Idle without a fill or maintenance every FSM _d equals its _q: the
      // simulated model skips the copies while stage 1 serves hits.
      if (`MMU_SIM_GATE(fsm_run)) begin
        fst_q     <= fst_d;
        f_set_q   <= f_set_d;
        f_way_q   <= f_way_d;
        f_tag_q   <= f_tag_d;
        v_tag_q   <= v_tag_d;
        v_dirty_q <= v_dirty_d;
        k_q       <= k_d;
        swap_wr_q <= swap_wr_d;
        is_fill_q <= is_fill_d;
        op_q      <= op_d;
        err_q     <= err_d;
      end
      // A read in a fill's first cycle loses the tag port to the fill.
      s1_live_q <= rd_en_i && !fill_i;
      if (rd_en_i) begin
        s1_set_q   <= rd_set;
        s1_daddr_q <= rd_daddr;
        s1_valid_q <= valid_q[rd_set];
      end
      fwd_q <= s1_write && rd_en_i;
      if (s1_write) begin
        fwd_daddr_q <= s1_daddr_q;
        fwd_way_q   <= hit_way;
        fwd_be_q    <= cmp_wbe_i;
        fwd_data_q  <= cmp_wdata_i;
      end
    end
  end

  // The line buffer has no reset: its contents matter only after a fill.
  always_ff @(posedge clk_i) begin
    if (lbuf_we) lbuf_q[lbuf_idx] <= lbuf_wdata;
  end

  // ---- invariants ----------------------------------------------------------
  `MMU_ASSERT_IF(a_one_hit, s1_live_q, $onehot0(s1_match), "two L1 ways hold the same line")
  `MMU_ASSERT_IF(a_s1_valid_current, cmp_touch_i || cmp_we_i, s1_valid_q == valid_q[s1_set_q],
              "L1 valid bits changed between a stage-0 read and its stage-1 compare")
  `MMU_ASSERT_IF(a_stage1_live, cmp_we_i || cmp_touch_i, s1_live_q,
              "L1 stage-1 access without a stage-0 read in the previous cycle")
  // A read in the cycle a fill starts is allowed (mmu_top's registered hit
  // stage reads the next access's set speculatively): the fill takes the tag
  // port, and no stage-1 access uses that read (the miss is replayed;
  // s1_live_q stays clear).
  `MMU_ASSERT_IF(a_no_read_while_busy, rd_en_i, !(busy_o || mnt_i),
              "L1 read while a fill or maintenance runs")
  `MMU_ASSERT_IF(a_start_idle, fill_i || mnt_i, !busy_o, "L1 fill or maintenance while busy")
  `MMU_ASSERT_IF(a_one_start, fill_i, !mnt_i, "L1 fill and maintenance together")
  `MMU_ASSERT_IF(a_wb_ok, fst_q == FWrite && mem_wr_done_i, !mem_wr_err_i,
              "write-back of a resident line answered with an error")
  `MMU_ASSERT_IF(a_dbg_idle, dbg_rd_i || dbg_tag_we_i || dbg_data_we_i,
              !(busy_o || fill_i || mnt_i || rd_en_i || cmp_we_i || cmp_touch_i),
              "L1 debug access while the cache is in use")
  `MMU_ASSERT_IF(a_no_stage1_while_busy, cmp_we_i || cmp_touch_i, !busy_o,
              "L1 stage-1 access while a fill or maintenance runs")
endmodule
