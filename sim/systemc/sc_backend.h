/* SPDX-License-Identifier: MIT */
/*
 * The SystemC platform as a back end of the machine interface
 * (sw/lockstep/backend.h).  Every machine call becomes a TLM-2.0
 * transaction that a CPU stand-in (an SC_THREAD with a quantum keeper)
 * sends through the MMU component (mmu_tlm.h):
 *   "systemc"         the component in lockstep mode: the golden model as
 *                     reference, the DUT's memory in the platform's memory
 *                     target; the first difference fails the call;
 *   "systemc-golden"  the golden model alone behind the sockets.
 * The C caller stays outside SystemC: each call runs the kernel until the
 * transaction is done (sc_pause).  A process elaborates one platform pool,
 * so at most SC_BACKEND_MAX systemc machines are open at once.
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

#define SC_BACKEND_MAX 4

/* Returns 0, or MMU_EINVAL when the DUT table is full. */
int systemc_backend_register(void);

#ifdef __cplusplus
}
#endif

#endif
