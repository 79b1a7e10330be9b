// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_RQ_END_IO_BATCH: a request's end_io callback takes the completion
 * batch as a third argument (7.x); before, only the request and its
 * blk_status_t
 */
#include <linux/blk-mq.h>

static enum rq_end_io_ret nvmet_probe_end_io(struct request *rq,
					     blk_status_t err,
					     const struct io_comp_batch *iob)
{
	return RQ_END_IO_NONE;
}

void nvmet_probe(struct request *rq);
void nvmet_probe(struct request *rq)
{
	rq->end_io = nvmet_probe_end_io;
}
