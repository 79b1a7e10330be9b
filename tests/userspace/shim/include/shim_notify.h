/* SPDX-License-Identifier: GPL-2.0-only */
/* Calls into nvmet/target/ that the shim counts instead (shim.c). */
#ifndef _SHIM_NOTIFY_H
#define _SHIM_NOTIFY_H

struct nvmet_host;

enum shim_notify {
	SHIM_NOTIFY_PORT_DISC,
	SHIM_NOTIFY_SUBSYS_DISC,
	SHIM_NOTIFY_ALL_DISC,
	SHIM_NOTIFY_CTRLS_DELETE,
	SHIM_NOTIFY_ANA,
	SHIM_NOTIFY_NS,
	SHIM_NOTIFY_ACL_REVOKED,
	SHIM_NOTIFY_NS_VIS,
	SHIM_NOTIFY_NR,
};

extern int shim_notify_calls[SHIM_NOTIFY_NR];
/* The host of the last nvmet_ns_visibility_changed(), NULL for a flip. */
extern const struct nvmet_host *shim_vis_host;

#endif
