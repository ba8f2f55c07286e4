// SPDX-License-Identifier: MIT
// Driving a Verilated SystemC model through the C glue: see rtl_sc.h.
#include "rtl_sc.h"

#include <cstring>
#include <map>
#include <memory>
#include <string>

namespace mmu_sc {

using namespace sc_core;

namespace {

rtl_sc_drive *drv(void *h)
{
	return static_cast<rtl_sc_drive *>(h);
}

// The AXI inputs are the bridge's: a second writer would be an error.
void write_own(rtl_sc_drive *d, const rtl_in *in)
{
	if (in && (in->dirty & ~RTL_IN_AXI)) {
		rtl_in mine = *in;

		mine.dirty &= (uint8_t)~RTL_IN_AXI;
		d->dut->write_inputs(mine);
	}
}

// Let the writes and the model's combinational logic settle (deltas).
void settle_deltas()
{
	do
		wait(SC_ZERO_TIME);
	while (sc_pending_activity_at_current_time());
}

void *no_create()
{
	return nullptr;
}

void no_destroy(void *) {}  // the model lives with the platform

void eval(void *h, const rtl_in *in, rtl_out *out)
{
	write_own(drv(h), in);
	settle_deltas();
	drv(h)->dut->read_outputs(*out);
}

// One cycle of the gated clock: high at the sc_clock's rising edge, low at
// its falling edge.  The outputs are read at the falling edge: they settled
// in the deltas after the rising one (the clock going low changes none).
void tick(void *h, const rtl_in *in, rtl_out *out)
{
	rtl_sc_drive *d = drv(h);

	write_own(d, in);
	wait(d->clock->posedge_event());
	d->dut->clk().write(true);
	wait(d->clock->negedge_event());
	d->dut->clk().write(false);
	d->dut->read_outputs(*out);
}

void arch(void *h, rtl_arch *a)
{
	drv(h)->dut->arch(*a);
}

void counters(void *h, rtl_cnt *c)
{
	drv(h)->dut->counters(*c);
}

int errors(void *h)
{
	return drv(h)->dut->errors();
}

int trace_open(void *h, const char *path)
{
	return drv(h)->dut->trace_open(path);
}

void trace_dump(void *, uint64_t) {}  // the FST follows SystemC time

void trace_close(void *h)
{
	drv(h)->dut->trace_close();
}

void coverage_write(void *, const char *) {}

void debug(void *h, const rtl_dbg_in *in, rtl_dbg_out *out)
{
	drv(h)->dut->debug(in, *out);
}

}  // namespace

const rtl_sc_model *rtl_sc_find(const char *config)
{
	for (size_t i = 0; rtl_sc_models[i]; i++)
		if (!std::strcmp(rtl_sc_models[i]->config, config))
			return rtl_sc_models[i];
	return nullptr;
}

std::string rtl_sc_list()
{
	std::string s;

	for (size_t i = 0; rtl_sc_models[i]; i++)
		s += (i ? " " : "") + std::string(rtl_sc_models[i]->config);
	return s;
}

const vshim_ops *rtl_sc_ops(const rtl_sc_model *m)
{
	static std::map<const rtl_sc_model *, std::unique_ptr<vshim_ops>> made;
	std::unique_ptr<vshim_ops> &v = made[m];

	if (!v)
		v.reset(new vshim_ops{
			m->config, m->model, m->gflags, m->traced, 0, no_create,
			no_destroy, eval, tick, arch, counters, errors,
			trace_open, trace_dump, trace_close, coverage_write, debug,
		});
	return v.get();
}

}  // namespace mmu_sc
