// SPDX-License-Identifier: GPL-2.0-only
/*
 * A do-nothing fabric for the *in-tree* nvmet whose add_port() sleeps.
 *
 * make bench loads it beside Debian's nvmet.ko to measure the in-tree
 * target under the same injected add_port() delay as nvmet-ng's test
 * fabric: the in-tree core calls add_port() with its global configuration
 * semaphore held.  It registers for the loop transport type, so ports with
 * addr_trtype=loop use it; nvme-loop must not be loaded at the same time.
 *
 * Built against drivers/nvme/target/nvmet.h of the matching linux-source;
 * never installed, never part of nvmet-ng.
 */
#include <linux/delay.h>
#include <linux/module.h>

#include "nvmet.h"

static unsigned int add_port_delay_ms;
module_param(add_port_delay_ms, uint, 0644);
MODULE_PARM_DESC(add_port_delay_ms, "milliseconds each add_port() sleeps");

static int nvmet_intree_delay_add_port(struct nvmet_port *port)
{
	msleep(READ_ONCE(add_port_delay_ms));
	return 0;
}

static void nvmet_intree_delay_remove_port(struct nvmet_port *port)
{
}

/* No queue is ever created: no host can connect through this fabric. */
static void nvmet_intree_delay_queue_response(struct nvmet_req *req)
{
}

static void nvmet_intree_delay_delete_ctrl(struct nvmet_ctrl *ctrl)
{
}

static const struct nvmet_fabrics_ops nvmet_intree_delay_ops = {
	.owner		= THIS_MODULE,
	.type		= NVMF_TRTYPE_LOOP,
	.add_port	= nvmet_intree_delay_add_port,
	.remove_port	= nvmet_intree_delay_remove_port,
	.queue_response	= nvmet_intree_delay_queue_response,
	.delete_ctrl	= nvmet_intree_delay_delete_ctrl,
};

static int __init nvmet_intree_delay_init(void)
{
	return nvmet_register_transport(&nvmet_intree_delay_ops);
}

static void __exit nvmet_intree_delay_exit(void)
{
	nvmet_unregister_transport(&nvmet_intree_delay_ops);
}

module_init(nvmet_intree_delay_init);
module_exit(nvmet_intree_delay_exit);

MODULE_DESCRIPTION("Benchmark only: in-tree nvmet fabric with a slow add_port");
MODULE_LICENSE("GPL");
