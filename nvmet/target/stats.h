/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting completed commands into the per-CPU statistics of their
 * controller and namespace (include/nvmet/stats.h).  Internal to
 * nvmet.ko.
 *
 * Cost per command: two clock reads (nvmet_req_init() and here, I/O
 * queues only; none while the stats_latency module parameter is off,
 * which leaves a static branch) and, per object, three or four this_cpu_add()s (one
 * instruction each on x86, preemption-safe, no lock, no atomic, no shared
 * cache line); a failure adds an out-of-line call.
 */
#ifndef _NVMET_TARGET_STATS_H
#define _NVMET_TARGET_STATS_H

#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>
#include <linux/seq_buf.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include <nvmet/stats.h>
#include "ctrl.h"

/* What a completed command counts as. */
enum nvmet_stats_kind {
	NVMET_STATS_READ,
	NVMET_STATS_WRITE,
	NVMET_STATS_OTHER,	/* the last I/O kind */
	NVMET_STATS_ADMIN,
	NVMET_STATS_FABRICS,
};

/* No latency bucket: not an I/O command, or latency is not measured. */
#define NVMET_STATS_NO_BUCKET	NVMET_STATS_LAT_BUCKETS

/* Latency is measured (the stats_latency module parameter, default on). */
DECLARE_STATIC_KEY_TRUE(nvmet_stats_lat_on);

/*
 * nvmet_stats_start() - the start time nvmet_req_init() keeps for the
 * latency histogram: now, or 0 while latency is off
 */
static __always_inline u64 nvmet_stats_start(void)
{
	if (static_branch_likely(&nvmet_stats_lat_on))
		return ktime_get_ns();
	return 0;
}

/**
 * nvmet_stats_lat_bucket() - the latency bucket of a duration
 * @ns: nanoseconds
 *
 * Context: Any context.
 * Return: 0 below 1 us, else 1 + floor(log2(us)), at most the last bucket.
 */
static inline unsigned int nvmet_stats_lat_bucket(u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	return min_t(unsigned int, fls64(us), NVMET_STATS_LAT_BUCKETS - 1);
}

/**
 * nvmet_stats_bucket_low() - the lower bound of a latency bucket
 * @bucket: 0 to NVMET_STATS_LAT_BUCKETS - 1
 *
 * Context: Any context.
 * Return: microseconds.
 */
static inline u64 nvmet_stats_bucket_low(unsigned int bucket)
{
	return bucket ? 1ULL << (bucket - 1) : 0;
}

void nvmet_stats_error(struct nvmet_stats __percpu *st, u16 status);
void nvmet_stats_fold(const struct nvmet_stats __percpu *st,
		      struct nvmet_stats *sum);
void nvmet_stats_print(struct seq_buf *s, const struct nvmet_stats *sum,
		       bool ctrl);

static __always_inline void nvmet_stats_count(struct nvmet_stats __percpu *st,
					      enum nvmet_stats_kind kind,
					      u32 bytes, unsigned int bucket,
					      u16 status)
{
	switch (kind) {
	case NVMET_STATS_READ:
		this_cpu_inc(st->reads);
		if (likely(!status))
			this_cpu_add(st->read_bytes, bytes);
		break;
	case NVMET_STATS_WRITE:
		this_cpu_inc(st->writes);
		if (likely(!status))
			this_cpu_add(st->write_bytes, bytes);
		break;
	case NVMET_STATS_OTHER:
		this_cpu_inc(st->other);
		break;
	case NVMET_STATS_ADMIN:
		this_cpu_inc(st->admin);
		break;
	case NVMET_STATS_FABRICS:
		this_cpu_inc(st->fabrics);
		break;
	}
	if (kind <= NVMET_STATS_OTHER && bucket != NVMET_STATS_NO_BUCKET)
		this_cpu_inc(st->lat[bucket]);
	if (unlikely(status))
		nvmet_stats_error(st, status);
}

/**
 * nvmet_stats_complete() - count a command that is completing
 * @req: the request, before its completion is handed to the fabric
 * @ns: its namespace (an I/O command that found one, referenced), or NULL
 * @status: its NVMe status
 *
 * A queue not connected yet has no controller and counts nowhere.  While
 * latency is off, and for a command that started while it was off,
 * nothing goes into the latency buckets.
 *
 * Context: Any context.
 */
static inline void nvmet_stats_complete(struct nvmet_req *req,
					struct nvmet_ns *ns, u16 status)
{
	struct nvmet_ctrl *ctrl = READ_ONCE(req->sq->ctrl);
	u8 opcode = req->cmd->common.opcode;
	enum nvmet_stats_kind kind;
	unsigned int bucket = NVMET_STATS_NO_BUCKET;

	if (unlikely(!ctrl))
		return;
	if (unlikely(opcode == nvme_fabrics_command))
		kind = NVMET_STATS_FABRICS;
	else if (unlikely(!req->sq->qid))
		kind = NVMET_STATS_ADMIN;
	else if (opcode == nvme_cmd_read)
		kind = NVMET_STATS_READ;
	else if (opcode == nvme_cmd_write)
		kind = NVMET_STATS_WRITE;
	else
		kind = NVMET_STATS_OTHER;
	if (kind <= NVMET_STATS_OTHER &&
	    static_branch_likely(&nvmet_stats_lat_on) && req->start_ns)
		bucket = nvmet_stats_lat_bucket(ktime_get_ns() - req->start_ns);
	nvmet_stats_count(ctrl->stats, kind, req->data_len, bucket, status);
	if (ns && kind <= NVMET_STATS_OTHER)
		nvmet_stats_count(ns->stats, kind, req->data_len, bucket,
				  status);
}

#endif /* _NVMET_TARGET_STATS_H */
