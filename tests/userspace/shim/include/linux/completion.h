/* SPDX-License-Identifier: GPL-2.0-only */
/* struct completion: a flag and a yielding wait. */
#ifndef _SHIM_LINUX_COMPLETION_H
#define _SHIM_LINUX_COMPLETION_H

#include <sched.h>
#include <stdbool.h>

struct completion {
	int done;
};

static inline void init_completion(struct completion *c)
{
	__atomic_store_n(&c->done, 0, __ATOMIC_RELEASE);
}

static inline void complete(struct completion *c)
{
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

static inline void wait_for_completion(struct completion *c)
{
	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE))
		sched_yield();
}

#endif
