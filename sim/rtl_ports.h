/* SPDX-License-Identifier: MIT */
/*
 * The ports of rtl/mmu_top.sv as plain C structures, shared by the C glue
 * (rtl_machine.c, axi_dram.c) and the C++ shim (vshim.cpp).  Every port is
 * at most 64 bits wide; the shim copies these fields to and from the
 * Verilated model, so the C side never sees C++.
 */
#ifndef SIM_RTL_PORTS_H
#define SIM_RTL_PORTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Inputs of mmu_top (the clock is the shim's business).  dirty: the
 * groups of fields (RTL_IN_*) written since the shim last copied them to
 * the model; whoever writes a field sets its group, the shim copies only
 * those groups, and the glue clears dirty after each eval/tick. */
#define RTL_IN_REQ 1u  /* rst_ni, req_* */
#define RTL_IN_CTL 2u  /* ctl_* */
#define RTL_IN_AXI 4u  /* the AXI slave's outputs */
#define RTL_IN_ALL 7u
struct rtl_in {
	uint8_t dirty;
	uint8_t rst_ni;
	uint8_t req_valid, req_op, req_size, req_user, req_phys;
	uint64_t req_va, req_wdata;
	uint8_t ctl_valid, ctl_op, ctl_type;
	uint16_t ctl_pcid;
	uint64_t ctl_value, ctl_addr;
	/* AXI4, slave to master */
	uint8_t awready, wready, bvalid, bresp, bid;
	uint8_t arready, rvalid, rresp, rlast, rid;
	uint64_t rdata;
};

/* Outputs that change every cycle.  The shim copies a payload (rsp_*
 * but rsp_valid, ad_pa/ad_value, aw*, w*, ar* payloads) only while its
 * valid bit is set: read them only then. */
struct rtl_out {
	uint8_t req_ready;
	uint8_t rsp_valid, rsp_status, rsp_ec, rsp_tlb_hit, rsp_walked, rsp_l1_hit;
	uint8_t rsp_walk_reads, rsp_psc_level, rsp_page_level;
	uint64_t rsp_rdata, rsp_pa;
	uint8_t ad_valid;
	uint64_t ad_pa, ad_value;
	uint8_t ctl_ready, ctl_done, ctl_gp;
	/* AXI4, master to slave */
	uint8_t awvalid, awlen, awsize, awburst, awid;
	uint64_t awaddr;
	uint8_t wvalid, wstrb, wlast, bready;
	uint64_t wdata;
	uint8_t arvalid, arlen, arsize, arburst, arid, rready;
	uint64_t araddr;
};

/* mmu_top's debug port (docs/rtl.md, "Debug port"): commands, and the
 * bit positions in dbg_b (TLB entries) and in the L1 status word (dbg_b_i of
 * a tag write, dbg_a_o of a read).  sim/gen_defs.c gives them to the RTL. */
enum rtl_dbg_op {
	RTL_DBG_NONE,       /* idle (the debug outputs are not computed) */
	RTL_DBG_TLB_RD,     /* set, way -> a = VPN | key, b = fields */
	RTL_DBG_TLB_WR,     /* set, way, a = VPN | key, b = fields */
	RTL_DBG_L1_RD,      /* set, way, word -> a = tag | status, b = word */
	RTL_DBG_L1_TAG_WR,  /* set, way, a = tag, b = status */
	RTL_DBG_L1_WORD_WR, /* set, way, word, a = data */
};
#define RTL_DBG_TLB_PCID  44  /* 12 bits; the PPN is bits 0..43 */
#define RTL_DBG_TLB_LEVEL 56  /* 2 bits */
#define RTL_DBG_TLB_D     58
#define RTL_DBG_TLB_XD    59
#define RTL_DBG_TLB_US    60
#define RTL_DBG_TLB_RW    61
#define RTL_DBG_TLB_G     62
#define RTL_DBG_TLB_VALID 63
#define RTL_DBG_TLB_PKEY  60  /* in a: the protection key, bits 63..60
			       * (a VPN has at most 58 bits) */
#define RTL_DBG_L1_DIRTY  62
#define RTL_DBG_L1_VALID  63

struct rtl_dbg_in {
	uint8_t valid, op, way, word;
	uint16_t set;
	uint64_t a, b;
};
struct rtl_dbg_out {
	uint64_t a, b;
	uint16_t fsm;  /* [3:0] mmu_top state, [7:4] ptw, [11:8] l1_cache */
};

/* Architectural registers (read on demand). */
struct rtl_arch {
	uint64_t cr0, cr2, cr3, cr4, efer;
	uint8_t ac;
	uint32_t pkru;
};

/* Counters of mmu_top, in port order (cnt_<name>_o). */
#define RTL_COUNTERS(X)                                                      \
	X(accesses) X(tlb_hits) X(tlb_misses) X(walks) X(walk_reads)         \
	X(walk_writes) X(walk_cycles) X(psc_hits) X(l1_hits) X(l1_misses)    \
	X(walk_l1_hits) X(walk_l1_misses) X(line_fills) X(writebacks)        \
	X(page_faults) X(gp_faults) X(tlb_flushes)

struct rtl_cnt {
#define RTL_CNT_FIELD(name) uint64_t name;
	RTL_COUNTERS(RTL_CNT_FIELD)
#undef RTL_CNT_FIELD
};

/*
 * One Verilated configuration.  sim/sim.mk builds one per configuration
 * (vshim_<name>) and lists them in vshim_models[] (NULL-terminated).
 */
struct vshim_ops {
	const char *config;  /* configuration name, e.g. "x86" */
	const char *model;   /* Verilated class, e.g. "Vmmu_x86" */
	const char *gflags;  /* the -G overrides the model was built with */
	int traced;          /* built with FST tracing (--trace-fst) */
	int coverage;        /* built with --coverage */
	void *(*create)(void);
	void (*destroy)(void *h);
	/* Clock low: apply the inputs (the groups in in->dirty), settle,
	 * read the outputs. */
	void (*eval)(void *h, const struct rtl_in *in, struct rtl_out *out);
	/* One rising edge (then the clock is low again at the next eval), in
	 * a single evaluation where the model allows it: with in != NULL the
	 * groups in in->dirty are applied first and settle before the edge
	 * (no eval needed in between; with dirty 0 the input-driven logic is
	 * not evaluated again); with NULL they are those of the last eval.  Then the
	 * outputs after it (mmu_top's outputs are registered, but for
	 * req_ready_o, which also depends on ctl_valid_i).  Payload fields of
	 * rtl_out are only written while their valid bit is set. */
	void (*tick)(void *h, const struct rtl_in *in, struct rtl_out *out);
	void (*arch)(void *h, struct rtl_arch *a);
	void (*counters)(void *h, struct rtl_cnt *c);
	/* $error calls so far (assertions of the RTL). */
	int (*errors)(void *h);
	/* FST trace: open a file (0 or -1), dump at a time, close. */
	int (*trace_open)(void *h, const char *path);
	void (*trace_dump)(void *h, uint64_t time);
	void (*trace_close)(void *h);
	/* Write coverage data (coverage builds). */
	void (*coverage_write)(void *h, const char *path);
	/* The debug port: with in != NULL apply dbg_* inputs (they stay until
	 * the next call); always read the dbg_* outputs as the model's last
	 * evaluation left them. */
	void (*debug)(void *h, const struct rtl_dbg_in *in, struct rtl_dbg_out *out);
};

extern const struct vshim_ops *const vshim_models[];

#ifdef __cplusplus
}
#endif

#endif
