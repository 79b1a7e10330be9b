// SPDX-License-Identifier: GPL-2.0-only
/*
 * From configuration changes to controllers: asynchronous events
 * (namespace attribute changed, ANA change, discovery log change) and
 * controller teardown when a link or a port goes away.
 *
 * Every fan-out walks one subsystem's or one port's controllers through
 * their xarray under RCU, taking a reference on each before it leaves
 * RCU; nothing here holds a lock across controllers.
 */
#include <linux/export.h>
#include <linux/string.h>

#include "../core/core.h"
#include "ctrl.h"

static atomic64_t nvmet_ana_chgcnt_val;

/**
 * nvmet_ana_chgcnt() - the ANA change count the ANA log reports
 *
 * Return: the count.
 */
u64 nvmet_ana_chgcnt(void)
{
	return atomic64_read(&nvmet_ana_chgcnt_val);
}

/* Call @fn on every live controller of @xa, each held by a reference. */
static void nvmet_ctrls_for_each(struct xarray *xa, nvmet_ctrl_fn fn,
				 void *data)
{
	struct nvmet_ctrl *ctrl;
	unsigned long idx = 0;

	for (;;) {
		rcu_read_lock();
		do {
			ctrl = xa_find(xa, &idx, ULONG_MAX, XA_PRESENT);
			if (!ctrl || kref_get_unless_zero(&ctrl->ref))
				break;
			idx++;
		} while (1);
		rcu_read_unlock();
		if (!ctrl)
			return;
		fn(ctrl, data);
		nvmet_ctrl_put(ctrl);
		idx++;
	}
}

/**
 * nvmet_subsys_walk_ctrls() - call @fn on each live I/O controller of a
 *			       subsystem
 * @subsys: the subsystem
 * @fn: called with a reference held and no lock
 * @data: passed to @fn
 *
 * Context: Process context.
 */
void nvmet_subsys_walk_ctrls(struct nvmet_subsys *subsys, nvmet_ctrl_fn fn,
			     void *data)
{
	nvmet_ctrls_for_each(&subsys->ctrls, fn, data);
}

/* Raise an event unless masked; the log read that clears it unmasks. */
static void nvmet_ctrl_notice(struct nvmet_ctrl *ctrl, u32 cfg, int bit,
			      u8 info, u8 log_page)
	__must_hold(&ctrl->lock)
{
	lockdep_assert_held(&ctrl->lock);
	if (!(ctrl->aen_enabled & cfg))
		return;
	if (test_and_set_bit(bit, &ctrl->aen_masked))
		return;
	nvmet_ctrl_add_async_event(ctrl, NVME_AER_NOTICE, info, log_page);
}

static void nvmet_ctrl_ns_changed(struct nvmet_ctrl *ctrl, void *data)
{
	u32 nsid = *(u32 *)data;
	unsigned int i;

	mutex_lock(&ctrl->lock);
	for (i = 0; i < ctrl->nr_changed_ns; i++)
		if (ctrl->changed_ns[i] == nsid || ctrl->changed_ns[i] == U32_MAX)
			goto notice;
	if (ctrl->nr_changed_ns == NVMET_MAX_CHANGED_NS) {
		/*
		 * More than 1024 changed: the first entry all ones, the rest
		 * zeroes, says "rescan everything".
		 */
		ctrl->changed_ns[0] = U32_MAX;
		ctrl->nr_changed_ns = 1;
	} else {
		ctrl->changed_ns[ctrl->nr_changed_ns++] = nsid;
	}
notice:
	nvmet_ctrl_notice(ctrl, NVME_AEN_CFG_NS_ATTR, NVME_AEN_BIT_NS_ATTR,
			  NVME_AER_NOTICE_NS_CHANGED, NVME_LOG_CHANGED_NS);
	mutex_unlock(&ctrl->lock);
}

static void nvmet_ctrl_ns_changed_if_visible(struct nvmet_ctrl *ctrl,
					     void *data)
{
	struct nvmet_ns *ns = data;

	if (nvmet_ns_visible(ctrl, ns))
		nvmet_ctrl_ns_changed(ctrl, &ns->nsid);
}

/**
 * nvmet_ns_notify_changed() - a namespace appeared, went or changed size:
 *			       tell the controllers whose host sees it
 * @ns: the namespace
 *
 * Context: Process context.
 */
void nvmet_ns_notify_changed(struct nvmet_ns *ns)
{
	nvmet_ctrls_for_each(&ns->subsys->ctrls,
			     nvmet_ctrl_ns_changed_if_visible, ns);
}

/* What changed in a namespace's visibility: one host's link, or the flip */
struct nvmet_ns_vis_change {
	struct nvmet_ns *ns;
	const struct nvmet_host *host;
};

static void nvmet_ctrl_ns_vis_changed(struct nvmet_ctrl *ctrl, void *data)
{
	struct nvmet_ns_vis_change *c = data;

	/* Beyond the controller's MNAN, it never sees the namespace. */
	if (READ_ONCE(c->ns->slot) >= ctrl->mnan)
		return;
	if (c->host ? strcmp(ctrl->hostnqn, c->host->nqn) :
		      nvmet_ctrl_host_linked(ctrl, c->ns))
		return;
	nvmet_ctrl_ns_changed(ctrl, &c->ns->nsid);
}

/**
 * nvmet_ns_visibility_changed() - some hosts gained or lost a namespace
 * @ns: the namespace, enabled or not (a host learns the NSID is inactive)
 * @host: the host linked or unlinked: its controllers (by NQN) are told;
 *	  NULL after auto_visible changed: every controller whose host is not
 *	  linked is told
 *
 * Context: Process context; ns->vis_lock held (the order of two changes
 * is the order of their events).
 */
void nvmet_ns_visibility_changed(struct nvmet_ns *ns,
				 const struct nvmet_host *host)
{
	struct nvmet_ns_vis_change c = { .ns = ns, .host = host };

	lockdep_assert_held(&ns->vis_lock);
	nvmet_ctrls_for_each(&ns->subsys->ctrls, nvmet_ctrl_ns_vis_changed,
			     &c);
}

static void nvmet_ctrl_ana_changed(struct nvmet_ctrl *ctrl, void *data)
{
	struct nvmet_port *port = data;

	if (port && ctrl->port != port)
		return;
	mutex_lock(&ctrl->lock);
	nvmet_ctrl_notice(ctrl, NVME_AEN_CFG_ANA_CHANGE,
			  NVME_AEN_BIT_ANA_CHANGE, NVME_AER_NOTICE_ANA,
			  NVME_LOG_ANA);
	mutex_unlock(&ctrl->lock);
}

static void nvmet_port_subsys_ana(struct nvmet_port *port)
{
	struct nvmet_subsys *subsys;
	unsigned long idx = 0;

	for (;;) {
		rcu_read_lock();
		subsys = xa_find(&port->subsystems, &idx, ULONG_MAX,
				 XA_PRESENT);
		if (subsys && !kref_get_unless_zero(&subsys->ref))
			subsys = NULL;
		rcu_read_unlock();
		if (!subsys)
			return;
		nvmet_ctrls_for_each(&subsys->ctrls, nvmet_ctrl_ana_changed,
				     port);
		nvmet_subsys_put(subsys);
		idx++;
	}
}

/**
 * nvmet_port_ana_changed() - an ANA group of the port changed state, or
 *			      appeared, or went
 * @port: the port
 *
 * Context: Process context.
 */
void nvmet_port_ana_changed(struct nvmet_port *port)
{
	atomic64_inc(&nvmet_ana_chgcnt_val);
	nvmet_port_subsys_ana(port);
}

/**
 * nvmet_subsys_ana_changed() - a namespace of the subsystem moved to
 *				another ANA group
 * @subsys: the subsystem
 *
 * Context: Process context.
 */
void nvmet_subsys_ana_changed(struct nvmet_subsys *subsys)
{
	atomic64_inc(&nvmet_ana_chgcnt_val);
	nvmet_ctrls_for_each(&subsys->ctrls, nvmet_ctrl_ana_changed, NULL);
}

static void nvmet_ctrl_disc_changed(struct nvmet_ctrl *ctrl, void *data)
{
	struct nvmet_subsys *subsys = data;

	if (subsys && !nvmet_subsys_host_allowed(subsys, ctrl->hostnqn))
		return;
	mutex_lock(&ctrl->lock);
	nvmet_ctrl_notice(ctrl, NVME_AEN_CFG_DISC_CHANGE,
			  NVME_AEN_BIT_DISC_CHANGE,
			  NVME_AER_NOTICE_DISC_CHANGED, NVME_LOG_DISC);
	mutex_unlock(&ctrl->lock);
}

/**
 * nvmet_port_disc_aen() - tell the port's discovery controllers that
 *			   their log changed
 * @port: the port
 *
 * Context: Process context.
 */
void nvmet_port_disc_aen(struct nvmet_port *port)
{
	nvmet_ctrls_for_each(&port->disc_ctrls, nvmet_ctrl_disc_changed, NULL);
}

static void nvmet_port_subsys_acl(struct nvmet_port *port, void *data)
{
	struct nvmet_subsys *subsys = data;

	if (!xa_load(&port->subsystems, subsys->id))
		return;
	/* Who sees which entry changed: a new generation. */
	nvmet_port_disc_invalidate(port);
	nvmet_ctrls_for_each(&port->disc_ctrls, nvmet_ctrl_disc_changed,
			     subsys);
	nvmet_port_fabric_disc_changed(port);
}

/**
 * nvmet_subsys_disc_changed() - the subsystem's host ACL changed
 * @subsys: the subsystem
 *
 * Bumps the discovery generation of, and raises discovery log change
 * events on, the ports that offer the subsystem.
 *
 * Context: Process context.
 */
void nvmet_subsys_disc_changed(struct nvmet_subsys *subsys)
{
	nvmet_port_for_each(nvmet_port_subsys_acl, subsys);
}

static void nvmet_port_nqn_changed(struct nvmet_port *port, void *data)
{
	nvmet_port_disc_changed(port);
}

/**
 * nvmet_all_disc_changed() - the discovery NQN changed
 *
 * Context: Process context.
 */
void nvmet_all_disc_changed(void)
{
	nvmet_port_for_each(nvmet_port_nqn_changed, NULL);
}

static void nvmet_ctrl_delete_on_port(struct nvmet_ctrl *ctrl, void *data)
{
	if (!data || ctrl->port == data)
		nvmet_ctrl_delete(ctrl);
}

/**
 * nvmet_subsys_ctrls_delete() - tear down a subsystem's controllers
 * @subsys: the subsystem
 * @port: only those connected through this port, or NULL for all
 *
 * Context: Process context.
 */
void nvmet_subsys_ctrls_delete(struct nvmet_subsys *subsys,
			       struct nvmet_port *port)
{
	nvmet_ctrls_for_each(&subsys->ctrls, nvmet_ctrl_delete_on_port, port);
}

static void nvmet_ctrl_delete_if_refused(struct nvmet_ctrl *ctrl, void *data)
{
	struct nvmet_subsys *subsys = data;

	if (nvmet_subsys_host_allowed(subsys, ctrl->hostnqn))
		return;
	pr_info("nvmet: subsystem %s: host %*pE is no longer allowed, deleting its controller %u\n",
		subsys->nqn, (int)strlen(ctrl->hostnqn), ctrl->hostnqn,
		ctrl->cntlid);
	nvmet_ctrl_delete(ctrl);
}

/**
 * nvmet_subsys_acl_revoked() - end the controllers the host ACL now refuses
 * @subsys: the subsystem, whose ACL just narrowed (an allowed_hosts link
 *	    went, or attr_allow_any_host was cleared)
 *
 * In-tree leaves such controllers connected and able to do I/O.  A Connect
 * racing this either has its controller in @subsys->ctrls before the walk
 * below, which then finds it, or rechecks the ACL after its insert and
 * sees the change (nvmet_ctrl_still_offered()).
 *
 * Context: Process context; no lock held.
 */
void nvmet_subsys_acl_revoked(struct nvmet_subsys *subsys)
{
	/* The ACL store before the walk; pairs with nvmet_ctrl_still_offered() */
	smp_mb();
	nvmet_ctrls_for_each(&subsys->ctrls, nvmet_ctrl_delete_if_refused,
			     subsys);
}

static void nvmet_ctrl_delete_of_host(struct nvmet_ctrl *ctrl, void *data)
{
	const char *nqn = data;

	if (strcmp(ctrl->hostnqn, nqn))
		return;
	pr_info("nvmet: subsystem %s: host %*pE was removed, deleting its controller %u\n",
		ctrl->subsys->nqn, (int)strlen(nqn), nqn, ctrl->cntlid);
	nvmet_ctrl_delete(ctrl);
}

static void nvmet_subsys_host_removed(struct nvmet_subsys *subsys, void *data)
{
	nvmet_ctrls_for_each(&subsys->ctrls, nvmet_ctrl_delete_of_host, data);
}

/**
 * nvmet_host_ctrls_delete() - end a removed host's controllers
 * @nqn: the host's NQN, already unpublished (nvmet_host_remove())
 *
 * Every I/O controller of that host NQN goes, also on subsystems that
 * allow any host: the host's DH-HMAC-CHAP keys went with it.  In-tree
 * leaves them connected.
 *
 * Context: Process context; no lock held.
 */
void nvmet_host_ctrls_delete(const char *nqn)
{
	/*
	 * The unpublish before the walk: a Connect whose controller the walk
	 * misses looks the host up after its insert and barrier
	 * (nvmet_ctrl_still_offered()) and finds no keys, as a new one would.
	 */
	smp_mb();
	nvmet_subsys_for_each(nvmet_subsys_host_removed, (void *)nqn);
}

/**
 * nvmet_port_ctrls_delete() - tear down the port's discovery controllers
 * @port: the port, being disabled
 *
 * Context: Process context.
 */
void nvmet_port_ctrls_delete(struct nvmet_port *port)
{
	nvmet_ctrls_for_each(&port->disc_ctrls, nvmet_ctrl_delete_on_port,
			     NULL);
}
