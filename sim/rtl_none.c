/* SPDX-License-Identifier: MIT */
/*
 * Builds without the Verilated RTL (the asan and fuzz variants): the tools
 * link this instead of the RTL, so there is no "rtl" back end to register
 * and machine_open names the back ends this build has.
 */
#include "rtl_backend.h"

int rtl_backend_register(void)
{
	return 0;
}
