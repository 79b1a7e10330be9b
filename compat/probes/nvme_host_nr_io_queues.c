// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_HOST_NR_IO_QUEUES: nvmf_nr_io_queues() of the fabrics host
 * (not in 6.1)
 */
#include "nvme.h"
#include "fabrics.h"

unsigned int nvmet_probe(struct nvmf_ctrl_options *opts);
unsigned int nvmet_probe(struct nvmf_ctrl_options *opts)
{
	return nvmf_nr_io_queues(opts);
}
