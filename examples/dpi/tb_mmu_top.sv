// SPDX-License-Identifier: MIT
// tb_mmu_top: a SystemVerilog testbench that checks an MMU against the
// golden model through DPI-C alone (mmu_dpi.svh; docs/dpi.md).  The DUT is
// this project's rtl/mmu_top; an engineer with an MMU of their own replaces
// the instance and the two driver tasks (dut_request, dut_ctl) and keeps
// the rest.  Every control operation, physical write and access goes to
// both; every outcome field is compared:
//   access   status, data, physical address, error code, CR2, TLB hit,
//            walked, L1 hit, walk reads, PSC level, page level, the A/D
//            updates (address and value, in order)
//   control  #GP, then CR0, CR2, CR3, CR4, EFER, RFLAGS.AC, PKRU
//   end      the performance counters both sides define alike
// Plusargs: +config=NAME (the golden model's configuration: the one the DUT
// was built for, default x86), +seed=N and +random=N (the random phase),
// +verbose, +corrupt=N (flip bit 0 of the golden model's data for access
// N: the check must then fail -- make dpi-test runs it so).
`include "mmu_dpi.svh"
`include "mmu_cfg.vh"

module tb_mmu_top;
  import mmu_dpi_pkg::*;

  localparam int DataW = 8 * ((`MMU_L1_LINE < 8) ? `MMU_L1_LINE : 8);
  localparam int StrbW = DataW / 8;
  localparam int PcidW = `CR3_PCID_BITS;
  localparam int EcW   = `PFEC_BITS;
  localparam int PkruW = `PKRU_BITS;
  localparam int HangCycles = 100000;

  logic clk = 1'b0, rst_n = 1'b0;
  always #5 clk = ~clk;

  // ---- the DUT and its memory ------------------------------------------------
  logic              req_valid = 1'b0, req_ready, req_user = 1'b0, req_phys = 1'b0;
  logic [63:0]       req_va = '0, req_wdata = '0;
  logic [1:0]        req_op = '0, req_size = '0;
  logic              rsp_valid, rsp_tlb_hit, rsp_walked, rsp_l1_hit;
  logic [1:0]        rsp_status, rsp_page_level;
  logic [63:0]       rsp_rdata, rsp_pa, cr2;
  logic [EcW-1:0]    rsp_ec;
  logic [PkruW-1:0]  pkru;
  logic [2:0]        rsp_walk_reads, rsp_psc_level;
  logic              ad_valid;
  logic [63:0]       ad_pa, ad_value;
  logic              ctl_valid = 1'b0, ctl_ready, ctl_done, ctl_gp, ac;
  logic [3:0]        ctl_op = '0;
  logic [63:0]       ctl_value = '0, ctl_addr = '0, cr0, cr3, cr4, efer;
  logic [1:0]        ctl_type = '0;
  logic [PcidW-1:0]  ctl_pcid = '0;
  logic [63:0]       c_tlb_hits, c_tlb_misses, c_walks, c_walk_reads, c_walk_writes,
                     c_psc_hits, c_page_faults, c_gp_faults, c_tlb_flushes;
  logic              awvalid, awready, wvalid, wready, wlast, bvalid, bready, bid;
  logic              arvalid, arready, rvalid, rready, rlast, rid;
  logic [63:0]       awaddr, araddr;
  logic [7:0]        awlen, arlen;
  logic [DataW-1:0]  wdata, rdata;
  logic [StrbW-1:0]  wstrb;
  logic [1:0]        bresp, rresp;

  assign bid = 1'b0;
  assign rid = 1'b0;

  mmu_top dut (
    .clk_i(clk), .rst_ni(rst_n),
    .req_valid_i(req_valid), .req_ready_o(req_ready), .req_va_i(req_va),
    .req_op_i(req_op), .req_size_i(req_size), .req_user_i(req_user),
    .req_phys_i(req_phys), .req_wdata_i(req_wdata),
    .rsp_valid_o(rsp_valid), .rsp_status_o(rsp_status), .rsp_rdata_o(rsp_rdata),
    .rsp_pa_o(rsp_pa), .rsp_ec_o(rsp_ec), .rsp_tlb_hit_o(rsp_tlb_hit),
    .rsp_walked_o(rsp_walked), .rsp_l1_hit_o(rsp_l1_hit),
    .rsp_walk_reads_o(rsp_walk_reads), .rsp_psc_level_o(rsp_psc_level),
    .rsp_page_level_o(rsp_page_level), .cr2_o(cr2),
    .ad_valid_o(ad_valid), .ad_pa_o(ad_pa), .ad_value_o(ad_value),
    .ctl_valid_i(ctl_valid), .ctl_ready_o(ctl_ready), .ctl_op_i(ctl_op),
    .ctl_value_i(ctl_value), .ctl_addr_i(ctl_addr), .ctl_type_i(ctl_type),
    .ctl_pcid_i(ctl_pcid), .ctl_done_o(ctl_done), .ctl_gp_o(ctl_gp),
    .cr0_o(cr0), .cr3_o(cr3), .cr4_o(cr4), .efer_o(efer), .ac_o(ac), .pkru_o(pkru),
    .cnt_accesses_o(), .cnt_tlb_hits_o(c_tlb_hits), .cnt_tlb_misses_o(c_tlb_misses),
    .cnt_walks_o(c_walks), .cnt_walk_reads_o(c_walk_reads),
    .cnt_walk_writes_o(c_walk_writes), .cnt_walk_cycles_o(),
    .cnt_psc_hits_o(c_psc_hits), .cnt_l1_hits_o(), .cnt_l1_misses_o(),
    .cnt_walk_l1_hits_o(), .cnt_walk_l1_misses_o(), .cnt_line_fills_o(),
    .cnt_writebacks_o(), .cnt_page_faults_o(c_page_faults),
    .cnt_gp_faults_o(c_gp_faults), .cnt_tlb_flushes_o(c_tlb_flushes),
    .m_axi_awvalid_o(awvalid), .m_axi_awready_i(awready), .m_axi_awaddr_o(awaddr),
    .m_axi_awlen_o(awlen), .m_axi_awsize_o(), .m_axi_awburst_o(), .m_axi_awid_o(),
    .m_axi_wvalid_o(wvalid), .m_axi_wready_i(wready), .m_axi_wdata_o(wdata),
    .m_axi_wstrb_o(wstrb), .m_axi_wlast_o(wlast), .m_axi_bvalid_i(bvalid),
    .m_axi_bready_o(bready), .m_axi_bresp_i(bresp), .m_axi_bid_i(bid),
    .m_axi_arvalid_o(arvalid), .m_axi_arready_i(arready), .m_axi_araddr_o(araddr),
    .m_axi_arlen_o(arlen), .m_axi_arsize_o(), .m_axi_arburst_o(), .m_axi_arid_o(),
    .m_axi_rvalid_i(rvalid), .m_axi_rready_o(rready), .m_axi_rdata_i(rdata),
    .m_axi_rresp_i(rresp), .m_axi_rlast_i(rlast), .m_axi_rid_i(rid),
    // The debug port (direct TLB/L1 preload and read-back) stays idle.
    .dbg_valid_i(1'b0), .dbg_op_i('0), .dbg_set_i('0), .dbg_way_i('0),
    .dbg_word_i('0), .dbg_a_i('0), .dbg_b_i('0), .dbg_a_o(), .dbg_b_o(),
    .dbg_fsm_o()
  );

  axi_mem #(.DATA_W(DataW), .MEM_BYTES(`MMU_MEM_BYTES)) mem (
    .clk_i(clk), .rst_ni(rst_n),
    .awvalid_i(awvalid), .awready_o(awready), .awaddr_i(awaddr), .awlen_i(awlen),
    .wvalid_i(wvalid), .wready_o(wready), .wdata_i(wdata), .wstrb_i(wstrb),
    .wlast_i(wlast), .bvalid_o(bvalid), .bready_i(bready), .bresp_o(bresp),
    .arvalid_i(arvalid), .arready_o(arready), .araddr_i(araddr), .arlen_i(arlen),
    .rvalid_o(rvalid), .rready_i(rready), .rdata_o(rdata), .rresp_o(rresp),
    .rlast_o(rlast)
  );

  // ---- monitors: what the DUT answered, sampled at the clock edge -------------
  typedef struct packed {
    logic [1:0]  status;
    logic [63:0] rdata, pa;
    logic [EcW-1:0] ec;
    logic        tlb_hit, walked, l1_hit;
    logic [2:0]  walk_reads, psc_level;
    logic [1:0]  page_level;
  } rsp_t;
  rsp_t         rsp_q[$];
  logic [127:0] ad_q[$];
  logic         ctl_q[$];

  always @(posedge clk) begin
    if (rst_n && rsp_valid)
      rsp_q.push_back({rsp_status, rsp_rdata, rsp_pa, rsp_ec, rsp_tlb_hit,
                       rsp_walked, rsp_l1_hit, rsp_walk_reads, rsp_psc_level,
                       rsp_page_level});
    if (rst_n && ad_valid) ad_q.push_back({ad_pa, ad_value});
    if (rst_n && ctl_done) ctl_q.push_back(ctl_gp);
  end

  // ---- DUT drivers: inputs change after the falling edge --------------------
  function automatic logic [1:0] log2_size(input int size);
    return size == 8 ? 2'd3 : size == 4 ? 2'd2 : size == 2 ? 2'd1 : 2'd0;
  endfunction

  task automatic wait_cycle(inout int guard, input string what);
    @(negedge clk);
    if (++guard > HangCycles) $fatal(1, "dpi-tb: the DUT hung: no %s", what);
  endtask

  task automatic dut_request(input logic [63:0] va, input int op, input int size,
                             input bit user, input bit phys,
                             input logic [63:0] data, output rsp_t r);
    int guard = 0;
    @(negedge clk);
    {req_valid, req_va, req_op, req_size} = {1'b1, va, op[1:0], log2_size(size)};
    {req_user, req_phys, req_wdata} = {user, phys, data};
    #1;
    while (!req_ready) begin wait_cycle(guard, "acceptance"); #1; end
    @(posedge clk);
    #1 req_valid = 1'b0;
    while (rsp_q.size() == 0) wait_cycle(guard, "response");
    r = rsp_q.pop_front();  // CR2 was written at the edge that ended it
  endtask

  task automatic dut_ctl(input int op, input logic [63:0] value,
                         input logic [63:0] addr, input int typ, input int pcid,
                         output bit gp);
    int guard = 0;
    @(negedge clk);
    {ctl_valid, ctl_op, ctl_value, ctl_addr} = {1'b1, op[3:0], value, addr};
    {ctl_type, ctl_pcid} = {typ[1:0], pcid[PcidW-1:0]};
    #1;
    while (!ctl_ready) begin wait_cycle(guard, "control acceptance"); #1; end
    @(posedge clk);
    #1 ctl_valid = 1'b0;
    while (ctl_q.size() == 0) wait_cycle(guard, "ctl_done");
    gp = ctl_q.pop_front();
  endtask

  // ---- checks ---------------------------------------------------------------
  chandle h;
  int n_access = 0, n_ctl = 0, n_phys = 0, n_fields = 0, n_errors = 0;
  int corrupt = 0;
  bit verbose = 1'b0;

  function automatic void expect_eq(input string ctx, input string what,
                                    input logic [63:0] dut_v, input logic [63:0] gold);
    n_fields++;
    if (dut_v !== gold) begin
      n_errors++;
      $display("dpi-tb: MISMATCH %s: %s: dut %h, golden %h", ctx, what, dut_v, gold);
    end
  endfunction

  function automatic string op_name(input int op);
    return op == `MMU_OP_LOAD ? "load" : op == `MMU_OP_STORE ? "store" : "fetch";
  endfunction

  function automatic void golden_ok(input int rc, input string what);
    if (rc != 0) $fatal(1, "dpi-tb: golden model: %s: %s", what, mmu_dpi_error(h));
  endfunction

  task automatic check_regs(input string ctx);
    longint g_cr0, g_cr2, g_cr3, g_cr4, g_efer;
    bit g_ac;
    int g_pkru;
    golden_ok(mmu_dpi_regs(h, g_cr0, g_cr2, g_cr3, g_cr4, g_efer, g_ac, g_pkru), "regs");
    expect_eq(ctx, "CR0", cr0, g_cr0);
    expect_eq(ctx, "CR2", cr2, g_cr2);
    expect_eq(ctx, "CR3", cr3, g_cr3);
    expect_eq(ctx, "CR4", cr4, g_cr4);
    expect_eq(ctx, "EFER", efer, g_efer);
    expect_eq(ctx, "AC", 64'(ac), 64'(g_ac));
    expect_eq(ctx, "PKRU", 64'(pkru), 64'(unsigned'(g_pkru)));
  endtask

  task automatic ctl(input int op, input logic [63:0] value,
                     input logic [63:0] addr = '0, input int typ = 0, input int pcid = 0);
    bit g_gp, d_gp;
    string ctx;
    n_ctl++;
    ctx = $sformatf("control %0d (op %0d value %h addr %h)", n_ctl, op, value, addr);
    golden_ok(mmu_dpi_ctl(h, op, value, addr, typ, pcid, g_gp), ctx);
    dut_ctl(op, value, addr, typ, pcid, d_gp);
    expect_eq(ctx, "#GP", 64'(d_gp), 64'(g_gp));
    check_regs(ctx);
    if (verbose) $display("  %s: %s", ctx, g_gp ? "#GP" : "done");
  endtask

  task automatic phys_write(input logic [63:0] pa, input logic [63:0] data);
    rsp_t r;
    n_phys++;
    golden_ok(mmu_dpi_phys_write(h, pa, data, 8), "phys_write");
    dut_request(pa, `MMU_OP_STORE, 8, 1'b0, 1'b1, data, r);
    expect_eq($sformatf("physical write %0d at %h", n_phys, pa), "status",
              64'(r.status), 64'(`MMU_ST_OK));
  endtask

  task automatic access(input logic [63:0] va, input int op, input int size,
                        input bit user = 1'b0, input logic [63:0] wdata = '0);
    mmu_outcome_t g;
    rsp_t r;
    string ctx;
    longint ad_pa_g, ad_val_g;
    n_access++;
    ctx = $sformatf("access %0d (%s %0d at %h%s)", n_access, op_name(op), size, va,
                    user ? " user" : "");
    golden_ok(mmu_access(h, va, op, size, user, wdata, g), ctx);
    if (n_access == corrupt) g.rdata[0] = ~g.rdata[0];
    dut_request(va, op, size, user, 1'b0, wdata, r);
    expect_eq(ctx, "status", 64'(r.status), 64'(g.status));
    expect_eq(ctx, "data", r.rdata, g.rdata);
    expect_eq(ctx, "pa", r.pa, g.pa);
    expect_eq(ctx, "error code", 64'(r.ec), 64'(g.error_code));
    if (g.status == `MMU_ST_PAGE_FAULT) expect_eq(ctx, "CR2", cr2, g.cr2);
    expect_eq(ctx, "TLB hit", 64'(r.tlb_hit), 64'(g.tlb_hit));
    expect_eq(ctx, "walked", 64'(r.walked), 64'(g.walked));
    expect_eq(ctx, "L1 hit", 64'(r.l1_hit), 64'(g.l1_hit));
    expect_eq(ctx, "walk reads", 64'(r.walk_reads), 64'(g.walk_reads));
    expect_eq(ctx, "PSC level", 64'(r.psc_level), 64'(g.psc_level));
    expect_eq(ctx, "page level", 64'(r.page_level), 64'(g.page_level));
    expect_eq(ctx, "A/D updates", 64'(ad_q.size()), 64'(g.n_ad));
    for (int i = 0; i < g.n_ad && i < ad_q.size(); i++) begin
      golden_ok(mmu_dpi_ad(h, i, ad_pa_g, ad_val_g), "ad");
      expect_eq(ctx, $sformatf("A/D %0d address", i), ad_q[i][127:64], ad_pa_g);
      expect_eq(ctx, $sformatf("A/D %0d value", i), ad_q[i][63:0], ad_val_g);
    end
    ad_q.delete();
    if (verbose)
      $display("  %s: status %0d data %h pa %h ec %h tlb %0d walk %0d l1 %0d reads %0d psc %0d level %0d ad %0d",
               ctx, g.status, g.rdata, g.pa, g.error_code, g.tlb_hit, g.walked,
               g.l1_hit, g.walk_reads, g.psc_level, g.page_level, g.n_ad);
  endtask

  task automatic check_counters();
    string names[9] = '{"tlb_hits", "tlb_misses", "walks", "walk_reads", "walk_writes",
                        "psc_hits", "page_faults", "gp_faults", "tlb_flushes"};
    logic [63:0] dut_v[9] = '{c_tlb_hits, c_tlb_misses, c_walks, c_walk_reads,
                              c_walk_writes, c_psc_hits, c_page_faults, c_gp_faults,
                              c_tlb_flushes};
    longint g;
    @(negedge clk);  // the counters count at the edge that ends an access
    foreach (names[i]) begin
      golden_ok(mmu_dpi_counter(h, names[i], g), names[i]);
      expect_eq("end", $sformatf("counter %s", names[i]), dut_v[i], g);
    end
  endtask

  // ---- the program ------------------------------------------------------------
  // Tables (SDM Vol. 3A 4.5): PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT
  // 0x4000 for the user half; PDPT 0x5000 -> PD 0x6000 for the kernel half.
  localparam logic [63:0] P = 64'h1, RW = 64'h2, US = 64'h4, PS = 64'h80;
  localparam logic [63:0] UserVa = 64'h0000_7f00_0040_0000;    // PML4 254, PD 2
  localparam logic [63:0] BigVa  = 64'h0000_7f00_0060_0000;    // PD 3: 2 MiB
  localparam logic [63:0] KernVa = 64'hffff_8000_0000_0000;    // PML4 256
  localparam logic [63:0] NonCanon = 64'h0000_8000_0000_0000;

  function automatic logic [63:0] idx(input logic [63:0] va, input int level);
    return 64'((va >> (12 + 9 * (level - 1))) & 64'h1ff);
  endfunction

  task automatic build_tables();
    phys_write(64'h1000 + 8 * idx(UserVa, 4), 64'h2000 | P | RW | US);
    phys_write(64'h2000 + 8 * idx(UserVa, 3), 64'h3000 | P | RW | US);
    phys_write(64'h3000 + 8 * idx(UserVa, 2), 64'h4000 | P | RW | US);
    phys_write(64'h4000 + 8 * idx(UserVa, 1) + 0,  64'h10000 | P | RW | US); // user rw
    phys_write(64'h4000 + 8 * idx(UserVa, 1) + 8,  64'h11000 | P | US);      // user ro
    phys_write(64'h4000 + 8 * idx(UserVa, 1) + 16, 64'h12000 | P | RW);      // kernel
    // +24: not present; +32: user page with protection key 1
    phys_write(64'h4000 + 8 * idx(UserVa, 1) + 32,
               64'h14000 | P | RW | US | (64'h1 << `PTE_BIT_PKEY));
    phys_write(64'h3000 + 8 * idx(BigVa, 2), 64'h200000 | P | RW | US | PS);
    phys_write(64'h1000 + 8 * idx(KernVa, 4), 64'h5000 | P | RW);
    phys_write(64'h5000 + 8 * idx(KernVa, 3), 64'h6000 | P | RW);
    phys_write(64'h6000 + 8 * idx(KernVa, 2), 64'h400000 | P | RW | PS);
    phys_write(64'h10040, 64'h1122_3344_5566_7788);
    phys_write(64'h11008, 64'h0bad_cafe_dead_beef);
    phys_write(64'h201238, 64'h0123_4567_89ab_cdef);
  endtask

  task automatic directed();
    ctl(`MMU_CTL_WRITE_CR3, 64'h1000);                         // the enabling
    ctl(`MMU_CTL_WRITE_CR4, 64'h1 << `CR4_BIT_PAE);             // sequence of
    ctl(`MMU_CTL_WRITE_EFER, 64'h1 << `EFER_BIT_LME);           // SDM 9.8.5
    ctl(`MMU_CTL_WRITE_CR0, (64'h1 << `CR0_BIT_PE) | (64'h1 << `CR0_BIT_WP) |
                            (64'h1 << `CR0_BIT_PG));
    ctl(`MMU_CTL_WRITE_CR4, 64'h1 << 12);                       // LA57: #GP
    ctl(`MMU_CTL_WRITE_CR0, 64'h1 << `CR0_BIT_PE);              // PG off: #GP
    access(UserVa + 'h40, `MMU_OP_LOAD, 8, 1'b1);              // walk, fill
    access(UserVa + 'h40, `MMU_OP_LOAD, 8, 1'b1);              // TLB and L1 hit
    access(UserVa + 'h48, `MMU_OP_STORE, 4, 1'b1, 64'hcafe_f00d); // sets D
    access(UserVa + 'h48, `MMU_OP_LOAD, 4, 1'b1);
    access(UserVa + 'h4a, `MMU_OP_LOAD, 2, 1'b1);
    access(UserVa + 'h4b, `MMU_OP_LOAD, 1, 1'b1);
    access(UserVa + 'h10, `MMU_OP_FETCH, 4, 1'b1);
    access(UserVa + 'h1008, `MMU_OP_LOAD, 8, 1'b1);            // read-only: ok
    access(UserVa + 'h1008, `MMU_OP_STORE, 8, 1'b1, 64'h1);    // #PF P|W|U
    access(UserVa + 'h2000, `MMU_OP_LOAD, 8, 1'b1);            // #PF P|U
    access(UserVa + 'h2000, `MMU_OP_STORE, 8, 1'b0, 64'h77);   // kernel: ok
    access(UserVa + 'h3000, `MMU_OP_LOAD, 8, 1'b1);            // #PF: absent
    access(BigVa + 'h1238, `MMU_OP_LOAD, 8, 1'b1);             // 2 MiB page
    access(KernVa + 'h1000, `MMU_OP_STORE, 8, 1'b0, 64'h55);   // kernel half
    access(KernVa + 'h1000, `MMU_OP_LOAD, 8, 1'b1);            // #PF: user
    access(NonCanon, `MMU_OP_LOAD, 8, 1'b0);                   // #GP
    ctl(`MMU_CTL_INVLPG, '0, UserVa);
    access(UserVa + 'h40, `MMU_OP_LOAD, 8, 1'b1);              // PSC-assisted walk
    phys_write(64'h4000 + 8 * idx(UserVa, 1) + 24, 64'h13000 | P | RW | US);
    access(UserVa + 'h3000, `MMU_OP_LOAD, 8, 1'b1);            // now present
    ctl(`MMU_CTL_WRITE_CR3, 64'h1000);                         // flush
    access(UserVa + 'h48, `MMU_OP_LOAD, 4, 1'b1);
    ctl(`MMU_CTL_FLUSH_ALL, '0);
    access(UserVa + 'h48, `MMU_OP_LOAD, 4, 1'b1);              // refilled line
    // Protection keys (SDM 4.6.2): CR4.PKE, WRPKRU with key 1 write-disabled.
    ctl(`MMU_CTL_WRITE_CR4, (64'h1 << `CR4_BIT_PAE) | (64'h1 << `CR4_BIT_PKE));
    ctl(`MMU_CTL_WRITE_PKRU, 64'h2 << 2);                      // WD for key 1
    access(UserVa + 'h4010, `MMU_OP_LOAD, 8, 1'b1);            // read: ok
    access(UserVa + 'h4010, `MMU_OP_STORE, 8, 1'b1, 64'h9);    // #PF with PK
    ctl(`MMU_CTL_WRITE_PKRU, 64'h1 << 2);                      // AD for key 1
    access(UserVa + 'h4018, `MMU_OP_LOAD, 8, 1'b1);            // #PF with PK
    ctl(`MMU_CTL_WRITE_PKRU, '0);
  endtask

  // The random phase: xorshift64, so that a seed means the same run on
  // every simulator.
  logic [63:0] rng;
  function automatic logic [63:0] rand64();
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  endfunction

  task automatic random_phase(input int n);
    logic [63:0] bases[7] = '{UserVa, UserVa + 'h1000, UserVa + 'h2000, UserVa + 'h3000,
                              UserVa + 'h4000, BigVa + 'h5000, KernVa + 'h2000};
    for (int i = 0; i < n; i++) begin
      logic [63:0] r = rand64();
      int size = 1 << r[2:1];
      int op = r[4:3] == 2'd3 ? `MMU_OP_LOAD : int'(r[4:3]);
      logic [63:0] va = bases[r[7:5] % 7] + (64'(r[19:8]) & ~(64'(size) - 64'd1));
      if (r[27:24] == 4'd0) ctl(`MMU_CTL_INVLPG, '0, va);
      else if (r[31:28] == 4'd0)
        phys_write(64'h4000 + 8 * idx(UserVa, 1) + 24, r[32] ? 64'h13000 | P | RW | US : '0);
      else if (r[39:36] == 4'd0) ctl(`MMU_CTL_WRITE_PKRU, 64'(r[41:40]) << 2);  // key 1's AD/WD
      access(va, op, size, r[23], r[63:0] ^ {r[31:0], r[63:32]});
    end
  endtask

  initial begin
    string cfg_name = "x86";
    int seed = 1, n_random = 300;
    void'($value$plusargs("config=%s", cfg_name));
    void'($value$plusargs("seed=%d", seed));
    void'($value$plusargs("random=%d", n_random));
    void'($value$plusargs("corrupt=%d", corrupt));
    verbose = $test$plusargs("verbose");
    rng = 64'h9e37_79b9_7f4a_7c15 ^ 64'(seed);
    h = mmu_dpi_create(cfg_name, "", 0);
    if (h == null) $fatal(1, "dpi-tb: %s", mmu_dpi_error(null));
    repeat (4) @(negedge clk);
    rst_n = 1'b1;
    check_regs("reset");
    build_tables();
    directed();
    $display("dpi-tb: directed: %0d accesses, %0d control operations, %0d physical writes",
             n_access, n_ctl, n_phys);
    random_phase(n_random);
    check_counters();
    $display("dpi-tb: %s: %0d accesses, %0d control operations and %0d physical writes on mmu_top and the golden model (DPI-C); %0d fields compared (status, data, pa, error code, CR2, TLB hit, walked, L1 hit, walk reads, PSC level, page level, A/D updates; #GP and CR0/2/3/4, EFER, AC, PKRU; 9 counters); %0d mismatches",
             cfg_name, n_access, n_ctl, n_phys, n_fields, n_errors);
    mmu_dpi_destroy(h);
    if (n_errors != 0) $fatal(1, "dpi-tb: FAILED: %0d mismatches", n_errors);
    $display("dpi-tb: PASSED");
    $finish;
  end
endmodule
