// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reservations (NVMe Base 2.1, "Reservations"), in memory, with
 * persistence through pr_store.h when a host turns PTPL on.
 *
 * A namespace enabled with resv_enable has a struct nvmet_pr (ns->pr).
 * Its state is one immutable struct nvmet_pr_state published under RCU:
 * the registrants sorted by host identifier, the reservation type and
 * holder, the generation, PTPL.  A reservation command builds a new state
 * from the published one under pr->lock, saves it to the store if PTPL is
 * (or was) on, publishes it, and only then completes; a failed save keeps
 * the old state and fails the command.  The commands run on their own
 * work queue, never in the fabric's context: a save may sleep.
 *
 * The I/O path reads the published state under RCU and takes a reference
 * on it (state->io) that the command keeps until it completes.  Replacing
 * a state kills the old one's reference; a preempt-and-abort then waits
 * for it to drain, so every command that was checked against the old
 * state, the preempted hosts' among them, has completed before the
 * preempt-and-abort does.
 *
 * Conventions:
 * @req: a reservation command or an I/O command
 * @pr:  the namespace's reservations, req->ns->pr
 * @s:   a state; @old the published one, @new one being built (P)
 * @pos: an index in s->regs
 */
#include <linux/bsearch.h>
#include <linux/completion.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/backend.h>
#include <nvmet/compat-lib.h>

#include "../core/core.h"
#include "ctrl.h"
#include "pr.h"

/* Reservation commands; see the file comment. */
static struct workqueue_struct *nvmet_pr_wq;

#define NVMET_PR_CONFLICT	(NVME_SC_RESERVATION_CONFLICT | NVME_STATUS_DNR)
#define NVMET_PR_INVALID	(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR)
/* A registrant beyond NVMET_PR_MAX_REGS: no room to hold it. */
#define NVMET_PR_NO_ROOM	(NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR)

/* The published state, to a holder of pr->lock. */
static struct nvmet_pr_state *nvmet_pr_dereference(struct nvmet_pr *pr)
{
	return rcu_dereference_protected(pr->state,
					 lockdep_is_held(&pr->lock));
}

static bool nvmet_pr_all_regs(u8 rtype)
{
	return rtype == NVME_PR_WRITE_EXCLUSIVE_ALL_REGS ||
	       rtype == NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS;
}

/* Does registrant @pos hold the reservation of @s? */
static bool nvmet_pr_holds(const struct nvmet_pr_state *s, u32 pos)
{
	return s->rtype && (nvmet_pr_all_regs(s->rtype) || s->holder == pos);
}

static void nvmet_pr_state_free_rcu(struct rcu_head *rcu)
{
	struct nvmet_pr_state *s = container_of(rcu, struct nvmet_pr_state,
						rcu);

	percpu_ref_exit(&s->io);
	kvfree(s);
}

/* The last command checked against a replaced state completed. */
static void nvmet_pr_state_release(struct percpu_ref *ref)
{
	struct nvmet_pr_state *s = container_of(ref, struct nvmet_pr_state,
						io);

	if (s->done)
		complete(s->done);
	call_rcu(&s->rcu, nvmet_pr_state_free_rcu);
}

static struct nvmet_pr_state *nvmet_pr_state_alloc(u32 nr_regs)
{
	struct nvmet_pr_state *s;

	s = kvzalloc(struct_size(s, regs, nr_regs), GFP_KERNEL);
	if (!s)
		return NULL;
	if (percpu_ref_init(&s->io, nvmet_pr_state_release, 0, GFP_KERNEL)) {
		kvfree(s);
		return NULL;
	}
	s->holder = NVMET_PR_NO_HOLDER;
	return s;
}

/* Free a state that was never published. */
static void nvmet_pr_state_discard(struct nvmet_pr_state *s)
{
	percpu_ref_exit(&s->io);
	kvfree(s);
}

/* A copy of @old with room for @extra more registrants. */
static struct nvmet_pr_state *nvmet_pr_copy(const struct nvmet_pr_state *old,
					    u32 extra)
{
	struct nvmet_pr_state *new = nvmet_pr_state_alloc(old->nr_regs +
							  extra);

	if (!new)
		return NULL;
	new->generation = old->generation;
	new->rtype = old->rtype;
	new->ptpl = old->ptpl;
	new->holder = old->holder;
	new->nr_regs = old->nr_regs;
	memcpy(new->regs, old->regs, old->nr_regs * sizeof(old->regs[0]));
	return new;
}

/*
 * Binary search for @hostid.  Return: true with *@pos its index, or false
 * with *@pos where it would go.
 */
static bool nvmet_pr_find(const struct nvmet_pr_state *s,
			  const uuid_t *hostid, u32 *pos)
{
	u32 lo = 0, hi = s->nr_regs;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = memcmp(hostid, &s->regs[mid].hostid, sizeof(*hostid));

		if (!c) {
			*pos = mid;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*pos = lo;
	return false;
}

/* Insert a registrant at @pos (the caller allocated room for it). */
static void nvmet_pr_insert(struct nvmet_pr_state *s, u32 pos,
			    const uuid_t *hostid, u64 rkey)
{
	memmove(&s->regs[pos + 1], &s->regs[pos],
		(s->nr_regs - pos) * sizeof(s->regs[0]));
	uuid_copy(&s->regs[pos].hostid, hostid);
	s->regs[pos].rkey = rkey;
	s->nr_regs++;
	if (s->holder != NVMET_PR_NO_HOLDER && s->holder >= pos)
		s->holder++;
}

/*
 * Remove registrant @pos.  A reservation its holder leaves goes with it,
 * and so does an all-registrants one when the last registrant leaves.
 * Return: true if the reservation went.
 */
static bool nvmet_pr_remove(struct nvmet_pr_state *s, u32 pos)
{
	bool released = false;

	memmove(&s->regs[pos], &s->regs[pos + 1],
		(s->nr_regs - pos - 1) * sizeof(s->regs[0]));
	s->nr_regs--;
	if (s->holder == pos) {
		s->holder = NVMET_PR_NO_HOLDER;
		s->rtype = 0;
		released = true;
	} else if (s->holder != NVMET_PR_NO_HOLDER && s->holder > pos) {
		s->holder--;
	}
	if (s->rtype && nvmet_pr_all_regs(s->rtype) && !s->nr_regs) {
		s->rtype = 0;
		released = true;
	}
	return released;
}

/*
 * Remove every registrant keyed @rkey but @keep (the issuer), or every
 * registrant but @keep if @all; their host identifiers go to @out.
 * Return: how many went.
 */
static u32 nvmet_pr_remove_keyed(struct nvmet_pr_state *s, u64 rkey, bool all,
				 const uuid_t *keep, uuid_t *out)
{
	u32 pos = 0, n = 0;

	while (pos < s->nr_regs) {
		struct nvmet_pr_reg *reg = &s->regs[pos];

		if ((!all && reg->rkey != rkey) || uuid_equal(&reg->hostid, keep)) {
			pos++;
			continue;
		}
		uuid_copy(&out[n++], &reg->hostid);
		nvmet_pr_remove(s, pos);
	}
	return n;
}

/* Make @new durable in the store (pr_store.h) while PTPL is or was on. */
static u16 nvmet_pr_save(struct nvmet_ns *ns, struct nvmet_pr *pr,
			 const struct nvmet_pr_state *new)
	__must_hold(&pr->lock)
{
	struct nvmet_pr_image *img;
	u32 i;
	int ret;

	lockdep_assert_held(&pr->lock);
	img = nvmet_pr_image_alloc(new->nr_regs);
	if (!img)
		return NVME_SC_INTERNAL;
	img->generation = new->generation;
	img->rtype = new->rtype;
	img->ptpl = new->ptpl;
	img->holder = new->holder;
	for (i = 0; i < new->nr_regs; i++) {
		memcpy(img->regs[i].hostid, &new->regs[i].hostid, 16);
		img->regs[i].rkey = new->regs[i].rkey;
	}
	ret = nvmet_pr_store_save(pr->store, img);
	nvmet_pr_image_free(img);
	if (!ret)
		return 0;
	pr_err("nvmet: subsystem %s namespace %u: reservation state not saved: %d\n",
	       ns->subsys->nqn, ns->nsid, ret);
	/* The store cannot persist at all (no PTPL support): the host's ask. */
	return ret == -EOPNOTSUPP ? NVMET_PR_INVALID : NVME_SC_INTERNAL;
}

/*
 * Publish @new in place of the current state, after saving it if PTPL is
 * or was on.  With @wait, return only once every I/O command checked
 * against the old state has completed (preempt-and-abort).  On failure
 * @new is freed and the old state stays.
 */
static u16 nvmet_pr_commit(struct nvmet_ns *ns, struct nvmet_pr_state *new,
			   bool wait)
{
	struct nvmet_pr *pr = ns->pr;
	struct nvmet_pr_state *old = nvmet_pr_dereference(pr);
	DECLARE_COMPLETION_ONSTACK(done);
	u16 status;

	if (new->ptpl || old->ptpl) {
		status = nvmet_pr_save(ns, pr, new);
		if (status) {
			nvmet_pr_state_discard(new);
			return status;
		}
	}
	rcu_assign_pointer(pr->state, new);
	if (wait)
		old->done = &done;
	percpu_ref_kill(&old->io);
	if (wait)
		wait_for_completion(&done);
	return 0;
}

/**
 * struct nvmet_pr_event - a reservation notification for some hosts
 * @ns: the namespace
 * @type: NVMET_PR_LOG_*
 * @hosts: the hosts told, sorted by host identifier: an array whose
 *	   entries each start with one
 * @stride: bytes from one entry of @hosts to the next
 * @nr: entries in @hosts
 * @skip: a host in @hosts not to tell (the issuer), or NULL
 */
struct nvmet_pr_event {
	struct nvmet_ns *ns;
	u8 type;
	const void *hosts;
	size_t stride;
	u32 nr;
	const uuid_t *skip;
};

static int nvmet_pr_cmp_hostid(const void *key, const void *elt)
{
	return memcmp(key, elt, sizeof(uuid_t));
}

/* Raise the Reservation Log Page Available event unless masked. */
static void nvmet_pr_raise_aen(struct nvmet_ctrl *ctrl)
	__must_hold(&ctrl->lock)
{
	lockdep_assert_held(&ctrl->lock);
	if (!ctrl->pr_log.nr ||
	    test_and_set_bit(NVMET_AEN_BIT_RESV_LOG, &ctrl->aen_masked))
		return;
	nvmet_ctrl_add_async_event(ctrl, NVME_AER_CSS,
				   NVMET_AEN_RESV_LOG_AVAILABLE,
				   NVME_LOG_RESERVATION);
}

static void nvmet_pr_ctrl_event(struct nvmet_ctrl *ctrl, void *data)
{
	struct nvmet_pr_event *ev = data;
	struct nvmet_pr_ctrl_log *log = &ctrl->pr_log;
	struct nvmet_pr_log_entry *e;

	if (ev->skip && uuid_equal(&ctrl->hostid, ev->skip))
		return;
	if (!bsearch(&ctrl->hostid, ev->hosts, ev->nr, ev->stride,
		     nvmet_pr_cmp_hostid))
		return;
	if (!nvmet_ns_visible(ctrl, ev->ns))
		return;
	mutex_lock(&ctrl->lock);
	/* The count skips 0, which means "no log page". */
	if (++log->count == 0)
		log->count = 1;
	/* A full ring loses the newest entry: a gap in the counts says so. */
	if (log->nr < NVMET_PR_LOG_SLOTS) {
		e = &log->entries[(log->first + log->nr++) %
				  NVMET_PR_LOG_SLOTS];
		e->count = log->count;
		e->type = ev->type;
		e->nsid = ev->ns->nsid;
	}
	nvmet_pr_raise_aen(ctrl);
	mutex_unlock(&ctrl->lock);
}

/* Tell the controllers of @hosts (all but @skip) of a change. */
static void nvmet_pr_notify(struct nvmet_ns *ns, u8 type, const void *hosts,
			    size_t stride, u32 nr, const uuid_t *skip)
{
	struct nvmet_pr_event ev = {
		.ns = ns, .type = type, .hosts = hosts, .stride = stride,
		.nr = nr, .skip = skip,
	};

	if (!nr || (READ_ONCE(ns->pr->notify_mask) & BIT(type)))
		return;
	nvmet_subsys_walk_ctrls(ns->subsys, nvmet_pr_ctrl_event, &ev);
}

/* Tell the registrants of @s but @skip. */
static void nvmet_pr_notify_regs(struct nvmet_ns *ns, u8 type,
				 const struct nvmet_pr_state *s,
				 const uuid_t *skip)
{
	nvmet_pr_notify(ns, type, s->regs, sizeof(s->regs[0]), s->nr_regs,
			skip);
}

static_assert(NVMET_RESV_NOTIFY_REG_PREEMPTED == NVMET_PR_LOG_REG_PREEMPTED);
static_assert(NVMET_RESV_NOTIFY_RESV_RELEASED == NVMET_PR_LOG_RESV_RELEASED);
static_assert(NVMET_RESV_NOTIFY_RESV_PREEMPTED == NVMET_PR_LOG_RESV_PREEMPTED);

/**
 * nvmet_backend_resv_notify() - a backend's reservation notification for
 *				 a host
 * @req: a command of the host on the namespace (req->ns set), on which
 *	 the backend learnt of the change
 * @type: NVMET_RESV_NOTIFY_*
 *
 * For a backend whose storage keeps the reservations (struct
 * nvmet_backend_ops, @resv_cap), when the storage tells it that another
 * user of the storage preempted the registration of @req's host, or
 * released or preempted a reservation the host is registered for (a LIO
 * backstore's UNIT ATTENTION on the host's I_T nexus).  Adds a log entry
 * of @type for req->ns to every controller of that host that sees the
 * namespace and raises Reservation Log Page Available as the core's own
 * reservations do, unless the namespace's Reservation Notification Mask
 * (Set Features 82h; ns->resv_notify_mask, such a namespace has no
 * struct nvmet_pr) masks @type.
 *
 * Context: Process context, with no controller's lock held: takes each
 * controller's ctrl->lock in turn (the log and its event), never two at
 * once.
 */
void nvmet_backend_resv_notify(struct nvmet_req *req, u8 type)
{
	struct nvmet_pr_event ev = {
		.ns = req->ns, .type = type, .hosts = nvmet_req_hostid(req),
		.stride = sizeof(uuid_t), .nr = 1,
	};

	might_sleep();
	if (WARN_ON_ONCE(!type || type > NVMET_RESV_NOTIFY_RESV_PREEMPTED))
		return;
	if (READ_ONCE(req->ns->resv_notify_mask) & BIT(type))
		return;
	nvmet_subsys_walk_ctrls(req->ns->subsys, nvmet_pr_ctrl_event, &ev);
}
EXPORT_SYMBOL_GPL(nvmet_backend_resv_notify);

static u32 nvmet_pr_cdw10(struct nvmet_req *req)
{
	return le32_to_cpu(req->cmd->common.cdw10);
}

static const uuid_t *nvmet_pr_hostid(struct nvmet_req *req)
{
	return &req->sq->ctrl->hostid;
}

/* Register, the action: @new is a copy of @old with room for one more. */
static u16 nvmet_pr_do_register(struct nvmet_req *req,
				const struct nvmet_pr_state *old,
				struct nvmet_pr_state *new, u64 crkey,
				u64 nrkey, bool *released)
{
	u32 cdw10 = nvmet_pr_cdw10(req);
	bool iekey = cdw10 & NVMET_PR_CDW10_IEKEY;
	bool found;
	u32 pos;

	found = nvmet_pr_find(old, nvmet_pr_hostid(req), &pos);
	switch (cdw10 & 7) {
	case NVMET_PR_REG_REGISTER:
		/* The same key again is no change; another is a conflict. */
		if (found)
			return old->regs[pos].rkey == nrkey ? 0 :
							      NVMET_PR_CONFLICT;
		if (old->nr_regs >= NVMET_PR_MAX_REGS)
			return NVMET_PR_NO_ROOM;
		nvmet_pr_insert(new, pos, nvmet_pr_hostid(req), nrkey);
		break;
	case NVMET_PR_REG_UNREGISTER:
		if (!found || (!iekey && old->regs[pos].rkey != crkey))
			return NVMET_PR_CONFLICT;
		*released = nvmet_pr_remove(new, pos);
		break;
	case NVMET_PR_REG_REPLACE:
		if (!found || (!iekey && old->regs[pos].rkey != crkey))
			return NVMET_PR_CONFLICT;
		new->regs[pos].rkey = nrkey;
		break;
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		return NVMET_PR_INVALID;
	}
	new->generation++;
	return 0;
}

static u16 nvmet_pr_register(struct nvmet_req *req)
{
	struct nvmet_ns *ns = req->ns;
	struct nvmet_pr *pr = ns->pr;
	u32 cptpl = nvmet_pr_cdw10(req) >> 30;
	struct nvmet_pr_state *old, *new;
	bool released = false;
	__le64 d[2];
	u8 old_rtype;
	u16 status;

	status = nvmet_copy_from_sgl(req, 0, d, sizeof(d));
	if (status)
		return status;
	if (cptpl == 1) {
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		return NVMET_PR_INVALID;
	}
	mutex_lock(&pr->lock);
	old = nvmet_pr_dereference(pr);
	old_rtype = old->rtype;
	new = nvmet_pr_copy(old, 1);
	status = NVME_SC_INTERNAL;
	if (!new)
		goto out_unlock;
	status = nvmet_pr_do_register(req, old, new, le64_to_cpu(d[0]),
				      le64_to_cpu(d[1]), &released);
	if (cptpl)
		new->ptpl = cptpl == NVMET_PR_CPTPL_SET;
	if (status || (new->generation == old->generation &&
		       new->ptpl == old->ptpl)) {
		nvmet_pr_state_discard(new);
		goto out_unlock;
	}
	status = nvmet_pr_commit(ns, new, false);
	/* A holder that left released a registrants-only reservation. */
	if (!status && released && old_rtype != NVME_PR_WRITE_EXCLUSIVE &&
	    old_rtype != NVME_PR_EXCLUSIVE_ACCESS)
		nvmet_pr_notify_regs(ns, NVMET_PR_LOG_RESV_RELEASED, new,
				     nvmet_pr_hostid(req));
out_unlock:
	mutex_unlock(&pr->lock);
	return status;
}

/*
 * Preempt (and abort): @new is a copy of @old, @pos the issuer, a
 * registrant; the preempted registrants' host identifiers go to @gone.
 * *@preempted says whether the reservation changed hands.
 */
static u16 nvmet_pr_do_preempt(const struct nvmet_pr_state *old,
			       struct nvmet_pr_state *new, u32 pos, u8 rtype,
			       u64 prkey, uuid_t *gone, u32 *nr_gone,
			       bool *preempted)
{
	const uuid_t *me = &old->regs[pos].hostid;
	bool take = false;

	if (old->rtype && nvmet_pr_all_regs(old->rtype) && !prkey) {
		/* Everyone else goes, and the issuer takes a new one. */
		*nr_gone = nvmet_pr_remove_keyed(new, 0, true, me, gone);
		take = true;
	} else if (old->rtype && !nvmet_pr_all_regs(old->rtype) &&
		   old->regs[old->holder].rkey == prkey) {
		*nr_gone = nvmet_pr_remove_keyed(new, prkey, false, me, gone);
		take = true;
	} else {
		/* Not the holder's key: its registrants go, nothing else. */
		if (old->rtype && !nvmet_pr_all_regs(old->rtype) && !prkey)
			return NVMET_PR_INVALID;
		*nr_gone = nvmet_pr_remove_keyed(new, prkey, false, me, gone);
		if (!*nr_gone)
			return NVMET_PR_CONFLICT;
	}
	if (take) {
		nvmet_pr_find(new, me, &pos);
		new->rtype = rtype;
		new->holder = nvmet_pr_all_regs(rtype) ? NVMET_PR_NO_HOLDER :
							 pos;
		*preempted = true;
	}
	new->generation++;
	return 0;
}

static u16 nvmet_pr_preempt(struct nvmet_req *req,
			    const struct nvmet_pr_state *old, u32 pos,
			    u8 rtype, u64 prkey, bool abort)
{
	struct nvmet_ns *ns = req->ns;
	struct nvmet_pr_state *new;
	bool preempted = false;
	u32 nr_gone = 0;
	uuid_t *gone;
	u16 status;

	gone = kvmalloc_array(max(old->nr_regs, 1U), sizeof(*gone),
			      GFP_KERNEL);
	new = nvmet_pr_copy(old, 0);
	status = NVME_SC_INTERNAL;
	if (!gone || !new)
		goto out_free;
	status = nvmet_pr_do_preempt(old, new, pos, rtype, prkey, gone,
				     &nr_gone, &preempted);
	if (status)
		goto out_free;
	status = nvmet_pr_commit(ns, new, abort);
	new = NULL;
	if (status)
		goto out_free;
	/* @gone is in the registrants' order, sorted by host identifier. */
	nvmet_pr_notify(ns, NVMET_PR_LOG_REG_PREEMPTED, gone, sizeof(*gone),
			nr_gone, NULL);
	if (preempted)
		nvmet_pr_notify_regs(ns, NVMET_PR_LOG_RESV_PREEMPTED,
				     nvmet_pr_dereference(ns->pr),
				     nvmet_pr_hostid(req));
out_free:
	if (new)
		nvmet_pr_state_discard(new);
	kvfree(gone);
	return status;
}

static u16 nvmet_pr_acquire(struct nvmet_req *req)
{
	u32 cdw10 = nvmet_pr_cdw10(req);
	u8 rtype = (cdw10 >> 8) & 0xff, act = cdw10 & 7;
	struct nvmet_pr *pr = req->ns->pr;
	struct nvmet_pr_state *old, *new;
	__le64 d[2];
	u16 status;
	u32 pos;

	status = nvmet_copy_from_sgl(req, 0, d, sizeof(d));
	if (status)
		return status;
	/* IEKEY is not for Acquire (NVMe 1.3 on). */
	if ((cdw10 & NVMET_PR_CDW10_IEKEY) || act > NVMET_PR_ACQ_PREEMPT_ABORT ||
	    rtype < NVME_PR_WRITE_EXCLUSIVE ||
	    rtype > NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS) {
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		return NVMET_PR_INVALID;
	}
	mutex_lock(&pr->lock);
	old = nvmet_pr_dereference(pr);
	status = NVMET_PR_CONFLICT;
	if (!nvmet_pr_find(old, nvmet_pr_hostid(req), &pos) ||
	    old->regs[pos].rkey != le64_to_cpu(d[0]))
		goto out_unlock;
	if (act != NVMET_PR_ACQ_ACQUIRE) {
		status = nvmet_pr_preempt(req, old, pos, rtype,
					  le64_to_cpu(d[1]),
					  act == NVMET_PR_ACQ_PREEMPT_ABORT);
		goto out_unlock;
	}
	if (old->rtype) {
		/* Acquiring what one holds already is no change. */
		if (nvmet_pr_holds(old, pos) && old->rtype == rtype)
			status = 0;
		goto out_unlock;
	}
	status = NVME_SC_INTERNAL;
	new = nvmet_pr_copy(old, 0);
	if (!new)
		goto out_unlock;
	new->rtype = rtype;
	new->holder = nvmet_pr_all_regs(rtype) ? NVMET_PR_NO_HOLDER : pos;
	status = nvmet_pr_commit(req->ns, new, false);
out_unlock:
	mutex_unlock(&pr->lock);
	return status;
}

/* Release, the action; @pos is the issuer, a registrant. */
static u16 nvmet_pr_do_release(struct nvmet_req *req,
			       const struct nvmet_pr_state *old, u32 pos,
			       u8 rtype)
{
	struct nvmet_ns *ns = req->ns;
	struct nvmet_pr_state *new;
	u16 status;

	/* Not a holder (or no reservation): success, no effect. */
	if (!nvmet_pr_holds(old, pos))
		return 0;
	if (rtype != old->rtype) {
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		return NVMET_PR_INVALID;
	}
	new = nvmet_pr_copy(old, 0);
	if (!new)
		return NVME_SC_INTERNAL;
	new->rtype = 0;
	new->holder = NVMET_PR_NO_HOLDER;
	status = nvmet_pr_commit(ns, new, false);
	if (!status && rtype != NVME_PR_WRITE_EXCLUSIVE &&
	    rtype != NVME_PR_EXCLUSIVE_ACCESS)
		nvmet_pr_notify_regs(ns, NVMET_PR_LOG_RESV_RELEASED, new,
				     nvmet_pr_hostid(req));
	return status;
}

/* Clear: no reservation, no registrants; the others are told. */
static u16 nvmet_pr_do_clear(struct nvmet_req *req,
			     struct nvmet_pr_state *old)
{
	struct nvmet_ns *ns = req->ns;
	struct nvmet_pr_state *new;
	u16 status;

	new = nvmet_pr_state_alloc(0);
	if (!new)
		return NVME_SC_INTERNAL;
	new->generation = old->generation + 1;
	new->ptpl = old->ptpl;
	/* Keep @old (its registrants are told) past its replacement. */
	percpu_ref_get(&old->io);
	status = nvmet_pr_commit(ns, new, false);
	if (!status)
		nvmet_pr_notify_regs(ns, NVMET_PR_LOG_RESV_PREEMPTED, old,
				     nvmet_pr_hostid(req));
	percpu_ref_put(&old->io);
	return status;
}

static u16 nvmet_pr_release(struct nvmet_req *req)
{
	u32 cdw10 = nvmet_pr_cdw10(req);
	u8 rtype = (cdw10 >> 8) & 0xff, act = cdw10 & 7;
	struct nvmet_pr *pr = req->ns->pr;
	struct nvmet_pr_state *old;
	__le64 crkey;
	u16 status;
	u32 pos;

	status = nvmet_copy_from_sgl(req, 0, &crkey, sizeof(crkey));
	if (status)
		return status;
	if ((cdw10 & NVMET_PR_CDW10_IEKEY) || act > NVMET_PR_REL_CLEAR) {
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		return NVMET_PR_INVALID;
	}
	mutex_lock(&pr->lock);
	old = nvmet_pr_dereference(pr);
	status = NVMET_PR_CONFLICT;
	if (!nvmet_pr_find(old, nvmet_pr_hostid(req), &pos) ||
	    old->regs[pos].rkey != le64_to_cpu(crkey))
		goto out_unlock;
	if (act == NVMET_PR_REL_RELEASE)
		status = nvmet_pr_do_release(req, old, pos, rtype);
	else
		status = nvmet_pr_do_clear(req, old);
out_unlock:
	mutex_unlock(&pr->lock);
	return status;
}

/* Fill a Reservation Status Extended Data Structure of @len bytes. */
static void nvmet_pr_fill_report(const struct nvmet_pr_state *s, void *buf,
				 size_t len)
{
	struct nvmet_pr_status *data = buf;
	struct nvmet_pr_status_reg *e;
	u32 i, n;

	data->gen = cpu_to_le32(s->generation);
	data->rtype = s->rtype;
	n = min_t(u32, s->nr_regs, U16_MAX);
	data->regctl[0] = n & 0xff;
	data->regctl[1] = n >> 8;
	data->ptpls = s->ptpl;
	for (i = 0; i < s->nr_regs; i++) {
		e = &data->regs[i];
		if ((void *)(e + 1) > buf + len)
			break;
		/* A host registers across its controllers: no one CNTLID. */
		e->cntlid = cpu_to_le16(NVME_CNTLID_DYNAMIC);
		e->rcsts = nvmet_pr_holds(s, i);
		e->rkey = cpu_to_le64(s->regs[i].rkey);
		memcpy(e->hostid, &s->regs[i].hostid, sizeof(e->hostid));
	}
}

static u16 nvmet_pr_report(struct nvmet_req *req)
{
	struct nvmet_pr *pr = req->ns->pr;
	struct nvmet_pr_state *s;
	size_t len;
	void *buf;
	u16 status;

	/*
	 * Host identifiers here are 128-bit (Connect's): the data structure
	 * without them cannot carry them.
	 */
	if (!(le32_to_cpu(req->cmd->common.cdw11) & NVMET_PR_REPORT_EDS)) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11);
		return NVME_SC_HOST_ID_INCONSIST | NVME_STATUS_DNR;
	}
	mutex_lock(&pr->lock);
	s = nvmet_pr_dereference(pr);
	len = min_t(size_t, req->data_len,
		    struct_size((struct nvmet_pr_status *)NULL, regs,
				s->nr_regs));
	buf = kvzalloc(len, GFP_KERNEL);
	if (buf)
		nvmet_pr_fill_report(s, buf, len);
	mutex_unlock(&pr->lock);
	if (!buf)
		return NVME_SC_INTERNAL;
	status = nvmet_copy_to_sgl(req, 0, buf, len);
	if (!status && len < req->data_len)
		status = nvmet_zero_sgl(req, len, req->data_len - len);
	kvfree(buf);
	return status;
}

static void nvmet_pr_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	u16 status;

	switch (req->cmd->common.opcode) {
	case nvme_cmd_resv_register:
		status = nvmet_pr_register(req);
		break;
	case nvme_cmd_resv_acquire:
		status = nvmet_pr_acquire(req);
		break;
	case nvme_cmd_resv_release:
		status = nvmet_pr_release(req);
		break;
	default:
		status = nvmet_pr_report(req);
		break;
	}
	nvmet_req_complete(req, status);
}

/* The storage keeps the namespace's reservations (struct nvmet_backend_ops). */
static void nvmet_pr_execute_backend(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	req->ns->backend->resv(req);
}

static void nvmet_pr_execute(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	INIT_WORK(&req->work, nvmet_pr_work);
	queue_work(nvmet_pr_wq, &req->work);
}

/**
 * nvmet_pr_parse_cmd() - pick the handler of a reservation command
 * @req: Reservation Register, Report, Acquire or Release, req->ns set
 *
 * Context: Any context.
 * Return: 0, or Invalid Command Opcode on a namespace without
 * reservations (resv_enable 0).
 */
u16 nvmet_pr_parse_cmd(struct nvmet_req *req)
{
	u64 numd = (u64)nvmet_pr_cdw10(req) + 1;
	bool backend = nvmet_ns_backend_resv_cap(req->ns);

	if (!req->ns->pr && !backend) {
		req->error_loc = offsetof(struct nvme_common_command, opcode);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
	switch (req->cmd->common.opcode) {
	case nvme_cmd_resv_register:
	case nvme_cmd_resv_acquire:
		req->data_len = 2 * sizeof(__le64);
		break;
	case nvme_cmd_resv_release:
		req->data_len = sizeof(__le64);
		break;
	default:
		/* NUMD, 0's based dwords; the MDTS check bounds it. */
		req->data_len = min_t(u64, numd * 4, U32_MAX);
		break;
	}
	req->execute = backend ? nvmet_pr_execute_backend : nvmet_pr_execute;
	return 0;
}

enum nvmet_pr_class { NVMET_PR_NONE, NVMET_PR_READ, NVMET_PR_WRITE };

/*
 * Which group of the command-behaviour table (Base 2.1, "Command Behavior
 * in the Presence of a Reservation") an I/O command is in.  Copy (19h),
 * Compare (05h) and Verify (0Ch) are here already for when io.c has them.
 */
static enum nvmet_pr_class nvmet_pr_class(u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_read:
	case nvme_cmd_compare:
	case nvme_cmd_verify:
	case nvme_cmd_zone_mgmt_recv:
		return NVMET_PR_READ;
	case nvme_cmd_write:
	case nvme_cmd_flush:
	case nvme_cmd_write_zeroes:
	case nvme_cmd_write_uncor:
	case nvme_cmd_dsm:
	case NVMET_CMD_COPY:
	case nvme_cmd_zone_append:
	case nvme_cmd_zone_mgmt_send:
		return NVMET_PR_WRITE;
	default:
		return NVMET_PR_NONE;
	}
}

/* Does @s refuse a command of @class from @hostid? */
static bool nvmet_pr_conflicts(const struct nvmet_pr_state *s,
			       const uuid_t *hostid, enum nvmet_pr_class class)
{
	bool reg;
	u32 pos;

	if (!s->rtype || class == NVMET_PR_NONE)
		return false;
	reg = nvmet_pr_find(s, hostid, &pos);
	if (reg && nvmet_pr_holds(s, pos))
		return false;
	switch (s->rtype) {
	case NVME_PR_WRITE_EXCLUSIVE:
		return class == NVMET_PR_WRITE;
	case NVME_PR_EXCLUSIVE_ACCESS:
		return true;
	case NVME_PR_WRITE_EXCLUSIVE_REG_ONLY:
	case NVME_PR_WRITE_EXCLUSIVE_ALL_REGS:
		return !reg && class == NVMET_PR_WRITE;
	default:
		return !reg;
	}
}

/**
 * nvmet_pr_check_io_slow() - nvmet_pr_check_io() on a namespace with
 *			      reservations
 * @req: a parsed I/O command
 *
 * On success the command holds the state it was checked against until
 * nvmet_pr_io_done() at its completion.
 *
 * Context: Any context.
 * Return: 0 or Reservation Conflict.
 */
u16 nvmet_pr_check_io_slow(struct nvmet_req *req)
{
	enum nvmet_pr_class class = nvmet_pr_class(req->cmd->common.opcode);
	struct nvmet_pr *pr = req->ns->pr;
	struct nvmet_pr_state *s;

	/*
	 * Reservation commands hold nothing: a preempt-and-abort must not
	 * wait for itself.
	 */
	if (class == NVMET_PR_NONE)
		return 0;
	rcu_read_lock();
	/* A state being replaced is dead: the new one is published. */
	do {
		s = rcu_dereference(pr->state);
	} while (!percpu_ref_tryget_live(&s->io));
	rcu_read_unlock();
	if (nvmet_pr_conflicts(s, nvmet_pr_hostid(req), class)) {
		percpu_ref_put(&s->io);
		req->error_loc = offsetof(struct nvme_common_command, nsid);
		return NVMET_PR_CONFLICT;
	}
	req->pr_state = s;
	return 0;
}

/**
 * nvmet_pr_check_read() - may @req's host read namespace @ns?
 * @req: a command whose namespace is another (a Copy's destination)
 * @ns: the namespace it reads from, held by the caller
 *
 * The read rules of the command-behaviour table, checked once: unlike
 * nvmet_pr_check_io() nothing is held until completion, so a preempt and
 * abort on @ns does not wait for the reads already allowed.
 *
 * Context: Any context.
 * Return: 0 or Reservation Conflict.
 */
u16 nvmet_pr_check_read(struct nvmet_req *req, struct nvmet_ns *ns)
{
	struct nvmet_pr *pr = ns->pr;
	bool conflict;

	if (likely(!pr))
		return 0;
	rcu_read_lock();
	conflict = nvmet_pr_conflicts(rcu_dereference(pr->state),
				      nvmet_pr_hostid(req), NVMET_PR_READ);
	rcu_read_unlock();
	return conflict ? NVMET_PR_CONFLICT : 0;
}

/**
 * nvmet_pr_io_done() - an I/O command checked by nvmet_pr_check_io()
 *			completed
 * @req: the command
 *
 * Context: Any context.
 */
void nvmet_pr_io_done(struct nvmet_req *req)
{
	percpu_ref_put(&req->pr_state->io);
	req->pr_state = NULL;
}

/**
 * nvmet_pr_execute_log() - Get Log Page, Reservation Notification (80h)
 * @req: the command
 *
 * Returns the oldest entry and removes it (an empty page, count 0, when
 * there is none); unless RAE is set, the next entry may raise its event.
 *
 * Context: Process context; takes ctrl->lock.
 */
void nvmet_pr_execute_log(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_pr_ctrl_log *log = &ctrl->pr_log;
	bool rae = req->cmd->get_log_page.lsp & 0x80;
	struct nvmet_pr_log page = { };
	struct nvmet_pr_log_entry *e;

	mutex_lock(&ctrl->lock);
	if (log->nr) {
		e = &log->entries[log->first];
		log->first = (log->first + 1) % NVMET_PR_LOG_SLOTS;
		log->nr--;
		page.count = cpu_to_le64(e->count);
		page.type = e->type;
		page.nr_pages = min_t(unsigned int, log->nr, 255);
		page.nsid = cpu_to_le32(e->nsid);
	}
	if (!rae) {
		clear_bit(NVMET_AEN_BIT_RESV_LOG, &ctrl->aen_masked);
		nvmet_pr_raise_aen(ctrl);
	}
	mutex_unlock(&ctrl->lock);
	nvmet_req_complete(req, nvmet_copy_log(req, &page, sizeof(page)));
}

/*
 * The Reservation Notification Mask of @ns: pr.c's, or, where the
 * backend's storage keeps the reservations, the namespace's own; NULL
 * where it has no reservations.
 */
static u32 *nvmet_pr_mask(struct nvmet_ns *ns)
{
	if (ns->pr)
		return &ns->pr->notify_mask;
	return nvmet_ns_backend_resv_cap(ns) ? &ns->resv_notify_mask : NULL;
}

/*
 * The namespace of a namespace-scope feature, with reservations on: the
 * core's, or, for the mask (@mask), the backend's too.
 */
static struct nvmet_ns *nvmet_pr_feat_ns(struct nvmet_req *req, bool mask,
					 u16 *status)
{
	u32 nsid = le32_to_cpu(req->cmd->common.nsid);
	struct nvmet_ns *ns;

	ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, nsid);
	if (ns && !(mask ? !!nvmet_pr_mask(ns) : !!ns->pr)) {
		nvmet_ns_io_put(ns);
		ns = NULL;
	}
	if (!ns) {
		req->error_loc = offsetof(struct nvme_common_command, nsid);
		*status = NVMET_PR_INVALID;
	}
	return ns;
}

/* Set Features, Reservation Notification Mask; NSID FFFFFFFFh: all. */
static u16 nvmet_pr_set_notify_mask(struct nvmet_req *req)
{
	u32 mask = le32_to_cpu(req->cmd->common.cdw11);
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	unsigned long idx = 0;
	struct nvmet_ns *ns;
	u16 status = 0;
	u32 *m;

	if (mask & ~NVMET_PR_NOTIFY_MASK_ALL) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11);
		return NVMET_PR_INVALID;
	}
	if (le32_to_cpu(req->cmd->common.nsid) != NVME_NSID_ALL) {
		ns = nvmet_pr_feat_ns(req, true, &status);
		if (!ns)
			return status;
		WRITE_ONCE(*nvmet_pr_mask(ns), mask);
		nvmet_ns_io_put(ns);
		goto out;
	}
	for (;;) {
		rcu_read_lock();
		ns = xa_find(&ctrl->subsys->namespaces, &idx, ULONG_MAX,
			     XA_PRESENT);
		rcu_read_unlock();
		if (!ns)
			break;
		ns = nvmet_ctrl_ns_io_get(ctrl, idx++);
		if (!ns)
			continue;
		m = nvmet_pr_mask(ns);
		if (m)
			WRITE_ONCE(*m, mask);
		nvmet_ns_io_put(ns);
	}
out:
	req->cqe->result.u32 = cpu_to_le32(mask);
	return 0;
}

/* Set Features, Reservation Persistence: PTPL through the store. */
static void nvmet_pr_set_persist_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	bool ptpl = le32_to_cpu(req->cmd->common.cdw11) & 1;
	struct nvmet_ns *ns = req->ns;
	struct nvmet_pr *pr = ns->pr;
	struct nvmet_pr_state *old, *new;
	u16 status = 0;

	mutex_lock(&pr->lock);
	old = nvmet_pr_dereference(pr);
	if (old->ptpl != ptpl) {
		new = nvmet_pr_copy(old, 0);
		status = NVME_SC_INTERNAL;
		if (new) {
			new->ptpl = ptpl;
			status = nvmet_pr_commit(ns, new, false);
		}
	}
	mutex_unlock(&pr->lock);
	req->ns = NULL;
	nvmet_req_complete(req, status);
	nvmet_ns_io_put(ns);
}

/**
 * nvmet_pr_execute_set_features() - Set Features 82h or 83h
 * @req: the command, its FID one of them
 *
 * Context: Process context; Reservation Persistence goes on to the
 * reservation work queue (a save may sleep for long).
 */
void nvmet_pr_execute_set_features(struct nvmet_req *req)
{
	u8 fid = le32_to_cpu(req->cmd->common.cdw10) & 0xff;
	u16 status = 0;

	if (fid == NVME_FEAT_RESV_MASK) {
		nvmet_req_complete(req, nvmet_pr_set_notify_mask(req));
		return;
	}
	req->ns = nvmet_pr_feat_ns(req, false, &status);
	if (!req->ns) {
		nvmet_req_complete(req, status);
		return;
	}
	INIT_WORK(&req->work, nvmet_pr_set_persist_work);
	queue_work(nvmet_pr_wq, &req->work);
}

/**
 * nvmet_pr_get_features() - Get Features 82h or 83h
 * @req: the command, its FID one of them
 *
 * Context: Any context.
 * Return: 0 with the result set, or an NVMe status.
 */
u16 nvmet_pr_get_features(struct nvmet_req *req)
{
	u8 fid = le32_to_cpu(req->cmd->common.cdw10) & 0xff;
	struct nvmet_ns *ns;
	u16 status = 0;
	u32 val;

	ns = nvmet_pr_feat_ns(req, fid == NVME_FEAT_RESV_MASK, &status);
	if (!ns)
		return status;
	if (fid == NVME_FEAT_RESV_MASK) {
		val = READ_ONCE(*nvmet_pr_mask(ns));
	} else {
		rcu_read_lock();
		val = rcu_dereference(ns->pr->state)->ptpl;
		rcu_read_unlock();
	}
	nvmet_ns_io_put(ns);
	req->cqe->result.u32 = cpu_to_le32(val);
	return 0;
}

/**
 * nvmet_pr_rescap() - Identify Namespace RESCAP
 * @ns: the namespace
 *
 * Return: the capabilities, 0 without reservations.
 */
u8 nvmet_pr_rescap(struct nvmet_ns *ns)
{
	return ns->pr ? NVMET_PR_RESCAP : nvmet_ns_backend_resv_cap(ns);
}

/**
 * nvmet_req_hostid() - the Host Identifier of a command's host
 * @req: a command on a connected queue
 *
 * For a backend that tells hosts apart to its storage (struct
 * nvmet_backend_ops, @resv).
 *
 * Context: Any context.
 * Return: the identifier Connect gave, valid while the command runs.
 */
const uuid_t *nvmet_req_hostid(const struct nvmet_req *req)
{
	return &req->sq->ctrl->hostid;
}
EXPORT_SYMBOL_GPL(nvmet_req_hostid);

/* A type we know; a holder exactly where the type has one. */
static bool nvmet_pr_state_valid(const struct nvmet_pr_state *s)
{
	bool one_holder = s->rtype && !nvmet_pr_all_regs(s->rtype);

	if (s->rtype > NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS)
		return false;
	if (one_holder)
		return s->holder < s->nr_regs;
	return s->holder == NVMET_PR_NO_HOLDER;
}

/* The state restored from the store, or an empty one. */
static struct nvmet_pr_state *nvmet_pr_restore(struct nvmet_ns *ns,
					       const struct nvmet_pr_image *img)
{
	struct nvmet_pr_state *s;
	u32 i;

	s = nvmet_pr_state_alloc(img ? img->nr_regs : 0);
	if (!s || !img)
		return s;
	s->generation = img->generation;
	s->rtype = img->rtype;
	s->ptpl = img->ptpl;
	s->holder = img->holder;
	for (i = 0; i < img->nr_regs; i++) {
		memcpy(&s->regs[i].hostid, img->regs[i].hostid, 16);
		s->regs[i].rkey = img->regs[i].rkey;
		/* Sorted and unique, or the image is not ours. */
		if (i && memcmp(&s->regs[i - 1].hostid, &s->regs[i].hostid,
				sizeof(uuid_t)) >= 0)
			goto out_bad;
	}
	s->nr_regs = img->nr_regs;
	if (!nvmet_pr_state_valid(s))
		goto out_bad;
	return s;

out_bad:
	pr_err("nvmet: subsystem %s namespace %u: restored reservation state is inconsistent\n",
	       ns->subsys->nqn, ns->nsid);
	nvmet_pr_state_discard(s);
	return ERR_PTR(-EBADMSG);
}

/**
 * nvmet_pr_ns_open() - give a namespace being enabled its reservations
 * @ns: the namespace, resv_enable set
 *
 * Opens the store and restores what it holds.
 *
 * Context: Process context; ns->lock held, the namespace not published.
 * Return: 0, -ENOMEM, or the store's error (the enable fails).
 */
int nvmet_pr_ns_open(struct nvmet_ns *ns)
{
	struct nvmet_pr_image *img = NULL;
	struct nvmet_pr_state *s;
	struct nvmet_pr *pr;
	int ret;

	lockdep_assert_held(&ns->lock);
	pr = kzalloc(sizeof(*pr), GFP_KERNEL);
	if (!pr)
		return -ENOMEM;
	mutex_init(&pr->lock);
	ret = nvmet_pr_store_open(ns, &pr->store, &img);
	if (ret) {
		pr_err("nvmet: subsystem %s namespace %u: cannot open the reservation state: %d\n",
		       ns->subsys->nqn, ns->nsid, ret);
		goto out_free;
	}
	s = nvmet_pr_restore(ns, img);
	nvmet_pr_image_free(img);
	ret = s ? PTR_ERR_OR_ZERO(s) : -ENOMEM;
	if (ret)
		goto out_close;
	RCU_INIT_POINTER(pr->state, s);
	ns->pr = pr;
	return 0;

out_close:
	nvmet_pr_store_close(pr->store);
out_free:
	mutex_destroy(&pr->lock);
	kfree(pr);
	return ret;
}

/**
 * nvmet_pr_ns_close() - a namespace with reservations was disabled
 * @ns: the namespace, unpublished, its I/O drained
 *
 * The store keeps its state; the memory goes.
 *
 * Context: Process context; ns->lock held.
 */
void nvmet_pr_ns_close(struct nvmet_ns *ns)
{
	struct nvmet_pr *pr = ns->pr;

	lockdep_assert_held(&ns->lock);
	if (!pr)
		return;
	ns->pr = NULL;
	nvmet_pr_store_close(pr->store);
	/* Nothing holds it now: it is released through RCU. */
	percpu_ref_kill(&rcu_dereference_protected(pr->state, true)->io);
	mutex_destroy(&pr->lock);
	kfree(pr);
}

/**
 * nvmet_pr_init() - module init: the reservation work queue
 *
 * Return: 0 or -ENOMEM.
 */
int nvmet_pr_init(void)
{
	/* Reservation commands and PTPL saves, which may sleep. */
	nvmet_pr_wq = alloc_workqueue("nvmet-pr-wq", WQ_MEM_RECLAIM |
				      WQ_UNBOUND, 0);
	return nvmet_pr_wq ? 0 : -ENOMEM;
}

/** nvmet_pr_exit() - module exit; waits for states freed through RCU */
void nvmet_pr_exit(void)
{
	destroy_workqueue(nvmet_pr_wq);
	rcu_barrier();
}
