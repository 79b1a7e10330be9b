// SPDX-License-Identifier: GPL-2.0-only
/*
 * LSs in both directions.  The requester's private area holds a struct
 * fcloop_ls whose ls_rsp is the responder's exchange; the response is
 * copied into the requester's buffer, the responder's done() runs, then
 * the requester's done() (which may free the area, so it comes last).
 *
 * Host to target: delivered at once (nvmet_fc_rcv_ls_req() takes any
 * context).  Target to host: from a work item, as nvme_fc_rcv_ls_req()
 * allocates with GFP_KERNEL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/string.h>

#include "fcloop.h"

static void fcloop_ls_fail_work(struct work_struct *work)
{
	struct fcloop_ls *ls = container_of(work, struct fcloop_ls, work);

	ls->lsreq->done(ls->lsreq, ls->status);
}

static void fcloop_ls_fail(struct fcloop_ls *ls, int status)
{
	ls->status = status;
	INIT_WORK(&ls->work, fcloop_ls_fail_work);
	queue_work(fcloop_wq, &ls->work);
}

/* Hand @ls_rsp's response to the requester of @ls and finish both. */
static void fcloop_ls_deliver(struct nvmefc_ls_rsp *ls_rsp)
{
	struct fcloop_ls *ls = container_of(ls_rsp, struct fcloop_ls, ls_rsp);
	struct nvmefc_ls_req *lsreq = ls->lsreq;

	memcpy(lsreq->rspaddr, ls_rsp->rspbuf,
	       min_t(u32, lsreq->rsplen, ls_rsp->rsplen));
	ls_rsp->done(ls_rsp);
	lsreq->done(lsreq, 0);
}

/**
 * fcloop_host_ls_req() - nvme-fc sends an LS to a target port
 * @localport: the host's port
 * @remoteport: the target as the host sees it
 * @lsreq: the request
 *
 * Context: Process context.
 * Return: 0; a failure is reported through lsreq->done().
 */
int fcloop_host_ls_req(struct nvme_fc_local_port *localport,
		       struct nvme_fc_remote_port *remoteport,
		       struct nvmefc_ls_req *lsreq)
{
	struct fcloop_nport *nport = fcloop_rport_nport(remoteport);
	struct fcloop_ls *ls = lsreq->private;
	unsigned long flags;
	int ret = -ECONNREFUSED;

	ls->lsreq = lsreq;
	ls->nport = nport;
	spin_lock_irqsave(&nport->lock, flags);
	if (nport->tport)
		ret = nvmet_fc_rcv_ls_req(nport->tport, nport, &ls->ls_rsp,
					  lsreq->rqstaddr, lsreq->rqstlen);
	spin_unlock_irqrestore(&nport->lock, flags);
	if (ret)
		fcloop_ls_fail(ls, -ECONNREFUSED);
	return 0;
}

/**
 * fcloop_tgt_xmt_ls_rsp() - nvmet-fc answers an LS of the host
 * @tport: the target port
 * @ls_rsp: the response, on the exchange fcloop_host_ls_req() gave
 *
 * Context: Any context.
 * Return: 0.
 */
int fcloop_tgt_xmt_ls_rsp(struct nvmet_fc_target_port *tport,
			  struct nvmefc_ls_rsp *ls_rsp)
{
	fcloop_ls_deliver(ls_rsp);
	return 0;
}

/**
 * fcloop_host_ls_abort() - nvme-fc gives up on an LS
 * @localport: the host's port
 * @remoteport: the target
 * @lsreq: the request
 *
 * Every LS is answered promptly, so there is nothing to cut short.
 *
 * Context: Any context.
 */
void fcloop_host_ls_abort(struct nvme_fc_local_port *localport,
			  struct nvme_fc_remote_port *remoteport,
			  struct nvmefc_ls_req *lsreq)
{
}

static void fcloop_tgt_ls_work(struct work_struct *work)
{
	struct fcloop_ls *ls = container_of(work, struct fcloop_ls, work);
	struct fcloop_nport *nport = ls->nport;
	struct nvmefc_ls_req *lsreq = ls->lsreq;
	int ret = -ECONNREFUSED;

	mutex_lock(&nport->ls_lock);
	if (nport->rport)
		ret = nvme_fc_rcv_ls_req(nport->rport, &ls->ls_rsp,
					 lsreq->rqstaddr, lsreq->rqstlen);
	mutex_unlock(&nport->ls_lock);
	if (ret)
		lsreq->done(lsreq, ret);
}

/**
 * fcloop_tgt_ls_req() - nvmet-fc sends an LS to a host
 * @tport: the target port
 * @hosthandle: the nport the host's LSs came through
 * @lsreq: the request
 *
 * Context: Any context.
 * Return: 0; a failure is reported through lsreq->done().
 */
int fcloop_tgt_ls_req(struct nvmet_fc_target_port *tport, void *hosthandle,
		      struct nvmefc_ls_req *lsreq)
{
	struct fcloop_ls *ls = lsreq->private;

	ls->lsreq = lsreq;
	ls->nport = hosthandle;
	INIT_WORK(&ls->work, fcloop_tgt_ls_work);
	queue_work(fcloop_wq, &ls->work);
	return 0;
}

/**
 * fcloop_host_xmt_ls_rsp() - nvme-fc answers an LS of the target
 * @localport: the host's port
 * @remoteport: the target
 * @ls_rsp: the response, on the exchange fcloop_tgt_ls_work() gave
 *
 * Context: Any context.
 * Return: 0.
 */
int fcloop_host_xmt_ls_rsp(struct nvme_fc_local_port *localport,
			   struct nvme_fc_remote_port *remoteport,
			   struct nvmefc_ls_rsp *ls_rsp)
{
	fcloop_ls_deliver(ls_rsp);
	return 0;
}

/**
 * fcloop_tgt_ls_abort() - nvmet-fc gives up on an LS
 * @tport: the target port
 * @hosthandle: the host
 * @lsreq: the request
 *
 * Context: Any context.
 */
void fcloop_tgt_ls_abort(struct nvmet_fc_target_port *tport, void *hosthandle,
			 struct nvmefc_ls_req *lsreq)
{
}
