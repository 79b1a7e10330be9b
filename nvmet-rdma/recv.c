// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive buffers: the command of a capsule, then one page per PAGE_SIZE
 * of in-capsule data, and the receive work request that posts them.  A
 * queue without a shared receive queue owns one per command slot (cmd.c),
 * an SRQ its own (srq.c).  Buffers are DMA-mapped once, for the life of
 * their owner, and posted on the owner: the queue's QP or the SRQ.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "nvmet-rdma.h"

/**
 * nvmet_rdma_recv_free() - unmap and free a receive buffer
 * @recv: the buffer, not posted; may be partly set up
 *
 * Context: Process context.
 */
void nvmet_rdma_recv_free(struct nvmet_rdma_recv *recv)
{
	unsigned int i;

	for (i = 0; i < recv->nr_inline; i++) {
		ib_dma_unmap_page(recv->ibdev, recv->sge[1 + i].addr,
				  PAGE_SIZE, DMA_FROM_DEVICE);
		__free_page(recv->inline_pages[i]);
	}
	recv->nr_inline = 0;
	if (recv->sqe) {
		ib_dma_unmap_single(recv->ibdev, recv->sqe_dma,
				    sizeof(*recv->sqe), DMA_FROM_DEVICE);
		kfree(recv->sqe);
		recv->sqe = NULL;
	}
}

static int nvmet_rdma_recv_alloc_inline(struct nvmet_rdma_recv *recv,
					u32 lkey, u32 inline_size)
{
	unsigned int i, nr = DIV_ROUND_UP(inline_size, PAGE_SIZE);
	struct ib_sge *sge;
	u64 dma;

	for (i = 0; i < nr; i++) {
		recv->inline_pages[i] = alloc_page(GFP_KERNEL);
		if (!recv->inline_pages[i])
			return -ENOMEM;
		dma = ib_dma_map_page(recv->ibdev, recv->inline_pages[i], 0,
				      PAGE_SIZE, DMA_FROM_DEVICE);
		if (ib_dma_mapping_error(recv->ibdev, dma)) {
			__free_page(recv->inline_pages[i]);
			return -ENOMEM;
		}
		sge = &recv->sge[1 + i];
		sge->addr = dma;
		sge->length = PAGE_SIZE;
		sge->lkey = lkey;
		recv->nr_inline = i + 1;
	}
	return 0;
}

/**
 * nvmet_rdma_recv_init() - allocate and map a receive buffer
 * @recv: the buffer, zeroed; its owner sets @recv->qp or @recv->srq
 * @ndev: the device to map it for
 * @inline_size: bytes of in-capsule data it takes
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM; on failure the caller nvmet_rdma_recv_free()s it.
 */
int nvmet_rdma_recv_init(struct nvmet_rdma_recv *recv,
			 struct nvmet_rdma_device *ndev, u32 inline_size)
{
	u32 lkey = ndev->pd->local_dma_lkey;
	struct ib_device *ibdev = ndev->ibdev;
	u64 dma;

	recv->ibdev = ibdev;
	INIT_LIST_HEAD(&recv->backlog_entry);
	recv->sqe = kmalloc(sizeof(*recv->sqe), GFP_KERNEL);
	if (!recv->sqe)
		return -ENOMEM;
	dma = ib_dma_map_single(ibdev, recv->sqe, sizeof(*recv->sqe),
				DMA_FROM_DEVICE);
	if (ib_dma_mapping_error(ibdev, dma)) {
		kfree(recv->sqe);
		recv->sqe = NULL;
		return -ENOMEM;
	}
	recv->sqe_dma = dma;
	if (nvmet_rdma_recv_alloc_inline(recv, lkey, inline_size))
		return -ENOMEM;
	recv->sge[0].addr = recv->sqe_dma;
	recv->sge[0].length = sizeof(*recv->sqe);
	recv->sge[0].lkey = lkey;
	recv->cqe.done = nvmet_rdma_recv_done;
	recv->wr.wr_cqe = &recv->cqe;
	recv->wr.sg_list = recv->sge;
	recv->wr.num_sge = 1 + recv->nr_inline;
	return 0;
}

/**
 * nvmet_rdma_post_recv() - post a receive buffer on its QP or SRQ
 * @recv: the buffer, free
 *
 * Context: Any context.
 * Return: 0 or the -errno of ib_post_recv() or ib_post_srq_recv().
 */
int nvmet_rdma_post_recv(struct nvmet_rdma_recv *recv)
{
	unsigned int i;

	ib_dma_sync_single_for_device(recv->ibdev, recv->sqe_dma,
				      sizeof(*recv->sqe), DMA_FROM_DEVICE);
	for (i = 0; i < recv->nr_inline; i++)
		ib_dma_sync_single_for_device(recv->ibdev, recv->sge[1 + i].addr,
					      PAGE_SIZE, DMA_FROM_DEVICE);
	if (recv->srq)
		return ib_post_srq_recv(recv->srq->srq, &recv->wr, NULL);
	return ib_post_recv(recv->qp, &recv->wr, NULL);
}
