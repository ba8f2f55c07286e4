/* SPDX-License-Identifier: MIT */
/*
 * A statement as a step line shows it: its name as the language spells it
 * and every argument evaluated (addresses in hex, lengths in decimal, flags
 * symbolically, bytes quoted).
 */
#include "run_int.h"

#include <inttypes.h>
#include <string.h>

/* ---- echo of a statement ----------------------------------------------------------- */

/* The flag set an argument kind prints with, or -1. */
static int flagset(enum scn_argk k)
{
	switch (k) {
	case AK_PROT: return SCN_FS_PROT;
	case AK_MAPF: return SCN_FS_MAP;
	case AK_ADVICE: return SCN_FS_MADV;
	case AK_MSF: return SCN_FS_MS;
	case AK_OFLAGS: return SCN_FS_OPEN;
	case AK_PKEYR: return SCN_FS_PKEY;
	case AK_MREMAPF: return SCN_FS_MREMAP;
	case AK_MCLF: return SCN_FS_MCL;
	case AK_FALLOCF: return SCN_FS_FALLOC;
	default: return -1;
	}
}

static void put_arg(struct sbuf *s, const struct scn_arg *a, uint64_t v)
{
	char f[256];

	if (flagset(a->kind) >= 0) {
		scn_format_flags((enum scn_flagset)flagset(a->kind), v, f, sizeof(f));
		sb_printf(s, "%s", f);
		return;
	}
	switch (a->kind) {
	case AK_ADDR:
	case AK_OFF:
		if (v)
			sb_printf(s, "%#" PRIx64, v);
		else
			sb_put(s, "0", 1);
		break;
	case AK_LEN:
	case AK_COUNT:
	case AK_SIZE:
		sb_printf(s, "%" PRIu64, v);
		break;
	case AK_FD:
	case AK_PID:
	case AK_INT:
		sb_printf(s, "%" PRId64, (int64_t)v);
		break;
	case AK_VALUE:
		sb_printf(s, "0x%" PRIx64, v);
		break;
	case AK_FILE:
		if (!a->str) {
			sb_printf(s, "%" PRId64, (int64_t)v);
			break;
		}
		/* fall through */
	case AK_NAME:
		if (a->str) {
			if (strpbrk(a->str, " \t\"#"))
				sb_bytes(s, (const unsigned char *)a->str, strlen(a->str));
			else
				sb_printf(s, "%s", a->str);
		} else {
			sb_bytes(s, a->bytes.p, a->bytes.n);
		}
		break;
	case AK_BYTES:
		sb_bytes(s, a->bytes.p, a->bytes.n);
		break;
	case AK_PATTERN:
		if (a->pattern == SCN_PAT_ZERO)
			sb_put(s, "zero", 4);
		else if (a->pattern == SCN_PAT_SEQ)
			sb_put(s, "seq", 3);
		else
			sb_bytes(s, a->bytes.p, a->bytes.n);
		break;
	case AK_CMP:
		sb_printf(s, "%s", scn_cmp_names[a->cmp]);
		break;
	case AK_IDENT:
		sb_printf(s, "%s", a->str);
		break;
	default: /* flags: above */
		break;
	}
}

void rn_echo(struct runner *rn, const struct scn_stmt *st, const uint64_t *v)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);

	rn_prefix(rn, st);
	if (st->var >= 0)
		sb_printf(&rn->line, "$%s = ", rn->p->vars[st->var]);
	sb_printf(&rn->line, "%s", d->name);
	if (d->sub)
		sb_printf(&rn->line, " %s", d->sub);
	for (unsigned i = 0; i < st->nargs; i++) {
		sb_put(&rn->line, " ", 1);
		put_arg(&rn->line, &st->args[i], v[i]);
	}
}

/* The statement as the language spells it: "check counter", "$x =". */
void rn_stmt_name(struct runner *rn, const struct scn_stmt *st)
{
	const struct scn_cmd_def *d = scn_cmd_def(st->cmd);

	if (st->cmd == C_LET) {
		sb_printf(&rn->line, "$%s =", rn->p->vars[st->var]);
		return;
	}
	if (st->var >= 0)
		sb_printf(&rn->line, "$%s = ", rn->p->vars[st->var]);
	sb_printf(&rn->line, "%s", d->name);
	if (d->sub)
		sb_printf(&rn->line, " %s", d->sub);
}
