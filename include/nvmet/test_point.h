/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test points: places in the command engine and the fabrics where a
 * KUnit suite may run code of its own, to force an interleaving a race
 * needs (an unlink between a Connect's lookup and its insert, a
 * keep-alive run in progress while Set Features stops the timer, a host
 * invalidated while an FC association is published).  Built only with
 * CONFIG_NVMET_NG_KUNIT_TEST; elsewhere a test point is nothing.
 */
#ifndef _NVMET_TEST_POINT_H
#define _NVMET_TEST_POINT_H

#include <linux/compiler.h>
#include <linux/kconfig.h>

/**
 * enum nvmet_test_point_id - where a test point is
 * @NVMET_TP_CTRL_INSERT: Admin Connect found the subsystem and the host,
 *			  before the new controller gets its ID; @obj is
 *			  the controller
 * @NVMET_TP_INSTALL_QUEUE: Connect, before the queue is bound to the
 *			    controller (sq->ctrl); @obj is the controller
 * @NVMET_TP_KA_WORK: the keep-alive work starts a run; @obj is the
 *		      controller
 * @NVMET_TP_FC_ASSOC_LISTED: nvmet-fc's Create Association put the new
 *			      association on its target port's assoc_list
 *			      and dropped the port's lock; @obj is the
 *			      association
 */
enum nvmet_test_point_id {
	NVMET_TP_CTRL_INSERT,
	NVMET_TP_INSTALL_QUEUE,
	NVMET_TP_KA_WORK,
	NVMET_TP_FC_ASSOC_LISTED,
};

/* What a suite installs in nvmet_test_hook; runs in the caller's context. */
typedef void (*nvmet_test_hook_fn)(enum nvmet_test_point_id tp, void *obj);

#if IS_ENABLED(CONFIG_NVMET_NG_KUNIT_TEST)
extern nvmet_test_hook_fn nvmet_test_hook;

static inline void nvmet_test_point(enum nvmet_test_point_id tp, void *obj)
{
	nvmet_test_hook_fn hook = READ_ONCE(nvmet_test_hook);

	if (hook)
		hook(tp, obj);
}
#else
static inline void nvmet_test_point(enum nvmet_test_point_id tp, void *obj)
{
}
#endif

#endif /* _NVMET_TEST_POINT_H */
