// SPDX-License-Identifier: MIT
// Configurations mmu_top cannot build stop elaboration: an L1 whose sets
// span more than a page (the virtually indexed cache would alias), levels
// that do not divide the VPN, a TLB or L1 geometry that is not a power of
// two.  Simulation and lint report the $error; Yosys, which has no $error,
// stops on the module named after the problem, which does not exist.  No
// ports: mmu_top instantiates it with its own parameters.
`include "mmu_defs.vh"

module mmu_cfg_check #(
  parameter int VA_BITS    = 48,
  parameter int LEVELS     = 4,
  parameter int PAGE_SHIFT = 12,
  parameter int PTE_BYTES  = 8,
  parameter int TLB_SETS   = 16,
  parameter int TLB_WAYS   = 4,
  parameter int L1_SETS    = 64,
  parameter int L1_WAYS    = 8,
  parameter int L1_LINE    = 64
) ();
  localparam int VpnBits = VA_BITS - PAGE_SHIFT;
  localparam int L1OffW  = $clog2(L1_LINE);
  localparam int L1IdxW  = $clog2(L1_SETS);

  if (L1IdxW + L1OffW > PAGE_SHIFT) begin : g_cfg_l1_aliases
`ifdef SYNTHESIS
    config_error_l1_sets_x_l1_line_exceeds_page_so_vipt_would_alias u_error ();
`else
    $error("mmu_top: L1_SETS (%0d) x L1_LINE (%0d) bytes exceed the %0d-byte page: the virtually indexed cache would alias",
           L1_SETS, L1_LINE, 1 << PAGE_SHIFT);
`endif
  end
  if (VpnBits % LEVELS != 0 || LEVELS > `MMU_MAX_LEVELS || LEVELS < 1) begin : g_cfg_levels
`ifdef SYNTHESIS
    config_error_levels_must_divide_the_vpn u_error ();
`else
    $error("mmu_top: LEVELS (%0d) must be 1..%0d and divide the %0d VPN bits",
           LEVELS, `MMU_MAX_LEVELS, VpnBits);
`endif
  end
  if (TLB_SETS < 2 || L1_SETS < 2 || L1_LINE < PTE_BYTES ||
      (TLB_SETS & (TLB_SETS - 1)) != 0 || (TLB_WAYS & (TLB_WAYS - 1)) != 0 ||
      (L1_SETS & (L1_SETS - 1)) != 0 || (L1_WAYS & (L1_WAYS - 1)) != 0 ||
      (L1_LINE & (L1_LINE - 1)) != 0) begin : g_cfg_geometry
`ifdef SYNTHESIS
    config_error_tlb_or_l1_geometry u_error ();
`else
    $error("mmu_top: TLB_SETS (%0d), TLB_WAYS (%0d), L1_SETS (%0d), L1_WAYS (%0d), L1_LINE (%0d): powers of two, at least 2 sets, a line holds an entry",
           TLB_SETS, TLB_WAYS, L1_SETS, L1_WAYS, L1_LINE);
`endif
  end
endmodule
