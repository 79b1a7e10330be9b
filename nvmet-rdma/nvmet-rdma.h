/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-rdma: the NVMe over Fabrics RDMA transport binding of nvmet-ng.
 *
 * One struct nvmet_rdma_queue per RDMA-CM connection, with its own CQ,
 * polled on a workqueue (IB_POLL_WORKQUEUE): every completion handler runs
 * in process context, one at a time for one queue (but see srq.c for the
 * drain of a queue on a shared receive queue).  A receive buffer
 * (struct nvmet_rdma_recv) takes one command capsule and its in-capsule
 * data; a command slot (struct nvmet_rdma_cmd) holds the request, the
 * response capsule and the RDMA READ/WRITE context of the command:
 *
 *   receive posted -> capsule in (io.c) -> nvmet_req_init()
 *     -> [RDMA READ of the host's data] -> req->execute()
 *     -> queue_response(): [RDMA WRITE of the data] + SEND of the response
 *     -> send completion: data freed, receive posted again.
 *
 * Without a shared receive queue (the default) a queue owns one receive
 * buffer per slot, bound to it for life, posted on its own QP.  With
 * use_srq, the buffers belong to the SRQ of the queue's completion vector
 * (srq.c): a capsule takes a free slot of the queue it came on, and its
 * buffer goes back to the SRQ as soon as the capsule is consumed.
 *
 * queue_response() runs in any context; the only state it shares with the
 * completion handlers is the send queue accounting (sq_wr_avail and the
 * wait list under wr_lock).  Teardown (queue.c) is a release work that
 * takes over a queue once it is DISCONNECTING.
 *
 * Conventions:
 * @queue: a queue, alive while the caller runs (a completion or CM event
 *	   of it, its port's queues_lock held, or a request of it in flight)
 * @cmd:   a command slot of @queue
 * @ndev:  a referenced device object
 * @nport: an nvmet port of type rdma
 * @rport: our listener of @nport (nport->priv while the port is enabled)
 */
#ifndef _NVMET_RDMA_H
#define _NVMET_RDMA_H

#include <linux/list.h>
#include <linux/kref.h>
#include <linux/nvme.h>
#include <linux/nvme-rdma.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <rdma/ib_verbs.h>
#include <rdma/rdma_cm.h>
#include <rdma/rw.h>

#include <nvmet/req.h>

/* Port defaults and limits (negative port parameters mean default). */
#define NVMET_RDMA_DEF_INLINE_DATA_SIZE	PAGE_SIZE
#define NVMET_RDMA_MAX_INLINE_DATA_SIZE	SZ_16K
#define NVMET_RDMA_MAX_INLINE_PAGES \
	(NVMET_RDMA_MAX_INLINE_DATA_SIZE / PAGE_SIZE)
#define NVMET_RDMA_DEF_QUEUE_SIZE	128
#define NVMET_RDMA_MAX_QUEUE_SIZE	256
/* Identify MDTS: 2^8 pages of 4 KiB, 1 MiB per command. */
#define NVMET_RDMA_MDTS			8
#define NVMET_RDMA_MAX_TRANSFER		(SZ_4K << NVMET_RDMA_MDTS)
/* Send SGEs an RDMA READ/WRITE work request may carry. */
#define NVMET_RDMA_MAX_SEND_SGE		32
/* Pending connection requests on a listener. */
#define NVMET_RDMA_BACKLOG		128
/*
 * Receive buffers per host submission queue entry.  The host may send a
 * new command as soon as it has a response, before our send completion
 * gave the buffer back; spare buffers avoid receiver-not-ready retries.
 */
#define NVMET_RDMA_RECV_FACTOR		2
/* Module parameter srq_size: receive buffers per shared receive queue. */
#define NVMET_RDMA_DEF_SRQ_SIZE		1024
#define NVMET_RDMA_MIN_SRQ_SIZE		256
#define NVMET_RDMA_MAX_SRQ_SIZE		65535

/* What an rdma_cm_id's context points to. */
enum nvmet_rdma_ctx_kind {
	NVMET_RDMA_CTX_PORT,
	NVMET_RDMA_CTX_QUEUE,
};

struct nvmet_rdma_cmd;
struct nvmet_rdma_srq;

/**
 * struct nvmet_rdma_recv - a receive buffer of one command capsule
 * @ibdev: the device it is mapped for (I)
 * @qp: the QP it is posted on, without an SRQ (I)
 * @srq: the SRQ that owns it, or NULL (I)
 * @cmd: without an SRQ, the command slot it is bound to (I)
 * @sqe: the command (I)
 * @sqe_dma: its DMA address (I)
 * @inline_pages: the pages of in-capsule data (I)
 * @nr_inline: entries of @inline_pages (I)
 * @sge: the SGEs of @wr: @sqe, then @inline_pages (I)
 * @wr: posts @sge
 * @cqe: receive completion
 * @byte_len: capsule length, while on a queue's backlog (srq.c)
 * @backlog_entry: on queue->backlog (queue->slot_lock)
 *
 * Posted, it belongs to the hardware; completed, to the queue it came on
 * until the capsule is consumed (without an SRQ, until its slot is free).
 */
struct nvmet_rdma_recv {
	struct ib_device *ibdev;
	struct ib_qp *qp;
	struct nvmet_rdma_srq *srq;
	struct nvmet_rdma_cmd *cmd;
	struct nvme_command *sqe;
	u64 sqe_dma;
	struct page *inline_pages[NVMET_RDMA_MAX_INLINE_PAGES];
	unsigned int nr_inline;
	struct ib_sge sge[1 + NVMET_RDMA_MAX_INLINE_PAGES];
	struct ib_recv_wr wr;
	struct ib_cqe cqe;
	u32 byte_len;
	struct list_head backlog_entry;
};

/**
 * struct nvmet_rdma_srq - a shared receive queue of a device
 * @srq: the SRQ (I)
 * @ndev: its device, not referenced: the device destroys it (I)
 * @idx: its number on the device, for messages (I)
 * @inline_size: in-capsule data each buffer takes (I)
 * @nr_recvs: entries of @recvs (I)
 * @recvs: its receive buffers (I)
 */
struct nvmet_rdma_srq {
	struct ib_srq *srq;
	struct nvmet_rdma_device *ndev;
	unsigned int idx;
	u32 inline_size;
	u32 nr_recvs;
	struct nvmet_rdma_recv *recvs;
};

/**
 * struct nvmet_rdma_device - an RDMA device we have queues on
 * @ref: one per queue, and one while being set up
 * @entry: on nvmet_rdma_devices (nvmet_rdma_devices_lock)
 * @ibdev: the device (I)
 * @pd: the protection domain of all its queues (I)
 * @inline_max: most in-capsule data its max_recv_sge allows (I)
 * @nr_srqs: entries of @srqs, 0 without use_srq (I)
 * @srqs: one shared receive queue per completion vector, up to the
 *	  device's max_srq; destroyed with the device, after its last queue
 *	  (I)
 */
struct nvmet_rdma_device {
	struct kref ref;
	struct list_head entry;
	struct ib_device *ibdev;
	struct ib_pd *pd;
	u32 inline_max;
	unsigned int nr_srqs;
	struct nvmet_rdma_srq *srqs;
};

/**
 * struct nvmet_rdma_port - a listener and the queues it accepted
 * @kind: NVMET_RDMA_CTX_PORT, for the CM event handler (I)
 * @ref: references: the port while it is enabled, and each queue
 * @nport: the nvmet port, referenced (I)
 * @cm_id: the listening id; whoever xchg()es it to NULL destroys it
 * @addr: the address listened on (I)
 * @portid: the port ID, for messages (I)
 * @inline_data_size: in-capsule data size of the port (I)
 * @max_queue_size: largest I/O queue of the port (I)
 * @entry: on nvmet_rdma_ports (nvmet_rdma_ports_lock)
 * @queues_lock: protects @queues and @closed
 * @queues: the published queues of this port that are not released yet
 * @closed: remove_port() closed the queues; no queue joins any more
 * @rcu: frees the listener after an RCU grace period (see delete_ctrl())
 */
struct nvmet_rdma_port {
	enum nvmet_rdma_ctx_kind kind;
	struct kref ref;
	struct nvmet_port *nport;
	struct rdma_cm_id *cm_id;
	struct sockaddr_storage addr;
	u16 portid;
	u32 inline_data_size;
	u32 max_queue_size;
	struct list_head entry;
	spinlock_t queues_lock;		/* queues, closed */
	struct list_head queues;
	bool closed;
	struct rcu_head rcu;
};

/**
 * enum nvmet_rdma_queue_state - where a queue is in its life
 * @NVMET_RDMA_Q_CONNECTING: accepted, RDMA-CM not yet ESTABLISHED
 * @NVMET_RDMA_Q_LIVE: established
 * @NVMET_RDMA_Q_DISCONNECTING: the release work owns the queue
 */
enum nvmet_rdma_queue_state {
	NVMET_RDMA_Q_CONNECTING,
	NVMET_RDMA_Q_LIVE,
	NVMET_RDMA_Q_DISCONNECTING,
};

/**
 * enum nvmet_rdma_wait_op - what a command waits for send queue room to do
 * @NVMET_RDMA_POST_READ: the RDMA READ of a write's data
 * @NVMET_RDMA_POST_RESPONSE: the RDMA WRITE of a read's data and the SEND
 *			      of the response
 */
enum nvmet_rdma_wait_op {
	NVMET_RDMA_POST_READ,
	NVMET_RDMA_POST_RESPONSE,
};

struct nvmet_rdma_queue;

/**
 * struct nvmet_rdma_cmd - a command slot; owned by whoever holds the
 *			   command: the receive path until nvmet_req_init(),
 *			   the core until queue_response(), the send
 *			   completion after
 * @queue: the queue (I)
 * @req: the request handed to the core
 * @sqe: the command: @recv's without an SRQ, else the slot's copy (I)
 * @recv: without an SRQ, the slot's receive buffer (I); with one, the
 *	  buffer of a capsule with in-capsule data until queue_response(),
 *	  NULL otherwise
 * @cqe: the response capsule (I)
 * @cqe_dma: its DMA address (I)
 * @inline_sg: req->sg of a command with in-capsule data
 * @free_entry: on queue->free_slots while free, with an SRQ (slot_lock)
 * @send_sge: the SGE of @send_wr (I)
 * @send_wr: the SEND of the response
 * @send_cqe: send completion
 * @read_cqe: RDMA READ completion
 * @rw: RDMA READ/WRITE context of a keyed SGL
 * @rw_wrs: work requests of @rw, 0 when @rw is not initialised
 * @rw_dir: DMA direction @rw maps req->sg for
 * @posted_wrs: send queue entries the command holds
 * @remote_addr: the keyed SGL's address
 * @rkey: the keyed SGL's key
 * @invalidate: the host asked us to invalidate @rkey with the response
 * @inline_data: req->sg is @inline_sg, not ours to free
 * @inline_off: offset of the in-capsule data in @recv's pages
 * @wait_op: enum nvmet_rdma_wait_op, while on the queue's wait list
 * @wait_entry: on queue->wr_wait_list (wr_lock)
 */
struct nvmet_rdma_cmd {
	struct nvmet_rdma_queue *queue;
	struct nvmet_req req;
	struct nvme_command *sqe;
	struct nvmet_rdma_recv *recv;
	struct nvme_completion *cqe;
	u64 cqe_dma;
	struct scatterlist inline_sg[NVMET_RDMA_MAX_INLINE_PAGES];
	struct list_head free_entry;
	struct ib_sge send_sge;
	struct ib_send_wr send_wr;
	struct ib_cqe send_cqe;
	struct ib_cqe read_cqe;
	struct rdma_rw_ctx rw;
	unsigned int rw_wrs;
	enum dma_data_direction rw_dir;
	unsigned int posted_wrs;
	u64 remote_addr;
	u32 rkey;
	bool invalidate;
	bool inline_data;
	u32 inline_off;
	u8 wait_op;
	struct list_head wait_entry;
};

/**
 * struct nvmet_rdma_queue - one RDMA-CM connection
 * @kind: NVMET_RDMA_CTX_QUEUE, for the CM event handler (I)
 * @cm_id: the connection (I)
 * @qp: its queue pair (I)
 * @cq: the completion queue of both work queues (I)
 * @ndev: the device, referenced (I)
 * @rport: the listener it came through, referenced (I)
 * @nport: the port it came through, rport->nport (I)
 * @portid: the port ID, for messages (I)
 * @idx: queue number, for messages (I)
 * @host_qid: the queue ID the host asked for (I)
 * @inline_max: most in-capsule data a command may carry (I)
 * @nr_cmds: command slots, and receive buffers without an SRQ (I)
 * @comp_vector: completion vector of @cq (I)
 * @sq_depth: commands the host may have outstanding, hsqsize + 1 (I)
 * @listen_any: the listener was bound to a wildcard address (I)
 * @state_lock: protects transitions of @state
 * @state: enum nvmet_rdma_queue_state (state_lock write, A read)
 * @parked: released, only the structure and @cm_id left (park.c) (A)
 * @entry: on rport->queues (rport->queues_lock) once published; parked,
 *	   on the parked list (its lock)
 * @nvme_sq: the core's submission queue
 * @nvme_cq: the core's completion queue
 * @release_work: tears the queue down
 * @sq_wr_max: send queue entries we may use, one kept for the drain (I)
 * @sq_wr_avail: of those, entries not posted (A)
 * @wr_lock: protects @wr_wait_list and orders it against @sq_wr_avail
 * @wr_wait_list: commands waiting for send queue room, in order
 * @idle_wait: the release work waits here for the send queue to empty
 * @cmds: the command slots (I)
 * @recvs: their receive buffers, NULL with an SRQ (I)
 * @srq: the shared receive queue of @comp_vector, or NULL (I)
 * @slot_lock: protects @free_slots, @backlog and @nr_backlog (SRQ only)
 * @free_slots: free command slots
 * @backlog: capsules that came while no slot was free, in order
 * @nr_backlog: entries of @backlog, at most @sq_depth
 */
struct nvmet_rdma_queue {
	enum nvmet_rdma_ctx_kind kind;
	struct rdma_cm_id *cm_id;
	struct ib_qp *qp;
	struct ib_cq *cq;
	struct nvmet_rdma_device *ndev;
	struct nvmet_rdma_port *rport;
	struct nvmet_port *nport;
	u16 portid;
	int idx;
	u16 host_qid;
	u32 inline_max;
	u32 nr_cmds;
	int comp_vector;
	u32 sq_depth;
	bool listen_any;

	spinlock_t state_lock;		/* transitions of state */
	enum nvmet_rdma_queue_state state;
	bool parked;
	struct list_head entry;

	struct nvmet_sq nvme_sq;
	struct nvmet_cq nvme_cq;
	struct work_struct release_work;

	int sq_wr_max;
	atomic_t sq_wr_avail;
	spinlock_t wr_lock;		/* wr_wait_list, vs. sq_wr_avail */
	struct list_head wr_wait_list;
	wait_queue_head_t idle_wait;

	struct nvmet_rdma_cmd *cmds;
	struct nvmet_rdma_recv *recvs;

	struct nvmet_rdma_srq *srq;
	spinlock_t slot_lock;		/* free_slots, backlog, nr_backlog */
	struct list_head free_slots;
	struct list_head backlog;
	u32 nr_backlog;
};

/**
 * struct nvmet_rdma_conn - what a connection request asks for
 * @qid: queue ID
 * @sq_depth: host submission queue entries (hsqsize + 1)
 * @rq_depth: host receive queue entries (hrqsize)
 * @initiator_depth: RDMA READs we may have in flight to the host
 * @responder_resources: RDMA READs of the host we serve at once
 */
struct nvmet_rdma_conn {
	u16 qid;
	u32 sq_depth;
	u32 rq_depth;
	u8 initiator_depth;
	u8 responder_resources;
};

/* main.c */
extern const struct nvmet_fabric_ops nvmet_rdma_ops;
extern struct workqueue_struct *nvmet_rdma_wq;

/* device.c */
struct nvmet_rdma_device *nvmet_rdma_device_get(struct ib_device *ibdev,
						u32 srq_inline);
void nvmet_rdma_device_put(struct nvmet_rdma_device *ndev);
bool nvmet_rdma_device_known(struct ib_device *ibdev);
u32 nvmet_rdma_device_inline_max(struct ib_device *ibdev);
void nvmet_rdma_devices_exit(void);

/* port.c */
int nvmet_rdma_add_port(struct nvmet_port *nport);
void nvmet_rdma_remove_port(struct nvmet_port *nport);
int nvmet_rdma_port_cm_event(struct nvmet_rdma_port *rport,
			     struct rdma_cm_id *cm_id,
			     struct rdma_cm_event *event);
void nvmet_rdma_host_traddr(struct nvmet_req *req, char *traddr, size_t len);
void nvmet_rdma_disc_traddr(struct nvmet_req *req, struct nvmet_port *nport,
			    char *traddr);

/* cm.c */
int nvmet_rdma_cm_handler(struct rdma_cm_id *cm_id,
			  struct rdma_cm_event *event);

/* queue.c */
void nvmet_rdma_port_register(struct nvmet_rdma_port *rport);
void nvmet_rdma_port_put(struct nvmet_rdma_port *rport);
__printf(2, 3)
void nvmet_rdma_err(const struct nvmet_rdma_queue *queue,
		    const char *fmt, ...);
struct nvmet_rdma_queue *
nvmet_rdma_alloc_queue(struct nvmet_rdma_port *rport,
		       struct rdma_cm_id *cm_id,
		       const struct nvmet_rdma_conn *conn);
void nvmet_rdma_publish_queue(struct nvmet_rdma_queue *queue);
void nvmet_rdma_schedule_release(struct nvmet_rdma_queue *queue);
void nvmet_rdma_set_live(struct nvmet_rdma_queue *queue);
void nvmet_rdma_close_port_queues(struct nvmet_rdma_port *rport);
void nvmet_rdma_close_device_queues(struct ib_device *ibdev);
void nvmet_rdma_delete_ctrl(struct nvmet_ctrl *ctrl);
u16 nvmet_rdma_install_queue(struct nvmet_sq *sq);
void nvmet_rdma_queues_exit(void);

/* park.c */
bool nvmet_rdma_src_gone(struct rdma_cm_id *cm_id);
void nvmet_rdma_park(struct nvmet_rdma_queue *queue);
void nvmet_rdma_unpark_device(struct ib_device *ibdev);
void nvmet_rdma_park_exit(void);

/* recv.c */
int nvmet_rdma_recv_init(struct nvmet_rdma_recv *recv,
			 struct nvmet_rdma_device *ndev, u32 inline_size);
void nvmet_rdma_recv_free(struct nvmet_rdma_recv *recv);
int nvmet_rdma_post_recv(struct nvmet_rdma_recv *recv);

/* srq.c */
void nvmet_rdma_create_srqs(struct nvmet_rdma_device *ndev, u32 inline_size);
void nvmet_rdma_destroy_srqs(struct nvmet_rdma_device *ndev);
struct nvmet_rdma_srq *nvmet_rdma_queue_srq(struct nvmet_rdma_queue *queue);
void nvmet_rdma_srq_init_slots(struct nvmet_rdma_queue *queue);
void nvmet_rdma_srq_repost(struct nvmet_rdma_recv *recv);
void nvmet_rdma_srq_recv(struct nvmet_rdma_queue *queue,
			 struct nvmet_rdma_recv *recv, u32 byte_len);
void nvmet_rdma_srq_put_slot(struct nvmet_rdma_cmd *cmd);
void nvmet_rdma_srq_cmd_done(struct nvmet_rdma_cmd *cmd);
void nvmet_rdma_srq_queue_exit(struct nvmet_rdma_queue *queue);

/* cmd.c */
int nvmet_rdma_alloc_cmds(struct nvmet_rdma_queue *queue);
void nvmet_rdma_free_cmds(struct nvmet_rdma_queue *queue);
int nvmet_rdma_post_all_recvs(struct nvmet_rdma_queue *queue);

/* io.c */
void nvmet_rdma_handle_cmd(struct nvmet_rdma_queue *queue,
			   struct nvmet_rdma_cmd *cmd, u32 byte_len);
void nvmet_rdma_recv_done(struct ib_cq *cq, struct ib_wc *wc);
void nvmet_rdma_read_done(struct ib_cq *cq, struct ib_wc *wc);
void nvmet_rdma_send_done(struct ib_cq *cq, struct ib_wc *wc);
void nvmet_rdma_queue_response(struct nvmet_req *req);
bool nvmet_rdma_sq_idle(struct nvmet_rdma_queue *queue);

#endif /* _NVMET_RDMA_H */
