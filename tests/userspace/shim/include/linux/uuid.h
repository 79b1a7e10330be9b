/* SPDX-License-Identifier: GPL-2.0-only */
/* The UUID types include/linux/nvme.h needs. */
#ifndef _SHIM_LINUX_UUID_H
#define _SHIM_LINUX_UUID_H

#include <linux/types.h>

#define UUID_SIZE 16

typedef struct {
	__u8 b[UUID_SIZE];
} uuid_t;

typedef struct {
	__u8 b[UUID_SIZE];
} guid_t;

void uuid_gen(uuid_t *u);

#endif
