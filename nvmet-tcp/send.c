// SPDX-License-Identifier: GPL-2.0-only
/*
 * The send state machine: ICResp, R2T, C2H Data and response capsules.
 *
 * The core hands completed commands over with queue_response(), from any
 * context, through the lock-free queue->resp_list.  io_work moves them in
 * completion order onto queue->send_list, behind the R2Ts the receive path
 * queued there, and sends one command at a time: for a successful read its
 * C2H Data PDU (a single one, LAST_PDU set) then the response capsule.
 * Once the response is out the command's data is freed and its slot reused.
 *
 * Every send is non-blocking; a short send leaves the command where it is
 * and sk_write_space() kicks io_work when the socket has room again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <linux/nvme.h>
#include <linux/uio.h>

#include "nvmet-tcp.h"

static void nvmet_tcp_set_stage(struct nvmet_tcp_cmd *cmd,
				enum nvmet_tcp_send_stage stage)
{
	cmd->snd_stage = stage;
	cmd->snd_off = 0;
}

/**
 * nvmet_tcp_queue_icresp() - answer the ICReq just received
 * @queue: the queue; hdr_digest and data_digest hold the negotiation
 *
 * Context: io_work.
 */
void nvmet_tcp_queue_icresp(struct nvmet_tcp_queue *queue)
{
	struct nvme_tcp_icresp_pdu *icresp = &queue->icresp;

	memset(icresp, 0, sizeof(*icresp));
	icresp->hdr.type = nvme_tcp_icresp;
	icresp->hdr.hlen = sizeof(*icresp);
	icresp->hdr.plen = cpu_to_le32(sizeof(*icresp));
	icresp->pfv = cpu_to_le16(NVME_TCP_PFV_1_0);
	icresp->cpda = 0;
	if (queue->hdr_digest)
		icresp->digest |= NVME_TCP_HDR_DIGEST_ENABLE;
	if (queue->data_digest)
		icresp->digest |= NVME_TCP_DATA_DIGEST_ENABLE;
	icresp->maxdata = cpu_to_le32(NVMET_TCP_MAXH2CDATA);
	queue->icresp_off = 0;
	queue->icresp_len = sizeof(*icresp);
}

/* Fill the common header of a PDU we send that has no data. */
static void nvmet_tcp_set_hdr(struct nvmet_tcp_queue *queue,
			      struct nvme_tcp_hdr *hdr, u8 type, u8 hlen)
{
	hdr->type = type;
	hdr->flags = queue->hdr_digest ? NVME_TCP_F_HDGST : 0;
	hdr->hlen = hlen;
	hdr->pdo = 0;
	hdr->plen = cpu_to_le32(hlen + nvmet_tcp_hdgst_len(queue));
}

/**
 * nvmet_tcp_queue_r2t() - ask the host for the data of a write
 * @cmd: the command, NEED_DATA, with its scatterlist allocated
 *
 * One R2T covers all the data still missing; the host splits it into H2C
 * Data PDUs of at most NVMET_TCP_MAXH2CDATA bytes.
 *
 * Context: io_work.
 */
void nvmet_tcp_queue_r2t(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_tcp_queue *queue = cmd->queue;
	struct nvme_tcp_r2t_pdu *r2t = &cmd->xfer.r2t;

	memset(&cmd->xfer, 0, sizeof(cmd->xfer));
	nvmet_tcp_set_hdr(queue, &r2t->hdr, nvme_tcp_r2t, sizeof(*r2t));
	r2t->command_id = cmd->sqe.common.command_id;
	r2t->ttag = cmd->idx;
	r2t->r2t_offset = cpu_to_le32(cmd->rbytes);
	r2t->r2t_length = cpu_to_le32(cmd->req.transfer_len - cmd->rbytes);
	if (queue->hdr_digest)
		cmd->xfer.hdgst = nvmet_tcp_digest(r2t, sizeof(*r2t));
	nvmet_tcp_set_stage(cmd, NVMET_TCP_SEND_R2T);
	list_add_tail(&cmd->entry, &queue->send_list);
	nvmet_tcp_wait_data(cmd);
}

static bool nvmet_tcp_need_data_out(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_req *req = &cmd->req;

	return !nvme_is_write(req->cmd) && req->transfer_len && req->sg &&
	       !(le16_to_cpu(req->cqe->status) >> 1);
}

static void nvmet_tcp_prep_c2h(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_tcp_queue *queue = cmd->queue;
	struct nvme_tcp_data_pdu *pdu = &cmd->xfer.data;
	u8 hdgst = nvmet_tcp_hdgst_len(queue);
	u8 ddgst = nvmet_tcp_ddgst_len(queue);
	u32 len = cmd->req.transfer_len;

	memset(&cmd->xfer, 0, sizeof(cmd->xfer));
	pdu->hdr.type = nvme_tcp_c2h_data;
	pdu->hdr.flags = NVME_TCP_F_DATA_LAST;
	if (hdgst)
		pdu->hdr.flags |= NVME_TCP_F_HDGST;
	if (ddgst)
		pdu->hdr.flags |= NVME_TCP_F_DDGST;
	pdu->hdr.hlen = sizeof(*pdu);
	pdu->hdr.pdo = sizeof(*pdu) + hdgst;
	pdu->hdr.plen = cpu_to_le32(sizeof(*pdu) + hdgst + len + ddgst);
	pdu->command_id = cmd->sqe.common.command_id;
	pdu->data_offset = 0;
	pdu->data_length = cpu_to_le32(len);
	if (hdgst)
		cmd->xfer.hdgst = nvmet_tcp_digest(pdu, sizeof(*pdu));
	if (ddgst)
		cmd->ddgst = nvmet_tcp_sg_digest(&cmd->req, 0, len);
	nvmet_tcp_cursor_init(&cmd->snd_cur, cmd->req.sg, 0);
	cmd->snd_left = len;
	nvmet_tcp_set_stage(cmd, NVMET_TCP_SEND_DATA_PDU);
}

/* A command the core completed: decide what to send for it. */
static void nvmet_tcp_prep_response(struct nvmet_tcp_cmd *cmd)
{
	struct nvmet_tcp_queue *queue = cmd->queue;
	struct nvme_tcp_rsp_pdu *rsp = &cmd->rsp.pdu;

	cmd->state = NVMET_TCP_CMD_RESPOND;
	nvmet_tcp_set_hdr(queue, &rsp->hdr, nvme_tcp_rsp, sizeof(*rsp));
	if (queue->hdr_digest)
		cmd->rsp.hdgst = nvmet_tcp_digest(rsp, sizeof(*rsp));
	if (nvmet_tcp_need_data_out(cmd))
		nvmet_tcp_prep_c2h(cmd);
	else
		nvmet_tcp_set_stage(cmd, NVMET_TCP_SEND_RSP);
	list_add_tail(&cmd->entry, &queue->send_list);
}

static struct nvmet_tcp_cmd *nvmet_tcp_next_cmd(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_cmd *cmd, *tmp;
	struct llist_node *node;

	if (list_empty(&queue->send_list)) {
		node = llist_reverse_order(llist_del_all(&queue->resp_list));
		llist_for_each_entry_safe(cmd, tmp, node, resp_node)
			nvmet_tcp_prep_response(cmd);
	}
	cmd = list_first_entry_or_null(&queue->send_list, struct nvmet_tcp_cmd,
				       entry);
	if (cmd)
		list_del_init(&cmd->entry);
	return cmd;
}

/* Send what is left of @len bytes at @buf, *off of them sent already. */
static int nvmet_tcp_send_buf(struct nvmet_tcp_queue *queue, const void *buf,
			      u32 len, u32 *off, bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};
	struct kvec iov = {
		.iov_base = (void *)buf + *off,
		.iov_len = len - *off,
	};
	int ret;

	ret = kernel_sendmsg(queue->sock, &msg, &iov, 1, iov.iov_len);
	if (ret <= 0)
		return ret ? ret : -EAGAIN;
	*off += ret;
	return ret;
}

static int nvmet_tcp_send_data(struct nvmet_tcp_queue *queue,
			       struct nvmet_tcp_cmd *cmd)
{
	struct bio_vec bvec[NVMET_TCP_MAX_BVEC];
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL |
					   MSG_MORE };
	unsigned int nr;
	bool splice;
	size_t len;
	int ret;

	nr = nvmet_tcp_cursor_map(&cmd->snd_cur, cmd->snd_left, bvec, &len,
				  &splice);
	if (WARN_ON_ONCE(!nr))
		return -EIO;
	if (splice)
		msg.msg_flags |= MSG_SPLICE_PAGES;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, nr, len);
	ret = sock_sendmsg(queue->sock, &msg);
	if (ret <= 0)
		return ret ? ret : -EAGAIN;
	nvmet_tcp_cursor_advance(&cmd->snd_cur, ret);
	cmd->snd_left -= ret;
	return ret;
}

/* The response is out: free the data and the slot. */
static void nvmet_tcp_cmd_done(struct nvmet_tcp_queue *queue,
			       struct nvmet_tcp_cmd *cmd)
{
	queue->snd_cmd = NULL;
	if (cmd->req.sg)
		nvmet_req_free_sgl(&cmd->req);
	cmd->req.sg = NULL;
	cmd->req.sg_cnt = 0;
	nvmet_tcp_put_cmd(cmd);
	/* The first response after Connect succeeded: Connect's own. */
	if (unlikely(test_bit(NVMET_TCP_QF_PENDING, &queue->flags)) &&
	    READ_ONCE(queue->nvme_sq.ctrl))
		nvmet_tcp_queue_connected(queue);
}

/* One send of the current command; moves it on when a stage is done. */
static int nvmet_tcp_send_step(struct nvmet_tcp_queue *queue,
			       struct nvmet_tcp_cmd *cmd)
{
	u32 hlen = sizeof(struct nvme_tcp_data_pdu) + nvmet_tcp_hdgst_len(queue);
	int ret;

	switch (cmd->snd_stage) {
	case NVMET_TCP_SEND_R2T:
		ret = nvmet_tcp_send_buf(queue, &cmd->xfer, hlen, &cmd->snd_off,
					 false);
		if (ret > 0 && cmd->snd_off == hlen) {
			cmd->r2t_sent = true;
			queue->snd_cmd = NULL;
		}
		return ret;
	case NVMET_TCP_SEND_DATA_PDU:
		ret = nvmet_tcp_send_buf(queue, &cmd->xfer, hlen, &cmd->snd_off,
					 true);
		if (ret > 0 && cmd->snd_off == hlen)
			nvmet_tcp_set_stage(cmd, NVMET_TCP_SEND_DATA);
		return ret;
	case NVMET_TCP_SEND_DATA:
		ret = nvmet_tcp_send_data(queue, cmd);
		if (ret > 0 && !cmd->snd_left)
			nvmet_tcp_set_stage(cmd, queue->data_digest ?
					    NVMET_TCP_SEND_DDGST :
					    NVMET_TCP_SEND_RSP);
		return ret;
	case NVMET_TCP_SEND_DDGST:
		ret = nvmet_tcp_send_buf(queue, &cmd->ddgst,
					 NVME_TCP_DIGEST_LENGTH, &cmd->snd_off,
					 true);
		if (ret > 0 && cmd->snd_off == NVME_TCP_DIGEST_LENGTH)
			nvmet_tcp_set_stage(cmd, NVMET_TCP_SEND_RSP);
		return ret;
	default:
		hlen = sizeof(struct nvme_tcp_rsp_pdu) +
		       nvmet_tcp_hdgst_len(queue);
		ret = nvmet_tcp_send_buf(queue, &cmd->rsp, hlen, &cmd->snd_off,
					 false);
		if (ret > 0 && cmd->snd_off == hlen)
			nvmet_tcp_cmd_done(queue, cmd);
		return ret;
	}
}

/**
 * nvmet_tcp_try_send() - send what the queue has to send
 * @queue: the queue
 * @budget: most sends to make
 *
 * Context: io_work.
 * Return: the sends made (0 when nothing is left or the socket is full),
 * or a -errno that must close the queue.
 */
int nvmet_tcp_try_send(struct nvmet_tcp_queue *queue, int budget)
{
	int ret, done = 0;

	while (done < budget) {
		if (queue->icresp_len) {
			ret = nvmet_tcp_send_buf(queue, &queue->icresp,
						 queue->icresp_len,
						 &queue->icresp_off, false);
			if (ret > 0 && queue->icresp_off == queue->icresp_len)
				queue->icresp_len = 0;
		} else {
			if (!queue->snd_cmd)
				queue->snd_cmd = nvmet_tcp_next_cmd(queue);
			if (!queue->snd_cmd)
				break;
			ret = nvmet_tcp_send_step(queue, queue->snd_cmd);
		}
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		done++;
	}
	return done;
}

/**
 * nvmet_tcp_queue_response() - the core completed a command of ours
 * @req: the request, its cqe filled
 *
 * Context: Any context, even hard or soft interrupt; never sleeps.
 */
void nvmet_tcp_queue_response(struct nvmet_req *req)
{
	struct nvmet_tcp_cmd *cmd = container_of(req, struct nvmet_tcp_cmd, req);
	struct nvmet_tcp_queue *queue = cmd->queue;

	llist_add(&cmd->resp_node, &queue->resp_list);
	nvmet_tcp_kick(queue);
}
