/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the command path, under the in-tree target's system and
 * event names and field names (nvmet:nvmet_req_init, nvmet:nvmet_req_complete),
 * so `trace-cmd record -e nvmet`, `perf record -e 'nvmet:*'` and filters
 * written for in-tree nvmet (qid==1, opcode==2, status!=0, ...) work
 * unchanged.  No __string()/__assign_str(): their arguments changed in
 * 6.10, and fixed arrays need no compat.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nvmet

#if !defined(_NVMET_TARGET_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NVMET_TARGET_TRACE_H

#include <linux/nvme.h>
#include <linux/string.h>
#include <linux/trace_seq.h>
#include <linux/tracepoint.h>

#include "ctrl.h"

/* Bytes of the namespace's device path an event keeps, as in-tree. */
#define NVMET_TRACE_DISK_LEN	32

#ifndef TRACE_HEADER_MULTI_READ
static inline u16 nvmet_trace_cntlid(const struct nvmet_req *req)
{
	const struct nvmet_ctrl *ctrl = READ_ONCE(req->sq->ctrl);

	return ctrl ? ctrl->cntlid : 0;
}

/* The namespace's path is frozen while it has I/O, which @req is. */
static inline void nvmet_trace_disk(char *disk, const struct nvmet_req *req)
{
	if (req->ns && req->ns->device_path)
		strscpy_pad(disk, req->ns->device_path, NVMET_TRACE_DISK_LEN);
	else
		memset(disk, 0, NVMET_TRACE_DISK_LEN);
}
#endif

const char *nvmet_trace_cmd(struct trace_seq *p, int qid, u8 opcode,
			    u8 fctype, const u8 *cdw10);
const char *nvmet_trace_prefix(struct trace_seq *p, u16 cntlid,
			       const char *disk);

TRACE_EVENT(nvmet_req_init,
	    TP_PROTO(struct nvmet_req *req, struct nvme_command *cmd),
	    TP_ARGS(req, cmd),
	    TP_STRUCT__entry(__field(u16, ctrl_id)
			     __array(char, disk, NVMET_TRACE_DISK_LEN)
			     __field(int, qid)
			     __field(u16, cid)
			     __field(u8, opcode)
			     __field(u8, fctype)
			     __field(u8, flags)
			     __field(u32, nsid)
			     __field(u64, metadata)
			     __array(u8, cdw10, 24)),
	    TP_fast_assign(__entry->ctrl_id = nvmet_trace_cntlid(req);
			   nvmet_trace_disk(__entry->disk, req);
			   __entry->qid = req->sq->qid;
			   __entry->cid = cmd->common.command_id;
			   __entry->opcode = cmd->common.opcode;
			   __entry->fctype = cmd->fabrics.fctype;
			   __entry->flags = cmd->common.flags;
			   __entry->nsid = le32_to_cpu(cmd->common.nsid);
			   __entry->metadata = le64_to_cpu(cmd->common.metadata);
			   memcpy(__entry->cdw10, &cmd->common.cdws, sizeof(__entry->cdw10));),
	    TP_printk("%sqid=%d, cmdid=%u, nsid=%u, flags=%#x, meta=%#llx, cmd=(%s, %s)",
		      nvmet_trace_prefix(p, __entry->ctrl_id, __entry->disk),
		      __entry->qid, __entry->cid, __entry->nsid, __entry->flags,
		      __entry->metadata,
		      show_opcode_name(__entry->qid, __entry->opcode, __entry->fctype),
		      nvmet_trace_cmd(p, __entry->qid, __entry->opcode, __entry->fctype,
				      __entry->cdw10))
);

TRACE_EVENT(nvmet_req_complete,
	    TP_PROTO(struct nvmet_req *req),
	    TP_ARGS(req),
	    TP_STRUCT__entry(__field(u16, ctrl_id)
			     __array(char, disk, NVMET_TRACE_DISK_LEN)
			     __field(int, qid)
			     __field(int, cid)
			     __field(u64, result)
			     __field(u16, status)),
	    TP_fast_assign(__entry->ctrl_id = nvmet_trace_cntlid(req);
			   nvmet_trace_disk(__entry->disk, req);
			   __entry->qid = req->cq->qid;
			   __entry->cid = req->cqe->command_id;
			   __entry->result = le64_to_cpu(req->cqe->result.u64);
			   __entry->status = le16_to_cpu(req->cqe->status) >> 1;),
	    TP_printk("%sqid=%d, cmdid=%u, res=%#llx, status=%#x",
		      nvmet_trace_prefix(p, __entry->ctrl_id, __entry->disk),
		      __entry->qid, __entry->cid, __entry->result, __entry->status)
);

#endif /* _NVMET_TARGET_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
