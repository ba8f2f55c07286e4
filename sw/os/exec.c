/* SPDX-License-Identifier: MIT */
/*
 * execve of a real ELF64 x86-64 file, laid out as Linux's load_elf_binary
 * does with address-space randomization off:
 *   - [stack]: a VM_GROWSDOWN area ending at TASK_SIZE, as large as the
 *     argument pages plus 128 KiB; argv, envp, auxv written on it;
 *   - each PT_LOAD: a private file mapping of its pages (a PIE at
 *     ELF_ET_DYN_BASE = 0x555555554000), the rest of its last file page
 *     zeroed when writable (padzero: that page becomes a private copy), and
 *     anonymous pages for the .bss beyond it;
 *   - PT_INTERP: the interpreter mapped the same way, top-down below
 *     mmap_base (not run: nothing here executes code);
 *   - brk after the program's last segment.
 * Text and data are paged in on demand through the page cache.
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct elf_img {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	char *interp;
	struct ofile of;  /* read-only description for the mappings */
	uint64_t bias;
};

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

static int check_header(const Elf64_Ehdr *eh)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum < 1 ||
	    eh->e_phnum > 65536 / sizeof(Elf64_Phdr))
		return -ENOEXEC;
	return 0;
}

static int read_interp(int fd, struct elf_img *img)
{
	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		int rc;

		if (p->p_type != PT_INTERP)
			continue;
		if (p->p_filesz < 2 || p->p_filesz > PATH_MAX)
			return -ENOEXEC;
		img->interp = malloc(p->p_filesz);
		if (!img->interp)
			return -ENOMEM;
		rc = read_at(fd, img->interp, p->p_filesz, p->p_offset);
		if (rc)
			return rc;
		if (img->interp[p->p_filesz - 1])
			return -ENOEXEC;
		return 0;
	}
	return 0;
}

static void elf_close(struct os *os, struct elf_img *img)
{
	free(img->ph);
	free(img->interp);
	if (img->of.ino)
		k_inode_put(os, img->of.ino);
	memset(img, 0, sizeof(*img));
}

static int elf_open(struct os *os, const char *path, struct elf_img *img)
{
	struct stat st;
	int fd, rc, acc;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		rc = -errno;
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		rc = -EACCES;
	else if (k_inode_writing(os, &st))
		rc = -ETXTBSY; /* deny_write_access() */
	else
		rc = read_at(fd, &img->eh, sizeof(img->eh), 0);
	if (!rc)
		rc = check_header(&img->eh);
	if (!rc) {
		size_t n = img->eh.e_phnum * sizeof(Elf64_Phdr);

		img->ph = malloc(n);
		rc = img->ph ? read_at(fd, img->ph, n, img->eh.e_phoff)
			     : -ENOMEM;
	}
	if (!rc)
		rc = read_interp(fd, img);
	close(fd);
	if (!rc)
		rc = k_inode_open_host(os, path, O_RDONLY, 0, &img->of.ino, &acc);
	img->of.flags = O_RDONLY;
	img->of.refs = 1;
	img->of.id = ++os->next_file_id;
	if (rc)
		elf_close(os, img);
	return rc;
}

static int prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) |
	       ((pf & PF_X) ? PROT_EXEC : 0);
}

/* vm_brk_flags: anonymous pages [start, end), merged with an anonymous
 * area ending at start when compatible. */
static int brk_area(struct os *os, struct mm *mm, uint64_t start,
		    uint64_t end, uint32_t extra)
{
	struct vma nv = { .start = start, .end = end,
			  .flags = VM_READ | VM_WRITE | VM_MAYREAD |
				   VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | extra,
			  .pgoff = start >> PG_SHIFT };
	size_t i;
	int rc = k_do_munmap(os, mm, start, end);

	if (rc)
		return rc;
	if (os->o.ksm)
		nv.flags |= VM_MERGEABLE;
	i = k_vma_find(mm, start);
	if (i > 0 && k_vma_can_merge(&mm->v[i - 1], &nv)) {
		mm->v[i - 1].end = end;
		return 0;
	}
	return k_vma_insert(os, mm, &nv);
}

/* Write bytes into mm's memory through the kernel (faulting pages in for
 * writing, as copy_to_user would). */
static int kernel_write(struct os *os, struct mm *mm, uint64_t va,
			const void *buf, uint64_t len)
{
	const uint8_t *p = buf;

	while (len) {
		uint64_t in = va & ~PG_MASK, n = PG_SIZE - in, epa;
		pte_t e;
		int rc = k_handle_fault(os, mm, va, PFEC_WR | PFEC_US);

		if (rc > 0)
			return rc == FR_OOM ? -ENOMEM : -EFAULT;
		if (!rc)
			rc = k_pt_leaf(os, mm, va, false, &epa);
		if (!rc)
			rc = k_pte_read(os, epa, &e);
		if (rc)
			return rc;
		if (!(e & PTE_P) || !(e & PTE_RW))
			return -EFAULT;
		if (n > len)
			n = len;
		rc = machine_phys_write(os->m, pfn_pa(pte_pfn(os, e)) + in, p,
					(size_t)n);
		if (rc)
			return os_mchk(os, rc, "writing user memory");
		va += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int padzero(struct os *os, struct mm *mm, uint64_t at)
{
	static const uint8_t zero[PG_SIZE];
	uint64_t in = at & ~PG_MASK;

	if (!in)
		return 0;
	return kernel_write(os, mm, at, zero, PG_SIZE - in);
}

/* Linux's elf_load(). */
static int load_segment(struct os *os, struct mm *mm, struct elf_img *img,
			const Elf64_Phdr *p)
{
	int prot = prot_of(p->p_flags);
	uint64_t vaddr = img->bias + p->p_vaddr, in = vaddr & ~PG_MASK;
	uint64_t map_addr = vaddr - in, zero_start, zero_end;
	int64_t res;
	int rc;

	if (p->p_filesz) {
		if ((p->p_offset & ~PG_MASK) != in)
			return -EINVAL;
		rc = k_do_mmap(os, mm, map_addr, p->p_filesz + in, prot,
			     MAP_PRIVATE | MAP_FIXED, &img->of,
			     (p->p_offset - in) >> PG_SHIFT, &res);
		if (rc)
			return rc;
		zero_start = map_addr + in + p->p_filesz;
		zero_end = map_addr + in + p->p_memsz;
		if (p->p_memsz > p->p_filesz && (prot & PROT_WRITE)) {
			rc = padzero(os, mm, zero_start);
			if (rc)
				return rc;
		}
	} else {
		zero_start = map_addr;
		zero_end = zero_start + in + p->p_memsz;
	}
	if (p->p_memsz > p->p_filesz && PG_ALIGN(zero_end) > PG_ALIGN(zero_start))
		return brk_area(os, mm, PG_ALIGN(zero_start), PG_ALIGN(zero_end),
				(prot & PROT_EXEC) ? VM_EXEC : 0);
	return 0;
}

static bool first_last(const struct elf_img *img, uint64_t *lo, uint64_t *hi)
{
	bool any = false;

	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (!any)
			*lo = p->p_vaddr & PG_MASK;
		*hi = p->p_vaddr + p->p_memsz;
		any = true;
	}
	return any;
}

/* Linux's check that "set_brk can never work": the segment must lie
 * below TASK_SIZE without wrapping.  load_elf_binary tests the segment's
 * own address and says -EINVAL; load_elf_interp tests the loaded address
 * and says -ENOMEM (so does mmap or brk for a PIE moved past the top). */
static int segment_fits(const struct os *os, const struct elf_img *img,
			const Elf64_Phdr *p, bool interp)
{
	uint64_t top = os->task_size, k = img->bias + p->p_vaddr;

	if (!interp && (p->p_vaddr >= top || p->p_filesz > p->p_memsz ||
			p->p_memsz > top || top - p->p_memsz < p->p_vaddr))
		return -EINVAL;
	if (k >= top || p->p_filesz > p->p_memsz || p->p_memsz > top ||
	    top - p->p_memsz < k)
		return -ENOMEM;
	return 0;
}

static int load_segments(struct os *os, struct mm *mm, struct elf_img *img,
			 bool interp, uint64_t *brk)
{
	*brk = 0;
	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		int rc;

		if (p->p_type != PT_LOAD)
			continue;
		rc = segment_fits(os, img, p, interp);
		if (!rc)
			rc = load_segment(os, mm, img, p);
		if (rc)
			return rc;
		if (img->bias + p->p_vaddr + p->p_memsz > *brk)
			*brk = img->bias + p->p_vaddr + p->p_memsz;
	}
	return 0;
}

/* Where a PIE or an interpreter goes: ELF_ET_DYN_BASE for a PIE with an
 * interpreter, else the top-down area for its whole image. */
static int choose_bias(struct os *os, struct mm *mm, struct elf_img *img,
		       bool main_pie)
{
	uint64_t lo = 0, hi = 0, align = PG_SIZE;
	int64_t a;

	if (img->eh.e_type != ET_DYN)
		return 0;
	if (!first_last(img, &lo, &hi))
		return -ENOEXEC;
	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		uint64_t al = img->ph[i].p_align;

		if (img->ph[i].p_type == PT_LOAD && al && !(al & (al - 1)) &&
		    al > align)
			align = al;
	}
	if (main_pie) {
		img->bias = ((os->task_size / 3 * 2) & ~(align - 1)) - lo;
		img->bias &= PG_MASK;
		return 0;
	}
	a = k_get_unmapped_area(os, mm, 0, PG_ALIGN(hi - lo), MAP_PRIVATE);
	if (a < 0)
		return (int)a;
	img->bias = (uint64_t)a - lo;
	return 0;
}

static int load_interp(struct os *os, struct mm *mm, const char *path,
		       uint64_t *base, uint64_t *entry)
{
	struct elf_img in;
	uint64_t brk;
	int rc = elf_open(os, path, &in);

	if (rc)
		return rc;
	if (in.eh.e_type != ET_DYN)
		rc = -ELIBBAD;
	if (!rc)
		rc = choose_bias(os, mm, &in, false);
	if (!rc)
		rc = load_segments(os, mm, &in, true, &brk);
	*base = in.bias;
	*entry = in.bias + in.eh.e_entry;
	elf_close(os, &in);
	return rc;
}

/* The initial stack: strings at the top, then argc, argv, envp, auxv. */
struct stack_img {
	uint8_t buf[PG_SIZE];
	uint64_t top, p;
};

static uint64_t push_bytes(struct stack_img *s, const void *b, size_t n)
{
	s->p -= n;
	memcpy(s->buf + (s->p - (s->top - PG_SIZE)), b, n);
	return s->p;
}

static void push_word(struct stack_img *s, uint64_t v)
{
	push_bytes(s, &v, 8);
}

static int build_stack(struct os *os, struct mm *mm, const char *path,
		       const struct elf_img *img, uint64_t interp_base,
		       uint64_t entry)
{
	static const uint8_t rnd[16] = { 0 };
	struct stack_img *s = calloc(1, sizeof(*s));
	uint64_t execfn, argv0, plat, random, phdr, strings, sp;
	uint64_t aux[][2] = {
		{ AT_PHDR, 0 }, { AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, img->eh.e_phnum }, { AT_PAGESZ, PG_SIZE },
		{ AT_BASE, interp_base }, { AT_FLAGS, 0 }, { AT_ENTRY, entry },
		{ AT_RANDOM, 0 }, { AT_EXECFN, 0 }, { AT_PLATFORM, 0 },
		{ AT_NULL, 0 },
	};
	size_t n = strlen(path) + 1, naux = sizeof(aux) / sizeof(aux[0]);
	int rc;

	if (!s)
		return -ENOMEM;
	if (n > 1024)
		n = 1024; /* only the tail of a very long path */
	s->top = s->p = os->task_size;
	push_word(s, 0);
	execfn = push_bytes(s, path + strlen(path) + 1 - n, n);
	argv0 = push_bytes(s, path + strlen(path) + 1 - n, n);
	strings = s->p & PG_MASK;
	s->p &= ~15ull;
	plat = push_bytes(s, "x86_64", 7);
	random = push_bytes(s, rnd, sizeof(rnd));
	phdr = img->bias + img->eh.e_phoff;
	for (unsigned i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_LOAD && img->ph[i].p_offset == 0)
			phdr = img->bias + img->ph[i].p_vaddr + img->eh.e_phoff;
	aux[0][1] = phdr;
	aux[7][1] = random;
	aux[8][1] = execfn;
	aux[9][1] = plat;
	/* argc + argv[0] + NULL + envp NULL + auxv, 16-byte aligned sp. */
	s->p = (s->p - (4 + 2 * naux) * 8) & ~15ull;
	sp = s->p;
	{
		uint64_t w[4] = { 1, argv0, 0, 0 };

		memcpy(s->buf + (sp - (s->top - PG_SIZE)), w, sizeof(w));
		memcpy(s->buf + (sp + sizeof(w) - (s->top - PG_SIZE)), aux,
		       sizeof(aux));
	}
	/* [stack]: the argument pages plus 128 KiB (setup_arg_pages). */
	{
		uint64_t size = s->top - strings + STACK_EXPAND;
		struct vma st = {
			.start = s->top - (size < os->o.stack_rlimit
						   ? size : os->o.stack_rlimit),
			.end = s->top,
			.flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
				 VM_MAYEXEC | VM_GROWSDOWN | VM_ACCOUNT,
		};

		for (unsigned i = 0; i < img->eh.e_phnum; i++)
			if (img->ph[i].p_type == PT_GNU_STACK &&
			    (img->ph[i].p_flags & PF_X))
				st.flags |= VM_EXEC;
		if (os->o.ksm)
			st.flags |= VM_MERGEABLE;
		st.pgoff = st.start >> PG_SHIFT;
		/* Linux sets the stack up first and maps segments with
		 * MAP_FIXED_NOREPLACE: a segment in its place is -EEXIST. */
		size_t at = k_vma_find(mm, st.start);

		rc = at < mm->nv && mm->v[at].start < st.end
			     ? -EEXIST : k_vma_insert(os, mm, &st);
	}
	if (!rc)
		rc = kernel_write(os, mm, sp, s->buf + (sp - (s->top - PG_SIZE)),
				  s->top - sp);
	mm->start_stack = sp;
	free(s);
	return rc;
}

static int load(struct os *os, struct mm *mm, const char *path,
		struct elf_img *img)
{
	uint64_t brk, base = 0, entry = img->bias + img->eh.e_entry;
	int rc = choose_bias(os, mm, img, img->interp != NULL);

	if (!rc)
		rc = load_segments(os, mm, img, false, &brk);
	if (!rc && img->interp) {
		char *ip = k_path_resolve(os, img->interp);

		rc = ip ? load_interp(os, mm, ip, &base, &entry) : -ENOMEM;
		free(ip);
	}
	if (rc)
		return rc;
	entry = img->interp ? entry : img->bias + img->eh.e_entry;
	mm->start_brk = mm->brk = PG_ALIGN(brk);
	return build_stack(os, mm, path, img, base, entry);
}

int os_execve(struct os *os, const char *path)
{
	struct proc *p = os->cur;
	struct elf_img img;
	struct mm *nm, *old;
	char *full;
	int rc;

	if (!p)
		return -ESRCH;
	full = k_path_resolve(os, path);
	if (!full)
		return -ENOMEM;
	rc = elf_open(os, full, &img);
	if (!rc) {
		rc = k_mm_new(os, &nm);
		if (!rc) {
			rc = load(os, nm, path, &img);
			if (rc)
				k_mm_destroy(os, nm);
			else
				k_mm_set_exe(os, nm, img.of.ino);
		}
		elf_close(os, &img);
	}
	free(full);
	if (rc)
		return rc;
	old = p->mm;
	p->mm = nm;
	/* A new program starts with the initial PKRU (fpu__clear_user_states). */
	p->pkru = os->pku ? PKRU_INIT : 0;
	rc = k_mm_activate(os, nm);
	if (!rc)
		rc = k_pkru_load(os, p);
	if (!rc)
		rc = k_mm_destroy(os, old);
	os->st.execs++;
	return rc;
}
