// SPDX-License-Identifier: GPL-2.0-only
/*
 * RDMA-CM events: connection requests become queues (accepted with a
 * struct nvme_rdma_cm_rep, or rejected with a struct nvme_rdma_cm_rej
 * status), and the end of a connection starts its release.
 *
 * Every CM id's context points at the enum nvmet_rdma_ctx_kind that
 * starts a listener or a queue.  A new connection's id starts with its
 * listener's context; it points at the queue once we accepted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <rdma/ib_cm.h>

#include <nvmet/nvmet.h>

#include "nvmet-rdma.h"

static void nvmet_rdma_reject(struct rdma_cm_id *cm_id, u16 portid,
			      enum nvme_rdma_cm_status status)
{
	struct nvme_rdma_cm_rej rej = {
		.recfmt = cpu_to_le16(NVME_RDMA_CM_FMT_1_0),
		.sts = cpu_to_le16(status),
	};

	pr_warn_ratelimited("port %u: rejecting a connection from %pISpcs: %s\n",
			    portid, &cm_id->route.addr.dst_addr,
			    nvme_rdma_cm_msg(status));
	rdma_reject(cm_id, &rej, sizeof(rej), IB_CM_REJ_CONSUMER_DEFINED);
}

/* Check the host's private data; return 0 or an NVMe RDMA CM status. */
static int nvmet_rdma_parse_req(struct nvmet_rdma_port *rport,
				const struct rdma_conn_param *param,
				struct nvmet_rdma_conn *conn)
{
	const struct nvme_rdma_cm_req *req = param->private_data;
	u32 max;

	if (!req || param->private_data_len < sizeof(*req))
		return NVME_RDMA_CM_INVALID_LEN;
	if (le16_to_cpu(req->recfmt) != NVME_RDMA_CM_FMT_1_0)
		return NVME_RDMA_CM_INVALID_RECFMT;
	conn->qid = le16_to_cpu(req->qid);
	if (conn->qid > NVMET_NR_QUEUES)
		return NVME_RDMA_CM_INVALID_QID;
	conn->sq_depth = le16_to_cpu(req->hsqsize) + 1;
	max = conn->qid ? rport->max_queue_size : NVMET_AQ_DEPTH;
	if (conn->sq_depth < 2 || conn->sq_depth > max)
		return NVME_RDMA_CM_INVALID_HSQSIZE;
	conn->rq_depth = le16_to_cpu(req->hrqsize);
	if (!conn->rq_depth)
		return NVME_RDMA_CM_INVALID_HRQSIZE;
	conn->initiator_depth = param->initiator_depth;
	conn->responder_resources = param->responder_resources;
	return 0;
}

static int nvmet_rdma_accept(struct nvmet_rdma_queue *queue,
			     const struct nvmet_rdma_conn *conn)
{
	struct ib_device_attr *attrs = &queue->ndev->ibdev->attrs;
	struct nvme_rdma_cm_rep rep = {
		.recfmt = cpu_to_le16(NVME_RDMA_CM_FMT_1_0),
		.crqsize = cpu_to_le16(queue->sq_depth),
	};
	struct rdma_conn_param param = {
		.private_data = &rep,
		.private_data_len = sizeof(rep),
		/* The event speaks from our side: the host's depths swapped. */
		.responder_resources = min_t(u8, conn->responder_resources,
					     attrs->max_qp_rd_atom),
		.initiator_depth = min_t(u8, conn->initiator_depth,
					 attrs->max_qp_init_rd_atom),
		.flow_control = 1,
		.retry_count = 7,
		.rnr_retry_count = 7,
	};

	return rdma_accept(queue->cm_id, &param);
}

static int nvmet_rdma_connect_request(struct nvmet_rdma_port *rport,
				      struct rdma_cm_id *cm_id,
				      struct rdma_cm_event *event)
{
	struct nvmet_rdma_conn conn;
	struct nvmet_rdma_queue *queue;
	int status, ret;

	status = nvmet_rdma_parse_req(rport, &event->param.conn, &conn);
	if (status) {
		nvmet_rdma_reject(cm_id, rport->portid, status);
		return -EINVAL;
	}
	queue = nvmet_rdma_alloc_queue(rport, cm_id, &conn);
	if (IS_ERR(queue)) {
		nvmet_rdma_reject(cm_id, rport->portid, NVME_RDMA_CM_NO_RSC);
		return PTR_ERR(queue);
	}
	cm_id->context = &queue->kind;
	nvmet_rdma_publish_queue(queue);
	ret = nvmet_rdma_accept(queue, &conn);
	if (ret) {
		nvmet_rdma_err(queue, "accept failed: %d\n", ret);
		/* The release work destroys the id once we returned. */
		nvmet_rdma_schedule_release(queue);
	}
	return 0;
}

static int nvmet_rdma_queue_cm_event(struct nvmet_rdma_queue *queue,
				     struct rdma_cm_event *event)
{
	/* Released: only the id is left, and park.c destroys it. */
	if (READ_ONCE(queue->parked)) {
		pr_debug("parked queue: CM event %s ignored\n",
			 rdma_event_msg(event->event));
		return 0;
	}
	switch (event->event) {
	case RDMA_CM_EVENT_ESTABLISHED:
		nvmet_rdma_set_live(queue);
		break;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
	case RDMA_CM_EVENT_ADDR_CHANGE:
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		/* The release work destroys the id; the CM waits for it. */
		nvmet_rdma_schedule_release(queue);
		break;
	case RDMA_CM_EVENT_REJECTED:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_CONNECT_ERROR:
		nvmet_rdma_err(queue, "connection failed: %s (%d)\n",
			       rdma_event_msg(event->event), event->status);
		nvmet_rdma_schedule_release(queue);
		break;
	default:
		pr_debug("queue %d: CM event %s ignored\n", queue->idx,
			 rdma_event_msg(event->event));
		break;
	}
	return 0;
}

/**
 * nvmet_rdma_cm_handler() - the RDMA-CM event handler of every CM id
 * @cm_id: the id, a listener's or a queue's
 * @event: the event
 *
 * Context: The RDMA-CM's event context (process context), with the id's
 * handler lock held (and the listener's, for a connection request).
 * Return: non-zero to have the RDMA-CM destroy @cm_id.
 */
int nvmet_rdma_cm_handler(struct rdma_cm_id *cm_id,
			  struct rdma_cm_event *event)
{
	enum nvmet_rdma_ctx_kind *kind = cm_id->context;
	struct nvmet_rdma_port *rport;

	if (*kind == NVMET_RDMA_CTX_QUEUE)
		return nvmet_rdma_queue_cm_event(container_of(kind,
					struct nvmet_rdma_queue, kind), event);
	rport = container_of(kind, struct nvmet_rdma_port, kind);
	if (event->event == RDMA_CM_EVENT_CONNECT_REQUEST)
		return nvmet_rdma_connect_request(rport, cm_id, event);
	return nvmet_rdma_port_cm_event(rport, cm_id, event);
}
