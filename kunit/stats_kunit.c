// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the command statistics (nvmet/target/stats.{c,h}): the
 * latency buckets and their bounds, folding the per-CPU copies, what a
 * completion counts where (kind, bytes, bucket, error classes), latency
 * turned off, and the text form.
 */
#include <kunit/test.h>
#include <linux/percpu.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/stats.h>

#include "../nvmet/target/stats.h"

static void stats_test_buckets(struct kunit *test)
{
	unsigned int b;

	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(0), 0);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(999), 0);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(1000), 1);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(1999), 1);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(2000), 2);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(3999), 2);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(4000), 3);
	KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(U64_MAX),
			NVMET_STATS_LAT_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, nvmet_stats_bucket_low(0), 0);
	KUNIT_EXPECT_EQ(test, nvmet_stats_bucket_low(1), 1);
	/* Each bucket starts at its low bound and ends before the next's. */
	for (b = 1; b < NVMET_STATS_LAT_BUCKETS - 1; b++) {
		u64 low = nvmet_stats_bucket_low(b) * NSEC_PER_USEC;
		u64 next = nvmet_stats_bucket_low(b + 1) * NSEC_PER_USEC;

		KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(low), b);
		KUNIT_EXPECT_EQ(test, nvmet_stats_lat_bucket(next - 1), b);
		KUNIT_EXPECT_EQ(test, next, 2 * low);
	}
	/* The last is open: 2^(last-1) us and anything above. */
	b = NVMET_STATS_LAT_BUCKETS - 1;
	KUNIT_EXPECT_EQ(test,
			nvmet_stats_lat_bucket(nvmet_stats_bucket_low(b) *
					       NSEC_PER_USEC * 1000), b);
}

static void stats_test_fold(struct kunit *test)
{
	struct nvmet_stats __percpu *st = alloc_percpu(struct nvmet_stats);
	struct nvmet_stats sum;
	u64 want = 0, cpus = 0;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, st);
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(st, cpu)->reads = cpu + 1;
		per_cpu_ptr(st, cpu)->lat[NVMET_STATS_LAT_BUCKETS - 1] = 2;
		per_cpu_ptr(st, cpu)->sc[NVMET_STATS_SC_NR - 1] = 3;
		want += cpu + 1;
		cpus++;
	}
	nvmet_stats_fold(st, &sum);
	KUNIT_EXPECT_EQ(test, sum.reads, want);
	KUNIT_EXPECT_EQ(test, sum.writes, 0);
	KUNIT_EXPECT_EQ(test, sum.lat[NVMET_STATS_LAT_BUCKETS - 1], 2 * cpus);
	KUNIT_EXPECT_EQ(test, sum.sc[NVMET_STATS_SC_NR - 1], 3 * cpus);
	/* Folding starts from zero: twice gives the same sums. */
	nvmet_stats_fold(st, &sum);
	KUNIT_EXPECT_EQ(test, sum.reads, want);
	free_percpu(st);
}

/* A request on queue @qid of a controller, @us microseconds old. */
struct stats_test_req {
	struct nvmet_ctrl ctrl;
	struct nvmet_sq sq;
	struct nvme_command cmd;
	struct nvmet_req req;
	struct nvmet_ns ns;
};

static void stats_test_prep(struct stats_test_req *t, u16 qid, u8 opcode,
			    u32 len, u64 us)
{
	t->sq.qid = qid;
	t->sq.ctrl = &t->ctrl;
	t->cmd.common.opcode = opcode;
	t->req.cmd = &t->cmd;
	t->req.sq = &t->sq;
	t->req.data_len = len;
	t->req.start_ns = ktime_get_ns() - us * NSEC_PER_USEC;
}

static void stats_test_complete(struct kunit *test)
{
	struct stats_test_req *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct nvmet_stats c, n;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->ctrl.stats = alloc_percpu(struct nvmet_stats);
	t->ns.stats = alloc_percpu(struct nvmet_stats);
	KUNIT_ASSERT_NOT_NULL(test, t->ctrl.stats);
	KUNIT_ASSERT_NOT_NULL(test, t->ns.stats);

	/* 300 us: bucket [256, 512) us, with 200 us to spare. */
	stats_test_prep(t, 1, nvme_cmd_write, 8192, 300);
	nvmet_stats_complete(&t->req, &t->ns, 0);
	stats_test_prep(t, 1, nvme_cmd_read, 4096, 300);
	nvmet_stats_complete(&t->req, &t->ns,
			     NVME_SC_LBA_RANGE | NVME_STATUS_DNR);
	stats_test_prep(t, 1, nvme_cmd_read, 512, 0);
	nvmet_stats_complete(&t->req, &t->ns, NVME_SC_READ_ERROR);
	stats_test_prep(t, 2, nvme_cmd_flush, 0, 0);
	nvmet_stats_complete(&t->req, &t->ns, 0);
	/* Admin and fabrics commands: the controller's only, no bucket. */
	stats_test_prep(t, 0, nvme_admin_identify, 4096, 0);
	nvmet_stats_complete(&t->req, NULL, 0);
	stats_test_prep(t, 0, nvme_fabrics_command, 0, 0);
	nvmet_stats_complete(&t->req, NULL, NVME_SC_CONNECT_INVALID_PARAM);
	/* A queue without a controller counts nowhere. */
	stats_test_prep(t, 0, nvme_fabrics_command, 0, 0);
	t->sq.ctrl = NULL;
	nvmet_stats_complete(&t->req, NULL, NVME_SC_INTERNAL);

	nvmet_stats_fold(t->ctrl.stats, &c);
	nvmet_stats_fold(t->ns.stats, &n);
	KUNIT_EXPECT_EQ(test, n.writes, 1);
	KUNIT_EXPECT_EQ(test, n.write_bytes, 8192);
	KUNIT_EXPECT_EQ(test, n.reads, 2);
	KUNIT_EXPECT_EQ(test, n.read_bytes, 0);
	KUNIT_EXPECT_EQ(test, n.other, 1);
	KUNIT_EXPECT_EQ(test, n.admin, 0);
	KUNIT_EXPECT_EQ(test, n.lat[9], 2);
	KUNIT_EXPECT_EQ(test, n.sct[0], 1);
	KUNIT_EXPECT_EQ(test, n.sct[2], 1);
	KUNIT_EXPECT_EQ(test, n.sc[NVMET_STATS_SC_LBA_RANGE], 1);
	KUNIT_EXPECT_EQ(test, n.sc[NVMET_STATS_SC_READ_ERROR], 1);
	KUNIT_EXPECT_EQ(test, c.reads, 2);
	KUNIT_EXPECT_EQ(test, c.writes, 1);
	KUNIT_EXPECT_EQ(test, c.other, 1);
	KUNIT_EXPECT_EQ(test, c.admin, 1);
	KUNIT_EXPECT_EQ(test, c.fabrics, 1);
	KUNIT_EXPECT_EQ(test, c.lat[9], 2);
	/* Connect's Invalid Parameters is command specific (SCT 1). */
	KUNIT_EXPECT_EQ(test, c.sct[1], 1);
	KUNIT_EXPECT_EQ(test, c.sc[NVMET_STATS_SC_INTERNAL], 0);
	free_percpu(t->ns.stats);
	free_percpu(t->ctrl.stats);
}

/*
 * stats_latency off: commands still count, the latency buckets do not
 * grow, and nvmet_req_init() reads no clock; a command that started while
 * latency was off lands in no bucket once it is back on.
 */
static void stats_test_latency_off(struct kunit *test)
{
	struct stats_test_req *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct nvmet_stats n;
	unsigned int b;
	u64 lat = 0;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->ctrl.stats = alloc_percpu(struct nvmet_stats);
	t->ns.stats = alloc_percpu(struct nvmet_stats);
	KUNIT_ASSERT_NOT_NULL(test, t->ctrl.stats);
	KUNIT_ASSERT_NOT_NULL(test, t->ns.stats);

	static_branch_disable(&nvmet_stats_lat_on);
	KUNIT_EXPECT_EQ(test, nvmet_stats_start(), 0);
	stats_test_prep(t, 1, nvme_cmd_read, 4096, 300);
	nvmet_stats_complete(&t->req, &t->ns, 0);
	stats_test_prep(t, 1, nvme_cmd_read, 4096, 0);
	t->req.start_ns = nvmet_stats_start();
	static_branch_enable(&nvmet_stats_lat_on);
	nvmet_stats_complete(&t->req, &t->ns, 0);
	KUNIT_EXPECT_NE(test, nvmet_stats_start(), 0);
	stats_test_prep(t, 1, nvme_cmd_write, 512, 300);
	nvmet_stats_complete(&t->req, &t->ns, 0);

	nvmet_stats_fold(t->ns.stats, &n);
	KUNIT_EXPECT_EQ(test, n.reads, 2);
	KUNIT_EXPECT_EQ(test, n.read_bytes, 8192);
	KUNIT_EXPECT_EQ(test, n.writes, 1);
	for (b = 0; b < NVMET_STATS_LAT_BUCKETS; b++)
		lat += n.lat[b];
	KUNIT_EXPECT_EQ(test, lat, 1);
	KUNIT_EXPECT_EQ(test, n.lat[9], 1);
	free_percpu(t->ns.stats);
	free_percpu(t->ctrl.stats);
}

/* The value of line "@key value" in @text, or -1. */
static long long stats_test_value(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;
	long long v;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ' &&
		    sscanf(p + len + 1, "%lld", &v) == 1)
			return v;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static void stats_test_print(struct kunit *test)
{
	struct nvmet_stats __percpu *st = alloc_percpu(struct nvmet_stats);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	long long hist = 0;
	unsigned int i;
	char key[32];
	int len;

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nvmet_stats_count(st, NVMET_STATS_READ, 4096, 0, 0);
	nvmet_stats_count(st, NVMET_STATS_WRITE, 512, 5, 0);
	nvmet_stats_count(st, NVMET_STATS_WRITE, 512,
			  NVMET_STATS_LAT_BUCKETS - 1, NVME_SC_WRITE_FAULT);
	nvmet_stats_count(st, NVMET_STATS_ADMIN, 0, 0, 0);

	len = nvmet_stats_show(st, buf, PAGE_SIZE - 1, false);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_LT(test, len, (int)PAGE_SIZE - 1);
	buf[len] = '\0';
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "reads"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "writes"), 2);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "read_bytes"), 4096);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "write_bytes"), 512);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "errors"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "errors_media"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "status_write_fault"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "lat_us_0"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "lat_us_16"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "lat_us_4194304"), 1);
	/* A namespace's text has no admin or fabrics line. */
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "admin"), -1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "fabrics"), -1);
	for (i = 0; i < NVMET_STATS_LAT_BUCKETS; i++) {
		snprintf(key, sizeof(key), "lat_us_%llu",
			 nvmet_stats_bucket_low(i));
		hist += stats_test_value(buf, key);
	}
	KUNIT_EXPECT_EQ(test, hist, 3);

	len = nvmet_stats_show(st, buf, PAGE_SIZE - 1, true);
	buf[len] = '\0';
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "admin"), 1);
	KUNIT_EXPECT_EQ(test, stats_test_value(buf, "fabrics"), 0);
	free_percpu(st);
}

static struct kunit_case stats_test_cases[] = {
	KUNIT_CASE(stats_test_buckets),
	KUNIT_CASE(stats_test_fold),
	KUNIT_CASE(stats_test_complete),
	KUNIT_CASE(stats_test_latency_off),
	KUNIT_CASE(stats_test_print),
	{}
};

static struct kunit_suite stats_test_suite = {
	.name = "nvmet_ng_stats",
	.test_cases = stats_test_cases,
};

kunit_test_suite(stats_test_suite);
