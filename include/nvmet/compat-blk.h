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

#endif /* _NVMET_COMPAT_BLK_H */
