// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_ADD_CTRL: nvme_add_ctrl(), which registers the controller
 * after nvme_init_ctrl() (not in 6.1: nvme_init_ctrl() registers it)
 */
#include "nvme.h"

int nvmet_probe(struct nvme_ctrl *ctrl);
int nvmet_probe(struct nvme_ctrl *ctrl)
{
	return nvme_add_ctrl(ctrl);
}
