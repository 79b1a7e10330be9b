/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Queues and requests: the interface between a fabric, the core's command
 * handlers and the backends.
 *
 * A fabric embeds a struct nvmet_sq and a struct nvmet_cq in each of its
 * queues and a struct nvmet_req in each command slot.  For every command
 * capsule it sets req->cmd, req->cqe and req->port and calls
 * nvmet_req_init(); if that returns true it moves the data the command
 * carries into req->sg (in-capsule, R2T, RDMA READ, ...) and calls
 * req->execute(req).  Before that, nvmet_req_init() has refused (completed
 * with an error) a command whose SGL claims more than the command carries
 * or more than the port's MDTS, so a fabric sizes its data buffer from
 * req->transfer_len only once nvmet_req_init() returned true, and never
 * before.  The core (or a backend) finishes every request with
 * nvmet_req_complete(), which fills req->cqe and calls
 * ops->queue_response(req); the fabric then sends the data of a read and
 * the completion, and may reuse the slot.
 *
 * Lock legend as in nvmet.h.
 */
#ifndef _NVMET_REQ_H
#define _NVMET_REQ_H

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/percpu-refcount.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <nvmet/ns.h>

struct nvmet_ctrl;
struct nvmet_fabric_ops;
struct nvmet_ns;
struct nvmet_passthru;
struct nvmet_port;
struct nvmet_pr_state;
struct nvmet_req;
struct nvmet_sq_auth;
struct request;

/* Largest I/O queue the core accepts (CAP.MQES + 1). */
#define NVMET_QUEUE_SIZE	1024
/* Entries of the admin queue a host should use (discovery log ASQSZ). */
#define NVMET_AQ_DEPTH		32

/**
 * struct nvmet_cq - a completion queue, embedded in a fabric's queue
 * @qid: queue ID, set by Connect
 * @size: entries, set by Connect
 */
struct nvmet_cq {
	u16 qid;
	u16 size;
};

/**
 * struct nvmet_sq - a submission queue, embedded in a fabric's queue
 * @ctrl: the controller, set once by Connect (cmpxchg); holds a controller
 *	  reference until nvmet_sq_destroy()
 * @ref: one reference per request in flight, and the initial one
 * @qid: queue ID, set by Connect
 * @size: entries, set by Connect
 * @sqhd: submission queue head reported in completions (A)
 * @sqhd_disabled: the host turned off SQ flow control (I after Connect)
 * @free_done: completed when @ref drops to zero
 * @confirm_done: completed when @ref is confirmed dead
 * @auth_lock: serialises the queue's Authentication Send/Receive; protects
 *	       @auth
 * @auth: the DH-HMAC-CHAP transaction in progress, or NULL
 * @authenticated: the queue passed DH-HMAC-CHAP (auth_lock write, A read)
 * @fused_lock: protects @fused_first, @fused_failed and the fused state of
 *		the queue's requests (req->fused, req->fused_peer,
 *		req->fused_status); nests inside nothing, and nothing inside it
 * @fused_first: the first command of a fused pair (FUSE 01b) that the
 *		 queue holds until the next command arrives, or NULL: at most
 *		 one, since the pair is adjacent on its queue (fused.c)
 * @fused_failed: the queue's last command was a first of a pair that
 *		  failed before it ran, so a second that follows it is aborted
 *		  with Failed Fused Command
 * @fused_pending: @fused_first or @fused_failed is set (@fused_lock
 *		   write, A read: nvmet_req_init()'s one test for fused
 *		   state)
 * @fused_timeout: gives up on the second of a held first
 */
struct nvmet_sq {
	struct nvmet_ctrl *ctrl;
	struct percpu_ref ref;
	u16 qid;
	u16 size;
	u32 sqhd;
	bool sqhd_disabled;
	bool authenticated;
	struct mutex auth_lock;		/* the queue's authentication */
	struct nvmet_sq_auth *auth;
	struct completion free_done;
	struct completion confirm_done;
	spinlock_t fused_lock;		/* the queue's fused pairs */
	struct nvmet_req *fused_first;
	bool fused_failed;
	bool fused_pending;
	struct delayed_work fused_timeout;
};

/**
 * struct nvmet_range - a range of blocks a command locks (range.c)
 * @entry: in the namespace's ns->ranges.list while held or waited for
 * @start: first block
 * @end: block after the last (U64_MAX: the whole namespace)
 * @fused: a fused pair's range, exclusive against every overlapping
 *	   range; else a write's, exclusive against fused ones only
 * @waiting: queued behind an overlapping range; @resume runs once it is
 *	     granted
 * @resume: what runs, in process context, when a waiting range is granted
 */
struct nvmet_range {
	struct list_head entry;
	u64 start;
	u64 end;
	bool fused;
	bool waiting;
	void (*resume)(struct nvmet_req *req);
};

/**
 * struct nvmet_req - one command, from capsule to completion
 * @cmd: the submission queue entry (fabric)
 * @cqe: the completion queue entry the core fills (fabric)
 * @sq: the queue it came on
 * @cq: the queue its completion goes to
 * @port: the port it came through (fabric)
 * @ops: the fabric
 * @ns: the namespace of an I/O command, referenced until completion
 * @sg: the data buffer, host-to-controller or controller-to-host
 * @sg_cnt: entries in @sg
 * @transfer_len: bytes the host's SGL describes (fabric)
 * @data_len: bytes the command transfers, set by the core at parse
 * @data_max: most bytes the host's SGL may describe for it, set by the
 *	      core at parse: @data_len, more for a command that tolerates a
 *	      longer buffer, or NVMET_LEN_UNKNOWN for one that cannot tell
 *	      (then the port's MDTS alone bounds it)
 * @execute: runs the command once the data is in @sg; set by the core
 * @end_io: NULL, or set by a core handler that runs the backend as one
 *	    stage of a longer command (Compare, Verify): the next
 *	    nvmet_req_complete() clears it and calls it instead of
 *	    completing the request
 * @error_loc: offset in the command of the field an error is about, or
 *	       NVMET_NO_ERROR_LOC
 * @error_slba: LBA an error is about
 * @start_ns: when nvmet_req_init() took it in (ktime_get_ns()), for the
 *	      latency statistics
 * @work: for handlers that finish in process context
 * @pr_state: the reservation state an I/O command was checked against,
 *	      held until its completion (nvmet/target/pr.c), or NULL
 * @fused: NVMET_FUSED_* state of a command of a fused pair, else 0
 *	   (sq->fused_lock)
 * @fused_peer: the other command of its pair (sq->fused_lock)
 * @fused_status: the status an aborted command of a pair completes with
 *		  (sq->fused_lock)
 * @range_state: NVMET_RANGE_* of a write: how it is known to fused pairs
 *		 of its namespace, until its completion
 * @range: the blocks a write or a fused pair locks (ns->ranges.lock)
 * @f: state of the file backend
 * @f.iocb: the kiocb of a read or write
 * @f.bvec: bio_vecs over @sg
 * @f.nr_bvec: entries in @f.bvec
 * @p: state of a command passed to a passthru subsystem's device
 * @p.pt: the subsystem's passthru state, referenced until completion
 * @p.rq: the host driver's request carrying it
 * @fabric_priv: the fabric's own state, untouched by the core
 */
struct nvmet_req {
	struct nvme_command *cmd;
	struct nvme_completion *cqe;
	struct nvmet_sq *sq;
	struct nvmet_cq *cq;
	struct nvmet_port *port;
	const struct nvmet_fabric_ops *ops;
	struct nvmet_ns *ns;
	struct scatterlist *sg;
	unsigned int sg_cnt;
	u32 transfer_len;
	u32 data_len;
	u32 data_max;
	void (*execute)(struct nvmet_req *req);
	void (*end_io)(struct nvmet_req *req, u16 status);
	u16 error_loc;
	u64 error_slba;
	u64 start_ns;
	struct work_struct work;
	struct nvmet_pr_state *pr_state;
	u8 fused;
	u8 range_state;
	u16 fused_status;
	struct nvmet_req *fused_peer;
	struct nvmet_range range;
	union {
		struct {
			struct kiocb iocb;
			struct bio_vec *bvec;
			unsigned int nr_bvec;
		} f;
		struct {
			struct nvmet_passthru *pt;
			struct request *rq;
		} p;
	};
	void *fabric_priv;
};

#define NVMET_NO_ERROR_LOC	((u16)-1)
/* req->data_max of a command whose length only its handler knows. */
#define NVMET_LEN_UNKNOWN	U32_MAX

/* Byte offset of the start LBA of read, write and write zeroes @req. */
static inline loff_t nvmet_req_pos(const struct nvmet_req *req)
{
	return (loff_t)le64_to_cpu(req->cmd->rw.slba) << req->ns->blksize_shift;
}

/*
 * A general work queue for fabrics' short work.  The core queues nothing
 * here: controller work has its own queue, backend work each namespace's.
 */
extern struct workqueue_struct *nvmet_wq;

int nvmet_sq_init(struct nvmet_sq *sq);
void nvmet_sq_destroy(struct nvmet_sq *sq);

bool nvmet_req_init(struct nvmet_req *req, struct nvmet_cq *cq,
		    struct nvmet_sq *sq, const struct nvmet_fabric_ops *ops);
void nvmet_req_uninit(struct nvmet_req *req);
void nvmet_req_complete(struct nvmet_req *req, u16 status);
bool nvmet_check_transfer_len(struct nvmet_req *req, size_t len);
bool nvmet_check_data_len_lte(struct nvmet_req *req, size_t len);
int nvmet_req_alloc_sgl(struct nvmet_req *req);
void nvmet_req_free_sgl(struct nvmet_req *req);

u16 nvmet_copy_to_sgl(struct nvmet_req *req, off_t off, const void *buf,
		      size_t len);
u16 nvmet_copy_from_sgl(struct nvmet_req *req, off_t off, void *buf,
			size_t len);
u16 nvmet_zero_sgl(struct nvmet_req *req, off_t off, size_t len);
u16 nvmet_errno_to_status(struct nvmet_req *req, int err);

void nvmet_ctrl_fatal_error(struct nvmet_ctrl *ctrl);

/* Every check PRCHK can ask for, as NVME_RW_PRINFO_* bits */
#define NVMET_PRCHK_ALL	(NVME_RW_PRINFO_PRCHK_GUARD | \
			 NVME_RW_PRINFO_PRCHK_APP | NVME_RW_PRINFO_PRCHK_REF)

/**
 * nvmet_ns_pi_ref_invalid() - a type 1 reference tag check that does not
 *			       start at the LBA
 * @ns: an enabled namespace with protection information
 * @prinfo: the command's PRINFO as NVME_RW_PRINFO_* bits
 * @lba: the first block it reads or writes
 * @ref: its (expected) initial logical block reference tag
 *
 * Type 1 with PRCHK ref needs the reference tag of the first block to be
 * its LBA's low 32 bits (48 with the 64-bit guard: NVM Command Set,
 * "Protection Information"); a command that names another fails with
 * Invalid Protection Information.
 *
 * Context: Any context.
 * Return: true where @ref is not the one @lba needs.
 */
static inline bool nvmet_ns_pi_ref_invalid(const struct nvmet_ns *ns,
					   u16 prinfo, u64 lba, u64 ref)
{
	return ns->pi_type == NVME_NS_DPS_PI_TYPE1 &&
	       (prinfo & NVME_RW_PRINFO_PRCHK_REF) &&
	       ref != (lba & nvmet_ns_pi_ref_mask(ns));
}

/**
 * nvmet_pi_cmd_ref() - the (expected) initial logical block reference tag
 *			of a read, write, compare, verify or write zeroes
 * @ns: its namespace, with protection information
 * @cmd: the command
 *
 * ILBRT or EILBRT: CDW14, and with the 64-bit guard (48-bit reference
 * tags, no storage tag) its upper 16 bits in CDW3 bits 15:0, as a Linux
 * host's nvme_set_ref_tag() sends them.
 *
 * Return: the tag.
 */
static inline u64 nvmet_pi_cmd_ref(const struct nvmet_ns *ns,
				   const struct nvme_command *cmd)
{
	u64 ref = le32_to_cpu(cmd->common.cdw14);

	if (nvmet_ns_pi64(ns))
		ref |= (u64)(le32_to_cpu(cmd->rw.cdw3) & 0xffff) << 32;
	return ref;
}

#endif /* _NVMET_REQ_H */
