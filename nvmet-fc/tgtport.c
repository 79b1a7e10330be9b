// SPDX-License-Identifier: GPL-2.0-only
/*
 * Target ports: registration by an LLDD, the port entries of enabled
 * nvmet ports and the binding between the two by WWNN/WWPN, and the host
 * handles the LLDD gives us with LSs.
 *
 * A port entry lives from add_port() to remove_port().  It is bound to the
 * registered target port of its names, if there is one: add_port() binds
 * it to the one registered then, nvmet_fc_unregister_targetport() unbinds
 * it, and nvmet_fc_register_targetport() binds it again to the new target
 * port of the same names, so an LLDD that re-registers its port (an HBA
 * reset) serves the nvmet port again at once, and hosts reconnect.
 *
 * A target port has two counts.  @ref keeps its memory: the registration
 * holds one, and so does a bound nvmet port (remove_port() may come after
 * the LLDD unregistered).  @users keeps the LLDD's port in use: the
 * registration, each association and each LS in flight; when it drops to
 * zero after nvmet_fc_unregister_targetport(), ops->targetport_delete()
 * tells the LLDD we are done with it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <nvmet/nvmet.h>

#include "nvmet-fc.h"

/*
 * Protects nvmet_fc_tgtports, nvmet_fc_port_entries and the bindings
 * between them.
 */
static DEFINE_MUTEX(nvmet_fc_tgtports_lock);
static LIST_HEAD(nvmet_fc_tgtports);
static LIST_HEAD(nvmet_fc_port_entries);
static DEFINE_IDA(nvmet_fc_port_ida);

static void nvmet_fc_tgtport_release(struct kref *ref)
{
	struct nvmet_fc_tgtport *tgtport =
		container_of(ref, struct nvmet_fc_tgtport, ref);

	WARN_ON(!list_empty(&tgtport->assoc_list));
	xa_destroy(&tgtport->assocs);
	ida_free(&nvmet_fc_port_ida, tgtport->fc_port.port_num);
	kfree(tgtport);
}

/**
 * nvmet_fc_tgtport_get() - take a memory reference on a target port
 * @tgtport: the target port
 *
 * Context: Any context.
 */
void nvmet_fc_tgtport_get(struct nvmet_fc_tgtport *tgtport)
{
	kref_get(&tgtport->ref);
}

/**
 * nvmet_fc_tgtport_put() - drop a memory reference on a target port
 * @tgtport: the target port
 *
 * Context: Any context.
 */
void nvmet_fc_tgtport_put(struct nvmet_fc_tgtport *tgtport)
{
	kref_put(&tgtport->ref, nvmet_fc_tgtport_release);
}

static void nvmet_fc_tgtport_delete_work(struct work_struct *work)
{
	struct nvmet_fc_tgtport *tgtport =
		container_of(work, struct nvmet_fc_tgtport, delete_work);

	pr_info("target port %u (wwpn 0x%016llx) deleted\n",
		tgtport->fc_port.port_num, tgtport->fc_port.port_name);
	tgtport->ops->targetport_delete(&tgtport->fc_port);
	nvmet_fc_tgtport_put(tgtport);
}

/**
 * nvmet_fc_tgtport_use() - count a new user of the LLDD's port
 * @tgtport: the target port
 *
 * Context: Any context.
 * Return: false if the port is being unregistered and takes no new user.
 */
bool nvmet_fc_tgtport_use(struct nvmet_fc_tgtport *tgtport)
{
	bool ok;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	ok = tgtport->registered;
	if (ok)
		refcount_inc(&tgtport->users);
	spin_unlock_irqrestore(&tgtport->lock, flags);
	return ok;
}

/**
 * nvmet_fc_tgtport_unuse() - a user of the LLDD's port is gone
 * @tgtport: the target port
 *
 * The last one, after unregistration, has ops->targetport_delete() called
 * from a work item.
 *
 * Context: Any context.
 */
void nvmet_fc_tgtport_unuse(struct nvmet_fc_tgtport *tgtport)
{
	if (refcount_dec_and_test(&tgtport->users))
		queue_work(nvmet_fc_wq, &tgtport->delete_work);
}

static bool nvmet_fc_template_ok(const struct nvmet_fc_target_template *t)
{
	return t->targetport_delete && t->xmt_ls_rsp && t->fcp_op &&
	       t->fcp_abort && t->fcp_req_release && t->max_hw_queues &&
	       t->max_sgl_segments && (!t->ls_req || t->ls_abort);
}

/* Called with nvmet_fc_tgtports_lock held. */
static struct nvmet_fc_tgtport *nvmet_fc_tgtport_find(u64 wwnn, u64 wwpn)
	__must_hold(&nvmet_fc_tgtports_lock)
{
	struct nvmet_fc_tgtport *tgtport;

	lockdep_assert_held(&nvmet_fc_tgtports_lock);
	list_for_each_entry(tgtport, &nvmet_fc_tgtports, entry) {
		if (tgtport->fc_port.node_name == wwnn &&
		    tgtport->fc_port.port_name == wwpn)
			return tgtport;
	}
	return NULL;
}

static struct nvmet_fc_tgtport *
nvmet_fc_tgtport_alloc(struct nvmet_fc_port_info *pinfo,
		       struct nvmet_fc_target_template *template,
		       struct device *dev)
{
	struct nvmet_fc_tgtport *tgtport;
	size_t priv_off = ALIGN(sizeof(*tgtport), sizeof(u64));
	int idx;

	tgtport = kzalloc(priv_off + template->target_priv_sz, GFP_KERNEL);
	if (!tgtport)
		return NULL;
	idx = ida_alloc(&nvmet_fc_port_ida, GFP_KERNEL);
	if (idx < 0) {
		kfree(tgtport);
		return NULL;
	}
	tgtport->fc_port.port_num = idx;
	tgtport->fc_port.node_name = pinfo->node_name;
	tgtport->fc_port.port_name = pinfo->port_name;
	tgtport->fc_port.port_id = pinfo->port_id;
	tgtport->fc_port.port_state = FC_OBJSTATE_ONLINE;
	if (template->target_priv_sz)
		tgtport->fc_port.private = (u8 *)tgtport + priv_off;
	tgtport->ops = template;
	tgtport->dev = dev;
	kref_init(&tgtport->ref);
	refcount_set(&tgtport->users, 1);
	INIT_LIST_HEAD(&tgtport->entry);
	spin_lock_init(&tgtport->lock);
	tgtport->registered = true;
	xa_init_flags(&tgtport->assocs, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
	INIT_LIST_HEAD(&tgtport->assoc_list);
	INIT_LIST_HEAD(&tgtport->hosts);
	INIT_WORK(&tgtport->delete_work, nvmet_fc_tgtport_delete_work);
	return tgtport;
}

/* The port entry of these names, or NULL. */
static struct nvmet_fc_port_entry *nvmet_fc_port_entry_find(u64 wwnn, u64 wwpn)
	__must_hold(&nvmet_fc_tgtports_lock)
{
	struct nvmet_fc_port_entry *pe;

	lockdep_assert_held(&nvmet_fc_tgtports_lock);
	list_for_each_entry(pe, &nvmet_fc_port_entries, entry) {
		if (pe->node_name == wwnn && pe->port_name == wwpn)
			return pe;
	}
	return NULL;
}

/* Make @tgtport, registered, serve @pe, which has no target port. */
static void nvmet_fc_port_entry_bind(struct nvmet_fc_port_entry *pe,
				     struct nvmet_fc_tgtport *tgtport)
	__must_hold(&nvmet_fc_tgtports_lock)
{
	unsigned long flags;

	lockdep_assert_held(&nvmet_fc_tgtports_lock);
	nvmet_fc_tgtport_get(tgtport);
	pe->tgtport = tgtport;
	spin_lock_irqsave(&tgtport->lock, flags);
	tgtport->nport = pe->nport;
	spin_unlock_irqrestore(&tgtport->lock, flags);
}

/*
 * Take @pe's target port off it; no association is made through it from
 * now on.  Returns the target port, whose reference the caller drops.
 */
static struct nvmet_fc_tgtport *
nvmet_fc_port_entry_unbind(struct nvmet_fc_port_entry *pe)
	__must_hold(&nvmet_fc_tgtports_lock)
{
	struct nvmet_fc_tgtport *tgtport = pe->tgtport;
	unsigned long flags;

	lockdep_assert_held(&nvmet_fc_tgtports_lock);
	if (!tgtport)
		return NULL;
	pe->tgtport = NULL;
	spin_lock_irqsave(&tgtport->lock, flags);
	if (tgtport->nport == pe->nport)
		tgtport->nport = NULL;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	return tgtport;
}

/**
 * nvmet_fc_register_targetport() - an LLDD offers an FC-NVMe target port
 * @pinfo: the port's WWNN, WWPN and N_Port ID
 * @template: the LLDD's entry points; must outlive the port
 * @dev: the device for DMA mappings, or NULL
 * @portptr: where to return the port
 *
 * The port serves hosts once an nvmet port whose addr_traddr names its
 * WWNN and WWPN is enabled, or at once if one is (the LLDD registers the
 * port again after unregistering it).
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock briefly.
 * Return: 0; -EINVAL for a template without a mandatory entry point;
 * -EEXIST if a port with these names is registered; -ENOMEM.
 */
int nvmet_fc_register_targetport(struct nvmet_fc_port_info *pinfo,
				 struct nvmet_fc_target_template *template,
				 struct device *dev,
				 struct nvmet_fc_target_port **portptr)
{
	struct nvmet_fc_port_entry *pe = NULL;
	struct nvmet_fc_tgtport *tgtport;
	int ret = 0;

	if (!nvmet_fc_template_ok(template)) {
		pr_err("LLDD template lacks a mandatory entry point\n");
		return -EINVAL;
	}
	tgtport = nvmet_fc_tgtport_alloc(pinfo, template, dev);
	if (!tgtport)
		return -ENOMEM;

	mutex_lock(&nvmet_fc_tgtports_lock);
	if (nvmet_fc_tgtport_find(pinfo->node_name, pinfo->port_name)) {
		ret = -EEXIST;
	} else {
		list_add_tail(&tgtport->entry, &nvmet_fc_tgtports);
		/* Set before the port can be found by a host's LS. */
		*portptr = &tgtport->fc_port;
		pe = nvmet_fc_port_entry_find(pinfo->node_name,
					      pinfo->port_name);
		if (pe && !WARN_ON(pe->tgtport))
			nvmet_fc_port_entry_bind(pe, tgtport);
	}
	pr_info("target port %u: wwnn 0x%016llx wwpn 0x%016llx %s\n",
		tgtport->fc_port.port_num, pinfo->node_name, pinfo->port_name,
		ret ? "already registered" : "registered");
	if (!ret && pe)
		pr_info("target port %u serves port %u again\n",
			tgtport->fc_port.port_num,
			le16_to_cpu(pe->nport->disc_addr.portid));
	mutex_unlock(&nvmet_fc_tgtports_lock);
	if (ret)
		nvmet_fc_tgtport_put(tgtport);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_fc_register_targetport);

/**
 * nvmet_fc_unregister_targetport() - an LLDD takes a target port away
 * @fc_port: the port
 *
 * Tears down every association of the port; ops->targetport_delete() is
 * called once the last one is gone.  The nvmet port it served stays
 * enabled, its port entry kept: it accepts no association until the LLDD
 * registers a port of the same names again, which then serves it.
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock briefly.
 * Return: 0.
 */
int nvmet_fc_unregister_targetport(struct nvmet_fc_target_port *fc_port)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(fc_port);
	struct nvmet_fc_tgtport *bound = NULL;
	struct nvmet_fc_port_entry *pe;
	unsigned long flags;

	mutex_lock(&nvmet_fc_tgtports_lock);
	list_del_init(&tgtport->entry);
	pe = nvmet_fc_port_entry_find(fc_port->node_name, fc_port->port_name);
	if (pe && pe->tgtport == tgtport)
		bound = nvmet_fc_port_entry_unbind(pe);
	spin_lock_irqsave(&tgtport->lock, flags);
	tgtport->registered = false;
	fc_port->port_state = FC_OBJSTATE_DELETED;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	mutex_unlock(&nvmet_fc_tgtports_lock);

	pr_info("target port %u (wwpn 0x%016llx) unregistered\n",
		fc_port->port_num, fc_port->port_name);
	nvmet_fc_delete_assocs(tgtport, NULL, NULL);
	if (bound)
		nvmet_fc_tgtport_put(bound);
	nvmet_fc_tgtport_unuse(tgtport);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_fc_unregister_targetport);

/**
 * nvmet_fc_port_entry_add() - serve an nvmet port on the target port of
 *			       its names
 * @nport: the nvmet port; port->priv is set on success
 * @wwnn: node name of its addr_traddr
 * @wwpn: port name of its addr_traddr
 *
 * Context: Process context (add_port()); takes nvmet_fc_tgtports_lock.
 * Return: 0; -ENXIO if no target port of these names is registered;
 * -EALREADY if another nvmet port is enabled on these names; -ENOMEM.
 */
int nvmet_fc_port_entry_add(struct nvmet_port *nport, u64 wwnn, u64 wwpn)
{
	struct nvmet_fc_tgtport *tgtport;
	struct nvmet_fc_port_entry *pe;
	int ret = 0;

	pe = kzalloc(sizeof(*pe), GFP_KERNEL);
	if (!pe)
		return -ENOMEM;
	pe->nport = nport;
	pe->node_name = wwnn;
	pe->port_name = wwpn;

	mutex_lock(&nvmet_fc_tgtports_lock);
	tgtport = nvmet_fc_tgtport_find(wwnn, wwpn);
	if (nvmet_fc_port_entry_find(wwnn, wwpn)) {
		ret = -EALREADY;
	} else if (!tgtport) {
		ret = -ENXIO;
	} else {
		nvmet_fc_port_entry_bind(pe, tgtport);
		list_add_tail(&pe->entry, &nvmet_fc_port_entries);
		nport->priv = pe;
	}
	mutex_unlock(&nvmet_fc_tgtports_lock);
	if (ret)
		kfree(pe);
	return ret;
}

/**
 * nvmet_fc_port_entry_remove() - stop serving an nvmet port
 * @nport: the nvmet port, after a successful nvmet_fc_port_entry_add()
 *
 * Deletes the associations that came through @nport on its target port;
 * those on a target port unregistered before are being deleted already.
 *
 * Context: Process context (remove_port()); takes nvmet_fc_tgtports_lock.
 */
void nvmet_fc_port_entry_remove(struct nvmet_port *nport)
{
	struct nvmet_fc_port_entry *pe = nport->priv;
	struct nvmet_fc_tgtport *tgtport;

	mutex_lock(&nvmet_fc_tgtports_lock);
	list_del(&pe->entry);
	tgtport = nvmet_fc_port_entry_unbind(pe);
	mutex_unlock(&nvmet_fc_tgtports_lock);
	nport->priv = NULL;
	kfree(pe);
	if (!tgtport)
		return;
	nvmet_fc_delete_assocs(tgtport, nport, NULL);
	nvmet_fc_tgtport_put(tgtport);
}

/**
 * nvmet_fc_port_disc_changed() - send an RSCN for an nvmet port
 * @nport: the nvmet port, whose discovery log changed
 *
 * The LLDD's discovery_event() tells the hosts on the fabric to rescan
 * the target port serving @nport (on a real fabric, with an RSCN); nothing
 * happens if no target port serves it or its LLDD has no such entry point.
 * @nport is compared by address only: this may race with add_port() and
 * remove_port().
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock, and calls the
 * LLDD with no lock held.
 */
void nvmet_fc_port_disc_changed(struct nvmet_port *nport)
{
	struct nvmet_fc_tgtport *tgtport = NULL;
	struct nvmet_fc_port_entry *pe;

	mutex_lock(&nvmet_fc_tgtports_lock);
	list_for_each_entry(pe, &nvmet_fc_port_entries, entry) {
		if (pe->nport != nport)
			continue;
		tgtport = pe->tgtport;
		break;
	}
	if (tgtport && (!tgtport->ops->discovery_event ||
			!nvmet_fc_tgtport_use(tgtport)))
		tgtport = NULL;
	mutex_unlock(&nvmet_fc_tgtports_lock);
	if (!tgtport)
		return;
	pr_debug("target port %u: discovery event for port %u\n",
		 tgtport->fc_port.port_num,
		 le16_to_cpu(nport->disc_addr.portid));
	tgtport->ops->discovery_event(&tgtport->fc_port);
	nvmet_fc_tgtport_unuse(tgtport);
}

/**
 * nvmet_fc_hostref_get() - count an association of a host handle
 * @tgtport: the target port
 * @handle: the LLDD's host handle
 * @spare: a zeroed hostref the caller allocated, used if @handle is new
 *
 * Context: Any context; takes tgtport->lock.
 * Return: the hostref; the caller frees @spare unless it is returned.
 */
struct nvmet_fc_hostref *nvmet_fc_hostref_get(struct nvmet_fc_tgtport *tgtport,
					      void *handle,
					      struct nvmet_fc_hostref *spare)
{
	struct nvmet_fc_hostref *hostref;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	list_for_each_entry(hostref, &tgtport->hosts, entry) {
		if (hostref->handle == handle && !hostref->invalidated)
			goto found;
	}
	hostref = spare;
	hostref->handle = handle;
	list_add_tail(&hostref->entry, &tgtport->hosts);
found:
	hostref->nr_assocs++;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	return hostref;
}

/**
 * nvmet_fc_hostref_put() - an association of a host handle is gone
 * @tgtport: the target port
 * @hostref: the handle's hostref
 *
 * The last association of an invalidated handle has ops->host_release()
 * called.
 *
 * Context: Any context; takes tgtport->lock.
 */
void nvmet_fc_hostref_put(struct nvmet_fc_tgtport *tgtport,
			  struct nvmet_fc_hostref *hostref)
{
	bool last;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	last = !--hostref->nr_assocs;
	if (last)
		list_del(&hostref->entry);
	spin_unlock_irqrestore(&tgtport->lock, flags);
	if (!last)
		return;
	if (hostref->invalidated && tgtport->ops->host_release)
		tgtport->ops->host_release(hostref->handle);
	kfree(hostref);
}

/**
 * nvmet_fc_invalidate_host() - the LLDD lost a host port
 * @fc_port: the target port
 * @hosthandle: the host port's handle, as given with its LSs
 *
 * Tears down every association created through @hosthandle;
 * ops->host_release() is called once the last one is gone (at once if
 * there is none).
 *
 * Context: Any context; takes tgtport->lock.
 */
void nvmet_fc_invalidate_host(struct nvmet_fc_target_port *fc_port,
			      void *hosthandle)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(fc_port);
	struct nvmet_fc_hostref *hostref;
	bool found = false;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	list_for_each_entry(hostref, &tgtport->hosts, entry) {
		if (hostref->handle == hosthandle && !hostref->invalidated) {
			hostref->invalidated = true;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&tgtport->lock, flags);

	if (!found) {
		if (tgtport->ops->host_release)
			tgtport->ops->host_release(hosthandle);
		return;
	}
	nvmet_fc_delete_assocs(tgtport, NULL, hosthandle);
}
EXPORT_SYMBOL_GPL(nvmet_fc_invalidate_host);

/**
 * nvmet_fc_delete_ctrl() - tear down the association of a controller
 * @ctrl: the controller
 *
 * Does not wait for the association to be gone.
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock and each target
 * port's lock in turn, briefly.
 */
void nvmet_fc_delete_ctrl(struct nvmet_ctrl *ctrl)
{
	struct nvmet_fc_tgtport *tgtport;

	mutex_lock(&nvmet_fc_tgtports_lock);
	list_for_each_entry(tgtport, &nvmet_fc_tgtports, entry) {
		if (nvmet_fc_tgtport_delete_ctrl(tgtport, ctrl))
			break;
	}
	mutex_unlock(&nvmet_fc_tgtports_lock);
}
