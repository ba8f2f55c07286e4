/* SPDX-License-Identifier: MIT */
/* Inside the coverage library: the bin groups and the per-machine sampling
 * (model.c), the named bins, merging and files (set.c). */
#ifndef MMU_COVER_INT_H
#define MMU_COVER_INT_H

#include "cover.h"

#define COVER_MAX_DIMS 10
#define COVER_NAME_MAX 160

struct cover_dim {
	const char *name;
	unsigned n;
	const char *const *labels;  /* NULL: the value in decimal */
};

struct cover_group {
	const char *name;
	unsigned ndim;
	struct cover_dim dim[COVER_MAX_DIMS];
	/* Is the bin with these dimension values defined for cfg? */
	bool (*defined)(const struct mmu_config *cfg, const unsigned *v);
	/* The MMU_EV_* events the group is sampled from (machine.h): defined
	 * only on a machine that records them all (0: none needed). */
	unsigned needs;
};

/* The groups, in the order of the summary (model.c). */
extern const struct cover_group cover_groups[];
extern const unsigned cover_ngroups;

/* Bins of one group in one model. */
unsigned cover_group_bins(const struct cover_group *g);
/* "group:dim=label,..." of bin index i. */
void cover_bin_name(const struct cover_group *g, unsigned i, char *buf,
		    size_t len);

/* A model: the counts of one attached machine's configuration (model.c). */
struct cover_model;
/* A model of m's configuration and events (recorded into the model from
 * now on: m must not outlive it, as for the observer). */
int cover_model_new(struct machine *m, struct cover_model **out);
void cover_model_free(struct cover_model *md);
const struct machine_observer *cover_model_observer(struct cover_model *md);
/* Move the model's defined bins and counts into s (counts then 0). */
int cover_model_fold(struct cover_model *md, struct cover_set *s);

#endif
