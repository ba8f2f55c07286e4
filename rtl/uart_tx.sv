// SPDX-License-Identifier: MIT
// UART transmitter: 8 data bits, no parity, one stop bit, LSB first, idle
// high, CLKS_PER_BIT cycles per bit.  A byte is taken when valid_i &&
// ready_o; tx_o is a register.
module uart_tx #(
  parameter int CLKS_PER_BIT = 104,
  localparam int CntW = $clog2(CLKS_PER_BIT + 1)
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       valid_i,
  output logic       ready_o,
  input  logic [7:0] data_i,
  output logic       tx_o
);
  localparam logic [CntW-1:0] BitCycles = CntW'(CLKS_PER_BIT - 1);
  localparam int FrameBits = 10;  // start, 8 data, stop

  logic [FrameBits-2:0] shift_q;  // data then stop, LSB first
  logic [3:0]           left_q;   // bits still to send after the current one
  logic [CntW-1:0]      cnt_q;
  logic                 busy_q, tx_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      tx_q    <= 1'b1;
      shift_q <= '1;
      left_q  <= '0;
      cnt_q   <= '0;
    end else if (!busy_q) begin
      if (valid_i) begin
        busy_q  <= 1'b1;
        tx_q    <= 1'b0;  // start bit
        shift_q <= {1'b1, data_i};
        left_q  <= 4'(FrameBits - 1);
        cnt_q   <= BitCycles;
      end
    end else if (cnt_q != '0) begin
      cnt_q <= cnt_q - 1'b1;
    end else if (left_q == '0) begin
      busy_q <= 1'b0;
    end else begin
      tx_q    <= shift_q[0];
      shift_q <= {1'b1, shift_q[FrameBits-2:1]};
      left_q  <= left_q - 1'b1;
      cnt_q   <= BitCycles;
    end
  end

  assign ready_o = !busy_q;
  assign tx_o    = tx_q;
endmodule
