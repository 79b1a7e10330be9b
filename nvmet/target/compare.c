// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compare (05h) and Verify (0Ch), in the core over the backend's rw(), so
 * that every backend has them.
 *
 * Both read the range from the backend into a bounce buffer the target
 * allocates, at most NVMET_STAGE_MAX bytes at a time, in stages of
 * stage.c: Compare then compares each with the data the host sent
 * (req->sg), Verify discards it.  A stage reads with a Read command of the
 * core's own, so the backend reads, never writes (Compare's opcode has the
 * data direction of a write).  FUA and Limited Retry are ignored.
 *
 * Protection information (design.md, "Protection information"): a
 * Compare with PRACT 0 on a namespace with PI carries extended LBAs, each
 * block followed by its 8 bytes of PI.  Its stages read extended LBAs
 * too, the stored PI checked by the backend per the Compare's PRCHK
 * against its EILBRT, ELBAT and ELBATM (a failed check is the Compare's
 * status: 282h, 283h, 284h); then the data of each block is compared and
 * the PI is not: with 8 bytes of metadata, all PI, there is no other
 * metadata to compare (the NVM Command Set's rule, as QEMU's controller
 * implements it).  PRACT 1 reads the blocks alone, with the core's guard
 * and reference tag checks.
 *
 * A Verify on a namespace with PI checks the stored PI per its PRCHK
 * against its EILBRT, ELBAT and ELBATM (282h, 283h, 284h), and nothing
 * else: its stages are Verifies of their blocks (stage.c), which the
 * backend reads without the device's own checks, so that PRCHK 0 passes
 * blocks whose PI is wrong but which can be read, as the host asked.
 * PRACT means nothing to a Verify, which transfers no data either way:
 * PRACT 1 and 0 check alike, as a Read with either checks the same PRCHK
 * and differs only in whether the PI goes to the host (NVM Command Set,
 * "Protection Information and Read Commands").  QEMU's controller refuses
 * PRACT 1 with Invalid Protection Information instead; we accept what a
 * Read accepts.  Type 1 with PRCHK ref needs EILBRT to be the SLBA's low
 * 32 bits, as for a Read (io.c: 181h otherwise).
 *
 * Conventions:
 * @req: a Compare or Verify command on an enabled namespace
 * @cv: the state of one such command, for its whole life
 */
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/t10-pi.h>

#include <nvmet/fabric.h>
#include "ctrl.h"
#include "stage.h"

/**
 * struct nvmet_cmpver - a Compare or Verify in flight
 * @st: its stages
 * @slba: first block of the next stage
 * @left: blocks still to read
 * @done: bytes already read and compared
 * @chunk: bytes of the current stage
 * @ebs: bytes a block takes in the host's data and the bounce buffer:
 *	 the block size, or with extended LBAs the block size plus 8
 * @ext: the host's data is extended LBAs (PRACT 0 on a namespace with PI)
 * @verify_pi: a Verify on a namespace with PI: its stored PI checked per
 *	       PRCHK
 * @end: called with the command's status instead of completing it
 *	  (fused Compare and Write), or NULL
 */
struct nvmet_cmpver {
	struct nvmet_stage st;
	u64 slba;
	u64 left;
	u32 done;
	u32 chunk;
	u32 ebs;
	bool ext;
	bool verify_pi;
	void (*end)(struct nvmet_req *req, u16 status);
};

static void nvmet_cmpver_finish(struct nvmet_cmpver *cv, u16 status)
{
	void (*done)(struct nvmet_req *req, u16 status) = cv->end;
	struct nvmet_req *req = cv->st.req;

	nvmet_stage_destroy(&cv->st);
	kfree(cv);
	if (done)
		done(req, status);
	else
		nvmet_req_complete(req, status);
}

/*
 * Is @len bytes of @a equal to the bytes of @b from @off on?  Both hold
 * blocks of @ebs bytes from there on, of which the first @bs are compared
 * and the rest (the PI of extended LBAs) skipped.
 */
static bool nvmet_sg_equal(struct scatterlist *a, unsigned int na,
			   struct scatterlist *b, unsigned int nb,
			   size_t off, size_t len, u32 bs, u32 ebs)
{
	struct sg_mapping_iter ma, mb;
	size_t ia = 0, ib = 0;
	bool equal = true;
	u32 in = 0;

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
		if (in < bs) {
			n = min_t(size_t, n, bs - in);
			equal = !memcmp(ma.addr + ia, mb.addr + ib, n);
		} else {
			n = min_t(size_t, n, ebs - in);
		}
		in = (in + n) % ebs;
		ia += n;
		ib += n;
		len -= n;
	}
	sg_miter_stop(&mb);
	sg_miter_stop(&ma);
	return equal && !len;
}

/* Hand the backend the Read of the next chunk. */
static void nvmet_cmpver_submit(struct nvmet_cmpver *cv)
{
	struct nvmet_ns *ns = cv->st.host_ns;
	u64 nlb = min_t(u64, cv->left, NVMET_STAGE_MAX / cv->ebs);
	u16 control = le16_to_cpu(cv->st.host_cmd->rw.control);
	u16 prchk = control & NVMET_PRCHK_ALL;
	u64 slba = cv->slba;

	/* Before the submission: the stage may end before it returns. */
	cv->chunk = nlb * cv->ebs;
	cv->slba += nlb;
	cv->left -= nlb;
	if (cv->ext)
		nvmet_stage_read_ext(&cv->st, slba, nlb, prchk);
	else if (cv->verify_pi)
		nvmet_stage_verify(&cv->st, slba, nlb, prchk);
	else
		nvmet_stage_submit(&cv->st, ns, nvme_cmd_read, slba, nlb, 0);
}

static void nvmet_cmpver_work(struct work_struct *work)
{
	struct nvmet_cmpver *cv = container_of(work, struct nvmet_cmpver,
					       st.work);
	struct nvmet_stage *st = &cv->st;

	if (st->status) {
		nvmet_cmpver_finish(cv, st->status);
		return;
	}
	if (st->host_sg && !nvmet_sg_equal(st->bounce, st->bounce_cnt,
					   st->host_sg, st->host_sg_cnt,
					   cv->done, cv->chunk,
					   1U << st->host_ns->blksize_shift,
					   cv->ebs)) {
		st->req->error_slba = le64_to_cpu(st->host_cmd->rw.slba);
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
 *	 Compare carries (0 for Verify): its blocks, or with PRACT 0 on a
 *	 namespace with PI (io.c) its extended LBAs
 * @done: called (in process context) with the command's status instead
 *	  of completing @req, or NULL to complete it
 *
 * The stages' Reads are commands of the core's own (stage.c), never
 * fused, whatever the Compare was.
 *
 * Context: Process context; may sleep (allocations).
 * Return: 0 if it started; else the status it failed with, @req neither
 * completed nor @done called.
 */
u16 nvmet_cmpver_start(struct nvmet_req *req,
		       void (*done)(struct nvmet_req *req, u16 status))
{
	u64 nlb = (u64)le16_to_cpu(req->cmd->rw.length) + 1;
	u32 bs = 1U << req->ns->blksize_shift;
	struct nvmet_cmpver *cv;
	bool ext;

	if (req->transfer_len != req->data_len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	/* the parser made it the extended length, or the blocks' */
	ext = req->ns->pi_size &&
	      req->data_len == nlb * (bs + req->ns->pi_size);
	cv = kzalloc(sizeof(*cv), GFP_KERNEL);
	if (!cv)
		return NVME_SC_INTERNAL;
	cv->ext = ext;
	cv->verify_pi = req->cmd->common.opcode == nvme_cmd_verify &&
			(READ_ONCE(req->ns->features) & NVMET_BF_PI);
	cv->ebs = ext ? bs + req->ns->pi_size : bs;
	if (nvmet_stage_init(&cv->st, req, nlb * cv->ebs,
			     nvmet_cmpver_work)) {
		kfree(cv);
		return NVME_SC_INTERNAL;
	}
	/* Verify carries no data: nothing to compare with. */
	if (!req->data_len)
		cv->st.host_sg = NULL;
	cv->slba = le64_to_cpu(req->cmd->rw.slba);
	cv->left = nlb;
	cv->end = done;
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
