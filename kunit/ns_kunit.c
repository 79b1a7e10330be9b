// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for namespaces and the backend registry, under lockdep:
 * enable takes ns->lock then subsys->lock and opens the backend; disable
 * waits for RCU readers under ns->lock.  Uses a mock backend, so no block
 * device or file is needed.
 */
#include <kunit/test.h>
#include <linux/err.h>

#include <nvmet/ns.h>
#include <nvmet/nvmet.h>

static int ns_test_opens, ns_test_closes;

static int ns_test_open(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns_test_opens++;
	ns->size = 8 << 20;
	ns->blksize_shift = 12;
	ns->features &= ~NVMET_BF_VWC;
	return 0;
}

static void ns_test_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns_test_closes++;
}

static const struct nvmet_backend_ops ns_test_backend = {
	.name		= "kunit-ns",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES,
	.open		= ns_test_open,
	.close		= ns_test_close,
};

static int ns_test_init(struct kunit *test)
{
	ns_test_opens = 0;
	ns_test_closes = 0;
	return nvmet_register_backend(&ns_test_backend);
}

static void ns_test_exit(struct kunit *test)
{
	nvmet_unregister_backend(&ns_test_backend);
}

static void ns_test_enable_disable(struct kunit *test)
{
	struct nvmet_subsys *subsys;
	struct nvmet_ns *ns, *found;

	subsys = nvmet_subsys_create("nqn.test:kunit-ns");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	ns = nvmet_ns_create(subsys, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ns);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_backend(ns, "kunit-ns"), 0);

	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(ns), 0);
	KUNIT_EXPECT_EQ(test, ns_test_opens, 1);
	KUNIT_EXPECT_EQ(test, subsys->max_nsid, 3);
	KUNIT_EXPECT_EQ(test, ns->size, 8 << 20);
	/* Copy, Compare, Verify, Compare and Write: every backend has them. */
	KUNIT_EXPECT_EQ(test, ns->features,
			NVMET_BF_WRITE_ZEROES | NVMET_BF_CORE);
	found = nvmet_ns_find_get(subsys, 3);
	KUNIT_EXPECT_PTR_EQ(test, found, ns);
	if (found)
		nvmet_ns_put(found);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_device_path(ns, "/x"), -EBUSY);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_VWC, true),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_WRITE_ZEROES,
						   false), 0);
	KUNIT_EXPECT_EQ(test, ns->features, NVMET_BF_CORE);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_COPY, false),
			0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_COMPARE,
						   false), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_VERIFY, false),
			0);
	KUNIT_EXPECT_EQ(test, ns->features, NVMET_BF_COMPARE_WRITE);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_feature(ns, NVMET_BF_COMPARE_WRITE,
						   false), 0);
	KUNIT_EXPECT_EQ(test, ns->features, 0);

	nvmet_ns_disable(ns);
	KUNIT_EXPECT_EQ(test, ns_test_closes, 1);
	KUNIT_EXPECT_NULL(test, nvmet_ns_find_get(subsys, 3));
	KUNIT_EXPECT_EQ(test, subsys->nr_namespaces, 0);

	nvmet_ns_free(ns);
	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
	KUNIT_EXPECT_EQ(test, nvmet_obj_count(NVMET_OBJ_NS), 0);
}

/*
 * Visibility changes on an enabled namespace under lockdep: each takes
 * ns->vis_lock and raises its events (notify.c asserts the lock) in the
 * kernel's own notify.c; the links hold host references.
 */
static void ns_test_visibility(struct kunit *test)
{
	struct nvmet_subsys *subsys;
	struct nvmet_host *host;
	struct nvmet_ns *ns;

	subsys = nvmet_subsys_create("nqn.test:kunit-vis");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	host = nvmet_host_create("nqn.test:kunit-vis-host");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, host);
	ns = nvmet_ns_create(subsys, 5);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ns);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_backend(ns, "kunit-ns"), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(ns), 0);
	KUNIT_EXPECT_TRUE(test, ns->auto_visible);

	nvmet_ns_set_auto_visible(ns, false);
	KUNIT_EXPECT_FALSE(test, nvmet_ns_host_linked(ns, host));
	KUNIT_EXPECT_EQ(test, nvmet_ns_allow_host(ns, host), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_allow_host(ns, host), -EEXIST);
	KUNIT_EXPECT_TRUE(test, nvmet_ns_host_linked(ns, host));
	KUNIT_EXPECT_EQ(test, kref_read(&host->ref), 2);
	nvmet_ns_disable(ns);
	KUNIT_EXPECT_EQ(test, nvmet_ns_enable(ns), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_disallow_host(ns, host), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_disallow_host(ns, host), -ENOENT);
	KUNIT_EXPECT_EQ(test, kref_read(&host->ref), 1);
	nvmet_ns_set_auto_visible(ns, true);

	nvmet_ns_free(ns);
	nvmet_host_remove(host);
	nvmet_host_put(host);
	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
	KUNIT_EXPECT_EQ(test, nvmet_obj_count(NVMET_OBJ_NS), 0);
}

static void ns_test_backend_registry(struct kunit *test)
{
	struct nvmet_backend_ops bad = ns_test_backend;

	KUNIT_EXPECT_EQ(test, nvmet_register_backend(&ns_test_backend),
			-EEXIST);
	bad.name = "auto";
	KUNIT_EXPECT_EQ(test, nvmet_register_backend(&bad), -EINVAL);
	bad.name = "kunit-bad";
	bad.close = NULL;
	KUNIT_EXPECT_EQ(test, nvmet_register_backend(&bad), -EINVAL);
	bad.close = ns_test_close;
	bad.changeable = NVMET_BF_DEALLOCATE;	/* not in features */
	KUNIT_EXPECT_EQ(test, nvmet_register_backend(&bad), -EINVAL);
	KUNIT_EXPECT_TRUE(test, nvmet_backend_exists("kunit-ns"));
	KUNIT_EXPECT_FALSE(test, nvmet_backend_exists("kunit-bad"));
}

static struct kunit_case ns_test_cases[] = {
	KUNIT_CASE(ns_test_enable_disable),
	KUNIT_CASE(ns_test_visibility),
	KUNIT_CASE(ns_test_backend_registry),
	{}
};

static struct kunit_suite ns_test_suite = {
	.name = "nvmet_ng_ns",
	.init = ns_test_init,
	.exit = ns_test_exit,
	.test_cases = ns_test_cases,
};

kunit_test_suite(ns_test_suite);
