// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bdev backend's zone hooks: a zoned block device's geometry at open,
 * its zone report, zone management and Zone Append, for the core's ZNS
 * command set (nvmet/target/zns.c).  Built only where the kernel has
 * zoned block devices (CONFIG_BLK_DEV_ZONED).
 *
 * Conventions:
 * @ns: a namespace on a zoned block device, opened by the bdev backend
 * @req: a Zone Append on such a namespace; no lock held
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <nvmet/compat-blk.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "backends.h"

static struct block_device *nvmet_bdev_zns_bdev(struct nvmet_ns *ns)
{
	return file_bdev(ns->backend_priv);
}

/**
 * nvmet_bdev_zns_open() - make a bdev namespace on a zoned device zoned
 * @ns: the namespace being opened, ns->lock held
 * @bdev: its zoned block device
 *
 * Sets ns->csi and the zone geometry; the core checks what ZNS can
 * describe (nvmet_zns_ns_check()).  A Zone Append is limited to what the
 * device takes at once and to one bio of page-sized segments, rounded
 * down to the power of two ZASL can say.
 *
 * Context: Process context.
 */
void nvmet_bdev_zns_open(struct nvmet_ns *ns, struct block_device *bdev)
{
	u64 append = min_t(u64, (u64)bdev_max_zone_append_sectors(bdev) <<
			   SECTOR_SHIFT,
			   (u64)bdev_max_segments(bdev) << PAGE_SHIFT);

	lockdep_assert_held(&ns->lock);
	ns->csi = NVME_CSI_ZNS;
	ns->zoned.zone_size = (u64)bdev_zone_sectors(bdev) << SECTOR_SHIFT;
	ns->zoned.max_open = bdev_max_open_zones(bdev);
	ns->zoned.max_active = bdev_max_active_zones(bdev);
	ns->zoned.max_append = append ?
		rounddown_pow_of_two(min_t(u64, append, SZ_1G)) : 0;
	/* Its zones are reset, not discarded; zeroes only at a pointer. */
	ns->features &= ~NVMET_BF_DEALLOCATE;
}

/**
 * nvmet_bdev_report_zones() - the backend's report_zones()
 * @ns: the namespace
 * @pos: a byte in the first zone to report
 * @nr_zones: at most this many
 * @cb: called for each
 * @data: its argument
 *
 * Context: Process context; waits for the device.
 * Return: the zones reported, or -errno (@cb's included).
 */
int nvmet_bdev_report_zones(struct nvmet_ns *ns, u64 pos,
			    unsigned int nr_zones, nvmet_report_zones_cb cb,
			    void *data)
{
	return blkdev_report_zones(nvmet_bdev_zns_bdev(ns), pos >> SECTOR_SHIFT,
				   nr_zones, cb, data);
}

/**
 * nvmet_bdev_zone_mgmt() - the backend's zone_mgmt()
 * @ns: the namespace
 * @zsa: NVME_ZONE_OPEN, _CLOSE, _FINISH or _RESET
 * @pos: the first zone's first byte
 * @len: bytes of whole zones
 *
 * Context: Process context; waits for the device.
 * Return: 0, -EINVAL or -EIO for a zone in a state the action cannot
 * leave, or another -errno.
 */
int nvmet_bdev_zone_mgmt(struct nvmet_ns *ns, u8 zsa, u64 pos, u64 len)
{
	enum req_op op;

	switch (zsa) {
	case NVME_ZONE_OPEN:
		op = REQ_OP_ZONE_OPEN;
		break;
	case NVME_ZONE_CLOSE:
		op = REQ_OP_ZONE_CLOSE;
		break;
	case NVME_ZONE_FINISH:
		op = REQ_OP_ZONE_FINISH;
		break;
	case NVME_ZONE_RESET:
		op = REQ_OP_ZONE_RESET;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return nvmet_blkdev_zone_mgmt(nvmet_bdev_zns_bdev(ns), op,
				      pos >> SECTOR_SHIFT, len >> SECTOR_SHIFT);
}

/* end_io of a Zone Append: the LBA it landed at goes in the CQE. */
static void nvmet_bdev_zns_append_done(struct bio *bio)
{
	struct nvmet_req *req = bio->bi_private;
	u16 status = nvmet_bdev_status(req, bio->bi_status);

	if (!status)
		req->cqe->result.u64 = cpu_to_le64(((u64)bio->bi_iter.bi_sector
						    << SECTOR_SHIFT) >>
						   req->ns->blksize_shift);
	bio_put(bio);
	nvmet_req_complete(req, status);
}

/* One bio, never split: the core bounded the length by max_append. */
static void nvmet_bdev_zns_submit(struct nvmet_req *req)
{
	struct scatterlist *sgl = req->sg;
	unsigned int nents = req->sg_cnt;
	struct block_device *bdev = nvmet_bdev_zns_bdev(req->ns);
	blk_opf_t opf = REQ_OP_ZONE_APPEND | REQ_SYNC | REQ_IDLE;
	u32 left = req->data_len;
	struct scatterlist *sg;
	struct bio *bio;
	int i;

	if (req->cmd->rw.control & cpu_to_le16(NVME_RW_FUA))
		opf |= REQ_FUA;
	bio = bio_alloc(bdev, bio_max_segs(nents), opf, GFP_KERNEL);
	bio->bi_iter.bi_sector = nvmet_req_pos(req) >> SECTOR_SHIFT;
	bio->bi_private = req;
	bio->bi_end_io = nvmet_bdev_zns_append_done;
	for_each_sg(sgl, sg, nents, i) {
		u32 n = min(sg->length, left);

		if (!n)
			break;
		if (nvmet_bio_add_append_page(bio, sg_page(sg), n,
					      sg->offset) != n) {
			bio_put(bio);
			nvmet_req_complete(req, NVME_SC_INTERNAL);
			return;
		}
		left -= n;
	}
	submit_bio(bio);
}

/**
 * nvmet_bdev_zone_append() - the backend's zone_append()
 * @req: the Zone Append, its length checked against max_append
 *
 * Context: Process context, as the backend's rw().
 */
void nvmet_bdev_zone_append(struct nvmet_req *req)
{
	struct block_device *bdev = nvmet_bdev_zns_bdev(req->ns);

	if (unlikely(!req->sg_cnt || !req->data_len)) {
		nvmet_req_complete(req, NVME_SC_INTERNAL | NVME_STATUS_DNR);
		return;
	}
	if (unlikely(!nvmet_bdev_sg_aligned(req->sg, req->sg_cnt,
					    req->data_len,
					    bdev_dma_alignment(bdev),
					    bdev_logical_block_size(bdev) - 1))) {
		/*
		 * Only nvme-loop hands over such a buffer (a host's own); it
		 * is refused rather than bounced: one bio must carry it.
		 */
		req->error_loc = offsetof(struct nvme_common_command, dptr);
		nvmet_req_complete(req, NVME_SC_INTERNAL | NVME_STATUS_DNR);
		return;
	}
	nvmet_bdev_zns_submit(req);
}
