// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deadlines for peers that stop talking, and the bound on connections a
 * port holds before they connect.
 *
 * A queue must get its ICReq within icreq_timeout_ms of the accept (and
 * on a TLS port finish its TLS handshake within tls_handshake_timeout of
 * its start), and a controller (a successful Connect) within
 * connect_timeout_ms of the ICReq; a command waiting for data (in-capsule,
 * or after our R2T) must get some within data_timeout_ms of the last it
 * got.  A queue that misses one is closed, which frees its memory and,
 * through nvmet_req_uninit() of its waiting commands, drops their
 * namespace references.
 *
 * One timer per queue, re-armed lazily: it only flags the queue and kicks
 * io_work, which owns the state the deadlines are about and checks them
 * all (nvmet_tcp_deadline_passed()).  On the I/O path, a command that
 * starts waiting for data stores the time and arms the timer only if it
 * is idle; the check re-arms it for the earliest deadline left.  So a
 * busy queue costs one timer expiry per data_timeout_ms, not one timer
 * per command.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/timer.h>

#include <nvmet/compat-lib.h>

#include "nvmet-tcp.h"

/*
 * Defaults: several times what a Linux host waits itself (10 s for the
 * ICResp, the 60 s admin timeout for Connect, the 30 s I/O timeout), so a
 * host that is only slow never trips them.  0 disables a deadline.
 */
static unsigned int icreq_timeout_ms = 30000;
module_param(icreq_timeout_ms, uint, 0644);
MODULE_PARM_DESC(icreq_timeout_ms,
		 "ms from accept to ICReq before the connection is closed (0: none, default 30000)");

static unsigned int connect_timeout_ms = 60000;
module_param(connect_timeout_ms, uint, 0644);
MODULE_PARM_DESC(connect_timeout_ms,
		 "ms from ICReq to a successful Connect before the queue is closed (0: none, default 60000)");

static unsigned int data_timeout_ms = 60000;
module_param(data_timeout_ms, uint, 0644);
MODULE_PARM_DESC(data_timeout_ms,
		 "ms a command may wait for host data (R2T or in-capsule) before its queue is closed (0: none, default 60000)");

/*
 * A Linux host opens all its I/O queues (ICReq each) before it connects
 * them one by one: 1024 leaves room for several large hosts reconnecting
 * at once.  A pending queue holds about 4 KiB plus its socket buffers.
 */
static unsigned int max_pending_conns = 1024;
module_param(max_pending_conns, uint, 0644);
MODULE_PARM_DESC(max_pending_conns,
		 "connections per port not connected yet; beyond, the oldest is closed (0: no bound, default 1024)");

/**
 * nvmet_tcp_max_pending() - the bound on pending connections per port
 *
 * Context: Any context.
 * Return: the bound, 0 for none.
 */
unsigned int nvmet_tcp_max_pending(void)
{
	return READ_ONCE(max_pending_conns);
}

static void nvmet_tcp_deadline_fn(struct timer_list *t)
{
	struct nvmet_tcp_queue *queue = timer_container_of(queue, t, deadline);

	set_bit(NVMET_TCP_QF_DEADLINE, &queue->flags);
	nvmet_tcp_kick(queue);
}

/* Have the timer fire @ms from @from, if @ms is a deadline at all. */
static void nvmet_tcp_arm(struct nvmet_tcp_queue *queue, unsigned long from,
			  unsigned int ms)
{
	if (ms)
		mod_timer(&queue->deadline, from + msecs_to_jiffies(ms));
}

/**
 * nvmet_tcp_deadline_init() - start the ICReq deadline of a new queue
 * @queue: the queue, not yet published
 *
 * Context: Process context (the accept work).
 */
void nvmet_tcp_deadline_init(struct nvmet_tcp_queue *queue)
{
	timer_setup(&queue->deadline, nvmet_tcp_deadline_fn, 0);
	queue->born = jiffies;
	nvmet_tcp_arm(queue, queue->born, READ_ONCE(icreq_timeout_ms));
}

/**
 * nvmet_tcp_deadline_icreq() - the ICReq came: the Connect deadline runs
 * @queue: the queue
 *
 * Context: io_work.
 */
void nvmet_tcp_deadline_icreq(struct nvmet_tcp_queue *queue)
{
	queue->icreq_at = jiffies;
	nvmet_tcp_arm(queue, queue->icreq_at, READ_ONCE(connect_timeout_ms));
}

/**
 * nvmet_tcp_deadline_handshake() - a TLS handshake starts: it must be
 * done within tls_handshake_timeout (tls.c); the ICReq deadline still runs
 * @queue: the queue
 *
 * Context: Process context (the accept work or io_work), before the
 * handshake is submitted.
 */
void nvmet_tcp_deadline_handshake(struct nvmet_tcp_queue *queue)
{
	unsigned int ms = nvmet_tcp_tls_timeout_ms();
	unsigned long due = jiffies + msecs_to_jiffies(ms);

	queue->hs_at = jiffies;
	if (ms && (!timer_pending(&queue->deadline) ||
		   time_before(due, queue->deadline.expires)))
		mod_timer(&queue->deadline, due);
}

/**
 * nvmet_tcp_deadline_connected() - Connect succeeded: only data deadlines
 * are left
 * @queue: the queue
 *
 * Context: io_work.
 */
void nvmet_tcp_deadline_connected(struct nvmet_tcp_queue *queue)
{
	unsigned int ms = READ_ONCE(data_timeout_ms);

	if (ms)
		nvmet_tcp_arm(queue, jiffies, ms);
	else
		timer_delete(&queue->deadline);
}

/**
 * nvmet_tcp_wait_data() - a command waits for data from the host
 * @cmd: the command, NEED_DATA, at its R2T or at the start of a PDU's data
 *
 * Context: io_work.
 */
void nvmet_tcp_wait_data(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_tcp_queue *queue = cmd->queue;

	cmd->data_at = jiffies;
	if (!timer_pending(&queue->deadline))
		nvmet_tcp_arm(queue, cmd->data_at, READ_ONCE(data_timeout_ms));
}

/* Has @from + @ms passed?  If not, keep the earliest such time in @next. */
static bool nvmet_tcp_due(unsigned long from, unsigned int ms,
			  unsigned long *next, bool *armed)
{
	unsigned long due = from + msecs_to_jiffies(ms);

	if (time_after_eq(jiffies, due))
		return true;
	if (!*armed || time_before(due, *next)) {
		*next = due;
		*armed = true;
	}
	return false;
}

/* The data deadlines of a connected queue's commands. */
static bool nvmet_tcp_data_passed(struct nvmet_tcp_queue *queue,
				  unsigned long *next, bool *armed)
{
	unsigned int ms = READ_ONCE(data_timeout_ms);
	unsigned int i;

	if (!ms)
		return false;
	for (i = 0; i < queue->cmds->nr; i++) {
		struct nvmet_tcp_cmd *cmd = &queue->cmds->cmds[i];

		if (cmd->state != NVMET_TCP_CMD_NEED_DATA ||
		    !nvmet_tcp_due(cmd->data_at, ms, next, armed))
			continue;
		nvmet_tcp_err(queue, "no data for command %u (opcode %#x, %u of %u bytes received) within %u ms, closing\n",
			      cmd->sqe.common.command_id,
			      cmd->sqe.common.opcode, cmd->rbytes,
			      cmd->req.transfer_len, ms);
		return true;
	}
	return false;
}

/**
 * nvmet_tcp_deadline_passed() - check a queue's deadlines after its timer
 * fired, and re-arm it for the next one
 * @queue: the queue
 *
 * Context: io_work.
 * Return: true if a deadline passed (reported): the queue must close.
 */
bool nvmet_tcp_deadline_passed(struct nvmet_tcp_queue *queue)
{
	unsigned long next = 0;
	bool armed = false;
	unsigned int ms;

	switch (READ_ONCE(queue->state)) {
	case NVMET_TCP_Q_CONNECTING:
		ms = nvmet_tcp_tls_timeout_ms();
		if (ms && test_bit(NVMET_TCP_QF_TLS_HS, &queue->flags) &&
		    nvmet_tcp_due(queue->hs_at, ms, &next, &armed)) {
			nvmet_tcp_err(queue, "TLS handshake not done within %u ms, closing\n",
				      ms);
			return true;
		}
		ms = READ_ONCE(icreq_timeout_ms);
		if (ms && nvmet_tcp_due(queue->born, ms, &next, &armed)) {
			nvmet_tcp_err(queue, "no ICReq within %u ms of the connection, closing\n",
				      ms);
			return true;
		}
		break;
	case NVMET_TCP_Q_LIVE:
		if (READ_ONCE(queue->nvme_sq.ctrl)) {
			if (nvmet_tcp_data_passed(queue, &next, &armed))
				return true;
			break;
		}
		ms = READ_ONCE(connect_timeout_ms);
		if (ms && nvmet_tcp_due(queue->icreq_at, ms, &next, &armed)) {
			nvmet_tcp_err(queue, "no Connect within %u ms of the ICReq, closing\n",
				      ms);
			return true;
		}
		break;
	default:
		return false;
	}
	if (armed)
		mod_timer(&queue->deadline, next);
	return false;
}
