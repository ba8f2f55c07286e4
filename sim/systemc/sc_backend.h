/* SPDX-License-Identifier: MIT */
/*
 * The SystemC platform as a back end of the machine interface
 * (sw/backend/backend.h).  Every machine call becomes a TLM-2.0
 * transaction that a CPU stand-in (an SC_THREAD with a quantum keeper)
 * sends through the MMU component (mmu_tlm.h):
 *   "systemc"         the component in lockstep mode: the golden model as
 *                     reference checking the RTL (verilator --sc, clocked
 *                     by the platform's sc_clock), whose AXI4 port is
 *                     bridged into the platform's memory target; the first
 *                     difference fails the call;
 *   "systemc-rtl"     the RTL alone behind the sockets;
 *   "systemc-golden"  the golden model alone, its memory in the target.
 * The C caller stays outside SystemC: each call runs the kernel until the
 * transaction is done (sc_pause).  A process elaborates one pool of
 * platforms at its first open: SC_BACKEND_MAX golden ones and
 * SC_BACKEND_MAX per configuration with an RTL model, so that many
 * machines of each kind may be open at once.
 *
 * Programs linked with libmmusystemc.a call systemc_backend_register()
 * once, before rtl_backend_register() (the last registered is lockstep's
 * preferred DUT).
 */
#ifndef SIM_SYSTEMC_SC_BACKEND_H
#define SIM_SYSTEMC_SC_BACKEND_H

#ifdef __cplusplus
extern "C" {
#endif

#define SC_BACKEND_MAX 2

/* Returns 0, or MMU_EINVAL when the DUT table is full. */
int systemc_backend_register(void);

#ifdef __cplusplus
}
#endif

#endif
