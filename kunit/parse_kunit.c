// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nvmet/core/parse.c: attribute value parsing.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include <nvmet/parse.h>

struct parse_ascii_case {
	const char *in;
	size_t max;
	int ret;
};

static const struct parse_ascii_case parse_ascii_cases[] = {
	{ "",				NVMET_SN_MAX_SIZE, -EINVAL },
	{ "\n",				NVMET_SN_MAX_SIZE, -EINVAL },
	{ "a",				NVMET_SN_MAX_SIZE, 1 },
	{ "SN0001\n",			NVMET_SN_MAX_SIZE, 6 },
	{ "12345678901234567890",	NVMET_SN_MAX_SIZE, 20 },
	{ "123456789012345678901",	NVMET_SN_MAX_SIZE, -EINVAL },
	{ "12345678901234567890\n",	NVMET_SN_MAX_SIZE, 20 },
	{ "fw 1.0",			NVMET_FR_MAX_SIZE, 6 },
	{ "123456789",			NVMET_FR_MAX_SIZE, -EINVAL },
	{ "tab\there",			NVMET_MN_MAX_SIZE, -EINVAL },
	{ "del\x7f",			NVMET_MN_MAX_SIZE, -EINVAL },
	{ "high\xc3\xa9",		NVMET_MN_MAX_SIZE, -EINVAL },
	{ "~ !",			NVMET_MN_MAX_SIZE, 3 },
};

static void parse_ascii_desc(const struct parse_ascii_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\" max %zu", c->in, c->max);
}

KUNIT_ARRAY_PARAM(parse_ascii, parse_ascii_cases, parse_ascii_desc);

static void parse_test_ascii(struct kunit *test)
{
	const struct parse_ascii_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, nvmet_parse_ascii(c->in, c->max), c->ret);
}

struct parse_version_case {
	const char *in;
	int ret;
	u32 vs;
};

static const struct parse_version_case parse_version_cases[] = {
	{ "1.3",		0, 0x00010300 },
	{ "1.3\n",		0, 0x00010300 },
	{ "2.0.1",		0, 0x00020001 },
	{ "65535.255.255",	0, 0xffffffff },
	{ "1",			-EINVAL },
	{ "1.",			-EINVAL },
	{ "1.2.3.4",		-EINVAL },
	{ "1.3x",		-EINVAL },
	{ "",			-EINVAL },
	{ "65536.0",		-EINVAL },
	{ "1.256",		-EINVAL },
	{ " 1.3",		-EINVAL },
	{ "-1.3",		-EINVAL },
	{ "1.3\n\n",		-EINVAL },
};

static void parse_version_desc(const struct parse_version_case *c,
			       char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(parse_version, parse_version_cases, parse_version_desc);

static void parse_test_version(struct kunit *test)
{
	const struct parse_version_case *c = test->param_value;
	u32 vs = 0xdeadbeef;

	KUNIT_EXPECT_EQ(test, nvmet_parse_version(c->in, &vs), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, vs, c->vs);
	else
		KUNIT_EXPECT_EQ(test, vs, 0xdeadbeef);
}

static void parse_test_version_round_trip(struct kunit *test)
{
	static const char * const texts[] = {
		"1.3\n", "2.0.1\n", "1.4\n", "65535.255.255\n",
	};
	char buf[32];
	size_t i;
	u32 vs;

	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		KUNIT_ASSERT_EQ(test, nvmet_parse_version(texts[i], &vs), 0);
		KUNIT_EXPECT_EQ(test, nvmet_format_version(vs, buf, sizeof(buf)),
				(int)strlen(texts[i]));
		KUNIT_EXPECT_STREQ(test, buf, texts[i]);
	}
}

static const struct nvmet_name_map parse_test_map[] = {
	{ 1, "rdma" },
	{ 3, "tcp" },
	{ 254, "loop" },
};

static void parse_test_name(struct kunit *test)
{
	u8 v = 0;

	KUNIT_EXPECT_EQ(test, nvmet_parse_name(parse_test_map, 3, "tcp", &v),
			0);
	KUNIT_EXPECT_EQ(test, v, 3);
	KUNIT_EXPECT_EQ(test, nvmet_parse_name(parse_test_map, 3, "loop\n",
					       &v), 0);
	KUNIT_EXPECT_EQ(test, v, 254);
}

static void parse_test_name_refused(struct kunit *test)
{
	static const char * const bad[] = {
		"", "tc", "tcpx", "TCP", " tcp", "tcp\n\n", "tcp ",
	};
	size_t i;
	u8 v = 42;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, nvmet_parse_name(parse_test_map, 3,
							   bad[i], &v),
				    -EINVAL, "input \"%s\"", bad[i]);
	KUNIT_EXPECT_EQ(test, v, 42);
}

static void parse_test_name_of(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, nvmet_name_of(parse_test_map, 3, 1), "rdma");
	KUNIT_EXPECT_NULL(test, nvmet_name_of(parse_test_map, 3, 2));
}

static struct kunit_case parse_test_cases[] = {
	KUNIT_CASE_PARAM(parse_test_ascii, parse_ascii_gen_params),
	KUNIT_CASE_PARAM(parse_test_version, parse_version_gen_params),
	KUNIT_CASE(parse_test_version_round_trip),
	KUNIT_CASE(parse_test_name),
	KUNIT_CASE(parse_test_name_refused),
	KUNIT_CASE(parse_test_name_of),
	{}
};

static struct kunit_suite parse_test_suite = {
	.name = "nvmet_ng_parse",
	.test_cases = parse_test_cases,
};

kunit_test_suite(parse_test_suite);

MODULE_DESCRIPTION("KUnit tests for nvmet-ng");
MODULE_LICENSE("GPL");
