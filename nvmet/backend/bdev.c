// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block device backend ("bdev"): a namespace on a block device, opened
 * read-write and shared (not exclusively), as in-tree.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in every callback
 */
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/module.h>

#include <nvmet/ns.h>
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
	f = bdev_file_open_by_path(ns->device_path,
				   BLK_OPEN_READ | BLK_OPEN_WRITE, NULL, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	bdev = file_bdev(f);
	ns->size = bdev_nr_bytes(bdev);
	ns->blksize_shift = blksize_bits(bdev_logical_block_size(bdev));
	if (!bdev_max_discard_sectors(bdev))
		ns->features &= ~NVMET_BF_DEALLOCATE;
	if (!bdev_write_cache(bdev))
		ns->features &= ~NVMET_BF_VWC;
	ns->backend_priv = f;
	return 0;
}

static void nvmet_bdev_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	fput(nvmet_bdev_file(ns));
}

static int nvmet_bdev_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = bdev_nr_bytes(file_bdev(nvmet_bdev_file(ns)));
	return 0;
}

static const struct nvmet_backend_ops nvmet_bdev_backend_ops = {
	.name		= "bdev",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE,
	.open		= nvmet_bdev_open,
	.close		= nvmet_bdev_close,
	.revalidate	= nvmet_bdev_revalidate,
};

int nvmet_bdev_backend_init(void)
{
	return nvmet_register_backend(&nvmet_bdev_backend_ops);
}

void nvmet_bdev_backend_exit(void)
{
	nvmet_unregister_backend(&nvmet_bdev_backend_ops);
}
