// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports: local ports registered with nvme-fc, and nports, each the pair of
 * a remote port (registered with nvme-fc on a local port) and a target
 * port (registered with nvmet-fc) of one WWNN/WWPN.
 *
 * A side of an nport is taken away by clearing its pointer under
 * nport->lock (and, for the remote port, nport->ls_lock) before it is
 * unregistered, so no LS or command enters it afterwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <scsi/scsi_transport_fc.h>
#include <nvmet/compat-fc.h>

#include "fcloop.h"

unsigned int fcloop_add_port_delay_ms;
module_param_named(add_port_delay_ms, fcloop_add_port_delay_ms, uint, 0644);
MODULE_PARM_DESC(add_port_delay_ms,
		 "Delay in ms before a target port is registered (default 0)");

/* Serialises configuration; protects the lists and nport->lport. */
static DEFINE_MUTEX(fcloop_ctl_lock);
static LIST_HEAD(fcloop_lports);
static LIST_HEAD(fcloop_nports);

static void fcloop_localport_delete(struct nvme_fc_local_port *localport)
{
	struct fcloop_lport *lport =
		((struct fcloop_port_priv *)localport->private)->port;

	complete(&lport->unreg_done);
}

static void fcloop_nport_release(struct kref *ref)
{
	kfree(container_of(ref, struct fcloop_nport, ref));
}

/**
 * fcloop_nport_put() - drop a reference on an nport
 * @nport: the nport
 *
 * Context: Any context.
 */
void fcloop_nport_put(struct fcloop_nport *nport)
{
	kref_put(&nport->ref, fcloop_nport_release);
}

static void fcloop_remoteport_delete(struct nvme_fc_remote_port *remoteport)
{
	fcloop_nport_put(fcloop_rport_nport(remoteport));
}

static void fcloop_targetport_delete(struct nvmet_fc_target_port *tport)
{
	struct fcloop_nport *nport = fcloop_tport_nport(tport);

	complete(&nport->tport_done);
	fcloop_nport_put(nport);
}

static void fcloop_host_release(void *hosthandle)
{
}

/*
 * The target asks for an RSCN: as a fabric would deliver one, the host's
 * remote port of the same names is rescanned, which makes nvme-fc send
 * its FC_EVENT=nvmediscovery uevent.  That sleeps: nport->ls_lock, not
 * nport->lock, keeps the remote port registered meanwhile.  nvmet-fc may
 * call this for a port fcloop_add_target_port() has not tagged with its
 * nport yet; there is no host to tell then.
 */
static void fcloop_tgt_discovery_event(struct nvmet_fc_target_port *tport)
{
	struct fcloop_nport *nport =
		READ_ONCE(((struct fcloop_port_priv *)tport->private)->port);
	struct nvme_fc_remote_port *rport;

	if (!nport)
		return;
	mutex_lock(&nport->ls_lock);
	spin_lock_irq(&nport->lock);
	rport = nport->rport;
	spin_unlock_irq(&nport->lock);
	if (rport)
		nvme_fc_rescan_remoteport(rport);
	mutex_unlock(&nport->ls_lock);
}

/*
 * The host port's names for nvmet-fc (a template without host_traddr()
 * cannot ask): the host handle is the nport the host's LSs came through,
 * and its remote port, while registered, belongs to the host's local port.
 */
static int fcloop_host_traddr(void *hosthandle, u64 *wwnn, u64 *wwpn)
{
	struct fcloop_nport *nport = hosthandle;
	unsigned long flags;
	int ret = -ENODEV;

	spin_lock_irqsave(&nport->lock, flags);
	if (nport->rport) {
		*wwnn = nport->rport->localport->node_name;
		*wwpn = nport->rport->localport->port_name;
		ret = 0;
	}
	spin_unlock_irqrestore(&nport->lock, flags);
	return ret;
}

struct nvme_fc_port_template fcloop_host_template = {
	.localport_delete	= fcloop_localport_delete,
	.remoteport_delete	= fcloop_remoteport_delete,
	.ls_req			= fcloop_host_ls_req,
	.fcp_io			= fcloop_host_fcp_io,
	.ls_abort		= fcloop_host_ls_abort,
	.fcp_abort		= fcloop_host_fcp_abort,
	.xmt_ls_rsp		= fcloop_host_xmt_ls_rsp,
	.max_hw_queues		= FCLOOP_HW_QUEUES,
	.max_sgl_segments	= FCLOOP_SGL_SEGS,
	.max_dif_sgl_segments	= FCLOOP_SGL_SEGS,
	.dma_boundary		= FCLOOP_DMA_BOUNDARY,
	.local_priv_sz		= sizeof(struct fcloop_port_priv),
	.remote_priv_sz		= sizeof(struct fcloop_port_priv),
	.lsrqst_priv_sz		= sizeof(struct fcloop_ls),
	.fcprqst_priv_sz	= sizeof(struct fcloop_ini_req),
};

struct nvmet_fc_target_template fcloop_tgt_template = {
	.targetport_delete	= fcloop_targetport_delete,
	.xmt_ls_rsp		= fcloop_tgt_xmt_ls_rsp,
	.fcp_op			= fcloop_tgt_fcp_op,
	.fcp_abort		= fcloop_tgt_fcp_abort,
	.fcp_req_release	= fcloop_tgt_fcp_req_release,
	.ls_req			= fcloop_tgt_ls_req,
	.ls_abort		= fcloop_tgt_ls_abort,
	.host_release		= fcloop_host_release,
	.discovery_event	= fcloop_tgt_discovery_event,
	.max_hw_queues		= FCLOOP_HW_QUEUES,
	.max_sgl_segments	= FCLOOP_SGL_SEGS,
	.max_dif_sgl_segments	= FCLOOP_SGL_SEGS,
	.dma_boundary		= FCLOOP_DMA_BOUNDARY,
	.target_features	= NVMET_FCTGTFEAT_READDATA_RSP,
	.target_priv_sz		= sizeof(struct fcloop_port_priv),
	.lsrqst_priv_sz		= sizeof(struct fcloop_ls),
};

/* Completes the templates where the kernel has the members; before any use. */
void __init fcloop_templates_init(void)
{
	nvmet_fc_template_host_traddr(&fcloop_tgt_template, fcloop_host_traddr);
}

static struct fcloop_lport *fcloop_lport_find(u64 wwnn, u64 wwpn)
	__must_hold(&fcloop_ctl_lock)
{
	struct fcloop_lport *lport;

	lockdep_assert_held(&fcloop_ctl_lock);
	list_for_each_entry(lport, &fcloop_lports, entry) {
		if (lport->localport->node_name == wwnn &&
		    lport->localport->port_name == wwpn)
			return lport;
	}
	return NULL;
}

static struct fcloop_nport *fcloop_nport_find(u64 wwnn, u64 wwpn)
	__must_hold(&fcloop_ctl_lock)
{
	struct fcloop_nport *nport;

	lockdep_assert_held(&fcloop_ctl_lock);
	list_for_each_entry(nport, &fcloop_nports, entry) {
		if (nport->node_name == wwnn && nport->port_name == wwpn)
			return nport;
	}
	return NULL;
}

/* The nport of these names, created (and listed) if there is none. */
static struct fcloop_nport *fcloop_nport_get_or_create(u64 wwnn, u64 wwpn)
	__must_hold(&fcloop_ctl_lock)
{
	struct fcloop_nport *nport = fcloop_nport_find(wwnn, wwpn);

	if (nport)
		return nport;
	nport = kzalloc(sizeof(*nport), GFP_KERNEL);
	if (!nport)
		return NULL;
	kref_init(&nport->ref);		/* the list's */
	nport->node_name = wwnn;
	nport->port_name = wwpn;
	spin_lock_init(&nport->lock);
	mutex_init(&nport->ls_lock);
	init_completion(&nport->tport_done);
	list_add_tail(&nport->entry, &fcloop_nports);
	return nport;
}

/* Unlist @nport once neither side is left. */
static void fcloop_nport_maybe_unlist(struct fcloop_nport *nport)
	__must_hold(&fcloop_ctl_lock)
{
	lockdep_assert_held(&fcloop_ctl_lock);
	if (nport->rport || nport->tport)
		return;
	list_del(&nport->entry);
	fcloop_nport_put(nport);
}

/**
 * fcloop_add_local_port() - register a host-side local port
 * @wwnn: node name
 * @wwpn: port name
 * @roles: FC_PORT_ROLE_* bits, 0 for an NVMe initiator
 * @fcaddr: N_Port ID
 *
 * Context: Process context.
 * Return: 0, -EEXIST, or an error of nvme_fc_register_localport().
 */
int fcloop_add_local_port(u64 wwnn, u64 wwpn, u32 roles, u32 fcaddr)
{
	struct nvme_fc_port_info pinfo = {
		.node_name = wwnn,
		.port_name = wwpn,
		.port_role = roles ? roles : FC_PORT_ROLE_NVME_INITIATOR,
		.port_id = fcaddr,
	};
	struct nvme_fc_local_port *localport;
	struct fcloop_lport *lport;
	int ret;

	lport = kzalloc(sizeof(*lport), GFP_KERNEL);
	if (!lport)
		return -ENOMEM;
	init_completion(&lport->unreg_done);
	mutex_lock(&fcloop_ctl_lock);
	ret = -EEXIST;
	if (fcloop_lport_find(wwnn, wwpn))
		goto out_unlock;
	ret = nvme_fc_register_localport(&pinfo, &fcloop_host_template, NULL,
					 &localport);
	if (ret)
		goto out_unlock;
	((struct fcloop_port_priv *)localport->private)->port = lport;
	lport->localport = localport;
	list_add_tail(&lport->entry, &fcloop_lports);
	mutex_unlock(&fcloop_ctl_lock);
	return 0;

out_unlock:
	mutex_unlock(&fcloop_ctl_lock);
	kfree(lport);
	return ret;
}

static int fcloop_lport_unregister(struct fcloop_lport *lport)
{
	int ret;

	ret = nvme_fc_unregister_localport(lport->localport);
	if (ret)
		return ret;
	wait_for_completion(&lport->unreg_done);
	kfree(lport);
	return 0;
}

/**
 * fcloop_del_local_port() - unregister a local port
 * @wwnn: node name
 * @wwpn: port name
 *
 * Waits until nvme-fc is done with the port (its remote ports are gone).
 *
 * Context: Process context.
 * Return: 0, -ENOENT, -EBUSY while a remote port is on it, or an error of
 * nvme_fc_unregister_localport().
 */
int fcloop_del_local_port(u64 wwnn, u64 wwpn)
{
	struct fcloop_nport *nport;
	struct fcloop_lport *lport;

	mutex_lock(&fcloop_ctl_lock);
	lport = fcloop_lport_find(wwnn, wwpn);
	if (!lport) {
		mutex_unlock(&fcloop_ctl_lock);
		return -ENOENT;
	}
	list_for_each_entry(nport, &fcloop_nports, entry) {
		if (nport->rport && nport->lport == lport) {
			mutex_unlock(&fcloop_ctl_lock);
			return -EBUSY;
		}
	}
	list_del(&lport->entry);
	mutex_unlock(&fcloop_ctl_lock);
	return fcloop_lport_unregister(lport);
}

/**
 * fcloop_add_remote_port() - make a target port visible to a local port
 * @wwnn: node name of the target port
 * @wwpn: port name of the target port
 * @lpwwnn: node name of the local port
 * @lpwwpn: port name of the local port
 * @roles: FC_PORT_ROLE_* bits, 0 for NVMe target and discovery
 * @fcaddr: N_Port ID
 *
 * Context: Process context.
 * Return: 0, -ENOENT without such a local port, -EEXIST, -ENOMEM, or an
 * error of nvme_fc_register_remoteport().
 */
int fcloop_add_remote_port(u64 wwnn, u64 wwpn, u64 lpwwnn, u64 lpwwpn,
			   u32 roles, u32 fcaddr)
{
	struct nvme_fc_port_info pinfo = {
		.node_name = wwnn,
		.port_name = wwpn,
		.port_role = roles ? roles : FC_PORT_ROLE_NVME_TARGET |
					     FC_PORT_ROLE_NVME_DISCOVERY,
		.port_id = fcaddr,
	};
	struct nvme_fc_remote_port *rport;
	struct fcloop_nport *nport;
	struct fcloop_lport *lport;
	int ret;

	mutex_lock(&fcloop_ctl_lock);
	ret = -ENOENT;
	lport = fcloop_lport_find(lpwwnn, lpwwpn);
	if (!lport)
		goto out_unlock;
	ret = -ENOMEM;
	nport = fcloop_nport_get_or_create(wwnn, wwpn);
	if (!nport)
		goto out_unlock;
	ret = -EEXIST;
	if (nport->rport)
		goto out_unlock;
	ret = nvme_fc_register_remoteport(lport->localport, &pinfo, &rport);
	if (ret) {
		fcloop_nport_maybe_unlist(nport);
		goto out_unlock;
	}
	((struct fcloop_port_priv *)rport->private)->port = nport;
	kref_get(&nport->ref);		/* dropped by remoteport_delete() */
	nport->lport = lport;
	mutex_lock(&nport->ls_lock);
	spin_lock_irq(&nport->lock);
	nport->rport = rport;
	spin_unlock_irq(&nport->lock);
	mutex_unlock(&nport->ls_lock);
	ret = 0;
out_unlock:
	mutex_unlock(&fcloop_ctl_lock);
	return ret;
}

/* Take the remote port off @nport and unregister it. */
static void fcloop_rport_remove(struct fcloop_nport *nport)
	__must_hold(&fcloop_ctl_lock)
{
	struct nvme_fc_remote_port *rport;
	struct nvmet_fc_target_port *tport;

	mutex_lock(&nport->ls_lock);
	spin_lock_irq(&nport->lock);
	rport = nport->rport;
	nport->rport = NULL;
	tport = nport->tport;
	spin_unlock_irq(&nport->lock);
	mutex_unlock(&nport->ls_lock);
	if (!rport)
		return;
	/* The target must drop what the host had through this nport. */
	if (tport)
		nvmet_fc_invalidate_host(tport, nport);
	nvme_fc_unregister_remoteport(rport);
}

/**
 * fcloop_del_remote_port() - take a target port away from its local port
 * @wwnn: node name
 * @wwpn: port name
 *
 * Context: Process context.
 * Return: 0 or -ENOENT.
 */
int fcloop_del_remote_port(u64 wwnn, u64 wwpn)
{
	struct fcloop_nport *nport;
	int ret = -ENOENT;

	mutex_lock(&fcloop_ctl_lock);
	nport = fcloop_nport_find(wwnn, wwpn);
	if (nport && nport->rport) {
		fcloop_rport_remove(nport);
		fcloop_nport_maybe_unlist(nport);
		ret = 0;
	}
	mutex_unlock(&fcloop_ctl_lock);
	return ret;
}

/**
 * fcloop_add_target_port() - register a target port with nvmet-fc
 * @wwnn: node name
 * @wwpn: port name
 * @fcaddr: N_Port ID
 *
 * Sleeps add_port_delay_ms first, holding no lock, as a slow LLDD would.
 *
 * Context: Process context.
 * Return: 0, -EEXIST, -ENOMEM, or an error of
 * nvmet_fc_register_targetport().
 */
int fcloop_add_target_port(u64 wwnn, u64 wwpn, u32 fcaddr)
{
	struct nvmet_fc_port_info pinfo = {
		.node_name = wwnn,
		.port_name = wwpn,
		.port_id = fcaddr,
	};
	unsigned int delay = READ_ONCE(fcloop_add_port_delay_ms);
	struct nvmet_fc_target_port *tport;
	struct fcloop_nport *nport;
	int ret;

	if (delay)
		msleep(delay);
	mutex_lock(&fcloop_ctl_lock);
	ret = -ENOMEM;
	nport = fcloop_nport_get_or_create(wwnn, wwpn);
	if (!nport)
		goto out_unlock;
	ret = -EEXIST;
	if (nport->tport)
		goto out_unlock;
	ret = nvmet_fc_register_targetport(&pinfo, &fcloop_tgt_template, NULL,
					   &tport);
	if (ret) {
		fcloop_nport_maybe_unlist(nport);
		goto out_unlock;
	}
	kref_get(&nport->ref);		/* dropped by targetport_delete() */
	WRITE_ONCE(((struct fcloop_port_priv *)tport->private)->port, nport);
	reinit_completion(&nport->tport_done);
	spin_lock_irq(&nport->lock);
	nport->tport = tport;
	spin_unlock_irq(&nport->lock);
	ret = 0;
out_unlock:
	mutex_unlock(&fcloop_ctl_lock);
	return ret;
}

/* Take the target port off @nport, unregister it and wait until gone. */
static void fcloop_tport_remove(struct fcloop_nport *nport)
	__must_hold(&fcloop_ctl_lock)
{
	struct nvmet_fc_target_port *tport;

	spin_lock_irq(&nport->lock);
	tport = nport->tport;
	nport->tport = NULL;
	spin_unlock_irq(&nport->lock);
	if (!tport)
		return;
	nvmet_fc_unregister_targetport(tport);
	wait_for_completion(&nport->tport_done);
}

/**
 * fcloop_del_target_port() - unregister a target port
 * @wwnn: node name
 * @wwpn: port name
 *
 * Waits until nvmet-fc tore down the port's associations.
 *
 * Context: Process context.
 * Return: 0 or -ENOENT.
 */
int fcloop_del_target_port(u64 wwnn, u64 wwpn)
{
	struct fcloop_nport *nport;
	int ret = -ENOENT;

	mutex_lock(&fcloop_ctl_lock);
	nport = fcloop_nport_find(wwnn, wwpn);
	if (nport && nport->tport) {
		kref_get(&nport->ref);
		fcloop_tport_remove(nport);
		fcloop_nport_maybe_unlist(nport);
		fcloop_nport_put(nport);
		ret = 0;
	}
	mutex_unlock(&fcloop_ctl_lock);
	return ret;
}

/**
 * fcloop_del_all() - take every port away, at module exit
 *
 * Context: Process context.
 */
void fcloop_del_all(void)
{
	struct fcloop_nport *nport, *ntmp;
	struct fcloop_lport *lport, *ltmp;

	mutex_lock(&fcloop_ctl_lock);
	list_for_each_entry_safe(nport, ntmp, &fcloop_nports, entry) {
		kref_get(&nport->ref);
		fcloop_rport_remove(nport);
		fcloop_tport_remove(nport);
		fcloop_nport_maybe_unlist(nport);
		fcloop_nport_put(nport);
	}
	list_for_each_entry_safe(lport, ltmp, &fcloop_lports, entry) {
		list_del(&lport->entry);
		if (fcloop_lport_unregister(lport))
			pr_warn("local port 0x%016llx still busy\n",
				lport->localport->port_name);
	}
	mutex_unlock(&fcloop_ctl_lock);
}
