/* SPDX-License-Identifier: GPL-2.0-only */
/* struct kref on __atomic builtins, which TSan understands. */
#ifndef _SHIM_LINUX_KREF_H
#define _SHIM_LINUX_KREF_H

#include <stdbool.h>
#include <linux/bug.h>
#include <linux/atomic.h>

struct kref {
	unsigned int refcount;
};

static inline void kref_init(struct kref *kref)
{
	__atomic_store_n(&kref->refcount, 1, __ATOMIC_RELAXED);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);
}

static inline void kref_get(struct kref *kref)
{
	WARN_ON(__atomic_fetch_add(&kref->refcount, 1, __ATOMIC_RELAXED) == 0);
}

static inline bool kref_get_unless_zero(struct kref *kref)
{
	unsigned int old = __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&kref->refcount, &old, old + 1,
					      false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

static inline int kref_put(struct kref *kref,
			   void (*release)(struct kref *kref))
{
	unsigned int old = __atomic_fetch_sub(&kref->refcount, 1,
					      __ATOMIC_ACQ_REL);

	WARN_ON(old == 0);
	if (old == 1) {
		release(kref);
		return 1;
	}
	return 0;
}

#endif
