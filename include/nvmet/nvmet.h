/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvmet-ng core objects: subsystems, hosts, ports and the links between
 * them.  No configfs, socket or bio types appear here: the configfs glue and
 * the fabrics sit on top of this API, and tests/userspace compiles it as is.
 *
 * Lock legend, on every field below:
 *   I   immutable once the object is published
 *   S   subsys->lock
 *   H   host->lock
 *   P   port->lock
 *   L   port->link_lock
 *   M   the owning nvmet_nqn_map's lock
 *   R   readers under rcu_read_lock(); writers hold the lock named after it
 *   A   atomic, or READ_ONCE()/WRITE_ONCE() with no lock
 *
 * Lock order (outer first): port->link_lock, subsys->lock, port->lock.
 * A map's lock nests inside nothing and nothing nests inside it.
 * Documentation/design.md has the whole picture.
 */
#ifndef _NVMET_NVMET_H
#define _NVMET_NVMET_H

#include <linux/bitmap.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <nvmet/parse.h>

struct dentry;
struct nvmet_disc_log;
struct nvmet_fabric_ops;

/* The well-known discovery NQN (NVMe over Fabrics 1.1, 7.4.9). */
#define NVMET_DISC_NQN		"nqn.2014-08.org.nvmexpress.discovery"

/* Defaults and limits of the in-tree target that the ABI keeps. */
#define NVMET_NR_QUEUES		128
#define NVMET_CNTLID_MIN	1
#define NVMET_CNTLID_MAX	0xffef
#define NVMET_DEFAULT_VS	NVME_VS(1, 3, 0)
#define NVMET_DEFAULT_MODEL	"Linux"
#define NVMET_MAX_ANAGRPS	128
#define NVMET_DEFAULT_ANA_GRPID	1

/*
 * Maximum Data Transfer Size of a port (param_mdts), in the unit of
 * Identify Controller MDTS: a power of two of the minimum memory page
 * size (CAP.MPSMIN 0: 4 KiB).  0 advertises no limit, as in-tree; the
 * core then still refuses transfers above NVMET_MDTS_MAX.  The default,
 * 8 (1 MiB), is what in-tree nvmet-rdma advertises and no less than a
 * Linux host sends by default (max_sectors_kb is capped at 1280 KiB
 * unless raised); NVMET_MDTS_MAX (512 MiB) is the largest buffer
 * sgl_alloc() makes without its scatterlist table exceeding one kmalloc.
 */
#define NVMET_MDTS_SHIFT	12
#define NVMET_DEFAULT_MDTS	8
#define NVMET_MDTS_MAX		17

/**
 * struct nvmet_nqn_node - an object's entry in an NQN-keyed map
 * @next: next node with the same hash (M write, R read)
 * @hash: hash of @nqn (I)
 * @nqn: the key (I), owned by the object
 */
struct nvmet_nqn_node {
	struct nvmet_nqn_node __rcu *next;
	u32 hash;
	const char *nqn;
};

/**
 * struct nvmet_nqn_map - objects by NQN, looked up under RCU
 * @lock: serialises insert and remove; never held by readers
 * @buckets: hash -> first node of a chain (M write, R read)
 *
 * Lookup cost: one xarray walk on a 32-bit key (at most 6 levels) and a
 * strcmp() per node of the chain, which is one node unless two NQNs collide.
 */
struct nvmet_nqn_map {
	struct mutex lock;		/* serialises insert and remove */
	struct xarray buckets;
};

void nvmet_nqn_map_init(struct nvmet_nqn_map *map);
void nvmet_nqn_map_destroy(struct nvmet_nqn_map *map);
int nvmet_nqn_map_insert(struct nvmet_nqn_map *map,
			 struct nvmet_nqn_node *node, const char *nqn);
void nvmet_nqn_map_remove(struct nvmet_nqn_map *map,
			  struct nvmet_nqn_node *node);
struct nvmet_nqn_node *nvmet_nqn_map_lookup(struct nvmet_nqn_map *map,
					    const char *nqn);
u32 nvmet_nqn_hash(const char *nqn);

/**
 * struct nvmet_host - a host NQN that subsystems may allow
 * @ref: lifetime; the registry does not hold one, configfs does
 * @node: entry in the host registry (I once published)
 * @id: index in the host id xarray, the key of subsys->hosts (I)
 * @lock: protects the H fields
 * @dhchap_secret: DH-HMAC-CHAP host key as written ("DHHC-1:NN:...:"),
 *		   NULL for none (H)
 * @dhchap_ctrl_secret: controller key for bidirectional authentication,
 *			NULL for none (H)
 * @dhchap_hash_id: hash the controller prefers, NVME_AUTH_HASH_* (H)
 * @dhchap_dhgroup_id: DH group it prefers, NVME_AUTH_DHGROUP_* (H)
 * @auth_failures: DH-HMAC-CHAP transactions of this host that failed
 *		   (atomic; debugfs nvmet-ng/hosts shows it)
 * @rcu: frees the host after readers of the registry are gone
 * @nqn: the host NQN (I)
 */
struct nvmet_host {
	struct kref ref;
	struct nvmet_nqn_node node;
	u32 id;
	struct mutex lock;		/* the H fields */
	char *dhchap_secret;
	char *dhchap_ctrl_secret;
	u8 dhchap_hash_id;
	u8 dhchap_dhgroup_id;
	atomic_t auth_failures;
	struct rcu_head rcu;
	char nqn[];
};

/**
 * struct nvmet_host_dhchap - a copy of a host's DH-HMAC-CHAP settings
 * @secret: host key, or NULL; the copy's own, see nvmet_host_dhchap_free()
 * @ctrl_secret: controller key, or NULL; likewise
 * @hash_id: NVME_AUTH_HASH_*
 * @dhgroup_id: NVME_AUTH_DHGROUP_*
 */
struct nvmet_host_dhchap {
	char *secret;
	char *ctrl_secret;
	u8 hash_id;
	u8 dhgroup_id;
};

struct nvmet_passthru;

/**
 * struct nvmet_subsys - an NVM subsystem, or the discovery subsystem
 * @ref: lifetime
 * @node: entry in the subsystem registry
 * @id: index in the subsystem id xarray, the key of port->subsystems (I)
 * @type: NVME_NQN_NVME, or NVME_NQN_CURR for the discovery subsystem (I)
 * @lock: protects the S fields
 * @ver: Version register value (S)
 * @ieee_oui: IEEE OUI reported by Identify (S)
 * @vendor_id: PCI Vendor ID reported by Identify (VID) (S)
 * @subsys_vendor_id: PCI Subsystem Vendor ID reported by Identify (SSVID) (S)
 * @cntlid_min: lowest dynamic controller ID (S)
 * @cntlid_max: highest dynamic controller ID (S)
 * @max_qid: most I/O queues a controller may have (S)
 * @allow_any_host: no host ACL (S write, A read on connect)
 * @discovered: a host has read Identify Controller; identity frozen (S)
 * @pi_support: end-to-end protection offered (S)
 * @serial: serial number, NUL-terminated, not padded (S)
 * @model: model number (S)
 * @firmware: firmware revision (S)
 * @hosts: allowed hosts by host id, each holding a host reference
 *	   (S write, R read)
 * @nr_hosts: entries in @hosts (S)
 * @nr_ports: ports this subsystem is linked into (A)
 * @removed: unpublished by nvmet_subsys_remove(); no new port link
 *	     (S write, read under S)
 * @namespaces: enabled namespaces by NSID (S write, R read: the I/O path
 *		looks a namespace up with one xa_load())
 * @nr_namespaces: entries in @namespaces (S)
 * @max_nsid: highest NSID in @namespaces, 0 if none (S)
 * @ns_slots: the enabled namespaces by slot, 0 to NVMET_MAX_NAMESPACES - 1,
 *	      each taking the lowest free one at enable (S): a controller
 *	      whose MNAN is below NVMET_MAX_NAMESPACES sees the namespaces
 *	      of the slots below its MNAN (nvmet_ns_visible())
 * @ns_ids: the NSIDs of every namespace that exists, enabled or not, from
 *	    nvmet_ns_create() to nvmet_ns_remove(), each to how many
 *	    namespaces hold it (xa_mk_value) (S write, R read: only an I/O
 *	    command's namespace miss looks, nvmet_ns_exists())
 * @ctrls: controllers by controller ID (xa_lock write, R read); entries
 *	   hold no reference, a controller erases itself when released
 * @debugfs_dir: debugfs nvmet/<NQN>/ while it has controllers, or NULL
 *		 (the debugfs lock, nvmet/debugfs.c)
 * @debugfs_ctrls: controllers with a directory in @debugfs_dir (the
 *		   debugfs lock)
 * @passthru: the NVMe controller passed through while passthru/enable is
 *	      set, else NULL (S write, R read: nvmet/target/passthru.c); a
 *	      subsystem with one has no namespaces of its own
 * @passthru_admin_timeout: passthru/admin_timeout, jiffies, 0 for the
 *			    host driver's default (any time, WRITE_ONCE)
 * @passthru_io_timeout: passthru/io_timeout, likewise
 * @passthru_clear_ids: passthru/clear_ids: hide the device's namespace
 *			identifiers (any time, WRITE_ONCE)
 * @rcu: frees the subsystem after readers of the registry are gone
 * @nqn: the subsystem NQN (I)
 */
struct nvmet_subsys {
	struct kref ref;
	struct nvmet_nqn_node node;
	u32 id;
	u8 type;
	struct mutex lock;		/* the S fields */
	u32 ver;
	u32 ieee_oui;
	u16 vendor_id;
	u16 subsys_vendor_id;
	u16 cntlid_min;
	u16 cntlid_max;
	u16 max_qid;
	bool allow_any_host;
	bool discovered;
	bool pi_support;
	char serial[NVMET_SN_MAX_SIZE + 1];
	char model[NVMET_MN_MAX_SIZE + 1];
	char firmware[NVMET_FR_MAX_SIZE + 1];
	struct xarray hosts;
	unsigned int nr_hosts;
	atomic_t nr_ports;
	bool removed;
	struct xarray namespaces;
	unsigned int nr_namespaces;
	u32 max_nsid;
	struct xarray ns_slots;
	struct xarray ns_ids;
	struct xarray ctrls;
	struct dentry *debugfs_dir;
	unsigned int debugfs_ctrls;
	struct nvmet_passthru __rcu *passthru;
	unsigned int passthru_admin_timeout;
	unsigned int passthru_io_timeout;
	unsigned int passthru_clear_ids;
	struct rcu_head rcu;
	char nqn[];
};

/**
 * enum nvmet_port_state - where a port is in its life
 * @NVMET_PORT_DISABLED: configurable, no fabric resources
 * @NVMET_PORT_ENABLING: ops->add_port() is running
 * @NVMET_PORT_LIVE: serving hosts; address attributes frozen
 * @NVMET_PORT_DISABLING: ops->remove_port() is running
 * @NVMET_PORT_WAITING: linked, but ops->add_port() found its address not
 *			available (-EADDRNOTAVAIL), or the address went away:
 *			no listener, retried when addresses change
 *			(target/port_watch.c); attributes frozen as if LIVE
 */
enum nvmet_port_state {
	NVMET_PORT_DISABLED,
	NVMET_PORT_ENABLING,
	NVMET_PORT_LIVE,
	NVMET_PORT_DISABLING,
	NVMET_PORT_WAITING,
};

/**
 * struct nvmet_port - a fabric port (or, with @is_referral, a referral)
 * @ref: lifetime
 * @id: index in the port id xarray (I)
 * @lock: protects the P fields; never held across a fabric callback
 * @link_lock: serialises link/unlink and so enable/disable of this port;
 *	       held across ops->add_port() and ops->remove_port(), so a slow
 *	       fabric blocks only this port's links
 * @state: see enum nvmet_port_state (P and L write, A read)
 * @disc_addr: the address as the discovery log shows it (P; frozen while
 *	       not DISABLED)
 * @inline_data_size: in-capsule data size, negative for the default (P)
 * @max_queue_size: largest queue, negative for the default (P)
 * @mdts: Maximum Data Transfer Size, Identify's unit, 0 for none (P write,
 *	  A read; frozen while not DISABLED)
 * @pi_enable: offer end-to-end protection (P)
 * @ops: the fabric serving the port while it is not DISABLED (L write,
 *	 R read); holds a reference on the fabric module
 * @priv: the fabric's own state, set by ops->add_port() (L)
 * @listening: ops->add_port() succeeded and ops->remove_port() has not run
 *	       yet (L)
 * @relisten: the fabric lost its listener (nvmet_port_relisten()); the
 *	      port watch re-creates it (A)
 * @subsystems: linked subsystems by subsystem id, each holding a subsystem
 *		reference (L write, R read)
 * @nr_subsystems: entries in @subsystems (L)
 * @removed: unpublished by nvmet_port_remove(); no new link (A; read
 *	     under L by links)
 * @referrals: this port's referrals by id, enabled or not (xa_lock write,
 *	       R read); a referral's own fields are P
 * @ana_groups: ANA groups that exist on this port; group 1 always does (P)
 * @ana_state: ANA state of each group on this port, NVME_ANA_* (P write,
 *	       A read)
 * @disc_ctrls: discovery controllers on this port by controller ID
 *		(xa_lock write, R read), as subsys->ctrls
 * @disc_lock: serialises rebuilds of @disc_log
 * @disc_log: the discovery log entries, rebuilt on the first read after a
 *	      change (disc_lock write, R read)
 * @genctr: discovery log generation counter (A)
 * @rcu: frees the port after RCU readers are gone
 */
struct nvmet_port {
	struct kref ref;
	u32 id;
	struct mutex lock;		/* the P fields */
	struct mutex link_lock;		/* links, enable, disable; L fields */
	enum nvmet_port_state state;
	struct nvmf_disc_rsp_page_entry disc_addr;
	int inline_data_size;
	int max_queue_size;
	u8 mdts;
	bool pi_enable;
	const struct nvmet_fabric_ops __rcu *ops;
	void *priv;
	bool listening;
	bool relisten;
	struct xarray subsystems;
	unsigned int nr_subsystems;
	bool removed;
	struct xarray referrals;
	DECLARE_BITMAP(ana_groups, NVMET_MAX_ANAGRPS + 1);
	u8 ana_state[NVMET_MAX_ANAGRPS + 1];
	struct xarray disc_ctrls;
	struct mutex disc_lock;		/* rebuilds of disc_log */
	struct nvmet_disc_log __rcu *disc_log;
	atomic64_t genctr;
	struct rcu_head rcu;
};

/**
 * struct nvmet_referral - another discovery service a port points hosts to
 * @port: the port whose discovery log lists it (I, referenced)
 * @id: key in port->referrals (I)
 * @enabled: listed in the discovery log (P: port->lock of @port)
 * @disc_addr: where it points, as the discovery log shows it (P; frozen
 *	       while enabled)
 * @rcu: frees the referral after RCU readers are gone
 */
struct nvmet_referral {
	struct nvmet_port *port;
	u32 id;
	bool enabled;
	struct nvmf_disc_rsp_page_entry disc_addr;
	struct rcu_head rcu;
};

/**
 * enum nvmet_obj_type - object types with a live count (core/stats.c)
 * @NVMET_OBJ_SUBSYS: subsystems
 * @NVMET_OBJ_HOST: hosts
 * @NVMET_OBJ_PORT: ports
 * @NVMET_OBJ_REFERRAL: referrals
 * @NVMET_OBJ_NS: namespaces
 * @NVMET_OBJ_CTRL: controllers
 * @NVMET_OBJ_NR: number of types
 */
enum nvmet_obj_type {
	NVMET_OBJ_SUBSYS,
	NVMET_OBJ_HOST,
	NVMET_OBJ_PORT,
	NVMET_OBJ_REFERRAL,
	NVMET_OBJ_NS,
	NVMET_OBJ_CTRL,
	NVMET_OBJ_NR,
};

int nvmet_obj_count(enum nvmet_obj_type type);
const char *nvmet_obj_name(enum nvmet_obj_type type);

/* core.c */
int nvmet_core_init(void);
void nvmet_core_exit(void);

/* host.c */
struct nvmet_host *nvmet_host_create(const char *nqn);
void nvmet_host_remove(struct nvmet_host *host);
struct nvmet_host *nvmet_host_find_get(const char *nqn);
void nvmet_host_put(struct nvmet_host *host);
unsigned long nvmet_host_count(void);
unsigned int nvmet_host_auth_failed(const char *nqn);
typedef void (*nvmet_host_fn)(struct nvmet_host *host, void *data);
void nvmet_hosts_walk_rcu(nvmet_host_fn fn, void *data);
int nvmet_host_set_dhchap_secret(struct nvmet_host *host, bool ctrl,
				 const char *secret);
void nvmet_host_set_dhchap_hash(struct nvmet_host *host, u8 hash_id);
void nvmet_host_set_dhchap_dhgroup(struct nvmet_host *host, u8 dhgroup_id);
int nvmet_host_get_dhchap(struct nvmet_host *host,
			  struct nvmet_host_dhchap *out);
void nvmet_host_dhchap_free(struct nvmet_host_dhchap *d);

/* subsys.c */
struct nvmet_subsys *nvmet_subsys_create(const char *nqn);
void nvmet_subsys_remove(struct nvmet_subsys *subsys);
struct nvmet_subsys *nvmet_subsys_find_get(const char *nqn);
void nvmet_subsys_get(struct nvmet_subsys *subsys);
void nvmet_subsys_put(struct nvmet_subsys *subsys);
unsigned long nvmet_subsys_count(void);
int nvmet_subsys_allow_host(struct nvmet_subsys *subsys,
			    struct nvmet_host *host);
int nvmet_subsys_disallow_host(struct nvmet_subsys *subsys,
			       struct nvmet_host *host);
bool nvmet_subsys_host_allowed(struct nvmet_subsys *subsys,
			       const char *hostnqn);
int nvmet_subsys_set_allow_any_host(struct nvmet_subsys *subsys, bool allow);
int nvmet_subsys_set_version(struct nvmet_subsys *subsys, u32 vs);
int nvmet_subsys_set_serial(struct nvmet_subsys *subsys, const char *buf);
int nvmet_subsys_set_model(struct nvmet_subsys *subsys, const char *buf);
int nvmet_subsys_set_firmware(struct nvmet_subsys *subsys, const char *buf);
int nvmet_subsys_set_ieee_oui(struct nvmet_subsys *subsys, u32 oui);
int nvmet_subsys_set_vendor_id(struct nvmet_subsys *subsys, u32 vid);
int nvmet_subsys_set_subsys_vendor_id(struct nvmet_subsys *subsys, u32 ssvid);
int nvmet_subsys_set_cntlid_min(struct nvmet_subsys *subsys, u16 min);
int nvmet_subsys_set_cntlid_max(struct nvmet_subsys *subsys, u16 max);
int nvmet_subsys_set_qid_max(struct nvmet_subsys *subsys, u16 qid_max);
int nvmet_disc_nqn_copy(char *buf, size_t size);
int nvmet_disc_nqn_set(const char *buf);
bool nvmet_is_disc_nqn(const char *nqn);

/* port.c */
struct nvmet_port *nvmet_port_create(u16 portid);
void nvmet_port_remove(struct nvmet_port *port);
void nvmet_port_get(struct nvmet_port *port);
void nvmet_port_put(struct nvmet_port *port);
unsigned long nvmet_port_count(void);
int nvmet_port_link_subsys(struct nvmet_port *port,
			   struct nvmet_subsys *subsys);
int nvmet_port_unlink_subsys(struct nvmet_port *port,
			     struct nvmet_subsys *subsys);
struct nvmet_subsys *nvmet_port_find_get_subsys(struct nvmet_port *port,
						const char *subsysnqn);
bool nvmet_port_is_live(struct nvmet_port *port);
const char *nvmet_port_state_name(struct nvmet_port *port);
int nvmet_port_retry(struct nvmet_port *port);
void nvmet_port_addr_gone(struct nvmet_port *port);
int nvmet_port_config_begin(struct nvmet_port *port);
void nvmet_port_config_end(struct nvmet_port *port);
int nvmet_port_set_mdts(struct nvmet_port *port, u32 mdts);
int nvmet_port_ana_group_add(struct nvmet_port *port, u32 grpid);
void nvmet_port_ana_group_remove(struct nvmet_port *port, u32 grpid);
int nvmet_port_set_ana_state(struct nvmet_port *port, u32 grpid, u8 state);
u8 nvmet_port_ana_state(struct nvmet_port *port, u32 grpid);
void nvmet_port_disc_changed(struct nvmet_port *port);
void nvmet_port_for_each(void (*fn)(struct nvmet_port *port, void *data),
			 void *data);
void nvmet_subsys_for_each(void (*fn)(struct nvmet_subsys *subsys,
				      void *data),
			   void *data);

/* notify.c: events the configuration raises for controllers */
void nvmet_subsys_disc_changed(struct nvmet_subsys *subsys);
void nvmet_subsys_ctrls_delete(struct nvmet_subsys *subsys,
			       struct nvmet_port *port);
void nvmet_port_ctrls_delete(struct nvmet_port *port);
void nvmet_subsys_acl_revoked(struct nvmet_subsys *subsys);
void nvmet_host_ctrls_delete(const char *nqn);
void nvmet_port_ana_changed(struct nvmet_port *port);
void nvmet_subsys_ana_changed(struct nvmet_subsys *subsys);
void nvmet_all_disc_changed(void);
void nvmet_port_disc_aen(struct nvmet_port *port);
void nvmet_disc_log_free(struct nvmet_port *port);

/* referral.c */
struct nvmet_referral *nvmet_referral_create(struct nvmet_port *port);
void nvmet_referral_remove(struct nvmet_referral *ref);
int nvmet_referral_config_begin(struct nvmet_referral *ref);
void nvmet_referral_config_end(struct nvmet_referral *ref);
void nvmet_referral_set_enabled(struct nvmet_referral *ref, bool enable);

#endif /* _NVMET_NVMET_H */
