// SPDX-License-Identifier: GPL-2.0-only
/*
 * FC-NVMe Link Services: the Create Association, Create I/O Connection
 * and Disconnect Association requests hosts send us, and the Disconnect
 * Association we send a host when we tear an association down.
 *
 * nvmet_fc_rcv_ls_req() may be called in any context: it copies the
 * request and leaves the work to nvmet_fc_wq.  Every request gets exactly
 * one response through the LLDD's xmt_ls_rsp(), an accept or a reject.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "nvmet-fc.h"

/**
 * struct nvmet_fc_ls_ctx - an LS request we received
 * @tgtport: the target port, whose users it counts
 * @hosthandle: the LLDD's handle of the host port
 * @lsrsp: the LLDD's exchange to respond on
 * @work: handles the request
 * @rsp_dma: DMA address of @rsp
 * @rqst_len: bytes of @rq the host sent
 * @rq: the request
 * @rq.w0: its command word
 * @rq.cr_assoc: Create Association
 * @rq.cr_conn: Create I/O Connection
 * @rq.disc: Disconnect Association
 * @rq.raw: room for the largest request we accept
 * @rsp: the response
 * @rsp.rjt: a reject
 * @rsp.cr_assoc: Create Association accept
 * @rsp.cr_conn: Create I/O Connection accept
 * @rsp.disc: Disconnect Association accept
 */
struct nvmet_fc_ls_ctx {
	struct nvmet_fc_tgtport *tgtport;
	void *hosthandle;
	struct nvmefc_ls_rsp *lsrsp;
	struct work_struct work;
	dma_addr_t rsp_dma;
	u32 rqst_len;
	union {
		struct fcnvme_ls_rqst_w0 w0;
		struct fcnvme_ls_cr_assoc_rqst cr_assoc;
		struct fcnvme_ls_cr_conn_rqst cr_conn;
		struct fcnvme_ls_disconnect_assoc_rqst disc;
		u8 raw[NVMET_FC_LS_BUF_SIZE];
	} rq;
	union {
		struct fcnvme_ls_rjt rjt;
		struct fcnvme_ls_cr_assoc_acc cr_assoc;
		struct fcnvme_ls_cr_conn_acc cr_conn;
		struct fcnvme_ls_disconnect_assoc_acc disc;
	} rsp;
};

/**
 * struct nvmet_fc_ls_out - a Disconnect Association we send a host
 * @lsreq: what the LLDD sends; its private area follows this struct
 * @tgtport: the target port, whose users it counts
 * @rq: the request
 * @acc: room for the response, which we do not look at
 */
struct nvmet_fc_ls_out {
	struct nvmefc_ls_req lsreq;
	struct nvmet_fc_tgtport *tgtport;
	struct fcnvme_ls_disconnect_assoc_rqst rq;
	struct fcnvme_ls_disconnect_assoc_acc acc;
};

static u32 nvmet_fc_ls_rjt(struct nvmet_fc_ls_ctx *ctx, u8 reason, u8 explan)
{
	struct fcnvme_ls_rjt *rjt = &ctx->rsp.rjt;

	memset(rjt, 0, sizeof(*rjt));
	rjt->w0.ls_cmd = FCNVME_LS_RJT;
	rjt->desc_list_len = fcnvme_lsdesc_len(sizeof(*rjt));
	rjt->rqst.desc_tag = cpu_to_be32(FCNVME_LSDESC_RQST);
	rjt->rqst.desc_len = fcnvme_lsdesc_len(sizeof(rjt->rqst));
	rjt->rqst.w0.ls_cmd = ctx->rq.w0.ls_cmd;
	rjt->rjt.desc_tag = cpu_to_be32(FCNVME_LSDESC_RJT);
	rjt->rjt.desc_len = fcnvme_lsdesc_len(sizeof(rjt->rjt));
	rjt->rjt.reason_code = reason;
	rjt->rjt.reason_explanation = explan;
	return sizeof(*rjt);
}

/* The accept header of a response @size bytes long. */
static void nvmet_fc_ls_acc_hdr(struct nvmet_fc_ls_ctx *ctx,
				struct fcnvme_ls_acc_hdr *hdr, size_t size)
{
	memset(hdr, 0, size);
	hdr->w0.ls_cmd = FCNVME_LS_ACC;
	hdr->desc_list_len = fcnvme_lsdesc_len(size);
	hdr->rqst.desc_tag = cpu_to_be32(FCNVME_LSDESC_RQST);
	hdr->rqst.desc_len = fcnvme_lsdesc_len(sizeof(hdr->rqst));
	hdr->rqst.w0.ls_cmd = ctx->rq.w0.ls_cmd;
}

static void nvmet_fc_conn_id_desc(struct fcnvme_lsdesc_conn_id *desc, u64 id)
{
	desc->desc_tag = cpu_to_be32(FCNVME_LSDESC_CONN_ID);
	desc->desc_len = fcnvme_lsdesc_len(sizeof(*desc));
	desc->connection_id = cpu_to_be64(id);
}

static bool nvmet_fc_assoc_id_desc_ok(const struct fcnvme_lsdesc_assoc_id *d)
{
	return d->desc_tag == cpu_to_be32(FCNVME_LSDESC_ASSOC_ID) &&
	       d->desc_len == fcnvme_lsdesc_len(sizeof(*d));
}

/* sqsize and ersp_ratio of a Create LS: 0 or an explanation to reject. */
static u8 nvmet_fc_ls_sqsize_check(__be16 sqsize, __be16 ersp_ratio)
{
	u16 sq = be16_to_cpu(sqsize);

	if (!sq || sq + 1 > NVMET_FC_MAX_SQSIZE)
		return FCNVME_RJT_EXP_INV_SQSIZE;
	if (be16_to_cpu(ersp_ratio) >= sq)
		return FCNVME_RJT_EXP_INV_ERSP_RAT;
	return 0;
}

static u32 nvmet_fc_ls_create_assoc(struct nvmet_fc_ls_ctx *ctx)
{
	struct fcnvme_ls_cr_assoc_rqst *rq = &ctx->rq.cr_assoc;
	struct fcnvme_ls_cr_assoc_acc *acc = &ctx->rsp.cr_assoc;
	u64 association_id;
	u8 explan;
	int err;

	if (ctx->rqst_len < FCNVME_LSDESC_CRA_RQST_MINLEN ||
	    be32_to_cpu(rq->desc_list_len) < FCNVME_LSDESC_CRA_RQST_MIN_LISTLEN ||
	    rq->assoc_cmd.desc_tag != cpu_to_be32(FCNVME_LSDESC_CREATE_ASSOC_CMD) ||
	    be32_to_cpu(rq->assoc_cmd.desc_len) <
			FCNVME_LSDESC_CRA_CMD_DESC_MIN_DESCLEN)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INVAL,
				       FCNVME_RJT_EXP_INV_LEN);
	explan = nvmet_fc_ls_sqsize_check(rq->assoc_cmd.sqsize,
					  rq->assoc_cmd.ersp_ratio);
	if (explan)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_PARAM, explan);

	/* Only the ID: the association may be gone again by now. */
	err = nvmet_fc_assoc_create(ctx->tgtport, ctx->hosthandle,
				    be16_to_cpu(rq->assoc_cmd.sqsize) + 1,
				    &association_id);
	if (err) {
		pr_info("target port %u: Create Association rejected: %d\n",
			ctx->tgtport->fc_port.port_num, err);
		return nvmet_fc_ls_rjt(ctx, err == -ENOMEM ?
				       FCNVME_RJT_RC_INSUF_RES :
				       FCNVME_RJT_RC_UNAB, FCNVME_RJT_EXP_NONE);
	}
	nvmet_fc_ls_acc_hdr(ctx, &acc->hdr, sizeof(*acc));
	acc->associd.desc_tag = cpu_to_be32(FCNVME_LSDESC_ASSOC_ID);
	acc->associd.desc_len = fcnvme_lsdesc_len(sizeof(acc->associd));
	acc->associd.association_id = cpu_to_be64(association_id);
	nvmet_fc_conn_id_desc(&acc->connectid, association_id);
	return sizeof(*acc);
}

static u32 nvmet_fc_ls_create_conn(struct nvmet_fc_ls_ctx *ctx)
{
	struct fcnvme_ls_cr_conn_rqst *rq = &ctx->rq.cr_conn;
	struct fcnvme_ls_cr_conn_acc *acc = &ctx->rsp.cr_conn;
	u16 qid = be16_to_cpu(rq->connect_cmd.qid);
	struct nvmet_fc_assoc *assoc;
	u8 explan;
	u64 id;
	int ret;

	if (ctx->rqst_len < sizeof(*rq) ||
	    rq->desc_list_len != cpu_to_be32(sizeof(rq->associd) +
					     sizeof(rq->connect_cmd)) ||
	    !nvmet_fc_assoc_id_desc_ok(&rq->associd) ||
	    rq->connect_cmd.desc_tag != cpu_to_be32(FCNVME_LSDESC_CREATE_CONN_CMD) ||
	    rq->connect_cmd.desc_len != fcnvme_lsdesc_len(sizeof(rq->connect_cmd)))
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INVAL,
				       FCNVME_RJT_EXP_INV_LEN);
	explan = nvmet_fc_ls_sqsize_check(rq->connect_cmd.sqsize,
					  rq->connect_cmd.ersp_ratio);
	if (explan)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_PARAM, explan);
	if (!qid || qid >= NVMET_FC_MAX_QUEUES)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_PARAM,
				       FCNVME_RJT_EXP_INV_QUEUE_ID);

	assoc = nvmet_fc_assoc_find_get(ctx->tgtport,
					be64_to_cpu(rq->associd.association_id));
	if (!assoc)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_ASSOC,
				       FCNVME_RJT_EXP_NONE);
	ret = nvmet_fc_queue_create(assoc, qid,
				    be16_to_cpu(rq->connect_cmd.sqsize) + 1);
	id = assoc->association_id | qid;
	nvmet_fc_assoc_put(assoc);
	if (ret == -EEXIST)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_PARAM,
				       FCNVME_RJT_EXP_INV_QUEUE_ID);
	if (ret)
		return nvmet_fc_ls_rjt(ctx, ret == -ENOMEM ?
				       FCNVME_RJT_RC_INSUF_RES :
				       FCNVME_RJT_RC_INV_ASSOC,
				       FCNVME_RJT_EXP_NONE);
	nvmet_fc_ls_acc_hdr(ctx, &acc->hdr, sizeof(*acc));
	nvmet_fc_conn_id_desc(&acc->connectid, id);
	return sizeof(*acc);
}

static u32 nvmet_fc_ls_disconnect(struct nvmet_fc_ls_ctx *ctx)
{
	struct fcnvme_ls_disconnect_assoc_rqst *rq = &ctx->rq.disc;
	struct nvmet_fc_assoc *assoc;

	if (ctx->rqst_len < sizeof(*rq) ||
	    rq->desc_list_len != fcnvme_lsdesc_len(sizeof(*rq)) ||
	    !nvmet_fc_assoc_id_desc_ok(&rq->associd) ||
	    rq->discon_cmd.desc_tag != cpu_to_be32(FCNVME_LSDESC_DISCONN_CMD) ||
	    rq->discon_cmd.desc_len != fcnvme_lsdesc_len(sizeof(rq->discon_cmd)))
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INVAL,
				       FCNVME_RJT_EXP_INV_LEN);
	assoc = nvmet_fc_assoc_find_get(ctx->tgtport,
					be64_to_cpu(rq->associd.association_id));
	if (!assoc)
		return nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INV_ASSOC,
				       FCNVME_RJT_EXP_NONE);
	WRITE_ONCE(assoc->host_disconnected, true);
	nvmet_fc_assoc_schedule_delete(assoc);
	nvmet_fc_assoc_put(assoc);
	nvmet_fc_ls_acc_hdr(ctx, &ctx->rsp.disc.hdr, sizeof(ctx->rsp.disc));
	return sizeof(ctx->rsp.disc);
}

static void nvmet_fc_ls_rsp_done(struct nvmefc_ls_rsp *lsrsp)
{
	struct nvmet_fc_ls_ctx *ctx = lsrsp->nvme_fc_private;
	struct nvmet_fc_tgtport *tgtport = ctx->tgtport;

	if (tgtport->dev && ctx->rsp_dma)
		dma_unmap_single(tgtport->dev, ctx->rsp_dma, sizeof(ctx->rsp),
				 DMA_TO_DEVICE);
	kfree(ctx);
	nvmet_fc_tgtport_unuse(tgtport);
}

static void nvmet_fc_ls_xmt_rsp(struct nvmet_fc_ls_ctx *ctx, u32 len)
{
	struct nvmet_fc_tgtport *tgtport = ctx->tgtport;
	struct nvmefc_ls_rsp *lsrsp = ctx->lsrsp;

	lsrsp->rspbuf = &ctx->rsp;
	lsrsp->rsplen = len;
	lsrsp->rspdma = 0;
	lsrsp->done = nvmet_fc_ls_rsp_done;
	lsrsp->nvme_fc_private = ctx;
	if (tgtport->dev) {
		ctx->rsp_dma = dma_map_single(tgtport->dev, &ctx->rsp,
					      sizeof(ctx->rsp), DMA_TO_DEVICE);
		if (dma_mapping_error(tgtport->dev, ctx->rsp_dma))
			ctx->rsp_dma = 0;
		lsrsp->rspdma = ctx->rsp_dma;
	}
	if (tgtport->ops->xmt_ls_rsp(&tgtport->fc_port, lsrsp))
		nvmet_fc_ls_rsp_done(lsrsp);
}

static void nvmet_fc_ls_work(struct work_struct *work)
{
	struct nvmet_fc_ls_ctx *ctx =
		container_of(work, struct nvmet_fc_ls_ctx, work);
	u32 len;

	switch (ctx->rq.w0.ls_cmd) {
	case FCNVME_LS_CREATE_ASSOCIATION:
		len = nvmet_fc_ls_create_assoc(ctx);
		break;
	case FCNVME_LS_CREATE_CONNECTION:
		len = nvmet_fc_ls_create_conn(ctx);
		break;
	case FCNVME_LS_DISCONNECT_ASSOC:
		len = nvmet_fc_ls_disconnect(ctx);
		break;
	default:
		len = nvmet_fc_ls_rjt(ctx, FCNVME_RJT_RC_INVAL,
				      FCNVME_RJT_EXP_NONE);
		break;
	}
	nvmet_fc_ls_xmt_rsp(ctx, len);
}

/**
 * nvmet_fc_rcv_ls_req() - the LLDD received an FC-NVMe LS request
 * @fc_port: the target port it came to
 * @hosthandle: the LLDD's handle of the host port it came from
 * @lsrsp: the LLDD's exchange; xmt_ls_rsp() answers on it
 * @lsreqbuf: the request, copied before this returns
 * @lsreqbuf_len: its length
 *
 * Context: Any context.
 * Return: 0; -E2BIG or -EINVAL for a request we cannot take, -ESHUTDOWN
 * while the port is being unregistered, -ENOMEM.  On error the LLDD
 * aborts the exchange.
 */
int nvmet_fc_rcv_ls_req(struct nvmet_fc_target_port *fc_port,
			void *hosthandle, struct nvmefc_ls_rsp *lsrsp,
			void *lsreqbuf, u32 lsreqbuf_len)
{
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(fc_port);
	struct nvmet_fc_ls_ctx *ctx;

	if (lsreqbuf_len > sizeof(ctx->rq))
		return -E2BIG;
	if (lsreqbuf_len < sizeof(struct fcnvme_ls_rqst_w0))
		return -EINVAL;
	if (!nvmet_fc_tgtport_use(tgtport))
		return -ESHUTDOWN;
	ctx = kzalloc(sizeof(*ctx), GFP_ATOMIC);
	if (!ctx) {
		nvmet_fc_tgtport_unuse(tgtport);
		return -ENOMEM;
	}
	ctx->tgtport = tgtport;
	ctx->hosthandle = hosthandle;
	ctx->lsrsp = lsrsp;
	ctx->rqst_len = lsreqbuf_len;
	memcpy(ctx->rq.raw, lsreqbuf, lsreqbuf_len);
	INIT_WORK(&ctx->work, nvmet_fc_ls_work);
	queue_work(nvmet_fc_wq, &ctx->work);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_fc_rcv_ls_req);

static void nvmet_fc_ls_out_unmap(struct nvmet_fc_ls_out *out)
{
	struct device *dev = out->tgtport->dev;

	if (!dev)
		return;
	if (out->lsreq.rqstdma)
		dma_unmap_single(dev, out->lsreq.rqstdma, sizeof(out->rq),
				 DMA_TO_DEVICE);
	if (out->lsreq.rspdma)
		dma_unmap_single(dev, out->lsreq.rspdma, sizeof(out->acc),
				 DMA_FROM_DEVICE);
}

static void nvmet_fc_ls_out_done(struct nvmefc_ls_req *lsreq, int status)
{
	struct nvmet_fc_ls_out *out =
		container_of(lsreq, struct nvmet_fc_ls_out, lsreq);
	struct nvmet_fc_tgtport *tgtport = out->tgtport;

	nvmet_fc_ls_out_unmap(out);
	kfree(out);
	nvmet_fc_tgtport_unuse(tgtport);
}

static int nvmet_fc_ls_out_map(struct nvmet_fc_ls_out *out)
{
	struct device *dev = out->tgtport->dev;

	if (!dev)
		return 0;
	out->lsreq.rqstdma = dma_map_single(dev, &out->rq, sizeof(out->rq),
					    DMA_TO_DEVICE);
	if (dma_mapping_error(dev, out->lsreq.rqstdma)) {
		out->lsreq.rqstdma = 0;
		return -ENOMEM;
	}
	out->lsreq.rspdma = dma_map_single(dev, &out->acc, sizeof(out->acc),
					   DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, out->lsreq.rspdma)) {
		out->lsreq.rspdma = 0;
		return -ENOMEM;
	}
	return 0;
}

static void nvmet_fc_ls_out_fill(struct nvmet_fc_ls_out *out, u64 assoc_id)
{
	struct fcnvme_ls_disconnect_assoc_rqst *rq = &out->rq;

	rq->w0.ls_cmd = FCNVME_LS_DISCONNECT_ASSOC;
	rq->desc_list_len = fcnvme_lsdesc_len(sizeof(*rq));
	rq->associd.desc_tag = cpu_to_be32(FCNVME_LSDESC_ASSOC_ID);
	rq->associd.desc_len = fcnvme_lsdesc_len(sizeof(rq->associd));
	rq->associd.association_id = cpu_to_be64(assoc_id);
	rq->discon_cmd.desc_tag = cpu_to_be32(FCNVME_LSDESC_DISCONN_CMD);
	rq->discon_cmd.desc_len = fcnvme_lsdesc_len(sizeof(rq->discon_cmd));
	out->lsreq.rqstaddr = rq;
	out->lsreq.rqstlen = sizeof(*rq);
	out->lsreq.rspaddr = &out->acc;
	out->lsreq.rsplen = sizeof(out->acc);
	out->lsreq.timeout = NVME_FC_LS_TIMEOUT_SEC;
	out->lsreq.done = nvmet_fc_ls_out_done;
}

/**
 * nvmet_fc_send_disconnect() - tell the host an association is gone
 * @assoc: the association, being torn down
 *
 * Sends a Disconnect Association LS to the host port the association was
 * created from, if the LLDD can send LSs and the host handle is still
 * valid; does not wait for the answer.
 *
 * Context: Process context (association teardown).
 */
void nvmet_fc_send_disconnect(struct nvmet_fc_assoc *assoc)
{
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;
	const struct nvmet_fc_target_template *ops = tgtport->ops;
	struct nvmet_fc_ls_out *out;
	bool invalidated;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	invalidated = assoc->hostref->invalidated;
	spin_unlock_irqrestore(&tgtport->lock, flags);
	if (!ops->ls_req || invalidated)
		return;
	out = kzalloc(sizeof(*out) + ops->lsrqst_priv_sz, GFP_KERNEL);
	if (!out)
		return;
	/* @assoc holds a user: the count cannot be zero here. */
	refcount_inc(&tgtport->users);
	out->tgtport = tgtport;
	if (ops->lsrqst_priv_sz)
		out->lsreq.private = &out[1];
	nvmet_fc_ls_out_fill(out, assoc->association_id);
	if (nvmet_fc_ls_out_map(out) ||
	    ops->ls_req(&tgtport->fc_port, assoc->hostref->handle, &out->lsreq))
		nvmet_fc_ls_out_done(&out->lsreq, -EIO);
}
