/* SPDX-License-Identifier: MIT */
/*
 * Protection keys as Linux gives them on x86 (arch/x86/mm/pkeys.c,
 * mm/mprotect.c): per-mm allocation of the 16 keys with key 0 allocated
 * from the start, the per-thread PKRU, and execute-only memory -- a
 * PROT_EXEC-only mapping gets a key of its own whose PKRU bits disable
 * data access, so the CPU refuses loads (PFEC.PK) while fetches, which
 * keys never govern, still work.
 */
#include "os_int.h"

#include <errno.h>
#include <sys/mman.h>

#define PKEY_ACCESS_MASK (OS_PKEY_DISABLE_ACCESS | OS_PKEY_DISABLE_WRITE)
#define PKRU_BITS_PER_KEY 2

void k_pkeys_mm_init(const struct os *os, struct mm *mm)
{
	/* Key 0, the default, is allocated implicitly -- only when the CPU
	 * has keys: without them Linux leaves the map empty, so pkey_alloc
	 * picks key 0 and fails to give it rights (EINVAL), and no key, not
	 * even 0, may be named to pkey_mprotect or pkey_free. */
	mm->pkey_map = os->pku ? 1 : 0;
	/* Linux sets "no execute-only key" (-1) only with keys; left at 0 it
	 * makes key 0 look taken by execute-only memory, so a key 0 that
	 * pkey_alloc took cannot be given back: the next call says ENOSPC. */
	mm->exec_only_pkey = os->pku ? -1 : 0;
}

/* arch_max_pkey(): 16 with PKU, else only the default key exists. */
static int max_pkey(const struct os *os)
{
	return os->pku ? (int)PTE_NPKEYS : 1;
}

int k_pkru_load(struct os *os, const struct proc *p)
{
	if (!os->pku)
		return 0;
	return os_mchk(os, machine_wrpkru(os->m, p->pkru), "WRPKRU");
}

uint32_t os_pkru(const struct os *os)
{
	return os->cur ? os->cur->pkru : 0;
}

bool k_pkru_allows(const struct os *os, unsigned pkey, bool write)
{
	uint32_t pkru = os_pkru(os);

	if (!os->pku)
		return true;
	if (pkru & PKRU_AD(pkey))
		return false;
	return !write || !(pkru & PKRU_WD(pkey));
}

bool k_pkey_allocated(const struct os *os, const struct mm *mm, int pkey)
{
	if (pkey < 0 || pkey >= max_pkey(os))
		return false;
	if (pkey == mm->exec_only_pkey)
		return false;
	return mm->pkey_map & (1u << pkey);
}

/* mm_pkey_alloc(): the lowest free key, or -1. */
static int mm_pkey_alloc(const struct os *os, struct mm *mm)
{
	uint16_t all = (uint16_t)((1u << max_pkey(os)) - 1);

	if ((mm->pkey_map & all) == all)
		return -1;
	for (int k = 0; k < max_pkey(os); k++)
		if (!(mm->pkey_map & (1u << k))) {
			mm->pkey_map |= (uint16_t)(1u << k);
			return k;
		}
	return -1;
}

/* mm_pkey_free(). */
static int mm_pkey_free(const struct os *os, struct mm *mm, int pkey)
{
	if (!k_pkey_allocated(os, mm, pkey))
		return -EINVAL;
	mm->pkey_map &= (uint16_t)~(1u << pkey);
	return 0;
}

/* arch_set_user_pkey_access() on the current thread. */
static int set_pkey_access(struct os *os, int pkey, unsigned rights)
{
	struct proc *p = os->cur;
	uint32_t mask = (PKRU_AD(pkey) | PKRU_WD(pkey));

	if (!os->pku)
		return -EINVAL;
	p->pkru &= ~mask;
	p->pkru |= (uint32_t)(rights & PKEY_ACCESS_MASK)
		   << (PKRU_BITS_PER_KEY * pkey);
	return k_pkru_load(os, p);
}

int k_execute_only_pkey(struct os *os, struct mm *mm)
{
	int pkey = mm->exec_only_pkey;
	bool fresh = pkey < 0;
	int rc;

	if (!os->pku || !os->cur)
		return -1;
	if (fresh) {
		pkey = mm_pkey_alloc(os, mm);
		if (pkey < 0)
			return -1;
	}
	/* Already access-disabled in this thread's PKRU: nothing to do. */
	if (!fresh && !k_pkru_allows(os, (unsigned)pkey, false))
		return pkey;
	rc = set_pkey_access(os, pkey, OS_PKEY_DISABLE_ACCESS);
	if (rc) {
		if (fresh)
			mm->pkey_map &= (uint16_t)~(1u << pkey);
		return -1;
	}
	mm->exec_only_pkey = pkey;
	return pkey;
}

int k_override_mprotect_pkey(struct os *os, struct mm *mm,
			     const struct vma *v, int prot, int pkey)
{
	if (!os->pku)
		return 0;
	/* pkey_mprotect: the caller's key stands. */
	if (pkey != -1)
		return pkey;
	if (prot == PROT_EXEC) {
		pkey = k_execute_only_pkey(os, mm);
		if (pkey > 0)
			return pkey;
	} else if ((v->flags & VM_ACCESS_FLAGS) == VM_EXEC &&
		   (int)v->pkey == mm->exec_only_pkey) {
		/* Was execute-only, is no longer: back to the default key. */
		return 0;
	}
	return v->pkey;
}

int os_pkey_alloc(struct os *os, unsigned long flags, unsigned long rights)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;
	int pkey, rc;

	if (!mm)
		return -ESRCH;
	if (flags || (rights & ~(unsigned long)PKEY_ACCESS_MASK))
		return -EINVAL;
	pkey = mm_pkey_alloc(os, mm);
	if (pkey < 0)
		return -ENOSPC;
	rc = set_pkey_access(os, pkey, (unsigned)rights);
	if (rc) {
		mm_pkey_free(os, mm, pkey);  /* may fail, as on Linux */
		return rc;
	}
	return pkey;
}

int os_pkey_free(struct os *os, int pkey)
{
	struct mm *mm = os->cur ? os->cur->mm : NULL;

	if (!mm)
		return -ESRCH;
	return mm_pkey_free(os, mm, pkey);
}

int os_pkey_mprotect(struct os *os, uint64_t addr, uint64_t len, int prot,
		     int pkey)
{
	return k_mprotect_pkey(os, addr, len, prot, pkey);
}

int os_pkey_get(struct os *os, int pkey)
{
	if (!os->cur)
		return -ESRCH;
	if (pkey < 0 || pkey >= (int)PTE_NPKEYS)
		return -EINVAL;
	if (!os->pku)
		return -ENOSYS;
	return (int)((os->cur->pkru >> (PKRU_BITS_PER_KEY * pkey)) &
		     PKEY_ACCESS_MASK);
}

int os_pkey_set(struct os *os, int pkey, unsigned rights)
{
	if (!os->cur)
		return -ESRCH;
	if (pkey < 0 || pkey >= (int)PTE_NPKEYS || rights > PKEY_ACCESS_MASK)
		return -EINVAL;
	if (!os->pku)
		return -ENOSYS;
	return set_pkey_access(os, pkey, rights);
}
