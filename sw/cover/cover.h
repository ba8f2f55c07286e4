/* SPDX-License-Identifier: MIT */
/*
 * Functional coverage of the MMU (libmmucover): what the stimulus made the
 * MMU do, counted in named bins, whatever back end runs it.
 *
 * A cover set is attached to a machine (cover_attach(), or machine_open()
 * with backend_opts.cover) as its observer (machine.h): every access and
 * control operation then samples the bins with the request, the outcome
 * and the state before the call -- the registers, and the entries the walk
 * reads, taken from the golden model (the machine itself, or lockstep's
 * reference) through its debug path (L1 lines) and mem_peek, so sampling
 * changes nothing.  A back end with no golden model in it (the RTL alone)
 * samples everything but what needs the entries (perm, level, pk, global,
 * A/D kinds) or its replacement (the *_fill groups, undefined there).
 *
 * Groups (docs/verification.md lists every dimension):
 *   perm     rights along the walk (R/W and U/S ANDed, XD ORed) x access x
 *            mode x the controls that matter for that access (CR0.WP for
 *            supervisor writes, SMAP and AC for supervisor data accesses,
 *            SMEP for supervisor fetches, NXE for fetches); a control that
 *            cannot matter is folded to 0, so every bin is reachable in
 *            principle
 *   level    U/S, R/W, XD of the entry at each level
 *   page     page size x access x mode
 *   source   where the translation came from (TLB hit, TLB hit re-walked
 *            to set D, each paging-structure-cache level, full walk) x
 *            page size
 *   status   ok / #PF / #GP / bus error x access x mode
 *   pfec     each #PF error code (P, W/R, U/S, RSVD, I/D, PK combinations
 *            the SDM allows)
 *   ad       A/D bits the walker set, per level (A, D, A and D)
 *   tlb_l1   TLB hit x L1 hit x access (successful accesses)
 *   pcid     CR4.PCIDE x PCID zero or not x TLB hit
 *   global   CR4.PGE x leaf G x TLB hit
 *   pk       CR4.PKE x the key's AD and WD x access x mode (user pages)
 *   ctl      each control operation x done / #GP (where #GP exists)
 *   invpcid  INVPCID type x done / #GP
 *   cr3      MOV to CR3: CR4.PCIDE x no-flush bit
 *   tlb_fill, psc_fill, l1_fill, walk_fill
 *            replacement: the way or slot each fill took and its victim
 *            (free, valid / clean, dirty, or the same tag), the walk
 *            level whose entry read missed (a dirty eviction during a
 *            walk) -- the golden model's events (machine_events)
 *   axi, axi_stall
 *            AXI bursts of fills and write-backs during a data access, a
 *            walk or maintenance, and the back-pressure stalls on their
 *            address, data and response channels -- the RTL back end's
 * Bins are defined per configuration (levels, page sizes, PCIDs, keys)
 * and per machine (the events it records): a set holds the union of the
 * bins of the machines it saw.
 *
 * Sets are counted per run and merged (cover_merge, cover_read: counts
 * add, definitions unite); the file is text, one bin a line:
 *   # mmu functional coverage v1
 *   <bin name> TAB <count>
 * Nothing here prints or exits; errors are return codes with a message.
 */
#ifndef MMU_COVER_H
#define MMU_COVER_H

#include "machine/machine.h"

#include <stdio.h>

struct cover_set;

int cover_new(struct cover_set **out);
void cover_free(struct cover_set *s);

/* Make s observe m (which must outlive no sample: detach or destroy m
 * before freeing s).  MMU_ENOMEM, or MMU_EINVAL when m has an observer. */
int cover_attach(struct cover_set *s, struct machine *m, char *err,
		 size_t errlen);

/* One bin by name: defined (count 0 until hit) or counted (n more). */
int cover_define(struct cover_set *s, const char *bin);
int cover_add(struct cover_set *s, const char *bin, uint64_t n);

/* Add every bin of src to dst (definitions unite, counts add). */
int cover_merge(struct cover_set *dst, struct cover_set *src);

/* Read a file into s (merging); MMU_EINVAL with "FILE:LINE: ..." on a
 * malformed line.  Write s to f. */
int cover_read(struct cover_set *s, const char *path, char *err,
	       size_t errlen);
/* The same from an open stream (path names it in the messages). */
int cover_read_file(struct cover_set *s, FILE *f, const char *path,
		    char *err, size_t errlen);
int cover_write(struct cover_set *s, FILE *f);

struct cover_figure {
	uint64_t defined, hit;
};
/* All groups (group NULL) or one ("perm"). */
void cover_figure(struct cover_set *s, const char *group,
		  struct cover_figure *f);
/* hit / defined in percent (0 when nothing is defined). */
double cover_percent(struct cover_set *s);
/* The count of one bin, or -1 when it is not defined. */
int64_t cover_count(struct cover_set *s, const char *bin);

/* The groups in the summary's order: the name of group i, NULL past the
 * last. */
const char *cover_group_name(unsigned i);
/* Every bin in name order: fn(ctx, name, count); MMU_ENOMEM when the set
 * cannot be sorted. */
int cover_each(struct cover_set *s,
	       void (*fn)(void *ctx, const char *bin, uint64_t count),
	       void *ctx);

/* The summary: per group bins hit of bins defined, the total, and up to
 * max_holes holes by name (0: none listed; the count is always given). */
void cover_summary(struct cover_set *s, FILE *f, unsigned max_holes);

#endif
