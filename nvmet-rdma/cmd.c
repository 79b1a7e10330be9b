// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command slots: the receive buffers of command capsules (the command,
 * then one page per PAGE_SIZE of in-capsule data), the response capsule
 * and the prepared work requests of each slot.  Buffers are DMA-mapped
 * once, for the life of the queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "nvmet-rdma.h"

static void nvmet_rdma_free_cmd(struct nvmet_rdma_queue *queue,
				struct nvmet_rdma_cmd *cmd)
{
	struct ib_device *ibdev = queue->ndev->ibdev;
	unsigned int i;

	if (cmd->rw_wrs)
		rdma_rw_ctx_destroy(&cmd->rw, queue->qp, queue->cm_id->port_num,
				    cmd->req.sg, cmd->req.sg_cnt, cmd->rw_dir);
	if (cmd->req.sg && !cmd->inline_data)
		nvmet_req_free_sgl(&cmd->req);
	for (i = 0; i < cmd->nr_inline; i++) {
		ib_dma_unmap_page(ibdev, cmd->recv_sge[1 + i].addr, PAGE_SIZE,
				  DMA_FROM_DEVICE);
		__free_page(cmd->inline_pages[i]);
	}
	if (cmd->cqe) {
		ib_dma_unmap_single(ibdev, cmd->cqe_dma, sizeof(*cmd->cqe),
				    DMA_TO_DEVICE);
		kfree(cmd->cqe);
	}
	if (cmd->sqe) {
		ib_dma_unmap_single(ibdev, cmd->sqe_dma, sizeof(*cmd->sqe),
				    DMA_FROM_DEVICE);
		kfree(cmd->sqe);
	}
}

/* Allocate and map @size bytes; NULL on failure. */
static void *nvmet_rdma_alloc_mapped(struct ib_device *ibdev, size_t size,
				     enum dma_data_direction dir, u64 *dma)
{
	void *buf = kmalloc(size, GFP_KERNEL);

	if (!buf)
		return NULL;
	*dma = ib_dma_map_single(ibdev, buf, size, dir);
	if (ib_dma_mapping_error(ibdev, *dma)) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

static int nvmet_rdma_alloc_inline(struct nvmet_rdma_queue *queue,
				   struct nvmet_rdma_cmd *cmd)
{
	struct ib_device *ibdev = queue->ndev->ibdev;
	unsigned int i, nr = DIV_ROUND_UP(queue->inline_max, PAGE_SIZE);
	struct ib_sge *sge;
	u64 dma;

	sg_init_table(cmd->inline_sg, NVMET_RDMA_MAX_INLINE_PAGES);
	for (i = 0; i < nr; i++) {
		cmd->inline_pages[i] = alloc_page(GFP_KERNEL);
		if (!cmd->inline_pages[i])
			return -ENOMEM;
		dma = ib_dma_map_page(ibdev, cmd->inline_pages[i], 0,
				      PAGE_SIZE, DMA_FROM_DEVICE);
		if (ib_dma_mapping_error(ibdev, dma)) {
			__free_page(cmd->inline_pages[i]);
			return -ENOMEM;
		}
		sge = &cmd->recv_sge[1 + i];
		sge->addr = dma;
		sge->length = PAGE_SIZE;
		sge->lkey = queue->ndev->pd->local_dma_lkey;
		cmd->nr_inline = i + 1;
	}
	return 0;
}

static void nvmet_rdma_init_wrs(struct nvmet_rdma_queue *queue,
				struct nvmet_rdma_cmd *cmd)
{
	u32 lkey = queue->ndev->pd->local_dma_lkey;

	cmd->recv_sge[0].addr = cmd->sqe_dma;
	cmd->recv_sge[0].length = sizeof(*cmd->sqe);
	cmd->recv_sge[0].lkey = lkey;
	cmd->recv_cqe.done = nvmet_rdma_recv_done;
	cmd->recv_wr.wr_cqe = &cmd->recv_cqe;
	cmd->recv_wr.sg_list = cmd->recv_sge;
	cmd->recv_wr.num_sge = 1 + cmd->nr_inline;

	cmd->send_sge.addr = cmd->cqe_dma;
	cmd->send_sge.length = sizeof(*cmd->cqe);
	cmd->send_sge.lkey = lkey;
	cmd->send_cqe.done = nvmet_rdma_send_done;
	cmd->send_wr.wr_cqe = &cmd->send_cqe;
	cmd->send_wr.sg_list = &cmd->send_sge;
	cmd->send_wr.num_sge = 1;
	cmd->send_wr.opcode = IB_WR_SEND;
	cmd->send_wr.send_flags = IB_SEND_SIGNALED;
	cmd->read_cqe.done = nvmet_rdma_read_done;
}

static int nvmet_rdma_init_cmd(struct nvmet_rdma_queue *queue,
			       struct nvmet_rdma_cmd *cmd)
{
	struct ib_device *ibdev = queue->ndev->ibdev;

	cmd->queue = queue;
	INIT_LIST_HEAD(&cmd->wait_entry);
	cmd->sqe = nvmet_rdma_alloc_mapped(ibdev, sizeof(*cmd->sqe),
					   DMA_FROM_DEVICE, &cmd->sqe_dma);
	if (!cmd->sqe)
		return -ENOMEM;
	cmd->cqe = nvmet_rdma_alloc_mapped(ibdev, sizeof(*cmd->cqe),
					   DMA_TO_DEVICE, &cmd->cqe_dma);
	if (!cmd->cqe)
		return -ENOMEM;
	if (nvmet_rdma_alloc_inline(queue, cmd))
		return -ENOMEM;
	nvmet_rdma_init_wrs(queue, cmd);
	cmd->req.cmd = cmd->sqe;
	cmd->req.cqe = cmd->cqe;
	cmd->req.fabric_priv = cmd;
	return 0;
}

/**
 * nvmet_rdma_alloc_cmds() - allocate the command slots of a queue
 * @queue: the queue, with its nr_cmds, inline_max, device and QP set
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int nvmet_rdma_alloc_cmds(struct nvmet_rdma_queue *queue)
{
	unsigned int i;

	queue->cmds = kvcalloc(queue->nr_cmds, sizeof(*queue->cmds),
			       GFP_KERNEL);
	if (!queue->cmds)
		return -ENOMEM;
	for (i = 0; i < queue->nr_cmds; i++) {
		if (nvmet_rdma_init_cmd(queue, &queue->cmds[i])) {
			nvmet_rdma_free_cmds(queue);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * nvmet_rdma_free_cmds() - free the command slots of a queue
 * @queue: the queue; no work request of it is posted any more
 *
 * Context: Process context.
 */
void nvmet_rdma_free_cmds(struct nvmet_rdma_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->nr_cmds; i++)
		nvmet_rdma_free_cmd(queue, &queue->cmds[i]);
	kvfree(queue->cmds);
	queue->cmds = NULL;
}

/**
 * nvmet_rdma_post_recv() - post a slot's receive buffers
 * @cmd: the slot, free
 *
 * Context: Any context.
 * Return: 0 or the -errno of ib_post_recv().
 */
int nvmet_rdma_post_recv(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	struct ib_device *ibdev = queue->ndev->ibdev;
	unsigned int i;

	ib_dma_sync_single_for_device(ibdev, cmd->sqe_dma, sizeof(*cmd->sqe),
				      DMA_FROM_DEVICE);
	for (i = 0; i < cmd->nr_inline; i++)
		ib_dma_sync_single_for_device(ibdev, cmd->recv_sge[1 + i].addr,
					      PAGE_SIZE, DMA_FROM_DEVICE);
	return ib_post_recv(queue->qp, &cmd->recv_wr, NULL);
}

/**
 * nvmet_rdma_post_all_recvs() - post the receive buffers of a new queue
 * @queue: the queue, not yet accepted
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_rdma_post_all_recvs(struct nvmet_rdma_queue *queue)
{
	unsigned int i;
	int ret;

	for (i = 0; i < queue->nr_cmds; i++) {
		ret = nvmet_rdma_post_recv(&queue->cmds[i]);
		if (ret) {
			nvmet_rdma_err(queue, "cannot post a receive: %d\n",
				       ret);
			return ret;
		}
	}
	return 0;
}
