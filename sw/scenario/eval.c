/* SPDX-License-Identifier: MIT */
/*
 * Evaluation of scenario expressions: 64-bit unsigned arithmetic that wraps,
 * shifts of 64 or more give 0, division by zero is an error value.
 */
#include "scn_int.h"

#include <stdio.h>

int scn_eval(const struct scn_program *p, const struct scn_expr *e,
	     const struct scn_env *env, uint64_t *v, char *err, size_t errlen)
{
	uint64_t a = 0, b = 0;

	switch (e->op) {
	case E_NUM:
		*v = e->num;
		return 0;
	case E_PAGE:
		*v = env->page_size;
		return 0;
	case E_VAR:
		if (!env->set[e->var]) {
			snprintf(err, errlen, "variable $%s has no value yet",
				 p->vars[e->var]);
			return -1;
		}
		*v = env->vals[e->var];
		return 0;
	default:
		break;
	}
	if (scn_eval(p, e->a, env, &a, err, errlen))
		return -1;
	if (e->op == E_NEG) {
		*v = 0 - a;
		return 0;
	}
	if (e->op == E_NOT) {
		*v = ~a;
		return 0;
	}
	if (scn_eval(p, e->b, env, &b, err, errlen))
		return -1;
	switch (e->op) {
	case E_ADD: *v = a + b; break;
	case E_SUB: *v = a - b; break;
	case E_MUL: *v = a * b; break;
	case E_DIV:
	case E_MOD:
		if (!b) {
			snprintf(err, errlen, "division by zero");
			return -1;
		}
		*v = e->op == E_DIV ? a / b : a % b;
		break;
	case E_SHL: *v = b >= 64 ? 0 : a << b; break;
	case E_SHR: *v = b >= 64 ? 0 : a >> b; break;
	case E_AND: *v = a & b; break;
	case E_OR: *v = a | b; break;
	case E_XOR: *v = a ^ b; break;
	default:
		snprintf(err, errlen, "bad expression");
		return -1;
	}
	return 0;
}
