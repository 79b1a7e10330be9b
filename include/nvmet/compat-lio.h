/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, LIO target-core (nvmet-lio only): how a fabric has
 * a command run from target-core's submission work queue rather than in
 * its own context.  See include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_LIO_H
#define _NVMET_COMPAT_LIO_H

#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

#include <nvmet/compat.h>

/**
 * nvmet_lio_queue_submission() - submit a prepared command from
 *				  target-core's submission work queue
 * @se_cmd: a command target_submit_prep() accepted
 *
 * 6.1 exports target_queue_submission().  Later kernels queue in
 * target_submit() for a fabric that left default_submit_type at
 * TARGET_FABRIC_DEFAULT_SUBMIT and direct_submit_supp clear, as ours does.
 *
 * Context: process context; the command runs later, elsewhere.
 */
static inline void nvmet_lio_queue_submission(struct se_cmd *se_cmd)
{
#ifdef HAVE_TARGET_QUEUE_SUBMISSION
	target_queue_submission(se_cmd);
#else
	target_submit(se_cmd);
#endif
}

#endif /* _NVMET_COMPAT_LIO_H */
