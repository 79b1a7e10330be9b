// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_COND_ACQUIRES_RET: __cond_acquires(ret, lock) of the lock context
 * analysis (7.x); before, __cond_acquires(lock)
 */
#include <linux/compiler.h>
#include <linux/mutex.h>

int nvmet_probe(struct mutex *m) __cond_acquires(0, m);
