/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-tcp: the NVMe/TCP transport (NVMe/TCP Transport Specification 1.0)
 * of nvmet-ng.
 *
 * One struct nvmet_tcp_queue per accepted connection.  Everything that
 * moves bytes on a queue runs in its io_work, which never runs twice at
 * once: the receive state machine (recv.c), the send state machine
 * (send.c) and the command slots (cmd.c) are owned by io_work and need no
 * lock.  Other contexts touch a queue only through:
 *   - queue_response(): a lock-free llist of completed commands, then a
 *     kick of io_work;
 *   - install_queue(): publishes a new slot array with cmpxchg();
 *   - the socket callbacks, under sk->sk_callback_lock;
 *   - nvmet_tcp_schedule_release(), under queue->state_lock;
 *   - its deadline timer, which only sets a flag and kicks io_work.
 * The release work (queue.c) takes over a queue once it is DISCONNECTING
 * and io_work has been cancelled.
 *
 * Conventions:
 * @queue: a queue, alive while the caller runs (io_work, a callback under
 *	   sk_callback_lock, its port's queues_lock held, or a request of it
 *	   in flight)
 * @cmd:   a command slot of @queue
 * @tport: our listener of a port, referenced by the caller
 */
#ifndef _NVMET_TCP_H
#define _NVMET_TCP_H

#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/key.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/nvme-tcp.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include <nvmet/compat.h>
#include <nvmet/req.h>

/* Defaults the transport gives a port whose parameters are negative. */
#define NVMET_TCP_DEF_INLINE_DATA_SIZE	(16 * 1024)
/*
 * The largest param_inline_data_size a TCP port takes: in-tree nvmet-tcp
 * has no bound; 128 KiB is eight times its default and keeps Identify's
 * IOCCSZ far from overflowing.  A larger value fails the port's enable.
 */
#define NVMET_TCP_MAX_INLINE_DATA_SIZE	(128 * 1024)
/* The most data an H2C Data PDU may carry (ICResp MAXH2CDATA). */
#define NVMET_TCP_MAXH2CDATA		0x400000
/* Pending connections on a listening socket. */
#define NVMET_TCP_BACKLOG		128
/* Command slots before Connect sized the queue: Connect alone. */
#define NVMET_TCP_PRE_CONNECT_CMDS	1
/* Receive and send steps per io_work round, and rounds per run. */
#define NVMET_TCP_RECV_BUDGET		8
#define NVMET_TCP_SEND_BUDGET		8
#define NVMET_TCP_IO_BUDGET		64
/* bio_vecs one sendmsg()/recvmsg() of command data covers. */
#define NVMET_TCP_MAX_BVEC		16

/**
 * enum nvmet_tcp_queue_state - where a queue is in its life
 * @NVMET_TCP_Q_CONNECTING: accepted; only an ICReq is valid
 * @NVMET_TCP_Q_LIVE: ICReq handled; commands flow
 * @NVMET_TCP_Q_DISCONNECTING: the release work owns the queue; io_work
 *			       and the callbacks do nothing any more
 */
enum nvmet_tcp_queue_state {
	NVMET_TCP_Q_CONNECTING,
	NVMET_TCP_Q_LIVE,
	NVMET_TCP_Q_DISCONNECTING,
};

/**
 * enum nvmet_tcp_cmd_state - who owns a command slot
 * @NVMET_TCP_CMD_FREE: on the free list
 * @NVMET_TCP_CMD_NEED_DATA: nvmet_req_init() accepted it and its data is
 *			     on the way (in-capsule or after our R2T); not
 *			     executed, so teardown must nvmet_req_uninit() it
 * @NVMET_TCP_CMD_EXEC: owned by the core until queue_response()
 * @NVMET_TCP_CMD_RESPOND: its data and completion are being sent
 */
enum nvmet_tcp_cmd_state {
	NVMET_TCP_CMD_FREE,
	NVMET_TCP_CMD_NEED_DATA,
	NVMET_TCP_CMD_EXEC,
	NVMET_TCP_CMD_RESPOND,
};

/**
 * enum nvmet_tcp_send_stage - the next thing to send for a command
 * @NVMET_TCP_SEND_R2T: the R2T PDU
 * @NVMET_TCP_SEND_DATA_PDU: the header of the C2H Data PDU
 * @NVMET_TCP_SEND_DATA: the data of the C2H Data PDU
 * @NVMET_TCP_SEND_DDGST: the data digest of the C2H Data PDU
 * @NVMET_TCP_SEND_RSP: the response capsule
 */
enum nvmet_tcp_send_stage {
	NVMET_TCP_SEND_R2T,
	NVMET_TCP_SEND_DATA_PDU,
	NVMET_TCP_SEND_DATA,
	NVMET_TCP_SEND_DDGST,
	NVMET_TCP_SEND_RSP,
};

/**
 * enum nvmet_tcp_recv_stage - what the receive state machine reads next
 * @NVMET_TCP_RECV_HDR: a PDU header (common header first, then the rest)
 * @NVMET_TCP_RECV_PAD: padding between the header and the data
 * @NVMET_TCP_RECV_DATA: PDU data, into the command's scatterlist
 * @NVMET_TCP_RECV_DDGST: the data digest
 * @NVMET_TCP_RECV_DISCARD: the rest of a PDU whose command failed
 */
enum nvmet_tcp_recv_stage {
	NVMET_TCP_RECV_HDR,
	NVMET_TCP_RECV_PAD,
	NVMET_TCP_RECV_DATA,
	NVMET_TCP_RECV_DDGST,
	NVMET_TCP_RECV_DISCARD,
};

/**
 * enum nvmet_tcp_tls_mode - TLS on a port (addr_tsas, addr_treq)
 * @NVMET_TCP_TLS_OFF: plain TCP only
 * @NVMET_TCP_TLS_REQUIRED: TLS only
 * @NVMET_TCP_TLS_OPTIONAL: TLS or plain TCP, as the host starts
 */
enum nvmet_tcp_tls_mode {
	NVMET_TCP_TLS_OFF,
	NVMET_TCP_TLS_REQUIRED,
	NVMET_TCP_TLS_OPTIONAL,
};

/**
 * struct nvmet_tcp_sg_cursor - a position in a scatterlist
 * @sg: the entry, NULL past the end
 * @off: offset in @sg
 */
struct nvmet_tcp_sg_cursor {
	struct scatterlist *sg;
	u32 off;
};

/* A PDU header as sent, followed by its header digest. */
struct nvmet_tcp_rsp_buf {
	struct nvme_tcp_rsp_pdu pdu;
	__le32 hdgst;
};

struct nvmet_tcp_xfer_buf {
	union {
		struct nvme_tcp_r2t_pdu r2t;
		struct nvme_tcp_data_pdu data;
	};
	__le32 hdgst;
};

/* The send path sends a header and its digest as one buffer. */
static_assert(offsetof(struct nvmet_tcp_rsp_buf, hdgst) ==
	      sizeof(struct nvme_tcp_rsp_pdu));
static_assert(offsetof(struct nvmet_tcp_xfer_buf, hdgst) ==
	      sizeof(struct nvme_tcp_data_pdu));
static_assert(sizeof(struct nvme_tcp_r2t_pdu) ==
	      sizeof(struct nvme_tcp_data_pdu));

struct nvmet_tcp_queue;

/**
 * struct nvmet_tcp_cmd - a command slot; all fields are owned by io_work
 *			  (or the release work) except @req while EXEC
 * @queue: the queue (I)
 * @req: the request handed to the core
 * @sqe: the command, copied out of the capsule; req->cmd points here
 * @rsp: the response capsule; req->cqe points into it
 * @xfer: the R2T or C2H Data PDU header
 * @ddgst: data digest of the C2H data
 * @resp_node: on queue->resp_list between queue_response() and io_work
 * @entry: on queue->free_cmds or queue->send_list
 * @idx: index in the slot array, our R2T transfer tag (I)
 * @state: enum nvmet_tcp_cmd_state
 * @r2t_sent: the R2T went out; H2C data is welcome
 * @data_at: jiffies when the command last got data, or started waiting
 *	     for it (its data deadline counts from here)
 * @rbytes: bytes of H2C data received so far
 * @snd_stage: enum nvmet_tcp_send_stage
 * @snd_off: bytes of the current send stage already sent
 * @snd_left: C2H data bytes still to send
 * @snd_cur: where the C2H data to send next is
 * @rcv_cur: where the data received next goes
 */
struct nvmet_tcp_cmd {
	struct nvmet_tcp_queue *queue;
	struct nvmet_req req;
	struct nvme_command sqe;
	struct nvmet_tcp_rsp_buf rsp;
	struct nvmet_tcp_xfer_buf xfer;
	__le32 ddgst;
	struct llist_node resp_node;
	struct list_head entry;
	u16 idx;
	u8 state;
	bool r2t_sent;
	unsigned long data_at;
	u32 rbytes;
	u8 snd_stage;
	u32 snd_off;
	u32 snd_left;
	struct nvmet_tcp_sg_cursor snd_cur;
	struct nvmet_tcp_sg_cursor rcv_cur;
};

/**
 * struct nvmet_tcp_cmd_set - an array of command slots
 * @nr: number of slots
 * @cmds: the slots
 */
struct nvmet_tcp_cmd_set {
	unsigned int nr;
	struct nvmet_tcp_cmd cmds[] __counted_by(nr);
};

/* Received PDU header, with room for the header digest. */
union nvmet_tcp_rbuf {
	struct nvme_tcp_hdr hdr;
	union nvme_tcp_pdu pdu;
	struct nvme_tcp_term_pdu term;
	u8 raw[sizeof(union nvme_tcp_pdu) + NVME_TCP_DIGEST_LENGTH];
};

/**
 * struct nvmet_tcp_port - a listening port and the queues it accepted
 * @ref: references: the port while it is enabled, and each queue
 * @nport: the nvmet port, referenced (I)
 * @portid: the port ID, for messages (I)
 * @sock: the listening socket (I)
 * @accept_work: accepts pending connections
 * @addr: the address listened on (I)
 * @inline_data_size: in-capsule data size of the port (I)
 * @tls: enum nvmet_tcp_tls_mode of the port (I)
 * @saved_data_ready: the socket's callback before ours (I)
 * @entry: on nvmet_tcp_ports (nvmet_tcp_ports_lock)
 * @queues_lock: protects @queues, @nr_pending, @closed and the
 *		 NVMET_TCP_QF_PENDING bit of every queue on @queues
 * @queues: the queues of this port that are not released yet, oldest first
 * @nr_pending: queues on @queues not connected yet (NVMET_TCP_QF_PENDING)
 * @closed: remove_port() closed the queues; no queue joins any more
 * @rcu: frees the listener after an RCU grace period (see delete_ctrl())
 */
struct nvmet_tcp_port {
	struct kref ref;
	struct nvmet_port *nport;
	u16 portid;
	struct socket *sock;
	struct work_struct accept_work;
	struct sockaddr_storage addr;
	u32 inline_data_size;
	u8 tls;
	void (*saved_data_ready)(struct sock *sk);
	struct list_head entry;

	spinlock_t queues_lock;		/* queues, nr_pending, closed */
	struct list_head queues;
	unsigned int nr_pending;
	bool closed;
	struct rcu_head rcu;
};

/**
 * struct nvmet_tcp_queue - one NVMe/TCP connection
 * @sock: the connected socket (I)
 * @tport: the listener it came through, referenced (I)
 * @nport: the port it came through, tport->nport (I)
 * @portid: the port ID, for messages (I)
 * @idx: queue number, for messages (I)
 * @cpu: CPU io_work runs on until the socket has an incoming CPU (I)
 * @inline_max: most in-capsule data on an I/O queue (I)
 * @listen_any: the listener was bound to a wildcard address (I)
 * @local_addr: our address of the connection (I)
 * @peer_addr: the host's address (I)
 * @state_lock: protects transitions of @state
 * @state: enum nvmet_tcp_queue_state (state_lock write, A read)
 * @entry: on tport->queues (tport->queues_lock)
 * @nvme_sq: the core's submission queue
 * @nvme_cq: the core's completion queue
 * @io_work: moves the bytes
 * @release_work: tears the queue down
 * @flags: NVMET_TCP_QF_* bits (atomic bitops)
 * @deadline: fires when the queue's next deadline may have passed
 * @born: jiffies at accept; the ICReq deadline counts from here (I)
 * @icreq_at: jiffies at the ICReq; the Connect deadline counts from here
 * @next_cmds: slots install_queue() allocated, waiting until io_work
 *	       can switch to them (cmpxchg/xchg)
 * @resp_list: commands the core completed (llist, any context adds)
 * @saved_data_ready: the socket's callback before ours
 * @saved_write_space: the socket's callback before ours
 * @saved_state_change: the socket's callback before ours
 * @tls_lock: held while a TLS handshake is submitted (tls.c)
 * @tls_done: completed when the handshake's done callback is finished
 *	      with the queue
 * @hs_at: jiffies when the TLS handshake started; its deadline counts
 *	   from here
 * @tls: the handshake succeeded: every receive checks the record type
 *	 (written before NVMET_TCP_QF_TLS_HS clears, I afterwards)
 * @tls_pskid: the key of the PSK the handshake used (as @tls)
 *
 * The fields below are owned by io_work, and by the release work once
 * io_work has been cancelled.
 * @hdr_digest: header digests negotiated
 * @data_digest: data digests negotiated
 * @cmds: the slot array in use
 * @free_cmds: free slots of @cmds
 * @nr_busy: slots of @cmds not free
 * @send_list: commands with something to send, in order
 * @snd_cmd: the command being sent, off @send_list
 * @icresp: the ICResp PDU
 * @icresp_off: bytes of @icresp sent
 * @icresp_len: bytes of @icresp to send, 0 when none is pending
 * @rbuf: the PDU header being received
 * @rcv_stage: enum nvmet_tcp_recv_stage
 * @rcv_off: bytes of @rbuf or of @rcv_ddgst received
 * @rcv_want: bytes of @rbuf wanted before the next decision
 * @rcv_left: bytes left in a PAD, DATA or DISCARD stage
 * @rcv_pad: padding before the data of the current PDU
 * @rcv_cmd: the command the data of the current PDU belongs to
 * @rcv_data_off: offset in the command's data of the current PDU's data
 * @rcv_data_len: data bytes in the current PDU
 * @rcv_ddgst: the received data digest
 */
struct nvmet_tcp_queue {
	struct socket *sock;
	struct nvmet_tcp_port *tport;
	struct nvmet_port *nport;
	u16 portid;
	int idx;
	int cpu;
	u32 inline_max;
	bool listen_any;
	struct sockaddr_storage local_addr;
	struct sockaddr_storage peer_addr;

	spinlock_t state_lock;		/* transitions of state */
	enum nvmet_tcp_queue_state state;
	struct list_head entry;

	struct nvmet_sq nvme_sq;
	struct nvmet_cq nvme_cq;
	struct work_struct io_work;
	struct work_struct release_work;
	unsigned long flags;
#define NVMET_TCP_QF_INSTALLED	0	/* install_queue() ran */
#define NVMET_TCP_QF_PENDING	1	/* counted in tport->nr_pending */
#define NVMET_TCP_QF_DEADLINE	2	/* the timer fired; io_work checks */
#define NVMET_TCP_QF_TLS_HS	3	/* a TLS handshake is under way */
#define NVMET_TCP_QF_TLS_SNIFF	4	/* TLS optional: first byte decides */
	struct timer_list deadline;
	unsigned long born;
	unsigned long icreq_at;
	struct nvmet_tcp_cmd_set *next_cmds;
	struct llist_head resp_list;

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	struct mutex tls_lock;		/* submission of the handshake */
	struct completion tls_done;
	unsigned long hs_at;
	bool tls;
	key_serial_t tls_pskid;

	bool hdr_digest;
	bool data_digest;
	struct nvmet_tcp_cmd_set *cmds;
	struct list_head free_cmds;
	unsigned int nr_busy;

	struct list_head send_list;
	struct nvmet_tcp_cmd *snd_cmd;
	struct nvme_tcp_icresp_pdu icresp;
	u32 icresp_off;
	u32 icresp_len;

	union nvmet_tcp_rbuf rbuf;
	u8 rcv_stage;
	u32 rcv_off;
	u32 rcv_want;
	u32 rcv_left;
	u32 rcv_pad;
	struct nvmet_tcp_cmd *rcv_cmd;
	u32 rcv_data_off;
	u32 rcv_data_len;
	__le32 rcv_ddgst;
};

static inline u8 nvmet_tcp_hdgst_len(const struct nvmet_tcp_queue *queue)
{
	return queue->hdr_digest ? NVME_TCP_DIGEST_LENGTH : 0;
}

static inline u8 nvmet_tcp_ddgst_len(const struct nvmet_tcp_queue *queue)
{
	return queue->data_digest ? NVME_TCP_DIGEST_LENGTH : 0;
}

/* main.c */
extern const struct nvmet_fabric_ops nvmet_tcp_ops;
extern struct workqueue_struct *nvmet_tcp_wq;
void nvmet_tcp_port_put(struct nvmet_tcp_port *tport);

/* queue.c */
__printf(2, 3)
void nvmet_tcp_err(const struct nvmet_tcp_queue *queue, const char *fmt, ...);
int nvmet_tcp_alloc_queue(struct nvmet_tcp_port *tport, struct socket *sock,
			  bool listen_any);
void nvmet_tcp_kick(struct nvmet_tcp_queue *queue);
int nvmet_tcp_set_callbacks(struct nvmet_tcp_queue *queue);
void nvmet_tcp_restore_callbacks(struct nvmet_tcp_queue *queue);
void nvmet_tcp_sock_free(struct socket *sock);
void nvmet_tcp_schedule_release(struct nvmet_tcp_queue *queue);
bool nvmet_tcp_set_live(struct nvmet_tcp_queue *queue);
void nvmet_tcp_queue_connected(struct nvmet_tcp_queue *queue);
void nvmet_tcp_close_port_queues(struct nvmet_tcp_port *tport);
void nvmet_tcp_delete_ctrl(struct nvmet_ctrl *ctrl);
int nvmet_tcp_queues_init(void);
void nvmet_tcp_queues_exit(void);

/* deadline.c */
void nvmet_tcp_deadline_init(struct nvmet_tcp_queue *queue);
void nvmet_tcp_deadline_icreq(struct nvmet_tcp_queue *queue);
void nvmet_tcp_deadline_connected(struct nvmet_tcp_queue *queue);
void nvmet_tcp_deadline_handshake(struct nvmet_tcp_queue *queue);
void nvmet_tcp_wait_data(struct nvmet_tcp_cmd *cmd);
bool nvmet_tcp_deadline_passed(struct nvmet_tcp_queue *queue);
unsigned int nvmet_tcp_max_pending(void);

/* cmd.c */
struct nvmet_tcp_cmd_set *nvmet_tcp_alloc_cmd_set(struct nvmet_tcp_queue *queue,
						  unsigned int nr);
void nvmet_tcp_use_cmd_set(struct nvmet_tcp_queue *queue,
			   struct nvmet_tcp_cmd_set *set);
struct nvmet_tcp_cmd *nvmet_tcp_get_cmd(struct nvmet_tcp_queue *queue);
void nvmet_tcp_put_cmd(struct nvmet_tcp_cmd *cmd);
struct nvmet_tcp_cmd *nvmet_tcp_find_cmd(struct nvmet_tcp_queue *queue,
					 u16 ttag);
void nvmet_tcp_uninit_cmds(struct nvmet_tcp_queue *queue);
void nvmet_tcp_free_cmds(struct nvmet_tcp_queue *queue);
u16 nvmet_tcp_install_queue(struct nvmet_sq *sq);

/* data.c */
void nvmet_tcp_cursor_init(struct nvmet_tcp_sg_cursor *cur,
			   struct scatterlist *sgl, u32 off);
unsigned int nvmet_tcp_cursor_map(const struct nvmet_tcp_sg_cursor *cur,
				  u32 left, struct bio_vec *bvec,
				  size_t *len, bool *splice);
void nvmet_tcp_cursor_advance(struct nvmet_tcp_sg_cursor *cur, u32 len);
__le32 nvmet_tcp_sg_digest(struct nvmet_req *req, u32 off, u32 len);
__le32 nvmet_tcp_digest(const void *buf, size_t len);

/* tls.c: NVMe/TCP TLS, where the kernel has it (NVMET_TLS) */
#ifdef NVMET_TLS
unsigned int nvmet_tcp_tls_timeout_ms(void);
void nvmet_tcp_tls_queue_init(struct nvmet_tcp_queue *queue,
			      struct nvmet_tcp_port *tport);
int nvmet_tcp_tls_start(struct nvmet_tcp_queue *queue);
void nvmet_tcp_tls_stop(struct nvmet_tcp_queue *queue);
bool nvmet_tcp_tls_busy(struct nvmet_tcp_queue *queue);
int nvmet_tcp_tls_sniff(struct nvmet_tcp_queue *queue);
int nvmet_tcp_tls_record(struct nvmet_tcp_queue *queue,
			 const struct cmsghdr *cmsg, const u8 *buf, int len);
u8 nvmet_tcp_tls_port_config(struct nvmet_port *nport);
int nvmet_tcp_tls_file(struct socket *sock);
#else
static inline unsigned int nvmet_tcp_tls_timeout_ms(void)
{
	return 0;
}

static inline void nvmet_tcp_tls_queue_init(struct nvmet_tcp_queue *queue,
					    struct nvmet_tcp_port *tport)
{
}

static inline int nvmet_tcp_tls_start(struct nvmet_tcp_queue *queue)
{
	return -EOPNOTSUPP;
}

static inline void nvmet_tcp_tls_stop(struct nvmet_tcp_queue *queue)
{
}

static inline bool nvmet_tcp_tls_busy(struct nvmet_tcp_queue *queue)
{
	return false;
}

static inline int nvmet_tcp_tls_sniff(struct nvmet_tcp_queue *queue)
{
	return 0;
}

static inline int nvmet_tcp_tls_record(struct nvmet_tcp_queue *queue,
				       const struct cmsghdr *cmsg,
				       const u8 *buf, int len)
{
	return 0;
}

/* configfs refuses addr_tsas tls1.3 on such kernels. */
static inline u8 nvmet_tcp_tls_port_config(struct nvmet_port *nport)
{
	return NVMET_TCP_TLS_OFF;
}

static inline int nvmet_tcp_tls_file(struct socket *sock)
{
	return 0;
}
#endif

/* recv.c */
void nvmet_tcp_recv_init(struct nvmet_tcp_queue *queue);
int nvmet_tcp_try_recv(struct nvmet_tcp_queue *queue, int budget);

/* send.c */
void nvmet_tcp_queue_r2t(struct nvmet_tcp_cmd *cmd);
void nvmet_tcp_queue_icresp(struct nvmet_tcp_queue *queue);
int nvmet_tcp_try_send(struct nvmet_tcp_queue *queue, int budget);
void nvmet_tcp_queue_response(struct nvmet_req *req);

#endif /* _NVMET_TCP_H */
