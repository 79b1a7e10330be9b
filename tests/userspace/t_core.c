// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/core: registries, host ACL, port state machine, fabric
 * registration, every allocation failure path, and proof that the shim's
 * lock checks fire.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/err.h>
#include <linux/kmod.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>
#include <shim_notify.h>
#include "test.h"

#define MOCK_TRTYPE	251

static int mock_adds, mock_removes, mock_add_ret;

static int mock_add_port(struct nvmet_port *port)
{
	mock_adds++;
	return mock_add_ret;
}

static void mock_remove_port(struct nvmet_port *port)
{
	mock_removes++;
}

static const struct nvmet_fabric_ops mock_fabric = {
	.name = "mock", .type = MOCK_TRTYPE,
	.add_port = mock_add_port, .remove_port = mock_remove_port,
};

static struct nvmet_port *new_port(u8 trtype)
{
	struct nvmet_port *port = nvmet_port_create(1);

	if (IS_ERR(port))
		return port;
	nvmet_port_config_begin(port);
	port->disc_addr.trtype = trtype;
	nvmet_port_config_end(port);
	return port;
}

static void free_port(struct nvmet_port *port)
{
	nvmet_port_remove(port);
	nvmet_port_put(port);
}

static void free_subsys(struct nvmet_subsys *subsys)
{
	nvmet_subsys_remove(subsys);
	nvmet_subsys_put(subsys);
}

static void check_subsys_registry(void)
{
	struct nvmet_subsys *a, *b, *found;

	a = nvmet_subsys_create("nqn.test:a");
	b = nvmet_subsys_create("nqn.test:b");
	CHECK(!IS_ERR(a) && !IS_ERR(b));
	CHECK_EQ(nvmet_subsys_count(), 2);
	CHECK(nvmet_subsys_create("nqn.test:a") == ERR_PTR(-EEXIST));
	CHECK(nvmet_subsys_create(NVMET_DISC_NQN) == ERR_PTR(-EINVAL));
	found = nvmet_subsys_find_get("nqn.test:b");
	CHECK(found == b);
	if (found)
		nvmet_subsys_put(found);
	free_subsys(a);
	CHECK(nvmet_subsys_find_get("nqn.test:a") == NULL);
	/* The name is free again at once. */
	a = nvmet_subsys_create("nqn.test:a");
	CHECK(!IS_ERR(a));
	free_subsys(a);
	free_subsys(b);
	CHECK_EQ(nvmet_subsys_count(), 0);
}

static void check_host_acl(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:acl");
	struct nvmet_host *h = nvmet_host_create("nqn.test:host");

	CHECK(!nvmet_subsys_host_allowed(s, "nqn.test:host"));
	CHECK_EQ(nvmet_subsys_allow_host(s, h), 0);
	CHECK(nvmet_subsys_host_allowed(s, "nqn.test:host"));
	CHECK(!nvmet_subsys_host_allowed(s, "nqn.test:other"));
	CHECK_EQ(nvmet_subsys_allow_host(s, h), -EEXIST);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, true), -EINVAL);
	CHECK_EQ(nvmet_subsys_disallow_host(s, h), 0);
	CHECK_EQ(nvmet_subsys_disallow_host(s, h), -ENOENT);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, true), 0);
	CHECK(nvmet_subsys_host_allowed(s, "nqn.test:anyone"));
	nvmet_host_remove(h);
	nvmet_host_put(h);
	free_subsys(s);
}

static void check_port_states(void)
{
	struct nvmet_port *port = new_port(MOCK_TRTYPE);
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:p");

	mock_adds = mock_removes = mock_add_ret = 0;
	CHECK_EQ(nvmet_port_link_subsys(port, s), 0);
	CHECK_EQ(mock_adds, 1);
	CHECK(nvmet_port_is_live(port));
	CHECK_EQ(nvmet_port_config_begin(port), -EACCES);
	CHECK_EQ(nvmet_port_unlink_subsys(port, s), 0);
	CHECK_EQ(mock_removes, 1);
	CHECK(!nvmet_port_is_live(port));

	mock_add_ret = -EADDRINUSE;
	CHECK_EQ(nvmet_port_link_subsys(port, s), -EADDRINUSE);
	CHECK_EQ(port->state, NVMET_PORT_DISABLED);
	CHECK_EQ(kref_read(&s->ref), 1);
	mock_add_ret = 0;

	free_subsys(s);
	free_port(port);

	port = new_port(MOCK_TRTYPE + 1);
	s = nvmet_subsys_create("nqn.test:nofabric");
	shim_quiet = 1;
	CHECK_EQ(nvmet_port_link_subsys(port, s), -EINVAL);
	shim_quiet = 0;
	CHECK(shim_request_module_calls > 0);
	free_subsys(s);
	free_port(port);
}

/*
 * A port whose address is absent: the link succeeds and the port WAITs,
 * frozen, refusing lookups; a retry that still finds no address changes
 * nothing; one that works makes it LIVE; the address going away takes it
 * back to WAITING (its controllers deleted, the listener removed once);
 * unlinking a WAITING port never calls remove_port().
 */
static void check_port_waiting(void)
{
	struct nvmet_port *port = new_port(MOCK_TRTYPE);
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:wait");
	int deletes;

	mock_adds = mock_removes = 0;
	mock_add_ret = -EADDRNOTAVAIL;
	CHECK_EQ(nvmet_port_retry(port), -EAGAIN);
	CHECK_EQ(nvmet_port_link_subsys(port, s), 0);
	CHECK_EQ(port->state, NVMET_PORT_WAITING);
	CHECK(strcmp(nvmet_port_state_name(port), "waiting") == 0);
	CHECK(!nvmet_port_is_live(port));
	CHECK(!nvmet_port_find_get_subsys(port, "nqn.test:wait"));
	CHECK_EQ(nvmet_port_config_begin(port), -EACCES);
	CHECK_EQ(nvmet_port_retry(port), -EADDRNOTAVAIL);
	CHECK_EQ(port->state, NVMET_PORT_WAITING);
	CHECK_EQ(mock_adds, 2);

	mock_add_ret = 0;
	CHECK_EQ(nvmet_port_retry(port), 0);
	CHECK_EQ(mock_adds, 3);
	CHECK(nvmet_port_is_live(port));
	CHECK(strcmp(nvmet_port_state_name(port), "live") == 0);
	CHECK_EQ(nvmet_port_retry(port), -EAGAIN);

	deletes = shim_notify_calls[SHIM_NOTIFY_CTRLS_DELETE];
	nvmet_port_addr_gone(port);
	CHECK_EQ(port->state, NVMET_PORT_WAITING);
	CHECK_EQ(mock_removes, 1);
	CHECK(shim_notify_calls[SHIM_NOTIFY_CTRLS_DELETE] > deletes);
	nvmet_port_addr_gone(port);
	CHECK_EQ(mock_removes, 1);

	/* The last unlink disables a WAITING port: no listener to remove. */
	CHECK_EQ(nvmet_port_unlink_subsys(port, s), 0);
	CHECK_EQ(port->state, NVMET_PORT_DISABLED);
	CHECK(strcmp(nvmet_port_state_name(port), "disabled") == 0);
	CHECK_EQ(mock_removes, 1);
	CHECK_EQ(nvmet_port_retry(port), -EAGAIN);
	CHECK_EQ(kref_read(&s->ref), 1);

	/* Any other error still fails the link. */
	mock_add_ret = -EADDRINUSE;
	CHECK_EQ(nvmet_port_link_subsys(port, s), -EADDRINUSE);
	CHECK_EQ(port->state, NVMET_PORT_DISABLED);
	mock_add_ret = 0;
	free_subsys(s);
	free_port(port);
}

/* param_mdts: a safe default, a range, frozen while the port is enabled. */
static void check_port_mdts(void)
{
	struct nvmet_port *port = new_port(MOCK_TRTYPE);
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:mdts");

	CHECK_EQ(port->mdts, NVMET_DEFAULT_MDTS);
	CHECK_EQ(NVMET_DEFAULT_MDTS, 8);
	CHECK_EQ(nvmet_port_config_begin(port), 0);
	CHECK_EQ(nvmet_port_set_mdts(port, 0), 0);
	CHECK_EQ(port->mdts, 0);
	CHECK_EQ(nvmet_port_set_mdts(port, NVMET_MDTS_MAX), 0);
	CHECK_EQ(port->mdts, NVMET_MDTS_MAX);
	shim_quiet = 1;
	CHECK_EQ(nvmet_port_set_mdts(port, NVMET_MDTS_MAX + 1), -EINVAL);
	CHECK_EQ(nvmet_port_set_mdts(port, 256), -EINVAL);
	shim_quiet = 0;
	CHECK_EQ(port->mdts, NVMET_MDTS_MAX);
	CHECK_EQ(nvmet_port_set_mdts(port, 3), 0);
	nvmet_port_config_end(port);

	mock_adds = mock_removes = mock_add_ret = 0;
	CHECK_EQ(nvmet_port_link_subsys(port, s), 0);
	shim_quiet = 1;
	CHECK_EQ(nvmet_port_config_begin(port), -EACCES);
	shim_quiet = 0;
	CHECK_EQ(port->mdts, 3);
	CHECK_EQ(nvmet_port_unlink_subsys(port, s), 0);
	CHECK_EQ(port->mdts, 3);
	free_subsys(s);
	free_port(port);
}

/*
 * rmdir racing `ln`: configfs calls drop_item on one end while the other
 * `ln` has run allow_link and not yet failed (configfs then calls
 * drop_link).  The interleaving is forced by calling the core in that
 * order: link, remove, then unlink.  Removal must not WARN, and a link
 * after removal is refused.
 */
static void check_remove_while_linked(void)
{
	struct nvmet_port *port = new_port(MOCK_TRTYPE);
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:rm-linked");
	struct nvmet_subsys *s2 = nvmet_subsys_create("nqn.test:rm-linked2");

	mock_adds = mock_removes = mock_add_ret = 0;
	CHECK_EQ(nvmet_port_link_subsys(port, s), 0);
	nvmet_subsys_remove(s);
	CHECK(nvmet_subsys_find_get("nqn.test:rm-linked") == NULL);
	CHECK_EQ(nvmet_port_unlink_subsys(port, s), 0);
	shim_quiet = 1;
	CHECK_EQ(nvmet_port_link_subsys(port, s), -ENOENT);
	shim_quiet = 0;
	CHECK_EQ(port->state, NVMET_PORT_DISABLED);
	nvmet_subsys_put(s);

	CHECK_EQ(nvmet_port_link_subsys(port, s2), 0);
	nvmet_port_remove(port);
	CHECK_EQ(nvmet_port_unlink_subsys(port, s2), 0);
	CHECK_EQ(port->state, NVMET_PORT_DISABLED);
	CHECK_EQ(nvmet_port_link_subsys(port, s2), -ENOENT);
	CHECK_EQ(mock_adds, 2);
	CHECK_EQ(mock_removes, 2);
	nvmet_port_put(port);
	free_subsys(s2);
}

/*
 * Make the n-th allocation of @op and all later ones fail, for n = 1, 2,
 * ... until @op makes fewer than n allocations: every error path runs, and each must leave
 * nothing behind but empty xarray nodes (freed by xa_destroy() at exit,
 * where the program's final leak check counts them).  An op may also absorb a failure (xarray retries a
 * failed GFP_NOWAIT allocation with the caller's GFP) and succeed; it is
 * undone and the walk goes on.
 */
static void walk_failures(const char *what, int (*op)(void),
			  void (*undo)(void))
{
	int n, ret, errors = 0;
	long before, failed;

	rcu_barrier();
	before = shim_nr_objects();
	shim_quiet = 1;
	for (n = 1; n < 64; n++) {
		failed = shim_nr_failed();
		shim_fail_from(n);
		ret = op();
		shim_fail_nth(0);
		if (!ret && shim_nr_failed() == failed)
			break;		/* no allocation left to fail */
		if (!ret) {
			undo();
		} else {
			CHECK_EQ(ret, -ENOMEM);
			errors++;
		}
		rcu_barrier();
		if (shim_nr_objects() != before)
			fprintf(stderr, "%s: leak after failing allocation %d\n",
				what, n);
		CHECK_EQ(shim_nr_objects(), before);
	}
	shim_quiet = 0;
	if (!errors)
		fprintf(stderr, "%s: no failure reached an error path\n", what);
	CHECK(errors > 0);
	CHECK(n < 64);
	undo();
	rcu_barrier();
	CHECK_EQ(shim_nr_objects(), before);
}

static struct nvmet_subsys *fs;
static struct nvmet_host *fh;
static struct nvmet_port *fp;

static int op_subsys(void)
{
	fs = nvmet_subsys_create("nqn.test:fail");
	return IS_ERR(fs) ? PTR_ERR(fs) : 0;
}

static void undo_subsys(void)
{
	free_subsys(fs);
	CHECK_EQ(nvmet_subsys_count(), 0);
}

static int op_host(void)
{
	fh = nvmet_host_create("nqn.test:fail-host");
	return IS_ERR(fh) ? PTR_ERR(fh) : 0;
}

static void undo_host(void)
{
	nvmet_host_remove(fh);
	nvmet_host_put(fh);
	CHECK_EQ(nvmet_host_count(), 0);
}

static int op_link(void)
{
	return nvmet_port_link_subsys(fp, fs);
}

static void undo_link(void)
{
	CHECK_EQ(nvmet_port_unlink_subsys(fp, fs), 0);
}

static int op_allow(void)
{
	return nvmet_subsys_allow_host(fs, fh);
}

static void undo_allow(void)
{
	CHECK_EQ(nvmet_subsys_disallow_host(fs, fh), 0);
}

static void check_allocation_failures(void)
{
	struct nvmet_subsys *dummy_subsys;
	struct nvmet_host *dummy_host;

	walk_failures("subsys create", op_subsys, undo_subsys);
	walk_failures("host create", op_host, undo_host);

	/*
	 * Ids from 1 on: an xarray keeps index 0 in its head, without a node
	 * to allocate, and the link paths' allocations would not be reached.
	 */
	dummy_subsys = nvmet_subsys_create("nqn.test:dummy");
	dummy_host = nvmet_host_create("nqn.test:dummy-host");
	fs = nvmet_subsys_create("nqn.test:fail");
	fh = nvmet_host_create("nqn.test:fail-host");
	CHECK(fs->id != 0 && fh->id != 0);
	fp = new_port(MOCK_TRTYPE);
	mock_adds = mock_removes = 0;
	walk_failures("port link", op_link, undo_link);
	/* Each failed link that had enabled the port disabled it again. */
	CHECK_EQ(mock_adds, mock_removes);
	CHECK_EQ(fp->state, NVMET_PORT_DISABLED);
	walk_failures("allow host", op_allow, undo_allow);
	free_port(fp);
	nvmet_host_remove(fh);
	nvmet_host_put(fh);
	free_subsys(fs);
	nvmet_host_remove(dummy_host);
	nvmet_host_put(dummy_host);
	free_subsys(dummy_subsys);
	CHECK_EQ(nvmet_subsys_count(), 0);
	CHECK_EQ(nvmet_host_count(), 0);
}

static void check_fabric_registration(void)
{
	struct nvmet_fabric_ops bad = mock_fabric;

	shim_quiet = 1;
	CHECK_EQ(nvmet_register_fabric(&mock_fabric), -EBUSY);
	bad.add_port = NULL;
	bad.type = 99;
	CHECK_EQ(nvmet_register_fabric(&bad), -EINVAL);
	bad = mock_fabric;
	bad.type = 99;
	bad.name = "0123456789abcdefg";
	CHECK_EQ(nvmet_register_fabric(&bad), -EINVAL);
	shim_quiet = 0;
}

/* The harness itself must be able to fail: these run in a child. */
static int dies(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		shim_quiet = 1;
		close(2);
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void assert_unheld(void)
{
	struct mutex m;

	mutex_init(&m);
	lockdep_assert_held(&m);
}

static void end_unbegun_config(void)
{
	struct nvmet_port *port = nvmet_port_create(1);

	nvmet_port_config_end(port);	/* unlocks a mutex it does not hold */
}

static void protected_without_lock(void)
{
	struct mutex m;
	int *p = NULL;

	mutex_init(&m);
	(void)rcu_dereference_protected(p, lockdep_is_held(&m));
}

static void check_harness_fails(void)
{
	CHECK(dies(assert_unheld));
	CHECK(dies(end_unbegun_config));
	CHECK(dies(protected_without_lock));
}

static int notified(enum shim_notify what)
{
	return __atomic_load_n(&shim_notify_calls[what], __ATOMIC_RELAXED);
}

/*
 * Each configuration change raises the notification controllers need:
 * links change the port's discovery log and tear down the unlinked
 * subsystem's controllers there, ACL changes the subsystem's, the
 * discovery NQN every port's; a failed change raises nothing.
 */
static void check_notifications(void)
{
	struct nvmet_port *port = new_port(MOCK_TRTYPE);
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:notify");
	struct nvmet_host *h = nvmet_host_create("nqn.test:notify-host");
	int disc, acl, del, rev;

	disc = notified(SHIM_NOTIFY_PORT_DISC);
	CHECK_EQ(nvmet_port_link_subsys(port, s), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_PORT_DISC), disc + 1);
	CHECK_EQ(nvmet_port_link_subsys(port, s), -EEXIST);
	CHECK_EQ(notified(SHIM_NOTIFY_PORT_DISC), disc + 1);

	acl = notified(SHIM_NOTIFY_SUBSYS_DISC);
	rev = notified(SHIM_NOTIFY_ACL_REVOKED);
	CHECK_EQ(nvmet_subsys_allow_host(s, h), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_SUBSYS_DISC), acl + 1);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, true), -EINVAL);
	CHECK_EQ(notified(SHIM_NOTIFY_SUBSYS_DISC), acl + 1);
	CHECK_EQ(notified(SHIM_NOTIFY_ACL_REVOKED), rev);
	/* A host leaving the ACL ends its controllers. */
	CHECK_EQ(nvmet_subsys_disallow_host(s, h), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_SUBSYS_DISC), acl + 2);
	CHECK_EQ(notified(SHIM_NOTIFY_ACL_REVOKED), rev + 1);
	/* So does turning the ACL on; turning it off or on twice does not. */
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, true), 0);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, true), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_ACL_REVOKED), rev + 1);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, false), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_ACL_REVOKED), rev + 2);
	CHECK_EQ(nvmet_subsys_set_allow_any_host(s, false), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_ACL_REVOKED), rev + 2);
	CHECK_EQ(notified(SHIM_NOTIFY_SUBSYS_DISC), acl + 6);

	del = notified(SHIM_NOTIFY_CTRLS_DELETE);
	CHECK_EQ(nvmet_subsys_set_qid_max(s, 4), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_CTRLS_DELETE), del + 1);
	/* Unlinking the last subsystem also drops discovery controllers. */
	CHECK_EQ(nvmet_port_unlink_subsys(port, s), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_CTRLS_DELETE), del + 3);
	CHECK_EQ(notified(SHIM_NOTIFY_PORT_DISC), disc + 2);

	disc = notified(SHIM_NOTIFY_ALL_DISC);
	CHECK_EQ(nvmet_disc_nqn_set("nqn.test:notify"), -EINVAL);
	CHECK_EQ(notified(SHIM_NOTIFY_ALL_DISC), disc);
	CHECK_EQ(nvmet_disc_nqn_set("nqn.test:disc"), 0);
	CHECK_EQ(notified(SHIM_NOTIFY_ALL_DISC), disc + 1);
	CHECK_EQ(nvmet_disc_nqn_set(NVMET_DISC_NQN), 0);

	nvmet_host_remove(h);
	nvmet_host_put(h);
	free_subsys(s);
	free_port(port);
}

/* attr_vendor_id, attr_subsys_vendor_id: 16 bits, frozen once read. */
static void check_vendor_ids(void)
{
	struct nvmet_subsys *s = nvmet_subsys_create("nqn.test:vid");

	CHECK(!IS_ERR(s));
	CHECK_EQ(s->vendor_id, 0);
	CHECK_EQ(s->subsys_vendor_id, 0);
	CHECK_EQ(nvmet_subsys_set_vendor_id(s, 0x1b36), 0);
	CHECK_EQ(nvmet_subsys_set_subsys_vendor_id(s, 0xffff), 0);
	CHECK_EQ(nvmet_subsys_set_vendor_id(s, 0x10000), -EINVAL);
	CHECK_EQ(nvmet_subsys_set_subsys_vendor_id(s, 0x10000), -EINVAL);
	CHECK_EQ(s->vendor_id, 0x1b36);
	CHECK_EQ(s->subsys_vendor_id, 0xffff);
	mutex_lock(&s->lock);
	s->discovered = true;
	mutex_unlock(&s->lock);
	CHECK_EQ(nvmet_subsys_set_vendor_id(s, 1), -EINVAL);
	CHECK_EQ(nvmet_subsys_set_subsys_vendor_id(s, 1), -EINVAL);
	CHECK_EQ(s->vendor_id, 0x1b36);
	CHECK_EQ(s->subsys_vendor_id, 0xffff);
	free_subsys(s);
}

TEST_MAIN("t_core", {
	nvmet_core_init();
	nvmet_register_fabric(&mock_fabric);
	RUN_CASE(check_subsys_registry);
	RUN_CASE(check_host_acl);
	RUN_CASE(check_port_states);
	RUN_CASE(check_port_waiting);
	RUN_CASE(check_port_mdts);
	RUN_CASE(check_vendor_ids);
	RUN_CASE(check_remove_while_linked);
	RUN_CASE(check_allocation_failures);
	RUN_CASE(check_fabric_registration);
	RUN_CASE(check_notifications);
	RUN_CASE(check_harness_fails);
	nvmet_unregister_fabric(&mock_fabric);
	nvmet_core_exit();
})
