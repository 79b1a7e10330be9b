/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * WARN_ON() and friends print where they fired and mark the run failed
 * (shim_warnings); BUG_ON() aborts.  A test program exits non-zero when
 * shim_warnings is set.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>

extern int shim_warnings;
void shim_warn(const char *file, int line, const char *cond);

#undef WARN_ON
#undef WARN_ON_ONCE
#undef WARN
#undef WARN_ONCE
#undef BUG_ON
#undef BUG

#define WARN_ON(cond) ({						\
	int __c = !!(cond);						\
	if (__c)							\
		shim_warn(__FILE__, __LINE__, #cond);			\
	__c;								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, ...) ({						\
	int __c = !!(cond);						\
	if (__c) {							\
		fprintf(stderr, __VA_ARGS__);				\
		shim_warn(__FILE__, __LINE__, #cond);			\
	}								\
	__c;								\
})
#define WARN_ONCE(cond, ...)	WARN(cond, __VA_ARGS__)
#define BUG_ON(cond) do {						\
	if (cond) {							\
		fprintf(stderr, "%s:%d: BUG_ON(%s)\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)
#define BUG()			BUG_ON(1)

#endif
