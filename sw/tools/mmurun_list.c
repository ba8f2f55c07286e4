/* SPDX-License-Identifier: MIT */
/*
 * mmurun's workload list (mmurun.h): the scenarios of --scenarios, the
 * seeds on every seed configuration, the traces of every --traces folder,
 * then the sweeps of every trace; --no-* and --only take some out.
 */
#include "mmurun.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

const char *const kind_name[W_KINDS + 1] = {
	"scenario", "seed", "trace", "sweep-tlb", "sweep-l1", "sweep-mem",
	NULL };

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && !strcmp(s + n - k, suf);
}

/* Sorted names of dir's files that end with one of the suffixes. */
static unsigned list_dir(const char *dir, const char *const *suf,
			 char **names, unsigned max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		for (const char *const *s = suf; *s; s++)
			if (has_suffix(e->d_name, *s)) {
				names[n] = strdup(e->d_name);
				n += names[n] != NULL; /* out of memory: left out */
				break;
			}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

static void add_work(struct workload *w, unsigned *n, enum wkind k,
		     const char *name, const char *path, uint64_t seed)
{
	if (*n >= MAX_WORK)
		return;
	w[*n] = (struct workload){ .kind = k, .seed = seed, .index = *n };
	snprintf(w[*n].name, sizeof(w[*n].name), "%s", name);
	snprintf(w[*n].path, sizeof(w[*n].path), "%s", path ? path : "");
	(*n)++;
}

static void add_scenarios(const struct cli *c, struct workload *w,
			  unsigned *n)
{
	static const char *const scn_suf[] = { ".scn", NULL };
	char *names[MAX_WORK];
	unsigned k = list_dir(c->scn_dir, scn_suf, names, MAX_WORK);

	for (unsigned i = 0; i < k; i++) {
		char path[600], name[96];

		snprintf(path, sizeof(path), "%s/%s", c->scn_dir, names[i]);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(strlen(names[i]) - 4), names[i]);
		add_work(w, n, W_SCENARIO, name, path, 0);
		free(names[i]);
	}
}

/* seed-major, so that --seeds 1 and every shard cover every
 * configuration */
static void add_seeds(const struct cli *c, const struct ctx *x,
		      struct workload *w, unsigned *n)
{
	for (unsigned s = 1; s <= c->seeds; s++)
		for (unsigned k = 0; k < x->nscfg; k++) {
			char name[96];

			snprintf(name, sizeof(name), "%s-%u", x->scfg[k].name, s);
			add_work(w, n, W_SEED, name, NULL, s);
			w[*n - 1].cfg = k;
		}
}

static bool trace_name_used(const struct workload *w, unsigned n,
			    const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (w[i].kind == W_TRACE && !strcmp(w[i].name, name))
			return true;
	return false;
}

/* The traces of every folder; a name already taken gets the folder's
 * number. */
static void add_traces(const struct cli *c, struct workload *w, unsigned *n)
{
	static const char *const tr_suf[] = { ".lackey", ".din", ".lackey.gz",
					      ".din.gz", NULL };
	char *names[MAX_WORK];
	unsigned first_trace = *n;

	for (unsigned d = 0; d < c->ntrace_dirs; d++) {
		unsigned k = list_dir(c->trace_dirs[d], tr_suf, names,
				      MAX_TRACES);

		for (unsigned i = 0; i < k; i++) {
			char path[600], name[96], first[96];
			const char *base = names[i];
			size_t len = strcspn(base, ".");

			snprintf(path, sizeof(path), "%s/%s", c->trace_dirs[d],
				 base);
			snprintf(name, sizeof(name), "%.*s", (int)len, base);
			if (trace_name_used(w + first_trace, *n - first_trace,
					    name)) {
				snprintf(first, sizeof(first), "%s", name);
				snprintf(name, sizeof(name), "%.60s-%u", first,
					 d + 1);
			}
			add_work(w, n, W_TRACE, name, path, 0);
			free(names[i]);
		}
	}
}

/* The workloads that pass keep(w, arg), in order. */
static unsigned keep_only(struct workload *w, unsigned n,
			  bool (*keep)(const struct workload *, const void *),
			  const void *arg)
{
	unsigned m = 0;

	for (unsigned i = 0; i < n; i++)
		if (keep(&w[i], arg))
			w[m++] = w[i];
	return m;
}

static bool not_trace(const struct workload *w, const void *arg)
{
	(void)arg;
	return w->kind != W_TRACE;
}

/* --only: a substring of "kind:name" */
static bool matches(const struct workload *w, const void *only)
{
	char id[128];

	snprintf(id, sizeof(id), "%s:%s", kind_name[w->kind], w->name);
	return strstr(id, only) != NULL;
}

unsigned build_list(const struct cli *c, const struct ctx *x,
		    struct workload *w)
{
	unsigned n = 0, k, first_trace;

	if (!c->no_scn)
		add_scenarios(c, w, &n);
	if (!c->no_seeds)
		add_seeds(c, x, w, &n);
	first_trace = n;
	if (!c->no_traces || !c->no_sweeps)
		add_traces(c, w, &n);
	/* the sweeps of every trace, after all traces */
	k = n;
	for (unsigned i = first_trace; i < k && !c->no_sweeps; i++) {
		add_work(w, &n, W_SWEEP_TLB, w[i].name, w[i].path, 0);
		add_work(w, &n, W_SWEEP_L1, w[i].name, w[i].path, 0);
		add_work(w, &n, W_SWEEP_MEM, w[i].name, w[i].path, 0);
	}
	if (c->no_traces)
		n = keep_only(w, n, not_trace, NULL);
	if (c->only)
		n = keep_only(w, n, matches, c->only);
	for (unsigned i = 0; i < n; i++)
		w[i].index = i;
	return n;
}
