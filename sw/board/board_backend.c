/* SPDX-License-Identifier: MIT */
/* The board back end's registration and options: see board_backend.h. */
#include "board_backend.h"
#include "board.h"
#include "backend/backend.h"

#include <stdio.h>
#include <stdlib.h>

/* A decimal environment variable; 0 when unset, -1 when malformed. */
static long env_number(const char *name, long max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	v = strtol(s, &end, 10);
	return (*end || v <= 0 || v > max) ? -1 : v;
}

static int board_open(const struct mmu_config *cfg, uint64_t mem_bytes,
		      const struct backend_opts *o, struct machine **out,
		      char *err, size_t errlen)
{
	long baud = env_number("MMU_BOARD_BAUD", 4000000);
	long timeout = env_number("MMU_BOARD_TIMEOUT", 3600000);
	struct board_opts bo = { .device = getenv("MMU_BOARD_DEVICE") };

	(void)o;  /* the board's memory has its own timing */
	if (baud < 0 || timeout < 0) {
		snprintf(err, errlen, "board: MMU_BOARD_%s must be a positive "
			 "decimal number", baud < 0 ? "BAUD" : "TIMEOUT");
		return MMU_EINVAL;
	}
	bo.baud = (unsigned)baud;
	bo.timeout_ms = (unsigned)timeout;
	return board_create(cfg, mem_bytes, &bo, out, err, errlen);
}

int board_backend_register(void)
{
	static const struct backend_dut board = {
		.name = "board",
		.create = board_open,
		.on_mismatch = NULL,
	};

	return backend_register_dut(&board);
}
