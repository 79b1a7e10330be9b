// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command slots.
 *
 * A queue starts with NVMET_TCP_PRE_CONNECT_CMDS slots, enough for the
 * Connect command a host sends first and alone.  Connect calls
 * install_queue(), which allocates 2 * sq->size slots and publishes them in
 * queue->next_cmds; io_work switches to them the next time it needs a slot
 * and none of the old ones is busy, which is the case as soon as the
 * Connect response is out.  A transfer tag is a slot index, so tags never
 * refer to an old array.
 *
 * Slots are taken and given back by io_work only (the receive path takes,
 * the send path gives back once a response is out), so the free list has
 * no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/overflow.h>
#include <linux/slab.h>

#include "nvmet-tcp.h"

/**
 * nvmet_tcp_alloc_cmd_set() - allocate command slots for a queue
 * @queue: the queue
 * @nr: slots
 *
 * Context: Process context.
 * Return: the slots, all free, or NULL.
 */
struct nvmet_tcp_cmd_set *nvmet_tcp_alloc_cmd_set(struct nvmet_tcp_queue *queue,
						  unsigned int nr)
{
	struct nvmet_tcp_cmd_set *set;
	unsigned int i;

	set = kvzalloc(struct_size(set, cmds, nr), GFP_KERNEL);
	if (!set)
		return NULL;
	set->nr = nr;
	for (i = 0; i < nr; i++) {
		struct nvmet_tcp_cmd *cmd = &set->cmds[i];

		cmd->queue = queue;
		cmd->idx = i;
		cmd->state = NVMET_TCP_CMD_FREE;
		INIT_LIST_HEAD(&cmd->entry);
		cmd->req.cmd = &cmd->sqe;
		cmd->req.cqe = &cmd->rsp.pdu.cqe;
		cmd->req.fabric_priv = cmd;
	}
	return set;
}

/**
 * nvmet_tcp_use_cmd_set() - make a slot array the queue's current one
 * @queue: the queue, whose current array (if any) has no busy slot
 * @set: the new array; the old one is freed
 *
 * Context: io_work, or before the queue is published.
 */
void nvmet_tcp_use_cmd_set(struct nvmet_tcp_queue *queue,
			   struct nvmet_tcp_cmd_set *set)
{
	unsigned int i;

	WARN_ON_ONCE(queue->nr_busy);
	kvfree(queue->cmds);
	queue->cmds = set;
	INIT_LIST_HEAD(&queue->free_cmds);
	for (i = 0; i < set->nr; i++)
		list_add_tail(&set->cmds[i].entry, &queue->free_cmds);
}

/**
 * nvmet_tcp_get_cmd() - take a free command slot
 * @queue: the queue
 *
 * Context: io_work.
 * Return: the slot, ready for a new command, or NULL when the host sent
 * more commands than the queue has room for.
 */
struct nvmet_tcp_cmd *nvmet_tcp_get_cmd(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_cmd_set *next;
	struct nvmet_tcp_cmd *cmd;

	if (!queue->nr_busy && READ_ONCE(queue->next_cmds)) {
		next = xchg(&queue->next_cmds, NULL);
		if (next)
			nvmet_tcp_use_cmd_set(queue, next);
	}
	cmd = list_first_entry_or_null(&queue->free_cmds, struct nvmet_tcp_cmd,
				       entry);
	if (!cmd)
		return NULL;
	list_del_init(&cmd->entry);
	queue->nr_busy++;
	cmd->r2t_sent = false;
	cmd->rbytes = 0;
	cmd->req.sg = NULL;
	cmd->req.sg_cnt = 0;
	cmd->req.port = queue->nport;
	memset(&cmd->rsp.pdu.cqe, 0, sizeof(cmd->rsp.pdu.cqe));
	return cmd;
}

/**
 * nvmet_tcp_put_cmd() - give a command slot back
 * @cmd: the slot, whose request holds no data buffer any more
 *
 * Context: io_work.
 */
void nvmet_tcp_put_cmd(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_tcp_queue *queue = cmd->queue;

	cmd->state = NVMET_TCP_CMD_FREE;
	list_add(&cmd->entry, &queue->free_cmds);
	queue->nr_busy--;
}

/**
 * nvmet_tcp_find_cmd() - the command an H2C Data PDU is for
 * @queue: the queue
 * @ttag: the transfer tag of the PDU
 *
 * Context: io_work.
 * Return: the command, or NULL when no R2T of ours carried @ttag.
 */
struct nvmet_tcp_cmd *nvmet_tcp_find_cmd(struct nvmet_tcp_queue *queue,
					 u16 ttag)
{
	struct nvmet_tcp_cmd *cmd;

	if (ttag >= queue->cmds->nr)
		return NULL;
	cmd = &queue->cmds->cmds[ttag];
	if (cmd->state != NVMET_TCP_CMD_NEED_DATA || !cmd->r2t_sent)
		return NULL;
	return cmd;
}

static void nvmet_tcp_free_sgl(struct nvmet_tcp_cmd *cmd)
{
	if (cmd->req.sg)
		nvmet_req_free_sgl(&cmd->req);
	cmd->req.sg = NULL;
	cmd->req.sg_cnt = 0;
}

/**
 * nvmet_tcp_uninit_cmds() - drop the commands still waiting for data
 * @queue: the queue, DISCONNECTING, its io_work cancelled
 *
 * Those were accepted by nvmet_req_init() but never executed, so only
 * nvmet_req_uninit() releases what they hold; nvmet_sq_destroy() would
 * wait for them forever otherwise.
 *
 * Context: The release work.
 */
void nvmet_tcp_uninit_cmds(struct nvmet_tcp_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->cmds->nr; i++) {
		struct nvmet_tcp_cmd *cmd = &queue->cmds->cmds[i];

		if (cmd->state != NVMET_TCP_CMD_NEED_DATA)
			continue;
		nvmet_req_uninit(&cmd->req);
		nvmet_tcp_free_sgl(cmd);
		cmd->state = NVMET_TCP_CMD_FREE;
	}
}

/**
 * nvmet_tcp_free_cmds() - free the command slots of a dead queue
 * @queue: the queue; nvmet_sq_destroy() returned, so every command the
 *	   core had is completed and no queue_response() is running
 *
 * Context: The release work.
 */
void nvmet_tcp_free_cmds(struct nvmet_tcp_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->cmds->nr; i++) {
		struct nvmet_tcp_cmd *cmd = &queue->cmds->cmds[i];

		if (cmd->state == NVMET_TCP_CMD_EXEC ||
		    cmd->state == NVMET_TCP_CMD_RESPOND)
			nvmet_tcp_free_sgl(cmd);
	}
	kvfree(queue->cmds);
	queue->cmds = NULL;
	kvfree(xchg(&queue->next_cmds, NULL));
}

/**
 * nvmet_tcp_install_queue() - size a queue's command slots at Connect
 * @sq: the submission queue Connect set up (qid and size)
 *
 * Context: Process context (Connect execution); allocates with GFP_KERNEL.
 * Return: an NVMe status.
 */
u16 nvmet_tcp_install_queue(struct nvmet_sq *sq)
{
	struct nvmet_tcp_queue *queue =
		container_of(sq, struct nvmet_tcp_queue, nvme_sq);
	struct nvmet_tcp_cmd_set *set;

	if (!sq->size || sq->size > NVMET_QUEUE_SIZE)
		return NVME_SC_INVALID_QUEUE | NVME_STATUS_DNR;
	if (test_and_set_bit(NVMET_TCP_QF_INSTALLED, &queue->flags)) {
		nvmet_tcp_err(queue, "second Connect on the queue\n");
		return NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
	}
	set = nvmet_tcp_alloc_cmd_set(queue, 2 * sq->size);
	if (!set) {
		clear_bit(NVMET_TCP_QF_INSTALLED, &queue->flags);
		return NVME_SC_INTERNAL;
	}
	/* Orders the slots' initialisation before io_work can see them. */
	if (cmpxchg(&queue->next_cmds, NULL, set)) {
		kvfree(set);
		return NVME_SC_INTERNAL;
	}
	return NVME_SC_SUCCESS;
}
