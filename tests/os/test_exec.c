/* SPDX-License-Identifier: MIT */
/*
 * execve of real ELF files from the host.
 *
 *  - /usr/bin/true: every PT_LOAD segment mapped as a private file mapping
 *    with its flags and page offset (recomputed here from the program
 *    headers), text fetched on demand equals the file's bytes, text is not
 *    writable, .bss reads zero, argc/argv on [stack];
 *  - /usr/bin/cat against Linux itself: after the RELRO mprotects the
 *    dynamic linker would make, the lines of cat, ld.so and [stack] in
 *    /proc/PID/maps equal what `env -i setarch -R cat /proc/self/maps`
 *    prints on this host (skipped when setarch cannot run);
 *  - exec errors (ENOENT, EACCES for a directory or a FIFO, which must not
 *    block the open, ENOEXEC), exec in a forked child leaving
 *    the parent intact, and no frame left once everything exits;
 *  - hand-made ELF files whose PT_LOAD runs past user space, wraps, starts
 *    above it or lands on the stack: refused with Linux's errno (EINVAL
 *    for the program, EEXIST over the stack), the old mm kept, os_check
 *    clean; a well-formed one loads.
 */
#define _GNU_SOURCE
#include "osutil.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#define PG 4096ull
#define PIE 0x555555554000ull

struct elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[32];
	int fd;
};

static void elf_read(const char *path, struct elf *e)
{
	e->fd = open(path, O_RDONLY);
	assert_true(e->fd >= 0);
	assert_int_equal(pread(e->fd, &e->eh, sizeof(e->eh), 0),
			 sizeof(e->eh));
	assert_true(e->eh.e_phnum <= 32);
	assert_int_equal(pread(e->fd, e->ph, e->eh.e_phnum * sizeof(Elf64_Phdr),
			       (off_t)e->eh.e_phoff),
			 (ssize_t)(e->eh.e_phnum * sizeof(Elf64_Phdr)));
}

static int lines_with(const char *maps, const char *needle, char out[][160],
		      int max)
{
	int n = 0;

	for (const char *l = maps; *l && n < max;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);

		if (memmem(l, len, needle, strlen(needle)) && len < 160) {
			memcpy(out[n], l, len);
			out[n++][len] = 0;
		}
		l += len + (nl ? 1 : 0);
	}
	return n;
}

static void exec_true(void **state)
{
	struct tos t;
	struct elf e;
	char maps[8192], got[16][160], want[160];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	EQ(os_execve(t.os, "/usr/bin/true"), 0);
	elf_read("/usr/bin/true", &e);
	EQ(e.eh.e_type, ET_DYN);
	EQ(os_maps(t.os, pid, maps, sizeof(maps)) > 0, 1);
	int n = lines_with(maps, "/usr/bin/true", got, 16), k = 0;
	for (int i = 0; i < e.eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e.ph[i];
		uint64_t s, end;

		if (p->p_type != PT_LOAD)
			continue;
		s = PIE + (p->p_vaddr & ~(PG - 1));
		end = (PIE + p->p_vaddr + p->p_filesz + PG - 1) & ~(PG - 1);
		snprintf(want, sizeof(want), "%llx-%llx %c%c%cp %08llx",
			 (unsigned long long)s, (unsigned long long)end,
			 (p->p_flags & PF_R) ? 'r' : '-',
			 (p->p_flags & PF_W) ? 'w' : '-',
			 (p->p_flags & PF_X) ? 'x' : '-',
			 (unsigned long long)(p->p_offset & ~(PG - 1)));
		OK(k < n);
		if (strncmp(got[k], want, strlen(want)))
			fail_msg("segment %d: got %s want %s", i, got[k], want);
		tos_checks++;
		/* Text: fetch the first bytes of the segment's page. */
		if (p->p_flags & PF_X) {
			uint8_t fb[8];
			uint64_t v;
			int sig;

			assert_int_equal(pread(e.fd, fb, 8, (off_t)p->p_offset), 8);
			EQ(os_access(t.os, MMU_FETCH, PIE + p->p_vaddr, 8, 0,
				     &v, &sig), 0);
			EQ(sig, 0);
			EQ(memcmp(&v, fb, 8), 0);
			EQ(tos_sig(&t, MMU_STORE, PIE + p->p_vaddr), SIGSEGV);
		}
		if ((p->p_flags & PF_W) && p->p_memsz > p->p_filesz)
			EQ(tos_ld(&t, PIE + p->p_vaddr + p->p_filesz, 1), 0);
		k++;
	}
	EQ(k, n);
	OK(strstr(maps, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
			"                          [stack]\n") != NULL);
	OK(strstr(maps, "ld-linux-x86-64.so.2") != NULL);
	/* argc = 1, argv[0] = the path. */
	uint64_t sp = 0;
	for (uint64_t a = 0x7ffffffff000ull - 8; a > 0x7fffffffe000ull; a -= 8)
		if (tos_ld(&t, a, 8) == 1 && tos_ld(&t, a + 16, 8) == 0) {
			sp = a;
			break;
		}
	OK(sp != 0);
	char argv0[32];
	int sig;
	EQ(os_user_read(t.os, tos_ld(&t, sp + 8, 8), argv0, 14, &sig), 0);
	EQ(memcmp(argv0, "/usr/bin/true", 14), 0);
	close(e.fd);
	tos_check(&t);
	printf("execve /usr/bin/true: %d PT_LOAD segments mapped as Linux, "
	       "text fetched on demand, [stack] 132 KiB, argv on it\n", k);
	EQ(os_exit(t.os, pid), 0);
	tos_halt(&t);
}

/* What ld.so does before main: RELRO made read-only. */
static void relro(struct tos *t, const char *path, uint64_t bias)
{
	struct elf e;

	elf_read(path, &e);
	for (int i = 0; i < e.eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e.ph[i];
		uint64_t s = (bias + p->p_vaddr) & ~(PG - 1);
		uint64_t end = (bias + p->p_vaddr + p->p_memsz) & ~(PG - 1);

		if (p->p_type == PT_GNU_RELRO && end > s)
			EQ(os_mprotect(t->os, s, end - s, PROT_READ), 0);
	}
	close(e.fd);
}

static void cat_vs_linux(void **state)
{
	struct tos t;
	char maps[8192], linux_maps[8192], a[24][160], b[24][160];
	const char *keys[] = { "/usr/bin/cat", "ld-linux", "[stack]" };
	FILE *f = popen("env -i setarch -R /usr/bin/cat /proc/self/maps "
			"2>/dev/null", "r");
	size_t got = f ? fread(linux_maps, 1, sizeof(linux_maps) - 1, f) : 0;
	(void)state;

	if (f)
		pclose(f);
	linux_maps[got] = 0;
	if (!strstr(linux_maps, "555555554000-")) {
		printf("cat vs Linux: skipped (setarch -R not available)\n");
		return;
	}
	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	EQ(os_execve(t.os, "/usr/bin/cat"), 0);
	EQ(os_maps(t.os, pid, maps, sizeof(maps)) > 0, 1);
	char first[1][160];
	EQ(lines_with(maps, "ld-linux", first, 1), 1);
	relro(&t, "/usr/bin/cat", PIE);
	relro(&t, "/lib64/ld-linux-x86-64.so.2", strtoull(first[0], NULL, 16));
	EQ(os_maps(t.os, pid, maps, sizeof(maps)) > 0, 1);
	int lines = 0;
	for (int k = 0; k < 3; k++) {
		int n = lines_with(maps, keys[k], a, 24);
		int m = lines_with(linux_maps, keys[k], b, 24);

		if (n != m)
			fail_msg("%s: %d lines, Linux %d\nos:\n%s\nLinux:\n%s",
				 keys[k], n, m, maps, linux_maps);
		for (int i = 0; i < n; i++) {
			if (strcmp(a[i], b[i]))
				fail_msg("maps differ:\n os:    %s\n Linux: %s",
					 a[i], b[i]);
			tos_checks++;
			lines++;
		}
	}
	tos_check(&t);
	printf("execve /usr/bin/cat: %d lines of /proc/PID/maps identical to "
	       "Linux's (cat, ld.so, [stack])\n", lines);
	tos_halt(&t);
}

static void exec_errors(void **state)
{
	struct tos t;
	char p[256];
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	uint64_t m = (uint64_t)os_mmap(t.os, 0x200000000ull, PG, 3,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	tos_st(&t, m, 8, 11);
	tos_file(&t, "text", 100, 1);
	snprintf(p, sizeof(p), "%s/text", t.dir);
	EQ(os_execve(t.os, "nope"), -ENOENT);
	EQ(os_execve(t.os, "text"), -EACCES);     /* not executable */
	EQ(chmod(p, 0755), 0);
	EQ(os_execve(t.os, "text"), -ENOEXEC);    /* not ELF */
	EQ(os_execve(t.os, "."), -EACCES);        /* a directory */
	snprintf(p, sizeof(p), "%s/fifo", t.dir);
	EQ(mkfifo(p, 0755), 0);
	EQ(os_execve(t.os, "fifo"), -EACCES);     /* a FIFO, without blocking */
	EQ(tos_ld(&t, m, 8), 11);                 /* old mm kept */
	int child;
	EQ(os_fork(t.os, &child), 0);
	EQ(os_switch(t.os, child), 0);
	EQ(os_execve(t.os, "/usr/bin/true"), 0);
	EQ(tos_sig(&t, MMU_LOAD, m), SIGSEGV);    /* gone in the child */
	EQ(os_switch(t.os, pid), 0);
	EQ(tos_ld(&t, m, 8), 11);                 /* intact in the parent */
	struct os_page_info pi;
	EQ(os_page(t.os, pid, m, &pi), 0);
	EQ(pi.refcount, 1);
	tos_check(&t);
	EQ(os_exit(t.os, child), 0);
	EQ(os_exit(t.os, pid), 0);
	struct os_stats st;
	os_stats(t.os, &st);
	EQ(st.frames_in_use, 0);
	printf("execve errors: ENOENT, EACCES, ENOEXEC keep the old mm; exec "
	       "after fork leaves the parent intact\n");
	tos_halt(&t);
}

/* A static ELF executable named name in the scratch folder: one page of
 * file bytes and the PT_LOAD headers ph[0..n). */
static void write_elf(struct tos *t, const char *name, const Elf64_Phdr *ph,
		      unsigned n)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_X86_64,
		.e_version = EV_CURRENT, .e_entry = 0x401000,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)n,
	};
	static uint8_t page[PG];
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", t->dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(fd >= 0);
	memset(page, 0, sizeof(page));
	memcpy(page, &eh, sizeof(eh));
	memcpy(page + sizeof(eh), ph, n * sizeof(*ph));
	assert_int_equal(write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	close(fd);
}

static void exec_bad_segments(void **state)
{
	struct tos t;
	const uint64_t top = (1ull << 47) - PG; /* TASK_SIZE, 4 levels */
	const struct { const char *what; uint64_t va, memsz; int err; } c[] = {
		{ "past user space", 0x400000, top, -EINVAL },
		{ "wrapping", 0x400000, ~0ull - 0xfff, -EINVAL },
		{ "above user space", 0x800000000000ull, PG, -EINVAL },
		{ "at the top", top, PG, -EINVAL },
		{ "on the stack", top - 2 * PG, PG, -EEXIST },
	};
	(void)state;

	tos_boot(&t, "golden", "x86", 0, NULL);
	int pid = tos_proc(&t);
	uint64_t m = (uint64_t)os_mmap(t.os, 0x200000000ull, PG, 3,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	tos_st(&t, m, 8, 7);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		Elf64_Phdr ph[2] = {
			{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
			  .p_vaddr = 0x400000, .p_filesz = 0x100,
			  .p_memsz = 0x100, .p_align = PG },
			{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
			  .p_vaddr = c[i].va, .p_memsz = c[i].memsz,
			  .p_align = PG },
		};

		write_elf(&t, "bad", ph, 2);
		int rc = os_execve(t.os, "bad");
		if (rc != c[i].err)
			fail_msg("segment %s: execve %d, want %d", c[i].what,
				 rc, c[i].err);
		tos_checks++;
		EQ(tos_ld(&t, m, 8), 7);            /* old mm kept */
		tos_check(&t);
	}
	Elf64_Phdr ok[2] = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		  .p_vaddr = 0x400000, .p_filesz = 0x100, .p_memsz = 0x100,
		  .p_align = PG },
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		  .p_vaddr = 0x600000, .p_memsz = 3 * PG, .p_align = PG },
	};
	write_elf(&t, "good", ok, 2);
	EQ(os_execve(t.os, "good"), 0);
	EQ(tos_ld(&t, 0x600000 + 2 * PG, 8), 0);    /* .bss */
	tos_check(&t);
	EQ(os_exit(t.os, pid), 0);
	printf("execve: %zu PT_LOAD segments outside user space refused with "
	       "Linux's errno, old mm kept; a well-formed one loads\n",
	       sizeof(c) / sizeof(c[0]));
	tos_halt(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_true),
		cmocka_unit_test(cat_vs_linux),
		cmocka_unit_test(exec_errors),
		cmocka_unit_test(exec_bad_segments),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("test_exec: %u checks\n", tos_checks);
	return rc;
}
