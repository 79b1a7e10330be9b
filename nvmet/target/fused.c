// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fused Compare and Write (NVM Command Set, "Fused Operations"): a
 * Compare with FUSE 01b and, next on the same queue, a Write with FUSE 10b
 * of the same blocks; the Write runs only if the Compare matches, and no
 * other write to those blocks comes between them (range.c).
 *
 * NVMe/TCP and NVMe/RDMA hand a queue's commands to nvmet_req_init() one
 * at a time, in the order they came in, so the pairing happens there,
 * with no fabric's help (FC and loop take each command in from a work item
 * of its own, in any order: there a pair may end as two missing halves,
 * never as a wrong write).  A first is held on its queue
 * (sq->fused_first) until the next command is taken in.  That is its
 * second if it is a Write of the same blocks with FUSE 10b; anything else
 * aborts the first with Missing Fused Command (a second of other blocks:
 * both with Invalid Field).  A first whose second
 * does not come within NVMET_FUSED_TIMEOUT is aborted the same way.  The
 * two commands then wait until the fabric has executed both (their data
 * may come in either order), and the first runs the pair: it locks the
 * range, compares, and on a match the second's Write goes to the backend;
 * the Compare completes after the Write, then the Write.  On a mismatch
 * the Compare completes with Compare Failure and the Write with Command
 * Aborted due to Failed Fused Command, and nothing is written.  A backend
 * with a compare_write() of its own (a LIO backstore's COMPARE AND
 * WRITE) gets the pair instead of the compare, the range still locked,
 * and ends it with nvmet_backend_fused_done(): the same completions.
 *
 * Conventions:
 * @req: a command of a fused pair, or the command after a held first
 * @first: the Compare of a pair
 * @second: the Write of a pair
 * @sq: the queue they came on
 */
#include <linux/workqueue.h>

#include <nvmet/fabric.h>
#include "ctrl.h"

/* req->fused */
#define NVMET_FUSED_FIRST	BIT(0)	/* the Compare of a pair */
#define NVMET_FUSED_SECOND	BIT(1)	/* the Write of a pair */
#define NVMET_FUSED_EXECUTED	BIT(2)	/* the fabric executed it */
#define NVMET_FUSED_ABORTED	BIT(3)	/* completes with fused_status */

#define NVMET_FUSE_MASK		(NVME_CMD_FUSE_FIRST | NVME_CMD_FUSE_SECOND)
#define NVMET_FUSED_TIMEOUT	HZ

#define NVMET_FUSED_MISSING	(NVME_SC_FUSED_MISSING | NVME_STATUS_DNR)
#define NVMET_FUSED_FAILED	(NVME_SC_FUSED_FAIL | NVME_STATUS_DNR)
#define NVMET_SGL_INVALID	(NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR)

/*
 * Abort @req, a command of a pair that will not run: at once if the
 * fabric executed it, else when it does.
 */
static void nvmet_fused_abort(struct nvmet_req *req, u16 status)
{
	struct nvmet_sq *sq = req->sq;
	unsigned long flags;
	bool now;

	spin_lock_irqsave(&sq->fused_lock, flags);
	req->fused |= NVMET_FUSED_ABORTED;
	req->fused_status = status;
	now = req->fused & NVMET_FUSED_EXECUTED;
	spin_unlock_irqrestore(&sq->fused_lock, flags);
	if (now)
		nvmet_req_complete(req, status);
}

/* Take the held first off @sq; *@failed: the last first failed. */
static struct nvmet_req *nvmet_fused_take(struct nvmet_sq *sq, bool *failed)
{
	struct nvmet_req *first;
	unsigned long flags;

	spin_lock_irqsave(&sq->fused_lock, flags);
	first = sq->fused_first;
	if (failed)
		*failed = sq->fused_failed;
	sq->fused_first = NULL;
	sq->fused_failed = false;
	WRITE_ONCE(sq->fused_pending, false);
	spin_unlock_irqrestore(&sq->fused_lock, flags);
	return first;
}

static void nvmet_fused_timeout_work(struct work_struct *work)
{
	struct nvmet_sq *sq = container_of(to_delayed_work(work),
					   struct nvmet_sq, fused_timeout);
	struct nvmet_req *first = nvmet_fused_take(sq, NULL);

	if (first)
		nvmet_fused_abort(first, NVMET_FUSED_MISSING);
}

/* Is @second the Write of @first's blocks? */
static bool nvmet_fused_match(struct nvmet_req *first,
			      struct nvmet_req *second)
{
	struct nvme_rw_command *c = &first->cmd->rw, *w = &second->cmd->rw;

	return w->opcode == nvme_cmd_write && w->nsid == c->nsid &&
	       w->slba == c->slba && w->length == c->length;
}

static u16 nvmet_fused_pair(struct nvmet_req *second,
			    struct nvmet_req *first, bool failed)
{
	second->fused = NVMET_FUSED_SECOND;
	second->error_loc = offsetof(struct nvme_common_command, flags);
	if (!first)
		return failed ? NVMET_FUSED_FAILED : NVMET_FUSED_MISSING;
	if (!nvmet_fused_match(first, second)) {
		nvmet_fused_abort(first, NVME_SC_INVALID_FIELD |
				  NVME_STATUS_DNR);
		second->error_loc = offsetof(struct nvme_rw_command, slba);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	second->error_loc = NVMET_NO_ERROR_LOC;
	second->fused_peer = first;
	return 0;
}

/**
 * nvmet_fused_init() - the FUSE field of a command, and the held first
 * @req: a command whose FUSE field is set, or that comes after a held
 *	 first or a failed one, before it is parsed
 *
 * Context: Process context, from nvmet_req_init().
 * Return: 0, or the status @req fails with.
 */
u16 nvmet_fused_init(struct nvmet_req *req)
{
	u8 fuse = req->cmd->common.flags & NVMET_FUSE_MASK;
	struct nvmet_sq *sq = req->sq;
	struct nvmet_req *first;
	bool failed;

	first = nvmet_fused_take(sq, &failed);
	if (first)
		cancel_delayed_work(&sq->fused_timeout);
	if (fuse == NVME_CMD_FUSE_SECOND)
		return nvmet_fused_pair(req, first, failed);
	if (first)
		nvmet_fused_abort(first, NVMET_FUSED_MISSING);
	if (!fuse)
		return 0;
	/* From here on a failure fails the second that follows. */
	if (fuse == NVME_CMD_FUSE_FIRST)
		req->fused = NVMET_FUSED_FIRST;
	if (fuse != NVME_CMD_FUSE_FIRST || !sq->qid || !READ_ONCE(sq->ctrl) ||
	    req->cmd->common.opcode != nvme_cmd_compare) {
		req->error_loc = offsetof(struct nvme_common_command, flags);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return 0;
}

/* Let go of the range, then complete the Compare, then the Write. */
static void nvmet_fused_end(struct nvmet_req *first, u16 status, u16 wstatus)
{
	struct nvmet_req *second = first->fused_peer;

	nvmet_range_unlock(first);
	nvmet_req_complete(first, status);
	nvmet_req_complete(second, wstatus);
}

/**
 * nvmet_backend_fused_done() - a backend's compare_write() ends its pair
 * @first: the pair's Compare
 * @status: the Compare's status: 0 if the blocks matched, Compare Failure
 *	    if they did not, another status if the compare could not run;
 *	    not 0: nothing was written, and the Write fails with Command
 *	    Aborted due to Failed Fused Command
 * @wstatus: the Write's status while @status is 0
 *
 * Context: Any context.
 */
void nvmet_backend_fused_done(struct nvmet_req *first, u16 status,
			      u16 wstatus)
{
	nvmet_fused_end(first, status, status ? NVMET_FUSED_FAILED : wstatus);
}
EXPORT_SYMBOL_GPL(nvmet_backend_fused_done);

static void nvmet_fused_written(struct nvmet_req *second, u16 status)
{
	nvmet_fused_end(second->fused_peer, NVME_SC_SUCCESS, status);
}

/* The Compare ended: write, or fail the Write. */
static void nvmet_fused_compared(struct nvmet_req *first, u16 status)
{
	struct nvmet_req *second = first->fused_peer;
	u16 wstatus = NVMET_FUSED_FAILED;

	if (!status && second->transfer_len == second->data_len) {
		second->end_io = nvmet_fused_written;
		second->ns->backend->rw(second);
		return;
	}
	if (!status) {
		second->error_loc = offsetof(struct nvme_common_command, dptr);
		wstatus = NVMET_SGL_INVALID;
	}
	nvmet_fused_end(first, status, wstatus);
}

/*
 * Holding the range: the backend's own compare_write() (which cannot
 * compare without writing: a short transfer of either command fails it,
 * the other command then with Failed Fused Command), or compare here.
 */
static void nvmet_fused_compare(struct nvmet_req *first)
{
	const struct nvmet_backend_ops *ops = first->ns->backend;
	struct nvmet_req *second = first->fused_peer;
	u16 status;

	if (ops->compare_write) {
		if (first->transfer_len != first->data_len) {
			first->error_loc = offsetof(struct nvme_common_command,
						    dptr);
			nvmet_backend_fused_done(first, NVMET_SGL_INVALID, 0);
		} else if (second->transfer_len != second->data_len) {
			second->error_loc = offsetof(struct nvme_common_command,
						     dptr);
			nvmet_fused_end(first, NVMET_FUSED_FAILED,
					NVMET_SGL_INVALID);
		} else {
			ops->compare_write(first, second);
		}
		return;
	}
	status = nvmet_cmpver_start(first, nvmet_fused_compared);
	if (status)
		nvmet_fused_compared(first, status);
}

static void nvmet_fused_start(struct nvmet_req *first)
{
	u64 slba = le64_to_cpu(first->cmd->rw.slba);
	u64 nlb = (u64)le16_to_cpu(first->cmd->rw.length) + 1;

	if (nvmet_range_lock(first, slba, slba + nlb, nvmet_fused_compare))
		nvmet_fused_compare(first);
}

/* execute() of both commands: the second of the two to get here runs. */
static void nvmet_fused_execute(struct nvmet_req *req)
{
	struct nvmet_sq *sq = req->sq;
	struct nvmet_req *peer;
	unsigned long flags;
	bool aborted, run;
	u16 status;

	spin_lock_irqsave(&sq->fused_lock, flags);
	req->fused |= NVMET_FUSED_EXECUTED;
	aborted = req->fused & NVMET_FUSED_ABORTED;
	status = req->fused_status;
	peer = req->fused_peer;
	run = !aborted && peer && (peer->fused & NVMET_FUSED_EXECUTED);
	spin_unlock_irqrestore(&sq->fused_lock, flags);
	if (aborted)
		nvmet_req_complete(req, status);
	else if (run)
		nvmet_fused_start(req->fused & NVMET_FUSED_FIRST ? req : peer);
}

/**
 * nvmet_fused_accepted() - nvmet_req_init() took a command of a pair in
 * @req: the command, parsed, with req->fused set
 *
 * A first is held on its queue; a second joins its first.
 *
 * Context: Process context, from nvmet_req_init().
 */
void nvmet_fused_accepted(struct nvmet_req *req)
{
	struct nvmet_sq *sq = req->sq;
	unsigned long flags;

	req->execute = nvmet_fused_execute;
	spin_lock_irqsave(&sq->fused_lock, flags);
	if (req->fused & NVMET_FUSED_FIRST) {
		sq->fused_first = req;
		WRITE_ONCE(sq->fused_pending, true);
	} else {
		req->fused_peer->fused_peer = req;
	}
	spin_unlock_irqrestore(&sq->fused_lock, flags);
	if (req->fused & NVMET_FUSED_FIRST)
		mod_delayed_work(system_wq, &sq->fused_timeout,
				 NVMET_FUSED_TIMEOUT);
}

/**
 * nvmet_fused_refused() - nvmet_req_init() refused a command of a pair
 * @req: the command, with req->fused set
 *
 * A refused first fails the second that follows it (Failed Fused
 * Command); a refused second leaves its first without a partner.
 *
 * Context: Process context, from nvmet_req_init().
 */
void nvmet_fused_refused(struct nvmet_req *req)
{
	struct nvmet_sq *sq = req->sq;
	unsigned long flags;

	if (req->fused & NVMET_FUSED_FIRST) {
		spin_lock_irqsave(&sq->fused_lock, flags);
		sq->fused_failed = true;
		WRITE_ONCE(sq->fused_pending, true);
		spin_unlock_irqrestore(&sq->fused_lock, flags);
	} else if (req->fused_peer) {
		nvmet_fused_abort(req->fused_peer, NVMET_FUSED_MISSING);
	}
	req->fused = 0;
	req->fused_peer = NULL;
}

/**
 * nvmet_fused_uninit() - a command of a pair goes away unexecuted
 * @req: the command, from nvmet_req_uninit()
 *
 * Context: Any context.
 */
void nvmet_fused_uninit(struct nvmet_req *req)
{
	struct nvmet_sq *sq = req->sq;
	struct nvmet_req *peer;
	unsigned long flags;

	spin_lock_irqsave(&sq->fused_lock, flags);
	if (sq->fused_first == req) {
		sq->fused_first = NULL;
		WRITE_ONCE(sq->fused_pending, sq->fused_failed);
	}
	peer = req->fused_peer;
	req->fused = 0;
	req->fused_peer = NULL;
	spin_unlock_irqrestore(&sq->fused_lock, flags);
	if (peer)
		nvmet_fused_abort(peer, NVMET_FUSED_MISSING);
}

/**
 * nvmet_fused_sq_init() - a queue starts with no fused state
 * @sq: the queue, zeroed
 *
 * Context: Any context.
 */
void nvmet_fused_sq_init(struct nvmet_sq *sq)
{
	spin_lock_init(&sq->fused_lock);
	INIT_DELAYED_WORK(&sq->fused_timeout, nvmet_fused_timeout_work);
}

/**
 * nvmet_fused_sq_destroy() - abort the first a dying queue holds
 * @sq: the queue, which takes no more commands in
 *
 * Context: Process context; waits for the queue's fused time-out work.
 */
void nvmet_fused_sq_destroy(struct nvmet_sq *sq)
{
	struct nvmet_req *first;

	cancel_delayed_work_sync(&sq->fused_timeout);
	first = nvmet_fused_take(sq, NULL);
	if (first)
		nvmet_fused_abort(first, NVMET_FUSED_MISSING);
}
