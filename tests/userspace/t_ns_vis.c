// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/core/ns_visibility.c: a namespace's allowed_hosts links and its
 * auto_visible flag.  Which events each change raises (the shim records
 * nvmet_ns_visibility_changed() and checks that ns->vis_lock is held),
 * the link errors, the host references the links hold, a host recreated
 * under the same NQN, and links and flips racing the I/O path's lock-free
 * check.
 */
#include <errno.h>
#include <pthread.h>

#include <linux/err.h>
#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include "test.h"

static int vis_events(void)
{
	return __atomic_load_n(&shim_notify_calls[SHIM_NOTIFY_NS_VIS],
			       __ATOMIC_RELAXED);
}

/* What the I/O path asks (nvmet_ns_visible() without a controller). */
static bool visible(struct nvmet_ns *ns, struct nvmet_host *host)
{
	return READ_ONCE(ns->auto_visible) || nvmet_ns_host_linked(ns, host);
}

/*
 * A link changes what a host sees only while auto_visible is 0, so only
 * then does it raise an event, for that host; a flip raises one for the
 * unlinked hosts (host NULL); writing the value it has raises none.
 */
static void check_links_and_flips(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:vis");
	struct nvmet_host *a = nvmet_host_create("nqn.test:vis-a");
	struct nvmet_host *b = nvmet_host_create("nqn.test:vis-b");
	struct nvmet_ns *ns = nvmet_ns_create(s, 1);
	int ev = vis_events();

	CHECK(ns->auto_visible);
	CHECK(visible(ns, a) && visible(ns, b));

	CHECK_EQ(nvmet_ns_allow_host(ns, a), 0);
	CHECK_EQ(kref_read(&a->ref), 2);
	CHECK_EQ(ns->nr_vis_hosts, 1);
	CHECK_EQ(vis_events(), ev);		/* auto_visible: nobody's view */
	CHECK(nvmet_ns_host_linked(ns, a));
	CHECK(!nvmet_ns_host_linked(ns, b));

	shim_quiet = 1;
	CHECK_EQ(nvmet_ns_allow_host(ns, a), -EEXIST);
	shim_quiet = 0;
	CHECK_EQ(kref_read(&a->ref), 2);	/* the failed link took none */
	CHECK_EQ(ns->nr_vis_hosts, 1);

	nvmet_ns_set_auto_visible(ns, false);
	CHECK_EQ(vis_events(), ev + 1);
	CHECK(shim_vis_host == NULL);
	CHECK(visible(ns, a));
	CHECK(!visible(ns, b));
	nvmet_ns_set_auto_visible(ns, false);	/* unchanged: no event */
	CHECK_EQ(vis_events(), ev + 1);

	CHECK_EQ(nvmet_ns_allow_host(ns, b), 0);
	CHECK_EQ(vis_events(), ev + 2);
	CHECK(shim_vis_host == b);
	CHECK(visible(ns, b));

	CHECK_EQ(nvmet_ns_disallow_host(ns, b), 0);
	CHECK_EQ(vis_events(), ev + 3);
	CHECK(shim_vis_host == b);
	CHECK(!visible(ns, b));
	CHECK_EQ(kref_read(&b->ref), 1);
	CHECK_EQ(nvmet_ns_disallow_host(ns, b), -ENOENT);
	CHECK_EQ(vis_events(), ev + 3);

	/* Enabled or not makes no difference; neither does the flip back. */
	nvmet_ns_set_auto_visible(ns, true);
	CHECK_EQ(vis_events(), ev + 4);
	CHECK(visible(ns, b));
	CHECK_EQ(nvmet_ns_disallow_host(ns, a), 0);
	CHECK_EQ(vis_events(), ev + 4);
	CHECK_EQ(ns->nr_vis_hosts, 0);

	/* Fails closed: auto_visible 0 and no link is nobody. */
	nvmet_ns_set_auto_visible(ns, false);
	CHECK(!visible(ns, a) && !visible(ns, b));

	nvmet_ns_free(ns);
	nvmet_host_remove(a);
	nvmet_host_put(a);
	nvmet_host_remove(b);
	nvmet_host_put(b);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

/*
 * A host removed and created again under the same NQN may get the old
 * host's id; the link names the old object, so the new one is not linked
 * (and controllers of the old one were deleted with it).  A namespace
 * released with links left drops their references.
 */
static void check_recreated_host(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:vis-re");
	struct nvmet_host *old = nvmet_host_create("nqn.test:vis-re-h");
	struct nvmet_ns *ns = nvmet_ns_create(s, 7);
	struct nvmet_host *new;
	u32 id = old->id;

	nvmet_ns_set_auto_visible(ns, false);
	CHECK_EQ(nvmet_ns_allow_host(ns, old), 0);
	nvmet_host_remove(old);
	new = nvmet_host_create("nqn.test:vis-re-h");
	CHECK(!IS_ERR(new));
	if (IS_ERR(new))
		return;
	printf("# old host id %u, new host id %u\n", id, new->id);
	CHECK(nvmet_ns_host_linked(ns, old));
	CHECK(!nvmet_ns_host_linked(ns, new));
	CHECK(!visible(ns, new));

	/* The namespace goes with the old host's link still in it. */
	CHECK_EQ(kref_read(&old->ref), 2);
	nvmet_ns_free(ns);
	CHECK_EQ(kref_read(&old->ref), 1);
	nvmet_host_put(old);
	nvmet_host_remove(new);
	nvmet_host_put(new);
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

#define RACE_ROUNDS	3000

static struct nvmet_ns *race_ns;
static struct nvmet_host *race_hosts[4];
static int race_stop;
static long race_seen, race_bad;

/* Links, unlinks and flips of hosts 1..3, as configfs would make them. */
static void *race_writer(void *arg)
{
	unsigned int seed = (unsigned long)arg;
	int i;

	rcu_register_thread();
	for (i = 0; i < RACE_ROUNDS; i++) {
		struct nvmet_host *h;

		seed = seed * 1103515245 + 12345;
		h = race_hosts[1 + (seed >> 8) % 3];
		switch ((seed >> 16) % 3) {
		case 0:
			nvmet_ns_allow_host(race_ns, h);
			break;
		case 1:
			nvmet_ns_disallow_host(race_ns, h);
			break;
		default:
			nvmet_ns_set_auto_visible(race_ns, (seed >> 20) & 1);
		}
	}
	rcu_unregister_thread();
	return NULL;
}

/* The I/O path's check; host 0 is never linked, so it sees the flag. */
static void *race_reader(void *arg)
{
	unsigned int i = 0;

	rcu_register_thread();
	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		struct nvmet_host *h = race_hosts[i++ % 4];

		if (visible(race_ns, h))
			__atomic_add_fetch(&race_seen, 1, __ATOMIC_RELAXED);
		if (h == race_hosts[0] && nvmet_ns_host_linked(race_ns, h))
			__atomic_add_fetch(&race_bad, 1, __ATOMIC_RELAXED);
	}
	rcu_unregister_thread();
	return NULL;
}

static void check_race(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:vis-race");
	char nqn[32];
	pthread_t t[5];
	int i;

	shim_quiet = 1;		/* the writers make duplicate links */
	race_ns = nvmet_ns_create(s, 1);
	for (i = 0; i < 4; i++) {
		snprintf(nqn, sizeof(nqn), "nqn.test:vis-race-%d", i);
		race_hosts[i] = nvmet_host_create(nqn);
	}
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, race_writer, (void *)(long)i + 1);
	for (i = 3; i < 5; i++)
		pthread_create(&t[i], NULL, race_reader, NULL);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&race_stop, 1, __ATOMIC_RELAXED);
	for (i = 3; i < 5; i++)
		pthread_join(t[i], NULL);
	shim_quiet = 0;
	printf("# %ld checks saw the namespace\n", race_seen);
	CHECK_EQ(race_bad, 0);
	CHECK(race_ns->nr_vis_hosts <= 4);
	for (i = 0; i < 4; i++)
		if (nvmet_ns_host_linked(race_ns, race_hosts[i]))
			CHECK_EQ(kref_read(&race_hosts[i]->ref), 2);
		else
			CHECK_EQ(kref_read(&race_hosts[i]->ref), 1);
	nvmet_ns_free(race_ns);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(kref_read(&race_hosts[i]->ref), 1);
		nvmet_host_remove(race_hosts[i]);
		nvmet_host_put(race_hosts[i]);
	}
	nvmet_subsys_remove(s);
	nvmet_subsys_put(s);
}

TEST_MAIN("t_ns_vis", {
	nvmet_core_init();
	RUN_CASE(check_links_and_flips);
	RUN_CASE(check_recreated_host);
	RUN_CASE(check_race);
	nvmet_core_exit();
})
