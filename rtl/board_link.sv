// SPDX-License-Identifier: MIT
// The board's UART link (docs/fpga.md): parses the host's frames, drives
// the MMU's request and control ports and the memory's debug port, and
// answers every frame, errors included.  Numbers of the protocol come from
// sw/board/board_proto.h through mmu_defs.vh.
//
// A frame's payload is kept in a 256-byte buffer (one block RAM) until its
// checksum has been checked; nothing runs before.  Operands are then loaded
// into arg_q, the operation runs (one MMU request or control operation, or
// a series of physical accesses), and the answer is sent byte by byte from
// the registers that hold the results (physical reads and peeks fetch each
// piece just before sending it).  A frame that stops mid-way is answered
// TIMEOUT after 2^TIMEOUT_W quiet cycles; an MMU that does not answer
// within 2^WDOG_W cycles is reset and the frame answered HUNG (a physical
// read already under way ends with zeros and a wrong checksum).
`include "mmu_assert.svh"
`include "mmu_defs.vh"

module board_link #(
  parameter int PA_BITS      = 17,
  parameter int MEM_BYTES    = 131072,
  parameter int CNT_W        = 32,
  parameter int TIMEOUT_W    = 22,
  parameter int WDOG_W       = 20,
  parameter int LEVELS       = 4,
  parameter int TLB_SETS     = 8,
  parameter int TLB_WAYS     = 2,
  parameter int L1_SETS      = 64,
  parameter int L1_WAYS      = 2,
  parameter int L1_LINE      = 16,
  parameter int CLKS_PER_BIT = 104,
  localparam int PcidW = `CR3_PCID_BITS,
  localparam int Words = MEM_BYTES / 8,
  localparam int WordW = $clog2(Words),
  localparam int NCnt  = `BOARD_COUNTERS
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // UART bytes.
  input  logic              rx_valid_i,
  input  logic [7:0]        rx_data_i,
  output logic              tx_valid_o,
  input  logic              tx_ready_i,
  output logic [7:0]        tx_data_o,

  // The MMU.
  output logic              mmu_rst_o,
  output logic              req_valid_o,
  input  logic              req_ready_i,
  output logic [63:0]       req_va_o,
  output logic [1:0]        req_op_o,
  output logic [1:0]        req_size_o,
  output logic              req_user_o,
  output logic              req_phys_o,
  output logic [63:0]       req_wdata_o,
  input  logic              rsp_valid_i,
  input  logic [1:0]        rsp_status_i,
  input  logic [63:0]       rsp_rdata_i,
  input  logic [63:0]       rsp_pa_i,
  input  logic [`PFEC_BITS-1:0] rsp_ec_i,
  input  logic              rsp_tlb_hit_i,
  input  logic              rsp_walked_i,
  input  logic              rsp_l1_hit_i,
  input  logic [2:0]        rsp_walk_reads_i,
  input  logic [2:0]        rsp_psc_level_i,
  input  logic [1:0]        rsp_page_level_i,
  input  logic              ad_valid_i,
  input  logic [63:0]       ad_pa_i,
  input  logic [63:0]       ad_value_i,
  output logic              ctl_valid_o,
  input  logic              ctl_ready_i,
  output logic [3:0]        ctl_op_o,
  output logic [63:0]       ctl_value_o,
  output logic [63:0]       ctl_addr_o,
  output logic [1:0]        ctl_type_o,
  output logic [PcidW-1:0]  ctl_pcid_o,
  input  logic              ctl_done_i,
  input  logic              ctl_gp_i,
  input  logic [63:0]       cr0_i,
  input  logic [63:0]       cr2_i,
  input  logic [63:0]       cr3_i,
  input  logic [63:0]       cr4_i,
  input  logic [63:0]       efer_i,
  input  logic              ac_i,
  input  logic [`PKRU_BITS-1:0] pkru_i,
  input  logic [NCnt*64-1:0] cnt_i,

  // The memory's debug port (zeroing and peeks).
  input  logic              mem_idle_i,
  output logic              dbg_en_o,
  output logic              dbg_we_o,
  output logic [WordW-1:0]  dbg_addr_o,
  input  logic [63:0]       dbg_rdata_i,

  // Status for the LEDs (and the simulation harness).
  output logic              in_frame_o,  // a request frame is arriving
  output logic              busy_o,      // executing or answering
  output logic              err_o,       // the last answer was an error
  output logic              fault_o      // the last access faulted
);
  localparam int  AdMax   = `BOARD_ACC_AD_MAX;
  localparam int  ArgN    = 20;  // the longest fixed payload (CTL)
  localparam int  PhysHdr = 7;   // pa[4] size count[2]
  // ACCESS's wdata; physical writes gather each piece there (the header's
  // operands are copied out first).
  localparam int  WdataOff = 9;
  localparam logic [7:0] NoOp = 8'hff;
  localparam logic [1:0] StOk = 2'(`MMU_ST_OK);
  localparam logic [1:0] StPf = 2'(`MMU_ST_PAGE_FAULT);
  localparam logic [7:0] InfoVersion = 8'd1;

  typedef enum logic [4:0] {
    SSync, SOp, SLen, SPay, SChk, SCheck, SLoadA, SLoadD, SExec,
    SReq, SWait, SCr2, SCtl, SCtlWait, SGatherA, SGatherD, SPwReq, SPwWait,
    SClear, SMemIdle, STxHdr, STxPay, SFetch, SFetchWait, SPeekA, SPeekD, STxChk
  } state_e;

  state_e              state_q;
  logic [7:0]          op_q, len_q, idx_q, sum_q, code_q, tx_len_q;
  logic [TIMEOUT_W-1:0] to_q;
  logic [WDOG_W-1:0]   wd_q;
  logic [8*ArgN-1:0]   arg_q;
  logic [7:0]          rd_ptr_q;
  logic [7:0]          buf_rdata;
  logic [31:0]         pa_q;
  logic [15:0]         pieces_q;   // physical pieces still to do
  logic [1:0]          psize_q;
  logic [2:0]          gidx_q;
  logic                need_fetch_q, bad_q, ctl_gp_q, err_q, fault_q;
  logic [63:0]         word_q;
  logic [7:0]          st_q, flags_q, ec_q, walk_q;
  logic [2:0]          n_ad_q;
  logic                ad_over_q;
  // The walk's A/D updates: entry address (8-byte aligned: the bits above
  // 2) and value, one per pulse, in a block RAM (flip-flops would cost the
  // UP5K some 400 cells); read back while the answer is sent.
  localparam int AdPaW = PA_BITS - 3;
  localparam int AdW   = AdPaW + 64;
  logic [AdW-1:0] ad_rdata;
  logic [7:0]     ad_raddr;
  logic [WordW:0]      clr_q;
  logic [1:0]          rst_hold_q;

  // ---- operands (payload offsets of board_proto.h) ---------------------------
  function automatic logic [63:0] arg64(input logic [8*ArgN-1:0] a, input int off);
    arg64 = a[8*off +: 64];
  endfunction

  logic [31:0] a_pa;
  logic [7:0]  a_size;
  logic [15:0] a_count;
  logic [19:0] a_bytes;   // count << size
  logic [32:0] a_end;
  logic        a_aligned, a_fits;

  assign a_pa      = arg_q[0 +: 32];
  assign a_size    = arg_q[32 +: 8];
  assign a_count   = arg_q[40 +: 16];
  assign a_bytes   = 20'(a_count) << a_size[1:0];
  assign a_end     = 33'(a_pa) + 33'(a_bytes);
  assign a_aligned = (a_pa & ((32'd1 << a_size[1:0]) - 32'd1)) == '0;
  assign a_fits    = a_size <= 8'd3 && a_count != '0 && a_aligned && a_end <= 33'(MEM_BYTES);

  logic [7:0]  k_words, k_len;
  logic [32:0] k_end;
  logic        k_fits;
  assign k_words = arg_q[32 +: 8];
  assign k_len   = {k_words[4:0], 3'b000};
  assign k_end   = 33'(a_pa) + 33'({k_words, 3'b000});
  assign k_fits  = a_pa[2:0] == '0 && k_words != '0 && k_words <= 8'(`BOARD_PEEK_MAX_WORDS) &&
                   k_end <= 33'(MEM_BYTES);

  // ---- the payload buffer ---------------------------------------------------------
  ram_1r1w #(.WIDTH(8), .DEPTH(256)) u_buf (
    .clk_i  (clk_i),
    .re_i   (1'b1),
    .raddr_i(rd_ptr_q),
    .rdata_o(buf_rdata),
    .we_i   (state_q == SPay && rx_valid_i),
    .waddr_i(idx_q),
    .wbe_i  (1'b1),
    .wdata_i(rx_data_i)
  );

  assign ad_raddr = {4'd0, idx_q[7:4] - 4'd1};
  ram_1r1w #(.WIDTH(AdW), .DEPTH(256)) u_ad (
    .clk_i  (clk_i),
    .re_i   (1'b1),
    .raddr_i(ad_raddr),
    .rdata_o(ad_rdata),
    .we_i   (state_q == SWait && ad_valid_i && 32'(n_ad_q) < AdMax),
    .waddr_i(8'(n_ad_q)),
    .wbe_i  (1'b1),
    .wdata_i({ad_pa_i[3 +: AdPaW], ad_value_i})
  );

  // ---- the frame check --------------------------------------------------------------
  logic [7:0] check_code;
  always_comb begin
    check_code = 8'(`BOARD_CODE_OK);
    unique case (op_q)
      8'(`BOARD_OP_INFO), 8'(`BOARD_OP_REGS), 8'(`BOARD_OP_COUNTERS), 8'(`BOARD_OP_RESET):
        if (len_q != 8'd0) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_ACCESS):
        if (len_q != 8'd17) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_CTL):
        if (len_q != 8'd20) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_PHYS_READ):
        if (len_q != 8'(PhysHdr)) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_PEEK):
        if (len_q != 8'd5) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_PHYS_WRITE), 8'(`BOARD_OP_PHYS_FILL):
        if (len_q < 8'(PhysHdr)) check_code = 8'(`BOARD_CODE_BAD_LENGTH);
      default: check_code = 8'(`BOARD_CODE_BAD_OP);
    endcase
    if (sum_q != '0) check_code = 8'(`BOARD_CODE_BAD_CHECKSUM);
  end

  // What a physical or peek operation answers once its operands are loaded.
  logic [7:0] range_code;
  always_comb begin
    range_code = 8'(`BOARD_CODE_OK);
    unique case (op_q)
      8'(`BOARD_OP_PHYS_READ):
        if (!a_fits || a_bytes > 20'd255) range_code = 8'(`BOARD_CODE_RANGE);
      8'(`BOARD_OP_PHYS_WRITE):
        if (!a_fits) range_code = 8'(`BOARD_CODE_RANGE);
        else if (20'(len_q) != 20'(PhysHdr) + a_bytes) range_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_PHYS_FILL):
        if (!a_fits) range_code = 8'(`BOARD_CODE_RANGE);
        else if (len_q != 8'(PhysHdr) + (8'd1 << a_size[1:0])) range_code = 8'(`BOARD_CODE_BAD_LENGTH);
      8'(`BOARD_OP_PEEK):
        if (!k_fits) range_code = 8'(`BOARD_CODE_RANGE);
      default: range_code = 8'(`BOARD_CODE_OK);
    endcase
  end

  // ---- the answer's payload bytes -------------------------------------------------------
  // Each answer is a row of 64-bit words: byte idx_q of the payload is byte
  // idx_q[2:0] of word idx_q[7:3].  The word is an AND-OR of the sources
  // (one-hot selects: no priority chain, no shifter).
  logic [63:0] pay_word;
  logic [2:0]  pay_sel;
  logic [7:0]  pay_byte;
  logic [4:0]  w;
  logic        is_ok, is_acc, is_reg, is_cnt;

  assign w      = idx_q[7:3];
  assign is_ok  = code_q == 8'(`BOARD_CODE_OK);
  assign is_acc = is_ok && op_q == 8'(`BOARD_OP_ACCESS);
  assign is_reg = is_ok && (op_q == 8'(`BOARD_OP_CTL) || op_q == 8'(`BOARD_OP_REGS));
  assign is_cnt = is_ok && op_q == 8'(`BOARD_OP_COUNTERS);

  // sel(c): all ones when c, else zero.
  function automatic logic [63:0] sel(input logic c);
    sel = {64{c}};
  endfunction

  always_comb begin
    pay_word = 64'(op_q) & sel(!is_ok);
    pay_word |= {pa_q, walk_q, ec_q, flags_q, st_q} & sel(is_acc && w == 5'd0);
    pay_word |= word_q & sel(is_ok && (op_q == 8'(`BOARD_OP_PHYS_READ) ||
                                      op_q == 8'(`BOARD_OP_PEEK) || (is_acc && w == 5'd1)));
    // A/D records: words 2 and 3 of record 0, and so on (the RAM reads
    // the record of idx_q, set at least one byte time before it is sent).
    pay_word |= 64'({ad_rdata[64 +: AdPaW], 3'b000}) & sel(is_acc && w >= 5'd2 && !w[0]);
    pay_word |= ad_rdata[63:0] & sel(is_acc && w >= 5'd2 && w[0]);
    pay_word |= cr0_i & sel(is_reg && w == 5'd0);
    pay_word |= cr2_i & sel(is_reg && w == 5'd1);
    pay_word |= cr3_i & sel(is_reg && w == 5'd2);
    pay_word |= cr4_i & sel(is_reg && w == 5'd3);
    pay_word |= efer_i & sel(is_reg && w == 5'd4);
    pay_word |= {16'd0, 32'(pkru_i), 7'd0, ctl_gp_q && op_q == 8'(`BOARD_OP_CTL), 7'd0, ac_i} &
                sel(is_reg && w == 5'd5);
    for (int c = 0; c < NCnt; c++) begin
      pay_word |= 64'(cnt_i[64*c +: CNT_W]) & sel(is_cnt && 32'(w) == c);
    end
    pay_word |= {8'(LEVELS), 8'(CNT_W), 8'(PA_BITS), InfoVersion, 32'(`BOARD_INFO_MAGIC)} &
                sel(is_ok && op_q == 8'(`BOARD_OP_INFO) && w == 5'd0);
    pay_word |= {16'(CLKS_PER_BIT), 8'($clog2(MEM_BYTES)), 8'(L1_LINE), 8'(L1_WAYS),
                 8'(L1_SETS), 8'(TLB_WAYS), 8'(TLB_SETS)} &
                sel(is_ok && op_q == 8'(`BOARD_OP_INFO) && w == 5'd1);
  end

  assign pay_sel  = (op_q == 8'(`BOARD_OP_PHYS_READ)) ?
                    idx_q[2:0] & ((3'd1 << psize_q) - 3'd1) : idx_q[2:0];
  always_comb begin
    pay_byte = '0;
    for (int b = 0; b < 8; b++) pay_byte |= pay_word[8*b +: 8] & {8{32'(pay_sel) == b}};
  end

  // ---- the sequencer --------------------------------------------------------------------
  logic       in_frame, waiting, hang, tx_hs, streaming, last_piece;
  logic [7:0] tx_byte;

  assign in_frame   = state_q == SOp || state_q == SLen || state_q == SPay || state_q == SChk;
  assign waiting    = state_q == SReq || state_q == SWait || state_q == SCtl || state_q == SCtlWait ||
                      state_q == SPwReq || state_q == SPwWait || state_q == SFetch ||
                      state_q == SFetchWait;
  assign hang       = waiting && &wd_q;
  assign tx_hs      = tx_valid_o && tx_ready_i;
  assign streaming  = code_q == 8'(`BOARD_CODE_OK) &&
                      (op_q == 8'(`BOARD_OP_PHYS_READ) || op_q == 8'(`BOARD_OP_PEEK));
  assign last_piece = pieces_q == 16'd1;

  always_comb begin
    unique case (state_q)
      STxHdr:  tx_byte = (idx_q == 8'd0) ? 8'(`BOARD_SYNC_RSP) : (idx_q == 8'd1) ? code_q : tx_len_q;
      STxChk:  tx_byte = bad_q ? ~(8'd0 - sum_q) : 8'd0 - sum_q;
      default: tx_byte = pay_byte;
    endcase
  end
  assign tx_valid_o = state_q == STxHdr || state_q == STxChk ||
                      (state_q == STxPay && !(streaming && need_fetch_q && !bad_q));
  assign tx_data_o  = tx_byte;

  // Answer with code (and the operation as payload when it is an error).
`define BOARD_ANSWER(code, len) \
    begin \
      code_q   <= (code); \
      tx_len_q <= ((code) == 8'(`BOARD_CODE_OK)) ? (len) : 8'd1; \
      idx_q    <= '0; \
      state_q  <= STxHdr; \
    end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q      <= SSync;
      op_q         <= NoOp;
      len_q        <= '0;
      idx_q        <= '0;
      sum_q        <= '0;
      code_q       <= '0;
      tx_len_q     <= '0;
      to_q         <= '0;
      wd_q         <= '0;
      arg_q        <= '0;
      rd_ptr_q     <= '0;
      pa_q         <= '0;
      pieces_q     <= '0;
      psize_q      <= '0;
      gidx_q       <= '0;
      need_fetch_q <= 1'b0;
      bad_q        <= 1'b0;
      ctl_gp_q     <= 1'b0;
      err_q        <= 1'b0;
      fault_q      <= 1'b0;
      word_q       <= '0;
      st_q         <= '0;
      flags_q      <= '0;
      ec_q         <= '0;
      walk_q       <= '0;
      n_ad_q       <= '0;
      ad_over_q    <= 1'b0;
      clr_q        <= '0;
      rst_hold_q   <= '0;
    end else begin
      // Inter-byte timeout and MMU watchdog.
      to_q       <= (in_frame && !rx_valid_i) ? to_q + 1'b1 : '0;
      wd_q       <= waiting ? wd_q + 1'b1 : '0;
      rst_hold_q <= (rst_hold_q != '0) ? rst_hold_q - 1'b1 : '0;
      if (hang) begin
        rst_hold_q <= '1;
        bad_q      <= 1'b1;
      end

      unique case (state_q)
        // ---- receive ----
        SSync: begin
          op_q <= NoOp;
          if (rx_valid_i && rx_data_i == 8'(`BOARD_SYNC_REQ)) state_q <= SOp;
        end
        SOp: if (rx_valid_i) begin
          op_q    <= rx_data_i;
          sum_q   <= rx_data_i;
          state_q <= SLen;
        end
        SLen: if (rx_valid_i) begin
          len_q   <= rx_data_i;
          sum_q   <= sum_q + rx_data_i;
          idx_q   <= '0;
          state_q <= (rx_data_i == '0) ? SChk : SPay;
        end
        SPay: if (rx_valid_i) begin
          sum_q <= sum_q + rx_data_i;
          idx_q <= idx_q + 1'b1;
          if (idx_q == len_q - 1'b1) state_q <= SChk;
        end
        SChk: if (rx_valid_i) begin
          sum_q   <= sum_q + rx_data_i;
          state_q <= SCheck;
        end
        SCheck: begin
          bad_q <= 1'b0;
          if (check_code != 8'(`BOARD_CODE_OK)) begin
            `BOARD_ANSWER(check_code, 8'd0)
          end else begin
            arg_q    <= '0;
            rd_ptr_q <= '0;
            idx_q    <= '0;
            state_q  <= (len_q == '0) ? SExec : SLoadA;
          end
        end
        SLoadA: state_q <= SLoadD;  // the buffer reads rd_ptr_q
        SLoadD: begin
          for (int i = 0; i < ArgN; i++) begin
            if (32'(idx_q) == i) arg_q[8*i +: 8] <= buf_rdata;
          end
          idx_q    <= idx_q + 1'b1;
          rd_ptr_q <= rd_ptr_q + 1'b1;
          state_q  <= (idx_q + 1'b1 == len_q || idx_q == 8'(ArgN - 1)) ? SExec : SLoadA;
        end

        // ---- execute ----
        SExec: begin
          pa_q       <= a_pa;
          psize_q    <= a_size[1:0];
          pieces_q   <= a_count;
          n_ad_q     <= '0;
          ad_over_q  <= 1'b0;
          unique case (op_q)
            8'(`BOARD_OP_INFO):     `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(`BOARD_INFO_LEN))
            8'(`BOARD_OP_REGS):     `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(`BOARD_REGS_LEN))
            8'(`BOARD_OP_COUNTERS): `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(NCnt * 8))
            8'(`BOARD_OP_ACCESS):   state_q <= SReq;
            8'(`BOARD_OP_CTL):      state_q <= SCtl;
            8'(`BOARD_OP_RESET): begin
              clr_q   <= '0;
              state_q <= SClear;
            end
            8'(`BOARD_OP_PHYS_READ): begin
              need_fetch_q <= 1'b1;
              if (range_code != 8'(`BOARD_CODE_OK)) `BOARD_ANSWER(range_code, 8'd0)
              else `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(a_bytes))
            end
            8'(`BOARD_OP_PEEK): begin
              pieces_q     <= 16'(k_words);
              need_fetch_q <= 1'b1;
              if (range_code != 8'(`BOARD_CODE_OK)) `BOARD_ANSWER(range_code, 8'd0)
              else state_q <= SMemIdle;
            end
            default: begin  // PHYS_WRITE, PHYS_FILL
              rd_ptr_q <= 8'(PhysHdr);
              gidx_q   <= '0;
              arg_q[8*WdataOff +: 64] <= '0;
              if (range_code != 8'(`BOARD_CODE_OK)) `BOARD_ANSWER(range_code, 8'd0)
              else state_q <= SGatherA;
            end
          endcase
        end
        SReq: if (req_ready_i) state_q <= SWait;
        SWait: begin
          if (ad_valid_i) begin
            if (32'(n_ad_q) < AdMax) begin
              n_ad_q <= n_ad_q + 1'b1;
            end else begin
              ad_over_q <= 1'b1;
            end
          end
          if (rsp_valid_i) begin
            st_q    <= 8'(rsp_status_i);
            flags_q <= {ad_over_q, 2'b00, rsp_page_level_i, rsp_l1_hit_i, rsp_walked_i,
                        rsp_tlb_hit_i};
            ec_q    <= 8'(rsp_ec_i);
            walk_q  <= 8'(rsp_walk_reads_i) | (8'(rsp_psc_level_i) << `BOARD_WALK_PSC_SHIFT);
            pa_q    <= 32'(rsp_pa_i);
            word_q  <= rsp_rdata_i;
            fault_q <= rsp_status_i != StOk;
            state_q <= (rsp_status_i == StPf) ? SCr2 : SExec;
            if (rsp_status_i != StPf) `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(`BOARD_ACC_HDR) + 8'(n_ad_q) * 8'd16)
          end
        end
        SCr2: begin  // CR2 is written at the edge that ends the #PF response's cycle
          word_q <= cr2_i;
          `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(`BOARD_ACC_HDR) + 8'(n_ad_q) * 8'd16)
        end
        SCtl: if (ctl_ready_i) state_q <= SCtlWait;
        SCtlWait: if (ctl_done_i) begin
          ctl_gp_q <= ctl_gp_i;
          `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'(`BOARD_REGS_LEN))
        end
        SGatherA: state_q <= SGatherD;
        SGatherD: begin
          for (int i = 0; i < 8; i++) begin
            if (32'(gidx_q) == i) arg_q[8*(WdataOff + i) +: 8] <= buf_rdata;
          end
          rd_ptr_q <= rd_ptr_q + 1'b1;
          gidx_q   <= gidx_q + 1'b1;
          state_q  <= (gidx_q == (3'd1 << psize_q) - 3'd1) ? SPwReq : SGatherA;
        end
        SPwReq: if (req_ready_i) state_q <= SPwWait;
        SPwWait: if (rsp_valid_i) begin
          pa_q     <= pa_q + (32'd1 << psize_q);
          pieces_q <= pieces_q - 1'b1;
          gidx_q   <= '0;
          if (rsp_status_i != StOk) begin
            `BOARD_ANSWER(8'(`BOARD_CODE_RANGE), 8'd0)
          end else if (last_piece) begin
            `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'd0)
          end else if (op_q == 8'(`BOARD_OP_PHYS_FILL)) begin
            state_q <= SPwReq;
          end else begin
            arg_q[8*WdataOff +: 64] <= '0;
            state_q <= SGatherA;
          end
        end
        SClear: begin  // the MMU is held in reset meanwhile
          clr_q <= clr_q + 1'b1;
          if (clr_q == (WordW + 1)'(Words - 1)) `BOARD_ANSWER(8'(`BOARD_CODE_OK), 8'd0)
        end
        SMemIdle: if (mem_idle_i) `BOARD_ANSWER(8'(`BOARD_CODE_OK), k_len)

        // ---- answer ----
        STxHdr: if (tx_hs) begin
          if (idx_q != '0) sum_q <= (idx_q == 8'd1) ? tx_byte : sum_q + tx_byte;
          idx_q <= idx_q + 1'b1;
          if (idx_q == 8'd2) begin
            idx_q   <= '0;
            state_q <= (tx_len_q == '0) ? STxChk : STxPay;
          end
        end
        STxPay: begin
          if (streaming && need_fetch_q && !bad_q) begin
            state_q <= (op_q == 8'(`BOARD_OP_PEEK)) ? SPeekA : SFetch;
          end else if (tx_hs) begin
            sum_q        <= sum_q + tx_byte;
            idx_q        <= idx_q + 1'b1;
            need_fetch_q <= (op_q == 8'(`BOARD_OP_PEEK)) ? idx_q[2:0] == 3'd7 :
                            (idx_q[2:0] & ((3'd1 << psize_q) - 3'd1)) == ((3'd1 << psize_q) - 3'd1);
            if (idx_q == tx_len_q - 1'b1) state_q <= STxChk;
          end
        end
        SFetch: if (req_ready_i) state_q <= SFetchWait;
        SFetchWait: if (rsp_valid_i) begin
          word_q       <= rsp_rdata_i;
          pa_q         <= pa_q + (32'd1 << psize_q);
          bad_q        <= bad_q || rsp_status_i != StOk;
          need_fetch_q <= 1'b0;
          state_q      <= STxPay;
        end
        SPeekA: state_q <= SPeekD;  // the RAM reads the word
        SPeekD: begin
          word_q       <= dbg_rdata_i;
          pa_q         <= pa_q + 32'd8;
          need_fetch_q <= 1'b0;
          state_q      <= STxPay;
        end
        STxChk: if (tx_hs) begin
          err_q   <= code_q != 8'(`BOARD_CODE_OK) || bad_q;
          state_q <= SSync;
        end
        default: state_q <= SSync;
      endcase

      // Errors that preempt the state above.
      if (in_frame && &to_q) `BOARD_ANSWER(8'(`BOARD_CODE_TIMEOUT), 8'd0)
      if (hang) begin
        word_q <= '0;
        if (state_q == SFetch || state_q == SFetchWait) begin
          need_fetch_q <= 1'b0;
          state_q      <= STxPay;  // finish the answer: zeros, wrong checksum
        end else begin
          `BOARD_ANSWER(8'(`BOARD_CODE_HUNG), 8'd0)
        end
      end
    end
  end

  // ---- the MMU's ports ---------------------------------------------------------------------
  logic phys_req;
  assign phys_req    = state_q == SPwReq || state_q == SFetch;
  assign req_valid_o = state_q == SReq || phys_req;
  assign req_va_o    = phys_req ? 64'(pa_q) : arg64(arg_q, 0);
  assign req_op_o    = phys_req ? ((state_q == SPwReq) ? 2'(`MMU_OP_STORE) : 2'(`MMU_OP_LOAD))
                                : arg_q[64 +: 2];
  assign req_size_o  = phys_req ? psize_q : arg_q[64 + `BOARD_CTRL_SIZE_SHIFT +: 2];
  assign req_user_o  = !phys_req && arg_q[64 + `BOARD_CTRL_USER_SHIFT];
  assign req_phys_o  = phys_req;
  assign req_wdata_o = arg64(arg_q, WdataOff);  // ACCESS's wdata, or the piece gathered

  assign ctl_valid_o = state_q == SCtl;
  assign ctl_op_o    = arg_q[0 +: 4];
  assign ctl_type_o  = arg_q[8 +: 2];
  assign ctl_pcid_o  = arg_q[16 +: PcidW];
  assign ctl_value_o = arg64(arg_q, 4);
  assign ctl_addr_o  = arg64(arg_q, 12);

  assign mmu_rst_o  = state_q == SClear || rst_hold_q != '0;
  assign dbg_en_o   = state_q == SClear || state_q == SPeekA;
  assign dbg_we_o   = state_q == SClear;
  assign dbg_addr_o = (state_q == SClear) ? clr_q[WordW-1:0] : WordW'(pa_q >> 3);

  assign in_frame_o = in_frame;
  assign busy_o     = state_q != SSync && !in_frame;
  assign err_o      = err_q;
  assign fault_o    = fault_q;

  logic unused;
  assign unused = ^{arg_q[64 + 5 +: 3], arg_q[8 + 2 +: 6], arg_q[16 + PcidW +: 16 - PcidW],
                    cnt_i, rsp_pa_i[63:32], ad_pa_i[63:PA_BITS], ad_pa_i[2:0]};

  `MMU_ASSERT_IF(a_one_port, req_valid_o, !ctl_valid_o, "request and control operation together")
  `MMU_ASSERT_IF(a_ad_in_access, ad_valid_i, state_q == SWait || state_q == SPwWait ||
                 state_q == SFetchWait, "A/D update outside an access")
`undef BOARD_ANSWER
endmodule
