// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-host namespace visibility: whether a namespace is visible to every
 * host its subsystem admits (auto_visible, the default, as in-tree), or
 * only to the hosts its allowed_hosts/ links name.  A namespace with
 * auto_visible clear and no link is visible to nobody.
 *
 * The linked hosts are an xarray keyed by host id, each entry holding a
 * host reference, read under RCU: the I/O path loads auto_visible once
 * and, only when it is clear, makes one xa_load().  Changes take the
 * namespace's vis_lock and raise namespace-changed events, under the same
 * lock, for exactly the controllers whose view changed
 * (nvmet_ns_visibility_changed() in nvmet/target/notify.c), so that
 * concurrent changes notify in the order they took effect.  Visibility is
 * independent of enable: it may change at any time.
 *
 * Conventions:
 * @ns:   a namespace, referenced by the caller
 * @host: a host, referenced by the caller
 */
#include <linux/errno.h>
#include <linux/export.h>

#include <nvmet/ns.h>
#include "core.h"

/**
 * nvmet_ns_visibility_init() - a new namespace is visible to every host
 * @ns: the namespace, not yet published
 *
 * Context: Process context.
 */
void nvmet_ns_visibility_init(struct nvmet_ns *ns)
{
	mutex_init(&ns->vis_lock);
	ns->auto_visible = true;
	xa_init(&ns->vis_hosts);
}

/**
 * nvmet_ns_visibility_destroy() - drop the links a namespace still has
 * @ns: the namespace, on its last reference
 *
 * configfs removes a namespace only once its allowed_hosts/ is empty, so
 * this drops links only for callers of the core API that left some.
 *
 * Context: Process context.
 */
void nvmet_ns_visibility_destroy(struct nvmet_ns *ns)
{
	struct nvmet_host *host;
	unsigned long id;

	xa_for_each(&ns->vis_hosts, id, host)
		nvmet_host_put(host);
	xa_destroy(&ns->vis_hosts);
	mutex_destroy(&ns->vis_lock);
}

/**
 * nvmet_ns_allow_host() - make the namespace visible to a host
 *			   (an allowed_hosts/ link)
 * @ns: the namespace, enabled or not
 * @host: the host; the link takes its own reference
 *
 * With auto_visible clear, the host's connected controllers are told that
 * the namespace appeared; with it set nobody's view changes.
 *
 * Context: Process context; takes ns->vis_lock, then each of the host's
 * controllers' locks.
 * Return: 0, -EEXIST if the host is linked already, or -ENOMEM.
 */
int nvmet_ns_allow_host(struct nvmet_ns *ns, struct nvmet_host *host)
{
	int ret;

	kref_get(&host->ref);
	mutex_lock(&ns->vis_lock);
	ret = xa_insert(&ns->vis_hosts, host->id, host, GFP_KERNEL);
	if (!ret) {
		ns->nr_vis_hosts++;
		if (!ns->auto_visible)
			nvmet_ns_visibility_changed(ns, host);
	}
	mutex_unlock(&ns->vis_lock);
	if (!ret)
		return 0;
	nvmet_host_put(host);
	if (ret == -EBUSY) {
		pr_err("nvmet: subsystem %s namespace %u: host %s is linked already\n",
		       ns->subsys->nqn, ns->nsid, host->nqn);
		ret = -EEXIST;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_ns_allow_host);

/**
 * nvmet_ns_disallow_host() - remove a host's allowed_hosts/ link
 * @ns: the namespace
 * @host: the host
 *
 * With auto_visible clear, the host's controllers are told that the
 * namespace went; they stay connected.  Commands they sent before keep
 * running; new ones find no namespace.
 *
 * Context: Process context; takes ns->vis_lock, then each of the host's
 * controllers' locks.
 * Return: 0, or -ENOENT if the host was not linked.
 */
int nvmet_ns_disallow_host(struct nvmet_ns *ns, struct nvmet_host *host)
{
	struct nvmet_host *old;

	mutex_lock(&ns->vis_lock);
	old = xa_erase(&ns->vis_hosts, host->id);
	if (old) {
		ns->nr_vis_hosts--;
		if (!ns->auto_visible)
			nvmet_ns_visibility_changed(ns, old);
	}
	mutex_unlock(&ns->vis_lock);
	if (!old)
		return -ENOENT;
	nvmet_host_put(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_ns_disallow_host);

/**
 * nvmet_ns_set_auto_visible() - visible to every host, or only the linked
 * @ns: the namespace, enabled or not
 * @on: true: every host the subsystem admits (device_auto_visible 1)
 *
 * Writing the value it has changes nothing.  A change tells the
 * controllers of every host that is not linked (they gain or lose the
 * namespace); linked hosts see it either way and hear nothing.
 *
 * Context: Process context; takes ns->vis_lock, then controllers' locks.
 */
void nvmet_ns_set_auto_visible(struct nvmet_ns *ns, bool on)
{
	mutex_lock(&ns->vis_lock);
	if (ns->auto_visible != on) {
		WRITE_ONCE(ns->auto_visible, on);
		nvmet_ns_visibility_changed(ns, NULL);
	}
	mutex_unlock(&ns->vis_lock);
}
EXPORT_SYMBOL_GPL(nvmet_ns_set_auto_visible);

/**
 * nvmet_ns_host_linked() - is this host in the namespace's allowed_hosts?
 * @ns: the namespace
 * @host: the host, referenced by the caller (a controller's)
 *
 * Lookup cost: one xa_load(), no lock.  A host removed and created again
 * under the same NQN is another object, and is not linked.
 *
 * Context: Any context.
 * Return: true if @host is linked.
 */
bool nvmet_ns_host_linked(struct nvmet_ns *ns, const struct nvmet_host *host)
{
	return xa_load(&ns->vis_hosts, host->id) == host;
}
EXPORT_SYMBOL_GPL(nvmet_ns_host_linked);
