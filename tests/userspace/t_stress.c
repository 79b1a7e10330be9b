// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multi-thread stress of the core object model: 8 threads, 100k operations
 * in all, creating and removing subsystems, linking and unlinking them
 * into ports (which enables and disables the ports), changing host ACLs,
 * and looking all of it up lock-free the way the connect path does.
 *
 * A per-slot mutex of the harness stands for what configfs guarantees (one
 * mkdir/rmdir/ln/rm on the same item at a time); lookups take no harness
 * lock at all and race with everything.  The model the harness keeps is
 * compared with the core's view at the end, then everything is torn down
 * and no allocation may remain.  ASan catches a freed object being
 * reached; the TSan build catches unsynchronised accesses.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>
#include "test.h"

#define THREADS		8
#define OPS		100000
#define NR_SUBSYS	24
#define NR_PORTS	6
#define NR_HOSTS	6
#define STRESS_TRTYPE	250

struct subsys_slot {
	struct mutex lock;		/* harness: serialises ops on this slot */
	struct nvmet_subsys *subsys;	/* NULL when not created */
	bool linked[NR_PORTS];
	bool allowed[NR_HOSTS];
	char nqn[64];
};

static struct subsys_slot slots[NR_SUBSYS];
static struct nvmet_port *ports[NR_PORTS];
static struct nvmet_host *hosts[NR_HOSTS];
static int enables, disables;		/* by the fabric */
static long lookups_hit, lookups_miss, bad_lookups;

static int stress_add_port(struct nvmet_port *port)
{
	__atomic_add_fetch(&enables, 1, __ATOMIC_RELAXED);
	return 0;
}

static void stress_remove_port(struct nvmet_port *port)
{
	__atomic_add_fetch(&disables, 1, __ATOMIC_RELAXED);
}

static const struct nvmet_fabric_ops stress_fabric = {
	.name = "stress", .type = STRESS_TRTYPE,
	.add_port = stress_add_port, .remove_port = stress_remove_port,
};

static unsigned int next_rand(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return (*seed >> 8) & 0xffffff;
}

static void op_create_or_remove(struct subsys_slot *s)
{
	int p, h;

	if (!s->subsys) {
		s->subsys = nvmet_subsys_create(s->nqn);
		if (IS_ERR(s->subsys)) {
			fprintf(stderr, "create %s: %ld\n", s->nqn,
				PTR_ERR(s->subsys));
			s->subsys = NULL;
			__atomic_add_fetch(&bad_lookups, 1, __ATOMIC_RELAXED);
		}
		return;
	}
	/* configfs refuses rmdir while linked; unlink everything first. */
	for (p = 0; p < NR_PORTS; p++) {
		if (s->linked[p]) {
			CHECK_EQ(nvmet_port_unlink_subsys(ports[p], s->subsys), 0);
			s->linked[p] = false;
		}
	}
	for (h = 0; h < NR_HOSTS; h++) {
		if (s->allowed[h]) {
			CHECK_EQ(nvmet_subsys_disallow_host(s->subsys, hosts[h]),
				 0);
			s->allowed[h] = false;
		}
	}
	nvmet_subsys_remove(s->subsys);
	nvmet_subsys_put(s->subsys);
	s->subsys = NULL;
}

static void op_link(struct subsys_slot *s, int p)
{
	if (!s->subsys)
		return;
	if (s->linked[p]) {
		CHECK_EQ(nvmet_port_unlink_subsys(ports[p], s->subsys), 0);
		s->linked[p] = false;
	} else {
		CHECK_EQ(nvmet_port_link_subsys(ports[p], s->subsys), 0);
		s->linked[p] = true;
	}
}

static void op_acl(struct subsys_slot *s, int h)
{
	if (!s->subsys)
		return;
	if (s->allowed[h]) {
		CHECK_EQ(nvmet_subsys_disallow_host(s->subsys, hosts[h]), 0);
		s->allowed[h] = false;
	} else {
		CHECK_EQ(nvmet_subsys_allow_host(s->subsys, hosts[h]), 0);
		s->allowed[h] = true;
	}
}

/* The connect path: no harness lock, racing with everything. */
static void op_lookup(unsigned int *seed)
{
	struct subsys_slot *s = &slots[next_rand(seed) % NR_SUBSYS];
	struct nvmet_port *port = ports[next_rand(seed) % NR_PORTS];
	struct nvmet_subsys *found;
	char hostnqn[64];

	found = nvmet_port_find_get_subsys(port, s->nqn);
	if (!found) {
		__atomic_add_fetch(&lookups_miss, 1, __ATOMIC_RELAXED);
		found = nvmet_subsys_find_get(s->nqn);
	}
	if (!found)
		return;
	__atomic_add_fetch(&lookups_hit, 1, __ATOMIC_RELAXED);
	if (strcmp(found->nqn, s->nqn))
		__atomic_add_fetch(&bad_lookups, 1, __ATOMIC_RELAXED);
	snprintf(hostnqn, sizeof(hostnqn), "nqn.stress:host-%u",
		 next_rand(seed) % NR_HOSTS);
	(void)nvmet_subsys_host_allowed(found, hostnqn);
	nvmet_subsys_put(found);
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg * 7919 + 1;
	int i;

	rcu_register_thread();
	for (i = 0; i < OPS / THREADS; i++) {
		unsigned int r = next_rand(&seed) % 100;
		struct subsys_slot *s = &slots[next_rand(&seed) % NR_SUBSYS];

		if (r < 40) {
			op_lookup(&seed);
			continue;
		}
		mutex_lock(&s->lock);
		if (r < 55)
			op_create_or_remove(s);
		else if (r < 85)
			op_link(s, next_rand(&seed) % NR_PORTS);
		else
			op_acl(s, next_rand(&seed) % NR_HOSTS);
		mutex_unlock(&s->lock);
	}
	rcu_unregister_thread();
	return NULL;
}

/* The core's view must match the harness model. */
static void check_model(void)
{
	int i, p, h, live = 0, linked;

	for (i = 0; i < NR_SUBSYS; i++) {
		struct subsys_slot *s = &slots[i];
		struct nvmet_subsys *found = nvmet_subsys_find_get(s->nqn);

		CHECK((found != NULL) == (s->subsys != NULL));
		if (found)
			nvmet_subsys_put(found);
		if (!s->subsys)
			continue;
		live++;
		for (p = 0; p < NR_PORTS; p++) {
			found = nvmet_port_find_get_subsys(ports[p], s->nqn);
			CHECK((found != NULL) == s->linked[p]);
			if (found)
				nvmet_subsys_put(found);
		}
		for (h = 0; h < NR_HOSTS; h++)
			CHECK_EQ(nvmet_subsys_host_allowed(s->subsys,
							   hosts[h]->nqn),
				 s->allowed[h]);
	}
	CHECK_EQ(nvmet_subsys_count(), live);
	for (p = 0; p < NR_PORTS; p++) {
		linked = 0;
		for (i = 0; i < NR_SUBSYS; i++)
			linked += slots[i].subsys && slots[i].linked[p];
		CHECK_EQ(ports[p]->nr_subsystems, linked);
		CHECK_EQ(nvmet_port_is_live(ports[p]), linked > 0);
	}
}

static void check_stress(void)
{
	pthread_t threads[THREADS];
	int i;

	for (i = 0; i < NR_SUBSYS; i++) {
		mutex_init(&slots[i].lock);
		snprintf(slots[i].nqn, sizeof(slots[i].nqn),
			 "nqn.stress:subsys-%d", i);
	}
	for (i = 0; i < NR_HOSTS; i++) {
		char nqn[64];

		snprintf(nqn, sizeof(nqn), "nqn.stress:host-%d", i);
		hosts[i] = nvmet_host_create(nqn);
	}
	for (i = 0; i < NR_PORTS; i++) {
		ports[i] = nvmet_port_create(i + 1);
		nvmet_port_config_begin(ports[i]);
		ports[i]->disc_addr.trtype = STRESS_TRTYPE;
		nvmet_port_config_end(ports[i]);
	}

	for (i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);

	printf("# %ld lookups hit, %ld missed, %d port enables, %d disables\n",
	       lookups_hit, lookups_miss, enables, disables);
	CHECK_EQ(bad_lookups, 0);
	CHECK(lookups_hit > 0);
	CHECK(enables > 0);
	check_model();

	for (i = 0; i < NR_SUBSYS; i++) {
		if (slots[i].subsys)
			op_create_or_remove(&slots[i]);
		mutex_destroy(&slots[i].lock);
	}
	CHECK_EQ(enables, disables);
	for (i = 0; i < NR_PORTS; i++) {
		CHECK(!nvmet_port_is_live(ports[i]));
		nvmet_port_remove(ports[i]);
		nvmet_port_put(ports[i]);
	}
	for (i = 0; i < NR_HOSTS; i++) {
		nvmet_host_remove(hosts[i]);
		nvmet_host_put(hosts[i]);
	}
	CHECK_EQ(nvmet_subsys_count(), 0);
	CHECK_EQ(nvmet_port_count(), 0);
	CHECK_EQ(nvmet_host_count(), 0);
}

TEST_MAIN("t_stress", {
	nvmet_core_init();
	nvmet_register_fabric(&stress_fabric);
	RUN_CASE(check_stress);
	nvmet_unregister_fabric(&stress_fabric);
	nvmet_core_exit();
})
