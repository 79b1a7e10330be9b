/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's own include/linux/nvme.h: wire formats and constants. */
#ifndef _SHIM_LINUX_NVME_H
#define _SHIM_LINUX_NVME_H

#include <linux/types.h>

#ifndef struct_group
#define struct_group(NAME, MEMBERS...)					\
	union {								\
		struct { MEMBERS };					\
		struct { MEMBERS } NAME;				\
	}
#endif

#include KERNEL_NVME_H

#endif
