// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-fc: module init and exit, the fabric ops table, and the nvmet
 * ports: an enabled port of type fc is served by the registered target
 * port whose WWNN and WWPN its addr_traddr names, and by the next one of
 * those names after the LLDD unregistered it (tgtport.c).
 *
 * Conventions:
 * @nport: an nvmet port of type fc, its link_lock held by the core
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/string.h>

#include <nvmet/compat-fc.h>
#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-fc.h"

/* Runs LS handling and the commands' process-context steps. */
struct workqueue_struct *nvmet_fc_wq;

/* One "xn-[0x]<16 hex digits>" name of an FC address; returns its end. */
static const char *nvmet_fc_parse_name(const char *s, char kind, u64 *name)
{
	char hex[NVME_FC_TRADDR_HEXNAMELEN + 1];

	if (s[0] != kind || s[1] != 'n' || s[2] != '-')
		return NULL;
	s += NVME_FC_TRADDR_NNLEN;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strnlen(s, NVME_FC_TRADDR_HEXNAMELEN) < NVME_FC_TRADDR_HEXNAMELEN)
		return NULL;
	memcpy(hex, s, NVME_FC_TRADDR_HEXNAMELEN);
	hex[NVME_FC_TRADDR_HEXNAMELEN] = '\0';
	if (kstrtou64(hex, 16, name))
		return NULL;
	return s + NVME_FC_TRADDR_HEXNAMELEN;
}

/**
 * nvmet_fc_parse_traddr() - parse "nn-0x<16 hex>:pn-0x<16 hex>"
 * @traddr: the address, NUL-terminated; the "0x" prefixes are optional
 * @wwnn: where to return the node name
 * @wwpn: where to return the port name
 *
 * Context: Any context.
 * Return: 0 or -EINVAL.
 */
static int nvmet_fc_parse_traddr(const char *traddr, u64 *wwnn, u64 *wwpn)
{
	const char *s = nvmet_fc_parse_name(traddr, 'n', wwnn);

	if (!s || *s != ':')
		return -EINVAL;
	s = nvmet_fc_parse_name(s + 1, 'p', wwpn);
	if (!s || (*s && *s != '\n'))
		return -EINVAL;
	return 0;
}

/*
 * For benchmarks: an HBA whose firmware resets when a port is enabled
 * makes add_port() slow; this makes every add_port() that slow.
 */
static unsigned int add_port_delay_ms;
module_param(add_port_delay_ms, uint, 0644);
MODULE_PARM_DESC(add_port_delay_ms,
		 "testing: sleep this long in every port enable (default 0)");

static int nvmet_fc_add_port(struct nvmet_port *nport)
{
	u16 portid = le16_to_cpu(nport->disc_addr.portid);
	char traddr[NVMF_TRADDR_SIZE + 1];
	u64 wwnn, wwpn;
	u8 adrfam;
	int ret;

	mutex_lock(&nport->lock);
	adrfam = nport->disc_addr.adrfam;
	memcpy(traddr, nport->disc_addr.traddr, NVMF_TRADDR_SIZE);
	/* FC carries no in-capsule data. */
	nport->inline_data_size = 0;
	if (nport->max_queue_size < 0)
		nport->max_queue_size = NVMET_QUEUE_SIZE;
	mutex_unlock(&nport->lock);
	traddr[NVMF_TRADDR_SIZE] = '\0';

	if (adrfam != NVMF_ADDR_FAMILY_FC) {
		pr_err("port %u: address family %u is not fc\n", portid, adrfam);
		return -EINVAL;
	}
	if (nvmet_fc_parse_traddr(traddr, &wwnn, &wwpn)) {
		pr_err("port %u: malformed address '%s'\n", portid, traddr);
		return -EINVAL;
	}
	if (READ_ONCE(add_port_delay_ms))
		msleep_interruptible(READ_ONCE(add_port_delay_ms));
	ret = nvmet_fc_port_entry_add(nport, wwnn, wwpn);
	if (ret == -ENXIO)
		pr_err("port %u: no FC target port %s is registered\n",
		       portid, traddr);
	else if (ret == -EALREADY)
		pr_err("port %u: another port is enabled on FC target port %s\n",
		       portid, traddr);
	else if (!ret)
		pr_info("port %u: serving on FC target port %s\n", portid,
			traddr);
	return ret;
}

static void nvmet_fc_remove_port(struct nvmet_port *nport)
{
	nvmet_fc_port_entry_remove(nport);
}

/*
 * debugfs host_traddr: the host port's names, as in-tree prints them.  At
 * Connect, the association and its host handle live at least as long as
 * the command.
 */
static void nvmet_fc_host_traddr(struct nvmet_req *req, char *traddr,
				 size_t len)
{
	struct nvmet_fc_cmd *cmd = container_of(req, struct nvmet_fc_cmd, req);
	struct nvmet_fc_assoc *assoc = cmd->queue->assoc;
	u64 wwnn, wwpn;

	if (nvmet_fc_lldd_host_traddr(assoc->tgtport->ops,
				      assoc->hostref->handle, &wwnn, &wwpn))
		return;
	snprintf(traddr, len, "nn-0x%llx:pn-0x%llx", wwnn, wwpn);
}

const struct nvmet_fabric_ops nvmet_fc_fabric_ops = {
	.name		= "fc",
	.owner		= THIS_MODULE,
	.type		= NVMF_TRTYPE_FC,
	.msdbd		= 1,
	.add_port	= nvmet_fc_add_port,
	.remove_port	= nvmet_fc_remove_port,
	.queue_response	= nvmet_fc_queue_response,
	.delete_ctrl	= nvmet_fc_delete_ctrl,
	.install_queue	= nvmet_fc_install_queue,
	.host_traddr	= nvmet_fc_host_traddr,
	.disc_changed	= nvmet_fc_port_disc_changed,
};

static int __init nvmet_fc_init(void)
{
	int ret;

	/*
	 * Per-CPU at normal priority: the work runs on the CPU that received
	 * the command, as fcloop's host submission or an LLDD's interrupt,
	 * with no wake-up of another CPU, but not ahead of the submitter.
	 * With WQ_HIGHPRI each command ran as soon as it was queued, so at
	 * QD32 the host got its commands in one at a time; unbound, QD32 was
	 * fine but QD1 lost 15 % of its IOPS to waking a worker not bound to
	 * the submitter's CPU (27-fio-matrix; see Documentation/design.md,
	 * "nvmet-fc and nvme-fcloop").
	 */
	nvmet_fc_wq = alloc_workqueue("nvmet_fc_wq",
				      WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	if (!nvmet_fc_wq)
		return -ENOMEM;
	ret = nvmet_fc_assocs_init();
	if (ret)
		goto out_destroy_wq;
	ret = nvmet_register_fabric(&nvmet_fc_fabric_ops);
	if (ret)
		goto out_assocs_exit;
	return 0;

out_assocs_exit:
	nvmet_fc_assocs_exit();
out_destroy_wq:
	destroy_workqueue(nvmet_fc_wq);
	return ret;
}

static void __exit nvmet_fc_exit(void)
{
	nvmet_unregister_fabric(&nvmet_fc_fabric_ops);
	nvmet_fc_assocs_exit();
	/* Target port deletions queued by the last teardowns. */
	flush_workqueue(nvmet_fc_wq);
	destroy_workqueue(nvmet_fc_wq);
}

module_init(nvmet_fc_init);
module_exit(nvmet_fc_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe/FC transport");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvmet-transport-2"); /* NVMF_TRTYPE_FC */
