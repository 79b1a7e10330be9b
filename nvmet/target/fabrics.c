// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fabrics commands: Connect, which binds a queue to a controller, and
 * Property Get/Set, the fabrics form of the controller registers.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat-auth.h>
#include <nvmet/fabric.h>
#include "ctrl.h"

static u16 nvmet_install_queue(struct nvmet_ctrl *ctrl, struct nvmet_req *req)
{
	struct nvmf_connect_command *c = &req->cmd->connect;
	u16 qid = le16_to_cpu(c->qid);
	u16 sqsize = le16_to_cpu(c->sqsize);
	struct nvmet_sq *sq = req->sq;
	u16 status;

	if (!sqsize || (qid && sqsize > NVME_CAP_MQES(ctrl->cap))) {
		pr_warn("nvmet: controller %u: queue %u: bad sqsize %u\n",
			ctrl->cntlid, qid, sqsize);
		req->error_loc = offsetof(struct nvmf_connect_command, sqsize);
		req->cqe->result.u32 = NVMET_CONNECT_BAD_CMD(sqsize);
		return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
	}
	if (cmpxchg(&ctrl->sqs[qid], NULL, sq)) {
		pr_warn("nvmet: controller %u: queue %u is connected already\n",
			ctrl->cntlid, qid);
		return NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
	}
	sq->qid = qid;
	sq->size = sqsize + 1;
	sq->sqhd_disabled = c->cattr & NVME_CONNECT_DISABLE_SQFLOW;
	req->cq->qid = qid;
	req->cq->size = sqsize + 1;
	if (req->ops->install_queue) {
		status = req->ops->install_queue(sq);
		if (status) {
			WRITE_ONCE(ctrl->sqs[qid], NULL);
			return status;
		}
	}
	nvmet_test_point(NVMET_TP_INSTALL_QUEUE, ctrl);
	/* From here on nvmet_req_init() sees a connected queue. */
	smp_store_release(&sq->ctrl, ctrl);
	/*
	 * A deletion that began before the store above walked the fabric's
	 * queues without seeing this one.  nvmet_ctrl_delete() sets
	 * deleting with a full barrier before the walk, so after this
	 * barrier either the walk sees sq->ctrl or we see deleting, and
	 * then close the queue ourselves (delete_ctrl() is idempotent per
	 * queue).  The queue holds its reference, so Connect still
	 * succeeds; the host sees the queue go.
	 */
	smp_mb();
	if (READ_ONCE(ctrl->deleting)) {
		pr_info_ratelimited("nvmet: controller %u: queue %u connected during deletion, closing it\n",
				    ctrl->cntlid, qid);
		ctrl->ops->delete_ctrl(ctrl);
	}
	return 0;
}

/* Controller ID, and "authenticate first" (ATR) when the host must. */
static void nvmet_connect_result(struct nvmet_req *req, struct nvmet_ctrl *ctrl)
{
	u32 result = ctrl->cntlid;

	if (ctrl->auth_required)
		result |= NVME_CONNECT_AUTHREQ_ATR;
	req->cqe->result.u32 = cpu_to_le32(result);
}

static u16 nvmet_connect_data(struct nvmet_req *req,
			      struct nvmf_connect_data **datap)
{
	struct nvmf_connect_data *d;
	u16 status;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NVME_SC_INTERNAL;
	status = nvmet_copy_from_sgl(req, 0, d, sizeof(*d));
	if (status) {
		kfree(d);
		return status;
	}
	d->subsysnqn[NVMF_NQN_FIELD_LEN - 1] = '\0';
	d->hostnqn[NVMF_NQN_FIELD_LEN - 1] = '\0';
	if (req->cmd->connect.recfmt) {
		pr_warn("nvmet: connect: record format %u not supported\n",
			le16_to_cpu(req->cmd->connect.recfmt));
		kfree(d);
		return NVME_SC_CONNECT_FORMAT | NVME_STATUS_DNR;
	}
	*datap = d;
	return 0;
}

static void nvmet_execute_admin_connect(struct nvmet_req *req)
{
	struct nvmf_connect_command *c = &req->cmd->connect;
	struct nvmf_connect_data *d;
	struct nvmet_ctrl *ctrl;
	u16 status;

	if (!nvmet_check_transfer_len(req, sizeof(*d)))
		return;
	status = nvmet_connect_data(req, &d);
	if (status)
		goto out;
	if (d->cntlid != cpu_to_le16(0xffff)) {
		pr_warn_ratelimited("nvmet: connect: host %*pE asked for static controller %u\n",
				    (int)strlen(d->hostnqn), d->hostnqn,
				    le16_to_cpu(d->cntlid));
		req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(cntlid);
		status = NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
		goto out_free;
	}
	status = nvmet_ctrl_alloc(req, d->subsysnqn, d->hostnqn, &d->hostid,
				  le32_to_cpu(c->kato), &ctrl);
	if (status)
		goto out_free;
	status = nvmet_auth_ctrl_init(ctrl);
	if (status) {
		nvmet_ctrl_put(ctrl);
		goto out_free;
	}
	status = nvmet_install_queue(ctrl, req);
	if (status) {
		nvmet_ctrl_put(ctrl);
		goto out_free;
	}
	pr_info("nvmet: %s controller %u of %s created for %*pE%s\n",
		nvmet_ctrl_is_disc(ctrl) ? "discovery" : "I/O", ctrl->cntlid,
		nvmet_ctrl_is_disc(ctrl) ? NVMET_DISC_NQN : ctrl->subsys->nqn,
		(int)strlen(ctrl->hostnqn), ctrl->hostnqn,
		ctrl->auth_required ? " with DH-HMAC-CHAP" : "");
	if (ctrl->auth_required)
		nvmet_ctrl_auth_deadline(ctrl);
	nvmet_connect_result(req, ctrl);
out_free:
	kfree(d);
out:
	nvmet_req_complete(req, status);
}

static void nvmet_execute_io_connect(struct nvmet_req *req)
{
	u16 qid = le16_to_cpu(req->cmd->connect.qid);
	struct nvmf_connect_data *d;
	struct nvmet_ctrl *ctrl;
	u16 status;

	if (!nvmet_check_transfer_len(req, sizeof(*d)))
		return;
	status = nvmet_connect_data(req, &d);
	if (status)
		goto out;
	ctrl = nvmet_ctrl_find_get(req->port, d->subsysnqn, d->hostnqn,
				   le16_to_cpu(d->cntlid));
	if (!ctrl) {
		pr_warn_ratelimited("nvmet: connect: host %*pE: no controller %u in %*pE\n",
				    (int)strlen(d->hostnqn), d->hostnqn,
				    le16_to_cpu(d->cntlid),
				    (int)strlen(d->subsysnqn), d->subsysnqn);
		req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(cntlid);
		status = NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
		goto out_free;
	}
	if (!(READ_ONCE(ctrl->csts) & NVME_CSTS_RDY)) {
		status = NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
		goto out_put;
	}
	if (qid > ctrl->max_qid) {
		pr_warn("nvmet: controller %u: queue %u above qid_max %u\n",
			ctrl->cntlid, qid, ctrl->max_qid);
		req->cqe->result.u32 = NVMET_CONNECT_BAD_CMD(qid);
		status = NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
		goto out_put;
	}
	status = nvmet_install_queue(ctrl, req);
	if (status)
		goto out_put;
	nvmet_connect_result(req, ctrl);
	goto out_free;

out_put:
	nvmet_ctrl_put(ctrl);
out_free:
	kfree(d);
out:
	nvmet_req_complete(req, status);
}

/**
 * nvmet_parse_connect_cmd() - a command on a queue not yet connected
 * @req: the request
 *
 * Context: Process context.
 * Return: 0, or Invalid Opcode for anything but Connect.
 */
u16 nvmet_parse_connect_cmd(struct nvmet_req *req)
{
	struct nvme_command *cmd = req->cmd;

	if (!nvme_is_fabrics(cmd) ||
	    cmd->fabrics.fctype != nvme_fabrics_type_connect) {
		req->error_loc = offsetof(struct nvme_common_command, opcode);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
	req->data_len = sizeof(struct nvmf_connect_data);
	if (cmd->connect.qid)
		req->execute = nvmet_execute_io_connect;
	else
		req->execute = nvmet_execute_admin_connect;
	return 0;
}

static void nvmet_execute_prop_get(struct nvmet_req *req)
{
	struct nvmf_property_get_command *c = &req->cmd->prop_get;
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	bool wide = c->attrib & 1;
	u16 status = 0;
	u64 val = 0;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	switch (le32_to_cpu(c->offset)) {
	case NVME_REG_CAP:
		if (!wide)
			goto invalid;
		val = ctrl->cap;
		break;
	case NVME_REG_VS:
		if (wide)
			goto invalid;
		if (ctrl->subsys) {
			mutex_lock(&ctrl->subsys->lock);
			val = ctrl->subsys->ver;
			mutex_unlock(&ctrl->subsys->lock);
		} else {
			val = NVMET_DEFAULT_VS;
		}
		break;
	case NVME_REG_CC:
		if (wide)
			goto invalid;
		val = READ_ONCE(ctrl->cc);
		break;
	case NVME_REG_CSTS:
		if (wide)
			goto invalid;
		val = READ_ONCE(ctrl->csts);
		break;
	default:
		goto invalid;
	}
	req->cqe->result.u64 = cpu_to_le64(val);
	nvmet_req_complete(req, status);
	return;
invalid:
	req->error_loc = offsetof(struct nvmf_property_get_command, offset);
	nvmet_req_complete(req, NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
}

static void nvmet_execute_prop_set(struct nvmet_req *req)
{
	struct nvmf_property_set_command *c = &req->cmd->prop_set;

	if (!nvmet_check_transfer_len(req, 0))
		return;
	if ((c->attrib & 1) || le32_to_cpu(c->offset) != NVME_REG_CC) {
		req->error_loc = offsetof(struct nvmf_property_set_command,
					  offset);
		nvmet_req_complete(req, NVME_SC_INVALID_FIELD |
				   NVME_STATUS_DNR);
		return;
	}
	nvmet_ctrl_set_cc(req->sq->ctrl, (u32)le64_to_cpu(c->value));
	nvmet_req_complete(req, 0);
}

/**
 * nvmet_parse_fabrics_admin_cmd() - a fabrics command on a connected
 *				     admin queue
 * @req: the request
 *
 * Context: Process context.
 * Return: 0, or Invalid Opcode.
 */
u16 nvmet_parse_fabrics_admin_cmd(struct nvmet_req *req)
{
	switch (req->cmd->fabrics.fctype) {
	case nvme_fabrics_type_property_get:
		req->execute = nvmet_execute_prop_get;
		return 0;
	case nvme_fabrics_type_property_set:
		req->execute = nvmet_execute_prop_set;
		return 0;
	case nvme_fabrics_type_auth_send:
	case nvme_fabrics_type_auth_receive:
		if (nvmet_auth_enabled())
			return nvmet_parse_auth_cmd(req);
		fallthrough;
	default:
		req->error_loc = offsetof(struct nvmf_common_command, fctype);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
}

/**
 * nvmet_parse_fabrics_io_cmd() - a fabrics command on a connected I/O
 *				  queue
 * @req: the request
 *
 * Context: Process context.
 * Return: 0, or Invalid Opcode: Authentication Send/Receive are the only
 * fabrics commands an I/O queue takes.
 */
u16 nvmet_parse_fabrics_io_cmd(struct nvmet_req *req)
{
	switch (req->cmd->fabrics.fctype) {
	case nvme_fabrics_type_auth_send:
	case nvme_fabrics_type_auth_receive:
		if (nvmet_auth_enabled())
			return nvmet_parse_auth_cmd(req);
		fallthrough;
	default:
		req->error_loc = offsetof(struct nvme_common_command, opcode);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
}

/**
 * nvmet_auth_gate() - may this command run before the queue authenticated?
 * @req: a request on a connected queue
 *
 * A controller whose host has a DH-HMAC-CHAP key takes nothing but
 * Authentication Send/Receive on a queue that has not authenticated:
 * Property Get and Set wait as well (in-tree lets them through).
 *
 * Context: Any context.
 * Return: 0, or Authentication Required.
 */
u16 nvmet_auth_gate(struct nvmet_req *req)
{
	struct nvme_command *cmd = req->cmd;

	if (likely(!req->sq->ctrl->auth_required ||
		   READ_ONCE(req->sq->authenticated)))
		return 0;
	if (nvme_is_fabrics(cmd) &&
	    (cmd->fabrics.fctype == nvme_fabrics_type_auth_send ||
	     cmd->fabrics.fctype == nvme_fabrics_type_auth_receive))
		return 0;
	pr_warn_ratelimited("nvmet: controller %u: queue %u: command before DH-HMAC-CHAP authentication\n",
			    req->sq->ctrl->cntlid, req->sq->qid);
	return NVME_SC_AUTH_REQUIRED | NVME_STATUS_DNR;
}
