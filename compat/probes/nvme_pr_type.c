// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_PR_TYPE: <linux/nvme.h> names the NVMe reservation types
 * (enum nvme_pr_type, 6.5; 6.1's host kept its own mapping from pr_type)
 */
#include <linux/nvme.h>

int nvmet_probe(void);
int nvmet_probe(void)
{
	return NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS;
}
