/* SPDX-License-Identifier: GPL-2.0-only */
/* request_module() counts its calls and finds nothing. */
#ifndef _SHIM_LINUX_KMOD_H
#define _SHIM_LINUX_KMOD_H

#include <errno.h>

extern int shim_request_module_calls;

#define request_module(...)	(shim_request_module_calls++, -ENOENT)

#endif
