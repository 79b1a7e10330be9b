// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lio backend ("lio", module nvmet-lio): a namespace served from a LIO
 * target-core backstore (fileio, iblock, ramdisk, ...), so that one
 * backstore is reachable by SCSI initiators (tcm_loop, iSCSI, ...) and by
 * NVMe hosts, with no copy of the data.
 *
 * target-core lets a fabric reach a backstore only through a LUN of one
 * of the fabric's own portal groups, and makes LUNs only through configfs
 * (mkdir lun_N, then a symlink to the backstore); it exports no lookup of
 * a device by name.  So the module is also a LIO fabric, "nvmet_lio",
 * whose configfs tree an administrator fills as for any LIO fabric:
 *
 *   /sys/kernel/config/target/nvmet_lio/<name>/tpgt_<N>/lun/lun_<M>
 *	-> ../../../../../core/<hba>/<dev>
 *
 * and a namespace with device_backend lio names the backstore in
 * device_path, as "<hba>/<dev>" or its full configfs path.  Enable finds
 * the nvmet_lio LUN that links that backstore, pins the LUN and the
 * backstore (configfs dependencies: their rmdir fails with EBUSY while
 * the namespace is enabled); each NVMe host's first command opens a session
 * of its own on the LUN's portal group (lio_pr.c), an I_T nexus that
 * target-core's reservations tell apart from the others, and the group's
 * demo mode gives it a dynamic ACL with every LUN of the group.  NVMe
 * reservations become the backstore's SPC-3 persistent reservations
 * (lio_pr.c), shared with its SCSI initiators.  Each Read, Write and
 * Flush becomes READ(16), WRITE(16) or SYNCHRONIZE CACHE(16) with the
 * request's own scatterlist (target-core does no copy:
 * SCF_PASSTHROUGH_SG_TO_MEM_NOALLOC), submitted through
 * target-core's submission work queue; the NVMe request completes from
 * the fabric's queue_data_in or queue_status callback, with a status
 * mapped from the SCSI status and sense data.  Write Zeroes becomes
 * WRITE SAME(16) of a zeroed block, and Dataset Management's deallocate
 * UNMAP, one SCSI command after another within the backstore's limits
 * (struct nvmet_lio_seq), each started from the completion of the last.
 * Copy becomes EXTENDED COPY within the backstore (lio_copy.c).
 * A fused Compare and Write becomes one COMPARE AND WRITE, which
 * target-core runs under the backstore's own lock of such commands, so
 * it is atomic against those of SCSI initiators too (the core's range
 * lock, still held, orders it against our own hosts' writes).
 *
 * Locks: nvmet_lio_lock (a mutex) protects nvmet_lio_tpgs and
 * nvmet_lio_namespaces and orders a namespace's search for its LUN before
 * the LUN's unlink (the fabric's pre_unlink callback takes it), so the
 * LUN found is still linked when it is pinned, and an unlink marks every
 * namespace on the LUN.  Order: ns->lock, nvmet_lio_lock, a portal group's
 * tpg_lun_mutex; configfs calls make_tpg, drop_tpg and pre_unlink under
 * its own locks, so those come first, and the pin takes none of them
 * (nvmet_lio_depend()).  target-core calls the other fabric callbacks
 * with none of ours held.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in open, close and revalidate
 * @req: an I/O command on an enabled lio namespace; no lock held
 * @lio: the state of one enabled lio namespace
 * @se_cmd: a SCSI command of ours, embedded in a struct nvmet_lio_cmd
 * @se_tpg: a portal group of the nvmet_lio fabric, embedded in a struct
 *	    nvmet_lio_tpg
 */
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/configfs.h>
#include <linux/dma-direction.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/rculist.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>
#include <target/target_core_backend.h>
#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

#include <nvmet/backend.h>
#include <nvmet/compat-lib.h>
#include <nvmet/compat-lio.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "lio.h"

#define NVMET_LIO_FABRIC	"nvmet_lio"
#define NVMET_LIO_CFS_CORE	"/sys/kernel/config/target/core/"
#define NVMET_LIO_NAME_MAX	TRANSPORT_IQN_LEN

/*
 * UNMAP: the parameter list header and each block descriptor (SBC-4
 * 5.32.2), and the most descriptors one of our UNMAPs carries, whatever
 * max_unmap_block_desc_count allows: the list then fits in a page.
 */
#define NVMET_LIO_UNMAP_HDR	8
#define NVMET_LIO_UNMAP_DESC	16
#define NVMET_LIO_UNMAP_DESCS	255
/* WRITE SAME(16) byte 1: UNMAP, deallocate rather than write */
#define NVMET_LIO_WS_UNMAP	0x08
/* byte 1 of READ(16), WRITE(16) and COMPARE AND WRITE */
#define NVMET_LIO_FUA		0x08
/*
 * The most blocks target-core's COMPARE AND WRITE takes, whatever the
 * backstore (its CDB check, and the MAXIMUM COMPARE AND WRITE LENGTH of
 * its Block Limits page); no attribute changes it.
 */
#define NVMET_LIO_CAW_MAX	1
/*
 * How often a command goes out again after a UNIT ATTENTION: target-core
 * queues one for each session of the portal group when a LUN of the group
 * comes or goes (REPORTED LUNS DATA HAS CHANGED), and reports them one a
 * command; a SCSI initiator's business, not an NVMe host's.
 */
#define NVMET_LIO_UA_TRIES	8

/**
 * struct nvmet_lio_wwn - a target name of the nvmet_lio fabric
 *			  (target/nvmet_lio/<name>)
 * @se_wwn: target-core's part
 * @name: the directory's name (I)
 */
struct nvmet_lio_wwn {
	struct se_wwn se_wwn;
	char name[NVMET_LIO_NAME_MAX];
};

/**
 * struct nvmet_lio_tpg - a portal group of the nvmet_lio fabric
 *			  (target/nvmet_lio/<name>/tpgt_<N>)
 * @se_tpg: target-core's part
 * @wwn: the target name it belongs to (I)
 * @tag: N of tpgt_<N> (I)
 * @entry: on nvmet_lio_tpgs (nvmet_lio_lock)
 */
struct nvmet_lio_tpg {
	struct se_portal_group se_tpg;
	struct nvmet_lio_wwn *wwn;
	u16 tag;
	struct list_head entry;
};

/**
 * struct nvmet_lio - an enabled lio namespace (ns->backend_priv)
 * @hosts: its sessions on @tpg, one per NVMe host (lio_pr.c), each with
 *	   a dynamic ACL of every LUN of @tpg
 * @tpg: the portal group of @lun
 * @lun: the LUN that links the backstore, pinned (I)
 * @dev: the backstore, pinned (I)
 * @unpacked_lun: @lun's number, which each command names (I)
 * @entry: on nvmet_lio_namespaces (nvmet_lio_lock)
 * @unlinked: @lun was unlinked from the backstore (nvmet_lio_lock
 *	      write, the I/O path reads it without a lock)
 * @resv: the backstore keeps the reservations (emulate_pr, and not passed
 *	  through to the device), read at enable (I)
 */
struct nvmet_lio {
	struct nvmet_lio_hosts hosts;
	struct nvmet_lio_tpg *tpg;
	struct se_lun *lun;
	struct se_device *dev;
	u64 unpacked_lun;
	struct list_head entry;
	bool unlinked;
	bool resv;
};

/**
 * struct nvmet_lio_seq - a Write Zeroes or Dataset Management command,
 *			  carried by one SCSI command after another
 * @req: the NVMe request
 * @ranges: the blocks to zero or deallocate: @one, or the DSM ranges
 *	    (kmalloc'ed)
 * @one: the range of a Write Zeroes
 * @nr: entries in @ranges
 * @idx: the range the next SCSI command starts in
 * @done: blocks of ranges[@idx] that SCSI commands took already
 * @unmap: UNMAP commands (deallocate), else WRITE SAME(16)
 * @deac: a Write Zeroes the host lets deallocate (DEAC)
 *
 * Only the completion of the one SCSI command in flight touches it.
 */
struct nvmet_lio_seq {
	struct nvmet_req *req;
	struct nvme_dsm_range *ranges;
	struct nvme_dsm_range one;
	unsigned int nr;
	unsigned int idx;
	u32 done;
	bool unmap;
	bool deac;
};

/**
 * struct nvmet_lio_cmd - one NVMe command as a SCSI command
 * @se_cmd: target-core's part; freed by the release_cmd callback
 * @req: the NVMe request it carries
 * @seq: the sequence it is one step of, or NULL
 * @second: the Write of a fused pair whose Compare is @req, or NULL
 * @wait: the waiter of a command nvmet_lio_run() sent, or NULL
 * @completed: bit 0 set once @req was completed (queue_data_in and
 *	       queue_status may both be called for one command)
 * @lba: the first block it names, for the error of a step of @seq
 * @sg: the data of a step of @seq (a zeroed block or the UNMAP list), or
 *	of a COMPARE AND WRITE
 * @data: the scatterlist submitted (req->sg or @sg), @nents entries of it,
 *	  @len bytes in direction @dir: what a resubmission sends again
 * @nents: see @data
 * @len: see @data
 * @dir: see @data
 * @tries: the UNIT ATTENTIONs it was resubmitted after
 * @param: the UNMAP parameter list or the COMPARE AND WRITE data
 *	   (kmalloc'ed), or NULL
 * @cdb: the CDB
 * @sense: the sense data target-core fills in
 */
struct nvmet_lio_cmd {
	struct se_cmd se_cmd;
	struct nvmet_req *req;
	struct nvmet_lio_seq *seq;
	struct nvmet_req *second;
	struct nvmet_lio_wait *wait;
	unsigned long completed;
	u64 lba;
	struct scatterlist sg;
	struct scatterlist *data;
	unsigned int nents;
	u32 len;
	int dir;
	unsigned int tries;
	void *param;
	unsigned char cdb[16];
	unsigned char sense[TRANSPORT_SENSE_BUFFER];
};

/*
 * The portal groups of the fabric and the enabled namespaces; see the top
 * of the file.
 */
static DEFINE_MUTEX(nvmet_lio_lock);
static LIST_HEAD(nvmet_lio_tpgs);
static LIST_HEAD(nvmet_lio_namespaces);

static struct kmem_cache *nvmet_lio_cmd_cache;

static struct nvmet_lio *nvmet_lio_of(struct nvmet_ns *ns)
{
	return ns->backend_priv;
}

static struct nvmet_lio_tpg *nvmet_lio_tpg_of(struct se_portal_group *se_tpg)
{
	return container_of(se_tpg, struct nvmet_lio_tpg, se_tpg);
}

static struct nvmet_lio_cmd *nvmet_lio_cmd_of(struct se_cmd *se_cmd)
{
	return container_of(se_cmd, struct nvmet_lio_cmd, se_cmd);
}

/* ---- NVMe status from SCSI status and sense data ---- */

/*
 * The sense key, and the ASC and ASCQ into @asc and @ascq, fixed or
 * descriptor format.
 */
static u8 nvmet_lio_sense_key(struct nvmet_lio_cmd *cmd, u8 *asc, u8 *ascq)
{
	const unsigned char *s = cmd->sense;

	if ((s[0] & 0x7f) == 0x72 || (s[0] & 0x7f) == 0x73) {
		*asc = s[2];
		*ascq = s[3];
		return s[1] & 0xf;
	}
	*asc = s[12];
	*ascq = s[13];
	return s[2] & 0xf;
}

static u16 nvmet_lio_sense_status(struct nvmet_lio_cmd *cmd)
{
	bool write = cmd->cdb[0] != READ_16;
	u8 asc, ascq, key = nvmet_lio_sense_key(cmd, &asc, &ascq);

	switch (key) {
	case MEDIUM_ERROR:
	case HARDWARE_ERROR:
		return write ? NVME_SC_WRITE_FAULT : NVME_SC_READ_ERROR;
	case ILLEGAL_REQUEST:
		if (asc == 0x21)	/* LOGICAL BLOCK ADDRESS OUT OF RANGE */
			return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
		/*
		 * INVALID COMMAND OPERATION CODE: the backstore lost it; for
		 * COMPARE AND WRITE (emulate_caw 0) an unsupported fused
		 * operation, which is Invalid Field (target/io.c)
		 */
		if (asc == 0x20 && cmd->second)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		if (asc == 0x20)
			return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
		/* INVALID FIELD IN CDB, IN PARAMETER LIST: limits shrank */
		if (asc == 0x24 || asc == 0x26)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	case DATA_PROTECT:
		if (asc == 0x27)	/* WRITE PROTECTED */
			return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
		break;
	case MISCOMPARE:
		/* MISCOMPARE DURING VERIFY OPERATION: COMPARE AND WRITE's */
		if (asc == 0x1d)
			return NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR;
		break;
	}
	return NVME_SC_INTERNAL;
}

static u16 nvmet_lio_status(struct nvmet_lio_cmd *cmd)
{
	switch (cmd->se_cmd.scsi_status) {
	case SAM_STAT_GOOD:
		return NVME_SC_SUCCESS;
	case SAM_STAT_CHECK_CONDITION:
		return nvmet_lio_sense_status(cmd);
	case SAM_STAT_RESERVATION_CONFLICT:
		return NVME_SC_RESERVATION_CONFLICT | NVME_STATUS_DNR;
	case SAM_STAT_BUSY:
	case SAM_STAT_TASK_SET_FULL:
		return NVME_SC_NS_NOT_READY;
	case SAM_STAT_TASK_ABORTED:
		/* target-core aborted it: a PREEMPT AND ABORT, a LUN RESET */
		return NVME_SC_ABORT_REQ;
	default:
		return NVME_SC_INTERNAL;
	}
}

static void nvmet_lio_seq_next(struct nvmet_lio_seq *seq);
static struct nvmet_lio_cmd *nvmet_lio_cmd_alloc(struct nvmet_req *req);
static void nvmet_lio_submit(struct nvmet_lio_cmd *cmd,
			     struct scatterlist *sg, unsigned int nents,
			     u32 len, int dir);

/* ---- the fabric's command callbacks ---- */

static void nvmet_lio_seq_end(struct nvmet_lio_seq *seq, u16 status)
{
	struct nvmet_req *req = seq->req;

	if (seq->ranges != &seq->one)
		kfree(seq->ranges);
	kfree(seq);
	nvmet_req_complete(req, status);
}

/*
 * @cmd is done with @status: so is its request, unless it is a step of a
 * sequence that has more to do.
 */
static void nvmet_lio_cmd_done(struct nvmet_lio_cmd *cmd, u16 status)
{
	struct nvmet_lio_seq *seq = cmd->seq;

	if (cmd->wait) {
		cmd->wait->status = status;
		complete(&cmd->wait->done);
		return;
	}
	if (cmd->second) {
		nvmet_backend_fused_done(cmd->req, status, NVME_SC_SUCCESS);
		return;
	}
	if (!seq) {
		nvmet_req_complete(cmd->req, status);
		return;
	}
	if (status) {
		seq->req->error_slba = cmd->lba;
		nvmet_lio_seq_end(seq, status);
		return;
	}
	nvmet_lio_seq_next(seq);
}

/*
 * @cmd failed with a UNIT ATTENTION, which target-core reported instead
 * of running it: send a copy of it again (its parameter data moves to the
 * copy; target-core no longer reads the data of a failed command).
 * Process context, as every completion here.  Returns false if it could
 * not.
 */
static bool nvmet_lio_resubmit(struct nvmet_lio_cmd *cmd)
{
	struct scatterlist *sg = cmd->data;
	struct nvmet_lio_cmd *n;

	if (cmd->tries >= NVMET_LIO_UA_TRIES)
		return false;
	n = nvmet_lio_cmd_alloc(cmd->req);
	if (!n)
		return false;
	n->seq = cmd->seq;
	n->second = cmd->second;
	n->wait = cmd->wait;
	n->lba = cmd->lba;
	n->tries = cmd->tries + 1;
	memcpy(n->cdb, cmd->cdb, sizeof(n->cdb));
	n->param = cmd->param;
	cmd->param = NULL;
	if (sg == &cmd->sg) {
		sg_init_table(&n->sg, 1);
		sg_set_page(&n->sg, sg_page(&cmd->sg), cmd->sg.length,
			    cmd->sg.offset);
		sg = &n->sg;
	}
	nvmet_lio_submit(n, sg, cmd->nents, cmd->len, cmd->dir);
	return true;
}

/*
 * @cmd failed with a UNIT ATTENTION of @asc and @ascq: if it is one of the
 * reservations' (ASC 2Ah), another I_T nexus (a SCSI initiator's, another
 * NVMe host's) preempted this host's registration (ASCQ 05h), released a
 * reservation it is registered for (04h) or preempted or cleared one
 * (03h), and target-core tells the host's nexus now, at its first command
 * on the LUN since.  The host's controllers get the matching Reservation
 * Notification log entry for the namespace.  Process context, no lock of
 * ours held: the core takes each controller's lock.
 */
static void nvmet_lio_ua_notify(struct nvmet_lio_cmd *cmd, u8 asc, u8 ascq)
{
	u8 type;

	if (asc != 0x2a)
		return;
	switch (ascq) {
	case 0x03:	/* RESERVATIONS PREEMPTED */
		type = NVMET_RESV_NOTIFY_RESV_PREEMPTED;
		break;
	case 0x04:	/* RESERVATIONS RELEASED */
		type = NVMET_RESV_NOTIFY_RESV_RELEASED;
		break;
	case 0x05:	/* REGISTRATIONS PREEMPTED */
		type = NVMET_RESV_NOTIFY_REG_PREEMPTED;
		break;
	default:
		return;
	}
	nvmet_backend_resv_notify(cmd->req, type);
}

/*
 * A command target-core ran on another LUN than the namespace's, or on
 * none, found its LUN unlinked: target-core then runs commands for LUN 0
 * on its virtual LUN 0, read-only and empty, whose data must not reach
 * the host.  Such a command fails with Namespace Not Ready, DNR.
 */
static void nvmet_lio_complete(struct se_cmd *se_cmd)
{
	struct nvmet_lio_cmd *cmd = nvmet_lio_cmd_of(se_cmd);
	u8 asc, ascq;

	if (test_and_set_bit(0, &cmd->completed))
		return;
	if (se_cmd->se_lun != nvmet_lio_of(cmd->req->ns)->lun) {
		nvmet_lio_cmd_done(cmd, NVME_SC_NS_NOT_READY | NVME_STATUS_DNR);
		return;
	}
	if (se_cmd->scsi_status == SAM_STAT_CHECK_CONDITION &&
	    nvmet_lio_sense_key(cmd, &asc, &ascq) == UNIT_ATTENTION) {
		nvmet_lio_ua_notify(cmd, asc, ascq);
		if (nvmet_lio_resubmit(cmd))
			return;
	}
	nvmet_lio_cmd_done(cmd, nvmet_lio_status(cmd));
}

static int nvmet_lio_queue_data_in(struct se_cmd *se_cmd)
{
	nvmet_lio_complete(se_cmd);
	return 0;
}

static int nvmet_lio_queue_status(struct se_cmd *se_cmd)
{
	nvmet_lio_complete(se_cmd);
	return 0;
}

/* The data of a write is in the request's scatterlist already. */
static int nvmet_lio_write_pending(struct se_cmd *se_cmd)
{
	target_execute_cmd(se_cmd);
	return 0;
}

static int nvmet_lio_check_stop_free(struct se_cmd *se_cmd)
{
	return transport_generic_free_cmd(se_cmd, 0);
}

static void nvmet_lio_cmd_free(struct nvmet_lio_cmd *cmd)
{
	kfree(cmd->param);
	kmem_cache_free(nvmet_lio_cmd_cache, cmd);
}

static void nvmet_lio_release_cmd(struct se_cmd *se_cmd)
{
	nvmet_lio_cmd_free(nvmet_lio_cmd_of(se_cmd));
}

/* We send no task management functions. */
static void nvmet_lio_queue_tm_rsp(struct se_cmd *se_cmd)
{
}

/*
 * target-core aborted a command of ours without a status (a PREEMPT AND
 * ABORT or LUN RESET of another nexus, emulate_tas 0): it still ends.
 */
static void nvmet_lio_aborted_task(struct se_cmd *se_cmd)
{
	struct nvmet_lio_cmd *cmd = nvmet_lio_cmd_of(se_cmd);

	if (!test_and_set_bit(0, &cmd->completed))
		nvmet_lio_cmd_done(cmd, NVME_SC_ABORT_REQ);
}

/* ---- the fabric's configfs tree ---- */

static char *nvmet_lio_tpg_get_wwn(struct se_portal_group *se_tpg)
{
	return nvmet_lio_tpg_of(se_tpg)->wwn->name;
}

static u16 nvmet_lio_tpg_get_tag(struct se_portal_group *se_tpg)
{
	return nvmet_lio_tpg_of(se_tpg)->tag;
}

/*
 * Demo mode: a session gets a dynamic ACL with every LUN, writable; and
 * the ACL stays after its last session (demo_mode_cache), with the SPC-3
 * registrations of its nexus, until the portal group goes: an NVMe
 * host's registration outlives its controllers, as NVMe wants.
 */
static int nvmet_lio_tpg_yes(struct se_portal_group *se_tpg)
{
	return 1;
}

static int nvmet_lio_tpg_no(struct se_portal_group *se_tpg)
{
	return 0;
}

/*
 * Callbacks later kernels (6.12) fill in themselves with these same
 * answers, but 6.1 requires of every fabric.
 */
static u32 nvmet_lio_tpg_get_inst_index(struct se_portal_group *se_tpg)
{
	return 1;
}

static u32 nvmet_lio_sess_get_index(struct se_session *se_sess)
{
	return 0;
}

static void nvmet_lio_set_default_node_attributes(struct se_node_acl *acl)
{
}

static int nvmet_lio_get_cmd_state(struct se_cmd *se_cmd)
{
	return 0;
}

static struct se_wwn *nvmet_lio_make_wwn(struct target_fabric_configfs *tf,
					 struct config_group *group,
					 const char *name)
{
	struct nvmet_lio_wwn *wwn;

	if (strlen(name) >= NVMET_LIO_NAME_MAX) {
		pr_err("nvmet_lio: target name %s: longer than %d characters\n",
		       name, NVMET_LIO_NAME_MAX - 1);
		return ERR_PTR(-EINVAL);
	}
	wwn = kzalloc(sizeof(*wwn), GFP_KERNEL);
	if (!wwn)
		return ERR_PTR(-ENOMEM);
	strscpy(wwn->name, name, sizeof(wwn->name));
	return &wwn->se_wwn;
}

static void nvmet_lio_drop_wwn(struct se_wwn *se_wwn)
{
	kfree(container_of(se_wwn, struct nvmet_lio_wwn, se_wwn));
}

static struct se_portal_group *nvmet_lio_make_tpg(struct se_wwn *se_wwn,
						  const char *name)
{
	struct nvmet_lio_wwn *wwn =
		container_of(se_wwn, struct nvmet_lio_wwn, se_wwn);
	struct nvmet_lio_tpg *tpg;
	u16 tag;
	int ret;

	if (!str_has_prefix(name, "tpgt_") || kstrtou16(name + 5, 10, &tag) ||
	    !tag) {
		pr_err("nvmet_lio: %s/%s: a portal group is named tpgt_<1..65535>\n",
		       wwn->name, name);
		return ERR_PTR(-EINVAL);
	}
	tpg = kzalloc(sizeof(*tpg), GFP_KERNEL);
	if (!tpg)
		return ERR_PTR(-ENOMEM);
	tpg->wwn = wwn;
	tpg->tag = tag;
	/*
	 * iSCSI's TransportID is the initiator's name, whatever it is: the
	 * one of a host's nexus carries its whole host identifier
	 * (lio_pr.c), where a SAS address would hold 64 bits of it.
	 */
	ret = core_tpg_register(se_wwn, &tpg->se_tpg, SCSI_PROTOCOL_ISCSI);
	if (ret) {
		kfree(tpg);
		return ERR_PTR(ret);
	}
	mutex_lock(&nvmet_lio_lock);
	list_add_tail(&tpg->entry, &nvmet_lio_tpgs);
	mutex_unlock(&nvmet_lio_lock);
	return &tpg->se_tpg;
}

/*
 * No namespace has a session here: each pins its LUN, and configfs
 * removes a portal group only once its LUNs are gone.
 */
static void nvmet_lio_drop_tpg(struct se_portal_group *se_tpg)
{
	struct nvmet_lio_tpg *tpg = nvmet_lio_tpg_of(se_tpg);

	mutex_lock(&nvmet_lio_lock);
	list_del(&tpg->entry);
	mutex_unlock(&nvmet_lio_lock);
	core_tpg_deregister(se_tpg);
	kfree(tpg);
}

/*
 * A LUN is unlinked from its backstore.  A namespace that found the LUN
 * has pinned it by the time this can take nvmet_lio_lock; the commands
 * of the namespaces on it fail from now on (nvmet_lio_unlinked(), and
 * nvmet_lio_complete() for those that raced with the unlink), and the
 * backstore stays pinned until the namespace is disabled.
 */
static void nvmet_lio_pre_unlink(struct se_portal_group *se_tpg,
				 struct se_lun *lun)
{
	struct nvmet_lio *lio;

	mutex_lock(&nvmet_lio_lock);
	list_for_each_entry(lio, &nvmet_lio_namespaces, entry) {
		if (lio->lun != lun)
			continue;
		WRITE_ONCE(lio->unlinked, true);
		pr_warn("nvmet_lio: %s/tpgt_%u LUN %llu unlinked while a namespace uses it: its I/O fails until it is disabled\n",
			nvmet_lio_tpg_of(se_tpg)->wwn->name,
			nvmet_lio_tpg_of(se_tpg)->tag, lio->unpacked_lun);
	}
	mutex_unlock(&nvmet_lio_lock);
}

static const struct target_core_fabric_ops nvmet_lio_fabric_ops = {
	.module				= THIS_MODULE,
	.fabric_name			= NVMET_LIO_FABRIC,
	.tpg_get_wwn			= nvmet_lio_tpg_get_wwn,
	.tpg_get_tag			= nvmet_lio_tpg_get_tag,
	.tpg_check_demo_mode		= nvmet_lio_tpg_yes,
	.tpg_check_demo_mode_cache	= nvmet_lio_tpg_yes,
	.tpg_check_demo_mode_write_protect = nvmet_lio_tpg_no,
	.tpg_check_prod_mode_write_protect = nvmet_lio_tpg_no,
	.tpg_get_inst_index		= nvmet_lio_tpg_get_inst_index,
	.sess_get_index			= nvmet_lio_sess_get_index,
	.set_default_node_attributes	= nvmet_lio_set_default_node_attributes,
	.get_cmd_state			= nvmet_lio_get_cmd_state,
	.check_stop_free		= nvmet_lio_check_stop_free,
	.release_cmd			= nvmet_lio_release_cmd,
	.write_pending			= nvmet_lio_write_pending,
	.queue_data_in			= nvmet_lio_queue_data_in,
	.queue_status			= nvmet_lio_queue_status,
	.queue_tm_rsp			= nvmet_lio_queue_tm_rsp,
	.aborted_task			= nvmet_lio_aborted_task,
	.fabric_make_wwn		= nvmet_lio_make_wwn,
	.fabric_drop_wwn		= nvmet_lio_drop_wwn,
	.fabric_make_tpg		= nvmet_lio_make_tpg,
	.fabric_drop_tpg		= nvmet_lio_drop_tpg,
	.fabric_pre_unlink		= nvmet_lio_pre_unlink,
};

/* ---- the backend ---- */

/*
 * Split device_path, "<hba>/<dev>" or its full configfs path, into @hba
 * and @dev (pointers into @buf, a copy the caller frees).
 */
static int nvmet_lio_parse_path(struct nvmet_ns *ns, char *buf, char **hba,
				char **dev)
{
	char *p = buf, *slash;

	if (str_has_prefix(p, NVMET_LIO_CFS_CORE))
		p += strlen(NVMET_LIO_CFS_CORE);
	slash = strchr(p, '/');
	if (!slash || slash == p || !slash[1] || strchr(slash + 1, '/')) {
		pr_err("nvmet: namespace %u: lio device_path %s: not <hba>/<dev> nor %s<hba>/<dev>\n",
		       ns->nsid, buf, NVMET_LIO_CFS_CORE);
		return -EINVAL;
	}
	*slash = '\0';
	*hba = p;
	*dev = slash + 1;
	return 0;
}

/*
 * Find a LUN of the fabric's portal groups that links backstore @hba/@dev
 * and fill in @lio's @tpg, @lun, @dev and @unpacked_lun.
 */
static int nvmet_lio_find(struct nvmet_lio *lio, const char *hba,
			  const char *dev)
{
	struct nvmet_lio_tpg *tpg;
	int ret = -ENODEV;

	lockdep_assert_held(&nvmet_lio_lock);
	list_for_each_entry(tpg, &nvmet_lio_tpgs, entry) {
		struct se_portal_group *se_tpg = &tpg->se_tpg;
		struct se_lun *lun;

		mutex_lock(&se_tpg->tpg_lun_mutex);
		hlist_for_each_entry(lun, &se_tpg->tpg_lun_hlist, link) {
			struct se_device *d;

			rcu_read_lock();
			d = rcu_dereference(lun->lun_se_dev);
			if (d && !lun->lun_shutdown &&
			    !strcmp(config_item_name(&d->dev_group.cg_item),
				    dev) &&
			    !strcmp(config_item_name(&d->se_hba->hba_group.cg_item),
				    hba)) {
				lio->tpg = tpg;
				lio->lun = lun;
				lio->dev = d;
				lio->unpacked_lun = lun->unpacked_lun;
				ret = 0;
			}
			rcu_read_unlock();
			if (!ret)
				break;
		}
		mutex_unlock(&se_tpg->tpg_lun_mutex);
		if (!ret)
			break;
	}
	return ret;
}

/*
 * Make configfs refuse the rmdir of @item (an item of target-core's
 * subsystem) until target_undepend_item().  target_depend_item() would
 * take the configfs root directory's inode lock, against the subsystem's
 * unregistration, here under ns->lock and nvmet_lio_lock, which configfs
 * mkdir, rmdir and unlink take under the inode locks of directories, all
 * one lockdep class: lockdep calls that a circular dependency (the debug
 * lane's 2t).  target-core unregisters its subsystem only at its module's
 * exit, which cannot run while this module, which uses its symbols, is
 * loaded; so the depend runs as from within target-core's own subsystem,
 * which takes no lock but configfs' dirent spinlock.
 */
static int nvmet_lio_depend(struct config_item *item)
{
	return configfs_depend_item_unlocked(item->ci_group->cg_subsys, item);
}

/* Pin the LUN and the backstore of @lio, found under nvmet_lio_lock. */
static int nvmet_lio_pin(struct nvmet_ns *ns, struct nvmet_lio *lio)
{
	int ret;

	lockdep_assert_held(&nvmet_lio_lock);
	ret = nvmet_lio_depend(&lio->dev->dev_group.cg_item);
	if (ret)
		return ret;
	ret = nvmet_lio_depend(&lio->lun->lun_group.cg_item);
	if (ret)
		target_undepend_item(&lio->dev->dev_group.cg_item);
	return ret;
}

static void nvmet_lio_unpin(struct nvmet_lio *lio)
{
	target_undepend_item(&lio->lun->lun_group.cg_item);
	target_undepend_item(&lio->dev->dev_group.cg_item);
}

/* The backstore of an enabled lio namespace. */
struct se_device *nvmet_lio_dev(struct nvmet_ns *ns)
{
	return nvmet_lio_of(ns)->dev;
}

/* The backstore's capacity in bytes, as it is now. */
u64 nvmet_lio_capacity(struct se_device *dev)
{
	return ((u64)dev->transport->get_blocks(dev) + 1) *
		dev->dev_attrib.block_size;
}

/*
 * What the backstore takes, read once at enable: WRITE SAME where
 * max_write_same_len is set (fileio and iblock set it; ramdisk, pscsi and
 * TCMU leave it 0), UNMAP where emulate_tpu is on with its limits, fused
 * Compare and Write where emulate_caw is on (without it the core does not
 * run the pair either: its compare would be atomic against nvmet-ng's
 * hosts only), Copy where emulate_3pc is on (EXTENDED COPY, lio_copy.c;
 * the administrator's word that the backstore copies within itself).
 */
static void nvmet_lio_features(struct nvmet_ns *ns, struct se_device *dev)
{
	const struct se_dev_attrib *a = &dev->dev_attrib;

	if (!a->max_write_same_len)
		ns->features &= ~NVMET_BF_WRITE_ZEROES;
	if (!a->emulate_tpu || !a->max_unmap_lba_count ||
	    !a->max_unmap_block_desc_count)
		ns->features &= ~NVMET_BF_DEALLOCATE;
	if (!a->emulate_caw)
		ns->features &= ~NVMET_BF_COMPARE_WRITE;
	if (!a->emulate_3pc)
		ns->features &= ~NVMET_BF_COPY;
}

static int nvmet_lio_open(struct nvmet_ns *ns)
{
	char *path, *hba, *dev;
	struct nvmet_lio *lio;
	u32 bs;
	int ret;

	lockdep_assert_held(&ns->lock);
	if (!ns->device_path) {
		pr_err("nvmet: namespace %u: lio needs a device_path <hba>/<dev>\n",
		       ns->nsid);
		return -EINVAL;
	}
	path = kstrdup(ns->device_path, GFP_KERNEL);
	lio = kzalloc(sizeof(*lio), GFP_KERNEL);
	ret = -ENOMEM;
	if (!path || !lio)
		goto out_free;
	ret = nvmet_lio_parse_path(ns, path, &hba, &dev);
	if (ret)
		goto out_free;

	mutex_lock(&nvmet_lio_lock);
	ret = nvmet_lio_find(lio, hba, dev);
	if (ret) {
		mutex_unlock(&nvmet_lio_lock);
		pr_err("nvmet: namespace %u: no LUN of %s links backstore %s/%s (ln -s core/%s/%s target/%s/<name>/tpgt_<N>/lun/lun_<M>/)\n",
		       ns->nsid, NVMET_LIO_FABRIC, hba, dev, hba, dev,
		       NVMET_LIO_FABRIC);
		ret = -EINVAL;
		goto out_free;
	}
	ret = nvmet_lio_pin(ns, lio);
	if (!ret)
		list_add_tail(&lio->entry, &nvmet_lio_namespaces);
	mutex_unlock(&nvmet_lio_lock);
	if (ret) {
		pr_err("nvmet: namespace %u: backstore %s/%s: cannot pin it: %d\n",
		       ns->nsid, hba, dev, ret);
		goto out_free;
	}

	bs = lio->dev->dev_attrib.block_size;
	if (bs < 512 || bs > PAGE_SIZE || !is_power_of_2(bs)) {
		pr_err("nvmet: namespace %u: backstore %s/%s: block size %u is not a power of two from 512 to %lu\n",
		       ns->nsid, hba, dev, bs, PAGE_SIZE);
		ret = -EINVAL;
		goto out_unpin;
	}

	/* Sessions come with each host's first command (lio_pr.c). */
	nvmet_lio_hosts_init(&lio->hosts);
	lio->resv = lio->dev->dev_attrib.emulate_pr &&
		    !(lio->dev->transport_flags & TRANSPORT_FLAG_PASSTHROUGH_PGR);
	ns->backend_priv = lio;
	ns->blksize_shift = ilog2(bs);
	ns->size = nvmet_lio_capacity(lio->dev);
	nvmet_lio_features(ns, lio->dev);
	pr_info("nvmet: namespace %u: backstore %s/%s through %s/%s/tpgt_%u LUN %llu, %llu bytes in blocks of %u, reservations %s\n",
		ns->nsid, hba, dev, NVMET_LIO_FABRIC, lio->tpg->wwn->name,
		lio->tpg->tag, lio->unpacked_lun, ns->size, bs,
		lio->resv ? "the backstore's" : "none of the backstore's");
	kfree(path);
	return 0;

out_unpin:
	mutex_lock(&nvmet_lio_lock);
	list_del(&lio->entry);
	mutex_unlock(&nvmet_lio_lock);
	nvmet_lio_unpin(lio);
out_free:
	kfree(lio);
	kfree(path);
	return ret;
}

/* No NVMe command is in flight; SCSI commands may still be freed. */
static void nvmet_lio_close(struct nvmet_ns *ns)
{
	struct nvmet_lio *lio = nvmet_lio_of(ns);

	lockdep_assert_held(&ns->lock);
	nvmet_lio_hosts_free(&lio->hosts);
	mutex_lock(&nvmet_lio_lock);
	list_del(&lio->entry);
	mutex_unlock(&nvmet_lio_lock);
	nvmet_lio_unpin(lio);
	kfree(lio);
	ns->backend_priv = NULL;
}

/* A backstore resized (its fd_dev_size) reaches Identify. */
static int nvmet_lio_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = nvmet_lio_capacity(nvmet_lio_of(ns)->dev);
	return 0;
}

/*
 * Submit @cmd's CDB for cmd->req with @len bytes of @sg (@nents entries)
 * in direction @dir; the command completes from queue_data_in or
 * queue_status.
 */
static void nvmet_lio_submit(struct nvmet_lio_cmd *cmd,
			     struct scatterlist *sg, unsigned int nents,
			     u32 len, int dir)
{
	struct nvmet_lio *lio = nvmet_lio_of(cmd->req->ns);
	struct se_cmd *se_cmd = &cmd->se_cmd;
	struct se_session *sess;

	cmd->data = sg;
	cmd->nents = nents;
	cmd->len = len;
	cmd->dir = dir;
	sess = nvmet_lio_host_sess(&lio->hosts, &lio->tpg->se_tpg,
				   nvmet_req_hostid(cmd->req));
	if (!sess ||
	    target_init_cmd(se_cmd, sess, cmd->sense, lio->unpacked_lun,
			    len, TCM_SIMPLE_TAG, dir, 0)) {
		/* no session, or it is stopping: no reference was taken */
		nvmet_lio_cmd_done(cmd, NVME_SC_INTERNAL);
		nvmet_lio_cmd_free(cmd);
		return;
	}
	/* on failure, target-core has called queue_status already */
	if (target_submit_prep(se_cmd, cmd->cdb, len ? sg : NULL,
			       len ? nents : 0, NULL, 0, NULL, 0, GFP_NOIO))
		return;
	nvmet_lio_queue_submission(se_cmd);
}

static struct nvmet_lio_cmd *nvmet_lio_cmd_alloc(struct nvmet_req *req)
{
	struct nvmet_lio_cmd *cmd;

	cmd = kmem_cache_zalloc(nvmet_lio_cmd_cache, GFP_NOIO);
	if (cmd)
		cmd->req = req;
	return cmd;
}

/* Fail @req if the namespace's LUN was unlinked. */
static bool nvmet_lio_unlinked(struct nvmet_req *req)
{
	if (!READ_ONCE(nvmet_lio_of(req->ns)->unlinked))
		return false;
	nvmet_req_complete(req, NVME_SC_NS_NOT_READY | NVME_STATUS_DNR);
	return true;
}

/*
 * The SCSI command of a one-command request, or NULL with @req completed
 * (its LUN unlinked, or no memory).
 */
static struct nvmet_lio_cmd *nvmet_lio_cmd_start(struct nvmet_req *req)
{
	struct nvmet_lio_cmd *cmd;

	if (nvmet_lio_unlinked(req))
		return NULL;
	cmd = nvmet_lio_cmd_alloc(req);
	if (!cmd)
		nvmet_req_complete(req, NVME_SC_INTERNAL);
	return cmd;
}

/**
 * nvmet_lio_run() - send one SCSI command for @req and wait for it
 * @req: a command on an enabled lio namespace
 * @cdb: the CDB
 * @cdb_len: its length, at most 16
 * @buf: @len bytes of data (kmalloc'ed), or NULL
 * @len: see @buf
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_NONE
 *
 * The command goes through @req's host's session, so target-core checks
 * it, and runs it, for that host's I_T nexus.
 *
 * Context: Process context (a work item); waits for the command.
 * Return: the NVMe status its SCSI status maps to.
 */
u16 nvmet_lio_run(struct nvmet_req *req, const u8 *cdb, unsigned int cdb_len,
		  void *buf, u32 len, int dir)
{
	struct nvmet_lio_wait wait;
	struct nvmet_lio_cmd *cmd;

	if (READ_ONCE(nvmet_lio_of(req->ns)->unlinked))
		return NVME_SC_NS_NOT_READY | NVME_STATUS_DNR;
	cmd = nvmet_lio_cmd_alloc(req);
	if (!cmd)
		return NVME_SC_INTERNAL;
	init_completion(&wait.done);
	cmd->wait = &wait;
	memcpy(cmd->cdb, cdb, min_t(unsigned int, cdb_len, sizeof(cmd->cdb)));
	if (len)
		sg_init_one(&cmd->sg, buf, len);
	nvmet_lio_submit(cmd, len ? &cmd->sg : NULL, len ? 1 : 0, len, dir);
	wait_for_completion(&wait.done);
	return wait.status;
}

static void nvmet_lio_rw(struct nvmet_req *req)
{
	u8 shift = req->ns->blksize_shift;
	struct nvmet_lio_cmd *cmd;
	bool write = nvme_is_write(req->cmd);

	cmd = nvmet_lio_cmd_start(req);
	if (!cmd)
		return;
	cmd->cdb[0] = write ? WRITE_16 : READ_16;
	if (le16_to_cpu(req->cmd->rw.control) & NVME_RW_FUA)
		cmd->cdb[1] = NVMET_LIO_FUA;
	put_unaligned_be64(nvmet_req_pos(req) >> shift, &cmd->cdb[2]);
	put_unaligned_be32(req->data_len >> shift, &cmd->cdb[10]);
	nvmet_lio_submit(cmd, req->sg, req->sg_cnt, req->data_len,
			 write ? DMA_TO_DEVICE : DMA_FROM_DEVICE);
}

static void nvmet_lio_flush(struct nvmet_req *req)
{
	struct nvmet_lio_cmd *cmd;

	cmd = nvmet_lio_cmd_start(req);
	if (!cmd)
		return;
	/* LBA 0, 0 blocks: the whole device */
	cmd->cdb[0] = SYNCHRONIZE_CACHE_16;
	nvmet_lio_submit(cmd, NULL, 0, 0, DMA_NONE);
}

/*
 * The next WRITE SAME(16) of @seq: as many blocks of the current range as
 * max_write_same_len allows now (an administrator may lower it at any
 * time), of one zeroed block, with the UNMAP bit when the host allows
 * deallocation and the backstore both takes it (emulate_tpws) and reads
 * what it unmapped as zeroes (unmap_zeroes_data).
 */
static u16 nvmet_lio_seq_ws(struct nvmet_lio_seq *seq,
			    struct nvmet_lio_cmd *cmd, struct se_device *dev)
{
	const struct se_dev_attrib *a = &dev->dev_attrib;
	const struct nvme_dsm_range *r = &seq->ranges[seq->idx];
	u32 max = READ_ONCE(a->max_write_same_len);
	u32 n;

	if (!max)
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	n = min(le32_to_cpu(r->nlb) - seq->done, max);
	cmd->lba = le64_to_cpu(r->slba) + seq->done;
	seq->done += n;
	cmd->cdb[0] = WRITE_SAME_16;
	if (seq->deac && READ_ONCE(a->emulate_tpws) &&
	    READ_ONCE(a->unmap_zeroes_data))
		cmd->cdb[1] = NVMET_LIO_WS_UNMAP;
	put_unaligned_be64(cmd->lba, &cmd->cdb[2]);
	put_unaligned_be32(n, &cmd->cdb[10]);
	sg_init_table(&cmd->sg, 1);
	sg_set_page(&cmd->sg, ZERO_PAGE(0), a->block_size, 0);
	return NVME_SC_SUCCESS;
}

/* Step @seq past the ranges SCSI commands took whole; false if none left. */
static bool nvmet_lio_seq_skip(struct nvmet_lio_seq *seq)
{
	while (seq->idx < seq->nr &&
	       seq->done == le32_to_cpu(seq->ranges[seq->idx].nlb)) {
		seq->idx++;
		seq->done = 0;
	}
	return seq->idx < seq->nr;
}

/*
 * The next UNMAP of @seq: block descriptors for the ranges from the
 * current one on, at most max_unmap_block_desc_count of them (and
 * NVMET_LIO_UNMAP_DESCS), each of at most max_unmap_lba_count blocks, a
 * range split over as many as it takes.
 */
static u16 nvmet_lio_seq_unmap(struct nvmet_lio_seq *seq,
			       struct nvmet_lio_cmd *cmd, struct se_device *dev)
{
	const struct se_dev_attrib *a = &dev->dev_attrib;
	u32 max_lba = READ_ONCE(a->max_unmap_lba_count);
	u32 max_desc = min_t(u32, READ_ONCE(a->max_unmap_block_desc_count),
			     NVMET_LIO_UNMAP_DESCS);
	u32 len, n = 0;
	u8 *p;

	if (!max_lba || !max_desc)
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	cmd->param = kzalloc(NVMET_LIO_UNMAP_HDR +
			     max_desc * NVMET_LIO_UNMAP_DESC, GFP_NOIO);
	if (!cmd->param)
		return NVME_SC_INTERNAL;
	p = cmd->param + NVMET_LIO_UNMAP_HDR;
	while (n < max_desc && nvmet_lio_seq_skip(seq)) {
		const struct nvme_dsm_range *r = &seq->ranges[seq->idx];

		len = min(le32_to_cpu(r->nlb) - seq->done, max_lba);
		if (!n)
			cmd->lba = le64_to_cpu(r->slba) + seq->done;
		put_unaligned_be64(le64_to_cpu(r->slba) + seq->done, p);
		put_unaligned_be32(len, p + 8);
		p += NVMET_LIO_UNMAP_DESC;
		seq->done += len;
		n++;
	}
	len = NVMET_LIO_UNMAP_HDR + n * NVMET_LIO_UNMAP_DESC;
	/* UNMAP DATA LENGTH counts the bytes after itself */
	put_unaligned_be16(len - 2, cmd->param);
	put_unaligned_be16(n * NVMET_LIO_UNMAP_DESC, cmd->param + 2);
	cmd->cdb[0] = UNMAP;
	put_unaligned_be16(len, &cmd->cdb[7]);
	sg_init_one(&cmd->sg, cmd->param, len);
	return NVME_SC_SUCCESS;
}

/*
 * Start the next SCSI command of @seq, or complete its request when no
 * block is left.  Called from the I/O callback and from the completion of
 * the command before: process context either way.
 */
static void nvmet_lio_seq_next(struct nvmet_lio_seq *seq)
{
	struct nvmet_lio *lio = nvmet_lio_of(seq->req->ns);
	struct nvmet_lio_cmd *cmd;
	u16 status;

	if (!nvmet_lio_seq_skip(seq)) {
		nvmet_lio_seq_end(seq, NVME_SC_SUCCESS);
		return;
	}
	if (READ_ONCE(lio->unlinked)) {
		nvmet_lio_seq_end(seq, NVME_SC_NS_NOT_READY | NVME_STATUS_DNR);
		return;
	}
	cmd = nvmet_lio_cmd_alloc(seq->req);
	if (!cmd) {
		nvmet_lio_seq_end(seq, NVME_SC_INTERNAL);
		return;
	}
	cmd->seq = seq;
	if (seq->unmap)
		status = nvmet_lio_seq_unmap(seq, cmd, lio->dev);
	else
		status = nvmet_lio_seq_ws(seq, cmd, lio->dev);
	if (status) {
		nvmet_lio_cmd_free(cmd);
		nvmet_lio_seq_end(seq, status);
		return;
	}
	nvmet_lio_submit(cmd, &cmd->sg, 1, cmd->sg.length, DMA_TO_DEVICE);
}

static struct nvmet_lio_seq *nvmet_lio_seq_alloc(struct nvmet_req *req)
{
	struct nvmet_lio_seq *seq;

	seq = kzalloc(sizeof(*seq), GFP_NOIO);
	if (!seq) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return NULL;
	}
	seq->req = req;
	seq->ranges = &seq->one;
	seq->nr = 1;
	return seq;
}

/* The core has checked the range against the namespace's size. */
static void nvmet_lio_write_zeroes(struct nvmet_req *req)
{
	struct nvme_write_zeroes_cmd *wz = &req->cmd->write_zeroes;
	struct nvmet_lio_seq *seq;

	if (nvmet_lio_unlinked(req))
		return;
	seq = nvmet_lio_seq_alloc(req);
	if (!seq)
		return;
	seq->one.slba = wz->slba;
	seq->one.nlb = cpu_to_le32((u32)le16_to_cpu(wz->length) + 1);
	seq->deac = le16_to_cpu(wz->control) & NVME_WZ_DEAC;
	nvmet_lio_seq_next(seq);
}

/*
 * Every range is checked against the backstore's capacity before the
 * first UNMAP: a command with a range past the end fails with LBA Out of
 * Range and deallocates nothing.
 */
static void nvmet_lio_dsm(struct nvmet_req *req)
{
	struct nvmet_lio *lio = nvmet_lio_of(req->ns);
	struct nvme_dsm_range *ranges;
	struct nvmet_lio_seq *seq;
	unsigned int nr, i;
	u64 cap;
	u16 status;

	if (nvmet_lio_unlinked(req))
		return;
	status = nvmet_backend_get_dsm_ranges(req, &ranges, &nr);
	if (status) {
		nvmet_req_complete(req, status);
		return;
	}
	cap = nvmet_lio_capacity(lio->dev);
	for (i = 0; i < nr; i++) {
		status = nvmet_backend_check_range(req,
						   le64_to_cpu(ranges[i].slba),
						   le32_to_cpu(ranges[i].nlb),
						   cap);
		if (status) {
			kfree(ranges);
			nvmet_req_complete(req, status);
			return;
		}
	}
	seq = nvmet_lio_seq_alloc(req);
	if (!seq) {
		kfree(ranges);
		return;
	}
	seq->ranges = ranges;
	seq->nr = nr;
	seq->unmap = true;
	nvmet_lio_seq_next(seq);
}

/*
 * A fused pair as one COMPARE AND WRITE: the data-out buffer is the
 * blocks to compare, then the blocks to write.  target-core builds the
 * write from that buffer assuming both halves share one page (or take a
 * page each, for blocks of a page), so they are copied into one buffer
 * (kmalloc aligns an allocation of a power of two to its size).  A pair
 * over NVMET_LIO_CAW_MAX blocks fails with Invalid Field, not split: the
 * halves would not be atomic together.  Any failure of the SCSI command
 * is the Compare's (nothing written, so far as the one SCSI status can
 * tell), MISCOMPARE as Compare Failure; the Write then fails with
 * Failed Fused Command.
 */
static void nvmet_lio_compare_write(struct nvmet_req *first,
				    struct nvmet_req *second)
{
	struct nvmet_lio *lio = nvmet_lio_of(first->ns);
	u32 nlb = (u32)le16_to_cpu(first->cmd->rw.length) + 1;
	u32 len = first->data_len;
	struct nvmet_lio_cmd *cmd;

	if (READ_ONCE(lio->unlinked)) {
		nvmet_backend_fused_done(first, NVME_SC_NS_NOT_READY |
					 NVME_STATUS_DNR, 0);
		return;
	}
	if (nlb > NVMET_LIO_CAW_MAX) {
		first->error_loc = offsetof(struct nvme_rw_command, length);
		nvmet_backend_fused_done(first, NVME_SC_INVALID_FIELD |
					 NVME_STATUS_DNR, 0);
		return;
	}
	cmd = nvmet_lio_cmd_alloc(first);
	if (cmd)
		cmd->param = kmalloc(2 * len, GFP_NOIO);
	if (!cmd || !cmd->param ||
	    sg_copy_to_buffer(first->sg, first->sg_cnt, cmd->param, len) != len ||
	    sg_copy_to_buffer(second->sg, second->sg_cnt, cmd->param + len,
			      len) != len) {
		if (cmd)
			nvmet_lio_cmd_free(cmd);
		nvmet_backend_fused_done(first, NVME_SC_INTERNAL, 0);
		return;
	}
	cmd->second = second;
	cmd->cdb[0] = COMPARE_AND_WRITE;
	if (le16_to_cpu(second->cmd->rw.control) & NVME_RW_FUA)
		cmd->cdb[1] = NVMET_LIO_FUA;
	put_unaligned_be64(le64_to_cpu(first->cmd->rw.slba), &cmd->cdb[2]);
	cmd->cdb[13] = nlb;
	sg_init_one(&cmd->sg, cmd->param, 2 * len);
	nvmet_lio_submit(cmd, &cmd->sg, 1, 2 * len, DMA_TO_DEVICE);
}

static u8 nvmet_lio_resv_cap(struct nvmet_ns *ns)
{
	return nvmet_lio_of(ns)->resv ? NVMET_LIO_RESCAP : 0;
}

/*
 * The backstore's own word, read at each Identify Namespace: UNMAP's
 * granularity (in blocks) while deallocation is on, and whether unmapped
 * blocks read as zeroes (unmap_zeroes_data, which target-core reports as
 * LBPRZ), for DLFEAT; a Write Zeroes deallocates where WRITE SAME's UNMAP
 * bit does (emulate_tpws).
 */
static void nvmet_lio_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	const struct se_dev_attrib *a = &nvmet_lio_of(ns)->dev->dev_attrib;
	u64 gran = READ_ONCE(a->unmap_granularity);

	if (READ_ONCE(ns->features) & NVMET_BF_DEALLOCATE)
		lim->dealloc_granularity = min_t(u64, gran << ns->blksize_shift,
						 U32_MAX);
	lim->dealloc_zeroes = READ_ONCE(a->unmap_zeroes_data);
	lim->write_zeroes_dealloc = lim->dealloc_zeroes &&
				    READ_ONCE(a->emulate_tpws);
}

static const struct nvmet_backend_ops nvmet_lio_backend_ops = {
	.name		= "lio",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.open		= nvmet_lio_open,
	.close		= nvmet_lio_close,
	.revalidate	= nvmet_lio_revalidate,
	.rw		= nvmet_lio_rw,
	.flush		= nvmet_lio_flush,
	.write_zeroes	= nvmet_lio_write_zeroes,
	.dsm		= nvmet_lio_dsm,
	.copy		= nvmet_lio_copy,
	.limits		= nvmet_lio_limits,
	.compare_write	= nvmet_lio_compare_write,
	.resv_cap	= nvmet_lio_resv_cap,
	.resv		= nvmet_lio_resv,
};

static int __init nvmet_lio_init(void)
{
	int ret;

	nvmet_lio_cmd_cache = KMEM_CACHE(nvmet_lio_cmd, 0);
	if (!nvmet_lio_cmd_cache)
		return -ENOMEM;
	ret = nvmet_lio_pr_init();
	if (ret)
		goto out_cache;
	ret = target_register_template(&nvmet_lio_fabric_ops);
	if (ret)
		goto out_pr;
	ret = nvmet_register_backend(&nvmet_lio_backend_ops);
	if (ret)
		goto out_template;
	return 0;
out_template:
	target_unregister_template(&nvmet_lio_fabric_ops);
out_pr:
	nvmet_lio_pr_exit();
out_cache:
	kmem_cache_destroy(nvmet_lio_cmd_cache);
	return ret;
}

/*
 * Each enabled namespace pins the module, and target-core pins it while
 * target/nvmet_lio exists: no session and no portal group is left.
 */
static void __exit nvmet_lio_exit(void)
{
	nvmet_unregister_backend(&nvmet_lio_backend_ops);
	target_unregister_template(&nvmet_lio_fabric_ops);
	nvmet_lio_pr_exit();
	kmem_cache_destroy(nvmet_lio_cmd_cache);
}

module_init(nvmet_lio_init);
module_exit(nvmet_lio_exit);

MODULE_ALIAS("nvmet-backend-lio");
MODULE_DESCRIPTION("nvmet-ng lio backend: namespaces on LIO target-core backstores");
MODULE_LICENSE("GPL");
