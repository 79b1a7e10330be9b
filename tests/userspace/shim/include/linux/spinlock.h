/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spinlock_t is the tools' pthread mutex, but holding one is also an RCU
 * read-side critical section, as a preemption-disabled region is in the
 * kernel.  lib/xarray.c relies on that: xas_delete_node() queues a node
 * for freeing with call_rcu() before it unlinks it, under xa_lock, and no
 * grace period may end in between.  Sleeping under a spinlock is not
 * caught here (DEBUG_ATOMIC_SLEEP in the KUnit lane is).
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include_next <linux/spinlock.h>

void shim_spin_lock(pthread_mutex_t *lock);
void shim_spin_unlock(pthread_mutex_t *lock);

#undef spin_lock
#undef spin_unlock
#undef spin_lock_bh
#undef spin_unlock_bh
#undef spin_lock_irq
#undef spin_unlock_irq
#undef spin_lock_irqsave
#undef spin_unlock_irqrestore
#undef spin_lock_nested
#define spin_lock(x)			shim_spin_lock(x)
#define spin_unlock(x)			shim_spin_unlock(x)
#define spin_lock_nested(x, subclass)	shim_spin_lock(x)
#define spin_lock_bh(x)			shim_spin_lock(x)
#define spin_unlock_bh(x)		shim_spin_unlock(x)
#define spin_lock_irq(x)		shim_spin_lock(x)
#define spin_unlock_irq(x)		shim_spin_unlock(x)
#define spin_lock_irqsave(x, f)		((void)(f), shim_spin_lock(x))
#define spin_unlock_irqrestore(x, f)	((void)(f), shim_spin_unlock(x))

#endif
