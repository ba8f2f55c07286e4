/* SPDX-License-Identifier: MIT */
/*
 * Cover sets (cover.h): named bins with counts in an open-addressing hash
 * table, the models of the machines attached to the set (folded in before
 * any figure is read), merging, the file and the summary.
 */
#include "cover_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define FILE_HEADER "# mmu functional coverage v1"
#define MAX_BINS (1u << 20)  /* a file cannot make the table grow further */

struct bin {
	char *name;  /* NULL: empty slot */
	uint64_t count;
};

struct cover_set {
	struct bin *bin;
	size_t cap, n;
	struct cover_model **model;
	size_t nmodels;
};

int cover_new(struct cover_set **out)
{
	struct cover_set *s = calloc(1, sizeof(*s));

	if (!s)
		return MMU_ENOMEM;
	*out = s;
	return 0;
}

void cover_free(struct cover_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->bin[i].name);
	for (size_t i = 0; i < s->nmodels; i++)
		cover_model_free(s->model[i]);
	free(s->model);
	free(s->bin);
	free(s);
}

static size_t hash(const char *k)
{
	size_t h = 1469598103934665603ull;

	while (*k)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h;
}

static struct bin *slot(struct bin *t, size_t cap, const char *name)
{
	size_t i = hash(name) & (cap - 1);

	while (t[i].name && strcmp(t[i].name, name))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int grow(struct cover_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	struct bin *t = calloc(cap, sizeof(*t));

	if (!t)
		return MMU_ENOMEM;
	for (size_t i = 0; i < s->cap; i++)
		if (s->bin[i].name)
			*slot(t, cap, s->bin[i].name) = s->bin[i];
	free(s->bin);
	s->bin = t;
	s->cap = cap;
	return 0;
}

int cover_add(struct cover_set *s, const char *name, uint64_t n)
{
	struct bin *e;

	if ((s->n + 1) * 2 > s->cap) {
		if (s->n >= MAX_BINS)
			return MMU_EINVAL;
		if (grow(s))
			return MMU_ENOMEM;
	}
	e = slot(s->bin, s->cap, name);
	if (!e->name) {
		if (!(e->name = strdup(name)))
			return MMU_ENOMEM;
		s->n++;
	}
	e->count = e->count + n < e->count ? UINT64_MAX : e->count + n;
	return 0;
}

int cover_define(struct cover_set *s, const char *name)
{
	return cover_add(s, name, 0);
}

/* The attached machines' counts, moved into the table. */
static int fold(struct cover_set *s)
{
	for (size_t i = 0; i < s->nmodels; i++) {
		int rc = cover_model_fold(s->model[i], s);

		if (rc)
			return rc;
	}
	return 0;
}

int cover_attach(struct cover_set *s, struct machine *m, char *err,
		 size_t errlen)
{
	struct cover_model **t, *md;

	if (m->obs)
		return mmu_errf(err, errlen, MMU_EINVAL,
				"cover: the machine has an observer already");
	t = realloc(s->model, (s->nmodels + 1) * sizeof(*t));
	if (!t || cover_model_new(m, &md)) {
		if (t)
			s->model = t;
		return mmu_errf(err, errlen, MMU_ENOMEM,
				"cover: out of host memory");
	}
	s->model = t;
	s->model[s->nmodels++] = md;
	m->obs = cover_model_observer(md);
	return 0;
}

int cover_merge(struct cover_set *dst, struct cover_set *src)
{
	int rc = fold(src);

	for (size_t i = 0; !rc && i < src->cap; i++)
		if (src->bin[i].name)
			rc = cover_add(dst, src->bin[i].name, src->bin[i].count);
	return rc;
}

/* One "name TAB count" line; 0, or a message in why. */
static int parse_line(struct cover_set *s, char *line, const char **why)
{
	char *tab = strchr(line, '\t'), *end;
	uint64_t n;

	if (!tab || tab == line) {
		*why = "expected 'bin<TAB>count'";
		return MMU_EINVAL;
	}
	*tab = 0;
	errno = 0;
	n = strtoull(tab + 1, &end, 10);
	if (errno || end == tab + 1 || *end || tab[1] == '-') {
		*why = "the count is not a number";
		return MMU_EINVAL;
	}
	if (strlen(line) >= COVER_NAME_MAX) {
		*why = "bin name too long";
		return MMU_EINVAL;
	}
	*why = "too many bins, or out of memory";
	return cover_add(s, line, n);
}

int cover_read(struct cover_set *s, const char *path, char *err,
	       size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f)
		return mmu_errf(err, errlen, MMU_EINVAL, "%s: %s", path,
				strerror(errno));
	rc = cover_read_file(s, f, path, err, errlen);
	fclose(f);
	return rc;
}

int cover_read_file(struct cover_set *s, FILE *f, const char *path,
		    char *err, size_t errlen)
{
	char line[COVER_NAME_MAX + 32];
	unsigned no = 0;
	int rc = 0;

	while (!rc && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		const char *why = NULL;

		no++;
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		else if (!feof(f))
			why = "line too long";
		if (!why && no == 1 && strcmp(line, FILE_HEADER))
			why = "not a coverage file (first line must be '"
			      FILE_HEADER "')";
		if (!why && (no == 1 || !len || line[0] == '#'))
			continue;
		if (why || parse_line(s, line, &why))
			rc = mmu_errf(err, errlen, MMU_EINVAL, "%s:%u: %s", path,
				      no, why);
	}
	if (!rc && !no)
		rc = mmu_errf(err, errlen, MMU_EINVAL, "%s: empty file", path);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct bin *)a)->name,
		      ((const struct bin *)b)->name);
}

/* The bins in name order (a malloc'd copy of the slots; NULL: no memory). */
static struct bin *sorted(struct cover_set *s)
{
	struct bin *v;
	size_t k = 0;

	if (fold(s) || !(v = malloc((s->n + 1) * sizeof(*v))))
		return NULL;
	for (size_t i = 0; i < s->cap; i++)
		if (s->bin[i].name)
			v[k++] = s->bin[i];
	qsort(v, k, sizeof(*v), by_name);
	return v;
}

int cover_write(struct cover_set *s, FILE *f)
{
	struct bin *v = sorted(s);

	if (!v)
		return MMU_ENOMEM;
	fprintf(f, "%s\n", FILE_HEADER);
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s\t%" PRIu64 "\n", v[i].name, v[i].count);
	free(v);
	return ferror(f) ? MMU_EINVAL : 0;
}

static bool in_group(const char *name, const char *group)
{
	size_t n = group ? strlen(group) : 0;

	return !group || (!strncmp(name, group, n) && name[n] == ':');
}

void cover_figure(struct cover_set *s, const char *group,
		  struct cover_figure *f)
{
	memset(f, 0, sizeof(*f));
	fold(s);
	for (size_t i = 0; i < s->cap; i++)
		if (s->bin[i].name && in_group(s->bin[i].name, group)) {
			f->defined++;
			f->hit += s->bin[i].count != 0;
		}
}

double cover_percent(struct cover_set *s)
{
	struct cover_figure f;

	cover_figure(s, NULL, &f);
	return f.defined ? 100.0 * (double)f.hit / (double)f.defined : 0;
}

int64_t cover_count(struct cover_set *s, const char *name)
{
	struct bin *e;

	fold(s);
	if (!s->cap)
		return -1;
	e = slot(s->bin, s->cap, name);
	if (!e->name)
		return -1;
	return e->count > INT64_MAX ? INT64_MAX : (int64_t)e->count;
}

const char *cover_group_name(unsigned i)
{
	return i < cover_ngroups ? cover_groups[i].name : NULL;
}

int cover_each(struct cover_set *s,
	       void (*fn)(void *ctx, const char *bin, uint64_t count),
	       void *ctx)
{
	struct bin *v = sorted(s);

	if (!v)
		return MMU_ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		fn(ctx, v[i].name, v[i].count);
	free(v);
	return 0;
}

void cover_summary(struct cover_set *s, FILE *f, unsigned max_holes)
{
	struct bin *v = sorted(s);
	struct cover_figure all, g;
	unsigned listed = 0;

	if (!v) {
		fprintf(f, "coverage: out of host memory\n");
		return;
	}
	cover_figure(s, NULL, &all);
	fprintf(f, "functional coverage: %" PRIu64 " of %" PRIu64
		" bins hit (%.1f%%)\n", all.hit, all.defined,
		all.defined ? 100.0 * (double)all.hit / (double)all.defined : 0);
	for (unsigned gi = 0; gi < cover_ngroups; gi++) {
		cover_figure(s, cover_groups[gi].name, &g);
		if (g.defined)
			fprintf(f, "  %-8s %5" PRIu64 " / %-5" PRIu64 " %5.1f%%\n",
				cover_groups[gi].name, g.hit, g.defined,
				100.0 * (double)g.hit / (double)g.defined);
	}
	fprintf(f, "holes: %" PRIu64 "\n", all.defined - all.hit);
	for (size_t i = 0; i < s->n && listed < max_holes; i++)
		if (!v[i].count) {
			fprintf(f, "  hole %s\n", v[i].name);
			listed++;
		}
	if (listed < all.defined - all.hit)
		fprintf(f, "  ... %" PRIu64 " more (the coverage file lists every"
			" bin)\n", all.defined - all.hit - listed);
	free(v);
}
