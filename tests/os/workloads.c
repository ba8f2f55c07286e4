/* SPDX-License-Identifier: MIT */
/*
 * Workloads shared by the golden-model tests and the lockstep tests: a
 * seeded fork storm and a swap-pressure run, each checked against shadow
 * copies with os_check along the way.
 */
#define _GNU_SOURCE
#include "workloads.h"
#include "../../sw/regress/regress.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#define PG 4096ull
#define A (MAP_PRIVATE | MAP_ANONYMOUS)

static struct regress_rng rng = { 0x9e3779b97f4a7c15ull };

static uint64_t rnd(uint64_t n)
{
	return regress_rng_below(&rng, n);
}

#define NPG 12
#define NSH 3
#define MAXP 10
#define STEPS 2000

struct shadow {
	int pid;
	bool mapped[NPG], ro[NPG];
	uint64_t val[NPG];
};


static struct shadow procs[MAXP];
static int nprocs;
static uint64_t shared_val[NSH];
static uint64_t region, shregion;

static struct shadow *cur(struct tos *t)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == os_current(t->os))
			return &procs[i];
	return NULL;
}

static void verify(struct tos *t, struct shadow *s)
{
	for (int i = 0; i < NPG; i++) {
		uint64_t va = region + i * PG;

		if (!s->mapped[i])
			EQ(tos_sig(t, MMU_LOAD, va), SIGSEGV);
		else
			EQ(tos_ld(t, va, 8), s->val[i]);
	}
	for (int i = 0; i < NSH; i++)
		EQ(tos_ld(t, shregion + i * PG, 8), shared_val[i]);
}

static void step(struct tos *t, unsigned *ops)
{
	struct shadow *s = cur(t);
	int i = (int)rnd(NPG), child;

	switch (rnd(10)) {
	case 0: /* fork */
		if (nprocs == MAXP)
			break;
		EQ(os_fork(t->os, &child), 0);
		procs[nprocs] = *s;
		procs[nprocs++].pid = child;
		ops[0]++;
		break;
	case 1: /* exit someone (never the last one) */
		if (nprocs < 2)
			break;
		i = (int)rnd((uint64_t)nprocs);
		EQ(os_exit(t->os, procs[i].pid), 0);
		procs[i] = procs[--nprocs];
		if (os_current(t->os) < 0)
			EQ(os_switch(t->os, procs[0].pid), 0);
		ops[1]++;
		break;
	case 2: /* switch */
		EQ(os_switch(t->os, procs[rnd((uint64_t)nprocs)].pid), 0);
		break;
	case 3: case 4: case 5: /* write */
		if (!s->mapped[i] || s->ro[i]) {
			EQ(tos_sig(t, MMU_STORE, region + i * PG), SIGSEGV);
			break;
		}
		s->val[i] = regress_rng_next(&rng);
		tos_st(t, region + i * PG, 8, s->val[i]);
		ops[2]++;
		break;
	case 6: /* shared write */
		i = (int)rnd(NSH);
		shared_val[i] = regress_rng_next(&rng);
		tos_st(t, shregion + i * PG, 8, shared_val[i]);
		break;
	case 7: /* munmap or mmap back */
		if (s->mapped[i]) {
			EQ(os_munmap(t->os, region + i * PG, PG), 0);
			s->mapped[i] = false;
		} else {
			EQ(os_mmap(t->os, region + i * PG, PG, 3, A | MAP_FIXED,
				   -1, 0), (int64_t)(region + i * PG));
			s->mapped[i] = true;
			s->ro[i] = false;
			s->val[i] = 0;
		}
		ops[3]++;
		break;
	case 8: /* mprotect */
		if (!s->mapped[i])
			break;
		s->ro[i] = !s->ro[i];
		EQ(os_mprotect(t->os, region + i * PG, PG,
			       s->ro[i] ? PROT_READ : PROT_READ | PROT_WRITE), 0);
		ops[4]++;
		break;
	default:
		verify(t, s);
	}
	tos_check(t);
}

void wl_storm(const char *backend, const char *cfg, const char *const *set,
	      unsigned steps)
{
	struct tos t;
	struct os_stats st;
	unsigned ops[5] = { 0 };

	tos_boot_set(&t, backend, cfg, set, 0, NULL);
	nprocs = 1;
	memset(procs, 0, sizeof(procs));
	memset(shared_val, 0, sizeof(shared_val));
	procs[0].pid = tos_proc(&t);
	region = (uint64_t)os_mmap(t.os, 0, NPG * PG, 3, A, -1, 0);
	shregion = (uint64_t)os_mmap(t.os, 0, NSH * PG, 3,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < NPG; i++)
		procs[0].mapped[i] = true;
	for (unsigned k = 0; k < steps; k++)
		step(&t, ops);
	for (int i = 0; i < nprocs; i++) {
		EQ(os_switch(t.os, procs[i].pid), 0);
		verify(&t, &procs[i]);
	}
	while (nprocs) {
		EQ(os_exit(t.os, procs[--nprocs].pid), 0);
		tos_check(&t);
	}
	os_stats(t.os, &st);
	EQ(st.frames_in_use, 0);
	EQ(st.swap_slots_used, 0);
	printf("storm (%s, %s%s): %u steps, %u forks, %u exits, %u writes, "
	       "%u map/unmaps, %u mprotects; %llu COW copies, %llu reuses; "
	       "os_check after each step; 0 frames left\n", backend, cfg,
	       set ? " with a changed key" : "", steps, ops[0], ops[1], ops[2], ops[3], ops[4],
	       (unsigned long long)st.cow_copies,
	       (unsigned long long)st.cow_reuses);
	tos_halt(&t);
}

void wl_pressure(const char *backend, uint64_t mem, unsigned npages,
		 unsigned steps)
{
	struct tos t;
	struct os_opts o = { .swap_bytes = 8ull << 20 };
	struct os_stats st;
	uint64_t *shadow = calloc(npages, sizeof(*shadow));

	tos_boot(&t, backend, "x86", mem, &o);
	tos_proc(&t);
	uint64_t p = (uint64_t)os_mmap(t.os, 0, npages * PG, 3, A, -1, 0);

	for (unsigned k = 0; k < steps; k++) {
		unsigned i = (unsigned)rnd(npages);
		uint64_t off = rnd(PG / 8) * 8;

		if (rnd(2)) {
			shadow[i] = regress_rng_next(&rng);
			tos_st(&t, p + i * PG + off, 8, shadow[i]);
			tos_st(&t, p + i * PG, 8, shadow[i]);
		} else {
			EQ(tos_ld(&t, p + i * PG, 8), shadow[i]);
		}
		if (k % 200 == 0)
			tos_check(&t);
	}
	for (unsigned i = 0; i < npages; i++)
		EQ(tos_ld(&t, p + i * PG, 8), shadow[i]);
	os_stats(t.os, &st);
	OK(st.swap_outs > 0 && st.swap_ins > 0 && st.second_chances > 0);
	printf("pressure (%s): %u pages in %llu frames, %u steps: %llu "
	       "swap-outs, %llu swap-ins, %llu second chances, all pages "
	       "match\n", backend, npages, (unsigned long long)st.frames_total,
	       steps, (unsigned long long)st.swap_outs,
	       (unsigned long long)st.swap_ins,
	       (unsigned long long)st.second_chances);
	EQ(os_exit(t.os, os_current(t.os)), 0);
	os_stats(t.os, &st);
	EQ(st.swap_slots_used, 0);
	free(shadow);
	tos_halt(&t);
}

