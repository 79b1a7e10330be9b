// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet-tcp: module init and exit, the fabric ops table, and the ports:
 * one listening socket per enabled port, whose connections an accept work
 * turns into queues (queue.c).
 *
 * A listener (struct nvmet_tcp_port) is nport->priv from add_port() to
 * remove_port(), and lives on, reference-counted, as long as a queue it
 * accepted is not freed; queue.c has the rules.
 *
 * Conventions:
 * @nport: an nvmet port of type tcp, its link_lock held by the core
 * @tport: our listener of @nport
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inet.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <nvmet/compat-lib.h>
#include <nvmet/compat-net.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-tcp.h"

/* Runs every queue's io_work and the ports' accept work. */
struct workqueue_struct *nvmet_tcp_wq;
/* Listeners not freed yet, for the check at module exit. */
static atomic_t nvmet_tcp_nr_ports = ATOMIC_INIT(0);

static void nvmet_tcp_port_release(struct kref *ref)
{
	struct nvmet_tcp_port *tport =
		container_of(ref, struct nvmet_tcp_port, ref);

	WARN_ON_ONCE(!list_empty(&tport->queues));
	nvmet_port_put(tport->nport);
	atomic_dec(&nvmet_tcp_nr_ports);
	/* delete_ctrl() may be looking at it under RCU. */
	kfree_rcu(tport, rcu);
}

/**
 * nvmet_tcp_port_put() - drop a reference on a listener
 * @tport: the listener
 *
 * Context: Process context (the last put drops the port reference).
 */
void nvmet_tcp_port_put(struct nvmet_tcp_port *tport)
{
	kref_put(&tport->ref, nvmet_tcp_port_release);
}

static void nvmet_tcp_accept_work(struct work_struct *work)
{
	struct nvmet_tcp_port *tport =
		container_of(work, struct nvmet_tcp_port, accept_work);
	bool any = nvmet_inet_addr_is_any(&tport->addr);
	struct socket *sock;
	int ret;

	for (;;) {
		ret = kernel_accept(tport->sock, &sock, O_NONBLOCK);
		if (ret < 0) {
			if (ret != -EAGAIN)
				pr_warn_ratelimited("port %u: accept failed: %d\n",
						    tport->portid, ret);
			return;
		}
		if (tport->tls != NVMET_TCP_TLS_OFF) {
			ret = nvmet_tcp_tls_file(sock);
			if (ret) {
				pr_err_ratelimited("port %u: cannot give a connection a file for TLS: %d\n",
						   tport->portid, ret);
				continue;
			}
		}
		ret = nvmet_tcp_alloc_queue(tport, sock, any);
		if (ret) {
			pr_err_ratelimited("port %u: cannot set up a queue: %d\n",
					   tport->portid, ret);
			nvmet_tcp_sock_free(sock);
		}
	}
}

static void nvmet_tcp_listen_data_ready(struct sock *sk)
{
	struct nvmet_tcp_port *tport;

	read_lock_bh(&sk->sk_callback_lock);
	tport = sk->sk_user_data;
	if (tport && sk->sk_state == TCP_LISTEN)
		queue_work(nvmet_tcp_wq, &tport->accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void nvmet_tcp_listen_restore(struct nvmet_tcp_port *tport)
{
	struct sock *sk = tport->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = tport->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

static int nvmet_tcp_listen(struct nvmet_tcp_port *tport, u16 portid)
{
	struct sock *sk;
	int ret;

	ret = sock_create_kern(&init_net, tport->addr.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &tport->sock);
	if (ret) {
		pr_err("port %u: cannot create a socket: %d\n", portid, ret);
		return ret;
	}
	sk = tport->sock->sk;
	sock_set_reuseaddr(sk);
	tcp_sock_set_nodelay(sk);

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = tport;
	tport->saved_data_ready = sk->sk_data_ready;
	sk->sk_data_ready = nvmet_tcp_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	ret = nvmet_kernel_bind(tport->sock, &tport->addr);
	/* Not on this host yet: the core says so once, and waits. */
	if (ret == -EADDRNOTAVAIL) {
		pr_debug("port %u: %pISpc is not on this host\n", portid,
			 &tport->addr);
		goto out_release;
	}
	if (ret) {
		pr_err("port %u: cannot bind to %pISpc: %d\n", portid,
		       &tport->addr, ret);
		goto out_release;
	}
	ret = kernel_listen(tport->sock, NVMET_TCP_BACKLOG);
	if (ret) {
		pr_err("port %u: cannot listen on %pISpc: %d\n", portid,
		       &tport->addr, ret);
		goto out_release;
	}
	return 0;

out_release:
	nvmet_tcp_listen_restore(tport);
	cancel_work_sync(&tport->accept_work);
	sock_release(tport->sock);
	return ret;
}

/*
 * Take the address and parameters of @nport; the core keeps them frozen
 * while the port is not DISABLED.  An in-capsule data size above
 * NVMET_TCP_MAX_INLINE_DATA_SIZE is refused (-EINVAL fails the link).
 */
static int nvmet_tcp_port_config(struct nvmet_port *nport,
				 struct nvmet_tcp_port *tport)
{
	mutex_lock(&nport->lock);
	if (nport->inline_data_size > NVMET_TCP_MAX_INLINE_DATA_SIZE) {
		pr_err("port %u: param_inline_data_size %d above the %d nvmet-tcp takes\n",
		       le16_to_cpu(nport->disc_addr.portid),
		       nport->inline_data_size, NVMET_TCP_MAX_INLINE_DATA_SIZE);
		mutex_unlock(&nport->lock);
		return -EINVAL;
	}
	if (nport->inline_data_size < 0)
		nport->inline_data_size = NVMET_TCP_DEF_INLINE_DATA_SIZE;
	if (nport->max_queue_size < 0)
		nport->max_queue_size = NVMET_QUEUE_SIZE;
	tport->inline_data_size = nport->inline_data_size;
	tport->tls = nvmet_tcp_tls_port_config(nport);
	mutex_unlock(&nport->lock);
	return nvmet_port_inet_addr(nport, &tport->addr);
}

static int nvmet_tcp_add_port(struct nvmet_port *nport)
{
	u16 portid = le16_to_cpu(nport->disc_addr.portid);
	struct nvmet_tcp_port *tport;
	int ret;

	tport = kzalloc(sizeof(*tport), GFP_KERNEL);
	if (!tport)
		return -ENOMEM;
	kref_init(&tport->ref);
	tport->nport = nport;
	tport->portid = portid;
	INIT_WORK(&tport->accept_work, nvmet_tcp_accept_work);
	spin_lock_init(&tport->queues_lock);
	INIT_LIST_HEAD(&tport->queues);
	ret = nvmet_tcp_port_config(nport, tport);
	if (ret)
		goto out_free;
	ret = nvmet_tcp_listen(tport, portid);
	if (ret)
		goto out_free;
	nvmet_port_get(nport);
	atomic_inc(&nvmet_tcp_nr_ports);
	/*
	 * Before the port is LIVE, so before any controller of it exists
	 * whose delete_ctrl() would look for it.
	 */
	WRITE_ONCE(nport->priv, tport);
	pr_info("port %u: listening on %pISpc%s\n", portid, &tport->addr,
		tport->tls == NVMET_TCP_TLS_REQUIRED ? ", TLS required" :
		tport->tls == NVMET_TCP_TLS_OPTIONAL ? ", TLS optional" : "");
	return 0;

out_free:
	kfree(tport);
	return ret;
}

static void nvmet_tcp_remove_port(struct nvmet_port *nport)
{
	struct nvmet_tcp_port *tport = nport->priv;

	nvmet_tcp_listen_restore(tport);
	cancel_work_sync(&tport->accept_work);
	sock_release(tport->sock);
	tport->sock = NULL;
	/* delete_ctrl() finds nothing from now on: nothing is left to find. */
	WRITE_ONCE(nport->priv, NULL);
	nvmet_tcp_close_port_queues(tport);
	nvmet_tcp_port_put(tport);
}

static void nvmet_tcp_disc_traddr(struct nvmet_req *req,
				  struct nvmet_port *nport, char *traddr)
{
	struct nvmet_tcp_queue *queue =
		container_of(req->sq, struct nvmet_tcp_queue, nvme_sq);

	if (req->ops == &nvmet_tcp_ops && queue->nport == nport &&
	    queue->listen_any) {
		memset(traddr, 0, NVMF_TRADDR_SIZE);
		snprintf(traddr, NVMF_TRADDR_SIZE, "%pISc", &queue->local_addr);
	} else {
		memcpy(traddr, nport->disc_addr.traddr, NVMF_TRADDR_SIZE);
	}
}

/* debugfs host_traddr: the peer's IP address, as in-tree. */
static void nvmet_tcp_host_traddr(struct nvmet_req *req, char *traddr,
				  size_t len)
{
	struct nvmet_tcp_queue *queue =
		container_of(req->sq, struct nvmet_tcp_queue, nvme_sq);

	if (queue->peer_addr.ss_family != AF_UNSPEC)
		snprintf(traddr, len, "%pISc", &queue->peer_addr);
}

const struct nvmet_fabric_ops nvmet_tcp_ops = {
	.name		= "tcp",
	.owner		= THIS_MODULE,
	.type		= NVMF_TRTYPE_TCP,
	.flags		= NVMET_FABRIC_F_INET,
	.msdbd		= 1,
	.add_port	= nvmet_tcp_add_port,
	.remove_port	= nvmet_tcp_remove_port,
	.queue_response	= nvmet_tcp_queue_response,
	.delete_ctrl	= nvmet_tcp_delete_ctrl,
	.install_queue	= nvmet_tcp_install_queue,
	.disc_traddr	= nvmet_tcp_disc_traddr,
	.host_traddr	= nvmet_tcp_host_traddr,
};

static int __init nvmet_tcp_init(void)
{
	int ret;

	nvmet_tcp_wq = alloc_workqueue("nvmet_tcp_wq",
				       WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_PERCPU,
				       0);
	if (!nvmet_tcp_wq)
		return -ENOMEM;
	ret = nvmet_tcp_queues_init();
	if (ret)
		goto out_destroy_wq;
	ret = nvmet_register_fabric(&nvmet_tcp_ops);
	if (ret)
		goto out_queues_exit;
	return 0;

out_queues_exit:
	nvmet_tcp_queues_exit();
out_destroy_wq:
	destroy_workqueue(nvmet_tcp_wq);
	return ret;
}

static void __exit nvmet_tcp_exit(void)
{
	nvmet_unregister_fabric(&nvmet_tcp_ops);
	nvmet_tcp_queues_exit();
	WARN_ON(atomic_read(&nvmet_tcp_nr_ports));
	destroy_workqueue(nvmet_tcp_wq);
}

module_init(nvmet_tcp_init);
module_exit(nvmet_tcp_exit);

MODULE_DESCRIPTION("nvmet-ng NVMe/TCP transport");
MODULE_LICENSE("GPL");
MODULE_ALIAS("nvmet-transport-3"); /* NVMF_TRTYPE_TCP */
