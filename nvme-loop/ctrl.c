// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host controllers: creation (`nvme connect -t loop`), setup and teardown
 * of their queues, reset, deletion and release.
 *
 * nvme-core serialises setup, reset and deletion of one controller
 * (create_ctrl() runs before anyone can reset it; delete_work flushes
 * reset_work first), so they need no lock of ours.  What others reach is
 * the list of controllers, under nvme_loop_ctrls_lock: the target deletes
 * a host controller when it deletes the target controller behind it
 * (port unlinked, subsystem gone, keep-alive expired), remove_port()
 * deletes the controllers of a port, module exit deletes them all.
 *
 * Teardown order, per queue: quiesce blk-mq, stop the queue (no work
 * left, the target has completed every command), cancel what blk-mq
 * still holds, free the tag set.  The admin queue goes last, after the
 * controller was shut down through it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include <nvmet/nvmet.h>

#include "nvme-loop.h"

/*
 * Protects nvme_loop_ctrls, and every controller's entry, created and
 * delete_pending.
 */
static DEFINE_MUTEX(nvme_loop_ctrls_lock);
static LIST_HEAD(nvme_loop_ctrls);
/* Controllers not yet freed; module exit waits for zero. */
static atomic_t nvme_loop_nr_ctrls = ATOMIC_INIT(0);

/* Delete @ctrl now, or once create_ctrl() is done with it. */
static void nvme_loop_request_delete(struct nvme_loop_ctrl *ctrl)
	__must_hold(&nvme_loop_ctrls_lock)
{
	lockdep_assert_held(&nvme_loop_ctrls_lock);
	if (ctrl->created)
		nvme_delete_ctrl(&ctrl->ctrl);
	else
		ctrl->delete_pending = true;
}

/**
 * nvme_loop_target_delete_ctrl() - the target deletes a controller
 * @tctrl: the target controller
 *
 * The fabric's delete_ctrl(): starts deleting the host controller whose
 * admin queue is connected to @tctrl, without waiting.  Our own teardown
 * destroying the admin queue does not count: the queue is no longer
 * ALLOCATED then.
 *
 * Context: Process context; takes nvme_loop_ctrls_lock.
 */
void nvme_loop_target_delete_ctrl(struct nvmet_ctrl *tctrl)
{
	struct nvme_loop_ctrl *ctrl;

	mutex_lock(&nvme_loop_ctrls_lock);
	list_for_each_entry(ctrl, &nvme_loop_ctrls, entry) {
		struct nvme_loop_queue *aq = &ctrl->queues[0];

		if (test_bit_acquire(NVME_LOOP_Q_ALLOCATED, &aq->flags) &&
		    READ_ONCE(aq->sq.ctrl) == tctrl) {
			nvme_loop_request_delete(ctrl);
			break;
		}
	}
	mutex_unlock(&nvme_loop_ctrls_lock);
}

/**
 * nvme_loop_delete_port_ctrls() - delete the host controllers of a port
 * @nport: the port, being disabled
 *
 * Context: Process context; takes nvme_loop_ctrls_lock.
 */
void nvme_loop_delete_port_ctrls(struct nvmet_port *nport)
{
	struct nvme_loop_ctrl *ctrl;

	mutex_lock(&nvme_loop_ctrls_lock);
	list_for_each_entry(ctrl, &nvme_loop_ctrls, entry) {
		if (ctrl->nport == nport)
			nvme_loop_request_delete(ctrl);
	}
	mutex_unlock(&nvme_loop_ctrls_lock);
}

/**
 * nvme_loop_delete_all_ctrls() - delete every host controller and wait
 * until all are freed
 *
 * Context: Module exit, after unregistering the transport, so no
 * controller is being created.
 */
void nvme_loop_delete_all_ctrls(void)
{
	struct nvme_loop_ctrl *ctrl;

	mutex_lock(&nvme_loop_ctrls_lock);
	list_for_each_entry(ctrl, &nvme_loop_ctrls, entry)
		nvme_delete_ctrl(&ctrl->ctrl);
	mutex_unlock(&nvme_loop_ctrls_lock);
	flush_workqueue(nvme_delete_wq);
	wait_var_event(&nvme_loop_nr_ctrls, !atomic_read(&nvme_loop_nr_ctrls));
}

/* Is there a live controller of the same host, subsystem and port? */
static bool nvme_loop_ctrl_exists(struct nvmf_ctrl_options *opts,
				  struct nvmet_port *nport)
{
	struct nvme_loop_ctrl *ctrl;
	bool found = false;

	mutex_lock(&nvme_loop_ctrls_lock);
	list_for_each_entry(ctrl, &nvme_loop_ctrls, entry) {
		if (ctrl->created && ctrl->nport == nport &&
		    nvmf_ctlr_matches_baseopts(&ctrl->ctrl, opts)) {
			found = true;
			break;
		}
	}
	mutex_unlock(&nvme_loop_ctrls_lock);
	return found;
}

static void nvme_loop_teardown_admin_queue(struct nvme_loop_ctrl *ctrl,
					   bool remove)
{
	nvme_quiesce_admin_queue(&ctrl->ctrl);
	blk_sync_queue(ctrl->ctrl.admin_q);
	nvme_loop_stop_queue(&ctrl->queues[0]);
	nvme_cancel_admin_tagset(&ctrl->ctrl);
	if (remove) {
		nvme_unquiesce_admin_queue(&ctrl->ctrl);
		nvme_remove_admin_tag_set(&ctrl->ctrl);
	}
}

static int nvme_loop_configure_admin_queue(struct nvme_loop_ctrl *ctrl,
					   bool new)
{
	struct nvme_loop_queue *queue = &ctrl->queues[0];
	int ret;

	ret = nvme_loop_start_queue(queue);
	if (ret)
		return ret;
	if (new) {
		ret = nvme_alloc_admin_tag_set(&ctrl->ctrl, &ctrl->admin_tag_set,
					       &nvme_loop_mq_ops,
					       NVME_LOOP_CMD_SIZE);
		if (ret)
			goto out_stop_queue;
	}
	ret = nvme_loop_connect_queue(queue);
	if (ret)
		goto out_cancel;
	ret = nvme_enable_ctrl(&ctrl->ctrl);
	if (ret)
		goto out_cancel;

	ctrl->ctrl.max_segments = NVME_LOOP_MAX_SEGMENTS;
	ctrl->ctrl.max_hw_sectors =
		(NVME_LOOP_MAX_SEGMENTS - 1) << PAGE_SECTORS_SHIFT;
	nvme_unquiesce_admin_queue(&ctrl->ctrl);
	ret = nvmet_nvme_init_ctrl_finish(&ctrl->ctrl);
	if (ret)
		goto out_quiesce;
	return 0;

out_quiesce:
	nvme_quiesce_admin_queue(&ctrl->ctrl);
	blk_sync_queue(ctrl->ctrl.admin_q);
out_cancel:
	nvme_loop_stop_queue(queue);
	nvme_cancel_admin_tagset(&ctrl->ctrl);
	if (new)
		nvme_remove_admin_tag_set(&ctrl->ctrl);
	return ret;
out_stop_queue:
	nvme_loop_stop_queue(queue);
	return ret;
}

static void nvme_loop_stop_io_queues(struct nvme_loop_ctrl *ctrl)
{
	unsigned int i;

	for (i = 1; i < ctrl->nr_queues; i++)
		nvme_loop_stop_queue(&ctrl->queues[i]);
}

static void nvme_loop_teardown_io_queues(struct nvme_loop_ctrl *ctrl,
					 bool remove)
{
	if (!ctrl->has_io_tag_set)
		return;
	nvme_quiesce_io_queues(&ctrl->ctrl);
	nvme_sync_io_queues(&ctrl->ctrl);
	nvme_loop_stop_io_queues(ctrl);
	nvme_cancel_tagset(&ctrl->ctrl);
	if (remove) {
		nvme_unquiesce_io_queues(&ctrl->ctrl);
		nvme_remove_io_tag_set(&ctrl->ctrl);
		ctrl->has_io_tag_set = false;
	}
}

static int nvme_loop_connect_io_queues(struct nvme_loop_ctrl *ctrl,
				       unsigned int first, unsigned int last)
{
	unsigned int qid;
	int ret;

	for (qid = first; qid <= last; qid++) {
		ret = nvme_loop_connect_queue(&ctrl->queues[qid]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * After a reset the target may grant another number of I/O queues: let
 * the requests waiting in blk-mq drain through the queues both numbers
 * have, then resize the tag set.
 */
static int nvme_loop_resize_io_queues(struct nvme_loop_ctrl *ctrl,
				      unsigned int nr_io_queues)
{
	nvme_start_freeze(&ctrl->ctrl);
	nvme_unquiesce_io_queues(&ctrl->ctrl);
	if (!nvmet_nvme_wait_freeze_timeout(&ctrl->ctrl)) {
		nvme_unfreeze(&ctrl->ctrl);
		return -ENODEV;
	}
	blk_mq_update_nr_hw_queues(&ctrl->tag_set, nr_io_queues);
	nvme_unfreeze(&ctrl->ctrl);
	return 0;
}

static int nvme_loop_configure_io_queues(struct nvme_loop_ctrl *ctrl)
{
	bool new = !ctrl->has_io_tag_set;
	unsigned int nr_io, nr_old, i;
	int ret, count = ctrl->nr_queues - 1;

	ret = nvme_set_queue_count(&ctrl->ctrl, &count);
	if (ret)
		return ret;
	nr_io = count;
	ctrl->ctrl.queue_count = nr_io + 1;
	if (!nr_io)
		return 0;
	for (i = 1; i <= nr_io; i++) {
		ret = nvme_loop_start_queue(&ctrl->queues[i]);
		if (ret)
			goto out_stop_queues;
	}
	if (new) {
		ret = nvme_alloc_io_tag_set(&ctrl->ctrl, &ctrl->tag_set,
					    &nvme_loop_mq_ops, 1,
					    NVME_LOOP_CMD_SIZE);
		if (ret)
			goto out_stop_queues;
		ctrl->has_io_tag_set = true;
	}
	nr_old = ctrl->tag_set.nr_hw_queues;
	ret = nvme_loop_connect_io_queues(ctrl, 1, min(nr_old, nr_io));
	if (ret)
		goto out_teardown;
	if (nr_old != nr_io) {
		ret = nvme_loop_resize_io_queues(ctrl, nr_io);
		if (ret)
			goto out_teardown;
		ret = nvme_loop_connect_io_queues(ctrl, nr_old + 1, nr_io);
		if (ret)
			goto out_teardown;
	}
	return 0;

out_teardown:
	nvme_loop_teardown_io_queues(ctrl, new);
	return ret;
out_stop_queues:
	nvme_loop_stop_io_queues(ctrl);
	return ret;
}

static void nvme_loop_teardown_ctrl(struct nvme_loop_ctrl *ctrl, bool shutdown)
{
	nvme_stop_keep_alive(&ctrl->ctrl);
	nvme_loop_teardown_io_queues(ctrl, shutdown);
	nvme_quiesce_admin_queue(&ctrl->ctrl);
	if (test_bit(NVME_LOOP_Q_LIVE, &ctrl->queues[0].flags))
		nvmet_nvme_disable_ctrl(&ctrl->ctrl, shutdown);
	nvme_loop_teardown_admin_queue(ctrl, shutdown);
}

/*
 * Connect the queues and make the controller LIVE.  @new: the first
 * time, allocate the tag sets too; on failure everything set up here is
 * undone (the tag sets only if @new).
 */
static int nvme_loop_setup_ctrl(struct nvme_loop_ctrl *ctrl, bool new)
{
	struct nvme_ctrl *nctrl = &ctrl->ctrl;
	int ret;

	ret = nvme_loop_configure_admin_queue(ctrl, new);
	if (ret)
		return ret;
	if (nctrl->opts->queue_size > nctrl->sqsize + 1)
		dev_warn(nctrl->device,
			 "queue_size %zu > ctrl sqsize %u, clamping down\n",
			 nctrl->opts->queue_size, nctrl->sqsize + 1);
	if (nctrl->sqsize + 1 > nctrl->maxcmd)
		nctrl->sqsize = nctrl->maxcmd - 1;

	if (ctrl->nr_queues > 1) {
		ret = nvme_loop_configure_io_queues(ctrl);
		if (ret)
			goto out_teardown_admin;
	}
	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_LIVE)) {
		/* Only deletion may have come in between. */
		WARN_ON_ONCE(new);
		ret = -EINTR;
		goto out_teardown_io;
	}
	nvme_start_ctrl(nctrl);
	return 0;

out_teardown_io:
	nvme_loop_teardown_io_queues(ctrl, new);
out_teardown_admin:
	nvme_stop_keep_alive(nctrl);
	nvme_loop_teardown_admin_queue(ctrl, new);
	return ret;
}

static void nvme_loop_reset_work(struct work_struct *work)
{
	struct nvme_loop_ctrl *ctrl =
		container_of(work, struct nvme_loop_ctrl, ctrl.reset_work);
	struct nvme_ctrl *nctrl = &ctrl->ctrl;
	int ret;

	nvme_stop_ctrl(nctrl);
	nvme_loop_teardown_ctrl(ctrl, false);
	if (!nvme_change_ctrl_state(nctrl, NVME_CTRL_CONNECTING)) {
		/* Deleted meanwhile: delete_work takes it from here. */
		return;
	}
	ret = nvme_loop_setup_ctrl(ctrl, false);
	if (ret) {
		dev_warn(nctrl->device, "reset failed (%d), removing\n", ret);
		nvme_delete_ctrl(nctrl);
	}
}

/* nvme-core's delete_ctrl(): namespaces are gone; shut down, tear down. */
static void nvme_loop_ctrl_delete(struct nvme_ctrl *nctrl)
{
	nvme_loop_teardown_ctrl(to_loop_ctrl(nctrl), true);
}

/* nvme-core's free_ctrl(): the last reference is gone. */
static void nvme_loop_ctrl_free(struct nvme_ctrl *nctrl)
{
	struct nvme_loop_ctrl *ctrl = to_loop_ctrl(nctrl);
	bool created;

	mutex_lock(&nvme_loop_ctrls_lock);
	list_del(&ctrl->entry);
	created = ctrl->created;
	mutex_unlock(&nvme_loop_ctrls_lock);

	/* Until create_ctrl() succeeded, nvme-fabrics owns the options. */
	if (created)
		nvmf_free_options(nctrl->opts);
	nvmet_port_put(ctrl->nport);
	kfree(ctrl->queues);
	kfree(ctrl);
	if (atomic_dec_and_test(&nvme_loop_nr_ctrls))
		wake_up_var(&nvme_loop_nr_ctrls);
}

static const struct nvme_ctrl_ops nvme_loop_ctrl_ops = {
	.name			= "loop",
	.module			= THIS_MODULE,
	.flags			= NVME_F_FABRICS,
	.reg_read32		= nvmf_reg_read32,
	.reg_read64		= nvmf_reg_read64,
	.reg_write32		= nvmf_reg_write32,
	.free_ctrl		= nvme_loop_ctrl_free,
	.submit_async_event	= nvme_loop_submit_async_event,
	.delete_ctrl		= nvme_loop_ctrl_delete,
	.get_address		= nvmf_get_address,
	NVMET_NVMF_VIRT_BOUNDARY
};

static int nvme_loop_alloc_queues(struct nvme_loop_ctrl *ctrl,
				  struct nvmf_ctrl_options *opts)
{
	unsigned int i;

	ctrl->nr_queues = nvmf_nr_io_queues(opts) + 1;
	ctrl->queues = kcalloc(ctrl->nr_queues, sizeof(*ctrl->queues),
			       GFP_KERNEL);
	if (!ctrl->queues)
		return -ENOMEM;
	for (i = 0; i < ctrl->nr_queues; i++)
		ctrl->queues[i].ctrl = ctrl;
	nvme_loop_init_async_iod(ctrl);
	return 0;
}

/* Allocate @ctrl and nvme_init_ctrl() it; from then on free_ctrl frees. */
static struct nvme_loop_ctrl *nvme_loop_alloc_ctrl(struct device *dev,
						   struct nvmf_ctrl_options *opts)
{
	const char *traddr = opts->mask & NVMF_OPT_TRADDR ? opts->traddr : NULL;
	struct nvme_loop_ctrl *ctrl;
	int ret;

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&ctrl->entry);
	ctrl->ctrl.opts = opts;
	ctrl->ctrl.sqsize = opts->queue_size - 1;
	ctrl->ctrl.kato = opts->kato;
	INIT_WORK(&ctrl->ctrl.reset_work, nvme_loop_reset_work);
	ret = nvme_loop_alloc_queues(ctrl, opts);
	if (ret)
		goto out_free_ctrl;
	ctrl->ctrl.queue_count = ctrl->nr_queues;

	ctrl->nport = nvme_loop_port_find_get(traddr);
	if (!ctrl->nport) {
		pr_err("no loop port is enabled\n");
		ret = -ENODEV;
		goto out_free_queues;
	}
	if (!opts->duplicate_connect &&
	    nvme_loop_ctrl_exists(opts, ctrl->nport)) {
		ret = -EALREADY;
		goto out_put_port;
	}
	ret = nvme_init_ctrl(&ctrl->ctrl, dev, &nvme_loop_ctrl_ops, 0);
	if (ret)
		goto out_put_port;

	atomic_inc(&nvme_loop_nr_ctrls);
	mutex_lock(&nvme_loop_ctrls_lock);
	list_add_tail(&ctrl->entry, &nvme_loop_ctrls);
	mutex_unlock(&nvme_loop_ctrls_lock);
	return ctrl;

out_put_port:
	nvmet_port_put(ctrl->nport);
out_free_queues:
	kfree(ctrl->queues);
out_free_ctrl:
	kfree(ctrl);
	return ERR_PTR(ret);
}

/* create_ctrl() succeeded: run a deletion the target asked for meanwhile. */
static void nvme_loop_ctrl_created(struct nvme_loop_ctrl *ctrl)
{
	bool pending;

	mutex_lock(&nvme_loop_ctrls_lock);
	ctrl->created = true;
	pending = ctrl->delete_pending;
	mutex_unlock(&nvme_loop_ctrls_lock);
	if (pending)
		nvme_delete_ctrl(&ctrl->ctrl);
}

/**
 * nvme_loop_create_ctrl() - create a loop host controller
 * @dev: the parent device (nvme-fabrics' misc device)
 * @opts: the connect options; ours once this succeeds
 *
 * The nvmf transport's create_ctrl(): picks the loop port, connects the
 * admin queue and the I/O queues to the target and makes the controller
 * LIVE.
 *
 * Context: Process context (a write to /dev/nvme-fabrics).
 * Return: the controller, or an ERR_PTR(): -ENODEV without a loop port,
 * -EALREADY for a duplicate, -EIO if the target refused.
 */
struct nvme_ctrl *nvme_loop_create_ctrl(struct device *dev,
					struct nvmf_ctrl_options *opts)
{
	struct nvme_loop_ctrl *ctrl;
	int ret;

	ctrl = nvme_loop_alloc_ctrl(dev, opts);
	if (IS_ERR(ctrl))
		return ERR_CAST(ctrl);
	ret = nvme_add_ctrl(&ctrl->ctrl);
	if (ret)
		goto out_put_ctrl;
	if (!nvme_change_ctrl_state(&ctrl->ctrl, NVME_CTRL_CONNECTING)) {
		WARN_ON_ONCE(1);
		ret = -EINTR;
		goto out_uninit_ctrl;
	}
	ret = nvme_loop_setup_ctrl(ctrl, true);
	if (ret)
		goto out_uninit_ctrl;

	dev_info(ctrl->ctrl.device, "new ctrl: NQN \"%s\", port %u\n",
		 nvmf_ctrl_subsysnqn(&ctrl->ctrl),
		 le16_to_cpu(ctrl->nport->disc_addr.portid));
	nvme_loop_ctrl_created(ctrl);
	return &ctrl->ctrl;

out_uninit_ctrl:
	nvme_uninit_ctrl(&ctrl->ctrl);
out_put_ctrl:
	nvme_put_ctrl(&ctrl->ctrl);
	if (ret > 0)
		ret = -EIO;
	return ERR_PTR(ret);
}
