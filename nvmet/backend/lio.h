/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lio backend's parts shared by its files: lio.c (the fabric, the
 * namespaces, the I/O commands), lio_pr.c (one SCSI I_T nexus per NVMe
 * host, and NVMe reservations on the backstore's SPC-3 persistent
 * reservations) and lio_copy.c (Copy as EXTENDED COPY).  Internal to
 * nvmet-lio.ko.
 */
#ifndef _NVMET_BACKEND_LIO_H
#define _NVMET_BACKEND_LIO_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uuid.h>

struct nvmet_ns;
struct nvmet_req;
struct se_device;
struct se_portal_group;
struct se_session;

/*
 * RESCAP of a namespace on a backstore with SPC-3 reservations: the six
 * types (SCSI has all six), Persist Through Power Loss (APTPL) and IEKEY
 * on Register as NVMe 1.3 and later define it (REGISTER AND IGNORE
 * EXISTING KEY); the same as the core's own.
 */
#define NVMET_LIO_RESCAP	0xff

/*
 * The initiator name of an NVMe host's SCSI I_T nexus: this prefix, then
 * the host identifier as a UUID string (nvmet_lio_host_name()).
 */
#define NVMET_LIO_HOST_PREFIX	"nvmet-lio.hostid."

/**
 * struct nvmet_lio_hosts - the SCSI sessions of an enabled namespace, one
 *			    per NVMe host that sent it a command
 * @lock: serialises the creation of sessions (the writers of @list)
 * @list: struct nvmet_lio_host entries (@lock write, RCU read)
 */
struct nvmet_lio_hosts {
	struct mutex lock;		/* the writers of @list */
	struct list_head list;
};

void nvmet_lio_hosts_init(struct nvmet_lio_hosts *hosts);
void nvmet_lio_hosts_free(struct nvmet_lio_hosts *hosts);
struct se_session *nvmet_lio_host_sess(struct nvmet_lio_hosts *hosts,
				       struct se_portal_group *se_tpg,
				       const uuid_t *hostid);

/**
 * struct nvmet_lio_wait - a SCSI command a work item waits for
 * @done: completed by the command's completion
 * @status: the NVMe status its SCSI status maps to
 */
struct nvmet_lio_wait {
	struct completion done;
	u16 status;
};

u16 nvmet_lio_run(struct nvmet_req *req, const u8 *cdb, unsigned int cdb_len,
		  void *buf, u32 len, int dir);
void nvmet_lio_resv(struct nvmet_req *req);
struct se_device *nvmet_lio_dev(struct nvmet_ns *ns);
u64 nvmet_lio_capacity(struct se_device *dev);
int nvmet_lio_copy(struct nvmet_req *req, struct nvmet_ns *dst, loff_t dpos,
		   struct nvmet_ns *src, loff_t spos, u64 len, bool fua);
int nvmet_lio_pr_init(void);
void nvmet_lio_pr_exit(void);

#endif /* _NVMET_BACKEND_LIO_H */
