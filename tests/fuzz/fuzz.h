/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses of tests/fuzz (one binary each). */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A property the code under test must keep: a failure is a crash that
 * libFuzzer reports with the input. */
#define FUZZ_ASSERT(c, ...)                                                  \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,       \
				__LINE__, #c);                               \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
