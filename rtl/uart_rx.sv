// SPDX-License-Identifier: MIT
// UART receiver: 8 data bits, no parity, one stop bit, LSB first, idle
// high.  rx_i is asynchronous (two-flop synchroniser here).  The start bit's
// falling edge starts a count to the middle of each bit (CLKS_PER_BIT
// cycles per bit, at least 2); a byte whose stop bit reads 0 is dropped and
// reported on frame_err_o.  busy_o: a byte is being received.
module uart_rx #(
  parameter int CLKS_PER_BIT = 104,
  localparam int CntW = $clog2(CLKS_PER_BIT + 1)
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       rx_i,
  output logic       valid_o,      // one-cycle pulse with data_o
  output logic [7:0] data_o,
  output logic       frame_err_o,  // one-cycle pulse: stop bit was 0
  output logic       busy_o
);
  localparam logic [CntW-1:0] BitCycles  = CntW'(CLKS_PER_BIT - 1);
  localparam logic [CntW-1:0] HalfCycles = CntW'(CLKS_PER_BIT / 2 - 1);

  typedef enum logic [1:0] {SIdle, SStart, SData, SStop} state_e;
  state_e         state_q;
  logic [1:0]     sync_q;
  logic [CntW-1:0] cnt_q;
  logic [2:0]     bit_q;
  logic [7:0]     shift_q;
  logic           rx, tick;

  always_ff @(posedge clk_i) begin
    sync_q <= {sync_q[0], rx_i};
  end
  assign rx   = sync_q[1];
  assign tick = cnt_q == '0;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q     <= SIdle;
      cnt_q       <= '0;
      bit_q       <= '0;
      shift_q     <= '0;
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
    end else begin
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
      if (!tick) cnt_q <= cnt_q - 1'b1;
      unique case (state_q)
        SIdle: begin
          if (!rx) begin
            state_q <= SStart;
            cnt_q   <= HalfCycles;
          end
        end
        SStart: begin
          if (tick) begin
            // A glitch shorter than half a bit is not a start bit.
            state_q <= rx ? SIdle : SData;
            cnt_q   <= BitCycles;
            bit_q   <= '0;
          end
        end
        SData: begin
          if (tick) begin
            shift_q <= {rx, shift_q[7:1]};
            cnt_q   <= BitCycles;
            bit_q   <= bit_q + 1'b1;
            if (bit_q == 3'd7) state_q <= SStop;
          end
        end
        SStop: begin
          if (tick) begin
            state_q     <= SIdle;
            valid_o     <= rx;
            frame_err_o <= !rx;
          end
        end
        default: state_q <= SIdle;
      endcase
    end
  end

  assign data_o = shift_q;
  assign busy_o = state_q != SIdle;

`ifndef SYNTHESIS
  if (CLKS_PER_BIT < 2) begin : g_bad_rate
    $error("uart_rx: CLKS_PER_BIT (%0d) must be at least 2", CLKS_PER_BIT);
  end
`endif
endmodule
