// SPDX-License-Identifier: GPL-2.0-only
/*
 * Staged commands over the backend's rw(): the machinery Compare, Verify
 * and Copy share (stage.h says how a stage borrows the request).
 */
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <nvmet/fabric.h>
#include "ctrl.h"
#include "stage.h"

/**
 * nvmet_stage_init() - get a request ready for stages
 * @st: zeroed stage state
 * @req: the command, parsed and its data (if any) in req->sg
 * @bytes: the most bytes any of its stages moves; the bounce buffer is
 *	   that, but at most NVMET_STAGE_MAX
 * @fn: the command's work function, run after each stage
 *
 * Context: Process context; may sleep (allocation).
 * Return: 0 or -ENOMEM.
 */
int nvmet_stage_init(struct nvmet_stage *st, struct nvmet_req *req,
		     u64 bytes, work_func_t fn)
{
	bytes = clamp_t(u64, bytes, 1, NVMET_STAGE_MAX);
	st->bounce = sgl_alloc(bytes, GFP_KERNEL | __GFP_NOWARN,
			       &st->bounce_cnt);
	if (!st->bounce)
		return -ENOMEM;
	st->host_cmd = req->cmd;
	st->host_sg = req->sg;
	st->host_sg_cnt = req->sg_cnt;
	st->host_data_len = req->data_len;
	st->host_ns = req->ns;
	st->req = req;
	INIT_WORK(&st->work, fn);
	return 0;
}

/**
 * nvmet_stage_destroy() - free what nvmet_stage_init() allocated
 * @st: the stage state, with no stage in flight
 *
 * Context: Any context.
 */
void nvmet_stage_destroy(struct nvmet_stage *st)
{
	sgl_free(st->bounce);
	st->bounce = NULL;
}

/* Put the host's command, data and namespace back into the request. */
static void nvmet_stage_restore(struct nvmet_stage *st)
{
	struct nvmet_req *req = st->req;

	req->cmd = st->host_cmd;
	req->sg = st->host_sg;
	req->sg_cnt = st->host_sg_cnt;
	req->data_len = st->host_data_len;
	req->ns = st->host_ns;
}

/**
 * nvmet_stage_queue() - run the command's work function
 * @st: the stage state, with no stage in flight
 *
 * On the host namespace's backend work queue, if it has one: work that
 * waits for a slow device then delays only that namespace.
 *
 * Context: Any context.
 */
void nvmet_stage_queue(struct nvmet_stage *st)
{
	queue_work(st->host_ns->backend_wq ?: system_unbound_wq, &st->work);
}

/* The backend ended a stage: any context, so go on in process context. */
static void nvmet_stage_done(struct nvmet_req *req, u16 status)
{
	struct nvmet_stage *st = container_of(req->cmd, struct nvmet_stage,
					      cmd);

	st->status = status;
	nvmet_stage_restore(st);
	nvmet_stage_queue(st);
}

/**
 * nvmet_stage_submit() - hand the backend one Read or Write of a stage
 * @st: the stage state, with no stage in flight
 * @ns: the namespace to read or write: the host's, or one of its
 *	subsystem that the command holds an I/O reference on
 * @opcode: nvme_cmd_read (into the bounce buffer) or nvme_cmd_write
 *	    (from it)
 * @slba: the first block, inside @ns
 * @nlb: blocks, at most the bounce buffer's worth
 * @control: the Read's or Write's CDW12 bits 31:16 (NVME_RW_FUA...)
 *
 * The work function runs when the backend has completed it, with
 * st->status its status.
 *
 * Context: Process context (the backend's rw() may sleep briefly).
 */
void nvmet_stage_submit(struct nvmet_stage *st, struct nvmet_ns *ns,
			u8 opcode, u64 slba, u32 nlb, u16 control)
{
	struct nvmet_req *req = st->req;

	memset(&st->cmd, 0, sizeof(st->cmd));
	st->cmd.rw.opcode = opcode;
	st->cmd.rw.command_id = st->host_cmd->common.command_id;
	st->cmd.rw.nsid = cpu_to_le32(ns->nsid);
	st->cmd.rw.slba = cpu_to_le64(slba);
	st->cmd.rw.length = cpu_to_le16(nlb - 1);
	st->cmd.rw.control = cpu_to_le16(control);
	st->status = 0;
	req->cmd = &st->cmd;
	req->ns = ns;
	req->sg = st->bounce;
	req->sg_cnt = st->bounce_cnt;
	req->data_len = nlb << ns->blksize_shift;
	req->end_io = nvmet_stage_done;
	ns->backend->rw(req);
}
