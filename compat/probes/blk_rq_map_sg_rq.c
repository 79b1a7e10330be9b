// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BLK_RQ_MAP_SG_RQ: blk_rq_map_sg(rq, sglist) (7.x); before, it took
 * the request queue as well
 */
#include <linux/blk-mq.h>

int nvmet_probe(struct request *rq, struct scatterlist *sgl);
int nvmet_probe(struct request *rq, struct scatterlist *sgl)
{
	return blk_rq_map_sg(rq, sgl);
}
