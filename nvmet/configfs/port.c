// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/ports/: placeholder until the port glue lands.
 */
#include <linux/module.h>

#include "configfs.h"

const struct config_item_type nvmet_ports_type = {
	.ct_owner	= THIS_MODULE,
};
