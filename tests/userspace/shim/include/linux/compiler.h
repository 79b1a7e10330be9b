/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tools compiler.h.  Under TSan, READ_ONCE()/WRITE_ONCE() become
 * relaxed atomics: the kernel treats them as marked accesses (KCSAN does
 * not report them), and TSan must see them the same way.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include_next <linux/compiler.h>

/* Per-CPU data is one copy here (linux/percpu.h). */
#ifndef __percpu
#define __percpu
#endif

#ifdef SHIM_TSAN
#undef READ_ONCE
#undef WRITE_ONCE
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#endif

#endif
