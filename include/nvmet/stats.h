/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command statistics of a namespace or a controller: per-CPU counters,
 * so the I/O path adds to its own CPU's copy with one instruction per
 * counter (this_cpu_add()), takes no lock, shares no cache line with
 * another CPU and allocates nothing.  Readers fold the copies
 * (nvmet_stats_fold()); the sums are monotonic, never reset.
 */
#ifndef _NVMET_STATS_H
#define _NVMET_STATS_H

#include <linux/types.h>

/*
 * Latency buckets, log2 of microseconds from nvmet_req_init() to
 * nvmet_req_complete(): bucket 0 is below 1 us, bucket b (1 <= b < last)
 * is [2^(b-1), 2^b) us, and the last is 2^(last-1) us (about 4 s) or more.
 */
#define NVMET_STATS_LAT_BUCKETS	24

/**
 * enum nvmet_stats_sc - the statuses counted one by one
 * @NVMET_STATS_SC_INVALID_OPCODE: Invalid Command Opcode (generic 01h)
 * @NVMET_STATS_SC_INVALID_FIELD: Invalid Field in Command (generic 02h)
 * @NVMET_STATS_SC_DATA_XFER: Data Transfer Error (generic 04h)
 * @NVMET_STATS_SC_INTERNAL: Internal Error (generic 06h)
 * @NVMET_STATS_SC_INVALID_NS: Invalid Namespace or Format (generic 0Bh)
 * @NVMET_STATS_SC_CMD_SEQ: Command Sequence Error (generic 0Ch)
 * @NVMET_STATS_SC_SGL_INVALID: SGL Data Block Invalid (generic 0Fh)
 * @NVMET_STATS_SC_LBA_RANGE: LBA Out of Range (generic 80h)
 * @NVMET_STATS_SC_CAP_EXCEEDED: Capacity Exceeded (generic 81h)
 * @NVMET_STATS_SC_NS_NOT_READY: Namespace Not Ready (generic 82h)
 * @NVMET_STATS_SC_WRITE_FAULT: Write Fault (media 80h)
 * @NVMET_STATS_SC_READ_ERROR: Unrecovered Read Error (media 81h)
 * @NVMET_STATS_SC_PI: end-to-end Guard, Application or Reference Tag
 *		       Check Error (media 82h-84h)
 * @NVMET_STATS_SC_ACCESS_DENIED: Access Denied (media 86h)
 * @NVMET_STATS_SC_ANA: an Asymmetric Access status (path 01h-03h)
 * @NVMET_STATS_SC_NR: how many
 */
enum nvmet_stats_sc {
	NVMET_STATS_SC_INVALID_OPCODE,
	NVMET_STATS_SC_INVALID_FIELD,
	NVMET_STATS_SC_DATA_XFER,
	NVMET_STATS_SC_INTERNAL,
	NVMET_STATS_SC_INVALID_NS,
	NVMET_STATS_SC_CMD_SEQ,
	NVMET_STATS_SC_SGL_INVALID,
	NVMET_STATS_SC_LBA_RANGE,
	NVMET_STATS_SC_CAP_EXCEEDED,
	NVMET_STATS_SC_NS_NOT_READY,
	NVMET_STATS_SC_WRITE_FAULT,
	NVMET_STATS_SC_READ_ERROR,
	NVMET_STATS_SC_PI,
	NVMET_STATS_SC_ACCESS_DENIED,
	NVMET_STATS_SC_ANA,
	NVMET_STATS_SC_NR,
};

/**
 * struct nvmet_stats - one CPU's counters of a namespace or a controller
 * @reads: Read commands completed, whatever their status
 * @writes: Write commands completed, whatever their status
 * @other: other I/O commands completed (Flush, Write Zeroes, Dataset
 *	   Management, unknown opcodes)
 * @read_bytes: bytes of the Read commands that succeeded
 * @write_bytes: bytes of the Write commands that succeeded
 * @admin: admin commands completed (controllers only)
 * @fabrics: fabrics commands completed, Connect included (controllers
 *	     only)
 * @sct: failed commands by Status Code Type (0 generic, 1 command
 *	 specific, 2 media and data integrity, 3 path, 7 vendor)
 * @sc: failed commands with the statuses of enum nvmet_stats_sc
 * @lat: I/O commands by latency, see NVMET_STATS_LAT_BUCKETS: the sum of
 *	 the buckets is @reads + @writes + @other
 */
struct nvmet_stats {
	u64 reads;
	u64 writes;
	u64 other;
	u64 read_bytes;
	u64 write_bytes;
	u64 admin;
	u64 fabrics;
	u64 sct[8];
	u64 sc[NVMET_STATS_SC_NR];
	u64 lat[NVMET_STATS_LAT_BUCKETS];
};

struct nvmet_subsys;

int nvmet_stats_show(const struct nvmet_stats __percpu *st, char *buf,
		     size_t size, bool ctrl);
int nvmet_stats_show_ctrls(struct nvmet_subsys *subsys, char *buf,
			   size_t size);

#endif /* _NVMET_STATS_H */
