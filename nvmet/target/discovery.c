// SPDX-License-Identifier: GPL-2.0-only
/*
 * The discovery controller and the discovery log.
 *
 * Each port keeps its discovery log entries in a cache (port->disc_log)
 * that is built on the first read after a change and dropped by the
 * change (nvmet_port_disc_changed()), which also bumps the port's
 * generation counter.  A read takes no mutex when the cache is warm: it
 * copies, under RCU, the entries this host may see (an ACL check per
 * subsystem entry, itself a lock-free lookup).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <generated/utsrelease.h>

#include <nvmet/fabric.h>
#include "../core/core.h"
#include "ctrl.h"

/**
 * struct nvmet_disc_entry - a cached discovery log entry
 * @subsys_id: for an NVM subsystem entry, the key in port->subsystems
 * @is_subsys: the entry is an NVM subsystem (filtered by the host ACL)
 * @local: the entry describes this port (its traddr may be substituted)
 * @e: the entry as the host reads it
 */
struct nvmet_disc_entry {
	u32 subsys_id;
	bool is_subsys;
	bool local;
	struct nvmf_disc_rsp_page_entry e;
};

/**
 * struct nvmet_disc_log - a port's discovery log entries
 * @rcu: frees the cache after readers are gone
 * @genctr: the generation the entries belong to
 * @nr: number of entries
 * @entries: the entries
 */
struct nvmet_disc_log {
	struct rcu_head rcu;
	u64 genctr;
	unsigned int nr;
	struct nvmet_disc_entry entries[];
};

static char nvmet_disc_serial[NVMET_SN_MAX_SIZE + 1];

/**
 * nvmet_discovery_init() - set up the discovery controller's identity
 */
void nvmet_discovery_init(void)
{
	snprintf(nvmet_disc_serial, sizeof(nvmet_disc_serial), "%08x%08x",
		 get_random_u32(), get_random_u32());
}

static void nvmet_disc_fill(struct nvmf_disc_rsp_page_entry *e,
			    const struct nvmf_disc_rsp_page_entry *addr,
			    u8 subtype, const char *nqn)
{
	e->trtype = addr->trtype;
	e->adrfam = addr->adrfam;
	e->treq = addr->treq;
	e->portid = addr->portid;
	e->cntlid = cpu_to_le16(NVME_CNTLID_DYNAMIC);
	e->asqsz = cpu_to_le16(NVMET_AQ_DEPTH);
	e->subtype = subtype;
	memcpy(e->trsvcid, addr->trsvcid, NVMF_TRSVCID_SIZE);
	memcpy(e->traddr, addr->traddr, NVMF_TRADDR_SIZE);
	memcpy(e->tsas.common, addr->tsas.common, NVMF_TSAS_SIZE);
	strscpy(e->subnqn, nqn, NVMF_NQN_SIZE);
}

static unsigned int nvmet_disc_count(struct nvmet_port *port)
{
	struct nvmet_referral *ref;
	struct nvmet_subsys *subsys;
	unsigned long idx;
	unsigned int n = 1;

	xa_for_each(&port->subsystems, idx, subsys)
		n++;
	xa_for_each(&port->referrals, idx, ref)
		n++;
	return n;
}

/* Build the cache; port->disc_lock held, so no change runs meanwhile. */
static struct nvmet_disc_log *nvmet_disc_build(struct nvmet_port *port)
	__must_hold(&port->disc_lock)
{
	char nqn[NVMF_NQN_SIZE];
	struct nvmet_disc_log *log;
	struct nvmet_referral *ref;
	struct nvmet_subsys *subsys;
	struct nvmet_disc_entry *d;
	unsigned long idx;
	unsigned int max;

	lockdep_assert_held(&port->disc_lock);
	/*
	 * Links and referrals may change meanwhile; every change drops the
	 * cache after it is made, so a log missing it is replaced.
	 */
	max = nvmet_disc_count(port);
	log = kvzalloc(struct_size(log, entries, max), GFP_KERNEL);
	if (!log)
		return NULL;
	log->genctr = atomic64_read(&port->genctr);
	nvmet_disc_nqn_copy(nqn, sizeof(nqn));

	mutex_lock(&port->lock);
	d = &log->entries[log->nr++];
	d->local = true;
	nvmet_disc_fill(&d->e, &port->disc_addr, NVME_NQN_CURR, nqn);
	rcu_read_lock();
	xa_for_each(&port->subsystems, idx, subsys) {
		if (log->nr == max)
			break;
		d = &log->entries[log->nr++];
		d->is_subsys = true;
		d->local = true;
		d->subsys_id = idx;
		nvmet_disc_fill(&d->e, &port->disc_addr, NVME_NQN_NVME,
				subsys->nqn);
	}
	xa_for_each(&port->referrals, idx, ref) {
		if (!ref->enabled || log->nr == max)
			continue;
		d = &log->entries[log->nr++];
		nvmet_disc_fill(&d->e, &ref->disc_addr, NVME_NQN_DISC,
				NVMET_DISC_NQN);
	}
	rcu_read_unlock();
	mutex_unlock(&port->lock);
	return log;
}

/**
 * nvmet_port_disc_invalidate() - start a new discovery log generation
 * @port: the port
 *
 * Bumps the port's generation counter and drops its cached log under the
 * same lock, so a cache always carries the generation it was built in.
 *
 * Context: Process context; takes port->disc_lock.
 */
void nvmet_port_disc_invalidate(struct nvmet_port *port)
{
	struct nvmet_disc_log *old;

	mutex_lock(&port->disc_lock);
	atomic64_inc(&port->genctr);
	old = rcu_replace_pointer(port->disc_log, NULL,
				  lockdep_is_held(&port->disc_lock));
	mutex_unlock(&port->disc_lock);
	if (old)
		kvfree_rcu_mightsleep(old);
}

/**
 * nvmet_port_fabric_disc_changed() - tell the port's fabric its discovery
 *				      log changed
 * @port: the port, referenced by the caller
 *
 * The fabric's module is pinned across the call, as the port may be
 * disabled meanwhile: the ops table stays, and the fabric checks whether
 * it still serves @port.
 *
 * Context: Process context; may sleep in the fabric.
 */
void nvmet_port_fabric_disc_changed(struct nvmet_port *port)
{
	const struct nvmet_fabric_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	if (ops && (!ops->disc_changed || !try_module_get(ops->owner)))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return;
	ops->disc_changed(port);
	module_put(ops->owner);
}

/**
 * nvmet_port_disc_changed() - the port's discovery log content changed
 * @port: the port
 *
 * Starts a new generation, raises a discovery log change event on the
 * port's discovery controllers, and tells the fabric (an FC RSCN).
 *
 * Context: Process context; takes port->disc_lock.
 */
void nvmet_port_disc_changed(struct nvmet_port *port)
{
	nvmet_port_disc_invalidate(port);
	nvmet_port_disc_aen(port);
	nvmet_port_fabric_disc_changed(port);
}
EXPORT_SYMBOL_GPL(nvmet_port_disc_changed);

/**
 * nvmet_disc_log_free() - free a port's cached discovery log
 * @port: the port, being released
 */
void nvmet_disc_log_free(struct nvmet_port *port)
{
	kvfree(rcu_dereference_protected(port->disc_log, true));
	RCU_INIT_POINTER(port->disc_log, NULL);
}

/* Make sure a log is cached; returns false on allocation failure. */
static bool nvmet_disc_ensure(struct nvmet_port *port)
{
	struct nvmet_disc_log *log;

	if (rcu_access_pointer(port->disc_log))
		return true;
	mutex_lock(&port->disc_lock);
	if (!rcu_access_pointer(port->disc_log)) {
		log = nvmet_disc_build(port);
		rcu_assign_pointer(port->disc_log, log);
	}
	mutex_unlock(&port->disc_lock);
	return rcu_access_pointer(port->disc_log);
}

static void *nvmet_disc_render(struct nvmet_req *req, size_t *lenp)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_port *port = req->port;
	char traddr[NVMF_TRADDR_SIZE];
	struct nvmet_subsys *subsys;
	struct nvmet_disc_log *log;
	unsigned int i, n, nr, cap = 0;
	struct nvmf_disc_rsp_page_hdr *hdr;
	bool subst = false;
	void *buf = NULL;

	if (port->disc_addr.traddr[0] && ctrl->ops->disc_traddr) {
		ctrl->ops->disc_traddr(req, port, traddr);
		subst = true;
	}
	/* Size the buffer outside RCU, then fill it from the cache. */
	for (;;) {
		if (!nvmet_disc_ensure(port))
			goto fail;
		rcu_read_lock();
		log = rcu_dereference(port->disc_log);
		if (log && log->nr <= cap)
			break;
		nr = log ? log->nr : 0;
		rcu_read_unlock();
		if (nr > cap) {
			kvfree(buf);
			cap = nr;
			buf = kvzalloc(sizeof(*hdr) + cap * sizeof(hdr->entries[0]),
				       GFP_KERNEL);
			if (!buf)
				return NULL;
		}
	}
	hdr = buf;
	n = 0;
	for (i = 0; i < log->nr; i++) {
		const struct nvmet_disc_entry *d = &log->entries[i];

		if (d->is_subsys) {
			subsys = xa_load(&port->subsystems, d->subsys_id);
			if (!subsys ||
			    !nvmet_subsys_host_allowed(subsys, ctrl->hostnqn))
				continue;
		}
		hdr->entries[n] = d->e;
		if (d->local && subst)
			memcpy(hdr->entries[n].traddr, traddr,
			       NVMF_TRADDR_SIZE);
		n++;
	}
	hdr->genctr = cpu_to_le64(log->genctr);
	rcu_read_unlock();
	hdr->numrec = cpu_to_le64(n);
	hdr->recfmt = 0;
	*lenp = sizeof(*hdr) + n * sizeof(hdr->entries[0]);
	return buf;
fail:
	kvfree(buf);
	return NULL;
}

static void nvmet_execute_disc_get_log_page(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	size_t len;
	u16 status;
	void *buf;

	if (!nvmet_check_transfer_len(req, req->data_len))
		return;
	if (req->cmd->get_log_page.lid != NVME_LOG_DISC) {
		req->error_loc = offsetof(struct nvme_get_log_page_command,
					  lid);
		nvmet_req_complete(req, NVME_SC_INVALID_FIELD |
				   NVME_STATUS_DNR);
		return;
	}
	buf = nvmet_disc_render(req, &len);
	if (!buf) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	status = nvmet_copy_log(req, buf, len);
	kvfree(buf);
	if (!(req->cmd->get_log_page.lsp & 0x80)) {
		mutex_lock(&ctrl->lock);
		clear_bit(NVME_AEN_BIT_DISC_CHANGE, &ctrl->aen_masked);
		mutex_unlock(&ctrl->lock);
	}
	nvmet_req_complete(req, status);
}

static u16 nvmet_fill_disc_id_ctrl(struct nvmet_req *req, void *buf)
{
	struct nvme_id_ctrl *id = buf;
	char nqn[NVMF_NQN_SIZE];

	if (req->cmd->identify.cns != NVME_ID_CNS_CTRL) {
		req->error_loc = offsetof(struct nvme_identify, cns);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	nvmet_id_ctrl_common(req, id);
	memcpy_and_pad(id->sn, sizeof(id->sn), nvmet_disc_serial,
		       strlen(nvmet_disc_serial), ' ');
	memcpy_and_pad(id->mn, sizeof(id->mn), NVMET_DEFAULT_MODEL,
		       strlen(NVMET_DEFAULT_MODEL), ' ');
	memcpy_and_pad(id->fr, sizeof(id->fr), UTS_RELEASE,
		       strlen(UTS_RELEASE), ' ');
	id->ver = cpu_to_le32(NVMET_DEFAULT_VS);
	id->cntrltype = NVME_CTRL_DISC;
	id->lpa = 1 << 2;
	id->oaes = cpu_to_le32(NVME_AEN_CFG_DISC_CHANGE);
	nvmet_disc_nqn_copy(nqn, sizeof(nqn));
	strscpy(id->subnqn, nqn, sizeof(id->subnqn));
	return 0;
}

static void nvmet_execute_disc_identify(struct nvmet_req *req)
{
	if (nvmet_check_transfer_len(req, NVME_IDENTIFY_DATA_SIZE))
		nvmet_send_identify(req, nvmet_fill_disc_id_ctrl);
}

static void nvmet_execute_disc_set_features(struct nvmet_req *req)
{
	u32 fid = le32_to_cpu(req->cmd->common.cdw10) & 0xff;
	u16 status;

	if (!nvmet_check_data_len_lte(req, 0))
		return;
	switch (fid) {
	case NVME_FEAT_KATO:
		status = nvmet_set_feat_kato(req);
		break;
	case NVME_FEAT_ASYNC_EVENT:
		status = nvmet_set_feat_async_event(req,
						    NVME_AEN_CFG_DISC_CHANGE);
		break;
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	}
	nvmet_req_complete(req, status);
}

static void nvmet_execute_disc_get_features(struct nvmet_req *req)
{
	u32 fid = le32_to_cpu(req->cmd->common.cdw10) & 0xff;
	u16 status = 0;

	if (!nvmet_check_data_len_lte(req, 0))
		return;
	switch (fid) {
	case NVME_FEAT_KATO:
		nvmet_get_feat_kato(req);
		break;
	case NVME_FEAT_ASYNC_EVENT:
		nvmet_get_feat_async_event(req);
		break;
	default:
		req->error_loc = offsetof(struct nvme_common_command, cdw10);
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	}
	nvmet_req_complete(req, status);
}

static const struct nvmet_cmd_handler nvmet_disc_cmds[] = {
	{ nvme_admin_get_log_page, NVMET_LEN_LOG,
	  nvmet_execute_disc_get_log_page },
	{ nvme_admin_identify, NVME_IDENTIFY_DATA_SIZE,
	  nvmet_execute_disc_identify },
	{ nvme_admin_set_features, 0, nvmet_execute_disc_set_features },
	{ nvme_admin_get_features, 0, nvmet_execute_disc_get_features },
	{ nvme_admin_async_event, 0, nvmet_execute_async_event },
	{ nvme_admin_keep_alive, 0, nvmet_execute_keep_alive },
};

/**
 * nvmet_parse_discovery_cmd() - pick the handler of a discovery
 *				 controller's admin command
 * @req: the request
 *
 * Context: Process context.
 * Return: 0 or an NVMe status.
 */
u16 nvmet_parse_discovery_cmd(struct nvmet_req *req)
{
	u16 status;

	status = nvmet_check_ctrl_ready(req);
	if (status)
		return status;
	return nvmet_dispatch(req, nvmet_disc_cmds,
			      ARRAY_SIZE(nvmet_disc_cmds));
}
