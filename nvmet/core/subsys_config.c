// SPDX-License-Identifier: GPL-2.0-only
/*
 * Subsystem configuration: attribute changes and the allowed-hosts ACL.
 *
 * Each change takes only the subsystem's own lock.  Identity attributes
 * (version, serial, model, firmware, IEEE OUI, PCI vendor and subsystem
 * vendor IDs) freeze once a host has read
 * Identify Controller, as in the in-tree target, since hosts cache them.
 *
 * Conventions:
 * @subsys: a subsystem, referenced by the caller
 * @host:   a host, referenced by the caller
 * @buf:    text written to a configfs attribute
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include "core.h"

/* Identity attributes may change only before a host has read them. */
static int nvmet_subsys_check_identity(struct nvmet_subsys *subsys,
				       const char *what)
	__must_hold(&subsys->lock)
{
	lockdep_assert_held(&subsys->lock);
	if (!subsys->discovered)
		return 0;
	pr_err("nvmet: subsystem %s: %s is frozen once a host has read it\n",
	       subsys->nqn, what);
	return -EINVAL;
}

static int nvmet_subsys_set_text(struct nvmet_subsys *subsys, char *field,
				 size_t max_len, const char *buf,
				 const char *what)
{
	int len = nvmet_parse_ascii(buf, max_len);
	int ret;

	if (len < 0) {
		pr_err("nvmet: subsystem %s: %s must be 1 to %zu printable ASCII characters\n",
		       subsys->nqn, what, max_len);
		return len;
	}
	mutex_lock(&subsys->lock);
	ret = nvmet_subsys_check_identity(subsys, what);
	if (!ret) {
		memcpy(field, buf, len);
		field[len] = '\0';
	}
	mutex_unlock(&subsys->lock);
	return ret;
}

/**
 * nvmet_subsys_set_serial() - set the serial number (attr_serial)
 * @subsys: the subsystem
 * @buf: 1 to 20 printable ASCII characters, up to the first newline
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_serial(struct nvmet_subsys *subsys, const char *buf)
{
	return nvmet_subsys_set_text(subsys, subsys->serial,
				     NVMET_SN_MAX_SIZE, buf, "serial");
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_serial);

/**
 * nvmet_subsys_set_model() - set the model number (attr_model)
 * @subsys: the subsystem
 * @buf: 1 to 40 printable ASCII characters, up to the first newline
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_model(struct nvmet_subsys *subsys, const char *buf)
{
	return nvmet_subsys_set_text(subsys, subsys->model,
				     NVMET_MN_MAX_SIZE, buf, "model");
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_model);

/**
 * nvmet_subsys_set_firmware() - set the firmware revision (attr_firmware)
 * @subsys: the subsystem
 * @buf: 1 to 8 printable ASCII characters, up to the first newline
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_firmware(struct nvmet_subsys *subsys, const char *buf)
{
	return nvmet_subsys_set_text(subsys, subsys->firmware,
				     NVMET_FR_MAX_SIZE, buf, "firmware");
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_firmware);

/**
 * nvmet_subsys_set_version() - set the Version register (attr_version)
 * @subsys: the subsystem
 * @vs: the value, as nvmet_parse_version() returns it
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_version(struct nvmet_subsys *subsys, u32 vs)
{
	int ret;

	mutex_lock(&subsys->lock);
	ret = nvmet_subsys_check_identity(subsys, "version");
	/*
	 * A passthru subsystem reports its controller's version; writing
	 * that back (nvmetcli restore) changes nothing.
	 */
	if (!ret && rcu_access_pointer(subsys->passthru) && vs != subsys->ver) {
		pr_err("nvmet: subsystem %s: version is the passthru controller's\n",
		       subsys->nqn);
		ret = -EINVAL;
	}
	if (!ret)
		subsys->ver = vs;
	mutex_unlock(&subsys->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_version);

/**
 * nvmet_subsys_set_ieee_oui() - set the IEEE OUI (attr_ieee_oui)
 * @subsys: the subsystem
 * @oui: a 24-bit value
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_ieee_oui(struct nvmet_subsys *subsys, u32 oui)
{
	int ret;

	if (oui > 0xffffff) {
		pr_err("nvmet: subsystem %s: IEEE OUI 0x%x has more than 24 bits\n",
		       subsys->nqn, oui);
		return -EINVAL;
	}
	mutex_lock(&subsys->lock);
	ret = nvmet_subsys_check_identity(subsys, "IEEE OUI");
	if (!ret)
		subsys->ieee_oui = oui;
	mutex_unlock(&subsys->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_ieee_oui);

static int nvmet_subsys_set_pci_id(struct nvmet_subsys *subsys, u16 *field,
				   u32 val, const char *what)
{
	int ret;

	if (val > 0xffff) {
		pr_err("nvmet: subsystem %s: %s 0x%x has more than 16 bits\n",
		       subsys->nqn, what, val);
		return -EINVAL;
	}
	mutex_lock(&subsys->lock);
	ret = nvmet_subsys_check_identity(subsys, what);
	if (!ret)
		*field = val;
	mutex_unlock(&subsys->lock);
	return ret;
}

/**
 * nvmet_subsys_set_vendor_id() - set the PCI Vendor ID (attr_vendor_id)
 * @subsys: the subsystem
 * @vid: a 16-bit value, Identify Controller VID
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_vendor_id(struct nvmet_subsys *subsys, u32 vid)
{
	return nvmet_subsys_set_pci_id(subsys, &subsys->vendor_id, vid,
				       "vendor ID");
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_vendor_id);

/**
 * nvmet_subsys_set_subsys_vendor_id() - set the PCI Subsystem Vendor ID
 *					 (attr_subsys_vendor_id)
 * @subsys: the subsystem
 * @ssvid: a 16-bit value, Identify Controller SSVID
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_subsys_vendor_id(struct nvmet_subsys *subsys, u32 ssvid)
{
	return nvmet_subsys_set_pci_id(subsys, &subsys->subsys_vendor_id,
				       ssvid, "subsystem vendor ID");
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_subsys_vendor_id);

/**
 * nvmet_subsys_set_cntlid_min() - set the lowest controller ID
 * @subsys: the subsystem
 * @min: 1 up to the current cntlid_max
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_cntlid_min(struct nvmet_subsys *subsys, u16 min)
{
	int ret = 0;

	mutex_lock(&subsys->lock);
	if (!min || min > subsys->cntlid_max) {
		pr_err("nvmet: subsystem %s: cntlid_min %u not in 1..%u\n",
		       subsys->nqn, min, subsys->cntlid_max);
		ret = -EINVAL;
	} else {
		subsys->cntlid_min = min;
	}
	mutex_unlock(&subsys->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_cntlid_min);

/**
 * nvmet_subsys_set_cntlid_max() - set the highest controller ID
 * @subsys: the subsystem
 * @max: the current cntlid_min up to 65535, and not 0
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_cntlid_max(struct nvmet_subsys *subsys, u16 max)
{
	int ret = 0;

	mutex_lock(&subsys->lock);
	if (!max || max < subsys->cntlid_min) {
		pr_err("nvmet: subsystem %s: cntlid_max %u below cntlid_min %u\n",
		       subsys->nqn, max, subsys->cntlid_min);
		ret = -EINVAL;
	} else {
		subsys->cntlid_max = max;
	}
	mutex_unlock(&subsys->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_cntlid_max);

/**
 * nvmet_subsys_set_qid_max() - set the most I/O queues per controller
 * @subsys: the subsystem
 * @qid_max: 1 to NVMET_NR_QUEUES
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0 or -EINVAL.
 */
int nvmet_subsys_set_qid_max(struct nvmet_subsys *subsys, u16 qid_max)
{
	if (!qid_max || qid_max > NVMET_NR_QUEUES) {
		pr_err("nvmet: subsystem %s: qid_max %u not in 1..%d\n",
		       subsys->nqn, qid_max, NVMET_NR_QUEUES);
		return -EINVAL;
	}
	mutex_lock(&subsys->lock);
	subsys->max_qid = qid_max;
	mutex_unlock(&subsys->lock);
	/* As in-tree: hosts reconnect to get the new queue count. */
	nvmet_subsys_ctrls_delete(subsys, NULL);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_qid_max);

/**
 * nvmet_subsys_set_allow_any_host() - turn the host ACL off or on
 * @subsys: the subsystem
 * @allow: true to let every host connect
 *
 * Turning the ACL on ends the controllers of hosts it does not name
 * (in-tree leaves them connected).
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0, or -EINVAL to allow any host while allowed_hosts has links.
 */
int nvmet_subsys_set_allow_any_host(struct nvmet_subsys *subsys, bool allow)
{
	bool narrowed = false;
	int ret = 0;

	mutex_lock(&subsys->lock);
	if (allow && subsys->nr_hosts) {
		pr_err("nvmet: subsystem %s: remove the allowed_hosts links before allowing any host\n",
		       subsys->nqn);
		ret = -EINVAL;
	} else {
		narrowed = subsys->allow_any_host && !allow;
		WRITE_ONCE(subsys->allow_any_host, allow);
	}
	mutex_unlock(&subsys->lock);
	if (ret)
		return ret;
	nvmet_subsys_disc_changed(subsys);
	if (narrowed)
		nvmet_subsys_acl_revoked(subsys);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_set_allow_any_host);

/**
 * nvmet_subsys_allow_host() - add a host to the ACL (allowed_hosts link)
 * @subsys: the subsystem
 * @host: the host; the ACL takes its own reference
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0, -EINVAL while allow_any_host is set, -EEXIST if the host is
 * already allowed, or -ENOMEM.
 */
int nvmet_subsys_allow_host(struct nvmet_subsys *subsys,
			    struct nvmet_host *host)
{
	int ret;

	mutex_lock(&subsys->lock);
	if (subsys->allow_any_host) {
		pr_err("nvmet: subsystem %s: allows any host; clear attr_allow_any_host first\n",
		       subsys->nqn);
		ret = -EINVAL;
		goto out_unlock;
	}
	kref_get(&host->ref);
	ret = xa_insert(&subsys->hosts, host->id, host, GFP_KERNEL);
	if (ret) {
		nvmet_host_put(host);
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto out_unlock;
	}
	subsys->nr_hosts++;
	mutex_unlock(&subsys->lock);
	nvmet_subsys_disc_changed(subsys);
	return 0;
out_unlock:
	mutex_unlock(&subsys->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_allow_host);

/**
 * nvmet_subsys_disallow_host() - remove a host from the ACL
 * @subsys: the subsystem
 * @host: the host
 *
 * Controllers the host already has are deleted, unlike in-tree, which
 * leaves them connected and able to do I/O.
 *
 * Context: Process context; takes and releases subsys->lock.
 * Return: 0, or -ENOENT if the host was not allowed.
 */
int nvmet_subsys_disallow_host(struct nvmet_subsys *subsys,
			       struct nvmet_host *host)
{
	struct nvmet_host *old;

	mutex_lock(&subsys->lock);
	old = xa_erase(&subsys->hosts, host->id);
	if (old)
		subsys->nr_hosts--;
	mutex_unlock(&subsys->lock);
	if (!old)
		return -ENOENT;
	nvmet_subsys_disc_changed(subsys);
	nvmet_subsys_acl_revoked(subsys);
	nvmet_host_put(old);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_disallow_host);

/**
 * nvmet_subsys_host_allowed() - may this host connect to the subsystem?
 * @subsys: the subsystem
 * @hostnqn: the connecting host's NQN
 *
 * Lookup cost: one NQN map lookup and one xarray load, with no lock.
 *
 * Context: Any context; takes and releases rcu_read_lock().
 * Return: true if the subsystem allows any host, is the discovery
 * subsystem, or has the host in its ACL.
 */
bool nvmet_subsys_host_allowed(struct nvmet_subsys *subsys,
			       const char *hostnqn)
{
	struct nvmet_host *host;
	bool allowed;

	if (subsys->type == NVME_NQN_CURR || READ_ONCE(subsys->allow_any_host))
		return true;
	rcu_read_lock();
	host = __nvmet_host_lookup(hostnqn);
	allowed = host && xa_load(&subsys->hosts, host->id) == host;
	rcu_read_unlock();
	return allowed;
}
EXPORT_SYMBOL_GPL(nvmet_subsys_host_allowed);
