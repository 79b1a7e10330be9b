// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-in for nvme-loop, installed by nvmet-ng's DKMS build when it could
 * not build the real one (no NVMe host headers of this kernel's own
 * version; see dkms/build.sh).  It shadows the in-tree nvme-loop, which
 * was built against the in-tree nvmet and must not be loaded against
 * ours, and refuses to load: "nvme connect -t loop" and enabling a loop
 * port then fail with this message instead.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init nvme_loop_stub_init(void)
{
	pr_err("nvme-loop: not built by nvmet-ng's DKMS package, which had no NVMe host sources of this kernel; install the kernel's linux-source package and reinstall nvmet-ng with dkms\n");
	return -ENODEV;
}
module_init(nvme_loop_stub_init);

MODULE_DESCRIPTION("nvmet-ng stand-in for nvme-loop (not built: no NVMe host sources)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvmet-transport-254"); /* NVMF_TRTYPE_LOOP */
