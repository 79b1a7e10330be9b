/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Passthru subsystems: an NVMe controller of this machine (the Linux NVMe
 * host driver's /dev/nvmeN) behind a subsystem (nvmet/target/passthru.c).
 * Built where the kernel exports the host driver's passthrough interface
 * (CONFIG_NVME_TARGET_PASSTHRU) and its private headers are at hand
 * (NVME_HOST_SRC): our Kbuild then defines NVMET_NG_PASSTHRU.  Elsewhere
 * the stubs below refuse to enable one.
 *
 * Documentation/design.md, "Passthru subsystems".
 */
#ifndef _NVMET_PASSTHRU_H
#define _NVMET_PASSTHRU_H

#include <linux/errno.h>
#include <linux/nvme.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>

#include <nvmet/nvmet.h>

struct nvmet_ctrl;
struct nvmet_req;

/* Does @subsys pass a controller through?  Any context, no lock. */
static inline bool nvmet_subsys_is_passthru(struct nvmet_subsys *subsys)
{
	return rcu_access_pointer(subsys->passthru);
}

#ifdef NVMET_NG_PASSTHRU
int nvmet_passthru_enable(struct nvmet_subsys *subsys, const char *path);
void nvmet_passthru_disable(struct nvmet_subsys *subsys);
void nvmet_passthru_ctrl_init(struct nvmet_ctrl *ctrl);
u16 nvmet_passthru_parse_admin_cmd(struct nvmet_req *req);
u16 nvmet_passthru_parse_io_cmd(struct nvmet_req *req);
#else
static inline int nvmet_passthru_enable(struct nvmet_subsys *subsys,
					const char *path)
{
	pr_err("nvmet: subsystem %s: passthru is not built for this kernel\n",
	       subsys->nqn);
	return -EOPNOTSUPP;
}

static inline void nvmet_passthru_disable(struct nvmet_subsys *subsys)
{
}

static inline void nvmet_passthru_ctrl_init(struct nvmet_ctrl *ctrl)
{
}

static inline u16 nvmet_passthru_parse_admin_cmd(struct nvmet_req *req)
{
	return NVME_SC_INTERNAL | NVME_STATUS_DNR;
}

static inline u16 nvmet_passthru_parse_io_cmd(struct nvmet_req *req)
{
	return NVME_SC_INTERNAL | NVME_STATUS_DNR;
}
#endif

#endif /* _NVMET_PASSTHRU_H */
