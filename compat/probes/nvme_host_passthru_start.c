// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_PASSTHRU_START: the NVMe host driver exports
 * nvme_passthru_start() and nvme_execute_rq() (6.2); before, only
 * nvme_execute_passthru_rq() did both.  Without it nvmet-ng builds no
 * passthru (our Kbuild, NVMET_NG_PASSTHRU).
 */
#include <linux/blk-mq.h>
#include "nvme.h"

int nvmet_probe(struct nvme_ctrl *ctrl, struct request *rq);
int nvmet_probe(struct nvme_ctrl *ctrl, struct request *rq)
{
	u32 effects = nvme_passthru_start(ctrl, NULL, nvme_admin_identify);

	return nvme_execute_rq(rq, false) + effects;
}
