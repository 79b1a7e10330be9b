/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _NVMET_DEBUGFS_H
#define _NVMET_DEBUGFS_H

void nvmet_debugfs_init(void);
void nvmet_debugfs_exit(void);

#endif /* _NVMET_DEBUGFS_H */
