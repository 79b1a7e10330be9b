/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny test framework for the userspace lane.  A program is a list of
 * check_<feature>() cases run by RUN_CASE(); CHECK() records a failed
 * expectation with its file and line and the case goes on.  TEST_MAIN()
 * registers the thread with RCU, runs the cases, waits for RCU callbacks,
 * and fails the program on a failed case, a WARN_ON, or a leaked
 * allocation.  The last line is "<prog>: N passed, N failed".
 */
#ifndef _NVMET_TEST_H
#define _NVMET_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <shim_notify.h>

extern int shim_warnings;
extern int shim_quiet;

static int test_case_failed, test_passed, test_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,	\
			__LINE__, #cond);				\
		test_case_failed = 1;					\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", \
			__FILE__, __LINE__, #a, __a, #b, __b);		\
		test_case_failed = 1;					\
	}								\
} while (0)

static inline void run_case(const char *name, void (*fn)(void))
{
	int warnings = shim_warnings;

	test_case_failed = 0;
	fn();
	if (shim_warnings != warnings) {
		fprintf(stderr, "%s: WARN_ON fired\n", name);
		test_case_failed = 1;
	}
	if (test_case_failed) {
		printf("not ok - %s\n", name);
		test_failed++;
	} else {
		printf("ok - %s\n", name);
		test_passed++;
	}
}

#define RUN_CASE(fn)	run_case(#fn, fn)

static inline int test_finish(const char *prog)
{
	long leaked;

	rcu_barrier();
	leaked = shim_nr_allocated();
	if (leaked) {
		printf("not ok - %s: %ld allocations leaked\n", prog, leaked);
		test_failed++;
	}
	printf("%s: %d passed, %d failed\n", prog, test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#define TEST_MAIN(prog, body)						\
int main(void)								\
{									\
	int ret;							\
	rcu_register_thread();						\
	body;								\
	ret = test_finish(prog);					\
	rcu_unregister_thread();					\
	return ret;							\
}

#endif
