// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-ng core module (nvmet.ko): module init and exit.
 */
#include <linux/module.h>

#include <nvmet/nvmet.h>
#include <nvmet/req.h>
#include "backend/backends.h"
#include "configfs/configfs.h"
#include "debugfs.h"
#include "target/ctrl.h"
#include "target/port_watch.h"

static int __init nvmet_init(void)
{
	int ret;

	nvmet_wq = alloc_workqueue("nvmet-wq", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!nvmet_wq)
		return -ENOMEM;
	/*
	 * Keep-alive, events and fatal errors of every controller: short
	 * items that never wait for I/O, so nothing a backend does delays
	 * them (backend work runs on each namespace's own queue).
	 */
	ret = -ENOMEM;
	nvmet_ctrl_wq = alloc_workqueue("nvmet-ctrl-wq", WQ_MEM_RECLAIM |
					WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!nvmet_ctrl_wq)
		goto out_destroy_wq;
	/* Namespace drains after rmdir; each may wait for a hung backend. */
	nvmet_ns_drain_wq = alloc_workqueue("nvmet-drain-wq", WQ_UNBOUND,
					    WQ_MAX_ACTIVE);
	if (!nvmet_ns_drain_wq)
		goto out_destroy_ctrl_wq;
	nvmet_discovery_init();
	ret = nvmet_pr_init();
	if (ret)
		goto out_destroy_drain_wq;
	ret = nvmet_core_init();
	if (ret)
		goto out_pr_exit;
	ret = nvmet_bdev_backend_init();
	if (ret)
		goto out_core_exit;
	ret = nvmet_file_backend_init();
	if (ret)
		goto out_bdev_exit;
	ret = nvmet_port_watch_init();
	if (ret)
		goto out_file_exit;
	ret = nvmet_configfs_init();
	if (ret)
		goto out_watch_exit;
	nvmet_debugfs_init();
	return 0;

out_watch_exit:
	nvmet_port_watch_exit();
out_file_exit:
	nvmet_file_backend_exit();
out_bdev_exit:
	nvmet_bdev_backend_exit();
out_core_exit:
	nvmet_core_exit();
out_pr_exit:
	nvmet_pr_exit();
out_destroy_drain_wq:
	destroy_workqueue(nvmet_ns_drain_wq);
out_destroy_ctrl_wq:
	destroy_workqueue(nvmet_ctrl_wq);
out_destroy_wq:
	destroy_workqueue(nvmet_wq);
	return ret;
}

static void __exit nvmet_exit(void)
{
	nvmet_debugfs_exit();
	nvmet_configfs_exit();
	nvmet_port_watch_exit();
	/* Namespaces removed by rmdir finish draining before the backends go. */
	destroy_workqueue(nvmet_ns_drain_wq);
	nvmet_file_backend_exit();
	nvmet_bdev_backend_exit();
	nvmet_core_exit();
	nvmet_pr_exit();
	destroy_workqueue(nvmet_ctrl_wq);
	destroy_workqueue(nvmet_wq);
}

module_init(nvmet_init);
module_exit(nvmet_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe over Fabrics target core");
MODULE_LICENSE("GPL");
