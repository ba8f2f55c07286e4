// SPDX-License-Identifier: MIT
// mmu_dpi.svh: the MMU golden model for SystemVerilog testbenches, through
// DPI-C (libmmudpi; C side sim/dpi/mmu_dpi.c, guide docs/dpi.md).
//   `include "mmu_dpi.svh"      (with mmu_defs.vh on the include path)
//   import mmu_dpi_pkg::*;
// The encodings (`MMU_OP_*, `MMU_ST_*, `MMU_CTL_*) come from mmu_defs.vh,
// generated from the C headers.  64-bit values travel as longint bit
// patterns.  Every function returns 0 or a negative MMU_E* code; the
// message is mmu_dpi_error(h).
`ifndef MMU_DPI_SVH
`define MMU_DPI_SVH
`include "mmu_defs.vh"

package mmu_dpi_pkg;
  // ---- the C functions (mmu_dpi.h) ----------------------------------------
  import "DPI-C" function chandle mmu_dpi_create(input string cfg_name,
      input string overrides, input longint mem_bytes);
  import "DPI-C" function void mmu_dpi_destroy(input chandle h);
  import "DPI-C" function string mmu_dpi_error(input chandle h);
  import "DPI-C" function int mmu_dpi_ctl(input chandle h, input int op,
      input longint value, input longint addr, input int typ, input int pcid,
      output bit gp);
  import "DPI-C" function int mmu_dpi_phys_write(input chandle h,
      input longint pa, input longint data, input int size);
  import "DPI-C" function int mmu_dpi_phys_read(input chandle h,
      input longint pa, input int size, output longint data);
  import "DPI-C" function int mmu_dpi_access(input chandle h,
      input longint va, input int op, input int size, input bit user,
      input longint wdata, output int status, output longint rdata,
      output longint pa, output int error_code, output longint cr2,
      output bit tlb_hit, output bit walked, output bit l1_hit,
      output int walk_reads, output int psc_level, output int page_level,
      output int n_ad);
  import "DPI-C" function int mmu_dpi_ad(input chandle h, input int i,
      output longint pa, output longint value);
  import "DPI-C" function int mmu_dpi_regs(input chandle h,
      output longint cr0, output longint cr2, output longint cr3,
      output longint cr4, output longint efer, output bit ac,
      output int pkru);
  import "DPI-C" function int mmu_dpi_counter(input chandle h,
      input string name, output longint value);

  // ---- the outcome of one access as a struct (struct mmu_outcome) -----------
  localparam int MaxLevels = `MMU_MAX_LEVELS;
  typedef struct packed {
    int          status;      // `MMU_ST_*
    logic [63:0] rdata;
    logic [63:0] pa;
    int          error_code;  // PFEC bits
    logic [63:0] cr2;
    bit          tlb_hit;
    bit          walked;
    bit          l1_hit;
    int          walk_reads;
    int          psc_level;
    int          page_level;
    int          n_ad;        // A/D updates: mmu_ad(h, i, ...)
  } mmu_outcome_t;

  // One access on the model: 0, or a negative MMU_E* code.
  function automatic int mmu_access(input chandle h, input logic [63:0] va,
      input int op, input int size, input bit user, input logic [63:0] wdata,
      output mmu_outcome_t o);
    longint rdata, pa, cr2;
    int rc;
    rc = mmu_dpi_access(h, va, op, size, user, wdata, o.status, rdata, pa,
                        o.error_code, cr2, o.tlb_hit, o.walked, o.l1_hit,
                        o.walk_reads, o.psc_level, o.page_level, o.n_ad);
    o.rdata = rdata;
    o.pa = pa;
    o.cr2 = cr2;
    return rc;
  endfunction
endpackage
`endif
