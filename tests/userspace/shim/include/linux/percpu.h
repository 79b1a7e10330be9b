/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU allocations as one copy from the counted kzalloc(), so leak
 * checks and failure injection see them like any other allocation.
 */
#ifndef _SHIM_LINUX_PERCPU_H
#define _SHIM_LINUX_PERCPU_H

#include <linux/compiler.h>
#include <linux/slab.h>

#define alloc_percpu(type)	((type __percpu *)kzalloc(sizeof(type), GFP_KERNEL))
#define free_percpu(p)		kfree(p)

#endif
