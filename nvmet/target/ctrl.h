/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Controllers and the command handlers of the core.  Internal to nvmet.ko.
 *
 * Lock legend as in nvmet.h, plus
 *   C   ctrl->lock
 *   E   ctrl->error_lock
 * Lock order: subsys->lock, then ctrl->lock; port->disc_lock nests inside
 * nothing the controller takes.  A controller is reached from
 * subsys->ctrls (I/O controllers) or port->disc_ctrls (discovery
 * controllers) under RCU, with kref_get_unless_zero().
 */
#ifndef _NVMET_CORE_CTRL_H
#define _NVMET_CORE_CTRL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include <nvmet/nvmet.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include <nvmet/stats.h>
#include <nvmet/test_point.h>

#include "pr.h"

#define NVMET_ASYNC_EVENTS	4	/* AERL + 1 */
#define NVMET_ERROR_LOG_SLOTS	128
#define NVMET_MAX_CHANGED_NS	1024
#define NVMET_DISC_KATO_MS	120000
#define NVMET_KAS		10	/* keep-alive granularity, 100 ms */
#define NVMET_MAX_DSM_RANGES	256
#define NVMET_DISC_CNTLID_MAX	0xffef
/*
 * The part of the ANA log that does not depend on the namespaces: the
 * header and a descriptor for each of NANAGRPID groups.  A Linux host
 * reads the whole log in one command of this plus 4 bytes per MNAN.
 */
#define NVMET_ANA_LOG_GROUPS_SIZE \
	(sizeof(struct nvme_ana_rsp_hdr) + \
	 NVMET_MAX_ANAGRPS * sizeof(struct nvme_ana_group_desc))
/* Events an I/O controller reports (OAES), on until the host says not. */
#define NVMET_AEN_CFG_IO	(NVME_AEN_CFG_NS_ATTR | NVME_AEN_CFG_ANA_CHANGE)

/*
 * Connect response for Invalid Parameters: the offset of the bad field
 * (IPO) and whether it is in the command (IATTR 0) or its data (IATTR 1).
 */
#define NVMET_CONNECT_BAD_DATA(field) \
	cpu_to_le32(1 << 16 | offsetof(struct nvmf_connect_data, field))
#define NVMET_CONNECT_BAD_CMD(field) \
	cpu_to_le32(offsetof(struct nvmf_connect_command, field))

struct nvmet_auth_keys;
struct nvmet_disc_view;

/**
 * struct nvmet_async_event - an event waiting for an AER command
 * @entry: in ctrl->async_events (C)
 * @type: NVME_AER_*
 * @info: asynchronous event information
 * @log_page: the log page that clears it
 */
struct nvmet_async_event {
	struct list_head entry;
	u8 type;
	u8 info;
	u8 log_page;
};

/**
 * struct nvmet_ctrl - a controller: one host's association with a subsystem
 *		       through a port
 * @ref: lifetime; each installed queue holds one
 * @subsys: the subsystem (I, referenced); NULL for a discovery controller
 * @port: the port the host connected through (I, referenced)
 * @ops: the port's fabric (I; the port pins its module while LIVE, and a
 *	 port is disabled only after its controllers are gone)
 * @cntlid: controller ID, key in subsys->ctrls or port->disc_ctrls (I)
 * @max_qid: highest I/O queue ID (I)
 * @mnan: the most namespaces the controller sees, Identify's MNAN: as many
 *	  as its host's read of the whole ANA log fits in MDTS for (I)
 * @sqs: submission queues by qid, set by Connect (cmpxchg), cleared by
 *	 nvmet_sq_destroy()
 * @lock: protects the C fields
 * @cap: Controller Capabilities (I)
 * @cc: Controller Configuration (C write, A read)
 * @csts: Controller Status (C write, A read)
 * @kato: keep-alive timeout in ms, 0 for none (C)
 * @ka_work: keep-alive timer
 * @ka_traffic: a command arrived since the timer last ran (A)
 * @auth_work: ends the controller if its host has not authenticated on
 *	       the admin queue within auth_timeout_ms of Connect (ctrl.c)
 * @auth_done: the admin queue authenticated once (A, set once)
 * @fatal_work: tears the controller down after a fatal error
 * @deleting: teardown started (A, set once)
 * @async_event_work: pairs events with AER commands
 * @aer_cmds: outstanding Asynchronous Event Request commands (C)
 * @nr_aer_cmds: entries in @aer_cmds (C)
 * @async_events: events not yet reported (C)
 * @aen_enabled: events the host enabled, NVME_AEN_CFG_* (C)
 * @aen_masked: events reported and not yet cleared by a log read (C)
 * @changed_ns: the Changed Namespace List log (C); entry 0xffffffff after
 *		overflow
 * @nr_changed_ns: entries in @changed_ns (C)
 * @error_lock: protects the E fields
 * @err_counter: errors logged so far (E)
 * @errors: the Error Information log, a ring (E)
 * @hostnqn: the host's NQN (I)
 * @hostid: the host identifier from Connect (I)
 * @host_traddr: the host's transport address as the fabric gave it at
 *		 Admin Connect, "" if it gives none (I)
 * @stats: command counters, per CPU (I pointer)
 * @auth_required: the host has a DH-HMAC-CHAP key: every queue must
 *		   authenticate before other commands (I)
 * @auth_keys: the keys authentication uses, a struct nvmet_auth_keys
 *	       (nvmet/target/auth.h), replaced when the host
 *	       re-authenticates on the admin queue (C)
 * @debugfs_dir: the controller's debugfs directory, or NULL (debugfs.c)
 * @rcu: frees the controller after RCU readers are gone
 * @host: the host object of @hostnqn, referenced, found the first time a
 *	  namespace without auto_visible asks (visibility.c), or NULL while
 *	  none was looked up or none exists (A: set once with cmpxchg;
 *	  dropped at release)
 * @pr_log: the Reservation Notification log (C; pr.c)
 * @hbs_acre: Host Behavior Support's ACRE as the host set it (C)
 * @hbs_cdfe: Host Behavior Support's CDFE, the Copy descriptor formats
 *	      the host enabled, NVMET_HBS_CDFE_* (C write, A read: Copy
 *	      reads it in copy.c)
 * @disc_view: a discovery controller's view of its port's discovery log,
 *	       the entries its host may see, for one log generation, or
 *	       NULL (RCU; replaced with xchg by any read that finds it stale,
 *	       discovery.c)
 */
struct nvmet_ctrl {
	struct kref ref;
	struct nvmet_subsys *subsys;
	struct nvmet_port *port;
	const struct nvmet_fabric_ops *ops;
	u16 cntlid;
	u16 max_qid;
	u32 mnan;
	struct nvmet_sq **sqs;
	struct mutex lock;		/* the C fields */
	u64 cap;
	u32 cc;
	u32 csts;
	u32 kato;
	struct delayed_work ka_work;
	bool ka_traffic;
	struct delayed_work auth_work;
	bool auth_done;
	struct work_struct fatal_work;
	bool deleting;
	struct work_struct async_event_work;
	struct nvmet_req *aer_cmds[NVMET_ASYNC_EVENTS];
	unsigned int nr_aer_cmds;
	struct list_head async_events;
	u32 aen_enabled;
	unsigned long aen_masked;
	u32 *changed_ns;
	unsigned int nr_changed_ns;
	spinlock_t error_lock;		/* the E fields */
	u64 err_counter;
	struct nvme_error_slot errors[NVMET_ERROR_LOG_SLOTS];
	char hostnqn[NVMF_NQN_FIELD_LEN];
	uuid_t hostid;
	char host_traddr[NVMF_TRADDR_SIZE + 1];
	struct nvmet_stats __percpu *stats;
	bool auth_required;
	struct nvmet_auth_keys *auth_keys;
	struct dentry *debugfs_dir;
	struct rcu_head rcu;
	struct nvmet_host *host;
	struct nvmet_pr_ctrl_log pr_log;
	u8 hbs_acre;
	u16 hbs_cdfe;
	struct nvmet_disc_view __rcu *disc_view;
};

/**
 * struct nvmet_cmd_handler - an entry of a table of admin commands
 * @opcode: the command
 * @data_len: bytes it transfers, NVMET_LEN_LOG for a log page's (NUMD),
 *	      NVMET_LEN_FEAT for a feature's (Get Features)
 * @execute: the handler
 */
struct nvmet_cmd_handler {
	u8 opcode;
	u32 data_len;
	void (*execute)(struct nvmet_req *req);
};

#define NVMET_LEN_LOG	U32_MAX
#define NVMET_LEN_FEAT	(U32_MAX - 1)

static inline bool nvmet_ctrl_is_disc(const struct nvmet_ctrl *ctrl)
{
	return !ctrl->subsys;
}

/* ctrl.c */
extern struct workqueue_struct *nvmet_ctrl_wq;
u16 nvmet_ctrl_alloc(struct nvmet_req *req, const char *subsysnqn,
		     const char *hostnqn, const uuid_t *hostid, u32 kato,
		     struct nvmet_ctrl **ctrlp);
struct nvmet_ctrl *nvmet_ctrl_find_get(struct nvmet_port *port,
				       const char *subsysnqn,
				       const char *hostnqn, u16 cntlid);
void nvmet_ctrl_put(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_delete(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_set_cc(struct nvmet_ctrl *ctrl, u32 cc);
void nvmet_ctrl_ka_start(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_auth_deadline(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_add_async_event(struct nvmet_ctrl *ctrl, u8 type, u8 info,
				u8 log_page);
void nvmet_ctrl_aer_done(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_fail_aers(struct nvmet_ctrl *ctrl);
void nvmet_ctrl_log_error(struct nvmet_req *req, u16 status);

/* req.c */
u16 nvmet_check_ctrl_ready(struct nvmet_req *req);
u8 nvmet_mdts(const struct nvmet_port *port,
	      const struct nvmet_fabric_ops *ops,
	      const struct nvmet_ctrl *ctrl);

/* fabrics.c */
u16 nvmet_parse_connect_cmd(struct nvmet_req *req);
u16 nvmet_parse_fabrics_admin_cmd(struct nvmet_req *req);
u16 nvmet_parse_fabrics_io_cmd(struct nvmet_req *req);
u16 nvmet_auth_gate(struct nvmet_req *req);

/* zns.c: zoned namespaces */
#define NVMET_ZNS_SELECT_ALL	BIT(0)	/* Zone Management Send, CDW13 bit 8 */
#define NVMET_ZNS_ZA_RZR	BIT(2)	/* zone attribute Reset Zone Recommended */
u16 nvmet_zns_fill_id_ns(struct nvmet_req *req, void *buf);
u16 nvmet_zns_fill_id_ctrl(struct nvmet_req *req, void *buf);
void nvmet_zns_effects(struct nvme_effects_log *log);
u8 nvmet_zns_zone_state(u8 cond);
bool nvmet_zns_zrasf_match(u8 zrasf, u8 cond);
u16 nvmet_zns_parse_io_cmd(struct nvmet_req *req);

/* admin.c */
u16 nvmet_parse_admin_cmd(struct nvmet_req *req);
u16 nvmet_dispatch(struct nvmet_req *req, const struct nvmet_cmd_handler *cmds,
		   size_t nr);
u32 nvmet_get_log_page_len(struct nvme_command *cmd);
u64 nvmet_get_log_page_offset(struct nvme_command *cmd);
u16 nvmet_copy_log(struct nvmet_req *req, const void *buf, size_t len);
void nvmet_execute_keep_alive(struct nvmet_req *req);
void nvmet_execute_async_event(struct nvmet_req *req);
u16 nvmet_set_feat_kato(struct nvmet_req *req);
u16 nvmet_set_feat_async_event(struct nvmet_req *req, u32 mask);
void nvmet_get_feat_kato(struct nvmet_req *req);
void nvmet_get_feat_async_event(struct nvmet_req *req);

void nvmet_id_ctrl_common(struct nvmet_req *req, struct nvme_id_ctrl *id);
void nvmet_send_identify(struct nvmet_req *req,
			 u16 (*fill)(struct nvmet_req *req, void *buf));
struct nvmet_ns *nvmet_identify_ns_get(struct nvmet_req *req, u16 *status);

/* notify.c */
u64 nvmet_ana_chgcnt(void);
typedef void (*nvmet_ctrl_fn)(struct nvmet_ctrl *ctrl, void *data);
void nvmet_subsys_walk_ctrls(struct nvmet_subsys *subsys, nvmet_ctrl_fn fn,
			     void *data);

/* discovery.c */
void nvmet_discovery_init(void);
void nvmet_port_disc_invalidate(struct nvmet_port *port);
void nvmet_port_fabric_disc_changed(struct nvmet_port *port);
u16 nvmet_parse_discovery_cmd(struct nvmet_req *req);

/* io.c */
u16 nvmet_parse_io_cmd(struct nvmet_req *req);

/* compare.c */
void nvmet_execute_cmpver(struct nvmet_req *req);
u16 nvmet_cmpver_start(struct nvmet_req *req,
		       void (*done)(struct nvmet_req *req, u16 status));

/* fused.c: fused Compare and Write */
u16 nvmet_fused_init(struct nvmet_req *req);
void nvmet_fused_accepted(struct nvmet_req *req);
void nvmet_fused_refused(struct nvmet_req *req);
void nvmet_fused_uninit(struct nvmet_req *req);
void nvmet_fused_sq_init(struct nvmet_sq *sq);
void nvmet_fused_sq_destroy(struct nvmet_sq *sq);

/* range.c: the range locks of a namespace */
#define NVMET_RANGE_COUNTED	1	/* in ns->ranges.writes */
#define NVMET_RANGE_LISTED	2	/* in ns->ranges.list */

bool __nvmet_range_write(struct nvmet_req *req, u64 start, u64 end,
			 void (*resume)(struct nvmet_req *req));
void nvmet_range_write_done(struct nvmet_req *req);
bool nvmet_range_lock(struct nvmet_req *req, u64 start, u64 end,
		      void (*resume)(struct nvmet_req *req));
void nvmet_range_unlock(struct nvmet_req *req);

/**
 * nvmet_range_write() - may a write to [@start, @end) go to the backend?
 * @req: a write (Write, Write Zeroes, Dataset Management), with req->ns
 * @start: its first block
 * @end: the block after its last
 * @resume: what to run instead once it may, if it has to wait
 *
 * The fast path, while no fused pair is in flight on the namespace: a
 * per-CPU increment, one full barrier and one read of a shared counter
 * that only fused pairs write; no lock.  Else the write is listed with
 * the namespace's ranges and waits behind an overlapping fused pair.
 * Either way nvmet_req_complete() ends what this began.
 *
 * Context: Process context.
 * Return: true to submit now; false if @resume runs later, in process
 * context, when no fused pair holds an overlapping range.
 */
static inline bool nvmet_range_write(struct nvmet_req *req, u64 start,
				     u64 end,
				     void (*resume)(struct nvmet_req *req))
{
	struct nvmet_ns_ranges *r = &req->ns->ranges;

	/* One CPU's counter for both, so the sum never undercounts. */
	preempt_disable();
	this_cpu_inc(*r->writes);
	/* Pairs with the barrier after a fused pair's users increment. */
	smp_mb();
	if (likely(!atomic_read(&r->users))) {
		preempt_enable();
		req->range_state = NVMET_RANGE_COUNTED;
		return true;
	}
	this_cpu_dec(*r->writes);
	preempt_enable();
	return __nvmet_range_write(req, start, end, resume);
}

/* io.c */
u16 nvmet_ns_ana_status(struct nvmet_req *req, struct nvmet_ns *ns);

/* copy.c */
u16 nvmet_copy_parse(struct nvmet_req *req);
void nvmet_execute_copy(struct nvmet_req *req);
void nvmet_copy_id_ns(struct nvmet_ns *ns, struct nvme_id_ns *id);

/* visibility.c */
struct nvmet_host *nvmet_ctrl_host(struct nvmet_ctrl *ctrl);
bool nvmet_ctrl_host_linked(struct nvmet_ctrl *ctrl, struct nvmet_ns *ns);

/**
 * nvmet_ns_visible() - does this controller's host see the namespace?
 * @ctrl: an I/O controller
 * @ns: a namespace of its subsystem
 *
 * A controller sees at most its MNAN namespaces: those whose slot is
 * below it (the namespaces enabled first, in the slots they took).
 *
 * Cost: two READ_ONCE()s for a namespace visible to every host; otherwise
 * one xa_load() (the first call per controller also looks its host up).
 *
 * Context: Any context.
 * Return: true if visible.
 */
static inline bool nvmet_ns_visible(struct nvmet_ctrl *ctrl,
				    struct nvmet_ns *ns)
{
	if (unlikely(READ_ONCE(ns->slot) >= ctrl->mnan))
		return false;
	if (likely(READ_ONCE(ns->auto_visible)))
		return true;
	return nvmet_ctrl_host_linked(ctrl, ns);
}

/**
 * nvmet_ctrl_ns_io_get() - nvmet_ns_io_get() for a controller: a
 *			    namespace its host does not see is not there
 * @ctrl: an I/O controller
 * @nsid: the namespace ID
 *
 * Context: Any context.
 * Return: the namespace, held until nvmet_ns_io_put(), or NULL.
 */
static inline struct nvmet_ns *nvmet_ctrl_ns_io_get(struct nvmet_ctrl *ctrl,
						    u32 nsid)
{
	struct nvmet_ns *ns = nvmet_ns_io_get(ctrl->subsys, nsid);

	if (ns && unlikely(!nvmet_ns_visible(ctrl, ns))) {
		nvmet_ns_io_put(ns);
		return NULL;
	}
	return ns;
}

#endif /* _NVMET_CORE_CTRL_H */
