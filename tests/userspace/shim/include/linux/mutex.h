/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct mutex on a pthread mutex that records its owner, so that
 * lockdep_assert_held() and rcu_dereference_protected(p,
 * lockdep_is_held(&m)) check for real.  Lock order is not checked here:
 * that is lockdep's job in the KUnit lane.
 */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <pthread.h>
#include <stdbool.h>

struct mutex {
	pthread_mutex_t m;
	pthread_t owner;	/* valid while held is set */
	int held;		/* written by the owner, under m */
};

#define __MUTEX_INITIALIZER(name) { .m = PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)

void mutex_init(struct mutex *lock);
void mutex_destroy(struct mutex *lock);
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool shim_mutex_held(const struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);

#define mutex_lock_nested(lock, subclass)	mutex_lock(lock)

#endif
