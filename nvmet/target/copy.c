// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copy (19h), source range descriptor formats 0h to 3h: blocks of a
 * namespace (0h, 1h) or of other namespaces of the subsystem that the
 * host sees (2h, 3h: a Source NSID in each descriptor, once the host
 * enabled the format in Host Behavior Support) copied to one destination
 * range of the command's namespace, in the target, never through the
 * host.
 *
 * The host's ranges (at most NVMET_COPY_MAX_RANGES, the descriptors at
 * most 5 KiB) are read and checked whole before anything is written: a
 * range longer than MSSRL, more blocks than MCL or more ranges than MSRC
 * allow is Command Size Limit Exceeded, a source range or the destination
 * past the end is LBA Out of Range.  Then the ranges are copied one after
 * the other, in order, to consecutive blocks from SDLBA on: by the
 * backend's copy() (a file system's copy_file_range or reflink, a LIO
 * backstore's EXTENDED COPY) where it has one and the range does not
 * overlap its destination, otherwise in stages of stage.c, each a Read
 * into the command's bounce buffer (at most NVMET_STAGE_MAX bytes) and a
 * Write from it.  A range that
 * overlaps its destination is staged from its end when the destination
 * lies after it, so each range is copied as if read whole before written
 * (memmove); a later range reads what earlier ones wrote.  The memory a
 * command holds is its range list and one bounce buffer, whatever the
 * length it asks for.
 *
 * A source namespace other than the command's is held (an I/O reference)
 * from the parse to the completion; it must have the destination's block
 * size (else Incompatible Namespace or Format), be reachable through the
 * port (ANA) and readable under its reservation (checked once, at the
 * parse).
 *
 * Protection information (design.md, "Copy"): on a namespace with PI
 * (NVMET_BF_PI when the copy begins) every range is staged, never
 * offloaded.  Each stage reads the source blocks with the stored PI
 * checked per PRINFOR's PRCHK against the descriptor's ELBT, ELBAT and
 * ELBATM, and writes them per PRINFOW: PRACT 1 (both PRACTs must be
 * alike, else Invalid Field) reads the blocks alone and has the backend
 * generate the destination's PI, LBAT the application tag; PRACT 0 reads
 * extended LBAs, each block's PI after it, keeps each block's guard and
 * application tag, and writes them checked per PRINFOW's PRCHK against
 * ILBRT, LBAT and LBATM.  Either way a type 1 reference tag is the
 * destination's LBA (type 3: ILBRT with PRACT 1, the source's with
 * PRACT 0), so the blocks read back with valid PI at their new LBAs.
 * Type 1 with PRCHK ref needs ELBT to be the range's SLBA and ILBRT
 * SDLBA (low 32 bits; else Invalid Protection Information), as for reads
 * and writes.  Without PI, PRINFOR, PRINFOW and the tags are ignored.
 *
 * Not done: Source Options (SOPT) and format 4h, directives and Limited
 * Retry.  FUA makes the writes durable.  A failure leaves the ranges before it copied;
 * Dword 0 of the completion then names the first range not copied.
 *
 * Conventions:
 * @req: a Copy command on an enabled namespace
 * @cp: the state of one such command, for its whole life
 */
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/t10-pi.h>

#include <nvmet/backend.h>
#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include "ctrl.h"
#include "nvme21.h"
#include "pr.h"
#include "stage.h"

/*
 * The limits every namespace reports.  128 ranges keep the descriptor
 * list at 5 KiB; 16 MiB per command (MCL, and MSSRL within its 16 bits)
 * keep one command at 128 bounce stages, done well inside a host's I/O
 * timeout even on slow storage: a host copies more with more commands.
 */
#define NVMET_COPY_MAX_RANGES	128
#define NVMET_COPY_MAX_BYTES	SZ_16M

/**
 * struct nvmet_copy_range - one source range
 * @ns: its namespace: the command's, or another held by the command
 * @slba: its first block
 * @nlb: its blocks (a count, not 0's based)
 * @snsid: the descriptor's Source NSID (formats 2h and 3h)
 * @ref: its ELBT, the expected reference tag of its first block (PI)
 * @tags: its ELBAT (bits 15:0) and ELBATM (31:16), a read's CDW15 (PI)
 */
struct nvmet_copy_range {
	struct nvmet_ns *ns;
	u64 slba;
	u32 nlb;
	u32 snsid;
	u32 ref;
	u32 tags;
};

/**
 * struct nvmet_copy - a Copy in flight
 * @st: its stages
 * @dlba: where the range being copied goes
 * @from: first block the current stage reads
 * @to: first block the current stage writes
 * @idx: the range being copied
 * @done: its blocks already copied
 * @chunk: blocks of the current stage, 0 between ranges
 * @writing: the current stage is the Write
 * @control: the Writes' CDW12 bits 31:16 (FUA)
 * @pi: the namespace has PI: the stages carry it
 * @prinfor: PRINFOR as a Read's CDW12 bits 31:16 (NVME_RW_PRINFO_*)
 * @prinfow: PRINFOW, the same way
 * @ebs: bytes a block takes in the bounce buffer: with PI and PRACT 0
 *	 the block and its PI, else the block
 * @nr: number of ranges
 * @ranges: the ranges, as the host listed them
 */
struct nvmet_copy {
	struct nvmet_stage st;
	u64 dlba;
	u64 from;
	u64 to;
	u32 idx;
	u32 done;
	u32 chunk;
	bool writing;
	u16 control;
	bool pi;
	u16 prinfor;
	u16 prinfow;
	u32 ebs;
	u32 nr;
	struct nvmet_copy_range ranges[];
};

static u32 nvmet_copy_mssrl(struct nvmet_ns *ns)
{
	return min_t(u32, NVMET_COPY_MAX_BYTES >> ns->blksize_shift, U16_MAX);
}

static u32 nvmet_copy_mcl(struct nvmet_ns *ns)
{
	return NVMET_COPY_MAX_BYTES >> ns->blksize_shift;
}

/**
 * nvmet_copy_id_ns() - the Copy limits of Identify Namespace
 * @ns: an enabled namespace the caller holds an I/O reference on
 * @id: its Identify Namespace data, zeroed where Copy has fields
 *
 * MSSRL, MCL and MSRC while NVMET_BF_COPY is on, zero while it is off.
 *
 * Context: Any context.
 */
void nvmet_copy_id_ns(struct nvmet_ns *ns, struct nvme_id_ns *id)
{
	u8 *p = (u8 *)id;

	BUILD_BUG_ON(offsetof(struct nvme_id_ns, anagrpid) !=
		     NVMET_ID_NS_ANAGRPID_OFF);
	if (!(READ_ONCE(ns->features) & NVMET_BF_COPY))
		return;
	put_unaligned_le16(nvmet_copy_mssrl(ns), p + NVMET_ID_NS_MSSRL_OFF);
	put_unaligned_le32(nvmet_copy_mcl(ns), p + NVMET_ID_NS_MCL_OFF);
	p[NVMET_ID_NS_MSRC_OFF] = NVMET_COPY_MAX_RANGES - 1;
}

/**
 * nvmet_copy_parse() - check a Copy's CDW12 and size its data
 * @req: the command, on a namespace with NVMET_BF_COPY on
 *
 * Context: Any context.
 * Return: 0, or Invalid Field for a descriptor format other than 0h to
 * 3h or one the host did not enable, Command Size Limit Exceeded for more
 * ranges than MSRC allows.
 */
u16 nvmet_copy_parse(struct nvmet_req *req)
{
	u32 cdw12 = le32_to_cpu(req->cmd->common.cdw12);
	u32 nr = (cdw12 & NVMET_COPY_NR_MASK) + 1;
	u32 fmt = (cdw12 >> NVMET_COPY_DESFMT_SHIFT) & NVMET_COPY_DESFMT_MASK;
	u32 size;

	switch (fmt) {
	case NVMET_COPY_FMT0:
		size = NVMET_COPY_DESC0_SIZE;
		break;
	case NVMET_COPY_FMT1:
		size = NVMET_COPY_DESC1_SIZE;
		break;
	case NVMET_COPY_FMT2:
	case NVMET_COPY_FMT3:
		if (!(READ_ONCE(req->sq->ctrl->hbs_cdfe) & BIT(fmt))) {
			req->error_loc = offsetof(struct nvme_common_command,
						  cdw12);
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		}
		size = fmt == NVMET_COPY_FMT2 ? NVMET_COPY_DESC2_SIZE :
						NVMET_COPY_DESC3_SIZE;
		break;
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw12);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (nr > NVMET_COPY_MAX_RANGES) {
		req->error_loc = offsetof(struct nvme_common_command, cdw12);
		return NVMET_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR;
	}
	req->data_len = nr * size;
	req->execute = nvmet_execute_copy;
	return 0;
}

/* Is [slba, slba + nlb) inside the namespace? */
static bool nvmet_copy_in_ns(struct nvmet_ns *ns, u64 slba, u64 nlb)
{
	u64 nsze = READ_ONCE(ns->size) >> ns->blksize_shift;

	return slba < nsze && nlb <= nsze - slba;
}

/*
 * The namespace of a format 2h or 3h descriptor's Source NSID, held, or
 * NULL with *status set: a namespace the host does not see is Invalid
 * Namespace or Format, one of another block size or PI (the bit, type or
 * format: ns->pi_size) Incompatible Namespace or Format; then ANA and the
 * reservation's read rules.
 */
static struct nvmet_ns *nvmet_copy_source(struct nvmet_req *req, u32 snsid,
					  u16 *status)
{
	struct nvmet_ns *ns;

	if (snsid == req->ns->nsid)
		return req->ns;
	ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, snsid);
	if (!ns) {
		*status = NVME_SC_INVALID_NS | NVME_STATUS_DNR;
		return NULL;
	}
	if (ns->blksize_shift != req->ns->blksize_shift ||
	    ((READ_ONCE(ns->features) ^ READ_ONCE(req->ns->features)) &
	     NVMET_BF_PI) || ns->pi_type != req->ns->pi_type ||
	    ns->pi_size != req->ns->pi_size)
		*status = NVMET_SC_INCOMPAT_NS | NVME_STATUS_DNR;
	else
		*status = nvmet_ns_ana_status(req, ns);
	if (!*status)
		*status = nvmet_pr_check_read(req, ns);
	if (*status) {
		nvmet_ns_io_put(ns);
		return NULL;
	}
	return ns;
}

/* The PI tags of the descriptor at byte @off, of format @fmt, into @r. */
static u16 nvmet_copy_read_tags(struct nvmet_req *req, u32 off, u32 fmt,
				struct nvmet_copy_range *r)
{
	bool f1 = fmt == NVMET_COPY_FMT1 || fmt == NVMET_COPY_FMT3;
	u8 t[8];
	u16 status;

	status = nvmet_copy_from_sgl(req, off + (f1 ? NVMET_COPY_DESC1_ELBT :
						     NVMET_COPY_DESC0_ELBT),
				     t, sizeof(t));
	if (status)
		return status;
	r->ref = f1 ? get_unaligned_be32(t) : get_unaligned_le32(t);
	r->tags = get_unaligned_le32(t + 4);
	return 0;
}

/* Read the host's descriptors into @cp and check them all. */
static u16 nvmet_copy_read_ranges(struct nvmet_req *req,
				  struct nvmet_copy *cp, u32 fmt)
{
	u32 size = req->data_len / cp->nr, i;
	struct nvmet_ns *ns = req->ns;
	struct nvmet_copy_range *r;
	struct nvmet_copy_desc d;
	u64 total = 0;
	u16 status;

	for (i = 0; i < cp->nr; i++) {
		r = &cp->ranges[i];
		status = nvmet_copy_from_sgl(req, i * size, &d, sizeof(d));
		if (status)
			return status;
		r->slba = le64_to_cpu(d.slba);
		r->nlb = (u32)le16_to_cpu(d.nlb) + 1;
		r->snsid = le32_to_cpu(d.snsid);
		if (cp->pi) {
			status = nvmet_copy_read_tags(req, i * size, fmt, r);
			if (status)
				return status;
		}
		total += r->nlb;
		if (r->nlb > nvmet_copy_mssrl(ns) ||
		    total > nvmet_copy_mcl(ns))
			return NVMET_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR;
	}
	for (i = 0; i < cp->nr; i++) {
		r = &cp->ranges[i];
		if (fmt == NVMET_COPY_FMT2 || fmt == NVMET_COPY_FMT3) {
			r->ns = nvmet_copy_source(req, r->snsid, &status);
			if (!r->ns)
				return status;
		} else {
			r->ns = ns;
		}
		if (!nvmet_copy_in_ns(r->ns, r->slba, r->nlb)) {
			req->error_slba = r->slba;
			return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
		}
		if (cp->pi && nvmet_ns_pi_ref_invalid(ns, cp->prinfor,
						      r->slba, r->ref)) {
			req->error_slba = r->slba;
			return NVME_SC_INVALID_PI | NVME_STATUS_DNR;
		}
	}
	if (!nvmet_copy_in_ns(ns, cp->dlba, total)) {
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		req->error_slba = cp->dlba;
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	}
	return 0;
}

/* Free @cp and the source namespaces it holds. */
static void nvmet_copy_free(struct nvmet_copy *cp, struct nvmet_ns *ns)
{
	u32 i;

	for (i = 0; i < cp->nr; i++)
		if (cp->ranges[i].ns && cp->ranges[i].ns != ns)
			nvmet_ns_io_put(cp->ranges[i].ns);
	kfree(cp);
}

static void nvmet_copy_finish(struct nvmet_copy *cp, u16 status)
{
	struct nvmet_req *req = cp->st.req;

	if (status)
		req->cqe->result.u32 = cpu_to_le32(cp->idx);
	nvmet_stage_destroy(&cp->st);
	nvmet_copy_free(cp, req->ns);
	nvmet_req_complete(req, status);
}

/* Does range @r overlap its destination @dlba of namespace @ns? */
static bool nvmet_copy_overlaps(struct nvmet_copy_range *r,
				struct nvmet_ns *ns, u64 dlba)
{
	return r->ns == ns && r->slba < dlba + r->nlb &&
	       dlba < r->slba + r->nlb;
}

/* Let the backend copy range @r whole; false: stage it instead. */
static bool nvmet_copy_offload(struct nvmet_copy *cp,
			       struct nvmet_copy_range *r, u16 *status)
{
	struct nvmet_ns *ns = cp->st.host_ns;
	u8 shift = ns->blksize_shift;
	int ret;

	if (cp->pi || !ns->backend->copy || r->ns->backend != ns->backend ||
	    nvmet_copy_overlaps(r, ns, cp->dlba))
		return false;
	ret = ns->backend->copy(cp->st.req, ns, cp->dlba << shift, r->ns,
				r->slba << shift, (u64)r->nlb << shift,
				cp->control & NVME_RW_FUA);
	if (ret == -EOPNOTSUPP)
		return false;
	*status = ret ? nvmet_errno_to_status(cp->st.req, ret) : 0;
	return true;
}

/*
 * The reference tag a stage's Read or Write at @lba of @ns names: type 1
 * its LBA (the checks and the device want that, and a PRACT 1 seed is
 * remapped to it anyway), type 3 @ref, every block's.
 */
static u32 nvmet_copy_ref(struct nvmet_ns *ns, u64 lba, u32 ref)
{
	return ns->pi_type == NVME_NS_DPS_PI_TYPE1 ? lower_32_bits(lba) : ref;
}

/* Start the Read of the next stage of range @r. */
static void nvmet_copy_stage(struct nvmet_copy *cp, struct nvmet_copy_range *r)
{
	struct nvmet_ns *ns = cp->st.host_ns;
	u32 off;

	cp->chunk = min_t(u32, r->nlb - cp->done, NVMET_STAGE_MAX / cp->ebs);
	off = cp->done;
	/* Overlapping a destination after it: from the end, as memmove. */
	if (cp->dlba > r->slba && nvmet_copy_overlaps(r, ns, cp->dlba))
		off = r->nlb - cp->done - cp->chunk;
	cp->from = r->slba + off;
	cp->to = cp->dlba + off;
	cp->writing = false;
	if (cp->pi)
		nvmet_stage_submit_pi(&cp->st, r->ns, nvme_cmd_read, cp->from,
				      cp->chunk, cp->prinfor,
				      nvmet_copy_ref(r->ns, cp->from, r->ref),
				      r->tags);
	else
		nvmet_stage_submit(&cp->st, r->ns, nvme_cmd_read, cp->from,
				   cp->chunk, 0);
}

/*
 * Give the extended LBAs of a PRACT 0 stage read (@cp->chunk blocks in
 * the bounce buffer) the reference tags of their destination, type 1.
 */
static void nvmet_copy_retag(struct nvmet_copy *cp)
{
	u32 bs = 1U << cp->st.host_ns->blksize_shift, i;
	__be32 ref;

	if (cp->st.host_ns->pi_type != NVME_NS_DPS_PI_TYPE1)
		return;
	for (i = 0; i < cp->chunk; i++) {
		ref = cpu_to_be32(lower_32_bits(cp->to + i));
		sg_pcopy_from_buffer(cp->st.bounce, cp->st.bounce_cnt, &ref,
				     sizeof(ref), (size_t)i * cp->ebs + bs +
				     offsetof(struct t10_pi_tuple, ref_tag));
	}
}

/* The Write of the current stage, from the bounce buffer. */
static void nvmet_copy_write(struct nvmet_copy *cp)
{
	struct nvmet_ns *ns = cp->st.host_ns;
	u32 cdw15 = le32_to_cpu(cp->st.host_cmd->common.cdw15);
	u32 ilbrt = le32_to_cpu(cp->st.host_cmd->common.cdw14);

	cp->writing = true;
	if (!cp->pi) {
		nvmet_stage_submit(&cp->st, ns, nvme_cmd_write, cp->to,
				   cp->chunk, cp->control);
		return;
	}
	if (!(cp->prinfow & NVME_RW_PRINFO_PRACT))
		nvmet_copy_retag(cp);
	nvmet_stage_submit_pi(&cp->st, ns, nvme_cmd_write, cp->to, cp->chunk,
			      cp->prinfow | cp->control,
			      nvmet_copy_ref(ns, cp->to, ilbrt), cdw15);
}

/* Go on with the next range, or stage, or complete. */
static void nvmet_copy_next(struct nvmet_copy *cp)
{
	struct nvmet_copy_range *r;
	u16 status;

	while (cp->idx < cp->nr) {
		r = &cp->ranges[cp->idx];
		if (!cp->done && nvmet_copy_offload(cp, r, &status)) {
			if (status) {
				nvmet_copy_finish(cp, status);
				return;
			}
			cp->done = r->nlb;
		}
		if (cp->done < r->nlb) {
			nvmet_copy_stage(cp, r);
			return;
		}
		cp->dlba += r->nlb;
		cp->done = 0;
		cp->idx++;
	}
	nvmet_copy_finish(cp, NVME_SC_SUCCESS);
}

static void nvmet_copy_work(struct work_struct *work)
{
	struct nvmet_copy *cp = container_of(work, struct nvmet_copy,
					     st.work);

	if (cp->st.status) {
		nvmet_copy_finish(cp, cp->st.status);
		return;
	}
	if (cp->chunk && !cp->writing) {
		nvmet_copy_write(cp);
		return;
	}
	cp->done += cp->chunk;
	cp->chunk = 0;
	nvmet_copy_next(cp);
}

/*
 * PRINFOR and PRINFOW on a namespace with PI: both PRACTs alike (else
 * Invalid Field: one would strip what the other keeps), and type 1's
 * ILBRT the SDLBA's with PRCHK ref.  Sets cp->pi, cp->prinfor,
 * cp->prinfow and cp->ebs.
 */
static u16 nvmet_copy_pi_parse(struct nvmet_req *req, struct nvmet_copy *cp)
{
	u32 cdw12 = le32_to_cpu(req->cmd->common.cdw12);
	u32 bs = 1U << req->ns->blksize_shift;

	cp->ebs = bs;
	cp->pi = READ_ONCE(req->ns->features) & NVMET_BF_PI;
	if (!cp->pi)
		return 0;
	/*
	 * Not yet with the 64-bit guard: the descriptors' 48-bit reference
	 * tags and the stages' retagging know the 16-bit guard's PI only.
	 */
	if (nvmet_ns_pi64(req->ns)) {
		req->error_loc = offsetof(struct nvme_common_command, cdw12);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	/* PRINFO's 4 bits where a Read has them, PRCHK ref the lowest */
	cp->prinfor = ((cdw12 >> NVMET_COPY_PRINFOR_SHIFT) &
		       NVMET_COPY_PRINFO_MASK) * NVME_RW_PRINFO_PRCHK_REF;
	cp->prinfow = ((cdw12 >> NVMET_COPY_PRINFOW_SHIFT) &
		       NVMET_COPY_PRINFO_MASK) * NVME_RW_PRINFO_PRCHK_REF;
	if ((cp->prinfor ^ cp->prinfow) & NVME_RW_PRINFO_PRACT) {
		req->error_loc = offsetof(struct nvme_common_command, cdw12);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (nvmet_ns_pi_ref_invalid(req->ns, cp->prinfow, cp->dlba,
				    le32_to_cpu(req->cmd->common.cdw14))) {
		req->error_loc = offsetof(struct nvme_common_command, cdw14);
		return NVME_SC_INVALID_PI | NVME_STATUS_DNR;
	}
	if (!(cp->prinfow & NVME_RW_PRINFO_PRACT))
		cp->ebs += sizeof(struct t10_pi_tuple);
	return 0;
}

/* The Copy, once no fused pair holds blocks it writes. */
static void nvmet_copy_begin(struct nvmet_req *req)
{
	u32 cdw12 = le32_to_cpu(req->cmd->common.cdw12);
	u32 nr = (cdw12 & NVMET_COPY_NR_MASK) + 1, i;
	struct nvmet_copy *cp;
	u32 biggest = 0;
	u16 status;

	cp = kzalloc(struct_size(cp, ranges, nr), GFP_KERNEL);
	if (!cp) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	cp->nr = nr;
	cp->dlba = le32_to_cpu(req->cmd->common.cdw10) |
		   (u64)le32_to_cpu(req->cmd->common.cdw11) << 32;
	if (cdw12 & NVMET_COPY_FUA)
		cp->control = NVME_RW_FUA;
	status = nvmet_copy_pi_parse(req, cp);
	if (status)
		goto out_free;
	status = nvmet_copy_read_ranges(req, cp,
					(cdw12 >> NVMET_COPY_DESFMT_SHIFT) &
					NVMET_COPY_DESFMT_MASK);
	if (status)
		goto out_free;
	for (i = 0; i < nr; i++)
		biggest = max(biggest, cp->ranges[i].nlb);
	if (nvmet_stage_init(&cp->st, req, (u64)biggest * cp->ebs,
			     nvmet_copy_work)) {
		status = NVME_SC_INTERNAL;
		goto out_free;
	}
	nvmet_stage_queue(&cp->st);
	return;

out_free:
	nvmet_copy_free(cp, req->ns);
	nvmet_req_complete(req, status);
}

/**
 * nvmet_execute_copy() - run a Copy
 * @req: the command, parsed by nvmet_copy_parse(), its descriptors in
 *	 req->sg
 *
 * Context: Process context; may sleep (allocations).  The copy itself
 * runs from a work item on the namespace's backend work queue.
 */
void nvmet_execute_copy(struct nvmet_req *req)
{
	u64 dlba = le32_to_cpu(req->cmd->common.cdw10) |
		   (u64)le32_to_cpu(req->cmd->common.cdw11) << 32;

	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	/*
	 * The writes wait behind a fused pair on their blocks (range.c).
	 * How many blocks is in the descriptors, not read yet: every block
	 * from the destination on, as a deallocate takes the namespace.
	 */
	if (!nvmet_range_write(req, dlba, U64_MAX, nvmet_copy_begin))
		return;
	nvmet_copy_begin(req);
}
