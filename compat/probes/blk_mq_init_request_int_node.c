// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BLK_MQ_INIT_REQUEST_INT_NODE: blk_mq_ops.init_request() takes the
 * NUMA node as an int (7.x); before, as an unsigned int
 */
#include <linux/blk-mq.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>

static_assert(__same_type(((struct blk_mq_ops *)NULL)->init_request,
			  int (*)(struct blk_mq_tag_set *, struct request *,
				  unsigned int, int)));
