// SPDX-License-Identifier: GPL-2.0-only
/*
 * Target ports: registration by an LLDD, lookup by WWNN/WWPN for
 * add_port(), the binding to an nvmet port, and the host handles the LLDD
 * gives us with LSs.
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

/* Protects nvmet_fc_tgtports and the binding fields of every port. */
static DEFINE_MUTEX(nvmet_fc_tgtports_lock);
static LIST_HEAD(nvmet_fc_tgtports);
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

/**
 * nvmet_fc_register_targetport() - an LLDD offers an FC-NVMe target port
 * @pinfo: the port's WWNN, WWPN and N_Port ID
 * @template: the LLDD's entry points; must outlive the port
 * @dev: the device for DMA mappings, or NULL
 * @portptr: where to return the port
 *
 * The port serves hosts once an nvmet port whose addr_traddr names its
 * WWNN and WWPN is enabled.
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
	if (nvmet_fc_tgtport_find(pinfo->node_name, pinfo->port_name))
		ret = -EEXIST;
	else
		list_add_tail(&tgtport->entry, &nvmet_fc_tgtports);
	mutex_unlock(&nvmet_fc_tgtports_lock);
	if (ret) {
		nvmet_fc_tgtport_put(tgtport);
		return ret;
	}
	pr_info("target port %u: wwnn 0x%016llx wwpn 0x%016llx registered\n",
		tgtport->fc_port.port_num, pinfo->node_name, pinfo->port_name);
	*portptr = &tgtport->fc_port;
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_fc_register_targetport);

/**
 * nvmet_fc_unregister_targetport() - an LLDD takes a target port away
 * @fc_port: the port
 *
 * Tears down every association of the port; ops->targetport_delete() is
 * called once the last one is gone.  A bound nvmet port stays enabled but
 * accepts no association until the port is registered again and the
 * nvmet port re-enabled.
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock briefly.
 * Return: 0.
 */
int nvmet_fc_unregister_targetport(struct nvmet_fc_target_port *fc_port)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(fc_port);
	unsigned long flags;

	mutex_lock(&nvmet_fc_tgtports_lock);
	list_del_init(&tgtport->entry);
	spin_lock_irqsave(&tgtport->lock, flags);
	tgtport->registered = false;
	fc_port->port_state = FC_OBJSTATE_DELETED;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	mutex_unlock(&nvmet_fc_tgtports_lock);

	nvmet_fc_delete_assocs(tgtport, NULL, NULL);
	nvmet_fc_tgtport_unuse(tgtport);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_fc_unregister_targetport);

/**
 * nvmet_fc_tgtport_find_get() - the registered target port with these names
 * @wwnn: node name
 * @wwpn: port name
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock briefly.
 * Return: the port with a memory reference, or NULL.
 */
struct nvmet_fc_tgtport *nvmet_fc_tgtport_find_get(u64 wwnn, u64 wwpn)
{
	struct nvmet_fc_tgtport *tgtport;

	mutex_lock(&nvmet_fc_tgtports_lock);
	tgtport = nvmet_fc_tgtport_find(wwnn, wwpn);
	if (tgtport)
		nvmet_fc_tgtport_get(tgtport);
	mutex_unlock(&nvmet_fc_tgtports_lock);
	return tgtport;
}

/**
 * nvmet_fc_tgtport_bind() - make a target port serve an nvmet port
 * @tgtport: the target port, referenced; the binding keeps the reference
 *	     on success
 * @nport: the nvmet port
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock and
 * tgtport->lock briefly.
 * Return: 0, -EALREADY if another nvmet port is bound to @tgtport, or
 * -ENXIO if @tgtport was unregistered meanwhile.
 */
int nvmet_fc_tgtport_bind(struct nvmet_fc_tgtport *tgtport,
			  struct nvmet_port *nport)
{
	int ret = 0;
	unsigned long flags;

	mutex_lock(&nvmet_fc_tgtports_lock);
	spin_lock_irqsave(&tgtport->lock, flags);
	if (!tgtport->registered)
		ret = -ENXIO;
	else if (tgtport->nport)
		ret = -EALREADY;
	else
		tgtport->nport = nport;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	mutex_unlock(&nvmet_fc_tgtports_lock);
	return ret;
}

/**
 * nvmet_fc_tgtport_unbind() - stop serving an nvmet port
 * @tgtport: the target port @nport is bound to
 * @nport: the nvmet port
 *
 * Deletes the associations that came through @nport and drops the
 * binding's reference.
 *
 * Context: Process context; takes nvmet_fc_tgtports_lock briefly.
 */
void nvmet_fc_tgtport_unbind(struct nvmet_fc_tgtport *tgtport,
			     struct nvmet_port *nport)
{
	unsigned long flags;

	mutex_lock(&nvmet_fc_tgtports_lock);
	spin_lock_irqsave(&tgtport->lock, flags);
	if (tgtport->nport == nport)
		tgtport->nport = NULL;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	mutex_unlock(&nvmet_fc_tgtports_lock);

	nvmet_fc_delete_assocs(tgtport, nport, NULL);
	nvmet_fc_tgtport_put(tgtport);
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
