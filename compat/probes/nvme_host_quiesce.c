// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_QUIESCE: the NVMe host's nvme_quiesce_admin_queue() and
 * nvme_quiesce_io_queues() (not in 6.1: nvme_stop_admin_queue(),
 * nvme_stop_queues()), with their unquiesce pairs
 */
#include "nvme.h"

void nvmet_probe(struct nvme_ctrl *ctrl);
void nvmet_probe(struct nvme_ctrl *ctrl)
{
	nvme_quiesce_admin_queue(ctrl);
	nvme_quiesce_io_queues(ctrl);
	nvme_unquiesce_io_queues(ctrl);
	nvme_unquiesce_admin_queue(ctrl);
}
