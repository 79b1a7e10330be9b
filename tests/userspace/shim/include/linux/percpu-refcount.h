/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * percpu_ref as one atomic counter whose top bit says "dead": tryget_live
 * fails once the bit is set, and the release runs when the count of a
 * dead ref reaches zero.
 */
#ifndef _SHIM_LINUX_PERCPU_REFCOUNT_H
#define _SHIM_LINUX_PERCPU_REFCOUNT_H

#include <stdbool.h>
#include <linux/types.h>

struct percpu_ref;
typedef void (percpu_ref_func_t)(struct percpu_ref *);

struct percpu_ref {
	unsigned long count;
	percpu_ref_func_t *release;
};

#define SHIM_PCPU_DEAD	(1UL << 62)

static inline int percpu_ref_init(struct percpu_ref *ref,
				  percpu_ref_func_t *release,
				  unsigned int flags, gfp_t gfp)
{
	__atomic_store_n(&ref->count, 1, __ATOMIC_RELEASE);
	ref->release = release;
	return 0;
}

static inline void percpu_ref_exit(struct percpu_ref *ref)
{
}

static inline bool percpu_ref_tryget_live(struct percpu_ref *ref)
{
	unsigned long c = __atomic_load_n(&ref->count, __ATOMIC_ACQUIRE);

	do {
		if (c & SHIM_PCPU_DEAD)
			return false;
	} while (!__atomic_compare_exchange_n(&ref->count, &c, c + 1, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return true;
}

static inline void percpu_ref_put(struct percpu_ref *ref)
{
	if (__atomic_sub_fetch(&ref->count, 1, __ATOMIC_ACQ_REL) ==
	    SHIM_PCPU_DEAD)
		ref->release(ref);
}

static inline void percpu_ref_kill(struct percpu_ref *ref)
{
	unsigned long c = __atomic_load_n(&ref->count, __ATOMIC_ACQUIRE);
	unsigned long n;

	do {
		n = (c | SHIM_PCPU_DEAD) - 1;
	} while (!__atomic_compare_exchange_n(&ref->count, &c, n, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	if (n == SHIM_PCPU_DEAD)
		ref->release(ref);
}

#endif
