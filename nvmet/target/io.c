// SPDX-License-Identifier: GPL-2.0-only
/*
 * I/O commands: find the namespace (one xarray load under RCU and a
 * per-cpu reference), check the ANA state of the receiving port, the LBA
 * range and the transfer length, then hand the command to the
 * namespace's backend.  Features the administrator turned off are
 * honoured here, so backends never see a command they did not ask for:
 * Write Zeroes without NVMET_BF_WRITE_ZEROES and Dataset Management
 * without NVMET_BF_DEALLOCATE are invalid opcodes for that namespace
 * (design.md, "Feature bits"), as are Copy, Compare and Verify without
 * NVMET_BF_COPY, NVMET_BF_COMPARE and NVMET_BF_VERIFY (a fused Compare
 * without NVMET_BF_COMPARE_WRITE is Invalid Field); Flush without
 * NVMET_BF_VWC succeeds with nothing to do.  Compare and Verify run over
 * the backend's rw() (compare.c), Copy too where the backend has no
 * copy() of its own (copy.c).  A zoned namespace (ns->csi NVME_CSI_ZNS)
 * also has the ZNS commands (zns.c).
 */
#include <linux/t10-pi.h>

#include <nvmet/fabric.h>
#include <nvmet/passthru.h>
#include "ctrl.h"
#include "nvme21.h"

/**
 * nvmet_ns_ana_status() - the ANA status of namespace @ns through @req's
 *			   port
 * @req: an I/O command
 * @ns: its namespace, or another it reads (a Copy's source), held
 *
 * Every ANA status is a path error without DNR, as in-tree: a multipath
 * host fails the command over to another controller (and rereads the
 * ANA log) instead of failing it; persistent loss included, since another
 * port may still reach the namespace.
 *
 * Context: Any context.
 * Return: 0 while @ns's group is optimized or non-optimized there, else
 * the ANA path error.
 */
u16 nvmet_ns_ana_status(struct nvmet_req *req, struct nvmet_ns *ns)
{
	u16 status;

	switch (nvmet_port_ana_state(req->port, READ_ONCE(ns->anagrpid))) {
	case NVME_ANA_OPTIMIZED:
	case NVME_ANA_NONOPTIMIZED:
		return 0;
	case NVME_ANA_PERSISTENT_LOSS:
		status = NVME_SC_ANA_PERSISTENT_LOSS;
		break;
	case NVME_ANA_CHANGE:
		status = NVME_SC_ANA_TRANSITION;
		break;
	default:
		status = NVME_SC_ANA_INACCESSIBLE;
		break;
	}
	req->error_loc = offsetof(struct nvme_common_command, nsid);
	return status;
}

/*
 * No namespace this host sees has the command's NSID.  One that exists but is
 * disabled answers a path error without DNR, as in-tree 6.12 does: the
 * host retries, or fails over, rather than failing the I/O.  Only this
 * miss looks up subsys->ns_ids.
 */
static u16 nvmet_ns_miss_status(struct nvmet_req *req, u32 nsid)
{
	struct nvmet_subsys *subsys = req->sq->ctrl->subsys;
	bool enabled;

	req->error_loc = offsetof(struct nvme_common_command, nsid);
	/* Enabled but hidden from this host: as if it did not exist. */
	rcu_read_lock();
	enabled = xa_load(&subsys->namespaces, nsid);
	rcu_read_unlock();
	if (!enabled && nvmet_ns_exists(subsys, nsid))
		return NVME_SC_INTERNAL_PATH_ERROR;
	return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
}

/* Is [slba, slba + nlb) inside the namespace? */
static u16 nvmet_check_range(struct nvmet_req *req, u64 slba, u64 nlb)
{
	u64 nsze = READ_ONCE(req->ns->size) >> req->ns->blksize_shift;

	if (slba >= nsze || nlb > nsze - slba) {
		req->error_loc = offsetof(struct nvme_rw_command, slba);
		req->error_slba = slba;
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	}
	return 0;
}

/* The blocks [slba, slba + NLB) of a read, write or write zeroes @req. */
static u64 nvmet_req_slba(const struct nvmet_req *req)
{
	return le64_to_cpu(req->cmd->rw.slba);
}

static u64 nvmet_req_end(const struct nvmet_req *req)
{
	return nvmet_req_slba(req) + le16_to_cpu(req->cmd->rw.length) + 1;
}

static void nvmet_execute_rw(struct nvmet_req *req)
{
	void (*rw)(struct nvmet_req *req) = req->ns->backend->rw;

	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	/* A write waits behind a fused pair of overlapping blocks. */
	if (nvme_is_write(req->cmd) &&
	    !nvmet_range_write(req, nvmet_req_slba(req), nvmet_req_end(req),
			       rw))
		return;
	rw(req);
}

static void nvmet_execute_flush(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, 0))
		return;
	/* Without a volatile write cache there is nothing to flush. */
	if (!(READ_ONCE(req->ns->features) & NVMET_BF_VWC) ||
	    !req->ns->backend->flush) {
		nvmet_req_complete(req, 0);
		return;
	}
	req->ns->backend->flush(req);
}

static void nvmet_execute_write_zeroes(struct nvmet_req *req)
{
	void (*wz)(struct nvmet_req *req) = req->ns->backend->write_zeroes;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	if (!nvmet_range_write(req, nvmet_req_slba(req), nvmet_req_end(req),
			       wz))
		return;
	wz(req);
}

static void nvmet_execute_dsm(struct nvmet_req *req)
{
	u32 attr = le32_to_cpu(req->cmd->dsm.attributes);

	/* Hosts may send more than the ranges (Linux sends a whole page). */
	if (req->transfer_len < req->data_len) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		nvmet_req_complete(req, NVME_SC_SGL_INVALID_DATA |
				   NVME_STATUS_DNR);
		return;
	}
	/* Without AD only hints (IDR, IDW): advisory, nothing to do. */
	if (!(attr & NVME_DSMGMT_AD)) {
		nvmet_req_complete(req, 0);
		return;
	}
	/*
	 * Up to 256 ranges: while a fused pair is in flight, a deallocate
	 * waits as if it were a write of the whole namespace.
	 */
	if (!nvmet_range_write(req, 0, U64_MAX, req->ns->backend->dsm))
		return;
	req->ns->backend->dsm(req);
}

/*
 * Compare and Verify while their bits are off, and a fused Compare (the
 * first of Compare and Write) while NVMET_BF_COMPARE_WRITE is off.  The
 * fused Compare answers to that bit alone: the pair is a feature of its
 * own (FUSES), and the NVMe Base Specification has a fused operation the
 * controller does not support refused with Invalid Field in Command, not
 * as an opcode it lacks.  nvmet_req_init() then fails the Write that
 * follows with Command Aborted due to Failed Fused Command (fused.c).
 */
static u16 nvmet_cmpver_allowed(struct nvmet_req *req)
{
	u32 features = READ_ONCE(req->ns->features);
	u8 op = req->cmd->common.opcode;

	if (op == nvme_cmd_compare &&
	    (req->cmd->common.flags & NVME_CMD_FUSE_FIRST)) {
		if (features & NVMET_BF_COMPARE_WRITE)
			return 0;
		req->error_loc = offsetof(struct nvme_common_command, flags);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (features & (op == nvme_cmd_compare ? NVMET_BF_COMPARE :
						 NVMET_BF_VERIFY))
		return 0;
	req->error_loc = offsetof(struct nvme_common_command, opcode);
	return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
}

/*
 * PRINFO of a read, write or compare on a namespace with protection
 * information (NVMET_BF_PI), 8 or 16 bytes of metadata (ns->pi_size), all
 * PI.  PRACT 1: no
 * metadata travels, the backend inserts and strips it.  PRACT 0: the
 * host's PI travels in extended LBAs, each block followed by its PI
 * (*@ext set); a Compare's is not compared, the stored PI is checked per
 * PRCHK instead (compare.c).  A Verify carries nothing whatever PRACT
 * says (*@ext is not its transfer); its stored PI is checked per PRCHK.
 * Type 1 with a reference tag check needs ILBRT to be the SLBA's low 32
 * (48) bits (NVM Command Set, "Protection Information"): else Invalid
 * Protection Information.
 */
static u16 nvmet_pi_parse(struct nvmet_req *req, bool *ext)
{
	struct nvme_command *cmd = req->cmd;
	u16 control = le16_to_cpu(cmd->rw.control);

	*ext = false;
	if (!(READ_ONCE(req->ns->features) & NVMET_BF_PI))
		return 0;
	if (!(control & NVME_RW_PRINFO_PRACT))
		*ext = true;
	if (nvmet_ns_pi_ref_invalid(req->ns, control,
				    le64_to_cpu(cmd->rw.slba),
				    nvmet_pi_cmd_ref(req->ns, cmd))) {
		req->error_loc = offsetof(struct nvme_common_command, cdw14);
		return NVME_SC_INVALID_PI | NVME_STATUS_DNR;
	}
	return 0;
}

static u16 nvmet_parse_nvm_cmd(struct nvmet_req *req)
{
	struct nvme_command *cmd = req->cmd;
	struct nvmet_ns *ns = req->ns;
	bool ext = false;
	u16 status;
	u64 nlb;
	u32 nr;

	switch (cmd->common.opcode) {
	case nvme_cmd_read:
	case nvme_cmd_write:
		status = nvmet_pi_parse(req, &ext);
		if (status)
			return status;
		nlb = (u64)le16_to_cpu(cmd->rw.length) + 1;
		req->data_len = nlb << ns->blksize_shift;
		/* the transfer: every block with its PI (bdev_pi.c) */
		if (ext)
			req->data_len += nlb * ns->pi_size;
		req->execute = nvmet_execute_rw;
		return nvmet_check_range(req, le64_to_cpu(cmd->rw.slba), nlb);
	case nvme_cmd_compare:
	case nvme_cmd_verify:
		status = nvmet_cmpver_allowed(req);
		if (!status)
			status = nvmet_pi_parse(req, &ext);
		if (status)
			return status;
		/* Compare carries the blocks to compare; Verify nothing. */
		nlb = (u64)le16_to_cpu(cmd->rw.length) + 1;
		if (cmd->common.opcode == nvme_cmd_compare)
			req->data_len = nlb << ns->blksize_shift;
		/* PRACT 0: extended LBAs, as for a Write */
		if (cmd->common.opcode == nvme_cmd_compare && ext)
			req->data_len += nlb * ns->pi_size;
		req->execute = nvmet_execute_cmpver;
		return nvmet_check_range(req, le64_to_cpu(cmd->rw.slba), nlb);
	case nvme_cmd_flush:
		req->execute = nvmet_execute_flush;
		return 0;
	case nvme_cmd_write_zeroes:
		if (!(READ_ONCE(ns->features) & NVMET_BF_WRITE_ZEROES) ||
		    !ns->backend->write_zeroes)
			break;
		/*
		 * With PI the backend writes it (PRACT 1 generated, PRACT 0
		 * zeroes): nothing to check, and PRCHK must be clear (NVM
		 * Command Set; QEMU answers Invalid Protection Information).
		 */
		if ((READ_ONCE(ns->features) & NVMET_BF_PI) &&
		    (le16_to_cpu(cmd->write_zeroes.control) &
		     NVMET_PRCHK_ALL)) {
			req->error_loc = offsetof(struct nvme_write_zeroes_cmd,
						  control);
			return NVME_SC_INVALID_PI | NVME_STATUS_DNR;
		}
		nlb = (u64)le16_to_cpu(cmd->write_zeroes.length) + 1;
		req->execute = nvmet_execute_write_zeroes;
		return nvmet_check_range(req,
					 le64_to_cpu(cmd->write_zeroes.slba),
					 nlb);
	case nvme_cmd_dsm:
		/*
		 * Without deallocation the namespace has no DSM: Invalid
		 * Opcode, as for Write Zeroes.  Not Invalid Field on AD: a
		 * controller that has DSM accepts every combination of the
		 * attributes (NVM Command Set, Dataset Management).
		 */
		if (!(READ_ONCE(ns->features) & NVMET_BF_DEALLOCATE) ||
		    !ns->backend->dsm)
			break;
		/* NR is 0's based: 0xffffffff must not wrap to 0 ranges. */
		nr = le32_to_cpu(cmd->dsm.nr);
		if (nr >= NVMET_MAX_DSM_RANGES) {
			req->error_loc = offsetof(struct nvme_dsm_cmd, nr);
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		}
		req->data_len = (nr + 1) * sizeof(struct nvme_dsm_range);
		req->data_max = NVMET_MAX_DSM_RANGES *
				sizeof(struct nvme_dsm_range);
		req->execute = nvmet_execute_dsm;
		return 0;
	case NVMET_CMD_COPY:
		if (!(READ_ONCE(ns->features) & NVMET_BF_COPY))
			break;
		return nvmet_copy_parse(req);
	case nvme_cmd_resv_register:
	case nvme_cmd_resv_report:
	case nvme_cmd_resv_acquire:
	case nvme_cmd_resv_release:
		return nvmet_pr_parse_cmd(req);
	case nvme_cmd_zone_append:
	case nvme_cmd_zone_mgmt_send:
	case nvme_cmd_zone_mgmt_recv:
		if (ns->csi != NVME_CSI_ZNS)
			break;
		return nvmet_zns_parse_io_cmd(req);
	}
	req->error_loc = offsetof(struct nvme_common_command, opcode);
	return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
}

/**
 * nvmet_parse_io_cmd() - pick the handler of an I/O command
 * @req: the request, on a connected I/O queue
 *
 * Lookup cost: one xarray load (RCU) for the namespace and a per-cpu
 * reference; no lock.  A miss costs one more xarray load.
 *
 * Context: Any context.
 * Return: 0, with req->ns referenced, or an NVMe status.
 */
u16 nvmet_parse_io_cmd(struct nvmet_req *req)
{
	struct nvme_command *cmd = req->cmd;
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u16 status;

	if (nvme_is_fabrics(cmd))
		return nvmet_parse_fabrics_io_cmd(req);
	status = nvmet_check_ctrl_ready(req);
	if (status)
		return status;
	if (unlikely(nvmet_subsys_is_passthru(ctrl->subsys)))
		return nvmet_passthru_parse_io_cmd(req);

	/* A namespace this host does not see is not there for it. */
	req->ns = nvmet_ctrl_ns_io_get(ctrl, le32_to_cpu(cmd->rw.nsid));
	if (unlikely(!req->ns))
		return nvmet_ns_miss_status(req, le32_to_cpu(cmd->rw.nsid));
	status = nvmet_ns_ana_status(req, req->ns);
	if (status)
		return status;
	status = nvmet_parse_nvm_cmd(req);
	if (status)
		return status;
	/* Last: on success the command holds the reservation state. */
	return nvmet_pr_check_io(req);
}
