/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-ng's configfs glue: the tree under /sys/kernel/config/nvmet.
 * Only this directory includes <linux/configfs.h>; the core never does.
 *
 * Each configfs item wraps a core object and holds one reference on it.
 * An item's drop_item (rmdir) unpublishes the core object, so the name is
 * free again at once; the item's release drops the reference.  Stores
 * parse, call one core function and return its errno; the core takes the
 * object's own lock.
 *
 * Files: root.c (nvmet/, discovery_nqn), subsys.c (subsystems/ and
 * allowed_hosts/), host.c (hosts/), port.c (ports/ and their subsystems/
 * links), referral.c, ana.c, ns.c (namespaces/).
 */
#ifndef _NVMET_CONFIGFS_H
#define _NVMET_CONFIGFS_H

#include <linux/configfs.h>

#include <nvmet/nvmet.h>

/**
 * struct nvmet_subsys_item - subsystems/<NQN>/
 * @group: the subsystem's directory
 * @namespaces_group: namespaces/ (ns.c)
 * @allowed_hosts_group: allowed_hosts/
 * @passthru_group: passthru/
 * @subsys: the core subsystem, referenced
 */
struct nvmet_subsys_item {
	struct config_group group;
	struct config_group namespaces_group;
	struct config_group allowed_hosts_group;
	struct config_group passthru_group;
	struct nvmet_subsys *subsys;
};

int nvmet_configfs_init(void);
void nvmet_configfs_exit(void);

/* subsys.c: nvmet/subsystems/ */
extern const struct config_item_type nvmet_subsystems_type;
struct nvmet_subsys *nvmet_item_to_subsys(struct config_item *item);

/* host.c: nvmet/hosts/ */
extern const struct config_item_type nvmet_hosts_type;
struct nvmet_host *nvmet_item_to_host(struct config_item *item);

/* port.c: nvmet/ports/ */
extern const struct config_item_type nvmet_ports_type;

/* ns.c: the type of subsystems/<NQN>/namespaces/ */
extern const struct config_item_type nvmet_namespaces_type;

#endif /* _NVMET_CONFIGFS_H */
