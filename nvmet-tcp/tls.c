// SPDX-License-Identifier: GPL-2.0-only
/*
 * TLS 1.3 with a PSK on NVMe/TCP (NVMe/TCP Transport Specification, "Transport
 * Layer Security"): the server side of the kernel's handshake upcall
 * (net/handshake, served by tlshd), and the record types kTLS hands the
 * receive path.  Built with NVMET_TLS only (compat.h); nvmet-tcp.h has the
 * stubs for kernels without it.
 *
 * A queue of a port with addr_tsas tls1.3 starts its handshake at accept
 * (addr_treq "required"), or once its first byte shows a TLS record
 * (addr_treq "not required": nvmet_tcp_tls_sniff()).  While the handshake
 * runs tlshd owns the socket: our callbacks are off it and io_work does
 * nothing but check the handshake's deadline (tls_handshake_timeout).  The
 * done callback, in tlshd's context, either puts our callbacks back (on
 * top of kTLS's) and kicks io_work for the ICReq, or closes the queue.
 *
 * Submitting and cancelling: NVMET_TCP_QF_TLS_HS is set from submission
 * until the done callback finished with the queue.  The submitter holds
 * queue->tls_lock and gives up once the queue is DISCONNECTING; the
 * release work takes and drops tls_lock (so no submission is in flight),
 * then, with the bit set, either cancels the request (the callback never
 * runs) or waits for the callback's tls_done.  Only then does it take the
 * callbacks off the socket, so a callback that put them back is undone.
 *
 * The PSK: tlshd looks the host's PSK identity ("NVMe0R0<hmac> <hostnqn>
 * <subsysnqn>", or the digest form) up in the ".nvme" keyring we pass
 * (nvme_keyring_id(), which exists while nvme-keyring, a dependency of
 * nvmet, is loaded); the done callback names the key it used.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/file.h>
#include <linux/key.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/nvme-keyring.h>
#include <linux/socket.h>
#include <net/handshake.h>
#include <net/sock.h>
#include <net/tls_prot.h>

#include <nvmet/compat-lib.h>
#include <nvmet/nvmet.h>

#include "nvmet-tcp.h"

/* In-tree's name, unit and default. */
static unsigned int tls_handshake_timeout = 10;
module_param(tls_handshake_timeout, uint, 0644);
MODULE_PARM_DESC(tls_handshake_timeout,
		 "s a TLS handshake may take before the connection is closed (0: none, default 10)");

/* The first byte of a TLS record that starts a handshake (RFC 8446, 5.1). */
#define NVMET_TCP_TLS_HANDSHAKE_RECORD	22

/**
 * nvmet_tcp_tls_timeout_ms() - how long a TLS handshake may take
 *
 * Context: Any context.
 * Return: the time in ms, 0 for no bound.
 */
unsigned int nvmet_tcp_tls_timeout_ms(void)
{
	return READ_ONCE(tls_handshake_timeout) * MSEC_PER_SEC;
}

/**
 * nvmet_tcp_tls_queue_init() - set up the TLS state of a new queue
 * @queue: the queue, not yet published
 * @tport: its listener
 *
 * A queue of a TLS port is served through a file, which the handshake
 * passes to tlshd: the accept work gave its socket one.
 *
 * Context: Process context.
 */
void nvmet_tcp_tls_queue_init(struct nvmet_tcp_queue *queue,
			      struct nvmet_tcp_port *tport)
{
	mutex_init(&queue->tls_lock);
	init_completion(&queue->tls_done);
	if (tport->tls == NVMET_TCP_TLS_OPTIONAL)
		set_bit(NVMET_TCP_QF_TLS_SNIFF, &queue->flags);
}

static void nvmet_tcp_tls_done(void *data, int status, key_serial_t peerid)
{
	struct nvmet_tcp_queue *queue = data;
	int ret = -status;

	if (!ret) {
		queue->tls_pskid = peerid;
		queue->tls = true;
		ret = nvmet_tcp_set_callbacks(queue);
	}
	if (ret) {
		nvmet_tcp_err(queue, "TLS handshake failed: %d, closing\n", ret);
		nvmet_tcp_schedule_release(queue);
	} else {
		pr_debug("queue %d: TLS handshake done, PSK %08x\n",
			 queue->idx, peerid);
	}
	/* io_work that sees the bit clear sees tls and tls_pskid too. */
	clear_bit_unlock(NVMET_TCP_QF_TLS_HS, &queue->flags);
	if (!ret)
		nvmet_tcp_kick(queue);	/* the ICReq may be in already */
	/* The last touch: the release work may free the queue now. */
	complete(&queue->tls_done);
}

/**
 * nvmet_tcp_tls_start() - hand the socket of a queue to tlshd
 * @queue: the queue; our callbacks are off its socket
 *
 * Context: Process context (the accept work, or io_work); takes
 * queue->tls_lock.
 * Return: 0 when the handshake is under way (the done callback or the
 * release work ends it), or -errno: the caller closes the queue.
 */
int nvmet_tcp_tls_start(struct nvmet_tcp_queue *queue)
{
	struct tls_handshake_args args = {
		.ta_sock = queue->sock,
		.ta_done = nvmet_tcp_tls_done,
		.ta_data = queue,
		.ta_keyring = nvme_keyring_id(),
		.ta_timeout_ms = nvmet_tcp_tls_timeout_ms(),
	};
	int ret = -ENOTCONN;

	mutex_lock(&queue->tls_lock);
	if (READ_ONCE(queue->state) == NVMET_TCP_Q_DISCONNECTING)
		goto out;
	set_bit(NVMET_TCP_QF_TLS_HS, &queue->flags);
	nvmet_tcp_deadline_handshake(queue);
	ret = tls_server_hello_psk(&args, GFP_KERNEL);
	if (ret) {
		clear_bit(NVMET_TCP_QF_TLS_HS, &queue->flags);
		nvmet_tcp_err(queue, "cannot start the TLS handshake (is tlshd running?): %d\n",
			      ret);
	}
out:
	mutex_unlock(&queue->tls_lock);
	return ret;
}

/**
 * nvmet_tcp_tls_stop() - end a handshake the queue may have under way
 * @queue: the queue, DISCONNECTING
 *
 * Context: The release work; takes queue->tls_lock; may wait for the done
 * callback.
 */
void nvmet_tcp_tls_stop(struct nvmet_tcp_queue *queue)
{
	/* No submission is in flight afterwards, and none starts. */
	mutex_lock(&queue->tls_lock);
	mutex_unlock(&queue->tls_lock);

	if (!test_bit(NVMET_TCP_QF_TLS_HS, &queue->flags))
		return;
	if (tls_handshake_cancel(queue->sock->sk))
		clear_bit(NVMET_TCP_QF_TLS_HS, &queue->flags);
	else
		wait_for_completion(&queue->tls_done);
}

/**
 * nvmet_tcp_tls_busy() - is a handshake under way?
 * @queue: the queue
 *
 * Context: io_work.
 * Return: true while tlshd owns the socket: io_work must leave it alone.
 */
bool nvmet_tcp_tls_busy(struct nvmet_tcp_queue *queue)
{
	return test_bit_acquire(NVMET_TCP_QF_TLS_HS, &queue->flags);
}

/**
 * nvmet_tcp_tls_sniff() - on a port where TLS is optional, tell a TLS
 * client from a plain one by its first byte
 * @queue: the queue, NVMET_TCP_QF_TLS_SNIFF
 *
 * A TLS client starts with a handshake record (22), a plain one with an
 * ICReq PDU (type 0).  In-tree peeks a whole PDU header in the accept
 * work, blocking it and so every other connection of the port until the
 * host sends; this waits in io_work for the byte instead.
 *
 * Context: io_work.
 * Return: 0 when the queue goes on in plain TCP (SNIFF cleared), 1 when
 * the byte has not come yet or the handshake started (io_work stops),
 * or -errno: close the queue.
 */
int nvmet_tcp_tls_sniff(struct nvmet_tcp_queue *queue)
{
	struct msghdr msg = { .msg_flags = MSG_PEEK | MSG_DONTWAIT };
	u8 first;
	struct kvec iov = { .iov_base = &first, .iov_len = 1 };
	int ret;

	ret = kernel_recvmsg(queue->sock, &msg, &iov, 1, 1, msg.msg_flags);
	if (ret == -EAGAIN)
		return 1;
	if (ret <= 0)
		return ret ? ret : -ECONNRESET;
	clear_bit(NVMET_TCP_QF_TLS_SNIFF, &queue->flags);
	if (first != NVMET_TCP_TLS_HANDSHAKE_RECORD)
		return 0;
	nvmet_tcp_restore_callbacks(queue);
	ret = nvmet_tcp_tls_start(queue);
	return ret ? ret : 1;
}

/**
 * nvmet_tcp_tls_record() - check the record type of what a TLS queue
 * just received
 * @queue: the queue, TLS
 * @cmsg: the control message of the receive
 * @buf: where the bytes went, when in a kernel buffer (else NULL)
 * @len: how many bytes were received
 *
 * kTLS returns one record type per receive.  Anything but data ends the
 * queue: an alert says the host is going (close_notify) or gave up, and
 * a handshake record after the handshake (a KeyUpdate) is not supported
 * by kTLS's receive side here.  In-tree skips non-fatal ones, with their
 * bytes.
 *
 * Context: io_work.
 * Return: 0 for data, -ECONNRESET for an alert, -EPROTO (reported) for
 * another type.
 */
int nvmet_tcp_tls_record(struct nvmet_tcp_queue *queue,
			 const struct cmsghdr *cmsg, const u8 *buf, int len)
{
	u8 type = tls_get_record_type(queue->sock->sk, cmsg);

	switch (type) {
	case 0:
	case TLS_RECORD_TYPE_DATA:
		return 0;
	case TLS_RECORD_TYPE_ALERT:
		if (!buf || len < 2)
			nvmet_tcp_err(queue, "TLS alert, closing\n");
		else if (buf[0] == TLS_ALERT_LEVEL_WARNING &&
			 buf[1] == TLS_ALERT_DESC_CLOSE_NOTIFY)
			pr_debug("queue %d: TLS close_notify\n", queue->idx);
		else
			nvmet_tcp_err(queue, "TLS alert (level %u, description %u), closing\n",
				      buf[0], buf[1]);
		return -ECONNRESET;
	default:
		nvmet_tcp_err(queue, "TLS record of type %u, closing\n", type);
		return -EPROTO;
	}
}

/**
 * nvmet_tcp_tls_port_config() - the TLS mode of a port being enabled
 * @nport: the port, its lock held
 *
 * Context: Process context.
 * Return: enum nvmet_tcp_tls_mode.
 */
u8 nvmet_tcp_tls_port_config(struct nvmet_port *nport)
{
	const struct nvmf_disc_rsp_page_entry *a = &nport->disc_addr;

	lockdep_assert_held(&nport->lock);
	if (nvmet_tsas_tcp_sectype(&a->tsas) != NVMF_TCP_SECTYPE_TLS13)
		return NVMET_TCP_TLS_OFF;
	if ((a->treq & NVME_TREQ_SECURE_CHANNEL_MASK) == NVMF_TREQ_NOT_REQUIRED)
		return NVMET_TCP_TLS_OPTIONAL;
	return NVMET_TCP_TLS_REQUIRED;
}

/**
 * nvmet_tcp_tls_file() - give an accepted socket of a TLS port a file
 * @sock: the socket
 *
 * The handshake upcall passes tlshd a descriptor of the socket's file.
 * On failure sock_alloc_file() released @sock.
 *
 * Context: Process context (the accept work).
 * Return: 0, or -errno with @sock gone.
 */
int nvmet_tcp_tls_file(struct socket *sock)
{
	struct file *file = sock_alloc_file(sock, O_CLOEXEC, NULL);

	return IS_ERR(file) ? PTR_ERR(file) : 0;
}
