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
 * links), referral.c, ana.c, ns.c (namespaces/), ns_hosts.c (a
 * namespace's allowed_hosts/).
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

/* ns.c: the drains of namespaces removed by rmdir */
extern struct workqueue_struct *nvmet_ns_drain_wq;

/* subsys.c: nvmet/subsystems/ */
extern const struct config_item_type nvmet_subsystems_type;
struct nvmet_subsys *nvmet_item_to_subsys(struct config_item *item);

/* host.c: nvmet/hosts/ */
extern const struct config_item_type nvmet_hosts_type;
struct nvmet_host *nvmet_item_to_host(struct config_item *item);

/* port.c: nvmet/ports/ */
extern const struct config_item_type nvmet_ports_type;

/* addr.c: addr_* formats shared by ports and referrals */
ssize_t nvmet_addr_trtype_show(const struct nvmf_disc_rsp_page_entry *a,
			       char *page);
int nvmet_addr_set_trtype(struct nvmf_disc_rsp_page_entry *a,
			  const char *page);
ssize_t nvmet_addr_adrfam_show(const struct nvmf_disc_rsp_page_entry *a,
			       char *page);
int nvmet_addr_set_adrfam(struct nvmf_disc_rsp_page_entry *a,
			  const char *page);
ssize_t nvmet_addr_treq_show(const struct nvmf_disc_rsp_page_entry *a,
			     char *page);
int nvmet_addr_set_treq(struct nvmf_disc_rsp_page_entry *a, const char *page);
ssize_t nvmet_addr_tsas_show(const struct nvmf_disc_rsp_page_entry *a,
			     char *page);
int nvmet_addr_set_tsas(struct nvmf_disc_rsp_page_entry *a, const char *page);
int nvmet_addr_check_len(const char *what, size_t count, size_t max);
int nvmet_addr_set_traddr(struct nvmf_disc_rsp_page_entry *a,
			  const char *page);
int nvmet_addr_set_trsvcid(struct nvmf_disc_rsp_page_entry *a,
			   const char *page);

/* referral.c, ana.c: the types of ports/<ID>/referrals/ and ana_groups/ */
extern const struct config_item_type nvmet_referrals_type;
extern const struct config_item_type nvmet_ana_groups_type;
extern const struct config_item_type nvmet_ana_group_type;

/**
 * struct nvmet_ana_item - ports/<ID>/ana_groups/<GRPID>/
 * @group: the group's directory
 * @port: the port, referenced by the port's item
 * @grpid: the ANA group ID
 */
struct nvmet_ana_item {
	struct config_group group;
	struct nvmet_port *port;
	u32 grpid;
};

/**
 * struct nvmet_port_item - ports/<ID>/
 * @group: the port's directory
 * @subsys_group: subsystems/, links to the subsystems offered
 * @referrals_group: referrals/
 * @ana_groups_group: ana_groups/
 * @ana_default: ana_groups/1/
 * @port: the core port, referenced
 */
struct nvmet_port_item {
	struct config_group group;
	struct config_group subsys_group;
	struct config_group referrals_group;
	struct config_group ana_groups_group;
	struct nvmet_ana_item ana_default;
	struct nvmet_port *port;
};

/* ns.c: the type of subsystems/<NQN>/namespaces/ */
extern const struct config_item_type nvmet_namespaces_type;

struct nvmet_ns;

/**
 * struct nvmet_ns_hosts_group - namespaces/<NSID>/allowed_hosts/ (ns_hosts.c)
 * @group: the directory, a default group of the namespace's item
 * @ns: the namespace, referenced by the namespace's item
 */
struct nvmet_ns_hosts_group {
	struct config_group group;
	struct nvmet_ns *ns;
};

void nvmet_ns_hosts_group_init(struct nvmet_ns_hosts_group *hg,
			       struct config_group *parent,
			       struct nvmet_ns *ns);

#endif /* _NVMET_CONFIGFS_H */
