// SPDX-License-Identifier: MIT
// The AXI-to-TLM adapter: see axi_bridge.h.
#include "axi_bridge.h"

namespace mmu_sc {

using namespace sc_core;

static const unsigned AXI_INCR = 1, AXI_OKAY = 0, AXI_DECERR = 3,
		      AXI_BOUNDARY = 4096;

axi_bridge::axi_bridge(sc_module_name name, rtl_sc_dut &dut, unsigned bus_bytes,
		       sc_time period, transport_fn mem)
	: sc_module(name), dut_(dut), bus_bytes_(bus_bytes), period_(period),
	  mem_(std::move(mem))
{
	SC_METHOD(on_edge);
	sensitive << dut_.clk().posedge_event();
}

uint64_t axi_bridge::cycles_of(const sc_time &d) const
{
	double n = d / period_;
	uint64_t c = (uint64_t)n;

	return c + ((double)c < n);
}

void axi_bridge::violation(const std::string &what)
{
	if (err_.empty())
		err_ = "AXI protocol, cycle " + std::to_string(cycle_) + ": " + what;
}

void axi_bridge::open_burst(burst &b, const char *ch, uint64_t addr, unsigned len,
			    unsigned size, unsigned type)
{
	b.active = true;
	b.addr = addr;
	b.beats = len + 1;
	b.beat = 0;
	b.size = 1u << size;
	b.fail = false;
	b.data.assign((size_t)b.beats * b.size, 0);
	b.strobe.assign(b.data.size(), 0);
	if (type != AXI_INCR)
		violation(std::string(ch) + " burst type " + std::to_string(type));
	if (b.size > bus_bytes_ || addr % b.size)
		violation(std::string(ch) + " beat size or alignment");
	if (addr % AXI_BOUNDARY + b.data.size() > AXI_BOUNDARY)
		violation(std::string(ch) + " burst crosses a 4 KiB boundary");
}

void axi_bridge::on_edge()
{
	rtl_out out{};
	sc_time d = SC_ZERO_TIME;

	dut_.read_outputs(out);  // the values settled before this edge
	// ---- handshakes of the cycle that ends here ----
	if (out.arvalid && in_.arready) {
		open_burst(rd_, "AR", out.araddr, out.arlen, out.arsize, out.arburst);
		rd_.fail = mem_(tlm::TLM_READ_COMMAND, rd_.addr, rd_.data.data(),
				rd_.data.size(), d) != 0;
		rd_.ready_at = cycle_ + 1 + cycles_of(d);
		bursts_read++;
	}
	if (in_.rvalid && out.rready && ++rd_.beat == rd_.beats)
		rd_.active = false;
	if (out.awvalid && in_.awready)
		open_burst(wr_, "AW", out.awaddr, out.awlen, out.awsize, out.awburst);
	if (out.wvalid && in_.wready) {
		size_t off = (size_t)wr_.beat * wr_.size;
		unsigned lane = (unsigned)((wr_.addr + off) % bus_bytes_);
		bool last = wr_.beat + 1 == wr_.beats;

		if (out.wlast != last)
			violation("WLAST off the last beat");
		for (unsigned i = 0; i < wr_.size; i++) {
			wr_.data[off + i] = (uint8_t)(out.wdata >> (8 * (lane + i)));
			wr_.strobe[off + i] = out.wstrb >> (lane + i) & 1;
		}
		if (++wr_.beat == wr_.beats) {
			bool whole = true;

			for (uint8_t s : wr_.strobe)
				whole = whole && s;
			if (!whole) {  // read-modify-write of the burst's bytes
				std::vector<uint8_t> old(wr_.data.size());

				wr_.fail = mem_(tlm::TLM_READ_COMMAND, wr_.addr, old.data(),
						old.size(), d) != 0;
				for (size_t i = 0; i < old.size(); i++)
					if (!wr_.strobe[i])
						wr_.data[i] = old[i];
			}
			if (!wr_.fail)
				wr_.fail = mem_(tlm::TLM_WRITE_COMMAND, wr_.addr,
						wr_.data.data(), wr_.data.size(), d) != 0;
			wr_.active = false;
			b_pending_ = true;
			b_fail_ = wr_.fail;
			b_ready_at_ = cycle_ + 1 + cycles_of(d);
			bursts_written++;
		}
	}
	if (in_.bvalid && out.bready)
		b_pending_ = false;
	cycle_++;

	// ---- the slave's side for the next cycle ----
	in_.dirty = RTL_IN_AXI;
	in_.arready = !rd_.active;
	in_.awready = !wr_.active && !b_pending_;
	in_.wready = wr_.active;
	in_.rvalid = rd_.active && cycle_ >= rd_.ready_at;
	in_.rdata = 0;
	in_.rlast = 0;
	in_.rresp = AXI_OKAY;
	in_.rid = 0;
	if (in_.rvalid) {
		size_t off = (size_t)rd_.beat * rd_.size;
		unsigned lane = (unsigned)((rd_.addr + off) % bus_bytes_);

		for (unsigned i = 0; i < rd_.size; i++)
			in_.rdata |= (uint64_t)rd_.data[off + i] << (8 * (lane + i));
		in_.rlast = rd_.beat + 1 == rd_.beats;
		in_.rresp = rd_.fail ? AXI_DECERR : AXI_OKAY;
	}
	in_.bvalid = b_pending_ && cycle_ >= b_ready_at_;
	in_.bresp = b_fail_ ? AXI_DECERR : AXI_OKAY;
	in_.bid = 0;
	dut_.write_inputs(in_);
}

}  // namespace mmu_sc
