/* SPDX-License-Identifier: GPL-2.0-only */
/* printk on stderr.  Tests set shim_quiet to hide expected errors. */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <stdio.h>

extern int shim_quiet;

#define printk(...) do {						\
	if (!shim_quiet)						\
		fprintf(stderr, __VA_ARGS__);				\
} while (0)
#undef pr_err
#undef pr_warn
#undef pr_info
#undef pr_debug
#undef pr_notice
#define pr_err(...)	printk(__VA_ARGS__)
#define pr_warn(...)	printk(__VA_ARGS__)
#define pr_notice(...)	printk(__VA_ARGS__)
#define pr_info(...)	printk(__VA_ARGS__)
#define pr_debug(...)	do { } while (0)
/* No rate limit: a test sees every message. */
#define pr_err_ratelimited(...)		pr_err(__VA_ARGS__)
#define pr_warn_ratelimited(...)	pr_warn(__VA_ARGS__)

#endif
