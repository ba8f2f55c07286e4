# sim/dpi/dpi.mk: the DPI-C testbench (included by the top-level Makefile in
# the rel variant, after sim/sim.mk; docs/dpi.md).
#
#   make dpi-test   build examples/dpi/tb_mmu_top.sv with rtl/mmu_top (the
#                   x86 configuration) under verilator --binary --timing,
#                   linked with libmmudpi and libmmugolden only, and run it:
#                   every access checked against the golden model through
#                   DPI-C; then the same run with +corrupt=N must fail.
# Variables: DPI_SEED, DPI_RANDOM (random accesses), DPI_ARGS (more plusargs).

DPI_CFG    := x86
DPI_DIR    := $(B)/dpi
DPI_TB     := $(DPI_DIR)/Vtb_mmu_top
DPI_TB_SRC := examples/dpi/axi_mem.sv examples/dpi/tb_mmu_top.sv
DPI_LIBS   := $(B)/pkg/libmmudpi.a $(B)/pkg/libmmugolden.a
DPI_SEED   ?= 1
DPI_RANDOM ?= 300
DPI_ARGS   ?=

# The model's configuration comes from mmu_cfg.vh (the defaults of
# mmu_top's parameters), as the golden model's from +config.
$(DPI_TB): $(DPI_TB_SRC) sim/dpi/mmu_dpi.svh sim/dpi/dpi.mk $(RTL_SRC) $(RTL_INC) \
		$(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/$(DPI_CFG)/mmu_cfg.vh $(DPI_LIBS)
	@mkdir -p $(DPI_DIR)
	$(VERILATOR) --binary --timing -O3 --x-assign fast --x-initial fast \
		--top-module tb_mmu_top -Irtl -Isim/dpi -I$(RTL_GEN) -I$(RTL_GEN)/$(DPI_CFG) \
		--Mdir $(DPI_DIR) -o Vtb_mmu_top -MAKEFLAGS "-s" \
		$(DPI_TB_SRC) $(RTL_SRC) $(abspath $(DPI_LIBS)) > $(DPI_DIR)/build.log 2>&1 || \
		{ tail -40 $(DPI_DIR)/build.log; exit 1; }

.PHONY: dpi-test
dpi-test: $(DPI_TB)
	@echo "== DPI-C: examples/dpi/tb_mmu_top.sv (rtl/mmu_top, $(DPI_CFG)) against the golden model"
	$(DPI_TB) +config=$(DPI_CFG) +seed=$(DPI_SEED) +random=$(DPI_RANDOM) $(DPI_ARGS)
	@echo "== DPI-C must-fail: the same run with the golden model's data of access 1 corrupted (+corrupt=1)"
	@if $(DPI_TB) +config=$(DPI_CFG) +seed=$(DPI_SEED) +random=0 +corrupt=1 > $(DPI_DIR)/corrupt.log 2>&1; then \
	  cat $(DPI_DIR)/corrupt.log; echo "dpi-test: the corrupted run passed: the checker cannot fail"; exit 1; fi; \
	grep "MISMATCH access 1 .*: data: dut" $(DPI_DIR)/corrupt.log && grep "FAILED: 1 mismatches" $(DPI_DIR)/corrupt.log && \
	echo "dpi-test: the corrupted run failed as it must"
