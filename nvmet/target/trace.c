// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoints of nvmet/target/trace.h, and the helpers their text
 * form calls (run when the trace buffer is read, not on the I/O path).
 */
#include <linux/nvme.h>

#include <nvmet/compat-lib.h>

#define CREATE_TRACE_POINTS
#include "trace.h"

/* "nvmet<cntlid>: " ("_" before Connect made one), then "disk=<path>, ". */
const char *nvmet_trace_prefix(struct trace_seq *p, u16 cntlid,
			       const char *disk)
{
	const char *ret = trace_seq_buffer_ptr(p);

	if (cntlid)
		trace_seq_printf(p, "nvmet%u: ", cntlid);
	else
		trace_seq_puts(p, "nvmet_: ");
	if (disk[0])
		trace_seq_printf(p, "disk=%.*s, ", NVMET_TRACE_DISK_LEN, disk);
	trace_seq_putc(p, 0);
	return ret;
}

/* The command dwords 10-15 (or a fabrics command's specific bytes). */
const char *nvmet_trace_cmd(struct trace_seq *p, int qid, u8 opcode,
			    u8 fctype, const u8 *cdw10)
{
	const char *ret = trace_seq_buffer_ptr(p);
	bool rw = opcode == nvme_cmd_read || opcode == nvme_cmd_write ||
		  opcode == nvme_cmd_write_zeroes;

	if (opcode == nvme_fabrics_command &&
	    fctype == nvme_fabrics_type_connect)
		trace_seq_printf(p, "recfmt=%u, qid=%u, sqsize=%u, kato=%u",
				 get_unaligned_le16(cdw10),
				 get_unaligned_le16(cdw10 + 2),
				 get_unaligned_le16(cdw10 + 4),
				 get_unaligned_le32(cdw10 + 8));
	else if (opcode != nvme_fabrics_command && qid && rw)
		trace_seq_printf(p, "slba=%llu, len=%u, ctrl=%#x",
				 get_unaligned_le64(cdw10),
				 get_unaligned_le16(cdw10 + 8),
				 get_unaligned_le16(cdw10 + 10));
	else
		trace_seq_printf(p, "cdw10=%*ph", 24, cdw10);
	trace_seq_putc(p, 0);
	return ret;
}
