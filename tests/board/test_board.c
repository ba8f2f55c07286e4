/* SPDX-License-Identifier: MIT */
/*
 * The board back end against a scripted fake board on a pseudo-terminal
 * (a child process): what the back end does with answers it must not
 * trust — a wrong identity or geometry, a bad checksum, an error code,
 * silence, an impossible A/D count — and a well-behaved exchange (open,
 * access, registers, counters widened across a 16-bit wrap).
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 600
#include "../../sw/board/board.h"
#include "../../sw/board/board_proto.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

enum fake_mode {
	FAKE_GOOD,      /* a board of the `board` configuration */
	FAKE_MAGIC,     /* INFO with a wrong magic */
	FAKE_BADSUM,    /* every answer with a bad checksum */
	FAKE_SILENT,    /* never answers */
	FAKE_HUNG,      /* answers RESET with HUNG */
	FAKE_OVERFLOW,  /* ACCESS answers with the A/D overflow flag */
};

static struct mmu_config cfg;
static unsigned checked;

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static int read_n(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void answer(int fd, unsigned code, const uint8_t *pay, unsigned len,
		   int bad)
{
	uint8_t f[BOARD_MAX_PAYLOAD + 4];
	unsigned sum = code + len;

	f[0] = BOARD_SYNC_RSP;
	f[1] = (uint8_t)code;
	f[2] = (uint8_t)len;
	for (unsigned i = 0; i < len; i++) {
		f[3 + i] = pay[i];
		sum += pay[i];
	}
	f[3 + len] = (uint8_t)(0u - sum + (unsigned)bad);
	if (write(fd, f, len + 4) != (ssize_t)(len + 4))
		_exit(3);
}

/* The fake board: serves frames until the host closes the line. */
static void fake(int fd, enum fake_mode mode)
{
	uint8_t h[3], pay[BOARD_MAX_PAYLOAD + 1], a[BOARD_MAX_PAYLOAD];
	unsigned calls = 0;

	for (;;) {
		if (read_n(fd, h, 1))
			_exit(0);
		if (h[0] != BOARD_SYNC_REQ)
			continue;
		if (read_n(fd, h + 1, 2) || read_n(fd, pay, h[2] + 1u))
			_exit(0);
		memset(a, 0, sizeof(a));
		if (mode == FAKE_SILENT)
			continue;
		switch (h[1]) {
		case BOARD_OP_INFO:
			put_le(a, mode == FAKE_MAGIC ? 0x12345678 : BOARD_INFO_MAGIC, 4);
			a[4] = 1;
			a[5] = (uint8_t)cfg.pa_bits;
			a[6] = 16;
			a[7] = (uint8_t)cfg.levels;
			a[8] = (uint8_t)cfg.tlb_sets;
			a[9] = (uint8_t)cfg.tlb_ways;
			a[10] = (uint8_t)cfg.l1_sets;
			a[11] = (uint8_t)cfg.l1_ways;
			a[12] = (uint8_t)cfg.l1_line;
			a[13] = 17;
			a[14] = 2;
			answer(fd, 0, a, BOARD_INFO_LEN, mode == FAKE_BADSUM);
			break;
		case BOARD_OP_RESET:
			if (mode == FAKE_HUNG) {
				a[0] = h[1];
				answer(fd, BOARD_CODE_HUNG, a, 1, 0);
			} else {
				answer(fd, 0, a, 0, 0);
			}
			break;
		case BOARD_OP_REGS:
		case BOARD_OP_CTL:
			put_le(a + 16, 0x1000, 8);  /* cr3 */
			answer(fd, 0, a, BOARD_REGS_LEN, 0);
			break;
		case BOARD_OP_ACCESS:
			a[0] = MMU_ST_OK;
			a[1] = BOARD_FLAG_TLB_HIT | BOARD_FLAG_L1_HIT |
			       (mode == FAKE_OVERFLOW ? BOARD_FLAG_AD_OVERFLOW : 0);
			put_le(a + 4, 0x5000, 4);
			put_le(a + 8, 0x1122334455667788ull, 8);
			answer(fd, 0, a, BOARD_ACC_HDR, 0);
			break;
		case BOARD_OP_COUNTERS:
			/* accesses: 0xfff0 at the first read, then 0x0010 (a wrap) */
			put_le(a, calls++ ? 0x0010 : 0xfff0, 8);
			answer(fd, 0, a, BOARD_COUNTERS * 8, 0);
			break;
		default:
			a[0] = h[1];
			answer(fd, BOARD_CODE_BAD_OP, a, 1, 0);
		}
	}
}

struct fake_board {
	pid_t pid;
	char name[128];
};

static void fake_start(struct fake_board *fb, enum fake_mode mode)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;
	struct termios t;

	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	snprintf(fb->name, sizeof(fb->name), "%s", ptsname(m));
	/* Keep a slave open (raw) so the master never sees a hang-up. */
	s = open(fb->name, O_RDWR | O_NOCTTY);
	assert_true(s >= 0);
	assert_int_equal(tcgetattr(s, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(s, TCSANOW, &t), 0);
	fb->pid = fork();
	assert_true(fb->pid >= 0);
	if (!fb->pid) {
		fake(m, mode);
		_exit(0);
	}
	close(m);
	/* the slave stays open in this process until exit: harmless */
	(void)s;
}

static void fake_stop(struct fake_board *fb)
{
	kill(fb->pid, SIGTERM);
	waitpid(fb->pid, NULL, 0);
}

static int open_fake(struct fake_board *fb, const char *config, char *err,
		     size_t errlen, struct machine **m)
{
	struct board_opts o = { .device = fb->name, .baud = 115200, .timeout_ms = 300 };
	struct mmu_config c;

	assert_int_equal(mmu_config_load(config, &c, err, errlen), 0);
	return board_create(&c, 0, &o, m, err, errlen);
}

static void refused(enum fake_mode mode, const char *config, int code,
		    const char *msg)
{
	struct fake_board fb;
	struct machine *m = NULL;
	char err[512] = "";

	fake_start(&fb, mode);
	assert_int_equal(open_fake(&fb, config, err, sizeof(err), &m), code);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	assert_null(m);
	fake_stop(&fb);
	checked++;
}

static void test_refusals(void **state)
{
	struct board_opts o = { .device = "/nonexistent/tty" };
	struct machine *m = NULL;
	char err[256];

	(void)state;
	refused(FAKE_MAGIC, "board", MMU_EBACKEND, "does not identify as an MMU board");
	refused(FAKE_GOOD, "fpga", MMU_EINVAL, "configuration 'fpga' differs");
	refused(FAKE_BADSUM, "board", MMU_EBACKEND, "bad checksum");
	refused(FAKE_SILENT, "board", MMU_EBACKEND, "no answer within 300 ms");
	refused(FAKE_HUNG, "board", MMU_EBACKEND, "did not answer (watchdog");
	assert_int_equal(board_create(&cfg, 0, &o, &m, err, sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "cannot open /nonexistent/tty"));
	o.device = "/dev/null";
	assert_int_equal(board_create(&cfg, 0, &o, &m, err, sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "not a serial line"));
	o.baud = 12345;
	assert_int_equal(board_create(&cfg, 0, &o, &m, err, sizeof(err)), MMU_EINVAL);
	assert_non_null(strstr(err, "baud rate 12345"));
	assert_int_equal(board_speed(115200), B115200);
	assert_int_equal(board_speed(7), 0);
	checked += 4;
}

static void test_exchange(void **state)
{
	struct fake_board fb;
	struct machine *m = NULL;
	struct mmu_req r = { .va = 0x5000, .op = MMU_LOAD, .size = 8 };
	struct mmu_outcome o;
	struct mmu_counters c;
	struct mmu_regs regs;
	char err[512] = "";

	(void)state;
	fake_start(&fb, FAKE_GOOD);
	assert_int_equal(open_fake(&fb, "board", err, sizeof(err), &m), 0);
	m->ops->regs(m, &regs);
	assert_int_equal(regs.cr3, 0x1000);
	assert_int_equal(machine_access(m, &r, &o), 0);
	assert_int_equal(o.status, MMU_ST_OK);
	assert_true(o.tlb_hit && o.l1_hit && !o.walked);
	assert_int_equal(o.rdata, 0x1122334455667788ull);
	assert_int_equal(o.pa, 0x5000);
	r.size = 3;  /* refused before any frame */
	assert_int_equal(machine_access(m, &r, &o), MMU_EINVAL);
	assert_int_equal(machine_phys_read(m, m->mem_bytes, &regs, 1), MMU_ERANGE);
	/* 16-bit counters: 0xfff0 then 0x0010 is 0x20 more, not less. */
	m->ops->counters(m, &c);
	assert_int_equal(c.accesses, 0xfff0);
	m->ops->counters(m, &c);
	assert_int_equal(c.accesses, 0x10010);
	machine_destroy(m);
	fake_stop(&fb);

	fake_start(&fb, FAKE_OVERFLOW);
	assert_int_equal(open_fake(&fb, "board", err, sizeof(err), &m), 0);
	r.size = 8;
	assert_int_equal(machine_access(m, &r, &o), MMU_EBACKEND);
	assert_non_null(strstr(m->err, "A/D writes in one walk"));
	/* A broken machine refuses every later call. */
	assert_int_equal(machine_access(m, &r, &o), MMU_EBACKEND);
	machine_destroy(m);
	fake_stop(&fb);
	checked += 12;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_exchange),
	};
	char err[256];
	int rc;

	if (mmu_config_load("board", &cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("board: back end against a fake board on a pty: identity, "
	       "geometry, checksum, silence, error codes, A/D overflow, an "
	       "access, counters widened across a wrap (%u checks)\n", checked);
	return rc;
}
