/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Namespaces.  Lock legend as in nvmet.h, plus
 *   N   ns->lock
 *   V   ns->vis_lock
 * Lock order: ns->lock, then subsys->lock.  Opening a backend (which may
 * sleep for long) happens under ns->lock only.  ns->vis_lock nests inside
 * nothing; only ctrl->lock (events) nests inside it.
 */
#ifndef _NVMET_NS_H
#define _NVMET_NS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/xarray.h>

#include <nvmet/backend.h>
#include <nvmet/stats.h>

struct nvmet_host;
struct nvmet_pr;
struct nvmet_subsys;
struct workqueue_struct;

/*
 * At most this many enabled namespaces per subsystem (in-tree: 1024).  A
 * controller sees at most its MNAN of them (nvmet_ns_visible()): the
 * namespaces whose @slot is below it.
 */
#define NVMET_MAX_NAMESPACES	65536
#define NVMET_BACKEND_AUTO	"auto"

/**
 * struct nvmet_ns_ranges - the range locks of a namespace
 *			    (nvmet/target/range.c)
 * @users: fused pairs holding or waiting for a range (A); while it is 0
 *	   a write only counts itself in @writes
 * @writes: per CPU, the writes in flight that counted themselves in
 *	    while @users was 0 (this CPU's counter: inc where one starts,
 *	    dec where it ends, so one counter may go negative; the sum is
 *	    exact once no write changes it)
 * @lock: protects @list; nests inside nothing, and nothing inside it
 * @list: ranges held or waited for, in arrival order: fused pairs', and
 *	  writes' while @users is not 0
 */
struct nvmet_ns_ranges {
	atomic_t users;
	long __percpu *writes;
	spinlock_t lock;		/* @list */
	struct list_head list;
};

/**
 * struct nvmet_ns - a namespace of a subsystem
 * @ref: lifetime; configfs holds one, the I/O path will take more
 * @subsys: the subsystem (I, referenced)
 * @nsid: namespace ID (I)
 * @lock: protects the N fields; held across backend open and close
 * @device_path: what the backend opens, or NULL (N)
 * @backend_name: "auto" or a backend's name (N)
 * @uuid: namespace UUID (N; frozen while enabled)
 * @nguid: namespace globally unique identifier (N; frozen while enabled)
 * @anagrpid: ANA group ID, 1..NVMET_MAX_ANAGRPS (N write, A read)
 * @buffered_io: the file backend uses the page cache (N)
 * @enabled: published in subsys->namespaces (N write, A read)
 * @null_size: size in bytes for backends without storage (N)
 * @resv_state_path: where the reservation state persists (PTPL), an
 *		     absolute path; NULL for the default under
 *		     /var/lib/nvmet-ng/ (N; frozen while enabled)
 * @backend: the backend while enabled (N), its module pinned
 * @backend_priv: the backend's state while enabled
 * @backend_wq: the namespace's own work queue for backend work that
 *		sleeps, while enabled, if the backend made one (N write)
 * @size: size in bytes while enabled (N write, A read)
 * @blksize_shift: log2 of the logical block size while enabled (N)
 * @csi: its I/O command set while enabled: NVME_CSI_NVM, or NVME_CSI_ZNS
 *	 where the backend's @open found a zoned device (N write at open)
 * @zoned: the zone geometry while @csi is NVME_CSI_ZNS (N write at open)
 * @pi_type: the protection information type of the storage while
 *	     NVMET_BF_PI is available: NVME_NS_DPS_PI_TYPE1 or
 *	     NVME_NS_DPS_PI_TYPE3 (N write at open)
 * @pi_size: its format, by the bytes of PI per logical block: 8 (16-bit
 *	     CRC T10-DIF guard, 32-bit reference tag) or 16 (NVMe's 64-bit
 *	     CRC guard, 48-bit reference tag; nvmet_ns_pi64()) (N write at
 *	     open)
 * @features_avail: NVMET_BF_* bits the backend offers on this device,
 *		    set at enable (N)
 * @features: NVMET_BF_* bits on while enabled (N write, A read)
 * @features_off: NVMET_BF_* bits the administrator turned off; kept across
 *		  disable and enable (N)
 * @io_ref: one reference per I/O command in flight while enabled; killed
 *	    by disable, which then waits for @io_done
 * @io_done: completed when @io_ref is dead and drained
 * @draining: unpublished and @io_ref killed, backend still open: a
 *	      disable has to wait for @io_done and close it (N)
 * @removed: nvmet_ns_remove() ran, its NSID left subsys->ns_ids; never
 *	    enabled again (N)
 * @stats: command counters, per CPU (I pointer; the I/O path adds to its
 *	   CPU's copy without a lock); they outlive disable and enable
 * @rcu: frees the namespace after RCU readers are gone
 * @vis_lock: serialises visibility changes (the V fields) and the events
 *	      they raise
 * @auto_visible: visible to every host the subsystem admits (V write, A
 *		  read: the only load the I/O path makes for such a
 *		  namespace); when false, only to the hosts in @vis_hosts
 * @vis_hosts: the hosts linked in allowed_hosts/ by host id, each holding
 *	       a host reference (V write, R read)
 * @nr_vis_hosts: entries in @vis_hosts (V)
 * @resv_enable: the next enable gives the namespace reservations (N)
 * @pr: its reservations (nvmet/target/pr.c) while enabled with
 *	@resv_enable, else NULL (N write at enable and after the drain of a
 *	disable; the I/O path and the command handlers read it without a
 *	lock while they hold an I/O reference)
 * @resv_notify_mask: the Reservation Notification Mask (Set Features
 *		      82h) of a namespace whose backend's storage keeps the
 *		      reservations (no @pr): the NVMET_RESV_NOTIFY_* bits no
 *		      controller is told of; 0 at enable (N write then, A
 *		      otherwise)
 * @slot: while enabled, the namespace's index in subsys->ns_slots, the
 *	  lowest free one at enable (S write before the namespace is
 *	  published, A read; kept after disable, so that the events of the
 *	  disable reach the controllers that saw it).  A controller sees
 *	  the namespace only if @slot is below its MNAN.
 * @ranges: its range locks (fused Compare and Write); initialised at
 *	    creation
 */
struct nvmet_ns {
	struct kref ref;
	struct nvmet_subsys *subsys;
	u32 nsid;
	struct mutex lock;		/* the N fields */
	char *device_path;
	char backend_name[NVMET_BACKEND_NAME_MAX];
	uuid_t uuid;
	u8 nguid[16];
	u32 anagrpid;
	bool buffered_io;
	bool enabled;
	u64 null_size;
	char *resv_state_path;
	const struct nvmet_backend_ops *backend;
	void *backend_priv;
	struct workqueue_struct *backend_wq;
	u64 size;
	u8 blksize_shift;
	u8 csi;
	struct nvmet_ns_zoned zoned;
	u8 pi_type;
	u8 pi_size;
	u32 features_avail;
	u32 features;
	u32 features_off;
	struct percpu_ref io_ref;
	struct completion io_done;
	bool draining;
	bool removed;
	struct nvmet_stats __percpu *stats;
	struct rcu_head rcu;
	struct mutex vis_lock;		/* the V fields */
	bool auto_visible;
	struct xarray vis_hosts;
	unsigned int nr_vis_hosts;
	bool resv_enable;
	struct nvmet_pr *pr;
	u32 resv_notify_mask;
	u32 slot;
	struct nvmet_ns_ranges ranges;
};

struct nvmet_ns *nvmet_ns_create(struct nvmet_subsys *subsys, u32 nsid);
void nvmet_ns_free(struct nvmet_ns *ns);
int nvmet_ns_enable(struct nvmet_ns *ns);
void nvmet_ns_disable(struct nvmet_ns *ns);
bool nvmet_ns_remove(struct nvmet_ns *ns);
int nvmet_ns_revalidate(struct nvmet_ns *ns);
void nvmet_ns_revalidate_io(struct nvmet_ns *ns);
int nvmet_ns_config_begin(struct nvmet_ns *ns);
void nvmet_ns_config_end(struct nvmet_ns *ns);
int nvmet_ns_set_device_path(struct nvmet_ns *ns, const char *buf);
int nvmet_ns_set_backend(struct nvmet_ns *ns, const char *buf);
int nvmet_ns_set_resv_state_path(struct nvmet_ns *ns, const char *buf);
int nvmet_ns_set_anagrpid(struct nvmet_ns *ns, u32 grpid);
int nvmet_ns_set_feature(struct nvmet_ns *ns, u32 bit, bool on);
int nvmet_ns_set_resv_enable(struct nvmet_ns *ns, bool on);
const char *nvmet_backend_feature_name(unsigned int i);
struct nvmet_ns *nvmet_ns_io_get(struct nvmet_subsys *subsys, u32 nsid);
void nvmet_ns_io_put(struct nvmet_ns *ns);
struct nvmet_ns *nvmet_ns_find_get(struct nvmet_subsys *subsys, u32 nsid);
void nvmet_ns_put(struct nvmet_ns *ns);
bool nvmet_ns_exists(struct nvmet_subsys *subsys, u32 nsid);

/* ns_visibility.c: which hosts see the namespace */
void nvmet_ns_visibility_init(struct nvmet_ns *ns);
void nvmet_ns_visibility_destroy(struct nvmet_ns *ns);
int nvmet_ns_allow_host(struct nvmet_ns *ns, struct nvmet_host *host);
int nvmet_ns_disallow_host(struct nvmet_ns *ns, struct nvmet_host *host);
void nvmet_ns_set_auto_visible(struct nvmet_ns *ns, bool on);
bool nvmet_ns_host_linked(struct nvmet_ns *ns, const struct nvmet_host *host);

/* notify.c: namespace events for the controllers that see it */
void nvmet_ns_notify_changed(struct nvmet_ns *ns);
void nvmet_ns_visibility_changed(struct nvmet_ns *ns,
				 const struct nvmet_host *host);

/* nvmet/target/zns.c: may a zoned device be a ZNS namespace? */
int nvmet_zns_ns_check(struct nvmet_ns *ns,
		       const struct nvmet_backend_ops *ops);

/* nvmet/target/pr.c: reservations from enable to disable */
int nvmet_pr_ns_open(struct nvmet_ns *ns);

/**
 * nvmet_ns_backend_resv_cap() - does the storage keep the reservations?
 * @ns: an enabled namespace (an I/O reference or ns->lock held)
 *
 * Context: Any context.
 * Return: the backend's RESCAP (struct nvmet_backend_ops, @resv_cap), 0
 * where the core keeps them (resv_enable) or nobody does.
 */
static inline u8 nvmet_ns_backend_resv_cap(struct nvmet_ns *ns)
{
	const struct nvmet_backend_ops *ops = ns->backend;

	return ops && ops->resv_cap ? ops->resv_cap(ns) : 0;
}

void nvmet_pr_ns_close(struct nvmet_ns *ns);

/* 16 bytes of PI, the 64-bit guard (struct crc64_pi_tuple)? */
static inline bool nvmet_ns_pi64(const struct nvmet_ns *ns)
{
	return ns->pi_size == 16;
}

/* The bits of a reference tag of @ns's PI format: 48 or 32. */
static inline u64 nvmet_ns_pi_ref_mask(const struct nvmet_ns *ns)
{
	return nvmet_ns_pi64(ns) ? GENMASK_ULL(47, 0) : GENMASK_ULL(31, 0);
}

#endif /* _NVMET_NS_H */
