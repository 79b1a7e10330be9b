// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BDEV_ROT: bdev_rot(), whether a block device is rotational (7.x;
 * 6.1 and 6.12 have its negation, bdev_nonrot())
 */
#include <linux/blkdev.h>

bool nvmet_probe(struct block_device *bdev);
bool nvmet_probe(struct block_device *bdev)
{
	return bdev_rot(bdev);
}
