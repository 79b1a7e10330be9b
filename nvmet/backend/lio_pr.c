// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-lio: one SCSI I_T nexus per NVMe host, and NVMe reservations on
 * the backstore's SPC-3 persistent reservations.
 *
 * target-core keeps a backstore's persistent reservations per I_T nexus:
 * the initiator's node ACL (by name) on a portal group.  So the commands
 * of each NVMe host go through a session of their own on the namespace's
 * portal group, whose initiator name is NVMET_LIO_HOST_PREFIX and the
 * host identifier (the 128-bit Host Identifier of Connect, which the
 * core's own reservations key registrants by too): every controller of a
 * host is one registrant, and SCSI initiators (tcm_loop, iSCSI) see it as
 * one more I_T nexus.  The portal group's protocol is iSCSI, whose
 * TransportID is the name itself, so a READ FULL STATUS carries the whole
 * host identifier back.  A session comes with its host's first command on
 * the namespace and goes at disable; the dynamic ACL, and with it the
 * host's registration, stays in the portal group (demo_mode_cache).
 *
 * Reservation Register, Acquire, Release and Report run on a work queue
 * of the module's, each as PERSISTENT RESERVE OUT or IN commands on the
 * host's session that the work waits for (nvmet_lio_run()); target-core
 * checks every other command of the session against the reservation and
 * answers RESERVATION CONFLICT, which lio.c maps to Reservation Conflict.
 * What another nexus did to the host's registration or reservation
 * target-core tells the host's session as a UNIT ATTENTION on its next
 * command on the LUN, these commands too: lio.c makes it a Reservation
 * Notification log entry of the host's controllers (nvmet_lio_ua_notify()).
 *
 * Conventions:
 * @hosts: the sessions of an enabled lio namespace
 * @req: a reservation command on an enabled lio namespace whose backstore
 *	 keeps reservations
 */
#include <linux/dma-direction.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <scsi/scsi_proto.h>
#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

#include <nvmet/backend.h>
#include <nvmet/compat-lib.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "lio.h"

/* PERSISTENT RESERVE OUT service actions (SPC-4 6.16.2) */
#define NVMET_LIO_PRO_REGISTER		0x00
#define NVMET_LIO_PRO_RESERVE		0x01
#define NVMET_LIO_PRO_RELEASE		0x02
#define NVMET_LIO_PRO_CLEAR		0x03
#define NVMET_LIO_PRO_PREEMPT		0x04
#define NVMET_LIO_PRO_PREEMPT_ABORT	0x05
#define NVMET_LIO_PRO_REGISTER_IGNORE	0x06
/* its parameter list: keys, then byte 20's APTPL bit */
#define NVMET_LIO_PRO_LEN		24
#define NVMET_LIO_PRO_APTPL		0x01
/* PERSISTENT RESERVE IN service actions (SPC-4 6.15.1) */
#define NVMET_LIO_PRI_CAPS		0x02
#define NVMET_LIO_PRI_FULL		0x03
#define NVMET_LIO_PRI_CAPS_LEN		8
#define NVMET_LIO_PRI_PTPL_A		0x01	/* byte 3 */
/*
 * READ FULL STATUS: what one command returns (its ALLOCATION LENGTH is
 * 16 bits); a descriptor is 24 bytes and a TransportID of 24 or more.
 */
#define NVMET_LIO_PRI_FULL_LEN		65532
#define NVMET_LIO_PRI_HDR		8
#define NVMET_LIO_PRI_DESC		24
#define NVMET_LIO_CDB_LEN		10

/* Reservation Register, Acquire, Release: CDW10 (Base 2.1, 7.6-7.8) */
#define NVMET_LIO_REG_REGISTER		0
#define NVMET_LIO_REG_UNREGISTER	1
#define NVMET_LIO_REG_REPLACE		2
#define NVMET_LIO_CPTPL_CLEAR		2
#define NVMET_LIO_CPTPL_SET		3
#define NVMET_LIO_ACQ_PREEMPT_ABORT	2
#define NVMET_LIO_REL_CLEAR		1
#define NVMET_LIO_IEKEY			BIT(3)
#define NVMET_LIO_REPORT_EDS		BIT(0)	/* Report, CDW11 */
/* Reservation Status Extended Data Structure: header, registrants */
#define NVMET_LIO_RS_HDR		64
#define NVMET_LIO_RS_REG		64

/*
 * NVMe reservation types 1 to 6 (Write Exclusive, Exclusive Access, each
 * for registrants only, each for all registrants) are SCSI's 1, 3, 5, 6,
 * 7 and 8, in the same order.
 */
static const u8 nvmet_lio_scsi_type[] = { 0, 1, 3, 5, 6, 7, 8 };

static struct workqueue_struct *nvmet_lio_pr_wq;

/**
 * struct nvmet_lio_host - an NVMe host's session on a namespace
 * @entry: on hosts->list
 * @rcu: frees it after RCU readers are gone
 * @hostid: the host identifier (I)
 * @sess: the session, named after @hostid (I)
 */
struct nvmet_lio_host {
	struct list_head entry;
	struct rcu_head rcu;
	uuid_t hostid;
	struct se_session *sess;
};

/* ---- one session per host ---- */

void nvmet_lio_hosts_init(struct nvmet_lio_hosts *hosts)
{
	mutex_init(&hosts->lock);
	INIT_LIST_HEAD(&hosts->list);
}

/* Stop each session, wait for its SCSI commands, remove it. */
void nvmet_lio_hosts_free(struct nvmet_lio_hosts *hosts)
{
	struct nvmet_lio_host *h, *tmp;

	mutex_lock(&hosts->lock);
	list_for_each_entry_safe(h, tmp, &hosts->list, entry) {
		list_del_rcu(&h->entry);
		target_stop_session(h->sess);
		target_wait_for_sess_cmds(h->sess);
		target_remove_session(h->sess);
		kfree_rcu(h, rcu);
	}
	mutex_unlock(&hosts->lock);
	mutex_destroy(&hosts->lock);
}

static struct se_session *nvmet_lio_host_find(struct nvmet_lio_hosts *hosts,
					      const uuid_t *hostid)
{
	struct se_session *sess = NULL;
	struct nvmet_lio_host *h;

	rcu_read_lock();
	list_for_each_entry_rcu(h, &hosts->list, entry) {
		if (uuid_equal(&h->hostid, hostid)) {
			sess = h->sess;
			break;
		}
	}
	rcu_read_unlock();
	return sess;
}

/* The first command of a host on the namespace: its session. */
static struct se_session *nvmet_lio_host_add(struct nvmet_lio_hosts *hosts,
					     struct se_portal_group *se_tpg,
					     const uuid_t *hostid)
{
	char name[sizeof(NVMET_LIO_HOST_PREFIX) + UUID_STRING_LEN];
	struct se_session *sess;
	struct nvmet_lio_host *h;

	mutex_lock(&hosts->lock);
	sess = nvmet_lio_host_find(hosts, hostid);
	if (sess)
		goto out_unlock;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		goto out_unlock;
	uuid_copy(&h->hostid, hostid);
	snprintf(name, sizeof(name), NVMET_LIO_HOST_PREFIX "%pUb", hostid);
	h->sess = target_setup_session(se_tpg, 0, 0, TARGET_PROT_NORMAL, name,
				       h, NULL);
	if (IS_ERR(h->sess)) {
		pr_err_ratelimited("nvmet_lio: no session for initiator %s: %ld\n",
				   name, PTR_ERR(h->sess));
		kfree(h);
		goto out_unlock;
	}
	sess = h->sess;
	list_add_tail_rcu(&h->entry, &hosts->list);
out_unlock:
	mutex_unlock(&hosts->lock);
	return sess;
}

/**
 * nvmet_lio_host_sess() - the session of a host on a namespace
 * @hosts: the namespace's sessions
 * @se_tpg: the portal group of the namespace's LUN
 * @hostid: the host's identifier
 *
 * Context: Process context; the first command of a host sleeps for its
 * session (target_setup_session()).
 * Return: the session, valid until nvmet_lio_hosts_free(), or NULL.
 */
struct se_session *nvmet_lio_host_sess(struct nvmet_lio_hosts *hosts,
				       struct se_portal_group *se_tpg,
				       const uuid_t *hostid)
{
	struct se_session *sess = nvmet_lio_host_find(hosts, hostid);

	return sess ? sess : nvmet_lio_host_add(hosts, se_tpg, hostid);
}

/* ---- PERSISTENT RESERVE OUT and IN ---- */

static u16 nvmet_lio_pro(struct nvmet_req *req, u8 sa, u8 scsi_type, u64 key,
			 u64 sakey, bool aptpl)
{
	u8 cdb[NVMET_LIO_CDB_LEN] = { PERSISTENT_RESERVE_OUT, sa, scsi_type };
	u16 status;
	u8 *p;

	p = kzalloc(NVMET_LIO_PRO_LEN, GFP_KERNEL);
	if (!p)
		return NVME_SC_INTERNAL;
	put_unaligned_be32(NVMET_LIO_PRO_LEN, &cdb[5]);
	put_unaligned_be64(key, p);
	put_unaligned_be64(sakey, p + 8);
	if (aptpl)
		p[20] = NVMET_LIO_PRO_APTPL;
	status = nvmet_lio_run(req, cdb, sizeof(cdb), p, NVMET_LIO_PRO_LEN,
			       DMA_TO_DEVICE);
	kfree(p);
	return status;
}

static u16 nvmet_lio_pri(struct nvmet_req *req, u8 sa, void *buf, u16 len)
{
	u8 cdb[NVMET_LIO_CDB_LEN] = { PERSISTENT_RESERVE_IN, sa };

	put_unaligned_be16(len, &cdb[7]);
	return nvmet_lio_run(req, cdb, sizeof(cdb), buf, len, DMA_FROM_DEVICE);
}

/* Persist Through Power Loss, as REPORT CAPABILITIES' PTPL_A tells it. */
static u16 nvmet_lio_ptpl(struct nvmet_req *req, bool *ptpl)
{
	u8 *caps = kzalloc(NVMET_LIO_PRI_CAPS_LEN, GFP_KERNEL);
	u16 status;

	if (!caps)
		return NVME_SC_INTERNAL;
	status = nvmet_lio_pri(req, NVMET_LIO_PRI_CAPS, caps,
			       NVMET_LIO_PRI_CAPS_LEN);
	*ptpl = caps[3] & NVMET_LIO_PRI_PTPL_A;
	kfree(caps);
	return status;
}

static u16 nvmet_lio_invalid(struct nvmet_req *req)
{
	req->error_loc = offsetof(struct nvme_common_command, cdw10);
	return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
}

static bool nvmet_lio_conflict(u16 status)
{
	return (status & ~NVME_STATUS_DNR) == NVME_SC_RESERVATION_CONFLICT;
}

/*
 * Register: REGISTER (the current key checked) or REGISTER AND IGNORE
 * EXISTING KEY (IEKEY), the new key the service action key, 0 to
 * unregister; CPTPL as APTPL, which every REGISTER sets, so "no change"
 * sends the current PTPL_A.  NVMe's Register of a host registered with
 * that same key succeeds: a second REGISTER with it as the current key.
 */
static u16 nvmet_lio_register(struct nvmet_req *req, u32 cdw10, u64 crkey,
			      u64 nrkey)
{
	u8 sa = (cdw10 & NVMET_LIO_IEKEY) ? NVMET_LIO_PRO_REGISTER_IGNORE :
					    NVMET_LIO_PRO_REGISTER;
	u32 cptpl = cdw10 >> 30;
	bool aptpl = cptpl == NVMET_LIO_CPTPL_SET;
	u16 status;

	if (cptpl == 1)
		return nvmet_lio_invalid(req);
	if (!cptpl) {
		status = nvmet_lio_ptpl(req, &aptpl);
		if (status)
			return status;
	}
	switch (cdw10 & 7) {
	case NVMET_LIO_REG_REGISTER:
		status = nvmet_lio_pro(req, NVMET_LIO_PRO_REGISTER, 0, 0, nrkey,
				       aptpl);
		if (nvmet_lio_conflict(status))
			status = nvmet_lio_pro(req, NVMET_LIO_PRO_REGISTER, 0,
					       nrkey, nrkey, aptpl);
		return status;
	case NVMET_LIO_REG_UNREGISTER:
		return nvmet_lio_pro(req, sa, 0, crkey, 0, aptpl);
	case NVMET_LIO_REG_REPLACE:
		return nvmet_lio_pro(req, sa, 0, crkey, nrkey, aptpl);
	default:
		return nvmet_lio_invalid(req);
	}
}

/* Acquire: RESERVE, PREEMPT or PREEMPT AND ABORT; no IEKEY (NVMe 1.3 on). */
static u16 nvmet_lio_acquire(struct nvmet_req *req, u32 cdw10, u64 crkey,
			     u64 prkey)
{
	static const u8 sa[] = { NVMET_LIO_PRO_RESERVE, NVMET_LIO_PRO_PREEMPT,
				 NVMET_LIO_PRO_PREEMPT_ABORT };
	u8 rtype = (cdw10 >> 8) & 0xff, act = cdw10 & 7;

	if ((cdw10 & NVMET_LIO_IEKEY) || act > NVMET_LIO_ACQ_PREEMPT_ABORT ||
	    !rtype || rtype >= ARRAY_SIZE(nvmet_lio_scsi_type))
		return nvmet_lio_invalid(req);
	return nvmet_lio_pro(req, sa[act], nvmet_lio_scsi_type[rtype], crkey,
			     prkey, false);
}

/*
 * Release: RELEASE of the type (target-core refuses another type than
 * the one held with INVALID RELEASE OF PERSISTENT RESERVATION, Invalid
 * Field) or CLEAR.
 */
static u16 nvmet_lio_release(struct nvmet_req *req, u32 cdw10, u64 crkey)
{
	u8 rtype = (cdw10 >> 8) & 0xff, act = cdw10 & 7;

	if ((cdw10 & NVMET_LIO_IEKEY) || act > NVMET_LIO_REL_CLEAR)
		return nvmet_lio_invalid(req);
	if (act == NVMET_LIO_REL_CLEAR)
		return nvmet_lio_pro(req, NVMET_LIO_PRO_CLEAR, 0, crkey, 0,
				     false);
	/* a type NVMe does not have: SCSI's 0, which no holder holds */
	if (rtype >= ARRAY_SIZE(nvmet_lio_scsi_type))
		rtype = 0;
	return nvmet_lio_pro(req, NVMET_LIO_PRO_RELEASE,
			     nvmet_lio_scsi_type[rtype], crkey, 0, false);
}

/* ---- Reservation Report from READ FULL STATUS ---- */

static u8 nvmet_lio_nvme_type(u8 scsi_type)
{
	u8 i;

	for (i = 1; i < ARRAY_SIZE(nvmet_lio_scsi_type); i++)
		if (nvmet_lio_scsi_type[i] == scsi_type)
			return i;
	return 0;
}

/*
 * The host identifier of a registrant, from its TransportID (@len bytes
 * at @tid): an NVMe host's nexus of ours names its identifier; a SAS or
 * FC initiator's 64-bit port name goes in the last 8 bytes, the first 8
 * zero; any other initiator's (an iSCSI name) is all zeroes.
 */
static void nvmet_lio_tid_hostid(const u8 *tid, u32 len, u8 *hostid)
{
	size_t plen = strlen(NVMET_LIO_HOST_PREFIX);
	char name[UUID_STRING_LEN + 1];
	uuid_t u;

	switch (tid[0] & 0xf) {
	case SCSI_PROTOCOL_ISCSI:
		if (len < 4 + plen + UUID_STRING_LEN ||
		    memcmp(tid + 4, NVMET_LIO_HOST_PREFIX, plen))
			break;
		memcpy(name, tid + 4 + plen, UUID_STRING_LEN);
		name[UUID_STRING_LEN] = '\0';
		if (!uuid_parse(name, &u))
			memcpy(hostid, &u, sizeof(u));
		break;
	case SCSI_PROTOCOL_SAS:
		if (len >= 12)
			memcpy(hostid + 8, tid + 4, 8);
		break;
	case SCSI_PROTOCOL_FCP:
		if (len >= 16)
			memcpy(hostid + 8, tid + 8, 8);
		break;
	}
}

/*
 * The next full status descriptor of READ FULL STATUS data @full (@end
 * bytes of it) from byte *@off on, or NULL; *@tid_len its TransportID's.
 */
static const u8 *nvmet_lio_next_desc(const u8 *full, u32 end, u32 *off,
				     u32 *tid_len)
{
	const u8 *d = full + *off;
	u32 len;

	if (*off + NVMET_LIO_PRI_DESC > end)
		return NULL;
	len = get_unaligned_be32(d + 20);
	if (len > end - *off - NVMET_LIO_PRI_DESC)
		return NULL;
	*tid_len = len;
	*off += NVMET_LIO_PRI_DESC + len;
	return d;
}

/* Fill @buf (@len bytes, zeroed) from the READ FULL STATUS data @full. */
static void nvmet_lio_fill_report(const u8 *full, bool ptpl, u8 *buf,
				  size_t len)
{
	u32 end = NVMET_LIO_PRI_HDR + get_unaligned_be32(full + 4);
	u32 off = NVMET_LIO_PRI_HDR, tid_len, n = 0;
	const u8 *d;
	u8 *e;

	end = min_t(u32, end, NVMET_LIO_PRI_FULL_LEN);
	if (len < NVMET_LIO_RS_HDR)
		return;
	put_unaligned_le32(get_unaligned_be32(full), buf);
	buf[9] = ptpl;
	while ((d = nvmet_lio_next_desc(full, end, &off, &tid_len))) {
		if (d[12] & 0x01)
			buf[4] = nvmet_lio_nvme_type(d[13] & 0xf);
		e = buf + NVMET_LIO_RS_HDR + n++ * NVMET_LIO_RS_REG;
		if (e + NVMET_LIO_RS_REG > buf + len)
			continue;
		/* A host registers across its controllers: no one CNTLID. */
		put_unaligned_le16(NVME_CNTLID_DYNAMIC, e);
		e[2] = d[12] & 0x01;
		put_unaligned_le64(get_unaligned_be64(d), e + 8);
		nvmet_lio_tid_hostid(d + NVMET_LIO_PRI_DESC, tid_len, e + 16);
	}
	put_unaligned_le16(min_t(u32, n, U16_MAX), buf + 5);
}

/*
 * Report: the Reservation Status Extended Data Structure only, as the
 * core's own reservations (128-bit host identifiers); generation, type and
 * registrants from READ FULL STATUS, PTPLS from REPORT CAPABILITIES.
 */
static u16 nvmet_lio_report(struct nvmet_req *req)
{
	/* what one READ FULL STATUS can fill; the rest of the buffer is 0 */
	size_t len = min_t(size_t, req->data_len, NVMET_LIO_RS_HDR +
			   NVMET_LIO_PRI_FULL_LEN / NVMET_LIO_PRI_DESC *
			   NVMET_LIO_RS_REG);
	bool ptpl = false;
	u8 *full, *buf;
	u16 status;

	if (!(le32_to_cpu(req->cmd->common.cdw11) & NVMET_LIO_REPORT_EDS)) {
		req->error_loc = offsetof(struct nvme_common_command, cdw11);
		return NVME_SC_HOST_ID_INCONSIST | NVME_STATUS_DNR;
	}
	full = kzalloc(NVMET_LIO_PRI_FULL_LEN, GFP_KERNEL);
	buf = kvzalloc(len, GFP_KERNEL);
	status = NVME_SC_INTERNAL;
	if (!full || !buf)
		goto out_free;
	status = nvmet_lio_pri(req, NVMET_LIO_PRI_FULL, full,
			       NVMET_LIO_PRI_FULL_LEN);
	if (!status)
		status = nvmet_lio_ptpl(req, &ptpl);
	if (status)
		goto out_free;
	nvmet_lio_fill_report(full, ptpl, buf, len);
	status = nvmet_copy_to_sgl(req, 0, buf, len);
	if (!status && len < req->data_len)
		status = nvmet_zero_sgl(req, len, req->data_len - len);
out_free:
	kvfree(buf);
	kfree(full);
	return status;
}

static void nvmet_lio_pr_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	u32 cdw10 = le32_to_cpu(req->cmd->common.cdw10);
	__le64 d[2] = {};
	u16 status = 0;

	if (req->cmd->common.opcode != nvme_cmd_resv_report)
		status = nvmet_copy_from_sgl(req, 0, d, req->data_len);
	if (status)
		goto out;
	switch (req->cmd->common.opcode) {
	case nvme_cmd_resv_register:
		status = nvmet_lio_register(req, cdw10, le64_to_cpu(d[0]),
					    le64_to_cpu(d[1]));
		break;
	case nvme_cmd_resv_acquire:
		status = nvmet_lio_acquire(req, cdw10, le64_to_cpu(d[0]),
					   le64_to_cpu(d[1]));
		break;
	case nvme_cmd_resv_release:
		status = nvmet_lio_release(req, cdw10, le64_to_cpu(d[0]));
		break;
	default:
		status = nvmet_lio_report(req);
		break;
	}
out:
	nvmet_req_complete(req, status);
}

/**
 * nvmet_lio_resv() - the backend's @resv: a reservation command
 * @req: Reservation Register, Acquire, Release or Report
 *
 * Context: Process context; the command goes on to the module's work
 * queue, which waits for its SCSI commands.
 */
void nvmet_lio_resv(struct nvmet_req *req)
{
	INIT_WORK(&req->work, nvmet_lio_pr_work);
	queue_work(nvmet_lio_pr_wq, &req->work);
}

int nvmet_lio_pr_init(void)
{
	nvmet_lio_pr_wq = alloc_workqueue("nvmet-lio-pr",
					  WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return nvmet_lio_pr_wq ? 0 : -ENOMEM;
}

void nvmet_lio_pr_exit(void)
{
	destroy_workqueue(nvmet_lio_pr_wq);
}
