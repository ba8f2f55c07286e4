// SPDX-License-Identifier: MIT
// Board top for the fpga configuration (constraints/ice40-hx8k-breakout.pcf):
// mmu_top has about two thousand I/O bits, a board a few dozen pins, so every
// input of the MMU (CPU request, control operation, the AXI slave's side)
// comes from a stimulus register loaded serially (sin_i while shift_i), is
// applied for one cycle on go_i (request and control valid), and every
// output is folded into a 32-bit multiple-input signature register (MISR)
// read back serially (sout_o while shift_i).  Nothing is left unobserved, so
// synthesis keeps the whole MMU, and every MMU input and output is a
// register-to-register path: the place-and-route fmax is the MMU's.  The
// fold's first level (an XOR of four output bits, one logic cell with its
// flip-flop) is registered, so that an MMU output reaches a flip-flop
// through one LUT, not through the whole XOR tree.  The
// AXI port is driven from the stimulus register (a bring-up harness, not a
// memory system).  The MMU is mmu_bundled: stimulus and signature are its
// bundles, concatenated.
`include "mmu_defs.vh"
`include "mmu_cfg.vh"
`include "mmu_bundle.svh"

module mmu_fpga_top #(
  parameter int CNT_W = 32   // counter width: the back end widens them (64 fills 92 % of an HX8K)
) (
  input  logic       clk_i,    // board oscillator
  input  logic       rst_ni,   // active-low button
  input  logic       sin_i,    // serial stimulus
  input  logic       shift_i,  // shift sin_i in and the signature out
  input  logic       go_i,     // apply the stimulus (rising edge)
  output logic       sout_o,   // serial signature
  output logic [3:0] led_o     // response, control done, fault, memory busy
);
  localparam int SigW = 32;

  // ---- asynchronous pins: two-flop synchronisers ---------------------------
  logic [2:0] sync1_q, sync2_q;
  logic       go_prev_q;
  logic       sin, shift, go;

  always_ff @(posedge clk_i) begin
    sync1_q   <= {sin_i, shift_i, go_i};
    sync2_q   <= sync1_q;
    go_prev_q <= sync2_q[0];
  end
  assign sin   = sync2_q[2];
  assign shift = sync2_q[1];
  assign go    = sync2_q[0] && !go_prev_q;

  // ---- stimulus -------------------------------------------------------------
  // The bundles of mmu_bundled (rtl/mmu_bundle.svh).
  logic [`MMU_B_REQ_W-1:0] req;
  logic [`MMU_B_CTL_W-1:0] ctl;
  logic [`MMU_B_B_W-1:0]   b;
  logic [`MMU_B_R_W-1:0]   r;
  logic                    req_valid, ctl_valid, awready, wready, bvalid, arready, rvalid;

  localparam int StimW = `MMU_B_REQ_W + `MMU_B_CTL_W + `MMU_B_B_W + `MMU_B_R_W + 7;
  logic [StimW-1:0] stim_q;

  always_ff @(posedge clk_i) begin
    if (shift) stim_q <= {stim_q[StimW-2:0], sin};
  end
  assign {req, ctl, b, r, req_valid, ctl_valid, awready, wready, bvalid, arready, rvalid} = stim_q;

  // ---- the MMU ----------------------------------------------------------------
  logic                         req_ready, rsp_valid, ctl_ready, ctl_done, ctl_gp;
  logic [`MMU_B_RSP_W-1:0]      rsp;
  logic [`MMU_B_AD_W-1:0]       ad;
  logic [`MMU_B_REGS_W-1:0]     regs;
  logic [`MMU_B_NCNT*64-1:0]    cnt;
  logic                         awvalid, wvalid, bready, arvalid, rready;
  logic [`MMU_B_AX_W-1:0]       aw, ar;
  logic [`MMU_B_W_W-1:0]        w;

  mmu_bundled #(.CNT_W(CNT_W)) u_mmu (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .req_valid_i(req_valid && go),
    .req_ready_o(req_ready),
    .req_i      (req),
    .rsp_valid_o(rsp_valid),
    .rsp_o      (rsp),
    .ad_o       (ad),
    .ctl_valid_i(ctl_valid && go),
    .ctl_ready_o(ctl_ready),
    .ctl_i      (ctl),
    .ctl_done_o (ctl_done),
    .ctl_gp_o   (ctl_gp),
    .regs_o     (regs),
    .cnt_o      (cnt),
    .awvalid_o  (awvalid),
    .awready_i  (awready),
    .aw_o       (aw),
    .wvalid_o   (wvalid),
    .wready_i   (wready),
    .w_o        (w),
    .bvalid_i   (bvalid),
    .bready_o   (bready),
    .b_i        (b),
    .arvalid_o  (arvalid),
    .arready_i  (arready),
    .ar_o       (ar),
    .rvalid_i   (rvalid),
    .rready_o   (rready),
    .r_i        (r)
  );

  // ---- every output into the signature -----------------------------------------
  localparam int ObsW = 10 + `MMU_B_RSP_W + `MMU_B_AD_W + `MMU_B_REGS_W + `MMU_B_NCNT * 64 +
                        2 * `MMU_B_AX_W + `MMU_B_W_W;
  localparam int Quads  = (ObsW + 3) / 4;
  localparam int Chunks = (Quads + SigW - 1) / SigW;
  logic [4*Quads-1:0]     obs;
  logic [Chunks*SigW-1:0] quad_q;
  logic [SigW-1:0]        fold, sig_q;

  assign obs = (4 * Quads)'({req_ready, rsp_valid, rsp, ad, ctl_ready, ctl_done, ctl_gp, regs, cnt,
                             awvalid, wvalid, bready, arvalid, rready, aw, ar, w});

  always_ff @(posedge clk_i) begin
    quad_q <= '0;
    for (int q = 0; q < Quads; q++) quad_q[q] <= ^obs[4*q +: 4];
  end
  always_comb begin
    fold = '0;
    for (int c = 0; c < Chunks; c++) fold ^= quad_q[c*SigW +: SigW];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sig_q <= '0;
    end else if (shift) begin
      sig_q <= {sig_q[SigW-2:0], 1'b0};
    end else begin
      sig_q <= {sig_q[SigW-2:0], sig_q[SigW-1]} ^ fold;
    end
  end

  assign sout_o = sig_q[SigW-1];
  // rsp's status field is its top two bits (mmu_bundled).
  assign led_o  = {arvalid || awvalid, rsp_valid && rsp[`MMU_B_RSP_W-1 -: 2] != '0, ctl_done, rsp_valid};
endmodule
