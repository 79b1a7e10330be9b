/* SPDX-License-Identifier: GPL-2.0-only */
/* The backends built into nvmet.ko, registered from its init. */
#ifndef _NVMET_BACKENDS_H
#define _NVMET_BACKENDS_H

int nvmet_bdev_backend_init(void);
void nvmet_bdev_backend_exit(void);
int nvmet_file_backend_init(void);
void nvmet_file_backend_exit(void);

#endif /* _NVMET_BACKENDS_H */
