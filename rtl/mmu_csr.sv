// SPDX-License-Identifier: MIT
// Architectural registers (CR0, CR2, CR3, CR4, EFER, RFLAGS.AC, PKRU) and the
// decode of a control operation (docs/semantics.md, "Control operations";
// the accepted and refused writes are listed in sw/machine/machine.h):
// whether it raises #GP, the register it writes, and which TLB sweep, PSC
// flush or cache maintenance it asks for.  The decode is combinational on
// the operation offered at ctl_*; the registers change when it is accepted
// (ctl_accept_i) and does not raise #GP.
`include "mmu_assert.svh"
`include "mmu_sim.svh"
`include "mmu_defs.vh"
`include "mmu_cfg.vh"

module mmu_csr #(
  parameter int VA_BITS    = 48,
  parameter int CANON_ZERO = 0,
  parameter int PAGE_SHIFT = 12,
  parameter int PPN_BITS   = 34,
  parameter int VPN_BITS   = 36,
  parameter int PTE_BYTES  = 8,
  parameter int PCID       = 1,
  localparam int PcidW = `CR3_PCID_BITS,
  localparam int PkruW = `PKRU_BITS
) (
  input  logic                clk_i,
  input  logic                rst_ni,

  input  logic                ctl_accept_i,
  input  logic [3:0]          ctl_op_i,
  input  logic [63:0]         ctl_value_i,
  input  logic [63:0]         ctl_addr_i,
  input  logic [1:0]          ctl_type_i,
  input  logic [PcidW-1:0]    ctl_pcid_i,

  input  logic                cr2_we_i,
  input  logic [63:0]         cr2_i,

  output logic [63:0]         cr0_o,
  output logic [63:0]         cr2_o,
  output logic [63:0]         cr3_o,
  output logic [63:0]         cr4_o,
  output logic [63:0]         efer_o,
  output logic                ac_o,
  output logic [PkruW-1:0]    pkru_o,
  output logic [PcidW-1:0]    pcid_o,      // current PCID (0 unless PCIDE)
  output logic [PPN_BITS-1:0] root_ppn_o,  // CR3's table
  output logic                wp_o,
  output logic                nxe_o,
  output logic                smep_o,
  output logic                smap_o,
  output logic                pge_o,
  output logic                pke_o,

  // Decode of the offered operation.
  output logic                gp_o,
  output logic                tlb_flush_o,
  output logic [1:0]          tlb_kind_o,   // tlb.sv flush kinds
  output logic [VPN_BITS-1:0] tlb_vpn_o,
  output logic [PcidW-1:0]    tlb_pcid_o,
  output logic                tlb_global_o,
  output logic                psc_all_o,
  output logic                psc_pcid_o,   // flush tlb_pcid_o's PSC entries
  output logic                l1_mnt_o,
  output logic [2:0]          l1_op_o       // l1_cache maintenance op
);
  localparam logic [1:0] FlushAll       = 2'd0;
  localparam logic [1:0] FlushNonGlobal = 2'd1;
  localparam logic [1:0] FlushPcid      = 2'd2;
  localparam logic [1:0] FlushPage      = 2'd3;
  localparam logic [2:0] L1Clean = 3'b001;
  localparam logic [2:0] L1Inval = 3'b010;
  localparam logic [2:0] L1All   = 3'b100;
  localparam logic [63:0] Cr4Known = `CR4_DEFINED;
  // CR3 bits above the frame field (x86: MAXPHYADDR..62); 63 is no-flush.
  localparam logic [63:0] Cr3Rsvd = ~((64'd1 << (`PTE_FRAME_SHIFT + PPN_BITS)) - 64'd1) &
                                    ~(64'd1 << `CR3_BIT_NOFLUSH);
  // Out of reset in IA-32e mode with paging on (sw/machine/machine.h).
  localparam logic [63:0] Cr0Reset  = `CR0_RESET;
  localparam logic [63:0] Cr4Reset  = `CR4_RESET;
  localparam logic [63:0] EferReset = `EFER_RESET;
  localparam logic [63:0] Cr0Bits   = `CR0_DEFINED;  // other bits of 31..0: ignored
  localparam logic [63:0] Cr0Et     = `CR0_ET;       // hardwired to 1
  localparam logic [63:0] EferBits  = `EFER_WRITABLE;
  localparam logic [63:0] EferLma   = 64'd1 << `EFER_BIT_LMA;

  logic [63:0] cr0_q, cr2_q, cr3_q, cr4_q, efer_q;
  logic        ac_q;
  logic [PkruW-1:0] pkru_q;
  logic        pcide;

  assign pcide = cr4_q[`CR4_BIT_PCIDE];

  logic addr_canonical;
  va_canonical #(.VA_BITS(VA_BITS), .CANON_ZERO(CANON_ZERO)) u_canon (
    .va_i       (ctl_addr_i),
    .canonical_o(addr_canonical)
  );

  logic [PcidW-1:0] new_pcid;
  int               op;
  assign new_pcid = pcide ? ctl_value_i[PcidW-1:0] : '0;
  assign op       = 32'(ctl_op_i);

  always_comb begin
    gp_o         = 1'b0;
    tlb_flush_o  = 1'b0;
    tlb_kind_o   = FlushAll;
    tlb_vpn_o    = VPN_BITS'(ctl_addr_i >> PAGE_SHIFT);
    tlb_pcid_o   = pcid_o;
    tlb_global_o = 1'b0;
    psc_all_o    = 1'b0;
    psc_pcid_o   = 1'b0;
    l1_mnt_o     = 1'b0;
    l1_op_o      = '0;
    // Decoded only for an accepted operation (every user is gated by the
    // acceptance): the simulator then skips the decode in idle cycles.
    if (`MMU_SIM_GATE(ctl_accept_i)) begin
      unique case (op)
        `MMU_CTL_WRITE_CR0: begin
          // 64-bit mode: PG (and with it PE) stays set; NW needs CD.
          gp_o = ctl_value_i[63:32] != '0 || !ctl_value_i[`CR0_BIT_PG] ||
                 !ctl_value_i[`CR0_BIT_PE] ||
                 (ctl_value_i[`CR0_BIT_NW] && !ctl_value_i[`CR0_BIT_CD]);
        end
        `MMU_CTL_WRITE_CR2: begin
        end
        `MMU_CTL_WRITE_CR3: begin
          gp_o = (ctl_value_i & Cr3Rsvd) != '0 || (ctl_value_i[`CR3_BIT_NOFLUSH] && !pcide);
          if (!ctl_value_i[`CR3_BIT_NOFLUSH]) begin
            tlb_flush_o = 1'b1;
            tlb_kind_o  = FlushPcid;
            tlb_pcid_o  = new_pcid;
            psc_pcid_o  = 1'b1;
          end
        end
        `MMU_CTL_WRITE_CR4: begin
          // PKE needs the key bits of 8-byte entries.
          gp_o = (ctl_value_i & ~Cr4Known) != '0 || !ctl_value_i[`CR4_BIT_PAE] ||
                 (ctl_value_i[`CR4_BIT_PCIDE] && !pcide &&
                  (PCID == 0 || cr3_q[PcidW-1:0] != '0)) ||
                 (ctl_value_i[`CR4_BIT_PKE] && PTE_BYTES != 8);
          // Toggling PGE, or clearing PCIDE, flushes everything.
          if (ctl_value_i[`CR4_BIT_PGE] != cr4_q[`CR4_BIT_PGE] ||
              (pcide && !ctl_value_i[`CR4_BIT_PCIDE])) begin
            tlb_flush_o = 1'b1;
            tlb_kind_o  = FlushAll;
            psc_all_o   = 1'b1;
          end
        end
        `MMU_CTL_WRITE_EFER: begin
          // LME may not change while CR0.PG = 1 (always); LMA is read-only.
          gp_o = (ctl_value_i & ~(EferBits | EferLma)) != '0 ||
                 ctl_value_i[`EFER_BIT_LME] != efer_q[`EFER_BIT_LME] ||
                 (ctl_value_i[`EFER_BIT_NXE] && PTE_BYTES != 8);
        end
        `MMU_CTL_SET_AC: begin
        end
        `MMU_CTL_WRITE_PKRU: begin
          // WRPKRU: #UD without CR4.PKE, #GP with EDX (value[63:32]) != 0.
          // No flush: TLB entries carry the key, checked at each access.
          gp_o = !cr4_q[`CR4_BIT_PKE] || ctl_value_i[63:32] != '0;
        end
        `MMU_CTL_INVLPG: begin
          // A non-canonical address does nothing.
          if (addr_canonical) begin
            tlb_flush_o  = 1'b1;
            tlb_kind_o   = FlushPage;
            tlb_global_o = 1'b1;
            psc_pcid_o   = 1'b1;
          end
        end
        `MMU_CTL_INVPCID: begin
          gp_o = (ctl_type_i <= 2'd1 && ctl_pcid_i != '0 && !pcide) ||
                 (ctl_type_i == 2'd0 && !addr_canonical);
          tlb_flush_o = 1'b1;
          tlb_pcid_o  = ctl_pcid_i;
          unique case (ctl_type_i)
            2'd0: begin  // one address of one PCID, not global entries
              tlb_kind_o = FlushPage;
              psc_pcid_o = 1'b1;
            end
            2'd1: begin  // one PCID, not global entries
              tlb_kind_o = FlushPcid;
              psc_pcid_o = 1'b1;
            end
            2'd2: begin  // everything
              tlb_kind_o = FlushAll;
              psc_all_o  = 1'b1;
            end
            default: begin  // everything but global entries
              tlb_kind_o = FlushNonGlobal;
              psc_all_o  = 1'b1;
            end
          endcase
        end
        `MMU_CTL_CLEAN_LINE, `MMU_CTL_INVAL_LINE, `MMU_CTL_FLUSH_LINE,
        `MMU_CTL_CLEAN_ALL, `MMU_CTL_INVAL_ALL, `MMU_CTL_FLUSH_ALL: begin
          l1_mnt_o = 1'b1;
          l1_op_o  = ((op == `MMU_CTL_CLEAN_ALL || op == `MMU_CTL_INVAL_ALL ||
                       op == `MMU_CTL_FLUSH_ALL) ? L1All : 3'b000) |
                     ((op == `MMU_CTL_INVAL_LINE || op == `MMU_CTL_INVAL_ALL) ? 3'b000 : L1Clean) |
                     ((op == `MMU_CTL_CLEAN_LINE || op == `MMU_CTL_CLEAN_ALL) ? 3'b000 : L1Inval);
        end
        default: begin
        end
      endcase
      if (gp_o) begin
        tlb_flush_o = 1'b0;
        psc_all_o   = 1'b0;
        psc_pcid_o  = 1'b0;
        l1_mnt_o    = 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      cr0_q  <= Cr0Reset;
      cr2_q  <= '0;
      cr3_q  <= '0;
      cr4_q  <= Cr4Reset;
      efer_q <= EferReset;
      ac_q   <= 1'b0;
      pkru_q <= '0;
    end else begin
      if (cr2_we_i) cr2_q <= cr2_i;
      if (ctl_accept_i && !gp_o) begin
        unique case (op)
          // Bits that would have raised #GP are known to be 0: the masks
          // change nothing but let synthesis drop constant flip-flops.
          `MMU_CTL_WRITE_CR0:  cr0_q  <= (ctl_value_i & Cr0Bits) | Cr0Et;
          `MMU_CTL_WRITE_CR2:  cr2_q  <= ctl_value_i;
          `MMU_CTL_WRITE_CR3:  cr3_q  <= ctl_value_i & ~Cr3Rsvd & ~(64'd1 << `CR3_BIT_NOFLUSH);
          `MMU_CTL_WRITE_CR4:  cr4_q  <= ctl_value_i & Cr4Known;
          `MMU_CTL_WRITE_EFER: efer_q <= (ctl_value_i & EferBits) | (efer_q & EferLma);
          `MMU_CTL_SET_AC:     ac_q   <= ctl_value_i[0];
          `MMU_CTL_WRITE_PKRU: pkru_q <= ctl_value_i[PkruW-1:0];
          default: begin
          end
        endcase
      end
    end
  end

  assign cr0_o      = cr0_q;
  assign cr2_o      = cr2_q;
  assign cr3_o      = cr3_q;
  assign cr4_o      = cr4_q;
  assign efer_o     = efer_q;
  assign ac_o       = ac_q;
  assign pkru_o     = pkru_q;
  assign pcid_o     = pcide ? cr3_q[PcidW-1:0] : '0;
  assign root_ppn_o = PPN_BITS'(cr3_q >> `PTE_FRAME_SHIFT);
  assign wp_o       = cr0_q[`CR0_BIT_WP];
  assign nxe_o      = efer_q[`EFER_BIT_NXE];
  assign smep_o     = cr4_q[`CR4_BIT_SMEP];
  assign smap_o     = cr4_q[`CR4_BIT_SMAP];
  assign pge_o      = cr4_q[`CR4_BIT_PGE];
  assign pke_o      = cr4_q[`CR4_BIT_PKE];

  `MMU_ASSERT_IF(a_known_op, ctl_accept_i, 32'(ctl_op_i) < `MMU_CTL_NOPS,
              "unknown control operation accepted")
  `MMU_ASSERT_IF(a_no_cr2_during_ctl, ctl_accept_i, !cr2_we_i, "CR2 written during a control operation")
endmodule
