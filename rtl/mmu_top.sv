// SPDX-License-Identifier: MIT
// The MMU: TLB, page walker, paging-structure caches and a VIPT L1 data
// cache behind an AXI4 master, one configuration per set of parameters
// (configs/*.cfg through `mmucfg NAME --verilator-flags`; the defaults come
// from the generated mmu_cfg.vh of the configuration being built).
// Ports and the rules that keep its state identical to the golden model's:
// docs/rtl.md.
//
// Pipeline.  Stage 0 accepts a request and reads the TLB set (indexed by
// the low VPN bits) and the L1 set and word (indexed by the page offset).
// Stage 1 compares the TLB tags, checks the rights, compares the L1 tags
// against the TLB's PPN and answers: a hit takes one cycle from acceptance
// to response, and the next request is accepted in the cycle of the
// response.  Everything else stalls stage 1 in a small sequencer:
//   - a TLB miss, or a store through a clean entry, runs the walker (its
//     entry reads and A/D writes use the L1 like a CPU access), fills the
//     TLB and replays the request through stage 0;
//   - an L1 miss fills the line and replays the request;
//   - a fault answers at once.
// A replay repeats the TLB and L1 touches of the access, which leaves the
// tree-PLRU state as one touch would; hits, misses and the outcome flags
// are taken from the first evaluation.
`include "mmu_assert.svh"
`include "mmu_sim.svh"
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module mmu_top #(
  parameter int          VA_BITS     = `MMU_VA_BITS,
  parameter int          PA_BITS     = `MMU_PA_BITS,
  parameter int          LEVELS      = `MMU_LEVELS,
  parameter int          PAGE_SHIFT  = `MMU_PAGE_SHIFT,
  parameter int          PTE_BYTES   = `MMU_PTE_BYTES,
  parameter int          PAGE_2M     = `MMU_PAGE_2M,
  parameter int          PAGE_1G     = `MMU_PAGE_1G,
  parameter int          PCID        = `MMU_PCID,
  parameter int          TLB_SETS    = `MMU_TLB_SETS,
  parameter int          TLB_WAYS    = `MMU_TLB_WAYS,
  parameter int          L1_SETS     = `MMU_L1_SETS,
  parameter int          L1_WAYS     = `MMU_L1_WAYS,
  parameter int          L1_LINE     = `MMU_L1_LINE,
  parameter int          PSC_ENTRIES = `MMU_PSC_ENTRIES,
  // The DRAM size is the memory model's business (it answers DECERR past
  // it); the parameter only documents the configuration's default.  Untyped
  // so that an override (-G) of any width is taken as it is.
  parameter              MEM_BYTES   = `MMU_MEM_BYTES,
  parameter int          CANON_ZERO  = `MMU_CANON_ZERO,
  // 1: the registered hit stage (rtl/hit_stage.sv): two-cycle load-to-use,
  // still one hit per cycle, a shorter clock period.
  parameter int          HIT_STAGE   = `MMU_HIT_STAGE,
  parameter int          CNT_W       = 64,  // counter width (ports are 64 bits)
  localparam int DataW = 8 * ((L1_LINE < 8) ? L1_LINE : 8),
  localparam int StrbW = DataW / 8,
  localparam int PcidW = `CR3_PCID_BITS,
  localparam int PkruW = `PKRU_BITS,
  localparam int EcW   = `PFEC_BITS
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // CPU request.
  input  logic              req_valid_i,
  output logic              req_ready_o,
  input  logic [63:0]       req_va_i,
  input  logic [1:0]        req_op_i,
  input  logic [1:0]        req_size_i,   // log2 of the size in bytes
  input  logic              req_user_i,
  input  logic              req_phys_i,
  input  logic [63:0]       req_wdata_i,

  // Response (one per request, in order, no back-pressure).
  output logic              rsp_valid_o,
  output logic [1:0]        rsp_status_o,
  output logic [63:0]       rsp_rdata_o,
  output logic [63:0]       rsp_pa_o,
  output logic [EcW-1:0]    rsp_ec_o,
  output logic              rsp_tlb_hit_o,
  output logic              rsp_walked_o,
  output logic              rsp_l1_hit_o,
  output logic [2:0]        rsp_walk_reads_o,
  output logic [2:0]        rsp_psc_level_o,
  output logic [1:0]        rsp_page_level_o,
  output logic [63:0]       cr2_o,

  // Walker A/D trace.
  output logic              ad_valid_o,
  output logic [63:0]       ad_pa_o,
  output logic [63:0]       ad_value_o,

  // Control.
  input  logic              ctl_valid_i,
  output logic              ctl_ready_o,
  input  logic [3:0]        ctl_op_i,
  input  logic [63:0]       ctl_value_i,
  input  logic [63:0]       ctl_addr_i,
  input  logic [1:0]        ctl_type_i,
  input  logic [PcidW-1:0]  ctl_pcid_i,
  output logic              ctl_done_o,
  output logic              ctl_gp_o,
  output logic [63:0]       cr0_o,
  output logic [63:0]       cr3_o,
  output logic [63:0]       cr4_o,
  output logic [63:0]       efer_o,
  output logic              ac_o,
  output logic [PkruW-1:0]  pkru_o,

  // Performance counters (names of MMU_COUNTERS in sw/machine/machine.h).
  output logic [63:0]       cnt_accesses_o,
  output logic [63:0]       cnt_tlb_hits_o,
  output logic [63:0]       cnt_tlb_misses_o,
  output logic [63:0]       cnt_walks_o,
  output logic [63:0]       cnt_walk_reads_o,
  output logic [63:0]       cnt_walk_writes_o,
  output logic [63:0]       cnt_walk_cycles_o,
  output logic [63:0]       cnt_psc_hits_o,
  output logic [63:0]       cnt_l1_hits_o,
  output logic [63:0]       cnt_l1_misses_o,
  output logic [63:0]       cnt_walk_l1_hits_o,
  output logic [63:0]       cnt_walk_l1_misses_o,
  output logic [63:0]       cnt_line_fills_o,
  output logic [63:0]       cnt_writebacks_o,
  output logic [63:0]       cnt_page_faults_o,
  output logic [63:0]       cnt_gp_faults_o,
  output logic [63:0]       cnt_tlb_flushes_o,

  // AXI4 master.
  output logic              m_axi_awvalid_o,
  input  logic              m_axi_awready_i,
  output logic [63:0]       m_axi_awaddr_o,
  output logic [7:0]        m_axi_awlen_o,
  output logic [2:0]        m_axi_awsize_o,
  output logic [1:0]        m_axi_awburst_o,
  output logic              m_axi_awid_o,
  output logic              m_axi_wvalid_o,
  input  logic              m_axi_wready_i,
  output logic [DataW-1:0]  m_axi_wdata_o,
  output logic [StrbW-1:0]  m_axi_wstrb_o,
  output logic              m_axi_wlast_o,
  input  logic              m_axi_bvalid_i,
  output logic              m_axi_bready_o,
  input  logic [1:0]        m_axi_bresp_i,
  input  logic              m_axi_bid_i,
  output logic              m_axi_arvalid_o,
  input  logic              m_axi_arready_i,
  output logic [63:0]       m_axi_araddr_o,
  output logic [7:0]        m_axi_arlen_o,
  output logic [2:0]        m_axi_arsize_o,
  output logic [1:0]        m_axi_arburst_o,
  output logic              m_axi_arid_o,
  input  logic              m_axi_rvalid_i,
  output logic              m_axi_rready_o,
  input  logic [DataW-1:0]  m_axi_rdata_i,
  input  logic [1:0]        m_axi_rresp_i,
  input  logic              m_axi_rlast_i,
  input  logic              m_axi_rid_i,

  // Debug path (docs/rtl.md, "Debug port"): preload and read back one TLB
  // entry or L1 line slot while idle (ctl_ready_o): a command is taken at
  // the edge that ends the cycle of dbg_valid_i, executed in the next cycle,
  // and a read answers on dbg_a_o/dbg_b_o in the cycle after that.
  input  logic              dbg_valid_i,
  input  logic [2:0]        dbg_op_i,     // MMU_DBG_*
  input  logic [15:0]       dbg_set_i,
  input  logic [4:0]        dbg_way_i,
  input  logic [7:0]        dbg_word_i,   // L1 word (of WordBytes) in the line
  input  logic [63:0]       dbg_a_i,      // TLB: VPN; L1: tag or data word
  input  logic [63:0]       dbg_b_i,      // TLB: MMU_DBG_TLB_* fields; L1 tag: MMU_DBG_L1_*
  output logic [63:0]       dbg_a_o,
  output logic [63:0]       dbg_b_o,
  // The sequencer's, walker's and L1's FSM states (for cycle traces).
  output logic [15:0]       dbg_fsm_o
);
  // ---- derived widths ----------------------------------------------------
  localparam int VpnBits   = VA_BITS - PAGE_SHIFT;
  localparam int IndexBits = VpnBits / LEVELS;
  localparam int PpnBits   = PA_BITS - PAGE_SHIFT;
  localparam int TlbSetW   = $clog2(TLB_SETS);
  localparam int TlbWayW   = (TLB_WAYS > 1) ? $clog2(TLB_WAYS) : 1;
  localparam int TlbCntW   = $clog2(TLB_WAYS + 1);
  localparam int L1OffW    = $clog2(L1_LINE);
  localparam int L1IdxW    = $clog2(L1_SETS);
  localparam int L1TagW    = PA_BITS - L1OffW - L1IdxW;
  localparam int WordBytes = StrbW;
  localparam int WordBits  = DataW;
  localparam int ByteW     = $clog2(WordBytes);
  localparam int WiW       = (L1_LINE / WordBytes > 1) ? $clog2(L1_LINE / WordBytes) : 1;

  // ---- configurations the hardware cannot build stop elaboration ---------
  mmu_cfg_check #(
    .VA_BITS   (VA_BITS),
    .LEVELS    (LEVELS),
    .PAGE_SHIFT(PAGE_SHIFT),
    .PTE_BYTES (PTE_BYTES),
    .TLB_SETS  (TLB_SETS),
    .TLB_WAYS  (TLB_WAYS),
    .L1_SETS   (L1_SETS),
    .L1_WAYS   (L1_WAYS),
    .L1_LINE   (L1_LINE)
  ) u_cfg_check ();

  // ---- sequencer state -----------------------------------------------------
  typedef enum logic [2:0] {SRun, SWalk, SFill, SReplay, SCtl, SRelook} state_e;
  state_e state_q, state_d;

  // The request in stage 1, held until it is answered.
  logic               s1_valid_q, s1_valid_d;
  logic               s1_first_q, s1_first_d;   // first evaluation (not a replay)
  logic [63:0]        s1_va_q;
  logic [1:0]         s1_op_q, s1_size_q;
  logic               s1_user_q, s1_phys_q;
  logic [63:0]        s1_wdata_q;
  // What the access did so far.
  logic               o_tlb_hit_q, o_tlb_hit_d;
  logic               o_walked_q, o_walked_d;
  logic               o_l1_miss_q, o_l1_miss_d;
  logic [1:0]         o_level_q, o_level_d;
  logic [TLB_WAYS-1:0] match_q, match_d;      // TLB ways matching the request
  logic [PA_BITS-1:0] fill_pa_q, fill_pa_d;
  logic               ctl_gp_q;

  logic accept, accept_hit, replay, eval, in_walk, ctl_accept;

  // ---- control registers -----------------------------------------------------
  logic [PcidW-1:0]   pcid;
  logic [PpnBits-1:0] root_ppn;
  logic               wp, nxe, smep, smap, pge, pke;
  logic               csr_gp, csr_tlb_flush, csr_tlb_global, csr_psc_all, csr_psc_pcid, csr_l1_mnt;
  logic [1:0]         csr_tlb_kind;
  logic [VpnBits-1:0] csr_tlb_vpn;
  logic [PcidW-1:0]   csr_tlb_pcid;
  logic [2:0]         csr_l1_op;
  logic               cr2_we;

  mmu_csr #(
    .VA_BITS   (VA_BITS),
    .CANON_ZERO(CANON_ZERO),
    .PAGE_SHIFT(PAGE_SHIFT),
    .PPN_BITS  (PpnBits),
    .VPN_BITS  (VpnBits),
    .PTE_BYTES (PTE_BYTES),
    .PCID      (PCID)
  ) u_csr (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .ctl_accept_i(ctl_accept),
    .ctl_op_i    (ctl_op_i),
    .ctl_value_i (ctl_value_i),
    .ctl_addr_i  (ctl_addr_i),
    .ctl_type_i  (ctl_type_i),
    .ctl_pcid_i  (ctl_pcid_i),
    .cr2_we_i    (cr2_we),
    .cr2_i       (s1_va_q),
    .cr0_o       (cr0_o),
    .cr2_o       (cr2_o),
    .cr3_o       (cr3_o),
    .cr4_o       (cr4_o),
    .efer_o      (efer_o),
    .ac_o        (ac_o),
    .pkru_o      (pkru_o),
    .pcid_o      (pcid),
    .root_ppn_o  (root_ppn),
    .wp_o        (wp),
    .nxe_o       (nxe),
    .smep_o      (smep),
    .smap_o      (smap),
    .pge_o       (pge),
    .pke_o       (pke),
    .gp_o        (csr_gp),
    .tlb_flush_o (csr_tlb_flush),
    .tlb_kind_o  (csr_tlb_kind),
    .tlb_vpn_o   (csr_tlb_vpn),
    .tlb_pcid_o  (csr_tlb_pcid),
    .tlb_global_o(csr_tlb_global),
    .psc_all_o   (csr_psc_all),
    .psc_pcid_o  (csr_psc_pcid),
    .l1_mnt_o    (csr_l1_mnt),
    .l1_op_o     (csr_l1_op)
  );

  // ---- the lookup: TLB compare, rights, physical page ---------------------------
  // Without a hit stage the lookup is stage 1's own.  With it (HIT_STAGE) it
  // is stage L's (the request accepted in the previous cycle), or stage 1's
  // in SRelook (a replay looks its request up again), and its result
  // reaches stage 1 through u_hit's registers.
  localparam bit Reg  = HIT_STAGE != 0;
  localparam int ReqW = 64 + 2 + 2 + 1 + 1 + 64;
  localparam int ResW = 1 + TLB_WAYS + TlbWayW + PpnBits + 2 + 1 + 1 + EcW + 4;
  logic [VpnBits-1:0]  s1_vpn, lk_vpn;
  logic                s1_store, s1_virt, lk_canonical;
  logic                s1_load, relook;
  logic [TLB_WAYS-1:0] tlb_match, lk_match;
  logic                tlb_hit, hit_pk, lk_hit, lk_rw, lk_us, lk_xd, lk_dirty, lk_pk;
  logic [`PTE_PKEY_BITS-1:0] lk_key;
  logic [TlbWayW-1:0]  tlb_way, lk_way;
  logic [PpnBits-1:0]  lk_ppn, pa_frame, lk_frame;
  logic [1:0]          tlb_level, lk_level;
  logic                hit_allowed, lk_allowed;
  logic [EcW-1:0]      acc_ec, lk_ec;
  // Stage L (HIT_STAGE only): its request, whether the TLB set read for it
  // is current, and when it moves to stage 1.
  logic                sl_valid, sl_fresh, sl_adv, sl_reread, sl_spec;
  logic [63:0]         sl_va, sl_wdata, lk_va;
  logic [1:0]          sl_op, sl_size, lk_op;
  logic                sl_user, sl_phys, lk_user, lk_phys;
  // The access's decision, formed from the lookup (registered with it).
  logic                is_gp, tlb_pf, need_walk, data_go;
  logic                lk_gp, lk_pf, lk_walk, lk_go;

  assign s1_vpn   = VpnBits'(s1_va_q >> PAGE_SHIFT);
  assign s1_store = s1_op_q == 2'(`MMU_OP_STORE);
  assign s1_virt  = !s1_phys_q;
  assign relook   = state_q == SRelook;
  assign lk_va    = (Reg && !relook) ? sl_va : s1_va_q;
  assign lk_op    = (Reg && !relook) ? sl_op : s1_op_q;
  assign lk_user  = (Reg && !relook) ? sl_user : s1_user_q;
  assign lk_phys  = (Reg && !relook) ? sl_phys : s1_phys_q;
  assign lk_vpn   = VpnBits'(lk_va >> PAGE_SHIFT);

  va_canonical #(.VA_BITS(VA_BITS), .CANON_ZERO(CANON_ZERO)) u_canon (
    .va_i       (lk_va),
    .canonical_o(lk_canonical)
  );

  // The decision: #GP (a non-canonical address), #PF on a TLB hit without
  // the rights, a walk (a TLB miss, or a store through a clean entry), or
  // the data access; and the physical frame (the TLB's, or the address's
  // own for a physical access).  With the hit stage all are registered, so
  // that stage 1 starts from flip-flops.
  assign lk_gp    = !lk_phys && !lk_canonical;
  assign lk_pf    = !lk_phys && !lk_gp && lk_hit && !lk_allowed;
  assign lk_walk  = !lk_phys && !lk_gp && !lk_pf &&
                    (!lk_hit || (lk_op == 2'(`MMU_OP_STORE) && !lk_dirty));
  assign lk_go    = !lk_gp && !lk_pf && !lk_walk;
  assign lk_frame = lk_phys ? PpnBits'(lk_va >> PAGE_SHIFT) : lk_ppn;

  mmu_perm u_perm (
    .op_i     (lk_op),
    .user_i   (lk_user),
    .rw_i     (lk_rw),
    .us_i     (lk_us),
    .xd_i     (lk_xd),
    .key_i    (lk_key),
    .wp_i     (wp),
    .nxe_i    (nxe),
    .smep_i   (smep),
    .smap_i   (smap),
    .ac_i     (ac_o),
    .pke_i    (pke),
    .pkru_i   (pkru_o),
    .allowed_o(lk_allowed),
    .pk_o     (lk_pk),
    .pfec_o   (lk_ec)
  );

  // ---- stage 1: the decision -------------------------------------------------
  logic l1_hit;
  logic ok_rsp, gp_rsp, pf_tlb_rsp, walk_rsp, fill_rsp, s1_done;
  logic go_walk, go_fill, tlb_touch, walk_ok;
  logic walk_done;
  logic [1:0] walk_status;
  logic l1_fill_done, l1_fill_err;

  assign eval      = state_q == SRun && s1_valid_q;
  assign tlb_touch = eval && s1_virt && !is_gp && tlb_hit && hit_allowed;

  assign ok_rsp     = eval && data_go && l1_hit;
  assign gp_rsp     = eval && is_gp;
  assign pf_tlb_rsp = eval && tlb_pf;
  assign go_walk    = eval && need_walk;
  assign go_fill    = eval && data_go && !l1_hit;
  assign s1_done    = ok_rsp || gp_rsp || pf_tlb_rsp;

  assign in_walk  = state_q == SWalk;
  assign walk_ok  = in_walk && walk_done && walk_status == 2'(`MMU_ST_OK);
  assign walk_rsp = in_walk && walk_done && walk_status != 2'(`MMU_ST_OK);
  assign fill_rsp = state_q == SFill && l1_fill_done && l1_fill_err;
  // An access's line fill starts at its miss, or (HIT_STAGE) in the next
  // cycle, from flip-flops: the L1 tag compare does not run on into the
  // fill FSM and the tag RAM's address.
  logic l1_fill_go, fill_go_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) fill_go_q <= 1'b0;
    else         fill_go_q <= Reg && go_fill;
  end
  assign l1_fill_go = Reg ? fill_go_q : go_fill;
  assign replay   = state_q == SReplay;

  // Stage L moves on when stage 1 is free or answers in this cycle, except
  // after a #PF, whose TLB drop its lookup did not see; it reads its set
  // again in every cycle it waits in (unless a replay reads the TLB).
  assign sl_adv      = Reg && state_q == SRun && sl_valid && sl_fresh &&
                       (!s1_valid_q || s1_done) && !pf_tlb_rsp;
  assign sl_reread   = sl_valid && !replay;
  assign s1_load     = Reg ? sl_adv : accept;
  assign req_ready_o = state_q == SRun && !ctl_valid_i &&
                       (Reg ? !sl_valid || sl_adv : !s1_valid_q || s1_done);
  assign accept      = req_valid_i && req_ready_o;
  // The acceptance if stage 1 hits the L1 (HIT_STAGE): it picks the TLB set
  // read in this cycle, so that the L1 tag compare does not reach the TLB
  // RAM's address.  When stage 1 misses instead, the set read is the new
  // request's while stage L waits: stage L is not fresh, and it reads its
  // own set again during the fill (sl_spec tells u_hit).
  assign accept_hit  = req_valid_i && state_q == SRun && !ctl_valid_i &&
                       (!sl_valid || (sl_fresh && (!s1_valid_q || data_go || is_gp)));
  assign sl_spec     = Reg && accept_hit && !accept;
  assign ctl_ready_o = state_q == SRun && !s1_valid_q && !sl_valid;
  assign ctl_accept  = ctl_valid_i && ctl_ready_o;

  // ---- the data path of the access ---------------------------------------------
  logic [PA_BITS-1:0]   pa;
  logic [ByteW-1:0]     boff;
  logic [3:0]           nbytes;
  logic [WordBytes-1:0] wbe;
  logic [WordBits-1:0]  wdata, l1_rdata;
  logic [63:0]          rdata, size_mask;

  assign pa     = {pa_frame, PAGE_SHIFT'(s1_va_q)};
  assign boff   = ByteW'(pa);
  assign nbytes = 4'd1 << s1_size_q;
  assign wbe    = WordBytes'(((16'd1 << nbytes) - 16'd1) << boff);
  assign wdata  = WordBits'(s1_wdata_q << (8 * 32'(boff)));
  assign size_mask = (nbytes == 4'd8) ? '1 : (64'd1 << (8 * 32'(nbytes))) - 64'd1;
  assign rdata  = 64'(l1_rdata) & size_mask;  // shifted by the L1 (cmp_boff_i)

  // ---- debug path -------------------------------------------------------------
  // The command registers, decode and read-out (rtl/mmu_debug.sv); the TLB
  // and the L1 execute the command.  dbg_*_q are its registered operands.
  localparam int L1WayW = (L1_WAYS > 1) ? $clog2(L1_WAYS) : 1;
  logic                dbg_tlb_rd, dbg_tlb_we, dbg_l1_rd, dbg_l1_tag_we, dbg_l1_word_we, dbg_ans_q;
  logic [15:0]         dbg_set_q;
  logic [4:0]          dbg_way_q;
  logic [7:0]          dbg_word_q;
  logic [63:0]         dbg_a_q, dbg_b_q;
  logic                dbg_tlb_valid, dbg_l1_valid, dbg_l1_dirty;
  logic [VpnBits-1:0]  dbg_tlb_vpn;
  logic [PcidW-1:0]    dbg_tlb_pcid;
  logic [PpnBits-1:0]  dbg_tlb_ppn;
  logic [1:0]          dbg_tlb_level;
  logic [4:0]          dbg_tlb_flags;
  logic [`PTE_PKEY_BITS-1:0] dbg_tlb_key;
  logic [L1TagW-1:0]   dbg_l1_tag;
  logic [WordBits-1:0] dbg_l1_word;
  logic [2:0]          ptw_fsm;
  logic [3:0]          l1_fsm;

  mmu_debug #(
    .VPN_BITS (VpnBits),
    .PPN_BITS (PpnBits),
    .PCID_W   (PcidW),
    .KEY_W    (`PTE_PKEY_BITS),
    .L1_TAG_W (L1TagW),
    .WORD_BITS(WordBits)
  ) u_dbg (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .dbg_valid_i (dbg_valid_i),
    .dbg_op_i    (dbg_op_i),
    .dbg_set_i   (dbg_set_i),
    .dbg_way_i   (dbg_way_i),
    .dbg_word_i  (dbg_word_i),
    .dbg_a_i     (dbg_a_i),
    .dbg_b_i     (dbg_b_i),
    .dbg_a_o     (dbg_a_o),
    .dbg_b_o     (dbg_b_o),
    .idle_i      (ctl_ready_o && !req_valid_i && !ctl_valid_i),
    .tlb_rd_o    (dbg_tlb_rd),
    .tlb_we_o    (dbg_tlb_we),
    .l1_rd_o     (dbg_l1_rd),
    .l1_tag_we_o (dbg_l1_tag_we),
    .l1_word_we_o(dbg_l1_word_we),
    .show_o      (dbg_ans_q),
    .set_o       (dbg_set_q),
    .way_o       (dbg_way_q),
    .word_o      (dbg_word_q),
    .a_o         (dbg_a_q),
    .b_o         (dbg_b_q),
    .tlb_valid_i (dbg_tlb_valid),
    .tlb_vpn_i   (dbg_tlb_vpn),
    .tlb_pcid_i  (dbg_tlb_pcid),
    .tlb_ppn_i   (dbg_tlb_ppn),
    .tlb_level_i (dbg_tlb_level),
    .tlb_flags_i (dbg_tlb_flags),
    .tlb_key_i   (dbg_tlb_key),
    .l1_tag_i    (dbg_l1_tag),
    .l1_valid_i  (dbg_l1_valid),
    .l1_dirty_i  (dbg_l1_dirty),
    .l1_word_i   (dbg_l1_word)
  );
  assign dbg_fsm_o = {4'd0, l1_fsm, 4'(ptw_fsm), 4'(state_q)};

  // ---- the walker and the paging-structure caches ------------------------------
  logic                psc_hit, psc_rw, psc_us, psc_xd;
  logic [2:0]          psc_level;
  logic [PpnBits-1:0]  psc_next;
  logic                w_psc_fill, w_psc_rw, w_psc_us, w_psc_xd;
  logic [2:0]          w_psc_level;
  logic [PpnBits-1:0]  w_psc_next;
  logic                w_l1_rd, w_l1_cmp, w_l1_we, w_l1_fill;
  logic [PA_BITS-1:0]  w_l1_rd_addr, w_l1_cmp_addr, w_l1_fill_addr;
  logic [WordBytes-1:0] w_l1_wbe;
  logic [WordBits-1:0] w_l1_wdata;
  logic                unused_w_busy;
  logic [EcW-1:0]      walk_ec;
  logic [PpnBits-1:0]  te_ppn;
  logic [`PTE_PKEY_BITS-1:0] te_key;
  logic [1:0]          te_level;
  logic                te_global, te_rw, te_us, te_xd, te_dirty;
  logic [2:0]          walk_reads, walk_psc_level;
  logic                cnt_w_read, cnt_w_l1_hit, cnt_w_l1_miss, cnt_w_write, cnt_psc_hit;
  logic                pf_now;

  assign pf_now = pf_tlb_rsp || (walk_rsp && walk_status == 2'(`MMU_ST_PAGE_FAULT));
  assign cr2_we = pf_now;

  psc #(
    .LEVELS    (LEVELS),
    .ENTRIES   (PSC_ENTRIES),
    .VPN_BITS  (VpnBits),
    .INDEX_BITS(IndexBits),
    .PPN_BITS  (PpnBits),
    .PCID_W    (PcidW)
  ) u_psc (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .lk_en_i         (go_walk || pf_now || (in_walk && w_psc_fill)),
    .lk_vpn_i        (s1_vpn),
    .lk_pcid_i       (pcid),
    .lk_hit_o        (psc_hit),
    .lk_level_o      (psc_level),
    .lk_next_o       (psc_next),
    .lk_rw_o         (psc_rw),
    .lk_us_o         (psc_us),
    .lk_xd_o         (psc_xd),
    .fill_i          (in_walk && w_psc_fill),
    .fill_level_i    (w_psc_level),
    .fill_next_i     (w_psc_next),
    .fill_rw_i       (w_psc_rw),
    .fill_us_i       (w_psc_us),
    .fill_xd_i       (w_psc_xd),
    .flush_all_i     (ctl_accept && csr_psc_all),
    .flush_pcid_i    (ctl_accept && csr_psc_pcid),
    .flush_tag_i     (pf_now),
    .flush_pcid_val_i(csr_tlb_pcid)
  );

  logic                l1_cmp_hit;
  logic [WordBits-1:0] l1_cmp_rdata;

  ptw #(
    .PA_BITS   (PA_BITS),
    .LEVELS    (LEVELS),
    .PAGE_SHIFT(PAGE_SHIFT),
    .PTE_BYTES (PTE_BYTES),
    .PAGE_2M   (PAGE_2M),
    .PAGE_1G   (PAGE_1G),
    .L1_LINE   (L1_LINE),
    .VPN_BITS  (VpnBits),
    .INDEX_BITS(IndexBits),
    .PPN_BITS  (PpnBits),
    .CHECK_STAGE(HIT_STAGE)
  ) u_ptw (
    .clk_i             (clk_i),
    .rst_ni            (rst_ni),
    .start_i           (go_walk),
    .vpn_i             (s1_vpn),
    .op_i              (s1_op_q),
    .user_i            (s1_user_q),
    .root_ppn_i        (root_ppn),
    .wp_i              (wp),
    .nxe_i             (nxe),
    .smep_i            (smep),
    .smap_i            (smap),
    .ac_i              (ac_o),
    .pge_i             (pge),
    .pke_i             (pke),
    .pkru_i            (pkru_o),
    .psc_hit_i         (psc_hit),
    .psc_level_i       (psc_level),
    .psc_next_i        (psc_next),
    .psc_rw_i          (psc_rw),
    .psc_us_i          (psc_us),
    .psc_xd_i          (psc_xd),
    .psc_fill_o        (w_psc_fill),
    .psc_fill_level_o  (w_psc_level),
    .psc_fill_next_o   (w_psc_next),
    .psc_fill_rw_o     (w_psc_rw),
    .psc_fill_us_o     (w_psc_us),
    .psc_fill_xd_o     (w_psc_xd),
    .l1_rd_o           (w_l1_rd),
    .l1_rd_addr_o      (w_l1_rd_addr),
    .l1_cmp_o          (w_l1_cmp),
    .l1_cmp_addr_o     (w_l1_cmp_addr),
    .l1_we_o           (w_l1_we),
    .l1_wbe_o          (w_l1_wbe),
    .l1_wdata_o        (w_l1_wdata),
    .l1_hit_i          (l1_cmp_hit),
    .l1_rdata_i        (l1_cmp_rdata),
    .l1_fill_o         (w_l1_fill),
    .l1_fill_addr_o    (w_l1_fill_addr),
    .l1_fill_done_i    (l1_fill_done),
    .l1_fill_err_i     (l1_fill_err),
    .busy_o            (unused_w_busy),
    .done_o            (walk_done),
    .status_o          (walk_status),
    .ec_o              (walk_ec),
    .te_ppn_o          (te_ppn),
    .te_level_o        (te_level),
    .te_global_o       (te_global),
    .te_rw_o           (te_rw),
    .te_us_o           (te_us),
    .te_xd_o           (te_xd),
    .te_dirty_o        (te_dirty),
    .te_key_o          (te_key),
    .reads_o           (walk_reads),
    .psc_level_o       (walk_psc_level),
    .ad_valid_o        (ad_valid_o),
    .ad_pa_o           (ad_pa_o),
    .ad_value_o        (ad_value_o),
    .cnt_read_o        (cnt_w_read),
    .cnt_read_l1_hit_o (cnt_w_l1_hit),
    .cnt_read_l1_miss_o(cnt_w_l1_miss),
    .cnt_write_o       (cnt_w_write),
    .cnt_psc_hit_o     (cnt_psc_hit),
    .fsm_o             (ptw_fsm)
  );

  // ---- TLB -------------------------------------------------------------------
  logic               tlb_flush_busy;
  logic [TlbCntW-1:0] tlb_flush_cnt;
  logic [TlbSetW-1:0] tlb_rd_set, dbg_tlb_set;
  logic [VpnBits-1:0] tlb_fill_vpn, dbg_vpn;
  logic [PpnBits-1:0] tlb_fill_ppn, dbg_ppn;

  assign dbg_tlb_set  = TlbSetW'(dbg_set_q);
  assign dbg_vpn      = VpnBits'(dbg_a_q);
  assign dbg_ppn      = PpnBits'(dbg_b_q);
  assign tlb_rd_set   = dbg_tlb_rd ? dbg_tlb_set
                      : TlbSetW'(((Reg ? accept_hit : accept) ? req_va_i : (Reg && !replay) ? sl_va : s1_va_q)
                                 >> PAGE_SHIFT);
  assign tlb_fill_vpn = dbg_tlb_we ? dbg_vpn : s1_vpn;
  assign tlb_fill_ppn = dbg_tlb_we ? dbg_ppn : te_ppn;

  tlb #(
    .SETS      (TLB_SETS),
    .WAYS      (TLB_WAYS),
    .VPN_BITS  (VpnBits),
    .PPN_BITS  (PpnBits),
    .INDEX_BITS(IndexBits),
    .PCID_W    (PcidW),
    .KEY_W     (`PTE_PKEY_BITS)
  ) u_tlb (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .rd_en_i       ((Reg ? accept_hit : accept) || replay || dbg_tlb_rd || sl_reread),
    .rd_set_i      (tlb_rd_set),
    .lk_vpn_i      (lk_vpn),
    .lk_pcid_i     (pcid),
    .lk_match_o    (lk_match),
    .lk_hit_o      (lk_hit),
    .lk_way_o      (lk_way),
    .lk_ppn_o      (lk_ppn),
    .lk_level_o    (lk_level),
    .lk_rw_o       (lk_rw),
    .lk_us_o       (lk_us),
    .lk_xd_o       (lk_xd),
    .lk_dirty_o    (lk_dirty),
    .lk_key_o      (lk_key),
    .upd_set_i     (TlbSetW'(s1_vpn)),
    .touch_i       (tlb_touch),
    .touch_way_i   (tlb_way),
    .drop_i        (pf_now),
    .drop_ways_i   (pf_tlb_rsp ? tlb_match : match_q),
    .fill_i        (walk_ok),
    .fill_match_i  (match_q),
    .fill_vpn_i    (tlb_fill_vpn),
    .fill_pcid_i   (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_PCID +: PcidW] : pcid),
    .fill_ppn_i    (tlb_fill_ppn),
    .fill_level_i  (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_LEVEL +: 2] : te_level),
    .fill_global_i (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_G] : te_global),
    .fill_rw_i     (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_RW] : te_rw),
    .fill_us_i     (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_US] : te_us),
    .fill_xd_i     (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_XD] : te_xd),
    .fill_dirty_i  (dbg_tlb_we ? dbg_b_q[`MMU_DBG_TLB_D] : te_dirty),
    .fill_key_i    (dbg_tlb_we ? dbg_a_q[`MMU_DBG_TLB_PKEY +: `PTE_PKEY_BITS] : te_key),
    .flush_i       (ctl_accept && csr_tlb_flush),
    .flush_kind_i  (csr_tlb_kind),
    .flush_vpn_i   (csr_tlb_vpn),
    .flush_pcid_i  (csr_tlb_pcid),
    .flush_global_i(csr_tlb_global),
    .flush_busy_o  (tlb_flush_busy),
    .flush_cnt_o   (tlb_flush_cnt),
    .dbg_we_i      (dbg_tlb_we),
    .dbg_way_i     (TlbWayW'(dbg_way_q)),
    .dbg_valid_i   (dbg_b_q[`MMU_DBG_TLB_VALID]),
    .dbg_set_i     (TlbSetW'(dbg_set_q)),
    .dbg_show_i    (dbg_ans_q),
    .dbg_valid_o   (dbg_tlb_valid),
    .dbg_vpn_o     (dbg_tlb_vpn),
    .dbg_pcid_o    (dbg_tlb_pcid),
    .dbg_ppn_o     (dbg_tlb_ppn),
    .dbg_level_o   (dbg_tlb_level),
    .dbg_flags_o   (dbg_tlb_flags),
    .dbg_key_o     (dbg_tlb_key)
  );

  // The registered hit stage: stage L's request and the lookup result.
  hit_stage #(.ENABLE(HIT_STAGE), .REQ_W(ReqW), .RES_W(ResW)) u_hit (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .accept_i  (Reg && accept),
    .req_i     ({req_va_i, req_op_i, req_size_i, req_user_i, req_phys_i, req_wdata_i}),
    .adv_i     (sl_adv),
    .reread_i  (sl_reread && !sl_spec),
    .tlb_we_i  (walk_ok || dbg_tlb_we),
    .valid_o   (sl_valid),
    .fresh_o   (sl_fresh),
    .req_o     ({sl_va, sl_op, sl_size, sl_user, sl_phys, sl_wdata}),
    .res_load_i(sl_adv || relook),
    .res_i     ({lk_hit, lk_match, lk_way, lk_frame, lk_level, lk_allowed, lk_pk, lk_ec,
                 lk_gp, lk_pf, lk_walk, lk_go}),
    .res_o     ({tlb_hit, tlb_match, tlb_way, pa_frame, tlb_level, hit_allowed, hit_pk,
                 acc_ec, is_gp, tlb_pf, need_walk, data_go})
  );

  // ---- L1 ----------------------------------------------------------------------
  logic                l1_busy, l1_mnt_done, cnt_fill, cnt_wb;
  logic                mem_rd, mem_wr, mem_rd_beat, mem_rd_done, mem_rd_err;
  logic                mem_wr_done, mem_wr_err;
  logic [PA_BITS-1:0]  mem_rd_addr, mem_wr_addr;
  logic [WiW-1:0]      mem_rd_idx, mem_wr_idx;
  logic [WordBits-1:0] mem_rd_data, mem_wr_data;
  logic [L1OffW+L1IdxW-1:0] l1_rd_addr;
  logic [PA_BITS-1:0]  l1_cmp_addr;

  // The L1 set is read in stage 0 (HIT_STAGE: stage L, or SRelook), the tags
  // compared in stage 1.
  logic                l1_rd_en;
  assign l1_rd_en    = Reg ? (state_q == SRun && sl_valid) || relook || (in_walk && w_l1_rd)
                           : accept || replay || (in_walk && w_l1_rd);
  assign l1_rd_addr  = (L1OffW + L1IdxW)'(
      Reg ? (relook ? s1_va_q : in_walk ? 64'(w_l1_rd_addr) : sl_va)
          : (accept ? req_va_i : replay ? s1_va_q : 64'(w_l1_rd_addr)));
  assign l1_cmp_addr = in_walk ? w_l1_cmp_addr : pa;
  assign l1_hit      = l1_cmp_hit;
  assign l1_rdata    = l1_cmp_rdata;

  l1_cache #(
    .PA_BITS(PA_BITS),
    .SETS   (L1_SETS),
    .WAYS   (L1_WAYS),
    .LINE   (L1_LINE),
    .WAY_SHIFT(HIT_STAGE)
  ) u_l1 (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .rd_en_i      (l1_rd_en),
    .rd_addr_i    (l1_rd_addr),
    .cmp_tag_i    (L1TagW'(l1_cmp_addr >> (L1OffW + L1IdxW))),
    .cmp_boff_i   (in_walk ? '0 : boff),
    .cmp_touch_i  (in_walk ? w_l1_cmp : eval && data_go),
    .cmp_we_i     (in_walk ? w_l1_we : eval && data_go && s1_store),
    .cmp_wbe_i    (in_walk ? w_l1_wbe : wbe),
    .cmp_wdata_i  (in_walk ? w_l1_wdata : wdata),
    .cmp_hit_o    (l1_cmp_hit),
    .cmp_rdata_o  (l1_cmp_rdata),
    .fill_i       (l1_fill_go || (in_walk && w_l1_fill)),
    .fill_addr_i  (in_walk ? w_l1_fill_addr : Reg ? fill_pa_q : pa),
    .fill_done_o  (l1_fill_done),
    .fill_err_o   (l1_fill_err),
    .mnt_i        (ctl_accept && csr_l1_mnt),
    .mnt_op_i     (csr_l1_op),
    .mnt_addr_i   (ctl_addr_i),
    .mnt_done_o   (l1_mnt_done),
    .busy_o       (l1_busy),
    .cnt_fill_o   (cnt_fill),
    .cnt_wb_o     (cnt_wb),
    .mem_rd_o     (mem_rd),
    .mem_rd_addr_o(mem_rd_addr),
    .mem_rd_beat_i(mem_rd_beat),
    .mem_rd_idx_i (mem_rd_idx),
    .mem_rd_data_i(mem_rd_data),
    .mem_rd_done_i(mem_rd_done),
    .mem_rd_err_i (mem_rd_err),
    .mem_wr_o     (mem_wr),
    .mem_wr_addr_o(mem_wr_addr),
    .mem_wr_idx_i (mem_wr_idx),
    .mem_wr_data_o(mem_wr_data),
    .mem_wr_done_i(mem_wr_done),
    .mem_wr_err_i (mem_wr_err),
    .dbg_rd_i     (dbg_l1_rd),
    .dbg_tag_we_i (dbg_l1_tag_we),
    .dbg_data_we_i(dbg_l1_word_we),
    .dbg_set_i    (L1IdxW'(dbg_set_q)),
    .dbg_way_i    (L1WayW'(dbg_way_q)),
    .dbg_word_i   (WiW'(dbg_word_q)),
    .dbg_tag_i    (L1TagW'(dbg_a_q)),
    .dbg_valid_i  (dbg_b_q[`MMU_DBG_L1_VALID]),
    .dbg_dirty_i  (dbg_b_q[`MMU_DBG_L1_DIRTY]),
    .dbg_wdata_i  (WordBits'(dbg_a_q)),
    .dbg_show_i   (dbg_ans_q),
    .dbg_tag_o    (dbg_l1_tag),
    .dbg_rdata_o  (dbg_l1_word),
    .dbg_valid_o  (dbg_l1_valid),
    .dbg_dirty_o  (dbg_l1_dirty),
    .fsm_o        (l1_fsm)
  );

  axi_master #(
    .PA_BITS(PA_BITS),
    .LINE   (L1_LINE)
  ) u_axi (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .rd_i           (mem_rd),
    .rd_addr_i      (mem_rd_addr),
    .rd_beat_o      (mem_rd_beat),
    .rd_idx_o       (mem_rd_idx),
    .rd_data_o      (mem_rd_data),
    .rd_done_o      (mem_rd_done),
    .rd_err_o       (mem_rd_err),
    .wr_i           (mem_wr),
    .wr_addr_i      (mem_wr_addr),
    .wr_idx_o       (mem_wr_idx),
    .wr_data_i      (mem_wr_data),
    .wr_done_o      (mem_wr_done),
    .wr_err_o       (mem_wr_err),
    .m_axi_awvalid_o(m_axi_awvalid_o),
    .m_axi_awready_i(m_axi_awready_i),
    .m_axi_awaddr_o (m_axi_awaddr_o),
    .m_axi_awlen_o  (m_axi_awlen_o),
    .m_axi_awsize_o (m_axi_awsize_o),
    .m_axi_awburst_o(m_axi_awburst_o),
    .m_axi_awid_o   (m_axi_awid_o),
    .m_axi_wvalid_o (m_axi_wvalid_o),
    .m_axi_wready_i (m_axi_wready_i),
    .m_axi_wdata_o  (m_axi_wdata_o),
    .m_axi_wstrb_o  (m_axi_wstrb_o),
    .m_axi_wlast_o  (m_axi_wlast_o),
    .m_axi_bvalid_i (m_axi_bvalid_i),
    .m_axi_bready_o (m_axi_bready_o),
    .m_axi_bresp_i  (m_axi_bresp_i),
    .m_axi_bid_i    (m_axi_bid_i),
    .m_axi_arvalid_o(m_axi_arvalid_o),
    .m_axi_arready_i(m_axi_arready_i),
    .m_axi_araddr_o (m_axi_araddr_o),
    .m_axi_arlen_o  (m_axi_arlen_o),
    .m_axi_arsize_o (m_axi_arsize_o),
    .m_axi_arburst_o(m_axi_arburst_o),
    .m_axi_arid_o   (m_axi_arid_o),
    .m_axi_rvalid_i (m_axi_rvalid_i),
    .m_axi_rready_o (m_axi_rready_o),
    .m_axi_rdata_i  (m_axi_rdata_i),
    .m_axi_rresp_i  (m_axi_rresp_i),
    .m_axi_rlast_i  (m_axi_rlast_i),
    .m_axi_rid_i    (m_axi_rid_i)
  );

  // ---- sequencer -------------------------------------------------------------
  always_comb begin
    state_d     = state_q;
    s1_valid_d  = s1_valid_q;
    s1_first_d  = s1_first_q;
    o_tlb_hit_d = o_tlb_hit_q;
    o_walked_d  = o_walked_q;
    o_l1_miss_d = o_l1_miss_q;
    o_level_d   = o_level_q;
    match_d     = match_q;
    fill_pa_d   = fill_pa_q;

    unique case (state_q)
      SRun: begin
        // The physical address of a fill is taken in every cycle of SRun
        // (it is read only in SFill), not under the miss: the L1 tag compare
        // does not reach its enables.
        fill_pa_d = pa;
        if (eval) begin
          if (s1_first_q) o_tlb_hit_d = s1_virt && !is_gp && tlb_hit;
          if (tlb_touch) o_level_d = tlb_level;
          if (s1_done) begin
            s1_valid_d = 1'b0;
          end else if (go_walk) begin
            o_walked_d = 1'b1;
            match_d    = tlb_match;
            state_d    = SWalk;
          end else if (go_fill) begin
            o_l1_miss_d = 1'b1;
            state_d     = SFill;
          end
        end
        if (ctl_accept) begin
          state_d = SCtl;
        end
      end
      SWalk: begin
        if (walk_done) begin
          if (walk_ok) begin
            state_d = SReplay;
          end else begin
            s1_valid_d = 1'b0;
            state_d    = SRun;
          end
        end
      end
      SFill: begin
        if (l1_fill_done) begin
          if (l1_fill_err) begin
            s1_valid_d = 1'b0;
            state_d    = SRun;
          end else begin
            state_d = SReplay;
          end
        end
      end
      SReplay: begin
        s1_first_d = 1'b0;
        state_d    = Reg ? SRelook : SRun;
      end
      SRelook: begin
        state_d = SRun;
      end
      SCtl: begin
        if (!tlb_flush_busy && !l1_busy) state_d = SRun;
      end
      default: begin
        state_d = SRun;
      end
    endcase

    if (s1_load) begin
      s1_valid_d  = 1'b1;
      s1_first_d  = 1'b1;
      o_tlb_hit_d = 1'b0;
      o_walked_d  = 1'b0;
      o_l1_miss_d = 1'b0;
      o_level_d   = '0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q     <= SRun;
      s1_valid_q  <= 1'b0;
      s1_first_q  <= 1'b0;
      s1_va_q     <= '0;
      s1_op_q     <= '0;
      s1_size_q   <= '0;
      s1_user_q   <= 1'b0;
      s1_phys_q   <= 1'b0;
      s1_wdata_q  <= '0;
      o_tlb_hit_q <= 1'b0;
      o_walked_q  <= 1'b0;
      o_l1_miss_q <= 1'b0;
      o_level_q   <= '0;
      match_q     <= '0;
      fill_pa_q   <= '0;
      ctl_gp_q    <= 1'b0;
    end else begin
      state_q     <= state_d;
      s1_valid_q  <= s1_valid_d;
      s1_first_q  <= s1_first_d;
      o_tlb_hit_q <= o_tlb_hit_d;
      o_walked_q  <= o_walked_d;
      o_l1_miss_q <= o_l1_miss_d;
      o_level_q   <= o_level_d;
      match_q     <= match_d;
      fill_pa_q   <= fill_pa_d;
      if (s1_load) begin
        s1_va_q    <= Reg ? sl_va : req_va_i;
        s1_op_q    <= Reg ? sl_op : req_op_i;
        s1_size_q  <= Reg ? sl_size : req_size_i;
        s1_user_q  <= Reg ? sl_user : req_user_i;
        s1_phys_q  <= Reg ? sl_phys : req_phys_i;
        s1_wdata_q <= Reg ? sl_wdata : req_wdata_i;
      end
      if (ctl_accept) ctl_gp_q <= csr_gp;
    end
  end

  // ---- response ----------------------------------------------------------------
  assign rsp_valid_o = ok_rsp || gp_rsp || pf_tlb_rsp || walk_rsp || fill_rsp;
  always_comb begin
    rsp_status_o     = 2'(`MMU_ST_OK);
    rsp_rdata_o      = '0;
    rsp_pa_o         = '0;
    rsp_ec_o         = '0;
    rsp_page_level_o = o_level_q;
    if (gp_rsp) begin
      rsp_status_o     = 2'(`MMU_ST_GP_FAULT);
      rsp_page_level_o = '0;
    end else if (pf_tlb_rsp) begin
      rsp_status_o     = 2'(`MMU_ST_PAGE_FAULT);
      rsp_ec_o         = acc_ec | EcW'(`PFEC_P) | (hit_pk ? EcW'(`PFEC_PK) : '0);
      rsp_page_level_o = '0;
    end else if (walk_rsp) begin
      rsp_status_o = walk_status;
      rsp_ec_o     = walk_ec;
    end else if (fill_rsp) begin
      rsp_status_o = 2'(`MMU_ST_BUS_ERROR);
      rsp_pa_o     = 64'(fill_pa_q);
    end else begin
      rsp_rdata_o      = s1_store ? '0 : rdata;
      rsp_pa_o         = 64'(pa);
      rsp_page_level_o = s1_virt ? tlb_level : '0;
    end
  end
  assign rsp_tlb_hit_o    = (state_q == SRun && s1_first_q) ? s1_virt && !is_gp && tlb_hit
                                                            : o_tlb_hit_q;
  assign rsp_walked_o     = o_walked_q;
  assign rsp_l1_hit_o     = ok_rsp && !o_l1_miss_q;
  assign rsp_walk_reads_o = o_walked_q ? walk_reads : '0;
  assign rsp_psc_level_o  = o_walked_q ? walk_psc_level : '0;

  assign ctl_done_o = state_q == SCtl && !tlb_flush_busy && !l1_busy;
  assign ctl_gp_o   = ctl_gp_q;

  // ---- counters ------------------------------------------------------------------
  localparam int NCnt = 17;
  localparam int IncW = 6;
  logic [NCnt*IncW-1:0] cnt_inc;
  logic                 first_lookup;

  assign first_lookup = eval && s1_first_q && s1_virt && !is_gp;
  assign cnt_inc = {
    IncW'(tlb_flush_cnt),                                    // 16 tlb_flushes
    IncW'(gp_rsp),                                           // 15 gp_faults
    IncW'(pf_now),                                           // 14 page_faults
    IncW'(cnt_wb),                                           // 13 writebacks
    IncW'(cnt_fill),                                         // 12 line_fills
    IncW'(cnt_w_l1_miss),                                    // 11 walk_l1_misses
    IncW'(cnt_w_l1_hit),                                     // 10 walk_l1_hits
    IncW'(state_q == SFill && l1_fill_done && !l1_fill_err && s1_virt),  // 9 l1_misses
    IncW'(ok_rsp && s1_virt && !o_l1_miss_q),                // 8 l1_hits
    IncW'(cnt_psc_hit),                                      // 7 psc_hits
    IncW'(in_walk),                                          // 6 walk_cycles
    IncW'(cnt_w_write),                                      // 5 walk_writes
    IncW'(cnt_w_read),                                       // 4 walk_reads
    IncW'(go_walk),                                          // 3 walks
    IncW'(first_lookup && !tlb_hit),                         // 2 tlb_misses
    IncW'(first_lookup && tlb_hit),                          // 1 tlb_hits
    IncW'(accept && !req_phys_i)                             // 0 accesses
  };

  // Every counter but tlb_flushes (the entries a sweep dropped) counts a
  // pulse: its late increment only enables its flip-flops (mmu_counters).
  localparam logic [31:0] CntPulse = 32'((64'(1) << (NCnt - 1)) - 1);
  // With the hit stage, tlb_flushes registers its increment (the sweep's
  // drop count, at the end of a path from the TLB RAM).
  localparam logic [31:0] CntRegInc = Reg ? 32'(64'(1) << (NCnt - 1)) : '0;

  mmu_counters #(.N(NCnt), .CNT_W(CNT_W), .INC_W(IncW), .PULSE(CntPulse),
                 .REG_INC(CntRegInc), .OUT_W(64)) u_cnt (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .inc_i (cnt_inc),
    // In the order of cnt_inc, counter 0 in the low bits.
    .cnt_o ({cnt_tlb_flushes_o, cnt_gp_faults_o, cnt_page_faults_o, cnt_writebacks_o,
             cnt_line_fills_o, cnt_walk_l1_misses_o, cnt_walk_l1_hits_o, cnt_l1_misses_o,
             cnt_l1_hits_o, cnt_psc_hits_o, cnt_walk_cycles_o, cnt_walk_writes_o,
             cnt_walk_reads_o, cnt_walks_o, cnt_tlb_misses_o, cnt_tlb_hits_o, cnt_accesses_o})
  );

  // ---- invariants ------------------------------------------------------------------
  logic unused_params;
  assign unused_params = ^{64'(MEM_BYTES), unused_w_busy, l1_mnt_done,
                           // debug inputs are as wide as the widest configuration needs
                           dbg_set_q, dbg_way_q, dbg_word_q, dbg_a_q, dbg_b_q};

  `MMU_ASSERT_IF(a_replay_hits_tlb, eval && !s1_first_q && s1_virt, tlb_hit && hit_allowed && !need_walk,
              "a replayed access did not hit a usable TLB entry")
  `MMU_ASSERT_IF(a_replay_after_fill_hits, eval && !s1_first_q && o_l1_miss_q, l1_hit,
              "an access replayed after its line fill missed again")
  `MMU_ASSERT_IF(a_accept_hit, accept, !Reg || accept_hit,
              "a request accepted that the acceptance-if-hit did not foresee (its TLB set was not read)")
  `MMU_ASSERT_IF(a_no_gp_on_replay, eval && !s1_first_q, !is_gp, "#GP on a replayed access")
  `MMU_ASSERT_IF(a_req_stable_size, accept, req_phys_i || req_op_i <= 2'(`MMU_OP_FETCH),
              "unknown request operation")
  `MMU_ASSERT_IF(a_aligned, accept, (req_va_i & ((64'd1 << req_size_i) - 64'd1)) == '0,
              "misaligned request (the glue checks alignment)")
  `MMU_ASSERT_IF(a_one_rsp_source, gp_rsp || pf_tlb_rsp || walk_rsp || fill_rsp,  // ok_rsp alone is one
                 $onehot0({ok_rsp, gp_rsp, pf_tlb_rsp, walk_rsp, fill_rsp}), "two responses in one cycle")
  `MMU_ASSERT_IF(a_ctl_idle, ctl_accept, !tlb_flush_busy && !l1_busy, "control operation while busy")
  `MMU_ASSERT_IF(a_relook_replays, relook, Reg && s1_valid_q && !s1_first_q,
              "SRelook without a replayed request in stage 1")
  `MMU_ASSERT_IF(a_stage_l_in_order, sl_valid, Reg && state_q != SCtl,
              "stage L holds a request without a hit stage or during a control operation")
endmodule
