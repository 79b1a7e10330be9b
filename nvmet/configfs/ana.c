// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/ports/<ID>/ana_groups/: ANA groups and their state on a port.
 *
 * Group 1 is a default group of every port (configfs refuses its rmdir);
 * groups 2..128 are created with mkdir.  The state of each group is kept
 * per port, under that port's lock only.
 *
 * Conventions:
 * @item: an ana_groups/<GRPID> item
 * @page: the attribute's buffer
 */
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "configfs.h"

static const struct nvmet_name_map nvmet_ana_states[] = {
	{ NVME_ANA_OPTIMIZED,		"optimized" },
	{ NVME_ANA_NONOPTIMIZED,	"non-optimized" },
	{ NVME_ANA_INACCESSIBLE,	"inaccessible" },
	{ NVME_ANA_PERSISTENT_LOSS,	"persistent-loss" },
	{ NVME_ANA_CHANGE,		"change" },
};

static struct nvmet_ana_item *to_ana_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_ana_item,
			    group);
}

static ssize_t nvmet_ana_group_ana_state_show(struct config_item *item,
					      char *page)
{
	struct nvmet_ana_item *ai = to_ana_item(item);
	const char *name;

	name = nvmet_name_of(nvmet_ana_states, ARRAY_SIZE(nvmet_ana_states),
			     nvmet_port_ana_state(ai->port, ai->grpid));
	return sysfs_emit(page, "%s\n", name ? name : "");
}

static ssize_t nvmet_ana_group_ana_state_store(struct config_item *item,
					       const char *page, size_t count)
{
	struct nvmet_ana_item *ai = to_ana_item(item);
	u8 state;
	int ret;

	if (nvmet_parse_name(nvmet_ana_states, ARRAY_SIZE(nvmet_ana_states),
			     page, &state)) {
		pr_err("nvmet: port %u: invalid ana_state '%s'\n",
		       le16_to_cpu(ai->port->disc_addr.portid), page);
		return -EINVAL;
	}
	ret = nvmet_port_set_ana_state(ai->port, ai->grpid, state);
	return ret ? ret : count;
}

CONFIGFS_ATTR(nvmet_ana_group_, ana_state);

static struct configfs_attribute *nvmet_ana_group_attrs[] = {
	&nvmet_ana_group_attr_ana_state,
	NULL,
};

/* Group 1 is embedded in the port's item; the others are allocated. */
static void nvmet_ana_group_release(struct config_item *item)
{
	struct nvmet_ana_item *ai = to_ana_item(item);

	if (ai->grpid != NVMET_DEFAULT_ANA_GRPID)
		kfree(ai);
}

static struct configfs_item_operations nvmet_ana_group_item_ops = {
	.release	= nvmet_ana_group_release,
};

const struct config_item_type nvmet_ana_group_type = {
	.ct_item_ops	= &nvmet_ana_group_item_ops,
	.ct_attrs	= nvmet_ana_group_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *nvmet_ana_group_make(struct config_group *group,
						 const char *name)
{
	struct nvmet_port_item *pi = container_of(group, struct nvmet_port_item,
						  ana_groups_group);
	struct nvmet_ana_item *ai;
	u32 grpid;
	int ret;

	ret = kstrtou32(name, 0, &grpid);
	if (ret)
		return ERR_PTR(ret);
	ai = kzalloc(sizeof(*ai), GFP_KERNEL);
	if (!ai)
		return ERR_PTR(-ENOMEM);
	ret = nvmet_port_ana_group_add(pi->port, grpid);
	if (ret) {
		kfree(ai);
		return ERR_PTR(ret);
	}
	ai->port = pi->port;
	ai->grpid = grpid;
	config_group_init_type_name(&ai->group, name, &nvmet_ana_group_type);
	return &ai->group;
}

static void nvmet_ana_group_drop(struct config_group *group,
				 struct config_item *item)
{
	struct nvmet_ana_item *ai = to_ana_item(item);

	nvmet_port_ana_group_remove(ai->port, ai->grpid);
	config_item_put(item);
}

static struct configfs_group_operations nvmet_ana_groups_group_ops = {
	.make_group	= nvmet_ana_group_make,
	.drop_item	= nvmet_ana_group_drop,
};

const struct config_item_type nvmet_ana_groups_type = {
	.ct_group_ops	= &nvmet_ana_groups_group_ops,
	.ct_owner	= THIS_MODULE,
};
