// SPDX-License-Identifier: GPL-2.0-only
/*
 * Commands: the blk-mq side (queue_rq, completion, timeout), the work that
 * runs a command in the target, the target's queue_response(), and the
 * Asynchronous Event Request.
 *
 * A request's life: queue_rq() builds the command and queues iod->work;
 * the work maps the request's bios into iod->sgt, calls nvmet_req_init()
 * and req->execute(); the target ends it with queue_response(), which
 * completes the blk-mq request; nvme_loop_complete_rq() frees the
 * scatterlist and hands the request back to nvme-core.
 */
#include <linux/blk-mq.h>
#include <linux/scatterlist.h>

#include <nvmet/compat-blk.h>

#include "nvme-loop.h"

static void nvme_loop_init_iod(struct nvme_loop_iod *iod,
			       struct nvme_loop_queue *queue, work_func_t fn)
{
	iod->queue = queue;
	iod->req.cmd = &iod->cmd;
	iod->req.cqe = &iod->cqe;
	INIT_WORK(&iod->work, fn);
}

/* Map the data of @rq into iod->sgt; none for commands without data. */
static int nvme_loop_map_data(struct nvme_loop_iod *iod, struct request *rq)
{
	unsigned int nsegs = blk_rq_nr_phys_segments(rq);
	int ret;

	memset(&iod->sgt, 0, sizeof(iod->sgt));
	iod->req.transfer_len = 0;
	if (!nsegs)
		return 0;
	iod->sgt.sgl = iod->first_sgl;
	ret = sg_alloc_table_chained(&iod->sgt, nsegs, iod->first_sgl,
				     NVME_INLINE_SG_CNT);
	if (ret) {
		memset(&iod->sgt, 0, sizeof(iod->sgt));
		return ret;
	}
	iod->sgt.nents = nvmet_blk_rq_map_sg(rq, iod->sgt.sgl);
	iod->req.transfer_len = blk_rq_payload_bytes(rq);
	return 0;
}

static void nvme_loop_complete_rq(struct request *rq)
{
	struct nvme_loop_iod *iod = blk_mq_rq_to_pdu(rq);

	if (iod->sgt.orig_nents)
		sg_free_table_chained(&iod->sgt, NVME_INLINE_SG_CNT);
	memset(&iod->sgt, 0, sizeof(iod->sgt));
	nvme_complete_rq(rq);
}

/* Runs a blk-mq request in the target: process context, may sleep. */
static void nvme_loop_execute_work(struct work_struct *work)
{
	struct nvme_loop_iod *iod =
		container_of(work, struct nvme_loop_iod, work);
	struct nvme_loop_queue *queue = iod->queue;
	struct request *rq = blk_mq_rq_from_pdu(iod);

	if (nvme_loop_map_data(iod, rq)) {
		nvme_req(rq)->status = NVME_SC_INTERNAL;
		blk_mq_complete_request(rq);
	} else if (nvmet_req_init(&iod->req, &queue->cq, &queue->sq,
				  &nvme_loop_fabric_ops)) {
		iod->req.sg = iod->sgt.nents ? iod->sgt.sgl : NULL;
		iod->req.sg_cnt = iod->sgt.nents;
		iod->req.execute(&iod->req);
	}
	/* @iod may be reused from here on: only @queue is ours still. */
	nvme_loop_queue_exit(queue);
}

static blk_status_t nvme_loop_queue_rq(struct blk_mq_hw_ctx *hctx,
				       const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct nvme_loop_iod *iod = blk_mq_rq_to_pdu(rq);
	struct nvme_loop_queue *queue = iod->queue;
	struct nvme_ctrl *nctrl = &queue->ctrl->ctrl;
	bool live = test_bit(NVME_LOOP_Q_LIVE, &queue->flags);
	blk_status_t ret;

	if (!nvme_check_ready(nctrl, rq, live))
		return nvme_fail_nonready_command(nctrl, rq);
	ret = nvme_setup_cmd(rq->q->queuedata, rq);
	if (ret)
		return ret;
	iod->cmd.common.flags |= NVME_CMD_SGL_METABUF;
	iod->req.port = queue->ctrl->nport;
	nvme_start_request(rq);
	if (!nvme_loop_queue_enter(queue))
		return nvme_host_path_error(rq);
	queue_work(nvme_loop_wq, &iod->work);
	return BLK_STS_OK;
}

/*
 * A command that stays in the target this long is stuck in a backend.
 * Its data buffer is still the target's, so it cannot be completed here:
 * reset the controller, whose teardown waits for the target.
 */
static enum blk_eh_timer_return nvme_loop_timeout(struct request *rq)
{
	struct nvme_loop_iod *iod = blk_mq_rq_to_pdu(rq);
	struct nvme_loop_queue *queue = iod->queue;
	struct nvme_ctrl *nctrl = &queue->ctrl->ctrl;

	dev_warn(nctrl->device, "queue %u: tag %d (opcode %#x) timed out\n",
		 nvme_loop_qid(queue), rq->tag, iod->cmd.common.opcode);
	if (nvme_ctrl_state(nctrl) == NVME_CTRL_LIVE)
		nvme_reset_ctrl(nctrl);
	return BLK_EH_RESET_TIMER;
}

static int nvme_loop_init_request(struct blk_mq_tag_set *set,
				  struct request *rq, unsigned int hctx_idx,
				  nvmet_numa_node_t numa_node)
{
	struct nvme_loop_ctrl *ctrl = to_loop_ctrl(set->driver_data);
	struct nvme_loop_iod *iod = blk_mq_rq_to_pdu(rq);
	unsigned int qid = set == &ctrl->tag_set ? hctx_idx + 1 : 0;

	if (WARN_ON_ONCE(qid >= ctrl->nr_queues))
		return -EINVAL;
	nvme_req(rq)->ctrl = &ctrl->ctrl;
	nvme_req(rq)->cmd = &iod->cmd;
	nvme_loop_init_iod(iod, &ctrl->queues[qid], nvme_loop_execute_work);
	return 0;
}

/* Both tag sets: init_request() tells the admin one from the I/O one. */
const struct blk_mq_ops nvme_loop_mq_ops = {
	.queue_rq	= nvme_loop_queue_rq,
	.complete	= nvme_loop_complete_rq,
	.init_request	= nvme_loop_init_request,
	.timeout	= nvme_loop_timeout,
};

/**
 * nvme_loop_queue_response() - the target completed a command
 * @req: the command, in a struct nvme_loop_iod
 *
 * The fabric's queue_response(): completes the blk-mq request, or hands
 * the Asynchronous Event Request's completion to nvme-core.
 *
 * Context: Any context, even bio completion.
 */
void nvme_loop_queue_response(struct nvmet_req *req)
{
	struct nvme_loop_iod *iod = container_of(req, struct nvme_loop_iod, req);
	struct nvme_loop_ctrl *ctrl = iod->queue->ctrl;
	struct request *rq;

	if (unlikely(iod == &ctrl->async_iod)) {
		nvme_complete_async_event(&ctrl->ctrl, iod->cqe.status,
					  &iod->cqe.result);
		return;
	}
	rq = blk_mq_rq_from_pdu(iod);
	if (!nvme_try_complete_req(rq, iod->cqe.status, iod->cqe.result))
		nvme_loop_complete_rq(rq);
}

/* Runs the Asynchronous Event Request in the target. */
static void nvme_loop_async_work(struct work_struct *work)
{
	struct nvme_loop_iod *iod =
		container_of(work, struct nvme_loop_iod, work);
	struct nvme_loop_queue *queue = iod->queue;

	iod->req.transfer_len = 0;
	if (nvmet_req_init(&iod->req, &queue->cq, &queue->sq,
			   &nvme_loop_fabric_ops))
		iod->req.execute(&iod->req);
	nvme_loop_queue_exit(queue);
}

/**
 * nvme_loop_init_async_iod() - prepare the Asynchronous Event Request
 * @ctrl: the controller, whose queues are allocated
 *
 * Context: Any context.
 */
void nvme_loop_init_async_iod(struct nvme_loop_ctrl *ctrl)
{
	nvme_loop_init_iod(&ctrl->async_iod, &ctrl->queues[0],
			   nvme_loop_async_work);
}

/**
 * nvme_loop_submit_async_event() - send an Asynchronous Event Request
 * @nctrl: the controller
 *
 * nvme-core's submit_async_event(): at most one is outstanding, and it
 * sends the next one after the previous one completed.  Nothing is sent
 * while the admin queue is not live.
 *
 * Context: Process context (nvme-core's async_event_work).
 */
void nvme_loop_submit_async_event(struct nvme_ctrl *nctrl)
{
	struct nvme_loop_ctrl *ctrl = to_loop_ctrl(nctrl);
	struct nvme_loop_iod *iod = &ctrl->async_iod;
	struct nvme_loop_queue *queue = &ctrl->queues[0];

	if (!test_bit(NVME_LOOP_Q_LIVE, &queue->flags) ||
	    !nvme_loop_queue_enter(queue))
		return;
	memset(&iod->cmd, 0, sizeof(iod->cmd));
	iod->cmd.common.opcode = nvme_admin_async_event;
	iod->cmd.common.command_id = NVME_AQ_BLK_MQ_DEPTH;
	iod->cmd.common.flags = NVME_CMD_SGL_METABUF;
	iod->req.port = ctrl->nport;
	queue_work(nvme_loop_wq, &iod->work);
}
