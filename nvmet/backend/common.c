// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the I/O paths of the backends: those built into
 * nvmet.ko, and (the exported ones) backend modules such as nvmet-ram.
 *
 * Conventions:
 * @req: an I/O command on an enabled namespace (req->ns set)
 */
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include <nvmet/req.h>
#include <nvmet/backend.h>
#include "backends.h"

/**
 * nvmet_backend_check_range() - check that LBAs lie inside the storage
 * @req: the command the range comes from
 * @slba: first logical block
 * @nlb: number of logical blocks (not 0's based)
 * @size: bytes of storage the range must fit in
 *
 * For ranges the core has not checked, such as those of a Dataset
 * Management command, or when the storage may have shrunk.
 *
 * Context: Any context.
 * Return: NVME_SC_SUCCESS, or NVME_SC_LBA_RANGE | NVME_STATUS_DNR with
 * req->error_slba set to @slba.
 */
u16 nvmet_backend_check_range(struct nvmet_req *req, u64 slba, u64 nlb,
			      loff_t size)
{
	u64 nr_blocks = (u64)size >> req->ns->blksize_shift;

	if (slba <= nr_blocks && nlb <= nr_blocks - slba)
		return NVME_SC_SUCCESS;
	req->error_slba = slba;
	return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
}
EXPORT_SYMBOL_GPL(nvmet_backend_check_range);

/**
 * nvmet_backend_get_dsm_ranges() - copy the ranges of a DSM command
 * @req: a Dataset Management command
 * @ranges: set to a new array of the ranges, to be freed with kfree()
 * @nr: set to the number of entries in *@ranges
 *
 * Context: Process context; may sleep.
 * Return: NVME_SC_SUCCESS; NVME_SC_INVALID_FIELD | NVME_STATUS_DNR if the
 * command names more than NVME_DSM_MAX_RANGES ranges; NVME_SC_INTERNAL
 * without memory; the status of nvmet_copy_from_sgl() if req->sg is
 * short.  *@ranges and *@nr are untouched on failure.
 */
u16 nvmet_backend_get_dsm_ranges(struct nvmet_req *req,
				 struct nvme_dsm_range **ranges,
				 unsigned int *nr)
{
	u32 n = le32_to_cpu(req->cmd->dsm.nr);
	struct nvme_dsm_range *r;
	u16 status;

	if (n >= NVME_DSM_MAX_RANGES) {
		req->error_loc = offsetof(struct nvme_dsm_cmd, nr);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	n++;
	r = kmalloc_array(n, sizeof(*r), GFP_KERNEL | __GFP_NOWARN);
	if (!r)
		return NVME_SC_INTERNAL;
	status = nvmet_copy_from_sgl(req, 0, r, n * sizeof(*r));
	if (status) {
		kfree(r);
		return status;
	}
	*ranges = r;
	*nr = n;
	return NVME_SC_SUCCESS;
}
EXPORT_SYMBOL_GPL(nvmet_backend_get_dsm_ranges);

/**
 * nvmet_backend_wq_alloc() - give a namespace its own work queue
 * @ns: the namespace being opened
 *
 * Backend work that waits for the device (file I/O, Write Zeroes and
 * deallocation on a block device) runs on it, at most
 * NVMET_BACKEND_WQ_ACTIVE items at once: a hung device ties up this
 * namespace's queue and nothing else, not the controllers' keep-alive
 * nor other namespaces.  WQ_MEM_RECLAIM: the target may serve the
 * machine's own swap or writeback (nvme-loop).
 *
 * Context: Process context; ns->lock held.
 * Return: 0 or -ENOMEM.
 */
int nvmet_backend_wq_alloc(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->backend_wq = alloc_workqueue("nvmet-ns-%u-%u",
					 WQ_UNBOUND | WQ_MEM_RECLAIM,
					 NVMET_BACKEND_WQ_ACTIVE,
					 ns->subsys->id, ns->nsid);
	return ns->backend_wq ? 0 : -ENOMEM;
}

/**
 * nvmet_backend_wq_free() - undo nvmet_backend_wq_alloc()
 * @ns: the namespace being closed, with no command in flight
 *
 * Context: Process context; ns->lock held; waits for the work items to
 * return.
 */
void nvmet_backend_wq_free(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	destroy_workqueue(ns->backend_wq);
	ns->backend_wq = NULL;
}
