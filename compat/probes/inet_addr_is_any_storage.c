// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_INET_ADDR_IS_ANY_STORAGE: inet_addr_is_any() takes a struct
 * sockaddr_storage (7.x); before, a struct sockaddr
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/inet.h>

static_assert(__same_type(&inet_addr_is_any,
			  bool (*)(struct sockaddr_storage *)));
