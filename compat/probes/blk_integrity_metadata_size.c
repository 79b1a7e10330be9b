// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BLK_INTEGRITY_METADATA_SIZE: struct blk_integrity's bytes of
 * metadata per interval are metadata_size (7.x); before, tuple_size
 */
#include <linux/blkdev.h>
#include <linux/build_bug.h>

static_assert(sizeof(((struct blk_integrity *)NULL)->metadata_size) == 1);
