// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVM subsystems: the registry, their attributes and their host ACL.
 *
 * The registry maps subsystem NQNs to subsystems for RCU readers (the
 * connect path) and gives each subsystem a small integer id, the key of
 * port->subsystems.  Creating a subsystem and changing the discovery NQN
 * are serialised by nvmet_subsys_names_lock, so no subsystem ever carries
 * the discovery NQN; nothing else takes that lock.
 *
 * Conventions:
 * @subsys: a subsystem, referenced by the caller
 * @host:   a host, referenced by the caller
 * @buf:    text written to a configfs attribute
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <generated/utsrelease.h>

#include "core.h"

/* Subsystems by NQN: RCU readers, writers under the map's lock. */
static struct nvmet_nqn_map nvmet_subsystems;
/* Subsystems by id; xa_lock (internal) serialises writers, RCU readers. */
static DEFINE_XARRAY_ALLOC(nvmet_subsys_ids);

/*
 * Serialises subsystem creation against changes of the discovery NQN, and
 * protects nvmet_disc_nqn (R read).  Taken by subsystem mkdir and by
 * discovery_nqn stores only.
 */
static DEFINE_MUTEX(nvmet_subsys_names_lock);
static char __rcu *nvmet_disc_nqn;

void nvmet_subsys_registry_init(void)
{
	nvmet_nqn_map_init(&nvmet_subsystems);
}

void nvmet_subsys_registry_exit(void)
{
	WARN_ON(!xa_empty(&nvmet_subsys_ids));
	nvmet_nqn_map_destroy(&nvmet_subsystems);
	kfree(rcu_dereference_protected(nvmet_disc_nqn, true));
	RCU_INIT_POINTER(nvmet_disc_nqn, NULL);
}

/**
 * nvmet_is_disc_nqn() - is this the discovery subsystem's NQN?
 * @nqn: an NQN
 *
 * Both the well-known discovery NQN and the configured one (discovery_nqn)
 * name the discovery subsystem.
 *
 * Context: Any context.
 * Return: true if @nqn names the discovery subsystem.
 */
bool nvmet_is_disc_nqn(const char *nqn)
{
	const char *disc;
	bool ret;

	if (sysfs_streq(nqn, NVMET_DISC_NQN))
		return true;
	rcu_read_lock();
	disc = rcu_dereference(nvmet_disc_nqn);
	ret = disc && sysfs_streq(nqn, disc);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_is_disc_nqn);

/**
 * nvmet_disc_nqn_copy() - read the discovery NQN
 * @buf: output
 * @size: size of @buf
 *
 * Context: Any context.
 * Return: the length of the NQN copied, as strscpy() returns it.
 */
int nvmet_disc_nqn_copy(char *buf, size_t size)
{
	const char *disc;
	int ret;

	rcu_read_lock();
	disc = rcu_dereference(nvmet_disc_nqn);
	ret = strscpy(buf, disc ? disc : NVMET_DISC_NQN, size);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_disc_nqn_copy);

/**
 * nvmet_disc_nqn_set() - change the discovery NQN
 * @buf: the new NQN, up to the first newline; 1 to 255 characters
 *
 * Context: Process context; takes nvmet_subsys_names_lock, may sleep.
 * Return: 0, -EINVAL for a bad length or an NQN a subsystem already has,
 * or -ENOMEM.
 */
int nvmet_disc_nqn_set(const char *buf)
{
	size_t len = strcspn(buf, "\n");
	char *nqn, *old;
	int ret = 0;

	if (!len || len >= NVMF_NQN_FIELD_LEN) {
		pr_err("nvmet: discovery NQN must have 1 to %d characters\n",
		       NVMF_NQN_FIELD_LEN - 1);
		return -EINVAL;
	}
	nqn = kstrndup(buf, len, GFP_KERNEL);
	if (!nqn)
		return -ENOMEM;

	mutex_lock(&nvmet_subsys_names_lock);
	rcu_read_lock();
	if (__nvmet_subsys_lookup(nqn))
		ret = -EINVAL;
	rcu_read_unlock();
	if (ret) {
		mutex_unlock(&nvmet_subsys_names_lock);
		pr_err("nvmet: discovery NQN %s is a subsystem's NQN\n", nqn);
		kfree(nqn);
		return ret;
	}
	old = rcu_replace_pointer(nvmet_disc_nqn, nqn,
				  lockdep_is_held(&nvmet_subsys_names_lock));
	mutex_unlock(&nvmet_subsys_names_lock);
	synchronize_rcu();
	kfree(old);
	/* Entry 0 of every port's discovery log names it. */
	nvmet_all_disc_changed();
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_disc_nqn_set);

static void nvmet_subsys_init_defaults(struct nvmet_subsys *subsys)
{
	subsys->type = NVME_NQN_NVME;
	subsys->ver = NVMET_DEFAULT_VS;
	subsys->cntlid_min = NVMET_CNTLID_MIN;
	subsys->cntlid_max = NVMET_CNTLID_MAX;
	subsys->max_qid = NVMET_NR_QUEUES;
	snprintf(subsys->serial, sizeof(subsys->serial), "%08x%08x%04x",
		 get_random_u32(), get_random_u32(),
		 get_random_u32() & 0xffff);
	strscpy(subsys->model, NVMET_DEFAULT_MODEL, sizeof(subsys->model));
	strscpy(subsys->firmware, UTS_RELEASE, sizeof(subsys->firmware));
}

/**
 * nvmet_subsys_create() - create and publish an NVM subsystem
 * @nqn: its NQN; names longer than NVMF_NQN_SIZE are truncated, as the
 *	 in-tree target does
 *
 * Context: Process context; takes nvmet_subsys_names_lock, may sleep.
 * Return: the subsystem with one reference for the caller, or
 * ERR_PTR(-EINVAL) for the discovery NQN, ERR_PTR(-EEXIST) or
 * ERR_PTR(-ENOMEM).
 */
struct nvmet_subsys *nvmet_subsys_create(const char *nqn)
{
	size_t len = strnlen(nqn, NVMF_NQN_SIZE);
	struct nvmet_subsys *subsys;
	int ret;

	subsys = kzalloc(struct_size(subsys, nqn, len + 1), GFP_KERNEL);
	if (!subsys)
		return ERR_PTR(-ENOMEM);
	kref_init(&subsys->ref);
	mutex_init(&subsys->lock);
	xa_init(&subsys->hosts);
	xa_init(&subsys->namespaces);
	xa_init(&subsys->ns_ids);
	xa_init_flags(&subsys->ns_slots, XA_FLAGS_ALLOC);
	xa_init_flags(&subsys->ctrls, XA_FLAGS_ALLOC);
	memcpy(subsys->nqn, nqn, len);
	nvmet_subsys_init_defaults(subsys);

	ret = xa_alloc(&nvmet_subsys_ids, &subsys->id, subsys, xa_limit_32b,
		       GFP_KERNEL);
	if (ret)
		goto out_free_subsys;

	mutex_lock(&nvmet_subsys_names_lock);
	if (nvmet_is_disc_nqn(subsys->nqn)) {
		pr_err("nvmet: subsystem %s: that is the discovery NQN\n",
		       subsys->nqn);
		ret = -EINVAL;
	} else {
		ret = nvmet_nqn_map_insert(&nvmet_subsystems, &subsys->node,
					   subsys->nqn);
	}
	mutex_unlock(&nvmet_subsys_names_lock);
	if (ret)
		goto out_erase_id;
	nvmet_obj_created(NVMET_OBJ_SUBSYS);
	return subsys;

out_erase_id:
	xa_erase(&nvmet_subsys_ids, subsys->id);
out_free_subsys:
	mutex_destroy(&subsys->lock);
	kfree(subsys);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(nvmet_subsys_create);

/**
 * nvmet_subsys_remove() - unpublish a subsystem
 * @subsys: the subsystem
 *
 * Hosts can no longer find it and its NQN is free for a new subsystem at
 * once; the caller still holds its reference and drops it with
 * nvmet_subsys_put().  Controllers holding references keep the object
 * alive until they let go.  New port links are refused.  configfs removes
 * a subsystem only when no link points at it, but an `ln` racing the
 * rmdir may have linked it and not yet failed: configfs then calls its
 * drop_link, which unlinks as usual.
 *
 * Context: Process context; takes subsys->lock.
 */
void nvmet_subsys_remove(struct nvmet_subsys *subsys)
{
	mutex_lock(&subsys->lock);
	subsys->removed = true;
	mutex_unlock(&subsys->lock);
	nvmet_nqn_map_remove(&nvmet_subsystems, &subsys->node);
	xa_erase(&nvmet_subsys_ids, subsys->id);
}
EXPORT_SYMBOL_GPL(nvmet_subsys_remove);

static void nvmet_subsys_release(struct kref *ref)
{
	struct nvmet_subsys *subsys = container_of(ref, struct nvmet_subsys,
						   ref);

	WARN_ON(subsys->nr_hosts || !xa_empty(&subsys->hosts));
	WARN_ON(subsys->nr_namespaces || !xa_empty(&subsys->namespaces));
	xa_destroy(&subsys->hosts);
	xa_destroy(&subsys->namespaces);
	WARN_ON(!xa_empty(&subsys->ns_slots));
	xa_destroy(&subsys->ns_slots);
	WARN_ON(!xa_empty(&subsys->ns_ids));
	xa_destroy(&subsys->ns_ids);
	WARN_ON(!xa_empty(&subsys->ctrls));
	xa_destroy(&subsys->ctrls);
	mutex_destroy(&subsys->lock);
	nvmet_obj_released(NVMET_OBJ_SUBSYS);
	kfree_rcu(subsys, rcu);
}

/**
 * nvmet_subsys_get() - take a reference on a subsystem
 * @subsys: the subsystem; the caller already holds a reference
 *
 * Context: Any context.
 */
void nvmet_subsys_get(struct nvmet_subsys *subsys)
{
	kref_get(&subsys->ref);
}
EXPORT_SYMBOL_GPL(nvmet_subsys_get);

/**
 * nvmet_subsys_put() - drop a reference on a subsystem
 * @subsys: the subsystem
 *
 * Context: Any context.
 */
void nvmet_subsys_put(struct nvmet_subsys *subsys)
{
	kref_put(&subsys->ref, nvmet_subsys_release);
}
EXPORT_SYMBOL_GPL(nvmet_subsys_put);

/*
 * Find a published subsystem without taking a reference.
 * Context: the caller holds rcu_read_lock().
 */
struct nvmet_subsys *__nvmet_subsys_lookup(const char *nqn)
{
	struct nvmet_nqn_node *node;

	node = nvmet_nqn_map_lookup(&nvmet_subsystems, nqn);
	return node ? container_of(node, struct nvmet_subsys, node) : NULL;
}

/**
 * nvmet_subsys_find_get() - find a published subsystem by NQN
 * @nqn: the subsystem NQN
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: the subsystem with a reference for the caller, or NULL.
 */
struct nvmet_subsys *nvmet_subsys_find_get(const char *nqn)
{
	struct nvmet_subsys *subsys;

	rcu_read_lock();
	subsys = __nvmet_subsys_lookup(nqn);
	if (subsys && !kref_get_unless_zero(&subsys->ref))
		subsys = NULL;
	rcu_read_unlock();
	return subsys;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_find_get);

/**
 * nvmet_subsys_for_each() - call a function on every published subsystem
 * @fn: the function, called with a reference on the subsystem and no lock
 * @data: passed to @fn
 *
 * Subsystems created or removed meanwhile may or may not be visited; one
 * on its way out is skipped and the walk goes on.
 *
 * Context: Process context.
 */
void nvmet_subsys_for_each(void (*fn)(struct nvmet_subsys *subsys,
				      void *data),
			   void *data)
{
	struct nvmet_subsys *subsys;
	unsigned long idx = 0;

	for (;; idx++) {
		bool live;

		rcu_read_lock();
		subsys = xa_find(&nvmet_subsys_ids, &idx, ULONG_MAX,
				 XA_PRESENT);
		live = subsys && kref_get_unless_zero(&subsys->ref);
		rcu_read_unlock();
		if (!subsys)
			return;
		if (!live)
			continue;
		fn(subsys, data);
		nvmet_subsys_put(subsys);
	}
}
EXPORT_SYMBOL_GPL(nvmet_subsys_for_each);

/**
 * nvmet_subsys_count() - number of published subsystems
 *
 * For leak checks in tests.
 *
 * Context: Any context.
 * Return: the count.
 */
unsigned long nvmet_subsys_count(void)
{
	struct nvmet_subsys *subsys;
	unsigned long index, n = 0;

	xa_for_each(&nvmet_subsys_ids, index, subsys)
		n++;
	return n;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_count);
