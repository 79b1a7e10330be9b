// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-ng core module (nvmet.ko): module init and exit.
 */
#include <linux/module.h>

#include "configfs/configfs.h"

static int __init nvmet_init(void)
{
	return nvmet_configfs_init();
}

static void __exit nvmet_exit(void)
{
	nvmet_configfs_exit();
}

module_init(nvmet_init);
module_exit(nvmet_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe over Fabrics target core");
MODULE_LICENSE("GPL");
