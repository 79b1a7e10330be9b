/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RCU for the userspace lane, in two models.
 *
 * Default (ASan build): liburcu's memb flavour.  rcu_read_lock() also
 * counts its nesting per thread, so rcu_read_lock_held() and
 * RCU_LOCKDEP_WARN() mean something.  Every thread that reads must call
 * rcu_register_thread().
 *
 * SHIM_TSAN: liburcu's barriers are inline assembly TSan cannot see, so
 * readers take a global rwlock for reading and synchronize_rcu() takes it
 * for writing; publish and subscribe are release stores and acquire
 * loads.  call_rcu() callbacks run on a worker thread after a grace
 * period.  This is stricter than real RCU (writers wait for readers), so
 * it finds use-after-free races but not missing read-side sections that
 * only the weaker model would expose.
 *
 * rcu_dereference_protected(p, c) aborts when c is false.
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>

#ifndef SHIM_TSAN
#include <urcu.h>
#undef rcu_read_lock
#undef rcu_read_unlock
#undef rcu_dereference
#undef rcu_assign_pointer
#undef synchronize_rcu
#undef call_rcu
#undef rcu_barrier
#else
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
void rcu_register_thread(void);
void rcu_unregister_thread(void);
#endif

void rcu_read_lock(void);
void rcu_read_unlock(void);
bool rcu_read_lock_held(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void rcu_barrier(void);
void shim_kfree_rcu(void *base);
void shim_rcu_check(bool cond, const char *file, int line, const char *what);

#define __rcu

#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference_raw(p) rcu_dereference(p)
#define rcu_dereference_check(p, c) ({					\
	shim_rcu_check(rcu_read_lock_held() || (c), __FILE__, __LINE__,	\
		       #c);						\
	rcu_dereference(p);						\
})
/*
 * The kernel may move an already-published pointer with a plain load and
 * RCU_INIT_POINTER() (lib/xarray.c's xas_shrink() does): fine under the
 * kernel memory model, a broken release/acquire chain under C11.  Acquire
 * and release here keep the chain, so TSan sees what the kernel relies on.
 */
#define rcu_dereference_protected(p, c) ({				\
	shim_rcu_check(c, __FILE__, __LINE__, #c);			\
	__atomic_load_n(&(p), __ATOMIC_ACQUIRE);			\
})
#define rcu_access_pointer(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define rcu_replace_pointer(p, v, c) ({					\
	typeof(p) __old = rcu_dereference_protected(p, c);		\
	rcu_assign_pointer(p, v);					\
	__old;								\
})
#define RCU_LOCKDEP_WARN(c, s) do {					\
	if (c)								\
		shim_rcu_check(false, __FILE__, __LINE__, s);		\
} while (0)
#define RCU_POINTER_INITIALIZER(p, v)	.p = (v)

/* Frees the object after a grace period; @ptr's type has @field. */
#define kfree_rcu(ptr, field) shim_kfree_rcu(ptr)

#endif
