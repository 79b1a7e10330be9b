// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block device backend ("bdev"): a namespace on a block device, opened
 * read-write and shared (not exclusively), as in-tree.
 *
 * I/O: reads, writes and flushes are submitted as bios straight from the
 * fabric's execute context and complete in their end_io (any context,
 * hard IRQ included); Write Zeroes and deallocation wait for the device,
 * so they run synchronously in a work item on the namespace's own work
 * queue.  A read or write whose data buffer the device cannot take as it
 * is (nvmet_bdev_sg_fits()) goes through a bounce buffer of whole pages.
 * On a device with T10 PI, while NVMET_BF_PI is on, reads and writes
 * carry an integrity payload of the target's (bdev_pi.c).
 *
 * Conventions:
 * @ns: a namespace; its lock is held in open, close and revalidate
 * @req: an I/O command on an enabled bdev namespace; no lock held
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/part_stat.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <nvmet/compat-blk.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "backends.h"

static struct file *nvmet_bdev_file(struct nvmet_ns *ns)
{
	return ns->backend_priv;
}

static int nvmet_bdev_open(struct nvmet_ns *ns)
{
	struct block_device *bdev;
	struct file *f;

	lockdep_assert_held(&ns->lock);
	if (!ns->device_path)
		return -EINVAL;
	f = nvmet_bdev_file_open(ns->device_path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (nvmet_backend_wq_alloc(ns)) {
		fput(f);
		return -ENOMEM;
	}
	bdev = file_bdev(f);
	ns->size = bdev_nr_bytes(bdev);
	ns->blksize_shift = blksize_bits(bdev_logical_block_size(bdev));
	if (!bdev_max_discard_sectors(bdev))
		ns->features &= ~NVMET_BF_DEALLOCATE;
	if (!bdev_write_cache(bdev))
		ns->features &= ~NVMET_BF_VWC;
	if (bdev_is_zoned(bdev))
		nvmet_bdev_zns_open(ns, bdev);
	nvmet_bdev_pi_open(ns, bdev);
	ns->backend_priv = f;
	return 0;
}

static void nvmet_bdev_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	nvmet_backend_wq_free(ns);
	fput(nvmet_bdev_file(ns));
}

static int nvmet_bdev_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = bdev_nr_bytes(file_bdev(nvmet_bdev_file(ns)));
	return 0;
}

static struct block_device *nvmet_bdev_of(struct nvmet_req *req)
{
	return file_bdev(nvmet_bdev_file(req->ns));
}

/**
 * nvmet_bdev_status() - the NVMe status of a bio of @req that ended
 * @req: the request
 * @sts: how its bio ended
 *
 * Context: Any context.
 * Return: the status, error_loc and error_slba set where it has them.
 */
u16 nvmet_bdev_status(struct nvmet_req *req, blk_status_t sts)
{
	bool has_lba = req->cmd->common.opcode != nvme_cmd_flush;

	switch (sts) {
	case BLK_STS_OK:
		return NVME_SC_SUCCESS;
	case BLK_STS_NOSPC:
		return NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR;
	case BLK_STS_TARGET:
		if (has_lba) {
			req->error_loc = offsetof(struct nvme_rw_command, slba);
			req->error_slba = le64_to_cpu(req->cmd->rw.slba);
		}
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	case BLK_STS_NOTSUPP:
		req->error_loc = offsetof(struct nvme_common_command, opcode);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	case BLK_STS_MEDIUM:
	case BLK_STS_PROTECTION:
		if (has_lba)
			req->error_slba = le64_to_cpu(req->cmd->rw.slba);
		return NVME_SC_ACCESS_DENIED;
	default:
		return NVME_SC_INTERNAL | NVME_STATUS_DNR;
	}
}

/* end_io of the last bio of a read, write or flush: any context. */
static void nvmet_bdev_bio_done(struct bio *bio)
{
	struct nvmet_req *req = bio->bi_private;
	u16 status = nvmet_bdev_status(req, bio->bi_status);

	bio_put(bio);
	nvmet_req_complete(req, status);
}

static blk_opf_t nvmet_bdev_rw_opf(struct nvmet_req *req)
{
	blk_opf_t opf;

	if (!nvme_is_write(req->cmd) &&
	    req->cmd->common.opcode != nvme_cmd_write_zeroes)
		return REQ_OP_READ;
	opf = REQ_OP_WRITE | REQ_SYNC | REQ_IDLE;
	if (req->cmd->rw.control & cpu_to_le16(NVME_RW_FUA))
		opf |= REQ_FUA;
	return opf;
}

/* Submit @bio, with its part of @pi's PI if there is one. */
static void nvmet_bdev_submit_bio(struct bio *bio, struct nvmet_bdev_pi *pi)
{
	if (pi && nvmet_bdev_pi_attach(pi, bio)) {
		bio->bi_status = BLK_STS_RESOURCE;
		bio_endio(bio);
		return;
	}
	submit_bio(bio);
}

/**
 * nvmet_bdev_submit_sg() - read or write a data buffer of a request
 * @req: the request
 * @sgl: the buffer
 * @nents: its entries
 * @len: its bytes
 * @end_io: the end_io of the whole
 * @private: its bi_private
 * @pi: the request's PI (bdev_pi.c), or NULL for none
 *
 * Maps @sgl onto a chain of bios and submits them.  The first bio is the
 * parent of the chain: its end_io, @end_io with @private, runs once every
 * bio has ended, with the first error any of them saw.
 *
 * Context: Process context.
 */
void nvmet_bdev_submit_sg(struct nvmet_req *req, struct scatterlist *sgl,
			  unsigned int nents, u32 len, bio_end_io_t *end_io,
			  void *private, struct nvmet_bdev_pi *pi)
{
	struct block_device *bdev = nvmet_bdev_of(req);
	blk_opf_t opf = nvmet_bdev_rw_opf(req);
	struct scatterlist *sg;
	struct blk_plug plug;
	struct bio *bio;
	int i;

	bio = bio_alloc(bdev, bio_max_segs(nents), opf, GFP_KERNEL);
	bio->bi_iter.bi_sector = nvmet_req_pos(req) >> SECTOR_SHIFT;
	bio->bi_private = private;
	bio->bi_end_io = end_io;

	blk_start_plug(&plug);
	for_each_sg(sgl, sg, nents, i) {
		u32 n = min(sg->length, len);

		if (!n)
			break;
		if (bio_add_page(bio, sg_page(sg), n, sg->offset) != n) {
			struct bio *prev = bio;

			bio = bio_alloc(bdev, bio_max_segs(nents - i), opf,
					GFP_KERNEL);
			bio->bi_iter.bi_sector = bio_end_sector(prev);
			bio_chain(bio, prev);
			nvmet_bdev_submit_bio(prev, pi);
			__bio_add_page(bio, sg_page(sg), n, sg->offset);
		}
		len -= n;
	}
	nvmet_bdev_submit_bio(bio, pi);
	blk_finish_plug(&plug);
}

/**
 * nvmet_bdev_sg_aligned() - may a data buffer go to a device as it is?
 * @sgl: the buffer
 * @nents: its entries
 * @len: its bytes (the entries may hold more)
 * @off_mask: the device's DMA alignment (bdev_dma_alignment())
 * @len_mask: its logical block size less one
 *
 * Each segment must start at the device's DMA alignment and be whole
 * logical blocks long, what blkdev_direct_IO() asks of a user's buffer.
 * A fabric's own buffer (sgl_alloc(): whole pages) always is; a host's
 * buffer that nvme-loop hands over as it is may not be: a 512-byte
 * O_DIRECT read into a buffer that crosses a page boundary is two 256-byte
 * segments (the host's queue asks only 4-byte alignment), and null_blk,
 * for one, then reads the first half of the block twice.
 *
 * Context: Any context.
 * Return: true if every segment is aligned.
 */
bool nvmet_bdev_sg_aligned(struct scatterlist *sgl, unsigned int nents,
			   u32 len, unsigned int off_mask,
			   unsigned int len_mask)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		u32 n = min(sg->length, len);

		if (!n)
			break;
		if ((sg->offset & off_mask) || (n & len_mask))
			return false;
		len -= n;
	}
	return true;
}

static bool nvmet_bdev_sg_fits(struct nvmet_req *req,
			       struct block_device *bdev)
{
	return nvmet_bdev_sg_aligned(req->sg, req->sg_cnt, req->data_len,
				     bdev_dma_alignment(bdev),
				     bdev_logical_block_size(bdev) - 1);
}

/**
 * nvmet_bdev_sg_copy() - copy between two scatterlists
 * @dst: the destination
 * @dst_nents: its entries
 * @src: the source
 * @src_nents: its entries
 * @len: bytes to copy, from the start of each
 *
 * Linear in the entries of both: each source segment goes to the
 * destination from the entry the previous one ended in, not from the
 * first (sg_pcopy_from_buffer() walks from where it is given).  The
 * destination's mapping nests inside the source's, as atomic kmaps must.
 *
 * Context: Any context.
 */
void nvmet_bdev_sg_copy(struct scatterlist *dst, unsigned int dst_nents,
			struct scatterlist *src, unsigned int src_nents,
			size_t len)
{
	struct sg_mapping_iter m;
	size_t off = 0, skip = 0;

	sg_miter_start(&m, src, src_nents, SG_MITER_ATOMIC | SG_MITER_FROM_SG);
	while (off < len && sg_miter_next(&m)) {
		size_t n = min(m.length, len - off);

		/* dst: the entry @off falls in, @skip bytes into it */
		while (dst_nents && skip >= dst->length) {
			skip -= dst->length;
			dst = sg_next(dst);
			dst_nents--;
		}
		if (!dst_nents)
			break;
		sg_pcopy_from_buffer(dst, dst_nents, m.addr, n, skip);
		skip += n;
		off += n;
	}
	sg_miter_stop(&m);
}

/* A read or write through a bounce buffer (nvmet_bdev_sg_fits()). */
struct nvmet_bdev_bounce {
	struct nvmet_req	*req;
	struct scatterlist	*sg;
	unsigned int		nents;
};

/* end_io of the last bio of a bounced read or write: any context. */
static void nvmet_bdev_bounce_done(struct bio *bio)
{
	struct nvmet_bdev_bounce *b = bio->bi_private;
	struct nvmet_req *req = b->req;
	u16 status = nvmet_bdev_status(req, bio->bi_status);

	bio_put(bio);
	if (!status && !nvme_is_write(req->cmd))
		nvmet_bdev_sg_copy(req->sg, req->sg_cnt, b->sg, b->nents,
				   req->data_len);
	sgl_free(b->sg);
	kfree(b);
	nvmet_req_complete(req, status);
}

static void nvmet_bdev_submit_bounce(struct nvmet_req *req)
{
	struct nvmet_bdev_bounce *b;

	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		goto nomem;
	b->sg = sgl_alloc(req->data_len, GFP_KERNEL | __GFP_NOWARN, &b->nents);
	if (!b->sg) {
		kfree(b);
		goto nomem;
	}
	b->req = req;
	if (nvme_is_write(req->cmd))
		nvmet_bdev_sg_copy(b->sg, b->nents, req->sg, req->sg_cnt,
				   req->data_len);
	nvmet_bdev_submit_sg(req, b->sg, b->nents, req->data_len,
			     nvmet_bdev_bounce_done, b, NULL);
	return;
nomem:
	nvmet_req_complete(req, NVME_SC_INTERNAL);
}

static void nvmet_bdev_submit_rw(struct nvmet_req *req)
{
	u32 left = req->data_len;
	bool fits;

	if (unlikely(!req->sg_cnt || !left)) {
		nvmet_req_complete(req, left ? NVME_SC_INTERNAL |
				   NVME_STATUS_DNR : NVME_SC_SUCCESS);
		return;
	}
	fits = nvmet_bdev_sg_fits(req, nvmet_bdev_of(req));
	if ((READ_ONCE(req->ns->features) & NVMET_BF_PI) ||
	    nvmet_bdev_pi_ext(req)) {
		nvmet_bdev_pi_rw(req, !fits);
		return;
	}
	if (unlikely(!fits)) {
		nvmet_bdev_submit_bounce(req);
		return;
	}
	nvmet_bdev_submit_sg(req, req->sg, req->sg_cnt, left,
			     nvmet_bdev_bio_done, req, NULL);
}

static void nvmet_bdev_flush(struct nvmet_req *req)
{
	struct bio *bio;

	bio = bio_alloc(nvmet_bdev_of(req), 0, REQ_OP_WRITE | REQ_PREFLUSH,
			GFP_KERNEL);
	bio->bi_private = req;
	bio->bi_end_io = nvmet_bdev_bio_done;
	submit_bio(bio);
}

static void nvmet_bdev_write_zeroes_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_write_zeroes_cmd *cmd = &req->cmd->write_zeroes;
	unsigned int shift = req->ns->blksize_shift - SECTOR_SHIFT;
	sector_t sector = le64_to_cpu(cmd->slba) << shift;
	sector_t nr_sects = ((sector_t)le16_to_cpu(cmd->length) + 1) << shift;
	int ret;

	/* not REQ_OP_WRITE_ZEROES: it leaves a SCSI disk's old PI */
	if (READ_ONCE(req->ns->features) & NVMET_BF_PI) {
		nvmet_bdev_pi_write_zeroes(req);
		return;
	}
	ret = blkdev_issue_zeroout(nvmet_bdev_of(req), sector, nr_sects,
				   GFP_KERNEL, 0);
	if (ret)
		req->error_slba = le64_to_cpu(cmd->slba);
	nvmet_backend_complete_errno(req, ret);
}

static void nvmet_bdev_write_zeroes(struct nvmet_req *req)
{
	nvmet_backend_defer(req, nvmet_bdev_write_zeroes_work);
}

/* Discard one range; a device that cannot discard is no error, as in-tree. */
static u16 nvmet_bdev_discard(struct nvmet_req *req,
			      const struct nvme_dsm_range *range)
{
	struct block_device *bdev = nvmet_bdev_of(req);
	unsigned int shift = req->ns->blksize_shift - SECTOR_SHIFT;
	u64 slba = le64_to_cpu(range->slba);
	u32 nlb = le32_to_cpu(range->nlb);
	u16 status;
	int ret;

	status = nvmet_backend_check_range(req, slba, nlb, bdev_nr_bytes(bdev));
	if (status || !nlb)
		return status;
	ret = blkdev_issue_discard(bdev, slba << shift, (sector_t)nlb << shift,
				   GFP_KERNEL);
	if (!ret || ret == -EOPNOTSUPP)
		return NVME_SC_SUCCESS;
	req->error_slba = slba;
	return nvmet_errno_to_status(req, ret);
}

static void nvmet_bdev_dsm_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_dsm_range *ranges;
	unsigned int nr, i;
	u16 status;

	status = nvmet_backend_get_dsm_ranges(req, &ranges, &nr);
	if (status)
		goto out;
	for (i = 0; i < nr && !status; i++)
		status = nvmet_bdev_discard(req, &ranges[i]);
	kfree(ranges);
out:
	nvmet_req_complete(req, status);
}

static void nvmet_bdev_dsm(struct nvmet_req *req)
{
	nvmet_backend_defer(req, nvmet_bdev_dsm_work);
}

/* The block layer's own counters of the device, as in-tree reports them. */
static void nvmet_bdev_media_info(struct nvmet_ns *ns,
				  struct nvmet_media_info *info)
{
	struct block_device *bdev = file_bdev(nvmet_bdev_file(ns));

	info->rotational = bdev_rot(bdev);
	info->read_cmds = part_stat_read(bdev, ios[STAT_READ]);
	info->write_cmds = part_stat_read(bdev, ios[STAT_WRITE]);
	info->read_sectors = part_stat_read(bdev, sectors[STAT_READ]);
	info->write_sectors = part_stat_read(bdev, sectors[STAT_WRITE]);
}

/*
 * The queue limits in-tree reports: a physical block is written whole
 * (the host's physical_block_size), io_min and io_opt are the preferred
 * and optimal writes, and the discard granularity is the deallocation's.
 * What a discarded block reads as the block layer does not say.
 */
static void nvmet_bdev_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	struct block_device *bdev = file_bdev(nvmet_bdev_file(ns));

	lim->atomic_write = bdev_physical_block_size(bdev);
	lim->write_granularity = bdev_io_min(bdev);
	lim->dealloc_granularity = bdev_discard_granularity(bdev);
	lim->optimal_write = bdev_io_opt(bdev);
}

static const struct nvmet_backend_ops nvmet_bdev_backend_ops = {
	.name		= "bdev",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC | NVMET_BF_PI,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_PI,
	.open		= nvmet_bdev_open,
	.close		= nvmet_bdev_close,
	.revalidate	= nvmet_bdev_revalidate,
	.rw		= nvmet_bdev_submit_rw,
	.flush		= nvmet_bdev_flush,
	.write_zeroes	= nvmet_bdev_write_zeroes,
	.dsm		= nvmet_bdev_dsm,
	.limits		= nvmet_bdev_limits,
	.media_info	= nvmet_bdev_media_info,
	.report_zones	= nvmet_bdev_report_zones,
	.zone_mgmt	= nvmet_bdev_zone_mgmt,
	.zone_append	= nvmet_bdev_zone_append,
};

/**
 * nvmet_bdev_backend_init() - register the block device backend
 *
 * Context: Process context, from the init of nvmet.ko.
 * Return: 0, or the errno of nvmet_register_backend().
 */
int nvmet_bdev_backend_init(void)
{
	return nvmet_register_backend(&nvmet_bdev_backend_ops);
}

/**
 * nvmet_bdev_backend_exit() - unregister the block device backend
 *
 * Context: Process context, from the exit of nvmet.ko.
 */
void nvmet_bdev_backend_exit(void)
{
	nvmet_unregister_backend(&nvmet_bdev_backend_ops);
}
