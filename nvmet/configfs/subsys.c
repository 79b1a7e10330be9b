// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/subsystems/<NQN>/: subsystem attributes, allowed_hosts/ links and
 * the passthru/ group.
 *
 * Conventions:
 * @item: a subsystems/<NQN> item unless said otherwise
 * @page: the attribute's buffer
 */
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <nvmet/passthru.h>
#include <nvmet/stats.h>
#include "configfs.h"

/**
 * struct nvmet_passthru_item - subsystems/<NQN>/passthru/
 * @lock: protects @device_path; serialises enable and disable
 * @device_path: as written, or NULL
 *
 * The timeouts and clear_ids live in the subsystem (read per command);
 * the controller passed through is the subsystem's (nvmet/target/
 * passthru.c).  Where passthru is not built, enabling is refused.
 */
struct nvmet_passthru_item {
	struct mutex lock;		/* device_path; enable and disable */
	char *device_path;
};

struct nvmet_subsys_cfs {
	struct nvmet_subsys_item item;
	struct nvmet_passthru_item passthru;
};

static struct nvmet_subsys_cfs *to_subsys_cfs(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_subsys_cfs,
			    item.group);
}

static struct nvmet_subsys *to_subsys(struct config_item *item)
{
	return to_subsys_cfs(item)->item.subsys;
}

static ssize_t nvmet_subsys_attr_allow_any_host_show(struct config_item *item,
						     char *page)
{
	return sysfs_emit(page, "%d\n",
			  READ_ONCE(to_subsys(item)->allow_any_host));
}

static ssize_t nvmet_subsys_attr_allow_any_host_store(struct config_item *item,
						      const char *page,
						      size_t count)
{
	bool allow;
	int ret;

	ret = kstrtobool(page, &allow);
	if (ret)
		return -EINVAL;
	ret = nvmet_subsys_set_allow_any_host(to_subsys(item), allow);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_version_show(struct config_item *item,
					      char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u32 vs;

	mutex_lock(&subsys->lock);
	vs = subsys->ver;
	mutex_unlock(&subsys->lock);
	return nvmet_format_version(vs, page, PAGE_SIZE);
}

static ssize_t nvmet_subsys_attr_version_store(struct config_item *item,
					       const char *page, size_t count)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u32 vs;
	int ret;

	ret = nvmet_parse_version(page, &vs);
	if (ret) {
		pr_err("nvmet: subsystem %s: version must be MAJOR.MINOR[.TERTIARY]\n",
		       subsys->nqn);
		return ret;
	}
	ret = nvmet_subsys_set_version(subsys, vs);
	return ret ? ret : count;
}

/* attr_serial shows the 20 bytes of the Identify field, space padded. */
static ssize_t nvmet_subsys_attr_serial_show(struct config_item *item,
					     char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	ssize_t ret;

	mutex_lock(&subsys->lock);
	ret = sysfs_emit(page, "%-*s\n", NVMET_SN_MAX_SIZE, subsys->serial);
	mutex_unlock(&subsys->lock);
	return ret;
}

static ssize_t nvmet_subsys_attr_serial_store(struct config_item *item,
					      const char *page, size_t count)
{
	int ret = nvmet_subsys_set_serial(to_subsys(item), page);

	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_model_show(struct config_item *item,
					    char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	ssize_t ret;

	mutex_lock(&subsys->lock);
	ret = sysfs_emit(page, "%s\n", subsys->model);
	mutex_unlock(&subsys->lock);
	return ret;
}

static ssize_t nvmet_subsys_attr_model_store(struct config_item *item,
					     const char *page, size_t count)
{
	int ret = nvmet_subsys_set_model(to_subsys(item), page);

	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_firmware_show(struct config_item *item,
					       char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	ssize_t ret;

	mutex_lock(&subsys->lock);
	ret = sysfs_emit(page, "%s\n", subsys->firmware);
	mutex_unlock(&subsys->lock);
	return ret;
}

static ssize_t nvmet_subsys_attr_firmware_store(struct config_item *item,
						const char *page, size_t count)
{
	int ret = nvmet_subsys_set_firmware(to_subsys(item), page);

	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_ieee_oui_show(struct config_item *item,
					       char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u32 oui;

	mutex_lock(&subsys->lock);
	oui = subsys->ieee_oui;
	mutex_unlock(&subsys->lock);
	return sysfs_emit(page, "0x%06x\n", oui);
}

static ssize_t nvmet_subsys_attr_ieee_oui_store(struct config_item *item,
						const char *page, size_t count)
{
	u32 oui;
	int ret;

	ret = kstrtou32(page, 0, &oui);
	if (ret)
		return ret;
	ret = nvmet_subsys_set_ieee_oui(to_subsys(item), oui);
	return ret ? ret : count;
}

/*
 * attr_vendor_id and attr_subsys_vendor_id: 16 bits, printed "0x%x" and
 * parsed with kstrtou32 base 0, as in-tree (6.14).
 */
static int nvmet_subsys_parse_pci_id(struct nvmet_subsys *subsys,
				     const char *page, const char *what,
				     u32 *val)
{
	if (kstrtou32(page, 0, val)) {
		pr_err("nvmet: subsystem %s: %s must be a number of 16 bits\n",
		       subsys->nqn, what);
		return -EINVAL;
	}
	return 0;
}

static ssize_t nvmet_subsys_attr_vendor_id_show(struct config_item *item,
						char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u16 vid;

	mutex_lock(&subsys->lock);
	vid = subsys->vendor_id;
	mutex_unlock(&subsys->lock);
	return sysfs_emit(page, "0x%x\n", vid);
}

static ssize_t nvmet_subsys_attr_vendor_id_store(struct config_item *item,
						 const char *page, size_t count)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u32 vid;
	int ret;

	ret = nvmet_subsys_parse_pci_id(subsys, page, "vendor ID", &vid);
	if (!ret)
		ret = nvmet_subsys_set_vendor_id(subsys, vid);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_subsys_vendor_id_show(struct config_item *item,
						       char *page)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u16 ssvid;

	mutex_lock(&subsys->lock);
	ssvid = subsys->subsys_vendor_id;
	mutex_unlock(&subsys->lock);
	return sysfs_emit(page, "0x%x\n", ssvid);
}

static ssize_t nvmet_subsys_attr_subsys_vendor_id_store(struct config_item *item,
							const char *page,
							size_t count)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	u32 ssvid;
	int ret;

	ret = nvmet_subsys_parse_pci_id(subsys, page, "subsystem vendor ID",
					&ssvid);
	if (!ret)
		ret = nvmet_subsys_set_subsys_vendor_id(subsys, ssvid);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_cntlid_min_show(struct config_item *item,
						 char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_subsys(item)->cntlid_min));
}

static ssize_t nvmet_subsys_attr_cntlid_min_store(struct config_item *item,
						  const char *page,
						  size_t count)
{
	u16 min;
	int ret;

	if (kstrtou16(page, 10, &min))
		return -EINVAL;
	ret = nvmet_subsys_set_cntlid_min(to_subsys(item), min);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_cntlid_max_show(struct config_item *item,
						 char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_subsys(item)->cntlid_max));
}

static ssize_t nvmet_subsys_attr_cntlid_max_store(struct config_item *item,
						  const char *page,
						  size_t count)
{
	u16 max;
	int ret;

	if (kstrtou16(page, 10, &max))
		return -EINVAL;
	ret = nvmet_subsys_set_cntlid_max(to_subsys(item), max);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_qid_max_show(struct config_item *item,
					      char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_subsys(item)->max_qid));
}

static ssize_t nvmet_subsys_attr_qid_max_store(struct config_item *item,
					       const char *page, size_t count)
{
	u16 qid_max;
	int ret;

	if (kstrtou16(page, 10, &qid_max))
		return -EINVAL;
	ret = nvmet_subsys_set_qid_max(to_subsys(item), qid_max);
	return ret ? ret : count;
}

static ssize_t nvmet_subsys_attr_pi_enable_show(struct config_item *item,
						char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_subsys(item)->pi_support));
}

static ssize_t nvmet_subsys_attr_pi_enable_store(struct config_item *item,
						 const char *page, size_t count)
{
	struct nvmet_subsys *subsys = to_subsys(item);
	bool pi;

	if (kstrtobool(page, &pi))
		return -EINVAL;
	mutex_lock(&subsys->lock);
	WRITE_ONCE(subsys->pi_support, pi);
	mutex_unlock(&subsys->lock);
	return count;
}

/*
 * Read-only, one line per controller (nvmet/target/stats.c has the
 * counters; debugfs nvmet/<NQN>/ctrl<ID>/stats has all of them).  No
 * attr_ prefix: nvmetcli must not save it.
 */
static ssize_t nvmet_subsys_ctrl_stats_show(struct config_item *item,
					    char *page)
{
	return nvmet_stats_show_ctrls(to_subsys(item), page, PAGE_SIZE);
}

CONFIGFS_ATTR(nvmet_subsys_, attr_allow_any_host);
CONFIGFS_ATTR(nvmet_subsys_, attr_version);
CONFIGFS_ATTR(nvmet_subsys_, attr_serial);
CONFIGFS_ATTR(nvmet_subsys_, attr_model);
CONFIGFS_ATTR(nvmet_subsys_, attr_firmware);
CONFIGFS_ATTR(nvmet_subsys_, attr_ieee_oui);
CONFIGFS_ATTR(nvmet_subsys_, attr_vendor_id);
CONFIGFS_ATTR(nvmet_subsys_, attr_subsys_vendor_id);
CONFIGFS_ATTR(nvmet_subsys_, attr_cntlid_min);
CONFIGFS_ATTR(nvmet_subsys_, attr_cntlid_max);
CONFIGFS_ATTR(nvmet_subsys_, attr_qid_max);
CONFIGFS_ATTR(nvmet_subsys_, attr_pi_enable);
CONFIGFS_ATTR_RO(nvmet_subsys_, ctrl_stats);

static struct configfs_attribute *nvmet_subsys_attrs[] = {
	&nvmet_subsys_attr_attr_allow_any_host,
	&nvmet_subsys_attr_attr_version,
	&nvmet_subsys_attr_attr_serial,
	&nvmet_subsys_attr_attr_model,
	&nvmet_subsys_attr_attr_firmware,
	&nvmet_subsys_attr_attr_ieee_oui,
	&nvmet_subsys_attr_attr_vendor_id,
	&nvmet_subsys_attr_attr_subsys_vendor_id,
	&nvmet_subsys_attr_attr_cntlid_min,
	&nvmet_subsys_attr_attr_cntlid_max,
	&nvmet_subsys_attr_attr_qid_max,
	&nvmet_subsys_attr_attr_pi_enable,
	&nvmet_subsys_attr_ctrl_stats,
	NULL,
};

static void nvmet_subsys_item_release(struct config_item *item)
{
	struct nvmet_subsys_cfs *cfs = to_subsys_cfs(item);

	nvmet_subsys_put(cfs->item.subsys);
	mutex_destroy(&cfs->passthru.lock);
	kfree(cfs->passthru.device_path);
	kfree(cfs);
}

static struct configfs_item_operations nvmet_subsys_item_ops = {
	.release	= nvmet_subsys_item_release,
};

static const struct config_item_type nvmet_subsys_type = {
	.ct_item_ops	= &nvmet_subsys_item_ops,
	.ct_attrs	= nvmet_subsys_attrs,
	.ct_owner	= THIS_MODULE,
};

/**
 * nvmet_item_to_subsys() - the subsystem behind a configfs item
 * @item: any item of our tree, typically a symlink target
 *
 * Context: Process context, configfs callbacks.
 * Return: the subsystem, or NULL if @item is not a subsystems/<NQN> item.
 */
struct nvmet_subsys *nvmet_item_to_subsys(struct config_item *item)
{
	if (item->ci_type != &nvmet_subsys_type)
		return NULL;
	return to_subsys(item);
}

/* allowed_hosts/: symlinks to hosts/<NQN> */

static struct nvmet_subsys *allowed_hosts_to_subsys(struct config_item *item)
{
	struct nvmet_subsys_item *si;

	si = container_of(to_config_group(item), struct nvmet_subsys_item,
			  allowed_hosts_group);
	return si->subsys;
}

static int nvmet_allowed_hosts_allow_link(struct config_item *parent,
					  struct config_item *target)
{
	struct nvmet_subsys *subsys = allowed_hosts_to_subsys(parent);
	struct nvmet_host *host = nvmet_item_to_host(target);

	if (!host) {
		pr_err("nvmet: subsystem %s: allowed_hosts links must point to hosts/<NQN>\n",
		       subsys->nqn);
		return -EINVAL;
	}
	return nvmet_subsys_allow_host(subsys, host);
}

static void nvmet_allowed_hosts_drop_link(struct config_item *parent,
					  struct config_item *target)
{
	struct nvmet_host *host = nvmet_item_to_host(target);

	if (host)
		nvmet_subsys_disallow_host(allowed_hosts_to_subsys(parent),
					   host);
}

static struct configfs_item_operations nvmet_allowed_hosts_item_ops = {
	.allow_link	= nvmet_allowed_hosts_allow_link,
	.drop_link	= nvmet_allowed_hosts_drop_link,
};

static const struct config_item_type nvmet_allowed_hosts_type = {
	.ct_item_ops	= &nvmet_allowed_hosts_item_ops,
	.ct_owner	= THIS_MODULE,
};

/* passthru/: the controller a subsystem passes through */

static struct nvmet_subsys_cfs *passthru_to_cfs(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_subsys_cfs,
			    item.passthru_group);
}

static struct nvmet_passthru_item *to_passthru(struct config_item *item)
{
	return &passthru_to_cfs(item)->passthru;
}

static struct nvmet_subsys *passthru_to_subsys(struct config_item *item)
{
	return passthru_to_cfs(item)->item.subsys;
}

static ssize_t nvmet_passthru_device_path_show(struct config_item *item,
					       char *page)
{
	struct nvmet_passthru_item *pt = to_passthru(item);
	ssize_t ret;

	mutex_lock(&pt->lock);
	ret = sysfs_emit(page, "%s\n", pt->device_path ?: "(null)");
	mutex_unlock(&pt->lock);
	return ret;
}

/* Frozen while enabled (-EBUSY), as in-tree. */
static ssize_t nvmet_passthru_device_path_store(struct config_item *item,
						const char *page, size_t count)
{
	struct nvmet_passthru_item *pt = to_passthru(item);
	struct nvmet_subsys *subsys = passthru_to_subsys(item);
	size_t len = strcspn(page, "\n");
	char *path;

	if (!len)
		return -EINVAL;
	path = kstrndup(page, len, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	mutex_lock(&pt->lock);
	if (nvmet_subsys_is_passthru(subsys)) {
		mutex_unlock(&pt->lock);
		pr_err("nvmet: subsystem %s: passthru/device_path is frozen while enabled\n",
		       subsys->nqn);
		kfree(path);
		return -EBUSY;
	}
	swap(pt->device_path, path);
	mutex_unlock(&pt->lock);
	kfree(path);
	return count;
}

static ssize_t nvmet_passthru_enable_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%d\n",
			  nvmet_subsys_is_passthru(passthru_to_subsys(item)));
}

static ssize_t nvmet_passthru_enable_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct nvmet_passthru_item *pt = to_passthru(item);
	struct nvmet_subsys *subsys = passthru_to_subsys(item);
	bool enable;
	int ret = 0;

	if (kstrtobool(page, &enable))
		return -EINVAL;
	mutex_lock(&pt->lock);
	if (enable)
		ret = nvmet_passthru_enable(subsys, pt->device_path);
	else
		nvmet_passthru_disable(subsys);
	mutex_unlock(&pt->lock);
	return ret ? ret : count;
}

static ssize_t nvmet_passthru_uint_show(unsigned int *field, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(*field));
}

static ssize_t nvmet_passthru_uint_store(unsigned int *field,
					 const char *page, size_t count)
{
	unsigned int val;

	if (kstrtouint(page, 0, &val))
		return -EINVAL;
	WRITE_ONCE(*field, val);
	return count;
}

static ssize_t nvmet_passthru_admin_timeout_show(struct config_item *item,
						 char *page)
{
	return nvmet_passthru_uint_show(&passthru_to_subsys(item)->passthru_admin_timeout,
					page);
}

static ssize_t nvmet_passthru_admin_timeout_store(struct config_item *item,
						  const char *page,
						  size_t count)
{
	return nvmet_passthru_uint_store(&passthru_to_subsys(item)->passthru_admin_timeout,
					 page, count);
}

static ssize_t nvmet_passthru_io_timeout_show(struct config_item *item,
					      char *page)
{
	return nvmet_passthru_uint_show(&passthru_to_subsys(item)->passthru_io_timeout,
					page);
}

static ssize_t nvmet_passthru_io_timeout_store(struct config_item *item,
					       const char *page, size_t count)
{
	return nvmet_passthru_uint_store(&passthru_to_subsys(item)->passthru_io_timeout,
					 page, count);
}

static ssize_t nvmet_passthru_clear_ids_show(struct config_item *item,
					     char *page)
{
	return nvmet_passthru_uint_show(&passthru_to_subsys(item)->passthru_clear_ids,
					page);
}

static ssize_t nvmet_passthru_clear_ids_store(struct config_item *item,
					      const char *page, size_t count)
{
	return nvmet_passthru_uint_store(&passthru_to_subsys(item)->passthru_clear_ids,
					 page, count);
}

CONFIGFS_ATTR(nvmet_passthru_, device_path);
CONFIGFS_ATTR(nvmet_passthru_, enable);
CONFIGFS_ATTR(nvmet_passthru_, admin_timeout);
CONFIGFS_ATTR(nvmet_passthru_, io_timeout);
CONFIGFS_ATTR(nvmet_passthru_, clear_ids);

static struct configfs_attribute *nvmet_passthru_attrs[] = {
	&nvmet_passthru_attr_device_path,
	&nvmet_passthru_attr_enable,
	&nvmet_passthru_attr_admin_timeout,
	&nvmet_passthru_attr_io_timeout,
	&nvmet_passthru_attr_clear_ids,
	NULL,
};

static const struct config_item_type nvmet_passthru_type = {
	.ct_attrs	= nvmet_passthru_attrs,
	.ct_owner	= THIS_MODULE,
};

/* subsystems/: mkdir creates a subsystem, rmdir unpublishes it */

static struct config_group *nvmet_subsys_make(struct config_group *group,
					      const char *name)
{
	struct nvmet_subsys_cfs *cfs;
	struct nvmet_subsys *subsys;

	cfs = kzalloc(sizeof(*cfs), GFP_KERNEL);
	if (!cfs)
		return ERR_PTR(-ENOMEM);
	subsys = nvmet_subsys_create(name);
	if (IS_ERR(subsys)) {
		kfree(cfs);
		return ERR_CAST(subsys);
	}
	cfs->item.subsys = subsys;
	mutex_init(&cfs->passthru.lock);

	config_group_init_type_name(&cfs->item.group, name, &nvmet_subsys_type);
	config_group_init_type_name(&cfs->item.namespaces_group, "namespaces",
				    &nvmet_namespaces_type);
	configfs_add_default_group(&cfs->item.namespaces_group,
				   &cfs->item.group);
	config_group_init_type_name(&cfs->item.allowed_hosts_group,
				    "allowed_hosts", &nvmet_allowed_hosts_type);
	configfs_add_default_group(&cfs->item.allowed_hosts_group,
				   &cfs->item.group);
	config_group_init_type_name(&cfs->item.passthru_group, "passthru",
				    &nvmet_passthru_type);
	configfs_add_default_group(&cfs->item.passthru_group,
				   &cfs->item.group);
	return &cfs->item.group;
}

static void nvmet_subsys_drop(struct config_group *group,
			      struct config_item *item)
{
	struct nvmet_subsys_cfs *cfs = to_subsys_cfs(item);

	/* Waits for the passed commands in flight, if it passes any. */
	mutex_lock(&cfs->passthru.lock);
	nvmet_passthru_disable(cfs->item.subsys);
	mutex_unlock(&cfs->passthru.lock);
	nvmet_subsys_remove(to_subsys(item));
	config_item_put(item);
}

static struct configfs_group_operations nvmet_subsystems_group_ops = {
	.make_group	= nvmet_subsys_make,
	.drop_item	= nvmet_subsys_drop,
};

const struct config_item_type nvmet_subsystems_type = {
	.ct_group_ops	= &nvmet_subsystems_group_ops,
	.ct_owner	= THIS_MODULE,
};
