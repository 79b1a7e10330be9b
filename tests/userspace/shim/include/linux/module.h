/* SPDX-License-Identifier: GPL-2.0-only */
/* Modules do not exist here: pinning always works, loading never does. */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <stdbool.h>
#include <linux/export.h>

struct module;

#define THIS_MODULE		((struct module *)0)
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define MODULE_ALIAS(x)
#define module_init(x)
#define module_exit(x)

static inline bool try_module_get(struct module *m)
{
	return true;
}

static inline void module_put(struct module *m)
{
}

#endif
