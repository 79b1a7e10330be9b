/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-fc: the FC-NVMe target side of nvmet-ng, behind the LLDD interface
 * of include/linux/nvme-fc-driver.h.
 *
 * Objects, outermost first:
 *   port entry   one per enabled nvmet port of type fc, from add_port() to
 *                remove_port(): its WWNN/WWPN (addr_traddr nn-0x..:pn-0x..)
 *                and the target port of those names that serves it, if one
 *                is registered; it outlives the target port, so the LLDD's
 *                next registration of the same names (an HBA reset) is
 *                bound to the nvmet port again without an administrator
 *   target port  one per nvmet_fc_register_targetport() of an LLDD; serves
 *                at most one port entry
 *   association  one per Create Association LS: an admin queue and the
 *                I/O queues of Create I/O Connection LSs
 *   queue        embeds the core's nvmet_sq/nvmet_cq and a pool of
 *                command contexts sized from the LS's sqsize
 *   command      one FCP exchange, from the CMD IU to fcp_req_release()
 *
 * Locking: nvmet_fc_tgtports_lock (a mutex) guards the lists of target
 * ports and port entries and the bindings between them, and is only taken
 * on configuration paths; it nests inside the core's port link_lock.
 * Each target port has a spinlock for its association list and host
 * handles; each queue has a spinlock for its command pool.  The FCP path
 * looks associations up in the target port's xarray under RCU and takes
 * only the queue's lock, so no lock is shared between target ports or
 * between queues.  Lock order: tgtport->lock, then queue->lock.
 *
 * Conventions:
 * @tgtport: a registered target port, referenced by the caller
 * @assoc:   an association of @tgtport
 * @queue:   a queue of @assoc
 * @cmd:     a command context of @queue
 */
#ifndef _NVMET_FC_H
#define _NVMET_FC_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/nvme.h>
/* nvme-fc.h first: it brings struct fc_ba_rjt, which the driver API uses */
#include <linux/nvme-fc.h>
#include <linux/nvme-fc-driver.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <nvmet/nvmet.h>
#include <nvmet/req.h>

/* Most queues of an association: the admin queue and 128 I/O queues. */
#define NVMET_FC_MAX_QUEUES	(NVMET_NR_QUEUES + 1)
/* Largest sqsize + 1 a Create Association/Connection may ask for. */
#define NVMET_FC_MAX_SQSIZE	NVMET_QUEUE_SIZE
/* Association IDs: random high 32 bits, index in bits 16-31, qid below. */
#define NVMET_FC_ASSOC_IDX_SHIFT	16
#define NVMET_FC_ASSOC_IDX_MAX	0xffff
#define NVMET_FC_QID_MASK	0xffffULL
/* LS request and response buffers: the largest LS we accept. */
#define NVMET_FC_LS_BUF_SIZE	1024

struct nvmet_fc_tgtport;

/**
 * struct nvmet_fc_port_entry - an enabled nvmet port of type fc
 * @entry: on nvmet_fc_port_entries (nvmet_fc_tgtports_lock)
 * @nport: the nvmet port; port->priv points back (I)
 * @node_name: WWNN of its addr_traddr (I)
 * @port_name: WWPN of its addr_traddr (I)
 * @tgtport: the registered target port with these names, which serves
 *	     @nport, or NULL while the LLDD has none registered; holds a
 *	     memory reference (nvmet_fc_tgtports_lock)
 */
struct nvmet_fc_port_entry {
	struct list_head entry;
	struct nvmet_port *nport;
	u64 node_name;
	u64 port_name;
	struct nvmet_fc_tgtport *tgtport;
};

/**
 * struct nvmet_fc_tgtport - a target port an LLDD registered
 * @fc_port: what the LLDD sees (its node/port names, private area)
 * @ops: the LLDD's template (I)
 * @dev: device for DMA mappings, NULL for none (fcloop) (I)
 * @ref: memory lifetime: the registration, the port entry it serves
 * @users: what keeps the LLDD's port in use: the registration, every
 *	   association, LS exchange and LS request; the last put calls
 *	   ops->targetport_delete()
 * @entry: on nvmet_fc_tgtports (nvmet_fc_tgtports_lock)
 * @lock: protects @assoc_list, @hosts and the T fields; taken with
 *	  interrupts saved, as LLDDs call in (nvmet_fc_rcv_ls_req()...) with
 *	  interrupts off
 * @nport: the nvmet port of the port entry we serve, NULL if none (T and
 *	   nvmet_fc_tgtports_lock write; either read)
 * @registered: not yet unregistered (T)
 * @assocs: associations by index, for lookups under RCU (xa_lock write)
 * @assoc_list: every association not yet freed (T)
 * @hosts: struct nvmet_fc_hostref of the host handles in use (T)
 * @delete_work: calls ops->targetport_delete() in process context
 */
struct nvmet_fc_tgtport {
	struct nvmet_fc_target_port fc_port;
	const struct nvmet_fc_target_template *ops;
	struct device *dev;
	struct kref ref;
	refcount_t users;
	struct list_head entry;
	spinlock_t lock;		/* associations, hosts, T fields */
	struct nvmet_port *nport;
	bool registered;
	struct xarray assocs;
	struct list_head assoc_list;
	struct list_head hosts;
	struct work_struct delete_work;
};

static inline struct nvmet_fc_tgtport *
nvmet_fc_tgtport(struct nvmet_fc_target_port *fc_port)
{
	return container_of(fc_port, struct nvmet_fc_tgtport, fc_port);
}

/**
 * struct nvmet_fc_hostref - a host handle associations were created with
 * @entry: on tgtport->hosts (T)
 * @handle: the LLDD's handle (I)
 * @nr_assocs: associations using @handle (T)
 * @invalidated: the LLDD called nvmet_fc_invalidate_host(); release the
 *		 handle when @nr_assocs drops to 0 (T)
 */
struct nvmet_fc_hostref {
	struct list_head entry;
	void *handle;
	unsigned int nr_assocs;
	bool invalidated;
};

/**
 * enum nvmet_fc_cmd_state - where a command context is
 * @NVMET_FC_CMD_FREE: in the queue's pool
 * @NVMET_FC_CMD_RECEIVED: the CMD IU is in, the work will parse it
 * @NVMET_FC_CMD_WRITEDATA: WRITEDATA ops are fetching its data
 * @NVMET_FC_CMD_EXEC: the core owns it until queue_response()
 * @NVMET_FC_CMD_RESPOND: READDATA/RSP ops are sending its data and ERSP
 */
enum nvmet_fc_cmd_state {
	NVMET_FC_CMD_FREE,
	NVMET_FC_CMD_RECEIVED,
	NVMET_FC_CMD_WRITEDATA,
	NVMET_FC_CMD_EXEC,
	NVMET_FC_CMD_RESPOND,
};

struct nvmet_fc_queue;

/**
 * struct nvmet_fc_cmd - a command context: one FCP exchange
 * @queue: the queue (I)
 * @fcpreq: the LLDD's exchange while the context is in use
 * @req: the request handed to the core
 * @cmd_iu: the CMD IU, copied when it arrived; req.cmd points into it
 * @rsp_iu: the ERSP IU; req.cqe points into it
 * @rsp_dma: DMA address of @rsp_iu
 * @work: parses a command, and executes it once its data is in
 * @entry: on queue->free_cmds while FREE
 * @state: enum nvmet_fc_cmd_state; changed by whoever owns the command
 * @aborted: the exchange was aborted; send nothing more (atomic bitop)
 * @wd_inline: the work is still in the call that starts the WRITEDATA;
 *	       whichever of it and the data's last completion clears this
 *	       first leaves the execution to the other (atomic bitop)
 * @sg_mapped: req.sg is DMA-mapped for the LLDD
 * @data_len: bytes of data the CMD IU announced
 * @offset: bytes of data moved so far
 * @next_sg: the first scatterlist entry of the next data op
 */
struct nvmet_fc_cmd {
	struct nvmet_fc_queue *queue;
	struct nvmefc_tgt_fcp_req *fcpreq;
	struct nvmet_req req;
	struct nvme_fc_cmd_iu cmd_iu;
	struct nvme_fc_ersp_iu rsp_iu;
	dma_addr_t rsp_dma;
	struct work_struct work;
	struct list_head entry;
	u8 state;
	unsigned long aborted;
	unsigned long wd_inline;
	bool sg_mapped;
	u32 data_len;
	u32 offset;
	struct scatterlist *next_sg;
};

struct nvmet_fc_assoc;

/**
 * struct nvmet_fc_queue - an admin or I/O queue (an FC-NVMe connection)
 * @assoc: the association (I)
 * @qid: queue ID (I)
 * @sqsize: entries the host may have outstanding, sqsize + 1 (I)
 * @connection_id: association ID | qid (I)
 * @lock: protects @free_cmds, @live and @nr_busy
 * @live: commands are accepted
 * @nr_busy: contexts not in @free_cmds
 * @idle: woken when @nr_busy drops to zero on a queue that is not live
 * @rsn: ERSP response sequence number (atomic)
 * @free_cmds: free contexts
 * @nvme_sq: the core's submission queue
 * @nvme_cq: the core's completion queue
 * @rcu: frees the queue after FCP lookups are done with it
 * @nr_cmds: entries of @cmds (I)
 * @cmds: the contexts
 */
struct nvmet_fc_queue {
	struct nvmet_fc_assoc *assoc;
	u16 qid;
	u16 sqsize;
	u64 connection_id;
	spinlock_t lock;		/* free_cmds, live, nr_busy */
	bool live;
	unsigned int nr_busy;
	wait_queue_head_t idle;
	atomic_t rsn;
	struct list_head free_cmds;
	struct nvmet_sq nvme_sq;
	struct nvmet_cq nvme_cq;
	struct rcu_head rcu;
	unsigned int nr_cmds;
	struct nvmet_fc_cmd cmds[] __counted_by(nr_cmds);
};

/**
 * struct nvmet_fc_assoc - an FC-NVMe association (one controller)
 * @ref: memory lifetime: delete_work and LS handlers in progress
 * @tgtport: the target port, whose users it counts (I)
 * @nport: the nvmet port it came through, referenced (I)
 * @hostref: the host handle it was created with (I)
 * @association_id: its ID (I)
 * @idx: index in tgtport->assocs (I)
 * @entry: on tgtport->assoc_list (T)
 * @deleting: teardown started (atomic bitop)
 * @host_disconnected: the host asked for the teardown; do not send it a
 *		       Disconnect Association LS (A)
 * @queues: queues by qid (tgtport->lock write, RCU read)
 * @delete_work: tears the association down
 * @rcu: frees the association after lookups are done with it
 */
struct nvmet_fc_assoc {
	struct kref ref;
	struct nvmet_fc_tgtport *tgtport;
	struct nvmet_port *nport;
	struct nvmet_fc_hostref *hostref;
	u64 association_id;
	u32 idx;
	struct list_head entry;
	unsigned long deleting;
	bool host_disconnected;
	struct nvmet_fc_queue __rcu *queues[NVMET_FC_MAX_QUEUES];
	struct work_struct delete_work;
	struct rcu_head rcu;
};

/* A queue pointer of @assoc, read by a writer holding tgtport->lock. */
static inline struct nvmet_fc_queue *
nvmet_fc_queue_deref(struct nvmet_fc_assoc *assoc, unsigned int qid)
{
	return rcu_dereference_protected(assoc->queues[qid],
				lockdep_is_held(&assoc->tgtport->lock));
}

/* main.c */
extern const struct nvmet_fabric_ops nvmet_fc_fabric_ops;
extern struct workqueue_struct *nvmet_fc_wq;

/* tgtport.c */
void nvmet_fc_tgtport_get(struct nvmet_fc_tgtport *tgtport);
void nvmet_fc_tgtport_put(struct nvmet_fc_tgtport *tgtport);
bool nvmet_fc_tgtport_use(struct nvmet_fc_tgtport *tgtport);
void nvmet_fc_tgtport_unuse(struct nvmet_fc_tgtport *tgtport);
int nvmet_fc_port_entry_add(struct nvmet_port *nport, u64 wwnn, u64 wwpn);
void nvmet_fc_port_entry_remove(struct nvmet_port *nport);
void nvmet_fc_port_disc_changed(struct nvmet_port *nport);
struct nvmet_fc_hostref *nvmet_fc_hostref_get(struct nvmet_fc_tgtport *tgtport,
					      void *handle,
					      struct nvmet_fc_hostref *spare);
void nvmet_fc_hostref_put(struct nvmet_fc_tgtport *tgtport,
			  struct nvmet_fc_hostref *hostref);
void nvmet_fc_delete_ctrl(struct nvmet_ctrl *ctrl);

/* assoc.c */
int nvmet_fc_assoc_create(struct nvmet_fc_tgtport *tgtport, void *hosthandle,
			  u16 sqsize, u64 *association_id);
struct nvmet_fc_assoc *nvmet_fc_assoc_find(struct nvmet_fc_tgtport *tgtport,
					   u64 association_id);
struct nvmet_fc_assoc *nvmet_fc_assoc_find_get(struct nvmet_fc_tgtport *tgtport,
					       u64 association_id);
void nvmet_fc_assoc_put(struct nvmet_fc_assoc *assoc);
int nvmet_fc_queue_create(struct nvmet_fc_assoc *assoc, u16 qid, u16 sqsize);
void nvmet_fc_assoc_schedule_delete(struct nvmet_fc_assoc *assoc);
void nvmet_fc_delete_assocs(struct nvmet_fc_tgtport *tgtport,
			    struct nvmet_port *nport, void *hosthandle);
bool nvmet_fc_tgtport_delete_ctrl(struct nvmet_fc_tgtport *tgtport,
				  struct nvmet_ctrl *ctrl);
u16 nvmet_fc_install_queue(struct nvmet_sq *sq);
struct nvmet_fc_queue *nvmet_fc_queue_lookup(struct nvmet_fc_tgtport *tgtport,
					     u64 connection_id);
int nvmet_fc_assocs_init(void);
void nvmet_fc_assocs_exit(void);

/* ls.c */
void nvmet_fc_send_disconnect(struct nvmet_fc_assoc *assoc);

/* fcp.c */
void nvmet_fc_cmds_init(struct nvmet_fc_queue *queue);
struct nvmet_fc_cmd *nvmet_fc_cmd_get(struct nvmet_fc_queue *queue);
void nvmet_fc_abort_cmds(struct nvmet_fc_queue *queue);
void nvmet_fc_queue_response(struct nvmet_req *req);

#endif /* _NVMET_FC_H */
