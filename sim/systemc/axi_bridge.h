// SPDX-License-Identifier: MIT
// The AXI-to-TLM adapter: the AXI4 slave on the RTL's memory port, which
// turns every burst into one TLM-2.0 transaction into the platform's
// memory (through the function it is given: the MMU's mem socket).
//
// At each rising edge of the RTL's clock it samples the master's outputs
// (the values settled before the edge) and drives the slave's side for the
// next cycle:
//   AR  accepted when no read burst is open; the whole burst is read at
//       once; R beats follow, one per cycle the master is ready, the first
//       ceil(annotated delay / clock) cycles after the handshake;
//   AW/W  accepted when no write burst or response is open; the beats are
//       gathered (a partial strobe makes it a read-modify-write) and written
//       as one transaction after WLAST; B follows after the annotated delay.
// A failed transaction answers DECERR (as sim/axi_dram.c past memory).  A burst that crosses 4 KiB, a
// WLAST off the last beat, or a burst type other than INCR is a protocol
// error (error()).  The memory's b_transport must not wait: it is called
// from a method process (loosely timed targets annotate instead).
#ifndef SIM_SYSTEMC_AXI_BRIDGE_H
#define SIM_SYSTEMC_AXI_BRIDGE_H

#include "rtl_sc.h"

#include <functional>
#include <string>
#include <tlm>
#include <vector>

namespace mmu_sc {

class axi_bridge : public sc_core::sc_module {
public:
	// 0 or -1 for a failed transfer; delay is added to.
	using transport_fn = std::function<int(tlm::tlm_command cmd, uint64_t addr,
					       uint8_t *data, size_t len,
					       sc_core::sc_time &delay)>;

	axi_bridge(sc_core::sc_module_name name, rtl_sc_dut &dut,
		   unsigned bus_bytes, sc_core::sc_time period, transport_fn mem);

	const char *error() const { return err_.empty() ? nullptr : err_.c_str(); }
	uint64_t bursts_read = 0, bursts_written = 0;

private:
	struct burst {
		bool active = false;
		uint64_t addr = 0;
		unsigned beats = 0, beat = 0, size = 0;
		bool fail = false;
		uint64_t ready_at = 0;
		std::vector<uint8_t> data, strobe;
	};

	SC_HAS_PROCESS(axi_bridge);
	void on_edge();
	void open_burst(burst &b, const char *ch, uint64_t addr, unsigned len,
			unsigned size, unsigned type);
	uint64_t cycles_of(const sc_core::sc_time &d) const;
	void violation(const std::string &what);

	rtl_sc_dut &dut_;
	unsigned bus_bytes_;
	sc_core::sc_time period_;
	transport_fn mem_;
	rtl_in in_{};  // what the slave drives (the AXI group)
	burst rd_, wr_;
	bool b_pending_ = false, b_fail_ = false;
	uint64_t b_ready_at_ = 0, cycle_ = 0;
	std::string err_;
};

}  // namespace mmu_sc

#endif
