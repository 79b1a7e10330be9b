// SPDX-License-Identifier: GPL-2.0-only
/*
 * The port watch: ports waiting for their IP address, and ports whose
 * address left the host.
 *
 * The IPv4 and IPv6 address notifiers only queue one work, the watch work
 * (the IPv6 chain is atomic, the IPv4 one runs under RTNL: neither may
 * call a fabric).  The work walks every port: a LIVE port of an
 * NVMET_FABRIC_F_INET fabric whose own (not wildcard) address is no longer
 * local goes back to WAITING (nvmet_port_addr_gone()), so does a port
 * whose fabric lost its listener (nvmet_port_relisten()), and every
 * WAITING port gets nvmet_port_retry().  While a port still waits after a
 * walk, the work comes back on a backoff, 1 s doubling to 30 s, reset by
 * each notification: for the changes no notifier reports, an IPv6 address
 * finishing duplicate address detection, an RDMA device added under an
 * address already there.
 *
 * The work runs on system_unbound_wq; a work item never runs twice at
 * once, so walks are serialised.  It calls the fabrics holding each
 * port's link_lock only (core/port.c).
 */
#include <linux/inetdevice.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/route.h>

#include <nvmet/compat-net.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>
#include "port_watch.h"

#define NVMET_PORT_WATCH_MIN	HZ
#define NVMET_PORT_WATCH_MAX	(30 * HZ)

static void nvmet_port_watch_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nvmet_port_watch_work, nvmet_port_watch_fn);
/* The next backoff step; 0 after a notification.  A hint: races are benign. */
static unsigned long nvmet_port_watch_delay;

static void nvmet_port_watch_kick(void)
{
	WRITE_ONCE(nvmet_port_watch_delay, 0);
	mod_delayed_work(system_unbound_wq, &nvmet_port_watch_work, 0);
}

/* Is @ss an address of this host, or one a socket may bind anyway? */
static bool nvmet_inet_addr_usable(struct sockaddr_storage *ss)
{
	struct net *net = &init_net;

	switch (ss->ss_family) {
	case AF_INET:
		if (READ_ONCE(net->ipv4.sysctl_ip_nonlocal_bind))
			return true;
		return inet_addr_type(net,
			((struct sockaddr_in *)ss)->sin_addr.s_addr) ==
			RTN_LOCAL;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		if (READ_ONCE(net->ipv6.sysctl.ip_nonlocal_bind))
			return true;
		return ipv6_chk_addr(net, &((struct sockaddr_in6 *)ss)->sin6_addr,
				     NULL, 0);
#endif
	default:
		return true;
	}
}

/* Has a LIVE port lost the address its fabric listens on? */
static bool nvmet_port_addr_lost(struct nvmet_port *port)
{
	const struct nvmet_fabric_ops *ops;
	struct sockaddr_storage ss;
	bool inet;
	u8 adrfam;

	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	inet = ops && (ops->flags & NVMET_FABRIC_F_INET);
	rcu_read_unlock();
	/* Frozen while the port is not DISABLED. */
	adrfam = READ_ONCE(port->disc_addr.adrfam);
	if (!inet || (adrfam != NVMF_ADDR_FAMILY_IP4 &&
		      adrfam != NVMF_ADDR_FAMILY_IP6))
		return false;
	if (nvmet_port_inet_addr(port, &ss) || nvmet_inet_addr_is_any(&ss))
		return false;
	return !nvmet_inet_addr_usable(&ss);
}

static void nvmet_port_watch_one(struct nvmet_port *port, void *data)
{
	bool *waiting = data;

	if (xchg(&port->relisten, false) ||
	    (nvmet_port_is_live(port) && nvmet_port_addr_lost(port)))
		nvmet_port_addr_gone(port);
	if (READ_ONCE(port->state) == NVMET_PORT_WAITING &&
	    nvmet_port_retry(port) &&
	    READ_ONCE(port->state) == NVMET_PORT_WAITING)
		*waiting = true;
}

static void nvmet_port_watch_fn(struct work_struct *work)
{
	unsigned long delay;
	bool waiting = false;

	nvmet_port_for_each(nvmet_port_watch_one, &waiting);
	if (!waiting)
		return;
	delay = READ_ONCE(nvmet_port_watch_delay);
	delay = clamp(delay * 2, NVMET_PORT_WATCH_MIN, NVMET_PORT_WATCH_MAX);
	WRITE_ONCE(nvmet_port_watch_delay, delay);
	queue_delayed_work(system_unbound_wq, &nvmet_port_watch_work, delay);
}

/**
 * nvmet_port_relisten() - a fabric lost a LIVE port's listener
 * @port: the port, referenced by the caller
 *
 * For a listener the fabric cannot keep (an RDMA address change, the
 * listener's device removed): the watch work takes the port to WAITING,
 * which runs the fabric's remove_port(), and retries its add_port() until
 * it succeeds.
 *
 * Context: Any context.
 */
void nvmet_port_relisten(struct nvmet_port *port)
{
	WRITE_ONCE(port->relisten, true);
	nvmet_port_watch_kick();
}
EXPORT_SYMBOL_GPL(nvmet_port_relisten);

/**
 * nvmet_ports_recheck() - something a waiting port may need appeared
 *
 * For what the address notifiers do not report: a fabric calls it when a
 * device that may serve a waiting port's address comes up (nvmet-rdma,
 * for a new RDMA device).  The watch work retries the waiting ports now.
 *
 * Context: Any context.
 */
void nvmet_ports_recheck(void)
{
	nvmet_port_watch_kick();
}
EXPORT_SYMBOL_GPL(nvmet_ports_recheck);

static int nvmet_port_watch_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	if (event == NETDEV_UP || event == NETDEV_DOWN)
		nvmet_port_watch_kick();
	return NOTIFY_DONE;
}

static struct notifier_block nvmet_port_watch_inet_nb = {
	.notifier_call = nvmet_port_watch_event,
};

#if IS_ENABLED(CONFIG_IPV6)
static struct notifier_block nvmet_port_watch_inet6_nb = {
	.notifier_call = nvmet_port_watch_event,
};
#endif

/**
 * nvmet_port_watch_init() - start watching addresses
 *
 * Context: Module init.
 * Return: 0 or -errno.
 */
int nvmet_port_watch_init(void)
{
	int ret;

	ret = register_inetaddr_notifier(&nvmet_port_watch_inet_nb);
	if (ret)
		return ret;
#if IS_ENABLED(CONFIG_IPV6)
	ret = register_inet6addr_notifier(&nvmet_port_watch_inet6_nb);
	if (ret)
		unregister_inetaddr_notifier(&nvmet_port_watch_inet_nb);
#endif
	return ret;
}

/**
 * nvmet_port_watch_exit() - stop watching addresses
 *
 * Context: Module exit, after every port is gone.
 */
void nvmet_port_watch_exit(void)
{
#if IS_ENABLED(CONFIG_IPV6)
	unregister_inet6addr_notifier(&nvmet_port_watch_inet6_nb);
#endif
	unregister_inetaddr_notifier(&nvmet_port_watch_inet_nb);
	cancel_delayed_work_sync(&nvmet_port_watch_work);
}
