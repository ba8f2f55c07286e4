/* SPDX-License-Identifier: MIT */
/* AXI4 slave + DRAM model: see axi_dram.h. */
#include "axi_dram.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define AXI_BURST_INCR 1
#define AXI_RESP_OKAY 0
#define AXI_RESP_DECERR 3
#define AXI_BOUNDARY 4096

int axi_dram_init(struct axi_dram *d, uint64_t bytes, unsigned bus_bytes,
		  const struct axi_dram_opts *o)
{
	memset(d, 0, sizeof(*d));
	d->bytes = bytes;
	d->bus_bytes = bus_bytes;
	d->o = *o;
	if (d->o.backpressure_pct > 100)
		d->o.backpressure_pct = 100;
	/* xorshift64* needs a non-zero state. */
	d->rng = o->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!d->rng)
		d->rng = 1;
	return physmem_init(&d->mem, bytes);
}

void axi_dram_free(struct axi_dram *d)
{
	physmem_free(&d->mem);
}

static bool stall(struct axi_dram *d)
{
	uint64_t x = d->rng;

	if (!d->o.backpressure_pct)
		return false;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rng = x;
	return (x * 0x2545f4914f6cdd1dull >> 32) % 100 < d->o.backpressure_pct;
}

static void violation(struct axi_dram *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void violation(struct axi_dram *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->err[0])
		return;
	n = snprintf(d->err, sizeof(d->err), "AXI protocol, cycle %llu: ",
		     (unsigned long long)d->cycle);
	va_start(ap, fmt);
	vsnprintf(d->err + n, sizeof(d->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

static uint64_t beat_addr(const struct axi_burst *b)
{
	return b->addr + (uint64_t)b->beat * b->size;
}

void axi_dram_drive_slow(struct axi_dram *d, struct rtl_in *in)
{
	/* Quiet: no burst, no response owed, no back-pressure to draw (a
	 * repeated quiet cycle returned in axi_dram_drive). */
	if (!d->rd.active && !d->wr.active && !d->b_pending &&
	    !d->o.backpressure_pct) {
		d->quiet_driven = true;
		in->dirty |= RTL_IN_AXI;
		in->arready = 1;
		in->awready = 1;
		in->wready = 0;
		in->rvalid = 0;
		in->rdata = 0;
		in->rresp = AXI_RESP_OKAY;
		in->rlast = 0;
		in->rid = 0;
		in->bvalid = 0;
		in->bresp = AXI_RESP_OKAY;
		in->bid = 0;
		d->stall_ar = d->stall_aw = d->stall_w = false;
		return;
	}
	d->quiet_driven = false;
	in->dirty |= RTL_IN_AXI;
	d->stall_ar = !d->rd.active && stall(d);
	d->stall_aw = !d->wr.active && !d->b_pending && stall(d);
	d->stall_w = d->wr.active && stall(d);
	in->arready = !d->rd.active && !d->stall_ar;
	in->awready = !d->wr.active && !d->b_pending && !d->stall_aw;
	in->wready = d->wr.active && !d->stall_w;

	if (d->rd.active && d->cycle >= d->rd.ready_at && !d->r_offered) {
		d->r_offered = !stall(d);
		d->held_r += !d->r_offered;
	}
	in->rvalid = d->r_offered;
	in->rdata = 0;
	in->rresp = AXI_RESP_OKAY;
	in->rlast = 0;
	in->rid = 0;
	if (d->r_offered) {
		uint64_t a = beat_addr(&d->rd);
		uint8_t buf[8] = { 0 };
		unsigned lane = (unsigned)(a % d->bus_bytes);

		if (!d->rd.decerr)
			axi_dram_read(d, a, buf, d->rd.size);
		for (unsigned i = 0; i < d->rd.size; i++)
			in->rdata |= (uint64_t)buf[i] << (8 * (lane + i));
		in->rresp = d->rd.decerr ? AXI_RESP_DECERR : AXI_RESP_OKAY;
		in->rlast = d->rd.beat + 1 == d->rd.beats;
	}

	if (d->b_pending && d->cycle >= d->b_ready_at && !d->b_offered) {
		d->b_offered = !stall(d);
		d->held_b += !d->b_offered;
	}
	in->bvalid = d->b_offered;
	in->bresp = d->b_decerr ? AXI_RESP_DECERR : AXI_RESP_OKAY;
	in->bid = 0;
}

/* Check an AR or AW request and turn it into a burst. */
static void start_burst(struct axi_dram *d, struct axi_burst *b, const char *ch,
			uint64_t addr, unsigned len, unsigned size, unsigned burst,
			unsigned id, unsigned latency)
{
	uint64_t bytes;

	b->active = true;
	b->addr = addr;
	b->beats = len + 1;
	b->beat = 0;
	b->size = 1u << size;
	b->ready_at = d->cycle + 1 + latency;
	bytes = (uint64_t)b->beats * b->size;
	if (burst != AXI_BURST_INCR)
		violation(d, "%s burst type %u (only INCR is used)", ch, burst);
	if (b->size > d->bus_bytes)
		violation(d, "%s size %u bytes wider than the %u-byte bus", ch,
			  b->size, d->bus_bytes);
	if (addr % b->size)
		violation(d, "%s address %#llx not aligned to the %u-byte beat",
			  ch, (unsigned long long)addr, b->size);
	if ((addr % AXI_BOUNDARY) + bytes > AXI_BOUNDARY)
		violation(d, "%s burst at %#llx of %llu bytes crosses a 4 KiB boundary",
			  ch, (unsigned long long)addr, (unsigned long long)bytes);
	if (id)
		violation(d, "%s ID %u (the MMU uses ID 0)", ch, id);
	b->decerr = addr >= d->bytes || bytes > d->bytes - addr;
	if (b->decerr)
		d->decerrs++;
}

#define STABLE(field) (out->field == d->prev.field)

void axi_dram_clock_slow(struct axi_dram *d, const struct rtl_in *in,
			 const struct rtl_out *out)
{
	/* (A quiet cycle returned in axi_dram_clock.) */
	/* VALID may not drop, nor the payload change, before READY. */
	if (d->prev_ar_wait &&
	    !(out->arvalid && STABLE(araddr) && STABLE(arlen) && STABLE(arsize) &&
	      STABLE(arburst) && STABLE(arid)))
		violation(d, "AR changed or dropped while ARVALID && !ARREADY");
	if (d->prev_aw_wait &&
	    !(out->awvalid && STABLE(awaddr) && STABLE(awlen) && STABLE(awsize) &&
	      STABLE(awburst) && STABLE(awid)))
		violation(d, "AW changed or dropped while AWVALID && !AWREADY");
	if (d->prev_w_wait &&
	    !(out->wvalid && STABLE(wdata) && STABLE(wstrb) && STABLE(wlast)))
		violation(d, "W changed or dropped while WVALID && !WREADY");
	d->held_ar += out->arvalid && d->stall_ar;
	d->held_aw += out->awvalid && d->stall_aw;
	d->held_w += out->wvalid && d->stall_w;

	if (out->arvalid && in->arready) {
		start_burst(d, &d->rd, "AR", out->araddr, out->arlen, out->arsize,
			    out->arburst, out->arid, d->o.rd_latency);
		d->reads++;
	}
	if (in->rvalid && out->rready) {
		d->r_offered = false;
		if (++d->rd.beat == d->rd.beats)
			d->rd.active = false;
		else
			d->rd.ready_at = d->cycle + 1;
	}
	if (out->awvalid && in->awready) {
		start_burst(d, &d->wr, "AW", out->awaddr, out->awlen, out->awsize,
			    out->awburst, out->awid, 0);
		d->writes++;
	}
	if (out->wvalid && in->wready) {
		struct axi_burst *b = &d->wr;
		uint64_t a = beat_addr(b);
		bool last = b->beat + 1 == b->beats;

		if (out->wlast != last)
			violation(d, "WLAST %s on beat %u of %u",
				  out->wlast ? "set" : "missing", b->beat + 1,
				  b->beats);
		if (!b->decerr) {
			unsigned lane = (unsigned)(a % d->bus_bytes);

			for (unsigned i = 0; i < b->size; i++) {
				uint8_t v = (uint8_t)(out->wdata >> (8 * (lane + i)));

				if (!(out->wstrb >> (lane + i) & 1))
					continue;
				if (physmem_write(&d->mem, a + i, &v, 1))
					violation(d, "out of host memory");
			}
		}
		b->beat++;
		if (last) {
			b->active = false;
			d->b_pending = true;
			d->b_decerr = b->decerr;
			d->b_ready_at = d->cycle + 1 + d->o.wr_latency;
		}
	}
	if (in->bvalid && out->bready) {
		d->b_pending = false;
		d->b_offered = false;
	}

	/* The payloads compared next cycle (only read while VALID). */
	if (out->arvalid) {
		d->prev.araddr = out->araddr;
		d->prev.arlen = out->arlen;
		d->prev.arsize = out->arsize;
		d->prev.arburst = out->arburst;
		d->prev.arid = out->arid;
	}
	if (out->awvalid) {
		d->prev.awaddr = out->awaddr;
		d->prev.awlen = out->awlen;
		d->prev.awsize = out->awsize;
		d->prev.awburst = out->awburst;
		d->prev.awid = out->awid;
	}
	if (out->wvalid) {
		d->prev.wdata = out->wdata;
		d->prev.wstrb = out->wstrb;
		d->prev.wlast = out->wlast;
	}
	d->prev_ar_wait = out->arvalid && !in->arready;
	d->prev_aw_wait = out->awvalid && !in->awready;
	d->prev_w_wait = out->wvalid && !in->wready;
	d->cycle++;
}
