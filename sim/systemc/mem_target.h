// SPDX-License-Identifier: MIT
// A simple memory target for a TLM-2.0 platform: `bytes` of memory (sparse:
// 64 KiB chunks allocated on first write or DMI request, unwritten bytes
// read as zero), a fixed latency per transaction plus per byte, debug
// transport, and DMI (read and write) per chunk.  Addresses at or past
// `bytes` answer TLM_ADDRESS_ERROR_RESPONSE; byte enables
// TLM_BYTE_ENABLE_ERROR_RESPONSE; a streaming width below the length
// TLM_BURST_ERROR_RESPONSE.  Used by the systemc back end, the tests and
// examples/systemc; a platform may bind any other target instead.
#ifndef SIM_SYSTEMC_MEM_TARGET_H
#define SIM_SYSTEMC_MEM_TARGET_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

extern "C" {
#include "../../sw/golden/physmem.h"
}

namespace mmu_sc {

class mem_target : public sc_core::sc_module {
public:
	tlm_utils::simple_target_socket<mem_target> socket;

	// latency: per transaction; per_byte: added per byte moved.
	mem_target(sc_core::sc_module_name name, uint64_t bytes,
		   sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS),
		   sc_core::sc_time per_byte = sc_core::SC_ZERO_TIME);
	~mem_target() override;

	uint64_t size() const { return mem_.bytes; }
	// Write memory without a transaction (a program image, a test's
	// preset).  False when [pa, pa + len) is outside or out of host memory.
	bool load(uint64_t pa, const void *data, size_t len);
	// Drop every byte (all zero again), now `bytes` of them (0: as many
	// as before), and invalidate DMI pointers given.  Returns false when the
	// host is out of memory.
	bool clear(uint64_t bytes = 0);

	uint64_t reads = 0, writes = 0, bytes_read = 0, bytes_written = 0;

private:
	void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
	unsigned int transport_dbg(tlm::tlm_generic_payload &t);
	bool get_direct_mem_ptr(tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi);
	// TLM_OK_RESPONSE or the error response for t; moves the data if ok.
	tlm::tlm_response_status serve(tlm::tlm_generic_payload &t);

	physmem mem_{};
	sc_core::sc_time latency_, per_byte_;
};

}  // namespace mmu_sc

#endif
