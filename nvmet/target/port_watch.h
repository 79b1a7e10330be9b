/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The port watch (port_watch.c): ports waiting for their IP address.
 */
#ifndef _NVMET_TARGET_PORT_WATCH_H
#define _NVMET_TARGET_PORT_WATCH_H

#if IS_ENABLED(CONFIG_INET)
int nvmet_port_watch_init(void);
void nvmet_port_watch_exit(void);
#else
static inline int nvmet_port_watch_init(void)
{
	return 0;
}

static inline void nvmet_port_watch_exit(void)
{
}
#endif

#endif /* _NVMET_TARGET_PORT_WATCH_H */
