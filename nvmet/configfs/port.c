// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/ports/<ID>/: port attributes and subsystems/ links.
 *
 * A port has no enable file: linking its first subsystem enables it and
 * unlinking the last disables it (core/port.c), as in-tree.  While it is
 * enabled every attribute store is refused with -EACCES; attributes the
 * in-tree target parses before that check are parsed first here too.
 *
 * Conventions:
 * @item: a ports/<ID> item unless said otherwise
 * @page: the attribute's buffer
 */
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "configfs.h"

static struct nvmet_port_item *to_port_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_port_item,
			    group);
}

static struct nvmet_port *to_port(struct config_item *item)
{
	return to_port_item(item)->port;
}

/* Apply @set to the port's address under its lock, if it is disabled. */
static ssize_t nvmet_port_addr_store(struct config_item *item,
				     const char *page, size_t count,
				     int (*set)(struct nvmf_disc_rsp_page_entry *,
						const char *))
{
	struct nvmet_port *port = to_port(item);
	int ret;

	ret = nvmet_port_config_begin(port);
	if (ret)
		return ret;
	ret = set(&port->disc_addr, page);
	nvmet_port_config_end(port);
	return ret ? ret : count;
}

static ssize_t nvmet_port_addr_show(struct config_item *item, char *page,
				    ssize_t (*show)(const struct nvmf_disc_rsp_page_entry *,
						    char *))
{
	struct nvmet_port *port = to_port(item);
	ssize_t ret;

	mutex_lock(&port->lock);
	ret = show(&port->disc_addr, page);
	mutex_unlock(&port->lock);
	return ret;
}

static ssize_t nvmet_port_addr_trtype_show(struct config_item *item,
					   char *page)
{
	return nvmet_port_addr_show(item, page, nvmet_addr_trtype_show);
}

static ssize_t nvmet_port_addr_trtype_store(struct config_item *item,
					    const char *page, size_t count)
{
	return nvmet_port_addr_store(item, page, count, nvmet_addr_set_trtype);
}

static ssize_t nvmet_port_addr_adrfam_show(struct config_item *item,
					   char *page)
{
	return nvmet_port_addr_show(item, page, nvmet_addr_adrfam_show);
}

static ssize_t nvmet_port_addr_adrfam_store(struct config_item *item,
					    const char *page, size_t count)
{
	return nvmet_port_addr_store(item, page, count, nvmet_addr_set_adrfam);
}

static ssize_t nvmet_port_addr_treq_show(struct config_item *item,
					 char *page)
{
	return nvmet_port_addr_show(item, page, nvmet_addr_treq_show);
}

static ssize_t nvmet_port_addr_treq_store(struct config_item *item,
					  const char *page, size_t count)
{
	return nvmet_port_addr_store(item, page, count, nvmet_addr_set_treq);
}

static ssize_t nvmet_port_addr_tsas_show(struct config_item *item,
					 char *page)
{
	return nvmet_port_addr_show(item, page, nvmet_addr_tsas_show);
}

static ssize_t nvmet_port_addr_tsas_store(struct config_item *item,
					  const char *page, size_t count)
{
	return nvmet_port_addr_store(item, page, count, nvmet_addr_set_tsas);
}

static ssize_t nvmet_port_addr_traddr_show(struct config_item *item,
					   char *page)
{
	struct nvmet_port *port = to_port(item);
	ssize_t ret;

	mutex_lock(&port->lock);
	ret = sysfs_emit(page, "%s\n", port->disc_addr.traddr);
	mutex_unlock(&port->lock);
	return ret;
}

static ssize_t nvmet_port_addr_traddr_store(struct config_item *item,
					    const char *page, size_t count)
{
	int ret = nvmet_addr_check_len("addr_traddr", count, NVMF_TRADDR_SIZE);

	if (ret)
		return ret;
	return nvmet_port_addr_store(item, page, count, nvmet_addr_set_traddr);
}

static ssize_t nvmet_port_addr_trsvcid_show(struct config_item *item,
					    char *page)
{
	struct nvmet_port *port = to_port(item);
	ssize_t ret;

	mutex_lock(&port->lock);
	ret = sysfs_emit(page, "%s\n", port->disc_addr.trsvcid);
	mutex_unlock(&port->lock);
	return ret;
}

static ssize_t nvmet_port_addr_trsvcid_store(struct config_item *item,
					     const char *page, size_t count)
{
	int ret = nvmet_addr_check_len("addr_trsvcid", count,
				       NVMF_TRSVCID_SIZE);

	if (ret)
		return ret;
	return nvmet_port_addr_store(item, page, count,
				     nvmet_addr_set_trsvcid);
}

static ssize_t nvmet_port_param_int_show(struct config_item *item, int *field,
					 char *page)
{
	struct nvmet_port *port = to_port(item);
	ssize_t ret;

	mutex_lock(&port->lock);
	ret = sysfs_emit(page, "%d\n", *field);
	mutex_unlock(&port->lock);
	return ret;
}

/* Checked for -EACCES first, then parsed, as in-tree. */
static ssize_t nvmet_port_param_int_store(struct config_item *item,
					  int *field, const char *page,
					  size_t count, const char *what)
{
	struct nvmet_port *port = to_port(item);
	int ret, val;

	ret = nvmet_port_config_begin(port);
	if (ret)
		return ret;
	ret = kstrtoint(page, 0, &val);
	if (ret) {
		pr_err("nvmet: port %u: invalid %s '%s'\n",
		       le16_to_cpu(port->disc_addr.portid), what, page);
		ret = -EINVAL;
	} else {
		*field = val;
	}
	nvmet_port_config_end(port);
	return ret ? ret : count;
}

static ssize_t nvmet_port_param_inline_data_size_show(struct config_item *item,
						      char *page)
{
	return nvmet_port_param_int_show(item,
					 &to_port(item)->inline_data_size,
					 page);
}

static ssize_t nvmet_port_param_inline_data_size_store(struct config_item *item,
						       const char *page,
						       size_t count)
{
	return nvmet_port_param_int_store(item,
					  &to_port(item)->inline_data_size,
					  page, count, "inline_data_size");
}

static ssize_t nvmet_port_param_max_queue_size_show(struct config_item *item,
						    char *page)
{
	return nvmet_port_param_int_show(item, &to_port(item)->max_queue_size,
					 page);
}

static ssize_t nvmet_port_param_max_queue_size_store(struct config_item *item,
						     const char *page,
						     size_t count)
{
	return nvmet_port_param_int_store(item, &to_port(item)->max_queue_size,
					  page, count, "max_queue_size");
}

static ssize_t nvmet_port_param_mdts_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_port(item)->mdts));
}

/* Checked for -EACCES first, then parsed, as the other parameters. */
static ssize_t nvmet_port_param_mdts_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct nvmet_port *port = to_port(item);
	u32 val;
	int ret;

	ret = nvmet_port_config_begin(port);
	if (ret)
		return ret;
	if (kstrtou32(page, 0, &val)) {
		pr_err("nvmet: port %u: invalid mdts '%s'\n",
		       le16_to_cpu(port->disc_addr.portid), page);
		ret = -EINVAL;
	} else {
		ret = nvmet_port_set_mdts(port, val);
	}
	nvmet_port_config_end(port);
	return ret ? ret : count;
}

static ssize_t nvmet_port_param_pi_enable_show(struct config_item *item,
					       char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_port(item)->pi_enable));
}

/* Parsed before the -EACCES check, as in-tree. */
static ssize_t nvmet_port_param_pi_enable_store(struct config_item *item,
						const char *page, size_t count)
{
	struct nvmet_port *port = to_port(item);
	bool val;
	int ret;

	if (kstrtobool(page, &val))
		return -EINVAL;
	ret = nvmet_port_config_begin(port);
	if (ret)
		return ret;
	WRITE_ONCE(port->pi_enable, val);
	nvmet_port_config_end(port);
	return count;
}

/*
 * Read-only, ours: where the port is (disabled, live, waiting for its
 * address...).  nvmetcli saves only writable attributes, so it never
 * saves or restores this one; its shell lists it as read-only.
 */
static ssize_t nvmet_port_param_state_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%s\n", nvmet_port_state_name(to_port(item)));
}

CONFIGFS_ATTR(nvmet_port_, addr_adrfam);
CONFIGFS_ATTR(nvmet_port_, addr_traddr);
CONFIGFS_ATTR(nvmet_port_, addr_treq);
CONFIGFS_ATTR(nvmet_port_, addr_trsvcid);
CONFIGFS_ATTR(nvmet_port_, addr_trtype);
CONFIGFS_ATTR(nvmet_port_, addr_tsas);
CONFIGFS_ATTR(nvmet_port_, param_inline_data_size);
CONFIGFS_ATTR(nvmet_port_, param_max_queue_size);
CONFIGFS_ATTR(nvmet_port_, param_mdts);
CONFIGFS_ATTR(nvmet_port_, param_pi_enable);
CONFIGFS_ATTR_RO(nvmet_port_, param_state);

static struct configfs_attribute *nvmet_port_attrs[] = {
	&nvmet_port_attr_addr_adrfam,
	&nvmet_port_attr_addr_traddr,
	&nvmet_port_attr_addr_treq,
	&nvmet_port_attr_addr_trsvcid,
	&nvmet_port_attr_addr_trtype,
	&nvmet_port_attr_addr_tsas,
	&nvmet_port_attr_param_inline_data_size,
	&nvmet_port_attr_param_max_queue_size,
	&nvmet_port_attr_param_mdts,
	&nvmet_port_attr_param_pi_enable,
	&nvmet_port_attr_param_state,
	NULL,
};

static void nvmet_port_item_release(struct config_item *item)
{
	struct nvmet_port_item *pi = to_port_item(item);

	nvmet_port_put(pi->port);
	kfree(pi);
}

static struct configfs_item_operations nvmet_port_item_ops = {
	.release	= nvmet_port_item_release,
};

static const struct config_item_type nvmet_port_type = {
	.ct_item_ops	= &nvmet_port_item_ops,
	.ct_attrs	= nvmet_port_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ports/<ID>/subsystems/: links to subsystems/<NQN> */

static struct nvmet_port *subsys_links_to_port(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_port_item,
			    subsys_group)->port;
}

/*
 * The first link enables the port; the fabric's add_port() runs here with
 * only this port's link_lock held (configfs holds just this directory's
 * inode lock), so a slow fabric delays links into this port alone.
 */
static int nvmet_port_subsys_allow_link(struct config_item *parent,
					struct config_item *target)
{
	struct nvmet_port *port = subsys_links_to_port(parent);
	struct nvmet_subsys *subsys = nvmet_item_to_subsys(target);

	if (!subsys) {
		pr_err("nvmet: port %u: subsystems links must point to subsystems/<NQN>\n",
		       le16_to_cpu(port->disc_addr.portid));
		return -EINVAL;
	}
	return nvmet_port_link_subsys(port, subsys);
}

static void nvmet_port_subsys_drop_link(struct config_item *parent,
					struct config_item *target)
{
	struct nvmet_subsys *subsys = nvmet_item_to_subsys(target);

	if (subsys)
		nvmet_port_unlink_subsys(subsys_links_to_port(parent), subsys);
}

static struct configfs_item_operations nvmet_port_subsys_item_ops = {
	.allow_link	= nvmet_port_subsys_allow_link,
	.drop_link	= nvmet_port_subsys_drop_link,
};

static const struct config_item_type nvmet_port_subsys_type = {
	.ct_item_ops	= &nvmet_port_subsys_item_ops,
	.ct_owner	= THIS_MODULE,
};

/* ports/: mkdir creates a port, rmdir unpublishes it */

static struct config_group *nvmet_port_make(struct config_group *group,
					    const char *name)
{
	struct nvmet_port_item *pi;
	struct nvmet_port *port;
	u16 portid;

	if (kstrtou16(name, 0, &portid)) {
		pr_err("nvmet: port ID '%s' is not a number from 0 to 65535\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi)
		return ERR_PTR(-ENOMEM);
	port = nvmet_port_create(portid);
	if (IS_ERR(port)) {
		kfree(pi);
		return ERR_CAST(port);
	}
	pi->port = port;

	config_group_init_type_name(&pi->group, name, &nvmet_port_type);
	config_group_init_type_name(&pi->subsys_group, "subsystems",
				    &nvmet_port_subsys_type);
	configfs_add_default_group(&pi->subsys_group, &pi->group);
	config_group_init_type_name(&pi->referrals_group, "referrals",
				    &nvmet_referrals_type);
	configfs_add_default_group(&pi->referrals_group, &pi->group);
	config_group_init_type_name(&pi->ana_groups_group, "ana_groups",
				    &nvmet_ana_groups_type);
	configfs_add_default_group(&pi->ana_groups_group, &pi->group);

	pi->ana_default.port = port;
	pi->ana_default.grpid = NVMET_DEFAULT_ANA_GRPID;
	config_group_init_type_name(&pi->ana_default.group, "1",
				    &nvmet_ana_group_type);
	configfs_add_default_group(&pi->ana_default.group,
				   &pi->ana_groups_group);
	return &pi->group;
}

static void nvmet_port_drop(struct config_group *group,
			    struct config_item *item)
{
	nvmet_port_remove(to_port(item));
	config_item_put(item);
}

static struct configfs_group_operations nvmet_ports_group_ops = {
	.make_group	= nvmet_port_make,
	.drop_item	= nvmet_port_drop,
};

const struct config_item_type nvmet_ports_type = {
	.ct_group_ops	= &nvmet_ports_group_ops,
	.ct_owner	= THIS_MODULE,
};
