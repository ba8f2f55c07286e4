/* SPDX-License-Identifier: MIT */
/* The one PRNG, and the control-register values the generator writes. */
#include "regress.h"

void regress_rng_seed(struct regress_rng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ull + 1;
	if (!r->s)  /* the one seed that lands on xorshift's fixed point */
		r->s = 0x9E3779B97F4A7C15ull;
}

uint64_t regress_rng_next(struct regress_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

uint64_t regress_rng_below(struct regress_rng *r, uint64_t n)
{
	return n ? regress_rng_next(r) % n : 0;
}

/* The bits 64-bit mode requires (machine.h): clearing one is a #GP. */
uint64_t regress_cr0(uint64_t bits)
{
	return CR0_PE | CR0_PG | bits;
}

uint64_t regress_cr4(uint64_t bits)
{
	return CR4_PAE | bits;
}

uint64_t regress_efer(uint64_t bits)
{
	return EFER_LME | bits;
}
