/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backends built into nvmet.ko, registered from its init, and the
 * helpers their I/O paths share (backend/common.c).
 */
#ifndef _NVMET_BACKENDS_H
#define _NVMET_BACKENDS_H

#include <linux/blk_types.h>
#include <linux/nvme.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <nvmet/ns.h>
#include <nvmet/req.h>

int nvmet_bdev_backend_init(void);
bool nvmet_bdev_sg_aligned(struct scatterlist *sgl, unsigned int nents,
			   u32 len, unsigned int off_mask,
			   unsigned int len_mask);
void nvmet_bdev_sg_copy(struct scatterlist *dst, unsigned int dst_nents,
			struct scatterlist *src, unsigned int src_nents,
			size_t len);
void nvmet_bdev_backend_exit(void);
u16 nvmet_bdev_status(struct nvmet_req *req, blk_status_t sts);

/* bdev_pi.c: protection information on the bdev backend */
struct nvmet_bdev_pi;
void nvmet_bdev_submit_sg(struct nvmet_req *req, struct scatterlist *sgl,
			  unsigned int nents, u32 len, bio_end_io_t *end_io,
			  void *private, struct nvmet_bdev_pi *pi);
void nvmet_bdev_pi_open(struct nvmet_ns *ns, struct block_device *bdev);
int nvmet_bdev_pi_attach(struct nvmet_bdev_pi *pi, struct bio *bio);
void nvmet_bdev_pi_rw(struct nvmet_req *req, bool bounce);
void nvmet_bdev_pi_write_zeroes(struct nvmet_req *req);
bool nvmet_bdev_pi_ext(const struct nvmet_req *req);

/* bdev_zns.c: the bdev backend's zone hooks */
#ifdef CONFIG_BLK_DEV_ZONED
void nvmet_bdev_zns_open(struct nvmet_ns *ns, struct block_device *bdev);
int nvmet_bdev_report_zones(struct nvmet_ns *ns, u64 pos,
			    unsigned int nr_zones, nvmet_report_zones_cb cb,
			    void *data);
int nvmet_bdev_zone_mgmt(struct nvmet_ns *ns, u8 zsa, u64 pos, u64 len);
void nvmet_bdev_zone_append(struct nvmet_req *req);
#else
static inline void nvmet_bdev_zns_open(struct nvmet_ns *ns,
				       struct block_device *bdev)
{
}

#define nvmet_bdev_report_zones	NULL
#define nvmet_bdev_zone_mgmt	NULL
#define nvmet_bdev_zone_append	NULL
#endif
int nvmet_file_backend_init(void);
void nvmet_file_backend_exit(void);

/* Work items of one namespace's backend in flight at once. */
#define NVMET_BACKEND_WQ_ACTIVE	64

int nvmet_backend_wq_alloc(struct nvmet_ns *ns);
void nvmet_backend_wq_free(struct nvmet_ns *ns);

/*
 * Run @fn on the namespace's own work queue, for the parts of a command
 * that may sleep: a hung device delays only its own namespace.
 */
static inline void nvmet_backend_defer(struct nvmet_req *req, work_func_t fn)
{
	INIT_WORK(&req->work, fn);
	queue_work(req->ns->backend_wq, &req->work);
}

/* Complete @req with the NVMe status of @err, 0 or a negative errno. */
static inline void nvmet_backend_complete_errno(struct nvmet_req *req,
						int err)
{
	nvmet_req_complete(req, nvmet_errno_to_status(req, err));
}

#endif /* _NVMET_BACKENDS_H */
