// SPDX-License-Identifier: MIT
// Widths of mmu_bundled's port bundles (rtl/mmu_bundled.sv gives their
// fields), for it and the tops that instantiate it.  Needs mmu_defs.vh and
// the configuration's mmu_cfg.vh.
`ifndef MMU_BUNDLE_SVH
`define MMU_BUNDLE_SVH
`define MMU_B_DATA_W  (8 * ((`MMU_L1_LINE < 8) ? `MMU_L1_LINE : 8))
`define MMU_B_STRB_W  (`MMU_B_DATA_W / 8)
`define MMU_B_NCNT    17
`define MMU_B_REQ_W   (64 + 2 + 2 + 1 + 1 + 64)
`define MMU_B_RSP_W   (2 + 64 + 64 + `PFEC_BITS + 1 + 1 + 1 + 3 + 3 + 2)
`define MMU_B_AD_W    (1 + 64 + 64)
`define MMU_B_CTL_W   (4 + 64 + 64 + 2 + `CR3_PCID_BITS)
`define MMU_B_REGS_W  (5 * 64 + 1 + `PKRU_BITS)
`define MMU_B_AX_W    (64 + 8 + 3 + 2 + 1)
`define MMU_B_W_W     (`MMU_B_DATA_W + `MMU_B_STRB_W + 1)
`define MMU_B_B_W     (2 + 1)
`define MMU_B_R_W     (`MMU_B_DATA_W + 2 + 1 + 1)
`endif
