// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which namespaces a controller's host sees.  nvmet/core/ns_visibility.c
 * keeps each namespace's linked hosts by host object; a controller knows
 * its host by NQN, and the host object may not exist at Connect (a
 * subsystem that allows any host needs none) or be created later.  So a
 * controller looks its host up the first time a namespace without
 * auto_visible asks, and keeps it (one reference, dropped at release);
 * until a host of that NQN exists, it sees no such namespace.  A host is
 * removed only with every controller of its NQN (nvmet_host_ctrls_delete()),
 * so a kept host never goes stale on a controller that lives on.
 */
#include "../core/core.h"
#include "ctrl.h"

/**
 * nvmet_ctrl_host() - the host object of a controller's host NQN
 * @ctrl: an I/O controller
 *
 * Cost: one load once found; before, a host lookup by NQN (a hash, one
 * xa_load(), a strcmp()) per call.
 *
 * Context: Any context.
 * Return: the host, valid as long as the controller, or NULL if no host
 * of that NQN exists.
 */
struct nvmet_host *nvmet_ctrl_host(struct nvmet_ctrl *ctrl)
{
	struct nvmet_host *host = READ_ONCE(ctrl->host), *old;

	if (host)
		return host;
	host = nvmet_host_find_get(ctrl->hostnqn);
	if (!host)
		return NULL;
	old = cmpxchg(&ctrl->host, NULL, host);
	if (old) {
		/* Another command found it first. */
		nvmet_host_put(host);
		return old;
	}
	return host;
}

/**
 * nvmet_ctrl_host_linked() - is the controller's host in the namespace's
 *			      allowed_hosts?
 * @ctrl: an I/O controller
 * @ns: a namespace of its subsystem
 *
 * Context: Any context.
 * Return: true if linked.
 */
bool nvmet_ctrl_host_linked(struct nvmet_ctrl *ctrl, struct nvmet_ns *ns)
{
	struct nvmet_host *host = nvmet_ctrl_host(ctrl);

	return host && nvmet_ns_host_linked(ns, host);
}
