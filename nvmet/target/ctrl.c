// SPDX-License-Identifier: GPL-2.0-only
/*
 * Controllers: creation by Admin Connect, lookup by I/O Connect, the
 * controller registers, keep-alive, asynchronous events and teardown.
 *
 * An I/O controller lives in its subsystem's ctrls xarray, a discovery
 * controller in its port's disc_ctrls xarray; either xarray allocates the
 * controller ID, so IDs are unique per subsystem (per port for discovery)
 * and no global allocator is shared.  The xarrays hold no reference: a
 * controller erases itself when its last reference goes, and walkers use
 * kref_get_unless_zero() under RCU.
 */
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat-auth.h>
#include <nvmet/fabric.h>
#include <nvmet/passthru.h>
#include "../core/core.h"
#include "../debugfs.h"
#include "ctrl.h"

/*
 * Keep-alive, fatal-error and event work of every controller (allocated
 * by nvmet.ko's init): nothing queued here waits for I/O.
 */
struct workqueue_struct *nvmet_ctrl_wq;

#if IS_ENABLED(CONFIG_NVMET_NG_KUNIT_TEST)
nvmet_test_hook_fn nvmet_test_hook;
EXPORT_SYMBOL_GPL(nvmet_test_hook);
#endif

/*
 * Discovery controller IDs come from one allocator for all ports, as
 * in-tree: a host's persistent discovery controllers on two ports belong
 * to one discovery subsystem (a unique discovery_nqn makes the host check),
 * so their IDs must differ.  The ID keys the controller in its port's
 * disc_ctrls.
 */
static DEFINE_IDA(nvmet_disc_cntlid_ida);

static struct xarray *nvmet_ctrl_xa(struct nvmet_ctrl *ctrl)
{
	return ctrl->subsys ? &ctrl->subsys->ctrls : &ctrl->port->disc_ctrls;
}

static void nvmet_ctrl_free_rcu(struct rcu_head *rcu)
{
	struct nvmet_ctrl *ctrl = container_of(rcu, struct nvmet_ctrl, rcu);

	free_percpu(ctrl->stats);
	kvfree(rcu_dereference_protected(ctrl->disc_view, true));
	kfree(ctrl->changed_ns);
	kfree(ctrl->sqs);
	kfree(ctrl);
}

static void nvmet_ctrl_release(struct kref *ref)
{
	struct nvmet_ctrl *ctrl = container_of(ref, struct nvmet_ctrl, ref);
	struct nvmet_async_event *aen, *tmp;

	nvmet_debugfs_ctrl_remove(ctrl);
	xa_erase(nvmet_ctrl_xa(ctrl), ctrl->cntlid);
	if (nvmet_ctrl_is_disc(ctrl))
		ida_free(&nvmet_disc_cntlid_ida, ctrl->cntlid);
	/* Queues are gone, so nothing re-arms these. */
	cancel_delayed_work_sync(&ctrl->ka_work);
	cancel_delayed_work_sync(&ctrl->auth_work);
	cancel_work_sync(&ctrl->async_event_work);
	cancel_work_sync(&ctrl->fatal_work);
	list_for_each_entry_safe(aen, tmp, &ctrl->async_events, entry) {
		list_del(&aen->entry);
		kfree(aen);
	}
	nvmet_auth_ctrl_exit(ctrl);
	if (ctrl->host)
		nvmet_host_put(ctrl->host);
	if (ctrl->subsys)
		nvmet_subsys_put(ctrl->subsys);
	nvmet_port_put(ctrl->port);
	mutex_destroy(&ctrl->lock);
	nvmet_obj_released(NVMET_OBJ_CTRL);
	call_rcu(&ctrl->rcu, nvmet_ctrl_free_rcu);
}

/**
 * nvmet_ctrl_put() - drop a controller reference
 * @ctrl: the controller
 *
 * Context: Process context (the last put waits for the controller's work
 * items).
 */
void nvmet_ctrl_put(struct nvmet_ctrl *ctrl)
{
	kref_put(&ctrl->ref, nvmet_ctrl_release);
}

/**
 * nvmet_ctrl_delete() - tear a controller down
 * @ctrl: the controller, referenced by the caller
 *
 * Asks the fabric to close every queue of the controller; each queue drops
 * its reference when its requests are done.  Idempotent.
 *
 * Context: Process context (the fabric may take a mutex); no core lock.
 */
void nvmet_ctrl_delete(struct nvmet_ctrl *ctrl)
{
	if (xchg(&ctrl->deleting, true))
		return;
	ctrl->ops->delete_ctrl(ctrl);
}

static void nvmet_ctrl_fatal_work(struct work_struct *work)
{
	struct nvmet_ctrl *ctrl = container_of(work, struct nvmet_ctrl,
					       fatal_work);

	pr_err("nvmet: controller %u of %*pE: fatal error, tearing it down\n",
	       ctrl->cntlid, (int)strlen(ctrl->hostnqn), ctrl->hostnqn);
	nvmet_ctrl_delete(ctrl);
}

/**
 * nvmet_ctrl_fatal_error() - the controller cannot go on
 * @ctrl: the controller
 *
 * Sets CSTS.CFS and tears the controller down from a work item.
 *
 * Context: Any context.
 */
void nvmet_ctrl_fatal_error(struct nvmet_ctrl *ctrl)
{
	u32 csts;

	do {
		csts = READ_ONCE(ctrl->csts);
	} while (cmpxchg(&ctrl->csts, csts, csts | NVME_CSTS_CFS) != csts);
	queue_work(nvmet_ctrl_wq, &ctrl->fatal_work);
}
EXPORT_SYMBOL_GPL(nvmet_ctrl_fatal_error);

/**
 * nvmet_ctrl_port() - the port a controller was created through
 * @ctrl: the controller, referenced by the caller (delete_ctrl() is)
 *
 * Every queue of a controller connects through this port, so a fabric
 * finds a controller's queues among that port's.
 *
 * Context: Any context.
 * Return: the port; it lives as long as the controller.
 */
struct nvmet_port *nvmet_ctrl_port(const struct nvmet_ctrl *ctrl)
{
	return ctrl->port;
}
EXPORT_SYMBOL_GPL(nvmet_ctrl_port);

/*
 * A host that must authenticate gets this long after Admin Connect to do
 * it on the admin queue; until then its controller takes nothing but
 * Authentication Send/Receive, but it holds a controller ID, memory and
 * a connection, and with a keep-alive timeout of 0 it would hold them for
 * ever.  In-tree has no such bound.  A Linux host authenticates at once.
 */
static unsigned int auth_timeout_ms = 30000;
module_param(auth_timeout_ms, uint, 0644);
MODULE_PARM_DESC(auth_timeout_ms,
		 "ms from Admin Connect to a completed DH-HMAC-CHAP exchange before the controller is ended (0: none, default 30000)");

static void nvmet_ctrl_auth_work(struct work_struct *work)
{
	struct nvmet_ctrl *ctrl = container_of(to_delayed_work(work),
					       struct nvmet_ctrl, auth_work);

	if (READ_ONCE(ctrl->auth_done))
		return;
	pr_err("nvmet: controller %u of %s: host %*pE did not authenticate within %u ms (failure %u of this host)\n",
	       ctrl->cntlid, ctrl->subsys->nqn, (int)strlen(ctrl->hostnqn),
	       ctrl->hostnqn, READ_ONCE(auth_timeout_ms),
	       nvmet_host_auth_failed(ctrl->hostnqn));
	nvmet_ctrl_fatal_error(ctrl);
}

/**
 * nvmet_ctrl_auth_deadline() - start the time a new controller's host has
 * to authenticate
 * @ctrl: the controller, auth_required, its admin queue installed
 *
 * Context: Process context (Admin Connect).
 */
void nvmet_ctrl_auth_deadline(struct nvmet_ctrl *ctrl)
{
	unsigned int ms = READ_ONCE(auth_timeout_ms);

	if (ms)
		queue_delayed_work(nvmet_ctrl_wq, &ctrl->auth_work,
				   msecs_to_jiffies(ms));
}

static void nvmet_ctrl_ka_work(struct work_struct *work)
{
	struct nvmet_ctrl *ctrl = container_of(to_delayed_work(work),
					       struct nvmet_ctrl, ka_work);
	u32 kato;

	nvmet_test_point(NVMET_TP_KA_WORK, ctrl);
	/* Set Features turned the timer off: it waits for us, not re-arm. */
	kato = READ_ONCE(ctrl->kato);
	if (!kato)
		return;
	/* Any command counts as a keep-alive (TBKAS). */
	if (xchg(&ctrl->ka_traffic, false)) {
		queue_delayed_work(nvmet_ctrl_wq, &ctrl->ka_work,
				   msecs_to_jiffies(kato));
		return;
	}
	pr_err("nvmet: controller %u of %s: keep-alive timeout (%u ms) expired\n",
	       ctrl->cntlid, ctrl->hostnqn, kato);
	nvmet_ctrl_fatal_error(ctrl);
}

/**
 * nvmet_ctrl_ka_start() - (re)arm or stop the keep-alive timer
 * @ctrl: the controller
 *
 * With a timeout of 0 the timer stops: a run in progress is waited for,
 * so it cannot re-arm itself and expire the controller afterwards.
 *
 * Context: Process context (may wait for the keep-alive work).
 */
void nvmet_ctrl_ka_start(struct nvmet_ctrl *ctrl)
{
	u32 kato = READ_ONCE(ctrl->kato);

	if (kato)
		mod_delayed_work(nvmet_ctrl_wq, &ctrl->ka_work,
				 msecs_to_jiffies(kato));
	else
		cancel_delayed_work_sync(&ctrl->ka_work);
}

static bool nvmet_cc_valid(struct nvmet_ctrl *ctrl, u32 cc)
{
	u32 css = (cc >> NVME_CC_CSS_SHIFT) & 0x7;

	if (((cc >> NVME_CC_MPS_SHIFT) & 0xf) != 0 ||
	    ((cc >> NVME_CC_AMS_SHIFT) & 0x7) != 0)
		return false;
	if (css != 0 && css != (NVME_CC_CSS_CSI >> NVME_CC_CSS_SHIFT))
		return false;
	if (nvmet_ctrl_is_disc(ctrl))
		return true;
	return ((cc >> NVME_CC_IOSQES_SHIFT) & 0xf) == NVME_NVM_IOSQES &&
	       ((cc >> NVME_CC_IOCQES_SHIFT) & 0xf) == NVME_NVM_IOCQES;
}

/**
 * nvmet_ctrl_set_cc() - a host wrote Controller Configuration
 * @ctrl: the controller
 * @cc: the new value
 *
 * Context: Process context; takes ctrl->lock.
 */
void nvmet_ctrl_set_cc(struct nvmet_ctrl *ctrl, u32 cc)
{
	u32 old;

	mutex_lock(&ctrl->lock);
	old = ctrl->cc;
	WRITE_ONCE(ctrl->cc, cc);
	if ((cc & NVME_CC_ENABLE) && !(old & NVME_CC_ENABLE)) {
		if (nvmet_cc_valid(ctrl, cc))
			WRITE_ONCE(ctrl->csts, ctrl->csts | NVME_CSTS_RDY);
		else
			WRITE_ONCE(ctrl->csts, ctrl->csts | NVME_CSTS_CFS);
	}
	if (!(cc & NVME_CC_ENABLE) && (old & NVME_CC_ENABLE))
		WRITE_ONCE(ctrl->csts, ctrl->csts & ~NVME_CSTS_RDY);
	if ((cc & NVME_CC_SHN_MASK) && !(old & NVME_CC_SHN_MASK)) {
		WRITE_ONCE(ctrl->csts, (ctrl->csts & ~NVME_CSTS_SHST_MASK) |
			   NVME_CSTS_SHST_CMPLT);
	}
	if (!(cc & NVME_CC_SHN_MASK) && (old & NVME_CC_SHN_MASK))
		WRITE_ONCE(ctrl->csts, ctrl->csts & ~NVME_CSTS_SHST_MASK);
	mutex_unlock(&ctrl->lock);
}

/* Hand queued events to outstanding AER commands. */
static void nvmet_async_event_work(struct work_struct *work)
{
	struct nvmet_ctrl *ctrl = container_of(work, struct nvmet_ctrl,
					       async_event_work);
	struct nvmet_async_event *aen;
	struct nvmet_req *req;

	for (;;) {
		mutex_lock(&ctrl->lock);
		aen = list_first_entry_or_null(&ctrl->async_events,
					       struct nvmet_async_event, entry);
		if (!aen || !ctrl->nr_aer_cmds) {
			mutex_unlock(&ctrl->lock);
			return;
		}
		req = ctrl->aer_cmds[--ctrl->nr_aer_cmds];
		req->cqe->result.u32 = cpu_to_le32(aen->type |
						   aen->info << 8 |
						   aen->log_page << 16);
		list_del(&aen->entry);
		mutex_unlock(&ctrl->lock);
		kfree(aen);
		nvmet_req_complete(req, 0);
	}
}

/**
 * nvmet_ctrl_add_async_event() - queue an asynchronous event
 * @ctrl: the controller
 * @type: NVME_AER_*
 * @info: asynchronous event information
 * @log_page: the log page that clears it
 *
 * Context: Process context; ctrl->lock held.
 */
void nvmet_ctrl_add_async_event(struct nvmet_ctrl *ctrl, u8 type, u8 info,
				u8 log_page)
{
	struct nvmet_async_event *aen;

	lockdep_assert_held(&ctrl->lock);
	aen = kmalloc(sizeof(*aen), GFP_KERNEL);
	if (!aen)
		return;
	aen->type = type;
	aen->info = info;
	aen->log_page = log_page;
	list_add_tail(&aen->entry, &ctrl->async_events);
	queue_work(nvmet_ctrl_wq, &ctrl->async_event_work);
}

/**
 * nvmet_ctrl_aer_done() - a new AER command may meet a waiting event
 * @ctrl: the controller
 *
 * Context: Any context.
 */
void nvmet_ctrl_aer_done(struct nvmet_ctrl *ctrl)
{
	queue_work(nvmet_ctrl_wq, &ctrl->async_event_work);
}

/**
 * nvmet_ctrl_fail_aers() - abort the outstanding AER commands
 * @ctrl: the controller, whose admin queue is going away
 *
 * Context: Process context; takes ctrl->lock.
 */
void nvmet_ctrl_fail_aers(struct nvmet_ctrl *ctrl)
{
	struct nvmet_req *req;

	mutex_lock(&ctrl->lock);
	while (ctrl->nr_aer_cmds) {
		req = ctrl->aer_cmds[--ctrl->nr_aer_cmds];
		mutex_unlock(&ctrl->lock);
		nvmet_req_complete(req, NVME_SC_INTERNAL | NVME_STATUS_DNR);
		mutex_lock(&ctrl->lock);
	}
	mutex_unlock(&ctrl->lock);
}

/**
 * nvmet_ctrl_log_error() - record a failed command in the error log
 * @req: the request
 * @status: its status
 *
 * Context: Any context; takes ctrl->error_lock.
 */
void nvmet_ctrl_log_error(struct nvmet_req *req, u16 status)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvme_error_slot *slot;
	unsigned long flags;

	spin_lock_irqsave(&ctrl->error_lock, flags);
	ctrl->err_counter++;
	slot = &ctrl->errors[ctrl->err_counter % NVMET_ERROR_LOG_SLOTS];
	memset(slot, 0, sizeof(*slot));
	slot->error_count = cpu_to_le64(ctrl->err_counter);
	slot->sqid = cpu_to_le16(req->sq->qid);
	slot->cmdid = req->cmd->common.command_id;
	slot->status_field = cpu_to_le16(status << 1);
	slot->param_error_location = cpu_to_le16(req->error_loc);
	slot->lba = cpu_to_le64(req->error_slba);
	slot->nsid = req->cmd->common.nsid;
	spin_unlock_irqrestore(&ctrl->error_lock, flags);
}

static u64 nvmet_ctrl_cap(struct nvmet_port *port)
{
	u64 mqes = min_t(int, port->max_queue_size, NVMET_QUEUE_SIZE) - 1;

	/* CQR: contiguous queues; CSS: NVM and I/O command sets (CSI). */
	return mqes | 1ULL << 16 | 15ULL << 24 | 1ULL << 37 | 1ULL << 43;
}

/* A discovery controller: an ID from the global allocator, then its port. */
static int nvmet_disc_ctrl_insert(struct nvmet_ctrl *ctrl, u16 min, u16 max)
{
	int id, ret;

	id = ida_alloc_range(&nvmet_disc_cntlid_ida, min, max, GFP_KERNEL);
	if (id < 0)
		return id == -ENOSPC ? -EBUSY : id;
	ret = xa_insert(&ctrl->port->disc_ctrls, id, ctrl, GFP_KERNEL);
	if (ret) {
		ida_free(&nvmet_disc_cntlid_ida, id);
		return ret;
	}
	ctrl->cntlid = id;
	return 0;
}

static u16 nvmet_ctrl_insert(struct nvmet_ctrl *ctrl, u16 min, u16 max)
{
	struct xa_limit limit = XA_LIMIT(min, max);
	u32 id;
	int ret;

	if (nvmet_ctrl_is_disc(ctrl)) {
		ret = nvmet_disc_ctrl_insert(ctrl, min, max);
	} else {
		ret = xa_alloc(&ctrl->subsys->ctrls, &id, ctrl, limit,
			       GFP_KERNEL);
		if (!ret)
			ctrl->cntlid = id;
	}
	if (ret == -EBUSY)
		return NVME_SC_CONNECT_CTRL_BUSY | NVME_STATUS_DNR;
	if (ret)
		return NVME_SC_INTERNAL;
	return 0;
}

/*
 * Is what the controller connects to still offered?  Called after the
 * controller is in its xarray: an unlink, a port disable or a host ACL
 * change (nvmet_subsys_acl_revoked(); the caller rechecks the ACL after
 * this barrier) either comes after the insert and its walk finds the
 * controller, or it came before and this sees it (both sides order their
 * store and their load with a full barrier).
 */
static bool nvmet_ctrl_still_offered(struct nvmet_ctrl *ctrl)
{
	struct nvmet_port *port = ctrl->port;

	smp_mb();	/* the insert before the loads; pairs with port.c, notify.c */
	if (!nvmet_port_is_live(port))
		return false;
	return !ctrl->subsys ||
	       xa_load(&port->subsystems, ctrl->subsys->id) == ctrl->subsys;
}

/*
 * MNAN for a controller of MDTS @mdts: a Linux host reads the whole ANA
 * log in one command, sized from Identify (16 + 32 x NANAGRPID + 4 x
 * MNAN bytes), and gives ANA up if that exceeds MDTS.  MDTS 0 sets no
 * limit.
 */
static u32 nvmet_ctrl_mnan(u8 mdts)
{
	u64 bytes = 1ULL << (mdts + NVMET_MDTS_SHIFT);

	if (!mdts)
		return NVMET_MAX_NAMESPACES;
	return min_t(u64, NVMET_MAX_NAMESPACES,
		     (bytes - NVMET_ANA_LOG_GROUPS_SIZE) / sizeof(__le32));
}

/**
 * nvmet_ctrl_alloc() - create a controller for an Admin Connect
 * @req: the Connect command
 * @subsysnqn: the subsystem the host asks for
 * @hostnqn: the host
 * @hostid: the host identifier
 * @kato: keep-alive timeout from the command, ms
 * @ctrlp: the new controller, with one reference for the admin queue
 *
 * Lookups: the subsystem through the port (an NQN map lookup and an xarray
 * load) and the host ACL (the same), all under RCU; no mutex is taken
 * until the new controller's ID is allocated in its subsystem's xarray.
 *
 * Context: Process context.
 * Return: 0 or an NVMe status, with req->cqe's IATTR/IPO set.
 */
u16 nvmet_ctrl_alloc(struct nvmet_req *req, const char *subsysnqn,
		     const char *hostnqn, const uuid_t *hostid, u32 kato,
		     struct nvmet_ctrl **ctrlp)
{
	struct nvmet_port *port = req->port;
	struct nvmet_subsys *subsys = NULL;
	struct nvmet_ctrl *ctrl;
	u16 min, max, max_qid;
	u16 status;

	if (!nvmet_is_disc_nqn(subsysnqn)) {
		subsys = nvmet_port_find_get_subsys(port, subsysnqn);
		if (!subsys) {
			pr_warn_ratelimited("nvmet: port %u: host %*pE asked for subsystem %*pE, not offered here\n",
					    le16_to_cpu(port->disc_addr.portid),
					    (int)strlen(hostnqn), hostnqn,
					    (int)strlen(subsysnqn), subsysnqn);
			req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(subsysnqn);
			return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
		}
		if (!nvmet_subsys_host_allowed(subsys, hostnqn)) {
			pr_info_ratelimited("nvmet: subsystem %s: host %*pE is not allowed\n",
					    subsys->nqn, (int)strlen(hostnqn),
					    hostnqn);
			req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(hostnqn);
			status = NVME_SC_CONNECT_INVALID_HOST | NVME_STATUS_DNR;
			goto out_put_subsys;
		}
	} else if (!nvmet_port_is_live(port)) {
		return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
	}

	status = NVME_SC_INTERNAL;
	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		goto out_put_subsys;
	if (subsys) {
		mutex_lock(&subsys->lock);
		min = subsys->cntlid_min;
		max = subsys->cntlid_max;
		max_qid = subsys->max_qid;
		mutex_unlock(&subsys->lock);
	} else {
		min = 1;
		max = NVMET_DISC_CNTLID_MAX;
		max_qid = 0;
		if (!kato)
			kato = NVMET_DISC_KATO_MS;
	}
	kref_init(&ctrl->ref);
	mutex_init(&ctrl->lock);
	spin_lock_init(&ctrl->error_lock);
	INIT_DELAYED_WORK(&ctrl->ka_work, nvmet_ctrl_ka_work);
	INIT_DELAYED_WORK(&ctrl->auth_work, nvmet_ctrl_auth_work);
	INIT_WORK(&ctrl->fatal_work, nvmet_ctrl_fatal_work);
	INIT_WORK(&ctrl->async_event_work, nvmet_async_event_work);
	INIT_LIST_HEAD(&ctrl->async_events);
	ctrl->subsys = subsys;
	ctrl->port = port;
	ctrl->ops = req->ops;
	ctrl->max_qid = max_qid;
	ctrl->mnan = nvmet_ctrl_mnan(nvmet_mdts(port, ctrl->ops, ctrl));
	ctrl->kato = kato;
	ctrl->cap = nvmet_ctrl_cap(port);
	nvmet_passthru_ctrl_init(ctrl);
	ctrl->aen_enabled = subsys ? NVMET_AEN_CFG_IO : 0;
	strscpy(ctrl->hostnqn, hostnqn, sizeof(ctrl->hostnqn));
	uuid_copy(&ctrl->hostid, hostid);
	ctrl->sqs = kcalloc(max_qid + 1, sizeof(*ctrl->sqs), GFP_KERNEL);
	ctrl->changed_ns = kmalloc_array(NVMET_MAX_CHANGED_NS,
					 sizeof(*ctrl->changed_ns),
					 GFP_KERNEL);
	ctrl->stats = alloc_percpu(struct nvmet_stats);
	if (!ctrl->sqs || !ctrl->changed_ns || !ctrl->stats)
		goto out_free;
	if (req->ops->host_traddr)
		req->ops->host_traddr(req, ctrl->host_traddr,
				      sizeof(ctrl->host_traddr));

	nvmet_port_get(port);
	nvmet_test_point(NVMET_TP_CTRL_INSERT, ctrl);
	status = nvmet_ctrl_insert(ctrl, min, max);
	if (status) {
		pr_err("nvmet: subsystem %s: no free controller ID in %u..%u\n",
		       subsys ? subsys->nqn : NVMET_DISC_NQN, min, max);
		goto out_put_port;
	}
	nvmet_obj_created(NVMET_OBJ_CTRL);
	if (!nvmet_ctrl_still_offered(ctrl)) {
		/* The last put erases the ID and drops port and subsystem. */
		pr_info_ratelimited("nvmet: port %u: %s went away while host %*pE connected\n",
				    le16_to_cpu(port->disc_addr.portid),
				    subsys ? subsys->nqn : NVMET_DISC_NQN,
				    (int)strlen(hostnqn), hostnqn);
		nvmet_ctrl_put(ctrl);
		req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(subsysnqn);
		return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
	}
	if (subsys && !nvmet_subsys_host_allowed(subsys, hostnqn)) {
		pr_info_ratelimited("nvmet: subsystem %s: host %*pE was refused while it connected\n",
				    subsys->nqn, (int)strlen(hostnqn), hostnqn);
		nvmet_ctrl_put(ctrl);
		req->cqe->result.u32 = NVMET_CONNECT_BAD_DATA(hostnqn);
		return NVME_SC_CONNECT_INVALID_HOST | NVME_STATUS_DNR;
	}
	nvmet_debugfs_ctrl_add(ctrl);
	nvmet_ctrl_ka_start(ctrl);
	*ctrlp = ctrl;
	return 0;

out_put_port:
	nvmet_port_put(port);
out_free:
	free_percpu(ctrl->stats);
	kfree(ctrl->changed_ns);
	kfree(ctrl->sqs);
	mutex_destroy(&ctrl->lock);
	kfree(ctrl);
out_put_subsys:
	if (subsys)
		nvmet_subsys_put(subsys);
	return status;
}

/**
 * nvmet_ctrl_find_get() - the controller an I/O Connect names
 * @port: the port the I/O queue connects through
 * @subsysnqn: the subsystem
 * @hostnqn: the host, which must be the controller's
 * @cntlid: the controller ID
 *
 * Lookup cost: the subsystem by NQN (map lookup) and the controller by ID
 * (one xarray load), under RCU with no mutex.
 *
 * Context: Any context.
 * Return: the controller with a reference, or NULL.
 */
struct nvmet_ctrl *nvmet_ctrl_find_get(struct nvmet_port *port,
				       const char *subsysnqn,
				       const char *hostnqn, u16 cntlid)
{
	struct nvmet_subsys *subsys;
	struct nvmet_ctrl *ctrl;

	subsys = nvmet_port_find_get_subsys(port, subsysnqn);
	if (!subsys)
		return NULL;
	rcu_read_lock();
	ctrl = xa_load(&subsys->ctrls, cntlid);
	if (ctrl && (ctrl->port != port || strcmp(ctrl->hostnqn, hostnqn) ||
		     READ_ONCE(ctrl->deleting) ||
		     !kref_get_unless_zero(&ctrl->ref)))
		ctrl = NULL;
	rcu_read_unlock();
	nvmet_subsys_put(subsys);
	return ctrl;
}
