// SPDX-License-Identifier: GPL-2.0-only
/*
 * The discovery controller and the discovery log.
 *
 * Each port keeps its discovery log entries in a cache (port->disc_log)
 * that is built on the first read after a change and dropped by the
 * change (nvmet_port_disc_changed()), which also bumps the port's
 * generation counter.  Each discovery controller keeps a view of that
 * log (ctrl->disc_view): a bitmap of the entries its host may see, made
 * on its first read of a generation (an ACL check per subsystem entry,
 * each a lock-free lookup).  A read takes no mutex when both are warm: it
 * copies, under RCU, only the entries in the window the host asked for.
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

/**
 * struct nvmet_disc_view - the entries of a port's discovery log one host
 *			    may see
 * @rcu: frees a view replaced while a read may still use it
 * @genctr: the log generation it was made for
 * @nr: the number of entries of that log
 * @numrec: the number of bits set in @vis
 * @vis: bit i set: the host may see the log's entry i
 */
struct nvmet_disc_view {
	struct rcu_head rcu;
	u64 genctr;
	unsigned int nr;
	unsigned int numrec;
	unsigned long vis[];
};

/* The host's ACL checks against @log, one per subsystem entry. */
static void nvmet_disc_view_fill(struct nvmet_disc_view *v,
				 const struct nvmet_disc_log *log,
				 struct nvmet_port *port, const char *hostnqn)
{
	const struct nvmet_disc_entry *d;
	struct nvmet_subsys *subsys;
	unsigned int i;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "disc view without RCU");
	v->genctr = log->genctr;
	v->nr = log->nr;
	for (i = 0; i < log->nr; i++) {
		d = &log->entries[i];
		if (d->is_subsys) {
			subsys = xa_load(&port->subsystems, d->subsys_id);
			if (!subsys ||
			    !nvmet_subsys_host_allowed(subsys, hostnqn))
				continue;
		}
		__set_bit(i, v->vis);
		v->numrec++;
	}
}

/*
 * The port's log and this controller's view of it, both current, under
 * RCU (held on success).  A view of another generation is made anew and
 * replaces it: the first read after a change pays one ACL check per
 * subsystem on the port, the next reads none.
 */
static const struct nvmet_disc_log *
nvmet_disc_view_get(struct nvmet_ctrl *ctrl,
		    const struct nvmet_disc_view **vp)
{
	struct nvmet_port *port = ctrl->port;
	struct nvmet_disc_view *v, *old;
	struct nvmet_disc_log *log;
	unsigned int nr;

	for (;;) {
		if (!nvmet_disc_ensure(port))
			return NULL;
		rcu_read_lock();
		log = rcu_dereference(port->disc_log);
		v = rcu_dereference(ctrl->disc_view);
		if (log && v && v->genctr == log->genctr && v->nr == log->nr)
			break;
		nr = log ? log->nr : 0;
		rcu_read_unlock();
		if (!nr)
			continue;
		v = kvzalloc(struct_size(v, vis, BITS_TO_LONGS(nr)),
			     GFP_KERNEL);
		if (!v)
			return NULL;
		rcu_read_lock();
		log = rcu_dereference(port->disc_log);
		if (log && log->nr == nr) {
			nvmet_disc_view_fill(v, log, port, ctrl->hostnqn);
			old = unrcu_pointer(xchg(&ctrl->disc_view,
						 RCU_INITIALIZER(v)));
			if (old)
				kvfree_rcu(old, rcu);
			break;
		}
		rcu_read_unlock();
		kvfree(v);
	}
	*vp = v;
	return log;
}

/* Index of the (@n + 1)th entry @v lets its host see; @n < v->numrec. */
static unsigned int nvmet_disc_nth(const struct nvmet_disc_view *v,
				   unsigned int n)
{
	unsigned int w, c, i;

	for (w = 0; w < BITS_TO_LONGS(v->nr); w++) {
		c = hweight_long(v->vis[w]);
		if (n < c)
			break;
		n -= c;
	}
	i = find_next_bit(v->vis, v->nr, w * BITS_PER_LONG);
	while (n--)
		i = find_next_bit(v->vis, v->nr, i + 1);
	return i;
}

/* Copy what of @n bytes at log offset @pos falls in the window @buf. */
static void nvmet_disc_put(void *buf, u64 off, size_t len, u64 pos,
			   const void *src, size_t n)
{
	u64 s = max(off, pos), e = min(off + len, pos + n);

	if (s < e)
		memcpy(buf + (s - off), src + (s - pos), e - s);
}

/*
 * Render the @len bytes at @off of the log this host reads (the header,
 * then one entry per subsystem it may see, the port itself and the
 * enabled referrals) into @buf, zeroed: only the entries in the window
 * are copied, so a read costs its own length, not the port's whole log.
 */
static u16 nvmet_disc_render(struct nvmet_req *req, void *buf, u64 off,
			     size_t len)
{
	const size_t esz = sizeof(struct nvmf_disc_rsp_page_entry);
	const size_t hsz = sizeof(struct nvmf_disc_rsp_page_hdr);
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	struct nvmet_port *port = req->port;
	const struct nvmet_disc_view *v;
	const struct nvmet_disc_log *log;
	char traddr[NVMF_TRADDR_SIZE];
	unsigned int j, j1, i;
	bool subst = false;
	__le64 val;
	u64 pos;

	if (port->disc_addr.traddr[0] && ctrl->ops->disc_traddr) {
		ctrl->ops->disc_traddr(req, port, traddr);
		subst = true;
	}
	log = nvmet_disc_view_get(ctrl, &v);
	if (!log)
		return NVME_SC_INTERNAL;
	if (off & 3 || off > hsz + (u64)v->numrec * esz) {
		rcu_read_unlock();
		req->error_loc = offsetof(struct nvme_get_log_page_command,
					  lpo);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	val = cpu_to_le64(log->genctr);
	nvmet_disc_put(buf, off, len,
		       offsetof(struct nvmf_disc_rsp_page_hdr, genctr),
		       &val, sizeof(val));
	val = cpu_to_le64(v->numrec);
	nvmet_disc_put(buf, off, len,
		       offsetof(struct nvmf_disc_rsp_page_hdr, numrec),
		       &val, sizeof(val));
	/* recfmt 0, and the reserved bytes, are the buffer's zeroes */
	if (off + len > hsz && v->numrec) {
		j = off > hsz ? div_u64(off - hsz, esz) : 0;
		j1 = min_t(u64, v->numrec, div_u64(off + len - hsz + esz - 1,
						   esz));
		i = j < j1 ? nvmet_disc_nth(v, j) : 0;
		for (; j < j1; j++, i = find_next_bit(v->vis, v->nr, i + 1)) {
			const struct nvmet_disc_entry *d = &log->entries[i];

			pos = hsz + (u64)j * esz;
			nvmet_disc_put(buf, off, len, pos, &d->e, esz);
			if (d->local && subst)
				nvmet_disc_put(buf, off, len, pos +
					       offsetof(struct nvmf_disc_rsp_page_entry,
							traddr),
					       traddr, NVMF_TRADDR_SIZE);
		}
	}
	rcu_read_unlock();
	return 0;
}

static void nvmet_execute_disc_get_log_page(struct nvmet_req *req)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
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
	/* the host's length, within MDTS, as any log page */
	buf = kvzalloc(req->data_len, GFP_KERNEL | __GFP_NOWARN);
	if (!buf) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	status = nvmet_disc_render(req, buf,
				   nvmet_get_log_page_offset(req->cmd),
				   req->data_len);
	if (!status)
		status = nvmet_copy_to_sgl(req, 0, buf, req->data_len);
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
