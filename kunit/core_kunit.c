// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nvmet-ng's core object model: the NQN map, subsystem
 * and host registries, the host ACL, the port state machine driven by
 * subsystem links, and fabric registration.  Built with PROVE_LOCKING and
 * KASAN by scripts/kunit.sh, so a lock order or lifetime mistake on these
 * paths fails the lane.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#define TEST_TRTYPE		251	/* unused by any real fabric */
#define TEST_TRTYPE_NONE	252	/* never registered */

/* nvmet_nqn_map */

struct map_obj {
	struct nvmet_nqn_node node;
	char nqn[32];
};

static void nqn_map_test_insert_lookup_remove(struct kunit *test)
{
	const int n = 64;
	struct nvmet_nqn_node *found[64];
	struct map_obj *objs, dup;
	struct nvmet_nqn_map map;
	int i;

	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	nvmet_nqn_map_init(&map);
	for (i = 0; i < n; i++) {
		snprintf(objs[i].nqn, sizeof(objs[i].nqn), "nqn.test:%d", i);
		KUNIT_ASSERT_EQ(test, nvmet_nqn_map_insert(&map, &objs[i].node,
							   objs[i].nqn), 0);
	}
	/* A refused insert leaves the node alone, published or not. */
	memset(&dup, 0, sizeof(dup));
	KUNIT_EXPECT_EQ(test, nvmet_nqn_map_insert(&map, &dup.node,
						   "nqn.test:0"), -EEXIST);
	KUNIT_EXPECT_NULL(test, dup.node.nqn);
	KUNIT_EXPECT_EQ(test, nvmet_nqn_map_insert(&map, &objs[n - 1].node,
						   "nqn.test:0"), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, objs[n - 1].node.nqn,
			    (const char *)objs[n - 1].nqn);

	/* Remove the even ones; the odd ones stay findable. */
	for (i = 0; i < n; i += 2)
		nvmet_nqn_map_remove(&map, &objs[i].node);
	rcu_read_lock();
	for (i = 0; i < n; i++)
		found[i] = nvmet_nqn_map_lookup(&map, objs[i].nqn);
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		if (i % 2)
			KUNIT_EXPECT_PTR_EQ(test, found[i], &objs[i].node);
		else
			KUNIT_EXPECT_NULL(test, found[i]);
	}
	for (i = 1; i < n; i += 2)
		nvmet_nqn_map_remove(&map, &objs[i].node);
	nvmet_nqn_map_destroy(&map);
}

/* Subsystems and hosts */

static void subsys_test_create_find_remove(struct kunit *test)
{
	struct nvmet_subsys *subsys, *found;

	subsys = nvmet_subsys_create("nqn.test:subsys-a");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	KUNIT_EXPECT_STREQ(test, subsys->nqn, "nqn.test:subsys-a");
	KUNIT_EXPECT_EQ(test, subsys->cntlid_min, NVMET_CNTLID_MIN);
	KUNIT_EXPECT_EQ(test, subsys->cntlid_max, NVMET_CNTLID_MAX);
	KUNIT_EXPECT_EQ(test, subsys->max_qid, NVMET_NR_QUEUES);
	KUNIT_EXPECT_EQ(test, strlen(subsys->serial), NVMET_SN_MAX_SIZE);

	found = nvmet_subsys_find_get("nqn.test:subsys-a");
	KUNIT_EXPECT_PTR_EQ(test, found, subsys);
	KUNIT_EXPECT_EQ(test, kref_read(&subsys->ref), 2);
	if (found)
		nvmet_subsys_put(found);

	KUNIT_EXPECT_PTR_EQ(test, nvmet_subsys_create("nqn.test:subsys-a"),
			    ERR_PTR(-EEXIST));
	nvmet_subsys_remove(subsys);
	KUNIT_EXPECT_NULL(test, nvmet_subsys_find_get("nqn.test:subsys-a"));
	nvmet_subsys_put(subsys);
}

static void subsys_test_disc_nqn(struct kunit *test)
{
	struct nvmet_subsys *subsys;
	char buf[256];

	KUNIT_EXPECT_PTR_EQ(test, nvmet_subsys_create(NVMET_DISC_NQN),
			    ERR_PTR(-EINVAL));
	KUNIT_ASSERT_EQ(test, nvmet_disc_nqn_set("nqn.test:my-disc\n"), 0);
	nvmet_disc_nqn_copy(buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "nqn.test:my-disc");
	KUNIT_EXPECT_TRUE(test, nvmet_is_disc_nqn("nqn.test:my-disc"));
	KUNIT_EXPECT_PTR_EQ(test, nvmet_subsys_create("nqn.test:my-disc"),
			    ERR_PTR(-EINVAL));

	subsys = nvmet_subsys_create("nqn.test:taken");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	KUNIT_EXPECT_EQ(test, nvmet_disc_nqn_set("nqn.test:taken"), -EINVAL);
	nvmet_disc_nqn_copy(buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "nqn.test:my-disc");
	KUNIT_EXPECT_EQ(test, nvmet_disc_nqn_set(""), -EINVAL);
	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);

	KUNIT_EXPECT_EQ(test, nvmet_disc_nqn_set(NVMET_DISC_NQN), 0);
}

static void subsys_test_host_acl(struct kunit *test)
{
	struct nvmet_subsys *subsys;
	struct nvmet_host *host;

	subsys = nvmet_subsys_create("nqn.test:acl");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	host = nvmet_host_create("nqn.test:host-1");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, host);

	KUNIT_EXPECT_FALSE(test, nvmet_subsys_host_allowed(subsys,
							   "nqn.test:host-1"));
	KUNIT_EXPECT_EQ(test, nvmet_subsys_allow_host(subsys, host), 0);
	KUNIT_EXPECT_TRUE(test, nvmet_subsys_host_allowed(subsys,
							  "nqn.test:host-1"));
	KUNIT_EXPECT_FALSE(test, nvmet_subsys_host_allowed(subsys,
							   "nqn.test:host-2"));
	KUNIT_EXPECT_EQ(test, nvmet_subsys_allow_host(subsys, host), -EEXIST);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_allow_any_host(subsys, true),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kref_read(&host->ref), 2);

	KUNIT_EXPECT_EQ(test, nvmet_subsys_disallow_host(subsys, host), 0);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_disallow_host(subsys, host),
			-ENOENT);
	KUNIT_EXPECT_FALSE(test, nvmet_subsys_host_allowed(subsys,
							   "nqn.test:host-1"));

	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_allow_any_host(subsys, true),
			0);
	KUNIT_EXPECT_TRUE(test, nvmet_subsys_host_allowed(subsys,
							  "nqn.test:anyone"));
	KUNIT_EXPECT_EQ(test, nvmet_subsys_allow_host(subsys, host), -EINVAL);

	nvmet_host_remove(host);
	nvmet_host_put(host);
	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
}

static void subsys_test_attributes(struct kunit *test)
{
	struct nvmet_subsys *subsys;

	subsys = nvmet_subsys_create("nqn.test:attrs");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);

	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_cntlid_min(subsys, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_cntlid_max(subsys, 10), 0);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_cntlid_min(subsys, 11),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_cntlid_min(subsys, 10), 0);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_cntlid_max(subsys, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, subsys->cntlid_min, 10);
	KUNIT_EXPECT_EQ(test, subsys->cntlid_max, 10);

	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_qid_max(subsys, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_qid_max(subsys, 129), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_qid_max(subsys, 4), 0);
	KUNIT_EXPECT_EQ(test, subsys->max_qid, 4);

	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_ieee_oui(subsys, 0x1000000),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_vendor_id(subsys, 0x10000),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			nvmet_subsys_set_subsys_vendor_id(subsys, 0x10000),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_vendor_id(subsys, 0xffff), 0);
	KUNIT_EXPECT_EQ(test, subsys->vendor_id, 0xffff);
	KUNIT_EXPECT_EQ(test, subsys->subsys_vendor_id, 0);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_serial(subsys, "SN-1\n"), 0);
	KUNIT_EXPECT_STREQ(test, subsys->serial, "SN-1");

	/* A host has read Identify: the identity freezes. */
	mutex_lock(&subsys->lock);
	subsys->discovered = true;
	mutex_unlock(&subsys->lock);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_serial(subsys, "SN-2"), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_model(subsys, "m"), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_version(subsys, 0x20000),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, subsys->serial, "SN-1");
	KUNIT_EXPECT_EQ(test, nvmet_subsys_set_qid_max(subsys, 8), 0);

	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
}

/* Ports, with a fabric whose add_port() the test controls */

static struct {
	int add_calls;
	int remove_calls;
	int add_ret;
	enum nvmet_port_state state_in_add;
} mock;

static int mock_add_port(struct nvmet_port *port)
{
	mock.add_calls++;
	mock.state_in_add = READ_ONCE(port->state);
	return mock.add_ret;
}

static void mock_remove_port(struct nvmet_port *port)
{
	mock.remove_calls++;
}

static const struct nvmet_fabric_ops mock_fabric = {
	.name		= "kunit-mock",
	.owner		= THIS_MODULE,
	.type		= TEST_TRTYPE,
	.add_port	= mock_add_port,
	.remove_port	= mock_remove_port,
};

static int port_test_init(struct kunit *test)
{
	memset(&mock, 0, sizeof(mock));
	return nvmet_register_fabric(&mock_fabric);
}

static void port_test_exit(struct kunit *test)
{
	nvmet_unregister_fabric(&mock_fabric);
}

static struct nvmet_port *port_test_port(struct kunit *test, u8 trtype)
{
	struct nvmet_port *port = nvmet_port_create(7);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, port);
	KUNIT_ASSERT_EQ(test, nvmet_port_config_begin(port), 0);
	port->disc_addr.trtype = trtype;
	nvmet_port_config_end(port);
	return port;
}

static void port_test_free(struct nvmet_port *port)
{
	nvmet_port_remove(port);
	nvmet_port_put(port);
}

static void port_test_link_enables(struct kunit *test)
{
	struct nvmet_port *port = port_test_port(test, TEST_TRTYPE);
	struct nvmet_subsys *s1, *s2, *found;

	s1 = nvmet_subsys_create("nqn.test:port-s1");
	s2 = nvmet_subsys_create("nqn.test:port-s2");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s2);

	KUNIT_EXPECT_FALSE(test, nvmet_port_is_live(port));
	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, s1), 0);
	KUNIT_EXPECT_EQ(test, mock.add_calls, 1);
	KUNIT_EXPECT_EQ(test, mock.state_in_add, NVMET_PORT_ENABLING);
	KUNIT_EXPECT_TRUE(test, nvmet_port_is_live(port));
	KUNIT_EXPECT_EQ(test, port->max_queue_size, 1024);
	KUNIT_EXPECT_EQ(test, port->inline_data_size, 0);
	KUNIT_EXPECT_EQ(test, nvmet_port_config_begin(port), -EACCES);
	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, s1), -EEXIST);

	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, s2), 0);
	KUNIT_EXPECT_EQ(test, mock.add_calls, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&s2->nr_ports), 1);

	found = nvmet_port_find_get_subsys(port, "nqn.test:port-s2");
	KUNIT_EXPECT_PTR_EQ(test, found, s2);
	if (found)
		nvmet_subsys_put(found);
	KUNIT_EXPECT_NULL(test, nvmet_port_find_get_subsys(port,
							   "nqn.test:other"));

	KUNIT_EXPECT_EQ(test, nvmet_port_unlink_subsys(port, s1), 0);
	KUNIT_EXPECT_TRUE(test, nvmet_port_is_live(port));
	KUNIT_EXPECT_NULL(test, nvmet_port_find_get_subsys(port,
							   "nqn.test:port-s1"));
	KUNIT_EXPECT_EQ(test, nvmet_port_unlink_subsys(port, s1), -ENOENT);
	KUNIT_EXPECT_EQ(test, nvmet_port_unlink_subsys(port, s2), 0);
	KUNIT_EXPECT_EQ(test, mock.remove_calls, 1);
	KUNIT_EXPECT_FALSE(test, nvmet_port_is_live(port));
	KUNIT_EXPECT_EQ(test, port->state, NVMET_PORT_DISABLED);
	KUNIT_EXPECT_EQ(test, nvmet_port_config_begin(port), 0);
	nvmet_port_config_end(port);
	KUNIT_EXPECT_EQ(test, kref_read(&s1->ref), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&s2->ref), 1);

	nvmet_subsys_remove(s1);
	nvmet_subsys_put(s1);
	nvmet_subsys_remove(s2);
	nvmet_subsys_put(s2);
	port_test_free(port);
}

static void port_test_add_port_fails(struct kunit *test)
{
	struct nvmet_port *port = port_test_port(test, TEST_TRTYPE);
	struct nvmet_subsys *subsys = nvmet_subsys_create("nqn.test:fail");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	mock.add_ret = -EADDRINUSE;
	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, subsys),
			-EADDRINUSE);
	KUNIT_EXPECT_EQ(test, port->state, NVMET_PORT_DISABLED);
	KUNIT_EXPECT_EQ(test, port->nr_subsystems, 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(port->ops));
	KUNIT_EXPECT_EQ(test, kref_read(&subsys->ref), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&subsys->nr_ports), 0);
	KUNIT_EXPECT_EQ(test, mock.remove_calls, 0);

	/* The port works once the fabric does. */
	mock.add_ret = 0;
	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, subsys), 0);
	KUNIT_EXPECT_EQ(test, nvmet_port_unlink_subsys(port, subsys), 0);

	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
	port_test_free(port);
}

static void port_test_no_fabric(struct kunit *test)
{
	struct nvmet_port *port = port_test_port(test, TEST_TRTYPE_NONE);
	struct nvmet_subsys *subsys = nvmet_subsys_create("nqn.test:nofab");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, subsys);
	KUNIT_EXPECT_EQ(test, nvmet_port_link_subsys(port, subsys), -EINVAL);
	KUNIT_EXPECT_EQ(test, port->state, NVMET_PORT_DISABLED);
	KUNIT_EXPECT_EQ(test, mock.add_calls, 0);

	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
	port_test_free(port);
}

static int fabric_noop_add(struct nvmet_port *port)
{
	return 0;
}

static void fabric_noop_remove(struct nvmet_port *port)
{
}

static void fabric_test_register_checks(struct kunit *test)
{
	struct nvmet_fabric_ops ops = {
		.name = "kunit-x", .type = TEST_TRTYPE_NONE,
		.add_port = fabric_noop_add,
	};

	KUNIT_EXPECT_EQ(test, nvmet_register_fabric(&ops), -EINVAL);
	ops.remove_port = fabric_noop_remove;
	ops.name = "a-name-much-too-long-for-a-fabric";
	KUNIT_EXPECT_EQ(test, nvmet_register_fabric(&ops), -EINVAL);
	ops.name = "";
	KUNIT_EXPECT_EQ(test, nvmet_register_fabric(&ops), -EINVAL);
	ops.name = "kunit-x";
	ops.type = TEST_TRTYPE;		/* the mock holds it */
	KUNIT_EXPECT_EQ(test, nvmet_register_fabric(&ops), -EBUSY);
}

static struct kunit_case core_map_cases[] = {
	KUNIT_CASE(nqn_map_test_insert_lookup_remove),
	{}
};

static struct kunit_suite core_map_suite = {
	.name = "nvmet_ng_nqn_map",
	.test_cases = core_map_cases,
};

static struct kunit_case core_subsys_cases[] = {
	KUNIT_CASE(subsys_test_create_find_remove),
	KUNIT_CASE(subsys_test_disc_nqn),
	KUNIT_CASE(subsys_test_host_acl),
	KUNIT_CASE(subsys_test_attributes),
	{}
};

static struct kunit_suite core_subsys_suite = {
	.name = "nvmet_ng_subsys",
	.test_cases = core_subsys_cases,
};

static struct kunit_case core_port_cases[] = {
	KUNIT_CASE(port_test_link_enables),
	KUNIT_CASE(port_test_add_port_fails),
	KUNIT_CASE(port_test_no_fabric),
	KUNIT_CASE(fabric_test_register_checks),
	{}
};

static struct kunit_suite core_port_suite = {
	.name = "nvmet_ng_port",
	.init = port_test_init,
	.exit = port_test_exit,
	.test_cases = core_port_cases,
};

kunit_test_suites(&core_map_suite, &core_subsys_suite, &core_port_suite);
