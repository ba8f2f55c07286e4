# sim/systemc/systemc.mk: the MMU as a SystemC TLM-2.0 component (included by
# sim/sim.mk, rel variant; B = build/rel).
#
#   make systemc-test   build and run tests/systemc (self-checking SystemC
#                       programs; each prints what it checked)
# libmmusystemc.a holds the component (mmu_tlm), the memory target and the
# `systemc` back end of the machine interface; programs that link it link
# SC_LDLIBS too.

SC_CXX      := $(CXX)
SC_CXXFLAGS := -std=c++17 $(WARN) $(OPT) -MMD -MP $(shell pkg-config --cflags systemc)
SC_LDLIBS   := $(shell pkg-config --libs systemc)
SC_SRC      := $(wildcard sim/systemc/*.cpp)
SC_OBJ      := $(patsubst %.cpp,$(B)/obj/%.o,$(SC_SRC))
SC_LIB      := $(B)/lib/libmmusystemc.a

$(B)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(SC_CXX) $(SC_CXXFLAGS) -c $< -o $@

$(SC_LIB): $(SC_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Everything linked with the RTL links the SystemC platform too (the
# `systemc` back end of the tools).
RTL_LIBS    := $(SC_LIB) $(RTL_LIBS)
RTL_LDLIBS  += $(SC_LDLIBS)

# What the component needs below it.
SC_DEP_LIBS := $(addprefix $(B)/lib/libmmu,$(addsuffix .a,lockstep golden machine config))

SC_TEST_SRC := $(wildcard tests/systemc/test_*.cpp)
SC_TESTS    := $(patsubst %.cpp,$(B)/%,$(SC_TEST_SRC))

$(B)/tests/systemc/test_%: $(B)/obj/tests/systemc/test_%.o $(SC_LIB) $(SC_DEP_LIBS)
	@mkdir -p $(dir $@)
	$(SC_CXX) $(LDFLAGS) -o $@ $< $(SC_LIB) $(SC_DEP_LIBS) $(SC_LDLIBS)

.PHONY: systemc-test
systemc-test: $(SC_TESTS)
	@set -e; for t in $(SC_TESTS); do echo "== $$t"; $$t; done
