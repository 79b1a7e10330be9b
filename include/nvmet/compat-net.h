/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, networking.  See include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_NET_H
#define _NVMET_COMPAT_NET_H

#include <linux/inet.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/socket.h>

#include <nvmet/compat.h>

/**
 * nvmet_inet_addr_is_any() - is @addr the wildcard address of its family
 * @addr: an IPv4 or IPv6 address
 *
 * Context: any.
 * Return: true for INADDR_ANY and in6addr_any.
 */
static inline bool nvmet_inet_addr_is_any(struct sockaddr_storage *addr)
{
#ifdef HAVE_INET_ADDR_IS_ANY_STORAGE
	return inet_addr_is_any(addr);
#else
	return inet_addr_is_any((struct sockaddr *)addr);
#endif
}

/**
 * nvmet_kernel_bind() - kernel_bind() to a socket address of any family
 * @sock: the socket
 * @addr: its address
 *
 * Context: process context.
 * Return: 0 or a negative errno, as kernel_bind().
 */
static inline int nvmet_kernel_bind(struct socket *sock,
				    struct sockaddr_storage *addr)
{
#ifdef HAVE_SOCKADDR_UNSIZED
	return kernel_bind(sock, (struct sockaddr_unsized *)addr, sizeof(*addr));
#else
	return kernel_bind(sock, (struct sockaddr *)addr, sizeof(*addr));
#endif
}

#ifndef HAVE_SENDPAGES_OK
/*
 * sendpage_ok() over the pages of the @len bytes at @offset from @page, as
 * the kernels that have it define it.
 */
static inline bool sendpages_ok(struct page *page, size_t len, size_t offset)
{
	size_t step;

	page += offset >> PAGE_SHIFT;
	offset &= ~PAGE_MASK;
	while (len) {
		if (!sendpage_ok(page))
			return false;
		step = min_t(size_t, len, PAGE_SIZE - offset);
		len -= step;
		offset = 0;
		page++;
	}
	return true;
}
#endif

#endif /* _NVMET_COMPAT_NET_H */
