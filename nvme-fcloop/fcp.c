// SPDX-License-Identifier: GPL-2.0-only
/*
 * FCP exchanges: the host's command goes to the target at once; the
 * target's data ops copy between the two sides' scatterlists and its RSP
 * op copies the response IU and completes the host's request.
 *
 * Either side may abort: the host's request is then completed with an
 * error from done_work, and the target is told with
 * nvmet_fc_rcv_fcp_abort() or, if it aborted, simply sees its ops fail.
 * The exchange is freed when both sides let go of it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "fcloop.h"

static void fcloop_exch_release(struct kref *ref)
{
	kfree(container_of(ref, struct fcloop_exch, ref));
}

static void fcloop_exch_put(struct fcloop_exch *exch)
{
	kref_put(&exch->ref, fcloop_exch_release);
}

/*
 * Take the host's request off @exch.  Return it, or NULL if it was taken
 * already; the caller completes it and drops the host side's reference.
 */
static struct nvmefc_fcp_req *fcloop_host_detach(struct fcloop_exch *exch)
	__must_hold(&exch->lock)
{
	struct nvmefc_fcp_req *req = exch->host_req;

	lockdep_assert_held(&exch->lock);
	exch->host_req = NULL;
	return req;
}

/*
 * Complete the host's request detached from @exch and drop the host
 * side's reference.  ini->exch is cleared under nport->lock first, so
 * fcloop_host_fcp_abort() never finds a freed exchange.
 */
static void fcloop_host_complete(struct fcloop_exch *exch,
				 struct nvmefc_fcp_req *req, int status)
{
	struct fcloop_ini_req *ini = req->private;
	unsigned long flags;

	spin_lock_irqsave(&exch->nport->lock, flags);
	ini->exch = NULL;
	spin_unlock_irqrestore(&exch->nport->lock, flags);
	req->status = status;
	req->done(req);
	fcloop_exch_put(exch);
}

static void fcloop_host_done_work(struct work_struct *work)
{
	struct fcloop_exch *exch =
		container_of(work, struct fcloop_exch, done_work);
	struct nvmefc_fcp_req *req;
	unsigned long flags;

	spin_lock_irqsave(&exch->lock, flags);
	req = fcloop_host_detach(exch);
	spin_unlock_irqrestore(&exch->lock, flags);
	if (req)
		fcloop_host_complete(exch, req, exch->host_status);
}

/* Fail the host's request, if it is still there, from a work item. */
static void fcloop_host_fail(struct fcloop_exch *exch, int status)
	__must_hold(&exch->lock)
{
	lockdep_assert_held(&exch->lock);
	if (!exch->host_req || exch->host_status)
		return;
	exch->host_status = status;
	queue_work(fcloop_wq, &exch->done_work);
}

/*
 * Copy @len bytes from @src at byte @src_off to @dst at byte @dst_off.
 * Any context.  Return the bytes copied.
 */
static u32 fcloop_sg_copy(struct scatterlist *dst, int dst_nents, u32 dst_off,
			  struct scatterlist *src, int src_nents, u32 src_off,
			  u32 len)
{
	struct sg_mapping_iter d, s;
	u32 done = 0;

	sg_miter_start(&d, dst, dst_nents, SG_MITER_ATOMIC | SG_MITER_TO_SG);
	sg_miter_start(&s, src, src_nents, SG_MITER_ATOMIC | SG_MITER_FROM_SG);
	if (!sg_miter_skip(&d, dst_off) || !sg_miter_skip(&s, src_off))
		goto out;
	while (done < len && sg_miter_next(&d)) {
		size_t doff = 0;

		while (doff < d.length && done < len) {
			size_t n;

			if (!s.consumed || s.consumed == s.length) {
				if (!sg_miter_next(&s))
					goto out;
				s.consumed = 0;
			}
			n = min3(d.length - doff, s.length - s.consumed,
				 (size_t)(len - done));
			memcpy(d.addr + doff, s.addr + s.consumed, n);
			doff += n;
			s.consumed += n;
			done += n;
		}
		d.consumed = doff;
	}
out:
	sg_miter_stop(&s);
	sg_miter_stop(&d);
	return done;
}

/* The data move of a target op; called with exch->lock held. */
static int fcloop_move_data(struct nvmefc_tgt_fcp_req *tgt_req,
			    struct nvmefc_fcp_req *req)
{
	u32 n;

	if (tgt_req->op == NVMET_FCOP_WRITEDATA)
		n = fcloop_sg_copy(tgt_req->sg, tgt_req->sg_cnt, 0,
				   req->sg_table.sgl, req->sg_cnt,
				   tgt_req->offset, tgt_req->transfer_length);
	else
		n = fcloop_sg_copy(req->sg_table.sgl, req->sg_cnt,
				   tgt_req->offset, tgt_req->sg,
				   tgt_req->sg_cnt, 0,
				   tgt_req->transfer_length);
	req->transferred_length += n;
	tgt_req->transferred_length = n;
	return n == tgt_req->transfer_length ? 0 : -EIO;
}

/**
 * fcloop_tgt_fcp_op() - nvmet-fc moves data or sends the response
 * @tport: the target port
 * @tgt_req: the exchange, with the op set
 *
 * The op completes before this returns; its done() is called here.
 *
 * Context: Any context.
 * Return: 0.
 */
int fcloop_tgt_fcp_op(struct nvmet_fc_target_port *tport,
		      struct nvmefc_tgt_fcp_req *tgt_req)
{
	struct fcloop_exch *exch =
		container_of(tgt_req, struct fcloop_exch, tgt_req);
	struct nvmefc_fcp_req *req = NULL;
	unsigned long flags;
	int err = -ECANCELED;
	u8 op = tgt_req->op;

	tgt_req->transferred_length = 0;
	spin_lock_irqsave(&exch->lock, flags);
	if (exch->host_req && !exch->host_status) {
		err = 0;
		if (op != NVMET_FCOP_RSP)
			err = fcloop_move_data(tgt_req, exch->host_req);
		if (!err && (op == NVMET_FCOP_RSP ||
			     op == NVMET_FCOP_READDATA_RSP)) {
			memcpy(exch->host_req->rspaddr, tgt_req->rspaddr,
			       min(tgt_req->rsplen, exch->host_req->rsplen));
			exch->host_req->rcv_rsplen = tgt_req->rsplen;
			req = fcloop_host_detach(exch);
		}
	}
	spin_unlock_irqrestore(&exch->lock, flags);

	if (req)
		fcloop_host_complete(exch, req, 0);
	tgt_req->fcp_error = err;
	tgt_req->done(tgt_req);
	return 0;
}

/**
 * fcloop_tgt_fcp_abort() - nvmet-fc aborts an exchange
 * @tport: the target port
 * @tgt_req: the exchange
 *
 * The host's request fails; the target releases the exchange later.
 *
 * Context: Any context.
 */
void fcloop_tgt_fcp_abort(struct nvmet_fc_target_port *tport,
			  struct nvmefc_tgt_fcp_req *tgt_req)
{
	struct fcloop_exch *exch =
		container_of(tgt_req, struct fcloop_exch, tgt_req);
	unsigned long flags;

	spin_lock_irqsave(&exch->lock, flags);
	fcloop_host_fail(exch, -ECANCELED);
	spin_unlock_irqrestore(&exch->lock, flags);
}

/**
 * fcloop_tgt_fcp_req_release() - nvmet-fc is done with an exchange
 * @tport: the target port
 * @tgt_req: the exchange
 *
 * Context: Any context.
 */
void fcloop_tgt_fcp_req_release(struct nvmet_fc_target_port *tport,
				struct nvmefc_tgt_fcp_req *tgt_req)
{
	struct fcloop_exch *exch =
		container_of(tgt_req, struct fcloop_exch, tgt_req);
	unsigned long flags;

	spin_lock_irqsave(&exch->lock, flags);
	exch->tgt_active = false;
	/* Released without a response: the host must not wait for one. */
	fcloop_host_fail(exch, -ECANCELED);
	spin_unlock_irqrestore(&exch->lock, flags);
	fcloop_exch_put(exch);
}

static struct fcloop_exch *fcloop_exch_alloc(struct fcloop_nport *nport,
					     struct nvmefc_fcp_req *req)
{
	struct fcloop_exch *exch;

	exch = kzalloc(sizeof(*exch), GFP_ATOMIC);
	if (!exch)
		return NULL;
	kref_init(&exch->ref);		/* the host side */
	spin_lock_init(&exch->lock);
	exch->host_req = req;
	exch->nport = nport;
	INIT_WORK(&exch->done_work, fcloop_host_done_work);
	return exch;
}

/**
 * fcloop_host_fcp_io() - nvme-fc sends a command
 * @localport: the host's port
 * @remoteport: the target
 * @hw_queue_handle: unused
 * @fcpreq: the command
 *
 * A command the target refuses (its association is going away, say), or
 * one to a remote port without a target port (the LLDD unregistered it:
 * an HBA reset), is not an error of the send: on a wire the host would see
 * the exchange fail, so the request completes with that error from
 * done_work, which nvme-fc turns into a path error the host retries or
 * fails over.  (Failing the send itself, nvme-fc ends the request with an
 * I/O error while the remote port is online.)  Only a send that did not
 * happen returns an error: -EBUSY when no exchange could be allocated
 * (nvme-fc retries it).
 *
 * Context: Any context.
 * Return: 0 or -EBUSY.
 */
int fcloop_host_fcp_io(struct nvme_fc_local_port *localport,
		       struct nvme_fc_remote_port *remoteport,
		       void *hw_queue_handle, struct nvmefc_fcp_req *fcpreq)
{
	struct fcloop_nport *nport = fcloop_rport_nport(remoteport);
	struct fcloop_ini_req *ini = fcpreq->private;
	struct fcloop_exch *exch;
	unsigned long flags;
	int ret = -ECONNREFUSED;

	exch = fcloop_exch_alloc(nport, fcpreq);
	if (!exch)
		return -EBUSY;
	fcpreq->transferred_length = 0;
	fcpreq->rcv_rsplen = 0;

	spin_lock_irqsave(&nport->lock, flags);
	ini->exch = exch;
	if (nport->tport) {
		exch->tport = nport->tport;
		exch->tgt_active = true;
		kref_get(&exch->ref);	/* the target side */
		ret = nvmet_fc_rcv_fcp_req(nport->tport, &exch->tgt_req,
					   fcpreq->cmdaddr, fcpreq->cmdlen);
		if (ret) {
			exch->tgt_active = false;
			kref_put(&exch->ref, fcloop_exch_release);
		}
	}
	if (ret) {
		spin_lock(&exch->lock);
		fcloop_host_fail(exch, ret);
		spin_unlock(&exch->lock);
	}
	spin_unlock_irqrestore(&nport->lock, flags);
	return 0;
}

/**
 * fcloop_host_fcp_abort() - nvme-fc aborts a command
 * @localport: the host's port
 * @remoteport: the target
 * @hw_queue_handle: unused
 * @fcpreq: the command
 *
 * The request completes with an error from a work item; the target is
 * told if it still holds the exchange.
 *
 * Context: Any context.
 */
void fcloop_host_fcp_abort(struct nvme_fc_local_port *localport,
			   struct nvme_fc_remote_port *remoteport,
			   void *hw_queue_handle, struct nvmefc_fcp_req *fcpreq)
{
	struct fcloop_nport *nport = fcloop_rport_nport(remoteport);
	struct fcloop_ini_req *ini = fcpreq->private;
	struct fcloop_exch *exch;
	unsigned long flags;

	spin_lock_irqsave(&nport->lock, flags);
	exch = ini->exch;
	if (!exch) {
		spin_unlock_irqrestore(&nport->lock, flags);
		return;
	}
	/* ini->exch is set: the host side's reference is still held. */
	kref_get(&exch->ref);
	spin_lock(&exch->lock);
	if (exch->host_req == fcpreq) {
		fcloop_host_fail(exch, -ECANCELED);
		/* Under exch->lock: the target cannot release it meanwhile. */
		if (exch->tgt_active)
			nvmet_fc_rcv_fcp_abort(exch->tport, &exch->tgt_req);
	}
	spin_unlock(&exch->lock);
	spin_unlock_irqrestore(&nport->lock, flags);
	fcloop_exch_put(exch);
}
