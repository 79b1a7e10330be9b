// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-loop: module init and exit, and the two registrations: the "loop"
 * transport of the NVMe host (nvme-fabrics) and the loop fabric of the
 * nvmet-ng target core.
 *
 * Exit order: no new host controllers (unregister from nvme-fabrics),
 * delete the ones left and wait until they are freed, then leave the
 * target core.  The core pins this module while a loop port is enabled,
 * so no port needs us by then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include <nvmet/fabric.h>

#include "nvme-loop.h"

/* Runs the target side of every command (struct nvme_loop_iod work). */
struct workqueue_struct *nvme_loop_wq;

const struct nvmet_fabric_ops nvme_loop_fabric_ops = {
	.name		= "loop",
	.owner		= THIS_MODULE,
	.type		= NVMF_TRTYPE_LOOP,
	.msdbd		= 1,
	.add_port	= nvme_loop_add_port,
	.remove_port	= nvme_loop_remove_port,
	.queue_response	= nvme_loop_queue_response,
	.delete_ctrl	= nvme_loop_target_delete_ctrl,
};

static struct nvmf_transport_ops nvme_loop_transport = {
	.name		= "loop",
	.module		= THIS_MODULE,
	.allowed_opts	= NVMF_OPT_TRADDR | NVMF_OPT_CTRL_LOSS_TMO,
	.create_ctrl	= nvme_loop_create_ctrl,
};

static int __init nvme_loop_init(void)
{
	int ret;

	/*
	 * Unbound: a command then runs on whichever CPU is free rather than
	 * on the submitter's, which fio keeps busy.
	 */
	nvme_loop_wq = alloc_workqueue("nvme_loop_wq",
				       WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!nvme_loop_wq)
		return -ENOMEM;
	ret = nvmet_register_fabric(&nvme_loop_fabric_ops);
	if (ret)
		goto out_destroy_wq;
	ret = nvmf_register_transport(&nvme_loop_transport);
	if (ret)
		goto out_unregister_fabric;
	return 0;

out_unregister_fabric:
	nvmet_unregister_fabric(&nvme_loop_fabric_ops);
out_destroy_wq:
	destroy_workqueue(nvme_loop_wq);
	return ret;
}

static void __exit nvme_loop_exit(void)
{
	nvmf_unregister_transport(&nvme_loop_transport);
	nvme_loop_delete_all_ctrls();
	nvmet_unregister_fabric(&nvme_loop_fabric_ops);
	destroy_workqueue(nvme_loop_wq);
}

module_init(nvme_loop_init);
module_exit(nvme_loop_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe loop transport (host and target in one kernel)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvmet-transport-254"); /* NVMF_TRTYPE_LOOP */
