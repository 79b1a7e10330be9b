// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root of nvmet-ng's configfs tree: the "nvmet" configfs subsystem with
 * its discovery_nqn attribute and its three default groups, subsystems/,
 * ports/ and hosts/, laid out as the in-tree nvmet does so existing scripts
 * and nvmetcli find them.
 */
#include <linux/module.h>

#include "configfs.h"

static ssize_t nvmet_root_discovery_nqn_show(struct config_item *item,
					     char *page)
{
	int len = nvmet_disc_nqn_copy(page, PAGE_SIZE - 1);

	if (len < 0)
		return len;
	page[len] = '\n';
	return len + 1;
}

static ssize_t nvmet_root_discovery_nqn_store(struct config_item *item,
					      const char *page, size_t count)
{
	int ret = nvmet_disc_nqn_set(page);

	return ret ? ret : count;
}

CONFIGFS_ATTR(nvmet_root_, discovery_nqn);

static struct configfs_attribute *nvmet_root_attrs[] = {
	&nvmet_root_attr_discovery_nqn,
	NULL,
};

static const struct config_item_type nvmet_root_type = {
	.ct_attrs	= nvmet_root_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group nvmet_subsystems_group;
static struct config_group nvmet_ports_group;
static struct config_group nvmet_hosts_group;

static struct configfs_subsystem nvmet_configfs_subsystem = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "nvmet",
			.ci_type	= &nvmet_root_type,
		},
	},
};

/**
 * nvmet_configfs_init() - create /sys/kernel/config/nvmet
 *
 * Context: Process context, module init.
 * Return: 0 or the error of configfs_register_subsystem().
 */
int nvmet_configfs_init(void)
{
	struct config_group *root = &nvmet_configfs_subsystem.su_group;
	int ret;

	config_group_init(root);
	mutex_init(&nvmet_configfs_subsystem.su_mutex);

	config_group_init_type_name(&nvmet_subsystems_group, "subsystems",
				    &nvmet_subsystems_type);
	configfs_add_default_group(&nvmet_subsystems_group, root);

	config_group_init_type_name(&nvmet_ports_group, "ports",
				    &nvmet_ports_type);
	configfs_add_default_group(&nvmet_ports_group, root);

	config_group_init_type_name(&nvmet_hosts_group, "hosts",
				    &nvmet_hosts_type);
	configfs_add_default_group(&nvmet_hosts_group, root);

	ret = configfs_register_subsystem(&nvmet_configfs_subsystem);
	if (ret)
		pr_err("nvmet: configfs_register_subsystem: %d\n", ret);
	return ret;
}

/**
 * nvmet_configfs_exit() - remove /sys/kernel/config/nvmet
 *
 * Context: Process context, module exit.
 */
void nvmet_configfs_exit(void)
{
	configfs_unregister_subsystem(&nvmet_configfs_subsystem);
}
