// SPDX-License-Identifier: MIT
// The machine interface (sw/machine/machine.h) on top of the MMU's sockets:
// a CPU model's initiator side.  cpu_port owns the two initiator sockets
// (bound to an mmu_tlm's cpu and ctl), a quantum keeper for the delays the
// MMU annotates, and a struct machine whose every call is a transaction:
//   access      cpu socket, mmu_ext (user, fetch; the outcome back)
//   ctl, regs, counters
//               ctl socket, mmu_ctl_ext
//   phys_read/phys_write
//               cpu socket, mmu_ext::phys
//   mem_peek    the back end's side-effect-free peek (debug transport into
//               the memory target)
// So the C libraries written against the machine interface (the OS, trace
// replay, the regression generator) drive a SystemC platform unchanged.
// Calls must come from an SC_THREAD (they may wait), unless a subclass's
// run() arranges that (sc_backend.cpp steps the kernel from outside).
#ifndef SIM_SYSTEMC_CPU_PORT_H
#define SIM_SYSTEMC_CPU_PORT_H

#include "mmu_tlm.h"

#include <functional>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace mmu_sc {

class cpu_port : public sc_core::sc_module {
public:
	tlm_utils::simple_initiator_socket<cpu_port> cpu, ctl;
	tlm_utils::tlm_quantumkeeper qk;

	explicit cpu_port(sc_core::sc_module_name name);
	~cpu_port() override;
	// Bind both sockets to the MMU (the machine's config comes from it).
	void bind(mmu_tlm &mmu);

	// The machine on these sockets (made at the first call, valid until
	// the port is destroyed; machine_destroy() on it calls release()).
	machine *as_machine();
	mmu_tlm &mmu() { return *mmu_; }

	// Send t on s from a thread, the annotated delay kept by qk.
	void send(tlm_utils::simple_initiator_socket<cpu_port> &s,
		  tlm::tlm_generic_payload &t);
	// Run f where it may wait: here, from the calling thread.  Returns 0,
	// or an MMU_E* code with a message in err.
	virtual int run(const std::function<void()> &f, char *err, size_t errlen);
	// The machine was destroyed.
	virtual void release() {}

	uint64_t dmi_invalidations = 0;

private:
	void dmi_gone(sc_dt::uint64, sc_dt::uint64) { dmi_invalidations++; }
	mmu_tlm *mmu_ = nullptr;
	machine *m_ = nullptr;
};

}  // namespace mmu_sc

#endif
