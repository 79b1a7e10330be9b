// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/hosts/<NQN>/: hosts that allowed_hosts links may name.
 *
 * The dhchap_* attributes exist as in a Debian kernel's nvmet, so saved
 * configurations restore.  nvmet-ng has no DH-HMAC-CHAP yet: each shows
 * its default, takes its default back, and refuses anything else, with
 * -EOPNOTSUPP for a well-formed value and -EINVAL for a malformed one.
 *
 * Conventions:
 * @item: a hosts/<NQN> item
 * @page: the attribute's buffer
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "configfs.h"

struct nvmet_host_item {
	struct config_group group;
	struct nvmet_host *host;
};

static struct nvmet_host_item *to_host_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct nvmet_host_item,
			    group);
}

static const char * const nvmet_dhchap_hashes[] = {
	"hmac(sha256)", "hmac(sha384)", "hmac(sha512)",
};

static const char * const nvmet_dhchap_dhgroups[] = {
	"null", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144",
	"ffdhe8192",
};

static int nvmet_host_no_auth(struct config_item *item, const char *what)
{
	pr_err("nvmet: host %s: %s: DH-HMAC-CHAP is not supported by nvmet-ng yet\n",
	       to_host_item(item)->host->nqn, what);
	return -EOPNOTSUPP;
}

/* An empty value clears a key; "DHHC-1:<hh>:" with hh 00..03 starts one. */
static ssize_t nvmet_host_key_store(struct config_item *item,
				    const char *page, size_t count,
				    const char *what)
{
	if (!strcspn(page, "\n"))
		return count;
	if (strncmp(page, "DHHC-1:", 7) || page[7] != '0' ||
	    page[8] < '0' || page[8] > '3' || page[9] != ':') {
		pr_err("nvmet: host %s: %s must start with DHHC-1:<00..03>:\n",
		       to_host_item(item)->host->nqn, what);
		return -EINVAL;
	}
	return nvmet_host_no_auth(item, what);
}

static ssize_t nvmet_host_dhchap_key_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "\n");
}

static ssize_t nvmet_host_dhchap_key_store(struct config_item *item,
					   const char *page, size_t count)
{
	return nvmet_host_key_store(item, page, count, "dhchap_key");
}

static ssize_t nvmet_host_dhchap_ctrl_key_show(struct config_item *item,
					       char *page)
{
	return sysfs_emit(page, "\n");
}

static ssize_t nvmet_host_dhchap_ctrl_key_store(struct config_item *item,
						const char *page, size_t count)
{
	return nvmet_host_key_store(item, page, count, "dhchap_ctrl_key");
}

static ssize_t nvmet_host_dhchap_hash_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%s\n", nvmet_dhchap_hashes[0]);
}

static ssize_t nvmet_host_dhchap_hash_store(struct config_item *item,
					    const char *page, size_t count)
{
	int i = sysfs_match_string(nvmet_dhchap_hashes, page);

	if (i < 0)
		return -EINVAL;
	return i == 0 ? count : nvmet_host_no_auth(item, "dhchap_hash");
}

static ssize_t nvmet_host_dhchap_dhgroup_show(struct config_item *item,
					      char *page)
{
	return sysfs_emit(page, "%s\n", nvmet_dhchap_dhgroups[0]);
}

static ssize_t nvmet_host_dhchap_dhgroup_store(struct config_item *item,
					       const char *page, size_t count)
{
	int i = sysfs_match_string(nvmet_dhchap_dhgroups, page);

	if (i < 0)
		return -EINVAL;
	return i == 0 ? count : nvmet_host_no_auth(item, "dhchap_dhgroup");
}

CONFIGFS_ATTR(nvmet_host_, dhchap_key);
CONFIGFS_ATTR(nvmet_host_, dhchap_ctrl_key);
CONFIGFS_ATTR(nvmet_host_, dhchap_hash);
CONFIGFS_ATTR(nvmet_host_, dhchap_dhgroup);

static struct configfs_attribute *nvmet_host_attrs[] = {
	&nvmet_host_attr_dhchap_key,
	&nvmet_host_attr_dhchap_ctrl_key,
	&nvmet_host_attr_dhchap_hash,
	&nvmet_host_attr_dhchap_dhgroup,
	NULL,
};

static void nvmet_host_item_release(struct config_item *item)
{
	struct nvmet_host_item *hi = to_host_item(item);

	nvmet_host_put(hi->host);
	kfree(hi);
}

static struct configfs_item_operations nvmet_host_item_ops = {
	.release	= nvmet_host_item_release,
};

static const struct config_item_type nvmet_host_type = {
	.ct_item_ops	= &nvmet_host_item_ops,
	.ct_attrs	= nvmet_host_attrs,
	.ct_owner	= THIS_MODULE,
};

/**
 * nvmet_item_to_host() - the host behind a configfs item
 * @item: any item of our tree, typically a symlink target
 *
 * Context: Process context, configfs callbacks.
 * Return: the host, or NULL if @item is not a hosts/<NQN> item.
 */
struct nvmet_host *nvmet_item_to_host(struct config_item *item)
{
	if (item->ci_type != &nvmet_host_type)
		return NULL;
	return to_host_item(item)->host;
}

static struct config_group *nvmet_host_make(struct config_group *group,
					    const char *name)
{
	struct nvmet_host_item *hi;
	struct nvmet_host *host;

	hi = kzalloc(sizeof(*hi), GFP_KERNEL);
	if (!hi)
		return ERR_PTR(-ENOMEM);
	host = nvmet_host_create(name);
	if (IS_ERR(host)) {
		kfree(hi);
		return ERR_CAST(host);
	}
	hi->host = host;
	config_group_init_type_name(&hi->group, name, &nvmet_host_type);
	return &hi->group;
}

static void nvmet_host_drop(struct config_group *group,
			    struct config_item *item)
{
	nvmet_host_remove(to_host_item(item)->host);
	config_item_put(item);
}

static struct configfs_group_operations nvmet_hosts_group_ops = {
	.make_group	= nvmet_host_make,
	.drop_item	= nvmet_host_drop,
};

const struct config_item_type nvmet_hosts_type = {
	.ct_group_ops	= &nvmet_hosts_group_ops,
	.ct_owner	= THIS_MODULE,
};
