# MMU co-simulation testbench.
#   make run    build and run the standard regression (the main job)
#   make test   every test (unit tests under ASan/UBSan, then the regression)
#   make bench  benchmarks (figures, never pass/fail)
#   make lint   RTL lint (verilator -Wall and Yosys 0.23)
#   make fuzz   libFuzzer harnesses (tests/fuzz), FUZZ_SECONDS each
#   make formal the RTL's properties by bounded model checking, each with the
#               mutant that must fail it (a quick slice runs in make test)
#   make coverage  RTL line/toggle/branch coverage of the regression (lcov HTML)
#   make synth BOARD=icebreaker|hx8k   the FPGA board system: bitstream and figures
#   make mutate MUTANTS=N single-point mutants of rtl/ through the quick set:
#               the kill rate and the survivors (build/mutate)
#   make deps   install missing Debian packages (every target above runs it)
#   make help   these lines and the variables
# The build prints one short line per step; V=1 prints the command lines.
# Build variants live side by side: build/rel (-O2), build/asan
# (AddressSanitizer + UndefinedBehaviorSanitizer) and build/fuzz (clang,
# the sanitizers and libFuzzer's coverage instrumentation).

SHELL   := /bin/bash
VARIANT ?= rel
B       := build/$(VARIANT)
CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror
ifeq ($(VARIANT),asan)
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(VARIANT),fuzz)
CC      := clang
OPT     := -O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=all
else
OPT     := -O2 -g
endif
CFLAGS  := $(CSTD) $(WARN) $(OPT) -Isw -MMD -MP
LDFLAGS := $(filter -fsanitize%,$(OPT))

CONFIGS := $(sort $(wildcard configs/*.cfg))

# Quiet steps ("  CC     sw/os/mmap.c"); V=1: the command lines instead.
V ?= 0
ifeq ($(V),1)
Q   :=
say :=
else
Q   := @
say = @printf '  %-6s %s\n' '$(1)' '$(2)'
endif

# ---- libraries (sw/: one library per concern) ----------------------------
# Every folder of sw/ but tools/ is a library libmmu<folder>.a; LIB_ORDER is
# the link order (users before what they use).
LIB_ORDER := jobs report regress scenario trace os course board backend cover failure lockstep golden machine config
LIB_NAMES := $(filter $(patsubst sw/%/,%,$(wildcard sw/*/)),$(LIB_ORDER))
LIBS      := $(foreach l,$(LIB_NAMES),$(B)/lib/libmmu$(l).a)
GEN_CFG   := $(B)/gen/config_builtin.c

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

$(GEN_CFG): scripts/embed_configs.sh $(CONFIGS)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh scripts/embed_configs.sh $@ $(CONFIGS)

$(B)/obj/gen/config_builtin.o: $(GEN_CFG)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -Isw/config -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(foreach l,$(LIB_NAMES),$(eval $(B)/lib/libmmu$(l).a: $(call obj,$(wildcard sw/$(l)/*.c))))
$(B)/lib/libmmuconfig.a: $(B)/obj/gen/config_builtin.o
$(B)/lib/%.a:
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- RTL and its Verilator glue (rel variant, and cov: rel with coverage) --
# sim/sim.mk, when present, adds RTL_LIBS (archives to link), RTL_LDLIBS,
# RTL_LINK (the C++ driver) and the rtl-lint / rtl-synth / rtl-test targets.
# The other variants link sim/rtl_none.c: tools without the rtl and systemc
# back ends.  VARIANT=cov (build/cov) is rel with Verilator's coverage models
# (make coverage), kept apart so that build/rel never links instrumented models.
RTL_LIBS   :=
RTL_LDLIBS :=
RTL_LINK   := $(CC)
ifneq ($(filter rel cov,$(VARIANT)),)
-include sim/sim.mk
else
RTL_LIBS   := $(B)/obj/sim/rtl_none.o
endif

# ---- tools (rel variant) -------------------------------------------------
# A tool is sw/tools/NAME.c, linked with its parts sw/tools/NAME_*.c.
TOOL_PARTS := $(wildcard sw/tools/*_*.c)
TOOLS := $(patsubst sw/tools/%.c,%,$(filter-out $(TOOL_PARTS),$(wildcard sw/tools/*.c)))
$(foreach t,$(TOOLS),$(eval $(B)/bin/$(t): $(call obj,$(wildcard sw/tools/$(t)_*.c))))
$(B)/bin/%: $(B)/obj/sw/tools/%.o $(LIBS) $(RTL_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(RTL_LINK) $(LDFLAGS) -o $@ $< $(filter $(B)/obj/sw/tools/$*_%.o,$^) $(RTL_LIBS) $(LIBS) $(RTL_LDLIBS)

# ---- tests: tests/<lib>/test_*.c, each linked with that folder's other .c
# tests/rtl/ needs the Verilated RTL: sim/sim.mk builds and runs it.
TEST_DIRS := $(filter-out tests/rtl/,$(sort $(dir $(wildcard tests/*/test_*.c))))
TEST_SRC  := $(filter-out tests/rtl/%,$(wildcard tests/*/test_*.c))
TEST_BINS := $(patsubst %.c,$(B)/%,$(TEST_SRC))
define test_rule
$(B)/$(1)test_%: $(B)/obj/$(1)test_%.o $(call obj,$(filter-out $(1)test_%,$(wildcard $(1)*.c))) $(LIBS)
	@mkdir -p $$(dir $$@)
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcmocka
endef
$(foreach d,$(TEST_DIRS),$(eval $(call test_rule,$(d))))

# ---- fuzzing: tests/fuzz/fuzz_NAME.c, a libFuzzer harness each, with its
# seed corpus in tests/fuzz/NAME/ (and FUZZ_SEEDS_NAME folders). -----------
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  := $(addprefix $(B)/fuzz/fuzz_,$(FUZZ_NAMES))
$(B)/fuzz/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -fsanitize=address,undefined,fuzzer -o $@ $^

# ---- benchmarks ----------------------------------------------------------
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/*.c))
$(B)/bench/%: $(B)/obj/bench/%.o $(LIBS) $(RTL_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(RTL_LINK) $(LDFLAGS) -o $@ $< $(RTL_LIBS) $(LIBS) $(RTL_LDLIBS)

.PHONY: all deps build run capture regress merge scenarios test unit bench bench-compare lint formal coverage synth mutate rtl-glue-objs clean help _build _build_unit _unit fuzz fuzz-replay _fuzz_build
# Intermediate objects stay: a second make rebuilds nothing.
.SECONDARY:
.DEFAULT_GOAL := all

all: deps build

deps:
	@sh scripts/deps.sh

# The stamp is touched only when something was rebuilt (objects are kept:
# .SECONDARY), and `make build` says "build: up to date" when it was not.
BUILD_STAMP := $(B)/.built
_build: $(BUILD_STAMP)
$(BUILD_STAMP): $(LIBS) $(addprefix $(B)/bin/,$(TOOLS)) $(TEST_BINS) $(BENCH_BINS)
	@touch $@

# The sanitizer variant builds the C libraries, their unit tests and the
# tools that work without the RTL; make test runs the scenario suite with
# them.  (mmucourse logs the RTL's state machines: rel only.)
TOOLS_NEED_RTL := mmucourse
_build_unit: $(LIBS) $(TEST_BINS) $(addprefix $(B)/bin/,$(filter-out $(TOOLS_NEED_RTL),$(TOOLS)))

build:
	@s=build/rel/.built; t=$$(stat -c %y $$s 2>/dev/null); \
	$(MAKE) --no-print-directory VARIANT=rel _build || exit; \
	if [ "$$t" = "$$(stat -c %y $$s)" ]; then echo "build: up to date"; fi

# Unit tests run under the sanitizers; each binary prints what it checked.
_unit: _build_unit
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

unit: deps
	@$(MAKE) --no-print-directory VARIANT=asan _unit

# J: workloads run in parallel processes by make run, regress, scenarios
# and test's scenario suites (the results are those of J=1).
J ?= $(shell nproc 2>/dev/null || echo 1)

# make run: real-program traces captured with valgrind (kept in
# build/traces), then the standard regression in lockstep (mmurun): the
# scenario suite, random seeds (on every configuration), the traces and the
# golden-model sweeps;
# results and report.html in build/run.  RUN_ARGS adds mmurun options.
RUN_ARGS ?=
# A program valgrind cannot trace here is reported and left out: the job
# runs with the traces it has (the shipped one at least), and its table
# lists them.
capture:
	@bash scripts/capture_traces.sh build/traces || \
	  echo "capture: some traces could not be captured (above); the job runs with those in build/traces and tests/traces"

# make regress SEEDS=N [SHARD=i/N]: the same job with N seeds on each
# configuration (x86, csapp, fpga), or one deterministic slice of it, in build/regress[/shard-iofN]; make merge
# combines the slices found there into build/regress/merged.
REGRESS_ARGS ?=
SEEDS ?= 4
REGRESS_OUT = build/regress$(if $(SHARD),/shard-$(subst /,of,$(SHARD)))
regress: deps build capture
	build/rel/bin/mmurun -j $(J) --seeds $(SEEDS) --out $(REGRESS_OUT) $(if $(SHARD),--shard $(SHARD)) $(REGRESS_ARGS)

merge: deps build
	build/rel/bin/mmurun --merge --out build/regress/merged $(sort $(wildcard build/regress/shard-*))

# make scenarios [BACKEND=golden|lockstep|rtl|systemc]: the scenario suite alone.
scenarios: deps build
	@J=$(J) bash scripts/run_scenarios.sh $(or $(BACKEND),golden) build/rel/bin

run: deps build capture
	build/rel/bin/mmurun -j $(J) $(RUN_ARGS)

# make fuzz [FUZZ_SECONDS=N] [FUZZ=name...]: each harness N seconds (default
# 60) from its seeds and the corpus it grew before (build/fuzz/corpus);
# crashes land in build/fuzz/artifacts.  fuzz-replay runs every seed once,
# then each harness FUZZ_SECONDS (make test: 3).
FUZZ_SECONDS ?= 60
FUZZ ?= $(FUZZ_NAMES)
_fuzz_build: $(FUZZ_BINS)

fuzz: deps
	@$(MAKE) --no-print-directory VARIANT=fuzz _fuzz_build
	@bash scripts/fuzz.sh run $(FUZZ_SECONDS) $(FUZZ)

fuzz-replay: deps
	@$(MAKE) --no-print-directory VARIANT=fuzz _fuzz_build
	@bash scripts/fuzz.sh replay $(FUZZ_SECONDS) $(FUZZ)

test: deps
	@$(MAKE) --no-print-directory VARIANT=asan _unit
	@bash scripts/run_scenarios.sh golden build/asan/bin
	@$(MAKE) --no-print-directory fuzz-replay FUZZ_SECONDS=3
	@$(MAKE) --no-print-directory VARIANT=rel _build
	build/rel/bin/mmuregress --quick
	@J=$(J) bash scripts/run_scenarios.sh golden build/rel/bin
	@J=$(J) bash scripts/run_scenarios.sh lockstep build/rel/bin
	@if [ -f sim/sim.mk ]; then J=$(J) bash scripts/run_scenarios.sh systemc build/rel/bin && \
	  build/rel/bin/mmuregress --backend systemc --quick --seeds 1; fi
	@bash scripts/compare_linux.sh build/rel/bin
	@if [ -f sim/sim.mk ]; then $(MAKE) --no-print-directory VARIANT=rel rtl-test systemc-test; fi
	@if [ -f sim/sim.mk ]; then $(MAKE) --no-print-directory VARIANT=rel board-test board-postsynth; fi
	@$(MAKE) --no-print-directory lint
	@if [ -f sim/sim.mk ]; then $(MAKE) --no-print-directory VARIANT=rel rtl-formal FORMAL_ARGS=--quick; fi
	@bash scripts/test_coverage.sh
	@if [ -f sim/sim.mk ]; then J=$(J) bash scripts/test_mutate.sh; fi
	@bash scripts/test_cli.sh build/rel/bin
	@bash scripts/test_failures.sh build/rel/bin
	@bash scripts/test_run.sh build/rel/bin
	@$(MAKE) --no-print-directory install-test
	@if [ -f sim/sim.mk ]; then $(MAKE) --no-print-directory VARIANT=rel dpi-test; fi

# Figures are printed with their configuration and written to
# build/bench/<bench>.tsv.  make bench-compare A=<rev> B=<rev> [ROUNDS=N]
# [INSN=1]: both revisions checked out (git worktree) and built under
# build/bench-compare, their benchmarks run interleaved, ratios B/A; INSN=1
# adds callgrind's instructions per access and per simulated cycle of both
# (scripts/bench_insn.sh: the figures the machine's load does not move).
bench: deps build
	@set -e; for b in $(patsubst build/$(VARIANT)/%,build/rel/%,$(BENCH_BINS)); do $$b; done
	@echo "bench: figures also in build/bench/*.tsv"

bench-compare: deps
	@INSN="$(INSN)" bash scripts/bench_compare.sh "$(A)" "$(B)" $(or $(ROUNDS),2)

# make synth BOARD=icebreaker|hx8k: bitstream and figures (sim/sim.mk).
synth: deps
	@$(MAKE) --no-print-directory VARIANT=rel synth-board

lint: deps
	@if [ -f sim/sim.mk ]; then $(MAKE) --no-print-directory VARIANT=rel rtl-lint; \
	 else echo "lint: no RTL build (sim/sim.mk) yet"; fi

# make formal: every property of formal/properties.tsv to its depth, and
# each mutant, which must fail (build/formal/summary.tsv).
formal: deps
	@$(MAKE) --no-print-directory VARIANT=rel rtl-formal

# make coverage: the regression on coverage-instrumented models (build/cov),
# merged into build/coverage (summary.tsv, coverage.info, html/).
COVERAGE_ARGS ?=
coverage: deps
	@$(MAKE) --no-print-directory VARIANT=cov rtl-cov-tools
	@bash scripts/coverage.sh $(COVERAGE_ARGS)

# make mutate [MUTANTS=N] [MUTATE_SEED=S] [J=N]: N single-point mutants of
# rtl/ drawn with seed S (MUTANTS=0: all), each Verilated alone and run
# through the quick set until a check fails (scripts/mutate.py; results,
# kill rate and survivors in build/mutate). MUTATE_ARGS adds options.
# The mutants link the tests/rtl programs' objects: built here first.
MUTANTS ?= 40
MUTATE_SEED ?= 1
MUTATE_ARGS ?=
mutate: deps build
	@$(MAKE) --no-print-directory VARIANT=rel rtl-cov-tools
	@python3 scripts/mutate.py --mutants $(MUTANTS) --seed $(MUTATE_SEED) -j $(J) $(MUTATE_ARGS)

# The Verilator glue's objects (sim/sim.mk's RTL_GLUE_OBJ), one a line:
# what scripts/mutate.py links each mutant's model with.
rtl-glue-objs:
	@printf '%s\n' $(RTL_GLUE_OBJ)

clean:
	rm -rf build

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile
	@echo 'Other targets: make scenarios [BACKEND=golden|lockstep|rtl|systemc], make regress'
	@echo '  SEEDS=N [SHARD=i/N], make merge, make capture, make unit (sanitizer'
	@echo '  unit tests), make fuzz-replay, make rtl-test, make systemc-test, make rtl-synth,'
	@echo '  make install PREFIX=dir [DESTDIR=dir], make install-test, make dpi-test,'
	@echo '  make clean, make bench-compare A=<rev> B=<rev> [ROUNDS=N] [INSN=1].'
	@echo 'Variables: V=1 (command lines), VARIANT=rel|asan|fuzz|cov, FUZZ_SECONDS=N,'
	@echo '  FUZZ="scenario trace config elf", RUN_ARGS, REGRESS_ARGS, J=N (workloads'
	@echo '  at a time; default: the cores), FORMAL_ARGS (scripts/formal.sh: --quick,'
	@echo '  --only P), COVERAGE_ARGS (scripts/coverage.sh: --shard I/N, --out DIR),'
	@echo '  MUTANTS=N, MUTATE_SEED=S, MUTATE_ARGS (scripts/mutate.py --help).'
	@echo 'More: README.md, docs/running.md.' 

# make install, shared libraries, pkg-config, the out-of-tree example
# (mk/install.mk) and the DPI-C testbench (sim/dpi/dpi.mk).
include mk/install.mk
ifeq ($(VARIANT),rel)
-include sim/dpi/dpi.mk
endif

-include $(shell find build -name '*.d' 2>/dev/null)
