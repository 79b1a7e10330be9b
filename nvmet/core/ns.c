// SPDX-License-Identifier: GPL-2.0-only
/*
 * Namespaces: configuration, and enable/disable through a backend.
 *
 * Enabling opens the backend under the namespace's own lock only (a file
 * or block device open may sleep for long), then publishes the namespace
 * in subsys->namespaces under the subsystem's lock, where the I/O path
 * finds it with one xa_load() under RCU.  Disabling unpublishes it, waits
 * for RCU readers, and closes the backend.
 *
 * Conventions:
 * @ns:     a namespace, referenced by the caller
 * @subsys: its subsystem
 * @buf:    text written to a configfs attribute
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat.h>
#include <nvmet/ns.h>
#include "core.h"

static const char *nvmet_ns_subsys_nqn(struct nvmet_ns *ns)
{
	return ns->subsys->nqn;
}

/**
 * nvmet_ns_create() - create a disabled namespace
 * @subsys: the subsystem, which the namespace references
 * @nsid: its ID, 1 to 0xfffffffe
 *
 * The namespace is not published until it is enabled; two namespaces may
 * share an ID until then, as in-tree ("1" and "0x1").
 *
 * Context: Process context.
 * Return: the namespace, or ERR_PTR(-EINVAL) or ERR_PTR(-ENOMEM).
 */
struct nvmet_ns *nvmet_ns_create(struct nvmet_subsys *subsys, u32 nsid)
{
	struct nvmet_ns *ns;

	if (!nsid || nsid == NVME_NSID_ALL) {
		pr_err("nvmet: subsystem %s: invalid namespace ID %u\n",
		       subsys->nqn, nsid);
		return ERR_PTR(-EINVAL);
	}
	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return ERR_PTR(-ENOMEM);
	ns->stats = alloc_percpu(struct nvmet_stats);
	ns->ranges.writes = alloc_percpu(long);
	if (!ns->stats || !ns->ranges.writes ||
	    nvmet_ns_id_hold(subsys, nsid)) {
		free_percpu(ns->ranges.writes);
		free_percpu(ns->stats);
		kfree(ns);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&ns->ref);
	mutex_init(&ns->lock);
	nvmet_subsys_get(subsys);
	ns->subsys = subsys;
	ns->nsid = nsid;
	ns->anagrpid = NVMET_DEFAULT_ANA_GRPID;
	ns->features_off = NVMET_BF_DEFAULT_OFF;
	strscpy(ns->backend_name, NVMET_BACKEND_AUTO,
		sizeof(ns->backend_name));
	uuid_gen(&ns->uuid);
	atomic_set(&ns->ranges.users, 0);
	spin_lock_init(&ns->ranges.lock);
	INIT_LIST_HEAD(&ns->ranges.list);
	nvmet_ns_visibility_init(ns);
	nvmet_obj_created(NVMET_OBJ_NS);
	return ns;
}
EXPORT_SYMBOL_GPL(nvmet_ns_create);

static void nvmet_ns_release(struct kref *ref)
{
	struct nvmet_ns *ns = container_of(ref, struct nvmet_ns, ref);

	WARN_ON(ns->enabled || ns->draining);
	nvmet_subsys_put(ns->subsys);
	kfree(ns->device_path);
	kfree(ns->resv_state_path);
	free_percpu(ns->stats);
	free_percpu(ns->ranges.writes);
	nvmet_ns_visibility_destroy(ns);
	mutex_destroy(&ns->lock);
	nvmet_obj_released(NVMET_OBJ_NS);
	kfree_rcu(ns, rcu);
}

/**
 * nvmet_ns_put() - drop a reference on a namespace
 * @ns: the namespace
 *
 * Context: Process context (the last reference may free the subsystem).
 */
void nvmet_ns_put(struct nvmet_ns *ns)
{
	kref_put(&ns->ref, nvmet_ns_release);
}
EXPORT_SYMBOL_GPL(nvmet_ns_put);

/**
 * nvmet_ns_free() - remove and disable a namespace, drop the creator's
 * reference
 * @ns: the namespace
 *
 * Context: Process context; takes ns->lock and subsys->lock.
 */
void nvmet_ns_free(struct nvmet_ns *ns)
{
	nvmet_ns_remove(ns);
	nvmet_ns_disable(ns);
	nvmet_ns_put(ns);
}
EXPORT_SYMBOL_GPL(nvmet_ns_free);

/* Namespace attribute changed: tell the controllers that see it. */
static void nvmet_ns_changed(struct nvmet_ns *ns)
{
	nvmet_ns_notify_changed(ns);
}

static void nvmet_ns_io_release(struct percpu_ref *ref)
{
	struct nvmet_ns *ns = container_of(ref, struct nvmet_ns, io_ref);

	complete(&ns->io_done);
}

/**
 * nvmet_ns_io_get() - find an enabled namespace for an I/O command
 * @subsys: the subsystem
 * @nsid: the namespace ID
 *
 * Lookup cost: one xarray load and a per-cpu reference, no lock.
 *
 * Context: Any context.
 * Return: the namespace, held until nvmet_ns_io_put(), or NULL if no
 * enabled namespace has that ID.
 */
struct nvmet_ns *nvmet_ns_io_get(struct nvmet_subsys *subsys, u32 nsid)
{
	struct nvmet_ns *ns;

	rcu_read_lock();
	ns = xa_load(&subsys->namespaces, nsid);
	if (ns && !percpu_ref_tryget_live(&ns->io_ref))
		ns = NULL;
	rcu_read_unlock();
	return ns;
}
EXPORT_SYMBOL_GPL(nvmet_ns_io_get);

/**
 * nvmet_ns_io_put() - end what nvmet_ns_io_get() began
 * @ns: the namespace
 *
 * Context: Any context.
 */
void nvmet_ns_io_put(struct nvmet_ns *ns)
{
	percpu_ref_put(&ns->io_ref);
}
EXPORT_SYMBOL_GPL(nvmet_ns_io_put);

/* The administrator may turn off only what the backend lets change. */
static u32 nvmet_ns_features(struct nvmet_ns *ns,
			     const struct nvmet_backend_ops *ops)
{
	return ns->features_avail &
	       ~(ns->features_off & (ops->changeable | NVMET_BF_CORE));
}

/* open() may clear what this device lacks from ns->features. */
static int nvmet_ns_open_with(struct nvmet_ns *ns,
			      const struct nvmet_backend_ops *ops)
	__must_hold(&ns->lock)
{
	int ret;

	WRITE_ONCE(ns->features, ops->features | NVMET_BF_CORE);
	ns->csi = NVME_CSI_NVM;
	ret = ops->open(ns);
	if (ret)
		return ret;
	/* A zoned device is a ZNS namespace, or refused (target/zns.c). */
	if (ns->csi == NVME_CSI_ZNS) {
		ret = nvmet_zns_ns_check(ns, ops);
		if (ret) {
			ops->close(ns);
			ns->backend_priv = NULL;
			return ret;
		}
	}
	ns->features_avail = ns->features & (ops->features | NVMET_BF_CORE);
	WRITE_ONCE(ns->features, nvmet_ns_features(ns, ops));
	return 0;
}

/* Pick and open the backend: "auto" chooses as the in-tree target does. */
static int nvmet_ns_open_backend(struct nvmet_ns *ns)
	__must_hold(&ns->lock)
{
	const char *name = ns->backend_name;
	const struct nvmet_backend_ops *ops;
	int ret;

	lockdep_assert_held(&ns->lock);
	if (!strcmp(name, NVMET_BACKEND_AUTO))
		name = ns->buffered_io ? "file" : "bdev";
	ops = nvmet_backend_get(name);
	if (!ops) {
		pr_err("nvmet: subsystem %s namespace %u: backend %s is not loaded\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid, name);
		return -EINVAL;
	}
	ret = nvmet_ns_open_with(ns, ops);
	if (ret == -ENOTBLK && !strcmp(ns->backend_name, NVMET_BACKEND_AUTO) &&
	    !strcmp(ops->name, "bdev")) {
		nvmet_backend_put(ops);
		ops = nvmet_backend_get("file");
		ret = ops ? nvmet_ns_open_with(ns, ops) : -EINVAL;
	}
	if (ret) {
		if (ops)
			nvmet_backend_put(ops);
		pr_err("nvmet: subsystem %s namespace %u: cannot open %s: %d\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid,
		       ns->device_path ? ns->device_path : "(null)", ret);
		return ret;
	}
	ns->backend = ops;
	return 0;
}

static void nvmet_ns_close_backend(struct nvmet_ns *ns)
	__must_hold(&ns->lock)
{
	lockdep_assert_held(&ns->lock);
	ns->backend->close(ns);
	nvmet_backend_put(ns->backend);
	ns->backend = NULL;
	ns->backend_priv = NULL;
}

/*
 * Highest NSID in subsys->namespaces below @below, 0 if none: a binary
 * search of xa_find()s (each O(log n)), not a walk of every namespace.
 */
static u32 nvmet_subsys_max_nsid(struct nvmet_subsys *subsys, u32 below)
	__must_hold(&subsys->lock)
{
	unsigned long lo, hi, mid, idx = 0;

	lockdep_assert_held(&subsys->lock);
	if (below <= 1)
		return 0;
	hi = below - 1;
	if (!xa_find(&subsys->namespaces, &idx, hi, XA_PRESENT))
		return 0;
	/* An entry at lo; is there one in [mid, hi]? */
	lo = idx;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		idx = mid;
		if (xa_find(&subsys->namespaces, &idx, hi, XA_PRESENT))
			lo = idx;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Publish the namespace: a slot (the lowest free), then its NSID.
 * -EMFILE at NVMET_MAX_NAMESPACES, -EBUSY for an NSID enabled already.
 */
static int nvmet_ns_publish(struct nvmet_ns *ns)
	__must_hold(&ns->lock)
{
	struct nvmet_subsys *subsys = ns->subsys;
	u32 slot;
	int ret;

	lockdep_assert_held(&ns->lock);
	mutex_lock(&subsys->lock);
	if (rcu_access_pointer(subsys->passthru)) {
		pr_err("nvmet: subsystem %s: namespace %u: the subsystem passes a controller through\n",
		       subsys->nqn, ns->nsid);
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = xa_alloc(&subsys->ns_slots, &slot, ns,
		       XA_LIMIT(0, NVMET_MAX_NAMESPACES - 1), GFP_KERNEL);
	if (ret == -EBUSY)
		ret = -EMFILE;
	if (ret)
		goto out_unlock;
	WRITE_ONCE(ns->slot, slot);
	ret = xa_insert(&subsys->namespaces, ns->nsid, ns, GFP_KERNEL);
	if (ret) {
		xa_erase(&subsys->ns_slots, slot);
		goto out_unlock;
	}
	subsys->nr_namespaces++;
	subsys->max_nsid = max(subsys->max_nsid, ns->nsid);
out_unlock:
	mutex_unlock(&subsys->lock);
	return ret;
}

/**
 * nvmet_ns_enable() - open the backend and publish the namespace
 * @ns: the namespace
 *
 * Enabling an enabled namespace does nothing, as in-tree.
 *
 * Context: Process context; takes ns->lock, then subsys->lock briefly.
 * Return: 0, the backend's open error, -EINVAL for a backend not loaded,
 * -EMFILE when the subsystem has NVMET_MAX_NAMESPACES enabled, -EBUSY
 * when another enabled namespace has the same ID, or -ENOENT after
 * nvmet_ns_remove().
 */
int nvmet_ns_enable(struct nvmet_ns *ns)
{
	struct nvmet_subsys *subsys = ns->subsys;
	int ret = 0;

	mutex_lock(&ns->lock);
	if (ns->enabled)
		goto out_unlock;
	if (ns->removed || ns->draining) {
		/* Removed, or a disable still waits for its I/O. */
		ret = ns->removed ? -ENOENT : -EBUSY;
		goto out_unlock;
	}
	ret = nvmet_ns_open_backend(ns);
	if (ret)
		goto out_unlock;
	/* the mask of a backend's reservations starts clear, as pr.c's */
	ns->resv_notify_mask = 0;
	/* A backend that keeps reservations keeps them instead of pr.c. */
	if (ns->resv_enable && !nvmet_ns_backend_resv_cap(ns)) {
		ret = nvmet_pr_ns_open(ns);
		if (ret)
			goto out_close_backend;
	}
	init_completion(&ns->io_done);
	ret = percpu_ref_init(&ns->io_ref, nvmet_ns_io_release, 0, GFP_KERNEL);
	if (ret)
		goto out_close_pr;

	ret = nvmet_ns_publish(ns);
	if (ret) {
		pr_err("nvmet: subsystem %s namespace %u: cannot publish: %d\n",
		       subsys->nqn, ns->nsid, ret);
		goto out_exit_ref;
	}
	WRITE_ONCE(ns->enabled, true);
	mutex_unlock(&ns->lock);
	nvmet_ns_changed(ns);
	return 0;

out_exit_ref:
	percpu_ref_exit(&ns->io_ref);
out_close_pr:
	nvmet_pr_ns_close(ns);
out_close_backend:
	nvmet_ns_close_backend(ns);
out_unlock:
	mutex_unlock(&ns->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_ns_enable);

/* Take the namespace out of subsys->namespaces; stop new I/O. */
static void nvmet_ns_unpublish(struct nvmet_ns *ns)
	__must_hold(&ns->lock)
{
	struct nvmet_subsys *subsys = ns->subsys;

	lockdep_assert_held(&ns->lock);
	mutex_lock(&subsys->lock);
	xa_erase(&subsys->namespaces, ns->nsid);
	xa_erase(&subsys->ns_slots, ns->slot);
	subsys->nr_namespaces--;
	if (ns->nsid == subsys->max_nsid)
		subsys->max_nsid = nvmet_subsys_max_nsid(subsys, ns->nsid);
	mutex_unlock(&subsys->lock);
	WRITE_ONCE(ns->enabled, false);
	/* No new I/O can take a reference once the ref is dead. */
	percpu_ref_kill(&ns->io_ref);
	ns->draining = true;
}

/*
 * Wait for the commands in flight, which may use the backend to the end,
 * then close it.  Only this namespace's lock is held meanwhile.
 */
static void nvmet_ns_finish_drain(struct nvmet_ns *ns)
	__must_hold(&ns->lock)
{
	lockdep_assert_held(&ns->lock);
	wait_for_completion(&ns->io_done);
	percpu_ref_exit(&ns->io_ref);
	nvmet_pr_ns_close(ns);
	nvmet_ns_close_backend(ns);
	ns->draining = false;
}

/**
 * nvmet_ns_disable() - unpublish the namespace and close its backend
 * @ns: the namespace
 *
 * Disabling a disabled namespace does nothing; a namespace that
 * nvmet_ns_remove() unpublished finishes its drain here.
 *
 * Context: Process context; takes ns->lock, then subsys->lock briefly;
 * waits for the namespace's I/O commands in flight.
 */
void nvmet_ns_disable(struct nvmet_ns *ns)
{
	bool unpublished = false;

	mutex_lock(&ns->lock);
	if (ns->enabled) {
		nvmet_ns_unpublish(ns);
		unpublished = true;
	}
	if (ns->draining)
		nvmet_ns_finish_drain(ns);
	mutex_unlock(&ns->lock);
	if (unpublished)
		nvmet_ns_changed(ns);
}
EXPORT_SYMBOL_GPL(nvmet_ns_disable);

/**
 * nvmet_ns_remove() - unpublish a namespace for good, without waiting
 * @ns: the namespace
 *
 * For rmdir, which must not wait for I/O (configfs holds locks that every
 * mkdir and rmdir of the tree needs): hosts lose the namespace at once
 * and its NSID is free for a new namespace, while the commands in flight
 * finish on the old backend.  The namespace cannot be enabled again.
 *
 * Context: Process context; takes ns->lock, then subsys->lock briefly.
 * Return: true if commands may still be in flight: the caller must then
 * call nvmet_ns_disable() later, from a context that may wait for them,
 * to close the backend.
 */
bool nvmet_ns_remove(struct nvmet_ns *ns)
{
	bool unpublished = false, drain;

	mutex_lock(&ns->lock);
	if (!ns->removed)
		nvmet_ns_id_drop(ns->subsys, ns->nsid);
	ns->removed = true;
	if (ns->enabled) {
		nvmet_ns_unpublish(ns);
		unpublished = true;
	}
	drain = ns->draining;
	mutex_unlock(&ns->lock);
	if (unpublished)
		nvmet_ns_changed(ns);
	return drain;
}
EXPORT_SYMBOL_GPL(nvmet_ns_remove);

/**
 * nvmet_ns_revalidate() - re-read an enabled namespace's size
 * @ns: the namespace
 *
 * Context: Process context; takes ns->lock.
 * Return: 0, -EINVAL for a disabled namespace, or the backend's error.
 */
int nvmet_ns_revalidate(struct nvmet_ns *ns)
{
	u64 old;
	int ret = 0;

	mutex_lock(&ns->lock);
	if (!ns->enabled) {
		pr_err("nvmet: subsystem %s namespace %u: not enabled\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid);
		ret = -EINVAL;
	} else if (ns->backend->revalidate) {
		old = ns->size;
		ret = ns->backend->revalidate(ns);
		if (!ret && old != ns->size)
			nvmet_ns_changed(ns);
	}
	mutex_unlock(&ns->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_ns_revalidate);

/**
 * nvmet_ns_revalidate_io() - re-read the size of a namespace in use
 * @ns: an enabled namespace the caller holds an I/O reference on
 *
 * For Identify Namespace, which re-reads the size as in-tree does: a
 * host's rescan after the storage grew (lvextend, truncate) sees the new
 * size without a write to revalidate_size, and a change raises the
 * Namespace Attribute Changed event as that write does.  A disable holds
 * ns->lock while it waits for the caller's I/O reference, so the lock is
 * only tried: whoever holds it is reconfiguring the namespace, and the
 * size stays as it is for this Identify.
 *
 * Context: Process context; may take ns->lock.
 */
void nvmet_ns_revalidate_io(struct nvmet_ns *ns)
{
	bool changed = false;
	u64 old;

	if (!ns->backend->revalidate || !mutex_trylock(&ns->lock))
		return;
	old = ns->size;
	if (ns->enabled && !ns->backend->revalidate(ns))
		changed = old != ns->size;
	mutex_unlock(&ns->lock);
	if (changed)
		nvmet_ns_changed(ns);
}
EXPORT_SYMBOL_GPL(nvmet_ns_revalidate_io);

/**
 * nvmet_ns_config_begin() - lock a namespace's configuration to change it
 * @ns: the namespace
 *
 * On success the caller holds ns->lock and may change the fields that are
 * frozen while the namespace is enabled, then calls nvmet_ns_config_end().
 *
 * Context: Process context; takes ns->lock, keeps it on success.
 * Return: 0, or -EBUSY while the namespace is enabled.
 */
int nvmet_ns_config_begin(struct nvmet_ns *ns)
	nvmet_cond_acquires_zero(&ns->lock)
{
	mutex_lock(&ns->lock);
	if (!ns->enabled)
		return 0;
	mutex_unlock(&ns->lock);
	pr_err("nvmet: subsystem %s namespace %u: disable the namespace before changing it\n",
	       nvmet_ns_subsys_nqn(ns), ns->nsid);
	return -EBUSY;
}
EXPORT_SYMBOL_GPL(nvmet_ns_config_begin);

/**
 * nvmet_ns_config_end() - end nvmet_ns_config_begin()
 * @ns: the namespace
 *
 * Context: Process context; releases ns->lock.
 */
void nvmet_ns_config_end(struct nvmet_ns *ns)
	__releases(&ns->lock)
{
	mutex_unlock(&ns->lock);
}
EXPORT_SYMBOL_GPL(nvmet_ns_config_end);

/**
 * nvmet_ns_set_resv_enable() - give the namespace reservations, or not,
 *				from its next enable
 * @ns: the namespace
 * @on: reservations on
 *
 * Context: Process context; takes ns->lock.
 * Return: 0, or -EINVAL while enabled (as in-tree).
 */
int nvmet_ns_set_resv_enable(struct nvmet_ns *ns, bool on)
{
	if (nvmet_ns_config_begin(ns))
		return -EINVAL;
	ns->resv_enable = on;
	nvmet_ns_config_end(ns);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_resv_enable);

/**
 * nvmet_ns_set_device_path() - set what the backend opens
 * @ns: the namespace
 * @buf: the path, up to the first newline; not empty
 *
 * Context: Process context; takes ns->lock.
 * Return: 0, -EINVAL for an empty path, -EBUSY while enabled, or -ENOMEM.
 */
int nvmet_ns_set_device_path(struct nvmet_ns *ns, const char *buf)
{
	size_t len = strcspn(buf, "\n");
	char *path, *old;
	int ret;

	if (!len)
		return -EINVAL;
	path = kstrndup(buf, len, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = nvmet_ns_config_begin(ns);
	if (ret) {
		kfree(path);
		return ret;
	}
	old = ns->device_path;
	ns->device_path = path;
	nvmet_ns_config_end(ns);
	kfree(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_device_path);

/* resv_state_path is shorter than this, so that it shows in one page. */
#define NVMET_RESV_PATH_MAX	4095

/**
 * nvmet_ns_set_resv_state_path() - choose where the reservation state
 * persists through power loss
 * @ns: the namespace
 * @buf: an absolute path of a file, up to the first newline; empty for
 *	 the default, /var/lib/nvmet-ng/<NQN>-<NSID>.resv
 *
 * The file need not exist: the first save creates it, in a directory
 * that must (nvmet/target/pr_store.c).
 *
 * Context: Process context; takes ns->lock.
 * Return: 0, -EINVAL for a path that is not absolute, ends in '/' or is
 * too long, -EBUSY while enabled, or -ENOMEM.
 */
int nvmet_ns_set_resv_state_path(struct nvmet_ns *ns, const char *buf)
{
	size_t len = strcspn(buf, "\n");
	char *path = NULL, *old;
	int ret;

	if (len && (buf[0] != '/' || buf[len - 1] == '/' ||
		    len >= NVMET_RESV_PATH_MAX)) {
		pr_err("nvmet: subsystem %s namespace %u: resv_state_path takes an absolute file path, or nothing for the default\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid);
		return -EINVAL;
	}
	if (len) {
		path = kstrndup(buf, len, GFP_KERNEL);
		if (!path)
			return -ENOMEM;
	}
	ret = nvmet_ns_config_begin(ns);
	if (ret) {
		kfree(path);
		return ret;
	}
	old = ns->resv_state_path;
	ns->resv_state_path = path;
	nvmet_ns_config_end(ns);
	kfree(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_resv_state_path);

/**
 * nvmet_ns_set_backend() - choose the backend ("auto" or a name)
 * @ns: the namespace
 * @buf: "auto" or a registered backend's name, up to the first newline
 *
 * Context: Process context; takes ns->lock; may load a backend module.
 * Return: 0, -EINVAL for an unknown backend, or -EBUSY while enabled.
 */
int nvmet_ns_set_backend(struct nvmet_ns *ns, const char *buf)
{
	char name[NVMET_BACKEND_NAME_MAX];
	const struct nvmet_backend_ops *ops;
	int ret;

	if (nvmet_parse_token(buf, name, sizeof(name)) < 0)
		return -EINVAL;
	if (strcmp(name, NVMET_BACKEND_AUTO)) {
		ops = nvmet_backend_get(name);
		if (!ops) {
			pr_err("nvmet: subsystem %s namespace %u: no backend named %s\n",
			       nvmet_ns_subsys_nqn(ns), ns->nsid, name);
			return -EINVAL;
		}
		nvmet_backend_put(ops);
	}
	ret = nvmet_ns_config_begin(ns);
	if (ret)
		return ret;
	strscpy(ns->backend_name, name, sizeof(ns->backend_name));
	nvmet_ns_config_end(ns);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_backend);

/**
 * nvmet_ns_set_anagrpid() - move the namespace to another ANA group
 * @ns: the namespace, enabled or not
 * @grpid: 1 to NVMET_MAX_ANAGRPS; the group need not exist on any port
 *
 * Context: Process context; takes ns->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_ns_set_anagrpid(struct nvmet_ns *ns, u32 grpid)
{
	if (!grpid || grpid > NVMET_MAX_ANAGRPS) {
		pr_err("nvmet: subsystem %s namespace %u: ANA group %u not in 1..%d\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid, grpid,
		       NVMET_MAX_ANAGRPS);
		return -EINVAL;
	}
	mutex_lock(&ns->lock);
	WRITE_ONCE(ns->anagrpid, grpid);
	mutex_unlock(&ns->lock);
	nvmet_subsys_ana_changed(ns->subsys);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_anagrpid);

static const char * const nvmet_backend_features[NVMET_BF_NR] = {
	"write_zeroes", "deallocate", "vwc", "copy", "compare", "verify",
	"compare_write", "pi",
};

/**
 * nvmet_backend_feature_name() - the name of feature bit @i
 * @i: 0 to NVMET_BF_NR - 1
 *
 * Context: Any context.
 * Return: the name, or NULL.
 */
const char *nvmet_backend_feature_name(unsigned int i)
{
	return i < NVMET_BF_NR ? nvmet_backend_features[i] : NULL;
}
EXPORT_SYMBOL_GPL(nvmet_backend_feature_name);

/**
 * nvmet_ns_set_feature() - turn one backend feature on or off
 * @ns: the namespace, enabled or not
 * @bit: one NVMET_BF_* bit
 * @on: the state wanted
 *
 * The choice is kept across disable and enable.  On an enabled namespace
 * it applies at once: only the backend's changeable bits may change, and
 * a feature the device lacks cannot be turned on; asking for the state a
 * bit already has always succeeds, so what device_features shows can be
 * written back.  A change on an enabled namespace changes what Identify
 * reports of it (design.md, "Feature bits"), so it raises the Namespace
 * Attribute Changed event at the controllers that see the namespace.
 *
 * Context: Process context; takes ns->lock, then the controllers' locks.
 * Return: 0, or -EINVAL to change a bit the backend does not let change
 * or to turn on one the device lacks.
 */
int nvmet_ns_set_feature(struct nvmet_ns *ns, u32 bit, bool on)
{
	const struct nvmet_backend_ops *ops;
	bool changed = false;
	u32 old;
	int ret = 0;

	mutex_lock(&ns->lock);
	ops = ns->backend;
	if (ops && on && !(ns->features_avail & bit)) {
		pr_err("nvmet: subsystem %s namespace %u: %s is not available on %s\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid,
		       nvmet_backend_feature_name(__ffs(bit)),
		       ns->device_path ? ns->device_path : ops->name);
		ret = -EINVAL;
		goto out_unlock;
	}
	if (ops && !!(ns->features & bit) != on &&
	    !((ops->changeable | NVMET_BF_CORE) & bit)) {
		pr_err("nvmet: subsystem %s namespace %u: backend %s cannot turn %s %s\n",
		       nvmet_ns_subsys_nqn(ns), ns->nsid, ops->name,
		       nvmet_backend_feature_name(__ffs(bit)), on ? "on" : "off");
		ret = -EINVAL;
		goto out_unlock;
	}
	if (on)
		ns->features_off &= ~bit;
	else
		ns->features_off |= bit;
	if (ops) {
		old = ns->features;
		WRITE_ONCE(ns->features, nvmet_ns_features(ns, ops));
		changed = ns->enabled && old != ns->features;
	}
out_unlock:
	mutex_unlock(&ns->lock);
	if (changed)
		nvmet_ns_changed(ns);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_feature);

/**
 * nvmet_ns_find_get() - find an enabled namespace by ID
 * @subsys: the subsystem
 * @nsid: the namespace ID
 *
 * The I/O path's lookup: one xa_load() under RCU.
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: the namespace with a reference for the caller, or NULL.
 */
struct nvmet_ns *nvmet_ns_find_get(struct nvmet_subsys *subsys, u32 nsid)
{
	struct nvmet_ns *ns;

	rcu_read_lock();
	ns = xa_load(&subsys->namespaces, nsid);
	if (ns && !kref_get_unless_zero(&ns->ref))
		ns = NULL;
	rcu_read_unlock();
	return ns;
}
EXPORT_SYMBOL_GPL(nvmet_ns_find_get);

/**
 * nvmet_ns_id_hold() - count one more namespace of @nsid in @subsys
 * @subsys: the subsystem
 * @nsid: the namespace ID
 *
 * subsys->ns_ids knows every NSID that exists, enabled or not, so that a
 * command for a disabled namespace can be told from one for no namespace
 * without a lock, and with no cost to enabled namespaces' lookups.
 *
 * Context: Process context; takes subsys->lock.
 * Return: 0 or -ENOMEM.
 */
int nvmet_ns_id_hold(struct nvmet_subsys *subsys, u32 nsid)
{
	void *old;
	int ret;

	mutex_lock(&subsys->lock);
	old = xa_load(&subsys->ns_ids, nsid);
	ret = xa_err(xa_store(&subsys->ns_ids, nsid,
			      xa_mk_value(old ? xa_to_value(old) + 1 : 1),
			      GFP_KERNEL));
	mutex_unlock(&subsys->lock);
	return ret;
}

/**
 * nvmet_ns_id_drop() - end one nvmet_ns_id_hold()
 * @subsys: the subsystem
 * @nsid: the namespace ID
 *
 * Context: Process context; takes subsys->lock.
 */
void nvmet_ns_id_drop(struct nvmet_subsys *subsys, u32 nsid)
{
	void *old;

	mutex_lock(&subsys->lock);
	old = xa_load(&subsys->ns_ids, nsid);
	if (WARN_ON(!old) || xa_to_value(old) == 1)
		xa_erase(&subsys->ns_ids, nsid);
	else	/* replaces the entry in place: allocates nothing */
		xa_store(&subsys->ns_ids, nsid,
			 xa_mk_value(xa_to_value(old) - 1), GFP_KERNEL);
	mutex_unlock(&subsys->lock);
}

/**
 * nvmet_ns_exists() - does a namespace of @nsid exist, enabled or not?
 * @subsys: the subsystem
 * @nsid: the namespace ID
 *
 * For a command whose namespace nvmet_ns_io_get() did not find: a
 * disabled namespace answers a path error, no namespace at all Invalid
 * Namespace.  One xa_load() under RCU.
 *
 * Context: Any context.
 * Return: true from the namespace's creation until its removal.
 */
bool nvmet_ns_exists(struct nvmet_subsys *subsys, u32 nsid)
{
	return xa_load(&subsys->ns_ids, nsid);
}
EXPORT_SYMBOL_GPL(nvmet_ns_exists);
