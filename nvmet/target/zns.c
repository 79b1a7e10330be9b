// SPDX-License-Identifier: GPL-2.0-only
/*
 * Zoned namespaces (the ZNS command set, CSI 02h) over a backend's zone
 * hooks (struct nvmet_backend_ops: report_zones, zone_mgmt, zone_append):
 * the checks at enable that make a zoned device a ZNS namespace or
 * refuse it, the command set's Identify data and effects, and the
 * parsing and execution of Zone Management Send, Zone Management Receive
 * and Zone Append.  Reads and writes of a zoned namespace are the NVM
 * command set's (io.c); the device refuses a write off a write pointer.
 *
 * Zone Management runs in a work item on the namespace's backend_wq
 * (it waits for the device), Zone Append goes to the backend as a write.
 *
 * Conventions:
 * @ns: an enabled zoned namespace (ns->csi NVME_CSI_ZNS), or one being
 *	enabled, under ns->lock
 * @req: a command on such a namespace, holding its I/O reference
 */
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include <nvmet/fabric.h>
#include "../core/core.h"
#include "ctrl.h"

/* ZASL and MDTS count in units of the minimum memory page, 4 KiB. */
#define NVMET_ZNS_MPSMIN_SHIFT	12

/* A report from the zone that holds @pos on stops when @cb says so. */
#define NVMET_ZNS_REPORT_FULL	(-ECANCELED)

static u64 nvmet_zns_nr_zones(const struct nvmet_ns *ns)
{
	return div64_u64(ns->size, ns->zoned.zone_size);
}

static u64 nvmet_zns_blocks(const struct nvmet_ns *ns, u64 bytes)
{
	return bytes >> ns->blksize_shift;
}

/* A blk_zone's sector in logical blocks of @ns. */
static u64 nvmet_zns_sect_to_lba(const struct nvmet_ns *ns, sector_t sect)
{
	return nvmet_zns_blocks(ns, (u64)sect << SECTOR_SHIFT);
}

/* ZASL of @ns: its largest Zone Append, as a power of two of 4 KiB. */
static u8 nvmet_zns_zasl(const struct nvmet_ns *ns)
{
	return ilog2(ns->zoned.max_append >> NVMET_ZNS_MPSMIN_SHIFT);
}

static int nvmet_zns_no_conv_cb(struct blk_zone *zone, unsigned int idx,
				void *data)
{
	return zone->type == BLK_ZONE_TYPE_CONVENTIONAL ? -EOPNOTSUPP : 0;
}

/* Say why @ns cannot be a zoned namespace; -EINVAL. */
static int nvmet_zns_refuse(struct nvmet_ns *ns, const char *why)
{
	pr_err("nvmet: subsystem %s namespace %u: zoned device %s: %s\n",
	       ns->subsys->nqn, ns->nsid,
	       ns->device_path ? ns->device_path : "(null)", why);
	return -EINVAL;
}

/**
 * nvmet_zns_ns_check() - may a zoned device be a ZNS namespace?
 * @ns: the namespace, its backend just opened with ns->csi NVME_CSI_ZNS
 * @ops: that backend
 *
 * What in-tree refuses, and what ZNS cannot describe: a backend without
 * the zone hooks or a work queue, a zone size that is not a power of two
 * of at least a block, a last zone smaller than the others (a device
 * size not a multiple of the zone size), conventional zones (ZNS has
 * sequential write required zones only), and a Zone Append limit below
 * the 4 KiB that ZASL counts in.  Unlike in-tree, a namespace whose
 * Zone Append limit is below the other namespaces' is not refused: the
 * controller's ZASL is the smallest of the namespaces it shows.
 *
 * Context: Process context, ns->lock held; reports every zone.
 * Return: 0, or -EINVAL with the reason logged.
 */
int nvmet_zns_ns_check(struct nvmet_ns *ns, const struct nvmet_backend_ops *ops)
	__must_hold(&ns->lock)
{
	u64 zsize = ns->zoned.zone_size;
	int ret;

	lockdep_assert_held(&ns->lock);
	if (!IS_ENABLED(CONFIG_BLK_DEV_ZONED))
		return nvmet_zns_refuse(ns, "the kernel has no zoned block devices");
	if (!ops->report_zones || !ops->zone_mgmt || !ops->zone_append ||
	    !ns->backend_wq)
		return nvmet_zns_refuse(ns, "the backend cannot export zones");
	if (!zsize || !is_power_of_2(zsize) ||
	    zsize < (1ULL << ns->blksize_shift))
		return nvmet_zns_refuse(ns, "zone size is not a power of two");
	if (!ns->size || ns->size & (zsize - 1))
		return nvmet_zns_refuse(ns, "the last zone is smaller than the others");
	if (ns->zoned.max_append < (1U << NVMET_ZNS_MPSMIN_SHIFT))
		return nvmet_zns_refuse(ns, "Zone Append is limited below 4 KiB");
	ret = ops->report_zones(ns, 0, nvmet_zns_nr_zones(ns),
				nvmet_zns_no_conv_cb, NULL);
	if (ret == -EOPNOTSUPP)
		return nvmet_zns_refuse(ns, "conventional zones are not in ZNS");
	if (ret < 0)
		return nvmet_zns_refuse(ns, "cannot report its zones");
	return 0;
}

/* 0's based, all ones for no limit: MOR and MAR. */
static __le32 nvmet_zns_limit0(u32 n)
{
	return cpu_to_le32(n ? n - 1 : U32_MAX);
}

/**
 * nvmet_zns_fill_id_ns() - I/O Command Set specific Identify Namespace of
 *			    ZNS (CNS 05h, CSI 02h)
 * @req: the Identify command
 * @buf: the zeroed data
 *
 * An inactive NSID reads as zeroes; a namespace of another command set is
 * Invalid Field, as in-tree.  Zone operation characteristics (ZOC, OZCS)
 * none, the zone size of the one LBA format, MOR and MAR from the device.
 *
 * Return: 0 or an NVMe status.
 */
u16 nvmet_zns_fill_id_ns(struct nvmet_req *req, void *buf)
{
	struct nvme_id_ns_zns *id = buf;
	struct nvmet_ns *ns;
	u16 status;

	ns = nvmet_identify_ns_get(req, &status);
	if (!ns)
		return status;
	if (ns->csi != NVME_CSI_ZNS) {
		req->error_loc = offsetof(struct nvme_identify, nsid);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto out_put;
	}
	id->lbafe[0].zsze = cpu_to_le64(nvmet_zns_blocks(ns,
							 ns->zoned.zone_size));
	id->mor = nvmet_zns_limit0(ns->zoned.max_open);
	id->mar = nvmet_zns_limit0(ns->zoned.max_active);
out_put:
	nvmet_ns_io_put(ns);
	return status;
}

/**
 * nvmet_zns_fill_id_ctrl() - I/O Command Set specific Identify Controller
 *			      of ZNS (CNS 06h, CSI 02h)
 * @req: the Identify command
 * @buf: the zeroed data
 *
 * ZASL: the smallest Zone Append limit of the zoned namespaces this
 * controller sees, and no more than MDTS; MDTS itself (0: MDTS's) when
 * it sees none.
 *
 * Return: 0.
 */
u16 nvmet_zns_fill_id_ctrl(struct nvmet_req *req, void *buf)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvme_id_ctrl_zns *id = buf;
	u8 zasl = nvmet_mdts(req->port, ctrl->ops, ctrl);
	struct nvmet_ns *ns;
	unsigned long idx;

	rcu_read_lock();
	xa_for_each(&ctrl->subsys->namespaces, idx, ns) {
		if (ns->csi != NVME_CSI_ZNS || !nvmet_ns_visible(ctrl, ns))
			continue;
		if (!zasl || nvmet_zns_zasl(ns) < zasl)
			zasl = nvmet_zns_zasl(ns);
	}
	rcu_read_unlock();
	id->zasl = zasl;
	return 0;
}

/**
 * nvmet_zns_effects() - the Commands Supported and Effects of ZNS's own
 *			 commands (CSI 02h; its NVM commands are the NVM set's)
 * @log: the log page to fill
 */
void nvmet_zns_effects(struct nvme_effects_log *log)
{
	log->iocs[nvme_cmd_zone_append] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
						      NVME_CMD_EFFECTS_LBCC);
	log->iocs[nvme_cmd_zone_mgmt_send] =
		cpu_to_le32(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	log->iocs[nvme_cmd_zone_mgmt_recv] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
}

/**
 * nvmet_zns_zone_state() - the Zone State of a zone descriptor
 * @cond: the block layer's condition of the zone (BLK_ZONE_COND_*)
 *
 * The two share their values (ZS 1h empty ... Fh offline) but for the
 * conditions ZNS lacks: a conventional zone (BLK_ZONE_COND_NOT_WP) has
 * none, and the core refuses devices with such zones.
 *
 * Return: ZS, in bits 7:4 of the descriptor's byte.
 */
u8 nvmet_zns_zone_state(u8 cond)
{
	return cond << 4;
}

/**
 * nvmet_zns_zrasf_match() - does a zone pass a report's filter?
 * @zrasf: Zone Receive Action Specific Field: 0 all, 1h-7h one state
 * @cond: the zone's BLK_ZONE_COND_*
 *
 * Return: true if the zone is reported.
 */
bool nvmet_zns_zrasf_match(u8 zrasf, u8 cond)
{
	static const u8 zrasf_cond[] = {
		[NVME_ZRASF_ZONE_STATE_EMPTY]	 = BLK_ZONE_COND_EMPTY,
		[NVME_ZRASF_ZONE_STATE_IMP_OPEN] = BLK_ZONE_COND_IMP_OPEN,
		[NVME_ZRASF_ZONE_STATE_EXP_OPEN] = BLK_ZONE_COND_EXP_OPEN,
		[NVME_ZRASF_ZONE_STATE_CLOSED]	 = BLK_ZONE_COND_CLOSED,
		[NVME_ZRASF_ZONE_STATE_FULL]	 = BLK_ZONE_COND_FULL,
		[NVME_ZRASF_ZONE_STATE_READONLY] = BLK_ZONE_COND_READONLY,
		[NVME_ZRASF_ZONE_STATE_OFFLINE]	 = BLK_ZONE_COND_OFFLINE,
	};

	if (zrasf == NVME_ZRASF_ZONE_REPORT_ALL)
		return true;
	return zrasf < ARRAY_SIZE(zrasf_cond) && zrasf_cond[zrasf] == cond;
}

/* Does @slba start a zone of the namespace? */
static bool nvmet_zns_zone_start(const struct nvmet_ns *ns, u64 slba)
{
	u64 zone_blocks = nvmet_zns_blocks(ns, ns->zoned.zone_size);

	return !(slba & (zone_blocks - 1));
}

static u16 nvmet_zns_check_slba(struct nvmet_req *req, u64 slba, bool start)
{
	u64 nsze = nvmet_zns_blocks(req->ns, req->ns->size);

	/* SLBA is at the same place in all three commands. */
	BUILD_BUG_ON(offsetof(struct nvme_zone_mgmt_send_cmd, slba) !=
		     offsetof(struct nvme_rw_command, slba));
	BUILD_BUG_ON(offsetof(struct nvme_zone_mgmt_recv_cmd, slba) !=
		     offsetof(struct nvme_rw_command, slba));
	if (slba >= nsze) {
		req->error_loc = offsetof(struct nvme_rw_command, slba);
		req->error_slba = slba;
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	}
	if (start && !nvmet_zns_zone_start(req->ns, slba)) {
		req->error_loc = offsetof(struct nvme_rw_command, slba);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return 0;
}

/* A zone operation's errno, as in-tree: a zone the action cannot take. */
static u16 nvmet_zns_errno_status(int ret)
{
	switch (ret) {
	case 0:
		return NVME_SC_SUCCESS;
	case -EINVAL:
	case -EIO:
		return NVME_SC_ZONE_INVALID_TRANSITION | NVME_STATUS_DNR;
	default:
		return NVME_SC_INTERNAL;
	}
}

/* What a Zone Management Receive collects while the backend reports. */
struct nvmet_zns_report {
	struct nvmet_req *req;
	u64 nr_zones;		/* matching zones seen */
	u64 room;		/* descriptors the buffer holds */
	u8 zrasf;
	bool partial;
};

static int nvmet_zns_report_cb(struct blk_zone *z, unsigned int idx, void *data)
{
	struct nvmet_zns_report *rz = data;
	struct nvmet_ns *ns = rz->req->ns;
	struct nvme_zone_descriptor d = { };

	if (!nvmet_zns_zrasf_match(rz->zrasf, z->cond))
		return 0;
	if (rz->nr_zones < rz->room) {
		d.zt = z->type;
		d.zs = nvmet_zns_zone_state(z->cond);
		d.za = z->reset ? NVMET_ZNS_ZA_RZR : 0;
		d.zcap = cpu_to_le64(nvmet_zns_sect_to_lba(ns, z->capacity));
		d.zslba = cpu_to_le64(nvmet_zns_sect_to_lba(ns, z->start));
		d.wp = cpu_to_le64(nvmet_zns_sect_to_lba(ns, z->wp));
		if (nvmet_copy_to_sgl(rz->req, sizeof(struct nvme_zone_report) +
				      rz->nr_zones * sizeof(d), &d, sizeof(d)))
			return -EIO;
	} else if (rz->partial) {
		/* Only the descriptors sent are counted: no need to go on. */
		return NVMET_ZNS_REPORT_FULL;
	}
	rz->nr_zones++;
	return 0;
}

static void nvmet_zns_recv_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_zone_mgmt_recv_cmd *cmd = &req->cmd->zmr;
	struct nvmet_ns *ns = req->ns;
	u64 pos = le64_to_cpu(cmd->slba) << ns->blksize_shift;
	struct nvmet_zns_report rz = {
		.req = req,
		.zrasf = cmd->zrasf,
		.partial = cmd->pr & NVME_REPORT_ZONE_PARTIAL,
		.room = (req->data_len - sizeof(struct nvme_zone_report)) /
			sizeof(struct nvme_zone_descriptor),
	};
	u64 zone = div64_u64(pos, ns->zoned.zone_size);
	__le64 nr;
	u16 status;
	int ret;

	status = nvmet_zero_sgl(req, 0, req->data_len);
	if (status)
		goto out;
	ret = ns->backend->report_zones(ns, pos, nvmet_zns_nr_zones(ns) - zone,
					nvmet_zns_report_cb, &rz);
	if (ret < 0 && ret != NVMET_ZNS_REPORT_FULL) {
		status = NVME_SC_INTERNAL;
		goto out;
	}
	nr = cpu_to_le64(rz.nr_zones);
	status = nvmet_copy_to_sgl(req, 0, &nr, sizeof(nr));
out:
	nvmet_req_complete(req, status);
}

static void nvmet_zns_execute_recv(struct nvmet_req *req)
{
	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	INIT_WORK(&req->work, nvmet_zns_recv_work);
	queue_work(req->ns->backend_wq, &req->work);
}

/* Zone Management Receive: a zone report, its filter and partial bit. */
static u16 nvmet_zns_parse_recv(struct nvmet_req *req)
{
	struct nvme_zone_mgmt_recv_cmd *cmd = &req->cmd->zmr;
	u64 bytes = ((u64)le32_to_cpu(cmd->numd) + 1) * 4;
	u16 status;

	status = nvmet_zns_check_slba(req, le64_to_cpu(cmd->slba), false);
	if (status)
		return status;
	if (bytes < sizeof(struct nvme_zone_report)) {
		req->error_loc = offsetof(struct nvme_zone_mgmt_recv_cmd, numd);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (cmd->zra != NVME_ZRA_ZONE_REPORT) {
		req->error_loc = offsetof(struct nvme_zone_mgmt_recv_cmd, zra);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (cmd->zrasf > NVME_ZRASF_ZONE_STATE_OFFLINE) {
		req->error_loc = offsetof(struct nvme_zone_mgmt_recv_cmd, zrasf);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (cmd->pr & ~NVME_REPORT_ZONE_PARTIAL) {
		req->error_loc = offsetof(struct nvme_zone_mgmt_recv_cmd, pr);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	/* The MDTS check bounds it before anything is allocated. */
	req->data_len = min_t(u64, bytes, U32_MAX);
	req->execute = nvmet_zns_execute_recv;
	return 0;
}

/* Zone Management Send with Select All: which zones its action takes. */
struct nvmet_zns_select {
	unsigned long *zones;
	u64 zone_size;
	u8 zsa;
};

static int nvmet_zns_select_cb(struct blk_zone *z, unsigned int idx,
			       void *data)
{
	struct nvmet_zns_select *sel = data;
	bool take;

	switch (z->cond) {
	case BLK_ZONE_COND_IMP_OPEN:
	case BLK_ZONE_COND_EXP_OPEN:
		take = sel->zsa == NVME_ZONE_CLOSE ||
		       sel->zsa == NVME_ZONE_FINISH;
		break;
	case BLK_ZONE_COND_CLOSED:
		take = sel->zsa == NVME_ZONE_OPEN ||
		       sel->zsa == NVME_ZONE_FINISH;
		break;
	default:
		take = false;
		break;
	}
	if (take)
		set_bit(div64_u64((u64)z->start << SECTOR_SHIFT,
				  sel->zone_size), sel->zones);
	return 0;
}

/*
 * Open, close or finish every zone in a state the action applies to
 * (ZNS, "Select All"): the zones are found first, then taken one by one.
 */
static u16 nvmet_zns_send_all(struct nvmet_req *req, u8 zsa)
{
	struct nvmet_ns *ns = req->ns;
	u64 nr = nvmet_zns_nr_zones(ns), i;
	struct nvmet_zns_select sel = {
		.zone_size = ns->zoned.zone_size,
		.zsa = zsa,
	};
	int ret;

	if (zsa == NVME_ZONE_RESET)
		return nvmet_zns_errno_status(ns->backend->zone_mgmt(ns, zsa, 0,
								     ns->size));
	sel.zones = bitmap_zalloc(nr, GFP_KERNEL);
	if (!sel.zones)
		return NVME_SC_INTERNAL;
	ret = ns->backend->report_zones(ns, 0, nr, nvmet_zns_select_cb, &sel);
	if (ret >= 0)
		ret = 0;
	for_each_set_bit(i, sel.zones, nr) {
		if (ret)
			break;
		ret = ns->backend->zone_mgmt(ns, zsa, i * sel.zone_size,
					     sel.zone_size);
		cond_resched();
	}
	bitmap_free(sel.zones);
	return nvmet_zns_errno_status(ret);
}

static void nvmet_zns_send_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_zone_mgmt_send_cmd *cmd = &req->cmd->zms;
	struct nvmet_ns *ns = req->ns;
	u16 status;
	int ret;

	if (cmd->select_all & NVMET_ZNS_SELECT_ALL) {
		status = nvmet_zns_send_all(req, cmd->zsa);
	} else {
		ret = ns->backend->zone_mgmt(ns, cmd->zsa, nvmet_req_pos(req),
					     ns->zoned.zone_size);
		status = nvmet_zns_errno_status(ret);
	}
	nvmet_req_complete(req, status);
}

static void nvmet_zns_defer_send(struct nvmet_req *req)
{
	INIT_WORK(&req->work, nvmet_zns_send_work);
	queue_work(req->ns->backend_wq, &req->work);
}

static void nvmet_zns_execute_send(struct nvmet_req *req)
{
	struct nvmet_ns *ns = req->ns;
	u64 start = 0, end = U64_MAX;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	/* It changes data: a write of its zone (all of them) to fused pairs. */
	if (!(req->cmd->zms.select_all & NVMET_ZNS_SELECT_ALL)) {
		start = le64_to_cpu(req->cmd->zms.slba);
		end = start + nvmet_zns_blocks(ns, ns->zoned.zone_size);
	}
	if (!nvmet_range_write(req, start, end, nvmet_zns_defer_send))
		return;
	nvmet_zns_defer_send(req);
}

/*
 * Zone Management Send: close, finish, open or reset one zone or, with
 * Select All, every zone (SLBA ignored).  Offline is an invalid
 * transition as in-tree (a block device cannot take a zone offline);
 * other actions, Set Zone Descriptor Extension among them (ZNS has no
 * extensions here), are Invalid Field.
 */
static u16 nvmet_zns_parse_send(struct nvmet_req *req)
{
	struct nvme_zone_mgmt_send_cmd *cmd = &req->cmd->zms;
	u16 status;

	switch (cmd->zsa) {
	case NVME_ZONE_CLOSE:
	case NVME_ZONE_FINISH:
	case NVME_ZONE_OPEN:
	case NVME_ZONE_RESET:
		break;
	case NVME_ZONE_OFFLINE:
		req->error_loc = offsetof(struct nvme_zone_mgmt_send_cmd, zsa);
		return NVME_SC_ZONE_INVALID_TRANSITION | NVME_STATUS_DNR;
	default:
		req->error_loc = offsetof(struct nvme_zone_mgmt_send_cmd, zsa);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (!(cmd->select_all & NVMET_ZNS_SELECT_ALL)) {
		status = nvmet_zns_check_slba(req, le64_to_cpu(cmd->slba),
					      true);
		if (status)
			return status;
	}
	req->execute = nvmet_zns_execute_send;
	return 0;
}

static void nvmet_zns_execute_append(struct nvmet_req *req)
{
	void (*append)(struct nvmet_req *req) = req->ns->backend->zone_append;
	u64 start = le64_to_cpu(req->cmd->rw.slba);
	u64 end = start + nvmet_zns_blocks(req->ns, req->ns->zoned.zone_size);

	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	/* Where in the zone it lands only the device knows: all of it. */
	if (!nvmet_range_write(req, start, end, append))
		return;
	append(req);
}

/*
 * Zone Append: ZSLBA must start a zone (Invalid Field, as in-tree), the
 * data fit in the zone's namespace and be no more than the namespace's
 * own limit, which ZASL reports (Invalid Field otherwise, ZNS "Zone
 * Append").
 */
static u16 nvmet_zns_parse_append(struct nvmet_req *req)
{
	struct nvmet_ns *ns = req->ns;
	u64 slba = le64_to_cpu(req->cmd->rw.slba);
	u64 nlb = (u64)le16_to_cpu(req->cmd->rw.length) + 1;
	u16 status;

	status = nvmet_zns_check_slba(req, slba, true);
	if (status)
		return status;
	if (nlb << ns->blksize_shift > ns->zoned.max_append) {
		req->error_loc = offsetof(struct nvme_rw_command, length);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	req->data_len = nlb << ns->blksize_shift;
	req->execute = nvmet_zns_execute_append;
	return 0;
}

/**
 * nvmet_zns_parse_io_cmd() - pick the handler of a ZNS command
 * @req: an I/O command on a zoned namespace, req->ns referenced
 *
 * Context: Any context.
 * Return: 0, or an NVMe status; Invalid Opcode for what is not ZNS's own.
 */
u16 nvmet_zns_parse_io_cmd(struct nvmet_req *req)
{
	switch (req->cmd->common.opcode) {
	case nvme_cmd_zone_append:
		return nvmet_zns_parse_append(req);
	case nvme_cmd_zone_mgmt_send:
		return nvmet_zns_parse_send(req);
	case nvme_cmd_zone_mgmt_recv:
		return nvmet_zns_parse_recv(req);
	}
	req->error_loc = offsetof(struct nvme_common_command, opcode);
	return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
}
