// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/core/ns.c and backend.c through a mock backend: enable/disable,
 * the feature masks, duplicate NSIDs, the namespace limit, allocation
 * failure, and enable/disable racing the I/O path's RCU lookup.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <linux/err.h>
#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include "test.h"

static int opens, closes, open_ret;

static int mock_open(struct nvmet_ns *ns)
{
	if (open_ret)
		return open_ret;
	__atomic_add_fetch(&opens, 1, __ATOMIC_RELAXED);
	ns->size = 1 << 20;
	ns->blksize_shift = 12;
	ns->features &= ~NVMET_BF_VWC;	/* this "device" has no cache */
	return 0;
}

static void mock_close(struct nvmet_ns *ns)
{
	__atomic_add_fetch(&closes, 1, __ATOMIC_RELAXED);
}

static const struct nvmet_backend_ops mock_backend = {
	.name = "mock",
	.features = NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE | NVMET_BF_VWC,
	.changeable = NVMET_BF_WRITE_ZEROES | NVMET_BF_VWC,
	.open = mock_open, .close = mock_close,
};

static struct nvmet_ns *mock_ns(struct nvmet_subsys *subsys, u32 nsid)
{
	struct nvmet_ns *ns = nvmet_ns_create(subsys, nsid);

	if (!IS_ERR(ns))
		CHECK_EQ(nvmet_ns_set_backend(ns, "mock"), 0);
	return ns;
}

static void check_enable_disable(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:ns");
	struct nvmet_ns *ns = mock_ns(s, 1), *found;

	CHECK(nvmet_ns_find_get(s, 1) == NULL);
	CHECK_EQ(nvmet_ns_enable(ns), 0);
	CHECK_EQ(nvmet_ns_enable(ns), 0);	/* idempotent */
	CHECK_EQ(opens, 1);
	found = nvmet_ns_find_get(s, 1);
	CHECK(found == ns);
	if (found)
		nvmet_ns_put(found);
	CHECK_EQ(s->nr_namespaces, 1);
	CHECK_EQ(s->max_nsid, 1);
	CHECK_EQ(ns->size, 1 << 20);
	/* Copy, Compare, Verify and Compare and Write are the core's. */
	CHECK_EQ(ns->features, NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
		 NVMET_BF_CORE);

	shim_quiet = 1;
	CHECK_EQ(nvmet_ns_set_device_path(ns, "/dev/x"), -EBUSY);
	CHECK_EQ(nvmet_ns_set_backend(ns, "mock"), -EBUSY);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_VWC, true), -EINVAL);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_DEALLOCATE, false),
		 -EINVAL);
	shim_quiet = 0;
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_DEALLOCATE, true), 0);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_WRITE_ZEROES, false), 0);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_COPY, false), 0);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_COMPARE, false), 0);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_VERIFY, false), 0);
	CHECK_EQ(nvmet_ns_set_feature(ns, NVMET_BF_COMPARE_WRITE, false), 0);
	CHECK_EQ(ns->features, NVMET_BF_DEALLOCATE);

	nvmet_ns_disable(ns);
	CHECK(nvmet_ns_find_get(s, 1) == NULL);
	CHECK_EQ(closes, 1);
	CHECK_EQ(s->nr_namespaces, 0);
	CHECK_EQ(s->max_nsid, 0);
	/* The administrator's choice outlives a disable. */
	CHECK_EQ(nvmet_ns_enable(ns), 0);
	CHECK_EQ(ns->features, NVMET_BF_DEALLOCATE);
	nvmet_ns_free(ns);
	CHECK_EQ(closes, 2);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

static void check_failures(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:nsfail");
	struct nvmet_ns *a = mock_ns(s, 7), *b = mock_ns(s, 7);
	int o = opens, c = closes;

	shim_quiet = 1;
	open_ret = -EIO;
	CHECK_EQ(nvmet_ns_enable(a), -EIO);
	CHECK(!a->enabled && !a->backend);
	open_ret = 0;

	CHECK_EQ(nvmet_ns_enable(a), 0);
	CHECK_EQ(nvmet_ns_enable(b), -EBUSY);	/* same NSID */
	CHECK(!b->enabled && !b->backend);
	nvmet_ns_disable(a);

	/* No memory to publish: the backend is closed again. */
	shim_fail_from(1);
	CHECK_EQ(nvmet_ns_enable(b), -ENOMEM);
	shim_fail_nth(0);
	CHECK(!b->enabled);
	CHECK(nvmet_ns_set_backend(b, "nosuch") == -EINVAL);
	CHECK(IS_ERR(nvmet_ns_create(s, 0)));
	CHECK(IS_ERR(nvmet_ns_create(s, 0xffffffff)));
	CHECK_EQ(nvmet_ns_set_anagrpid(b, 129), -EINVAL);
	shim_quiet = 0;
	CHECK_EQ(opens - o, closes - c);

	nvmet_ns_free(a);
	nvmet_ns_free(b);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

static void check_limit(void)
{
	static struct nvmet_ns *ns[NVMET_MAX_NAMESPACES + 1];
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:limit");
	int i;

	for (i = 0; i <= NVMET_MAX_NAMESPACES; i++)
		ns[i] = mock_ns(s, i + 1);
	for (i = 0; i < NVMET_MAX_NAMESPACES; i++)
		CHECK_EQ(nvmet_ns_enable(ns[i]), 0);
	shim_quiet = 1;
	CHECK_EQ(nvmet_ns_enable(ns[NVMET_MAX_NAMESPACES]), -EMFILE);
	shim_quiet = 0;
	CHECK_EQ(s->max_nsid, NVMET_MAX_NAMESPACES);
	for (i = 0; i <= NVMET_MAX_NAMESPACES; i++)
		nvmet_ns_free(ns[i]);
	CHECK_EQ(s->nr_namespaces, 0);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

#define STRESS_NS	8
static struct nvmet_subsys *stress_subsys;
static struct nvmet_ns *stress_ns[STRESS_NS];
static int stress_stop, stress_bad;
static long stress_hits;

/*
 * rmdir of an enabled namespace with a command in flight (an I/O
 * reference held here, as a hung backend would): nvmet_ns_remove()
 * returns at once, the NSID is free for a new namespace, and the
 * backend closes only when the disable after it finds the I/O done.
 */
static void check_remove_in_flight(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:ns-remove");
	struct nvmet_ns *ns = mock_ns(s, 1), *ns2 = mock_ns(s, 1), *io;

	opens = closes = 0;
	CHECK_EQ(nvmet_ns_enable(ns), 0);
	io = nvmet_ns_io_get(s, 1);
	CHECK(io == ns);
	CHECK(nvmet_ns_remove(ns));
	CHECK(nvmet_ns_io_get(s, 1) == NULL);
	CHECK_EQ(s->nr_namespaces, 0);
	CHECK_EQ(closes, 0);
	/* The NSID is free at once; the old backend stays open. */
	CHECK_EQ(nvmet_ns_enable(ns2), 0);
	CHECK_EQ(s->nr_namespaces, 1);
	shim_quiet = 1;
	CHECK_EQ(nvmet_ns_enable(ns), -ENOENT);
	shim_quiet = 0;
	if (io)
		nvmet_ns_io_put(io);
	nvmet_ns_disable(ns);
	CHECK_EQ(closes, 1);
	/* Removing a disabled namespace leaves nothing to drain. */
	nvmet_ns_disable(ns2);
	CHECK(!nvmet_ns_remove(ns2));
	CHECK_EQ(closes, 2);
	nvmet_ns_put(ns);
	nvmet_ns_put(ns2);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

static void *stress_toggler(void *arg)
{
	unsigned int seed = (unsigned long)arg;
	int i;

	rcu_register_thread();
	for (i = 0; i < 5000; i++) {
		struct nvmet_ns *ns;

		seed = seed * 1103515245 + 12345;
		ns = stress_ns[(seed >> 8) % STRESS_NS];
		if ((seed >> 16) & 1)
			CHECK_EQ(nvmet_ns_enable(ns), 0);
		else
			nvmet_ns_disable(ns);
	}
	rcu_unregister_thread();
	return NULL;
}

/* The I/O path: look up, use, put. */
static void *stress_reader(void *arg)
{
	unsigned int nsid = 0;

	rcu_register_thread();
	while (!__atomic_load_n(&stress_stop, __ATOMIC_RELAXED)) {
		struct nvmet_ns *ns;

		nsid = nsid % STRESS_NS + 1;
		ns = nvmet_ns_find_get(stress_subsys, nsid);
		if (!ns)
			continue;
		if (ns->nsid != nsid)
			__atomic_add_fetch(&stress_bad, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&stress_hits, 1, __ATOMIC_RELAXED);
		nvmet_ns_put(ns);
	}
	rcu_unregister_thread();
	return NULL;
}

static void check_stress(void)
{
	pthread_t t[8];
	int i;

	stress_subsys = nvmet_subsys_create("nqn.test:nsstress");
	for (i = 0; i < STRESS_NS; i++)
		stress_ns[i] = mock_ns(stress_subsys, i + 1);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, stress_toggler, (void *)(long)i + 1);
	for (i = 4; i < 8; i++)
		pthread_create(&t[i], NULL, stress_reader, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&stress_stop, 1, __ATOMIC_RELAXED);
	for (i = 4; i < 8; i++)
		pthread_join(t[i], NULL);
	printf("# %ld lookups found a namespace\n", stress_hits);
	CHECK_EQ(stress_bad, 0);
	for (i = 0; i < STRESS_NS; i++)
		nvmet_ns_free(stress_ns[i]);
	CHECK_EQ(stress_subsys->nr_namespaces, 0);
	CHECK_EQ(opens, closes);
	nvmet_subsys_remove(stress_subsys);
	nvmet_subsys_put(stress_subsys);
}

TEST_MAIN("t_ns", {
	nvmet_core_init();
	nvmet_register_backend(&mock_backend);
	RUN_CASE(check_enable_disable);
	RUN_CASE(check_failures);
	RUN_CASE(check_limit);
	RUN_CASE(check_remove_in_flight);
	RUN_CASE(check_stress);
	nvmet_unregister_backend(&mock_backend);
	nvmet_core_exit();
})
