// SPDX-License-Identifier: MIT
// Copying mmu_top's ports to and from the plain C structures of
// rtl_ports.h, once for every kind of Verilated model: T is the Verilated
// class of a --cc model (ports are plain members) or anything with members
// of the same names (the SystemC shim's signals, sim/systemc/vshim_sc.cpp).
// vget/vset read and write one port; a file that needs other kinds of
// member declares its overloads before including this header.
#ifndef SIM_VPORTS_H
#define SIM_VPORTS_H

#include "rtl_ports.h"

template <typename V>
inline V vget(const V &v)
{
	return v;
}

template <typename V, typename X>
inline void vset(V &v, X x)
{
	v = x;
}

// read_outputs and write_inputs run every cycle: inlined into tick.
#define VPORTS_INLINE inline __attribute__((always_inline))

// Outputs, by group: the handshake and valid bits every time, a payload
// only while its valid bit is set (the glue and the AXI slave read a payload
// only then), so that a quiet cycle copies a dozen bytes.
template <typename T>
VPORTS_INLINE void read_outputs(const T *t, struct rtl_out *out)
{
	out->req_ready = vget(t->req_ready_o);
	out->rsp_valid = vget(t->rsp_valid_o);
	out->ad_valid = vget(t->ad_valid_o);
	out->ctl_ready = vget(t->ctl_ready_o);
	out->ctl_done = vget(t->ctl_done_o);
	out->ctl_gp = vget(t->ctl_gp_o);
	out->awvalid = vget(t->m_axi_awvalid_o);
	out->wvalid = vget(t->m_axi_wvalid_o);
	out->bready = vget(t->m_axi_bready_o);
	out->arvalid = vget(t->m_axi_arvalid_o);
	out->rready = vget(t->m_axi_rready_o);
	if (VL_UNLIKELY(out->rsp_valid)) {
		out->rsp_status = vget(t->rsp_status_o);
		out->rsp_rdata = vget(t->rsp_rdata_o);
		out->rsp_pa = vget(t->rsp_pa_o);
		out->rsp_ec = vget(t->rsp_ec_o);
		out->rsp_tlb_hit = vget(t->rsp_tlb_hit_o);
		out->rsp_walked = vget(t->rsp_walked_o);
		out->rsp_l1_hit = vget(t->rsp_l1_hit_o);
		out->rsp_walk_reads = vget(t->rsp_walk_reads_o);
		out->rsp_psc_level = vget(t->rsp_psc_level_o);
		out->rsp_page_level = vget(t->rsp_page_level_o);
	}
	if (VL_UNLIKELY(out->ad_valid)) {
		out->ad_pa = vget(t->ad_pa_o);
		out->ad_value = vget(t->ad_value_o);
	}
	if (out->awvalid) {
		out->awaddr = vget(t->m_axi_awaddr_o);
		out->awlen = vget(t->m_axi_awlen_o);
		out->awsize = vget(t->m_axi_awsize_o);
		out->awburst = vget(t->m_axi_awburst_o);
		out->awid = vget(t->m_axi_awid_o);
	}
	if (out->wvalid) {
		out->wdata = vget(t->m_axi_wdata_o);
		out->wstrb = vget(t->m_axi_wstrb_o);
		out->wlast = vget(t->m_axi_wlast_o);
	}
	if (out->arvalid) {
		out->araddr = vget(t->m_axi_araddr_o);
		out->arlen = vget(t->m_axi_arlen_o);
		out->arsize = vget(t->m_axi_arsize_o);
		out->arburst = vget(t->m_axi_arburst_o);
		out->arid = vget(t->m_axi_arid_o);
	}
}

// Inputs, by group: only the groups the glue wrote since the last copy
// (in->dirty, RTL_IN_*; the glue clears it after each call).
template <typename T>
VPORTS_INLINE void write_inputs(T *t, const struct rtl_in *in)
{
	if (in->dirty & RTL_IN_REQ) {
		vset(t->rst_ni, in->rst_ni);
		vset(t->req_valid_i, in->req_valid);
		vset(t->req_va_i, in->req_va);
		vset(t->req_op_i, in->req_op);
		vset(t->req_size_i, in->req_size);
		vset(t->req_user_i, in->req_user);
		vset(t->req_phys_i, in->req_phys);
		vset(t->req_wdata_i, in->req_wdata);
	}
	if (VL_UNLIKELY(in->dirty & RTL_IN_CTL)) {
		vset(t->ctl_valid_i, in->ctl_valid);
		vset(t->ctl_op_i, in->ctl_op);
		vset(t->ctl_value_i, in->ctl_value);
		vset(t->ctl_addr_i, in->ctl_addr);
		vset(t->ctl_type_i, in->ctl_type);
		vset(t->ctl_pcid_i, in->ctl_pcid);
	}
	if (in->dirty & RTL_IN_AXI) {
		vset(t->m_axi_awready_i, in->awready);
		vset(t->m_axi_wready_i, in->wready);
		vset(t->m_axi_bvalid_i, in->bvalid);
		vset(t->m_axi_bresp_i, in->bresp);
		vset(t->m_axi_bid_i, in->bid);
		vset(t->m_axi_arready_i, in->arready);
		vset(t->m_axi_rvalid_i, in->rvalid);
		vset(t->m_axi_rdata_i, in->rdata);
		vset(t->m_axi_rresp_i, in->rresp);
		vset(t->m_axi_rlast_i, in->rlast);
		vset(t->m_axi_rid_i, in->rid);
	}
}

template <typename T>
inline void vports_arch(const T *t, struct rtl_arch *a)
{
	a->cr0 = vget(t->cr0_o);
	a->cr2 = vget(t->cr2_o);
	a->cr3 = vget(t->cr3_o);
	a->cr4 = vget(t->cr4_o);
	a->efer = vget(t->efer_o);
	a->ac = vget(t->ac_o);
	a->pkru = vget(t->pkru_o);
}

// The debug port: apply the inputs (when given), read the outputs.
template <typename T>
inline void vports_debug(T *t, const struct rtl_dbg_in *in,
			 struct rtl_dbg_out *out)
{
	if (in) {
		vset(t->dbg_valid_i, in->valid);
		vset(t->dbg_op_i, in->op);
		vset(t->dbg_set_i, in->set);
		vset(t->dbg_way_i, in->way);
		vset(t->dbg_word_i, in->word);
		vset(t->dbg_a_i, in->a);
		vset(t->dbg_b_i, in->b);
	}
	out->a = vget(t->dbg_a_o);
	out->b = vget(t->dbg_b_o);
	out->fsm = vget(t->dbg_fsm_o);
}

template <typename T>
inline void vports_counters(const T *t, struct rtl_cnt *c)
{
#define VPORTS_CNT(name) c->name = vget(t->cnt_##name##_o);
	RTL_COUNTERS(VPORTS_CNT)
#undef VPORTS_CNT
}

#endif
