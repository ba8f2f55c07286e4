// SPDX-License-Identifier: MIT
// Formal harness of rtl/ptw.sv (formal/README.md).  The L1 is free: any
// entry value, hit or miss, fill or bus error in any cycle; the request and
// control bits are free at the start of a walk and held while it runs (as
// mmu_top holds them).  Two levels of 2 index bits, 8-byte x86 entries
// (the x86 configuration's entry format), 4 KiB pages, 2-bit frames,
// 16-byte lines.
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module ptw_fpv #(
  parameter int LEVELS     = 2,
  parameter int INDEX_BITS = 2,
  parameter int PPN_BITS   = 2,
  parameter int PAGE_SHIFT = 12,
  parameter int L1_LINE    = 16,
  localparam int PteBytes  = 8,
  localparam int VpnBits   = LEVELS * INDEX_BITS,
  localparam int PaBits    = PPN_BITS + PAGE_SHIFT,
  localparam int WordBytes = (L1_LINE < 8) ? L1_LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int PkeyW     = `PTE_PKEY_BITS,
  localparam int PkruW     = `PKRU_BITS,
  localparam int EcW       = `PFEC_BITS
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,
  input  logic [VpnBits-1:0]  vpn_i,
  input  logic [1:0]          op_i,
  input  logic                user_i,
  input  logic [PPN_BITS-1:0] root_ppn_i,
  input  logic                wp_i,
  input  logic                nxe_i,
  input  logic                smep_i,
  input  logic                smap_i,
  input  logic                ac_i,
  input  logic                pge_i,
  input  logic                pke_i,
  input  logic [PkruW-1:0]    pkru_i,
  input  logic                psc_hit_i,
  input  logic [2:0]          psc_level_i,
  input  logic [PPN_BITS-1:0] psc_next_i,
  input  logic                psc_rw_i,
  input  logic                psc_us_i,
  input  logic                psc_xd_i,
  input  logic                l1_hit_i,
  input  logic [WordBits-1:0] l1_rdata_i,
  input  logic                l1_fill_done_i,
  input  logic                l1_fill_err_i
);
  localparam int OffW = $clog2(WordBytes);
  logic                 psc_fill, psc_fill_rw, psc_fill_us, psc_fill_xd;
  logic [2:0]           psc_fill_level;
  logic [PPN_BITS-1:0]  psc_fill_next;
  logic                 l1_rd, l1_cmp, l1_we, l1_fill;
  logic [PaBits-1:0]    l1_rd_addr, l1_cmp_addr, l1_fill_addr;
  logic [WordBytes-1:0] l1_wbe;
  logic [WordBits-1:0]  l1_wdata;
  logic                 busy, done, te_global, te_rw, te_us, te_xd, te_dirty;
  logic [1:0]           status, te_level;
  logic [EcW-1:0]       ec;
  logic [PkeyW-1:0]     te_key;
  logic [2:0]           fsm;
  logic [PPN_BITS-1:0]  te_ppn;
  logic [2:0]           reads, psc_level;
  logic                 ad_valid;
  logic [63:0]          ad_pa, ad_value;
  logic [4:0]           cnt;

  ptw #(
    .PA_BITS(PaBits), .LEVELS(LEVELS), .PAGE_SHIFT(PAGE_SHIFT), .PTE_BYTES(PteBytes),
    .PAGE_2M(1), .PAGE_1G(1), .L1_LINE(L1_LINE), .VPN_BITS(VpnBits),
    .INDEX_BITS(INDEX_BITS), .PPN_BITS(PPN_BITS)
  ) dut (
    .clk_i, .rst_ni, .start_i, .vpn_i, .op_i, .user_i, .root_ppn_i, .wp_i, .nxe_i,
    .smep_i, .smap_i, .ac_i, .pge_i, .pke_i, .pkru_i, .psc_hit_i, .psc_level_i, .psc_next_i,
    .psc_rw_i, .psc_us_i, .psc_xd_i,
    .psc_fill_o(psc_fill), .psc_fill_level_o(psc_fill_level), .psc_fill_next_o(psc_fill_next),
    .psc_fill_rw_o(psc_fill_rw), .psc_fill_us_o(psc_fill_us), .psc_fill_xd_o(psc_fill_xd),
    .l1_rd_o(l1_rd), .l1_rd_addr_o(l1_rd_addr), .l1_cmp_o(l1_cmp), .l1_cmp_addr_o(l1_cmp_addr),
    .l1_we_o(l1_we), .l1_wbe_o(l1_wbe), .l1_wdata_o(l1_wdata), .l1_hit_i, .l1_rdata_i,
    .l1_fill_o(l1_fill), .l1_fill_addr_o(l1_fill_addr), .l1_fill_done_i, .l1_fill_err_i,
    .busy_o(busy), .done_o(done), .status_o(status), .ec_o(ec), .te_ppn_o(te_ppn),
    .te_level_o(te_level), .te_global_o(te_global), .te_rw_o(te_rw), .te_us_o(te_us),
    .te_xd_o(te_xd), .te_dirty_o(te_dirty), .te_key_o(te_key), .reads_o(reads), .psc_level_o(psc_level),
    .ad_valid_o(ad_valid), .ad_pa_o(ad_pa), .ad_value_o(ad_value),
    .cnt_read_o(cnt[0]), .cnt_read_l1_hit_o(cnt[1]), .cnt_read_l1_miss_o(cnt[2]),
    .cnt_write_o(cnt[3]), .cnt_psc_hit_o(cnt[4]), .fsm_o(fsm)
  );

  // ---- environment -------------------------------------------------------------
  logic f_busy_q;  // a walk runs (started in an earlier cycle)
  always_ff @(posedge clk_i) begin
    if (!rst_ni) f_busy_q <= 1'b0;
    else if (start_i) f_busy_q <= 1'b1;
    else if (done) f_busy_q <= 1'b0;
  end
  logic [VpnBits+PPN_BITS+PkruW+11-1:0] f_req;  // what the walk may not see change
  assign f_req = {vpn_i, op_i, user_i, root_ppn_i, wp_i, nxe_i, smep_i, smap_i, ac_i, pge_i,
                  pke_i, pkru_i};

  always_comb begin
    m_reset_first: assume (rst_ni == !$initstate);
    m_start_idle: assume (!start_i || !busy);
    m_op_known: assume (op_i != 2'd3);
    m_psc_level: assume (!(start_i && psc_hit_i) || (psc_level_i >= 3'd2 && 32'(psc_level_i) <= LEVELS));
    // The entry just read is still in the L1 when its A/D bits are written.
    m_write_hits: assume (!l1_we || l1_hit_i);
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && f_busy_q) m_req_stable: assume ($stable(f_req));
  end

  // ---- the architectural rules, written independently of the RTL ----------------
  // The entry the L1 returns for the compared address.
  logic [63:0] f_ent;
  assign f_ent = 64'(l1_rdata_i) >> (8 * 32'(l1_cmp_addr[OffW-1:0]));
  logic f_read;  // an entry read that hits (not the A/D write's compare)
  assign f_read = l1_cmp && !l1_we && l1_hit_i;

  // Combined rights so far (R/W and U/S ANDed, XD ORed over present entries).
  logic f_rw_q, f_us_q, f_xd_q, f_rw, f_us, f_xd;
  assign f_rw = f_rw_q && f_ent[`PTE_BIT_RW];
  assign f_us = f_us_q && f_ent[`PTE_BIT_US];
  assign f_xd = f_xd_q || f_ent[`PTE_BIT_XD];
  always_ff @(posedge clk_i) begin
    if (start_i) begin
      f_rw_q <= psc_hit_i ? psc_rw_i : 1'b1;
      f_us_q <= psc_hit_i ? psc_us_i : 1'b1;
      f_xd_q <= psc_hit_i ? psc_xd_i : 1'b0;
    end else if (f_read && f_ent[`PTE_BIT_P]) begin
      f_rw_q <= f_rw;
      f_us_q <= f_us;
      f_xd_q <= f_xd;
    end
  end

  // SDM 4.6: may this access use a translation with these combined rights
  // and this protection key (4.6.2: data accesses to user-mode addresses)?
  function automatic logic f_allowed(input logic rw, input logic us, input logic xd,
                                     input logic [PkeyW-1:0] key);
    logic store, fetch, ad, wd;
    store = op_i == 2'(`MMU_OP_STORE);
    fetch = op_i == 2'(`MMU_OP_FETCH);
    ad    = pkru_i[2 * 32'(key)];
    wd    = pkru_i[2 * 32'(key) + 1];
    if (fetch && nxe_i && xd) f_allowed = 1'b0;
    else if (user_i) f_allowed = us && (!store || rw);
    else if (fetch) f_allowed = !(smep_i && us);
    else f_allowed = !(smap_i && us && !ac_i) && !(store && wp_i && !rw);
    if (pke_i && us && !fetch && (ad || (store && wd && (user_i || wp_i)))) f_allowed = 1'b0;
  endfunction

  // Reserved bits of a non-leaf entry: frame bits above the physical
  // address space, XD without EFER.NXE.
  localparam logic [63:0] HighFrame =
      ((64'd1 << (`PTE_HIGHEST_ADDR_BIT + 1)) - 64'd1) & ~((64'd1 << (`PTE_FRAME_SHIFT + PPN_BITS)) - 64'd1);
  logic f_ent_rsvd;
  assign f_ent_rsvd = (f_ent & HighFrame) != '0 || (f_ent[`PTE_BIT_XD] && !nxe_i);

  // The last entry read, and the walk's A/D writes.
  logic [63:0]       f_last_q;
  logic [PaBits-1:0] f_last_pa_q;
  logic              f_wrote_q, f_dset_q, f_leaf_wr_q;
  logic [63:0]       f_wval;
  assign f_wval = 64'(l1_wdata) >> (8 * 32'(l1_cmp_addr[OffW-1:0]));
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_last_q    <= '0;
      f_last_pa_q <= '0;
      f_wrote_q   <= 1'b0;
      f_dset_q    <= 1'b0;
      f_leaf_wr_q <= 1'b0;
    end else begin
      if (f_read) begin
        f_last_q    <= f_ent;
        f_last_pa_q <= l1_cmp_addr;
      end
      f_wrote_q <= l1_we;
      f_dset_q  <= l1_we && f_wval[`PTE_BIT_D] && !f_last_q[`PTE_BIT_D];
      if (start_i) f_leaf_wr_q <= 1'b0;
      else if (f_wrote_q && done) f_leaf_wr_q <= 1'b1;
    end
  end

  // ---- properties -------------------------------------------------------------------
  always_comb begin
    if (rst_ni) begin
      // No paging-structure-cache fill from an entry that faults: the entry is
      // present, has no reserved bits and points to a table (PS clear).
      if (psc_fill) begin
        p_psc_fill_valid: assert (f_read && f_ent[`PTE_BIT_P] && !f_ent[`PTE_BIT_PS] &&
                                  !f_ent_rsvd && psc_fill_level >= 3'd2 &&
                                  {psc_fill_next, psc_fill_rw, psc_fill_us, psc_fill_xd} ==
                                  {PPN_BITS'(f_ent >> `PTE_FRAME_SHIFT), f_rw, f_us, f_xd});
      end
      // An A/D write sets only A, and D only for a store, on the entry just
      // read, at its address, with only its bytes enabled.
      if (l1_we) begin
        p_ad_bits: assert (l1_cmp_addr == f_last_pa_q &&
                           l1_wbe == WordBytes'(((1 << PteBytes) - 1) << l1_cmp_addr[OffW-1:0]) &&
                           f_wval != f_last_q &&
                           (f_wval & ~f_last_q & ~(64'd1 << `PTE_BIT_A) &
                            ~(op_i == 2'(`MMU_OP_STORE) ? 64'd1 << `PTE_BIT_D : 64'd0)) == '0 &&
                           (f_wval & ~f_last_q) == (f_wval ^ f_last_q));
      end
      // D is set only by the leaf's write (the one that ends the walk).
      if (f_dset_q) begin
        p_ad_bits_d_leaf: assert (done);
      end
      // The leaf's A/D write and a successful walk (the TLB fill) happen only
      // for an allowed access through a present leaf; the translation carries
      // the combined rights.
      if (done && (f_wrote_q || status == 2'(`MMU_ST_OK))) begin
        p_ok_allowed: assert (status == 2'(`MMU_ST_OK) && f_last_q[`PTE_BIT_P] &&
                              f_allowed(f_rw_q, f_us_q, f_xd_q, f_last_q[`PTE_BIT_PKEY +: PkeyW]) &&
                              {te_rw, te_us, te_xd} == {f_rw_q, f_us_q, f_xd_q});
      end
    end
  end

  logic unused;
  assign unused = ^{l1_rd, l1_rd_addr, l1_fill, l1_fill_addr, te_global, te_dirty, te_level,
                    ec, te_ppn, te_key, fsm, reads, psc_level, ad_valid, ad_pa, ad_value, cnt, f_leaf_wr_q};
endmodule
