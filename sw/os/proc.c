/* SPDX-License-Identifier: MIT */
/*
 * Processes: the table, spawn, switch, exit, and the life of an mm.
 */
#include "os_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct proc *k_proc_find(struct os *os, int pid)
{
	for (int i = 0; i < os->nprocs; i++)
		if (os->procs[i]->pid == pid)
			return os->procs[i];
	return NULL;
}

int k_mm_new(struct os *os, struct mm **out)
{
	struct mm *mm = calloc(1, sizeof(*mm));
	int rc;

	if (!mm)
		return -ENOMEM;
	rc = k_frame_alloc(os, FK_PT, &mm->root);
	if (!rc) {
		rc = k_frame_zero(os, mm->root);
		if (rc)
			k_frame_put(os, mm->root);
	}
	if (rc) {
		free(mm);
		return rc;
	}
	mm->start_brk = mm->brk = OS_SPAWN_BRK;
	k_pkeys_mm_init(os, mm);
	*out = mm;
	return 0;
}

int k_mm_destroy(struct os *os, struct mm *mm)
{
	int rc = 0, r;

	for (size_t i = 0; i < mm->nv; i++) {
		struct vma *v = &mm->v[i];

		r = k_zap_range(os, mm, v, v->start, v->end);
		/* Dirty shared pages reach their files at exit. */
		if (!r && v->ino && !v->ino->shmem && (v->flags & VM_SHARED))
			r = k_pc_sync_range(os, v->ino, v->pgoff,
					  vma_index(v, v->end) - 1, true);
		rc = rc ? rc : r;
	}
	for (size_t i = 0; i < mm->nv; i++)
		k_vma_release(os, &mm->v[i]);
	k_mm_set_exe(os, mm, NULL);
	r = k_pt_free_all(os, mm);
	rc = rc ? rc : r;
	k_pcid_release(os, mm);
	free(mm->v);
	free(mm);
	return rc;
}

int k_proc_new(struct os *os, struct proc **out)
{
	struct proc *p;

	if (os->next_pid > 4194304) /* PID_MAX_LIMIT */
		return -EAGAIN;
	if (os->nprocs == os->cap_procs) {
		int cap = os->cap_procs ? os->cap_procs * 2 : 16;
		struct proc **n = realloc(os->procs, (size_t)cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		os->procs = n;
		os->cap_procs = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pid = os->next_pid++;
	p->pkru = os->pku ? PKRU_INIT : 0;
	os->procs[os->nprocs++] = p;
	*out = p;
	return 0;
}

void k_proc_free(struct os *os, struct proc *p)
{
	for (int i = 0; i < os->nprocs; i++) {
		if (os->procs[i] == p) {
			memmove(&os->procs[i], &os->procs[i + 1],
				(size_t)(os->nprocs - i - 1) * sizeof(p));
			os->nprocs--;
			break;
		}
	}
	for (int fd = 0; fd < p->nfds; fd++)
		if (p->fds[fd])
			k_ofile_put(os, p->fds[fd]);
	free(p->fds);
	free(p);
}

int os_spawn(struct os *os, int *pid)
{
	struct proc *p;
	int rc = k_proc_new(os, &p);

	if (rc)
		return rc;
	rc = k_mm_new(os, &p->mm);
	if (rc) {
		k_proc_free(os, p);
		return rc;
	}
	*pid = p->pid;
	return 0;
}

int os_switch(struct os *os, int pid)
{
	struct proc *p = k_proc_find(os, pid);
	int rc;

	if (!p)
		return -ESRCH;
	if (p == os->cur)
		return 0;
	rc = k_mm_activate(os, p->mm);
	if (!rc)
		rc = k_pkru_load(os, p);  /* PKRU is thread state: switched too */
	if (rc)
		return rc;
	os->cur = p;
	return 0;
}

int os_current(struct os *os)
{
	return os->cur ? os->cur->pid : -ESRCH;
}

int os_exit(struct os *os, int pid)
{
	struct proc *p = k_proc_find(os, pid);
	int rc = 0, r;

	if (!p)
		return -ESRCH;
	if (p == os->cur) {
		/* Off its page tables before they are freed. */
		rc = k_mm_activate(os, NULL);
		os->cur = NULL;
	}
	r = k_mm_destroy(os, p->mm);
	rc = rc ? rc : r;
	k_proc_free(os, p);
	os->st.exits++;
	return rc;
}

int os_pids(struct os *os, int *pids, int n)
{
	for (int i = 0; i < os->nprocs && i < n; i++)
		pids[i] = os->procs[i]->pid;
	return os->nprocs;
}
