// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the zoned namespace helpers (nvmet/target/zns.c): the
 * Zone State a zone descriptor carries for each block layer condition,
 * and which zones a Zone Management Receive's reporting filter (ZRASF)
 * lets through.
 */
#include <kunit/test.h>
#include <linux/blkdev.h>
#include <linux/nvme.h>

#include <nvmet/fabric.h>
#include "../nvmet/target/ctrl.h"

/* Every condition a block layer zone can be in. */
static const u8 zs_conds[] = {
	BLK_ZONE_COND_NOT_WP, BLK_ZONE_COND_EMPTY, BLK_ZONE_COND_IMP_OPEN,
	BLK_ZONE_COND_EXP_OPEN, BLK_ZONE_COND_CLOSED, BLK_ZONE_COND_READONLY,
	BLK_ZONE_COND_FULL, BLK_ZONE_COND_OFFLINE,
};

/* ZNS Zone State values (ZNS 1.1, "Zone Descriptor"), by condition. */
static void zs_test_zone_state(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_EMPTY), 0x10);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_IMP_OPEN),
			0x20);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_EXP_OPEN),
			0x30);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_CLOSED),
			0x40);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_READONLY),
			0xd0);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_FULL), 0xe0);
	KUNIT_EXPECT_EQ(test, nvmet_zns_zone_state(BLK_ZONE_COND_OFFLINE),
			0xf0);
}

/* ZRASF 0h reports every zone. */
static void zs_test_zrasf_all(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(zs_conds); i++)
		KUNIT_EXPECT_TRUE(test,
				  nvmet_zns_zrasf_match(NVME_ZRASF_ZONE_REPORT_ALL,
							zs_conds[i]));
}

/* ZRASF 1h-7h each report exactly the zones in their one state. */
static void zs_test_zrasf_each(struct kunit *test)
{
	static const struct {
		u8 zrasf;
		u8 cond;
	} want[] = {
		{ NVME_ZRASF_ZONE_STATE_EMPTY, BLK_ZONE_COND_EMPTY },
		{ NVME_ZRASF_ZONE_STATE_IMP_OPEN, BLK_ZONE_COND_IMP_OPEN },
		{ NVME_ZRASF_ZONE_STATE_EXP_OPEN, BLK_ZONE_COND_EXP_OPEN },
		{ NVME_ZRASF_ZONE_STATE_CLOSED, BLK_ZONE_COND_CLOSED },
		{ NVME_ZRASF_ZONE_STATE_FULL, BLK_ZONE_COND_FULL },
		{ NVME_ZRASF_ZONE_STATE_READONLY, BLK_ZONE_COND_READONLY },
		{ NVME_ZRASF_ZONE_STATE_OFFLINE, BLK_ZONE_COND_OFFLINE },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		for (j = 0; j < ARRAY_SIZE(zs_conds); j++)
			KUNIT_EXPECT_EQ_MSG(test,
					    nvmet_zns_zrasf_match(want[i].zrasf,
								  zs_conds[j]),
					    zs_conds[j] == want[i].cond,
					    "zrasf %u cond %u", want[i].zrasf,
					    zs_conds[j]);
}

/* A filter ZNS does not define lets nothing through. */
static void zs_test_zrasf_undefined(struct kunit *test)
{
	static const u8 bad[] = { 0x08, 0x0d, 0x0e, 0x0f, 0xff };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		for (j = 0; j < ARRAY_SIZE(zs_conds); j++)
			KUNIT_EXPECT_FALSE(test,
					   nvmet_zns_zrasf_match(bad[i],
								 zs_conds[j]));
}

static struct kunit_case zs_cases[] = {
	KUNIT_CASE(zs_test_zone_state),
	KUNIT_CASE(zs_test_zrasf_all),
	KUNIT_CASE(zs_test_zrasf_each),
	KUNIT_CASE(zs_test_zrasf_undefined),
	{}
};

static struct kunit_suite zs_suite = {
	.name = "nvmet_ng_zns",
	.test_cases = zs_cases,
};

kunit_test_suite(zs_suite);
