// SPDX-License-Identifier: GPL-2.0-only
/*
 * subsystems/<NQN>/namespaces/<NSID>/allowed_hosts/: symlinks to
 * hosts/<NQN>, as in a subsystem's allowed_hosts/.  They matter when the
 * namespace's device_auto_visible is 0: then only the linked hosts see
 * the namespace (nvmet/core/ns_visibility.c).  A link and its removal
 * work at any time, enabled or not, with hosts connected.
 *
 * nvmetcli saves a namespace's device_* attributes, device_auto_visible
 * among them, but not these links (Documentation/design.md, "Per-host
 * namespace visibility").
 */
#include <linux/module.h>

#include <nvmet/ns.h>
#include "configfs.h"

static struct nvmet_ns *ns_hosts_to_ns(struct config_item *item)
{
	return container_of(to_config_group(item),
			    struct nvmet_ns_hosts_group, group)->ns;
}

/* The errors of a subsystem's allowed_hosts/: -EINVAL, -EEXIST. */
static int nvmet_ns_hosts_allow_link(struct config_item *parent,
				     struct config_item *target)
{
	struct nvmet_ns *ns = ns_hosts_to_ns(parent);
	struct nvmet_host *host = nvmet_item_to_host(target);

	if (!host) {
		pr_err("nvmet: subsystem %s namespace %u: allowed_hosts links must point to hosts/<NQN>\n",
		       ns->subsys->nqn, ns->nsid);
		return -EINVAL;
	}
	return nvmet_ns_allow_host(ns, host);
}

static void nvmet_ns_hosts_drop_link(struct config_item *parent,
				     struct config_item *target)
{
	struct nvmet_host *host = nvmet_item_to_host(target);

	if (host)
		nvmet_ns_disallow_host(ns_hosts_to_ns(parent), host);
}

static struct configfs_item_operations nvmet_ns_hosts_item_ops = {
	.allow_link	= nvmet_ns_hosts_allow_link,
	.drop_link	= nvmet_ns_hosts_drop_link,
};

static const struct config_item_type nvmet_ns_hosts_type = {
	.ct_item_ops	= &nvmet_ns_hosts_item_ops,
	.ct_owner	= THIS_MODULE,
};

/**
 * nvmet_ns_hosts_group_init() - set up a namespace's allowed_hosts/
 * @hg: the group, embedded in the namespace's item (freed with it)
 * @parent: the namespace's group
 * @ns: the namespace
 *
 * Context: Process context, the namespace's make_group.
 */
void nvmet_ns_hosts_group_init(struct nvmet_ns_hosts_group *hg,
			       struct config_group *parent,
			       struct nvmet_ns *ns)
{
	hg->ns = ns;
	config_group_init_type_name(&hg->group, "allowed_hosts",
				    &nvmet_ns_hosts_type);
	configfs_add_default_group(&hg->group, parent);
}
