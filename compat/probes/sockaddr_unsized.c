// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_SOCKADDR_UNSIZED: the socket calls that take an address and its
 * length (kernel_bind()) take a struct sockaddr_unsized (7.x); before, a
 * struct sockaddr
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/net.h>

static_assert(__same_type(&kernel_bind,
			  int (*)(struct socket *, struct sockaddr_unsized *,
				  int)));
