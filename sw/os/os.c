/* SPDX-License-Identifier: MIT */
/*
 * Creating and destroying the kernel, error reporting, statistics.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int os_fail(struct os *os, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(os->err, sizeof(os->err), fmt, ap);
	va_end(ap);
	return err;
}

void *k_calloc(struct os *os, uint64_t n, size_t size, const char *what)
{
	void *p = n <= SIZE_MAX / size ? calloc(n ? (size_t)n : 1, size) : NULL;

	if (!p)
		os_fail(os, -ENOMEM, "host out of memory: %s: %llu x %zu bytes "
			"(%.1f GiB)", what, (unsigned long long)n, size,
			(double)n * (double)size / (1ull << 30));
	return p;
}

int os_mchk(struct os *os, int rc, const char *what)
{
	if (rc == 0)
		return 0;
	return os_fail(os, -EIO, "machine: %s: %s (%s)", what,
		       mmu_err_str(rc), os->m->err);
}

const char *os_strerror(const struct os *os)
{
	return os->err;
}

struct machine *os_machine(struct os *os)
{
	return os->m;
}

static int check_config(const struct mmu_config *c, char *err, size_t len)
{
	if (c->page_shift != PG_SHIFT || c->pte_bytes != 8 || c->levels < 2) {
		snprintf(err, len, "os: configuration %s unsupported: the OS "
			 "needs 4 KiB pages, 8-byte entries and >= 2 levels",
			 c->name);
		return -EINVAL;
	}
	/* A page table is one frame: 2^index_bits entries must fit it. */
	if ((1ull << c->index_bits) * c->pte_bytes > PG_SIZE) {
		snprintf(err, len, "os: configuration %s unsupported: %llu "
			 "levels give %u index bits per level, a table of "
			 "%llu entries (%llu KiB) larger than the 4 KiB frame "
			 "the OS keeps a table in (at most %u index bits)",
			 c->name, (unsigned long long)c->levels, c->index_bits,
			 1ull << c->index_bits,
			 ((1ull << c->index_bits) * c->pte_bytes) >> 10,
			 PG_SHIFT - 3);
		return -EINVAL;
	}
	if (c->va_bits < 32) {
		snprintf(err, len, "os: configuration %s: va_bits %llu too "
			 "small for a Linux address-space layout", c->name,
			 (unsigned long long)c->va_bits);
		return -EINVAL;
	}
	return 0;
}

/* Linux's layout without randomization: TASK_SIZE, mmap_base below the
 * stack's rlimit and guard gap (at least 128 MiB below TASK_SIZE). */
static void layout(struct os *os)
{
	const struct mmu_config *c = &os->m->cfg;
	unsigned top = c->canonical == MMU_CANON_SIGN ? (unsigned)c->va_bits - 1
						      : (unsigned)c->va_bits;
	uint64_t gap;

	os->task_size = (1ull << top) - PG_SIZE;
	gap = os->o.stack_rlimit + STACK_GUARD_GAP;
	if (gap < (128ull << 20))
		gap = 128ull << 20;
	if (gap > os->task_size / 6 * 5)
		gap = os->task_size / 6 * 5;
	os->mmap_base = PG_ALIGN(os->task_size - gap);
	os->mmap_min = os->o.mmap_min_addr;
}

static int setup_cpu(struct os *os)
{
	struct machine *m = os->m;
	uint64_t cr4 = CR4_PAE | CR4_SMEP | CR4_SMAP;
	int rc;

	/* The machine is in IA-32e mode already (machine.h): the writes keep
	 * PE, PG, PAE and LME set, as 64-bit code must. */
	rc = machine_write_cr(m, MMU_CTL_WRITE_CR0, CR0_PE | CR0_PG | CR0_WP);
	if (!rc)
		rc = machine_write_cr(m, MMU_CTL_WRITE_EFER, EFER_LME | EFER_NXE);
	if (!rc)
		rc = machine_write_cr(m, MMU_CTL_WRITE_CR3,
				      pt_make(&m->cfg, pfn_pa(os->idle_root),
					      0));
	if (os->pcide)
		cr4 |= CR4_PCIDE;
	/* Protection keys, as Linux on a CPU with PKU (unless no_pku). */
	os->pku = !os->o.no_pku;
	if (os->pku)
		cr4 |= CR4_PKE;
	if (!rc)
		rc = machine_write_cr(m, MMU_CTL_WRITE_CR4, cr4);
	return os_mchk(os, rc, "control registers at start-up");
}

static int opts_init(struct os *os, const struct os_opts *o, char *err,
		     size_t len)
{
	if (o)
		os->o = *o;
	if (!os->o.mmap_min_addr)
		os->o.mmap_min_addr = 65536;
	if (!os->o.stack_rlimit)
		os->o.stack_rlimit = 8ull << 20;
	if (os->o.pcid_limit > 4095) {
		snprintf(err, len, "os: pcid_limit %u > 4095",
			 os->o.pcid_limit);
		return -EINVAL;
	}
	if (os->o.mmap_min_addr & ~PG_MASK) {
		snprintf(err, len, "os: mmap_min_addr not page-aligned");
		return -EINVAL;
	}
	if (os->o.file_root) {
		os->root = strdup(os->o.file_root);
		if (!os->root)
			return -ENOMEM;
	}
	os->o.file_root = os->root;
	return 0;
}

int os_create(struct machine *m, const struct os_opts *opts, struct os **out,
	      char *err, size_t errlen)
{
	struct os *os;
	int rc;

	rc = check_config(&m->cfg, err, errlen);
	if (rc)
		return rc;
	os = calloc(1, sizeof(*os));
	if (!os)
		return -ENOMEM;
	os->m = m;
	os->next_pid = 1;
	rc = opts_init(os, opts, err, errlen);
	if (rc)
		goto fail;
	layout(os);
	k_pcid_init(os);
	rc = k_frame_init(os);
	if (!rc)
		rc = k_swap_init(os);
	if (!rc)
		rc = setup_cpu(os);
	if (rc) {
		snprintf(err, errlen, "%s", os->err[0] ? os->err
						       : strerror(-rc));
		goto fail;
	}
	os->err[0] = 0;
	*out = os;
	return 0;
fail:
	os_destroy(os);
	return rc;
}

void os_destroy(struct os *os)
{
	if (!os)
		return;
	while (os->nprocs > 0)
		os_exit(os, os->procs[0]->pid);
	free(os->procs);
	while (os->inodes) /* only if a reference leaked */
		k_inode_put(os, os->inodes);
	k_hmap_free(&os->ksm);
	k_swap_fini(os);
	k_frame_fini(os);
	free(os->pcid_used);
	free(os->root);
	free(os);
}

void os_last_signal(const struct os *os, struct os_siginfo *si)
{
	*si = os->last_sig;
}

void os_stats(struct os *os, struct os_stats *st)
{
	*st = os->st;
	st->frames_total = os->nframes;
	st->frames_kernel = st->frames_in_use = st->frames_pt = 0;
	st->frames_pagecache = st->frames_ksm = 0;
	for (uint64_t i = 0; i < os->nframes; i++) {
		switch (os->fr[i].kind) {
		case FK_FREE:
			break;
		case FK_KERNEL:
		case FK_ZERO:
			st->frames_kernel++;
			break;
		default:
			st->frames_in_use++;
			st->frames_pt += os->fr[i].kind == FK_PT;
			st->frames_pagecache += os->fr[i].kind == FK_FILE;
			st->frames_ksm += os->fr[i].kind == FK_KSM;
		}
	}
	st->swap_slots_total = os->nslots;
	st->swap_slots_used = os->nslots_used;
	st->processes = (uint64_t)os->nprocs;
}
