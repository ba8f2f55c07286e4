/* SPDX-License-Identifier: MIT */
/*
 * board_sim: the simulated board.  The Verilated board top (MMU, memory,
 * UART link: rtl/mmu_board_top.sv) with its UART pins bridged to a
 * pseudo-terminal, bit by bit at the model's clocks per bit, so that the
 * `board` back end (sw/board) talks to it exactly as to a real board:
 *
 *   board_sim [--name-file FILE] [--max-cycles N]
 *       prints the terminal's path (and writes it to FILE), then serves
 *       until SIGTERM/SIGINT, an RTL assertion, or N cycles;
 *   board_sim --selftest
 *       sends well-formed and malformed frames to the model directly and
 *       checks every answer (errors answered, never hung).
 *
 * Simulated time runs while there is something to do: bytes to send or
 * being received, the link executing or answering.  With nothing to do the
 * harness waits for the host; when a frame has stopped mid-way for 100 ms
 * of host time, simulated time runs on so the board's own inter-byte
 * timeout answers it.
 */
#define _DEFAULT_SOURCE  /* cfmakeraw */
#define _XOPEN_SOURCE 600  /* posix_openpt, grantpt, ptsname */
#include "board_shim.h"
#include "board/board_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define QUEUE 4096
#define BATCH 256           /* cycles between looks at the terminal */
#define STALL_MS 100        /* host silence mid-frame before time runs on */
#define RESET_CYCLES 4

/* ---- the UART pins, bit by bit ------------------------------------------- */

struct uart_out {           /* host -> board: drives rx */
	uint8_t q[QUEUE];
	unsigned head, tail;    /* queue of bytes */
	int bit;                /* -1 idle; 0 start, 1..8 data, 9 stop */
	unsigned cnt;
	uint8_t cur;
};

struct uart_in {            /* board -> host: samples tx */
	int bit;                /* -1 idle */
	unsigned cnt;
	uint8_t cur;
};

static unsigned cpb;

static unsigned q_len(const struct uart_out *u)
{
	return (u->tail - u->head) % QUEUE;
}

static void q_push(struct uart_out *u, uint8_t b)
{
	u->q[u->tail] = b;
	u->tail = (u->tail + 1) % QUEUE;
}

static int out_pin(struct uart_out *u)
{
	int level;

	if (u->bit < 0) {
		if (!q_len(u))
			return 1;
		u->cur = u->q[u->head];
		u->head = (u->head + 1) % QUEUE;
		u->bit = 0;
		u->cnt = 0;
	}
	level = u->bit == 0 ? 0 : u->bit == 9 ? 1 : (u->cur >> (u->bit - 1)) & 1;
	if (++u->cnt == cpb) {
		u->cnt = 0;
		if (++u->bit == 10)
			u->bit = -1;
	}
	return level;
}

/* Sample tx once per cycle; returns a byte (0..255) when one completes. */
static int in_pin(struct uart_in *u, int tx)
{
	if (u->bit < 0) {
		if (!tx) {
			u->bit = 0;
			u->cnt = cpb / 2 - 1;  /* to the middle of the start bit */
		}
		return -1;
	}
	if (u->cnt--)
		return -1;
	u->cnt = cpb - 1;
	if (u->bit >= 1 && u->bit <= 8)
		u->cur = (uint8_t)(u->cur >> 1 | (tx ? 0x80 : 0));
	if (u->bit == 9) {
		u->bit = -1;
		return tx ? u->cur : -1;  /* a stop bit of 0 drops the byte */
	}
	u->bit++;
	return -1;
}

/* ---- the model ------------------------------------------------------------ */

struct sim {
	void *m;
	struct board_pins p;
	struct uart_out out;
	struct uart_in in;
	uint64_t cycles;
	bool failed;
};

/* One cycle; returns a byte the board sent, or -1. */
static int step(struct sim *s)
{
	s->p.rx = out_pin(&s->out);
	board_model_cycle(s->m, &s->p);
	s->cycles++;
	if (board_model_errors(s->m) && !s->failed) {
		s->failed = true;
		fprintf(stderr, "board_sim: RTL assertion failed by cycle %llu\n",
			(unsigned long long)s->cycles);
	}
	return in_pin(&s->in, s->p.tx);
}

static bool active(const struct sim *s)
{
	return q_len(&s->out) || s->out.bit >= 0 || s->in.bit >= 0 ||
	       (s->p.leds & BOARD_LED_BUSY) || !s->p.tx;
}

static void sim_init(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	s->out.bit = -1;
	s->in.bit = -1;
	s->m = board_model_create();
	s->p.rx = 1;
	s->p.tx = 1;
	for (int i = 0; i < RESET_CYCLES; i++)
		step(s);
	s->p.rst_n = 1;
}

/* ---- protocol statistics: frames and bytes per operation ----------------- */

struct frame_scan {          /* follows one direction's frames */
	unsigned pos, len;       /* byte of the frame, its payload length */
	uint8_t op;              /* request: the operation */
};

struct op_stats {
	uint64_t frames, bytes_out, bytes_back;
};

static struct op_stats stats[256];
static uint8_t last_op;

/* A byte host -> board (req) or board -> host; counts it to the frame's op. */
static void scan(struct frame_scan *f, uint8_t b, bool req)
{
	if (f->pos == 0 && b != (req ? BOARD_SYNC_REQ : BOARD_SYNC_RSP))
		return;  /* noise between frames */
	if (!req) {
		stats[last_op].bytes_back++;
	} else if (f->pos == 1) {
		last_op = f->op = b;
		stats[b].frames++;
		stats[b].bytes_out += 2;  /* the sync byte and this one */
	} else if (f->pos > 1) {
		stats[last_op].bytes_out++;
	}
	if (f->pos == 2)
		f->len = b;
	if (++f->pos >= 3 && f->pos == f->len + 4)
		f->pos = 0;
}

static void print_stats(void)
{
	static const struct { uint8_t op; const char *name; } ops[] = {
#define OP_NAME(name, value, len) { value, #name },
		BOARD_OPS(OP_NAME)
#undef OP_NAME
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op_stats *st = &stats[ops[i].op];

		if (!st->frames)
			continue;
		printf("board_sim: %-10s %8llu frames, %9llu bytes out, %9llu back, "
		       "%.1f bytes a frame\n", ops[i].name,
		       (unsigned long long)st->frames,
		       (unsigned long long)st->bytes_out,
		       (unsigned long long)st->bytes_back,
		       (double)(st->bytes_out + st->bytes_back) / (double)st->frames);
	}
}

/* ---- serving a pseudo-terminal ----------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_pty(int *master, int *slave, char *name, size_t len)
{
	struct termios t;
	const char *n;

	*master = posix_openpt(O_RDWR | O_NOCTTY);
	if (*master < 0 || grantpt(*master) || unlockpt(*master) ||
	    !(n = ptsname(*master)))
		return -1;
	snprintf(name, len, "%s", n);
	/* Our own slave descriptor keeps the terminal open between clients
	 * (no hang-up), in raw mode until a client sets its own. */
	*slave = open(name, O_RDWR | O_NOCTTY);
	if (*slave < 0 || tcgetattr(*slave, &t))
		return -1;
	cfmakeraw(&t);
	if (tcsetattr(*slave, TCSANOW, &t))
		return -1;
	return fcntl(*master, F_SETFL, O_NONBLOCK);
}

static int serve(const char *name_file, uint64_t max_cycles)
{
	struct sim s;
	char name[256];
	int master, slave;
	bool stalled = false;
	uint64_t bytes_in = 0, bytes_out = 0;
	struct frame_scan req = { 0 }, rsp = { 0 };

	if (open_pty(&master, &slave, name, sizeof(name))) {
		fprintf(stderr, "board_sim: cannot open a pseudo-terminal: %s\n",
			strerror(errno));
		return 1;
	}
	sim_init(&s);
	printf("board_sim: %s (%u clocks per bit)\n", name, cpb);
	fflush(stdout);
	if (name_file) {
		FILE *f = fopen(name_file, "w");

		if (!f || fprintf(f, "%s\n", name) < 0 || fclose(f)) {
			fprintf(stderr, "board_sim: cannot write %s\n", name_file);
			return 1;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop && !s.failed && (!max_cycles || s.cycles < max_cycles)) {
		uint8_t buf[256];
		ssize_t n;

		if (!active(&s) && !stalled) {
			struct pollfd pf = { .fd = master, .events = POLLIN };
			bool mid_frame = s.p.leds & BOARD_LED_FRAME;

			if (poll(&pf, 1, mid_frame ? STALL_MS : 1000) == 0 && mid_frame)
				stalled = true;
		}
		while (q_len(&s.out) < QUEUE - sizeof(buf) &&
		       (n = read(master, buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++) {
				q_push(&s.out, buf[i]);
				scan(&req, buf[i], true);
			}
			bytes_in += (uint64_t)n;
			stalled = false;
		}
		if (!active(&s) && !stalled)
			continue;
		for (int i = 0; i < BATCH; i++) {
			int b = step(&s);

			if (b >= 0) {
				uint8_t c = (uint8_t)b;

				bytes_out++;
				scan(&rsp, c, false);
				while (write(master, &c, 1) < 0 && errno == EAGAIN)
					usleep(100);
			}
		}
		if (stalled && !(s.p.leds & BOARD_LED_FRAME))
			stalled = false;
	}
	printf("board_sim: stopped after %llu cycles, %llu bytes in, %llu out%s\n",
	       (unsigned long long)s.cycles, (unsigned long long)bytes_in,
	       (unsigned long long)bytes_out, s.failed ? " (assertion failed)" : "");
	print_stats();
	board_model_destroy(s.m);
	close(slave);
	close(master);
	return s.failed ? 1 : 0;
}

/* ---- self-test: frames straight into the model ------------------------------------- */

struct answer {
	int code, len;
	uint8_t pay[BOARD_MAX_PAYLOAD];
	bool chk_ok;
};

static void send_raw(struct sim *s, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		q_push(&s->out, b[i]);
}

static void send_frame(struct sim *s, unsigned op, const uint8_t *pay,
		       unsigned len, int corrupt)
{
	unsigned sum = op + len;
	uint8_t h[3] = { BOARD_SYNC_REQ, (uint8_t)op, (uint8_t)len }, c;

	send_raw(s, h, 3);
	for (unsigned i = 0; i < len; i++)
		sum += pay[i];
	send_raw(s, pay, len);
	c = (uint8_t)(0u - sum + (unsigned)corrupt);
	send_raw(s, &c, 1);
}

/* Run until a whole answer arrived or `limit` cycles passed. */
static bool receive(struct sim *s, struct answer *a, uint64_t limit)
{
	uint8_t f[BOARD_MAX_PAYLOAD + 4];
	unsigned n = 0;

	memset(a, 0, sizeof(*a));
	for (uint64_t c = 0; c < limit; c++) {
		int b = step(s);

		if (b < 0)
			continue;
		if (n == 0 && b != BOARD_SYNC_RSP)
			continue;
		f[n++] = (uint8_t)b;
		if (n >= 3 && n == 4u + f[2]) {
			unsigned sum = 0;

			for (unsigned i = 1; i < n; i++)
				sum += f[i];
			a->code = f[1];
			a->len = f[2];
			memcpy(a->pay, f + 3, f[2]);
			a->chk_ok = (sum & 0xff) == 0;
			return true;
		}
	}
	return false;
}

static unsigned checks, failures;

static void check(bool ok, const char *what)
{
	checks++;
	if (!ok) {
		failures++;
		printf("  FAIL: %s\n", what);
	}
}

static void expect(struct sim *s, const char *what, int code, int len)
{
	struct answer a;
	bool got = receive(s, &a, 400000);
	char msg[160];

	snprintf(msg, sizeof(msg), "%s: answered %s code %d len %d (want %d, %d)",
		 what, got ? "" : "nothing:", a.code, a.len, code, len);
	check(got && a.chk_ok && a.code == code && (len < 0 || a.len == len), msg);
}

static int selftest(void)
{
	struct sim s;
	struct answer a;
	uint8_t p[BOARD_MAX_PAYLOAD] = { 0 };

	sim_init(&s);
	send_frame(&s, BOARD_OP_INFO, NULL, 0, 0);
	check(receive(&s, &a, 100000) && a.chk_ok && a.code == BOARD_CODE_OK &&
	      a.len == BOARD_INFO_LEN && a.pay[0] == (BOARD_INFO_MAGIC & 0xff) &&
	      a.pay[14] == cpb, "INFO answers the magic and the clocks per bit");
	send_frame(&s, BOARD_OP_RESET, NULL, 0, 0);
	expect(&s, "RESET", BOARD_CODE_OK, 0);
	send_frame(&s, BOARD_OP_INFO, NULL, 0, 1);
	expect(&s, "bad checksum", BOARD_CODE_BAD_CHECKSUM, 1);
	send_frame(&s, 0x7e, NULL, 0, 0);
	expect(&s, "unknown operation", BOARD_CODE_BAD_OP, 1);
	send_frame(&s, BOARD_OP_ACCESS, p, 3, 0);
	expect(&s, "short ACCESS", BOARD_CODE_BAD_LENGTH, 1);
	memset(p, 0, 8);
	p[0] = 0x00; p[1] = 0x00; p[2] = 0x02;  /* pa 0x20000: past memory */
	p[4] = 3; p[5] = 1; p[6] = 0;
	send_frame(&s, BOARD_OP_PHYS_READ, p, 7, 0);
	expect(&s, "PHYS_READ past memory", BOARD_CODE_RANGE, 1);
	p[2] = 0; p[0] = 4;  /* misaligned 8-byte piece */
	send_frame(&s, BOARD_OP_PHYS_READ, p, 7, 0);
	expect(&s, "misaligned PHYS_READ", BOARD_CODE_RANGE, 1);
	/* A frame that stops after its length byte: the board's timeout. */
	{
		uint8_t part[3] = { BOARD_SYNC_REQ, BOARD_OP_ACCESS, 17 };

		send_raw(&s, part, 3);
		expect(&s, "truncated frame", BOARD_CODE_TIMEOUT, 1);
	}
	/* Physical write of 3 words, read back, peek after a flush. */
	p[0] = 0x40; p[1] = 0x10; p[2] = 0; p[3] = 0; p[4] = 3; p[5] = 3; p[6] = 0;
	for (int i = 0; i < 24; i++)
		p[7 + i] = (uint8_t)(0x11 * (i + 1));
	send_frame(&s, BOARD_OP_PHYS_WRITE, p, 31, 0);
	expect(&s, "PHYS_WRITE 3 words", BOARD_CODE_OK, 0);
	p[5] = 3;
	send_frame(&s, BOARD_OP_PHYS_READ, p, 7, 0);
	check(receive(&s, &a, 400000) && a.chk_ok && a.code == 0 && a.len == 24 &&
	      a.pay[0] == 0x11 && a.pay[23] == (uint8_t)(0x11 * 24),
	      "PHYS_READ returns what PHYS_WRITE wrote");
	p[4] = 1; p[5] = 1;  /* one 2-byte piece at 0x1040 */
	send_frame(&s, BOARD_OP_PHYS_READ, p, 7, 0);
	check(receive(&s, &a, 400000) && a.chk_ok && a.len == 2 &&
	      a.pay[0] == 0x11 && a.pay[1] == 0x22, "PHYS_READ of a 2-byte piece");
	p[5] = 4; p[7] = 0xab;  /* fill 4 bytes: 0x1040..0x1047 with 0xab */
	p[4] = 0; p[5] = 4; p[6] = 0;
	send_frame(&s, BOARD_OP_PHYS_FILL, p, 8, 0);
	expect(&s, "PHYS_FILL 4 bytes", BOARD_CODE_OK, 0);
	{
		uint8_t ctl[20] = { 0 };

		ctl[0] = 12;  /* MMU_CTL_FLUSH_ALL */
		send_frame(&s, BOARD_OP_CTL, ctl, 20, 0);
		check(receive(&s, &a, 400000) && a.chk_ok && a.len == BOARD_REGS_LEN &&
		      a.pay[41] == 0, "CTL FLUSH_ALL answers the registers, no #GP");
	}
	p[4] = 2;  /* peek 2 words at 0x1040 */
	send_frame(&s, BOARD_OP_PEEK, p, 5, 0);
	check(receive(&s, &a, 400000) && a.chk_ok && a.len == 16 &&
	      a.pay[0] == 0xab && a.pay[3] == 0xab && a.pay[4] == 0x55 &&
	      a.pay[8] == 0x99, "PEEK sees the flushed lines in memory");
	send_frame(&s, BOARD_OP_COUNTERS, NULL, 0, 0);
	check(receive(&s, &a, 400000) && a.chk_ok && a.len == 8 * BOARD_COUNTERS &&
	      a.pay[12 * 8] >= 1, "COUNTERS: line fills counted");
	/* A physical access beyond the first frame's garbage is still served. */
	{
		uint8_t noise[5] = { 0x00, 0x13, 0x37, 0xff, 0x42 };

		send_raw(&s, noise, sizeof(noise));
		send_frame(&s, BOARD_OP_REGS, NULL, 0, 0);
		expect(&s, "REGS after noise", BOARD_CODE_OK, BOARD_REGS_LEN);
	}
	check(!s.failed, "no RTL assertion failed");
	printf("board_sim selftest: %u checks, %u failed (%llu cycles, %u clocks "
	       "per bit)\n", checks, failures, (unsigned long long)s.cycles, cpb);
	board_model_destroy(s.m);
	return failures ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: board_sim [--name-file FILE] [--max-cycles N]\n"
		   "       board_sim --selftest\n"
		   "The Verilated board (rtl/mmu_board_top.sv) behind a "
		   "pseudo-terminal, for\nthe `board` back end (MMU_BOARD_DEVICE="
		   "<the printed path>); docs/fpga.md.\n");
}

int main(int argc, char **argv)
{
	const char *name_file = NULL;
	uint64_t max_cycles = 0;

	cpb = board_model_clks_per_bit();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--selftest")) {
			return selftest();
		} else if (!strcmp(argv[i], "--name-file") && i + 1 < argc) {
			name_file = argv[++i];
		} else if (!strcmp(argv[i], "--max-cycles") && i + 1 < argc) {
			char *end;

			max_cycles = strtoull(argv[++i], &end, 10);
			if (*end) {
				fprintf(stderr, "board_sim: bad --max-cycles '%s'\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "board_sim: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	return serve(name_file, max_cycles);
}
