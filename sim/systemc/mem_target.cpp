// SPDX-License-Identifier: MIT
// The simple memory target: see mem_target.h.
#include "mem_target.h"

#include <stdexcept>

namespace mmu_sc {

using namespace sc_core;

mem_target::mem_target(sc_module_name name, uint64_t bytes, sc_time latency,
		       sc_time per_byte)
	: sc_module(name), socket("socket"), latency_(latency), per_byte_(per_byte)
{
	if (physmem_init(&mem_, bytes))
		throw std::bad_alloc();
	socket.register_b_transport(this, &mem_target::b_transport);
	socket.register_transport_dbg(this, &mem_target::transport_dbg);
	socket.register_get_direct_mem_ptr(this, &mem_target::get_direct_mem_ptr);
}

mem_target::~mem_target()
{
	physmem_free(&mem_);
}

bool mem_target::clear(uint64_t bytes)
{
	if (!bytes)
		bytes = mem_.bytes;
	physmem_free(&mem_);
	socket->invalidate_direct_mem_ptr(0, ~0ull);
	reads = writes = bytes_read = bytes_written = 0;
	return physmem_init(&mem_, bytes) == 0;
}

bool mem_target::load(uint64_t pa, const void *data, size_t len)
{
	return physmem_in_range(&mem_, pa, len) &&
	       physmem_write(&mem_, pa, data, len) == 0;
}

tlm::tlm_response_status mem_target::serve(tlm::tlm_generic_payload &t)
{
	uint64_t pa = t.get_address();
	unsigned len = t.get_data_length();

	if (t.get_byte_enable_ptr())
		return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
	if (t.get_streaming_width() < len)
		return tlm::TLM_BURST_ERROR_RESPONSE;
	if (!physmem_in_range(&mem_, pa, len))
		return tlm::TLM_ADDRESS_ERROR_RESPONSE;
	if (t.is_read()) {
		physmem_read(&mem_, pa, t.get_data_ptr(), len);
	} else if (t.is_write()) {
		if (physmem_write(&mem_, pa, t.get_data_ptr(), len))
			return tlm::TLM_GENERIC_ERROR_RESPONSE;
	}
	return tlm::TLM_OK_RESPONSE;
}

void mem_target::b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
	tlm::tlm_response_status st = serve(t);

	t.set_response_status(st);
	if (st != tlm::TLM_OK_RESPONSE)
		return;
	if (t.is_read()) {
		reads++;
		bytes_read += t.get_data_length();
	} else if (t.is_write()) {
		writes++;
		bytes_written += t.get_data_length();
	}
	delay += latency_ + per_byte_ * (double)t.get_data_length();
	t.set_dmi_allowed(true);
}

unsigned int mem_target::transport_dbg(tlm::tlm_generic_payload &t)
{
	return serve(t) == tlm::TLM_OK_RESPONSE ? t.get_data_length() : 0;
}

bool mem_target::get_direct_mem_ptr(tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi)
{
	uint64_t base = 0, end;
	uint8_t *p;

	if (t.get_address() >= mem_.bytes)
		return false;
	p = physmem_chunk(&mem_, t.get_address(), &base);
	if (!p)
		return false;
	end = base + (1ull << PHYSMEM_CHUNK_SHIFT) - 1;
	if (end >= mem_.bytes)
		end = mem_.bytes - 1;
	dmi.set_dmi_ptr(p);
	dmi.set_start_address(base);
	dmi.set_end_address(end);
	dmi.allow_read_write();
	dmi.set_read_latency(latency_);
	dmi.set_write_latency(latency_);
	return true;
}

}  // namespace mmu_sc
