/* SPDX-License-Identifier: MIT */
/* Helpers shared by the OS tests: booting a kernel on a back end, user
 * accesses that must succeed, host scratch files. */
#ifndef TESTS_OS_UTIL_H
#define TESTS_OS_UTIL_H

#include "../../sw/os/os.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct tos {
	struct machine *m;
	struct os *os;
	char dir[64];  /* scratch directory (file_root) */
};

/* Boot an OS on backend/config with mem bytes (0: 4 MiB); opts may be
 * NULL.  file_root is set to a fresh scratch directory. */
void tos_boot(struct tos *t, const char *backend, const char *cfg,
	      uint64_t mem, const struct os_opts *opts);
/* The same with a configuration changed by key=value pairs
 * ("pcid=0", NULL-terminated). */
void tos_boot_set(struct tos *t, const char *backend, const char *cfg,
		  const char *const *set, uint64_t mem,
		  const struct os_opts *opts);
/* os_check must pass; then shut down and remove the scratch directory. */
void tos_halt(struct tos *t);
/* os_check, failing the test with its message. */
void tos_check(struct tos *t);
/* Spawn a process and make it current; returns its pid. */
int tos_proc(struct tos *t);

/* Accesses that must complete without a signal. */
uint64_t tos_ld(struct tos *t, uint64_t va, unsigned size);
void tos_st(struct tos *t, uint64_t va, unsigned size, uint64_t v);
/* The signal an access gets (0 if none). */
int tos_sig(struct tos *t, enum mmu_op op, uint64_t va);

/* A host file in the scratch directory with len bytes of pattern(i). */
void tos_file(struct tos *t, const char *name, size_t len, uint8_t seed);
uint8_t tos_pat(size_t i, uint8_t seed);
/* Read a host file of the scratch directory into buf; returns its size. */
size_t tos_read_host(struct tos *t, const char *name, void *buf, size_t len);

/* Count of checks done by a test file (printed at the end). */
extern unsigned tos_checks;
#define OK(c) do { assert_true(c); tos_checks++; } while (0)
#define EQ(a, b) do { assert_int_equal((a), (b)); tos_checks++; } while (0)

#endif
