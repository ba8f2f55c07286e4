// SPDX-License-Identifier: MIT
// The page-table walker: x86-64 (IA-32e) paging generalised to LEVELS levels
// of INDEX_BITS, the walk of sw/golden/walk.c step by step:
//   - start at CR3's table, or below the deepest paging-structure-cache hit;
//   - read each entry through the L1 (a miss fills the line, a DECERR fill
//     ends the walk with a bus error); P=0 faults, reserved bits fault;
//   - AND R/W and U/S, OR XD; a non-leaf entry with A=0 gets A by a
//     read-modify-write through the L1, then fills that level's PSC;
//   - at the leaf check the rights, protection key included (no change to
//     the leaf on a refusal), then
//     set A (and D for a store) by one read-modify-write when not yet set.
// Every read-modify-write is reported on the A/D trace (ad_*), in order.
// One L1 access is two cycles: the set is read (stage 0), then compared and,
// for a write, written (stage 1), exactly like a CPU access.  With
// CHECK_STAGE (mmu_top's registered hit stage) the entry read is registered
// and checked in a third cycle (WCheck), so that no path runs from the L1
// tag compare through the entry's checks.
`include "mmu_assert.svh"
`include "mmu_sim.svh"
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module ptw #(
  parameter int PA_BITS    = 46,
  parameter int LEVELS     = 4,
  parameter int PAGE_SHIFT = 12,
  parameter int PTE_BYTES  = 8,
  parameter int PAGE_2M    = 1,
  parameter int PAGE_1G    = 1,
  parameter int L1_LINE    = 64,
  parameter int VPN_BITS   = 36,
  parameter int INDEX_BITS = 9,
  parameter int PPN_BITS   = 34,
  parameter int CHECK_STAGE = 0,  // 1: check each entry read a cycle later
  localparam int WordBytes = (L1_LINE < 8) ? L1_LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int PkeyW     = `PTE_PKEY_BITS,
  localparam int PkruW     = `PKRU_BITS,
  localparam int EcW       = `PFEC_BITS
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  input  logic                 start_i,
  input  logic [VPN_BITS-1:0]  vpn_i,     // stable while busy
  input  logic [1:0]           op_i,
  input  logic                 user_i,
  input  logic [PPN_BITS-1:0]  root_ppn_i,
  input  logic                 wp_i,
  input  logic                 nxe_i,
  input  logic                 smep_i,
  input  logic                 smap_i,
  input  logic                 ac_i,
  input  logic                 pge_i,
  input  logic                 pke_i,
  input  logic [PkruW-1:0]     pkru_i,

  // Paging-structure caches (looked up for vpn_i and the current PCID).
  input  logic                 psc_hit_i,
  input  logic [2:0]           psc_level_i,
  input  logic [PPN_BITS-1:0]  psc_next_i,
  input  logic                 psc_rw_i,
  input  logic                 psc_us_i,
  input  logic                 psc_xd_i,
  output logic                 psc_fill_o,
  output logic [2:0]           psc_fill_level_o,
  output logic [PPN_BITS-1:0]  psc_fill_next_o,
  output logic                 psc_fill_rw_o,
  output logic                 psc_fill_us_o,
  output logic                 psc_fill_xd_o,

  // L1 port: stage 0 (read the set), stage 1 (compare, write on a hit).
  output logic                 l1_rd_o,
  output logic [PA_BITS-1:0]   l1_rd_addr_o,
  output logic                 l1_cmp_o,
  output logic [PA_BITS-1:0]   l1_cmp_addr_o,
  output logic                 l1_we_o,
  output logic [WordBytes-1:0] l1_wbe_o,
  output logic [WordBits-1:0]  l1_wdata_o,
  input  logic                 l1_hit_i,
  input  logic [WordBits-1:0]  l1_rdata_i,
  output logic                 l1_fill_o,
  output logic [PA_BITS-1:0]   l1_fill_addr_o,
  input  logic                 l1_fill_done_i,
  input  logic                 l1_fill_err_i,

  // Result, valid while done_o.
  output logic                 busy_o,
  output logic                 done_o,
  output logic [1:0]           status_o,  // MMU_ST_OK, _PAGE_FAULT or _BUS_ERROR
  output logic [EcW-1:0]       ec_o,
  output logic [PPN_BITS-1:0]  te_ppn_o,
  output logic [1:0]           te_level_o,
  output logic                 te_global_o,
  output logic                 te_rw_o,
  output logic                 te_us_o,
  output logic                 te_xd_o,
  output logic                 te_dirty_o,
  output logic [PkeyW-1:0]     te_key_o,
  output logic [2:0]           reads_o,
  output logic [2:0]           psc_level_o,

  // A/D trace: one pulse per read-modify-write.
  output logic                 ad_valid_o,
  output logic [63:0]          ad_pa_o,
  output logic [63:0]          ad_value_o,

  // Counter pulses.
  output logic                 cnt_read_o,
  output logic                 cnt_read_l1_hit_o,
  output logic                 cnt_read_l1_miss_o,
  output logic                 cnt_write_o,
  output logic                 cnt_psc_hit_o,
  output logic [2:0]           fsm_o           // wstate_e, for traces
);
  localparam int PteBits  = 8 * PTE_BYTES;
  localparam int OffW     = $clog2(WordBytes);
  localparam int RsvdTop  = (PTE_BYTES == 8) ? `PTE_HIGHEST_ADDR_BIT : PteBits - 1;
  // Frame bits above MAXPHYADDR (up to bit 51, or the top of a 4-byte entry).
  localparam logic [63:0] RsvdMask =
      ((64'd1 << (RsvdTop + 1)) - 64'd1) & ~((64'd1 << (`PTE_FRAME_SHIFT + PPN_BITS)) - 64'd1);
  // Frame bits of a large-page leaf between PAT and the page's alignment.
  localparam logic [63:0] LowMaskL2 =
      ((64'd1 << (INDEX_BITS - 1)) - 64'd1) << (`PTE_BIT_PAT_LARGE + 1);
  localparam logic [63:0] LowMaskL3 =
      ((64'd1 << (2 * INDEX_BITS - 1)) - 64'd1) << (`PTE_BIT_PAT_LARGE + 1);
  localparam logic [63:0] SpanL2 = (64'd1 << INDEX_BITS) - 64'd1;
  localparam logic [63:0] SpanL3 = (64'd1 << (2 * INDEX_BITS)) - 64'd1;
  // ~64'd0, not '1: Yosys 0.23 sizes '1 in a constant ?: as one bit (a mask
  // of 1), which formal/ptw_fpv.sv caught in the netlist synthesis also gets.
  localparam logic [63:0] PteMask = (PTE_BYTES == 8) ? ~64'd0 : (64'd1 << PteBits) - 64'd1;

  typedef enum logic [2:0] {
    WIdle, WRead, WCompare, WFill, WWrite, WWriteCmp, WDone, WCheck
  } wstate_e;

  wstate_e                state_q, state_d;
  logic [2:0]             level_q, level_d;
  logic [PPN_BITS-1:0]    table_q, table_d;
  logic                   rw_q, rw_d, us_q, us_d, xd_q, xd_d;
  logic                   missed_q, missed_d;   // this entry's first read missed
  logic                   final_q, final_d;     // the pending write is the leaf's
  logic [PA_BITS-1:0]     ea_q, ea_d;
  logic [63:0]            wval_q, wval_d;
  logic [1:0]             status_q, status_d;
  logic [EcW-1:0]         ec_q, ec_d;
  logic [2:0]             reads_q, reads_d;
  logic [2:0]             psc_level_q, psc_level_d;
  logic [PPN_BITS-1:0]    te_ppn_q, te_ppn_d;
  logic [1:0]             te_level_q, te_level_d;
  logic                   te_global_q, te_global_d, te_dirty_q, te_dirty_d;
  logic [PkeyW-1:0]       te_key_q, te_key_d;

  // ---- address of the entry for level_q in table_q ---------------------
  logic [INDEX_BITS-1:0] idx;
  logic [PA_BITS:0]      ea_next;  // one carry bit: past the address space
  always_comb begin
    idx = '0;
    for (int l = 1; l <= LEVELS; l++) begin
      if (32'(level_q) == l) begin
        idx = INDEX_BITS'(vpn_i >> ((l - 1) * INDEX_BITS));
      end
    end
  end
  assign ea_next = (PA_BITS + 1)'({table_q, PAGE_SHIFT'(0)}) +
                   (PA_BITS + 1)'(32'(idx) * PTE_BYTES);

  // ---- the entry read and its checks -------------------------------------
  logic [63:0] e;
  logic        e_p, e_rw, e_us, e_a, e_ps, e_g, e_xd;
  logic        rsvd, ps_ok, leaf, allowed, pk;
  logic [EcW-1:0]   acc_ec;
  logic [PkeyW-1:0] e_key;
  logic [63:0] e_new;
  logic [PPN_BITS-1:0] frame;

  // The entry is checked in the cycle that compares it (chk_st: WCompare),
  // or with CHECK_STAGE in the next (WCheck: the word read registered in
  // word_q).
  // It and the checks that read all of it are formed only in that cycle
  // (every user is gated by it): the simulated model then skips them while
  // the walker is idle and the L1 serves hits.
  logic                chk_st, chk_now;
  logic [WordBits-1:0] word;  // the word the entry is taken from
  assign chk_st  = (CHECK_STAGE != 0) ? state_q == WCheck : state_q == WCompare;
  assign chk_now = (CHECK_STAGE != 0) ? state_q == WCheck : state_q == WCompare && l1_hit_i;
  if (CHECK_STAGE != 0) begin : g_word_q
    logic [WordBits-1:0] word_q;
    // Needs no reset: read only in WCheck, which follows a WCompare.
    always_ff @(posedge clk_i) begin
      if (state_q == WCompare) word_q <= l1_rdata_i;
    end
    assign word = word_q;
  end else begin : g_word
    assign word = l1_rdata_i;
  end
  always_comb begin
    e     = '0;
    rsvd  = 1'b0;
    e_new = '0;
    if (`MMU_SIM_GATE(chk_st)) begin
      e     = (64'(word) >> (8 * 32'(ea_q[OffW-1:0]))) & PteMask;
      rsvd  = (e & RsvdMask) != '0 ||
              (PTE_BYTES == 8 && e[`PTE_BIT_XD] && !nxe_i) ||
              (level_q > 3'd1 && e[`PTE_BIT_PS] &&
               (!ps_ok || (e & (level_q == 3'd2 ? LowMaskL2 : LowMaskL3)) != '0));
      e_new = e | (64'd1 << `PTE_BIT_A) |
              (op_i == 2'(`MMU_OP_STORE) ? 64'd1 << `PTE_BIT_D : 64'd0);
    end
  end
  assign e_p   = e[`PTE_BIT_P];
  assign e_rw  = e[`PTE_BIT_RW];
  assign e_us  = e[`PTE_BIT_US];
  assign e_a   = e[`PTE_BIT_A];
  assign e_ps  = e[`PTE_BIT_PS];
  assign e_g   = e[`PTE_BIT_G];
  assign e_xd  = (PTE_BYTES == 8) && e[`PTE_BIT_XD];
  // The key field exists in 8-byte entries only (bits 62..59).
  assign e_key = (PTE_BYTES == 8) ? e[`PTE_BIT_PKEY +: PkeyW] : '0;
  assign frame = PPN_BITS'(e >> `PTE_FRAME_SHIFT);
  assign ps_ok = (level_q == 3'd2 && PAGE_2M != 0) || (level_q == 3'd3 && PAGE_1G != 0);
  assign leaf  = level_q == 3'd1 || e_ps;
  assign rw_d  = rw_q && e_rw;
  assign us_d  = us_q && e_us;
  assign xd_d  = xd_q || e_xd;

  mmu_perm u_perm (
    .op_i     (op_i),
    .user_i   (user_i),
    .rw_i     (rw_d),
    .us_i     (us_d),
    .xd_i     (xd_d),
    .key_i    (e_key),
    .wp_i     (wp_i),
    .nxe_i    (nxe_i),
    .smep_i   (smep_i),
    .smap_i   (smap_i),
    .ac_i     (ac_i),
    .pke_i    (pke_i),
    .pkru_i   (pkru_i),
    .allowed_o(allowed),
    .pk_o     (pk),
    .pfec_o   (acc_ec)
  );

  // The PPN of the base page translated by a leaf at level_q.
  logic [63:0] span;
  always_comb begin
    unique case (level_q)
      3'd2:    span = SpanL2;
      3'd3:    span = SpanL3;
      default: span = '0;
    endcase
  end

  // ---- state machine -------------------------------------------------------
  logic hit_now;
  assign hit_now = state_q == WCompare && l1_hit_i;

  always_comb begin
    state_d     = state_q;
    level_d     = level_q;
    table_d     = table_q;
    missed_d    = missed_q;
    final_d     = final_q;
    ea_d        = ea_q;
    wval_d      = wval_q;
    status_d    = status_q;
    ec_d        = ec_q;
    reads_d     = reads_q;
    psc_level_d = psc_level_q;
    te_ppn_d    = te_ppn_q;
    te_level_d  = te_level_q;
    te_global_d = te_global_q;
    te_dirty_d  = te_dirty_q;
    te_key_d    = te_key_q;
    psc_fill_o  = 1'b0;
    l1_fill_o   = 1'b0;

    if (`MMU_SIM_GATE(state_q != WIdle || start_i)) begin  // idle: nothing changes
      unique case (state_q)
        WIdle: begin
          if (start_i) begin
            reads_d  = '0;
            missed_d = 1'b0;
            status_d = 2'(`MMU_ST_OK);
            ec_d     = '0;
            if (psc_hit_i) begin
              table_d     = psc_next_i;
              level_d     = psc_level_i - 3'd1;
              psc_level_d = psc_level_i;
            end else begin
              table_d     = root_ppn_i;
              level_d     = 3'(LEVELS);
              psc_level_d = '0;
            end
            state_d = WRead;
          end
        end
        WRead: begin
          ea_d = ea_next[PA_BITS-1:0];
          if (ea_next[PA_BITS]) begin
            // The entry lies past the physical address space: bus error.
            status_d = 2'(`MMU_ST_BUS_ERROR);
            state_d  = WDone;
          end else begin
            state_d = WCompare;
          end
        end
        WCompare: begin
          if (!l1_hit_i) begin
            l1_fill_o = 1'b1;
            missed_d  = 1'b1;
            state_d   = WFill;
          end else if (CHECK_STAGE != 0) begin
            state_d = WCheck;
          end
        end
        WFill: begin
          if (l1_fill_done_i) begin
            if (l1_fill_err_i) begin
              status_d = 2'(`MMU_ST_BUS_ERROR);
              state_d  = WDone;
            end else begin
              state_d = WRead;
            end
          end
        end
        WWrite: begin
          state_d = WWriteCmp;
        end
        WWriteCmp: begin
          state_d = final_q ? WDone : WRead;
        end
        WDone: begin
          state_d = WIdle;
        end
        WCheck: begin
          // the checks below (chk_now)
        end
        default: begin
          state_d = WIdle;
        end
      endcase

      // The entry's checks: the read hit in the L1 (WCompare), or a cycle
      // later (WCheck).
      if (chk_now) begin
        reads_d  = reads_q + 3'd1;
        missed_d = 1'b0;
        if (!e_p) begin
          status_d = 2'(`MMU_ST_PAGE_FAULT);
          ec_d     = acc_ec;
          state_d  = WDone;
        end else if (rsvd) begin
          status_d = 2'(`MMU_ST_PAGE_FAULT);
          ec_d     = acc_ec | EcW'(`PFEC_P) | EcW'(`PFEC_RSVD);
          state_d  = WDone;
        end else if (!leaf) begin
          psc_fill_o = 1'b1;
          table_d    = frame;
          level_d    = level_q - 3'd1;
          if (!e_a) begin
            wval_d  = e | (64'd1 << `PTE_BIT_A);
            final_d = 1'b0;
            state_d = WWrite;
          end else begin
            state_d = WRead;
          end
        end else if (!allowed) begin
          status_d = 2'(`MMU_ST_PAGE_FAULT);
          ec_d     = acc_ec | EcW'(`PFEC_P) | (pk ? EcW'(`PFEC_PK) : '0);
          state_d  = WDone;
        end else begin
          te_ppn_d    = PPN_BITS'((64'(frame) & ~span) | (64'(vpn_i) & span));
          te_level_d  = 2'(level_q);
          te_global_d = e_g && pge_i;
          te_dirty_d  = e_new[`PTE_BIT_D];
          te_key_d    = e_key;
          if (e_new != e) begin
            wval_d  = e_new;
            final_d = 1'b1;
            state_d = WWrite;
          end else begin
            state_d = WDone;
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q     <= WIdle;
      level_q     <= '0;
      table_q     <= '0;
      rw_q        <= 1'b1;
      us_q        <= 1'b1;
      xd_q        <= 1'b0;
      missed_q    <= 1'b0;
      final_q     <= 1'b0;
      ea_q        <= '0;
      wval_q      <= '0;
      status_q    <= '0;
      ec_q        <= '0;
      reads_q     <= '0;
      psc_level_q <= '0;
      te_ppn_q    <= '0;
      te_level_q  <= '0;
      te_global_q <= 1'b0;
      te_dirty_q  <= 1'b0;
      te_key_q    <= '0;
    end else if (`MMU_SIM_GATE(state_q != WIdle || start_i)) begin
      // Idle without a start every _d equals its _q (the FSM below):
      // the simulated model skips the copies while the L1 serves hits.
      state_q     <= state_d;
      level_q     <= level_d;
      table_q     <= table_d;
      missed_q    <= missed_d;
      final_q     <= final_d;
      ea_q        <= ea_d;
      wval_q      <= wval_d;
      status_q    <= status_d;
      ec_q        <= ec_d;
      reads_q     <= reads_d;
      psc_level_q <= psc_level_d;
      te_ppn_q    <= te_ppn_d;
      te_level_q  <= te_level_d;
      te_global_q <= te_global_d;
      te_dirty_q  <= te_dirty_d;
      te_key_q    <= te_key_d;
      // Rights: reset at the start (or taken from the PSC), combined at
      // every entry read.
      if (state_q == WIdle && start_i) begin
        rw_q <= psc_hit_i ? psc_rw_i : 1'b1;
        us_q <= psc_hit_i ? psc_us_i : 1'b1;
        xd_q <= psc_hit_i ? psc_xd_i : 1'b0;
      end else if (chk_now && e_p && !rsvd) begin
        rw_q <= rw_d;
        us_q <= us_d;
        xd_q <= xd_d;
      end
    end
  end

  // ---- outputs -------------------------------------------------------------
  assign psc_fill_level_o = level_q;
  assign psc_fill_next_o  = frame;
  assign psc_fill_rw_o    = rw_d;
  assign psc_fill_us_o    = us_d;
  assign psc_fill_xd_o    = xd_d;

  assign fsm_o          = state_q;
  assign l1_rd_o        = (state_q == WRead && !ea_next[PA_BITS]) || state_q == WWrite;
  assign l1_rd_addr_o   = state_q == WRead ? ea_next[PA_BITS-1:0] : ea_q;
  assign l1_cmp_o       = state_q == WCompare || state_q == WWriteCmp;
  assign l1_cmp_addr_o  = ea_q;
  assign l1_we_o        = state_q == WWriteCmp;
  assign l1_wbe_o       = WordBytes'(((1 << PTE_BYTES) - 1) << ea_q[OffW-1:0]);
  assign l1_wdata_o     = WordBits'(wval_q << (8 * 32'(ea_q[OffW-1:0])));
  assign l1_fill_addr_o = ea_q;

  assign busy_o      = state_q != WIdle;
  assign done_o      = state_q == WDone;
  assign status_o    = status_q;
  assign ec_o        = ec_q;
  assign te_ppn_o    = te_ppn_q;
  assign te_level_o  = te_level_q;
  assign te_global_o = te_global_q;
  assign te_rw_o     = rw_q;
  assign te_us_o     = us_q;
  assign te_xd_o     = xd_q;
  assign te_dirty_o  = te_dirty_q;
  assign te_key_o    = te_key_q;
  assign reads_o     = reads_q;
  assign psc_level_o = psc_level_q;

  assign ad_valid_o  = state_q == WWriteCmp;
  assign ad_pa_o     = 64'(ea_q);
  assign ad_value_o  = wval_q;

  assign cnt_read_o         = hit_now;
  assign cnt_read_l1_hit_o  = hit_now && !missed_q;
  assign cnt_read_l1_miss_o = hit_now && missed_q;
  assign cnt_write_o        = state_q == WWriteCmp;
  assign cnt_psc_hit_o      = state_q == WIdle && start_i && psc_hit_i;

  // ---- invariants ----------------------------------------------------------
  `MMU_ASSERT_IF(a_start_idle, start_i, state_q == WIdle, "walk started while busy")
  `MMU_ASSERT_IF(a_write_hits, state_q == WWriteCmp, l1_hit_i,
              "A/D write missed in the L1 although the entry was just read")
  `MMU_ASSERT_IF(a_level_range, state_q != WIdle, level_q >= 3'd1 && 32'(level_q) <= LEVELS,
              "walker level out of range")
  `MMU_ASSERT_IF(a_leaf_level, chk_now && e_p && !rsvd && leaf, level_q <= 3'd3,
              "leaf above level 3 passed the reserved-bit check")
  `MMU_ASSERT_IF(a_psc_level, start_i && psc_hit_i, psc_level_i >= 3'd2 && 32'(psc_level_i) <= LEVELS,
              "PSC hit at a level without a cache")
endmodule
