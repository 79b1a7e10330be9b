/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, block devices.  See include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_BLK_H
#define _NVMET_COMPAT_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>

#include <nvmet/compat.h>

/**
 * nvmet_bdev_file_open() - open a block device read-write, shared
 * @path: the device's path
 *
 * Not exclusively: the holder is NULL, as in-tree.  Kernels that cannot
 * open a block device as a file with bdev_file_open_by_path() open the
 * device node with filp_open(), which reaches the same block device.
 *
 * Context: process context; may sleep.
 * Return: the open file, which fput() closes; ERR_PTR(-ENOTBLK) if @path is
 * not a block device, or another ERR_PTR() from the open.
 */
static inline struct file *nvmet_bdev_file_open(const char *path)
{
#ifdef HAVE_BDEV_FILE_OPEN_BY_PATH
	return bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				      NULL, NULL);
#else
	struct file *f = filp_open(path, O_RDWR | O_LARGEFILE, 0);

	if (!IS_ERR(f) && !S_ISBLK(file_inode(f)->i_mode)) {
		fput(f);
		return ERR_PTR(-ENOTBLK);
	}
	return f;
#endif
}

#ifndef HAVE_FILE_BDEV
/* The block device of a file nvmet_bdev_file_open() opened. */
static inline struct block_device *file_bdev(struct file *f)
{
	return I_BDEV(f->f_mapping->host);
}
#endif

#ifndef HAVE_BDEV_ROT
/* Whether @bdev is rotational: kernels before 7.x ask the other way round. */
static inline bool bdev_rot(struct block_device *bdev)
{
	return !bdev_nonrot(bdev);
}
#endif

/* The type of the NUMA node blk_mq_ops.init_request() gets. */
#ifdef HAVE_BLK_MQ_INIT_REQUEST_INT_NODE
#define nvmet_numa_node_t	int
#else
#define nvmet_numa_node_t	unsigned int
#endif

/* blk_rq_map_sg() of @rq into @sgl. Return: the entries used. */
static inline int nvmet_blk_rq_map_sg(struct request *rq,
				      struct scatterlist *sgl)
{
#ifdef HAVE_BLK_RQ_MAP_SG_RQ
	return blk_rq_map_sg(rq, sgl);
#else
	return blk_rq_map_sg(rq->q, rq, sgl);
#endif
}

#ifdef CONFIG_BLK_DEV_ZONED
/**
 * nvmet_blkdev_zone_mgmt() - blkdev_zone_mgmt() on every kernel
 * @bdev: the zoned block device
 * @op: REQ_OP_ZONE_OPEN, _CLOSE, _FINISH or _RESET
 * @sector: the first sector, zone aligned
 * @nr_sectors: how many, whole zones
 *
 * Context: Process context; waits for the device.
 * Return: 0 or -errno.
 */
static inline int nvmet_blkdev_zone_mgmt(struct block_device *bdev,
					 enum req_op op, sector_t sector,
					 sector_t nr_sectors)
{
#ifdef HAVE_BLKDEV_ZONE_MGMT_NOGFP
	return blkdev_zone_mgmt(bdev, op, sector, nr_sectors);
#else
	return blkdev_zone_mgmt(bdev, op, sector, nr_sectors, GFP_KERNEL);
#endif
}
#endif

/**
 * nvmet_bio_add_append_page() - add a page to a Zone Append bio
 * @bio: the bio (REQ_OP_ZONE_APPEND)
 * @page: the page
 * @len: bytes of it
 * @off: from this offset
 *
 * Return: @len if added, else less.
 */
static inline int nvmet_bio_add_append_page(struct bio *bio,
					    struct page *page,
					    unsigned int len, unsigned int off)
{
#ifdef HAVE_BIO_ADD_ZONE_APPEND_PAGE
	return bio_add_zone_append_page(bio, page, len, off);
#else
	return bio_add_page(bio, page, len, off);
#endif
}

#endif /* _NVMET_COMPAT_BLK_H */
