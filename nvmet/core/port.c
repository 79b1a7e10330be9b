// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports: their state machine and their subsystem links.
 *
 * A port is DISABLED until its first subsystem link, which enables it
 * (ENABLING, then LIVE once the fabric's add_port() returns); removing its
 * last link disables it (DISABLING while remove_port() runs).  Links and
 * state changes of one port are serialised by that port's link_lock, which
 * is the only lock held across the fabric callbacks: a fabric that takes
 * seconds to start listening delays links into that same port and nothing
 * else.  port->lock guards the address and parameters for short sections,
 * so attribute reads never wait for a fabric.
 *
 * A fabric whose add_port() answers -EADDRNOTAVAIL (the port's IP address
 * is not on this host yet) leaves the port WAITING: the link succeeds, the
 * port keeps its fabric but has no listener, and nvmet_port_retry() tries
 * again when the port watch (target/port_watch.c) sees addresses change,
 * and on its backoff while the port waits.
 * nvmet_port_addr_gone() takes a LIVE port back to WAITING when its
 * address goes away.  Unlinking the last subsystem disables a WAITING port
 * as it does a LIVE one.
 *
 * Conventions:
 * @port:   a port, referenced by the caller
 * @subsys: a subsystem, referenced by the caller
 */
#include <asm/barrier.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat.h>
#include <nvmet/fabric.h>
#include "core.h"

#define NVMET_MAX_QUEUE_SIZE	1024
#define NVMET_MIN_QUEUE_SIZE	16

/* Ports by id; xa_lock (internal) serialises writers, RCU readers. */
static DEFINE_XARRAY_ALLOC(nvmet_port_ids);

void nvmet_port_registry_init(void)
{
}

void nvmet_port_registry_exit(void)
{
	WARN_ON(!xa_empty(&nvmet_port_ids));
}

static void nvmet_port_init_defaults(struct nvmet_port *port, u16 portid)
{
	port->disc_addr.portid = cpu_to_le16(portid);
	port->disc_addr.adrfam = NVMF_ADDR_FAMILY_MAX;
	port->disc_addr.treq = NVMF_TREQ_DISABLE_SQFLOW;
	port->inline_data_size = -1;
	port->max_queue_size = -1;
	port->mdts = NVMET_DEFAULT_MDTS;
	memset(port->ana_state, NVME_ANA_INACCESSIBLE, sizeof(port->ana_state));
	port->ana_state[NVMET_DEFAULT_ANA_GRPID] = NVME_ANA_OPTIMIZED;
	__set_bit(NVMET_DEFAULT_ANA_GRPID, port->ana_groups);
}

/**
 * nvmet_port_create() - create a disabled port
 * @portid: the port ID hosts see in the discovery log
 *
 * Port IDs need not be unique: "1" and "0x1" are two configfs directories
 * with the same ID, as in-tree.
 *
 * Context: Process context.
 * Return: the port with one reference for the caller, or ERR_PTR(-ENOMEM).
 */
struct nvmet_port *nvmet_port_create(u16 portid)
{
	struct nvmet_port *port;
	int ret;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	kref_init(&port->ref);
	mutex_init(&port->lock);
	mutex_init(&port->link_lock);
	xa_init(&port->subsystems);
	xa_init_flags(&port->referrals, XA_FLAGS_ALLOC);
	xa_init_flags(&port->disc_ctrls, XA_FLAGS_ALLOC1);
	mutex_init(&port->disc_lock);
	port->state = NVMET_PORT_DISABLED;
	nvmet_port_init_defaults(port, portid);

	ret = xa_alloc(&nvmet_port_ids, &port->id, port, xa_limit_32b,
		       GFP_KERNEL);
	if (ret) {
		mutex_destroy(&port->disc_lock);
		mutex_destroy(&port->link_lock);
		mutex_destroy(&port->lock);
		kfree(port);
		return ERR_PTR(ret);
	}
	nvmet_obj_created(NVMET_OBJ_PORT);
	return port;
}
EXPORT_SYMBOL_GPL(nvmet_port_create);

/**
 * nvmet_port_remove() - unpublish a port
 * @port: the port
 *
 * Links are refused from now on.  configfs removes a port only when it
 * has no link left, but an `ln` racing the rmdir may still be between its
 * allow_link and its failure: configfs then calls drop_link, which
 * unlinks and disables the port as usual.  Takes no lock a link holds
 * across the fabric's add_port(): rmdir runs under configfs' su_mutex.
 * The caller still holds its reference and drops it with nvmet_port_put().
 *
 * Context: Process context.
 */
void nvmet_port_remove(struct nvmet_port *port)
{
	WRITE_ONCE(port->removed, true);
	xa_erase(&nvmet_port_ids, port->id);
}
EXPORT_SYMBOL_GPL(nvmet_port_remove);

static void nvmet_port_release(struct kref *ref)
{
	struct nvmet_port *port = container_of(ref, struct nvmet_port, ref);

	WARN_ON(port->nr_subsystems || !xa_empty(&port->subsystems));
	WARN_ON(!xa_empty(&port->referrals));
	WARN_ON(!xa_empty(&port->disc_ctrls));
	xa_destroy(&port->subsystems);
	xa_destroy(&port->referrals);
	xa_destroy(&port->disc_ctrls);
	nvmet_disc_log_free(port);
	mutex_destroy(&port->disc_lock);
	mutex_destroy(&port->link_lock);
	mutex_destroy(&port->lock);
	nvmet_obj_released(NVMET_OBJ_PORT);
	kfree_rcu(port, rcu);
}

/**
 * nvmet_port_get() - take another reference on a port
 * @port: the port, referenced by the caller
 *
 * Context: Any context.
 */
void nvmet_port_get(struct nvmet_port *port)
{
	kref_get(&port->ref);
}
EXPORT_SYMBOL_GPL(nvmet_port_get);

/**
 * nvmet_port_put() - drop a reference on a port
 * @port: the port
 *
 * Context: Any context.
 */
void nvmet_port_put(struct nvmet_port *port)
{
	kref_put(&port->ref, nvmet_port_release);
}
EXPORT_SYMBOL_GPL(nvmet_port_put);

/**
 * nvmet_port_count() - number of published ports
 *
 * For leak checks in tests.
 *
 * Context: Any context.
 * Return: the count.
 */
unsigned long nvmet_port_count(void)
{
	struct nvmet_port *port;
	unsigned long index, n = 0;

	xa_for_each(&nvmet_port_ids, index, port)
		n++;
	return n;
}
EXPORT_SYMBOL_GPL(nvmet_port_count);

/**
 * nvmet_port_is_live() - is the port serving hosts?
 * @port: the port
 *
 * Context: Any context.
 * Return: true if LIVE.
 */
bool nvmet_port_is_live(struct nvmet_port *port)
{
	return READ_ONCE(port->state) == NVMET_PORT_LIVE;
}
EXPORT_SYMBOL_GPL(nvmet_port_is_live);

/**
 * nvmet_port_state_name() - the port's state as param_state shows it
 * @port: the port
 *
 * Context: Any context; takes no lock (the state may change right after).
 * Return: "disabled", "enabling", "live", "disabling" or "waiting".
 */
const char *nvmet_port_state_name(struct nvmet_port *port)
{
	switch (READ_ONCE(port->state)) {
	case NVMET_PORT_DISABLED:
		return "disabled";
	case NVMET_PORT_ENABLING:
		return "enabling";
	case NVMET_PORT_LIVE:
		return "live";
	case NVMET_PORT_DISABLING:
		return "disabling";
	case NVMET_PORT_WAITING:
		return "waiting";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(nvmet_port_state_name);

/**
 * nvmet_port_config_begin() - lock a port's address and parameters to change
 * them
 * @port: the port
 *
 * On success the caller holds port->lock and may change disc_addr,
 * inline_data_size, max_queue_size and pi_enable, call
 * nvmet_port_set_mdts(), then calls nvmet_port_config_end().
 *
 * Context: Process context; takes port->lock, and keeps it on success.
 * Return: 0, or -EACCES when the port is not DISABLED: an enabled port's
 * address is what hosts are using.
 */
int nvmet_port_config_begin(struct nvmet_port *port)
	nvmet_cond_acquires_zero(&port->lock)
{
	mutex_lock(&port->lock);
	if (port->state == NVMET_PORT_DISABLED)
		return 0;
	mutex_unlock(&port->lock);
	pr_err("nvmet: port %u: disable the port (unlink its subsystems) before changing its attributes\n",
	       le16_to_cpu(port->disc_addr.portid));
	return -EACCES;
}
EXPORT_SYMBOL_GPL(nvmet_port_config_begin);

/**
 * nvmet_port_config_end() - end a change begun by nvmet_port_config_begin()
 * @port: the port
 *
 * Context: Process context; releases port->lock.
 */
void nvmet_port_config_end(struct nvmet_port *port)
	__releases(&port->lock)
{
	mutex_unlock(&port->lock);
}
EXPORT_SYMBOL_GPL(nvmet_port_config_end);

/**
 * nvmet_port_set_mdts() - set the Maximum Data Transfer Size of a port
 * @port: the port, its configuration begun with nvmet_port_config_begin()
 * @mdts: in Identify Controller's unit (a power of two of 4 KiB pages),
 *	  0 for no advertised limit, at most NVMET_MDTS_MAX
 *
 * Context: Process context; port->lock held.
 * Return: 0, or -EINVAL for a value out of range.
 */
int nvmet_port_set_mdts(struct nvmet_port *port, u32 mdts)
	__must_hold(&port->lock)
{
	lockdep_assert_held(&port->lock);
	if (mdts > NVMET_MDTS_MAX) {
		pr_err("nvmet: port %u: mdts %u out of range: 0 (no limit) to %u (%u MiB)\n",
		       le16_to_cpu(port->disc_addr.portid), mdts,
		       NVMET_MDTS_MAX,
		       (1U << (NVMET_MDTS_MAX + NVMET_MDTS_SHIFT)) >> 20);
		return -EINVAL;
	}
	WRITE_ONCE(port->mdts, mdts);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_port_set_mdts);

static void nvmet_port_set_state(struct nvmet_port *port,
				 enum nvmet_port_state state)
	__must_hold(&port->link_lock)
{
	lockdep_assert_held(&port->link_lock);
	mutex_lock(&port->lock);
	WRITE_ONCE(port->state, state);
	mutex_unlock(&port->lock);
}

/* Once the fabric has chosen, settle the sizes the port will report. */
static void nvmet_port_fix_params(struct nvmet_port *port)
	__must_hold(&port->lock)
{
	lockdep_assert_held(&port->lock);
	if (port->inline_data_size < 0)
		port->inline_data_size = 0;
	if (port->max_queue_size < 0)
		port->max_queue_size = NVMET_MAX_QUEUE_SIZE;
	else
		port->max_queue_size = clamp(port->max_queue_size,
					     NVMET_MIN_QUEUE_SIZE,
					     NVMET_MAX_QUEUE_SIZE);
}

/* add_port() succeeded: the port serves hosts from now on. */
static void nvmet_port_go_live(struct nvmet_port *port)
	__must_hold(&port->link_lock)
{
	lockdep_assert_held(&port->link_lock);
	port->listening = true;
	mutex_lock(&port->lock);
	nvmet_port_fix_params(port);
	WRITE_ONCE(port->state, NVMET_PORT_LIVE);
	mutex_unlock(&port->lock);
}

static int nvmet_port_enable(struct nvmet_port *port)
	__must_hold(&port->link_lock)
{
	u16 portid = le16_to_cpu(port->disc_addr.portid);
	const struct nvmet_fabric_ops *ops;
	u8 trtype;
	bool pi;
	int ret;

	lockdep_assert_held(&port->link_lock);
	mutex_lock(&port->lock);
	trtype = port->disc_addr.trtype;
	pi = port->pi_enable;
	WRITE_ONCE(port->state, NVMET_PORT_ENABLING);
	mutex_unlock(&port->lock);

	ops = nvmet_fabric_get(trtype);
	if (!ops) {
		pr_err("nvmet: port %u: no fabric for transport type %u\n",
		       portid, trtype);
		ret = -EINVAL;
		goto out_disabled;
	}
	if (pi && !(ops->flags & NVMET_FABRIC_F_METADATA)) {
		pr_err("nvmet: port %u: fabric %s cannot carry protection information\n",
		       portid, ops->name);
		ret = -EINVAL;
		goto out_put_fabric;
	}
	rcu_assign_pointer(port->ops, ops);
	ret = ops->add_port(port);
	if (ret == -EADDRNOTAVAIL) {
		pr_info("nvmet: port %u: address not available yet; the port waits for it\n",
			portid);
		nvmet_port_set_state(port, NVMET_PORT_WAITING);
		/* Starts the retries, for an address no notifier will report. */
		nvmet_ports_recheck();
		return 0;
	}
	if (ret) {
		pr_err("nvmet: port %u: fabric %s refused the port: %d\n",
		       portid, ops->name, ret);
		goto out_clear_ops;
	}
	nvmet_port_go_live(port);
	return 0;

out_clear_ops:
	RCU_INIT_POINTER(port->ops, NULL);
out_put_fabric:
	nvmet_fabric_put(ops);
out_disabled:
	nvmet_port_set_state(port, NVMET_PORT_DISABLED);
	return ret;
}

static void nvmet_port_disable(struct nvmet_port *port)
	__must_hold(&port->link_lock)
{
	const struct nvmet_fabric_ops *ops;

	lockdep_assert_held(&port->link_lock);
	nvmet_port_set_state(port, NVMET_PORT_DISABLING);
	ops = rcu_dereference_protected(port->ops,
					lockdep_is_held(&port->link_lock));
	/* A WAITING port has no listener to stop. */
	if (port->listening)
		ops->remove_port(port);
	port->listening = false;
	RCU_INIT_POINTER(port->ops, NULL);
	/* Readers that saw the port LIVE are done with ops after this. */
	synchronize_rcu();
	nvmet_fabric_put(ops);
	nvmet_port_set_state(port, NVMET_PORT_DISABLED);
}

/**
 * nvmet_port_retry() - try again to start a WAITING port's listener
 * @port: the port
 *
 * Called by the port watch when addresses change, and on its backoff
 * timer while a port waits.
 *
 * Context: Process context; takes port->link_lock, may sleep for as long
 * as the fabric's add_port() takes.
 * Return: 0 if the port is LIVE now, -EAGAIN if it was not WAITING,
 * -EADDRNOTAVAIL if its address is still missing, or the fabric's error
 * (the port stays WAITING: the link that enabled it succeeded already).
 */
int nvmet_port_retry(struct nvmet_port *port)
{
	const struct nvmet_fabric_ops *ops;
	int ret;

	mutex_lock(&port->link_lock);
	if (READ_ONCE(port->state) != NVMET_PORT_WAITING) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	ops = rcu_dereference_protected(port->ops,
					lockdep_is_held(&port->link_lock));
	ret = ops->add_port(port);
	if (!ret) {
		nvmet_port_go_live(port);
		pr_info("nvmet: port %u: address available, the port is live\n",
			le16_to_cpu(port->disc_addr.portid));
	} else if (ret != -EADDRNOTAVAIL) {
		pr_err_ratelimited("nvmet: port %u: fabric %s refused the port: %d; still waiting\n",
				   le16_to_cpu(port->disc_addr.portid),
				   ops->name, ret);
	}
out_unlock:
	mutex_unlock(&port->link_lock);
	if (!ret)
		nvmet_port_disc_changed(port);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_port_retry);

/**
 * nvmet_port_addr_gone() - take a LIVE port back to WAITING
 * @port: the port, whose address is no longer on this host (or whose
 *	  fabric lost its listener)
 *
 * Hosts lose the port as on a disable: Connects fail from the state change
 * on, the port's controllers are deleted, and the fabric's remove_port()
 * closes the queues left.  The links stay; nvmet_port_retry() brings the
 * port back.
 *
 * Context: Process context; takes port->link_lock, may sleep.
 */
void nvmet_port_addr_gone(struct nvmet_port *port)
{
	const struct nvmet_fabric_ops *ops;
	struct nvmet_subsys *subsys;
	unsigned long idx;

	mutex_lock(&port->link_lock);
	if (READ_ONCE(port->state) != NVMET_PORT_LIVE) {
		mutex_unlock(&port->link_lock);
		return;
	}
	nvmet_port_set_state(port, NVMET_PORT_WAITING);
	/* The state before the walks; as in nvmet_port_unlink_subsys(). */
	smp_mb();
	xa_for_each(&port->subsystems, idx, subsys)
		nvmet_subsys_ctrls_delete(subsys, port);
	nvmet_port_ctrls_delete(port);
	ops = rcu_dereference_protected(port->ops,
					lockdep_is_held(&port->link_lock));
	ops->remove_port(port);
	port->listening = false;
	mutex_unlock(&port->link_lock);
	pr_info("nvmet: port %u: address gone; the port waits for it\n",
		le16_to_cpu(port->disc_addr.portid));
	nvmet_port_disc_changed(port);
}
EXPORT_SYMBOL_GPL(nvmet_port_addr_gone);

/**
 * nvmet_port_link_subsys() - offer a subsystem on a port
 * @port: the port
 * @subsys: the subsystem; the link takes its own reference
 *
 * The first link enables the port: the fabric's add_port() runs here,
 * holding only @port's link_lock.  A second link into the same port waits
 * for it (interruptibly); links into other ports do not.
 *
 * Context: Process context; takes port->link_lock, may sleep for as long
 * as the fabric takes.
 * Return: 0, -EEXIST if already linked, -ENOENT if either is removed,
 * -EINTR if interrupted while waiting, or the error that enabling the
 * port failed with.
 */
int nvmet_port_link_subsys(struct nvmet_port *port,
			   struct nvmet_subsys *subsys)
{
	int ret;

	if (mutex_lock_interruptible(&port->link_lock))
		return -EINTR;
	/* An rmdir of either end that raced this `ln` won. */
	mutex_lock(&subsys->lock);
	ret = READ_ONCE(port->removed) || subsys->removed ? -ENOENT : 0;
	mutex_unlock(&subsys->lock);
	if (ret)
		goto out_unlock;
	if (xa_load(&port->subsystems, subsys->id)) {
		pr_err("nvmet: port %u: subsystem %s is already linked\n",
		       le16_to_cpu(port->disc_addr.portid), subsys->nqn);
		ret = -EEXIST;
		goto out_unlock;
	}
	if (!port->nr_subsystems) {
		ret = nvmet_port_enable(port);
		if (ret)
			goto out_unlock;
	}
	nvmet_subsys_get(subsys);
	ret = xa_err(xa_store(&port->subsystems, subsys->id, subsys,
			      GFP_KERNEL));
	if (ret) {
		nvmet_subsys_put(subsys);
		if (!port->nr_subsystems)
			nvmet_port_disable(port);
		goto out_unlock;
	}
	port->nr_subsystems++;
	atomic_inc(&subsys->nr_ports);
	mutex_unlock(&port->link_lock);
	nvmet_port_disc_changed(port);
	return 0;
out_unlock:
	mutex_unlock(&port->link_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_port_link_subsys);

/**
 * nvmet_port_unlink_subsys() - stop offering a subsystem on a port
 * @port: the port
 * @subsys: the subsystem
 *
 * The last unlink disables the port, running the fabric's remove_port().
 *
 * Context: Process context; takes port->link_lock, may sleep.
 * Return: 0, or -ENOENT if @subsys was not linked.
 */
int nvmet_port_unlink_subsys(struct nvmet_port *port,
			     struct nvmet_subsys *subsys)
{
	struct nvmet_subsys *old;

	mutex_lock(&port->link_lock);
	old = xa_erase(&port->subsystems, subsys->id);
	if (old) {
		bool last = !--port->nr_subsystems;

		atomic_dec(&old->nr_ports);
		/* No discovery Connect succeeds on a port leaving LIVE. */
		if (last)
			nvmet_port_set_state(port, NVMET_PORT_DISABLING);
		/*
		 * The erase and the state before the walks below; pairs with
		 * the barrier a Connect has between inserting its controller
		 * and checking the link and the state: either the walk sees
		 * the controller or the Connect sees the change and fails.
		 */
		smp_mb();
		/* Hosts lose the subsystem on this port now. */
		nvmet_subsys_ctrls_delete(old, port);
		nvmet_port_disc_changed(port);
		if (last) {
			nvmet_port_ctrls_delete(port);
			nvmet_port_disable(port);
		}
	}
	mutex_unlock(&port->link_lock);
	if (!old)
		return -ENOENT;
	nvmet_subsys_put(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_port_unlink_subsys);

/**
 * nvmet_port_find_get_subsys() - find a subsystem offered on a port
 * @port: the port a host connects through
 * @subsysnqn: the NQN the host asks for
 *
 * Lookup cost: one NQN map lookup and one xarray load, with no lock.
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: the subsystem with a reference for the caller, or NULL when the
 * port is not LIVE or does not offer it.
 */
struct nvmet_subsys *nvmet_port_find_get_subsys(struct nvmet_port *port,
						const char *subsysnqn)
{
	struct nvmet_subsys *subsys;

	if (!nvmet_port_is_live(port))
		return NULL;
	rcu_read_lock();
	subsys = __nvmet_subsys_lookup(subsysnqn);
	if (subsys && (xa_load(&port->subsystems, subsys->id) != subsys ||
		       !kref_get_unless_zero(&subsys->ref)))
		subsys = NULL;
	rcu_read_unlock();
	return subsys;
}
EXPORT_SYMBOL_GPL(nvmet_port_find_get_subsys);

static bool nvmet_ana_grpid_valid(u32 grpid)
{
	return grpid >= 1 && grpid <= NVMET_MAX_ANAGRPS;
}

/**
 * nvmet_port_ana_group_add() - create an ANA group on a port
 * @port: the port
 * @grpid: 2 to NVMET_MAX_ANAGRPS; group 1 always exists
 *
 * The group starts inaccessible on this port.
 *
 * Context: Process context; takes and releases port->lock.
 * Return: 0, -EINVAL for a group ID out of range, or -EEXIST.
 */
int nvmet_port_ana_group_add(struct nvmet_port *port, u32 grpid)
{
	int ret = 0;

	if (grpid < 2 || grpid > NVMET_MAX_ANAGRPS) {
		pr_err("nvmet: port %u: ANA group %u not in 2..%d\n",
		       le16_to_cpu(port->disc_addr.portid), grpid,
		       NVMET_MAX_ANAGRPS);
		return -EINVAL;
	}
	mutex_lock(&port->lock);
	if (__test_and_set_bit(grpid, port->ana_groups))
		ret = -EEXIST;
	else
		WRITE_ONCE(port->ana_state[grpid], NVME_ANA_INACCESSIBLE);
	mutex_unlock(&port->lock);
	nvmet_port_ana_changed(port);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_port_ana_group_add);

/**
 * nvmet_port_ana_group_remove() - remove an ANA group from a port
 * @port: the port
 * @grpid: a group added with nvmet_port_ana_group_add()
 *
 * Context: Process context; takes and releases port->lock.
 */
void nvmet_port_ana_group_remove(struct nvmet_port *port, u32 grpid)
{
	if (WARN_ON(grpid == NVMET_DEFAULT_ANA_GRPID ||
		    !nvmet_ana_grpid_valid(grpid)))
		return;
	mutex_lock(&port->lock);
	__clear_bit(grpid, port->ana_groups);
	WRITE_ONCE(port->ana_state[grpid], NVME_ANA_INACCESSIBLE);
	mutex_unlock(&port->lock);
	nvmet_port_ana_changed(port);
}
EXPORT_SYMBOL_GPL(nvmet_port_ana_group_remove);

/**
 * nvmet_port_set_ana_state() - set a group's ANA state on a port
 * @port: the port
 * @grpid: an existing group
 * @state: NVME_ANA_OPTIMIZED, _NONOPTIMIZED, _INACCESSIBLE,
 *	   _PERSISTENT_LOSS or _CHANGE
 *
 * Context: Process context; takes and releases port->lock.
 * Return: 0, or -EINVAL for a group that does not exist on the port.
 */
int nvmet_port_set_ana_state(struct nvmet_port *port, u32 grpid, u8 state)
{
	int ret = 0;

	if (!nvmet_ana_grpid_valid(grpid))
		return -EINVAL;
	mutex_lock(&port->lock);
	if (test_bit(grpid, port->ana_groups))
		WRITE_ONCE(port->ana_state[grpid], state);
	else
		ret = -EINVAL;
	mutex_unlock(&port->lock);
	if (!ret)
		nvmet_port_ana_changed(port);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_port_set_ana_state);

/**
 * nvmet_port_ana_state() - a group's ANA state on a port
 * @port: the port
 * @grpid: 1 to NVMET_MAX_ANAGRPS
 *
 * Context: Any context; takes no lock.
 * Return: the state, NVME_ANA_*.
 */
u8 nvmet_port_ana_state(struct nvmet_port *port, u32 grpid)
{
	if (!nvmet_ana_grpid_valid(grpid))
		return NVME_ANA_INACCESSIBLE;
	return READ_ONCE(port->ana_state[grpid]);
}
EXPORT_SYMBOL_GPL(nvmet_port_ana_state);

/**
 * nvmet_port_for_each() - call a function on every port
 * @fn: the function, called with a reference on the port and no lock
 * @data: passed to @fn
 *
 * Ports created or removed meanwhile may or may not be visited.
 *
 * Context: Process context.
 */
void nvmet_port_for_each(void (*fn)(struct nvmet_port *port, void *data),
			 void *data)
{
	struct nvmet_port *port;
	unsigned long idx = 0;

	for (;; idx++) {
		bool live;

		rcu_read_lock();
		port = xa_find(&nvmet_port_ids, &idx, ULONG_MAX, XA_PRESENT);
		live = port && kref_get_unless_zero(&port->ref);
		rcu_read_unlock();
		if (!port)
			return;
		/* A port on its way out is skipped; the walk goes on. */
		if (!live)
			continue;
		fn(port, data);
		nvmet_port_put(port);
	}
}
