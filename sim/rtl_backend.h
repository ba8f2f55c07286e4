/* SPDX-License-Identifier: MIT */
/*
 * The Verilated RTL as a named back end of machine_open()
 * (sw/backend/backend.h): "--backend rtl", and the DUT of "lockstep".
 * Programs linked with the RTL call rtl_backend_register() once, first.
 */
#ifndef SIM_RTL_BACKEND_H
#define SIM_RTL_BACKEND_H

/* Returns 0, or MMU_EINVAL when the DUT table is full. */
int rtl_backend_register(void);

#endif
