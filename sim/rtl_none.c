/* SPDX-License-Identifier: MIT */
/*
 * Builds without the Verilated RTL (the asan and fuzz variants): the tools
 * link this instead of the RTL and the SystemC platform, so there is no
 * "rtl" or "systemc" back end to register and machine_open names the back
 * ends this build has.
 */
#include "rtl_backend.h"
#include "systemc/sc_backend.h"

int rtl_backend_register(void)
{
	return 0;
}

int systemc_backend_register(void)
{
	return 0;
}
