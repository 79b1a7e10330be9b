// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_WQ_PERCPU: the WQ_PERCPU workqueue flag (7.x; 6.12 has it from
 * stable, 6.1 not).  7.x warns on a workqueue with neither it nor
 * WQ_UNBOUND; without the flag, per-CPU is what naming neither means.
 */
#include <linux/workqueue.h>

unsigned int nvmet_probe(void);
unsigned int nvmet_probe(void)
{
	return WQ_PERCPU;
}
