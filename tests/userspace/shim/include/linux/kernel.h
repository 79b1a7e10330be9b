/* SPDX-License-Identifier: GPL-2.0-only */
/* The tools kernel.h plus printk levels and the sparse annotations. */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include_next <linux/kernel.h>
#undef synchronize_rcu
#include <stdio.h>
#include <linux/bug.h>
#include <linux/printk.h>

#ifndef __must_hold
#define __must_hold(x)
#endif
#ifndef __acquires
#define __acquires(x)
#endif
#ifndef __releases
#define __releases(x)
#endif
#define __cond_acquires(x)

#define might_sleep()		do { } while (0)
#define cond_resched()		do { } while (0)
#define U8_MAX			((u8)~0U)
#define PAGE_SIZE		4096

#endif
