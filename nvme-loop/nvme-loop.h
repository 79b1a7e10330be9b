/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvme-loop: the loop transport of nvmet-ng.  The in-kernel NVMe host
 * (nvme-core, nvme-fabrics) and the nvmet-ng target meet in memory: a
 * host controller created by `nvme connect -t loop` hands every command
 * of its blk-mq queues straight to the target core, and the target's
 * completion completes the blk-mq request.
 *
 * Contexts:
 *   - queue_rq() (cmd.c) prepares the command and queues the request's
 *     work on nvme_loop_wq; it never sleeps;
 *   - the work runs nvmet_req_init() and req->execute() in process
 *     context, as the target core wants;
 *   - queue_response() (any context, even bio completion) completes the
 *     blk-mq request, or the host's Asynchronous Event Request;
 *   - controller setup, reset and deletion (ctrl.c) run in the nvme-core
 *     workqueues and in the process that writes /dev/nvme-fabrics.
 *
 * Locks: nvme_loop_ports_lock (port.c) and nvme_loop_ctrls_lock (ctrl.c),
 * both mutexes, never nested.  A queue (queue.c) needs no lock: its
 * flags are atomic bitops and in-flight works are counted in
 * queue->nr_works.
 *
 * Conventions:
 * @ctrl:  our host controller
 * @queue: a queue of @ctrl; queue 0 is the admin queue
 * @iod:   the per-command state, the pdu of a blk-mq request (or
 *	   ctrl->async_iod for the Asynchronous Event Request)
 * @nport: an nvmet port of type loop
 */
#ifndef _NVME_LOOP_H
#define _NVME_LOOP_H

#include <linux/blk-mq.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>

#include <nvmet/compat-nvme-host.h>
#include <nvmet/fabric.h>
#include <nvmet/req.h>

/* Data segments of one command; bounds the requests blk-mq builds. */
#define NVME_LOOP_MAX_SEGMENTS		256

/**
 * enum nvme_loop_queue_flag - bits of nvme_loop_queue.flags
 * @NVME_LOOP_Q_ALLOCATED: the target submission queue is initialised;
 *			   works may be queued for it
 * @NVME_LOOP_Q_LIVE: Connect succeeded; every command is welcome
 */
enum nvme_loop_queue_flag {
	NVME_LOOP_Q_ALLOCATED,
	NVME_LOOP_Q_LIVE,
};

struct nvme_loop_ctrl;

/**
 * struct nvme_loop_queue - one host queue and its target queue
 * @sq: the target's submission queue
 * @cq: the target's completion queue
 * @ctrl: the controller (I)
 * @flags: enum nvme_loop_queue_flag bits (atomic bitops)
 * @nr_works: works queued or running for this queue (atomic); teardown
 *	      waits for zero before nvmet_sq_destroy()
 */
struct nvme_loop_queue {
	struct nvmet_sq sq;
	struct nvmet_cq cq;
	struct nvme_loop_ctrl *ctrl;
	unsigned long flags;
	atomic_t nr_works;
};

/**
 * struct nvme_loop_iod - one command on its way through the target
 * @nvme_req: nvme-core's part of the request pdu; must come first
 * @cmd: the submission queue entry
 * @cqe: the completion the target fills
 * @req: the target's request
 * @queue: the queue the command goes to
 * @work: runs the command in the target, in process context
 * @sgt: the data of the request, mapped from its bios
 * @first_sgl: the inline chunk of @sgt
 */
struct nvme_loop_iod {
	struct nvme_request nvme_req;
	struct nvme_command cmd;
	struct nvme_completion cqe;
	struct nvmet_req req;
	struct nvme_loop_queue *queue;
	struct work_struct work;
	struct sg_table sgt;
	struct scatterlist first_sgl[];
};

/**
 * struct nvme_loop_ctrl - a host controller of the loop transport
 * @ctrl: the nvme-core controller
 * @queues: the admin queue, then the I/O queues; as many as
 *	    opts->nr_io_queues allows (I)
 * @nr_queues: entries of @queues (I)
 * @nport: the target port every queue connects through, referenced (I)
 * @admin_tag_set: tags of the admin queue and of the fabrics queue
 * @tag_set: tags of the I/O queues
 * @has_io_tag_set: @tag_set is allocated (setup and teardown, which
 *		    nvme-core serialises)
 * @entry: on nvme_loop_ctrls (nvme_loop_ctrls_lock)
 * @created: create_ctrl() finished; opts belong to us (nvme_loop_ctrls_lock)
 * @delete_pending: the target deleted the controller while create_ctrl()
 *		    ran; create_ctrl() deletes it when done
 *		    (nvme_loop_ctrls_lock)
 * @async_iod: the Asynchronous Event Request, which is no blk-mq request;
 *	       last, as it ends in a flexible array
 */
struct nvme_loop_ctrl {
	struct nvme_ctrl ctrl;
	struct nvme_loop_queue *queues;
	unsigned int nr_queues;
	struct nvmet_port *nport;
	struct blk_mq_tag_set admin_tag_set;
	struct blk_mq_tag_set tag_set;
	bool has_io_tag_set;
	struct list_head entry;
	bool created;
	bool delete_pending;
	struct nvme_loop_iod async_iod;
};

/* The pdu of a blk-mq request: the iod and its inline scatterlist. */
#define NVME_LOOP_CMD_SIZE	(sizeof(struct nvme_loop_iod) + \
				 NVME_INLINE_SG_CNT * sizeof(struct scatterlist))

static inline struct nvme_loop_ctrl *to_loop_ctrl(struct nvme_ctrl *ctrl)
{
	return container_of(ctrl, struct nvme_loop_ctrl, ctrl);
}

static inline unsigned int nvme_loop_qid(const struct nvme_loop_queue *queue)
{
	return queue - queue->ctrl->queues;
}

/* main.c */
extern const struct nvmet_fabric_ops nvme_loop_fabric_ops;
extern struct workqueue_struct *nvme_loop_wq;

/* port.c */
int nvme_loop_add_port(struct nvmet_port *nport);
void nvme_loop_remove_port(struct nvmet_port *nport);
struct nvmet_port *nvme_loop_port_find_get(const char *traddr);

/* ctrl.c */
struct nvme_ctrl *nvme_loop_create_ctrl(struct device *dev,
					struct nvmf_ctrl_options *opts);
void nvme_loop_target_delete_ctrl(struct nvmet_ctrl *tctrl);
void nvme_loop_delete_port_ctrls(struct nvmet_port *nport);
void nvme_loop_delete_all_ctrls(void);

/* queue.c */
int nvme_loop_start_queue(struct nvme_loop_queue *queue);
void nvme_loop_stop_queue(struct nvme_loop_queue *queue);
int nvme_loop_connect_queue(struct nvme_loop_queue *queue);
bool nvme_loop_queue_enter(struct nvme_loop_queue *queue);
void nvme_loop_queue_exit(struct nvme_loop_queue *queue);

/* cmd.c */
extern const struct blk_mq_ops nvme_loop_mq_ops;
void nvme_loop_init_async_iod(struct nvme_loop_ctrl *ctrl);
void nvme_loop_submit_async_event(struct nvme_ctrl *nctrl);
void nvme_loop_queue_response(struct nvmet_req *req);

#endif /* _NVME_LOOP_H */
