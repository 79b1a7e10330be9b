// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hosts: the host NQNs a subsystem's allowed_hosts may name.
 *
 * The registry maps host NQNs to hosts (RCU readers on the connect path)
 * and gives each host a small integer id, the key of subsys->hosts.
 *
 * A host also carries its DH-HMAC-CHAP settings (host->lock): the
 * secrets as written, which this file stores, copies and frees, but
 * never parses; nvmet/target/auth.c and the configfs glue check them.
 *
 * Conventions:
 * @host: a host, referenced by the caller
 * @nqn:  a host NQN
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

/* Hosts by NQN: RCU readers, writers under the map's lock. */
static struct nvmet_nqn_map nvmet_hosts;
/* Hosts by id; xa_lock (internal) serialises writers, RCU readers. */
static DEFINE_XARRAY_ALLOC(nvmet_host_ids);

void nvmet_host_registry_init(void)
{
	nvmet_nqn_map_init(&nvmet_hosts);
}

void nvmet_host_registry_exit(void)
{
	WARN_ON(!xa_empty(&nvmet_host_ids));
	nvmet_nqn_map_destroy(&nvmet_hosts);
}

/**
 * nvmet_host_create() - create and publish a host
 * @nqn: its NQN; configfs takes any name, and so does this
 *
 * Context: Process context.
 * Return: the host with one reference for the caller, or ERR_PTR(-ENOMEM)
 * or ERR_PTR(-EEXIST).
 */
struct nvmet_host *nvmet_host_create(const char *nqn)
{
	size_t len = strlen(nqn) + 1;
	struct nvmet_host *host;
	int ret;

	host = kzalloc(struct_size(host, nqn, len), GFP_KERNEL);
	if (!host)
		return ERR_PTR(-ENOMEM);
	kref_init(&host->ref);
	mutex_init(&host->lock);
	host->dhchap_hash_id = NVME_AUTH_HASH_SHA256;
	host->dhchap_dhgroup_id = NVME_AUTH_DHGROUP_NULL;
	memcpy(host->nqn, nqn, len);

	ret = xa_alloc(&nvmet_host_ids, &host->id, host, xa_limit_32b,
		       GFP_KERNEL);
	if (ret)
		goto out_free_host;
	ret = nvmet_nqn_map_insert(&nvmet_hosts, &host->node, host->nqn);
	if (ret)
		goto out_erase_id;
	nvmet_obj_created(NVMET_OBJ_HOST);
	return host;

out_erase_id:
	xa_erase(&nvmet_host_ids, host->id);
out_free_host:
	kfree(host);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(nvmet_host_create);

/**
 * nvmet_host_remove() - unpublish a host
 * @host: the host, which no subsystem allows any more
 *
 * The NQN is free for a new host at once; the caller still holds its
 * reference and drops it with nvmet_host_put().
 *
 * Context: Process context.
 */
void nvmet_host_remove(struct nvmet_host *host)
{
	nvmet_nqn_map_remove(&nvmet_hosts, &host->node);
	xa_erase(&nvmet_host_ids, host->id);
}
EXPORT_SYMBOL_GPL(nvmet_host_remove);

static void nvmet_host_release(struct kref *ref)
{
	struct nvmet_host *host = container_of(ref, struct nvmet_host, ref);

	nvmet_obj_released(NVMET_OBJ_HOST);
	kfree_sensitive(host->dhchap_secret);
	kfree_sensitive(host->dhchap_ctrl_secret);
	mutex_destroy(&host->lock);
	kfree_rcu(host, rcu);
}

/**
 * nvmet_host_put() - drop a reference on a host
 * @host: the host
 *
 * Context: Any context.
 */
void nvmet_host_put(struct nvmet_host *host)
{
	kref_put(&host->ref, nvmet_host_release);
}
EXPORT_SYMBOL_GPL(nvmet_host_put);

/*
 * Find a published host without taking a reference.
 * Context: the caller holds rcu_read_lock(); the host is valid until it
 * drops it.
 */
struct nvmet_host *__nvmet_host_lookup(const char *nqn)
{
	struct nvmet_nqn_node *node = nvmet_nqn_map_lookup(&nvmet_hosts, nqn);

	return node ? container_of(node, struct nvmet_host, node) : NULL;
}

/**
 * nvmet_host_find_get() - find a published host by NQN
 * @nqn: the host NQN
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: the host with a reference for the caller, or NULL.
 */
struct nvmet_host *nvmet_host_find_get(const char *nqn)
{
	struct nvmet_host *host;

	rcu_read_lock();
	host = __nvmet_host_lookup(nqn);
	if (host && !kref_get_unless_zero(&host->ref))
		host = NULL;
	rcu_read_unlock();
	return host;
}
EXPORT_SYMBOL_GPL(nvmet_host_find_get);

/**
 * nvmet_host_count() - number of published hosts
 *
 * For leak checks in tests.
 *
 * Context: Any context.
 * Return: the count.
 */
unsigned long nvmet_host_count(void)
{
	struct nvmet_host *host;
	unsigned long index, n = 0;

	xa_for_each(&nvmet_host_ids, index, host)
		n++;
	return n;
}
EXPORT_SYMBOL_GPL(nvmet_host_count);

/**
 * nvmet_host_auth_failed() - count a failed authentication of a host
 * @nqn: the host NQN the controller was created for
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: the host's failures so far, this one included; 0 when no host
 * of that NQN is published (it was removed meanwhile).
 */
unsigned int nvmet_host_auth_failed(const char *nqn)
{
	struct nvmet_host *host;
	unsigned int n = 0;

	rcu_read_lock();
	host = __nvmet_host_lookup(nqn);
	if (host)
		n = atomic_inc_return(&host->auth_failures);
	rcu_read_unlock();
	return n;
}
EXPORT_SYMBOL_GPL(nvmet_host_auth_failed);

/**
 * nvmet_hosts_walk_rcu() - call a function on every published host
 * @fn: the function; it must not sleep, and must not keep @host past its
 *	return without a reference of its own
 * @data: passed to @fn
 *
 * Context: Any context; takes and releases rcu_read_lock() around the
 * walk.
 */
void nvmet_hosts_walk_rcu(nvmet_host_fn fn, void *data)
{
	struct nvmet_host *host;
	unsigned long index;

	rcu_read_lock();
	xa_for_each(&nvmet_host_ids, index, host)
		fn(host, data);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(nvmet_hosts_walk_rcu);

/**
 * nvmet_host_set_dhchap_secret() - set or clear a DH-HMAC-CHAP key
 * @host: the host
 * @ctrl: the controller key (bidirectional authentication), not the
 *	  host key
 * @secret: the key as the administrator wrote it, checked by the caller;
 *	    "" clears it
 *
 * Controllers connected already keep the keys they authenticated with
 * until the host authenticates again.
 *
 * Context: Process context; takes host->lock.
 * Return: 0 or -ENOMEM (the old key stays).
 */
int nvmet_host_set_dhchap_secret(struct nvmet_host *host, bool ctrl,
				 const char *secret)
{
	char *new = NULL, *old, **slot;

	if (*secret) {
		new = kstrdup(secret, GFP_KERNEL);
		if (!new)
			return -ENOMEM;
	}
	slot = ctrl ? &host->dhchap_ctrl_secret : &host->dhchap_secret;
	mutex_lock(&host->lock);
	old = *slot;
	*slot = new;
	mutex_unlock(&host->lock);
	kfree_sensitive(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_host_set_dhchap_secret);

/**
 * nvmet_host_set_dhchap_hash() - the hash the controller prefers
 * @host: the host
 * @hash_id: NVME_AUTH_HASH_*, checked by the caller
 *
 * Context: Process context; takes host->lock.
 */
void nvmet_host_set_dhchap_hash(struct nvmet_host *host, u8 hash_id)
{
	mutex_lock(&host->lock);
	host->dhchap_hash_id = hash_id;
	mutex_unlock(&host->lock);
}
EXPORT_SYMBOL_GPL(nvmet_host_set_dhchap_hash);

/**
 * nvmet_host_set_dhchap_dhgroup() - the DH group the controller prefers
 * @host: the host
 * @dhgroup_id: NVME_AUTH_DHGROUP_*, checked by the caller
 *
 * Context: Process context; takes host->lock.
 */
void nvmet_host_set_dhchap_dhgroup(struct nvmet_host *host, u8 dhgroup_id)
{
	mutex_lock(&host->lock);
	host->dhchap_dhgroup_id = dhgroup_id;
	mutex_unlock(&host->lock);
}
EXPORT_SYMBOL_GPL(nvmet_host_set_dhchap_dhgroup);

static int nvmet_host_dup_secret(const char *secret, char **out)
{
	*out = NULL;
	if (!secret)
		return 0;
	*out = kstrdup(secret, GFP_KERNEL);
	return *out ? 0 : -ENOMEM;
}

/**
 * nvmet_host_get_dhchap() - copy a host's DH-HMAC-CHAP settings
 * @host: the host
 * @out: the copy; free it with nvmet_host_dhchap_free(), also after an
 *	 error
 *
 * Context: Process context; takes host->lock.
 * Return: 0 or -ENOMEM.
 */
int nvmet_host_get_dhchap(struct nvmet_host *host,
			  struct nvmet_host_dhchap *out)
{
	int ret;

	mutex_lock(&host->lock);
	out->hash_id = host->dhchap_hash_id;
	out->dhgroup_id = host->dhchap_dhgroup_id;
	ret = nvmet_host_dup_secret(host->dhchap_secret, &out->secret);
	if (!ret)
		ret = nvmet_host_dup_secret(host->dhchap_ctrl_secret,
					    &out->ctrl_secret);
	else
		out->ctrl_secret = NULL;
	mutex_unlock(&host->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_host_get_dhchap);

/**
 * nvmet_host_dhchap_free() - free what nvmet_host_get_dhchap() copied
 * @d: the copy
 *
 * Context: Any context.
 */
void nvmet_host_dhchap_free(struct nvmet_host_dhchap *d)
{
	kfree_sensitive(d->secret);
	kfree_sensitive(d->ctrl_secret);
	d->secret = NULL;
	d->ctrl_secret = NULL;
}
EXPORT_SYMBOL_GPL(nvmet_host_dhchap_free);
