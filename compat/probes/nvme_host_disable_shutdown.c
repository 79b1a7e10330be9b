// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_DISABLE_SHUTDOWN: nvme_disable_ctrl(ctrl, shutdown) (6.1:
 * nvme_disable_ctrl(ctrl) and nvme_shutdown_ctrl(ctrl))
 */
#include "nvme.h"

int nvmet_probe(struct nvme_ctrl *ctrl);
int nvmet_probe(struct nvme_ctrl *ctrl)
{
	return nvme_disable_ctrl(ctrl, true);
}
