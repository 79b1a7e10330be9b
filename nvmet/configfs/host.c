// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/hosts/<NQN>/: hosts that allowed_hosts links may name, and their
 * DH-HMAC-CHAP settings.
 *
 * The dhchap_* attributes take what a Debian kernel's nvmet takes, with
 * its errors and read-back: a key "DHHC-1:<hh>:<base64>:" with hh 00..03
 * (-EINVAL otherwise; -ENOTSUPP for a hash the kernel lacks), shown as
 * written; a hash and a DH group by name, where a name the kernel lacks
 * is -ENOTSUPP (hash) or -EINVAL (group), as in-tree.  Ours differ on
 * purpose in two ways: the key files are 0600 (in-tree: 0644), and an
 * empty line clears a key (in-tree: -EINVAL).  Without DH-HMAC-CHAP (a
 * kernel without nvme-auth) only the defaults are taken, and anything
 * else well-formed is -EOPNOTSUPP.
 *
 * Conventions:
 * @item: a hosts/<NQN> item
 * @page: the attribute's buffer
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat-auth.h>
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

static struct nvmet_host *to_host(struct config_item *item)
{
	return to_host_item(item)->host;
}

/* Names by NVME_AUTH_HASH_* and NVME_AUTH_DHGROUP_* value. */
static const char * const nvmet_dhchap_hashes[] = {
	[NVME_AUTH_HASH_SHA256]	= "hmac(sha256)",
	[NVME_AUTH_HASH_SHA384]	= "hmac(sha384)",
	[NVME_AUTH_HASH_SHA512]	= "hmac(sha512)",
};

static const char * const nvmet_dhchap_dhgroups[] = {
	[NVME_AUTH_DHGROUP_NULL]	= "null",
	[NVME_AUTH_DHGROUP_2048]	= "ffdhe2048",
	[NVME_AUTH_DHGROUP_3072]	= "ffdhe3072",
	[NVME_AUTH_DHGROUP_4096]	= "ffdhe4096",
	[NVME_AUTH_DHGROUP_6144]	= "ffdhe6144",
	[NVME_AUTH_DHGROUP_8192]	= "ffdhe8192",
};

/*
 * The entry @page starts with, as in-tree (nvme-auth's name lookups
 * compare a name's length only, so "ffdhe2048\n" is ffdhe2048).
 */
static int nvmet_dhchap_match(const char * const *names, size_t nr,
			      const char *page)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (names[i] && !strncmp(page, names[i], strlen(names[i])))
			return i;
	return -EINVAL;
}

static ssize_t nvmet_host_key_show(struct config_item *item, char *page,
				   bool ctrl)
{
	struct nvmet_host_dhchap d;
	const char *key;
	ssize_t ret;

	ret = nvmet_host_get_dhchap(to_host(item), &d);
	if (!ret) {
		key = ctrl ? d.ctrl_secret : d.secret;
		ret = sysfs_emit(page, "%s\n", key ? key : "");
	}
	nvmet_host_dhchap_free(&d);
	return ret;
}

static ssize_t nvmet_host_key_store(struct config_item *item,
				    const char *page, size_t count, bool ctrl)
{
	const char *what = ctrl ? "dhchap_ctrl_key" : "dhchap_key";
	struct nvmet_host *host = to_host(item);
	bool usable = true;
	char *secret, *end;
	s8 key_hash;
	int ret;

	secret = kstrndup(page, count, GFP_KERNEL);
	if (!secret)
		return -ENOMEM;
	/* trailing white space goes, leading stays (and fails), as in-tree */
	end = secret + strlen(secret);
	while (end > secret && isspace(end[-1]))
		*--end = '\0';
	if (*skip_spaces(secret)) {
		/* in-tree's rule, to the letter */
		if (sscanf(secret, "DHHC-1:%hhd:%*s", &key_hash) != 1 ||
		    key_hash < 0 || key_hash > 3) {
			pr_err("nvmet: host %s: %s must be DHHC-1:<00..03>:<base64>:\n",
			       host->nqn, what);
			ret = -EINVAL;
			goto out_free;
		}
		ret = nvmet_auth_check_key(secret, key_hash, &usable);
		if (ret) {
			pr_err("nvmet: host %s: %s: %s\n", host->nqn, what,
			       ret == -EOPNOTSUPP ?
			       "DH-HMAC-CHAP needs the kernel's nvme-auth" :
			       "the kernel lacks its hash");
			goto out_free;
		}
		if (!usable)
			pr_warn("nvmet: host %s: %s is no valid key (base64 of 32, 48 or 64 bytes and a CRC): the host cannot authenticate\n",
				host->nqn, what);
	}
	ret = nvmet_host_set_dhchap_secret(host, ctrl, secret);
out_free:
	kfree_sensitive(secret);
	return ret ? ret : count;
}

static ssize_t nvmet_host_dhchap_key_show(struct config_item *item,
					  char *page)
{
	return nvmet_host_key_show(item, page, false);
}

static ssize_t nvmet_host_dhchap_key_store(struct config_item *item,
					   const char *page, size_t count)
{
	return nvmet_host_key_store(item, page, count, false);
}

static ssize_t nvmet_host_dhchap_ctrl_key_show(struct config_item *item,
					       char *page)
{
	return nvmet_host_key_show(item, page, true);
}

static ssize_t nvmet_host_dhchap_ctrl_key_store(struct config_item *item,
						const char *page, size_t count)
{
	return nvmet_host_key_store(item, page, count, true);
}

static ssize_t nvmet_host_dhchap_hash_show(struct config_item *item,
					   char *page)
{
	struct nvmet_host *host = to_host(item);
	u8 id;

	mutex_lock(&host->lock);
	id = host->dhchap_hash_id;
	mutex_unlock(&host->lock);
	return sysfs_emit(page, "%s\n", nvmet_dhchap_hashes[id]);
}

static ssize_t nvmet_host_dhchap_hash_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct nvmet_host *host = to_host(item);
	int id, ret;

	id = nvmet_dhchap_match(nvmet_dhchap_hashes,
				ARRAY_SIZE(nvmet_dhchap_hashes), page);
	if (id < 0) {
		pr_err("nvmet: host %s: dhchap_hash must be hmac(sha256), hmac(sha384) or hmac(sha512)\n",
		       host->nqn);
		return -EINVAL;
	}
	ret = nvmet_auth_check_hash(id);
	if (ret) {
		pr_err("nvmet: host %s: dhchap_hash %s: %s\n", host->nqn,
		       nvmet_dhchap_hashes[id], ret == -EOPNOTSUPP ?
		       "DH-HMAC-CHAP needs the kernel's nvme-auth" :
		       "not in this kernel");
		return ret;
	}
	nvmet_host_set_dhchap_hash(host, id);
	return count;
}

static ssize_t nvmet_host_dhchap_dhgroup_show(struct config_item *item,
					      char *page)
{
	struct nvmet_host *host = to_host(item);
	u8 id;

	mutex_lock(&host->lock);
	id = host->dhchap_dhgroup_id;
	mutex_unlock(&host->lock);
	return sysfs_emit(page, "%s\n", nvmet_dhchap_dhgroups[id]);
}

static ssize_t nvmet_host_dhchap_dhgroup_store(struct config_item *item,
					       const char *page, size_t count)
{
	struct nvmet_host *host = to_host(item);
	int id, ret;

	id = nvmet_dhchap_match(nvmet_dhchap_dhgroups,
				ARRAY_SIZE(nvmet_dhchap_dhgroups), page);
	if (id < 0) {
		pr_err("nvmet: host %s: dhchap_dhgroup must be null or ffdhe2048 ... ffdhe8192\n",
		       host->nqn);
		return -EINVAL;
	}
	ret = nvmet_auth_check_dhgroup(id);
	if (ret) {
		pr_err("nvmet: host %s: dhchap_dhgroup %s: %s\n", host->nqn,
		       nvmet_dhchap_dhgroups[id], ret == -EOPNOTSUPP ?
		       "DH-HMAC-CHAP needs the kernel's nvme-auth" :
		       "not in this kernel");
		return ret;
	}
	nvmet_host_set_dhchap_dhgroup(host, id);
	return count;
}

/* The keys are secrets: root only (in-tree: 0644). */
#define NVMET_HOST_SECRET_ATTR(_name)					\
static struct configfs_attribute nvmet_host_attr_##_name = {		\
	.ca_name	= __stringify(_name),				\
	.ca_mode	= 0600,						\
	.ca_owner	= THIS_MODULE,					\
	.show		= nvmet_host_##_name##_show,			\
	.store		= nvmet_host_##_name##_store,			\
}

NVMET_HOST_SECRET_ATTR(dhchap_key);
NVMET_HOST_SECRET_ATTR(dhchap_ctrl_key);
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
	struct nvmet_host *host = to_host_item(item)->host;

	nvmet_host_remove(host);
	/* Not slow: each fabric's delete_ctrl() only starts the teardown. */
	nvmet_host_ctrls_delete(host->nqn);
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
