// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_TARGET_CORE_FABRIC_H: the kernel's headers carry LIO's fabric API
 * (include/target/), with the calls nvmet-lio makes.  Without it, or
 * without CONFIG_TARGET_CORE, nvmet-lio is not built (nvmet/Makefile).
 */
#include <target/target_core_backend.h>
#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

int nvmet_probe(struct se_cmd *cmd, struct se_session *sess, void *sg);
int nvmet_probe(struct se_cmd *cmd, struct se_session *sess, void *sg)
{
	if (target_init_cmd(cmd, sess, NULL, 0, 0, TCM_SIMPLE_TAG, 0, 0))
		return 1;
	return target_submit_prep(cmd, NULL, sg, 1, NULL, 0, NULL, 0,
				  GFP_NOIO);
}
