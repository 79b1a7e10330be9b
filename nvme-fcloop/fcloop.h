/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvme-fcloop: an FC LLDD that loops the Linux NVMe/FC host (nvme-fc) back
 * to the FC-NVMe target (nvmet-fc) on the same machine.
 *
 * Objects, configured through /sys/class/fcloop/ctl:
 *   lport  a host-side local port (nvme_fc_register_localport())
 *   nport  one WWNN/WWPN seen from both sides: the host's remote port
 *          (nvme_fc_register_remoteport() on an lport) and the target's
 *          target port (nvmet_fc_register_targetport()); either may be
 *          missing, and an LS or command to a missing side fails
 *   exch   one FCP exchange: the host's nvmefc_fcp_req paired with the
 *          nvmefc_tgt_fcp_req we hand the target
 *
 * Locking: fcloop_ctl_lock (a mutex) serialises configuration and guards
 * the port lists.  nport->lock guards the nport's two sides; the host and
 * target entry points are called under it, so a side is never torn down
 * under a caller.  nport->ls_lock does the same for the process-context
 * calls into the host (nvme_fc_rcv_ls_req()).  exch->lock guards the
 * pairing of an exchange and the copies between the two sides' buffers.
 * Lock order: nport->lock, then exch->lock.
 */
#ifndef _FCLOOP_H
#define _FCLOOP_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/nvme-fc.h>
#include <linux/nvme-fc-driver.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

/* What the ports tell nvme-fc and nvmet-fc about the "hardware". */
#define FCLOOP_HW_QUEUES	4
#define FCLOOP_SGL_SEGS		256
#define FCLOOP_DMA_BOUNDARY	0xffffffff

/**
 * struct fcloop_lport - a host-side local port
 * @entry: on fcloop_lports (fcloop_ctl_lock)
 * @localport: nvme-fc's port (I)
 * @unreg_done: completed by localport_delete()
 */
struct fcloop_lport {
	struct list_head entry;
	struct nvme_fc_local_port *localport;
	struct completion unreg_done;
};

/**
 * struct fcloop_nport - a remote port of the host and the target port with
 *			 the same names
 * @ref: lifetime: the list, a registered remote port, a registered target
 *	 port
 * @entry: on fcloop_nports (fcloop_ctl_lock)
 * @node_name: WWNN (I)
 * @port_name: WWPN (I)
 * @lock: protects @rport and @tport
 * @ls_lock: held across calls into the host from process context; also
 *	     taken to clear @rport
 * @rport: the host's remote port, or NULL
 * @tport: the target port, or NULL
 * @lport: the local port @rport is on (fcloop_ctl_lock)
 * @tport_done: completed by targetport_delete()
 */
struct fcloop_nport {
	struct kref ref;
	struct list_head entry;
	u64 node_name;
	u64 port_name;
	spinlock_t lock;		/* rport, tport */
	struct mutex ls_lock;		/* calls into the host's LS path */
	struct nvme_fc_remote_port *rport;
	struct nvmet_fc_target_port *tport;
	struct fcloop_lport *lport;
	struct completion tport_done;
};

/* What nvme-fc and nvmet-fc keep in their ports' private areas. */
struct fcloop_port_priv {
	void *port;
};

/**
 * struct fcloop_ls - an LS on its way, in the requester's private area
 * @ls_rsp: the responder's exchange
 * @lsreq: the request
 * @nport: the nport it goes through
 * @work: delivers it, or completes it with @status
 * @status: why it failed
 */
struct fcloop_ls {
	struct nvmefc_ls_rsp ls_rsp;
	struct nvmefc_ls_req *lsreq;
	struct fcloop_nport *nport;
	struct work_struct work;
	int status;
};

/**
 * struct fcloop_exch - an FCP exchange between host and target
 * @ref: one for the host side until its request is completed, one for
 *	 the target side until fcp_req_release()
 * @tgt_req: the target's view of the exchange
 * @lock: protects @host_req, @host_status and @tgt_active
 * @host_req: the host's request, NULL once completed
 * @host_status: status to complete the host's request with
 * @tgt_active: the target holds @tgt_req
 * @nport: the nport it goes through (I)
 * @tport: the target port (I once the target took it)
 * @done_work: completes the host's request outside the target's locks
 */
struct fcloop_exch {
	struct kref ref;
	struct nvmefc_tgt_fcp_req tgt_req;
	spinlock_t lock;		/* host_req, host_status, tgt_active */
	struct nvmefc_fcp_req *host_req;
	int host_status;
	bool tgt_active;
	struct fcloop_nport *nport;
	struct nvmet_fc_target_port *tport;
	struct work_struct done_work;
};

/**
 * struct fcloop_ini_req - the host's request's private area
 * @exch: its exchange (nport->lock)
 */
struct fcloop_ini_req {
	struct fcloop_exch *exch;
};

static inline struct fcloop_nport *fcloop_rport_nport(struct nvme_fc_remote_port *r)
{
	return ((struct fcloop_port_priv *)r->private)->port;
}

static inline struct fcloop_nport *fcloop_tport_nport(struct nvmet_fc_target_port *t)
{
	return ((struct fcloop_port_priv *)t->private)->port;
}

/* main.c */
extern struct workqueue_struct *fcloop_wq;

/* ports.c */
extern struct nvme_fc_port_template fcloop_host_template;
extern struct nvmet_fc_target_template fcloop_tgt_template;
extern unsigned int fcloop_add_port_delay_ms;
void fcloop_templates_init(void);
void fcloop_nport_put(struct fcloop_nport *nport);
int fcloop_add_local_port(u64 wwnn, u64 wwpn, u32 roles, u32 fcaddr);
int fcloop_del_local_port(u64 wwnn, u64 wwpn);
int fcloop_add_remote_port(u64 wwnn, u64 wwpn, u64 lpwwnn, u64 lpwwpn,
			   u32 roles, u32 fcaddr);
int fcloop_del_remote_port(u64 wwnn, u64 wwpn);
int fcloop_add_target_port(u64 wwnn, u64 wwpn, u32 fcaddr);
int fcloop_del_target_port(u64 wwnn, u64 wwpn);
void fcloop_del_all(void);

/* ls.c */
int fcloop_host_ls_req(struct nvme_fc_local_port *localport,
		       struct nvme_fc_remote_port *remoteport,
		       struct nvmefc_ls_req *lsreq);
void fcloop_host_ls_abort(struct nvme_fc_local_port *localport,
			  struct nvme_fc_remote_port *remoteport,
			  struct nvmefc_ls_req *lsreq);
int fcloop_host_xmt_ls_rsp(struct nvme_fc_local_port *localport,
			   struct nvme_fc_remote_port *remoteport,
			   struct nvmefc_ls_rsp *ls_rsp);
int fcloop_tgt_xmt_ls_rsp(struct nvmet_fc_target_port *tport,
			  struct nvmefc_ls_rsp *ls_rsp);
int fcloop_tgt_ls_req(struct nvmet_fc_target_port *tport, void *hosthandle,
		      struct nvmefc_ls_req *lsreq);
void fcloop_tgt_ls_abort(struct nvmet_fc_target_port *tport, void *hosthandle,
			 struct nvmefc_ls_req *lsreq);

/* fcp.c */
int fcloop_host_fcp_io(struct nvme_fc_local_port *localport,
		       struct nvme_fc_remote_port *remoteport,
		       void *hw_queue_handle, struct nvmefc_fcp_req *fcpreq);
void fcloop_host_fcp_abort(struct nvme_fc_local_port *localport,
			   struct nvme_fc_remote_port *remoteport,
			   void *hw_queue_handle, struct nvmefc_fcp_req *fcpreq);
int fcloop_tgt_fcp_op(struct nvmet_fc_target_port *tport,
		      struct nvmefc_tgt_fcp_req *tgt_req);
void fcloop_tgt_fcp_abort(struct nvmet_fc_target_port *tport,
			  struct nvmefc_tgt_fcp_req *tgt_req);
void fcloop_tgt_fcp_req_release(struct nvmet_fc_target_port *tport,
				struct nvmefc_tgt_fcp_req *tgt_req);

#endif /* _FCLOOP_H */
