/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lockdep_assert_held() and lockdep_is_held() on a struct mutex check that
 * the calling thread owns it (abort otherwise).  On a spinlock_t (a plain
 * pthread mutex in the tools headers, e.g. an xarray's xa_lock) they check
 * nothing.  No lock-order checking: see the KUnit lane.
 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/mutex.h>
#include <linux/spinlock.h>

struct lock_class_key {
	int unused;
};

static inline bool shim_spin_held(const void *lock)
{
	return true;
}

#define lockdep_is_held(l) _Generic((l),				\
	struct mutex *: shim_mutex_held,				\
	const struct mutex *: shim_mutex_held,				\
	default: shim_spin_held)(l)

void shim_lock_not_held(const char *file, int line, const char *what);

#define lockdep_assert_held(l) do {					\
	if (!lockdep_is_held(l))					\
		shim_lock_not_held(__FILE__, __LINE__, #l);		\
} while (0)
#define lockdep_assert_not_held(l)	do { } while (0)
#define lockdep_set_class(l, k)		do { } while (0)
#define might_lock(l)			do { } while (0)

#endif
