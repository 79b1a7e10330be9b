/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, the NVMe host's private interface (nvme-loop only:
 * "nvme.h" and "fabrics.h" of drivers/nvme/host, NVME_HOST_SRC).  See
 * include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_NVME_HOST_H
#define _NVMET_COMPAT_NVME_HOST_H

#include <linux/cpumask.h>
#include <linux/minmax.h>

#include "nvme.h"
#include "fabrics.h"

#include <nvmet/compat.h>

#ifndef HAVE_NVME_HOST_QUIESCE
static inline void nvme_quiesce_admin_queue(struct nvme_ctrl *ctrl)
{
	nvme_stop_admin_queue(ctrl);
}

static inline void nvme_unquiesce_admin_queue(struct nvme_ctrl *ctrl)
{
	nvme_start_admin_queue(ctrl);
}

static inline void nvme_quiesce_io_queues(struct nvme_ctrl *ctrl)
{
	nvme_stop_queues(ctrl);
}

static inline void nvme_unquiesce_io_queues(struct nvme_ctrl *ctrl)
{
	nvme_start_queues(ctrl);
}
#endif

#ifndef HAVE_NVME_HOST_ADD_CTRL
/* nvme_init_ctrl() registered the controller already. */
static inline int nvme_add_ctrl(struct nvme_ctrl *ctrl)
{
	return 0;
}
#endif

#ifndef HAVE_NVME_HOST_NR_IO_QUEUES
/* The I/O queues @opts asks for, each kind at most one a CPU. */
static inline unsigned int nvmf_nr_io_queues(struct nvmf_ctrl_options *opts)
{
	return min(opts->nr_io_queues, num_online_cpus()) +
	       min(opts->nr_write_queues, num_online_cpus()) +
	       min(opts->nr_poll_queues, num_online_cpus());
}
#endif

/*
 * NVMET_NVMF_VIRT_BOUNDARY: the nvme_ctrl_ops member that 7.x's core calls
 * for the queue limits' virtual boundary (none on a fabric); older
 * kernels have no such member.
 */
#ifdef HAVE_NVME_HOST_GET_VIRT_BOUNDARY
#define NVMET_NVMF_VIRT_BOUNDARY	.get_virt_boundary = nvmf_get_virt_boundary,
#else
#define NVMET_NVMF_VIRT_BOUNDARY
#endif

/* nvme_init_ctrl_finish() of a controller that was not suspended. */
static inline int nvmet_nvme_init_ctrl_finish(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_HOST_INIT_FINISH_SUSPENDED
	return nvme_init_ctrl_finish(ctrl, false);
#else
	return nvme_init_ctrl_finish(ctrl);
#endif
}

/* Disable @ctrl (CC.EN = 0), or with @shutdown, shut it down (CC.SHN). */
static inline int nvmet_nvme_disable_ctrl(struct nvme_ctrl *ctrl,
					  bool shutdown)
{
#ifdef HAVE_NVME_HOST_DISABLE_SHUTDOWN
	return nvme_disable_ctrl(ctrl, shutdown);
#else
	return shutdown ? nvme_shutdown_ctrl(ctrl) : nvme_disable_ctrl(ctrl);
#endif
}

/*
 * Wait for @ctrl's queues to freeze, at most its I/O timeout (where the
 * kernel does not keep one per controller, the default, NVME_IO_TIMEOUT).
 * Return: nonzero if they froze in time.
 */
static inline int nvmet_nvme_wait_freeze_timeout(struct nvme_ctrl *ctrl)
{
#ifdef HAVE_NVME_HOST_FREEZE_OWN_TIMEOUT
	return nvme_wait_freeze_timeout(ctrl);
#else
	return nvme_wait_freeze_timeout(ctrl, NVME_IO_TIMEOUT);
#endif
}

#endif /* _NVMET_COMPAT_NVME_HOST_H */
