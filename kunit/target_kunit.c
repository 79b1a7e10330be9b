// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the command engine (nvmet/target/): a mock fabric hands
 * commands to nvmet_req_init() and req->execute() the way a real fabric
 * does and captures the completions; a RAM backend keeps the data.  Under
 * lockdep, KASAN and DEBUG_ATOMIC_SLEEP this covers Connect, the
 * controller registers, Identify, log pages, features, asynchronous
 * events, discovery, and I/O with its error statuses.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <nvmet/compat-lib.h>
#include <nvmet/fabric.h>
#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include <nvmet/req.h>
#include <nvmet/test_point.h>

#include "../nvmet/target/ctrl.h"
#include "../nvmet/target/nvme21.h"

#define TT_TRTYPE	249
#define TT_SUBNQN	"nqn.2026-11.io.nvmet-ng:kunit-target"
#define TT_HOSTNQN	"nqn.2026-11.io.nvmet-ng:kunit-host"
#define TT_NS_SIZE	SZ_1M

/*
 * A queue of the mock fabric: one command at a time.  @port is the port
 * its commands arrive on (the suite's port if NULL); @closing is set when
 * delete_ctrl() asks the fabric to close it.
 */
struct tt_queue {
	struct nvmet_sq sq;
	struct nvmet_cq cq;
	struct nvme_command cmd;
	struct nvme_completion cqe;
	struct nvmet_req req;
	struct completion done;
	struct nvmet_port *port;
	bool closing;
};

static int tt_deletes;

/* The queues of the current case, which delete_ctrl() walks. */
#define TT_MAX_QUEUES	8
static struct tt_queue *tt_queues[TT_MAX_QUEUES];
static int tt_nr_queues;

static int tt_add_port(struct nvmet_port *port)
{
	return 0;
}

static void tt_remove_port(struct nvmet_port *port)
{
}

static void tt_queue_response(struct nvmet_req *req)
{
	struct tt_queue *q = container_of(req, struct tt_queue, req);

	complete(&q->done);
}

/* As a real fabric: close the queues bound to @ctrl now. */
static void tt_delete_ctrl(struct nvmet_ctrl *ctrl)
{
	int i;

	tt_deletes++;
	for (i = 0; i < tt_nr_queues; i++)
		if (READ_ONCE(tt_queues[i]->sq.ctrl) == ctrl)
			tt_queues[i]->closing = true;
}

static const struct nvmet_fabric_ops tt_fabric = {
	.name		= "kunit",
	.owner		= THIS_MODULE,
	.type		= TT_TRTYPE,
	.add_port	= tt_add_port,
	.remove_port	= tt_remove_port,
	.msdbd		= 1,
	.queue_response	= tt_queue_response,
	.delete_ctrl	= tt_delete_ctrl,
};

/* RAM backend: a buffer per namespace. */
static int tt_ram_open(struct nvmet_ns *ns)
{
	ns->backend_priv = kzalloc(TT_NS_SIZE, GFP_KERNEL);
	if (!ns->backend_priv)
		return -ENOMEM;
	ns->size = TT_NS_SIZE;
	ns->blksize_shift = 9;
	return 0;
}

static void tt_ram_close(struct nvmet_ns *ns)
{
	kfree(ns->backend_priv);
}

static void tt_ram_rw(struct nvmet_req *req)
{
	void *p = req->ns->backend_priv + nvmet_req_pos(req);
	size_t n;

	if (nvme_is_write(req->cmd))
		n = sg_copy_to_buffer(req->sg, req->sg_cnt, p, req->data_len);
	else
		n = sg_copy_from_buffer(req->sg, req->sg_cnt, p,
					req->data_len);
	nvmet_req_complete(req, n == req->data_len ? 0 : NVME_SC_INTERNAL);
}

static void tt_ram_write_zeroes(struct nvmet_req *req)
{
	struct nvme_write_zeroes_cmd *c = &req->cmd->write_zeroes;

	memset(req->ns->backend_priv + nvmet_req_pos(req), 0,
	       (le16_to_cpu(c->length) + 1) << req->ns->blksize_shift);
	nvmet_req_complete(req, 0);
}

/* Deallocation zeroes the ranges, as a thin device would free them. */
static void tt_ram_dsm(struct nvmet_req *req)
{
	u32 nr = le32_to_cpu(req->cmd->dsm.nr) + 1, i;
	struct nvme_dsm_range r;
	u16 status = 0;

	for (i = 0; i < nr && !status; i++) {
		status = nvmet_copy_from_sgl(req, i * sizeof(r), &r,
					     sizeof(r));
		if (!status && (le64_to_cpu(r.slba) > TT_NS_SIZE >> 9 ||
				le32_to_cpu(r.nlb) >
				(TT_NS_SIZE >> 9) - le64_to_cpu(r.slba)))
			status = NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
		if (!status)
			memset(req->ns->backend_priv +
			       (le64_to_cpu(r.slba) << req->ns->blksize_shift),
			       0, le32_to_cpu(r.nlb) << req->ns->blksize_shift);
	}
	nvmet_req_complete(req, status);
}

/*
 * The RAM backend's copy(): refuses (-EOPNOTSUPP, so the core stages the
 * copy through rw()) unless a case turns it on; counts its calls.
 */
static bool tt_copy_offload;
static unsigned int tt_copy_calls;

static int tt_ram_copy(struct nvmet_req *req, struct nvmet_ns *dst,
		       loff_t dpos, struct nvmet_ns *src, loff_t spos, u64 len,
		       bool fua)
{
	tt_copy_calls++;
	if (!READ_ONCE(tt_copy_offload))
		return -EOPNOTSUPP;
	memmove(dst->backend_priv + dpos, src->backend_priv + spos, len);
	return 0;
}

/* The size the RAM backend revalidates to: at most TT_NS_SIZE. */
static u64 tt_ram_size;

static int tt_ram_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = tt_ram_size;
	return 0;
}

/* The limits the RAM backend reports; a case sets them. */
static struct nvmet_ns_limits tt_limits;

static void tt_ram_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	*lim = tt_limits;
}

/* What the RAM backend says of its media; rotational if a case says so. */
static bool tt_rotational;

static void tt_ram_media_info(struct nvmet_ns *ns,
			      struct nvmet_media_info *info)
{
	info->rotational = tt_rotational;
	info->read_cmds = 7;
	info->write_cmds = 3;
	info->read_sectors = 2001;
	info->write_sectors = 1000;
}

static const struct nvmet_backend_ops tt_ram_backend = {
	.name		= "kunit-ram",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE,
	.open		= tt_ram_open,
	.close		= tt_ram_close,
	.revalidate	= tt_ram_revalidate,
	.rw		= tt_ram_rw,
	.write_zeroes	= tt_ram_write_zeroes,
	.dsm		= tt_ram_dsm,
	.copy		= tt_ram_copy,
	.limits		= tt_ram_limits,
	.media_info	= tt_ram_media_info,
};

struct tt_env {
	struct nvmet_subsys *subsys;
	struct nvmet_port *port;
	struct nvmet_host *host;
	struct nvmet_ns *ns;
};

static struct tt_env *tt_env_of(struct kunit *test)
{
	return test->priv;
}

static int tt_init(struct kunit *test)
{
	struct tt_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	test->priv = env;
	tt_deletes = 0;
	tt_nr_queues = 0;
	tt_rotational = false;
	tt_copy_offload = false;
	tt_copy_calls = 0;
	tt_ram_size = TT_NS_SIZE;
	memset(&tt_limits, 0, sizeof(tt_limits));
	ret = nvmet_register_fabric(&tt_fabric);
	if (ret)
		return ret;
	ret = nvmet_register_backend(&tt_ram_backend);
	if (ret)
		return ret;
	env->subsys = nvmet_subsys_create(TT_SUBNQN);
	if (IS_ERR(env->subsys))
		return PTR_ERR(env->subsys);
	env->port = nvmet_port_create(7);
	if (IS_ERR(env->port))
		return PTR_ERR(env->port);
	nvmet_port_config_begin(env->port);
	env->port->disc_addr.trtype = TT_TRTYPE;
	nvmet_port_config_end(env->port);
	env->host = nvmet_host_create(TT_HOSTNQN);
	if (IS_ERR(env->host))
		return PTR_ERR(env->host);
	ret = nvmet_subsys_allow_host(env->subsys, env->host);
	if (ret)
		return ret;
	ret = nvmet_port_link_subsys(env->port, env->subsys);
	if (ret)
		return ret;
	env->ns = nvmet_ns_create(env->subsys, 1);
	if (IS_ERR(env->ns))
		return PTR_ERR(env->ns);
	ret = nvmet_ns_set_backend(env->ns, "kunit-ram");
	if (ret)
		return ret;
	return nvmet_ns_enable(env->ns);
}

static void tt_exit(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);

	WRITE_ONCE(nvmet_test_hook, NULL);
	nvmet_ns_free(env->ns);
	nvmet_port_unlink_subsys(env->port, env->subsys);
	nvmet_subsys_disallow_host(env->subsys, env->host);
	nvmet_host_remove(env->host);
	nvmet_host_put(env->host);
	nvmet_subsys_remove(env->subsys);
	nvmet_subsys_put(env->subsys);
	nvmet_port_remove(env->port);
	nvmet_port_put(env->port);
	nvmet_unregister_backend(&tt_ram_backend);
	nvmet_unregister_fabric(&tt_fabric);
}

static struct tt_queue *tt_queue_new(struct kunit *test)
{
	struct tt_queue *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, nvmet_sq_init(&q->sq), 0);
	KUNIT_ASSERT_LT(test, tt_nr_queues, TT_MAX_QUEUES);
	tt_queues[tt_nr_queues++] = q;
	return q;
}

/* Put @cmd in @q's slot with an SGL of @len bytes, as a fabric does. */
static void tt_prep(struct kunit *test, struct tt_queue *q,
		    struct nvme_command *cmd, u32 len)
{
	struct nvmet_req *req = &q->req;

	q->cmd = *cmd;
	q->cmd.common.flags |= NVME_CMD_SGL_METABUF;
	memset(&q->cqe, 0, sizeof(q->cqe));
	init_completion(&q->done);
	req->cmd = &q->cmd;
	req->cqe = &q->cqe;
	req->port = q->port ?: tt_env_of(test)->port;
	req->transfer_len = len;
}

/*
 * The completion's status field less the More bit, which says only that
 * the Error Information log page has an entry naming the failed field
 * (tt_test_log_pages_21 checks it): DNR and the status code stay.
 */
static u16 tt_cqe_status(struct tt_queue *q)
{
	return (le16_to_cpu(q->cqe.status) >> 1) & ~NVME_STATUS_MORE;
}

/* The completion's More bit. */
static bool tt_cqe_more(struct tt_queue *q)
{
	return (le16_to_cpu(q->cqe.status) >> 1) & NVME_STATUS_MORE;
}

/*
 * Run one command as a fabric would: init, data in, execute, wait for the
 * completion, data out.  Returns the status field (DNR included, More
 * not: tt_cqe_status()).
 */
static u16 tt_submit(struct kunit *test, struct tt_queue *q,
		     struct nvme_command *cmd, void *buf, u32 len)
{
	struct nvmet_req *req = &q->req;
	u16 status;

	tt_prep(test, q, cmd, len);
	if (nvmet_req_init(req, &q->cq, &q->sq, &tt_fabric)) {
		KUNIT_ASSERT_EQ(test, nvmet_req_alloc_sgl(req), 0);
		if (len && nvme_is_write(req->cmd))
			sg_copy_from_buffer(req->sg, req->sg_cnt, buf, len);
		req->execute(req);
	}
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&q->done, 10 * HZ),
			0);
	if (len && req->sg && !nvme_is_write(req->cmd))
		sg_copy_to_buffer(req->sg, req->sg_cnt, buf, len);
	nvmet_req_free_sgl(req);
	status = tt_cqe_status(q);
	return status;
}

static u16 tt_connect(struct kunit *test, struct tt_queue *q, u16 qid,
		      const char *subnqn, const char *hostnqn, u16 cntlid)
{
	struct nvmf_connect_data *d;
	struct nvme_command c = { };
	u16 status;

	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	strscpy(d->subsysnqn, subnqn, sizeof(d->subsysnqn));
	strscpy(d->hostnqn, hostnqn, sizeof(d->hostnqn));
	d->cntlid = cpu_to_le16(cntlid);
	c.connect.opcode = nvme_fabrics_command;
	c.connect.fctype = nvme_fabrics_type_connect;
	c.connect.qid = cpu_to_le16(qid);
	c.connect.sqsize = cpu_to_le16(31);
	c.connect.kato = cpu_to_le32(qid ? 0 : 5000);
	status = tt_submit(test, q, &c, d, sizeof(*d));
	return status;
}

static u16 tt_prop_set_cc(struct kunit *test, struct tt_queue *q, u32 cc)
{
	struct nvme_command c = { };

	c.prop_set.opcode = nvme_fabrics_command;
	c.prop_set.fctype = nvme_fabrics_type_property_set;
	c.prop_set.offset = cpu_to_le32(NVME_REG_CC);
	c.prop_set.value = cpu_to_le64(cc);
	return tt_submit(test, q, &c, NULL, 0);
}

static u64 tt_prop_get(struct kunit *test, struct tt_queue *q, u32 off,
		       bool wide)
{
	struct nvme_command c = { };

	c.prop_get.opcode = nvme_fabrics_command;
	c.prop_get.fctype = nvme_fabrics_type_property_get;
	c.prop_get.offset = cpu_to_le32(off);
	c.prop_get.attrib = wide;
	KUNIT_EXPECT_EQ(test, tt_submit(test, q, &c, NULL, 0), 0);
	return le64_to_cpu(q->cqe.result.u64);
}

#define TT_CC_EN	(NVME_CC_ENABLE | NVME_CC_CSS_NVM | \
			 NVME_NVM_IOSQES << NVME_CC_IOSQES_SHIFT | \
			 NVME_NVM_IOCQES << NVME_CC_IOCQES_SHIFT)

/* Admin queue connected and enabled; returns the controller ID. */
static u16 tt_admin_up(struct kunit *test, struct tt_queue *aq)
{
	u16 cntlid;

	KUNIT_ASSERT_EQ(test, tt_connect(test, aq, 0, TT_SUBNQN, TT_HOSTNQN,
					 0xffff), 0);
	cntlid = le16_to_cpu(aq->cqe.result.u16);
	KUNIT_ASSERT_EQ(test, tt_prop_set_cc(test, aq, TT_CC_EN), 0);
	KUNIT_ASSERT_TRUE(test, tt_prop_get(test, aq, NVME_REG_CSTS, false) &
			  NVME_CSTS_RDY);
	return cntlid;
}

static u16 tt_identify(struct kunit *test, struct tt_queue *q, u8 cns,
		       u32 nsid, void *buf)
{
	struct nvme_command c = { };

	c.identify.opcode = nvme_admin_identify;
	c.identify.cns = cns;
	c.identify.nsid = cpu_to_le32(nsid);
	return tt_submit(test, q, &c, buf, NVME_IDENTIFY_DATA_SIZE);
}

static u16 tt_get_log(struct kunit *test, struct tt_queue *q, u8 lid,
		      void *buf, u32 len)
{
	struct nvme_command c = { };

	c.get_log_page.opcode = nvme_admin_get_log_page;
	c.get_log_page.lid = lid;
	c.get_log_page.numdl = cpu_to_le16((len / 4 - 1) & 0xffff);
	c.get_log_page.numdu = cpu_to_le16((len / 4 - 1) >> 16);
	c.get_log_page.nsid = cpu_to_le32(NVME_NSID_ALL);
	return tt_submit(test, q, &c, buf, len);
}

static u16 tt_rw(struct kunit *test, struct tt_queue *q, u8 op, u32 nsid,
		 u64 slba, u16 nlb, void *buf)
{
	struct nvme_command c = { };

	c.rw.opcode = op;
	c.rw.nsid = cpu_to_le32(nsid);
	c.rw.slba = cpu_to_le64(slba);
	c.rw.length = cpu_to_le16(nlb - 1);
	return tt_submit(test, q, &c, buf, buf ? nlb << 9 : 0);
}

/* One source range of a Copy: its SLBA and its blocks (1 to 65536). */
struct tt_copy_range {
	u64 slba;
	u32 nlb;
	u32 snsid;	/* formats 2h and 3h */
};

/*
 * Copy @nr ranges of namespace 1 to @sdlba, in descriptor format @fmt
 * (0 or 1; others sent with format 0's size), with @cdw12 ORed in.
 */
static u16 tt_copy(struct kunit *test, struct tt_queue *q, u8 fmt,
		   u64 sdlba, const struct tt_copy_range *r, unsigned int nr,
		   u32 cdw12)
{
	u32 size = fmt == NVMET_COPY_FMT1 || fmt == NVMET_COPY_FMT3 ?
		   NVMET_COPY_DESC1_SIZE : NVMET_COPY_DESC0_SIZE;
	struct nvme_command c = { };
	unsigned int i;
	u8 *buf;

	buf = kunit_kzalloc(test, nr * size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < nr; i++) {
		struct nvmet_copy_desc *d = (void *)(buf + i * size);

		d->snsid = cpu_to_le32(r[i].snsid);
		d->slba = cpu_to_le64(r[i].slba);
		d->nlb = cpu_to_le16(r[i].nlb - 1);
		/* Tags a namespace without PI never reads. */
		memset(buf + i * size + 24, 0xee, size - 24);
	}
	c.common.opcode = NVMET_CMD_COPY;
	c.common.nsid = cpu_to_le32(1);
	c.common.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	c.common.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	c.common.cdw12 = cpu_to_le32((nr - 1) | fmt << NVMET_COPY_DESFMT_SHIFT |
				     cdw12);
	return tt_submit(test, q, &c, buf, nr * size);
}

static void tt_test_connect_errors(struct kunit *test)
{
	struct tt_queue *q = tt_queue_new(test);

	KUNIT_EXPECT_EQ(test, tt_connect(test, q, 0, "nqn.test:none",
					 TT_HOSTNQN, 0xffff),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(q->cqe.result.u32),
			1 << 16 | offsetof(struct nvmf_connect_data,
					   subsysnqn));
	KUNIT_EXPECT_EQ(test, tt_connect(test, q, 0, TT_SUBNQN,
					 "nqn.test:stranger", 0xffff),
			NVME_SC_CONNECT_INVALID_HOST | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_connect(test, q, 0, TT_SUBNQN, TT_HOSTNQN,
					 5),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	/* An I/O queue for a controller that does not exist. */
	KUNIT_EXPECT_EQ(test, tt_connect(test, q, 1, TT_SUBNQN, TT_HOSTNQN,
					 1),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	nvmet_sq_destroy(&q->sq);
}

static void tt_test_registers_identify(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_id_ctrl *id;
	struct nvme_id_ns *idns;
	__le32 *list;
	u16 cntlid;
	u64 cap;

	/* Admin commands before CC.EN are a sequence error. */
	KUNIT_ASSERT_EQ(test, tt_connect(test, aq, 0, TT_SUBNQN, TT_HOSTNQN,
					 0xffff), 0);
	cntlid = le16_to_cpu(aq->cqe.result.u16);
	KUNIT_EXPECT_GE(test, cntlid, NVMET_CNTLID_MIN);
	id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR);

	cap = tt_prop_get(test, aq, NVME_REG_CAP, true);
	KUNIT_EXPECT_EQ(test, NVME_CAP_MQES(cap), NVMET_QUEUE_SIZE - 1);
	KUNIT_EXPECT_EQ(test, tt_prop_get(test, aq, NVME_REG_VS, false),
			(u64)NVMET_DEFAULT_VS);
	KUNIT_ASSERT_EQ(test, tt_prop_set_cc(test, aq, TT_CC_EN), 0);
	KUNIT_EXPECT_TRUE(test, tt_prop_get(test, aq, NVME_REG_CSTS, false) &
			  NVME_CSTS_RDY);

	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(id->cntlid), cntlid);
	KUNIT_EXPECT_STREQ(test, id->subnqn, TT_SUBNQN);
	KUNIT_EXPECT_EQ(test, memcmp(id->mn, "Linux   ", 8), 0);
	KUNIT_EXPECT_EQ(test, id->cntrltype, NVME_CTRL_IO);
	/* Identify froze the identity. */
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_model(tt_env_of(test)->subsys,
						     "Other"), -EINVAL);

	idns = (void *)id;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(idns->nsze), TT_NS_SIZE >> 9);
	KUNIT_EXPECT_EQ(test, idns->lbaf[0].ds, 9);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 2, idns),
			0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(idns->nsze), 0);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS,
					  NVME_NSID_ALL, idns),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);

	list = (void *)id;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS_ACTIVE_LIST,
					  0, list), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[0]), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[1]), 0);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, 0x42, 0, list),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	nvmet_sq_destroy(&aq->sq);
	KUNIT_EXPECT_EQ(test, tt_deletes, 1);
}

static void tt_test_io(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct tt_queue *iq2 = tt_queue_new(test);
	u8 *wbuf, *rbuf;
	u16 cntlid;
	int i;

	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	/* The same qid twice is a sequence error. */
	KUNIT_EXPECT_EQ(test, tt_connect(test, iq2, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid),
			NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR);
	nvmet_sq_destroy(&iq2->sq);

	wbuf = kunit_kmalloc(test, 8 << 9, GFP_KERNEL);
	rbuf = kunit_kzalloc(test, 8 << 9, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, wbuf);
	KUNIT_ASSERT_NOT_NULL(test, rbuf);
	for (i = 0; i < 8 << 9; i++)
		wbuf[i] = i * 7 + 3;
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 100, 8, wbuf),
			0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 100, 8, rbuf),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(wbuf, rbuf, 8 << 9), 0);

	/* Write Zeroes, then the range reads back as zeroes. */
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write_zeroes, 1, 102, 2,
				    NULL), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 100, 8, rbuf),
			0);
	KUNIT_EXPECT_NULL(test, memchr_inv(rbuf + (2 << 9), 0, 2 << 9));
	KUNIT_EXPECT_EQ(test, memcmp(rbuf, wbuf, 2 << 9), 0);
	/* Turned off, Write Zeroes is an invalid opcode. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(tt_env_of(test)->ns,
						   NVMET_BF_WRITE_ZEROES,
						   false), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write_zeroes, 1, 0, 1,
				    NULL),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);

	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1,
				    (TT_NS_SIZE >> 9) - 4, 8, rbuf),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 9, 0, 1, rbuf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	/* The host's buffer must match the command's length. */
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0, 1, NULL),
			NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR);

	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* A namespace disabled under a connected host raises an event. */
static void tt_test_ns_changed_aen(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_command c = { };
	struct tt_queue *eq;
	__le32 *log;

	tt_admin_up(test, aq);
	/* The AER waits: submit it by hand, in a slot of the admin queue. */
	eq = kunit_kzalloc(test, sizeof(*eq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, eq);
	c.common.opcode = nvme_admin_async_event;
	c.common.flags = NVME_CMD_SGL_METABUF;
	eq->cmd = c;
	init_completion(&eq->done);
	eq->req.cmd = &eq->cmd;
	eq->req.cqe = &eq->cqe;
	eq->req.port = env->port;
	eq->req.transfer_len = 0;
	KUNIT_ASSERT_TRUE(test, nvmet_req_init(&eq->req, &aq->cq, &aq->sq,
					       &tt_fabric));
	eq->req.execute(&eq->req);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&eq->done, HZ / 10),
			0);

	nvmet_ns_disable(env->ns);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&eq->done, 10 * HZ),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(eq->cqe.status) >> 1, 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(eq->cqe.result.u32),
			NVME_AER_NOTICE | NVME_AER_NOTICE_NS_CHANGED << 8 |
			NVME_LOG_CHANGED_NS << 16);

	log = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_EXPECT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, log,
					 4096), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(log[0]), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(log[1]), 0);
	/* Read clears it. */
	KUNIT_EXPECT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, log,
					 4096), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(log[0]), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(env->ns), 0);
	nvmet_sq_destroy(&aq->sq);
}

/* Submit an Asynchronous Event Request on @aq, in a slot of its own. */
static struct tt_queue *tt_aer_submit(struct kunit *test, struct tt_queue *aq)
{
	struct tt_queue *eq = kunit_kzalloc(test, sizeof(*eq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, eq);
	eq->cmd.common.opcode = nvme_admin_async_event;
	eq->cmd.common.flags = NVME_CMD_SGL_METABUF;
	init_completion(&eq->done);
	eq->req.cmd = &eq->cmd;
	eq->req.cqe = &eq->cqe;
	eq->req.port = tt_env_of(test)->port;
	KUNIT_ASSERT_TRUE(test, nvmet_req_init(&eq->req, &aq->cq, &aq->sq,
					       &tt_fabric));
	eq->req.execute(&eq->req);
	return eq;
}

/* An Asynchronous Event Request, left waiting in a slot of @aq. */
static struct tt_queue *tt_aer_post(struct kunit *test, struct tt_queue *aq)
{
	struct tt_queue *eq = tt_aer_submit(test, aq);

	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&eq->done, HZ / 10),
			0);
	return eq;
}

/*
 * @eq's event came: Namespace Attribute Changed, and the log names NSID
 * @nsid alone (reading it re-arms the event).
 */
static void tt_expect_ns_changed(struct kunit *test, struct tt_queue *aq,
				 struct tt_queue *eq, u32 nsid)
{
	__le32 *log = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&eq->done, 10 * HZ),
			0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(eq->cqe.result.u32),
			NVME_AER_NOTICE | NVME_AER_NOTICE_NS_CHANGED << 8 |
			NVME_LOG_CHANGED_NS << 16);
	KUNIT_EXPECT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, log,
					 4096), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(log[0]), nsid);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(log[1]), 0);
}

static u16 tt_oncs(struct kunit *test, struct tt_queue *aq)
{
	struct nvme_id_ctrl *id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->vwc & NVME_CTRL_VWC_PRESENT,
			NVME_CTRL_VWC_PRESENT);
	return le16_to_cpu(id->oncs) &
	       (NVME_CTRL_ONCS_WRITE_ZEROES | NVME_CTRL_ONCS_DSM);
}

static u16 tt_dsm(struct kunit *test, struct tt_queue *iq, u64 slba, u32 nlb)
{
	struct nvme_dsm_range *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct nvme_command c = { };

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->slba = cpu_to_le64(slba);
	r->nlb = cpu_to_le32(nlb);
	c.dsm.opcode = nvme_cmd_dsm;
	c.dsm.nsid = cpu_to_le32(1);
	c.dsm.attributes = cpu_to_le32(NVME_DSMGMT_AD);
	return tt_submit(test, iq, &c, r, sizeof(*r));
}

/*
 * Each feature bit switched with a host connected: the event, ONCS (the
 * controller's, for what some visible namespace has), NSFEAT and DLFEAT
 * of the namespace, and the command refused as an invalid opcode.
 */
static void tt_test_feature_bits(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	const u16 both = NVME_CTRL_ONCS_WRITE_ZEROES | NVME_CTRL_ONCS_DSM;
	struct nvme_id_ns *idns;
	struct tt_queue *eq;
	struct nvmet_ns *ns2;
	u8 *buf;
	u16 cntlid;

	idns = kunit_kzalloc(test, sizeof(*idns), GFP_KERNEL);
	buf = kunit_kmalloc(test, 4 << 9, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idns);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	tt_limits.dealloc_zeroes = true;
	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	KUNIT_EXPECT_EQ(test, tt_oncs(test, aq), both);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->nsfeat, NVME_NS_FEAT_THIN);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 1);

	/* Deallocation works, and reads back as zeroes (DLFEAT 001b). */
	memset(buf, 0xa5, 4 << 9);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 8, 4, buf),
			0);
	KUNIT_EXPECT_EQ(test, tt_dsm(test, iq, 9, 2), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 8, 4, buf), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 512, 0, 2 << 9));

	/* write_zeroes off: the event, ONCS, the command. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_WRITE_ZEROES,
						   false), 0);
	tt_expect_ns_changed(test, aq, eq, 1);
	KUNIT_EXPECT_EQ(test, tt_oncs(test, aq), NVME_CTRL_ONCS_DSM);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write_zeroes, 1, 0, 1,
				    NULL),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);

	/* deallocate off: DSM is an invalid opcode, no longer a no-op. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_DEALLOCATE,
						   false), 0);
	tt_expect_ns_changed(test, aq, eq, 1);
	KUNIT_EXPECT_EQ(test, tt_oncs(test, aq), 0);
	KUNIT_EXPECT_EQ(test, tt_dsm(test, iq, 8, 1),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, iq->req.error_loc,
			offsetof(struct nvme_common_command, opcode));
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 8, 1, buf), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->nsfeat, 0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0);

	/* Writing a bit's own state back changes nothing and tells no one. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_DEALLOCATE,
						   false), 0);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&eq->done, HZ / 10),
			0);

	/* A second visible namespace with both: ONCS has them again. */
	ns2 = nvmet_ns_create(env->subsys, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ns2));
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_backend(ns2, "kunit-ram"), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_enable(ns2), 0);
	tt_expect_ns_changed(test, aq, eq, 2);
	KUNIT_EXPECT_EQ(test, tt_oncs(test, aq), both);
	/* ... while namespace 1 still refuses them. */
	KUNIT_EXPECT_EQ(test, tt_dsm(test, iq, 8, 1),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	nvmet_ns_free(ns2);

	/* Both on again: as at the start. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_WRITE_ZEROES,
						   true), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_DEALLOCATE,
						   true), 0);
	KUNIT_EXPECT_EQ(test, tt_oncs(test, aq), both);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write_zeroes, 1, 8, 1,
				    NULL), 0);
	KUNIT_EXPECT_EQ(test, tt_dsm(test, iq, 8, 1), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->nsfeat, NVME_NS_FEAT_THIN);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 1);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * Identify Namespace reports the backend's limits in 0's based logical
 * blocks (clamped to 16 bits), and re-reads the size: a grown or shrunk
 * backend shows without revalidate_size, and the change raises the
 * event.
 */
static void tt_test_identify_limits(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_id_ns *idns;
	struct tt_queue *eq;

	idns = kunit_kzalloc(test, sizeof(*idns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idns);
	tt_admin_up(test, aq);
	/* No limits: NSFEAT bits 1 and 4 clear, the fields zero. */
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->nsfeat, NVME_NS_FEAT_THIN);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nawupf), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npwg), 0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0);

	tt_limits.atomic_write = SZ_4K;
	tt_limits.write_granularity = SZ_8K;
	tt_limits.dealloc_granularity = SZ_1M;
	tt_limits.optimal_write = SZ_128K;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->nsfeat, NVME_NS_FEAT_THIN |
			NVME_NS_FEAT_ATOMICS | NVMET_NS_FEAT_OPTPERF);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nawun), 7);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nawupf), 7);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nacwu), 7);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npwg), 15);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npwa), 15);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npdg), 2047);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npda), 2047);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nows), 255);
	/* Below a block: one block; beyond 16 bits: 65536 blocks. */
	tt_limits.write_granularity = 256;
	tt_limits.dealloc_granularity = SZ_1G;
	tt_limits.optimal_write = 0;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npwg), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->npdg), 0xffff);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->nows), 0);

	/* The storage shrank: Identify sees it and tells the host. */
	eq = tt_aer_post(test, aq);
	tt_ram_size = TT_NS_SIZE / 2;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(idns->nsze), TT_NS_SIZE / 2 >> 9);
	tt_expect_ns_changed(test, aq, eq, 1);
	/* The same size again: no event. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&eq->done, HZ / 10),
			0);
	tt_ram_size = TT_NS_SIZE;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(idns->nsze), TT_NS_SIZE >> 9);
	tt_expect_ns_changed(test, aq, eq, 1);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * DLFEAT follows what deallocates: 001b while Dataset Management or a
 * Write Zeroes with DEAC deallocates blocks that read as zeroes, bit 3
 * while Write Zeroes takes DEAC; each only while its feature bit is on.
 */
static void tt_test_identify_dlfeat(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_id_ns *idns;

	idns = kunit_kzalloc(test, sizeof(*idns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idns);
	tt_admin_up(test, aq);
	tt_limits.dealloc_zeroes = true;
	tt_limits.write_zeroes_dealloc = true;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0x9);
	/* Write Zeroes alone still deallocates. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_DEALLOCATE,
						   false), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0x9);
	/* Nothing deallocates any more. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_WRITE_ZEROES,
						   false), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0);
	/* DSM alone, with blocks that do not read back as zeroes. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_DEALLOCATE,
						   true), 0);
	tt_limits.dealloc_zeroes = false;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0);
	/* Write Zeroes takes DEAC without the zeroes promise: bit 3 only. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_WRITE_ZEROES,
						   true), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, idns->dlfeat, 0x8);
	nvmet_sq_destroy(&aq->sq);
}

static void tt_test_discovery(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *dq = tt_queue_new(test);
	struct nvmf_disc_rsp_page_hdr *hdr;
	struct nvme_id_ctrl *id;
	u64 gen;

	KUNIT_ASSERT_EQ(test, tt_connect(test, dq, 0, NVMET_DISC_NQN,
					 TT_HOSTNQN, 0xffff), 0);
	KUNIT_ASSERT_EQ(test, tt_prop_set_cc(test, dq, NVME_CC_ENABLE), 0);
	id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, dq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->cntrltype, NVME_CTRL_DISC);
	KUNIT_EXPECT_STREQ(test, id->subnqn, NVMET_DISC_NQN);

	hdr = kunit_kzalloc(test, 4 * 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, dq, NVME_LOG_DISC, hdr,
					 4 * 1024), 0);
	/* The current discovery subsystem, then our subsystem. */
	KUNIT_EXPECT_EQ(test, le64_to_cpu(hdr->numrec), 2);
	KUNIT_EXPECT_EQ(test, hdr->entries[0].subtype, NVME_NQN_CURR);
	KUNIT_EXPECT_EQ(test, hdr->entries[1].subtype, NVME_NQN_NVME);
	KUNIT_EXPECT_STREQ(test, hdr->entries[1].subnqn, TT_SUBNQN);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->entries[1].portid), 7);
	gen = le64_to_cpu(hdr->genctr);

	/* Without the host in the ACL the subsystem is not listed. */
	KUNIT_ASSERT_EQ(test, nvmet_subsys_disallow_host(env->subsys,
							 env->host), 0);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, dq, NVME_LOG_DISC, hdr,
					 4 * 1024), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(hdr->numrec), 1);
	KUNIT_EXPECT_GT(test, le64_to_cpu(hdr->genctr), gen);
	KUNIT_ASSERT_EQ(test, nvmet_subsys_allow_host(env->subsys, env->host),
			0);
	/* Only log page 0x70 exists here. */
	KUNIT_EXPECT_EQ(test, tt_get_log(test, dq, NVME_LOG_SMART, hdr, 512),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	nvmet_sq_destroy(&dq->sq);
}

/*
 * Offer a command whose SGL claims @len bytes.  True when the core
 * refused it before the fabric would allocate a data buffer for it
 * (nvmet_req_init() completed it), with the status in *status; false
 * when it was accepted, i.e. a fabric would now allocate @len bytes.
 */
static bool tt_refused(struct kunit *test, struct tt_queue *q,
		       struct nvme_command *cmd, u32 len, u16 *status)
{
	struct nvmet_req *req = &q->req;

	*status = 0;
	tt_prep(test, q, cmd, len);
	if (nvmet_req_init(req, &q->cq, &q->sq, &tt_fabric)) {
		nvmet_req_uninit(req);
		return false;
	}
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&q->done, 10 * HZ),
			0);
	KUNIT_EXPECT_NULL(test, req->sg);
	*status = tt_cqe_status(q);
	return true;
}

#define TT_HUGE		SZ_512M
#define TT_SGL_INVALID	(NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR)
#define TT_INVALID	(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR)

/* Expect @cmd with an SGL of @len bytes refused with @want. */
static void tt_expect_refused(struct kunit *test, struct tt_queue *q,
			      struct nvme_command *cmd, u32 len, u16 want)
{
	u16 status;

	KUNIT_EXPECT_TRUE_MSG(test, tt_refused(test, q, cmd, len, &status),
			      "accepted an SGL of %u bytes (opcode %#x)", len,
			      cmd->common.opcode);
	KUNIT_EXPECT_EQ(test, status, want);
}

static void tt_set_features(struct nvme_command *c, u32 fid)
{
	memset(c, 0, sizeof(*c));
	c->features.opcode = nvme_admin_set_features;
	c->features.fid = cpu_to_le32(fid);
	c->features.dword11 = cpu_to_le32(5000);
}

static void tt_get_log_cmd(struct nvme_command *c, u8 lid, u64 len)
{
	u64 numd = len / 4 - 1;

	memset(c, 0, sizeof(*c));
	c->get_log_page.opcode = nvme_admin_get_log_page;
	c->get_log_page.lid = lid;
	c->get_log_page.numdl = cpu_to_le16(numd & 0xffff);
	c->get_log_page.numdu = cpu_to_le16(numd >> 16);
}

static void tt_write_cmd(struct nvme_command *c, u64 slba, u32 nlb)
{
	memset(c, 0, sizeof(*c));
	c->rw.opcode = nvme_cmd_write;
	c->rw.nsid = cpu_to_le32(1);
	c->rw.slba = cpu_to_le64(slba);
	c->rw.length = cpu_to_le16(nlb - 1);
}

/* Unlink the port, give it MDTS @mdts, link it again. */
static void tt_port_mdts(struct kunit *test, u8 mdts)
{
	struct tt_env *env = tt_env_of(test);

	KUNIT_ASSERT_EQ(test, nvmet_port_unlink_subsys(env->port, env->subsys),
			0);
	KUNIT_ASSERT_EQ(test, nvmet_port_config_begin(env->port), 0);
	KUNIT_EXPECT_EQ(test, nvmet_port_set_mdts(env->port, mdts), 0);
	nvmet_port_config_end(env->port);
	KUNIT_ASSERT_EQ(test, nvmet_port_link_subsys(env->port, env->subsys),
			0);
}

/*
 * Admin commands: a transfer longer than the command carries, or longer
 * than the port's MDTS, is refused before any data buffer exists (the
 * issue's 512 MiB Set Features); Identify shows the MDTS.
 */
static void tt_test_bounds_admin(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_command c;
	struct nvme_id_ctrl *id;
	u8 *buf;

	tt_admin_up(test, aq);
	id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->mdts, NVMET_DEFAULT_MDTS);

	tt_set_features(&c, NVME_FEAT_KATO);
	tt_expect_refused(test, aq, &c, TT_HUGE, TT_SGL_INVALID);
	tt_expect_refused(test, aq, &c, 16, TT_SGL_INVALID);
	KUNIT_EXPECT_EQ(test, tt_submit(test, aq, &c, NULL, 0), 0);

	/* A short log page in a huge buffer; a log page beyond MDTS. */
	tt_get_log_cmd(&c, NVME_LOG_ERROR, SZ_4K);
	tt_expect_refused(test, aq, &c, TT_HUGE, TT_SGL_INVALID);
	tt_get_log_cmd(&c, NVME_LOG_ERROR, TT_HUGE);
	tt_expect_refused(test, aq, &c, TT_HUGE, TT_INVALID);
	tt_get_log_cmd(&c, NVME_LOG_ERROR, SZ_2M);
	tt_expect_refused(test, aq, &c, SZ_2M, TT_INVALID);
	/* NUMD of all ones: 16 GiB, which must not wrap to 0 bytes. */
	tt_get_log_cmd(&c, NVME_LOG_ERROR, 0x400000000ULL);
	tt_expect_refused(test, aq, &c, 0, TT_INVALID);

	/* What hosts really send still works. */
	buf = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, tt_get_log(test, aq, NVME_LOG_ERROR, buf, SZ_4K),
			0);
	memset(&c, 0, sizeof(c));
	c.features.opcode = nvme_admin_get_features;
	c.features.fid = cpu_to_le32(NVME_FEAT_HOST_ID);
	c.features.dword11 = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, tt_submit(test, aq, &c, buf, 16), 0);
	tt_expect_refused(test, aq, &c, TT_HUGE, TT_SGL_INVALID);
	nvmet_sq_destroy(&aq->sq);
}

/* I/O: NLB x block size bounds a Write's buffer, MDTS bounds both. */
static void tt_test_bounds_io(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct nvme_command c;
	u8 *wbuf, *rbuf;
	u16 cntlid;
	int i;

	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	tt_write_cmd(&c, 0, 1);
	tt_expect_refused(test, iq, &c, TT_HUGE, TT_SGL_INVALID);
	tt_expect_refused(test, iq, &c, 1024, TT_SGL_INVALID);
	/*
	 * 2 MiB in 512-byte blocks: the data fits the SGL, not MDTS, nor the
	 * 1 MiB namespace, and the range check comes first; the port MDTS
	 * case below refuses a Write for MDTS alone.
	 */
	tt_write_cmd(&c, 0, 1);
	c.rw.length = cpu_to_le16(SZ_2M / 512 - 1);
	c.rw.slba = 0;
	tt_expect_refused(test, iq, &c, SZ_2M,
			  NVME_SC_LBA_RANGE | NVME_STATUS_DNR);

	/* Dataset Management: the ranges, or the page Linux sends. */
	memset(&c, 0, sizeof(c));
	c.dsm.opcode = nvme_cmd_dsm;
	c.dsm.nsid = cpu_to_le32(1);
	tt_expect_refused(test, iq, &c, SZ_8K, TT_SGL_INVALID);
	tt_expect_refused(test, iq, &c, TT_HUGE, TT_SGL_INVALID);

	/* Exactly MDTS (1 MiB, the whole namespace) goes through. */
	wbuf = kunit_kmalloc(test, SZ_1M, GFP_KERNEL);
	rbuf = kunit_kzalloc(test, SZ_1M, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, wbuf);
	KUNIT_ASSERT_NOT_NULL(test, rbuf);
	for (i = 0; i < SZ_1M; i++)
		wbuf[i] = i * 13 + 1;
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0,
				    SZ_1M >> 9, wbuf), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0,
				    SZ_1M >> 9, rbuf), 0);
	KUNIT_EXPECT_EQ(test, memcmp(wbuf, rbuf, SZ_1M), 0);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* A port's own MDTS: advertised, enforced; 0 leaves the core's ceiling. */
static void tt_test_bounds_port_mdts(struct kunit *test)
{
	struct tt_queue *aq, *iq;
	struct nvme_command c;
	struct nvme_id_ctrl *id;
	u16 cntlid, st;

	id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);

	tt_port_mdts(test, 1);		/* 8 KiB */
	aq = tt_queue_new(test);
	iq = tt_queue_new(test);
	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->mdts, 1);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	tt_write_cmd(&c, 0, SZ_8K / 512 + 1);
	tt_expect_refused(test, iq, &c, SZ_8K + 512, TT_INVALID);
	tt_write_cmd(&c, 0, SZ_8K / 512);
	KUNIT_EXPECT_FALSE(test, tt_refused(test, iq, &c, SZ_8K, &st));
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);

	/* 0: no limit advertised; the core still stops at its ceiling. */
	tt_port_mdts(test, 0);
	aq = tt_queue_new(test);
	tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->mdts, 0);
	tt_get_log_cmd(&c, NVME_LOG_ERROR, SZ_4M);
	KUNIT_EXPECT_FALSE(test, tt_refused(test, aq, &c, SZ_4M, &st));
	tt_get_log_cmd(&c, NVME_LOG_ERROR, SZ_1G);
	tt_expect_refused(test, aq, &c, SZ_1G, TT_INVALID);
	nvmet_sq_destroy(&aq->sq);
}

/* The discovery controller: the unauthenticated path of the issue. */
static void tt_test_bounds_discovery(struct kunit *test)
{
	struct tt_queue *dq = tt_queue_new(test);
	struct nvme_command c;
	struct nvme_id_ctrl *id;

	KUNIT_ASSERT_EQ(test, tt_connect(test, dq, 0, NVMET_DISC_NQN,
					 "nqn.test:anyone", 0xffff), 0);
	KUNIT_ASSERT_EQ(test, tt_prop_set_cc(test, dq, NVME_CC_ENABLE), 0);
	id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, dq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->mdts, NVMET_DEFAULT_MDTS);

	tt_set_features(&c, NVME_FEAT_KATO);
	tt_expect_refused(test, dq, &c, TT_HUGE, TT_SGL_INVALID);
	tt_get_log_cmd(&c, NVME_LOG_DISC, TT_HUGE);
	tt_expect_refused(test, dq, &c, TT_HUGE, TT_INVALID);
	tt_get_log_cmd(&c, NVME_LOG_DISC, SZ_4K);
	tt_expect_refused(test, dq, &c, SZ_8K, TT_SGL_INVALID);
	nvmet_sq_destroy(&dq->sq);
}

/* Connect carries its 1024 bytes of data and nothing more. */
static void tt_test_bounds_connect(struct kunit *test)
{
	struct tt_queue *q = tt_queue_new(test);
	struct nvme_command c = { };

	c.connect.opcode = nvme_fabrics_command;
	c.connect.fctype = nvme_fabrics_type_connect;
	c.connect.sqsize = cpu_to_le16(31);
	tt_expect_refused(test, q, &c, TT_HUGE, TT_SGL_INVALID);
	tt_expect_refused(test, q, &c, 2048, TT_SGL_INVALID);
	nvmet_sq_destroy(&q->sq);
}

/*
 * Races, each forced through a test point: the hook runs the competing
 * operation at the exact place in the Connect or keep-alive path.
 */
static struct kunit *tt_hook_test;
static enum nvmet_test_point_id tt_hook_at;
static bool tt_hook_armed;

static bool tt_hook_take(enum nvmet_test_point_id tp)
{
	if (tp != tt_hook_at || !READ_ONCE(tt_hook_armed))
		return false;
	WRITE_ONCE(tt_hook_armed, false);
	return true;
}

static void tt_arm(struct kunit *test, enum nvmet_test_point_id tp,
		   nvmet_test_hook_fn fn)
{
	tt_hook_test = test;
	tt_hook_at = tp;
	WRITE_ONCE(tt_hook_armed, true);
	WRITE_ONCE(nvmet_test_hook, fn);
}

/* Unlink the suite's subsystem (its only link: the port goes down). */
static void tt_hook_unlink(enum nvmet_test_point_id tp, void *obj)
{
	struct tt_env *env = tt_env_of(tt_hook_test);

	if (tt_hook_take(tp))
		nvmet_port_unlink_subsys(env->port, env->subsys);
}

/* Delete every controller of the subsystem (qid_max does, as in-tree). */
static void tt_hook_delete_ctrls(enum nvmet_test_point_id tp, void *obj)
{
	if (tt_hook_take(tp))
		nvmet_subsys_set_qid_max(tt_env_of(tt_hook_test)->subsys,
					 NVMET_NR_QUEUES);
}

/* Admin Connect: the subsystem is unlinked between lookup and insert. */
static void tt_test_admin_connect_vs_unlink(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);

	tt_arm(test, NVMET_TP_CTRL_INSERT, tt_hook_unlink);
	KUNIT_EXPECT_EQ(test, tt_connect(test, aq, 0, TT_SUBNQN, TT_HOSTNQN,
					 0xffff),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tt_hook_armed));
	KUNIT_EXPECT_NULL(test, READ_ONCE(aq->sq.ctrl));
	nvmet_sq_destroy(&aq->sq);
}

/* Discovery Connect: the port goes down between lookup and insert. */
static void tt_test_disc_connect_vs_disable(struct kunit *test)
{
	struct tt_queue *dq = tt_queue_new(test);

	tt_arm(test, NVMET_TP_CTRL_INSERT, tt_hook_unlink);
	KUNIT_EXPECT_EQ(test, tt_connect(test, dq, 0, NVMET_DISC_NQN,
					 TT_HOSTNQN, 0xffff),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tt_hook_armed));
	KUNIT_EXPECT_FALSE(test, nvmet_port_is_live(tt_env_of(test)->port));
	KUNIT_EXPECT_NULL(test, READ_ONCE(dq->sq.ctrl));
	nvmet_sq_destroy(&dq->sq);
}

/*
 * I/O Connect: the controller's deletion walks the fabric's queues after
 * the controller lookup and before sq->ctrl is set.  The new queue must
 * be closed all the same.
 */
static void tt_test_io_connect_vs_delete(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	u16 cntlid, status;

	cntlid = tt_admin_up(test, aq);
	tt_arm(test, NVMET_TP_INSTALL_QUEUE, tt_hook_delete_ctrls);
	status = tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN, cntlid);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tt_hook_armed));
	KUNIT_EXPECT_TRUE(test, aq->closing);
	/* Refused, or connected and then closed: never left open. */
	KUNIT_EXPECT_TRUE(test, status || iq->closing);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

static DECLARE_COMPLETION(tt_ka_paused);
static DECLARE_COMPLETION(tt_ka_resume);

/* Hold a keep-alive run (at most 200 ms) while the test stops the timer. */
static void tt_hook_hold_ka(enum nvmet_test_point_id tp, void *obj)
{
	if (!tt_hook_take(tp))
		return;
	complete(&tt_ka_paused);
	wait_for_completion_timeout(&tt_ka_resume, HZ / 5);
}

static u16 tt_set_kato(struct kunit *test, struct tt_queue *q, u32 kato)
{
	struct nvme_command c = { };

	c.features.opcode = nvme_admin_set_features;
	c.features.fid = cpu_to_le32(NVME_FEAT_KATO);
	c.features.dword11 = cpu_to_le32(kato);
	return tt_submit(test, q, &c, NULL, 0);
}

/*
 * Set Features KATO=0 while a keep-alive run is in progress (held at its
 * start by the hook, after traffic was seen): the run must not re-arm
 * itself and expire the controller.
 */
static void tt_test_kato_off_vs_running_ka(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);

	reinit_completion(&tt_ka_paused);
	reinit_completion(&tt_ka_resume);
	tt_admin_up(test, aq);
	tt_arm(test, NVMET_TP_KA_WORK, tt_hook_hold_ka);
	/* This command is traffic, so the held run would re-arm. */
	KUNIT_ASSERT_EQ(test, tt_set_kato(test, aq, 100), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&tt_ka_paused,
							  5 * HZ), 0);
	tt_prop_get(test, aq, NVME_REG_CSTS, false);
	KUNIT_EXPECT_EQ(test, tt_set_kato(test, aq, 0), 0);
	complete(&tt_ka_resume);
	msleep(500);
	KUNIT_EXPECT_FALSE(test, tt_prop_get(test, aq, NVME_REG_CSTS, false) &
			   NVME_CSTS_CFS);
	KUNIT_EXPECT_EQ(test, tt_deletes, 0);
	nvmet_sq_destroy(&aq->sq);
}

/* DSM with NR 0xffffffff (0's based) must not wrap to zero ranges. */
static void tt_test_dsm_nr_wrap(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct nvme_command c = { };
	u16 cntlid;

	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	c.dsm.opcode = nvme_cmd_dsm;
	c.dsm.nsid = cpu_to_le32(1);
	c.dsm.nr = cpu_to_le32(0xffffffff);
	c.dsm.attributes = cpu_to_le32(NVME_DSMGMT_AD);
	KUNIT_EXPECT_EQ(test, tt_submit(test, iq, &c, NULL, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	c.dsm.nr = cpu_to_le32(255);
	KUNIT_EXPECT_EQ(test, tt_submit(test, iq, &c, NULL, 0),
			NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * One host's discovery controllers on two ports of one discovery
 * subsystem: their IDs must differ (the Linux host refuses a duplicate).
 */
static void tt_test_disc_cntlid_unique(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *d1 = tt_queue_new(test);
	struct tt_queue *d2 = tt_queue_new(test);
	struct nvmet_port *port2;
	u16 id1, id2;

	port2 = nvmet_port_create(8);
	KUNIT_ASSERT_FALSE(test, IS_ERR(port2));
	nvmet_port_config_begin(port2);
	port2->disc_addr.trtype = TT_TRTYPE;
	nvmet_port_config_end(port2);
	KUNIT_ASSERT_EQ(test, nvmet_port_link_subsys(port2, env->subsys), 0);
	d2->port = port2;
	KUNIT_EXPECT_EQ(test, tt_connect(test, d1, 0, NVMET_DISC_NQN,
					 TT_HOSTNQN, 0xffff), 0);
	id1 = le16_to_cpu(d1->cqe.result.u16);
	KUNIT_EXPECT_EQ(test, tt_connect(test, d2, 0, NVMET_DISC_NQN,
					 TT_HOSTNQN, 0xffff), 0);
	id2 = le16_to_cpu(d2->cqe.result.u16);
	KUNIT_EXPECT_NE(test, id1, id2);
	nvmet_sq_destroy(&d1->sq);
	nvmet_sq_destroy(&d2->sq);
	nvmet_port_unlink_subsys(port2, env->subsys);
	nvmet_port_remove(port2);
	nvmet_port_put(port2);
}

/* Little-endian fields at any offset of a returned buffer. */
static u16 tt_le16(const void *p)
{
	__le16 v;

	memcpy(&v, p, sizeof(v));
	return le16_to_cpu(v);
}

static u32 tt_le32(const void *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static u64 tt_le64(const void *p)
{
	__le64 v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

/* Get Log Page with LSP, LSI and CSI, at offset @lpo. */
static u16 tt_get_log_ex(struct kunit *test, struct tt_queue *q, u8 lid,
			 u8 lsp, u16 lsi, u8 csi, u64 lpo, void *buf, u32 len)
{
	struct nvme_command c = { };

	c.get_log_page.opcode = nvme_admin_get_log_page;
	c.get_log_page.lid = lid;
	c.get_log_page.lsp = lsp;
	c.get_log_page.numdl = cpu_to_le16((len / 4 - 1) & 0xffff);
	c.get_log_page.numdu = cpu_to_le16((len / 4 - 1) >> 16);
	c.common.cdw11 |= cpu_to_le32((u32)lsi << 16);
	c.common.cdw14 = cpu_to_le32((u32)csi << 24);
	c.get_log_page.lpo = cpu_to_le64(lpo);
	return tt_submit(test, q, &c, buf, len);
}

static u16 tt_identify_ex(struct kunit *test, struct tt_queue *q, u8 cns,
			  u8 csi, u32 nsid, u16 cnssid, void *buf)
{
	struct nvme_command c = { };

	c.identify.opcode = nvme_admin_identify;
	c.identify.cns = cns;
	c.identify.csi = csi;
	c.identify.nsid = cpu_to_le32(nsid);
	c.common.cdw11 |= cpu_to_le32(cnssid);
	return tt_submit(test, q, &c, buf, NVME_IDENTIFY_DATA_SIZE);
}

/*
 * NVMe 2.1 log pages: the Supported Log Pages log lists exactly the
 * pages the controller answers (each one is read back), the FID log the
 * features Get Features answers; offsets, LSP, LSI, CSI and OT checked.
 */
static void tt_test_log_pages_21(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_command c;
	__le32 *lids, *fis;
	unsigned int lid, fid, n = 0;
	u8 *buf;

	tt_admin_up(test, aq);
	lids = kunit_kzalloc(test, 1024, GFP_KERNEL);
	fis = kunit_kzalloc(test, 1024, GFP_KERNEL);
	buf = kunit_kzalloc(test, SZ_8K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lids);
	KUNIT_ASSERT_NOT_NULL(test, fis);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVMET_LOG_SUPPORTED, lids,
					 1024), 0);
	for (lid = 0; lid < 256; lid++) {
		u32 e = le32_to_cpu(lids[lid]);
		/* A page the controller answers reads with status 0. */
		u16 st = tt_get_log_ex(test, aq, lid, 0, lid == 9 ? 1 : 0, 0,
				       0, buf, 512);

		if (lid == NVMET_LOG_RMI)	/* not rotational: refused */
			KUNIT_EXPECT_EQ(test, st, TT_INVALID);
		else
			KUNIT_EXPECT_EQ_MSG(test, st == 0, e != 0,
					    "LID %#x listed %#x, status %#x",
					    lid, e, st);
		KUNIT_EXPECT_TRUE(test, e == 0 || e == NVMET_LIDS_LSUPP);
		n += e != 0;
	}
	/* 00 01 02 03 04 05 09 0c 12 13 16 80 */
	KUNIT_EXPECT_EQ(test, n, 12);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(lids[NVMET_LOG_RMI]),
			NVMET_LIDS_LSUPP);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(lids[NVME_LOG_DISC]), 0);
	/* A longer read than the page: zeroes past its 1024 bytes. */
	memset(buf, 0xff, SZ_8K);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVMET_LOG_SUPPORTED, buf,
					 2048), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, lids, 1024), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 1024, 0, 1024));
	/* Offsets: within, at the end (nothing left: zeroes), past it. */
	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_SUPPORTED, 0,
					    0, 0, 8, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, tt_le32(buf),
			le32_to_cpu(lids[2]));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_SUPPORTED, 0,
					    0, 0, 1024, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, tt_le32(buf), 0);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_SUPPORTED, 0,
					    0, 0, 1028, buf, 4), TT_INVALID);
	/* LSP, LSI, CSI this page does not define; an index offset. */
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_SUPPORTED, 1,
					    0, 0, 0, buf, 1024), TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc,
			offsetof(struct nvme_get_log_page_command, lsp));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_SUPPORTED, 0,
					    1, 0, 0, buf, 1024), TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc, 46);
	/* An error that names its field sets More, as in-tree. */
	KUNIT_EXPECT_TRUE(test, tt_cqe_more(aq));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_FEATURES, 0,
					    0, NVME_CSI_ZNS, 0, buf, 1024),
			TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc, 59);
	tt_get_log_cmd(&c, NVMET_LOG_SUPPORTED, 1024);
	c.common.cdw14 = cpu_to_le32(NVMET_LOG_CDW14_OT);
	KUNIT_EXPECT_EQ(test, tt_submit(test, aq, &c, buf, 1024), TT_INVALID);
	tt_get_log_cmd(&c, NVME_LOG_ERROR, 64);
	c.common.cdw14 = cpu_to_le32(NVMET_LOG_CDW14_OT);
	KUNIT_EXPECT_EQ(test, tt_submit(test, aq, &c, buf, 64), TT_INVALID);

	/* FID Supported and Effects: what Get Features answers. */
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVMET_LOG_FEATURES, fis,
					 1024), 0);
	KUNIT_EXPECT_FALSE(test, tt_cqe_more(aq));
	for (fid = 0, n = 0; fid < 256; fid++) {
		u32 e = le32_to_cpu(fis[fid]);

		/*
		 * Reservations' features are a namespace's, and this one has
		 * none: listed, and refused without a namespace to act on.
		 */
		if (fid == NVME_FEAT_RESV_MASK || fid == NVME_FEAT_RESV_PERSIST) {
			KUNIT_EXPECT_EQ(test, e, NVMET_FIS_FSUPP |
					NVMET_FIS_NSCPE);
			memset(&c, 0, sizeof(c));
			c.features.opcode = nvme_admin_get_features;
			c.features.fid = cpu_to_le32(fid);
			KUNIT_EXPECT_EQ(test, tt_submit(test, aq, &c, buf, 0),
					TT_INVALID);
			n++;
			continue;
		}
		memset(&c, 0, sizeof(c));
		c.features.opcode = nvme_admin_get_features;
		c.features.fid = cpu_to_le32(fid);
		c.features.dword11 = cpu_to_le32(fid == NVME_FEAT_HOST_ID);
		KUNIT_EXPECT_EQ_MSG(test,
				    tt_submit(test, aq, &c, buf,
					      fid == NVME_FEAT_HOST_ID ? 16 :
					      fid == NVME_FEAT_HOST_BEHAVIOR ?
					      512 : 0) == 0, e != 0,
				    "FID %#x listed %#x", fid, e);
		KUNIT_EXPECT_TRUE(test, e == 0 ||
				  e == (NVMET_FIS_FSUPP | NVMET_FIS_CSCPE));
		n += e != 0;
	}
	KUNIT_EXPECT_EQ(test, n, 8);

	/* NVMe-MI Commands Supported and Effects: 4 KiB, none. */
	memset(buf, 0xff, SZ_8K);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVMET_LOG_MI_CMDS, buf,
					 SZ_4K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, SZ_4K));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_MI_CMDS, 0,
					    0, 0, SZ_4K + 4, buf, 4),
			TT_INVALID);

	/* Effects: each admin command of controller scope. */
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_CMD_EFFECTS, buf,
					 sizeof(struct nvme_effects_log)), 0);
	KUNIT_EXPECT_EQ(test, tt_le32(buf + 4 * nvme_admin_identify),
			NVME_CMD_EFFECTS_CSUPP | NVMET_CMD_EFFECTS_CSP_CTRL);
	KUNIT_EXPECT_EQ(test, tt_le32(buf + 4 * 0x10), 0);
	nvmet_sq_destroy(&aq->sq);
}

/* Many namespaces: a backend without storage. */
static int tt_tiny_open(struct nvmet_ns *ns)
{
	ns->size = SZ_4K;
	ns->blksize_shift = 9;
	return 0;
}

static void tt_tiny_close(struct nvmet_ns *ns)
{
}

static void tt_tiny_rw(struct nvmet_req *req)
{
	nvmet_req_complete(req, 0);
}

static const struct nvmet_backend_ops tt_tiny_backend = {
	.name		= "kunit-tiny",
	.owner		= THIS_MODULE,
	.open		= tt_tiny_open,
	.close		= tt_tiny_close,
	.rw		= tt_tiny_rw,
};

/*
 * @k namespaces of the tiny backend, NSID @first + @step * i in ANA group
 * i % 3 + 1 (groups 2, non-optimized, and 3 made on the port), enabled in
 * that order; the suite's namespace 1 disabled first, so slot i is
 * namespace i's.
 */
static struct nvmet_ns **tt_many_ns(struct kunit *test, unsigned int k,
				    u32 first, u32 step)
{
	struct tt_env *env = tt_env_of(test);
	struct nvmet_ns **ns;
	unsigned int i;

	ns = kunit_kcalloc(test, k, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	KUNIT_ASSERT_EQ(test, nvmet_register_backend(&tt_tiny_backend), 0);
	nvmet_ns_disable(env->ns);
	KUNIT_ASSERT_EQ(test, nvmet_port_ana_group_add(env->port, 2), 0);
	KUNIT_ASSERT_EQ(test, nvmet_port_ana_group_add(env->port, 3), 0);
	KUNIT_ASSERT_EQ(test, nvmet_port_set_ana_state(env->port, 2,
						       NVME_ANA_NONOPTIMIZED),
			0);
	KUNIT_ASSERT_EQ(test, nvmet_port_set_ana_state(env->port, 3,
						       NVME_ANA_OPTIMIZED),
			0);
	for (i = 0; i < k; i++) {
		ns[i] = nvmet_ns_create(env->subsys, first + step * i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(ns[i]));
		KUNIT_ASSERT_EQ(test, nvmet_ns_set_backend(ns[i], "kunit-tiny"),
				0);
		KUNIT_ASSERT_EQ(test, nvmet_ns_set_anagrpid(ns[i], i % 3 + 1),
				0);
		KUNIT_ASSERT_EQ(test, nvmet_ns_enable(ns[i]), 0);
	}
	return ns;
}

static void tt_many_ns_free(struct nvmet_ns **ns, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		nvmet_ns_free(ns[i]);
	nvmet_unregister_backend(&tt_tiny_backend);
}

/* Every active NSID above @start, page by page, into @out; the count. */
static unsigned int tt_active_walk(struct kunit *test, struct tt_queue *q,
				   u32 start, u32 *out, unsigned int max,
				   unsigned int *pages)
{
	__le32 *page = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int n = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	*pages = 0;
	for (;;) {
		KUNIT_ASSERT_EQ(test, tt_identify(test, q,
						  NVME_ID_CNS_NS_ACTIVE_LIST,
						  start, page), 0);
		(*pages)++;
		for (i = 0; i < SZ_4K / 4 && page[i]; i++) {
			KUNIT_ASSERT_LT(test, n, max);
			out[n++] = le32_to_cpu(page[i]);
		}
		if (i < SZ_4K / 4)
			return n;
		start = out[n - 1];
	}
}

/*
 * Check an ANA log of @len bytes: @ngrps descriptors, then zeroes to
 * @len; the NSIDs of group g (1 to 3 here, 4 too if @ngrps says so) are
 * those of @ns whose index i has i % 3 + 1 == g and @seen[i] (every one
 * if @seen is NULL), ascending, or none at all with @rgo.  Returns the
 * number of NSIDs listed.
 */
static unsigned int tt_ana_check(struct kunit *test, const u8 *log,
				 size_t len, unsigned int ngrps,
				 struct nvmet_ns **ns, unsigned int k,
				 const bool *seen, bool rgo)
{
	size_t off = sizeof(struct nvme_ana_rsp_hdr);
	unsigned int g, i, j, total = 0;
	u32 nnsids;

	KUNIT_EXPECT_EQ(test, tt_le16(log + 8), ngrps);
	for (g = 1; g <= ngrps; g++) {
		KUNIT_ASSERT_LE(test, off + 32, len);
		KUNIT_EXPECT_EQ(test, tt_le32(log + off), g);
		nnsids = tt_le32(log + off + 4);
		KUNIT_EXPECT_EQ(test, log[off + 16],
				(g == 2 ? NVME_ANA_NONOPTIMIZED :
				 NVME_ANA_OPTIMIZED));
		off += 32;
		KUNIT_ASSERT_LE(test, off + 4 * nnsids, len);
		for (i = 0, j = 0; i < k && !rgo; i++) {
			if (i % 3 + 1 != g || (seen && !seen[i]))
				continue;
			KUNIT_ASSERT_LT(test, j, nnsids);
			KUNIT_EXPECT_EQ(test, tt_le32(log + off + 4 * j),
					ns[i]->nsid);
			j++;
		}
		KUNIT_EXPECT_EQ_MSG(test, nnsids, j, "group %u", g);
		off += 4 * nnsids;
		total += nnsids;
	}
	KUNIT_EXPECT_NULL(test, memchr_inv(log + off, 0, len - off));
	return total;
}

/*
 * More namespaces than in-tree allows (1024), NSIDs spread over 60,000:
 * NN and MNAN 65,536 at the default MDTS; the active list pages by
 * starting NSID, 1024 a page; the ANA log lists every namespace in its
 * group, ascending, and reads zeroes at offsets up to its reserved size
 * (16 + 32 x 128 + 4 x MNAN); the Changed Namespace List holds 1024
 * changes and turns into FFFFFFFFh alone at the 1025th; the highest NSID
 * follows a disable.  At MDTS 1 (8 KiB) a controller's MNAN is 1020 and it
 * sees the first 1020 namespaces only: in the lists, the ANA log (which
 * then fits 8 KiB), and for I/O.
 */
static void tt_test_many_ns(struct kunit *test)
{
	const unsigned int k = 1030, step = 59;
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	size_t len = 16 + 32 * 128 + 4 * 65536;
	unsigned int i, pages;
	struct nvme_id_ctrl *id;
	struct nvmet_ns **ns;
	__le32 *changed;
	u32 *active;
	u8 *log;

	ns = tt_many_ns(test, k, 1, step);
	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	active = kunit_kcalloc(test, k, sizeof(*active), GFP_KERNEL);
	log = kunit_kzalloc(test, len, GFP_KERNEL);
	changed = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_NOT_NULL(test, active);
	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_NOT_NULL(test, changed);
	KUNIT_EXPECT_EQ(test, env->subsys->max_nsid, 1 + step * (k - 1));
	tt_admin_up(test, aq);

	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(id->nn), 65536);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(id->mnan), 65536);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(id->nanagrpid), 128);

	KUNIT_EXPECT_EQ(test, tt_active_walk(test, aq, 0, active, k, &pages),
			k);
	KUNIT_EXPECT_EQ(test, pages, 2);
	for (i = 0; i < k; i++)
		KUNIT_EXPECT_EQ(test, active[i], ns[i]->nsid);
	KUNIT_EXPECT_EQ(test, tt_active_walk(test, aq, ns[k - 2]->nsid,
					     active, k, &pages), 1);
	KUNIT_EXPECT_EQ(test, active[0], ns[k - 1]->nsid);

	/* The whole ANA log, as a Linux host reads it. */
	memset(log, 0xff, len);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_ANA, log, len), 0);
	KUNIT_EXPECT_EQ(test, tt_ana_check(test, log, len, 3, ns, k, NULL,
					   false), k);
	/* 4 KiB at a time up to the end, as libnvme; then past it. */
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVME_LOG_ANA, 0, 0, 0,
					    len - SZ_4K, log, SZ_4K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(log, 0, SZ_4K));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVME_LOG_ANA, 0, 0, 0,
					    len + 4, log, SZ_4K), TT_INVALID);
	/* Groups only: 16 + 32 x 128 bytes. */
	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVME_LOG_ANA,
					    NVME_ANA_LOG_RGO, 0, 0, 0, log,
					    16 + 32 * 128), 0);
	KUNIT_EXPECT_EQ(test, tt_ana_check(test, log, 16 + 32 * 128, 3, ns, k,
					   NULL, true), 0);

	/* 1024 changes fit the Changed Namespace List; the 1025th does not. */
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, changed,
					 SZ_4K), 0);
	for (i = 0; i < 1024; i++) {
		nvmet_ns_set_auto_visible(ns[i], false);
		nvmet_ns_set_auto_visible(ns[i], true);
	}
	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVME_LOG_CHANGED_NS,
					    0x80, 0, 0, 0, changed, SZ_4K), 0);
	for (i = 0; i < 1024; i++)
		KUNIT_EXPECT_EQ(test, le32_to_cpu(changed[i]), ns[i]->nsid);
	nvmet_ns_set_auto_visible(ns[1024], false);
	nvmet_ns_set_auto_visible(ns[1024], true);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, changed,
					 SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(changed[0]), U32_MAX);
	KUNIT_EXPECT_NULL(test, memchr_inv(changed + 1, 0, SZ_4K - 4));
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_CHANGED_NS, changed,
					 SZ_4K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(changed, 0, SZ_4K));

	/* The highest NSID goes: the next one down, found without a walk. */
	nvmet_ns_disable(ns[k - 1]);
	KUNIT_EXPECT_EQ(test, env->subsys->max_nsid, ns[k - 2]->nsid);
	nvmet_ns_disable(ns[0]);
	KUNIT_EXPECT_EQ(test, env->subsys->max_nsid, ns[k - 2]->nsid);
	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(ns[0]), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(ns[k - 1]), 0);
	KUNIT_EXPECT_EQ(test, env->subsys->max_nsid, ns[k - 1]->nsid);
	nvmet_sq_destroy(&aq->sq);

	/* MDTS 1: 8 KiB, MNAN (8192 - 16 - 32 x 128) / 4 = 1020. */
	tt_port_mdts(test, 1);
	aq = tt_queue_new(test);
	tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, id->mdts, 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(id->nn), 65536);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(id->mnan), 1020);
	KUNIT_EXPECT_EQ(test, tt_active_walk(test, aq, 0, active, k, &pages),
			1020);
	for (i = 0; i < 1020; i++)
		KUNIT_EXPECT_EQ(test, active[i], ns[i]->nsid);
	memset(log, 0xff, SZ_8K);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_ANA, log, SZ_8K),
			0);
	KUNIT_EXPECT_EQ(test, tt_ana_check(test, log, SZ_8K, 3, ns, 1020, NULL,
					   false), 1020);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVME_LOG_ANA, 0, 0, 0,
					    SZ_8K + 4, log, 4), TT_INVALID);
	/* A namespace beyond MNAN is an inactive NSID for this controller. */
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS,
					  ns[1020]->nsid, log), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(log, 0, SZ_4K));
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS,
					  ns[1019]->nsid, log), 0);
	KUNIT_EXPECT_NE(test, tt_le64(log), 0);
	nvmet_sq_destroy(&aq->sq);
	tt_many_ns_free(ns, k);
}

/*
 * The ANA log of a host that does not see every namespace: hidden ones
 * (device_auto_visible 0, the host not linked) are left out of their
 * group, a linked one is listed, a group whose only namespace is hidden
 * stays listed with no NSID; the header's group count, each group's NSID
 * count and the bytes agree, and zeroes follow.  Identify's active list
 * leaves the hidden ones out too.
 */
static void tt_test_ana_log_hidden(struct kunit *test)
{
	const unsigned int k = 12;
	static const unsigned int hidden[] = { 1, 4, 5, 6, 9 };
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	size_t len = 16 + 32 * 128 + 4 * 65536, off;
	unsigned int i, n = 0, pages;
	struct nvmet_ns **ns;
	bool seen[12];
	u32 *active;
	u8 *log;

	ns = tt_many_ns(test, k, 2, 1);
	active = kunit_kcalloc(test, k + 1, sizeof(*active), GFP_KERNEL);
	log = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, active);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (i = 0; i < k; i++)
		seen[i] = true;
	for (i = 0; i < ARRAY_SIZE(hidden); i++) {
		nvmet_ns_set_auto_visible(ns[hidden[i]], false);
		seen[hidden[i]] = false;
	}
	/* Linked: seen although not auto-visible. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_allow_host(ns[5], env->host), 0);
	seen[5] = true;
	/* Group 4 holds one namespace, hidden. */
	KUNIT_ASSERT_EQ(test, nvmet_port_ana_group_add(env->port, 4), 0);
	KUNIT_ASSERT_EQ(test, nvmet_port_set_ana_state(env->port, 4,
						       NVME_ANA_OPTIMIZED),
			0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_anagrpid(ns[9], 4), 0);
	tt_admin_up(test, aq);

	memset(log, 0xff, len);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_ANA, log, len), 0);
	KUNIT_EXPECT_EQ(test, tt_ana_check(test, log, len, 4, ns, k, seen,
					   false), k - 4);
	/* Group 4: listed, no NSID, right after group 3's NSIDs. */
	off = 16 + 3 * 32 + 4 * (k - 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + off), 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + off + 4), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(log + off + 32, 0, len - off - 32));

	KUNIT_EXPECT_EQ(test, tt_active_walk(test, aq, 0, active, k + 1,
					     &pages), k - 4);
	for (i = 0; i < k; i++) {
		if (!seen[i])
			continue;
		KUNIT_EXPECT_EQ(test, active[n], ns[i]->nsid);
		n++;
	}
	/* All visible again: every NSID back in its group. */
	for (i = 0; i < ARRAY_SIZE(hidden); i++)
		nvmet_ns_set_auto_visible(ns[hidden[i]], true);
	KUNIT_ASSERT_EQ(test, tt_get_log(test, aq, NVME_LOG_ANA, log, len), 0);
	KUNIT_EXPECT_EQ(test, tt_le16(log + 8), 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 4), 3);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 32 + 3 * 4 + 4), 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 2 * 32 + 7 * 4 + 4), 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 3 * 32 + 11 * 4), 4);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 3 * 32 + 11 * 4 + 4), 1);
	KUNIT_EXPECT_EQ(test, tt_le32(log + 16 + 4 * 32 + 11 * 4),
			ns[9]->nsid);
	KUNIT_EXPECT_EQ(test, nvmet_ns_disallow_host(ns[5], env->host), 0);
	nvmet_sq_destroy(&aq->sq);
	tt_many_ns_free(ns, k);
}

/* Endurance Group and Rotational Media Information log pages. */
static void tt_test_endgrp_rmi(struct kunit *test)
{
	struct tt_queue *aq = tt_queue_new(test);
	struct nvmet_endgrp_log *eg;
	struct nvmet_rmi_log *rmi;

	tt_admin_up(test, aq);
	eg = kunit_kzalloc(test, sizeof(*eg), GFP_KERNEL);
	rmi = kunit_kzalloc(test, sizeof(*rmi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, eg);
	KUNIT_ASSERT_NOT_NULL(test, rmi);

	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 1, 0, 0, eg, sizeof(*eg)), 0);
	KUNIT_EXPECT_EQ(test, eg->avsp, 100);
	KUNIT_EXPECT_EQ(test, eg->avspt, 10);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->dur[0]), 3);	/* 2001/1000 up */
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->duw[0]), 1);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->hrc[0]), 7);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->hwc[0]), 3);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->tegcap[0]), TT_NS_SIZE);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(eg->tegcap[1]), 0);
	/* Part of it, at an offset: Host Read Commands. */
	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 1, 0, 96, rmi, 8), 0);
	KUNIT_EXPECT_EQ(test, tt_le64(rmi), 7);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 1, 0, 516, eg, 4), TT_INVALID);
	/* No Endurance Group 0 or 2; LSP and CSI refused. */
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 0, 0, 0, eg, sizeof(*eg)),
			TT_INVALID);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 2, 0, 0, eg, sizeof(*eg)),
			TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc, 46);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    2, 1, 0, 0, eg, sizeof(*eg)),
			TT_INVALID);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_ENDURANCE_GROUP,
					    0, 1, 1, 0, eg, sizeof(*eg)),
			TT_INVALID);

	/* Not rotational: no Rotational Media Information. */
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_RMI, 0, 1, 0,
					    0, rmi, sizeof(*rmi)), TT_INVALID);
	tt_rotational = true;
	memset(rmi, 0xff, sizeof(*rmi));
	KUNIT_ASSERT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_RMI, 0, 1, 0,
					    0, rmi, sizeof(*rmi)), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(rmi->endgid), 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(rmi->numa), 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(rmi->nrs), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(&rmi->spinc, 0, 16));
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_RMI, 0, 5, 0,
					    0, rmi, sizeof(*rmi)), TT_INVALID);
	KUNIT_EXPECT_EQ(test, tt_get_log_ex(test, aq, NVMET_LOG_RMI, 1, 1, 0,
					    0, rmi, sizeof(*rmi)), TT_INVALID);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * Identify: the vendor IDs, the NVMe 2.1 controller fields, CSI-specific
 * namespace and controller data, the active list of a CSI, the
 * Endurance Group list and the CSI-independent namespace bits.
 */
static void tt_test_identify_21(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct nvme_id_ns_cs_indep *indep;
	struct nvme_id_ctrl *id;
	struct nvme_id_ns *idns;
	struct nvmet_ns *ns2;
	__le16 *list16;
	__le32 *list;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, nvmet_subsys_set_vendor_id(env->subsys, 0x1b36),
			0);
	KUNIT_ASSERT_EQ(test,
			nvmet_subsys_set_subsys_vendor_id(env->subsys, 0xabcd),
			0);
	ns2 = nvmet_ns_create(env->subsys, 70000);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ns2));
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_backend(ns2, "kunit-ram"), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_enable(ns2), 0);

	tt_admin_up(test, aq);
	buf = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	id = (void *)buf;
	idns = (void *)buf;
	indep = (void *)buf;
	list = (void *)buf;
	list16 = (void *)buf;

	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(id->vid), 0x1b36);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(id->ssvid), 0xabcd);
	KUNIT_EXPECT_EQ(test, id->lpa, 0x27);
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(id->ctratt) & NVMET_CTRL_ATTR_EGS);
	KUNIT_EXPECT_EQ(test, tt_le16(buf + 340), 0xffff);
	/* Frozen now, like the other identity attributes. */
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_vendor_id(env->subsys, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_subsys_vendor_id(env->subsys,
								1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, env->subsys->vendor_id, 0x1b36);

	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->endgid), 1);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 70000,
					  idns), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(idns->endgid), 0);

	/* CNS 05h NVM: zeroes for NSID 1 and an inactive one; bad NSID, CSI. */
	memset(buf, 0xff, NVME_IDENTIFY_DATA_SIZE);
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_NS,
					     NVME_CSI_NVM, 1, 0, buf), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, NVME_IDENTIFY_DATA_SIZE));
	KUNIT_EXPECT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_NS,
					     NVME_CSI_NVM, 3, 0, buf), 0);
	KUNIT_EXPECT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_NS,
					     NVME_CSI_NVM, 0, 0, buf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	/* ZNS of a namespace of the NVM set: Invalid Field, as in-tree. */
	KUNIT_EXPECT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_NS,
					     NVME_CSI_ZNS, 1, 0, buf),
			TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc,
			offsetof(struct nvme_identify, nsid));
	KUNIT_EXPECT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_NS,
					     3, 1, 0, buf), TT_INVALID);
	KUNIT_EXPECT_EQ(test, aq->req.error_loc,
			offsetof(struct nvme_identify, csi));
	/* CNS 06h NVM: zeroes; another CSI refused. */
	memset(buf, 0xff, NVME_IDENTIFY_DATA_SIZE);
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_CTRL,
					     NVME_CSI_NVM, 0, 0, buf), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, NVME_IDENTIFY_DATA_SIZE));
	KUNIT_EXPECT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_CTRL,
					     3, 0, 0, buf), TT_INVALID);
	/* CNS 06h ZNS without a zoned namespace: ZASL is MDTS. */
	memset(buf, 0xff, NVME_IDENTIFY_DATA_SIZE);
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq, NVME_ID_CNS_CS_CTRL,
					     NVME_CSI_ZNS, 0, 0, buf), 0);
	KUNIT_EXPECT_EQ(test, ((struct nvme_id_ctrl_zns *)buf)->zasl,
			nvmet_mdts(env->port, aq->sq.ctrl->ops, aq->sq.ctrl));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 1, 0,
					   NVME_IDENTIFY_DATA_SIZE - 1));

	/* CNS 07h: the active NSIDs of the NVM command set. */
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq,
					     NVMET_ID_CNS_CS_NS_ACTIVE_LIST,
					     NVME_CSI_NVM, 0, 0, list), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[0]), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[1]), 70000);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[2]), 0);
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq,
					     NVMET_ID_CNS_CS_NS_ACTIVE_LIST,
					     NVME_CSI_NVM, 1, 0, list), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[0]), 70000);
	/* ... and of ZNS: no zoned namespace, an empty list. */
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq,
					     NVMET_ID_CNS_CS_NS_ACTIVE_LIST,
					     NVME_CSI_ZNS, 0, 0, list), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(list[0]), 0);

	/* CNS 19h: Endurance Groups above CNSSID; NSID 70000 is in none. */
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq, NVMET_ID_CNS_ENDGRP_LIST,
					     0, 0, 0, list16), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(list16[0]), 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(list16[1]), 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(list16[2]), 0);
	KUNIT_ASSERT_EQ(test, tt_identify_ex(test, aq, NVMET_ID_CNS_ENDGRP_LIST,
					     0, 0, 1, list16), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(list16[0]), 0);

	/* CNS 08h: rotational and no-cache bits follow the backend. */
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS_CS_INDEP, 1,
					  indep), 0);
	KUNIT_EXPECT_EQ(test, indep->nsfeat, NVMET_NS_FEAT_VWC_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(indep->endgid), 1);
	tt_rotational = true;
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS_CS_INDEP, 1,
					  indep), 0);
	KUNIT_EXPECT_EQ(test, indep->nsfeat, NVMET_NS_FEAT_VWC_NOT_PRESENT |
			NVMET_NS_FEAT_ROTATIONAL);
	nvmet_sq_destroy(&aq->sq);
	nvmet_ns_free(ns2);
}

/*
 * Statuses a multipath host fails over on: every ANA state but the two
 * accessible ones, and a namespace that exists but is disabled, answer a
 * path error (status code type 3h) without DNR; a namespace that does not
 * exist, or no longer (removed), Invalid Namespace with DNR.  Identify's
 * descriptor list tells the same two apart, as in-tree.
 */
static void tt_test_path_errors(struct kunit *test)
{
	static const struct {
		u8 state;
		u16 status;
	} ana[] = {
		{ NVME_ANA_NONOPTIMIZED, 0 },
		{ NVME_ANA_INACCESSIBLE, NVME_SC_ANA_INACCESSIBLE },
		{ NVME_ANA_PERSISTENT_LOSS, NVME_SC_ANA_PERSISTENT_LOSS },
		{ NVME_ANA_CHANGE, NVME_SC_ANA_TRANSITION },
		{ NVME_ANA_OPTIMIZED, 0 },
	};
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct nvmet_ns *ns2;
	u8 *buf;
	int i;

	buf = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 tt_admin_up(test, aq)), 0);
	for (i = 0; i < ARRAY_SIZE(ana); i++) {
		KUNIT_ASSERT_EQ(test, nvmet_port_set_ana_state(env->port, 1,
							       ana[i].state),
				0);
		KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0, 1,
					    buf), ana[i].status);
		KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0, 1,
					    buf), ana[i].status);
		if (ana[i].status)
			KUNIT_EXPECT_EQ(test, iq->req.error_loc,
					offsetof(struct nvme_common_command,
						 nsid));
	}

	/* Disabled: a path error on I/O; Identify NS reads as zeroes. */
	nvmet_ns_disable(env->ns);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0, 1, buf),
			NVME_SC_INTERNAL_PATH_ERROR);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0, 1, buf),
			NVME_SC_INTERNAL_PATH_ERROR);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 2, 0, 1, buf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS_DESC_LIST,
					  1, buf), NVME_SC_INTERNAL_PATH_ERROR);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS_DESC_LIST,
					  2, buf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	memset(buf, 0xff, NVME_IDENTIFY_DATA_SIZE);
	KUNIT_EXPECT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, buf), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, NVME_IDENTIFY_DATA_SIZE));
	KUNIT_ASSERT_EQ(test, nvmet_ns_enable(env->ns), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0, 1, buf), 0);

	/* Two namespaces of one NSID: it exists until both are removed. */
	ns2 = nvmet_ns_create(env->subsys, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ns2));
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 2, 0, 1, buf),
			NVME_SC_INTERNAL_PATH_ERROR);
	nvmet_ns_free(env->ns);
	env->ns = nvmet_ns_create(env->subsys, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->ns));
	nvmet_ns_free(ns2);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 2, 0, 1, buf),
			NVME_SC_INTERNAL_PATH_ERROR);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 0, 1, buf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	/* Removed (rmdir): no longer there for the host either. */
	KUNIT_EXPECT_FALSE(test, nvmet_ns_remove(env->ns));
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 2, 0, 1, buf),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, nvmet_ns_exists(env->subsys, 2));
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* ONCS bits 0 (Compare) and 7 (Verify) of Identify Controller. */
static u16 tt_cmpver_oncs(struct kunit *test, struct tt_queue *aq)
{
	struct nvme_id_ctrl *id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	return le16_to_cpu(id->oncs) &
	       (NVME_CTRL_ONCS_COMPARE | NVMET_CTRL_ONCS_VERIFY);
}

/*
 * Compare reads the range and compares it with the host's data, 128 KiB
 * at a time (compare.c): equal data succeeds, one byte off in any chunk
 * is Compare Failure with DNR, and nothing is written either way.
 * Verify reads and discards; both check the range as a read does.  The
 * compare and verify bits off: each is Invalid Opcode and leaves ONCS,
 * with the event; on again, both work.
 */
static void tt_test_compare_verify(struct kunit *test)
{
	const u32 nlb = 512, len = 512 << 9;
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct nvme_id_ctrl *id;
	struct tt_queue *eq;
	u8 *wbuf, *cbuf;
	u16 cntlid;
	u32 i;

	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	wbuf = kunit_kmalloc(test, len, GFP_KERNEL);
	cbuf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_NOT_NULL(test, wbuf);
	KUNIT_ASSERT_NOT_NULL(test, cbuf);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_TRUE(test, le16_to_cpu(id->oncs) & NVME_CTRL_ONCS_COMPARE);
	KUNIT_EXPECT_TRUE(test, le16_to_cpu(id->oncs) &
			  NVMET_CTRL_ONCS_VERIFY);

	for (i = 0; i < len; i++)
		wbuf[i] = i * 13 + 5;
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 1024, nlb,
				    wbuf), 0);
	memcpy(cbuf, wbuf, len);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 1024, nlb,
				    cbuf), 0);
	/* A byte off in the second chunk, then in the last byte. */
	cbuf[(300 << 9) + 5] ^= 1;
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 1024, nlb,
				    cbuf),
			NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR);
	cbuf[(300 << 9) + 5] ^= 1;
	cbuf[len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 1024, nlb,
				    cbuf),
			NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR);
	/* Compare wrote nothing: the stored data is still the pattern. */
	memset(cbuf, 0, len);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, 1024, nlb,
				    cbuf), 0);
	KUNIT_EXPECT_EQ(test, memcmp(cbuf, wbuf, len), 0);

	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1,
				    (TT_NS_SIZE >> 9) - 4, 8, cbuf),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	/* Verify of the whole namespace, 16 chunks; one block past it. */
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_verify, 1, 0,
				    TT_NS_SIZE >> 9, NULL), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_verify, 1, 1,
				    TT_NS_SIZE >> 9, NULL),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	/* Compare carries its blocks, Verify nothing. */
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 0, 1, NULL),
			NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR);

	/* compare off: the event, Invalid Opcode, ONCS bit 0 clear. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COMPARE,
						   false), 0);
	tt_expect_ns_changed(test, aq, eq, 1);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 1024, nlb,
				    wbuf),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, iq->req.error_loc,
			offsetof(struct nvme_common_command, opcode));
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_verify, 1, 0, 8, NULL),
			0);
	KUNIT_EXPECT_EQ(test, tt_cmpver_oncs(test, aq), NVMET_CTRL_ONCS_VERIFY);
	/* verify off too: both refused, neither in ONCS. */
	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_VERIFY,
						   false), 0);
	tt_expect_ns_changed(test, aq, eq, 1);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_verify, 1, 0, 8, NULL),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_cmpver_oncs(test, aq), 0);
	/* Both on again: as at the start. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COMPARE,
						   true), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_VERIFY,
						   true), 0);
	KUNIT_EXPECT_EQ(test, tt_cmpver_oncs(test, aq),
			NVME_CTRL_ONCS_COMPARE | NVMET_CTRL_ONCS_VERIFY);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, 1024, nlb,
				    wbuf), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_verify, 1, 0, 8, NULL),
			0);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* Namespace 1's blocks [slba, slba + nlb) read back equal @want? */
static bool tt_blocks_are(struct kunit *test, struct tt_queue *iq, u64 slba,
			  u16 nlb, const u8 *want)
{
	u8 *got = kunit_kmalloc(test, nlb << 9, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_read, 1, slba, nlb,
				    got), 0);
	return !memcmp(got, want, nlb << 9);
}

/* Two ranges (the first three bounce stages long) to 1200, then back. */
static void tt_copy_data(struct kunit *test, struct tt_queue *iq, u8 *pat,
			 bool offload)
{
	static const struct tt_copy_range two[] = { { 100, 600 }, { 50, 3 } };
	u8 *want = kunit_kmalloc(test, 603 << 9, GFP_KERNEL);
	unsigned int calls = tt_copy_calls;

	KUNIT_ASSERT_NOT_NULL(test, want);
	tt_copy_offload = offload;
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0, 1024, pat),
			0);
	memcpy(want, pat + (100 << 9), 600 << 9);
	memcpy(want + (600 << 9), pat + (50 << 9), 3 << 9);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 1200, two, 2,
				      0), 0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 1200, 603, want));
	/* The backend's copy() is asked once per range, staged or not. */
	KUNIT_EXPECT_EQ(test, tt_copy_calls - calls, 2);
	/* Format 1h (40-byte descriptors), with FUA: back onto 0. */
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT1, 0,
				      &(struct tt_copy_range){ 1200, 603 }, 1,
				      NVMET_COPY_FUA), 0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 0, 603, want));
}

static void tt_test_copy(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	const u32 too_long = 32768 + 1;	/* 16 MiB of 512-byte blocks, + 1 */
	struct tt_copy_range r[2];
	struct nvme_id_ctrl *id;
	struct nvme_id_ns *idns;
	unsigned int calls;
	u8 *pat, *zero;
	u16 cntlid;
	u32 i;

	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	idns = kunit_kzalloc(test, sizeof(*idns), GFP_KERNEL);
	pat = kunit_kmalloc(test, 1024 << 9, GFP_KERNEL);
	zero = kunit_kzalloc(test, 8 << 9, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_NOT_NULL(test, idns);
	KUNIT_ASSERT_NOT_NULL(test, pat);
	KUNIT_ASSERT_NOT_NULL(test, zero);
	for (i = 0; i < 1024 << 9; i++)
		pat[i] = i * 7 + i / 512;
	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);

	/* ONCS bit 8, OCFS formats 0h and 1h, the namespace's limits. */
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_TRUE(test, le16_to_cpu(id->oncs) & NVMET_CTRL_ONCS_COPY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16((u8 *)id +
						 NVMET_ID_CTRL_OCFS_OFF), 0xf);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16((u8 *)idns +
						 NVMET_ID_NS_MSSRL_OFF), 32768);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32((u8 *)idns +
						 NVMET_ID_NS_MCL_OFF), 32768);
	KUNIT_EXPECT_EQ(test, ((u8 *)idns)[NVMET_ID_NS_MSRC_OFF], 127);

	/* Staged through rw(), then by the backend's copy(). */
	tt_copy_data(test, iq, pat, false);
	tt_copy_data(test, iq, pat, true);

	/*
	 * Overlapping its destination, which lies after it: copied as if
	 * read whole first, staged (the backend is not asked) from the end.
	 */
	calls = tt_copy_calls;
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0, 1024, pat),
			0);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 400,
				      &(struct tt_copy_range){ 100, 600 }, 1,
				      0), 0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 400, 600,
					      pat + (100 << 9)));
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 100, 300,
					      pat + (100 << 9)));
	KUNIT_EXPECT_EQ(test, tt_copy_calls, calls);
	/* ... and before it: from the start. */
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 0, 1024, pat),
			0);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 10,
				      &(struct tt_copy_range){ 100, 600 }, 1,
				      0), 0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 10, 600,
					      pat + (100 << 9)));

	/* A source range past the end: LBA Out of Range, nothing written. */
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 1500, 8,
				    zero), 0);
	r[0] = (struct tt_copy_range){ 0, 8 };
	r[1] = (struct tt_copy_range){ (TT_NS_SIZE >> 9) - 4, 8 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 1500, r, 2, 0),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(iq->cqe.result.u32), 0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 1500, 8, zero));
	/* The destination past the end: the same, at SDLBA (CDW10). */
	r[1] = (struct tt_copy_range){ 16, 8 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0,
				      (TT_NS_SIZE >> 9) - 15, r, 2, 0),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, iq->req.error_loc,
			offsetof(struct nvme_common_command, cdw10));
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0,
				      TT_NS_SIZE >> 9, r, 1, 0),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);

	/* Over MSSRL, over MCL, over MSRC: Command Size Limit Exceeded. */
	r[0] = (struct tt_copy_range){ 0, too_long };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 0, r, 1, 0),
			NVMET_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR);
	r[0] = (struct tt_copy_range){ 0, 20000 };
	r[1] = (struct tt_copy_range){ 0, 20000 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 0, r, 2, 0),
			NVMET_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 0,
				      kunit_kzalloc(test, 129 * sizeof(*r),
						    GFP_KERNEL), 129, 0),
			NVMET_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR);
	/* Formats 2h and 3h, which the host has not enabled; 4h. */
	r[0] = (struct tt_copy_range){ 0, 1 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, 4, 8, r, 1, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, 2, 8, r, 1, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, iq->req.error_loc,
			offsetof(struct nvme_common_command, cdw12));

	/* copy off: Invalid Opcode, Identify stops advertising it. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COPY,
						   false), 0);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 8, r, 1, 0),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_FALSE(test, le16_to_cpu(id->oncs) & NVMET_CTRL_ONCS_COPY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16((u8 *)id +
						 NVMET_ID_CTRL_OCFS_OFF), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_NS, 1, idns),
			0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32((u8 *)idns +
						 NVMET_ID_NS_MCL_OFF), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COPY,
						   true), 0);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT0, 8, r, 1, 0),
			0);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* Set (@set) or Get Features Host Behavior Support, its data in @hbs. */
static u16 tt_host_behavior(struct kunit *test, struct tt_queue *aq, bool set,
			    struct nvmet_feat_host_behavior *hbs)
{
	struct nvme_command c = { };

	c.features.opcode = set ? nvme_admin_set_features :
				  nvme_admin_get_features;
	c.features.fid = cpu_to_le32(NVME_FEAT_HOST_BEHAVIOR);
	return tt_submit(test, aq, &c, hbs, sizeof(*hbs));
}

/*
 * Copy formats 2h and 3h: Host Behavior Support enables them, then
 * ranges of namespace 2 (and 1) land in namespace 1, staged and by the
 * backend's copy(); a source NSID the host does not see, or a range past
 * the source's end, writes nothing.
 */
static void tt_test_copy_xns(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq = tt_queue_new(test);
	struct tt_queue *iq = tt_queue_new(test);
	struct nvmet_feat_host_behavior *hbs;
	struct tt_copy_range r[2];
	struct nvmet_ns *ns2;
	u8 *pat, *pat1, *want;
	u16 cntlid;
	u32 i;

	hbs = kunit_kzalloc(test, sizeof(*hbs), GFP_KERNEL);
	pat = kunit_kmalloc(test, 64 << 9, GFP_KERNEL);
	pat1 = kunit_kmalloc(test, 8 << 9, GFP_KERNEL);
	want = kunit_kmalloc(test, 40 << 9, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hbs);
	KUNIT_ASSERT_NOT_NULL(test, pat);
	KUNIT_ASSERT_NOT_NULL(test, pat1);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < 64 << 9; i++)
		pat[i] = i * 11 + i / 512 + 3;
	for (i = 0; i < 8 << 9; i++)
		pat1[i] = i * 5 + 1;
	ns2 = nvmet_ns_create(env->subsys, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ns2));
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_backend(ns2, "kunit-ram"), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_enable(ns2), 0);
	cntlid = tt_admin_up(test, aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 2, 0, 64, pat),
			0);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, 500, 8, pat1),
			0);
	memcpy(want, pat + (16 << 9), 32 << 9);
	memcpy(want + (32 << 9), pat1, 8 << 9);

	/* Not enabled yet: Invalid Field; Get Features says so. */
	r[0] = (struct tt_copy_range){ 16, 32, 2 };
	r[1] = (struct tt_copy_range){ 500, 8, 1 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT2, 100, r, 2, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, false, hbs), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hbs->cdfe), 0);
	/* What the target has none of is refused, and changes nothing. */
	hbs->cdfe = cpu_to_le16(NVMET_HBS_CDFE_FMT2 | BIT(4));
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, true, hbs),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	memset(hbs, 0, sizeof(*hbs));
	hbs->cdfe = cpu_to_le16(NVMET_HBS_CDFE_FMT2);
	hbs->lbafee = 1;
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, true, hbs),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, false, hbs), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hbs->cdfe), 0);
	KUNIT_EXPECT_EQ(test, hbs->lbafee, 0);
	/* Both formats on, ACRE kept. */
	hbs->acre = 1;
	hbs->cdfe = cpu_to_le16(NVMET_HBS_CDFE_FMT2 | NVMET_HBS_CDFE_FMT3);
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, true, hbs), 0);
	memset(hbs, 0, sizeof(*hbs));
	KUNIT_EXPECT_EQ(test, tt_host_behavior(test, aq, false, hbs), 0);
	KUNIT_EXPECT_EQ(test, hbs->acre, 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hbs->cdfe),
			NVMET_HBS_CDFE_FMT2 | NVMET_HBS_CDFE_FMT3);

	/* Staged: namespace 2's blocks, then namespace 1's own. */
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT2, 100, r, 2, 0),
			0);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 100, 40, want));
	/* By the backend's copy(), format 3h, with FUA, to 300. */
	tt_copy_offload = true;
	i = tt_copy_calls;
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT3, 300, r, 2,
				      NVMET_COPY_FUA), 0);
	KUNIT_EXPECT_EQ(test, tt_copy_calls - i, 2);
	KUNIT_EXPECT_TRUE(test, tt_blocks_are(test, iq, 300, 40, want));
	tt_copy_offload = false;

	/* A namespace the host does not see: nothing written. */
	r[1] = (struct tt_copy_range){ 0, 8, 9 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT2, 600, r, 2, 0),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, tt_blocks_are(test, iq, 600, 32, want));
	/* Past the end of the source namespace: nothing written either. */
	r[1] = (struct tt_copy_range){ (TT_NS_SIZE >> 9) - 4, 8, 2 };
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT2, 600, r, 2, 0),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, tt_blocks_are(test, iq, 600, 32, want));
	/* Namespace 2 disabled: not there for the host any more. */
	nvmet_ns_disable(ns2);
	KUNIT_EXPECT_EQ(test, tt_copy(test, iq, NVMET_COPY_FMT2, 600, r, 1, 0),
			NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
	nvmet_ns_free(ns2);
}

static struct kunit_case tt_cases[] = {
	KUNIT_CASE(tt_test_connect_errors),
	KUNIT_CASE(tt_test_registers_identify),
	KUNIT_CASE(tt_test_io),
	KUNIT_CASE(tt_test_ns_changed_aen),
	KUNIT_CASE(tt_test_feature_bits),
	KUNIT_CASE(tt_test_identify_limits),
	KUNIT_CASE(tt_test_identify_dlfeat),
	KUNIT_CASE(tt_test_discovery),
	KUNIT_CASE(tt_test_bounds_admin),
	KUNIT_CASE(tt_test_bounds_io),
	KUNIT_CASE(tt_test_bounds_port_mdts),
	KUNIT_CASE(tt_test_bounds_discovery),
	KUNIT_CASE(tt_test_bounds_connect),
	KUNIT_CASE(tt_test_admin_connect_vs_unlink),
	KUNIT_CASE(tt_test_disc_connect_vs_disable),
	KUNIT_CASE(tt_test_io_connect_vs_delete),
	KUNIT_CASE(tt_test_kato_off_vs_running_ka),
	KUNIT_CASE(tt_test_dsm_nr_wrap),
	KUNIT_CASE(tt_test_disc_cntlid_unique),
	KUNIT_CASE(tt_test_log_pages_21),
	KUNIT_CASE(tt_test_many_ns),
	KUNIT_CASE(tt_test_ana_log_hidden),
	KUNIT_CASE(tt_test_endgrp_rmi),
	KUNIT_CASE(tt_test_identify_21),
	KUNIT_CASE(tt_test_path_errors),
	KUNIT_CASE(tt_test_compare_verify),
	KUNIT_CASE(tt_test_copy),
	KUNIT_CASE(tt_test_copy_xns),
	{}
};

static struct kunit_suite tt_suite = {
	.name = "nvmet_ng_target",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = tt_cases,
};

kunit_test_suite(tt_suite);

/*
 * Reservations (nvmet/target/pr.c): the suite's namespace with
 * resv_enable on, three hosts (A holds, B registers, C does neither) each
 * with a host identifier of its own, on a backend that can hold a write
 * in flight.
 */
#define RK_HOST_B	"nqn.2026-11.io.nvmet-ng:kunit-host-b"
#define RK_HOST_C	"nqn.2026-11.io.nvmet-ng:kunit-host-c"
#define RK_CONFLICT	(NVME_SC_RESERVATION_CONFLICT | NVME_STATUS_DNR)

/* Writes the RAM backend holds instead of completing, while armed. */
static bool rk_hold_armed;
static struct nvmet_req *rk_held;
static DECLARE_COMPLETION(rk_held_done);

static void rk_ram_rw(struct nvmet_req *req)
{
	if (READ_ONCE(rk_hold_armed) && nvme_is_write(req->cmd)) {
		WRITE_ONCE(rk_hold_armed, false);
		rk_held = req;
		complete(&rk_held_done);
		return;
	}
	tt_ram_rw(req);
}

static const struct nvmet_backend_ops rk_ram_backend = {
	.name		= "kunit-resv-ram",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES,
	.changeable	= NVMET_BF_WRITE_ZEROES,
	.open		= tt_ram_open,
	.close		= tt_ram_close,
	.rw		= rk_ram_rw,
	.write_zeroes	= tt_ram_write_zeroes,
};

/* Hosts B and C of the current case. */
static struct nvmet_host *rk_host_b, *rk_host_c;

static int rk_init(struct kunit *test)
{
	struct tt_env *env;
	int ret;

	rk_host_b = NULL;
	rk_host_c = NULL;
	ret = tt_init(test);
	if (ret)
		return ret;
	env = tt_env_of(test);
	ret = nvmet_register_backend(&rk_ram_backend);
	if (ret)
		return ret;
	rk_hold_armed = false;
	rk_held = NULL;
	reinit_completion(&rk_held_done);
	nvmet_ns_disable(env->ns);
	ret = nvmet_ns_set_backend(env->ns, "kunit-resv-ram") ?:
	      nvmet_ns_set_resv_enable(env->ns, true) ?:
	      nvmet_ns_enable(env->ns);
	if (ret)
		return ret;
	rk_host_b = nvmet_host_create(RK_HOST_B);
	if (IS_ERR(rk_host_b))
		return PTR_ERR(rk_host_b);
	rk_host_c = nvmet_host_create(RK_HOST_C);
	if (IS_ERR(rk_host_c))
		return PTR_ERR(rk_host_c);
	return nvmet_subsys_allow_host(env->subsys, rk_host_b) ?:
	       nvmet_subsys_allow_host(env->subsys, rk_host_c);
}

static void rk_host_drop(struct kunit *test, struct nvmet_host *host)
{
	if (IS_ERR_OR_NULL(host))
		return;
	nvmet_subsys_disallow_host(tt_env_of(test)->subsys, host);
	nvmet_host_remove(host);
	nvmet_host_put(host);
}

static void rk_exit(struct kunit *test)
{
	rk_host_drop(test, rk_host_c);
	rk_host_drop(test, rk_host_b);
	tt_exit(test);
	nvmet_unregister_backend(&rk_ram_backend);
}

/* A registrant number as a host identifier: big-endian in bytes 14:15. */
static void rk_set_id(struct nvmet_ctrl *ctrl, u16 v)
{
	memset(&ctrl->hostid, 0, sizeof(ctrl->hostid));
	ctrl->hostid.b[14] = v >> 8;
	ctrl->hostid.b[15] = v & 0xff;
}

/* A controller of one host: its admin and one I/O queue, both up. */
struct rk_ctrl {
	struct tt_queue *aq;
	struct tt_queue *iq;
};

static u16 rk_connect(struct kunit *test, struct tt_queue *q, u16 qid,
		      const char *hostnqn, u8 id, u16 cntlid)
{
	struct nvmf_connect_data *d;
	struct nvme_command c = { };

	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	strscpy(d->subsysnqn, TT_SUBNQN, sizeof(d->subsysnqn));
	strscpy(d->hostnqn, hostnqn, sizeof(d->hostnqn));
	memset(&d->hostid, id, sizeof(d->hostid));
	d->cntlid = cpu_to_le16(cntlid);
	c.connect.opcode = nvme_fabrics_command;
	c.connect.fctype = nvme_fabrics_type_connect;
	c.connect.qid = cpu_to_le16(qid);
	c.connect.sqsize = cpu_to_le16(31);
	c.connect.kato = cpu_to_le32(qid ? 0 : 5000);
	return tt_submit(test, q, &c, d, sizeof(*d));
}

/* Host identifier: 16 bytes of @id. */
static struct rk_ctrl rk_ctrl_up(struct kunit *test, const char *hostnqn,
				 u8 id)
{
	struct rk_ctrl rc = { tt_queue_new(test), tt_queue_new(test) };
	u16 cntlid;

	KUNIT_ASSERT_EQ(test, rk_connect(test, rc.aq, 0, hostnqn, id, 0xffff),
			0);
	cntlid = le16_to_cpu(rc.aq->cqe.result.u16);
	KUNIT_ASSERT_EQ(test, tt_prop_set_cc(test, rc.aq, TT_CC_EN), 0);
	KUNIT_ASSERT_EQ(test, rk_connect(test, rc.iq, 1, hostnqn, id, cntlid),
			0);
	return rc;
}

static void rk_ctrl_down(struct rk_ctrl *rc)
{
	nvmet_sq_destroy(&rc->iq->sq);
	nvmet_sq_destroy(&rc->aq->sq);
}

static void rk_resv_cmd(struct nvme_command *c, u8 op, u32 cdw10)
{
	memset(c, 0, sizeof(*c));
	c->common.opcode = op;
	c->common.nsid = cpu_to_le32(1);
	c->common.cdw10 = cpu_to_le32(cdw10);
}

/* Register: @act, IEKEY, CPTPL in CDW10; CRKEY, NRKEY. */
static u16 rk_register(struct kunit *test, struct rk_ctrl *rc, u32 cdw10,
		       u64 crkey, u64 nrkey)
{
	__le64 d[2] = { cpu_to_le64(crkey), cpu_to_le64(nrkey) };
	struct nvme_command c;

	rk_resv_cmd(&c, nvme_cmd_resv_register, cdw10);
	return tt_submit(test, rc->iq, &c, d, sizeof(d));
}

static u16 rk_acquire(struct kunit *test, struct rk_ctrl *rc, u8 act,
		      u8 rtype, u64 crkey, u64 prkey)
{
	__le64 d[2] = { cpu_to_le64(crkey), cpu_to_le64(prkey) };
	struct nvme_command c;

	rk_resv_cmd(&c, nvme_cmd_resv_acquire, act | rtype << 8);
	return tt_submit(test, rc->iq, &c, d, sizeof(d));
}

static u16 rk_release(struct kunit *test, struct rk_ctrl *rc, u8 act,
		      u8 rtype, u64 crkey)
{
	__le64 d = cpu_to_le64(crkey);
	struct nvme_command c;

	rk_resv_cmd(&c, nvme_cmd_resv_release, act | rtype << 8);
	return tt_submit(test, rc->iq, &c, &d, sizeof(d));
}

static u16 rk_report(struct kunit *test, struct rk_ctrl *rc, bool eds,
		     void *buf, u32 len)
{
	struct nvme_command c;

	rk_resv_cmd(&c, nvme_cmd_resv_report, len / 4 - 1);
	c.common.cdw11 = cpu_to_le32(eds);
	return tt_submit(test, rc->iq, &c, buf, len);
}

static u16 rk_io(struct kunit *test, struct rk_ctrl *rc, u8 op)
{
	static u8 buf[512];

	return tt_rw(test, rc->iq, op, 1, 0, 1,
		     op == nvme_cmd_flush || op == nvme_cmd_verify ? NULL : buf);
}

static u32 rk_generation(struct kunit *test, struct rk_ctrl *rc)
{
	u8 buf[64];

	KUNIT_EXPECT_EQ(test, rk_report(test, rc, true, buf, sizeof(buf)), 0);
	return tt_le32(buf);
}

/* Resv disabled: the commands are not there, I/O is as before. */
static void rk_test_disabled(struct kunit *test)
{
	struct tt_env *env = tt_env_of(test);
	struct rk_ctrl a;
	u8 *id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_enable(env->ns, false),
			-EINVAL);
	nvmet_ns_disable(env->ns);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_resv_enable(env->ns, false), 0);
	KUNIT_ASSERT_EQ(test, nvmet_ns_enable(env->ns), 0);
	KUNIT_EXPECT_NULL(test, env->ns->pr);
	a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 1),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_report(test, &a, true, id, 64),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_read), 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, a.aq, NVME_ID_CNS_NS, 1, id),
			0);
	KUNIT_EXPECT_EQ(test, ((struct nvme_id_ns *)id)->rescap, 0);
	KUNIT_ASSERT_EQ(test, tt_identify(test, a.aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_TRUE(test, le16_to_cpu(((struct nvme_id_ctrl *)id)->oncs) &
			  NVME_CTRL_ONCS_RESERVATIONS);
	rk_ctrl_down(&a);
}

/* Register, again, replace, unregister; IEKEY; the generation. */
static void rk_test_register(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	u8 *id = kunit_kzalloc(test, NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, a.aq, NVME_ID_CNS_NS, 1, id),
			0);
	KUNIT_EXPECT_EQ(test, ((struct nvme_id_ns *)id)->rescap,
			NVMET_PR_RESCAP);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 0x11), 0);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 1);
	/* The same key again: no change; another: a conflict. */
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 0x11), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 0x12), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 1);
	/* Replace with the wrong key, then ignoring it. */
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 2, 0x99, 0x12),
			RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 2, 0x11, 0x12), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 2 | 8, 0x99, 0x13), 0);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 3);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, 0x12, 0), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, 0x13, 0), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, 0x13, 0), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 2, 0x13, 0x14),
			RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 4);
	/*
	 * Unknown action; CPTPL 01b: refused.  PTPL on where the state file
	 * cannot be written (the default directory does not exist here):
	 * Internal Error.
	 */
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 3, 0, 1),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1U << 30, 0, 1),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 3U << 30, 0, 1),
			NVME_SC_INTERNAL);
	/* A failed save keeps the old state. */
	KUNIT_EXPECT_EQ(test, rk_generation(test, &a), 4);
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0, 1, 1, 0), RK_CONFLICT);
	rk_ctrl_down(&a);
}

/* Report: only the extended data structure (128-bit host IDs). */
static void rk_test_report(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl b = rk_ctrl_up(test, RK_HOST_B, 0xb);
	struct nvmet_pr_status *r;
	u8 *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 id[16];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	r = (void *)buf;
	KUNIT_EXPECT_EQ(test, rk_report(test, &a, false, buf, 4096),
			NVME_SC_HOST_ID_INCONSIST | NVME_STATUS_DNR);
	KUNIT_ASSERT_EQ(test, rk_register(test, &b, 0, 0, 0xb0), 0);
	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &b, 0, NVME_PR_WRITE_EXCLUSIVE,
					 0xb0, 0), 0);
	memset(buf, 0xee, 4096);
	KUNIT_ASSERT_EQ(test, rk_report(test, &a, true, buf, 4096), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->gen), 2);
	KUNIT_EXPECT_EQ(test, r->rtype, NVME_PR_WRITE_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, r->regctl[0] | r->regctl[1] << 8, 2);
	KUNIT_EXPECT_EQ(test, r->ptpls, 0);
	/* Sorted by host identifier: A (0x0a...) first. */
	memset(id, 0xa, sizeof(id));
	KUNIT_EXPECT_EQ(test, memcmp(r->regs[0].hostid, id, 16), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->regs[0].rkey), 0xa0);
	KUNIT_EXPECT_EQ(test, r->regs[0].rcsts, 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(r->regs[0].cntlid), 0xffff);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->regs[1].rkey), 0xb0);
	KUNIT_EXPECT_EQ(test, r->regs[1].rcsts, 1);
	/* Zeroes after the last entry. */
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 64 + 2 * 64, 0,
					   4096 - 64 - 2 * 64));
	/* A short buffer: the header and what fits; the count stays. */
	memset(buf, 0, 4096);
	KUNIT_ASSERT_EQ(test, rk_report(test, &a, true, buf, 128), 0);
	KUNIT_EXPECT_EQ(test, r->regctl[0], 2);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->regs[0].rkey), 0xa0);
	rk_ctrl_down(&b);
	rk_ctrl_down(&a);
}

/*
 * Each type against reads and writes from the holder A, the registrant B
 * and the non-registrant C: 1 allowed, 0 Reservation Conflict.
 */
static void rk_test_types(struct kunit *test)
{
	static const struct {
		u8 rtype;
		bool b_read, b_write, c_read, c_write;
	} t[] = {
		{ NVME_PR_WRITE_EXCLUSIVE,		1, 0, 1, 0 },
		{ NVME_PR_EXCLUSIVE_ACCESS,		0, 0, 0, 0 },
		{ NVME_PR_WRITE_EXCLUSIVE_REG_ONLY,	1, 1, 1, 0 },
		{ NVME_PR_EXCLUSIVE_ACCESS_REG_ONLY,	1, 1, 0, 0 },
		{ NVME_PR_WRITE_EXCLUSIVE_ALL_REGS,	1, 1, 1, 0 },
		{ NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS,	1, 1, 0, 0 },
	};
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl b = rk_ctrl_up(test, RK_HOST_B, 0xb);
	struct rk_ctrl c = rk_ctrl_up(test, RK_HOST_C, 0xc);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_ASSERT_EQ(test, rk_register(test, &b, 0, 0, 0xb0), 0);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		u8 rt = t[i].rtype;

		KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, rt, 0xa0, 0), 0);
		/* Again is no change; another type, or B's, a conflict. */
		KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0, rt, 0xa0, 0), 0);
		KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0, rt % 6 + 1, 0xa0,
						 0), RK_CONFLICT);
		KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_read), 0);
		KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), 0);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &b, nvme_cmd_read),
				    t[i].b_read ? 0 : RK_CONFLICT, "type %u", rt);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &b, nvme_cmd_write),
				    t[i].b_write ? 0 : RK_CONFLICT, "type %u", rt);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &c, nvme_cmd_read),
				    t[i].c_read ? 0 : RK_CONFLICT, "type %u", rt);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &c, nvme_cmd_write),
				    t[i].c_write ? 0 : RK_CONFLICT, "type %u", rt);
		/* Flush is of the write group, Compare and Verify reads. */
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &c, nvme_cmd_flush),
				    t[i].c_write ? 0 : RK_CONFLICT, "type %u", rt);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &c, nvme_cmd_compare),
				    t[i].c_read ? 0 : RK_CONFLICT, "type %u", rt);
		KUNIT_EXPECT_EQ_MSG(test, rk_io(test, &c, nvme_cmd_verify),
				    t[i].c_read ? 0 : RK_CONFLICT, "type %u", rt);
		/* Copy writes (and reads) the namespace: the write group. */
		KUNIT_EXPECT_EQ_MSG(test,
				    tt_copy(test, c.iq, NVMET_COPY_FMT0, 8,
					    &(struct tt_copy_range){ 0, 1 },
					    1, 0),
				    t[i].c_write ? 0 : RK_CONFLICT, "type %u", rt);
		/* Release: the wrong type is refused; C is no registrant. */
		KUNIT_EXPECT_EQ(test, rk_release(test, &c, 0, rt, 0),
				RK_CONFLICT);
		KUNIT_EXPECT_EQ(test, rk_release(test, &a, 0, rt % 6 + 1, 0xa0),
				NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
		KUNIT_EXPECT_EQ(test, rk_release(test, &a, 0, rt, 0xa0), 0);
		KUNIT_EXPECT_EQ(test, rk_io(test, &c, nvme_cmd_write), 0);
	}
	/* Acquire: IEKEY, a type out of range, the wrong key. */
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 8, 1, 0xa0, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0, 7, 0xa0, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0, 1, 0xa1, 0), RK_CONFLICT);
	/* Clear: no reservation, no registrants, the generation moves. */
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, 2, 0xa0, 0), 0);
	KUNIT_EXPECT_EQ(test, rk_release(test, &b, 1, 0, 0xb0), 0);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &c), 3);
	KUNIT_EXPECT_EQ(test, rk_io(test, &c, nvme_cmd_write), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, 0xa0, 0), RK_CONFLICT);
	rk_ctrl_down(&c);
	rk_ctrl_down(&b);
	rk_ctrl_down(&a);
}

/* Read the Reservation Notification log: its type, 0 for none. */
static u8 rk_log(struct kunit *test, struct rk_ctrl *rc, u64 *count)
{
	u8 log[64];

	KUNIT_EXPECT_EQ(test, tt_get_log(test, rc->aq, NVME_LOG_RESERVATION,
					 log, sizeof(log)), 0);
	if (count)
		*count = tt_le64(log);
	if (log[8])
		KUNIT_EXPECT_EQ(test, tt_le32(log + 12), 1);
	return log[8];
}

/* Preempt: B takes A's reservation; A is unregistered and told. */
static void rk_test_preempt(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl b = rk_ctrl_up(test, RK_HOST_B, 0xb);
	u64 count;

	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_ASSERT_EQ(test, rk_register(test, &b, 0, 0, 0xb0), 0);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, NVME_PR_WRITE_EXCLUSIVE,
					 0xa0, 0), 0);
	/* Not the holder's key and 0: Invalid Field; no match: conflict. */
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &b, 1, 1, 0xb0, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &b, 1, 1, 0xb0, 0x77),
			RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &b), 2);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &b, 1,
					 NVME_PR_EXCLUSIVE_ACCESS, 0xb0, 0xa0),
			0);
	KUNIT_EXPECT_EQ(test, rk_generation(test, &b), 3);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_read), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_io(test, &b, nvme_cmd_write), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, 0xa0, 0), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_log(test, &a, &count),
			NVMET_PR_LOG_REG_PREEMPTED);
	KUNIT_EXPECT_EQ(test, count, 1);
	KUNIT_EXPECT_EQ(test, rk_log(test, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, rk_log(test, &b, NULL), 0);
	rk_ctrl_down(&b);
	rk_ctrl_down(&a);
}

/*
 * Preempt-and-abort completes only after A's write in flight did; the
 * new state holds for new commands meanwhile, from any controller of A.
 */
static void rk_test_preempt_abort(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl a2 = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl b = rk_ctrl_up(test, RK_HOST_B, 0xb);
	__le64 d[2] = { cpu_to_le64(0xb0), cpu_to_le64(0xa0) };
	struct tt_queue *wq = b.iq;
	struct nvme_command c = { };

	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_ASSERT_EQ(test, rk_register(test, &b, 0, 0, 0xb0), 0);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, NVME_PR_WRITE_EXCLUSIVE,
					 0xa0, 0), 0);
	/* A's write: checked, then held by the backend. */
	WRITE_ONCE(rk_hold_armed, true);
	tt_write_cmd(&c, 0, 1);
	tt_prep(test, a.iq, &c, 512);
	KUNIT_ASSERT_TRUE(test, nvmet_req_init(&a.iq->req, &a.iq->cq,
					       &a.iq->sq, &tt_fabric));
	KUNIT_ASSERT_EQ(test, nvmet_req_alloc_sgl(&a.iq->req), 0);
	a.iq->req.execute(&a.iq->req);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&rk_held_done,
							  10 * HZ), 0);
	/* B's preempt-and-abort waits. */
	rk_resv_cmd(&c, nvme_cmd_resv_acquire,
		    NVMET_PR_ACQ_PREEMPT_ABORT | NVME_PR_WRITE_EXCLUSIVE << 8);
	tt_prep(test, wq, &c, sizeof(d));
	KUNIT_ASSERT_TRUE(test, nvmet_req_init(&wq->req, &wq->cq, &wq->sq,
					       &tt_fabric));
	KUNIT_ASSERT_EQ(test, nvmet_req_alloc_sgl(&wq->req), 0);
	sg_copy_from_buffer(wq->req.sg, wq->req.sg_cnt, d, sizeof(d));
	wq->req.execute(&wq->req);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&wq->done, HZ / 5),
			0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a2, nvme_cmd_write), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a2, nvme_cmd_read), 0);
	/* A's write completes; then the preempt-and-abort does. */
	tt_ram_rw(rk_held);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&a.iq->done, 10 * HZ),
			0);
	nvmet_req_free_sgl(&a.iq->req);
	KUNIT_EXPECT_EQ(test, tt_cqe_status(a.iq), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&wq->done, 10 * HZ),
			0);
	nvmet_req_free_sgl(&wq->req);
	KUNIT_EXPECT_EQ(test, tt_cqe_status(wq), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_io(test, &b, nvme_cmd_write), 0);
	rk_ctrl_down(&b);
	rk_ctrl_down(&a2);
	rk_ctrl_down(&a);
}

/* Submit an AER on @rc's admin queue, in a slot of its own. */
static struct tt_queue *rk_aer(struct kunit *test, struct rk_ctrl *rc)
{
	return tt_aer_submit(test, rc->aq);
}

static u16 rk_features(struct kunit *test, struct rk_ctrl *rc, bool set,
		       u8 fid, u32 nsid, u32 cdw11)
{
	struct nvme_command c = { };

	c.features.opcode = set ? nvme_admin_set_features :
				  nvme_admin_get_features;
	c.features.fid = cpu_to_le32(fid);
	c.features.nsid = cpu_to_le32(nsid);
	c.features.dword11 = cpu_to_le32(cdw11);
	return tt_submit(test, rc->aq, &c, NULL, 0);
}

/*
 * Notifications: only the affected hosts' controllers, with the AEN;
 * the mask silences a type; reading empties the log.
 */
static void rk_test_notify(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl b = rk_ctrl_up(test, RK_HOST_B, 0xb);
	struct rk_ctrl c = rk_ctrl_up(test, RK_HOST_C, 0xc);
	struct tt_queue *eb = rk_aer(test, &b), *ec = rk_aer(test, &c);
	u8 rt = NVME_PR_WRITE_EXCLUSIVE_REG_ONLY;
	u64 count;

	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_ASSERT_EQ(test, rk_register(test, &b, 0, 0, 0xb0), 0);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, rt, 0xa0, 0), 0);
	KUNIT_ASSERT_EQ(test, rk_release(test, &a, 0, rt, 0xa0), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&eb->done, 10 * HZ),
			0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(eb->cqe.result.u32),
			NVME_AER_CSS | NVME_LOG_RESERVATION << 16);
	KUNIT_EXPECT_EQ(test, rk_log(test, &b, &count),
			NVMET_PR_LOG_RESV_RELEASED);
	KUNIT_EXPECT_EQ(test, count, 1);
	KUNIT_EXPECT_EQ(test, rk_log(test, &b, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0);
	KUNIT_EXPECT_EQ(test, rk_log(test, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, rk_log(test, &c, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&ec->done, HZ / 10),
			0);
	/* Masked: nothing; the mask reads back; bad bits are refused. */
	KUNIT_EXPECT_EQ(test, rk_features(test, &b, true, NVME_FEAT_RESV_MASK,
					  1, 1U << 4),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, rk_features(test, &b, true, NVME_FEAT_RESV_MASK,
					  NVME_NSID_ALL,
					  BIT(NVMET_PR_LOG_RESV_RELEASED)), 0);
	KUNIT_EXPECT_EQ(test, rk_features(test, &b, false, NVME_FEAT_RESV_MASK,
					  1, 0), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(b.aq->cqe.result.u32),
			BIT(NVMET_PR_LOG_RESV_RELEASED));
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a, 0, rt, 0xa0, 0), 0);
	KUNIT_ASSERT_EQ(test, rk_release(test, &a, 0, rt, 0xa0), 0);
	KUNIT_EXPECT_EQ(test, rk_log(test, &b, NULL), 0);
	/* Clear tells the others: Reservation Preempted. */
	KUNIT_EXPECT_EQ(test, rk_features(test, &b, true, NVME_FEAT_RESV_MASK,
					  1, 0), 0);
	KUNIT_ASSERT_EQ(test, rk_release(test, &a, 1, 0, 0xa0), 0);
	KUNIT_EXPECT_EQ(test, rk_log(test, &b, &count),
			NVMET_PR_LOG_RESV_PREEMPTED);
	KUNIT_EXPECT_EQ(test, count, 2);
	KUNIT_EXPECT_EQ(test, rk_log(test, &a, NULL), 0);
	/*
	 * Reservation Persistence: PTPL on fails where the state file
	 * cannot be written (no default directory here).
	 */
	KUNIT_EXPECT_EQ(test, rk_features(test, &a, true,
					  NVME_FEAT_RESV_PERSIST, 1, 1),
			NVME_SC_INTERNAL);
	KUNIT_EXPECT_EQ(test, rk_features(test, &a, true,
					  NVME_FEAT_RESV_PERSIST, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, rk_features(test, &a, false,
					  NVME_FEAT_RESV_PERSIST, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(a.aq->cqe.result.u32), 0);
	KUNIT_EXPECT_EQ(test, rk_features(test, &a, false,
					  NVME_FEAT_RESV_PERSIST, 2, 0),
			NVME_SC_INVALID_FIELD | NVME_STATUS_DNR);
	rk_ctrl_down(&c);
	rk_ctrl_down(&b);
	rk_ctrl_down(&a);
}

/* Two controllers of one host are one registrant. */
static void rk_test_same_host(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl a2 = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct rk_ctrl c = rk_ctrl_up(test, RK_HOST_C, 0xc);
	u8 buf[64];

	KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, 0xa0), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a2, 0, 0, 0xa0), 0);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a2, 0, 0, 0xa1), RK_CONFLICT);
	KUNIT_ASSERT_EQ(test, rk_acquire(test, &a2, 0,
					 NVME_PR_EXCLUSIVE_ACCESS, 0xa0, 0), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a2, nvme_cmd_read), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &c, nvme_cmd_read), RK_CONFLICT);
	KUNIT_ASSERT_EQ(test, rk_report(test, &c, true, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, buf[5], 1);
	KUNIT_EXPECT_EQ(test, rk_release(test, &a, 0, NVME_PR_EXCLUSIVE_ACCESS,
					 0xa0), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &c, nvme_cmd_read), 0);
	rk_ctrl_down(&c);
	rk_ctrl_down(&a2);
	rk_ctrl_down(&a);
}

/*
 * NVMET_PR_MAX_REGS registrants, then one too many.  One controller
 * stands for them all: the test changes its host identifier between
 * commands (nothing else runs meanwhile).
 */
static void rk_test_many(struct kunit *test)
{
	struct rk_ctrl a = rk_ctrl_up(test, TT_HOSTNQN, 0xa);
	struct nvmet_ctrl *ctrl = a.iq->sq.ctrl;
	size_t len = 64 + 64 * NVMET_PR_MAX_REGS;
	struct nvmet_pr_status *r;
	uuid_t mine = ctrl->hostid;
	u32 i;

	r = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < NVMET_PR_MAX_REGS; i++) {
		/* Registered in reverse order: the state sorts them. */
		rk_set_id(ctrl, NVMET_PR_MAX_REGS - i);
		KUNIT_ASSERT_EQ(test, rk_register(test, &a, 0, 0, i), 0);
		/* Replaced states go through RCU: keep their memory bounded. */
		if (i % 256 == 255)
			rcu_barrier();
	}
	ctrl->hostid = mine;
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 1),
			NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR);
	KUNIT_ASSERT_EQ(test, rk_report(test, &a, true, r, len), 0);
	KUNIT_EXPECT_EQ(test, r->regctl[0] | r->regctl[1] << 8,
			NVMET_PR_MAX_REGS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->gen), NVMET_PR_MAX_REGS);
	for (i = 0; i < NVMET_PR_MAX_REGS; i++)
		if ((r->regs[i].hostid[14] << 8 |
		     r->regs[i].hostid[15]) != i + 1 ||
		    le64_to_cpu(r->regs[i].rkey) != NVMET_PR_MAX_REGS -
							   1 - i)
			break;
	KUNIT_EXPECT_EQ(test, i, NVMET_PR_MAX_REGS);
	/* A registrant in the middle holds; another writes; we may not. */
	rk_set_id(ctrl, 2000);
	KUNIT_EXPECT_EQ(test, rk_acquire(test, &a, 0,
					 NVME_PR_WRITE_EXCLUSIVE_REG_ONLY,
					 NVMET_PR_MAX_REGS - 2000, 0), 0);
	rk_set_id(ctrl, 3);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), 0);
	ctrl->hostid = mine;
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), RK_CONFLICT);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_read), 0);
	/* One leaves, one more fits. */
	rk_set_id(ctrl, 3);
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 1, NVMET_PR_MAX_REGS - 3,
					  0), 0);
	ctrl->hostid = mine;
	KUNIT_EXPECT_EQ(test, rk_register(test, &a, 0, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, rk_io(test, &a, nvme_cmd_write), 0);
	rk_ctrl_down(&a);
}

static struct kunit_case rk_cases[] = {
	KUNIT_CASE(rk_test_disabled),
	KUNIT_CASE(rk_test_register),
	KUNIT_CASE(rk_test_report),
	KUNIT_CASE(rk_test_types),
	KUNIT_CASE(rk_test_preempt),
	KUNIT_CASE(rk_test_preempt_abort),
	KUNIT_CASE(rk_test_notify),
	KUNIT_CASE(rk_test_same_host),
	KUNIT_CASE(rk_test_many),
	{}
};

static struct kunit_suite rk_suite = {
	.name = "nvmet_ng_resv",
	.init = rk_init,
	.exit = rk_exit,
	.test_cases = rk_cases,
};

kunit_test_suite(rk_suite);

/*
 * Fused Compare and Write (nvmet/target/fused.c, range.c): the suite's
 * namespace on the reservation suite's RAM backend, which can hold a
 * write in flight, without reservations.  A queue's commands go through
 * slots of their own (fk_slot()), so that several are in flight at once.
 */
#define FK_SLBA		64
#define FK_NLB		8
#define FK_LEN		(FK_NLB << 9)
#define FK_MISSING	(NVME_SC_FUSED_MISSING | NVME_STATUS_DNR)
#define FK_FAILED	(NVME_SC_FUSED_FAIL | NVME_STATUS_DNR)

static int fk_init(struct kunit *test)
{
	int ret = tt_init(test);
	struct tt_env *env;

	if (ret)
		return ret;
	env = tt_env_of(test);
	ret = nvmet_register_backend(&rk_ram_backend);
	if (ret)
		return ret;
	rk_hold_armed = false;
	rk_held = NULL;
	reinit_completion(&rk_held_done);
	nvmet_ns_disable(env->ns);
	return nvmet_ns_set_backend(env->ns, "kunit-resv-ram") ?:
	       nvmet_ns_enable(env->ns);
}

static void fk_exit(struct kunit *test)
{
	tt_exit(test);
	nvmet_unregister_backend(&rk_ram_backend);
}

/* Another command slot of @q's queue. */
static struct tt_queue *fk_slot(struct kunit *test, struct tt_queue *q)
{
	struct tt_queue *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->port = q->port;
	return s;
}

static void fk_cmd(struct nvme_command *c, u8 op, u8 fuse, u64 slba, u16 nlb)
{
	memset(c, 0, sizeof(*c));
	c->rw.opcode = op;
	c->rw.flags = fuse;
	c->rw.nsid = cpu_to_le32(1);
	c->rw.slba = cpu_to_le64(slba);
	c->rw.length = cpu_to_le16(nlb - 1);
}

/*
 * Take @op in on @q's queue in slot @s, its data (@len bytes of @buf)
 * brought in, not executed.  Returns false if nvmet_req_init() refused
 * it (then @s holds its completion).
 */
static bool fk_take(struct kunit *test, struct tt_queue *q,
		    struct tt_queue *s, u8 op, u8 fuse, u64 slba, u16 nlb,
		    void *buf)
{
	u32 len = buf ? nlb << 9 : 0;
	struct nvme_command c;

	fk_cmd(&c, op, fuse, slba, nlb);
	tt_prep(test, s, &c, len);
	if (!nvmet_req_init(&s->req, &q->cq, &q->sq, &tt_fabric))
		return false;
	KUNIT_ASSERT_EQ(test, nvmet_req_alloc_sgl(&s->req), 0);
	if (len)
		sg_copy_from_buffer(s->req.sg, s->req.sg_cnt, buf, len);
	return true;
}

/* Take in and execute. */
static void fk_run(struct kunit *test, struct tt_queue *q, struct tt_queue *s,
		   u8 op, u8 fuse, u64 slba, u16 nlb, void *buf)
{
	if (fk_take(test, q, s, op, fuse, slba, nlb, buf))
		s->req.execute(&s->req);
}

/* Has slot @s completed within @ms? */
static bool fk_done_in(struct tt_queue *s, unsigned int ms)
{
	return wait_for_completion_timeout(&s->done, msecs_to_jiffies(ms));
}

static u16 fk_wait(struct kunit *test, struct tt_queue *s)
{
	KUNIT_ASSERT_TRUE(test, fk_done_in(s, 10000));
	nvmet_req_free_sgl(&s->req);
	return tt_cqe_status(s);
}

/*
 * A fused Compare of @cbuf and Write of @wbuf at FK_SLBA on @q, the
 * Write's data in first; *@cs and *@ws are their statuses.
 */
static void fk_pair(struct kunit *test, struct tt_queue *q, void *cbuf,
		    void *wbuf, u16 *cs, u16 *ws)
{
	struct tt_queue *a = fk_slot(test, q), *b = fk_slot(test, q);
	bool ta, tb;

	ta = fk_take(test, q, a, nvme_cmd_compare, NVME_CMD_FUSE_FIRST,
		     FK_SLBA, FK_NLB, cbuf);
	tb = fk_take(test, q, b, nvme_cmd_write, NVME_CMD_FUSE_SECOND,
		     FK_SLBA, FK_NLB, wbuf);
	if (tb)
		b->req.execute(&b->req);
	if (ta)
		a->req.execute(&a->req);
	*cs = fk_wait(test, a);
	*ws = fk_wait(test, b);
}

static u8 *fk_buf(struct kunit *test, u8 seed)
{
	u8 *buf = kunit_kmalloc(test, FK_LEN, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < FK_LEN; i++)
		buf[i] = i * 7 + seed;
	return buf;
}

/* Do the blocks at @slba hold @want? */
static bool fk_holds(struct kunit *test, struct tt_queue *q, u64 slba,
		     u16 nlb, const u8 *want)
{
	u8 *buf = kunit_kzalloc(test, nlb << 9, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, tt_rw(test, q, nvme_cmd_read, 1, slba, nlb, buf),
			0);
	return !memcmp(buf, want, nlb << 9);
}

static void fk_up(struct kunit *test, struct tt_queue **aq,
		  struct tt_queue **iq)
{
	u16 cntlid;

	*aq = tt_queue_new(test);
	*iq = tt_queue_new(test);
	cntlid = tt_admin_up(test, *aq);
	KUNIT_ASSERT_EQ(test, tt_connect(test, *iq, 1, TT_SUBNQN, TT_HOSTNQN,
					 cntlid), 0);
}

static void fk_test_statuses(struct kunit *test)
{
	u8 *a = fk_buf(test, 1), *b = fk_buf(test, 2), *c = fk_buf(test, 3);
	struct tt_queue *aq, *iq, *s1, *s2;
	struct nvme_id_ctrl *id;
	u16 cs, ws;

	fk_up(test, &aq, &iq);
	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(id->fuses), 1);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, a), 0);

	/* A match writes. */
	fk_pair(test, iq, a, b, &cs, &ws);
	KUNIT_EXPECT_EQ(test, cs, 0);
	KUNIT_EXPECT_EQ(test, ws, 0);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));
	/* A mismatch fails the Write, which writes nothing. */
	fk_pair(test, iq, a, c, &cs, &ws);
	KUNIT_EXPECT_EQ(test, cs, NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, ws, FK_FAILED);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));

	/* A first followed by another command: Missing Fused Command. */
	s1 = fk_slot(test, iq);
	fk_run(test, iq, s1, nvme_cmd_compare, NVME_CMD_FUSE_FIRST, FK_SLBA,
	       FK_NLB, b);
	KUNIT_EXPECT_FALSE(test, fk_done_in(s1, 100));
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));
	KUNIT_EXPECT_EQ(test, fk_wait(test, s1), FK_MISSING);
	/* A second without a first. */
	s2 = fk_slot(test, iq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s2, nvme_cmd_write,
					 NVME_CMD_FUSE_SECOND, FK_SLBA, FK_NLB,
					 c));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s2), FK_MISSING);
	/* A second of other blocks fails both. */
	s1 = fk_slot(test, iq);
	s2 = fk_slot(test, iq);
	fk_run(test, iq, s1, nvme_cmd_compare, NVME_CMD_FUSE_FIRST, FK_SLBA,
	       FK_NLB, b);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s2, nvme_cmd_write,
					 NVME_CMD_FUSE_SECOND, FK_SLBA + 1,
					 FK_NLB, c));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s2), TT_INVALID);
	KUNIT_EXPECT_EQ(test, fk_wait(test, s1), TT_INVALID);
	/* A first that failed fails its second. */
	s1 = fk_slot(test, iq);
	s2 = fk_slot(test, iq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s1, nvme_cmd_compare,
					 NVME_CMD_FUSE_FIRST, TT_NS_SIZE >> 9,
					 1, b));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s1),
			NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s2, nvme_cmd_write,
					 NVME_CMD_FUSE_SECOND, TT_NS_SIZE >> 9,
					 1, c));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s2), FK_FAILED);
	/* A first whose second never comes times out. */
	s1 = fk_slot(test, iq);
	fk_run(test, iq, s1, nvme_cmd_compare, NVME_CMD_FUSE_FIRST, FK_SLBA,
	       FK_NLB, b);
	KUNIT_EXPECT_EQ(test, fk_wait(test, s1), FK_MISSING);
	/* Only Compare may be first; FUSE 11b; no fused admin commands. */
	s1 = fk_slot(test, iq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s1, nvme_cmd_read,
					 NVME_CMD_FUSE_FIRST, FK_SLBA, FK_NLB,
					 NULL));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s1), TT_INVALID);
	s1 = fk_slot(test, iq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s1, nvme_cmd_compare,
					 NVME_CMD_FUSE_FIRST |
					 NVME_CMD_FUSE_SECOND, FK_SLBA, FK_NLB,
					 b));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s1), TT_INVALID);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));
	s1 = fk_slot(test, aq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, aq, s1, nvme_cmd_compare,
					 NVME_CMD_FUSE_FIRST, FK_SLBA, FK_NLB,
					 b));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s1), TT_INVALID);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/* FUSES of Identify Controller. */
static u16 fk_fuses(struct kunit *test, struct tt_queue *aq)
{
	struct nvme_id_ctrl *id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_EQ(test, tt_identify(test, aq, NVME_ID_CNS_CTRL, 0, id),
			0);
	return le16_to_cpu(id->fuses);
}

/*
 * The compare_write bit: off, the event, FUSES 0, a pair's Compare is
 * Invalid Field (FUSE) and its Write Failed Fused Command, nothing
 * written, while a lone Compare still works; on, pairs work again.  The
 * compare bit is the lone Compare's only: off, a pair still runs.
 */
static void fk_test_bit(struct kunit *test)
{
	u8 *a = fk_buf(test, 1), *b = fk_buf(test, 2), *c = fk_buf(test, 3);
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq, *iq, *s1, *s2, *eq;
	u16 cs, ws;

	fk_up(test, &aq, &iq);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, a), 0);
	KUNIT_EXPECT_EQ(test, fk_fuses(test, aq), NVMET_CTRL_FUSES_CMP_WRITE);

	eq = tt_aer_post(test, aq);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_COMPARE_WRITE,
						   false), 0);
	tt_expect_ns_changed(test, aq, eq, 1);
	KUNIT_EXPECT_EQ(test, fk_fuses(test, aq), 0);
	s1 = fk_slot(test, iq);
	s2 = fk_slot(test, iq);
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s1, nvme_cmd_compare,
					 NVME_CMD_FUSE_FIRST, FK_SLBA, FK_NLB,
					 a));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s1), TT_INVALID);
	KUNIT_EXPECT_EQ(test, s1->req.error_loc,
			offsetof(struct nvme_common_command, flags));
	KUNIT_EXPECT_FALSE(test, fk_take(test, iq, s2, nvme_cmd_write,
					 NVME_CMD_FUSE_SECOND, FK_SLBA, FK_NLB,
					 b));
	KUNIT_EXPECT_EQ(test, tt_cqe_status(s2), FK_FAILED);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, a));
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, FK_SLBA,
				    FK_NLB, a), 0);

	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns,
						   NVMET_BF_COMPARE_WRITE,
						   true), 0);
	KUNIT_EXPECT_EQ(test, fk_fuses(test, aq), NVMET_CTRL_FUSES_CMP_WRITE);
	fk_pair(test, iq, a, b, &cs, &ws);
	KUNIT_EXPECT_EQ(test, cs, 0);
	KUNIT_EXPECT_EQ(test, ws, 0);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));

	/* compare off: a lone Compare is refused, a pair is not. */
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COMPARE,
						   false), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_compare, 1, FK_SLBA,
				    FK_NLB, b),
			NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR);
	fk_pair(test, iq, b, c, &cs, &ws);
	KUNIT_EXPECT_EQ(test, cs, 0);
	KUNIT_EXPECT_EQ(test, ws, 0);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, c));
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_feature(env->ns, NVMET_BF_COMPARE,
						   true), 0);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * A backend with a compare_write() of its own (nvmet-lio's COMPARE AND
 * WRITE): it gets both commands of a pair, with their data and the range
 * held, instead of the core's compare; it ends the pair with a status of
 * its choice through nvmet_backend_fused_done().
 */
static struct nvmet_backend_ops fk_cw_backend;
static u8 fk_cw_data[2][FK_LEN];
static u16 fk_cw_status;
static bool fk_cw_called, fk_cw_held, fk_cw_ok;

static void fk_cw(struct nvmet_req *first, struct nvmet_req *second)
{
	fk_cw_called = true;
	fk_cw_held = atomic_read(&first->ns->ranges.users) > 0;
	fk_cw_ok = first->cmd->rw.opcode == nvme_cmd_compare &&
		   second->cmd->rw.opcode == nvme_cmd_write &&
		   sg_copy_to_buffer(first->sg, first->sg_cnt, fk_cw_data[0],
				     FK_LEN) == FK_LEN &&
		   sg_copy_to_buffer(second->sg, second->sg_cnt, fk_cw_data[1],
				     FK_LEN) == FK_LEN;
	nvmet_backend_fused_done(first, fk_cw_status, NVME_SC_SUCCESS);
}

static void fk_test_backend_op(struct kunit *test)
{
	u8 *a = fk_buf(test, 1), *b = fk_buf(test, 2);
	struct tt_env *env = tt_env_of(test);
	struct tt_queue *aq, *iq;
	u16 cs, ws;

	fk_cw_backend = rk_ram_backend;
	fk_cw_backend.name = "kunit-cw";
	fk_cw_backend.compare_write = fk_cw;
	KUNIT_ASSERT_EQ(test, nvmet_register_backend(&fk_cw_backend), 0);
	nvmet_ns_disable(env->ns);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_backend(env->ns, "kunit-cw") ?:
			      nvmet_ns_enable(env->ns), 0);
	fk_up(test, &aq, &iq);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, a), 0);

	fk_cw_status = NVME_SC_SUCCESS;
	fk_cw_called = false;
	fk_pair(test, iq, a, b, &cs, &ws);
	KUNIT_EXPECT_TRUE(test, fk_cw_called);
	KUNIT_EXPECT_TRUE(test, fk_cw_held);
	KUNIT_EXPECT_TRUE(test, fk_cw_ok);
	KUNIT_EXPECT_EQ(test, memcmp(fk_cw_data[0], a, FK_LEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(fk_cw_data[1], b, FK_LEN), 0);
	KUNIT_EXPECT_EQ(test, cs, 0);
	KUNIT_EXPECT_EQ(test, ws, 0);
	/* the backend's op is the pair: the core wrote nothing itself */
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, a));

	fk_cw_status = NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR;
	fk_pair(test, iq, a, b, &cs, &ws);
	KUNIT_EXPECT_EQ(test, cs, NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, ws, FK_FAILED);
	/* the range is free again: a write of its blocks goes through */
	KUNIT_EXPECT_EQ(test, atomic_read(&env->ns->ranges.users), 0);
	KUNIT_EXPECT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, b), 0);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, b));

	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
	nvmet_ns_disable(env->ns);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_backend(env->ns, "kunit-resv-ram") ?:
			      nvmet_ns_enable(env->ns), 0);
	nvmet_unregister_backend(&fk_cw_backend);
}

/*
 * While a pair holds its blocks (its Write held in the backend), an
 * overlapping write waits and reaches the blocks after the pair; a write
 * elsewhere goes through.
 */
static void fk_test_range_lock(struct kunit *test)
{
	u8 *a = fk_buf(test, 1), *b = fk_buf(test, 2), *c = fk_buf(test, 3);
	struct tt_queue *aq, *iq, *p1, *p2, *w1, *w2;

	fk_up(test, &aq, &iq);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, a), 0);
	p1 = fk_slot(test, iq);
	p2 = fk_slot(test, iq);
	w1 = fk_slot(test, iq);
	w2 = fk_slot(test, iq);
	WRITE_ONCE(rk_hold_armed, true);
	fk_run(test, iq, p1, nvme_cmd_compare, NVME_CMD_FUSE_FIRST, FK_SLBA,
	       FK_NLB, a);
	fk_run(test, iq, p2, nvme_cmd_write, NVME_CMD_FUSE_SECOND, FK_SLBA,
	       FK_NLB, b);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&rk_held_done,
							  10 * HZ), 0);
	KUNIT_EXPECT_PTR_EQ(test, rk_held, &p2->req);
	/* Overlapping the pair's last two blocks: waits. */
	fk_run(test, iq, w1, nvme_cmd_write, 0, FK_SLBA + FK_NLB - 2, 4, c);
	KUNIT_EXPECT_FALSE(test, fk_done_in(w1, 200));
	/* Next to them: goes through. */
	fk_run(test, iq, w2, nvme_cmd_write, 0, FK_SLBA + FK_NLB, 4, c);
	KUNIT_EXPECT_EQ(test, fk_wait(test, w2), 0);
	KUNIT_EXPECT_FALSE(test, completion_done(&w1->done));

	tt_ram_rw(rk_held);
	KUNIT_EXPECT_EQ(test, fk_wait(test, p1), 0);
	KUNIT_EXPECT_EQ(test, fk_wait(test, p2), 0);
	KUNIT_EXPECT_EQ(test, fk_wait(test, w1), 0);
	/* The pair's Write first, then the overlapping write's. */
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB - 2, b));
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA + FK_NLB - 2, 4,
					 c));
	KUNIT_EXPECT_EQ(test, atomic_read(&tt_env_of(test)->ns->ranges.users),
			0);
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

/*
 * A write in flight before the pair came (counted, not listed) ends
 * before the pair compares: the Compare sees its data.
 */
static void fk_test_drains_writes(struct kunit *test)
{
	u8 *a = fk_buf(test, 1), *b = fk_buf(test, 2), *c = fk_buf(test, 3);
	struct tt_queue *aq, *iq, *w, *p1, *p2;

	fk_up(test, &aq, &iq);
	KUNIT_ASSERT_EQ(test, tt_rw(test, iq, nvme_cmd_write, 1, FK_SLBA,
				    FK_NLB, a), 0);
	w = fk_slot(test, iq);
	p1 = fk_slot(test, iq);
	p2 = fk_slot(test, iq);
	WRITE_ONCE(rk_hold_armed, true);
	fk_run(test, iq, w, nvme_cmd_write, 0, FK_SLBA, FK_NLB, b);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&rk_held_done,
							  10 * HZ), 0);
	fk_run(test, iq, p1, nvme_cmd_compare, NVME_CMD_FUSE_FIRST, FK_SLBA,
	       FK_NLB, b);
	fk_run(test, iq, p2, nvme_cmd_write, NVME_CMD_FUSE_SECOND, FK_SLBA,
	       FK_NLB, c);
	KUNIT_EXPECT_FALSE(test, fk_done_in(p1, 200));
	tt_ram_rw(rk_held);
	KUNIT_EXPECT_EQ(test, fk_wait(test, w), 0);
	KUNIT_EXPECT_EQ(test, fk_wait(test, p1), 0);
	KUNIT_EXPECT_EQ(test, fk_wait(test, p2), 0);
	KUNIT_EXPECT_TRUE(test, fk_holds(test, iq, FK_SLBA, FK_NLB, c));
	nvmet_sq_destroy(&iq->sq);
	nvmet_sq_destroy(&aq->sq);
}

static struct kunit_case fk_cases[] = {
	KUNIT_CASE(fk_test_statuses),
	KUNIT_CASE(fk_test_bit),
	KUNIT_CASE(fk_test_backend_op),
	KUNIT_CASE(fk_test_range_lock),
	KUNIT_CASE(fk_test_drains_writes),
	{}
};

static struct kunit_suite fk_suite = {
	.name = "nvmet_ng_fused",
	.init = fk_init,
	.exit = fk_exit,
	.test_cases = fk_cases,
};

kunit_test_suite(fk_suite);
