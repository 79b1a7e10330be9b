// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_GET_VIRT_BOUNDARY: nvme_ctrl_ops.get_virt_boundary(),
 * which 7.x's core calls unconditionally (not in 6.1 and 6.12)
 */
#include "nvme.h"
#include "fabrics.h"

unsigned long nvmet_probe(struct nvme_ctrl *ctrl);
unsigned long nvmet_probe(struct nvme_ctrl *ctrl)
{
	return ctrl->ops->get_virt_boundary(ctrl, true) +
	       nvmf_get_virt_boundary(ctrl, true);
}
