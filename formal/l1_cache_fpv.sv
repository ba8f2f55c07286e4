// SPDX-License-Identifier: MIT
// Formal harness of rtl/l1_cache.sv (formal/README.md).  The CPU side,
// the walker and the memory (axi_master) are free within the contract
// mmu_top and axi_master keep (m_*); the property follows one symbolic line
// (f_line).  A direct-mapped cache of 2 sets of 4-byte lines (one word),
// 5-bit physical addresses: an eviction is within reach of a short bound.
// formal-prep: memory_map; opt -fast
module l1_cache_fpv #(
  parameter int PA_BITS = 5,
  parameter int SETS    = 2,
  parameter int WAYS    = 1,
  parameter int LINE    = 4,
  localparam int OffW      = $clog2(LINE),
  localparam int IdxW      = $clog2(SETS),
  localparam int TagW      = PA_BITS - OffW - IdxW,
  localparam int WordBytes = (LINE < 8) ? LINE : 8,
  localparam int WordBits  = 8 * WordBytes,
  localparam int Words     = LINE / WordBytes,
  localparam int WiW       = (Words > 1) ? $clog2(Words) : 1,
  localparam int WayW      = (WAYS > 1) ? $clog2(WAYS) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 rd_en_i,
  input  logic [OffW+IdxW-1:0] rd_addr_i,
  input  logic [TagW-1:0]      cmp_tag_i,
  input  logic                 cmp_touch_i,
  input  logic                 cmp_we_i,
  input  logic [WordBytes-1:0] cmp_wbe_i,
  input  logic [WordBits-1:0]  cmp_wdata_i,
  input  logic                 fill_i,
  input  logic [PA_BITS-1:0]   fill_addr_i,
  input  logic                 mnt_i,
  input  logic [2:0]           mnt_op_i,
  input  logic [PA_BITS:0]     mnt_addr_i,   // one bit past the address space
  input  logic                 mem_rd_beat_i,
  input  logic [WordBits-1:0]  mem_rd_data_i,
  input  logic                 mem_rd_err_i,
  input  logic [WiW-1:0]       mem_wr_idx_i,
  input  logic                 mem_wr_done_i
);
  localparam int OpClean = 0;
  localparam int OpInval = 1;
  localparam int OpAll   = 2;

  logic                cmp_hit, fill_done, fill_err, mnt_done, busy, cnt_fill, cnt_wb;
  logic [WordBits-1:0] cmp_rdata, mem_wr_data;
  logic                mem_rd, mem_wr, mem_rd_done;
  logic [PA_BITS-1:0]  mem_rd_addr, mem_wr_addr;
  logic [WiW-1:0]      f_rbeat_q;
  logic [TagW-1:0]     dbg_tag;
  logic [WordBits-1:0] dbg_rdata;
  logic                dbg_valid, dbg_dirty;
  logic [3:0]          fsm;

  l1_cache #(.PA_BITS(PA_BITS), .SETS(SETS), .WAYS(WAYS), .LINE(LINE)) dut (
    .clk_i, .rst_ni, .rd_en_i, .rd_addr_i, .cmp_tag_i, .cmp_boff_i('0), .cmp_touch_i, .cmp_we_i,
    .cmp_wbe_i, .cmp_wdata_i, .cmp_hit_o(cmp_hit), .cmp_rdata_o(cmp_rdata),
    .fill_i, .fill_addr_i, .fill_done_o(fill_done), .fill_err_o(fill_err),
    .mnt_i, .mnt_op_i, .mnt_addr_i(64'(mnt_addr_i)), .mnt_done_o(mnt_done),
    .busy_o(busy), .cnt_fill_o(cnt_fill), .cnt_wb_o(cnt_wb),
    .mem_rd_o(mem_rd), .mem_rd_addr_o(mem_rd_addr), .mem_rd_beat_i,
    .mem_rd_idx_i(f_rbeat_q), .mem_rd_data_i, .mem_rd_done_i(mem_rd_done),
    .mem_rd_err_i, .mem_wr_o(mem_wr), .mem_wr_addr_o(mem_wr_addr), .mem_wr_idx_i,
    .mem_wr_data_o(mem_wr_data), .mem_wr_done_i, .mem_wr_err_i(1'b0),
    // The debug path (state inspection by the glue) is off.
    .dbg_rd_i(1'b0), .dbg_tag_we_i(1'b0), .dbg_data_we_i(1'b0), .dbg_set_i('0),
    .dbg_way_i('0), .dbg_word_i('0), .dbg_tag_i('0), .dbg_valid_i(1'b0), .dbg_dirty_i(1'b0),
    .dbg_wdata_i('0), .dbg_show_i(1'b0), .dbg_tag_o(dbg_tag), .dbg_rdata_o(dbg_rdata),
    .dbg_valid_o(dbg_valid), .dbg_dirty_o(dbg_dirty), .fsm_o(fsm)
  );

  // ---- environment: the memory side (axi_master's answers) -----------------------
  logic f_rd_busy_q, f_wr_busy_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_rd_busy_q <= 1'b0;
      f_wr_busy_q <= 1'b0;
      f_rbeat_q   <= '0;
    end else begin
      if (mem_rd) begin
        f_rd_busy_q <= 1'b1;
        f_rbeat_q   <= '0;
      end else if (mem_rd_beat_i) begin
        f_rbeat_q <= f_rbeat_q + 1'b1;
        if (mem_rd_done) f_rd_busy_q <= 1'b0;
      end
      if (mem_wr) f_wr_busy_q <= 1'b1;
      else if (mem_wr_done_i) f_wr_busy_q <= 1'b0;
    end
  end
  // Beats in order, the last one completes the read; a write-back's
  // response (never an error: the line was resident) comes after it began.
  assign mem_rd_done = mem_rd_beat_i && 32'(f_rbeat_q) == Words - 1;

  // ---- environment: the CPU side (mmu_top's contract, rtl/l1_cache.sv asserts) ---
  logic                 f_s1_q;      // stage 1 holds a lookup
  logic [OffW+IdxW-1:0] f_s1_addr_q;
  always_ff @(posedge clk_i) begin
    f_s1_q      <= rst_ni && rd_en_i;
    f_s1_addr_q <= rd_addr_i;
  end
  always_comb begin
    m_reset_first: assume (rst_ni == !$initstate);
    m_rd_beats: assume (!mem_rd_beat_i || (f_rd_busy_q && !mem_rd));
    m_wr_done: assume (!mem_wr_done_i || (f_wr_busy_q && !mem_wr));
    m_rd_idle: assume (!rd_en_i || !(busy || fill_i || mnt_i));
    m_start_idle: assume (!(fill_i || mnt_i) || (!busy && !(fill_i && mnt_i)));
    m_stage1_live: assume (!(cmp_we_i || cmp_touch_i) || (f_s1_q && !busy));
    // Maintenance waits for stage 1 to drain; a fill follows a miss.
    m_mnt_alone: assume (!mnt_i || !(cmp_we_i || cmp_touch_i));
    m_mnt_op: assume (!mnt_i || mnt_op_i[OpClean] || mnt_op_i[OpInval]);  // mmu_csr's ops
    m_fill_missed: assume (!fill_i || !((cmp_we_i || cmp_touch_i) && cmp_hit));
  end

  // ---- ghost: one line, dirty in the cache, and its write-back --------------------
  (* anyconst *) logic [PA_BITS-OffW-1:0] f_line;  // {tag, set}
  logic f_look, f_store, f_dropped_ok;
  logic f_dirty_q, f_wb_q;
  assign f_look  = rst_ni && f_s1_q && {cmp_tag_i, IdxW'(f_s1_addr_q >> OffW)} == f_line;
  assign f_store = f_look && cmp_we_i && cmp_hit && cmp_wbe_i != '0;
  // Invalidation without clean may drop dirty data (INVD semantics).
  assign f_dropped_ok = mnt_i && mnt_op_i[OpInval] && !mnt_op_i[OpClean] &&
                        (mnt_op_i[OpAll] || mnt_addr_i >> OffW == (PA_BITS + 1 - OffW)'(f_line));
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      f_dirty_q <= 1'b0;
      f_wb_q    <= 1'b0;
    end else begin
      if (f_store) begin
        f_dirty_q <= 1'b1;
        f_wb_q    <= 1'b0;
      end else if (f_dropped_ok) begin
        f_dirty_q <= 1'b0;
      end else if (mem_wr && mem_wr_addr >> OffW == f_line) begin
        f_wb_q <= 1'b1;
      end
    end
  end

  // ---- properties -------------------------------------------------------------------
  always_comb begin
    // A line written by a store is not lost: once it misses, it was written back.
    if (f_look && f_dirty_q && !cmp_hit) begin
      p_dirty_wb: assert (f_wb_q);
    end
  end

  logic unused;
  assign unused = ^{cmp_rdata, fill_done, fill_err, mnt_done, cnt_fill, cnt_wb, mem_rd_addr,
                    mem_wr_data, mem_rd_data_i, mem_wr_idx_i, dbg_tag, dbg_rdata, dbg_valid,
                    dbg_dirty, fsm};
endmodule
