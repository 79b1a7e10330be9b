// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_FILE_BDEV: file_bdev(), the block device of a struct file (not in 6.1)
 */
#include <linux/blkdev.h>

struct block_device *nvmet_probe(struct file *f);
struct block_device *nvmet_probe(struct file *f)
{
	return file_bdev(f);
}
