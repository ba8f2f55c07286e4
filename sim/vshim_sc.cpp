// SPDX-License-Identifier: MIT
// One Verilated SystemC model (verilator --sc) behind the C++ interface
// mmu_sc::rtl_sc_dut (sim/systemc/rtl_sc.h): a signal on every port of
// mmu_top.  Compiled once per configuration with vshim_cfg.h (made by
// sim/systemc/systemc.mk) defining VSHIM_TOP, VSHIM_NAME, VSHIM_CONFIG,
// VSHIM_GFLAGS and VSHIM_TRACE, like sim/vshim.cpp for the C++ models.
#include "vshim_cfg.h"
#include "systemc/rtl_sc.h"

#include <verilated.h>
#include <verilated_sc.h>
#if VSHIM_TRACE
#include <verilated_fst_sc.h>
#endif

#include <type_traits>
#include <utility>

// Ports are signals here: vports.h reads and writes them through these.
template <typename V>
inline V vget(const sc_core::sc_signal<V> &s)
{
	return s.read();
}

template <typename V, typename X>
inline void vset(sc_core::sc_signal<V> &s, X x)
{
	s.write(static_cast<V>(x));
}

#include "vports.h"

#define VSHIM_STR2(x) #x
#define VSHIM_STR(x) VSHIM_STR2(x)
#define VSHIM_HDR(x) VSHIM_STR(x.h)
#include VSHIM_HDR(VSHIM_TOP)

// Every port but the clock.
#define VSHIM_PORTS(X)                                                       \
	X(rst_ni) X(req_valid_i) X(req_ready_o) X(req_va_i) X(req_op_i)      \
	X(req_size_i) X(req_user_i) X(req_phys_i) X(req_wdata_i)             \
	X(rsp_valid_o) X(rsp_status_o) X(rsp_rdata_o) X(rsp_pa_o)            \
	X(rsp_ec_o) X(rsp_tlb_hit_o) X(rsp_walked_o) X(rsp_l1_hit_o)         \
	X(rsp_walk_reads_o) X(rsp_psc_level_o) X(rsp_page_level_o)           \
	X(ad_valid_o) X(ad_pa_o) X(ad_value_o) X(ctl_valid_i) X(ctl_ready_o) \
	X(ctl_op_i) X(ctl_value_i) X(ctl_addr_i) X(ctl_type_i) X(ctl_pcid_i) \
	X(ctl_done_o) X(ctl_gp_o) X(cr0_o) X(cr2_o) X(cr3_o) X(cr4_o)        \
	X(efer_o) X(ac_o) X(pkru_o)                                          \
	X(dbg_valid_i) X(dbg_op_i) X(dbg_set_i) X(dbg_way_i) X(dbg_word_i)   \
	X(dbg_a_i) X(dbg_b_i) X(dbg_a_o) X(dbg_b_o) X(dbg_fsm_o)             \
	X(m_axi_awvalid_o) X(m_axi_awready_i) X(m_axi_awaddr_o)              \
	X(m_axi_awlen_o) X(m_axi_awsize_o) X(m_axi_awburst_o) X(m_axi_awid_o) \
	X(m_axi_wvalid_o) X(m_axi_wready_i) X(m_axi_wdata_o) X(m_axi_wstrb_o) \
	X(m_axi_wlast_o) X(m_axi_bvalid_i) X(m_axi_bready_o) X(m_axi_bresp_i) \
	X(m_axi_bid_i) X(m_axi_arvalid_o) X(m_axi_arready_i)                 \
	X(m_axi_araddr_o) X(m_axi_arlen_o) X(m_axi_arsize_o)                 \
	X(m_axi_arburst_o) X(m_axi_arid_o) X(m_axi_rvalid_i)                 \
	X(m_axi_rready_o) X(m_axi_rdata_i) X(m_axi_rresp_i) X(m_axi_rlast_i) \
	X(m_axi_rid_i)                                                       \
	X(cnt_accesses_o) X(cnt_tlb_hits_o) X(cnt_tlb_misses_o)              \
	X(cnt_walks_o) X(cnt_walk_reads_o) X(cnt_walk_writes_o)              \
	X(cnt_walk_cycles_o) X(cnt_psc_hits_o) X(cnt_l1_hits_o)              \
	X(cnt_l1_misses_o) X(cnt_walk_l1_hits_o) X(cnt_walk_l1_misses_o)     \
	X(cnt_line_fills_o) X(cnt_writebacks_o) X(cnt_page_faults_o)         \
	X(cnt_gp_faults_o) X(cnt_tlb_flushes_o)

namespace {

template <typename P>
using port_data = typename std::remove_reference_t<P>::data_type;

struct dut : sc_core::sc_module, mmu_sc::rtl_sc_dut {
	sc_core::sc_signal<bool> clk_i;
#define VSHIM_SIG(p) sc_core::sc_signal<port_data<decltype(std::declval<VSHIM_TOP &>().p)>> p;
	VSHIM_PORTS(VSHIM_SIG)
#undef VSHIM_SIG
	VSHIM_TOP top;
#if VSHIM_TRACE
	VerilatedFstSc *fst = nullptr;
#endif

	explicit dut(sc_core::sc_module_name n) : sc_module(n), top("rtl")
	{
		top.clk_i(clk_i);
#define VSHIM_BIND(p) top.p(p);
		VSHIM_PORTS(VSHIM_BIND)
#undef VSHIM_BIND
	}
	~dut() override
	{
		trace_close();
	}
	sc_core::sc_signal<bool> &clk() override
	{
		return clk_i;
	}
	void write_inputs(const rtl_in &in) override
	{
		::write_inputs(this, &in);
	}
	void read_outputs(rtl_out &out) override
	{
		::read_outputs(this, &out);
	}
	void arch(rtl_arch &a) override
	{
		vports_arch(this, &a);
	}
	void counters(rtl_cnt &c) override
	{
		vports_counters(this, &c);
	}
	void debug(const rtl_dbg_in *in, rtl_dbg_out &out) override
	{
		vports_debug(this, in, &out);
	}
	int errors() override
	{
		return top.contextp()->errorCount();
	}
	int trace_open(const char *path) override
	{
#if VSHIM_TRACE
		if (fst)
			return -1;
		fst = new VerilatedFstSc;
		top.trace(fst, 99);
		fst->open(path);
		if (!fst->isOpen()) {
			delete fst;
			fst = nullptr;
			return -1;
		}
		return 0;
#else
		(void)path;
		return -1;
#endif
	}
	void trace_close() override
	{
#if VSHIM_TRACE
		if (fst) {
			fst->close();
			delete fst;
			fst = nullptr;
		}
#endif
	}
};

mmu_sc::rtl_sc_dut *create(const char *name)
{
	Verilated::threadContextp()->fatalOnError(false);  // $error counted
#if VSHIM_TRACE
	Verilated::threadContextp()->traceEverOn(true);
#endif
	return new dut(name);
}

}  // namespace

extern const mmu_sc::rtl_sc_model VSHIM_NAME = {
	VSHIM_CONFIG, VSHIM_STR(VSHIM_TOP), VSHIM_GFLAGS, VSHIM_TRACE, create,
};
