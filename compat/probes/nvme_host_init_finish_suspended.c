// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_INIT_FINISH_SUSPENDED: nvme_init_ctrl_finish(ctrl,
 * was_suspended) (6.1: nvme_init_ctrl_finish(ctrl))
 */
#include "nvme.h"

int nvmet_probe(struct nvme_ctrl *ctrl);
int nvmet_probe(struct nvme_ctrl *ctrl)
{
	return nvme_init_ctrl_finish(ctrl, false);
}
