// SPDX-License-Identifier: GPL-2.0-only
/*
 * Admin commands of an I/O controller: Identify, Get Log Page, Get and Set
 * Features, Asynchronous Event Request, Keep Alive and Abort.  Handlers
 * run in the context the fabric calls req->execute() from (process
 * context) and read configuration through RCU or the owning object's own
 * lock, never a global one.
 */
#include <linux/math.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/t10-pi.h>

#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include <nvmet/passthru.h>
#include "../core/core.h"
#include "ctrl.h"
#include "nvme21.h"

/**
 * nvmet_get_log_page_len() - bytes a Get Log Page command asks for
 * @cmd: the command
 *
 * Return: the length.
 */
u32 nvmet_get_log_page_len(struct nvme_command *cmd)
{
	u64 numd = (u32)le16_to_cpu(cmd->get_log_page.numdu) << 16 |
		   le16_to_cpu(cmd->get_log_page.numdl);

	/* Up to 16 GiB: saturate rather than wrap to a short length. */
	return min_t(u64, (numd + 1) * 4, U32_MAX);
}

/**
 * nvmet_get_log_page_offset() - the log page offset a command asks for
 * @cmd: the command
 *
 * Return: the offset in bytes.
 */
u64 nvmet_get_log_page_offset(struct nvme_command *cmd)
{
	return le64_to_cpu(cmd->get_log_page.lpo);
}

/**
 * nvmet_copy_log() - return part of a log page to the host
 * @req: the Get Log Page command
 * @buf: the whole log page
 * @len: its length
 *
 * Honours the log page offset and zero-fills what the host asked for
 * beyond the end of the log.
 *
 * Return: 0 or an NVMe status.
 */
u16 nvmet_copy_log(struct nvmet_req *req, const void *buf, size_t len)
{
	u64 off = nvmet_get_log_page_offset(req->cmd);
	size_t n;
	u16 status;

	if (off & 3 || off > len) {
		req->error_loc = offsetof(struct nvme_get_log_page_command,
					  lpo);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	n = min_t(size_t, len - off, req->data_len);
	status = nvmet_copy_to_sgl(req, 0, buf + off, n);
	if (!status && n < req->data_len)
		status = nvmet_zero_sgl(req, n, req->data_len - n);
	return status;
}

/*
 * Send a log page: @fill writes it into a zeroed buffer of @size bytes
 * and returns its length; the host gets the part it asked for.
 */
static void nvmet_send_log(struct nvmet_req *req, size_t size,
			   size_t (*fill)(struct nvmet_req *req, void *buf))
{
	u16 status = NVME_SC_INTERNAL;
	void *buf;

	buf = kvzalloc(size, GFP_KERNEL);
	if (buf) {
		status = nvmet_copy_log(req, buf, fill(req, buf));
		kvfree(buf);
	}
	nvmet_req_complete(req, status);
}

static size_t nvmet_fill_log_error(struct nvmet_req *req, void *buf)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvme_error_slot *log = buf;
	unsigned long flags;
	unsigned int i, n;
	u64 count;

	spin_lock_irqsave(&ctrl->error_lock, flags);
	count = ctrl->err_counter;
	n = min_t(u64, count, NVMET_ERROR_LOG_SLOTS);
	/* Newest first. */
	for (i = 0; i < n; i++)
		log[i] = ctrl->errors[(count - i) % NVMET_ERROR_LOG_SLOTS];
	spin_unlock_irqrestore(&ctrl->error_lock, flags);
	return NVMET_ERROR_LOG_SLOTS * sizeof(*log);
}

static size_t nvmet_fill_log_smart(struct nvmet_req *req, void *buf)
{
	struct nvme_smart_log *log = buf;

	log->avail_spare = 100;
	log->spare_thresh = 10;
	return sizeof(*log);
}

/*
 * The SMART log is the same for every namespace, but an NSID other than
 * 0 and FFFFFFFFh must name a namespace this host sees (Invalid
 * Namespace otherwise, as in-tree answers an NSID it does not have).
 */
static void nvmet_execute_log_smart(struct nvmet_req *req)
{
	u32 nsid = le32_to_cpu(req->cmd->get_log_page.nsid);
	struct nvmet_ns *ns;

	if (nsid && nsid != NVME_NSID_ALL) {
		ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, nsid);
		if (!ns) {
			req->error_loc =
				offsetof(struct nvme_get_log_page_command, nsid);
			nvmet_req_complete(req, NVME_SC_INVALID_NS |
					   NVME_STATUS_DNR);
			return;
		}
		nvmet_ns_io_put(ns);
	}
	nvmet_send_log(req, sizeof(struct nvme_smart_log),
		       nvmet_fill_log_smart);
}

static size_t nvmet_fill_log_fw_slot(struct nvmet_req *req, void *buf)
{
	struct nvmet_subsys *subsys = req->sq->ctrl->subsys;
	struct nvme_fw_slot_info_log *log = buf;

	log->afi = 1;
	mutex_lock(&subsys->lock);
	memcpy_and_pad(&log->frs[0], sizeof(log->frs[0]), subsys->firmware,
		       strlen(subsys->firmware), ' ');
	mutex_unlock(&subsys->lock);
	return sizeof(*log);
}

static size_t nvmet_fill_log_changed_ns(struct nvmet_req *req, void *buf)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	bool rae = req->cmd->get_log_page.lsp & 0x80;
	__le32 *log = buf;
	unsigned int i;

	mutex_lock(&ctrl->lock);
	for (i = 0; i < ctrl->nr_changed_ns; i++)
		log[i] = cpu_to_le32(ctrl->changed_ns[i]);
	if (!rae) {
		ctrl->nr_changed_ns = 0;
		clear_bit(NVME_AEN_BIT_NS_ATTR, &ctrl->aen_masked);
	}
	mutex_unlock(&ctrl->lock);
	return NVMET_MAX_CHANGED_NS * sizeof(*log);
}

static size_t nvmet_fill_log_effects(struct nvmet_req *req, void *buf)
{
	static const u8 admin[] = {
		nvme_admin_get_log_page, nvme_admin_identify, nvme_admin_abort_cmd,
		nvme_admin_set_features, nvme_admin_get_features,
		nvme_admin_async_event, nvme_admin_keep_alive,
	};
	struct nvme_effects_log *log = buf;
	unsigned int i;

	/*
	 * Each admin command acts on the controller it is sent to (LPA bit
	 * 5 promises a scope).  The I/O commands' scope, the namespace, is
	 * left unreported: a Linux host warns about any effect bit beyond
	 * CSUPP and LBCC on an I/O command.
	 */
	for (i = 0; i < ARRAY_SIZE(admin); i++)
		log->acs[admin[i]] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
						 NVMET_CMD_EFFECTS_CSP_CTRL);
	/* ZNS has the NVM command set's commands, and its own. */
	if (req->cmd->get_log_page.csi == NVME_CSI_ZNS)
		nvmet_zns_effects(log);
	if (req->cmd->get_log_page.csi == NVME_CSI_NVM ||
	    req->cmd->get_log_page.csi == NVME_CSI_ZNS) {
		log->iocs[nvme_cmd_read] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
		log->iocs[nvme_cmd_flush] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
		log->iocs[nvme_cmd_write] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
							NVME_CMD_EFFECTS_LBCC);
		log->iocs[nvme_cmd_write_zeroes] =
			cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
				    NVME_CMD_EFFECTS_LBCC);
		log->iocs[nvme_cmd_dsm] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
						      NVME_CMD_EFFECTS_LBCC);
		log->iocs[NVMET_CMD_COPY] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
							NVME_CMD_EFFECTS_LBCC);
		log->iocs[nvme_cmd_resv_register] =
			cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
		log->iocs[nvme_cmd_resv_report] =
			cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
		log->iocs[nvme_cmd_resv_acquire] =
			cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
		log->iocs[nvme_cmd_resv_release] =
			cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
	}
	return sizeof(*log);
}

static bool nvmet_ana_rgo(struct nvmet_req *req)
{
	return req->cmd->get_log_page.lsp & NVME_ANA_LOG_RGO;
}

/*
 * The ANA log's size is what the host reserves for it: room for every
 * group and, unless the host asked for RGO, for MNAN NSIDs; offsets up to
 * it read zeroes past the groups listed (libnvme reads 4 KiB at a time).
 * The buffer holds a snapshot of the namespaces after that (its tail):
 * the NSIDs the log has room for, MNAN or none for RGO.
 */
static u32 nvmet_ana_log_cap(struct nvmet_req *req)
{
	return nvmet_ana_rgo(req) ? 0 : req->sq->ctrl->mnan;
}

static size_t nvmet_ana_log_len(struct nvmet_req *req)
{
	return NVMET_ANA_LOG_GROUPS_SIZE +
	       nvmet_ana_log_cap(req) * sizeof(__le32);
}

static size_t nvmet_ana_log_size(struct nvmet_req *req)
{
	return nvmet_ana_log_len(req) +
	       nvmet_ana_log_cap(req) * (sizeof(u32) + sizeof(u8));
}

/*
 * One pass over the enabled namespaces, under RCU: every namespace's
 * group joins @groups (a group stays listed when its namespaces are
 * hidden from this host), and the NSID and group of those this
 * controller sees go to the snapshot, at most @cap, ascending by NSID.
 * Everything the log says about NSIDs is then computed from the
 * snapshot, so the counts and the bytes agree whatever changes meanwhile.
 */
static u32 nvmet_ana_snapshot(struct nvmet_req *req, unsigned long *groups,
			      u32 *nsids, u8 *grpids, u32 *counts, u32 cap)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_ns *ns;
	unsigned long idx;
	u32 grpid, n = 0;

	rcu_read_lock();
	xa_for_each(&ctrl->subsys->namespaces, idx, ns) {
		grpid = READ_ONCE(ns->anagrpid);
		__set_bit(grpid, groups);
		if (n == cap || !nvmet_ns_visible(ctrl, ns))
			continue;
		nsids[n] = ns->nsid;
		grpids[n] = grpid;
		counts[grpid]++;
		n++;
	}
	rcu_read_unlock();
	return n;
}

static size_t nvmet_fill_log_ana(struct nvmet_req *req, void *buf)
{
	DECLARE_BITMAP(groups, NVMET_MAX_ANAGRPS + 1) = { 0 };
	u32 counts[NVMET_MAX_ANAGRPS + 1] = { 0 };
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	size_t len = nvmet_ana_log_len(req), off;
	u32 *nsids = buf + len, cap = nvmet_ana_log_cap(req);
	u8 *grpids = (u8 *)(nsids + cap);
	struct nvme_ana_rsp_hdr *hdr = buf;
	struct nvme_ana_group_desc *desc;
	u32 n, i, grpid, ngrps = 0;
	u64 chgcnt;

	mutex_lock(&req->port->lock);
	bitmap_copy(groups, req->port->ana_groups, NVMET_MAX_ANAGRPS + 1);
	mutex_unlock(&req->port->lock);
	chgcnt = nvmet_ana_chgcnt();
	n = nvmet_ana_snapshot(req, groups, nsids, grpids, counts, cap);

	/* The descriptors; counts[] becomes where each group's NSIDs go. */
	off = sizeof(*hdr);
	for_each_set_bit(grpid, groups, NVMET_MAX_ANAGRPS + 1) {
		desc = buf + off;
		desc->grpid = cpu_to_le32(grpid);
		desc->nnsids = cpu_to_le32(counts[grpid]);
		desc->chgcnt = cpu_to_le64(chgcnt);
		desc->state = nvmet_port_ana_state(req->port, grpid);
		off += sizeof(*desc);
		i = counts[grpid];
		counts[grpid] = off;
		off += i * sizeof(__le32);
		ngrps++;
	}
	for (i = 0; i < n; i++) {
		*(__le32 *)(buf + counts[grpids[i]]) = cpu_to_le32(nsids[i]);
		counts[grpids[i]] += sizeof(__le32);
	}
	hdr->chgcnt = cpu_to_le64(chgcnt);
	hdr->ngrps = cpu_to_le16(ngrps);
	mutex_lock(&ctrl->lock);
	clear_bit(NVME_AEN_BIT_ANA_CHANGE, &ctrl->aen_masked);
	mutex_unlock(&ctrl->lock);
	return len;
}

/* The log pages an I/O controller answers, as LID 00h lists them. */
static const u8 nvmet_supported_lids[] = {
	NVMET_LOG_SUPPORTED, NVME_LOG_ERROR, NVME_LOG_SMART, NVME_LOG_FW_SLOT,
	NVME_LOG_CHANGED_NS, NVME_LOG_CMD_EFFECTS, NVMET_LOG_ENDURANCE_GROUP,
	NVME_LOG_ANA, NVMET_LOG_FEATURES, NVMET_LOG_MI_CMDS, NVMET_LOG_RMI,
	NVME_LOG_RESERVATION,
};

/*
 * Supported Log Pages (LID 00h): LSUPP for each; no index offsets (IOS
 * clear), no LID specific parameter reported.
 */
static size_t nvmet_fill_log_supported(struct nvmet_req *req, void *buf)
{
	struct nvmet_supported_log *log = buf;
	unsigned int i;

	nvmet_nvme21_build_checks();
	for (i = 0; i < ARRAY_SIZE(nvmet_supported_lids); i++)
		log->lids[nvmet_supported_lids[i]] =
			cpu_to_le32(NVMET_LIDS_LSUPP);
	return sizeof(*log);
}

/*
 * FID Supported and Effects (LID 12h): the features Get Features answers
 * (and Set Features changes, except the volatile write cache, which is
 * always on, and the Host Identifier, which only Connect sets), each of
 * controller scope and without side effects.
 */
static size_t nvmet_fill_log_features(struct nvmet_req *req, void *buf)
{
	static const u8 fids[] = {
		NVME_FEAT_VOLATILE_WC, NVME_FEAT_NUM_QUEUES,
		NVME_FEAT_ASYNC_EVENT, NVME_FEAT_KATO, NVME_FEAT_HOST_ID,
		NVME_FEAT_HOST_BEHAVIOR,
	};
	struct nvmet_supported_features_log *log = buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fids); i++)
		log->fis[fids[i]] = cpu_to_le32(NVMET_FIS_FSUPP |
						NVMET_FIS_CSCPE);
	/* Reservations' two, each of a namespace (pr.c). */
	log->fis[NVME_FEAT_RESV_MASK] = cpu_to_le32(NVMET_FIS_FSUPP |
						    NVMET_FIS_NSCPE);
	log->fis[NVME_FEAT_RESV_PERSIST] = cpu_to_le32(NVMET_FIS_FSUPP |
						       NVMET_FIS_NSCPE);
	return sizeof(*log);
}

/* NVMe-MI Commands Supported and Effects (LID 13h): no NVMe-MI commands. */
static size_t nvmet_fill_log_mi_cmds(struct nvmet_req *req, void *buf)
{
	return sizeof(struct nvmet_mi_cmds_log);
}

/*
 * Log pages that define no LSP, no LSI and are kept for the NVM command
 * set: anything else in those fields is refused.
 */
static u16 nvmet_check_log_plain(struct nvmet_req *req, bool lsi_is_endgid)
{
	struct nvme_command *cmd = req->cmd;

	if (cmd->get_log_page.lsp & NVMET_LOG_LSP_MASK) {
		req->error_loc = offsetof(struct nvme_get_log_page_command,
					  lsp);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (!lsi_is_endgid && le32_to_cpu(cmd->common.cdw11) >> 16) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11) + 2;
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (le32_to_cpu(cmd->common.cdw14) >> 24 != NVME_CSI_NVM) {
		req->error_loc = offsetof(struct nvme_common_command, cdw14) + 3;
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return 0;
}

/*
 * Each namespace is an Endurance Group of its own, its NSID the group's
 * ID, as in-tree (a namespace with an NSID above 65535 is in none).
 */
static u16 nvmet_ns_endgid(const struct nvmet_ns *ns)
{
	return ns->nsid <= NVMET_ID_CNSSID_MASK ? ns->nsid : 0;
}

/* The namespace of the Endurance Group in LSI, with an I/O reference. */
static struct nvmet_ns *nvmet_log_endgrp_ns(struct nvmet_req *req, u16 *status)
{
	u16 endgid = le32_to_cpu(req->cmd->common.cdw11) >> 16;
	struct nvmet_ns *ns = NULL;

	*status = nvmet_check_log_plain(req, true);
	if (*status)
		return NULL;
	if (endgid)
		ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, endgid);
	if (!ns) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11) + 2;
		*status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return ns;
}

static void nvmet_ns_media_info(struct nvmet_ns *ns,
				struct nvmet_media_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ns->backend->media_info)
		ns->backend->media_info(ns, info);
}

/* 128-bit little-endian counter, as the log pages carry them. */
static void nvmet_put_u128(__le64 *field, u64 val)
{
	field[0] = cpu_to_le64(val);
	field[1] = 0;
}

/*
 * Endurance Group Information (LID 09h): the device's own counters where
 * the backend has them (a block device), its capacity, a full spare.
 */
static void nvmet_execute_log_endgrp(struct nvmet_req *req)
{
	struct nvmet_media_info info;
	struct nvmet_endgrp_log *log;
	struct nvmet_ns *ns;
	u16 status;

	ns = nvmet_log_endgrp_ns(req, &status);
	if (!ns)
		goto out;
	status = NVME_SC_INTERNAL;
	log = kzalloc(sizeof(*log), GFP_KERNEL);
	if (log) {
		nvmet_ns_media_info(ns, &info);
		log->avsp = 100;
		log->avspt = 10;
		nvmet_put_u128(log->dur,
			       DIV_ROUND_UP_ULL(info.read_sectors, 1000));
		nvmet_put_u128(log->duw,
			       DIV_ROUND_UP_ULL(info.write_sectors, 1000));
		nvmet_put_u128(log->hrc, info.read_cmds);
		nvmet_put_u128(log->hwc, info.write_cmds);
		nvmet_put_u128(log->tegcap, READ_ONCE(ns->size));
		status = nvmet_copy_log(req, log, sizeof(*log));
		kfree(log);
	}
	nvmet_ns_io_put(ns);
out:
	nvmet_req_complete(req, status);
}

/*
 * Rotational Media Information (LID 16h): for an Endurance Group on
 * rotational media only (Invalid Field otherwise, as in-tree); one
 * actuator, speed and counts not reported.
 */
static void nvmet_execute_log_rmi(struct nvmet_req *req)
{
	struct nvmet_media_info info;
	struct nvmet_rmi_log *log;
	struct nvmet_ns *ns;
	u16 status;

	ns = nvmet_log_endgrp_ns(req, &status);
	if (!ns)
		goto out;
	nvmet_ns_media_info(ns, &info);
	if (!info.rotational) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11) + 2;
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto out_put;
	}
	status = NVME_SC_INTERNAL;
	log = kzalloc(sizeof(*log), GFP_KERNEL);
	if (log) {
		log->endgid = cpu_to_le16(nvmet_ns_endgid(ns));
		log->numa = cpu_to_le16(1);
		status = nvmet_copy_log(req, log, sizeof(*log));
		kfree(log);
	}
out_put:
	nvmet_ns_io_put(ns);
out:
	nvmet_req_complete(req, status);
}

static void nvmet_send_log_plain(struct nvmet_req *req, size_t size,
				 size_t (*fill)(struct nvmet_req *req,
						void *buf))
{
	u16 status = nvmet_check_log_plain(req, false);

	if (status)
		nvmet_req_complete(req, status);
	else
		nvmet_send_log(req, size, fill);
}

static void nvmet_execute_get_log_page(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	/* No log page takes an index offset (IOS is clear in LID 00h). */
	if (le32_to_cpu(req->cmd->common.cdw14) & NVMET_LOG_CDW14_OT) {
		req->error_loc = offsetof(struct nvme_common_command, cdw14) + 2;
		nvmet_req_complete(req, NVME_SC_INVALID_FIELD |
				   NVME_STATUS_DNR);
		return;
	}
	switch (req->cmd->get_log_page.lid) {
	case NVMET_LOG_SUPPORTED:
		return nvmet_send_log_plain(req,
					    sizeof(struct nvmet_supported_log),
					    nvmet_fill_log_supported);
	case NVMET_LOG_FEATURES:
		return nvmet_send_log_plain(req,
				sizeof(struct nvmet_supported_features_log),
				nvmet_fill_log_features);
	case NVMET_LOG_MI_CMDS:
		return nvmet_send_log_plain(req,
					    sizeof(struct nvmet_mi_cmds_log),
					    nvmet_fill_log_mi_cmds);
	case NVMET_LOG_ENDURANCE_GROUP:
		return nvmet_execute_log_endgrp(req);
	case NVMET_LOG_RMI:
		return nvmet_execute_log_rmi(req);
	case NVME_LOG_ERROR:
		return nvmet_send_log(req, NVMET_ERROR_LOG_SLOTS *
				      sizeof(struct nvme_error_slot),
				      nvmet_fill_log_error);
	case NVME_LOG_SMART:
		return nvmet_execute_log_smart(req);
	case NVME_LOG_FW_SLOT:
		return nvmet_send_log(req, sizeof(struct nvme_fw_slot_info_log),
				      nvmet_fill_log_fw_slot);
	case NVME_LOG_CHANGED_NS:
		return nvmet_send_log(req, NVMET_MAX_CHANGED_NS * sizeof(__le32),
				      nvmet_fill_log_changed_ns);
	case NVME_LOG_CMD_EFFECTS:
		return nvmet_send_log(req, sizeof(struct nvme_effects_log),
				      nvmet_fill_log_effects);
	case NVME_LOG_ANA:
		return nvmet_send_log(req, nvmet_ana_log_size(req),
				      nvmet_fill_log_ana);
	case NVME_LOG_RESERVATION:
		return nvmet_pr_execute_log(req);
	}
	pr_debug("nvmet: get log page 0x%x not supported\n",
		 req->cmd->get_log_page.lid);
	req->error_loc = offsetof(struct nvme_get_log_page_command, lid);
	nvmet_req_complete(req, NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
}

/**
 * nvmet_id_ctrl_common() - Identify Controller fields that I/O and
 *			    discovery controllers share
 * @req: the Identify command
 * @id: the data to fill
 */
void nvmet_id_ctrl_common(struct nvmet_req *req, struct nvme_id_ctrl *id)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_port *port = req->port;
	u32 inline_size = max(READ_ONCE(port->inline_data_size), 0);

	id->cntlid = cpu_to_le16(ctrl->cntlid);
	id->rab = 6;
	id->mdts = nvmet_mdts(port, ctrl->ops, ctrl);
	/* ELBAS: a host reads CNS 05h for a namespace's guard (64-bit) */
	id->ctratt = cpu_to_le32(NVME_CTRL_ATTR_HID_128_BIT |
				 NVME_CTRL_ATTR_TBKAS | NVME_CTRL_ATTR_ELBAS);
	id->acl = 3;
	id->aerl = NVMET_ASYNC_EVENTS - 1;
	id->elpe = NVMET_ERROR_LOG_SLOTS - 1;
	id->kas = cpu_to_le16(NVMET_KAS);
	id->sqes = (NVME_NVM_IOSQES << 4) | NVME_NVM_IOSQES;
	id->cqes = (NVME_NVM_IOCQES << 4) | NVME_NVM_IOCQES;
	id->maxcmd = cpu_to_le16(NVME_CAP_MQES(ctrl->cap) + 1);
	/* SGLs without alignment, keyed if the fabric has them, offsets. */
	id->sgls = cpu_to_le32(1 << 0 |
			       (ctrl->ops->flags & NVMET_FABRIC_F_KEYED_SGLS ?
				1 << 2 : 0) |
			       (inline_size ? 1 << 20 : 0));
	id->ioccsz = cpu_to_le32((sizeof(struct nvme_command) + inline_size) /
				 16);
	id->iorcsz = cpu_to_le32(sizeof(struct nvme_completion) / 16);
	id->msdbd = ctrl->ops->msdbd;
	id->psd[0].max_power = cpu_to_le16(0x9c4);
	id->psd[0].entry_lat = cpu_to_le32(0x10);
	id->psd[0].exit_lat = cpu_to_le32(0x4);
}

/**
 * nvmet_send_identify() - send Identify data
 * @req: the Identify command, its transfer length checked
 * @fill: writes the data into a zeroed NVME_IDENTIFY_DATA_SIZE buffer;
 *	  returns 0 or the command's error status
 */
void nvmet_send_identify(struct nvmet_req *req,
			 u16 (*fill)(struct nvmet_req *req, void *buf))
{
	u16 status = NVME_SC_INTERNAL;
	void *buf;

	buf = kzalloc(NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	if (buf) {
		status = fill(req, buf);
		if (!status)
			status = nvmet_copy_to_sgl(req, 0, buf,
						   NVME_IDENTIFY_DATA_SIZE);
		kfree(buf);
	}
	nvmet_req_complete(req, status);
}

/**
 * nvmet_identify_ns_get() - the namespace an Identify of one namespace
 *			     names
 * @req: an Identify of CNS 00h, or 05h for a command set
 * @status: set to 0, or to Invalid Namespace or Format for NSID 0 and
 *	    FFFFFFFFh, which name no namespace (the error log pointing at
 *	    the NSID)
 *
 * Return: the namespace with an I/O reference (nvmet_ns_io_put()), or
 * NULL: @status, or 0 for an inactive NSID, which reads as zeroes (NVMe
 * 1.4, 5.15.2.1).
 */
struct nvmet_ns *nvmet_identify_ns_get(struct nvmet_req *req, u16 *status)
{
	u32 nsid = le32_to_cpu(req->cmd->identify.nsid);

	*status = 0;
	if (nsid == 0 || nsid == NVME_NSID_ALL) {
		req->error_loc = offsetof(struct nvme_identify, nsid);
		*status = NVME_SC_INVALID_NS | NVME_STATUS_DNR;
		return NULL;
	}
	return nvmet_ctrl_ns_io_get(req->sq->ctrl, nsid);
}

/*
 * ONCS and FUSES are the controller's, the feature bits are each
 * namespace's: Compare, Write Zeroes, Dataset Management, Verify, Copy and
 * fused Compare and Write are advertised while a namespace this
 * controller sees has the bit on (any other answers them with Invalid
 * Opcode, a fused Compare with Invalid Field), and all while it sees none,
 * since one enabled later may have them and a host reads ONCS and FUSES
 * only when it connects or resets the controller.
 */
static u32 nvmet_ctrl_features(struct nvmet_ctrl *ctrl)
{
	const u32 all = NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			NVMET_BF_CORE;
	u32 features = 0;
	struct nvmet_ns *ns;
	unsigned long idx;
	bool any = false;

	/* Stops at the first namespace with all: usually the first. */
	rcu_read_lock();
	xa_for_each(&ctrl->subsys->namespaces, idx, ns) {
		if (!nvmet_ns_visible(ctrl, ns))
			continue;
		any = true;
		features |= READ_ONCE(ns->features);
		if ((features & all) == all)
			break;
	}
	rcu_read_unlock();
	return any ? features : all;
}

static u16 nvmet_ctrl_oncs(u32 features)
{
	u16 oncs = NVME_CTRL_ONCS_RESERVATIONS;

	if (features & NVMET_BF_COMPARE)
		oncs |= NVME_CTRL_ONCS_COMPARE;
	if (features & NVMET_BF_VERIFY)
		oncs |= NVMET_CTRL_ONCS_VERIFY;
	if (features & NVMET_BF_WRITE_ZEROES)
		oncs |= NVME_CTRL_ONCS_WRITE_ZEROES;
	if (features & NVMET_BF_DEALLOCATE)
		oncs |= NVME_CTRL_ONCS_DSM;
	if (features & NVMET_BF_COPY)
		oncs |= NVMET_CTRL_ONCS_COPY;
	return oncs;
}

static u16 nvmet_fill_id_ctrl(struct nvmet_req *req, void *buf)
{
	struct nvmet_subsys *subsys = req->sq->ctrl->subsys;
	struct nvme_id_ctrl *id = buf;
	u32 features;
	u16 oncs;

	nvmet_id_ctrl_common(req, id);
	mutex_lock(&subsys->lock);
	/* What a host has seen must not change under it. */
	subsys->discovered = true;
	memcpy_and_pad(id->sn, sizeof(id->sn), subsys->serial,
		       strlen(subsys->serial), ' ');
	memcpy_and_pad(id->mn, sizeof(id->mn), subsys->model,
		       strlen(subsys->model), ' ');
	memcpy_and_pad(id->fr, sizeof(id->fr), subsys->firmware,
		       strlen(subsys->firmware), ' ');
	id->ieee[0] = subsys->ieee_oui & 0xff;
	id->ieee[1] = (subsys->ieee_oui >> 8) & 0xff;
	id->ieee[2] = (subsys->ieee_oui >> 16) & 0xff;
	id->ver = cpu_to_le32(subsys->ver);
	id->vid = cpu_to_le16(subsys->vendor_id);
	id->ssvid = cpu_to_le16(subsys->subsys_vendor_id);
	mutex_unlock(&subsys->lock);
	id->cntrltype = NVME_CTRL_IO;
	id->cmic = NVME_CTRL_CMIC_MULTI_PORT | NVME_CTRL_CMIC_MULTI_CTRL |
		   NVME_CTRL_CMIC_ANA;
	id->oaes = cpu_to_le32(NVMET_AEN_CFG_IO);
	id->frmw = (1 << 1) | 1;
	id->ctratt |= cpu_to_le32(NVMET_CTRL_ATTR_EGS);
	/* SMART per namespace, effects, extended data, LID 00h/12h/13h. */
	id->lpa = (1 << 0) | NVME_CTRL_LPA_CMD_EFFECTS_LOG | (1 << 2) |
		  NVMET_CTRL_LPA_LID_SUPPORTED;
	/* ENDGIDMAX: <linux/nvme.h> of 6.12 calls the field reserved. */
	BUILD_BUG_ON(offsetof(struct nvme_id_ctrl, anatt) !=
		     NVMET_ID_CTRL_ANATT_OFF);
	*(__le16 *)((u8 *)id + NVMET_ID_CTRL_ENDGIDMAX_OFF) =
		cpu_to_le16(NVMET_ID_CNSSID_MASK);
	id->nn = cpu_to_le32(NVMET_MAX_NAMESPACES);
	id->mnan = cpu_to_le32(req->sq->ctrl->mnan);
	features = nvmet_ctrl_features(req->sq->ctrl);
	oncs = nvmet_ctrl_oncs(features);
	id->oncs = cpu_to_le16(oncs);
	/*
	 * Copy: source range descriptor formats 0h to 3h (copy.c); 2h and
	 * 3h once the host enables them in Host Behavior Support.
	 */
	BUILD_BUG_ON(offsetof(struct nvme_id_ctrl, sgls) !=
		     NVMET_ID_CTRL_OCFS_OFF + 2);
	if (oncs & NVMET_CTRL_ONCS_COPY)
		put_unaligned_le16(BIT(NVMET_COPY_FMT0) | BIT(NVMET_COPY_FMT1) |
				   BIT(NVMET_COPY_FMT2) | BIT(NVMET_COPY_FMT3),
				   (u8 *)id + NVMET_ID_CTRL_OCFS_OFF);
	/* Fused Compare and Write: the core's, over every backend's rw(). */
	if (features & NVMET_BF_COMPARE_WRITE)
		id->fuses = cpu_to_le16(NVMET_CTRL_FUSES_CMP_WRITE);
	/*
	 * Present whatever the namespaces' NVMET_BF_VWC: a host that saw
	 * no cache at connect would never flush a namespace that has one
	 * later.  Each namespace says it has none in NSFEAT of CNS 08h, and
	 * its Flush then succeeds with nothing to do.
	 */
	id->vwc = NVME_CTRL_VWC_PRESENT;
	id->anacap = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4);
	id->anatt = 10;
	id->anagrpmax = cpu_to_le32(NVMET_MAX_ANAGRPS);
	id->nanagrpid = cpu_to_le32(NVMET_MAX_ANAGRPS);
	strscpy(id->subnqn, subsys->nqn, sizeof(id->subnqn));
	return 0;
}

/* @bytes as a 0's based count of logical blocks, 1 to 65536 of them. */
static __le16 nvmet_id_blocks0(u32 bytes, u8 blksize_shift)
{
	u32 n = bytes >> blksize_shift;

	return cpu_to_le16(clamp_t(u32, n, 1, 1U << 16) - 1);
}

/*
 * What the backend says of its storage, as in-tree reports a block
 * device's: NSFEAT bit 1 and the atomic write units, bit 4 and the
 * preferred granularities and optimal write size; DLFEAT while
 * deallocation is on.
 */
static void nvmet_id_ns_limits(struct nvmet_ns *ns, struct nvme_id_ns *id)
{
	struct nvmet_ns_limits lim = { };
	u8 shift = ns->blksize_shift;
	u32 features;
	bool wz_dealloc;

	if (!ns->backend->limits)
		return;
	ns->backend->limits(ns, &lim);
	if (lim.atomic_write) {
		id->nsfeat |= NVME_NS_FEAT_ATOMICS;
		id->nawun = nvmet_id_blocks0(lim.atomic_write, shift);
		id->nawupf = id->nawun;
		id->nacwu = id->nawun;
	}
	if (lim.write_granularity || lim.dealloc_granularity ||
	    lim.optimal_write) {
		id->nsfeat |= NVMET_NS_FEAT_OPTPERF;
		id->npwg = nvmet_id_blocks0(lim.write_granularity, shift);
		id->npwa = id->npwg;
		id->npdg = nvmet_id_blocks0(lim.dealloc_granularity, shift);
		id->npda = id->npdg;
		/* 0, not one block, when the backend knows no optimum. */
		if (lim.optimal_write)
			id->nows = nvmet_id_blocks0(lim.optimal_write, shift);
	}
	/*
	 * Bits 2:0 001b: a deallocated block reads as zeroes, whether Dataset
	 * Management or Write Zeroes deallocated it; bit 3: Write Zeroes
	 * takes DEAC (a Linux host sets it only with 001b).
	 */
	features = READ_ONCE(ns->features);
	wz_dealloc = lim.write_zeroes_dealloc &&
		     (features & NVMET_BF_WRITE_ZEROES);
	if (lim.dealloc_zeroes &&
	    ((features & NVMET_BF_DEALLOCATE) || wz_dealloc))
		id->dlfeat = 0x1;
	if (wz_dealloc)
		id->dlfeat |= 0x8;
}

/*
 * Protection information while NVMET_BF_PI is on: LBA format 0 has 8
 * (16-bit guard) or 16 (64-bit guard) bytes of metadata, all PI (first
 * and last bytes alike), in extended LBAs, the only way fabrics carry
 * metadata; the type the device has.  The guard is in CNS 05h's ELBAF[0].
 */
static void nvmet_id_ns_pi(struct nvmet_ns *ns, struct nvme_id_ns *id)
{
	if (!(READ_ONCE(ns->features) & NVMET_BF_PI))
		return;
	id->lbaf[0].ms = cpu_to_le16(ns->pi_size);
	id->flbas = NVME_NS_FLBAS_META_EXT;
	id->mc = NVME_MC_EXTENDED_LBA;
	id->dpc = NVME_NS_DPC_PI_FIRST |
		  (ns->pi_type == NVME_NS_DPS_PI_TYPE1 ? NVME_NS_DPC_PI_TYPE1 :
							 NVME_NS_DPC_PI_TYPE3);
	id->dps = ns->pi_type | NVME_NS_DPS_PI_FIRST;
}

static u16 nvmet_fill_id_ns(struct nvmet_req *req, void *buf)
{
	struct nvme_id_ns *id = buf;
	struct nvmet_ns *ns;
	u16 status;
	u8 state;

	ns = nvmet_identify_ns_get(req, &status);
	if (!ns)
		return status;
	/* The storage may have grown: a host's rescan sees it, as in-tree. */
	nvmet_ns_revalidate_io(ns);
	id->nsze = cpu_to_le64(READ_ONCE(ns->size) >> ns->blksize_shift);
	id->ncap = id->nsze;
	state = nvmet_port_ana_state(req->port, READ_ONCE(ns->anagrpid));
	if (state != NVME_ANA_INACCESSIBLE && state != NVME_ANA_PERSISTENT_LOSS)
		id->nuse = id->nsze;
	id->nlbaf = 0;
	id->flbas = 0;
	id->lbaf[0].ds = ns->blksize_shift;
	nvmet_id_ns_pi(ns, id);
	id->nmic = 1;
	id->anagrpid = cpu_to_le32(READ_ONCE(ns->anagrpid));
	id->endgid = cpu_to_le16(nvmet_ns_endgid(ns));
	memcpy(id->nguid, ns->nguid, sizeof(id->nguid));
	if (READ_ONCE(ns->features) & NVMET_BF_DEALLOCATE)
		id->nsfeat |= NVME_NS_FEAT_THIN;
	nvmet_id_ns_limits(ns, id);
	nvmet_copy_id_ns(ns, id);
	id->rescap = nvmet_pr_rescap(ns);
	nvmet_ns_io_put(ns);
	return 0;
}

/*
 * Active NSIDs above the command's; CNS 02h, and CNS 07h for a command set:
 * every namespace for NVM (ZNS has the NVM commands), the zoned ones for
 * ZNS.
 */
static u16 nvmet_fill_id_active_ns(struct nvmet_req *req, void *buf)
{
	bool zns = req->cmd->identify.cns == NVMET_ID_CNS_CS_NS_ACTIVE_LIST &&
		   req->cmd->identify.csi == NVME_CSI_ZNS;
	u32 start = le32_to_cpu(req->cmd->identify.nsid);
	struct nvmet_subsys *subsys = req->sq->ctrl->subsys;
	__le32 *list = buf;
	unsigned long idx;
	struct nvmet_ns *ns;
	unsigned int n = 0;

	if (start >= 0xfffffffe) {
		req->error_loc = offsetof(struct nvme_identify, nsid);
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	}
	rcu_read_lock();
	xa_for_each_start(&subsys->namespaces, idx, ns, (unsigned long)start + 1) {
		if (!nvmet_ns_visible(req->sq->ctrl, ns) ||
		    (zns && ns->csi != NVME_CSI_ZNS))
			continue;
		list[n++] = cpu_to_le32(idx);
		if (n == NVME_IDENTIFY_DATA_SIZE / sizeof(__le32))
			break;
	}
	rcu_read_unlock();
	return 0;
}

static size_t nvmet_ns_desc(u8 *buf, size_t off, u8 type, const void *id,
			    u8 len)
{
	struct nvme_ns_id_desc *desc = (void *)(buf + off);

	desc->nidt = type;
	desc->nidl = len;
	memcpy(desc + 1, id, len);
	return off + sizeof(*desc) + len;
}

static u16 nvmet_fill_id_desclist(struct nvmet_req *req, void *buf)
{
	u32 nsid = le32_to_cpu(req->cmd->identify.nsid);
	static const u8 zero[16];
	struct nvmet_ns *ns;
	size_t off = 0;

	ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, nsid);
	if (!ns) {
		req->error_loc = offsetof(struct nvme_identify, nsid);
		/* A disabled namespace: a path error, as in-tree. */
		if (nvmet_ns_exists(req->sq->ctrl->subsys, nsid))
			return NVME_SC_INTERNAL_PATH_ERROR;
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	}
	if (!uuid_is_null(&ns->uuid))
		off = nvmet_ns_desc(buf, off, NVME_NIDT_UUID, &ns->uuid,
				    NVME_NIDT_UUID_LEN);
	if (memcmp(ns->nguid, zero, sizeof(ns->nguid)))
		off = nvmet_ns_desc(buf, off, NVME_NIDT_NGUID, ns->nguid,
				    NVME_NIDT_NGUID_LEN);
	nvmet_ns_desc(buf, off, NVME_NIDT_CSI, &ns->csi, NVME_NIDT_CSI_LEN);
	nvmet_ns_io_put(ns);
	return 0;
}

static u16 nvmet_fill_id_cs_indep(struct nvmet_req *req, void *buf)
{
	u32 nsid = le32_to_cpu(req->cmd->identify.nsid);
	struct nvme_id_ns_cs_indep *id = buf;
	struct nvmet_media_info info;
	struct nvmet_ns *ns;

	ns = nvmet_ctrl_ns_io_get(req->sq->ctrl, nsid);
	if (ns) {
		nvmet_ns_media_info(ns, &info);
		if (info.rotational)
			id->nsfeat |= NVMET_NS_FEAT_ROTATIONAL;
		if (!(READ_ONCE(ns->features) & NVMET_BF_VWC))
			id->nsfeat |= NVMET_NS_FEAT_VWC_NOT_PRESENT;
		id->nmic = 1;
		id->anagrpid = cpu_to_le32(READ_ONCE(ns->anagrpid));
		id->endgid = cpu_to_le16(nvmet_ns_endgid(ns));
		id->nstat = 1;
		id->rescap = nvmet_pr_rescap(ns);
		nvmet_ns_io_put(ns);
	}
	return 0;
}

/*
 * I/O Command Set specific Identify Namespace, NVM (CNS 05h): no storage
 * tags (LBSTM 0), no 16-bit guard PI with a storage tag mask nor
 * qualified formats (PIC 0), and the extended LBA format 0 has no storage
 * tag and the guard of the namespace's PI (ELBAF[0] bits 8:7, PIF): 16-bit
 * (0) unless the namespace has the 64-bit guard with NVMET_BF_PI on (2).
 * So all zeroes for other namespaces, active or not.  NSIDs 0 and
 * FFFFFFFFh are invalid, as for CNS 00h.
 */
static u16 nvmet_fill_id_ns_nvm(struct nvmet_req *req, void *buf)
{
	struct nvme_id_ns_nvm *id = buf;
	struct nvmet_ns *ns;
	u16 status;

	ns = nvmet_identify_ns_get(req, &status);
	if (!ns)
		return status;
	if ((READ_ONCE(ns->features) & NVMET_BF_PI) && nvmet_ns_pi64(ns))
		id->elbaf[0] = cpu_to_le32(NVME_NVM_NS_64B_GUARD <<
					   NVME_ID_NS_NVM_GUARD_SHIFT);
	nvmet_ns_io_put(ns);
	return 0;
}

/*
 * I/O Command Set specific Identify Controller, NVM (CNS 06h): no Verify
 * (VSL), no Write Zeroes limit beyond the command's (WZSL), the ranges
 * and sizes of Dataset Management limited only by the command (DMRL,
 * DMRSL, DMSL): all zeroes.
 */
static u16 nvmet_fill_id_ctrl_nvm(struct nvmet_req *req, void *buf)
{
	return 0;
}

/*
 * Endurance Group List (CNS 19h): the number of IDs, then the IDs above
 * CNSSID in ascending order, at most 2047; one group per namespace.
 */
static u16 nvmet_fill_id_endgrp_list(struct nvmet_req *req, void *buf)
{
	u16 start = le32_to_cpu(req->cmd->common.cdw11) & NVMET_ID_CNSSID_MASK;
	struct nvmet_subsys *subsys = req->sq->ctrl->subsys;
	__le16 *list = buf;
	unsigned long idx;
	struct nvmet_ns *ns;
	unsigned int n = 0;

	rcu_read_lock();
	xa_for_each_range(&subsys->namespaces, idx, ns,
			  (unsigned long)start + 1, NVMET_ID_CNSSID_MASK) {
		if (!nvmet_ns_visible(req->sq->ctrl, ns))
			continue;
		list[++n] = cpu_to_le16(idx);
		if (n == NVME_IDENTIFY_DATA_SIZE / sizeof(__le16) - 1)
			break;
	}
	rcu_read_unlock();
	list[0] = cpu_to_le16(n);
	return 0;
}

/* Is the CSI of this Identify one we implement (NVM, ZNS)? */
static bool nvmet_identify_csi_ok(struct nvmet_req *req)
{
	if (req->cmd->identify.csi == NVME_CSI_NVM ||
	    req->cmd->identify.csi == NVME_CSI_ZNS)
		return true;
	req->error_loc = offsetof(struct nvme_identify, csi);
	return false;
}

static void nvmet_execute_identify(struct nvmet_req *req)
{
	struct nvme_identify *id = &req->cmd->identify;

	if (!nvmet_check_transfer_len(req, NVME_IDENTIFY_DATA_SIZE))
		return;
	switch (id->cns) {
	case NVME_ID_CNS_NS:
		return nvmet_send_identify(req, nvmet_fill_id_ns);
	case NVME_ID_CNS_CTRL:
		return nvmet_send_identify(req, nvmet_fill_id_ctrl);
	case NVME_ID_CNS_NS_ACTIVE_LIST:
		return nvmet_send_identify(req, nvmet_fill_id_active_ns);
	case NVME_ID_CNS_NS_DESC_LIST:
		return nvmet_send_identify(req, nvmet_fill_id_desclist);
	case NVME_ID_CNS_CS_NS:
		if (!nvmet_identify_csi_ok(req))
			goto invalid;
		return nvmet_send_identify(req, id->csi == NVME_CSI_ZNS ?
					   nvmet_zns_fill_id_ns :
					   nvmet_fill_id_ns_nvm);
	case NVME_ID_CNS_CS_CTRL:
		if (!nvmet_identify_csi_ok(req))
			goto invalid;
		return nvmet_send_identify(req, id->csi == NVME_CSI_ZNS ?
					   nvmet_zns_fill_id_ctrl :
					   nvmet_fill_id_ctrl_nvm);
	case NVMET_ID_CNS_CS_NS_ACTIVE_LIST:
		if (!nvmet_identify_csi_ok(req))
			goto invalid;
		return nvmet_send_identify(req, nvmet_fill_id_active_ns);
	case NVME_ID_CNS_NS_CS_INDEP:
		return nvmet_send_identify(req, nvmet_fill_id_cs_indep);
	case NVMET_ID_CNS_ENDGRP_LIST:
		return nvmet_send_identify(req, nvmet_fill_id_endgrp_list);
	default:
		req->error_loc = offsetof(struct nvme_identify, cns);
		break;
	}
invalid:
	pr_debug("nvmet: identify cns 0x%x csi %u not supported\n", id->cns,
		 id->csi);
	nvmet_req_complete(req, NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
}

/**
 * nvmet_set_feat_kato() - Set Features, Keep Alive Timer
 * @req: the request
 *
 * Return: 0 or an NVMe status.
 */
u16 nvmet_set_feat_kato(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u32 kato = le32_to_cpu(req->cmd->common.cdw11);

	mutex_lock(&ctrl->lock);
	WRITE_ONCE(ctrl->kato, kato);
	mutex_unlock(&ctrl->lock);
	nvmet_ctrl_ka_start(ctrl);
	req->cqe->result.u32 = cpu_to_le32(kato);
	return 0;
}

/**
 * nvmet_set_feat_async_event() - Set Features, Asynchronous Event Config
 * @req: the request
 * @mask: the events this controller can report
 *
 * Return: 0 or an NVMe status.
 */
u16 nvmet_set_feat_async_event(struct nvmet_req *req, u32 mask)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u32 val = le32_to_cpu(req->cmd->common.cdw11);

	/* SMART warning bits are accepted; we never raise them. */
	if (val & ~(mask | 0xff)) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	mutex_lock(&ctrl->lock);
	ctrl->aen_enabled = val;
	mutex_unlock(&ctrl->lock);
	req->cqe->result.u32 = cpu_to_le32(val);
	return 0;
}

/**
 * nvmet_get_feat_kato() - Get Features, Keep Alive Timer
 * @req: the request
 */
void nvmet_get_feat_kato(struct nvmet_req *req)
{
	req->cqe->result.u32 = cpu_to_le32(READ_ONCE(req->sq->ctrl->kato));
}

/**
 * nvmet_get_feat_async_event() - Get Features, Asynchronous Event Config
 * @req: the request
 */
void nvmet_get_feat_async_event(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;

	mutex_lock(&ctrl->lock);
	req->cqe->result.u32 = cpu_to_le32(ctrl->aen_enabled);
	mutex_unlock(&ctrl->lock);
}

/*
 * Set Features, Host Behavior Support: what the target has none of
 * (Extended Telemetry Data Area 4, LBA Format Extensions, Dispersed
 * Namespaces, Copy format 4h) must stay 0, else Invalid Field; ACRE is
 * kept (the target never asks for a delayed retry, so it changes
 * nothing) and CDFE's bits 2 and 3 enable Copy formats 2h and 3h.
 */
static u16 nvmet_set_feat_host_behavior(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_feat_host_behavior hbs;
	u16 cdfe, status;

	status = nvmet_copy_from_sgl(req, 0, &hbs, sizeof(hbs));
	if (status)
		return status;
	cdfe = le16_to_cpu(hbs.cdfe);
	if (hbs.acre > 1 || hbs.etdas || hbs.lbafee || hbs.hdisns ||
	    (cdfe & ~(NVMET_HBS_CDFE_FMT2 | NVMET_HBS_CDFE_FMT3))) {
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	mutex_lock(&ctrl->lock);
	ctrl->hbs_acre = hbs.acre;
	WRITE_ONCE(ctrl->hbs_cdfe, cdfe);
	mutex_unlock(&ctrl->lock);
	return 0;
}

/* Get Features, Host Behavior Support: completes @req. */
static void nvmet_get_feat_host_behavior(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_feat_host_behavior hbs = { };

	if (!nvmet_check_transfer_len(req, sizeof(hbs)))
		return;
	mutex_lock(&ctrl->lock);
	hbs.acre = ctrl->hbs_acre;
	hbs.cdfe = cpu_to_le16(ctrl->hbs_cdfe);
	mutex_unlock(&ctrl->lock);
	nvmet_req_complete(req, nvmet_copy_to_sgl(req, 0, &hbs, sizeof(hbs)));
}

static void nvmet_execute_set_features(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u32 cdw10 = le32_to_cpu(req->cmd->common.cdw10);
	u32 cdw11 = le32_to_cpu(req->cmd->common.cdw11);
	u16 status;

	if ((cdw10 & 0xff) == NVME_FEAT_HOST_BEHAVIOR) {
		if (!nvmet_check_transfer_len(req, NVMET_HBS_SIZE))
			return;
		nvmet_req_complete(req, nvmet_set_feat_host_behavior(req));
		return;
	}
	if (!nvmet_check_data_len_lte(req, 0))
		return;
	switch (cdw10 & 0xff) {
	case NVME_FEAT_NUM_QUEUES:
		if ((cdw11 & 0xffff) == 0xffff || (cdw11 >> 16) == 0xffff) {
			status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
			break;
		}
		req->cqe->result.u32 = cpu_to_le32((ctrl->max_qid - 1) |
						   (ctrl->max_qid - 1) << 16);
		status = 0;
		break;
	case NVME_FEAT_KATO:
		status = nvmet_set_feat_kato(req);
		break;
	case NVME_FEAT_ASYNC_EVENT:
		status = nvmet_set_feat_async_event(req, NVMET_AEN_CFG_IO);
		break;
	case NVME_FEAT_HOST_ID:
		status = NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
		break;
	case NVME_FEAT_RESV_MASK:
	case NVME_FEAT_RESV_PERSIST:
		return nvmet_pr_execute_set_features(req);
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	}
	nvmet_req_complete(req, status);
}

static void nvmet_execute_get_features(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u32 cdw10 = le32_to_cpu(req->cmd->common.cdw10);
	u32 cdw11 = le32_to_cpu(req->cmd->common.cdw11);
	u16 status = 0;

	switch (cdw10 & 0xff) {
	case NVME_FEAT_VOLATILE_WC:
		req->cqe->result.u32 = cpu_to_le32(1);
		break;
	case NVME_FEAT_NUM_QUEUES:
		req->cqe->result.u32 = cpu_to_le32((ctrl->max_qid - 1) |
						   (ctrl->max_qid - 1) << 16);
		break;
	case NVME_FEAT_KATO:
		nvmet_get_feat_kato(req);
		break;
	case NVME_FEAT_ASYNC_EVENT:
		nvmet_get_feat_async_event(req);
		break;
	case NVME_FEAT_HOST_ID:
		/* Only the 128-bit identifier (EXHID) exists here. */
		if (!(cdw11 & 1)) {
			req->error_loc = offsetof(struct nvme_common_command,
						  cdw11);
			status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
			break;
		}
		if (!nvmet_check_transfer_len(req, sizeof(ctrl->hostid)))
			return;
		status = nvmet_copy_to_sgl(req, 0, &ctrl->hostid,
					   sizeof(ctrl->hostid));
		break;
	case NVME_FEAT_RESV_MASK:
	case NVME_FEAT_RESV_PERSIST:
		status = nvmet_pr_get_features(req);
		break;
	case NVME_FEAT_HOST_BEHAVIOR:
		nvmet_get_feat_host_behavior(req);
		return;
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	}
	if (!status && (cdw10 & 0xff) != NVME_FEAT_HOST_ID &&
	    !nvmet_check_transfer_len(req, 0))
		return;
	nvmet_req_complete(req, status);
}

/**
 * nvmet_execute_async_event() - Asynchronous Event Request
 * @req: the request, held until an event comes or the queue goes
 */
void nvmet_execute_async_event(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	mutex_lock(&ctrl->lock);
	if (ctrl->nr_aer_cmds >= NVMET_ASYNC_EVENTS) {
		mutex_unlock(&ctrl->lock);
		nvmet_req_complete(req, NVME_SC_ASYNC_LIMIT | NVME_STATUS_DNR);
		return;
	}
	ctrl->aer_cmds[ctrl->nr_aer_cmds++] = req;
	mutex_unlock(&ctrl->lock);
	nvmet_ctrl_aer_done(ctrl);
}

/**
 * nvmet_execute_keep_alive() - Keep Alive
 * @req: the request
 */
void nvmet_execute_keep_alive(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	if (!READ_ONCE(ctrl->kato)) {
		nvmet_req_complete(req, NVME_SC_KA_TIMEOUT_INVALID |
				   NVME_STATUS_DNR);
		return;
	}
	nvmet_ctrl_ka_start(ctrl);
	nvmet_req_complete(req, 0);
}

static void nvmet_execute_abort(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, 0))
		return;
	/* Bit 0 set: the command was not aborted. */
	req->cqe->result.u32 = cpu_to_le32(1);
	nvmet_req_complete(req, 0);
}

static const struct nvmet_cmd_handler nvmet_admin_cmds[] = {
	{ nvme_admin_get_log_page, NVMET_LEN_LOG, nvmet_execute_get_log_page },
	{ nvme_admin_identify, NVME_IDENTIFY_DATA_SIZE, nvmet_execute_identify },
	{ nvme_admin_set_features, NVMET_LEN_FEAT, nvmet_execute_set_features },
	{ nvme_admin_get_features, NVMET_LEN_FEAT, nvmet_execute_get_features },
	{ nvme_admin_async_event, 0, nvmet_execute_async_event },
	{ nvme_admin_keep_alive, 0, nvmet_execute_keep_alive },
	{ nvme_admin_abort_cmd, 0, nvmet_execute_abort },
};

/*
 * Bytes of data a Get or Set Features carries: Host Behavior Support's
 * both ways, the Host Identifier's for Get (Set has none: only Connect
 * sets it).
 */
static u32 nvmet_feat_data_len(struct nvme_command *cmd)
{
	u8 fid = le32_to_cpu(cmd->common.cdw10) & 0xff;

	if (fid == NVME_FEAT_HOST_BEHAVIOR)
		return sizeof(struct nvmet_feat_host_behavior);
	if (fid == NVME_FEAT_HOST_ID &&
	    cmd->common.opcode == nvme_admin_get_features)
		return sizeof_field(struct nvmet_ctrl, hostid);
	return 0;
}

/**
 * nvmet_dispatch() - pick a command's handler from a table
 * @req: the request
 * @cmds: handlers by opcode
 * @nr: entries in @cmds
 *
 * Context: Any context.
 * Return: 0 with req->execute and req->data_len set, or Invalid Opcode.
 */
u16 nvmet_dispatch(struct nvmet_req *req, const struct nvmet_cmd_handler *cmds,
		   size_t nr)
{
	u8 opcode = req->cmd->common.opcode;
	size_t i;

	for (i = 0; i < nr; i++) {
		if (cmds[i].opcode != opcode)
			continue;
		req->execute = cmds[i].execute;
		if (cmds[i].data_len == NVMET_LEN_LOG)
			req->data_len = nvmet_get_log_page_len(req->cmd);
		else if (cmds[i].data_len == NVMET_LEN_FEAT)
			req->data_len = nvmet_feat_data_len(req->cmd);
		else
			req->data_len = cmds[i].data_len;
		return 0;
	}
	pr_debug("nvmet: admin opcode 0x%x not supported\n", opcode);
	req->error_loc = offsetof(struct nvme_common_command, opcode);
	return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
}

/**
 * nvmet_parse_admin_cmd() - pick the handler of an admin command
 * @req: the request, on a connected admin queue
 *
 * Context: Process context.
 * Return: 0 or an NVMe status.
 */
u16 nvmet_parse_admin_cmd(struct nvmet_req *req)
{
	struct nvme_command *cmd = req->cmd;
	u16 status;

	if (nvme_is_fabrics(cmd))
		return nvmet_parse_fabrics_admin_cmd(req);
	if (nvmet_ctrl_is_disc(req->sq->ctrl))
		return nvmet_parse_discovery_cmd(req);
	status = nvmet_check_ctrl_ready(req);
	if (status)
		return status;
	/* Passthru: the device's, unless ours (req->execute left NULL). */
	if (nvmet_subsys_is_passthru(req->sq->ctrl->subsys)) {
		status = nvmet_passthru_parse_admin_cmd(req);
		if (status || req->execute)
			return status;
	}

	return nvmet_dispatch(req, nvmet_admin_cmds,
			      ARRAY_SIZE(nvmet_admin_cmds));
}
