// SPDX-License-Identifier: GPL-2.0-only
/*
 * Passthru subsystems: a whole NVMe controller of this machine, as the
 * Linux NVMe host driver sees it (/dev/nvmeN), behind a subsystem.  The
 * ABI and what is passed or emulated follow the in-tree target
 * (drivers/nvme/target/passthru.c, Linux 6.12); the state is ours: one
 * RCU-published struct nvmet_passthru per enabled subsystem whose
 * per-cpu reference every command in flight holds, so a disable waits for
 * them and only then lets go of the controller.
 *
 * Commands go to the device as block requests of the host driver's
 * queues (admin queue, the namespace's I/O queue); those needing a fixup
 * afterwards (Identify) or with effects the host driver must handle
 * (nvme_passthru_start()/nvme_passthru_end()) run synchronously on the
 * subsystem's own work queue.
 *
 * Conventions:
 * @subsys: a subsystem
 * @pt: the subsystem's passthru state
 * @req: a command of a controller of a passthru subsystem
 *
 * Documentation/design.md, "Passthru subsystems".
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/percpu-refcount.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <nvmet/compat-blk.h>
#include <nvmet/compat-nvme-host.h>
#include <nvmet/fabric.h>
#include <nvmet/passthru.h>
#include "ctrl.h"

/* nvme-core exports its passthrough interface to this namespace only. */
MODULE_INFO(import_ns, "NVME_TARGET_PASSTHRU");

/**
 * struct nvmet_passthru - a subsystem's passed-through controller
 * @subsys: the subsystem
 * @ctrl: the host driver's controller, referenced, its driver module
 *	  pinned
 * @ref: one per command in flight; killed by the disable
 * @done: the last reference is gone
 * @wq: runs the commands that are executed synchronously
 * @saved_ver: the subsystem's version before enable, restored by disable
 * @rcu: freed after the readers of subsys->passthru
 */
struct nvmet_passthru {
	struct nvmet_subsys *subsys;
	struct nvme_ctrl *ctrl;
	struct percpu_ref ref;
	struct completion done;
	struct workqueue_struct *wq;
	u32 saved_ver;
	struct rcu_head rcu;
};

/* The subsystem passing each controller through, by its instance. */
static DEFINE_XARRAY(nvmet_passthru_ctrls);

static struct nvmet_passthru *nvmet_passthru_get(struct nvmet_subsys *subsys)
{
	struct nvmet_passthru *pt;

	rcu_read_lock();
	pt = rcu_dereference(subsys->passthru);
	if (pt && !percpu_ref_tryget_live(&pt->ref))
		pt = NULL;
	rcu_read_unlock();
	return pt;
}

static void nvmet_passthru_put(struct nvmet_passthru *pt)
{
	percpu_ref_put(&pt->ref);
}

static struct nvmet_subsys *nvmet_req_subsys(struct nvmet_req *req)
{
	return req->sq->ctrl->subsys;
}

/* MDTS from the device's limits and ours: one bio, its segments. */
static u8 nvmet_passthru_mdts(struct nvmet_req *req, struct nvme_ctrl *pctrl)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	u32 sectors = pctrl->max_hw_sectors;
	u8 ours = nvmet_mdts(req->port, ctrl->ops, ctrl);
	u8 dev;

	if (pctrl->max_segments)
		sectors = min_not_zero(sectors, pctrl->max_segments <<
				       (PAGE_SHIFT - SECTOR_SHIFT));
	sectors = min_not_zero(sectors, (u32)BIO_MAX_VECS <<
			       (PAGE_SHIFT - SECTOR_SHIFT));
	/* Our CAP.MPSMIN is 0: MDTS counts 4 KiB pages. */
	dev = ilog2(sectors) + SECTOR_SHIFT - NVMET_MDTS_SHIFT;
	return ours ? min(ours, dev) : dev;
}

/*
 * Identify Controller: the device's, with what belongs to the fabric
 * controller (ID, version, queues, SGLs, keep alive, events) ours, and
 * what the target cannot pass (fused commands, reservations, host memory
 * buffer) taken away.  The subsystem NQN is ours: the device's would
 * collide with the device's own host controller on this machine.
 */
static void nvmet_passthru_fix_id_ctrl(struct nvmet_req *req,
				       struct nvme_ctrl *pctrl,
				       struct nvme_id_ctrl *id)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_subsys *subsys = ctrl->subsys;
	u32 inline_size = max(READ_ONCE(req->port->inline_data_size), 0);

	id->cntlid = cpu_to_le16(ctrl->cntlid);
	mutex_lock(&subsys->lock);
	id->ver = cpu_to_le32(subsys->ver);
	mutex_unlock(&subsys->lock);
	id->mdts = nvmet_passthru_mdts(req, pctrl);
	id->acl = 3;
	id->aerl = NVMET_ASYNC_EVENTS - 1;
	id->kas = cpu_to_le16(NVMET_KAS);
	id->hmpre = 0;
	id->hmmin = 0;
	id->sqes = min_t(u8, id->sqes, (NVME_NVM_IOSQES << 4) | NVME_NVM_IOSQES);
	id->cqes = min_t(u8, id->cqes, (NVME_NVM_IOCQES << 4) | NVME_NVM_IOCQES);
	id->maxcmd = cpu_to_le16(NVME_CAP_MQES(ctrl->cap) + 1);
	id->fuses = 0;
	id->sgls = cpu_to_le32(1 << 0 |
			       (ctrl->ops->flags & NVMET_FABRIC_F_KEYED_SGLS ?
				1 << 2 : 0) |
			       (inline_size ? 1 << 20 : 0));
	memset(id->subnqn, 0, sizeof(id->subnqn));
	strscpy(id->subnqn, subsys->nqn, sizeof(id->subnqn));
	id->ioccsz = cpu_to_le32((sizeof(struct nvme_command) + inline_size) /
				 16);
	id->iorcsz = cpu_to_le32(sizeof(struct nvme_completion) / 16);
	id->msdbd = ctrl->ops->msdbd;
	id->cmic |= 1 << 1;
	id->oncs &= cpu_to_le16(~NVME_CTRL_ONCS_RESERVATIONS);
}

/* Identify Namespace: no metadata formats (the fabric carries none). */
static void nvmet_passthru_fix_id_ns(struct nvmet_req *req,
				     struct nvme_id_ns *id)
{
	int i;

	for (i = 0; i <= min_t(int, id->nlbaf, ARRAY_SIZE(id->lbaf) - 1); i++)
		if (id->lbaf[i].ms)
			memset(&id->lbaf[i], 0, sizeof(id->lbaf[i]));
	id->flbas &= ~NVME_NS_FLBAS_META_EXT;
	id->mc = 0;
	if (READ_ONCE(nvmet_req_subsys(req)->passthru_clear_ids)) {
		memset(id->nguid, 0, sizeof(id->nguid));
		memset(id->eui64, 0, sizeof(id->eui64));
	}
}

/* The descriptor list with clear_ids: the command set's only. */
static void nvmet_passthru_fix_id_descs(struct nvmet_req *req, u8 *buf)
{
	struct nvme_ns_id_desc *cur;
	size_t pos = 0;
	u8 csi = 0;
	bool has_csi = false;

	if (!READ_ONCE(nvmet_req_subsys(req)->passthru_clear_ids))
		return;
	while (pos + sizeof(*cur) <= NVME_IDENTIFY_DATA_SIZE) {
		cur = (struct nvme_ns_id_desc *)(buf + pos);
		if (!cur->nidl)
			break;
		if (cur->nidt == NVME_NIDT_CSI &&
		    pos + sizeof(*cur) + NVME_NIDT_CSI_LEN <=
		    NVME_IDENTIFY_DATA_SIZE) {
			csi = buf[pos + sizeof(*cur)];
			has_csi = true;
			break;
		}
		pos += sizeof(*cur) + cur->nidl;
	}
	memset(buf, 0, NVME_IDENTIFY_DATA_SIZE);
	if (has_csi) {
		cur = (struct nvme_ns_id_desc *)buf;
		cur->nidt = NVME_NIDT_CSI;
		cur->nidl = NVME_NIDT_CSI_LEN;
		buf[sizeof(*cur)] = csi;
	}
}

/* After a successful Identify: rewrite the data in the host's buffer. */
static u16 nvmet_passthru_fix_identify(struct nvmet_req *req,
				       struct nvme_ctrl *pctrl)
{
	u8 cns = req->cmd->identify.cns;
	u16 status;
	u8 *buf;

	if (cns != NVME_ID_CNS_CTRL && cns != NVME_ID_CNS_NS &&
	    cns != NVME_ID_CNS_NS_DESC_LIST)
		return 0;
	buf = kzalloc(NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	if (!buf)
		return NVME_SC_INTERNAL;
	status = nvmet_copy_from_sgl(req, 0, buf, NVME_IDENTIFY_DATA_SIZE);
	if (status)
		goto out_free;
	if (cns == NVME_ID_CNS_CTRL)
		nvmet_passthru_fix_id_ctrl(req, pctrl, (void *)buf);
	else if (cns == NVME_ID_CNS_NS)
		nvmet_passthru_fix_id_ns(req, (void *)buf);
	else
		nvmet_passthru_fix_id_descs(req, buf);
	status = nvmet_copy_to_sgl(req, 0, buf, NVME_IDENTIFY_DATA_SIZE);
out_free:
	kfree(buf);
	return status;
}

/* The host driver's result: an NVMe status, or a block layer error. */
static u16 nvmet_passthru_status(struct request *rq, int err)
{
	u16 status = nvme_req(rq)->status;

	if (!status && err)
		status = NVME_SC_INTERNAL;
	return status;
}

static void nvmet_passthru_finish(struct nvmet_req *req, struct request *rq,
				  u16 status)
{
	struct nvmet_passthru *pt = req->p.pt;

	req->cqe->result = nvme_req(rq)->result;
	blk_mq_free_request(rq);
	nvmet_req_complete(req, status);
	nvmet_passthru_put(pt);
}

/* A command with effects or a fixup: synchronously, on the subsystem's wq. */
static void nvmet_passthru_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct request *rq = req->p.rq;
	struct nvme_ctrl *pctrl = req->p.pt->ctrl;
	struct nvme_ns *ns = rq->q->queuedata;
	u32 effects;
	u16 status;
	int ret;

	effects = nvme_passthru_start(pctrl, ns, req->cmd->common.opcode);
	ret = nvme_execute_rq(rq, false);
	status = nvmet_passthru_status(rq, ret);
	if (!status && req->cmd->common.opcode == nvme_admin_identify)
		status = nvmet_passthru_fix_identify(req, pctrl);
	if (effects)
		nvme_passthru_end(pctrl, ns, effects, req->cmd, status);
	nvmet_passthru_finish(req, rq, status);
}

static enum rq_end_io_ret
nvmet_passthru_end_io(NVMET_RQ_END_IO_PARAMS)
{
	struct nvmet_req *req = rq->end_io_data;

	nvmet_passthru_finish(req, rq, nvmet_passthru_status(rq, err));
	return RQ_END_IO_NONE;
}

static int nvmet_passthru_map_sg(struct nvmet_req *req, struct request *rq)
{
	struct scatterlist *sg;
	struct bio *bio;
	int i;

	if (req->sg_cnt > BIO_MAX_VECS)
		return -EINVAL;
	bio = bio_alloc(NULL, bio_max_segs(req->sg_cnt), req_op(rq),
			GFP_KERNEL);
	if (!bio)
		return -ENOMEM;
	bio->bi_end_io = bio_put;
	for_each_sg(req->sg, sg, req->sg_cnt, i) {
		if (bio_add_page(bio, sg_page(sg), sg->length, sg->offset) <
		    sg->length)
			goto out_put_bio;
	}
	if (blk_rq_append_bio(rq, bio))
		goto out_put_bio;
	return 0;

out_put_bio:
	bio_put(bio);
	return -EINVAL;
}

/*
 * Does the command need the work queue: a fixup afterwards, or effects
 * that the host driver handles around it (frozen queues, a rescan)?
 */
static bool nvmet_passthru_sync(struct nvmet_req *req, struct nvme_ctrl *pctrl,
				struct nvme_ns *ns)
{
	u32 effects;

	if (req->cmd->common.opcode == nvme_admin_identify && !req->sq->qid)
		return true;
	effects = nvme_command_effects(pctrl, ns, req->cmd->common.opcode);
	return effects & ~(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
}

/* Start @rq: on the work queue, or asynchronously with end_io. */
static void nvmet_passthru_start_rq(struct nvmet_req *req, struct request *rq,
				    struct nvmet_passthru *pt,
				    struct nvme_ns *ns)
{
	req->p.pt = pt;
	req->p.rq = rq;
	if (nvmet_passthru_sync(req, pt->ctrl, ns)) {
		INIT_WORK(&req->work, nvmet_passthru_work);
		queue_work(pt->wq, &req->work);
		return;
	}
	rq->end_io = nvmet_passthru_end_io;
	rq->end_io_data = req;
	blk_execute_rq_nowait(rq, false);
}

static void nvmet_passthru_execute(struct nvmet_req *req)
{
	struct nvmet_subsys *subsys = nvmet_req_subsys(req);
	struct nvmet_passthru *pt;
	struct request_queue *q;
	struct nvme_ns *ns = NULL;
	unsigned int timeout;
	struct request *rq;
	u16 status;

	pt = nvmet_passthru_get(subsys);
	if (!pt) {
		/* Disabled since the command was parsed. */
		status = NVME_SC_INTERNAL | NVME_STATUS_DNR;
		goto out;
	}
	if (req->sq->qid) {
		ns = nvme_find_get_ns(pt->ctrl, le32_to_cpu(req->cmd->rw.nsid));
		if (!ns) {
			req->error_loc = offsetof(struct nvme_common_command,
						  nsid);
			status = NVME_SC_INVALID_NS | NVME_STATUS_DNR;
			goto out_put_pt;
		}
		q = ns->queue;
		timeout = READ_ONCE(subsys->passthru_io_timeout);
	} else {
		q = pt->ctrl->admin_q;
		timeout = READ_ONCE(subsys->passthru_admin_timeout);
	}
	rq = blk_mq_alloc_request(q, nvme_req_op(req->cmd), 0);
	if (IS_ERR(rq)) {
		status = NVME_SC_INTERNAL;
		goto out_put_ns;
	}
	nvme_init_request(rq, req->cmd);
	if (timeout)
		rq->timeout = timeout;
	if (req->sg_cnt && nvmet_passthru_map_sg(req, rq)) {
		status = NVME_SC_INTERNAL;
		goto out_free_rq;
	}
	nvmet_passthru_start_rq(req, rq, pt, ns);
	if (ns)
		nvme_put_ns(ns);
	return;

out_free_rq:
	blk_mq_free_request(rq);
out_put_ns:
	if (ns)
		nvme_put_ns(ns);
out_put_pt:
	nvmet_passthru_put(pt);
out:
	nvmet_req_complete(req, status);
}

/*
 * Set Features Host Behavior Support: the device serves this machine's
 * host driver too, so a fabric host may only ask for what it has.
 */
static void nvmet_passthru_set_host_behavior(struct nvmet_req *req)
{
	struct nvme_feat_host_behavior *hbs;
	struct nvmet_passthru *pt;
	u16 status = NVME_SC_INTERNAL;

	pt = nvmet_passthru_get(nvmet_req_subsys(req));
	if (!pt)
		goto out;
	hbs = kcalloc(2, sizeof(*hbs), GFP_KERNEL);
	if (!hbs)
		goto out_put_pt;
	if (nvme_get_features(pt->ctrl, NVME_FEAT_HOST_BEHAVIOR, 0, &hbs[0],
			      sizeof(hbs[0]), NULL))
		goto out_free;
	status = nvmet_copy_from_sgl(req, 0, &hbs[1], sizeof(hbs[1]));
	if (!status && memcmp(&hbs[0], &hbs[1], sizeof(hbs[0]))) {
		pr_warn_ratelimited("nvmet: subsystem %s: host asked for a host behavior the local host does not have\n",
				    pt->subsys->nqn);
		status = NVME_SC_INTERNAL;
	}
out_free:
	kfree(hbs);
out_put_pt:
	nvmet_passthru_put(pt);
out:
	nvmet_req_complete(req, status);
}

/* Pass @req to the device; it may carry as much as MDTS allows. */
static u16 nvmet_passthru_pass(struct nvmet_req *req)
{
	req->execute = nvmet_passthru_execute;
	req->data_len = req->transfer_len;
	req->data_max = NVMET_LEN_UNKNOWN;
	return 0;
}

static u16 nvmet_passthru_refuse(struct nvmet_req *req)
{
	req->error_loc = offsetof(struct nvme_common_command, opcode);
	return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
}

/* Fused commands cannot be passed: the device sees one queue for all. */
static u16 nvmet_passthru_check_flags(struct nvmet_req *req)
{
	if (!(req->cmd->common.flags & ~NVME_CMD_SGL_ALL))
		return 0;
	req->error_loc = offsetof(struct nvme_common_command, flags);
	return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
}

/* The features passed to the device; the rest are emulated or refused. */
static bool nvmet_passthru_feature_passed(u8 fid)
{
	switch (fid) {
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_LBA_RANGE:
	case NVME_FEAT_TEMP_THRESH:
	case NVME_FEAT_ERR_RECOVERY:
	case NVME_FEAT_VOLATILE_WC:
	case NVME_FEAT_WRITE_ATOMIC:
	case NVME_FEAT_AUTO_PST:
	case NVME_FEAT_TIMESTAMP:
	case NVME_FEAT_HCTM:
	case NVME_FEAT_NOPSC:
	case NVME_FEAT_RRL:
	case NVME_FEAT_PLM_CONFIG:
	case NVME_FEAT_PLM_WINDOW:
	case NVME_FEAT_HOST_BEHAVIOR:
	case NVME_FEAT_SANITIZE:
		return true;
	default:
		return fid >= NVME_FEAT_VENDOR_START;
	}
}

/* The features the fabric controller answers itself. */
static bool nvmet_passthru_feature_emulated(u8 fid)
{
	return fid == NVME_FEAT_ASYNC_EVENT || fid == NVME_FEAT_KATO ||
	       fid == NVME_FEAT_NUM_QUEUES || fid == NVME_FEAT_HOST_ID;
}

static u16 nvmet_passthru_parse_features(struct nvmet_req *req)
{
	u8 fid = le32_to_cpu(req->cmd->common.cdw10) & 0xff;

	if (nvmet_passthru_feature_emulated(fid))
		return 0;
	if (fid == NVME_FEAT_HOST_BEHAVIOR &&
	    req->cmd->common.opcode == nvme_admin_set_features) {
		req->execute = nvmet_passthru_set_host_behavior;
		req->data_len = sizeof(struct nvme_feat_host_behavior);
		return 0;
	}
	if (nvmet_passthru_feature_passed(fid))
		return nvmet_passthru_pass(req);
	return nvmet_passthru_refuse(req);
}

static u16 nvmet_passthru_parse_identify(struct nvmet_req *req)
{
	switch (req->cmd->identify.cns) {
	case NVME_ID_CNS_CS_CTRL:
	case NVME_ID_CNS_CS_NS:
		/* Of the command sets with their own data, only ZNS. */
		if (req->cmd->identify.csi != NVME_CSI_ZNS)
			return nvmet_passthru_refuse(req);
		fallthrough;
	default:
		return nvmet_passthru_pass(req);
	}
}

/**
 * nvmet_passthru_parse_admin_cmd() - pick the handler of an admin command
 *				      of a passthru subsystem
 * @req: the request, its controller ready
 *
 * Vendor specific commands, Get Log Page, Identify and the allowed
 * features go to the device; Asynchronous Event Request, Keep Alive and
 * the features of the fabric controller (events, keep alive timer,
 * queues, host identifier) are the core's own (req->execute left NULL);
 * anything else is refused, as in-tree.
 *
 * Context: Process context.
 * Return: 0 or an NVMe status.
 */
u16 nvmet_passthru_parse_admin_cmd(struct nvmet_req *req)
{
	u8 opcode = req->cmd->common.opcode;
	u16 status;

	status = nvmet_passthru_check_flags(req);
	if (status)
		return status;
	if (opcode >= nvme_admin_vendor_start)
		return nvmet_passthru_pass(req);
	switch (opcode) {
	case nvme_admin_async_event:
	case nvme_admin_keep_alive:
		return 0;
	case nvme_admin_set_features:
	case nvme_admin_get_features:
		return nvmet_passthru_parse_features(req);
	case nvme_admin_identify:
		return nvmet_passthru_parse_identify(req);
	case nvme_admin_get_log_page:
		return nvmet_passthru_pass(req);
	default:
		return nvmet_passthru_refuse(req);
	}
}

/**
 * nvmet_passthru_parse_io_cmd() - pick the handler of an I/O command of a
 *				   passthru subsystem
 * @req: the request, its controller ready
 *
 * Everything goes to the device but reservations: the device cannot tell
 * the fabric's hosts apart.
 *
 * Context: Any context.
 * Return: 0 or an NVMe status.
 */
u16 nvmet_passthru_parse_io_cmd(struct nvmet_req *req)
{
	u16 status;

	status = nvmet_passthru_check_flags(req);
	if (status)
		return status;
	switch (req->cmd->common.opcode) {
	case nvme_cmd_resv_register:
	case nvme_cmd_resv_report:
	case nvme_cmd_resv_acquire:
	case nvme_cmd_resv_release:
		return nvmet_passthru_refuse(req);
	default:
		return nvmet_passthru_pass(req);
	}
}

/**
 * nvmet_passthru_ctrl_init() - what passthru changes in a new controller
 * @ctrl: the controller, not yet published
 *
 * CAP.CSS offers the I/O command sets only if the device's does; a loop
 * controller makes its subsystem hide namespace identifiers (clear_ids
 * 1), as in-tree, since its host is this machine, where the device's own
 * namespaces carry the same ones.
 *
 * Context: Process context (Admin Connect).
 */
void nvmet_passthru_ctrl_init(struct nvmet_ctrl *ctrl)
{
	struct nvmet_subsys *subsys = ctrl->subsys;
	struct nvmet_passthru *pt;

	if (!subsys)
		return;
	if (ctrl->port->disc_addr.trtype == NVMF_TRTYPE_LOOP)
		WRITE_ONCE(subsys->passthru_clear_ids, 1);
	pt = nvmet_passthru_get(subsys);
	if (!pt)
		return;
	if (!nvme_multi_css(pt->ctrl))
		ctrl->cap &= ~(1ULL << 43);
	nvmet_passthru_put(pt);
}

static void nvmet_passthru_ref_release(struct percpu_ref *ref)
{
	struct nvmet_passthru *pt = container_of(ref, struct nvmet_passthru,
						 ref);

	complete(&pt->done);
}

/* The controller behind @path, referenced, its driver module pinned. */
static struct nvme_ctrl *nvmet_passthru_open(struct nvmet_subsys *subsys,
					     const char *path)
{
	struct nvme_ctrl *ctrl;
	struct file *file;

	file = filp_open(path, O_RDWR, 0);
	if (IS_ERR(file)) {
		pr_err("nvmet: subsystem %s: cannot open passthru device %s: %ld\n",
		       subsys->nqn, path, PTR_ERR(file));
		return ERR_PTR(-EINVAL);
	}
	ctrl = nvme_ctrl_from_file(file);
	if (!ctrl) {
		pr_err("nvmet: subsystem %s: %s is not an NVMe controller\n",
		       subsys->nqn, path);
		ctrl = ERR_PTR(-EINVAL);
		goto out_close;
	}
	if (!try_module_get(ctrl->ops->module)) {
		ctrl = ERR_PTR(-ENODEV);
		goto out_close;
	}
	nvme_get_ctrl(ctrl);
out_close:
	filp_close(file, NULL);
	return ctrl;
}

static void nvmet_passthru_close(struct nvme_ctrl *ctrl)
{
	module_put(ctrl->ops->module);
	nvme_put_ctrl(ctrl);
}

/* Claim the controller for @pt's subsystem; one subsystem at a time. */
static int nvmet_passthru_claim(struct nvmet_passthru *pt)
{
	void *old;

	old = xa_cmpxchg(&nvmet_passthru_ctrls, pt->ctrl->instance, NULL,
			 pt->subsys, GFP_KERNEL);
	if (xa_is_err(old))
		return xa_err(old);
	if (!old)
		return 0;
	pr_err("nvmet: subsystem %s: nvme%d is passed through by %s already\n",
	       pt->subsys->nqn, pt->ctrl->instance,
	       ((struct nvmet_subsys *)old)->nqn);
	return -EBUSY;
}

/* Publish @pt, unless the subsystem has namespaces of its own. */
static int nvmet_passthru_publish(struct nvmet_passthru *pt)
{
	struct nvmet_subsys *subsys = pt->subsys;
	int ret = 0;

	mutex_lock(&subsys->lock);
	if (subsys->nr_namespaces) {
		pr_err("nvmet: subsystem %s: cannot pass a controller through with namespaces enabled\n",
		       subsys->nqn);
		ret = -EINVAL;
		goto out_unlock;
	}
	pt->saved_ver = subsys->ver;
	/* The device's version, at least 1.2.1 (as in-tree). */
	subsys->ver = max_t(u32, pt->ctrl->vs, NVME_VS(1, 2, 1));
	rcu_assign_pointer(subsys->passthru, pt);
out_unlock:
	mutex_unlock(&subsys->lock);
	return ret;
}

/**
 * nvmet_passthru_enable() - pass the controller at @path through
 * @subsys: the subsystem, with no namespace enabled
 * @path: the controller's character device, /dev/nvmeN
 *
 * The caller serialises enable and disable of one subsystem (configfs:
 * the passthru/ group's lock).  Enabling an enabled subsystem does
 * nothing.
 *
 * Context: Process context; takes subsys->lock.
 * Return: 0; -EINVAL for a path that is no NVMe controller or a subsystem
 * with namespaces; -EBUSY for a controller another subsystem passes
 * through; -ENOMEM, -ENODEV.
 */
int nvmet_passthru_enable(struct nvmet_subsys *subsys, const char *path)
{
	struct nvmet_passthru *pt;
	int ret;

	if (nvmet_subsys_is_passthru(subsys))
		return 0;
	if (!path) {
		pr_err("nvmet: subsystem %s: passthru/device_path is not set\n",
		       subsys->nqn);
		return -EINVAL;
	}
	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	pt->subsys = subsys;
	init_completion(&pt->done);
	ret = percpu_ref_init(&pt->ref, nvmet_passthru_ref_release, 0,
			      GFP_KERNEL);
	if (ret)
		goto out_free;
	pt->wq = alloc_workqueue("nvmet-pt-%u", WQ_UNBOUND | WQ_MEM_RECLAIM,
				 0, subsys->id);
	if (!pt->wq) {
		ret = -ENOMEM;
		goto out_exit_ref;
	}
	pt->ctrl = nvmet_passthru_open(subsys, path);
	if (IS_ERR(pt->ctrl)) {
		ret = PTR_ERR(pt->ctrl);
		goto out_destroy_wq;
	}
	ret = nvmet_passthru_claim(pt);
	if (ret)
		goto out_close;
	ret = nvmet_passthru_publish(pt);
	if (ret)
		goto out_release;
	pr_info("nvmet: subsystem %s: passing nvme%d through\n", subsys->nqn,
		pt->ctrl->instance);
	return 0;

out_release:
	xa_erase(&nvmet_passthru_ctrls, pt->ctrl->instance);
out_close:
	nvmet_passthru_close(pt->ctrl);
out_destroy_wq:
	destroy_workqueue(pt->wq);
out_exit_ref:
	percpu_ref_exit(&pt->ref);
out_free:
	kfree(pt);
	return ret;
}

/**
 * nvmet_passthru_disable() - stop passing the controller through
 * @subsys: the subsystem
 *
 * Unpublishes the controller, waits for the commands in flight (at most
 * their timeouts), then releases it.  Controllers of the subsystem stay
 * connected and see a subsystem without namespaces.  Serialised with
 * enable by the caller; disabling a disabled subsystem does nothing.
 *
 * Context: Process context; sleeps; takes subsys->lock.
 */
void nvmet_passthru_disable(struct nvmet_subsys *subsys)
{
	struct nvmet_passthru *pt;

	mutex_lock(&subsys->lock);
	pt = rcu_dereference_protected(subsys->passthru,
				       lockdep_is_held(&subsys->lock));
	if (pt) {
		RCU_INIT_POINTER(subsys->passthru, NULL);
		subsys->ver = pt->saved_ver;
	}
	mutex_unlock(&subsys->lock);
	if (!pt)
		return;
	percpu_ref_kill(&pt->ref);
	wait_for_completion(&pt->done);
	destroy_workqueue(pt->wq);
	percpu_ref_exit(&pt->ref);
	xa_erase(&nvmet_passthru_ctrls, pt->ctrl->instance);
	pr_info("nvmet: subsystem %s: nvme%d no longer passed through\n",
		subsys->nqn, pt->ctrl->instance);
	nvmet_passthru_close(pt->ctrl);
	kfree_rcu(pt, rcu);
}
