// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVMET_FC_HOST_TRADDR: the FC target template's host_traddr(), the
 * LLDD's names of a host port (6.12; not in 6.1)
 */
#include <linux/nvme.h>
/* nvme-fc.h first: it brings struct fc_ba_rjt, which the driver API uses */
#include <linux/nvme-fc.h>
#include <linux/nvme-fc-driver.h>

static int nvmet_probe_traddr(void *handle, u64 *wwnn, u64 *wwpn)
{
	return 0;
}

struct nvmet_fc_target_template nvmet_probe = {
	.host_traddr = nvmet_probe_traddr,
};
