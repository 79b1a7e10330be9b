// SPDX-License-Identifier: GPL-2.0-only
/*
 * Start and stop the core's registries.
 */
#include <linux/export.h>

#include "core.h"

/**
 * nvmet_core_init() - set up the registries
 *
 * Context: Process context, module init.
 * Return: 0.
 */
int nvmet_core_init(void)
{
	nvmet_host_registry_init();
	nvmet_subsys_registry_init();
	nvmet_port_registry_init();
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_core_init);

/**
 * nvmet_core_exit() - tear down the registries, which must be empty
 *
 * Waits for RCU callbacks so that every object freed with kfree_rcu() is
 * gone before the module text is.
 *
 * Context: Process context, module exit.
 */
void nvmet_core_exit(void)
{
	nvmet_port_registry_exit();
	nvmet_subsys_registry_exit();
	nvmet_host_registry_exit();
	rcu_barrier();
}
EXPORT_SYMBOL_GPL(nvmet_core_exit);
