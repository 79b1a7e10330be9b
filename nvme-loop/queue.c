// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queues: a host queue and the target queue behind it.
 *
 * A queue is ALLOCATED from nvme_loop_start_queue() (the target's
 * submission queue exists, so works may run nvmet_req_init() on it) and
 * LIVE once its Connect succeeded.  Every work item of a queue is counted
 * in queue->nr_works, between nvme_loop_queue_enter(), which refuses once
 * the queue is no longer ALLOCATED, and nvme_loop_queue_exit().
 * nvme_loop_stop_queue() clears both flags, waits for the count to drop
 * to zero, then destroys the target queue, which waits for the commands
 * the target still has (their completions keep flowing meanwhile).
 */
#include <linux/atomic.h>
#include <linux/wait_bit.h>

#include "nvme-loop.h"

/**
 * nvme_loop_start_queue() - create the target side of a queue
 * @queue: the queue, stopped
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int nvme_loop_start_queue(struct nvme_loop_queue *queue)
{
	int ret;

	ret = nvmet_sq_init(&queue->sq);
	if (ret)
		return ret;
	/* The initialised queue before the flag: test_bit_acquire() readers. */
	smp_mb__before_atomic();
	set_bit(NVME_LOOP_Q_ALLOCATED, &queue->flags);
	return 0;
}

/**
 * nvme_loop_connect_queue() - send the Connect command of a queue
 * @queue: the queue, started
 *
 * Context: Process context; sleeps until the target answers.
 * Return: 0, -errno, or the NVMe status of a failed Connect.
 */
int nvme_loop_connect_queue(struct nvme_loop_queue *queue)
{
	struct nvme_ctrl *nctrl = &queue->ctrl->ctrl;
	unsigned int qid = nvme_loop_qid(queue);
	int ret;

	if (qid)
		ret = nvmf_connect_io_queue(nctrl, qid);
	else
		ret = nvmf_connect_admin_queue(nctrl);
	if (ret)
		return ret;
	set_bit(NVME_LOOP_Q_LIVE, &queue->flags);
	return 0;
}

/**
 * nvme_loop_stop_queue() - take a queue down, target side included
 * @queue: the queue; nothing happens if it is not started
 *
 * No work is left for the queue afterwards and every command it sent to
 * the target has completed.  Destroying the admin queue makes the target
 * delete its controller; nvme_loop_target_delete_ctrl() ignores that, as
 * the queue is no longer ALLOCATED.
 *
 * Context: Process context; sleeps.
 */
void nvme_loop_stop_queue(struct nvme_loop_queue *queue)
{
	clear_bit(NVME_LOOP_Q_LIVE, &queue->flags);
	/* Fully ordered: pairs with the barrier in nvme_loop_queue_enter(). */
	if (!test_and_clear_bit(NVME_LOOP_Q_ALLOCATED, &queue->flags))
		return;
	wait_var_event(&queue->nr_works, !atomic_read(&queue->nr_works));
	nvmet_sq_destroy(&queue->sq);
}

/**
 * nvme_loop_queue_enter() - count a work item that is about to be queued
 * @queue: the queue
 *
 * Context: Any context.
 * Return: true if the work may be queued; false if the queue is stopping
 * or stopped, and nothing was counted.
 */
bool nvme_loop_queue_enter(struct nvme_loop_queue *queue)
{
	atomic_inc(&queue->nr_works);
	/* Count first, then look: nvme_loop_stop_queue() does the reverse. */
	smp_mb__after_atomic();
	if (likely(test_bit(NVME_LOOP_Q_ALLOCATED, &queue->flags)))
		return true;
	nvme_loop_queue_exit(queue);
	return false;
}

/**
 * nvme_loop_queue_exit() - a counted work item is done with its queue
 * @queue: the queue
 *
 * Context: Any context.
 */
void nvme_loop_queue_exit(struct nvme_loop_queue *queue)
{
	if (atomic_dec_and_test(&queue->nr_works))
		wake_up_var(&queue->nr_works);
}
