// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requests and submission queues: what every fabric calls per command.
 *
 * nvmet_req_init() picks the handler of a command (connect, admin,
 * discovery or I/O) and takes a reference on the queue for it; the handler
 * or the backend ends it with nvmet_req_complete(), which fills the
 * completion and hands it back to the fabric.  nvmet_sq_destroy() waits
 * for every request of a queue before the fabric frees it.
 */
#include <linux/export.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <nvmet/compat-auth.h>
#include <nvmet/fabric.h>
#include "ctrl.h"
#include "stats.h"
#include "trace.h"

struct workqueue_struct *nvmet_wq;
EXPORT_SYMBOL_GPL(nvmet_wq);

static void nvmet_sq_ref_free(struct percpu_ref *ref)
{
	struct nvmet_sq *sq = container_of(ref, struct nvmet_sq, ref);

	complete(&sq->free_done);
}

/**
 * nvmet_sq_init() - prepare a submission queue before its first command
 * @sq: the queue, embedded in the fabric's queue
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int nvmet_sq_init(struct nvmet_sq *sq)
{
	int ret;

	memset(sq, 0, sizeof(*sq));
	nvmet_fused_sq_init(sq);
	ret = percpu_ref_init(&sq->ref, nvmet_sq_ref_free, 0, GFP_KERNEL);
	if (ret)
		return ret;
	init_completion(&sq->free_done);
	init_completion(&sq->confirm_done);
	mutex_init(&sq->auth_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_sq_init);

static void nvmet_sq_ref_confirm(struct percpu_ref *ref)
{
	struct nvmet_sq *sq = container_of(ref, struct nvmet_sq, ref);

	complete(&sq->confirm_done);
}

/**
 * nvmet_sq_destroy() - wait for a queue's requests and let go of it
 * @sq: the queue
 *
 * Fails the outstanding Asynchronous Event Requests of an admin queue,
 * stops new requests, waits until every request in flight has completed,
 * and drops the queue's controller reference (the last one frees the
 * controller).  The fabric must keep completing requests while this runs.
 *
 * Context: Process context; sleeps.
 */
void nvmet_sq_destroy(struct nvmet_sq *sq)
{
	struct nvmet_ctrl *ctrl = sq->ctrl;

	if (ctrl && !sq->qid)
		nvmet_ctrl_fail_aers(ctrl);
	nvmet_fused_sq_destroy(sq);
	percpu_ref_kill_and_confirm(&sq->ref, nvmet_sq_ref_confirm);
	wait_for_completion(&sq->confirm_done);
	wait_for_completion(&sq->free_done);
	percpu_ref_exit(&sq->ref);
	nvmet_auth_sq_exit(sq);
	mutex_destroy(&sq->auth_lock);
	if (ctrl) {
		cmpxchg(&ctrl->sqs[sq->qid], sq, NULL);
		/* An admin queue gone means the association is gone. */
		if (!sq->qid)
			nvmet_ctrl_delete(ctrl);
		sq->ctrl = NULL;
		nvmet_ctrl_put(ctrl);
	}
}
EXPORT_SYMBOL_GPL(nvmet_sq_destroy);

static void nvmet_update_sq_head(struct nvmet_req *req)
{
	struct nvmet_sq *sq = req->sq;
	u32 old, new;

	do {
		old = READ_ONCE(sq->sqhd);
		new = sq->size ? (old + 1) % sq->size : 0;
	} while (cmpxchg(&sq->sqhd, old, new) != old);
	req->cqe->sq_head = cpu_to_le16(new & 0xffff);
}

/* Complete without dropping the queue reference (parse failures). */
static void __nvmet_req_complete(struct nvmet_req *req, u16 status)
{
	struct nvmet_ns *ns = req->ns;

	if (req->sq->sqhd_disabled)
		req->cqe->sq_head = cpu_to_le16(0xffff);
	else
		nvmet_update_sq_head(req);
	req->cqe->sq_id = cpu_to_le16(req->sq->qid);
	req->cqe->command_id = req->cmd->common.command_id;
	req->cqe->status = cpu_to_le16(status << 1);
	if (status && req->sq->ctrl) {
		nvmet_ctrl_log_error(req, status);
		/*
		 * More: the Error Information log page says which field was
		 * wrong.  As in-tree, only for errors that name a field.
		 */
		if (req->error_loc != NVMET_NO_ERROR_LOC)
			req->cqe->status |= cpu_to_le16(NVME_STATUS_MORE << 1);
	}
	nvmet_stats_complete(req, ns, status);
	trace_nvmet_req_complete(req);
	if (req->range_state)
		nvmet_range_write_done(req);
	if (req->pr_state)
		nvmet_pr_io_done(req);
	req->ns = NULL;
	/* The fabric may reuse @req as soon as this returns. */
	req->ops->queue_response(req);
	if (ns)
		nvmet_ns_io_put(ns);
}

/**
 * nvmet_req_complete() - finish a request
 * @req: the request
 * @status: NVMe status code (with NVME_STATUS_DNR and friends), 0 for
 *	    success; the command's result goes into req->cqe->result first
 *
 * If req->end_io is set, only calls it (once) with @status: a stage of
 * the command ended, not the command.
 *
 * Context: Any context.
 */
void nvmet_req_complete(struct nvmet_req *req, u16 status)
{
	void (*end_io)(struct nvmet_req *req, u16 status) = req->end_io;
	struct nvmet_sq *sq = req->sq;

	/* One stage of a longer command ended: its handler goes on. */
	if (unlikely(end_io)) {
		req->end_io = NULL;
		end_io(req, status);
		return;
	}
	__nvmet_req_complete(req, status);
	percpu_ref_put(&sq->ref);
}
EXPORT_SYMBOL_GPL(nvmet_req_complete);

/**
 * nvmet_check_ctrl_ready() - may the controller run admin and I/O commands?
 * @req: the request
 *
 * Context: Any context.
 * Return: 0, or Command Sequence Error while CC.EN or CSTS.RDY is clear.
 */
u16 nvmet_check_ctrl_ready(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;

	if (!(READ_ONCE(ctrl->cc) & NVME_CC_ENABLE) ||
	    !(READ_ONCE(ctrl->csts) & NVME_CSTS_RDY))
		return NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
	return 0;
}

/**
 * nvmet_mdts() - the Maximum Data Transfer Size a controller reports
 * @port: the port the controller is on
 * @ops: the fabric serving it
 * @ctrl: the controller, or NULL before Connect made one
 *
 * The smaller of the port's param_mdts and the fabric's own limit, where
 * 0 on either side means that side sets none.
 *
 * Context: Any context.
 * Return: MDTS in Identify Controller's unit, 0 for no limit.
 */
u8 nvmet_mdts(const struct nvmet_port *port,
	      const struct nvmet_fabric_ops *ops,
	      const struct nvmet_ctrl *ctrl)
{
	u8 mdts = READ_ONCE(port->mdts);
	u8 fabric = ctrl && ops->get_mdts ? ops->get_mdts(ctrl) : 0;

	if (!mdts || (fabric && fabric < mdts))
		mdts = fabric;
	return min_t(u8, mdts, NVMET_MDTS_MAX);
}

/*
 * Bound the transfer a command's SGL claims before the fabric allocates
 * a buffer for it: no longer than the command carries (SGL Data Block
 * Invalid, what its handler would answer), and the command no longer
 * than MDTS (Invalid Field in Command, as NVMe says of a command beyond
 * MDTS).  A port that advertises no limit still gets the core's ceiling,
 * and so does a command whose length is unknown here.
 */
static u16 nvmet_req_check_len(struct nvmet_req *req)
{
	u8 mdts = nvmet_mdts(req->port, req->ops, req->sq->ctrl);
	u64 max = 1ULL << ((mdts ? mdts : NVMET_MDTS_MAX) + NVMET_MDTS_SHIFT);
	u32 len = req->transfer_len;

	if (req->data_max != NVMET_LEN_UNKNOWN && len > req->data_max) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	/*
	 * What the command asks for counts too: a log page of NUMD all ones
	 * saturates data_len at U32_MAX, which is also NVMET_LEN_UNKNOWN.
	 */
	len = max(len, req->data_len);
	if (len > max) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return 0;
}

/**
 * nvmet_req_init() - take a command in
 * @req: the request, with cmd, cqe and port set by the fabric, and
 *	 transfer_len from the command's SGL
 * @cq: the completion queue
 * @sq: the submission queue
 * @ops: the fabric
 *
 * Picks the handler and bounds the transfer: a command whose SGL claims
 * more than it carries, or more than MDTS, is completed here, so the
 * fabric allocates nothing for it.
 *
 * Context: Process context.
 * Return: true if the fabric should bring in the data (at most
 * req->transfer_len bytes, now known to be bounded) and call
 * req->execute(req); false if the request is already completed with an
 * error (the fabric's queue_response() ran).
 */
bool nvmet_req_init(struct nvmet_req *req, struct nvmet_cq *cq,
		    struct nvmet_sq *sq, const struct nvmet_fabric_ops *ops)
{
	u8 flags = req->cmd->common.flags;
	u16 status;

	req->start_ns = nvmet_stats_start();
	req->cq = cq;
	req->sq = sq;
	req->ops = ops;
	req->ns = NULL;
	req->pr_state = NULL;
	req->sg = NULL;
	req->sg_cnt = 0;
	req->data_len = 0;
	req->data_max = 0;
	req->execute = NULL;
	req->end_io = NULL;
	req->error_loc = NVMET_NO_ERROR_LOC;
	req->error_slba = 0;
	req->fused = 0;
	req->fused_peer = NULL;
	req->range_state = 0;
	req->cqe->result.u64 = 0;
	req->cqe->status = 0;
	req->cqe->sq_head = 0;

	/* Fused Compare and Write, and the command after a held first. */
	if (unlikely((flags & (NVME_CMD_FUSE_FIRST | NVME_CMD_FUSE_SECOND)) ||
		     READ_ONCE(sq->fused_pending))) {
		status = nvmet_fused_init(req);
		if (status)
			goto fail;
	}
	/* Fabrics carry data in SGLs only (NVMe over Fabrics 1.1, 2.1). */
	if ((flags & NVME_CMD_SGL_ALL) != NVME_CMD_SGL_METABUF) {
		req->error_loc = offsetof(struct nvme_common_command, flags);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto fail;
	}

	if (!READ_ONCE(sq->ctrl)) {
		status = nvmet_parse_connect_cmd(req);
	} else {
		status = nvmet_auth_gate(req);
		if (!status && !sq->qid)
			status = nvmet_parse_admin_cmd(req);
		else if (!status)
			status = nvmet_parse_io_cmd(req);
	}
	if (status)
		goto fail;
	if (!req->data_max)
		req->data_max = req->data_len;
	status = nvmet_req_check_len(req);
	if (status)
		goto fail;
	trace_nvmet_req_init(req, req->cmd);

	if (!percpu_ref_tryget_live(&sq->ref)) {
		status = NVME_SC_INTERNAL | NVME_STATUS_DNR;
		goto fail;
	}
	if (sq->ctrl)
		WRITE_ONCE(sq->ctrl->ka_traffic, true);
	if (unlikely(req->fused))
		nvmet_fused_accepted(req);
	return true;

fail:
	if (unlikely(req->fused))
		nvmet_fused_refused(req);
	__nvmet_req_complete(req, status);
	return false;
}
EXPORT_SYMBOL_GPL(nvmet_req_init);

/**
 * nvmet_req_uninit() - drop a request nvmet_req_init() accepted without
 *			executing it (the fabric failed to get its data)
 * @req: the request
 *
 * Context: Any context.
 */
void nvmet_req_uninit(struct nvmet_req *req)
{
	if (unlikely(req->fused))
		nvmet_fused_uninit(req);
	percpu_ref_put(&req->sq->ref);
	if (req->pr_state)
		nvmet_pr_io_done(req);
	if (req->ns) {
		nvmet_ns_io_put(req->ns);
		req->ns = NULL;
	}
}
EXPORT_SYMBOL_GPL(nvmet_req_uninit);

/**
 * nvmet_check_transfer_len() - does the host's buffer fit the command?
 * @req: the request
 * @len: bytes the command transfers
 *
 * Completes @req with SGL Data Block Invalid if the lengths differ.
 *
 * Context: Any context.
 * Return: true if they match and the handler may go on.
 */
bool nvmet_check_transfer_len(struct nvmet_req *req, size_t len)
{
	if (likely(req->transfer_len == len))
		return true;
	req->error_loc = offsetof(struct nvme_common_command, dptr);
	nvmet_req_complete(req, NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR);
	return false;
}
EXPORT_SYMBOL_GPL(nvmet_check_transfer_len);

/**
 * nvmet_check_data_len_lte() - is the host's buffer no larger than @len?
 * @req: the request
 * @len: most bytes the command may transfer
 *
 * Context: Any context.
 * Return: true if the handler may go on; else @req is completed.
 */
bool nvmet_check_data_len_lte(struct nvmet_req *req, size_t len)
{
	if (likely(req->transfer_len <= len))
		return true;
	req->error_loc = offsetof(struct nvme_common_command, dptr);
	nvmet_req_complete(req, NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR);
	return false;
}
EXPORT_SYMBOL_GPL(nvmet_check_data_len_lte);

/**
 * nvmet_req_alloc_sgl() - allocate the data buffer of a request
 * @req: the request, accepted by nvmet_req_init(), which bounded its
 *	 transfer_len
 *
 * The size comes from the host: a failure is the host's problem and
 * warns nobody.
 *
 * Context: Process context.
 * Return: 0, or -ENOMEM.
 */
int nvmet_req_alloc_sgl(struct nvmet_req *req)
{
	if (!req->transfer_len)
		return 0;
	req->sg = sgl_alloc(req->transfer_len, GFP_KERNEL | __GFP_NOWARN,
			    &req->sg_cnt);
	return req->sg ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_GPL(nvmet_req_alloc_sgl);

/**
 * nvmet_req_free_sgl() - free what nvmet_req_alloc_sgl() allocated
 * @req: the request
 *
 * Context: Any context.
 */
void nvmet_req_free_sgl(struct nvmet_req *req)
{
	if (req->sg)
		sgl_free(req->sg);
	req->sg = NULL;
	req->sg_cnt = 0;
}
EXPORT_SYMBOL_GPL(nvmet_req_free_sgl);

/**
 * nvmet_copy_to_sgl() - copy into the request's data buffer
 * @req: the request
 * @off: offset in the buffer
 * @buf: source
 * @len: bytes
 *
 * Context: Any context.
 * Return: 0, or SGL Data Block Invalid if the buffer is too short.
 */
u16 nvmet_copy_to_sgl(struct nvmet_req *req, off_t off, const void *buf,
		      size_t len)
{
	if (sg_pcopy_from_buffer(req->sg, req->sg_cnt, buf, len, off) != len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_copy_to_sgl);

/**
 * nvmet_copy_from_sgl() - copy out of the request's data buffer
 * @req: the request
 * @off: offset in the buffer
 * @buf: destination
 * @len: bytes
 *
 * Context: Any context.
 * Return: 0, or SGL Data Block Invalid if the buffer is too short.
 */
u16 nvmet_copy_from_sgl(struct nvmet_req *req, off_t off, void *buf,
			size_t len)
{
	if (sg_pcopy_to_buffer(req->sg, req->sg_cnt, buf, len, off) != len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_copy_from_sgl);

/**
 * nvmet_zero_sgl() - zero part of the request's data buffer
 * @req: the request
 * @off: offset in the buffer
 * @len: bytes
 *
 * Context: Any context.
 * Return: 0, or SGL Data Block Invalid if the buffer is too short.
 */
u16 nvmet_zero_sgl(struct nvmet_req *req, off_t off, size_t len)
{
	if (sg_zero_buffer(req->sg, req->sg_cnt, len, off) != len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_zero_sgl);

/**
 * nvmet_errno_to_status() - the NVMe status for a backend's -errno
 * @req: the request, whose error location is set for range errors
 * @err: 0 or -errno
 *
 * Context: Any context.
 * Return: the status.
 */
u16 nvmet_errno_to_status(struct nvmet_req *req, int err)
{
	switch (err) {
	case 0:
		return NVME_SC_SUCCESS;
	case -ENOSPC:
		req->error_loc = offsetof(struct nvme_rw_command, length);
		return NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR;
	case -EREMOTEIO:
		req->error_loc = offsetof(struct nvme_rw_command, slba);
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	case -EOPNOTSUPP:
		req->error_loc = offsetof(struct nvme_common_command, opcode);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	case -ENODATA:
		return NVME_SC_ACCESS_DENIED;
	default:
		return NVME_SC_INTERNAL | NVME_STATUS_DNR;
	}
}
EXPORT_SYMBOL_GPL(nvmet_errno_to_status);
