# sim/dpi/dpi.mk: the DPI-C testbench (included by the top-level Makefile in
# the rel variant, after sim/sim.mk; docs/dpi.md).
#
#   make dpi-test   install into build/install-test/prefix, then build
#                   examples/dpi (tb_mmu_top.sv with rtl/mmu_top in the x86
#                   configuration) the way a user does, with
#                   examples/dpi/Makefile: verilator --binary --timing and
#                   libmmudpi found through pkg-config only; run it (every
#                   access checked against the golden model through DPI-C),
#                   then the same run with +corrupt=1, which must fail.
# Variables: DPI_SEED, DPI_RANDOM (random accesses), DPI_ARGS (more plusargs).

DPI_CFG    := x86
DPI_DIR    := $(B)/dpi
DPI_TB     := $(DPI_DIR)/Vtb_mmu_top
DPI_PREFIX := $(abspath build/install-test/prefix)
DPI_SEED   ?= 1
DPI_RANDOM ?= 300
DPI_ARGS   ?=

.PHONY: dpi-test dpi-tb
# The model's configuration comes from mmu_cfg.vh (the defaults of
# mmu_top's parameters), the golden model's from +config.
dpi-tb: $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/$(DPI_CFG)/mmu_cfg.vh
	@$(MAKE) --no-print-directory install PREFIX=$(DPI_PREFIX) > $(B)/dpi-install.log 2>&1 || \
	  { tail -20 $(B)/dpi-install.log; exit 1; }
	@mkdir -p $(DPI_DIR)
	@PKG_CONFIG_PATH=$(DPI_PREFIX)/lib/pkgconfig $(MAKE) --no-print-directory \
	  -f examples/dpi/Makefile OUT=$(DPI_DIR) VERILATOR=$(VERILATOR) \
	  DUT_SRC="$(RTL_SRC)" DUT_INC="-Irtl -I$(RTL_GEN) -I$(RTL_GEN)/$(DPI_CFG)" \
	  > $(DPI_DIR)/build.log 2>&1 || { tail -40 $(DPI_DIR)/build.log; exit 1; }

dpi-test: dpi-tb
	@echo "== DPI-C: examples/dpi/tb_mmu_top.sv (rtl/mmu_top, $(DPI_CFG)) against the golden model, built through pkg-config mmu-dpi"
	@echo "   $$(ldd $(DPI_TB) | grep -o 'libmmu[a-z]*\.so\.[0-9]* => [^ ]*' | tr '\n' ' ')"
	$(DPI_TB) +config=$(DPI_CFG) +seed=$(DPI_SEED) +random=$(DPI_RANDOM) $(DPI_ARGS)
	@echo "== DPI-C must-fail: the same run with the golden model's data of access 1 corrupted (+corrupt=1)"
	@if $(DPI_TB) +config=$(DPI_CFG) +seed=$(DPI_SEED) +random=0 +corrupt=1 > $(DPI_DIR)/corrupt.log 2>&1; then \
	  cat $(DPI_DIR)/corrupt.log; echo "dpi-test: the corrupted run passed: the checker cannot fail"; exit 1; fi; \
	grep "MISMATCH access 1 .*: data: dut" $(DPI_DIR)/corrupt.log && grep "FAILED: 1 mismatches" $(DPI_DIR)/corrupt.log && \
	echo "dpi-test: the corrupted run failed as it must"
