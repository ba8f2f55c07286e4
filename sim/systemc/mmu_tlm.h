// SPDX-License-Identifier: MIT
// The MMU as a TLM-2.0 component of a SystemC virtual platform
// (docs/systemc.md).
//
//   cpu  (target)     loosely timed b_transport: loads (READ), stores (WRITE)
//                     and fetches (READ with mmu_ext::fetch) at a linear
//                     address; mmu_ext carries CPL and returns the outcome.
//                     transport_dbg: side-effect-free translation + read.
//                     get_direct_mem_ptr: read-only DMI where safe.
//   ctl  (target)     control operations, registers and counters, through
//                     mmu_ctl_ext (the generic payload carries no data).
//   mem  (initiator)  the memory side: line fills, write-backs and walk
//                     reads go out as TLM transactions to the platform's
//                     memory target, which owns physical memory.
//
// The back end (golden model, RTL, or the two in lockstep) is chosen by
// mmu_tlm_params and checked at elaboration: a bad configuration stops
// elaboration with an SC_REPORT_ERROR naming what is wrong.
#ifndef SIM_SYSTEMC_MMU_TLM_H
#define SIM_SYSTEMC_MMU_TLM_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <optional>
#include <string>
#include <vector>

extern "C" {
#include "../../sw/machine/machine.h"
#include "../../sw/golden/physmem.h"
}

namespace mmu_sc {

// What runs behind the sockets.
enum class backend_kind {
	golden,    // the golden model, its memory behind the mem socket
	rtl,       // the Verilated RTL (verilator --sc), its AXI4 port
		   // bridged to the mem socket (axi_bridge.h)
	lockstep,  // the golden model as reference (private memory) checking
		   // the RTL, which uses the mem socket; the first difference
		   // fails the transaction
};

class rtl_sc_dut;
struct rtl_sc_model;
class axi_bridge;

struct mmu_tlm_params {
	std::string config = "x86";  // built-in configuration name or .cfg path
	std::optional<mmu_config> cfg;  // a configuration in hand (wins)
	backend_kind backend = backend_kind::golden;
	sc_core::sc_time clock = sc_core::sc_time(1, sc_core::SC_NS);
	// The clock the RTL follows (NULL: the module makes its own sc_clock
	// of period `clock`); its period must be `clock`.
	const sc_core::sc_clock *clock_src = nullptr;
	std::string fst_path;        // RTL: write an FST of the model here
	uint64_t mem_bytes = 0;      // physical memory (0: the configuration's);
				     // the memory target must cover it
	// Latency model of the golden model (it has no time), in cycles: one
	// per access, plus these; the memory target's own annotated delays
	// (line fills, write-backs) are added on top.
	unsigned walk_read_cycles = 1;  // per page-table entry read
	unsigned ad_write_cycles = 1;   // per A/D update written
};

// The CPU side's extension.  Without it an access is a supervisor data
// access and no outcome is returned.
struct mmu_ext : tlm::tlm_extension<mmu_ext> {
	// request
	bool user = false;   // CPL 3
	bool fetch = false;  // instruction fetch (with TLM_READ_COMMAND)
	bool phys = false;   // coherent physical access through the L1: the
			     // address is physical, any length
	// response
	int rc = MMU_OK;     // machine return code (MMU_E*): non-zero is a
			     // failed request (bad size, back-end failure)
	std::string err;     // message when rc != 0
	mmu_outcome out{};   // the whole outcome (status, error code, CR2,
			     // TLB/L1 hit, walk reads, A/D writes, cycles)
	uint64_t cycles = 0; // the RTL's cycles (simulated time passed), or
			     // the golden model's latency model (annotated)

	tlm::tlm_extension_base *clone() const override;
	void copy_from(const tlm::tlm_extension_base &e) override;
};

// The control socket's extension (required there).
struct mmu_ctl_ext : tlm::tlm_extension<mmu_ctl_ext> {
	enum class kind { control, regs, counters } what = kind::control;
	mmu_ctl ctl{};                     // kind::control: the operation
	mmu_ctl_result res = MMU_CTL_DONE; // its result (#GP: error response)
	int rc = MMU_OK;
	std::string err;
	mmu_regs regs{};                   // kind::regs
	mmu_counters counters{};           // kind::counters

	tlm::tlm_extension_base *clone() const override;
	void copy_from(const tlm::tlm_extension_base &e) override;
};

// A payload for a plain transfer: streaming width = length, no byte
// enables, no DMI hint, status incomplete (extensions untouched).
void init_payload(tlm::tlm_generic_payload &t, tlm::tlm_command cmd,
		  uint64_t addr, void *data, size_t len);

// "golden", "rtl" or "lockstep".
const char *backend_name(backend_kind k);

// Look up a configuration and check the parameters; "" when they are good,
// else the reason.  What the module does at elaboration.
std::string check_params(const mmu_tlm_params &p, mmu_config *cfg);

class mmu_tlm : public sc_core::sc_module {
public:
	tlm_utils::simple_target_socket<mmu_tlm> cpu;
	tlm_utils::simple_target_socket<mmu_tlm> ctl;
	tlm_utils::simple_initiator_socket<mmu_tlm> mem;

	mmu_tlm(sc_core::sc_module_name name, const mmu_tlm_params &p);
	~mmu_tlm() override;

	// The machine interface of what runs inside (valid after elaboration;
	// the systemc back end and tests use it).  Not for traffic: calls
	// made through it bypass the sockets' timing and DMI bookkeeping.
	machine *inner() { return m_; }
	const mmu_config &config() const { return cfg_; }
	const mmu_tlm_params &params() const { return p_; }
	// Reset: a fresh back end (TLB, L1, registers, counters) on the same
	// memory target.  Returns 0 or an MMU_E* code with the reason in *err.
	int reset(const mmu_tlm_params &p, std::string *err);

	// Statistics of the sockets.
	uint64_t transactions() const { return n_trans_; }
	uint64_t dmi_granted() const { return n_dmi_; }
	uint64_t dmi_invalidations() const { return n_dmi_inval_; }

private:
	void end_of_elaboration() override;
	void start_of_simulation() override;
	bool clocked() const { return p_.backend != backend_kind::golden; }
	bool ready();  // the back end is open (the RTL's is opened lazily)
	int probe_memory(std::string *err);
	void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
	unsigned int transport_dbg(tlm::tlm_generic_payload &t);
	bool get_direct_mem_ptr(tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi);
	void ctl_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
	void mem_invalidate(sc_dt::uint64 start, sc_dt::uint64 end);

	int open(std::string *err);
	void close();
	void access(tlm::tlm_generic_payload &t, mmu_ext *x, sc_core::sc_time &delay);
	void phys(tlm::tlm_generic_payload &t, mmu_ext *x, sc_core::sc_time &delay);
	// A memory transaction; a failure is kept in mem_err_ (and fails every
	// later transaction) unless it is the bus's to report (bus_delay set:
	// the RTL's AXI port answers it with an error response).
	int mem_xfer(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len,
		     bool debug, sc_core::sc_time *bus_delay = nullptr);
	static int port_read(void *ctx, uint64_t pa, void *buf, size_t len);
	static int port_write(void *ctx, uint64_t pa, const void *buf, size_t len);
	static int port_peek(void *ctx, uint64_t pa, void *buf, size_t len);
	int peek_coherent(uint64_t pa, uint8_t *buf, size_t len);
	bool physmem_in_range_bytes(uint64_t pa, uint64_t len) const;
	bool dbg_translate(uint64_t va, uint64_t *pa, uint64_t *page_bytes,
			   pte_t *leaf_rights);
	void dmi_drop(uint64_t pa_lo, uint64_t pa_hi);
	void dmi_drop_all();

	mmu_tlm_params p_;
	mmu_config cfg_{};
	machine *m_ = nullptr;       // what the sockets drive
	machine *golden_ = nullptr;  // the golden machine inside (coherent peeks)
	physmem_port port_{};
	// the RTL
	const rtl_sc_model *model_ = nullptr;
	rtl_sc_dut *dut_ = nullptr;
	axi_bridge *bridge_ = nullptr;
	sc_core::sc_clock *own_clock_ = nullptr;
	void *drive_ = nullptr;      // rtl_sc_drive
	std::string open_err_;       // why the last lazy open failed
	sc_core::sc_time mem_delay_; // delay the memory target annotated
	std::string mem_err_;        // first failed memory transfer
	struct dmi_grant {
		uint64_t va, pa, bytes;
	};
	std::vector<dmi_grant> dmi_;
	uint64_t n_trans_ = 0, n_dmi_ = 0, n_dmi_inval_ = 0;
};

}  // namespace mmu_sc

#endif
