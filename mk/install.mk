# mk/install.mk: the project as a product (included by the top-level
# Makefile).  docs/install.md says what goes where and why.
#
#   make install PREFIX=/opt/mmu [DESTDIR=...]
#       headers under PREFIX/include/mmu (umbrella <mmu/mmu.h>), static and
#       shared libraries, the tools, pkg-config files, the DPI-C package
#   make install-test
#       install into build/install-test and build examples/golden-driver
#       there, out of tree, through pkg-config only (part of make test)
#
# Installed libraries (each folder of sw/ goes into exactly one):
#   libmmugolden  config, machine, golden, lockstep, cover, backend: the reference
#                 model, its checker and the back-end factory; C only, no
#                 dependency but libc                          (mmu-golden.pc)
#   libmmu        every other folder of sw/ (os, trace, scenario, regress, board,
#                 report, ...)                                  (mmu.pc)
#   libmmudpi     sim/dpi: the golden model behind DPI-C        (mmu-dpi.pc)
#   libmmurtl     the Verilated RTL of every configuration, its glue and the
#                 Verilator runtime; static only               (mmu-rtl.pc)
# The static archives come from build/rel; the shared objects from the
# build/pic variant (the same sources compiled -fPIC), so that the objects
# the tools and benchmarks link stay position-dependent.

PREFIX        ?= /usr/local
DESTDIR       ?=
MMU_VERSION   := 0.1.0
MMU_SOVERSION := 0

ifeq ($(VARIANT),pic)
CFLAGS  += -fPIC
endif

PKG_GOLDEN  := config machine golden lockstep cover backend
PKG_MMU     := $(filter-out $(PKG_GOLDEN),$(LIB_NAMES))
PKG_DIR     := $(B)/pkg
pkg_objs     = $(call obj,$(foreach l,$(1),$(wildcard sw/$(l)/*.c)))
GOLDEN_OBJ  := $(call pkg_objs,$(PKG_GOLDEN)) $(B)/obj/gen/config_builtin.o
MMU_OBJ     := $(call pkg_objs,$(PKG_MMU))
DPI_OBJ     := $(call obj,$(wildcard sim/dpi/*.c))

# One archive per installed library (the linker rescans an archive until it
# resolves itself, so the order of the folders inside does not matter).
$(PKG_DIR)/libmmugolden.a: $(GOLDEN_OBJ)
$(PKG_DIR)/libmmu.a: $(MMU_OBJ)
$(PKG_DIR)/libmmudpi.a: $(DPI_OBJ)
$(PKG_DIR)/%.a:
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Shared objects (VARIANT=pic): libX.so.$(MMU_SOVERSION), each linked
# against the ones it uses, with a run path of $ORIGIN so that the dynamic
# linker finds them next to it wherever the tree is installed.
so_name = lib$(1).so.$(MMU_SOVERSION)
$(PKG_DIR)/$(call so_name,mmugolden): $(GOLDEN_OBJ)
$(PKG_DIR)/$(call so_name,mmu): $(MMU_OBJ) $(PKG_DIR)/$(call so_name,mmugolden)
$(PKG_DIR)/$(call so_name,mmudpi): $(DPI_OBJ) $(PKG_DIR)/$(call so_name,mmugolden)
$(PKG_DIR)/%.so.$(MMU_SOVERSION):
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -shared -Wl,-soname,$(notdir $@) -Wl,--no-undefined -Wl,-rpath,'$$ORIGIN' -o $@ \
	  $(filter %.o,$^) $(filter %.so.$(MMU_SOVERSION),$^) -lc

PKG_STATIC := $(addprefix $(PKG_DIR)/,libmmugolden.a libmmu.a libmmudpi.a)
PKG_SHARED := $(addprefix $(PKG_DIR)/,$(foreach l,mmugolden mmu mmudpi,$(call so_name,$(l))))

.PHONY: install install-test _pkg_static _pkg_shared
_pkg_static: $(PKG_STATIC)
_pkg_shared: $(PKG_SHARED)

# Headers: every header of an installed library but the *_int.h ones, in
# the source tree's layout (the sources include one another as
# "machine/machine.h" from the include root sw/, so the installed headers
# need no rewriting); the RTL's under mmu/rtl.
PKG_HEADERS := sw/mmu.h $(filter-out %_int.h,$(foreach l,$(LIB_NAMES),$(wildcard sw/$(l)/*.h)))
RTL_HEADERS := sim/rtl_backend.h sim/rtl_machine.h
DPI_FILES   := sim/dpi/mmu_dpi.svh sim/dpi/mmu_dpi.h
INST        := $(DESTDIR)$(PREFIX)
PC_FILES    := mmu-golden mmu mmu-dpi mmu-rtl

install: deps
	@$(MAKE) --no-print-directory VARIANT=rel _pkg_static $(addprefix build/rel/bin/,$(TOOLS)) \
	  rtl-models build/rel/rtl/mmu_defs.vh
	@$(MAKE) --no-print-directory VARIANT=pic _pkg_shared
	@$(MAKE) --no-print-directory VARIANT=rel _install

.PHONY: _install
_install:
	@set -e; inc=$(INST)/include/mmu; \
	mkdir -p $$inc/rtl $$inc/dpi $(INST)/lib/pkgconfig $(INST)/bin; \
	for h in $(PKG_HEADERS); do d=$$inc/$$(dirname $${h#sw/}); mkdir -p $$d; \
	  install -p -m 644 $$h $$d/; done; \
	install -p -m 644 $(RTL_HEADERS) $$inc/rtl/; \
	install -p -m 644 $(DPI_FILES) $(B)/rtl/mmu_defs.vh $$inc/dpi/; \
	install -m 644 $(PKG_STATIC) $(B)/lib/libmmurtl.a $(INST)/lib/; \
	for so in $(notdir $(PKG_SHARED)); do \
	  install -m 755 build/pic/pkg/$$so $(INST)/lib/; \
	  ln -sf $$so $(INST)/lib/$${so%.$(MMU_SOVERSION)}; done; \
	install -m 755 $(addprefix $(B)/bin/,$(TOOLS)) $(INST)/bin/; \
	for pc in $(PC_FILES); do \
	  sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(MMU_VERSION)|' \
	    mk/$$pc.pc.in > $(INST)/lib/pkgconfig/$$pc.pc; done; \
	echo "install: $(INST) (headers, libraries, tools, pkg-config: docs/install.md)"

# make install-test: the example out of tree, against an installed tree,
# through pkg-config only (scripts/test_install.sh).
INSTALL_TEST := $(abspath build/install-test)
install-test:
	@rm -rf $(INSTALL_TEST)
	@$(MAKE) --no-print-directory install PREFIX=$(INSTALL_TEST)/prefix
	@bash scripts/test_install.sh $(INSTALL_TEST)

# tests/dpi: the DPI-C library's C side under the sanitizers (make unit).
$(B)/tests/dpi/test_dpi: $(B)/obj/tests/dpi/test_dpi.o $(DPI_OBJ) $(LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka
