/* SPDX-License-Identifier: MIT */
/*
 * <mmu/mmu.h>: the umbrella header of the installed tree (docs/install.md).
 * Every public header of the libraries, included from the include root
 * (sw/ in the source tree, PREFIX/include/mmu once installed: pkg-config's
 * Cflags put both it and PREFIX/include on the path).
 *
 *   mmu-golden  config, machine (+ pte, pagetable), golden, lockstep,
 *               cover, backend: what a program that only uses the model and the
 *               checker links (libmmugolden);
 *   mmu         the OS, traces, scenarios, regression, reports, failure
 *               reports and shrinking, the course mode and the FPGA
 *               board's back end (libmmu);
 *   mmu-rtl     the Verilated RTL: its Cflags define MMU_HAVE_RTL, which
 *               adds rtl_backend_register() and the RTL machine here.
 */
#ifndef MMU_MMU_H
#define MMU_MMU_H

#include "config/config.h"
#include "machine/machine.h"
#include "machine/pte.h"
#include "machine/pagetable.h"
#include "golden/golden.h"
#include "lockstep/lockstep.h"
#include "cover/cover.h"
#include "backend/backend.h"

#include "failure/failure.h"
#include "os/os.h"
#include "trace/trace.h"
#include "scenario/scenario.h"
#include "regress/regress.h"
#include "report/report.h"
#include "course/course.h"
#include "board/board.h"
#include "board/board_backend.h"

#if defined(MMU_HAVE_RTL) && MMU_HAVE_RTL
#include "rtl/rtl_backend.h"
#include "rtl/rtl_machine.h"
#endif

#endif
