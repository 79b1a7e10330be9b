// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command statistics: the out-of-line half of nvmet/target/stats.h (a
 * failed command's status, folding the per-CPU copies, the text form).
 *
 * The text form, one "key value" line each, values in decimal:
 *   reads, writes, other             I/O commands completed
 *   read_bytes, write_bytes          bytes of the reads and writes that
 *                                    succeeded
 *   admin, fabrics                   (controllers only) admin and fabrics
 *                                    commands completed
 *   errors                           commands that failed
 *   errors_generic, errors_command_specific, errors_media, errors_path,
 *   errors_vendor                    ... by Status Code Type (0, 1, 2, 3, 7;
 *                                    the reserved types 4-6 count in
 *                                    errors only)
 *   status_<name>                    ... with a common status, see
 *                                    nvmet_stats_sc_names[]
 *   lat_us_<low>                     I/O commands whose latency was at
 *                                    least <low> us and below the next
 *                                    line's <low> (the last is open);
 *                                    their sum is reads + writes + other
 */
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/nvme.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "stats.h"

static const char * const nvmet_stats_sc_names[NVMET_STATS_SC_NR] = {
	[NVMET_STATS_SC_INVALID_OPCODE]	= "invalid_opcode",
	[NVMET_STATS_SC_INVALID_FIELD]	= "invalid_field",
	[NVMET_STATS_SC_DATA_XFER]	= "data_transfer_error",
	[NVMET_STATS_SC_INTERNAL]	= "internal",
	[NVMET_STATS_SC_INVALID_NS]	= "invalid_ns",
	[NVMET_STATS_SC_CMD_SEQ]	= "command_sequence_error",
	[NVMET_STATS_SC_SGL_INVALID]	= "sgl_invalid_data",
	[NVMET_STATS_SC_LBA_RANGE]	= "lba_range",
	[NVMET_STATS_SC_CAP_EXCEEDED]	= "capacity_exceeded",
	[NVMET_STATS_SC_NS_NOT_READY]	= "ns_not_ready",
	[NVMET_STATS_SC_WRITE_FAULT]	= "write_fault",
	[NVMET_STATS_SC_READ_ERROR]	= "read_error",
	[NVMET_STATS_SC_PI]		= "protection_error",
	[NVMET_STATS_SC_ACCESS_DENIED]	= "access_denied",
	[NVMET_STATS_SC_ANA]		= "ana",
};

static const char * const nvmet_stats_sct_names[8] = {
	[0] = "generic",
	[1] = "command_specific",
	[2] = "media",
	[3] = "path",
	[7] = "vendor",
};

/* Status Code Type and Status Code, without the DNR and More bits. */
#define NVMET_STATS_SC_MASK	0x7ff

static int nvmet_stats_sc_index(u16 status)
{
	switch (status & NVMET_STATS_SC_MASK) {
	case NVME_SC_INVALID_OPCODE:
		return NVMET_STATS_SC_INVALID_OPCODE;
	case NVME_SC_INVALID_FIELD:
		return NVMET_STATS_SC_INVALID_FIELD;
	case NVME_SC_DATA_XFER_ERROR:
		return NVMET_STATS_SC_DATA_XFER;
	case NVME_SC_INTERNAL:
		return NVMET_STATS_SC_INTERNAL;
	case NVME_SC_INVALID_NS:
		return NVMET_STATS_SC_INVALID_NS;
	case NVME_SC_CMD_SEQ_ERROR:
		return NVMET_STATS_SC_CMD_SEQ;
	case NVME_SC_SGL_INVALID_DATA:
		return NVMET_STATS_SC_SGL_INVALID;
	case NVME_SC_LBA_RANGE:
		return NVMET_STATS_SC_LBA_RANGE;
	case NVME_SC_CAP_EXCEEDED:
		return NVMET_STATS_SC_CAP_EXCEEDED;
	case NVME_SC_NS_NOT_READY:
		return NVMET_STATS_SC_NS_NOT_READY;
	case NVME_SC_WRITE_FAULT:
		return NVMET_STATS_SC_WRITE_FAULT;
	case NVME_SC_READ_ERROR:
		return NVMET_STATS_SC_READ_ERROR;
	case NVME_SC_GUARD_CHECK:
	case NVME_SC_APPTAG_CHECK:
	case NVME_SC_REFTAG_CHECK:
		return NVMET_STATS_SC_PI;
	case NVME_SC_ACCESS_DENIED:
		return NVMET_STATS_SC_ACCESS_DENIED;
	case NVME_SC_ANA_PERSISTENT_LOSS:
	case NVME_SC_ANA_INACCESSIBLE:
	case NVME_SC_ANA_TRANSITION:
		return NVMET_STATS_SC_ANA;
	default:
		return -1;
	}
}

DEFINE_STATIC_KEY_TRUE(nvmet_stats_lat_on);

/*
 * stats_latency: measure each I/O command's latency for the lat_us_*
 * buckets (two clock reads per command).  Off, the buckets stop growing
 * and the I/O path has a static branch where the reads were.  Writes of
 * module parameters are serialised by the kernel's parameter lock.
 */
static bool stats_latency = true;

static int nvmet_stats_latency_set(const char *val,
				   const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on)
		static_branch_enable(&nvmet_stats_lat_on);
	else
		static_branch_disable(&nvmet_stats_lat_on);
	*(bool *)kp->arg = on;
	return 0;
}

static const struct kernel_param_ops nvmet_stats_latency_ops = {
	.set = nvmet_stats_latency_set,
	.get = param_get_bool,
};
module_param_cb(stats_latency, &nvmet_stats_latency_ops, &stats_latency,
		0644);
MODULE_PARM_DESC(stats_latency,
		 "measure I/O latency for the lat_us_* statistics (default 1)");

/**
 * nvmet_stats_error() - count a failed command
 * @st: the counters
 * @status: its NVMe status, not 0
 *
 * Context: Any context.
 */
void nvmet_stats_error(struct nvmet_stats __percpu *st, u16 status)
{
	int i = nvmet_stats_sc_index(status);

	this_cpu_inc(st->sct[(status >> 8) & 7]);
	if (i >= 0)
		this_cpu_inc(st->sc[i]);
}

/**
 * nvmet_stats_fold() - add up every CPU's copy
 * @st: the counters
 * @sum: the sums
 *
 * Each counter is read once per CPU without a lock: a command completing
 * meanwhile may be counted in some counters and not yet in others.
 *
 * Context: Any context.
 */
void nvmet_stats_fold(const struct nvmet_stats __percpu *st,
		      struct nvmet_stats *sum)
{
	const u64 *from;
	u64 *to = (u64 *)sum;
	unsigned int i;
	int cpu;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		from = (const u64 *)per_cpu_ptr(st, cpu);
		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			to[i] += READ_ONCE(from[i]);
	}
}

/**
 * nvmet_stats_print() - the text form of folded counters
 * @s: where to print
 * @sum: from nvmet_stats_fold()
 * @ctrl: a controller's (with the admin and fabrics lines)
 *
 * Context: Any context.
 */
void nvmet_stats_print(struct seq_buf *s, const struct nvmet_stats *sum,
		       bool ctrl)
{
	u64 errors = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sum->sct); i++)
		errors += sum->sct[i];
	seq_buf_printf(s, "reads %llu\nwrites %llu\nother %llu\n",
		       sum->reads, sum->writes, sum->other);
	seq_buf_printf(s, "read_bytes %llu\nwrite_bytes %llu\n",
		       sum->read_bytes, sum->write_bytes);
	if (ctrl)
		seq_buf_printf(s, "admin %llu\nfabrics %llu\n", sum->admin,
			       sum->fabrics);
	seq_buf_printf(s, "errors %llu\n", errors);
	for (i = 0; i < ARRAY_SIZE(sum->sct); i++)
		if (nvmet_stats_sct_names[i])
			seq_buf_printf(s, "errors_%s %llu\n",
				       nvmet_stats_sct_names[i], sum->sct[i]);
	for (i = 0; i < NVMET_STATS_SC_NR; i++)
		seq_buf_printf(s, "status_%s %llu\n", nvmet_stats_sc_names[i],
			       sum->sc[i]);
	for (i = 0; i < NVMET_STATS_LAT_BUCKETS; i++)
		seq_buf_printf(s, "lat_us_%llu %llu\n",
			       nvmet_stats_bucket_low(i), sum->lat[i]);
}

/**
 * nvmet_stats_show_ctrls() - one line of counters per controller
 * @subsys: the subsystem
 * @buf: the buffer (a configfs attribute's page)
 * @size: its size
 *
 * "ctrl<ID> hostnqn=<NQN> reads=N writes=N read_bytes=N write_bytes=N
 * other=N admin=N fabrics=N errors=N" for each controller, by ID; the host
 * NQN escaped (%pE).  Controllers that do not fit end the text with a line
 * "truncated".
 *
 * Context: Process context; RCU read lock inside.
 * Return: the length printed.
 */
int nvmet_stats_show_ctrls(struct nvmet_subsys *subsys, char *buf,
			   size_t size)
{
	struct nvmet_stats *sum;
	struct nvmet_ctrl *ctrl;
	unsigned long id;
	struct seq_buf s;
	unsigned int i;
	u64 errors;
	size_t len;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	/* Room for "truncated\n" after the last line that fits. */
	seq_buf_init(&s, buf, size - 16);
	rcu_read_lock();
	/* A controller's counters are freed after a grace period. */
	xa_for_each(&subsys->ctrls, id, ctrl) {
		len = seq_buf_used(&s);
		nvmet_stats_fold(ctrl->stats, sum);
		for (errors = 0, i = 0; i < ARRAY_SIZE(sum->sct); i++)
			errors += sum->sct[i];
		seq_buf_printf(&s, "ctrl%u hostnqn=%*pE", ctrl->cntlid,
			       (int)strnlen(ctrl->hostnqn, sizeof(ctrl->hostnqn)),
			       ctrl->hostnqn);
		seq_buf_printf(&s, " reads=%llu writes=%llu read_bytes=%llu write_bytes=%llu",
			       sum->reads, sum->writes, sum->read_bytes,
			       sum->write_bytes);
		seq_buf_printf(&s, " other=%llu admin=%llu fabrics=%llu errors=%llu\n",
			       sum->other, sum->admin, sum->fabrics, errors);
		if (seq_buf_has_overflowed(&s)) {
			len = snprintf(buf + len, size - len, "truncated\n") + len;
			rcu_read_unlock();
			kfree(sum);
			return len;
		}
	}
	rcu_read_unlock();
	kfree(sum);
	return seq_buf_used(&s);
}

/**
 * nvmet_stats_show() - fold and print counters into a buffer
 * @st: the counters
 * @buf: the buffer (a configfs attribute's page)
 * @size: its size
 * @ctrl: a controller's
 *
 * Context: Any context.
 * Return: the length printed (cut at @size, which the text never reaches
 * in a page).
 */
int nvmet_stats_show(const struct nvmet_stats __percpu *st, char *buf,
		     size_t size, bool ctrl)
{
	struct nvmet_stats sum;
	struct seq_buf s;

	nvmet_stats_fold(st, &sum);
	seq_buf_init(&s, buf, size);
	nvmet_stats_print(&s, &sum, ctrl);
	return seq_buf_used(&s);
}
