// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compare (05h) and Verify (0Ch), in the core over the backend's rw(), so
 * that every backend has them.
 *
 * Both read the range from the backend into a bounce buffer the target
 * allocates, at most NVMET_CMPVER_CHUNK bytes at a time: Compare then
 * compares it with the data the host sent (req->sg), Verify discards it.
 * A read stage borrows the request: req->cmd points to a Read command of
 * our own (so the backend reads, never writes: Compare's opcode has the
 * data direction of a write), req->sg to the bounce buffer, and
 * req->end_io catches the backend's nvmet_req_complete().  Between the
 * stages, in the chunk's work item, the host's command and data are back
 * in place; the request completes once, with them.  PRINFO is ignored (no
 * protection information yet), as are FUA and Limited Retry.
 *
 * Conventions:
 * @req: a Compare or Verify command on an enabled namespace
 * @cv: the state of one such command, for its whole life
 */
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <nvmet/fabric.h>
#include "ctrl.h"

/* Most bytes read from the backend in one stage. */
#define NVMET_CMPVER_CHUNK	SZ_128K
/* A stage's Read is no fused command, whatever the Compare was. */
#define NVMET_CMPVER_FUSE	(NVME_CMD_FUSE_FIRST | NVME_CMD_FUSE_SECOND)

/**
 * struct nvmet_cmpver - a Compare or Verify in flight
 * @cmd: the Read of the current stage; req->cmd points here during it
 * @host_cmd: the command the host sent
 * @host_sg: the host's data (Compare), or NULL (Verify)
 * @host_sg_cnt: entries in @host_sg
 * @host_data_len: req->data_len as parsed
 * @bounce: what the backend reads into
 * @bounce_cnt: entries in @bounce
 * @slba: first block of the next stage
 * @left: blocks still to read
 * @done: bytes already read and compared
 * @chunk: bytes of the current stage
 * @status: the status of the stage that just ended
 * @end: called with the command's status instead of completing it
 *	  (fused Compare and Write), or NULL
 * @work: runs between stages, in process context
 * @req: the request
 */
struct nvmet_cmpver {
	struct nvme_command cmd;
	struct nvme_command *host_cmd;
	struct scatterlist *host_sg;
	unsigned int host_sg_cnt;
	u32 host_data_len;
	struct scatterlist *bounce;
	unsigned int bounce_cnt;
	u64 slba;
	u64 left;
	u32 done;
	u32 chunk;
	u16 status;
	void (*end)(struct nvmet_req *req, u16 status);
	struct work_struct work;
	struct nvmet_req *req;
};

/* Put the host's command and data back into @req. */
static void nvmet_cmpver_restore(struct nvmet_cmpver *cv)
{
	struct nvmet_req *req = cv->req;

	req->cmd = cv->host_cmd;
	req->sg = cv->host_sg;
	req->sg_cnt = cv->host_sg_cnt;
	req->data_len = cv->host_data_len;
}

static void nvmet_cmpver_finish(struct nvmet_cmpver *cv, u16 status)
{
	void (*done)(struct nvmet_req *req, u16 status) = cv->end;
	struct nvmet_req *req = cv->req;

	sgl_free(cv->bounce);
	kfree(cv);
	if (done)
		done(req, status);
	else
		nvmet_req_complete(req, status);
}

/* Is @len bytes of @a equal to the bytes of @b from @off on? */
static bool nvmet_sg_equal(struct scatterlist *a, unsigned int na,
			   struct scatterlist *b, unsigned int nb,
			   size_t off, size_t len)
{
	struct sg_mapping_iter ma, mb;
	size_t ia = 0, ib = 0;
	bool equal = true;

	sg_miter_start(&ma, a, na, SG_MITER_FROM_SG);
	sg_miter_start(&mb, b, nb, SG_MITER_FROM_SG);
	if (!sg_miter_skip(&mb, off))
		equal = false;
	while (equal && len) {
		size_t n;

		if (ia == ma.length) {
			if (!sg_miter_next(&ma))
				break;
			ia = 0;
		}
		if (ib == mb.length) {
			if (!sg_miter_next(&mb))
				break;
			ib = 0;
		}
		n = min3(len, ma.length - ia, mb.length - ib);
		equal = !memcmp(ma.addr + ia, mb.addr + ib, n);
		ia += n;
		ib += n;
		len -= n;
	}
	sg_miter_stop(&mb);
	sg_miter_stop(&ma);
	return equal && !len;
}

/* The backend ended a stage: any context, so go on in process context. */
static void nvmet_cmpver_stage_done(struct nvmet_req *req, u16 status)
{
	struct nvmet_cmpver *cv = container_of(req->cmd, struct nvmet_cmpver,
					       cmd);

	cv->status = status;
	nvmet_cmpver_restore(cv);
	queue_work(req->ns->backend_wq ?: system_unbound_wq, &cv->work);
}

/* Hand the backend the Read of the next chunk. */
static void nvmet_cmpver_submit(struct nvmet_cmpver *cv)
{
	struct nvmet_req *req = cv->req;
	u8 shift = req->ns->blksize_shift;
	u64 nlb = min_t(u64, cv->left, NVMET_CMPVER_CHUNK >> shift);

	cv->chunk = nlb << shift;
	cv->cmd.rw.slba = cpu_to_le64(cv->slba);
	cv->cmd.rw.length = cpu_to_le16(nlb - 1);
	cv->slba += nlb;
	cv->left -= nlb;
	req->cmd = &cv->cmd;
	req->sg = cv->bounce;
	req->sg_cnt = cv->bounce_cnt;
	req->data_len = cv->chunk;
	req->end_io = nvmet_cmpver_stage_done;
	req->ns->backend->rw(req);
}

static void nvmet_cmpver_work(struct work_struct *work)
{
	struct nvmet_cmpver *cv = container_of(work, struct nvmet_cmpver,
					       work);
	struct nvmet_req *req = cv->req;

	if (cv->status) {
		nvmet_cmpver_finish(cv, cv->status);
		return;
	}
	if (cv->host_sg && !nvmet_sg_equal(cv->bounce, cv->bounce_cnt,
					   cv->host_sg, cv->host_sg_cnt,
					   cv->done, cv->chunk)) {
		req->error_slba = le64_to_cpu(cv->host_cmd->rw.slba);
		nvmet_cmpver_finish(cv, NVME_SC_COMPARE_FAILED |
				    NVME_STATUS_DNR);
		return;
	}
	cv->done += cv->chunk;
	if (!cv->left) {
		nvmet_cmpver_finish(cv, NVME_SC_SUCCESS);
		return;
	}
	nvmet_cmpver_submit(cv);
}

/**
 * nvmet_cmpver_start() - start a Compare or Verify
 * @req: the command, parsed: its range checked, req->data_len the bytes
 *	 Compare carries (0 for Verify)
 * @done: called (in process context) with the command's status instead
 *	  of completing @req, or NULL to complete it
 *
 * Context: Process context; may sleep (allocations).
 * Return: 0 if it started; else the status it failed with, @req neither
 * completed nor @done called.
 */
u16 nvmet_cmpver_start(struct nvmet_req *req,
		       void (*done)(struct nvmet_req *req, u16 status))
{
	u64 nlb = (u64)le16_to_cpu(req->cmd->rw.length) + 1;
	struct nvmet_cmpver *cv;
	u64 bytes;

	if (req->transfer_len != req->data_len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	cv = kzalloc(sizeof(*cv), GFP_KERNEL);
	if (!cv)
		return NVME_SC_INTERNAL;
	bytes = min_t(u64, nlb << req->ns->blksize_shift, NVMET_CMPVER_CHUNK);
	cv->bounce = sgl_alloc(bytes, GFP_KERNEL | __GFP_NOWARN,
			       &cv->bounce_cnt);
	if (!cv->bounce) {
		kfree(cv);
		return NVME_SC_INTERNAL;
	}
	cv->cmd = *req->cmd;
	cv->cmd.rw.opcode = nvme_cmd_read;
	cv->cmd.rw.flags &= ~NVMET_CMPVER_FUSE;
	cv->cmd.rw.control = 0;
	cv->cmd.rw.dsmgmt = 0;
	cv->host_cmd = req->cmd;
	cv->host_sg = req->data_len ? req->sg : NULL;
	cv->host_sg_cnt = req->sg_cnt;
	cv->host_data_len = req->data_len;
	cv->slba = le64_to_cpu(req->cmd->rw.slba);
	cv->left = nlb;
	cv->end = done;
	cv->req = req;
	INIT_WORK(&cv->work, nvmet_cmpver_work);
	nvmet_cmpver_submit(cv);
	return 0;
}

/**
 * nvmet_execute_cmpver() - run a Compare or Verify
 * @req: the command, parsed: its range checked, req->data_len the bytes
 *	 Compare carries (0 for Verify)
 *
 * Context: Process context; may sleep (allocations).
 */
void nvmet_execute_cmpver(struct nvmet_req *req)
{
	u16 status = nvmet_cmpver_start(req, NULL);

	if (status)
		nvmet_req_complete(req, status);
}
