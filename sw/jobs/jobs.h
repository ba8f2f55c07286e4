/* SPDX-License-Identifier: MIT */
/*
 * Independent work items in parallel processes, their results gathered in
 * one place: what mmurun's -j N runs its workloads with.
 *
 * jobs_run() forks one child per item, at most `workers` alive at a time.
 * The child runs item(), which puts the item's result (bytes: a struct,
 * texts after it) into a jobs_buf; the child writes it down a pipe and
 * exits.  The parent reads every child's pipe as data arrives, and hands
 * each whole result to done() in the order the items finish; the caller
 * files it by index, so what it prints afterwards does not depend on the
 * order.  A child that dies (a signal, a non-zero exit) comes back as an
 * error text in done() instead of a result.
 *
 * workers <= 1 runs the items one after another in this process, through
 * the same item() and done() and the same bytes, without forking.
 *
 * Errors are values: jobs_run returns 0 or -1 with a message (a pipe or a
 * fork that the system refused); items that ran before it stay done.
 */
#ifndef MMU_JOBS_H
#define MMU_JOBS_H

#include <stddef.h>

#define JOBS_MAX_WORKERS 256

/* A growable byte buffer: an item's result. */
struct jobs_buf {
	char *p;
	size_t len, cap;
};

/* Appends n bytes; -1 when out of memory (the buffer keeps what it had). */
int jobs_buf_put(struct jobs_buf *b, const void *p, size_t n);
void jobs_buf_free(struct jobs_buf *b);

/* A result in parts: a fixed-size head (a struct without pointers), then
 * n byte strings, each after its length.  put: -1 when out of memory. */
int jobs_buf_put_parts(struct jobs_buf *b, const void *head, size_t hlen,
		       const char *const *part, const size_t *plen,
		       unsigned n);
/* The inverse in done(): the head copied out, each part a malloc'd
 * NUL-terminated copy.  -1, with nothing allocated (a part it had copied
 * is freed and set to NULL), when res is not a whole result of that shape
 * (or out of memory). */
int jobs_get_parts(const void *res, size_t len, void *head, size_t hlen,
		   char **part, unsigned n);

/* Runs item i (in a child when workers > 1); 0, or non-zero to report the
 * item as failed to run (its result is then not delivered). */
typedef int (*jobs_item_fn)(void *ctx, unsigned i, struct jobs_buf *out);
/* In the parent: item i's result (res, len), or err when it did not
 * deliver one (res NULL).  Called once per item. */
typedef void (*jobs_done_fn)(void *ctx, unsigned i, const void *res,
			     size_t len, const char *err);

struct jobs_opts {
	unsigned workers;       /* processes at a time; 0 or 1: in-process */
	jobs_item_fn item;
	jobs_done_fn done;
	void *ctx;
};

int jobs_run(const struct jobs_opts *o, unsigned n, char *err, size_t errlen);

/* The machine's online processors (at least 1): the default of -j. */
unsigned jobs_cores(void);

#endif
