// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_FREEZE_OWN_TIMEOUT: nvme_wait_freeze_timeout(ctrl) waits
 * the controller's own I/O timeout (7.x); before, it took the timeout
 */
#include "nvme.h"

int nvmet_probe(struct nvme_ctrl *ctrl);
int nvmet_probe(struct nvme_ctrl *ctrl)
{
	return nvme_wait_freeze_timeout(ctrl);
}
