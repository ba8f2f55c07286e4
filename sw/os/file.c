/* SPDX-License-Identifier: MIT */
/*
 * Files: descriptors, open file descriptions, inodes over real host files,
 * and the read/write/truncate calls (through the page cache).
 *
 * One inode per host file (dev, ino), however many times it is opened, so
 * that every descriptor and mapping shares one page cache.  The inode keeps
 * a host descriptor for reading pages in and, once some open allowed
 * writing, one for writing pages back.  pwrite updates the cached pages
 * (mappings see it at once) and the host file (write-through).
 */
#define _GNU_SOURCE
#include "os_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FALLOC_MODE_MASK (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
			  FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
			  FALLOC_FL_UNSHARE_RANGE)

char *k_path_resolve(struct os *os, const char *path)
{
	char *r;

	if (path[0] == '/' || !os->root)
		return strdup(path);
	r = malloc(strlen(os->root) + strlen(path) + 2);
	if (r)
		sprintf(r, "%s/%s", os->root, path);
	return r;
}

void k_inode_get(struct inode *ino)
{
	ino->refs++;
}

static void inode_unlink(struct os *os, struct inode *ino)
{
	for (struct inode **pp = &os->inodes; *pp; pp = &(*pp)->next) {
		if (*pp == ino) {
			*pp = ino->next;
			return;
		}
	}
}

void k_inode_put(struct os *os, struct inode *ino)
{
	if (ino->refs && --ino->refs)
		return;
	/* Last reference: the cache goes (dirty pages written back first;
	 * a write-back error is left in os->err). */
	k_pc_release_inode(os, ino);
	inode_unlink(os, ino);
	if (ino->rfd >= 0)
		close(ino->rfd);
	if (ino->wfd >= 0)
		close(ino->wfd);
	k_hmap_free(&ino->pages);
	free(ino->path);
	free(ino);
}

static struct inode *inode_find(struct os *os, const struct stat *st)
{
	for (struct inode *i = os->inodes; i; i = i->next)
		if (!i->shmem && i->ino == (uint64_t)st->st_ino &&
		    i->dev_major == major(st->st_dev) &&
		    i->dev_minor == minor(st->st_dev))
			return i;
	return NULL;
}

static struct inode *inode_new(struct os *os)
{
	struct inode *ino = calloc(1, sizeof(*ino));

	if (!ino)
		return NULL;
	ino->rfd = ino->wfd = -1;
	ino->next = os->inodes;
	os->inodes = ino;
	return ino;
}

struct inode *k_shmem_new(struct os *os, uint64_t size)
{
	struct inode *ino = inode_new(os);

	if (!ino)
		return NULL;
	ino->shmem = true;
	ino->is_reg = true;
	ino->size = size;
	ino->dev_major = 0;
	ino->dev_minor = 1;
	ino->ino = ++os->next_shmem_ino;
	ino->path = strdup("/dev/zero (deleted)");
	if (!ino->path) {
		inode_unlink(os, ino);
		free(ino);
		return NULL;
	}
	return ino;
}

static int fill_inode(struct inode *ino, const char *path,
		      const struct stat *st)
{
	char *real = realpath(path, NULL);

	ino->path = real ? real : strdup(path);
	if (!ino->path)
		return -ENOMEM;
	ino->ino = (uint64_t)st->st_ino;
	ino->dev_major = major(st->st_dev);
	ino->dev_minor = minor(st->st_dev);
	ino->size = (uint64_t)st->st_size;
	ino->is_reg = S_ISREG(st->st_mode);
	return 0;
}

int k_inode_open_host(struct os *os, const char *path, int flags, int mode,
		    struct inode **out, int *accmode)
{
	int hflags = flags & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC |
			      O_APPEND | O_NOFOLLOW | O_DIRECTORY);
	int acc = flags & O_ACCMODE, h, rc = 0;
	struct inode *ino;
	struct stat st;

	if (acc == O_ACCMODE)
		return -EINVAL;
	/* Writing a running executable: ETXTBSY, before O_TRUNC acts. */
	if (acc != O_RDONLY && !stat(path, &st) && (ino = inode_find(os, &st)) &&
	    ino->exec_deny)
		return -ETXTBSY;
	h = open(path, hflags | O_CLOEXEC, mode);
	if (h < 0)
		return -errno;
	if (fstat(h, &st)) {
		rc = -errno;
		close(h);
		return rc;
	}
	ino = inode_find(os, &st);
	if (!ino) {
		ino = inode_new(os);
		if (!ino || fill_inode(ino, path, &st)) {
			if (ino) {
				inode_unlink(os, ino);
				free(ino);
			}
			close(h);
			return -ENOMEM;
		}
	} else if ((flags & O_TRUNC) && acc != O_RDONLY && ino->is_reg) {
		/* The host truncated it: so does the cache. */
		rc = k_pc_truncate(os, ino, 0);
		ino->size = 0;
	}
	if (ino->rfd < 0 && acc != O_WRONLY)
		ino->rfd = dup(h);
	if (ino->wfd < 0 && acc != O_RDONLY)
		ino->wfd = dup(h);
	close(h);
	ino->refs++;
	*out = ino;
	*accmode = flags & (O_ACCMODE | O_APPEND);
	return rc;
}

struct ofile *k_fd_get(struct proc *p, int fd)
{
	if (!p || fd < 0 || fd >= p->nfds)
		return NULL;
	return p->fds[fd];
}

static bool writable(const struct ofile *of);

void k_ofile_put(struct os *os, struct ofile *of)
{
	if (--of->refs)
		return;
	if (writable(of) && of->ino->writers)
		of->ino->writers--;
	k_inode_put(os, of->ino);
	free(of);
}

int k_fd_install(struct proc *p, struct ofile *of)
{
	int fd;

	for (fd = 3; fd < p->nfds && p->fds[fd]; fd++)
		;
	if (fd >= p->nfds) {
		int n = p->nfds ? p->nfds * 2 : 16;
		struct ofile **f = realloc(p->fds, (size_t)n * sizeof(*f));

		if (!f)
			return -ENOMEM;
		memset(f + p->nfds, 0, (size_t)(n - p->nfds) * sizeof(*f));
		p->fds = f;
		p->nfds = n;
	}
	p->fds[fd] = of;
	return fd;
}

int os_open(struct os *os, const char *path, int flags, int mode)
{
	struct ofile *of;
	char *full;
	int rc, fd;

	if (!os->cur)
		return -ESRCH;
	full = k_path_resolve(os, path);
	of = calloc(1, sizeof(*of));
	if (!full || !of) {
		free(full);
		free(of);
		return -ENOMEM;
	}
	rc = k_inode_open_host(os, full, flags, mode, &of->ino, &of->flags);
	free(full);
	if (rc < 0) {
		if (of->ino)
			k_inode_put(os, of->ino);
		free(of);
		return rc;
	}
	of->refs = 1;
	of->id = ++os->next_file_id;
	if (writable(of))
		of->ino->writers++;
	fd = k_fd_install(os->cur, of);
	if (fd < 0)
		k_ofile_put(os, of);
	return fd;
}

int os_close(struct os *os, int fd)
{
	struct ofile *of = k_fd_get(os->cur, fd);

	if (!of)
		return -EBADF;
	os->cur->fds[fd] = NULL;
	k_ofile_put(os, of);
	return 0;
}

static bool readable(const struct ofile *of)
{
	return (of->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct ofile *of)
{
	return (of->flags & O_ACCMODE) != O_RDONLY;
}

int64_t os_pread(struct os *os, int fd, void *buf, uint64_t len, uint64_t off)
{
	struct ofile *of = k_fd_get(os->cur, fd);
	struct inode *ino;
	uint64_t done = 0;

	if (!of || !readable(of))
		return -EBADF;
	ino = of->ino;
	if (!ino->is_reg)
		return -EISDIR;
	if (off > INT64_MAX || len > INT64_MAX - off)
		return -EINVAL;
	while (done < len && off + done < ino->size) {
		uint64_t pos = off + done, in = pos & ~PG_MASK, pfn;
		uint64_t n = PG_SIZE - in;
		bool major;
		int rc;

		if (n > len - done)
			n = len - done;
		if (n > ino->size - pos)
			n = ino->size - pos;
		rc = k_pc_get(os, ino, pos >> PG_SHIFT, &pfn, &major);
		if (!rc)
			rc = os_mchk(os, machine_phys_read(os->m, pfn_pa(pfn) + in,
							   (uint8_t *)buf + done,
							   (size_t)n),
				     "pread");
		if (rc)
			return done ? (int64_t)done : rc;
		done += n;
	}
	return (int64_t)done;
}

/* The written bytes go into the pages that are cached (the others are
 * read from the host file when needed). */
static int write_cached(struct os *os, struct inode *ino, const uint8_t *buf,
			uint64_t len, uint64_t off)
{
	for (uint64_t done = 0; done < len;) {
		uint64_t pos = off + done, in = pos & ~PG_MASK, pfn;
		uint64_t n = PG_SIZE - in < len - done ? PG_SIZE - in
						       : len - done;

		if (k_pc_lookup(ino, pos >> PG_SHIFT, &pfn)) {
			int rc = machine_phys_write(os->m, pfn_pa(pfn) + in,
						    buf + done, (size_t)n);

			if (rc)
				return os_mchk(os, rc, "pwrite");
		}
		done += n;
	}
	return 0;
}

int64_t os_pwrite(struct os *os, int fd, const void *buf, uint64_t len,
		  uint64_t off)
{
	struct ofile *of = k_fd_get(os->cur, fd);
	struct inode *ino;
	ssize_t n;
	int rc;

	if (!of || !writable(of))
		return -EBADF;
	ino = of->ino;
	if (!ino->is_reg)
		return -EISDIR;
	if (off > INT64_MAX)
		return -EINVAL;
	/* Linux: with O_APPEND, pwrite appends whatever the offset. */
	if (of->flags & O_APPEND)
		off = ino->size;
	if (len > INT64_MAX - off)
		return -EFBIG;
	if (!len)
		return 0;
	if (os->o.fsize_rlimit && off + len > os->o.fsize_rlimit)
		return -EFBIG;
	rc = k_pc_extend(os, ino, off + len);
	if (!rc)
		rc = write_cached(os, ino, buf, len, off);
	if (rc)
		return rc;
	n = pwrite(ino->wfd, buf, (size_t)len, (off_t)off);
	if (n < 0)
		return -errno;
	if (off + (uint64_t)n > ino->size)
		ino->size = off + (uint64_t)n;
	return n;
}

/* The file becomes len long: RLIMIT_FSIZE, the cache, the host file. */
static int resize(struct os *os, struct inode *ino, uint64_t len)
{
	int rc;

	if (os->o.fsize_rlimit && len > os->o.fsize_rlimit)
		return -EFBIG;
	if (len < ino->size)
		rc = k_pc_truncate(os, ino, len);
	else
		rc = k_pc_extend(os, ino, len);
	if (rc)
		return rc;
	if (ftruncate(ino->wfd, (off_t)len))
		return -errno;
	ino->size = len;
	return 0;
}

int os_ftruncate(struct os *os, int fd, uint64_t len)
{
	struct ofile *of = k_fd_get(os->cur, fd);
	struct inode *ino;

	if (!of)
		return -EBADF;
	ino = of->ino;
	if (!ino->is_reg || !writable(of) || len > INT64_MAX)
		return -EINVAL;
	return resize(os, ino, len);
}

int os_fsync(struct os *os, int fd)
{
	struct ofile *of = k_fd_get(os->cur, fd);

	if (!of)
		return -EBADF;
	if (of->ino->shmem || !of->ino->is_reg)
		return 0;
	return k_pc_sync_range(os, of->ino, 0, UINT64_MAX, true);
}

int64_t os_fsize(struct os *os, int fd)
{
	struct ofile *of = k_fd_get(os->cur, fd);

	if (!of)
		return -EBADF;
	return (int64_t)of->ino->size;
}

int os_sync(struct os *os)
{
	int rc = 0;

	for (struct inode *i = os->inodes; i && !rc; i = i->next)
		if (!i->shmem && i->is_reg)
			rc = k_pc_sync_range(os, i, 0, UINT64_MAX, true);
	return rc;
}

int os_unlink(struct os *os, const char *path)
{
	char *full;
	struct inode *ino;
	struct stat st;
	int rc = 0;

	if (!os->cur)
		return -ESRCH;
	full = k_path_resolve(os, path);
	if (!full)
		return -ENOMEM;
	if (lstat(full, &st) || unlink(full))
		rc = -errno;
	else if (st.st_nlink <= 1 && (ino = inode_find(os, &st)))
		ino->unlinked = true; /* lives on in its descriptors */
	free(full);
	return rc;
}

/* vfs_fallocate()'s checks of the mode, in Linux's order. */
static int falloc_mode_ok(int mode)
{
	if (mode & ~(FALLOC_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_MODE_MASK) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return (mode & FALLOC_FL_KEEP_SIZE) ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		return (mode & FALLOC_FL_KEEP_SIZE) ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

int os_fallocate(struct os *os, int fd, int mode, int64_t off, int64_t len)
{
	struct ofile *of = k_fd_get(os->cur, fd);
	struct inode *ino;
	uint64_t end;
	int rc;

	if (!of)
		return -EBADF;
	ino = of->ino;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((rc = falloc_mode_ok(mode)))
		return rc;
	if (!writable(of))
		return -EBADF;
	if (!ino->is_reg)
		return -ENODEV;
	if (off > INT64_MAX - len)
		return -EFBIG;
	end = (uint64_t)(off + len);
	/* What ext4 does not do (UNSHARE), or this model does not (ZERO,
	 * COLLAPSE, INSERT ranges). */
	if ((mode & FALLOC_MODE_MASK) && (mode & FALLOC_MODE_MASK) != FALLOC_FL_PUNCH_HOLE)
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return k_pc_punch(os, ino, (uint64_t)off, (uint64_t)len);
	if ((mode & FALLOC_FL_KEEP_SIZE) || end <= ino->size)
		return 0; /* blocks allocated: nothing a program sees */
	return resize(os, ino, end);
}

bool k_inode_writing(struct os *os, const struct stat *st)
{
	struct inode *ino = inode_find(os, st);

	return ino && ino->writers;
}

void k_mm_set_exe(struct os *os, struct mm *mm, struct inode *ino)
{
	if (ino) {
		k_inode_get(ino);
		ino->exec_deny++;
	}
	if (mm->exe) {
		mm->exe->exec_deny--;
		k_inode_put(os, mm->exe);
	}
	mm->exe = ino;
}
