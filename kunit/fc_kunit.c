// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nvmet-fc's associations: a mock LLDD registers a target
 * port, an nvmet port of type fc is bound to it, and Link Service requests
 * go in through nvmet_fc_rcv_ls_req() as an LLDD hands them over; the
 * responses come back through the template's xmt_ls_rsp().  Races are
 * forced with the test points of include/nvmet/test_point.h.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kconfig.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/nvmet.h>
#include <nvmet/test_point.h>

#if IS_REACHABLE(CONFIG_NVMET_NG_FC)

#include "../nvmet-fc/nvmet-fc.h"

#define FK_WWNN		0x20000000c0ffee01ULL
#define FK_WWPN		0x10000000c0ffee01ULL
#define FK_PORTID	21
#define FK_SUBNQN	"nqn.2026-11.io.nvmet-ng:kunit-fc"
#define FK_LS_TIMEOUT	(5 * HZ)

/* The host port handle every LS of a case comes with. */
static int fk_host;

/* What the mock LLDD saw; one LS in flight at a time. */
static struct {
	struct completion ls_done;
	struct completion host_released;
	struct completion port_deleted;
	u8 rsp_cmd;
	u64 association_id;
	int host_releases;
} fk;

static void fk_targetport_delete(struct nvmet_fc_target_port *fc_port)
{
	complete(&fk.port_deleted);
}

/* Take the response, give the exchange back, wake the case. */
static int fk_xmt_ls_rsp(struct nvmet_fc_target_port *fc_port,
			 struct nvmefc_ls_rsp *lsrsp)
{
	struct fcnvme_ls_cr_assoc_acc *acc = lsrsp->rspbuf;

	fk.rsp_cmd = acc->hdr.w0.ls_cmd;
	fk.association_id = 0;
	if (fk.rsp_cmd == FCNVME_LS_ACC && lsrsp->rsplen >= sizeof(*acc))
		fk.association_id = be64_to_cpu(acc->associd.association_id);
	lsrsp->done(lsrsp);
	complete(&fk.ls_done);
	return 0;
}

static int fk_fcp_op(struct nvmet_fc_target_port *fc_port,
		     struct nvmefc_tgt_fcp_req *fcpreq)
{
	return -EIO;
}

static void fk_fcp_abort(struct nvmet_fc_target_port *fc_port,
			 struct nvmefc_tgt_fcp_req *fcpreq)
{
}

static void fk_fcp_req_release(struct nvmet_fc_target_port *fc_port,
			       struct nvmefc_tgt_fcp_req *fcpreq)
{
}

static void fk_host_release(void *hosthandle)
{
	if (hosthandle != &fk_host)
		return;
	fk.host_releases++;
	complete(&fk.host_released);
}

/* No ls_req: teardowns send the host no Disconnect Association. */
static struct nvmet_fc_target_template fk_template = {
	.targetport_delete	= fk_targetport_delete,
	.xmt_ls_rsp		= fk_xmt_ls_rsp,
	.fcp_op			= fk_fcp_op,
	.fcp_abort		= fk_fcp_abort,
	.fcp_req_release	= fk_fcp_req_release,
	.host_release		= fk_host_release,
	.max_hw_queues		= 1,
	.max_sgl_segments	= 1,
};

struct fk_env {
	struct nvmet_fc_target_port *fc_port;
	struct nvmet_subsys *subsys;
	struct nvmet_port *port;
	struct nvmefc_ls_rsp lsrsp;
};

static struct fk_env *fk_env_of(struct kunit *test)
{
	return test->priv;
}

static int fk_init(struct kunit *test)
{
	struct nvmet_fc_port_info pinfo = {
		.node_name = FK_WWNN,
		.port_name = FK_WWPN,
		.port_id = 0x010101,
	};
	struct fk_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	test->priv = env;
	memset(&fk, 0, sizeof(fk));
	init_completion(&fk.ls_done);
	init_completion(&fk.host_released);
	init_completion(&fk.port_deleted);
	ret = nvmet_fc_register_targetport(&pinfo, &fk_template, NULL,
					   &env->fc_port);
	if (ret)
		return ret;
	env->subsys = nvmet_subsys_create(FK_SUBNQN);
	if (IS_ERR(env->subsys))
		return PTR_ERR(env->subsys);
	env->port = nvmet_port_create(FK_PORTID);
	if (IS_ERR(env->port))
		return PTR_ERR(env->port);
	ret = nvmet_port_config_begin(env->port);
	if (ret)
		return ret;
	env->port->disc_addr.trtype = NVMF_TRTYPE_FC;
	env->port->disc_addr.adrfam = NVMF_ADDR_FAMILY_FC;
	snprintf(env->port->disc_addr.traddr,
		 sizeof(env->port->disc_addr.traddr),
		 "nn-0x%016llx:pn-0x%016llx", FK_WWNN, FK_WWPN);
	nvmet_port_config_end(env->port);
	/* The first link enables the port: nvmet-fc binds it to ours. */
	return nvmet_port_link_subsys(env->port, env->subsys);
}

static void fk_exit(struct kunit *test)
{
	struct fk_env *env = fk_env_of(test);

	WRITE_ONCE(nvmet_test_hook, NULL);
	nvmet_port_unlink_subsys(env->port, env->subsys);
	nvmet_port_remove(env->port);
	nvmet_port_put(env->port);
	nvmet_subsys_remove(env->subsys);
	nvmet_subsys_put(env->subsys);
	nvmet_fc_unregister_targetport(env->fc_port);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&fk.port_deleted,
							  FK_LS_TIMEOUT), 0);
}

/* Send a Create Association from @hosthandle; returns the LS answer. */
static u8 fk_create_assoc(struct kunit *test, void *hosthandle)
{
	struct fk_env *env = fk_env_of(test);
	struct fcnvme_ls_cr_assoc_rqst *rq;

	rq = kunit_kzalloc(test, sizeof(*rq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rq);
	rq->w0.ls_cmd = FCNVME_LS_CREATE_ASSOCIATION;
	rq->desc_list_len = cpu_to_be32(sizeof(rq->assoc_cmd));
	rq->assoc_cmd.desc_tag = cpu_to_be32(FCNVME_LSDESC_CREATE_ASSOC_CMD);
	rq->assoc_cmd.desc_len = fcnvme_lsdesc_len(sizeof(rq->assoc_cmd));
	rq->assoc_cmd.ersp_ratio = cpu_to_be16(1);
	rq->assoc_cmd.sqsize = cpu_to_be16(31);
	rq->assoc_cmd.cntlid = cpu_to_be16(0xffff);
	strscpy(rq->assoc_cmd.subnqn, FK_SUBNQN,
		sizeof(rq->assoc_cmd.subnqn));
	reinit_completion(&fk.ls_done);
	memset(&env->lsrsp, 0, sizeof(env->lsrsp));
	KUNIT_ASSERT_EQ(test, nvmet_fc_rcv_ls_req(env->fc_port, hosthandle,
						  &env->lsrsp, rq,
						  sizeof(*rq)), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&fk.ls_done,
							  FK_LS_TIMEOUT), 0);
	return fk.rsp_cmd;
}

/*
 * What a walker of assoc_list (nvmet_fc_delete_assocs(), on behalf of
 * nvmet_fc_invalidate_host()) found when the hook ran: associations seen,
 * and those without their hostref or their xarray entry.
 */
static struct {
	bool armed;
	bool invalidated;
	int walked;
	int no_hostref;
	int not_stored;
} fk_walk;

/*
 * At the first association put on the list: walk the list as
 * nvmet_fc_delete_assocs() does, under the target port's lock, then
 * invalidate the host as an LLDD that lost the host port would.  Half a
 * publication would make that walk dereference a NULL hostref (a crash
 * that would end the whole KUnit run), so the walk checks first and the
 * invalidation runs only on a whole list.
 */
static void fk_hook_invalidate(enum nvmet_test_point_id tp, void *obj)
{
	struct nvmet_fc_assoc *assoc = obj, *a;
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;

	if (tp != NVMET_TP_FC_ASSOC_LISTED || !READ_ONCE(fk_walk.armed))
		return;
	WRITE_ONCE(fk_walk.armed, false);
	spin_lock_bh(&tgtport->lock);
	list_for_each_entry(a, &tgtport->assoc_list, entry) {
		fk_walk.walked++;
		if (!a->hostref)
			fk_walk.no_hostref++;
		if (xa_load(&tgtport->assocs, a->idx) != a)
			fk_walk.not_stored++;
	}
	spin_unlock_bh(&tgtport->lock);
	if (fk_walk.no_hostref)
		return;
	nvmet_fc_invalidate_host(&tgtport->fc_port, &fk_host);
	fk_walk.invalidated = true;
}

/*
 * nvmet_fc_invalidate_host() racing a Create Association of the same host
 * port: the host has one association, a second is being created, and the
 * LLDD invalidates the host the moment the new association is on the
 * target port's list.  The walk must find it with its hostref and its
 * xarray entry; both associations are then torn down and the host handle
 * released once.
 */
static void fk_test_assoc_publish_vs_invalidate(struct kunit *test)
{
	struct fk_env *env = fk_env_of(test);
	struct nvmet_fc_tgtport *tgtport = nvmet_fc_tgtport(env->fc_port);
	bool empty;

	KUNIT_ASSERT_EQ(test, fk_create_assoc(test, &fk_host), FCNVME_LS_ACC);
	KUNIT_EXPECT_NE(test, fk.association_id, 0);

	memset(&fk_walk, 0, sizeof(fk_walk));
	WRITE_ONCE(fk_walk.armed, true);
	WRITE_ONCE(nvmet_test_hook, fk_hook_invalidate);
	/* Accepted or rejected: the invalidation may come first or not. */
	fk_create_assoc(test, &fk_host);
	WRITE_ONCE(nvmet_test_hook, NULL);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(fk_walk.armed));
	KUNIT_EXPECT_EQ(test, fk_walk.walked, 2);
	KUNIT_EXPECT_EQ_MSG(test, fk_walk.no_hostref, 0,
			    "an association was on assoc_list without its hostref: nvmet_fc_invalidate_host() dereferences NULL");
	KUNIT_EXPECT_EQ_MSG(test, fk_walk.not_stored, 0,
			    "an association was on assoc_list before its xarray entry");
	/* The walk refused to run: invalidate now, to clean up. */
	if (!fk_walk.invalidated)
		nvmet_fc_invalidate_host(env->fc_port, &fk_host);

	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&fk.host_released,
							  FK_LS_TIMEOUT), 0);
	KUNIT_EXPECT_EQ(test, fk.host_releases, 1);
	spin_lock_bh(&tgtport->lock);
	empty = list_empty(&tgtport->assoc_list) &&
		list_empty(&tgtport->hosts);
	spin_unlock_bh(&tgtport->lock);
	KUNIT_EXPECT_TRUE(test, empty);
}

static struct kunit_case fk_cases[] = {
	KUNIT_CASE(fk_test_assoc_publish_vs_invalidate),
	{}
};

static struct kunit_suite fk_suite = {
	.name = "nvmet_ng_fc",
	.init = fk_init,
	.exit = fk_exit,
	.test_cases = fk_cases,
};

kunit_test_suite(fk_suite);

#endif /* IS_REACHABLE(CONFIG_NVMET_NG_FC) */
