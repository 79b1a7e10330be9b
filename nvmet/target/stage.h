/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Commands the core carries out in stages over the backend's rw():
 * Compare, Verify (compare.c) and Copy (copy.c).  Each stage borrows the
 * request: req->cmd points to a Read or Write of the core's own (a
 * Verify's, on a namespace with PI, a Verify of its blocks), req->sg
 * to a bounce buffer of the target's, req->ns to the namespace the stage
 * reads or writes, and req->end_io catches the backend's
 * nvmet_req_complete().  Between the stages, in the command's work item,
 * the host's command, data and namespace are back in place; the request
 * completes once, with them, after nvmet_stage_destroy().
 *
 * Conventions:
 * @st: the stage state of one such command, embedded in the command's
 *	own state, for the command's whole life
 */
#ifndef _NVMET_TARGET_STAGE_H
#define _NVMET_TARGET_STAGE_H

#include <linux/nvme.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

struct nvmet_ns;
struct nvmet_req;
struct scatterlist;

/* Most bytes one stage moves: the bounce buffer a command holds. */
#define NVMET_STAGE_MAX		SZ_128K

/**
 * struct nvmet_stage - a staged command in flight
 * @cmd: the Read or Write of the current stage; req->cmd points here
 *	 during it
 * @host_cmd: the command the host sent
 * @host_sg: the host's data, or NULL
 * @host_sg_cnt: entries in @host_sg
 * @host_data_len: req->data_len as parsed
 * @host_ns: the namespace of the host's command
 * @bounce: what the backend reads into and writes from
 * @bounce_cnt: entries in @bounce
 * @status: the status of the stage that just ended
 * @work: runs after each stage, in process context
 * @req: the request
 */
struct nvmet_stage {
	struct nvme_command cmd;
	struct nvme_command *host_cmd;
	struct scatterlist *host_sg;
	unsigned int host_sg_cnt;
	u32 host_data_len;
	struct nvmet_ns *host_ns;
	struct scatterlist *bounce;
	unsigned int bounce_cnt;
	u16 status;
	struct work_struct work;
	struct nvmet_req *req;
};

int nvmet_stage_init(struct nvmet_stage *st, struct nvmet_req *req,
		     u64 bytes, work_func_t fn);
void nvmet_stage_destroy(struct nvmet_stage *st);
void nvmet_stage_submit(struct nvmet_stage *st, struct nvmet_ns *ns,
			u8 opcode, u64 slba, u32 nlb, u16 control);
void nvmet_stage_submit_pi(struct nvmet_stage *st, struct nvmet_ns *ns,
			   u8 opcode, u64 slba, u32 nlb, u16 control, u64 ref,
			   u32 tags);
void nvmet_stage_read_ext(struct nvmet_stage *st, u64 slba, u32 nlb,
			  u16 prchk);
void nvmet_stage_verify(struct nvmet_stage *st, u64 slba, u32 nlb, u16 prchk);
void nvmet_stage_queue(struct nvmet_stage *st);

#endif /* _NVMET_TARGET_STAGE_H */
