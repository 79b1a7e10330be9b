/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, the kernel library: include this instead of
 * <linux/unaligned.h> or <linux/hex.h>, which moved, and for
 * timer_container_of(), which was from_timer() before 7.x (a macro: it
 * needs no probe), for the driver core's const struct class, and for
 * WQ_PERCPU, which 7.x wants on every per-CPU workqueue.  See
 * include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_LIB_H
#define _NVMET_COMPAT_LIB_H

#include <nvmet/compat.h>

#ifdef HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#ifdef HAVE_LINUX_HEX_H
#include <linux/hex.h>
#else
#include <linux/kernel.h>
#endif

/*
 * nvmet_class_const: what a struct class of ours is declared with, const
 * where the driver core takes it so.
 */
#ifdef HAVE_CONST_CLASS
#define nvmet_class_const	const
#else
#define nvmet_class_const
#endif

/*
 * WQ_PERCPU: what a per-CPU workqueue is allocated with.  7.x warns on a
 * workqueue that names neither WQ_PERCPU nor WQ_UNBOUND; before the flag
 * existed, naming neither meant per-CPU.
 */
#include <linux/workqueue.h>
#ifndef HAVE_WQ_PERCPU
#define WQ_PERCPU	0
#endif

#include <linux/timer.h>
#ifndef timer_container_of
#define timer_container_of(var, timer, field)	from_timer(var, timer, field)
#endif

#ifndef HAVE_NVME_PR_TYPE
/* The reservation types of NVMe (RTYPE), as newer <linux/nvme.h> names them. */
enum nvme_pr_type {
	NVME_PR_WRITE_EXCLUSIVE			= 1,
	NVME_PR_EXCLUSIVE_ACCESS		= 2,
	NVME_PR_WRITE_EXCLUSIVE_REG_ONLY	= 3,
	NVME_PR_EXCLUSIVE_ACCESS_REG_ONLY	= 4,
	NVME_PR_WRITE_EXCLUSIVE_ALL_REGS	= 5,
	NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS	= 6,
};
#endif

#endif /* _NVMET_COMPAT_LIB_H */
