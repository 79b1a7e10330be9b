// SPDX-License-Identifier: GPL-2.0-only
/*
 * Referrals: other discovery services a port's discovery log points to.
 *
 * A referral lives in its port's referrals xarray from creation to
 * removal; its address and enabled flag are protected by the port's lock,
 * so enabling a referral or changing one takes no lock but that port's.
 *
 * Conventions:
 * @ref:  a referral
 * @port: its parent port, referenced by the referral
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>

#include <nvmet/compat.h>

#include "core.h"

/**
 * nvmet_referral_create() - create a disabled referral on a port
 * @port: the port whose discovery log will list it once enabled
 *
 * Context: Process context.
 * Return: the referral, or ERR_PTR(-ENOMEM) or ERR_PTR(-EBUSY) (no id left).
 */
struct nvmet_referral *nvmet_referral_create(struct nvmet_port *port)
{
	struct nvmet_referral *ref;
	int ret;

	ref = kzalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return ERR_PTR(-ENOMEM);
	ret = xa_alloc(&port->referrals, &ref->id, ref, xa_limit_32b,
		       GFP_KERNEL);
	if (ret) {
		kfree(ref);
		return ERR_PTR(ret);
	}
	kref_get(&port->ref);
	ref->port = port;
	nvmet_obj_created(NVMET_OBJ_REFERRAL);
	return ref;
}
EXPORT_SYMBOL_GPL(nvmet_referral_create);

/**
 * nvmet_referral_remove() - disable and free a referral
 * @ref: the referral
 *
 * Context: Process context; takes and releases the port's lock.
 */
void nvmet_referral_remove(struct nvmet_referral *ref)
{
	struct nvmet_port *port = ref->port;

	nvmet_referral_set_enabled(ref, false);
	xa_erase(&port->referrals, ref->id);
	nvmet_obj_released(NVMET_OBJ_REFERRAL);
	kfree_rcu(ref, rcu);
	nvmet_port_put(port);
}
EXPORT_SYMBOL_GPL(nvmet_referral_remove);

/**
 * nvmet_referral_config_begin() - lock a referral's address to change it
 * @ref: the referral
 *
 * On success the caller holds the port's lock, may change
 * ref->disc_addr, and calls nvmet_referral_config_end().
 *
 * Context: Process context; takes the port's lock, keeps it on success.
 * Return: 0, or -EACCES while the referral is enabled.
 */
int nvmet_referral_config_begin(struct nvmet_referral *ref)
	nvmet_cond_acquires_zero(&ref->port->lock)
{
	mutex_lock(&ref->port->lock);
	if (!ref->enabled)
		return 0;
	mutex_unlock(&ref->port->lock);
	pr_err("nvmet: port %u: disable the referral before changing it\n",
	       le16_to_cpu(ref->port->disc_addr.portid));
	return -EACCES;
}
EXPORT_SYMBOL_GPL(nvmet_referral_config_begin);

/**
 * nvmet_referral_config_end() - end nvmet_referral_config_begin()
 * @ref: the referral
 *
 * Context: Process context; releases the port's lock.
 */
void nvmet_referral_config_end(struct nvmet_referral *ref)
	__releases(&ref->port->lock)
{
	mutex_unlock(&ref->port->lock);
}
EXPORT_SYMBOL_GPL(nvmet_referral_config_end);

/**
 * nvmet_referral_set_enabled() - list or unlist a referral
 * @ref: the referral
 * @enable: list it in the port's discovery log
 *
 * Setting the current state again does nothing, as in-tree.
 *
 * Context: Process context; takes and releases the port's lock.
 */
void nvmet_referral_set_enabled(struct nvmet_referral *ref, bool enable)
{
	bool changed;

	mutex_lock(&ref->port->lock);
	changed = ref->enabled != enable;
	WRITE_ONCE(ref->enabled, enable);
	mutex_unlock(&ref->port->lock);
	if (changed)
		nvmet_port_disc_changed(ref->port);
}
EXPORT_SYMBOL_GPL(nvmet_referral_set_enabled);
