// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BDEV_FILE_OPEN_BY_PATH: a block device opened as a struct file, with
 * blk_mode_t flags and holder operations (not in 6.1)
 */
#include <linux/blkdev.h>

struct file *nvmet_probe(const char *path);
struct file *nvmet_probe(const char *path)
{
	return bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				      NULL, NULL);
}
