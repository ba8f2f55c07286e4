/* SPDX-License-Identifier: MIT */
/*
 * Statement handlers for files: `file create`, `check file` and `check
 * size` work on the host files of the files folder directly; open, read,
 * write and the others go through the OS (its page cache).  Also the files
 * folder itself: the one given, or a temporary one removed at the end.
 */
#define _XOPEN_SOURCE 700  /* realpath */
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

/* ---- the files folder and the paths a scenario may use -------------------- */

/*
 * The real path of name (relative names are in the files folder): every
 * symbolic link and ".." resolved, a last component that does not exist
 * yet kept under its parent's real path.  malloc'd, or NULL with errno.
 */
static char *real_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *cand = malloc(n), *r, *slash, *parent;
	const char *base;

	if (!cand)
		return NULL;
	snprintf(cand, n, "%s%s%s", name[0] == '/' ? "" : dir,
		 name[0] == '/' ? "" : "/", name);
	r = realpath(cand, NULL);
	if (r || errno != ENOENT)
		goto out;
	slash = strrchr(cand, '/');
	base = slash + 1;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		errno = ENOENT;
		goto out;
	}
	*slash = 0;
	parent = realpath(slash == cand ? "/" : cand, NULL);
	if (!parent)
		goto out;
	n = strlen(parent) + strlen(base) + 2;
	r = malloc(n);
	if (r)
		snprintf(r, n, "%s%s%s", parent, strcmp(parent, "/") ? "/" : "", base);
	free(parent);
out:
	free(cand);
	return r;
}

/* path is root or inside it */
static bool under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (strncmp(path, root, n))
		return false;
	return path[n] == 0 || path[n] == '/' || (n && root[n - 1] == '/');
}

/*
 * The host path the scenario's name stands for (argument arg of st),
 * confined to the files folder and the --allow-path entries: 0 with *out
 * (malloc'd), -ERRNO when it cannot be resolved (the scenario sees the
 * errno), or 1 when it lies outside (the run stops, the limit named).
 * Opening the result with O_NOFOLLOW keeps a link put in its place since
 * from leading outside.
 */
static int confine(struct runner *rn, const struct scn_stmt *st, unsigned arg,
		   char **out)
{
	const char *name = st->args[arg].str;
	char *r = real_path(rn->dir, name);

	*out = NULL;
	if (!r)
		return errno == ENOMEM ? -ENOMEM : -errno;
	if (under(r, rn->root)) {
		*out = r;
		return 0;
	}
	for (unsigned i = 0; i < rn->lim.nallow; i++)
		if (rn->allow[i] && under(r, rn->allow[i])) {
			*out = r;
			return 0;
		}
	free(r);
	rn_limit(rn, st, st->args[arg].col,
		 "host path '%.200s' is outside the files folder (--allow-path allows it)",
		 name);
	return 1;
}

/* A size over --max-file-size at st's argument arg: the run stops. */
static bool size_capped(struct runner *rn, const struct scn_stmt *st,
			unsigned arg, uint64_t size)
{
	char sz[32];

	if (size <= rn->lim.max_file_bytes)
		return false;
	rn_limit(rn, st, st->args[arg].col, "file size cap exceeded (--max-file-size %s)",
		 scn_format_size(rn->lim.max_file_bytes, sz, sizeof(sz)));
	return true;
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

static int file_create(const char *path, uint64_t size, const struct scn_arg *pat)
{
	char buf[65536];
	int fd, rc = 0;
	uint64_t off = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
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

/* The files folder: the one given, or a fresh temporary one. */
static int files_dir(struct runner *rn, char *err, size_t errlen)
{
	const char *dir = rn->o->files_dir;
	const char *t = getenv("TMPDIR");
	struct stat sst;

	if (dir) {
		if (stat(dir, &sst)) {
			snprintf(err, errlen, "files folder %s: %s", dir, strerror(errno));
			return -1;
		}
		if (!S_ISDIR(sst.st_mode)) {
			snprintf(err, errlen, "files folder %s: not a folder", dir);
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

int rn_files_open(struct runner *rn, char *err, size_t errlen)
{
	if (files_dir(rn, err, errlen))
		return -1;
	rn->root = realpath(rn->dir, NULL);
	rn->allow = calloc(rn->lim.nallow + 1, sizeof(*rn->allow));
	if (!rn->root || !rn->allow) {
		snprintf(err, errlen, "files folder %s: %s", rn->dir, strerror(errno));
		return -1;
	}
	for (unsigned i = 0; i < rn->lim.nallow; i++) {
		rn->allow[i] = real_path(".", rn->lim.allow[i]);  /* from the cwd */
		if (!rn->allow[i]) {
			snprintf(err, errlen, "--allow-path %s: %s", rn->lim.allow[i],
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

void rn_files_close(struct runner *rn)
{
	DIR *d;
	struct dirent *e;
	char path[4400];

	for (unsigned i = 0; rn->allow && i < rn->lim.nallow; i++)
		free(rn->allow[i]);
	free(rn->allow);
	free(rn->root);
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
	const char *name = st->args[0].str;
	char *path;
	int rc;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		*r = rn_from_rc(-EINVAL);  /* a plain name inside the files folder */
		return SR_RESULT;
	}
	if (size_capped(rn, st, 1, v[1]))
		return SR_DONE;
	rc = confine(rn, st, 0, &path);
	if (rc > 0)
		return SR_DONE;
	if (!rc)
		rc = file_create(path, v[1], st->nargs > 2 ? &st->args[2] : NULL);
	free(path);
	*r = rc < 0 ? rn_from_rc(rc) : (struct res){ .kind = RS_OK };
	return SR_RESULT;
}

enum sr run_open(struct runner *rn, const struct scn_stmt *st,
		 const uint64_t *v, struct res *r)
{
	int flags = st->nargs > 1 ? (int)v[1] : O_RDWR;
	char *path = NULL;
	int rc = os_current(rn->os);

	if (rc >= 0) {  /* with no process: ESRCH, as os_open says */
		rc = confine(rn, st, 0, &path);
		if (rc > 0)
			return SR_DONE;
	}
	if (!rc)
		rc = os_open(rn->os, path, flags | O_NOFOLLOW, 0644);
	free(path);
	*r = rn_from_rc(rc);
	return SR_RESULT;
}

enum sr run_close(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_close(rn->os, rn_fd(v[0])));
	return SR_RESULT;
}

enum sr run_write(struct runner *rn, const struct scn_stmt *st,
		  const uint64_t *v, struct res *r)
{
	size_t n = st->args[2].bytes.n;

	*r = rn_from_rc(os_pwrite(rn->os, rn_fd(v[0]), st->args[2].bytes.p, n, v[1]));
	/* EFBIG without an overflow: the kernel's RLIMIT_FSIZE, our cap */
	if (r->kind == RS_ERRNO && r->code == EFBIG && v[1] <= (uint64_t)INT64_MAX - n &&
	    size_capped(rn, st, 2, v[1] + n))
		return SR_DONE;
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
	if (!rn_rbuf(rn, v[2]))
		return SR_DONE;
	rc = os_pread(rn->os, rn_fd(v[0]), rn->rbuf, v[2], v[1]);
	*r = rn_bytes(rn, rc);
	return SR_RESULT;
}

enum sr run_truncate(struct runner *rn, const struct scn_stmt *st,
		     const uint64_t *v, struct res *r)
{
	*r = rn_from_rc(os_ftruncate(rn->os, rn_fd(v[0]), v[1]));
	if (r->kind == RS_ERRNO && r->code == EFBIG && size_capped(rn, st, 1, v[1]))
		return SR_DONE;
	return SR_RESULT;
}

enum sr run_fsync(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	(void)st;
	*r = rn_from_rc(os_fsync(rn->os, rn_fd(v[0])));
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

/* The host file of a check, confined, opened read-only: the descriptor,
 * -1 with errno (the check fails), or -2 after a limit (the run stops). */
static int check_open(struct runner *rn, const struct scn_stmt *st, char **path)
{
	int rc = confine(rn, st, 0, path), fd;

	if (rc > 0)
		return -2;
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	fd = open(*path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	return fd;
}

enum sr run_check_file(struct runner *rn, const struct scn_stmt *st,
		       const uint64_t *v, struct res *r)
{
	const struct scn_bytes *want = &st->args[2].bytes;
	unsigned char *buf = malloc(want->n ? want->n : 1);
	char *path = NULL;
	ssize_t got = -1;
	int fd;

	(void)r;
	if (!buf) {
		rn_fatal(rn, "out of memory");
		return SR_DONE;
	}
	fd = check_open(rn, st, &path);
	if (fd == -2) {
		free(buf);
		return SR_DONE;
	}
	if (fd >= 0) {
		got = pread(fd, buf, want->n, (off_t)v[1]);
		close(fd);
	}
	sb_put(&rn->line, " =", 2);
	if (got < 0)
		rn_verdict(rn, false, "cannot read %s: %s", path ? path : st->args[0].str,
			   strerror(errno));
	else
		file_verdict(rn, buf, (size_t)got, want);
	free(buf);
	free(path);
	return SR_LINE;
}

enum sr run_check_size(struct runner *rn, const struct scn_stmt *st,
		       const uint64_t *v, struct res *r)
{
	char *path = NULL;
	struct stat sst;
	int fd = check_open(rn, st, &path);

	(void)r;
	if (fd == -2)
		return SR_DONE;
	if (fd < 0 || fstat(fd, &sst)) {
		sb_put(&rn->line, " =", 2);
		rn_verdict(rn, false, "cannot stat %s: %s", path ? path : st->args[0].str,
			   strerror(errno));
	} else {
		sb_printf(&rn->line, " = %lld", (long long)sst.st_size);
		rn_verdict(rn, (uint64_t)sst.st_size == v[1], "expected %" PRIu64, v[1]);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return SR_LINE;
}

enum sr run_unlink(struct runner *rn, const struct scn_stmt *st,
		   const uint64_t *v, struct res *r)
{
	char *path = NULL;
	int rc = os_current(rn->os);

	(void)v;
	if (rc >= 0) {
		rc = confine(rn, st, 0, &path);
		if (rc > 0)
			return SR_DONE;
	}
	if (!rc)
		rc = os_unlink(rn->os, path);
	free(path);
	*r = rn_from_rc(rc);
	return SR_RESULT;
}

enum sr run_fallocate(struct runner *rn, const struct scn_stmt *st,
		      const uint64_t *v, struct res *r)
{
	*r = rn_from_rc(os_fallocate(rn->os, rn_fd(v[0]), (int)v[1], (int64_t)v[2],
				     (int64_t)v[3]));
	if (r->kind == RS_ERRNO && r->code == EFBIG && v[2] <= INT64_MAX - v[3] &&
	    size_capped(rn, st, 3, v[2] + v[3]))
		return SR_DONE;
	return SR_RESULT;
}

/* A copy of what execve would run (a regular ELF file with an x bit: no
 * other host file is read), executable, in the files folder. */
static int copy_exe(const char *to, const char *from, uint64_t cap)
{
	char buf[65536];
	struct stat st;
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	if (fstat(in, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 0111) ||
	    pread(in, buf, 4, 0) != 4 || memcmp(buf, "\177ELF", 4)) {
		close(in);
		return -EACCES;
	}
	if ((uint64_t)st.st_size > cap) {
		close(in);
		return -EFBIG;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0)
		rc = -errno;
	while (!rc && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -EIO;
	if (out >= 0 && (close(out) || fchmodat(AT_FDCWD, to, 0755, 0)) && !rc)
		rc = -errno;
	close(in);
	return rc;
}

enum sr run_file_copy(struct runner *rn, const struct scn_stmt *st,
		      const uint64_t *v, struct res *r)
{
	const char *name = st->args[0].str;
	char *path;
	int rc;

	(void)v;
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		*r = rn_from_rc(-EINVAL);
		return SR_RESULT;
	}
	rc = confine(rn, st, 0, &path);
	if (rc > 0)
		return SR_DONE;
	if (!rc)
		rc = copy_exe(path, st->args[1].str, rn->lim.max_file_bytes);
	free(path);
	if (rc == -EFBIG && size_capped(rn, st, 1, rn->lim.max_file_bytes + 1))
		return SR_DONE;
	*r = rc < 0 ? rn_from_rc(rc) : (struct res){ .kind = RS_OK };
	return SR_RESULT;
}

int rn_file_arg(struct runner *rn, const struct scn_stmt *st)
{
	char *path = NULL;
	int rc = os_current(rn->os);

	if (rc >= 0) {
		rc = confine(rn, st, 0, &path);
		if (rc > 0)
			return RN_STOPPED;
	}
	if (!rc)
		rc = os_open(rn->os, path, scn_file_arg_flags(st->cmd) | O_NOFOLLOW, 0644);
	free(path);
	return rc;
}

unsigned char *rn_rbuf(struct runner *rn, size_t n)
{
	free(rn->rbuf);
	rn->rbuf = calloc(n ? n : 1, 1);
	if (!rn->rbuf)
		rn_fatal(rn, "out of memory");
	return rn->rbuf;
}

struct res rn_bytes(struct runner *rn, int64_t rc)
{
	if (rc < 0)
		return rn_from_rc(rc);
	return (struct res){ .kind = RS_BYTES, .bytes = rn->rbuf, .nbytes = (size_t)rc };
}
