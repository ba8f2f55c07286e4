/* SPDX-License-Identifier: MIT */
/*
 * Statement handlers for files: `file create`, `check file` and `check
 * size` work on the host files of the files folder directly; open, read,
 * write and the others go through the OS (its page cache).  Also the files
 * folder itself: the one given, or a temporary one removed at the end.
 */
#include "run_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_READ (16u << 20)

static int host_path(struct runner *rn, const char *name, char *buf, size_t len)
{
	int n;

	if (name[0] == '/')
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "%s/%s", rn->dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void fill(char *buf, size_t n, uint64_t off, const struct scn_arg *pat)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t at = off + i;

		if (!pat || pat->pattern == SCN_PAT_ZERO)
			buf[i] = 0;
		else if (pat->pattern == SCN_PAT_SEQ)
			buf[i] = (char)(at & 0xff);
		else
			buf[i] = (char)pat->bytes.p[at % pat->bytes.n];
	}
}

static int file_create(struct runner *rn, const char *name, uint64_t size,
		       const struct scn_arg *pat)
{
	char path[4200], buf[65536];
	int fd, rc = 0;
	uint64_t off = 0;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;  /* a plain name inside the files folder */
	if (host_path(rn, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	while (off < size) {
		size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);
		ssize_t w;

		fill(buf, n, off, pat);
		w = write(fd, buf, n);
		if (w < 0) {
			rc = -errno;
			break;
		}
		off += (uint64_t)w;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int rn_files_open(struct runner *rn, char *err, size_t errlen)
{
	const char *dir = rn->o->files_dir;
	const char *t = getenv("TMPDIR");

	if (dir) {
		struct stat sst;

		if (stat(dir, &sst) || !S_ISDIR(sst.st_mode)) {
			snprintf(err, errlen, "files folder %s: %s", dir,
				 errno ? strerror(errno) : "not a folder");
			return -1;
		}
		snprintf(rn->dir, sizeof(rn->dir), "%s", dir);
		return 0;
	}
	snprintf(rn->dir, sizeof(rn->dir), "%s/mmuos-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(rn->dir)) {
		snprintf(err, errlen, "cannot make a temporary folder: %s",
			 strerror(errno));
		return -1;
	}
	rn->tmpdir = true;
	return 0;
}

void rn_files_close(struct runner *rn)
{
	DIR *d;
	struct dirent *e;
	char path[4400];

	if (!rn->tmpdir)
		return;
	d = opendir(rn->dir);
	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", rn->dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(rn->dir);
}

/* ---- handlers -------------------------------------------------------------- */

enum sr run_file_create(struct runner *rn, const struct scn_stmt *st,
			 const uint64_t *v, struct res *r)
{
	int rc = file_create(rn, st->args[0].str, v[1],
			     st->nargs > 2 ? &st->args[2] : NULL);

	*r = rc < 0 ? rn_from_rc(rc) : (struct res){ .kind = RS_OK };
	return SR_RESULT;
}

enum sr run_open(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	*r = rn_from_rc(os_open(rn->os, st->args[0].str,
			     st->nargs > 1 ? (int)v[1] : O_RDWR, 0644));
	return SR_RESULT;
}

enum sr run_close(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_close(rn->os, (int)v[0]));
	return SR_RESULT;
}

enum sr run_write(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	*r = rn_from_rc(os_pwrite(rn->os, (int)v[0], st->args[2].bytes.p,
			       st->args[2].bytes.n, v[1]));
	return SR_RESULT;
}

enum sr run_read(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	int64_t rc;

	(void)st;
	if (v[2] > MAX_READ) {
		rn_fatal(rn, "read of more than %u bytes", MAX_READ);
		return SR_DONE;
	}
	free(rn->rbuf);
	rn->rbuf = malloc(v[2] ? v[2] : 1);
	if (!rn->rbuf) {
		rn_fatal(rn, "out of memory");
		return SR_DONE;
	}
	rc = os_pread(rn->os, (int)v[0], rn->rbuf, v[2], v[1]);
	if (rc < 0)
		*r = rn_from_rc(rc);
	else
		*r = (struct res){ .kind = RS_BYTES, .bytes = rn->rbuf,
				   .nbytes = (size_t)rc };
	return SR_RESULT;
}

enum sr run_truncate(struct runner *rn, const struct scn_stmt *st,
		      const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_ftruncate(rn->os, (int)v[0], v[1]));
	return SR_RESULT;
}

enum sr run_fsync(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_fsync(rn->os, (int)v[0]));
	return SR_RESULT;
}

enum sr run_sync(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	(void)st, (void)v;
	*r = rn_from_rc(os_sync(rn->os));
	return SR_RESULT;
}

/* The verdict of `check file` on the bytes read. */
static void file_verdict(struct runner *rn, const unsigned char *buf,
			 size_t got, const struct scn_bytes *want)
{
	size_t i = 0;
	struct sbuf m = { 0 };

	sb_put(&rn->line, " ", 1);
	sb_bytes(&rn->line, buf, got);
	if (got == want->n && !memcmp(buf, want->p, want->n)) {
		rn_verdict(rn, true, " ");
		return;
	}
	while (i < got && buf[i] == want->p[i])
		i++;
	sb_bytes(&m, want->p, want->n);
	rn_verdict(rn, false, "expected %s; %s at byte %zu", m.b ? m.b : "",
		   got < want->n && i == got ? "the file ends" : "differs", i);
	free(m.b);
}

enum sr run_check_file(struct runner *rn, const struct scn_stmt *st,
			const uint64_t *v, struct res *r)
{
	char path[4200];
	const struct scn_bytes *want = &st->args[2].bytes;
	unsigned char *buf = malloc(want->n ? want->n : 1);
	ssize_t got = -1;
	int fd;

	(void)r;
	if (!buf) {
		rn_fatal(rn, "out of memory");
		return SR_DONE;
	}
	if (!host_path(rn, st->args[0].str, path, sizeof(path)) &&
	    (fd = open(path, O_RDONLY)) >= 0) {
		got = pread(fd, buf, want->n, (off_t)v[1]);
		close(fd);
	}
	sb_put(&rn->line, " =", 2);
	if (got < 0)
		rn_verdict(rn, false, "cannot read %s: %s", path, strerror(errno));
	else
		file_verdict(rn, buf, (size_t)got, want);
	free(buf);
	return SR_LINE;
}

enum sr run_check_size(struct runner *rn, const struct scn_stmt *st,
			const uint64_t *v, struct res *r)
{
	char path[4200];
	struct stat sst;

	(void)r;
	if (host_path(rn, st->args[0].str, path, sizeof(path)) || stat(path, &sst)) {
		sb_put(&rn->line, " =", 2);
		rn_verdict(rn, false, "cannot stat %s: %s", path, strerror(errno));
	} else {
		sb_printf(&rn->line, " = %lld", (long long)sst.st_size);
		rn_verdict(rn, (uint64_t)sst.st_size == v[1], "expected %" PRIu64, v[1]);
	}
	return SR_LINE;
}
