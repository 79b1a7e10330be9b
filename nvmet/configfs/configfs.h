/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-ng's configfs glue: the tree under /sys/kernel/config/nvmet.
 * Only this directory includes <linux/configfs.h>; the core never does.
 */
#ifndef _NVMET_CONFIGFS_H
#define _NVMET_CONFIGFS_H

int nvmet_configfs_init(void);
void nvmet_configfs_exit(void);

#endif /* _NVMET_CONFIGFS_H */
