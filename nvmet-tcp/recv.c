// SPDX-License-Identifier: GPL-2.0-only
/*
 * The receive state machine: PDU headers, in-capsule and H2C data, digests.
 *
 * Each step reads what the socket has for the current stage without
 * blocking and returns the bytes it consumed, -EAGAIN when the socket is
 * empty, or another -errno that closes the queue.  A malformed PDU is
 * reported here, once, with -EPROTO; the peer closing is -ECONNRESET.
 *
 * Runs in io_work only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <linux/nvme.h>
#include <linux/uio.h>

#include <nvmet/compat-lib.h>

#include "nvmet-tcp.h"

/* SGL descriptor of in-capsule data (NVMe/TCP 1.0, 3.3.4). */
#define NVMET_TCP_SGL_INCAPSULE \
	((NVME_SGL_FMT_DATA_DESC << 4) | NVME_SGL_FMT_OFFSET)
/* SGL descriptor of data the controller fetches with R2T. */
#define NVMET_TCP_SGL_TRANSPORT \
	((NVME_TRANSPORT_SGL_DATA_DESC << 4) | NVME_SGL_FMT_TRANSPORT_A)

static void nvmet_tcp_recv_next_pdu(struct nvmet_tcp_queue *queue)
{
	queue->rcv_stage = NVMET_TCP_RECV_HDR;
	queue->rcv_off = 0;
	queue->rcv_want = sizeof(struct nvme_tcp_hdr);
	queue->rcv_cmd = NULL;
}

/**
 * nvmet_tcp_recv_init() - get a new queue ready for its ICReq
 * @queue: the queue, not yet published
 *
 * Context: Process context.
 */
void nvmet_tcp_recv_init(struct nvmet_tcp_queue *queue)
{
	nvmet_tcp_recv_next_pdu(queue);
}

/*
 * Receive into @msg's iterator without blocking.  On a TLS queue kTLS
 * needs room for the record type, which must be data (tls.c); @buf is
 * where the bytes land when that is a kernel buffer, for an alert's
 * fields.  Return: the bytes received, -EAGAIN, or a -errno that closes
 * the queue (-ECONNRESET when the host closed).
 */
static int nvmet_tcp_recvmsg(struct nvmet_tcp_queue *queue,
			     struct msghdr *msg, const u8 *buf)
{
	char cbuf[CMSG_LEN(sizeof(u8))] __aligned(sizeof(size_t));
	int ret, err;

	if (queue->tls) {
		memset(cbuf, 0, sizeof(cbuf));
		msg->msg_control = cbuf;
		msg->msg_controllen = sizeof(cbuf);
	}
	ret = sock_recvmsg(queue->sock, msg, MSG_DONTWAIT);
	if (ret <= 0)
		return ret ? ret : -ECONNRESET;
	if (queue->tls) {
		err = nvmet_tcp_tls_record(queue, (struct cmsghdr *)cbuf, buf,
					   ret);
		if (err)
			return err;
	}
	return ret;
}

static int nvmet_tcp_recv_buf(struct nvmet_tcp_queue *queue, void *buf,
			      size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, len);
	return nvmet_tcp_recvmsg(queue, &msg, buf);
}

/* The header of a PDU type and whether a header digest follows it. */
static int nvmet_tcp_pdu_hlen(struct nvmet_tcp_queue *queue, u8 type,
			      bool *digest)
{
	bool live = READ_ONCE(queue->state) == NVMET_TCP_Q_LIVE;

	*digest = queue->hdr_digest;
	switch (type) {
	case nvme_tcp_icreq:
		*digest = false;
		return live ? -1 : sizeof(struct nvme_tcp_icreq_pdu);
	case nvme_tcp_h2c_term:
		*digest = false;
		return sizeof(struct nvme_tcp_term_pdu);
	case nvme_tcp_cmd:
		return live ? sizeof(struct nvme_tcp_cmd_pdu) : -1;
	case nvme_tcp_h2c_data:
		return live ? sizeof(struct nvme_tcp_data_pdu) : -1;
	default:
		return -1;
	}
}

/* Check the common header and size the rest of the header. */
static int nvmet_tcp_check_hdr(struct nvmet_tcp_queue *queue)
{
	struct nvme_tcp_hdr *hdr = &queue->rbuf.hdr;
	u32 plen = le32_to_cpu(hdr->plen);
	bool digest;
	int hlen;

	hlen = nvmet_tcp_pdu_hlen(queue, hdr->type, &digest);
	if (hlen < 0) {
		nvmet_tcp_err(queue, "unexpected PDU type %#x\n", hdr->type);
		return -EPROTO;
	}
	if (hdr->hlen != hlen) {
		nvmet_tcp_err(queue, "PDU type %#x with hlen %u, expected %d\n",
			      hdr->type, hdr->hlen, hlen);
		return -EPROTO;
	}
	if (hdr->type != nvme_tcp_h2c_term &&
	    hdr->type != nvme_tcp_icreq &&
	    !!(hdr->flags & NVME_TCP_F_HDGST) != digest) {
		nvmet_tcp_err(queue, "PDU type %#x: header digest flag %s negotiation\n",
			      hdr->type, digest ? "missing despite" : "set despite no");
		return -EPROTO;
	}
	if (digest)
		hlen += NVME_TCP_DIGEST_LENGTH;
	if (plen < hlen || (hdr->type == nvme_tcp_icreq && plen != hlen)) {
		nvmet_tcp_err(queue, "PDU type %#x with plen %u, hlen %d\n",
			      hdr->type, plen, hlen);
		return -EPROTO;
	}
	queue->rcv_want = hlen;
	return 0;
}

static int nvmet_tcp_check_hdgst(struct nvmet_tcp_queue *queue)
{
	u8 hlen = queue->rbuf.hdr.hlen;
	__le32 exp, got;

	if (queue->rcv_want == hlen)
		return 0;
	exp = nvmet_tcp_digest(queue->rbuf.raw, hlen);
	got = cpu_to_le32(get_unaligned_le32(queue->rbuf.raw + hlen));
	if (exp != got) {
		nvmet_tcp_err(queue, "header digest error: got %#x, expected %#x (PDU type %#x)\n",
			      le32_to_cpu(got), le32_to_cpu(exp),
			      queue->rbuf.hdr.type);
		return -EPROTO;
	}
	return 0;
}

/*
 * The data of the PDU whose header is in rbuf: its length in *len (0 when
 * there is none); sets rcv_pad.
 */
static int nvmet_tcp_pdu_data_len(struct nvmet_tcp_queue *queue, u32 *len)
{
	struct nvme_tcp_hdr *hdr = &queue->rbuf.hdr;
	u32 plen = le32_to_cpu(hdr->plen);
	u32 hdr_end = queue->rcv_want;
	u32 ddgst = nvmet_tcp_ddgst_len(queue);

	*len = 0;
	queue->rcv_pad = 0;
	if (plen == hdr_end)
		return 0;
	if (!!(hdr->flags & NVME_TCP_F_DDGST) != queue->data_digest) {
		nvmet_tcp_err(queue, "PDU type %#x: data digest flag does not match negotiation\n",
			      hdr->type);
		return -EPROTO;
	}
	if (hdr->pdo < hdr_end || plen <= hdr->pdo + ddgst) {
		nvmet_tcp_err(queue, "PDU type %#x: bad pdo %u (plen %u, header %u)\n",
			      hdr->type, hdr->pdo, plen, hdr_end);
		return -EPROTO;
	}
	queue->rcv_pad = hdr->pdo - hdr_end;
	*len = plen - hdr->pdo - ddgst;
	return 0;
}

/* Read @len bytes of PDU data into @cmd's data at @off. */
static void nvmet_tcp_recv_data_start(struct nvmet_tcp_queue *queue,
				      struct nvmet_tcp_cmd *cmd, u32 off,
				      u32 len)
{
	queue->rcv_cmd = cmd;
	queue->rcv_data_off = off;
	queue->rcv_data_len = len;
	nvmet_tcp_wait_data(cmd);
	nvmet_tcp_cursor_init(&cmd->rcv_cur, cmd->req.sg, off);
	if (queue->rcv_pad) {
		queue->rcv_stage = NVMET_TCP_RECV_PAD;
		queue->rcv_left = queue->rcv_pad;
	} else {
		queue->rcv_stage = NVMET_TCP_RECV_DATA;
		queue->rcv_left = len;
	}
}

/* Skip whatever follows the header of the current PDU. */
static void nvmet_tcp_recv_discard(struct nvmet_tcp_queue *queue)
{
	u32 rest = le32_to_cpu(queue->rbuf.hdr.plen) - queue->rcv_want;

	if (!rest) {
		nvmet_tcp_recv_next_pdu(queue);
		return;
	}
	queue->rcv_stage = NVMET_TCP_RECV_DISCARD;
	queue->rcv_left = rest;
	queue->rcv_cmd = NULL;
}

static int nvmet_tcp_handle_icreq(struct nvmet_tcp_queue *queue)
{
	struct nvme_tcp_icreq_pdu *icreq = &queue->rbuf.pdu.icreq;

	if (le16_to_cpu(icreq->pfv) != NVME_TCP_PFV_1_0) {
		nvmet_tcp_err(queue, "ICReq with unsupported PFV %u\n",
			      le16_to_cpu(icreq->pfv));
		return -EPROTO;
	}
	if (icreq->hpda) {
		nvmet_tcp_err(queue, "ICReq with unsupported HPDA %u\n",
			      icreq->hpda);
		return -EPROTO;
	}
	queue->hdr_digest = !!(icreq->digest & NVME_TCP_HDR_DIGEST_ENABLE);
	queue->data_digest = !!(icreq->digest & NVME_TCP_DATA_DIGEST_ENABLE);
	nvmet_tcp_recv_next_pdu(queue);
	nvmet_tcp_deadline_icreq(queue);
	if (!nvmet_tcp_set_live(queue))
		return -ECONNRESET;
	nvmet_tcp_queue_icresp(queue);
	return 0;
}

/*
 * Take the transfer length from the SGL of @cmd; @len bytes of data came
 * in the capsule.  A capsule whose data does not match its SGL cannot be
 * parsed further: the queue closes.  A transport SGL's length is the
 * host's word alone: nvmet_req_init() bounds it by what the command
 * carries and by MDTS before nvmet_tcp_handle_cmd() allocates anything.
 */
static int nvmet_tcp_map_sgl(struct nvmet_tcp_queue *queue,
			     struct nvmet_tcp_cmd *cmd, u32 len)
{
	struct nvme_sgl_desc *sgl = &cmd->sqe.common.dptr.sgl;
	u32 sgl_len = le32_to_cpu(sgl->length);
	u32 max = queue->inline_max;

	if (!len) {
		if (sgl->type == NVMET_TCP_SGL_TRANSPORT)
			cmd->req.transfer_len = sgl_len;
		else
			cmd->req.transfer_len = 0;
		return 0;
	}
	/* The host sizes admin capsules by NVME_TCP_ADMIN_CCSZ. */
	if (!READ_ONCE(queue->nvme_sq.qid))
		max = max_t(u32, max, NVME_TCP_ADMIN_CCSZ -
				      sizeof(struct nvme_command));
	if (sgl->type != NVMET_TCP_SGL_INCAPSULE || sgl_len != len ||
	    le64_to_cpu(sgl->addr) || !nvme_is_write(&cmd->sqe)) {
		nvmet_tcp_err(queue, "%u bytes of in-capsule data do not match the command (SGL type %#x length %u, opcode %#x)\n",
			      len, sgl->type, sgl_len, cmd->sqe.common.opcode);
		return -EPROTO;
	}
	if (len > max) {
		nvmet_tcp_err(queue, "%u bytes of in-capsule data, at most %u allowed\n",
			      len, max);
		return -EPROTO;
	}
	cmd->req.transfer_len = len;
	return 0;
}

static int nvmet_tcp_handle_cmd(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_cmd *cmd;
	u32 len;
	int ret;

	ret = nvmet_tcp_pdu_data_len(queue, &len);
	if (ret)
		return ret;
	cmd = nvmet_tcp_get_cmd(queue);
	if (!cmd) {
		nvmet_tcp_err(queue, "more commands outstanding than the queue holds\n");
		return -EPROTO;
	}
	memcpy(&cmd->sqe, &queue->rbuf.pdu.cmd.cmd, sizeof(cmd->sqe));
	ret = nvmet_tcp_map_sgl(queue, cmd, len);
	if (ret) {
		nvmet_tcp_put_cmd(cmd);
		return ret;
	}
	cmd->state = NVMET_TCP_CMD_EXEC;
	if (!nvmet_req_init(&cmd->req, &queue->nvme_cq, &queue->nvme_sq,
			    &nvmet_tcp_ops)) {
		/* The core completed it; its response is queued. */
		nvmet_tcp_recv_discard(queue);
		return 0;
	}
	if (cmd->req.transfer_len && nvmet_req_alloc_sgl(&cmd->req)) {
		nvmet_req_complete(&cmd->req, NVME_SC_INTERNAL);
		nvmet_tcp_recv_discard(queue);
		return 0;
	}
	if (len) {
		cmd->state = NVMET_TCP_CMD_NEED_DATA;
		nvmet_tcp_recv_data_start(queue, cmd, 0, len);
		return 0;
	}
	nvmet_tcp_recv_next_pdu(queue);
	if (cmd->req.transfer_len && nvme_is_write(&cmd->sqe)) {
		cmd->state = NVMET_TCP_CMD_NEED_DATA;
		nvmet_tcp_queue_r2t(cmd);
		return 0;
	}
	cmd->req.execute(&cmd->req);
	return 0;
}

static int nvmet_tcp_handle_h2c_data(struct nvmet_tcp_queue *queue)
{
	struct nvme_tcp_data_pdu *pdu = &queue->rbuf.pdu.data;
	u32 off = le32_to_cpu(pdu->data_offset);
	u32 dlen = le32_to_cpu(pdu->data_length);
	struct nvmet_tcp_cmd *cmd;
	u32 len;
	int ret;

	ret = nvmet_tcp_pdu_data_len(queue, &len);
	if (ret)
		return ret;
	if (!len || len != dlen || len > NVMET_TCP_MAXH2CDATA) {
		nvmet_tcp_err(queue, "H2C Data PDU with %u bytes, DATAL %u\n",
			      len, dlen);
		return -EPROTO;
	}
	cmd = nvmet_tcp_find_cmd(queue, pdu->ttag);
	if (!cmd || cmd->sqe.common.command_id != pdu->command_id) {
		nvmet_tcp_err(queue, "H2C Data PDU with unknown ttag %u (cid %u)\n",
			      pdu->ttag, pdu->command_id);
		return -EPROTO;
	}
	if (off != cmd->rbytes || len > cmd->req.transfer_len - off) {
		nvmet_tcp_err(queue, "H2C data [%u, +%u) out of range: expected offset %u of %u bytes (ttag %u)\n",
			      off, len, cmd->rbytes, cmd->req.transfer_len,
			      pdu->ttag);
		return -EPROTO;
	}
	nvmet_tcp_recv_data_start(queue, cmd, off, len);
	return 0;
}

static int nvmet_tcp_handle_term(struct nvmet_tcp_queue *queue)
{
	pr_info_ratelimited("queue %d (port %u, host %pISpc): host terminated the connection, FES %#x\n",
			    queue->idx, queue->portid, &queue->peer_addr,
			    le16_to_cpu(queue->rbuf.term.fes));
	return -ECONNRESET;
}

static int nvmet_tcp_handle_pdu(struct nvmet_tcp_queue *queue)
{
	int ret;

	ret = nvmet_tcp_check_hdgst(queue);
	if (ret)
		return ret;
	switch (queue->rbuf.hdr.type) {
	case nvme_tcp_icreq:
		return nvmet_tcp_handle_icreq(queue);
	case nvme_tcp_cmd:
		return nvmet_tcp_handle_cmd(queue);
	case nvme_tcp_h2c_data:
		return nvmet_tcp_handle_h2c_data(queue);
	default:
		return nvmet_tcp_handle_term(queue);
	}
}

static int nvmet_tcp_recv_hdr(struct nvmet_tcp_queue *queue)
{
	int ret, err;

	ret = nvmet_tcp_recv_buf(queue, queue->rbuf.raw + queue->rcv_off,
				 queue->rcv_want - queue->rcv_off);
	if (ret < 0)
		return ret;
	queue->rcv_off += ret;
	if (queue->rcv_off < queue->rcv_want)
		return ret;
	if (queue->rcv_want == sizeof(struct nvme_tcp_hdr)) {
		err = nvmet_tcp_check_hdr(queue);
		if (err)
			return err;
		return ret;
	}
	err = nvmet_tcp_handle_pdu(queue);
	return err ? err : ret;
}

/* The data of the current PDU is in: execute the command if it is all. */
static int nvmet_tcp_data_done(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_cmd *cmd = queue->rcv_cmd;
	__le32 exp;

	if (queue->data_digest) {
		exp = nvmet_tcp_sg_digest(&cmd->req, queue->rcv_data_off,
					  queue->rcv_data_len);
		if (exp != queue->rcv_ddgst) {
			nvmet_tcp_err(queue, "data digest error: got %#x, expected %#x (cid %u)\n",
				      le32_to_cpu(queue->rcv_ddgst),
				      le32_to_cpu(exp),
				      cmd->sqe.common.command_id);
			return -EPROTO;
		}
	}
	nvmet_tcp_recv_next_pdu(queue);
	cmd->rbytes += queue->rcv_data_len;
	if (cmd->rbytes == cmd->req.transfer_len) {
		cmd->state = NVMET_TCP_CMD_EXEC;
		cmd->req.execute(&cmd->req);
	}
	return 0;
}

static int nvmet_tcp_recv_data(struct nvmet_tcp_queue *queue)
{
	struct nvmet_tcp_cmd *cmd = queue->rcv_cmd;
	struct bio_vec bvec[NVMET_TCP_MAX_BVEC];
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	unsigned int nr;
	bool splice;
	size_t len;
	int ret, err;

	nr = nvmet_tcp_cursor_map(&cmd->rcv_cur, queue->rcv_left, bvec, &len,
				  &splice);
	if (WARN_ON_ONCE(!nr))
		return -EIO;
	iov_iter_bvec(&msg.msg_iter, ITER_DEST, bvec, nr, len);
	ret = nvmet_tcp_recvmsg(queue, &msg, NULL);
	if (ret < 0)
		return ret;
	nvmet_tcp_cursor_advance(&cmd->rcv_cur, ret);
	cmd->data_at = jiffies;
	queue->rcv_left -= ret;
	if (queue->rcv_left)
		return ret;
	if (queue->data_digest) {
		queue->rcv_stage = NVMET_TCP_RECV_DDGST;
		queue->rcv_off = 0;
		return ret;
	}
	err = nvmet_tcp_data_done(queue);
	return err ? err : ret;
}

static int nvmet_tcp_recv_ddgst(struct nvmet_tcp_queue *queue)
{
	int ret, err;

	ret = nvmet_tcp_recv_buf(queue, (u8 *)&queue->rcv_ddgst + queue->rcv_off,
				 NVME_TCP_DIGEST_LENGTH - queue->rcv_off);
	if (ret < 0)
		return ret;
	queue->rcv_off += ret;
	if (queue->rcv_off < NVME_TCP_DIGEST_LENGTH)
		return ret;
	err = nvmet_tcp_data_done(queue);
	return err ? err : ret;
}

/* Drop rcv_left bytes: padding before data, or a failed command's PDU. */
static int nvmet_tcp_recv_skip(struct nvmet_tcp_queue *queue)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	int ret;

	iov_iter_discard(&msg.msg_iter, ITER_DEST, queue->rcv_left);
	ret = nvmet_tcp_recvmsg(queue, &msg, NULL);
	if (ret < 0)
		return ret;
	queue->rcv_left -= ret;
	if (queue->rcv_left)
		return ret;
	if (queue->rcv_stage == NVMET_TCP_RECV_DISCARD) {
		nvmet_tcp_recv_next_pdu(queue);
	} else {
		queue->rcv_stage = NVMET_TCP_RECV_DATA;
		queue->rcv_left = queue->rcv_data_len;
	}
	return ret;
}

static int nvmet_tcp_recv_step(struct nvmet_tcp_queue *queue)
{
	switch (queue->rcv_stage) {
	case NVMET_TCP_RECV_HDR:
		return nvmet_tcp_recv_hdr(queue);
	case NVMET_TCP_RECV_DATA:
		return nvmet_tcp_recv_data(queue);
	case NVMET_TCP_RECV_DDGST:
		return nvmet_tcp_recv_ddgst(queue);
	default:
		return nvmet_tcp_recv_skip(queue);
	}
}

/**
 * nvmet_tcp_try_recv() - receive and handle what the socket holds
 * @queue: the queue
 * @budget: most receive steps to take
 *
 * Context: io_work.
 * Return: the steps taken (0 when the socket is empty), or a -errno that
 * must close the queue: -EPROTO after a malformed PDU (already reported),
 * -ECONNRESET when the host closed or terminated the connection.
 */
int nvmet_tcp_try_recv(struct nvmet_tcp_queue *queue, int budget)
{
	int ret, done = 0;

	while (done < budget) {
		ret = nvmet_tcp_recv_step(queue);
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		done++;
	}
	return done;
}
