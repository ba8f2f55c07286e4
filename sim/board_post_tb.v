// SPDX-License-Identifier: MIT
// Post-synthesis check of the board top: the Yosys netlist of mmu_board_top
// (synth_ice40, SPRAM memory) simulated by Icarus Verilog with the iCE40
// cell models, driven through its UART pins by this self-checking bench
// (make board-postsynth, docs/fpga.md).  It checks INFO, RESET, physical
// writes and reads through the L1, a page walk (four tables built with
// PHYS_WRITE, CR3 written with CTL, one ACCESS: the data and the four A-bit
// updates), a flush and a PEEK of the memory, the counters, and the
// answers to a bad checksum and an unknown operation.
// Plain Verilog (the bench is not synthesised).  CPB: the netlist's clocks
// per bit; PROTO_* from build/rel/rtl/mmu_defs.vh (BOARD_*).
`timescale 1ns / 1ps
`include "mmu_defs.vh"

module board_post_tb;
  parameter CPB = 4;

  reg        clk = 1'b0;
  reg        rst_n = 1'b0;
  reg        rx = 1'b1;
  wire       tx;
  wire [4:0] led;

  mmu_board_top dut (
    .clk_i(clk), .rst_ni(rst_n), .uart_rx_i(rx), .uart_tx_o(tx), .led_o(led)
  );

  always #5 clk = ~clk;

  integer checks = 0, failures = 0;
  reg [7:0] ans [0:255];
  integer   ans_len, ans_code;
  reg [7:0] pay [0:255];

  task check(input ok, input [8*64-1:0] what);
    begin
      checks = checks + 1;
      if (!ok) begin
        failures = failures + 1;
        $display("  FAIL: %0s", what);
      end
    end
  endtask

  task send_byte(input [7:0] b);
    integer i;
    begin
      rx = 1'b0;
      repeat (CPB) @(posedge clk);
      for (i = 0; i < 8; i = i + 1) begin
        rx = b[i];
        repeat (CPB) @(posedge clk);
      end
      rx = 1'b1;
      repeat (CPB) @(posedge clk);
    end
  endtask

  task recv_byte(output [7:0] b);
    integer i;
    begin
      @(negedge tx);
      repeat (CPB / 2) @(posedge clk);
      for (i = 0; i < 8; i = i + 1) begin
        repeat (CPB) @(posedge clk);
        b[i] = tx;
      end
      repeat (CPB) @(posedge clk);
    end
  endtask

  // Send op with pay[0..len-1] (checksum corrupted by `bad`), read the answer.
  task frame(input [7:0] op, input integer len, input [7:0] bad);
    integer i;
    reg [7:0] sum, b, chk;
    begin
      sum = op + len;
      send_byte(`BOARD_SYNC_REQ);
      send_byte(op);
      send_byte(len);
      for (i = 0; i < len; i = i + 1) begin
        send_byte(pay[i]);
        sum = sum + pay[i];
      end
      send_byte(8'd0 - sum + bad);
      b = 0;
      while (b != `BOARD_SYNC_RSP) recv_byte(b);
      recv_byte(b); ans_code = b; sum = b;
      recv_byte(b); ans_len = b; sum = sum + b;
      for (i = 0; i < ans_len; i = i + 1) begin
        recv_byte(ans[i]);
        sum = sum + ans[i];
      end
      recv_byte(chk);
      check(((sum + chk) & 8'hff) == 0, "answer checksum");
    end
  endtask

  task put64(input integer at, input [63:0] v);
    integer i;
    begin
      for (i = 0; i < 8; i = i + 1) pay[at + i] = v[8*i +: 8];
    end
  endtask

  function [63:0] ans64(input integer at);
    integer i;
    begin
      ans64 = 0;
      for (i = 0; i < 8; i = i + 1) ans64[8*i +: 8] = ans[at + i];
    end
  endfunction

  // One 8-byte PHYS_WRITE.
  task phys_write64(input [31:0] pa, input [63:0] v);
    begin
      pay[0] = pa[7:0]; pay[1] = pa[15:8]; pay[2] = pa[23:16]; pay[3] = pa[31:24];
      pay[4] = 3; pay[5] = 1; pay[6] = 0;
      put64(7, v);
      frame(`BOARD_OP_PHYS_WRITE, 15, 0);
      check(ans_code == 0 && ans_len == 0, "PHYS_WRITE answered ok");
    end
  endtask

  localparam [63:0] Pte = 64'h7;  // present, writable, user
  localparam [63:0] Data = 64'h1122_3344_5566_7788;

  initial begin
    $display("board post-synthesis: the synth_ice40 netlist of mmu_board_top with the iCE40 cell models,",
             " driven through its UART pins: INFO, RESET, error answers, physical writes and reads through",
             " the L1, two page walks and their A-bit records, TLB and L1 hits, FLUSH_ALL, PEEK, counters");
    repeat (10) @(posedge clk);
    rst_n = 1'b1;
    repeat (10) @(posedge clk);

    frame(`BOARD_OP_INFO, 0, 0);
    check(ans_code == 0 && ans_len == `BOARD_INFO_LEN && ans[0] == 8'h55 && ans[14] == CPB,
          "INFO: magic and clocks per bit");
    frame(`BOARD_OP_RESET, 0, 0);
    check(ans_code == 0, "RESET");
    frame(`BOARD_OP_INFO, 0, 1);
    check(ans_code == `BOARD_CODE_BAD_CHECKSUM && ans[0] == `BOARD_OP_INFO, "bad checksum answered");
    frame(8'h7e, 0, 0);
    check(ans_code == `BOARD_CODE_BAD_OP, "unknown operation answered");

    // A walk whose lines fall in distinct L1 sets (no eviction): VA
    // 0x80806040 -> PML4E 0x1000, PDPTE 0x2010, PDE 0x7020, PTE 0x8030,
    // data 0x9040.
    phys_write64(32'h1000, 64'h2000 | Pte);
    phys_write64(32'h2010, 64'h7000 | Pte);
    phys_write64(32'h7020, 64'h8000 | Pte);
    phys_write64(32'h8030, 64'h9000 | Pte);
    phys_write64(32'h9040, ~Data);
    pay[0] = `MMU_CTL_WRITE_CR3; pay[1] = 0; pay[2] = 0; pay[3] = 0;
    put64(4, 64'h1000); put64(12, 0);
    frame(`BOARD_OP_CTL, 20, 0);
    put64(0, 64'h8080_6040); pay[8] = (3 << `BOARD_CTRL_SIZE_SHIFT) | `MMU_OP_LOAD; put64(9, 0);
    frame(`BOARD_OP_ACCESS, 17, 0);
    $display("  ACCESS (no eviction) answered code %0d len %0d: status %0d flags %h ec %h walk %h word %h",
             ans_code, ans_len, ans[0], ans[1], ans[2], ans[3], ans64(8));
    check(ans_code == 0 && ans[0] == `MMU_ST_OK && ans64(8) == ~Data && ans_len == 16 + 4 * 16,
          "ACCESS, walk without evictions: data and four A-bit updates");
    check(ans64(16) == 64'h1000 && ans64(24) == (64'h2000 | Pte | 64'h20) &&
          ans64(32) == 64'h2010 && ans64(40) == (64'h7000 | Pte | 64'h20) &&
          ans64(48) == 64'h7020 && ans64(56) == (64'h8000 | Pte | 64'h20) &&
          ans64(64) == 64'h8030 && ans64(72) == (64'h9000 | Pte | 64'h20),
          "ACCESS, walk without evictions: the A-bit records, PML4E first");

    // Tables whose lines share L1 set 0 (evictions and write-backs):
    // PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT 0x4000 -> page 0x5000.
    // The PML4 entry at 0x1000 is the first walk's, its A bit already set:
    // this walk updates three entries.
    phys_write64(32'h2000, 64'h3000 | Pte);
    phys_write64(32'h3000, 64'h4000 | Pte);
    phys_write64(32'h4028, 64'h5000 | Pte);
    phys_write64(32'h5000, Data);
    pay[0] = 0; pay[1] = 0; pay[2] = 0; pay[3] = 0; pay[4] = 3; pay[5] = 1; pay[6] = 0;
    pay[0] = 8'h28; pay[1] = 8'h40;
    frame(`BOARD_OP_PHYS_READ, 7, 0);
    check(ans_code == 0 && ans_len == 8 && ans64(0) == (64'h5000 | Pte), "PHYS_READ of the PTE");
    pay[0] = 8'h00; pay[1] = 8'h20;
    frame(`BOARD_OP_PHYS_READ, 7, 0);
    $display("  PHYS_READ 0x2000: %h", ans64(0));
    check(ans_code == 0 && ans_len == 8 && ans64(0) == (64'h3000 | Pte), "PHYS_READ of the PDPTE after evictions");

    // CR3 = 0x1000, then a supervisor load at VA 0x5000.
    pay[0] = `MMU_CTL_WRITE_CR3; pay[1] = 0; pay[2] = 0; pay[3] = 0;
    put64(4, 64'h1000); put64(12, 0);
    frame(`BOARD_OP_CTL, 20, 0);
    check(ans_code == 0 && ans_len == `BOARD_REGS_LEN && ans64(16) == 64'h1000 && ans[41] == 0,
          "CTL WRITE_CR3: CR3 reads back");
    put64(0, 64'h5000); pay[8] = (3 << `BOARD_CTRL_SIZE_SHIFT) | `MMU_OP_LOAD; put64(9, 0);
    frame(`BOARD_OP_ACCESS, 17, 0);
    $display("  ACCESS answered code %0d len %0d: status %0d flags %h ec %h walk %h word %h",
             ans_code, ans_len, ans[0], ans[1], ans[2], ans[3], ans64(8));
    check(ans_code == 0 && ans[0] == `MMU_ST_OK && ans64(8) == Data, "ACCESS: the load's data");
    check(ans_len == `BOARD_ACC_HDR + 3 * 16 && ans[1][1] == 1'b1 && ans[4] == 8'h00 && ans[5] == 8'h50,
          "ACCESS: walked, PA 0x5000, three A-bit updates");
    check(ans64(16) == 64'h2000 && ans64(24) == (64'h3000 | Pte | 64'h20) &&
          ans64(32) == 64'h3000 && ans64(40) == (64'h4000 | Pte | 64'h20) &&
          ans64(48) == 64'h4028 && ans64(56) == (64'h5000 | Pte | 64'h20),
          "ACCESS: the A/D records (PDPTE first, PTE last)");
    frame(`BOARD_OP_ACCESS, 17, 0);
    check(ans_code == 0 && ans_len == `BOARD_ACC_HDR && ans[1][0] == 1'b1 && ans[1][2] == 1'b1 &&
          ans64(8) == Data, "ACCESS again: TLB and L1 hit");

    // Flush the L1, peek the PTE in memory: its A bit was written back.
    pay[0] = `MMU_CTL_FLUSH_ALL; put64(4, 0); put64(12, 0);
    frame(`BOARD_OP_CTL, 20, 0);
    check(ans_code == 0 && ans[41] == 0, "CTL FLUSH_ALL");
    pay[0] = 8'h28; pay[1] = 8'h40; pay[2] = 0; pay[3] = 0; pay[4] = 1;
    frame(`BOARD_OP_PEEK, 5, 0);
    check(ans_code == 0 && ans_len == 8 && ans64(0) == (64'h5000 | Pte | 64'h20),
          "PEEK: the PTE's A bit in memory");
    frame(`BOARD_OP_COUNTERS, 0, 0);
    check(ans_code == 0 && ans_len == 8 * `BOARD_COUNTERS && ans64(0) == 3 && ans64(24) == 2,
          "COUNTERS: three accesses, two walks");

    $display("board post-synthesis: %0d checks, %0d failed (%0d ns simulated)", checks, failures, $time);
    $finish;
  end

  initial begin
    #200000000;
    $display("board post-synthesis: timed out");
    $finish;
  end
endmodule
