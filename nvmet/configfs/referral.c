// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/ports/<ID>/referrals/<NAME>/: discovery referrals.
 *
 * A referral takes any name.  While enabled, its attributes are refused
 * with -EACCES; rmdir disables it first.
 *
 * Conventions:
 * @item: a referrals/<NAME> item
 * @page: the attribute's buffer
 */
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "configfs.h"

struct nvmet_referral_item {
	struct config_group group;
	struct nvmet_referral *ref;
};

static struct nvmet_referral *to_ref(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_referral_item,
			    group)->ref;
}

static ssize_t nvmet_ref_addr_store(struct config_item *item,
				    const char *page, size_t count,
				    int (*set)(struct nvmf_disc_rsp_page_entry *,
					       const char *))
{
	struct nvmet_referral *ref = to_ref(item);
	int ret;

	ret = nvmet_referral_config_begin(ref);
	if (ret)
		return ret;
	ret = set(&ref->disc_addr, page);
	nvmet_referral_config_end(ref);
	return ret ? ret : count;
}

static ssize_t nvmet_ref_addr_show(struct config_item *item, char *page,
				   ssize_t (*show)(const struct nvmf_disc_rsp_page_entry *,
						   char *))
{
	struct nvmet_referral *ref = to_ref(item);
	ssize_t ret;

	mutex_lock(&ref->port->lock);
	ret = show(&ref->disc_addr, page);
	mutex_unlock(&ref->port->lock);
	return ret;
}

static ssize_t nvmet_ref_addr_trtype_show(struct config_item *item,
					  char *page)
{
	return nvmet_ref_addr_show(item, page, nvmet_addr_trtype_show);
}

static ssize_t nvmet_ref_addr_trtype_store(struct config_item *item,
					   const char *page, size_t count)
{
	return nvmet_ref_addr_store(item, page, count, nvmet_addr_set_trtype);
}

static ssize_t nvmet_ref_addr_adrfam_show(struct config_item *item,
					  char *page)
{
	return nvmet_ref_addr_show(item, page, nvmet_addr_adrfam_show);
}

static ssize_t nvmet_ref_addr_adrfam_store(struct config_item *item,
					   const char *page, size_t count)
{
	return nvmet_ref_addr_store(item, page, count, nvmet_addr_set_adrfam);
}

static ssize_t nvmet_ref_addr_treq_show(struct config_item *item, char *page)
{
	return nvmet_ref_addr_show(item, page, nvmet_addr_treq_show);
}

static ssize_t nvmet_ref_addr_treq_store(struct config_item *item,
					 const char *page, size_t count)
{
	return nvmet_ref_addr_store(item, page, count, nvmet_addr_set_treq);
}

static ssize_t nvmet_ref_addr_traddr_show(struct config_item *item,
					  char *page)
{
	struct nvmet_referral *ref = to_ref(item);
	ssize_t ret;

	mutex_lock(&ref->port->lock);
	ret = sysfs_emit(page, "%s\n", ref->disc_addr.traddr);
	mutex_unlock(&ref->port->lock);
	return ret;
}

static ssize_t nvmet_ref_addr_traddr_store(struct config_item *item,
					   const char *page, size_t count)
{
	int ret = nvmet_addr_check_len("addr_traddr", count, NVMF_TRADDR_SIZE);

	return ret ? ret : nvmet_ref_addr_store(item, page, count,
						nvmet_addr_set_traddr);
}

static ssize_t nvmet_ref_addr_trsvcid_show(struct config_item *item,
					   char *page)
{
	struct nvmet_referral *ref = to_ref(item);
	ssize_t ret;

	mutex_lock(&ref->port->lock);
	ret = sysfs_emit(page, "%s\n", ref->disc_addr.trsvcid);
	mutex_unlock(&ref->port->lock);
	return ret;
}

static ssize_t nvmet_ref_addr_trsvcid_store(struct config_item *item,
					    const char *page, size_t count)
{
	int ret = nvmet_addr_check_len("addr_trsvcid", count,
				       NVMF_TRSVCID_SIZE);

	return ret ? ret : nvmet_ref_addr_store(item, page, count,
						nvmet_addr_set_trsvcid);
}

static ssize_t nvmet_ref_addr_portid_show(struct config_item *item,
					  char *page)
{
	struct nvmet_referral *ref = to_ref(item);
	u16 portid;

	mutex_lock(&ref->port->lock);
	portid = le16_to_cpu(ref->disc_addr.portid);
	mutex_unlock(&ref->port->lock);
	return sysfs_emit(page, "%u\n", portid);
}

/* Parsed before the -EACCES check, as in-tree. */
static ssize_t nvmet_ref_addr_portid_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct nvmet_referral *ref = to_ref(item);
	u16 portid;
	int ret;

	if (kstrtou16(page, 0, &portid)) {
		pr_err("nvmet: invalid referral addr_portid '%s'\n", page);
		return -EINVAL;
	}
	ret = nvmet_referral_config_begin(ref);
	if (ret)
		return ret;
	ref->disc_addr.portid = cpu_to_le16(portid);
	nvmet_referral_config_end(ref);
	return count;
}

static ssize_t nvmet_ref_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_ref(item)->enabled));
}

static ssize_t nvmet_ref_enable_store(struct config_item *item,
				      const char *page, size_t count)
{
	bool enable;

	if (kstrtobool(page, &enable)) {
		pr_err("nvmet: invalid referral enable '%s'\n", page);
		return -EINVAL;
	}
	nvmet_referral_set_enabled(to_ref(item), enable);
	return count;
}

CONFIGFS_ATTR(nvmet_ref_, addr_adrfam);
CONFIGFS_ATTR(nvmet_ref_, addr_portid);
CONFIGFS_ATTR(nvmet_ref_, addr_traddr);
CONFIGFS_ATTR(nvmet_ref_, addr_treq);
CONFIGFS_ATTR(nvmet_ref_, addr_trsvcid);
CONFIGFS_ATTR(nvmet_ref_, addr_trtype);
CONFIGFS_ATTR(nvmet_ref_, enable);

static struct configfs_attribute *nvmet_ref_attrs[] = {
	&nvmet_ref_attr_addr_adrfam,
	&nvmet_ref_attr_addr_portid,
	&nvmet_ref_attr_addr_traddr,
	&nvmet_ref_attr_addr_treq,
	&nvmet_ref_attr_addr_trsvcid,
	&nvmet_ref_attr_addr_trtype,
	&nvmet_ref_attr_enable,
	NULL,
};

static void nvmet_ref_item_release(struct config_item *item)
{
	kfree(container_of(to_config_group(item), struct nvmet_referral_item,
			   group));
}

static struct configfs_item_operations nvmet_ref_item_ops = {
	.release	= nvmet_ref_item_release,
};

static const struct config_item_type nvmet_referral_type = {
	.ct_item_ops	= &nvmet_ref_item_ops,
	.ct_attrs	= nvmet_ref_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *nvmet_referral_make(struct config_group *group,
						const char *name)
{
	struct nvmet_port_item *pi = container_of(group, struct nvmet_port_item,
						  referrals_group);
	struct nvmet_referral_item *ri;
	struct nvmet_referral *ref;

	ri = kzalloc(sizeof(*ri), GFP_KERNEL);
	if (!ri)
		return ERR_PTR(-ENOMEM);
	ref = nvmet_referral_create(pi->port);
	if (IS_ERR(ref)) {
		kfree(ri);
		return ERR_CAST(ref);
	}
	ri->ref = ref;
	config_group_init_type_name(&ri->group, name, &nvmet_referral_type);
	return &ri->group;
}

static void nvmet_referral_drop(struct config_group *group,
				struct config_item *item)
{
	nvmet_referral_remove(to_ref(item));
	config_item_put(item);
}

static struct configfs_group_operations nvmet_referrals_group_ops = {
	.make_group	= nvmet_referral_make,
	.drop_item	= nvmet_referral_drop,
};

const struct config_item_type nvmet_referrals_type = {
	.ct_group_ops	= &nvmet_referrals_group_ops,
	.ct_owner	= THIS_MODULE,
};
