/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _NVMET_DEBUGFS_H
#define _NVMET_DEBUGFS_H

struct nvmet_ctrl;

void nvmet_debugfs_init(void);
void nvmet_debugfs_exit(void);
void nvmet_debugfs_ctrl_add(struct nvmet_ctrl *ctrl);
void nvmet_debugfs_ctrl_remove(struct nvmet_ctrl *ctrl);

#endif /* _NVMET_DEBUGFS_H */
