// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BLKDEV_ZONE_MGMT_NOGFP: blkdev_zone_mgmt() takes no gfp_t (6.9 and
 * later; 6.1 passes a gfp_t as its last argument)
 */
#include <linux/blkdev.h>

int nvmet_probe(struct block_device *bdev);
int nvmet_probe(struct block_device *bdev)
{
	return blkdev_zone_mgmt(bdev, REQ_OP_ZONE_RESET, 0, 0);
}
