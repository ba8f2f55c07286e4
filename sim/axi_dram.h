/* SPDX-License-Identifier: MIT */
/*
 * An AXI4 slave with a DRAM behind it, in C, for the Verilated MMU.
 *
 * Memory is the golden model's sparse physical memory (sw/golden/physmem.h:
 * chunks allocated on first write; unwritten bytes read as zero).  Timing is cycle based and deterministic for a seed:
 *   - the first R beat of a burst is valid no earlier than rd_latency
 *     cycles after the AR handshake's cycle (+1), B no earlier than
 *     wr_latency cycles after the last W beat (+1);
 *   - with backpressure_pct > 0 every channel is throttled at random: AR, AW
 *     and W ready are dropped, and R and B valid are delayed, each cycle with
 *     that probability (a beat once offered stays offered until taken);
 *   - a burst that touches an address at or past mem_bytes answers DECERR
 *     (reads return zeros; writes change nothing).
 * The slave checks the master's side of the protocol: address, length,
 * size, burst and ID stable while VALID && !READY, the same for W data and
 * WLAST, INCR bursts whose beats fit the data bus and never cross a 4 KiB
 * boundary, WLAST exactly on the last beat, no B/R handshake without a
 * request.  The first violation is kept as a message (axi_dram_error).
 *
 * Use per cycle: axi_dram_drive() sets the slave's outputs for the cycle;
 * the master's outputs are then settled; axi_dram_clock() samples them at
 * the rising edge (handshakes happen there).
 */
#ifndef SIM_AXI_DRAM_H
#define SIM_AXI_DRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtl_ports.h"
#include "golden/physmem.h"

struct axi_dram_opts {
	unsigned rd_latency, wr_latency;
	unsigned backpressure_pct;  /* 0..100 */
	uint64_t seed;
};

struct axi_burst {
	bool active;
	uint64_t addr;
	unsigned beats, beat, size;  /* size: bytes per beat */
	bool decerr;
	uint64_t ready_at;          /* cycle from which the next response may go */
};

struct axi_dram {
	uint64_t bytes;
	unsigned bus_bytes;         /* data-bus width in bytes */
	struct axi_dram_opts o;
	struct physmem mem;
	uint64_t rng, cycle;
	/* slave state */
	struct axi_burst rd, wr;    /* rd: R beats to send; wr: W beats to take */
	bool b_pending;             /* a B response is owed */
	bool b_decerr;
	uint64_t b_ready_at;
	bool r_offered, b_offered;  /* R / B valid this cycle */
	bool quiet_driven;          /* the last drive was the quiet one: the
				     * rtl_in fields still hold its values */
	/* the master's outputs in the previous cycle (stability checks) */
	struct rtl_out prev;
	bool prev_ar_wait, prev_aw_wait, prev_w_wait;
	/* statistics */
	uint64_t reads, writes, decerrs;
	/* back-pressure: cycles the slave's random stalls held the master
	 * back (AR, AW and W READY dropped while VALID; a due R beat or B
	 * response withheld), for the events (sim/rtl_events.c) */
	uint64_t held_ar, held_aw, held_w, held_r, held_b;
	bool stall_ar, stall_aw, stall_w;  /* this cycle's READY draws */
	char err[256];              /* first protocol violation ("" = none) */
};

int axi_dram_init(struct axi_dram *d, uint64_t bytes, unsigned bus_bytes,
		  const struct axi_dram_opts *o);
void axi_dram_free(struct axi_dram *d);

/* The slave's outputs for the current cycle, into the same *in every
 * cycle (only the slave writes those fields): a quiet cycle after a quiet
 * cycle leaves them as they are; a write sets RTL_IN_AXI in in->dirty. */
void axi_dram_drive_slow(struct axi_dram *d, struct rtl_in *in);
static inline void axi_dram_drive(struct axi_dram *d, struct rtl_in *in)
{
	if (d->quiet_driven && !d->rd.active && !d->wr.active &&
	    !d->b_pending && !d->o.backpressure_pct)
		return;
	axi_dram_drive_slow(d, in);
}
/* The rising edge: sample the master's settled outputs, do handshakes. */
void axi_dram_clock_slow(struct axi_dram *d, const struct rtl_in *in,
			 const struct rtl_out *out);
static inline void axi_dram_clock(struct axi_dram *d, const struct rtl_in *in,
				  const struct rtl_out *out)
{
	/* Quiet: no handshake can happen and nothing waits to be checked. */
	if (!out->arvalid && !out->awvalid && !out->wvalid && !in->rvalid &&
	    !in->bvalid && !d->prev_ar_wait && !d->prev_aw_wait &&
	    !d->prev_w_wait) {
		d->cycle++;
		return;
	}
	axi_dram_clock_slow(d, in, out);
}
static inline const char *axi_dram_error(const struct axi_dram *d)
{
	return d->err[0] ? d->err : NULL;
}

/* Direct access to the DRAM (no timing); callers check the range. */
static inline void axi_dram_read(const struct axi_dram *d, uint64_t pa,
				 void *buf, size_t len)
{
	physmem_read(&d->mem, pa, buf, len);
}

#endif
