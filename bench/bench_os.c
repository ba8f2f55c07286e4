/* SPDX-License-Identifier: MIT */
/*
 * The OS through the whole stack (issue 4 figures): page faults per second
 * (demand-zero anonymous pages) on the golden model and in lockstep with the
 * RTL, and the cost in simulated RTL cycles of fork, of a copy-on-write
 * fault and of execve.  Figures only, never pass/fail.
 */
#define _GNU_SOURCE
#include "bench_cli.h"
#include "../sim/rtl_backend.h"
#include "../sim/systemc/sc_backend.h"
#include "../sw/config/config.h"
#include "../sw/backend/backend.h"
#include "../sw/os/os.h"
#include "bench.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PAGES 2048  /* 8 MiB of anonymous memory */

#define now bench_now

/* A figure's TSV row: "BACKEND, N pages: WHAT" on x86. */
static void fig(const char *backend, const char *what, double v,
		const char *unit)
{
	char f[160];

	snprintf(f, sizeof(f), "%s, %u pages: %s", backend, PAGES, what);
	bench_fig("x86", f, v, unit);
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_os: %s: %s\n", what, msg);
	exit(1);
}

static uint64_t cycles(struct machine *m)
{
	struct mmu_counters c;

	machine_counters(m, &c);
	return c.cycles;
}

static void touch(struct os *os, uint64_t base, unsigned pages, uint64_t v)
{
	for (unsigned i = 0; i < pages; i++) {
		int sig = 0;

		if (os_access(os, MMU_STORE, base + i * 4096ull, 8, v + i, NULL,
			      &sig) || sig)
			die("store", "the access failed");
	}
}

static void run(const char *backend)
{
	struct mmu_config cfg;
	struct machine *m;
	struct os *os;
	struct os_opts oo = { 0 };
	struct os_stats s0, s1;
	char err[256];
	int pid, child;
	int64_t base;
	double t;
	uint64_t c0;

	if (mmu_config_load("x86", &cfg, err, sizeof(err)) ||
	    machine_open(backend, &cfg, 0, NULL, &m, err, sizeof(err)) ||
	    os_create(m, &oo, &os, err, sizeof(err)))
		die(backend, err);
	if (os_spawn(os, &pid) || os_switch(os, pid))
		die(backend, "spawn");
	base = os_mmap(os, 0, PAGES * 4096ull, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base < 0)
		die(backend, "mmap");

	os_stats(os, &s0);
	t = now();
	c0 = cycles(m);
	touch(os, (uint64_t)base, PAGES, 1);
	t = now() - t;
	os_stats(os, &s1);
	printf("%-9s demand-zero: %llu faults in %.3f s = %.0f faults/s",
	       backend, (unsigned long long)(s1.minor_faults - s0.minor_faults),
	       t, (double)(s1.minor_faults - s0.minor_faults) / t);
	if (cycles(m))
		printf(", %.0f cycles per fault", (double)(cycles(m) - c0) /
		       (double)(s1.minor_faults - s0.minor_faults));
	printf("\n");
	fig(backend, "demand-zero faults/s", (double)(s1.minor_faults -
	    s0.minor_faults) / t, "faults/s");
	if (cycles(m))
		fig(backend, "cycles per demand-zero fault", (double)(cycles(m) -
		    c0) / (double)(s1.minor_faults - s0.minor_faults), "cycles");

	c0 = cycles(m);
	t = now();
	if (os_fork(os, &child))
		die(backend, "fork");
	t = now() - t;
	printf("%-9s fork of %u resident pages: %.1f ms", backend, PAGES, t * 1e3);
	fig(backend, "fork of the resident pages: time", t * 1e3, "ms");
	if (cycles(m)) {
		printf(", %llu cycles", (unsigned long long)(cycles(m) - c0));
		fig(backend, "fork of the resident pages: cycles",
		    (double)(cycles(m) - c0), "cycles");
	}
	printf("\n");

	if (os_switch(os, child))
		die(backend, "switch");
	os_stats(os, &s0);
	c0 = cycles(m);
	touch(os, (uint64_t)base, PAGES / 4, 2);
	os_stats(os, &s1);
	printf("%-9s copy-on-write: %llu copies", backend,
	       (unsigned long long)(s1.cow_copies - s0.cow_copies));
	if (cycles(m) && s1.cow_copies > s0.cow_copies) {
		printf(", %.0f cycles per COW fault",
		       (double)(cycles(m) - c0) /
		       (double)(s1.cow_copies - s0.cow_copies));
		fig(backend, "cycles per copy-on-write fault",
		    (double)(cycles(m) - c0) /
		    (double)(s1.cow_copies - s0.cow_copies), "cycles");
	}
	printf("\n");

	c0 = cycles(m);
	t = now();
	if (os_execve(os, "/bin/true"))
		die(backend, "execve /bin/true");
	t = now() - t;
	printf("%-9s execve /bin/true: %.1f ms", backend, t * 1e3);
	fig(backend, "execve /bin/true: time", t * 1e3, "ms");
	if (cycles(m)) {
		printf(", %llu cycles", (unsigned long long)(cycles(m) - c0));
		fig(backend, "execve /bin/true: cycles",
		    (double)(cycles(m) - c0), "cycles");
	}
	printf("\n");
	os_destroy(os);
	machine_destroy(m);
}

int main(int argc, char **argv)
{
	int rc = bench_args(argc, argv, "bench_os",
			    "Page faults per second through the OS (golden model "
			    "and lockstep), and\nfork, copy-on-write and execve "
			    "in simulated RTL cycles.  Figures, never\npass/fail."
			    "\n");

	if (rc >= 0)
		return rc;
	if (systemc_backend_register() || rtl_backend_register())
		die("setup", "cannot register the RTL and SystemC back ends");
	printf("bench_os: x86, %u anonymous pages, through the OS and the MMU\n",
	       PAGES);
	bench_tsv_open("bench_os");
	run("golden");
	run("lockstep");
	return 0;
}
