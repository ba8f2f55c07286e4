/* SPDX-License-Identifier: MIT */
/*
 * /proc/PID/maps, formatted as Linux's show_map_vma(): the fixed part,
 * then, when the area has a name, spaces up to column 73 and the name.  A
 * nameless line keeps the space after the inode number.
 */
#include "os_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t len, n;
};

static void put(struct out *o, const char *s, size_t k)
{
	for (size_t i = 0; i < k; i++, o->n++)
		if (o->n + 1 < o->len)
			o->buf[o->n] = s[i];
}

static const char *vma_name(const struct mm *mm, const struct vma *v)
{
	if (v->ino)
		return v->ino->path;
	/* vma_is_initial_heap() (Linux 6.7+): overlapping [start_brk, brk),
	 * so an empty heap names nothing */
	if (v->start < mm->brk && v->end > mm->start_brk)
		return "[heap]";
	if (mm->start_stack && v->start <= mm->start_stack &&
	    v->end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_vma(struct out *o, const struct mm *mm, const struct vma *v)
{
	char line[160];
	const char *name = vma_name(mm, v);
	unsigned long long pgoff = v->ino ? v->pgoff << PG_SHIFT : 0;
	int n = snprintf(line, sizeof(line),
			 "%08llx-%08llx %c%c%c%c %08llx %02llx:%02llx %llu ",
			 (unsigned long long)v->start,
			 (unsigned long long)v->end,
			 (v->flags & VM_READ) ? 'r' : '-',
			 (v->flags & VM_WRITE) ? 'w' : '-',
			 (v->flags & VM_EXEC) ? 'x' : '-',
			 (v->flags & VM_MAYSHARE) ? 's' : 'p', pgoff,
			 (unsigned long long)(v->ino ? v->ino->dev_major : 0),
			 (unsigned long long)(v->ino ? v->ino->dev_minor : 0),
			 (unsigned long long)(v->ino ? v->ino->ino : 0));

	put(o, line, (size_t)n);
	if (name) {
		/* seq_setwidth(72) + seq_pad(' '): pad to 72, one space. */
		for (; n < 72; n++)
			put(o, " ", 1);
		put(o, " ", 1);
		put(o, name, strlen(name));
		if (v->ino && v->ino->unlinked)
			put(o, " (deleted)", 10);
	}
	put(o, "\n", 1);
}

int os_maps(struct os *os, int pid, char *buf, size_t len)
{
	struct proc *p = k_proc_find(os, pid);
	struct out o = { buf, len, 0 };

	if (!p)
		return -ESRCH;
	for (size_t i = 0; i < p->mm->nv; i++)
		show_vma(&o, p->mm, &p->mm->v[i]);
	if (len)
		buf[o.n < len ? o.n : len - 1] = 0;
	return (int)o.n;
}
