// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FCP path: one command context per exchange the LLDD hands us.
 *
 * nvmet_fc_rcv_fcp_req() (any context) finds the queue of the CMD IU's
 * connection ID under RCU, takes a context from the queue's pool, copies
 * the IU and queues the context's work.  The work (process context) runs
 * nvmet_req_init(), allocates the data buffer, and either executes the
 * command or first fetches its data with WRITEDATA ops; once the data is
 * in, the work executes the command if the LLDD finished the ops before
 * its first fcp_op() returned (fcloop does), otherwise the completion
 * queues the work again to execute it.  queue_response() (any context)
 * sends a read's data with READDATA ops and then the ERSP with an RSP op
 * (or READDATA_RSP for the last data when the LLDD can).  When the last op
 * is done the exchange goes back to the LLDD (fcp_req_release()) and the
 * context to the pool.
 *
 * A context is owned by one party at a time (the work, the core, or the
 * LLDD running an op), so its fields need no lock; only the pool and
 * cmd->fcpreq, which association teardown reads to abort exchanges, are
 * under queue->lock.  An aborted exchange (by the LLDD or by teardown)
 * gets no further op: the context is released at the next step instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include <nvmet/fabric.h>

#include "nvmet-fc.h"

static inline struct nvmet_fc_tgtport *nvmet_fc_cmd_tgtport(struct nvmet_fc_cmd *cmd)
{
	return cmd->queue->assoc->tgtport;
}

static void nvmet_fc_cmd_work(struct work_struct *work);

/**
 * nvmet_fc_cmds_init() - set up the command contexts of a new queue
 * @queue: the queue, not yet published
 *
 * Context: Any context.
 */
void nvmet_fc_cmds_init(struct nvmet_fc_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->nr_cmds; i++) {
		struct nvmet_fc_cmd *cmd = &queue->cmds[i];

		cmd->queue = queue;
		cmd->state = NVMET_FC_CMD_FREE;
		INIT_WORK(&cmd->work, nvmet_fc_cmd_work);
		cmd->req.cmd = &cmd->cmd_iu.sqe;
		cmd->req.cqe = &cmd->rsp_iu.cqe;
		cmd->req.fabric_priv = cmd;
		list_add_tail(&cmd->entry, &queue->free_cmds);
	}
}

/**
 * nvmet_fc_cmd_get() - take a free command context
 * @queue: the queue
 *
 * Context: Any context; takes queue->lock.
 * Return: the context, or NULL if the queue is stopped or the host sent
 * more commands than it may.
 */
struct nvmet_fc_cmd *nvmet_fc_cmd_get(struct nvmet_fc_queue *queue)
{
	struct nvmet_fc_cmd *cmd = NULL;
	unsigned long flags;

	spin_lock_irqsave(&queue->lock, flags);
	if (queue->live) {
		cmd = list_first_entry_or_null(&queue->free_cmds,
					       struct nvmet_fc_cmd, entry);
		if (cmd) {
			list_del_init(&cmd->entry);
			queue->nr_busy++;
		}
	}
	spin_unlock_irqrestore(&queue->lock, flags);
	return cmd;
}

/* Give the exchange back to the LLDD and the context to the pool. */
static void nvmet_fc_cmd_put(struct nvmet_fc_cmd *cmd)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);
	struct nvmet_fc_queue *queue = cmd->queue;
	struct nvmefc_tgt_fcp_req *fcpreq;
	unsigned long flags;

	/* Teardown aborts under queue->lock only exchanges we still hold. */
	spin_lock_irqsave(&queue->lock, flags);
	fcpreq = cmd->fcpreq;
	cmd->fcpreq = NULL;
	spin_unlock_irqrestore(&queue->lock, flags);
	fcpreq->nvmet_fc_private = NULL;
	tgtport->ops->fcp_req_release(&tgtport->fc_port, fcpreq);

	spin_lock_irqsave(&queue->lock, flags);
	cmd->state = NVMET_FC_CMD_FREE;
	clear_bit(0, &cmd->aborted);
	list_add(&cmd->entry, &queue->free_cmds);
	if (!--queue->nr_busy && !queue->live)
		wake_up(&queue->idle);
	spin_unlock_irqrestore(&queue->lock, flags);
}

static enum dma_data_direction nvmet_fc_dma_dir(struct nvmet_fc_cmd *cmd)
{
	return nvme_is_write(cmd->req.cmd) ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
}

/* Free the data buffer and release the exchange. */
static void nvmet_fc_cmd_finish(struct nvmet_fc_cmd *cmd)
{
	struct device *dev = nvmet_fc_cmd_tgtport(cmd)->dev;

	if (cmd->sg_mapped)
		dma_unmap_sg(dev, cmd->req.sg, cmd->req.sg_cnt,
			     nvmet_fc_dma_dir(cmd));
	if (dev && cmd->rsp_dma)
		dma_unmap_single(dev, cmd->rsp_dma, sizeof(cmd->rsp_iu),
				 DMA_TO_DEVICE);
	cmd->sg_mapped = false;
	cmd->rsp_dma = 0;
	nvmet_req_free_sgl(&cmd->req);
	nvmet_fc_cmd_put(cmd);
}

/* The exchange failed: abort it unless someone did, then release it. */
static void nvmet_fc_cmd_fail(struct nvmet_fc_cmd *cmd)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);

	if (!test_and_set_bit(0, &cmd->aborted))
		tgtport->ops->fcp_abort(&tgtport->fc_port, cmd->fcpreq);
	nvmet_fc_cmd_finish(cmd);
}

static u32 nvmet_fc_sg_len(struct nvmet_fc_cmd *cmd, struct scatterlist *sg)
{
	return cmd->sg_mapped ? sg_dma_len(sg) : sg->length;
}

static void nvmet_fc_fcp_done(struct nvmefc_tgt_fcp_req *fcpreq);

static void nvmet_fc_prep_op(struct nvmet_fc_cmd *cmd, u8 op)
{
	struct nvmefc_tgt_fcp_req *fcpreq = cmd->fcpreq;

	fcpreq->op = op;
	fcpreq->timeout = NVME_FC_TGTOP_TIMEOUT_SEC;
	fcpreq->transferred_length = 0;
	fcpreq->fcp_error = 0;
	fcpreq->done = nvmet_fc_fcp_done;
	fcpreq->sg = NULL;
	fcpreq->sg_cnt = 0;
	fcpreq->transfer_length = 0;
	fcpreq->offset = 0;
}

/* Fill the ERSP IU around the CQE the core filled. */
static int nvmet_fc_prep_rsp(struct nvmet_fc_cmd *cmd, u32 xfrd_len)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);
	struct nvmefc_tgt_fcp_req *fcpreq = cmd->fcpreq;
	struct nvme_fc_ersp_iu *ersp = &cmd->rsp_iu;

	ersp->ersp_result = 0;
	ersp->rsvd1 = 0;
	ersp->iu_len = cpu_to_be16(sizeof(*ersp) / sizeof(u32));
	ersp->rsn = cpu_to_be32(atomic_inc_return(&cmd->queue->rsn));
	ersp->xfrd_len = cpu_to_be32(xfrd_len);
	ersp->rsvd12 = 0;
	fcpreq->rspaddr = ersp;
	fcpreq->rsplen = sizeof(*ersp);
	fcpreq->rspdma = 0;
	if (tgtport->dev) {
		cmd->rsp_dma = dma_map_single(tgtport->dev, ersp, sizeof(*ersp),
					      DMA_TO_DEVICE);
		if (dma_mapping_error(tgtport->dev, cmd->rsp_dma)) {
			cmd->rsp_dma = 0;
			return -ENOMEM;
		}
		fcpreq->rspdma = cmd->rsp_dma;
	}
	return 0;
}

static void nvmet_fc_send_rsp(struct nvmet_fc_cmd *cmd)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);

	nvmet_fc_prep_op(cmd, NVMET_FCOP_RSP);
	if (nvmet_fc_prep_rsp(cmd, cmd->offset) ||
	    tgtport->ops->fcp_op(&tgtport->fc_port, cmd->fcpreq))
		nvmet_fc_cmd_fail(cmd);
}

/*
 * Start the next data op of @cmd: as many scatterlist entries as the LLDD
 * takes at once, from cmd->next_sg on.  The last read data goes with the
 * ERSP when the LLDD supports READDATA_RSP.
 */
static void nvmet_fc_data_op(struct nvmet_fc_cmd *cmd, u8 op)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);
	struct nvmefc_tgt_fcp_req *fcpreq = cmd->fcpreq;
	struct scatterlist *sg = cmd->next_sg;
	unsigned int cnt = 0;
	u32 len = 0;

	nvmet_fc_prep_op(cmd, op);
	fcpreq->sg = sg;
	fcpreq->offset = cmd->offset;
	while (sg && cnt < tgtport->ops->max_sgl_segments &&
	       cmd->offset + len < cmd->data_len) {
		len += nvmet_fc_sg_len(cmd, sg);
		cnt++;
		sg = sg_next(sg);
	}
	len = min(len, cmd->data_len - cmd->offset);
	fcpreq->sg_cnt = cnt;
	fcpreq->transfer_length = len;
	cmd->next_sg = sg;

	if (op == NVMET_FCOP_READDATA && cmd->offset + len == cmd->data_len &&
	    (tgtport->ops->target_features & NVMET_FCTGTFEAT_READDATA_RSP)) {
		fcpreq->op = NVMET_FCOP_READDATA_RSP;
		if (nvmet_fc_prep_rsp(cmd, cmd->data_len)) {
			nvmet_fc_cmd_fail(cmd);
			return;
		}
	}
	if (tgtport->ops->fcp_op(&tgtport->fc_port, fcpreq)) {
		if (op == NVMET_FCOP_WRITEDATA)
			nvmet_req_uninit(&cmd->req);
		nvmet_fc_cmd_fail(cmd);
	}
}

static void nvmet_fc_writedata_done(struct nvmet_fc_cmd *cmd)
{
	struct nvmefc_tgt_fcp_req *fcpreq = cmd->fcpreq;

	if (fcpreq->fcp_error || test_bit(0, &cmd->aborted) ||
	    fcpreq->transferred_length != fcpreq->transfer_length) {
		/* Never executed: only nvmet_req_uninit() undoes the init. */
		nvmet_req_uninit(&cmd->req);
		nvmet_fc_cmd_fail(cmd);
		return;
	}
	cmd->offset += fcpreq->transferred_length;
	if (cmd->offset < cmd->data_len) {
		nvmet_fc_data_op(cmd, NVMET_FCOP_WRITEDATA);
		return;
	}
	cmd->state = NVMET_FC_CMD_EXEC;
	/* The work is still in its first fcp_op(): it executes the command. */
	if (!test_and_clear_bit(0, &cmd->wd_inline))
		queue_work(nvmet_fc_wq, &cmd->work);
}

/* The LLDD finished an op of @fcpreq's command; any context. */
static void nvmet_fc_fcp_done(struct nvmefc_tgt_fcp_req *fcpreq)
{
	struct nvmet_fc_cmd *cmd = fcpreq->nvmet_fc_private;
	bool failed = fcpreq->fcp_error || test_bit(0, &cmd->aborted);

	if (cmd->state == NVMET_FC_CMD_WRITEDATA) {
		nvmet_fc_writedata_done(cmd);
		return;
	}
	if (fcpreq->op == NVMET_FCOP_READDATA && !failed) {
		cmd->offset += fcpreq->transfer_length;
		if (cmd->offset < cmd->data_len)
			nvmet_fc_data_op(cmd, NVMET_FCOP_READDATA);
		else
			nvmet_fc_send_rsp(cmd);
		return;
	}
	if (failed)
		nvmet_fc_cmd_fail(cmd);
	else
		nvmet_fc_cmd_finish(cmd);
}

/**
 * nvmet_fc_queue_response() - send a command's data and its ERSP
 * @req: the request the core completed
 *
 * Every response is an ERSP IU, which FC-NVMe allows for any command and
 * the Linux host checks against the command (command ID, bytes moved).
 *
 * Context: Any context; does not sleep.
 */
void nvmet_fc_queue_response(struct nvmet_req *req)
{
	struct nvmet_fc_cmd *cmd = req->fabric_priv;
	u16 status = le16_to_cpu(req->cqe->status) >> 1;

	cmd->state = NVMET_FC_CMD_RESPOND;
	if (test_bit(0, &cmd->aborted)) {
		nvmet_fc_cmd_finish(cmd);
		return;
	}
	if (!status && req->sg && cmd->data_len && !nvme_is_write(req->cmd)) {
		cmd->offset = 0;
		cmd->next_sg = req->sg;
		nvmet_fc_data_op(cmd, NVMET_FCOP_READDATA);
		return;
	}
	nvmet_fc_send_rsp(cmd);
}

/* Direction bits of the CMD IU that fit the command and its length. */
static bool nvmet_fc_dir_ok(struct nvmet_fc_cmd *cmd)
{
	u8 dir = cmd->cmd_iu.flags & FCNVME_CMD_FLAGS_DIRMASK;

	if (!cmd->data_len)
		return !dir;
	return dir == (nvme_is_write(cmd->req.cmd) ? FCNVME_CMD_FLAGS_WRITE :
						     FCNVME_CMD_FLAGS_READ);
}

static int nvmet_fc_map_data(struct nvmet_fc_cmd *cmd)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_cmd_tgtport(cmd);
	struct nvmet_req *req = &cmd->req;

	if (nvmet_req_alloc_sgl(req))
		return -ENOMEM;
	cmd->next_sg = req->sg;
	if (!tgtport->dev)
		return 0;
	if (!dma_map_sg(tgtport->dev, req->sg, req->sg_cnt,
			nvmet_fc_dma_dir(cmd)))
		return -ENOMEM;
	cmd->sg_mapped = true;
	return 0;
}

/* A new command: hand it to the core, then fetch its data or run it. */
static void nvmet_fc_cmd_start(struct nvmet_fc_cmd *cmd)
{
	struct nvmet_fc_queue *queue = cmd->queue;
	struct nvmet_req *req = &cmd->req;

	if (test_bit(0, &cmd->aborted)) {
		nvmet_fc_cmd_put(cmd);
		return;
	}
	cmd->data_len = be32_to_cpu(cmd->cmd_iu.data_len);
	cmd->offset = 0;
	cmd->next_sg = NULL;
	memset(&cmd->rsp_iu, 0, sizeof(cmd->rsp_iu));
	req->port = queue->assoc->nport;
	req->transfer_len = cmd->data_len;
	cmd->state = NVMET_FC_CMD_EXEC;
	if (!nvmet_req_init(req, &queue->nvme_cq, &queue->nvme_sq,
			    &nvmet_fc_fabric_ops))
		return;
	if (!nvmet_fc_dir_ok(cmd)) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		nvmet_req_complete(req, NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
		return;
	}
	if (cmd->data_len && nvmet_fc_map_data(cmd)) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	if (cmd->data_len && nvme_is_write(req->cmd)) {
		/*
		 * An LLDD that moves the data before fcp_op() returns (fcloop)
		 * completes it in its own context, which may not sleep; this
		 * work may, so it executes the command once fcp_op() is back,
		 * without a second trip through the workqueue.  A failed
		 * transfer releases the context with the bit still set; only
		 * this work sets it, and the context's work does not run
		 * twice at once, so clearing it here is safe either way.
		 */
		cmd->state = NVMET_FC_CMD_WRITEDATA;
		set_bit(0, &cmd->wd_inline);
		nvmet_fc_data_op(cmd, NVMET_FCOP_WRITEDATA);
		if (!test_and_clear_bit(0, &cmd->wd_inline))
			req->execute(req);
		return;
	}
	req->execute(req);
}

static void nvmet_fc_cmd_work(struct work_struct *work)
{
	struct nvmet_fc_cmd *cmd = container_of(work, struct nvmet_fc_cmd, work);

	if (cmd->state == NVMET_FC_CMD_RECEIVED)
		nvmet_fc_cmd_start(cmd);
	else
		cmd->req.execute(&cmd->req);
}

static bool nvmet_fc_cmd_iu_ok(const struct nvme_fc_cmd_iu *iu, u32 len)
{
	return len == sizeof(*iu) && iu->format_id == NVME_CMD_FORMAT_ID &&
	       iu->fc_id == NVME_CMD_FC_ID &&
	       be16_to_cpu(iu->iu_len) == sizeof(*iu) / sizeof(u32);
}

/**
 * nvmet_fc_rcv_fcp_req() - the LLDD received an FCP CMD IU
 * @fc_port: the target port it came to
 * @fcpreq: the LLDD's exchange; ours until fcp_req_release()
 * @cmdiubuf: the CMD IU, copied before this returns
 * @cmdiubuf_len: its length
 *
 * Context: Any context.
 * Return: 0; -EIO for a malformed IU, -ENOTCONN for an unknown connection,
 * -ENOSPC when the queue is full.  On error the LLDD aborts the exchange.
 */
int nvmet_fc_rcv_fcp_req(struct nvmet_fc_target_port *fc_port,
			 struct nvmefc_tgt_fcp_req *fcpreq,
			 void *cmdiubuf, u32 cmdiubuf_len)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(fc_port);
	struct nvme_fc_cmd_iu *iu = cmdiubuf;
	struct nvmet_fc_queue *queue;
	struct nvmet_fc_cmd *cmd = NULL;

	if (!nvmet_fc_cmd_iu_ok(iu, cmdiubuf_len))
		return -EIO;
	rcu_read_lock();
	queue = nvmet_fc_queue_lookup(tgtport, be64_to_cpu(iu->connection_id));
	if (queue)
		cmd = nvmet_fc_cmd_get(queue);
	rcu_read_unlock();
	if (!cmd)
		return queue ? -ENOSPC : -ENOTCONN;

	/* The context pins the queue from here on. */
	memcpy(&cmd->cmd_iu, iu, sizeof(*iu));
	cmd->fcpreq = fcpreq;
	cmd->state = NVMET_FC_CMD_RECEIVED;
	fcpreq->nvmet_fc_private = cmd;
	fcpreq->hwqid = cmd->queue->qid % tgtport->ops->max_hw_queues;
	queue_work(nvmet_fc_wq, &cmd->work);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_fc_rcv_fcp_req);

/**
 * nvmet_fc_rcv_fcp_abort() - the LLDD saw the host abort an exchange
 * @fc_port: the target port
 * @fcpreq: the exchange, given to nvmet_fc_rcv_fcp_req() and not yet
 *	    released
 *
 * No further op is started on the exchange; the LLDD fails the one in
 * progress, if any, and gets the exchange back through fcp_req_release()
 * once the command is done.
 *
 * Context: Any context.
 */
void nvmet_fc_rcv_fcp_abort(struct nvmet_fc_target_port *fc_port,
			    struct nvmefc_tgt_fcp_req *fcpreq)
{
	struct nvmet_fc_cmd *cmd = fcpreq->nvmet_fc_private;

	if (cmd)
		set_bit(0, &cmd->aborted);
}
EXPORT_SYMBOL_GPL(nvmet_fc_rcv_fcp_abort);

/**
 * nvmet_fc_abort_cmds() - abort every exchange of a stopped queue
 * @queue: the queue, no longer live
 *
 * Context: Process context (association teardown); takes queue->lock,
 * under which the LLDD's fcp_abort() is called.
 */
void nvmet_fc_abort_cmds(struct nvmet_fc_queue *queue)
{
	struct nvmet_fc_tgtport *tgtport = queue->assoc->tgtport;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&queue->lock, flags);
	for (i = 0; i < queue->nr_cmds; i++) {
		struct nvmet_fc_cmd *cmd = &queue->cmds[i];

		if (cmd->fcpreq && !test_and_set_bit(0, &cmd->aborted))
			tgtport->ops->fcp_abort(&tgtport->fc_port, cmd->fcpreq);
	}
	spin_unlock_irqrestore(&queue->lock, flags);
}
