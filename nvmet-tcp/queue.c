// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue lifecycle: creation on accept, the socket callbacks, io_work and
 * teardown.
 *
 * A queue is CONNECTING until its ICReq, then LIVE.  Whoever wants it gone
 * (the host closing the socket, a malformed PDU, delete_ctrl(),
 * remove_port(), module exit) calls nvmet_tcp_schedule_release(): the
 * first caller moves it to DISCONNECTING and queues release_work, later
 * callers do nothing.  From then on io_work returns at once and the
 * callbacks stop kicking it.  The release work:
 *   1. unlinks the queue from its port's list, so nobody finds it again;
 *   2. shuts the socket down, ends a TLS handshake still under way
 *      (tls.c) and takes our callbacks off the socket;
 *   3. stops the deadline timer for good and cancels io_work;
 *   4. nvmet_req_uninit()s the commands still waiting for data;
 *   5. nvmet_sq_destroy()s, which waits for the commands the core has;
 *   6. cancels io_work again (queue_response() of those may have kicked
 *      it), frees the slots and their data, the socket and the queue, and
 *      drops its reference on the port's listener.
 *
 * Every queue is on the list of the listener that accepted it
 * (tport->queues, under tport->queues_lock) from accept to release, so
 * delete_ctrl() and remove_port() walk only the queues of one port.  A
 * listener lives as long as its port is enabled or a queue of it is not
 * freed (tport->ref); it leaves nport->priv at remove_port(), and is freed
 * after an RCU grace period, so delete_ctrl() can look it up from the
 * controller's port without a lock.  Lock order: tport->queues_lock ->
 * queue->state_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/file.h>
#include <linux/idr.h>
#include <linux/inet.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-tcp.h"

static DEFINE_IDA(nvmet_tcp_queue_ida);
static atomic_t nvmet_tcp_next_cpu = ATOMIC_INIT(0);
/* Runs release_work; flushed at module exit. */
static struct workqueue_struct *nvmet_tcp_release_wq;

/**
 * nvmet_tcp_err() - report an error of a queue, naming the queue, its port
 * and its host
 * @queue: the queue
 * @fmt: printf format of the message, ending with a newline
 *
 * Hosts cause these, so they are rate-limited, all queues together.
 *
 * Context: Any context.
 */
void nvmet_tcp_err(const struct nvmet_tcp_queue *queue, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("queue %d (port %u, host %pISpc): %pV", queue->idx,
	       queue->portid, &queue->peer_addr, &vaf);
	va_end(args);
}

/**
 * nvmet_tcp_kick() - have io_work look at a queue
 * @queue: the queue
 *
 * io_work runs where the socket's segments arrive (its incoming CPU, the
 * one its receive softirq ran on) while that CPU is online, so that data
 * ready does not wake another CPU for each command; before the first
 * segment, and if that CPU goes away, on the CPU picked at accept.
 *
 * Context: Any context.
 */
void nvmet_tcp_kick(struct nvmet_tcp_queue *queue)
{
	int cpu = READ_ONCE(queue->sock->sk->sk_incoming_cpu);

	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		cpu = queue->cpu;
	if (READ_ONCE(queue->state) != NVMET_TCP_Q_DISCONNECTING)
		queue_work_on(cpu, nvmet_tcp_wq, &queue->io_work);
}

/**
 * nvmet_tcp_schedule_release() - start tearing a queue down
 * @queue: the queue
 *
 * Context: Any context; takes queue->state_lock.
 */
void nvmet_tcp_schedule_release(struct nvmet_tcp_queue *queue)
{
	spin_lock_bh(&queue->state_lock);
	if (queue->state != NVMET_TCP_Q_DISCONNECTING) {
		WRITE_ONCE(queue->state, NVMET_TCP_Q_DISCONNECTING);
		queue_work(nvmet_tcp_release_wq, &queue->release_work);
	}
	spin_unlock_bh(&queue->state_lock);
}

/**
 * nvmet_tcp_set_live() - the ICReq was accepted: let commands in
 * @queue: the queue
 *
 * Context: io_work; takes queue->state_lock.
 * Return: false if the queue is going away instead.
 */
bool nvmet_tcp_set_live(struct nvmet_tcp_queue *queue)
{
	bool live;

	spin_lock_bh(&queue->state_lock);
	live = queue->state != NVMET_TCP_Q_DISCONNECTING;
	if (live)
		WRITE_ONCE(queue->state, NVMET_TCP_Q_LIVE);
	spin_unlock_bh(&queue->state_lock);
	return live;
}

static void nvmet_tcp_io_work(struct work_struct *work)
{
	struct nvmet_tcp_queue *queue =
		container_of(work, struct nvmet_tcp_queue, io_work);
	int ops = 0, ret;
	bool pending;

	if (test_bit(NVMET_TCP_QF_DEADLINE, &queue->flags) &&
	    test_and_clear_bit(NVMET_TCP_QF_DEADLINE, &queue->flags) &&
	    nvmet_tcp_deadline_passed(queue)) {
		nvmet_tcp_schedule_release(queue);
		return;
	}
	/* tlshd owns the socket until the handshake is done (tls.c). */
	if (nvmet_tcp_tls_busy(queue))
		return;
	if (test_bit(NVMET_TCP_QF_TLS_SNIFF, &queue->flags)) {
		ret = nvmet_tcp_tls_sniff(queue);
		if (ret < 0)
			goto close;
		if (ret)
			return;
	}
	do {
		if (READ_ONCE(queue->state) == NVMET_TCP_Q_DISCONNECTING)
			return;
		pending = false;
		ret = nvmet_tcp_try_recv(queue, NVMET_TCP_RECV_BUDGET);
		if (ret < 0)
			goto close;
		pending |= ret > 0;
		ops += ret;
		ret = nvmet_tcp_try_send(queue, NVMET_TCP_SEND_BUDGET);
		if (ret < 0)
			goto close;
		pending |= ret > 0;
		ops += ret;
	} while (pending && ops < NVMET_TCP_IO_BUDGET);

	/* Out of budget with work left: let others run, then go on. */
	if (pending)
		nvmet_tcp_kick(queue);
	return;

close:
	if (ret != -EPROTO && ret != -ECONNRESET)
		pr_debug("queue %d: socket error %d, closing\n", queue->idx, ret);
	nvmet_tcp_schedule_release(queue);
}

/*
 * On a TLS queue our callbacks sit on top of kTLS's, which must run too:
 * its data_ready parses records, its write_space pushes a record that did
 * not fit.
 */
static void nvmet_tcp_data_ready(struct sock *sk)
{
	struct nvmet_tcp_queue *queue;

	read_lock_bh(&sk->sk_callback_lock);
	queue = sk->sk_user_data;
	if (queue && queue->tls)
		queue->saved_data_ready(sk);
	if (queue)
		nvmet_tcp_kick(queue);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void nvmet_tcp_write_space(struct sock *sk)
{
	struct nvmet_tcp_queue *queue;

	read_lock_bh(&sk->sk_callback_lock);
	queue = sk->sk_user_data;
	if (queue && queue->tls)
		queue->saved_write_space(sk);
	if (queue && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		nvmet_tcp_kick(queue);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void nvmet_tcp_state_change(struct sock *sk)
{
	struct nvmet_tcp_queue *queue;

	read_lock_bh(&sk->sk_callback_lock);
	queue = sk->sk_user_data;
	if (!queue)
		goto out;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSE:
		nvmet_tcp_schedule_release(queue);
		break;
	default:
		break;
	}
	queue->saved_state_change(sk);
out:
	read_unlock_bh(&sk->sk_callback_lock);
}

/**
 * nvmet_tcp_set_callbacks() - put our callbacks on a queue's socket
 * @queue: the queue; its socket has none of ours
 *
 * Context: Process context; takes sk->sk_callback_lock.
 * Return: 0, or -ENOTCONN when the connection is closing already.
 */
int nvmet_tcp_set_callbacks(struct nvmet_tcp_queue *queue)
{
	struct sock *sk = queue->sock->sk;
	int ret = 0;

	write_lock_bh(&sk->sk_callback_lock);
	if (inet_sk_state_load(sk) != TCP_ESTABLISHED) {
		ret = -ENOTCONN;
		goto out;
	}
	sk->sk_user_data = queue;
	queue->saved_data_ready = sk->sk_data_ready;
	queue->saved_write_space = sk->sk_write_space;
	queue->saved_state_change = sk->sk_state_change;
	sk->sk_data_ready = nvmet_tcp_data_ready;
	sk->sk_write_space = nvmet_tcp_write_space;
	sk->sk_state_change = nvmet_tcp_state_change;
out:
	write_unlock_bh(&sk->sk_callback_lock);
	return ret;
}

/**
 * nvmet_tcp_restore_callbacks() - take our callbacks off a queue's socket
 * @queue: the queue
 *
 * Does nothing when they are not on it.
 *
 * Context: Process context; takes sk->sk_callback_lock.
 */
void nvmet_tcp_restore_callbacks(struct nvmet_tcp_queue *queue)
{
	struct sock *sk = queue->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == queue) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = queue->saved_data_ready;
		sk->sk_write_space = queue->saved_write_space;
		sk->sk_state_change = queue->saved_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * An accepted socket starts with the listener's callbacks, which it
 * inherited (sk_clone): give it the socket's own back, which tlshd's
 * waits rely on and which ours chain to.
 */
static void nvmet_tcp_reset_child(struct nvmet_tcp_port *tport,
				  struct socket *sock)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = tport->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

/**
 * nvmet_tcp_sock_free() - release an accepted socket
 * @sock: the socket; with a file (TLS ports), that is put instead, and the
 *	  socket goes with the file's last reference (tlshd may hold one)
 *
 * Context: Process context.
 */
void nvmet_tcp_sock_free(struct socket *sock)
{
	if (sock->file)
		fput(sock->file);
	else
		sock_release(sock);
}

static void nvmet_tcp_free_queue(struct nvmet_tcp_queue *queue)
{
	nvmet_tcp_sock_free(queue->sock);
	nvmet_tcp_port_put(queue->tport);
	ida_free(&nvmet_tcp_queue_ida, queue->idx);
	kfree(queue);
}

/* No longer count @queue as pending on its port. */
static void nvmet_tcp_unpend(struct nvmet_tcp_port *tport,
			     struct nvmet_tcp_queue *queue)
{
	lockdep_assert_held(&tport->queues_lock);
	if (test_and_clear_bit(NVMET_TCP_QF_PENDING, &queue->flags))
		tport->nr_pending--;
}

static void nvmet_tcp_release_work(struct work_struct *work)
{
	struct nvmet_tcp_queue *queue =
		container_of(work, struct nvmet_tcp_queue, release_work);
	struct nvmet_tcp_port *tport = queue->tport;

	spin_lock(&tport->queues_lock);
	list_del_init(&queue->entry);
	nvmet_tcp_unpend(tport, queue);
	spin_unlock(&tport->queues_lock);

	/*
	 * Shut down first: a TLS handshake still running then fails fast,
	 * and its done callback cannot put callbacks back on a closing
	 * socket; wait for it before taking ours off.
	 */
	kernel_sock_shutdown(queue->sock, SHUT_RDWR);
	nvmet_tcp_tls_stop(queue);
	nvmet_tcp_restore_callbacks(queue);
	/* io_work may still re-arm it: a shut-down timer ignores that. */
	timer_shutdown_sync(&queue->deadline);
	cancel_work_sync(&queue->io_work);

	nvmet_tcp_uninit_cmds(queue);
	nvmet_sq_destroy(&queue->nvme_sq);
	cancel_work_sync(&queue->io_work);

	/* Responses nobody will send; their slots are freed just below. */
	llist_del_all(&queue->resp_list);
	nvmet_tcp_free_cmds(queue);
	nvmet_tcp_free_queue(queue);
}

/* Pick a CPU for io_work, spreading queues over the online CPUs. */
static int nvmet_tcp_pick_cpu(void)
{
	return cpumask_local_spread(atomic_inc_return(&nvmet_tcp_next_cpu) %
				    num_online_cpus(), NUMA_NO_NODE);
}

static int nvmet_tcp_init_queue(struct nvmet_tcp_queue *queue,
				struct nvmet_tcp_port *tport,
				struct socket *sock)
{
	struct nvmet_tcp_cmd_set *set;
	int ret;

	queue->sock = sock;
	queue->tport = tport;
	queue->nport = tport->nport;
	queue->portid = tport->portid;
	queue->cpu = nvmet_tcp_pick_cpu();
	queue->state = NVMET_TCP_Q_CONNECTING;
	spin_lock_init(&queue->state_lock);
	INIT_LIST_HEAD(&queue->entry);
	INIT_WORK(&queue->io_work, nvmet_tcp_io_work);
	INIT_WORK(&queue->release_work, nvmet_tcp_release_work);
	init_llist_head(&queue->resp_list);
	INIT_LIST_HEAD(&queue->send_list);
	INIT_LIST_HEAD(&queue->free_cmds);
	nvmet_tcp_recv_init(queue);
	nvmet_tcp_tls_queue_init(queue, tport);
	nvmet_tcp_reset_child(tport, sock);

	ret = kernel_getsockname(sock, (struct sockaddr *)&queue->local_addr);
	if (ret < 0)
		return ret;
	ret = kernel_getpeername(sock, (struct sockaddr *)&queue->peer_addr);
	if (ret < 0)
		return ret;
	set = nvmet_tcp_alloc_cmd_set(queue, NVMET_TCP_PRE_CONNECT_CMDS);
	if (!set)
		return -ENOMEM;
	nvmet_tcp_use_cmd_set(queue, set);
	ret = nvmet_sq_init(&queue->nvme_sq);
	if (ret) {
		kvfree(queue->cmds);
		return ret;
	}
	return 0;
}

/*
 * The port holds as many queues not connected yet as it may: close the
 * oldest of them that is not closing already, rather than refuse the new
 * one, so that a flood of connections that never connect cannot lock out
 * a host that connects meanwhile.  Copies its peer to @peer for the
 * message.  Return: whether one was closed.
 */
static bool nvmet_tcp_evict_pending(struct nvmet_tcp_port *tport,
				    struct sockaddr_storage *peer)
{
	struct nvmet_tcp_queue *queue;

	lockdep_assert_held(&tport->queues_lock);
	list_for_each_entry(queue, &tport->queues, entry) {
		if (!test_bit(NVMET_TCP_QF_PENDING, &queue->flags) ||
		    READ_ONCE(queue->state) == NVMET_TCP_Q_DISCONNECTING)
			continue;
		nvmet_tcp_unpend(tport, queue);
		*peer = queue->peer_addr;
		nvmet_tcp_schedule_release(queue);
		return true;
	}
	return false;
}

/* Put a new queue on its port's list, pending; false if the port closed. */
static bool nvmet_tcp_join_port(struct nvmet_tcp_port *tport,
				struct nvmet_tcp_queue *queue)
{
	unsigned int max = nvmet_tcp_max_pending();
	struct sockaddr_storage peer;
	unsigned int pending;
	bool evicted = false;

	spin_lock(&tport->queues_lock);
	if (tport->closed) {
		spin_unlock(&tport->queues_lock);
		return false;
	}
	pending = tport->nr_pending;
	if (max && pending >= max)
		evicted = nvmet_tcp_evict_pending(tport, &peer);
	set_bit(NVMET_TCP_QF_PENDING, &queue->flags);
	tport->nr_pending++;
	list_add_tail(&queue->entry, &tport->queues);
	spin_unlock(&tport->queues_lock);

	if (evicted)
		pr_err_ratelimited("port %u: %u connections pending (not connected yet), at most %u: closing the oldest, from %pISpc\n",
				   tport->portid, pending, max, &peer);
	return true;
}

/**
 * nvmet_tcp_alloc_queue() - start serving an accepted connection
 * @tport: the listener the connection came through
 * @sock: the accepted socket; owned by the queue on success
 * @listen_any: the listener is bound to a wildcard address
 *
 * Context: Process context (the accept work).
 * Return: 0, or -errno; the caller releases @sock on failure.
 */
int nvmet_tcp_alloc_queue(struct nvmet_tcp_port *tport, struct socket *sock,
			  bool listen_any)
{
	struct nvmet_tcp_queue *queue;
	int ret;

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return -ENOMEM;
	ret = ida_alloc(&nvmet_tcp_queue_ida, GFP_KERNEL);
	if (ret < 0)
		goto out_free_queue;
	queue->idx = ret;
	queue->inline_max = tport->inline_data_size;
	queue->listen_any = listen_any;
	ret = nvmet_tcp_init_queue(queue, tport, sock);
	if (ret)
		goto out_free_ida;

	tcp_sock_set_nodelay(sock->sk);
	sock_no_linger(sock->sk);
	kref_get(&tport->ref);
	nvmet_tcp_deadline_init(queue);
	if (!nvmet_tcp_join_port(tport, queue)) {
		ret = -ENODEV;
		goto out_put_port;
	}

	/* From here on the release work undoes everything. */
	if (tport->tls == NVMET_TCP_TLS_REQUIRED) {
		ret = nvmet_tcp_tls_start(queue);
	} else {
		ret = nvmet_tcp_set_callbacks(queue);
		if (!ret)
			nvmet_tcp_kick(queue);	/* the ICReq may be in already */
	}
	if (ret)
		nvmet_tcp_schedule_release(queue);
	return 0;

out_put_port:
	timer_shutdown_sync(&queue->deadline);
	nvmet_sq_destroy(&queue->nvme_sq);
	kvfree(queue->cmds);
	nvmet_tcp_port_put(tport);
out_free_ida:
	ida_free(&nvmet_tcp_queue_ida, queue->idx);
out_free_queue:
	kfree(queue);
	return ret;
}

/**
 * nvmet_tcp_queue_connected() - Connect gave a queue its controller
 * @queue: the queue, NVMET_TCP_QF_PENDING, nvme_sq.ctrl set
 *
 * It no longer counts against the port's pending connections, and its
 * deadline timer moves from the Connect to the data of its commands.
 *
 * Context: io_work; takes the port's queues_lock.
 */
void nvmet_tcp_queue_connected(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_port *tport = queue->tport;

	spin_lock(&tport->queues_lock);
	nvmet_tcp_unpend(tport, queue);
	spin_unlock(&tport->queues_lock);
	nvmet_tcp_deadline_connected(queue);
}

/**
 * nvmet_tcp_close_port_queues() - close every queue of a port
 * @tport: the listener, whose socket and accept work are gone
 *
 * The core deleted every controller of the port already; closing their
 * queues here too covers a Connect that completed meanwhile.  No queue
 * joins the port afterwards.  Does not wait for the queues to be gone.
 *
 * Context: Process context; takes tport->queues_lock.
 */
void nvmet_tcp_close_port_queues(struct nvmet_tcp_port *tport)
{
	struct nvmet_tcp_queue *queue;

	spin_lock(&tport->queues_lock);
	tport->closed = true;
	list_for_each_entry(queue, &tport->queues, entry)
		nvmet_tcp_schedule_release(queue);
	spin_unlock(&tport->queues_lock);
}

/* The listener of a controller's port, referenced, or NULL once gone. */
static struct nvmet_tcp_port *nvmet_tcp_ctrl_tport(struct nvmet_ctrl *ctrl)
{
	struct nvmet_port *nport = nvmet_ctrl_port(ctrl);
	struct nvmet_tcp_port *tport;

	rcu_read_lock();
	tport = READ_ONCE(nport->priv);
	if (tport && !kref_get_unless_zero(&tport->ref))
		tport = NULL;
	rcu_read_unlock();
	return tport;
}

/**
 * nvmet_tcp_delete_ctrl() - close every queue of a controller
 * @ctrl: the controller, referenced by the caller
 *
 * All its queues came through its port, so only that port's list is
 * walked.  When the port's listener is gone, remove_port() closed them.
 * Does not wait for the queues to be gone.
 *
 * Context: Process context; takes the port's queues_lock.
 */
void nvmet_tcp_delete_ctrl(struct nvmet_ctrl *ctrl)
{
	struct nvmet_tcp_port *tport = nvmet_tcp_ctrl_tport(ctrl);
	struct nvmet_tcp_queue *queue;

	if (!tport)
		return;
	spin_lock(&tport->queues_lock);
	list_for_each_entry(queue, &tport->queues, entry) {
		if (READ_ONCE(queue->nvme_sq.ctrl) == ctrl)
			nvmet_tcp_schedule_release(queue);
	}
	spin_unlock(&tport->queues_lock);
	nvmet_tcp_port_put(tport);
}

/**
 * nvmet_tcp_queues_init() - set up what queues need module-wide
 *
 * Context: Module init.
 * Return: 0 or -ENOMEM.
 */
int nvmet_tcp_queues_init(void)
{
	nvmet_tcp_release_wq = alloc_workqueue("nvmet_tcp_release_wq",
					       WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	return nvmet_tcp_release_wq ? 0 : -ENOMEM;
}

/**
 * nvmet_tcp_queues_exit() - wait until every queue is freed
 *
 * No port is enabled any more, and remove_port() closed every queue of
 * each, so no queue is left once the release works ran.
 *
 * Context: Module exit.
 */
void nvmet_tcp_queues_exit(void)
{
	flush_workqueue(nvmet_tcp_release_wq);
	destroy_workqueue(nvmet_tcp_release_wq);
	ida_destroy(&nvmet_tcp_queue_ida);
}
