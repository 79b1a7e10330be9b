/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backend ops table and its registry.
 *
 * A backend (block device, file, null, ...) registers a const table by
 * name, from nvmet.ko or from a module of its own; a namespace picks one
 * through its device_backend attribute ("auto" chooses as the in-tree
 * target does).  A namespace that uses a backend pins its module.
 */
#ifndef _NVMET_BACKEND_H
#define _NVMET_BACKEND_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/uuid.h>

struct blk_zone;
struct module;
struct nvmet_ns;
struct nvmet_req;

/* Longest backend name, NUL included. */
#define NVMET_BACKEND_NAME_MAX	16

/* Feature bits a backend offers (struct nvmet_backend_ops.features). */
#define NVMET_BF_WRITE_ZEROES	BIT(0)
#define NVMET_BF_DEALLOCATE	BIT(1)
#define NVMET_BF_VWC		BIT(2)	/* volatile write cache: flush */
#define NVMET_BF_COPY		BIT(3)	/* Copy (19h) */
#define NVMET_BF_COMPARE	BIT(4)	/* Compare (05h) */
#define NVMET_BF_VERIFY		BIT(5)	/* Verify (0Ch) */
#define NVMET_BF_COMPARE_WRITE	BIT(6)	/* fused Compare and Write */
#define NVMET_BF_PI		BIT(7)	/* protection information (T10 PI) */
#define NVMET_BF_NR		8

/*
 * Feature bits a new namespace starts with off: the administrator turns
 * them on.  NVMET_BF_PI changes the LBA format, and a Linux host on a
 * fabric that carries no metadata (TCP, loop) gives such a namespace a
 * disk of capacity 0 (design.md, "Protection information").
 */
#define NVMET_BF_DEFAULT_OFF	NVMET_BF_PI

/*
 * Feature bits the core implements over every backend's rw(): each
 * namespace has them and an administrator may always turn them off, whatever
 * the backend's table says.  A backend may still speed them up (@copy) or
 * do them its own way (@compare_write), and its @open may take one away
 * where the core's version would be wrong for the device.
 */
#define NVMET_BF_CORE		(NVMET_BF_COPY | NVMET_BF_COMPARE | \
				 NVMET_BF_VERIFY | NVMET_BF_COMPARE_WRITE)

/**
 * struct nvmet_media_info - what a namespace's device says of its media,
 *			     for the Endurance Group Information and
 *			     Rotational Media Information log pages
 * @rotational: the device is rotational media (a hard disk)
 * @read_cmds: read requests the device completed, since it appeared
 * @write_cmds: write requests the device completed
 * @read_sectors: 512-byte sectors read
 * @write_sectors: 512-byte sectors written
 */
struct nvmet_media_info {
	bool rotational;
	u64 read_cmds;
	u64 write_cmds;
	u64 read_sectors;
	u64 write_sectors;
};

/**
 * struct nvmet_ns_limits - how a namespace's storage wants to be written,
 *			    for Identify Namespace; sizes in bytes, 0 where
 *			    the backend does not know
 * @atomic_write: the largest aligned write the storage never tears, also
 *		  across a power failure (NAWUN, NAWUPF, NACWU; NSFEAT bit
 *		  1).  0: only the controller's one logical block.
 * @write_granularity: the preferred size and alignment of writes, below
 *		       which the storage reads, modifies and writes back
 *		       (NPWG, NPWA; NSFEAT bit 4)
 * @dealloc_granularity: the size and alignment in which deallocation
 *			 frees space (NPDG, NPDA)
 * @optimal_write: the optimal write size (NOWS)
 * @dealloc_zeroes: deallocated blocks read as zeroes (DLFEAT 001b while
 *		    NVMET_BF_DEALLOCATE is on, or @write_zeroes_dealloc)
 * @write_zeroes_dealloc: a Write Zeroes with the Deallocate bit (DEAC)
 *			  deallocates its blocks (DLFEAT bit 3 while
 *			  NVMET_BF_WRITE_ZEROES is on)
 */
struct nvmet_ns_limits {
	u32 atomic_write;
	u32 write_granularity;
	u32 dealloc_granularity;
	u32 optimal_write;
	bool dealloc_zeroes;
	bool write_zeroes_dealloc;
};

/**
 * struct nvmet_ns_zoned - the zone geometry of a zoned namespace, which a
 *			   backend's @open fills in with ns->csi set to
 *			   NVME_CSI_ZNS; sizes in bytes
 * @zone_size: size of every zone, a power of two (the last zone too: the
 *	       core refuses a device whose size is not a multiple of it)
 * @max_open: most zones open at once, 0 for no limit
 * @max_active: most zones open or closed at once, 0 for no limit
 * @max_append: the largest Zone Append the storage takes at once
 */
struct nvmet_ns_zoned {
	u64 zone_size;
	u32 max_open;
	u32 max_active;
	u32 max_append;
};

/*
 * Called by a backend's @report_zones for each zone, in ascending order;
 * the same type as the block layer's report_zones_cb, whose struct
 * blk_zone (in 512-byte sectors) it hands over.  Return 0 to go on or a
 * negative errno to stop the report with it.
 */
typedef int (*nvmet_report_zones_cb)(struct blk_zone *zone, unsigned int idx,
				     void *data);

/**
 * struct nvmet_backend_ops - what a backend offers the core
 * @name: short name, e.g. "bdev"; at most NVMET_BACKEND_NAME_MAX - 1 chars
 * @owner: the module that implements the backend (THIS_MODULE)
 * @features: NVMET_BF_* bits the backend supports; a namespace starts with
 *	      all of them on
 * @changeable: the subset of @features an administrator may turn off and
 *		on again, at any time
 * @open: open the namespace's storage and set ns->size,
 *	  ns->blksize_shift and ns->backend_priv; may clear bits of
 *	  ns->features the device lacks.  Mandatory.  Called with
 *	  ns->lock held and no other core lock; may sleep.  Return 0 or
 *	  -errno; -ENOTBLK tells "auto" to try the file backend.
 * @close: undo @open.  Mandatory.  Called with ns->lock held, after the
 *	   namespace is unpublished and RCU readers are gone.
 * @revalidate: re-read the size into ns->size.  Optional.  Called with
 *		ns->lock held on an enabled namespace: from revalidate_size
 *		and from each Identify Namespace, as in-tree.
 * @rw: read or write req->data_len bytes at byte offset
 *	nvmet_req_pos(req) of req->ns between the storage and req->sg
 *	(nvme_is_write(req->cmd) tells which).  Mandatory.
 * @flush: make completed writes durable.  Called only while
 *	   NVMET_BF_VWC is on.  Optional.
 * @write_zeroes: zero the range of a Write Zeroes command.  Called only
 *		  while NVMET_BF_WRITE_ZEROES is on.  Optional.
 * @dsm: deallocate the ranges of a Dataset Management command, whose
 *	 (cdw10.nr + 1) struct nvme_dsm_range entries are in req->sg.
 *	 Called only for a command with the deallocate attribute (AD)
 *	 and while NVMET_BF_DEALLOCATE is on.  Optional.
 * @copy: copy @len bytes from byte @spos of @src to byte @dpos of @dst,
 *	  both enabled namespaces the caller holds I/O references on, in
 *	  the backend's own way (a file system's copy_file_range or reflink,
 *	  a LIO backstore's EXTENDED COPY), for @req, the Copy command (whose
 *	  host the backend may issue it as), and make the copy durable when
 *	  @fua is set.  Called only while NVMET_BF_COPY is on, with the
 *	  ranges checked and not overlapping, in process context (a work
 *	  item on @dst's backend_wq), where it may wait for I/O.  Return 0
 *	  when all was copied, -EOPNOTSUPP when the backend cannot copy these
 *	  (the core then copies the whole range again through @rw, which is
 *	  safe after a partial copy: the ranges do not overlap), or another
 *	  -errno.  Optional.
 * @limits: fill in a zeroed struct nvmet_ns_limits for an enabled
 *	    namespace, which the caller holds an I/O reference on (Identify
 *	    Namespace); no lock held, must not sleep.  Optional: without it
 *	    Identify reports no limits (NSFEAT bits 1 and 4 clear).
 * @media_info: fill in a zeroed struct nvmet_media_info for an enabled
 *		namespace, which the caller holds an I/O reference on; no
 *		lock held, must not sleep.  Optional: without it the media
 *		are not rotational and the counters zero.
 * @report_zones: for a zoned namespace (ns->csi NVME_CSI_ZNS): call @cb
 *		  for at most @nr_zones zones from the one holding byte
 *		  @pos on, in order.  Process context, no lock held, may
 *		  wait for I/O.  Return the zones reported or -errno.
 *		  Mandatory for a backend whose @open sets NVME_CSI_ZNS.
 * @zone_mgmt: open, close, finish or reset (@zsa, an NVME_ZONE_* Zone
 *	       Send Action) every zone in [@pos, @pos + @len), both zone
 *	       aligned; a reset of [0, ns->size) resets all.  Process
 *	       context, no lock held, may wait for I/O.  Return 0, -EINVAL
 *	       or -EIO for a zone the action cannot take, or another -errno.
 *	       Mandatory with @report_zones.
 * @compare_write: run a fused Compare and Write as one operation of the
 *		   storage's own, which other users of the storage (outside
 *		   nvmet-ng) see as atomic, instead of the core's compare
 *		   over @rw: compare the blocks of @first (the Compare, FUSE
 *		   01b) with first->sg and, only if they match, write
 *		   second->sg (the Write, FUSE 10b, of the same blocks) to
 *		   them.  Called only while NVMET_BF_COMPARE_WRITE is on,
 *		   once the fabric executed both commands: both ranges
 *		   checked against the namespace, both transfers complete
 *		   (req->transfer_len == req->data_len), and the core's
 *		   range lock of the blocks held, so no write of nvmet-ng's
 *		   hosts to them comes between.  The backend completes
 *		   neither request itself: it ends the pair, now or later
 *		   and in any context, with one nvmet_backend_fused_done(),
 *		   which drops the range lock and completes both as the
 *		   core's own path does.  A pair the storage cannot take (too
 *		   many blocks) ends with Invalid Field on the Compare, not
 *		   split: a split pair is no longer atomic.  Process context,
 *		   as the I/O callbacks.  Optional: without it the core
 *		   compares through @rw, atomic only against nvmet-ng's own
 *		   writes.
 * @resv_cap: the Identify Namespace RESCAP of an enabled namespace whose
 *	      reservations the storage keeps itself (a LIO backstore's SPC-3
 *	      persistent reservations, which its SCSI initiators share), or 0
 *	      where it keeps none.  While it is not 0 the core hands every
 *	      Reservation Register, Acquire, Release and Report to @resv, makes
 *	      no reservation state of its own (resv_enable has no effect) and
 *	      checks no I/O command against one: the storage refuses what
 *	      conflicts, and the backend's I/O completes with Reservation
 *	      Conflict.  Called at each reservation command and Identify, with
 *	      an I/O reference held and no lock, and at enable, after @open,
 *	      with ns->lock held; must not sleep.  What another user of the
 *	      storage did to a host's registration or reservation the backend
 *	      reports with nvmet_backend_resv_notify().  Optional.
 * @resv: run a Reservation Register, Acquire, Release or Report (req's
 *	  opcode) on a namespace whose @resv_cap is not 0; the core has set
 *	  req->data_len and checked the transfer length.  Process context;
 *	  the backend completes the request, now or later, in any context
 *	  (it may wait for its storage on a work queue of its own).
 *	  Mandatory with @resv_cap.
 * @zone_append: write req->data_len bytes from req->sg at the write
 *		 pointer of the zone that starts at nvmet_req_pos(req), and
 *		 complete the request with the LBA of the first block
 *		 written in req->cqe->result.u64.  The core has checked that
 *		 the position starts a zone and the length against
 *		 @max_append of struct nvmet_ns_zoned.  An I/O callback, as
 *		 @rw.  Mandatory with @report_zones.
 *
 * The I/O callbacks run in the context the fabric calls req->execute()
 * from: process context, where they may sleep briefly (a bio allocation,
 * a free request slot) but must not wait for I/O; synchronous work goes to
 * a work queue of the backend's own, per namespace (ns->backend_wq), so a
 * hung device delays only its namespace.  The core has checked the
 * namespace, the LBA range and the transfer length.  Each finishes the request, now or later, with
 * nvmet_req_complete(), which may be called in any context.
 */
struct nvmet_backend_ops {
	const char *name;
	struct module *owner;
	u32 features;
	u32 changeable;
	int (*open)(struct nvmet_ns *ns);
	void (*close)(struct nvmet_ns *ns);
	int (*revalidate)(struct nvmet_ns *ns);
	void (*rw)(struct nvmet_req *req);
	void (*flush)(struct nvmet_req *req);
	void (*write_zeroes)(struct nvmet_req *req);
	void (*dsm)(struct nvmet_req *req);
	int (*copy)(struct nvmet_req *req, struct nvmet_ns *dst, loff_t dpos,
		    struct nvmet_ns *src, loff_t spos, u64 len, bool fua);
	void (*limits)(struct nvmet_ns *ns, struct nvmet_ns_limits *lim);
	void (*media_info)(struct nvmet_ns *ns, struct nvmet_media_info *info);
	int (*report_zones)(struct nvmet_ns *ns, u64 pos, unsigned int nr_zones,
			    nvmet_report_zones_cb cb, void *data);
	int (*zone_mgmt)(struct nvmet_ns *ns, u8 zsa, u64 pos, u64 len);
	void (*zone_append)(struct nvmet_req *req);
	void (*compare_write)(struct nvmet_req *first,
			      struct nvmet_req *second);
	u8 (*resv_cap)(struct nvmet_ns *ns);
	void (*resv)(struct nvmet_req *req);
};

int nvmet_register_backend(const struct nvmet_backend_ops *ops);
void nvmet_unregister_backend(const struct nvmet_backend_ops *ops);
const struct nvmet_backend_ops *nvmet_backend_get(const char *name);
void nvmet_backend_put(const struct nvmet_backend_ops *ops);
bool nvmet_backend_exists(const char *name);

/* Helpers for the I/O paths of backends, in nvmet.ko or modules of their own. */
struct nvme_dsm_range;
u16 nvmet_backend_check_range(struct nvmet_req *req, u64 slba, u64 nlb,
			      loff_t size);
u16 nvmet_backend_get_dsm_ranges(struct nvmet_req *req,
				 struct nvme_dsm_range **ranges,
				 unsigned int *nr);
void nvmet_backend_fused_done(struct nvmet_req *first, u16 status,
			      u16 wstatus);
const uuid_t *nvmet_req_hostid(const struct nvmet_req *req);

/*
 * Reservation Notification log page types (LID 80h, NVMe Base 2.1,
 * 5.1.12.1.x) a backend whose storage keeps the reservations (@resv_cap)
 * reports with nvmet_backend_resv_notify(): what another user of the
 * storage did to a host's registration or reservation.
 */
#define NVMET_RESV_NOTIFY_REG_PREEMPTED		1
#define NVMET_RESV_NOTIFY_RESV_RELEASED		2
#define NVMET_RESV_NOTIFY_RESV_PREEMPTED	3
void nvmet_backend_resv_notify(struct nvmet_req *req, u8 type);

#endif /* _NVMET_BACKEND_H */
