/* SPDX-License-Identifier: MIT */
/* The RTL back end of the machine interface: see rtl_machine.h. */
#include "rtl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct machine_ops rtl_ops;

/* ---- waveforms ---------------------------------------------------------- */

static char *path_with(const char *path, const char *suffix)
{
	size_t n = strlen(path);
	char *p;

	if (n >= 4 && !strcmp(path + n - 4, ".fst"))
		n -= 4;
	p = malloc(n + strlen(suffix) + 1);
	if (p) {
		memcpy(p, path, n);
		strcpy(p + n, suffix);
	}
	return p;
}

static int trace_start(struct rtl *r)
{
	const char *path = r->opts.trace_window ? r->seg[r->seg_cur] : r->trace_path;

	if (r->v->trace_open(r->h, path))
		return MERR(r, MMU_EBACKEND, "cannot open the FST trace %s", path);
	r->tracing = true;
	r->seg_start = r->cycle;
	return 0;
}

static int trace_roll(struct rtl *r)
{
	r->v->trace_close(r->h);
	r->tracing = false;
	r->seg_cur ^= 1;
	r->seg_prev = true;
	return trace_start(r);
}

int rtl_dump_window(struct machine *m, const char *path)
{
	struct rtl *r = to_rtl(m);
	int rc = 0;

	if (m->ops != &rtl_ops || !r->tracing)
		return MMU_EINVAL;
	r->v->trace_close(r->h);
	r->tracing = false;
	if (!r->opts.trace_window) {
		if (strcmp(path, r->trace_path) && rename(r->trace_path, path))
			return MERR(r, MMU_EBACKEND, "cannot rename %s to %s",
				    r->trace_path, path);
		return 0;
	}
	if (rename(r->seg[r->seg_cur], path))
		rc = MERR(r, MMU_EBACKEND, "cannot rename %s to %s",
			  r->seg[r->seg_cur], path);
	if (r->seg_prev) {
		char *prev = path_with(path, ".prev.fst");

		if (!prev || rename(r->seg[r->seg_cur ^ 1], prev))
			rc = MERR(r, MMU_EBACKEND, "cannot save the previous window");
		free(prev);
	}
	r->seg_prev = false;
	r->dumped |= !rc && !strcmp(path, r->trace_path);
	if (!rc)
		rc = trace_start(r);
	return rc;
}

/* The end of a rolling trace: unless a mismatch already saved its window
 * at the trace path, the last window goes there (and the one before to
 * .prev.fst); the segments are removed. */
static void trace_finish(struct machine *m)
{
	struct rtl *r = to_rtl(m);

	if (!r->dumped)
		(void)rtl_dump_window(m, r->trace_path);
	if (r->tracing)
		r->v->trace_close(r->h);
	r->tracing = false;
	(void)unlink(r->seg[0]);
	(void)unlink(r->seg[1]);
}

/* ---- the clock ------------------------------------------------------------ */

/* Evaluate the model with the clock low and this cycle's inputs.  Needed
 * only to read req_ready_o after ctl_valid changed, and for waveforms (the
 * settled values before each edge): mmu_top's other outputs are registers
 * or functions of registers, so the outputs after an edge are those of the
 * next cycle, and the edge's own evaluation settles the new inputs. */
void settle(struct rtl *r)
{
	if (!r->open) {
		if (!r->ext)
			axi_dram_drive(&r->dram, &r->in);
		r->open = true;
	}
	r->v->eval(r->h, &r->in, &r->out);
	r->in.dirty = 0;
	r->settled = true;
	r->comb_stale = false;
}

static int check(struct rtl *r)
{
	const char *axi;

	if (r->broken)
		return MMU_EBACKEND;
	if (r->v->errors(r->h)) {
		r->broken = true;
		return MERR(r, MMU_EBACKEND,
			    "RTL assertion failed by cycle %llu (message on stderr)",
			    (unsigned long long)r->cycle);
	}
	axi = r->ext ? NULL : axi_dram_error(&r->dram);
	if (axi) {
		r->broken = true;
		return MERR(r, MMU_EBACKEND, "%s", axi);
	}
	return 0;
}

#define VSHIM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The FSM states after an edge: one record per cycle while a log is set. */
static void log_fsm(struct rtl *r)
{
	struct rtl_fsm_log *l = r->fsm_log;
	struct rtl_dbg_out d;

	r->v->debug(r->h, NULL, &d);
	if (l->n < RTL_FSM_LOG_MAX)
		l->fsm[l->n] = d.fsm;
	l->n++;
}

/* The rising edge that ends the current cycle. */
int edge(struct rtl *r)
{
	if (r->tracing && !r->settled)
		settle(r);
	if (!r->open) {
		if (!r->ext)
			axi_dram_drive(&r->dram, &r->in);
		r->open = true;
	}
	/* The slave samples the master's outputs of this cycle: registers,
	 * as they came out of the last edge (or the settle). */
	if (!r->ext)
		axi_dram_clock(&r->dram, &r->in, &r->out);
	if (VSHIM_UNLIKELY(r->ev))
		rtl_events_edge(r);
	if (r->tracing)
		r->v->trace_dump(r->h, 2 * r->cycle);
	r->v->tick(r->h, &r->in, &r->out);
	r->in.dirty = 0;
	if (r->tracing)
		r->v->trace_dump(r->h, 2 * r->cycle + 1);
	if (VSHIM_UNLIKELY(r->fsm_log))
		log_fsm(r);
	r->cycle++;
	r->open = false;
	r->settled = false;
	r->comb_stale = false;
	r->rsp_cycle = false;
	if (r->tracing && r->opts.trace_window &&
	    r->cycle - r->seg_start >= r->opts.trace_window) {
		int rc = trace_roll(r);

		if (rc)
			return rc;
	}
	return check(r);
}

/* Complete the open cycle (or the cycle of the last response) so that
 * the counters show its effects (they count at the edge that ends it). */
static int sync_cycle(struct rtl *r)
{
	return (r->open || r->rsp_cycle) ? edge(r) : check(r);
}

int rtl_idle(struct machine *m, unsigned n)
{
	struct rtl *r = to_rtl(m);
	int rc = 0;

	while (n-- && !rc)
		rc = edge(r);
	return rc;
}

/* ---- requests -------------------------------------------------------------- */

/* Offer the request set up in r->in until it is accepted, then wait for the
 * response, leaving its cycle open.  *cycles counts edges from acceptance. */
static int request(struct rtl *r, struct mmu_outcome *o, unsigned *cycles)
{
	unsigned guard = 0;
	int rc;

	for (;;) {
		if (r->comb_stale)
			settle(r);
		if (r->out.req_ready)
			break;
		if ((rc = edge(r)))
			return rc;
		if (++guard > RTL_HANG_CYCLES)
			goto hang;
	}
	if ((rc = edge(r)))
		return rc;
	r->in.req_valid = 0;
	r->in.dirty |= RTL_IN_REQ;
	*cycles = 1;
	for (;;) {
		/* The outputs after an edge need no settling: mmu_top's outputs
		 * are registered (req_ready_o aside), so the next evaluation,
		 * with the next cycle's inputs, happens only before its edge. */
		if (r->out.ad_valid && o) {
			if (o->n_ad < MMU_MAX_LEVELS) {
				o->ad[o->n_ad].pa = r->out.ad_pa;
				o->ad[o->n_ad].value = r->out.ad_value;
			}
			o->n_ad++;
		}
		if (r->out.rsp_valid) {
			r->rsp_cycle = true;
			return 0;
		}
		if ((rc = edge(r)))
			return rc;
		++*cycles;
		if (*cycles > RTL_HANG_CYCLES)
			goto hang;
	}
hang:
	r->broken = true;
	return MERR(r, MMU_EBACKEND, "RTL hung: no %s after %u cycles (cycle %llu)",
		    *cycles ? "response" : "acceptance", RTL_HANG_CYCLES,
		    (unsigned long long)r->cycle);
}

static unsigned log2_size(unsigned size)
{
	return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
}

static bool valid_req(const struct rtl *r, const struct mmu_req *req)
{
	unsigned s = req->size;

	if (s != 1 && s != 2 && s != 4 && s != 8)
		return false;
	if (s > r->base.cfg.l1_line || (req->va & (s - 1)))
		return false;
	return req->op == MMU_LOAD || req->op == MMU_STORE ||
	       req->op == MMU_FETCH;
}

static int check_req(struct rtl *r, const struct mmu_req *req)
{
	if (r->broken)
		return MMU_EBACKEND;
	if (!valid_req(r, req))
		return MERR(r, MMU_EINVAL,
			    "access of size %u at %#llx: size must be 1, 2, 4 "
			    "or 8, naturally aligned and at most a line",
			    req->size, (unsigned long long)req->va);
	return 0;
}

/* Offer req on the request port from this cycle on. */
static void drive_req(struct rtl *r, const struct mmu_req *req)
{
	r->in.req_valid = 1;
	r->in.req_va = req->va;
	r->in.req_op = (uint8_t)req->op;
	r->in.req_size = (uint8_t)log2_size(req->size);
	r->in.req_user = req->user;
	r->in.req_phys = 0;
	r->in.req_wdata = req->wdata;
	r->in.dirty |= RTL_IN_REQ;
}

/* The response on the ports in this cycle (A/D pulses and cycles apart). */
static void take_rsp(const struct rtl *r, struct mmu_outcome *o)
{
	o->status = (enum mmu_status)r->out.rsp_status;
	o->rdata = r->out.rsp_rdata;
	o->pa = r->out.rsp_pa;
	o->error_code = r->out.rsp_ec;
	o->tlb_hit = r->out.rsp_tlb_hit;
	o->walked = r->out.rsp_walked;
	o->l1_hit = r->out.rsp_l1_hit;
	o->walk_reads = r->out.rsp_walk_reads;
	o->psc_level = r->out.rsp_psc_level;
	o->page_level = r->out.rsp_page_level;
}

/* CR2 of a #PF response: written at the edge that ends its cycle. */
static int take_cr2(struct rtl *r, struct mmu_outcome *o)
{
	struct rtl_arch a;
	int rc;

	if ((rc = edge(r)))
		return rc;
	r->v->arch(r->h, &a);
	o->cr2 = a.cr2;
	return 0;
}

static int rtl_access(struct machine *m, const struct mmu_req *req,
		      struct mmu_outcome *o)
{
	struct rtl *r = to_rtl(m);
	unsigned cycles = 0;
	int rc;

	mmu_outcome_clear(o);
	if ((rc = check_req(r, req)))
		return rc;
	drive_req(r, req);
	rc = request(r, o, &cycles);
	r->in.req_valid = 0;
	r->in.dirty |= RTL_IN_REQ;
	if (rc)
		return rc;
	if (o->n_ad > MMU_MAX_LEVELS)
		return MERR(r, MMU_EBACKEND, "%u A/D writes in one walk", o->n_ad);
	take_rsp(r, o);
	o->cycles = cycles;
	return o->status == MMU_ST_PAGE_FAULT ? take_cr2(r, o) : 0;
}

/* One cycle of a stream: offer the next request, take the A/D pulses and
 * the response of the oldest access in flight, then the edge (except after
 * the last response, whose cycle stays open as after an access). */
static int stream_cycle(struct rtl *r, const struct mmu_req *req, size_t n,
			struct mmu_outcome *o, struct rtl_stream *st)
{
	struct mmu_outcome *old = &o[st->done];
	bool inflight = st->done < st->issued, pf = false, accepted;
	int rc;

	if (r->comb_stale)
		settle(r);
	accepted = st->issued < n && r->out.req_ready;
	if (inflight && r->out.ad_valid) {
		if (old->n_ad < MMU_MAX_LEVELS) {
			old->ad[old->n_ad].pa = r->out.ad_pa;
			old->ad[old->n_ad].value = r->out.ad_value;
		}
		old->n_ad++;
	}
	if (inflight && r->out.rsp_valid) {
		if (old->n_ad > MMU_MAX_LEVELS)
			return MERR(r, MMU_EBACKEND, "%u A/D writes in one walk", old->n_ad);
		take_rsp(r, old);
		old->cycles = (unsigned)(r->cycle - st->acc_cycle[st->done % RTL_STREAM_DEPTH]);
		st->progress = r->cycle;
		pf = old->status == MMU_ST_PAGE_FAULT;
		if (++st->done == n) {
			r->rsp_cycle = true;
			return pf ? take_cr2(r, old) : 0;
		}
	}
	if (accepted) {
		if (!st->issued)
			st->first = r->cycle;
		st->acc_cycle[st->issued % RTL_STREAM_DEPTH] = r->cycle;
		st->progress = r->cycle;
		st->issued++;
	}
	/* The edge takes the request on the port; the next one follows it. */
	if ((rc = pf ? take_cr2(r, old) : edge(r)))
		return rc;
	if (accepted) {
		if (st->issued < n)
			drive_req(r, &req[st->issued]);
		r->in.req_valid = st->issued < n;
		r->in.dirty |= RTL_IN_REQ;
	}
	return 0;
}

int rtl_access_stream(struct machine *m, const struct mmu_req *req, size_t n,
		      struct mmu_outcome *o, uint64_t *cycles)
{
	struct rtl *r = to_rtl(m);
	struct rtl_stream st = { 0 };
	int rc = 0;

	if (!rtl_is_rtl(m))
		return MMU_EINVAL;
	for (size_t i = 0; i < n; i++) {
		mmu_outcome_clear(&o[i]);
		if ((rc = check_req(r, &req[i])))
			return rc;
	}
	if (n)
		drive_req(r, &req[0]);
	st.progress = r->cycle;
	while (!rc && st.done < n) {
		rc = stream_cycle(r, req, n, o, &st);
		if (!rc && st.issued - st.done > RTL_STREAM_DEPTH - 1)
			rc = MERR(r, MMU_EBACKEND, "more than %u accesses in flight",
				  RTL_STREAM_DEPTH - 1);
		if (!rc && r->cycle - st.progress > RTL_HANG_CYCLES) {
			r->broken = true;
			rc = MERR(r, MMU_EBACKEND, "RTL hung: no response in a stream "
				  "of %zu accesses (cycle %llu)", n,
				  (unsigned long long)r->cycle);
		}
	}
	r->in.req_valid = 0;
	r->in.dirty |= RTL_IN_REQ;
	if (cycles)
		*cycles = n && !rc ? r->cycle - st.first : 0;
	return rc;
}

/* ---- control ------------------------------------------------------------------ */

static int rtl_ctl(struct machine *m, const struct mmu_ctl *c,
		   enum mmu_ctl_result *res)
{
	struct rtl *r = to_rtl(m);
	unsigned guard = 0;
	int rc;

	*res = MMU_CTL_DONE;
	if (r->broken)
		return MMU_EBACKEND;
	if ((rc = mmu_ctl_check(m, c)))
		return rc;
	/* The port carries a 2-bit type and a 12-bit PCID: what does not fit
	 * would raise #GP, which the glue reports without asking the RTL. */
	if (c->op == MMU_CTL_INVPCID && (c->type > 3 || c->pcid > CR3_PCID_MASK)) {
		*res = MMU_CTL_GP;
		return 0;
	}
	r->in.ctl_valid = 1;
	r->in.ctl_op = (uint8_t)c->op;
	r->in.ctl_value = c->value;
	r->in.ctl_addr = c->addr;
	r->in.ctl_type = (uint8_t)c->type;
	r->in.ctl_pcid = c->pcid;
	r->in.dirty |= RTL_IN_CTL;
	for (;;) {
		settle(r);
		if (r->out.ctl_ready)
			break;
		if ((rc = edge(r)) || ++guard > RTL_HANG_CYCLES)
			goto out;
	}
	rc = edge(r);
	r->in.ctl_valid = 0;
	r->in.dirty |= RTL_IN_CTL;
	r->comb_stale = true;
	while (!rc) {
		if (r->out.ctl_done) {  /* registered: valid after the edge */
			*res = r->out.ctl_gp ? MMU_CTL_GP : MMU_CTL_DONE;
			return 0;
		}
		rc = edge(r);
		if (++guard > RTL_HANG_CYCLES)
			break;
	}
out:
	r->in.ctl_valid = 0;
	r->in.dirty |= RTL_IN_CTL;
	r->comb_stale = true;
	if (!rc) {
		r->broken = true;
		rc = MERR(r, MMU_EBACKEND, "RTL hung in control operation %s",
			  mmu_ctl_op_str(c->op));
	}
	return rc;
}

/* ---- the coherent physical path --------------------------------------------- */

static int phys_xfer(struct rtl *r, uint64_t pa, uint8_t *buf,
		     const uint8_t *src, size_t len)
{
	const uint64_t line = r->base.cfg.l1_line;
	const unsigned word = line < 8 ? (unsigned)line : 8;
	uint64_t last_line = ~0ull;

	if (r->broken)
		return MMU_EBACKEND;
	if (pa >= r->base.mem_bytes || len > r->base.mem_bytes - pa)
		return MERR(r, MMU_ERANGE,
			    "physical access [%#llx, +%zu) outside %llu bytes "
			    "of memory",
			    (unsigned long long)pa, len,
			    (unsigned long long)r->base.mem_bytes);
	while (len) {
		unsigned n = word, cycles;
		struct mmu_outcome o;
		int rc;

		while (n > 1 && ((pa & (n - 1)) || n > len))
			n >>= 1;
		if ((pa & ~(line - 1)) != last_line) {
			last_line = pa & ~(line - 1);
			r->phys_lines++;
		}
		r->in.req_valid = 1;
		r->in.req_va = pa;
		r->in.req_op = src ? MMU_STORE : MMU_LOAD;
		r->in.req_size = (uint8_t)log2_size(n);
		r->in.req_user = 0;
		r->in.req_phys = 1;
		r->in.req_wdata = 0;
		for (unsigned i = 0; src && i < n; i++)
			r->in.req_wdata |= (uint64_t)src[i] << (8 * i);
		r->in.dirty |= RTL_IN_REQ;
		memset(&o, 0, sizeof(o));
		rc = request(r, NULL, &cycles);
		r->in.req_valid = 0;
		r->in.req_phys = 0;
		r->in.dirty |= RTL_IN_REQ;
		if (rc)
			return rc;
		if (r->out.rsp_status != MMU_ST_OK)
			return MERR(r, MMU_EBACKEND,
				    "physical access at %#llx: %s from the RTL",
				    (unsigned long long)pa,
				    mmu_status_str((enum mmu_status)r->out.rsp_status));
		for (unsigned i = 0; !src && i < n; i++)
			*buf++ = (uint8_t)(r->out.rsp_rdata >> (8 * i));
		if (src)
			src += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static int rtl_phys_read(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	return phys_xfer(to_rtl(m), pa, buf, NULL, len);
}

static int rtl_phys_write(struct machine *m, uint64_t pa, const void *buf,
			  size_t len)
{
	return phys_xfer(to_rtl(m), pa, NULL, buf, len);
}

static int rtl_mem_peek(struct machine *m, uint64_t pa, void *buf, size_t len)
{
	struct rtl *r = to_rtl(m);

	if (pa >= m->mem_bytes || len > m->mem_bytes - pa)
		return MERR(r, MMU_ERANGE, "peek [%#llx, +%zu) outside memory",
			    (unsigned long long)pa, len);
	if (r->ext)
		return r->ext->peek(r->ext->ctx, pa, buf, len) ?
		       MERR(r, MMU_EBACKEND, "peek [%#llx, +%zu): the memory "
			    "behind the AXI slave did not answer",
			    (unsigned long long)pa, len) : 0;
	axi_dram_read(&r->dram, pa, buf, len);
	return 0;
}

/* No clock edge: the registers change only at the edge that ends a control
 * operation (rtl_ctl returns after it) or a #PF's response (rtl_access
 * clocks it to read CR2), so they are final when an access or control call
 * returns, and reading them leaves the DUT's timing alone (the next request
 * is still offered in the response's cycle). */
static void rtl_regs(struct machine *m, struct mmu_regs *regs)
{
	struct rtl *r = to_rtl(m);
	struct rtl_arch a;

	r->v->arch(r->h, &a);
	regs->cr0 = a.cr0;
	regs->cr2 = a.cr2;
	regs->cr3 = a.cr3;
	regs->cr4 = a.cr4;
	regs->efer = a.efer;
	regs->ac = a.ac;
	regs->pkru = a.pkru;
}

static void rtl_counters(struct machine *m, struct mmu_counters *c)
{
	struct rtl *r = to_rtl(m);
	struct rtl_cnt h;

	(void)sync_cycle(r);
	r->v->counters(r->h, &h);
	memset(c, 0, sizeof(*c));
#define COPY(name) c->name = h.name;
	RTL_COUNTERS(COPY)
#undef COPY
	c->phys_lines = r->phys_lines;
	c->cycles = r->cycle - r->cycle0;
}

static void rtl_destroy(struct machine *m)
{
	struct rtl *r = to_rtl(m);

	if (!r)
		return;
	if (r->h && r->tracing && r->opts.trace_window)
		trace_finish(m);
	if (r->h) {
		if (r->v->coverage) {
			static unsigned seq;
			const char *dir = getenv("RTL_COVERAGE_DIR");
			char path[512];

			snprintf(path, sizeof(path), "%s/coverage_%s_%ld_%u.dat",
				 dir ? dir : ".", r->v->config, (long)getpid(),
				 seq++);
			r->v->coverage_write(r->h, path);
		}
		r->v->destroy(r->h);
	}
	axi_dram_free(&r->dram);
	free(r->trace_path);
	free(r->seg[0]);
	free(r->seg[1]);
	free(r);
}

static const struct machine_ops rtl_ops = {
	.name = "rtl",
	.access = rtl_access,
	.ctl = rtl_ctl,
	.phys_read = rtl_phys_read,
	.phys_write = rtl_phys_write,
	.mem_peek = rtl_mem_peek,
	.regs = rtl_regs,
	.counters = rtl_counters,
	.destroy = rtl_destroy,
	.tlb_slot = rtl_tlb_slot,
	.line_slot = rtl_line_slot,
	.events = rtl_events,
};

bool rtl_is_rtl(const struct machine *m)
{
	return m && m->ops == &rtl_ops;
}

uint64_t rtl_cycles(struct machine *m)
{
	return to_rtl(m)->cycle - to_rtl(m)->cycle0;
}

uint64_t rtl_wave_time(struct machine *m)
{
	uint64_t c = to_rtl(m)->cycle;

	/* clock() stamps cycle c at 2c (inputs settled) and its rising edge
	 * at 2c + 1 */
	return c ? 2 * c - 1 : 0;
}

/* ---- creation ---------------------------------------------------------------- */

int rtl_create(const struct mmu_config *cfg, uint64_t mem_bytes,
	       const struct rtl_opts *opts, struct machine **out, char *err,
	       size_t errlen)
{
	const struct vshim_ops *v = rtl_find_model(cfg->name,
					       opts && opts->trace_path);

	if (!v)
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "no RTL model for configuration '%s' (built: %s)",
			    cfg->name, rtl_models());
	return rtl_create_on(cfg, mem_bytes, opts, v, NULL, NULL, out, err,
			     errlen);
}

int rtl_create_on(const struct mmu_config *cfg, uint64_t mem_bytes,
		  const struct rtl_opts *opts, const struct vshim_ops *v,
		  void *h, const struct physmem_port *ext,
		  struct machine **out, char *err, size_t errlen)
{
	static const struct rtl_opts defaults = { 0 };
	struct mmu_config c = *cfg;
	struct axi_dram_opts dopt;
	char msg[MMU_CFG_ERR_MAX];
	struct rtl *r;
	int rc;

	if (!opts)
		opts = &defaults;
	if (mmu_config_validate(&c, msg, sizeof(msg)))
		return mmu_errf(err, errlen, MMU_EINVAL, "%s", msg);
	if ((rc = rtl_check_config(v, &c, err, errlen)))
		return rc;
	if (!mem_bytes)
		mem_bytes = c.mem_bytes;
	if (mem_bytes & ((1ull << c.page_shift) - 1) ||
	    (c.pa_bits < 64 && mem_bytes > (1ull << c.pa_bits)))
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "memory size %llu: must be a multiple of the "
			    "%llu-byte page and fit in %llu physical-address bits",
			    (unsigned long long)mem_bytes, 1ull << c.page_shift,
			    (unsigned long long)c.pa_bits);
	if (opts->trace_path && !v->traced)
		return mmu_errf(err, errlen, MMU_EINVAL,
			    "RTL model %s was built without tracing", v->model);

	r = calloc(1, sizeof(*r));
	if (!r)
		return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
	r->base.ops = &rtl_ops;
	r->base.cfg = c;
	r->base.mem_bytes = mem_bytes;
	r->v = v;
	r->opts = *opts;
	dopt.rd_latency = opts->rd_latency;
	dopt.wr_latency = opts->wr_latency;
	dopt.backpressure_pct = opts->backpressure_pct;
	dopt.seed = opts->seed;
	r->ext = ext;
	if (!ext && axi_dram_init(&r->dram, mem_bytes,
				  c.l1_line < 8 ? (unsigned)c.l1_line : 8, &dopt)) {
		rtl_destroy(&r->base);
		return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
	}
	r->h = ext ? h : v->create();
	if (opts->trace_path) {
		r->trace_path = strdup(opts->trace_path);
		r->seg[0] = path_with(opts->trace_path, ".seg0.fst");
		r->seg[1] = path_with(opts->trace_path, ".seg1.fst");
		if (!r->trace_path || !r->seg[0] || !r->seg[1]) {
			rtl_destroy(&r->base);
			return mmu_errf(err, errlen, MMU_ENOMEM, "out of host memory");
		}
		r->opts.trace_path = r->trace_path;
		if ((rc = trace_start(r))) {
			mmu_errf(err, errlen, rc, "%s", r->base.err);
			rtl_destroy(&r->base);
			return rc;
		}
	}
	/* Synchronous reset, then run. */
	r->in.rst_ni = 0;
	r->in.dirty = RTL_IN_ALL;
	for (unsigned i = 0; i < RESET_CYCLES; i++)
		edge(r);
	r->in.rst_ni = 1;
	r->in.dirty |= RTL_IN_REQ;
	r->comb_stale = true;
	r->cycle0 = r->cycle;
	if ((rc = check(r))) {
		mmu_errf(err, errlen, rc, "%s", r->base.err);
		rtl_destroy(&r->base);
		return rc;
	}
	*out = &r->base;
	return 0;
}
