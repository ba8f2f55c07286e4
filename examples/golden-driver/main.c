/* SPDX-License-Identifier: MIT */
/*
 * golden-driver: a user's first program against the installed MMU tree.
 * It sets up IA-32e paging the way the Intel SDM (Vol. 3A, 4.5 and 9.8.5)
 * describes it -- four tables (PML4, PDPT, PD, PT), CR3 pointing at the
 * PML4, CR4.PAE, EFER.LME, CR0.PG -- then makes a few accesses and prints
 * their outcomes, on each back end named on the command line:
 *   golden-driver [golden] [lockstep] ...
 * "lockstep" compares the golden model with the Verilated RTL; a program
 * linked without the RTL (pkg-config mmu-golden) is refused with a message
 * saying so, and exits 1.
 */
#include <mmu/mmu.h>

#include <stdio.h>
#include <string.h>

/* Physical layout: one page per table, one data page. */
#define PML4_PA 0x1000ull
#define PDPT_PA 0x2000ull
#define PD_PA   0x3000ull
#define PT_PA   0x4000ull
#define DATA_PA 0x10000ull
#define USER_VA 0x00007f0000401000ull  /* PML4 254, PDPT 0, PD 2, PT 1 */
#define TABLE   (PTE_P | PTE_RW | PTE_US)

/* Index of va at paging level `level` (1 = PT, 4 = PML4): 9 bits each. */
static uint64_t index_of(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * (level - 1))) & 0x1ff;
}

static int set_up_paging(struct machine *m)
{
	static const struct { enum mmu_ctl_op op; uint64_t value; } steps[] = {
		{ MMU_CTL_WRITE_CR3, PML4_PA },               /* CR3: the PML4 */
		{ MMU_CTL_WRITE_CR4, CR4_PAE },               /* PAE first */
		{ MMU_CTL_WRITE_EFER, EFER_LME },             /* then LME */
		{ MMU_CTL_WRITE_CR0, CR0_PE | CR0_WP | CR0_PG }, /* then PG */
	};
	const struct { uint64_t table, next; unsigned level; } chain[] = {
		{ PML4_PA, PDPT_PA, 4 }, { PDPT_PA, PD_PA, 3 },
		{ PD_PA, PT_PA, 2 }, { PT_PA, DATA_PA, 1 },
	};
	int rc = 0;

	for (size_t i = 0; i < 4 && !rc; i++)
		rc = machine_pte_write(m, chain[i].table +
				       8 * index_of(USER_VA, chain[i].level),
				       chain[i].next | TABLE);
	for (size_t i = 0; i < 4 && !rc; i++) {
		rc = machine_write_cr(m, steps[i].op, steps[i].value);
		printf("  %-15s %#llx: %s\n", mmu_ctl_op_str(steps[i].op),
		       (unsigned long long)steps[i].value,
		       rc == MMU_EGP ? "#GP" : rc ? mmu_err_str(rc) : "ok");
	}
	if (!rc)
		rc = machine_phys_write64(m, DATA_PA + 0x40, 0x1122334455667788ull);
	return rc;
}

static int run(struct machine *m)
{
	const struct mmu_req reqs[] = {
		{ .va = USER_VA + 0x40, .op = MMU_LOAD, .size = 8, .user = true },
		{ .va = USER_VA + 0x48, .op = MMU_STORE, .size = 4, .user = true,
		  .wdata = 0xcafef00d },
		{ .va = USER_VA + 0x48, .op = MMU_LOAD, .size = 4, .user = true },
		{ .va = USER_VA + 0x1000, .op = MMU_LOAD, .size = 8, .user = true },
		{ .va = 0x8000000000000000ull, .op = MMU_LOAD, .size = 8 },
	};
	struct mmu_outcome o;
	char line[256];
	int rc = set_up_paging(m);

	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]) && !rc; i++) {
		rc = machine_access(m, &reqs[i], &o);
		if (rc)
			break;
		mmu_outcome_format(&o, line, sizeof(line));
		printf("  %-5s %#018llx: %s\n", mmu_op_str(reqs[i].op),
		       (unsigned long long)reqs[i].va, line);
	}
	if (rc)
		fprintf(stderr, "golden-driver: %s: %s\n", mmu_err_str(rc), m->err);
	return rc;
}

int main(int argc, char **argv)
{
	struct mmu_config cfg;
	char err[512];
	int status = 0;

#if defined(MMU_HAVE_RTL) && MMU_HAVE_RTL
	if (rtl_backend_register()) {
		fprintf(stderr, "golden-driver: cannot register the RTL\n");
		return 1;
	}
#endif
	if (mmu_config_load("x86", &cfg, err, sizeof(err))) {
		fprintf(stderr, "golden-driver: %s\n", err);
		return 1;
	}
	for (int i = 1; i < argc || i == 1; i++) {
		const char *backend = argc > 1 ? argv[i] : "golden";
		struct machine *m;

		if (machine_open(backend, &cfg, 0, NULL, &m, err, sizeof(err))) {
			printf("%s: refused: %s\n", backend, err);
			status = 1;
			continue;
		}
		printf("%s (%s):\n", backend,
		       backend_describe(backend, err, sizeof(err)));
		if (run(m))
			status = 1;
		machine_destroy(m);
	}
	return status;
}
