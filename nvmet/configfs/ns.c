// SPDX-License-Identifier: GPL-2.0-only
/*
 * subsystems/<NQN>/namespaces/<NSID>/: namespaces.
 *
 * In-tree attributes (device_path, device_uuid, device_nguid, ana_grpid,
 * enable, buffered_io, revalidate_size) keep their formats and errors.
 * nvmet-ng adds, with the device_ prefix nvmetcli saves and restores:
 *   device_backend   "auto" (in-tree choice) or a backend's name
 *   device_size      size in bytes of a backend without storage (null),
 *                    a multiple of 4096; while enabled, the namespace's
 *                    size, which any backend takes back (nvmetcli)
 *   device_features  "name=0|1" for each backend feature; what it shows
 *                    can be written back
 *   device_auto_visible  1 (default): visible to every host the subsystem
 *                    admits; 0: only to the hosts linked in allowed_hosts/
 *                    (ns_hosts.c); may change at any time
 * and, with the resv_ prefix:
 *   resv_enable      reservations on (1) or off (0, default), from the
 *                    next enable; -EINVAL while enabled, as in-tree
 *   resv_state_path  the file the reservation state persists in when a
 *                    host sets PTPL: an absolute path, empty for the
 *                    default /var/lib/nvmet-ng/<NQN>-<NSID>.resv ('/'
 *                    and other bytes of the NQN but [A-Za-z0-9.:-] as
 *                    '_'); only while the namespace is disabled
 *
 * Conventions:
 * @item: a namespaces/<NSID> item
 * @page: the attribute's buffer
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include <nvmet/compat-lib.h>
#include <nvmet/ns.h>
#include <nvmet/stats.h>
#include "configfs.h"

/**
 * struct nvmet_ns_item - a namespaces/<NSID> item
 * @group: the configfs group
 * @ns: the namespace, referenced
 * @drain_work: after rmdir, waits for the I/O in flight and closes the
 *		backend; holds an item reference meanwhile
 * @drained: completed by @drain_work once the backend is closed
 * @allowed_hosts: allowed_hosts/ (ns_hosts.c)
 */
struct nvmet_ns_item {
	struct config_group group;
	struct nvmet_ns *ns;
	struct work_struct drain_work;
	struct completion drained;
	struct nvmet_ns_hosts_group allowed_hosts;
};

/*
 * How long rmdir waits for a drain before returning without it: long
 * enough for an idle namespace (one RCU grace period, then the close), so
 * that the backend module is unpinned when rmdir returns, as in-tree;
 * short enough that a hung one delays other tenants' mkdir and rmdir
 * (configfs' su_mutex is held) by no more than this.
 */
#define NVMET_NS_DRAIN_WAIT	msecs_to_jiffies(50)

/*
 * Drains of removed namespaces (allocated by nvmet.ko's init).  Each may
 * wait as long as a hung backend takes; nothing else runs here.
 */
struct workqueue_struct *nvmet_ns_drain_wq;

static struct nvmet_ns *to_ns(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_ns_item,
			    group)->ns;
}

static ssize_t nvmet_ns_device_path_show(struct config_item *item,
					 char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t ret;

	mutex_lock(&ns->lock);
	ret = sysfs_emit(page, "%s\n", ns->device_path ?: "(null)");
	mutex_unlock(&ns->lock);
	return ret;
}

static ssize_t nvmet_ns_device_path_store(struct config_item *item,
					  const char *page, size_t count)
{
	int ret = nvmet_ns_set_device_path(to_ns(item), page);

	return ret ? ret : count;
}

static ssize_t nvmet_ns_device_uuid_show(struct config_item *item,
					 char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t ret;

	mutex_lock(&ns->lock);
	ret = sysfs_emit(page, "%pUb\n", &ns->uuid);
	mutex_unlock(&ns->lock);
	return ret;
}

/* -EBUSY while enabled comes first, then the format, as in-tree. */
static ssize_t nvmet_ns_device_uuid_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	uuid_t uuid;
	int ret;

	ret = nvmet_ns_config_begin(ns);
	if (ret)
		return ret;
	ret = uuid_parse(page, &uuid) ? -EINVAL : 0;
	if (!ret)
		ns->uuid = uuid;
	nvmet_ns_config_end(ns);
	return ret ? ret : count;
}

static ssize_t nvmet_ns_device_nguid_show(struct config_item *item,
					  char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t ret;

	mutex_lock(&ns->lock);
	ret = sysfs_emit(page, "%pUb\n", ns->nguid);
	mutex_unlock(&ns->lock);
	return ret;
}

/* 16 hex byte pairs; one '-' or ':' may follow each pair. */
static int nvmet_parse_nguid(const char *p, u8 nguid[16])
{
	int i;

	for (i = 0; i < 16; i++) {
		if (hex2bin(&nguid[i], p, 1))
			return -EINVAL;
		p += 2;
		if (*p == '-' || *p == ':')
			p++;
	}
	return 0;
}

static ssize_t nvmet_ns_device_nguid_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	u8 nguid[16];
	int ret;

	ret = nvmet_ns_config_begin(ns);
	if (ret)
		return ret;
	ret = nvmet_parse_nguid(page, nguid);
	if (!ret)
		memcpy(ns->nguid, nguid, sizeof(nguid));
	nvmet_ns_config_end(ns);
	return ret ? ret : count;
}

static ssize_t nvmet_ns_ana_grpid_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_ns(item)->anagrpid));
}

static ssize_t nvmet_ns_ana_grpid_store(struct config_item *item,
					const char *page, size_t count)
{
	u32 grpid;
	int ret;

	ret = kstrtou32(page, 0, &grpid);
	if (ret)
		return ret;
	ret = nvmet_ns_set_anagrpid(to_ns(item), grpid);
	return ret ? ret : count;
}

static ssize_t nvmet_ns_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_ns(item)->enabled));
}

static ssize_t nvmet_ns_enable_store(struct config_item *item,
				     const char *page, size_t count)
{
	bool enable;
	int ret = 0;

	if (kstrtobool(page, &enable))
		return -EINVAL;
	if (enable)
		ret = nvmet_ns_enable(to_ns(item));
	else
		nvmet_ns_disable(to_ns(item));
	return ret ? ret : count;
}

static ssize_t nvmet_ns_buffered_io_show(struct config_item *item,
					 char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_ns(item)->buffered_io));
}

/* -EINVAL, not -EBUSY, while enabled, as in-tree. */
static ssize_t nvmet_ns_buffered_io_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	bool val;

	if (kstrtobool(page, &val))
		return -EINVAL;
	if (nvmet_ns_config_begin(ns))
		return -EINVAL;
	WRITE_ONCE(ns->buffered_io, val);
	nvmet_ns_config_end(ns);
	return count;
}

static ssize_t nvmet_ns_revalidate_size_store(struct config_item *item,
					      const char *page, size_t count)
{
	bool val;
	int ret;

	if (kstrtobool(page, &val) || !val)
		return -EINVAL;
	ret = nvmet_ns_revalidate(to_ns(item));
	return ret ? ret : count;
}

static ssize_t nvmet_ns_device_backend_show(struct config_item *item,
					    char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t ret;

	mutex_lock(&ns->lock);
	ret = sysfs_emit(page, "%s\n", ns->backend_name);
	mutex_unlock(&ns->lock);
	return ret;
}

static ssize_t nvmet_ns_device_backend_store(struct config_item *item,
					     const char *page, size_t count)
{
	int ret = nvmet_ns_set_backend(to_ns(item), page);

	return ret ? ret : count;
}

static ssize_t nvmet_ns_device_size_show(struct config_item *item,
					 char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	u64 size;

	mutex_lock(&ns->lock);
	size = ns->enabled ? ns->size : ns->null_size;
	mutex_unlock(&ns->lock);
	return sysfs_emit(page, "%llu\n", size);
}

/*
 * The null backend's size must be a multiple of its 4 KiB blocks.  With
 * any other backend the value is not used, and what an enabled namespace
 * shows (its file's or device's size, any multiple of 512 or none) is
 * taken back as it is: nvmetcli saves it and restores it before enable.
 */
static ssize_t nvmet_ns_device_size_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	u64 size;
	int ret;

	if (kstrtou64(page, 0, &size))
		goto out_invalid;
	ret = nvmet_ns_config_begin(ns);
	if (ret)
		return ret;
	if (size % 4096 && (!strcmp(ns->backend_name, "null") ||
			    !strcmp(ns->backend_name, "ram"))) {
		nvmet_ns_config_end(ns);
		goto out_invalid;
	}
	ns->null_size = size;
	nvmet_ns_config_end(ns);
	return count;

out_invalid:
	pr_err("nvmet: subsystem %s namespace %u: device_size must be a multiple of 4096 bytes\n",
	       ns->subsys->nqn, ns->nsid);
	return -EINVAL;
}

static ssize_t nvmet_ns_device_features_show(struct config_item *item,
					     char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t len = 0;
	unsigned int i;
	u32 on;

	mutex_lock(&ns->lock);
	on = ns->enabled ? ns->features : ~ns->features_off;
	mutex_unlock(&ns->lock);
	for (i = 0; i < NVMET_BF_NR; i++)
		len += sysfs_emit_at(page, len, "%s%s=%d", i ? " " : "",
				     nvmet_backend_feature_name(i),
				     !!(on & BIT(i)));
	return len + sysfs_emit_at(page, len, "\n");
}

/* Parse every "name=0|1" first; apply only if all are well formed. */
static ssize_t nvmet_ns_device_features_store(struct config_item *item,
					      const char *page, size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	u32 set = 0, on = 0;
	const char *p = page;
	unsigned int i;
	int ret;

	while (*(p += strspn(p, " \t\n"))) {
		size_t len = strcspn(p, " \t\n");

		for (i = 0; i < NVMET_BF_NR; i++) {
			const char *name = nvmet_backend_feature_name(i);
			size_t n = strlen(name);

			if (len == n + 2 && !strncmp(p, name, n) &&
			    p[n] == '=' && (p[n + 1] == '0' || p[n + 1] == '1'))
				break;
		}
		if (i == NVMET_BF_NR) {
			pr_err("nvmet: subsystem %s namespace %u: device_features takes name=0|1 for write_zeroes, deallocate, vwc, copy, compare, verify, compare_write\n",
			       ns->subsys->nqn, ns->nsid);
			return -EINVAL;
		}
		set |= BIT(i);
		if (p[len - 1] == '1')
			on |= BIT(i);
		p += len;
	}
	for (i = 0; i < NVMET_BF_NR; i++) {
		if (!(set & BIT(i)))
			continue;
		ret = nvmet_ns_set_feature(ns, BIT(i), on & BIT(i));
		if (ret)
			return ret;
	}
	return count;
}

static ssize_t nvmet_ns_resv_enable_show(struct config_item *item,
					 char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_ns(item)->resv_enable));
}

static ssize_t nvmet_ns_resv_enable_store(struct config_item *item,
					  const char *page, size_t count)
{
	bool val;
	int ret;

	if (kstrtobool(page, &val))
		return -EINVAL;
	ret = nvmet_ns_set_resv_enable(to_ns(item), val);
	return ret ? ret : count;
}

static ssize_t nvmet_ns_device_auto_visible_show(struct config_item *item,
						 char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_ns(item)->auto_visible));
}

static ssize_t nvmet_ns_device_auto_visible_store(struct config_item *item,
						  const char *page,
						  size_t count)
{
	struct nvmet_ns *ns = to_ns(item);
	bool on;

	if (kstrtobool(page, &on)) {
		pr_err("nvmet: subsystem %s namespace %u: device_auto_visible takes 0 or 1\n",
		       ns->subsys->nqn, ns->nsid);
		return -EINVAL;
	}
	nvmet_ns_set_auto_visible(ns, on);
	return count;
}

static ssize_t nvmet_ns_resv_state_path_show(struct config_item *item,
					     char *page)
{
	struct nvmet_ns *ns = to_ns(item);
	ssize_t ret;

	mutex_lock(&ns->lock);
	ret = sysfs_emit(page, "%s\n", ns->resv_state_path ?: "");
	mutex_unlock(&ns->lock);
	return ret;
}

static ssize_t nvmet_ns_resv_state_path_store(struct config_item *item,
					      const char *page, size_t count)
{
	int ret = nvmet_ns_set_resv_state_path(to_ns(item), page);

	return ret ? ret : count;
}

/*
 * Read-only statistics, "key value" lines (nvmet/target/stats.c).  No
 * saved prefix (device_, ana_, resv_): nvmetcli must not save it.
 */
static ssize_t nvmet_ns_stats_show(struct config_item *item, char *page)
{
	return nvmet_stats_show(to_ns(item)->stats, page, PAGE_SIZE, false);
}

CONFIGFS_ATTR(nvmet_ns_, device_path);
CONFIGFS_ATTR(nvmet_ns_, device_uuid);
CONFIGFS_ATTR(nvmet_ns_, device_nguid);
CONFIGFS_ATTR(nvmet_ns_, ana_grpid);
CONFIGFS_ATTR(nvmet_ns_, enable);
CONFIGFS_ATTR(nvmet_ns_, buffered_io);
CONFIGFS_ATTR_WO(nvmet_ns_, revalidate_size);
CONFIGFS_ATTR(nvmet_ns_, device_backend);
CONFIGFS_ATTR(nvmet_ns_, device_size);
CONFIGFS_ATTR(nvmet_ns_, device_features);
CONFIGFS_ATTR(nvmet_ns_, device_auto_visible);
CONFIGFS_ATTR(nvmet_ns_, resv_enable);
CONFIGFS_ATTR(nvmet_ns_, resv_state_path);
CONFIGFS_ATTR_RO(nvmet_ns_, stats);

static struct configfs_attribute *nvmet_ns_attrs[] = {
	&nvmet_ns_attr_device_path,
	&nvmet_ns_attr_device_uuid,
	&nvmet_ns_attr_device_nguid,
	&nvmet_ns_attr_ana_grpid,
	&nvmet_ns_attr_enable,
	&nvmet_ns_attr_buffered_io,
	&nvmet_ns_attr_revalidate_size,
	&nvmet_ns_attr_device_backend,
	&nvmet_ns_attr_device_size,
	&nvmet_ns_attr_device_features,
	&nvmet_ns_attr_device_auto_visible,
	&nvmet_ns_attr_resv_enable,
	&nvmet_ns_attr_resv_state_path,
	&nvmet_ns_attr_stats,
	NULL,
};

static void nvmet_ns_item_release(struct config_item *item)
{
	struct nvmet_ns_item *ni = container_of(to_config_group(item),
						struct nvmet_ns_item, group);

	nvmet_ns_put(ni->ns);
	kfree(ni);
}

static struct configfs_item_operations nvmet_ns_item_ops = {
	.release	= nvmet_ns_item_release,
};

static const struct config_item_type nvmet_ns_type = {
	.ct_item_ops	= &nvmet_ns_item_ops,
	.ct_attrs	= nvmet_ns_attrs,
	.ct_owner	= THIS_MODULE,
};

static void nvmet_ns_drain_work(struct work_struct *work)
{
	struct nvmet_ns_item *ni = container_of(work, struct nvmet_ns_item,
						drain_work);

	nvmet_ns_disable(ni->ns);
	complete(&ni->drained);
	config_item_put(&ni->group.cg_item);
}

static struct config_group *nvmet_ns_make(struct config_group *group,
					  const char *name)
{
	struct nvmet_subsys *subsys;
	struct nvmet_ns_item *ni;
	struct nvmet_ns *ns;
	u32 nsid;
	int ret;

	subsys = container_of(group, struct nvmet_subsys_item,
			      namespaces_group)->subsys;
	ret = kstrtou32(name, 0, &nsid);
	if (ret)
		return ERR_PTR(ret);
	ni = kzalloc(sizeof(*ni), GFP_KERNEL);
	if (!ni)
		return ERR_PTR(-ENOMEM);
	ns = nvmet_ns_create(subsys, nsid);
	if (IS_ERR(ns)) {
		kfree(ni);
		return ERR_CAST(ns);
	}
	ni->ns = ns;
	INIT_WORK(&ni->drain_work, nvmet_ns_drain_work);
	init_completion(&ni->drained);
	config_group_init_type_name(&ni->group, name, &nvmet_ns_type);
	nvmet_ns_hosts_group_init(&ni->allowed_hosts, &ni->group, ns);
	return &ni->group;
}

/*
 * rmdir disables an enabled namespace, as in-tree, but does not wait for
 * its I/O here: drop_item runs under configfs' su_mutex, which every
 * mkdir and rmdir of the tree takes.  Hosts lose the namespace and its
 * NSID is free at once; the drain and the backend's close run from
 * nvmet_ns_drain_wq, waited for here for at most NVMET_NS_DRAIN_WAIT.
 */
static void nvmet_ns_drop(struct config_group *group, struct config_item *item)
{
	struct nvmet_ns_item *ni = container_of(to_config_group(item),
						struct nvmet_ns_item, group);

	if (nvmet_ns_remove(ni->ns)) {
		config_item_get(item);
		queue_work(nvmet_ns_drain_wq, &ni->drain_work);
		wait_for_completion_timeout(&ni->drained, NVMET_NS_DRAIN_WAIT);
	}
	config_item_put(item);
}

static struct configfs_group_operations nvmet_namespaces_group_ops = {
	.make_group	= nvmet_ns_make,
	.drop_item	= nvmet_ns_drop,
};

const struct config_item_type nvmet_namespaces_type = {
	.ct_group_ops	= &nvmet_namespaces_group_ops,
	.ct_owner	= THIS_MODULE,
};
