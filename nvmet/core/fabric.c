// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fabric registry: one ops table per NVMe transport type.
 *
 * Readers (port enable) look a type up under RCU and pin the fabric module
 * with try_module_get(); register and unregister, from fabric module init
 * and exit, serialise on nvmet_fabrics_lock.
 *
 * Conventions:
 * @ops:  a fabric's ops table
 * @type: an NVMe transport type, NVMF_TRTYPE_*
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/string.h>

#include <nvmet/fabric.h>
#include "core.h"

/* Serialises register/unregister; protects writes to nvmet_fabrics. */
static DEFINE_MUTEX(nvmet_fabrics_lock);
/* Fabric by transport type: R read, nvmet_fabrics_lock write. */
static const struct nvmet_fabric_ops __rcu *nvmet_fabrics[U8_MAX + 1];

/* Refuse a table the hot paths would trip over, once, at registration. */
static int nvmet_fabric_ops_check(const struct nvmet_fabric_ops *ops)
{
	const char *name = ops->name ? ops->name : "(unnamed)";

	if (!ops->name || !*ops->name ||
	    strlen(ops->name) >= NVMET_FABRIC_NAME_MAX) {
		pr_err("nvmet: fabric %s: name must have 1 to %d characters\n",
		       name, NVMET_FABRIC_NAME_MAX - 1);
		return -EINVAL;
	}
	if (!ops->add_port || !ops->remove_port) {
		pr_err("nvmet: fabric %s: add_port and remove_port are mandatory\n",
		       name);
		return -EINVAL;
	}
	return 0;
}

/**
 * nvmet_register_fabric() - make a fabric available to ports
 * @ops: the fabric's ops table, which must stay valid until
 *	 nvmet_unregister_fabric()
 *
 * Context: Process context, usually module init; takes nvmet_fabrics_lock.
 * Return: 0, -EINVAL for an incomplete table, or -EBUSY when another
 * fabric serves the same transport type.
 */
int nvmet_register_fabric(const struct nvmet_fabric_ops *ops)
{
	int ret;

	ret = nvmet_fabric_ops_check(ops);
	if (ret)
		return ret;
	mutex_lock(&nvmet_fabrics_lock);
	if (rcu_access_pointer(nvmet_fabrics[ops->type])) {
		pr_err("nvmet: fabric %s: transport type %u is taken\n",
		       ops->name, ops->type);
		ret = -EBUSY;
	} else {
		rcu_assign_pointer(nvmet_fabrics[ops->type], ops);
	}
	mutex_unlock(&nvmet_fabrics_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_register_fabric);

/**
 * nvmet_unregister_fabric() - withdraw a fabric
 * @ops: the table given to nvmet_register_fabric()
 *
 * No port uses the fabric at this point: each enabled port holds a
 * reference on the fabric's module.
 *
 * Context: Process context, usually module exit; takes nvmet_fabrics_lock
 * and waits for an RCU grace period.
 */
void nvmet_unregister_fabric(const struct nvmet_fabric_ops *ops)
{
	mutex_lock(&nvmet_fabrics_lock);
	if (rcu_access_pointer(nvmet_fabrics[ops->type]) == ops)
		RCU_INIT_POINTER(nvmet_fabrics[ops->type], NULL);
	mutex_unlock(&nvmet_fabrics_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(nvmet_unregister_fabric);

static const struct nvmet_fabric_ops *nvmet_fabric_try_get(u8 type)
{
	const struct nvmet_fabric_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(nvmet_fabrics[type]);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	return ops;
}

/**
 * nvmet_fabric_get() - find the fabric for a transport type and pin it
 * @type: the transport type
 *
 * Loads the module aliased "nvmet-transport-<type>" when no fabric has
 * registered the type yet, as the in-tree target does.
 *
 * Context: Process context; may sleep in request_module(), holding no
 * core lock.
 * Return: the ops table, to be released with nvmet_fabric_put(), or NULL.
 */
const struct nvmet_fabric_ops *nvmet_fabric_get(u8 type)
{
	const struct nvmet_fabric_ops *ops;

	ops = nvmet_fabric_try_get(type);
	if (!ops && !request_module("nvmet-transport-%d", type))
		ops = nvmet_fabric_try_get(type);
	return ops;
}
EXPORT_SYMBOL_GPL(nvmet_fabric_get);

/**
 * nvmet_fabric_put() - release a fabric found by nvmet_fabric_get()
 * @ops: the fabric
 *
 * Context: Any context.
 */
void nvmet_fabric_put(const struct nvmet_fabric_ops *ops)
{
	module_put(ops->owner);
}
EXPORT_SYMBOL_GPL(nvmet_fabric_put);
