// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_TARGET_QUEUE_SUBMISSION: target-core exports
 * target_queue_submission() (6.1).  From 6.10 it does not: target_submit()
 * queues the command itself unless the fabric and the backstore chose
 * direct submission (default_submit_type, direct_submit_supp).
 */
#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

void nvmet_probe(struct se_cmd *cmd);
void nvmet_probe(struct se_cmd *cmd)
{
	target_queue_submission(cmd);
}
