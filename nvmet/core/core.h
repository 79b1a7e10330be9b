/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces between the files of nvmet/core/.
 */
#ifndef _NVMET_CORE_CORE_H
#define _NVMET_CORE_CORE_H

#include <nvmet/nvmet.h>

void nvmet_obj_created(enum nvmet_obj_type type);
void nvmet_obj_released(enum nvmet_obj_type type);

void nvmet_host_registry_init(void);
void nvmet_host_registry_exit(void);
struct nvmet_host *__nvmet_host_lookup(const char *nqn);

void nvmet_subsys_registry_init(void);
void nvmet_subsys_registry_exit(void);
struct nvmet_subsys *__nvmet_subsys_lookup(const char *nqn);

void nvmet_port_registry_init(void);
void nvmet_port_registry_exit(void);

int nvmet_ns_id_hold(struct nvmet_subsys *subsys, u32 nsid);
void nvmet_ns_id_drop(struct nvmet_subsys *subsys, u32 nsid);

#endif /* _NVMET_CORE_CORE_H */
