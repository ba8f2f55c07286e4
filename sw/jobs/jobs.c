/* SPDX-License-Identifier: MIT */
/*
 * Work items in parallel processes (jobs.h): a fork per item, its result
 * down a pipe, the parent polling every pipe so that no child blocks on a
 * full one.
 */
#include "jobs.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define READ_CHUNK 65536

int jobs_buf_put(struct jobs_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *q;

		while (cap < b->len + n)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void jobs_buf_free(struct jobs_buf *b)
{
	free(b->p);
	*b = (struct jobs_buf){ 0 };
}

int jobs_buf_put_parts(struct jobs_buf *b, const void *head, size_t hlen,
		       const char *const *part, const size_t *plen,
		       unsigned n)
{
	if (jobs_buf_put(b, head, hlen))
		return -1;
	for (unsigned k = 0; k < n; k++)
		if (jobs_buf_put(b, &plen[k], sizeof(plen[k])) ||
		    jobs_buf_put(b, part[k], plen[k]))
			return -1;
	return 0;
}

int jobs_get_parts(const void *res, size_t len, void *head, size_t hlen,
		   char **part, unsigned n)
{
	const char *p = res;
	size_t at = hlen;
	unsigned k;

	if (!res || len < hlen)
		return -1;
	memcpy(head, p, hlen);
	for (k = 0; k < n; k++) {
		size_t m;

		if (len - at < sizeof(m))
			break;
		memcpy(&m, p + at, sizeof(m));
		at += sizeof(m);
		if (len - at < m || !(part[k] = malloc(m + 1)))
			break;
		memcpy(part[k], p + at, m);
		part[k][m] = 0;
		at += m;
	}
	if (k == n && at == len)
		return 0;
	while (k--) {
		free(part[k]);
		part[k] = NULL;
	}
	return -1;
}

unsigned jobs_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > JOBS_MAX_WORKERS ? JOBS_MAX_WORKERS : (unsigned)n;
}

/* One child at work: its pipe, its item, what it has sent so far. */
struct slot {
	bool used, lost;        /* lost: the parent ran out of memory */
	pid_t pid;
	int fd;
	unsigned item;
	struct jobs_buf buf;
};

static void run_here(const struct jobs_opts *o, unsigned i)
{
	struct jobs_buf b = { 0 };

	if (o->item(o->ctx, i, &b))
		o->done(o->ctx, i, NULL, 0, "the item failed to run");
	else
		o->done(o->ctx, i, b.p, b.len, NULL);
	jobs_buf_free(&b);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(3);
		p += k;
		n -= (size_t)k;
	}
}

/* In the child: run the item, send its result, exit. */
static void child(const struct jobs_opts *o, struct slot *s, unsigned ns,
		  unsigned i, int fd)
{
	struct jobs_buf b = { 0 };
	int rc;

	for (unsigned k = 0; k < ns; k++)
		if (s[k].used)
			close(s[k].fd);
	rc = o->item(o->ctx, i, &b);
	if (!rc)
		write_all(fd, b.p, b.len);
	fflush(NULL);
	_exit(rc ? 2 : 0);
}

static int spawn(const struct jobs_opts *o, struct slot *s, unsigned ns,
		 struct slot *free_slot, unsigned i, char *err, size_t errlen)
{
	int p[2];
	pid_t pid;

	fflush(NULL);  /* nothing buffered may be written twice */
	if (pipe(p)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(o, s, ns, i, p[1]);
	}
	close(p[1]);
	*free_slot = (struct slot){ .used = true, .pid = pid, .fd = p[0],
				    .item = i };
	return 0;
}

/* The child closed its pipe: reap it and deliver its result. */
static void finish(const struct jobs_opts *o, struct slot *s)
{
	char why[128] = "";
	int st = 0;

	close(s->fd);
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		snprintf(why, sizeof(why), "its process was killed by signal "
			 "%d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		snprintf(why, sizeof(why), "its process exited with status %d",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if (s->lost)
		snprintf(why, sizeof(why), "out of memory for its result");
	o->done(o->ctx, s->item, why[0] ? NULL : s->buf.p,
		why[0] ? 0 : s->buf.len, why[0] ? why : NULL);
	jobs_buf_free(&s->buf);
	s->used = false;
}

/* Waits for data on the children's pipes and reads what came. */
static void gather(const struct jobs_opts *o, struct slot *s, unsigned ns)
{
	struct pollfd pf[JOBS_MAX_WORKERS];
	unsigned map[JOBS_MAX_WORKERS], np = 0;
	static char chunk[READ_CHUNK];

	for (unsigned k = 0; k < ns; k++)
		if (s[k].used) {
			pf[np] = (struct pollfd){ .fd = s[k].fd, .events = POLLIN };
			map[np++] = k;
		}
	if (poll(pf, np, -1) < 0)
		return;  /* EINTR: the caller comes back */
	for (unsigned j = 0; j < np; j++) {
		struct slot *sl = &s[map[j]];
		ssize_t n;

		if (!pf[j].revents)
			continue;
		n = read(sl->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			if (!sl->lost && jobs_buf_put(&sl->buf, chunk, (size_t)n))
				sl->lost = true;
			continue;
		}
		finish(o, sl);  /* end of file, or a broken pipe */
	}
}

int jobs_run(const struct jobs_opts *o, unsigned n, char *err, size_t errlen)
{
	unsigned workers = o->workers > JOBS_MAX_WORKERS ? JOBS_MAX_WORKERS
							 : o->workers;
	struct slot *s;
	unsigned next = 0, active = 0;
	int rc = 0;

	if (workers <= 1) {
		for (unsigned i = 0; i < n; i++)
			run_here(o, i);
		return 0;
	}
	s = calloc(workers, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (next < n || active) {
		for (unsigned k = 0; k < workers && next < n && !rc; k++)
			if (!s[k].used) {
				rc = spawn(o, s, workers, &s[k], next, err, errlen);
				next += !rc;
			}
		active = 0;
		for (unsigned k = 0; k < workers; k++)
			active += s[k].used;
		if (rc && !active)
			break;
		if (active)
			gather(o, s, workers);
	}
	/* the items the system gave no process to */
	for (; next < n; next++)
		o->done(o->ctx, next, NULL, 0, err);
	free(s);
	return rc;
}
