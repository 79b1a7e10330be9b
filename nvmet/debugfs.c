// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/nvmet-ng/objects: live object counts, one
 * "<type> <count>" line each, for leak checks after a teardown.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <nvmet/nvmet.h>
#include "debugfs.h"

static struct dentry *nvmet_debugfs_dir;

static int nvmet_objects_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < NVMET_OBJ_NR; i++)
		seq_printf(m, "%s %d\n", nvmet_obj_name(i), nvmet_obj_count(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_objects);

/**
 * nvmet_debugfs_init() - create /sys/kernel/debug/nvmet-ng/
 *
 * Failure is not an error: debugfs is a debugging aid.
 *
 * Context: Process context, module init.
 */
void nvmet_debugfs_init(void)
{
	nvmet_debugfs_dir = debugfs_create_dir("nvmet-ng", NULL);
	debugfs_create_file("objects", 0444, nvmet_debugfs_dir, NULL,
			    &nvmet_objects_fops);
}

/**
 * nvmet_debugfs_exit() - remove /sys/kernel/debug/nvmet-ng/
 *
 * Context: Process context, module exit.
 */
void nvmet_debugfs_exit(void)
{
	debugfs_remove_recursive(nvmet_debugfs_dir);
}
