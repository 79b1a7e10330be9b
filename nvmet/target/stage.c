// SPDX-License-Identifier: GPL-2.0-only
/*
 * Staged commands over the backend's rw(): the machinery Compare, Verify
 * and Copy share (stage.h says how a stage borrows the request).
 */
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/t10-pi.h>

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

/* Point the request at a Read or Write of the stage's own. */
static void nvmet_stage_prep(struct nvmet_stage *st, struct nvmet_ns *ns,
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
	nvmet_stage_prep(st, ns, opcode, slba, nlb, control);
	ns->backend->rw(st->req);
}

/**
 * nvmet_stage_submit_pi() - hand the backend one Read or Write of a stage
 *			     with protection information
 * @st: the stage state, with no stage in flight
 * @ns: the namespace to read or write, as for nvmet_stage_submit(); one
 *	with PI
 * @opcode: nvme_cmd_read or nvme_cmd_write
 * @slba: the first block, inside @ns
 * @nlb: blocks, at most the bounce buffer's worth
 * @control: the command's CDW12 bits 31:16: PRINFO (PRACT, PRCHK), FUA
 * @ref: the (expected) initial logical block reference tag: its CDW14,
 *	 with the 64-bit guard (48 bits) the upper 16 bits in CDW3
 * @tags: its CDW15, the (expected) application tag and its mask
 *
 * With PRACT clear the transfer is extended LBAs, each block followed by
 * its PI (8 or 16 bytes, ns->pi_size) in the bounce buffer, which a backend with PI
 * (bdev_pi.c) serves as a host's PRACT 0 Read or Write: the PI checked per
 * the PRCHK bits, read back or written.  With PRACT set it is the blocks
 * alone: the PI checked and stripped, or generated.
 *
 * Context: Process context (the backend's rw() may sleep briefly).
 */
void nvmet_stage_submit_pi(struct nvmet_stage *st, struct nvmet_ns *ns,
			   u8 opcode, u64 slba, u32 nlb, u16 control, u64 ref,
			   u32 tags)
{
	nvmet_stage_prep(st, ns, opcode, slba, nlb, control);
	st->cmd.common.cdw14 = cpu_to_le32(lower_32_bits(ref));
	if (nvmet_ns_pi64(ns))
		st->cmd.rw.cdw3 = cpu_to_le32(upper_32_bits(ref) & 0xffff);
	st->cmd.common.cdw15 = cpu_to_le32(tags);
	if (!(control & NVME_RW_PRINFO_PRACT))
		st->req->data_len += nlb * ns->pi_size;
	ns->backend->rw(st->req);
}

/**
 * nvmet_stage_read_ext() - read blocks of the host's namespace with their
 *			    protection information, in extended LBAs
 * @st: the stage state, with no stage in flight
 * @slba: the first block
 * @nlb: blocks; each takes its size and its PI of the bounce buffer
 * @prchk: the NVME_RW_PRINFO_PRCHK_* bits the backend checks the stored
 *	   PI with
 *
 * A Read with PRACT clear and the host command's EILBRT, ELBAT and ELBATM
 * (CDW14, CDW15): nvmet_stage_submit_pi().
 *
 * Context: Process context (the backend's rw() may sleep briefly).
 */
void nvmet_stage_read_ext(struct nvmet_stage *st, u64 slba, u32 nlb,
			  u16 prchk)
{
	nvmet_stage_submit_pi(st, st->host_ns, nvme_cmd_read, slba, nlb, prchk,
			      nvmet_pi_cmd_ref(st->host_ns, st->host_cmd),
			      le32_to_cpu(st->host_cmd->common.cdw15));
}

/**
 * nvmet_stage_verify() - read blocks of the host's namespace for a Verify
 *			  with protection information
 * @st: the stage state, with no stage in flight
 * @slba: the first block
 * @nlb: blocks, read into the bounce buffer without their PI
 * @prchk: the NVME_RW_PRINFO_PRCHK_* bits the backend checks the stored
 *	   PI with
 *
 * The stage's command is a Verify of the blocks with PRACT clear and the
 * host command's EILBRT, ELBAT and ELBATM, its transfer the blocks: the
 * opcode tells a backend with PI (bdev_pi.c) to check the stored PI per
 * @prchk alone, without the device's own checks.  Any backend reads it
 * as a Read (a Verify's data direction is none, never a write's).
 *
 * Context: Process context (the backend's rw() may sleep briefly).
 */
void nvmet_stage_verify(struct nvmet_stage *st, u64 slba, u32 nlb, u16 prchk)
{
	nvmet_stage_prep(st, st->host_ns, nvme_cmd_verify, slba, nlb, prchk);
	st->cmd.common.cdw14 = st->host_cmd->common.cdw14;
	st->cmd.rw.cdw3 = st->host_cmd->rw.cdw3;
	st->cmd.common.cdw15 = st->host_cmd->common.cdw15;
	st->host_ns->backend->rw(st->req);
}
