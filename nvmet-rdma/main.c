// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-rdma: module init and exit, the fabric ops table, and the
 * ib_client that hears of RDMA devices coming and going.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-rdma.h"

/* Runs every queue's release work; flushed on device removal and exit. */
struct workqueue_struct *nvmet_rdma_wq;

static u8 nvmet_rdma_get_mdts(const struct nvmet_ctrl *ctrl)
{
	return NVMET_RDMA_MDTS;
}

const struct nvmet_fabric_ops nvmet_rdma_ops = {
	.name		= "rdma",
	.owner		= THIS_MODULE,
	.type		= NVMF_TRTYPE_RDMA,
	.flags		= NVMET_FABRIC_F_KEYED_SGLS | NVMET_FABRIC_F_INET,
	.msdbd		= 1,
	.add_port	= nvmet_rdma_add_port,
	.remove_port	= nvmet_rdma_remove_port,
	.queue_response	= nvmet_rdma_queue_response,
	.delete_ctrl	= nvmet_rdma_delete_ctrl,
	.install_queue	= nvmet_rdma_install_queue,
	.disc_traddr	= nvmet_rdma_disc_traddr,
	.host_traddr	= nvmet_rdma_host_traddr,
	.get_mdts	= nvmet_rdma_get_mdts,
};

/*
 * A device is going away: its queues go first.  The RDMA-CM removes its
 * ids after us (clients are removed in reverse order of registration),
 * and tells a listener bound to the device with DEVICE_REMOVAL.
 */
static void nvmet_rdma_remove_one(struct ib_device *ibdev, void *client_data)
{
	nvmet_rdma_close_device_queues(ibdev);
	/* Their device is going: parked ids cannot wait for an address. */
	nvmet_rdma_unpark_device(ibdev);
}

/* A new device may serve the address a port waits for. */
static int nvmet_rdma_add_one(struct ib_device *ibdev)
{
	nvmet_ports_recheck();
	return 0;
}

static struct ib_client nvmet_rdma_ib_client = {
	.name	= "nvmet_rdma",
	.add	= nvmet_rdma_add_one,
	.remove	= nvmet_rdma_remove_one,
};

static int __init nvmet_rdma_init(void)
{
	int ret;

	nvmet_rdma_wq = alloc_workqueue("nvmet_rdma_wq",
					WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	if (!nvmet_rdma_wq)
		return -ENOMEM;
	ret = ib_register_client(&nvmet_rdma_ib_client);
	if (ret)
		goto out_destroy_wq;
	ret = nvmet_register_fabric(&nvmet_rdma_ops);
	if (ret)
		goto out_unregister_client;
	return 0;

out_unregister_client:
	ib_unregister_client(&nvmet_rdma_ib_client);
out_destroy_wq:
	destroy_workqueue(nvmet_rdma_wq);
	return ret;
}

static void __exit nvmet_rdma_exit(void)
{
	nvmet_unregister_fabric(&nvmet_rdma_ops);
	nvmet_rdma_queues_exit();
	ib_unregister_client(&nvmet_rdma_ib_client);
	nvmet_rdma_devices_exit();
	destroy_workqueue(nvmet_rdma_wq);
}

module_init(nvmet_rdma_init);
module_exit(nvmet_rdma_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe over Fabrics RDMA transport");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvmet-transport-1"); /* NVMF_TRTYPE_RDMA */
