/* SPDX-License-Identifier: MIT */
/*
 * The board's UART protocol (docs/fpga.md): frame layout, operations and
 * answer codes.  The RTL (rtl/board_link.sv) takes these numbers from
 * build/rel/rtl/mmu_defs.vh, which sim/gen_defs.c prints from this file.
 *
 *   host -> board:  BOARD_SYNC_REQ  op   len  payload[len]  chk
 *   board -> host:  BOARD_SYNC_RSP  code len  payload[len]  chk
 * chk makes the 8-bit sum of every byte after the sync byte zero.
 */
#ifndef MMU_BOARD_PROTO_H
#define MMU_BOARD_PROTO_H

#define BOARD_SYNC_REQ 0xA5
#define BOARD_SYNC_RSP 0x5A
#define BOARD_MAX_PAYLOAD 255

/* Operations: X(name, value, request payload bytes; -1 = variable) */
#define BOARD_OPS(X)                                                         \
	X(INFO, 0x00, 0)        /* -> identification and geometry */         \
	X(ACCESS, 0x01, 17)     /* va[8] ctrl wdata[8] -> outcome */         \
	X(CTL, 0x02, 20)        /* op type pcid[2] value[8] addr[8] -> regs */ \
	X(PHYS_READ, 0x03, 7)   /* pa[4] size count[2] -> data */            \
	X(PHYS_WRITE, 0x04, -1) /* pa[4] size count[2] data[count<<size] */  \
	X(PHYS_FILL, 0x05, -1)  /* pa[4] size count[2] pattern[1<<size] */   \
	X(PEEK, 0x06, 5)        /* pa[4] words -> memory, bypassing the L1 */ \
	X(REGS, 0x07, 0)        /* -> regs */                                \
	X(COUNTERS, 0x08, 0)    /* -> counters[17][8] */                     \
	X(RESET, 0x09, 0)       /* reset the MMU, zero the memory */

enum board_op {
#define BOARD_OP_ENUM(name, value, len) BOARD_OP_##name = value,
	BOARD_OPS(BOARD_OP_ENUM)
#undef BOARD_OP_ENUM
};

/* Answer codes (the byte after BOARD_SYNC_RSP).  An error answer carries
 * one payload byte: the operation it refers to (0xff: none read). */
#define BOARD_CODES(X)                                                       \
	X(OK, 0x00, "ok")                                                    \
	X(BAD_CHECKSUM, 0x01, "bad checksum")                                \
	X(BAD_OP, 0x02, "unknown operation")                                 \
	X(BAD_LENGTH, 0x03, "wrong payload length")                          \
	X(TIMEOUT, 0x04, "frame incomplete (inter-byte timeout)")            \
	X(RANGE, 0x05, "physical range outside memory, misaligned or too long") \
	X(HUNG, 0x06, "the MMU did not answer (watchdog; the MMU was reset)")

enum board_code {
#define BOARD_CODE_ENUM(name, value, doc) BOARD_CODE_##name = value,
	BOARD_CODES(BOARD_CODE_ENUM)
#undef BOARD_CODE_ENUM
};

/* ACCESS request: ctrl byte fields. */
#define BOARD_CTRL_OP_SHIFT 0    /* 2 bits: enum mmu_op */
#define BOARD_CTRL_SIZE_SHIFT 2  /* 2 bits: log2 of the size */
#define BOARD_CTRL_USER_SHIFT 4  /* 1 bit */

/* ACCESS answer: a 16-byte header, then one 16-byte record per A/D
 * update (pa[8] value[8]).  Header: status flags ec walk pa[4] word[8],
 * word = CR2 on a #PF, else the load data. */
#define BOARD_ACC_HDR 16
#define BOARD_ACC_AD 16
#define BOARD_ACC_AD_MAX 5
#define BOARD_FLAG_TLB_HIT 0x01
#define BOARD_FLAG_WALKED 0x02
#define BOARD_FLAG_L1_HIT 0x04
#define BOARD_FLAG_LEVEL_SHIFT 3  /* 2 bits: page level */
#define BOARD_FLAG_AD_OVERFLOW 0x80
#define BOARD_WALK_PSC_SHIFT 4    /* walk byte: reads [2:0], psc level [6:4] */

/* CTL and REGS answer: cr0 cr2 cr3 cr4 efer (8 bytes each), ac, gp,
 * pkru[4]. */
#define BOARD_REGS_LEN 46
#define BOARD_COUNTERS 17
#define BOARD_INFO_LEN 16
#define BOARD_INFO_MAGIC 0x424d4d55u  /* "UMMB" little-endian: 'U' 'M' 'M' 'B' */
#define BOARD_PEEK_MAX_WORDS 31

#endif
