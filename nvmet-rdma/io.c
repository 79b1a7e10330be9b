// SPDX-License-Identifier: GPL-2.0-only
/*
 * The I/O path: command capsules in, data moved by RDMA READ and WRITE,
 * responses out.
 *
 * The completion handlers run on the CQ's workqueue, one at a time per
 * queue, in process context: the receive handler calls nvmet_req_init()
 * and req->execute(), the RDMA READ handler req->execute().
 * queue_response() runs in any context.
 *
 * Send queue room is counted in queue->sq_wr_avail.  A command takes what
 * its RDMA READ, or its RDMA WRITE and SEND, need before posting them and
 * gives it back on their completion; when there is not enough, it waits
 * on queue->wr_wait_list, in order, and whoever gives room back posts the
 * waiting commands.  Both happen under queue->wr_lock, so a command never
 * waits while room is free.
 *
 * On a shared receive queue (srq.c) a capsule first takes a free slot of
 * its queue; a command gives its receive buffer back to the SRQ at the
 * latest in queue_response(), and one that is dropped gives it back when
 * it is dropped.  Without an SRQ the slot's own buffer is posted again at
 * the send completion, as before: the only cost is a test of queue->srq.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/nvme.h>

#include <nvmet/compat-lib.h>

#include "nvmet-rdma.h"

/* SGL descriptor types of the NVMe over Fabrics RDMA transport binding. */
#define NVMET_RDMA_SGL_INCAPSULE \
	((NVME_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_OFFSET)
#define NVMET_RDMA_SGL_KEYED \
	((NVME_KEY_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_ADDRESS)
#define NVMET_RDMA_SGL_KEYED_INV \
	((NVME_KEY_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_INVALIDATE)

static void nvmet_rdma_wc_error(struct nvmet_rdma_queue *queue,
				struct ib_wc *wc, const char *op)
{
	if (wc->status != IB_WC_WR_FLUSH_ERR)
		nvmet_rdma_err(queue, "%s failed: %s (%d)\n", op,
			       ib_wc_status_msg(wc->status), wc->status);
	nvmet_rdma_schedule_release(queue);
}

/* A command is dropped: on an SRQ, its receive buffer goes back. */
static void nvmet_rdma_drop_recv(struct nvmet_rdma_cmd *cmd)
{
	if (cmd->queue->srq)
		nvmet_rdma_srq_cmd_done(cmd);
}

/* Release the data buffer of a command and its RDMA context. */
static void nvmet_rdma_put_data(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;

	if (cmd->rw_wrs) {
		rdma_rw_ctx_destroy(&cmd->rw, queue->qp, queue->cm_id->port_num,
				    cmd->req.sg, cmd->req.sg_cnt, cmd->rw_dir);
		cmd->rw_wrs = 0;
	}
	if (cmd->req.sg && !cmd->inline_data)
		nvmet_req_free_sgl(&cmd->req);
	cmd->req.sg = NULL;
	cmd->req.sg_cnt = 0;
}

/* The data of a command leaves for the host with its response. */
static bool nvmet_rdma_data_out(struct nvmet_rdma_cmd *cmd)
{
	return cmd->rw_wrs && cmd->rw_dir == DMA_TO_DEVICE &&
	       !(le16_to_cpu(cmd->cqe->status) >> 1);
}

static unsigned int nvmet_rdma_wrs_needed(struct nvmet_rdma_cmd *cmd)
{
	if (cmd->wait_op == NVMET_RDMA_POST_READ)
		return cmd->rw_wrs;
	return 1 + (nvmet_rdma_data_out(cmd) ? cmd->rw_wrs : 0);
}

static bool nvmet_rdma_reserve_wrs(struct nvmet_rdma_queue *queue,
				   unsigned int nr)
{
	if (atomic_sub_return(nr, &queue->sq_wr_avail) >= 0)
		return true;
	atomic_add(nr, &queue->sq_wr_avail);
	return false;
}

static int nvmet_rdma_post_response(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	struct ib_send_wr *first = &cmd->send_wr;

	if (cmd->invalidate) {
		cmd->send_wr.opcode = IB_WR_SEND_WITH_INV;
		cmd->send_wr.ex.invalidate_rkey = cmd->rkey;
	} else {
		cmd->send_wr.opcode = IB_WR_SEND;
	}
	cmd->send_wr.next = NULL;
	ib_dma_sync_single_for_device(queue->ndev->ibdev, cmd->cqe_dma,
				      sizeof(*cmd->cqe), DMA_TO_DEVICE);
	if (nvmet_rdma_data_out(cmd))
		first = rdma_rw_ctx_wrs(&cmd->rw, queue->qp,
					queue->cm_id->port_num, NULL,
					&cmd->send_wr);
	return ib_post_send(queue->qp, first, NULL);
}

/*
 * Post what @cmd has reserved room for.  A failure leaves the queue to
 * its release: the command gives its room back and is dropped.
 */
static void nvmet_rdma_post(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	bool read = cmd->wait_op == NVMET_RDMA_POST_READ;
	int ret;

	if (read)
		ret = rdma_rw_ctx_post(&cmd->rw, queue->qp,
				       queue->cm_id->port_num, &cmd->read_cqe,
				       NULL);
	else
		ret = nvmet_rdma_post_response(cmd);
	if (likely(!ret))
		return;

	nvmet_rdma_err(queue, "cannot post %s: %d\n",
		       read ? "an RDMA READ" : "a response", ret);
	atomic_add(cmd->posted_wrs, &queue->sq_wr_avail);
	cmd->posted_wrs = 0;
	nvmet_rdma_put_data(cmd);
	if (read)
		nvmet_req_uninit(&cmd->req);
	nvmet_rdma_drop_recv(cmd);
	nvmet_rdma_schedule_release(queue);
	wake_up(&queue->idle_wait);
}

/* Post the waiting commands there is room for, in order. */
static void nvmet_rdma_post_waiting(struct nvmet_rdma_queue *queue)
	__must_hold(&queue->wr_lock)
{
	struct nvmet_rdma_cmd *cmd;
	unsigned int nr;

	lockdep_assert_held(&queue->wr_lock);
	while ((cmd = list_first_entry_or_null(&queue->wr_wait_list,
					       struct nvmet_rdma_cmd,
					       wait_entry))) {
		nr = nvmet_rdma_wrs_needed(cmd);
		if (!nvmet_rdma_reserve_wrs(queue, nr))
			break;
		list_del_init(&cmd->wait_entry);
		cmd->posted_wrs = nr;
		nvmet_rdma_post(cmd);
	}
}

/* Post cmd->wait_op now if there is room, else queue it. */
static void nvmet_rdma_post_or_wait(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	unsigned int nr = nvmet_rdma_wrs_needed(cmd);
	unsigned long flags;

	spin_lock_irqsave(&queue->wr_lock, flags);
	if (likely(list_empty(&queue->wr_wait_list)) &&
	    nvmet_rdma_reserve_wrs(queue, nr)) {
		spin_unlock_irqrestore(&queue->wr_lock, flags);
		cmd->posted_wrs = nr;
		nvmet_rdma_post(cmd);
		return;
	}
	list_add_tail(&cmd->wait_entry, &queue->wr_wait_list);
	/* Room may have come back since we looked. */
	nvmet_rdma_post_waiting(queue);
	spin_unlock_irqrestore(&queue->wr_lock, flags);
}

/* Give back the room of @cmd's completed work requests. */
static void nvmet_rdma_release_wrs(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	unsigned long flags;

	spin_lock_irqsave(&queue->wr_lock, flags);
	atomic_add(cmd->posted_wrs, &queue->sq_wr_avail);
	cmd->posted_wrs = 0;
	nvmet_rdma_post_waiting(queue);
	spin_unlock_irqrestore(&queue->wr_lock, flags);
	if (unlikely(READ_ONCE(queue->state) == NVMET_RDMA_Q_DISCONNECTING))
		wake_up(&queue->idle_wait);
}

/**
 * nvmet_rdma_sq_idle() - is no work request of a queue's send queue
 * posted or waiting?
 * @queue: the queue
 *
 * Context: Any context; takes queue->wr_lock.
 * Return: true when idle.
 */
bool nvmet_rdma_sq_idle(struct nvmet_rdma_queue *queue)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&queue->wr_lock, flags);
	idle = list_empty(&queue->wr_wait_list) &&
	       atomic_read(&queue->sq_wr_avail) == queue->sq_wr_max;
	spin_unlock_irqrestore(&queue->wr_lock, flags);
	return idle;
}

/*
 * Take the data description of a command: its transfer length and where
 * the data is.  Return an NVMe status; the command fails with it once the
 * core has it.
 */
static u16 nvmet_rdma_parse_sgl(struct nvmet_rdma_queue *queue,
				struct nvmet_rdma_cmd *cmd, u32 byte_len)
{
	struct nvme_keyed_sgl_desc *ksgl = &cmd->sqe->common.dptr.ksgl;
	struct nvme_sgl_desc *sgl = &cmd->sqe->common.dptr.sgl;
	u32 len, off, avail;

	switch (sgl->type) {
	case NVMET_RDMA_SGL_KEYED_INV:
	case NVMET_RDMA_SGL_KEYED:
		len = get_unaligned_le24(ksgl->length);
		if (len > NVMET_RDMA_MAX_TRANSFER)
			return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
		cmd->remote_addr = le64_to_cpu(ksgl->addr);
		cmd->rkey = get_unaligned_le32(ksgl->key);
		cmd->invalidate = len && sgl->type == NVMET_RDMA_SGL_KEYED_INV;
		cmd->req.transfer_len = len;
		return 0;
	case NVMET_RDMA_SGL_INCAPSULE:
		len = le32_to_cpu(sgl->length);
		off = le64_to_cpu(sgl->addr);
		avail = byte_len - sizeof(struct nvme_command);
		if (!nvme_is_write(cmd->sqe))
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		if (off > queue->inline_max)
			return NVME_SC_SGL_INVALID_OFFSET | NVME_STATUS_DNR;
		if (len > queue->inline_max - off || off + len > avail)
			return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
		cmd->inline_off = off;
		cmd->req.transfer_len = len;
		return 0;
	default:
		return NVME_SC_SGL_INVALID_TYPE | NVME_STATUS_DNR;
	}
}

/* Point req->sg at the in-capsule data. */
static void nvmet_rdma_map_inline(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_recv *recv = cmd->recv;
	struct ib_device *ibdev = recv->ibdev;
	u32 len = cmd->req.transfer_len, off = cmd->inline_off;
	unsigned int pg = off / PAGE_SIZE, nr = 0;
	u32 poff = offset_in_page(off), chunk;

	sg_init_table(cmd->inline_sg, DIV_ROUND_UP(poff + len, PAGE_SIZE));
	while (len) {
		chunk = min_t(u32, len, PAGE_SIZE - poff);
		ib_dma_sync_single_for_cpu(ibdev, recv->sge[1 + pg].addr,
					   PAGE_SIZE, DMA_FROM_DEVICE);
		sg_set_page(&cmd->inline_sg[nr++], recv->inline_pages[pg],
			    chunk, poff);
		len -= chunk;
		poff = 0;
		pg++;
	}
	cmd->inline_data = true;
	cmd->req.sg = cmd->inline_sg;
	cmd->req.sg_cnt = nr;
}

/* Allocate the data buffer of a keyed SGL and map it for RDMA. */
static u16 nvmet_rdma_map_keyed(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	int ret;

	if (nvmet_req_alloc_sgl(&cmd->req))
		return NVME_SC_INTERNAL;
	cmd->rw_dir = nvme_is_write(cmd->sqe) ? DMA_FROM_DEVICE :
						DMA_TO_DEVICE;
	ret = rdma_rw_ctx_init(&cmd->rw, queue->qp, queue->cm_id->port_num,
			       cmd->req.sg, cmd->req.sg_cnt, 0,
			       cmd->remote_addr, cmd->rkey, cmd->rw_dir);
	if (ret <= 0) {
		nvmet_rdma_err(queue, "cannot map %u bytes for RDMA: %d\n",
			       cmd->req.transfer_len, ret);
		nvmet_req_free_sgl(&cmd->req);
		return NVME_SC_INTERNAL;
	}
	cmd->rw_wrs = ret;
	return 0;
}

static void nvmet_rdma_reset_cmd(struct nvmet_rdma_queue *queue,
				 struct nvmet_rdma_cmd *cmd)
{
	cmd->rw_wrs = 0;
	cmd->posted_wrs = 0;
	cmd->invalidate = false;
	cmd->inline_data = false;
	cmd->inline_off = 0;
	cmd->req.sg = NULL;
	cmd->req.sg_cnt = 0;
	cmd->req.transfer_len = 0;
	cmd->req.port = queue->nport;
}

/**
 * nvmet_rdma_handle_cmd() - start the command of a capsule
 * @queue: the queue it came on
 * @cmd: its slot, with the command in cmd->sqe and, for in-capsule data,
 *	 its receive buffer in cmd->recv
 * @byte_len: the capsule's length
 *
 * Context: The queue's CQ (process context).
 */
void nvmet_rdma_handle_cmd(struct nvmet_rdma_queue *queue,
			   struct nvmet_rdma_cmd *cmd, u32 byte_len)
{
	struct nvmet_req *req = &cmd->req;
	u16 status;

	nvmet_rdma_reset_cmd(queue, cmd);
	status = nvmet_rdma_parse_sgl(queue, cmd, byte_len);
	if (status)
		req->transfer_len = 0;
	if (!nvmet_req_init(req, &queue->nvme_cq, &queue->nvme_sq,
			    &nvmet_rdma_ops))
		return;		/* completed by the core, response queued */
	if (!status && req->transfer_len) {
		if (cmd->sqe->common.dptr.sgl.type == NVMET_RDMA_SGL_INCAPSULE)
			nvmet_rdma_map_inline(cmd);
		else
			status = nvmet_rdma_map_keyed(cmd);
	}
	if (status) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		nvmet_req_complete(req, status);
		return;
	}
	if (cmd->rw_wrs && cmd->rw_dir == DMA_FROM_DEVICE) {
		cmd->wait_op = NVMET_RDMA_POST_READ;
		nvmet_rdma_post_or_wait(cmd);
		return;
	}
	req->execute(req);
}

/**
 * nvmet_rdma_recv_done() - a command capsule came in
 * @cq: the queue's CQ
 * @wc: the receive completion
 *
 * Context: The CQ's workqueue (process context).
 */
void nvmet_rdma_recv_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct nvmet_rdma_recv *recv =
		container_of(wc->wr_cqe, struct nvmet_rdma_recv, cqe);
	/* On an SRQ too: the CQ is the one of the QP that took the buffer. */
	struct nvmet_rdma_queue *queue = cq->cq_context;

	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		if (recv->srq)
			nvmet_rdma_srq_repost(recv);
		nvmet_rdma_wc_error(queue, wc, "receive");
		return;
	}
	if (unlikely(wc->byte_len < sizeof(struct nvme_command))) {
		nvmet_rdma_err(queue, "command capsule of %u bytes\n",
			       wc->byte_len);
		if (recv->srq)
			nvmet_rdma_srq_repost(recv);
		nvmet_rdma_schedule_release(queue);
		return;
	}
	if (unlikely(READ_ONCE(queue->state) == NVMET_RDMA_Q_DISCONNECTING)) {
		if (recv->srq)
			nvmet_rdma_srq_repost(recv);
		return;
	}
	ib_dma_sync_single_for_cpu(recv->ibdev, recv->sqe_dma,
				   sizeof(*recv->sqe), DMA_FROM_DEVICE);
	if (recv->srq)
		nvmet_rdma_srq_recv(queue, recv, wc->byte_len);
	else
		nvmet_rdma_handle_cmd(queue, recv->cmd, wc->byte_len);
}

/**
 * nvmet_rdma_read_done() - the data of a write arrived
 * @cq: the queue's CQ
 * @wc: the completion of the last RDMA READ
 *
 * Context: The CQ's workqueue (process context).
 */
void nvmet_rdma_read_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct nvmet_rdma_cmd *cmd =
		container_of(wc->wr_cqe, struct nvmet_rdma_cmd, read_cqe);
	struct nvmet_rdma_queue *queue = cq->cq_context;

	/* Unmapping hands the data over to the CPU. */
	rdma_rw_ctx_destroy(&cmd->rw, queue->qp, queue->cm_id->port_num,
			    cmd->req.sg, cmd->req.sg_cnt, cmd->rw_dir);
	cmd->rw_wrs = 0;
	nvmet_rdma_release_wrs(cmd);
	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		nvmet_rdma_put_data(cmd);
		nvmet_req_uninit(&cmd->req);
		nvmet_rdma_drop_recv(cmd);
		nvmet_rdma_wc_error(queue, wc, "RDMA READ");
		return;
	}
	cmd->req.execute(&cmd->req);
}

/**
 * nvmet_rdma_send_done() - a response went out
 * @cq: the queue's CQ
 * @wc: the completion of the SEND
 *
 * The RDMA WRITEs before it completed too: the slot is free again, and
 * takes the next capsule (its own buffer posted again, or on an SRQ the
 * queue's backlog or free list).
 *
 * Context: The CQ's workqueue (process context).
 */
void nvmet_rdma_send_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct nvmet_rdma_cmd *cmd =
		container_of(wc->wr_cqe, struct nvmet_rdma_cmd, send_cqe);
	struct nvmet_rdma_queue *queue = cq->cq_context;
	int ret;

	nvmet_rdma_put_data(cmd);
	nvmet_rdma_release_wrs(cmd);
	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		nvmet_rdma_wc_error(queue, wc, "SEND");
		return;
	}
	if (unlikely(READ_ONCE(queue->state) == NVMET_RDMA_Q_DISCONNECTING))
		return;
	if (queue->srq) {
		nvmet_rdma_srq_put_slot(cmd);
		return;
	}
	ret = nvmet_rdma_post_recv(cmd->recv);
	if (unlikely(ret)) {
		nvmet_rdma_err(queue, "cannot post a receive: %d\n", ret);
		nvmet_rdma_schedule_release(queue);
	}
}

/**
 * nvmet_rdma_queue_response() - send the data of a read and the response
 * @req: the request the core completed
 *
 * Context: Any context; never sleeps.
 */
void nvmet_rdma_queue_response(struct nvmet_req *req)
{
	struct nvmet_rdma_cmd *cmd = req->fabric_priv;

	/* The command ended: its in-capsule data is no longer needed. */
	if (cmd->queue->srq)
		nvmet_rdma_srq_cmd_done(cmd);
	cmd->wait_op = NVMET_RDMA_POST_RESPONSE;
	nvmet_rdma_post_or_wait(cmd);
}
