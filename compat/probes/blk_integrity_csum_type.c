// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BLK_INTEGRITY_CSUM_TYPE: struct blk_integrity says its checksum in
 * csum_type and where the PI sits in pi_offset (6.12, 7.x); 6.1 points at
 * a named profile instead, whose PI is always first
 */
#include <linux/blkdev.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>

static_assert(__same_type(((struct blk_integrity *)NULL)->csum_type,
			  enum blk_integrity_checksum));
static_assert(sizeof(((struct blk_integrity *)NULL)->pi_offset) == 1);
