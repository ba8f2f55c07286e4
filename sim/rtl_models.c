/* SPDX-License-Identifier: MIT */
/* The RTL back end's models: which configurations were Verilated, the model
 * of a configuration, and whether a configuration is the one a model was
 * elaborated with (see rtl_machine.h). */
#include "rtl_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rtl_models(void)
{
	static char list[256];

	if (!list[0]) {
		size_t n = 0;

		/* each configuration once (its traced model is listed too) */
		for (size_t i = 0; vshim_models[i] && n < sizeof(list); i++)
			if (!vshim_models[i]->traced)
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
						      n ? " " : "",
						      vshim_models[i]->config);
	}
	return list;
}

/* The model of configuration `name`, with trace support when `traced`,
 * else the one without (it runs faster: a traced model keeps every signal
 * in memory); failing that, any model of it (NULL if none). */
const struct vshim_ops *rtl_find_model(const char *name, bool traced)
{
	const struct vshim_ops *any = NULL;

	for (size_t i = 0; vshim_models[i]; i++) {
		const struct vshim_ops *v = vshim_models[i];

		if (strcmp(v->config, name))
			continue;
		if (!v->traced == !traced)
			return v;
		any = v;
	}
	return any;
}

/* The value of configuration key `key` in cfg; false when unknown. */
static bool cfg_value(const struct mmu_config *cfg, const char *key,
		      uint64_t *v)
{
#define KEY(k, doc)                                                          \
	if (!strcmp(key, #k)) {                                              \
		*v = cfg->k;                                                 \
		return true;                                                 \
	}
	MMU_CONFIG_KEYS(KEY)
#undef KEY
	if (!strcmp(key, "canon_zero")) {
		*v = cfg->canonical == MMU_CANON_ZERO;
		return true;
	}
	return false;
}

/* Check cfg against the -G overrides the model was built with. */
int rtl_check_config(const struct vshim_ops *v, const struct mmu_config *cfg,
		     char *err, size_t errlen)
{
	const char *p = v->gflags;

	while ((p = strstr(p, "-G"))) {
		char key[64];
		size_t n = 0;
		unsigned long long built;
		uint64_t want;
		char *end;

		p += 2;
		while (p[n] && p[n] != '=' && n + 1 < sizeof(key)) {
			key[n] = (char)tolower((unsigned char)p[n]);
			n++;
		}
		key[n] = 0;
		if (p[n] != '=')
			break;
		built = strtoull(p + n + 1, &end, 0);
		p = end;
		/* The DRAM size is chosen at run time. */
		if (!strcmp(key, "mem_bytes"))
			continue;
		if (!cfg_value(cfg, key, &want))
			return mmu_errf(err, errlen, MMU_EINVAL,
				    "RTL model %s: unknown parameter -G%s", v->model,
				    key);
		if (want != built)
			return mmu_errf(err, errlen, MMU_EINVAL,
				    "configuration '%s': %s = %llu, but the RTL "
				    "model %s was built with %s = %llu (the RTL is "
				    "elaborated per configuration; add a "
				    "configs/*.cfg and rebuild instead of "
				    "overriding it)",
				    cfg->name, key, (unsigned long long)want,
				    v->model, key, built);
	}
	return 0;
}
