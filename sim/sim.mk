# sim/sim.mk: the RTL, its Verilator glue and its checks (included by the
# top-level Makefile in the rel variant; B = build/rel).
#
#   make rtl-lint    verilator --lint-only -Wall and Yosys (read, hierarchy,
#                    proc) for every configuration, plus the check that an
#                    aliasing L1 is refused at elaboration by both
#   make rtl-test    build the Verilated models and run tests/rtl (RTL and
#                    golden model side by side)
#   make rtl-synth   Yosys synth_ice40 of the fpga configuration (cells, block
#                    RAMs) and nextpnr-ice40 place-and-route for fmax
#   make rtl-formal  yosys-smtbmc proofs of the modules' properties and the
#                    mutants that must fail them (FORMAL_ARGS=--quick: a slice)
#   make board-sim   the Verilated board top behind a pseudo-terminal
#   make board-test  the simulated board in lockstep (scripts/test_board.sh)
# Variables: COVERAGE=1 (verilator --coverage; models and objects under
# $(B)/verilator-cov; coverage_*.dat files in RTL_COVERAGE_DIR),
# RTL_ASSERT=0 (models without the RTL's assertions, for speed figures;
# under $(B)/verilator-noassert), TRACE=0 (no traced models, no waveforms),
# VL_CXX (the compiler of the Verilated models: clang++ where installed).
# Each configuration has a model without trace support (Vmmu_<cfg>, what
# runs when no waveform is asked for: Verilator keeps every signal of a
# traced model in memory, which costs 5 % of the instructions per cycle)
# and, with TRACE=1 (default), one with FST support (Vmmu_<cfg>_fst, in
# $(VDIR)/<cfg>_fst) that rtl_create picks when rtl_opts.trace_path is set;
# tests/rtl honour RTL_TRACE_DIR=<dir>.

RTL_CONFIGS  := $(patsubst configs/%.cfg,%,$(CONFIGS))
RTL_SRC      := $(sort $(wildcard rtl/*.sv))
RTL_INC      := $(wildcard rtl/*.svh)
RTL_GEN      := $(B)/rtl
MMUCFG       := $(B)/bin/mmucfg
CXX          ?= g++
TRACE        ?= 1
COVERAGE     ?= 0
ifeq ($(VARIANT),cov)
COVERAGE     := 1
endif
VERILATOR    ?= verilator
YOSYS        ?= yosys
NEXTPNR      ?= nextpnr-ice40

RTL_ASSERT   ?= 1
VDIR         := $(B)/verilator$(if $(filter 1,$(COVERAGE)),-cov)$(if $(filter 0,$(RTL_ASSERT)),-noassert)
VL_FLAVOUR   := $(if $(filter 1,$(COVERAGE)),--coverage) $(if $(filter 0,$(RTL_ASSERT)),+define+MMU_NO_ASSERT)
VL_FLAGS     := -O3 --x-assign fast --x-initial fast $(VL_FLAVOUR) \
                --top-module mmu_top -Irtl -I$(RTL_GEN)
# One compilation unit per model (coverage makes Verilator split it); -O1
# for coverage models, whose instrumented code compiles slowly.  -O2 rather
# than -O3: 0.6 % more instructions per cycle but, in interleaved runs,
# about 8 % less time per simulated cycle (sim/README.md).  The SystemC
# models (systemc.mk) share these options, not the compiler.
VL_OPT_FAST  := $(if $(filter 1,$(COVERAGE)),-O1,-O2) -fno-stack-protector
vl_opt        = OPT_FAST="$(VL_OPT_FAST) $(1)" OPT_SLOW="-O1" OPT_GLOBAL="-O2" VM_PARALLEL_BUILDS=0
VL_OPT       := $(call vl_opt)
# clang++ (installed by make deps) compiles a model in half g++'s time into
# 20 % less code, which runs 8 % faster (sim/README.md); g++ where it is not.
VL_CXX       ?= $(if $(shell command -v clang++ 2>/dev/null),clang++,$(CXX))
VL_RUNTIME   := verilated verilated_threads $(if $(filter 1,$(TRACE)),verilated_fst_c) \
                $(if $(filter 1,$(COVERAGE)),verilated_cov)
# Models: <cfg> (no trace support) and, with TRACE=1, <cfg>_fst.
RTL_MODELS   := $(RTL_CONFIGS) $(if $(filter 1,$(TRACE)),$(addsuffix _fst,$(RTL_CONFIGS)))
# The Verilator runtime is compiled in the last model's directory (a traced
# one with TRACE=1, for verilated_fst_c).
RTL_RT_MODEL := $(lastword $(RTL_MODELS))
VL_RT_DIR    := $(VDIR)/$(RTL_RT_MODEL)
VL_RT_OBJ    := $(addprefix $(VL_RT_DIR)/,$(addsuffix .o,$(VL_RUNTIME)))

# Profile-guided models (RTL_PGO=1, the default with clang++ and
# llvm-profdata, coverage builds aside): each model without trace support
# is compiled instrumented, linked into sim/pgo_train.c, which runs the
# regression's random traffic and a stream of TLB and L1 hits on it, and
# compiled again with that profile: 10 % less time per simulated cycle for
# 8 s more compilation per model (sim/README.md).  The traced models are
# not: waveforms are slow anyway.
LLVM_PROFDATA ?= $(shell command -v llvm-profdata 2>/dev/null)
RTL_PGO      ?= $(if $(and $(filter clang++,$(VL_CXX)),$(LLVM_PROFDATA),$(filter 0,$(COVERAGE))),1,0)
# The RTL back end's C glue around a model (the training run links it too).
RTL_CORE_SRC := sim/rtl_machine.c sim/rtl_models.c sim/rtl_debug.c sim/rtl_events.c sim/axi_dram.c
PGO_TRAIN    := $(call obj,sim/pgo_train.c) $(call obj,$(RTL_CORE_SRC)) $(LIBS)

RTL_LIBS     := $(B)/lib/libmmurtl.a
RTL_LDLIBS   := -lz -pthread -latomic
RTL_LINK     := $(CXX)

# ---- generated headers: constants come from the C side, never by hand ----
# mmucfg does not need the RTL: an explicit rule links it without it.
$(MMUCFG): $(B)/obj/sw/tools/mmucfg.o $(B)/lib/libmmumachine.a $(B)/lib/libmmuconfig.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(B)/sim/gen_defs: sim/gen_defs.c sw/machine/machine.h sw/machine/pte.h sim/rtl_ports.h \
		sw/board/board_proto.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CSTD) $(WARN) -Isw -O1 -o $@ $<

$(RTL_GEN)/mmu_defs.vh: $(B)/sim/gen_defs
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)$< > $@.tmp && mv $@.tmp $@

$(RTL_GEN)/%/mmu_cfg.vh: $(MMUCFG) configs/%.cfg
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)$(MMUCFG) $* --verilog > $@.tmp && mv $@.tmp $@

$(RTL_GEN)/%/gflags: $(MMUCFG) configs/%.cfg
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)$(MMUCFG) $* --verilator-flags > $@.tmp && mv $@.tmp $@

# ---- Verilated models: per configuration, without and with trace ----------
# rtl_model(model, configuration, trace): $(VDIR)/<model>/: Vmmu_<model>.mk
# (verilator), Vmmu_<model>__ALL.o (the model), vshim_<model>.o
# (sim/vshim.cpp for that model, same compiler and flags).
define rtl_model
$(VDIR)/$(1)/vshim_cfg.h: $(RTL_GEN)/$(2)/gflags sim/sim.mk $(VDIR)/flavour
	@mkdir -p $$(dir $$@)
	$(Q){ echo '#define VSHIM_TOP Vmmu_$(1)'; echo '#define VSHIM_NAME vshim_$(1)'; \
	  echo '#define VSHIM_CONFIG "$(2)"'; echo "#define VSHIM_GFLAGS \"$$$$(cat $$<)\""; \
	  echo '#define VSHIM_TRACE $(3)'; \
	  echo '#define VSHIM_COVERAGE $(if $(filter 1,$(COVERAGE)),1,0)'; } > $$@

$(VDIR)/$(1)/vshim_$(1).cpp: sim/sim.mk
	@mkdir -p $$(dir $$@)
	$(Q)echo '#include "$(abspath sim/vshim.cpp)"' > $$@

$(VDIR)/$(1)/Vmmu_$(1).mk: $(RTL_SRC) $(RTL_INC) $(RTL_GEN)/mmu_defs.vh \
		$(RTL_GEN)/$(2)/mmu_cfg.vh $(RTL_GEN)/$(2)/gflags $(VDIR)/$(1)/vshim_$(1).cpp sim/sim.mk \
		$(VDIR)/flavour
	$$(call say,VERILATE,$(1))
	$(Q)$(VERILATOR) --cc $(VL_FLAGS) $(if $(filter 1,$(3)),--trace-fst) -I$(RTL_GEN)/$(2) \
		$$$$(cat $(RTL_GEN)/$(2)/gflags) --prefix Vmmu_$(1) --Mdir $(VDIR)/$(1) \
		-CFLAGS "-I$(abspath sim) -I$(abspath $(VDIR)/$(1))" \
		$(RTL_SRC) $(abspath $(VDIR)/$(1)/vshim_$(1).cpp)
	@touch $$@

$(VDIR)/$(1)/Vmmu_$(1)__ALL.o $(VDIR)/$(1)/vshim_$(1).o &: $(VDIR)/$(1)/Vmmu_$(1).mk \
		$(VDIR)/$(1)/vshim_cfg.h sim/vshim.cpp sim/vports.h sim/rtl_ports.h \
		$(if $(4),$(PGO_TRAIN) $(filter-out $(VDIR)/$(1)/%,$(VL_RT_OBJ)))
	$$(call say,CXX,$(VDIR)/$(1)$(if $(4), (profile-guided)))
	+$(Q)$(MAKE) --no-print-directory -s -C $(VDIR)/$(1) -f Vmmu_$(1).mk \
		$(call vl_opt,$(if $(4),-fprofile-instr-generate)) CXX=$(VL_CXX) \
		Vmmu_$(1)__ALL.o vshim_$(1).o \
		$(if $(filter $(1),$(RTL_RT_MODEL)),$(addsuffix .o,$(VL_RUNTIME)))
ifneq ($(4),)
	$(Q)cd $(VDIR)/$(1) && rm -f *.profraw && \
	  { echo '#include "rtl_ports.h"'; echo 'extern const struct vshim_ops vshim_$(1);'; \
	    echo 'const struct vshim_ops *const vshim_models[] = { &vshim_$(1), 0 };'; } > pgo_list.c && \
	  $(CC) $(CFLAGS) -I$(abspath sim) -c pgo_list.c -o pgo_list.o
	$(Q)$(VL_CXX) -fprofile-instr-generate -o $(VDIR)/$(1)/pgo_train $(VDIR)/$(1)/pgo_list.o \
		$(VDIR)/$(1)/Vmmu_$(1)__ALL.o $(VDIR)/$(1)/vshim_$(1).o $(PGO_TRAIN) $(VL_RT_OBJ) $(RTL_LDLIBS)
	$(Q)LLVM_PROFILE_FILE=$(abspath $(VDIR)/$(1))/pgo-%p.profraw $(VDIR)/$(1)/pgo_train $(2) \
		> $(VDIR)/$(1)/pgo_train.log
	$(Q)$(LLVM_PROFDATA) merge -o $(VDIR)/$(1)/model.profdata $(VDIR)/$(1)/*.profraw
	$(Q)rm -f $(VDIR)/$(1)/Vmmu_$(1)__ALL.o $(VDIR)/$(1)/vshim_$(1).o
	+$(Q)$(MAKE) --no-print-directory -s -C $(VDIR)/$(1) -f Vmmu_$(1).mk \
		$(call vl_opt,-fprofile-instr-use=model.profdata) CXX=$(VL_CXX) Vmmu_$(1)__ALL.o vshim_$(1).o
endif
endef
$(foreach c,$(RTL_CONFIGS),$(eval $(call rtl_model,$(c),$(c),0,$(filter 1,$(RTL_PGO)))))
ifeq ($(TRACE),1)
$(foreach c,$(RTL_CONFIGS),$(eval $(call rtl_model,$(c)_fst,$(c),1)))
endif

# The verilator runtime is compiled in one model's directory.
$(VL_RT_OBJ): $(VL_RT_DIR)/Vmmu_$(RTL_RT_MODEL)__ALL.o

$(VDIR)/vshim_list.c: $(CONFIGS) sim/sim.mk
	@mkdir -p $(dir $@)
	$(Q){ echo '/* Generated by sim/sim.mk: the Verilated models. */'; \
	  echo '#include "rtl_ports.h"'; \
	  for c in $(RTL_MODELS); do echo "extern const struct vshim_ops vshim_$$c;"; done; \
	  echo 'const struct vshim_ops *const vshim_models[] = {'; \
	  for c in $(RTL_MODELS); do echo "	&vshim_$$c,"; done; \
	  echo '	0,'; echo '};'; } > $@

$(VDIR)/vshim_list.o: $(VDIR)/vshim_list.c sim/rtl_ports.h
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -Isim -c $< -o $@

RTL_GLUE_OBJ := $(call obj,$(RTL_CORE_SRC) sim/rtl_backend.c)
RTL_MODEL_OBJ := $(foreach c,$(RTL_MODELS),$(VDIR)/$(c)/Vmmu_$(c)__ALL.o $(VDIR)/$(c)/vshim_$(c).o) \
                 $(VL_RT_OBJ)

# A single archive: the linker rescans it until the glue, the models and
# the runtime resolve one another.  It depends on the build flavour, through
# a stamp outside the flavour's directory, so that switching flavours (and
# back) relinks the right models.  The glue uses the golden model's sparse
# memory (sw/golden/physmem.h): link libmmugolden.a after it.
$(B)/lib/libmmurtl.a: $(RTL_GLUE_OBJ) $(VDIR)/vshim_list.o $(RTL_MODEL_OBJ) $(B)/lib/libmmurtl.flavour
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(filter %.o,$^)

# Stamps that change only when the flavour (the Verilator flags) changes.
$(VDIR)/flavour $(B)/lib/libmmurtl.flavour: FORCE_FLAVOUR
	@mkdir -p $(dir $@)
	@echo "$(VDIR) $(VL_FLAGS) $(RTL_MODELS) $(VL_CXX) $(RTL_PGO)" | cmp -s - $@ || echo "$(VDIR) $(VL_FLAGS) $(RTL_MODELS) $(VL_CXX) $(RTL_PGO)" > $@
.PHONY: FORCE_FLAVOUR
FORCE_FLAVOUR:

# ---- the simulated board: the Verilated board top behind a pty ------------
# rtl/mmu_board_top.sv in the `board` configuration with a fast UART
# (BOARD_SIM_CPB clocks per bit, 2: both ends are clocked by the same
# simulation, so a sample in the second half of each bit is exact; the real
# board divides its PLL clock down to 115200 baud) and a short
# inter-byte timeout, bridged to a pseudo-terminal by sim/board_sim.c for
# the `board` back end (docs/fpga.md).  BOARD_SIM_CPB: clocks per bit.
BOARD_SIM_CPB  ?= 2
BOARD_SIM_DIR  := $(B)/verilator/board_top
BOARD_SIM      := $(B)/bin/board_sim
BOARD_SIM_GEN  := $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/board/mmu_cfg.vh

$(BOARD_SIM_DIR)/board_sim.o: sim/board_sim.c sim/board_shim.h sw/board/board_proto.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CSTD) $(WARN) -Isw -O2 -g -c $< -o $@

$(BOARD_SIM): $(RTL_SRC) $(RTL_INC) $(BOARD_SIM_GEN) sim/board_shim.cpp sim/board_shim.h \
		$(BOARD_SIM_DIR)/board_sim.o sim/sim.mk
	@mkdir -p $(dir $@)
	@rm -f $@  # verilator --build does not see board_sim.o change
	$(call say,VERILATE,$(BOARD_SIM_DIR) --build)
	$(Q)$(VERILATOR) --cc --exe --build -O3 --x-assign fast --x-initial fast \
	  --top-module mmu_board_top -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/board \
	  -GCLKS_PER_BIT=$(BOARD_SIM_CPB) -GTIMEOUT_W=12 -GBEAT_W=8 \
	  --Mdir $(BOARD_SIM_DIR) -CFLAGS "-O2 -I$(abspath sim) -DBOARD_SHIM_CPB=$(BOARD_SIM_CPB)" \
	  -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 VM_PARALLEL_BUILDS=0 -s" \
	  -o $(abspath $@) $(RTL_SRC) $(abspath sim/board_shim.cpp) $(abspath $(BOARD_SIM_DIR)/board_sim.o)

.PHONY: board-sim board-test
board-sim: $(BOARD_SIM)

# The simulated board in lockstep (scripts/test_board.sh): selftest, the
# scenario suite and a random seed through the UART protocol.
board-test: $(BOARD_SIM) $(B)/bin/mmuos $(B)/bin/mmuregress
	@bash scripts/test_board.sh $(B)/bin

# ---- tests/rtl: cmocka tests of the RTL against the golden model ---------
RTL_TEST_SRC := $(wildcard tests/rtl/test_*.c)
# Helpers: tests/rtl/*.c, and the page-table builder and control-register
# cases of the golden tests (tests/golden/ptb.c, ctl_cases.c, used
# unchanged: they work on any struct machine), and the calls constructed
# for the coverage's replacement and AXI bins (tests/cover/fills.c).
RTL_TEST_HLP := $(filter-out tests/rtl/test_%,$(wildcard tests/rtl/*.c)) tests/golden/ptb.c \
                tests/golden/ctl_cases.c tests/cover/fills.c
RTL_TESTS    := $(patsubst %.c,$(B)/%,$(RTL_TEST_SRC))

# The tests compare golden and RTL through lockstep (the factory for the
# ones that open "lockstep" by name), draw random traffic from the
# regression library, run course mode (test_rtl_course), and need the
# golden model below the machine interface.
RTL_TEST_LIBS := $(addprefix $(B)/lib/libmmu,$(addsuffix .a,regress course backend cover failure lockstep golden machine config))

$(B)/tests/rtl/test_%: $(B)/obj/tests/rtl/test_%.o $(call obj,$(RTL_TEST_HLP)) $(RTL_LIBS) $(RTL_TEST_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(RTL_LINK) $(LDFLAGS) -o $@ $(filter %.o,$^) $(RTL_LIBS) $(RTL_TEST_LIBS) -lcmocka $(RTL_LDLIBS)

.PHONY: rtl-test rtl-lint rtl-synth rtl-models rtl-cov-tools
rtl-models: $(RTL_LIBS)

# What make coverage runs (VARIANT=cov): the regression's tools and tests/rtl.
rtl-cov-tools: $(B)/bin/mmuregress $(B)/bin/mmuos $(RTL_TESTS)

rtl-test: $(RTL_TESTS)
	@set -e; for t in $(RTL_TESTS); do echo "== $$t"; $$t; done

# ---- lint: Verilator -Wall and Yosys for every configuration ----------------
YOSYS_READ = read_verilog -sv -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/$(1) $(RTL_SRC)

rtl-lint: $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/board/mmu_cfg.vh $(foreach c,$(RTL_CONFIGS),$(RTL_GEN)/$(c)/mmu_cfg.vh $(RTL_GEN)/$(c)/gflags)
	@set -e; for c in $(RTL_CONFIGS); do \
	  echo "== verilator --lint-only -Wall ($$c)"; \
	  $(VERILATOR) --lint-only -Wall --top-module mmu_top -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/$$c \
	    $$(cat $(RTL_GEN)/$$c/gflags) $(RTL_SRC); \
	  echo "== yosys read_verilog -sv; hierarchy -check; proc ($$c)"; \
	  $(YOSYS) -q -l $(RTL_GEN)/$$c/yosys-lint.log -p "read_verilog -sv -Irtl -I$(RTL_GEN) \
	    -I$(RTL_GEN)/$$c $(RTL_SRC); hierarchy -check -top mmu_top; proc"; \
	  if grep -i "warning" $(RTL_GEN)/$$c/yosys-lint.log; then exit 1; fi; \
	done
	@echo "== verilator --lint-only -Wall and yosys hierarchy: the board top (fpga)"
	@$(VERILATOR) --lint-only -Wall --top-module mmu_fpga_top -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/fpga $(RTL_SRC)
	@$(YOSYS) -q -l $(RTL_GEN)/fpga/yosys-lint-top.log -p "read_verilog -sv -Irtl -I$(RTL_GEN) \
	  -I$(RTL_GEN)/fpga $(RTL_SRC); hierarchy -check -top mmu_fpga_top; proc"; \
	  if grep -i "warning" $(RTL_GEN)/fpga/yosys-lint-top.log; then exit 1; fi
	@echo "== verilator --lint-only -Wall and yosys hierarchy: the UART board top (board), the iCE40 top"
	@$(VERILATOR) --lint-only -Wall --top-module mmu_board_top -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/board $(RTL_SRC)
	@for d in 1 2; do $(VERILATOR) --lint-only -Wall --top-module mmu_board_ice40 -GCLK_DIV=$$d \
	  -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/board $(RTL_SRC) || exit 1; done
	@$(YOSYS) -q -l $(RTL_GEN)/board/yosys-lint-board.log -p "read_verilog -sv -Irtl -I$(RTL_GEN) \
	  -I$(RTL_GEN)/board $(RTL_SRC); hierarchy -check -top mmu_board_top; proc"; \
	  if grep -i "warning" $(RTL_GEN)/board/yosys-lint-board.log; then exit 1; fi
	@echo "== an aliasing L1 (x86 with L1_SETS=128) must stop elaboration"
	@if $(VERILATOR) --lint-only -Wall --top-module mmu_top -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/x86 \
	    $$(cat $(RTL_GEN)/x86/gflags) -GL1_SETS=128 $(RTL_SRC) > $(RTL_GEN)/alias.log 2>&1; \
	  then echo "verilator accepted an aliasing configuration"; exit 1; fi; \
	  grep -q "would alias" $(RTL_GEN)/alias.log; \
	  if $(YOSYS) -q -p "read_verilog -sv -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/x86 $(RTL_SRC); \
	    hierarchy -check -top mmu_top -chparam L1_SETS 128" > $(RTL_GEN)/alias-yosys.log 2>&1; \
	  then echo "yosys accepted an aliasing configuration"; exit 1; fi; \
	  grep -q "config_error_l1_sets_x_l1_line_exceeds_page" $(RTL_GEN)/alias-yosys.log; \
	  echo "rtl-lint: $(words $(RTL_CONFIGS)) configurations clean in verilator -Wall and yosys; aliasing refused by both"

# ---- formal: bounded model checking of the modules' properties ---------------
# formal/<module>_fpv.sv harnesses, formal/properties.tsv, scripts/formal.sh;
# results in build/formal (docs/verification.md).  FORMAL_ARGS=--quick: the
# slice make test runs.
FORMAL_ARGS ?=
.PHONY: rtl-formal
rtl-formal: $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/x86/mmu_cfg.vh
	@bash scripts/formal.sh --gen $(RTL_GEN) $(FORMAL_ARGS)

# ---- synthesis for an iCE40 (the fpga configuration) ------------------------
# rtl/mmu_fpga_top.sv wraps mmu_top in a serial-scan harness so that the
# board's pins suffice; scripts/synth.sh fpga: yosys synth_ice40,
# nextpnr-ice40 over SYNTH_SEEDS placement seeds against SYNTH_MHZ (48),
# icepack; figures into constraints/fpga-report.md.  SYNTH_CNT_W: the
# counters' width (32: the back end widens them, as on the boards; 64 as
# in simulation fills 92 % of the HX8K), SYNTH_JOBS (1 or 2) places and
# routes seeds at once.
SYNTH_DIR    := $(B)/synth
SYNTH_CNT_W  ?= 32

# ---- post-synthesis simulation of the board top -----------------------------
# The Yosys netlist of mmu_board_top (synth_ice40 -abc9 as make synth, SPRAM memory, 4 clocks per
# bit, a short timeout) with the iCE40 cell models, run by Icarus Verilog
# under sim/board_post_tb.v: a short self-checking run through the UART
# (make board-postsynth, part of make test: about a minute of CPU, most of
# it synthesis).
POST_DIR := $(B)/postsynth
POST_CPB := 4
# Debian's yosys keeps the iCE40 cell models in $(YOSYS_DATDIR)/ice40/cells_sim.v.
YOSYS_DATDIR ?= /usr/share/yosys

$(POST_DIR)/board_netlist.v: $(RTL_SRC) $(RTL_INC) $(BOARD_SIM_GEN)
	@mkdir -p $(dir $@)
	$(call say,YOSYS,$@)
	$(Q)$(YOSYS) -q -l $(POST_DIR)/yosys.log -p "read_verilog -sv -Irtl -I$(RTL_GEN) -I$(RTL_GEN)/board \
	  $(RTL_SRC); chparam -set USE_SPRAM 1 -set CLKS_PER_BIT $(POST_CPB) -set TIMEOUT_W 12 \
	  -set BEAT_W 8 mmu_board_top; synth_ice40 -abc9 -device u -top mmu_board_top; rename -top mmu_board_top; \
	  write_verilog -noattr $@"

$(POST_DIR)/board_post: $(POST_DIR)/board_netlist.v sim/board_post_tb.v
	$(call say,IVERILOG,$@)
	$(Q)iverilog -g2005 -o $@ -DNO_ICE40_DEFAULT_ASSIGNMENTS -I$(RTL_GEN) -Pboard_post_tb.CPB=$(POST_CPB) \
	  -s board_post_tb sim/board_post_tb.v $< $(YOSYS_DATDIR)/ice40/cells_sim.v

.PHONY: board-postsynth
board-postsynth: $(POST_DIR)/board_post
	@vvp -n $< | tee $(POST_DIR)/result.txt
	@grep -q "checks, 0 failed" $(POST_DIR)/result.txt

# ---- make synth BOARD=icebreaker|hx8k: the board system -------------------
# scripts/synth.sh: yosys, nextpnr-ice40 over SYNTH_SEEDS placement seeds
# (median and spread of fmax), icepack; figures into
# constraints/$(BOARD)-report.md.  Place and route is CPU-heavy: not part of
# make test.
BOARD       ?= icebreaker
SYNTH_SEEDS ?= 1 2 3 4 5
.PHONY: synth-board
synth-board: $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/board/mmu_cfg.vh
	bash scripts/synth.sh $(BOARD) $(B)/synth-$(BOARD) $(RTL_GEN) $(SYNTH_SEEDS)

rtl-synth: $(RTL_GEN)/mmu_defs.vh $(RTL_GEN)/fpga/mmu_cfg.vh
	SYNTH_CNT_W=$(SYNTH_CNT_W) bash scripts/synth.sh fpga $(SYNTH_DIR) $(RTL_GEN) $(SYNTH_SEEDS)

# ---- the SystemC TLM-2.0 component -------------------------------------------
include sim/systemc/systemc.mk
