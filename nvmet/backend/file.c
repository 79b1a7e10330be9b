// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file backend ("file"): a namespace on a regular file, with direct
 * I/O unless the namespace asks for buffered I/O, as in-tree.
 *
 * I/O: a read or write of a file in memory (tmpfs, shmem) is a copy that
 * never waits for a device: it runs at once in the fabric's context, as
 * in-tree runs all direct I/O.  Any other is first tried there with
 * IOCB_NOWAIT, when the file system honours it (FMODE_NOWAIT): a direct
 * one is then submitted asynchronously and completes in ki_complete (any
 * context), a buffered one that hits the page cache completes at once.
 * Whatever would have to wait (-EAGAIN, now or from ki_complete; a file
 * system that refuses IOCB_NOWAIT; a short transfer) is done again, whole,
 * without it, from a work item on the namespace's own work queue, where
 * file I/O may sleep and the fabric's context must not.  Flush, Write
 * Zeroes and deallocation always run there, synchronously.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in open, close and revalidate
 * @req: an I/O command on an enabled file namespace; no lock held
 */
#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "backends.h"

static struct file *nvmet_file_file(struct nvmet_ns *ns)
{
	return ns->backend_priv;
}

static int nvmet_file_open(struct nvmet_ns *ns)
{
	int flags = O_RDWR | O_LARGEFILE;
	struct file *f;

	lockdep_assert_held(&ns->lock);
	if (!ns->device_path)
		return -EINVAL;
	if (!ns->buffered_io)
		flags |= O_DIRECT;
	f = filp_open(ns->device_path, flags, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!f->f_op->read_iter || !f->f_op->write_iter) {
		filp_close(f, NULL);
		return -EINVAL;
	}
	/*
	 * Writes anywhere would fail: zones are the bdev backend's.  The
	 * block device's inode is the mapping's host, not the node's.
	 */
	if (S_ISBLK(file_inode(f)->i_mode) &&
	    bdev_is_zoned(I_BDEV(f->f_mapping->host))) {
		pr_err("nvmet: namespace %u: %s is zoned: the file backend cannot export it\n",
		       ns->nsid, ns->device_path);
		filp_close(f, NULL);
		return -EINVAL;
	}
	if (nvmet_backend_wq_alloc(ns)) {
		filp_close(f, NULL);
		return -ENOMEM;
	}
	ns->size = i_size_read(file_inode(f));
	/* Block size of the file system, at most 4 KiB. */
	ns->blksize_shift = min_t(u8, file_inode(f)->i_blkbits, 12);
	ns->backend_priv = f;
	return 0;
}

static void nvmet_file_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	nvmet_backend_wq_free(ns);
	filp_close(nvmet_file_file(ns), NULL);
}

static int nvmet_file_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = i_size_read(file_inode(nvmet_file_file(ns)));
	return 0;
}

static void nvmet_file_rw_work(struct work_struct *work);

/*
 * Whether an IOCB_NOWAIT attempt that ended with @ret is to be done again
 * from the work queue: it would have waited, the file system does not do
 * IOCB_NOWAIT for this I/O, or it moved only part of the data.
 */
static bool nvmet_file_nowait_retry(struct nvmet_req *req, long ret)
{
	if (!(req->f.iocb.ki_flags & IOCB_NOWAIT))
		return false;
	return ret == -EAGAIN || ret == -EOPNOTSUPP ||
	       (ret >= 0 && ret < (long)req->data_len);
}

/* The end of a read or write that moved @ret bytes or failed: any context. */
static void nvmet_file_rw_done(struct nvmet_req *req, long ret)
{
	u16 status;

	if (req->f.iocb.ki_flags & IOCB_WRITE)
		kiocb_end_write(&req->f.iocb);
	if (nvmet_file_nowait_retry(req, ret)) {
		/* Again, whole, where waiting is allowed; req->f.bvec stays. */
		nvmet_backend_defer(req, nvmet_file_rw_work);
		return;
	}
	kfree(req->f.bvec);
	req->f.bvec = NULL;
	req->f.nr_bvec = 0;

	if (ret == (long)req->data_len) {
		status = NVME_SC_SUCCESS;
	} else {
		req->error_slba = le64_to_cpu(req->cmd->rw.slba);
		if (ret < 0)
			status = nvmet_errno_to_status(req, ret);
		else
			status = NVME_SC_INTERNAL | NVME_STATUS_DNR;
	}
	nvmet_req_complete(req, status);
}

static void nvmet_file_ki_complete(struct kiocb *iocb, long ret)
{
	nvmet_file_rw_done(container_of(iocb, struct nvmet_req, f.iocb), ret);
}

/* Point req->f.bvec at the pages of req->sg, one bio_vec per entry. */
static int nvmet_file_map_sg(struct nvmet_req *req)
{
	struct scatterlist *sg;
	int i;

	req->f.bvec = kmalloc_array(req->sg_cnt, sizeof(*req->f.bvec),
				    GFP_KERNEL | __GFP_NOWARN);
	if (!req->f.bvec)
		return -ENOMEM;
	for_each_sg(req->sg, sg, req->sg_cnt, i)
		bvec_set_page(&req->f.bvec[i], sg_page(sg), sg->length,
			      sg->offset);
	req->f.nr_bvec = req->sg_cnt;
	return 0;
}

/*
 * Read or write req->f.bvec through the file's iter methods, with
 * @kiocb_flags (0 or IOCB_NOWAIT) added.  On an O_DIRECT file the kiocb is
 * asynchronous: -EIOCBQUEUED means ki_complete will run later; any other
 * value is the result, and ki_complete will not run.
 */
static void nvmet_file_submit_rw(struct nvmet_req *req, int kiocb_flags)
{
	struct file *file = nvmet_file_file(req->ns);
	bool write = nvme_is_write(req->cmd);
	struct kiocb *iocb = &req->f.iocb;
	struct iov_iter iter;
	ssize_t ret;

	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, req->f.bvec,
		      req->f.nr_bvec, req->data_len);

	init_sync_kiocb(iocb, file);
	iocb->ki_pos = nvmet_req_pos(req);
	iocb->ki_flags |= kiocb_flags;
	if (iocb->ki_flags & IOCB_DIRECT)
		iocb->ki_complete = nvmet_file_ki_complete;
	if (write) {
		iocb->ki_flags |= IOCB_WRITE;
		if (req->cmd->rw.control & cpu_to_le16(NVME_RW_FUA))
			iocb->ki_flags |= IOCB_DSYNC;
		kiocb_start_write(iocb);
		ret = file->f_op->write_iter(iocb, &iter);
	} else {
		ret = file->f_op->read_iter(iocb, &iter);
	}
	if (ret != -EIOCBQUEUED)
		nvmet_file_rw_done(req, ret);
}

static void nvmet_file_rw_work(struct work_struct *work)
{
	nvmet_file_submit_rw(container_of(work, struct nvmet_req, work), 0);
}

static void nvmet_file_rw(struct nvmet_req *req)
{
	struct file *file = nvmet_file_file(req->ns);

	req->f.bvec = NULL;
	if (unlikely(!req->sg_cnt || !req->data_len)) {
		nvmet_req_complete(req, req->data_len ? NVME_SC_INTERNAL |
				   NVME_STATUS_DNR : NVME_SC_SUCCESS);
		return;
	}
	if (nvmet_file_map_sg(req)) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	if (shmem_mapping(file->f_mapping))
		nvmet_file_submit_rw(req, 0);
	else if (file->f_mode & FMODE_NOWAIT)
		nvmet_file_submit_rw(req, IOCB_NOWAIT);
	else
		nvmet_backend_defer(req, nvmet_file_rw_work);
}

static void nvmet_file_flush_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);

	nvmet_backend_complete_errno(req,
				     vfs_fsync(nvmet_file_file(req->ns), 1));
}

static void nvmet_file_flush(struct nvmet_req *req)
{
	nvmet_backend_defer(req, nvmet_file_flush_work);
}

/*
 * Apply fallocate @mode to @nlb blocks from @slba, which must lie inside
 * the file as it is now.
 */
static u16 nvmet_file_fallocate(struct nvmet_req *req, int mode, u64 slba,
				u64 nlb)
{
	struct file *file = nvmet_file_file(req->ns);
	u8 shift = req->ns->blksize_shift;
	u16 status;
	int ret;

	status = nvmet_backend_check_range(req, slba, nlb,
					   i_size_read(file_inode(file)));
	if (status || !nlb)
		return status;
	ret = vfs_fallocate(file, mode | FALLOC_FL_KEEP_SIZE, slba << shift,
			    nlb << shift);
	if (!ret)
		return NVME_SC_SUCCESS;
	req->error_slba = slba;
	return nvmet_errno_to_status(req, ret);
}

static void nvmet_file_write_zeroes_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_write_zeroes_cmd *cmd = &req->cmd->write_zeroes;

	nvmet_req_complete(req, nvmet_file_fallocate(req, FALLOC_FL_ZERO_RANGE,
						     le64_to_cpu(cmd->slba),
						     le16_to_cpu(cmd->length) + 1ULL));
}

static void nvmet_file_write_zeroes(struct nvmet_req *req)
{
	nvmet_backend_defer(req, nvmet_file_write_zeroes_work);
}

static void nvmet_file_dsm_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);
	struct nvme_dsm_range *ranges;
	unsigned int nr, i;
	u16 status;

	status = nvmet_backend_get_dsm_ranges(req, &ranges, &nr);
	if (status)
		goto out;
	for (i = 0; i < nr && !status; i++)
		status = nvmet_file_fallocate(req, FALLOC_FL_PUNCH_HOLE,
					      le64_to_cpu(ranges[i].slba),
					      le32_to_cpu(ranges[i].nlb));
	kfree(ranges);
out:
	nvmet_req_complete(req, status);
}

static void nvmet_file_dsm(struct nvmet_req *req)
{
	nvmet_backend_defer(req, nvmet_file_dsm_work);
}

/*
 * Copy (NVMET_BF_COPY) between files of this backend through the file
 * system: copy_file_range() reflinks where it can (XFS, btrfs) and
 * otherwise copies inside the kernel.  What it cannot do (-EOPNOTSUPP,
 * -EXDEV, -EINVAL, or nothing copied) the core does again whole through
 * rw(), which is safe: the ranges do not overlap.  Runs in a work item.
 */
static int nvmet_file_copy(struct nvmet_req *req, struct nvmet_ns *dst,
			   loff_t dpos, struct nvmet_ns *src, loff_t spos,
			   u64 len, bool fua)
{
	struct file *out = nvmet_file_file(dst);
	loff_t start = dpos;
	ssize_t n;

	if (src->backend != dst->backend)
		return -EOPNOTSUPP;
	while (len) {
		n = vfs_copy_file_range(nvmet_file_file(src), spos, out, dpos,
					len, 0);
		if (!n || n == -EOPNOTSUPP || n == -EXDEV || n == -EINVAL)
			return -EOPNOTSUPP;
		if (n < 0)
			return n;
		spos += n;
		dpos += n;
		len -= n;
	}
	return fua ? vfs_fsync_range(out, start, dpos - 1, 1) : 0;
}

/*
 * The file system's block: a smaller write reads, modifies and writes
 * it back, and a hole is punched in whole blocks (less is zeroed, not
 * freed).  A punched hole reads as zeroes.  No atomicity is promised
 * beyond one logical block, as in-tree, which reports nothing for files.
 */
static void nvmet_file_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	u32 fs_block = 1U << file_inode(nvmet_file_file(ns))->i_blkbits;

	lim->write_granularity = fs_block;
	lim->dealloc_granularity = fs_block;
	lim->dealloc_zeroes = true;
}

static const struct nvmet_backend_ops nvmet_file_backend_ops = {
	.name		= "file",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE,
	.open		= nvmet_file_open,
	.close		= nvmet_file_close,
	.revalidate	= nvmet_file_revalidate,
	.rw		= nvmet_file_rw,
	.flush		= nvmet_file_flush,
	.write_zeroes	= nvmet_file_write_zeroes,
	.copy		= nvmet_file_copy,
	.dsm		= nvmet_file_dsm,
	.limits		= nvmet_file_limits,
};

/**
 * nvmet_file_backend_init() - register the file backend
 *
 * Context: Process context, from the init of nvmet.ko.
 * Return: 0, or the errno of nvmet_register_backend().
 */
int nvmet_file_backend_init(void)
{
	return nvmet_register_backend(&nvmet_file_backend_ops);
}

/**
 * nvmet_file_backend_exit() - unregister the file backend
 *
 * Context: Process context, from the exit of nvmet.ko.
 */
void nvmet_file_backend_exit(void)
{
	nvmet_unregister_backend(&nvmet_file_backend_ops);
}
