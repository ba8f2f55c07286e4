/* SPDX-License-Identifier: MIT */
/* The board back end: see board.h; the protocol: board_proto.h. */
/* cfmakeraw, CRTSCTS and the speeds above 230400 are not POSIX. */
#define _DEFAULT_SOURCE
#include "board.h"
#include "board_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PHYS_HDR 7
#define MAX_WORDS 31       /* 8-byte pieces per PHYS_READ / PHYS_WRITE */
#define MAX_FILL 65535u    /* pieces per PHYS_FILL */
/* Counters narrower than 32 bits are read every this many frames, so that
 * none wraps twice unseen: one frame adds at most a few hundred to any
 * counter (a walk's cycles, a 4 KiB fill's lines). */
#define CNT_REFRESH 32

struct board {
	struct machine base;  /* first: a struct machine * is a struct board * */
	int fd;
	unsigned timeout_ms;
	unsigned cnt_w;       /* the board's counter width */
	bool broken;
	struct mmu_regs regs; /* as the last ACCESS / CTL answer reported */
	uint64_t cnt_raw[BOARD_COUNTERS], cnt_wide[BOARD_COUNTERS];
	uint64_t phys_lines, frames, bytes;
	unsigned since_refresh;  /* frames since the counters were read */
	uint8_t rsp[BOARD_MAX_PAYLOAD];
	unsigned rsp_len;
};

static const struct machine_ops board_ops;

static struct board *to_board(struct machine *m)
{
	return (struct board *)m;
}

#define BERR(b, ...) ((b)->broken = true, \
		      mmu_errf((b)->base.err, sizeof((b)->base.err), MMU_EBACKEND, __VA_ARGS__))

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static const char *code_str(unsigned code)
{
#define CODE_STR(name, value, doc) if (code == value) return doc;
	BOARD_CODES(CODE_STR)
#undef CODE_STR
	return "unknown answer code";
}

/* ---- transport ------------------------------------------------------------- */

static int write_all(struct board *b, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(b->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return BERR(b, "board: write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
		b->bytes += (uint64_t)w;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read n bytes before the deadline. */
static int read_all(struct board *b, uint8_t *p, size_t n, long long deadline)
{
	while (n) {
		struct pollfd pf = { .fd = b->fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t r;
		int rc;

		if (left <= 0)
			return BERR(b, "board: no answer within %u ms", b->timeout_ms);
		rc = poll(&pf, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return BERR(b, "board: poll: %s", strerror(errno));
		if (rc == 0)
			continue;
		r = read(b->fd, p, n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return BERR(b, "board: read: %s", r ? strerror(errno) :
				    "end of file (board gone)");
		p += r;
		n -= (size_t)r;
		b->bytes += (uint64_t)r;
	}
	return 0;
}

/* One frame out, its answer in: b->rsp[0..rsp_len).  Returns 0, or
 * MMU_EBACKEND for a transport error, a malformed answer or an error code
 * (with the board's explanation). */
static int after_frame(struct board *b);

static int transact(struct board *b, unsigned op, const uint8_t *pay,
		    unsigned len)
{
	uint8_t f[BOARD_MAX_PAYLOAD + 4], h[3], chk;
	long long deadline;
	unsigned sum = op + len, skipped = 0;
	int rc;

	if (b->broken)
		return MMU_EBACKEND;
	f[0] = BOARD_SYNC_REQ;
	f[1] = (uint8_t)op;
	f[2] = (uint8_t)len;
	for (unsigned i = 0; i < len; i++) {
		f[3 + i] = pay[i];
		sum += pay[i];
	}
	f[3 + len] = (uint8_t)(0u - sum);
	if ((rc = write_all(b, f, len + 4)))
		return rc;
	b->frames++;
	deadline = now_ms() + b->timeout_ms;
	/* Anything before the sync byte is noise (a board just configured). */
	do {
		if ((rc = read_all(b, h, 1, deadline)))
			return rc;
	} while (h[0] != BOARD_SYNC_RSP && ++skipped < 1024);
	if (h[0] != BOARD_SYNC_RSP)
		return BERR(b, "board: no answer frame (1024 bytes of noise)");
	if ((rc = read_all(b, h + 1, 2, deadline)) ||
	    (rc = read_all(b, b->rsp, h[2], deadline)) ||
	    (rc = read_all(b, &chk, 1, deadline)))
		return rc;
	b->frames++;
	b->rsp_len = h[2];
	sum = h[1] + h[2] + chk;
	for (unsigned i = 0; i < b->rsp_len; i++)
		sum += b->rsp[i];
	if (sum & 0xff)
		return BERR(b, "board: answer to operation %#x with a bad checksum"
			    "%s", op, h[1] == BOARD_CODE_OK ? "" :
			    " (and an error code)");
	if (h[1] != BOARD_CODE_OK)
		return BERR(b, "board: operation %#x answered %s (code %u)", op,
			    code_str(h[1]), h[1]);
	if (op == BOARD_OP_ACCESS || op == BOARD_OP_CTL || op == BOARD_OP_PHYS_READ ||
	    op == BOARD_OP_PHYS_WRITE || op == BOARD_OP_PHYS_FILL)
		return after_frame(b);
	return 0;
}

static int expect_len(struct board *b, unsigned op, unsigned want)
{
	if (b->rsp_len != want)
		return BERR(b, "board: operation %#x answered %u bytes, expected %u",
			    op, b->rsp_len, want);
	return 0;
}

/* ---- the machine operations ---------------------------------------------------- */

/* COUNTERS: the board's CNT_W-bit values, widened to 64 bits by adding
 * each one's change since the last read, modulo 2^CNT_W. */
static int read_counters(struct board *b)
{
	uint64_t mask = b->cnt_w >= 64 ? ~0ull : (1ull << b->cnt_w) - 1;
	int rc;

	b->since_refresh = 0;
	if ((rc = transact(b, BOARD_OP_COUNTERS, NULL, 0)) ||
	    (rc = expect_len(b, BOARD_OP_COUNTERS, BOARD_COUNTERS * 8)))
		return rc;
	for (unsigned i = 0; i < BOARD_COUNTERS; i++) {
		uint64_t v = get_le(b->rsp + 8 * i, 8) & mask;

		b->cnt_wide[i] += (v - b->cnt_raw[i]) & mask;
		b->cnt_raw[i] = v;
	}
	return 0;
}

/* After each frame that runs the MMU: narrow counters are read often
 * enough not to lose a wrap-around (the answer being copied out first). */
static int after_frame(struct board *b)
{
	uint8_t keep[BOARD_MAX_PAYLOAD];
	unsigned len = b->rsp_len;
	int rc;

	if (b->cnt_w >= 32 || ++b->since_refresh < CNT_REFRESH)
		return 0;
	memcpy(keep, b->rsp, len);
	rc = read_counters(b);
	memcpy(b->rsp, keep, len);
	b->rsp_len = len;
	return rc;
}

static void regs_from(struct board *b, const uint8_t *p)
{
	b->regs.cr0 = get_le(p, 8);
	b->regs.cr2 = get_le(p + 8, 8);
	b->regs.cr3 = get_le(p + 16, 8);
	b->regs.cr4 = get_le(p + 24, 8);
	b->regs.efer = get_le(p + 32, 8);
	b->regs.ac = p[40] & 1;
	b->regs.pkru = (uint32_t)get_le(p + 42, 4);
}

static unsigned log2_size(unsigned size)
{
	return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
}

static int board_access(struct machine *m, const struct mmu_req *req,
			struct mmu_outcome *o)
{
	struct board *b = to_board(m);
	unsigned s = req->size, n_ad;
	uint8_t p[17];
	const uint8_t *r;
	int rc;

	memset(o, 0, sizeof(*o));
	if (b->broken)
		return MMU_EBACKEND;
	if ((s != 1 && s != 2 && s != 4 && s != 8) || s > m->cfg.l1_line ||
	    (req->va & (s - 1)) || (unsigned)req->op > MMU_FETCH)
		return mmu_errf(m->err, sizeof(m->err), MMU_EINVAL,
			    "access of size %u at %#llx: size must be 1, 2, 4 "
			    "or 8, naturally aligned and at most a line",
			    s, (unsigned long long)req->va);
	put_le(p, req->va, 8);
	p[8] = (uint8_t)((unsigned)req->op << BOARD_CTRL_OP_SHIFT |
			 log2_size(s) << BOARD_CTRL_SIZE_SHIFT |
			 (unsigned)req->user << BOARD_CTRL_USER_SHIFT);
	put_le(p + 9, req->wdata, 8);
	if ((rc = transact(b, BOARD_OP_ACCESS, p, sizeof(p))))
		return rc;
	r = b->rsp;
	if (b->rsp_len < BOARD_ACC_HDR || (b->rsp_len - BOARD_ACC_HDR) % BOARD_ACC_AD)
		return BERR(b, "board: access answered %u bytes", b->rsp_len);
	n_ad = (b->rsp_len - BOARD_ACC_HDR) / BOARD_ACC_AD;
	if (n_ad > MMU_MAX_LEVELS || (r[1] & BOARD_FLAG_AD_OVERFLOW))
		return BERR(b, "board: more than %u A/D writes in one walk",
			    MMU_MAX_LEVELS);
	o->status = (enum mmu_status)(r[0] & 3);
	o->tlb_hit = r[1] & BOARD_FLAG_TLB_HIT;
	o->walked = r[1] & BOARD_FLAG_WALKED;
	o->l1_hit = r[1] & BOARD_FLAG_L1_HIT;
	o->page_level = (r[1] >> BOARD_FLAG_LEVEL_SHIFT) & 3;
	o->error_code = r[2];
	o->walk_reads = r[3] & 7;
	o->psc_level = (r[3] >> BOARD_WALK_PSC_SHIFT) & 7;
	o->pa = get_le(r + 4, 4);
	if (o->status == MMU_ST_PAGE_FAULT) {
		o->cr2 = get_le(r + 8, 8);
		b->regs.cr2 = o->cr2;
	} else {
		o->rdata = get_le(r + 8, 8);
	}
	o->n_ad = (uint8_t)n_ad;
	for (unsigned i = 0; i < n_ad; i++) {
		const uint8_t *a = r + BOARD_ACC_HDR + BOARD_ACC_AD * i;

		o->ad[i].pa = get_le(a, 8);
		o->ad[i].value = get_le(a + 8, 8);
	}
	return 0;
}

static int board_ctl(struct machine *m, const struct mmu_ctl *c,
		     enum mmu_ctl_result *res)
{
	struct board *b = to_board(m);
	uint8_t p[20];
	int rc;

	*res = MMU_CTL_DONE;
	if (b->broken)
		return MMU_EBACKEND;
	if ((rc = mmu_ctl_check(m, c)))
		return rc;
	/* The port carries a 2-bit type and a 12-bit PCID (as in the RTL
	 * glue): what does not fit raises #GP without asking the board. */
	if (c->op == MMU_CTL_INVPCID && (c->type > 3 || c->pcid > CR3_PCID_MASK)) {
		*res = MMU_CTL_GP;
		return 0;
	}
	p[0] = (uint8_t)c->op;
	p[1] = (uint8_t)c->type;
	put_le(p + 2, c->pcid, 2);
	put_le(p + 4, c->value, 8);
	put_le(p + 12, c->addr, 8);
	if ((rc = transact(b, BOARD_OP_CTL, p, sizeof(p))) ||
	    (rc = expect_len(b, BOARD_OP_CTL, BOARD_REGS_LEN)))
		return rc;
	regs_from(b, b->rsp);
	*res = b->rsp[41] & 1 ? MMU_CTL_GP : MMU_CTL_DONE;
	return 0;
}

static int phys_range(struct board *b, uint64_t pa, size_t len)
{
	if (pa >= b->base.mem_bytes || len > b->base.mem_bytes - pa)
		return mmu_errf(b->base.err, sizeof(b->base.err), MMU_ERANGE,
			    "physical access [%#llx, +%zu) outside %llu bytes "
			    "of memory", (unsigned long long)pa, len,
			    (unsigned long long)b->base.mem_bytes);
	return 0;
}

/* The largest naturally aligned piece (<= 8 bytes) at pa within len. */
static unsigned piece(uint64_t pa, size_t len)
{
	unsigned n = 8;

	while (n > 1 && ((pa & (n - 1)) || n > len))
		n >>= 1;
	return n;
}

static void count_lines(struct board *b, uint64_t pa, size_t len)
{
	const uint64_t line = b->base.cfg.l1_line;

	if (len)
		b->phys_lines += (pa + len - 1) / line - pa / line + 1;
}

/* A physical read or write may start: not broken, inside memory; its
 * lines counted as the model counts them (per call). */
static int phys_begin(struct board *b, uint64_t pa, size_t len)
{
	int rc;

	if (b->broken)
		return MMU_EBACKEND;
	if ((rc = phys_range(b, pa, len)))
		return rc;
	count_lines(b, pa, len);
	return 0;
}

static void phys_hdr(uint8_t *p, uint64_t pa, unsigned size, unsigned count)
{
	put_le(p, pa, 4);
	p[4] = (uint8_t)log2_size(size);
	put_le(p + 5, count, 2);
}

static int board_phys_read(struct machine *m, uint64_t pa, void *buf,
			   size_t len)
{
	struct board *b = to_board(m);
	uint8_t *out = buf, p[PHYS_HDR];
	int rc;

	if ((rc = phys_begin(b, pa, len)))
		return rc;
	while (len) {
		unsigned n = piece(pa, len), count = 1;

		if (n == 8)
			count = (unsigned)(len / 8 < MAX_WORDS ? len / 8 : MAX_WORDS);
		phys_hdr(p, pa, n, count);
		if ((rc = transact(b, BOARD_OP_PHYS_READ, p, sizeof(p))) ||
		    (rc = expect_len(b, BOARD_OP_PHYS_READ, n * count)))
			return rc;
		memcpy(out, b->rsp, n * count);
		out += n * count;
		pa += n * count;
		len -= n * count;
	}
	return 0;
}

/* 8-byte words at src equal to the first one (up to max). */
static unsigned same_words(const uint8_t *src, size_t words, unsigned max)
{
	unsigned n = 1;

	while (n < words && n < max && !memcmp(src, src + 8 * n, 8))
		n++;
	return n;
}

static int board_phys_write(struct machine *m, uint64_t pa, const void *buf,
			    size_t len)
{
	struct board *b = to_board(m);
	const uint8_t *src = buf;
	uint8_t p[PHYS_HDR + 8 * MAX_WORDS];
	int rc;

	if ((rc = phys_begin(b, pa, len)))
		return rc;
	while (len) {
		unsigned n = piece(pa, len), count = 1, op = BOARD_OP_PHYS_WRITE;
		unsigned data = n;

		if (n == 8) {
			count = same_words(src, len / 8, MAX_FILL);
			if (count > 1) {
				op = BOARD_OP_PHYS_FILL;
			} else {
				/* Words up to the next run of equal ones. */
				while (count < len / 8 && count < MAX_WORDS &&
				       same_words(src + 8 * count, len / 8 - count, 2) < 2)
					count++;
				data = 8 * count;
			}
		}
		phys_hdr(p, pa, n, count);
		memcpy(p + PHYS_HDR, src, data);
		if ((rc = transact(b, op, p, PHYS_HDR + data)) ||
		    (rc = expect_len(b, op, 0)))
			return rc;
		src += n * count;
		pa += n * count;
		len -= n * count;
	}
	return 0;
}

static int board_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct board *b = to_board(m);
	uint8_t *out = buf, p[5];
	int rc;

	if (b->broken)
		return MMU_EBACKEND;
	if ((rc = phys_range(b, pa, len)))
		return rc;
	while (len) {
		uint64_t base = pa & ~7ull;
		unsigned skip = (unsigned)(pa - base);
		uint64_t words = (skip + len + 7) / 8;
		unsigned take;

		if (words > BOARD_PEEK_MAX_WORDS)
			words = BOARD_PEEK_MAX_WORDS;
		put_le(p, base, 4);
		p[4] = (uint8_t)words;
		if ((rc = transact(b, BOARD_OP_PEEK, p, sizeof(p))) ||
		    (rc = expect_len(b, BOARD_OP_PEEK, (unsigned)words * 8)))
			return rc;
		take = (unsigned)words * 8 - skip;
		if (take > len)
			take = (unsigned)len;
		memcpy(out, b->rsp + skip, take);
		out += take;
		pa += take;
		len -= take;
	}
	return 0;
}

static void board_regs(struct machine *m, struct mmu_regs *regs)
{
	*regs = to_board(m)->regs;
}

/* Counters the board reports, in its port order: MMU_COUNTERS without the
 * ones the glue keeps (phys_lines, cycles). */
#define BOARD_CNT_NAMES(X)                                                   \
	X(accesses) X(tlb_hits) X(tlb_misses) X(walks) X(walk_reads)         \
	X(walk_writes) X(walk_cycles) X(psc_hits) X(l1_hits) X(l1_misses)    \
	X(walk_l1_hits) X(walk_l1_misses) X(line_fills) X(writebacks)        \
	X(page_faults) X(gp_faults) X(tlb_flushes)

static void board_counters(struct machine *m, struct mmu_counters *c)
{
	struct board *b = to_board(m);
	unsigned i = 0;

	memset(c, 0, sizeof(*c));
	/* An error leaves the last values (the next call reports it). */
	(void)read_counters(b);
#define COPY(name) c->name = b->cnt_wide[i++];
	BOARD_CNT_NAMES(COPY)
#undef COPY
	c->phys_lines = b->phys_lines;
}

static void board_destroy(struct machine *m)
{
	struct board *b = to_board(m);

	if (!b)
		return;
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

static const struct machine_ops board_ops = {
	.name = "board",
	.access = board_access,
	.ctl = board_ctl,
	.phys_read = board_phys_read,
	.phys_write = board_phys_write,
	.mem_peek = board_mem_peek,
	.regs = board_regs,
	.counters = board_counters,
	.destroy = board_destroy,
};

uint64_t board_frames(const struct machine *m)
{
	return m && m->ops == &board_ops ? ((const struct board *)m)->frames : 0;
}

uint64_t board_bytes(const struct machine *m)
{
	return m && m->ops == &board_ops ? ((const struct board *)m)->bytes : 0;
}

/* ---- opening ---------------------------------------------------------------------- */

unsigned board_speed(unsigned baud)
{
	static const struct { unsigned baud; speed_t speed; } t[] = {
		{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
		{ 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
		{ 460800, B460800 }, { 500000, B500000 }, { 921600, B921600 },
		{ 1000000, B1000000 }, { 1500000, B1500000 },
		{ 2000000, B2000000 }, { 3000000, B3000000 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].baud == baud)
			return (unsigned)t[i].speed;
	return 0;
}

static int open_line(const char *dev, unsigned baud, int *fd, char *err,
		     size_t errlen)
{
	unsigned speed = board_speed(baud);
	struct termios t;

	if (!speed)
		return mmu_errf(err, errlen, MMU_EINVAL, "board: baud rate %u: not "
			    "one of 9600 ... 3000000 (termios)", baud);
	*fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0)
		return mmu_errf(err, errlen, MMU_EINVAL, "board: cannot open %s: %s",
			    dev, strerror(errno));
	if (tcgetattr(*fd, &t)) {
		int e = errno;

		close(*fd);
		return mmu_errf(err, errlen, MMU_EINVAL, "board: %s is not a serial "
			    "line: %s", dev, strerror(e));
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	cfsetispeed(&t, (speed_t)speed);
	cfsetospeed(&t, (speed_t)speed);
	if (tcsetattr(*fd, TCSANOW, &t)) {
		int e = errno;

		close(*fd);
		return mmu_errf(err, errlen, MMU_EINVAL, "board: %s: cannot set %u "
			    "baud, 8N1, raw: %s", dev, baud, strerror(e));
	}
	tcflush(*fd, TCIOFLUSH);
	return 0;
}

/* The board's INFO against the configuration. */
static int check_info(struct board *b, const struct mmu_config *c,
		      char *err, size_t errlen)
{
	const uint8_t *r = b->rsp;
	int rc = transact(b, BOARD_OP_INFO, NULL, 0);

	if (!rc)
		rc = expect_len(b, BOARD_OP_INFO, BOARD_INFO_LEN);
	if (rc)
		return mmu_errf(err, errlen, rc, "%s", b->base.err);
	if (get_le(r, 4) != BOARD_INFO_MAGIC || r[4] != 1)
		return mmu_errf(err, errlen, MMU_EBACKEND, "board: the device does not "
			    "identify as an MMU board (protocol 1)");
	b->cnt_w = r[6];
	if (r[5] != c->pa_bits || r[7] != c->levels || r[8] != c->tlb_sets ||
	    r[9] != c->tlb_ways || r[10] != c->l1_sets || r[11] != c->l1_ways ||
	    r[12] != c->l1_line || c->psc_entries)
		return mmu_errf(err, errlen, MMU_EINVAL, "board: built for pa_bits %u, "
			    "%u levels, TLB %ux%u, L1 %ux%u of %u-byte lines, no "
			    "PSC; configuration '%s' differs (use --config board)",
			    r[5], r[7], r[8], r[9], r[10], r[11], r[12], c->name);
	if (r[13] >= 64 || b->base.mem_bytes > (1ull << r[13]) || !b->cnt_w)
		return mmu_errf(err, errlen, MMU_EINVAL, "board: %llu bytes of memory "
			    "asked, the board has 2^%u",
			    (unsigned long long)b->base.mem_bytes, r[13]);
	return 0;
}

int board_create(const struct mmu_config *cfg, uint64_t mem_bytes,
		 const struct board_opts *o, struct machine **out, char *err,
		 size_t errlen)
{
	static const struct board_opts defaults;
	struct mmu_config c = *cfg;
	char msg[MMU_CFG_ERR_MAX];
	struct board *b;
	int rc, fd = -1;

	if (!o)
		o = &defaults;
	if (mmu_config_validate(&c, msg, sizeof(msg)))
		return mmu_errf(err, errlen, MMU_EINVAL, "%s", msg);
	if (!mem_bytes)
		mem_bytes = c.mem_bytes;
	if ((rc = open_line(o->device ? o->device : BOARD_DEFAULT_DEVICE,
			    o->baud ? o->baud : BOARD_DEFAULT_BAUD, &fd, err, errlen)))
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b) {
		close(fd);
		return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
	}
	b->base.ops = &board_ops;
	b->base.cfg = c;
	b->base.mem_bytes = mem_bytes;
	b->fd = fd;
	b->timeout_ms = o->timeout_ms ? o->timeout_ms : BOARD_DEFAULT_TIMEOUT_MS;
	if (!(rc = check_info(b, &c, err, errlen))) {
		rc = transact(b, BOARD_OP_RESET, NULL, 0);
		if (!rc)
			rc = transact(b, BOARD_OP_REGS, NULL, 0);
		if (!rc)
			rc = expect_len(b, BOARD_OP_REGS, BOARD_REGS_LEN);
		if (rc)
			mmu_errf(err, errlen, rc, "%s", b->base.err);
	}
	if (rc) {
		board_destroy(&b->base);
		return rc;
	}
	regs_from(b, b->rsp);
	*out = &b->base;
	return 0;
}
