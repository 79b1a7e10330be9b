/* SPDX-License-Identifier: GPL-2.0-only */
/* Calls into nvmet/target/ that the shim counts instead (shim.c). */
#ifndef _SHIM_NOTIFY_H
#define _SHIM_NOTIFY_H

enum shim_notify {
	SHIM_NOTIFY_PORT_DISC,
	SHIM_NOTIFY_SUBSYS_DISC,
	SHIM_NOTIFY_ALL_DISC,
	SHIM_NOTIFY_CTRLS_DELETE,
	SHIM_NOTIFY_ANA,
	SHIM_NOTIFY_NS,
	SHIM_NOTIFY_ACL_REVOKED,
	SHIM_NOTIFY_NR,
};

extern int shim_notify_calls[SHIM_NOTIFY_NR];

#endif
