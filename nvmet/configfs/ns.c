// SPDX-License-Identifier: GPL-2.0-only
/*
 * subsystems/<NQN>/namespaces/: placeholder until the namespace glue lands.
 */
#include <linux/module.h>

#include "configfs.h"

const struct config_item_type nvmet_namespaces_type = {
	.ct_owner	= THIS_MODULE,
};
